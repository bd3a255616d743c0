"""Stored text made safe for documents: control characters shown by code, long texts cut."""

from __future__ import annotations

import re

# C0 controls except tab and line breaks, DEL, C1 controls, and the bidirectional overrides
# that reorder what a reader sees. Stored text may hold them (intake now refuses them; older
# rounds and JSON files may not): a workbook cannot store them at all and a reader cannot see
# them, so they are printed as their code, like a glyph the font lacks.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ELLIPSIS = "…"


def _code(match: re.Match[str]) -> str:
    return f"〔U+{ord(match.group()):04X}〕"


def visible_controls(text: str) -> str:
    """``text`` with every control character replaced by its code, e.g. ``〔U+001B〕``."""
    return CONTROL_CHARACTERS.sub(_code, text)


def cut(text: str, limit: int, note: str = "") -> str:
    """``text`` if it has at most ``limit`` characters, else its start, an ellipsis and
    ``note`` (which says where the full text is)."""
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + ELLIPSIS + note
