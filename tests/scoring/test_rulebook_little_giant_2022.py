"""little-giant-2022 (63号 附件3): every requirement at its edge, settings, judgement, verdict."""

import pytest

from tests.scoring.applicants import (
    BASES,
    NO_ROUTES,
    ROUND_2025,
    ROUND_2026,
    WORKED_EXAMPLE,
    base,
    check_forgetting_is_monotone,
    confirm,
    d,
    run,
)
from zjtx.domain.results import Confirmation, CriterionState, Verdict
from zjtx.scoring import UnknownNameError

RB = "little-giant-2022"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN
MANUAL, NA = CriterionState.MANUAL, CriterionState.NA


def state_of(criterion: str, changes: dict, **kwargs) -> CriterionState:
    return run(RB, changes, **kwargs).criterion(criterion).state


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, MET),
        ({"holds_srdi": False}, UNMET),
        ({"holds_srdi": None}, UNKNOWN),
        ({"employees_y1": 1000, "revenue_y1": d(40000)}, UNMET),  # large
        ({"major_incident_3y": True}, UNMET),
        ({"prohibited_product": True}, UNMET),
    ],
)
def test_lg22_0_title_size_and_exclusions(changes, state):
    """LG22-0: a valid 专精特新 title, SME size and no exclusion."""
    assert state_of("LG22-0", changes) == state


@pytest.mark.parametrize(
    ("champion", "confirmed", "state"),
    [(True, False, UNMET), (False, False, MANUAL), (False, True, MET), (None, False, UNKNOWN)],
)
def test_lg22_x_champion_exclusion_and_group_check(champion, confirmed, state):
    """LG22-X: a 单项冠军 is excluded; the control/group test is manual until confirmed."""
    assert state_of("LG22-X", {"holds_champion": champion}, confirmed=confirmed) == state


@pytest.mark.parametrize(
    ("floor", "revenue", "state"),
    [
        (None, "100", NA),  # off by default
        (False, "100", NA),
        (True, "5000", MET),
        (True, "4999.99", UNMET),
    ],
)
def test_lg22_f_revenue_floor_setting(floor, revenue, state):
    """LG22-F: the 5000万 floor applies only when the round turns revenue_floor_5000 on."""
    settings = None if floor is None else {"revenue_floor_5000": floor}
    assert state_of("LG22-F", {"revenue_y1": d(revenue)}, settings=settings) == state


def test_revenue_floor_fails_the_verdict():
    """With the floor on, a 4999.99万 applicant is not qualified."""
    changes = {"revenue_y1": d("4999.99")}
    ev = run(RB, changes, settings={"revenue_floor_5000": True})
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_unknown_setting_is_rejected_with_a_suggestion():
    """A misspelt round setting raises UnknownNameError naming the closest setting."""
    with pytest.raises(UnknownNameError) as err:
        run(RB, settings={"revenue_floor_500": True})
    assert err.value.suggestion == "revenue_floor_5000"


@pytest.mark.parametrize(("years", "state"), [("3", MET), ("2.99", UNMET)])
def test_lg22_1a_niche_years(years, state):
    """LG22-1a: 从事特定细分市场时间达到3年以上 includes 3."""
    assert state_of("LG22-1a", {"niche_years": d(years)}) == state


@pytest.mark.parametrize(
    ("main", "revenue", "state"),
    [("700", "1000", MET), ("699.99", "1000", UNMET), ("8400", "12000", MET)],
)
def test_lg22_1b_main_share(main, revenue, state):
    """LG22-1b: 主营业务收入占比不低于70% includes 70 %."""
    changes = {"main_revenue_y1": d(main), "revenue_y1": d(revenue)}
    assert state_of("LG22-1b", changes) == state


@pytest.mark.parametrize(
    ("y3", "y2", "y1", "state"),
    [
        ("1000", "1000", "1100", MET),  # g1 10 %, g2 0 % → mean exactly 5 %
        ("1000", "1000", "1099.99", UNMET),
        ("450", "435", "492.99", UNMET),  # mean just below 5 % (exact 5 %: test_found_bugs)
        (None, "1000", "1100", UNKNOWN),
    ],
)
def test_lg22_1c_average_growth_for_new_applications(y3, y2, y1, state):
    """LG22-1c: mean growth ≥ 5 %, exact even when both rates are repeating decimals."""
    changes = {
        "main_revenue_y3": d(y3) if y3 else None,
        "main_revenue_y2": d(y2),
        "main_revenue_y1": d(y1),
    }
    assert state_of("LG22-1c", changes) == state


