"""Service API of the store (no Qt): rounds, imports, scoring, reviews, listings and history."""

from __future__ import annotations

import gc
import logging
from collections import ChainMap, Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict, Unpack

from sqlalchemy import (
    JSON,
    Integer,
    String,
    bindparam,
    column,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from zjtx.domain import region as places
from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Issue, Severity
from zjtx.domain.results import VERDICT_LABELS, Confirmation, CriterionState, Verdict
from zjtx.domain.results import Evaluation as DomainEvaluation
from zjtx.scoring.errors import did_you_mean
from zjtx.store import codec
from zjtx.store.dto import (
    DECISION_LABELS,
    TIER_LABELS,
    ApplicantDetail,
    ApplicantRow,
    Decision,
    FileImport,
    FileRead,
    FileResultLike,
    HistoryEntry,
    RescoreReport,
    ReviewItemInfo,
    ReviewState,
    ReviewStatus,
    RoundInfo,
    RoundStatistics,
    VersionInfo,
)
from zjtx.store.engine import Store
from zjtx.store.errors import (
    ConflictError,
    NotFoundError,
    ReviewRuleError,
    RoundArchivedError,
    StoreError,
    TextTooLongError,
)
from zjtx.store.identity import record_evaluator, review_evaluator
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluation,
    EvaluationResult,
    Evaluator,
    ImportFile,
    Review,
    ReviewItem,
    Round,
    RulebookText,
    utc_now,
)
from zjtx.store.scoring_port import RulebookScorer, Scorer
from zjtx.store.texts import compact, expand, extract_texts

log = logging.getLogger("zjtx.store")

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

CHUNK = 500  # applicants written per batch of INSERTs inside one file's transaction
# Opinions and reasons are printed on the one-page 评审意见表: a limit keeps them printable.
REVIEW_TEXT_LIMIT = 2000
# Two-key advisory lock class for imports into one PostgreSQL round (the key is the round id).
_IMPORT_LOCK_CLASS = 0x7A6A
ROLES = ("evaluator", "chair")
ROLE_LABELS = {"evaluator": "评审员", "chair": "评审组长"}


class ReviewOptions(TypedDict, total=False):
    """Who saves a review change and which review version they saw (see apply_review)."""

    evaluator: str | None
    expected_version: int | None


class ImportCancelled(StoreError):
    """The user cancelled an import; the file being imported left no trace."""


def column_limit(column: Any) -> int | None:
    """The length a String column allows (None for unbounded text)."""
    return getattr(column.type, "length", None)


def check_length(label: str, value: str | None, limit: int | None) -> None:
    """Refuse a text longer than its column (PostgreSQL would fail the whole transaction)."""
    if value is not None and limit is not None and len(value) > limit:
        raise TextTooLongError(
            f"{label}有 {len(value)} 个字符，超过了允许的 {limit} 个字符；请缩短后重试"
        )


def _plain(value: Any) -> Any:
    """A stored (tagged) value as plain JSON for the audit trail: 1200, "2020-01-01"..."""
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


REGION_KEYS = ("province", "city", "county")


def _region(values: dict[str, Any]) -> dict[str, str | None]:
    """The version's region columns from its stored (encoded) values: text values only."""
    result: dict[str, str | None] = {}
    for key in REGION_KEYS:
        value = values.get(key)
        result[key] = value.strip() or None if isinstance(value, str) else None
    return result


def _with_round_region(
    applicant: DomainApplicant, round_region: str | None, file_name: str
) -> tuple[DomainApplicant, Issue | None]:
    """The applicant with a province it left empty filled from the round's region (its
    provenance says so), or a warning when the province it gives is not the round's."""
    values = applicant.values
    check = places.check_round_region(
        values.get("province"), values.get("city"), values.get("county"), round_region
    )
    if check.fill is not None:
        filled = Provenance(
            file=places.ROUND_REGION_SOURCE, raw=round_region, kind=places.ROUND_REGION_KIND
        )
        # In the catalogue's place (before 所在市), so the detail pane lists it where it belongs.
        keys = list(values)
        at = next((keys.index(k) for k in ("city", "county") if k in values), len(keys))
        ordered = {k: values[k] for k in keys[:at] if k != "province"}
        ordered["province"] = check.fill
        ordered.update((k, values[k]) for k in keys[at:] if k != "province")
        return DomainApplicant(
            values=ordered,
            provenance=ChainMap({"province": filled}, applicant.provenance),  # type: ignore[arg-type]
            source=applicant.source,
        ), None
    if check.outside is None or check.named_in is None:
        return applicant, None
    cell = applicant.provenance.get(check.named_in)
    source = applicant.source
    return applicant, Issue(
        code="region-outside-round",
        severity=Severity.WARNING,
        message=f"企业 “{applicant.name}” {_field_label(check.named_in)}填写为"
        f"“{values.get(check.named_in)}”，不在本批次地区“{round_region}”内；已按填写保留，"
        "请核实企业注册地",
        file=file_name,
        sheet=cell.sheet if cell else source.sheet if source else None,
        cell=cell.cell if cell else source.cell if source else None,
        field=check.named_in,
        uscc=applicant.uscc,
    )


def _in_region(row: ApplicantRow, wanted: str, province: str | None) -> bool:
    """Whether a row is in the province, city or county (or the whole place) named."""
    place = places.place(row.province, row.city, row.county)
    if province is not None:
        return place.province == province
    city_county = (place.city or "") + (place.county or "")
    return wanted in (place.province, place.city, place.county, city_county, place.text)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# Plain-string keys: the round table looks these up 10,000 times per listing.
_VERDICT_TEXT: dict[str | None, str] = {
    None: "未评价",
    **{str(k): v for k, v in VERDICT_LABELS.items()},
}
_DECISION_TEXT: dict[str | None, str] = {
    None: "未决定",
    **{str(k): v for k, v in DECISION_LABELS.items()},
}


def _verdict_label(verdict: str | None) -> str:
    return _VERDICT_TEXT.get(verdict, verdict or "")


def _decision_label(decision: str | None) -> str:
    return _DECISION_TEXT.get(decision, decision or "")


def _field_label(key: str) -> str:
    try:
        from zjtx.scoring.catalogue import load_catalogue

        spec = load_catalogue().get(key)
    except (OSError, ValueError):  # pragma: no cover - the bundled catalogue is valid
        spec = None
    return spec.relative_label() if spec else key


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class _Current:
    """What the database already holds for one applicant of the round."""

    applicant_id: int
    version_id: int
    number: int
    values_hash: str
    evaluation_id: int | None
    import_file_id: int | None = None  # the file the current version came from


