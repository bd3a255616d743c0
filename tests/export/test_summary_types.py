"""申报类型 in the round tables: a 复核 is listed apart from the new 认定, an unknown type is 未填."""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook

from tests.export import factories
from tests.export.factories import MADE_AT, applicant_for
from tests.export.pdf_helpers import flat_text
from zjtx.export.excel import write_publicity_xlsx, write_summary_xlsx
from zjtx.export.report_model import build_assessment_report
from zjtx.export.review import ReviewInfo
from zjtx.export.summary import (
    ApplicantOutcome,
    build_publicity_list,
    build_recommendation_summary,
)
from zjtx.export.summary_pdf import render_publicity_pdf, render_summary_pdf
from zjtx.scoring.catalogue import load_catalogue

TITLE = "专精特新中小企业"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _recommended(name: str, uscc: str, kind: str | None, county: str) -> ApplicantOutcome:
    """A recommended applicant of the given 申报类型 (None: its data do not say one; the
    evaluation then reads it as new, as the evaluator does)."""
    evaluation = factories.srdi_evaluation(name, uscc, open_points="0")
    evaluation = replace(evaluation, application_type=kind or "new")
    applicant = applicant_for(evaluation, city="宁波市", county=county)
    if kind is None:
        applicant.values.pop("application_type")
    return ApplicantOutcome(evaluation, applicant, ReviewInfo("recommend", "同意推荐", "王"))


def _mixed() -> list[ApplicantOutcome]:
    return [
        _recommended("甬芯公司", "91330212000000001A", "new", "鄞州区"),
        _recommended("恒远公司", "91330203000000002B", "renewal", "海曙区"),
        _recommended("北仑公司", "91330206000000003C", "new", "北仑区"),
    ]


def test_a_round_of_new_applicants_keeps_its_one_list():
    """Only 新申报: one list under 拟认定名单（公示）, numbered 1, 2, with no part heading."""
    items = [i for i in _mixed() if i.evaluation.application_type == "new"]
    publicity = build_publicity_list(items, made_at=MADE_AT)
    assert publicity.title == f"{TITLE}拟认定名单（公示）"
    assert [(p.heading, [r.number for r in p.rows]) for p in publicity.parts] == [("", [1, 2])]
    assert publicity.warning is None


def test_renewals_are_listed_apart_as_passing_their_review(tmp_path):
    """With a 复核: 拟认定及复核通过名单（公示）, 一、拟认定名单 then 二、复核通过名单, each
    numbered from 1; the PDF prints both headings, the workbook has a sheet for each."""
    publicity = build_publicity_list(_mixed(), made_at=MADE_AT)
    assert publicity.title == f"{TITLE}拟认定及复核通过名单（公示）"
    parts = [(p.heading, [(r.number, r.name) for r in p.rows]) for p in publicity.parts]
    assert parts == [
        ("一、拟认定名单（2 家）", [(1, "北仑公司"), (2, "甬芯公司")]),  # by division code
        ("二、复核通过名单（1 家）", [(1, "恒远公司")]),
    ]
    render_publicity_pdf(publicity, tmp_path / "p.pdf")
    text = flat_text(tmp_path / "p.pdf")
    assert f"{TITLE}拟认定及复核通过名单（公示）" in text
    new, renewed = text.index("一、拟认定名单（2家）"), text.index("二、复核通过名单（1家）")
    assert new < text.index("北仑公司") < text.index("甬芯公司") < renewed < text.index("恒远公司")
    workbook = load_workbook(write_publicity_xlsx(publicity, tmp_path / "p.xlsx"))
    assert workbook.sheetnames == ["拟认定名单", "复核通过名单"]
    rows = list(workbook["复核通过名单"].iter_rows(values_only=True))
    assert rows[1] == (1, "恒远公司", "浙江省宁波市海曙区", TITLE)
    assert rows[-1][0] == f"{TITLE}拟认定及复核通过名单（公示）　二、复核通过名单（1 家）"


def test_a_round_of_renewals_only_is_a_list_of_those_passing_review():
    """Only 复核: the title says 复核通过名单, and its one list is headed so."""
    items = [i for i in _mixed() if i.evaluation.application_type == "renewal"]
    publicity = build_publicity_list(items, made_at=MADE_AT)
    assert publicity.title == f"{TITLE}复核通过名单（公示）"
    assert [p.heading for p in publicity.parts] == ["一、复核通过名单（1 家）"]


def test_an_applicant_of_no_type_is_listed_apart_and_warned_of(tmp_path):
    """No 申报类型 in the data (the evaluation read it as new): not on the 拟认定名单 but in
    its own list 申报类型未填，待核实, and the warning names it to settle before publishing."""
    items = [*_mixed()[:1], _recommended("未知公司", "91330204000000004D", None, "江北区")]
    publicity = build_publicity_list(items, made_at=MADE_AT)
    assert publicity.title == f"{TITLE}拟认定名单（公示）"
    assert [(p.heading, [r.name for r in p.rows]) for p in publicity.parts] == [
        ("一、拟认定名单（1 家）", ["甬芯公司"]),
        ("二、申报类型未填，待核实（1 家）", ["未知公司"]),
    ]
    assert publicity.warning == (
        "公示名单中 1 家企业未填申报类型（新申报或复核），单列于“申报类型未填”；"
        "公布前请核实并补填申报类型后重新生成：\n· 未知公司（91330204000000004D）"
    )
    workbook = load_workbook(write_publicity_xlsx(publicity, tmp_path / "p.xlsx"))
    assert workbook.sheetnames == ["拟认定名单", "申报类型未填"]


def test_the_summary_prints_each_application_type(tmp_path, catalogue):
    """推荐汇总表: a 申报类型 column, 新申报 / 复核 / 未填 (never 新申报 for a type not given),
    read back from the PDF and the workbook."""
    items = [*_mixed()[:2], _recommended("未知公司", "91330204000000004D", None, "江北区")]
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    assert summary.columns[3] == "申报类型"
    assert {r.name: r.application for r in summary.rows} == {
        "甬芯公司": "新申报",
        "恒远公司": "复核",
        "未知公司": "未填",
    }
    render_summary_pdf(summary, tmp_path / "s.pdf")
    text = flat_text(tmp_path / "s.pdf")
    assert "申报类型" in text
    for row in summary.rows:
        assert f"{row.uscc}{row.application}浙江省宁波市" in text
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))["推荐汇总表"]
    values = {r[1]: r[3] for r in sheet.iter_rows(min_row=2, max_row=4, values_only=True)}
    assert sheet["D1"].value == "申报类型" and values == {
        "甬芯公司": "新申报",
        "恒远公司": "复核",
        "未知公司": "未填",
    }


def test_the_report_of_an_applicant_of_no_type_says_not_given(catalogue):
    """评审意见表: 申报类型 未填 for an applicant whose data do not say it, not 新申报."""
    outcome = _recommended("未知公司", "91330204000000004D", None, "江北区")
    report = build_assessment_report(
        outcome.evaluation, catalogue=catalogue, applicant=outcome.applicant, made_at=MADE_AT
    )
    assert ("申报类型", "未填") in report.enterprise
    assert report.subtitle.endswith("　未填")
