"""The round overview: the first view of a round, its charts, and a bar click filtering the list."""

from __future__ import annotations

from collections import Counter
from datetime import date

from tests.ui.conftest import ROUND
from zjtx.store.statistics import round_overview
from zjtx.ui.models import ROW_ROLE


def _open_round(qtbot, window, service, sample_json):
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1))
    service.import_paths(ROUND, [sample_json])
    rows = service.list_applicants(ROUND)
    for row in [r for r in rows if r.verdict == "not_qualified"][:2]:
        service.decide(ROUND, row.uscc, "reject", "主要指标未达到认定标准")
    with qtbot.waitSignal(window.rows_loaded, timeout=60000):
        window.refresh_rounds(select=ROUND)
    page = window.round_tabs.overview
    qtbot.waitUntil(lambda: page.overview is not None, timeout=60000)
    return page, rows


def _shown_usccs(window) -> set[str]:
    proxy = window.proxy
    return {proxy.index(r, 0).data(ROW_ROLE).uscc for r in range(proxy.rowCount())}


def test_a_round_opens_on_its_overview(qtbot, window, service, sample_json):
    """Opening a round shows 概览 first, with the store's counts in its charts and progress."""
    page, rows = _open_round(qtbot, window, service, sample_json)
    assert window.round_tabs.currentWidget() is page
    assert not window.detail.isVisible()  # nothing to detail beside the overview
    expected = round_overview(service.store, ROUND)
    assert page.overview == expected
    verdicts = Counter(r.verdict for r in rows)
    assert dict(zip(page.verdict_chart.labels, page.verdict_chart.counts, strict=True)) == {
        "不符合条件": verdicts["not_qualified"],
        "待定": verdicts["pending"],
    }
    assert page.progress.value() == 2 and page.progress.maximum() == 30
    assert "张评审 2 家" in page.status_line.text()
    # Unmet alternatives (直通) fail no applicant: not in the chart of failed criteria.
    unmet = sorted(
        (c for c in expected.criteria if c.unmet and not c.alternative),
        key=lambda c: (-c.unmet, c.id),
    )
    assert any(c.alternative and c.unmet for c in expected.criteria)
    assert page.criteria_chart.counts == [c.unmet for c in unmet[:12]]
    assert sum(page.region_chart.counts) == 30
    assert page.score_chart.isHidden()  # 小巨人 is not scored


def test_clicking_a_criterion_bar_filters_the_list(qtbot, window, service, sample_json):
    """A click on a criterion's bar lists exactly the applicants it left unmet."""
    page, _ = _open_round(qtbot, window, service, sample_json)
    item = page.criteria_shown[0]
    chart = page.criteria_chart
    # Qt numbers horizontal bars from the bottom: the first criterion is drawn at the top.
    chart.chart().series()[0].clicked.emit(len(chart.labels) - 1, chart.bar_set)
    assert window.round_tabs.showing_table()
    expected = {
        d.row.uscc
        for d in service.round_details(ROUND)
        if any(
            c["id"] == item.id and c["state"] == "unmet" for c in d.review.evaluation["criteria"]
        )
    }
    assert _shown_usccs(window) == expected and len(expected) == item.unmet
    assert "显示 " + str(item.unmet) + " 家" in window.round_tabs.chip_label.text()
    window.round_tabs.clear_chart_filter()
    assert window.proxy.rowCount() == 30 and window.round_tabs.chip.isHidden()


def test_clicking_verdict_and_region_bars_sets_the_filters(qtbot, window, service, sample_json):
    """The verdict bar chooses the list's own filter (visible, changeable); a place's bar lists
    the applicants counted in it, as the 推荐汇总表's 统计 page counts them (by city here)."""
    page, rows = _open_round(qtbot, window, service, sample_json)
    pending = page.verdict_chart.labels.index("待定")
    page.verdict_chart.on_click(pending)
    assert window.verdict_filter.currentData() == "pending"
    assert _shown_usccs(window) == {r.uscc for r in rows if r.verdict == "pending"}
    place = page.region_chart.labels[0]
    page.region_chart.on_click(0)
    assert window.verdict_filter.currentData() == ""  # one bar at a time
    assert _shown_usccs(window) == set(page.overview.place_usccs[place])
    assert len(_shown_usccs(window)) == page.region_chart.counts[0]
    assert page.region_chart.chart().title() == "地区（家）"


