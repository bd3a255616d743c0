"""Mapping profiles of forms: a form's label corrections (栏目名称=字段) apply with --map and are
kept as a profile keyed by the form's recognised labels, read with the next form laid out so."""

from decimal import Decimal

import pytest

from tests.intake.helpers import CODE_A, CODE_B, write_xlsx
from zjtx.intake import ColumnOverride, MappingError, read_applicants
from zjtx.intake.profiles import ProfileBook, profile_from_overrides


def form(path, code=CODE_A, sales_yuan=12_000_000):
    """A key-value form whose revenue label says only 销售额 (not in the catalogue), in 元."""
    return write_xlsx(
        path,
        [
            ["企业名称", "甲公司"],
            ["统一社会信用代码", code],
            ["销售额", sales_yuan],
            ["从业人员（人）", 120],
        ],
    )


def test_form_label_corrected_with_map_reads_the_value(tmp_path):
    """销售额=营业收入@2025:元 reads the form's value in 万元, marked 手动 in the mapping."""
    path = form(tmp_path / "申报表.xlsx")
    plain = read_applicants([path], 2026)
    assert "revenue_y1" not in plain.applicants[0].values
    result = read_applicants(
        [path], 2026, mapping_overrides=[ColumnOverride("销售额", "revenue", 2025, "元")]
    )
    assert result.applicants[0].values["revenue_y1"] == Decimal("1200")
    mapped = [m for m in result.files[0].column_mapping if m.field == "revenue_y1"]
    assert mapped and mapped[0].manual and mapped[0].header == "销售额"
    assert result.files[0].fingerprints[None].startswith("form-")


def test_form_correction_by_column_letter_is_refused(tmp_path):
    """A form has labels, not columns: a letter names why and how to write it instead."""
    path = form(tmp_path / "申报表.xlsx")
    with pytest.raises(MappingError, match="按栏目名称更正"):
        read_applicants(
            [path],
            2026,
            mapping_overrides=[ColumnOverride("B", "revenue", 2025, file="申报表.xlsx")],
        )


def test_form_profile_reads_the_next_form_with_the_same_labels(tmp_path):
    """A profile saved for a form's labels applies to another enterprise's form laid out the
    same way, and not to a form with other labels."""
    first = read_applicants(
        [form(tmp_path / "甲.xlsx")],
        2026,
        mapping_overrides=[ColumnOverride("销售额", "revenue", 2025, "元")],
    )
    book = ProfileBook(tmp_path / "profiles")
    book.save(
        profile_from_overrides(
            "企业申报表", first.files[0].fingerprints[None],
            [ColumnOverride("销售额", "revenue", 2025, "元", file="甲.xlsx")],
        )
    )  # fmt: skip
    second = read_applicants([form(tmp_path / "乙.xlsx", CODE_B, 9_000_000)], 2026, profiles=book)
    assert second.files[0].profile == "企业申报表"
    assert second.applicants[0].values["revenue_y1"] == Decimal("900")
    notes = [i.message for i in second.files[0].issues if i.code == "profile-applied"]
    assert "按已保存的对应关系「企业申报表」读取" in notes[0]
    other = write_xlsx(
        tmp_path / "丙.xlsx",
        [["单位名称", "丙公司"], ["统一社会信用代码", CODE_A], ["销售额", 5_000_000]],
    )
    third = read_applicants([other], 2026, profiles=book)
    assert third.files[0].profile is None
    assert "revenue_y1" not in third.applicants[0].values


def test_correcting_a_recognised_form_label_keeps_the_layout_fingerprint(tmp_path):
    """A recognised label remapped (从业人员 read as 研发人员) still belongs to the layout: the
    corrected read has the fingerprint of the plain one, so a profile saved from it applies."""
    path = form(tmp_path / "甲.xlsx")
    plain = read_applicants([path], 2026)
    correction = ColumnOverride("从业人员（人）", "rd_staff", 2025)
    corrected = read_applicants([path], 2026, mapping_overrides=[correction])
    assert corrected.files[0].fingerprints[None] == plain.files[0].fingerprints[None]
    book = ProfileBook(tmp_path / "profiles")
    book.save(profile_from_overrides("改栏目", corrected.files[0].fingerprints[None], [correction]))
    again = read_applicants([form(tmp_path / "乙.xlsx", CODE_B)], 2026, profiles=book)
    assert again.files[0].profile == "改栏目"
    assert again.applicants[0].values["rd_staff_y1"] == 120


def test_unrecognised_form_label_with_a_value_is_listed_for_correction(tmp_path):
    """A label the catalogue does not know, with a number beside it, is listed 未识别 in the
    mapping (so it can be corrected); an ignored label is listed as ignored."""
    path = form(tmp_path / "甲.xlsx")
    mapping = read_applicants([path], 2026).files[0].column_mapping
    unknown = [m for m in mapping if m.role == "unknown"]
    assert [(m.header, m.cell, m.field) for m in unknown] == [("销售额", "A3", None)]
    ignored = read_applicants(
        [path], 2026, mapping_overrides=[ColumnOverride("从业人员（人）", "ignore")]
    )
    rows = {m.header: m for m in ignored.files[0].column_mapping}
    assert rows["从业人员（人）"].role == "ignored" and rows["从业人员（人）"].manual
    assert "employees_y1" not in ignored.applicants[0].values
