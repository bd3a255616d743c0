"""A roster sheet's recognised header: its columns, and where the header rows are."""

from __future__ import annotations

from dataclasses import dataclass, field

from zjtx.domain.fields import FieldSpec
from zjtx.intake.headers import HeaderMatch
from zjtx.intake.values import Converter


@dataclass(slots=True)
class Column:
    """A mapped column of a roster sheet, with its per-cell converter."""

    index: int
    match: HeaderMatch
    header: str
    header_cell: str
    spec: FieldSpec | None = None
    convert: Converter | None = None
    uses_percent: bool = False
    manual: bool = False  # set by the evaluator (ColumnOverride), not recognised
    # (note as written, its cell) when the unit came from a note above the header
    unit_note: tuple[str, str] | None = None


@dataclass(slots=True)
class HeaderLayout:
    """Where the header is and what every column means."""

    first_row: int  # 0-based row of the (upper) header row
    height: int  # 1 or 2 rows
    columns: list[Column]
    unknown: list[tuple[int, str, str]]  # (column, header text, header cell)
    problems: list[tuple[int, str, HeaderMatch, str]]  # (column, header, match, cell)
    year: int = 0  # evaluation year of the round
    header_units: dict[int, str | None] = field(default_factory=dict)  # unit in each header
    dropped: list[tuple[int, str, str]] = field(default_factory=list)  # ignored by hand

    @property
    def data_start(self) -> int:
        return self.first_row + self.height
