"""srdi-sme-2022 (63号 附件2): basic conditions, all 13 indicators at each edge, routes, verdict."""

import pytest
from hypothesis import given, settings

from tests.scoring.applicants import (
    BASES,
    base,
    check_forgetting_is_monotone,
    check_score_invariants,
    confirm,
    d,
    run,
    varied_applicants,
)
from zjtx.domain.results import CriterionState, Verdict

RB = "srdi-sme-2022"
MET, UNMET = CriterionState.MET, CriterionState.UNMET
UNKNOWN, MANUAL = CriterionState.UNKNOWN, CriterionState.MANUAL


def points_of(criterion: str, changes: dict) -> tuple:
    item = run(RB, changes).criterion(criterion)
    return item.state, item.points, item.points_min, item.points_max


@pytest.mark.parametrize(("years", "state"), [("2", MET), ("1.99", UNMET), (None, UNKNOWN)])
def test_b1_niche_years(years, state):
    """SR22-B1: 从事特定细分市场时间达到2年以上 includes 2."""
    value = d(years) if years else None
    assert run(RB, {"niche_years": value}).criterion("SR22-B1").state == state


@pytest.mark.parametrize(
    ("rd", "revenue", "state"),
    [
        ("120", "4000", MET),  # 120万 = exactly 3 %
        ("119.99", "4000", UNMET),  # ratio 2.99975 %
        ("128.64", "4288", MET),  # exactly 3 % (float gives 2.999…)
        ("100", "3000", MET),  # exactly 100万
        ("99.99", "3000", UNMET),  # ratio 3.33 % but below 100万
        ("100", "3333.34", UNMET),  # 100万 but ratio 2.99999 %
        (None, "4000", UNKNOWN),
        ("120", "0", UNKNOWN),  # zero denominator: ratio unknown, never 0 or ∞
    ],
)
def test_b2_rd_amount_and_ratio(rd, revenue, state):
    """SR22-B2: 研发费用 ≥ 100万 and ≥ 3 % of revenue, in exact decimal arithmetic."""
    changes = {"rd_expense_y1": d(rd) if rd else None, "revenue_y1": d(revenue)}
    assert run(RB, changes).criterion("SR22-B2").state == state


def test_b2_exact_three_percent_fails_in_float():
    """128.64 / 4288 is 2.9999… % in binary floating point; the engine must still pass it."""
    assert 128.64 / 4288 * 100 < 3
    assert run(RB, {"rd_expense_y1": d("128.64"), "revenue_y1": d(4288)}).criterion(
        "SR22-B2"
    ).state == (MET)


@pytest.mark.parametrize(
    ("revenue", "equity", "state"),
    [
        ("1000", "0", MET),
        ("999.99", "2000", MET),
        ("999.99", "1999.99", UNMET),
        ("999.99", None, UNKNOWN),
        ("1000", None, MET),
    ],
)
def test_b3_revenue_or_equity(revenue, equity, state):
    """SR22-B3: 营业收入 ≥ 1000万, or below that with 近2年股权融资 ≥ 2000万."""
    changes = {"revenue_y1": d(revenue), "equity_financing_2y": d(equity) if equity else None}
    assert run(RB, changes).criterion("SR22-B3").state == state


@pytest.mark.parametrize(
    ("main", "points"),
    [("800", 5), ("799.99", 3), ("700", 3), ("699.99", 1), ("600", 1), ("599.99", 0)],
)
def test_s1_main_share(main, points):
    """SR22-S1 主营业务收入占比 80/70/60 % of revenue 1000万: edges take the higher band."""
    changes = {"main_revenue_y1": d(main), "revenue_y1": d(1000)}
    assert points_of("SR22-S1", changes)[1] == points


@pytest.mark.parametrize(
    ("y1", "points"),
    [
        ("1200", 10),  # g1 20 %, g2 0 % → mean exactly 10 %
        ("1199.99", 8),
        ("1160", 8),  # mean exactly 8 %
        ("1159.99", 6),
        ("1120", 6),
        ("1119.99", 4),
        ("1080", 4),
        ("1079.99", 2),
        ("1000", 2),  # mean exactly 0 %
        ("999.99", 0),
    ],
)
def test_s2_average_growth_bands(y1, points):
    """SR22-S2 近2年主营业务收入平均增长率 (mean of two rates): 10/8/6/4/0 % edges."""
    changes = {
        "main_revenue_y3": d(1000),
        "main_revenue_y2": d(1000),
        "main_revenue_y1": d(y1),
    }
    assert points_of("SR22-S2", changes)[1] == points


