"""Word 申请书 (.docx): every table read with the sheet's label/column recognition, positions as
"表2 第3行第2列", merged cells, and one clear error for each kind of bad file."""

import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from tests.intake.helpers import CODE_A, CODE_B, read, write_xlsx
from zjtx.cli import main

NAME = "泉州晋江新材料科技有限公司"


def write_application(
    path: Path,
    *,
    name_label: str = "企业名称（盖章）",
    years: tuple[str, ...] = ("2025年", "2024年", "2023年"),
    unit_note: str = "经济指标（万元）",
    intro_name: bool = False,
    note_paragraph: str | None = None,
    before: tuple[str, ...] = (),
) -> Path:
    """A 申请书: a basic-data table (four columns, merged cells), an indicator table with a
    merged group header over the year columns, and an IP list."""
    document = docx.Document()
    document.add_heading("专精特新中小企业申请书", level=1)
    for text in before:
        document.add_paragraph(text)
    if intro_name:
        document.add_paragraph(f"企业名称：{NAME}")
    document.add_paragraph("一、企业基本情况")
    basic = document.add_table(rows=4, cols=4)
    cells = [
        [name_label, NAME, None, None],
        ["统一社会信用代码", CODE_A, "成立日期", "2009年6月18日"],
        ["主导产品名称", "高性能改性尼龙", "从事特定细分市场年限", "12年"],
        ["申报类型", "新申报", "所属行业代码", "C2651"],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text is not None:
                basic.cell(r, c).text = text
    basic.cell(0, 1).merge(basic.cell(0, 3))  # the name spans three columns
    document.add_paragraph("二、主要经济指标")
    if note_paragraph:
        document.add_paragraph(note_paragraph)
    table = document.add_table(rows=6, cols=4)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = unit_note
    table.cell(0, 1).merge(table.cell(0, 3))
    table.cell(0, 0).merge(table.cell(1, 0))  # 指标 spans both header rows
    data = {  # in the order of the year columns, the first one 12000.5
        "营业收入": ("12000.5", "10000", "9000"),
        "主营业务收入": ("11800", "9800", "8800"),
        "研发费用": ("800", "700", "600"),
        "从业人员（人）": tuple("150" if y == newest(years) else "" for y in years),
    }
    for c, year in enumerate(years, start=1):
        table.cell(1, c).text = year
    for r, (label, amounts) in enumerate(data.items(), start=2):
        table.cell(r, 0).text = label
        for c, amount in enumerate(amounts, start=1):
            table.cell(r, c).text = amount
    document.add_paragraph("三、知识产权清单")
    ip = document.add_table(rows=2, cols=4)
    for c, text in enumerate(["名称", "类型", "授权号", "获得方式"]):
        ip.cell(0, c).text = text
    for c, text in enumerate(["一种改性尼龙", "发明专利", "ZL202010000001.1", "自主研发"]):
        ip.cell(1, c).text = text
    document.add_paragraph("本单位承诺以上内容真实。联系人：张三")
    document.save(path)
    return path


def newest(years: tuple[str, ...]) -> str:
    """The most recent of the year headers (近一年 is the most recent)."""
    return max(years, key=lambda y: {"近一年": 3, "近两年": 2, "近三年": 1}.get(y) or int(y[:4]))


def fill(table, rows: list[list[str | None]]) -> None:
    """Write the rows into a Word table, leaving None and "" cells empty."""
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text


def read_with_table(tmp_path: Path, rows: list[list[str]]):
    """The baseline 申请书 with one more table of the given rows, read."""
    path = write_application(tmp_path / "a.docx")
    document = docx.Document(path)
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    fill(table, rows)
    document.save(path)
    return read(path)


def read_grouped(tmp_path: Path, rows: list[list[str | None]], groups):
    """A one-table form of three columns: name and code rows merged across their answer
    columns, and each (top, bottom) of ``groups`` a label merged down column A; read."""
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=3)
    fill(table, rows)
    for r in (0, 1):
        table.cell(r, 1).merge(table.cell(r, 2))
    for top, bottom in groups:
        table.cell(top, 0).merge(table.cell(bottom, 0))
    path = tmp_path / "a.docx"
    document.save(path)
    return read(path)


