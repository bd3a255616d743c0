"""Tables of a web page (an online platform's "Excel" export) as grids, merged cells as merged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from zjtx.intake.sheet_data import FileProblem, SheetData, decode_text, unreadable

MAX_BYTES = 64 << 20  # a page of 100,000 rows is about 30 MB
MAX_CELLS = 2_000_000  # of all the page's tables, spans counted (a roster of 100,000 × 20)
MAX_SPAN = 200  # columns or rows one cell may span
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_web_tables(path: Path) -> list[SheetData]:
    """Each <table> of an HTML file as SheetData named 表1, 表2…, laid out as a Word table's
    (ref_style "table"): colspan and rowspan as merged ranges, <br> as a new line, &nbsp; as a
    space. Tables inside tables are tables of their own."""
    import lxml.html
    from lxml import etree

    try:
        if path.stat().st_size > MAX_BYTES:
            raise FileProblem(
                "file-too-large",
                f"网页文件超过 {MAX_BYTES >> 20} MB，超出了申报名单可能的大小，未读取",
            )
        text, _ = decode_text(path.read_bytes())
    except OSError as exc:
        raise unreadable(exc) from None
    except FileProblem as exc:
        if exc.code == "file-encoding":
            raise FileProblem("file-encoding", "无法识别网页文件的编码：请另存为 UTF-8") from None
        raise
    try:
        # An XHTML export's XML declaration names an encoding lxml refuses in decoded text.
        document = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError):
        raise FileProblem("file-corrupt", "网页（HTML）中没有可读取的表格") from None
    etree.strip_elements(document, "script", "style", with_tail=False)
    tables = document.xpath("//table")
    if not tables:
        raise FileProblem("file-corrupt", "网页（HTML）中没有表格，无法读取")
    budget = [MAX_CELLS]
    return [_grid(table, f"表{n}", budget) for n, table in enumerate(tables, start=1)]


def _grid(table: Any, name: str, budget: list[int]) -> SheetData:
    """One table's grid; ``budget`` holds the cells the page may still have (spans counted,
    before any is built: a cell of colspan=5000 rowspan=5000 is refused, not laid out)."""
    # The header rows, the body, then the footer, whatever order the page writes them in; a
    # rowspan does not reach past its own group of rows.
    groups = [table.xpath("./thead/tr"), table.xpath("./tr|./tbody/tr"), table.xpath("./tfoot/tr")]
    trs, ends = [], []
    for group in groups:
        trs += group
        ends += [len(trs)] * len(group)
    rows: list[list[str]] = []
    merged: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()  # cells covered by a span from a row above
    for r, tr in enumerate(trs):
        row: list[str] = []
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            across = _span(cell.get("colspan"))
            down = min(_span(cell.get("rowspan")), ends[r] - r)
            budget[0] -= across * down
            if budget[0] < 0:
                raise FileProblem(
                    "sheet-too-large",
                    f"网页中的表格有超过 {MAX_CELLS // 10_000} 万个单元格（含合并单元格），"
                    "超出了申报名单可能的大小，未读取",
                    name,
                )
            _place(row, c, _text(cell))
            if across > 1 or down > 1:
                merged.append((r, c, r + down - 1, c + across - 1))
                taken.update((r + i, c + j) for i in range(down) for j in range(across))
            c += across
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    width = max([width, *(c2 + 1 for _, _, _, c2 in merged)])
    for row in rows:
        row.extend([""] * (width - len(row)))
    caption = " ".join(_text(c) for c in table.xpath("./caption"))
    if caption and width:
        # A list's title (2024年度…认定名单) written as the table's caption: its first row,
        # across the table, as a workbook's merged title row.
        rows.insert(0, [caption, *[""] * (width - 1)])
        merged = [(0, 0, 0, width - 1), *((a + 1, b, c + 1, d) for a, b, c, d in merged)]
    return SheetData(name=name, rows=rows, merged=merged, ref_style="table")


def _place(row: list[str], column: int, text: str) -> None:
    row.extend([""] * (column + 1 - len(row)))
    row[column] = text


def _span(value: str | None) -> int:
    """A colspan or rowspan as written (1 when absent or not a number; at most MAX_SPAN)."""
    try:
        return min(max(int(str(value).strip()), 1), MAX_SPAN)
    except ValueError:
        return 1


def _text(cell: Any) -> str:
    """A cell's text as shown: <br> a new line, runs of spaces (and &nbsp;) one space."""
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = cell.text_content().replace("\xa0", " ").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()
