"""Render 推荐汇总表 (landscape, with a statistics page) and 公示名单 to PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from zjtx.domain.chart_counts import largest_and_rest
from zjtx.domain.labels import ApplicationType
from zjtx.domain.results import OPEN_SCORE_LABEL
from zjtx.export.pdf_common import (
    FONT,
    GRID_COLOR,
    HEAD_FILL,
    Cell,
    CellSpec,
    SectionStart,
    build_document,
    grid,
    para,
)
from zjtx.export.safe_text import cut
from zjtx.export.summary import (
    PRODUCT_COLUMN,
    SUMMARY_COLUMNS,
    CountLine,
    PublicityList,
    RecommendationSummary,
    Statistics,
    SummaryRow,
)

_TABLE = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
    ("TOPPADDING", (0, 0), (-1, -1), 2.2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _table(
    head: Sequence[str], rows: Sequence[Sequence[CellSpec]], widths: Sequence[float]
) -> Table:
    data: list[list[CellSpec]] = [[Cell(h, "head") for h in head], *[list(r) for r in rows]]
    return grid(data, widths, repeat_rows=1, commands=[("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)])


BAR_FILL = colors.HexColor("#3b6ea5")
UNMET_FILL = colors.HexColor("#c62828")
APART_FILL = colors.HexColor("#b26a00")  # the 得分未定 bar, in the colour of 待定
CHART_LABEL_LIMIT = 22  # characters of a category printed beside its bar


def _chart_label(text: str) -> str:
    return text if len(text) <= CHART_LABEL_LIMIT else text[: CHART_LABEL_LIMIT - 1] + "…"


def bar_chart(
    title: str,
    lines: Sequence[CountLine],
    width: float,
    *,
    horizontal: bool = False,
    fill: colors.Color = BAR_FILL,
) -> Drawing:
    """A titled bar chart (reportlab.graphics) of counts, each bar labelled with its count.

    Horizontal bars (long labels: criteria, places) list the first line at the top.
    """
    row = 6 * mm
    height = (len(lines) * row + 22 * mm) if horizontal else 62 * mm
    drawing = Drawing(width, height)
    # reportlab starts a drawing in Helvetica (no Chinese): labels that set only a size keep it.
    drawing.initialFontName = FONT
    drawing.add(String(0, height - 5 * mm, title, fontName=FONT, fontSize=10))
    peak = max((line.count for line in lines), default=0)
    if horizontal:
        chart = HorizontalBarChart()
        label_room = 62 * mm
        chart.x, chart.y = label_room, 8 * mm
        chart.width, chart.height = width - label_room - 12 * mm, height - 18 * mm
        shown = list(lines)[::-1]  # reportlab draws the first category at the bottom
        label_anchor, label_dx, label_dy = "start", 3, 0
    else:
        chart = VerticalBarChart()
        chart.x, chart.y = 12 * mm, 12 * mm
        chart.width, chart.height = width - 16 * mm, height - 24 * mm
        shown = list(lines)
        label_anchor, label_dx, label_dy = "middle", 0, 6
    chart.data = [[line.count for line in shown]]
    chart.categoryAxis.categoryNames = [_chart_label(line.label) for line in shown]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, peak + max(1, peak // 6))
    chart.valueAxis.valueStep = max(1, -(-peak // 5))
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.gridStrokeColor = GRID_COLOR
    chart.valueAxis.visibleGrid = True
    chart.bars[0].fillColor = fill
    chart.bars[0].strokeColor = None
    for index, line in enumerate(shown):
        if line.label == OPEN_SCORE_LABEL:  # not a band: the scores not fixed yet, apart
            chart.bars[(0, index)].fillColor = APART_FILL
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w" if horizontal else "s"
    chart.barLabels.textAnchor = label_anchor
    chart.barLabels.dx, chart.barLabels.dy = label_dx, label_dy
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -2
    elif len(shown) > 6:  # score bins: slanted, so neighbouring labels do not run together
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    drawing.add(chart)
    return drawing


def charts_story(statistics: Statistics, width: float) -> list[Flowable]:
    """The statistics page's charts: verdicts, unmet criteria, scores and regions."""
    half = (width - 8 * mm) / 2
    verdicts = bar_chart("评价结论（家）", statistics.by_verdict, half)
    top: list[Flowable] = [verdicts]
    if statistics.histogram:
        top.append(
            bar_chart("得分分布（家；左闭右开，最后一档含满分）", statistics.histogram, half)
        )
    story: list[Flowable] = [para("统计图", "section"), _side_by_side(top, half)]
    if statistics.by_criterion:
        shown, rest = (
            statistics.by_criterion[:CRITERIA_CHARTED],
            statistics.by_criterion[CRITERIA_CHARTED:],
        )
        chart: list[Flowable] = [
            bar_chart("未满足条目（家）", shown, width, horizontal=True, fill=UNMET_FILL)
        ]
        if rest:
            # Each criterion counts its own applicants: the rest cannot be one bar, so they
            # are named with their counts under the chart (on its page).
            named = "、".join(f"{line.label}（{line.count} 家）" for line in rest)
            chart.append(para(f"另有 {len(rest)} 项未满足条目未列入图中：{named}", "note"))
        story += [Spacer(1, 4 * mm), KeepTogether(chart)]
    places = charted(statistics.by_region, "地区")
    industries = charted(statistics.by_industry, "行业")
    story += [
        Spacer(1, 4 * mm),
        _side_by_side(
            [
                bar_chart(_per_company(statistics.region_heading), places, half, horizontal=True),
                bar_chart("行业（国民经济行业大类，家）", industries, half, horizontal=True),
            ],
            half,
        ),
    ]
    return story


