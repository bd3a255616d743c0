"""Lists a workbook keeps beside its own for reference (供参考、作废、往年名单、示例): not applicants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zjtx.domain.issues import Issue, Severity
from zjtx.intake.roster_rows import total_cell

if TYPE_CHECKING:
    from zjtx.intake.columns import HeaderLayout
    from zjtx.intake.records import FileResult
    from zjtx.intake.sheet_data import SheetData

# Words by which a sheet's name says its enterprises are not this round's applicants. A bare
# 参考 or 去年 is none (a notice's 参考格式 is filled in under that name; 去年未通过本次重新申报
# is this round's list), nor 已认定 (a renewal round's own list is 已认定企业复核名单), nor 样表.
REFERENCE_WORDS = (
    "供参考", "作废", "示例", "样例", "往年名单", "历年名单", "去年名单", "上年名单",
    "往年认定", "历年认定", "往年已认定", "历年已认定",
)  # fmt: skip


def reference_word(sheet_name: str | None) -> str | None:
    """The word by which a sheet's name sets it aside as kept for reference, or None."""
    return next((word for word in REFERENCE_WORDS if word in (sheet_name or "")), None)


def lists_to_read(
    rosters: list[tuple[SheetData, HeaderLayout]],
) -> list[tuple[SheetData, HeaderLayout]]:
    """The lists that are read: those whose names keep them for reference set aside, unless
    every list is so named (then all are read, with without_reference_sheets' warning)."""
    kept = [pair for pair in rosters if reference_word(pair[0].name) is None]
    return kept or rosters


def without_reference_sheets(
    rosters: list[tuple[SheetData, HeaderLayout]],
    file_result: FileResult,
    counts: dict[str, int],
) -> list[tuple[SheetData, HeaderLayout]]:
    """The lists of a workbook without those its sheet names keep for reference (a 2025 list
    供参考 beside the 2026 one, an example filled in): each is named in a warning with the
    enterprises it holds, its rows counted as skipped. Where every list is so named, all are
    read, with a warning to check the file is this round's."""
    named = [(sheet, reference_word(sheet.name)) for sheet, _ in rosters]
    if not any(word for _, word in named):
        return rosters
    shown = file_result.display_name
    kept = lists_to_read(rosters)
    if kept is rosters:
        for sheet, word in named:
            _warn(file_result, sheet, f"{shown}：工作表“{sheet.name}”的名称含“{word}”，"
                  "其中的企业已照常读取：请核实这是本批次的申报名单，而不是往年或供参考的名单")  # fmt: skip
        return rosters
    for (sheet, layout), (_, word) in zip(rosters, named, strict=True):
        if word is None:
            continue
        rows = sheet.rows[layout.data_start :]
        counts["rows_total"] += len(rows)
        counts["rows_blank"] += len(rows)
        enterprises = _enterprises(rows, layout)
        if enterprises:
            _warn(file_result, sheet, f"{shown}：工作表“{sheet.name}”的名称含“{word}”，不是本批次"
                  f"的申报名单，其中的 {enterprises} 家企业未导入（如确属本批次申报，请把工作表"
                  "改名后重新导入）")  # fmt: skip
    return kept


def _enterprises(rows: list[list[Any]], layout: HeaderLayout) -> int:
    """Rows naming an enterprise (its name or code filled in), not 合计, 填报人 or blank."""
    keyed = [c.index for c in layout.columns if c.spec is not None and c.spec.key in KEYS]
    totals = range(min(keyed) + 1) if keyed else range(0)  # 合计 under 序号 or the name
    return sum(
        1
        for row in rows
        if any(i < len(row) and row[i] != "" for i in keyed) and total_cell(row, totals) is None
    )


KEYS = ("name", "uscc")


def _warn(file_result: FileResult, sheet: SheetData, message: str) -> None:
    file_result.issues.append(
        Issue(
            code="sheet-for-reference",
            severity=Severity.WARNING,
            message=message,
            file=file_result.display_name,
            sheet=sheet.name,
        )
    )