SLOW_GROWTH = {
    "main_revenue_y3": d(11000),
    "main_revenue_y2": d(11000),
    "main_revenue_y1": d(11000),
}


@pytest.mark.parametrize(
    ("application_type", "settings", "state"),
    [
        ("renewal", None, UNMET),  # 63号 附件3 as written: renewals judged on growth too
        ("renewal", {"renewal_growth_waived": True}, NA),
        ("renewal", {"renewal_growth_waived": False}, UNMET),
        ("new", None, UNMET),
        ("new", {"renewal_growth_waived": True}, UNMET),  # the waiver is for renewals only
    ],
)
def test_lg22_1c_renewal_waiver(application_type, settings, state):
    """LG22-1c is `na` for renewals only when the waiver is on (a notice's setting, criteria.md
    little-giant-2022 Applies); the rulebook as written judges renewals on growth."""
    changes = {**SLOW_GROWTH, "application_type": application_type}
    assert state_of("LG22-1c", changes, settings=settings) == state


def test_renewal_with_waived_growth_can_qualify():
    """A renewal with zero growth qualifies when the waiver is on (190号's setting)."""
    changes = {**SLOW_GROWTH, "application_type": "renewal"}
    assert run(RB, changes, settings={"renewal_growth_waived": True}).verdict == Verdict.QUALIFIED
    waived_off = run(RB, changes, settings={"renewal_growth_waived": False})
    assert waived_off.verdict == Verdict.NOT_QUALIFIED


@pytest.mark.parametrize(
    ("key", "criterion"), [("core_it_system", "LG22-2a"), ("mgmt_or_product_cert", "LG22-2b")]
)
@pytest.mark.parametrize(("value", "state"), [(True, MET), (False, UNMET), (None, UNKNOWN)])
def test_lg22_2a_2b_flags(key, criterion, value, state):
    """LG22-2a (信息系统支撑) and LG22-2b (管理体系或产品认证) follow the declared flag."""
    assert state_of(criterion, {key: value}) == state


@pytest.mark.parametrize(("liabilities", "state"), [("700", MET), ("700.01", UNMET), ("0", MET)])
def test_lg22_2c_debt_ratio(liabilities, state):
    """LG22-2c: 资产负债率不高于70% includes 70 %."""
    changes = {"total_liabilities_y1": d(liabilities), "total_assets_y1": d(1000)}
    assert state_of("LG22-2c", changes) == state


@pytest.mark.parametrize(
    ("confirmation", "state"),
    [(None, MANUAL), (CriterionState.MET, MET), (CriterionState.UNMET, UNMET)],
)
def test_lg22_2q_qualitative_needs_confirmation(confirmation, state):
    """LG22-2q is manual until an evaluator confirms it met or unmet."""
    given = confirm("LG22-2q", state=confirmation) if confirmation else []
    ev = run(RB, confirmed=False, confirmations=given)
    assert ev.criterion("LG22-2q").state == state


@pytest.mark.parametrize(
    ("share", "confirmed", "state"),
    [
        ("10", False, MANUAL),  # number met, renown still to confirm
        ("10", True, MET),
        ("9.99", False, UNMET),  # a failed number is a failure whatever the renown
        (None, False, UNKNOWN),
    ],
)
def test_lg22_3a_market_share_and_renown(share, confirmed, state):
    """LG22-3a: 全国细分市场占有率 ≥ 10 % and renown (manual)."""
    changes = {"market_share_domestic": d(share) if share else None}
    assert state_of("LG22-3a", changes, confirmed=confirmed) == state


