"""Evaluate one applicant against a rulebook: decide every criterion, then explain on demand.

Evaluation runs in two steps over the same context. Deciding computes each criterion's state
and points and the verdict; explaining renders the observed values, parts and gaps in Chinese.
The decision is made at once; the explanation of a criterion is rendered the first time the
caller reads ``Evaluation.criteria`` and is then kept. Both steps read the same cached
quantities, so what is shown is exactly what was decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal, localcontext
from typing import Any, overload
from weakref import ref

from zjtx.domain.applicant import Applicant, values_hash
from zjtx.domain.labels import declared_type
from zjtx.domain.results import (
    NOT_FAILING_KINDS,
    Confirmation,
    CriterionKind,
    CriterionResult,
    CriterionState,
    Evaluation,
    GroupScore,
    Verdict,
    slots_constructor,
    state_shown,
)
from zjtx.scoring.context import MANUAL, MET, NA, UNKNOWN, UNMET, Context, repeating_field
from zjtx.scoring.definitions import CriterionDef, Rulebook
from zjtx.scoring.errors import UnknownNameError
from zjtx.scoring.notices import notice_records, setting_records
from zjtx.scoring.quantities import EXACT, ZERO
from zjtx.scoring.size import classify_size, load_size_standard

input_hash = values_hash  # the scoring API's name for it
_criterion_result = slots_constructor(CriterionResult)
# Evaluation(...) with every field given, without the frozen class's setattr per field.
_evaluation = slots_constructor(Evaluation)


# Said of an applicant of no 申报类型, evaluated as 新申报 (api.score_applicant says more).
NO_TYPE_NOTE = "未填申报类型，按新申报评价"


class Decision:
    """The decided part of a criterion: state and points, before any text is rendered."""

    __slots__ = (
        "computed",
        "confirmation",
        "high",
        "low",
        "na_reason",
        "points",
        "state",
    )

    def __init__(
        self,
        state: CriterionState,
        points: Decimal | None = None,
        low: Decimal | None = None,
        high: Decimal | None = None,
        computed: CriterionState | None = None,
        confirmation: Confirmation | None = None,
        na_reason: str | None = None,
    ) -> None:
        self.state = state
        self.points = points
        self.low = low
        self.high = high
        self.computed = computed
        self.confirmation = confirmation
        self.na_reason = na_reason


class _Run:
    """One applicant against one rulebook: memoised decisions, explanations and intervals."""

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
        self.settings_key = tuple(sorted(settings.items())) if settings else ()
        self.deciders = rulebook.deciders
        self.decisions: dict[str, Decision] = {}
        self.results: dict[str, CriterionResult] = {}
        self.groups: dict[str | None, list[Decimal]] | None = None
        self.sums: list[Decimal] | None = None
        # The context reaches back to its run only through a weak reference: a run and its
        # context then form no reference cycle, so an evaluation and everything it decided
        # are freed as soon as it is dropped, not at the next garbage collection (which, in
        # an import of thousands, walks every object alive).
        run = ref(self)
        ctx.criterion = lambda criterion_id: run().decide(criterion_id)
        ctx.explained = lambda criterion_id: run().explain(criterion_id)
        ctx.decided = self.decisions
        ctx.score_interval = lambda: run().score_interval()
        ctx.group_interval = lambda group: run().group_interval(group)

    # -- deciding ------------------------------------------------------------------------------

    def decide(self, criterion_id: str) -> Decision:
        decision = self.decisions.get(criterion_id)
        if decision is None:
            c = self.rulebook.by_id[criterion_id]
            if self.confirmations or c.conditional:
                ctx = self.ctx
                # Another criterion's confirmation is not ours.
                previous, ctx.judged = ctx.judged, None
                try:
                    decision = self._decide(c)
                finally:
                    ctx.judged = previous
            else:
                scored, decide = self.deciders[criterion_id]
                if scored:
                    state, points, low, high = decide(self.ctx)
                    decision = Decision(state, points, low, high)
                else:
                    decision = Decision(decide(self.ctx))
            self.decisions[criterion_id] = decision
        return decision

    def decide_all(self) -> None:
        """Decide every criterion (Rulebook.decide_order). Without confirmations, each
        criterion's decider is called here directly: deciding is half of what an import or a
        rescore of thousands pays, and decide() per criterion was a tenth of it."""
        decisions = self.decisions
        order = self.rulebook.order or self.rulebook.decide_order()
        if self.confirmations:
            for cid, _scored, _decider in order:
                if cid not in decisions:
                    self.decide(cid)
            return
        ctx = self.ctx
        for cid, scored, decider in order:
            if cid in decisions:  # decided already, for a criterion reading it
                continue
            if decider is None:
                self.decide(cid)
            elif scored:
                state, points, low, high = decider(ctx)
                decisions[cid] = Decision(state, points, low, high)
            else:
                decisions[cid] = Decision(decider(ctx))

    def _decide(self, c: CriterionDef) -> Decision:
        if c.conditional:
            na_reason = self._not_applicable(c)
            if na_reason is not None:
                zero = ZERO if c.score is not None else None
                return Decision(NA, zero, zero, zero, na_reason=na_reason)
        confirmation = self.confirmations.get(c.id) if self.confirmations else None
        state, points, low, high = self._decide_with(c, None)
        if confirmation is None:
            return Decision(state, points, low, high)
        if not confirmation.override and _judges(c, state):
            # A judgement item confirmed by an evaluator: the confirmation decides the
            # judgement parts only; hard facts in the same criterion (a share below 10 %, a
            # large enterprise, a 单项冠军 title) still decide as computed.
            judged, points, low, high = self._decide_with(c, confirmation.state)
            return Decision(judged, points, low, high, state, confirmation)
        if c.score is not None:
            # An override of a computed item: the evaluator decides it outright. 不符合 earns
            # the rule's least points (a 不符合 that kept 20 points would count in the total);
            # 符合 keeps what the data earns, or the most an open item could.
            value = high if confirmation.state == MET else c.score.bounds()[0]
            return Decision(confirmation.state, value, value, value, state, confirmation)
        return Decision(confirmation.state, computed=state, confirmation=confirmation)

    def _decide_with(self, c: CriterionDef, judged: CriterionState | None) -> tuple:
        """(state, points, low, high) by the criterion's decider, with ``judged`` as the
        evaluator's confirmation of its judgement parts."""
        ctx = self.ctx
        previous, ctx.judged = ctx.judged, judged
        try:
            scored, decide = self.deciders[c.id]
            if scored:
                return decide(ctx)
            return (decide(ctx), None, None, None)
        finally:
            ctx.judged = previous

    def _scored(self, ids: list[str]) -> list[Decimal]:
        """[points, low, high] summed over the given scored criteria."""
        decide, decisions = self.decide, self.decisions
        ds = [decisions.get(cid) or decide(cid) for cid in ids]
        return [
            sum([d.points for d in ds], ZERO),
            sum([d.low for d in ds], ZERO),
            sum([d.high for d in ds], ZERO),
        ]

    def total(self) -> list[Decimal]:
        """[points, low, high] of the whole score."""
        if self.sums is None:
            self.sums = self._scored(self.rulebook.scored_ids)
        return self.sums

    def _intervals(self) -> dict[str | None, list[Decimal]]:
        """[points, low, high] per scored group, and for the total under the key None (the
        groups are summed only when asked for: most rulebooks have no group minimum)."""
        if self.groups is None:
            groups: dict[str | None, list[Decimal]] = {
                group: self._scored(ids) for group, ids in self.rulebook.scored_groups.items()
            }
            groups[None] = self.total()
            self.groups = groups
        return self.groups

    def score_interval(self) -> tuple[Decimal, Decimal]:
        _points, low, high = self.total()
        return low, high

    def group_interval(self, group: str) -> tuple[Decimal, Decimal]:
        sums = self._intervals().get(group)
        return (sums[1], sums[2]) if sums else (ZERO, ZERO)

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

    # -- explaining ----------------------------------------------------------------------------

    def explain(self, criterion_id: str) -> CriterionResult:
        result = self.results.get(criterion_id)
        if result is not None:
            return result
        kept = self.rulebook.explanations.get(criterion_id)
        if kept is None:
            kept = self.rulebook.explanations[criterion_id] = _kept_by(self.rulebook, criterion_id)
        if kept is False or criterion_id in self.confirmations:
            result = self._render(criterion_id)
        else:
            # Rendered once per set of the values it reads (its own confirmation, which only
            # this applicant has, is rendered apart); by class too: True, 1 and Decimal(1) are
            # equal keys but read differently.
            names, guards, table, trial = kept
            values = self.ctx.values
            if guards and any(guard(self.ctx) is not UNMET for guard in guards):
                # A guard holds (or may): its case is said, with what it reads.
                self.results[criterion_id] = result = self._render(criterion_id)
                return result
            if len(names) == 1:
                value = values.get(names[0])
                key: tuple[Any, ...] = (
                    self.ctx.application_type, self.settings_key, value, value.__class__
                )  # fmt: skip
            else:
                values_read = tuple(map(values.get, names))
                key = (
                    self.ctx.application_type, self.settings_key, values_read,
                    tuple(map(type, values_read)),
                )  # fmt: skip
            result = table.get(key)
            if trial is not None:
                _tried(self.rulebook.explanations, criterion_id, kept, result is not None)
            if result is None:
                result = self._render(criterion_id)
                if len(table) < KEPT_PER_CRITERION:
                    table[key] = result
        self.results[criterion_id] = result
        return result

    def _render(self, criterion_id: str) -> CriterionResult:
        ctx = self.ctx
        top = ctx.top
        if not self.confirmations:
            try:
                return self._explain(criterion_id)
            finally:
                ctx.top = top
        c = self.rulebook.by_id[criterion_id]
        confirmation = self.confirmations.get(criterion_id)
        judged = (
            confirmation.state
            if confirmation is not None and self._judging(c, self.decide(criterion_id))
            else None
        )
        previous, ctx.judged = ctx.judged, judged
        try:
            return self._explain(criterion_id)
        finally:
            ctx.judged, ctx.top = previous, top

    def _judging(self, c: CriterionDef, decision: Decision) -> bool:
        """_judges for a decision made (a confirmed one's state is the evaluator's; an
        override judges nothing, it decides)."""
        confirmation = decision.confirmation
        if confirmation is None:
            return _judges(c, decision.state)
        return not confirmation.override and _judges(c, decision.computed)

    def _explain(self, cid: str) -> CriterionResult:
        decision = self.decisions.get(cid) or self.decide(cid)
        rulebook = self.rulebook
        explainer = rulebook.explainers.get(cid)
        if explainer is None:
            explainer = rulebook.explainers[cid] = _explainer(rulebook, cid)
        confirmation = decision.confirmation
        if confirmation is None and decision.na_reason is None:
            return explainer(self.ctx, decision)
        c = rulebook.by_id[cid]
        judgement = self._judging(c, decision) if c.guarded else c.judgement
        head = rulebook.result_heads[cid]
        if decision.na_reason is not None:
            return _result(head, decision, decision.na_reason, judgement, None, (), (), head[12])
        # The explanation renders what the criterion's decider decides: for an override, the
        # computed state under the evaluator's decision (said to be overridden, with no way
        # to earn what was refused or granted); otherwise the decision made.
        reuse = judgement and not confirmation.override
        result = explainer(self.ctx, decision, reuse)
        own = len(head[12])
        notes = (
            *result.notes[:own],
            f"评审人 {confirmation.evaluator} 确认为“{state_shown(confirmation.state, head[4])}”："
            f"{confirmation.reason}",
            *result.notes[own:],
        )
        observed, gap = result.observed, result.gap
        if not reuse:
            observed = f"{observed}（按申报数据计算；评审人改判为“{decision.state.label}”）"
            gap = None
        return _result(
            head, decision, observed, judgement, gap, result.missing, result.parts, notes
        )


