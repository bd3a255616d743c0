"""Importing read files into a round: partitioning the applicants, writing them a chunk at a
time, and the file's record; one transaction per file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, func, select, type_coerce
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.issues import Issue, Severity, issue_key
from zjtx.domain.results import Confirmation
from zjtx.store import audit, codec
from zjtx.store.bulk import chunks, gc_by_chunk, insert_many, point_applicants
from zjtx.store.common import (
    Cancel,
    Progress,
    check_open,
    column_limit,
    evaluator_row,
    find_round,
    round_info,
    take_sqlite_write_lock,
)
from zjtx.store.dto import FileImport, RoundInfo
from zjtx.store.engine import Store, wait_long_for_locks
from zjtx.store.errors import DatabaseBusyError, ImportCancelled
from zjtx.store.evaluations import Evaluations, confirmations_of, evaluation_values, input_hash
from zjtx.store.import_rows import (
    Histories,
    Partition,
    applicants_given,
    kept_newer_issues,
    partition,
    stale_issues,
    stored_versions,
    type_missing,
    version_values,
    where_of,
)
from zjtx.store.merging import (
    History,
    Merged,
    audit_detail,
    carried_warnings,
    merge,
    merge_issues,
    merged_warnings,
    named_fields,
    warnings_changed,
)
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluation,
    EvaluationResult,
    Evaluator,
    ImportFile,
    Round,
    utc_now,
)
from zjtx.store.refused_rows import (
    RefusedRow,
    combine,
    refused_base,
    refused_records,
    refused_rows,
    with_refused_names,
)
from zjtx.store.registry import share_register
from zjtx.store.registry_checks import cross_check
from zjtx.store.scored import Scored
from zjtx.store.scoring_pool import chunk_scoring

if TYPE_CHECKING:
    from zjtx.intake.records import FileResult
    from zjtx.store.early_scoring import EarlyScoring

CHUNK = 500  # applicants written per batch of INSERTs inside one file's transaction
# Two-key advisory lock class for imports into one PostgreSQL round (the key is the round id).
_IMPORT_LOCK_CLASS = 0x7A6A
REGION_KEYS = ("province", "city", "county")
UNSAVED = "本文件未写入"


class Imports:
    """Reads files with zjtx.intake and imports each into a round in its own transaction."""

    def __init__(self, store: Store, evaluations: Evaluations) -> None:
        self.store = store
        self.evaluations = evaluations

    def read_files(
        self,
        info: RoundInfo,
        paths: Sequence[Path | str],
        progress: Progress | None,
        cancel: Cancel | None,
        mapping_overrides: Sequence[Any],
        hints: Any,
        intake_options: dict[str, Any] | None = None,
        early: EarlyScoring | None = None,
    ) -> list[FileResult]:
        from zjtx.intake import read_applicants
        from zjtx.intake.hints import CLI_HINTS
        from zjtx.intake.ip_count import round_ip_definitions

        def intake_progress(done: int, total: int, message: str = "") -> None:
            if progress is not None:
                progress(done, total)

        result = read_applicants(
            [Path(p) for p in paths],
            info.round_date.year,
            progress=intake_progress,
            cancel=cancel,
            mapping_overrides=mapping_overrides,
            hints=hints or CLI_HINTS,
            on_read=early.feed if early is not None else None,
            ip_definitions=round_ip_definitions(info.tier, info.round_date, info.rulebook),
            **(intake_options or {}),
        )
        return list(result.files)

    def import_file(
        self,
        round_name: str,
        file: FileResult,
        evaluator: str | None,
        progress: Progress | None,
        cancel: Cancel | None,
        early: EarlyScoring | None = None,
    ) -> FileImport:
        try:
            with gc_by_chunk() as collect, self.store.write_session() as session:
                round_row = find_round(session, round_name)
                _take_round_turn(session, round_row)
                # Before anything is written: a register change and its recheck come wholly
                # before this import's checks against the register, or wholly after its
                # versions.
                share_register(session)
                check_open(round_row, "导入申报数据")
                actor = evaluator_row(session, evaluator)
                run = _FileRun(session, self.evaluations, round_row, actor, file, progress,
                               cancel, collect, early)  # fmt: skip
                return run.perform()
        except DatabaseBusyError:
            # Waiting for another import into the round, or a save (on PostgreSQL an import
            # waits its turn for minutes, not a save's 15 s).
            raise DatabaseBusyError(
                f"数据库正忙：另一位评审人正在向批次 “{round_name}” 导入申报数据或保存，"
                "本文件未导入；请稍后再导入"
            ) from None


def _take_round_turn(session: Session, round_row: Round) -> None:
    """Imports into one round take turns: the second reads what the first stored instead of
    inserting the same applicants or the record of the same file. On PostgreSQL the turn is
    waited for longer than a save waits for a lock (an import takes minutes), yet not without
    limit (one whose PC froze is ended by the server meanwhile). SQLite reads outside a
    transaction until the first write: its single write lock is taken now."""
    if session.get_bind().dialect.name != "postgresql":
        take_sqlite_write_lock(session, Round, round_row.id)
        session.refresh(round_row)  # archived or renamed while this import waited
        return
    wait_long_for_locks(session)
    session.execute(
        select(
            func.pg_advisory_xact_lock(
                type_coerce(_IMPORT_LOCK_CLASS, Integer), type_coerce(round_row.id, Integer)
            )
        )
    )
    session.refresh(round_row)  # archived or renamed while this import waited


@dataclass(slots=True)
class _Current:
    """What the database already holds for one applicant of the round."""

    applicant_id: int
    version_id: int
    number: int
    values_hash: str
    evaluation_id: int | None
    import_file_id: int | None = None  # the file the current version came from


@dataclass(slots=True)
class _Work:
    """One applicant to write: a new one, or a new version of one already in the round."""

    applicant: DomainApplicant
    values: dict[str, Any]
    values_hash: str
    applicant_id: int
    number: int
    known: _Current | None


@dataclass
class _FileRun:
    """Importing one file in the session of its transaction."""

    session: Session
    evaluations: Evaluations
    round_row: Round
    actor: Evaluator
    file: FileResult
    progress: Progress | None
    cancel: Cancel | None
    collect: Callable[[], Any] = lambda: None  # the garbage of a written chunk
    early: EarlyScoring | None = None  # workers that scored while the file was read
    now: datetime = field(default_factory=utc_now)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # What this file was merged over (by USCC) and the notices and warnings that say so.
    merges: dict[str, Merged] = field(default_factory=dict)
    merge_issues: list[Issue] = field(default_factory=list)
    # The warnings of the versions this file updates that still hold (carried_warnings).
    carried: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    # Applicants whose values this file leaves as they are but whose warnings it changes (it
    # gives again what an earlier warning was about, or warns of its own): a version with the
    # same values and this file's warnings, counted as unchanged. By USCC, the warnings gone.
    reissued: dict[str, int] = field(default_factory=dict)
    # Names the file's own earlier values are stored under (taken back when read again).
    own_names: set[str] = field(default_factory=set)
    named: dict[str | None, set[str]] = field(default_factory=dict)  # fields by sheet
    # An older file read again: the fields a newer file's values stay in, by USCC.
    passed_over: dict[str, dict[str, tuple[str, Any]]] = field(default_factory=dict)
    as_merged: dict[str, DomainApplicant] = field(default_factory=dict)  # by USCC
    # The rows of the round's other files the gate refused (refused_rows), found once.
    refused: dict[str, list[RefusedRow]] | None = None
    # USCC -> the files of the refused rows a new applicant was combined with
    combined: dict[str, tuple[str, ...]] = field(default_factory=dict)
    file_id: int = 0  # this file's record
    file_name: str = field(init=False)
    info: RoundInfo = field(init=False)

    def __post_init__(self) -> None:
        self.file_name = _file_name(self.file)
        self.info = round_info(self.round_row, "")

    def perform(self) -> FileImport:
        file = self.file
        if not file.sha256 or file.kind in ("unreadable", "skipped"):
            # Nothing was read from it: report its issues, record nothing.
            return self._result(list(file.issues), already=False, imported=0)
        # The same file read again the same way changes nothing. Read with another column
        # mapping (the evaluator corrected it, or took a correction back) it may carry other
        # values: it is imported again over its record.
        mapping = _manual_mapping(file)
        query = select(ImportFile).where(
            ImportFile.round_id == self.round_row.id, ImportFile.sha256 == file.sha256
        )
        # Two evaluators re-importing the same file take turns on its record.
        previous = self.session.scalar(query.with_for_update())
        last_mapping = _last_mapping(self.session, previous) if previous is not None else None
        # Read the same way, it may still hold other rows: one blocked at its first import as
        # a duplicate of another file of that batch is accepted read on its own.
        same_rows = previous is not None and (previous.rows_imported, previous.rows_blocked) == (
            file.rows_imported,
            file.rows_blocked,
        )
        if previous is not None and last_mapping == mapping and same_rows:
            self.unchanged = len(file.applicants)
            return self._result(list(file.issues), already=True, imported=file.rows_imported)

        part = partition(file, self.file_name, self.round_row.region)
        import_row, record_before, earlier_versions = self._record(part, previous, last_mapping)
        self.file_id = import_row.id
        self.named = named_fields(file)
        self.own_names = {self.file_name, file.display_name or Path(str(file.path)).name}
        if record_before is not None:
            self.own_names.add(record_before["file"])
        current = _current_state(self.session, self.round_row.id)
        kept_newer = self._write(part, current, import_row, previous)
        issues = part.issues
        late = (
            self.merge_issues
            + kept_newer_issues(kept_newer, self.passed_over, self.file_name)
            + stale_issues(file, current, previous, self.file_name)
        )
        issues.extend(late)
        import_row.issues = with_refused_names(issues, file.blocked_applicants)
        import_row.versions_created = (
            earlier_versions + self.new + self.changed + len(self.reissued)
        )
        self.session.add(
            audit.event(
                self.actor,
                "file-import",
                "import_file",
                import_row.id,
                self.round_row,
                before=record_before,
                after={
                    "file": self.file_name,
                    "sha256": file.sha256,
                    "corrected_mapping": bool(mapping),
                    "mapping": mapping,
                    "kept_newer": len(kept_newer),
                    "rows_total": file.rows_total,
                    "rows_imported": len(part.accepted),
                    "rows_blocked": import_row.rows_blocked,
                    "new": self.new,
                    "changed": self.changed,
                    "unchanged": self.unchanged,
                    "errors": sum(1 for i in issues if i.severity == Severity.ERROR),
                    "warnings": sum(1 for i in issues if i.severity == Severity.WARNING),
                },
                at=self.now,
            )
        )
        self._check_cancel()
        return self._result(
            issues, already=False, imported=len(part.accepted), blocked=import_row.rows_blocked
        )

    def _result(
        self,
        issues: list[Issue],
        *,
        already: bool,
        imported: int,
        blocked: int | None = None,
    ) -> FileImport:
        file = self.file
        return FileImport(
            file_name=self.file_name,
            path=str(file.path),
            sha256=file.sha256 or "",
            kind=file.kind,
            already_imported=already,
            rows_total=file.rows_total,
            rows_imported=imported,
            rows_blocked=file.rows_blocked if blocked is None else blocked,
            rows_blank=file.rows_blank,
            applicants_new=self.new,
            applicants_changed=self.changed,
            applicants_unchanged=self.unchanged,
            issues=tuple(issues),
        )

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ImportCancelled(f"已取消导入 {self.file_name}；该文件的数据未写入")

    def _record(
        self, part: Partition, previous: ImportFile | None, last_mapping: list[list[Any]] | None
    ) -> tuple[ImportFile, dict[str, Any] | None, int]:
        """The file's record (a new one, or the earlier one updated), what it said before and
        how many versions it had created."""
        file = self.file
        record = {
            "file_name": self.file_name,
            "path": str(file.path),
            "kind": file.kind,
            "rows_total": file.rows_total,
            "rows_imported": len(part.accepted),
            "rows_blocked": file.rows_blocked + (len(file.applicants) - len(part.accepted)),
            "rows_blank": file.rows_blank,
            "issues": [issue.to_dict() for issue in part.issues],
            "refused": refused_records(file, file.issues) if file.blocked_applicants else None,
            "imported_by_id": self.actor.id,
            "imported_at": self.now,
        }
        if previous is None:
            import_row = ImportFile(
                round_id=self.round_row.id, sha256=file.sha256, versions_created=0, **record
            )
            self.session.add(import_row)
            self.session.flush()
            return import_row, None, 0
        before = {
            "file": previous.file_name,
            "rows_imported": previous.rows_imported,
            "rows_blocked": previous.rows_blocked,
            "issues": previous.issues,
            "imported_at": previous.imported_at.isoformat(),
            "mapping": last_mapping,
        }
        earlier_versions = previous.versions_created
        for key, value in record.items():
            setattr(previous, key, value)
        self.session.flush()
        return previous, before, earlier_versions

    def _write(
        self,
        part: Partition,
        current: dict[str, _Current],
        import_row: ImportFile,
        previous: ImportFile | None,
    ) -> list[DomainApplicant]:
        """Write the accepted applicants a chunk at a time; those a newer file has updated
        since are left alone and returned."""
        confirmations = confirmations_of(self.session, self.round_row.id)
        kept_newer: list[DomainApplicant] = []
        if self.refused is None:
            self.refused = refused_rows(self.session, self.round_row.id, self.file_id)
        refused = self.refused
        if not current and not any(a.uscc in refused for a in part.accepted):
            # A round's first import: every applicant is new and stands as the file gives it
            # (none is combined with a refused row), so its scoring (the workers of a large
            # file) starts before the values are hashed, which it does not need.
            jobs = [[(a, ()) for a in chunk] for chunk in chunks(part.accepted, CHUNK)]
            scoring = chunk_scoring(
                self.evaluations, self.session, self.info, UNSAVED, jobs, self.early
            )
            try:
                plans = self._plans(part, current, previous, kept_newer)
            except BaseException:
                scoring.close()
                raise
        else:
            plans = self._plans(part, current, previous, kept_newer)
            jobs = [
                [(a, ()) for a, _, _ in fresh]
                + [(a, confirmations.get(k.applicant_id, ())) for a, _, _, k in updates]
                for _size, fresh, updates in plans
            ]
            scoring = chunk_scoring(
                self.evaluations, self.session, self.info, UNSAVED, jobs, self.early
            )
        # Checked against the register (培育库) in one query, as merged: warnings with the
        # file's issues.
        checked = [self.as_merged.get(a.uscc, a) for a in part.accepted]
        part.issues.extend(cross_check(self.session, checked, self.round_row, self.file_name))
        part.issues.extend(type_missing(checked, self.file_name))
        issues_by_uscc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for issue in [*part.issues, *self.merge_issues]:
            if issue.uscc:
                issues_by_uscc[issue.uscc].append(issue.to_dict())
        for uscc, carried in self.carried.items():
            own = {issue_key(issue) for issue in issues_by_uscc[uscc]}
            issues_by_uscc[uscc] += [dict(i) for i in carried if issue_key(i) not in own]
        try:
            done = 0
            for index, (size, fresh, updates) in enumerate(plans):
                self._check_cancel()
                ids = insert_many(
                    self.session,
                    Applicant,
                    [
                        {"round_id": self.round_row.id, "uscc": a.uscc, "name": a.name,
                         "created_at": self.now}
                        for a, _, _ in fresh
                    ],
                )  # fmt: skip
                work = [
                    _Work(a, v, h, applicant_id, 1, None)
                    for (a, v, h), applicant_id in zip(fresh, ids, strict=True)
                ] + [_Work(a, v, h, k.applicant_id, k.number + 1, k) for a, v, h, k in updates]
                scored = scoring.scored(index)
                if work:
                    self._write_chunk(work, scored, issues_by_uscc, confirmations, import_row)
                    self.collect()
                done += size
                if self.progress:
                    self.progress(done, len(part.accepted))
        finally:
            scoring.close()
        return kept_newer

    def _plans(
        self,
        part: Partition,
        current: dict[str, _Current],
        previous: ImportFile | None,
        kept_newer: list[DomainApplicant],
    ) -> list[tuple[int, list[tuple[DomainApplicant, dict[str, Any], str]], list[Any]]]:
        """Each chunk's size, new applicants and new versions (the file merged over what is
        stored, values encoded and hashed); the unchanged are counted, those a newer file has
        updated since this file gave them their values go to ``kept_newer``."""
        # Sorted first so that scoring (on other cores for a large file) runs ahead of writing.
        plans: list[tuple[int, list[tuple[DomainApplicant, dict[str, Any], str]], list[Any]]] = []
        # Applicants this file (read before) gave a version to: only those can have been
        # updated by a newer file since. One it never gave any (blocked, say, as a duplicate
        # of another file of its batch) is merged like any other file.
        gave = applicants_given(self.session, previous)
        for chunk in chunks(part.accepted, CHUNK):
            fresh: list[tuple[DomainApplicant, dict[str, Any], str]] = []
            updates: list[tuple[DomainApplicant, dict[str, Any], str, _Current]] = []
            known_of = {a.uscc: current.get(a.uscc) for a in chunk}
            stored = stored_versions(
                self.session, [k.version_id for k in known_of.values() if k is not None]
            )
            histories = Histories(
                self.session, [k.applicant_id for k in known_of.values() if k is not None]
            )
            for applicant in chunk:
                known = known_of[applicant.uscc]
                if known is None:
                    fresh.append(self._fresh(applicant))
                    continue
                own = previous is not None and known.import_file_id == previous.id
                # Read again from an older file: a newer file has updated it since, whose
                # values stay; what this file alone gave takes its new values.
                older = previous is not None and not own and known.applicant_id in gave
                retract = own or older
                history = histories.of(known.applicant_id)
                merged = self._merged(part, applicant, known, stored, (retract, older), history)
                if older and self.passed_over.get(applicant.uscc):
                    kept_newer.append(applicant)
                if merged is None:
                    self.unchanged += 1
                else:
                    updates.append((merged.applicant, merged.values, merged.values_hash, known))
            again = sum(1 for update in updates if update[0].uscc in self.reissued)
            self.new += len(fresh)
            self.changed += len(updates) - again
            self.unchanged += again
            plans.append((len(chunk), fresh, updates))
        return plans

    def _fresh(self, applicant: DomainApplicant) -> tuple[DomainApplicant, dict[str, Any], str]:
        """A new applicant as the file gives it, encoded and hashed; combined with its row in
        an earlier file that the gate refused, where there is one (the 补正 of the figure that
        refused it) and that file is not this one sent again."""
        assert self.refused is not None  # found by _write
        rows = self.refused.get(applicant.uscc)
        row = refused_base(rows, self.own_names) if rows else None
        if row is None:
            values = codec.encode_values(applicant.values)
            return applicant, values, codec.digest(values)
        year = self.round_row.round_date.year
        merged, notice, carried = combine(
            row, applicant, self._named(applicant), self.own_names, self.file_name, year
        )
        self.merges[applicant.uscc] = merged
        self.as_merged[applicant.uscc] = merged.applicant
        self.merge_issues.extend(notice)
        self.carried[applicant.uscc] = carried
        self.combined[applicant.uscc] = row.files
        return merged.applicant, merged.values, merged.values_hash

    def _named(self, applicant: DomainApplicant) -> set[str]:
        """The fields the applicant's sheet of the file has a column (or label) for."""
        sheet = applicant.source.sheet if applicant.source else None
        return self.named.get(sheet) or self.named.get(None) or set()

    def _merged(
        self,
        part: Partition,
        applicant: DomainApplicant,
        known: _Current,
        stored: dict[int, tuple[dict[str, Any], dict[str, Any]]],
        how: tuple[bool, bool],
        history: History,
    ) -> Merged | None:
        """The applicant merged over its stored version, its notices noted; None when that
        changes nothing (nor would it before the round's region filled its province)."""
        (retracting, older), (values, provenance, issues) = how, stored[known.version_id]
        retract = self.own_names if retracting else None
        merged = merge(
            applicant, values, provenance, retract, self._named(applicant), older, history
        )
        self.passed_over[applicant.uscc] = merged.passed_over
        self.as_merged[applicant.uscc] = merged.applicant
        where = where_of(applicant, self.file_name)
        provided = [key for key, value in applicant.values.items() if value is not None]
        carried = carried_warnings(issues, provenance, merged.applicant, provided, self.own_names)
        if merged.applicant is not applicant:
            # Values from other files too: the checks of one against another are made again
            # (the file's own record was checked by the gate as it was read).
            carried += merged_warnings(merged.applicant, self.round_row.round_date.year)
        if merged.values_hash == known.values_hash:
            if merged.blank:  # nothing changes, yet a cell left empty did not clear its value
                self.merge_issues.extend(merge_issues(merged, applicant, self.file_name, where))
            gone = warnings_changed(issues, carried, part.issues, applicant.uscc)
            if gone is None:
                return None
            self.reissued[applicant.uscc] = gone
            self.merges[applicant.uscc] = merged
            self.carried[applicant.uscc] = carried
            return merged
        written = part.as_written.get(applicant.uscc)
        if written is not None:
            plain = DomainApplicant(values=written, provenance={})
            again = merge(plain, values, provenance, retract, older=older, history=history)
            if again.values_hash == known.values_hash:
                return None
        self.merges[applicant.uscc] = merged
        self.merge_issues.extend(merge_issues(merged, applicant, self.file_name, where))
        self.carried[applicant.uscc] = carried
        return merged

    def _write_chunk(
        self,
        work: list[_Work],
        scored: list[Scored],
        issues_by_uscc: dict[str, list[dict[str, Any]]],
        confirmations: dict[int, list[Confirmation]],
        import_row: ImportFile,
    ) -> None:
        """Versions, evaluations, results, current pointers and audit events of a chunk."""
        session, now, actor_id = self.session, self.now, self.actor.id
        version_ids = insert_many(
            session,
            ApplicantVersion,
            [
                {
                    "applicant_id": w.applicant_id,
                    "number": w.number,
                    "values": w.values,
                    "provenance": codec.encode_provenance_map(w.applicant.provenance),
                    "source": codec.encode_provenance(w.applicant.source),
                    "values_hash": w.values_hash,
                    **_region(w.values),
                    "issues": issues_by_uscc.get(w.applicant.uscc, []),
                    "warnings": sum(
                        1
                        for i in issues_by_uscc.get(w.applicant.uscc, ())
                        if i["severity"] == "warning"
                    ),
                    "import_file_id": import_row.id,
                    "created_by_id": actor_id,
                    "created_at": now,
                }
                for w in work
            ],
        )
        evaluation_ids = insert_many(
            session,
            Evaluation,
            [
                evaluation_values(
                    evaluation,
                    w.applicant_id,
                    version_id,
                    input_hash(w.values_hash, self.info, confirmations.get(w.applicant_id, ())),
                    "import",
                    actor_id,
                    now,
                )
                for w, version_id, evaluation in zip(work, version_ids, scored, strict=True)
            ],
        )
        insert_many(
            session,
            EvaluationResult,
            [
                {"evaluation_id": evaluation_id, "result": e.result}
                for evaluation_id, e in zip(evaluation_ids, scored, strict=True)
            ],
        )
        point_applicants(
            session,
            [
                {
                    "id": w.applicant_id,
                    "name": w.applicant.name,
                    "current_version_id": version_id,
                    "current_evaluation_id": evaluation_id,
                }
                for w, version_id, evaluation_id in zip(
                    work, version_ids, evaluation_ids, strict=True
                )
            ],
        )
        old_values = version_values(session, [w.known.version_id for w in work if w.known])
        events = [
            self._version_event(w, version_id, evaluation, old_values)
            for w, version_id, evaluation in zip(work, version_ids, scored, strict=True)
        ]
        insert_many(session, AuditEvent, events)

    def _version_event(
        self,
        w: _Work,
        version_id: int,
        evaluation: Scored,
        old_values: dict[int, dict[str, Any]],
    ) -> dict[str, Any]:
        after: dict[str, Any] = {
            "version": w.number,
            "file": self.file_name,
            "name": w.applicant.name,
            "verdict": str(evaluation.verdict),
            "rulebook": evaluation.rulebook,
        }
        before = None
        if w.known is None and w.applicant.uscc in self.combined:
            after["refused_files"] = list(self.combined[w.applicant.uscc])
            after.update(audit_detail(self.merges[w.applicant.uscc]))
        if w.known is not None:
            old = old_values[w.known.version_id]
            values = w.values
            after["changed"] = {
                key: [audit.plain(old.get(key)), audit.plain(values.get(key))]
                for key in sorted(set(old) | set(values))
                if old.get(key) != values.get(key)
            }
            before = {"version": w.known.number}
            merged = self.merges.get(w.applicant.uscc)
            if merged is not None:
                after.update(audit_detail(merged))
            if w.applicant.uscc in self.reissued:
                after["warnings_superseded"] = self.reissued[w.applicant.uscc]
        return {
            "at": self.now,
            "actor": self.actor.name,
            "action": "applicant-version",
            "entity": "applicant_version",
            "entity_id": version_id,
            "round_id": self.round_row.id,
            "applicant_id": w.applicant_id,
            "uscc": w.applicant.uscc,
            "before": before,
            "after": after,
            "reason": None,
        }