def test_s2_is_the_arithmetic_mean_not_the_compound_rate():
    """Rates +30 % and −9 % average 10.5 % (10 points) although the CAGR is only 8.77 %."""
    changes = {
        "main_revenue_y3": d(1000),
        "main_revenue_y2": d(910),
        "main_revenue_y1": d(1183),
    }
    assert points_of("SR22-S2", changes)[1] == 10


@pytest.mark.parametrize(
    ("years", "points"),
    [
        ("20", 5),  # capped at 5
        ("10", 5),
        ("9.99", 4),
        ("8", 4),
        ("7.99", 3),
        ("6", 3),
        ("5.99", 2),
        ("4", 2),
        ("3.99", 1),
        ("2", 1),
        ("1.99", 0),
    ],
)
def test_s3_one_point_per_two_years(years, points):
    """SR22-S3: 每满2年得1分，最高5分."""
    assert points_of("SR22-S3", {"niche_years": d(years)})[1] == points


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("chain_key", (MANUAL, 5, 0, 5)),  # judgement: declared points, range [0, 5]
        ("six_foundations", (MET, 3, 3, 3)),
        ("other", (UNMET, 0, 0, 0)),
        (None, (UNKNOWN, 0, 0, 5)),
    ],
)
def test_s4_lead_product_field(field, expected):
    """SR22-S4: 补短板 is a judgement item (manual, 5 in score, 0 in score_min); 六基 3; other 0."""
    assert points_of("SR22-S4", {"lead_product_field": field}) == expected


@pytest.mark.parametrize(("state", "points"), [(CriterionState.MET, 5), (CriterionState.UNMET, 0)])
def test_s4_confirmation_decides_the_judgement(state, points):
    """An evaluator's confirmation turns SR22-S4 补短板 into met (5) or unmet (0)."""
    ev = run(RB, {"lead_product_field": "chain_key"}, confirmations=confirm("SR22-S4", state=state))
    item = ev.criterion("SR22-S4")
    assert (item.state, item.points, item.points_min, item.points_max) == (
        state,
        points,
        points,
        points,
    )
    assert item.computed_state == MANUAL
    assert ev.score == 80 - 3 + points  # the base has 六基 (3)


def test_s4_declared_judgement_counts_in_score_and_max_only():
    """Declared 补短板: score and score_max count 5, score_min counts 0."""
    ev = run(RB, {"lead_product_field": "chain_key"})
    assert (ev.score, ev.score_min, ev.score_max) == (82, 77, 82)


@pytest.mark.parametrize(("level", "points"), [(4, 5), (3, 5), (2, 3), (1, 0)])
def test_s5_digital_level(level, points):
    """SR22-S5 数字化水平: 三级以上 5, 二级 3, 一级 0."""
    assert points_of("SR22-S5", {"digital_level": level})[1] == points


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((False, False, False, False), (UNMET, 0, 0, 0)),
        ((True, False, False, False), (MET, 3, 3, 3)),
        ((False, False, True, True), (MET, 5, 5, 5)),  # 2 × 3 capped at 5
        ((True, True, True, True), (MET, 5, 5, 5)),
        ((None, True, False, False), (UNKNOWN, 3, 3, 5)),
        ((None, None, None, None), (UNKNOWN, 0, 0, 5)),
    ],
)
def test_s6_quality_count_capped_at_five(flags, expected):
    """SR22-S6: 3 points per item, at most 5; unknown items widen the interval."""
    keys = ("quality_award", "iso9001", "own_brand", "standards_participation")
    assert points_of("SR22-S6", dict(zip(keys, flags, strict=True))) == expected


