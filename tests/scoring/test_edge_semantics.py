"""Edge semantics found by the boundary tests: exact means, overlay fields, confirmations."""

import json

import pytest

from tests.scoring.applicants import (
    JUDGEMENT_ITEMS,
    applicants_json,
    base,
    confirm,
    d,
    run,
    run_cli,
)
from zjtx.domain.results import CriterionState

# Main revenue y3/y2/y1 whose two growth rates are repeating decimals that average to exactly
# 5 % (13.33… % and −3.33… %) or exactly 4 % (13.33… % and −5.33… %).
EXACT_MEAN_5 = {"main_revenue_y3": d(450), "main_revenue_y2": d(435), "main_revenue_y1": d(493)}
EXACT_MEAN_4 = {"main_revenue_y3": d(1125), "main_revenue_y2": d(1065), "main_revenue_y1": d(1207)}


def test_lg22_1c_mean_growth_of_exactly_five_percent_is_met():
    """LG22-1c: (493/435 − 1 + 435/450 − 1)/2 is exactly 5 %, which 不低于5% must accept."""
    item = run("little-giant-2022", EXACT_MEAN_5).criterion("LG22-1c")
    assert item.state == CriterionState.MET


@pytest.mark.parametrize(("changes", "points"), [(EXACT_MEAN_4, 4)])
def test_sr22_s2_mean_growth_of_exactly_four_percent_takes_the_higher_band(changes, points):
    """SR22-S2: a mean of exactly 4 % (repeating-decimal rates) scores the 4-6 % band."""
    assert run("srdi-sme-2022", changes).criterion("SR22-S2").points == points


RB = "srdi-sme-2022"
# criteria.md §10: an overlay's own fields (sd_*) join the catalogue while it is selected.
SHANDONG_EXAMPLE = {
    "sd_key_industry": "B",
    "sd_innovation_items": 1,
    "market_share_domestic": d(4),
    "market_rank_domestic": 8,
    "sd_market_rank_province": 2,
    "sd_listing_stage": "none",
}


