"""A panel member's records beside the applicant's review: what a change does to it, what stays."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from zjtx.store.models import (
    Applicant,
    AuditEvent,
    Evaluator,
    PanelMember,
    PanelOpinion,
    Review,
    ReviewItem,
    utc_now,
)
from zjtx.store.panel_positions import CHAIR, DEPUTY


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
    session: Session, round_id: int, decided: Mapping[int, datetime]
) -> dict[int, str]:
    """What changed in the panel after each decision, by applicant id (``decided``: applicant
    id → when decided), in the trail's words: 专家 专家丙 判断 LG26-5 …：符合→不符合. A
    judgement or opinion entered again unchanged is none; an opinion is named, not quoted."""
    if not decided:
        return {}
    from zjtx.store.panel_history import summarize_event

    said: dict[int, list[str]] = {}
    events = session.execute(
        select(AuditEvent.applicant_id, AuditEvent.action, AuditEvent.at,
               AuditEvent.before, AuditEvent.after, AuditEvent.reason)
        .where(AuditEvent.round_id == round_id, AuditEvent.action.in_(PANEL_CHANGES))
        .order_by(AuditEvent.id)
    )  # fmt: skip
    for event in events:
        after = event.after or {}
        if event.action in ("panel-judgement", "panel-opinion") and "review_version" not in after:
            continue  # entered again, unchanged: it moved nothing
        if event.action == "panel-recusal" and not _moved_by_recusal(after):
            continue
        if event.action == "panel-aggregation" and (event.before or {}).get(
            "aggregation"
        ) == after.get("aggregation"):
            continue  # the rule it already had
        at = event.at
        owners = [event.applicant_id] if event.applicant_id is not None else list(decided)
        for owner in owners:
            if owner in decided and at > decided[owner]:
                if event.action == "panel-opinion":
                    done = "修改了意见" if event.before else "发表了意见"
                    words = f"专家 {after.get('member')} {done}"
                else:
                    words = summarize_event(event)
                said.setdefault(owner, []).append(words)
    return {owner: _listed(lines) for owner, lines in said.items()}


def _moved_by_recusal(after: dict[str, Any]) -> bool:
    """Whether a 回避 put a decision in doubt (as Panels.recuse judges it): it withdrew what
    the member had said, left their confirmations in force, or was the 组长's or a 副组长's
    (who presides may change). A member's 回避 declared before judging changes nothing."""
    return bool(
        after.get("chair")
        or after.get("confirmations_kept")
        or after.get("member_role") in (CHAIR, DEPUTY)
    )


def _listed(lines: list[str]) -> str:
    shown = "；".join(dict.fromkeys(lines[:SAID_AT_MOST]))
    rest = len(lines) - SAID_AT_MOST
    return shown + (f"；另有 {rest} 项，见评审留痕" if rest > 0 else "")