def _result(
    head: tuple[Any, ...],
    decision: Decision,
    observed: str,
    judgement: bool,
    gap: str | None,
    missing: tuple[str, ...],
    parts: tuple[Any, ...],
    notes: tuple[str, ...],
) -> CriterionResult:
    """A criterion's result from the rulebook's part of it (Rulebook.result_heads) and the
    decision with what is said of it."""
    (cid, title, group, group_title, kind, requirement, clause, source, grade, unverified,
     _judgement, max_points, *_rest) = head  # fmt: skip
    return _criterion_result(
        cid, title, group, group_title, kind, decision.state, observed, requirement, clause,
        source, grade, unverified, judgement, decision.points, decision.low, decision.high,
        max_points, gap, missing, parts, notes, decision.computed, decision.confirmation,
    )  # fmt: skip


def _explainer(rulebook: Rulebook, cid: str) -> Callable[..., CriterionResult]:
    """The function rendering a criterion's result from the context and its decision, with
    the rulebook's part of the result bound once: what the criterion's node says of the
    decision, its parts, gap and missing data (``reuse``: the node takes the decided state
    from ctx.top; an override's explanation is decided again from the data). A confirmation
    or a reason it does not apply is added by _Run._explain."""
    (cid, title, group, group_title, kind, requirement, clause, source, grade, unverified,
     judgement, max_points, notes, score, cond, _reasons) = rulebook.result_heads[cid]  # fmt: skip
    guarded = judgement and rulebook.by_id[cid].guarded
    quantities = rulebook.quantities

    def with_missing(missing: tuple[str, ...]) -> tuple[str, ...]:
        labels = [qdef.label if (qdef := quantities.get(k)) else k for k in missing]
        return (*notes, "缺少数据：" + "、".join(labels))

    if score is not None:

        def scored(ctx: Context, d: Decision, reuse: bool = True) -> CriterionResult:
            state = d.state
            if reuse:
                ctx.top = (score, (state, d.points, d.low, d.high))
            pts = score.explain(ctx)
            missing = pts.missing if state is UNKNOWN else ()
            gap = pts.gap if state is MET or state is UNMET else None
            return _criterion_result(
                cid, title, group, group_title, kind, state, pts.observed, requirement,
                clause, source, grade, unverified,
                (state is MANUAL) if guarded else judgement, d.points, d.low, d.high,
                max_points, gap, missing, (), with_missing(missing) if missing else notes,
                None, None,
            )  # fmt: skip

        return scored

    def required(ctx: Context, d: Decision, reuse: bool = True) -> CriterionResult:
        state = d.state
        if reuse:
            ctx.top = (cond, state)
        outcome = cond.explain(ctx)
        missing = outcome.missing if state is UNKNOWN else ()
        parts = outcome.parts
        if len(parts) == 1:
            observed = parts[0].observed
        else:
            observed = "；".join(dict.fromkeys([p.observed for p in parts if p.observed]))
        gap = None
        if state is UNMET:
            gaps = outcome.gaps
            gap = (gaps[0] if len(gaps) == 1 else "；".join(dict.fromkeys(gaps))) or None
        return _criterion_result(
            cid, title, group, group_title, kind, state, observed, requirement,
            clause, source, grade, unverified,
            (state is MANUAL) if guarded else judgement, None, None, None,
            max_points, gap, missing, tuple(parts), with_missing(missing) if missing else notes,
            None, None,
        )  # fmt: skip

    return required


