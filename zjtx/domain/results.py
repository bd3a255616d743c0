"""Evaluation results: the state, points and explanation of every criterion, and the verdict."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from zjtx.domain.applicant import values_hash
from zjtx.domain.labels import CriterionState, Verdict

__all__ = [
    "Confirmation",
    "CriterionKind",
    "CriterionResult",
    "CriterionState",
    "Evaluation",
    "GroupScore",
    "PartResult",
    "Verdict",
]


class CriterionKind(StrEnum):
    """What a criterion contributes: a hard requirement, points, or an alternative route."""

    REQUIREMENT = "requirement"  # must be met (or is part of the verdict expression)
    SCORE = "score"  # contributes points to the total
    ROUTE = "route"  # an alternative (直通) condition; unmet is not a failure by itself
    INFO = "info"  # shown for information (e.g. priority notes), never decides


# Kinds whose unmet state fails no applicant by itself: an alternative (直通) route, a note.
NOT_FAILING_KINDS = frozenset({CriterionKind.ROUTE, CriterionKind.INFO})
# An informational item (单项冠军 加分项) is held or not: its met and unmet read 有 and 无, not
# 符合 and 不符合 (a 不符合 read as a failing row).
INFO_STATE_LABELS = {CriterionState.MET: "有", CriterionState.UNMET: "无"}


def state_shown(state: str, kind: str | None) -> str:
    """A criterion's state as an evaluator reads it: 有 or 无 for an informational item,
    else the state's label."""
    if kind == CriterionKind.INFO and state in INFO_STATE_LABELS:
        return INFO_STATE_LABELS[CriterionState(state)]
    return CriterionState(state).label


@dataclass(frozen=True, slots=True)
class Confirmation:
    """An evaluator's decision on one criterion: confirms a judgement item or overrides a state.

    ``override`` says the evaluator decided a criterion the data had decided (改判): it then
    decides it outright. Without it, a judgement item's confirmation decides its judgement
    parts only, and hard facts in the same criterion (imported later too) decide as computed.
    A criterion that is no judgement item is always decided outright.
    """

    criterion_id: str
    state: CriterionState  # MET or UNMET
    reason: str
    evaluator: str
    at: datetime | None = None
    override: bool = False

    def __post_init__(self) -> None:
        if self.state not in (CriterionState.MET, CriterionState.UNMET):
            raise ValueError(f"确认结果只能是 met 或 unmet，收到 {self.state!r}")
        if not self.reason or not self.reason.strip():
            raise ValueError(f"确认或改判 {self.criterion_id} 必须填写理由")


def is_override(judgement: bool, computed: str) -> bool:
    """Whether an evaluator's decision on a criterion whose data leave it ``computed`` is a
    改判: the criterion is no judgement item, or its data decided it (SR26-0 of a
    manufacturer). A judgement item still open (待人工确认, or 待补充数据 beside its judgement
    part) is confirmed instead, so facts imported later still decide."""
    return not judgement or computed in (CriterionState.MET, CriterionState.UNMET)


def is_revision(computed: str | None, state: str) -> bool:
    """Whether a decided criterion reads 改判: the evaluator changed the state its data gave.
    Confirming what the data show, or a judgement the data left open (待人工确认), reads
    已确认. States may be CriterionState or its string value."""
    return computed not in (None, CriterionState.MANUAL, state)


