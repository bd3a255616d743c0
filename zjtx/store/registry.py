"""The register across years (培育库): published lists in, recognitions appended and superseded,
queries by title, year, region and enterprise, renewals due and revocations."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, Select, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from zjtx.domain.names import normalise_name
from zjtx.domain.registry import (
    HOLDING,
    RegistryLevel,
    RegistryStatus,
    RegistryTitle,
    effective_status,
)
from zjtx.store.bulk import gc_paused, insert_many
from zjtx.store.common import check_text, evaluator_row
from zjtx.store.engine import Store
from zjtx.store.errors import DatabaseBusyError, InvalidRequestError, NotFoundError
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluation,
    Evaluator,
    RegistryEntry,
    RegistryList,
    Review,
    Round,
    utc_now,
)
from zjtx.store.registry_import import RegistryImport, _audit, _copy, _Entry, _ImportPlan

if TYPE_CHECKING:
    from zjtx.intake.published_list import ListProblem, PublishedList
    from zjtx.store.evaluations import Evaluations
    from zjtx.store.registry_recheck import RoundRecheck

# PostgreSQL advisory lock: one register writer at a time. Its class is its own: imports lock
# (0x7A6A, round id), which made the register share a lock with round 21's imports.
_REGISTRY_LOCK = (0x7A6B, 0x15)
WRITER_PATIENCE = 300.0  # seconds a register change waits for imports and decisions to end
WRITER_POLL = 0.1


class RegistryImportError(InvalidRequestError):
    """A list that cannot enter the register: every problem with file, sheet and row."""

    def __init__(self, problems: list[ListProblem]) -> None:
        self.problems = problems
        lines = [f"{p.where()}：{p.message}" for p in problems]
        super().__init__("该名单未导入，培育库未因它改动：\n" + "\n".join(lines))


@dataclass(frozen=True, slots=True)
class RegistryEntryInfo:
    """One state of one recognition as the CLI, window and exports show it."""

    id: int
    name: str
    uscc: str | None
    city: str | None
    county: str | None
    title: str
    level: str
    year: int
    batch: str
    status: str  # as stored
    shown_status: str  # as of today (expired read from the year)
    valid_until: int
    source_file: str
    source_sheet: str | None
    source_row: int | None
    source_title: str
    note: str | None
    supersedes_id: int | None
    current: bool
    created_by: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "uscc": self.uscc,
            "city": self.city,
            "county": self.county,
            "title": self.title,
            "title_label": RegistryTitle.label_of(self.title),
            "level": self.level,
            "year": self.year,
            "batch": self.batch,
            "status": self.shown_status,
            "status_label": RegistryStatus.label_of(self.shown_status),
            "valid_until": self.valid_until,
            "source": {
                "file": self.source_file,
                "sheet": self.source_sheet,
                "row": self.source_row,
                "title": self.source_title,
            },
            "note": self.note,
            "supersedes": self.supersedes_id,
            "current": self.current,
            "recorded_by": self.created_by,
            "recorded_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class RegistryChange:
    """What revoking a title or giving a code did: the new entry states, and the open
    rounds whose register warnings changed with them."""

    entries: list[RegistryEntryInfo]
    rechecked: tuple[RoundRecheck, ...] = ()


@dataclass(frozen=True, slots=True)
class RoundApplication:
    """An enterprise's application in one of our rounds and what was decided."""

    round_name: str
    tier: str
    round_date: str
    uscc: str
    name: str
    verdict: str | None
    decision: str | None


@dataclass(frozen=True, slots=True)
class RoundRecognition:
    """One marking of a round as 认定: the year, title, entries it added, who and when."""

    year: int
    title: str
    entries_added: int
    recorded_by: str
    recorded_at: datetime


@dataclass(slots=True)
class EnterpriseHistory:
    """An enterprise's recognitions (every state, oldest first) and its applications."""

    query: str
    name: str | None
    uscc: str | None
    entries: list[RegistryEntryInfo] = field(default_factory=list)
    applications: list[RoundApplication] = field(default_factory=list)
    suggestions: list[tuple[str, float]] = field(default_factory=list)  # near names, score


