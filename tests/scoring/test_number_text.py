"""Numbers' display text: the fast paths against the former implementation, on random values."""

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from zjtx.scoring import quantities
from zjtx.scoring.quantities import (
    EXACT,
    MOST_PLACES,
    ONE,
    Exact,
    Number,
    display_places,
    entered_text,
    fixed_text,
    format_number,
    is_edge,
    round_half_up,
    rounded_text,
)

# --------------------------------------------------------------------------------------------
# The former implementation (before the numbers' text was made faster), kept as the reference.
# --------------------------------------------------------------------------------------------

_OLD_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, MOST_PLACES + 1)}


def old_round_half_up(value, places=2):
    return value.quantize(_OLD_QUANTA[places], rounding=ROUND_HALF_UP, context=EXACT)


def old_value(exact):
    if exact.den == ONE:
        return exact.num
    return EXACT.divide(exact.num, exact.den)


def old_to_decimal(exact, places=2):
    return old_round_half_up(old_value(exact), places)


def old_fixed_text(rounded):
    text = format(rounded, "f").rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def old_display_places(value, edges):
    places = 2
    while places < MOST_PLACES:
        number = isinstance(value, Number)
        rounded = old_to_decimal(value, places) if number else old_round_half_up(value, places)
        if rounded not in edges:
            break
        if (value.compare(rounded) == 0) if number else rounded == value:
            break
        places += 1
    return places


def old_format_number(value, places=2):
    cls = value.__class__
    if cls is Exact:
        if value.den == ONE:
            value = value.num
        else:
            value = EXACT.divide(value.num, value.den)
            if value and places > 0:
                return old_fixed_text(value.quantize(_OLD_QUANTA[places], ROUND_HALF_UP, EXACT))
    elif cls is int:
        return str(value)
    elif cls is not Decimal:
        if isinstance(value, Exact):
            value = old_value(value)
        elif isinstance(value, Number):
            value = value.to_decimal(places)
        if isinstance(value, int):
            return str(value)
    text = str(value)
    dot = text.find(".")
    if "E" in text:
        text = format(value, "f")
        dot = text.find(".")
    if dot < 0:
        return text
    if len(text) - dot - 1 > places:
        text = format(old_round_half_up(value, places), "f")
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --------------------------------------------------------------------------------------------
# Random values: ties, signs, zeros, magnitudes, exponents, padding zeros.
# --------------------------------------------------------------------------------------------

SPECIAL = [
    "0",
    "-0",
    "0.00",
    "-0.000",
    "0E-12",
    "-0E+3",
    "1E+3",
    "-1E+3",
    "1E-7",
    "0.000001",
    "-0.0000005",
    "100.00",
    "100",
    "-100.0",
    "99.995",
    "99.994999",
    "-99.995",
    "0.005",
    "-0.005",
    "0.0049999999",
    "2.675",
    "1.0000000000005",
    "123456789012345678901234567890.125",
    "5E+20",
    "1.5E-12",
    "3",
    "4.998",
    "5.0000",
]


def random_decimal(rng: random.Random) -> Decimal:
    roll = rng.random()
    if roll < 0.1:
        return Decimal(rng.choice(SPECIAL))
    if roll < 0.4:
        # A tie at some place: digits, then a 5 exactly where the rounding looks.
        places = rng.randint(0, MOST_PLACES)
        digits = rng.randint(0, 10**6)
        text = f"{digits}5E-{places + 1}"
        value = Decimal(text)
    else:
        coefficient = rng.randint(0, 10 ** rng.randint(1, 30))
        value = Decimal(coefficient).scaleb(rng.randint(-25, 8))
    return -value if rng.random() < 0.4 else value


def random_fraction(rng: random.Random) -> Exact:
    den = rng.choice(
        [
            ONE,
            Decimal(3),
            Decimal(7),
            Decimal(8),
            Decimal("2.5"),
            Decimal("0.04"),
            Decimal("12345.67"),
            Decimal(rng.randint(1, 10**9)).scaleb(-rng.randint(0, 4)),
        ]
    )
    if rng.random() < 0.4:
        # num / den lands exactly on a tie at some place (x.xx5)
        places = rng.randint(0, MOST_PLACES)
        tie = Decimal(f"{rng.randint(0, 10**5)}5E-{places + 1}")
        num = EXACT.multiply(tie, den)
    else:
        num = random_decimal(rng)
    if rng.random() < 0.4:
        num = -num
    return Exact(num, den)


CASES = 6000


def test_format_number_matches_the_former_implementation() -> None:
    rng = random.Random(20261206)
    for _ in range(CASES):
        value = random_decimal(rng) if rng.random() < 0.6 else random_fraction(rng)
        for places in range(1, MOST_PLACES + 1):
            assert format_number(value, places) == old_format_number(value, places), (
                value,
                places,
            )
        integer = rng.randint(-(10**12), 10**12)
        assert format_number(integer) == old_format_number(integer)


