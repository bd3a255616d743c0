"""little-giant-2026 (2号 附件2): seven indicators at each edge, renewals, judgement, verdict."""

import pytest

from tests.scoring.applicants import (
    BASES,
    CLEAN,
    NO_ROUTES,
    ROUND_2027,
    WORKED_EXAMPLE,
    base,
    check_forgetting_is_monotone,
    confirm,
    d,
    run,
)
from zjtx.domain.results import CriterionState, Verdict

RB = "little-giant-2026"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN
MANUAL, NA = CriterionState.MANUAL, CriterionState.NA


def state_of(criterion: str, changes: dict, **kwargs) -> CriterionState:
    return run(RB, changes, **kwargs).criterion(criterion).state


@pytest.mark.parametrize(
    ("changes", "confirmed", "state"),
    [
        ({}, True, MET),
        ({}, False, MANUAL),  # the control / group test needs an evaluator
        ({"holds_champion": True}, False, UNMET),
        ({"serious_dishonesty": True}, False, UNMET),
        ({"employees_y1": 1000, "revenue_y1": d(40000)}, False, UNMET),  # large
    ],
)
def test_lg26_0_eligibility_and_champion_exclusion(changes, confirmed, state):
    """LG26-0: SME, 2026 exclusions, not a 单项冠军; control/group test manual."""
    assert state_of("LG26-0", changes, confirmed=confirmed) == state


@pytest.mark.parametrize(("value", "state"), [(True, MET), (False, UNMET), (None, UNKNOWN)])
def test_lg26_1a_srdi_title(value, state):
    """LG26-1a: 已获得专精特新中小企业称号."""
    assert state_of("LG26-1a", {"holds_srdi": value}) == state


@pytest.mark.parametrize(("years", "state"), [("3", MET), ("2.99", UNMET)])
def test_lg26_1b_niche_years(years, state):
    """LG26-1b: 细分市场 3 years or more."""
    assert state_of("LG26-1b", {"niche_years": d(years)}) == state


@pytest.mark.parametrize(
    ("revenue", "equity", "state"),
    [("5000", "0", MET), ("4999.99", "0", UNMET), ("4999.99", "100000", UNMET)],
)
def test_lg26_2a_revenue_floor_has_no_financing_route(revenue, equity, state):
    """LG26-2a: 营业收入 ≥ 5000万; equity financing no longer substitutes."""
    changes = {"revenue_y1": d(revenue), "equity_financing_2y": d(equity)}
    assert state_of("LG26-2a", changes) == state


@pytest.mark.parametrize(
    ("main", "revenue", "state"),
    [("900", "1000", MET), ("899.99", "1000", UNMET), ("901.8", "1002", MET)],
)
def test_lg26_2b_main_share(main, revenue, state):
    """LG26-2b: 主营业务收入占比不低于90% includes 90 % (901.8/1002 fails in float)."""
    changes = {"main_revenue_y1": d(main), "revenue_y1": d(revenue)}
    assert state_of("LG26-2b", changes) == state


def test_lg26_2b_exact_case_fails_in_float():
    """901.8 / 1002 is 89.999… % in binary floating point."""
    assert 901.8 / 1002 * 100 < 90


@pytest.mark.parametrize(
    ("y3", "y1", "application_type", "state"),
    [
        ("10000", "11025", "new", MET),  # exactly 5 % a year: 11025 = 10000 × 1.05²
        ("10000", "11024.99", "new", UNMET),
        ("10000", "9000", "new", UNMET),
        ("10000", "9000", "renewal", NA),  # 复核企业不考查
        (None, "11025", "new", UNKNOWN),
        ("0", "11025", "new", UNKNOWN),  # zero base: not computable
    ],
)
def test_lg26_2c_compound_growth_and_renewal_na(y3, y1, application_type, state):
    """LG26-2c: 营业收入 CAGR ≥ 5 % (y1 ≥ 1.1025·y3) for new applications; na for renewals."""
    changes = {
        "revenue_y3": d(y3) if y3 else None,
        "revenue_y1": d(y1),
        "main_revenue_y1": d(y1),
        "application_type": application_type,
    }
    round_date = ROUND_2027 if application_type == "renewal" else None
    assert state_of("LG26-2c", changes, round_date=round_date) == state


