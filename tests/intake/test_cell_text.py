"""Cell text: control characters found, removed or shown, and long texts cut in messages."""

from __future__ import annotations

from zjtx.intake.cell_text import clean_text, control_characters, normalise_text, shown_text


def test_shown_text_makes_controls_visible_and_cuts_long_text():
    """Messages show control characters as \\xNN escapes and cut long texts with the length."""
    assert shown_text("a\x1b[31mb") == "a\\x1b[31mb"
    assert shown_text("\u2028") == "\\u2028"
    long = shown_text("9" * 5000)
    assert len(long) < 60 and "5000" in long


def test_clean_text_removes_controls_and_collapses_whitespace():
    """Separating controls become a space, others go, runs of whitespace become one space; a
    code keeps no whitespace at all."""
    assert clean_text("甲\u2028乙\x01丙  丁\n") == "甲 乙丙 丁"
    assert clean_text(" 9132 0115\x0b0000 ", code=True) == "913201150000"


def test_control_characters_lists_each_distinct_control_once_in_order():
    """The controls of a text, each once, as escapes in the order they first appear."""
    assert control_characters("a\x1bb\x01c\x1b") == ["\\x1b", "\\x01"]
    assert control_characters("普通文字") == []


def test_normalise_text_makes_full_width_half_width_and_drops_whitespace():
    """NFKC turns full-width digits and brackets half-width; whitespace goes."""
    assert normalise_text("１２ ３（万元）") == "123(万元)"


def test_zero_width_characters_go_from_read_text_and_show_in_messages():
    """A zero-width space, joiner or BOM is read as nothing, and a message shows it escaped."""
    assert normalise_text("是\u200b") == "是"
    assert clean_text("甲\u200d有限\ufeff公司 ") == "甲有限公司"
    assert clean_text("9132\u20600115", code=True) == "91320115"
    assert shown_text("是\u200b") == "是\\u200b"
