"""Choosing the rulebook of a round by tier, date and application type, with the year's notices
applied; titles for people."""

from __future__ import annotations

import os
import time
from datetime import date
from functools import lru_cache
from typing import Any

from zjtx.domain.labels import ApplicationType
from zjtx.paths import DATA_DIR_ENV
from zjtx.scoring.conditions import Cond, CriterionRef
from zjtx.scoring.definitions import (
    APPLICATION_TYPES,
    TIERS,
    Overlay,
    Rulebook,
    describe_applies,
    installed_state,
)
from zjtx.scoring.errors import DataFileError, UnknownNameError
from zjtx.scoring.loader import list_rulebook_ids, load_overlay, load_rulebook
from zjtx.scoring.notices import (
    apply_notices,
    describe_notice,
    describe_setting,
    load_notice,
    notice_records,
    select_notices,
    setting_records,
)


class NoRulebookError(LookupError):
    """No rulebook applies to a tier, round date and application type."""


# How often (seconds) the installed folders are looked at again: choosing a rulebook, asked
# for every applicant, must not cost a file-system call each time (slow on Windows). A file
# this process installs is seen at once (forget_selection), one another process installs
# (or another data folder) within this time.
RECHECK_SECONDS = 1.0
_generation = 0  # how many times this process has installed a file
_seen: tuple[tuple[Any, ...], float, str | None] | None = None  # state, when, data folder


def selection_state() -> tuple[Any, ...]:
    """What choosing a rulebook depends on besides tier, date and type: the installed
    folders and their state. The choices made are kept per state."""
    global _seen
    now = time.monotonic()
    folder = os.environ.get(DATA_DIR_ENV)  # another data folder (--data-dir) is seen at once
    if _seen is None or now - _seen[1] >= RECHECK_SECONDS or _seen[2] != folder:
        _seen = ((_generation, installed_state()), now, folder)
    return _seen[0]


def select_rulebook_id(tier: str, round_date: date, application_type: str = "new") -> str:
    """The rulebook id for a tier, round date and application type (criteria.md §2)."""
    return _select_rulebook_id(tier, round_date, application_type, selection_state())


@lru_cache(maxsize=512)
def _select_rulebook_id(
    tier: str, round_date: date, application_type: str, _state: tuple[Any, ...]
) -> str:
    # Asked once per applicant; every rulebook file is looked at only once per tier and date.
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
        kind = ApplicationType(application_type).label
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
    """The effective rulebook (with overlay and the year's notices) that applies to a round."""
    rulebook_id = select_rulebook_id(tier, round_date, application_type)
    return effective_rulebook(rulebook_id, round_date, application_type, overlay_id)


def effective_rulebook(
    rulebook_id: str,
    round_date: date,
    application_type: str = "new",
    overlay_id: str | None = None,
) -> Rulebook:
    """A rulebook (with overlay) as a round of this date judges this application type: with
    the national notices covering the date and the overlay's province's notices applied.

    Every scoring path (`zjtx score`, rounds in the store, reports) takes its rulebook from
    here, so they all judge by the same notices; ``Rulebook.notices`` names them.
    """
    state = selection_state()
    return _effective(rulebook_id, round_date, application_type, overlay_id, state)


@lru_cache(maxsize=512)
def _effective(
    rulebook_id: str,
    round_date: date,
    application_type: str,
    overlay_id: str | None,
    state: tuple[Any, ...],
) -> Rulebook:
    # Asked once per applicant: the notices are chosen once per rulebook, date and type.
    base = load_rulebook(rulebook_id, overlay_id) if overlay_id else load_rulebook(rulebook_id)
    ids = tuple(n.id for n in select_notices(base, round_date, application_type))
    return _with_notices(rulebook_id, overlay_id, ids, state)


@lru_cache(maxsize=64)
def _with_notices(
    rulebook_id: str, overlay_id: str | None, notice_ids: tuple[str, ...], _state: tuple[Any, ...]
) -> Rulebook:
    base = load_rulebook(rulebook_id, overlay_id) if overlay_id else load_rulebook(rulebook_id)
    return apply_notices(base, [load_notice(nid) for nid in notice_ids])


