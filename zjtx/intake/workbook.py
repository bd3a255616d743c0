"""Open .xlsx/.xls/.csv files as grids of cell values plus the cell facts calamine cannot give."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT_FORMATS = {9, 10}
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_FORMULA = rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)"
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>\s*' + _FORMULA + rb"\s*(<v\s*/>|<v>\s*</v>|</c>)"
)
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\st="e"[^>]*>\s*(?:' + _FORMULA + rb")?\s*<v>([^<]*)</v>"
)
_HIDDEN_COL = re.compile(rb"<col\s[^>]*?hidden=\"(?:1|true)\"[^>]*>")
_COL_RANGE = re.compile(rb'min="(\d+)"[^>]*?max="(\d+)"|max="(\d+)"[^>]*?min="(\d+)"')


class FileProblem(Exception):
    """A file that cannot be read at all: a kebab-case code and a Chinese message."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(slots=True)
class SheetData:
    """One worksheet: rows of raw values (row 0 is sheet row 1) and cell facts.

    Values are str, float, int, bool, date, datetime or "" for an empty cell.
    """

    name: str | None
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # formulas never calculated
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # #N/A, #DIV/0!...
    hidden_cols: set[int] = field(default_factory=set)
    hidden: bool = False


def column_letter(index: int) -> str:
    """0-based column index to Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """Excel letters to a 0-based column index."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1


def cell_ref(row: int, col: int) -> str:
    """0-based row and column to an A1 reference."""
    return f"{column_letter(col)}{row + 1}"


def detect_kind(path: Path) -> str:
    """'xlsx', 'xls', 'csv' or 'json' by content (and extension for text files)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise FileProblem("file-not-found", "文件不存在") from None
    except OSError as exc:
        raise FileProblem("file-unreadable", f"无法打开文件：{exc.strerror}") from None
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        if suffix in (".xlsx", ".xlsm", ".xls", ""):
            return "xlsx"
        raise FileProblem("file-format-unsupported", f"不支持的文件类型“{suffix}”")
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise FileProblem(
                "file-encrypted",
                "文件已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存再导入",
            )
        return "xls"
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".xlsx", ".xls", ".xlsm"):
        raise FileProblem("file-corrupt", "文件已损坏或不是 Excel 工作簿，无法读取")
    raise FileProblem("file-format-unsupported", f"不支持的文件类型“{suffix or '无扩展名'}”")


def read_workbook(path: Path, kind: str) -> list[SheetData]:
    """All worksheets of an .xlsx, .xls or .csv file."""
    if kind == "xlsx":
        return _read_xlsx(path)
    if kind == "xls":
        return _read_xls(path)
    if kind == "csv":
        return [_read_csv(path)]
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
            percent_styles = _xlsx_percent_styles(archive)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
            raise FileProblem("file-corrupt", "文件已损坏或不是 Excel 工作簿，无法读取") from None
        try:
            workbook = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for broken files
            raise FileProblem("file-corrupt", f"文件已损坏，无法读取（{exc}）") from None
        sheets: list[SheetData] = []
        try:
            for meta in workbook.sheets_metadata:
                if str(meta.typ).split(".")[-1] != "WorkSheet":
                    continue
                try:
                    sheet = workbook.get_sheet_by_name(meta.name)
                    rows = sheet.to_python(skip_empty_area=False)
                    merged = [
                        (r1, c1, r2, c2) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()
                    ]
                except Exception as exc:
                    raise FileProblem(
                        "file-corrupt", f"工作表“{meta.name}”已损坏，无法读取（{exc}）"
                    ) from None
                data = SheetData(
                    name=meta.name,
                    rows=rows,
                    merged=merged,
                    hidden=str(meta.visible).split(".")[-1] != "Visible",
                )
                xml_path = sheet_paths.get(meta.name)
                if xml_path is not None:
                    _scan_sheet_xml(archive.read(xml_path), percent_styles, data)
                sheets.append(data)
        finally:
            workbook.close()
    return sheets


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


def _xlsx_percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of cell styles (cellXfs) whose number format shows a percent."""
    try:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent_formats = set(_BUILTIN_PERCENT_FORMATS)
    for fmt in styles.iter(f"{_NS_MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
        if "%" in code:
            percent_formats.add(int(fmt.get("numFmtId", "-1")))
    cell_xfs = styles.find(f"{_NS_MAIN}cellXfs")
    if cell_xfs is None:
        return set()
    return {
        index
        for index, xf in enumerate(cell_xfs.iter(f"{_NS_MAIN}xf"))
        if int(xf.get("numFmtId", "0")) in percent_formats
    }


def _scan_sheet_xml(xml: bytes, percent_styles: set[int], data: SheetData) -> None:
    """Find percent-formatted cells, formulas without cached values and hidden columns."""
    cols_end = xml.find(b"<sheetData")
    for match in _HIDDEN_COL.finditer(xml, 0, cols_end if cols_end > 0 else len(xml)):
        bounds = _COL_RANGE.search(match.group(0))
        if bounds:
            low = int(bounds.group(1) or bounds.group(4))
            high = int(bounds.group(2) or bounds.group(3))
            data.hidden_cols.update(range(low - 1, min(high, 16384)))
    if b"<c>" in xml or (b"<c " in xml and len(_CELL_REF.findall(xml[:200000])) == 0):
        # Cells without references (some script writers): fall back to positions by count.
        _scan_sheet_xml_slow(xml, percent_styles, data)
        return
    if percent_styles:
        alternatives = b"|".join(str(i).encode() for i in sorted(percent_styles))
        pattern = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + alternatives + rb')"')
        for match in pattern.finditer(xml):
            data.percent_cells.add((int(match.group(2)) - 1, column_index(match.group(1))))
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            key = (int(match.group(2)) - 1, column_index(match.group(1)))
            data.error_cells[key] = match.group(3).decode("utf-8", "replace")
    if b"<f" in xml:
        for match in _FORMULA_CELL.finditer(xml):
            attributes = match.group(3)
            if b't="str"' in attributes and match.group(4) != b"</c>":
                continue  # a formula whose cached result is the empty string
            data.formula_cells.add((int(match.group(2)) - 1, column_index(match.group(1))))