_ENTRY_COLUMNS = (
    RegistryEntry.id,
    RegistryEntry.name,
    RegistryEntry.name_key,
    RegistryEntry.uscc,
    RegistryEntry.city,
    RegistryEntry.county,
    RegistryEntry.title,
    RegistryEntry.level,
    RegistryEntry.year,
    RegistryEntry.batch,
    RegistryEntry.status,
    RegistryEntry.valid_until,
    # The round whose 认定 entered the entry, if it came from one of ours (not a published list).
    select(RegistryList.round_id)
    .where(RegistryList.id == RegistryEntry.list_id)
    .scalar_subquery()
    .label("source_round"),
)


def current_query(*columns: Any) -> Select[Any]:
    """Rows no later row supersedes (the current state of each recognition)."""
    later = aliased(RegistryEntry)
    return (
        select(*(columns or _ENTRY_COLUMNS))
        .outerjoin(later, later.supersedes_id == RegistryEntry.id)
        .where(later.id.is_(None))
    )


def current_entries(session: Session, *conditions: Any) -> list[_Entry]:
    """The current entries (matching ``conditions``), as plain rows."""
    return [_Entry(*row) for row in session.execute(current_query().where(*conditions))]


def check_not_registered(session: Session, round_row: Round, applicant: Applicant) -> None:
    """Refuse withdrawing a 推荐 that marking the round 认定 entered into the register while
    that title is still held there: the register and the round must not silently disagree
    (revoking the title first, with its reason, is what changes the record)."""
    from zjtx.domain.labels import Decision
    from zjtx.store.errors import ReviewRuleError

    if not applicant.uscc:
        return
    from_round = select(RegistryList.id).where(RegistryList.round_id == round_row.id)
    held = [
        e
        for e in current_entries(
            session, RegistryEntry.uscc == applicant.uscc, RegistryEntry.list_id.in_(from_round)
        )
        if e.status in HOLDING
    ]
    if held:
        entry = held[0]
        title = RegistryTitle.label_of(entry.title)
        raise ReviewRuleError(
            f"“{applicant.name}”已按本批次记入培育库（{entry.year} 年{title}，有效期至 "
            f"{entry.valid_until} 年），不能再改变“{Decision.RECOMMEND.label}”决定；"
            "如确需更改，请先在培育库中撤销该称号并说明理由"
            "（zjtx registry revoke 或 培育库 → 撤销称号）"
        )


