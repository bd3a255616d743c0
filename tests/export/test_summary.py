"""推荐汇总表, 公示名单 and statistics: exact view-models; PDFs and workbooks read back."""

from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.export import factories
from tests.export.factories import MADE_AT, applicant_for, innovative_evaluation
from tests.export.pdf_helpers import flat_text, font_report, page_texts
from zjtx.domain.results import Verdict
from zjtx.export.excel import write_publicity_xlsx, write_results_xlsx, write_summary_xlsx
from zjtx.export.review import ReviewInfo
from zjtx.export.summary import (
    ApplicantOutcome,
    CountLine,
    PublicityRefused,
    PublicityRow,
    SummaryRow,
    build_publicity_list,
    build_recommendation_summary,
    publicity_refusal,
)
from zjtx.export.summary_pdf import render_publicity_pdf, render_summary_pdf
from zjtx.export.tables import write_publicity
from zjtx.scoring.catalogue import load_catalogue


def srdi_evaluation(*args, open_points: str = "0", **kwargs):
    """The factory's 专精特新 evaluation with a fixed score unless told (its default leaves 13
    points open, which the summary shows as a range and does not rank)."""
    return factories.srdi_evaluation(*args, open_points=open_points, **kwargs)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _batch():
    """Four 专精特新 applicants: two qualified (one reviewed), one pending, one not qualified."""
    a = srdi_evaluation("甲公司", "91330100000000001A", score="88")
    b = srdi_evaluation("乙公司", "91330100000000002B", score="65.5")
    c = srdi_evaluation("丙公司", "91330100000000003C", score="70", verdict=Verdict.PENDING)
    d = srdi_evaluation("丁公司", "91330100000000004D", score="41", verdict=Verdict.NOT_QUALIFIED)
    return [
        ApplicantOutcome(
            d,
            applicant_for(
                d, city="宁波市", county="鄞州区", industry_code="I6513", size_sector="software"
            ),
        ),
        ApplicantOutcome(b, applicant_for(b), ReviewInfo("reject", "研发投入不足。", "王晓明")),
        ApplicantOutcome(c, applicant_for(c, city="宁波市", county="北仑区")),
        ApplicantOutcome(a, applicant_for(a), ReviewInfo("recommend", "=同意推荐", "王晓明")),
    ]


def test_a_named_round_heads_the_summary_and_the_publicity_list(catalogue):
    """The round's name (a stored round's, or --round-name) heads both tables, with its date."""
    summary = build_recommendation_summary(
        _batch(), catalogue=catalogue, made_at=MADE_AT, round_name="2026年第一批专精特新"
    )
    assert summary.subtitle == (
        "2026年第一批专精特新（2026年3月1日）　认定标准：专精特新中小企业认定标准（srdi-sme-2022）"
    )
    publicity = build_publicity_list(_batch(), made_at=MADE_AT, round_name="2026年第一批专精特新")
    assert publicity.subtitle == "2026年第一批专精特新（2026年3月1日）"


def test_summary_rows_are_ranked_by_verdict_then_score(catalogue):
    """Recommended first by score, then the rest by verdict and score; every column as printed."""
    summary = build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT)
    assert summary.title == "专精特新中小企业推荐汇总表"
    assert summary.subtitle == (
        "2026年3月1日批次　认定标准：专精特新中小企业认定标准（srdi-sme-2022）"
    )
    assert summary.rows[0] == SummaryRow(
        1,
        "甲公司",
        "91330100000000001A",
        "浙江省杭州市西湖区",
        "C3562（工业）",
        "88",
        D("88"),
        "符合条件",
        "推荐",
        "=同意推荐",
        application="新申报",
    )
    assert [(r.rank, r.name, r.score, r.verdict, r.decision) for r in summary.rows] == [
        (1, "甲公司", "88", "符合条件", "推荐"),
        (None, "乙公司", "65.5", "符合条件", "不推荐"),
        (None, "丙公司", "70", "待定", ""),
        (None, "丁公司", "41", "不符合条件", ""),
    ]
    assert (
        summary.footer == "生成时间 2026-05-20 09:30　认定标准 srdi-sme-2022 版本 2022.1　共 4 家"
    )


def test_statistics_count_verdicts_decisions_regions_industries_and_scores(catalogue):
    """Statistics page: counts by verdict, decision, city, industry division; 10-point bins."""
    stats = build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT).statistics
    assert stats.total == 4
    assert stats.by_verdict == (
        CountLine("符合条件", 2),
        CountLine("待定", 1),
        CountLine("不符合条件", 1),
    )
    assert stats.by_decision == (
        CountLine("推荐", 1),
        CountLine("不推荐", 1),
        CountLine("未评审", 2),
    )
    assert stats.by_region == (CountLine("宁波市", 2), CountLine("杭州市", 2))
    assert stats.by_industry == (
        CountLine("C35 专用设备制造业", 3),
        CountLine("I65 软件和信息技术服务业", 1),
    )
    assert [line.count for line in stats.histogram] == [0, 0, 0, 0, 1, 0, 1, 1, 1, 0]
    assert stats.histogram[4].label == "40–50分"
    assert stats.histogram[-1].label == "90–100分（含）"


