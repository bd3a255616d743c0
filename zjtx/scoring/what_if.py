"""What another rulebook, overlay or setting would do to a set of evaluations (pure diff)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from zjtx.domain.labels import CriterionState, Verdict
from zjtx.domain.results import NOT_FAILING_KINDS, Confirmation
from zjtx.domain.results import Evaluation as DomainEvaluation

FAILING = (CriterionState.UNMET, CriterionState.UNKNOWN, CriterionState.MANUAL)
PASSING = (CriterionState.MET, CriterionState.NA)
# Severity of a state on the failing side, for ordering: a hard failure first.
_SEVERITY = {CriterionState.UNMET: 0, CriterionState.UNKNOWN: 1, CriterionState.MANUAL: 2}
# How far a verdict is from passing: a change up this scale is a worsening.
_VERDICT_RANK = {str(Verdict.QUALIFIED): 0, str(Verdict.PENDING): 1, str(Verdict.NOT_QUALIFIED): 2}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one evaluation says: verdict, score and each criterion's (id, title, state, kind)."""

    rulebook: str
    verdict: str
    score: Decimal | None
    criteria: tuple[tuple[str, str, str, str], ...]

    @classmethod
    def of_result(cls, result: Mapping[str, Any]) -> Outcome:
        """From a full stored result (Evaluation.to_dict() form)."""
        score = result.get("score")
        return cls(
            rulebook=str(result.get("rulebook", "")),
            verdict=str(result.get("verdict", "")),
            score=None if score is None else Decimal(str(score)),
            criteria=tuple(
                (
                    str(c["id"]),
                    str(c.get("title", "")),
                    str(c.get("state", "")),
                    str(c.get("kind", "")),
                )
                for c in result.get("criteria", ())
            ),
        )

    @classmethod
    def of_evaluation(cls, evaluation: DomainEvaluation) -> Outcome:
        return cls(
            rulebook=evaluation.rulebook,
            verdict=str(evaluation.verdict),
            score=evaluation.score,
            criteria=tuple((c.id, c.title, str(c.state), str(c.kind)) for c in evaluation.criteria),
        )


@dataclass(frozen=True, slots=True)
class CriterionShift:
    """One criterion (or a pair of corresponding criteria) whose state differs between the two
    sides; a side is None where its rulebook has no such criterion."""

    before_id: str | None
    before_title: str
    before_state: str | None
    after_id: str | None
    after_title: str
    after_state: str | None
    # It moves the verdict the way it changed: failing (harder) on the side with the worse
    # verdict, met, not applicable, absent or softer on the other.
    deciding: bool = False

    @property
    def failing_side(self) -> str:
        """after: the comparison fails it (a new hurdle); before: it was lifted."""
        return "after" if self.after_state in FAILING else "before"

    @property
    def criterion_id(self) -> str:
        """The id on the failing side (the one to read about)."""
        side = self.failing_side
        return (self.after_id if side == "after" else self.before_id) or ""

    @property
    def title(self) -> str:
        return self.after_title if self.failing_side == "after" else self.before_title

    @property
    def label(self) -> str:
        """``SR26-5 主导产品细分市场地位（新增）：待人工确认``, ``SR22-B1→SR26-1b …：符合 →
        不符合`` or, under one id, ``SR22-S7 上年度净利润率：符合 → 不符合``."""
        left = _state_label(self.before_state)
        right = _state_label(self.after_state)
        if self.before_id is None:
            return f"{self.after_id} {self.after_title}（新增）：{right}"
        if self.after_id is None:
            return f"{self.before_id} {self.before_title}（删除）：原为{left}"
        if self.before_id == self.after_id:
            return f"{self.before_id} {self.before_title}：{left} → {right}"
        return f"{self.before_id}→{self.after_id} {self.after_title}：{left} → {right}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": {"id": self.before_id, "title": self.before_title,
                       "state": self.before_state},
            "after": {"id": self.after_id, "title": self.after_title, "state": self.after_state},
            "deciding": self.deciding,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ApplicantShift:
    """One applicant whose verdict differs, with the criteria that differ (deciding first)."""

    uscc: str
    name: str
    before: str
    after: str
    before_score: Decimal | None
    after_score: Decimal | None
    criteria: tuple[CriterionShift, ...]

    @property
    def deciding(self) -> tuple[CriterionShift, ...]:
        return tuple(c for c in self.criteria if c.deciding)

    def to_dict(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "before_score": _number(self.before_score),
            "after_score": _number(self.after_score),
            "criteria": [c.to_dict() for c in self.criteria],
        }


