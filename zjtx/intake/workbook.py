"""Open .xlsx/.xls/.csv files as grids of cell values plus the cell facts calamine cannot give."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from zjtx.intake.number_formats import (
    PERCENT,
    NumberStyles,
    Scale,
    apply_scales,
    note_style,
    number_style,
)
from zjtx.intake.sheet_data import (
    FileProblem,
    SheetData,
    _sheet_corrupt,
    _too_large,
    cell_ref,
    column_index,
    column_letter,
    damaged,
    decode_text,
    unreadable,
)
from zjtx.intake.web_table import read_web_tables

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT_FORMATS = {9, 10}
_FORMULA = rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)"
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>\s*' + _FORMULA + rb"\s*(<v\s*/>|<v>\s*</v>|</c>)"
)
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\st="e"[^>]*>\s*(?:' + _FORMULA + rb")?\s*<v>([^<]*)</v>"
)
_VALID_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_ROW_END = b"</row>"
_SEGMENT_BYTES = 4 << 20
_NO_CELLS: tuple[Any, ...] = ()  # every empty row of a sparse sheet (read-only, shared)

# Bounds of what a roster can be. The largest real round holds tens of thousands of applicants
# in about 60 columns; 10 million cells is 100,000 rows x 100 columns and, at 60-100 bytes a
# cell once read, keeps a read under about 1 GB. Columns and rows stop where Excel stops.
MAX_SHEET_CELLS = 10_000_000
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
# A sheet is read dense (python-calamine, fast) while its used range is at most twice the
# cells present or 2 million slots; beyond that, row by row, each row only as wide as its
# last cell, and at most this many slots in all (160 MB of row lists).
DENSE_FLOOR = 2_000_000
MAX_SPARSE_SLOTS = 20_000_000
# Sheet XML is streamed, so its size costs time, not memory: 10 million cells of up to about
# 200 bytes. Shared strings are held in memory by the reader.
MAX_SHEET_XML_BYTES = 2 << 30
MAX_SHARED_STRINGS_BYTES = 512 << 20
# CSV text is held in memory (about three times its size at the peak).
MAX_TEXT_BYTES = 512 << 20
_HIDDEN_COL = re.compile(rb"<col\s[^>]*?hidden=\"(?:1|true)\"[^>]*>")
_HIDDEN_ROW = re.compile(rb"<row\s[^>]*?hidden=\"(?:1|true)\"[^>]*>")
_ROW_NUMBER = re.compile(rb"\sr=\"([0-9]{1,7})\"")
_COL_RANGE = re.compile(rb'min="(\d+)"[^>]*?max="(\d+)"|max="(\d+)"[^>]*?min="(\d+)"')


def read_workbook(path: Path, kind: str) -> list[SheetData]:
    """All worksheets of an .xlsx, .xls or .csv file, or the tables of a web page."""
    if kind == "xlsx":
        return _read_xlsx(path)
    if kind == "xls":
        return _read_xls(path)
    if kind == "csv":
        return [_read_csv(path)]
    if kind == "html":
        return read_web_tables(path)
    raise FileProblem("file-format-unsupported", f"不支持的文件类型“{kind}”")


# ---- xlsx: calamine for values, the sheet XML for formats, formulas and hidden columns -------


def _read_xlsx(path: Path) -> list[SheetData]:
    from python_calamine import CalamineWorkbook

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileProblem("file-corrupt", "文件已损坏或不是 Excel 工作簿，无法读取") from None
    with archive:
        try:
            sheet_paths = _xlsx_sheet_paths(archive)
            styles = _xlsx_number_styles(archive)
            _check_shared_strings(archive)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, EOFError, OSError):
            raise FileProblem("file-corrupt", "文件已损坏或不是 Excel 工作簿，无法读取") from None
        try:
            # calamine picks its reader by the name: a workbook named .xls, .et or .xltx is
            # handed over as the content it is.
            workbook = (
                CalamineWorkbook.from_path(str(path))
                if path.suffix.lower() in (".xlsx", ".xlsm")
                else CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
            )
        except BaseException as exc:  # calamine raises its own error types (and panics)
            _reraise_unless_calamine(exc)
            raise damaged("Excel 工作簿", exc) from None
        sheets: list[SheetData] = []
        try:
            for meta in workbook.sheets_metadata:
                if str(meta.typ).split(".")[-1] != "WorkSheet":
                    continue
                data = SheetData(
                    name=meta.name, rows=[], hidden=str(meta.visible).split(".")[-1] != "Visible"
                )
                xml_path = sheet_paths.get(meta.name)
                survey = _Survey()
                if xml_path is not None:
                    survey = _survey_sheet(archive, xml_path, meta.name, styles, data)
                if survey.dense():
                    try:
                        sheet = workbook.get_sheet_by_name(meta.name)
                        data.rows = sheet.to_python(skip_empty_area=False)
                        data.merged = [
                            (r1, c1, r2, c2)
                            for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()
                        ]
                    except BaseException as exc:
                        _reraise_unless_calamine(exc)
                        raise _sheet_corrupt(meta.name, str(exc)) from None
                else:
                    _read_sparse(path, archive, xml_path or "", survey, data)
                apply_scales(data)
                sheets.append(data)
        finally:
            workbook.close()
    return sheets


def _reraise_unless_calamine(exc: BaseException) -> None:
    """Let interrupts through; calamine's errors and Rust panics (PanicException) are ours."""
    if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return
    raise exc