def test_publicity_lists_recommended_only_without_figures(catalogue):
    """公示名单: recommended (or, unreviewed, qualified) applicants; name, region, tier only."""
    publicity = build_publicity_list(_batch(), made_at=MADE_AT)
    assert publicity.title == "专精特新中小企业拟认定名单（公示）"
    assert publicity.columns == ("序号", "企业名称", "所在地区", "认定类别")
    assert publicity.rows == (PublicityRow(1, "甲公司", "浙江省杭州市西湖区", "专精特新中小企业"),)
    unreviewed = [ApplicantOutcome(innovative_evaluation(), None)]
    assert build_publicity_list(unreviewed, made_at=MADE_AT).rows == (
        PublicityRow(1, "宁波犇昇新材料科技有限公司", "—", "创新型中小企业"),
    )


def test_summary_pdf_is_landscape_with_statistics_page(tmp_path, catalogue):
    """Landscape 推荐汇总表 with names, codes, scores and decisions, then a statistics page."""
    path = tmp_path / "summary.pdf"
    summary = build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT)
    pages = render_summary_pdf(summary, path)
    reader = PdfReader(path)
    assert pages == len(reader.pages) == 3  # the table, the counts, the charts
    box = reader.pages[0].mediabox
    assert box.width > box.height
    texts = page_texts(path)
    first = "".join(texts[0].split())
    for expected in (
        "专精特新中小企业推荐汇总表",
        "甲公司",
        "91330100000000001A",
        "65.5",
        "不推荐",
        "=同意推荐",
        "第1页共3页",
    ):
        assert expected in first, expected
    stats = "".join(texts[1].split())
    assert "统计" in stats and "宁波市" in stats and "50.0%" in stats
    assert "得分分布" in "".join(texts[2].split())  # the charts' page
    assert all(font_report(path).values())


def test_the_running_header_starts_on_the_second_page(tmp_path, catalogue):
    """The 推荐汇总表 and the 公示名单 print their title on page 1 and repeat it at the top of
    every later page only (not twice on the first)."""
    path = tmp_path / "summary.pdf"
    render_summary_pdf(
        build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT), path
    )
    texts = ["".join(t.split()) for t in page_texts(path)]
    assert texts[0].count("专精特新中小企业推荐汇总表") == 1
    assert all("专精特新中小企业推荐汇总表" in text for text in texts[1:])
    many = [
        ApplicantOutcome(srdi_evaluation(f"公司{i}", f"9133010000000{i:04d}X")) for i in range(60)
    ]
    publicity = tmp_path / "publicity.pdf"
    render_publicity_pdf(build_publicity_list(many, made_at=MADE_AT), publicity)
    texts = ["".join(t.split()) for t in page_texts(publicity)]
    assert len(texts) >= 2
    assert texts[0].count("专精特新中小企业拟认定名单（公示）") == 1, texts[0][:80]
    assert "专精特新中小企业拟认定名单（公示）" in texts[1]


def test_publicity_pdf_has_no_scores(tmp_path):
    """公示名单 PDF shows the name, region and tier and no score column."""
    path = tmp_path / "publicity.pdf"
    render_publicity_pdf(build_publicity_list(_batch(), made_at=MADE_AT), path)
    text = flat_text(path)
    assert "甲公司" in text and "专精特新中小企业" in text and "浙江省杭州市西湖区" in text
    assert "88" not in text and "得分" not in text and "乙公司" not in text


