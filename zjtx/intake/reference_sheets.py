"""Lists a workbook keeps beside its own for reference (往年、供参考、作废、示例): not applicants."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zjtx.domain.issues import Issue, Severity

if TYPE_CHECKING:
    from zjtx.intake.columns import HeaderLayout
    from zjtx.intake.records import FileResult
    from zjtx.intake.sheet_data import SheetData

# Words by which a sheet's name says its enterprises are not this round's applicants. Neither
# 已认定 (a renewal round's own list is 已认定企业复核名单) nor 样表 (the list a notice sends as
# its 样表 is filled in under that name) is one.
REFERENCE_WORDS = ("供参考", "参考", "作废", "往年", "历年", "去年", "示例", "样例")


def reference_word(sheet_name: str | None) -> str | None:
    """The word by which a sheet's name sets it aside as kept for reference, or None."""
    return next((word for word in REFERENCE_WORDS if word in (sheet_name or "")), None)


def without_reference_sheets(
    rosters: list[tuple[SheetData, HeaderLayout]],
    file_result: FileResult,
    counts: dict[str, int],
) -> list[tuple[SheetData, HeaderLayout]]:
    """The lists of a workbook without those its sheet names keep for reference (a 2025 list
    供参考 beside the 2026 one, an example filled in): each is named in a warning with the rows
    it holds, counted as skipped. Where every list is so named, the file is that list and all
    are read."""
    kept = [(sheet, layout) for sheet, layout in rosters if reference_word(sheet.name) is None]
    if not kept or len(kept) == len(rosters):
        return rosters
    shown = file_result.display_name
    for sheet, layout in rosters:
        word = reference_word(sheet.name)
        if word is None:
            continue
        rows = sum(1 for row in sheet.rows[layout.data_start :] if any(v != "" for v in row))
        counts["rows_total"] += rows
        counts["rows_blank"] += rows
        file_result.issues.append(
            Issue(
                code="sheet-for-reference",
                severity=Severity.WARNING,
                message=f"{shown}：工作表“{sheet.name}”的名称含“{word}”，不是本批次的申报名单，"
                f"其中的 {rows} 行未导入（如确属本批次申报，请把工作表改名后重新导入）",
                file=shown,
                sheet=sheet.name,
            )
        )
    return kept