@pytest.mark.parametrize(("liabilities", "state"), [("750", MET), ("750.01", UNMET)])
def test_lg26_2d_debt_ratio(liabilities, state):
    """LG26-2d: 资产负债率不超过75% includes 75 %."""
    changes = {"total_liabilities_y1": d(liabilities), "total_assets_y1": d(1000)}
    assert state_of("LG26-2d", changes) == state


RD_EDGE = {
    "revenue_y1": d(20000),
    "main_revenue_y1": d(19000),
    "revenue_y2": d(20000),
    "rd_expense_y1": d(600),
    "rd_expense_y2": d(600),
}


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        (RD_EDGE, MET),  # total exactly 1200, each year exactly 3 %
        ({**RD_EDGE, "rd_expense_y1": d("599.99")}, UNMET),
        ({**RD_EDGE, "rd_expense_y1": d(700), "rd_expense_y2": d(500)}, UNMET),  # y2 2.5 %
        (
            {**RD_EDGE, "rd_expense_y1": d(800), "revenue_y2": d(10000), "rd_expense_y2": d(400)},
            MET,
        ),
        ({**RD_EDGE, "revenue_y1": d(10000), "main_revenue_y1": d(9500)}, MET),  # 6 %, 3 %
        ({**RD_EDGE, "rd_expense_y2": None}, UNKNOWN),
    ],
)
def test_lg26_3_rd_total_and_yearly_ratio(changes, state):
    """LG26-3: 近两年研发费用合计 ≥ 1200万 and each year ≥ 3 % of revenue."""
    assert state_of("LG26-3", changes) == state


@pytest.mark.parametrize(
    ("ip", "national", "provincial", "state"),
    [
        (4, 0, 0, MET),
        (3, 0, 0, UNMET),
        (3, 3, 0, MET),  # national award top 3 waives the IP test
        (3, 4, 0, UNMET),
        (3, 0, 1, UNMET),  # a provincial award does not waive it in 2026 小巨人
        (None, 0, 0, UNKNOWN),
        (None, 2, 0, MET),
    ],
)
def test_lg26_4_ip_or_national_award(ip, national, provincial, state):
    """LG26-4: ≥ 4 applied Ⅰ类 IP, or a national award ranked in the top 3."""
    changes = {
        "ip1_applied": ip,
        "sci_award_national_rank": national,
        "sci_award_provincial_rank": provincial,
        "rd_institution_level": "national",  # not an exemption here
    }
    assert state_of("LG26-4", changes) == state


@pytest.mark.parametrize(("ip", "national", "state"), [(0, 1, MET), (5, 0, MANUAL), (0, 0, MANUAL)])
def test_lg26_4_award_exemption_holds_whatever_the_lead_product_share(ip, national, state):
    """With 主导产品 at 46.51 % of revenue the national award still waives LG26-4 (only the IP
    is 与主导产品相关); the IP route goes to an evaluator."""
    changes = {
        "ip1_applied": ip,
        "sci_award_national_rank": national,
        "lead_product_revenue_y1": d(4000),
        "revenue_y1": d(8600),
    }
    assert state_of("LG26-4", changes) == state


MARKET_KEYS = ("market_share_domestic", "market_share_international", "market_rank_domestic")


