"""The charts of the 推荐汇总表's statistics: exact counts, reportlab bar charts, read back."""

from __future__ import annotations

import pytest
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.lib.units import mm

from tests.export.factories import MADE_AT
from tests.export.pdf_helpers import font_report, page_texts
from tests.export.test_summary import _batch
from zjtx.export.summary import CountLine, build_recommendation_summary
from zjtx.export.summary_pdf import bar_chart, render_summary_pdf
from zjtx.scoring.catalogue import load_catalogue


@pytest.fixture(scope="module")
def statistics():
    batch = _batch()
    summary = build_recommendation_summary(batch, catalogue=load_catalogue(), made_at=MADE_AT)
    return batch, summary


def test_unmet_criteria_are_counted_from_the_evaluations(statistics):
    """by_criterion counts, per criterion, the applicants whose result left it unmet."""
    batch, summary = statistics
    expected: dict[str, int] = {}
    for item in batch:
        for criterion in item.evaluation.criteria:
            if criterion.state == "unmet":
                label = f"{criterion.id} {criterion.title}"
                expected[label] = expected.get(label, 0) + 1
    assert expected  # the batch has failures to chart
    assert summary.statistics.by_criterion == tuple(
        CountLine(label, count)
        for label, count in sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def test_bar_chart_draws_each_count_in_order():
    """A horizontal chart lists the first line at the top; a vertical one left to right."""
    lines = (CountLine("浙江省", 5), CountLine("江苏省", 3), CountLine("未填写", 1))
    across = bar_chart("地区（家）", lines, 120 * mm, horizontal=True)
    [chart] = [c for c in across.contents if isinstance(c, HorizontalBarChart)]
    assert chart.categoryAxis.categoryNames == ["未填写", "江苏省", "浙江省"]  # bottom up
    assert chart.data == [[1, 3, 5]]
    upright = bar_chart("评价结论（家）", lines, 120 * mm)
    [chart] = [c for c in upright.contents if isinstance(c, VerticalBarChart)]
    assert chart.categoryAxis.categoryNames == ["浙江省", "江苏省", "未填写"]
    assert chart.data == [[5, 3, 1]]


def test_statistics_charts_are_printed_on_their_own_page(statistics, tmp_path):
    """The PDF's last page holds the charts: titles, categories and counts, embedded font."""
    _, summary = statistics
    path = tmp_path / "summary.pdf"
    assert render_summary_pdf(summary, path) == 3
    charts = "".join(page_texts(path)[2].split())
    for expected in ("统计图", "评价结论（家）", "符合条件", "不符合条件", "得分分布", "40–50分",
                     "未满足条目（家）", summary.statistics.by_criterion[0].label.replace(" ", ""),
                     "地区（家）", "宁波市", "杭州市", "C35专用设备制造业"):  # fmt: skip
        assert expected in charts, expected
    assert all(font_report(path).values())


def test_a_chart_of_many_places_sums_the_rest_in_one_bar():
    """Beyond the bars a chart has room for, the rest are one bar 其他 N 个地区, so the bars
    add up to every applicant (five cities of 广东 were left off without a word)."""
    from zjtx.export.summary_pdf import REGIONS_CHARTED, charted

    lines = [CountLine(f"城市{n}", 100 - n) for n in range(17)]
    shown = charted(lines, "地区")
    assert len(shown) == REGIONS_CHARTED
    assert shown[:-1] == lines[: REGIONS_CHARTED - 1]
    assert shown[-1] == CountLine("其他 6 个地区", sum(line.count for line in lines[11:]))
    assert sum(line.count for line in shown) == sum(line.count for line in lines)
    assert charted(lines[:12], "地区") == lines[:12]


def test_unmet_criteria_beyond_the_chart_are_named_under_it(statistics, tmp_path):
    """A round failing more criteria than the chart has bars for names the others, each with
    its count, under the chart (LG26-4 and LG26-7 were left off without a word)."""
    from dataclasses import replace

    from zjtx.export.summary_pdf import CRITERIA_CHARTED

    _, summary = statistics
    lines = tuple(CountLine(f"LG26-{i} 条目{i}", 20 - i) for i in range(CRITERIA_CHARTED + 3))
    many = replace(summary, statistics=replace(summary.statistics, by_criterion=lines))
    path = tmp_path / "summary.pdf"
    render_summary_pdf(many, path)
    charts = "".join("".join(page_texts(path)[2:]).split())
    assert "另有3项未满足条目未列入图中：" in charts
    for line in lines[CRITERIA_CHARTED:]:
        assert f"{line.label.replace(' ', '')}（{line.count}家）" in charts
    for line in lines[:CRITERIA_CHARTED]:
        assert f"{line.label.replace(' ', '')}（" not in charts  # charted as a bar, not named
