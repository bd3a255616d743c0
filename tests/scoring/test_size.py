"""SME size classes under 300号 (criteria.md §13): every industry row and band edge, sectors."""

from decimal import Decimal

import pytest

from tests.scoring.applicants import RULEBOOK_IDS, WORKED_EXAMPLE, d, run
from zjtx.domain.results import CriterionState, Verdict
from zjtx.scoring.size import classify_size

X, Y, Z = "employees_y1", "revenue_y1", "total_assets_y1"

# criteria.md §13, transcribed: indicators, then lower bounds of 大型 (the “SME if” numbers),
# 中型 and 小型.
ROWS = {
    "agriculture": ((Y,), (20000,), (500,), (50,)),
    "industry": ((X, Y), (1000, 40000), (300, 2000), (20, 300)),
    "construction": ((Y, Z), (80000, 80000), (6000, 5000), (300, 300)),
    "wholesale": ((X, Y), (200, 40000), (20, 5000), (5, 1000)),
    "retail": ((X, Y), (300, 20000), (50, 500), (10, 100)),
    "transport": ((X, Y), (1000, 30000), (300, 3000), (20, 200)),
    "warehousing": ((X, Y), (200, 30000), (100, 1000), (20, 100)),
    "postal": ((X, Y), (1000, 30000), (300, 2000), (20, 100)),
    "lodging": ((X, Y), (300, 10000), (100, 2000), (10, 100)),
    "catering": ((X, Y), (300, 10000), (100, 2000), (10, 100)),
    "telecom": ((X, Y), (2000, 100000), (100, 1000), (10, 100)),
    "software": ((X, Y), (300, 10000), (100, 1000), (10, 50)),
    "real_estate": ((Y, Z), (200000, 10000), (1000, 5000), (100, 2000)),
    "property_mgmt": ((X, Y), (1000, 5000), (300, 1000), (100, 500)),
    "leasing_business": ((X, Z), (300, 120000), (100, 8000), (10, 100)),
    "other": ((X,), (300,), (100,), (10,)),
}
TABLE = {
    sector: {
        band: dict(zip(keys, bounds, strict=True))
        for band, bounds in zip(("large", "medium", "small"), rest, strict=True)
    }
    for sector, (keys, *rest) in ROWS.items()
}
LOWER = {"large": "medium", "medium": "small", "small": "micro"}


def typed(key: str, value: Decimal | int) -> Decimal | int:
    """Staff counts are ints, money is Decimal."""
    return int(value) if key == X else Decimal(value)


def one_below(key: str, value: int) -> Decimal | int:
    """The next value below a bound: one person, or 0.01万元 (100 元)."""
    return value - 1 if key == X else Decimal(value) - Decimal("0.01")


def size_of(sector: str, figures: dict) -> str:
    return classify_size({"size_sector": sector, **figures}).size_class


AT_BOUNDS = [(s, band) for s, row in TABLE.items() for band in row]
BELOW_ONE = [(s, band, key) for s, row in TABLE.items() for band in row for key in row[band]]


@pytest.mark.parametrize(("sector", "band"), AT_BOUNDS)
def test_exactly_at_every_lower_bound_is_that_band(sector, band):
    """Meeting every lower bound of a band exactly (及以上 is inclusive) gives that band."""
    bounds = TABLE[sector][band]
    assert size_of(sector, {k: typed(k, v) for k, v in bounds.items()}) == band


@pytest.mark.parametrize(("sector", "band", "key"), BELOW_ONE)
def test_one_below_any_single_bound_drops_a_band(sector, band, key):
    """One unit below any one bound (the others met) falls to the next band: AND, not OR."""
    bounds = TABLE[sector][band]
    figures = {k: typed(k, v) for k, v in bounds.items()}
    figures[key] = one_below(key, bounds[key])
    assert size_of(sector, figures) == LOWER[band]


@pytest.mark.parametrize("sector", [s for s, row in TABLE.items() if len(row["large"]) == 2])
def test_one_large_figure_alone_is_not_large(sector):
    """A huge value of one indicator with the other below the large bound is not large."""
    large = TABLE[sector]["large"]
    medium = TABLE[sector]["medium"]
    first, second = large
    figures = {first: typed(first, large[first] * 10), second: typed(second, medium[second])}
    assert size_of(sector, figures) == "medium"


def test_industry_example_from_the_standard():
    """工业, 180 staff and 8600万: 180 < 300 fails 中型, so 小型 (criteria.md §13, §16)."""
    result = classify_size(WORKED_EXAMPLE)
    assert result.size_class == "small"
    assert "180" in result.explanation


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({X: 500}, "unknown"),  # could be medium or small: revenue decides
        ({X: 2000}, "unknown"),  # could be large or medium
        ({Y: Decimal(100)}, "micro"),  # below the small bound already: micro needs only one
        ({X: 5}, "micro"),
        ({}, "unknown"),
    ],
)
def test_missing_figures(figures, expected):
    """A missing figure leaves the size unknown unless a known one already decides it."""
    assert size_of("industry", figures) == expected


