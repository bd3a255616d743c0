"""Reading published lists: title row, header variants, brackets, and each bad input named."""

from __future__ import annotations

from tests.registry_fixtures import list_names, write_docx_list, write_list
from zjtx.domain.names import normalise_name
from zjtx.intake.published_list import read_published_list


def test_a_list_with_a_title_row_gives_one_row_per_enterprise(tmp_path):
    """1,200 names under a merged title row: every name, its region and its sheet row."""
    names = list_names(1200)
    result = read_published_list(write_list(tmp_path / "名单.xlsx", names))
    assert result.problems == []
    assert result.document_title == "2024年度江苏省专精特新中小企业认定名单"
    assert [r.name for r in result.rows] == names
    assert (result.rows[0].row, result.rows[0].city, result.rows[0].county) == (
        3,
        "南京市",
        "玄武区",
    )
    assert result.rows[3].name.count("（") == 1 and result.rows[3].uscc is None


def test_csv_and_other_header_words_are_read(tmp_path):
    """A CSV with 企业名单 | 地市 | 区县 headers is read like the workbook."""
    path = write_list(
        tmp_path / "名单.csv", list_names(5), header=("序号", "企业名单", "地市", "区县")
    )
    result = read_published_list(path)
    assert [r.name for r in result.rows] == list_names(5) and result.rows[1].city == "苏州市"


def test_brackets_spaces_and_company_forms_normalise_alike():
    """Full-width and half-width brackets, spaces, 有限责任公司 and 有限公司 are one name."""
    assert normalise_name("南京（江宁）智能 装备有限责任公司") == normalise_name(
        "南京(江宁)智能装备有限公司"
    )
    assert normalise_name("ＡＢＣ１２３科技有限公司") == normalise_name("abc123科技有限公司")
    assert normalise_name("甲股份有限公司") != normalise_name("甲有限公司")


def test_a_list_without_a_name_column_is_one_problem(tmp_path):
    """No 企业名称 column: one message naming the file, and no rows."""
    path = write_list(
        tmp_path / "无名称.xlsx", list_names(3), header=("序号", "单位", "地市", "区县")
    )
    result = read_published_list(path)
    assert result.rows == []
    assert [(p.code, p.file) for p in result.problems] == [
        ("list-name-column-missing", "无名称.xlsx")
    ]
    assert "找不到企业名称列" in result.problems[0].message


def test_duplicate_names_and_bad_codes_are_named_with_sheet_and_row(tmp_path):
    """A name twice and an invalid USCC: one problem each, with the sheet row."""
    names = list_names(4)
    names[2] = names[0].replace("有限公司", "有限责任公司")
    codes = ["", "913201001234", "", ""]
    result = read_published_list(write_list(tmp_path / "重复.xlsx", names, usccs=codes))
    assert sorted((p.code, p.sheet, p.row) for p in result.problems) == [
        ("list-name-duplicate", "名单", 3),
        ("list-uscc-invalid", "名单", 4),
    ]
    duplicate = next(p for p in result.problems if p.code == "list-name-duplicate")
    assert "另见第 5 行" in duplicate.message


def test_a_word_list_is_read_from_its_tables(tmp_path):
    """A .docx list: title paragraph, names over two tables, each row with its table and row."""
    names = list_names(45)
    result = read_published_list(write_docx_list(tmp_path / "名单.docx", names, per_table=30))
    assert result.problems == []
    assert result.document_title.startswith("2024年度江苏省专精特新中小企业认定名单")
    assert [r.name for r in result.rows] == names
    assert (result.rows[0].sheet, result.rows[0].row, result.rows[0].city) == ("表1", 2, "南京市")
    assert (result.rows[30].sheet, result.rows[30].row) == ("表2", 2)


def test_a_word_list_without_a_name_column_is_refused(tmp_path):
    """A .docx whose table has no 企业名称 column: one message naming what is missing."""
    from docx import Document

    document = Document()
    document.add_paragraph("通知")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "项目"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "某项目"
    document.save(str(tmp_path / "通知.docx"))
    result = read_published_list(tmp_path / "通知.docx")
    assert [p.code for p in result.problems] == ["list-name-column-missing"]
    assert result.rows == []
