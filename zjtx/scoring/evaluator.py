"""Evaluate one applicant against a rulebook: every criterion explained, then the verdict."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import (
    Confirmation,
    CriterionKind,
    CriterionResult,
    CriterionState,
    Evaluation,
    GroupScore,
    Verdict,
)
from zjtx.scoring.errors import UnknownNameError
from zjtx.scoring.quantities import EXACT, ZERO
from zjtx.scoring.rulebook import CriterionDef, Rulebook
from zjtx.scoring.rules import MANUAL, MET, NA, UNKNOWN, UNMET, Context, Points
from zjtx.scoring.size import classify_size

_ZERO = ZERO


def input_hash(values: Mapping[str, Any]) -> str:
    """Stable hash of an applicant's values (keys sorted; Decimals by their exact text)."""
    canonical = json.dumps(
        {k: v for k, v in sorted(values.items()) if v is not None},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


class _Run:
    """State of one evaluation: memoised criterion results and score intervals."""

    def __init__(
        self,
        rulebook: Rulebook,
        ctx: Context,
        confirmations: Mapping[str, Confirmation],
        settings: Mapping[str, bool],
    ) -> None:
        self.rulebook = rulebook
        self.ctx = ctx
        self.confirmations = confirmations
        self.settings = settings
        self.results: dict[str, CriterionResult] = {}
        self.points: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
        self.total: tuple[Decimal, Decimal] | None = None
        ctx.criterion = self.criterion
        ctx.score_interval = self.score_interval
        ctx.group_interval = self.group_interval

    def criterion(self, criterion_id: str) -> CriterionResult:
        result = self.results.get(criterion_id)
        if result is None:
            result = self.results[criterion_id] = self._evaluate(self.rulebook.by_id[criterion_id])
        return result

    def _scored(self, group: str | None = None) -> Iterable[CriterionDef]:
        return (
            c
            for c in self.rulebook.criteria
            if c.score is not None and (group is None or c.group == group)
        )

    def score_interval(self) -> tuple[Decimal, Decimal]:
        if self.total is None:
            low = high = _ZERO
            for c in self._scored():
                self.criterion(c.id)
                _p, lo, hi = self.points[c.id]
                low += lo
                high += hi
            self.total = (low, high)
        return self.total

    def group_interval(self, group: str) -> tuple[Decimal, Decimal]:
        low = high = _ZERO
        for c in self._scored(group):
            self.criterion(c.id)
            _p, lo, hi = self.points[c.id]
            low += lo
            high += hi
        return low, high

    def _not_applicable(self, c: CriterionDef) -> str | None:
        if c.enabled_by_setting is not None:
            setting = self.rulebook.settings[c.enabled_by_setting]
            if not self.settings.get(setting.name, setting.default):
                return f"本批次未启用“{setting.label}”"
        na = c.not_applicable
        if na is not None and self.ctx.application_type in na.application_types:
            if na.setting is None:
                return na.note
            setting = self.rulebook.settings[na.setting]
            if self.settings.get(setting.name, setting.default):
                return na.note
        return None

    def _evaluate(self, c: CriterionDef) -> CriterionResult:
        group = self.rulebook.groups[c.group]
        notes = list(c.notes)
        if c.unverified:
            notes.append(f"未核实：{c.unverified}")
        common = {
            "id": c.id,
            "title": c.title,
            "group": c.group,
            "group_title": group.title,
            "kind": c.kind,
            "requirement": c.requirement,
            "clause": c.clause,
            "source": c.source,
            "grade": c.grade,
            "unverified": bool(c.unverified),
            "judgement": c.judgement,
        }
        na_reason = self._not_applicable(c)
        if na_reason is not None:
            zero = Decimal(0) if c.score is not None else None
            if c.score is not None:
                self.points[c.id] = (_ZERO, _ZERO, _ZERO)
            return CriterionResult(
                **common,
                state=NA,
                observed=na_reason,
                points=zero,
                points_min=zero,
                points_max=zero,
                max_points=c.max_points,
                notes=tuple(notes),
            )
        if c.score is not None:
            return self._evaluate_score(c, common, notes)
        assert c.cond is not None
        outcome = c.cond.evaluate(self.ctx)
        state = outcome.state
        observed = "；".join(dict.fromkeys(p.observed for p in outcome.parts if p.observed))
        gap = "；".join(dict.fromkeys(outcome.gaps)) or None
        if state == UNKNOWN and outcome.missing:
            labels = "、".join(self._label(k) for k in outcome.missing)
            notes.append(f"缺少数据：{labels}")
        computed = state
        confirmation = self.confirmations.get(c.id)
        if confirmation is not None:
            state = confirmation.state
            notes.append(
                f"评审人 {confirmation.evaluator} 确认为“{state.label}”：{confirmation.reason}"
            )
        return CriterionResult(
            **common,
            state=state,
            observed=observed,
            gap=gap if state == UNMET else None,
            missing=outcome.missing if state == UNKNOWN else (),
            parts=tuple(outcome.parts),
            notes=tuple(notes),
            computed_state=computed if confirmation is not None else None,
            confirmation=confirmation,
        )

    def _evaluate_score(self, c: CriterionDef, common: dict, notes: list[str]) -> CriterionResult:
        assert c.score is not None
        pts: Points = c.score.evaluate(self.ctx)
        points, low, high, state = pts.points, pts.low, pts.high, pts.state
        computed = state
        confirmation = self.confirmations.get(c.id)
        if confirmation is not None:
            points = low = high = pts.high if confirmation.state == MET else pts.low
            state = confirmation.state
            notes.append(
                f"评审人 {confirmation.evaluator} 确认为“{state.label}”：{confirmation.reason}"
            )
        if state == UNKNOWN and pts.missing:
            notes.append("缺少数据：" + "、".join(self._label(k) for k in pts.missing))
        self.points[c.id] = (points, low, high)
        return CriterionResult(
            **common,
            state=state,
            observed=pts.observed,
            points=points,
            points_min=low,
            points_max=high,
            max_points=c.max_points,
            gap=pts.gap if state in (MET, UNMET) else None,
            missing=pts.missing if state == UNKNOWN else (),
            notes=tuple(notes),
            computed_state=computed if confirmation is not None else None,
            confirmation=confirmation,
        )

    def _label(self, key: str) -> str:
        qdef = self.rulebook.quantities.get(key)
        return qdef.label if qdef else key


def evaluate(
    applicant: Applicant,
    rulebook: Rulebook,
    *,
    round_date: date,
    confirmations: Iterable[Confirmation] = (),
    settings: Mapping[str, bool] | None = None,
) -> Evaluation:
    """Evaluate one applicant against one rulebook (with its overlay merged in, if any).

    Args:
        applicant: catalogue values; absent or None keys are unknown.
        rulebook: from load_rulebook / select_rulebook.
        round_date: the batch date; its year is the evaluation year (``_y1`` is the year before).
        confirmations: evaluator decisions per criterion id (judgement items and overrides).
        settings: round settings known to the rulebook (e.g. ``renewal_growth_waived``).
    """
    with localcontext(EXACT):
        return _evaluate(applicant, rulebook, round_date, confirmations, settings)


def _evaluate(
    applicant: Applicant,
    rulebook: Rulebook,
    round_date: date,
    confirmations: Iterable[Confirmation],
    settings: Mapping[str, bool] | None,
) -> Evaluation:
    settings = dict(settings or {})
    for name in settings:
        if name not in rulebook.settings:
            raise UnknownNameError("批次设置", name, rulebook.settings)
    values = applicant.values
    notes: list[str] = []
    application_type = values.get("application_type")
    if application_type not in ("new", "renewal"):
        application_type = "new"
        notes.append("未填申报类型，按新申报评价")
    by_id: dict[str, Confirmation] = {}
    for item in confirmations:
        if item.criterion_id not in rulebook.by_id:
            raise UnknownNameError("评价条目", item.criterion_id, rulebook.by_id)
        by_id[item.criterion_id] = item
    size = classify_size(values)
    ctx = Context(values, rulebook.quantities, size, application_type, settings, rulebook.pass_line)
    run = _Run(rulebook, ctx, by_id, settings)
    criteria = tuple(run.criterion(c.id) for c in rulebook.criteria)
    outcome = rulebook.verdict.evaluate(ctx)
    verdict = {
        MET: Verdict.QUALIFIED,
        UNMET: Verdict.NOT_QUALIFIED,
        NA: Verdict.QUALIFIED,
    }.get(outcome.state, Verdict.PENDING)
    reasons = _verdict_reasons(verdict, criteria, outcome.gaps)
    score = score_min = score_max = max_score = None
    groups: tuple[GroupScore, ...] = ()
    if rulebook.scored:
        total = sum((run.points[c.id][0] for c in run._scored()), _ZERO)
        low, high = run.score_interval()
        score, score_min, score_max = total, low, high
        max_score = rulebook.max_score
        group_list = []
        for group in rulebook.groups.values():
            members = list(run._scored(group.id))
            if not members:
                continue
            g_points = sum((run.points[c.id][0] for c in members), _ZERO)
            g_low, g_high = run.group_interval(group.id)
            group_list.append(
                GroupScore(
                    id=group.id,
                    title=group.title,
                    points=g_points,
                    points_min=g_low,
                    points_max=g_high,
                    max_points=rulebook.group_max(group.id),
                    minimum=group.minimum,
                )
            )
        groups = tuple(group_list)
    if size.sector_source == "industry_code":
        notes.append(f"划型行业未填，已按行业代码 {values.get('industry_code')} 推定")
    overlay = rulebook.overlay
    if overlay is not None and overlay.unverified:
        notes.append(f"省级规则 {overlay.id} 未核实：{overlay.unverified}")
    return Evaluation(
        name=applicant.name,
        uscc=applicant.uscc,
        rulebook=rulebook.id,
        rulebook_title=rulebook.title,
        rulebook_version=rulebook.version,
        rulebook_hash=rulebook.hash,
        overlay=overlay.id if overlay else None,
        tier=rulebook.tier,
        round_date=round_date,
        application_type=application_type,
        verdict=verdict,
        size_class=size.size_class,
        criteria=criteria,
        groups=groups,
        score=score,
        score_min=score_min,
        score_max=score_max,
        max_score=max_score,
        pass_line=rulebook.pass_line if rulebook.scored else None,
        input_hash=input_hash(values),
        notes=tuple(notes),
        verdict_reasons=reasons,
    )


def _verdict_reasons(
    verdict: Verdict, criteria: tuple[CriterionResult, ...], gaps: list[str]
) -> tuple[str, ...]:
    """Short Chinese reasons for the verdict: what failed, or what is still open."""
    deciding = [c for c in criteria if c.kind != CriterionKind.ROUTE]
    if verdict == Verdict.NOT_QUALIFIED:
        failed = [
            f"{c.id} {c.title}：{c.gap or c.observed}"
            for c in deciding
            if c.state == CriterionState.UNMET and c.kind == CriterionKind.REQUIREMENT
        ]
        return tuple(failed or gaps)
    if verdict == Verdict.PENDING:
        items = []
        for c in deciding:
            if c.state == UNKNOWN:
                items.append(f"{c.id} {c.title}：待补充数据")
            elif c.state == MANUAL:
                items.append(f"{c.id} {c.title}：待人工确认")
        return tuple(items)
    return ()
