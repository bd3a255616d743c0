"""Case analysis: the first case whose selector holds applies (``{cases: [...], otherwise}``)."""

from __future__ import annotations

from collections.abc import Iterable

from zjtx.domain.results import CriterionState, PartResult, slots_constructor
from zjtx.scoring.conditions import Cond, Outcome, StateFn, kept_union
from zjtx.scoring.context import MET, UNKNOWN, UNMET, Context
from zjtx.scoring.near_bands import other_cases

# PartResult(text, state, observed, gap), built without the dataclass's per-field setattr.
_part = slots_constructor(PartResult)


class Cases(Cond):
    """``{cases: [{when, then}, ...], otherwise}``: the first case whose ``when`` holds applies.

    While a selector is undecided, both it and the cases after it stay possible; the result is
    decided when every possible branch agrees.
    """

    def __init__(self, cases: list[tuple[Cond, Cond]], otherwise: Cond | None, text=None) -> None:
        self.cases = cases
        self.otherwise = otherwise
        self.text = text

    def children(self) -> Iterable[Cond]:
        for when, then in self.cases:
            yield when
            yield then
        if self.otherwise is not None:
            yield self.otherwise

    def judged_whatever_the_data(self) -> bool:
        return False  # each branch applies only where the data selects it

    def kept_reads(self) -> tuple[frozenset[str], tuple[Cond, ...]] | None:
        # A selector whose case cannot hold unjudged is a guard: where it fails, the case is
        # skipped unsaid, and no near miss of it is offered (other_cases offers a band only
        # where its case would hold), so neither it nor its case is read.
        found, guards = [], []
        for when, then in self.cases:
            if then.holds_unjudged():
                found += [when.kept_reads(), then.kept_reads()]
            else:
                guards.append(when)
        if self.otherwise is not None:
            found.append(self.otherwise.kept_reads())
        union = kept_union(found)
        return None if union is None else (union[0], (*guards, *union[1]))

    def describe(self) -> str:
        lines = [
            f"{w.requirement()}的，{_after(w.requirement(), t.requirement())}"
            for w, t in self.cases
        ]
        if self.otherwise is not None:
            lines.append(f"其他情况，{self.otherwise.requirement()}")
        return "；".join(lines)

    def _build(self) -> StateFn:
        cases = tuple((when.decider(), then.decider()) for when, then in self.cases)
        otherwise = self.otherwise.decider() if self.otherwise is not None else None

        def decide(ctx: Context) -> CriterionState:
            # Most applicants meet a selector that holds before any left open: its branch
            # decides, with no set of the possible branches' states.
            for index, (when, then) in enumerate(cases):
                selector = when(ctx)
                if selector is UNMET:
                    continue
                if selector is MET:
                    return then(ctx)
                return undecided(ctx, index, then(ctx))
            return otherwise(ctx) if otherwise is not None else UNMET

        def undecided(ctx: Context, index: int, state: CriterionState) -> CriterionState:
            """From a selector left open (branch ``state``): every branch still possible."""
            states = {state}
            for when, then in cases[index + 1 :]:
                selector = when(ctx)
                if selector is UNMET:
                    continue
                states.add(then(ctx))
                if selector is MET:
                    break
            else:
                states.add(otherwise(ctx) if otherwise is not None else UNMET)
            if len(states) == 1 and states <= {MET, UNMET}:
                return states.pop()
            return UNKNOWN

        return decide

    def explain(self, ctx: Context) -> Outcome:
        # The same walk as the decider, keeping what each possible branch says; each outcome
        # carries its own decider's state, so the decider's state is combined from them as
        # the decider combines them, without deciding the whole node again.
        top = ctx.top
        # Decided already (ctx.top): a branch that alone decides this node has its state, and
        # takes it from ctx.top in turn instead of deciding again.
        decided = top[1] if top is not None and top[0] is self else None
        branches: list[Outcome] = []
        selectors: list[Outcome] = []
        skipped: list[tuple[Cond, Cond]] = []
        states = set()
        open_selector = False
        for when, then in self.cases:
            # A selector that does not hold says nothing: decided, not rendered (a guard that
            # spares most applicants costs them no text).
            selected = when.decider()(ctx)
            if selected is UNMET:
                skipped.append((when, then))
                continue
            selector = when.explain(ctx)
            selectors.append(selector)
            if decided is not None and selected is MET and not open_selector:
                ctx.top = (then, decided)
                branch = then.explain(ctx)
                ctx.top = top
            else:
                branch = then.explain(ctx)
            branches.append(branch)
            states.add(branch.state)
            if selector.state == MET:
                break
            open_selector = True
        else:
            if self.otherwise is not None:
                if decided is not None and not open_selector:
                    ctx.top = (self.otherwise, decided)
                    branches.append(self.otherwise.explain(ctx))
                    ctx.top = top
                else:
                    branches.append(self.otherwise.explain(ctx))
            else:
                part = _part(self.requirement(), UNMET, "不属于任何适用情形", None)
                branches.append(Outcome(UNMET, [part]))
            states.add(branches[-1].state)
        if not selectors and branches[0].state is MET:
            # No case applies and the rest holds (most applicants): said as the rest says it.
            only = branches[0]
            if not only.missing and not only.gaps:
                return only
        if decided is not None:
            state = decided
        elif len(states) == 1 and (not open_selector or states <= {MET, UNMET}):
            state = states.pop()
        else:
            state = UNKNOWN
        if state == UNKNOWN:
            missing = tuple(dict.fromkeys(m for o in selectors + branches for m in o.missing))
        else:
            missing = ()
        parts = [p for o in selectors for p in o.parts] + [p for o in branches for p in o.parts]
        gaps = [g for o in branches if o.state == UNMET for g in o.gaps]
        if state == UNMET and skipped:
            gaps += other_cases(ctx, skipped)
        return Outcome(state, parts, missing, gaps if state == UNMET else [])


def _after(when: str, then: str) -> str:
    """A case's requirement without the condition it restates (申报的主导产品收入未超过营业收入的
    50%的，申报的主导产品收入未超过营业收入的50%，不符合… says it twice)."""
    if then.startswith(when):
        rest = then[len(when) :].lstrip("，,：:；; ")
        if rest:
            return rest
    return then