class StoreService:
    """The operations the CLI and the GUI perform, each in one database session.

    Args:
        store: an open store (see zjtx.store.open_store).
        scorer: evaluates applicants; by default the bundled rulebooks via zjtx.scoring.
    """

    def __init__(self, store: Store, *, scorer: Scorer | None = None) -> None:
        self.store = store
        self.scorer: Scorer = scorer or RulebookScorer()
        self._texts_cache: dict[str, dict[str, Any]] = {}

    # ----------------------------------------------------------------- evaluators and rounds

    def _evaluator(self, session: Session, name: str | None) -> Evaluator:
        name = record_evaluator(name)
        if not name:
            raise ReviewRuleError("评审人姓名不能为空")
        check_length("评审人姓名", name, column_limit(Evaluator.__table__.c.name))
        row = session.scalar(select(Evaluator).where(Evaluator.name == name))
        if row is None:
            row = Evaluator(name=name, role="evaluator", created_at=utc_now())
            session.add(row)
            session.flush()
        return row

    def set_evaluator_role(self, name: str, role: str, *, evaluator: str | None = None) -> None:
        """Make someone an evaluator (评审员) or the chair (评审组长); recorded in the trail."""
        if role not in ROLES:
            raise ReviewRuleError(f"角色只能是 {'、'.join(ROLES)}，收到 “{role}”")
        with self.store.write_session() as session:
            actor = self._evaluator(session, evaluator)
            target = self._evaluator(session, name)
            before = target.role
            target.role = role
            session.add(
                self._event(
                    actor,
                    "evaluator-role",
                    "evaluator",
                    target.id,
                    before={"name": name, "role": before},
                    after={"name": name, "role": role},
                )
            )

    def create_round(
        self,
        name: str,
        *,
        tier: str,
        round_date: date,
        region: str | None = None,
        rulebook: str | None = None,
        overlay: str | None = None,
        settings: dict[str, Any] | None = None,
        evaluator: str | None = None,
    ) -> RoundInfo:
        """Create a round (批次); names are unique."""
        name = name.strip()
        if not name:
            raise ReviewRuleError("批次名称不能为空")
        check_length("批次名称", name, column_limit(Round.__table__.c.name))
        check_length("批次地区", region, column_limit(Round.__table__.c.region))
        if tier not in TIER_LABELS:
            raise ReviewRuleError(
                f"未知的层级 “{tier}”"
                + (
                    f"，您是不是要写 “{hint}”？"
                    if (hint := did_you_mean(tier, TIER_LABELS))
                    else ""
                )
                + f"可用：{'、'.join(TIER_LABELS)}"
            )
        try:
            check = getattr(self.scorer, "check_round", None)
            if check is not None:
                check(
                    RoundInfo(
                        id=0,
                        name=name,
                        tier=tier,
                        round_date=round_date,
                        region=region,
                        rulebook=rulebook,
                        overlay=overlay,
                        settings=dict(settings or {}),
                        created_by="",
                        created_at=utc_now(),
                    )
                )
            with self.store.write_session() as session:
                self._check_name_free(session, name)
                actor = self._evaluator(session, evaluator)
                row = Round(
                    name=name,
                    tier=tier,
                    round_date=round_date,
                    region=region,
                    rulebook=rulebook,
                    overlay=overlay,
                    settings=dict(settings or {}),
                    created_by_id=actor.id,
                    created_at=utc_now(),
                )
                session.add(row)
                session.flush()
                info = self._round_info(row, actor.name)
                after = info.to_dict()
                after.pop("created_at")
                session.add(self._event(actor, "round-create", "round", row.id, row, after=after))
        except IntegrityError:
            raise ReviewRuleError(f"批次 “{name}” 已存在，请换一个名称") from None
        return info

    def list_rounds(self, *, include_archived: bool = False) -> list[RoundInfo]:
        """The rounds (archived ones only if asked), newest round date first, with their
        applicant counts."""
        with self.store.session() as session:
            counts = dict(
                session.execute(
                    select(Applicant.round_id, func.count()).group_by(Applicant.round_id)
                ).all()
            )
            query = (
                select(Round, Evaluator.name)
                .join(Evaluator, Evaluator.id == Round.created_by_id)
                .order_by(Round.round_date.desc(), Round.id.desc())
            )
            if not include_archived:
                query = query.where(Round.archived_at.is_(None))
            rows = session.execute(query).all()
            return [self._round_info(r, creator, counts.get(r.id, 0)) for r, creator in rows]

    def rename_round(self, old: str, new: str, *, evaluator: str | None = None) -> RoundInfo:
        """Give a round a new (unique) name; the audit trail keeps the old one."""
        new = (new or "").strip()
        if not new:
            raise ReviewRuleError("批次的新名称不能为空")
        check_length("批次的新名称", new, column_limit(Round.__table__.c.name))
        try:
            with self.store.write_session() as session:
                row = self._round(session, old)
                self._check_open(row, "重命名")
                if new == row.name:
                    raise ReviewRuleError(f"新名称与原名称相同（“{new}”），未作改动")
                self._check_name_free(session, new)
                actor = self._evaluator(session, evaluator)
                before = row.name
                row.name = new
                session.flush()
                session.add(
                    self._event(
                        actor,
                        "round-rename",
                        "round",
                        row.id,
                        row,
                        before={"name": before},
                        after={"name": new},
                    )
                )
        except IntegrityError:  # someone took the name in between
            raise ReviewRuleError(f"批次 “{new}” 已存在，请换一个名称") from None
        return self.get_round(new)

    def archive_round(self, name: str, *, evaluator: str | None = None) -> RoundInfo:
        """Archive a round: it becomes read-only and leaves the default round list."""
        return self._set_archived(name, True, evaluator)

    def restore_round(self, name: str, *, evaluator: str | None = None) -> RoundInfo:
        """Bring an archived round back: it can be imported into and reviewed again."""
        return self._set_archived(name, False, evaluator)

    def _set_archived(self, name: str, archived: bool, evaluator: str | None) -> RoundInfo:
        with self.store.write_session() as session:
            row = self._round(session, name)
            if archived and row.archived_at is not None:
                raise ReviewRuleError(f"批次 “{row.name}” 已于 {_local(row.archived_at)} 归档")
            if not archived and row.archived_at is None:
                raise ReviewRuleError(f"批次 “{row.name}” 没有归档，无需恢复")
            actor = self._evaluator(session, evaluator)
            before = row.archived_at
            row.archived_at = utc_now() if archived else None
            session.add(
                self._event(
                    actor,
                    "round-archive" if archived else "round-restore",
                    "round",
                    row.id,
                    row,
                    before={"name": row.name, "archived_at": _iso(before)},
                    after={"name": row.name, "archived_at": _iso(row.archived_at)},
                )
            )
        return self.get_round(name)

    def ensure_open(self, round_name: str, doing: str = "修改") -> None:
        """Raise RoundArchivedError if the round is archived (e.g. before reading input files)."""
        with self.store.session() as session:
            self._check_open(self._round(session, round_name), doing)

    @staticmethod
    def _check_name_free(session: Session, name: str) -> None:
        """Round names are unique, archived rounds included (the message says where it is)."""
        taken = session.execute(select(Round.archived_at).where(Round.name == name)).first()
        if taken is not None:
            where = "（在已归档的批次中）" if taken.archived_at is not None else ""
            raise ReviewRuleError(f"批次 “{name}” 已存在{where}，请换一个名称")

    @staticmethod
    def _check_open(row: Round, doing: str) -> None:
        """Refuse to change an archived round (it is read-only until restored)."""
        if row.archived_at is not None:
            raise RoundArchivedError(
                f"批次 “{row.name}” 已于 {_local(row.archived_at)} 归档，只能查看和导出，"
                f"不能{doing}；如需{doing}，请先恢复该批次"
            )

    def get_round(self, name: str) -> RoundInfo:
        with self.store.session() as session:
            row = self._round(session, name)
            creator = session.get_one(Evaluator, row.created_by_id).name
            count = session.scalar(
                select(func.count()).select_from(Applicant).where(Applicant.round_id == row.id)
            )
            return self._round_info(row, creator, count or 0)

    def _round(self, session: Session, name: str) -> Round:
        row = session.scalar(select(Round).where(Round.name == name))
        if row is None:
            names = list(session.scalars(select(Round.name)))
            hint = did_you_mean(name, names)
            message = f"没有名为 “{name}” 的批次"
            if hint:
                message += f"，您是不是要写 “{hint}”？"
            elif names:
                message += f"；已有批次：{'、'.join(names)}"
            else:
                message += "；请先用 zjtx round create 创建批次"
            raise NotFoundError(message)
        return row

    @staticmethod
    def _round_info(row: Round, creator: str, applicants: int = 0) -> RoundInfo:
        return RoundInfo(
            id=row.id,
            name=row.name,
            tier=row.tier,
            round_date=row.round_date,
            region=row.region,
            rulebook=row.rulebook,
            overlay=row.overlay,
            settings=dict(row.settings or {}),
            created_by=creator,
            created_at=row.created_at,
            applicants=applicants,
            archived_at=row.archived_at,
        )

    def _applicant(self, session: Session, round_row: Round, uscc: str) -> Applicant:
        row = session.scalar(
            select(Applicant).where(Applicant.round_id == round_row.id, Applicant.uscc == uscc)
        )
        if row is None:
            raise NotFoundError(f"批次 “{round_row.name}” 中没有统一社会信用代码为 {uscc} 的企业")
        return row

    @staticmethod
    def _event(
        actor: Evaluator,
        action: str,
        entity: str,
        entity_id: int | None,
        round_row: Round | None = None,
        *,
        round_id: int | None = None,
        applicant_id: int | None = None,
        uscc: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            at=at or utc_now(),
            actor=actor.name,
            action=action,
            entity=entity,
            entity_id=entity_id,
            round_id=round_row.id if round_row else round_id,
            applicant_id=applicant_id,
            uscc=uscc,
            before=before,
            after=after,
            reason=reason,
        )

    # ----------------------------------------------------------------------------- import

    def read_files(
        self,
        round_name: str,
        paths: Sequence[Path | str],
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        mapping_overrides: Sequence[Any] = (),
        hints: Any = None,
    ) -> list[FileResultLike]:
        """Read input files for a round with zjtx.intake (JSON files with the JSON reader).

        ``mapping_overrides`` (zjtx.intake.ColumnOverride) are the evaluator's corrections of
        roster columns, passed to read_applicants; ``hints`` (zjtx.intake.hints) word the
        issues for the caller (the command line by default, or the import wizard).
        """
        info = self.get_round(round_name)
        try:
            from zjtx.intake import read_applicants
            from zjtx.intake.hints import CLI_HINTS
        except ImportError:
            read_applicants = None
        if read_applicants is not None:

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
            )
            return list(result.files)
        return [read_json_file(path) for path in expand_json_paths(paths)]

    def import_paths(
        self,
        round_name: str,
        paths: Sequence[Path | str],
        *,
        evaluator: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        mapping_overrides: Sequence[Any] = (),
    ) -> list[FileImport]:
        """Read files (with the evaluator's column corrections) and import each in its own
        transaction."""
        files = self.read_files(
            round_name, paths, cancel=cancel, mapping_overrides=mapping_overrides
        )
        return [
            self.import_file(
                round_name, item, evaluator=evaluator, progress=progress, cancel=cancel
            )
            for item in files
        ]

    def import_file(
        self,
        round_name: str,
        file: FileResultLike,
        *,
        evaluator: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> FileImport:
        """Import one read file into a round in one transaction, scoring what changed.

        Re-importing a file already imported into the round changes nothing, unless it was read
        with a corrected column mapping: then it is imported again over its record. An applicant whose
        values are unchanged keeps its version; a changed one gets a new version (the old one
        stays) and a new evaluation. A failure or cancellation leaves the round as it was.
        """
        with _gc_paused(), self.store.write_session() as session:
            return self._import_file(session, round_name, file, evaluator, progress, cancel)

    def _import_file(
        self,
        session: Session,
        round_name: str,
        file: FileResultLike,
        evaluator_name: str | None,
        progress: Progress | None,
        cancel: Cancel | None,
    ) -> FileImport:
        round_row = self._round(session, round_name)
        if session.get_bind().dialect.name == "postgresql":
            # Imports into one round take turns, as SQLite's single writer makes them: the
            # second reads what the first stored instead of inserting the same applicants.
            session.execute(
                select(
                    func.pg_advisory_xact_lock(
                        type_coerce(_IMPORT_LOCK_CLASS, Integer), type_coerce(round_row.id, Integer)
                    )
                )
            )
            session.refresh(round_row)  # archived or renamed while this import waited
        self._check_open(round_row, "导入申报数据")
        actor = self._evaluator(session, evaluator_name)
        info = self._round_info(round_row, "")
        path = str(file.path)
        file_name = getattr(file, "display_name", "") or Path(path).name
        file_name_limit = column_limit(ImportFile.__table__.c.file_name) or len(file_name)
        if len(file_name) > file_name_limit:  # a name for lists, not a key: cut it visibly
            file_name = file_name[: file_name_limit - 1] + "…"
        issues = list(file.issues)
        if not file.sha256 or file.kind in ("unreadable", "skipped"):
            # Nothing was read from it: report its issues, record nothing.
            return FileImport(
                file_name=file_name,
                path=path,
                sha256=file.sha256 or "",
                kind=file.kind,
                already_imported=False,
                rows_total=file.rows_total,
                rows_imported=0,
                rows_blocked=file.rows_blocked,
                rows_blank=file.rows_blank,
                applicants_new=0,
                applicants_changed=0,
                applicants_unchanged=0,
                issues=tuple(issues),
            )
        # The same file read again the same way changes nothing. Read with another column
        # mapping (the evaluator corrected it, or took a correction back) it may carry other
        # values: it is imported again over its record.
        mapping = _manual_mapping(file)
        corrected = bool(mapping)
        query = select(ImportFile).where(
            ImportFile.round_id == round_row.id, ImportFile.sha256 == file.sha256
        )
        # Two evaluators re-importing the same file take turns on its record.
        previous = session.scalar(query.with_for_update())
        last_mapping = self._last_mapping(session, previous) if previous is not None else None
        if previous is not None and last_mapping == mapping:
            return FileImport(
                file_name=file_name,
                path=path,
                sha256=file.sha256,
                kind=file.kind,
                already_imported=True,
                rows_total=file.rows_total,
                rows_imported=file.rows_imported,
                rows_blocked=file.rows_blocked,
                rows_blank=file.rows_blank,
                applicants_new=0,
                applicants_changed=0,
                applicants_unchanged=len(file.applicants),
                issues=tuple(issues),
            )

        # An applicant listed twice in one file is ambiguous: block every copy, say where.
        counts = Counter(a.uscc for a in file.applicants)
        accepted: list[DomainApplicant] = []
        name_limit = column_limit(Applicant.__table__.c.name) or 0
        uscc_limit = column_limit(Applicant.__table__.c.uscc) or 0
        for applicant in file.applicants:
            if too_long := _too_long_text(applicant, name_limit, uscc_limit):
                issues.append(
                    Issue(
                        code="store-text-too-long",
                        severity=Severity.ERROR,
                        message=f"{too_long}，该企业无法入库；请缩短后重新导入",
                        file=file_name,
                        sheet=applicant.source.sheet if applicant.source else None,
                        cell=applicant.source.cell if applicant.source else None,
                        field="name" if "企业名称" in too_long else "uscc",
                        uscc=(applicant.uscc or "")[:uscc_limit] or None,
                    )
                )
            elif not applicant.uscc:
                issues.append(
                    Issue(
                        code="store-missing-uscc",
                        severity=Severity.ERROR,
                        message=f"企业 “{applicant.name}” 没有统一社会信用代码，无法入库",
                        file=file_name,
                        sheet=applicant.source.sheet if applicant.source else None,
                        cell=applicant.source.cell if applicant.source else None,
                    )
                )
            elif counts[applicant.uscc] > 1:
                source = applicant.source
                issues.append(
                    Issue(
                        code="store-duplicate-uscc",
                        severity=Severity.ERROR,
                        message=f"统一社会信用代码 {applicant.uscc} 在本文件中出现 "
                        f"{counts[applicant.uscc]} 次，无法判断哪一行有效；请删除重复行后重新导入",
                        file=file_name,
                        sheet=source.sheet if source else None,
                        cell=source.cell if source else None,
                        uscc=applicant.uscc,
                    )
                )
            else:
                accepted.append(applicant)
        # The round's region fills a province left empty; the hash of the row as written is
        # kept so that a version stored before such a fill still counts as unchanged.
        as_written: dict[str, str] = {}
        for position, applicant in enumerate(accepted):
            placed, region_issue = _with_round_region(applicant, round_row.region, file_name)
            if region_issue is not None:
                issues.append(region_issue)
            if placed is not applicant:
                as_written[applicant.uscc] = codec.digest(codec.encode_values(applicant.values))
                accepted[position] = placed

        now = utc_now()
        record = {
            "file_name": file_name,
            "path": path,
            "kind": file.kind,
            "rows_total": file.rows_total,
            "rows_imported": len(accepted),
            "rows_blocked": file.rows_blocked + (len(file.applicants) - len(accepted)),
            "rows_blank": file.rows_blank,
            "issues": [issue.to_dict() for issue in issues],
            "imported_by_id": actor.id,
            "imported_at": now,
        }
        record_before: dict[str, Any] | None = None
        if previous is not None:
            import_row = previous
            earlier_versions = previous.versions_created
            record_before = {
                "file": previous.file_name,
                "rows_imported": previous.rows_imported,
                "rows_blocked": previous.rows_blocked,
                "issues": previous.issues,
                "imported_at": previous.imported_at.isoformat(),
                "mapping": last_mapping,
            }
            for key, value in record.items():
                setattr(import_row, key, value)
        else:
            import_row = ImportFile(
                round_id=round_row.id, sha256=file.sha256, versions_created=0, **record
            )
            earlier_versions = 0
            session.add(import_row)
        session.flush()

        issues_by_uscc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for issue in issues:
            if issue.uscc:
                issues_by_uscc[issue.uscc].append(issue.to_dict())
        current = self._current_state(session, round_row.id)
        confirmations = self._confirmations(session, round_row.id)

        new = changed = unchanged = 0
        kept_newer: list[DomainApplicant] = []
        done = 0
        for chunk in _chunks(accepted, CHUNK):
            if cancel is not None and cancel():
                raise ImportCancelled(f"已取消导入 {file_name}；该文件的数据未写入")
            fresh: list[tuple[DomainApplicant, dict[str, Any], str]] = []
            updates: list[tuple[DomainApplicant, dict[str, Any], str, _Current]] = []
            for applicant in chunk:
                values = codec.encode_values(applicant.values)
                values_hash = codec.digest(values)
                known = current.get(applicant.uscc)
                if known is None:
                    fresh.append((applicant, values, values_hash))
                elif known.values_hash in (values_hash, as_written.get(applicant.uscc)):
                    unchanged += 1
                elif previous is not None and known.import_file_id != previous.id:
                    # Read again from an older file: a newer file has updated it since.
                    kept_newer.append(applicant)
                else:
                    updates.append((applicant, values, values_hash, known))
            new += len(fresh)
            changed += len(updates)

            ids = (
                list(
                    _insert_many(
                        session,
                        Applicant,
                        [
                            {
                                "round_id": round_row.id,
                                "uscc": a.uscc,
                                "name": a.name,
                                "created_at": now,
                            }
                            for a, _, _ in fresh
                        ],
                    )
                )
                if fresh
                else []
            )
            old_values = self._version_values(session, [k.version_id for *_, k in updates])
            work: list[tuple[DomainApplicant, dict[str, Any], str, int, int, _Current | None]] = [
                (a, v, h, applicant_id, 1, None)
                for (a, v, h), applicant_id in zip(fresh, ids, strict=True)
            ] + [(a, v, h, k.applicant_id, k.number + 1, k) for a, v, h, k in updates]
            if not work:
                done += len(chunk)
                if progress:
                    progress(done, len(accepted))
                continue

            version_ids = list(
                _insert_many(
                    session,
                    ApplicantVersion,
                    [
                        {
                            "applicant_id": applicant_id,
                            "number": number,
                            "values": values,
                            "provenance": codec.encode_provenance_map(a.provenance),
                            "source": codec.encode_provenance(a.source),
                            "values_hash": values_hash,
                            **_region(values),
                            "issues": issues_by_uscc.get(a.uscc, []),
                            "warnings": sum(
                                1
                                for i in issues_by_uscc.get(a.uscc, ())
                                if i["severity"] == "warning"
                            ),
                            "import_file_id": import_row.id,
                            "created_by_id": actor.id,
                            "created_at": now,
                        }
                        for a, values, values_hash, applicant_id, number, _ in work
                    ],
                )
            )
            evaluations = [
                self._score(a, info, confirmations.get(applicant_id, ()))
                for a, _, _, applicant_id, _, _ in work
            ]
            evaluation_ids = list(
                _insert_many(
                    session,
                    Evaluation,
                    [
                        self._evaluation_values(
                            session,
                            evaluation,
                            applicant_id,
                            version_id,
                            self._input_hash(
                                values_hash, info, confirmations.get(applicant_id, ())
                            ),
                            "import",
                            actor.id,
                            now,
                        )
                        for (_, _, values_hash, applicant_id, _, _), version_id, evaluation in zip(
                            work, version_ids, evaluations, strict=True
                        )
                    ],
                )
            )
            _insert_many(
                session,
                EvaluationResult,
                [
                    {"evaluation_id": evaluation_id, "result": self._compact(session, evaluation)}
                    for evaluation_id, evaluation in zip(evaluation_ids, evaluations, strict=True)
                ],
            )
            _point_applicants(
                session,
                [
                    {
                        "id": applicant_id,
                        "name": a.name,
                        "current_version_id": version_id,
                        "current_evaluation_id": evaluation_id,
                    }
                    for (a, _, _, applicant_id, _, _), version_id, evaluation_id in zip(
                        work, version_ids, evaluation_ids, strict=True
                    )
                ],
            )
            events = []
            for (a, values, _, applicant_id, number, known), version_id, evaluation in zip(
                work, version_ids, evaluations, strict=True
            ):
                after: dict[str, Any] = {
                    "version": number,
                    "file": file_name,
                    "name": a.name,
                    "verdict": str(evaluation.verdict),
                    "rulebook": evaluation.rulebook,
                }
                before = None
                if known is not None:
                    old = old_values[known.version_id]
                    after["changed"] = {
                        key: [_plain(old.get(key)), _plain(values.get(key))]
                        for key in sorted(set(old) | set(values))
                        if old.get(key) != values.get(key)
                    }
                    before = {"version": known.number}
                events.append(
                    self._event(
                        actor,
                        "applicant-version",
                        "applicant_version",
                        version_id,
                        round_row,
                        applicant_id=applicant_id,
                        uscc=a.uscc,
                        before=before,
                        after=after,
                        at=now,
                    )
                )
            _insert_many(session, AuditEvent, [_event_values(e) for e in events])
            done += len(chunk)
            if progress:
                progress(done, len(accepted))

        for applicant in kept_newer:
            source = applicant.source
            issues.append(
                Issue(
                    code="store-newer-file-kept",
                    severity=Severity.INFO,
                    message=f"企业 “{applicant.name}” 此后已由其他文件更新，按本文件重新读取的数据"
                    "未覆盖它（如需改动，请更正较新的文件后重新导入）",
                    file=file_name,
                    sheet=source.sheet if source else None,
                    cell=source.cell if source else None,
                    uscc=applicant.uscc,
                )
            )
        unchanged += len(kept_newer)
        stale = [
            a
            for a in getattr(file, "blocked_applicants", None) or ()
            if previous is not None
            and a.uscc in current
            and current[a.uscc].import_file_id == previous.id
        ]
        for applicant in stale:
            issues.append(
                Issue(
                    code="store-blocked-kept-previous",
                    severity=Severity.WARNING,
                    message=f"企业 “{applicant.name}” 本次重新读取时有错误，未更新，仍是此前导入的"
                    "数据；请核对该行后重新导入",
                    file=file_name,
                    sheet=applicant.source.sheet if applicant.source else None,
                    cell=applicant.source.cell if applicant.source else None,
                    uscc=applicant.uscc,
                )
            )
        if kept_newer or stale:
            import_row.issues = [issue.to_dict() for issue in issues]
        import_row.versions_created = earlier_versions + new + changed
        session.add(
            self._event(
                actor,
                "file-import",
                "import_file",
                import_row.id,
                round_row,
                before=record_before,
                after={
                    "file": file_name,
                    "sha256": file.sha256,
                    "corrected_mapping": corrected,
                    "mapping": mapping,
                    "kept_newer": len(kept_newer),
                    "rows_total": file.rows_total,
                    "rows_imported": len(accepted),
                    "rows_blocked": import_row.rows_blocked,
                    "new": new,
                    "changed": changed,
                    "unchanged": unchanged,
                    "errors": sum(1 for i in issues if i.severity == Severity.ERROR),
                    "warnings": sum(1 for i in issues if i.severity == Severity.WARNING),
                },
                at=now,
            )
        )
        if cancel is not None and cancel():
            raise ImportCancelled(f"已取消导入 {file_name}；该文件的数据未写入")
        return FileImport(
            file_name=file_name,
            path=path,
            sha256=file.sha256,
            kind=file.kind,
            already_imported=False,
            rows_total=file.rows_total,
            rows_imported=len(accepted),
            rows_blocked=import_row.rows_blocked,
            rows_blank=file.rows_blank,
            applicants_new=new,
            applicants_changed=changed,
            applicants_unchanged=unchanged,
            issues=tuple(issues),
        )

    @staticmethod
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

    @staticmethod
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

    @staticmethod
    def _version_values(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        rows = session.execute(
            select(ApplicantVersion.id, ApplicantVersion.values).where(ApplicantVersion.id.in_(ids))
        ).all()
        return dict(rows)  # type: ignore[arg-type]

    @staticmethod
    def _confirmations(
        session: Session, round_id: int, applicant_id: int | None = None
    ) -> dict[int, list[Confirmation]]:
        query = (
            select(Review.applicant_id, ReviewItem, Evaluator.name)
            .join(Review, Review.id == ReviewItem.review_id)
            .join(Applicant, Applicant.id == Review.applicant_id)
            .join(Evaluator, Evaluator.id == ReviewItem.evaluator_id)
            .where(Applicant.round_id == round_id, ReviewItem.kind == "criterion")
            .order_by(ReviewItem.id)
        )
        if applicant_id is not None:
            query = query.where(Review.applicant_id == applicant_id)
        result: dict[int, list[Confirmation]] = defaultdict(list)
        for owner, item, name in session.execute(query):
            result[owner].append(
                Confirmation(
                    criterion_id=item.target,
                    state=CriterionState(item.state),
                    reason=item.reason,
                    evaluator=name,
                    at=item.at,
                )
            )
        return result

    def _score(
        self,
        applicant: DomainApplicant,
        info: RoundInfo,
        confirmations: Iterable[Confirmation],
    ) -> DomainEvaluation:
        try:
            return self.scorer(applicant, info, list(confirmations))
        except (LookupError, ValueError) as exc:
            raise StoreError(
                f"无法评价企业 {applicant.name}（{applicant.uscc}）：{exc}；本文件未写入"
            ) from exc

    @staticmethod
    def _input_hash(
        values_hash: str, info: RoundInfo, confirmations: Iterable[Confirmation]
    ) -> str:
        return codec.digest(
            {
                "values": values_hash,
                "settings": info.settings,
                "overlay": info.overlay,
                "rulebook": info.rulebook,
                "confirmations": [
                    [c.criterion_id, str(c.state), c.reason, c.evaluator] for c in confirmations
                ],
            }
        )

    def _evaluation_values(
        self,
        session: Session,
        evaluation: DomainEvaluation,
        applicant_id: int,
        version_id: int,
        input_hash: str,
        cause: str,
        evaluator_id: int,
        now: datetime,
    ) -> dict[str, Any]:
        score = evaluation.score
        return {
            "applicant_id": applicant_id,
            "version_id": version_id,
            "rulebook_id": evaluation.rulebook,
            "rulebook_version": evaluation.rulebook_version,
            "rulebook_hash": evaluation.rulebook_hash,
            "input_hash": input_hash,
            "application_type": evaluation.application_type,
            "verdict": str(evaluation.verdict),
            "score": None if score is None else str(score),
            "score_sort": None if score is None else float(score),
            "max_score": None if evaluation.max_score is None else str(evaluation.max_score),
            "open_judgements": sum(
                1 for c in evaluation.criteria if c.state == CriterionState.MANUAL
            ),
            "cause": cause,
            "created_by_id": evaluator_id,
            "created_at": now,
        }

    def _texts(
        self, session: Session, rulebook_hash: str, rulebook_id: str, sample: Any = None
    ) -> dict[str, Any] | None:
        """Rulebook texts for a hash; with ``sample`` (a full result) they are created if new.

        Only texts read from the database are cached across sessions, so a rolled-back
        import never leaves the cache pointing at texts that were not saved.
        """
        local = session.info.setdefault("zjtx_texts", {})
        texts = local.get(rulebook_hash) or self._texts_cache.get(rulebook_hash)
        if texts is None:
            # Never flush half-made review changes from here (one save = one version).
            with session.no_autoflush:
                texts = self._load_or_create_texts(session, rulebook_hash, rulebook_id, sample)
        if texts is not None:
            local[rulebook_hash] = texts
        return texts

    def _load_or_create_texts(
        self, session: Session, rulebook_hash: str, rulebook_id: str, sample: Any
    ) -> dict[str, Any] | None:
        query = select(RulebookText.texts).where(RulebookText.rulebook_hash == rulebook_hash)
        texts = session.scalar(query)
        if texts is not None:
            self._texts_cache[rulebook_hash] = texts
            return texts
        if sample is None:
            return None
        dialect = session.get_bind().dialect.name
        insert_texts = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert_texts(RulebookText)
            .values(
                rulebook_hash=rulebook_hash,
                rulebook_id=rulebook_id,
                texts=extract_texts(sample),
                created_at=utc_now(),
            )
            .on_conflict_do_nothing(index_elements=["rulebook_hash"])
        )
        return session.scalar(query)

    def _compact(self, session: Session, evaluation: DomainEvaluation) -> dict[str, Any]:
        result = evaluation.to_dict()
        texts = self._texts(session, evaluation.rulebook_hash, evaluation.rulebook, result)
        return compact(result, texts) if texts is not None else result

    def _full_result(self, session: Session, row: Evaluation) -> dict[str, Any]:
        with session.no_autoflush:  # a review being edited is flushed once, at its end
            stored = session.get_one(EvaluationResult, row.id).result
        return expand(stored, self._texts(session, row.rulebook_hash, row.rulebook_id))

    # ---------------------------------------------------------------------------- rescore

    def rescore(
        self,
        round_name: str,
        *,
        evaluator: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> RescoreReport:
        """Re-evaluate every applicant; a new evaluation is stored only when the rulebook or
        the inputs changed (old evaluations are kept)."""
        with _gc_paused(), self.store.write_session() as session:
            round_row = self._round(session, round_name)
            self._check_open(round_row, "重新评价")
            actor = self._evaluator(session, evaluator)
            info = self._round_info(round_row, "")
            confirmations = self._confirmations(session, round_row.id)
            rows = session.execute(
                select(Applicant, ApplicantVersion, Evaluation)
                .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                .outerjoin(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
                .where(Applicant.round_id == round_row.id)
                .order_by(Applicant.id)
            ).all()
            now = utc_now()
            reevaluated = 0
            changes: list[tuple[str, str, str]] = []
            for index, (applicant, version, old) in enumerate(rows, start=1):
                if cancel is not None and cancel():
                    raise ImportCancelled("已取消重新评价；数据库未改动")
                items = confirmations.get(applicant.id, ())
                evaluation = self._score(
                    codec.applicant_from_stored(version.values, version.provenance, version.source),
                    info,
                    items,
                )
                input_hash = self._input_hash(version.values_hash, info, items)
                if (
                    old is not None
                    and old.rulebook_hash == evaluation.rulebook_hash
                    and old.input_hash == input_hash
                ):
                    if progress:
                        progress(index, len(rows))
                    continue
                reevaluated += 1
                self._store_evaluation(
                    session,
                    actor,
                    round_row,
                    applicant,
                    version,
                    old,
                    evaluation,
                    input_hash,
                    "rescore",
                    now,
                )
                if old is None or old.verdict != str(evaluation.verdict):
                    changes.append(
                        (applicant.uscc, old.verdict if old else "", str(evaluation.verdict))
                    )
                if progress:
                    progress(index, len(rows))
            return RescoreReport(
                applicants=len(rows),
                reevaluated=reevaluated,
                unchanged=len(rows) - reevaluated,
                verdict_changes=tuple(changes),
            )

    def _store_evaluation(
        self,
        session: Session,
        actor: Evaluator,
        round_row: Round,
        applicant: Applicant,
        version: ApplicantVersion,
        old: Evaluation | None,
        evaluation: DomainEvaluation,
        input_hash: str,
        cause: str,
        now: datetime,
        reason: str | None = None,
        events: list[AuditEvent] | None = None,
    ) -> Evaluation:
        """Add an evaluation and make it current; its audit event goes to ``events`` if given
        (so that it follows the review events that caused it), else straight to the session."""
        row = Evaluation(
            **self._evaluation_values(
                session, evaluation, applicant.id, version.id, input_hash, cause, actor.id, now
            )
        )
        session.add(row)
        session.flush()
        session.add(
            EvaluationResult(evaluation_id=row.id, result=self._compact(session, evaluation))
        )
        applicant.current_evaluation_id = row.id
        event = self._event(
            actor,
            "evaluation",
            "evaluation",
            row.id,
            round_row,
            applicant_id=applicant.id,
            uscc=applicant.uscc,
            before=None
            if old is None
            else {
                "verdict": old.verdict,
                "score": old.score,
                "rulebook": old.rulebook_id,
                "rulebook_hash": old.rulebook_hash,
            },
            after={
                "verdict": row.verdict,
                "score": row.score,
                "rulebook": row.rulebook_id,
                "rulebook_hash": row.rulebook_hash,
                "cause": cause,
            },
            reason=reason,
            at=now,
        )
        if events is None:
            session.add(event)
        else:
            events.append(event)
        return row

    # ----------------------------------------------------------------------------- review

    def review_state(self, round_name: str, uscc: str) -> ReviewState:
        """The review of one applicant with the version counter to send back when saving."""
        with self.store.session() as session:
            round_row = self._round(session, round_name)
            applicant = self._applicant(session, round_row, uscc)
            return self._review_state(session, round_row, applicant)

    def _review_state(
        self, session: Session, round_row: Round, applicant: Applicant
    ) -> ReviewState:
        review = session.scalar(
            select(Review)
            .where(Review.applicant_id == applicant.id)
            .options(selectinload(Review.items).selectinload(ReviewItem.evaluator))
        )
        version = session.get_one(ApplicantVersion, applicant.current_version_id)
        evaluation = (
            session.get(Evaluation, applicant.current_evaluation_id)
            if applicant.current_evaluation_id
            else None
        )
        result = self._full_result(session, evaluation) if evaluation else None
        decided_by = (
            session.get(Evaluator, review.decided_by_id)
            if review and review.decided_by_id
            else None
        )
        return _build_review_state(
            round_row.name,
            applicant,
            version.issues,
            review,
            [i.evaluator.name for i in review.items] if review else [],
            evaluation.verdict if evaluation else None,
            result,
            decided_by.name if decided_by else None,
        )

    def confirm_criterion(
        self,
        round_name: str,
        uscc: str,
        criterion_id: str,
        state: str,
        reason: str,
        **options: Unpack[ReviewOptions],
    ) -> ReviewState:
        """Confirm a judgement item, or override a computed criterion, with a reason."""
        confirm = [(criterion_id, state)]
        return self.apply_review(round_name, uscc, confirm=confirm, reason=reason, **options)

    def acknowledge_warning(
        self, round_name: str, uscc: str, code: str, reason: str, **options: Unpack[ReviewOptions]
    ) -> ReviewState:
        """Acknowledge an import warning of the applicant's current data, with a reason."""
        return self.apply_review(round_name, uscc, ack_warnings=[code], reason=reason, **options)

    def decide(
        self,
        round_name: str,
        uscc: str,
        decision: str,
        opinion: str,
        **options: Unpack[ReviewOptions],
    ) -> ReviewState:
        """Record the decision 推荐 / 不推荐 / 退回补充材料 with the review opinion."""
        return self.apply_review(round_name, uscc, decision=decision, opinion=opinion, **options)

    def apply_review(
        self,
        round_name: str,
        uscc: str,
        *,
        evaluator: str | None = None,
        confirm: Sequence[tuple[str, str]] = (),
        ack_warnings: Sequence[str] = (),
        reason: str | None = None,
        decision: str | None = None,
        opinion: str | None = None,
        expected_version: int | None = None,
    ) -> ReviewState:
        """Save review changes for one applicant in one transaction.

        Args:
            confirm: (criterion id, ``met`` or ``unmet``) pairs: a judgement item is confirmed,
                any other criterion is overridden; both need ``reason``.
            ack_warnings: import warning codes to acknowledge; they need ``reason``.
            decision: ``recommend``, ``reject`` or ``return``; needs ``opinion`` (or ``reason``).
            expected_version: the review version the evaluator saw; if someone saved in
                between, ConflictError says what they changed and nothing is saved.
        """
        evaluator = review_evaluator(evaluator)  # a review never names the OS account
        reason = (reason or "").strip() or None
        opinion = opinion.strip() if opinion is not None else None
        if not confirm and not ack_warnings and decision is None and opinion is None:
            raise ReviewRuleError("没有要保存的评审内容：请给出确认、改判、提示确认、决定或意见")
        if (confirm or ack_warnings) and not reason:
            raise ReviewRuleError("确认或改判指标、确认导入提示都必须填写理由")
        check_length("理由", reason, REVIEW_TEXT_LIMIT)
        check_length("评审意见", opinion, REVIEW_TEXT_LIMIT)
        target_limit = column_limit(ReviewItem.__table__.c.target)
        for target in [c for c, _ in confirm] + list(ack_warnings):
            check_length(f"指标或提示编号 “{target[:20]}…”", target, target_limit)
        wanted: Decision | None = None
        if decision is not None:
            try:
                wanted = Decision(decision)
            except ValueError:
                choices = "、".join(f"{d.value}（{d.label}）" for d in Decision)
                raise ReviewRuleError(f"决定只能是 {choices}，收到 “{decision}”") from None
            if not (opinion or reason):
                raise ReviewRuleError(f"作出“{wanted.label}”决定必须填写评审意见")
        for criterion_id, state in confirm:
            if state not in (CriterionState.MET, CriterionState.UNMET):
                raise ReviewRuleError(
                    f"指标 {criterion_id} 的确认结果只能是 met（符合）或 unmet（不符合），"
                    f"收到 “{state}”"
                )
        seen_version: int | None = expected_version
        try:
            with self.store.write_session() as session:
                round_row = self._round(session, round_name)
                self._check_open(round_row, "修改评审")
                applicant = self._applicant(session, round_row, uscc)
                actor = self._evaluator(session, evaluator)
                review = session.scalar(
                    select(Review)
                    .where(Review.applicant_id == applicant.id)
                    .options(selectinload(Review.items))
                )
                current_version = review.version if review else 0
                if expected_version is not None and expected_version != current_version:
                    raise _Stale(expected_version)
                seen_version = current_version
                self._change_review(
                    session,
                    round_row,
                    applicant,
                    actor,
                    review,
                    confirm,
                    ack_warnings,
                    reason,
                    wanted,
                    opinion,
                )
        except (_Stale, StaleDataError):
            raise self._conflict(round_name, uscc, seen_version or 0) from None
        except IntegrityError as exc:
            if "review" in str(exc.orig).lower():
                raise self._conflict(round_name, uscc, seen_version or 0) from None
            raise
        return self.review_state(round_name, uscc)

    def _change_review(
        self,
        session: Session,
        round_row: Round,
        applicant: Applicant,
        actor: Evaluator,
        review: Review | None,
        confirm: Sequence[tuple[str, str]],
        ack_warnings: Sequence[str],
        reason: str | None,
        decision: Decision | None,
        opinion: str | None,
    ) -> None:
        # Every change is made in memory first and flushed once, so one save is one version.
        now = utc_now()
        version = session.get_one(ApplicantVersion, applicant.current_version_id)
        evaluation = session.get_one(Evaluation, applicant.current_evaluation_id)
        if review is None:
            review = Review(applicant_id=applicant.id, opinion="", updated_at=now)
            review.items = []
            session.add(review)
        events: list[AuditEvent] = []

        def record_item(
            kind: str, target: str, state: str | None, override: bool
        ) -> tuple[str | None, str] | None:
            """Set the review's item for (kind, target) to this change; its earlier state and
            reason, or None when it is new."""
            item = next((i for i in review.items if i.kind == kind and i.target == target), None)
            if item is None:
                review.items.append(
                    ReviewItem(
                        kind=kind,
                        target=target,
                        state=state,
                        override=override,
                        reason=reason or "",
                        evaluator_id=actor.id,
                        at=now,
                    )
                )
                return None
            earlier = (item.state, item.reason)
            item.state, item.reason, item.override = state, reason or "", override
            item.evaluator_id, item.at = actor.id, now
            return earlier

        def review_event(action: str, before: Any, after: Any, why: str | None) -> None:
            events.append(
                self._event(
                    actor,
                    action,
                    "review",
                    None,
                    round_row,
                    applicant_id=applicant.id,
                    uscc=applicant.uscc,
                    before=before,
                    after=after,
                    reason=why,
                    at=now,
                )
            )

        current_result = self._full_result(session, evaluation)
        criteria = {c["id"]: c for c in current_result.get("criteria", [])}
        for criterion_id, state in confirm:
            criterion = criteria.get(criterion_id)
            if criterion is None:
                hint = did_you_mean(criterion_id, criteria)
                raise NotFoundError(
                    f"评价结果中没有指标 “{criterion_id}”（规则 {evaluation.rulebook_id}）"
                    + (f"，您是不是要写 “{hint}”？" if hint else "")
                )
            override = not criterion.get("judgement", False)
            computed = criterion.get("computed_state") or criterion["state"]
            before = {"criterion": criterion_id, "computed": computed}
            earlier = record_item("criterion", criterion_id, state, override)
            if earlier is not None:
                before.update(state=earlier[0], reason=earlier[1])
            review_event(
                "criterion-override" if override else "criterion-confirm",
                before,
                {"criterion": criterion_id, "title": criterion.get("title"), "state": state},
                reason,
            )

        warnings = [i for i in version.issues if i["severity"] == "warning"]
        for code in ack_warnings:
            matching = [i for i in warnings if i["code"] == code]
            if not matching:
                codes = sorted({i["code"] for i in warnings})
                raise NotFoundError(
                    f"企业 {applicant.uscc} 的当前数据没有代码为 “{code}” 的导入提示"
                    + (f"；现有提示：{'、'.join(codes)}" if codes else "；当前数据没有任何提示")
                )
            earlier = record_item("warning", code, None, False)
            before_ack = None if earlier is None else {"code": code, "reason": earlier[1]}
            review_event(
                "warning-ack",
                before_ack,
                {"code": code, "messages": [i["message"] for i in matching]},
                reason,
            )

        fresh: DomainEvaluation | None = None
        info = self._round_info(round_row, "")
        confirmations: list[Confirmation] = []
        if confirm:
            names = {actor.id: actor.name}
            for item in review.items:
                if item.kind != "criterion":
                    continue
                if item.evaluator_id not in names:
                    names[item.evaluator_id] = session.get_one(Evaluator, item.evaluator_id).name
                confirmations.append(
                    Confirmation(
                        criterion_id=item.target,
                        state=CriterionState(item.state),
                        reason=item.reason,
                        evaluator=names[item.evaluator_id],
                        at=item.at,
                    )
                )
            fresh = self._score(
                codec.applicant_from_stored(version.values, version.provenance, version.source),
                info,
                confirmations,
            )

        if decision is not None:
            if decision == Decision.RECOMMEND:
                result = fresh.to_dict() if fresh is not None else current_result
                self._check_recommendable(review, result, version.issues)
            before_decision = {"decision": review.decision, "opinion": review.opinion}
            review.decision = str(decision)
            review.opinion = opinion or reason or ""
            review.decided_by_id, review.decided_at = actor.id, now
            review_event(
                "decision",
                before_decision,
                {"decision": str(decision), "label": decision.label, "opinion": review.opinion},
                None if opinion else reason,
            )
        elif opinion is not None:
            review_event("opinion", {"opinion": review.opinion}, {"opinion": opinion}, reason)
            review.opinion = opinion
        review.updated_by_id, review.updated_at = actor.id, now

        evaluation_events: list[AuditEvent] = []
        if fresh is not None:
            input_hash = self._input_hash(version.values_hash, info, confirmations)
            if (
                fresh.rulebook_hash != evaluation.rulebook_hash
                or input_hash != evaluation.input_hash
            ):
                self._store_evaluation(
                    session,
                    actor,
                    round_row,
                    applicant,
                    version,
                    evaluation,
                    fresh,
                    input_hash,
                    "review",
                    now,
                    events=evaluation_events,
                )
        session.flush()  # bumps review.version, or raises StaleDataError if someone saved first
        for event_row in events:
            event_row.entity_id = review.id
            event_row.after = {**(event_row.after or {}), "review_version": review.version}
        # Trail order: confirmations, the evaluation they caused, then acknowledgements and
        # the decision taken on that evaluation.
        criteria_events = [e for e in events if e.action.startswith("criterion")]
        session.add_all(criteria_events + evaluation_events)
        session.add_all([e for e in events if not e.action.startswith("criterion")])

    @staticmethod
    def _check_recommendable(
        review: Review, result: dict[str, Any], issues: list[dict[str, Any]]
    ) -> None:
        problems = []
        if result.get("verdict") == Verdict.NOT_QUALIFIED:
            problems.append("评价结论为“不符合条件”；如认为某项评价有误，请先改判该指标并写明理由")
        manual = [
            f"{c['id']} {c['title']}"
            for c in result.get("criteria", [])
            if c["state"] == CriterionState.MANUAL
        ]
        if manual:
            problems.append(f"尚有 {len(manual)} 项待人工确认：{'；'.join(manual)}")
        acked = {i.target for i in review.items if i.kind == "warning"}
        open_codes = sorted(
            {i["code"] for i in issues if i["severity"] == "warning" and i["code"] not in acked}
        )
        if open_codes:
            problems.append(f"尚有导入提示未确认：{'、'.join(open_codes)}")
        if problems:
            raise ReviewRuleError("不能作出“推荐”决定：" + "；".join(problems))

    def _conflict(self, round_name: str, uscc: str, seen: int) -> ConflictError:
        with self.store.session() as session:
            round_row = self._round(session, round_name)
            applicant = self._applicant(session, round_row, uscc)
            review = session.scalar(select(Review).where(Review.applicant_id == applicant.id))
            current = review.version if review else 0
            events = (
                session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.entity == "review", AuditEvent.entity_id == review.id)
                    .order_by(AuditEvent.id)
                ).all()
                if review
                else []
            )
            changes = [
                f"{e.actor} 于 {_local(e.at)} {summarize(e)}"
                for e in events
                if (e.after or {}).get("review_version", 0) > seen
            ]
        message = (
            f"保存失败：{applicant.name}（{uscc}）的评审已被他人修改"
            f"（您看到的是第 {seen} 版，现在是第 {current} 版）。"
        )
        if changes:
            message += "对方的修改：" + "；".join(changes) + "。"
        message += "您的修改没有保存，请刷新后核对再保存。"
        return ConflictError(message, current_version=current)

    # ---------------------------------------------------------------------------- listing

    def list_applicants(
        self,
        round_name: str,
        *,
        verdict: str | None = None,
        decision: str | None = None,
        status: str | None = None,
        application_type: str | None = None,
        region: str | None = None,
        search: str | None = None,
        sort: str = "rank",
        descending: bool = False,
    ) -> list[ApplicantRow]:
        """The round table: every applicant with its latest evaluation and review state.

        Args:
            verdict / decision / status / application_type: keep only matching rows
                (``decision="none"`` keeps the undecided).
            region: a province, city or county (所在省 / 市 / 区县) the applicant is in.
            search: part of the name or the 统一社会信用代码.
            sort: ``rank`` (score, highest first), ``name``, ``uscc``, ``verdict``,
                ``decision``, ``status`` or ``updated``.
        """
        with _gc_paused(), self.store.session() as session:
            round_row = self._round(session, round_name)
            rows = self._rows(session, round_row.id)
        if verdict:
            rows = [r for r in rows if r.verdict == verdict]
        if decision:
            rows = [r for r in rows if (r.decision or "none") == decision]
        if status:
            rows = [r for r in rows if r.review_status == status]
        if application_type:
            rows = [r for r in rows if r.application_type == application_type]
        if region:
            wanted = places.clean(region)
            province = places.canonical_province(wanted)
            rows = [r for r in rows if _in_region(r, wanted, province)]
        if search:
            needle = search.strip().upper()
            rows = [r for r in rows if needle in r.name.upper() or needle in r.uscc]
        keys: dict[str, Callable[[ApplicantRow], Any]] = {
            "rank": lambda r: (r.rank is None, r.rank or 0, r.uscc),
            "name": lambda r: (r.name, r.uscc),
            "uscc": lambda r: r.uscc,
            "verdict": lambda r: (r.verdict or "", r.rank or 0),
            "decision": lambda r: (r.decision or "~", r.rank or 0),
            "status": lambda r: (list(ReviewStatus).index(r.review_status), r.uscc),
            "updated": lambda r: (r.updated_at, r.uscc),
            "region": lambda r: (r.region, r.rank is None, r.rank or 0, r.uscc),
        }
        if sort not in keys:
            raise ReviewRuleError(f"未知的排序方式 “{sort}”，可用：{'、'.join(keys)}")
        return sorted(rows, key=keys[sort], reverse=descending)

    @staticmethod
    def _rows(session: Session, round_id: int) -> list[ApplicantRow]:
        # Core execution on the session's connection (plain tuples, no ORM identity map), and
        # only narrow columns: this is the GUI's table query.
        connection = session.connection()
        stamp = _stamp_reader(connection.dialect.name)
        records = connection.execute(
            select(
                Applicant.id,
                Applicant.uscc,
                Applicant.name,
                ApplicantVersion.number,
                ApplicantVersion.warnings,
                stamp.column(ApplicantVersion.created_at),
                ApplicantVersion.province,
                ApplicantVersion.city,
                ApplicantVersion.county,
                Evaluation.application_type,
                Evaluation.rulebook_id,
                Evaluation.verdict,
                Evaluation.score,
                Evaluation.score_sort,
                Evaluation.max_score,
                Evaluation.open_judgements,
                Review.decision,
                Review.version,
                stamp.column(Review.decided_at),
                stamp.column(Review.updated_at),
            )
            .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
            .outerjoin(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
            .outerjoin(Review, Review.applicant_id == Applicant.id)
            .where(Applicant.round_id == round_id)
        ).all()
        acked: dict[int, set[str]] = defaultdict(set)
        reviewed: set[int] = set()
        for owner, kind, target in connection.execute(
            select(Review.applicant_id, ReviewItem.kind, ReviewItem.target)
            .join(Review, Review.id == ReviewItem.review_id)
            .join(Applicant, Applicant.id == Review.applicant_id)
            .where(Applicant.round_id == round_id)
        ):
            reviewed.add(owner)
            if kind == "warning":
                acked[owner].add(target)
        # Only versions with warnings need their issues read.
        open_warnings: dict[int, int] = {}
        if any(r[4] for r in records):
            for owner, issues in connection.execute(
                select(Applicant.id, ApplicantVersion.issues)
                .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                .where(Applicant.round_id == round_id, ApplicantVersion.warnings > 0)
            ):
                codes = acked.get(owner, set())
                open_warnings[owner] = sum(
                    1 for i in issues if i["severity"] == "warning" and i["code"] not in codes
                )
        scores = sorted((r[13] for r in records if r[13] is not None), reverse=True)
        first_place: dict[float, int] = {}
        for index, value in enumerate(scores, start=1):
            first_place.setdefault(value, index)
        rows = []
        for (
            applicant_id, uscc, name, number, _, version_at, province, city, county,
            application_type, rulebook, verdict, score, score_sort, max_score, judgements,
            decision, review_version, decided_at, review_at,
        ) in records:  # fmt: skip
            version_at = stamp.parse(version_at)
            decided_at = stamp.parse(decided_at)
            review_at = stamp.parse(review_at)
            warnings = open_warnings.get(applicant_id, 0)
            judgements = judgements or 0
            rows.append(
                ApplicantRow(
                    applicant_id=applicant_id,
                    uscc=uscc,
                    name=name,
                    version=number,
                    application_type=application_type,
                    rulebook=rulebook,
                    verdict=verdict,
                    verdict_label=_verdict_label(verdict),
                    score=None if score is None else Decimal(score),
                    max_score=None if max_score is None else Decimal(max_score),
                    rank=None if score_sort is None else first_place[score_sort],
                    open_judgements=judgements,
                    open_warnings=warnings,
                    decision=decision,
                    decision_label=_decision_label(decision),
                    decision_outdated=bool(
                        decision and decided_at is not None and version_at > decided_at
                    ),
                    review_status=_status(decision, judgements, warnings, applicant_id in reviewed),
                    review_version=review_version or 0,
                    updated_at=version_at
                    if review_at is None or review_at < version_at
                    else review_at,
                    province=province,
                    city=city,
                    county=county,
                )
            )
        return rows

    def applicant_detail(self, round_name: str, uscc: str) -> ApplicantDetail:
        """One applicant: current values with provenance, all versions and the review."""
        with self.store.session() as session:
            round_row = self._round(session, round_name)
            applicant = self._applicant(session, round_row, uscc)
            version = session.get_one(ApplicantVersion, applicant.current_version_id)
            versions = session.execute(
                select(ApplicantVersion, ImportFile.file_name, Evaluator.name)
                .join(ImportFile, ImportFile.id == ApplicantVersion.import_file_id)
                .join(Evaluator, Evaluator.id == ApplicantVersion.created_by_id)
                .where(ApplicantVersion.applicant_id == applicant.id)
                .order_by(ApplicantVersion.number)
            ).all()
            review = self._review_state(session, round_row, applicant)
            row = next(r for r in self._rows(session, round_row.id) if r.uscc == uscc)
            return ApplicantDetail(
                row=row,
                applicant=codec.applicant_from_stored(
                    version.values, version.provenance, version.source
                ),
                versions=tuple(
                    VersionInfo(
                        number=v.number,
                        file_name=file_name,
                        values_hash=v.values_hash,
                        created_by=creator,
                        created_at=v.created_at,
                    )
                    for v, file_name, creator in versions
                ),
                issues=tuple(codec.issue_from_dict(i) for i in version.issues),
                review=review,
            )

    def round_details(
        self,
        round_name: str,
        usccs: Sequence[str] | None = None,
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        chunk: int = 200,
    ) -> Iterator[ApplicantDetail]:
        """Every applicant of a round (or the given ones, in that order) as applicant_detail
        gives it, read in one session a chunk at a time: for exports of a whole round.

        The default order is the round table's (list_applicants: by rank). ``cancel`` is
        polled before each chunk and raises ImportCancelled; ``progress(done, total)`` follows
        each applicant handed out. The session stays open while the caller consumes the
        iterator, so consume it promptly (one export) and never change the round meanwhile.
        An SQLite file is checked first (PRAGMA quick_check): a damaged one is reported before
        an export starts, naming the backup to restore.
        """
        self.store.check_integrity()
        with self.store.session() as session:
            round_row = self._round(session, round_name)
            rows = self._rows(session, round_row.id)
            if usccs is None:
                rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.uscc))
            else:
                by_uscc = {r.uscc: r for r in rows}
                missing = [u for u in usccs if u not in by_uscc]
                if missing:
                    raise NotFoundError(
                        f"批次 “{round_row.name}” 中没有统一社会信用代码为 "
                        f"{'、'.join(missing)} 的企业"
                    )
                rows = [by_uscc[u] for u in usccs]
            names = _EvaluatorNames(session)
            done = 0
            for part in _chunks(rows, chunk):
                if cancel is not None and cancel():
                    raise ImportCancelled("已取消读取批次数据")
                for detail in self._details(session, round_row, part, names):
                    yield detail
                    done += 1
                    if progress is not None:
                        progress(done, len(rows))
                session.expunge_all()  # keep memory flat over a 10,000-applicant round

    def _details(
        self,
        session: Session,
        round_row: Round,
        rows: Sequence[ApplicantRow],
        names: _EvaluatorNames,
    ) -> list[ApplicantDetail]:
        """ApplicantDetail of some applicants of a round, with a few queries for them all."""
        ids = [r.applicant_id for r in rows]
        current = {
            applicant.id: (applicant, version)
            for applicant, version in session.execute(
                select(Applicant, ApplicantVersion)
                .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                .where(Applicant.id.in_(ids))
            )
        }
        versions: dict[int, list[VersionInfo]] = defaultdict(list)
        for owner, number, values_hash, created_at, file_name, creator in session.execute(
            select(
                ApplicantVersion.applicant_id,
                ApplicantVersion.number,
                ApplicantVersion.values_hash,
                ApplicantVersion.created_at,
                ImportFile.file_name,
                ApplicantVersion.created_by_id,
            )
            .join(ImportFile, ImportFile.id == ApplicantVersion.import_file_id)
            .where(ApplicantVersion.applicant_id.in_(ids))
            .order_by(ApplicantVersion.applicant_id, ApplicantVersion.number)
        ):
            versions[owner].append(
                VersionInfo(
                    number=number,
                    file_name=file_name,
                    values_hash=values_hash,
                    created_by=names[creator],
                    created_at=created_at,
                )
            )
        reviews = {
            review.applicant_id: review
            for review in session.scalars(
                select(Review)
                .where(Review.applicant_id.in_(ids))
                .options(selectinload(Review.items))
            )
        }
        evaluation_ids = [
            applicant.current_evaluation_id
            for applicant, _ in current.values()
            if applicant.current_evaluation_id
        ]
        evaluations = {
            e.id: e
            for e in session.scalars(select(Evaluation).where(Evaluation.id.in_(evaluation_ids)))
        }
        stored = dict(
            session.execute(
                select(EvaluationResult.evaluation_id, EvaluationResult.result).where(
                    EvaluationResult.evaluation_id.in_(evaluation_ids)
                )
            ).all()
        )
        details = []
        for row in rows:
            applicant, version = current[row.applicant_id]
            evaluation = evaluations.get(applicant.current_evaluation_id or 0)
            result = None
            if evaluation is not None:
                texts = self._texts(session, evaluation.rulebook_hash, evaluation.rulebook_id)
                result = expand(stored[evaluation.id], texts)
            review = reviews.get(applicant.id)
            details.append(
                ApplicantDetail(
                    row=row,
                    applicant=codec.applicant_from_stored(
                        version.values, version.provenance, version.source
                    ),
                    versions=tuple(versions[applicant.id]),
                    issues=tuple(codec.issue_from_dict(i) for i in version.issues),
                    review=_build_review_state(
                        round_row.name,
                        applicant,
                        version.issues,
                        review,
                        [names[i.evaluator_id] for i in review.items] if review else [],
                        evaluation.verdict if evaluation else None,
                        result,
                        names[review.decided_by_id] if review and review.decided_by_id else None,
                    ),
                )
            )
        return details

    def statistics(self, round_name: str) -> RoundStatistics:
        """Counts by verdict, decision and review status, plus files, versions and open items."""
        with self.store.session() as session:
            round_row = self._round(session, round_name)
            rows = self._rows(session, round_row.id)
            files, blocked = session.execute(
                select(
                    func.count(ImportFile.id), func.coalesce(func.sum(ImportFile.rows_blocked), 0)
                ).where(ImportFile.round_id == round_row.id)
            ).one()
            versions = session.scalar(
                select(func.count(ApplicantVersion.id))
                .join(Applicant, Applicant.id == ApplicantVersion.applicant_id)
                .where(Applicant.round_id == round_row.id)
            )
        return RoundStatistics(
            round_name=round_row.name,
            applicants=len(rows),
            files=files,
            versions=versions or 0,
            by_verdict=dict(Counter(r.verdict or "none" for r in rows)),
            by_decision=dict(Counter(r.decision or "none" for r in rows)),
            by_review_status=dict(Counter(str(r.review_status) for r in rows)),
            open_judgements=sum(r.open_judgements for r in rows),
            open_warnings=sum(r.open_warnings for r in rows),
            blocked_rows=int(blocked),
        )

    def history(self, round_name: str, uscc: str | None = None) -> list[HistoryEntry]:
        """The audit trail of a round, or of one applicant in it, oldest first."""
        with self.store.session() as session:
            round_row = self._round(session, round_name)
            query = select(AuditEvent).where(AuditEvent.round_id == round_row.id)
            if uscc is not None:
                applicant = self._applicant(session, round_row, uscc)
                query = query.where(AuditEvent.applicant_id == applicant.id)
            events = session.scalars(query.order_by(AuditEvent.id)).all()
            return [
                HistoryEntry(
                    id=e.id,
                    at=e.at,
                    actor=e.actor,
                    action=e.action,
                    entity=e.entity,
                    uscc=e.uscc,
                    before=e.before,
                    after=e.after,
                    reason=e.reason,
                    summary=summarize(e),
                )
                for e in events
            ]