def check_json(path, capsys) -> dict:
    """`zjtx check FILE --year 2026 --json` in-process."""
    main(["check", str(path), "--year", "2026", "--json"])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("name_label", "years", "unit_note"),
    [
        ("企业名称（盖章）", ("2025年", "2024年", "2023年"), "经济指标（万元）"),
        ("申报单位", ("2023年度", "2024年度", "2025年度"), "单位：万元"),
        ("企业完整名称", ("近一年", "近两年", "近三年"), "金额（万元）"),
        ("企业名称", ("2025年1-12月", "2024年（经审计）", "2023年全年"), "经济指标（万元）"),
    ],
)
def test_application_docx_reads_into_one_applicant(tmp_path, capsys, name_label, years, unit_note):
    """Basic data, indicators by year under a merged header: one applicant, money in 万元."""
    path = write_application(
        tmp_path / "申请书.docx", name_label=name_label, years=years, unit_note=unit_note
    )
    payload = check_json(path, capsys)
    assert payload["summary"]["total"]["rows_imported"] == 1, payload["issues"]
    values = payload["applicants"][0]
    by_year = dict(zip(years, ("12000.5", "10000", "9000"), strict=True))
    assert values["name"] == NAME and values["uscc"] == CODE_A
    assert values["founded"] == "2009-06-18" and values["niche_years"] == 12
    assert values["lead_product"] == "高性能改性尼龙" and values["application_type"] == "new"
    assert Decimal(str(values["revenue_y1"])) == Decimal(by_year[newest(years)])
    assert values["employees_y1"] == 150
    assert not [i for i in payload["issues"] if i["severity"] == "error"]


def test_docx_positions_name_table_row_and_column(tmp_path):
    """Provenance and mapping give 表N and 第r行第c列 (merged cells counted as one)."""
    result = read(write_application(tmp_path / "a.docx"))
    applicant = result.applicants[0]
    revenue = applicant.provenance["revenue_y1"]
    assert (revenue.sheet, revenue.cell, revenue.raw) == ("表2", "第3行第2列", "12000.5")
    assert applicant.provenance["uscc"].sheet == "表1"
    assert applicant.provenance["uscc"].cell == "第2行第2列"
    assert any(m.sheet == "表2" and m.field == "revenue_y1" for m in result.files[0].column_mapping)
    assert result.files[0].kind == "form"


def test_name_paragraph_outside_tables_is_read(tmp_path):
    """“企业名称：X” written as a paragraph is read; other text outside tables is ignored."""
    path = write_application(tmp_path / "a.docx", name_label="联系电话", intro_name=True)
    result = read(path)
    applicant = result.applicants[0]
    assert applicant.values["name"] == NAME
    assert applicant.provenance["name"].sheet == "正文"


def test_docx_that_is_not_a_zip_is_one_clear_error(tmp_path):
    """A .docx that is not a zip: one error naming the file, the other file still read."""
    bad = tmp_path / "坏.docx"
    bad.write_text("这不是 Word 文档")
    good = write_application(tmp_path / "好.docx")
    result = read(bad, good)
    issues = [(i.file, i.code, str(i.severity)) for i in result.issues if i.file == "坏.docx"]
    assert issues == [("坏.docx", "file-corrupt", "error")]
    assert "坏.docx" in result.issues[0].message and "Word" in result.issues[0].message
    assert len(result.applicants) == 1


