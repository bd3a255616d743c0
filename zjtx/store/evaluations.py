"""Evaluations of stored applicants: scoring with confirmations, storing their results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.results import Confirmation
from zjtx.domain.results import Evaluation as DomainEvaluation
from zjtx.store import audit, codec
from zjtx.store.common import (
    damaged_result,
    damaged_rulebook_texts,
    item_confirmation,
    json_fault,
)
from zjtx.store.dto import RoundInfo
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluation,
    EvaluationResult,
    Evaluator,
    Review,
    ReviewItem,
    Round,
    RulebookText,
    utc_now,
)
from zjtx.store.scored import Scored, score_applicant
from zjtx.store.scoring_port import Scorer
from zjtx.store.texts import Reference, compact, expand, extract_texts

# Below this many applicants to score in one file, starting worker processes (about a second)
# costs more than it saves.
POOL_MINIMUM = 2000
EARLY_BYTES = 256 * 1024  # about 700 rows of our roster template; see zjtx.store.early_scoring


def confirmations_of(
    session: Session, round_id: int, applicant_id: int | None = None
) -> dict[int, list[Confirmation]]:
    """The evaluators' criterion confirmations by applicant id (of one applicant if given)."""
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
        result[owner].append(item_confirmation(item, name))
    return result


def input_hash(values_hash: str, info: RoundInfo, confirmations: Iterable[Confirmation]) -> str:
    """What an evaluation depends on besides the rulebook: values, round settings, confirmations."""
    return codec.digest(
        {
            "values": values_hash,
            "settings": info.settings,
            "overlay": info.overlay,
            "rulebook": info.rulebook,
            # An override is marked: a judgement item's 改判 decides more than its
            # confirmation would. Confirmations keep their digests; an override saved before
            # the mark gets a new one, so its applicant is evaluated once more (to the same
            # result, unless migration 0011 made it an override).
            "confirmations": [
                [c.criterion_id, str(c.state), c.reason, c.evaluator, *(["改判"] * c.override)]
                for c in confirmations
            ],
        }
    )


def evaluation_values(
    scored: Scored,
    applicant_id: int,
    version_id: int,
    input_digest: str,
    cause: str,
    evaluator_id: int,
    now: datetime,
) -> dict[str, Any]:
    """The column values of the evaluations row of one evaluation."""
    score = scored.score
    return {
        "applicant_id": applicant_id,
        "version_id": version_id,
        "rulebook_id": scored.rulebook,
        "rulebook_version": scored.rulebook_version,
        "rulebook_hash": scored.rulebook_hash,
        "input_hash": input_digest,
        "application_type": scored.application_type,
        "verdict": scored.verdict,
        "score": None if score is None else str(score),
        "score_sort": None if score is None else float(score),
        "max_score": None if scored.max_score is None else str(scored.max_score),
        "score_max": None if scored.score_max is None else str(scored.score_max),
        "open_judgements": scored.open_judgements,
        "cause": cause,
        "created_by_id": evaluator_id,
        "created_at": now,
    }


