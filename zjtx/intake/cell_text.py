"""Cell text as intake reads and quotes it: control characters found, removed or made visible."""

from __future__ import annotations

import re
import unicodedata

# Characters no stored text may hold: C0 controls but tab, line feed and carriage return; DEL;
# C1 controls; the line and paragraph separators; bidirectional overrides, which reorder what
# follows them on screen; lone surrogates, which cannot be encoded; and the two non-characters
# XML forbids. They break exports (openpyxl refuses them, PostgreSQL refuses NUL) or move the
# terminal's cursor, and nobody types them on purpose.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
# Zero-width characters (space, non-joiner, joiner, word joiner, BOM): invisible, pasted in from
# web pages and chat apps, and not whitespace to str.split. Read as nothing (“是\u200b” is 是,
# “甲\u200b公司” is 甲公司), and shown as escapes where a message quotes the cell.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_NO_ZERO_WIDTH = str.maketrans(dict.fromkeys(ZERO_WIDTH))
_SHOWN_AS_ESCAPES = re.compile(f"{CONTROL_CHARACTERS.pattern[:-1]}{ZERO_WIDTH}]")
# A zero-width character as visible_controls shows it (in a cell's provenance text).
ZERO_WIDTH_SHOWN = re.compile("|".join(re.escape(f"\\u{ord(ch):04x}") for ch in ZERO_WIDTH))
SHOWN_LIMIT = 40  # characters of a cell quoted in a message
# Controls that separate lines or fields become a space when removed; the others just go.
_SEPARATOR_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")


def clean_text(text: str, *, code: bool = False) -> str:
    """The text without control characters (separators become spaces), whitespace collapsed;
    a code (统一社会信用代码, 行业代码) keeps no whitespace at all; zero-width characters go."""
    text = CONTROL_CHARACTERS.sub("", _SEPARATOR_CONTROLS.sub(" ", text))
    return ("" if code else " ").join(without_zero_width(text).split())


def without_zero_width(text: str) -> str:
    """The text without its zero-width characters."""
    return text if text.isprintable() else text.translate(_NO_ZERO_WIDTH)


def control_characters(text: str) -> list[str]:
    """The distinct control characters of a text, in order, as escapes (["\\x01", "\\x1b"])."""
    if text.isprintable():
        return []
    return list(dict.fromkeys(visible_controls(ch) for ch in CONTROL_CHARACTERS.findall(text)))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """The text with every control and zero-width character written as an escape such as
    \\x01 or \\u200b."""
    if text.isprintable():
        return text
    return _SHOWN_AS_ESCAPES.sub(_visible, text)


def shown_text(text: str, limit: int = SHOWN_LIMIT) -> str:
    """A cell's text as a message quotes it: controls made visible, long text cut with its
    length ("99999…（共 5000 个字符）")."""
    if len(text) > limit:
        return f"{visible_controls(text[:limit])}…（共 {len(text)} 个字符）"
    return visible_controls(text)


def normalise_text(text: str) -> str:
    """NFKC (full-width digits, brackets and signs to half-width) without any whitespace or
    zero-width character."""
    return "".join(without_zero_width(unicodedata.normalize("NFKC", text)).split())