def test_summary_workbook_has_frozen_filtered_header_and_safe_text(tmp_path, catalogue):
    """Excel 推荐汇总表: Chinese headers, frozen row, filter, numeric scores, '=' kept as text."""
    summary = build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT)
    path = write_summary_xlsx(summary, tmp_path / "summary.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["推荐汇总表"]
    columns = list(summary.columns)
    columns[7:7] = ["可能最低分", "可能最高分"]  # a range's two ends, after 得分
    assert [c.value for c in sheet[1]] == columns
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L5"
    assert sheet["D2"].value == "新申报"
    assert sheet["G2"].value == 88 and sheet["G2"].number_format == "General"
    assert sheet["H2"].value is None and sheet["I2"].value is None  # a fixed score
    assert sheet["L2"].value == "=同意推荐"
    assert sheet["L2"].data_type == "s"
    assert workbook["统计"]["A1"].value == "专精特新中小企业推荐汇总表"
    # Printed on A4 landscape as wide as the page, the header on every page, numbered.
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.oddHeader.center.text == "推荐汇总表"
    assert sheet["L2"].alignment.wrap_text and sheet["B2"].alignment.wrap_text


def test_results_workbook_one_column_pair_per_criterion(tmp_path, catalogue):
    """Results: one row per applicant; state and points per criterion (an open item's range);
    formula text neutralised."""
    batch = _batch()
    hostile = srdi_evaluation("+cmd|' /C calc'!A0", "91330100000000009X")
    batch.append(ApplicantOutcome(hostile, applicant_for(hostile, county="@SUM(1+1)")))
    path = write_results_xlsx(
        batch, tmp_path / "results.xlsx", catalogue=catalogue, made_at=MADE_AT
    )
    sheet = load_workbook(path)["评价结果"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["序号", "企业名称", "统一社会信用代码", "所在地区"]
    assert "SR-S1 研发费用增长率｜结论" in headers and "SR-S1 研发费用增长率｜得分" in headers
    # Each criterion has its 结论; only those carrying points for someone have a 得分 too.
    criteria = {c.id: c for item in batch for c in item.evaluation.criteria}
    scoring = [c for c in criteria.values() if c.max_points is not None or c.points is not None]
    assert 0 < len(scoring) < len(criteria) == 8
    assert len(headers) == 14 + len(criteria) + len(scoring)
    assert not any(h.endswith("｜得分") and all(
        sheet.cell(r, headers.index(h) + 1).value in (None, "") for r in range(2, 7)
    ) for h in headers)  # fmt: skip
    assert sheet.max_row == 6
    assert (
        sheet.freeze_panes == "A2"
        and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}6"
    )
    state_col = headers.index("SR-S1 研发费用增长率｜结论") + 1
    assert sheet.cell(2, state_col).value == "不符合"
    assert sheet.cell(2, state_col + 1).value == 0
    # An item awaiting confirmation shows the range it can still score, not a bare 0.
    open_col = headers.index("SR-S3 主导产品所属领域｜结论") + 1
    assert sheet.cell(2, open_col).value == "待人工确认"
    assert sheet.cell(2, open_col + 1).value == "0–5"
    assert sheet.cell(2, 10).value == 41  # 总分 as a number
    assert sheet.cell(6, 2).value == "+cmd|' /C calc'!A0"
    assert sheet.cell(6, 2).data_type == "s"
    assert sheet.cell(6, 4).value == "浙江省杭州市@SUM(1+1)"  # not at the start: plain text anyway


def test_results_workbook_names_its_round(tmp_path, catalogue):
    """The results workbook says which round it is: a 说明 sheet after the table (round name
    and date, standard, count, time made) and the file's title; the table stays first."""
    path = write_results_xlsx(
        _batch(), tmp_path / "r.xlsx", catalogue=catalogue, made_at=MADE_AT,
        round_name="浙江2026第一批",
    )  # fmt: skip
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["评价结果", "说明"]
    about = {row[0]: row[1] for row in workbook["说明"].iter_rows(values_only=True)}
    assert about["批次"].startswith("浙江2026第一批（2026年")
    assert "认定标准：" in about["批次"]
    assert about["企业"] == f"共 {len(_batch())} 家" == "共 4 家"
    assert about["生成时间"] == MADE_AT.astimezone().strftime("%Y-%m-%d %H:%M")
    assert workbook.properties.title == "浙江2026第一批 评价结果"
    unnamed = write_results_xlsx(_batch(), tmp_path / "u.xlsx", catalogue=catalogue,
                                 made_at=MADE_AT)  # fmt: skip
    about = {r[0]: r[1] for r in load_workbook(unnamed)["说明"].iter_rows(values_only=True)}
    assert "批次" in about["批次"] and "认定标准：" in about["批次"]
    pasted = write_results_xlsx(_batch(), tmp_path / "p.xlsx", catalogue=catalogue,
                                made_at=MADE_AT, round_name="第一批\x07")  # fmt: skip
    workbook = load_workbook(pasted)
    assert workbook.properties.title == "第一批〔U+0007〕 评价结果"
    assert workbook["说明"]["B2"].value.startswith("第一批〔U+0007〕（")


def test_summary_pdf_cuts_long_opinions_visibly(tmp_path, catalogue):
    """In the PDF summary a long opinion is cut with a pointer; the workbook keeps it whole."""
    evaluation = srdi_evaluation()
    opinion = "同意推荐。" * 400
    items = [
        ApplicantOutcome(evaluation, applicant_for(evaluation), ReviewInfo("recommend", opinion))
    ]
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    render_summary_pdf(summary, tmp_path / "s.pdf")
    assert "……（全文见评审意见表）" in flat_text(tmp_path / "s.pdf")
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))["推荐汇总表"]
    assert sheet["L2"].value == opinion


def _reviewed(name, uscc, score, verdict=Verdict.QUALIFIED, decision=None, **data):
    """One applicant of a stored round: it has review data, with or without a decision."""
    evaluation = srdi_evaluation(name, uscc, score=score, verdict=verdict)
    return ApplicantOutcome(evaluation, applicant_for(evaluation, **data), ReviewInfo(decision))


def _round_batch():
    """Three recommended (two tied), one qualified undecided with the top score, one qualified
    rejected, one pending and one not qualified: the shapes a stored round holds."""
    return [
        _reviewed("庚公司", "91330100000000007G", "92"),
        _reviewed("丁公司", "91330100000000004D", "41", Verdict.NOT_QUALIFIED, "reject"),
        _reviewed("戊公司", "91330100000000005E", "75", decision="recommend"),
        _reviewed("丙公司", "91330100000000003C", "70", Verdict.PENDING),
        _reviewed("甲公司", "91330100000000001A", "88", decision="recommend"),
        _reviewed("己公司", "91330100000000006F", "75", decision="recommend"),
        _reviewed("乙公司", "91330100000000002B", "65.5", decision="reject"),
    ]


