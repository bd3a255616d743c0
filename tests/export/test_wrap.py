"""Line breaking of cell text by glyph widths: width limit, punctuation rules, whole numbers."""

from zjtx.export.fonts import register_reportlab_fonts
from zjtx.export.wrap import CANNOT_END, CANNOT_START, text_width, wrap_text

FONT, _ = register_reportlab_fonts()


def test_lines_fit_and_keep_every_character():
    """No line is wider than the limit and joining the lines gives the text back."""
    text = "上年度研发费用总额不低于100万元，且研发费用总额占营业收入总额比重不低于3%（含）。" * 3
    lines = wrap_text(text, FONT, 8, 120)
    assert len(lines) > 3
    assert "".join(lines) == text
    assert all(text_width(line, FONT, 8) <= 120 for line in lines)


def test_punctuation_never_starts_and_brackets_never_end_a_line():
    """Across many widths no line starts with ，。）% etc. or ends with （《“."""
    text = "主营业务收入占营业收入比重：≥80% 5分；70%–80% 3分（含）；《标准》“补短板”，完成。" * 2
    for width in range(40, 200, 3):
        lines = wrap_text(text, FONT, 8, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines[1:]:
            assert line[0] not in CANNOT_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in CANNOT_END, (width, lines)


def test_numbers_and_codes_are_not_split():
    """A number or a credit code moves whole to the next line when it does not fit."""
    assert wrap_text("上年度营业收入12345.67万元", FONT, 8, 75) == [
        "上年度营业收入",
        "12345.67万元",
    ]
    assert wrap_text("代码91330106MA2B0XXX1X", FONT, 8, 90) == ["代码", "91330106MA2B0XXX1X"]


def test_explicit_newlines_are_kept():
    """A newline in the text always starts a new line."""
    assert wrap_text("第一行\n第二行", FONT, 8, 500) == ["第一行", "第二行"]