@pytest.mark.parametrize(("value", "state"), [(True, MET), (False, UNMET)])
def test_lg22_3b_own_brand(value, state):
    """LG22-3b: 自主品牌."""
    assert state_of("LG22-3b", {"own_brand": value}) == state


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        # 1亿 and above: both years ≥ 3 %
        ({"revenue_y1": d(10000), "rd_expense_y1": d(300)}, MET),
        ({"revenue_y1": d(10000), "rd_expense_y1": d("299.99")}, UNMET),
        ({"revenue_y2": d(10000), "rd_expense_y2": d(300), "rd_expense_y1": d(360)}, MET),
        ({"revenue_y2": d(10000), "rd_expense_y2": d("299.99"), "rd_expense_y1": d(360)}, UNMET),
        ({"revenue_y1": d(17077), "rd_expense_y1": d("512.31")}, MET),  # exact 3 %
        # 5000万 to 1亿 (5000 itself in the middle band): both years ≥ 6 %
        ({"revenue_y1": d("9999.99"), "rd_expense_y1": d(600)}, MET),
        ({"revenue_y1": d("9999.99"), "rd_expense_y1": d(599)}, UNMET),
        ({"revenue_y1": d(5000), "rd_expense_y1": d(300)}, MET),
        ({"revenue_y1": d(5000), "rd_expense_y1": d("299.99")}, UNMET),
        ({"revenue_y1": d(8551), "rd_expense_y1": d("513.06")}, MET),  # exact 6 %
        ({"revenue_y1": d(5000), "rd_expense_y1": d(300), "rd_expense_y2": d(590)}, UNMET),
    ],
)
def test_lg22_4g1_rd_ratio_by_revenue_band(changes, state):
    """LG22-4G1: ≥1亿 → 3 % both years; [5000万, 1亿) → 6 % both years (y2 revenue 10000万)."""
    assert state_of("LG22-4G1", changes) == state


def test_exact_ratios_in_4g1_fail_in_float():
    """The exact-ratio cases above are ones binary floating point gets wrong."""
    assert 512.31 / 17077 * 100 < 3
    assert 513.06 / 8551 * 100 < 6


SMALL = {
    "revenue_y1": d("4999.99"),
    "equity_financing_2y": d(8000),
    "rd_expense_y1": d(1500),
    "rd_expense_y2": d(1500),
    "rd_staff_y1": 125,
    "employees_y1": 250,
}


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, MET),
        ({"equity_financing_2y": d("7999.99")}, UNMET),
        ({"rd_expense_y2": d("1499.99")}, UNMET),  # total 2999.99
        ({"rd_staff_y1": 124}, UNMET),  # 49.6 %
        ({"equity_financing_2y": None}, UNKNOWN),
    ],
)
def test_lg22_4g1_below_5000_needs_equity_rd_total_and_staff(changes, state):
    """LG22-4G1 below 5000万: equity ≥ 8000万, R&D total ≥ 3000万 and staff share ≥ 50 %."""
    assert state_of("LG22-4G1", {**SMALL, **changes}) == state


@pytest.mark.parametrize(
    ("level", "state"),
    [
        ("national", MET),
        ("provincial", MET),
        ("municipal", MET),
        ("below", MET),
        ("none", UNMET),
    ],
)
def test_lg22_4g2_any_rd_institution(level, state):
    """LG22-4G2: any self-built or joint R&D institution."""
    assert state_of("LG22-4G2", {"rd_institution_level": level}) == state


@pytest.mark.parametrize(("count", "state"), [(2, MET), (1, UNMET), (None, UNKNOWN)])
def test_lg22_4g3_applied_ip(count, state):
    """LG22-4G3: 2项以上 applied Ⅰ类 IP."""
    assert state_of("LG22-4G3", {"ip1_applied": count}) == state


@pytest.mark.parametrize(("rank", "state"), [(1, MET), (3, MET), (4, UNMET), (0, UNMET)])
def test_lg22_4d1_national_award_top_three(rank, state):
    """LG22-4D1: 国家级科技奖励 top 3."""
    assert state_of("LG22-4D1", {"sci_award_national_rank": rank}) == state


@pytest.mark.parametrize(("value", "state"), [("top50", MET), ("top500", UNMET), ("none", UNMET)])
def test_lg22_4d2_maker_china_top50(value, state):
    """LG22-4D2: only the 创客中国 全国50强 counts."""
    assert state_of("LG22-4D2", {"maker_china": value}) == state


NO_GENERAL = {"ip1_applied": 1}  # 4G3 fails, so the general conditions fail


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, MET),
        (NO_GENERAL, UNMET),
        ({**NO_GENERAL, "sci_award_national_rank": 2}, MET),
        ({**NO_GENERAL, "maker_china": "top50"}, MET),
        ({**NO_GENERAL, "maker_china": None}, UNKNOWN),
    ],
)
def test_lg22_4_general_or_direct(changes, state):
    """LG22-4: all three general conditions, or a 创新直通 condition."""
    assert state_of("LG22-4", changes) == state


