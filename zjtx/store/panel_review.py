"""A panel member's records beside the applicant's review: what a change does to it, what stays."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from zjtx.store.models import (
    Applicant,
    Evaluator,
    PanelMember,
    PanelOpinion,
    Review,
    ReviewItem,
    utc_now,
)


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
