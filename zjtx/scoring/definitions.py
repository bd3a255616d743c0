"""Rulebook and overlay definitions, grades, and where their files are (bundled or installed)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.labels import ApplicationType
from zjtx.domain.results import CriterionKind
from zjtx.paths import INSTALLED_KINDS, installed_dir, resource_path
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
        types = "、".join(ApplicationType(t).label for t in self.application_types)
        if self.end is None:
            return f"{self.start.isoformat()} 起（{types}）"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}（{types}）"


def describe_applies(applies: Iterable[Applicability]) -> str:
    """The rounds a rulebook or overlay applies to, each range described, joined by ；."""
    return "；".join(a.describe() for a in applies)


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
    # A scored item that is a judgement item only where its data selects a case with a
    # judgement part (the 主导产品 guard): elsewhere its points are computed and an evaluator's
    # decision overrides them (zjtx.scoring.criterion_parsing).
    guarded: bool = False
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
    # The year's notices applied to make this the effective rulebook of a round
    # (zjtx.scoring.notice_definitions.AppliedNotice); () for a rulebook as loaded.
    notices: tuple[Any, ...] = ()
    # Explanations kept by the values they read, per criterion (zjtx.scoring.evaluator);
    # every rulebook object has its own (a notice's copy words criteria differently).
    explanations: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    # Each criterion's explainer for a run without confirmations (zjtx.scoring.evaluator).
    explainers: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    # The thresholds each quantity is compared with (threshold_edges), found once.
    edges: dict[str, frozenset[Decimal]] | None = field(default=None, init=False, repr=False)
    # The criteria in the order they are decided (decide_order), found once.
    order: tuple[tuple[str, bool, Any], ...] | None = field(default=None, init=False, repr=False)

    def decide_order(self) -> tuple[tuple[str, bool, Any], ...]:
        """The criteria as (id, scored, decider), scored criteria first: a criterion on the
        score (评价得分达到60分) then finds them decided. The results are the same in any
        order. The decider is None for a criterion that may not apply (``conditional``):
        whether it does is the evaluator's to say first."""
        if self.order is None:
            self.order = tuple(
                (c.id, *self.deciders[c.id]) if not c.conditional else (c.id, False, None)
                for c in sorted(self.criteria, key=lambda c: c.score is None)
            )
        return self.order

    def threshold_edges(self) -> dict[str, frozenset[Decimal]]:
        """The thresholds each quantity is compared with anywhere in the rulebook (an
        alias's under the quantities whose text it shows too): a value shown beside a
        criterion must not appear to reach one it does not."""
        if self.edges is None:
            found: dict[str, set[Decimal]] = {}
            defs = self.quantities.defs
            for c in self.criteria:
                for node in (c.cond, c.score):
                    for name, edge in node.thresholds() if node is not None else ():
                        for shown in _shown_as(name, defs):
                            found.setdefault(shown, set()).add(edge)
            self.edges = {name: frozenset(edges) for name, edges in found.items()}
        return self.edges

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


BUNDLED, INSTALLED = "bundled", "installed"
ORIGIN_LABELS = {BUNDLED: "内置", INSTALLED: "已安装"}
_HEADER = re.compile(r"^(id|version):[ \t]*(.*?)[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Where one rulebook, overlay or notice comes from: bundled with zjtx or installed."""

    id: str
    path: Path
    origin: str  # BUNDLED or INSTALLED
    version: str
    bundled_version: str | None = None  # the bundled version an installed newer one replaces

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]


@dataclass(frozen=True, slots=True)
class UnusedFile:
    """An installed file that is not loaded, and why (shown by ``zjtx rulebooks``)."""

    path: Path
    reason: str


def version_key(version: str) -> tuple[int, ...]:
    """A version such as "2026.1" as numbers, so that 2026.10 is newer than 2026.9."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


@cache
def _header(path: Path, mtime_ns: int) -> tuple[str, str]:
    """The top-level id and version of a data file, read without parsing the whole file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "", ""
    found: dict[str, str] = {}
    for key, raw in _HEADER.findall(text):
        if key not in found:
            found[key] = raw.strip().strip("\"'")
    return found.get("id", ""), found.get("version", "")


