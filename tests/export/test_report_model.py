"""Assessment-report view-model: every printed text checked exactly."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal as D

import pytest

from tests.export.factories import (
    MADE_AT,
    applicant_for,
    innovative_evaluation,
    overridden_srdi_evaluation,
    srdi_evaluation,
)
from zjtx.domain.results import Confirmation, CriterionState
from zjtx.export.report_model import (
    ChartBar,
    CriterionRow,
    GapLine,
    JudgementLine,
    KeyFigureRow,
    WarningLine,
    build_assessment_report,
    format_number,
    format_points,
    report_input_hash,
)
from zjtx.export.review import AcknowledgedWarning, ReviewInfo
from zjtx.scoring.catalogue import load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _report(catalogue, evaluation=None, review=None, **kwargs):
    evaluation = evaluation or srdi_evaluation()
    return build_assessment_report(
        evaluation,
        catalogue=catalogue,
        applicant=kwargs.pop("applicant", applicant_for(evaluation)),
        review=review,
        made_at=MADE_AT,
        **kwargs,
    )


def test_a_single_champion_report_names_its_product_and_no_size(catalogue):
    """A 单项冠军's 评审意见表 names the 申请产品 the 认定 is for, and says its size is not
    judged (it printed 未能划型（数据不全）, read as a figure to chase, and 主导产品 —)."""
    from dataclasses import replace

    evaluation = replace(srdi_evaluation(), tier="single-champion", size_class="unknown")
    applicant = applicant_for(evaluation, champion_product="纺织机械", lead_product="纱线")
    enterprise = dict(_report(catalogue, evaluation, applicant=applicant).enterprise)
    assert enterprise["企业规模"] == "不考查（单项冠军不要求中小企业规模）"
    assert enterprise["申请产品"] == "纺织机械" and "主导产品" not in enterprise
    srdi = dict(_report(catalogue, srdi_evaluation(), applicant=applicant).enterprise)
    assert (srdi["企业规模"], srdi["主导产品"]) == ("小型企业", "纱线")


def test_heading_enterprise_block_and_key_figures(catalogue):
    """Title, round, rulebook with document number, enterprise block and 3-year figures."""
    evaluation = srdi_evaluation()
    report = _report(
        catalogue,
        evaluation,
        applicant=applicant_for(evaluation, lead_product="高精度数控转台"),
        rulebook_document="工信部企业〔2022〕63号",
    )
    assert report.title == "专精特新中小企业评审意见表"
    assert report.subtitle == "2026年3月1日批次　专精特新中小企业　新申报"
    assert report.rulebook == (
        "工信部企业〔2022〕63号　专精特新中小企业认定标准（srdi-sme-2022，版本 2022.1）"
    )
    assert report.enterprise == (
        ("企业名称", "杭州堃喆精密机械有限公司"),
        ("统一社会信用代码", "91330106MA2B0XXX1X"),
        ("所在地区", "浙江省杭州市西湖区"),
        ("所属行业", "C3562（工业）"),
        ("企业规模", "小型企业"),
        ("申报类型", "新申报"),
        ("主导产品", "高精度数控转台"),  # what the 主导产品 criteria judge
    )
    assert report.figure_columns == ("2025年", "2024年", "2023年")
    assert report.figures[:3] == (
        # Amounts show two decimals at least, so the points line up; none is rounded.
        KeyFigureRow("营业收入（万元）", ("7,800.50", "6,900.00", "6,100.00")),
        KeyFigureRow("主营业务收入（万元）", ("7,520.00", "—", "—")),
        KeyFigureRow("研发费用（万元）", ("320.00", "330.60", "—")),
    )
    assert KeyFigureRow("2025年末从业人员（人）", ("186", "", "")) in report.figures
    assert KeyFigureRow("2025年净利润（万元）", ("—", "", "")) in report.figures


def test_criteria_grouped_with_states_points_and_subtotals(catalogue):
    """Criteria keep rulebook group order, numbered through, with Chinese states and points."""
    report = _report(catalogue)
    assert [g.title for g in report.groups] == ["基本条件", "专业化", "创新能力"]
    assert report.groups[0].subtotal == ""
    assert report.groups[1].rows == (
        CriterionRow("4", "SR-S1", "研发费用增长率", "≥10% 得 5 分", "-3.2%", "不符合", "0 / 5"),
        CriterionRow("5", "SR-S2", "主营业务收入占比", "≥70%", "96.4%", "符合", "5 / 5"),
        CriterionRow(
            "6", "SR-S3", "主导产品所属领域", "属于产业链关键环节", "其他", "待人工确认", "0–5 / 5"
        ),
    )
    assert report.groups[1].subtotal == "小计 5 / 15（可能 5–10，最低 5 分）"
    assert report.groups[2].rows[1] == CriterionRow(
        "8", "SR-C2", "研发机构", "市级以上研发机构", "—", "待补充数据", "0–8 / 8"
    )
    assert report.groups[0].rows[0].points == ""  # requirement items carry no points


def test_total_pass_line_verdict_gaps_and_chart(catalogue):
    """Scored tier: total with its possible range, pass line, verdict, gaps and chart bars."""
    report = _report(catalogue)
    assert report.scored
    assert (report.total, report.total_range, report.pass_line) == (
        "72 / 100",
        "可能区间 72–85",
        "60 分",
    )
    assert report.verdict == "符合条件"
    assert report.verdict_reasons == ("基本条件全部符合", "评分 72 分，达到 60 分")
    assert report.gaps == (
        GapLine("研发费用增长率", "不符合", "增长率还差 13.2 个百分点"),
        GapLine("研发机构", "待补充数据", "缺少数据：研发机构级别"),
    )
    assert report.chart == (
        ChartBar("专业化", D("5"), D("15"), D("5")),
        ChartBar("创新能力", D("15"), D("28"), D("10")),
    )
    assert report.judgements == (
        JudgementLine("主导产品所属领域", "待人工确认", "尚未确认", "", "", ""),
    )


def test_unmet_route_is_not_shown_as_a_failure(catalogue):
    """An alternative (直通) route that is not met reads 未满足, not 不符合."""
    evaluation = innovative_evaluation()
    route = replace(evaluation.criteria[1], state=CriterionState.UNMET)
    evaluation = replace(evaluation, criteria=(evaluation.criteria[0], route))
    report = _report(catalogue, evaluation)
    assert report.groups[1].rows[0].state == "未满足"
    assert report.gaps == ()


@pytest.mark.parametrize(
    ("state", "shown"), [("met", "有"), ("unmet", "无"), ("manual", "待人工确认")]
)
def test_an_informational_item_reads_as_held_or_not_never_as_failing(catalogue, state, shown):
    """An informational item (单项冠军 加分项) reads 有 or 无, not 符合 or 不符合 (a 不符合
    printed in bold read as a failing row), in no state colour; one still open says so."""
    from zjtx.domain.results import CriterionKind
    from zjtx.export.pdf_common import STATE_COLORS, STRONG_STATES

    evaluation = innovative_evaluation()
    bonus = replace(
        evaluation.criteria[1], kind=CriterionKind.INFO, state=CriterionState(state), title="加分项"
    )
    evaluation = replace(evaluation, criteria=(evaluation.criteria[0], bonus))
    row = _report(catalogue, evaluation).groups[1].rows[0]
    assert row.state == shown
    if state != "manual":
        assert row.state_code not in STRONG_STATES and row.state_code not in STATE_COLORS


def test_unscored_tier_has_no_total_or_chart(catalogue):
    """A tier without points prints no total, pass line or chart, only the verdict."""
    evaluation = innovative_evaluation()
    report = _report(catalogue, evaluation)
    assert (report.scored, report.total, report.pass_line, report.chart) == (False, "", "", ())
    assert report.title == "创新型中小企业评审意见表"
    assert report.subtitle == "2026年6月1日批次　创新型中小企业　复核"
    assert report.groups[1].rows[0].points == ""


def test_review_decision_confirmations_and_warnings(catalogue):
    """Review data: decision label, opinion, confirmed judgement, override and warnings."""
    evaluation = overridden_srdi_evaluation()
    review = ReviewInfo(
        decision="recommend",
        opinion="同意推荐。",
        evaluator="王晓明",
        decided_at=datetime(2026, 5, 18, 14, 0),
        confirmations=(
            Confirmation(
                "SR-S3", CriterionState.MET, "属补短板环节", "王晓明", datetime(2026, 5, 18, 13, 5)
            ),
        ),
        acknowledged_warnings=(
            AcknowledgedWarning("H7：研发费用占比不一致", "以计算值为准", "王晓明"),
        ),
    )
    report = _report(catalogue, evaluation, review)
    assert (report.decision, report.opinion, report.evaluator, report.decided_at) == (
        "推荐",
        "同意推荐。",
        "王晓明",
        "2026-05-18 14:00",
    )
    assert report.judgements == (
        JudgementLine("研发费用增长率", "不符合", "符合（改判）", "口径调整后增长 12%", "李四", ""),
        JudgementLine(
            "主导产品所属领域", "待人工确认", "符合", "属补短板环节", "王晓明", "2026-05-18 13:05"
        ),
    )
    assert report.groups[1].rows[2].confirmed
    rows = {row.criterion_id: row for group in report.groups for row in group.rows}
    # The criteria table says 改判 for the override and 已确认 for the judgement confirmed.
    assert (rows["SR-S1"].confirmed, rows["SR-S1"].overridden) == (True, True)
    assert (rows["SR-S3"].confirmed, rows["SR-S3"].overridden) == (True, False)
    assert report.warnings == (WarningLine("H7：研发费用占比不一致", "以计算值为准", "王晓明"),)


def test_judgement_items_the_data_decided_are_not_listed_as_awaiting(catalogue):
    """人工判断事项 lists a judgement item that waits (尚未确认) or was confirmed, not one the
    data decided without an evaluator (its judgement part not reached)."""
    evaluation = srdi_evaluation()
    waiting = _report(catalogue, evaluation).judgements
    assert [line.title for line in waiting] == ["主导产品所属领域"]
    decided = replace(evaluation.criterion("SR-S3"), state=CriterionState.MET)
    evaluation = replace(
        evaluation, criteria=tuple(decided if c.id == "SR-S3" else c for c in evaluation.criteria)
    )
    assert _report(catalogue, evaluation).judgements == ()


def test_without_review_decision_is_left_blank_for_handwriting(catalogue):
    """No review yet: the decision reads （未填写） and the opinion is empty."""
    report = _report(catalogue)
    assert (report.decision, report.opinion, report.evaluator) == ("（未填写）", "", "")


def test_unknown_decision_is_rejected():
    """A decision that is not 推荐/不推荐/退回补充材料 (or its code) is refused with a message."""
    with pytest.raises(ValueError, match="未知的评审决定 “同意”"):
        ReviewInfo(decision="同意")
    assert ReviewInfo(decision="退回补充材料").decision_label == "退回补充材料"


def test_footer_carries_time_rulebook_version_and_input_hash(catalogue):
    """Footer: made time, rulebook id and version, and 16 hex digits of the input hash."""
    report = _report(catalogue)
    digest = report_input_hash(srdi_evaluation(), None)
    assert report.footer == (
        f"生成时间 2026-05-20 09:30　认定标准 srdi-sme-2022 版本 2022.1　输入摘要 {digest[:16]}"
    )
    changed = report_input_hash(srdi_evaluation(score="73"), None)
    assert changed != digest
    with_review = report_input_hash(srdi_evaluation(), ReviewInfo(opinion="x"))
    assert with_review != digest


def test_missing_glyphs_are_noted_on_the_report(catalogue):
    """A name with a character outside the font adds a note listing it by its code (the
    character itself would print as the code again)."""
    evaluation = srdi_evaluation(name="𪚥记精密机械有限公司")
    report = _report(catalogue, evaluation)
    assert report.missing_characters == ("𪚥",)
    assert report.notes[-1].endswith("请核对后手工补写：U+2A6A5")
    assert _report(catalogue).missing_characters == ()


def test_amounts_show_two_decimals_at_least_and_never_round():
    """万元 amounts gain zeros to two decimals; more decimals given are all kept."""
    from zjtx.export.report_model import amount_text

    assert amount_text(D("1946.4")) == "1,946.40"
    assert amount_text(63599) == "63,599.00"
    assert amount_text(D("0.125")) == "0.125"
    assert amount_text(None) == "—"


def test_number_formatting_never_rounds():
    """Figures keep every digit given; points drop trailing zeros only."""
    assert format_number(D("1234567.891")) == "1,234,567.891"
    assert format_number(D("1200.00")) == "1,200.00"
    assert format_number(186) == "186"
    assert format_number(None) == "—"
    assert format_points(D("7.50")) == "7.5"
    assert format_points(D("10")) == "10"