@dataclass(frozen=True, slots=True)
class DecidingCount:
    """How many changed applicants one criterion decides, and on which side it fails."""

    criterion_id: str
    title: str
    side: str  # after: failed under the comparison; before: failed under the current rules
    state: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.criterion_id,
            "title": self.title,
            "side": self.side,
            "state": self.state,
            "count": self.count,
        }


@dataclass(frozen=True, slots=True)
class WhatIf:
    """Two sets of evaluations of the same applicants side by side."""

    applicants: int
    before: dict[str, int]  # verdict -> count
    after: dict[str, int]
    transitions: dict[tuple[str, str], int]  # (before, after) -> count, unchanged included
    changed: tuple[ApplicantShift, ...]
    deciding: tuple[DecidingCount, ...] = field(default=())

    @property
    def unchanged(self) -> int:
        return self.applicants - len(self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicants": self.applicants,
            "unchanged": self.unchanged,
            "changed": len(self.changed),
            "before": dict(self.before),
            "after": dict(self.after),
            "transitions": [
                {"before": b, "after": a, "count": n} for (b, a), n in self.transitions.items()
            ],
            "deciding_criteria": [d.to_dict() for d in self.deciding],
            "applicants_changed": [c.to_dict() for c in self.changed],
        }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _state_label(state: str | None) -> str:
    if state is None:
        return "无此条目"
    try:
        return CriterionState(state).label
    except ValueError:
        return state


def _direction(before: str, after: str) -> int:
    """+1 when the verdict got worse, -1 when better, 0 when neither can be said."""
    if before not in _VERDICT_RANK or after not in _VERDICT_RANK:
        return 0
    return (_VERDICT_RANK[after] > _VERDICT_RANK[before]) - (
        _VERDICT_RANK[after] < _VERDICT_RANK[before]
    )


def _harder(state: str | None, other: str | None) -> bool:
    """``state`` fails and ``other`` passes, is absent or fails more softly."""
    if state not in FAILING:
        return False
    if other not in FAILING:
        return True
    return _SEVERITY[CriterionState(state)] < _SEVERITY[CriterionState(other)]


def criterion_shifts(
    before: Outcome, after: Outcome, links: Iterable[tuple[str, str]] = ()
) -> tuple[CriterionShift, ...]:
    """The criteria whose state differs (at least one side failing), deciding ones first.

    Criteria are paired by equal id, then by ``links`` (old id, new id: the correspondence
    between two rulebooks); the rest stand alone against an absent criterion. A deciding
    criterion fails, or fails harder, on the side whose verdict is worse (either side when
    the verdicts cannot be ranked).
    """
    old = {cid: (title, state, kind) for cid, title, state, kind in before.criteria}
    new = {cid: (title, state, kind) for cid, title, state, kind in after.criteria}
    pairs: list[tuple[str | None, str | None]] = [(cid, cid) for cid in old if cid in new]
    pairs += [(o, n) for o, n in links if o in old and n in new and o != n and o not in new]
    paired_old = {o for o, _ in pairs}
    paired_new = {n for _, n in pairs}
    pairs += [(o, None) for o in old if o not in paired_old]
    pairs += [(None, n) for n in new if n not in paired_new]
    direction = _direction(before.verdict, after.verdict)
    shifts = []
    for o, n in pairs:
        o_title, o_state, o_kind = old[o] if o else ("", None, "")
        n_title, n_state, n_kind = new[n] if n else ("", None, "")
        if o_state == n_state or not ({o_state, n_state} & set(FAILING)):
            continue
        worse_after = _harder(n_state, o_state) and n_kind not in NOT_FAILING_KINDS
        worse_before = _harder(o_state, n_state) and o_kind not in NOT_FAILING_KINDS
        if (o is None or n is None) and not (worse_after or worse_before):
            continue  # an alternative route or a note failing where the other has nothing
        deciding = (
            worse_after
            if direction > 0
            else worse_before
            if direction < 0
            else (worse_after or worse_before)
        )
        shifts.append(CriterionShift(o, o_title, o_state, n, n_title, n_state, deciding))
    order = {cid: i for i, (cid, *_) in enumerate(after.criteria)}
    order_old = {cid: i for i, (cid, *_) in enumerate(before.criteria)}

    def key(s: CriterionShift) -> tuple[int, int, int, int]:
        failing = s.after_state if s.failing_side == "after" else s.before_state
        place = order.get(s.after_id or "", len(order) + order_old.get(s.before_id or "", 0))
        side = 0 if s.failing_side == "after" else 1
        return (0 if s.deciding else 1, _SEVERITY.get(CriterionState(failing), 3), side, place)

    return tuple(sorted(shifts, key=key))


