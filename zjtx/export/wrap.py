"""Fast line breaking of Chinese (and mixed Latin) text for table cells, by glyph widths."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics

# GB/T 15834 and reportlab's list: never at the start of a line.
CANNOT_START = frozenset(
    "，。、；：？！）》〉」』】〕…—～·’”%‰℃°′″,.;:?!)]}>"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々〻"
)
# Never at the end of a line (moved to the next one with what they open).
CANNOT_END = frozenset("（《〈「『【〔‘“([{<≥≤＞＜±")


def _is_word_char(char: str) -> bool:
    """Latin letters, digits and the marks inside numbers: kept together on one line."""
    return char.isascii() and (char.isalnum() or char in ".,%-_/+:@#&'")


@cache
def char_widths(font_name: str) -> tuple[dict[int, float], float]:
    """Advance widths (1/1000 em) of a registered TrueType font, and its default width."""
    face = pdfmetrics.getFont(font_name).face
    return face.charWidths, face.defaultWidth


def wrap_text(text: str, font_name: str, font_size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (explicit newlines kept).

    Chinese breaks between any two characters, except that closing punctuation never starts
    a line (the character before it moves down too: nothing hangs out of a table cell) and
    opening brackets never end one; runs of Latin letters and digits (numbers, codes, English
    words) are not split unless a run alone is wider than the line.
    """
    widths, default = char_widths(font_name)
    limit = width * 1000.0 / font_size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        used = 0.0
        index = 0
        length = len(paragraph)
        while index < length:
            char = paragraph[index]
            advance = widths.get(ord(char), default)
            if used + advance <= limit or index == start:
                used += advance
                index += 1
                continue
            # `char` does not fit: break before it, or earlier so that a number or word stays
            # whole and closing punctuation is carried down with the character before it.
            cut = index
            if _is_word_char(char) and _is_word_char(paragraph[index - 1]):
                back = index
                while back > start and _is_word_char(paragraph[back - 1]):
                    back -= 1
                if back > start:
                    cut = back
            while cut - 1 > start and paragraph[cut] in CANNOT_START:
                cut -= 1
            while cut - 1 > start and paragraph[cut - 1] in CANNOT_END:
                cut -= 1
            if cut >= length:
                break
            lines.append(paragraph[start:cut].rstrip(" "))
            start = cut
            while start < length and paragraph[start] == " ":
                start += 1
            index = start
            used = 0.0
        lines.append(paragraph[start:])
    return lines


def text_width(text: str, font_name: str, font_size: float) -> float:
    """Width in points of one line of text."""
    widths, default = char_widths(font_name)
    return sum(widths.get(ord(c), default) for c in text) * font_size / 1000.0
