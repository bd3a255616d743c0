"""Expert panels (专家组): members, their own judgements, opinions and 回避, and who decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from zjtx.store import audit
from zjtx.store.bulk import EvaluatorNames, chunks
from zjtx.store.common import (
    check_open,
    check_text,
    column_limit,
    current_version,
    decision_label,
    evaluator_row,
    find_applicant,
    find_round,
    hold_applicant,
    outdated_decisions,
    round_info,
    version_applicant,
)
from zjtx.store.engine import Store
from zjtx.store.errors import NotFoundError, ReviewRuleError
from zjtx.store.evaluations import Evaluations, round_results
from zjtx.store.identity import record_evaluator, review_evaluator
from zjtx.store.models import (
    Applicant,
    AuditEvent,
    Evaluation,
    Evaluator,
    Panel,
    PanelJudgement,
    PanelMember,
    PanelOpinion,
    PanelRecusal,
    Review,
    Round,
    utc_now,
)
from zjtx.store.panel_deciding import (
    PanelRefusedError,
    check_recorder,
    decider_refusal,
    members_of,
    panel_of,
    presider_of,
    presiding_words,
    recusal_of,
    recused_refusal,
    when_chair_recused,
)
from zjtx.store.panel_history import IN_CHUNK, late_recusals
from zjtx.store.panel_points import checked_points, decimal_of, points_high, stored_number
from zjtx.store.panel_positions import (
    AGGREGATION_LABELS,
    CHAIR,
    MEAN,
    ROLE_LABELS,
    TRIM_FROM,
    TRIMMED,
    ApplicantPanel,
    CriterionPositions,
    Given,
    JudgementItem,
    MemberInfo,
    PanelInfo,
    PanelRecords,
    decided_by_data,
)
from zjtx.store.panel_review import confirmations_by, kept_note, opinion_of, panel_touched

REFUSALS = (decider_refusal, recused_refusal)  # deciding; confirming or 改判

# What a failed read of the panel's records left undone (a rulebook that cannot judge an
# applicant): nothing is written by a read.
UNREAD = "专家组记录未读取"


def parse_role(text: str) -> str:
    """The role code of 评审专家 / 副组长 / 组长 (or expert / deputy / chair)."""
    value = (text or "").strip()
    for code, label in ROLE_LABELS.items():
        if value in (code, label):
            return code
    raise ReviewRuleError(f"专家组角色只能是 评审专家、副组长 或 组长，收到 “{text}”")


def parse_aggregation(text: str) -> str:
    value = (text or "").strip()
    for code, label in AGGREGATION_LABELS.items():
        if value in (code, label):
            return code
    raise ReviewRuleError(
        f"评分汇总规则只能是 mean（算术平均）或 trimmed（去掉一个最高分和一个最低分），"
        f"收到 “{text}”"
    )


# ----------------------------------------------------------------------------- rules


def _required(text: str | None, label: str, empty: str) -> str:
    """``text`` stripped; ``empty`` refuses a blank one, check_text a control character."""
    text = (text or "").strip()
    if not text:
        raise ReviewRuleError(empty)
    check_text(label, text)
    return text


def _rule_changed(session: Session, panel: Panel) -> None:
    """Mark for a second look the decisions taken on applicants whose aggregate the change of
    rule changes: those with an item the panel gave TRIM_FROM or more scores (with fewer, the
    trimmed mean is the mean)."""
    scored = (
        select(PanelJudgement.applicant_id)
        .join(PanelMember, PanelMember.id == PanelJudgement.member_id)
        .where(PanelMember.panel_id == panel.id, PanelJudgement.points.is_not(None))
        .group_by(PanelJudgement.applicant_id, PanelJudgement.criterion)
        .having(func.count() >= TRIM_FROM)
    )
    session.execute(
        update(Review)
        .where(Review.applicant_id.in_(scored), Review.decision.is_not(None))
        # The version moves as with any change of a review: a window showing the old one
        # saves with a conflict.
        .values(panel_changed_at=utc_now(), version=Review.version + 1)
    )


class Panels:
    """Saves and reads expert panels; every change is one transaction with its audit event."""

    def __init__(self, store: Store, evaluations: Evaluations) -> None:
        self.store = store
        self.evaluations = evaluations

    # ------------------------------------------------------------------- members

    def panel(self, round_name: str) -> PanelInfo:
        """The round's panel (no members when it has none)."""
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            panel = panel_of(session, round_row)
            counts = dict(
                session.execute(
                    select(PanelJudgement.member_id, func.count()).group_by(
                        PanelJudgement.member_id
                    )
                ).all()
            )
            members = tuple(
                MemberInfo(m.name, m.unit, m.role, counts.get(m.id, 0))
                for m in members_of(session, panel)
            )
            return PanelInfo(round_row.name, panel.aggregation if panel else MEAN, members)

    def add_member(
        self, round_name: str, name: str, *, unit: str = "", role: str, evaluator: str | None
    ) -> MemberInfo:
        """Add a member; a name already on the panel and a second 组长 are refused."""
        code = parse_role(role)
        name, unit = (name or "").strip(), (unit or "").strip()
        if not name:
            raise ReviewRuleError("专家姓名不能为空")
        check_text("专家姓名", name, column_limit(PanelMember.__table__.c.name))
        check_text("专家单位", unit, column_limit(PanelMember.__table__.c.unit))
        with self.store.write_session() as session:
            round_row = find_round(session, round_name)
            check_open(round_row, "修改专家组")
            actor = evaluator_row(session, record_evaluator(evaluator))
            panel = panel_of(session, round_row)
            if panel is None:
                panel = Panel(round_id=round_row.id, aggregation=MEAN, created_at=utc_now())
                session.add(panel)
                session.flush()
            members = members_of(session, panel)
            if any(m.name == name for m in members):
                raise PanelRefusedError(f"{name} 已是批次 “{round_row.name}” 的专家组成员")
            chair = next((m for m in members if m.role == CHAIR), None)
            if code == CHAIR and chair is not None:
                raise PanelRefusedError(
                    f"批次 “{round_row.name}” 的专家组已有组长 {chair.name}；一个专家组只有一位组长"
                )
            member = PanelMember(panel_id=panel.id, name=name, unit=unit, role=code)
            session.add(member)
            session.flush()
            after = {"name": name, "unit": unit, "role": code, "role_label": ROLE_LABELS[code]}
            session.add(audit.event(actor, "panel-member-add", "panel_member", member.id,
                                    round_row, after=after))  # fmt: skip
            return MemberInfo(name, unit, code)

    def remove_member(self, round_name: str, name: str, *, evaluator: str | None) -> None:
        """Remove a member who has recorded nothing; one with judgements, opinions or 回避
        stays (their record belongs to the round's file) and the refusal says so."""
        with self.store.write_session() as session:
            round_row = find_round(session, round_name)
            check_open(round_row, "修改专家组")
            actor = evaluator_row(session, record_evaluator(evaluator))
            member = self._member(session, round_row, name)
            recorded = sum(
                session.scalar(select(func.count()).where(model.member_id == member.id)) or 0
                for model in (PanelJudgement, PanelOpinion, PanelRecusal)
            )
            if recorded:
                raise PanelRefusedError(
                    f"{member.name} 已在批次 “{round_row.name}” 中记录了 {recorded} 项判断、意见或"
                    "回避声明，这些记录须随批次保留，不能移除该成员"
                )
            decided = session.scalar(
                select(func.count())
                .select_from(Review)
                .join(Applicant, Applicant.id == Review.applicant_id)
                .join(Evaluator, Evaluator.id == Review.decided_by_id)
                .where(Applicant.round_id == round_row.id, Evaluator.name == member.name)
            )
            if decided:
                # The printed 评审意见表 names the decider with their role on the panel.
                raise PanelRefusedError(
                    f"{member.name} 已对批次 “{round_row.name}” 的 {decided} 家企业作出最终决定，"
                    "须随批次保留其专家组身份，不能移除该成员"
                )
            before = {"name": member.name, "unit": member.unit, "role": member.role,
                      "role_label": ROLE_LABELS[member.role]}  # fmt: skip
            session.add(audit.event(actor, "panel-member-remove", "panel_member", member.id,
                                    round_row, before=before))  # fmt: skip
            session.delete(member)

    def set_aggregation(self, round_name: str, rule: str, *, evaluator: str | None) -> str | None:
        """Choose how members' points are combined (mean or trimmed). Returns a note when
        the panel has too few members for ``trimmed`` to drop any score."""
        code = parse_aggregation(rule)
        with self.store.write_session() as session:
            round_row = find_round(session, round_name)
            check_open(round_row, "修改专家组")
            actor = evaluator_row(session, record_evaluator(evaluator))
            panel = panel_of(session, round_row)
            if panel is None:
                raise PanelRefusedError(f"批次 “{round_row.name}” 还没有专家组，请先添加成员")
            before = {"aggregation": panel.aggregation}
            if code != panel.aggregation:
                _rule_changed(session, panel)
            panel.aggregation = code
            session.add(audit.event(actor, "panel-aggregation", "panel", panel.id, round_row,
                                    before=before, after={"aggregation": code,
                                    "label": AGGREGATION_LABELS[code]}))  # fmt: skip
            members = len(members_of(session, panel))
        if code == TRIMMED and members < TRIM_FROM:
            return (
                f"注意：去掉一个最高分和一个最低分须有 {TRIM_FROM} 名及以上专家评分；本专家组现有 "
                f"{members} 名成员，评分不足 {TRIM_FROM} 人的条目按算术平均"
            )
        return None

    def _member_on(
        self, session: Session, round_name: str, uscc: str, member: str, action: str
    ) -> tuple[Round, Applicant, PanelMember]:
        """The open round, the applicant in it and the panel member a member's act is about
        (``action`` names the act in the refusal of a closed round)."""
        round_row = find_round(session, round_name)
        applicant = find_applicant(session, round_row, uscc)
        hold_applicant(session, applicant)  # a 回避 and a judgement at once take turns
        session.refresh(round_row)  # archived while this waited
        check_open(round_row, action)
        return round_row, applicant, self._member(session, round_row, member)

    def _member(self, session: Session, round_row: Round, name: str) -> PanelMember:
        members = members_of(session, panel_of(session, round_row))
        member = next((m for m in members if m.name == (name or "").strip()), None)
        if member is None:
            listed = "、".join(m.name for m in members) or "尚无成员"
            raise PanelRefusedError(
                f"{name} 不是批次 “{round_row.name}” 的专家组成员（成员：{listed}）"
            )
        return member

    # ----------------------------------------------------------------- per applicant

    def judge(
        self,
        round_name: str,
        uscc: str,
        *,
        member: str,
        criterion: str,
        met: bool,
        points: str | Decimal | None = None,
        note: str = "",
        evaluator: str | None = None,
    ) -> CriterionPositions:
        """Record a member's own position on a judgement item (replacing their earlier one);
        points are for scored judgement items only, within 0 and the item's maximum."""
        recorder = review_evaluator(evaluator)
        note = (note or "").strip()
        check_text("判断说明", note)
        with self.store.write_session() as session:
            round_row, applicant, person = self._member_on(
                session, round_name, uscc, member, "记录专家判断"
            )
            check_recorder(session, round_row, applicant, person, recorder, "判断")
            recusal = recusal_of(session, person, applicant)
            if recusal is not None:
                raise PanelRefusedError(
                    f"{person.name} 已声明回避企业 {applicant.name}（{applicant.uscc}）："
                    f"{recusal.reason}；不能对其作出判断"
                )
            item = self._judgement_item(session, applicant, criterion)
            value = checked_points(item, points, met)
            row = session.scalar(
                select(PanelJudgement).where(
                    PanelJudgement.member_id == person.id,
                    PanelJudgement.applicant_id == applicant.id,
                    PanelJudgement.criterion == item["id"],
                )
            )
            before = None
            now = utc_now()
            if row is None:
                row = PanelJudgement(member_id=person.id, applicant_id=applicant.id,
                                     criterion=item["id"], met=met)  # fmt: skip
                session.add(row)
            else:
                before = {"met": row.met, "points": row.points, "note": row.note}
            same = before is not None and (row.met, decimal_of(row.points), row.note) == (
                met, decimal_of(value), note)  # fmt: skip
            row.met, row.points, row.note, row.at = met, value, note, now
            session.flush()
            actor = evaluator_row(session, recorder)
            after = {"member": person.name, "criterion": item["id"], "title": item.get("title"),
                     "met": met, "points": value, "note": note}  # fmt: skip
            if not same:  # the same judgement entered again (by whom is kept) moves nothing
                after["review_version"] = panel_touched(session, applicant)
            session.add(audit.event(actor, "panel-judgement", "panel_judgement", row.id,
                                    round_row, applicant_id=applicant.id, uscc=applicant.uscc,
                                    before=before, after=after, at=now))  # fmt: skip
        positions = self.positions(round_name, uscc)
        return next(c for c in positions.criteria if c.criterion == item["id"])

    def recuse(
        self,
        round_name: str,
        uscc: str,
        *,
        member: str,
        reason: str,
        evaluator: str | None,
        withdraw_judgements: bool = False,
    ) -> str | None:
        """Record a member's 回避 for an applicant. Declared before judging; once the member
        has judged it, only the member presiding for it (the 组长, or a 副组长 where the 组长
        declared 回避) can record it, with ``withdraw_judgements``: the member's judgements
        and opinion there are withdrawn (the trail keeps them). A decision taken before it
        needs a second look when what the panel said, or who presides, changes. Returns what
        stays in force: the member's confirmations in the official review (kept_note)."""
        recorder = review_evaluator(evaluator)
        reason = _required(reason, "回避理由", "声明回避必须写明理由（例如：曾在该企业任职）")
        with self.store.write_session() as session:
            round_row, applicant, person = self._member_on(
                session, round_name, uscc, member, "记录回避"
            )
            if recusal_of(session, person, applicant) is not None:
                raise PanelRefusedError(f"{person.name} 已声明回避企业 {applicant.name}")
            given = session.scalars(
                select(PanelJudgement)
                .where(
                    PanelJudgement.member_id == person.id,
                    PanelJudgement.applicant_id == applicant.id,
                )
                .order_by(PanelJudgement.criterion)
            ).all()
            opinion = opinion_of(session, person, applicant)
            after: dict[str, Any] = {"member": person.name, "member_role": person.role}
            was = presider_of(session, round_row, applicant)
            if given or opinion is not None:
                if not withdraw_judgements:
                    done = [f"作出 {len(given)} 项判断"] if given else []
                    if opinion is not None:
                        done.append("发表意见")
                    who = presiding_words(was)
                    raise PanelRefusedError(
                        f"{person.name} 已对企业 {applicant.name} {'并'.join(done)}，"
                        f"回避应在评审前声明；如确需回避，须由{who}确认并撤回其判断和意见"
                        "（窗口：评审 → 专家组… → 组长处理回避；命令行：zjtx panel recuse … "
                        f"--withdraw-judgements，由{who}操作）"
                    )
                presider = self._presiding_acting(
                    session, round_row, applicant, recorder, "确认评审后的回避"
                )
                after |= {
                    "chair": presider.name,  # the key older events have: who presided
                    "chair_role": presider.role,
                    "withdrawn": [j.criterion for j in given],
                    "opinion_withdrawn": opinion is not None,
                }
                for row in given:
                    session.delete(row)
                if opinion is not None:
                    session.delete(opinion)
            else:  # declared before judging: the member's own, or entered for them (代录)
                check_recorder(session, round_row, applicant, person, recorder, "回避")
            row = PanelRecusal(member_id=person.id, applicant_id=applicant.id, reason=reason)
            session.add(row)
            session.flush()
            kept = confirmations_by(session, applicant, person.name)
            if kept:
                after["confirmations_kept"] = kept
            # What the panel said, or who decides, changed under a decision taken: a second look.
            changed = given or opinion is not None or kept or presider_of(
                session, round_row, applicant) != was  # fmt: skip
            after["second_look"] = bool(changed)  # what a 需复核 reason names (panel_changes)
            after["review_version"] = panel_touched(session, applicant, second_look=bool(changed))
            actor = evaluator_row(session, recorder)
            session.add(audit.event(actor, "panel-recusal", "panel_recusal", row.id, round_row,
                                    applicant_id=applicant.id, uscc=applicant.uscc,
                                    after=after, reason=reason))  # fmt: skip
        return kept_note(person.name, kept)

    def withdraw_recusal(
        self, round_name: str, uscc: str, *, member: str, reason: str, evaluator: str | None
    ) -> None:
        """Withdraw a 回避 recorded in error (by the member presiding for the applicant, with
        a reason in the trail); the member may then judge the applicant. A decision taken
        before it needs a second look when who presides changes (the 组长's 回避 lifted)."""
        recorder = review_evaluator(evaluator)
        reason = _required(reason, "撤销回避的理由", "撤销回避必须写明理由（例如：录入错误）")
        with self.store.write_session() as session:
            round_row, applicant, person = self._member_on(
                session, round_name, uscc, member, "撤销回避"
            )
            recusal = recusal_of(session, person, applicant)
            if recusal is None:
                raise PanelRefusedError(f"{person.name} 没有声明回避企业 {applicant.name}")
            presider = self._presiding_acting(session, round_row, applicant, recorder, "撤销回避")
            before = {"member": person.name, "reason": recusal.reason}
            recusal_id = recusal.id
            session.delete(recusal)
            session.flush()
            # The 组长 (or an earlier 副组长) presiding again: a decision taken needs a second look.
            again = presider_of(session, round_row, applicant) is not presider
            version = panel_touched(session, applicant, second_look=again)
            actor = evaluator_row(session, recorder)
            session.add(audit.event(actor, "panel-recusal-withdraw", "panel_recusal",
                                    recusal_id, round_row, applicant_id=applicant.id,
                                    uscc=applicant.uscc, before=before,
                                    after={"member": person.name, "member_role": person.role,
                                           "chair": presider.name, "chair_role": presider.role,
                                           "review_version": version, "second_look": again},
                                    reason=reason))  # fmt: skip

    def _presiding_acting(
        self, session: Session, round_row: Round, applicant: Applicant, recorder: str, doing: str
    ) -> PanelMember:
        """The member presiding for the applicant (the 组长, or a 副组长 where the 组长
        declared 回避) when it is they who act; otherwise refused, naming who may (a 组长 who
        declared 回避 neither lifts it nor rules on others' there)."""
        members = members_of(session, panel_of(session, round_row))
        chair = next((m for m in members if m.role == CHAIR), None)
        if chair is None:
            raise PanelRefusedError(f"批次 “{round_row.name}” 的专家组尚未指定组长，不能{doing}")
        presider = presider_of(session, round_row, applicant)
        if presider is not None and presider.name == recorder:
            return presider
        if presider is chair:
            raise PanelRefusedError(f"只有组长 {chair.name} 可以{doing}（当前评审人：{recorder}）")
        recused = f"组长 {chair.name} 已声明回避企业 {applicant.name}"
        if presider is not None:
            raise PanelRefusedError(
                f"{recused}，只有副组长 {presider.name} 可以{doing}（当前评审人：{recorder}）"
            )
        own = "；组长本人的回避不能由本人撤销" if recorder == chair.name else ""
        raise PanelRefusedError(f"{recused}，不能{doing}{own}；{when_chair_recused(members, None)}")

    def opinion(
        self, round_name: str, uscc: str, *, member: str, text: str, evaluator: str | None
    ) -> None:
        """Record (or replace) a member's own opinion on an applicant; not after 回避."""
        recorder = review_evaluator(evaluator)
        text = _required(text, "专家意见", "专家意见不能为空")
        with self.store.write_session() as session:
            round_row, applicant, person = self._member_on(
                session, round_name, uscc, member, "记录专家意见"
            )
            check_recorder(session, round_row, applicant, person, recorder, "意见")
            recusal = recusal_of(session, person, applicant)
            if recusal is not None:
                raise PanelRefusedError(
                    f"{person.name} 已声明回避企业 {applicant.name}（{applicant.uscc}），"
                    "不能发表评审意见"
                )
            row = opinion_of(session, person, applicant)
            before = None if row is None else {"opinion": row.opinion}
            same = row is not None and row.opinion == text
            if row is None:
                row = PanelOpinion(member_id=person.id, applicant_id=applicant.id, opinion=text)
                session.add(row)
            row.opinion, row.at = text, utc_now()
            session.flush()
            actor = evaluator_row(session, recorder)
            after: dict[str, Any] = {"member": person.name, "opinion": text}
            if not same:  # the same opinion entered again (by whom is kept) moves nothing
                after["review_version"] = panel_touched(session, applicant)
            session.add(audit.event(actor, "panel-opinion", "panel_opinion", row.id, round_row,
                                    applicant_id=applicant.id, uscc=applicant.uscc,
                                    before=before, after=after))  # fmt: skip

    def _judgement_item(
        self, session: Session, applicant: Applicant, criterion: str
    ) -> dict[str, Any]:
        from zjtx.scoring.errors import did_you_mean

        criteria = self._criteria(session, applicant, open_items=True, unsaved="判断未记录")
        items = {c["id"]: c for c in criteria if c.get("judgement")}
        wanted = (criterion or "").strip()
        item = items.get(wanted)
        computed = next((c for c in criteria if c["id"] == wanted), None)
        if item is None and computed is not None:
            # A criterion of the evaluation that nobody needs to judge for this applicant (its
            # data decided it, e.g. a 主导产品 over 50 %): say so, not "no such item".
            raise NotFoundError(
                f"企业 {applicant.uscc} 的 {computed['id']} {computed.get('title') or ''}"
                f"由申报数据计算得出（{computed.get('state_label') or ''}），不需专家判断"
                + (f"；可判断的条目：{'、'.join(items)}" if items else "")
                + "；如需改变结论，由评审人改判"
            )
        if item is None:
            hint = did_you_mean(criterion, items)
            raise NotFoundError(
                f"企业 {applicant.uscc} 的评价结果中没有需人工判断的条目 “{criterion}”"
                + (f"，您是不是要写 “{hint}”？" if hint else "")
                + (f"；可判断的条目：{'、'.join(items)}" if items else "")
            )
        return item

    def _criteria(
        self,
        session: Session,
        applicant: Applicant,
        *,
        open_items: bool = False,
        unsaved: str = UNREAD,
    ) -> list[dict[str, Any]]:
        """The criteria of an applicant's current evaluation; with ``open_items``, as
        _opened gives them."""
        if applicant.current_evaluation_id is None:
            return []
        evaluation = session.get_one(Evaluation, applicant.current_evaluation_id)
        criteria = list(self.evaluations.full_result(session, evaluation).get("criteria", []))
        return self._opened(session, applicant, criteria, unsaved) if open_items else criteria

    def _opened(
        self,
        session: Session,
        applicant: Applicant,
        criteria: list[dict[str, Any]],
        unsaved: str = UNREAD,
    ) -> list[dict[str, Any]]:
        """The criteria with each confirmed scored judgement item's points range as the data
        leaves it before any evaluator's decision (a member judges afresh, while the decision
        collapsed the range: 0–15 of 20 for a 主导产品 at 40 % whatever the 组长 decided).
        Only those applicants are scored again, deciding without rendering any text; every
        other field is as read."""
        confirmed = [
            i
            for i, c in enumerate(criteria)
            if c.get("judgement") and c.get("kind") == "score" and c.get("confirmation")
        ]
        if not confirmed:
            return criteria
        round_row = session.get_one(Round, applicant.round_id)
        fresh = self.evaluations.score(
            version_applicant(applicant, current_version(session, applicant)),
            round_info(round_row, ""),
            (),
            unsaved,
        )
        ranges = getattr(fresh.criteria, "points_range", None)
        opened = list(criteria)
        for i in confirmed:
            cid = criteria[i]["id"]
            if ranges is not None:
                low, high = ranges(cid)
            else:  # a caller's own scorer: its results as they are
                item = fresh.criterion(cid)
                low, high = item.points_min, item.points_max
            opened[i] = {
                **criteria[i],
                "points_min": stored_number(low),
                "points_max": stored_number(high),
            }
        return opened

    # ------------------------------------------------------------------- reading

    def refusals(self, round_name: str, uscc: str, evaluator: str) -> tuple[str | None, ...]:
        """Why ``evaluator`` may not decide, and may not confirm or 改判, on an applicant (None
        where they may, or no evaluator is set: saving then says so)."""
        if not evaluator.strip():
            return None, None
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            applicant = find_applicant(session, round_row, uscc)
            return tuple(f(session, round_row, applicant, evaluator) for f in REFUSALS)

    def positions(self, round_name: str, uscc: str) -> ApplicantPanel:
        """Every member's position on every judgement item of an applicant, whether they
        agree, the aggregated points, their opinions and 回避, and the final decision."""
        [view] = self._positions(round_name, uscc)
        return view

    def round_positions(self, round_name: str) -> list[ApplicantPanel]:
        """positions() of every applicant of a round, in 统一社会信用代码 order, read in one
        query per table for the whole round (what the panel's summary sheet lists)."""
        return self._positions(round_name, None)

    def _positions(self, round_name: str, uscc: str | None) -> list[ApplicantPanel]:
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            reviews = select(Review)
            if uscc is not None:
                applicant = find_applicant(session, round_row, uscc)
                applicants = [applicant]
                criteria = {applicant.id: self._criteria(session, applicant, open_items=True)}
                only: int | None = applicant.id
                reviews = reviews.where(Review.applicant_id == applicant.id)
            else:
                applicants = list(
                    session.scalars(
                        select(Applicant)
                        .where(Applicant.round_id == round_row.id)
                        .order_by(Applicant.uscc)
                    )
                )
                criteria = {
                    owner: list(result.get("criteria", []))
                    for owner, result in round_results(session, round_row.id)
                }
                criteria = {
                    a.id: self._opened(session, a, criteria[a.id])
                    for a in applicants
                    if a.id in criteria
                }
                only = None
                reviews = reviews.join(Applicant, Applicant.id == Review.applicant_id).where(
                    Applicant.round_id == round_row.id
                )
            panel = panel_of(session, round_row)
            members = members_of(session, panel)
            records = _records(
                session, round_row, panel, members, {a.id: a.uscc for a in applicants}, only
            )
            review_of = {review.applicant_id: review for review in session.scalars(reviews)}
            outdated = outdated_decisions(session, round_row.id, only)
            names = EvaluatorNames(session)
            views = []
            for applicant in applicants:
                items = [
                    JudgementItem(
                        item["id"],
                        item.get("title") or "",
                        item.get("kind") == "score",
                        decimal_of(item.get("max_points")),
                        points_high(item),
                        decided_by_data(item["state"], item.get("computed_state")),
                    )
                    for item in criteria.get(applicant.id, ())
                    if item.get("judgement")
                ]
                review = review_of.get(applicant.id)
                views.append(
                    replace(
                        records.applicant(applicant.uscc, applicant.name, items),
                        decision=review.decision if review else None,
                        decision_label=decision_label(review.decision)
                        if review and review.decision
                        else "",
                        decided_by=names[review.decided_by_id]
                        if review is not None and review.decided_by_id is not None
                        else None,
                        decided_at=review.decided_at if review else None,
                        opinion=review.opinion if review else "",
                        decision_outdated_reason=outdated.get(applicant.id, ""),
                    )
                )
            return views

    def round_records(
        self, round_name: str, usccs: Sequence[str] | None = None
    ) -> PanelRecords | None:
        """Everything the panel recorded in a round (or for the given applicants), read in one
        query per table for the whole round; None when the round has no panel members."""
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            panel = panel_of(session, round_row)
            members = members_of(session, panel)
            if panel is None or not members:
                return None
            query = select(Applicant.id, Applicant.uscc).where(Applicant.round_id == round_row.id)
            if usccs is not None:
                query = query.where(Applicant.uscc.in_(list(usccs)))
            return _records(session, round_row, panel, members, dict(session.execute(query).all()))


