"""A panel member's records beside the applicant's review: what a change does to it, what stays."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from zjtx.store.bulk import chunks
from zjtx.store.models import (
    Applicant,
    AuditEvent,
    Evaluator,
    PanelJudgement,
    PanelMember,
    PanelOpinion,
    Review,
    ReviewItem,
    utc_now,
)
from zjtx.store.panel_history import IN_CHUNK, summarize_event
from zjtx.store.panel_positions import CHAIR, DEPUTY, TRIM_FROM


def panel_touched(session: Session, applicant: Applicant, *, second_look: bool = True) -> int:
    """The applicant's review version after a member's judgement, opinion or 回避 changed.

    The version moves, so a decision or confirmation saved from a view taken before the change
    conflicts and names it (the review is created, empty, where none was yet); a decision
    already taken is marked for a second look (需复核) unless ``second_look`` is False. One
    UPDATE moves it in the database, as a change of the panel's rule does for many at once:
    neither can find the other's version stale.
    """
    now = utc_now()
    values: dict[str, Any] = {"version": Review.version + 1, "updated_at": now}
    if second_look:
        values["panel_changed_at"] = case(
            (Review.decision.is_not(None), now), else_=Review.panel_changed_at
        )
    moved = session.execute(
        update(Review).where(Review.applicant_id == applicant.id).values(**values)
    )
    if not moved.rowcount:
        session.add(Review(applicant_id=applicant.id, opinion="", updated_at=now))
        session.flush()
    return session.scalar(select(Review.version).where(Review.applicant_id == applicant.id))


def confirmations_by(session: Session, applicant: Applicant, name: str) -> list[str]:
    """The criteria of an applicant's official review that ``name`` confirmed or 改判."""
    return list(
        session.scalars(
            select(ReviewItem.target)
            .join(Review, Review.id == ReviewItem.review_id)
            .join(Evaluator, Evaluator.id == ReviewItem.evaluator_id)
            .where(
                Review.applicant_id == applicant.id,
                ReviewItem.kind == "criterion",
                Evaluator.name == name,
            )
            .order_by(ReviewItem.target)
        )
    )


def kept_note(member: str, kept: list[str]) -> str | None:
    """What a 回避 leaves in force: the member's official confirmations made before it."""
    if not kept:
        return None
    return (
        f"{member} 回避前在评审中对 {'、'.join(kept)} 的确认或改判仍然有效，"
        "请组长复核这些条目（重新确认或改判）"
    )


def opinion_of(session: Session, member: PanelMember, applicant: Applicant) -> PanelOpinion | None:
    """A member's own opinion on an applicant, or None."""
    return session.scalar(
        select(PanelOpinion).where(
            PanelOpinion.member_id == member.id, PanelOpinion.applicant_id == applicant.id
        )
    )


# The panel's changes that can put a decision in doubt (a member added or removed is not one).
PANEL_CHANGES = (
    "panel-judgement", "panel-opinion", "panel-recusal", "panel-recusal-withdraw",
    "panel-aggregation",
)  # fmt: skip
SAID_AT_MOST = 3  # changes named in a 需复核 reason; the rest are counted (the trail has all)


def panel_changes(
    session: Session, round_id: int, decisions: Mapping[int, tuple[Any, Any]]
) -> dict[int, str]:
    """What changed in the panel after each decision the panel has moved since, by applicant
    id (``decisions``: applicant id → (decided at, panel changed at)), in the trail's words: 专家 专家丙 判断 LG26-5 …：符合→不符合. Only
    what moved the decision is named: a judgement or opinion entered again unchanged, a 回避
    that changed nothing, a rule change that left an applicant's aggregate as it was are not;
    an opinion is named, not quoted. Reads the events of those applicants after the earliest
    of those decisions only."""
    decided: dict[int, datetime] = {
        owner: decided_at
        for owner, (decided_at, changed_at) in decisions.items()
        if decided_at is not None and changed_at is not None and changed_at > decided_at
    }
    if not decided:
        return {}

    owners_wanted = list(decided)
    whose = AuditEvent.applicant_id.is_(None)  # the panel's rule: every applicant's
    if len(owners_wanted) <= IN_CHUNK:  # its index: not the round's whole trail
        whose = whose | AuditEvent.applicant_id.in_(owners_wanted)
    events = session.execute(
        select(AuditEvent.applicant_id, AuditEvent.action, AuditEvent.at,
               AuditEvent.before, AuditEvent.after, AuditEvent.reason)
        .where(AuditEvent.round_id == round_id, AuditEvent.action.in_(PANEL_CHANGES),
               AuditEvent.at > min(decided.values()), whose)
        .order_by(AuditEvent.id)
    ).all()  # fmt: skip
    trimmed: set[int] | None = None  # applicants a change of rule moves, read if one happened
    said: dict[int, list[str]] = {}
    for event in events:
        if not _moved(event):
            continue
        if event.applicant_id is not None:
            owners = [event.applicant_id]
        else:
            if trimmed is None:
                trimmed = rule_moves(session, owners_wanted)
            owners = [owner for owner in owners_wanted if owner in trimmed]
        for owner in owners:
            if owner in decided and event.at > decided[owner]:
                said.setdefault(owner, []).append(_said(event))
    return {owner: _listed(lines) for owner, lines in said.items()}


def rule_moves(session: Session, applicant_ids: list[int]) -> set[int]:
    """The applicants a change of the panel's scoring rule moves (as Panels' _rule_changed
    has it): those with an item the panel gave TRIM_FROM or more scores."""
    moved: set[int] = set()
    for part in chunks(applicant_ids, IN_CHUNK):
        moved.update(
            session.scalars(
                select(PanelJudgement.applicant_id)
                .where(PanelJudgement.applicant_id.in_(part), PanelJudgement.points.is_not(None))
                .group_by(PanelJudgement.applicant_id, PanelJudgement.criterion)
                .having(func.count() >= TRIM_FROM)
            )
        )
    return moved


def _moved(event: Any) -> bool:
    """Whether a panel event put a decision in doubt, as the act that wrote it judged."""
    after, before = event.after or {}, event.before or {}
    action = event.action
    if action in ("panel-judgement", "panel-opinion"):
        return "review_version" in after  # not entered again unchanged
    if action in ("panel-recusal", "panel-recusal-withdraw") and "second_look" in after:
        return bool(after["second_look"])
    if action == "panel-recusal":  # recorded before the flag: what could have moved it
        # It withdrew what the member had said, left their confirmations in force, or was the
        # 组长's or a 副组长's (who presides may change). One declared before judging: nothing.
        return bool(after.get("chair") or after.get("confirmations_kept")
                    or after.get("member_role") in (CHAIR, DEPUTY))  # fmt: skip
    if action == "panel-recusal-withdraw":
        return after.get("member_role") in (CHAIR, DEPUTY)  # who presides may change
    return before.get("aggregation") != after.get("aggregation")  # not the rule it had


def _said(event: Any) -> str:
    if event.action == "panel-opinion":
        done = "修改了意见" if event.before else "发表了意见"
        return f"专家 {(event.after or {}).get('member')} {done}"
    return summarize_event(event)


def _listed(lines: list[str]) -> str:
    """The first SAID_AT_MOST changes (each once), and how many more the trail holds."""
    distinct = list(dict.fromkeys(lines))
    rest = len(distinct) - SAID_AT_MOST
    return "；".join(distinct[:SAID_AT_MOST]) + (
        f"；另有 {rest} 项，见评审留痕" if rest > 0 else ""
    )