def test_whole_places_round_correctly() -> None:
    # The former text at 0 places stripped a whole number's zeros (99.7 read "1"): no caller
    # asks for 0 places, and the new text is the rounded number.
    assert old_format_number(Decimal("99.7"), 0) == "1"
    assert format_number(Decimal("99.7"), 0) == "100"
    assert format_number(Exact(Decimal(997), Decimal(10)), 0) == "100"
    assert format_number(Decimal("-0.4"), 0) == "0"
    assert format_number(Decimal("2.5"), 0) == "3"
    assert format_number(Decimal("-2.5"), 0) == "-3"
    assert format_number(Decimal("1E+3"), 0) == "1000"


def test_rounding_helpers_match_the_former_implementation() -> None:
    rng = random.Random(7)
    for _ in range(CASES):
        value = random_decimal(rng)
        fraction = random_fraction(rng)
        for places in range(0, MOST_PLACES + 1):
            rounded = round_half_up(value, places)
            assert rounded == old_round_half_up(value, places)
            assert str(rounded) == str(old_round_half_up(value, places))
            decimal = fraction.to_decimal(places)
            assert str(decimal) == str(old_to_decimal(fraction, places)), (fraction, places)
            if places:
                assert fixed_text(rounded) == old_fixed_text(rounded)
                if not (value.is_zero() and value.is_signed()):
                    # a gap's difference or amount: what format_number shows
                    assert rounded_text(abs(value), places) == old_format_number(abs(value), places)
                    assert rounded_text(abs(old_value(fraction)), places) == old_format_number(
                        abs(old_value(fraction)), places
                    )


def test_display_places_match_the_former_implementation() -> None:
    rng = random.Random(11)
    for _ in range(CASES // 2):
        value = random_decimal(rng) if rng.random() < 0.5 else random_fraction(rng)
        exact = old_value(value) if isinstance(value, Exact) else value
        # Edges a value rounds to at a few places, and the value itself: where more places
        # are asked for, and where it is exactly a threshold.
        edges = {old_round_half_up(exact, p) for p in rng.sample(range(2, MOST_PLACES + 1), 3)}
        edges |= {Decimal(5), Decimal(rng.randint(-3, 3))}
        if rng.random() < 0.2:
            edges.add(exact)
        edges = frozenset(edges)
        assert display_places(value, edges) == old_display_places(value, edges), (value, edges)


def test_a_figure_as_entered_reads_as_format_number_shows_it() -> None:
    """entered_text gives a Decimal of at most two places exactly the text format_number
    gives at the places display_places asks for (whatever the thresholds), and no text for
    any other Decimal (more places, or an exponent)."""
    rng = random.Random(13)
    given = 0
    for _ in range(CASES):
        value = random_decimal(rng)
        if rng.random() < 0.5:
            value = old_round_half_up(value, rng.randint(0, 2))  # as entered, 0–2 places
        edges = frozenset({value, Decimal(5), old_round_half_up(value, 2)})
        text = entered_text(value)
        exponent = value.as_tuple().exponent
        if "E" in str(value) or exponent < -2:
            assert text is None, value
            continue
        given += 1
        assert text == format_number(value, display_places(value, edges)), value
        assert text == old_format_number(value, 2), value
    assert given > CASES // 3


def test_is_edge_is_membership() -> None:
    rng = random.Random(5)
    edges = frozenset(
        [Decimal(0), Decimal(5), Decimal("2.5"), Decimal("0.1"), Decimal("1E+3"), Decimal(-3)]
    )
    values = [Decimal(v) for v in ("-0.00", "0E-9", "5.00", "2.50", "0.10", "1000.0", "-3.000")]
    values += [Decimal("0.1000000000000000055511151231257827"), Decimal("2.5000000001")]
    values += [round_half_up(random_decimal(rng), rng.randint(0, MOST_PLACES)) for _ in range(3000)]
    for value in values:
        assert is_edge(value, edges) == (value in edges), value
        assert not is_edge(value, frozenset())


def test_the_comparison_catches_a_wrong_rounding(monkeypatch: pytest.MonkeyPatch) -> None:
    # Half-even instead of half-up: the random ties above must tell the difference.
    from decimal import ROUND_HALF_EVEN

    monkeypatch.setattr(quantities, "ROUND_HALF_UP", ROUND_HALF_EVEN)
    rng = random.Random(20261206)
    differs = 0
    for _ in range(500):
        value = random_decimal(rng) if rng.random() < 0.6 else random_fraction(rng)
        differs += format_number(value, 2) != old_format_number(value, 2)
    assert differs
