"""Render assessment-report view-models to PDF (one applicant, or many with bookmarks)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from zjtx.export.fonts import printable
from zjtx.export.pdf_common import (
    BOLD,
    CUT_NOTE,
    FONT,
    GRID_COLOR,
    GROUP_FILL,
    HEAD_FILL,
    MUTED,
    OPEN_COLOR,
    PASS_COLOR,
    STATE_COLORS,
    STRONG_STATES,
    STYLES,
    VERDICT_COLORS,
    Cell,
    CellSpec,
    SectionStart,
    build_document,
    grid,
    para,
)
from zjtx.export.report_model import (
    NOT_DECIDED,
    AssessmentReport,
    ChartBar,
    PanelPage,
    format_points,
)
from zjtx.export.safe_text import cut, visible_controls
from zjtx.export.wrap import wrap_text
from zjtx.store.panel_positions import NOT_NEEDED

CONTENT_WIDTH = A4[0] - 30 * mm
# Blank date for handwriting; &nbsp; because paragraphs collapse ordinary spaces.
DATE_LINE = "日期：" + "&nbsp;" * 14 + "年" + "&nbsp;" * 7 + "月" + "&nbsp;" * 7 + "日"
BLANK_LINE = "&nbsp;" * 56
ORDINALS = "一二三四五六七八九十"

_BASE_TABLE = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),  # empty spanned cells would otherwise use Helvetica
    ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2.2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


class GroupScoreChart(Flowable):
    """Horizontal bars: each group's points as a share of its maximum, with its minimum marked."""

    BAR_HEIGHT = 4.2 * mm
    GAP = 2.2 * mm
    LABEL_WIDTH = 38 * mm
    VALUE_WIDTH = 30 * mm

    def __init__(self, bars: Sequence[ChartBar], width: float) -> None:
        super().__init__()
        self.bars = tuple(bars)
        self.width = width
        self.height = len(self.bars) * (self.BAR_HEIGHT + self.GAP) + 5 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        track = self.width - self.LABEL_WIDTH - self.VALUE_WIDTH
        y = self.height - 4 * mm
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(0, y + 1.2 * mm, "各部分得分（实线为得分，竖线为该部分最低分）")
        for bar in self.bars:
            y -= self.BAR_HEIGHT + self.GAP
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT, 7.5)
            canvas.drawString(0, y + 1.2 * mm, para_text(bar.title))
            canvas.setStrokeColor(GRID_COLOR)
            canvas.setLineWidth(0.4)
            canvas.setFillColor(colors.white)
            canvas.rect(self.LABEL_WIDTH, y, track, self.BAR_HEIGHT, stroke=1, fill=1)
            share = float(bar.points / bar.max_points) if bar.max_points else 0.0
            share = max(0.0, min(1.0, share))
            below = bar.minimum is not None and bar.points < bar.minimum
            canvas.setFillColor(colors.HexColor("#b3261e") if below else colors.HexColor("#3b6ea5"))
            if share > 0:
                canvas.rect(self.LABEL_WIDTH, y, track * share, self.BAR_HEIGHT, stroke=0, fill=1)
            if bar.minimum is not None and bar.max_points:
                x = self.LABEL_WIDTH + track * float(bar.minimum / bar.max_points)
                canvas.setStrokeColor(colors.black)
                canvas.setLineWidth(1)
                canvas.line(x, y - 0.8 * mm, x, y + self.BAR_HEIGHT + 0.8 * mm)
            canvas.setFillColor(colors.black)
            value = f"{format_points(bar.points)} / {format_points(bar.max_points)}"
            if bar.minimum is not None:
                value += f"（最低 {format_points(bar.minimum)}）"
            canvas.drawString(self.LABEL_WIDTH + track + 2 * mm, y + 1.2 * mm, value)


def para_text(value: str) -> str:
    return printable(visible_controls(value))


def _section(title: str, number: int) -> Paragraph:
    return para(f"{ORDINALS[number - 1]}、{title}", "section")


ENTERPRISE_TEXT_LIMIT = 300  # characters of one value (a name) in the enterprise table


