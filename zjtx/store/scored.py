"""One evaluation as the store writes it, made in this process or in a scoring worker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation, Evaluation
from zjtx.store.codec import JSONText
from zjtx.store.dto import RoundInfo
from zjtx.store.errors import StoreError
from zjtx.store.scoring_port import Scorer


def score_applicant(
    scorer: Scorer,
    applicant: Applicant,
    info: RoundInfo,
    confirmations: Iterable[Confirmation],
    unsaved: str,
) -> Evaluation:
    """Evaluate one applicant; a rulebook that cannot judge it is a StoreError naming it
    and ``unsaved`` (what was therefore not written: 本文件未写入, 评审未保存...)."""
    try:
        return scorer(applicant, info, list(confirmations))
    except (LookupError, ValueError) as exc:
        raise StoreError(
            f"无法评价企业 {applicant.name}（{applicant.uscc}）：{exc}；{unsaved}"
        ) from exc


@dataclass(frozen=True, slots=True)
class Scored:
    """One evaluation as the store writes it: the columns of its row and its stored result
    (compacted against its rulebook's texts, or whole when ``compacted`` is False). Made in
    this process or in a scoring worker (zjtx.store.scoring_worker): the same either way."""

    rulebook: str
    rulebook_version: str
    rulebook_hash: str
    application_type: str
    verdict: str
    score: Decimal | None
    max_score: Decimal | None
    score_max: Decimal | None  # the most the score could reach; None when the score is fixed
    open_judgements: int
    result: dict[str, Any] | JSONText  # JSONText: encoded by a worker, for SQLite
    compacted: bool

    @classmethod
    def of(
        cls, evaluation: Evaluation, result: dict[str, Any] | JSONText, compacted: bool
    ) -> Scored:
        return cls(
            evaluation.rulebook,
            evaluation.rulebook_version,
            evaluation.rulebook_hash,
            evaluation.application_type,
            str(evaluation.verdict),
            # A score not yet fixed is kept by its least (the declared points of an option
            # awaiting an evaluator are its most), so the table shows least–most.
            evaluation.score
            if evaluation.score_max == evaluation.score_min
            else evaluation.score_min,
            evaluation.max_score,
            None if evaluation.score_max == evaluation.score_min else evaluation.score_max,
            # From the decided states: counting must not render every explanation.
            evaluation.open_judgements,
            result,
            compacted,
        )