def check_overlay_for_round(overlay_id: str, rulebook_id: str, round_date: date) -> Overlay:
    """The overlay, after checking it extends this rulebook and covers the round date."""
    overlay = load_overlay(overlay_id)
    if not overlay.applies_on(round_date):
        ranges = describe_applies(overlay.applies)
        raise NoRulebookError(
            f"省级规则“{overlay.title}”（{overlay_id}）只适用于{ranges}的批次，"
            f"不适用于 {round_date.isoformat()} 的批次"
        )
    if overlay.extends != rulebook_id:
        raise NoRulebookError(
            f"省级规则 {overlay_id} 扩展 {overlay.extends}，不适用于 {rulebook_id}"
        )
    return overlay


def provincial_overlays(tier: str, round_date: date, region: str | None) -> list[Overlay]:
    """The provincial rules of the province a round's 地区 lies in (江苏省, 南京市, 吴中区)
    that extend a rulebook of its tier and cover its date: what a round of that province
    would normally use."""
    from zjtx.domain.region import province_of, round_province
    from zjtx.scoring.definitions import list_overlay_ids

    if not region:
        return []
    province = round_province(region) or province_of(region)[0]
    if province is None:
        return []
    found = []
    for overlay_id in list_overlay_ids():
        try:
            overlay = load_overlay(overlay_id)
            base_tier = load_rulebook(overlay.extends).tier
        except (DataFileError, UnknownNameError):
            continue  # a broken file is named where it is used
        if (
            base_tier == tier
            and province.startswith(overlay.province)
            and overlay.applies_on(round_date)
        ):
            found.append(overlay)
    return found


def unused_overlay_note(overlay: Overlay) -> str:
    """What a round (or a new round's dialog) says of provincial rules that cover it but are
    not used."""
    return f"省级规则 {overlay.id}（{overlay.title}）适用于本批次的地区和日期，本批次未使用"


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


def round_notices(
    round_date: date,
    *,
    tier: str | None = None,
    rulebook_id: str | None = None,
    overlay_id: str | None = None,
    overrides: dict[str, bool] | None = None,
) -> tuple[list[dict], list[dict]]:
    """What governs a round besides its rulebooks: the notices applied (records, each with the
    application types it applies to) and the settings a notice or the round fixed (records of
    notices.setting_records), over the round's new and renewal rulebooks alike."""
    notices: dict[str, dict] = {}
    settings: dict[str, dict] = {}
    for application_type in APPLICATION_TYPES:
        try:
            rid = rulebook_id or select_rulebook_id(tier or "", round_date, application_type)
            book = effective_rulebook(rid, round_date, application_type, overlay_id)
        except (NoRulebookError, UnknownNameError, DataFileError):
            continue
        for record in notice_records(book):
            entry = notices.setdefault(record["id"], {**record, "application_types": []})
            entry["application_types"].append(application_type)
        known = {k: v for k, v in (overrides or {}).items() if k in book.settings}
        for record in setting_records(book, known):
            settings.setdefault(record["name"], record)
    return list(notices.values()), list(settings.values())


def round_notice_lines(notices: list[dict], settings: list[dict]) -> list[str]:
    """Chinese lines naming a round's notices and its fixed settings (CLI and report header)."""
    lines = []
    for record in notices:
        types = record.get("application_types") or []
        scope = "" if len(types) != 1 else f"（{ApplicationType(types[0]).label}）"
        lines.append(f"适用通知{scope}：{describe_notice(record)}")
    lines += [f"批次设置：{describe_setting(record)}" for record in settings]
    return lines


def forget_selection() -> None:
    """Forget the rulebooks and notices chosen so far (after a file is installed)."""
    global _generation, _seen
    # A new state even if the folder's time did not move (a coarse clock, two installs in
    # one tick): what anyone keeps by the state is chosen again.
    _generation += 1
    _seen = None
    _select_rulebook_id.cache_clear()
    _effective.cache_clear()
    _with_notices.cache_clear()
