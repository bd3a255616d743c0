"""Number formats that show a cell smaller than it is stored: the 万元 display trick."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zjtx.domain.issues import Severity
from zjtx.intake.sheet_data import SheetData
from zjtx.intake.values import MONEY_UNITS

_QUOTED = re.compile(r'"([^"]*)"')
_ESCAPED = re.compile(r"\\(.)")
_BRACKETS = re.compile(r"\[[^\]]*\]")  # colours, conditions, locales: [Red] [>=100] [$-804]
_LITERAL_DOT = re.compile(r"(?:!|\\)\.([0#?]*)")
_REAL_DOT = re.compile(r"(?<![!\\])\.")
_TRAILING_COMMAS = re.compile(r"[0#?](,+)[^0#?]*$")
_NOT_A_PLAIN_NUMBER = re.compile(r"[%yYmMdDhHsSeEbBgG@/]")
# The units a scaled display may name, as the amount readers take them: each money unit, and
# one written without its 元 (千 for 千元). A format naming any other (K, 百万 美元) is not
# taken as scaled: its stored number is read, as before.
SHOWN_UNITS = {"": ""} | {
    shown: unit
    for unit in MONEY_UNITS
    for shown in (unit, unit.removesuffix("元"))
    if shown and (shown == unit or shown not in MONEY_UNITS)
}


@dataclass(frozen=True, slots=True)
class Scale:
    """A format that divides a number by 10**power for display, with the unit it shows after
    it (万元, 千元, or none) and the format as written."""

    power: int
    unit: str
    code: str


@dataclass(frozen=True, slots=True)
class Scaled:
    """One cell read as it shows: its format, the number stored and the text shown."""

    scale: Scale
    stored: str
    shown: str


def format_scale(code: str) -> Scale | None:
    """The Scale of a number format that shows a number smaller than stored — ``0!.0000"万元"``
    (a literal point four digits in: 1500000 shows as 150.0000万元), ``#,##0,`` (thousands),
    ``0.00,,"百万"`` — or None for any other (plain, percent, date, text, scientific, or one
    naming a unit not in SHOWN_UNITS). Only the first (positive) section is read."""
    positive = code.split(";")[0]
    literal = "".join(_QUOTED.findall(positive))
    body = _QUOTED.sub("", _BRACKETS.sub("", positive))
    if _NOT_A_PLAIN_NUMBER.search(_ESCAPED.sub("", body)):
        return None
    power = 0
    dot = _LITERAL_DOT.search(body)
    real = _REAL_DOT.search(body)
    if dot is not None and (real is None or real.start() > dot.start()):
        power += len(dot.group(1))
        body = body[: dot.start()] + body[dot.end() :]
    commas = _TRAILING_COMMAS.search(body)
    if commas is not None:
        power += 3 * len(commas.group(1))
    literal += "".join(ch for ch in _ESCAPED.findall(body) if ch != ".")
    unit = SHOWN_UNITS.get(literal.strip(" ()（）"))
    if not power or unit is None:
        return None
    return Scale(power, unit, code)


# A cell style's number format that matters to reading: PERCENT, or the Scale it shows by.
PERCENT = "percent"
NumberStyles = dict[int, Scale | str]
_LITERALS = re.compile(r'"[^"]*"|\\.')  # quoted text and escaped characters


def number_style(code: str) -> Scale | str | None:
    """PERCENT for a format showing a percent, the Scale of one showing a number smaller than
    stored, None for any other."""
    if "%" in _LITERALS.sub("", code):
        return PERCENT
    return format_scale(code)


def note_style(data: SheetData, cell: tuple[int, int], style: Scale | str) -> None:
    """Record a number cell's style as the sheet's fact: a percent cell or a scaled one."""
    if style == PERCENT:
        data.percent_cells.add(cell)
    else:
        data.scaled_cells[cell] = style


def scaled_text(value: float | int, scale: Scale) -> str:
    """What the cell shows, exactly (never rounded to the format's places), with its unit."""
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    shown = number.scaleb(-scale.power)
    text = format(shown.normalize(), "f") if shown else "0"
    return text + scale.unit


def apply_scales(data: SheetData) -> None:
    """Put in each scaled number cell the text it shows (read then with its unit, as a typed
    "150万元" is); ``data.scaled_cells`` keeps only the cells so read, as Scaled."""
    rows = data.rows
    found = data.scaled_cells
    data.scaled_cells = {}
    for (r, c), scale in sorted(found.items()):
        if r >= len(rows) or c >= len(rows[r]):
            continue
        value: Any = rows[r][c]
        if value.__class__ is not float and value.__class__ is not int:
            continue  # text typed into a scaled cell is read as typed
        text = scaled_text(value, scale)
        rows[r][c] = text
        data.scaled_cells[(r, c)] = Scaled(scale, f"{value:,.15g}", text)


def column_examples(data: SheetData) -> dict[int, Scaled]:
    """One scaled cell per column for its note: one whose format names no unit when there is
    such a cell (the case to check), else the first."""
    examples: dict[int, Scaled] = {}
    for (_r, c), scaled in sorted(data.scaled_cells.items()):
        if c not in examples or (examples[c].scale.unit and not scaled.scale.unit):
            examples[c] = scaled
    return examples


def scaled_note(place: str, scaled: Scaled) -> tuple[Severity, str]:
    """The note of a column or cell read as its format shows it: a format naming its unit
    (万元) says what the figures are; one naming none (#,##0,) leaves the unit to be checked."""
    said = (
        f"{place}的数字格式“{scaled.scale.code}”把存储的数值缩小显示（如 {scaled.stored} 显示为 "
        f"{scaled.shown}）"
    )
    if scaled.scale.unit:
        return Severity.INFO, f"{said}：已按显示的数值和单位读取"
    return Severity.WARNING, f"{said}：已按显示的数值读取，请核对单位是否指显示的数值"
