"""Condition nodes: each builds its decider once and renders its explanation from it.

A condition ends ``met``, ``unmet``, ``unknown`` (data missing), ``manual`` (needs an
evaluator's judgement) or ``na`` (does not apply). ``decider()`` returns the closure that
decides the state, with its operands bound when the rulebook is loaded; it reads values,
confirmations (``ctx.judged``) and other criteria through the context. ``explain(ctx)`` takes
the state from that same closure and renders the Chinese parts, gaps and missing data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from zjtx.domain.results import CriterionState, PartResult, slots_constructor
from zjtx.scoring.context import (
    ALL_BY_RANK,
    ALL_RANK,
    ANY_BY_RANK,
    ANY_RANK,
    APP_TYPES,
    MANUAL,
    MET,
    UNKNOWN,
    UNMET,
    Context,
    QuantityDef,
    repeating_field,
)
from zjtx.scoring.gaps import gap_texter
from zjtx.scoring.quantities import COMPARISONS, Number, format_number, to_number
from zjtx.scoring.size import SIZE_LABELS

StateFn = Callable[[Context], CriterionState]
# PartResult(text, state, observed, gap), built without the dataclass's per-field setattr.
_part = slots_constructor(PartResult)

_MISSING = object()
# The most outcomes a leaf keeps (values of a round's repeating fields fit many times over).
KEPT_PER_LEAF = 2048
# The results of a three-way comparison (-1, 0, 1) that satisfy each operator.
ACCEPTS = {
    "ge": frozenset((0, 1)),
    "gt": frozenset((1,)),
    "le": frozenset((-1, 0)),
    "lt": frozenset((-1,)),
    "eq": frozenset((0,)),
}


class Outcome:
    """An explained condition: its decided state, the parts, missing data and gaps."""

    __slots__ = ("gaps", "missing", "parts", "state")

    def __init__(
        self,
        state: CriterionState,
        parts: Sequence[PartResult] | None = None,
        missing: tuple[str, ...] = (),
        gaps: Sequence[str] | None = None,
    ) -> None:
        self.state = state
        self.parts = parts if parts is not None else []
        self.missing = missing
        self.gaps = gaps if gaps is not None else []


class Cond:
    """A condition node."""

    text: str | None = None
    _requirement: str | None = None
    _decider: StateFn | None = None

    def __copy__(self) -> Cond:
        # A copy is reworded (a notice's question): its explainer, which binds the wording,
        # is built again.
        clone = object.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.__dict__.pop("explain", None)
        return clone

    def decider(self) -> StateFn:
        """The function of the context deciding this condition's state (built once)."""
        if self._decider is None:
            self._decider = self._build()
        return self._decider

    def _build(self) -> StateFn:  # pragma: no cover - interface
        raise NotImplementedError

    def explain(self, ctx: Context) -> Outcome:  # pragma: no cover - interface
        """The decided state with its Chinese parts, gaps and missing data."""
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def requirement(self) -> str:
        if self._requirement is None:
            self._requirement = self.text or self.describe()
        return self._requirement

    def children(self) -> Iterable[Cond]:
        return ()

    def reads(self) -> frozenset[str] | None:
        """The quantities this condition's explanation reads, or None when it reads more than
        the applicant's values (another criterion, a score): what an explanation may be kept
        by (zjtx.scoring.evaluator keeps one per set of the values it reads)."""
        names: set[str] = set()
        for child in self.children():
            read = child.reads()
            if read is None:
                return None
            names |= read
        return frozenset(names)

    def kept_reads(self) -> tuple[frozenset[str], tuple[Cond, ...]] | None:
        """As reads, with the guards apart: (the quantities read, the guards). A guard is a
        case's selector whose case cannot hold without an evaluator (the 主导产品 50 % check):
        where the guard does not hold, neither it nor its case is said, so an explanation is
        kept by the other quantities alone while every guard fails."""
        children = tuple(self.children())
        if not children:
            reads = self.reads()
            return None if reads is None else (reads, ())
        return kept_union([child.kept_reads() for child in children])

    def holds_unjudged(self) -> bool:
        """Whether the condition can hold with no evaluator's confirmation (a judgement part
        waits for one). True where that is not known: a case is then no guard."""
        return True

    def near_edge(self, ctx: Context, share: Decimal) -> bool:
        """Whether the condition is a comparison whose figure lies within ``share`` of its
        threshold (for a case narrowly missed)."""
        return False

    def at_edge(self, ctx: Context) -> Context | None:
        """The applicant's context with this comparison's field at the threshold it asks
        for (≥ or ≤ only), or None (for a case narrowly missed)."""
        return None

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        """(quantity, threshold) of every comparison in this condition: the figures a value
        shown beside it must not appear to reach when it does not (quantities.display_places)."""
        for child in self.children():
            yield from child.thresholds()

    def judgemental(self) -> bool:
        return any(child.judgemental() for child in self.children())

    def judged_whatever_the_data(self) -> bool:
        """Whether a judgement part applies to every applicant, not only in a case the data
        selects (as the 主导产品 guard's does: a judgement at 50 % of revenue or less)."""
        return any(child.judged_whatever_the_data() for child in self.children())