def _enterprise_table(report: AssessmentReport) -> Table:
    pairs = [
        (label, cut(value, ENTERPRISE_TEXT_LIMIT, CUT_NOTE)) for label, value in report.enterprise
    ]
    label_w, value_w = 27 * mm, CONTENT_WIDTH / 2 - 27 * mm
    rows: list[list[CellSpec]] = [[Cell(pairs[0][0], "label"), Cell(pairs[0][1], "body"), "", ""]]
    rest = pairs[1:]
    for i in range(0, len(rest), 2):
        left = rest[i]
        right = rest[i + 1] if i + 1 < len(rest) else ("", "")
        rows.append([Cell(left[0], "label"), left[1], Cell(right[0], "label"), right[1]])
    return grid(
        rows,
        [label_w, value_w, label_w, value_w],
        spans=[((1, 0), (3, 0))],
        commands=[
            ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
            ("BACKGROUND", (2, 1), (2, -1), HEAD_FILL),
        ],
    )


def _figures_table(report: AssessmentReport) -> Table:
    label_w = 58 * mm
    col_w = (CONTENT_WIDTH - label_w) / len(report.figure_columns)
    rows: list[list[CellSpec]] = [
        [Cell("指标", "head"), *[Cell(c, "head") for c in report.figure_columns]]
    ]
    for row in report.figures:
        rows.append([row.label, *[Cell(v, "cell_right") for v in row.values]])
    return grid(
        rows,
        [label_w] + [col_w] * len(report.figure_columns),
        repeat_rows=1,
        commands=[("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)],
    )


CRITERIA_WIDTHS = [8 * mm, 34 * mm, 50 * mm, 46 * mm, 19 * mm, 23 * mm]
# Without points (unscored tiers) the points column goes to the requirement and observed text.
CRITERIA_WIDTHS_UNSCORED = [8 * mm, 36 * mm, 60 * mm, 57 * mm, 19 * mm]


def _criteria_table(report: AssessmentReport) -> Table:
    with_points = any(item.points for group in report.groups for item in group.rows)
    head = ["序号", "评价指标", "标准要求", "企业情况", "结论"] + (["得分"] if with_points else [])
    widths = CRITERIA_WIDTHS if with_points else CRITERIA_WIDTHS_UNSCORED
    last = len(head) - 1
    rows: list[list[CellSpec]] = [[Cell(h, "head") for h in head]]
    commands: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]
    spans = []
    for group in report.groups:
        index = len(rows)
        rows.append([Cell(group.title, "group")] + [""] * last)
        spans.append(((0, index), (last, index)))
        commands.append(("BACKGROUND", (0, index), (-1, index), GROUP_FILL))
        # a group heading never ends a page without its first criterion
        commands.append(("NOSPLIT", (0, index), (-1, index + 1)))
        for item in group.rows:
            state = item.state + (
                "（改判）" if item.overridden else "（已确认）" if item.confirmed else ""
            )
            row: list[CellSpec] = [
                Cell(item.number, "cell_center"),
                item.title,
                item.requirement,
                item.observed,
                Cell(
                    state,
                    "cell_center_strong" if item.state_code in STRONG_STATES else "cell_center",
                    STATE_COLORS.get(item.state_code),
                ),
            ]
            if with_points:
                row.append(Cell(item.points, "cell_center"))
            rows.append(row)
        if group.subtotal:
            index = len(rows)
            rows.append([Cell(group.subtotal, "cell_right")] + [""] * last)
            spans.append(((0, index), (last, index)))
    return grid(rows, widths, spans=spans, commands=commands, repeat_rows=1)


def _conclusion(report: AssessmentReport) -> list[Flowable]:
    rows: list[list[object]] = []
    if report.scored:
        total = report.total + (f"（{report.total_range}）" if report.total_range else "")
        rows.append(
            [
                para("总分", "label"),
                para(total, "body"),
                para("合格线", "label"),
                para(report.pass_line or "—", "body"),
            ]
        )
    rows.append(
        [
            para("评价结论", "label"),
            para(report.verdict, "verdict", color=VERDICT_COLORS[report.verdict_code]),
            "",
            "",
        ]
    )
    spans = [("SPAN", (1, len(rows) - 1), (3, len(rows) - 1))]
    if report.verdict_reasons:
        rows.append([para("结论依据", "label"), para("\n".join(report.verdict_reasons)), "", ""])
        spans.append(("SPAN", (1, len(rows) - 1), (3, len(rows) - 1)))
    widths = [27 * mm, CONTENT_WIDTH / 2 - 27 * mm, 27 * mm, CONTENT_WIDTH / 2 - 27 * mm]
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                *_BASE_TABLE,
                *spans,
                ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                ("BACKGROUND", (2, 0), (2, 0), HEAD_FILL if report.scored else colors.white),
            ]
        )
    )
    parts: list[Flowable] = [table]
    if report.chart:
        parts += [Spacer(1, 2.5 * mm), GroupScoreChart(report.chart, CONTENT_WIDTH)]
    return parts


