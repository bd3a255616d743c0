"""Exact quantities: field values and derived ratios, growth, averages, sums and compound growth.

All arithmetic is decimal.Decimal in a 60-digit context (EXACT). Amounts carry at most a few
dozen significant digits, so sums, products and quotients that terminate are exact, and a
non-terminating quotient (1/3) differs from any threshold with few digits by far more than
10^-50: a comparison can never be flipped by rounding, and a ratio that is exactly 3 % in decimal
compares equal to 3 %. Compound growth ``(a/b)^(1/n) - 1`` is compared without a root
(``a/b >= (1 + t)^n``). Rounding happens only for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

EXACT = Context(prec=60)
HUNDRED = Decimal(100)
ONE = Decimal(1)
ZERO = Decimal(0)
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 7)}


class Number:
    """A known numeric value that can be compared exactly with a decimal threshold."""

    __slots__ = ()

    def compare(self, threshold: Decimal) -> int:  # pragma: no cover - interface
        """-1, 0 or 1 as the value is below, equal to or above the threshold."""
        raise NotImplementedError

    def to_decimal(self, places: int = 2) -> Decimal:  # pragma: no cover - interface
        raise NotImplementedError


class Exact(Number):
    """A decimal value (every field value, ratio, growth rate, mean and sum)."""

    __slots__ = ("value",)

    def __init__(self, value: Decimal) -> None:
        self.value = value

    def compare(self, threshold: Decimal) -> int:
        value = self.value
        return (value > threshold) - (value < threshold)

    def to_decimal(self, places: int = 2) -> Decimal:
        return round_half_up(self.value, places)

    def __repr__(self) -> str:
        return f"Exact({self.value})"


class CompoundGrowth(Number):
    """``100 * ((last/first)^(1/years) - 1)`` in percent, compared through ``last/first``."""

    __slots__ = ("quotient", "years")

    def __init__(self, quotient: Decimal, years: int) -> None:
        self.quotient = quotient  # last / first, >= 0
        self.years = years

    def compare(self, threshold: Decimal) -> int:
        base = EXACT.add(ONE, EXACT.divide(threshold, HUNDRED))
        if base < 0:
            return 1
        target = EXACT.power(base, self.years)
        return (self.quotient > target) - (self.quotient < target)

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
    return value.quantize(_QUANTA[places], rounding=ROUND_HALF_UP, context=EXACT)


def ceil_div(a: Decimal, b: Decimal) -> int:
    return math.ceil(EXACT.divide(a, b))


def format_number(value: Number | Decimal | int, places: int = 2) -> str:
    """Display text: whole numbers without decimals, others rounded to ``places`` digits."""
    if isinstance(value, Exact):
        value = value.value
    elif isinstance(value, Number):
        value = value.to_decimal(places)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    dot = text.find(".")
    if dot < 0:
        return text
    if len(text) - dot - 1 > places:
        text = format(round_half_up(value, places), "f")
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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
