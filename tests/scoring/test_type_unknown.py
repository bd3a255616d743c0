"""An applicant of no 申报类型 is not taken for a 新申报 where a 复核 would fare otherwise."""

from datetime import date

from tests.scoring.applicants import base, confirm
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Verdict
from zjtx.scoring import score_applicant

ROUND = date(2026, 7, 1)
# 本年度 45 fails a 新申报 (≥50); a 复核 passes on either year (上年度 52).
SCORES = {"platform_score": 45, "platform_score_prev": 52}


def _scored(**changes):
    values = base("srdi-sme-2026", application_type=None, **changes)
    return score_applicant(
        Applicant(values=values), round_date=ROUND, tier="srdi-sme", confirmations=confirm("SR26-5")
    )


def test_no_type_with_renewal_answers_is_pending_where_the_types_differ():
    """45 this year and 52 last, with 复核 answers and no type: 新申报 fails, 复核 passes, so
    the verdict is 待定 naming both, and the type reads as not given, not 新申报."""
    evaluation = _scored(**SCORES)
    assert evaluation.verdict == Verdict.PENDING
    assert evaluation.application_type == ""
    (reason,) = evaluation.verdict_reasons
    assert reason.startswith(
        "未填申报类型：按新申报评价为“不符合条件”，按复核评价为“符合条件”（已填复核事项："
        "已按期在培育平台更新企业信息（复核）、重大变化报告情况（复核））"
    )
    assert reason.endswith("结论须补充申报类型后确定")
    assert evaluation.notes[0] == reason
    # The criteria are those of the 新申报 evaluation.
    assert evaluation.criterion("SR26-6").state.value == "unmet"


def test_no_type_and_no_renewal_answers_is_judged_as_new():
    """A roster with no 申报类型 and none of the 复核 questions: nothing says it is a 复核, so
    it is judged as a 新申报 (45 fails), saying why."""
    evaluation = _scored(**SCORES, annual_update_on_time=None, major_change_report=None)
    assert evaluation.verdict == Verdict.NOT_QUALIFIED
    assert evaluation.application_type == ""
    assert evaluation.notes[0] == "未填申报类型，按新申报评价（未填写复核企业须填报的事项）"


def test_no_type_where_both_types_agree_keeps_the_verdict():
    """Both types qualify (55 this year): the verdict stands, the note says both agree."""
    evaluation = _scored(platform_score=55)
    assert evaluation.verdict == Verdict.QUALIFIED
    assert evaluation.notes[0] == "未填申报类型，按新申报评价（按复核评价结论相同）"


def test_a_declared_type_is_evaluated_once_as_declared():
    """A declared 新申报 fails at 45 whatever a 复核 would do: nothing is said of the type."""
    values = base("srdi-sme-2026", **SCORES)
    evaluation = score_applicant(
        Applicant(values=values), round_date=ROUND, tier="srdi-sme", confirmations=confirm("SR26-5")
    )
    assert evaluation.verdict == Verdict.NOT_QUALIFIED
    assert evaluation.application_type == "new"
    assert not any("申报类型" in note for note in evaluation.notes)
