"""Who decides in a round with a panel: the 组长, or a 副组长 where the 组长 declared 回避."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zjtx.store.errors import ReviewRuleError
from zjtx.store.models import Applicant, Evaluator, Panel, PanelMember, PanelRecusal, Round
from zjtx.store.panel_positions import CHAIR, DEPUTY, ROLE_LABELS, ROLE_ORDER, presiding


class PanelRefusedError(ReviewRuleError):
    """A panel rule refuses the action (not a member, 回避, only the 组长 decides...)."""


def panel_of(session: Session, round_row: Round) -> Panel | None:
    return session.scalar(select(Panel).where(Panel.round_id == round_row.id))


def members_of(session: Session, panel: Panel | None) -> list[PanelMember]:
    if panel is None:
        return []
    rows = session.scalars(select(PanelMember).where(PanelMember.panel_id == panel.id)).all()
    return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), m.id))


def recusal_of(session: Session, member: PanelMember, applicant: Applicant) -> PanelRecusal | None:
    return session.scalar(
        select(PanelRecusal).where(
            PanelRecusal.member_id == member.id, PanelRecusal.applicant_id == applicant.id
        )
    )


def check_decider(
    session: Session, round_row: Round, applicant: Applicant, actor: Evaluator
) -> None:
    """Refuse a final decision by anyone but the panel's 组长 when the round has a panel
    (a round without one is single-evaluator: whoever reviews decides)."""
    # The review being saved is still in memory: flushing it here would count two versions.
    with session.no_autoflush:
        _check_decider(session, round_row, applicant, actor)


def _check_decider(
    session: Session, round_row: Round, applicant: Applicant, actor: Evaluator
) -> None:
    refusal = decider_refusal(session, round_row, applicant, actor.name)
    if refusal is not None:
        raise PanelRefusedError(refusal)


ADD_DEPUTY = "（窗口：评审 → 专家组…；命令行：zjtx panel add 姓名 --role deputy）"


def decider_refusal(
    session: Session, round_row: Round, applicant: Applicant, name: str
) -> str | None:
    """Why ``name`` may not make the final decision on an applicant, or None if they may:
    the member presiding for it (the 组长, or a 副组长 where the 组长 declared 回避) decides."""
    members = members_of(session, panel_of(session, round_row))
    if not members:
        return None
    reasons = {m.id: recusal_of(session, m, applicant) for m in members}
    presider = presiding(members, lambda m: reasons[m.id] is not None)
    mine = next((m for m in members if m.name == name), None)
    if mine is not None and mine is presider:
        return None
    chair = next((m for m in members if m.role == CHAIR), None)
    if chair is not None and mine is chair:
        recusal = reasons[chair.id]
        assert recusal is not None  # a 组长 not recused presides
        return (
            f"组长 {chair.name} 已声明回避企业 {applicant.name}（{applicant.uscc}）："
            f"{recusal.reason}；不能对其作出最终决定；" + after_chair(members, presider)
        )
    if chair is None:
        who = "组长（专家组尚未指定组长，请先添加）"
    elif presider is chair:
        who = f"组长 {chair.name}"
    elif presider is not None:
        who = f"副组长 {presider.name}（组长 {chair.name} 已回避该企业）"
    else:
        who = f"代行的副组长（组长 {chair.name} 已回避该企业，{_no_deputy(members)}，请添加）"
    if mine is None:
        return (
            f"批次 “{round_row.name}” 设有评审专家组，最终决定只能由{who}作出；"
            f"{name} 不是专家组成员，可以查看但不能作出决定"
        )
    role = ROLE_LABELS[mine.role] + (
        "（组长回避的企业由其代行决定）" if mine.role == DEPUTY else ""
    )
    return (
        f"批次 “{round_row.name}” 设有评审专家组，最终决定只能由{who}作出；{name} 是{role}"
        "，请在“专家组”中（窗口：评审 → 专家组…；命令行：zjtx panel judge / opinion）"
        "记录本人的判断和意见"
    )


def after_chair(members: list[PanelMember], presider: PanelMember | None) -> str:
    """Who decides where the 组长 declared 回避: the 副组长 presiding, or what to do when
    there is none."""
    if presider is not None:
        return f"由副组长 {presider.name}代行"
    if any(m.role == DEPUTY for m in members):
        return f"{_no_deputy(members)}，请再添加一名副组长代行{ADD_DEPUTY}"
    return f"{_no_deputy(members)}，请先添加一名{ADD_DEPUTY}"


def _no_deputy(members: list[PanelMember]) -> str:
    """Why no 副组长 can stand in: every one declared 回避 too, or the panel has none."""
    deputies = [m.name for m in members if m.role == DEPUTY]
    if deputies:
        return f"副组长 {'、'.join(deputies)} 也已声明回避"
    return "专家组没有可代行的副组长"
