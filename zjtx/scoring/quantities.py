"""Exact quantities: field values and derived ratios, growth, averages, sums and compound growth.

Amounts arrive as Decimal. Derived values are kept as exact rationals (Fraction) so that a ratio
of exactly 3 % compares equal to 3 %, and 1/3 is never rounded before a comparison. Compound
growth ``(a/b)^(1/n) - 1`` is irrational in general; it is compared without a root
(``a/b >= (1 + t)^n``). Decimals are produced only for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

HUNDRED = Fraction(100)


class Number:
    """A known numeric value that can be compared exactly with a rational threshold."""

    __slots__ = ()

    def compare(self, threshold: Fraction) -> int:  # pragma: no cover - interface
        """-1, 0 or 1 as the value is below, equal to or above the threshold."""
        raise NotImplementedError

    def to_decimal(self, places: int = 2) -> Decimal:  # pragma: no cover - interface
        raise NotImplementedError


class Exact(Number):
    """A rational value (every field value, ratio, growth rate, mean and sum)."""

    __slots__ = ("value",)

    def __init__(self, value: Fraction) -> None:
        self.value = value

    def compare(self, threshold: Fraction) -> int:
        value = self.value
        return (value > threshold) - (value < threshold)

    def to_decimal(self, places: int = 2) -> Decimal:
        return fraction_to_decimal(self.value, places)

    def __repr__(self) -> str:
        return f"Exact({self.value})"


class CompoundGrowth(Number):
    """``100 * ((last/first)^(1/years) - 1)`` in percent, compared through ``last/first``."""

    __slots__ = ("quotient", "years")

    def __init__(self, quotient: Fraction, years: int) -> None:
        self.quotient = quotient  # last / first, >= 0
        self.years = years

    def compare(self, threshold: Fraction) -> int:
        base = 1 + threshold / HUNDRED
        if base < 0:
            return 1
        target = base**self.years
        return (self.quotient > target) - (self.quotient < target)

    def to_decimal(self, places: int = 2) -> Decimal:
        with localcontext() as ctx:
            ctx.prec = 40
            q = Decimal(self.quotient.numerator) / Decimal(self.quotient.denominator)
            root = q.sqrt() if self.years == 2 else q ** (Decimal(1) / Decimal(self.years))
            value = (root - 1) * 100
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def required_last(self, first: Fraction, threshold: Fraction) -> Fraction:
        """The ``last`` value that reaches the threshold for a given ``first``."""
        return first * (1 + threshold / HUNDRED) ** self.years


def to_fraction(value: object) -> Fraction:
    """Exact rational for an int or Decimal field value (bool is rejected by the caller)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(*value.as_integer_ratio())
    raise TypeError(f"not a number: {value!r}")


def fraction_to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """Round a rational half-up to a fixed number of places, for display only."""
    scale = 10**places
    scaled = value * scale
    # Half-up on the absolute value, so -2.345 shows as -2.35 like Excel does.
    magnitude = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    result = Decimal(magnitude if scaled >= 0 else -magnitude).scaleb(-places)
    return result


def format_number(value: Number | Fraction | Decimal | int, places: int = 2) -> str:
    """Display text: whole numbers without decimals, others rounded to ``places`` digits."""
    if isinstance(value, Number):
        if isinstance(value, Exact) and value.value.denominator == 1:
            return str(value.value.numerator)
        dec = value.to_decimal(places)
    elif isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        dec = fraction_to_decimal(value, places)
    elif isinstance(value, int):
        return str(value)
    else:
        if value == value.to_integral_value():
            return str(int(value))
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent <= places:
            return str(value)
        dec = fraction_to_decimal(to_fraction(value), places)
    text = str(dec)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True, slots=True)
class ExactCompare:
    """Comparison operators over exact values, with the Chinese words of the criteria."""

    op: str
    word: str

    def holds(self, cmp: int) -> bool:
        return {
            "ge": cmp >= 0,
            "gt": cmp > 0,
            "le": cmp <= 0,
            "lt": cmp < 0,
            "eq": cmp == 0,
        }[self.op]


COMPARISONS = {
    "ge": ExactCompare("ge", "不低于"),
    "gt": ExactCompare("gt", "超过"),
    "le": ExactCompare("le", "不超过"),
    "lt": ExactCompare("lt", "低于"),
    "eq": ExactCompare("eq", "等于"),
}
