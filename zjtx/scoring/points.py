"""Point rules: each builds its decider once and renders its explanation from it.

``decider()`` returns the closure giving ``(state, points, low, high)``: the declared points
and the interval they can still move in while data is missing or a judgement is open.
``explain(ctx)`` takes those from the same closure and renders the observed text and the gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from zjtx.domain.results import CriterionState
from zjtx.scoring.conditions import ACCEPTS, Cond, kept_union
from zjtx.scoring.context import MANUAL, MET, UNKNOWN, UNMET, ZERO, Context, QuantityDef
from zjtx.scoring.gaps import gap_texter
from zjtx.scoring.quantities import EXACT, Exact, Number, ceil_div, format_number, to_number

PointsTuple = tuple[CriterionState, Decimal, Decimal, Decimal]  # state, points, low, high
PointsFn = Callable[[Context], PointsTuple]

_MISSING = object()


class Points:
    """An explained point rule: declared points, their interval, and the Chinese text."""

    __slots__ = ("gap", "high", "low", "missing", "observed", "points", "reach", "state")

    def __init__(
        self,
        points: Decimal,
        low: Decimal,
        high: Decimal,
        observed: str,
        state: CriterionState,
        gap: str | None = None,
        missing: tuple[str, ...] = (),
        reach: Decimal | None = None,
    ) -> None:
        self.points = points
        self.low = low
        self.high = high
        self.observed = observed
        self.state = state
        self.gap = gap
        self.missing = missing
        # The points the gap leads to, where the rule knows them (a band's next band up).
        self.reach = reach


def points_state(low: Decimal, high: Decimal, points: Decimal, judgement: bool) -> CriterionState:
    if judgement:
        return MANUAL
    if low != high:
        return UNKNOWN
    return MET if points > 0 else UNMET


class Score:
    """A point rule."""

    _decider: PointsFn | None = None

    def decider(self) -> PointsFn:
        """The function of the context giving (state, points, low, high), built once."""
        if self._decider is None:
            self._decider = self._build()
        return self._decider

    def _build(self) -> PointsFn:  # pragma: no cover - interface
        raise NotImplementedError

    def explain(self, ctx: Context) -> Points:
        """The decided points with the observed values and the gap, in Chinese."""
        # The rule's explainer is built on first use and then found on the instance, before
        # this method (a rule with no built explainer overrides explain itself).
        self.explain = self._build_explainer()  # type: ignore[method-assign]
        return self.explain(ctx)

    def _build_explainer(self) -> Callable[[Context], Points]:  # pragma: no cover - interface
        """The function of the context explaining this rule, with what the rule alone fixes
        (texts, bands, offers) bound once."""
        raise NotImplementedError

    def explain_above(self, ctx: Context, floor: Decimal) -> Points:
        """As explain, where only a gap reaching more than ``floor`` points is wanted (an
        alternative beside a better one): a rule that can tell may leave the others out."""
        return self.explain(ctx)

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def bounds(self) -> tuple[Decimal, Decimal]:  # pragma: no cover - interface
        """Lowest and highest points the rule can give."""
        raise NotImplementedError

    def judgemental(self) -> bool:
        return False

    def judged_whatever_the_data(self) -> bool:
        """As Cond.judged_whatever_the_data."""
        return self.judgemental()

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        """As Cond.thresholds: (quantity, edge) of every comparison of the rule."""
        return iter(())

    def reads(self) -> frozenset[str] | None:
        """As Cond.reads: the quantities the explanation reads (None: more than those)."""
        qdef = getattr(self, "qdef", None)
        return frozenset((qdef.name,)) if qdef is not None else None

    def kept_reads(self) -> tuple[frozenset[str], tuple[Cond, ...]] | None:
        """As Cond.kept_reads."""
        reads = self.reads()
        return None if reads is None else (reads, ())


def _unknown_points(low: Decimal, high: Decimal, ctx: Context, name: str) -> Points:
    qv = ctx.q(name)
    return Points(low, low, high, qv.explain, UNKNOWN, None, qv.missing)


class Bands(Score):
    """``{bands: {q, at_least|at_most: [[edge, points], ...], otherwise}}``.

    Touching bands give the boundary value to the higher-scoring band: up-is-good bands are
    ``x >= edge``, down-is-good bands (debt ratio) are ``x <= edge``.
    """

    def __init__(
        self,
        qdef: QuantityDef,
        up: bool,
        bands: list[tuple[Decimal, Decimal]],
        otherwise: Decimal,
    ) -> None:
        self.qdef = qdef
        self.up = up
        self.bands = bands
        self.otherwise = otherwise
        pts = [p for _, p in bands] + [otherwise]
        self._bounds = (min(pts), max(pts))
        # The points as text, once (by object: equal values can be written differently).
        self._shown = {id(p): format_number(p) for p in pts}
        # The band the decider chose, by its points object: the explanation need not compare
        # the value with every edge again. A points object shared by two bands is left out
        # (its band is found by comparing).
        owners: dict[int, list[int]] = {}
        for i, p in enumerate(pts):
            owners.setdefault(id(p), []).append(i)
        self._index_of = {key: found[0] for key, found in owners.items() if len(found) == 1}
        self._points = pts

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        for edge, _points in self.bands:
            yield self.qdef.name, edge

    def describe(self) -> str:
        show = self.qdef.show
        pieces = []
        if self.up:
            upper: Decimal | None = None
            for edge, pts in self.bands:
                rng = f"≥{show(edge)}" if upper is None else f"{show(edge)}–{show(upper)}"
                pieces.append(f"{rng} {format_number(pts)} 分")
                upper = edge
            pieces.append(f"<{show(self.bands[-1][0])} {format_number(self.otherwise)} 分")
        else:
            lower: Decimal | None = None
            for edge, pts in self.bands:
                rng = f"≤{show(edge)}" if lower is None else f"{show(lower)}–{show(edge)}"
                pieces.append(f"{rng} {format_number(pts)} 分")
                lower = edge
            pieces.append(f">{show(self.bands[-1][0])} {format_number(self.otherwise)} 分")
        return f"{self.qdef.label}：" + "；".join(pieces)

    def _build(self) -> PointsFn:
        name = self.qdef.name
        low, high = self._bounds
        bands = tuple(self.bands)
        otherwise = self.otherwise
        up = self.up
        accepts = ACCEPTS["ge" if up else "le"]
        unknown = (UNKNOWN, low, low, high)
        field = self.qdef.kind == "field"

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
                    if (value >= edge) if up else (value <= edge):
                        pts = band_points
                        break
            elif value.__class__ is Exact:
                # One correctly rounded quotient instead of a product per edge. Rounding is
                # monotonic and every edge is exact at this precision, so a quotient on either
                # side of an edge puts the value on that side; only a tie needs the exact
                # comparison.
                quotient = EXACT.divide(value.num, value.den)
                for edge, band_points in bands:
                    if quotient == edge:
                        if value.compare(edge) in accepts:
                            pts = band_points
                            break
                    elif (quotient > edge) if up else (quotient < edge):
                        pts = band_points
                        break
            else:
                for edge, band_points in bands:
                    if value.compare(edge) in accepts:
                        pts = band_points
                        break
            return (MET if pts > 0 else UNMET), pts, pts, pts

        return decide

    def _build_explainer(self) -> Callable[[Context], Points]:
        decider = self.decider()
        name = self.qdef.name
        points, index_of, band_index = self._points, self._index_of, self._band_index
        shown = self._points_text
        # Per band: the observed tail, and the gap to the next band up with what it would give.
        arrows = [f" → {shown(p)} 分" for p in points]
        op = "ge" if self.up else "le"
        gaps: list[Any] = [None]
        for index in range(1, len(points)):
            edge, better = self.bands[index - 1]
            tail = f"（可从 {shown(points[index])} 分升至 {shown(better)} 分）"
            gaps.append((gap_texter(self.qdef, op, edge), tail, better))

        def explain(ctx: Context, floor: Decimal | None = None) -> Points:
            top = ctx.top
            state, pts, low, high = top[1] if top is not None and top[0] is self else decider(ctx)
            if state is UNKNOWN:
                return _unknown_points(low, high, ctx, name)
            index = index_of.get(id(pts))
            if index is None or points[index] is not pts:
                index = band_index(ctx.value(name))
            gap = reach = None
            if index:
                gap_of, tail, reach = gaps[index]
                detail = gap_of(ctx, name) if floor is None or reach > floor else None
                if detail:
                    gap = detail + tail
            text = ctx.texts.get(name) or ctx.text(name)
            return Points(pts, pts, pts, text + arrows[index], state, gap, (), reach)

        return explain

    def explain_above(self, ctx: Context, floor: Decimal) -> Points:
        # The band up is worked out without its gap's text when it reaches no more than floor.
        if "explain" not in self.__dict__:
            self.explain = self._build_explainer()  # type: ignore[method-assign]
        return self.explain(ctx, floor)  # type: ignore[call-arg]

    def _points_text(self, pts: Decimal) -> str:
        text = self._shown.get(id(pts))  # the band's own Decimal (kept alive by the bands)
        return text if text is not None else format_number(pts)

    def _band_index(self, number: Number) -> int:
        """Index of the band the value falls in (len(bands) for none): the next band up is
        what the gap names."""
        up = self.up
        for i, (edge, _pts) in enumerate(self.bands):
            cmp = number.compare(edge)
            if (cmp >= 0) if up else (cmp <= 0):
                return i
        return len(self.bands)


class Options(Score):
    """``{options: {q, points: {code: n}, judgement: [codes]}}``: points by category."""

    def __init__(self, qdef: QuantityDef, points: dict[Any, Decimal], judgement: tuple) -> None:
        self.qdef = qdef
        self.points = points
        self.judgement = judgement
        self._bounds = (min(points.values()), max(points.values()))
        self._shown = {code: format_number(p) for code, p in points.items()}

    def judgemental(self) -> bool:
        return bool(self.judgement)

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def _label(self, code: Any) -> str:
        if isinstance(code, bool):
            return "是" if code else "否"
        spec = self.qdef.spec
        return spec.option_labels.get(code, str(code)) if spec else str(code)

    def describe(self) -> str:
        pieces = [f"{self._label(c)} {format_number(p)} 分" for c, p in self.points.items()]
        text = f"{self.qdef.label}：" + "；".join(pieces)
        if self.judgement:
            text += "（" + "、".join(self._label(c) for c in self.judgement) + "需评审人确认）"
        return text

    def _build(self) -> PointsFn:
        name = self.qdef.name
        low, high = self._bounds
        points = self.points
        judgement = self.judgement
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

    def _build_explainer(self) -> Callable[[Context], Points]:
        decider = self.decider()
        name = self.qdef.name
        judgement = self.judgement
        arrows = {code: f" → {text} 分" for code, text in self._shown.items()}
        # The gap of each category below the best: what the best gives, and what this one does.
        best_points = self._bounds[1]
        best = max(self.points, key=lambda c: self.points[c])
        top_text = f"“{self._label(best)}”（{format_number(best_points)} 分）"
        gaps = {
            code: f"最高档为{top_text}，当前 {format_number(pts)} 分"
            for code, pts in self.points.items()
            if pts < best_points
        }

        def explain(ctx: Context) -> Points:
            top = ctx.top
            state, declared, low, high = (
                top[1] if top is not None and top[0] is self else decider(ctx)
            )
            if state is UNKNOWN:
                return _unknown_points(low, high, ctx, name)
            value = ctx.value(name)
            observed = (ctx.texts.get(name) or ctx.text(name)) + arrows[value]
            if value in judgement:
                if state is MANUAL:
                    observed += "（待评审人确认）"
                elif state is MET:
                    observed += "（评审人已确认）"
                else:
                    observed += f"（评审人未予确认，按 {format_number(low)} 分）"
                return Points(declared, low, high, observed, state)
            return Points(declared, low, high, observed, state, gaps.get(value))

        return explain


class Count(Score):
    """``{count: {of: [flags], each: n, cap: m}}``: points per satisfied item, capped."""

    def __init__(self, qdefs: list[QuantityDef], each: Decimal, cap: Decimal) -> None:
        self.qdefs = qdefs
        self.each = each
        self.cap = cap
        self._bounds = (ZERO, min(cap, each * len(qdefs)))

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def reads(self) -> frozenset[str] | None:
        return frozenset(q.name for q in self.qdefs)

    def describe(self) -> str:
        items = "、".join(q.label for q in self.qdefs)
        return (
            f"{items}：每满足一项 {format_number(self.each)} 分，最高 {format_number(self.cap)} 分"
        )

    def _build(self) -> PointsFn:
        names = tuple(q.name for q in self.qdefs)
        each, cap = self.each, self.cap
        # Counted flags are yes/no fields as a rule; anything else goes through the context.
        raw_fields = all(q.kind == "field" and not q.numeric_field for q in self.qdefs)

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
            return points_state(low, high, low, False), low, low, high

        return decide

    def _build_explainer(self) -> Callable[[Context], Points]:
        decider = self.decider()
        items = tuple(
            (q.name, f"{q.label}：未知", f"{q.label}：是", f"{q.label}：否") for q in self.qdefs
        )
        each, cap = self.each, self.cap
        cap_text = format_number(cap)

        def explain(ctx: Context) -> Points:
            top = ctx.top
            state, declared, low, high = (
                top[1] if top is not None and top[0] is self else decider(ctx)
            )
            value_of = ctx.value
            missing = []
            lines = []
            yes = 0
            for name, unknown, true, false in items:
                value = value_of(name)
                if value is None:
                    missing.append(name)
                    lines.append(unknown)
                elif value:
                    yes += 1
                    lines.append(true)
                else:
                    lines.append(false)
            observed = f"{'；'.join(lines)} → 满足 {yes} 项，{format_number(low)} 分"
            gap = None
            if low == high and low < cap:
                need = ceil_div(cap - low, each)
                gap = f"再满足 {need} 项可得满分 {cap_text} 分"
            return Points(declared, low, high, observed, state, gap, tuple(missing))

        return explain


class FirstMatch(Score):
    """``{first: [{when, points}, ...], otherwise}``: the first condition that holds scores."""

    def __init__(self, cases: list[tuple[Cond, Decimal]], otherwise: Decimal) -> None:
        self.cases = cases
        self.otherwise = otherwise
        pts = [p for _, p in cases] + [otherwise]
        self._bounds = (min(pts), max(pts))

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def describe(self) -> str:
        pieces = [f"{c.requirement()} {format_number(p)} 分" for c, p in self.cases]
        pieces.append(f"以上均不满足 {format_number(self.otherwise)} 分")
        return "按顺序取第一项满足的：" + "；".join(pieces)

    def judgemental(self) -> bool:
        return any(c.judgemental() for c, _ in self.cases)

    def reads(self) -> frozenset[str] | None:
        return _union([c.reads() for c, _ in self.cases])

    def kept_reads(self) -> tuple[frozenset[str], tuple[Cond, ...]] | None:
        return kept_union([c.kept_reads() for c, _ in self.cases])

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        for cond, _points in self.cases:
            yield from cond.thresholds()

    def judged_whatever_the_data(self) -> bool:
        return any(c.judged_whatever_the_data() for c, _ in self.cases)

    def _build(self) -> PointsFn:
        cases = tuple((cond.decider(), pts) for cond, pts in self.cases)
        otherwise = self.otherwise

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
            return points_state(low, high, declared, judgement and low != high), declared, low, high

        return decide

    def _build_explainer(self) -> Callable[[Context], Points]:
        decider = self.decider()
        cases = tuple((cond, cond.decider()) for cond, _pts in self.cases)
        best = self._bounds[1]
        # What reaching a better case would give, last such case first (the gap names the
        # lowest case above the decided points).
        offers = [
            (pts, f"达到“{cond.requirement()}”可得 {format_number(pts)} 分")
            for cond, pts in reversed(self.cases)
        ]
        shown = {id(p): format_number(p) for p in [p for _, p in self.cases] + [self.otherwise]}
        # With every case's points (and the otherwise's) distinct, points decided outright
        # (low == high) name the case that holds, every case before it failing, or none
        # holding: what the decider found, without walking the cases again.
        values = [p for _, p in self.cases]
        case_of = (
            {p: cases[i][0] for i, p in enumerate(values)}
            if len(set(values) | {self.otherwise}) == len(values) + 1
            else None
        )

        def explain(ctx: Context) -> Points:
            top = ctx.top
            state, declared, low, high = (
                top[1] if top is not None and top[0] is self else decider(ctx)
            )
            missing: list[str] = []
            decided_cond: Cond | None = None
            explained: dict[int, Any] = {}
            if case_of is not None and low == high:
                decided_cond = case_of.get(declared)
            else:
                for index, (cond, decide) in enumerate(cases):
                    case_state = decide(ctx)
                    if case_state is MET:
                        decided_cond = cond
                        break
                    if case_state is UNKNOWN or case_state is MANUAL:
                        ctx.top = (cond, case_state)
                        outcome = explained[index] = cond.explain(ctx)
                        missing.extend(outcome.missing)
                ctx.top = top
            if decided_cond is not None:
                # What earned the points: the case's parts that hold (a guard's, the value's,
                # an evaluator's confirmation), not an alternative that failed beside them.
                # Decided met above: the case's explanation starts from that (an alternative
                # that holds then shows only its parts that hold, without deciding again).
                ctx.top = (decided_cond, MET)
                parts = decided_cond.explain(ctx).parts
                ctx.top = top
                held = [p.observed for p in parts if p.state is MET and p.observed]
                observed = (
                    "；".join(dict.fromkeys(held)) if held else parts[0].observed if parts else ""
                )
            else:
                # A point rule has no parts of its own to show: a part awaiting an evaluator
                # says why (its requirement) rather than only that it waits; once the data has
                # decided every case (none can score), no part is said to await one.
                waits = state is MANUAL
                observed = "；".join(
                    dict.fromkeys(
                        [
                            p.text if p.state is MANUAL else p.observed
                            for index, (cond, _decide) in enumerate(cases)
                            for p in (explained.get(index) or cond.explain(ctx)).parts
                            if waits or p.state is not MANUAL
                        ]
                    )
                )
            if state is MANUAL:
                # Until an evaluator confirms, any case still open may score.
                observed = (
                    f"{observed} → {format_number(low)}–{format_number(high)} 分（待评审人确认）"
                )
            else:
                points_text = shown.get(id(declared)) or format_number(declared)
                observed = f"{observed} → {points_text} 分"
            gap = None
            # An evaluator's 不符合 decided it: no better case is in the applicant's reach.
            if low == high and low < best and ctx.judged is not UNMET:
                for pts, offer in offers:
                    if pts > low:
                        gap = offer
                        break
            return Points(declared, low, high, observed, state, gap, tuple(dict.fromkeys(missing)))

        return explain


class BestOf(Score):
    """``{best: [rule, rule]}``: the better of alternative point rules (the official 或)."""

    def __init__(self, items: list[Score]) -> None:
        self.items = items
        lows, highs = zip(*(i.bounds() for i in items), strict=True)
        self._bounds = (max(lows), max(highs))

    def judgemental(self) -> bool:
        return any(i.judgemental() for i in self.items)

    def reads(self) -> frozenset[str] | None:
        return _union([i.reads() for i in self.items])

    def kept_reads(self) -> tuple[frozenset[str], tuple[Cond, ...]] | None:
        return kept_union([i.kept_reads() for i in self.items])

    def thresholds(self) -> Iterator[tuple[str, Decimal]]:
        for item in self.items:
            yield from item.thresholds()

    def judged_whatever_the_data(self) -> bool:
        return any(i.judged_whatever_the_data() for i in self.items)

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def describe(self) -> str:
        return "取较高者：" + " ／ ".join(i.describe() for i in self.items)

    def _build(self) -> PointsFn:
        items = tuple(item.decider() for item in self.items)

        def decide(ctx: Context) -> PointsTuple:
            results = [item(ctx) for item in items]
            low = max(r[2] for r in results)
            high = max(r[3] for r in results)
            declared = max(r[1] for r in results)
            pending = low != high and any(r[0] == MANUAL for r in results)
            return points_state(low, high, declared, pending), declared, low, high

        return decide

    def explain(self, ctx: Context) -> Points:
        state, declared, low, high = ctx.decision(self)
        results = [i.explain_above(ctx, declared) for i in self.items]
        missing = tuple(dict.fromkeys(m for r in results for m in r.missing))
        best = max(results, key=lambda r: r.points)
        observed = (
            "；".join(r.observed for r in results) + f" → 取较高 {format_number(declared)} 分"
        )
        # Only a gap that would raise the better score is one: with 研发费用 at 10 points, a
        # ratio's gap "from 6 to 8 points" earns nothing.
        gaps = [r.gap for r in results if r.gap and (r.reach is None or r.reach > declared)]
        gap = best.gap if best.gap else (gaps[0] if gaps else None)
        return Points(declared, low, high, observed, state, gap, missing)


class FieldPoints(Score):
    """``{value: {q, min, max}}``: points read from a field (e.g. 特色化 points already awarded)."""

    def __init__(self, qdef: QuantityDef, low: Decimal, high: Decimal) -> None:
        self.qdef = qdef
        self.low = low
        self.high = high

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self.low, self.high

    def describe(self) -> str:
        return f"取“{self.qdef.label}”（{format_number(self.low)}–{format_number(self.high)} 分）"

    def _build(self) -> PointsFn:
        name = self.qdef.name
        lowest, highest = self.low, self.high
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

    def explain(self, ctx: Context) -> Points:
        state, pts, low, high = ctx.decision(self)
        if state == UNKNOWN:
            return _unknown_points(low, high, ctx, self.qdef.name)
        observed = f"{ctx.text(self.qdef.name)} → {format_number(pts)} 分"
        return Points(pts, low, high, observed, state)


def _union(reads: list[frozenset[str] | None]) -> frozenset[str] | None:
    if any(read is None for read in reads):
        return None
    return frozenset().union(*reads)  # type: ignore[arg-type]