# The most explanations kept per criterion: the few values a yes/no, option, rank or count
# takes in a round fit many times over, as do amounts kept after their trial (mostly 0);
# what does not fit is rendered each time.
KEPT_PER_CRITERION = 2048


def _kept_by(rulebook: Rulebook, criterion_id: str) -> tuple[Any, ...] | bool:
    """How an explanation of the criterion is kept: (the field names it is kept by, the
    deciders of its guards (kept only while every guard fails: Cond.kept_reads), its table of
    kept explanations, its trial); False when it reads more than the applicant's fields and
    the type (another criterion, the score, the size class).

    An explanation reading only repeating fields is kept always. One reading an amount, a
    head count or a share is kept on trial ([lookups, hits]): such a figure is often 0 (no
    股权融资) or the same across a round, but most are not, and then keeping costs more than it
    saves (_tried ends the trial)."""
    c = rulebook.by_id[criterion_id]
    node = c.score if c.score is not None else c.cond
    if node is None:
        return False
    fields = _fields_read(rulebook, node.reads())
    if fields is not None and fields[1]:
        return fields[0], (), {}, None
    # An amount read only by guards: kept all the same while they fail.
    found = node.kept_reads()
    if found is not None and found[1]:
        guarded = _fields_read(rulebook, found[0])
        if guarded is not None:
            guards = tuple({id(guard): guard.decider() for guard in found[1]}.values())
            return guarded[0], guards, {}, None if guarded[1] else [0, 0]
    if fields is None:
        return False
    return fields[0], (), {}, [0, 0]


