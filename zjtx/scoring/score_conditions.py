"""Conditions on the score: the whole score or one group's, decided on their intervals."""

from __future__ import annotations

from decimal import Decimal

from zjtx.domain.results import CriterionState, PartResult, slots_constructor
from zjtx.scoring.conditions import Cond, Outcome, StateFn
from zjtx.scoring.context import MET, UNKNOWN, UNMET, Context
from zjtx.scoring.quantities import format_number

# PartResult(text, state, observed, gap), built without the dataclass's per-field setattr.
_part = slots_constructor(PartResult)
# The most score intervals said once and kept per condition (scores take few values).
KEPT_INTERVALS = 4096


def _interval_state(low: Decimal, high: Decimal, line: Decimal) -> CriterionState:
    return MET if low >= line else UNMET if high < line else UNKNOWN


def _interval_text(low: Decimal, high: Decimal) -> str:
    if low == high:
        return f"{format_number(low)} 分"
    return f"{format_number(low)}–{format_number(high)} 分"


class ScoreAtLeast(Cond):
    """``{score_at_least: 60 | pass_line}``, decided on the interval [score_min, score_max]."""

    def __init__(self, threshold: Decimal | None, pass_line: Decimal | None = None) -> None:
        self.threshold = threshold  # None: the rulebook's (or overlay's) pass line
        self.pass_line = pass_line
        self._said: dict[tuple[Decimal, Decimal, Decimal], Outcome] = {}

    def reads(self) -> frozenset[str] | None:
        return None  # another criterion's result, or the score

    def describe(self) -> str:
        line = self.threshold if self.threshold is not None else self.pass_line
        return "评价得分达到及格线" if line is None else f"评价得分不低于 {format_number(line)} 分"

    def _build(self) -> StateFn:
        threshold = self.threshold

        def decide(ctx: Context) -> CriterionState:
            line = threshold if threshold is not None else ctx.pass_line
            low, high = ctx.score_interval()
            return _interval_state(low, high, line)

        return decide

    def explain(self, ctx: Context) -> Outcome:
        line = self.threshold if self.threshold is not None else ctx.pass_line
        assert line is not None
        low, high = ctx.score_interval()
        # What is said of a score interval is the same for every applicant with that interval
        # (outcomes are read, never changed): said once per line and interval.
        said = self._said.get((line, low, high))
        if said is None:
            said = self._say(ctx.decision(self), line, low, high)
            if len(self._said) < KEPT_INTERVALS:
                self._said[(line, low, high)] = said
        return said

    def _say(self, state: CriterionState, line: Decimal, low: Decimal, high: Decimal) -> Outcome:
        text = f"评价得分不低于 {format_number(line)} 分"
        observed = f"得分 {_interval_text(low, high)}"
        if state == UNMET:
            short = format_number(line - high)
            gap = f"得分 {format_number(high)} 分，距 {format_number(line)} 分差 {short} 分"
            return Outcome(UNMET, [_part(text, UNMET, observed, gap)], (), [gap])
        return Outcome(state, [_part(text, state, observed, None)])


class GroupAtLeast(Cond):
    """``{group_at_least: {group: G, points: N}}``, decided on the group's interval."""

    def __init__(self, group: str, title: str, threshold: Decimal) -> None:
        self.group = group
        self.title = title
        self.threshold = threshold

    def reads(self) -> frozenset[str] | None:
        return None  # another criterion's result, or the score

    def describe(self) -> str:
        return f"{self.title}指标得分不低于 {format_number(self.threshold)} 分"

    def _build(self) -> StateFn:
        group, threshold = self.group, self.threshold

        def decide(ctx: Context) -> CriterionState:
            low, high = ctx.group_interval(group)
            return _interval_state(low, high, threshold)

        return decide

    def explain(self, ctx: Context) -> Outcome:
        state = ctx.decision(self)
        low, high = ctx.group_interval(self.group)
        text = self.describe()
        observed = f"{self.title}得分 {_interval_text(low, high)}"
        if state == UNMET:
            gap = f"{self.title}得分差 {format_number(self.threshold - high)} 分"
            return Outcome(UNMET, [_part(text, UNMET, observed, gap)], (), [gap])
        return Outcome(state, [_part(text, state, observed, None)])
