"""Around a roster's data rows: a unit note above the header, totals, merged values, repeats."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from zjtx.domain.fields import FieldType
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.cell_text import normalise_text
from zjtx.intake.columns import Column, HeaderLayout
from zjtx.intake.headers import money_note
from zjtx.intake.sheet_data import SheetData, cell_ref
from zjtx.intake.values import is_blank, is_placeholder, raw_text

# A total row's word, alone or followed by a count or a colon: 合计, 合计（2家）, 小计：
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|汇总)(?:[(（:：].*)?$")


def money_unit_note(rows: list[list[str]]) -> tuple[str, str, str] | None:
    """(unit, note as written, its cell) of the money unit noted above a header, or None."""
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            unit = money_note(text) if text else None
            if unit is not None:
                return unit, text, cell_ref(r, c)
    return None


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
    row_issues: dict[int, list[RowIssue]],
) -> dict[int, list[Any]]:
    """Data rows with a value merged down over several rows copied into each covered cell (a
    district or 申报类型 written once for a block of enterprises), by row; a note names each
    merged range. Identity columns and figures are not filled: a merged name is one
    enterprise's rows, and a merged amount over several enterprises may be the first's or
    the block's, so each of them gets a warning, added to ``row_issues`` by row."""
    # A figure merged over several enterprises is a block's, not each one's: only words
    # (district, 申报类型, 是/否, a date) are copied down.
    numeric = (FieldType.MONEY, FieldType.PERCENT, FieldType.INT, FieldType.DECIMAL)
    columns = {
        c.index: c for c in fields if c.spec is not None and c.spec.key not in ("name", "uscc")
    }
    identities = [c.index for c in fields if c.spec is not None and c.spec.key in ("name", "uscc")]

    def identity(row: list[Any]) -> bool:
        """Whether a row names an enterprise (not a blank or a total row)."""
        return any(
            c < len(row) and not is_blank(row[c]) and total_cell(row, range(c, c + 1)) is None
            for c in identities
        )

    rows = sheet.rows
    filled: dict[int, list[Any]] = {}
    for r1, c1, r2, c2 in sorted(sheet.merged):
        column = columns.get(c1)
        if column is None or r1 < layout.data_start or r1 >= len(rows):
            continue
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        if value is None or (value.__class__ is str and not value.strip()):
            continue
        others = [columns[c] for c in range(c1 + 1, c2 + 1) if c in columns]
        if others and identity(rows[r1]):
            _warn_merged_across(r1, c1, c2, column, others, raw_text(value), row_issues)
        if r2 <= r1:
            continue
        if column.spec.type in numeric:
            enterprises = [r for r in range(r1, min(r2, len(rows) - 1) + 1) if identity(rows[r])]
            if len(enterprises) > 1 and not is_placeholder(value):
                _warn_merged_figure(r1, r2, enterprises, column, raw_text(value), row_issues)
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


def _warn_merged_across(
    r: int,
    c1: int,
    c2: int,
    column: Column,
    others: list[Column],
    shown: str,
    row_issues: dict[int, list[RowIssue]],
) -> None:
    """A value merged across the columns of several fields is the first field's: the others
    are left empty, which the row's warning says."""
    where = f"{cell_ref(r, c1)}:{cell_ref(r, c2)}"
    label = column.spec.relative_label()
    empty = "、".join(other.spec.relative_label() for other in others)
    message = (
        f"{label}：合并单元格 {where} 的“{shown}”跨{label}、{empty} {len(others) + 1} 栏，"
        f"只读作{label}；{empty}为空：如是各栏共用的值，请分别填写"
    )
    row_issues.setdefault(r, []).append(
        RowIssue(
            "value-across-columns", Severity.WARNING, message, column.spec.key, cell_ref(r, c1)
        )
    )


