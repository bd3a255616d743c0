"""Read a published list of recognised enterprises (公示名单, 认定名单…) from .xlsx/.xls/.csv/.docx."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from zjtx.domain.names import normalise_name
from zjtx.domain.region import is_division
from zjtx.domain.uscc import validate_uscc
from zjtx.intake.cell_text import control_characters, shown_text
from zjtx.intake.file_kind import detect_kind
from zjtx.intake.headers import clean
from zjtx.intake.sheet_data import FileProblem, SheetData
from zjtx.intake.workbook import read_workbook

HEADER_SCAN_ROWS = 30  # a list's header sits below its title, a few rows at most
NAME_LIMIT = 300  # RegistryEntry.name
# Headers a list names its columns with, beside the field catalogue's aliases.
EXTRA_HEADERS = {
    "name": ("企业名单", "企业名称", "单位名称", "名称", "企业", "公司名称", "申报单位名称"),
    "uscc": ("统一社会信用代码", "社会统一信用代码", "信用代码"),
    "city": (
        *("设区市", "地市", "所在地市", "所在市", "市", "地区", "所属市", "市州", "所在地区"),
        *("所属地区", "所在城市", "城市", "所属城市", "所在地"),
    ),
    "county": ("县（市、区）", "县(市、区)", "区县", "县区", "县市区", "所在县区", "县（区）"),
    # The year of the row's recognition: in a consolidated list, or the one a 撤销 list revokes.
    "year": ("认定年度", "认定年份", "认定时间", "原认定年度", "原认定年份", "原认定时间"),
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SKIP_NAMES = frozenset({"合计", "小计", "总计"})
# A header's note in brackets after it: 企业名称（全称）.
_HEADER_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
# Rows of a list that are no enterprise: a count of enterprises (4家, 济南市（2家）), a bare
# place heading a section (鲁中地区, 济南市), a note or total in a cell before the name.
_COUNT = re.compile(r"^\d+\s*家$|[(（]\s*共?\s*\d+\s*家\s*[)）]$")
_REGION_HEADING = re.compile(r"^[\u4e00-\u9fff]{2,4}地区$")  # 鲁中地区, 苏南地区
_ROW_LABELS = frozenset({"合计", "小计", "总计", "注", "备注", "说明", "附注"})
# A footnote mark after a name (带*号的企业为…): not part of the name.
_NAME_MARK = re.compile(r"\s*[*＊※△▲#]+$")
# A former name after the present one: 新名（原旧名）, （原名：…）, （曾用名…）.
_FORMER_NAME = re.compile(r"^(.+?)\s*[(（](?:原名称|原名|曾用名|原)[:：]?\s*(.+?)[)）]$")
# What an enterprise's name ends with, to tell a sheet continuing a list from other content.
_ENTERPRISE_END = re.compile(
    r"(?:公司|厂|集团|中心|研究院|研究所|合作社|事务所|商行|院|所|社|店|场)(?:[(（][^()（）]*[)）])?$"
)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One enterprise of a list as published, and where it stands (sheet row, 1-based)."""

    name: str
    name_key: str
    uscc: str | None
    city: str | None
    county: str | None
    sheet: str | None
    row: int | None  # None for a recommendation of one of our rounds
    year: int | None = None  # the recognition's year when the list gives it per row
    former_name: str | None = None  # 新名（原旧名）: the name it had before