def _check_shared_strings(archive: zipfile.ZipFile) -> None:
    """Refuse a shared-strings part too large to hold; stream it to catch a lying size."""
    try:
        info = archive.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        raise FileProblem(
            "file-too-large",
            f"文件中的文本解压后超过 {MAX_SHARED_STRINGS_BYTES >> 20} MB，"
            "超出了申报名单可能的大小，未读取",
        )
    # zipfile stops at the declared size and checks the CRC; the Rust reader trusts neither.
    with archive.open(info) as handle:
        try:
            for _ in _segments(handle):
                pass
        except _TextRunTooLong:
            raise FileProblem(
                "file-too-large", f"文件中{_TEXT_RUN_WORDS}，不像是申报名单，未读取"
            ) from None


@dataclass(slots=True)
class _Survey:
    """What a sheet's XML holds: how many cells, and the last row and column used (0-based)."""

    cells: int = 0
    max_row: int = -1
    max_col: int = -1
    refless: bool = False

    def dense(self) -> bool:
        """Whether the whole used range (from A1) may be allocated at once."""
        area = (self.max_row + 1) * (self.max_col + 1)
        return area <= max(2 * self.cells, DENSE_FLOOR)

    def count(self, cells: int, sheet: str) -> None:
        self.cells += cells
        if self.cells > MAX_SHEET_CELLS:
            raise _too_large(sheet, f"有超过 {MAX_SHEET_CELLS // 10_000} 万个单元格")

    def check_extent(self, sheet: str) -> None:
        if self.max_col >= MAX_COLUMNS or self.max_row >= MAX_ROWS:
            where = cell_ref(min(self.max_row, 99_999_999), min(self.max_col, 10**6))
            raise _sheet_corrupt(sheet, f"单元格位置 {where} 超出了 Excel 的范围")