def _records(
    session: Session,
    round_row: Round,
    panel: Panel | None,
    members: list[PanelMember],
    codes: dict[int, str],
    only: int | None = None,
) -> PanelRecords:
    """What the members recorded on the applicants ``codes`` names (applicant id → 统一社会
    信用代码): one query per table, narrowed to the applicant ``only`` when there is one, and
    who entered what another member holds (代录)."""
    ids = [m.id for m in members]

    def rows(model: Any) -> list[Any]:
        query = select(model).where(model.member_id.in_(ids))
        if only is not None:
            query = query.where(model.applicant_id == only)
        return [r for r in session.scalars(query).all() if r.applicant_id in codes]

    judgement_rows, opinion_rows = rows(PanelJudgement), rows(PanelOpinion)
    judgements: dict[str, dict[tuple[int, str], Given]] = {}
    for j in judgement_rows:
        points = None if j.points is None else Decimal(j.points)
        judgements.setdefault(codes[j.applicant_id], {})[(j.member_id, j.criterion)] = (
            j.met,
            points,
            j.note,
        )
    recusals: dict[str, dict[int, str]] = {}
    for r in (recusal_rows := rows(PanelRecusal)):
        recusals.setdefault(codes[r.applicant_id], {})[r.member_id] = r.reason
    opinions: dict[str, dict[int, str]] = {}
    for o in opinion_rows:
        opinions.setdefault(codes[o.applicant_id], {})[o.member_id] = o.opinion
    names = {m.id: m.name for m in members}
    entered, opinions_entered = _entered_by_others(
        session, round_row, names, codes, judgement_rows, opinion_rows
    )
    return PanelRecords(
        round_row.name,
        panel.aggregation if panel else MEAN,
        tuple((m.id, m.name, m.unit, m.role) for m in members),
        judgements,
        recusals,
        opinions,
        entered,
        opinions_entered,
        late_recusals(session, round_row.id, recusal_rows, codes),
    )


