"""Assessment-report PDF: read back text, page numbering, embedded font, reproducible bytes."""

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from tests.export.factories import (
    MADE_AT,
    applicant_for,
    innovative_evaluation,
    overridden_srdi_evaluation,
    srdi_evaluation,
)
from tests.export.pdf_helpers import flat_text, font_report, outline_titles, page_texts
from zjtx.export.report_model import build_assessment_report
from zjtx.export.report_pdf import render_assessment_pdf, render_combined_pdf
from zjtx.export.review import ReviewInfo
from zjtx.scoring.catalogue import load_catalogue

LONG_NAME = "浙江省杭州市西湖区堃喆昇镕犇高端精密数控机床核心基础零部件研发与制造股份有限公司"
OPINION = ("该企业长期专注于精密数控机床核心基础零部件细分市场，研发投入持续增长，" * 20)[:500]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _build(catalogue, evaluation, review=None, made_at=MADE_AT):
    return build_assessment_report(
        evaluation,
        catalogue=catalogue,
        applicant=applicant_for(evaluation),
        review=review,
        made_at=made_at,
    )


def test_report_text_reads_back_with_names_numbers_and_verdicts(tmp_path, catalogue):
    """Names, code, figures, states, points, verdict and footer are real text in the PDF."""
    path = tmp_path / "report.pdf"
    review = ReviewInfo(decision="recommend", opinion="同意推荐。", evaluator="王晓明")
    pages = render_assessment_pdf(_build(catalogue, srdi_evaluation(), review), path)
    text = flat_text(path)
    assert pages == len(PdfReader(path).pages)
    for expected in (
        "专精特新中小企业评审意见表",
        "杭州堃喆精密机械有限公司",
        "91330106MA2B0XXX1X",
        "浙江省杭州市西湖区",
        "7,800.50",
        "6,900",
        "研发费用增长率",
        "不符合",
        "待人工确认",
        "待补充数据",
        "0/5",
        "72/100",
        "60分",
        "符合条件",
        "增长率还差13.2个百分点",
        "推荐",
        "同意推荐。",
        "评审人签字",
        "单位（盖章）",
        f"第1页共{pages}页",
        "认定标准srdi-sme-2022版本2022.1",
    ):
        assert expected in text, expected


def test_criteria_table_says_which_states_an_evaluator_overrode(tmp_path, catalogue):
    """An overridden criterion reads 符合（改判） in the criteria table, a judgement with a
    confirmation （已确认）: an override is not printed as a mere confirmation."""
    from zjtx.domain.results import Confirmation, CriterionState

    evaluation = overridden_srdi_evaluation()
    review = ReviewInfo(
        confirmations=(Confirmation("SR-S3", CriterionState.MET, "属补短板环节", "王晓明"),)
    )
    path = tmp_path / "report.pdf"
    render_assessment_pdf(_build(catalogue, evaluation, review), path)
    text = flat_text(path)
    # In the criteria table the state is followed by the points (the 人工判断事项 table below
    # says 改判 too, by its own rule).
    assert "符合（改判）0/5" in text and "待人工确认（已确认）0–5/5" in text


def test_chinese_font_is_embedded_and_no_other_font_is_used(tmp_path, catalogue):
    """Every font in the PDF is an embedded Noto Sans SC subset (no base-14, no CID fallback)."""
    path = tmp_path / "report.pdf"
    render_assessment_pdf(_build(catalogue, srdi_evaluation()), path)
    fonts = font_report(path)
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    assert all("NotoSansSC" in name for name in fonts), fonts


def test_identical_inputs_give_identical_bytes_across_processes(tmp_path, catalogue):
    """Same inputs and made time: byte-identical PDFs, also from a fresh Python process."""
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_assessment_pdf(_build(catalogue, srdi_evaluation()), first)
    render_assessment_pdf(_build(catalogue, srdi_evaluation()), second)
    assert first.read_bytes() == second.read_bytes()
    third = tmp_path / "c.pdf"
    script = (
        "import sys; from tests.export.factories import *; "
        "from zjtx.export.report_model import build_assessment_report as b; "
        "from zjtx.export.report_pdf import render_assessment_pdf as r; "
        "from zjtx.scoring.catalogue import load_catalogue as c; e = srdi_evaluation(); "
        "r(b(e, catalogue=c(), applicant=applicant_for(e), made_at=MADE_AT), sys.argv[1])"
    )
    subprocess.run([sys.executable, "-c", script, str(third)], check=True, cwd=".")
    assert third.read_bytes() == first.read_bytes()
    later = tmp_path / "d.pdf"
    render_assessment_pdf(
        _build(catalogue, srdi_evaluation(), made_at=datetime(2026, 5, 21)), later
    )
    assert later.read_bytes() != first.read_bytes()
    assert PdfReader(later).metadata["/CreationDate"].startswith("D:20260521000000")