@pytest.mark.parametrize(
    ("profit", "points"),
    [
        ("100", 10),
        ("99.99", 8),
        ("80", 8),
        ("79.99", 6),
        ("60", 6),
        ("59.99", 4),
        ("40", 4),
        ("39.99", 2),
        ("20", 2),
        ("19.99", 0),
        ("-50", 0),
    ],
)
def test_s7_net_margin(profit, points):
    """SR22-S7 净利润率 of revenue 1000万: 10/8/6/4/2 % edges take the higher band."""
    changes = {"net_profit_y1": d(profit), "revenue_y1": d(1000)}
    assert points_of("SR22-S7", changes)[1] == points


@pytest.mark.parametrize(
    ("liabilities", "assets", "points"),
    [
        ("500", "1000", 5),  # exactly 50 %
        ("500.01", "1000", 3),
        ("600", "1000", 3),
        ("601.2", "1002", 3),  # exactly 60 % (float gives 60.000…01)
        ("600.01", "1000", 1),
        ("700", "1000", 1),
        ("700.01", "1000", 0),
    ],
)
def test_s8_debt_ratio_down_is_good(liabilities, assets, points):
    """SR22-S8 资产负债率: ≤50 → 5, (50, 60] → 3, (60, 70] → 1, >70 → 0."""
    changes = {"total_liabilities_y1": d(liabilities), "total_assets_y1": d(assets)}
    assert points_of("SR22-S8", changes)[1] == points


@pytest.mark.parametrize(
    ("value", "expected"),
    [("15", (MET, 15, 15, 15)), ("0", (UNMET, 0, 0, 0)), (None, (UNKNOWN, 0, 0, 15))],
)
def test_s9_local_feature_score(value, expected):
    """SR22-S9 without an overlay reads local_feature_score; absent → unknown [0, 15]."""
    changes = {"local_feature_score": d(value) if value else None}
    assert points_of("SR22-S9", changes) == expected


@pytest.mark.parametrize(
    ("changes", "points"),
    [
        ({"ip1_high_value": 1}, 10),
        ({"ip1_high_value": 0, "ip1_self_developed": 1}, 8),
        ({"ip1_high_value": 0, "ip1_self_developed": 0, "ip1_total": 1}, 6),
        ({"ip1_high_value": 0, "ip1_self_developed": 0, "ip1_total": 0, "ip2_total": 1}, 2),
        ({"ip1_high_value": 0, "ip1_self_developed": 0, "ip1_total": 0, "ip2_total": 0}, 0),
    ],
)
def test_s10_intellectual_property(changes, points):
    """SR22-S10 IP: 高价值 10, 自主研发 8, Ⅰ类 6, Ⅱ类 2, none 0."""
    assert points_of("SR22-S10", changes)[1] == points


@pytest.mark.parametrize(
    ("rd", "revenue", "points"),
    [
        ("500", "100000", 10),  # amount band A (ratio 0.5 %)
        ("499.99", "100000", 8),
        ("400", "100000", 8),
        ("399.99", "100000", 6),
        ("300", "100000", 6),
        ("200", "100000", 4),
        ("199.99", "100000", 2),
        ("100", "100000", 2),
        ("99.99", "100000", 0),
        ("99.99", "999.9", 10),  # ratio exactly 10 %: the better of the two bands
        ("80", "1000", 8),  # 8 %
        ("79.99", "1000", 6),
        ("60", "1000", 6),
        ("40", "1000", 4),
        ("30", "1000", 2),  # exactly 3 %
        ("29.99", "1000", 0),
    ],
)
def test_s11_rd_amount_or_ratio_takes_the_better_band(rd, revenue, points):
    """SR22-S11: the higher of the amount band (500/400/300/200/100万) and ratio band."""
    changes = {"rd_expense_y1": d(rd), "revenue_y1": d(revenue)}
    assert points_of("SR22-S11", changes)[1] == points


@pytest.mark.parametrize(
    ("staff", "points"),
    [(200, 5), (199, 3), (100, 3), (99, 1), (50, 1), (49, 0), (0, 0)],
)
def test_s12_rd_staff_share(staff, points):
    """SR22-S12 研发人员占比 of 1000 staff: 20/10/5 % edges take the higher band."""
    changes = {"rd_staff_y1": staff, "employees_y1": 1000}
    assert points_of("SR22-S12", changes)[1] == points


