"""Rulebook texts kept once per rulebook hash, so a stored result holds only what varies.

The first result stored for a rulebook hash becomes the reference; every later result of that
rulebook keeps only the values that differ from it (texts of criteria, and usually most
states and empty fields, are the same). Expanding gives back exactly Evaluation.to_dict().
"""

from __future__ import annotations

from itertools import compress
from operator import ne
from typing import Any

FORMAT = 2
TOP_KEYS = ("rulebook_title",)
# Key order of CriterionResult.to_dict(), to give expanded results their familiar order.
CRITERION_ORDER = (
    "id", "title", "group", "group_title", "kind", "state", "state_label", "points",
    "points_min", "points_max", "max_points", "observed", "requirement", "gap", "clause",
    "source", "grade", "unverified", "judgement", "missing", "parts", "notes",
    "computed_state", "confirmation",
)  # fmt: skip
_RANK = {key: index for index, key in enumerate(CRITERION_ORDER)}
_MISSING = object()


def extract_texts(result: dict[str, Any]) -> dict[str, Any]:
    """The reference taken from one full result (Evaluation.to_dict())."""
    return {
        "format": FORMAT,
        "top": {key: result[key] for key in TOP_KEYS if key in result},
        "order": list(result),
        "criteria": {item["id"]: item for item in result.get("criteria", [])},
    }


def _diff(item: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in item.items() if base.get(k, _MISSING) != v}
    absent = [k for k in base if k not in item]
    if absent:
        kept["$absent"] = absent
    return kept


class _Prepared:
    """One reference dict (a criterion, or a part of one) with its keys and values in order."""

    __slots__ = ("base", "keys", "parts", "values")

    def __init__(self, base: dict[str, Any]) -> None:
        self.base = base
        self.keys = tuple(base)
        self.values = tuple(base.values())
        parts = base.get("parts")
        self.parts = [_Prepared(p) for p in parts] if isinstance(parts, list) else []

    def diff(self, item: dict[str, Any]) -> dict[str, Any]:
        """What _diff keeps of ``item``: laid out like the reference (every to_dict() of a
        criterion or part is), its values are compared in C; else key by key."""
        keys = self.keys
        if tuple(item) == keys:
            return {k: item[k] for k in compress(keys, map(ne, item.values(), self.values))}
        return _diff(item, self.base)


class Reference:
    """A rulebook's reference prepared once for compacting many results."""

    __slots__ = ("criteria", "texts")

    def __init__(self, texts: dict[str, Any]) -> None:
        self.texts = texts
        self.criteria = {key: _Prepared(base) for key, base in texts["criteria"].items()}


def compact(
    result: dict[str, Any], texts: dict[str, Any], reference: Reference | None = None
) -> dict[str, Any]:
    """A result without the values it shares with the reference (``reference``: the texts
    prepared once for many results; made here when not given)."""
    top = texts["top"]
    out = {k: v for k, v in result.items() if k != "criteria" and not (k in top and top[k] == v)}
    if texts.get("format") != FORMAT:
        out["criteria"] = _compact_format1(result, texts)
        return out
    if reference is None or reference.texts is not texts:
        reference = Reference(texts)
    shared = reference.criteria
    criteria = []
    for item in result.get("criteria", []):
        prepared = shared.get(item["id"])
        if prepared is None:
            criteria.append(item)
            continue
        kept = prepared.diff(item)
        kept["id"] = item["id"]
        parts, base_parts = item.get("parts"), prepared.parts
        if "parts" in kept and parts and base_parts and len(parts) == len(base_parts):
            kept["parts"] = {"$diff": [b.diff(p) for p, b in zip(parts, base_parts, strict=True)]}
        criteria.append(kept)
    out["criteria"] = criteria
    return out


def _undiff(item: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **item}
    for key in item.get("$absent", ()):
        merged.pop(key, None)
    merged.pop("$absent", None)
    return merged


def expand(stored: dict[str, Any], texts: dict[str, Any] | None) -> dict[str, Any]:
    """The full result again (complete results from older revisions pass unchanged)."""
    if texts is None:
        return stored
    full = {**texts["top"], **{k: v for k, v in stored.items() if k != "criteria"}}
    if texts.get("format") != FORMAT:
        full["criteria"] = _expand_format1(stored, texts)
        return full
    shared = texts["criteria"]
    criteria = []
    for item in stored.get("criteria", []):
        base = shared.get(item["id"])
        if base is None:
            criteria.append(item)
            continue
        merged = _undiff(item, base)
        parts = item.get("parts")
        if isinstance(parts, dict) and "$diff" in parts:
            merged["parts"] = [
                _undiff(p, b) for p, b in zip(parts["$diff"], base["parts"], strict=True)
            ]
        criteria.append(dict(sorted(merged.items(), key=lambda kv: _RANK.get(kv[0], 99))))
    full["criteria"] = criteria
    rank = {key: index for index, key in enumerate(texts.get("order", ()))}
    return dict(sorted(full.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def _compact_format1(result: dict[str, Any], texts: dict[str, Any]) -> list[dict[str, Any]]:
    shared = texts["criteria"]
    criteria = []
    for item in result.get("criteria", []):
        base = shared.get(item["id"], {})
        kept = {k: v for k, v in item.items() if not (k in base and base[k] == v)}
        parts = item.get("parts")
        if parts and [p.get("text") for p in parts] == base.get("part_texts"):
            kept["parts"] = [{k: v for k, v in p.items() if k != "text"} for p in parts]
        criteria.append(kept)
    return criteria


def _expand_format1(stored: dict[str, Any], texts: dict[str, Any]) -> list[dict[str, Any]]:
    shared = texts["criteria"]
    criteria = []
    for item in stored.get("criteria", []):
        base = shared.get(item["id"], {})
        merged = {k: v for k, v in base.items() if k != "part_texts"}
        merged.update(item)
        parts = item.get("parts")
        if parts and all("text" not in p for p in parts):
            merged["parts"] = [
                {"text": text, **part}
                for text, part in zip(base.get("part_texts", []), parts, strict=True)
            ]
        criteria.append(dict(sorted(merged.items(), key=lambda kv: _RANK.get(kv[0], 99))))
    return criteria