REGIONS_CHARTED = 12
# The criteria a chart has bars for (a full-width chart of thirty criteria would not fit a page).
CRITERIA_CHARTED = 10


def _per_company(heading: str) -> str:
    """A chart's title in 家: 地区（家）, 地区（宁波市各区县，家）."""
    return f"{heading[:-1]}，家）" if heading.endswith("）") else f"{heading}（家）"


def charted(lines: Sequence[CountLine], what: str) -> list[CountLine]:
    """The lines a chart has room for (largest_and_rest within REGIONS_CHARTED)."""
    pairs = largest_and_rest([(line.label, line.count) for line in lines], REGIONS_CHARTED, what)
    return [CountLine(label, count) for label, count in pairs]


def _side_by_side(flowables: Sequence[Flowable], half: float) -> Table:
    table = Table([list(flowables)], colWidths=[half + 8 * mm] * len(flowables))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # else the cells set Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _count_table(title: str, lines: Sequence[CountLine], total: int, width: float) -> Table:
    rows = [
        [
            para(_cell_text(line.label)),
            para(str(line.count), "cell_right"),
            para(_share(line.count, total), "cell_right"),
        ]
        for line in lines
    ]
    return _table((title, "家数", "占比"), rows, (width - 36 * mm, 16 * mm, 20 * mm))


def _share(count: int, total: int) -> str:
    if not total:
        return "—"
    return f"{count * 100 / total:.1f}%"  # display only


def statistics_story(statistics: Statistics, width: float) -> list[Flowable]:
    """The statistics page: counts by verdict, decision, region and industry; a histogram."""
    half = (width - 8 * mm) / 2
    total = statistics.total
    grid = Table(
        [
            [
                _count_table("评价结论", statistics.by_verdict, total, half),
                _count_table("评审决定", statistics.decisions_shown, total, half),
            ]
        ],
        colWidths=[half + 8 * mm, half],
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 8 * mm),
            ]
        )
    )
    # Region and industry run long in a province's round: full-width tables that split across
    # pages (in one row of a two-column grid they could not, and left the title alone on a page).
    story: list[Flowable] = [
        para("统计", "title"),
        para(f"共 {total} 家", "subtitle"),
        Spacer(1, 4 * mm),
        grid,
        Spacer(1, 4 * mm),
        _count_table(statistics.region_heading, statistics.by_region, total, width),
        Spacer(1, 4 * mm),
        _count_table("行业（国民经济行业大类）", statistics.by_industry, total, width),
    ]
    if total:
        story += [PageBreak(), *charts_story(statistics, width)]
    return story


def _empty_notice(headline: str, reason: str) -> list[Flowable]:
    """In place of a table with no rows: a line saying so, and why."""
    return [Spacer(1, 8 * mm), para(headline, "section"), para(f"{reason}。", "body")]


OPINION_LIMIT = 160  # characters of an opinion printed in the summary table
# Characters of a name, region or industry printed in a table cell: longer ones (a 3,000-character
# name) are cut visibly; the Excel export of the same table holds the full text.
CELL_TEXT_LIMIT = 120
IN_EXCEL = "（全称见 Excel 导出）"


def _cell_text(value: str) -> str:
    return cut(value, CELL_TEXT_LIMIT, IN_EXCEL)


