"""Who decides in a round with a panel: the 组长, or a 副组长 where the 组长 declared 回避."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from zjtx.store.errors import ReviewRuleError
from zjtx.store.models import Applicant, Evaluator, Panel, PanelMember, PanelRecusal, Round
from zjtx.store.panel_positions import (
    CHAIR,
    DEPUTY,
    ROLE_LABELS,
    ROLE_ORDER,
    no_deputy,
    presiding,
    who_decides,
)

# Where a 副组长 is added, as a refusal that asks for one says it.
ADD_DEPUTY = "（窗口：评审 → 专家组…；命令行：zjtx panel add 批次名称 --name 姓名 --role 副组长）"


class PanelRefusedError(ReviewRuleError):
    """A panel rule refuses the action (not a member, 回避, only who presides decides...)."""


def panel_of(session: Session, round_row: Round) -> Panel | None:
    return session.scalar(select(Panel).where(Panel.round_id == round_row.id))


def members_of(session: Session, panel: Panel | None) -> list[PanelMember]:
    if panel is None:
        return []
    rows = session.scalars(select(PanelMember).where(PanelMember.panel_id == panel.id)).all()
    return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), m.id))


def recused_members(session: Session, applicant: Applicant) -> dict[int, str]:
    """The members who declared 回避 for an applicant: member id → reason (one query)."""
    return dict(
        session.execute(
            select(PanelRecusal.member_id, PanelRecusal.reason).where(
                PanelRecusal.applicant_id == applicant.id
            )
        ).all()
    )


def presider_of(session: Session, round_row: Round, applicant: Applicant) -> PanelMember | None:
    """The member presiding for an applicant (presiding()), or None."""
    recused = recused_members(session, applicant)
    members = members_of(session, panel_of(session, round_row))
    return presiding(members, lambda m: m.id in recused)


def check_recorder(
    session: Session,
    round_row: Round,
    applicant: Applicant,
    member: PanelMember,
    recorder: str,
    what: str,
) -> None:
    """Refuse a member's judgement or opinion recorded by another member of the panel, unless
    it is the member presiding for the applicant (the 组长, or a 副组长 where the 组长
    declared 回避): a colleague, or one who declared 回避 there, could otherwise put words
    under a member's name. The member, the one presiding, or the bureau's staff off the panel
    (a 秘书 entering signed papers) may; the trail names a 代录."""
    if recorder == member.name:
        return
    members = members_of(session, panel_of(session, round_row))
    if not any(m.name == recorder for m in members):
        return
    presider = presider_of(session, round_row, applicant)
    if presider is not None and presider.name == recorder:
        return
    raise PanelRefusedError(
        f"{recorder} 是专家组成员，不能代录 {member.name} 的{what}：专家的{what}由本人录入，"
        f"或由主持该企业评审的{presiding_words(presider)}、专家组以外的工作人员据其签字的评审表代录"
    )


def presiding_words(presider: PanelMember | None) -> str:
    """Who presides for an applicant (handles others' 回避, may enter a member's words), in
    words: 组长 王组长, 副组长 李副组长."""
    if presider is None:
        return "组长（组长回避的企业由副组长）"
    return f"{ROLE_LABELS[presider.role]} {presider.name}"


def recusal_of(session: Session, member: PanelMember, applicant: Applicant) -> PanelRecusal | None:
    return session.scalar(
        select(PanelRecusal).where(
            PanelRecusal.member_id == member.id, PanelRecusal.applicant_id == applicant.id
        )
    )


def check_decider(
    session: Session, round_row: Round, applicant: Applicant, actor: Evaluator
) -> None:
    """Refuse a final decision by anyone but the member presiding for the applicant (the
    组长, or a 副组长 where the 组长 declared 回避) when the round has a panel (a round
    without one is single-evaluator: whoever reviews decides)."""
    _refuse_if(decider_refusal, session, round_row, applicant, actor)


def _refuse_if(
    why: Callable[[Session, Round, Applicant, str], str | None],
    session: Session,
    round_row: Round,
    applicant: Applicant,
    actor: Evaluator,
) -> None:
    """Raise PanelRefusedError with ``why``'s words when it refuses ``actor``."""
    # The review being saved is still in memory: flushing it here would count two versions.
    with session.no_autoflush:
        refusal = why(session, round_row, applicant, actor.name)
    if refusal is not None:
        raise PanelRefusedError(refusal)


def decider_refusal(
    session: Session, round_row: Round, applicant: Applicant, name: str
) -> str | None:
    """Why ``name`` may not make the final decision on an applicant, or None if they may:
    the member presiding for it (the 组长, or a 副组长 where the 组长 declared 回避) decides."""
    members = members_of(session, panel_of(session, round_row))
    if not members:
        return None
    reasons = recused_members(session, applicant)
    presider = presiding(members, lambda m: m.id in reasons)
    mine = next((m for m in members if m.name == name), None)
    if mine is not None and mine is presider:
        return None
    if mine is not None and mine.id in reasons:
        said = (
            f"{mine.name} 已声明回避企业 {applicant.name}（{applicant.uscc}）：{reasons[mine.id]}"
        )
        if mine.role == CHAIR:
            return f"组长 {said}；不能对其作出最终决定；" + when_chair_recused(members, presider)
        return f"{ROLE_LABELS[mine.role]} {said}；不能对其作出最终决定"
    who = who_decides(members, lambda m: m.id in reasons)
    chair = next((m for m in members if m.role == CHAIR), None)
    if presider is None and chair is not None:
        who += ADD_DEPUTY
    head = f"批次 “{round_row.name}” 设有评审专家组，最终决定{who}；"
    if mine is None:
        return f"{head}{name} 不是专家组成员，可以查看但不能作出决定"
    role = ROLE_LABELS[mine.role]
    if mine.role == DEPUTY and chair is not None and presider is chair:
        role += "（组长回避的企业由其代行决定）"
    return (
        f"{head}{name} 是{role}"
        "，请在“专家组”中（窗口：评审 → 专家组…；命令行：zjtx panel judge / opinion）"
        "记录本人的判断和意见"
    )


def check_not_recused(
    session: Session, round_row: Round, applicant: Applicant, actor: Evaluator
) -> None:
    """Refuse a confirmation, 改判 or warning acknowledgement on an applicant by a panel member
    who declared 回避 for it: their conflict keeps them from the verdict as from the panel's
    judgements (others on the panel, and evaluators outside it, may still confirm)."""
    _refuse_if(recused_refusal, session, round_row, applicant, actor)


def recused_refusal(
    session: Session, round_row: Round, applicant: Applicant, name: str
) -> str | None:
    """Why ``name`` may not confirm or 改判 an applicant's criteria (a member who declared 回避
    for it), or None if they may."""
    panel = panel_of(session, round_row)
    if panel is None:
        return None
    mine = session.scalar(
        select(PanelMember).where(PanelMember.panel_id == panel.id, PanelMember.name == name)
    )
    recusal = None if mine is None else recusal_of(session, mine, applicant)
    if mine is None or recusal is None:
        return None
    return (
        f"{ROLE_LABELS[mine.role]} {mine.name} 已声明回避企业 {applicant.name}（{applicant.uscc}）"
        f"：{recusal.reason}；不能确认或改判其指标、确认其导入提示"
    )


def when_chair_recused(members: list[PanelMember], presider: PanelMember | None) -> str:
    """Who decides where the 组长 declared 回避: the 副组长 presiding, or what is missing."""
    if presider is not None:
        return f"由副组长 {presider.name}代行"
    return f"{no_deputy(members)}{ADD_DEPUTY}"