RANKED = [
    (1, "1", "甲公司", "88", "符合条件", "推荐"),
    (2, "2", "戊公司", "75", "符合条件", "推荐"),
    (2, "2", "己公司", "75", "符合条件", "推荐"),
    (None, "—", "庚公司", "92", "符合条件", ""),
    (None, "—", "乙公司", "65.5", "符合条件", "不推荐"),
    (None, "—", "丙公司", "70", "待定", ""),
    (None, "—", "丁公司", "41", "不符合条件", "不推荐"),
]
RANK_NOTE = (
    "排名：只在评审决定为“推荐”的 3 家企业中排名，按得分从高到低，得分相同者名次并列；"
    "其余 4 家不排名（排名栏为“—”），列于其后。"
)


def test_only_recommended_applicants_are_ranked(catalogue):
    """Ranks 1..n go to the 推荐 decisions only (ties share a rank); the rest show — after them."""
    summary = build_recommendation_summary(_round_batch(), catalogue=catalogue, made_at=MADE_AT)
    assert [
        (r.rank, r.rank_text, r.name, r.score, r.verdict, r.decision) for r in summary.rows
    ] == RANKED
    assert summary.rank_note == RANK_NOTE


def test_without_review_data_the_qualified_are_ranked():
    """JSON input (no review data): the 符合条件 applicants are ranked, as the publicity decides."""
    items = [
        ApplicantOutcome(srdi_evaluation("甲公司", "91330100000000001A", score="61")),
        ApplicantOutcome(
            srdi_evaluation("乙公司", "91330100000000002B", score="90", verdict=Verdict.PENDING)
        ),
        ApplicantOutcome(srdi_evaluation("丙公司", "91330100000000003C", score="77")),
    ]
    summary = build_recommendation_summary(items, catalogue=load_catalogue(), made_at=MADE_AT)
    assert [(r.rank, r.name) for r in summary.rows] == [
        (1, "丙公司"),
        (2, "甲公司"),
        (None, "乙公司"),
    ]
    assert summary.rank_note == (
        "排名：只在评价结论为“符合条件”的 2 家企业中排名，按得分从高到低，得分相同者名次并列；"
        "其余 1 家不排名（排名栏为“—”），列于其后。"
    )


def test_summary_pdf_and_workbook_rank_only_the_recommended(tmp_path, catalogue):
    """Read back: the PDF and the workbook print ranks 1, 2, 2 then —, in that order, and the note."""
    summary = build_recommendation_summary(_round_batch(), catalogue=catalogue, made_at=MADE_AT)
    render_summary_pdf(summary, tmp_path / "s.pdf")
    first = "".join(page_texts(tmp_path / "s.pdf")[0].split())
    positions = [first.index(f"{rank}{name}") for _r, rank, name, *_ in RANKED]
    assert positions == sorted(positions)
    assert "".join(RANK_NOTE.split()) in first
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))["推荐汇总表"]
    table = [row[:2] for row in sheet.iter_rows(min_row=2, max_row=8, values_only=True)]
    assert table == [(rank, name) for rank, _t, name, *_ in ((r[0] or "—", *r[1:]) for r in RANKED)]
    assert sheet.auto_filter.ref == "A1:L8"
    assert sheet["A10"].value == RANK_NOTE


def test_statistics_put_each_industry_division_in_one_bucket_with_one_label(tmp_path, catalogue):
    """C35, C3562, 3562, ' c3562 ' and full-width Ｃ３５６２ (with or without 划型行业) are one
    bucket labelled once in Chinese; a missing code is 未填写, a code of no division is named."""
    codes = [
        ("C35", "industry"),
        ("C3562", "industry"),
        ("3562", None),
        (" c3562 ", None),
        ("Ｃ３５６２", "industry"),
        ("I6513", "software"),
        ("X12", None),
        (None, "industry"),
        ("", None),
    ]
    items = []
    for n, (code, sector) in enumerate(codes):
        evaluation = srdi_evaluation(f"企业{n}", f"9133010000000000{n}A")
        applicant = applicant_for(evaluation, industry_code=code, size_sector=sector)
        items.append(ApplicantOutcome(evaluation, applicant))
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    assert summary.statistics.by_industry == (
        CountLine("C35 专用设备制造业", 5),
        CountLine("I65 软件和信息技术服务业", 1),
        CountLine("行业代码无法识别", 1),
        CountLine("未填写", 2),
    )
    render_summary_pdf(summary, tmp_path / "s.pdf")
    stats = "".join(page_texts(tmp_path / "s.pdf")[-1].split())
    assert stats.count("C35专用设备制造业") == 1 and "（工业）" not in stats
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))["统计"]
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert labels.count("C35 专用设备制造业") == 1
    assert not any("（工业）" in str(label) for label in labels)


def test_an_empty_publicity_list_says_why(tmp_path):
    """No 推荐 decision: no rows, a warning counting what each applicant is, and the files say it."""
    items = [
        _reviewed("庚公司", "91330100000000007G", "92"),
        _reviewed("乙公司", "91330100000000002B", "65.5", decision="reject"),
        _reviewed("戊公司", "91330100000000005E", "75", decision="return"),
        _reviewed("丙公司", "91330100000000003C", "70", Verdict.PENDING),
        _reviewed("丁公司", "91330100000000004D", "41", Verdict.NOT_QUALIFIED),
    ]
    publicity = build_publicity_list(items, made_at=MADE_AT)
    reason = (
        "本批次 5 家中没有作出“推荐”决定的企业"
        "（符合条件 1 家待决定，不推荐 1 家，退回补充材料 1 家，待定 1 家，不符合条件 1 家）"
    )
    assert publicity.rows == ()
    assert publicity.empty_reason == reason
    assert publicity.warning == f"公示名单为空：{reason}"
    render_publicity_pdf(publicity, tmp_path / "p.pdf")
    assert "".join(f"本批次无公示企业{reason}".split()) in flat_text(tmp_path / "p.pdf")
    sheet = load_workbook(write_publicity_xlsx(publicity, tmp_path / "p.xlsx"))["公示名单"]
    assert [c.value for c in sheet[1]] == ["序号", "企业名称", "所在地区", "认定类别"]
    assert sheet["A2"].value == f"本批次无公示企业：{reason}。"


