"""Templates from the catalogue, and per-enterprise forms read back by their labels."""

from datetime import date
from decimal import Decimal

import openpyxl

from tests.intake.helpers import CODE_A, CODE_B, issue_tuples, read
from zjtx.intake.synthetic import applicants
from zjtx.intake.templates import write_form_template, write_roster_template
from zjtx.scoring.catalogue import load_catalogue


def test_roster_template_headers_validation_comments_and_help(tmp_path):
    """The roster template has real-year headers with units, drop-downs, comments and 填表说明."""
    path = write_roster_template(tmp_path / "t.xlsx", load_catalogue(), 2026)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["申报名单", "填表说明", "选项"]
    sheet = workbook["申报名单"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:2] == ["企业名称", "统一社会信用代码"]
    assert "2023年营业收入（万元）" in headers
    assert headers.index("2023年营业收入（万元）") < headers.index("2025年营业收入（万元）")
    assert "2025年末从业人员（人）" in headers
    assert "主导产品全国细分市场占有率（%）" in headers
    assert not any("2022年" in h for h in headers)
    assert sheet.freeze_panes == "C3"
    assert all(cell.comment is not None for cell in sheet[2])
    rules = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    column = headers.index("是否高新技术企业") if "是否高新技术企业" in headers else None
    tech = headers.index("有效期内的高新技术企业")
    letter = openpyxl.utils.get_column_letter(tech + 1)
    assert rules[f"{letter}3"].formula1 == '"是,否"'
    assert column is None
    size = openpyxl.utils.get_column_letter(headers.index("划型行业") + 1)
    assert rules[f"{size}3"].type == "list" and "选项" in rules[f"{size}3"].formula1
    share = openpyxl.utils.get_column_letter(headers.index("主导产品全国细分市场占有率（%）") + 1)
    assert (rules[f"{share}3"].formula1, rules[f"{share}3"].formula2) == ("0", "100")
    revenue = openpyxl.utils.get_column_letter(headers.index("2025年营业收入（万元）") + 1)
    assert sheet[f"{revenue}3"].number_format == "#,##0.00"
    assert sheet["B3"].number_format == "@"
    assert workbook["选项"].sheet_state == "hidden"
    help_text = "\n".join(str(c.value) for row in workbook["填表说明"].iter_rows() for c in row)
    assert "2025年为上年度" in help_text and "revenue_y1" in help_text


def test_empty_roster_template_reads_as_no_rows_and_no_issues(tmp_path):
    """Reading the blank roster template finds its header and nothing else."""
    path = write_roster_template(tmp_path / "t.xlsx", load_catalogue(), 2026)
    result = read(path)
    assert issue_tuples(result, include_info=True) == []
    assert result.files[0].kind == "roster"
    assert len([m for m in result.files[0].column_mapping if m.field]) == len(load_catalogue())


def test_filled_templates_round_trip_exactly(tmp_path):
    """Applicants written into the roster and form templates read back identical."""
    catalogue = load_catalogue()
    people = applicants(30, 2026, seed=7)
    roster = write_roster_template(tmp_path / "r.xlsx", catalogue, 2026, people)
    result = read(roster)
    assert issue_tuples(result) == []
    assert [a.values for a in result.applicants] == people
    form = write_form_template(tmp_path / "f.xlsx", catalogue, 2026, people[3])
    result = read(form)
    assert issue_tuples(result) == []
    assert result.files[0].kind == "form"
    assert result.applicants[0].values == people[3]


def test_form_located_by_labels_despite_inserted_rows_and_columns(tmp_path):
    """A form with rows inserted and a year table moved still reads every value."""
    path = write_form_template(
        tmp_path / "f.xlsx",
        load_catalogue(),
        2026,
        {"name": "甲公司", "uscc": CODE_A, "revenue_y1": Decimal(1000), "revenue_y3": Decimal(800)},
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["申报表"]
    sheet.insert_rows(3, amount=4)
    sheet["A3"] = "（以下由企业填写，盖章有效）"
    sheet.insert_rows(20, amount=2)
    workbook.save(path)
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert values == {
        "name": "甲公司",
        "uscc": CODE_A,
        "revenue_y1": Decimal(1000),
        "revenue_y3": Decimal(800),
    }
    assert result.applicants[0].provenance["name"].cell.startswith("B")


def test_hand_made_form_with_label_value_pairs_and_year_table(tmp_path):
    """A hand-made form: pairs side by side, a merged label, and a 指标/年份 table."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "表一"
    sheet["A1"] = "专精特新中小企业申报书"
    sheet["A3"], sheet["C3"] = "企业名称", "甲科技有限公司"
    sheet.merge_cells("A3:B3")
    sheet["D3"], sheet["E3"] = "统一社会信用代码", CODE_B
    sheet["A4"], sheet["C4"] = "成立时间", "2015年6月"
    sheet.merge_cells("A4:B4")
    sheet["A6"], sheet["B6"], sheet["C6"] = "项目", "2024年", "2025年"
    sheet["A7"], sheet["B7"], sheet["C7"] = "营业收入（元）", 9000000, 11000000
    sheet["A8"], sheet["B8"], sheet["C8"] = "研发费用（万元）", 50, "=B8*1.2"
    path = tmp_path / "手工.xlsx"
    workbook.save(path)
    result = read(path)
    assert issue_tuples(result) == [("C8", "rd_expense_y1", "formula-not-calculated", "error")]
    assert result.issues[0].row == 8
    [blocked] = result.files[0].blocked_applicants
    assert blocked.values == {
        "name": "甲科技有限公司",
        "uscc": CODE_B,
        "founded": date(2015, 6, 1),
        "revenue_y2": Decimal(900),
        "revenue_y1": Decimal(1100),
        "rd_expense_y2": Decimal(50),
    }


def test_folder_of_forms_imports_as_one_batch(tmp_path):
    """Five form workbooks in a folder give five applicants and one summary."""
    catalogue = load_catalogue()
    folder = tmp_path / "forms"
    people = applicants(5, 2026, seed=11)
    for index, person in enumerate(people):
        write_form_template(folder / f"{index + 1:02d}.xlsx", catalogue, 2026, person)
    result = read(folder)
    assert [f.kind for f in result.files] == ["form"] * 5
    assert [a.values for a in result.applicants] == people
    assert result.summary["total"]["rows_imported"] == 5


def test_a_roster_asking_the_2026_incidents_question_reads_back_exactly(tmp_path):
    """A roster filled in under the 2026 wording of the incidents question (the 2026 rulebooks'
    catalogue) reads back with every answer, through the bundled catalogue that zjtx check and
    imports use."""
    from zjtx.domain.applicant import Applicant
    from zjtx.intake import read_applicants
    from zjtx.scoring.api import rulebook_for

    rulebook = rulebook_for(Applicant({}), round_date=date(2026, 6, 1), tier="srdi-sme")
    people = applicants(6, 2026, seed=11)
    people[2]["major_incident_3y"] = True  # one answer of each kind
    path = write_roster_template(tmp_path / "r.xlsx", rulebook.catalogue, 2026, people)
    headers = [cell.value for cell in openpyxl.load_workbook(path)["申报名单"][2]]
    assert rulebook.catalogue["major_incident_3y"].label in headers
    result = read_applicants([path], 2026)
    assert not [i for i in result.issues if i.code == "column-ignored"]
    assert [a.values for a in result.applicants] == people
