"""Expert panels as read: members, positions per item, agreement and aggregated points."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Protocol, TypeVar

from zjtx.domain.labels import CriterionState, decision_shown
from zjtx.domain.results import is_override

EXPERT, DEPUTY, CHAIR = "expert", "deputy", "chair"
ROLE_LABELS = {EXPERT: "评审专家", DEPUTY: "副组长", CHAIR: "组长"}
ROLE_ORDER = {CHAIR: 0, DEPUTY: 1, EXPERT: 2}  # how a panel is listed: 组长, 副组长, experts
MEAN, TRIMMED = "mean", "trimmed"
AGGREGATION_LABELS = {MEAN: "算术平均", TRIMMED: "去掉一个最高分和一个最低分后平均"}
TRIM_FROM = 5  # members' scores needed before the highest and lowest are dropped
# Aggregates are shown and printed to two places, rounded half up (四舍五入).
CENT = Decimal("0.01")
AGREE, DISAGREE, OPEN, NONE = "agree", "disagree", "open", "none"
NOT_NEEDED = "not_needed"  # the applicant's data decided the item: nobody needs to judge it
AGREEMENT_LABELS = {AGREE: "一致", DISAGREE: "有分歧", OPEN: "尚未全部表态", NONE: "无人表态",
                    NOT_NEEDED: "无需判断"}  # fmt: skip


def decided_by_data(state: str, computed: str | None = None) -> str:
    """The state's label (符合) where an applicant's data decided a judgement item before any
    evaluator's decision (``computed``, else ``state``): the rule `zjtx review` uses, which
    leaves such an item out of 待人工确认 and takes a decision on it as 改判 (is_override).
    "" where the item awaits judgement (待人工确认, or 待补充数据 beside its judgement part)."""
    given = CriterionState(computed or state)
    return given.label if is_override(True, given) else ""


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Members' points on one scored item combined by the panel's rule."""

    rule: str
    value: Decimal | None  # rounded to CENT; None when nobody gave points
    used: tuple[Decimal, ...]
    dropped: tuple[Decimal, ...]  # the highest and lowest, when trimmed

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value}（{self.how}）"

    @property
    def how(self) -> str:
        """How the value was reached ("算术平均，3 人"); "" when nobody gave points."""
        if self.value is None:
            return ""
        rule = "去掉一个最高分和一个最低分后平均" if self.dropped else "算术平均"
        return f"{rule}，{len(self.used)} 人"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "value": None if self.value is None else str(self.value),
            "used": [str(p) for p in self.used],
            "dropped": [str(p) for p in self.dropped],
        }


def aggregate(points: Sequence[Decimal], rule: str) -> Aggregate:
    """Combine members' points: the mean, or with ``trimmed`` and at least TRIM_FROM scores
    the mean without one highest and one lowest (去掉一个最高分和一个最低分)."""
    ordered = sorted(points)
    dropped: tuple[Decimal, ...] = ()
    if rule == TRIMMED and len(ordered) >= TRIM_FROM:
        dropped = (ordered[-1], ordered[0])
        ordered = ordered[1:-1]
    if not ordered:
        return Aggregate(rule, None, (), ())
    with localcontext() as context:
        context.prec = 60
        mean = sum(ordered, Decimal(0)) / len(ordered)
        value = mean.quantize(CENT, rounding=ROUND_HALF_UP)
    return Aggregate(rule, value, tuple(ordered), dropped)


