"""How far an open criterion could reach (the outcome, only the score, nothing), on real
srdi-sme-2022 evaluations: SR22-B4 is met by a score of 60 or by one of four routes."""

from __future__ import annotations

import pytest

from tests.scoring.applicants import run
from zjtx.export.correction_scope import OutcomeLinks, Reach, reach_of
from zjtx.scoring import load_rulebook

# 特色化 (SR22-S9, 0–15) left out and the rest lowered: 60–75, so 符合条件 whatever S9 gives.
LOW = {"local_feature_score": None, "digital_level": 1, "iso9001": False, "own_brand": False,
       "lead_product_field": "other"}  # fmt: skip
# Lower still (no standards, a thin profit): 52–67, across the pass line; no route is met.
ACROSS = {**LOW, "standards_participation": False, "net_profit_y1": 1}


@pytest.fixture(scope="module")
def links():
    return OutcomeLinks.of(load_rulebook("srdi-sme-2022"))


def _reaches(changes, links) -> dict[str, Reach]:
    result = run("srdi-sme-2022", changes, confirmed=False).to_dict()
    reach = reach_of(result, links)
    return {c["id"]: reach(c) for c in result["criteria"] if c["state"] in ("unknown", "manual")}


def test_a_score_across_the_pass_line_with_no_route_met_turns_on_the_open_item(links):
    """52–67 and every route failed: 特色化 may carry SR22-B4, and the verdict, either way."""
    assert _reaches(ACROSS, links) == {"SR22-B4": Reach.OUTCOME, "SR22-S9": Reach.OUTCOME}


def test_a_score_already_over_the_line_reaches_only_the_score(links):
    """60–75 while 待定 on a missing 经营异常 answer: 特色化 moves the score, not the verdict."""
    changes = {**LOW, "abnormal_operation": None}
    assert _reaches(changes, links) == {"SR22-0": Reach.OUTCOME, "SR22-S9": Reach.SCORE}


def test_a_route_met_leaves_the_score_only_the_score(links):
    """52–67, but 股权融资 9000 万元 (SR22-D3) meets SR22-B4: the score no longer decides it."""
    changes = {**ACROSS, "equity_financing_2y": 9000, "abnormal_operation": None}
    assert _reaches(changes, links) == {"SR22-0": Reach.OUTCOME, "SR22-S9": Reach.SCORE}


def test_a_failed_applicant_is_reached_by_nothing_and_without_a_rulebook_all_counts(links):
    """不符合条件 (经营异常名录): nothing open counts. Without the rulebook at hand, a 待定
    applicant's score item counts (nothing shows the verdict does not read the score)."""
    assert _reaches({**LOW, "abnormal_operation": True}, links) == {"SR22-S9": Reach.NONE}
    assert _reaches({**LOW, "abnormal_operation": None}, None)["SR22-S9"] is Reach.OUTCOME