# Lookups a criterion kept on trial is given, and the share of them that must have found an
# explanation kept, for it to be kept from then on (else it is rendered each time).
TRIAL_LOOKUPS = 256
TRIAL_HITS = 4  # one in four


def _tried(explanations: dict[str, Any], criterion_id: str, kept: tuple, hit: bool) -> None:
    """Count a lookup of a criterion kept on trial; at the end of the trial, keep it for good
    or stop keeping it."""
    trial = kept[3]
    trial[0] += 1
    trial[1] += hit
    if trial[0] >= TRIAL_LOOKUPS:
        keeps = trial[1] * TRIAL_HITS >= trial[0]
        explanations[criterion_id] = (*kept[:3], None) if keeps else False


def _fields_read(
    rulebook: Rulebook, reads: frozenset[str] | None
) -> tuple[tuple[str, ...], bool] | None:
    """The fields behind the quantities read, and whether all are repeating fields; None
    where a quantity reads more than fields and the type (the size class reads amounts)."""
    if reads is None:
        return None
    defs = rulebook.quantities.defs
    fields: set[str] = set()
    repeating = True
    pending = list(reads)
    while pending:
        qdef = defs[pending.pop()]
        if qdef.kind == "field":
            spec = qdef.spec
            if spec is None:
                return None
            repeating = repeating and repeating_field(spec)
            fields.add(qdef.name)
        elif qdef.kind == "builtin":
            if qdef.name != "application_type":
                return None
        else:
            pending.extend(qdef.inputs)
            if qdef.alt is not None:
                pending.append(qdef.alt[1])
    return tuple(sorted(fields)), repeating


