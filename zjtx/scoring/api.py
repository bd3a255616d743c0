"""Score applicants for a round: pick each applicant's rulebook, then evaluate it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.errors import Cancelled as _Cancelled
from zjtx.domain.labels import declared_type
from zjtx.domain.results import Confirmation, Evaluation
from zjtx.scoring.definitions import Rulebook
from zjtx.scoring.errors import UnknownNameError
from zjtx.scoring.evaluator import evaluate
from zjtx.scoring.selection import check_overlay_for_round, effective_rulebook, select_rulebook_id
from zjtx.scoring.type_unknown import settled


class Cancelled(_Cancelled):
    """Raised when a long scoring run is cancelled by the caller."""


def rulebook_for(
    applicant: Applicant,
    *,
    round_date: date,
    tier: str | None = None,
    rulebook_id: str | None = None,
    overlay: str | None = None,
) -> Rulebook:
    """The rulebook that applies to this applicant in this round (its own application type),
    with the notices governing the round applied (selection.effective_rulebook)."""
    if (tier is None) == (rulebook_id is None):
        raise ValueError("须指定 tier 或 rulebook_id 之一")
    application_type = declared_type(applicant.values.get("application_type")) or "new"
    if rulebook_id is None:
        assert tier is not None
        rulebook_id = select_rulebook_id(tier, round_date, application_type)
    if overlay:
        check_overlay_for_round(overlay, rulebook_id, round_date)
    return effective_rulebook(rulebook_id, round_date, application_type, overlay)


def score_applicant(
    applicant: Applicant,
    *,
    round_date: date,
    tier: str | None = None,
    rulebook_id: str | None = None,
    overlay: str | None = None,
    confirmations: Iterable[Confirmation] = (),
    settings: Mapping[str, bool] | None = None,
) -> Evaluation:
    """Evaluate one applicant under the rulebook its tier, round date and type call for (one
    of no 申报类型 as 新申报 and as 复核: type_unknown.settle_type)."""
    confirmations = tuple(confirmations)

    def book(applicant: Applicant) -> Rulebook:
        return rulebook_for(
            applicant, round_date=round_date, tier=tier, rulebook_id=rulebook_id, overlay=overlay
        )

    def scored(
        applicant: Applicant, own: bool = True, rulebook: Rulebook | None = None
    ) -> Evaluation:
        if rulebook is None:
            rulebook = book(applicant)
        # A round setting concerns the rulebooks that know it (a 2026 小巨人 round's growth
        # waiver is for its renewals' rulebook only); check_scoring has checked that one does.
        known = {k: v for k, v in (settings or {}).items() if k in rulebook.settings}
        return evaluate(
            applicant,
            rulebook,
            round_date=round_date,
            # The applicant's own rulebook refuses a confirmation of no criterion of it; a 复核's
            # (another rulebook, where it had no type) takes those of its criteria.
            confirmations=(
                confirmations
                if own
                else [c for c in confirmations if c.criterion_id in rulebook.by_id]
            ),
            settings=known,
        )

    rulebook = book(applicant)
    return settled(
        applicant,
        scored(applicant, rulebook=rulebook),
        rulebook,
        lambda renewal: scored(renewal, own=False),
    )


def score_each(
    applicants: Iterable[Applicant],
    *,
    round_date: date,
    tier: str | None = None,
    rulebook_id: str | None = None,
    overlay: str | None = None,
    settings: Mapping[str, bool] | None = None,
    confirmations: Mapping[str, Iterable[Confirmation]] | None = None,
) -> Iterator[Evaluation]:
    """Evaluate applicants one at a time, as they are asked for (nothing is kept)."""
    confirmations = confirmations or {}
    for applicant in applicants:
        yield score_applicant(
            applicant,
            round_date=round_date,
            tier=tier,
            rulebook_id=rulebook_id,
            overlay=overlay,
            settings=settings,
            confirmations=confirmations.get(applicant.uscc, ()),
        )


def check_scoring(
    applicants: Iterable[Applicant],
    *,
    round_date: date,
    tier: str | None = None,
    rulebook_id: str | None = None,
    overlay: str | None = None,
    settings: Mapping[str, bool] | None = None,
) -> None:
    """Raise, before anything is evaluated, what evaluating these applicants would raise for a
    rulebook, overlay or setting name (one rulebook per application type is looked up)."""
    seen: set[Any] = set()
    known: dict[str, Any] = {}
    for applicant in applicants:
        application_type = applicant.values.get("application_type")
        if application_type in seen:
            continue
        seen.add(application_type)
        rulebook = rulebook_for(
            applicant, round_date=round_date, tier=tier, rulebook_id=rulebook_id, overlay=overlay
        )
        known.update(rulebook.settings)
    for name in settings or {}:
        if seen and name not in known:
            raise UnknownNameError("批次设置", name, known)


def score_applicants(
    applicants: Sequence[Applicant],
    *,
    round_date: date,
    tier: str | None = None,
    rulebook_id: str | None = None,
    overlay: str | None = None,
    settings: Mapping[str, bool] | None = None,
    confirmations: Mapping[str, Iterable[Confirmation]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[Evaluation]:
    """Evaluate many applicants; reports progress and stops with Cancelled when asked.

    ``confirmations`` maps a 统一社会信用代码 to that applicant's evaluator confirmations.
    """
    results: list[Evaluation] = []
    total = len(applicants)
    confirmations = confirmations or {}
    for index, applicant in enumerate(applicants, start=1):
        if cancel is not None and cancel():
            raise Cancelled()
        results.append(
            score_applicant(
                applicant,
                round_date=round_date,
                tier=tier,
                rulebook_id=rulebook_id,
                overlay=overlay,
                settings=settings,
                confirmations=confirmations.get(applicant.uscc, ()),
            )
        )
        if progress is not None and (index % 200 == 0 or index == total):
            progress(index, total)
    return results
