"""Plain-text tables for the terminal that line up Chinese (double-width) characters."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any


def display_width(text: str) -> int:
    """Columns a string occupies in a terminal (wide and full-width characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A left-aligned table with a rule under the header."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(pad(c, w) for c, w in zip(cells[0], widths, strict=True)).rstrip()]
    # The last column is never padded: its rule stops at a readable length, not at its longest text.
    rules = [*widths[:-1], min(widths[-1], max(display_width(cells[0][-1]), 40))]
    lines.append("  ".join("─" * w for w in rules))
    for row in cells[1:]:
        lines.append("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_json(data: Any) -> str:
    """JSON for `--json` output: UTF-8 Chinese kept readable, Decimals as numbers."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