def test_long_texts_wrap_and_break_pages_cleanly(tmp_path, catalogue):
    """A 40-character name, a 500-character opinion and 20+ criteria wrap and paginate."""
    assert len(LONG_NAME) == 40 and len(OPINION) == 500
    evaluation = srdi_evaluation(name=LONG_NAME, extra_criteria=16)
    assert len(evaluation.criteria) == 24
    review = ReviewInfo(decision="reject", opinion=OPINION, evaluator="王晓明")
    path = tmp_path / "long.pdf"
    pages = render_assessment_pdf(_build(catalogue, evaluation, review), path)
    assert pages >= 2
    texts = page_texts(path)
    for number, page in enumerate(texts, start=1):
        assert f"第 {number} 页 共 {pages} 页" in page
        assert LONG_NAME in "".join(page.split())  # running header on every page
    flat = flat_text(path)
    assert OPINION in flat
    assert "附加指标第16项" in flat
    # the criteria table repeats its header row on the page it continues on
    continued = [t for t in texts if "附加指标第16项" in t]
    assert "序号" in continued[0]


def test_unscored_report_has_no_total(tmp_path, catalogue):
    """A tier without points shows the verdict but no total or pass line."""
    path = tmp_path / "innovative.pdf"
    render_assessment_pdf(_build(catalogue, innovative_evaluation()), path)
    text = flat_text(path)
    assert "宁波犇昇新材料科技有限公司" in text
    assert "符合条件" in text
    assert "总分" not in text and "合格线" not in text


def test_missing_glyph_prints_its_code_not_a_box(tmp_path, catalogue):
    """A character the font lacks is printed as 〔U+…〕 and listed in a note."""
    path = tmp_path / "rare.pdf"
    render_assessment_pdf(_build(catalogue, srdi_evaluation(name="𪚥记精密机械有限公司")), path)
    text = flat_text(path)
    assert "〔U+2A6A5〕记精密机械有限公司" in text
    assert "𪚥" not in text.split("请核对后手工补写")[0]


def test_combined_pdf_bookmarks_and_numbers_each_report(tmp_path, catalogue):
    """One PDF for many reports: a bookmark per applicant, pages numbered per report."""
    evaluations = [
        srdi_evaluation(),
        replace(innovative_evaluation(), uscc="91330201MA2H12345X"),
        srdi_evaluation(name="温州镕达电气有限公司", uscc="91330301MA2C00000Y", extra_criteria=20),
    ]
    reports = [_build(catalogue, e) for e in evaluations]
    singles = []
    for index, report in enumerate(reports):
        singles.append(render_assessment_pdf(report, tmp_path / f"{index}.pdf"))
    path = tmp_path / "all.pdf"
    total = render_combined_pdf(reports, path, made_at=MADE_AT)
    assert total == sum(singles) == len(PdfReader(path).pages)
    starts = [0, singles[0], singles[0] + singles[1]]
    assert outline_titles(path) == [
        ("杭州堃喆精密机械有限公司（91330106MA2B0XXX1X）", starts[0]),
        ("宁波犇昇新材料科技有限公司（91330201MA2H12345X）", starts[1]),
        ("温州镕达电气有限公司（91330301MA2C00000Y）", starts[2]),
    ]
    texts = page_texts(path)
    assert f"第 1 页 共 {singles[2]} 页" in texts[starts[2]]
    assert f"第 1 页 共 {singles[1]} 页" in texts[starts[1]]


