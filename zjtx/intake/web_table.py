"""Tables of a web page (an online platform's "Excel" export) as grids, merged cells as merged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zjtx.intake.sheet_data import FileProblem, SheetData
from zjtx.intake.workbook import MAX_TEXT_BYTES, decode_text

MAX_CELLS = 10_000_000  # as for a worksheet


def read_web_tables(path: Path) -> list[SheetData]:
    """Each <table> of an HTML file as SheetData named 表1, 表2…, laid out as a Word table's
    (ref_style "table"): colspan and rowspan as merged ranges, <br> as a new line, &nbsp; as a
    space. Tables inside tables are tables of their own."""
    import lxml.html
    from lxml import etree

    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise FileProblem(
                "file-too-large",
                f"网页文件超过 {MAX_TEXT_BYTES >> 20} MB，超出了申报名单可能的大小，未读取",
            )
        text, _ = decode_text(path.read_bytes())
    except OSError as exc:
        raise FileProblem("file-unreadable", f"无法读取文件：{exc.strerror}") from None
    try:
        document = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise FileProblem("file-corrupt", "网页（HTML）中没有可读取的表格") from None
    tables = document.xpath("//table")
    if not tables:
        raise FileProblem("file-corrupt", "网页（HTML）中没有表格，无法读取")
    return [_grid(table, f"表{number}") for number, table in enumerate(tables, start=1)]


def _grid(table: Any, name: str) -> SheetData:
    rows: list[list[str]] = []
    merged: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()  # cells covered by a rowspan from above
    count = 0
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        row: list[str] = []
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            across, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            _place(row, c, _text(cell))
            if across > 1 or down > 1:
                merged.append((r, c, r + down - 1, c + across - 1))
                taken.update((r + i, c + j) for i in range(down) for j in range(across))
            c += across
            count += across * down
            if count > MAX_CELLS:
                raise FileProblem(
                    "sheet-too-large",
                    f"{name}有超过 {MAX_CELLS // 10_000} 万个单元格，超出了申报名单可能的大小，未读取",
                    name,
                )
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    width = max([width, *(c2 + 1 for _, _, _, c2 in merged)])
    for row in rows:
        row.extend([""] * (width - len(row)))
    return SheetData(name=name, rows=rows, merged=merged, ref_style="table")


def _place(row: list[str], column: int, text: str) -> None:
    row.extend([""] * (column + 1 - len(row)))
    row[column] = text


def _span(value: str | None) -> int:
    """A colspan or rowspan as written (1 when absent or not a number; at most 1,000)."""
    try:
        return min(max(int(str(value).strip()), 1), 1000)
    except ValueError:
        return 1


def _text(cell: Any) -> str:
    """A cell's text as shown: <br> a new line, runs of spaces (and &nbsp;) one space."""
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = cell.text_content().replace("\xa0", " ").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()
