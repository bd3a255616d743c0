"""An applicant of no 申报类型: evaluated as 新申报 and as 复核, 待定 where the two differ."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from zjtx.domain.applicant import Applicant
from zjtx.domain.labels import ApplicationType, declared_type
from zjtx.domain.results import Evaluation, Verdict
from zjtx.scoring.definitions import Rulebook
from zjtx.scoring.evaluator import NO_TYPE_NOTE
from zjtx.scoring.quantities import format_number
from zjtx.scoring.selection import NoRulebookError

# An evaluation's application_type where the applicant gave none: shown as 未填, not 新申报.
UNKNOWN_TYPE = ""
# How settle_type's note begins where the two types fare differently (the verdict or the score
# waits for the type): what the 补正清单 asks the type for.
TYPE_DECIDES = "未填申报类型："


def type_unknown(applicant: Applicant) -> bool:
    """Whether the applicant says neither 新申报 nor 复核 (absent is unknown, never 新申报)."""
    return declared_type(applicant.values.get("application_type")) is None


def as_renewal(applicant: Applicant) -> Applicant:
    """The same applicant declared a 复核."""
    return replace(applicant, values={**applicant.values, "application_type": "renewal"})


def renewal_answers(applicant: Applicant, rulebook: Rulebook) -> tuple[str, ...]:
    """The questions only a 复核 is asked (read by a criterion not applicable to a 新申报, such
    as 已按期更新信息) that the applicant answered, by their labels: signs that it may be a 复核."""
    answered: dict[str, None] = {}
    defs = rulebook.quantities.defs
    for c in rulebook.criteria:
        na = c.not_applicable
        if na is None or na.setting is not None or na.application_types != ("new",):
            continue
        node = c.cond if c.cond is not None else c.score
        for name in sorted((node.reads() if node is not None else None) or ()):
            if applicant.values.get(name) is not None:
                answered[defs[name].label if name in defs else name] = None
    return tuple(answered)


def settled(
    applicant: Applicant,
    evaluation: Evaluation,
    rulebook: Rulebook,
    renewal_of: Callable[[Applicant], Evaluation],
) -> Evaluation:
    """``evaluation`` (of ``applicant`` under ``rulebook``) as it stands, or, for an applicant
    of no 申报类型, settle_type's: ``renewal_of`` evaluates the applicant declared a 复核 (under
    the rulebook a 复核 of the round answers to). What scoring.api and the store both do."""
    if not type_unknown(applicant):
        return evaluation
    renewal = as_renewal(applicant)
    answered = renewal_answers(applicant, rulebook)
    return settle_type(evaluation, lambda: renewal_of(renewal), answered)


def settle_type(
    as_new: Evaluation, as_renewal: Callable[[], Evaluation], answered: Sequence[str]
) -> Evaluation:
    """The evaluation of an applicant of no 申报类型: its evaluation as 新申报 (what the
    criteria show), which stands where the applicant would fare the same as a 复核; else 待定
    until the type is known, its score reaching what either type gives. Its application_type
    is UNKNOWN_TYPE either way.

    ``as_renewal`` evaluates the applicant as a 复核 (under the rulebook a 复核 of the round
    answers to, which may be another one); it is asked only where the applicant ``answered``
    what only a 复核 is asked (renewal_answers): else nothing says it is one, and the new
    evaluation stands. A renewal evaluation that cannot be made (no rulebook governs a 复核 of
    the round) leaves the new one standing, saying so.
    """
    new_label, renewal_label = ApplicationType.NEW.label, ApplicationType.RENEWAL.label
    unsaid = [n for n in as_new.notes if n != NO_TYPE_NOTE]
    if not answered:
        # Nothing only a 复核 is asked was answered (a roster of no 申报类型 column): nothing
        # says it is one.
        note = f"未填申报类型，按{new_label}评价（未填写{renewal_label}企业须填报的事项）"
        return replace(as_new, application_type=UNKNOWN_TYPE, notes=(note, *unsaid))
    try:
        renewal = as_renewal()
    except NoRulebookError:
        note = f"未填申报类型，按{new_label}评价（本批次无适用于{renewal_label}的评价标准）"
        return replace(as_new, application_type=UNKNOWN_TYPE, notes=(note, *unsaid))
    same_verdict = as_new.verdict == renewal.verdict
    low = _least(as_new.score_min, renewal.score_min)
    high = _most(as_new.score_max, renewal.score_max)
    if same_verdict and (low, high) == (as_new.score_min, as_new.score_max):
        note = f"未填申报类型，按{new_label}评价（按{renewal_label}评价结论相同）"
        return replace(as_new, application_type=UNKNOWN_TYPE, notes=(note, *unsaid))
    said = (
        f"{TYPE_DECIDES}按{new_label}评价为“{as_new.verdict.label}”{_score(as_new)}，"
        f"按{renewal_label}评价为“{renewal.verdict.label}”{_score(renewal)}"
        f"（已填{renewal_label}事项：{'、'.join(answered)}），"
        + ("结论须补充申报类型后确定" if not same_verdict else "得分须补充申报类型后确定")
    )
    return replace(
        as_new,
        application_type=UNKNOWN_TYPE,
        verdict=as_new.verdict if same_verdict else Verdict.PENDING,
        verdict_reasons=tuple(as_new.verdict_reasons) if same_verdict else (said,),
        notes=(said, *unsaid),
        score=low if as_new.score is not None else None,
        score_min=low,
        score_max=high,
    )


def _score(evaluation: Evaluation) -> str:
    low, high = evaluation.score_min, evaluation.score_max
    if low is None or high is None:
        return ""
    shown = format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"
    return f"（{shown} 分）"


def _least(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else min(a, b)


def _most(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else max(a, b)
