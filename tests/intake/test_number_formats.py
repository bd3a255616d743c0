"""Numbers formatted to show smaller than stored (元 shown as 万元) are read as they show."""

from __future__ import annotations

from decimal import Decimal

import pytest
import xlwt

from tests.intake.helpers import CODE_A, CODE_B, CODE_C, read, write_xlsx
from zjtx.intake.number_formats import Scale, format_scale

HEADER = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('0!.0000"万元"', Scale(4, "万元", '0!.0000"万元"')),
        ("0\\.0000", Scale(4, "", "0\\.0000")),
        ('#,##0,"千元"', Scale(3, "千元", '#,##0,"千元"')),
        ('#,##0,"千"', Scale(3, "千元", '#,##0,"千"')),
        ('0.00,,"百万"', Scale(6, "百万元", '0.00,,"百万"')),
        ("0.00,,", Scale(6, "", "0.00,,")),
        ('#,##0,"K"', None),
        ("0.0000\\.0", None),
        ('[Red]0!.0000"万";[Blue]-0!.0000"万"', Scale(4, "万", '[Red]0!.0000"万";[Blue]-0!.0000"万"')),
        ("#,##0.00", None),
        ("0.00%", None),
        ('yyyy"年"m"月"', None),
        ("0.00E+00", None),
        ('0"万元"', None),
        ("@", None),
    ],
)  # fmt: skip
def test_formats_that_show_a_number_smaller_are_recognised(code, expected):
    """The literal-point trick and thousands commas scale; percent, dates, text do not."""
    assert format_scale(code) == expected


def test_yuan_shown_as_wanyuan_are_read_as_shown(tmp_path):
    """Cells holding 元 under a 万元 header, formatted 0!.0000"万元" (showing 150.0000万元), read
    150 万元 — not 1,500,000 万元 — exactly (no rounding), with a note naming the column."""
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [HEADER, ["甲", CODE_A, 1_500_000], ["乙", CODE_B, 70_005_123], ["丙", CODE_C, 1200]],
        formats={"C2": '0!.0000"万元"', "C3": '0!.0000"万元"'},
    )
    result = read(path)
    revenue = {a.uscc: a.values["revenue_y1"] for a in result.applicants}
    assert revenue == {CODE_A: Decimal("150"), CODE_B: Decimal("7000.5123"), CODE_C: 1200}
    [note] = [i for i in result.issues if i.code == "number-format-scaled"]
    assert str(note.severity) == "info" and note.cell == "C1"
    assert "1,500,000 显示为 150万元" in note.message
    assert not [i for i in result.issues if i.code == "revenue-unit-suspect"]


def test_a_thousands_format_without_a_unit_asks_to_check_the_header(tmp_path):
    """#,##0, (thousands, no unit shown): read as shown, with a warning to check the unit."""
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [["企业名称", "统一社会信用代码", "2025年营业收入（千元）"], ["甲", CODE_A, 12_345_000]],
        formats={"C2": "#,##0,"},
    )
    result = read(path)
    assert result.applicants[0].values["revenue_y1"] == Decimal("1234.5")
    [note] = [i for i in result.issues if i.code == "number-format-scaled"]
    assert str(note.severity) == "warning" and "请核对单位是否指显示的数值" in note.message


def test_a_legacy_xls_with_the_wanyuan_format_is_read_as_shown(tmp_path):
    """The same trick in a .xls (WPS 表格 .et) reads the same."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    style = xlwt.easyxf(num_format_str='0!.0000"万元"')
    for c, text in enumerate(HEADER):
        sheet.write(0, c, text)
    sheet.write(1, 0, "甲")
    sheet.write(1, 1, CODE_A)
    sheet.write(1, 2, 1_500_000, style)
    book.save(str(tmp_path / "名单.et"))
    result = read(tmp_path / "名单.et")
    assert result.applicants[0].values["revenue_y1"] == Decimal("150")
    assert [i.code for i in result.issues if i.code == "number-format-scaled"] == [
        "number-format-scaled"
    ]


def test_a_form_amount_shown_as_wanyuan_is_read_as_shown(tmp_path):
    """A per-enterprise 申报表 whose revenue cell holds 元 shown as 万元 reads 万元, noted."""
    path = write_xlsx(
        tmp_path / "申报表.xlsx",
        [
            ["企业名称", "甲公司"],
            ["统一社会信用代码", CODE_A],
            ["2025年营业收入（万元）", 12_000_500],
        ],
        formats={"B3": '0!.0000"万元"'},
    )
    result = read(path)
    [applicant] = result.applicants + result.files[0].blocked_applicants
    assert applicant.values["revenue_y1"] == Decimal("1200.05")
    [note] = [i for i in result.issues if i.code == "number-format-scaled"]
    assert note.cell == "B3" and str(note.severity) == "info"


def test_units_a_format_names_are_read_as_money_units(tmp_path):
    """百万 and 千 shown by a format are read as 百万元 and 千元 — not refused as unreadable."""
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [["企业名称", "统一社会信用代码", "2025年营业收入（元）"], ["甲", CODE_A, 15_000_000],
         ["乙", CODE_B, 20_000_000]],
        formats={"C2": '0.00,,"百万"', "C3": '#,##0,"千"'},
    )  # fmt: skip
    result = read(path)
    assert {a.uscc: a.values["revenue_y1"] for a in result.applicants} == {
        CODE_A: Decimal("1500"),
        CODE_B: Decimal("2000"),
    }


def test_text_typed_into_a_scaled_cell_is_read_as_typed_without_a_note(tmp_path):
    """A form cell holding the text 1200 under a #,##0, format: nothing scaled, nothing said."""
    path = write_xlsx(
        tmp_path / "申报表.xlsx",
        [["企业名称", "甲公司"], ["统一社会信用代码", CODE_A], ["2025年营业收入（万元）", "1200"]],
        formats={"B3": "#,##0,"},
    )
    result = read(path)
    [applicant] = result.applicants + result.files[0].blocked_applicants
    assert applicant.values["revenue_y1"] == Decimal("1200")
    assert not [i for i in result.issues if i.code == "number-format-scaled"]
