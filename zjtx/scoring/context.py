"""The evaluation context: three-valued combination, quantities and what a rule reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.domain.labels import ApplicationType
from zjtx.domain.results import CriterionState
from zjtx.scoring.errors import DataFileError, did_you_mean
from zjtx.scoring.quantities import (
    HUNDRED,
    ONE,
    ZERO,
    CompoundGrowth,
    Exact,
    Number,
    display_places,
    entered_places,
    entered_text,
    fixed_text,
    format_number,
    is_edge,
    places_shown,
    to_number,
)
from zjtx.scoring.size import SizeResult

MET = CriterionState.MET
UNMET = CriterionState.UNMET
UNKNOWN = CriterionState.UNKNOWN
MANUAL = CriterionState.MANUAL
NA = CriterionState.NA

BUILTIN_QUANTITIES = ("size_class", "application_type")


def repeating_field(spec: FieldSpec) -> bool:
    """Whether a field's values repeat across a round's applicants (yes/no, options, ranks,
    counts, levels, years, points), so what is said of one value can be kept and shared.
    Amounts, head counts and shares almost never repeat."""
    if spec.type in (FieldType.BOOL, FieldType.ENUM):
        return True
    if spec.type == FieldType.INT:
        return spec.unit != "人"
    return spec.type == FieldType.DECIMAL


# --------------------------------------------------------------------------------------------
# Three-valued combination
# --------------------------------------------------------------------------------------------


# Precedence of states: all-of keeps the worst state, any-of the best (na never counts).
ALL_RANK = {NA: 0, MET: 1, MANUAL: 2, UNKNOWN: 3, UNMET: 4}
ALL_BY_RANK = {rank: state for state, rank in ALL_RANK.items()}
ANY_RANK = {NA: 0, UNMET: 1, MANUAL: 2, UNKNOWN: 3, MET: 4}
ANY_BY_RANK = {rank: state for state, rank in ANY_RANK.items()}


def combine_all(states: Iterable[CriterionState]) -> CriterionState:
    """All-of: any unmet fails; else data gaps, then judgement items, keep it open."""
    return ALL_BY_RANK[max((ALL_RANK[s] for s in states), default=0)]


def combine_any(states: Iterable[CriterionState]) -> CriterionState:
    """Any-of: any met passes; else data gaps, then judgement items, keep it open."""
    return ANY_BY_RANK[max((ANY_RANK[s] for s in states), default=0)]


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------


class QValue:
    """A quantity's value for one applicant; the explanation text is built only when asked for.

    Deciding a criterion needs the value; explaining it needs the numbers behind the value.
    Building Chinese text for every quantity of every applicant would cost more than the
    decision itself, so ``explain`` renders on first access from the inputs kept here.
    """

    __slots__ = (
        "_explain",
        "builtin",
        "edges",
        "inputs",
        "missing",
        "parts",
        "problem",
        "qdef",
        "value",
    )

    def __init__(
        self,
        qdef: QuantityDef,
        value: Any,
        missing: tuple[str, ...] = (),
        problem: str | None = None,
        parts: tuple[Decimal, ...] = (),
        inputs: tuple[QValue, ...] = (),
        builtin: tuple[SizeResult, str] | None = None,
    ) -> None:
        self.qdef = qdef
        self.value = value  # Number for numeric quantities, raw bool/str otherwise, None unknown
        self.missing = missing
        self.problem = problem  # why a computable quantity stayed unknown (zero denominator)
        self.parts = parts  # exact inputs (numerator, denominator, ...) for gaps
        self.inputs = inputs
        # A built-in quantity's text reads the size result and application type, not the
        # context: a context holds its values, so a reference back would be a cycle.
        self.builtin = builtin
        # The thresholds the quantity is compared with (Context.edges), for its number's text.
        self.edges: frozenset[Decimal] | None = None
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
        if qdef.numeric_field:
            zero = qdef.zero_line
            if zero is not None and qv.parts[0] == 0:
                return zero
            return f"{qdef.label} {_show(qv, qv.parts[0])}"
        spec = qdef.spec
        assert spec is not None
        return f"{qdef.label}：{spec.format_value(qv.value)}"
    if kind == "builtin":
        assert qv.builtin is not None
        size, application_type = qv.builtin
        if qdef.name == "size_class":
            return f"企业规模：{size.explanation}"
        return f"申报类型：{APP_TYPES[application_type]}"
    inputs = qv.inputs
    if qv.value is None:
        if qv.problem:
            return qv.problem
        unknown = "、".join(item.qdef.label for item in inputs if item.value is None)
        return f"{qdef.label} 无法计算（缺少{unknown}）"
    places = display_places(qv.value, qv.edges) if qv.edges else 2
    number = qdef.show(qv.value, places)
    if kind in ("ratio", "growth", "cagr"):
        # Shown near a threshold, the inputs show every digit, or they would seem to reach it.
        first, second = (_input_text(item, places > 2) for item in inputs)
        if kind == "ratio":
            return f"{qdef.label} {number}（{first} ÷ {second}）"
        tail = "" if kind == "growth" else f"，{qdef.years} 年复合"
        return f"{qdef.label} {number}（{first}，{second}{tail}）"
    if kind == "sum":
        shown = " + ".join(format_number(v) for v in qv.parts)
        return f"{qdef.label} {number}（{shown}）"
    pieces = []
    for item, v in zip(inputs, qv.parts, strict=True):
        edges = item.edges
        # The parts of an average shown near a threshold show as many places as it does.
        piece = format_number(v, max(places, display_places(v, edges) if edges else 2))
        if item.qdef.unit == "%":
            piece += "%"
        pieces.append(f"({piece})" if v < 0 else piece)
    return f"{qdef.label} {number}（({' + '.join(pieces)}) ÷ {len(pieces)}）"


def _show(qv: QValue, number: Number | Decimal) -> str:
    """qdef.show of a number of the quantity, with the places its thresholds ask for."""
    edges = qv.edges
    return qv.qdef.show(number, display_places(number, edges) if edges else 2)


def _input_text(item: QValue, exact: bool) -> str:
    """An input's text, with every digit it was entered with when ``exact`` (a field)."""
    qdef = item.qdef
    if exact and qdef.numeric_field and item.value is not None and item.parts[0]:
        number = item.parts[0]
        return f"{qdef.label} {qdef.show(number, entered_places(number))}"
    return item.explain


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
    def zero_line(self) -> str | None:
        """What a field whose 0 is no number of its unit says at 0 (``…最好排名：未获奖``):
        its text, and its gap, which has no distance to give. None for other quantities."""
        spec = self.spec
        if self.kind != "field" or spec is None or spec.zero_text is None:
            return None
        return f"{self.label}：{spec.zero_text}"

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
        # Derived quantities of numeric fields only: their exact parts are the fields' values.
        self.of_fields = frozenset(
            name for name, qdef in self.defs.items() if _of_numeric_fields(qdef, self.defs)
        )
        self._texters: dict[str, Callable[[Context], str]] = {}
        self._texters_of: dict[str, QuantityDef] | None = None

    @property
    def texters(self) -> dict[str, Callable[[Context], str]]:
        """The text renderer of each quantity, built from the current definitions: a notice
        relabels fields on a copy of the table by giving it a new ``defs`` mapping."""
        if self._texters_of is not self.defs:
            self._texters = {name: _texter(qdef, self.defs) for name, qdef in self.defs.items()}
            self._texters_of = self.defs
        return self._texters

    def names(self) -> list[str]:
        return list(self.defs)

    def get(self, name: str) -> QuantityDef | None:
        return self.defs.get(name)