def _lock(session: Session) -> None:
    """Hold the register for this transaction: one writer at a time, and no reader of it
    (share_register) in between (PostgreSQL; SQLite has one writer anyway).

    The writer asks again and again instead of queueing: PostgreSQL would make every new
    reader wait behind a queued writer, so one register change waiting for a long round
    import would hold up every evaluator's 推荐 until the import ended."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key, sub = _REGISTRY_LOCK
    attempt = select(
        func.pg_try_advisory_xact_lock(type_coerce(key, Integer), type_coerce(sub, Integer))
    )
    deadline = time.monotonic() + WRITER_PATIENCE
    while not session.scalar(attempt):
        if time.monotonic() > deadline:
            raise DatabaseBusyError(
                f"有同事正在导入申报文件或更新培育库，已等待 {WRITER_PATIENCE:.0f} 秒仍未完成；"
                "培育库未作改动，请稍后再试"
            )
        time.sleep(WRITER_POLL)


def share_register(session: Session) -> None:
    """Read the register for this transaction as it stands once no change of it is under
    way: a round import's checks and a decision's gates then see either the register
    before a change and its recheck, or both after it, never one without the other. Taken
    before the transaction writes anything (a writer holding the register may be waiting
    for a row this one would lock)."""
    if session.get_bind().dialect.name == "postgresql":
        key, sub = _REGISTRY_LOCK
        session.execute(
            select(
                func.pg_advisory_xact_lock_shared(
                    type_coerce(key, Integer), type_coerce(sub, Integer)
                )
            )
        )


def _this_year() -> int:
    return datetime.now(UTC).astimezone().year


class Registry:
    """The register's operations, each in one database session."""

    def __init__(self, store: Store, evaluations: Evaluations) -> None:
        self.store = store
        self.evaluations = evaluations

    def accept_value(
        self, round_name: str, uscc: str, field: str, *, evaluator: str | None = None
    ) -> dict[str, Any]:
        """Take the register's value of a declared title into an applicant's data (a new
        version, provenance 培育库, re-evaluated; recorded in the audit trail)."""
        from zjtx.store.registry_checks import accept_registry_value

        with gc_paused(), self.store.write_session() as session:
            return accept_registry_value(
                session, self.evaluations, round_name, uscc, field, evaluator
            )

    # ---------------------------------------------------------------------------- import

    def import_list(
        self,
        published: PublishedList,
        *,
        title: str,
        year: int,
        batch: str = "",
        status: str = RegistryStatus.RECOGNISED.value,
        level: str | None = None,
        valid_years: int = 3,
        evaluator: str | None = None,
    ) -> RegistryImport:
        """Enter a read list: one recognition per row. A row already on record in the same
        state changes nothing; a new state (recognised after publicity, revoked…) supersedes
        the old one; a 统一社会信用代码 the list gives for a name-only enterprise is attached to
        its entries. Any problem in the list (or a code contradicting the one on record)
        raises RegistryImportError and nothing is written."""
        from zjtx.domain.registry import DEFAULT_LEVEL

        title = RegistryTitle.parse(title).value
        status = RegistryStatus.parse(status).value
        if status == RegistryStatus.EXPIRED.value:
            raise InvalidRequestError("“已过期”由有效期推算，不能作为名单状态导入")
        level = RegistryLevel.parse(level).value if level else DEFAULT_LEVEL[RegistryTitle(title)]
        if published.problems:
            raise RegistryImportError(published.problems)
        with gc_paused(), self.store.write_session() as session:
            _lock(session)
            actor = evaluator_row(session, evaluator)
            plan = _ImportPlan(
                published, title, year, batch, status, level, valid_years, actor, utc_now()
            )
            plan.build(current_entries(session))
            if plan.problems:
                raise RegistryImportError(plan.problems)
            return _written(session, plan)

    def absence_unchecked(
        self, *, window: bool = False, round_name: str | None = None
    ) -> list[str]:
        """The open rounds (or round ``round_name``, its lines not naming it) where the
        register, not holding every published list that would name their applicants, said
        nothing of applicants missing from it (a line for each title left unchecked;
        ``window``: where to import a list is said in the window's words)."""
        from zjtx.store.registry_checks import absence_unchecked

        with self.store.session() as session:
            return absence_unchecked(session, window=window, round_name=round_name)

    def recheck_rounds(self, *, evaluator: str | None = None) -> tuple[RoundRecheck, ...]:
        """Check every round not archived again against the register as it stands (after
        an update of zjtx changed the checks, say); the rounds whose warnings changed."""
        from zjtx.store.registry_recheck import recheck_open_rounds

        with gc_paused(), self.store.write_session() as session:
            _lock(session)
            actor = evaluator_row(session, evaluator)
            return tuple(recheck_open_rounds(session, actor, utc_now(), None))

    # ------------------------------------------------------------------ our own rounds

    def recognise_round(
        self,
        round_name: str,
        *,
        year: int | None = None,
        valid_years: int = 3,
        batch: str | None = None,
        evaluator: str | None = None,
    ) -> RegistryImport:
        """Mark a round 认定: every applicant decided 推荐 enters the register as recognised
        with the round's tier as title and the round as source (year: the round date's unless
        given). Marking again adds only what changed since (a later 推荐); recorded in the
        round's audit trail. A round with no 推荐 decision is refused."""
        from zjtx.domain.labels import Decision
        from zjtx.domain.registry import DEFAULT_LEVEL
        from zjtx.intake.published_list import ListRow, PublishedList
        from zjtx.store.common import find_round, outdated_decisions

        with gc_paused(), self.store.write_session() as session:
            _lock(session)
            round_row = find_round(session, round_name)
            if round_row.tier not in RegistryTitle._value2member_map_:
                raise InvalidRequestError(f"批次 “{round_row.name}” 的层级不是可认定的称号")
            title = RegistryTitle(round_row.tier)
            year = year or round_row.round_date.year
            query = (
                select(Applicant.id, Applicant.name, Applicant.uscc, ApplicantVersion.city,
                       ApplicantVersion.county)
                .join(Review, Review.applicant_id == Applicant.id)
                .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                .where(Applicant.round_id == round_row.id,
                       Review.decision == Decision.RECOMMEND.value)
                .order_by(Applicant.id)
            )  # fmt: skip
            recommended = session.execute(query).all()
            # A 推荐 that the data or the verdict has overtaken is no recognition yet.
            outdated = outdated_decisions(session, round_row.id)
            doubtful = [
                f"{name}（{uscc}）：{outdated[owner]}"
                for owner, name, uscc, _city, _county in recommended
                if owner in outdated
            ]
            if doubtful:
                raise InvalidRequestError(
                    f"批次 “{round_row.name}” 中有 {len(doubtful)} 家“{Decision.RECOMMEND.label}”"
                    f"需复核，未标记任何企业：{'；'.join(doubtful)}；请复核并重新保存决定后再标记"
                )
            rows = [
                ListRow(name, normalise_name(name), uscc, city, county, None, None)
                for _owner, name, uscc, city, county in recommended
            ]
            if not rows:
                raise InvalidRequestError(
                    f"批次 “{round_row.name}” 中还没有决定为“{Decision.RECOMMEND.label}”的企业，"
                    "无法标记为已认定"
                )
            published = PublishedList(
                path=Path(round_row.name),
                file_name=f"评审批次 {round_row.name}",
                sha256=hashlib.sha256(f"round:{round_row.id}:{year}".encode()).hexdigest(),
                document_title=f"评审批次 “{round_row.name}” 推荐企业，{year} 年认定",
                rows=rows,
            )
            actor = evaluator_row(session, evaluator)
            plan = _ImportPlan(
                published,
                title.value,
                year,
                round_row.name if batch is None else batch,
                RegistryStatus.RECOGNISED.value,
                DEFAULT_LEVEL[title].value,
                valid_years,
                actor,
                utc_now(),
                round_id=round_row.id,
            )
            plan.build(current_entries(session))
            if plan.problems:
                raise RegistryImportError(plan.problems)
            return _written(session, plan)

    def round_recognitions(self, round_name: str) -> list[RoundRecognition]:
        """When a round was marked 认定 (each marking that entered something), oldest first."""
        from zjtx.store.common import find_round

        with self.store.session() as session:
            round_row = find_round(session, round_name)
            query = (
                select(RegistryList, Evaluator.name)
                .join(Evaluator, Evaluator.id == RegistryList.imported_by_id)
                .where(RegistryList.round_id == round_row.id)
                .order_by(RegistryList.id)
            )
            return [
                RoundRecognition(r.year, r.title, r.entries_added, actor, r.imported_at)
                for r, actor in session.execute(query)
            ]

    # --------------------------------------------------------------------------- queries

    def list_entries(
        self,
        *,
        title: str | None = None,
        year: int | None = None,
        region: str | None = None,
        status: str | None = None,
        history: bool = False,
    ) -> list[RegistryEntryInfo]:
        """One row per recognition (its current state; every state with ``history``)."""
        with self.store.session() as session:
            query = (
                select(RegistryEntry, Evaluator.name)
                if history
                else current_query(RegistryEntry, Evaluator.name)
            )
            query = query.join(Evaluator, Evaluator.id == RegistryEntry.created_by_id)
            if title:
                query = query.where(RegistryEntry.title == RegistryTitle.parse(title).value)
            if year is not None:
                query = query.where(RegistryEntry.year == year)
            if region:
                like = f"%{region.strip()}%"
                query = query.where(
                    or_(RegistryEntry.city.like(like), RegistryEntry.county.like(like))
                )
            query = query.order_by(
                RegistryEntry.year, RegistryEntry.title, RegistryEntry.source_row, RegistryEntry.id
            )
            current = None if not history else _current_ids(session)
            rows = [
                _info(entry, actor, current is None or entry.id in current)
                for entry, actor in session.execute(query)
            ]
        if status:
            wanted = RegistryStatus.parse(status).value
            rows = [r for r in rows if r.shown_status == wanted]
        return rows

    def due(self, year: int, *, title: str | None = None) -> list[RegistryEntryInfo]:
        """Recognitions held whose validity ends in ``year`` (a 2024 recognition of 3 years
        is due in 2027), by region and name; not one whose enterprise holds the title again
        from a later year (复核通过, recognised anew)."""
        held = [RegistryEntry.status.in_(HOLDING)]
        if title:
            held.append(RegistryEntry.title == RegistryTitle.parse(title).value)
        with self.store.session() as session:
            # A national and a provincial recognition of one title are two recognitions.
            later = {
                (e.title, e.level, key): e.year
                for e in sorted(current_entries(session, *held), key=lambda e: e.year)
                for key in (e.uscc, e.name_key)
                if key
            }
            query = (
                current_query(RegistryEntry, Evaluator.name)
                .join(Evaluator, Evaluator.id == RegistryEntry.created_by_id)
                .where(RegistryEntry.valid_until == year, *held)
            )
            query = query.order_by(
                RegistryEntry.title,
                RegistryEntry.city,
                RegistryEntry.county,
                RegistryEntry.name_key,
            )
            return [
                _info(entry, actor, True)
                for entry, actor in session.execute(query)
                if max(
                    later.get((entry.title, entry.level, entry.uscc), 0),
                    later.get((entry.title, entry.level, entry.name_key), 0),
                )
                <= entry.year
            ]

    def show(self, name_or_uscc: str) -> EnterpriseHistory:
        """An enterprise's every recognition state and its applications in our rounds;
        NotFoundError (with near names as suggestions) when the register has none."""
        text = name_or_uscc.strip()
        with self.store.session() as session:
            ids = _enterprise_ids(session, text)
            result = EnterpriseHistory(query=text, name=None, uscc=None)
            if ids:
                current = _current_ids(session)
                query = (
                    select(RegistryEntry, Evaluator.name)
                    .join(Evaluator, Evaluator.id == RegistryEntry.created_by_id)
                    .where(RegistryEntry.id.in_(ids))
                    .order_by(RegistryEntry.id)
                )
                result.entries = [
                    _info(entry, actor, entry.id in current)
                    for entry, actor in session.execute(query)
                ]
                latest = result.entries[-1]
                result.name = latest.name
                result.uscc = next((e.uscc for e in reversed(result.entries) if e.uscc), None)
            usccs = {e.uscc for e in result.entries if e.uscc} | (
                {text.upper()} if len(text) == 18 else set()
            )
            names = {e.name for e in result.entries} | {text}
            result.applications = _applications(session, usccs, names)
            if not result.entries:
                from zjtx.store.registry_match import near_names

                keys = dict(
                    session.execute(current_query(RegistryEntry.name_key, RegistryEntry.name)).all()
                )
                result.suggestions = near_names(normalise_name(text), keys)
                if not result.applications:
                    hint = "、".join(f"“{n}”" for n, _ in result.suggestions[:3])
                    raise NotFoundError(
                        f"培育库中没有 “{text}” 的记录"
                        + (f"；相近的名称：{hint}（请确认后用全称查询）" if hint else "")
                    )
        return result

    def enterprise(self, uscc: str, name: str) -> EnterpriseHistory:
        """An applicant's recognitions (every state: those under its code, and name-only ones
        of its normalised name) and its applications in our rounds; empty when none."""
        key = normalise_name(name)
        with self.store.session() as session:
            query = (
                select(RegistryEntry, Evaluator.name)
                .join(Evaluator, Evaluator.id == RegistryEntry.created_by_id)
                .where(
                    or_(
                        RegistryEntry.uscc == uscc,
                        (RegistryEntry.name_key == key) & RegistryEntry.uscc.is_(None),
                    )
                )
                .order_by(RegistryEntry.id)
            )
            found = list(session.execute(query))
            ids = [entry.id for entry, _ in found]
            replaced = set(
                session.scalars(
                    select(RegistryEntry.supersedes_id).where(
                        RegistryEntry.supersedes_id.in_(ids or [-1])
                    )
                )
            )
            result = EnterpriseHistory(query=uscc, name=name, uscc=uscc)
            result.entries = [
                _info(entry, actor, entry.id not in replaced) for entry, actor in found
            ]
            names = {name} | {e.name for e in result.entries}
            result.applications = _applications(session, {uscc}, names)
        return result

    # ---------------------------------------------------------------------------- changes

    def revoke(
        self, name_or_uscc: str, *, title: str, reason: str, evaluator: str | None = None
    ) -> RegistryChange:
        """Revoke an enterprise's held recognitions of ``title``: each gets a new state
        (已撤销, with the reason) superseding the current one; open rounds are checked again."""
        title = RegistryTitle.parse(title).value
        if not reason.strip():
            raise InvalidRequestError("撤销称号必须说明理由（--reason）")
        check_text("撤销理由", reason.strip())
        with self.store.write_session() as session:
            _lock(session)
            actor = evaluator_row(session, evaluator)
            ids = _enterprise_ids(session, name_or_uscc.strip())
            held = [
                e
                for e in current_entries(session, RegistryEntry.id.in_(ids or [-1]))
                if e.title == title and e.status in HOLDING
            ]
            if not held:
                raise NotFoundError(
                    f"培育库中 “{name_or_uscc}” 没有可撤销的{RegistryTitle.label_of(title)}称号"
                )
            now = utc_now()
            rows = [
                _copy(e, actor, now, status=RegistryStatus.REVOKED.value, note=reason.strip())
                for e in held
            ]
            new_ids = insert_many(session, RegistryEntry, rows)
            insert_many(
                session,
                AuditEvent,
                [
                    _audit(actor, now, "registry-revoke", new_id, row, e, reason.strip())
                    for new_id, row, e in zip(new_ids, rows, held, strict=True)
                ],
            )
            from zjtx.store.registry_recheck import recheck_after_change

            rechecked = recheck_after_change(session, actor, now, rows)
        entries = [e for e in self.show(name_or_uscc).entries if e.id in set(new_ids)]
        return RegistryChange(entries, rechecked)

    def attach_uscc(
        self, name: str, uscc: str, *, evaluator: str | None = None, reason: str | None = None
    ) -> RegistryChange:
        """Give a name-only enterprise its 统一社会信用代码 (each current entry of that
        normalised name gets a new state carrying it); the evaluator confirming a near match
        does this too. A different code already on record is refused."""
        from zjtx.domain.uscc import validate_uscc

        code = uscc.strip().upper()
        if (problem := validate_uscc(code)) is not None:
            raise InvalidRequestError(problem.message)
        key = normalise_name(name)
        with self.store.write_session() as session:
            _lock(session)
            actor = evaluator_row(session, evaluator)
            entries = current_entries(session, RegistryEntry.name_key == key)
            if not entries:
                raise NotFoundError(f"培育库中没有名称为 “{name}” 的企业")
            other = next((e for e in entries if e.uscc and e.uscc != code), None)
            if other is not None:
                raise InvalidRequestError(
                    f"企业 “{other.name}” 在培育库中记录的统一社会信用代码是 {other.uscc}，"
                    f"与 {code} 不符；培育库未作改动"
                )
            todo = [e for e in entries if e.uscc is None]
            now = utc_now()
            note = reason or "补充统一社会信用代码"
            rows = [_copy(e, actor, now, uscc=code, note=note) for e in todo]
            new_ids = insert_many(session, RegistryEntry, rows)
            insert_many(
                session,
                AuditEvent,
                [
                    _audit(actor, now, "registry-uscc-attach", i, row, e, note)
                    for i, row, e in zip(new_ids, rows, todo, strict=True)
                ],
            )
            from zjtx.store.registry_recheck import recheck_after_change

            rechecked = recheck_after_change(session, actor, now, rows)
        entries = [e for e in self.show(code).entries if e.id in set(new_ids)]
        return RegistryChange(entries, rechecked)


