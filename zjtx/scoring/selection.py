"""Choosing the rulebook of a round by tier, date and application type; titles for people."""

from __future__ import annotations

from datetime import date

from zjtx.scoring.conditions import Cond, CriterionRef
from zjtx.scoring.definitions import APPLICATION_TYPES, TIERS, Overlay, Rulebook
from zjtx.scoring.errors import DataFileError, UnknownNameError
from zjtx.scoring.loader import list_rulebook_ids, load_overlay, load_rulebook


class NoRulebookError(LookupError):
    """No rulebook applies to a tier, round date and application type."""


def select_rulebook_id(tier: str, round_date: date, application_type: str = "new") -> str:
    """The rulebook id for a tier, round date and application type (criteria.md §2)."""
    if tier not in TIERS:
        raise UnknownNameError("层级", tier, TIERS)
    if application_type not in APPLICATION_TYPES:
        raise UnknownNameError("申报类型", application_type, APPLICATION_TYPES)
    candidates = [
        book
        for book in (load_rulebook(rid) for rid in list_rulebook_ids())
        if book.tier == tier and book.applies_to(round_date, application_type)
    ]
    if not candidates:
        kind = {"new": "新申报", "renewal": "复核"}[application_type]
        raise NoRulebookError(
            f"{TIERS[tier]}在 {round_date.isoformat()} 的{kind}批次没有适用的评价标准"
        )
    if len(candidates) > 1:  # pragma: no cover - guarded by a test over the whole table
        names = ", ".join(b.id for b in candidates)
        raise NoRulebookError(f"多个评价标准同时适用：{names}")
    return candidates[0].id


def select_rulebook(
    tier: str, round_date: date, application_type: str = "new", overlay_id: str | None = None
) -> Rulebook:
    """The rulebook (with overlay) that applies to a round."""
    rulebook_id = select_rulebook_id(tier, round_date, application_type)
    return load_rulebook(rulebook_id, overlay_id) if overlay_id else load_rulebook(rulebook_id)


def check_overlay_for_round(overlay_id: str, rulebook_id: str, round_date: date) -> Overlay:
    """The overlay, after checking it extends this rulebook and covers the round date."""
    overlay = load_overlay(overlay_id)
    if not overlay.applies_on(round_date):
        ranges = "；".join(a.describe() for a in overlay.applies)
        raise NoRulebookError(
            f"省级规则 {overlay_id}（{overlay.title}）只适用于 {ranges} 的批次，"
            f"不适用于 {round_date.isoformat()} 的批次"
        )
    if overlay.extends != rulebook_id:
        raise NoRulebookError(
            f"省级规则 {overlay_id} 扩展 {overlay.extends}，不适用于 {rulebook_id}"
        )
    return overlay


def verdict_criteria(rulebook: Rulebook) -> list[str]:
    """Ids of criteria the verdict names directly (for display ordering and tests)."""
    refs: list[str] = []

    def walk(node: Cond) -> None:
        if isinstance(node, CriterionRef):
            refs.append(node.criterion_id)
        for child in node.children():
            walk(child)

    walk(rulebook.verdict)


def rulebook_title(rulebook_id: str) -> str:
    """The Chinese title of a bundled rulebook for people to read; the id when it is unknown."""
    try:
        return load_rulebook(rulebook_id).title or rulebook_id
    except (UnknownNameError, DataFileError):
        return rulebook_id


def overlay_title(overlay_id: str) -> str:
    """The Chinese title of a bundled provincial overlay; the id when it is unknown."""
    try:
        return load_overlay(overlay_id).title or overlay_id
    except (UnknownNameError, DataFileError):
        return overlay_id
