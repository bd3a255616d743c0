"""An applicant: its catalogue values and where each value came from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def values_hash(values: Mapping[str, Any]) -> str:
    """Stable short hash of an applicant's values (keys sorted; Decimals by their exact text)."""
    # str(v) is what a plain f-string gives for every field type, at a fraction of the cost.
    # Keys are unique: sorting the items compares keys only.
    text = "\x1f".join([f"{k}={v!s}" for k, v in sorted(values.items()) if v is not None])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one value was read: file, sheet, cell (A1) and the raw text as typed.

    ``kind`` is set for a value no cell gave: ``round-region`` is the round's 地区 (in ``raw``)
    filling a province the applicant left empty (``file`` then names that source, 批次地区).
    """

    file: str
    sheet: str | None = None
    cell: str | None = None
    raw: str | None = None
    kind: str | None = None
    rule: str | None = None  # how a relative year (近一年…) was placed, in Chinese

    def describe(self) -> str:
        """Chinese one-liner such as ``roster.xlsx · 名单 · D7（原值 "1,200万元"）``."""
        if self.kind == "round-region":
            return f"由{self.file}“{self.raw}”补充"
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.cell:
            parts.append(self.cell)
        text = " · ".join(parts)
        if self.raw is not None:
            text += f"（原值 “{self.raw}”）"
        if self.rule:
            text += f"（{self.rule}）"
        return text


@dataclass(slots=True)
class Applicant:
    """One applicant enterprise.

    ``values`` maps catalogue keys to typed values (Decimal for money, percent and decimal
    fields; int; bool; str; datetime.date). A key that is absent, or maps to None, is unknown:
    never false and never 0.
    """

    values: dict[str, Any]
    provenance: dict[str, Provenance] = field(default_factory=dict)
    source: Provenance | None = None  # the row or form the applicant came from

    @property
    def name(self) -> str:
        return str(self.values.get("name") or "")

    @property
    def uscc(self) -> str:
        return str(self.values.get("uscc") or "")

    def get(self, key: str) -> Any:
        return self.values.get(key)