def _judges(c: CriterionDef, computed: CriterionState | None) -> bool:
    """Whether the criterion is a judgement item for an applicant whose data decides it
    ``computed``: always, or (guarded) where its data left it open. A confirmation then
    decides its judgement parts; elsewhere an evaluator's decision overrides it."""
    return c.judgement and (not c.guarded or computed is MANUAL)


class _Rendered(Sequence[Any]):
    """A tuple rendered from a run on first access and then kept (what is shown is lazy; what
    is decided is not)."""

    __slots__ = ("_items", "_run")

    def __init__(self, run: _Run) -> None:
        self._run = run
        self._items: tuple[Any, ...] | None = None

    def _render(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def _all(self) -> tuple[Any, ...]:
        if self._items is None:
            with localcontext(EXACT):
                self._items = self._render()
        return self._items

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...
    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Rendered | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process (a report worker) as the plain tuple it renders to.
        return (tuple, (self._all(),))


class CriterionResults(_Rendered):
    """The criteria of one evaluation, explained on first access and then kept.

    States are available without rendering any text (``states``), which is what a table of
    thousands of applicants needs.
    """

    __slots__ = ()

    def _render(self) -> tuple[CriterionResult, ...]:
        run = self._run
        explain = run.explain
        return tuple([explain(c.id) for c in run.rulebook.criteria])

    @property
    def states(self) -> dict[str, CriterionState]:
        """Each criterion's state, in the rulebook's order (not the order they were decided)."""
        decisions = self._run.decisions
        return {c.id: decisions[c.id].state for c in self._run.rulebook.criteria}

    @property
    def kinds(self) -> dict[str, CriterionKind]:
        """Each criterion's kind, without rendering any text."""
        return {c.id: c.kind for c in self._run.rulebook.criteria}

    def points_range(self, criterion_id: str) -> tuple[Decimal | None, Decimal | None]:
        """The lowest and highest points a criterion can end with, as decided, without
        rendering any text (None, None for an unscored one)."""
        decision = self._run.decide(criterion_id)
        return decision.low, decision.high

    def __len__(self) -> int:
        return len(self._run.rulebook.criteria)

    def __repr__(self) -> str:
        return f"CriterionResults({len(self)} criteria of {self._run.rulebook.display_id})"


class GroupScores(_Rendered):
    """Points per scored group, built on first access from the decided intervals."""

    __slots__ = ()

    def _render(self) -> tuple[GroupScore, ...]:
        run = self._run
        rulebook = run.rulebook
        sums = run._intervals()
        return tuple(
            GroupScore(
                id=group.id,
                title=group.title,
                points=sums[group.id][0],
                points_min=sums[group.id][1],
                points_max=sums[group.id][2],
                max_points=rulebook.group_maxima[group.id],
                minimum=group.minimum,
            )
            for group in rulebook.groups.values()
            if group.id in sums
        )


class VerdictReasons(_Rendered):
    """Short Chinese reasons for a verdict: the failed requirements with their gap, or what is
    still open; rendered on first access."""

    __slots__ = ("_verdict",)

    def __init__(self, run: _Run, verdict: Verdict) -> None:
        super().__init__(run)
        self._verdict = verdict

    def _render(self) -> tuple[str, ...]:
        return _verdict_reasons(self._verdict, self._run)


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
    # A copy: explanations are rendered later from these values, whatever the caller does next.
    values = dict(applicant.values)
    notes: list[str] = []
    application_type = declared_type(values.get("application_type"))
    if application_type is None:
        application_type = "new"
        notes.append(NO_TYPE_NOTE)
    by_id: dict[str, Confirmation] = {}
    for item in confirmations:
        if item.criterion_id not in rulebook.by_id:
            raise UnknownNameError("评价条目", item.criterion_id, rulebook.by_id)
        by_id[item.criterion_id] = item
    size = classify_size(values)
    ctx = Context(
        values,
        rulebook.quantities,
        size,
        application_type,
        settings,
        rulebook.pass_line,
        rulebook.threshold_edges(),
    )
    run = _Run(rulebook, ctx, by_id, settings)
    run.decide_all()
    state = (rulebook.verdict_decider or rulebook.verdict.decider())(ctx)
    verdict = (
        Verdict.QUALIFIED
        if state in (MET, NA)
        else Verdict.NOT_QUALIFIED
        if state == UNMET
        else Verdict.PENDING
    )
    score = score_min = score_max = max_score = None
    groups: tuple[GroupScore, ...] = ()
    if rulebook.scored:
        score, score_min, score_max = run.total()
        max_score = rulebook.max_score
        groups = GroupScores(run)  # type: ignore[assignment]
    if size.sector_source == "industry_code":
        notes.append(f"划型行业未填，已按行业代码 {values.get('industry_code')} 推定")
    elif size.sector and values.get("industry_code"):
        implied = load_size_standard().sector_for_code(str(values["industry_code"]))
        if implied and implied != size.sector:
            notes.append(
                f"划型行业“{size.sector}”与行业代码 {values['industry_code']} 推定的“{implied}”"
                "不一致，已按填写的划型行业判定，请核对"
            )
    overlay = rulebook.overlay
    if overlay is not None and overlay.unverified:
        notes.append(f"省级规则 {overlay.id} 未核实：{overlay.unverified}")
    return _evaluation(
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
        criteria=CriterionResults(run),
        groups=groups,
        score=score,
        score_min=score_min,
        score_max=score_max,
        max_score=max_score,
        pass_line=rulebook.pass_line if rulebook.scored else None,
        notes=tuple(notes),
        verdict_reasons=() if verdict == Verdict.QUALIFIED else VerdictReasons(run, verdict),
        inputs=values,
        notices=notice_records(rulebook) if rulebook.notices else (),
        settings=setting_records(rulebook, settings) if settings or rulebook.notices else (),
    )


def _verdict_reasons(verdict: Verdict, run: _Run) -> tuple[str, ...]:
    """Short Chinese reasons: the failed requirements with their gap, or what is still open."""
    if verdict == Verdict.QUALIFIED:
        return ()
    reasons = []
    heads, decisions = run.rulebook.result_heads, run.decisions
    failing = verdict == Verdict.NOT_QUALIFIED
    for c in run.rulebook.criteria:
        if c.kind in NOT_FAILING_KINDS:
            continue
        state = decisions[c.id].state
        # The reasons' texts are the rulebook's (result_heads), not built per applicant.
        if failing:
            if state == UNMET and c.kind == CriterionKind.REQUIREMENT:
                result = run.explain(c.id)
                reasons.append(heads[c.id][15][0] + (result.gap or result.observed))
        elif state == UNKNOWN:
            reasons.append(heads[c.id][15][1])
        elif state == MANUAL:
            reasons.append(heads[c.id][15][2])
    return tuple(reasons)