@pytest.mark.parametrize(
    ("criterion", "key"), [("LG22-5", "chain_key_role"), ("LG22-6", "key_field")]
)
@pytest.mark.parametrize(
    ("value", "confirmation", "state"),
    [
        (True, None, MANUAL),  # declared yes → manual
        (False, None, UNMET),  # declared no → unmet
        (None, None, UNKNOWN),
        (True, CriterionState.MET, MET),
        (True, CriterionState.UNMET, UNMET),
    ],
)
def test_lg22_5_6_judgement_items(criterion, key, value, confirmation, state):
    """LG22-5 and LG22-6: declared yes is manual, no is unmet; a confirmation decides."""
    given = confirm(criterion, state=confirmation) if confirmation else []
    ev = run(RB, {key: value}, confirmed=False, confirmations=given)
    assert ev.criterion(criterion).state == state


def test_all_confirmed_qualifies_and_unconfirmed_is_pending():
    """Base applicant: pending until the judgement items are confirmed, then qualified."""
    assert run(RB, confirmed=False).verdict == Verdict.PENDING
    assert run(RB).verdict == Verdict.QUALIFIED


def test_confirmed_unmet_judgement_fails():
    """An evaluator rejecting LG22-5 makes the applicant not qualified."""
    ev = run(RB, confirmations=confirm("LG22-5", state=CriterionState.UNMET))
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_definite_failure_beats_open_items():
    """A failed hard requirement is not_qualified although judgement items are still open."""
    ev = run(RB, {"niche_years": d(2), "core_it_system": None}, confirmed=False)
    assert ev.verdict == Verdict.NOT_QUALIFIED


@pytest.mark.parametrize("round_date", [ROUND_2025, ROUND_2026])
def test_worked_example_fails(round_date):
    """criteria.md §16: 8600万 needs 6 % in both years; y2 is 5.33 % and no 直通 → fail."""
    values = {**WORKED_EXAMPLE, **NO_ROUTES, "holds_srdi": True, "application_type": "renewal"}
    ev = run(RB, values=values, round_date=round_date, confirmed=False)
    g1 = ev.criterion("LG22-4G1")
    assert g1.state == UNMET
    assert "5.33%" in g1.observed
    assert ev.criterion("LG22-4").state == UNMET
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_confirmation_of_an_unknown_criterion_is_rejected():
    """A confirmation naming a criterion the rulebook lacks raises UnknownNameError."""
    with pytest.raises(UnknownNameError) as err:
        run(RB, confirmations=confirm("LG22-55"))
    assert err.value.suggestion is not None


@pytest.mark.parametrize(
    ("state", "reason"), [(CriterionState.MANUAL, "理由"), (CriterionState.MET, "  ")]
)
def test_confirmation_needs_met_or_unmet_and_a_reason(state, reason):
    """A Confirmation is met or unmet and always carries a reason."""
    with pytest.raises(ValueError):
        Confirmation(criterion_id="LG22-5", state=state, reason=reason, evaluator="张评审")


@pytest.mark.parametrize("key", sorted(BASES["little-giant-2022"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)


def test_a_revenue_just_short_of_a_band_names_the_band_its_r_and_d_would_meet():
    """LG22-4G1 at 营业收入 9999 万元 with 4 % R&D fails the 6 % band; its gap also says the
    revenue is 1 万元 short of the ≥1亿 band, whose 3 % the data meet at 1亿. 9000 万元 is too
    far for that, and R&D meeting 3 % only below 1亿 is not named."""
    near = {"revenue_y1": d(9999), "rd_expense_y1": d(400), "revenue_y2": d(9000)}
    near["rd_expense_y2"] = d(380)
    gap = run(RB, near).criterion("LG22-4G1").gap
    assert gap.startswith("上年度研发费用占营业收入比重 4%，要求不低于 6%，差 2 个百分点")
    assert gap.endswith(
        "；或上年度营业收入 9999 万元，要求不低于 10000 万元，差 1 万元（达到后适用“上年度营业收入"
        "1亿元以上”一档的要求，按其余现有数据已满足）"
    )
    far = run(RB, {**near, "revenue_y1": d(9000)}).criterion("LG22-4G1")
    assert far.state == UNMET and "或上年度营业收入" not in far.gap
    short = run(RB, {**near, "rd_expense_y2": d(200)}).criterion("LG22-4G1")
    assert "或上年度营业收入" not in short.gap  # 2.22 % would not meet the ≥1亿 band either
    # 299.99 of 9999 is 3.0002 %, but of the 10000 the band asks for 2.9999 %: not named.
    edge = run(RB, {**near, "rd_expense_y1": d("299.99")}).criterion("LG22-4G1")
    assert edge.state == UNMET and "或上年度营业收入" not in edge.gap
