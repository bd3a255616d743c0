"""Rulebook texts kept once per rulebook hash, so a stored result holds only what varies."""

from __future__ import annotations

from typing import Any

# Criterion keys that normally repeat the rulebook word for word; a value that differs for an
# applicant is kept in its own result, so nothing is ever lost.
CRITERION_KEYS = (
    "title", "group", "group_title", "kind", "requirement", "clause", "source", "grade",
    "unverified", "max_points", "notes",
)  # fmt: skip
TOP_KEYS = ("rulebook_title",)
# Key order of CriterionResult.to_dict(), to give expanded results their familiar order.
CRITERION_ORDER = (
    "id", "title", "group", "group_title", "kind", "state", "state_label", "points",
    "points_min", "points_max", "max_points", "observed", "requirement", "gap", "clause",
    "source", "grade", "unverified", "judgement", "missing", "parts", "notes",
    "computed_state", "confirmation",
)  # fmt: skip
_RANK = {key: index for index, key in enumerate(CRITERION_ORDER)}


def extract_texts(result: dict[str, Any]) -> dict[str, Any]:
    """The rulebook texts of one full result (Evaluation.to_dict())."""
    return {
        "top": {key: result[key] for key in TOP_KEYS if key in result},
        "criteria": {
            item["id"]: {
                **{key: item[key] for key in CRITERION_KEYS if key in item},
                "part_texts": [part.get("text") for part in item.get("parts", [])],
            }
            for item in result.get("criteria", [])
        },
    }


def compact(result: dict[str, Any], texts: dict[str, Any]) -> dict[str, Any]:
    """A result without the values it shares with the rulebook texts."""
    top = texts["top"]
    out = {k: v for k, v in result.items() if k != "criteria" and not (k in top and top[k] == v)}
    shared = texts["criteria"]
    criteria = []
    for item in result.get("criteria", []):
        base = shared.get(item["id"], {})
        kept = {k: v for k, v in item.items() if not (k in base and base[k] == v)}
        parts = item.get("parts")
        if parts and [p.get("text") for p in parts] == base.get("part_texts"):
            kept["parts"] = [{k: v for k, v in p.items() if k != "text"} for p in parts]
        criteria.append(kept)
    out["criteria"] = criteria
    return out


def expand(stored: dict[str, Any], texts: dict[str, Any] | None) -> dict[str, Any]:
    """The full result again (complete results from older revisions pass unchanged)."""
    if texts is None:
        return stored
    full = {**texts["top"], **{k: v for k, v in stored.items() if k != "criteria"}}
    shared = texts["criteria"]
    criteria = []
    for item in stored.get("criteria", []):
        base = shared.get(item["id"], {})
        merged = {k: v for k, v in base.items() if k != "part_texts"}
        merged.update(item)
        parts = item.get("parts")
        if parts and all("text" not in p for p in parts):
            texts_of_parts = base.get("part_texts", [])
            merged["parts"] = [
                {"text": text, **part} for text, part in zip(texts_of_parts, parts, strict=True)
            ]
        criteria.append(dict(sorted(merged.items(), key=lambda kv: _RANK.get(kv[0], 99))))
    full["criteria"] = criteria
    return full
