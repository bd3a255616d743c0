"""Number formats that show a cell smaller than it is stored: the 万元 display trick."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zjtx.intake.sheet_data import SheetData

_QUOTED = re.compile(r'"([^"]*)"')
_ESCAPED = re.compile(r"\\(.)")
_BRACKETS = re.compile(r"\[[^\]]*\]")  # colours, conditions, locales: [Red] [>=100] [$-804]
_LITERAL_DOT = re.compile(r"(?:!|\\)\.([0#?]*)")
_TRAILING_COMMAS = re.compile(r"[0#?](,+)[^0#?]*$")
_NOT_A_PLAIN_NUMBER = re.compile(r"[%yYmMdDhHsSeEbBgG@/]")


@dataclass(frozen=True, slots=True)
class Scale:
    """A format that divides a number by 10**power for display, with the text it shows after
    it (万元, 万, 千元, or none) and the format as written."""

    power: int
    unit: str
    code: str


def format_scale(code: str) -> Scale | None:
    """The Scale of a number format that shows a number smaller than stored — ``0!.0000"万元"``
    (a literal point four digits in: 1500000 shows as 150.0000万元), ``#,##0,`` (thousands),
    ``0.00,,"百万"`` — or None for any other (plain, percent, date, text, scientific)."""
    positive = code.split(";")[0]
    literal = "".join(_QUOTED.findall(positive))
    body = _QUOTED.sub("", _BRACKETS.sub("", positive))
    if _NOT_A_PLAIN_NUMBER.search(_ESCAPED.sub("", body)):
        return None
    power = 0
    dot = _LITERAL_DOT.search(body)
    if dot is not None:
        power += len(dot.group(1))
        body = body[: dot.start()] + body[dot.end() :]
    commas = _TRAILING_COMMAS.search(body)
    if commas is not None:
        power += 3 * len(commas.group(1))
    if not power:
        return None
    literal += "".join(ch for ch in _ESCAPED.findall(body) if ch != ".")
    return Scale(power, literal.strip(), code)


def scaled_text(value: float | int, scale: Scale) -> str:
    """What the cell shows, exactly (never rounded to the format's places), with its unit."""
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    shown = number.scaleb(-scale.power)
    text = format(shown.normalize(), "f") if shown else "0"
    return text + scale.unit


def apply_scales(data: SheetData) -> None:
    """Put in each scaled number cell the text it shows (read then with its unit, as a typed
    "150万元" is), and keep the first of each column for the column's note."""
    rows = data.rows
    for (r, c), scale in sorted(data.scaled_cells.items()):
        if r >= len(rows) or c >= len(rows[r]):
            continue
        value: Any = rows[r][c]
        if value.__class__ is not float and value.__class__ is not int:
            continue
        text = scaled_text(value, scale)
        rows[r][c] = text
        data.scaled_cols.setdefault(c, (scale.code, f"{value:,.15g}", text, scale.unit))
