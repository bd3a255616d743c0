"""tech-sme-2017 (国科发政〔2017〕115号): limits, three indicators at each edge, the verdict."""

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

RB = "tech-sme-2017"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN
MANUAL = CriterionState.MANUAL


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({"employees_y1": 500}, MET),
        ({"employees_y1": 501}, UNMET),
        ({"revenue_y1": d(20000)}, MET),
        ({"revenue_y1": d("20000.01")}, UNMET),
        ({"total_assets_y1": d(20000)}, MET),
        ({"total_assets_y1": d("20000.01")}, UNMET),
        ({"total_assets_y1": None}, UNKNOWN),
        ({"prohibited_product": True}, UNMET),
    ],
)
def test_ts17_0_limits(changes, state):
    """TS17-0: 职工 ≤ 500, 销售收入 ≤ 2亿, 资产 ≤ 2亿 (不超过 includes the number)."""
    assert run(RB, changes).criterion("TS17-0").state == state


@pytest.mark.parametrize(
    ("staff", "points"),
    [(30, 20), (29, 16), (25, 16), (24, 12), (20, 12), (19, 8), (15, 8), (14, 4), (10, 4), (9, 0)],
)
def test_ts17_1_staff_share_bands(staff, points):
    """TS17-1 科技人员 share of 100 staff: 30/25/20/15/10 % (含) edges take the higher band."""
    changes = {"rd_staff_y1": staff, "employees_y1": 100}
    assert run(RB, changes).criterion("TS17-1").points == points


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("60", 50),
        ("59.99", 40),
        ("50", 40),
        ("49.99", 30),
        ("40", 30),
        ("30", 20),
        ("29.99", 10),
        ("20", 10),
        ("19.99", 0),
    ],
)
def test_ts17_2_rd_ratio_bands(rd, points):
    """TS17-2 研发投入 of revenue 1000万: 6/5/4/3/2 % edges take the higher band."""
    changes = {"rd_expense_y1": d(rd), "revenue_y1": d(1000)}
    assert run(RB, changes).criterion("TS17-2").points == points


@pytest.mark.parametrize(
    ("ip1", "ip2", "points"),
    [(1, 0, 30), (0, 5, 24), (0, 4, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)],
)
def test_ts17_3_results(ip1, ip2, points):
    """TS17-3: any Ⅰ类 30; Ⅱ类 4+ 24, 3 18, 2 12, 1 6; none 0."""
    changes = {"ip1_total": ip1, "ip2_total": ip2}
    assert run(RB, changes).criterion("TS17-3").points == points


def at(staff: int, rd: str, ip1: int, ip2: int) -> dict:
    """Values for 100 staff and revenue 1000万."""
    return {
        "employees_y1": 100,
        "rd_staff_y1": staff,
        "revenue_y1": d(1000),
        "rd_expense_y1": d(rd),
        "ip1_total": ip1,
        "ip2_total": ip2,
    }


NO_DIRECT = confirm("TS17-D", state=CriterionState.UNMET)


@pytest.mark.parametrize(
    ("changes", "score", "verdict"),
    [
        (at(30, "20", 1, 0), 60, Verdict.QUALIFIED),  # 20 + 10 + 30
        (at(30, "20", 0, 4), 54, Verdict.NOT_QUALIFIED),
        (at(9, "60", 1, 0), 80, Verdict.NOT_QUALIFIED),  # 科技人员 0 points
        (at(10, "30", 1, 0), 54, Verdict.NOT_QUALIFIED),
        (at(10, "40", 1, 0), 64, Verdict.QUALIFIED),
    ],
)
def test_pass_line_needs_staff_points(changes, score, verdict):
    """Score ≥ 60 and 科技人员 > 0, when no direct confirmation holds."""
    ev = run(RB, changes, confirmations=NO_DIRECT)
    assert ev.score == score
    assert ev.verdict == verdict


def test_direct_confirmation_by_high_tech_title():
    """A 高新技术企业 is confirmed directly whatever its score."""
    ev = run(RB, {**at(9, "0", 0, 0), "high_tech_enterprise": True})
    assert ev.criterion("TS17-D").state == MET
    assert ev.verdict == Verdict.QUALIFIED


def test_low_score_with_unconfirmed_direct_route_is_pending():
    """With the award/standards route unconfirmed, a low score is pending, not a failure."""
    ev = run(RB, at(9, "0", 0, 0))
    assert ev.criterion("TS17-D").state == MANUAL
    assert ev.verdict == Verdict.PENDING


def test_large_enterprise_is_not_qualified():
    """An enterprise over the 500-staff limit fails TS17-0."""
    ev = run(RB, {"employees_y1": 1000, "revenue_y1": d(40000)})
    assert ev.verdict == Verdict.NOT_QUALIFIED


@settings(max_examples=150, deadline=None)
@given(values=varied_applicants(RB))
def test_score_is_the_sum_of_points_within_the_interval(values):
    """Property: score = Σ criterion points and score_min ≤ score ≤ score_max, for any input."""
    check_score_invariants(run(RB, values=values))


@pytest.mark.parametrize("key", sorted(BASES["tech-sme-2017"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)


def test_maxima():
    """科技人员 20 + 研发投入 50 + 科技成果 30 = 100; pass line 60."""
    ev = run(RB)
    assert {g.id: g.max_points for g in ev.groups} == {"staff": 20, "rd": 50, "results": 30}
    assert (ev.score, ev.max_score, ev.pass_line) == (100, 100, 60)


def test_unknown_ip1_gives_the_interval_above_the_ip2_band():
    """TS17-3 with Ⅰ类 unknown and 4 Ⅱ类: 24 now, up to 30."""
    item = run(RB, {"ip1_total": None, "ip2_total": 4}).criterion("TS17-3")
    assert (item.state, item.points, item.points_min, item.points_max) == (UNKNOWN, 24, 24, 30)
