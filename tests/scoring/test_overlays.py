"""Provincial overlays of srdi-sme-2022: Shandong 特色化, Guangdong 70-point line, Jiangsu title."""

import json
from datetime import date

import pytest
from hypothesis import given, settings

from tests.scoring.applicants import (
    applicants_json,
    base,
    check_score_invariants,
    d,
    run,
    run_cli,
    varied_applicants,
)
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import CriterionState, Verdict
from zjtx.scoring import (
    DataFileError,
    NoRulebookError,
    UnknownNameError,
    load_overlay,
    load_rulebook,
    score_applicant,
)

RB = "srdi-sme-2022"
MET, UNMET, UNKNOWN = CriterionState.MET, CriterionState.UNMET, CriterionState.UNKNOWN

# §16 illustration: SD-9 B 3 + SD-10 one item 2 + SD-11 全国前十 3 + SD-12 none 0 = 8.
SHANDONG_EXAMPLE = {
    "sd_key_industry": "B",
    "sd_innovation_items": 1,
    "market_share_domestic": d(4),
    "market_rank_domestic": 8,
    "sd_market_rank_province": 2,
    "sd_listing_stage": "none",
}
SD_KEYS = tuple(SHANDONG_EXAMPLE)


def shandong(changes: dict) -> object:
    return run(RB, {**SHANDONG_EXAMPLE, **changes}, overlay="shandong-2022")


def test_shandong_worked_example_scores_79():
    """criteria.md §16: 71 + Shandong 3 + 2 + 3 + 0 = 79, pass."""
    ev = shandong({"local_feature_score": None})
    points = [ev.criterion(c).points for c in ("SD-9", "SD-10", "SD-11", "SD-12")]
    assert points == [3, 2, 3, 0]
    assert (ev.score, ev.score_min, ev.score_max) == (79, 79, 79)
    assert ev.overlay == "shandong-2022"
    assert ev.verdict == Verdict.QUALIFIED


def test_shandong_replaces_s9_and_ignores_local_feature_score():
    """With the overlay SR22-S9 is gone and local_feature_score no longer counts."""
    ev = shandong({"local_feature_score": d(15)})
    with pytest.raises(KeyError):
        ev.criterion("SR22-S9")
    assert ev.score == 79
    assert {g.id: g.max_points for g in ev.groups}["feature"] == 15


@pytest.mark.parametrize(("value", "points"), [("A", 4), ("B", 3), ("C", 2), ("D", 1), ("none", 0)])
def test_sd9_key_industry(value, points):
    """SD-9 本省重点产业领域: A 4, B 3, C 2, D 1."""
    assert shandong({"sd_key_industry": value}).criterion("SD-9").points == points


@pytest.mark.parametrize(("items", "points"), [(0, 0), (1, 2), (2, 4), (3, 4), (6, 4)])
def test_sd10_two_points_per_item_capped_at_four(items, points):
    """SD-10 创新生产经营情况: 2 per item, at most 4."""
    assert shandong({"sd_innovation_items": items}).criterion("SD-10").points == points


@pytest.mark.parametrize(
    ("share", "rank", "province", "points"),
    [
        ("10.01", 11, 11, 4),
        ("10", 11, 11, 0),  # 超过10% excludes 10
        ("10", 3, 0, 4),  # 全国前三
        ("5", 4, 0, 3),  # 全国前十
        ("5", 10, 0, 3),
        ("5", 11, 3, 3),  # 本省前三
        ("5", 11, 4, 2),  # 本省前十
        ("5", 11, 10, 2),
        ("5", 11, 11, 0),
        ("5", 0, 0, 0),  # 0 = not ranked
    ],
)
def test_sd11_market_position(share, rank, province, points):
    """SD-11: share over 10 % or 全国前三 4; 全国前十 or 本省前三 3; 本省前十 2."""
    changes = {
        "market_share_domestic": d(share),
        "market_rank_domestic": rank,
        "sd_market_rank_province": province,
    }
    assert shandong(changes).criterion("SD-11").points == points


@pytest.mark.parametrize(("stage", "points"), [("listed", 3), ("regional", 2), ("none", 0)])
def test_sd12_listing(stage, points):
    """SD-12 上市进展: listed or 新三板 3 (lower band 2, UNVERIFIED)."""
    assert shandong({"sd_listing_stage": stage}).criterion("SD-12").points == points


def test_shandong_unknown_items_give_the_full_interval():
    """All four Shandong items unknown: score 71, interval [71, 86]."""
    ev = shandong(dict.fromkeys(SD_KEYS))
    assert (ev.score, ev.score_min, ev.score_max) == (71, 71, 86)
    assert all(ev.criterion(c).state == UNKNOWN for c in ("SD-9", "SD-10", "SD-11", "SD-12"))


def test_shandong_cannot_extend_the_2026_rulebook():
    """An overlay of srdi-sme-2022 is rejected for srdi-sme-2026."""
    with pytest.raises(DataFileError):
        load_rulebook("srdi-sme-2026", "shandong-2022")


def test_unknown_overlay_suggests_the_closest():
    """A misspelt overlay id names the closest one."""
    with pytest.raises(UnknownNameError) as err:
        load_overlay("shandong-2021")
    assert err.value.suggestion == "shandong-2022"