def _survey_sheet(
    archive: zipfile.ZipFile, xml_path: str, sheet: str, styles: NumberStyles, data: SheetData
) -> _Survey:
    """Count the cells and find the used range of one sheet, streamed, with the cell facts.

    Memory stays bounded by the segment size whatever the XML holds; too many cells stop the
    read as soon as they are counted.
    """
    try:
        info = archive.getinfo(xml_path)
        if info.file_size > MAX_SHEET_XML_BYTES:
            raise _too_large(sheet, f"解压后超过 {MAX_SHEET_XML_BYTES >> 30} GB")
        with archive.open(info) as handle:
            survey = _survey_with_references(_segments(handle), sheet, styles, data)
        if survey.refless:
            data.percent_cells.clear()
            data.scaled_cells.clear()
            data.formula_cells.clear()
            data.picture_cells.clear()
            data.error_cells.clear()
            data.hidden_cols.clear()
            data.hidden_rows.clear()
            with archive.open(info) as handle:
                survey = _survey_without_references(handle, sheet, styles, data)
    except _TextRunTooLong:
        raise _too_large(sheet, _TEXT_RUN_WORDS) from None
    except (zipfile.BadZipFile, EOFError, OSError, ElementTree.ParseError) as exc:
        raise _sheet_corrupt(sheet, str(exc) or type(exc).__name__) from None
    survey.check_extent(sheet)
    return survey


class _TextRunTooLong(Exception):
    """A run of text longer than any cell can hold (a bomb: 400 MB in one cell)."""


_TEXT_RUN_WORDS = "有单元格的文字远超 Excel 每格 32,767 个字符的上限"


def _segments(handle: IO[bytes]) -> Iterator[bytes]:
    """The XML in pieces of a few MB, each ending after a row (or a tag, for a huge row)."""
    pending = b""
    while True:
        block = handle.read(_SEGMENT_BYTES)
        if not block:
            if pending:
                yield pending
            return
        pending += block
        cut = pending.rfind(_ROW_END)
        if cut >= 0:
            cut += len(_ROW_END)
        elif len(pending) >= _SEGMENT_BYTES:
            # Megabytes since the last tag opened: no cell holds that much text (measured
            # from "<", as text may hold ">").
            if len(pending) - pending.rfind(b"<") > _SEGMENT_BYTES:
                raise _TextRunTooLong()
            cut = pending.rfind(b">") + 1
        if cut > 0:
            yield pending[:cut]
            pending = pending[cut:]


@lru_cache(maxsize=256)
def _beyond(max_col: int, max_row: int) -> re.Pattern[bytes]:
    """Cell references past column MAX_COL or row MAX_ROW (0-based), or malformed ones."""
    letters = column_letter(max_col)
    cols = [f"[A-Z]{{{len(letters) + 1},}}"]
    for i, ch in enumerate(letters):
        if ch != "Z":
            rest = len(letters) - i - 1
            cols.append(
                letters[:i] + f"[{chr(ord(ch) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else "")
            )
    digits = str(max_row + 1)
    rows = [f"[1-9][0-9]{{{len(digits)},}}"]
    for i, ch in enumerate(digits):
        if ch != "9":
            rest = len(digits) - i - 1
            rows.append(digits[:i] + f"[{int(ch) + 1}-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return re.compile(
        rb'<c r="(?:(?![A-Z]{1,3}[1-9][0-9]{0,6}")|(?:'
        + "|".join(cols).encode()
        + rb")[0-9]|[A-Z]+(?:"
        + "|".join(rows).encode()
        + rb')")'
    )


