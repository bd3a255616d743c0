"""The bundled Noto Sans SC font: file paths, character coverage, reportlab registration."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zjtx.paths import resource_path

FONT_NAME = "NotoSansSC"
BOLD_FONT_NAME = "NotoSansSC-Bold"
FONT_FAMILY = "Noto Sans SC"

# Characters that are layout, not glyphs: never reported as missing.
_LAYOUT_CHARACTERS = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\ufeff")


def font_path() -> Path:
    """Path of the regular font (covers GBK: every character of names and figures)."""
    return resource_path("fonts", "NotoSansSC-Regular.ttf")


def bold_font_path() -> Path:
    """Path of the bold font (GB2312 subset; headings and fixed labels only)."""
    return resource_path("fonts", "NotoSansSC-Bold.ttf")


@cache
def _cmap(path: str) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(path).charToGlyph)


@cache
def covered_codepoints(bold: bool = False) -> frozenset[int]:
    """Code points the bundled regular (or bold) font has a glyph for."""
    return _cmap(str(bold_font_path() if bold else font_path()))


def font_covers(text: str, *, bold: bool = False) -> bool:
    """Whether the font has a glyph for every character of ``text`` (layout characters aside)."""
    if covered_codepoints(bold).issuperset(map(ord, text)):  # fast path, loops in C
        return True
    return not missing_characters(text, bold=bold)


def missing_characters(text: str, *, bold: bool = False) -> tuple[str, ...]:
    """Distinct characters of ``text`` the font cannot show, in order of first appearance."""
    covered = covered_codepoints(bold)
    seen: dict[str, None] = {}
    for char in text:
        if char in _LAYOUT_CHARACTERS or ord(char) in covered:
            continue
        seen.setdefault(char, None)
    return tuple(seen)


def describe_characters(chars: tuple[str, ...] | list[str]) -> str:
    """Chinese listing such as ``𠀀（U+20000）、𪚥（U+2A6A5）``."""
    return "、".join(f"{c}（U+{ord(c):04X}）" for c in chars)


def printable(text: str) -> str:
    """Text with every character the font lacks replaced by its code, e.g. ``〔U+2A6A5〕``.

    A missing glyph prints as an empty box that nobody can read back; the code can be looked
    up and written in by hand.
    """
    if font_covers(text):
        return text
    missing = missing_characters(text)
    for char in missing:
        text = text.replace(char, f"〔U+{ord(char):04X}〕")
    return text


_registered = False


def register_reportlab_fonts() -> tuple[str, str]:
    """Register the bundled fonts with reportlab once per process; return (regular, bold) names.

    reportlab embeds a per-document subset of a registered TrueType font, so every PDF shows
    Chinese on a machine without Chinese fonts.
    """
    global _registered
    if not _registered:
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
        pdfmetrics.registerFont(TTFont(BOLD_FONT_NAME, str(bold_font_path())))
        addMapping(FONT_NAME, 0, 0, FONT_NAME)
        addMapping(FONT_NAME, 1, 0, BOLD_FONT_NAME)
        addMapping(FONT_NAME, 0, 1, FONT_NAME)
        addMapping(FONT_NAME, 1, 1, BOLD_FONT_NAME)
        _registered = True
    return FONT_NAME, BOLD_FONT_NAME
