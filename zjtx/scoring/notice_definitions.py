"""A notice as data: the document, the rounds it covers and what it changes in a rulebook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zjtx.domain.labels import ApplicationType
from zjtx.scoring.definitions import Applicability

LEVELS = {"national": "国家级", "provincial": "省级"}
SOURCES = {"rulebook": "评价标准默认", "notice": "通知规定", "override": "本批次改定"}


@dataclass(frozen=True, slots=True)
class Instrument:
    """The document a notice is: its title, number (文号), date, source grade and link."""

    title: str
    number: str
    issued: date | None
    grade: str
    link: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Cover:
    """The rounds of one tier a notice governs: round dates (inclusive) and application types."""

    tier: str
    start: date
    end: date | None
    application_types: tuple[str, ...]
    note: str = ""

    @property
    def span(self) -> Applicability:
        """The round dates and application types, as a rulebook's ``applies`` holds them."""
        return Applicability(self.start, self.end, self.application_types, self.note)

    def covers(self, tier: str, round_date: date, application_type: str) -> bool:
        return tier == self.tier and self.span.covers(round_date, application_type)

    def describe(self) -> str:
        return self.span.describe()


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A rulebook setting a notice fixes for its rounds (a round may still override it)."""

    name: str
    value: bool
    clause: str = ""
    unverified: str | None = None


@dataclass(frozen=True, slots=True)
class WordingChange:
    """New wording of a criterion: its clause, and the question text of some of its fields."""

    criterion: str
    clause: str | None
    texts: tuple[tuple[str, str], ...]  # (field or quantity name, question text)
    source: str | None = None
    unverified: str | None = None


@dataclass(frozen=True, slots=True)
class Exemption:
    """A criterion that does not apply to some application types in the notice's rounds."""

    criterion: str
    application_types: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class Change:
    """What a notice changes in one rulebook."""

    rulebook: str
    settings: tuple[SettingChange, ...] = ()
    wording: tuple[WordingChange, ...] = ()
    fields: tuple[tuple[str, str | None, str | None], ...] = ()  # (key, label, help)
    exempt: tuple[Exemption, ...] = ()
    add: tuple[dict[str, Any], ...] = ()
    verdict_add: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A year's notice (national, or a province's): the rounds it covers and what it changes."""

    id: str
    title: str
    level: str  # a key of LEVELS
    province: str | None
    instrument: Instrument
    covers: tuple[Cover, ...]
    changes: tuple[Change, ...]
    unverified: str | None
    note: str
    file: str
    hash: str

    @property
    def grade(self) -> str:
        return self.instrument.grade

    @property
    def label(self) -> str:
        """How people name it: the number and the title, e.g. 工信厅企业函〔2025〕190号《…》."""
        return f"{self.instrument.number}《{self.title}》"

    def covers_round(self, tier: str, round_date: date, application_type: str) -> bool:
        return any(c.covers(tier, round_date, application_type) for c in self.covers)

    def change_for(self, rulebook_id: str) -> Change | None:
        return next((c for c in self.changes if c.rulebook == rulebook_id), None)


@dataclass(frozen=True, slots=True)
class AppliedNotice:
    """A notice as applied to one rulebook: what it changed there, for display and records."""

    notice: Notice
    change: Change

    def summary(self) -> list[str]:
        """What the notice changed, one Chinese line each."""
        lines = [
            f"批次设置“{s.name}”为{'启用' if s.value else '关闭'}"
            + ("（⚠未核实）" if s.unverified else "")
            for s in self.change.settings
        ]
        lines += [f"{w.criterion} 采用本通知表述" for w in self.change.wording]
        lines += [f"字段“{key}”按本通知提问" for key, _label, _help in self.change.fields]
        lines += [
            f"{e.criterion} 对{_types_text(e.application_types)}不适用" for e in self.change.exempt
        ]
        lines += [f"增加条目 {entry['id']}" for entry in self.change.add]
        return lines

    def record(self) -> dict[str, Any]:
        """The notice as kept with an evaluation (Evaluation.notices, `score --json`)."""
        notice = self.notice
        ins = notice.instrument
        return {
            "id": notice.id,
            "number": ins.number,
            "title": notice.title,
            "level": notice.level,
            "province": notice.province,
            "issued": ins.issued.isoformat() if ins.issued else None,
            "grade": ins.grade,
            "link": ins.link or None,
            "unverified": notice.unverified,
            "changes": self.summary(),
        }


def _types_text(types: tuple[str, ...]) -> str:
    return "、".join(ApplicationType(t).label for t in types)
