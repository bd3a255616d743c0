"""Rulebooks and provincial overlays as data: the definitions, their grades and where their files are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.results import CriterionKind
from zjtx.paths import resource_path
from zjtx.scoring.conditions import Cond
from zjtx.scoring.context import Context, QuantityTable
from zjtx.scoring.points import Score
from zjtx.scoring.quantities import ZERO

TIERS = {
    "innovative-sme": "创新型中小企业（2026 年起：科技和创新型中小企业）",
    "srdi-sme": "专精特新中小企业",
    "little-giant": '专精特新"小巨人"企业',
    "single-champion": "制造业单项冠军企业",
    "tech-sme": "科技型中小企业",
}
APPLICATION_TYPES = ("new", "renewal")
GRADES = ("V", "A", "B", "C", "UNVERIFIED")
GRADE_LABELS = {
    "V": "官方原文",
    "A": "官方网站或全文转载",
    "B": "多个独立来源一致",
    "C": "转述或单一来源",
    "UNVERIFIED": "未核实",
}

# How a criterion relates to the criteria of an earlier rulebook it names in `replaces`.
CORRESPONDENCE_KINDS = {
    "same": "相同",
    "changed": "调整",
    "split": "拆分",  # one part of a single old criterion that became several
    "merged": "合并",  # several old criteria joined into this one
}


@dataclass(frozen=True, slots=True)
class Applicability:
    """Round dates (inclusive) and application types a rulebook applies to."""

    start: date
    end: date | None
    application_types: tuple[str, ...]
    note: str = ""

    def covers(self, round_date: date, application_type: str) -> bool:
        if application_type not in self.application_types:
            return False
        return self.start <= round_date and (self.end is None or round_date <= self.end)

    def describe(self) -> str:
        types = "、".join({"new": "新申报", "renewal": "复核"}[t] for t in self.application_types)
        end = self.end.isoformat() if self.end else "至今"
        return f"{self.start.isoformat()} 至 {end}（{types}）"


@dataclass(frozen=True, slots=True)
class Setting:
    """A round setting a rulebook understands (e.g. the 2025 growth waiver for renewals)."""

    name: str
    label: str
    default: bool
    grade: str = ""


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """When a criterion does not apply: for some application types, optionally per setting."""

    application_types: tuple[str, ...]
    setting: str | None
    note: str


@dataclass(frozen=True, slots=True)
class Correspondence:
    """The criteria of another rulebook (same tier) a criterion replaces, and how."""

    rulebook: str
    criteria: tuple[str, ...]
    how: str  # a key of CORRESPONDENCE_KINDS


@dataclass(slots=True)
class CriterionDef:
    """One criterion of a rulebook, compiled."""

    id: str
    title: str
    group: str
    kind: CriterionKind
    clause: str
    source: str
    grade: str
    unverified: str | None  # why the figure or wording is not verified, shown to users
    requirement: str
    cond: Cond | None = None
    score: Score | None = None
    judgement: bool = False
    not_applicable: NotApplicable | None = None
    enabled_by_setting: str | None = None
    notes: tuple[str, ...] = ()
    references: frozenset[str] = frozenset()
    uses_score: bool = False
    overlay: str | None = None
    replaces: Correspondence | None = None

    max_points: Decimal | None = None
    conditional: bool = False  # has a setting or application-type rule that can make it na

    def __post_init__(self) -> None:
        if self.score is not None:
            self.max_points = self.score.bounds()[1]
        self.conditional = self.enabled_by_setting is not None or self.not_applicable is not None


@dataclass(frozen=True, slots=True)
class Group:
    """A display (and, for scored rulebooks, scoring) group of criteria."""

    id: str
    title: str
    minimum: Decimal | None = None


@dataclass(slots=True)
class Rulebook:
    """A validated rulebook (with its overlay merged in, when one was chosen)."""

    id: str
    tier: str
    title: str
    version: str
    instrument: dict[str, Any]
    applies: tuple[Applicability, ...]
    settings: dict[str, Setting]
    groups: dict[str, Group]
    criteria: list[CriterionDef]
    verdict: Cond
    pass_line: Decimal | None
    quantities: QuantityTable
    catalogue: FieldCatalogue
    hash: str
    file: str
    notes: tuple[str, ...] = ()
    overlay: Overlay | None = None
    by_id: dict[str, CriterionDef] = field(default_factory=dict)
    scored_criteria: list[CriterionDef] = field(default_factory=list)
    scored_groups: dict[str, list[str]] = field(default_factory=dict)  # group -> criterion ids
    scored_ids: list[str] = field(default_factory=list)
    group_maxima: dict[str, Decimal] = field(default_factory=dict)
    # Whether any criterion scores, and the total of their maxima (None when none does).
    scored: bool = False
    max_score: Decimal | None = None
    # The decider of every criterion: criterion id -> (scored, function) giving
    # (state, points, low, high) for a scored criterion, else the state.
    deciders: dict[str, tuple[bool, Callable[[Context], Any]]] = field(default_factory=dict)
    verdict_decider: Callable[[Context], Any] | None = None  # the verdict's decider
    # What every result of a criterion shows whatever the applicant: (id, title, group,
    # group title, kind, requirement, clause, source, grade, unverified, judgement, max points,
    # notes with the unverified note), in CriterionResult's field order.
    result_heads: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def display_id(self) -> str:
        return f"{self.id}+{self.overlay.id}" if self.overlay else self.id

    def group_max(self, group_id: str) -> Decimal:
        return sum(
            (c.max_points or ZERO for c in self.criteria if c.group == group_id),
            ZERO,
        )

    def applies_to(self, round_date: date, application_type: str) -> bool:
        return any(a.covers(round_date, application_type) for a in self.applies)

    def unverified_items(self) -> list[CriterionDef]:
        return [c for c in self.criteria if c.unverified]


@dataclass(frozen=True, slots=True)
class Overlay:
    """A provincial overlay: extends one rulebook for rounds in its date range."""

    id: str
    extends: str
    title: str
    province: str
    version: str
    applies: tuple[Applicability, ...]
    source: str
    grade: str
    unverified: str | None
    data: dict[str, Any]
    file: str
    hash: str

    def applies_on(self, round_date: date) -> bool:
        return any(
            a.start <= round_date and (a.end is None or round_date <= a.end) for a in self.applies
        )


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def rulebook_dir() -> Path:
    return resource_path("rulebooks")


def overlay_dir() -> Path:
    return resource_path("overlays")


def list_rulebook_ids() -> list[str]:
    return sorted(p.stem for p in rulebook_dir().glob("*.yaml"))


def list_overlay_ids() -> list[str]:
    return sorted(p.stem for p in overlay_dir().glob("*.yaml"))


def grade_legend() -> str:
    """One line explaining the source grades (V/A/B/C/未核实) for a legend under a table."""
    return "可信等级：" + "；".join(
        f"{'未核实' if g == 'UNVERIFIED' else g} = {GRADE_LABELS[g]}" for g in GRADES
    )
