"""Rule trees compiled to closures for the decide-only path (states and points, no text).

The evaluator decides every criterion of every applicant before anything is explained, and a
provincial round has thousands of applicants, so deciding is the hot path. Walking the rule
objects costs several method calls per node; a closure per node, with its operands bound once
when the rulebook is loaded, does the same work with a fraction of the interpreter overhead.

A compiled closure must return exactly what the node's ``decide`` (conditions) or
non-explaining ``evaluate`` (point rules) returns: tests compare the two on every criterion of
every rulebook, and the evaluator checks each explanation against its decision. Nodes without
a specialised form (cases) fall back to their own method.
Confirmations are not handled here: the evaluator takes the uncompiled path when there are any.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from zjtx.domain.results import CriterionState
from zjtx.scoring.quantities import EXACT, Exact, to_number
from zjtx.scoring.rules import (
    _ALL_BY_RANK,
    _ALL_RANK,
    _ANY_BY_RANK,
    _ANY_RANK,
    MANUAL,
    MET,
    UNKNOWN,
    UNMET,
    AllOf,
    AnyOf,
    Bands,
    BestOf,
    Between,
    Compare,
    Cond,
    Context,
    Count,
    CriterionRef,
    FieldPoints,
    FirstMatch,
    GroupAtLeast,
    InSet,
    Is,
    Leaf,
    Manual,
    Options,
    Score,
    ScoreAtLeast,
    _points_state,
)

StateFn = Callable[[Context], CriterionState]
PointsTuple = tuple[CriterionState, Decimal, Decimal, Decimal]  # state, points, low, high
PointsFn = Callable[[Context], PointsTuple]

_MISSING = object()
# The results of Number.compare (-1, 0, 1) that satisfy each operator.
_ACCEPTS = {
    "ge": frozenset((0, 1)),
    "gt": frozenset((1,)),
    "le": frozenset((-1, 0)),
    "lt": frozenset((-1,)),
    "eq": frozenset((0,)),
}


def compile_cond(cond: Cond) -> StateFn:
    """A function of the context giving ``cond.decide(ctx)``."""
    if isinstance(cond, Leaf):
        return _leaf(cond)
    if isinstance(cond, AllOf | AnyOf):
        return _junction(cond)
    if isinstance(cond, Manual):
        return _manual
    if isinstance(cond, ScoreAtLeast):
        return _score_at_least(cond)
    if isinstance(cond, GroupAtLeast):
        return _group_at_least(cond)
    if isinstance(cond, CriterionRef):
        criterion_id = cond.criterion_id

        def referred(ctx: Context) -> CriterionState:
            decision = ctx.decided.get(criterion_id)
            if decision is None:
                decision = ctx.criterion(criterion_id)
            return decision.state

        return referred
    return cond.decide


def _score_at_least(cond: ScoreAtLeast) -> StateFn:
    threshold = cond.threshold

    def decide(ctx: Context) -> CriterionState:
        line = threshold if threshold is not None else ctx.pass_line
        low, high = ctx.score_interval()
        return MET if low >= line else UNMET if high < line else UNKNOWN

    return decide


def _group_at_least(cond: GroupAtLeast) -> StateFn:
    group, threshold = cond.group, cond.threshold

    def decide(ctx: Context) -> CriterionState:
        low, high = ctx.group_interval(group)
        return MET if low >= threshold else UNMET if high < threshold else UNKNOWN

    return decide


def _manual(ctx: Context) -> CriterionState:
    return ctx.judged or MANUAL


def _leaf(cond: Leaf) -> StateFn:
    name = cond.name
    judgement = cond.judgement
    unknown = cond.decide_unknown
    qdef = cond.qdef
    # A plain field is read straight from the applicant's values: no cache, no Exact wrapper.
    raw_field = qdef.kind == "field" and not qdef.numeric_field
    if isinstance(cond, Compare):
        accepts = _ACCEPTS[cond.op.op]
        threshold = cond.threshold
        if qdef.kind == "field":
            return _field_compare(name, threshold, accepts, judgement, unknown)

        def test(value) -> bool:
            return value.compare(threshold) in accepts

    elif isinstance(cond, Is):
        expected = cond.expected

        def test(value) -> bool:
            return bool(value) is expected

    elif isinstance(cond, InSet):
        codes = cond.codes

        def test(value) -> bool:
            return value in codes

    elif isinstance(cond, Between):
        test = cond.test
    else:  # pragma: no cover - every leaf kind is listed above
        return cond.decide

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


def _field_compare(
    name: str,
    threshold: Decimal,
    accepts: frozenset[int],
    judgement: bool,
    unknown: StateFn,
) -> StateFn:
    """A comparison on a numeric field: the Decimal itself against the threshold."""

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


def _junction(cond: AllOf | AnyOf) -> StateFn:
    items = tuple(compile_cond(item) for item in cond.items)
    if isinstance(cond, AllOf):
        decisive, rank, by_rank = UNMET, _ALL_RANK, _ALL_BY_RANK
    else:
        decisive, rank, by_rank = MET, _ANY_RANK, _ANY_BY_RANK

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


def compile_score(score: Score) -> PointsFn:
    """A function of the context giving (state, points, low, high) of ``score.evaluate(ctx)``
    outside explain mode."""
    if isinstance(score, Bands):
        return _bands(score)
    if isinstance(score, Options):
        return _options(score)
    if isinstance(score, Count):
        return _count(score)
    if isinstance(score, FirstMatch):
        return _first_match(score)
    if isinstance(score, BestOf):
        return _best_of(score)
    if isinstance(score, FieldPoints):
        return _field_points(score)
    evaluate = score.evaluate

    def generic(ctx: Context) -> PointsTuple:
        pts = evaluate(ctx)
        return pts.state, pts.points, pts.low, pts.high

    return generic  # pragma: no cover - every point rule kind is listed above


def _bands(score: Bands) -> PointsFn:
    name = score.qdef.name
    low, high = score.bounds()
    bands = tuple(score.bands)
    otherwise = score.otherwise
    accepts = _ACCEPTS["ge" if score.up else "le"]
    unknown = (UNKNOWN, low, low, high)

    field = score.qdef.kind == "field"

    def decide(ctx: Context) -> PointsTuple:
        if field:
            value = ctx.values.get(name)
            cls = value.__class__
            if value is not None and cls is not Decimal and cls is not int:
                value = to_number(value)
        else:
            value = ctx.vcache.get(name, _MISSING)
            if value is _MISSING:
                value = ctx.value(name)
        if value is None:
            return unknown
        pts = otherwise
        if field:
            for edge, band_points in bands:
                if ((value > edge) - (value < edge)) in accepts:
                    pts = band_points
                    break
        elif value.__class__ is Exact:
            # One correctly rounded quotient instead of a product per edge. Rounding is
            # monotonic and every edge is exact at this precision, so a quotient on either side
            # of an edge puts the value on that side; only a tie needs the exact comparison.
            quotient = EXACT.divide(value.num, value.den)
            for edge, band_points in bands:
                cmp = (quotient > edge) - (quotient < edge)
                if (cmp or value.compare(edge)) in accepts:
                    pts = band_points
                    break
        else:
            for edge, band_points in bands:
                if value.compare(edge) in accepts:
                    pts = band_points
                    break
        return (MET if pts > 0 else UNMET), pts, pts, pts

    return decide


def _options(score: Options) -> PointsFn:
    name = score.qdef.name
    low, high = score.bounds()
    points = score.points
    judgement = score.judgement
    unknown = (UNKNOWN, low, low, high)

    def decide(ctx: Context) -> PointsTuple:
        value = ctx.value(name)
        if value is None:
            return unknown
        pts = points[value]
        if value in judgement:
            judged = ctx.judged
            if judged == MET:
                return MET, pts, pts, pts
            if judged == UNMET:
                return UNMET, low, low, low
            return MANUAL, pts, low, pts
        return (MET if pts > 0 else UNMET), pts, pts, pts

    return decide


def _count(score: Count) -> PointsFn:
    names = tuple(q.name for q in score.qdefs)
    each, cap = score.each, score.cap
    # Counted flags are yes/no fields as a rule; anything else goes through the context.
    raw_fields = all(q.kind == "field" and not q.numeric_field for q in score.qdefs)

    def decide(ctx: Context) -> PointsTuple:
        yes = unknown = 0
        vcache = ctx.vcache
        values = ctx.values
        for name in names:
            if raw_fields:
                value = values.get(name)
            else:
                value = vcache.get(name, _MISSING)
                if value is _MISSING:
                    value = ctx.value(name)
            if value is None:
                unknown += 1
            elif value:
                yes += 1
        low = min(cap, each * yes)
        high = min(cap, each * (yes + unknown)) if unknown else low
        return _points_state(low, high, low, False), low, low, high

    return decide


def _first_match(score: FirstMatch) -> PointsFn:
    cases = tuple((compile_cond(cond), pts) for cond, pts in score.cases)
    otherwise = score.otherwise

    def decide(ctx: Context) -> PointsTuple:
        possible: list[Decimal] = []
        judgement = False
        decided = None
        for cond, pts in cases:
            state = cond(ctx)
            if state == MET:
                possible.append(pts)
                decided = pts
                break
            if state in (UNKNOWN, MANUAL):
                possible.append(pts)
                judgement = judgement or state == MANUAL
        else:
            possible.append(otherwise)
        low, high = min(possible), max(possible)
        declared = decided if decided is not None and low == high else low
        return _points_state(low, high, declared, judgement and low != high), declared, low, high

    return decide


def _best_of(score: BestOf) -> PointsFn:
    items = tuple(compile_score(item) for item in score.items)

    def decide(ctx: Context) -> PointsTuple:
        results = [item(ctx) for item in items]
        low = max(r[2] for r in results)
        high = max(r[3] for r in results)
        declared = max(r[1] for r in results)
        pending = low != high and any(r[0] == MANUAL for r in results)
        return _points_state(low, high, declared, pending), declared, low, high

    return decide


def _field_points(score: FieldPoints) -> PointsFn:
    name = score.qdef.name
    lowest, highest = score.low, score.high
    unknown = (UNKNOWN, lowest, lowest, highest)

    def decide(ctx: Context) -> PointsTuple:
        value = ctx.vcache.get(name, _MISSING)
        if value is _MISSING:
            value = ctx.value(name)
        if value is None:
            return unknown
        pts = min(max(value.value, lowest), highest)
        return (MET if pts > 0 else UNMET), pts, pts, pts

    return decide