def _survey_with_references(
    segments: Iterator[bytes], sheet: str, styles: NumberStyles, data: SheetData
) -> _Survey:
    """Survey of a sheet whose cells all carry r="A1" references (else marked refless)."""
    survey = _Survey()
    styled = None
    if styles:
        alternatives = b"|".join(str(i).encode() for i in sorted(styles))
        styled = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(' + alternatives + rb')"')
    in_header = True
    for xml in segments:
        if in_header:
            cols_end = xml.find(b"<sheetData")
            _scan_hidden_columns(xml, cols_end if cols_end >= 0 else len(xml), data)
            in_header = cols_end < 0
        opened = xml.count(b"<c ")
        if survey.refless or b"<c>" in xml or b"<c/>" in xml or opened != xml.count(b'<c r="'):
            # Positions are counted by the reference-less survey; counting here first refuses
            # a bomb at the speed of bytes.count rather than of the XML parser.
            survey.refless = True
            survey.count(opened + xml.count(b"<c>") + xml.count(b"<c/>"), sheet)
            continue
        if not opened:
            continue
        survey.count(opened, sheet)
        # The last reference bounds a well-ordered segment; one pass finds any cell beyond it.
        last = _VALID_REF.match(xml, xml.rfind(b'<c r="'))
        col = survey.max_col
        row = survey.max_row
        if last is not None:
            col = max(col, column_index(last.group(1)))
            row = max(row, int(last.group(2)) - 1)
        for match in _beyond(max(col, 0), max(row, 0)).finditer(xml):
            ref = _VALID_REF.match(xml, match.start())
            if ref is None:
                shown = xml[match.start() + 6 : match.start() + 26].split(b'"')[0]
                raise _sheet_corrupt(
                    sheet,
                    f"单元格位置“{shown.decode('utf-8', 'replace')}”无效或超出了 Excel 的范围",
                )
            col = max(col, column_index(ref.group(1)))
            row = max(row, int(ref.group(2)) - 1)
        survey.max_col, survey.max_row = col, row
        survey.check_extent(sheet)
        _scan_cell_facts(xml, styled, styles, data)
        if b'hidden="' in xml:
            for match in _HIDDEN_ROW.finditer(xml):
                number = _ROW_NUMBER.search(match.group(0))
                if number is not None:
                    data.hidden_rows.add(int(number.group(1)) - 1)
    return survey


def _scan_hidden_columns(xml: bytes, end: int, data: SheetData) -> None:
    for match in _HIDDEN_COL.finditer(xml, 0, end):
        bounds = _COL_RANGE.search(match.group(0))
        if bounds:
            low = int(bounds.group(1) or bounds.group(4))
            high = int(bounds.group(2) or bounds.group(3))
            data.hidden_cols.update(range(low - 1, min(high, MAX_COLUMNS)))


def _scan_cell_facts(
    xml: bytes, styled: re.Pattern[bytes] | None, styles: NumberStyles, data: SheetData
) -> None:
    """Percent- and scale-formatted cells, error cells and formulas without cached values of
    a segment."""
    if styled is not None:
        for match in styled.finditer(xml):
            note_style(data, (int(match.group(2)) - 1, column_index(match.group(1))),
                        styles[int(match.group(3))])  # fmt: skip
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            key = (int(match.group(2)) - 1, column_index(match.group(1)))
            data.error_cells[key] = match.group(3).decode("utf-8", "replace")
    if b"<f" in xml:
        for match in _FORMULA_CELL.finditer(xml):
            attributes = match.group(3)
            if b't="str"' in attributes and match.group(4) != b"</c>":
                continue  # a formula whose cached result is the empty string
            key = (int(match.group(2)) - 1, column_index(match.group(1)))
            data.formula_cells.add(key)
            if b"DISPIMG(" in match.group(0):
                data.picture_cells.add(key)


_ROW_TAG = f"{_NS_MAIN}row"
_CELL_TAG = f"{_NS_MAIN}c"
_COL_TAG = f"{_NS_MAIN}col"
_SHEET_DATA_TAG = f"{_NS_MAIN}sheetData"
_LOOSE_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


