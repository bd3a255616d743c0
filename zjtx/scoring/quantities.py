"""Exact quantities: field values and derived ratios, growth, averages, sums and compound growth.

All arithmetic is decimal.Decimal. A derived value is kept as an exact fraction of two decimals
(numerator / denominator, denominator > 0) built only with + and ×, which are exact in the
100-digit context EXACT for amounts of a few dozen digits; it is compared with a threshold by
cross-multiplication (``n / d >= t`` ⇔ ``n >= t·d``), so no quotient is ever rounded before a
comparison: a ratio of exactly 3 %, or a mean of two repeating growth rates of exactly 5 %,
compares equal to its threshold. Compound growth ``(a/b)^(1/n) - 1`` is compared without a
root (``a >= (1 + t)^n · b``). Rounding happens only for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction

EXACT = Context(prec=100)
# The same precision, but a result that would be rounded raises Inexact instead.
_EXACT_OR_RAISE = Context(prec=100, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
HUNDRED = Decimal(100)
ONE = Decimal(1)
ZERO = Decimal(0)
# The most places a figure is ever shown with (a value a hair from a threshold, a tiny gap).
MOST_PLACES = 10
QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, MOST_PLACES + 1)}


class Number:
    """A known numeric value that can be compared exactly with a decimal threshold."""

    __slots__ = ()

    def compare(self, threshold: Decimal) -> int:  # pragma: no cover - interface
        """-1, 0 or 1 as the value is below, equal to or above the threshold."""
        raise NotImplementedError

    def to_decimal(self, places: int = 2) -> Decimal:  # pragma: no cover - interface
        raise NotImplementedError


class Exact(Number):
    """An exact value ``num / den`` (den > 0): every field value, ratio, growth, mean and sum."""

    __slots__ = ("den", "num")

    def __init__(self, num: Decimal, den: Decimal = ONE) -> None:
        self.num = num
        self.den = den

    @property
    def value(self) -> Decimal:
        """The value as one Decimal (a rounded quotient when the fraction does not terminate)."""
        if self.den == ONE:
            return self.num
        return EXACT.divide(self.num, self.den)

    def compare(self, threshold: Decimal) -> int:
        num = self.num
        if self.den == ONE:
            return (num > threshold) - (num < threshold)
        try:
            scaled = _EXACT_OR_RAISE.multiply(threshold, self.den)
        except Inexact:
            # Beyond 100 digits the product would round: compare as exact rationals instead.
            value, limit = Fraction(num) / Fraction(self.den), Fraction(threshold)
            return (value > limit) - (value < limit)
        return (num > scaled) - (num < scaled)

    def difference(self, threshold: Decimal) -> Decimal:
        """|value − threshold| for display, from one division of exact terms."""
        delta = EXACT.subtract(EXACT.multiply(threshold, self.den), self.num)
        return abs(EXACT.divide(delta, self.den))

    def to_decimal(self, places: int = 2) -> Decimal:
        den = self.den
        value = self.num if den == ONE else EXACT.divide(self.num, den)
        return value.quantize(QUANTA[places], ROUND_HALF_UP, EXACT)

    def __repr__(self) -> str:
        return f"Exact({self.num}/{self.den})"


class CompoundGrowth(Number):
    """``100 * ((last/first)^(1/years) - 1)`` in percent, compared through ``last`` and ``first``."""

    __slots__ = ("first", "last", "years")

    def __init__(self, last: Decimal, first: Decimal, years: int) -> None:
        self.last = last  # >= 0
        self.first = first  # > 0
        self.years = years

    @property
    def quotient(self) -> Decimal:
        return EXACT.divide(self.last, self.first)

    def compare(self, threshold: Decimal) -> int:
        base = EXACT.add(ONE, EXACT.divide(threshold, HUNDRED))
        if base < 0:
            return 1
        target = EXACT.multiply(EXACT.power(base, self.years), self.first)
        return (self.last > target) - (self.last < target)

    def difference(self, threshold: Decimal) -> Decimal:
        return abs(EXACT.subtract(threshold, self.to_decimal(6)))

    def to_decimal(self, places: int = 2) -> Decimal:
        q = self.quotient
        root = EXACT.sqrt(q) if self.years == 2 else EXACT.power(q, EXACT.divide(ONE, self.years))
        return round_half_up(EXACT.multiply(EXACT.subtract(root, ONE), HUNDRED), places)

    def required_last(self, first: Decimal, threshold: Decimal) -> Decimal:
        """The ``last`` value that reaches the threshold for a given ``first``."""
        base = EXACT.add(ONE, EXACT.divide(threshold, HUNDRED))
        return EXACT.multiply(first, EXACT.power(base, self.years))


def to_number(value: object) -> Decimal:
    """Decimal for an int or Decimal field value (bool is rejected by the caller)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round half away from zero to a fixed number of places, for display only."""
    return value.quantize(QUANTA[places], ROUND_HALF_UP, EXACT)


def ceil_div(a: Decimal, b: Decimal) -> int:
    return math.ceil(EXACT.divide(a, b))


def fixed_text(rounded: Decimal) -> str:
    """A number already rounded for display, as text: padding zeros stripped, -0 read as 0."""
    text = str(rounded)
    if "E" in text:  # str writes tiny and huge values with an exponent
        text = format(rounded, "f")
    if text[-1] == "0" and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def rounded_text(value: Decimal, places: int) -> str:
    """format_number's text of a Decimal that is not -0 (a gap's difference or amount, never
    negative), rounded at once rather than after printing all its digits (often a hundred)."""
    return fixed_text(value.quantize(QUANTA[places], ROUND_HALF_UP, EXACT))


def entered_text(number: Decimal) -> str | None:
    """format_number's text, at two places or more as display_places asks, of a Decimal with
    at most two places (a figure as entered): the number itself, since no rounding can make
    it read as a threshold; None for another Decimal."""
    text = str(number)
    dot = text.find(".")
    if "E" in text or (dot >= 0 and len(text) - dot - 1 > 2):
        return None
    if dot >= 0 and text[-1] == "0":
        text = text.rstrip("0").rstrip(".")
        if text == "-0":
            return "0"
    return text


# The floats of each set of thresholds a value is shown beside (is_edge): one per quantity of
# a rulebook, and the few sets a gap adds its own threshold to.
_EDGE_FLOATS: dict[frozenset[Decimal], frozenset[float]] = {}


def is_edge(rounded: Decimal, edges: frozenset[Decimal]) -> bool:
    """``rounded in edges``, without hashing a new Decimal (dearer than the rest of the number's
    text) when it is not there: equal values convert to the same float."""
    floats = _EDGE_FLOATS.get(edges)
    if floats is None:
        floats = frozenset([float(edge) for edge in edges])
        if len(_EDGE_FLOATS) < 4096:
            _EDGE_FLOATS[edges] = floats
    return float(rounded) in floats and rounded in edges


def display_places(value: Number | Decimal, edges: frozenset[Decimal]) -> int:
    """Two places, or more (at most ten) while the value rounded to them equals a threshold
    it is not: what keeps 4.998 % from being shown as 5 % beside ≥5 %."""
    if value.__class__ is Exact and value.den == ONE:
        value = value.num  # the same roundings, compared without a fraction's products
    places = 2
    if isinstance(value, Number):
        while places < MOST_PLACES:
            rounded = value.to_decimal(places)
            if not is_edge(rounded, edges) or value.compare(rounded) == 0:
                break  # not a threshold, or exactly the threshold: shown as it is
            places += 1
        return places
    while places < MOST_PLACES:
        rounded = round_half_up(value, places)
        # A value with no more places than these is itself (no test of the thresholds).
        if rounded == value or not is_edge(rounded, edges):
            break
        places += 1
    return places


def places_shown(text: str) -> int:
    """How many places a number's text shows (0 for a whole number)."""
    dot = text.find(".")
    return 0 if dot < 0 else len(text) - dot - 1