class _Member(Protocol):
    """A panel member as the rules of who decides read it (a stored row or a MemberInfo)."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


M = TypeVar("M", bound=_Member)


def presiding(members: Sequence[M], recused: Callable[[M], bool]) -> M | None:
    """Who presides over the panel for one applicant (makes the final decision, handles
    others' 回避): the 组长; where the 组长 declared 回避, the first 副组长 (in panel order) who
    did not; None when there is no 组长 or nobody left to preside."""
    chair = next((m for m in members if m.role == CHAIR), None)
    if chair is None or not recused(chair):
        return chair
    return next((m for m in members if m.role == DEPUTY and not recused(m)), None)


def who_decides(members: Sequence[M], recused: Callable[[M], bool]) -> str:
    """Who may make the final decision on one applicant, as the words after 最终决定:
    只能由组长 X作出; 只能由副组长 Y作出（组长 X 已回避该企业）; or why nobody can yet."""
    chair = next((m for m in members if m.role == CHAIR), None)
    if chair is None:
        return "只能由组长作出（专家组尚未指定组长，请先添加）"
    if not recused(chair):
        return f"只能由组长 {chair.name}作出"
    deputy = presiding(members, recused)
    if deputy is not None:
        return f"只能由副组长 {deputy.name}作出（组长 {chair.name} 已回避该企业）"
    return f"暂无人可以作出：组长 {chair.name} 已回避该企业，{no_deputy(members)}"


def no_deputy(members: Sequence[M]) -> str:
    """What is missing where the 组长 declared 回避 and no 副组长 can stand in."""
    deputies = [m.name for m in members if m.role == DEPUTY]
    if deputies:
        return f"副组长 {'、'.join(deputies)} 也已回避，须再添加一名副组长代行"
    return "专家组没有副组长可以代行，须先添加一名"


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """A panel member as listed: name, unit, role and how many positions they recorded."""

    name: str
    unit: str
    role: str
    judgements: int = 0

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "role": self.role,
            "role_label": self.role_label,
            "judgements": self.judgements,
        }


@dataclass(frozen=True, slots=True)
class PanelInfo:
    """A round's panel: its members (组长 first) and its aggregation rule."""

    round_name: str
    aggregation: str
    members: tuple[MemberInfo, ...]

    @property
    def chair(self) -> MemberInfo | None:
        return next((m for m in self.members if m.role == CHAIR), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "aggregation": self.aggregation,
            "aggregation_label": AGGREGATION_LABELS[self.aggregation],
            "members": [m.to_dict() for m in self.members],
        }


@dataclass(frozen=True, slots=True)
class Position:
    """One member's position on one judgement item (None: not yet given)."""

    member: str
    role: str
    met: bool | None
    points: Decimal | None = None
    note: str = ""
    recused: bool = False
    needed: bool = True  # False on an item the data decided that nobody judged

    @property
    def stance(self) -> str:
        """The position without its points: 符合, 不符合, 未表态 or 回避; "—" where nobody
        needs to judge the item."""
        if not self.needed:
            return "—"
        if self.recused:
            return "回避"
        if self.met is None:
            return "未表态"
        return "符合" if self.met else "不符合"

    @property
    def label(self) -> str:
        shown = self.points is not None and not self.recused and self.met is not None
        return self.stance + (f"（{self.points} 分）" if shown else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "role": self.role,
            "met": self.met,
            "points": None if self.points is None else str(self.points),
            "note": self.note,
            "recused": self.recused,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class CriterionPositions:
    """Every member's position on one judgement item, whether they agree, and the points."""

    criterion: str
    title: str
    scored: bool
    max_points: Decimal | None
    positions: tuple[Position, ...]
    aggregate: Aggregate | None = None
    points_high: Decimal | None = None  # the most a member can give (what the data allows)
    decided: str = ""  # the state the applicant's data gave it (decided_by_data), "" if open

    @property
    def capped_at(self) -> Decimal | None:
        """The most a member can give when the applicant's data allows less than the item's
        maximum (15 of 20 for a 主导产品 at 40 %); None otherwise."""
        high, top = self.points_high, self.max_points
        return high if high is not None and top is not None and high < top else None

    @property
    def points_allowed(self) -> str:
        """What a member may give, in words, when the data caps it below the maximum
        ("按申报数据可评 0–15 分，满分 20 分"); "" otherwise."""
        cap = self.capped_at
        return "" if cap is None else f"按申报数据可评 0–{cap} 分，满分 {self.max_points} 分"

    def aggregate_text(self, none: str) -> str:
        """The aggregated points (``none`` when there are none yet, or the item is unscored)
        with what the data allows beside them."""
        text = self.aggregate.text if self.aggregate is not None else none
        allowed = self.points_allowed
        return f"{text}（{allowed}）" if allowed else text

    @property
    def met(self) -> int:
        return sum(1 for p in self.positions if p.met is True and not p.recused)

    @property
    def unmet(self) -> int:
        return sum(1 for p in self.positions if p.met is False and not p.recused)

    @property
    def waiting(self) -> int:
        return sum(1 for p in self.positions if p.met is None and not p.recused)

    @property
    def needed(self) -> bool:
        """Whether the item reads as awaiting the panel: its data left it open, or a member
        judged it all the same (their position is shown, not hidden)."""
        return not self.decided or any(p.met is not None for p in self.positions)

    @property
    def agreement(self) -> str:
        """agree (all who may judge did, alike), disagree (met and unmet both given), open
        (alike so far, some still to judge), none (nobody judged yet) or not_needed (the
        data decided it and nobody judged it)."""
        if not self.needed:
            return NOT_NEEDED
        if self.met and self.unmet:
            return DISAGREE
        if not (self.met or self.unmet):
            return NONE
        return OPEN if self.waiting else AGREE

    @property
    def agreement_label(self) -> str:
        """一致, 有分歧, …; 无需判断（由申报数据得出：符合） where the data decided it."""
        if self.agreement == NOT_NEEDED:
            return f"无需判断（由申报数据得出：{self.decided}）"
        return AGREEMENT_LABELS[self.agreement]

    @property
    def counts(self) -> str:
        """How the members stand, in words (符合 2，不符合 1，未表态 1); "" where nobody
        needs to judge the item."""
        if not self.needed:
            return ""
        return f"符合 {self.met}，不符合 {self.unmet}，未表态 {self.waiting}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "title": self.title,
            "scored": self.scored,
            "max_points": None if self.max_points is None else str(self.max_points),
            "points_high": None if self.points_high is None else str(self.points_high),
            "decided": self.decided,
            "met": self.met,
            "unmet": self.unmet,
            "waiting": self.waiting,
            "agreement": self.agreement,
            "agreement_label": self.agreement_label,
            "aggregate": self.aggregate.to_dict() if self.aggregate else None,
            "positions": [p.to_dict() for p in self.positions],
        }


@dataclass(frozen=True, slots=True)
class LateRecusal:
    """A 回避 recorded after the member had judged or given an opinion (the panel-recusal
    event): who presided and confirmed it, when, and what of the member's was withdrawn."""

    presider: str
    presider_role: str
    at: datetime
    withdrawn: tuple[str, ...]  # criteria whose judgements were withdrawn
    opinion_withdrawn: bool

    @property
    def text(self) -> str:
        """评审后回避（组长 王组长 于 2026-12-05 确认），其判断（LG26-0、LG26-5）和意见已撤回."""
        role = ROLE_LABELS.get(self.presider_role, "")
        day = self.at.astimezone().strftime("%Y-%m-%d")
        what = [f"判断（{'、'.join(self.withdrawn)}）"] if self.withdrawn else []
        if self.opinion_withdrawn:
            what.append("意见")
        gone = f"，其{'和'.join(what)}已撤回" if what else ""
        return f"评审后回避（{role} {self.presider} 于 {day} 确认）{gone}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "presider": self.presider,
            "presider_role": self.presider_role,
            "at": self.at.isoformat(),
            "withdrawn": list(self.withdrawn),
            "opinion_withdrawn": self.opinion_withdrawn,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ApplicantPanel:
    """The panel's work on one applicant: positions per judgement item, each member's
    opinion and 回避, and the final decision (the presiding member's) beside them."""

    round_name: str
    uscc: str
    name: str
    aggregation: str
    members: tuple[MemberInfo, ...]
    criteria: tuple[CriterionPositions, ...]
    opinions: dict[str, str] = field(default_factory=dict)
    recusals: dict[str, str] = field(default_factory=dict)
    # member -> who else entered the judgements or opinion they hold (代录), from the trail;
    # and who else entered their opinion alone
    proxies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    opinion_proxies: dict[str, str] = field(default_factory=dict)
    late_recusals: dict[str, LateRecusal] = field(default_factory=dict)  # member -> the facts
    decision: str | None = None
    decision_label: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = None
    opinion: str = ""
    decision_outdated_reason: str = ""  # why the decision needs a second look, "" if it stands

    @property
    def decision_text(self) -> str:
        """The decision as shown: 推荐（需复核） while it needs a second look."""
        return decision_shown(self.decision_label, self.decision_outdated_reason)

    def recusal_text(self, member: str) -> str:
        """A member's 回避 as a signed paper says it: 回避：理由, or for one recorded after
        judging 评审后回避（组长 王组长 于 2026-12-05 确认），其判断（…）和意见已撤回；理由：…;
        "" where the member did not declare 回避."""
        reason = self.recusals.get(member)
        if reason is None:
            return ""
        late = self.late_recusals.get(member)
        return f"{late.text}；理由：{reason}" if late is not None else f"回避：{reason}"

    def recusal_mark(self, member: str) -> str:
        """回避 or 评审后回避 beside a member's name; "" where they did not declare it."""
        if member not in self.recusals:
            return ""
        return "评审后回避" if member in self.late_recusals else "回避"

    @property
    def acted_on(self) -> bool:
        """Whether the panel has done anything on this applicant: a judgement, an opinion, a
        回避, or the final decision."""
        judged = any(p.met is not None for c in self.criteria for p in c.positions)
        return judged or bool(self.opinions or self.recusals or self.decision)

    @property
    def presiding(self) -> str | None:
        """The member who decides on this applicant (presiding()), by name."""
        member = presiding(self.members, lambda m: m.name in self.recusals)
        return member.name if member is not None else None

    @property
    def who_decides(self) -> str:
        """Who may make the final decision on this applicant (who_decides())."""
        return who_decides(self.members, lambda m: m.name in self.recusals)

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "uscc": self.uscc,
            "name": self.name,
            "aggregation": self.aggregation,
            "members": [m.to_dict() for m in self.members],
            "criteria": [c.to_dict() for c in self.criteria],
            "opinions": dict(self.opinions),
            "proxies": {member: list(who) for member, who in self.proxies.items()},
            "opinion_proxies": dict(self.opinion_proxies),
            "recusals": dict(self.recusals),
            "late_recusals": {m: late.to_dict() for m, late in self.late_recusals.items()},
            "decision": self.decision,
            "decision_label": self.decision_label,
            "decided_by": self.decided_by,
            "opinion": self.opinion,
            "decision_outdated_reason": self.decision_outdated_reason,
            "presiding": self.presiding,
        }


