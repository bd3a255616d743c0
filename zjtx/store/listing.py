"""Listing a round: the table rows, one applicant's detail, whole-round details, statistics."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from zjtx.domain.issues import is_acknowledged, issue_key
from zjtx.store import codec
from zjtx.store.bulk import EvaluatorNames, StampReader, chunks, gc_paused
from zjtx.store.common import (
    Cancel,
    Progress,
    current_version,
    decision_label,
    decision_outdated_reason,
    find_applicant,
    find_round,
    raise_damaged_version,
    review_status,
    verdict_label,
    version_applicant,
)
from zjtx.store.dto import (
    ApplicantDetail,
    ApplicantRow,
    RefusedSubmission,
    RoundStatistics,
    VersionInfo,
)
from zjtx.store.engine import Store
from zjtx.store.errors import NotFoundError, ReadCancelled
from zjtx.store.evaluations import Evaluations, raise_damaged_result
from zjtx.store.filters import SORT_KEYS, ApplicantFilter, sort_rows
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    Evaluation,
    EvaluationResult,
    Evaluator,
    ImportFile,
    Review,
    ReviewItem,
    Round,
)
from zjtx.store.panel_review import panel_changes
from zjtx.store.reviews import build_review_state, review_state_of
from zjtx.store.texts import expand


class Listing:
    """Reads a round for the table, the detail pane and the exports."""

    def __init__(self, store: Store, evaluations: Evaluations) -> None:
        self.store = store
        self.evaluations = evaluations

    def list_applicants(
        self,
        round_name: str,
        *,
        verdict: str | None,
        decision: str | None,
        status: str | None,
        application_type: str | None,
        open_items: str | None,
        region: str | None,
        search: str | None,
        sort: str,
        descending: bool,
    ) -> list[ApplicantRow]:
        with gc_paused(), self.store.session() as session:
            round_row = find_round(session, round_name)
            rows = table_rows(session, round_row.id)
        wanted = ApplicantFilter(
            verdict=verdict,
            decision=decision,
            status=status,
            application_type=application_type,
            open_items=open_items,
            region=region,
            search=search,
        )
        return sort_rows(wanted.apply(rows), sort, descending)

    def applicant_detail(self, round_name: str, uscc: str) -> ApplicantDetail:
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            applicant = find_applicant(session, round_row, uscc)
            version = current_version(session, applicant)
            versions = session.execute(
                select(ApplicantVersion, ImportFile.file_name, Evaluator.name)
                .join(ImportFile, ImportFile.id == ApplicantVersion.import_file_id)
                .join(Evaluator, Evaluator.id == ApplicantVersion.created_by_id)
                .where(ApplicantVersion.applicant_id == applicant.id)
                .order_by(ApplicantVersion.number)
            ).all()
            [row] = table_rows(session, round_row.id, applicant.id)
            try:
                review = review_state_of(
                    session, self.evaluations, round_row, applicant, row.decision_outdated_reason
                )
            except ValueError as exc:  # its evaluation result's JSON text damaged
                raise_damaged_result(session, Applicant.id == applicant.id, exc)
                raise
            return ApplicantDetail(
                row=row,
                applicant=version_applicant(applicant, version),
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
        usccs: Sequence[str] | None,
        progress: Progress | None,
        cancel: Cancel | None,
        chunk: int,
    ) -> Iterator[ApplicantDetail]:
        self.store.check_integrity()
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            rows = table_rows(session, round_row.id)
            if usccs is None:
                rows.sort(key=SORT_KEYS["rank"])
            else:
                by_uscc = {r.uscc: r for r in rows}
                missing = [u for u in usccs if u not in by_uscc]
                if missing:
                    raise NotFoundError(
                        f"批次 “{round_row.name}” 中没有统一社会信用代码为 "
                        f"{'、'.join(missing)} 的企业"
                    )
                rows = [by_uscc[u] for u in usccs]
            names = EvaluatorNames(session)
            done = 0
            for part in chunks(rows, chunk):
                if cancel is not None and cancel():
                    raise ReadCancelled("已取消读取批次数据")
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
        names: EvaluatorNames,
    ) -> list[ApplicantDetail]:
        """ApplicantDetail of some applicants of a round, with a few queries for them all."""
        ids = [r.applicant_id for r in rows]
        try:
            current = {
                applicant.id: (applicant, version)
                for applicant, version in session.execute(
                    select(Applicant, ApplicantVersion)
                    .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                    .where(Applicant.id.in_(ids))
                )
            }
        except ValueError as exc:  # a JSON text the driver could not decode, nobody knows whose
            raise_damaged_version(session, Applicant.id.in_(ids), exc)
            raise
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
        try:
            stored = dict(
                session.execute(
                    select(EvaluationResult.evaluation_id, EvaluationResult.result).where(
                        EvaluationResult.evaluation_id.in_(evaluation_ids)
                    )
                ).all()
            )
        except ValueError as exc:
            raise_damaged_result(session, Applicant.id.in_(ids), exc)
            raise
        details = []
        for row in rows:
            applicant, version = current[row.applicant_id]
            evaluation = evaluations.get(applicant.current_evaluation_id or 0)
            result = None
            if evaluation is not None:
                texts = self.evaluations.texts(
                    session, evaluation.rulebook_hash, evaluation.rulebook_id
                )
                result = expand(stored[evaluation.id], texts)
            review = reviews.get(applicant.id)
            details.append(
                ApplicantDetail(
                    row=row,
                    applicant=version_applicant(applicant, version),
                    versions=tuple(versions[applicant.id]),
                    issues=tuple(codec.issue_from_dict(i) for i in version.issues),
                    review=build_review_state(
                        round_row.name,
                        applicant,
                        version,
                        review,
                        [names[i.evaluator_id] for i in review.items] if review else [],
                        evaluation.verdict if evaluation else None,
                        result,
                        names[review.decided_by_id] if review and review.decided_by_id else None,
                        row.decision_outdated_reason,  # the table row's: read once
                    ),
                )
            )
        return details

    def statistics(self, round_name: str) -> RoundStatistics:
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            rows = table_rows(session, round_row.id)
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

    def refused_submissions(self, round_name: str) -> list[RefusedSubmission]:
        """The enterprises a stored file held whose rows the gate refused (errors), in file
        order, except those given data since (a later file imported them, or a 补正 was
        combined with the refused row): one held from before, whose 补正 was refused, is
        still to be sent back."""
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            held: dict[str | None, datetime] = {}
            for uscc, name, made in session.execute(
                select(Applicant.uscc, Applicant.name, ApplicantVersion.created_at)
                .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                .where(Applicant.round_id == round_row.id)
            ):
                held[uscc] = held[name] = made
            files = session.execute(
                select(ImportFile.file_name, ImportFile.issues, ImportFile.imported_at)
                .where(ImportFile.round_id == round_row.id, ImportFile.rows_blocked > 0)
                .order_by(ImportFile.id)
            ).all()
        refused: dict[tuple[str, str | None], tuple[list[str], list[str], list[str]]] = {}
        for file_name, issues, imported_at in files:
            for issue in issues or ():
                uscc, name = issue.get("uscc"), issue.get("name")
                since = held.get(uscc) or held.get(name)
                if issue.get("severity") != "error" or (since and since >= imported_at):
                    continue
                places, reasons, names = refused.setdefault((file_name, uscc), ([], [], []))
                if name and name not in names:
                    names.append(name)
                place = " ".join(p for p in (issue.get("sheet"), issue.get("cell")) if p)
                if place and place not in places:
                    places.append(place)
                reasons.append(issue["message"])
        return [
            RefusedSubmission(
                file, uscc, "、".join(places), tuple(dict.fromkeys(reasons)), "、".join(names)
            )
            for (file, uscc), (places, reasons, names) in refused.items()
        ]


def _ranks(connection: Any, round_id: int, records: Sequence[Any], one: bool) -> dict[float, int]:
    """The rank of each fixed score among the round's (ties share the first place): from the
    rows at hand when they are the whole round, else counted in the database. A score not yet
    fixed (a range: data missing, judgement items open) has no rank and takes no place: where
    it ends up is not known."""
    fixed = [r[13] for r in records if r[13] is not None and r[23] is None]
    if not one:
        first_place: dict[float, int] = {}
        for index, value in enumerate(sorted(fixed, reverse=True), start=1):
            first_place.setdefault(value, index)
        return first_place
    return {
        value: 1
        + connection.execute(
            select(func.count())
            .select_from(Applicant)
            .join(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
            .where(
                Applicant.round_id == round_id,
                Evaluation.score_sort > value,
                Evaluation.score_max.is_(None),
            )
        ).scalar_one()
        for value in fixed
    }


def table_rows(
    session: Session, round_id: int, applicant_id: int | None = None
) -> list[ApplicantRow]:
    """Every applicant of a round as a line of the round table (latest evaluation, review
    state and rank); only the applicant ``applicant_id`` when given (its rank still among the
    whole round), at the cost of one applicant, not of the round."""
    chosen = Applicant.round_id == round_id
    if applicant_id is not None:
        chosen &= Applicant.id == applicant_id
    # Core execution on the session's connection (plain tuples, no ORM identity map), and
    # only narrow columns: this is the GUI's table query.
    connection = session.connection()
    stamp = StampReader(connection.dialect.name)
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
            Review.verdict_at_decision,
            stamp.column(Review.updated_at),
            stamp.column(ApplicantVersion.warned_at),
            stamp.column(Review.panel_changed_at),
            Evaluation.score_max,
        )
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .outerjoin(Evaluation, Evaluation.id == Applicant.current_evaluation_id)
        .outerjoin(Review, Review.applicant_id == Applicant.id)
        .where(chosen)
    ).all()
    acked: dict[int, set[str]] = defaultdict(set)
    reviewed: set[int] = set()
    for owner, kind, target in connection.execute(
        select(Review.applicant_id, ReviewItem.kind, ReviewItem.target)
        .join(Review, Review.id == ReviewItem.review_id)
        .join(Applicant, Applicant.id == Review.applicant_id)
        .where(chosen)
    ):
        reviewed.add(owner)
        if kind == "warning":
            acked[owner].add(target)
    # Only versions with warnings need their issues read.
    open_warnings: dict[int, int] = {}
    if any(r[4] for r in records):
        warned = chosen & (ApplicantVersion.warnings > 0)
        try:
            for owner, issues in connection.execute(
                select(Applicant.id, ApplicantVersion.issues)
                .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
                .where(warned)
            ):
                targets = acked.get(owner, set())
                open_warnings[owner] = sum(
                    1
                    for i in issues
                    if i["severity"] == "warning" and not is_acknowledged(issue_key(i), targets)
                )
        except ValueError as exc:  # a JSON text the driver could not decode, nobody knows whose
            raise_damaged_version(session, warned, exc)
            raise
    first_place = _ranks(connection, round_id, records, applicant_id is not None)
    rows = []
    decided: dict[int, tuple[Any, ...]] = {}  # each decision's reason's facts: panel words below
    for (
        applicant_id, uscc, name, number, _, version_at, province, city, county,
        application_type, rulebook, verdict, score, score_sort, max_score, judgements,
        decision, review_version, decided_at, verdict_at_decision, review_at, warned_at,
        panel_changed_at, score_max,
    ) in records:  # fmt: skip
        version_at = stamp.parse(version_at)
        decided_at = stamp.parse(decided_at)
        review_at = stamp.parse(review_at)
        panel_changed_at = stamp.parse(panel_changed_at)
        why = (decision, decided_at, version_at, verdict_at_decision, verdict,
               stamp.parse(warned_at), panel_changed_at)  # fmt: skip
        if decision:
            decided[applicant_id] = why
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
                verdict_label=verdict_label(verdict),
                score=None if score is None else Decimal(score),
                max_score=None if max_score is None else Decimal(max_score),
                rank=first_place.get(score_sort) if score_max is None else None,
                open_judgements=judgements,
                open_warnings=warnings,
                decision=decision,
                decision_label=decision_label(decision),
                decision_outdated_reason=decision_outdated_reason(*why),
                review_status=review_status(
                    decision, judgements, warnings, applicant_id in reviewed
                ),
                review_version=review_version or 0,
                updated_at=version_at if review_at is None or review_at < version_at else review_at,
                province=province,
                city=city,
                county=county,
                score_max=None if score_max is None else Decimal(score_max),
            )
        )
    said = panel_changes(session, round_id, {o: (w[1], w[6]) for o, w in decided.items()})
    if said:
        rows = [
            replace(row, decision_outdated_reason=decision_outdated_reason(
                *decided[row.applicant_id], panel_words=said[row.applicant_id]))
            if row.applicant_id in said else row
            for row in rows
        ]  # fmt: skip
    return rows
