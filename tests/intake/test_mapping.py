"""Column mappings corrected by the evaluator: re-point, map by hand, ignore, years, units."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.intake.helpers import CODE_A, CODE_B, YEAR, issue_tuples, write_xlsx
from zjtx.intake import IGNORE, ColumnOverride, MappingError, read_applicants
from zjtx.paths import resource_path

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "销售额（元）",
    "2024年营业收入（万元）",
    "所在市",
    "备注",
]


def _roster(tmp_path: Path, header: list[str] | None = None) -> Path:
    return write_xlsx(
        tmp_path / "名单.xlsx",
        [
            header or HEADER,
            ["甲公司", CODE_A, 12345678.9, 900, "南京市", "无"],
            ["乙公司", CODE_B, "8,000,000", "1,200.5", "苏州市", "—"],
        ],
    )


def _read(path: Path, *overrides: ColumnOverride):
    return read_applicants([path], YEAR, mapping_overrides=overrides)


def _row(result, letter: str):
    return next(m for m in result.files[0].column_mapping if m.column == letter)


def test_unrecognised_header_is_shown_as_unknown(tmp_path):
    """A header the catalogue does not know is 未识别, keeps its unit and is ignored with a warning."""
    result = _read(_roster(tmp_path))
    row = _row(result, "C")
    assert (row.header, row.field, row.role, row.role_label, row.unit, row.how) == (
        "销售额（元）",
        None,
        "unknown",
        "未识别",
        "元",
        "自动",
    )
    assert row.editable
    assert ("C1", None, "column-ignored", "warning") in issue_tuples(result)
    auto = _row(result, "D")
    assert (auto.field, auto.label, auto.year, auto.unit, auto.field_unit, auto.manual) == (
        "revenue_y2",
        "营业收入",
        2024,
        "万元",
        "万元",
        False,
    )
    assert "revenue_y1" not in result.applicants[0].values


def test_misnamed_header_corrected_by_hand_reads_exact_values(tmp_path):
    """销售额（元） mapped by hand to 2025年营业收入: 元 become 万元 exactly, no rounding."""
    result = _read(_roster(tmp_path), ColumnOverride("C", "revenue", year=2025))
    first, second = result.applicants
    assert first.values["revenue_y1"] == Decimal("1234.56789")
    assert second.values["revenue_y1"] == Decimal("800")
    assert first.provenance["revenue_y1"].cell == "C2"
    assert first.provenance["revenue_y1"].raw == "12345678.9"
    row = _row(result, "C")
    assert (row.field, row.label, row.year, row.unit, row.field_unit, row.role, row.how) == (
        "revenue_y1",
        "营业收入",
        2025,
        "元",
        "万元",
        "field",
        "手动",
    )
    assert issue_tuples(result) == [("F1", None, "column-ignored", "warning")]
    [note] = [i for i in result.issues if i.code == "column-mapped-manual"]
    assert (note.cell, note.field, str(note.severity)) == ("C1", "revenue_y1", "info")
    assert note.message == "列“销售额（元）”按评审人员的更正读作“2025年营业收入”（元换算为万元）"


def test_column_named_by_header_text_and_field_by_chinese_label(tmp_path):
    """An override may name the column by its header and the field by its Chinese label."""
    result = _read(_roster(tmp_path), ColumnOverride("销售额(元)", "2025年营业收入"))
    assert result.applicants[0].values["revenue_y1"] == Decimal("1234.56789")
    assert _row(result, "C").manual


def test_wrong_auto_mapping_re_pointed_to_another_field(tmp_path):
    """A column recognised as 2024年营业收入 re-pointed to 2024年主营业务收入."""
    result = _read(_roster(tmp_path), ColumnOverride("D", "main_revenue_y2"))
    first, second = result.applicants
    assert "revenue_y2" not in first.values
    assert first.values["main_revenue_y2"] == Decimal("900")
    assert second.values["main_revenue_y2"] == Decimal("1200.5")
    assert first.provenance["main_revenue_y2"].cell == "D2"
    row = _row(result, "D")
    assert (row.field, row.label, row.year, row.how) == (
        "main_revenue_y2",
        "主营业务收入",
        2024,
        "手动",
    )


def test_year_mapping_changed_from_2024_to_2025(tmp_path):
    """A column auto-read as 2024 re-pointed to 2025 fills revenue_y1 and leaves revenue_y2."""
    result = _read(_roster(tmp_path), ColumnOverride("D", "revenue", year=2025))
    values = result.applicants[1].values
    assert values["revenue_y1"] == Decimal("1200.5")
    assert "revenue_y2" not in values
    row = _row(result, "D")
    assert (row.field, row.year, row.manual) == ("revenue_y1", 2025, True)


def test_header_with_a_year_outside_the_round_mapped_to_a_year_inside(tmp_path):
    """2022年营业收入 is an error in a 2026 round; re-pointed to 2023 it is read as _y3."""
    header = ["企业名称", "统一社会信用代码", "2022年营业收入（元）"]
    path = write_xlsx(tmp_path / "r.xlsx", [header, ["甲公司", CODE_A, 50000000]])
    before = _read(path)
    assert ("C1", None, "year-out-of-round", "warning") in issue_tuples(before)
    assert _row(before, "C").role == "unknown"
    assert "2022年不在本批次" in _row(before, "C").detail
    after = _read(path, ColumnOverride("C", "revenue", year=2023))
    assert issue_tuples(after) == []
    assert after.applicants[0].values["revenue_y3"] == Decimal("5000")


def test_ignore_a_recognised_column_and_an_unknown_one(tmp_path):
    """所在市 and 备注 ignored by hand: city is not read; the unknown-column warning goes."""
    result = _read(
        _roster(tmp_path),
        ColumnOverride("所在市", IGNORE),
        ColumnOverride("F", IGNORE, file="名单.xlsx", sheet="名单"),
    )
    assert all("city" not in a.values for a in result.applicants)
    assert issue_tuples(result) == [("C1", None, "column-ignored", "warning")]
    ignored = [
        (i.cell, str(i.severity)) for i in result.issues if i.code == "column-ignored-manual"
    ]
    assert ignored == [("E1", "info"), ("F1", "info")]
    row = _row(result, "E")
    assert (row.field, row.role, row.role_label, row.how) == (None, "ignored", "忽略", "手动")


def test_unit_of_a_column_corrected(tmp_path):
    """The header says 万元 but the figures are 元: with unit 元 set they are scaled exactly."""
    result = _read(_roster(tmp_path), ColumnOverride("D", "revenue_y2", unit="元"))
    assert result.applicants[0].values["revenue_y2"] == Decimal("0.09")
    assert result.applicants[1].values["revenue_y2"] == Decimal("0.12005")
    assert _row(result, "D").unit == "元"


def test_percent_column_mapped_by_hand(tmp_path):
    """An unrecognised 市场占有率（%） column mapped to the domestic share keeps percent values."""
    header = ["企业名称", "统一社会信用代码", "市场占有率（%）"]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [header, ["甲公司", CODE_A, "12.5%"], ["乙公司", CODE_B, 33.35]],
    )
    result = _read(path, ColumnOverride("C", "market_share_domestic"))
    assert [a.values["market_share_domestic"] for a in result.applicants] == [
        Decimal("12.5"),
        Decimal("33.35"),
    ]
    assert _row(result, "C").field_unit == "%"


def test_required_column_mapped_by_hand_unblocks_every_row(tmp_path):
    """Without a 企业名称 column every row is blocked; mapping 纳税人名称 to name imports them."""
    header = ["纳税人名称", "统一社会信用代码", "2025年营业收入（万元）"]
    path = write_xlsx(tmp_path / "r.xlsx", [header, ["甲公司", CODE_A, 10], ["乙公司", CODE_B, 20]])
    before = _read(path)
    assert before.applicants == []
    assert (None, "name", "column-missing", "error") in issue_tuples(before)
    after = _read(path, ColumnOverride("A", "name"))
    assert issue_tuples(after) == []
    assert [a.values["name"] for a in after.applicants] == ["甲公司", "乙公司"]


def test_two_columns_on_the_same_field_and_year_is_an_error_naming_both(tmp_path):
    """销售额 mapped to 2024年营业收入 while column D already is: both columns are named."""
    with pytest.raises(MappingError) as caught:
        _read(_roster(tmp_path), ColumnOverride("C", "revenue", year=2024))
    message = str(caught.value)
    assert "列 C“销售额（元）”" in message
    assert "列 D“2024年营业收入（万元）”" in message
    assert "都对应到“2024年营业收入”" in message
    # Re-pointing D at the same time resolves it.
    result = _read(
        _roster(tmp_path),
        ColumnOverride("C", "revenue", year=2024),
        ColumnOverride("D", "revenue", year=2025),
    )
    assert result.applicants[0].values["revenue_y2"] == Decimal("1234.56789")
    assert result.applicants[0].values["revenue_y1"] == Decimal("900")


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            ColumnOverride("C", "revnue", year=2025),
            "没有“revnue”：您是否要用“revenue”（营业收入）？",
        ),
        (ColumnOverride("C", "营业收人", year=2025), "您是否要用“revenue”（营业收入）？"),
        (ColumnOverride("C", "revenue"), "“营业收入”分年度填报，请指定年度"),
        (ColumnOverride("C", "revenue", year=2021), "2021年不在本批次（2026年度）的申报年度内"),
        (ColumnOverride("C", "city", year=2025), "“所在市”不分年度，不能指定年度"),
        (ColumnOverride("C", "employees_y1"), "列 C“销售额（元）”：上年末从业人员不能使用单位“元”"),
        (ColumnOverride("C", "revenue_y1", unit="美元"), "不认识的单位“美元”"),
        (ColumnOverride("Z", "revenue_y1", file="名单.xlsx"), "列 Z：工作表“名单”中没有这一列"),
        (ColumnOverride("利润总额", "revenue_y1"), "列“利润总额”：在读取的文件中找不到这一列"),
        (ColumnOverride("C", "revenue_y1", sheet="Sheet9"), "在读取的文件中找不到这一列"),
    ],
)
def test_bad_overrides_are_refused_with_a_chinese_message(tmp_path, override, expected):
    """Unknown fields (did you mean), missing years, bad units, missing columns are refused."""
    with pytest.raises(MappingError) as caught:
        _read(_roster(tmp_path), override)
    assert expected in str(caught.value)


def test_the_same_column_corrected_twice_is_refused(tmp_path):
    """Two overrides of one column contradict each other."""
    with pytest.raises(MappingError, match="同一列更正了两次"):
        _read(_roster(tmp_path), ColumnOverride("C", IGNORE), ColumnOverride("c", "name"))
    with pytest.raises(
        MappingError, match="列“销售额（元）”：这一列（C）已按“C”更正过，同一列更正了两次"
    ):
        _read(
            _roster(tmp_path), ColumnOverride("C", IGNORE), ColumnOverride("销售额（元）", "name")
        )


def test_forms_cannot_be_remapped_by_column_letter():
    """A form is read by its labels: a column letter naming a form file is refused (labels are
    remapped by name, tests/intake/test_profiles.py)."""
    form = sorted(resource_path("samples", "forms").glob("*.xlsx"))[0]
    with pytest.raises(MappingError, match="请按栏目名称更正"):
        _read(form, ColumnOverride("B", "name", file=form.name))
    result = read_applicants([form], YEAR)
    assert result.files[0].column_mapping
    assert not any(m.editable for m in result.files[0].column_mapping)


def test_override_for_one_file_leaves_another_alone(tmp_path):
    """An override naming one file does not change a second roster read in the same batch."""
    first = _roster(tmp_path)
    other_folder = tmp_path / "县区"
    other_folder.mkdir()
    second = _roster(other_folder)
    result = read_applicants(
        [first, second],
        YEAR,
        mapping_overrides=[ColumnOverride("C", "revenue", year=2025, file="名单.xlsx")],
    )
    mapped = [next(m for m in f.column_mapping if m.column == "C") for f in result.files]
    # Both files are called 名单.xlsx: a bare file name matches both.
    assert [m.field for m in mapped] == ["revenue_y1", "revenue_y1"]
    result = read_applicants(
        [first, other_folder],
        YEAR,
        mapping_overrides=[ColumnOverride("C", "revenue", year=2025, file="县区/名单.xlsx")],
    )
    assert [f.display_name for f in result.files] == ["名单.xlsx", "县区/名单.xlsx"]
    mapped = [next(m for m in f.column_mapping if m.column == "C") for f in result.files]
    assert [m.field for m in mapped] == [None, "revenue_y1"]