class Evaluations:
    """Scores applicants with the service's scorer and stores their results compactly (the
    rulebook's texts once per rulebook hash, cached across sessions)."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        # Scoring a large import on the other cores (zjtx.store.scoring_pool): how many worker
        # processes (None: scoring_pool.import_workers(); 0: none) and from how many
        # applicants in a file.
        self.workers: int | None = None
        self.pool_minimum = POOL_MINIMUM
        self.early_bytes = EARLY_BYTES  # spreadsheets this large start workers as they are read
        self._texts_cache: dict[str, dict[str, Any]] = {}
        self._references: dict[str, Reference] = {}  # the texts prepared for compacting

    def score(
        self,
        applicant: DomainApplicant,
        info: RoundInfo,
        confirmations: Iterable[Confirmation],
        unsaved: str,
    ) -> DomainEvaluation:
        """Evaluate one applicant; a rulebook that cannot judge it is a StoreError naming it
        and ``unsaved`` (what was therefore not written: 本文件未写入, 评审未保存...)."""
        return score_applicant(self.scorer, applicant, info, confirmations, unsaved)

    def texts(
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
        try:
            texts = session.scalar(query)
        except ValueError as exc:  # its JSON text damaged: the driver could not decode it
            raise damaged_rulebook_texts(rulebook_id, rulebook_hash, exc) from exc
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

    def stored(self, session: Session, evaluation: DomainEvaluation) -> Scored:
        """An evaluation as the store writes it, its result compacted."""
        result = self.stored_result(
            session, evaluation.to_dict(), evaluation.rulebook_hash, evaluation.rulebook
        )
        return Scored.of(evaluation, result, True)

    def finished(self, session: Session, scored: Scored) -> Scored:
        """A worker's evaluation with its result compacted (a worker without its rulebook's
        texts sends the whole result)."""
        if scored.compacted:
            return scored
        result = self.stored_result(session, scored.result, scored.rulebook_hash, scored.rulebook)
        return replace(scored, result=result, compacted=True)

    def stored_result(
        self, session: Session, result: dict[str, Any], rulebook_hash: str, rulebook_id: str
    ) -> dict[str, Any]:
        """The stored form of a result (Evaluation.to_dict()): its rulebook texts replaced by
        references; the first result of a rulebook becomes its texts."""
        texts = self.texts(session, rulebook_hash, rulebook_id)
        if texts is None:
            texts = self.texts(session, rulebook_hash, rulebook_id, result)
        if texts is None:
            return result
        reference = self._references.get(rulebook_hash)
        if reference is None or reference.texts is not texts:
            reference = self._references[rulebook_hash] = Reference(texts)
        return compact(result, texts, reference)

    def full_result(self, session: Session, row: Evaluation) -> dict[str, Any]:
        """The complete result of a stored evaluation (Evaluation.to_dict() form); a JSON text
        of it (or of its rulebook's texts) the driver cannot decode is a StoreError naming the
        applicant (or the rulebook), wherever the result is read: review, decision, panel."""
        with session.no_autoflush:  # a review being edited is flushed once, at its end
            try:
                stored = session.get_one(EvaluationResult, row.id).result
            except ValueError as exc:
                raise_damaged_result(session, Applicant.current_evaluation_id == row.id, exc)
                raise
            try:
                texts = self.texts(session, row.rulebook_hash, row.rulebook_id)
            except ValueError as exc:
                raise_damaged_texts(session, RulebookText.rulebook_hash == row.rulebook_hash, exc)
                raise
        return expand(stored, texts)

    def store(
        self,
        session: Session,
        actor: Evaluator,
        round_row: Round,
        applicant: Applicant,
        version: ApplicantVersion,
        old: Evaluation | None,
        evaluation: DomainEvaluation,
        input_digest: str,
        cause: str,
        now: datetime,
        reason: str | None = None,
        events: list[AuditEvent] | None = None,
    ) -> Evaluation:
        """Add an evaluation and make it current; its audit event goes to ``events`` if given
        (so that it follows the review events that caused it), else straight to the session."""
        scored = self.stored(session, evaluation)
        row = Evaluation(
            **evaluation_values(
                scored, applicant.id, version.id, input_digest, cause, actor.id, now
            )
        )
        session.add(row)
        session.flush()
        session.add(EvaluationResult(evaluation_id=row.id, result=scored.result))
        applicant.current_evaluation_id = row.id
        event = audit.event(
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


def round_results(session: Session, round_id: int) -> Iterable[tuple[int, dict[str, Any]]]:
    """(applicant id, full stored evaluation result) of every evaluated applicant of a round:
    two queries, the rulebook texts its results share and the results themselves."""
    used = (
        select(Evaluation.rulebook_hash)
        .join(Applicant, Applicant.current_evaluation_id == Evaluation.id)
        .where(Applicant.round_id == round_id)
    )
    try:
        texts = dict(
            session.execute(
                select(RulebookText.rulebook_hash, RulebookText.texts).where(
                    RulebookText.rulebook_hash.in_(used)
                )
            ).all()
        )
    except ValueError as exc:  # a JSON text the driver could not decode, nobody knows whose
        raise_damaged_texts(session, RulebookText.rulebook_hash.in_(used), exc)
        raise
    rows = session.execute(
        select(Applicant.id, Evaluation.rulebook_hash, EvaluationResult.result)
        .join(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
        .join(EvaluationResult, EvaluationResult.evaluation_id == Evaluation.id)
        .where(Applicant.round_id == round_id)
    )
    try:
        for owner, digest, stored in rows:
            yield owner, expand(stored, texts.get(digest))
    except ValueError as exc:  # a JSON text the driver could not decode, nobody knows whose
        raise_damaged_result(session, Applicant.round_id == round_id, exc)
        raise


def raise_damaged_result(session: Session, which: ColumnElement[bool], exc: ValueError) -> None:
    """Name the first applicant of ``which`` whose current evaluation result holds a JSON text
    that cannot be decoded: the driver fails a batch of rows without saying whose. Read as
    text only after such a failure, so that healthy rounds are read as fast as before."""
    for name, uscc, text in session.execute(
        select(Applicant.name, Applicant.uscc, cast(EvaluationResult.result, Text))
        .join(EvaluationResult, EvaluationResult.evaluation_id == Applicant.current_evaluation_id)
        .where(which)
        .order_by(Applicant.id)
    ):
        fault = json_fault(text)
        if fault is not None:
            raise damaged_result(name, uscc, fault) from exc


def raise_damaged_texts(session: Session, which: ColumnElement[bool], exc: ValueError) -> None:
    """Name the first rulebook of ``which`` whose stored texts hold a JSON text that cannot be
    decoded; read as text only after the driver failed on them."""
    for rulebook_id, rulebook_hash, stored in session.execute(
        select(RulebookText.rulebook_id, RulebookText.rulebook_hash, cast(RulebookText.texts, Text))
        .where(which)
        .order_by(RulebookText.rulebook_hash)
    ):
        fault = json_fault(stored)
        if fault is not None:
            raise damaged_rulebook_texts(rulebook_id, rulebook_hash, fault) from exc
