"""How the store asks zjtx.scoring for an evaluation (one place to adapt if the API moves)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation, Evaluation
from zjtx.store.dto import RoundInfo


class Scorer(Protocol):
    """Evaluates one applicant of a round, with the evaluators' confirmations."""

    def __call__(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation: ...


class RulebookScorer:
    """Scores with the bundled rulebooks: the round's fixed rulebook, or the one selected for
    the round's tier and date and the applicant's application type (new or renewal)."""

    def __init__(self) -> None:
        self._rulebooks: dict[tuple[Any, ...], Any] = {}

    def rulebook_for(self, applicant: Applicant, round_info: RoundInfo) -> Any:
        from zjtx.scoring import load_rulebook, select_rulebook

        application_type = applicant.get("application_type") or "new"
        key = (
            round_info.rulebook,
            round_info.tier,
            round_info.round_date,
            application_type,
            round_info.overlay,
        )
        rulebook = self._rulebooks.get(key)
        if rulebook is None:
            if round_info.rulebook:
                rulebook = load_rulebook(round_info.rulebook, overlay=round_info.overlay)
            else:
                rulebook = select_rulebook(
                    round_info.tier,
                    round_info.round_date,
                    application_type=application_type,
                    overlay=round_info.overlay,
                )
            self._rulebooks[key] = rulebook
        return rulebook

    def __call__(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation:
        from zjtx.scoring import evaluate

        return evaluate(
            applicant,
            self.rulebook_for(applicant, round_info),
            round_date=round_info.round_date,
            confirmations=list(confirmations),
            settings=round_info.settings,
        )