def _insert_many(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """INSERT many rows in order and return their ids (in the same order).

    On PostgreSQL the rows travel as one JSON document per batch, unpacked by the server with
    json_to_recordset, and the ids are drawn from the table's sequence first: psycopg would
    otherwise convert hundreds of thousands of parameters one by one, which made storing a
    10,000-applicant file cost more than reading and scoring it.
    """
    if not rows:
        return []
    table = model.__table__
    has_id = "id" in table.c
    if session.get_bind().dialect.name != "postgresql":
        if has_id:
            statement = insert(model).returning(table.c.id, sort_by_parameter_order=True)
            return list(session.scalars(statement, rows))
        session.execute(insert(model), rows)
        return []
    ids: list[int] = []
    for start in range(0, len(rows), 2000):
        batch = rows[start : start + 2000]
        if has_id:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            batch_ids = list(
                session.scalars(
                    select(func.nextval(sequence)).select_from(func.generate_series(1, len(batch)))
                )
            )
            batch = [{"id": i, **row} for i, row in zip(batch_ids, batch, strict=True)]
            ids.extend(batch_ids)
        names = list(batch[0])
        record = (
            func.json_to_recordset(bindparam("rows", [_jsonable(r) for r in batch], type_=JSON))
            .table_valued(*[column(n, _plain_type(table.c[n].type)) for n in names])
            .render_derived(with_types=True)
        )
        session.execute(insert(table).from_select(names, select(*[record.c[n] for n in names])))
    return ids


def _plain_type(column_type: Any) -> Any:
    """The database type to declare in json_to_recordset (TypeDecorators unwrapped)."""
    return getattr(column_type, "impl_instance", column_type)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _point_applicants(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set name and current version/evaluation of many applicants at once."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(update(Applicant), rows)  # executemany: cheap in-process on SQLite
        return
    for start in range(0, len(rows), 2000):
        batch = rows[start : start + 2000]
        record = (
            func.json_to_recordset(bindparam("rows", batch, type_=JSON))
            .table_valued(
                column("id", Integer),
                column("name", String),
                column("current_version_id", Integer),
                column("current_evaluation_id", Integer),
            )
            .render_derived(with_types=True)
        )
        session.execute(
            update(Applicant)
            .where(Applicant.id == record.c.id)
            .values(
                name=record.c.name,
                current_version_id=record.c.current_version_id,
                current_evaluation_id=record.c.current_evaluation_id,
            )
            .execution_options(synchronize_session=False)
        )


def _too_long_text(applicant: DomainApplicant, name_limit: int, uscc_limit: int) -> str | None:
    """Why an applicant's name or USCC cannot be stored (too long, or a NUL character)."""
    name = applicant.name or ""
    if len(name) > name_limit:
        return f"企业名称有 {len(name)} 个字符，超过了允许的 {name_limit} 个字符"
    if "\x00" in name:
        return "企业名称含有空字符（\\x00）"
    if len(applicant.uscc or "") > uscc_limit:
        return f"统一社会信用代码有 {len(applicant.uscc)} 个字符，超过了 {uscc_limit} 个字符"
    return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that exist before a bulk import.

    A 10,000-row roster is millions of small objects; without this, every full collection
    walks them all again and storing costs twice as much. Nothing is leaked: the objects are
    handed back to the collector afterwards.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class _EvaluatorNames(dict[int, str]):
    """Evaluator names by id, read once; someone added meanwhile is looked up on demand."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.execute(select(Evaluator.id, Evaluator.name)).all())
        self.session = session

    def __missing__(self, key: int) -> str:
        name = self.session.get_one(Evaluator, key).name
        self[key] = name
        return name


class _Stale(Exception):
    def __init__(self, seen: int) -> None:
        self.seen = seen


class _StampReader:
    """Timestamps for the round table: SQLite's text parsed by datetime.fromisoformat (C),
    much faster over 10,000 rows than the generic DateTime result processing."""

    def __init__(self, raw_text: bool) -> None:
        self.raw_text = raw_text

    def column(self, column: Any) -> Any:
        return type_coerce(column, String) if self.raw_text else column

    def parse(self, value: Any) -> datetime | None:
        if value is None or not self.raw_text:
            return value
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stamp_reader(dialect: str) -> _StampReader:
    return _StampReader(raw_text=dialect == "sqlite")


def _build_review_state(
    round_name: str,
    applicant: Applicant,
    issues: list[dict[str, Any]],
    review: Review | None,
    item_evaluators: list[str],
    verdict: str | None,
    result: dict[str, Any] | None,
    decided_by: str | None,
) -> ReviewState:
    """The ReviewState of one applicant from what was read for it (one or many at a time)."""
    items = tuple(
        ReviewItemInfo(
            kind=i.kind,
            target=i.target,
            state=i.state,
            override=i.override,
            reason=i.reason,
            evaluator=evaluator,
            at=i.at,
        )
        for i, evaluator in zip(review.items if review else [], item_evaluators, strict=True)
    )
    acked = {i.target for i in items if i.kind == "warning"}
    open_warnings = tuple(
        codec.issue_from_dict(issue)
        for issue in issues
        if issue["severity"] == "warning" and issue["code"] not in acked
    )
    open_judgements = tuple(
        (c["id"], c["title"])
        for c in (result or {}).get("criteria", [])
        if c["state"] == CriterionState.MANUAL
    )
    decision = review.decision if review else None
    return ReviewState(
        round_name=round_name,
        uscc=applicant.uscc,
        name=applicant.name,
        version=review.version if review else 0,
        status=_status(decision, len(open_judgements), len(open_warnings), bool(items)),
        decision=decision,
        decision_label=_decision_label(decision),
        opinion=review.opinion if review else "",
        decided_by=decided_by,
        decided_at=review.decided_at if review else None,
        items=items,
        open_judgements=open_judgements,
        open_warnings=open_warnings,
        verdict=verdict,
        evaluation=result,
    )


def _manual_mapping(file: Any) -> list[list[Any]]:
    """The columns the evaluator mapped by hand, as stored with the import (sheet, column,
    field, year, unit, role), in a stable order."""
    return sorted(
        (
            [m.sheet, m.column, m.field, m.year, m.unit, m.role]
            for m in getattr(file, "column_mapping", None) or ()
            if getattr(m, "manual", False)
        ),
        key=lambda item: (str(item[0]), str(item[1])),
    )


def _status(decision: str | None, judgements: int, warnings: int, touched: bool) -> ReviewStatus:
    if decision:
        return ReviewStatus.DECIDED
    if judgements == 0 and warnings == 0:
        return ReviewStatus.READY
    return ReviewStatus.IN_PROGRESS if touched else ReviewStatus.PENDING


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _state_label(state: str | None) -> str:
    if state is None:
        return "—"
    try:
        return CriterionState(state).label
    except ValueError:
        return state


def _or_blank(value: Any) -> str:
    return "空" if value is None else str(value)


def summarize(event: AuditEvent) -> str:
    """One Chinese sentence saying what an audit event did."""
    before, after = event.before or {}, event.after or {}
    action = event.action
    if action == "round-create":
        return (
            f"创建批次 “{after.get('name')}”（{after.get('tier_label')}，"
            f"批次日期 {after.get('round_date')}）"
        )
    if action == "round-rename":
        return f"将批次 “{before.get('name')}” 重命名为 “{after.get('name')}”"
    if action == "round-archive":
        return f"归档批次 “{after.get('name')}”（此后只能查看和导出）"
    if action == "round-restore":
        return f"恢复批次 “{after.get('name')}”（可继续导入和评审）"
    if action == "file-import":
        how = (
            "（按更正的列对应关系）"
            if after.get("corrected_mapping")
            else "（按自动识别的列对应关系重新读取）"
            if (before or {}).get("mapping")
            else ""
        )
        return (
            f"导入文件 {after.get('file')}{how}：新增 {after.get('new')} 家，"
            f"更新 {after.get('changed')} 家，"
            f"未变 {after.get('unchanged')} 家，阻断 {after.get('rows_blocked')} 行，"
            f"错误 {after.get('errors')} 条，提示 {after.get('warnings')} 条"
        )
    if action == "applicant-version":
        verdict = _verdict_label(after.get("verdict"))
        if not before:
            return f"首次导入 {after.get('name')}（来自 {after.get('file')}），评价结论：{verdict}"
        changes = after.get("changed") or {}
        parts = [
            f"{_field_label(key)} {_or_blank(old)}→{_or_blank(new)}"
            for key, (old, new) in changes.items()
        ]
        return (
            f"数据更正为第 {after.get('version')} 版（来自 {after.get('file')}）："
            + ("，".join(parts) or "无字段变化")
            + f"；评价结论：{verdict}"
        )
    if action == "evaluation":
        cause = {"rescore": "重新评价", "review": "按评审确认重新评价", "import": "评价"}.get(
            after.get("cause", ""), "评价"
        )
        old = _verdict_label(before.get("verdict")) if before else "—"
        text = f"{cause}：{old}→{_verdict_label(after.get('verdict'))}"
        if after.get("score") is not None:
            text += f"，得分 {after.get('score')}"
        if before and before.get("rulebook_hash") != after.get("rulebook_hash"):
            text += f"（规则 {after.get('rulebook')} 已更新）"
        return text
    if action in ("criterion-confirm", "criterion-override"):
        verb = "确认" if action == "criterion-confirm" else "改判"
        text = (
            f"{verb}指标 {after.get('criterion')} {after.get('title') or ''}："
            f"{_state_label(before.get('state') or before.get('computed'))}→"
            f"{_state_label(after.get('state'))}"
        )
        return text + (f"（理由：{event.reason}）" if event.reason else "")
    if action == "warning-ack":
        return f"确认导入提示 {after.get('code')}（理由：{event.reason}）"
    if action == "decision":
        old = _decision_label(before.get("decision")) if before.get("decision") else "未决定"
        return f"决定：{old}→{after.get('label')}；意见：{after.get('opinion')}"
    if action == "opinion":
        return f"修改评审意见：{after.get('opinion')}"
    if action == "evaluator-role":
        role = after.get("role", "")
        return f"将 {after.get('name')} 的角色设为 {ROLE_LABELS.get(role, role)}"
    return action


def _event_values(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "round_id": event.round_id,
        "applicant_id": event.applicant_id,
        "uscc": event.uscc,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


def expand_json_paths(paths: Sequence[Path | str]) -> list[Path]:
    """JSON input files named directly or found in the given folders (sorted)."""
    result: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            result.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".json"))
        elif path.exists():
            result.append(path)
        else:
            raise NotFoundError(f"文件或文件夹不存在：{path}")
    return result


def read_json_file(path: Path) -> FileRead:
    """One JSON input file as a FileRead (the JSON reader reports bad input by raising)."""
    from zjtx.intake.json_input import InputError, read_json_applicants
    from zjtx.scoring.catalogue import load_catalogue

    if path.suffix.lower() != ".json":
        raise StoreError(f"{path.name}：表格文件的导入需要 zjtx.intake 的表格读取功能（尚未安装）")
    try:
        applicants = read_json_applicants(path, load_catalogue())
    except InputError as exc:
        raise StoreError(str(exc)) from None
    return FileRead(
        path=path,
        sha256=codec.file_sha256(path),
        kind="json",
        applicants=applicants,
        issues=[],
        rows_total=len(applicants),
        rows_imported=len(applicants),
    )