@dataclass(frozen=True, slots=True)
class ListProblem:
    """Why a list (or one of its rows) cannot enter the register, with where."""

    code: str
    message: str
    file: str
    sheet: str | None = None
    row: int | None = None
    grid: str = "工作表"  # what the sheet is: 表格 in a Word document

    def where(self) -> str:
        """文件、工作表、第几行, in Chinese."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"{self.grid}“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        return "，".join(parts)


@dataclass(slots=True)
class PublishedList:
    """A list file read: its title row, its enterprises in order, and the problems found."""

    path: Path
    file_name: str
    sha256: str
    document_title: str = ""
    year_header: str = ""  # the header of a column giving each row's year (认定年度…), if any
    rows: list[ListRow] = field(default_factory=list)
    problems: list[ListProblem] = field(default_factory=list)
    # What was read otherwise than as written or not read, which does not stop the import.
    notes: list[ListProblem] = field(default_factory=list)
    tables: bool = False  # a Word document or a web page: its grids are tables, not sheets


@lru_cache(maxsize=1)
def _header_table() -> dict[str, str]:
    """Cleaned header text -> column role (name, uscc, city, county)."""
    from zjtx.scoring.catalogue import load_catalogue

    catalogue = load_catalogue()
    table: dict[str, str] = {}
    for role, extras in EXTRA_HEADERS.items():
        spec = catalogue.get(role)
        for text in (*(spec.aliases if spec else ()), *extras):
            table.setdefault(clean(text), role)
    return table


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _find_header(sheet: SheetData) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and the column of each role, or None without a name column."""
    table = _header_table()
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            text = clean(_text(value))
            role = table.get(text) or table.get(_HEADER_NOTE.sub("", text))
            if role is not None and role not in columns:
                columns[role] = col
        if "name" in columns:
            return index, columns
    return None


def _title_above(sheet: SheetData, header: int) -> str:
    texts = [_text(v) for row in sheet.rows[:header] for v in row if _text(v)]
    return " ".join(texts)


def read_published_list(path: Path | str) -> PublishedList:
    """Read every sheet of a list file that has a name column (企业名称, 企业名单, 单位名称…).

    Problems (no name column, a name listed twice, an invalid 统一社会信用代码, a file that
    cannot be read) are collected with file, sheet and row; the caller imports nothing then.
    """
    path = Path(path)
    result = PublishedList(path=path, file_name=path.name, sha256="")
    try:
        kind = detect_kind(path)
        if kind == "json":
            raise FileProblem("file-format-unsupported", "名单只能是 xlsx、xls、csv 或 docx 文件")
        result.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        docx = kind == "docx"
        sheets = _read_docx_tables(path, result) if docx else read_workbook(path, kind)
    except FileProblem as problem:
        result.problems.append(ListProblem(problem.code, problem.message, path.name, problem.sheet))
        return result
    result.tables = docx or kind == "html"
    found: tuple[str | None, dict[str, int], set[str]] | None = None
    unread: list[tuple[SheetData, int]] = []
    for sheet in sheets:
        filled = sum(1 for row in sheet.rows if any(_text(v) for v in row))
        header = _find_header(sheet)
        if sheet.hidden:
            if header is not None:  # its rows under the header
                filled -= sum(1 for row in sheet.rows[: header[0] + 1] if any(map(_text, row)))
            if filled:
                _note(result, "list-sheet-hidden", sheet, f"隐藏的工作表，未读取（{filled} 行）："
                      "如其中的企业也在名单中，请取消隐藏后重新导入")  # fmt: skip
            continue
        if header is None:
            if found is not None and _continues(sheet, found[1]["name"]):
                _note(result, "list-sheet-continued", sheet,
                      f"没有表头，按{_grid(result)}“{found[0]}”的表头读取 {filled} 行")  # fmt: skip
                _read_rows(sheet, 0, found[1], found[2], result)
            elif filled:
                unread.append((sheet, filled))
            continue
        index, columns = header
        header_cells = {clean(_text(v)) for v in sheet.rows[index] if _text(v)}
        if found is None:
            found = (sheet.name, columns, header_cells)
        if not result.document_title:
            result.document_title = _title_above(sheet, index)
        if "year" in columns:
            result.year_header = _text(sheet.rows[index][columns["year"]])
        _read_rows(sheet, index + 1, columns, header_cells, result)
    if found is not None:
        for sheet, filled in unread:
            _note(result, "list-sheet-skipped", sheet, f"没有企业名称列，未读取（{filled} 行）")
    hidden = [n.sheet for n in result.notes if n.code == "list-sheet-hidden"]
    if found is None and hidden:
        shown = "、".join(f"“{name}”" for name in hidden)
        result.problems.append(
            ListProblem(
                "list-name-column-missing",
                f"只有隐藏的工作表{shown}列有企业，隐藏的工作表不读取：如其中的企业确在名单中，"
                "请取消隐藏后重新导入",
                path.name,
            )
        )
    elif found is None:
        names = "、".join(EXTRA_HEADERS["name"][:3])
        result.problems.append(
            ListProblem(
                "list-name-column-missing",
                f"找不到企业名称列：前 {HEADER_SCAN_ROWS} 行中没有“{names}”等列名，无法读取名单",
                path.name,
                sheets[0].name if len(sheets) == 1 else None,
            )
        )
    elif not result.rows and not result.problems:
        result.problems.append(
            ListProblem("list-empty", "名单中没有企业：企业名称列下没有一行企业名称", path.name)
        )
    _check_duplicates(result)
    return result


