"""innovative-sme-2022 (63号 附件1): every indicator on both sides of each edge; the verdict."""

from decimal import Decimal

import pytest
from hypothesis import given, settings

from tests.scoring.applicants import (
    BASES,
    base,
    check_forgetting_is_monotone,
    check_score_invariants,
    d,
    run,
    varied_applicants,
)
from zjtx.domain.results import CriterionState, Verdict

RB = "innovative-sme-2022"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN

IP = ("ip1_high_value", "ip1_self_developed", "ip1_total", "ip2_total")


def ip(high: int | None, self_dev: int | None, total: int | None, ip2: int | None) -> dict:
    return dict(zip(IP, (high, self_dev, total, ip2), strict=True))


@pytest.mark.parametrize(
    ("changes", "points"),
    [
        (ip(1, 1, 1, 0), 20),
        (ip(0, 1, 1, 0), 15),
        (ip(0, 0, 1, 0), 10),
        (ip(0, 0, 0, 1), 5),
        (ip(0, 0, 0, 0), 0),
    ],
)
def test_s1_intellectual_property_bands(changes, points):
    """IN22-S1 takes the first matching IP band: 20 / 15 / 10 / 5 / 0."""
    item = run(RB, changes).criterion("IN22-S1")
    assert (item.state, item.points) == (MET if points else UNMET, points)


def test_s1_unknown_high_value_count_gives_an_interval():
    """An unknown higher IP band leaves IN22-S1 unknown between the declared band and 20."""
    item = run(RB, ip(None, 3, 3, 0)).criterion("IN22-S1")
    assert item.state == UNKNOWN
    assert (item.points, item.points_min, item.points_max) == (15, 15, 20)


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("50.05", 20),  # exactly 5 % of 1001
        ("50.04", 15),
        ("30.03", 15),  # exactly 3 %
        ("30.02", 10),
        ("20.02", 10),  # exactly 2 %
        ("20.01", 5),
        ("10.01", 5),  # exactly 1 %
        ("10", 0),
        ("0", 0),
    ],
)
def test_s2_rd_ratio_bands_take_the_higher_band_at_the_edge(rd, points):
    """IN22-S2 bands 5/3/2/1 % of revenue 1001万: the edge value scores the higher band."""
    item = run(RB, {"rd_expense_y1": d(rd), "revenue_y1": d(1001)}).criterion("IN22-S2")
    assert item.points == points


def test_s2_exact_three_percent_where_float_division_falls_short():
    """32.16 / 1072 is exactly 3 % in decimal (float gives 2.999…), so IN22-S2 scores 15."""
    assert 32.16 / 1072 * 100 < 3  # the case is one that float arithmetic gets wrong
    item = run(RB, {"rd_expense_y1": d("32.16"), "revenue_y1": d(1072)}).criterion("IN22-S2")
    assert item.points == 15


@pytest.mark.parametrize(
    ("y1", "points"),
    [
        ("1150", 20),  # exactly 15 %
        ("1149.99", 15),
        ("1100", 15),  # exactly 10 %
        ("1099.99", 10),
        ("1050", 10),  # exactly 5 %
        ("1049.99", 5),
        ("1000", 5),  # exactly 0 %
        ("999.99", 0),
        ("500", 0),
    ],
)
def test_s3_main_revenue_growth_bands(y1, points):
    """IN22-S3 growth of 主营业务收入 over 1000万: 15/10/5/0 % edges score the higher band."""
    changes = {"main_revenue_y1": d(y1), "main_revenue_y2": d(1000)}
    assert run(RB, changes).criterion("IN22-S3").points == points


def test_s3_zero_previous_year_is_unknown():
    """A zero 上上年 主营业务收入 leaves the growth rate, and IN22-S3, unknown (not 0)."""
    item = run(RB, {"main_revenue_y2": d(0)}).criterion("IN22-S3")
    assert item.state == UNKNOWN
    assert (item.points_min, item.points_max) == (0, 20)