# 60 points before S9 (worked example without 研发机构 −8 and with 六基 → other −3).
AT_SIXTY = {"rd_institution_level": "none", "lead_product_field": "other"}


@pytest.mark.parametrize(
    ("feature", "national", "guangdong"),
    [
        ("10", Verdict.QUALIFIED, Verdict.QUALIFIED),  # 70
        ("9", Verdict.QUALIFIED, Verdict.NOT_QUALIFIED),  # 69
        ("0", Verdict.QUALIFIED, Verdict.NOT_QUALIFIED),  # 60
        (None, Verdict.QUALIFIED, Verdict.PENDING),  # [60, 75]
    ],
)
def test_guangdong_pass_line_70(feature, national, guangdong):
    """Guangdong's 70-point line: 70 passes, 69 fails; S9 unknown [60, 75] is pending."""
    # Guangdong also requires the 创新型 title (GD-P), held here.
    changes = {
        **AT_SIXTY,
        "holds_innovative": True,
        "local_feature_score": d(feature) if feature else None,
    }
    assert run(RB, changes).verdict == national
    ev = run(RB, changes, overlay="guangdong-2024")
    assert ev.pass_line == 70
    assert ev.verdict == guangdong


def test_guangdong_direct_route_still_replaces_the_score():
    """Under Guangdong a 直通 route still qualifies a 60-point applicant."""
    changes = {
        **AT_SIXTY,
        "holds_innovative": True,
        "local_feature_score": d(0),
        "maker_china": "top500",
    }
    assert run(RB, changes, overlay="guangdong-2024").verdict == Verdict.QUALIFIED


@pytest.mark.parametrize(
    ("round_date", "allowed"),
    [
        (date(2023, 12, 31), False),
        (date(2024, 1, 1), True),
        (date(2026, 3, 31), True),
        (date(2026, 4, 1), False),  # abolished with the 2号 standard
    ],
)
def test_guangdong_date_range(round_date, allowed):
    """guangdong-2024 applies to srdi-sme rounds from 2024-01-01 to 2026-03-31 only."""
    applicant = Applicant(values=base(RB))
    if allowed:
        ev = score_applicant(
            applicant, round_date=round_date, tier="srdi-sme", overlay="guangdong-2024"
        )
        assert (ev.rulebook, ev.overlay, ev.pass_line) == (RB, "guangdong-2024", 70)
    else:
        with pytest.raises(NoRulebookError):
            score_applicant(
                applicant, round_date=round_date, tier="srdi-sme", overlay="guangdong-2024"
            )


@pytest.mark.parametrize(
    ("title", "state", "verdict"),
    [
        (True, MET, Verdict.QUALIFIED),
        (False, UNMET, Verdict.NOT_QUALIFIED),
        (None, UNKNOWN, Verdict.PENDING),
    ],
)
def test_jiangsu_prerequisite(title, state, verdict):
    """Jiangsu requires a 创新型 title (JS-P) on top of the national conditions."""
    ev = run(RB, {"holds_innovative": title}, overlay="jiangsu-2022")
    assert ev.criterion("JS-P").state == state
    assert ev.verdict == verdict


def test_without_jiangsu_no_title_is_needed():
    """The national srdi-sme-2022 has no 创新型 prerequisite."""
    assert run(RB, {"holds_innovative": False}).verdict == Verdict.QUALIFIED


def test_cli_scores_with_the_guangdong_overlay(tmp_path):
    """`zjtx score --overlay guangdong-2024 --json`: 69 points fail the 70-point line."""
    values = {**base(RB), **AT_SIXTY, "local_feature_score": d(9)}
    path = tmp_path / "gd.json"
    path.write_text(applicants_json(values), encoding="utf-8")
    result = run_cli(
        "score", str(path), "--tier", "srdi-sme", "--date", "2026-03-31",
        "--overlay", "guangdong-2024", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [out] = json.loads(result.stdout)
    assert (out["rulebook"], out["overlay"], out["pass_line"]) == (RB, "guangdong-2024", 70)
    assert (out["score"], out["verdict"]) == (69, "not_qualified")


def test_cli_rejects_a_misspelt_overlay(tmp_path):
    """An unknown overlay exits 2 with a “您是不是要写” suggestion."""
    path = tmp_path / "a.json"
    path.write_text("[]", encoding="utf-8")
    result = run_cli(
        "score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01",
        "--overlay", "guangdong-2042",
    )  # fmt: skip
    assert result.returncode == 2
    assert "您是不是要写" in result.stderr
    assert "guangdong-2024" in result.stderr


def test_province_field_never_selects_an_overlay():
    """An applicant in 山东 without --overlay is scored nationally (SR22-S9 from the field)."""
    ev = run(RB, {"province": "山东省", **SHANDONG_EXAMPLE})
    assert ev.overlay is None
    assert ev.criterion("SR22-S9").points == 9
    with pytest.raises(KeyError):
        ev.criterion("SD-9")


@settings(max_examples=100, deadline=None)
@given(values=varied_applicants(RB, SHANDONG_EXAMPLE))
def test_shandong_score_is_the_sum_of_points_within_the_interval(values):
    """Property: with the Shandong overlay score = Σ points and lies in [score_min, score_max]."""
    check_score_invariants(run(RB, values=values, overlay="shandong-2022"))
