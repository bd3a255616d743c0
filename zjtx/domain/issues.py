"""Data-quality issues found while reading applicant files (frictionless-style cell errors)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from hashlib import sha1
from typing import Any


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
        return warning_key(self.code, self.field, self.sheet, self.cell, self.row, self.file)

    def location(self) -> str:
        """Chinese location text such as ``roster.xlsx · 名单 · D7``."""
        parts = [p for p in (self.file, self.sheet, self.cell) if p]
        if not self.cell and self.row is not None:
            parts.append(f"第 {self.row} 行")
        return " · ".join(parts)


# Warnings that say what one file changed of another's values: the same code on the same field
# raised by another file is another change (营业收入 48000 → 52000 after 50000 → 48000), which
# an acknowledgement of the first did not answer. Their key names the file (FILE_MARK).
CHANGES = frozenset({"store-value-changed", "store-value-dropped"})
FILE_MARK = "#"


def warning_key(
    code: str,
    field: str | None,
    sheet: str | None = None,
    cell: str | None = None,
    row: int | None = None,
    file: str | None = None,
) -> str:
    """What an acknowledgement names: one warning, by its code and field
    ("revenue-unit-suspect@revenue_y3"), or, for a warning of no field (a row of an IP
    list), by its code and place ("ip-type-unknown@!知识产权清单!B5"). Code and field are a
    warning's identity, as in the register's recheck: reworded, or read again from a corrected
    file, it is the same warning, while the same code on another field is another. A change
    (CHANGES) is known by the file that made it too: "store-value-changed@revenue_y1#" and
    eight hex digits of the file's name (the key is stored in 100 characters)."""
    if field:
        if file and code in CHANGES:
            return f"{code}@{field}{FILE_MARK}{sha1(file.encode()).hexdigest()[:8]}"
        return f"{code}@{field}"
    place = cell or (str(row) if row is not None else "")
    if not place:
        return f"{code}@"
    return f"{code}@!{sheet}!{place}" if sheet else f"{code}@!{place}"


def issue_key(issue: Mapping[str, Any]) -> str:
    """warning_key of an issue stored as a dict (Issue.to_dict())."""
    return warning_key(
        issue["code"],
        issue.get("field"),
        issue.get("sheet"),
        issue.get("cell"),
        issue.get("row"),
        issue.get("file"),
    )


def plain_key(key: str) -> str:
    """A warning's key as an evaluator types it (code@field): without the file a change is
    known by, which an acknowledgement finds on the applicant's current warnings."""
    return key.partition(FILE_MARK)[0]


def is_acknowledged(key: str, targets: Collection[str]) -> bool:
    """Whether the acknowledgements ``targets`` cover the warning of ``key``: by its key, by
    its code alone, as zjtx saved acknowledgements before they named one warning (such an
    acknowledgement covers every warning of its code), or, for a change (CHANGES), by its
    code and field, as zjtx saved them before a change was known by its file."""
    return key in targets or key.partition("@")[0] in targets or plain_key(key) in targets


def key_parts(key: str) -> tuple[str, str | None, str | None]:
    """(code, field, place) of a warning's key; field and place are None where the key has
    none (a code alone, as older versions saved acknowledgements)."""
    code, _, rest = key.partition("@")
    if rest.startswith("!"):
        return code, None, rest[1:] or None
    return code, plain_key(rest) or None, None