@pytest.mark.parametrize(
    ("liabilities", "assets", "points"),
    [
        ("550", "1000", 10),  # exactly 55 %: 55%以下 includes 55
        ("551.1", "1002", 10),  # exactly 55 % (float gives 55.000…01)
        ("550.01", "1000", 5),
        ("750", "1000", 5),  # exactly 75 %
        ("750.01", "1000", 0),
        ("1200", "1000", 0),
    ],
)
def test_s4_debt_ratio_down_is_good_bands(liabilities, assets, points):
    """IN22-S4 资产负债率: ≤55 % → 10, (55, 75] → 5, >75 % → 0."""
    changes = {"total_liabilities_y1": d(liabilities), "total_assets_y1": d(assets)}
    assert run(RB, changes).criterion("IN22-S4").points == points


@pytest.mark.parametrize(
    ("value", "state", "points", "low", "high"),
    [(True, MET, 10, 10, 10), (False, MET, 5, 5, 5), (None, UNKNOWN, 5, 5, 10)],
)
def test_s5_strategic_emerging(value, state, points, low, high):
    """IN22-S5: strategic emerging 10, other 5; unknown → points 5, min 5, max 10."""
    item = run(RB, {"strategic_emerging": value}).criterion("IN22-S5")
    assert (item.state, item.points, item.points_min, item.points_max) == (
        state,
        points,
        low,
        high,
    )


@pytest.mark.parametrize(
    ("main", "points"),
    [
        ("700", 20),
        ("699.99", 15),
        ("600", 15),
        ("599.99", 10),
        ("550", 10),
        ("549.99", 5),
        ("500", 5),
        ("499.99", 0),
    ],
)
def test_s6_main_share_bands(main, points):
    """IN22-S6 主营业务收入占比 of 1000万: 70/60/55/50 % edges score the higher band."""
    changes = {"main_revenue_y1": d(main), "revenue_y1": d(1000)}
    assert run(RB, changes).criterion("IN22-S6").points == points


def test_unknown_items_give_a_score_interval():
    """Unknown S3, S5 and S6 count at their lowest in score and at their highest in score_max."""
    ev = run(RB, {"strategic_emerging": None, "main_revenue_y1": None})
    assert ev.criterion("IN22-S6").state == UNKNOWN
    assert ev.criterion("IN22-S3").state == UNKNOWN  # growth needs main_revenue_y1 too
    assert ev.score == 15 + 20 + 0 + 10 + 5 + 0
    assert ev.score_min == ev.score
    assert ev.score_max == 15 + 20 + 20 + 10 + 10 + 20
    assert ev.score == sum(c.points for c in ev.criteria if c.points is not None)
    assert ev.verdict == Verdict.PENDING  # [50, 95] straddles the pass line


@pytest.mark.parametrize(
    ("national", "provincial", "state"),
    [
        (1, 0, MET),
        (7, 0, MET),  # any rank counts for 创新型
        (0, 5, MET),
        (0, 0, UNMET),
        (None, None, UNKNOWN),
        (0, None, UNKNOWN),
        (None, 2, MET),
    ],
)
def test_d1_science_award(national, provincial, state):
    """IN22-D1: any national or provincial award in three years (0 = none, absent = unknown)."""
    changes = {"sci_award_national_rank": national, "sci_award_provincial_rank": provincial}
    assert run(RB, changes).criterion("IN22-D1").state == state


@pytest.mark.parametrize(
    ("high_tech", "honor", "state"),
    [(True, False, MET), (False, True, MET), (False, False, UNMET), (None, False, UNKNOWN)],
)
def test_d2_honours(high_tech, honor, state):
    """IN22-D2: 高新技术企业 or a listed national honour."""
    changes = {"high_tech_enterprise": high_tech, "innovation_honor": honor}
    assert run(RB, changes).criterion("IN22-D2").state == state


@pytest.mark.parametrize(
    ("level", "state"),
    [
        ("national", MET),
        ("provincial", MET),
        ("municipal", UNMET),
        ("below", UNMET),
        ("none", UNMET),
        (None, UNKNOWN),
    ],
)
def test_d3_rd_institution(level, state):
    """IN22-D3: a 省部级以上 research institution."""
    assert run(RB, {"rd_institution_level": level}).criterion("IN22-D3").state == state


