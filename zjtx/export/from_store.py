"""Gather a stored round's applicants, evaluations and reviews for the printed outputs."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import replace

from zjtx.domain.issue_codes import issue_code
from zjtx.domain.issues import Issue, Severity, is_acknowledged, key_parts
from zjtx.domain.results import Confirmation, CriterionKind, Evaluation, Verdict
from zjtx.export.review import AcknowledgedWarning, ReviewInfo
from zjtx.export.summary import ApplicantOutcome
from zjtx.scoring.catalogue import load_catalogue
from zjtx.store import ReadCancelled, StoreService
from zjtx.store.common import item_confirmation
from zjtx.store.dto import ApplicantDetail, RoundInfo
from zjtx.store.identity import is_system_account, load_identity
from zjtx.store.panel_positions import JudgementItem, decided_by_data
from zjtx.store.panels import Panels
from zjtx.store.scored import score_applicant
from zjtx.store.scoring_port import Scorer


def review_info(detail: ApplicantDetail) -> tuple[ReviewInfo, tuple[Confirmation, ...]]:
    """The report's review part, and the confirmations to evaluate with, of one applicant."""
    review = detail.review
    confirmations = tuple(
        item_confirmation(item, item.evaluator)
        for item in review.items
        if item.kind == "criterion" and item.state in ("met", "unmet")
    )
    warnings = []
    for item in review.items:
        if item.kind != "warning":
            continue
        # The warnings the item acknowledges: one, or (saved by an older zjtx, naming the code
        # alone) every warning of its code.
        covered = [
            i
            for i in detail.issues
            if i.severity == Severity.WARNING and is_acknowledged(i.key, (item.target,))
        ]
        message = "；".join(_located(issue) for issue in covered) or _gone(item.target)
        warnings.append(AcknowledgedWarning(message, item.reason, item.evaluator, item.at))
    signer, unit = signatory(review.decided_by)
    info = ReviewInfo(
        decision=review.decision,
        opinion=review.opinion,
        evaluator=signer,
        decided_at=review.decided_at,
        confirmations=confirmations,
        acknowledged_warnings=tuple(warnings),
        evaluator_unit=unit,
        outdated=review.decision_outdated_reason,
    )
    return info, confirmations


def _gone(key: str) -> str:
    """An acknowledged warning the applicant's current data no longer raise, by its code's
    title and the field or place it concerned."""
    code, field, place = key_parts(key)
    entry = issue_code(code)
    spec = load_catalogue().get(field) if field else None
    where = spec.relative_label() if spec else field or place
    title = f"{code} {entry.title}" if entry else code
    return f"{title}（{where}）：当前数据已无此提示" if where else f"{title}：当前数据已无此提示"


def _located(issue: Issue) -> str:
    where = issue.location()
    return f"{where}：{issue.message}" if where else issue.message


def signatory(decided_by: str | None) -> tuple[str, str]:
    """Name and unit printed in the report's signature block.

    The evaluator who recorded the decision signs; before a decision, the evaluator
    configured on this computer (who is printing the form to fill in). The unit is known
    only for the configured evaluator. An operating-system account (recorded before
    evaluators had to be named) is never printed: its lines stay blank to fill by hand.
    """
    identity = load_identity()
    name = (decided_by or "").strip()
    configured = identity is not None and identity.name == name
    if name and (is_system_account(name) or name == _login()) and not configured:
        return "", ""
    if not name:
        return (identity.name, identity.unit) if identity is not None else ("", "")
    return name, identity.unit if identity is not None and configured else ""


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return ""


def outcome_of(scorer: Scorer, round_info: RoundInfo, detail: ApplicantDetail) -> ApplicantOutcome:
    """One stored applicant as the outputs want it: evaluated again with its confirmations.

    The evaluation is recomputed from the stored data and confirmations with the round's
    rulebook (the scorer the store uses), so the report shows exactly what the evaluator
    confirmed: the stored result cannot stand in for it, as Evaluation.to_dict() keeps
    decimals as JSON numbers (2.50 comes back as 2.5) and its rulebook hash does not cover
    the evaluator code.
    """
    review, confirmations = review_info(detail)
    # A round no installed standard covers any longer (one ended by a correction) is named
    # as the rescore names it: which enterprise, and why.
    evaluation = score_applicant(scorer, detail.applicant, round_info, confirmations, "未生成文件")
    stored = detail.review.evaluation.get("verdict")
    if review.decision and not review.outdated and stored not in (None, evaluation.verdict.value):
        # A standard installed since, the round not yet rescored: the output evaluates by the
        # standard in force, and the decision stands on the verdict it had.
        review = replace(
            review,
            outdated=f"评价结论由“{Verdict(stored).label}”变为“{evaluation.verdict.label}”"
            "（导出按现行评价标准计算；本批次的评价按此前版本作出）",
        )
    return ApplicantOutcome(evaluation, detail.applicant, review, round_region=round_info.region)


def round_outcomes(
    service: StoreService,
    round_name: str,
    usccs: Sequence[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[RoundInfo, list[ApplicantOutcome]]:
    """The round and the outcomes of its applicants (all, or the given codes), in table order:
    what `zjtx report` of a round and the window's exports print.

    The round is read with one bulk store call (StoreService.round_details), a chunk at a
    time, and each applicant evaluated with the service's scorer (outcome_of). In a round with
    an expert panel, the panel's records are read once for the round (Panels.round_records)
    and each outcome carries its applicant's part. Cancelling raises zjtx.store.ReadCancelled.
    """
    info = service.get_round(round_name)
    scorer = service.scorer
    records = Panels(service.store, service.evaluations).round_records(round_name, usccs)
    outcomes: list[ApplicantOutcome] = []
    for detail in service.round_details(round_name, usccs, progress=progress, cancel=cancel):
        if cancel is not None and cancel():
            raise ReadCancelled("已取消读取批次数据")
        outcome = outcome_of(scorer, info, detail)
        if records is not None:
            evaluation = outcome.evaluation
            panel = records.applicant(evaluation.uscc, evaluation.name, judgement_items(evaluation))
            outcome = replace(outcome, panel=panel)
        outcomes.append(outcome)
    return info, outcomes


def judgement_items(evaluation: Evaluation) -> list[JudgementItem]:
    """The judgement items of an evaluation, which the panel's members judge (those the
    applicant's data decided marked so, as `zjtx panel show` marks them)."""
    return [
        JudgementItem(
            c.id,
            c.title,
            c.kind == CriterionKind.SCORE,
            c.max_points,
            decided=decided_by_data(c.state, c.computed_state),
        )
        for c in evaluation.criteria
        if c.judgement
    ]