def test_password_protected_docx_is_one_clear_error(tmp_path):
    """An encrypted .docx (an OLE container): 文件已加密, with how to fix it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_application(tmp_path / "plain.docx")
    encrypted = tmp_path / "加密.docx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    result = read(encrypted)
    assert [(i.code, str(i.severity)) for i in result.issues] == [("file-encrypted", "error")]
    assert "加密.docx" in result.issues[0].message and "Word" in result.issues[0].message


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_file_says_save_as_docx(tmp_path, suffix):
    """A legacy .doc (OLE, not encrypted): “请另存为 .docx”."""
    path = tmp_path / f"旧申请书{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + b"WordDocument")
    result = read(path)
    assert [(i.code, str(i.severity)) for i in result.issues] == [
        ("file-format-unsupported", "error")
    ]
    assert "另存为 .docx" in result.issues[0].message and path.name in result.issues[0].message


def test_table_with_rows_of_different_lengths_is_an_error_other_tables_kept(tmp_path):
    """A ragged table is one error naming it; the other tables are still read."""
    path = write_application(tmp_path / "a.docx")
    document = docx.Document(path)
    ip_table = document.tables[2]
    row = ip_table.rows[1]._tr
    row.remove(row.tc_lst[-1])  # the second row now has 3 cells, the first 4
    document.save(path)
    result = read(path)
    ragged = [i for i in result.issues if i.code == "table-ragged"]
    assert len(ragged) == 1 and ragged[0].sheet == "表3" and "第2行" in ragged[0].message
    blocked = result.files[0].blocked_applicants
    assert len(blocked) == 1 and blocked[0].values["revenue_y1"] == Decimal("12000.5")


def test_folder_with_docx_and_roster_reads_both(tmp_path):
    """A folder mixing a 申请书 and a roster: both read, .docx no longer skipped."""
    write_application(tmp_path / "申请书.docx")
    write_xlsx(tmp_path / "名单.xlsx", [["企业名称", "统一社会信用代码"], ["乙", CODE_B]])
    result = read(tmp_path)
    assert sorted(a.values["uscc"] for a in result.applicants) == sorted([CODE_A, CODE_B])


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W14_NS = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def _box_runs(kind: str, ticked: bool) -> list[str]:
    """The runs of one Word checkbox: an inserted symbol, a legacy form field, or a content
    control (which shows ☒ or ☐ as text)."""
    if kind == "symbol":
        return [
            f'<w:r {W_NS}><w:sym w:font="Wingdings 2" w:char="{"F052" if ticked else "F0A3"}"/></w:r>'
        ]
    if kind == "form-field":
        return [
            f'<w:r {W_NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:sizeAuto/>'
            f'<w:default w:val="{int(ticked)}"/></w:checkBox></w:ffData></w:fldChar></w:r>',
            f'<w:r {W_NS}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>',
            f'<w:r {W_NS}><w:fldChar w:fldCharType="end"/></w:r>',
        ]
    return [
        f'<w:sdt {W_NS} {W14_NS}><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(ticked)}"/>'
        "</w14:checkbox></w:sdtPr><w:sdtContent><w:r>"
        f"<w:t>{'☒' if ticked else '☐'}</w:t></w:r></w:sdtContent></w:sdt>"
    ]


@pytest.mark.parametrize("kind", ["symbol", "form-field", "content-control"])
def test_word_checkboxes_give_the_ticked_option(tmp_path, kind):
    """Word's own checkboxes (an inserted Wingdings symbol, a legacy form field, a content
    control) in 申报类型 and 是/否 cells give the option ticked."""
    from docx.oxml import parse_xml

    path = write_application(tmp_path / "a.docx")
    document = docx.Document(path)
    basic = document.tables[0]
    extra = basic.add_row().cells
    extra[0].text = "是否高新技术企业"
    for cell, options, chosen in (
        (basic.cell(3, 1), ("新申报", "复核"), "复核"),
        (extra[1], ("是", "否"), "是"),
    ):
        cell.text = ""
        paragraph = cell.paragraphs[0]._p
        for option in options:
            for run in _box_runs(kind, option == chosen):
                paragraph.append(parse_xml(run))
            paragraph.append(
                parse_xml(f'<w:r {W_NS}><w:t xml:space="preserve">{option}  </w:t></w:r>')
            )
    document.save(path)
    result = read(path)
    assert [i.code for i in result.issues if str(i.severity) == "error"] == []
    values = result.applicants[0].values
    assert (values["application_type"], values["high_tech_enterprise"]) == ("renewal", True)


@pytest.mark.parametrize(
    ("note", "revenue", "code"),
    [
        ("单位：千元", Decimal("1200.05"), "unit-from-note"),
        ("（金额单位：元）", Decimal("1.20005"), "unit-from-note"),
        (None, Decimal("12000.5"), "unit-assumed"),
    ],
)
def test_money_unit_noted_above_a_word_table(tmp_path, note, revenue, code):
    """A money unit noted in the paragraph above a Word table (单位：千元) is the unit of its
    amounts that name none, with a note saying where it was read; without any, the amounts
    are read in 万元 and a note says so."""
    path = write_application(tmp_path / "a.docx", unit_note="指标值", note_paragraph=note)
    result = read(path)
    values = result.applicants[0].values
    assert values["revenue_y1"] == revenue
    assert values["revenue_y1"] / values["rd_expense_y1"] == Decimal("12000.5") / 800
    notes = [i for i in result.issues if i.code in ("unit-from-note", "unit-assumed")]
    assert [(i.code, str(i.severity), i.sheet) for i in notes] == [(code, "info", "表2")]
    if note:
        assert f"“{note}”" in notes[0].message and "第5段" in notes[0].message


def test_roster_typed_as_a_word_table_is_read_as_a_roster(tmp_path):
    """A 推荐名单 typed as a Word table is one enterprise a row, not one applicant (which kept
    the first row and dropped the rest without a word), and its unit-less amounts take the
    unit noted above it (金额单位：元)."""
    document = docx.Document()
    document.add_paragraph("2026年专精特新中小企业推荐名单")
    document.add_paragraph("金额单位：元")
    table = document.add_table(rows=3, cols=3)
    rows = [["企业名称", "统一社会信用代码", "2025年营业收入"], ["甲公司", CODE_A, "12000000"]]
    rows.append(["乙公司", CODE_B, "9000000"])
    fill(table, rows)
    path = tmp_path / "名单.docx"
    document.save(path)
    result = read(path)
    assert [a.values["revenue_y1"] for a in result.applicants] == [1200, 900]
    assert result.files[0].reading == "roster"
    assert [i.code for i in result.issues] == ["reading-chosen", "unit-from-note"]
    [note] = [i for i in result.issues if i.code == "unit-from-note"]
    assert "按表格上方第2段的“金额单位：元”读作元" in note.message


@pytest.mark.parametrize(
    "before",
    [
        (
            "填表说明",
            "企业名称：填写营业执照上的企业全称。",
            "统一社会信用代码：18位，须与营业执照一致。",
            "从业人员：上年末从业人员数，含劳务派遣人员。",
            "（7）申报类型：新申报或复核。",
            "金额单位",
        ),
        ("填报要求：申报类型栏填写新申报或复核。", "数字化水平等级：按评测结果填写"),
    ],
)
def test_instructions_are_not_read_as_answers(tmp_path, before):
    """填表说明 paragraphs (企业名称：填写营业执照上的企业全称。) and hints (数字化水平等级：按评测
    结果填写) are instructions, not the applicant's answers: the tables' values stand, with no
    conflict and no error."""
    result = read(write_application(tmp_path / "a.docx", before=before))
    assert [i.code for i in result.issues if str(i.severity) != "info"] == []
    values = result.applicants[0].values
    assert (values["name"], values["application_type"]) == (NAME, "new")
    assert "digital_level" not in values


def test_blank_template_says_it_is_unfilled(tmp_path):
    """A 申请书 whose labels are all there but nothing is filled in is skipped as an unfilled
    template, not reported as a document without the form's labels."""
    document = docx.Document()
    document.add_paragraph("专精特新中小企业申请书")
    basic = document.add_table(rows=3, cols=4)
    labels = [["企业名称", "", "统一社会信用代码", ""], ["成立日期", "", "申报类型", ""]]
    labels.append(["主导产品名称", "", "从业人员（人）", ""])
    for r, row in enumerate(labels):
        for c, text in enumerate(row):
            basic.cell(r, c).text = text
    indicators = document.add_table(rows=3, cols=4)
    for c, text in enumerate(["指标（万元）", "2025年", "2024年", "2023年"]):
        indicators.cell(0, c).text = text
    indicators.cell(1, 0).text = "营业收入"
    indicators.cell(2, 0).text = "研发费用"
    path = tmp_path / "模板.docx"
    document.save(path)
    result = read(path)
    assert result.applicants == []
    assert [(i.code, str(i.severity)) for i in result.issues] == [("form-empty", "info")]
    assert "都没有填写，像是空白模板" in result.issues[0].message


