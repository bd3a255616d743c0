"""主导产品 tables with column headers (主导产品名称 | 上年度销售收入（万元） | 占营业收入比重 over a
row per product), in Word and in a workbook form: the products are the lead product, their
revenue the lead product's revenue in its year, and no header is ever kept as a value."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.intake.helpers import CODE_A, read, write_xlsx

NAME = "福州马尾阀门有限公司"


def write_docx(path: Path, product_rows: list[list[str]], *, note: str = "主导产品情况") -> Path:
    """A 申请书: a basic table (name, code, 营业收入 6000 万元), then the product table."""
    document = docx.Document()
    basic = document.add_table(rows=3, cols=2)
    for row, (label, answer) in zip(
        basic.rows,
        [("企业名称", NAME), ("统一社会信用代码", CODE_A), ("上年度营业收入（万元）", "6000")],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, answer
    document.add_paragraph(note)
    table = document.add_table(rows=len(product_rows), cols=len(product_rows[0]))
    for row, texts in zip(table.rows, product_rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(path)
    return path


def codes(result, severity: str) -> list[str]:
    return [i.code for i in result.issues if str(i.severity) == severity]


def test_one_product_under_a_header_row_in_word(tmp_path):
    """主导产品名称 | 上年度销售收入（万元） | 占营业收入比重 over 船用阀门 | 3600 | 60% reads 船用阀门 and
    3600 万元 as the lead product's 2025 revenue, its share agreeing with the amounts."""
    rows = [
        ["主导产品名称", "上年度销售收入（万元）", "占营业收入比重"],
        ["船用阀门", "3600", "60%"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门"
    assert values["lead_product_revenue_y1"] == 3600
    assert codes(result, "error") == [] and codes(result, "warning") == []
    provenance = result.applicants[0].provenance["lead_product_revenue_y1"]
    assert (provenance.sheet, provenance.cell, provenance.raw) == ("表2", "第2行第2列", "3600")


def test_several_products_are_joined_and_their_revenue_summed(tmp_path):
    """Two products: the lead product is both (names joined) and its revenue their sum, said in
    a note naming the cells; the stated shares are added up and checked (33.3% + 20% against
    3600 ÷ 6000 = 60%: a mismatch)."""
    rows = [
        ["主导产品名称", "上年度销售收入（万元）", "占营业收入比重"],
        ["船用阀门", "2000", "33.3%"],
        ["船用泵", "1,600", "20%"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门、船用泵"
    assert values["lead_product_revenue_y1"] == 3600
    note = next(i for i in result.issues if i.code == "lead-products-summed")
    assert (note.sheet, note.cell, str(note.severity)) == ("表2", "第2行第1列", "info")
    assert "2 种产品" in note.message and "3600 万元" in note.message
    assert "2000 + 1,600" in note.message
    mismatch = next(i for i in result.issues if i.code == "ratio-mismatch")
    assert "33.3% + 20%" in mismatch.message and "60.00%" in mismatch.message


def test_years_across_take_the_year_before_the_round(tmp_path):
    """主导产品名称 | 2023年销售收入 | 2024年销售收入 | 2025年销售收入 in a 2026 round: 2025 is the
    lead product's revenue; the years the round does not need are named in notes."""
    rows = [
        ["主导产品名称", "2023年销售收入", "2024年销售收入", "2025年销售收入"],
        ["船用阀门", "3000", "3300", "3600"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows, note="主导产品情况（单位：万元）"))
    values = result.applicants[0].values
    assert (values["lead_product"], values["lead_product_revenue_y1"]) == ("船用阀门", 3600)
    skipped = [i.cell for i in result.issues if i.code == "year-not-needed"]
    assert skipped == ["第1行第2列", "第1行第3列"]


def test_years_in_a_second_header_row_with_a_total_row(tmp_path):
    """销售收入（万元） merged over 2024年 | 2025年, two products and a 合计 row: 2025's figures
    are summed; a 合计 that disagrees with the sum is a warning naming its cell."""
    document = docx.Document()
    basic = document.add_table(rows=2, cols=2)
    basic.cell(0, 0).text, basic.cell(0, 1).text = "企业名称", NAME
    basic.cell(1, 0).text, basic.cell(1, 1).text = "统一社会信用代码", CODE_A
    table = document.add_table(rows=5, cols=3)
    texts = [
        ["主导产品名称", "销售收入（万元）", ""],
        ["", "2024年", "2025年"],
        ["船用阀门", "3300", "3600"],
        ["船用泵", "1100", "1200"],
        ["合计", "4400", "4900"],
    ]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 2)).text = "销售收入（万元）"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "主导产品名称"
    path = tmp_path / "a.docx"
    document.save(path)
    result = read(path)
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门、船用泵"
    assert values["lead_product_revenue_y1"] == 4800
    total = next(i for i in result.issues if i.code == "lead-product-table-unread")
    assert (total.cell, str(total.severity)) == ("第5行第3列", "warning")
    assert "4900" in total.message and "4800" in total.message


def test_a_product_table_inside_a_workbook_form(tmp_path):
    """An xlsx form of label | answer rows holding 主导产品名称 | 上年度销售收入（万元） over 船用阀门 |
    3600, then more labels: the table is read, and so are the labels after it."""
    rows = [
        ["企业名称", NAME],
        ["统一社会信用代码", CODE_A],
        ["上年度营业收入（万元）", 6000],
        [None, None],
        ["主导产品名称", "上年度销售收入（万元）"],
        ["船用阀门", 3600],
        ["上年末从业人员（人）", 120],
    ]
    result = read(write_xlsx(tmp_path / "表单.xlsx", rows, title="申报表"))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门"
    assert values["lead_product_revenue_y1"] == 3600
    assert values["employees_y1"] == 120
    assert result.applicants[0].provenance["lead_product_revenue_y1"].cell == "B6"
    assert codes(result, "error") == [] and codes(result, "warning") == []


def test_a_product_without_its_figure_and_an_unknown_column_are_reported(tmp_path):
    """A product whose revenue is empty leaves the sum unknown (a warning naming the cell, no
    revenue kept); a column the catalogue does not know (产品简介) is reported with its text."""
    rows = [
        ["主导产品名称", "上年度销售收入（万元）", "产品简介"],
        ["船用阀门", "2000", "用于船舶管路"],
        ["船用泵", "", "离心泵"],
    ]
    result = read(write_docx(tmp_path / "a.docx", rows))
    values = result.applicants[0].values
    assert values["lead_product"] == "船用阀门、船用泵"
    assert "lead_product_revenue_y1" not in values
    missing = next(i for i in result.issues if i.code == "lead-product-table-unread")
    assert (missing.cell, str(missing.severity)) == ("第3行第2列", "warning")
    assert "船用泵" in missing.message
    ignored = next(i for i in result.issues if i.code == "column-ignored")
    assert (ignored.cell, str(ignored.severity)) == ("第1行第3列", "warning")
    assert "“产品简介”" in ignored.message and "“用于船舶管路”" in ignored.message


def test_a_header_with_no_row_under_it_is_never_kept_as_the_answer(tmp_path):
    """主导产品名称 | 上年度销售收入（万元） with nothing under it: the header beside the label is
    not the product's name; a warning names the cell and nothing is kept."""
    rows = [
        ["企业名称", NAME],
        ["统一社会信用代码", CODE_A],
        ["主导产品名称", "上年度销售收入（万元）"],
    ]
    result = read(write_xlsx(tmp_path / "表单.xlsx", rows, title="申报表"))
    assert "lead_product" not in result.applicants[0].values
    warning = next(i for i in result.issues if i.code == "value-looks-like-label")
    assert (warning.cell, warning.field, str(warning.severity)) == ("B3", "lead_product", "warning")
    assert "“上年度销售收入（万元）”" in warning.message
