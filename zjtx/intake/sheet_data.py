"""A worksheet as a grid of values and cell facts, its cell references, FileProblem, and a
text file's decoding."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class FileProblem(Exception):
    """A file that cannot be read at all: a kebab-case code, a Chinese message, the sheet."""

    def __init__(self, code: str, message: str, sheet: str | None = None) -> None:
        self.code = code
        self.message = message
        self.sheet = sheet
        super().__init__(message)


def unreadable(exc: OSError) -> FileProblem:
    """A file the system would not let us read, in Chinese (never the system's English)."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        text = (
            "没有权限读取，或文件正被其他程序（如 WPS、Excel）占用：请关闭占用它的程序，"
            "或把文件复制到自己的文件夹后再导入"
        )
    elif exc.errno == errno.EISDIR:
        text = "这是文件夹，不是文件"
    elif exc.errno == errno.ENAMETOOLONG:
        text = "文件名或路径太长：请把文件移到路径较短的文件夹，或缩短文件名"
    else:
        text = f"读取时出错（系统错误代码 {exc.errno}）：请把文件复制到本机后再导入"
    return FileProblem("file-unreadable", f"无法读取文件：{text}")


def damaged(what: str, detail: object) -> FileProblem:
    """A file its reader could not make sense of: said in Chinese; the reader's own words
    (English, from the library) go to the log only."""
    import logging

    logging.getLogger("zjtx.intake").warning("%s无法读取：%s", what, detail)
    return FileProblem(
        "file-corrupt",
        f"文件已损坏或不完整，无法作为{what}读取：请在 Excel 或 WPS 中打开它、另存后再导入，"
        "或向企业重新索取",
    )


def _too_large(sheet: str, what: str) -> FileProblem:
    return FileProblem(
        "sheet-too-large",
        f"工作表“{sheet}”{what}，超出了申报名单可能的大小（最多约 10 万行 × 100 列），未读取："
        "请确认文件是否正确，或在 Excel 中删除多余的行、列和内容后另存再导入",
        sheet,
    )


def _sheet_corrupt(sheet: str, what: str) -> FileProblem:
    return FileProblem("file-corrupt", f"工作表“{sheet}”已损坏，无法读取（{what}）", sheet)


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
    picture_cells: set[tuple[int, int]] = field(default_factory=set)  # WPS's =DISPIMG(…)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # #N/A, #DIV/0!...
    hidden_cols: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)  # by hand or by a filter
    hidden: bool = False
    # Numbers whose format shows them smaller (0!.0000"万元"): their Scale as found, then the
    # number_formats.Scaled of those apply_scales has put in what they show.
    scaled_cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    # Read from delimited text (CSV): a row wider than its header has shifted values.
    delimited: bool = False
    # A money unit noted just outside the grid (the paragraph above a Word table): the unit,
    # the note as written and where it is (第5段).
    unit_note: tuple[str, str, str] | None = None
    # How positions are written: "a1" (C5), "table" (第3行第2列 of a Word table) or
    # "paragraph" (第5段 of a Word document's text, row r being paragraph row_numbers[r]).
    ref_style: str = "a1"
    row_numbers: list[int] = field(default_factory=list)
    # "cells": rows of (label, answer) written together in a Word table's cells, row r from
    # the table's cell cell_refs[r] (研发机构级别：省级).
    cell_refs: list[tuple[int, int]] = field(default_factory=list)


def sheet_ref(sheet: SheetData, row: int, col: int) -> str:
    """A 0-based cell's position as the evaluator finds it: C5, 第3行第2列 or 第5段."""
    if sheet.ref_style == "table":
        return f"第{row + 1}行第{col + 1}列"
    if sheet.ref_style == "paragraph":
        return f"第{sheet.row_numbers[row]}段"
    if sheet.ref_style == "cells":
        r, c = sheet.cell_refs[row]
        return f"第{r + 1}行第{c + 1}列"
    return cell_ref(row, col)


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