def header_of(path: Path) -> tuple[str, str]:
    """(id, version) written at the top level of a rulebook, overlay or notice file."""
    try:
        return _header(path, path.stat().st_mtime_ns)
    except OSError:
        return "", ""


def bundled_dir(kind: str) -> Path:
    return resource_path(kind)


@cache
def _discover(
    kind: str, bundled: Path, folder: Path, stamp: tuple[tuple[str, int, int], ...] | None
) -> tuple[dict[str, SourceFile], tuple[UnusedFile, ...]]:
    found = {
        path.stem: SourceFile(path.stem, path, BUNDLED, "")
        for path in sorted(bundled.glob("*.yaml"))
    }
    unused: list[UnusedFile] = []
    if stamp is None:
        return found, ()
    for path in sorted(folder.glob("*.yaml")):
        file_id, version = header_of(path)
        if file_id != path.stem:
            unused.append(UnusedFile(path, f"文件中的 id “{file_id}” 与文件名不一致，未使用"))
            continue
        same = found.get(file_id)
        if same is None:
            found[file_id] = SourceFile(file_id, path, INSTALLED, version)
            continue
        bundled_version = header_of(same.path)[1]
        if version_key(version) > version_key(bundled_version):
            found[file_id] = SourceFile(file_id, path, INSTALLED, version, bundled_version)
        else:
            unused.append(
                UnusedFile(
                    path,
                    f"与内置的 {file_id} 同名，版本 {version or '（未写）'} 不高于内置版本 "
                    f"{bundled_version or '（未写）'}，未使用，使用内置版本",
                )
            )
    return found, tuple(unused)


def source_files(kind: str) -> tuple[dict[str, SourceFile], tuple[UnusedFile, ...]]:
    """Every rulebook, overlay or notice by id (bundled ones, and installed ones beside or
    newer than them), and the installed files left unused with the reason.

    Cached per state of the installed folder: the name, time and size of each file in it,
    so a file saved over in place is read again too.
    """
    folder = installed_dir(kind)
    return _discover(kind, bundled_dir(kind), folder, _files_stamp(folder))


def installed_state() -> tuple[Any, ...]:
    """Each installed folder (rulebooks, overlays, notices) with the name, modification time
    and size of every file in it: a file added, removed or saved over in place changes it."""
    return tuple((folder, _files_stamp(folder)) for folder in map(installed_dir, INSTALLED_KINDS))


def _files_stamp(folder: Path) -> tuple[tuple[str, int, int], ...] | None:
    try:
        with os.scandir(folder) as entries:
            found = [(e.name, e.stat()) for e in entries if e.name.endswith(".yaml")]
    except OSError:
        return None
    return tuple(sorted((name, st.st_mtime_ns, st.st_size) for name, st in found))


def rulebook_dir() -> Path:
    """The folder of the bundled rulebooks."""
    return bundled_dir("rulebooks")


def overlay_dir() -> Path:
    """The folder of the bundled provincial overlays."""
    return bundled_dir("overlays")


def list_rulebook_ids() -> list[str]:
    """Ids of every rulebook, bundled and installed."""
    return sorted(source_files("rulebooks")[0])


def list_overlay_ids() -> list[str]:
    """Ids of every provincial overlay, bundled and installed."""
    return sorted(source_files("overlays")[0])


def rulebook_source(rulebook_id: str) -> SourceFile | None:
    return source_files("rulebooks")[0].get(rulebook_id)


def overlay_source(overlay_id: str) -> SourceFile | None:
    return source_files("overlays")[0].get(overlay_id)


def grade_legend() -> str:
    """One line explaining the source grades (V/A/B/C/未核实) for a legend under a table."""
    # The unverified grade is its own name: "未核实 = 未核实" would say nothing.
    return "可信等级：" + "；".join(
        "未核实 = 来源尚未核实" if g == "UNVERIFIED" else f"{g} = {GRADE_LABELS[g]}" for g in GRADES
    )


def _shown_as(name: str, defs: dict[str, Any]) -> set[str]:
    """The quantity and, for an alias, every quantity whose text it may show."""
    names, pending = {name}, [name]
    while pending:
        qdef = defs[pending.pop()]
        if qdef.kind == "alias":
            for target in (qdef.inputs[0], *(qdef.alt[1:2] if qdef.alt else ())):
                if target not in names:
                    names.add(target)
                    pending.append(target)
    return names