class Leaf(Cond):
    """A test on one quantity."""

    unknown_text: str | None = None  # what to say when the value is missing (e.g. 待平台评价)

    def __init__(self, qdef: QuantityDef, judgement: bool, text: str | None) -> None:
        self.qdef = qdef
        self.name = qdef.name
        self.judgement = judgement
        self.text = text
        # The count this field counts part of (FieldSpec.part_of), which bounds it when unknown.
        spec = qdef.spec if qdef.kind == "field" else None
        self.whole: str | None = spec.part_of if spec is not None else None

    def decide_unknown(self, ctx: Context) -> CriterionState:
        """State when the value is unknown; a rule may still be decided by what is known."""
        return UNKNOWN

    def reads(self) -> frozenset[str] | None:
        return frozenset((self.name, self.whole) if self.whole else (self.name,))

    def judgemental(self) -> bool:
        return self.judgement

    def judged_whatever_the_data(self) -> bool:
        return self.judgement

    def holds_unjudged(self) -> bool:
        return not self.judgement

    def tester(self) -> Callable[[Any], bool]:  # pragma: no cover - interface
        """The test of a known value, with its operands bound."""
        raise NotImplementedError

    def _build(self) -> StateFn:
        name, judgement, unknown = self.name, self.judgement, self.decide_unknown
        # A plain field is read straight from the applicant's values: no cache, no wrapper.
        raw_field = self.qdef.kind == "field" and not self.qdef.numeric_field
        test = self.tester()

        def decide(ctx: Context) -> CriterionState:
            if raw_field:
                value = ctx.values.get(name)
            else:
                value = ctx.vcache.get(name, _MISSING)
                if value is _MISSING:
                    value = ctx.value(name)
            if value is None:
                return unknown(ctx)
            if test(value):
                return (ctx.judged or MANUAL) if judgement else MET
            return UNMET

        return decide

    def gap_maker(self) -> Callable[[Context, str], str | None]:
        """The gap of a known value that fails the test, as a function of the context and the
        quantity's name: none, unless the test measures a distance (Compare)."""
        return lambda ctx, name: None

    def explain(self, ctx: Context) -> Outcome:
        # Built on first use, then found on the instance before this method.
        self.explain = self._build_explainer()  # type: ignore[method-assign]
        return self.explain(ctx)

    def _build_explainer(self) -> Callable[[Context], Outcome]:
        name = self.name
        requirement = self.requirement()
        decider = self.decider()
        unknown_text = self.unknown_text
        gap_of = self.gap_maker()
        field = self.qdef.kind == "field"
        whole = self.whole

        def explain(ctx: Context) -> Outcome:
            top = ctx.top
            state = top[1] if top is not None and top[0] is self else decider(ctx)
            return render(ctx, state)

        def render(ctx: Context, state: CriterionState) -> Outcome:
            if field:
                # A field is unknown exactly when the applicant has no value for it: no Number
                # is built only to be tested against None.
                value = ctx.values.get(name)
            else:
                vcache = ctx.vcache
                value = vcache[name] if name in vcache else ctx.value(name)
            if value is None:
                if field:
                    # What ctx.q(name) says of an unknown field, without building it.
                    missing = (name,) if state is UNKNOWN else ()
                    observed = ctx.texts.get(name) or ctx.text(name)
                else:
                    qv = ctx.q(name)
                    missing = (qv.missing or (name,)) if state is UNKNOWN else ()
                    observed = qv.explain
                if state is UNKNOWN and unknown_text:
                    observed = f"{observed}（{unknown_text}）"
                elif state is not UNKNOWN and whole is not None:
                    # Decided by the count it is part of (0 Ⅰ类 items: no 高价值 one either).
                    observed = f"{observed}（不超过{ctx.text(whole)}）"
                return Outcome(state, [_part(requirement, state, observed, None)], missing)
            text = ctx.texts.get(name) or ctx.text(name)
            if state is UNMET:
                gap = gap_of(ctx, name)
                return Outcome(
                    UNMET, [_part(requirement, UNMET, text, gap)], (), [gap] if gap else None
                )
            return Outcome(state, [_part(requirement, state, text, None)])

        spec = self.qdef.spec
        if not field or spec is None or not repeating_field(spec):
            return explain
        # A yes/no, option, rank, count, level or years field: what the leaf decides and says
        # depends only on the value (one of the few it takes across a round) and the
        # evaluator's confirmation (ctx.judged), so each outcome is rendered once per rulebook
        # and shared (outcomes are read, never changed); the decider need not run again either
        # (ctx.top holds what it decided under the same confirmation). Keyed by the quantity's
        # texter too: a notice relabels fields with a table of its own.
        table: dict[tuple[Any, ...], Outcome] = {}

        def explain_kept(ctx: Context) -> Outcome:
            value = ctx.values.get(name)
            # An unknown part is said with the whole that bounds it.
            bound = ctx.values.get(whole) if whole is not None and value is None else None
            key = (ctx.texters[name], value.__class__, value, ctx.judged, bound)
            outcome = table.get(key)
            if outcome is None:
                outcome = explain(ctx)
                outcome = Outcome(
                    outcome.state, tuple(outcome.parts), outcome.missing, tuple(outcome.gaps)
                )
                if len(table) < KEPT_PER_LEAF:
                    table[key] = outcome
            return outcome

        return explain_kept