@pytest.mark.parametrize(
    ("level", "points"),
    [("national", 10), ("provincial", 8), ("municipal", 4), ("below", 2), ("none", 0)],
)
def test_s13_rd_institution(level, points):
    """SR22-S13 研发机构级别: 10 / 8 / 4 / 2 / 0."""
    assert points_of("SR22-S13", {"rd_institution_level": level})[1] == points


@pytest.mark.parametrize(
    ("provincial", "national", "state"),
    [
        (3, 0, MET),
        (4, 0, UNMET),
        (0, 5, MET),
        (0, 6, UNMET),
        (1, 6, MET),
        (0, 0, UNMET),
        (None, 6, UNKNOWN),
    ],
)
def test_d1_award_ranks(provincial, national, state):
    """SR22-D1: provincial award in the top 3, or national award in the top 5."""
    changes = {"sci_award_provincial_rank": provincial, "sci_award_national_rank": national}
    assert run(RB, changes).criterion("SR22-D1").state == state


@pytest.mark.parametrize(
    ("y1", "y2", "state"), [("1000", "1000", MET), ("1000", "999.99", UNMET), ("1500", "500", MET)]
)
def test_d2_two_year_rd_mean(y1, y2, state):
    """SR22-D2: 近两年研发费用均值 ≥ 1000万."""
    changes = {"rd_expense_y1": d(y1), "rd_expense_y2": d(y2)}
    assert run(RB, changes).criterion("SR22-D2").state == state


@pytest.mark.parametrize(("amount", "state"), [("6000", MET), ("5999.99", UNMET)])
def test_d3_equity(amount, state):
    """SR22-D3: 近两年新增股权融资 ≥ 6000万."""
    assert run(RB, {"equity_financing_2y": d(amount)}).criterion("SR22-D3").state == state


@pytest.mark.parametrize(
    ("value", "state"), [("top50", MET), ("top500", MET), ("none", UNMET), (None, UNKNOWN)]
)
def test_d4_maker_china(value, state):
    """SR22-D4: 创客中国 全国500强 (50强 included)."""
    assert run(RB, {"maker_china": value}).criterion("SR22-D4").state == state


# Lower the base (71 before S9) by known amounts: S13 none −8, S4 other −3 → 60.
AT_SIXTY = {"rd_institution_level": "none", "lead_product_field": "other"}
AT_57 = {**AT_SIXTY, "digital_level": 1}  # S5 −3
AT_44 = {**AT_57, "iso9001": False, "own_brand": False, "net_profit_y1": d(0)}  # S6 −5, S7 −8
AT_46 = {**AT_44, "net_profit_y1": d(172)}  # net margin exactly 2 % → S7 2


@pytest.mark.parametrize(
    ("changes", "feature", "interval", "verdict"),
    [
        (AT_SIXTY, "0", (60, 60), Verdict.QUALIFIED),  # exactly 60
        (AT_57, "3", (60, 60), Verdict.QUALIFIED),  # exactly 60
        (AT_57, "2", (59, 59), Verdict.NOT_QUALIFIED),
        (AT_SIXTY, None, (60, 75), Verdict.QUALIFIED),  # passes without S9
        (AT_57, None, (57, 72), Verdict.PENDING),  # S9 decides
        (AT_46, None, (46, 61), Verdict.PENDING),
        (AT_44, None, (44, 59), Verdict.NOT_QUALIFIED),  # fails even with 15
    ],
)
def test_pass_line_with_s9_interval(changes, feature, interval, verdict):
    """SR22-B4 with S9: pass if score without S9 ≥ 60, fail if +15 < 60, else pending."""
    changes = {**changes, "local_feature_score": d(feature) if feature else None}
    ev = run(RB, changes)
    assert (ev.score_min, ev.score_max) == interval
    assert ev.score == interval[0]
    assert ev.verdict == verdict