def _written(session: Session, plan: _ImportPlan) -> RegistryImport:
    """Write a planned list, then check the open rounds again against the changed register."""
    from zjtx.store.registry_checks import published_spans
    from zjtx.store.registry_recheck import recheck_after_change

    before = published_spans(session)
    result = plan.write(session)
    if result.changed_nothing:
        return result
    rechecked = recheck_after_change(session, plan.actor, plan.now, plan.new_rows, before)
    return replace(result, rechecked=rechecked)


def _info(entry: RegistryEntry, actor: str, current: bool) -> RegistryEntryInfo:
    return RegistryEntryInfo(
        id=entry.id,
        name=entry.name,
        uscc=entry.uscc,
        city=entry.city,
        county=entry.county,
        title=entry.title,
        level=entry.level,
        year=entry.year,
        batch=entry.batch,
        status=entry.status,
        shown_status=effective_status(entry.status, entry.valid_until, _this_year())
        if current
        else entry.status,
        valid_until=entry.valid_until,
        source_file=entry.source_file,
        source_sheet=entry.source_sheet,
        source_row=entry.source_row,
        source_title=entry.source_title,
        note=entry.note,
        supersedes_id=entry.supersedes_id,
        current=current,
        created_by=actor,
        created_at=entry.created_at,
    )