def test_an_empty_publicity_list_without_review_data_names_the_verdicts():
    """JSON input: nobody 符合条件; a list with rows has no warning."""
    failed = srdi_evaluation("丁公司", "91330100000000004D", verdict=Verdict.NOT_QUALIFIED)
    publicity = build_publicity_list([ApplicantOutcome(failed)], made_at=MADE_AT)
    assert publicity.warning == (
        "公示名单为空：本批次 1 家中没有评价结论为“符合条件”的企业（不符合条件 1 家）"
    )
    assert build_publicity_list(_batch(), made_at=MADE_AT).warning is None


def test_statistics_tell_undecided_from_unreviewed(catalogue):
    """A stored round's applicants without a decision are 未作决定, not 未评审."""
    batch = [*_round_batch(), ApplicantOutcome(srdi_evaluation("辛公司", "91330100000000008H"))]
    stats = build_recommendation_summary(batch, catalogue=catalogue, made_at=MADE_AT).statistics
    assert stats.by_decision == (
        CountLine("推荐", 3),
        CountLine("不推荐", 2),
        CountLine("未作决定", 2),
        CountLine("未评审", 1),
    )


def test_an_unscored_tier_says_its_numbers_are_no_ranking(catalogue):
    """创新型 (no score): the qualified are numbered by code, and the note says it ranks nothing."""
    items = [
        ApplicantOutcome(innovative_evaluation("乙公司")),
        ApplicantOutcome(innovative_evaluation("甲公司")),
    ]
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    assert [r.rank for r in summary.rows] == [1, 2]
    assert summary.rank_note == (
        "排名：本类别不评分，只为评价结论为“符合条件”的 2 家企业"
        "按统一社会信用代码顺序编号，不表示优劣。"
    )


def test_a_standard_without_a_score_prints_no_score_column(tmp_path, catalogue):
    """A batch whose standard gives no score has no 得分 column (an empty one read as missing
    figures): not in the view-model, the PDF's table page or the workbook, which has no range
    columns either; the opinion takes the width."""
    items = [
        ApplicantOutcome(innovative_evaluation("乙公司")),
        ApplicantOutcome(
            innovative_evaluation("甲公司"), review=ReviewInfo("recommend", "同意", "王")
        ),
    ]
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    assert summary.columns == (
        "排名", "企业名称", "统一社会信用代码", "申报类型", "所在地区", "所属行业",
        "评价结论", "评审决定", "评审意见",
    )  # fmt: skip
    render_summary_pdf(summary, tmp_path / "summary.pdf")
    table = "".join(page_texts(tmp_path / "summary.pdf")[0].split())
    assert "评价结论评审决定评审意见" in table and "得分" not in table
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "summary.xlsx"))["推荐汇总表"]
    assert [c.value for c in sheet[1]] == list(summary.columns)
    assert [c.value for c in sheet[2]][6:] == ["符合条件", None, None]
    assert [c.value for c in sheet[3]][6:] == ["符合条件", "推荐", "同意"]
    scored = build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT)
    assert "得分" in scored.columns


