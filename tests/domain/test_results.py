"""A result's JSON form: numbers and codes as the store and `zjtx score --json` write them."""

from __future__ import annotations

import json
from decimal import Decimal

from zjtx.domain import results
from zjtx.domain.results import CriterionKind, CriterionResult, CriterionState, PartResult


def _criterion(points: Decimal | None, low: Decimal | None = None) -> CriterionResult:
    return CriterionResult(
        id="X-1", title="标题", group=None, group_title=None, kind=CriterionKind.SCORE,
        state=CriterionState.MET, observed="观测", requirement="要求", clause="条款",
        source="来源", grade="A", points=points, points_min=low if low is not None else points,
        points_max=points, max_points=Decimal("10"),
        parts=(PartResult("部分", CriterionState.UNMET, "值", "差"),),
        computed_state=CriterionState.UNKNOWN,
    )  # fmt: skip


def test_points_are_whole_numbers_as_int_and_others_as_their_shortest_float():
    """However a Decimal is written (5, 5.0, 5.00), a whole number is an int; 7.50 is 7.5,
    and the same value written another way later reads the same."""
    for written in ("5", "5.0", "5.00", "5", "5.0"):
        data = _criterion(Decimal(written)).to_dict()
        assert data["points"] == 5 and type(data["points"]) is int
        assert data["max_points"] == 10 and type(data["max_points"]) is int
    for written in ("7.50", "7.5", "7.500"):
        assert json.dumps(_criterion(Decimal(written)).to_dict()["points"]) == "7.5"
    assert json.dumps(_criterion(Decimal("-0")).to_dict()["points"]) == "0"
    assert _criterion(None).to_dict()["points"] is None


def test_codes_and_labels_are_the_enums_own():
    """Kind, state, its label, a part's state and the computed state are written as codes."""
    data = _criterion(Decimal(3)).to_dict()
    assert (data["kind"], data["state"], data["state_label"]) == ("score", "met", "符合")
    assert data["parts"][0]["state"] == "unmet"
    assert data["computed_state"] == "unknown"
    assert json.loads(json.dumps(data)) == data


def test_the_number_cache_stops_growing_at_its_bound(monkeypatch):
    """Many distinct values (sums of points) never make the cache grow without end, and a
    value beyond its bound is still written right; a NaN is never kept."""
    monkeypatch.setattr(results, "_NUMBERS", {})
    assert json.dumps(_criterion(Decimal("NaN")).to_dict()["points"]) == "NaN"
    assert list(results._NUMBERS) == [Decimal(10)]  # the maximum, not the NaN
    for index in range(6000):
        _criterion(Decimal(index) / 4).to_dict()
    assert len(results._NUMBERS) == 4096
    assert Decimal(5999) / 4 not in results._NUMBERS
    assert _criterion(Decimal(5999) / 4).to_dict()["points"] == 1499.75
