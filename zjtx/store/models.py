"""SQLAlchemy 2 typed models of rounds, applicants, versions, evaluations, reviews and audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Plain JSON (text) on PostgreSQL too: nothing queries inside documents, and JSONB's
# conversion doubled the cost of storing a 10,000-applicant import.
JSONType = JSON()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("时间戳必须带时区")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Evaluator(Base):
    """A person who works on rounds: an evaluator (评审员) or the chair (组长)."""

    __tablename__ = "evaluators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="evaluator")  # evaluator | chair
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Round(Base):
    """One evaluation round (批次): tier, round date, region, rulebook choice and settings.

    An archived round (``archived_at`` set) is read-only: it can be viewed and exported only.
    """

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    tier: Mapped[str] = mapped_column(String(50))
    round_date: Mapped[date] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(200))
    rulebook: Mapped[str | None] = mapped_column(String(100))  # None: chosen per applicant
    overlay: Mapped[str | None] = mapped_column(String(100))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: open for work
    # The version of the register's checks its warnings were last given by (REGISTRY_CHECKS;
    # None: by a zjtx older than the number).
    registry_checks: Mapped[int | None] = mapped_column(Integer)

    created_by: Mapped[Evaluator] = relationship()


class ImportFile(Base):
    """One file imported into a round, with its hash, counts and every issue found in it."""

    __tablename__ = "import_files"
    __table_args__ = (UniqueConstraint("round_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_blocked: Mapped[int] = mapped_column(Integer, default=0)
    rows_blank: Mapped[int] = mapped_column(Integer, default=0)
    versions_created: Mapped[int] = mapped_column(Integer, default=0)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # The rows the gate refused, as read (zjtx.store.refused_rows); NULL before migration 0016.
    refused: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Applicant(Base):
    """One enterprise in one round (one per 统一社会信用代码 per round).

    ``current_version_id`` and ``current_evaluation_id`` point at the latest rows so that the
    round listing is one indexed join; older versions and evaluations are kept.
    """

    __tablename__ = "applicants"
    __table_args__ = (UniqueConstraint("round_id", "uscc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(300))
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    current_evaluation_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ApplicantVersion(Base):
    """One imported state of an applicant: typed values, provenance, source file and issues."""

    __tablename__ = "applicant_versions"
    __table_args__ = (UniqueConstraint("applicant_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSONType)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSONType)
    source: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    values_hash: Mapped[str] = mapped_column(String(64))
    # Copies of three values, for the round table's 地区 column and filter (see migration 0005).
    province: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    county: Mapped[str | None] = mapped_column(Text)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    warnings: Mapped[int] = mapped_column(Integer, default=0)  # how many issues are warnings
    # When a check against the changed register last added a warning (a 推荐 before it 需复核).
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    import_file_id: Mapped[int] = mapped_column(ForeignKey("import_files.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Evaluation(Base):
    """One evaluation of one applicant version against one rulebook; old ones are kept."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("applicant_versions.id"))
    rulebook_id: Mapped[str] = mapped_column(String(100))
    rulebook_version: Mapped[str] = mapped_column(String(50))
    rulebook_hash: Mapped[str] = mapped_column(String(64))
    input_hash: Mapped[str] = mapped_column(String(64))
    application_type: Mapped[str | None] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(20))
    score: Mapped[str | None] = mapped_column(String(40))  # exact decimal text
    score_sort: Mapped[float | None] = mapped_column(Float)  # ordering only, never shown
    max_score: Mapped[str | None] = mapped_column(String(40))
    # The most the score could still reach while it is not fixed (data missing, judgement
    # items open; exact decimal text); NULL when the score is fixed. Migration 0015.
    score_max: Mapped[str | None] = mapped_column(String(40))
    open_judgements: Mapped[int] = mapped_column(Integer, default=0)
    cause: Mapped[str] = mapped_column(String(20))  # import | rescore | review
    created_by_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class EvaluationResult(Base):
    """The full result of one evaluation, apart from the narrow row the round table reads."""

    __tablename__ = "evaluation_results"

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSONType)