def test_cli_scores_with_the_shandong_overlay(tmp_path):
    """`zjtx score --overlay shandong-2022 --json` reports the Shandong items and 79 points."""
    values = {**base(RB), **SHANDONG_EXAMPLE, "local_feature_score": None}
    path = tmp_path / "sd.json"
    path.write_text(applicants_json(values), encoding="utf-8")
    result = run_cli(
        "score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01",
        "--overlay", "shandong-2022", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [out] = json.loads(result.stdout)
    assert (out["rulebook"], out["overlay"], out["score"], out["verdict"]) == (
        RB,
        "shandong-2022",
        79,
        "qualified",
    )
    assert {c["id"] for c in out["criteria"]} >= {"SD-9", "SD-10", "SD-11", "SD-12"}


LARGE_BUT_OTHERWISE_PASSING = {
    "employees_y1": 1000,
    "revenue_y1": d(40000),
    "main_revenue_y1": d(38000),
    "rd_expense_y1": d(1200),
}


def test_confirming_the_lg26_0_group_question_does_not_make_a_large_enterprise_eligible():
    """LG26-0: confirming only the manual control/group test must not override a failed size."""
    ev = run("little-giant-2026", LARGE_BUT_OTHERWISE_PASSING)  # confirms LG26-0, LG26-5, LG26-6
    assert ev.size_class == "large"
    assert ev.criterion("LG26-0").state == CriterionState.UNMET
    assert ev.verdict != "qualified"


def test_confirming_the_lg22_x_group_question_does_not_readmit_a_champion():
    """LG22-X: a 单项冠军 stays excluded even when the control/group test is confirmed."""
    ev = run("little-giant-2022", {"holds_champion": True})  # confirms LG22-X among others
    assert ev.criterion("LG22-X").state == CriterionState.UNMET
    assert ev.verdict != "qualified"


def test_confirming_renown_does_not_lift_a_market_share_below_ten_percent():
    """LG22-3a: confirming 知名度 must not turn a 9.99 % share into a met criterion."""
    ev = run("little-giant-2022", {"market_share_domestic": d("9.99")})
    assert ev.criterion("LG22-3a").state == CriterionState.UNMET
    assert ev.verdict != "qualified"


def test_informational_bonus_item_is_not_listed_as_open():
    """SC23-B (加分项, kind info, never decides) must not appear among the pending reasons."""
    items = [c for c in JUDGEMENT_ITEMS["single-champion-2023"] if c != "SC23-7"]
    ev = run("single-champion-2023", confirmed=False, confirmations=confirm(*items))
    assert [r.split()[0] for r in ev.verdict_reasons] == ["SC23-7"]


@pytest.mark.parametrize(
    ("state", "said"), [(CriterionState.MET, "有"), (CriterionState.UNMET, "无")]
)
def test_an_informational_items_answer_reads_as_held_or_not(state, said):
    """SC23-B (加分项) confirmed reads 评审人确认：有 / 无 and the note 确认为“有/无”, not 符合 /
    不符合; a requirement confirmed in the same evaluation keeps 符合."""
    ev = run("single-champion-2023", confirmations=confirm("SC23-B", state=state))
    bonus = ev.criterion("SC23-B")
    assert bonus.observed == f"评审人确认：{said}"
    assert bonus.notes[-1] == f"评审人 张评审 确认为“{said}”：经核查材料属实"
    assert ev.criterion("SC23-9").observed == "评审人确认：符合"


def test_revenue_below_the_large_bound_makes_an_sme_whatever_the_staff_count():
    """IN22-0: 工业 with 8600万 (< 40000万) can never be large, so the SME test is met."""
    ev = run("innovative-sme-2022", {"employees_y1": None})
    assert ev.criterion("IN22-0").state == CriterionState.MET
    assert ev.verdict == "qualified"


def test_lg22_4g1_fails_in_every_revenue_band_even_with_revenue_unknown():
    """LG22-4G1: y2 R&D 1 % fails both ratio bands and equity 0 the <5000万 branch: unmet."""
    ev = run("little-giant-2022", {"revenue_y1": None, "rd_expense_y2": d(100)})
    assert ev.criterion("LG22-4G1").state == CriterionState.UNMET
    assert ev.criterion("LG22-4").state == CriterionState.UNMET
    assert ev.verdict == "not_qualified"


@pytest.mark.parametrize(
    ("rulebook_id", "criterion", "changes", "shown_as_threshold"),
    [
        ("srdi-sme-2022", "SR22-B2", {"rd_expense_y1": d("119.99"), "revenue_y1": d(4000)}, "3%"),
        (
            "little-giant-2022",
            "LG22-2c",
            {"total_liabilities_y1": d("700.01"), "total_assets_y1": d(1000)},
            "70%",
        ),
        (
            "little-giant-2026",
            "LG26-2c",
            {"revenue_y3": d(10000), "revenue_y1": d("11024.99"), "main_revenue_y1": d(11000)},
            "5%",
        ),
    ],
)
def test_gap_never_shows_an_unmet_value_equal_to_the_threshold(
    rulebook_id, criterion, changes, shown_as_threshold
):
    """An unmet 2.99975 % must not read “3%，要求不低于 3%，差 0 个百分点”: show enough digits."""
    item = run(rulebook_id, changes).criterion(criterion)
    assert item.state == CriterionState.UNMET
    assert "差 0 个百分点" not in item.gap
    assert "超出 0 个百分点" not in item.gap
    assert not item.gap.split("，")[0].endswith(" " + shown_as_threshold)


@pytest.mark.parametrize(
    ("rulebook_id", "criterion"), [("srdi-sme-2026", "SR26-6"), ("little-giant-2026", "LG26-7")]
)
def test_missing_platform_score_says_waiting_for_the_platform(rulebook_id, criterion):
    """criteria.md §11: a missing 发展评价得分 is unknown with the message “待平台评价”."""
    item = run(rulebook_id, {"platform_score": None}).criterion(criterion)
    assert item.state == CriterionState.UNKNOWN
    assert "待平台评价" in item.observed + "".join(item.notes)
