"""Columns (or rows) of a year a round does not read: the round's own year or a later one, not
yet ended, and part of a year (2026年1-5月, 2026年上半年). Neither is imported; each is said as a
warning naming its header and what it holds, the same in a Word form and an Excel roster, and
neither blocks the enterprise (its other figures are read as usual)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from zjtx.domain.issues import Severity
from zjtx.intake.headers import HeaderMatch, year_cell

NOT_READ = "year-column-not-read"
# A header naming a year, or this year, that is not a whole year (year_cell read it as none).
_NAMES_A_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|本年|今年|当年")


def partial_year(value: Any) -> str | None:
    """The header text (spaces collapsed) of a column headed by part of a year or a date
    (2026年1-5月, 2026年上半年, 截至2026年5月), or None: a whole year, or no year at all."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or year_cell(text) != (None, None):
        return None
    return text if _NAMES_A_YEAR.search(unicodedata.normalize("NFKC", text)) else None


# A roster header naming part of a year: 2026年1-6月研发费用, 2026年上半年营业收入.
_PART_OF_YEAR = re.compile(
    r"(?:19|20)\d{2}\s*年\s*(?:\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月|[上下]半年|"
    r"[一二三四1-4]\s*季度|前\s*[一二三四五六七八九十\d]+\s*个?月|\d{1,2}\s*月)"
)


def part_of_year_column(text: str) -> str | None:
    """What a roster says of a column headed by part of a year (2026年1-6月研发费用), or None
    (1-12月 is a whole year)."""
    found = _PART_OF_YEAR.search(unicodedata.normalize("NFKC", text))
    if found is None or re.search(r"1\s*[-—–~～至到]\s*12\s*月", found.group(0)):
        return None
    return (
        f"列“{text}”是“{found.group(0)}”这一部分年度的数据，不是本批次读取的已结束的完整年度"
        "（本批次按完整年度的全年数据评价）；该列未导入，企业的其余数据照常导入"
    )


def not_ended(index: int | None) -> bool:
    """Whether a year index (1 = the year before the round) is the round's year or later."""
    return index is not None and index <= 0


def column_problem(match: HeaderMatch) -> tuple[str, Severity]:
    """The code and severity of a roster column header the reader could not take: a year the
    round has not ended, or one before the round's years, is a warning (the column alone is
    not imported, as in a form); a wrong unit or a missing year an error."""
    if match.kind == "bad-year":
        if not_ended(match.year_index):
            return NOT_READ, Severity.WARNING
        return "year-out-of-round", Severity.WARNING
    code = {"bad-unit": "header-unit-invalid"}
    return code.get(match.kind, "header-year-missing"), Severity.ERROR


def not_read_message(
    at: str, label: str, header: str, header_at: str, value: str, year: int
) -> str:
    """What a form says of a figure under a column it does not read (at: the figure's cell)."""
    return (
        f"{at}：“{label}”在“{header}”列（{header_at}）的数值 {value} 未导入：该列不是本批次"
        f"（{year}年度）读取的已结束的完整年度（本批次读取 {year - 1}年及以前的全年数据），"
        "企业的其余数据照常导入"
    )
