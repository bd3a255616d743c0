"""Intermediate records (one per roster row or form) and the result dataclasses of the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.issues import Issue, Severity


class Cancelled(Exception):
    """The caller's cancel() returned True; nothing partial is returned."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How one header (or form label) was understood.

    Attributes:
        header: the header text as written (two-row headers joined with " / ").
        field: catalogue key, or None for ignored columns.
        unit: unit written in the header (元, 万元, 亿元, %...), or None.
        year: calendar year written in (or implied by) the header, or None.
        cell: A1 reference of the header cell (the lower cell of a two-row header).
        role: ``field``, ``ratio`` (a stated ratio that is checked), ``serial`` (序号) or
            ``ignored``.
        hidden: the column is hidden in the workbook (it is read all the same).
        sheet: worksheet name.
    """

    header: str
    field: str | None
    unit: str | None
    year: int | None
    cell: str
    role: str = "field"
    hidden: bool = False
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "field": self.field,
            "unit": self.unit,
            "year": self.year,
            "cell": self.cell,
            "role": self.role,
            "hidden": self.hidden,
            "sheet": self.sheet,
        }


@dataclass(slots=True)
class StatedRatio:
    """A ratio written in the sheet (percent value), checked against the amounts."""

    ratio: str
    year_index: int
    value: Decimal
    cell: str
    raw: str


@dataclass(slots=True)
class Record:
    """One applicant as read (a roster row or a form), before the gate decides."""

    file: str
    sheet: str | None
    row: int | None
    source: Provenance
    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # field key -> A1 (even when empty)
    ratios: list[StatedRatio] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    uscc_text: str | None = None  # the code as typed, for issues of blocked rows

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        *,
        field_key: str | None = None,
        cell: str | None = None,
        row: int | None = None,
    ) -> None:
        if cell is None and field_key is not None:
            cell = self.cells.get(field_key)
        if row is None and self.row is None and cell:
            digits = "".join(ch for ch in cell if ch.isdigit())
            row = int(digits) if digits and cell[0].isalpha() else None
        self.issues.append(
            Issue(
                code=code,
                severity=severity,
                message=message,
                file=self.file,
                sheet=self.sheet,
                cell=cell,
                row=self.row if row is None else row,
                field=field_key,
                uscc=self.uscc_text,
            )
        )

    @property
    def blocked(self) -> bool:
        return any(issue.severity == Severity.ERROR for issue in self.issues)

    def applicant(self) -> Applicant:
        return Applicant(values=self.values, provenance=self.provenance, source=self.source)


@dataclass(slots=True)
class FileResult:
    """Everything read from one file."""

    path: Path
    sha256: str
    kind: str  # 'roster' | 'form' | 'json' (or 'unreadable')
    applicants: list[Applicant] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_total: int = 0
    rows_imported: int = 0
    rows_blocked: int = 0
    rows_blank: int = 0
    column_mapping: list[ColumnMapping] = field(default_factory=list)
    blocked_applicants: list[Applicant] = field(default_factory=list)
    display_name: str = ""

    def summary(self) -> dict[str, Any]:
        errors = sum(1 for i in self.issues if i.severity == Severity.ERROR)
        warnings = sum(1 for i in self.issues if i.severity == Severity.WARNING)
        return {
            "file": self.display_name or self.path.name,
            "kind": self.kind,
            "sha256": self.sha256,
            "rows_total": self.rows_total,
            "rows_imported": self.rows_imported,
            "rows_blocked": self.rows_blocked,
            "rows_blank": self.rows_blank,
            "errors": errors,
            "warnings": warnings,
        }


@dataclass(slots=True)
class IntakeResult:
    """The outcome of one import: per-file results; applicants, issues and summary over all."""

    files: list[FileResult] = field(default_factory=list)
    year: int = 0

    @property
    def applicants(self) -> list[Applicant]:
        """All imported (unblocked) applicants, in file and row order."""
        return [a for f in self.files for a in f.applicants]

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues]

    @property
    def has_errors(self) -> bool:
        return any(i.severity == Severity.ERROR for f in self.files for i in f.issues)

    @property
    def summary(self) -> dict[str, Any]:
        """Per-file and total counts; rows_total = imported + blocked + blank in each."""
        files = [f.summary() for f in self.files]
        totals = {
            key: sum(f[key] for f in files)
            for key in (
                "rows_total",
                "rows_imported",
                "rows_blocked",
                "rows_blank",
                "errors",
                "warnings",
            )
        }
        totals["files"] = len(files)
        return {"year": self.year, "files": files, "total": totals}