def _survey_without_references(
    handle: IO[bytes], sheet: str, styles: NumberStyles, data: SheetData
) -> _Survey:
    """Survey of sheet XML whose cells lack r attributes (positions counted), streamed."""
    survey = _Survey(refless=True)
    sheet_data = None
    row_index = -1
    col_index = -1
    for event, elem in ElementTree.iterparse(handle, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == _ROW_TAG:
                number = elem.get("r")
                if number is None:
                    row_index += 1
                elif number.isdigit() and 0 < int(number) <= MAX_ROWS:
                    row_index = int(number) - 1
                else:
                    raise _sheet_corrupt(sheet, f"行号“{number[:20]}”无效")
                col_index = -1
                if elem.get("hidden") in ("1", "true"):
                    data.hidden_rows.add(row_index)
            elif tag == _SHEET_DATA_TAG:
                sheet_data = elem
            continue
        if tag == _CELL_TAG:
            ref = elem.get("r")
            if ref:
                match = _LOOSE_REF.fullmatch(ref)
                if match is None:
                    raise _sheet_corrupt(sheet, f"单元格位置“{ref[:20]}”无效")
                col_index = column_index(match.group(1).upper())
                row_index = int(match.group(2)) - 1
            else:
                col_index += 1
            survey.count(1, sheet)
            survey.max_row = max(survey.max_row, row_index)
            survey.max_col = max(survey.max_col, col_index)
            survey.check_extent(sheet)
            style = elem.get("s")
            if style is not None and style.isdigit() and int(style) in styles:
                note_style(data, (row_index, col_index), styles[int(style)])
            value = elem.find(f"{_NS_MAIN}v")
            if elem.get("t") == "e":
                data.error_cells[(row_index, col_index)] = (
                    (value.text or "") if value is not None else ""
                )
            formula = elem.find(f"{_NS_MAIN}f")
            if formula is not None and (
                value is None or (not value.text and elem.get("t") != "str")
            ):
                data.formula_cells.add((row_index, col_index))
                if "DISPIMG(" in (formula.text or ""):
                    data.picture_cells.add((row_index, col_index))
            elem.clear()
        elif tag == _ROW_TAG:
            # Rows hold at most 16,384 cleared cells; dropping them keeps memory flat.
            if sheet_data is not None:
                sheet_data.clear()
            else:
                elem.clear()
        elif tag == _COL_TAG and elem.get("hidden") in ("1", "true"):
            low, high = elem.get("min", ""), elem.get("max", "")
            if low.isdigit() and high.isdigit():
                data.hidden_cols.update(range(int(low) - 1, min(int(high), MAX_COLUMNS)))
    return survey


def _read_sparse(
    path: Path, archive: zipfile.ZipFile, xml_path: str, survey: _Survey, data: SheetData
) -> None:
    """Values of a sheet whose used range is far larger than its cells, row by row.

    openpyxl's streaming sheet parser gives the cells present (with dates converted by their
    formats); each row is a list only as long as its last cell, empty rows share one tuple.
    """
    import openpyxl
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    sheet = data.name or ""
    rows: list[Any] = [_NO_CELLS] * (survey.max_row + 1)
    slots = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and odd dates it skips
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise _sheet_corrupt(sheet, str(exc)) from None
        try:
            with archive.open(xml_path) as source:
                parser = WorkSheetParser(
                    source,
                    book.shared_strings,
                    data_only=True,
                    epoch=book.epoch,
                    date_formats=book._date_formats,
                    timedelta_formats=book._timedelta_formats,
                )
                for number, cells in parser.parse():
                    present = [c for c in cells if c["value"] is not None]
                    if not present:
                        continue
                    width = max(c["column"] for c in present)
                    slots += width
                    if slots > MAX_SPARSE_SLOTS:
                        raise _too_large(
                            sheet,
                            f"的内容分散在很大的区域（远至 {cell_ref(survey.max_row, survey.max_col)}）",
                        )
                    values: list[Any] = [""] * width
                    for cell in present:
                        values[cell["column"] - 1] = _sparse_value(cell)
                    if not 0 < number <= len(rows):
                        raise _sheet_corrupt(sheet, f"行号 {number} 无效")
                    rows[number - 1] = values
                merged = parser.merged_cells.mergeCell if parser.merged_cells else ()
                for cells_range in merged:
                    c1, r1, c2, r2 = range_boundaries(cells_range.ref)
                    data.merged.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
        except FileProblem:
            raise
        except Exception as exc:
            raise _sheet_corrupt(sheet, str(exc)) from None
        finally:
            book.close()
    data.rows = rows


def _sparse_value(cell: dict[str, Any]) -> Any:
    """A cell as calamine gives it: numbers as float, midnight datetimes as dates."""
    value = cell["value"]
    kind = cell["data_type"]
    if kind == "e":
        return ""
    if kind == "n" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    paths = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets:
            paths[sheet.get("name", "")] = targets[rid]
    return paths


def _xlsx_number_styles(archive: zipfile.ZipFile) -> NumberStyles:
    """Cell styles (cellXfs indexes) whose number format shows a percent or a scaled number."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return {}
    formats: dict[int, Scale | str] = dict.fromkeys(_BUILTIN_PERCENT_FORMATS, PERCENT)
    for fmt in styles.iter(f"{_NS_MAIN}numFmt"):
        style = number_style(fmt.get("formatCode", ""))
        if style is not None:
            formats[int(fmt.get("numFmtId", "-1"))] = style
    cell_xfs = styles.find(f"{_NS_MAIN}cellXfs")
    if cell_xfs is None:
        return {}
    found: NumberStyles = {}
    for index, xf in enumerate(cell_xfs.iter(f"{_NS_MAIN}xf")):
        style = formats.get(int(xf.get("numFmtId", "0")))
        if style is not None:
            found[index] = style
    return found


def _read_xls(path: Path) -> list[SheetData]:
    import xlrd

    try:
        # Ragged rows: each row only as long as its cells, whatever DIMENSIONS or a far cell say.
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True)
    except xlrd.biffh.XLRDError as exc:
        text = str(exc)
        if "encrypt" in text.lower():
            raise FileProblem(
                "file-encrypted",
                "文件已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存再导入",
            ) from None
        raise damaged("旧版 Excel 工作簿（.xls）", text) from None
    except Exception as exc:
        raise damaged("旧版 Excel 工作簿（.xls）", exc) from None
    try:
        number_xf: NumberStyles = {}
        for index, xf in enumerate(book.xf_list):
            fmt = book.format_map.get(xf.format_key)
            style = number_style(fmt.format_str or "") if fmt is not None else None
            if style is not None:
                number_xf[index] = style
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows: list[list[Any]] = []
            data = SheetData(name=sheet.name, rows=rows)
            error_cells: dict[tuple[int, int], str] = {}
            cells = 0
            for r in range(sheet.nrows):
                row: list[Any] = []
                width = sheet.row_len(r)
                cells += width
                if cells > MAX_SHEET_CELLS:
                    raise _too_large(sheet.name, f"有超过 {MAX_SHEET_CELLS // 10_000} 万个单元格")
                for c in range(width):
                    cell = sheet.cell(r, c)
                    ctype = cell.ctype
                    if ctype == xlrd.XL_CELL_DATE:
                        value: Any = xlrd.xldate_as_datetime(cell.value, book.datemode)
                        if value.time() == datetime.min.time():
                            value = value.date()
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(cell.value)
                    elif ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = ""
                    elif ctype == xlrd.XL_CELL_ERROR:
                        value = ""
                        error_cells[(r, c)] = xlrd.error_text_from_code.get(cell.value, "#ERROR")
                    else:
                        value = cell.value
                    if ctype == xlrd.XL_CELL_NUMBER and cell.xf_index in number_xf:
                        note_style(data, (r, c), number_xf[cell.xf_index])
                    row.append(value)
                rows.append(row)
            data.merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
            data.error_cells = error_cells
            data.hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
            data.hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
            data.hidden = bool(sheet.visibility)
            apply_scales(data)
            sheets.append(data)
            book.unload_sheet(index)
        return sheets
    except FileProblem:
        raise
    except Exception as exc:
        raise damaged("旧版 Excel 工作簿（.xls）", exc) from None
    finally:
        book.release_resources()


# ---- csv: UTF-8 (with or without BOM) or GB18030, detected -----------------------------------


def _read_csv(path: Path) -> SheetData:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise FileProblem(
                "file-too-large",
                f"文件有 {size / 1e6:,.0f} MB，超过 {MAX_TEXT_BYTES >> 20} MB，"
                "超出了申报名单可能的大小，未读取",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(exc) from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("file-corrupt", "文件不是文本格式的 CSV，无法读取")
    text, _ = decode_text(data)
    del data
    delimiter = _delimiter(text[:20000].splitlines()[:20])
    if text.count(delimiter) + text.count("\n") + text.count("\r") > MAX_SHEET_CELLS:
        raise FileProblem(
            "sheet-too-large",
            f"文件有超过 {MAX_SHEET_CELLS // 10_000} 万个单元格，超出了申报名单可能的大小"
            "（最多约 10 万行 × 100 列），未读取：请确认文件是否正确"
            + _widest_line_hint(text, delimiter),
        )
    reader = csv.reader(_csv_lines(text, delimiter), delimiter=delimiter)
    try:
        rows = [list(row) for row in reader]
    except csv.Error as exc:
        if "field limit" in str(exc):
            limit = csv.field_size_limit()
            raise FileProblem(
                "cell-too-large",
                f"第 {reader.line_num} 行有一个单元格超过 {limit:,} 个字符，不像是申报数据，无法读取",
            ) from None
        raise FileProblem("file-corrupt", f"第 {reader.line_num} 行无法读取（{exc}）") from None
    return SheetData(name=None, rows=rows, delimited=True)


# A header cell names something: it holds a letter or a Chinese character (a figure need not).
_WORDY = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def _delimiter(lines: list[str]) -> str:
    """The separator the lines agree on: a comma, tab, semicolon or bar, whichever splits the
    most lines into the same number of cells (two or more), a header of named cells among
    them. A list in one cell (专利1;专利2) or a figure with a comma in a semicolon file
    (1,234.50) splits only some lines, and a title line none; a tie keeps the comma."""
    best, best_score = ",", (0, 0)
    for candidate in (",", "\t", ";", "|"):
        try:
            parsed = [row for row in csv.reader(lines, delimiter=candidate) if any(row)]
        except csv.Error:
            continue
        widths = Counter(len(row) for row in parsed if len(row) > 1)
        named = max((sum(1 for cell in row if _WORDY.search(cell)) for row in parsed), default=0)
        if not widths or named < 2:
            continue
        width, agreeing = widths.most_common(1)[0]
        score = (agreeing, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_lines(text: str, delimiter: str) -> Iterator[str]:
    """Lines of the text (line ends kept), refusing one wider than Excel allows."""
    if text.count("\r") != text.count("\r\n"):
        lines: Iterator[str] = iter(io.StringIO(text, newline=""))  # old Mac line ends
    else:
        lines = _split_lines(text)
    for number, line in enumerate(lines, start=1):
        if line.count(delimiter) >= MAX_COLUMNS:
            raise FileProblem(
                "sheet-too-large",
                f"第 {number} 行有超过 {MAX_COLUMNS:,} 列（Excel 的列数上限），"
                "超出了申报名单可能的大小，未读取：请确认文件是否正确",
            )
        yield line


def _split_lines(text: str) -> Iterator[str]:
    """Lines ending in "\n" without copying the text whole (io.StringIO holds 4 bytes a char)."""
    start = 0
    end_of_text = len(text)
    while start < end_of_text:
        end = text.find("\n", start)
        end = end_of_text if end < 0 else end + 1
        yield text[start:end]
        start = end


def _widest_line_hint(text: str, delimiter: str) -> str:
    """Which line is absurdly wide, when one is (a file of many short lines says nothing)."""
    for number, line in enumerate(_split_lines(text[: 64 << 20]), start=1):
        if line.count(delimiter) >= MAX_COLUMNS:
            return f"（第 {number} 行有超过 {MAX_COLUMNS:,} 列）"
        if number > 1000:
            break
    return ""
