"""Entering a list into the register: each row's new entry state and its audit events."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from zjtx.domain.region import same_place
from zjtx.domain.registry import HOLDING, RegistryStatus, RegistryTitle
from zjtx.store.bulk import insert_many
from zjtx.store.models import AuditEvent, Evaluator, RegistryEntry, RegistryList

if TYPE_CHECKING:
    from zjtx.intake.published_list import ListProblem, ListRow, PublishedList
    from zjtx.store.registry_recheck import RoundRecheck


# The title a list's heading names, by the words it is called by.
_TITLE_WORDS = (
    ("小巨人", RegistryTitle.LITTLE_GIANT.value),
    ("单项冠军", RegistryTitle.CHAMPION.value),
    ("专精特新", RegistryTitle.SRDI.value),
    ("创新型中小企业", RegistryTitle.INNOVATIVE.value),
    ("科技型中小企业", RegistryTitle.TECH.value),
)
_LITTLE_GIANT = re.compile(r"专精特新\W{0,2}小巨人")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")


@dataclass(frozen=True, slots=True)
class RegistryImport:
    """What importing one list did."""

    file_name: str
    rows: int
    added: int
    superseded: int
    uscc_attached: int
    unchanged: int
    # Open rounds whose register warnings changed with this list (see registry_recheck).
    rechecked: tuple[RoundRecheck, ...] = ()
    # What the list's reading noted (a hidden sheet not read, rows that are no enterprise…),
    # each with where.
    notes: tuple[str, ...] = ()

    @property
    def changed_nothing(self) -> bool:
        return self.added == self.superseded == self.uscc_attached == 0


@dataclass(slots=True)
class _Entry:
    """The columns of a current entry the import and the checks compare."""

    id: int
    name: str
    name_key: str
    uscc: str | None
    city: str | None
    county: str | None
    title: str
    level: str
    year: int
    batch: str
    status: str
    valid_until: int
    source_round: int | None = None  # the round whose 认定 entered it (RegistryList.round_id)


@dataclass
class _ImportPlan:
    """What one list adds to the register, computed against its current entries."""

    published: PublishedList
    title: str
    year: int
    batch: str
    status: str
    level: str
    valid_years: int
    actor: Evaluator
    now: datetime
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[_Entry | None] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    problems: list[ListProblem] = field(default_factory=list)
    unchanged: int = 0
    round_id: int | None = None  # the round whose recommendations this is
    left_notes: list[str] = field(default_factory=list)

    def build(self, entries: list[_Entry]) -> None:
        from zjtx.intake.published_list import ListProblem

        by_uscc: dict[str, list[_Entry]] = defaultdict(list)
        by_key: dict[str, list[_Entry]] = defaultdict(list)
        for entry in entries:
            by_key[entry.name_key].append(entry)
            if entry.uscc:
                by_uscc[entry.uscc].append(entry)
        valid_until = self.year + self.valid_years
        # 原认定年度 in a 复核通过 list is the recognition renewed, not the renewal's year.
        original = self.published.year_header.startswith("原")
        for row in self.published.rows:
            # The same name in another city is another enterprise, as the round checks hold.
            place = row.city or row.county
            named = [
                e for e in by_key.get(row.name_key, []) if same_place(e.city or e.county, place)
            ]
            if row.uscc:
                other = next((e for e in named if e.uscc and e.uscc != row.uscc), None)
                if other is not None:
                    self.problems.append(
                        ListProblem(
                            "list-uscc-contradicts",
                            f"企业 “{row.name}” 的统一社会信用代码 {row.uscc} 与培育库中记录的 "
                            f"{other.uscc}（{other.year} 年{RegistryTitle.label_of(other.title)}）"
                            "不符；请核实后更正名单",
                            self.published.file_name,
                            row.sheet,
                            row.row,
                        )
                    )
                    continue
                mine = by_uscc.get(row.uscc, []) + [e for e in named if e.uscc is None]
            else:
                mine = named
            if self.status == RegistryStatus.REVOKED.value:
                self._revoke(row, mine)
                continue
            if row.year is not None and row.year != self.year and not original:
                self.problems.append(
                    ListProblem(
                        "list-year-differs",
                        f"企业 “{row.name}” 的{self.published.year_header}为 {row.year} 年，与导入"
                        f"时指定的 {self.year} 年不同：请按年度把名单分开，各自导入",
                        self.published.file_name,
                        row.sheet,
                        row.row,
                    )
                )
                continue
            same = next(
                (
                    e
                    for e in mine
                    if (e.title, e.level, e.year) == (self.title, self.level, self.year)
                ),
                None,
            )
            source = {
                "source_file": self.published.file_name,
                "source_sheet": row.sheet,
                "source_row": row.row,
                "source_title": self.published.document_title,
                "list_id": None,
                "note": f"原名：{row.former_name}" if row.former_name else None,
            }
            wanted = {
                "name": row.name,
                "name_key": row.name_key,
                "uscc": row.uscc or (same.uscc if same else None),
                "city": row.city or (same.city if same else None),
                "county": row.county or (same.county if same else None),
                "title": self.title,
                "level": self.level,
                "year": self.year,
                "batch": self.batch,
                "status": self.status,
                "valid_until": valid_until,
            }
            if same is not None and _same_state(same, wanted):
                self.unchanged += 1
            elif same is None:
                self._add({**wanted, **source}, None, "registry-entry", None)
            elif _same_state(same, {**wanted, "uscc": same.uscc}):
                note = f"补充统一社会信用代码（来自 {self._where(row)}）"
                self._add({**wanted, **source}, same, "registry-uscc-attach", note)
            else:
                note = (
                    f"{RegistryStatus.label_of(same.status)}→{RegistryStatus.label_of(self.status)}"
                )
                self._add({**wanted, **source}, same, "registry-supersede", note)
            if row.uscc:
                for entry in mine:
                    if entry.uscc is None and entry is not same:
                        note = f"补充统一社会信用代码（来自 {self._where(row)}）"
                        self._add(
                            _copy(entry, self.actor, self.now, uscc=row.uscc, note=note),
                            entry,
                            "registry-uscc-attach",
                            note,
                        )
        self._publicity_left(entries)

    def _publicity_left(self, entries: list[_Entry]) -> None:
        """A 认定 list that recognises some of a 公示 list of its title and year: a note
        naming the publicised enterprises it leaves 公示中 (withdrawn, or in another list)."""
        if self.status != RegistryStatus.RECOGNISED.value:
            return
        key = (self.title, self.level, self.year)
        # Batches named on both sides tell two 公示 of one year apart (第一批, 第二批).
        publicised = [
            e for e in entries
            if (e.title, e.level, e.year) == key and e.status == RegistryStatus.PUBLICITY.value
            and (not self.batch or not e.batch or e.batch == self.batch)
        ]  # fmt: skip
        taken = {id(e) for e in self.replaced if e is not None}
        if not any(id(e) in taken for e in publicised):
            return  # not the 认定 of that 公示: another batch, another place
        left = [e.name for e in publicised if id(e) not in taken]
        if left:
            shown = "、".join(left[:5]) + (f" 等 {len(left)} 家" if len(left) > 5 else "")
            self.left_notes.append(
                f"{len(left)} 家企业见于 {self.year} 年{RegistryTitle.label_of(self.title)}"
                f"公示名单，但不在本认定名单中，仍记为“公示中”：{shown}；如其认定见于另一份名单，"
                "请一并导入"
            )

    def _revoke(self, row: ListRow, mine: list[_Entry]) -> None:
        """A 撤销 list's row: a new state 已撤销 of the recognition of the title it revokes,
        the year its row names, else each one held by the notice's year. It is never a
        recognition of the notice's year; nothing to revoke is a problem, naming the row."""
        from zjtx.intake.published_list import ListProblem

        def revokes(entry: _Entry) -> bool:
            same_title = (entry.title, entry.level) == (self.title, self.level)
            in_year = entry.year == row.year if row.year else entry.year <= self.year
            return same_title and in_year

        targets = [e for e in mine if revokes(e)]
        held = [e for e in targets if e.status in HOLDING]
        if not held:
            if any(e.status == RegistryStatus.REVOKED.value for e in targets):
                self.unchanged += 1  # the same list again
                return
            title = RegistryTitle.label_of(self.title)
            year = f" {row.year} 年的" if row.year else ""
            self.problems.append(
                ListProblem(
                    "list-revocation-unmatched",
                    f"企业 “{row.name}” 在培育库中没有可撤销的{year}{title}称号：请先导入其"
                    "认定名单，或核实名称、信用代码与原认定年度",
                    self.published.file_name,
                    row.sheet,
                    row.row,
                )
            )
            return
        note = f"撤销（{self._where(row)}）"
        for entry in held:
            revoked = _copy(
                entry, self.actor, self.now, status=RegistryStatus.REVOKED.value, note=note
            )
            if row.uscc and entry.uscc is None:
                revoked["uscc"] = row.uscc
            revoked.update(
                source_file=self.published.file_name,
                source_sheet=row.sheet,
                source_row=row.row,
                source_title=self.published.document_title,
            )
            self._add(revoked, entry, "registry-supersede", note)

    def _title_notes(self) -> list[str]:
        """A caution when the list's own title names another title or year than imported
        (a 2023 创新型 list imported as 2024 专精特新); a 撤销 notice names the years it
        revokes, so its year is not compared."""
        heading = self.published.document_title
        # 专精特新“小巨人” names one title, not two; a heading naming two is not compared.
        said = _LITTLE_GIANT.sub("小巨人", heading)
        named = {code for word, code in _TITLE_WORDS if word in said}
        notes = []
        if len(named) == 1 and self.title not in named:
            (only,) = named
            notes.append(
                f"名单标题“{heading[:60]}”写的是{RegistryTitle.label_of(only)}，导入时"
                f"指定的是{RegistryTitle.label_of(self.title)}：请核实 --title"
            )
        years = set(_YEAR.findall(heading))
        if self.status != RegistryStatus.REVOKED.value and len(years) == 1:
            (year,) = years
            if int(year) != self.year:
                notes.append(
                    f"名单标题“{heading[:60]}”写的是 {year} 年，导入时指定的是 {self.year} 年："
                    "请核实 --year"
                )
        return notes

    def _where(self, row: Any) -> str:
        name = self.published.file_name
        return name if row.row is None else f"{name} 第 {row.row} 行"

    def _add(
        self, row: dict[str, Any], replaced: _Entry | None, action: str, note: str | None
    ) -> None:
        row["note"] = row.get("note") or note
        row["supersedes_id"] = replaced.id if replaced else None
        row.update(created_by_id=self.actor.id, created_at=self.now)
        self.new_rows.append(row)
        self.replaced.append(replaced)
        self.actions.append(action)

    def write(self, session: Session) -> RegistryImport:
        published = self.published
        attached = self.actions.count("registry-uscc-attach")
        result = RegistryImport(
            file_name=published.file_name,
            rows=len(published.rows),
            added=self.actions.count("registry-entry"),
            superseded=self.actions.count("registry-supersede"),
            uscc_attached=attached,
            unchanged=self.unchanged,
            notes=(
                *self._title_notes(),
                *(f"{n.where()}：{n.message}" for n in published.notes),
                *self.left_notes,
            ),
        )
        if result.changed_nothing:
            return result  # the same list again: nothing to record
        record = RegistryList(
            file_name=published.file_name,
            sha256=published.sha256,
            document_title=published.document_title,
            title=self.title,
            level=self.level,
            year=self.year,
            batch=self.batch,
            status=self.status,
            valid_years=self.valid_years,
            rows=len(published.rows),
            entries_added=len(self.new_rows),
            round_id=self.round_id,
            imported_by_id=self.actor.id,
            imported_at=self.now,
        )
        session.add(record)
        session.flush()
        for row in self.new_rows:
            row["list_id"] = record.id
        ids = insert_many(session, RegistryEntry, self.new_rows)
        events = [
            _audit(self.actor, self.now, action, new_id, row, old, row.get("note"))
            for new_id, row, old, action in zip(
                ids, self.new_rows, self.replaced, self.actions, strict=True
            )
        ]
        events.append(
            {
                "at": self.now,
                "actor": self.actor.name,
                "action": "registry-import" if self.round_id is None else "round-recognise",
                "entity": "registry_list",
                "entity_id": record.id,
                "round_id": self.round_id,
                "applicant_id": None,
                "uscc": None,
                "before": None,
                "after": {
                    "file": published.file_name,
                    "sha256": published.sha256,
                    "document_title": published.document_title,
                    "title": self.title,
                    "year": self.year,
                    "batch": self.batch,
                    "status": self.status,
                    "level": self.level,
                    "valid_years": self.valid_years,
                    "valid_until": self.year + self.valid_years,
                    "rows": result.rows,
                    "added": result.added,
                    "superseded": result.superseded,
                    "uscc_attached": result.uscc_attached,
                    "unchanged": result.unchanged,
                },
                "reason": None,
            }
        )
        insert_many(session, AuditEvent, events)
        return result