_MISSING = object()


def _of_numeric_fields(qdef: QuantityDef, defs: Mapping[str, QuantityDef]) -> bool:
    return qdef.kind in ("ratio", "growth", "cagr", "sum", "mean") and all(
        defs[item].kind == "field" and defs[item].numeric_field for item in qdef.inputs
    )


def _getter(qdef: QuantityDef, defs: Mapping[str, QuantityDef]) -> Callable[[Context], Any]:
    """The function computing a quantity's value from a context: a Number, a raw bool or str,
    or None when unknown. Built once per rulebook; derived values read their inputs through
    the context's cache, or straight from the applicant's values when all are numeric fields."""
    kind = qdef.kind
    if _of_numeric_fields(qdef, defs):
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
        return lambda ctx: ctx.value(ctx.alias_target(qdef))
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


def _texter(qdef: QuantityDef, defs: Mapping[str, QuantityDef]) -> Callable[[Context], str]:
    """The function rendering a quantity's text for a context: the same text as
    ``ctx.q(name).explain``, built straight from the decided values for a known value (no
    QValue per input); a built-in or an unknown derived value goes through ``ctx.q``."""
    kind, name, label = qdef.kind, qdef.name, qdef.label
    if kind == "field":
        unknown = f"{label} 未知"
        if qdef.numeric_field:
            prefix = f"{label} "
            unit = qdef.unit
            suffix = "%" if unit == "%" else f" {unit}" if unit else ""
            zero = qdef.zero_line

            def numeric_text(ctx: Context) -> str:
                raw = ctx.values.get(name)
                if raw is None:
                    return unknown
                if zero is not None and raw == 0:
                    return zero
                cls = raw.__class__
                if cls is int:
                    return f"{prefix}{raw}{suffix}"  # what format_number(Decimal(raw)) shows
                if cls is Decimal:
                    return f"{prefix}{ctx.shown_number(name, raw)}{suffix}"
                return f"{prefix}{format_number(to_number(raw))}{suffix}"

            return numeric_text
        spec = qdef.spec
        assert spec is not None
        format_value = spec.format_value

        def raw_text(ctx: Context) -> str:
            value = ctx.values.get(name)
            return unknown if value is None else f"{label}：{format_value(value)}"

        return raw_text
    if kind == "builtin":
        # _render_quantity's text of a built-in, from the context without a QValue.
        if name == "size_class":
            return lambda ctx: f"企业规模：{ctx.size.explanation}"
        return lambda ctx: f"申报类型：{APP_TYPES[ctx.application_type]}"
    if kind == "alias":
        return lambda ctx: ctx.text(ctx.alias_target(qdef))
    inputs = qdef.inputs
    unit = qdef.unit
    unit_text = "%" if unit == "%" else f" {unit}" if unit else ""  # as qdef.show adds it

    def resolved(ctx: Context, item: str) -> QuantityDef:
        target = defs[item]
        while target.kind == "alias":
            target = defs[ctx.alias_target(target)]
        return target

    if kind in ("ratio", "growth", "cagr"):
        first, second = inputs
        tail = "）" if kind != "cagr" else f"，{qdef.years} 年复合）"
        joiner = " ÷ " if kind == "ratio" else "，"

        def exact_text(ctx: Context, item: str) -> str:
            """_input_text's text of an input shown exactly (a value near a threshold)."""
            target = resolved(ctx, item)
            raw = ctx.values.get(target.name) if target.numeric_field else None
            if not raw:
                return ctx.text(item)
            number = raw if raw.__class__ is Decimal else to_number(raw)
            return f"{target.label} {target.show(number, entered_places(number))}"

        def pair_text(ctx: Context) -> str:
            value = ctx.value(name)
            if value is None:
                return ctx.q(name).explain
            shown = ctx.shown_number(name, value)
            if places_shown(shown) <= 2:
                a, b = ctx.text(first), ctx.text(second)
            else:
                a, b = exact_text(ctx, first), exact_text(ctx, second)
            return f"{label} {shown}{unit_text}（{a}{joiner}{b}{tail}"

        return pair_text

    def total_text(ctx: Context) -> str:
        value = ctx.value(name)
        if value is None:
            return ctx.q(name).explain
        numbers = [ctx.value(item) for item in inputs]
        if any(number.__class__ is not Exact for number in numbers):
            return ctx.q(name).explain
        # Each exact part is formatted from its fraction: the same text as its quotient's
        # (rounded half up), without printing a hundred digits first.
        number = ctx.shown_number(name, value)
        places = places_shown(number)
        number += unit_text
        if kind == "sum":
            shown = " + ".join([format_number(v) for v in numbers])
            return f"{label} {number}（{shown}）"
        pieces = []
        for item, v in zip(inputs, numbers, strict=True):
            target = resolved(ctx, item)
            piece = ctx.shown_number(target.name, v)
            if places > 2:  # as _render_quantity: as many places as the average shows
                piece = format_number(v, max(places, places_shown(piece)))
            if target.unit == "%":
                piece += "%"
            pieces.append(f"({piece})" if v.num < 0 else piece)
        return f"{label} {number}（({' + '.join(pieces)}) ÷ {len(pieces)}）"

    return total_text


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

    Deciders read values through ``value`` (no text); explanations read ``q``, which keeps the
    numbers behind each value so the Chinese text is rendered only when it is read.
    """

    __slots__ = (
        "application_type",
        "cache",
        "criterion",
        "decided",
        "edges",
        "explained",
        "getters",
        "group_interval",
        "judged",
        "numbers",
        "pass_line",
        "quantities",
        "score_interval",
        "settings",
        "size",
        "texters",
        "texts",
        "top",
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
        edges: Mapping[str, frozenset[Decimal]] | None = None,
    ) -> None:
        self.values = values
        self.quantities = quantities
        self.getters = quantities.getters
        self.texters = quantities.texters
        self.size = size
        self.application_type = application_type
        self.settings = settings
        self.pass_line = pass_line
        # An evaluator's confirmation of the criterion being evaluated: judgement parts (and
        # only they) take this state instead of `manual`.
        self.judged: CriterionState | None = None
        self.cache: dict[str, QValue] = {}
        self.vcache: dict[str, Any] = {}
        self.texts: dict[str, str] = {}
        self.numbers: dict[str, str] = {}  # a quantity's value as shown (shown_number), by name
        # The thresholds each quantity is compared with in the rulebook (Rulebook.edges),
        # which a value shown near one must not appear to reach when it does not.
        self.edges: Mapping[str, frozenset[Decimal]] = edges or {}
        # Filled in by the evaluator: other criteria (decided, and explained) and intervals.
        self.criterion: Callable[[str], Any] = _unset
        self.explained: Callable[[str], Any] = _unset
        self.decided: dict[str, Any] = {}  # the decisions made so far, by criterion id
        self.score_interval: Callable[[], tuple[Decimal, Decimal]] = _unset
        self.group_interval: Callable[[str], tuple[Decimal, Decimal]] = _unset
        # While a criterion is explained: its top node and what the evaluator decided for it,
        # so the explanation does not decide the whole criterion again.
        self.top: tuple[Any, Any] | None = None

    def value(self, name: str) -> Any:
        """The value of a quantity (Number, raw bool/str, or None when unknown): the fast path
        used while deciding; no explanation objects are built."""
        vcache = self.vcache
        if name in vcache:
            return vcache[name]
        value = vcache[name] = self.getters[name](self)
        return value

    def decision(self, node: Any) -> Any:
        """What a rule node's decider decides here (its state, or a scored node's tuple)."""
        top = self.top
        if top is not None and top[0] is node:
            return top[1]
        return node.decider()(self)

    def alias_target(self, qdef: QuantityDef) -> str:
        alt = qdef.alt
        if alt is not None and self.settings.get(alt[0], alt[2]):
            return alt[1]
        return qdef.inputs[0]

    def q(self, name: str) -> QValue:
        """The value with what explains it (inputs, missing fields, why it stayed unknown)."""
        cached = self.cache.get(name)
        if cached is None:
            cached = self.cache[name] = self._describe(self.quantities.defs[name])
            if cached.edges is None:
                cached.edges = self.edges.get(cached.qdef.name)
        return cached

    def text(self, name: str) -> str:
        """What ``q(name).explain`` says, rendered from the values without QValue objects."""
        texts = self.texts
        text = texts.get(name)
        if text is None:
            text = texts[name] = self.texters[name](self)
        return text

    def shown_number(self, name: str, value: Number | Decimal) -> str:
        """A known value of the quantity as shown (format_number's text, two places), or with
        as many more places as keep it from reading as a threshold of the rulebook that it
        does not equal (4.998 % is shown so beside ≥5 %, not as 5 %). Worked out once per
        applicant, for the quantity's text and its gaps alike."""
        numbers = self.numbers
        text = numbers.get(name)
        if text is not None:
            return text
        edges = self.edges.get(name)
        if value.__class__ is Exact and value.den != ONE:  # type: ignore[union-attr]
            # One division, rounded at once: what format_number shows at two places.
            rounded = value.to_decimal(2)
            if edges and is_edge(rounded, edges) and value.compare(rounded):
                text = format_number(value, display_places(value, edges))
            else:
                text = fixed_text(rounded)
        else:
            number = value.num if value.__class__ is Exact else value  # type: ignore[union-attr]
            text = entered_text(number) if number.__class__ is Decimal else None
            if text is None:
                text = format_number(value, display_places(value, edges) if edges else 2)
        numbers[name] = text
        return text

    def parts(self, qdef: QuantityDef) -> tuple[Decimal, ...]:
        """The exact parts of a known derived value (numerator, denominator, ...), for gaps."""
        if qdef.name in self.quantities.of_fields:
            # The exact parts of a derived value of numeric fields are the fields' values
            # (known, as the value is): read as they are, not wrapped and unwrapped.
            values = self.values
            raws = [values[item] for item in qdef.inputs]
            return tuple([raw if raw.__class__ is Decimal else to_number(raw) for raw in raws])
        numbers = [self.value(item) for item in qdef.inputs]
        return tuple([v.value for v in numbers if v.__class__ is Exact])

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
            return QValue(
                qdef,
                value,
                missing if value is None else (),
                builtin=(self.size, self.application_type),
            )
        if kind == "alias":
            return self.q(self.alias_target(qdef))
        q = self.q
        inputs = tuple([q(name) for name in qdef.inputs])
        parts = tuple([item.value.value for item in inputs if isinstance(item.value, Exact)])
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


APP_TYPES = ApplicationType.labels()


def _unset(*_args: Any) -> Any:  # pragma: no cover - replaced by the evaluator
    raise RuntimeError("evaluator context not initialised")