def test_a_decision_that_needs_a_second_look_is_marked_and_warned(tmp_path, catalogue):
    """A 推荐 taken before the verdict changed reads 推荐（需复核） in the summary's PDF and
    workbook and the results workbook, and both lists warn, naming it and why; the counts by
    decision stay by decision."""
    why = "决定作出后评价结论由“符合条件”变为“不符合条件”"
    failed = srdi_evaluation(
        "甲公司", "91330100000000001A", score="77", verdict=Verdict.NOT_QUALIFIED
    )
    items = [
        ApplicantOutcome(
            failed, applicant_for(failed), ReviewInfo("recommend", "同意", outdated=why)
        ),
        _reviewed("乙公司", "91330100000000002B", "65.5", decision="recommend"),
    ]
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    assert [(r.name, r.decision) for r in summary.rows] == [
        ("乙公司", "推荐"),
        ("甲公司", "推荐（需复核）"),
    ]
    notice = f"1 家企业的决定需复核：\n· 甲公司（91330100000000001A）：{why}"
    assert summary.warning == f"推荐汇总表中 {notice}"
    assert [(c.label, c.count) for c in summary.statistics.by_decision] == [("推荐", 2)]
    publicity = build_publicity_list(items, made_at=MADE_AT)
    assert [r.name for r in publicity.rows] == ["甲公司", "乙公司"]
    assert publicity.outdated == (f"甲公司（91330100000000001A）：{why}",)
    assert publicity_refusal(publicity.outdated) == (
        "公示名单未生成：1 家企业的“推荐”决定需复核。请复核后重新保存决定（或改作其他决定），"
        f"再生成公示名单：\n· 甲公司（91330100000000001A）：{why}"
    )
    with pytest.raises(PublicityRefused):
        write_publicity(items, tmp_path / "公示.xlsx", MADE_AT)
    assert not list(tmp_path.iterdir())  # nothing written, no temporary file left
    assert publicity_refusal(build_publicity_list(items[1:], made_at=MADE_AT).outdated) is None

    # The paper sent upward says why, under the table, and counts them on the 统计 page.
    note = (
        "需复核：以下 1 家企业的决定作出后情况有变，应复核后重新保存决定：",
        f"甲公司（91330100000000001A）：{why}",
    )
    assert summary.outdated_note == note
    assert [(c.label, c.count) for c in summary.statistics.decisions_shown] == [
        ("推荐", 2),
        ("其中需复核", 1),
    ]
    render_summary_pdf(summary, tmp_path / "s.pdf")
    text = flat_text(tmp_path / "s.pdf")
    assert "推荐（需复核）" in text
    assert "".join("".join(note).split()) in text and "其中需复核1" in text
    workbook = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))
    values = [c.value for row in workbook["推荐汇总表"].iter_rows() for c in row if c.value]
    assert "推荐（需复核）" in values and values[-2:] == list(note)
    stats = [tuple(c.value for c in row) for row in workbook["统计"].iter_rows()]
    assert ("其中需复核", 1, 0.5) in stats
    results = load_workbook(
        write_results_xlsx(items, tmp_path / "r.xlsx", catalogue=catalogue, made_at=MADE_AT)
    )
    assert "推荐（需复核）" in [c.value for row in results.active.iter_rows() for c in row]


def test_a_round_of_one_city_is_counted_by_district():
    """The 地区 counts of a round within one city are by 区县 (a city bureau's round); a round
    over several cities is counted by city."""
    from zjtx.export.summary import build_statistics

    one_city = []
    for number, county in enumerate(("吴中区", "吴中区", "相城区", None), start=1):
        evaluation = srdi_evaluation(f"企业{number}", f"9132050000000000{number}X")
        applicant = applicant_for(evaluation, province="江苏省", city="苏州市", county=county)
        one_city.append(ApplicantOutcome(evaluation, applicant))
    lines = build_statistics(one_city).by_region
    assert [(line.label, line.count) for line in lines] == [
        ("吴中区", 2), ("相城区", 1), ("苏州市（未填区县）", 1)
    ]  # fmt: skip
    assert [line.label for line in build_statistics(_batch()).by_region] == ["宁波市", "杭州市"]


def test_a_city_round_counts_districts_given_without_the_city(tmp_path):
    """A round whose 地区 is 宁波市, its roster giving 所在区县 and no 所在市: the 统计 page
    (PDF and Excel) counts by 区县 under 地区（宁波市各区县）, none under 未填写."""
    from zjtx.export.summary import build_statistics

    outcomes = []
    for number, county in enumerate(("慈溪市", "奉化区", "慈溪市"), start=1):
        evaluation = srdi_evaluation(f"企业{number}", f"9133020000000000{number}X")
        applicant = applicant_for(evaluation, province=None, city=None, county=county)
        outcomes.append(ApplicantOutcome(evaluation, applicant, round_region="宁波市"))
    statistics = build_statistics(outcomes)
    assert statistics.region_heading == "地区（宁波市各区县）"
    assert [(line.label, line.count) for line in statistics.by_region] == [
        ("慈溪市", 2), ("奉化区", 1)
    ]  # fmt: skip
    summary = build_recommendation_summary(outcomes, catalogue=load_catalogue(), made_at=MADE_AT)
    render_summary_pdf(summary, tmp_path / "s.pdf")
    text = flat_text(tmp_path / "s.pdf")
    assert "地区（宁波市各区县）" in text and "慈溪市266.7%" in text
    workbook = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))
    stats = [tuple(c.value for c in row) for row in workbook["统计"].iter_rows()]
    assert ("地区（宁波市各区县）", "家数", "占比") in stats
    assert ("慈溪市", 2, 2 / 3) in stats and not any(row[0] == "未填写" for row in stats)


def test_a_city_round_counts_short_city_names_and_county_cities_as_its_own(tmp_path):
    """A 宁波市 round's 统计 page counts 所在市 宁波 as 宁波市, 所在市 慈溪市 as 区县 慈溪市,
    and 鼓楼区 with no city (宁波 has none) outside 宁波市, not as one of its 区县."""
    from zjtx.export.summary import build_statistics

    outcomes = []
    given = [("宁波", None), ("慈溪市", None), (None, "慈溪市"), (None, "鼓楼区")]
    for number, (city, county) in enumerate(given, start=1):
        evaluation = srdi_evaluation(f"企业{number}", f"9133020000000000{number}X")
        applicant = applicant_for(evaluation, province=None, city=city, county=county)
        outcomes.append(ApplicantOutcome(evaluation, applicant, round_region="宁波市"))
    statistics = build_statistics(outcomes)
    assert statistics.region_heading == "地区（宁波市各区县）"
    assert sorted((line.label, line.count) for line in statistics.by_region) == [
        ("宁波市（未填区县）", 1), ("慈溪市", 2), ("鼓楼区（宁波市以外）", 1)
    ]  # fmt: skip