def test_files_named_docx_that_are_something_else_say_what_they_are(tmp_path):
    """A legacy .doc renamed .docx says what it is and what to do; an Excel workbook renamed
    .docx is read as the roster it is, with a note; neither is called damaged."""
    legacy = tmp_path / "申请书.docx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + b"WordDocument")
    workbook = write_xlsx(tmp_path / "名单.xlsx", [["企业名称"], ["甲"]]).rename(
        tmp_path / "名单.docx"
    )
    result = read(legacy, workbook)
    messages = {i.file: i.message for i in result.issues}
    assert "这是旧版 Word 文档（.doc），只是扩展名写成了“.docx”" in messages["申请书.docx"]
    notes = [i.message for i in result.issues if i.code == "file-read-by-content"]
    assert notes == ["名单.docx：这是 Excel 工作簿（.xlsx），只是扩展名为“.docx”：已按其内容读取"]


def test_label_and_answer_in_one_cell_and_sub_labels(tmp_path):
    """A cell holding its label and answer (研发机构级别：省级, one per line in a cell), a
    sub-label under 其中 (其中：研发人员（人）), and a question asked with 是否被 are read; a
    label the catalogue does not know with a figure beside it is named in a warning, its figure
    not imported."""
    path = write_application(tmp_path / "a.docx")
    document = docx.Document(path)
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text = "研发机构级别：省级\n拥有自主品牌：是"
    table.cell(0, 1).text = "联系人：张三"
    table.cell(1, 0).text = "其中：研发人员（人）"
    table.cell(1, 1).text = "32"
    table.cell(2, 0).text = "是否被列入经营异常名录"
    table.cell(2, 1).text = "否"
    table.cell(3, 0).text = "上年度出口创汇（万元）"
    table.cell(3, 1).text = "1,200"
    indicators = document.tables[1]
    indicators.add_row().cells[0].text = "其中：主营业务收入（万元）"  # a label, not an answer
    document.save(path)
    result = read(path)
    assert [i.code for i in result.issues if str(i.severity) == "error"] == []
    values = result.applicants[0].values
    assert values["rd_institution_level"] == "provincial"
    assert values["own_brand"] is True
    assert values["rd_staff_y1"] == 32
    assert values["abnormal_operation"] is False
    provenance = result.applicants[0].provenance["rd_institution_level"]
    assert (provenance.sheet, provenance.cell) == ("表4", "第1行第1列")
    ignored = [i for i in result.issues if i.code == "label-ignored"]
    assert [(str(i.severity), i.sheet, i.cell) for i in ignored] == [
        ("warning", "表4", "第4行第1列")
    ]
    assert (
        "“上年度出口创汇（万元）”" in ignored[0].message and "“1,200”未导入" in ignored[0].message
    )


