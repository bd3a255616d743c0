"""Bundled Noto Sans SC: files, license, character coverage and the missing-character check."""

from zjtx.export.fonts import (
    bold_font_path,
    describe_characters,
    font_path,
    missing_characters,
    printable,
)


def test_fonts_are_truetype_with_license_beside():
    """Both bundled fonts have glyf outlines (reportlab needs TrueType) and OFL.txt ships beside."""
    for path in (font_path(), bold_font_path()):
        data = path.read_bytes()
        assert data[:4] == b"\x00\x01\x00\x00"  # sfnt version of TrueType, not b"OTTO" (CFF)
        tables = {data[12 + 16 * i : 16 + 16 * i] for i in range(int.from_bytes(data[4:6]))}
        assert b"glyf" in tables and b"CFF " not in tables
    license_text = (font_path().parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in license_text


def test_rare_name_characters_are_covered():
    """Characters common in names but outside GB2312 (堃 喆 昇 镕 犇) are in the regular font."""
    assert missing_characters("杭州堃喆昇镕犇精密机械有限公司（2026）：第①项 ≥ 3%") == ()


def test_characters_outside_the_font_are_reported_once_in_order():
    """Characters beyond GBK are listed once each, in order of appearance, layout chars ignored."""
    text = "𪚥记𠀀科技\n有限公司𪚥"
    assert missing_characters(text) == ("𪚥", "𠀀")
    assert describe_characters(missing_characters(text)) == "𪚥（U+2A6A5）、𠀀（U+20000）"


def test_printable_replaces_missing_characters_with_their_code():
    """A missing glyph is printed as its code instead of an empty box."""
    assert printable("𪚥记科技") == "〔U+2A6A5〕记科技"
    assert printable("普通名称") == "普通名称"


def test_bold_font_is_smaller_subset():
    """The bold font covers GB2312 only: a GBK-only character is missing there, not in regular."""
    assert missing_characters("堃", bold=True) == ("堃",)
    assert missing_characters("堃") == ()
