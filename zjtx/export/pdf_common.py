"""Shared reportlab machinery: styles, reproducible documents, per-section page numbering."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph_module

from zjtx.domain.labels import CriterionState, Verdict
from zjtx.export.fonts import (
    font_covers,
    missing_characters,
    printable,
    register_reportlab_fonts,
)
from zjtx.export.report_model import ROUTE_UNMET_CODE
from zjtx.export.safe_text import ELLIPSIS, visible_controls
from zjtx.export.wrap import text_width, wrap_text

FONT, BOLD = register_reportlab_fonts()

# reportlab's CJK line breaking keeps Japanese closing punctuation off the start of a line but
# its list lacks the Chinese full-width ，；：？！》 (GB/T 15834), which then start lines.
_CHINESE_CANNOT_START = "，；：？！》〉」』】〕…"
_CANNOT_START = "".join(dict.fromkeys(_textsplit.ALL_CANNOT_START + _CHINESE_CANNOT_START))
_textsplit.ALL_CANNOT_START = _paragraph_module.ALL_CANNOT_START = _CANNOT_START

GRID_COLOR = colors.HexColor("#555555")
HEAD_FILL = colors.HexColor("#e8ecf2")
GROUP_FILL = colors.HexColor("#f3f4f6")
MUTED = colors.HexColor("#555555")
FAIL_COLOR = colors.HexColor("#b3261e")
PASS_COLOR = colors.HexColor("#1e6b34")
OPEN_COLOR = colors.HexColor("#9a5b00")  # still open: data or a judgement missing
# Keyed by code (CriterionState value, or the report model's route-unmet code), never by the
# Chinese label, so relabelling a state cannot silently drop its colour.
STRONG_STATES = frozenset(
    {CriterionState.UNMET.value, CriterionState.UNKNOWN.value, CriterionState.MANUAL.value}
)
STATE_COLORS = {
    CriterionState.UNMET.value: FAIL_COLOR,
    CriterionState.UNKNOWN.value: OPEN_COLOR,
    CriterionState.MANUAL.value: OPEN_COLOR,
    ROUTE_UNMET_CODE: MUTED,
}
VERDICT_COLORS = {
    Verdict.QUALIFIED: PASS_COLOR,
    Verdict.NOT_QUALIFIED: FAIL_COLOR,
    Verdict.PENDING: OPEN_COLOR,
}


def style(
    name: str,
    size: float = 9,
    *,
    bold: bool = False,
    align: int = TA_LEFT,
    leading: float | None = None,
    color: Any = colors.black,
    space_before: float = 0,
    space_after: float = 0,
) -> ParagraphStyle:
    """A paragraph style in the bundled font, wrapping Chinese at any character."""
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=leading if leading is not None else size * 1.35,
        alignment=align,
        textColor=color,
        wordWrap="CJK",
        spaceBefore=space_before,
        spaceAfter=space_after,
        splitLongWords=True,
    )


STYLES: dict[str, ParagraphStyle] = {
    "title": style("title", 16, bold=True, align=TA_CENTER, space_after=2 * mm),
    "subtitle": style("subtitle", 9.5, align=TA_CENTER),
    "rulebook": style("rulebook", 8, align=TA_CENTER, color=MUTED, space_after=3 * mm),
    "section": style("section", 10.5, bold=True, space_before=3.5 * mm, space_after=1.5 * mm),
    "body": style("body", 9),
    "cell": style("cell", 8),
    "cell_center": style("cell_center", 8, align=TA_CENTER),
    # A state that fails or waits: bold, so on a black-and-white printer it is as dark as
    # the passed ones and stands out by its weight, not only by a colour printed grey.
    "cell_center_strong": style("cell_center_strong", 8, bold=True, align=TA_CENTER),
    "cell_right": style("cell_right", 8, align=TA_RIGHT),
    "head": style("head", 8, bold=True, align=TA_CENTER),
    "group": style("group", 8.5, bold=True),
    "label": style("label", 8.5, bold=True),
    "note": style("note", 7.5, color=MUTED),
    "verdict": style("verdict", 12, bold=True),
}


def text(value: str) -> str:
    """Paragraph markup of plain text: escaped, control characters and missing glyphs replaced
    by their code."""
    return escape(printable(visible_controls(value))).replace("\n", "<br/>")


def para(value: str, style_name: str = "cell", *, color: Any = None) -> Paragraph:
    """A paragraph of plain text in one of STYLES (bold styles fall back to regular glyphs)."""
    chosen = STYLES[style_name]
    if chosen.fontName == BOLD and missing_characters(value, bold=True):
        chosen = ParagraphStyle(chosen.name + "-regular", parent=chosen, fontName=FONT)
    markup = text(value)
    if color is not None:
        markup = f'<font color="{color.hexval()}">{markup}</font>'
    return Paragraph(markup, chosen)


class SectionStart(Flowable):
    """Zero-size marker at the start of one report: sets the footer and adds a bookmark."""

    def __init__(
        self,
        index: int,
        footer: str,
        header: str,
        bookmark: str = "",
        on_start: Callable[[int], None] | None = None,
        *,
        header_on_first: bool = True,
    ) -> None:
        super().__init__()
        self.index = index
        self.footer = footer
        self.header = header
        self.bookmark = bookmark
        self.on_start = on_start
        # A table whose first page prints the header as its title repeats it from page 2 on.
        self.header_on_first = header_on_first
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.on_start is not None:
            self.on_start(self.index)  # progress and cancel of a combined PDF
        # Read back when the deferred pages are written (see make_canvas_class).
        self.canv._zjtx_section = (
            self.index, self.footer, self.header, self.bookmark, self.header_on_first
        )  # fmt: skip


def _pdf_date(made_at: datetime) -> Callable[..., str]:
    stamp = made_at.strftime("D:%Y%m%d%H%M%S")

    def formatter(*_args: int) -> str:
        return stamp

    return formatter


def make_canvas_class(made_at: datetime, page_label: Callable[[int, int], str]) -> type[Canvas]:
    """A canvas that numbers pages per section (第 X 页 共 Y 页) and is reproducible.

    Pages are kept until save() so each can be stamped with its section's page count. The
    document ID and timestamps come from ``made_at`` (invariant mode), so identical inputs give
    identical bytes.
    """

    class SectionCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self._doc.setDateFormatter(_pdf_date(made_at))
            self._zjtx_section = (0, "", "", "", True)
            self._zjtx_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._zjtx_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            counts: dict[int, int] = {}
            for state in self._zjtx_pages:
                index = state["_zjtx_section"][0]
                counts[index] = counts.get(index, 0) + 1
            seen: dict[int, int] = {}
            for state in self._zjtx_pages:
                self.__dict__.update(state)
                index, footer, header, bookmark, header_on_first = self._zjtx_section
                seen[index] = seen.get(index, 0) + 1
                if seen[index] == 1 and not header_on_first:
                    header = ""
                if bookmark and seen[index] == 1:
                    # Bookmarks must be made while the page is really written to get its number.
                    key = f"report-{index}"
                    self.bookmarkPage(key)
                    self.addOutlineEntry(visible_controls(bookmark), key, level=0, closed=True)
                self._draw_margins(page_label(seen[index], counts[index]), footer, header)
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_margins(self, label: str, footer: str, header: str) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(MUTED)
            if header:
                self.setFont(FONT, 7.5)
                self.drawRightString(
                    width - 15 * mm, height - 10 * mm, printable(visible_controls(header))
                )
            self.setFont(FONT, 8.5)
            self.setFillColor(colors.black)
            self.drawCentredString(width / 2, 11 * mm, label)
            if footer:
                self.setFont(FONT, 6.5)
                self.setFillColor(MUTED)
                self.drawCentredString(width / 2, 7 * mm, printable(visible_controls(footer)))
            self.restoreState()

    return SectionCanvas


def page_label(number: int, total: int) -> str:
    return f"第 {number} 页 共 {total} 页"


def build_document(
    target: str | Path | IO[bytes],
    story: Sequence[Flowable],
    *,
    pagesize: tuple[float, float],
    made_at: datetime,
    title: str,
    subject: str = "",
    margins: tuple[float, float, float, float] = (15 * mm, 15 * mm, 16 * mm, 18 * mm),
) -> int:
    """Lay out ``story`` into ``target`` (path or binary file); return the page count."""
    left, right, top, bottom = margins
    if isinstance(target, Path):
        target = str(target)
    doc = BaseDocTemplate(
        target,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author="zjtx 专精特新评审助手",
        subject=subject,
        creator="zjtx",
        invariant=1,
        initialFontName=FONT,
    )
    frame = Frame(left, bottom, pagesize[0] - left - right, pagesize[1] - top - bottom, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas_class = make_canvas_class(made_at, page_label)
    # Binary (not ASCII85) streams: a quarter smaller and faster; every reader accepts them.
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(list(story), canvasmaker=canvas_class)
    finally:
        rl_config.useA85 = saved_a85
    return doc.page


@dataclass(frozen=True, slots=True)
class Cell:
    """Text of one table cell in one of STYLES, optionally coloured."""

    text: str
    style: str = "cell"
    color: Any = None


CellSpec = Cell | str | Flowable | None
# reportlab cannot break a table row across pages: a cell taller than this (about 29 lines of
# table text, under half a landscape page) is cut with an ellipsis rather than fail the layout.
CELL_HEIGHT_LIMIT = 320.0  # points
CUT_NOTE = "（过长，已截断）"
_PADDING = 6  # left + right cell padding of the grid tables, points
_ALIGN_NAMES = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}


class TextTable(Table):
    """A Table that draws each text cell as one PDF text object.

    The stock table issues a separate text object per line (each with its own font setting and
    position); a cell of five lines then costs five times the PDF operators. Output is the
    same text at the same positions.
    """

    _text_color: Any = None

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        if not isinstance(cellval, str) or not cellval or cellstyle.href or cellstyle.destination:
            self._text_color = None  # the stock path manages colour and font itself
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        canvas = self.canv
        if self._text_color != cellstyle.color:
            canvas.setFillColor(cellstyle.color)
            self._text_color = cellstyle.color
        self._curcellstyle = None  # make the stock path re-apply its colour and font
        colpos, rowpos = pos
        colwidth, rowheight = size
        lines = cellval.split("\n")
        leading, fontsize, font = cellstyle.leading, cellstyle.fontsize, cellstyle.fontname
        if cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        elif cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        else:
            y = (
                rowpos
                + (
                    cellstyle.bottomPadding
                    + rowheight
                    - cellstyle.topPadding
                    + len(lines) * leading
                )
                / 2.0
                - fontsize
            )
        text_object = canvas.beginText()
        text_object.setFont(font, fontsize, leading)
        just = cellstyle.alignment
        if just == "LEFT":
            text_object.setTextOrigin(colpos + cellstyle.leftPadding, y)
            for line in lines:
                text_object.textLine(line)
        else:
            right = colpos + colwidth - cellstyle.rightPadding
            centre = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) / 2.0
            previous = 0.0
            for index, line in enumerate(lines):
                width = text_width(line, font, fontsize)
                x = right - width if just == "RIGHT" else centre - width / 2.0
                if index == 0:
                    text_object.setTextOrigin(x, y)
                else:
                    text_object.moveCursor(x - previous, leading)
                text_object.textOut(line)
                previous = x
        canvas.drawText(text_object)


def fitted_lines(
    value: str, font: str, size: float, width: float, leading: float, note: str = CUT_NOTE
) -> list[str]:
    """``value`` wrapped to ``width``; text taller than CELL_HEIGHT_LIMIT is cut, ending in an
    ellipsis and ``note`` on its last line."""
    lines = wrap_text(value, font, size, width)
    most = max(1, int(CELL_HEIGHT_LIMIT // leading))
    if len(lines) <= most:
        return lines
    head = "\n".join(lines[:most])
    while True:
        head = head[: -max(1, len(note))].rstrip()
        shortened = wrap_text(head + ELLIPSIS + note, font, size, width)
        if len(shortened) <= most or not head:
            return shortened


def grid(
    rows: Sequence[Sequence[CellSpec]],
    widths: Sequence[float],
    *,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    commands: Sequence[tuple] = (),
    repeat_rows: int = 0,
    row_heights: Sequence[float] | None = None,
) -> Table:
    """A ruled table of text cells, wrapped here and drawn as plain strings.

    A reportlab Paragraph per cell costs several times more than wrapping by the font's glyph
    widths (wrap_text) and drawing lines of plain text; flowables are placed as given.
    """
    span_width: dict[tuple[int, int], float] = {}
    for (c0, r0), (c1, _r1) in spans:
        span_width[(c0, r0)] = sum(widths[c0 : c1 + 1])
    base = STYLES["cell"]
    style_commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), base.fontSize),
        ("LEADING", (0, 0), (-1, -1), base.leading),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ("LEFTPADDING", (0, 0), (-1, -1), _PADDING / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING / 2),
    ]
    style_commands += [("SPAN", a, b) for a, b in spans]
    data: list[list[object]] = []
    for r, row in enumerate(rows):
        out: list[object] = []
        for c, spec in enumerate(row):
            if spec is None or spec == "":
                out.append("")
                continue
            if not isinstance(spec, str | Cell):
                out.append(spec)
                continue
            if isinstance(spec, str):
                spec = Cell(spec)
            chosen = STYLES[spec.style]
            font = chosen.fontName
            value = printable(visible_controls(spec.text))
            if font == BOLD and not font_covers(value, bold=True):
                font = FONT
            avail = span_width.get((c, r), widths[c]) - _PADDING - 0.5
            lines = fitted_lines(value, font, chosen.fontSize, avail, chosen.leading)
            value = "\n".join(lines)
            out.append(value)
            at = (c, r)
            if font != FONT:
                style_commands.append(("FONTNAME", at, at, font))
            if chosen.fontSize != base.fontSize:
                style_commands.append(("FONTSIZE", at, at, chosen.fontSize))
                style_commands.append(("LEADING", at, at, chosen.leading))
            if chosen.alignment != TA_LEFT:
                style_commands.append(("ALIGN", at, at, _ALIGN_NAMES[chosen.alignment]))
            color = spec.color if spec.color is not None else chosen.textColor
            if color is not None and color.hexval() != "0x000000":
                style_commands.append(("TEXTCOLOR", at, at, color))
        data.append(out)
    table = TextTable(
        data,
        colWidths=list(widths),
        repeatRows=repeat_rows,
        rowHeights=row_heights,
    )
    table.setStyle(TableStyle([*style_commands, *commands]))
    return table