def test_group_label_merged_down_over_sub_labels(tmp_path):
    """A group label merged down over rows of sub-labels (主导产品 over 产品名称 | 上年度销售收入
    | 从事该细分市场年限; 营业收入 over 2025年（万元）…) reads each sub-label with the group's
    words and takes the answer beside it; the group no longer takes a sub-label as its
    answer."""
    rows = [
        ["企业名称", NAME, None],
        ["统一社会信用代码", CODE_A, None],
        ["主导产品", "产品名称", "精密行星减速机"],
        [None, "上年度销售收入（万元）", "8600"],
        [None, "从事该细分市场年限", "12"],
        ["从业人员", "上年末从业人员总数（人）", "186"],
        [None, "其中研发人员（人）", "32"],
        ["营业收入", "2025年（万元）", "12800"],
        [None, "2024年（万元）", "10500"],
    ]
    result = read_grouped(tmp_path, rows, ((2, 4), (5, 6), (7, 8)))
    assert [(i.code, i.cell) for i in result.issues if str(i.severity) != "info"] == []
    values = result.applicants[0].values
    assert values["lead_product"] == "精密行星减速机"
    assert values["lead_product_revenue_y1"] == 8600
    assert values["niche_years"] == 12
    assert (values["employees_y1"], values["rd_staff_y1"]) == (186, 32)
    assert (values["revenue_y1"], values["revenue_y2"]) == (12800, 10500)
    assert result.applicants[0].provenance["lead_product"].cell == "第3行第3列"


@pytest.mark.parametrize("corner", ["项目", "", "指标名称"])
def test_years_as_rows_under_any_corner(tmp_path, corner):
    """A table of years as rows is read whatever its corner says (项目, 指标名称 or nothing),
    when the cells under the corner are years."""
    document = docx.Document()
    basic = document.add_table(rows=2, cols=2)
    for r, (label, value) in enumerate((("企业名称", NAME), ("统一社会信用代码", CODE_A))):
        basic.cell(r, 0).text, basic.cell(r, 1).text = label, value
    rows = [[corner, "营业收入（万元）", "研发费用（万元）"], ["2025年", "12800", "760"]]
    rows.append(["2024年", "10500", "610"])
    table = document.add_table(rows=3, cols=3)
    fill(table, rows)
    path = tmp_path / "a.docx"
    document.save(path)
    result = read(path)
    assert [i.code for i in result.issues if str(i.severity) != "info"] == []
    values = result.applicants[0].values
    assert (values["revenue_y1"], values["revenue_y2"]) == (12800, 10500)
    assert (values["rd_expense_y1"], values["rd_expense_y2"]) == (760, 610)


def test_code_printed_in_eighteen_boxes_is_one_code(tmp_path):
    """A 统一社会信用代码 written one character per box (18 cells after its label) is read as
    the one code it is."""
    document = docx.Document()
    table = document.add_table(rows=2, cols=19)
    table.cell(0, 0).text = "统一社会信用代码"
    for c, character in enumerate(CODE_A, start=1):
        table.cell(0, c).text = character
    table.cell(1, 0).text = "企业名称"
    table.cell(1, 1).merge(table.cell(1, 18)).text = NAME
    path = tmp_path / "a.docx"
    document.save(path)
    result = read(path)
    assert [i.code for i in result.issues if str(i.severity) != "info"] == []
    assert result.applicants[0].values["uscc"] == CODE_A
    assert result.applicants[0].provenance["uscc"].cell == "第1行第2列"


