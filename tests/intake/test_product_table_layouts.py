"""主导产品 tables laid out otherwise: a 序号 column, a 其他产品 row, bare years over the revenue
columns, and products across the columns instead of down the rows."""

from __future__ import annotations

from tests.intake.helpers import CODE_A, write_xlsx
from tests.intake.test_product_table import NAME, codes, read, write_docx


def test_a_serial_column_is_no_stray_value(tmp_path):
    """序号 | 主导产品名称 | 上年度销售收入（万元） over 1 | 船用阀门 | 3600 reads the product."""
    rows = [
        ["序号", "主导产品名称", "上年度销售收入（万元）", "占营业收入比重"],
        ["1", "船用阀门", "3600", "60%"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门"
    assert values["lead_product_revenue_y1"] == 3600
    assert codes(result, "warning") == [] and codes(result, "error") == []


def test_two_products_under_a_serial_column_are_summed(tmp_path):
    """Two numbered products are joined and their revenue summed, as without the 序号 column."""
    rows = [
        ["序号", "主导产品名称", "上年度销售收入（万元）"],
        ["1", "船用阀门", "2000"],
        ["2", "船用泵", "1600"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门、船用泵"
    assert values["lead_product_revenue_y1"] == 3600
    assert codes(result, "info") == ["lead-products-summed"]


def test_an_other_products_row_is_not_added_into_the_lead_product(tmp_path):
    """A 其他产品 row is left out of the lead product and reported with its cell and figure."""
    rows = [
        ["主导产品名称", "上年度销售收入（万元）"],
        ["船用阀门", "3000"],
        ["其他产品", "600"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门"
    assert values["lead_product_revenue_y1"] == 3000
    [issue] = [i for i in result.issues if i.code == "lead-product-other-row"]
    assert issue.cell == "第3行第1列" and "“其他产品”" in issue.message and "“600”" in issue.message


def test_bare_years_over_the_revenue_columns(tmp_path):
    """主导产品名称 | 2024年 | 2025年 in a 2026 round: 2025年 is read as 上年度 revenue."""
    rows = [["主导产品名称", "2024年", "2025年"], ["船用阀门", "3300", "3600"]]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门"
    assert values["lead_product_revenue_y1"] == 3600
    assert codes(result, "warning") == [] and codes(result, "error") == []


def test_products_across_the_columns_are_joined_and_summed(tmp_path):
    """主导产品名称 | 船用阀门 | 船用泵 over 主导产品销售收入（万元） | 2000 | 1600: both products,
    3600 万元, with the note naming the cells."""
    rows = [["主导产品名称", "船用阀门", "船用泵"], ["主导产品销售收入（万元）", "2000", "1600"]]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门、船用泵"
    assert values["lead_product_revenue_y1"] == 3600
    [issue] = [i for i in result.issues if i.code == "lead-products-summed"]
    assert "第1行第2列—第1行第3列" in issue.message and "（2000 + 1600）" in issue.message
    assert codes(result, "warning") == [] and codes(result, "error") == []


def test_one_product_across_reads_its_revenue(tmp_path):
    """主导产品名称 | 船用阀门 over 上年度销售收入（万元） | 3600 reads 3600 as its revenue."""
    rows = [["主导产品名称", "船用阀门"], ["上年度销售收入（万元）", "3600"]]
    result = read(write_docx(tmp_path / "a.docx", rows))
    assert result.applicants[0].values["lead_product_revenue_y1"] == 3600
    assert codes(result, "warning") == [] and codes(result, "error") == []


def test_names_across_with_no_revenue_row_are_reported(tmp_path):
    """Two names beside 主导产品名称 with no figures under them: the second is named unread."""
    rows = [["主导产品名称", "船用阀门", "船用泵"], ["企业负责人", "张三", ""]]
    result = read(write_docx(tmp_path / "a.docx", rows))
    [issue] = [i for i in result.issues if i.code == "column-ignored"]
    assert issue.cell == "第1行第3列" and "“船用泵”未导入" in issue.message


def test_three_names_across_with_no_revenue_row_are_all_reported(tmp_path):
    """主导产品名称 | 船用阀门 | 船用泵 | 船用电机 with no figures under them: 船用阀门 is read and the
    other two are named unread in one warning, not read as a label 船用泵 with its answer."""
    rows = [["主导产品名称", "船用阀门", "船用泵", "船用电机"], ["企业负责人", "张三", "", ""]]
    result = read(write_docx(tmp_path / "a.docx", rows))
    assert result.applicants[0].values["lead_product"] == "船用阀门"
    [issue] = [i for i in result.issues if i.code == "column-ignored"]
    assert (issue.cell, str(issue.severity)) == ("第1行第3列", "warning")
    assert "填有 3 项" in issue.message
    assert "第1行第3列“船用泵”、第1行第4列“船用电机”未导入" in issue.message
    assert not any("船用" in i.message for i in result.issues if i.code == "label-text-ignored")


def test_five_names_across_in_a_workbook_form_are_all_reported(tmp_path):
    """The same in a workbook form with five names: C4 to F4 each named unread in one warning, none
    read as a label and answer of its own."""
    names = ["船用阀门", "船用泵", "船用电机", "船用锚链", "船用舵机"]
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["企业名称", NAME],
            ["统一社会信用代码", CODE_A],
            ["上年度营业收入（万元）", 6000],
            ["主导产品名称", *names],
        ],
        title="申请表",
    )
    result = read(path)
    assert result.applicants[0].values["lead_product"] == "船用阀门"
    [issue] = [i for i in result.issues if i.code == "column-ignored"]
    assert (issue.sheet, issue.cell, str(issue.severity)) == ("申请表", "C4", "warning")
    assert "C4“船用泵”、D4“船用电机”、E4“船用锚链”、F4“船用舵机”未导入" in issue.message
    assert [i for i in result.issues if i.code == "label-text-ignored"] == []