def _current_ids(session: Session) -> set[int]:
    return set(session.scalars(current_query(RegistryEntry.id)))


def _enterprise_ids(session: Session, text: str) -> list[int]:
    """Every entry (all states) of the enterprise named or coded by ``text``: its entries by
    code, and by normalised name those that carry no other code."""
    code = text.upper()
    key = normalise_name(text)
    rows = session.execute(
        select(RegistryEntry.id, RegistryEntry.uscc, RegistryEntry.name_key).where(
            or_(RegistryEntry.uscc == code, RegistryEntry.name_key == key)
        )
    ).all()
    usccs = {uscc for _, uscc, _ in rows if uscc}
    if code in usccs:
        usccs = {code}
    keys = {k for _, _, k in rows}
    if usccs:
        more = session.execute(
            select(RegistryEntry.id, RegistryEntry.uscc, RegistryEntry.name_key).where(
                or_(RegistryEntry.uscc.in_(usccs), RegistryEntry.name_key.in_(keys))
            )
        ).all()
        rows = [r for r in more if r[1] is None or r[1] in usccs]
    return sorted({r[0] for r in rows})


def _applications(session: Session, usccs: set[str], names: set[str]) -> list[RoundApplication]:
    conditions = [Applicant.name.in_(names)]
    if usccs:
        conditions.append(Applicant.uscc.in_(usccs))
    query = (
        select(
            Round.name,
            Round.tier,
            Round.round_date,
            Applicant.uscc,
            Applicant.name,
            Evaluation.verdict,
            Review.decision,
        )
        .join(Round, Round.id == Applicant.round_id)
        .outerjoin(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
        .outerjoin(Review, Review.applicant_id == Applicant.id)
        .where(or_(*conditions))
        .order_by(Round.round_date, Round.name)
    )
    return [
        RoundApplication(r[0], r[1], r[2].isoformat(), r[3], r[4], r[5], r[6])
        for r in session.execute(query)
    ]


__all__ = [
    "EnterpriseHistory",
    "Registry",
    "RegistryEntryInfo",
    "RegistryImportError",
    "RoundApplication",
    "RoundRecognition",
    "current_entries",
    "current_query",
]
