"""Data-quality issues found while reading applicant files (frictionless-style cell errors)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How an issue affects the applicant: an error blocks it, a warning needs a reason."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in an input file.

    Attributes:
        code: kebab-case identifier registered in ``zjtx.domain.issue_codes``, e.g.
            ``uscc-check-character``.
        severity: error, warning or info.
        message: clear Chinese message naming what is wrong and what to do.
        file: file name as given by the user.
        sheet: worksheet name (None for CSV/JSON).
        cell: A1 reference of the cell, if the issue concerns one cell.
        row: 1-based row number in the sheet (or record number in JSON).
        field: catalogue key concerned, if any.
        uscc: the applicant's code, when known, so the review can attach the issue.
    """

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    field: str | None = None
    uscc: str | None = None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    @property
    def key(self) -> str:
        """What an acknowledgement of this warning names (warning_key)."""
        return warning_key(self.code, self.field)

    def location(self) -> str:
        """Chinese location text such as ``roster.xlsx · 名单 · D7``."""
        parts = [p for p in (self.file, self.sheet, self.cell) if p]
        if not self.cell and self.row is not None:
            parts.append(f"第 {self.row} 行")
        return " · ".join(parts)


def warning_key(code: str, field: str | None) -> str:
    """What an acknowledgement names: one warning, by its code and field
    ("revenue-unit-suspect@revenue_y3"). Code and field are a warning's identity, as in the
    register's recheck: reworded, or read again from a corrected file, it is the same warning,
    while the same code on another field is another."""
    return f"{code}@{field or ''}"


def is_acknowledged(code: str, field: str | None, targets: Collection[str]) -> bool:
    """Whether the acknowledgements ``targets`` cover a warning: by its key, or by its code
    alone, as zjtx saved acknowledgements before they named one warning (such an
    acknowledgement covers every warning of its code)."""
    return code in targets or f"{code}@{field or ''}" in targets