def what_if(
    names: Mapping[str, str],
    before: Mapping[str, Outcome],
    after: Mapping[str, Outcome],
    links: Mapping[tuple[str, str], Sequence[tuple[str, str]]] | None = None,
) -> WhatIf:
    """Compare two outcomes per 统一社会信用代码 (``names`` gives each one's name and order).

    ``links`` maps (before rulebook, after rulebook) to their criteria correspondence.
    """
    links = links or {}
    transitions: Counter[tuple[str, str]] = Counter()
    changed: list[ApplicantShift] = []
    for uscc, name in names.items():
        old, new = before[uscc], after[uscc]
        transitions[(old.verdict, new.verdict)] += 1
        if old.verdict == new.verdict:
            continue
        shifts = criterion_shifts(old, new, links.get((old.rulebook, new.rulebook), ()))
        changed.append(
            ApplicantShift(uscc, name, old.verdict, new.verdict, old.score, new.score, shifts)
        )
    return WhatIf(
        applicants=len(names),
        before=_by_verdict(o.verdict for o in before.values()),
        after=_by_verdict(o.verdict for o in after.values()),
        transitions=dict(sorted(transitions.items(), key=_transition_order)),
        changed=tuple(changed),
        deciding=_deciding_counts(changed),
    )


_VERDICT_ORDER = {str(v): i for i, v in enumerate(Verdict)}


def _transition_order(item: tuple[tuple[str, str], int]) -> tuple[int, int, int]:
    (b, a), _ = item
    return (b == a, _VERDICT_ORDER.get(b, 9), _VERDICT_ORDER.get(a, 9))


def _by_verdict(verdicts: Iterable[str]) -> dict[str, int]:
    counts = Counter(verdicts)
    return {k: counts[k] for k in sorted(counts, key=lambda k: (_VERDICT_ORDER.get(k, 9), k))}


def _deciding_counts(changed: Sequence[ApplicantShift]) -> tuple[DecidingCount, ...]:
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for item in changed:
        for shift in item.deciding:
            side = shift.failing_side
            state = shift.after_state if side == "after" else shift.before_state
            counts[(shift.criterion_id, shift.title, side, state or "")] += 1
    return tuple(
        DecidingCount(cid, title, side, state, n)
        for (cid, title, side, state), n in sorted(
            counts.items(), key=lambda kv: (-kv[1], kv[0][2] != "after", kv[0][0])
        )
    )


def carry_confirmations(
    confirmations: Iterable[Confirmation],
    known: Iterable[str],
    same: Mapping[str, str] | None = None,
) -> tuple[list[Confirmation], list[Confirmation]]:
    """(carried, dropped): the evaluators' confirmations a rulebook with criteria ``known`` can
    take: those of a criterion it has, or of one it keeps unchanged under another id (``same``,
    old id -> new id); a confirmation of a changed or removed criterion is dropped."""
    known = set(known)
    same = same or {}
    carried: list[Confirmation] = []
    dropped: list[Confirmation] = []
    for item in confirmations:
        target = item.criterion_id if item.criterion_id in known else same.get(item.criterion_id)
        if target in known:
            carried.append(
                item if target == item.criterion_id else replace(item, criterion_id=target)
            )
        else:
            dropped.append(item)
    return carried, dropped