@dataclass(frozen=True, slots=True)
class PartResult:
    """One leaf of a criterion's condition (e.g. the ratio part of 研发费用 ≥100万 且 ≥3%)."""

    text: str  # requirement of this part, Chinese
    state: CriterionState
    observed: str = ""
    gap: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """A criterion evaluated for one applicant, with everything needed to explain it.

    ``points`` is the declared value (unknown items at their lowest); ``points_min`` and
    ``points_max`` bound what the item can still become. Requirement-only criteria have None.
    """

    id: str
    title: str
    group: str  # group id
    group_title: str
    kind: CriterionKind
    state: CriterionState
    observed: str
    requirement: str
    clause: str
    source: str
    grade: str
    unverified: bool = False
    judgement: bool = False  # needs (or had) an evaluator's judgement
    points: Decimal | None = None
    points_min: Decimal | None = None
    points_max: Decimal | None = None
    max_points: Decimal | None = None
    gap: str | None = None
    missing: tuple[str, ...] = ()  # catalogue keys whose absence left the item undecided
    parts: tuple[PartResult, ...] = ()
    notes: tuple[str, ...] = ()
    computed_state: CriterionState | None = None  # the state before an evaluator's confirmation
    confirmation: Confirmation | None = None

    def to_dict(self) -> dict[str, Any]:
        state, state_label = _STATES[self.state]
        return {
            "id": self.id,
            "title": self.title,
            "group": self.group,
            "group_title": self.group_title,
            "kind": _KINDS[self.kind],
            "state": state,
            "state_label": state_label,
            "points": _num(self.points),
            "points_min": _num(self.points_min),
            "points_max": _num(self.points_max),
            "max_points": _num(self.max_points),
            "observed": self.observed,
            "requirement": self.requirement,
            "gap": self.gap,
            "clause": self.clause,
            "source": self.source,
            "grade": self.grade,
            "unverified": self.unverified,
            "judgement": self.judgement,
            "missing": list(self.missing),
            "parts": [
                {"text": p.text, "state": _STATES[p.state][0], "observed": p.observed, "gap": p.gap}
                for p in self.parts
            ],
            "notes": list(self.notes),
            "computed_state": _STATES[self.computed_state][0] if self.computed_state else None,
            "confirmation": _confirmation_dict(self.confirmation),
        }


