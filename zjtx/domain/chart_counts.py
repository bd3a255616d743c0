"""Counts a chart has room for: the largest bars, and one bar for the rest."""

from __future__ import annotations

from collections.abc import Sequence


def largest_and_rest(
    counts: Sequence[tuple[str, int]], room: int, what: str
) -> list[tuple[str, int]]:
    """``counts`` (label, count; largest first) cut to ``room`` bars: beyond it the first
    room - 1 and a last bar of the rest (其他 5 个地区), so every applicant is still counted."""
    if len(counts) <= room:
        return list(counts)
    rest = counts[room - 1 :]
    return [*counts[: room - 1], (f"其他 {len(rest)} 个{what}", sum(n for _, n in rest))]
