"""Re-evaluating a round: the applicants whose rulebook or inputs changed, in bulk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.results import Confirmation
from zjtx.store.bulk import chunks, insert_many, point_applicants
from zjtx.store.common import (
    Cancel,
    Progress,
    check_open,
    damaged_version,
    evaluator_row,
    find_round,
    round_info,
    stored_applicant,
)
from zjtx.store.dto import RescoreReport, RoundInfo, RulebookUpdate
from zjtx.store.errors import RescoreCancelled
from zjtx.store.evaluations import Evaluations, confirmations_of, evaluation_values, input_hash
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluation,
    EvaluationResult,
    Evaluator,
    Round,
    utc_now,
)
from zjtx.store.scored import Scored
from zjtx.store.scoring_pool import chunk_scoring
from zjtx.store.scoring_port import RulebookScorer

CHUNK = 500  # applicants written per batch of INSERTs, as an import writes them
UNSAVED = "重新评价未保存，数据库未改动"


@dataclass(slots=True)
class _Current:
    """One applicant of the round as it stands: its current version and evaluation."""

    applicant_id: int
    uscc: str
    name: str
    version_id: int
    applicant: DomainApplicant
    confirmations: tuple[Confirmation, ...]
    digest: str  # the input hash an evaluation of the current version has
    old: Any  # the current evaluation's row (id, rulebook, hash, input hash, verdict, score)


def rulebook_update(
    evaluations: Evaluations, session: Session, round_name: str
) -> RulebookUpdate | None:
    """Which applicants of a round were evaluated under another rulebook than the one that
    applies to them now (None when none were, or a caller's own scorer decides): one query
    grouped by application type and rulebook, and the rulebooks the scorer keeps anyway."""
    scorer = evaluations.scorer
    if type(scorer) is not RulebookScorer:
        return None
    round_row = find_round(session, round_name)
    info = round_info(round_row, "")
    groups = session.execute(
        select(
            Evaluation.application_type,
            Evaluation.rulebook_id,
            Evaluation.rulebook_version,
            Evaluation.rulebook_hash,
            func.count(),
        )
        .join(Applicant, Applicant.current_evaluation_id == Evaluation.id)
        .where(Applicant.round_id == round_row.id)
        .group_by(
            Evaluation.application_type,
            Evaluation.rulebook_id,
            Evaluation.rulebook_version,
            Evaluation.rulebook_hash,
        )
    ).all()
    applicants = 0
    changes: dict[tuple[str, ...], None] = {}
    for kind, rulebook_id, version, digest, count in groups:
        now = scorer.governing_type(kind, info)
        # None: no rulebook applies now, which rescoring says applicant by applicant.
        if now is not None and now.hash != digest:
            applicants += count
            changes[(rulebook_id, version, now.id, now.version, _carried(now))] = None
    return RulebookUpdate(applicants, tuple(changes)) if applicants else None


def _carried(rulebook: Any) -> str:
    """The overlay and notices a rulebook in force carries, in words ("" for none)."""
    parts = []
    if rulebook.overlay is not None:
        parts.append(f"省级规则 {rulebook.overlay.id} {rulebook.overlay.version}")
    notices = dict.fromkeys(applied.notice.id for applied in rulebook.notices)
    if notices:
        parts.append(f"年度通知 {'、'.join(notices)}")
    return "、".join(parts)


def outdated_text(evaluations: Evaluations, round_row: Round, evaluation: Any) -> str:
    """What to do first when a stored evaluation was made under another rulebook than the
    one that governs it now (a criterion asked for may exist only in the newer one); "" when
    it was not, or a caller's own scorer decides."""
    scorer = evaluations.scorer
    if type(scorer) is not RulebookScorer:
        return ""
    now = scorer.governing_type(evaluation.application_type, round_info(round_row, ""))
    if now is None or now.hash == evaluation.rulebook_hash:
        return ""
    return (
        f"该企业按此前版本的评价标准评价（现行：{now.id} {now.version}）：请先重新评价本批次"
        f"（zjtx round rescore {round_row.name}，或窗口中的“重新评价”），再确认"
    )


def rescore(
    evaluations: Evaluations,
    session: Session,
    round_name: str,
    evaluator: str | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> RescoreReport:
    """Re-evaluate every applicant of a round; a new evaluation is stored only when the
    rulebook or the inputs changed (old evaluations are kept).

    With the bundled rulebooks an applicant's rulebook is known without evaluating it, so only
    those whose rulebook or inputs changed are evaluated; many are scored on worker processes
    as an import's are. Each chunk is written with a few statements.
    """
    round_row = find_round(session, round_name)
    check_open(round_row, "重新评价")
    actor = evaluator_row(session, evaluator)
    info = round_info(round_row, "")
    current = _current(session, round_row.id, info)
    total = len(current)
    todo = [item for item in current if not _known_unchanged(evaluations, item, info)]
    groups = [list(group) for group in chunks(todo, CHUNK)]
    jobs = [[(item.applicant, item.confirmations) for item in group] for group in groups]
    scoring = chunk_scoring(evaluations, session, info, UNSAVED, jobs)
    now = utc_now()
    changes: list[tuple[str, str, str]] = []
    reevaluated = 0
    if total and cancel is not None and cancel():
        raise RescoreCancelled("已取消重新评价；数据库未改动")
    try:
        for index, group in enumerate(groups):
            if cancel is not None and cancel():
                raise RescoreCancelled("已取消重新评价；数据库未改动")
            scored = scoring.scored(index)
            written = [
                (item, evaluation)
                for item, evaluation in zip(group, scored, strict=True)
                if not _unchanged(item, evaluation)
            ]
            _write(session, actor, round_row, written, now)
            reevaluated += len(written)
            changes.extend(
                (item.uscc, item.old.verdict if item.old else "", evaluation.verdict)
                for item, evaluation in written
                if item.old is None or item.old.verdict != evaluation.verdict
            )
            if progress:
                progress(round(total * (index + 1) / len(groups)), total)
        if cancel is not None and cancel():  # asked while the last chunk was scored: in time
            raise RescoreCancelled("已取消重新评价；数据库未改动")
    finally:
        scoring.close()
    if progress:
        progress(total, total)
    return RescoreReport(
        applicants=total,
        reevaluated=reevaluated,
        unchanged=total - reevaluated,
        verdict_changes=tuple(changes),
    )


def _current(session: Session, round_id: int, info: RoundInfo) -> list[_Current]:
    """Every applicant of the round with its current version and evaluation, in id order."""
    confirmations = confirmations_of(session, round_id)
    rows = session.execute(
        select(
            Applicant.id,
            Applicant.uscc,
            Applicant.name,
            ApplicantVersion.id,
            # As text: a value the database holds damaged is named below, not met in a driver.
            cast(ApplicantVersion.values, Text),
            ApplicantVersion.values_hash,
            ApplicantVersion.number,
            Evaluation.id.label("evaluation_id"),
            Evaluation.rulebook_id,
            Evaluation.rulebook_hash,
            Evaluation.input_hash,
            Evaluation.verdict,
            Evaluation.score,
            Evaluation.rulebook_version,
        )
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .outerjoin(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
        .where(Applicant.round_id == round_id)
        .order_by(Applicant.id)
    ).all()
    current = []
    for row in rows:
        items = tuple(confirmations.get(row[0], ()))
        # Scoring reads values only: where each came from is left in the database.
        current.append(
            _Current(
                applicant_id=row[0],
                uscc=row[1],
                name=row[2],
                version_id=row[3],
                applicant=DomainApplicant(_values(row)),
                confirmations=items,
                digest=input_hash(row[5], info, items),
                old=row if row.evaluation_id is not None else None,
            )
        )
    return current


def _values(row: Any) -> dict[str, Any]:
    """The typed values of a stored version; damaged ones (the database edited by hand, a
    disk fault) are a StoreError naming the applicant and version."""
    try:
        data = json.loads(row[4])
    except ValueError as exc:  # the JSON text itself damaged
        raise damaged_version(row.name, row.uscc, row.number, exc) from exc
    return stored_applicant(data, {}, None, row.name, row.uscc, row.number).values


def _known_unchanged(evaluations: Evaluations, item: _Current, info: RoundInfo) -> bool:
    """Whether the applicant's evaluation is known to stand without evaluating it again: the
    bundled rulebooks say which rulebook it falls under (a scorer given by the caller must
    evaluate to tell), and that rulebook and the inputs are those it was evaluated with."""
    scorer = evaluations.scorer
    if item.old is None or item.old.input_hash != item.digest:
        return False
    if type(scorer) is not RulebookScorer:
        return False
    rulebook = scorer.governing(item.applicant, info)  # None: evaluating it raises the error
    return rulebook is not None and rulebook.hash == item.old.rulebook_hash


def _unchanged(item: _Current, evaluation: Scored) -> bool:
    old = item.old
    return (
        old is not None
        and old.rulebook_hash == evaluation.rulebook_hash
        and old.input_hash == item.digest
    )


def _write(
    session: Session,
    actor: Evaluator,
    round_row: Round,
    written: list[tuple[_Current, Scored]],
    now: datetime,
) -> None:
    """The chunk's new evaluations, their results, current pointers and audit events."""
    if not written:
        return
    rows = [
        evaluation_values(
            evaluation, item.applicant_id, item.version_id, item.digest, "rescore", actor.id, now
        )
        for item, evaluation in written
    ]
    ids = insert_many(session, Evaluation, rows)
    insert_many(
        session,
        EvaluationResult,
        [
            {"evaluation_id": evaluation_id, "result": evaluation.result}
            for evaluation_id, (_, evaluation) in zip(ids, written, strict=True)
        ],
    )
    point_applicants(
        session,
        [
            {
                "id": item.applicant_id,
                "name": item.name,
                "current_version_id": item.version_id,
                "current_evaluation_id": evaluation_id,
            }
            for evaluation_id, (item, _) in zip(ids, written, strict=True)
        ],
    )
    insert_many(
        session,
        AuditEvent,
        [
            _event(actor, round_row, item, evaluation_id, row, now)
            for evaluation_id, row, (item, _) in zip(ids, rows, written, strict=True)
        ],
    )


def _event(
    actor: Evaluator,
    round_row: Round,
    item: _Current,
    evaluation_id: int,
    row: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """The audit event of one new evaluation, as Evaluations.store records it."""
    old = item.old
    return {
        "at": now,
        "actor": actor.name,
        "action": "evaluation",
        "entity": "evaluation",
        "entity_id": evaluation_id,
        "round_id": round_row.id,
        "applicant_id": item.applicant_id,
        "uscc": item.uscc,
        "before": None
        if old is None
        else {
            "verdict": old.verdict,
            "score": old.score,
            "rulebook": old.rulebook_id,
            "rulebook_version": old.rulebook_version,
            "rulebook_hash": old.rulebook_hash,
        },
        "after": {
            "verdict": row["verdict"],
            "score": row["score"],
            "rulebook": row["rulebook_id"],
            "rulebook_version": row["rulebook_version"],
            "rulebook_hash": row["rulebook_hash"],
            "cause": "rescore",
        },
        "reason": None,
    }