def _read_docx_tables(path: Path, result: PublishedList) -> list[SheetData]:
    """The tables of a Word list (表1, 表2…) as grids; the announcement's title is the text
    above the first table, as Word lists print it (a paragraph, not a table row)."""
    from zjtx.intake.docx_reader import BODY_TEXT, read_docx

    document = read_docx(path)
    for name, message in document.problems:
        result.problems.append(ListProblem("table-ragged", message, path.name, name, grid="表格"))
    result.document_title = _docx_title(path)
    return [sheet for sheet in document.sheets if sheet.name != BODY_TEXT]


def _docx_title(path: Path) -> str:
    """The non-empty paragraphs before the document's first table, joined (at most 200
    characters: a list's title, not a preamble)."""
    from docx import Document

    texts: list[str] = []
    for block in Document(str(path)).iter_inner_content():
        if not hasattr(block, "text"):
            break  # the first table
        if text := _text(block.text):
            texts.append(text)
    return " ".join(texts)[:200]


def _grid(result: PublishedList) -> str:
    """What the list's grids are called: a Word document's or a web page's are 表格, a
    workbook's 工作表."""
    return "表格" if result.tables else "工作表"


def _note(result: PublishedList, code: str, sheet: SheetData, message: str) -> None:
    result.notes.append(
        ListProblem(code, message, result.file_name, sheet.name, grid=_grid(result))
    )


def _continues(sheet: SheetData, name_col: int) -> bool:
    """Whether a sheet without a header carries on a list: every row of it has an
    enterprise's name where the list's header put the name column (a heading such as
    以下企业未通过复核 makes it another table, not read)."""
    names = [
        _text(row[name_col]) if name_col < len(row) else ""
        for row in sheet.rows
        if any(_text(v) for v in row)
    ]
    return bool(names) and all(_ENTERPRISE_END.search(n) for n in names)


def _merged_down(sheet: SheetData, cols: set[int]) -> dict[tuple[int, int], Any]:
    """The top value of each cell a region merged down a block of rows covers."""
    covered: dict[tuple[int, int], Any] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if c1 in cols and c2 == c1 and r2 > r1 and r1 < len(sheet.rows):
            top = sheet.rows[r1][c1] if c1 < len(sheet.rows[r1]) else None
            covered.update({(r, c1): top for r in range(r1 + 1, r2 + 1)})
    return covered


def _not_an_enterprise(row: list[Any], name: str, name_col: int) -> bool:
    """A section heading (一 | 鲁中地区（2家）, 济南市 | 2家), a total (合计 | 4家) or a
    footnote (注： | 带*号的企业为…) in a list's rows."""
    before = {_text(v).rstrip(":：") for v in row[:name_col]}
    return (
        bool(before & _ROW_LABELS)
        or _COUNT.search(name) is not None
        or _REGION_HEADING.match(name) is not None
        or is_division(name)  # 济南市, 吴中区: a place, where a name would be (超市 is not one)
        or name.endswith("。")
        or name.startswith(("注：", "注:", "说明：", "备注："))
    )