def entered_places(value: Decimal) -> int:
    """The places a value was entered with, and at least two: the digits that show it as it is."""
    exponent = value.as_tuple().exponent
    return max(2, -exponent) if isinstance(exponent, int) else 2


def format_number(value: Number | Decimal | int, places: int = 2) -> str:
    """Display text: whole numbers without decimals, others rounded to ``places`` digits."""
    cls = value.__class__
    if cls is Decimal:
        number = value
    elif cls is int:
        return str(value)
    elif cls is Exact:
        den = value.den
        if den == ONE:
            number = value.num
        else:
            number = EXACT.divide(value.num, den)
            if number:
                # Round the quotient at once instead of printing its hundred digits first
                # (the same text: digits within ``places`` kept, padding zeros stripped).
                return fixed_text(number.quantize(QUANTA[places], ROUND_HALF_UP, EXACT))
    else:
        number = value
        if isinstance(value, Exact):
            number = value.value
        elif isinstance(value, Number):
            number = value.to_decimal(places)
        if isinstance(number, int):
            return str(number)
    text = str(number)
    if "E" in text:
        text = format(number, "f")
    dot = text.find(".")
    if dot < 0:
        return text  # a whole number as written (a whole -0 stays -0)
    if len(text) - dot - 1 > places:
        return fixed_text(number.quantize(QUANTA[places], ROUND_HALF_UP, EXACT))
    if text[-1] == "0":
        text = text.rstrip("0").rstrip(".")
        if text == "-0":
            return "0"
    return text


@dataclass(frozen=True, slots=True)
class ExactCompare:
    """Comparison operators over exact values, with the Chinese words of the criteria."""

    op: str
    word: str

    def holds(self, cmp: int) -> bool:
        op = self.op
        if op == "ge":
            return cmp >= 0
        if op == "gt":
            return cmp > 0
        if op == "le":
            return cmp <= 0
        if op == "lt":
            return cmp < 0
        return cmp == 0


COMPARISONS = {
    "ge": ExactCompare("ge", "不低于"),
    "gt": ExactCompare("gt", "超过"),
    "le": ExactCompare("le", "不超过"),
    "lt": ExactCompare("lt", "低于"),
    "eq": ExactCompare("eq", "等于"),
}
