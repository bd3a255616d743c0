"""The rule-language parser: one table row per form, each with its allowed keys and builder.

Rulebook files (YAML) describe every criterion with conditions and point rules; nothing in a
data file is ever executed. Parsing validates names against the field catalogue and the
derived quantities and fails with the file, the rule id and a "did you mean".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from zjtx.domain.fields import FieldType
from zjtx.scoring.conditions import (
    AllOf,
    AnyOf,
    Between,
    Cases,
    Compare,
    Cond,
    CriterionRef,
    GroupAtLeast,
    InSet,
    Is,
    Manual,
    ScoreAtLeast,
)
from zjtx.scoring.conditions_extra import build_known
from zjtx.scoring.context import QuantityDef, QuantityTable
from zjtx.scoring.errors import DataFileError, did_you_mean
from zjtx.scoring.points import Bands, BestOf, Count, FieldPoints, FirstMatch, Options, Score
from zjtx.scoring.quantities import COMPARISONS

_OPS = ("ge", "gt", "le", "lt", "eq", "between", "is", "in")


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

    def _check_keys(self, data: Mapping, allowed: frozenset[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                raise self.error(f"{where}的未知属性 “{key}”", did_you_mean(str(key), allowed))

    # -- conditions ----------------------------------------------------------------------------

    def cond(self, data: Any) -> Cond:
        if not isinstance(data, dict):
            raise self.error(f"条件应为映射，收到 {data!r}")
        forms = [k for k in COND_FORMS if k in data]
        if len(forms) != 1:
            keys = ", ".join(map(str, data))
            guess = next((did_you_mean(str(k), COND_FORMS) for k in data if k not in _OPS), None)
            raise self.error(
                f"无法识别的条件（{keys}）；应含且只含 {'/'.join(COND_FORMS)} 之一", guess
            )
        allowed, build = COND_FORMS[forms[0]]
        self._check_keys(data, allowed, "条件中")
        return build(self, data, forms[0])

    def _junction(self, data: dict, form: str) -> Cond:
        items = data[form]
        if not isinstance(items, list) or not items:
            raise self.error(f"{form} 须为非空列表")
        parsed = [self.cond(i) for i in items]
        return (AllOf if form == "all" else AnyOf)(parsed, data.get("text"))

    def _cases(self, data: dict, form: str) -> Cond:
        cases = []
        for item in data["cases"]:
            if not isinstance(item, dict) or set(item) != {"when", "then"}:
                raise self.error("cases 的每一项须含 when 与 then")
            cases.append((self.cond(item["when"]), self.cond(item["then"])))
        otherwise = self.cond(data["otherwise"]) if "otherwise" in data else None
        return Cases(cases, otherwise, data.get("text"))

    def _criterion(self, data: dict, form: str) -> Cond:
        ref = str(data["criterion"])
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
        return ScoreAtLeast(self.number(raw, "score_at_least"))

    def _group_at_least(self, data: dict, form: str) -> Cond:
        spec = data["group_at_least"]
        if not isinstance(spec, dict) or set(spec) != {"group", "points"}:
            raise self.error("group_at_least 须写 {group: 分组, points: 分数}")
        group = str(spec["group"])
        if group not in self.groups:
            raise self.error(f"未知分组 “{group}”", did_you_mean(group, self.groups))
        return GroupAtLeast(group, self.groups[group], self.number(spec["points"], "points"))

    def _manual(self, data: dict, form: str) -> Cond:
        return Manual(str(data["manual"]))

    def _leaf(self, data: dict, form: str) -> Cond:
        qdef = self.quantity(data["q"])
        ops = [k for k in _OPS if k in data]
        if len(ops) != 1:
            raise self.error(f"条件须且只能写一种比较：{'/'.join(_OPS)}")
        op = ops[0]
        judgement = bool(data.get("judgement", False))
        text = data.get("text")
        raw = data[op]
        leaf = self._test(qdef, op, raw, judgement, text)
        if data.get("unknown"):
            leaf.unknown_text = str(data["unknown"])
        return leaf

    def _test(self, qdef: QuantityDef, op: str, raw: Any, judgement: bool, text: Any):
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
            return ["large", "medium", "small", "micro", "not_covered"]
        if qdef.name == "application_type":
            return ["new", "renewal"]
        if qdef.spec is None or qdef.spec.type != FieldType.ENUM:
            raise self.error(f"“{qdef.name}”不是枚举字段，不能用 in")
        return [code for code, _ in qdef.spec.options]

    # -- point rules ---------------------------------------------------------------------------

    def score(self, data: Any) -> Score:
        if not isinstance(data, dict) or len(data) != 1:
            raise self.error(f"计分规则须为单键映射（{'/'.join(SCORE_FORMS)}），收到 {data!r}")
        ((form, body),) = data.items()
        if form not in SCORE_FORMS:
            raise self.error(f"未知计分规则 “{form}”", did_you_mean(str(form), SCORE_FORMS))
        allowed, build = SCORE_FORMS[form]
        if allowed is not None:
            if not isinstance(body, dict):
                raise self.error(f"{form} 须为映射")
            self._check_keys(body, allowed, f"{form} ")
        return build(self, body, form)

    def _options(self, body: dict, form: str) -> Score:
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

    def _count(self, body: dict, form: str) -> Score:
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

    def _first(self, body: dict, form: str) -> Score:
        cases = []
        for item in body.get("cases", []):
            cases.append((self.cond(item["when"]), self.number(item["points"], "points")))
        if not cases:
            raise self.error("first 须写 cases: [{when, points}, ...]")
        return FirstMatch(cases, self.number(body.get("otherwise", 0), "otherwise"))

    def _best(self, body: Any, form: str) -> Score:
        if not isinstance(body, list) or len(body) < 2:
            raise self.error("best 须列出至少两个计分规则")
        return BestOf([self.score(i) for i in body])

    def _value(self, body: dict, form: str) -> Score:
        qdef = self.quantity(body.get("q"))
        if not qdef.numeric:
            raise self.error(f"“{qdef.name}”不是数值指标")
        return FieldPoints(
            qdef, self.number(body.get("min", 0), "min"), self.number(body.get("max"), "max")
        )

    def _bands(self, body: dict, form: str) -> Score:
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


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


CondBuilder = Callable[[Parser, dict, str], Cond]
ScoreBuilder = Callable[[Parser, Any, str], Score]

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