@pytest.mark.parametrize(("amount", "state"), [("500", MET), ("499.99", UNMET), (None, UNKNOWN)])
def test_d4_equity_financing(amount, state):
    """IN22-D4: 近三年新增股权融资 500万元以上 includes 500."""
    value = d(amount) if amount else None
    assert run(RB, {"equity_financing_3y": value}).criterion("IN22-D4").state == state


POINTS_TO_FIELDS = {
    "S1": {20: ip(1, 1, 1, 0), 15: ip(0, 1, 1, 0), 10: ip(0, 0, 1, 0), 5: ip(0, 0, 0, 1),
           0: ip(0, 0, 0, 0)},
    "S2": {p: {"rd_expense_y1": d(r)} for p, r in ((20, 60), (15, 40), (10, 25), (5, 15), (0, 5))},
    "S4": {p: {"total_liabilities_y1": d(v)} for p, v in ((10, 400), (5, 600), (0, 800))},
    "S5": {10: {"strategic_emerging": True}, 5: {"strategic_emerging": False}},
}  # fmt: skip
SHARE = {20: 800, 15: 650, 10: 570, 5: 520, 0: 400}  # 主营业务收入 of revenue 1000
GROWTH = {20: "0.8", 15: "0.88", 10: "0.93", 5: "0.98", 0: "1.1"}  # y2 = y1 × factor


def scored(s1: int, s2: int, s3: int, s4: int, s5: int, s6: int) -> dict:
    """Field values that give exactly these IN22-S1…S6 points (revenue 1000万, assets 1000万)."""
    values = base(RB, revenue_y1=d(1000), total_assets_y1=d(1000))
    for key, pts in (("S1", s1), ("S2", s2), ("S4", s4), ("S5", s5)):
        values.update(POINTS_TO_FIELDS[key][pts])
    values["main_revenue_y1"] = d(SHARE[s6])
    values["main_revenue_y2"] = d(SHARE[s6]) * Decimal(GROWTH[s3])
    return values


@pytest.mark.parametrize(
    ("points", "verdict"),
    [
        ((5, 15, 10, 10, 10, 10), Verdict.QUALIFIED),  # 60, groups 20/20/20: all at the line
        ((0, 15, 10, 10, 10, 10), Verdict.NOT_QUALIFIED),  # 55
        ((0, 15, 20, 10, 10, 20), Verdict.NOT_QUALIFIED),  # 75 but 创新能力 15 < 20
        ((20, 20, 5, 10, 10, 20), Verdict.QUALIFIED),  # 85, 成长性 exactly 15
        ((20, 20, 5, 5, 10, 20), Verdict.NOT_QUALIFIED),  # 80 but 成长性 10 < 15
        ((20, 20, 5, 0, 10, 20), Verdict.NOT_QUALIFIED),  # 75 but 成长性 5 < 15
        ((20, 20, 20, 10, 5, 10), Verdict.QUALIFIED),  # 85, 专业化 exactly 15
        ((20, 20, 20, 10, 5, 5), Verdict.NOT_QUALIFIED),  # 80 but 专业化 10 < 15
    ],
)
def test_pass_line_and_group_minimums(points, verdict):
    """Qualified by score only with total ≥ 60 and 创新能力 ≥ 20, 成长性 ≥ 15, 专业化 ≥ 15."""
    ev = run(RB, values=scored(*points))
    assert [ev.criterion(f"IN22-S{i}").points for i in range(1, 7)] == list(points)
    assert ev.score == sum(points)
    assert ev.verdict == verdict


@pytest.mark.parametrize(
    "route",
    [
        {"sci_award_provincial_rank": 9},
        {"high_tech_enterprise": True},
        {"innovation_honor": True},
        {"rd_institution_level": "national"},
        {"equity_financing_3y": d(500)},
    ],
)
def test_a_direct_route_qualifies_a_low_score(route):
    """Any of IN22-D1…D4 qualifies an applicant whose score (25) misses the line."""
    values = scored(0, 5, 0, 0, 5, 15)
    values.update(route)
    ev = run(RB, values=values)
    assert ev.score == 25
    assert ev.verdict == Verdict.QUALIFIED