def _read_rows(
    sheet: SheetData,
    start: int,
    columns: dict[str, int],
    header_cells: set[str],
    result: PublishedList,
) -> None:
    name_col = columns["name"]
    places = _merged_down(sheet, {columns[k] for k in ("city", "county", "year") if k in columns})
    skipped: list[int] = []
    marks: list[str] = []

    def cell(row: list[Any], role: str, index: int) -> str:
        col = columns.get(role)
        if col is None:
            return ""
        text = _text(row[col]) if col < len(row) else ""
        return text or _text(places.get((index, col)))

    for index in range(start, len(sheet.rows)):
        row = sheet.rows[index]
        name = cell(row, "name", index)
        if not name:
            continue
        filled = [_text(v) for v in row if _text(v)]
        if {clean(v) for v in filled} <= header_cells:
            continue  # the header repeated on a later page
        # A heading spans its row alone; a name beside a city merged down its block does not.
        spanning = (
            len(filled) == 1 and len(columns) > 1 and name_col != 0 and row[0] in ("", None)
        ) and (index, 0) not in places
        if name in _SKIP_NAMES or spanning or _not_an_enterprise(row, name, name_col):
            skipped.append(index + 1)  # a section heading (一、南京市) spanning the row…
            continue
        at = {"file": result.file_name, "sheet": sheet.name, "row": index + 1}
        at["grid"] = _grid(result)
        if mark := _NAME_MARK.search(name):
            marks.append(mark.group().strip())
            name = name[: mark.start()]
        former_name = None
        former = _FORMER_NAME.match(name)
        if former is not None and _ENTERPRISE_END.search(former.group(2)):
            name, former_name = former.group(1), former.group(2)
        if controls := control_characters(name):
            result.problems.append(
                ListProblem(
                    "list-name-control-character",
                    f"企业名称含有不可见的控制字符（{'、'.join(controls)}）："
                    "请在原表中删除这些字符后重新导入",
                    **at,
                )
            )
            continue
        if len(name) > NAME_LIMIT:
            result.problems.append(
                ListProblem(
                    "list-name-too-long",
                    f"企业名称有 {len(name)} 个字符，超过了允许的 {NAME_LIMIT} 个字符",
                    **at,
                )
            )
            continue
        uscc = cell(row, "uscc", index).upper() or None
        if uscc is not None and (problem := validate_uscc(uscc)) is not None:
            result.problems.append(
                ListProblem("list-uscc-invalid", f"企业 “{name}” 的{problem.message}", **at)
            )
            continue
        year_text = cell(row, "year", index)
        year = _YEAR.search(year_text) if year_text else None
        if year_text and year is None:
            result.problems.append(
                ListProblem(
                    "list-year-unreadable",
                    f"企业 “{name}” 的{result.year_header}“{shown_text(year_text)}”不是年份：请写 4 位年份，"
                    "如 2023",
                    **at,
                )
            )
            continue
        result.rows.append(
            ListRow(
                name=name,
                name_key=normalise_name(name),
                uscc=uscc,
                city=cell(row, "city", index) or None,
                county=cell(row, "county", index) or None,
                sheet=sheet.name,
                row=index + 1,
                year=int(year.group(1)) if year else None,
                former_name=former_name,
            )
        )
    if skipped:
        shown = "、".join(str(r) for r in skipped)
        _note(result, "list-rows-not-enterprises", sheet,
              f"第 {shown} 行是分组标题、合计或注释，未作为企业导入")  # fmt: skip
    if marks:
        shown = "”“".join(dict.fromkeys(marks))
        _note(result, "list-name-mark", sheet, f"{len(marks)} 家企业名称后的“{shown}”是名单的"
              "标注（含义见名单的注释），不是名称的一部分，已去掉")  # fmt: skip


def _check_duplicates(result: PublishedList) -> None:
    """A name twice in one list: one problem naming every row it stands in."""
    rows_of: dict[str, list[ListRow]] = defaultdict(list)
    for row in result.rows:
        rows_of[row.name_key].append(row)
    for rows in rows_of.values():
        if len(rows) < 2:
            continue
        places = "、".join(f"第 {r.row} 行" for r in rows[1:])
        result.problems.append(
            ListProblem(
                "list-name-duplicate",
                f"企业 “{rows[0].name}” 在名单中出现 {len(rows)} 次（另见{places}）；"
                "同一名单中每家企业只能出现一次，请删除重复行后重新导入",
                result.file_name,
                rows[0].sheet,
                rows[0].row,
                grid=_grid(result),
            )
        )