def test_missing_sector_is_unknown():
    """Without size_sector or industry_code the size is unknown."""
    assert classify_size({X: 100, Y: Decimal(5000)}).size_class == "unknown"


CODES = [
    ("A0111", "agriculture"),
    ("B0610", "industry"),
    ("C3562", "industry"),
    ("3562", "industry"),  # division without the section letter
    ("D4411", "industry"),
    ("E4710", "construction"),
    ("F5110", "wholesale"),
    ("F5211", "retail"),
    ("G5310", "other"),  # 铁路运输 is excluded from 交通运输业
    ("G5411", "transport"),
    ("G5810", "transport"),
    ("G5910", "warehousing"),
    ("G6010", "postal"),
    ("H6110", "lodging"),
    ("H6210", "catering"),
    ("I6311", "telecom"),
    ("I6410", "telecom"),
    ("I6510", "software"),
    ("6510", "software"),
    ("c3562", "industry"),  # lower case
    (" I 6510 ", "software"),  # stray spaces
    ("J6610", None),  # 金融业: not covered by 300号 (issue 13 §2)
    ("K7010", "real_estate"),
    ("K7020", "property_mgmt"),
    ("K7030", "other"),
    ("L7111", "leasing_business"),
    ("M7310", "other"),
    ("O8010", "other"),
]


@pytest.mark.parametrize(("code", "sector"), CODES)
def test_sector_from_industry_code(code, sector):
    """size_sector follows the GB/T 4754-2017 code when not given (criteria.md §13)."""
    result = classify_size({"industry_code": code, X: 50, Y: Decimal(500), Z: Decimal(500)})
    assert result.sector == sector
    assert result.sector_source == "industry_code"


def test_given_sector_wins_over_the_code():
    """An explicit size_sector is used even when the industry code points elsewhere."""
    result = classify_size(
        {"size_sector": "software", "industry_code": "C3562", X: 150, Y: d(1500)}
    )
    assert (result.sector, result.size_class) == ("software", "medium")  # 工业 would be small


def test_code_derived_sector_decides_the_size_class():
    """A 批发业 code (F5110) classifies 25 staff and 6000万 as medium, not by 工业 bounds."""
    ev = run("srdi-sme-2022", {"size_sector": None, "industry_code": "F5110", X: 25, Y: d(6000)})
    assert ev.size_class == "medium"


ELIGIBILITY = {
    "innovative-sme-2022": "IN22-0",
    "srdi-sme-2022": "SR22-0",
    "little-giant-2022": "LG22-0",
    "srdi-sme-2026": "SR26-0",
    "little-giant-2026": "LG26-0",
    "tech-sme-2017": "TS17-0",
}
LARGE = {"size_sector": "industry", X: 1000, Y: d(40000)}
LARGEST_MEDIUM = {"size_sector": "industry", X: 999, Y: d("39999.99")}


@pytest.mark.parametrize("rulebook_id", RULEBOOK_IDS)
def test_large_enterprise_fails_every_tier_but_single_champion(rulebook_id):
    """A large enterprise is not qualified for any tier except 单项冠军."""
    ev = run(rulebook_id, LARGE, confirmed=rulebook_id == "single-champion-2023")
    assert ev.size_class == "large"
    if rulebook_id == "single-champion-2023":
        assert ev.verdict == Verdict.QUALIFIED
    else:
        assert ev.criterion(ELIGIBILITY[rulebook_id]).state == CriterionState.UNMET
        assert ev.verdict == Verdict.NOT_QUALIFIED


@pytest.mark.parametrize("rulebook_id", [r for r in ELIGIBILITY if r != "tech-sme-2017"])
def test_medium_enterprise_is_eligible(rulebook_id):
    """999 staff and 39999.99万 is 中型: the size part of eligibility is met."""
    ev = run(rulebook_id, LARGEST_MEDIUM)
    assert ev.size_class == "medium"
    assert ev.criterion(ELIGIBILITY[rulebook_id]).state == CriterionState.MET


def test_unknown_size_leaves_eligibility_unknown():
    """With 1200 staff and revenue unknown the firm may be large: eligibility stays open."""
    ev = run("srdi-sme-2022", {"revenue_y1": None, "employees_y1": 1200})
    assert ev.size_class == "unknown"
    assert ev.criterion("SR22-0").state == CriterionState.UNKNOWN
    assert ev.verdict == Verdict.PENDING


def test_size_open_between_sme_bands_still_decides_eligibility():
    """With 500 staff and revenue unknown the firm cannot be large: it is an SME (met)."""
    ev = run("srdi-sme-2022", {"revenue_y1": None, "employees_y1": 500})
    assert ev.size_class == "unknown"
    assert ev.criterion("SR22-0").state == CriterionState.MET
