"""The field catalogue answers which series a field belongs to and which years it has."""

from __future__ import annotations

from zjtx.scoring import load_catalogue

CATALOGUE = load_catalogue()


def test_series_base_of_a_year_field_and_of_the_series_name():
    """revenue_y1 and revenue both name the revenue series; a field without years names none."""
    assert CATALOGUE.series_base("revenue_y1") == "revenue"
    assert CATALOGUE.series_base("revenue") == "revenue"
    assert CATALOGUE.series_base("name") is None
    assert CATALOGUE.series_base("no_such_field") is None


def test_series_years_are_calendar_years_newest_first():
    """In a 2026 round the revenue series has 2025, 2024 and 2023; a plain field has none."""
    years = CATALOGUE.series_years("revenue", 2026)
    offsets = sorted(s.year for s in CATALOGUE if s.base == "revenue" and s.year is not None)
    assert years == [2026 - y for y in offsets]
    assert years[0] == 2025 and years == sorted(years, reverse=True)
    assert CATALOGUE.series_years("name", 2026) == []
