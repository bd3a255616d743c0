"""The rule-language parser: one table row per form, each with its allowed keys and builder.

Rulebook files (YAML) describe every criterion with conditions and point rules; nothing in a
data file is ever executed. Parsing validates names against the field catalogue and the
derived quantities and fails with the file, the rule id and a "did you mean".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

from zjtx.domain.fields import FieldType
from zjtx.scoring.cases import Cases
from zjtx.scoring.conditions import (
    AllOf,
    AnyOf,
    Between,
    Compare,
    Cond,
    CriterionRef,
    InSet,
    Is,
    Manual,
)
from zjtx.scoring.conditions_extra import build_known
from zjtx.scoring.context import QuantityDef, QuantityTable
from zjtx.scoring.errors import DataFileError, did_you_mean, raise_collected
from zjtx.scoring.points import Bands, BestOf, Count, FieldPoints, FirstMatch, Options, Score
from zjtx.scoring.quantities import COMPARISONS
from zjtx.scoring.score_conditions import GroupAtLeast, ScoreAtLeast

T = TypeVar("T")

_OPS = ("ge", "gt", "le", "lt", "eq", "between", "is", "in")


def _plain(value: Decimal) -> str:
    """A figure as a person writes it: 3, 0.5, 12.5 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def shape_of(value: Any) -> str:
    """What a YAML value is, in Chinese, for "expected X, got Y" messages."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"是/否值 {value!r}".replace("True", "true").replace("False", "false")
    if isinstance(value, int | float | Decimal):
        return f"数值 {value}"
    if isinstance(value, str):
        return f"文本 “{value}”" if len(value) <= 40 else f"文本 “{value[:40]}…”"
    if isinstance(value, list):
        return f"列表（{len(value)} 项）"
    if isinstance(value, dict):
        return "映射（" + ", ".join(map(str, list(value)[:6])) + "）"
    return type(value).__name__


def key_problems(
    mapping: Any,
    allowed: Collection[str],
    *,
    file: str,
    rule_id: str | None = None,
    where: str = "",
) -> list[DataFileError]:
    """One problem per unknown key of a mapping (a non-mapping is one problem itself).

    Each names the file, the rule id, the place within the rule (``where``, e.g.
    ``changes.settings``), the key, the closest valid name and the keys that are allowed.
    """
    if not isinstance(mapping, Mapping):
        return [
            DataFileError(
                file, f"应为映射（键: 值），收到 {shape_of(mapping)}", rule=rule_id, path=where
            )
        ]
    names = sorted(map(str, allowed))
    return [
        DataFileError(
            file,
            f"未知属性 “{key}”（此处可写：{'、'.join(names)}）",
            rule=rule_id,
            suggestion=did_you_mean(str(key), names),
            path=where,
        )
        for key in mapping
        if key not in allowed
    ]


def check_keys(
    mapping: Any,
    allowed: Collection[str],
    *,
    file: str,
    rule_id: str | None = None,
    where: str = "",
    problems: list[DataFileError] | None = None,
) -> None:
    """Reject unknown keys of a mapping in a rulebook, overlay or notice file.

    With ``problems`` the problems are appended to it (so a whole file is checked before
    anything is reported); without, DataFileError is raised (DataFileErrors for several).
    """
    found = key_problems(mapping, allowed, file=file, rule_id=rule_id, where=where)
    if problems is not None:
        problems.extend(found)
    else:
        raise_collected(found)


class _Reported(DataFileError):
    """A node that could not be built; its problems are already in ``Parser.problems``."""

    def __init__(self, file: str) -> None:
        super().__init__(file, "（问题已逐项列出）")

    @property
    def problems(self) -> list[DataFileError]:
        return []


class Parser:
    """Parses conditions and point rules of one rulebook file.

    Problems are collected in ``problems`` (shared by everything parsed from one file) so a
    check lists them all: an unknown key is recorded and parsing goes on; a part that cannot
    be built is recorded, its siblings are still parsed, and the node above it gives up.
    """

    def __init__(
        self,
        file: str,
        quantities: QuantityTable,
        criterion_titles: Mapping[str, str],
        groups: Mapping[str, str],
        pass_line: Decimal | None = None,
        problems: list[DataFileError] | None = None,
    ) -> None:
        self.pass_line = pass_line
        self.file = file
        self.quantities = quantities
        self.criterion_titles = criterion_titles
        self.groups = groups
        self.rule = ""
        self.references: set[str] = set()
        self.problems: list[DataFileError] = problems if problems is not None else []
        self.trail: list[str] = []

    # -- where we are and what went wrong ------------------------------------------------------

    def where(self) -> str:
        """The place within the current rule, e.g. ``require.all[2].cases[0].when``."""
        text = ""
        for step in self.trail:
            text += step if step.startswith("[") or not text else "." + step
        return text

    @contextmanager
    def at(self, step: str | int) -> Iterator[None]:
        """Parse something one step further in (a key, or ``[i]`` for a list item)."""
        self.trail.append(f"[{step}]" if isinstance(step, int) else step)
        try:
            yield
        finally:
            self.trail.pop()

    def error(self, message: str, suggestion: str | None = None) -> DataFileError:
        return DataFileError(
            self.file,
            message,
            rule=self.rule or None,
            suggestion=suggestion,
            path=self.where(),
        )

    def attempt(self, step: str | int | None, build: Callable[..., T], *args: Any) -> T | None:
        """``build(*args)`` at ``step``; a problem is recorded and None returned instead."""
        try:
            if step is None:
                return build(*args)
            with self.at(step):
                return build(*args)
        except DataFileError as exc:
            self.problems.extend(exc.problems)
            return None

    def give_up(self) -> _Reported:
        """The error for a node whose parts have problems already recorded."""
        return _Reported(self.file)

    def check_keys(self, data: Mapping, allowed: Collection[str]) -> None:
        self.problems.extend(
            key_problems(
                data, allowed, file=self.file, rule_id=self.rule or None, where=self.where()
            )
        )

    def condition(self, data: Any) -> Cond:
        """A whole condition, every problem in it raised together (for callers outside a file
        load, such as notice files)."""
        before = len(self.problems)
        result = self.attempt(None, self.cond, data)
        raise_collected(self.problems[before:])
        assert result is not None
        return result

    def points(self, data: Any) -> Score:
        """A whole point rule, every problem in it raised together."""
        before = len(self.problems)
        result = self.attempt(None, self.score, data)
        raise_collected(self.problems[before:])
        assert result is not None
        return result

    # -- values --------------------------------------------------------------------------------

    def number(self, raw: Any, what: str) -> Decimal:
        if raw is None:
            raise self.error(f"缺少 {what}（应为数值）")
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise self.error(f"{what} 应为数值，收到 {shape_of(raw)}")
        try:
            # YAML floats such as 1.1025 are taken by their written decimal text, never as binary.
            value = Decimal(str(raw))
        except (ArithmeticError, ValueError):
            raise self.error(f"{what} 应为数值，收到 {shape_of(raw)}") from None
        if not value.is_finite():
            raise self.error(f"{what} 应为有限的数值，收到 {shape_of(raw)}")
        return value

    def text(self, data: Mapping, key: str) -> str | None:
        """An optional text attribute; anything but text is a problem."""
        raw = data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, str):
            with self.at(key):
                raise self.error(f"{key} 应为文本，收到 {shape_of(raw)}")
        return raw

    def flag(self, data: Mapping, key: str) -> bool:
        """An optional true/false attribute; anything but true or false is a problem."""
        raw = data.get(key, False)
        if not isinstance(raw, bool):
            with self.at(key):
                raise self.error(f"{key} 应写 true 或 false，收到 {shape_of(raw)}")
        return raw

    def quantity(self, name: Any) -> QuantityDef:
        if name is None:
            raise self.error("缺少 q（字段或指标名）")
        if not isinstance(name, str):
            raise self.error(f"指标名应为文本，收到 {shape_of(name)}")
        qdef = self.quantities.get(name)
        if qdef is None:
            raise self.error(
                f"未知字段或指标 “{name}”", did_you_mean(name, self.quantities.names())
            )
        return qdef

    def items(self, raw: Any, what: str, example: str, *, at_least: int = 1) -> list:
        """A list attribute with at least ``at_least`` items."""
        if not isinstance(raw, list) or len(raw) < at_least:
            got = shape_of(raw)
            raise self.error(f"{what} 须为至少 {at_least} 项的列表，如 {example}；收到 {got}")
        return raw

    # -- conditions ----------------------------------------------------------------------------

    def cond(self, data: Any) -> Cond:
        if not isinstance(data, dict):
            raise self.error(f"条件应为映射（如 {{q: 字段, ge: 数值}}），收到 {shape_of(data)}")
        forms = [k for k in COND_FORMS if k in data]
        if len(forms) > 1:
            raise self.error(
                f"一个条件只能写 {'/'.join(COND_FORMS)} 之一，这里有 {', '.join(forms)}"
            )
        if not forms:
            known = set().union(*(allowed for allowed, _ in COND_FORMS.values()))
            strangers = [str(k) for k in data if k not in known]
            guesses = [(k, did_you_mean(k, COND_FORMS)) for k in strangers]
            bad, guess = next(((k, g) for k, g in guesses if g), (None, None))
            bad = bad or next(iter(strangers), None)
            raise self.error(
                f"无法识别的条件（{', '.join(map(str, data))}）"
                + (f"：“{bad}” 不是条件的属性" if bad else "")
                + f"；应含且只含 {'/'.join(COND_FORMS)} 之一",
                guess,
            )
        allowed, build = COND_FORMS[forms[0]]
        self.check_keys(data, allowed)
        if not isinstance(data.get("text", ""), str):
            with self.at("text"):
                self.problems.append(
                    self.error(f"text 应为文本（条件的说明），收到 {shape_of(data['text'])}")
                )
        return self._built(build, data, forms[0])

    def _built(self, build: Callable[[Parser, Any, str], T], data: Any, form: str) -> T:
        # Builders registered from other modules may not check every shape; a Python error
        # from a malformed body still reaches the user as a problem of this file and rule.
        try:
            return build(self, data, form)
        except (TypeError, KeyError, AttributeError, ValueError, IndexError) as exc:
            if isinstance(exc, DataFileError):
                raise
            raise self.error(f"{form} 的写法无法识别（{shape_of(data)}）") from None

    def _junction(self, data: dict, form: str) -> Cond:
        text = data.get("text")
        with self.at(form):
            items = self.items(data[form], form, f"{form}: [{{q: …}}, {{q: …}}]")
            parsed = [self.attempt(i, self.cond, item) for i, item in enumerate(items)]
        if any(c is None for c in parsed):
            raise self.give_up()
        return (AllOf if form == "all" else AnyOf)(parsed, text)

    def _cases(self, data: dict, form: str) -> Cond:
        text = data.get("text")
        with self.at("cases"):
            items = self.items(data["cases"], "cases", "cases: [{when: 条件, then: 条件}]")
            cases = [self.attempt(i, self._case, item) for i, item in enumerate(items)]
        otherwise = None
        if "otherwise" in data:
            otherwise = self.attempt("otherwise", self.cond, data["otherwise"])
            if otherwise is None:
                raise self.give_up()
        if any(c is None for c in cases):
            raise self.give_up()
        return Cases(cases, otherwise, text)

    def _case(self, item: Any) -> tuple[Cond, Cond]:
        if not isinstance(item, dict):
            raise self.error(
                f"cases 的每一项须为 {{when: 条件, then: 条件}}，收到 {shape_of(item)}"
            )
        self.check_keys(item, CASE_KEYS)
        for key in CASE_KEYS:
            if key not in item:
                raise self.error(f"cases 的每一项须含 when 与 then，缺少 {key}")
        when = self.attempt("when", self.cond, item["when"])
        then = self.attempt("then", self.cond, item["then"])
        if when is None or then is None:
            raise self.give_up()
        return when, then

    def _criterion(self, data: dict, form: str) -> Cond:
        ref = data["criterion"]
        if not isinstance(ref, str):
            with self.at("criterion"):
                raise self.error(f"criterion 应为条目编号（文本），收到 {shape_of(ref)}")
        if ref not in self.criterion_titles:
            raise self.error(
                f"引用了不存在的条目 “{ref}”", did_you_mean(ref, self.criterion_titles)
            )
        self.references.add(ref)
        return CriterionRef(ref, self.criterion_titles[ref])

    def _score_at_least(self, data: dict, form: str) -> Cond:
        raw = data["score_at_least"]
        if raw == "pass_line":
            return ScoreAtLeast(None, self.pass_line)
        with self.at("score_at_least"):
            return ScoreAtLeast(self.number(raw, "score_at_least（分数或 pass_line）"))

    def _group_at_least(self, data: dict, form: str) -> Cond:
        spec = data["group_at_least"]
        with self.at("group_at_least"):
            if not isinstance(spec, dict):
                raise self.error(
                    f"group_at_least 须写 {{group: 分组, points: 分数}}，收到 {shape_of(spec)}"
                )
            self.check_keys(spec, GROUP_AT_LEAST_KEYS)
            missing = [k for k in sorted(GROUP_AT_LEAST_KEYS) if k not in spec]
            if missing:
                raise self.error(f"group_at_least 缺少 {'、'.join(missing)}")
            group = spec["group"]
            if not isinstance(group, str) or group not in self.groups:
                raise self.error(f"未知分组 “{group}”", did_you_mean(str(group), self.groups))
            points = self.number(spec["points"], "points")
        return GroupAtLeast(group, self.groups[group], points)

    def _manual(self, data: dict, form: str) -> Cond:
        raw = data["manual"]
        if not isinstance(raw, str) or not raw.strip():
            with self.at("manual"):
                raise self.error(f"manual 应为需人工确认的要求（文本），收到 {shape_of(raw)}")
        return Manual(raw)

    def _leaf(self, data: dict, form: str) -> Cond:
        with self.at("q"):
            qdef = self.quantity(data["q"])
        ops = [k for k in _OPS if k in data]
        if len(ops) != 1:
            raise self.error(f"条件须且只能写一种比较：{'/'.join(_OPS)}")
        op = ops[0]
        judgement = self.flag(data, "judgement")
        text = data.get("text")
        unknown = self.text(data, "unknown")
        with self.at(op):
            leaf = self._test(qdef, op, data[op], judgement, text)
        if unknown:
            leaf.unknown_text = unknown
        return leaf

    def _test(self, qdef: QuantityDef, op: str, raw: Any, judgement: bool, text: Any):
        if op in COMPARISONS or op == "between":
            if not qdef.numeric:
                raise self.error(f"“{qdef.name}”不是数值指标，不能用 {op} 比较")
            if op == "between":
                if not isinstance(raw, list) or len(raw) != 2:
                    raise self.error(f"between 须写 [下限, 上限]，收到 {shape_of(raw)}")
                low, high = self.number(raw[0], "between"), self.number(raw[1], "between")
                self._percent_figures(qdef, [low, high])
                return Between(qdef, low, high, judgement, text)
            value = self.number(raw, op)
            self._percent_figures(qdef, [value])
            return Compare(qdef, op, value, judgement, text)
        if op == "is":
            if qdef.spec is None or qdef.spec.type != FieldType.BOOL:
                raise self.error(f"“{qdef.name}”不是是/否字段，不能用 is")
            if not isinstance(raw, bool):
                raise self.error(f"is 须写 true 或 false，收到 {shape_of(raw)}")
            return Is(qdef, raw, judgement, text)
        codes = raw if isinstance(raw, list) else [raw]
        valid = self.codes_of(qdef)
        if not codes:
            raise self.error(f"in 须列出至少一个可选值（{', '.join(valid)}）")
        for code in codes:
            if not isinstance(code, str) or code not in valid:
                raise self.error(
                    f"{shape_of(code)} 不是 {qdef.name} 的可选值（{', '.join(valid)}）",
                    did_you_mean(str(code), valid),
                )
        return InSet(qdef, tuple(codes), judgement, text)

    def _percent_figures(self, qdef: QuantityDef, figures: list[Decimal]) -> None:
        """Refuse figures of a percent quantity that are all fractions (0.03 for 3 %): each
        would let nearly every applicant pass, or none."""
        if qdef.unit != "%" or not any(figures) or any(abs(f) >= 1 for f in figures):
            return
        meant = "、".join(_plain(f * 100) for f in figures)
        raise self.error(
            f"“{qdef.name}”以百分数计（12.5 表示 12.5%），"
            f"{'、'.join(_plain(f) for f in figures)} 像是写成了小数：请写 {meant}"
        )

    def codes_of(self, qdef: QuantityDef) -> list[str]:
        if qdef.name == "size_class":
            return ["large", "medium", "small", "micro", "not_covered"]
        if qdef.name == "application_type":
            return ["new", "renewal"]
        if qdef.spec is None or qdef.spec.type != FieldType.ENUM:
            raise self.error(f"“{qdef.name}”不是枚举字段，不能用 in")
        return [code for code, _ in qdef.spec.options]

    # -- point rules ---------------------------------------------------------------------------

    def score(self, data: Any) -> Score:
        if not isinstance(data, dict) or len(data) != 1:
            raise self.error(
                f"计分规则须为单键映射（{'/'.join(SCORE_FORMS)}），收到 {shape_of(data)}",
                next((did_you_mean(str(k), SCORE_FORMS) for k in data), None)
                if isinstance(data, dict)
                else None,
            )
        ((form, body),) = data.items()
        if form not in SCORE_FORMS:
            raise self.error(f"未知计分规则 “{form}”", did_you_mean(str(form), SCORE_FORMS))
        allowed, build = SCORE_FORMS[form]
        with self.at(str(form)):
            if allowed is not None:
                if not isinstance(body, dict):
                    raise self.error(f"{form} 须为映射，收到 {shape_of(body)}")
                self.check_keys(body, allowed)
            return self._built(build, body, form)

    def _options(self, body: dict, form: str) -> Score:
        with self.at("q"):
            qdef = self.quantity(body.get("q"))
        raw_points = body.get("points")
        with self.at("points"):
            if not isinstance(raw_points, dict) or not raw_points:
                raise self.error(
                    f"options 须写 points: {{选项: 分数, ...}}，收到 {shape_of(raw_points)}"
                )
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
            points = {c: self.number(p, f"{c} 的分值") for c, p in raw_points.items()}
        raw_judgement = body.get("judgement") or []
        with self.at("judgement"):
            if not isinstance(raw_judgement, list):
                raise self.error(f"judgement 须为选项列表，收到 {shape_of(raw_judgement)}")
            for code in raw_judgement:
                if code not in raw_points:
                    raise self.error(f"judgement 中的 “{code}” 不在 points 中")
        return Options(qdef, points, tuple(raw_judgement))

    def _count(self, body: dict, form: str) -> Score:
        with self.at("of"):
            items = self.items(body.get("of"), "count 的 of", "of: [是/否字段, ...]")
            qdefs = [self.quantity(i) for i in items]
            for qdef in qdefs:
                if qdef.spec is None or qdef.spec.type != FieldType.BOOL:
                    raise self.error(f"count 只能计是/否字段，“{qdef.name}”不是")
        with self.at("each"):
            each = self.number(body.get("each"), "each（每项分数）")
        with self.at("cap"):
            cap = self.number(body.get("cap"), "cap（最高分）")
        return Count(qdefs, each, cap)

    def _first(self, body: dict, form: str) -> Score:
        with self.at("cases"):
            items = self.items(body.get("cases"), "first 的 cases", "cases: [{when, points}, ...]")
            cases = [self.attempt(i, self._first_case, item) for i, item in enumerate(items)]
        with self.at("otherwise"):
            otherwise = self.number(body.get("otherwise", 0), "otherwise")
        if any(c is None for c in cases):
            raise self.give_up()
        return FirstMatch(cases, otherwise)

    def _first_case(self, item: Any) -> tuple[Cond, Decimal]:
        if not isinstance(item, dict):
            raise self.error(
                f"cases 的每一项须为 {{when: 条件, points: 分数}}，收到 {shape_of(item)}"
            )
        self.check_keys(item, FIRST_CASE_KEYS)
        for key in sorted(FIRST_CASE_KEYS, reverse=True):
            if key not in item:
                raise self.error(f"cases 的每一项须含 when 与 points，缺少 {key}")
        with self.at("points"):
            points = self.number(item["points"], "points")
        when = self.attempt("when", self.cond, item["when"])
        if when is None:
            raise self.give_up()
        return when, points

    def _best(self, body: Any, form: str) -> Score:
        items = self.items(body, "best", "best: [{bands: …}, {value: …}]", at_least=2)
        parsed = [self.attempt(i, self.score, item) for i, item in enumerate(items)]
        if any(p is None for p in parsed):
            raise self.give_up()
        return BestOf(parsed)

    def _value(self, body: dict, form: str) -> Score:
        with self.at("q"):
            qdef = self.quantity(body.get("q"))
            if not qdef.numeric:
                raise self.error(f"“{qdef.name}”不是数值指标")
        with self.at("min"):
            low = self.number(body.get("min", 0), "min")
        with self.at("max"):
            high = self.number(body.get("max"), "max")
        return FieldPoints(qdef, low, high)

    def _bands(self, body: dict, form: str) -> Score:
        with self.at("q"):
            qdef = self.quantity(body.get("q"))
            if not qdef.numeric:
                raise self.error(f"“{qdef.name}”不是数值指标，不能分档")
        up = "at_least" in body
        if up == ("at_most" in body):
            raise self.error("bands 须写 at_least（越高越好）或 at_most（越低越好）之一")
        key = "at_least" if up else "at_most"
        with self.at(key):
            raw = self.items(body[key], key, f"{key}: [[界值, 分数], ...]")
            bands = []
            for index, item in enumerate(raw):
                with self.at(index):
                    if not isinstance(item, list) or len(item) != 2:
                        raise self.error(f"分档须写成 [界值, 分数]，收到 {shape_of(item)}")
                    bands.append((self.number(item[0], "界值"), self.number(item[1], "分数")))
            edges = [e for e, _ in bands]
            self._percent_figures(qdef, edges)
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
        with self.at("otherwise"):
            otherwise = self.number(body.get("otherwise", 0), "otherwise")
        points = [p for _, p in bands] + [otherwise]
        if any(a < b for a, b in itertools.pairwise(points)):
            raise self.error("分档分值须随档位降低而不增加：" + str([str(p) for p in points]))
        return Bands(qdef, up, bands, otherwise)


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


CondBuilder = Callable[[Parser, dict, str], Cond]
ScoreBuilder = Callable[[Parser, Any, str], Score]

CASE_KEYS = _keys("when", "then")  # an item of a condition's cases
FIRST_CASE_KEYS = _keys("when", "points")  # an item of a point rule's first: cases
GROUP_AT_LEAST_KEYS = _keys("group", "points")

# form -> (the keys it may have, its builder); a condition may always carry its own text.
COND_FORMS: dict[str, tuple[frozenset[str], CondBuilder]] = {
    "q": (_keys("q", "judgement", "text", "unknown", *_OPS), Parser._leaf),
    "all": (_keys("all", "text"), Parser._junction),
    "any": (_keys("any", "text"), Parser._junction),
    "cases": (_keys("cases", "otherwise", "text"), Parser._cases),
    "criterion": (_keys("criterion", "text"), Parser._criterion),
    "score_at_least": (_keys("score_at_least", "text"), Parser._score_at_least),
    "group_at_least": (_keys("group_at_least", "text"), Parser._group_at_least),
    "manual": (_keys("manual", "text"), Parser._manual),
    "known": (_keys("known", "unknown_means", "text"), build_known),
}
# form -> (the keys of its body, None for a list body; its builder)
SCORE_FORMS: dict[str, tuple[frozenset[str] | None, ScoreBuilder]] = {
    "bands": (_keys("q", "at_least", "at_most", "otherwise"), Parser._bands),
    "options": (_keys("q", "points", "judgement"), Parser._options),
    "count": (_keys("of", "each", "cap"), Parser._count),
    "first": (_keys("cases", "otherwise"), Parser._first),
    "best": (None, Parser._best),
    "value": (_keys("q", "min", "max"), Parser._value),
}