class RulebookText(Base):
    """The rulebook texts of criteria (title, clause, source...), stored once per rulebook
    content hash; an evaluation's result keeps only what differs from them."""

    __tablename__ = "rulebook_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rulebook_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rulebook_id: Mapped[str] = mapped_column(String(100))
    texts: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Review(Base):
    """The review of one applicant: decision, opinion and a version counter for locking."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), unique=True)
    decision: Mapped[str | None] = mapped_column(String(20))  # recommend | reject | return
    opinion: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("evaluators.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The verdict the decision was taken on: a rescore that changes it asks for a second look.
    verdict_at_decision: Mapped[str | None] = mapped_column(String(20))
    # When the panel last changed under the decision (a 回避 withdrawing judgements, or one
    # declared or lifted that changed who presides): a decision taken before it needs a
    # second look.
    panel_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("evaluators.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    items: Mapped[list[ReviewItem]] = relationship(
        back_populates="review", order_by="ReviewItem.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy declaration


class ReviewItem(Base):
    """A criterion confirmed or overridden, or an import warning acknowledged, with a reason."""

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("review_id", "kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # criterion | warning
    # criterion id, or a warning's key (Issue.key; a code alone as older versions saved it)
    target: Mapped[str] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(20))  # met | unmet for criteria
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    review: Mapped[Review] = relationship(back_populates="items")
    evaluator: Mapped[Evaluator] = relationship()


class AuditEvent(Base):
    """Append-only trail: who did what to which entity, when, before and after, and why."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_round_applicant", "round_id", "applicant_id"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    uscc: Mapped[str | None] = mapped_column(String(18))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    reason: Mapped[str | None] = mapped_column(Text)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_audit_update(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError("审计记录只能追加，不能修改")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_delete(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError("审计记录只能追加，不能删除")


class RegistryList(Base):
    """One published list (公示名单, 认定名单, 复核通过名单…) imported into the register, or a
    round's recommendations entered as recognised: what it was and who imported it when."""

    __tablename__ = "registry_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    document_title: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(30))  # innovative-sme | ... | single-champion
    level: Mapped[str] = mapped_column(String(20))  # national | provincial
    year: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20))
    valid_years: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    entries_added: Mapped[int] = mapped_column(Integer, default=0)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))  # from our own round
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class RegistryEntry(Base):
    """One state of one recognition (an enterprise's title of one year): appended, never
    changed; a later state (recognised after publicity, a USCC attached, revoked) is a new row
    whose ``supersedes_id`` names the one it replaces. The current state is the row no other
    row supersedes."""

    __tablename__ = "registry_entries"
    __table_args__ = (
        Index("ix_registry_entries_title_valid", "title", "valid_until"),
        Index("ix_registry_entries_name_key", "name_key"),
        Index("ix_registry_entries_uscc", "uscc"),
        Index("ix_registry_entries_supersedes", "supersedes_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("registry_entries.id"))
    list_id: Mapped[int | None] = mapped_column(ForeignKey("registry_lists.id"))
    name: Mapped[str] = mapped_column(String(300))  # as published
    name_key: Mapped[str] = mapped_column(String(300))  # zjtx.domain.names.normalise_name
    uscc: Mapped[str | None] = mapped_column(String(18))
    city: Mapped[str | None] = mapped_column(String(100))
    county: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20))  # publicity | recognised | renewed | revoked
    valid_until: Mapped[int] = mapped_column(Integer)  # the year its validity ends (renewal due)
    source_file: Mapped[str] = mapped_column(String(500), default="")
    source_sheet: Mapped[str | None] = mapped_column(String(200))
    source_row: Mapped[int | None] = mapped_column(Integer)
    source_title: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str | None] = mapped_column(Text)  # why this state (a revocation's reason…)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


@event.listens_for(RegistryEntry, "before_update")
def _refuse_registry_update(mapper: Any, connection: Any, target: RegistryEntry) -> None:
    raise AppendOnlyError("培育库记录只能追加新状态，不能修改")


@event.listens_for(RegistryEntry, "before_delete")
def _refuse_registry_delete(mapper: Any, connection: Any, target: RegistryEntry) -> None:
    raise AppendOnlyError("培育库记录只能追加新状态，不能删除")


class Panel(Base):
    """A round's expert panel (专家组): how members' points on scored judgement items are
    combined (``mean``, or ``trimmed``: 去掉一个最高分和一个最低分 from 5 members up)."""

    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    aggregation: Mapped[str] = mapped_column(String(20), default="mean")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PanelMember(Base):
    """One member of a round's panel: an expert (评审专家, ``expert``), a deputy (副组长,
    ``deputy``: presides where the 组长 declared 回避) or the chair (组长, ``chair``)."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("panel_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    unit: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))  # expert | deputy | chair
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PanelJudgement(Base):
    """A member's own position on one judgement item of one applicant: met or not, the
    points for a scored item (exact decimal text) and a note."""

    __tablename__ = "panel_judgements"
    __table_args__ = (UniqueConstraint("member_id", "applicant_id", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(100))
    met: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PanelOpinion(Base):
    """A member's own opinion (个人意见) on one applicant."""

    __tablename__ = "panel_opinions"
    __table_args__ = (UniqueConstraint("member_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    opinion: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PanelRecusal(Base):
    """A member's declared conflict of interest (回避) for one applicant, with the reason."""

    __tablename__ = "panel_recusals"
    __table_args__ = (UniqueConstraint("member_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


# --------------------------------------------------------------- mapping profiles (issue 14 §8)


class MappingProfile(Base):
    """A saved mapping profile shared by the bureau's evaluators (PostgreSQL): the profile's
    document as `zjtx profile export` writes it, keyed by name and by layout fingerprint."""

    __tablename__ = "mapping_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONType)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
