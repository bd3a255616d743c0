"""An answer to another version's wording of a question is said, never read as this one's."""

from __future__ import annotations

from datetime import date

import docx

from tests.intake.helpers import CODE_A, write_xlsx
from zjtx.domain.applicant import Applicant
from zjtx.intake import read_applicants
from zjtx.intake.wording import other_wording
from zjtx.scoring.api import rulebook_for
from zjtx.scoring.catalogue import load_catalogue

OLD = "近三年发生重大安全（含网络、数据安全）、质量、环境污染事故或偷漏税等违法违规行为"
NEW = (
    "近三年发生较大生产安全事故、重大网络和数据安全事件、重大环境违法行为、严重质量问题"
    "或严重违反相关行业管理规定"
)


def _catalogue_2026():
    new = Applicant({"application_type": "new"})
    return rulebook_for(new, round_date=date(2026, 6, 15), tier="srdi-sme").catalogue


def test_other_wording_names_the_field_only_under_a_catalogue_that_words_it_otherwise():
    """The 2022 question is another wording under the 2026 catalogue, not under the bundled one;
    the 2026 question is the 2026 catalogue's own."""
    catalogue = _catalogue_2026()
    found = other_wording(OLD, catalogue, 2026)
    assert found is not None and (found.key, found.label) == ("major_incident_3y", NEW)
    assert other_wording(NEW, catalogue, 2026) is None
    assert other_wording(OLD, load_catalogue(), 2026) is None


def test_a_form_read_for_a_2026_round_warns_at_the_2022_question_and_leaves_it_unread(tmp_path):
    """A 申请书 answering the 2022 question, read as a 2026 srdi-sme round reads it: a warning
    at the label's cell naming both wordings and the answer; major_incident_3y not set."""
    document = docx.Document()
    rows = [("企业名称", "甲公司"), ("统一社会信用代码", CODE_A), (OLD, "□是 ☑否")]
    table = document.add_table(rows=3, cols=2)
    for r, (label, answer) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = label, answer
    path = tmp_path / "a.docx"
    document.save(path)
    result = read_applicants([path], 2026, catalogue=_catalogue_2026())
    [issue] = [i for i in result.issues if i.code == "question-wording-other"]
    assert (str(issue.severity), issue.sheet, issue.cell) == ("warning", "表1", "第3行第1列")
    assert OLD in issue.message and NEW in issue.message and "□是 ☑否" in issue.message
    assert "label-text-ignored" not in {i.code for i in result.issues}
    assert "major_incident_3y" not in result.applicants[0].values


def test_a_roster_column_asking_the_2022_question_is_the_same_warning_for_a_2026_round(tmp_path):
    """A roster's 2022-worded incidents column read for a 2026 round: question-wording-other at
    its header (not column-ignored with a hint to map it to the field); the value not read."""
    path = write_xlsx(
        tmp_path / "r.xlsx", [["企业名称", "统一社会信用代码", OLD], ["甲", CODE_A, "否"]]
    )
    result = read_applicants([path], 2026, catalogue=_catalogue_2026())
    assert [(i.cell, i.code, i.field, str(i.severity)) for i in result.issues] == [
        ("C1", "question-wording-other", "major_incident_3y", "warning"),
        ("C2", "question-wording-other", "major_incident_3y", "warning"),
    ]
    assert "major_incident_3y" not in result.applicants[0].values
    assert read_applicants([path], 2026).applicants[0].values["major_incident_3y"] is False


def test_each_enterprise_of_a_roster_is_told_its_answer_to_another_wording_was_not_taken(
    tmp_path,
):
    """As a form's enterprise is: a warning of its own at the cell of each answer given in a
    column asking the 2022 question (the answer quoted; none for a blank cell), so 推荐 waits
    on it for every enterprise that lost its answer, not only for those that sent a form."""
    from tests.intake.helpers import CODE_B, CODE_C

    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", OLD],
            ["甲", CODE_A, "否"],
            ["乙", CODE_B, ""],
            ["丙", CODE_C, "是"],
        ],
    )
    result = read_applicants([path], 2026, catalogue=_catalogue_2026())
    by_enterprise = {
        i.uscc: i.message for i in result.issues if i.code == "question-wording-other" and i.uscc
    }
    assert set(by_enterprise) == {CODE_A, CODE_C}
    assert by_enterprise[CODE_A].startswith(f"C2：列“{OLD}”是另一版评价标准对这一问题的问法")
    assert (
        "所填“是”不能作为这一问题的回答" in by_enterprise[CODE_C] and NEW in by_enterprise[CODE_C]
    )