def _short(opinion: str) -> str:
    """The opinion as printed in the summary: long ones are cut, visibly, with a pointer."""
    if len(opinion) <= OPINION_LIMIT:
        return opinion
    return opinion[:OPINION_LIMIT] + "……（全文见评审意见表）"


def render_summary_pdf(summary: RecommendationSummary, target: str | Path | IO[bytes]) -> int:
    """推荐汇总表 on landscape A4, then the statistics page; return the page count."""
    pagesize = landscape(A4)
    width = pagesize[0] - 30 * mm
    # mm; the opinion takes the rest. 评审决定 holds 推荐（需复核） on one line, 得分 a range
    # such as 72.5–97.5, 申报类型 新申报 / 复核 / 未填. Beside a 申请产品 the name is narrower.
    product = PRODUCT_COLUMN in summary.columns
    widths = dict(
        zip(
            SUMMARY_COLUMNS[:-1],
            (10, 42 if product else 48, 28, 36, 16, 31, 28, 18, 20, 25),
            strict=True,
        )
    )
    cells: dict[str, Callable[[SummaryRow], Any]] = {
        "排名": lambda r: Cell(r.rank_text, "cell_center"),
        "企业名称": lambda r: _cell_text(r.name),
        PRODUCT_COLUMN: lambda r: _cell_text(r.product),
        "统一社会信用代码": lambda r: _cell_text(r.uscc),
        ApplicationType.concept(): lambda r: Cell(r.application, "cell_center"),
        "所在地区": lambda r: _cell_text(r.region),
        "所属行业": lambda r: _cell_text(r.industry),
        "得分": lambda r: Cell(r.score, "cell_right"),
        "评价结论": lambda r: Cell(r.verdict, "cell_center"),
        "评审决定": lambda r: Cell(r.decision, "cell_center"),
        "评审意见": lambda r: _short(r.opinion),
    }
    # The columns the summary has (no 得分 for a standard without a score, a 申请产品 only
    # for a title given for a product): the opinion takes what is left.
    fixed = [widths[column] * mm for column in summary.columns[:-1]]
    widths_mm = [*fixed, width - sum(fixed)]
    rows = [[cells[column](r) for column in summary.columns] for r in summary.rows]
    story: list[Flowable] = [
        SectionStart(0, summary.footer, summary.title, "", header_on_first=False),
        para(summary.title, "title"),
        para(summary.subtitle, "rulebook"),
    ]
    if summary.rows:
        story.append(para(summary.rank_note, "note"))
        if summary.score_note:
            story.append(para(summary.score_note, "note"))
        story.append(Spacer(1, 1.5 * mm))
        story.append(_table(summary.columns, rows, widths_mm))
        if summary.outdated_note:
            story.append(Spacer(1, 2 * mm))
            story += [para(_cell_text(line), "note") for line in summary.outdated_note]
    else:
        story += _empty_notice("本表无企业", summary.empty_reason)
    story += [PageBreak(), *statistics_story(summary.statistics, width)]
    return build_document(
        target,
        story,
        pagesize=pagesize,
        made_at=summary.made_at,
        title=summary.title,
        subject=summary.footer,
    )


def render_publicity_pdf(publicity: PublicityList, target: str | Path | IO[bytes]) -> int:
    """公示名单 on portrait A4; return the page count."""
    width = A4[0] - 30 * mm
    # 序号, the name (the rest), 申请产品 (单项冠军), 所在地区, 认定类别.
    product = PRODUCT_COLUMN in publicity.columns
    apart = [36 * mm, 45 * mm, 40 * mm] if product else [55 * mm, 45 * mm]
    widths = [14 * mm, width - 14 * mm - sum(apart), *apart]
    story: list[Flowable] = [
        SectionStart(0, publicity.footer, publicity.title, "", header_on_first=False),
        para(publicity.title, "title"),
        para(publicity.subtitle, "subtitle"),
        Spacer(1, 4 * mm),
    ]
    for index, part in enumerate(publicity.parts):
        rows = [
            [
                Cell(str(r.number), "cell_center"),
                _cell_text(r.name),
                *([_cell_text(r.product)] if product else []),
                _cell_text(r.region),
                r.tier,
            ]
            for r in part.rows
        ]
        if part.heading:
            story += [Spacer(1, 4 * mm)] if index else []
            story.append(para(part.heading, "section"))
        story.append(_table(publicity.columns, rows, widths))
    if not publicity.rows:
        story += _empty_notice("本批次无公示企业", publicity.empty_reason)
    return build_document(
        target,
        story,
        pagesize=A4,
        made_at=publicity.made_at,
        title=publicity.title,
        subject=publicity.footer,
    )
