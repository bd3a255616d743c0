"""srdi-sme-2026 (2号 附件1): six conditions at each edge, renewals, no routes, verdict."""

import pytest

from tests.scoring.applicants import (
    BASES,
    CLEAN,
    NO_ROUTES,
    WORKED_EXAMPLE,
    base,
    check_forgetting_is_monotone,
    confirm,
    d,
    run,
)
from zjtx.domain.results import CriterionState, Verdict

RB = "srdi-sme-2026"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN
MANUAL = CriterionState.MANUAL


def state_of(criterion: str, changes: dict, **kwargs) -> CriterionState:
    return run(RB, changes, **kwargs).criterion(criterion).state


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, MET),
        ({"abnormal_operation": True}, UNMET),
        ({"serious_dishonesty": True}, UNMET),
        ({"prohibited_product": True}, UNMET),
        ({"major_incident_3y": True}, UNMET),
        ({"major_incident_3y": None}, UNKNOWN),
        ({"employees_y1": 1000, "revenue_y1": d(40000)}, UNMET),
    ],
)
def test_sr26_0_eligibility(changes, state):
    """SR26-0: SME size and the 2026 exclusions."""
    assert state_of("SR26-0", changes) == state


@pytest.mark.parametrize(("value", "state"), [(True, MET), (False, UNMET), (None, UNKNOWN)])
def test_sr26_1a_needs_innovative_title(value, state):
    """SR26-1a: a valid 科技和创新型 title is a prerequisite."""
    assert state_of("SR26-1a", {"holds_innovative": value, "holds_tech_sme": False}) == state


@pytest.mark.parametrize(("years", "state"), [("3", MET), ("2.99", UNMET)])
def test_sr26_1b_niche_years(years, state):
    """SR26-1b: 细分市场 3 years or more."""
    assert state_of("SR26-1b", {"niche_years": d(years)}) == state


@pytest.mark.parametrize(
    ("revenue", "equity", "state"),
    [
        ("1500", "0", MET),
        ("1499.99", "2000", MET),
        ("1499.99", "1999.99", UNMET),
        ("1499.99", None, UNKNOWN),
    ],
)
def test_sr26_2a_revenue_or_equity(revenue, equity, state):
    """SR26-2a: 营业收入 ≥ 1500万, or 近两年股权投资 ≥ 2000万."""
    changes = {"revenue_y1": d(revenue), "equity_financing_2y": d(equity) if equity else None}
    assert state_of("SR26-2a", changes) == state


@pytest.mark.parametrize(
    ("main", "revenue", "state"),
    [("800", "1000", MET), ("799.99", "1000", UNMET), ("901.8", "1127.25", MET)],
)
def test_sr26_2b_main_share(main, revenue, state):
    """SR26-2b: 主营业务收入占比不低于80% includes 80 %."""
    changes = {"main_revenue_y1": d(main), "revenue_y1": d(revenue)}
    assert state_of("SR26-2b", changes) == state


@pytest.mark.parametrize(("liabilities", "state"), [("800", MET), ("800.01", UNMET)])
def test_sr26_2c_debt_ratio(liabilities, state):
    """SR26-2c: 资产负债率不超过80% includes 80 %."""
    changes = {"total_liabilities_y1": d(liabilities), "total_assets_y1": d(1000)}
    assert state_of("SR26-2c", changes) == state


BOTH_AT_EDGE = {
    "rd_expense_y1": d(120),
    "revenue_y1": d(4000),
    "rd_expense_y2": d(100),
    "revenue_y2": d("3333.33"),
}


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        (BOTH_AT_EDGE, MET),  # y1 exactly 3 %, y2 exactly 100万
        ({**BOTH_AT_EDGE, "rd_expense_y1": d("119.99")}, UNMET),  # y1 ratio below 3 %
        ({**BOTH_AT_EDGE, "revenue_y2": d("3333.34")}, UNMET),  # y2 ratio below 3 %
        ({**BOTH_AT_EDGE, "rd_expense_y2": d("99.99"), "revenue_y2": d(3000)}, UNMET),
        ({**BOTH_AT_EDGE, "rd_expense_y1": d("128.64"), "revenue_y1": d(4288)}, MET),
        ({**BOTH_AT_EDGE, "rd_expense_y2": None}, UNKNOWN),
    ],
)
def test_sr26_3_rd_each_year(changes, state):
    """SR26-3: each of the last two years ≥ 100万 and ≥ 3 % of that year's revenue."""
    assert state_of("SR26-3", changes) == state