@dataclass(frozen=True, slots=True)
class GroupScore:
    """Points of one scored group (e.g. 创新能力) and its minimum, where the rulebook sets one."""

    id: str
    title: str
    points: Decimal
    points_min: Decimal
    points_max: Decimal
    max_points: Decimal
    minimum: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "points": _num(self.points),
            "points_min": _num(self.points_min),
            "points_max": _num(self.points_max),
            "max_points": _num(self.max_points),
            "minimum": _num(self.minimum),
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of one applicant against one rulebook (with its overlay, if any)."""

    name: str
    uscc: str
    rulebook: str
    rulebook_title: str
    rulebook_version: str
    rulebook_hash: str
    overlay: str | None
    tier: str
    round_date: date
    application_type: str
    verdict: Verdict
    size_class: str
    criteria: tuple[CriterionResult, ...]
    groups: tuple[GroupScore, ...] = ()
    score: Decimal | None = None
    score_min: Decimal | None = None
    score_max: Decimal | None = None
    max_score: Decimal | None = None
    pass_line: Decimal | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    verdict_reasons: tuple[str, ...] = field(default_factory=tuple)
    # The applicant values evaluated (the evaluator's own copy: explanations are rendered from
    # them). Compared, so evaluations of different values differ; not hashed (a dict).
    inputs: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)
    # The year's notices applied to the rulebook (number, title, grade, what each changed), and
    # the round settings a notice or the round fixed, each with where its value came from
    # ("notice" or "override"); see zjtx.scoring.notices. Empty for a rulebook as written.
    notices: tuple[Mapping[str, Any], ...] = field(default=(), hash=False)
    settings: tuple[Mapping[str, Any], ...] = field(default=(), hash=False)

    @property
    def input_hash(self) -> str:
        """Stable short hash of the values evaluated."""
        return values_hash(self.inputs)

    @property
    def scored(self) -> bool:
        return self.max_score is not None

    @property
    def criterion_states(self) -> dict[str, CriterionState]:
        """State per criterion id, without rendering any explanation text."""
        states = getattr(self.criteria, "states", None)
        if states is not None:
            return states
        return {c.id: c.state for c in self.criteria}

    @property
    def open_judgements(self) -> int:
        """Judgement items still waiting for an evaluator (待人工确认); an item shown for
        information only (加分项) waits for nothing."""
        kinds = getattr(self.criteria, "kinds", None)
        if kinds is None:
            kinds = {c.id: c.kind for c in self.criteria}
        return sum(
            1
            for cid, state in self.criterion_states.items()
            if state == CriterionState.MANUAL and kinds.get(cid) != CriterionKind.INFO
        )

    def criterion(self, criterion_id: str) -> CriterionResult:
        for item in self.criteria:
            if item.id == criterion_id:
                return item
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        result = {
            "name": self.name,
            "uscc": self.uscc,
            "rulebook": self.rulebook,
            "rulebook_title": self.rulebook_title,
            "rulebook_version": self.rulebook_version,
            "rulebook_hash": self.rulebook_hash,
            "overlay": self.overlay,
            "tier": self.tier,
            "round_date": self.round_date.isoformat(),
            "application_type": self.application_type,
            "verdict": str(self.verdict),
            "verdict_label": self.verdict.label,
            "verdict_reasons": list(self.verdict_reasons),
            "score": _num(self.score),
            "score_min": _num(self.score_min),
            "score_max": _num(self.score_max),
            "max_score": _num(self.max_score),
            "pass_line": _num(self.pass_line),
            "size_class": self.size_class,
            "groups": [g.to_dict() for g in self.groups],
            "criteria": [c.to_dict() for c in self.criteria],
            "notes": list(self.notes),
            "input_hash": self.input_hash,
        }
        if self.notices:
            result["notices"] = [dict(item) for item in self.notices]
        if self.settings:
            result["settings"] = [dict(item) for item in self.settings]
        return result


# A score not fixed yet (a range), as the score charts and tables name it apart.
OPEN_SCORE_LABEL = "得分未定"


def score_is_open(low: Decimal | None, high: Decimal | None) -> bool:
    """Whether a score is a range still (data missing, judgement items open)."""
    return low is not None and high is not None and high != low


def points_text(value: Decimal) -> str:
    """Points without trailing zeros or exponent: 8, 7.5, 100."""
    return format(value.normalize(), "f")


def score_text(low: Decimal, high: Decimal | None = None) -> str:
    """A score as shown: 80; 25–100 while it is not fixed (``high`` above ``low``)."""
    if high is None or high == low:
        return points_text(low)
    return f"{points_text(low)}–{points_text(high)}"


def slots_constructor(cls: type) -> Callable[..., Any]:
    """A constructor of a frozen slots dataclass taking every field positionally, for the hot
    path of the evaluator. It fills a mutable twin of the class (the same slots, in the same
    order), whose plain attribute stores the interpreter specialises, then gives the object
    its class: a quarter of the cost of the generated ``__init__`` (one ``object.__setattr__``
    per field), and under half of setting each slot through its descriptor. Only for classes
    without ``__post_init__``: nothing is checked."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} checks its fields in __post_init__")
    names = [f.name for f in fields(cls)]
    if tuple(getattr(cls, "__slots__", ())) != tuple(names) or cls.__bases__ != (object,):
        raise TypeError(f"{cls.__name__} is no slots dataclass of its own fields")
    # Layout-compatible with cls (same base, same slots in the same order, no __dict__ or
    # __weakref__), which is what assigning __class__ requires.
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": cls.__slots__})
    scope: dict[str, Any] = {"new": object.__new__, "twin": twin, "cls": cls}
    body = "".join(f"    self.{name} = {name}\n" for name in names)
    source = (
        f"def construct({', '.join(names)}):\n    self = new(twin)\n{body}"
        "    self.__class__ = cls\n    return self\n"
    )
    exec(source, scope)
    return scope["construct"]


def _num(value: Decimal | None) -> int | float | None:
    """JSON number for a Decimal: an int when whole, else its shortest float text."""
    if value is None:
        return None
    number = _NUMBERS.get(value)
    if number is None:
        number = int(value) if value == value.to_integral_value() else float(value)
        # Points and scores are the few numbers the rulebooks write and their sums: kept
        # by value (equal Decimals give the same number, however written; a NaN, equal to
        # nothing, would only fill the cache).
        if len(_NUMBERS) < 4096 and value.is_finite():
            _NUMBERS[value] = number
    return number


_NUMBERS: dict[Decimal, int | float] = {}
# The codes and labels to_dict writes for every criterion and part, found rather than
# computed (an enum's value and label are properties).
_KINDS = {kind: kind.value for kind in CriterionKind}
_STATES = {state: (state.value, state.label) for state in CriterionState}


def _confirmation_dict(item: Confirmation | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "criterion_id": item.criterion_id,
        "state": str(item.state),
        "reason": item.reason,
        "evaluator": item.evaluator,
        "at": item.at.isoformat() if item.at else None,
    }