@pytest.mark.parametrize(
    "route",
    [
        {"maker_china": "top500"},
        {"sci_award_provincial_rank": 2},
        {"equity_financing_2y": d(6000)},
        {"rd_expense_y1": d(1200), "rd_expense_y2": d(800)},
    ],
)
def test_direct_route_replaces_only_the_score(route):
    """A 直通 route qualifies a 44-point applicant, but B1 still applies."""
    ok = run(RB, {**AT_44, **route, "local_feature_score": d(0)})
    assert ok.score < 60
    assert ok.verdict == Verdict.QUALIFIED
    failed = run(RB, {**AT_44, **route, "local_feature_score": d(0), "niche_years": d(1)})
    assert failed.verdict == Verdict.NOT_QUALIFIED


def test_route_unknown_with_low_score_is_pending():
    """A 44-point applicant with 创客中国 unknown is pending (the route could still hold)."""
    ev = run(RB, {**AT_44, "local_feature_score": d(0), "maker_china": None})
    assert ev.verdict == Verdict.PENDING


@pytest.mark.parametrize(
    "changes",
    [
        {"niche_years": d("1.5")},
        {"rd_expense_y1": d(99)},
        {"revenue_y1": d(900), "equity_financing_2y": d(0)},
        {"abnormal_operation": True},
        {"employees_y1": 1000, "revenue_y1": d(40000)},  # large
    ],
)
def test_basic_condition_failure_is_not_qualified_with_unknowns(changes):
    """A failed SR22-0/B1–B3 gives not_qualified even with S9 and routes unknown."""
    ev = run(RB, {**changes, "local_feature_score": None, "maker_china": None})
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_worked_example_71_plus_s9():
    """criteria.md §16: groups 21 / 21 / 29, 71 + S9 (unknown [0, 15]), pass."""
    ev = run(RB, {"local_feature_score": None})
    expected = {
        "SR22-S1": 5,
        "SR22-S2": 10,
        "SR22-S3": 3,
        "SR22-S4": 3,
        "SR22-S5": 3,
        "SR22-S6": 5,
        "SR22-S7": 8,
        "SR22-S8": 5,
        "SR22-S9": 0,
        "SR22-S10": 8,
        "SR22-S11": 10,
        "SR22-S12": 3,
        "SR22-S13": 8,
    }
    assert {cid: ev.criterion(cid).points for cid in expected} == expected
    groups = {g.id: g.points for g in ev.groups}
    assert groups == {"specialization": 21, "refinement": 21, "feature": 0, "innovation": 29}
    assert (ev.score, ev.score_min, ev.score_max) == (71, 71, 86)
    assert ev.criterion("SR22-S9").state == UNKNOWN
    assert "11.83%" in ev.criterion("SR22-S2").observed
    assert "8.14%" in ev.criterion("SR22-S7").observed
    assert "12.22%" in ev.criterion("SR22-S12").observed
    assert ev.verdict == Verdict.QUALIFIED


def test_base_applicant_has_eighty_points():
    """The base applicant (worked example + 特色化 9) scores 80 and qualifies."""
    values = base(RB)
    ev = run(RB, values=values)
    assert ev.score == 80
    assert ev.verdict == Verdict.QUALIFIED


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"revenue_y1": None, "rd_expense_y1": d(520)}, (MET, 10, 10, 10)),  # already the top
        ({"revenue_y1": None, "rd_expense_y1": d(150)}, (UNKNOWN, 2, 2, 10)),
        ({"rd_expense_y1": None}, (UNKNOWN, 0, 0, 10)),
    ],
)
def test_s11_best_of_with_one_side_unknown(changes, expected):
    """SR22-S11: an unknown ratio cannot lower the amount band, only possibly raise it."""
    assert points_of("SR22-S11", changes) == expected


@pytest.mark.parametrize(
    ("rd", "revenue", "gap"),
    [
        # 520万 earns the full 10 by amount: the ratio's next band (6.05 % -> 8 %) earns nothing.
        ("520", "8600", None),
        # 450万 earns 8 by amount, 6 by ratio: the amount's band up (500万 -> 10) is the gap.
        (
            "450",
            "7500",
            "上年度研发费用 450 万元，要求不低于 500 万元，差 50 万元（可从 8 分升至 10 分）",
        ),
        # 250万 at 2.5 %: amount 4, ratio 0; the ratio's next band (3 % -> 2) earns nothing
        # beside 4, the amount's does.
        (
            "250",
            "10000",
            "上年度研发费用 250 万元，要求不低于 300 万元，差 50 万元（可从 4 分升至 6 分）",
        ),
    ],
)
def test_s11_gap_is_only_one_that_raises_the_better_score(rd, revenue, gap):
    """SR22-S11: the gap offered is one that raises the criterion's points, never an
    alternative's band that stays at or below the better one."""
    changes = {"rd_expense_y1": d(rd), "revenue_y1": d(revenue)}
    assert run(RB, changes).criterion("SR22-S11").gap == gap