def _simple_table(
    head: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[float]
) -> Table:
    data: list[list[CellSpec]] = [[Cell(h, "head") for h in head]]
    data += [list(row) for row in rows]
    return grid(data, widths, repeat_rows=1, commands=[("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)])


OPINION_IN_TABLE = 300.0  # points: a longer opinion is printed below the table, across pages


def _decision_block(report: AssessmentReport) -> list[Flowable]:
    # Undecided: room to write by hand.
    opinion: CellSpec = Cell(report.opinion, "body") if report.opinion else Spacer(1, 28 * mm)
    below: list[Flowable] = []
    if report.opinion:
        body = STYLES["body"]
        lines = wrap_text(printable(report.opinion), FONT, body.fontSize, CONTENT_WIDTH - 34 * mm)
        if len(lines) * body.leading > OPINION_IN_TABLE:
            # A table row cannot break across pages; a paragraph can.
            opinion = Cell("（见下文）", "body")
            below = [Spacer(1, 2 * mm), para(report.opinion, "body")]
    decision_style = "body" if report.decision == NOT_DECIDED else "verdict"
    rows: list[list[CellSpec]] = [
        [Cell("评审决定", "label"), Cell(report.decision, decision_style)]
    ]
    if report.decision_note:
        rows.append([Cell("需复核", "label"), Cell(report.decision_note, "body")])
    rows.append([Cell("评审意见", "label"), opinion])
    last = len(rows) - 1
    table = grid(
        rows,
        [27 * mm, CONTENT_WIDTH - 27 * mm],
        commands=[
            ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
            ("VALIGN", (1, last), (1, last), "TOP"),
        ],
    )
    return [table, *below]


def _filled_or_blank(label: str, value: str) -> Paragraph:
    """``label：value``, or the label with an underlined blank to fill in by hand."""
    if value:
        return para(f"{label}：{value}", "body")
    return Paragraph(f"{label}：<u>{BLANK_LINE}</u>", STYLES["body"])


def _signature_block(report: AssessmentReport) -> Table:
    # Room for the handwritten signature and the stamp; the name and the unit are printed
    # below them (never an operating-system account: see zjtx.store.identity).
    rows = [
        [para("评审人签字：", "body"), para("单位（盖章）：", "body")],
        [
            _filled_or_blank("姓名", report.evaluator),
            _filled_or_blank("单位名称", report.evaluator_unit),
        ],
        [Paragraph(DATE_LINE, STYLES["body"]), Paragraph(DATE_LINE, STYLES["body"])],
    ]
    table = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2, rowHeights=[14 * mm, None, 9 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BOX", (0, 0), (-1, -1), 0.5, GRID_COLOR),
                ("LINEAFTER", (0, 0), (0, -1), 0.5, GRID_COLOR),
                ("VALIGN", (0, 0), (-1, 0), "TOP"),
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _joined(*parts: str) -> str:
    return "　".join(p for p in parts if p) or "—"


# The agreement is printed in words; the colour only repeats it (有分歧 amber, 一致 green).
AGREEMENT_COLORS = {"disagree": OPEN_COLOR, "agree": PASS_COLOR}


def _panel_page(panel: PanelPage, section: Callable[[str], Paragraph]) -> list[Flowable]:
    """The panel page: members, positions per judgement item with agreement and aggregate,
    members' opinions beside the final decision, and every member's signature line."""
    room = CondPageBreak(22 * mm)
    story: list[Flowable] = [PageBreak(), section("专家组评审"), para(panel.rule, "rulebook")]
    rows = [(m.role, m.name, m.unit, m.remark) for m in panel.members]
    story.append(
        _simple_table(
            ("角色", "姓名", "单位", "回避、代录"),
            rows,
            (20 * mm, 26 * mm, 64 * mm, CONTENT_WIDTH - 110 * mm),
        )
    )
    if panel.items:
        names = [m.name + (f"（{m.mark}）" if m.mark else "") for m in panel.members]
        fixed, tail = 40 * mm, 16 * mm + 30 * mm
        share = (CONTENT_WIDTH - fixed - tail) / max(len(names), 1)
        data: list[list[CellSpec]] = [
            [Cell(h, "head") for h in ("判断条目", *names, "一致性", "汇总评分")]
        ]
        spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for number, row in enumerate(panel.items, 1):
            if row.agreement_code == NOT_NEEDED:
                # One cell across the members and 一致性: the data decided it, nobody judged.
                spans.append(((1, number), (len(names) + 1, number)))
                data.append([f"{row.criterion_id} {row.title}", Cell(row.agreement, "cell_center"),
                             *([""] * len(names)), Cell(row.aggregate, "cell_center")])  # fmt: skip
                continue
            data.append(
                [
                    f"{row.criterion_id} {row.title}",
                    *(Cell(p, "cell_center") for p in row.positions),
                    Cell(row.agreement, "cell_center", AGREEMENT_COLORS.get(row.agreement_code)),
                    Cell(row.aggregate, "cell_center"),
                ]
            )
        table = grid(data, [fixed, *([share] * len(names)), 16 * mm, 30 * mm], repeat_rows=1,
                     spans=spans, commands=[("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)])  # fmt: skip
        story += [Spacer(1, 2.5 * mm), para("各专家对人工判断条目的意见", "label"), table]
    if panel.notes:
        story += [Spacer(1, 1.5 * mm), *(para(note, "note") for note in panel.notes)]
    opinions = [(who, text) for who, text in panel.opinions] or [("—", "专家尚未发表意见")]
    decision = _joined(panel.decision, panel.decided_by)
    rows2: list[list[CellSpec]] = [[Cell(h, "head") for h in ("专家", "个人意见")]]
    rows2 += [[who, Cell(text, "body")] for who, text in opinions]
    rows2.append([Cell("最终决定", "label"), Cell(decision, "body")])
    if panel.decision_opinion:
        rows2.append([Cell("决定意见", "label"), Cell(panel.decision_opinion, "body")])
    story += [
        room,
        Spacer(1, 2.5 * mm),
        para("专家意见与最终决定", "label"),
        grid(
            rows2,
            [34 * mm, CONTENT_WIDTH - 34 * mm],
            commands=[("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)],
        ),
    ]
    signs: list[list[CellSpec]] = [
        [Cell(h, "head") for h in ("角色", "姓名", "单位", "签字", "日期")]
    ]
    signs += [
        [m.role + (f"（{m.mark}）" if m.mark else ""), m.name, m.unit, "", "　　年　　月　　日"]
        for m in panel.members
    ]
    widths = [24 * mm, 24 * mm, 54 * mm, 40 * mm, CONTENT_WIDTH - 142 * mm]
    heights = [None, *([11 * mm] * len(panel.members))]
    story.append(
        KeepTogether(
            [
                Spacer(1, 3 * mm),
                para("专家签字", "label"),
                grid(signs, widths, row_heights=heights),
            ]
        )
    )
    return story


HEADER_NAME_LIMIT = 40  # characters of the name in the page header
BOOKMARK_LIMIT = 120


def report_story(
    report: AssessmentReport,
    index: int = 0,
    *,
    bookmark: bool = False,
    on_start: Callable[[int], None] | None = None,
) -> list[Flowable]:
    """Flowables of one assessment report (a combined PDF concatenates these)."""
    # The page header is one line at the top right; a bookmark one line in the outline.
    header = f"{cut(report.name, HEADER_NAME_LIMIT)}　{report.uscc}"
    outline = cut(report.bookmark, BOOKMARK_LIMIT) if bookmark else ""
    story: list[Flowable] = [
        SectionStart(index, report.footer, header, outline, on_start),
        para(report.title, "title"),
        para(report.subtitle, "subtitle"),
        para(report.rulebook, "rulebook"),
        *(para(line, "rulebook") for line in report.policy),
    ]
    number = 0

    def section(title: str) -> Paragraph:
        nonlocal number
        number += 1
        return _section(title, number)

    # A heading never ends a page: it needs room for itself and the table's first rows.
    room = CondPageBreak(22 * mm)

    story += [section("企业基本情况"), _enterprise_table(report)]
    story += [room, section("主要经济指标"), _figures_table(report)]
    story += [room, section("逐项评价"), _criteria_table(report)]
    story += [KeepTogether([section("评价结论"), *_conclusion(report)])]
    if report.gaps:
        rows = [(g.title, g.state, g.text) for g in report.gaps]
        table = _simple_table(
            ("评价指标", "状态", "差距或缺少的数据"),
            rows,
            (50 * mm, 22 * mm, CONTENT_WIDTH - 72 * mm),
        )
        story += [room, section("差距与待补充事项"), table]
    if report.judgements:
        rows = [
            (j.title, j.computed, j.result, j.reason or "—", _joined(j.evaluator, j.at))
            for j in report.judgements
        ]
        widths = (40 * mm, 20 * mm, 24 * mm, CONTENT_WIDTH - 116 * mm, 32 * mm)
        head = ("评价指标", "系统判定", "评审确认", "理由", "确认人、时间")
        story += [room, section("人工判断事项"), _simple_table(head, rows, widths)]
    if report.warnings:
        rows = [(w.message, w.reason, w.evaluator or "—") for w in report.warnings]
        widths = (75 * mm, CONTENT_WIDTH - 100 * mm, 25 * mm)
        head = ("数据提示", "确认理由", "确认人")
        story += [room, section("已确认的数据提示"), _simple_table(head, rows, widths)]
    decision = _decision_block(report)
    if len(decision) == 1:  # the whole review fits: keep it on one page with the signatures
        story += [
            KeepTogether(
                [section("评审意见"), *decision, Spacer(1, 3 * mm), _signature_block(report)]
            )
        ]
    else:  # a long opinion flows over pages; the signature block stays whole
        story += [room, section("评审意见"), *decision, Spacer(1, 3 * mm)]
        story += [KeepTogether([_signature_block(report)])]
    if report.notes:
        story += [Spacer(1, 3 * mm), *[para(note, "note") for note in report.notes]]
    if report.panel is not None:
        story += _panel_page(report.panel, section)
    return story


def render_assessment_pdf(report: AssessmentReport, target: str | Path | IO[bytes]) -> int:
    """Write one applicant's assessment report; return its page count."""
    return build_document(
        target,
        report_story(report),
        pagesize=A4,
        made_at=report.made_at,
        title=f"{report.title} - {cut(report.name, BOOKMARK_LIMIT)}",
        subject=report.footer,
    )


def render_combined_pdf(
    reports: Sequence[AssessmentReport],
    target: str | Path | IO[bytes],
    *,
    made_at: datetime,
    title: str = "评审意见表汇编",
    on_report: Callable[[int], None] | None = None,
) -> int:
    """Write many reports into one PDF, each numbered on its own and bookmarked by name.

    ``on_report(index)`` is called as each report starts being laid out (progress; it may raise
    to cancel).
    """
    story: list[Flowable] = []
    for index, report in enumerate(reports):
        if index:
            story.append(PageBreak())
        story += report_story(report, index, bookmark=True, on_start=on_report)
    return build_document(target, story, pagesize=A4, made_at=made_at, title=title)


__all__ = [
    "BOLD",
    "GroupScoreChart",
    "render_assessment_pdf",
    "render_combined_pdf",
    "report_story",
]