def test_unknown_route_keeps_a_low_score_pending():
    """A failed score with an unknown direct route is pending, not a failure."""
    values = scored(0, 5, 0, 0, 5, 15)
    values.pop("high_tech_enterprise")
    ev = run(RB, values=values)
    assert ev.verdict == Verdict.PENDING
    assert ev.criterion("IN22-D2").state == UNKNOWN
    assert ev.criterion("IN22-P").state == UNKNOWN
    assert any("IN22-P" in reason for reason in ev.verdict_reasons)


def test_score_interval_across_the_line_is_pending():
    """Score 55 with S6 unknown ([55, 75]) cannot be decided: pending."""
    values = scored(0, 15, 10, 10, 10, 10)
    values.pop("revenue_y1")  # S6 unknown; S2 too (ratio needs revenue)
    ev = run(RB, values=values)
    assert ev.criterion("IN22-S6").state == UNKNOWN
    assert ev.verdict == Verdict.PENDING


@pytest.mark.parametrize(
    "flag",
    ["abnormal_operation", "serious_dishonesty", "prohibited_product", "major_incident_3y"],
)
def test_each_exclusion_fails_even_with_a_direct_route(flag):
    """IN22-0: any exclusion makes the applicant not qualified, whatever its score or routes."""
    ev = run(RB, {flag: True, "high_tech_enterprise": True})
    assert ev.criterion("IN22-0").state == UNMET
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_large_enterprise_is_not_qualified():
    """IN22-0: a large enterprise (工业 1000人 and 40000万元) is not an SME."""
    ev = run(RB, {"employees_y1": 1000, "revenue_y1": d(40000)})
    assert ev.size_class == "large"
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_definite_failure_with_unknowns_is_not_qualified():
    """An exclusion decides not_qualified even when other items are unknown."""
    ev = run(RB, {"serious_dishonesty": True, "revenue_y1": None, "strategic_emerging": None})
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_worked_example_scores_90_and_passes():
    """criteria.md §16: S1 15 + S2 20; S3 15 + S4 10; S5 10 + S6 20 = 90, pass."""
    ev = run(RB)
    assert [ev.criterion(f"IN22-S{i}").points for i in range(1, 7)] == [15, 20, 15, 10, 10, 20]
    assert {g.id: g.points for g in ev.groups} == {
        "innovation": 35,
        "growth": 25,
        "specialization": 30,
    }
    assert (ev.score, ev.score_min, ev.score_max) == (90, 90, 90)
    assert "6.05%" in ev.criterion("IN22-S2").observed
    assert "14.29%" in ev.criterion("IN22-S3").observed
    assert "93.02%" in ev.criterion("IN22-S6").observed
    assert ev.verdict == Verdict.QUALIFIED


def test_group_minimum_decided_on_the_interval():
    """专业化 in [10, 15] (S5 unknown) may or may not reach 15: pending though the total is ≥ 80."""
    values = scored(20, 20, 20, 10, 5, 5)
    values.pop("strategic_emerging")
    ev = run(RB, values=values)
    spec = next(g for g in ev.groups if g.id == "specialization")
    assert (spec.points_min, spec.points_max, spec.minimum) == (10, 15, 15)
    assert ev.score_min >= 80
    assert ev.verdict == Verdict.PENDING


@settings(max_examples=150, deadline=None)
@given(values=varied_applicants(RB))
def test_score_is_the_sum_of_points_within_the_interval(values):
    """Property: score = Σ criterion points and score_min ≤ score ≤ score_max, for any input."""
    check_score_invariants(run(RB, values=values))


@pytest.mark.parametrize("key", sorted(BASES["innovative-sme-2022"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)


def test_group_and_total_maxima():
    """Maxima: 创新能力 40 (min 20), 成长性 30 (min 15), 专业化 30 (min 15); total 100."""
    ev = run(RB)
    assert {g.id: (g.max_points, g.minimum) for g in ev.groups} == {
        "innovation": (40, 20),
        "growth": (30, 15),
        "specialization": (30, 15),
    }
    assert (ev.max_score, ev.pass_line) == (100, 60)
