"""Intermediate records (one per roster row or form) and the result dataclasses of the API."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.errors import Cancelled as _Cancelled
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.values import raw_text


class Cancelled(_Cancelled):
    """The caller's cancel() returned True; nothing partial is returned."""


ROLE_LABELS = {
    "field": "读取",
    "ratio": "核对比率",
    "serial": "序号",
    "unknown": "未识别",
    "ignored": "忽略",
}


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How one header (or form label) was understood.

    Attributes:
        header: the header text as written (two-row headers joined with " / ").
        field: catalogue key, or None for columns that are not read.
        unit: unit written in the header (元, 万元, 亿元, %...), or the unit the evaluator set;
            None when the header states none.
        year: calendar year written in (or implied by) the header, or None.
        cell: A1 reference of the header cell (the lower cell of a two-row header).
        role: ``field``, ``ratio`` (a stated ratio that is checked), ``serial`` (序号),
            ``unknown`` (未识别: no field, or a year or unit the field cannot take; see
            ``detail``) or ``ignored`` (the evaluator chose to ignore it).
        hidden: the column is hidden in the workbook (it is read all the same).
        sheet: worksheet name.
        column: column letter (rosters; "" for form labels).
        label: Chinese label of the field (without the year), of the ratio, or "".
        field_unit: unit the value is kept in (万元 for amounts, % for ratios...), or None.
        manual: the evaluator set this mapping by hand (手动) rather than it being
            recognised from the header (自动).
        detail: why a column is 未识别 (Chinese), or "".
        editable: the mapping can be corrected (roster columns; form labels cannot).
    """

    header: str
    field: str | None
    unit: str | None
    year: int | None
    cell: str
    role: str = "field"
    hidden: bool = False
    sheet: str | None = None
    column: str = ""
    label: str = ""
    field_unit: str | None = None
    manual: bool = False
    detail: str = ""
    editable: bool = False

    @property
    def how(self) -> str:
        """How the mapping came about: 手动 or 自动."""
        return "手动" if self.manual else "自动"

    @property
    def role_label(self) -> str:
        """Chinese name of the role (读取, 未识别, 忽略...)."""
        return ROLE_LABELS.get(self.role, self.role)

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
            "column": self.column,
            "label": self.label,
            "field_unit": self.field_unit,
            "how": self.how,
            "detail": self.detail,
        }


@dataclass(slots=True)
class StatedRatio:
    """A ratio written in the sheet (percent value), checked against the amounts."""

    ratio: str
    year_index: int
    value: Decimal
    cell: str
    raw: str
    sheet: str | None = None  # the sheet or Word table, where it is not the record's


class RowProvenance(Mapping[str, Provenance]):
    """Provenance of one roster row: the raw cells are kept, Provenance objects made on use.

    Building ~60 Provenance objects per row up front would cost more than reading the row;
    the store and the UI ask for them later (``items()``, ``[key]``) and get the same objects.
    """

    __slots__ = ("_built", "file", "letters", "moved", "raws", "row", "sheet")

    def __init__(self, file: str, sheet: str | None, row: int, letters: dict[str, str]) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        self.letters = letters  # key -> column letter of the field (shared by the sheet's rows)
        self.raws: dict[str, Any] = {}  # key -> raw cell value
        self.moved: dict[str, str] | None = None  # key -> letter when read from another column
        self._built: dict[str, Provenance] = {}

    def letter(self, key: str) -> str:
        if self.moved is not None and key in self.moved:
            return self.moved[key]
        return self.letters[key]

    def __getitem__(self, key: str) -> Provenance:
        built = self._built.get(key)
        if built is None:
            raw = self.raws[key]
            cell = f"{self.letter(key)}{self.row}"
            built = Provenance(self.file, self.sheet, cell, raw_text(raw))
            self._built[key] = built
        return built

    def __iter__(self) -> Iterator[str]:
        return iter(self.raws)

    def __len__(self) -> int:
        return len(self.raws)

    def cell_texts(self) -> dict[str, tuple[str, str | None]]:
        """Cell (A1) and raw text of every value, as ``self[key]`` gives them, without building
        a Provenance object per value (the store encodes thousands of rows at once)."""
        row, built = str(self.row), self._built
        letters = self.letters if self.moved is None else {**self.letters, **self.moved}
        texts = {}
        for key, raw in self.raws.items():
            item = built.get(key)
            if item is not None:
                texts[key] = (item.cell, item.raw)
                continue
            texts[key] = (letters[key] + row, raw_text(raw))
        return texts

    def __contains__(self, key: object) -> bool:
        return key in self.raws

    def __repr__(self) -> str:
        return f"RowProvenance({dict(self.items())!r})"


class RowCells(Mapping[str, str]):
    """A1 cell of each field in one roster row (where its value came from, else its column)."""

    __slots__ = ("letters", "provenance")

    def __init__(self, provenance: RowProvenance) -> None:
        self.provenance = provenance
        self.letters = provenance.letters

    def __getitem__(self, key: str) -> str:
        return f"{self.provenance.letter(key)}{self.provenance.row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.letters)

    def __len__(self) -> int:
        return len(self.letters)

    def __contains__(self, key: object) -> bool:
        return key in self.letters


@dataclass(slots=True)
class Record:
    """One applicant as read (a roster row or a form), before the gate decides."""

    file: str
    sheet: str | None
    row: int | None
    source: Provenance
    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Provenance] | RowProvenance = field(default_factory=dict)
    cells: dict[str, str] | RowCells = field(default_factory=dict)  # key -> A1 (even if empty)
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
        sheet: str | None = None,
    ) -> None:
        """Add an issue; ``sheet`` names the sheet or Word table when it is not the record's."""
        if cell is None and field_key is not None:
            cell = self.cells.get(field_key)
        if row is None and self.row is None and cell:
            # Only A1 references carry a row number (not "表2 第3行第2列").
            digits = "".join(ch for ch in cell if ch.isdigit())
            row = int(digits) if digits and cell[0].isascii() and cell[0].isalpha() else None
        self.issues.append(
            Issue(
                code=code,
                severity=severity,
                message=message,
                file=self.file,
                sheet=sheet if sheet is not None else self.sheet,
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
    # How a workbook was read: "roster" (每行一家企业) or "form" (一家企业), and why (Chinese).
    reading: str = ""
    reading_note: str = ""
    profile: str | None = None  # the saved mapping profile the file was read with
    fingerprints: dict[str | None, str] = field(default_factory=dict)  # roster sheet -> header

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