def test_the_publicity_list_runs_in_the_order_of_the_divisions():
    """The 公示名单 lists its districts as official lists do (虎丘区, 吴中区, 姑苏区, then a
    zone no code names), not in the order of their characters."""
    outcomes = []
    for number, county in enumerate(("苏州工业园区", "姑苏区", "吴中区", "虎丘区"), start=1):
        evaluation = srdi_evaluation(f"企业{number}", f"9132050000000000{number}X")
        applicant = applicant_for(evaluation, province="江苏省", city="苏州市", county=county)
        outcomes.append(
            ApplicantOutcome(evaluation, applicant, ReviewInfo("recommend", "同意", "王"))
        )
    rows = build_publicity_list(outcomes, made_at=MADE_AT).rows
    assert [r.region.removeprefix("江苏省苏州市") for r in rows] == [
        "虎丘区",
        "吴中区",
        "姑苏区",
        "苏州工业园区",
    ]


def test_the_unmet_criteria_chart_leaves_out_alternatives():
    """An unmet 直通 alternative fails no applicant: the 未满足条目 chart counts the failed
    requirements only."""
    from dataclasses import replace as with_

    from tests.export.factories import innovative_evaluation
    from zjtx.domain.results import CriterionState
    from zjtx.export.summary import build_statistics

    base = innovative_evaluation()
    failed = tuple(with_(c, state=CriterionState.UNMET) for c in base.criteria)
    evaluation = with_(base, criteria=failed)
    lines = build_statistics([ApplicantOutcome(evaluation, applicant_for(evaluation))]).by_criterion
    assert [line.label for line in lines] == ["IN-1 企业规模"]


def _open_batch():
    """Recommended: 88 and 75 fixed, 70–83 open; pending 25–100 open; not qualified 41 fixed."""
    ranged = srdi_evaluation("乙公司", "91330100000000002B", score="70", open_points="13")
    pending = srdi_evaluation(
        "丁公司", "91330100000000004D", score="25", verdict=Verdict.PENDING, open_points="75"
    )
    return [
        _reviewed("甲公司", "91330100000000001A", "88", decision="recommend"),
        ApplicantOutcome(ranged, None, ReviewInfo("recommend")),
        _reviewed("丙公司", "91330100000000003C", "75", decision="recommend"),
        ApplicantOutcome(pending, None, ReviewInfo()),
        _reviewed("戊公司", "91330100000000005E", "41", Verdict.NOT_QUALIFIED, "reject"),
    ]


def test_a_score_not_yet_fixed_shows_its_range_and_is_not_ranked(catalogue):
    """A range (70–83) is printed as such, has no rank (the fixed 88 and 75 rank 1 and 2), and
    is counted apart in the histogram (得分未定), not in the band of its least."""
    summary = build_recommendation_summary(_open_batch(), catalogue=catalogue, made_at=MADE_AT)
    assert [(r.rank_text, r.name, r.score, r.score_value, r.score_range) for r in summary.rows] == [
        ("1", "甲公司", "88", D(88), None),
        ("2", "丙公司", "75", D(75), None),
        ("—", "乙公司", "70–83", None, (D(70), D(83))),
        ("—", "丁公司", "25–100", None, (D(25), D(100))),
        ("—", "戊公司", "41", D(41), None),
    ]
    assert summary.rank_note == (
        "排名：只在评审决定为“推荐”且得分已确定的 2 家企业中排名，按得分从高到低，"
        "得分相同者名次并列；得分未定（得分为区间）的 1 家不排名，列在已排名企业之后；"
        "其余 2 家不排名（排名栏为“—”），列于其后。"
    )
    assert summary.score_note == (
        "得分为区间的（如 70–83，共 2 家），得分尚未确定：有待补充数据或待人工确认的计分条目，"
        "最终得分在区间内，不计入得分分布的各分数段。"
    )
    histogram = summary.statistics.histogram
    assert [line.count for line in histogram] == [0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 2]
    assert histogram[-1] == CountLine("得分未定", 2)


def test_a_range_reads_back_from_the_summary_pdf_and_workbook(tmp_path, catalogue):
    """PDF: 70–83 in 得分 with its note, 得分未定 on the statistics pages. Workbook: 得分 blank
    (it sorts last), 可能最低分 / 可能最高分 numbers, the note under the table."""
    summary = build_recommendation_summary(_open_batch(), catalogue=catalogue, made_at=MADE_AT)
    render_summary_pdf(summary, tmp_path / "s.pdf")
    texts = ["".join(t.split()) for t in page_texts(tmp_path / "s.pdf")]
    assert "3乙公司" not in texts[0] and "—乙公司" in texts[0]
    assert "70–83" in texts[0] and "25–100" in texts[0]
    assert "".join(summary.score_note.split()) in texts[0]
    assert "得分未定" in texts[2]  # the score chart's bar of its own
    workbook = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))
    sheet = workbook["推荐汇总表"]
    rows = {r[1]: r[6:9] for r in sheet.iter_rows(min_row=2, max_row=6, values_only=True)}
    assert rows["乙公司"] == (None, 70, 83) and rows["甲公司"] == (88, None, None)
    assert sheet["H4"].number_format == "General"
    notes = [r[0] for r in sheet.iter_rows(min_row=7, values_only=True) if r[0]]
    assert notes[1].startswith("得分栏只填已确定的得分，按得分排序时得分未定的企业")
    stats = [r[:2] for r in workbook["统计"].iter_rows(values_only=True)]
    assert ("得分未定", 2) in stats


