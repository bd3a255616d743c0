"""single-champion-2023 (138号): numeric gates at each edge, manual standards, no size test."""

import pytest

from tests.scoring.applicants import (
    BASES,
    JUDGEMENT_ITEMS,
    base,
    check_forgetting_is_monotone,
    confirm,
    d,
    run,
)
from zjtx.domain.results import CriterionState, Verdict

RB = "single-champion-2023"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN
MANUAL = CriterionState.MANUAL


def state_of(criterion: str, changes: dict, **kwargs) -> CriterionState:
    return run(RB, changes, **kwargs).criterion(criterion).state


@pytest.mark.parametrize(
    ("changes", "confirmed", "state"),
    [
        ({}, False, MANUAL),  # 独立法人, 国家利益, 数据造假: manual
        ({}, True, MET),
        ({"abnormal_operation": True}, False, UNMET),
        ({"serious_dishonesty": True}, False, UNMET),
        ({"prohibited_product": True}, False, UNMET),
        ({"major_incident_3y": True}, False, UNMET),
    ],
)
def test_sc23_0_basic_conditions(changes, confirmed, state):
    """SC23-0: exclusions are hard failures; the rest needs an evaluator."""
    assert state_of("SC23-0", changes, confirmed=confirmed) == state


@pytest.mark.parametrize(
    ("years", "new_product", "state"),
    [
        ("10", False, MET),
        ("9.99", False, UNMET),
        ("5", True, MET),  # 新产品: 5 years suffice
        ("4.99", True, UNMET),
        ("9.99", None, UNKNOWN),
        ("10", None, MET),
    ],
)
def test_sc23_1_field_years(years, new_product, state):
    """SC23-1: 10 years in the field, or 5 years for a new product."""
    changes = {"field_years": d(years), "new_product": new_product}
    assert state_of("SC23-1", changes) == state


@pytest.mark.parametrize(
    ("y1", "y2", "y3", "little_giant", "state"),
    [
        ("40000", "40000", "40000", False, MET),
        ("50000", "40000", "30000", False, MET),  # mean exactly 40000
        ("50000", "40000", "29999.99", False, UNMET),
        ("39999.99", "40000", "40000", True, UNMET),  # 小巨人 is priority only, no exemption
    ],
)
def test_sc23_2_three_year_mean_main_revenue(y1, y2, y3, little_giant, state):
    """SC23-2: 近3年平均主营业务收入 ≥ 4亿元; a 小巨人 title does not lower it."""
    changes = {
        "main_revenue_y1": d(y1),
        "main_revenue_y2": d(y2),
        "main_revenue_y3": d(y3),
        "holds_little_giant": little_giant,
    }
    assert state_of("SC23-2", changes) == state


@pytest.mark.parametrize(("rank", "state"), [(1, MET), (3, MET), (4, UNMET), (None, UNKNOWN)])
def test_sc23_3_global_rank(rank, state):
    """SC23-3: 全球市场占有率 top 3."""
    assert state_of("SC23-3", {"market_rank_global": rank}) == state


@pytest.mark.parametrize("criterion", ["SC23-4", "SC23-5", "SC23-6", "SC23-7", "SC23-8", "SC23-9"])
def test_qualitative_standards_are_manual_until_confirmed(criterion):
    """SC23-4…9 are manual; confirming one unmet makes the applicant not qualified."""
    assert state_of(criterion, {}, confirmed=False) == MANUAL
    ev = run(RB, confirmations=confirm(criterion, state=CriterionState.UNMET))
    assert ev.criterion(criterion).state == UNMET
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_large_enterprise_qualifies():
    """单项冠军 has no SME size test: a large enterprise meeting every gate qualifies."""
    ev = run(RB)
    assert ev.size_class == "large"
    assert ev.verdict == Verdict.QUALIFIED


def test_pending_until_every_judgement_is_confirmed():
    """With one standard still unconfirmed the verdict is pending."""
    items = [c for c in JUDGEMENT_ITEMS[RB] if c != "SC23-7"]
    ev = run(RB, confirmed=False, confirmations=confirm(*items))
    assert ev.verdict == Verdict.PENDING
    assert any(reason.startswith("SC23-7") for reason in ev.verdict_reasons)


def test_numeric_gate_failure_is_not_qualified_with_open_items():
    """A failed numeric gate decides not_qualified even though manual items are open."""
    ev = run(RB, {"market_rank_global": 5}, confirmed=False)
    assert ev.verdict == Verdict.NOT_QUALIFIED


def test_no_points():
    """单项冠军 has no published score."""
    ev = run(RB)
    assert (ev.score, ev.score_min, ev.score_max) == (None, None, None)


@pytest.mark.parametrize("key", sorted(BASES["single-champion-2023"]))
@pytest.mark.parametrize("confirmed", [True, False])
def test_forgetting_a_field_never_flips_a_decided_item(key, confirmed):
    """Unknown is never false or 0: without any one field, decided items and verdict hold."""
    check_forgetting_is_monotone(RB, base(RB), key, confirmed=confirmed)