def _warn_merged_figure(
    r1: int,
    r2: int,
    enterprises: list[int],
    column: Column,
    shown: str,
    row_issues: dict[int, list[RowIssue]],
) -> None:
    c = column.index
    where = f"{cell_ref(r1, c)}:{cell_ref(r2, c)}"
    label = column.spec.relative_label()
    for r in enterprises:
        if r == r1:
            message = (
                f"{label}：合并单元格 {where} 的“{shown}”跨第 {r1 + 1}–{r2 + 1} 行，只读作第 {r1 + 1} 行"
                "企业的数值；如是几家企业的合计或共用，请分别填写"
            )
        else:
            message = (
                f"{label}：本行在合并单元格 {where} 内，其“{shown}”只读作第 {r1 + 1} 行企业的数值，"
                "本行此项为空：请分别填写"
            )
        row_issues.setdefault(r, []).append(
            RowIssue(
                "figure-in-merged-cell", Severity.WARNING, message, column.spec.key, cell_ref(r, c)
            )
        )


def repeats_header(row: list[Any], header_cells: list[tuple[int, str]]) -> bool:
    """Whether a row carries the header's own texts in its identity columns."""
    for c, text in header_cells:
        value = row[c] if c < len(row) else ""
        if value.__class__ is not str or value.strip() != text.strip():
            return False
    return True


class RowIssue(NamedTuple):
    """An issue of one data row, found before the row's record exists."""

    code: str
    severity: Severity
    message: str
    field: str | None
    cell: str


# Two cells that were one figure before an unquoted thousands comma split them: "2" "000.00".
_FIGURE_HEAD = re.compile(r"^[-+]?\d{1,3}$")
_FIGURE_TAIL = re.compile(r"^\d{3}(?:\.\d+)?$")


def wide_row(row: list[Any], width: int, r: int) -> RowIssue | None:
    """What a delimited text row holding values beyond its header's ``width`` columns is, or
    None (an export's padding is empty). An error when a figure was split by an unquoted
    comma (2,000.00 as "2" "000.00"), which shifted every value after it; otherwise a
    warning that the values beyond the header are not read."""
    extra = [c for c in range(width, len(row)) if not is_blank(row[c])]
    if not extra:
        return None
    for c in range(len(row) - 1):
        head, tail = row[c], row[c + 1]
        if (
            head.__class__ is str
            and tail.__class__ is str
            and _FIGURE_HEAD.match(head.strip())
            and _FIGURE_TAIL.match(tail.strip())
        ):
            return RowIssue(
                "csv-row-too-wide",
                Severity.ERROR,
                f"第 {r + 1} 行比表头多出值，其中“{head.strip()}”“{tail.strip()}”像是一个数字被"
                f"千分位逗号拆开（{head.strip()},{tail.strip()} 没有加引号），其后的值已错位，"
                "本行未导入：请去掉数字中的逗号或给该值加上引号",
                None,
                cell_ref(r, c),
            )
    return RowIssue(
        "csv-row-too-wide",
        Severity.WARNING,
        f"第 {r + 1} 行在表头的 {width} 列之外还有 {len(extra)} 个值（{cell_ref(r, extra[0])} 起），"
        "表头没有这些列，这些值未导入；如该行的值已错位，请核对",
        None,
        cell_ref(r, extra[0]),
    )


def hidden_rows_issue(rows: list[int], file: str, sheet: str | None) -> Issue:
    """One note naming the hidden rows whose enterprises were read (第 3、5–9 行)."""
    spans: list[list[int]] = []
    for r in rows:
        if spans and spans[-1][1] == r - 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    shown = "、".join(f"{a + 1}" if a == b else f"{a + 1}–{b + 1}" for a, b in spans[:20])
    more = " 等" if len(spans) > 20 else " "
    return Issue(
        code="row-hidden",
        severity=Severity.INFO,
        message=f"第 {shown}{more}行（共 {len(rows)} 行）在工作簿中被隐藏（手动隐藏或被筛选），"
        "其中的企业已照常读取：如有不应申报的企业，请核对",
        file=file,
        sheet=sheet,
        cell=f"{rows[0] + 1}:{rows[0] + 1}",
        row=rows[0] + 1,
    )
