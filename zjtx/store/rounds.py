"""Rounds (批次) and evaluators' roles: create, list, rename, archive and restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zjtx.scoring.errors import did_you_mean
from zjtx.store import audit
from zjtx.store.bulk import gc_paused
from zjtx.store.common import (
    check_open,
    check_text,
    column_limit,
    count_applicants,
    evaluator_row,
    find_round,
    iso,
    local_time,
    round_info,
)
from zjtx.store.dto import TIER_LABELS, RoundInfo
from zjtx.store.engine import Store
from zjtx.store.errors import ReviewRuleError, RoundNameError
from zjtx.store.evaluations import Evaluations
from zjtx.store.models import Applicant, Evaluator, Round, utc_now
from zjtx.store.registry import share_register
from zjtx.store.registry_checks import REGISTRY_CHECKS
from zjtx.store.registry_recheck import RoundRecheck, recheck_open_rounds


@dataclass(frozen=True, slots=True)
class RoundRestored:
    """A round brought back from the archive, and what checking it against the register as
    it now stands changed (nothing: empty)."""

    info: RoundInfo
    rechecked: tuple[RoundRecheck, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.info.to_dict(), "rechecked": [r.to_dict() for r in self.rechecked]}

    def text(self) -> str:
        """One Chinese sentence: restored, and what checking it against the register did."""
        said = f"已恢复批次 “{self.info.name}”，可以继续导入和评审"
        own = f"批次 “{self.info.name}”："
        return said + "".join(
            f"；已按培育库重新核对：{r.summary().removeprefix(own)}" for r in self.rechecked
        )


class Rounds:
    """The rounds of a store and who may decide in them."""

    def __init__(self, store: Store, evaluations: Evaluations) -> None:
        self.store = store
        self.evaluations = evaluations

    def set_evaluator_role(self, name: str, role: str, evaluator: str | None) -> None:
        if role not in audit.ROLES:
            raise ReviewRuleError(f"角色只能是 {'、'.join(audit.ROLES)}，收到 “{role}”")
        with self.store.write_session() as session:
            actor = evaluator_row(session, evaluator)
            target = evaluator_row(session, name)
            before = target.role
            target.role = role
            session.add(
                audit.event(
                    actor,
                    "evaluator-role",
                    "evaluator",
                    target.id,
                    before={"name": name, "role": before},
                    after={"name": name, "role": role},
                )
            )

    def create(
        self,
        name: str,
        *,
        tier: str,
        round_date: date,
        region: str | None,
        rulebook: str | None,
        overlay: str | None,
        settings: dict[str, Any] | None,
        evaluator: str | None,
    ) -> RoundInfo:
        name = name.strip()
        if not name:
            raise RoundNameError("批次名称不能为空")
        check_text("批次名称", name, column_limit(Round.__table__.c.name))
        check_text("批次地区", region, column_limit(Round.__table__.c.region))
        if tier not in TIER_LABELS:
            hint = did_you_mean(tier, TIER_LABELS)
            raise ReviewRuleError(
                f"未知的层级 “{tier}”"
                + (f"，您是不是要写 “{hint}”？" if hint else "")
                + f"可用：{'、'.join(TIER_LABELS)}"
            )
        try:
            check = getattr(self.evaluations.scorer, "check_round", None)
            if check is not None:  # a test scorer may not know about rounds
                check(
                    RoundInfo(
                        id=0,
                        name=name,
                        tier=tier,
                        round_date=round_date,
                        region=region,
                        rulebook=rulebook,
                        overlay=overlay,
                        settings=dict(settings or {}),
                        created_by="",
                        created_at=utc_now(),
                    )
                )
            with self.store.write_session() as session:
                _check_name_free(session, name)
                actor = evaluator_row(session, evaluator)
                row = Round(
                    name=name,
                    tier=tier,
                    round_date=round_date,
                    region=region,
                    rulebook=rulebook,
                    overlay=overlay,
                    settings=dict(settings or {}),
                    created_by_id=actor.id,
                    created_at=utc_now(),
                    registry_checks=REGISTRY_CHECKS,  # no applicant yet: nothing to check
                )
                session.add(row)
                session.flush()
                info = round_info(row, actor.name)
                after = info.to_dict()
                after.pop("created_at")
                session.add(audit.event(actor, "round-create", "round", row.id, row, after=after))
        except IntegrityError:
            raise RoundNameError(f"批次 “{name}” 已存在，请换一个名称") from None
        return info

    def list_rounds(self, include_archived: bool) -> list[RoundInfo]:
        with self.store.session() as session:
            counts = dict(
                session.execute(
                    select(Applicant.round_id, func.count()).group_by(Applicant.round_id)
                ).all()
            )
            query = (
                select(Round, Evaluator.name)
                .join(Evaluator, Evaluator.id == Round.created_by_id)
                .order_by(Round.round_date.desc(), Round.id.desc())
            )
            if not include_archived:
                query = query.where(Round.archived_at.is_(None))
            rows = session.execute(query).all()
            return [round_info(r, creator, counts.get(r.id, 0)) for r, creator in rows]

    def rename(self, old: str, new: str, evaluator: str | None) -> RoundInfo:
        new = (new or "").strip()
        if not new:
            raise RoundNameError("批次的新名称不能为空")
        check_text("批次的新名称", new, column_limit(Round.__table__.c.name))
        try:
            with self.store.write_session() as session:
                row = find_round(session, old)
                check_open(row, "重命名")
                if new == row.name:
                    raise RoundNameError(f"新名称与原名称相同（“{new}”），未作改动")
                _check_name_free(session, new)
                actor = evaluator_row(session, evaluator)
                before = row.name
                row.name = new
                session.flush()
                session.add(
                    audit.event(
                        actor,
                        "round-rename",
                        "round",
                        row.id,
                        row,
                        before={"name": before},
                        after={"name": new},
                    )
                )
        except IntegrityError:  # someone took the name in between
            raise RoundNameError(f"批次 “{new}” 已存在，请换一个名称") from None
        return self.get(new)

    def set_archived(
        self, name: str, archived: bool, evaluator: str | None
    ) -> tuple[RoundInfo, tuple[RoundRecheck, ...]]:
        """Archive or restore a round; a round restored is checked against the register as it
        now stands (lists imported while it was archived passed it by): what that changed."""
        rechecked: tuple[RoundRecheck, ...] = ()
        with gc_paused(), self.store.write_session() as session:
            if not archived:
                share_register(session)  # before anything is written
            row = find_round(session, name)
            if archived and row.archived_at is not None:
                raise ReviewRuleError(f"批次 “{row.name}” 已于 {local_time(row.archived_at)} 归档")
            if not archived and row.archived_at is None:
                raise ReviewRuleError(f"批次 “{row.name}” 没有归档，无需恢复")
            actor = evaluator_row(session, evaluator)
            before = row.archived_at
            now = utc_now()
            row.archived_at = now if archived else None
            session.add(
                audit.event(
                    actor,
                    "round-archive" if archived else "round-restore",
                    "round",
                    row.id,
                    row,
                    before={"name": row.name, "archived_at": iso(before)},
                    after={"name": row.name, "archived_at": iso(row.archived_at)},
                )
            )
            if not archived:
                rechecked = tuple(recheck_open_rounds(session, actor, now, None, only=row))
        return self.get(name), rechecked

    def ensure_open(self, round_name: str, doing: str) -> None:
        with self.store.session() as session:
            check_open(find_round(session, round_name), doing)

    def get(self, name: str) -> RoundInfo:
        with self.store.session() as session:
            row = find_round(session, name)
            creator = session.get_one(Evaluator, row.created_by_id).name
            return round_info(row, creator, count_applicants(session, row.id))


def _check_name_free(session: Session, name: str) -> None:
    """Round names are unique, archived rounds included (the message says where it is)."""
    taken = session.execute(select(Round.archived_at).where(Round.name == name)).first()
    if taken is not None:
        where = "（在已归档的批次中）" if taken.archived_at is not None else ""
        raise RoundNameError(f"批次 “{name}” 已存在{where}，请换一个名称")
