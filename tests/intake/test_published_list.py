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


def _book(path, sheets, *, merges=(), hidden=()):
    """A workbook of ``sheets`` (title -> rows); ``merges`` as (sheet, range)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    for title, cells in merges:
        book[title].merge_cells(cells)
    book.save(path)
    return path


def test_region_headers_and_a_region_merged_down_give_every_row_its_city(tmp_path):
    """所在地区, 所属地区 and 所在城市 head the city; a city merged down a block of rows is
    each row's city."""
    for header in ("所在地区", "所属地区", "所在城市"):
        rows = [["序号", "企业名称", header], [1, "甲科技有限公司", "济南市"],
                [2, "乙机械有限公司", None], [3, "丙材料有限公司", "青岛市"]]  # fmt: skip
        path = _book(tmp_path / f"{header}.xlsx", {"名单": rows}, merges=[("名单", "C2:C3")])
        result = read_published_list(path)
        assert [r.city for r in result.rows] == ["济南市", "济南市", "青岛市"], header


def test_a_hidden_sheet_is_not_read_and_is_named(tmp_path):
    """A hidden sheet (a draft 初审未通过) enters nothing; a note names it and its rows."""
    head = ["序号", "企业名称", "设区市"]
    sheets = {
        "济南市": [head, [1, "甲科技有限公司", "济南市"]],
        "初审未通过（勿公开）": [head, [1, "东营胜利石油装备有限公司", "东营市"]],
    }
    path = _book(tmp_path / "a.xlsx", sheets, hidden=("初审未通过（勿公开）",))
    result = read_published_list(path)
    assert [r.name for r in result.rows] == ["甲科技有限公司"]
    assert [(n.code, n.sheet) for n in result.notes] == [
        ("list-sheet-hidden", "初审未通过（勿公开）")
    ]
    assert "隐藏的工作表" in result.notes[0].message and "1 行" in result.notes[0].message


def test_sheets_continuing_a_list_without_its_header_are_read(tmp_path):
    """Sheets that carry on a list's rows without repeating its header (one per city) are
    read by the first sheet's header, with a note; a sheet of other content is named as not
    read."""
    sheets = {
        "济南市": [["2023年第二批专精特新中小企业名单"], ["序号", "企业名称", "所在地区"],
                 [1, "甲科技有限公司", "济南市"], [2, "乙机械有限公司", "济南市"]],
        "青岛市": [[3, "丙材料有限公司", "青岛市"], [4, "丁电子股份有限公司", "青岛市"]],
        "说明": [["本名单按设区市分表列出"]],
    }  # fmt: skip
    result = read_published_list(_book(tmp_path / "a.xlsx", sheets))
    assert [(r.name, r.sheet, r.row) for r in result.rows][2:] == [
        ("丙材料有限公司", "青岛市", 1), ("丁电子股份有限公司", "青岛市", 2)
    ]  # fmt: skip
    notes = {n.sheet: n.message for n in result.notes}
    assert "按工作表“济南市”的表头读取 2 行" in notes["青岛市"]
    assert "没有企业名称列，未读取" in notes["说明"]


def test_section_total_and_footnote_rows_are_not_enterprises(tmp_path):
    """Rows heading a region (一 | 鲁中地区（2家）, 济南市 | 2家), totals (合计 | 4家) and
    footnotes (注： | 带*号的…) are not read as enterprises; one note lists them. A footnote
    mark after a name is not part of it."""
    rows = [
        ["序号", "企业名称", "所在地区"],
        ["一", "鲁中地区（2家）", None],
        [1, "甲科技有限公司*", "济南市"],
        [2, "乙机械有限公司", "淄博市"],
        [None, "济南市", "2家"],
        [3, "丙材料有限公司", "济南市"],
        ["合计", "4家", None],
        ["注：", "带*号的企业为复核通过企业。", None],
    ]
    result = read_published_list(_book(tmp_path / "a.xlsx", {"名单": rows}))
    assert [r.name for r in result.rows] == ["甲科技有限公司", "乙机械有限公司", "丙材料有限公司"]
    assert result.problems == []
    skipped = [n for n in result.notes if n.code == "list-rows-not-enterprises"]
    assert len(skipped) == 1 and "第 2、5、7、8 行" in skipped[0].message
    marks = [n for n in result.notes if n.code == "list-name-mark"]
    assert len(marks) == 1 and "“*”" in marks[0].message


def test_a_name_header_with_a_note_and_a_former_name_are_read(tmp_path):
    """企业名称（全称） over two lines heads the name column; 新名（原旧名） is the enterprise's
    present name, its former one in a note."""
    rows = [
        ["序号", "企业名称\n（全称）", "设区市"],
        [1, "山东鲁信智能装备有限公司（原山东鲁信精密科技有限公司）", "济南市"],
        [2, "乙机械有限公司（曾用名：乙机械厂）", "淄博市"],
        [3, "山东金盾（集团）机械有限公司", "烟台市"],
    ]
    result = read_published_list(_book(tmp_path / "a.xlsx", {"名单": rows}))
    assert result.problems == []
    assert [(r.name, r.former_name) for r in result.rows] == [
        ("山东鲁信智能装备有限公司", "山东鲁信精密科技有限公司"),
        ("乙机械有限公司", "乙机械厂"),
        ("山东金盾（集团）机械有限公司", None),
    ]


