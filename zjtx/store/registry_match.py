"""Near matches of enterprise names: suggestions an evaluator confirms, never applied silently."""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process

NEAR_SCORE = 85.0  # below this, two normalised names are different enterprises in practice
NEAR_LIMIT = 5


def near_names(key: str, names_by_key: Mapping[str, str]) -> list[tuple[str, float]]:
    """The published names whose normalised form is close to ``key`` (but not equal), best
    first, with a similarity score of 0–100."""
    if not key or not names_by_key:
        return []
    found = process.extract(
        key, list(names_by_key), scorer=fuzz.ratio, score_cutoff=NEAR_SCORE, limit=NEAR_LIMIT + 1
    )
    return [
        (names_by_key[candidate], round(score, 1))
        for candidate, score, _ in found
        if candidate != key
    ][:NEAR_LIMIT]