def test_gap_explains_the_missing_rd_in_percentage_points_and_amount():
    """SR22-B2 gap: 2.6 % of 10400万 is 0.4 个百分点, about 41.6 万元 short of 3 %."""
    item = run(RB, {"rd_expense_y1": d("270.4"), "revenue_y1": d(10400)}).criterion("SR22-B2")
    assert item.state == UNMET
    assert "2.6%" in item.gap
    assert "差 0.4 个百分点" in item.gap
    assert "41.6 万元" in item.gap


def test_missing_application_type_is_evaluated_as_new():
    """Without application_type the applicant is evaluated as a new application, with a note."""
    ev = run(RB, {"application_type": None})
    assert ev.application_type == "new"
    assert any("申报类型" in note for note in ev.notes)


@settings(max_examples=150, deadline=None)
@given(values=varied_applicants(RB))
def test_score_is_the_sum_of_points_within_the_interval(values):
    """Property: score = Σ criterion points and score_min ≤ score ≤ score_max, for any input."""
    check_score_invariants(run(RB, values=values))


@pytest.mark.parametrize(
    ("confirmations", "interval", "verdict"),
    [
        ((), (57, 62), Verdict.PENDING),  # declared 补短板 counts 5 in score, 0 in score_min
        (confirm("SR22-S4"), (62, 62), Verdict.QUALIFIED),
        (confirm("SR22-S4", state=CriterionState.UNMET), (57, 57), Verdict.NOT_QUALIFIED),
    ],
)
def test_declared_judgement_points_decide_the_pass_line_only_when_confirmed(
    confirmations, interval, verdict
):
    """57 + declared 补短板 5 = 62: pending until the evaluator confirms or rejects it."""
    changes = {**AT_57, "lead_product_field": "chain_key", "local_feature_score": d(0)}
    ev = run(RB, changes, confirmations=confirmations)
    assert (ev.score_min, ev.score_max) == interval
    assert ev.score == interval[1]
    assert ev.verdict == verdict


@pytest.mark.parametrize("key", sorted(BASES["srdi-sme-2022"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)


def test_group_and_total_maxima():
    """Maxima: 专业化 25, 精细化 25, 特色化 15, 创新能力 35; total 100; pass line 60."""
    ev = run(RB)
    assert {g.id: g.max_points for g in ev.groups} == {
        "specialization": 25,
        "refinement": 25,
        "feature": 15,
        "innovation": 35,
    }
    assert (ev.max_score, ev.pass_line) == (100, 60)


@pytest.mark.parametrize(
    ("criterion", "changes", "expected"),
    [
        # two known items already reach the cap: the unknown ones cannot change it
        ("SR22-S6", {"quality_award": None, "standards_participation": None}, (MET, 5, 5, 5)),
        # the top band is known: lower-band counts do not matter
        ("SR22-S10", {"ip1_high_value": 1, "ip1_self_developed": None}, (MET, 10, 10, 10)),
        ("SR22-S10", {"ip1_high_value": None}, (UNKNOWN, 8, 8, 10)),
        ("SR22-S5", {"digital_level": None}, (UNKNOWN, 0, 0, 5)),
        ("SR22-S13", {"rd_institution_level": None}, (UNKNOWN, 0, 0, 10)),
        ("SR22-S12", {"rd_staff_y1": None}, (UNKNOWN, 0, 0, 5)),
    ],
)
def test_unknown_inputs_only_where_they_matter(criterion, changes, expected):
    """An unknown input makes an item unknown (lowest..highest) only if it could change it."""
    assert points_of(criterion, changes) == expected
