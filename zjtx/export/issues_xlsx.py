"""The data-quality issues of read files as rows with the enterprise's name, and as an .xlsx."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from zjtx.domain.fields import FieldCatalogue, FieldType
from zjtx.domain.issues import SEVERITY_LABELS, Issue
from zjtx.export.excel import _new_workbook, _table_sheet
from zjtx.files import write_atomically

ISSUE_COLUMNS = (
    "文件",
    "工作表",
    "单元格",
    "企业名称",
    "统一社会信用代码",
    "字段",
    "级别",
    "代码",
    "说明",
)
ISSUE_WIDTHS = (28, 14, 10, 34, 22, 26, 8, 26, 80)

# Where a record came from (Applicant.source.cell): a roster row "7:7", a JSON record "[3]";
# a form has no cell (the whole sheet is one enterprise).
_ROSTER_ROW = re.compile(r"^(\d+):\1$")
_JSON_RECORD = re.compile(r"^\[(\d+)\]$")


@dataclass(frozen=True, slots=True)
class IssueRow:
    """One issue as listed: with the name of its row's enterprise and its field in Chinese."""

    issue: Issue
    name: str  # 企业名称 of the row (or form) the issue is on; "" when none
    field: str  # the field's Chinese label with year and unit; "" when none

    @property
    def severity(self) -> str:
        return SEVERITY_LABELS.get(self.issue.severity, str(self.issue.severity))

    @property
    def place(self) -> str:
        """The cell, else the row (第 N 行), else ""."""
        if self.issue.cell:
            return self.issue.cell
        return "" if self.issue.row is None else f"第 {self.issue.row} 行"

    def cells(self) -> tuple[str, ...]:
        """The row's texts in ISSUE_COLUMNS order."""
        issue = self.issue
        return (issue.file, issue.sheet or "", self.place, self.name, issue.uscc or "",
                self.field, self.severity, issue.code, issue.message)  # fmt: skip


def field_text(key: str | None, catalogue: FieldCatalogue, year: int) -> str:
    """A field's Chinese label with its calendar year and unit, e.g. 2025年营业收入（万元）."""
    if not key:
        return ""
    spec = catalogue.get(key)
    if spec is None:
        return key
    label = spec.year_label(year) if year else spec.relative_label()
    unit = "万元" if spec.type == FieldType.MONEY else spec.unit
    return f"{label}（{unit}）" if unit else label


class _Names:
    """The enterprise names of one read file, found by the row (or form sheet) of an issue."""

    def __init__(self, file: Any) -> None:
        self.by_row: dict[tuple[str | None, int], str] = {}
        self.by_sheet: dict[str | None, str] = {}
        records = [*getattr(file, "applicants", ()), *getattr(file, "blocked_applicants", ())]
        for applicant in records:
            source = applicant.source
            if source is None:
                continue
            match = _ROSTER_ROW.match(source.cell or "") or _JSON_RECORD.match(source.cell or "")
            if match is not None:
                self.by_row[(source.sheet, int(match.group(1)))] = applicant.name
            elif not source.cell and source.sheet is not None:
                self.by_sheet[source.sheet] = applicant.name

    def of(self, issue: Issue) -> str:
        if issue.row is not None and (issue.sheet, issue.row) in self.by_row:
            return self.by_row[(issue.sheet, issue.row)]
        return self.by_sheet.get(issue.sheet, "") if issue.sheet is not None else ""


def issue_rows(files: Iterable[Any], year: int, catalogue: FieldCatalogue) -> list[IssueRow]:
    """Every issue of the read files (zjtx.intake FileResult), in file order, with the name of
    the enterprise whose row or form it is on, taken from the records read from that file."""
    rows = []
    for file in files:
        names = _Names(file)
        for issue in file.issues:
            rows.append(IssueRow(issue, names.of(issue), field_text(issue.field, catalogue, year)))
    return rows


def write_issues_xlsx(
    rows: Sequence[IssueRow], path: Path, *, made_at: datetime | None = None
) -> Path:
    """问题清单: one row per issue under a frozen, filterable header; text never runs as a
    formula; written to a temporary file and renamed into place."""
    workbook = _new_workbook(made_at or datetime.now().astimezone())
    _table_sheet(workbook, "问题清单", ISSUE_COLUMNS, [row.cells() for row in rows], ISSUE_WIDTHS)
    return write_atomically(Path(path), workbook.save)
