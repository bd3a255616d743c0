"""The declarative rule language: quantities, conditions and point rules, parsed and evaluated.

Rulebook files (YAML) describe every criterion with these building blocks; nothing in a data
file is ever executed. Parsing validates names against the field catalogue and the derived
quantities and fails with the file, the rule id and a "did you mean". Evaluation is pure and
three-valued: a condition ends ``met``, ``unmet``, ``unknown`` (data missing), ``manual`` (needs
an evaluator's judgement) or ``na`` (does not apply).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.domain.results import CriterionState, PartResult
from zjtx.scoring.errors import DataFileError, did_you_mean
from zjtx.scoring.quantities import (
    COMPARISONS,
    HUNDRED,
    ONE,
    ZERO,
    CompoundGrowth,
    Exact,
    Number,
    ceil_div,
    format_number,
    round_half_up,
    to_number,
)
from zjtx.scoring.size import SIZE_LABELS, SizeResult

MET = CriterionState.MET
UNMET = CriterionState.UNMET
UNKNOWN = CriterionState.UNKNOWN
MANUAL = CriterionState.MANUAL
NA = CriterionState.NA

BUILTIN_QUANTITIES = ("size_class", "application_type")


# --------------------------------------------------------------------------------------------
# Three-valued combination
# --------------------------------------------------------------------------------------------


# Precedence of states: all-of keeps the worst state, any-of the best (na never counts).
_ALL_RANK = {NA: 0, MET: 1, MANUAL: 2, UNKNOWN: 3, UNMET: 4}
_ALL_BY_RANK = {rank: state for state, rank in _ALL_RANK.items()}
_ANY_RANK = {NA: 0, UNMET: 1, MANUAL: 2, UNKNOWN: 3, MET: 4}
_ANY_BY_RANK = {rank: state for state, rank in _ANY_RANK.items()}


def combine_all(states: Iterable[CriterionState]) -> CriterionState:
    """All-of: any unmet fails; else data gaps, then judgement items, keep it open."""
    return _ALL_BY_RANK[max((_ALL_RANK[s] for s in states), default=0)]


def combine_any(states: Iterable[CriterionState]) -> CriterionState:
    """Any-of: any met passes; else data gaps, then judgement items, keep it open."""
    return _ANY_BY_RANK[max((_ANY_RANK[s] for s in states), default=0)]


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------


class QValue:
    """A quantity's value for one applicant; the explanation text is built only when asked for.

    Deciding a criterion needs the value; explaining it needs the numbers behind the value.
    Building Chinese text for every quantity of every applicant would cost more than the
    decision itself, so ``explain`` renders on first access from the inputs kept here.
    """

    __slots__ = ("_explain", "ctx", "inputs", "missing", "parts", "problem", "qdef", "value")

    def __init__(
        self,
        qdef: QuantityDef,
        value: Any,
        missing: tuple[str, ...] = (),
        problem: str | None = None,
        parts: tuple[Decimal, ...] = (),
        inputs: tuple[QValue, ...] = (),
        ctx: Context | None = None,
    ) -> None:
        self.qdef = qdef
        self.value = value  # Number for numeric quantities, raw bool/str otherwise, None unknown
        self.missing = missing
        self.problem = problem  # why a computable quantity stayed unknown (zero denominator)
        self.parts = parts  # exact inputs (numerator, denominator, ...) for gaps
        self.inputs = inputs
        self.ctx = ctx
        self._explain: str | None = None

    @property
    def explain(self) -> str:
        if self._explain is None:
            self._explain = _render_quantity(self)
        return self._explain


def _render_quantity(qv: QValue) -> str:
    """Chinese text of a quantity with the numbers used, e.g. ``… 6.05%（520 万元 ÷ 8600 万元）``."""
    qdef = qv.qdef
    kind = qdef.kind
    if kind == "field":
        if qv.value is None:
            return f"{qdef.label} 未知"
        spec = qdef.spec
        assert spec is not None
        if spec.is_numeric:
            return f"{qdef.label} {qdef.show(qv.parts[0])}"
        return f"{qdef.label}：{spec.format_value(qv.value)}"
    if kind == "builtin":
        assert qv.ctx is not None
        if qdef.name == "size_class":
            return f"企业规模：{qv.ctx.size.explanation}"
        return f"申报类型：{_APP_TYPES[qv.ctx.application_type]}"
    inputs = qv.inputs
    if qv.value is None:
        if qv.problem:
            return qv.problem
        unknown = "、".join(item.qdef.label for item in inputs if item.value is None)
        return f"{qdef.label} 无法计算（缺少{unknown}）"
    if kind == "ratio":
        return f"{qdef.label} {qdef.show(qv.value)}（{inputs[0].explain} ÷ {inputs[1].explain}）"
    if kind == "growth":
        return f"{qdef.label} {qdef.show(qv.value)}（{inputs[0].explain}，{inputs[1].explain}）"
    if kind == "cagr":
        return (
            f"{qdef.label} {qdef.show(qv.value)}"
            f"（{inputs[0].explain}，{inputs[1].explain}，{qdef.years} 年复合）"
        )
    if kind == "sum":
        shown = " + ".join(format_number(v) for v in qv.parts)
        return f"{qdef.label} {qdef.show(qv.value)}（{shown}）"
    pieces = []
    for item, v in zip(inputs, qv.parts, strict=True):
        piece = item.qdef.show(v) if item.qdef.unit == "%" else format_number(v)
        pieces.append(f"({piece})" if v < 0 else piece)
    return f"{qdef.label} {qdef.show(qv.value)}（({' + '.join(pieces)}) ÷ {len(pieces)}）"


@dataclass(frozen=True, slots=True)
class QuantityDef:
    """A named quantity: a catalogue field, a built-in, or a derived value defined once."""

    name: str
    label: str
    unit: str | None
    kind: str  # field|ratio|growth|mean|sum|cagr|builtin
    inputs: tuple[str, ...] = ()
    years: int = 0
    note: str | None = None
    spec: FieldSpec | None = None
    numeric_field: bool = False  # a catalogue field holding numbers (precomputed: hot path)
    alt: tuple[str, str, bool] | None = None  # alias only: (round setting, other target, default)

    @property
    def numeric(self) -> bool:
        if self.kind == "builtin":
            return False
        if self.kind == "field":
            return self.spec is not None and self.spec.is_numeric
        return True

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    def show(self, number: Number | Decimal, places: int = 2) -> str:
        """Value with its unit, e.g. ``6.05%`` or ``520 万元``."""
        text = format_number(number, places)
        if self.unit == "%":
            return f"{text}%"
        return f"{text} {self.unit}" if self.unit else text


class QuantityTable:
    """All quantities a rulebook can name, with their definitions resolved and checked."""

    def __init__(self, catalogue: FieldCatalogue, derived: Mapping[str, QuantityDef]) -> None:
        self.catalogue = catalogue
        self.defs: dict[str, QuantityDef] = {}
        for spec in catalogue:
            self.defs[spec.key] = QuantityDef(
                spec.key,
                spec.relative_label(),
                spec.unit,
                "field",
                spec=spec,
                numeric_field=spec.is_numeric,
            )
        self.defs["size_class"] = QuantityDef("size_class", "企业规模", None, "builtin")
        self.defs["application_type"] = QuantityDef("application_type", "申报类型", None, "builtin")
        for name, qdef in derived.items():
            if qdef.kind == "alias":
                target = self.defs.get(qdef.inputs[0]) or derived[qdef.inputs[0]]
                explicit = qdef.label != name
                qdef = QuantityDef(
                    name,
                    qdef.label if explicit else target.label,
                    qdef.unit or target.unit,
                    "alias",
                    qdef.inputs,
                    note=qdef.note or target.note,
                    spec=target.spec,
                    alt=qdef.alt,
                )
            self.defs[name] = qdef
        self.getters = {name: _getter(qdef, self.defs) for name, qdef in self.defs.items()}

    def names(self) -> list[str]:
        return list(self.defs)

    def get(self, name: str) -> QuantityDef | None:
        return self.defs.get(name)


_MISSING = object()


def _getter(qdef: QuantityDef, defs: Mapping[str, QuantityDef]) -> Callable[[Context], Any]:
    """The function computing a quantity's value from a context: a Number, a raw bool or str,
    or None when unknown. Built once per rulebook; derived values read their inputs through
    the context's cache, or straight from the applicant's values when all are numeric fields."""
    kind = qdef.kind
    if kind in ("ratio", "growth", "cagr", "sum", "mean") and all(
        defs[item].kind == "field" and defs[item].numeric_field for item in qdef.inputs
    ):
        return _field_getter(qdef)
    name = qdef.name
    if kind == "field":
        if not qdef.numeric_field:
            return lambda ctx: ctx.values.get(name)

        def field_value(ctx: Context) -> Any:
            raw = ctx.values.get(name)
            if raw is None:
                return None
            return Exact(raw if raw.__class__ is Decimal else to_number(raw))

        return field_value
    if kind == "builtin":
        if name == "size_class":
            return lambda ctx: None if ctx.size.size_class == "unknown" else ctx.size.size_class
        return lambda ctx: ctx.application_type
    if kind == "alias":
        return lambda ctx: ctx.value(ctx._alias_target(qdef))
    names = qdef.inputs
    formula = _FORMULAS[kind]

    def derived(ctx: Context) -> Any:
        vcache = ctx.vcache
        values = []
        for item in names:
            value = vcache.get(item, _MISSING)
            if value is _MISSING:
                value = ctx.value(item)
            if value is None:
                return None
            values.append(value)
        return formula(values, qdef)

    return derived


def _field_getter(qdef: QuantityDef) -> Callable[[Context], Any]:
    """A derived quantity of numeric fields only: the same exact fractions as the formulas
    below give for fields (each n/1), built from the Decimals without wrapping each input."""
    names = qdef.inputs
    kind = qdef.kind
    years = qdef.years
    count = Decimal(len(names))

    def derived(ctx: Context) -> Any:
        values = ctx.values
        numbers = []
        for item in names:
            raw = values.get(item)
            if raw is None:
                return None
            numbers.append(raw if raw.__class__ is Decimal else to_number(raw))
        if kind == "ratio":
            a, b = numbers
            return None if b <= 0 else Exact(a * HUNDRED, b)
        if kind == "growth":
            cur, prev = numbers
            return None if prev <= 0 else Exact((cur - prev) * HUNDRED, prev)
        if kind == "cagr":
            last, first = numbers
            return None if first <= 0 or last < 0 else CompoundGrowth(last, first, years)
        total = sum(numbers, ZERO)
        return Exact(total, count) if kind == "mean" else Exact(total)

    return derived


def _ratio(values: list[Exact], qdef: QuantityDef) -> Number | None:
    a, b = values
    if b.num <= 0:
        return None
    # (na/da) / (nb/db) × 100 = (na·db·100) / (da·nb), exact.
    return Exact(a.num * b.den * HUNDRED, a.den * b.num)


def _growth(values: list[Exact], qdef: QuantityDef) -> Number | None:
    cur, prev = values
    if prev.num <= 0:
        return None
    # (c/p − 1) × 100 with c = nc/dc and p = np/dp: (nc·dp − np·dc)·100 / (dc·np).
    return Exact((cur.num * prev.den - prev.num * cur.den) * HUNDRED, cur.den * prev.num)


def _cagr(values: list[Exact], qdef: QuantityDef) -> Number | None:
    last, first = values
    if first.num <= 0 or last.num < 0:
        return None
    return CompoundGrowth(last.num * first.den, first.num * last.den, qdef.years)


def _total(values: list[Exact], qdef: QuantityDef) -> Number:
    # sum or mean of exact fractions over one common denominator
    num, den = ZERO, ONE
    for item in values:
        num, den = num * item.den + item.num * den, den * item.den
    return Exact(num, den * len(values) if qdef.kind == "mean" else den)


_FORMULAS: dict[str, Callable[[list[Exact], QuantityDef], Number | None]] = {
    "ratio": _ratio,
    "growth": _growth,
    "cagr": _cagr,
    "sum": _total,
    "mean": _total,
}


def parse_quantity_defs(
    data: Mapping[str, Any], file: str, known: Callable[[str], bool], all_names: Callable[[], list]
) -> dict[str, QuantityDef]:
    """Derived quantities from a data file (``quantities:`` or a rulebook's ``derived:``)."""
    kinds = ("ratio", "growth", "mean", "sum", "cagr", "alias")
    result: dict[str, QuantityDef] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise DataFileError(file, "派生指标定义必须是映射", rule=name)
        allowed = ["label", "unit", "note", "years", "when_setting", *kinds]
        for key in set(entry) - set(allowed):
            raise DataFileError(
                file,
                f"派生指标的未知属性 “{key}”",
                rule=name,
                suggestion=did_you_mean(key, allowed),
            )
        present = [k for k in kinds if k in entry]
        if len(present) != 1:
            raise DataFileError(file, f"派生指标须且只能写一种算法：{'/'.join(kinds)}", rule=name)
        kind = present[0]
        inputs = entry[kind]
        if kind == "alias":
            inputs = [inputs]
        if not isinstance(inputs, list) or not inputs:
            raise DataFileError(file, f"{kind} 须列出输入指标", rule=name)
        for item in inputs:
            if not (known(item) or item in result):
                raise DataFileError(
                    file,
                    f"未知指标 “{item}”",
                    rule=name,
                    suggestion=did_you_mean(str(item), [*all_names(), *result]),
                )
        if kind in ("ratio", "growth", "cagr") and len(inputs) != 2:
            raise DataFileError(file, f"{kind} 需要恰好两个输入", rule=name)
        years = int(entry.get("years", 0))
        if kind == "cagr" and years < 1:
            raise DataFileError(file, "cagr 须写 years（年数，≥1）", rule=name)
        alt = None
        if "when_setting" in entry:
            spec = entry["when_setting"]
            if kind != "alias" or not isinstance(spec, dict) or len(spec) != 1:
                raise DataFileError(
                    file, "when_setting 只用于 alias，写成 {批次设置: 另一指标}", rule=name
                )
            ((setting, target),) = spec.items()
            if not (known(target) or target in result):
                raise DataFileError(
                    file,
                    f"未知指标 “{target}”",
                    rule=name,
                    suggestion=did_you_mean(str(target), [*all_names(), *result]),
                )
            alt = (str(setting), str(target), False)
        result[name] = QuantityDef(
            name=name,
            label=str(entry.get("label") or name),
            unit=entry.get("unit"),
            kind=kind,
            inputs=tuple(str(i) for i in inputs),
            years=years,
            note=entry.get("note"),
            alt=alt,
        )
    return result


# --------------------------------------------------------------------------------------------
# Evaluation context
# --------------------------------------------------------------------------------------------


class Context:
    """Everything a rule needs for one applicant: values, quantities, settings, other results.

    ``explain`` is False while deciding (states and points only) and True while rendering the
    explanation of a criterion; rules build Chinese text only in the second mode.
    """

    __slots__ = (
        "application_type",
        "cache",
        "criterion",
        "decided",
        "explain",
        "getters",
        "group_interval",
        "judged",
        "pass_line",
        "quantities",
        "score_interval",
        "settings",
        "size",
        "values",
        "vcache",
    )

    def __init__(
        self,
        values: Mapping[str, Any],
        quantities: QuantityTable,
        size: SizeResult,
        application_type: str,
        settings: Mapping[str, bool],
        pass_line: Decimal | None,
    ) -> None:
        self.values = values
        self.quantities = quantities
        self.getters = quantities.getters
        self.size = size
        self.application_type = application_type
        self.settings = settings
        self.pass_line = pass_line
        self.explain = False
        # An evaluator's confirmation of the criterion being evaluated: judgement parts (and
        # only they) take this state instead of `manual`.
        self.judged: CriterionState | None = None
        self.cache: dict[str, QValue] = {}
        self.vcache: dict[str, Any] = {}
        # Filled in by the evaluator: results of other criteria and score intervals.
        self.criterion: Callable[[str], Any] = _unset
        self.decided: dict[str, Any] = {}  # the decisions made so far, by criterion id
        self.score_interval: Callable[[], tuple[Decimal, Decimal]] = _unset
        self.group_interval: Callable[[str], tuple[Decimal, Decimal]] = _unset

    def value(self, name: str) -> Any:
        """The value of a quantity (Number, raw bool/str, or None when unknown): the fast path
        used while deciding; no explanation objects are built."""
        vcache = self.vcache
        if name in vcache:
            return vcache[name]
        value = vcache[name] = self.getters[name](self)
        return value

    def _alias_target(self, qdef: QuantityDef) -> str:
        alt = qdef.alt
        if alt is not None and self.settings.get(alt[0], alt[2]):
            return alt[1]
        return qdef.inputs[0]

    def q(self, name: str) -> QValue:
        """The value with what explains it (inputs, missing fields, why it stayed unknown)."""
        cached = self.cache.get(name)
        if cached is None:
            cached = self.cache[name] = self._describe(self.quantities.defs[name])
        return cached

    def _describe(self, qdef: QuantityDef) -> QValue:
        value = self.value(qdef.name)
        kind = qdef.kind
        if kind == "field":
            if value is None:
                return QValue(qdef, None, (qdef.name,))
            if qdef.numeric_field:
                return QValue(qdef, value, (), None, (value.num,))
            return QValue(qdef, value)
        if kind == "builtin":
            missing = self.size.missing if qdef.name == "size_class" else ()
            return QValue(qdef, value, missing if value is None else (), ctx=self)
        if kind == "alias":
            return self.q(self._alias_target(qdef))
        inputs = tuple(self.q(name) for name in qdef.inputs)
        parts = tuple(item.value.value for item in inputs if isinstance(item.value, Exact))
        if value is not None:
            return QValue(qdef, value, (), None, parts, inputs)
        if any(item.value is None for item in inputs):
            missing = tuple(dict.fromkeys(m for item in inputs for m in item.missing))
            problem = "；".join(i.problem for i in inputs if i.problem) or None
            return QValue(qdef, None, missing, problem, inputs=inputs)
        # Every input is known, yet the value is not: a zero or negative base.
        bad = inputs[0] if kind == "cagr" and inputs[0].value.num < 0 else inputs[1]
        problem = f"{bad.qdef.label}为 {format_number(bad.value)}，无法计算{qdef.label}"
        return QValue(qdef, None, (), problem, inputs=inputs)


_APP_TYPES = {"new": "新申报", "renewal": "复核"}


def _unset(*_args: Any) -> Any:  # pragma: no cover - replaced by the evaluator
    raise RuntimeError("evaluator context not initialised")


# --------------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------------


class Outcome:
    """Result of a condition: state and missing data; when explaining, the parts and gaps."""

    __slots__ = ("gaps", "missing", "parts", "state")

    def __init__(
        self,
        state: CriterionState,
        parts: list[PartResult] | None = None,
        missing: tuple[str, ...] = (),
        gaps: list[str] | None = None,
    ) -> None:
        self.state = state
        self.parts = parts if parts is not None else []
        self.missing = missing
        self.gaps = gaps if gaps is not None else []


class Cond:
    """A condition node."""

    text: str | None = None
    _requirement: str | None = None

    def evaluate(self, ctx: Context) -> Outcome:  # pragma: no cover - interface
        """State with parts, missing data and gaps (in explain mode, the Chinese texts)."""
        raise NotImplementedError

    def decide(self, ctx: Context) -> CriterionState:
        """The state alone, on the fast path (no explanation objects); agrees with evaluate."""
        return self.evaluate(ctx).state

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def requirement(self) -> str:
        if self._requirement is None:
            self._requirement = self.text or self.describe()
        return self._requirement

    def children(self) -> Iterable[Cond]:
        return ()

    def judgemental(self) -> bool:
        return any(child.judgemental() for child in self.children())


class Leaf(Cond):
    """A test on one quantity."""

    unknown_text: str | None = None  # what to say when the value is missing (e.g. 待平台评价)

    def __init__(self, qdef: QuantityDef, judgement: bool, text: str | None) -> None:
        self.qdef = qdef
        self.name = qdef.name
        self.judgement = judgement
        self.text = text

    def decide_unknown(self, ctx: Context) -> CriterionState:
        """State when the value is unknown; a rule may still be decided by what is known."""
        return UNKNOWN

    def decide(self, ctx: Context) -> CriterionState:
        value = ctx.value(self.name)
        if value is None:
            return self.decide_unknown(ctx)
        if self.test(value):
            return (ctx.judged or MANUAL) if self.judgement else MET
        return UNMET

    def judgemental(self) -> bool:
        return self.judgement

    def test(self, value: Any) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def gap(self, qv: QValue) -> str | None:
        return None

    def evaluate(self, ctx: Context) -> Outcome:
        qv = ctx.q(self.name)
        value = qv.value
        if value is None:
            state = self.decide_unknown(ctx)
            missing = (qv.missing or (self.name,)) if state == UNKNOWN else ()
            if not ctx.explain:
                return Outcome(state, None, missing)
            observed = qv.explain
            if state == UNKNOWN and self.unknown_text:
                observed = f"{observed}（{self.unknown_text}）"
            return Outcome(state, [PartResult(self.requirement(), state, observed)], missing)
        if self.test(value):
            state = (ctx.judged or MANUAL) if self.judgement else MET
            if not ctx.explain:
                return Outcome(state)
            return Outcome(state, [PartResult(self.requirement(), state, qv.explain)])
        if not ctx.explain:
            return Outcome(UNMET)
        gap = self.gap(qv)
        part = PartResult(self.requirement(), UNMET, qv.explain, gap)
        return Outcome(UNMET, [part], (), [gap] if gap else None)


class Compare(Leaf):
    """``{q: X, ge|gt|le|lt|eq: number}``: an exact numeric comparison."""

    def __init__(self, qdef, op: str, threshold: Decimal, judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.op = COMPARISONS[op]
        self.threshold = threshold

    def describe(self) -> str:
        return f"{self.qdef.label}{self.op.word} {self.qdef.show(self.threshold)}"

    def test(self, value: Number) -> bool:
        return self.op.holds(value.compare(self.threshold))

    def gap(self, qv: QValue) -> str | None:
        return gap_text(self.qdef, qv, self.op.op, self.threshold)


class Between(Leaf):
    """``{q: X, between: [lo, hi]}``: inclusive range (e.g. award rank 1..3)."""

    def __init__(self, qdef, lo: Decimal, hi: Decimal, judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.lo = lo
        self.hi = hi

    def describe(self) -> str:
        return f"{self.qdef.label}在 {format_number(self.lo)}–{format_number(self.hi)} 之间"

    def test(self, value: Number) -> bool:
        return value.compare(self.lo) >= 0 and value.compare(self.hi) <= 0


class Is(Leaf):
    """``{q: flag, is: true|false}`` on a yes/no field."""

    def __init__(self, qdef, expected: bool, judgement=False, text=None) -> None:
        super().__init__(qdef, judgement, text)
        self.expected = expected

    def describe(self) -> str:
        return f"{self.qdef.label}：{'是' if self.expected else '否'}"

    def test(self, value: Any) -> bool:
        return bool(value) is self.expected


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
            return [_APP_TYPES[c] for c in self.codes]
        spec = self.qdef.spec
        names = spec.option_labels if spec else {}
        return [names.get(c, c) for c in self.codes]

    def test(self, value: Any) -> bool:
        return value in self.codes

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


class Manual(Cond):
    """``{manual: 文本}``: a qualitative requirement only an evaluator can judge."""

    def __init__(self, text: str) -> None:
        self.text = text

    def describe(self) -> str:
        return self.text or ""

    def judgemental(self) -> bool:
        return True

    def decide(self, ctx: Context) -> CriterionState:
        return ctx.judged or MANUAL

    def evaluate(self, ctx: Context) -> Outcome:
        state = ctx.judged or MANUAL
        if not ctx.explain:
            return Outcome(state)
        observed = "需评审人判断" if state == MANUAL else f"评审人确认：{state.label}"
        return Outcome(state, [PartResult(self.requirement(), state, observed)])


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

    def decide(self, ctx: Context) -> CriterionState:
        best = 0
        rank, decisive = self.rank, self.decisive
        for item in self.items:
            state = item.decide(ctx)
            if state is decisive:
                return decisive
            best = max(best, rank[state])
        return self.by_rank[best]


class AllOf(_Junction):
    decisive, rank, by_rank = UNMET, _ALL_RANK, _ALL_BY_RANK

    def describe(self) -> str:
        return "；且".join(_bracket(i, "或") for i in self.items)

    def evaluate(self, ctx: Context) -> Outcome:
        outcomes = [item.evaluate(ctx) for item in self.items]
        return _merge(combine_all(o.state for o in outcomes), outcomes, ctx.explain)


class AnyOf(_Junction):
    decisive, rank, by_rank = MET, _ANY_RANK, _ANY_BY_RANK

    def describe(self) -> str:
        return "；或".join(_bracket(i, "且") for i in self.items)

    def evaluate(self, ctx: Context) -> Outcome:
        outcomes = [item.evaluate(ctx) for item in self.items]
        state = combine_any(o.state for o in outcomes)
        merged = _merge(state, outcomes, ctx.explain)
        if state == MET:
            # Once one alternative holds, the others are beside the point.
            merged.parts = [p for p in merged.parts if p.state == MET]
            merged.gaps = []
        return merged


class Cases(Cond):
    """``{cases: [{when, then}, ...], otherwise}``: the first case whose ``when`` holds applies."""

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

    def describe(self) -> str:
        lines = [f"{w.requirement()}的，{t.requirement()}" for w, t in self.cases]
        if self.otherwise is not None:
            lines.append(f"其他情况，{self.otherwise.requirement()}")
        return "；".join(lines)

    def decide(self, ctx: Context) -> CriterionState:
        states = set()
        open_selector = False
        for when, then in self.cases:
            selector = when.decide(ctx)
            if selector == UNMET:
                continue
            states.add(then.decide(ctx))
            if selector == MET:
                break
            open_selector = True
        else:
            states.add(self.otherwise.decide(ctx) if self.otherwise is not None else UNMET)
        if len(states) == 1 and (not open_selector or states <= {MET, UNMET}):
            return states.pop()
        return UNKNOWN

    def evaluate(self, ctx: Context) -> Outcome:
        # Walk the cases in order. While a selector is undecided, both it and the cases after
        # it stay possible; the result is decided when every possible branch agrees.
        branches: list[Outcome] = []
        selectors: list[Outcome] = []
        open_selector = False
        for when, then in self.cases:
            selector = when.evaluate(ctx)
            if selector.state == UNMET:
                continue
            selectors.append(selector)
            branches.append(then.evaluate(ctx))
            if selector.state == MET:
                break
            open_selector = True
        else:
            if self.otherwise is not None:
                branches.append(self.otherwise.evaluate(ctx))
            elif ctx.explain:
                part = PartResult(self.requirement(), UNMET, "不属于任何适用情形")
                branches.append(Outcome(UNMET, [part]))
            else:
                branches.append(Outcome(UNMET))
        states = {b.state for b in branches}
        if len(states) == 1 and (not open_selector or states <= {MET, UNMET}):
            state = states.pop()
        else:
            state = UNKNOWN
        if state == UNKNOWN:
            missing = tuple(dict.fromkeys(m for o in selectors + branches for m in o.missing))
        else:
            missing = ()
        if not ctx.explain:
            return Outcome(state, None, missing)
        parts = [p for o in selectors for p in o.parts] + [p for o in branches for p in o.parts]
        gaps = [g for o in branches if o.state == UNMET for g in o.gaps]
        return Outcome(state, parts, missing, gaps if state == UNMET else [])


class CriterionRef(Cond):
    """``{criterion: ID}``: the final state of another criterion."""

    def __init__(self, criterion_id: str, title: str = "") -> None:
        self.criterion_id = criterion_id
        self.title = title

    def describe(self) -> str:
        return f"{self.criterion_id} {self.title}".strip()

    def decide(self, ctx: Context) -> CriterionState:
        return ctx.criterion(self.criterion_id).state

    def evaluate(self, ctx: Context) -> Outcome:
        result = ctx.criterion(self.criterion_id)
        if not ctx.explain:
            return Outcome(result.state)  # a Decision: missing data is named when explaining
        part = PartResult(self.describe(), result.state, result.observed, result.gap)
        gaps = (
            [f"{self.criterion_id}：{result.gap}"] if result.gap and result.state == UNMET else []
        )
        return Outcome(result.state, [part], result.missing, gaps)


class ScoreAtLeast(Cond):
    """``{score_at_least: 60 | pass_line}``, decided on the interval [score_min, score_max]."""

    def __init__(self, threshold: Decimal | None, pass_line: Decimal | None = None) -> None:
        self.threshold = threshold  # None: the rulebook's (or overlay's) pass line
        self.pass_line = pass_line

    def describe(self) -> str:
        line = self.threshold if self.threshold is not None else self.pass_line
        return "评价得分达到及格线" if line is None else f"评价得分不低于 {format_number(line)} 分"

    def evaluate(self, ctx: Context) -> Outcome:
        line = self.threshold if self.threshold is not None else ctx.pass_line
        assert line is not None
        low, high = ctx.score_interval()
        state = MET if low >= line else UNMET if high < line else UNKNOWN
        if not ctx.explain:
            return Outcome(state)
        text = f"评价得分不低于 {format_number(line)} 分"
        observed = (
            f"得分 {format_number(low)} 分"
            if low == high
            else f"得分 {format_number(low)}–{format_number(high)} 分"
        )
        if state == UNMET:
            short = format_number(line - high)
            gap = f"得分 {format_number(high)} 分，距 {format_number(line)} 分差 {short} 分"
            return Outcome(UNMET, [PartResult(text, UNMET, observed, gap)], (), [gap])
        return Outcome(state, [PartResult(text, state, observed)])


class GroupAtLeast(Cond):
    """``{group_at_least: {group: G, points: N}}``, decided on the group's interval."""

    def __init__(self, group: str, title: str, threshold: Decimal) -> None:
        self.group = group
        self.title = title
        self.threshold = threshold

    def describe(self) -> str:
        return f"{self.title}指标得分不低于 {format_number(self.threshold)} 分"

    def evaluate(self, ctx: Context) -> Outcome:
        low, high = ctx.group_interval(self.group)
        state = MET if low >= self.threshold else UNMET if high < self.threshold else UNKNOWN
        if not ctx.explain:
            return Outcome(state)
        text = self.describe()
        observed = (
            f"{self.title}得分 {format_number(low)} 分"
            if low == high
            else f"{self.title}得分 {format_number(low)}–{format_number(high)} 分"
        )
        if state == UNMET:
            gap = f"{self.title}得分差 {format_number(self.threshold - high)} 分"
            return Outcome(UNMET, [PartResult(text, UNMET, observed, gap)], (), [gap])
        return Outcome(state, [PartResult(text, state, observed)])


def _bracket(cond: Cond, other_joiner: str) -> str:
    text = cond.requirement()
    if isinstance(cond, AllOf | AnyOf) and cond.text is None and other_joiner in text:
        return f"（{text}）"
    return text


def _merge(state: CriterionState, outcomes: list[Outcome], explain: bool) -> Outcome:
    if state == UNKNOWN:
        missing = tuple(dict.fromkeys(m for o in outcomes if o.state == UNKNOWN for m in o.missing))
    else:
        missing = ()
    if not explain:
        return Outcome(state, None, missing)
    parts = [p for o in outcomes for p in o.parts]
    gaps = [g for o in outcomes if o.state == UNMET for g in o.gaps]
    return Outcome(state, parts, missing, gaps)


# --------------------------------------------------------------------------------------------
# Gaps: how far from the requirement, in the quantity's unit and, where it says, in 万元
# --------------------------------------------------------------------------------------------


def gap_text(qdef: QuantityDef, qv: QValue, op: str, threshold: Decimal) -> str | None:
    """Chinese gap, e.g. ``研发费用占比 2.6%，要求不低于 3%，差 0.4 个百分点，约 41.6 万元``."""
    number = qv.value
    if not isinstance(number, Number):
        return None
    qdef = qv.qdef if qdef.kind == "alias" else qdef
    word = COMPARISONS[op].word
    # Enough digits that a value just short of the threshold never reads as the threshold.
    places = 2
    while places < 6 and number.compare(threshold) != 0 and number.to_decimal(places) == threshold:
        places += 1
    head = f"{qdef.label} {qdef.show(number, places)}，要求{word} {qdef.show(threshold)}"
    if op == "eq":
        return head
    diff = number.difference(threshold)
    if op == "gt" and diff == 0:
        return f"{head}（须严格超过）"
    diff_places = 2
    while diff_places < 6 and diff != 0 and round_half_up(diff, diff_places) == 0:
        diff_places += 1
    shown = format_number(diff, diff_places)
    unit_gap = f"{shown} 个百分点" if qdef.unit == "%" else f"{shown} {qdef.unit or ''}".strip()
    amount = _amount_gap(qdef, qv, threshold)
    verb = "差" if op in ("ge", "gt") else "超出"
    text = f"{head}，{verb} {unit_gap}"
    if amount is not None:
        text += f"，约 {format_number(amount)} 万元"
    return text


def _amount_gap(qdef: QuantityDef, qv: QValue, threshold: Decimal) -> Decimal | None:
    """Amount (万元) by which the numerator must change, for ratios, growth and compound growth."""
    parts = qv.parts
    if qdef.kind == "ratio" and len(parts) == 2:
        num, den = parts
        if not _is_money(qdef.inputs[0]):
            return None
        return abs(threshold / HUNDRED * den - num)
    if qdef.kind == "growth" and len(parts) == 2:
        cur, prev = parts
        return abs((1 + threshold / HUNDRED) * prev - cur)
    if qdef.kind == "cagr" and len(parts) == 2 and isinstance(qv.value, CompoundGrowth):
        last, first = parts
        return abs(qv.value.required_last(first, threshold) - last)
    return None


def _is_money(name: str) -> bool:
    # Ratios of money (R&D intensity, debt ratio) translate into 万元; head counts do not.
    return not name.startswith(("rd_staff", "employees"))


# --------------------------------------------------------------------------------------------
# Point rules
# --------------------------------------------------------------------------------------------


class Points:
    """Points of a scored criterion: declared value and the interval it can still move in."""

    __slots__ = ("gap", "high", "low", "missing", "observed", "points", "state")

    def __init__(
        self,
        points: Decimal,
        low: Decimal,
        high: Decimal,
        observed: str,
        state: CriterionState,
        gap: str | None = None,
        missing: tuple[str, ...] = (),
    ) -> None:
        self.points = points
        self.low = low
        self.high = high
        self.observed = observed
        self.state = state
        self.gap = gap
        self.missing = missing


def _points_state(low: Decimal, high: Decimal, points: Decimal, judgement: bool) -> CriterionState:
    if judgement:
        return MANUAL
    if low != high:
        return UNKNOWN
    return MET if points > 0 else UNMET


class Score:
    """A point rule."""

    def evaluate(self, ctx: Context) -> Points:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def bounds(self) -> tuple[Decimal, Decimal]:  # pragma: no cover - interface
        """Lowest and highest points the rule can give."""
        raise NotImplementedError

    def judgemental(self) -> bool:
        return False


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

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

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

    def evaluate(self, ctx: Context) -> Points:
        low, high = self._bounds
        if not ctx.explain:
            number = ctx.value(self.qdef.name)
            if number is None:
                return Points(low, low, high, "", UNKNOWN)
            pts = self._points(number)[1]
            return Points(pts, pts, pts, "", MET if pts > 0 else UNMET)
        qv = ctx.q(self.qdef.name)
        if qv.value is None:
            return Points(low, low, high, qv.explain, UNKNOWN, None, qv.missing)
        index, pts = self._points(qv.value)
        state = MET if pts > 0 else UNMET
        gap = None
        if index > 0:
            edge, better = self.bands[index - 1]
            detail = gap_text(self.qdef, qv, "ge" if self.up else "le", edge)
            if detail:
                gap = f"{detail}（可从 {format_number(pts)} 分升至 {format_number(better)} 分）"
        return Points(pts, pts, pts, f"{qv.explain} → {format_number(pts)} 分", state, gap)

    def _points(self, number: Number) -> tuple[int, Decimal]:
        """Index of the band the value falls in (len(bands) for none) and its points."""
        index = len(self.bands)
        up = self.up
        up = self.up
        for i, (edge, _pts) in enumerate(self.bands):
            cmp = number.compare(edge)
            if (cmp >= 0) if up else (cmp <= 0):
                index = i
                break
        pts = self.bands[index][1] if index < len(self.bands) else self.otherwise
        return index, pts


class Options(Score):
    """``{options: {q, points: {code: n}, judgement: [codes]}}``: points by category."""

    def __init__(self, qdef: QuantityDef, points: dict[Any, Decimal], judgement: tuple) -> None:
        self.qdef = qdef
        self.points = points
        self.judgement = judgement
        self._bounds = (min(points.values()), max(points.values()))

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

    def evaluate(self, ctx: Context) -> Points:
        low, high = self._bounds
        explain = ctx.explain
        if not explain:
            value = ctx.value(self.qdef.name)
            if value is None:
                return Points(low, low, high, "", UNKNOWN)
            pts = self.points[value]
            if value in self.judgement:
                judged = ctx.judged
                if judged == MET:
                    return Points(pts, pts, pts, "", MET)
                if judged == UNMET:
                    return Points(low, low, low, "", UNMET)
                return Points(pts, low, pts, "", MANUAL)
            return Points(pts, pts, pts, "", MET if pts > 0 else UNMET)
        qv = ctx.q(self.qdef.name)
        if qv.value is None:
            return Points(low, low, high, qv.explain if explain else "", UNKNOWN, None, qv.missing)
        pts = self.points[qv.value]
        observed = f"{qv.explain} → {format_number(pts)} 分" if explain else ""
        if qv.value in self.judgement:
            judged = ctx.judged
            if judged == MET:
                return Points(pts, pts, pts, observed + "（评审人已确认）" if explain else "", MET)
            if judged == UNMET:
                note = f"（评审人未予确认，按 {format_number(low)} 分）" if explain else ""
                return Points(low, low, low, observed + note, UNMET)
            return Points(pts, low, pts, observed + "（待评审人确认）" if explain else "", MANUAL)
        state = MET if pts > 0 else UNMET
        gap = None
        if explain and pts < high:
            best = max(self.points, key=lambda c: self.points[c])
            top = f"“{self._label(best)}”（{format_number(high)} 分）"
            gap = f"最高档为{top}，当前 {format_number(pts)} 分"
        return Points(pts, pts, pts, observed, state, gap)


class Count(Score):
    """``{count: {of: [flags], each: n, cap: m}}``: points per satisfied item, capped."""

    def __init__(self, qdefs: list[QuantityDef], each: Decimal, cap: Decimal) -> None:
        self.qdefs = qdefs
        self.each = each
        self.cap = cap
        self._bounds = (ZERO, min(cap, each * len(qdefs)))

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def describe(self) -> str:
        items = "、".join(q.label for q in self.qdefs)
        return (
            f"{items}：每满足一项 {format_number(self.each)} 分，最高 {format_number(self.cap)} 分"
        )

    def evaluate(self, ctx: Context) -> Points:
        yes, unknown, missing = 0, 0, []
        values = []
        for qdef in self.qdefs:
            value = ctx.value(qdef.name)
            values.append(value)
            if value is None:
                unknown += 1
                missing.append(qdef.name)
            else:
                yes += bool(value)
        low = min(self.cap, self.each * yes)
        high = min(self.cap, self.each * (yes + unknown))
        state = _points_state(low, high, low, False)
        if not ctx.explain:
            return Points(low, low, high, "", state, None, tuple(missing))
        lines = [
            f"{qdef.label}：{'未知' if value is None else '是' if value else '否'}"
            for qdef, value in zip(self.qdefs, values, strict=True)
        ]
        observed = f"{'；'.join(lines)} → 满足 {yes} 项，{format_number(low)} 分"
        gap = None
        if low == high and low < self.cap:
            need = ceil_div(self.cap - low, self.each)
            gap = f"再满足 {need} 项可得满分 {format_number(self.cap)} 分"
        return Points(low, low, high, observed, state, gap, tuple(missing))


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

    def evaluate(self, ctx: Context) -> Points:
        possible: list[Decimal] = []
        missing: list[str] = []
        judgement = False
        decided: Decimal | None = None
        decided_cond: Cond | None = None
        explain = ctx.explain
        for cond, pts in self.cases:
            if explain:
                outcome = cond.evaluate(ctx)
                state = outcome.state
            else:
                state = cond.decide(ctx)
            if state == MET:
                possible.append(pts)
                decided, decided_cond = pts, cond
                break
            if state in (UNKNOWN, MANUAL):
                possible.append(pts)
                if explain:
                    missing.extend(outcome.missing)
                judgement = judgement or state == MANUAL
        else:
            possible.append(self.otherwise)
        low, high = min(possible), max(possible)
        declared = decided if decided is not None and low == high else low
        state = _points_state(low, high, declared, judgement and low != high)
        missing_keys = tuple(dict.fromkeys(missing))
        if not ctx.explain:
            return Points(declared, low, high, "", state, None, missing_keys)
        if decided_cond is not None:
            parts = decided_cond.evaluate(ctx).parts
            observed = parts[0].observed if parts else ""
        else:
            observed = "；".join(
                dict.fromkeys(
                    p.observed for cond, _ in self.cases for p in cond.evaluate(ctx).parts
                )
            )
        observed = f"{observed} → {format_number(declared)} 分"
        gap = None
        if low == high and low < self._bounds[1]:
            better = [(c, p) for c, p in self.cases if p > low]
            if better:
                cond, pts = better[-1]
                gap = f"达到“{cond.requirement()}”可得 {format_number(pts)} 分"
        return Points(declared, low, high, observed, state, gap, missing_keys)


class BestOf(Score):
    """``{best: [rule, rule]}``: the better of alternative point rules (the official 或)."""

    def __init__(self, items: list[Score]) -> None:
        self.items = items
        lows, highs = zip(*(i.bounds() for i in items), strict=True)
        self._bounds = (max(lows), max(highs))

    def judgemental(self) -> bool:
        return any(i.judgemental() for i in self.items)

    def bounds(self) -> tuple[Decimal, Decimal]:
        return self._bounds

    def describe(self) -> str:
        return "取较高者：" + " ／ ".join(i.describe() for i in self.items)

    def evaluate(self, ctx: Context) -> Points:
        results = [i.evaluate(ctx) for i in self.items]
        low = max(r.low for r in results)
        high = max(r.high for r in results)
        declared = max(r.points for r in results)
        pending = any(r.state == MANUAL for r in results) and low != high
        state = _points_state(low, high, declared, pending)
        missing = tuple(dict.fromkeys(m for r in results for m in r.missing))
        if not ctx.explain:
            return Points(declared, low, high, "", state, None, missing)
        best = max(results, key=lambda r: r.points)
        observed = (
            "；".join(r.observed for r in results) + f" → 取较高 {format_number(declared)} 分"
        )
        gaps = [r.gap for r in results if r.gap]
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

    def evaluate(self, ctx: Context) -> Points:
        value = ctx.value(self.qdef.name)
        if value is None:
            if not ctx.explain:
                return Points(self.low, self.low, self.high, "", UNKNOWN)
            qv = ctx.q(self.qdef.name)
            return Points(self.low, self.low, self.high, qv.explain, UNKNOWN, None, qv.missing)
        pts = min(max(value.value, self.low), self.high)
        state = MET if pts > 0 else UNMET
        if not ctx.explain:
            return Points(pts, pts, pts, "", state)
        observed = f"{ctx.q(self.qdef.name).explain} → {format_number(pts)} 分"
        return Points(pts, pts, pts, observed, state)


# --------------------------------------------------------------------------------------------
# Parsing (with validation)
# --------------------------------------------------------------------------------------------

_OPS = ("ge", "gt", "le", "lt", "eq", "between", "is", "in")
_COND_FORMS = (
    "q",
    "all",
    "any",
    "cases",
    "criterion",
    "score_at_least",
    "group_at_least",
    "manual",
)
_SCORE_FORMS = ("bands", "options", "count", "first", "best", "value")


class Parser:
    """Parses conditions and point rules of one rulebook file, raising DataFileError."""

    def __init__(
        self,
        file: str,
        quantities: QuantityTable,
        criterion_titles: Mapping[str, str],
        groups: Mapping[str, str],
        pass_line: Decimal | None = None,
    ) -> None:
        self.pass_line = pass_line
        self.file = file
        self.quantities = quantities
        self.criterion_titles = criterion_titles
        self.groups = groups
        self.rule = ""
        self.references: set[str] = set()

    def error(self, message: str, suggestion: str | None = None) -> DataFileError:
        return DataFileError(self.file, message, rule=self.rule or None, suggestion=suggestion)

    def number(self, raw: Any, what: str) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise self.error(f"{what} 应为数值，收到 {raw!r}")
        try:
            # YAML floats such as 1.1025 are taken by their written decimal text, never as binary.
            return Decimal(str(raw))
        except ValueError:
            raise self.error(f"{what} 应为数值，收到 {raw!r}") from None

    def quantity(self, name: Any) -> QuantityDef:
        if not isinstance(name, str):
            raise self.error(f"指标名应为文本，收到 {name!r}")
        qdef = self.quantities.get(name)
        if qdef is None:
            raise self.error(
                f"未知字段或指标 “{name}”", did_you_mean(name, self.quantities.names())
            )
        return qdef

    def cond(self, data: Any) -> Cond:
        if not isinstance(data, dict):
            raise self.error(f"条件应为映射，收到 {data!r}")
        forms = [k for k in _COND_FORMS if k in data]
        if len(forms) != 1:
            keys = ", ".join(map(str, data))
            guess = next((did_you_mean(str(k), _COND_FORMS) for k in data if k not in _OPS), None)
            raise self.error(
                f"无法识别的条件（{keys}）；应含且只含 {'/'.join(_COND_FORMS)} 之一", guess
            )
        form = forms[0]
        text = data.get("text")
        if form == "q":
            return self.leaf(data)
        if form in ("all", "any"):
            items = data[form]
            if not isinstance(items, list) or not items:
                raise self.error(f"{form} 须为非空列表")
            parsed = [self.cond(i) for i in items]
            return AllOf(parsed, text) if form == "all" else AnyOf(parsed, text)
        if form == "cases":
            cases = []
            for item in data["cases"]:
                if not isinstance(item, dict) or set(item) != {"when", "then"}:
                    raise self.error("cases 的每一项须含 when 与 then")
                cases.append((self.cond(item["when"]), self.cond(item["then"])))
            otherwise = self.cond(data["otherwise"]) if "otherwise" in data else None
            return Cases(cases, otherwise, text)
        if form == "criterion":
            ref = str(data["criterion"])
            if ref not in self.criterion_titles:
                raise self.error(
                    f"引用了不存在的条目 “{ref}”", did_you_mean(ref, self.criterion_titles)
                )
            self.references.add(ref)
            return CriterionRef(ref, self.criterion_titles[ref])
        if form == "score_at_least":
            raw = data["score_at_least"]
            if raw == "pass_line":
                return ScoreAtLeast(None, self.pass_line)
            return ScoreAtLeast(self.number(raw, "score_at_least"))
        if form == "group_at_least":
            spec = data["group_at_least"]
            if not isinstance(spec, dict) or set(spec) != {"group", "points"}:
                raise self.error("group_at_least 须写 {group: 分组, points: 分数}")
            group = str(spec["group"])
            if group not in self.groups:
                raise self.error(f"未知分组 “{group}”", did_you_mean(group, self.groups))
            return GroupAtLeast(group, self.groups[group], self.number(spec["points"], "points"))
        return Manual(str(data["manual"]))

    def leaf(self, data: dict) -> Cond:
        allowed = {"q", "judgement", "text", "unknown", *_OPS}
        for key in data:
            if key not in allowed:
                raise self.error(f"条件中的未知属性 “{key}”", did_you_mean(str(key), allowed))
        qdef = self.quantity(data["q"])
        ops = [k for k in _OPS if k in data]
        if len(ops) != 1:
            raise self.error(f"条件须且只能写一种比较：{'/'.join(_OPS)}")
        op = ops[0]
        judgement = bool(data.get("judgement", False))
        text = data.get("text")
        raw = data[op]
        leaf = self._leaf(data, qdef, op, raw, judgement, text)
        if data.get("unknown"):
            leaf.unknown_text = str(data["unknown"])
        return leaf

    def _leaf(self, data: dict, qdef: QuantityDef, op: str, raw: Any, judgement: bool, text):
        if op in COMPARISONS or op == "between":
            if not qdef.numeric:
                raise self.error(f"“{qdef.name}”不是数值指标，不能用 {op} 比较")
            if op == "between":
                if not isinstance(raw, list) or len(raw) != 2:
                    raise self.error("between 须写 [下限, 上限]")
                return Between(
                    qdef,
                    self.number(raw[0], "between"),
                    self.number(raw[1], "between"),
                    judgement,
                    text,
                )
            return Compare(qdef, op, self.number(raw, op), judgement, text)
        if op == "is":
            if qdef.spec is None or qdef.spec.type != FieldType.BOOL:
                raise self.error(f"“{qdef.name}”不是是/否字段，不能用 is")
            if not isinstance(raw, bool):
                raise self.error("is 须写 true 或 false")
            return Is(qdef, raw, judgement, text)
        codes = raw if isinstance(raw, list) else [raw]
        valid = self.codes_of(qdef)
        for code in codes:
            if code not in valid:
                raise self.error(
                    f"“{code}”不是 {qdef.name} 的可选值（{', '.join(valid)}）",
                    did_you_mean(str(code), valid),
                )
        return InSet(qdef, tuple(codes), judgement, text)

    def codes_of(self, qdef: QuantityDef) -> list[str]:
        if qdef.name == "size_class":
            return ["large", "medium", "small", "micro"]
        if qdef.name == "application_type":
            return ["new", "renewal"]
        if qdef.spec is None or qdef.spec.type != FieldType.ENUM:
            raise self.error(f"“{qdef.name}”不是枚举字段，不能用 in")
        return [code for code, _ in qdef.spec.options]

    def score(self, data: Any) -> Score:
        if not isinstance(data, dict) or len(data) != 1:
            raise self.error(f"计分规则须为单键映射（{'/'.join(_SCORE_FORMS)}），收到 {data!r}")
        ((form, body),) = data.items()
        if form not in _SCORE_FORMS:
            raise self.error(f"未知计分规则 “{form}”", did_you_mean(str(form), _SCORE_FORMS))
        if form == "bands":
            return self.bands(body)
        if form == "options":
            qdef = self.quantity(body.get("q"))
            raw_points = body.get("points") or {}
            if not raw_points:
                raise self.error("options 须写 points")
            if qdef.spec is not None and qdef.spec.type == FieldType.BOOL:
                if set(raw_points) != {True, False}:
                    raise self.error("是/否字段的 options 须同时写 true 与 false 的分值")
            else:
                valid = self.codes_of(qdef)
                for code in raw_points:
                    if code not in valid:
                        raise self.error(
                            f"“{code}”不是 {qdef.name} 的可选值", did_you_mean(str(code), valid)
                        )
                missing = [c for c in valid if c not in raw_points]
                if missing:
                    raise self.error(f"options 缺少选项 {', '.join(missing)} 的分值")
            judgement = tuple(body.get("judgement") or ())
            for code in judgement:
                if code not in raw_points:
                    raise self.error(f"judgement 中的 “{code}” 不在 points 中")
            return Options(
                qdef, {c: self.number(p, "points") for c, p in raw_points.items()}, judgement
            )
        if form == "count":
            items = body.get("of")
            if not isinstance(items, list) or not items:
                raise self.error("count 须写 of: [是/否字段...]")
            qdefs = [self.quantity(i) for i in items]
            for qdef in qdefs:
                if qdef.spec is None or qdef.spec.type != FieldType.BOOL:
                    raise self.error(f"count 只能计是/否字段，“{qdef.name}”不是")
            return Count(
                qdefs, self.number(body.get("each"), "each"), self.number(body.get("cap"), "cap")
            )
        if form == "first":
            cases = []
            for item in body.get("cases", []) if isinstance(body, dict) else []:
                cases.append((self.cond(item["when"]), self.number(item["points"], "points")))
            if not cases:
                raise self.error("first 须写 cases: [{when, points}, ...]")
            return FirstMatch(cases, self.number(body.get("otherwise", 0), "otherwise"))
        if form == "best":
            if not isinstance(body, list) or len(body) < 2:
                raise self.error("best 须列出至少两个计分规则")
            return BestOf([self.score(i) for i in body])
        qdef = self.quantity(body.get("q"))
        if not qdef.numeric:
            raise self.error(f"“{qdef.name}”不是数值指标")
        return FieldPoints(
            qdef, self.number(body.get("min", 0), "min"), self.number(body.get("max"), "max")
        )

    def bands(self, body: Any) -> Bands:
        if not isinstance(body, dict):
            raise self.error("bands 须为映射")
        for key in body:
            if key not in ("q", "at_least", "at_most", "otherwise"):
                raise self.error(
                    f"bands 的未知属性 “{key}”",
                    did_you_mean(str(key), ["q", "at_least", "at_most", "otherwise"]),
                )
        qdef = self.quantity(body.get("q"))
        if not qdef.numeric:
            raise self.error(f"“{qdef.name}”不是数值指标，不能分档")
        up = "at_least" in body
        if up == ("at_most" in body):
            raise self.error("bands 须写 at_least（越高越好）或 at_most（越低越好）之一")
        raw = body["at_least" if up else "at_most"]
        if not isinstance(raw, list) or not raw:
            raise self.error("分档须为 [[界值, 分数], ...] 列表")
        bands = []
        for item in raw:
            if not isinstance(item, list) or len(item) != 2:
                raise self.error(f"分档 {item!r} 须写成 [界值, 分数]")
            bands.append((self.number(item[0], "界值"), self.number(item[1], "分数")))
        edges = [e for e, _ in bands]
        ordered = (
            all(a > b for a, b in itertools.pairwise(edges))
            if up
            else all(a < b for a, b in itertools.pairwise(edges))
        )
        if not ordered:
            raise self.error(
                "分档界值须按从好到差排列（at_least 递减、at_most 递增）且不重复："
                + str([str(e) for e in edges])
            )
        otherwise = self.number(body.get("otherwise", 0), "otherwise")
        points = [p for _, p in bands] + [otherwise]
        if any(a < b for a, b in itertools.pairwise(points)):
            raise self.error("分档分值须随档位降低而不增加：" + str([str(p) for p in points]))
        return Bands(qdef, up, bands, otherwise)
