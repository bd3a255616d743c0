"""Columns of a year the round does not read (its own year, part of a year): said, not blocking."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx

from tests.intake.helpers import CODE_A, issue_tuples, read, write_xlsx

NAME = "宁波甬芯精密机械有限公司"


def _form(path: Path, rows: list[list[str]]) -> Path:
    """A 申请书 of two tables: name and code, then the given indicator table."""
    document = docx.Document()
    basic = document.add_table(rows=2, cols=2)
    for r, (label, value) in enumerate((("企业名称", NAME), ("统一社会信用代码", CODE_A))):
        basic.cell(r, 0).text, basic.cell(r, 1).text = label, value
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(path)
    return path


def _economy(header: str) -> list[list[str]]:
    return [
        ["指标（万元）", "2024年", "2025年", header],
        ["营业收入", "1150", "1200", "40"],
        ["研发费用", "60", "70", "3"],
    ]


def _not_read(result) -> list:
    return [i for i in result.issues if i.code == "year-column-not-read"]


def test_partial_year_column_of_a_form_is_a_warning_per_figure(tmp_path):
    """A 2026年1-5月 column is not read; each of its figures is a warning naming the column."""
    result = read(_form(tmp_path / "a.docx", _economy("2026年1-5月")))
    issues = _not_read(result)
    assert [(i.sheet, i.cell, str(i.severity)) for i in issues] == [
        ("表2", "第2行第4列", "warning"),
        ("表2", "第3行第4列", "warning"),
    ]
    assert "“营业收入”在“2026年1-5月”列（表2 第1行第4列）的数值 40 未导入" in issues[0].message
    values = result.applicants[0].values
    assert (values["revenue_y1"], values["revenue_y2"]) == (Decimal(1200), Decimal(1150))
    assert Decimal(40) not in values.values()


def test_current_year_column_of_a_form_does_not_block_the_enterprise(tmp_path):
    """A 2026年 column in a 2026 round: warnings, the enterprise imported with its 2025 figures."""
    result = read(_form(tmp_path / "a.docx", _economy("2026年")))
    assert [i for i in result.issues if str(i.severity) == "error"] == []
    assert len(_not_read(result)) == 2
    assert result.files[0].rows_imported == 1
    assert result.applicants[0].values["revenue_y1"] == Decimal(1200)


def test_stale_year_column_of_a_form_is_a_warning_as_in_a_roster(tmp_path):
    """A 2022年 column in a 2026 round: a year-out-of-round warning at each figure, as a
    roster's header gets, saying the column alone is left out; the enterprise is imported."""
    rows = _economy("2025年")
    rows[0][1:] = ["2022年", "2024年", "2025年"]
    result = read(_form(tmp_path / "a.docx", rows))
    assert [i for i in result.issues if str(i.severity) == "error"] == []
    stale = [i for i in result.issues if i.code == "year-out-of-round"]
    assert stale and all(str(i.severity) == "warning" for i in stale)
    assert all("企业的其余数据照常导入" in i.message for i in stale)
    assert result.files[0].rows_imported == 1


def test_current_year_column_of_a_roster_is_the_same_warning(tmp_path):
    """A roster's 2026年营业收入 column is the form's warning, at its header; the row imported."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2026年营业收入（万元）"],
            [NAME, CODE_A, 1200, 40],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("D1", None, "year-column-not-read", "warning")]
    assert "“2026年营业收入（万元）”" in result.issues[0].message
    assert result.applicants[0].values["revenue_y1"] == Decimal(1200)


def test_partial_year_row_after_years_as_rows_is_a_warning(tmp_path):
    """Years as rows ending in a 2026年1-5月 row: its figures are warnings, the years read."""
    rows = [
        ["年度", "营业收入（万元）", "研发费用（万元）"],
        ["2025年", "1200", "70"],
        ["2024年", "1150", "60"],
        ["2026年1-5月", "40", "3"],
    ]
    result = read(_form(tmp_path / "a.docx", rows))
    issues = _not_read(result)
    assert [(i.sheet, i.cell) for i in issues] == [("表2", "第4行第2列"), ("表2", "第4行第3列")]
    assert "“2026年1-5月”" in issues[0].message
    values = result.applicants[0].values
    assert (values["revenue_y1"], values["rd_expense_y2"]) == (Decimal(1200), Decimal(60))


def test_current_year_label_beside_a_figure_is_a_warning(tmp_path):
    """A form's label 2026年营业收入 beside a figure is not read, said as a warning."""
    rows = [["2025年营业收入（万元）", "1200"], ["2026年营业收入（万元）", "40"]]
    result = read(_form(tmp_path / "a.docx", rows))
    assert [(i.code, str(i.severity)) for i in result.issues if i.code.startswith("year")] == [
        ("year-column-not-read", "warning")
    ]
    assert result.files[0].rows_imported == 1


def test_part_year_column_of_a_roster_is_the_same_warning(tmp_path):
    """A roster's 2026年1-6月研发费用 column is year-column-not-read at its header, naming the
    period (not an unknown column to map); the 2025 column is read."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "2025年研发费用（万元）",
                "2026年1-6月研发费用（万元）",
            ],
            [NAME, CODE_A, 70, 3],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("D1", None, "year-column-not-read", "warning")]
    assert "“2026年1-6月”这一部分年度" in result.issues[0].message
    assert result.applicants[0].values["rd_expense_y1"] == Decimal(70)