def test_open_scores_are_ordered_by_their_least_as_the_round_table_orders_them(tmp_path, catalogue):
    """甲 awaits an evaluator on SR22-S4 补链强链 (declares its most, 82; least 77), 乙 lacks
    ISO9001 (78–80): the summary and its workbook put 乙 first, as `round show` does, and not
    甲 by its declared 82."""
    import json
    from datetime import date

    from tests.scoring.applicants import base
    from tests.store.helpers import make_uscc
    from zjtx.export.from_store import round_outcomes
    from zjtx.store import StoreService, open_store

    values = {**base("srdi-sme-2022"), "local_feature_score": 9}
    records = [
        {**values, "name": "甲链主科技有限公司", "uscc": make_uscc(4),
         "lead_product_field": "chain_key"},
        {**values, "name": "乙六基科技有限公司", "uscc": make_uscc(5),
         "lead_product_field": "six_foundations", "iso9001": None},
    ]  # fmt: skip
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(records, ensure_ascii=False, default=str), encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 'zjtx.sqlite3'}")
    try:
        service = StoreService(store)
        service.create_round("专精特新2025", tier="srdi-sme", round_date=date(2025, 6, 1))
        service.import_paths("专精特新2025", [path])
        table = [(r.name, r.score_text) for r in service.list_applicants("专精特新2025")]
        _info, outcomes = round_outcomes(service, "专精特新2025")
    finally:
        store.close()
    assert table == [("乙六基科技有限公司", "78–80"), ("甲链主科技有限公司", "77–82")]
    summary = build_recommendation_summary(outcomes, catalogue=catalogue, made_at=MADE_AT)
    assert [(r.name, r.score, r.rank) for r in summary.rows] == [(*t, None) for t in table]
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "s.xlsx"))["推荐汇总表"]
    assert [r[1] for r in sheet.iter_rows(min_row=2, max_row=3, values_only=True)] == [
        "乙六基科技有限公司",
        "甲链主科技有限公司",
    ]


def test_a_single_champion_round_lists_the_product_each_title_is_for(tmp_path, catalogue):
    """A 单项冠军 is given for a product: the 推荐汇总表 and the 公示名单 (PDF and workbook) have
    a 申请产品 column beside 企业名称, "—" where the applicant names none; other tiers have
    none."""
    from dataclasses import replace

    champion = replace(
        innovative_evaluation("甲纺机有限公司"), tier="single-champion", application_type="new"
    )
    unnamed = replace(champion, name="乙机械有限公司", uscc="91330201MA2H12346Y")
    recommend = ReviewInfo("recommend", "同意推荐", "王")
    items = [
        ApplicantOutcome(champion, applicant_for(champion, champion_product="纺织机械"), recommend),
        ApplicantOutcome(unnamed, applicant_for(unnamed), recommend),
    ]
    summary = build_recommendation_summary(items, catalogue=catalogue, made_at=MADE_AT)
    assert summary.columns[:4] == ("排名", "企业名称", "申请产品", "统一社会信用代码")
    assert {(r.name, r.product) for r in summary.rows} == {
        ("甲纺机有限公司", "纺织机械"),
        ("乙机械有限公司", "—"),
    }
    render_summary_pdf(summary, tmp_path / "summary.pdf")
    table = "".join(page_texts(tmp_path / "summary.pdf")[0].split())
    assert "企业名称申请产品统一社会信用代码" in table and "甲纺机有限公司纺织机械" in table
    sheet = load_workbook(write_summary_xlsx(summary, tmp_path / "summary.xlsx"))["推荐汇总表"]
    assert [c.value for c in sheet[1]] == list(summary.columns)
    assert {tuple(c.value for c in row[1:3]) for row in sheet.iter_rows(min_row=2, max_row=3)} == {
        ("甲纺机有限公司", "纺织机械"),
        ("乙机械有限公司", "—"),
    }

    publicity = build_publicity_list(items, made_at=MADE_AT)
    assert publicity.columns == ("序号", "企业名称", "申请产品", "所在地区", "认定类别")
    render_publicity_pdf(publicity, tmp_path / "publicity.pdf")
    assert "甲纺机有限公司纺织机械" in "".join(page_texts(tmp_path / "publicity.pdf")[0].split())
    book = load_workbook(write_publicity_xlsx(publicity, tmp_path / "publicity.xlsx"))
    rows = [[c.value for c in row] for row in book["公示名单"].iter_rows(min_row=1, max_row=3)]
    assert rows[0] == list(publicity.columns)
    assert {tuple(row[1:3]) for row in rows[1:]} == {
        ("甲纺机有限公司", "纺织机械"),
        ("乙机械有限公司", "—"),
    }

    others = build_publicity_list(
        [ApplicantOutcome(innovative_evaluation(), review=recommend)], made_at=MADE_AT
    )
    assert "申请产品" not in others.columns
    assert (
        "申请产品"
        not in build_recommendation_summary(_batch(), catalogue=catalogue, made_at=MADE_AT).columns
    )