def test_very_long_opinion_flows_over_pages(tmp_path, catalogue):
    """A 4,000-character opinion is printed in full across pages, below the decision table."""
    opinion = ("经现场核查，企业研发投入持续增长，主导产品市场占有率居国内前列。" * 130)[:4000]
    review = ReviewInfo(decision="recommend", opinion=opinion, evaluator="王晓明")
    path = tmp_path / "long-opinion.pdf"
    pages = render_assessment_pdf(_build(catalogue, srdi_evaluation(), review), path)
    assert pages >= 3
    # page margins (running header, page number, footer) interrupt the text at page breaks
    margins = (
        r"杭州堃喆精密机械有限公司91330106MA2B0XXX1X|第\d+页共\d+页生成时间.*?输入摘要[0-9a-f]{16}"
    )
    text = re.sub(margins, "", flat_text(path))
    assert opinion in text
    assert "（见下文）" in text
    assert text.index("评审人签字") > text.index(opinion[-20:])


def _signature_text(path) -> str:
    """The signature block as read back: from 评审人签字 to the end of the last page."""
    text = page_texts(path)[-1]
    return text[text.index("评审人签字") :]


def test_signature_block_prints_name_and_unit_or_blank_lines(tmp_path, catalogue):
    """The signer's name and unit are printed beside the signature; without them the lines
    are left blank to fill by hand."""
    signed = ReviewInfo(
        decision="recommend", opinion="同意推荐。", evaluator="王晓明",
        evaluator_unit="杭州市经济和信息化局",
    )  # fmt: skip
    path = tmp_path / "signed.pdf"
    render_assessment_pdf(_build(catalogue, srdi_evaluation(), signed), path)
    block = "".join(_signature_text(path).split())
    assert "姓名：王晓明" in block and "单位名称：杭州市经济和信息化局" in block
    assert "单位（盖章）" in block and "日期：年月日" in block

    blank = ReviewInfo(decision="recommend", opinion="同意推荐。")
    path = tmp_path / "blank.pdf"
    render_assessment_pdf(_build(catalogue, srdi_evaluation(), blank), path)
    block = _signature_text(path)
    lines = [line.strip() for line in block.splitlines()]
    assert "姓名：" in lines and "单位名称：" in lines  # nothing printed after the labels
    assert "王晓明" not in block


def test_report_of_a_stored_round_is_signed_by_the_configured_evaluator(tmp_path, monkeypatch):
    """A round report names who decided and, when that is the evaluator configured here, the
    unit; an undecided applicant carries the configured evaluator; with nobody configured
    the lines stay blank and the OS account is never printed."""
    import getpass

    from zjtx.export.from_store import round_outcomes
    from zjtx.intake.synthetic import write_applicants_json
    from zjtx.store import StoreService, open_store
    from zjtx.store.identity import Identity, save_identity

    monkeypatch.delenv("ZJTX_EVALUATOR")
    login = getpass.getuser()
    with open_store(f"sqlite:///{tmp_path / 'zjtx.sqlite3'}") as store:
        service = StoreService(store)
        service.create_round("2026年第一批", tier="little-giant", round_date=date(2026, 5, 20))
        service.import_paths(
            "2026年第一批", [write_applicants_json(tmp_path / "a.json", 3, 2026, 5)]
        )
        first, second, third = (r.uscc for r in service.list_applicants("2026年第一批"))
        save_identity(Identity("张三", "杭州市经济和信息化局"))
        service.decide("2026年第一批", first, "return", "请补充审计报告")
        service.decide("2026年第一批", second, "return", "请补充审计报告", evaluator="李组长")

        def signature(uscc: str) -> str:
            _, outcomes = round_outcomes(service, "2026年第一批")
            outcome = next(o for o in outcomes if o.evaluation.uscc == uscc)
            report = build_assessment_report(
                outcome.evaluation, catalogue=load_catalogue(), applicant=outcome.applicant,
                review=outcome.review, made_at=MADE_AT,
            )  # fmt: skip
            path = tmp_path / f"{uscc}.pdf"
            render_assessment_pdf(report, path)
            return "".join(_signature_text(path).split())

        assert "姓名：张三" in signature(first) and "单位名称：杭州市经济和信息化局" in signature(
            first
        )
        assert "姓名：李组长单位名称：" in signature(second)  # another's unit is not known here
        assert "姓名：张三" in signature(third) and "杭州市经济和信息化局" in signature(third)
        save_identity(None)
        assert "姓名：单位名称：" in signature(third)
        assert login not in signature(third) and "系统账户" not in signature(third)
