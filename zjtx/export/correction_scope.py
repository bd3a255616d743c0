"""What an open criterion of an evaluation could still change once decided, for the 补正清单:
the outcome (the verdict; a 待定 applicant's score crossing a line its verdict reads, the pass
line or a group's minimum), only the score, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from zjtx.domain.labels import CriterionState, Verdict
from zjtx.domain.results import CriterionKind
from zjtx.scoring.conditions import AllOf, AnyOf, CriterionRef
from zjtx.scoring.context import combine_all, combine_any
from zjtx.scoring.criterion_parsing import VERDICT, referrers
from zjtx.scoring.score_conditions import GroupAtLeast, ScoreAtLeast

OPEN = (CriterionState.UNKNOWN, CriterionState.MANUAL)
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN


class Reach(Enum):
    """How far deciding an open criterion could reach."""

    OUTCOME = "outcome"  # the verdict (符合条件 / 不符合条件) could turn on it
    SCORE = "score"  # only the score: every value it can take leaves the outcome as it is
    NONE = "none"  # nothing that matters (a failed applicant; a route met another way)

    @property
    def label(self) -> str:
        """The heading of the 补正清单's part for what reaches this far."""
        return _REACH_LABELS[self]


_REACH_LABELS = {
    Reach.OUTCOME: "需补正（可能改变评价结论）",
    Reach.SCORE: "可补充（仅影响得分）",
    Reach.NONE: "无需补充",
}


@dataclass(frozen=True)
class OutcomeLinks:
    """A rulebook's references, as the 补正清单 weighs open criteria: who refers to each
    criterion (VERDICT for the verdict), and the conditions that read the score."""

    referrers: Mapping[str, frozenset[str]]
    # Criterion id (VERDICT for the verdict itself) -> its condition, of those reading the score.
    score_readers: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, rulebook: Any) -> OutcomeLinks:
        readers = {c.id: c.cond for c in rulebook.criteria if c.uses_score and c.cond is not None}
        if _reads_score(rulebook.verdict):
            readers[VERDICT] = rulebook.verdict
        return cls(referrers(rulebook.criteria, rulebook.verdict), readers)


def _reads_score(cond: Any) -> bool:
    if isinstance(cond, ScoreAtLeast | GroupAtLeast):
        return True
    return any(_reads_score(c) for c in cond.children())


class _Unsure(Exception):
    """A condition of a form not weighed here reads the score: count the score as deciding."""


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _interval(low: Any, high: Any, line: Decimal | None) -> CriterionState:
    lo, hi = _number(low), _number(high)
    if lo is None or hi is None or line is None:
        return UNKNOWN
    return MET if lo >= line else UNMET if hi < line else UNKNOWN


def reach_of(result: Mapping[str, Any], links: OutcomeLinks | None) -> Callable[[dict], Reach]:
    """How far each open criterion (待补充数据, 待人工确认) of a result could reach once
    decided. Nothing moves a verdict already reached either way (a failed requirement stays
    failed whatever the rest; 符合条件 holds whatever is open), so of a failed result nothing
    counts and of a qualified one a score item reaches only the score. Of a 待定 result a
    requirement or route counts if the verdict refers to it, or an open criterion that counts
    does (a route whose criterion is met another way, or already failed, cannot); a score item
    counts if a condition that counts reads the score, the score or the item's group may still
    fall either side of its line there, and nothing beside that line settles the condition
    already (the score route of IN22-P fails whatever the score when 成长性 is fixed below its
    minimum; it is not needed when a route is met). Without
    ``links`` (no rulebook at hand): every requirement, and every score item while 待定."""
    verdict = result.get("verdict")
    criteria = {c["id"]: c for c in result.get("criteria", ())}
    groups = {g["id"]: g for g in result.get("groups", ()) or ()}
    memo: dict[str, bool] = {}

    def reaches(cid: str) -> bool:
        """Whether the verdict refers to it, or an open criterion that counts does."""
        if links is None or cid not in links.referrers:
            return True
        if cid not in memo:
            memo[cid] = False  # a cycle cannot count by itself
            memo[cid] = any(ref == VERDICT or open_and_counts(ref) for ref in links.referrers[cid])
        return memo[cid]

    def open_and_counts(cid: str) -> bool:
        c = criteria.get(cid)
        return c is not None and c["state"] in OPEN and reach(c) is Reach.OUTCOME

    def state_of(cond: Any) -> CriterionState:
        """The condition's state as far as the result shows it (a figure's own condition, not
        kept in the result, as open: it blocks nothing)."""
        if isinstance(cond, AllOf | AnyOf):
            states = [state_of(c) for c in cond.children()]
            return combine_all(states) if isinstance(cond, AllOf) else combine_any(states)
        if isinstance(cond, CriterionRef):
            c = criteria.get(cond.criterion_id)
            return CriterionState(c["state"]) if c is not None else UNKNOWN
        if isinstance(cond, ScoreAtLeast):
            line = cond.threshold if cond.threshold is not None else result.get("pass_line")
            return _interval(result.get("score_min"), result.get("score_max"), _number(line))
        if isinstance(cond, GroupAtLeast):
            g = groups.get(cond.group, {})
            return _interval(g.get("points_min"), g.get("points_max"), cond.threshold)
        return UNKNOWN

    def decides(cond: Any, group: str | None) -> bool:
        """Whether a line an item of ``group`` could move (the score's, its group's) is still
        open in ``cond`` and nothing beside it settles the condition whichever side it falls:
        no other part of an all-of already failed, none of an any-of already met."""
        if isinstance(cond, ScoreAtLeast):
            return state_of(cond) is UNKNOWN
        if isinstance(cond, GroupAtLeast):
            return cond.group == group and state_of(cond) is UNKNOWN
        if isinstance(cond, AllOf | AnyOf):
            parts = list(cond.children())
            settled = UNMET if isinstance(cond, AllOf) else MET
            return any(
                decides(part, group)
                and all(state_of(other) is not settled for other in parts if other is not part)
                for part in parts
            )
        if _reads_score(cond):
            raise _Unsure
        return False

    def score_decides(c: dict) -> bool:
        if links is None:
            return True
        for cid, cond in links.score_readers.items():
            if cid != VERDICT and not (cid in criteria and open_and_counts(cid)):
                continue
            try:
                if decides(cond, c.get("group")):
                    return True
            except _Unsure:
                return True
        return False

    def reach(c: dict) -> Reach:
        if verdict == Verdict.NOT_QUALIFIED:
            return Reach.NONE
        if c.get("kind") == CriterionKind.SCORE:
            if verdict == Verdict.PENDING and score_decides(c):
                return Reach.OUTCOME
            return Reach.SCORE
        if verdict == Verdict.PENDING and reaches(c["id"]):
            return Reach.OUTCOME
        return Reach.NONE

    return reach
