"""Condition forms beyond the core set: ``known``, a test that counts missing data as decided."""

from __future__ import annotations

from collections.abc import Iterable

from zjtx.domain.results import CriterionState, PartResult
from zjtx.scoring.conditions import Cond, Outcome, StateFn
from zjtx.scoring.context import MET, UNKNOWN, UNMET, Context

UNKNOWN_MEANS = {"met": MET, "unmet": UNMET}


class Known(Cond):
    """``{known: 条件, unknown_means: met|unmet}``: the condition, with missing data decided.

    For what only counts when an applicant states it: a lead product whose stated revenue is
    not over 50 %, a ministerial institute. Without the figure the rule reads as the rulebook
    did before the field existed, instead of leaving every applicant open.
    """

    def __init__(self, inner: Cond, unknown_means: CriterionState, text: str | None = None):
        self.inner = inner
        self.unknown_means = unknown_means
        self.text = text

    def children(self) -> Iterable[Cond]:
        return (self.inner,)

    def describe(self) -> str:
        return self.inner.requirement()

    def _build(self) -> StateFn:
        inner, fallback = self.inner.decider(), self.unknown_means

        def decide(ctx: Context) -> CriterionState:
            state = inner(ctx)
            return fallback if state == UNKNOWN else state

        return decide

    def explain(self, ctx: Context) -> Outcome:
        state = ctx.decision(self)
        inner = self.inner.explain(ctx)
        if inner.state != UNKNOWN:
            return Outcome(state, inner.parts, (), inner.gaps)
        shown = "未填写，视为满足" if state == MET else "未填写，视为不满足"
        observed = "；".join(p.observed for p in inner.parts if p.observed)
        text = f"{observed}（{shown}）" if observed else shown
        return Outcome(state, [PartResult(self.requirement(), state, text)])


def build_known(parser, data: dict, form: str) -> Cond:
    """The parser-table builder of ``known`` (registered in parser.COND_FORMS)."""
    raw = data.get("unknown_means")
    if raw not in UNKNOWN_MEANS:
        raise parser.error(
            f"known 须写 unknown_means: met 或 unmet（缺数据时视为满足或不满足），收到 {raw!r}"
        )
    text = data.get("text")
    return Known(parser.cond(data["known"]), UNKNOWN_MEANS[raw], str(text) if text else None)