class Compare(Leaf):
    """``{q: X, ge|gt|le|lt|eq: number}``: an exact numeric comparison."""

    def __init__(self, qdef, op: str, threshold: Decimal, judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.op = COMPARISONS[op]
        self.threshold = threshold

    def describe(self) -> str:
        return f"{self.qdef.label}{self.op.word} {self.qdef.show(self.threshold)}"

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        yield self.name, self.threshold

    def near_edge(self, ctx: Context, share: Decimal) -> bool:
        value = ctx.value(self.name)
        if not isinstance(value, Number) or not self.threshold:
            return False
        distance = abs(value.to_decimal(6) - self.threshold)
        return distance <= abs(self.threshold) * share

    def at_edge(self, ctx: Context) -> Context | None:
        if self.qdef.kind != "field" or self.op.op not in ("ge", "le"):
            return None
        values = {**ctx.values, self.name: self.threshold}
        return Context(
            values,
            ctx.quantities,
            ctx.size,
            ctx.application_type,
            ctx.settings,
            ctx.pass_line,
            ctx.edges,
        )

    def tester(self) -> Callable[[Any], bool]:
        threshold, accepts = self.threshold, ACCEPTS[self.op.op]

        def test(value: Number) -> bool:
            return value.compare(threshold) in accepts

        return test

    def decide_unknown(self, ctx: Context) -> CriterionState:
        # A count of part of another lies between 0 and that count: where the test gives the
        # same at both ends (高价值 ≥ 1 of 0 Ⅰ类 items), it is decided without the part.
        bound = ctx.values.get(self.whole) if self.whole is not None else None
        if bound is None or (self.op.op == "eq" and bound != 0):
            return UNKNOWN
        threshold, accepts = self.threshold, ACCEPTS[self.op.op]
        holds = [((end > threshold) - (end < threshold)) in accepts for end in (0, bound)]
        if holds[0] != holds[1]:
            return UNKNOWN
        return ((ctx.judged or MANUAL) if self.judgement else MET) if holds[0] else UNMET

    def _build(self) -> StateFn:
        if self.qdef.kind != "field":
            return super()._build()
        # A numeric field: the Decimal itself against the threshold, no Exact wrapper.
        name, judgement, unknown = self.name, self.judgement, self.decide_unknown
        threshold, accepts = self.threshold, ACCEPTS[self.op.op]

        def decide(ctx: Context) -> CriterionState:
            raw = ctx.values.get(name)
            if raw is None:
                return unknown(ctx)
            if raw.__class__ is not Decimal and raw.__class__ is not int:
                raw = to_number(raw)  # an int compares with a Decimal exactly as it is
            if ((raw > threshold) - (raw < threshold)) in accepts:
                return (ctx.judged or MANUAL) if judgement else MET
            return UNMET

        return decide

    def gap_maker(self) -> Callable[[Context, str], str | None]:
        return gap_texter(self.qdef, self.op.op, self.threshold)


class Between(Leaf):
    """``{q: X, between: [lo, hi]}``: inclusive range (e.g. award rank 1..3)."""

    def __init__(self, qdef, lo: Decimal, hi: Decimal, judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.lo = lo
        self.hi = hi

    def describe(self) -> str:
        return f"{self.qdef.label}在 {format_number(self.lo)}–{format_number(self.hi)} 之间"

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        yield self.name, self.lo
        yield self.name, self.hi

    def tester(self) -> Callable[[Any], bool]:
        lo, hi = self.lo, self.hi

        def test(value: Number) -> bool:
            return value.compare(lo) >= 0 and value.compare(hi) <= 0

        return test

    def _build(self) -> StateFn:
        if self.qdef.kind != "field":
            return super()._build()
        # A numeric field (a rank): the Decimal or int itself within the range, as Compare.
        name, judgement, unknown = self.name, self.judgement, self.decide_unknown
        lo, hi = self.lo, self.hi

        def decide(ctx: Context) -> CriterionState:
            raw = ctx.values.get(name)
            if raw is None:
                return unknown(ctx)
            if raw.__class__ is not Decimal and raw.__class__ is not int:
                raw = to_number(raw)
            if lo <= raw <= hi:
                return (ctx.judged or MANUAL) if judgement else MET
            return UNMET

        return decide


class Is(Leaf):
    """``{q: flag, is: true|false}`` on a yes/no field."""

    def __init__(self, qdef, expected: bool, judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.expected = expected

    def describe(self) -> str:
        return f"{self.qdef.label}：{'是' if self.expected else '否'}"

    def tester(self) -> Callable[[Any], bool]:
        expected = self.expected

        def test(value: Any) -> bool:
            return bool(value) is expected

        return test


class InSet(Leaf):
    """``{q: enum, in: [codes]}``."""

    def __init__(self, qdef, codes: tuple[str, ...], judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.codes = codes

    def describe(self) -> str:
        labels = self.labels()
        return f"{self.qdef.label}为{'或'.join(labels)}"

    def labels(self) -> list[str]:
        if self.qdef.name == "size_class":
            return [SIZE_LABELS[c] for c in self.codes]
        if self.qdef.name == "application_type":
            return [APP_TYPES[c] for c in self.codes]
        spec = self.qdef.spec
        names = spec.option_labels if spec else {}
        return [names.get(c, c) for c in self.codes]

    def tester(self) -> Callable[[Any], bool]:
        codes = self.codes

        def test(value: Any) -> bool:
            return value in codes

        return test

    def decide_unknown(self, ctx: Context) -> CriterionState:
        # The size class can be open between bands and still decide "is an SME": a 工业 firm
        # with 8600万 revenue is never large, whatever its head count.
        if self.name == "size_class":
            possible = ctx.size.possible
            if possible and possible <= set(self.codes):
                return MET
            if possible and possible.isdisjoint(self.codes):
                return UNMET
        return UNKNOWN


def _judged_or_manual(ctx: Context) -> CriterionState:
    return ctx.judged or MANUAL


class Manual(Cond):
    """``{manual: 文本}``: a qualitative requirement only an evaluator can judge."""

    # What an evaluator's answer reads as, by state (an informational item's 有 / 无: set by
    # the criterion's parser); None: the states' own labels.
    labels: Mapping[CriterionState, str] | None = None

    def __init__(self, text: str) -> None:
        self.text = text

    def describe(self) -> str:
        return self.text or ""

    def judgemental(self) -> bool:
        return True

    def judged_whatever_the_data(self) -> bool:
        return True

    def holds_unjudged(self) -> bool:
        return False

    def _build(self) -> StateFn:
        return _judged_or_manual

    def explain(self, ctx: Context) -> Outcome:
        state = ctx.decision(self)
        labels = self.labels
        label = labels.get(state, state.label) if labels else state.label
        observed = "需评审人判断" if state == MANUAL else f"评审人确认：{label}"
        return Outcome(state, [_part(self.requirement(), state, observed, None)])


class _Junction(Cond):
    """All-of / any-of: one state decides at once (``decisive``); otherwise ``rank`` orders."""

    decisive: CriterionState
    rank: dict[CriterionState, int]
    by_rank: dict[int, CriterionState]

    def __init__(self, items: list[Cond], text: str | None = None) -> None:
        self.items = items
        self.text = text

    def children(self) -> Iterable[Cond]:
        return self.items

    def _build(self) -> StateFn:
        items = tuple(item.decider() for item in self.items)
        decisive, rank, by_rank = self.decisive, self.rank, self.by_rank

        def decide(ctx: Context) -> CriterionState:
            best = 0
            for item in items:
                state = item(ctx)
                if state is decisive:
                    return decisive
                level = rank[state]
                if level > best:
                    best = level
            return by_rank[best]

        return decide

    def explain(self, ctx: Context) -> Outcome:
        # The decider's state, from the children's decided states (each outcome carries its
        # own decider's): combining them is what the decider does, without deciding the
        # subtree again at every level.
        # The decisive state has the highest rank, so the best rank is the decided state.
        rank = self.rank
        best = 0
        parts: list[PartResult] = []
        gaps: list[str] = []
        missing: list[str] = []
        for item in self.items:
            outcome = item.explain(ctx)
            state = outcome.state
            level = rank[state]
            if level > best:
                best = level
            parts += outcome.parts
            if state is UNMET:
                gaps += outcome.gaps
            elif state is UNKNOWN:
                missing += outcome.missing
        state = self.by_rank[best]
        if state is UNKNOWN:
            return Outcome(state, parts, tuple(dict.fromkeys(missing)), gaps)
        return Outcome(state, parts, (), gaps)


class AllOf(_Junction):
    decisive, rank, by_rank = UNMET, ALL_RANK, ALL_BY_RANK

    def holds_unjudged(self) -> bool:
        return all(item.holds_unjudged() for item in self.items)

    def describe(self) -> str:
        return "；且".join(_bracket(i, "或") for i in self.items)


class AnyOf(_Junction):
    decisive, rank, by_rank = MET, ANY_RANK, ANY_BY_RANK

    def holds_unjudged(self) -> bool:
        return any(item.holds_unjudged() for item in self.items)

    def describe(self) -> str:
        return "；或".join(_bracket(i, "且") for i in self.items)

    def explain(self, ctx: Context) -> Outcome:
        top = ctx.top
        if top is not None and top[0] is self and top[1] is MET:
            # Decided met: only the parts that hold are shown, so an alternative of one part
            # (a test, another criterion) that does not hold is not rendered at all.
            parts: list[PartResult] = []
            for item in self.items:
                if isinstance(item, Leaf | CriterionRef):
                    if (item._decider or item.decider())(ctx) is MET:
                        # Decided here: the leaf takes its state from ctx.top, not its test.
                        ctx.top = (item, MET)
                        parts += item.explain(ctx).parts
                else:
                    parts += [p for p in item.explain(ctx).parts if p.state == MET]
            ctx.top = top
            return Outcome(MET, parts, (), [])
        merged = super().explain(ctx)
        if merged.state is MET:
            # Once one alternative holds, the others are beside the point.
            merged.parts = [p for p in merged.parts if p.state == MET]
            merged.gaps = []
        return merged


class CriterionRef(Cond):
    """``{criterion: ID}``: the final state of another criterion."""

    def __init__(self, criterion_id: str, title: str = "") -> None:
        self.criterion_id = criterion_id
        self.title = title

    def reads(self) -> frozenset[str] | None:
        return None  # another criterion's result, or the score

    def describe(self) -> str:
        return f"{self.criterion_id} {self.title}".strip()

    def _build(self) -> StateFn:
        criterion_id = self.criterion_id

        def decide(ctx: Context) -> CriterionState:
            decision = ctx.decided.get(criterion_id)
            if decision is None:
                decision = ctx.criterion(criterion_id)
            return decision.state

        return decide

    def explain(self, ctx: Context) -> Outcome:
        result = ctx.explained(self.criterion_id)  # explained from that criterion's decision
        part = _part(self.describe(), result.state, result.observed, result.gap)
        gaps = (
            [f"{self.criterion_id}：{result.gap}"] if result.gap and result.state == UNMET else []
        )
        return Outcome(result.state, [part], result.missing, gaps)


def kept_union(
    found: Iterable[tuple[frozenset[str], tuple[Cond, ...]] | None],
) -> tuple[frozenset[str], tuple[Cond, ...]] | None:
    """The kept_reads of nodes together: None if any reads more than quantities."""
    names: set[str] = set()
    guards: list[Cond] = []
    for item in found:
        if item is None:
            return None
        names |= item[0]
        guards += item[1]
    return frozenset(names), tuple(guards)


def _bracket(cond: Cond, other_joiner: str) -> str:
    text = cond.requirement()
    if isinstance(cond, AllOf | AnyOf) and cond.text is None and other_joiner in text:
        return f"（{text}）"
    return text