def _same_state(entry: _Entry, wanted: dict[str, Any]) -> bool:
    return (
        entry.status == wanted["status"]
        and entry.batch == wanted["batch"]
        and entry.valid_until == wanted["valid_until"]
        and entry.uscc == wanted["uscc"]
    )


def _copy(entry: _Entry, actor: Evaluator, now: datetime, **changes: Any) -> dict[str, Any]:
    """A new state of ``entry`` (its source kept) superseding it, with ``changes``."""
    row = {
        "supersedes_id": entry.id,
        "list_id": None,
        "name": entry.name,
        "name_key": entry.name_key,
        "uscc": entry.uscc,
        "city": entry.city,
        "county": entry.county,
        "title": entry.title,
        "level": entry.level,
        "year": entry.year,
        "batch": entry.batch,
        "status": entry.status,
        "valid_until": entry.valid_until,
        "source_file": "",
        "source_sheet": None,
        "source_row": None,
        "source_title": "",
        "note": None,
        "created_by_id": actor.id,
        "created_at": now,
    }
    row.update(changes)
    return row


def _audit(
    actor: Evaluator,
    now: datetime,
    action: str,
    entry_id: int,
    row: dict[str, Any],
    old: _Entry | None,
    reason: str | None,
) -> dict[str, Any]:
    return {
        "at": now,
        "actor": actor.name,
        "action": action,
        "entity": "registry_entry",
        "entity_id": entry_id,
        "round_id": None,
        "applicant_id": None,
        "uscc": row.get("uscc"),
        "before": None
        if old is None
        else {"entry": old.id, "status": old.status, "uscc": old.uscc, "batch": old.batch},
        "after": {
            "name": row["name"],
            "title": row["title"],
            "year": row["year"],
            "status": row["status"],
            "uscc": row.get("uscc"),
            "valid_until": row["valid_until"],
            "file": row.get("source_file") or None,
            "row": row.get("source_row"),
        },
        "reason": reason,
    }