def test_a_word_table_continued_after_a_page_break_is_read_and_named_as_a_table(tmp_path):
    """A Word list whose second table carries on without the header is read by the first's,
    its note naming 表格“表2”."""
    import docx

    document = docx.Document()
    document.add_paragraph("2024年专精特新中小企业第二批名单")
    first = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "企业名称", "设区市"], ["1", "甲科技有限公司", "济南市"],
                             ["2", "乙机械有限公司", "淄博市"]]):  # fmt: skip
        for c, text in enumerate(row):
            first.cell(r, c).text = text
    document.add_page_break()
    second = document.add_table(rows=1, cols=3)
    for c, text in enumerate(["3", "丙材料有限公司", "青岛市"]):
        second.cell(0, c).text = text
    document.save(tmp_path / "名单.docx")
    result = read_published_list(tmp_path / "名单.docx")
    assert [r.name for r in result.rows] == ["甲科技有限公司", "乙机械有限公司", "丙材料有限公司"]
    assert [n.where() for n in result.notes] == ["名单.docx，表格“表2”"]


def test_names_that_end_like_places_and_blocks_under_a_merged_city_are_enterprises(tmp_path):
    """苏州美家超市 and 常州恐龙园景区 are enterprises, not places heading a section; a list
    whose 设区市 is merged down its block (no 序号) reads every name of the block, each with
    its city; a 原认定年度 merged down is each row's year."""
    rows = [
        ["设区市", "企业名称", "原认定年度"],
        ["苏州市", "苏州美家超市", 2021],
        [None, "苏州甲精密科技有限公司", None],
        ["常州市", "常州恐龙园景区", 2022],
        [None, "常州乙装备有限公司", None],
    ]
    path = _book(tmp_path / "a.xlsx", {"名单": rows}, merges=[("名单", "A2:A3"),
                 ("名单", "A4:A5"), ("名单", "C2:C3"), ("名单", "C4:C5")])  # fmt: skip
    result = read_published_list(path)
    assert [(r.name, r.city, r.year) for r in result.rows] == [
        ("苏州美家超市", "苏州市", 2021),
        ("苏州甲精密科技有限公司", "苏州市", 2021),
        ("常州恐龙园景区", "常州市", 2022),
        ("常州乙装备有限公司", "常州市", 2022),
    ]
    assert not [n for n in result.notes if n.code == "list-rows-not-enterprises"]


def test_a_headerless_sheet_of_another_table_and_a_hidden_only_list_are_not_read(tmp_path):
    """A sheet without a header that opens with a heading of its own (以下企业未通过复核) is
    another table: named as not read. A file whose only list is on a hidden sheet is refused
    saying so, not that it has no name column."""
    sheets = {
        "名单": [["序号", "企业名称"], [1, "甲科技有限公司"]],
        "未通过": [["以下企业未通过复核"], [None, "乙机械有限公司"], [None, "丙材料有限公司"]],
    }
    result = read_published_list(_book(tmp_path / "a.xlsx", sheets))
    assert [r.name for r in result.rows] == ["甲科技有限公司"]
    assert [(n.code, n.sheet) for n in result.notes] == [("list-sheet-skipped", "未通过")]
    hidden = {"说明": [["本表为内部稿"]], "草稿": [["序号", "企业名称"], [1, "丁公司"]]}
    refused = read_published_list(_book(tmp_path / "b.xlsx", hidden, hidden=("草稿",)))
    assert [p.code for p in refused.problems] == ["list-name-column-missing"]
    assert "只有隐藏的工作表“草稿”列有企业" in refused.problems[0].message


def test_a_year_that_is_no_year_is_named_and_quoted_short(tmp_path):
    """A 原认定年度 that is no year is refused naming the row, quoting 5,000 characters of
    digits cut short with their length."""
    rows = [["序号", "企业名称", "原认定年度"], [1, "甲科技有限公司", "9" * 5000]]
    result = read_published_list(_book(tmp_path / "a.xlsx", {"名单": rows}))
    assert [(p.code, p.row) for p in result.problems] == [("list-year-unreadable", 2)]
    message = result.problems[0].message
    assert "不是年份" in message and "（共 5000 个字符）" in message and len(message) < 200


def test_a_web_page_list_named_xls_is_read_and_its_rows_named_in_tables(tmp_path):
    """A platform's list exported as a web page named .xls is read like the workbook: its
    title, names and regions; a problem is placed in 表格“表1”, as for a Word list."""
    names = list_names(3)
    rows = "".join(
        f"<tr><td>{i}</td><td>{n}</td><td>南京市</td></tr>" for i, n in enumerate(names, 1)
    )
    page = (
        "<html><body><table><tr><td colspan=3>2024年度江苏省专精特新中小企业认定名单</td></tr>"
        f"<tr><td>序号</td><td>企业名称</td><td>所在地区</td></tr>{rows}"
        f"<tr><td>4</td><td>{names[0]}</td><td>南京市</td></tr></table></body></html>"
    )
    path = tmp_path / "认定名单.xls"
    path.write_text(page, "utf-8")
    result = read_published_list(path)
    assert result.document_title == "2024年度江苏省专精特新中小企业认定名单"
    [problem] = result.problems
    assert problem.code == "list-name-duplicate" and "表格“表1”" in problem.where()


def test_a_web_page_lists_caption_is_its_title(tmp_path):
    """A list whose title is the table's caption (<caption>2024年度…名单</caption>) has it as
    its title, so a year or title differing from the import's is noticed."""
    names = list_names(2)
    rows = "".join(f"<tr><td>{n}</td><td>南京市</td></tr>" for n in names)
    path = tmp_path / "名单.xls"
    path.write_text(
        "<html><body><table><caption>2024年度江苏省专精特新中小企业认定名单</caption>"
        f"<tr><th>企业名称</th><th>所在地区</th></tr>{rows}</table></body></html>",
        "utf-8",
    )
    result = read_published_list(path)
    assert result.document_title == "2024年度江苏省专精特新中小企业认定名单"
    assert [r.name for r in result.rows] == names and result.rows[0].row == 3