def test_a_national_round_charts_every_province(qtbot, window, service, sample_json, tmp_path):
    """Applicants of 15 provinces: the 地区 chart shows 11 and a bar 其他 4 个地区, its bars
    adding up to the round; a click on 其他 filters nothing."""
    import json

    data = json.loads(sample_json.read_text(encoding="utf-8"))
    provinces = ["北京市", "天津市", "河北省", "山西省", "辽宁省", "吉林省", "上海市", "江苏省",
                 "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省"]  # fmt: skip
    for n, applicant in enumerate(data):
        applicant["province"] = provinces[n % len(provinces)]
        applicant.pop("city", None)
        applicant.pop("county", None)
    path = tmp_path / "全国.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page, rows = _open_round(qtbot, window, service, path)
    chart = page.region_chart
    assert len(chart.labels) == 12 and chart.labels[-1] == "其他 4 个地区"
    assert sum(chart.counts) == len(rows)
    before = window.proxy.rowCount()
    page._region_clicked(11)
    assert window.proxy.rowCount() == before


def test_scores_not_yet_fixed_have_their_own_bar(qtbot, window, service, tmp_path):
    """The score chart counts a range (70–95) in a bar of its own, 得分未定 (drawn apart), not
    in the band of its least; a click on it lists those applicants."""
    from PySide6.QtCharts import QBarCategoryAxis

    from tests.store.test_open_scores import _records, _write_round
    from zjtx.store.statistics import OPEN_SCORE_LABEL

    _write_round(service, tmp_path, _records())
    with qtbot.waitSignal(window.rows_loaded, timeout=60000):
        window.refresh_rounds(select="福州2026创新型")
    page = window.round_tabs.overview
    qtbot.waitUntil(lambda: page.overview is not None, timeout=60000)
    chart = page.score_chart
    counts = dict(zip(chart.labels, chart.counts, strict=True))
    assert counts["70–80分"] == 0 and counts["80–90分"] == 2 and counts[OPEN_SCORE_LABEL] == 1
    assert chart.labels[-1] == OPEN_SCORE_LABEL and sum(chart.counts) == 3
    assert chart.bar_set.selectedBars() == [len(chart.labels) - 1]
    [axis] = [a for a in chart.chart().axes() if isinstance(a, QBarCategoryAxis)]
    assert axis.categories()[-1] == "未定"
    chart.chart().series()[0].clicked.emit(len(chart.labels) - 1, chart.bar_set)
    assert _shown_usccs(window) == {r.uscc for r in service.list_applicants("福州2026创新型")
                                    if r.name == "乙公司"}  # fmt: skip


def test_score_bands_are_readable_under_their_bars_at_1366x768(qtbot, window, service, tmp_path):
    """At 1366×768 each band's axis label (0–10 … 90–100, 未定) is drawn whole: QtCharts does
    not elide it and it is narrower than its bar's slot; the chart's title says the last band
    includes full marks."""
    from PySide6.QtCharts import QBarCategoryAxis
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QApplication

    from tests.store.test_open_scores import _records, _write_round

    _write_round(service, tmp_path, _records())
    window.resize(1366, 768)
    with qtbot.waitSignal(window.rows_loaded, timeout=60000):
        window.refresh_rounds(select="福州2026创新型")
    page = window.round_tabs.overview
    qtbot.waitUntil(lambda: page.overview is not None, timeout=60000)
    QApplication.processEvents()
    chart = page.score_chart.chart()
    [axis] = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    labels = axis.categories()
    assert labels == ["0–10", "10–20", "20–30", "30–40", "40–50", "50–60", "60–70", "70–80",
                      "80–90", "90–100", "未定"]  # fmt: skip
    assert not axis.truncateLabels()
    slot = chart.plotArea().width() / len(labels)
    widest = max(QFontMetricsF(axis.labelsFont()).horizontalAdvance(t) for t in labels)
    assert widest < slot
    assert "末段含满分" in chart.title()


def test_a_city_round_charts_its_districts(qtbot, window, service, sample_json, tmp_path):
    """A round of 宁波市 whose roster gives only the 区县: the 地区 chart counts by 区县 as the
    统计 page does (not one bar 未填写), titled so, and a bar's click lists its applicants."""
    import json

    data = json.loads(sample_json.read_text(encoding="utf-8"))[:4]
    for applicant, county in zip(data, ["慈溪市", "余姚市", "奉化区", "慈溪市"], strict=True):
        for key in ("province", "city"):
            applicant.pop(key, None)
        applicant["county"] = county
    path = tmp_path / "宁波.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    service.create_round(
        "宁波2026", tier="little-giant", round_date=date(2026, 6, 1), region="宁波市"
    )
    service.import_paths("宁波2026", [path])
    with qtbot.waitSignal(window.rows_loaded, timeout=60000):
        window.refresh_rounds(select="宁波2026")
    page = window.round_tabs.overview
    qtbot.waitUntil(lambda: page.overview is not None, timeout=60000)
    chart = page.region_chart
    assert dict(zip(chart.labels, chart.counts, strict=True)) == {
        "慈溪市": 2,
        "余姚市": 1,
        "奉化区": 1,
    }
    assert chart.chart().title() == "地区（宁波市各区县，家）"
    chart.on_click(chart.labels.index("慈溪市"))
    assert len(_shown_usccs(window)) == 2
