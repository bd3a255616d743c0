"""Gaps: how far a value is from a requirement, in its unit and, where it says, in 万元."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zjtx.scoring.context import QuantityDef
from zjtx.scoring.quantities import (
    COMPARISONS,
    EXACT,
    HUNDRED,
    MOST_PLACES,
    CompoundGrowth,
    Number,
    display_places,
    format_number,
    places_shown,
    round_half_up,
    rounded_text,
    to_number,
)

HALF_CENT = Decimal("0.005")  # the least difference that rounds (half up) to 0.01
GapFn = Callable[[Any, str], "str | None"]  # (context, quantity name) -> gap text


def _number(
    ctx: Any, qdef: QuantityDef, number: Number | Decimal, threshold: Decimal
) -> tuple[str, int]:
    """The value in a gap's head with its unit, as the criterion's text shows it: with the
    digits that keep it from reading as a threshold it is not (this one above all); and the
    places it shows."""
    edges = ctx.edges.get(qdef.name) if ctx is not None else None
    if edges and threshold in edges:
        text = ctx.shown_number(qdef.name, number)
    else:
        text = format_number(number, display_places(number, (edges or frozenset()) | {threshold}))
    unit = qdef.unit
    shown = f"{text}%" if unit == "%" else f"{text} {unit}" if unit else text
    return shown, places_shown(text)


def difference_words(qdef: QuantityDef, op: str) -> tuple[str, str]:
    """What stands before and after a gap's difference, fixed by the rule: "，差 " or
    "，超出 ", and its unit (" 个百分点", " 万元", or nothing)."""
    verb = "，差 " if op in ("ge", "gt") else "，超出 "
    return verb, " 个百分点" if qdef.unit == "%" else f" {qdef.unit or ''}".rstrip()


def _with_difference(
    qdef: QuantityDef,
    op: str,
    threshold: Decimal,
    head: str,
    diff: Decimal,
    number: Number | Decimal,
    parts: tuple[Decimal, ...] | None,
    words: tuple[str, str] | None = None,
    shown_places: int = 2,
) -> str:
    """``head`` followed by how far the value is from the threshold, in its unit and, for
    ratios and growth (``number`` and its exact ``parts``), in 万元 (``words``: difference_words,
    where the caller bound them once). The difference shows at least the places the value
    does (``shown_places``): 10 − 9.9995 reads 0.0005, not 0.001."""
    if op == "gt" and diff == 0:
        return f"{head}（须严格超过）"
    diff_places = 2
    # A difference of at least 0.005 shows at two places (the usual case: no rounding to try).
    if diff < HALF_CENT:
        diff_places = _least_places(diff)
    if shown_places > diff_places:
        diff_places = shown_places
    verb, unit = words or difference_words(qdef, op)
    text = f"{head}{verb}{rounded_text(diff, diff_places)}{unit}"
    amount = _amount_gap(qdef, number, parts, threshold) if parts is not None else None
    if amount is not None:
        places = _least_places(amount) if amount < HALF_CENT else 2
        text += f"，约 {rounded_text(amount, places)} 万元"
    return text


def _least_places(amount: Decimal) -> int:
    """Two places, or as many more (at most ten) as a small non-zero amount needs not to
    read as 0 ("差 0 个百分点" of a value a hair short)."""
    places = 2
    while places < MOST_PLACES and amount != 0 and round_half_up(amount, places) == 0:
        places += 1
    return places


def _amount_gap(
    qdef: QuantityDef, number: Number | Decimal, parts: tuple[Decimal, ...], threshold: Decimal
) -> Decimal | None:
    """Amount (万元) by which the numerator must change, for ratios, growth and compound growth."""
    if qdef.kind == "ratio" and len(parts) == 2:
        num, den = parts
        if not _is_money(qdef.inputs[0]):
            return None
        return abs(threshold / HUNDRED * den - num)
    if qdef.kind == "growth" and len(parts) == 2:
        cur, prev = parts
        return abs((1 + threshold / HUNDRED) * prev - cur)
    if qdef.kind == "cagr" and len(parts) == 2 and isinstance(number, CompoundGrowth):
        last, first = parts
        return abs(number.required_last(first, threshold) - last)
    return None


def _is_money(name: str) -> bool:
    # Ratios of money (R&D intensity, debt ratio) translate into 万元; head counts do not.
    return not name.startswith(("rd_staff", "employees"))


# A threshold with its unit, as text: thresholds are the few numbers the rulebooks write.
# Keyed by the threshold's text, not its value: -0 and -0.0 are equal yet shown differently.
_SHOWN: dict[tuple[str | None, str], str] = {}


def _shown(qdef: QuantityDef, threshold: Decimal) -> str:
    key = (qdef.unit, str(threshold))
    text = _SHOWN.get(key)
    if text is None:
        text = qdef.show(threshold)
        if len(_SHOWN) < 4096:
            _SHOWN[key] = text
    return text


def gap_texter(qdef: QuantityDef, op: str, threshold: Decimal) -> GapFn:
    """The gap of one requirement as a function of the context and the quantity's name, e.g.
    ``研发费用占比 2.6%，要求不低于 3%，差 0.4 个百分点，约 41.6 万元`` (the value shown as the
    criterion shows it). Built once: the texts that depend only on the rule (label, the
    requirement's words, the unit) are bound, and a numeric field's gap is read straight from
    the applicant's value. Called for a known value only."""
    if qdef.kind == "alias":
        # The gap of the quantity the alias stands for in this round (its label, unit and
        # value): that quantity's own gap function, built once per target.
        by_target: dict[str, GapFn] = {}

        def alias_gap(ctx: Any, name: str) -> str | None:
            target = qdef
            defs = ctx.quantities.defs
            while target.kind == "alias":
                target = defs[ctx.alias_target(target)]
            gap = by_target.get(target.name)
            if gap is None:
                gap = by_target[target.name] = gap_texter(target, op, threshold)
            return gap(ctx, target.name)

        return alias_gap
    prefix = f"{qdef.label} "
    tail = f"，要求{COMPARISONS[op].word} {_shown(qdef, threshold)}"
    equal = op == "eq"
    words = difference_words(qdef, op)  # bound once, not per applicant

    def rest(
        head: str, diff: Decimal, number: Any, parts: tuple[Decimal, ...] | None, places: int
    ) -> str:
        return _with_difference(qdef, op, threshold, head, diff, number, parts, words, places)

    if qdef.kind == "field" and qdef.numeric_field:
        zero = qdef.zero_line

        def field_gap(ctx: Any, name: str) -> str | None:
            raw = ctx.values[name]
            if zero is not None and raw == 0:
                return zero
            number = raw if raw.__class__ is Decimal else to_number(raw)
            shown, places = _number(ctx, qdef, number, threshold)
            head = f"{prefix}{shown}{tail}"
            if equal:
                return head
            # Exact(number).difference(threshold): over a denominator of 1 its product and
            # quotient change nothing (the same digits and exponent), so one subtraction.
            return rest(head, abs(EXACT.subtract(threshold, number)), number, None, places)

        return field_gap

    # Only ratios and growth name an amount, from the operand's exact parts.
    amounts = qdef.kind in ("ratio", "growth", "cagr")

    def derived_gap(ctx: Any, name: str) -> str | None:
        number = ctx.value(name)
        if not isinstance(number, Number):
            return None
        shown, places = _number(ctx, qdef, number, threshold)
        head = f"{prefix}{shown}{tail}"
        if equal:
            return head
        # The exact parts alone (no QValue): what an amount is worked from.
        parts = ctx.parts(qdef) if amounts else None
        return rest(head, number.difference(threshold), number, parts, places)

    return derived_gap