def _entered_by_others(
    session: Session,
    round_row: Round,
    names: dict[int, str],
    codes: dict[int, str],
    judgement_rows: list[PanelJudgement],
    opinion_rows: list[PanelOpinion],
) -> tuple[dict[str, dict[int, tuple[str, ...]]], dict[str, dict[int, str]]]:
    """Who entered what each member holds now when it was not the member (代录: a secretary
    typing the paper forms), by applicant and member id: everyone who entered any of it, and
    who entered the opinion. Read from the audit trail: the latest entry of each row on
    record counts (one withdrawn by 回避 no longer does)."""
    entered: dict[tuple[str, int], set[str]] = {}
    opinions: dict[str, dict[int, str]] = {}
    for entity, found in (("panel_judgement", judgement_rows), ("panel_opinion", opinion_rows)):
        latest: dict[int, str] = {}
        for part in chunks([row.id for row in found], IN_CHUNK):
            query = (
                select(AuditEvent.entity_id, AuditEvent.actor)
                .where(
                    AuditEvent.round_id == round_row.id,  # its index: not the whole trail
                    AuditEvent.entity == entity,
                    AuditEvent.entity_id.in_(part),
                )
                .order_by(AuditEvent.id)
            )
            latest.update({row_id: actor for row_id, actor in session.execute(query)})
        for row in found:
            actor = latest.get(row.id)
            if actor is None or actor == names[row.member_id]:
                continue
            uscc = codes[row.applicant_id]
            entered.setdefault((uscc, row.member_id), set()).add(actor)
            if entity == "panel_opinion":
                opinions.setdefault(uscc, {})[row.member_id] = actor
    by_applicant: dict[str, dict[int, tuple[str, ...]]] = {}
    for (uscc, member), actors in entered.items():
        by_applicant.setdefault(uscc, {})[member] = tuple(sorted(actors))
    return by_applicant, opinions