# (member id, name, role) of each member, in panel order (组长 first)
MemberKey = tuple[int, str, str]
# A member's recorded position: met, points, note
Given = tuple[bool, Decimal | None, str]


@dataclass(frozen=True, slots=True)
class JudgementItem:
    """A judgement item of an applicant's evaluation, as the panel positions need it."""

    criterion: str
    title: str
    scored: bool
    max_points: Decimal | None = None
    points_high: Decimal | None = None
    decided: str = ""  # decided_by_data: the state the data gave it, "" while it is open


def criterion_positions(
    members: Sequence[MemberKey],
    given: dict[tuple[int, str], Given],
    recused: set[int],
    items: Sequence[JudgementItem],
    rule: str,
) -> tuple[CriterionPositions, ...]:
    """Every member's position on each item, and the aggregated points of scored items
    (回避 members' points never count)."""
    result = []
    for item in items:
        positions = []
        for member_id, name, role in members:
            met, points, note = given.get((member_id, item.criterion), (None, None, ""))
            positions.append(Position(name, role, met, points, note, member_id in recused))
        points = [p.points for p in positions if p.points is not None and not p.recused]
        found = CriterionPositions(
            item.criterion,
            item.title,
            item.scored,
            item.max_points,
            tuple(positions),
            aggregate(points, rule) if item.scored else None,
            item.points_high,
            item.decided,
        )
        if not found.needed:  # the data decided it: "—", not 未表态, in every member's cell
            found = replace(found, positions=tuple(replace(p, needed=False) for p in positions))
        result.append(found)
    return tuple(result)


