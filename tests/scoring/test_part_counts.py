"""A count of part of another (Ⅰ类高价值, 自主研发, 已应用 of the Ⅰ类 items) bounded by it."""

from __future__ import annotations

from datetime import date

from tests.scoring.applicants import base
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import CriterionState, Verdict
from zjtx.scoring import score_applicant
from zjtx.scoring.catalogue import load_catalogue

MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN


def _score(tier: str, rulebook: str, **values):
    applicant = dict(base(rulebook))
    for key in ("ip1_high_value", "ip1_self_developed", "ip1_applied"):
        applicant.pop(key, None)
    applicant.update(values)
    return score_applicant(Applicant(values=applicant), round_date=date(2026, 6, 20), tier=tier)


def test_the_catalogue_says_which_counts_are_parts_of_the_first_class_count():
    """ip1_high_value, ip1_self_developed and ip1_applied are parts of ip1_total."""
    catalogue = load_catalogue()
    parts = {spec.key for spec in catalogue if spec.part_of == "ip1_total"}
    assert parts == {"ip1_high_value", "ip1_self_developed", "ip1_applied"}


def test_no_first_class_items_decide_the_ip_bands_without_the_high_value_count():
    """0 Ⅰ类 items and no 高价值 count given: IN22-S1 is the Ⅱ类 band (5 points), decided, not
    5–20 (which left the applicant 待定 at 55 points)."""
    ev = _score("innovative-sme", "innovative-sme-2022", ip1_total=0, ip2_total=1,
                high_tech_enterprise=False, rd_institution_level="none")  # fmt: skip
    item = ev.criterion("IN22-S1")
    assert (item.state, item.points, item.points_min, item.points_max) == (MET, 5, 5, 5)
    assert "ip1_high_value" not in item.missing
    assert ev.score_min == ev.score_max


def test_an_unknown_part_is_decided_only_where_its_whole_settles_it():
    """LG26-4 (4 项 已应用): 2 Ⅰ类 items settle it unmet, said with the bound; 5 leave it open
    and ask for the 已应用 count."""
    few = _score("little-giant", "little-giant-2026", ip1_total=2).criterion("LG26-4")
    assert few.state == UNMET and not few.missing
    assert (
        "已实际应用并产生经济效益的Ⅰ类知识产权 未知（不超过与主导产品相关的Ⅰ类知识产权 2 项）"
        in (few.observed)
    )
    many = _score("little-giant", "little-giant-2026", ip1_total=5).criterion("LG26-4")
    assert many.state == UNKNOWN and "ip1_applied" in many.missing


def test_a_given_part_is_read_as_given():
    """With the 高价值 count given, the bound plays no part."""
    ev = _score("innovative-sme", "innovative-sme-2022", ip1_total=3, ip1_high_value=1)
    assert ev.criterion("IN22-S1").points == 20
    assert ev.verdict == Verdict.QUALIFIED
