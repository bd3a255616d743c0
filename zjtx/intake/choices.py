"""How applicants write a choice: levels and ranks in words, a row of boxes, institutions named."""

from __future__ import annotations

import re


def _numeral_words() -> dict[str, int]:
    """一 to 九十九 as written (十一, 二十, 三十五), and the Roman I to VI of levels."""
    digits = " 一二三四五六七八九"
    words = {}
    for n in range(1, 100):
        tens, ones = divmod(n, 10)
        written = (digits[tens] if tens > 1 else "") + ("十" if tens else "") + digits[ones]
        words[written.strip()] = n
    words |= {w: n for n, w in enumerate(("I", "II", "III", "IV", "V", "VI"), start=1)}
    return words


# A level or rank in words: 三级, 第二级, Ⅳ级 (NFKC writes Ⅳ as IV), 第三名, 十一名.
NUMERAL_WORDS = _numeral_words()
NUMERAL = re.compile(r"^第?([一二三四五六七八九十]{1,3}|I{1,3}|IV|VI?)(级|名|位)?$")


# A form's row of boxes: ☑新申报 □复核, 是√ 否. Marks that tick, marks that leave unticked;
# þ, ý and ¨ are Wingdings' ☑, ☒ and □ shown in an ordinary font once the font is lost.
_TICKED = "☑☒■√✓✔▣◼●◉þý"
_UNTICKED = "□☐○◯◻▢¨"
_BRACKETED_TICK = re.compile(r"[(（]\s*([☑☒■√✓✔])\s*[)）]")
_BRACKETED_EMPTY = re.compile(r"[(（]\s*[×xX]?\s*[)）]")
_BOX_TOKEN = re.compile(f"([{_TICKED}{_UNTICKED}])|([^{_TICKED}{_UNTICKED}\\s]+)")


def _marks_unbracketed(text: str) -> str:
    """是（√） 否（ ） as 是√ 否□: a mark in brackets after its word, an empty bracket a box."""
    text = _BRACKETED_TICK.sub(r"\1", text)
    return _BRACKETED_EMPTY.sub("□", text)


def ticked(value: str) -> list[str]:
    """The words ticked in a row of boxes, in order. A mark goes with the word it touches,
    else (spaced out) with the word on the side marks are written (before the words when the
    cell starts with a mark)."""
    tokens = list(_BOX_TOKEN.finditer(_marks_unbracketed(value)))
    before = bool(tokens) and tokens[0].group(1) is not None
    chosen: list[str] = []
    for i, mark in enumerate(tokens):
        if mark.group(1) is None or mark.group(1) not in _TICKED:
            continue
        left = tokens[i - 1] if i > 0 and tokens[i - 1].group(2) else None
        right = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].group(2) else None
        touching = [
            word
            for word in (left, right)
            if word is not None and (word.end() == mark.start() or word.start() == mark.end())
        ]
        word = touching[0] if len(touching) == 1 else (right if before else left)
        if word is not None and word.group(2) not in chosen:
            chosen.append(word.group(2))
    return chosen


def is_boxes(text: str) -> bool:
    """Whether a cell is a row of boxes: a mark and a word."""
    tokens = _BOX_TOKEN.findall(_marks_unbracketed(text))
    return any(mark for mark, _ in tokens) and any(word for _, word in tokens)


# 研发机构级别 written as the institutions themselves (省级工程技术研究中心, 市级…、省级…): each
# names its level first; the field is the highest (national first).
_INSTITUTION = re.compile(
    r"(国家级|省部级|省级|市级|区县级|县区级|区级|县级)(?!以上|以下|及以上)[\u4e00-\u9fff]*?"
    r"(?:工程技术研究中心|企业技术中心|技术中心|重点实验室|实验室|工程研究中心|工程中心|研究中心"
    r"|研发中心|研究院|研究所|工作站|创新中心|设计中心|中试基地)"
)
_INSTITUTION_LEVELS = {"国家级": "national", "省部级": "provincial", "省级": "provincial"}
_INSTITUTION_LEVELS |= {"市级": "municipal"}
_LEVEL_ORDER = ("national", "provincial", "municipal", "below")


def institution_level(key: str) -> str | None:
    """The highest level among institutions written out (an option key), or None when the text
    is not a list of them."""
    found = []
    for part in re.split(r"[、,;；/]|以及|和|及|与", key):
        match = _INSTITUTION.fullmatch(part)
        if match is None:
            return None
        found.append(_INSTITUTION_LEVELS.get(match.group(1), "below"))
    return min(found, key=_LEVEL_ORDER.index) if found else None