def test_code_boxes_on_the_row_under_a_label_merged_across(tmp_path):
    """A 统一社会信用代码 label merged across its row, with the code's 18 boxes on the row
    under it, is read as that code."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=19)
    table.cell(0, 0).text = "企业名称"
    table.cell(0, 1).merge(table.cell(0, 18)).text = NAME
    table.cell(1, 0).merge(table.cell(1, 18)).text = "统一社会信用代码"
    for c, character in enumerate(CODE_A, start=1):
        table.cell(2, c).text = character
    path = tmp_path / "a.docx"
    document.save(path)
    result = read(path)
    assert [i.code for i in result.issues if str(i.severity) != "info"] == []
    assert result.applicants[0].values["uscc"] == CODE_A
    assert result.applicants[0].provenance["uscc"].cell == "第3行第2列"

    # With nothing under it, the missing code is placed at its label, not beyond the table.
    table._tbl.remove(table.rows[2]._tr)
    document.save(path)
    missing = read(path).issues
    assert [(i.code, i.cell) for i in missing] == [("missing-required", "表1 第2行第1列")]


def test_two_enterprises_in_one_application_say_so_once(tmp_path):
    """A Word document holding two enterprises' forms is one error saying so, listed before
    the conflicts it causes and counting them."""
    first = write_application(tmp_path / "a.docx")
    document = docx.Document(first)
    second = document.add_table(rows=3, cols=2)
    second.cell(0, 0).text, second.cell(0, 1).text = "企业名称", "另一家科技有限公司"
    second.cell(1, 0).text, second.cell(1, 1).text = "统一社会信用代码", CODE_B
    second.cell(2, 0).text, second.cell(2, 1).text = "从业人员", "300"
    document.save(first)
    result = read(first)
    several = [i for i in result.issues if i.code == "form-several-applicants"]
    assert len(several) == 1 and str(several[0].severity) == "error"
    assert "另一家企业（另一家科技有限公司，" in several[0].message and CODE_B in several[0].message
    errors = [i.code for i in result.issues if str(i.severity) == "error"]
    assert errors == ["form-several-applicants", *["conflicting-values"] * 3]
    assert "下列 3 处“不一致”即由此而来" in several[0].message

    # The same name with （盖章） after it is the same enterprise, and the same name.
    same = write_application(tmp_path / "b.docx", name_label="企业名称")
    document = docx.Document(same)
    paragraph = document.add_paragraph(f"企业名称：{NAME}（盖章）")
    assert paragraph.text
    document.save(same)
    assert [i.code for i in read(same).issues if str(i.severity) == "error"] == []


def test_answers_that_start_like_hints_are_answers(tmp_path):
    """按期报告 is an answer, not a hint: a hint says 填写 or starts with 请 or 是指."""
    path = write_application(tmp_path / "a.docx", before=("重大变化报告情况：按期报告",))
    result = read(path)
    assert result.applicants[0].values["major_change_report"] == "on_time"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [
                ["高新技术企业认定日期", "2023年12月31日", "有效期至", "2026年12月31日"],
                ["净利润（万元）", "960", "研发人员（人）", "32"],
                ["负债总额（万元）", "5200", "资产总额（万元）", "15600"],
            ],
            {"net_profit_y1": 960, "rd_staff_y1": 32, "total_liabilities_y1": 5200},
        ),
        (
            [
                ["主导产品销售收入（万元）", "", "资产总额（万元）", "15600"],
                ["高新技术企业认定年份", "2023", "负债总额（万元）", "5200"],
                ["研发人员（人）", "32", "", ""],
            ],
            {"total_assets_y1": 15600, "total_liabilities_y1": 5200, "rd_staff_y1": 32},
        ),
    ],
)
def test_a_date_or_year_given_as_a_value_heads_no_years(tmp_path, rows, expected):
    """A date at a year's end beside its label (认定日期 2023年12月31日, 有效期至 …), or a year
    given as a value under a blank answer (… | 认定年份 | 2023), is a value: no year heading
    or years-as-rows corner takes the labels around it."""
    result = read_with_table(tmp_path, rows)
    assert [i.code for i in result.issues if str(i.severity) == "error"] == []
    values = result.applicants[0].values
    assert {key: values.get(key) for key in expected} == expected


def test_prose_beside_its_label_is_not_read_as_answers(tmp_path):
    """An 企业简介 cell whose lines read like answers (主导产品：…, 营业收入：2025年12800万元) is
    prose beside its label: nothing in it is read as an answer."""
    prose = (
        "企业名称：苏州恒锐公司（以下简称恒锐）成立于2012年\n主导产品：精密行星减速机、谐波减速机"
        "\n营业收入：2025年12800万元"
    )
    result = read_with_table(tmp_path, [["企业简介", prose]])
    assert [i.code for i in result.issues if str(i.severity) == "error"] == []
    assert result.applicants[0].values["name"] == NAME


def test_a_merged_label_over_answers_is_no_group(tmp_path):
    """主导产品 merged over two rows of answers (精密行星减速机 | 占营业收入67%) names no field with
    any of them: it is a label with its answer beside it, as before."""
    rows = [
        ["企业名称", NAME, None],
        ["统一社会信用代码", CODE_A, None],
        ["主导产品", "精密行星减速机", "占营业收入67%"],
        [None, "谐波减速机", "占营业收入10%"],
    ]
    result = read_grouped(tmp_path, rows, ((2, 3),))
    assert result.applicants[0].values["lead_product"] == "精密行星减速机"


def test_a_row_of_single_characters_that_is_no_code_stays_cells(tmp_path):
    """A Word roster with 18 one-character answer columns (Y/N, levels) keeps each cell: only a
    run that is a valid code is joined."""
    document = docx.Document()
    header = [
        "企业名称",
        "统一社会信用代码",
        "是否高新技术企业",
        *[f"指标{i}" for i in range(1, 18)],
    ]
    table = document.add_table(rows=3, cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, (name, code) in enumerate((("甲公司", CODE_A), ("乙公司", CODE_B)), start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = name, code
        for c in range(2, len(header)):
            table.cell(r, c).text = "Y" if c % 2 == 0 else "3"
    path = tmp_path / "名单.docx"
    document.save(path)
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A, CODE_B]
    assert [a.values["high_tech_enterprise"] for a in result.applicants] == [True, True]


def test_notes_headings_and_hints_after_answers(tmp_path):
    """A bare 说明 heading may head the applicant's own notes: the answers under it are read; a
    hint in brackets after an answer (二级（按评测结果填写）) is cut from it; a phone
    number beside its label is no figure left out."""
    before = ("说明", "数字化水平等级：二级（按评测结果填写）", "联系电话：13800138000")
    result = read(write_application(tmp_path / "a.docx", before=before))
    assert [i.code for i in result.issues if str(i.severity) == "error"] == []
    assert result.applicants[0].values["digital_level"] == 2
    assert not [i for i in result.issues if i.code == "label-ignored"]


def test_unit_column_heading_merged_down_a_two_row_header(tmp_path):
    """A 单位 column headed once over a two-row header (项目 | 单位 | 近三年数据 over 2023年 …)
    gives each row its unit: 元 amounts are read in 元, not 10,000 times too much."""
    document = docx.Document()
    basic = document.add_table(rows=2, cols=2)
    fill(basic, [["企业名称", NAME], ["统一社会信用代码", CODE_A]])
    table = document.add_table(rows=4, cols=5)
    fill(
        table,
        [
            ["项目", "单位", "近三年数据", None, None],
            [None, None, "2023年", "2024年", "2025年"],
            ["营业收入", "元", "92000000", "105000000", "128000000"],
            ["研发费用", "万元", "520", "610", "760"],
        ],
    )
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(0, 2).merge(table.cell(0, 4))
    path = tmp_path / "a.docx"
    document.save(path)
    values = read(path).applicants[0].values
    assert (values["revenue_y1"], values["revenue_y3"]) == (12800, 9200)
    assert values["rd_expense_y1"] == 760


def test_years_headed_as_dates_say_so(tmp_path):
    """Columns headed 2025年12月31日 (a date, not a year) are refused saying the heading is a
    date and how to write it, not asking for 2025年营业收入."""
    path = write_application(
        tmp_path / "a.docx", years=("2025年12月31日", "2024年12月31日", "2023年12月31日")
    )
    result = read(path)
    missing = [i for i in result.issues if i.code == "header-year-missing"]
    assert missing and "表头的“2025年12月31日”是日期，不是年度：请把该列表头写成“2025年”" in (
        missing[0].message
    )


def _wrap_in_content_control(element) -> None:
    """Put a block element inside a block-level content control (w:sdt), as Word's 开发工具
    does for a locked form."""
    from docx.oxml import OxmlElement

    sdt, properties, content = (
        OxmlElement("w:sdt"),
        OxmlElement("w:sdtPr"),
        OxmlElement("w:sdtContent"),
    )
    sdt.append(properties)
    sdt.append(content)
    element.addprevious(sdt)
    content.append(element)


@pytest.mark.parametrize("layout", ["table-in-control", "table-in-cell", "cells-in-controls"])
def test_tables_inside_content_controls_or_cells_are_read(tmp_path, layout):
    """The indicator table wrapped in a content control, or laid inside the one cell of an
    outer layout table, or with each answer paragraph in a control of its own, reads the same
    figures as the plain form (they were skipped without a word)."""
    path = write_application(tmp_path / "a.docx")
    document = docx.Document(path)
    table = document.tables[1]._tbl
    if layout == "table-in-control":
        _wrap_in_content_control(table)
    elif layout == "table-in-cell":
        outer = document.add_table(rows=1, cols=1)._tbl
        table.addprevious(outer)
        cell = outer.tc_lst[0] if hasattr(outer, "tc_lst") else outer.tr_lst[0].tc_lst[0]
        cell.insert(len(cell) - 1, table)
    else:
        for tc in table.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"):
            for p in list(
                tc.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")
            ):
                _wrap_in_content_control(p)
    document.save(path)
    result = read(path)
    [applicant] = result.applicants
    assert applicant.values["revenue_y1"] == Decimal("12000.5")
    assert applicant.values["rd_expense_y3"] == Decimal("600")


def test_a_unit_noted_inside_a_layout_cell_applies_to_its_table(tmp_path):
    """The indicator table inside a layout cell under the cell's own 单位：元 line: its figures
    are read in 元 (converted to 万元), not as 万元 ten thousand times too large."""
    path = write_application(tmp_path / "a.docx", unit_note="经济指标")
    document = docx.Document(path)
    table = document.tables[1]._tbl
    outer = document.add_table(rows=1, cols=1)._tbl
    table.addprevious(outer)
    cell = outer.tr_lst[0].tc_lst[0]
    cell[-1].append(docx.oxml.parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:t>单位：元</w:t></w:r>"
    ))  # fmt: skip
    cell.append(table)
    cell.append(docx.oxml.OxmlElement("w:p"))
    document.save(path)
    [applicant] = read(path).applicants
    assert applicant.values["revenue_y1"] == Decimal("1.20005")


@pytest.mark.parametrize("level", ["row", "cell"])
def test_rows_and_cells_inside_content_controls_are_read(tmp_path, level):
    """A table row, or a cell, wrapped in a content control (a locked form's repeating row or
    field) is read like any other, not skipped or taken for a ragged table."""
    path = write_application(tmp_path / "a.docx")
    document = docx.Document(path)
    table = document.tables[1]._tbl
    revenue_row = table.tr_lst[2]
    if level == "row":
        _wrap_in_content_control(revenue_row)
    else:
        _wrap_in_content_control(revenue_row.tc_lst[1])
    document.save(path)
    result = read(path)
    assert not [i for i in result.issues if i.severity == "error"], result.issues
    [applicant] = result.applicants
    assert applicant.values["revenue_y1"] == Decimal("12000.5")


def _ratio_row_application(path: Path, ratios: tuple[str, str, str]) -> Path:
    """A 申请书 whose indicator table states the R&D intensity under the year columns."""
    document = docx.Document()
    basic = document.add_table(rows=2, cols=2)
    for r, (label, value) in enumerate([("企业名称", NAME), ("统一社会信用代码", CODE_A)]):
        basic.cell(r, 0).text, basic.cell(r, 1).text = label, value
    rows = [
        ("指标", "2023年", "2024年", "2025年"),
        ("营业收入（万元）", "6000", "6500", "7000"),
        ("研发费用（万元）", "240", "303.55", "364"),
        ("研发费用占营业收入比重", *ratios),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(path)
    return path


def test_a_stated_ratio_under_the_years_is_checked_year_by_year(tmp_path):
    """研发费用占营业收入比重 4% | 4.67% | 5.2% under 2023年 | 2024年 | 2025年: each year's
    figure against its own amounts, all agreeing (the 2023 cell was read as 上年度's)."""
    result = read(_ratio_row_application(tmp_path / "a.docx", ("4%", "4.67%", "5.2%")))
    assert [i.code for i in result.issues if i.code == "ratio-mismatch"] == []
    assert result.applicants[0].values["rd_expense_y1"] == Decimal("364")


def test_a_ratio_written_as_a_fraction_is_said_at_its_own_cell_of_its_table(tmp_path):
    """0.04 | 0.0467 | 0.052: a warning per year at 表2's cell, saying 0.052 may mean 5.2 %,
    which agrees with the amounts."""
    result = read(_ratio_row_application(tmp_path / "a.docx", ("0.04", "0.0467", "0.052")))
    said = [i for i in result.issues if i.code == "ratio-mismatch"]
    assert [(i.sheet, i.cell) for i in said] == [
        ("表2", "第4行第2列"),
        ("表2", "第4行第3列"),
        ("表2", "第4行第4列"),
    ]
    assert "如 0.052 指 5.2%，则与金额一致" in said[2].message