NO_IP = {
    "ip1_applied": 0,
    "sci_award_national_rank": 0,
    "sci_award_provincial_rank": 0,
    "rd_institution_level": "municipal",
}


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({**NO_IP, "ip1_applied": 1}, MET),
        (NO_IP, UNMET),
        ({**NO_IP, "sci_award_national_rank": 3}, MET),
        ({**NO_IP, "sci_award_national_rank": 4}, UNMET),
        ({**NO_IP, "sci_award_provincial_rank": 3}, MET),
        ({**NO_IP, "sci_award_provincial_rank": 4}, UNMET),
        ({**NO_IP, "rd_institution_level": "provincial"}, MET),
        ({**NO_IP, "rd_institution_level": "national"}, MET),
        ({**NO_IP, "rd_institution_level": "below"}, UNMET),
        ({**NO_IP, "ip1_applied": None}, UNKNOWN),
    ],
)
def test_sr26_4_ip_or_exemptions(changes, state):
    """SR26-4: ≥ 1 applied Ⅰ类 IP, waived by a top-3 award or a 省部级 institution."""
    assert state_of("SR26-4", changes) == state


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({**NO_IP, "rd_institution_level": "provincial"}, MET),
        ({**NO_IP, "sci_award_national_rank": 1}, MET),
        ({**NO_IP, "sci_award_provincial_rank": 2}, MET),
        ({**NO_IP, "ip1_applied": 3}, MANUAL),  # the IP's 主导产品 is to be checked
        (NO_IP, MANUAL),
    ],
)
def test_sr26_4_exemptions_hold_whatever_the_lead_product_share(changes, state):
    """Only the IP count is 与主导产品相关: with 主导产品 at 46.51 % of revenue (no 主导产品 as
    defined) an award or institution still waives SR26-4; the IP route goes to an evaluator."""
    share = {"lead_product_revenue_y1": d(4000), "revenue_y1": d(8600)}
    assert state_of("SR26-4", {**changes, **share}) == state


@pytest.mark.parametrize(
    ("confirmation", "state"),
    [(None, MANUAL), (CriterionState.MET, MET), (CriterionState.UNMET, UNMET)],
)
def test_sr26_5_market_position_is_a_judgement(confirmation, state):
    """SR26-5 (较为靠前, no number) stays manual until an evaluator decides."""
    given = confirm("SR26-5", state=confirmation) if confirmation else []
    assert state_of("SR26-5", {}, confirmed=False, confirmations=given) == state


@pytest.mark.parametrize(
    ("application_type", "score", "prev", "state"),
    [
        ("new", "50", None, MET),
        ("new", "49.99", None, UNMET),
        ("new", "49.99", "80", UNMET),  # the previous year counts only for renewals
        ("new", None, "80", UNKNOWN),
        ("renewal", "49.99", "50", MET),
        ("renewal", "50", "0", MET),
        ("renewal", "49.99", "49.99", UNMET),
        ("renewal", None, "50", MET),
        ("renewal", None, "49", UNKNOWN),
    ],
)
def test_sr26_6_platform_score_and_renewal_alternative(application_type, score, prev, state):
    """SR26-6: this year's score ≥ 50; renewals may use either of the last two years."""
    changes = {
        "application_type": application_type,
        "platform_score": d(score) if score else None,
        "platform_score_prev": d(prev) if prev else None,
    }
    assert state_of("SR26-6", changes) == state


def test_no_score_and_no_direct_route():
    """2026 has no points: score fields stay None and 创客中国 does not help."""
    ev = run(RB, {"holds_innovative": False, "holds_tech_sme": False, "maker_china": "top50"})
    assert (ev.score, ev.score_min, ev.score_max) == (None, None, None)
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_definite_failure_with_unknowns_is_not_qualified():
    """A failed 2b is not_qualified even with the title and platform score unknown."""
    ev = run(
        RB,
        {"main_revenue_y1": d(6000), "holds_innovative": None, "platform_score": None},
        confirmed=False,
    )
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_worked_example_is_pending_on_exactly_three_items():
    """criteria.md §16: every number passes; open are SR26-1a, SR26-5 and SR26-6 only."""
    ev = run(RB, values={**CLEAN, **WORKED_EXAMPLE, **NO_ROUTES}, confirmed=False)
    open_items = {
        c.id for c in ev.criteria if c.state in (CriterionState.UNKNOWN, CriterionState.MANUAL)
    }
    assert open_items == {"SR26-1a", "SR26-5", "SR26-6"}
    decided = [c for c in ev.criteria if c.id not in open_items and c.id != "SR26-R"]
    assert ev.criterion("SR26-R").state == CriterionState.NA  # a renewal gate; this is new
    assert all(c.state == MET for c in decided), (
        "2a 8600 ≥ 1500; 2b 93.0 % ≥ 80; 2c 48 % ≤ 80; R&D 400/5.33 % and 520/6.05 %; IP 3 ≥ 1"
    )
    assert ev.verdict == Verdict.PENDING
    assert {r.split()[0] for r in ev.verdict_reasons} == open_items


def test_base_applicant_qualifies_when_confirmed():
    """The worked example with title, score 55 and a confirmed SR26-5 qualifies."""
    assert run(RB).verdict == Verdict.QUALIFIED


@pytest.mark.parametrize("key", sorted(BASES["srdi-sme-2026"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)