def _file_name(file: FileResult) -> str:
    """The name the file is listed under (cut visibly to what its column holds)."""
    file_name = file.display_name or Path(str(file.path)).name
    limit = column_limit(ImportFile.__table__.c.file_name) or len(file_name)
    if len(file_name) > limit:  # a name for lists, not a key
        file_name = file_name[: limit - 1] + "…"
    return file_name


def _manual_mapping(file: FileResult) -> list[list[Any]]:
    """The columns the evaluator mapped by hand, as stored with the import (sheet, column,
    field, year, unit, role), in a stable order."""
    return sorted(
        (
            [m.sheet, m.column, m.field, m.year, m.unit, m.role]
            for m in file.column_mapping
            if m.manual
        ),
        key=lambda item: (str(item[0]), str(item[1])),
    )


def _last_mapping(session: Session, record: ImportFile) -> list[list[Any]]:
    """The hand-corrected columns the file was last imported with ([] if none)."""
    after = session.scalar(
        select(AuditEvent.after)
        .where(
            AuditEvent.action == "file-import",
            AuditEvent.entity == "import_file",
            AuditEvent.entity_id == record.id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return list((after or {}).get("mapping") or [])


def _current_state(session: Session, round_id: int) -> dict[str, _Current]:
    rows = session.execute(
        select(
            Applicant.uscc,
            Applicant.id,
            ApplicantVersion.id,
            ApplicantVersion.number,
            ApplicantVersion.values_hash,
            Applicant.current_evaluation_id,
            ApplicantVersion.import_file_id,
        )
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .where(Applicant.round_id == round_id)
    ).all()
    return {row[0]: _Current(*row[1:]) for row in rows}


def _region(values: dict[str, Any]) -> dict[str, str | None]:
    """The version's region columns from its stored (encoded) values: text values only."""
    result: dict[str, str | None] = {}
    for key in REGION_KEYS:
        value = values.get(key)
        result[key] = value.strip() or None if isinstance(value, str) else None
    return result
