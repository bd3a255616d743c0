"""Around a roster's data rows: a unit note above the header, totals, merged values, repeats."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from zjtx.domain.fields import FieldType
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.columns import Column, HeaderLayout
from zjtx.intake.sheet_data import SheetData, cell_ref
from zjtx.intake.values import normalise_text, raw_text

# A total row's word, alone or followed by a count or a colon: 合计, 合计（2家）, 小计：
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|汇总)(?:[(（:：].*)?$")

# A note of the money unit above a roster's header: 金额单位：元, 单位：元、人, （单位：万元）, and
# the money unit after count units (单位：人、元).
_MONEY_NOTE = re.compile(
    r"(?:金额|货币)?单位[:：]\s*(?:(?:人|个|家|项|件|名|位|%)\s*[、,/]\s*)*"
    r"(百万元|亿元|万元|千元|元)(?![\u4e00-\u9fff])"
)


def money_unit_note(rows: list[list[str]]) -> tuple[str, str, str] | None:
    """(unit, note as written, its cell) of the money unit noted above a header, or None."""
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            unit = money_note(text) if text else None
            if unit is not None:
                return unit, text, cell_ref(r, c)
    return None


def money_note(text: str) -> str | None:
    """The money unit a note such as 金额单位：元 or 单位：人、千元 gives, or None."""
    found = _MONEY_NOTE.search(unicodedata.normalize("NFKC", text))
    return found.group(1) if found is not None else None


def total_cell(row: list[Any], columns: range) -> int | None:
    """The column of a total row's word (合计, 小计：…) among ``columns``, or None."""
    for c in columns:
        if c >= len(row):
            break
        value = row[c]
        if value.__class__ is str and len(value) < 20 and _TOTAL_ROW.match(normalise_text(value)):
            return c
    return None


def merged_down(
    sheet: SheetData,
    layout: HeaderLayout,
    fields: list[Column],
    file: str,
    file_issues: list[Issue],
    row_warnings: dict[int, list[tuple[str, str, str, str]]],
) -> dict[int, list[Any]]:
    """Data rows with a value merged down over several rows copied into each covered cell (a
    district or 申报类型 written once for a block of enterprises), by row; a note names each
    merged range. Identity columns and figures are not filled: a merged name is one
    enterprise's rows, a merged amount may be the first's or the block's, so each covered row
    gets a warning in ``row_warnings`` (code, message, field, cell, by row)."""
    # A figure merged over several enterprises is a block's, not each one's: only words
    # (district, 申报类型, 是/否, a date) are copied down.
    numeric = (FieldType.MONEY, FieldType.PERCENT, FieldType.INT, FieldType.DECIMAL)
    columns = {
        c.index: c for c in fields if c.spec is not None and c.spec.key not in ("name", "uscc")
    }
    rows = sheet.rows
    filled: dict[int, list[Any]] = {}
    for r1, c1, r2, c2 in sorted(sheet.merged):
        column = columns.get(c1)
        if column is None or r1 < layout.data_start or r2 <= r1 or c2 != c1 or r1 >= len(rows):
            continue
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        if value is None or (value.__class__ is str and not value.strip()):
            continue
        if column.spec.type in numeric:
            _warn_merged_figure(r1, r2, c1, column, raw_text(value), row_warnings)
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            row = filled.get(r)
            if row is None:
                row = filled[r] = list(rows[r])
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            if row[c1] is None or row[c1] == "":
                row[c1] = value
        where = f"{cell_ref(r1, c1)}:{cell_ref(r2, c1)}"
        file_issues.append(
            Issue(
                code="value-from-merged-cell",
                severity=Severity.INFO,
                message=f"合并单元格 {where} 的“{raw_text(value)}”用于第 {r1 + 1}–{r2 + 1} 行的"
                f"{column.spec.relative_label()}",
                file=file,
                sheet=sheet.name,
                cell=where,
                row=r1 + 1,
                field=column.spec.key,
            )
        )
    return filled


def _warn_merged_figure(
    r1: int, r2: int, c: int, column: Column, shown: str, row_warnings: dict[int, list[Any]]
) -> None:
    where = f"{cell_ref(r1, c)}:{cell_ref(r2, c)}"
    label = column.spec.relative_label()
    first = (
        f"{label}：合并单元格 {where} 的“{shown}”跨第 {r1 + 1}–{r2 + 1} 行，只读作第 {r1 + 1} 行"
        "企业的数值；如是几家企业的合计或共用，请分别填写"
    )
    row_warnings.setdefault(r1, []).append(
        ("figure-in-merged-cell", first, column.spec.key, cell_ref(r1, c))
    )
    for r in range(r1 + 1, r2 + 1):
        other = (
            f"{label}：本行在合并单元格 {where} 内，其“{shown}”只读作第 {r1 + 1} 行企业的数值，"
            "本行此项为空：请分别填写"
        )
        row_warnings.setdefault(r, []).append(
            ("figure-in-merged-cell", other, column.spec.key, cell_ref(r, c))
        )


def repeats_header(row: list[Any], header_cells: list[tuple[int, str]]) -> bool:
    """Whether a row carries the header's own texts in its identity columns."""
    for c, text in header_cells:
        value = row[c] if c < len(row) else ""
        if value.__class__ is not str or value.strip() != text.strip():
            return False
    return True


def shifted_row(row: list[Any], width: int, r: int) -> tuple[str, str, None, str] | None:
    """The error of a delimited text row holding more values than its header has columns, as
    (code, message, field, cell), or None: a figure with an unquoted comma (2,000.00) split in
    two and shifted every value after it. Empty cells beyond the header (an export's padding)
    are no such row."""
    filled = [c for c in range(width, len(row)) if _filled(row[c])]
    if not filled:
        return None
    return (
        "csv-row-too-wide",
        f"第 {r + 1} 行有 {filled[-1] + 1} 个值，表头只有 {width} 列：其后的值可能已错位"
        "（常见原因是数字中的千分位逗号没有加引号，如 2,000.00），本行未导入："
        "请去掉数字中的逗号或给该值加上引号",
        None,
        cell_ref(r, filled[0]),
    )


def _filled(value: Any) -> bool:
    return value is not None and (value.__class__ is not str or bool(value.strip()))


def hidden_row_message(r: int) -> str:
    return (
        f"第 {r + 1} 行在工作簿中被隐藏（手动隐藏或被筛选），已照常读取：如该企业不应申报，请核对"
    )
