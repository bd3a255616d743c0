"""What every part of the store service shares: lookups, length checks, labels and types."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Text, cast, func, select, type_coerce
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.fields import FieldSpec
from zjtx.domain.labels import CriterionState, Decision, ReviewStatus, Verdict
from zjtx.domain.results import Confirmation
from zjtx.scoring.errors import did_you_mean
from zjtx.store import codec
from zjtx.store.dto import ReviewItemInfo, RoundInfo
from zjtx.store.errors import (
    InvalidRequestError,
    NotFoundError,
    ReviewRuleError,
    RoundArchivedError,
    StoreError,
    TextTooLongError,
)
from zjtx.store.identity import record_evaluator
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    Evaluation,
    Evaluator,
    Review,
    ReviewItem,
    Round,
    utc_now,
)

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


def column_limit(column: Any) -> int | None:
    """The length a String column allows (None for unbounded text)."""
    return getattr(column.type, "length", None)


def check_length(label: str, value: str | None, limit: int | None) -> None:
    """Refuse a text longer than its column (PostgreSQL would fail the whole transaction)."""
    if value is not None and limit is not None and len(value) > limit:
        raise TextTooLongError(
            f"{label}有 {len(value)} 个字符，超过了允许的 {limit} 个字符；请缩短后重试"
        )


def check_text(label: str, value: str | None, limit: int | None = None) -> None:
    """Refuse a text an evaluator typed or pasted when it is longer than its column or holds
    control characters: a bell, an escape, NUL (which PostgreSQL cannot store) or a reversal of
    writing direction, usually pasted from another program, would reach the audit trail and
    the printed report. Line breaks and tabs are kept."""
    check_length(label, value, limit)
    if value and not value.isprintable():
        from zjtx.intake.cell_text import control_characters

        found = control_characters(value)
        if found:
            raise InvalidRequestError(
                f"{label}含有控制字符 {'、'.join(found)}（常见于从其他程序粘贴的文字），"
                "本次操作未保存；请删除这些字符后重试"
            )


def find_round(session: Session, name: str) -> Round:
    """The round of that name, or NotFoundError naming the closest one (or all of them)."""
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


def find_applicant(session: Session, round_row: Round, uscc: str) -> Applicant:
    """The applicant of the round with that 统一社会信用代码, or NotFoundError."""
    row = session.scalar(
        select(Applicant).where(Applicant.round_id == round_row.id, Applicant.uscc == uscc)
    )
    if row is None:
        raise NotFoundError(
            f"批次 “{round_row.name}” 中没有统一社会信用代码为 {uscc} 的企业"
            + _which_was_meant(session, round_row, uscc)
        )
    return row


def _which_was_meant(session: Session, round_row: Round, text: str) -> str:
    """What an evaluator who typed ``text`` for a code may have meant: the code of the
    enterprise of that name, or the nearest name or code of the round (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    rows = session.execute(
        select(Applicant.uscc, Applicant.name).where(Applicant.round_id == round_row.id)
    ).all()
    named = [code for code, name in rows if name == text.strip()]
    if named:
        return f"；“{text.strip()}”是企业名称，请写其统一社会信用代码 {'或 '.join(named)}"
    names = dict(rows)
    # A name two applicants share suggests neither (which one was meant is not known).
    shared = {name for name, n in Counter(names.values()).items() if n > 1}
    choices = {code: code for code in names} | {
        name: code for code, name in names.items() if name not in shared
    }
    near = process.extractOne(text, list(choices), scorer=fuzz.ratio, score_cutoff=85)
    if near is None:
        return ""
    code = choices[near[0]]
    return f"；您是不是要写 {code}（{names[code]}）？"


_REVIEW_LOCK_CLASS = 0x7A6C  # PostgreSQL advisory locks of one applicant's review-side acts


def hold_applicant(session: Session, applicant: Applicant) -> None:
    """Make the review-side acts on one applicant (its review and decision, the panel's
    judgements, opinions and 回避) take turns: each checks what the others wrote, so two at
    once would each pass the other's check. Taken before those checks read. PostgreSQL: an
    advisory lock of the applicant (its row is left to imports, which reviews do not wait
    for); SQLite: its single write lock (take_sqlite_write_lock). Callers read the round
    again after it: it may have been archived while this waited."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(
                func.pg_advisory_xact_lock(
                    type_coerce(_REVIEW_LOCK_CLASS, Integer), type_coerce(applicant.id, Integer)
                )
            )
        )
    else:
        take_sqlite_write_lock(session, Applicant, applicant.id)


def take_sqlite_write_lock(session: Session, model: type[Any], row_id: int) -> None:
    """Take SQLite's single write lock now: it reads outside a transaction until its first
    write, so checks made before then could be passed by another writer. A write that changes
    nothing, through a column no key refers to (no child table is scanned)."""
    table = model.__table__.name
    session.execute(sql_text(f"UPDATE {table} SET name = name WHERE id = :id"), {"id": row_id})


def evaluator_row(session: Session, name: str | None) -> Evaluator:
    """The evaluator of that name (the configured one by default), added on first use."""
    name = record_evaluator(name)
    if not name:
        raise ReviewRuleError("评审人姓名不能为空")
    check_length("评审人姓名", name, column_limit(Evaluator.__table__.c.name))
    row = session.scalar(select(Evaluator).where(Evaluator.name == name))
    if row is None:
        # Inserted unless another save (the same person's window and command, or two PCs)
        # has just added the name: its first two saves at once must not fail on it.
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(Evaluator)
            .values(name=name, role="evaluator", created_at=utc_now())
            .on_conflict_do_nothing(index_elements=["name"])
        )
        row = session.scalars(select(Evaluator).where(Evaluator.name == name)).one()
    return row


def check_open(row: Round, doing: str) -> None:
    """Refuse to change an archived round (it is read-only until restored)."""
    if row.archived_at is not None:
        raise RoundArchivedError(
            f"批次 “{row.name}” 已于 {local_time(row.archived_at)} 归档，只能查看和导出，"
            f"不能{doing}；如需{doing}，请先恢复该批次"
        )


def round_info(row: Round, creator: str, applicants: int = 0) -> RoundInfo:
    """The RoundInfo of a round row (its creator's name and applicant count given)."""
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


def count_applicants(session: Session, round_id: int) -> int:
    count = session.scalar(
        select(func.count()).select_from(Applicant).where(Applicant.round_id == round_id)
    )
    return count or 0


# Plain-string keys: the round table looks these up 10,000 times per listing.
_VERDICT_TEXT: dict[str | None, str] = {
    None: "未评价",
    **Verdict.labels(),
}
_DECISION_TEXT: dict[str | None, str] = {
    None: "未决定",
    **Decision.labels(),
}


def verdict_label(verdict: str | None) -> str:
    return _VERDICT_TEXT.get(verdict, verdict or "")


def decision_label(decision: str | None) -> str:
    return _DECISION_TEXT.get(decision, decision or "")


def field_spec(key: str) -> FieldSpec | None:
    """The field of that key, the bundled catalogue's or an overlay's (None for a key no
    catalogue knows)."""
    try:
        from zjtx.scoring.known_fields import known_field

        return known_field(key)
    except (OSError, ValueError):  # pragma: no cover - the bundled catalogue is valid
        return None


def field_label(key: str) -> str:
    spec = field_spec(key)
    return spec.relative_label() if spec else key


def state_label(state: str | None) -> str:
    if state is None:
        return "—"
    try:
        return CriterionState(state).label
    except ValueError:
        return state


def review_status(
    decision: str | None, judgements: int, warnings: int, touched: bool
) -> ReviewStatus:
    if decision:
        return ReviewStatus.DECIDED
    if judgements == 0 and warnings == 0:
        return ReviewStatus.READY
    return ReviewStatus.IN_PROGRESS if touched else ReviewStatus.PENDING


# A change of the panel in general, where what changed was not read (or is no longer known).
PANEL_CHANGED = "成员的判断、意见或回避有变，或评分汇总规则改变"


def decision_outdated_reason(
    decision: str | None,
    decided_at: datetime | None,
    data_at: datetime,
    verdict_at_decision: str | None,
    verdict: str | None,
    warned_at: datetime | None = None,
    panel_changed_at: datetime | None = None,
    panel_words: str = "",
) -> str:
    """Why a decision needs a second look (需复核), or "" while it stands: the applicant's
    data were imported again after it, or its verdict has changed since (a rescore under a
    newer standard, a confirmation), or, for a 推荐 (which needs every warning
    acknowledged), the register has since raised a warning, a panel member has since
    declared or lifted a 回避 (their judgements withdrawn, or who presides changed) or the
    panel's scoring rule changed under points it gave; or it is a 推荐 of an applicant not
    符合条件 (saved before 推荐 waited for open items). A decision from before verdicts were
    kept with it compares on its data only."""
    if not decision or decided_at is None:
        return ""
    changes = []
    if data_at > decided_at:
        changes.append("企业数据已重新导入")
    if decision == Decision.RECOMMEND.value and warned_at is not None and warned_at > decided_at:
        changes.append("培育库核对新增了提示")
    if panel_changed_at is not None and panel_changed_at > decided_at:
        # What changed, in the trail's words (panel_review.panel_changes), where it was read.
        changes.append(f"专家组有变（{panel_words or PANEL_CHANGED}）")
    if verdict_at_decision is not None and verdict != verdict_at_decision:
        changes.append(
            f"评价结论由“{verdict_label(verdict_at_decision)}”变为“{verdict_label(verdict)}”"
        )
    if changes:
        return "决定作出后" + "，".join(changes)
    if decision == Decision.RECOMMEND.value and verdict not in (None, Verdict.QUALIFIED.value):
        # Saved before 推荐 waited for open items (or written by hand): it cannot stand.
        return f"评价结论为“{verdict_label(verdict)}”，与“{Decision.RECOMMEND.label}”不符"
    return ""


def outdated_decisions(
    session: Session, round_id: int, applicant_id: int | None = None
) -> dict[int, str]:
    """Why each decision of a round (or of one applicant) needs a second look, by applicant
    id (see decision_outdated_reason); decisions that stand are left out."""
    query = (
        select(
            Applicant.id,
            Review.decision,
            Review.decided_at,
            ApplicantVersion.created_at,
            Review.verdict_at_decision,
            Evaluation.verdict,
            ApplicantVersion.warned_at,
            Review.panel_changed_at,
        )
        .join(Review, Review.applicant_id == Applicant.id)
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .outerjoin(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
        .where(Applicant.round_id == round_id, Review.decision.is_not(None))
    )
    if applicant_id is not None:
        query = query.where(Applicant.id == applicant_id)
    rows = session.execute(query).all()
    from zjtx.store.panel_review import panel_changes

    words = panel_changes(
        session, round_id, {row.id: (row.decided_at, row.panel_changed_at) for row in rows}
    )
    reasons = {
        owner: decision_outdated_reason(*rest, panel_words=words.get(owner, ""))
        for owner, *rest in rows
    }
    return {owner: reason for owner, reason in reasons.items() if reason}


def item_confirmation(item: ReviewItem | ReviewItemInfo, evaluator: str) -> Confirmation:
    """The confirmation or override a stored review item of a criterion makes, to score with."""
    return Confirmation(
        criterion_id=item.target,
        state=CriterionState(item.state),
        reason=item.reason,
        evaluator=evaluator,
        at=item.at,
        override=item.override,
    )


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


# What an evaluator can do about a damaged row: neither a re-import nor a rescore rewrites it.
REMEDY = (
    "该记录可能被其他程序改动或因磁盘故障损坏，重新导入或重新评价都不能修复："
    "请联系技术支持检查数据库，必要时从单位的数据库备份恢复"
)


def damaged_version(
    name: str, uscc: str, number: int | None, exc: Exception, what: str = "字段值"
) -> StoreError:
    """The error for a version whose stored values cannot be read (the database edited by
    hand, a disk fault): it names the applicant and version, never a driver's exception.
    A re-import cannot mend it (an unchanged file or unchanged values write nothing), hence
    the advice. ``what``: the damaged part of the version (字段值, 导入提示...)."""
    return StoreError(
        f"企业 {version_part(name, uscc, number, what)}在数据库中已损坏，无法读取"
        f"（{type(exc).__name__}）；本次操作未完成，数据库未改动。{REMEDY}"
    )


def version_part(name: str, uscc: str, number: int | None, what: str) -> str:
    """A part of an applicant's version in words, e.g. ``甲公司（9133…）第 2 版的字段值``."""
    which = f"第 {number} 版" if number is not None else "当前版本"
    return f"{name}（{uscc}）{which}的{what}"


def damaged_result(name: str, uscc: str, exc: Exception) -> StoreError:
    """The error for an evaluation result that cannot be read: it names the applicant. Neither
    a rescore nor a re-import writes an evaluation whose inputs are unchanged again, hence the
    advice."""
    return StoreError(
        f"企业 {name}（{uscc}）当前的评价结果在数据库中已损坏，无法读取"
        f"（{type(exc).__name__}）；本次操作未完成，数据库未改动。{REMEDY}"
    )


def damaged_rulebook_texts(rulebook_id: str, rulebook_hash: str, exc: Exception) -> StoreError:
    """The error for a rulebook's stored texts (shared by every result of that rulebook) that
    cannot be read: it names the rulebook and the start of its hash, as no one applicant is
    at fault. A rescore of unchanged inputs reuses the same texts, hence the advice."""
    return StoreError(
        f"评价标准 {rulebook_id}（内容摘要 {rulebook_hash[:8]}）的条目文本在数据库中已损坏，"
        f"无法读取（{type(exc).__name__}）；本次操作未完成，数据库未改动。{REMEDY}"
    )


def json_fault(*texts: str | None) -> ValueError | None:
    """The error decoding the first of these stored JSON texts that cannot be decoded (one
    cut short: SQLite keeps any text in a JSON column), or None."""
    for text in texts:
        if text is not None:
            try:
                json.loads(text)
            except ValueError as exc:
                return exc
    return None


def stored_applicant(
    values: Any, provenance: Any, source: Any, name: str, uscc: str, number: int | None = None
) -> DomainApplicant:
    """The domain Applicant of a stored version; damaged values are a StoreError naming it."""
    try:
        if not isinstance(values, dict) or not isinstance(provenance, dict):
            raise TypeError("应为对象")
        return codec.applicant_from_stored(values, provenance, source)
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError) as exc:
        raise damaged_version(name, uscc, number, exc) from exc


# What each JSON column of a version holds, as a message names it (in the order read below).
VERSION_TEXTS = ("字段值", "字段来源", "申报文件位置", "导入提示")


def raise_damaged_version(session: Session, which: ColumnElement[bool], exc: ValueError) -> None:
    """Name the first applicant of ``which`` whose current version holds a JSON text that
    cannot be decoded: the driver fails a whole batch of rows without saying whose. Read as
    text only after such a failure, so that healthy rounds are read as fast as before."""
    for name, uscc, number, what, fault in undecodable_versions(session, which).values():
        raise damaged_version(name, uscc, number, fault, what) from exc


def undecodable_versions(
    session: Session, which: ColumnElement[bool]
) -> dict[int, tuple[str, str, int, str, ValueError]]:
    """The applicants of ``which`` whose current version holds a JSON text that cannot be
    decoded, by applicant id: (name, uscc, version number, the part damaged, the fault)."""
    found = {}
    for owner, name, uscc, number, *stored in session.execute(
        select(
            Applicant.id,
            Applicant.name,
            Applicant.uscc,
            ApplicantVersion.number,
            cast(ApplicantVersion.values, Text),
            cast(ApplicantVersion.provenance, Text),
            cast(ApplicantVersion.source, Text),
            cast(ApplicantVersion.issues, Text),
        )
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .where(which)
        .order_by(Applicant.id)
    ):
        for what, text in zip(VERSION_TEXTS, stored, strict=True):
            fault = json_fault(text)
            if fault is not None:
                found[owner] = (name, uscc, number, what, fault)
                break
    return found


def current_version(session: Session, applicant: Applicant) -> ApplicantVersion:
    """An applicant's current version row; a JSON text of it the driver cannot decode is a
    StoreError naming the applicant, version and what is damaged."""
    try:
        return session.get_one(ApplicantVersion, applicant.current_version_id)
    except ValueError as exc:
        raise_damaged_version(session, Applicant.id == applicant.id, exc)
        # No JSON text is at fault: another column (a timestamp) could not be read.
        raise damaged_version(applicant.name, applicant.uscc, None, exc, "记录") from exc


def version_applicant(applicant: Applicant, version: Any) -> DomainApplicant:
    """The domain Applicant of an applicant's stored version (an ApplicantVersion row)."""
    return stored_applicant(
        version.values,
        version.provenance,
        version.source,
        applicant.name,
        applicant.uscc,
        version.number,
    )
