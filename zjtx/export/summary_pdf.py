"""Render 推荐汇总表 (landscape, with a statistics page) and 公示名单 to PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from zjtx.export.pdf_common import (
    FONT,
    GRID_COLOR,
    HEAD_FILL,
    MUTED,
    Cell,
    CellSpec,
    SectionStart,
    build_document,
    grid,
    para,
)
from zjtx.export.safe_text import cut
from zjtx.export.summary import CountLine, PublicityList, RecommendationSummary, Statistics

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


class Histogram(Flowable):
    """Vertical bars of a score histogram with the count above each bar."""

    def __init__(self, lines: Sequence[CountLine], width: float, height: float = 55 * mm) -> None:
        super().__init__()
        self.lines = tuple(lines)
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        base, top = 10 * mm, self.height - 6 * mm
        peak = max((line.count for line in self.lines), default=0) or 1
        slot = self.width / max(len(self.lines), 1)
        canvas.setStrokeColor(GRID_COLOR)
        canvas.setLineWidth(0.5)
        canvas.line(0, base, self.width, base)
        for index, line in enumerate(self.lines):
            x = index * slot + slot * 0.15
            bar_height = (top - base) * line.count / peak
            canvas.setFillColor(colors.HexColor("#3b6ea5"))
            if line.count:
                canvas.rect(x, base, slot * 0.7, bar_height, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT, 8)
            canvas.drawCentredString(x + slot * 0.35, base + bar_height + 1.5 * mm, str(line.count))
            canvas.setFont(FONT, 7)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(x + slot * 0.35, base - 4 * mm, line.label)


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
    left = [
        _count_table("评价结论", statistics.by_verdict, total, half),
        Spacer(1, 4 * mm),
        _count_table("评审决定", statistics.by_decision, total, half),
    ]
    right = [
        _count_table("地区", statistics.by_region, total, half),
        Spacer(1, 4 * mm),
        _count_table("行业（国民经济行业大类）", statistics.by_industry, total, half),
    ]
    grid = Table([[left, right]], colWidths=[half + 8 * mm, half])
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
    story: list[Flowable] = [
        para("统计", "title"),
        para(f"共 {total} 家", "subtitle"),
        Spacer(1, 4 * mm),
        grid,
    ]
    if statistics.histogram:
        story += [
            Spacer(1, 6 * mm),
            KeepTogether(
                [
                    para("得分分布（左闭右开，最后一档含满分）", "section"),
                    Histogram(statistics.histogram, width),
                ]
            ),
        ]
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
    widths = [10, 55, 38, 36, 28, 13, 20, 20]  # mm; the opinion takes the rest
    fixed = sum(widths) * mm
    widths_mm = [w * mm for w in widths] + [width - fixed]
    rows = [
        [
            Cell(r.rank_text, "cell_center"),
            _cell_text(r.name),
            _cell_text(r.uscc),
            _cell_text(r.region),
            _cell_text(r.industry),
            Cell(r.score, "cell_right"),
            Cell(r.verdict, "cell_center"),
            Cell(r.decision, "cell_center"),
            _short(r.opinion),
        ]
        for r in summary.rows
    ]
    story: list[Flowable] = [
        SectionStart(0, summary.footer, summary.title, ""),
        para(summary.title, "title"),
        para(summary.subtitle, "rulebook"),
    ]
    if summary.rows:
        story += [para(summary.rank_note, "note"), Spacer(1, 1.5 * mm)]
        story.append(_table(summary.columns, rows, widths_mm))
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
    widths = [14 * mm, width - 14 * mm - 55 * mm - 45 * mm, 55 * mm, 45 * mm]
    rows = [
        [Cell(str(r.number), "cell_center"), _cell_text(r.name), _cell_text(r.region), r.tier]
        for r in publicity.rows
    ]
    story: list[Flowable] = [
        SectionStart(0, publicity.footer, publicity.title, ""),
        para(publicity.title, "title"),
        para(publicity.subtitle, "subtitle"),
        Spacer(1, 4 * mm),
    ]
    if rows:
        story.append(_table(publicity.columns, rows, widths))
    else:
        story += _empty_notice("本批次无公示企业", publicity.empty_reason)
    return build_document(
        target,
        story,
        pagesize=A4,
        made_at=publicity.made_at,
        title=publicity.title,
        subject=publicity.footer,
    )
