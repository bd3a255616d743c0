"""Batch decisions: the opinion template filled per applicant, and each one's outcome."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from zjtx.domain.labels import Decision, ReviewStatus
from zjtx.domain.results import NOT_FAILING_KINDS, CriterionKind, CriterionState, Verdict
from zjtx.scoring.errors import did_you_mean
from zjtx.store.dto import ReviewState
from zjtx.store.errors import ReviewRuleError

# The placeholders of a batch opinion template, each filled per applicant from its review.
OPINION_PLACEHOLDERS: dict[str, str] = {
    "企业名称": "企业名称",
    "统一社会信用代码": "统一社会信用代码",
    "批次": "批次名称",
    "评价标准": "适用的评价标准",
    "评价结论": "符合条件 / 不符合条件 / 待定",
    "得分": "评价得分（不计分的标准为“不计分”）",
    "未满足条目": "不符合的条件（评价结论所依据的），如 “LG26-3 近两年研发费用”",
    "未满足原因": "不符合的条件及其差距",
    "待补充条目": "待补充数据的指标",
    "待人工确认条目": "待人工确认的指标",
    "待定条目": "待补充数据与待人工确认的指标",
}
NONE_TEXT = "无"


def template_placeholders(template: str) -> list[str]:
    """The placeholders a batch opinion template uses, in order (each once); ReviewRuleError
    names an unknown one (with the closest), a malformed brace or a format suffix."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        raise ReviewRuleError(
            "意见模板中的花括号不成对：占位符写成 {企业名称}，要写花括号本身请写 {{ 或 }}"
        ) from None
    names: list[str] = []
    for _text, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in OPINION_PLACEHOLDERS:
            hint = did_you_mean(name, OPINION_PLACEHOLDERS)
            raise ReviewRuleError(
                f"意见模板中的 {{{name}}} 不是可用的占位符"
                + (f"，您是不是要写 {{{hint}}}？" if hint else "")
                + "；可用："
                + "、".join(f"{{{n}}}" for n in OPINION_PLACEHOLDERS)
            )
        if spec or conversion:
            raise ReviewRuleError(f"占位符 {{{name}}} 后不能带格式说明，请只写 {{{name}}}")
        if name not in names:
            names.append(name)
    return names


def _criteria_text(criteria: list[dict[str, Any]], *states: str, gaps: bool = False) -> str:
    # The criteria an opinion names, as the verdict's reasons do: a 直通 alternative or a note
    # never fails or holds up a verdict by itself, and a scored item unmet only lowers the score.
    failing = CriterionState.UNMET in states
    parts = []
    for c in criteria:
        kind = c.get("kind", CriterionKind.REQUIREMENT)
        if c["state"] not in states or kind in NOT_FAILING_KINDS:
            continue
        if failing and kind != CriterionKind.REQUIREMENT:
            continue
        text = f"{c['id']} {c['title']}"
        if gaps and c.get("gap"):
            text += f"（{c['gap']}）"
        parts.append(text)
    return "；".join(parts) or NONE_TEXT


def placeholder_values(state: ReviewState) -> dict[str, str]:
    """What each placeholder of OPINION_PLACEHOLDERS stands for in one applicant's review."""
    return placeholder_values_of(
        state.name, state.uscc, state.round_name, state.verdict, state.evaluation or {}
    )


def placeholder_values_of(
    name: str, uscc: str, round_name: str, verdict: str | None, result: dict[str, Any]
) -> dict[str, str]:
    """What each placeholder stands for, given the applicant and its evaluation's result."""
    criteria = result.get("criteria", [])
    score = result.get("score")
    unmet, unknown, manual = CriterionState.UNMET, CriterionState.UNKNOWN, CriterionState.MANUAL
    return {
        "企业名称": name,
        "统一社会信用代码": uscc,
        "批次": round_name,
        "评价标准": result.get("rulebook_title") or result.get("rulebook") or "—",
        "评价结论": Verdict.label_of(verdict, "未评价"),
        "得分": "不计分" if score is None else f"{score} 分",
        "未满足条目": _criteria_text(criteria, unmet),
        "未满足原因": _criteria_text(criteria, unmet, gaps=True),
        "待补充条目": _criteria_text(criteria, unknown),
        "待人工确认条目": _criteria_text(criteria, manual),
        "待定条目": _criteria_text(criteria, unknown, manual),
    }


# A placeholder as typed, not the escaped {{企业名称}} a batch template writes to mean braces.
_KNOWN_PLACEHOLDER = re.compile(
    r"(?<!\{)\{(" + "|".join(map(re.escape, OPINION_PLACEHOLDERS)) + r")\}(?!\})"
)


def fill_typed_placeholders(text: str, values: dict[str, str]) -> str:
    """An opinion typed for one applicant, its placeholders of the batch templates
    ({企业名称}, {未满足条目}) filled from ``values`` (placeholder_values_of); other braces,
    and placeholders written escaped ({{企业名称}}), stay as typed."""
    return _KNOWN_PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def fill_opinion(template: str, state: ReviewState) -> str:
    """A batch opinion template filled for one applicant (ReviewRuleError for a bad template)."""
    template_placeholders(template)
    return template.format_map(placeholder_values(state)).strip()


@dataclass(frozen=True, slots=True)
class BatchItem:
    """What a batch decision did to one applicant: ``decided``, ``conflict`` (someone else
    changed its review since it was chosen: skipped), ``decided_before`` (it already had a
    decision: left as it was), ``refused`` (the decision is not allowed for it) or ``skipped``
    (the batch was cancelled before it)."""

    uscc: str
    name: str
    outcome: str
    message: str = ""
    opinion: str = ""
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "outcome": self.outcome,
            "outcome_label": BATCH_OUTCOMES[self.outcome],
            "message": self.message,
            "opinion": self.opinion,
            "version": self.version,
        }


BATCH_OUTCOMES = {
    "decided": ReviewStatus.DECIDED.label,
    "conflict": "已被他人修改，跳过",
    "decided_before": "已有决定，未改动",
    "refused": "不能作此决定",
    "skipped": "已取消，未处理",
}


@dataclass(frozen=True, slots=True)
class BatchResult:
    """A batch decision applicant by applicant, in the order they were given."""

    round_name: str
    decision: str
    items: tuple[BatchItem, ...] = field(default_factory=tuple)

    def of(self, outcome: str) -> list[BatchItem]:
        return [i for i in self.items if i.outcome == outcome]

    @property
    def decided(self) -> list[BatchItem]:
        return self.of("decided")

    @property
    def not_decided(self) -> list[BatchItem]:
        return [i for i in self.items if i.outcome != "decided"]

    def summary(self) -> str:
        """One Chinese sentence: how many were decided and why others were not."""
        label = Decision.label_of(self.decision)
        text = f"已对 {len(self.decided)} 家企业作出“{label}”决定"
        others = [
            f"{BATCH_OUTCOMES[o]} {len(self.of(o))} 家"
            for o in BATCH_OUTCOMES
            if o != "decided" and self.of(o)
        ]
        return text + ("；" + "，".join(others) if others else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "decision": self.decision,
            "decision_label": Decision.label_of(self.decision),
            "decided": len(self.decided),
            "not_decided": len(self.not_decided),
            "summary": self.summary(),
            "items": [i.to_dict() for i in self.items],
        }