@pytest.mark.parametrize(
    ("domestic", "international", "rank", "state"),
    [
        ("10", "0", 9, MANUAL),  # a number is met; renown remains manual
        ("9.99", "10", 9, MANUAL),
        ("9.99", "9.99", 3, MANUAL),
        ("9.99", "9.99", 4, UNMET),  # all three known and below: fail
        ("5", None, None, UNKNOWN),
        (None, None, 2, MANUAL),
    ],
)
def test_lg26_5_share_or_rank_then_renown(domestic, international, rank, state):
    """LG26-5: share ≥ 10 % (国内或国际) or 国内前三, plus renown (manual)."""
    changes = dict(
        zip(
            MARKET_KEYS,
            (d(domestic) if domestic else None, d(international) if international else None, rank),
            strict=True,
        )
    )
    assert state_of("LG26-5", changes, confirmed=False) == state


@pytest.mark.parametrize(
    ("key_field", "chain", "confirmation", "state"),
    [
        (True, True, None, MANUAL),
        (False, True, None, UNMET),
        (True, False, None, UNMET),
        (True, None, None, UNKNOWN),
        (True, True, CriterionState.MET, MET),
        (True, True, CriterionState.UNMET, UNMET),
    ],
)
def test_lg26_6_field_and_chain_are_judgements(key_field, chain, confirmation, state):
    """LG26-6: declared yes → manual, declared no → unmet, confirmation decides."""
    given = confirm("LG26-6", state=confirmation) if confirmation else []
    changes = {"key_field": key_field, "chain_key_role": chain}
    assert state_of("LG26-6", changes, confirmed=False, confirmations=given) == state


@pytest.mark.parametrize(
    ("application_type", "score", "prev", "state"),
    [
        ("new", "60", None, MET),
        ("new", "59.99", "90", UNMET),
        ("renewal", "59.99", "60", MET),
        ("renewal", "59.99", "59.99", UNMET),
        ("renewal", None, "60", MET),
        ("new", None, None, UNKNOWN),
    ],
)
def test_lg26_7_platform_score_and_renewal_alternative(application_type, score, prev, state):
    """LG26-7: this year's score ≥ 60; renewals may use either of the last two years."""
    changes = {
        "application_type": application_type,
        "platform_score": d(score) if score else None,
        "platform_score_prev": d(prev) if prev else None,
    }
    round_date = ROUND_2027 if application_type == "renewal" else None
    assert state_of("LG26-7", changes, round_date=round_date) == state


def test_renewal_with_falling_revenue_qualifies_in_2027():
    """A 2027 renewal with shrinking revenue and last year's score 60 qualifies."""
    changes = {
        "application_type": "renewal",
        "revenue_y3": d(14000),
        "platform_score": d(40),
        "platform_score_prev": d(60),
    }
    ev = run(RB, changes, round_date=ROUND_2027)
    assert ev.criterion("LG26-2c").state == NA
    assert ev.verdict == Verdict.QUALIFIED


def test_pending_only_while_open_items_can_change_it():
    """Unconfirmed judgements keep it pending; a hard failure makes it not_qualified."""
    assert run(RB, confirmed=False).verdict == Verdict.PENDING
    failed = run(RB, {"revenue_y1": d(4999), "platform_score": None}, confirmed=False)
    assert failed.verdict == Verdict.NOT_QUALIFIED


def test_worked_example_fails_on_rd_total_and_ip():
    """criteria.md §16: CAGR 11.64 % ✓, 93.0 % ≥ 90 ✓, R&D 920 < 1200 ✗, IP 3 < 4 ✗ → fail."""
    values = {**CLEAN, **WORKED_EXAMPLE, **NO_ROUTES, "holds_srdi": True}
    ev = run(RB, values=values, confirmed=False)
    assert ev.criterion("LG26-2c").state == MET
    assert "11.64%" in ev.criterion("LG26-2c").observed
    assert ev.criterion("LG26-2b").state == MET
    assert ev.criterion("LG26-3").state == UNMET
    assert "920" in ev.criterion("LG26-3").observed
    assert ev.criterion("LG26-4").state == UNMET
    assert ev.verdict == Verdict.NOT_QUALIFIED


@pytest.mark.parametrize("key", sorted(BASES["little-giant-2026"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)