def _scan_sheet_xml_slow(xml: bytes, percent_styles: set[int], data: SheetData) -> None:
    """Cell facts for sheet XML whose cells lack r attributes (positions counted)."""
    root = ElementTree.fromstring(xml)
    sheet_data = root.find(f"{_NS_MAIN}sheetData")
    if sheet_data is None:
        return
    row_index = -1
    for row in sheet_data.iter(f"{_NS_MAIN}row"):
        row_index = int(row.get("r")) - 1 if row.get("r") else row_index + 1
        col_index = -1
        for cell in row.iter(f"{_NS_MAIN}c"):
            ref = cell.get("r")
            if ref:
                letters = "".join(ch for ch in ref if ch.isalpha())
                col_index = column_index(letters)
            else:
                col_index += 1
            style = cell.get("s")
            if style is not None and int(style) in percent_styles:
                data.percent_cells.add((row_index, col_index))
            if cell.get("t") == "e":
                value = cell.find(f"{_NS_MAIN}v")
                data.error_cells[(row_index, col_index)] = (
                    (value.text or "") if value is not None else ""
                )
            formula = cell.find(f"{_NS_MAIN}f")
            if formula is not None:
                value = cell.find(f"{_NS_MAIN}v")
                if value is None or (not value.text and cell.get("t") != "str"):
                    data.formula_cells.add((row_index, col_index))


# ---- xls: xlrd keeps formats and merged cells -------------------------------------------------


def _read_xls(path: Path) -> list[SheetData]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        text = str(exc)
        if "encrypt" in text.lower():
            raise FileProblem(
                "file-encrypted",
                "文件已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存再导入",
            ) from None
        raise FileProblem("file-corrupt", f"无法读取 .xls 文件（{text}）") from None
    except Exception as exc:
        raise FileProblem("file-corrupt", f"文件已损坏，无法读取（{exc}）") from None
    try:
        percent_xf = set()
        for index, xf in enumerate(book.xf_list):
            fmt = book.format_map.get(xf.format_key)
            if fmt is not None and "%" in re.sub(r'"[^"]*"|\\.', "", fmt.format_str or ""):
                percent_xf.add(index)
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows: list[list[Any]] = []
            percent_cells: set[tuple[int, int]] = set()
            error_cells: dict[tuple[int, int], str] = {}
            for r in range(sheet.nrows):
                row: list[Any] = []
                for c in range(sheet.ncols):
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
                    if ctype == xlrd.XL_CELL_NUMBER and cell.xf_index in percent_xf:
                        percent_cells.add((r, c))
                    row.append(value)
                rows.append(row)
            hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
            sheets.append(
                SheetData(
                    name=sheet.name,
                    rows=rows,
                    merged=[(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells],
                    percent_cells=percent_cells,
                    error_cells=error_cells,
                    hidden_cols=hidden_cols,
                    hidden=bool(sheet.visibility),
                )
            )
            book.unload_sheet(index)
        return sheets
    finally:
        book.release_resources()


# ---- csv: UTF-8 (with or without BOM) or GB18030, detected -----------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file: UTF-8 first (it fails loudly), then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FileProblem("file-encoding", "无法识别 CSV 文件的编码：请另存为 UTF-8 或 GBK 编码")
    return str(best), best.encoding


def _read_csv(path: Path) -> SheetData:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem("file-unreadable", f"无法读取文件：{exc.strerror}") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("file-corrupt", "文件不是文本格式的 CSV，无法读取")
    text, _ = decode_text(data)
    sample = text[:20000]
    delimiter = ","
    first_lines = sample.splitlines()[:20]
    counts = {d: sum(line.count(d) for line in first_lines) for d in (",", "\t", ";", "|")}
    if counts[","] == 0:
        delimiter = max(counts, key=lambda d: counts[d])
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return SheetData(name=None, rows=rows)
