"""How a choice is written: the word a mark ticks, the level of institutions named."""

import pytest

from zjtx.intake.choices import NUMERAL_WORDS, institution_level, is_boxes, ticked


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("☑新申报 □复核", ["新申报"]),
        ("是√ 否", ["是"]),
        ("√是 否", ["是"]),
        ("是 √否", ["否"]),
        ("是☑否□", ["是"]),
        ("☐ 是  ☒ 否", ["否"]),
        ("■是 ■否", ["是", "否"]),
        ("□是 □否", []),
        ("是（√） 否（ ）", ["是"]),
        ("是（ ） 否（√）", ["否"]),
    ],
)
def test_a_mark_ticks_the_word_it_touches_else_the_word_on_its_side(cell, words):
    """A mark goes with the word it touches; spaced out, with the word after it when the cell
    starts with a mark, else the word before it."""
    assert is_boxes(cell)
    assert ticked(cell) == words


def test_words_alone_or_marks_alone_are_no_row_of_boxes():
    """是, √ and √√ are no row of boxes (a word and a mark are needed)."""
    assert not any(is_boxes(text) for text in ("是", "√", "√√", "省级"))


def test_institutions_give_the_highest_level_they_name():
    """省级…中心 is 省级; with a 市级 one too, the highest; a level before no institution is none."""
    assert institution_level("省级工程技术研究中心") == "provincial"
    assert institution_level("市级工程研究中心、国家级企业技术中心") == "national"
    assert institution_level("县级研发中心") == "below"
    assert institution_level("省级申报中") is None
    assert institution_level("省级以上") is None


def test_numerals_read_to_ninety_nine():
    """一 to 九十九 as written; 一十 and 十十 are not numerals."""
    assert [NUMERAL_WORDS[w] for w in ("一", "十", "十一", "二十", "九十九", "IV")] == [
        1,
        10,
        11,
        20,
        99,
        4,
    ]
    assert "一十" not in NUMERAL_WORDS and "十十" not in NUMERAL_WORDS