@dataclass(frozen=True, slots=True)
class PanelRecords:
    """A round's panel and all it recorded, keyed by applicant (Panels.round_records)."""

    round_name: str
    aggregation: str
    members: tuple[tuple[int, str, str, str], ...]  # id, name, unit, role (组长 first)
    judgements: dict[str, dict[tuple[int, str], Given]]
    recusals: dict[str, dict[int, str]]
    opinions: dict[str, dict[int, str]]
    # 代录, by applicant and member id: who entered what the member holds, and its opinion
    proxies: dict[str, dict[int, tuple[str, ...]]] = field(default_factory=dict)
    opinion_proxies: dict[str, dict[int, str]] = field(default_factory=dict)
    late_recusals: dict[str, dict[int, LateRecusal]] = field(default_factory=dict)

    def applicant(self, uscc: str, name: str, items: Sequence[JudgementItem]) -> ApplicantPanel:
        """The panel's work on one applicant, for the given judgement items (the decision is
        the caller's: the report prints it from the review)."""
        given = self.judgements.get(uscc, {})
        recusals = self.recusals.get(uscc, {})
        opinions = self.opinions.get(uscc, {})
        proxies = self.proxies.get(uscc, {})
        opinion_proxies = self.opinion_proxies.get(uscc, {})
        late = self.late_recusals.get(uscc, {})
        names = {m[0]: m[1] for m in self.members}
        return ApplicantPanel(
            round_name=self.round_name,
            uscc=uscc,
            name=name,
            aggregation=self.aggregation,
            members=tuple(
                MemberInfo(n, unit, role, sum(1 for key in given if key[0] == i))
                for i, n, unit, role in self.members
            ),
            criteria=criterion_positions(
                [(i, n, role) for i, n, _unit, role in self.members],
                given,
                set(recusals),
                items,
                self.aggregation,
            ),
            opinions={names[i]: opinions[i] for i in names if i in opinions},
            recusals={names[i]: recusals[i] for i in names if i in recusals},
            proxies={names[i]: proxies[i] for i in names if i in proxies},
            opinion_proxies={names[i]: opinion_proxies[i] for i in names if i in opinion_proxies},
            late_recusals={names[i]: late[i] for i in names if i in late and i in recusals},
        )


def entered_by(who: Sequence[str]) -> str:
    """How 代录 is said: 由 秘书 代录."""
    return f"由 {'、'.join(who)} 代录"
