"""Verdict errors of the policy audit (issue 13 §2, §3): each boundary on both sides."""

import subprocess
import sys
from datetime import date

import pytest

from tests.scoring.applicants import ROOT, base, d, run
from zjtx.domain.results import Confirmation, CriterionState, Verdict
from zjtx.scoring import list_overlay_ids, list_rulebook_ids, load_overlay, load_rulebook
from zjtx.scoring.selection import select_rulebook_id
from zjtx.scoring.size import classify_size

MET, UNMET = CriterionState.MET, CriterionState.UNMET
UNKNOWN, MANUAL, NA = CriterionState.UNKNOWN, CriterionState.MANUAL, CriterionState.NA


def state(evaluation, criterion_id):
    return evaluation.criterion(criterion_id).state


# -- guangdong-2024: 创新型 prerequisite ---------------------------------------------------------


@pytest.mark.parametrize(("holds", "expected"), [(True, MET), (False, UNMET)])
def test_guangdong_requires_the_innovative_title(holds, expected):
    """criteria.md §10 Guangdong: 专精特新 prerequisite holds_innovative (粤工信规字〔2024〕5号)."""
    ev = run("srdi-sme-2022", {"holds_innovative": holds}, overlay="guangdong-2024")
    assert state(ev, "GD-P") == expected
    assert ev.verdict == (Verdict.QUALIFIED if holds else Verdict.NOT_QUALIFIED)


# -- jiangsu-2022 and srdi-sme-2026: which title -------------------------------------------------


@pytest.mark.parametrize(
    ("innovative", "tech", "expected"),
    [(True, False, MET), (False, True, UNMET), (False, False, UNMET)],
)
def test_jiangsu_requires_innovative_not_tech_sme(innovative, tech, expected):
    """criteria.md srdi-sme-2022 Prerequisite: Jiangsu requires 创新型 (苏工信中小〔2022〕496号)."""
    changes = {"holds_innovative": innovative, "holds_tech_sme": tech}
    ev = run("srdi-sme-2022", changes, overlay="jiangsu-2022")
    assert state(ev, "JS-P") == expected


@pytest.mark.parametrize(
    ("innovative", "tech", "expected"),
    [
        (True, False, MET),
        (False, True, MET),
        (False, False, UNMET),
        (False, None, UNKNOWN),
    ],
)
def test_srdi_2026_accepts_either_title(innovative, tech, expected):
    """criteria.md SR26-1a: a valid 科技型 or 创新型 title (n=3) satisfies 科技和创新型."""
    ev = run("srdi-sme-2026", {"holds_innovative": innovative, "holds_tech_sme": tech})
    assert state(ev, "SR26-1a") == expected


# -- little-giant-2022: LG22-0 / LG22-X are application rules -------------------------------------


@pytest.mark.parametrize(("kind", "expected"), [("new", UNMET), ("renewal", MANUAL)])
def test_lg22_title_prerequisite_applies_to_new_applications(kind, expected):
    """criteria.md LG22-0: “在有效期内的省级专精特新中小企业可提出…申请” — for 复核 a judgement."""
    ev = run(
        "little-giant-2022",
        {"holds_srdi": False, "application_type": kind},
        confirmed=False,
    )
    assert state(ev, "LG22-0") == expected
    if kind == "renewal":
        assert "复核" in " ".join(p.text for p in ev.criterion("LG22-0").parts)


@pytest.mark.parametrize(("kind", "expected"), [("new", UNMET), ("renewal", MANUAL)])
def test_lg22_champion_exclusion_applies_to_new_applications(kind, expected):
    """criteria.md LG22-X: “不再推荐申请” is an application rule; for 复核 a judgement item."""
    ev = run(
        "little-giant-2022",
        {"holds_champion": True, "application_type": kind},
        confirmed=False,
    )
    assert state(ev, "LG22-X") == expected
    assert ev.verdict == (Verdict.NOT_QUALIFIED if kind == "new" else Verdict.PENDING)


def test_lg22_new_application_with_titles_still_passes():
    """criteria.md LG22-0: a new applicant holding 专精特新 and no 单项冠军 meets both."""
    ev = run("little-giant-2022")
    assert (state(ev, "LG22-0"), state(ev, "LG22-X")) == (MET, MET)


# -- tech-sme-2017: its own incident question ----------------------------------------------------


@pytest.mark.parametrize(
    ("incident", "three_year", "expected"),
    [(False, True, MET), (True, False, UNMET), (None, False, UNKNOWN)],
)
def test_ts17_asks_its_own_incident_question(incident, three_year, expected):
    """criteria.md TS17-0: 115号 asks about 填报上一年及当年内, not the 63号 近三年 question."""
    changes = {"tech_sme_incident": incident, "major_incident_3y": three_year}
    ev = run("tech-sme-2017", changes)
    assert state(ev, "TS17-0") == expected
    assert "填报上一年及当年内" in ev.criterion("TS17-0").requirement


# -- size classes the 2011 standard does not cover ----------------------------------------------


@pytest.mark.parametrize("code", ["J6620", "J66", "6620", "S9221", "T9700"])
def test_sectors_outside_the_2011_standard_are_not_covered(code):
    """criteria.md §13: 300号 lists its industries; 金融业 and non-enterprise 门类 have no row."""
    result = classify_size({"industry_code": code, "employees_y1": 50})
    assert result.size_class == "not_covered"
    assert "不在" in result.explanation


@pytest.mark.parametrize(
    ("code", "size_class"), [("M7310", "small"), ("C3562", "unknown"), ("R8610", "small")]
)
def test_covered_sectors_still_classify(code, size_class):
    """criteria.md §13: 其他未列明行业 (科学研究, 文化体育) keeps its row; 工业 needs revenue."""
    assert classify_size({"industry_code": code, "employees_y1": 50}).size_class == size_class


@pytest.mark.parametrize(
    ("rulebook_id", "criterion_id"),
    [
        ("innovative-sme-2022", "IN22-0"),
        ("srdi-sme-2022", "SR22-0"),
        ("little-giant-2022", "LG22-0"),
        ("srdi-sme-2026", "SR26-0"),
        ("little-giant-2026", "LG26-0"),
    ],
)
def test_uncovered_industry_is_a_judgement_item(rulebook_id, criterion_id):
    """criteria.md §12/§13: an industry outside 300号 goes to review, not to a size row."""
    outside = run(rulebook_id, {"size_sector": None, "industry_code": "J6620"}, confirmed=False)
    assert state(outside, criterion_id) == MANUAL
    assert "划型" in outside.criterion(criterion_id).observed
    inside = run(rulebook_id, {"size_sector": None, "industry_code": "C3562"}, confirmed=False)
    assert state(inside, criterion_id) != MANUAL or rulebook_id.startswith("little-giant")


# -- single champion: switch-over date and the rulebook before it --------------------------------


def test_single_champion_2023_applies_from_its_issued_date():
    """criteria.md single-champion-2023: 138号 texts dated 2023-09-14; it applies from then."""
    book = load_rulebook("single-champion-2023")
    issued = book.instrument["issued"]
    assert book.applies[0].start == (issued if isinstance(issued, date) else date(2023, 9, 14))
    assert select_rulebook_id("single-champion", date(2023, 9, 14)) == "single-champion-2023"
    assert select_rulebook_id("single-champion", date(2023, 9, 13)) == "single-champion-2016"


SC16 = {
    "name": "冠军测试有限公司",
    "application_type": "new",
    "abnormal_operation": False,
    "serious_dishonesty": False,
    "prohibited_product": False,
    "major_incident_3y": False,
    "size_sector": "industry",
    "revenue_y1": d(60000),
    "main_revenue_y1": d(50000),
    "field_years": d(12),
    "new_product": False,
    "market_rank_global": 2,
    "holds_little_giant": False,
    "champion_category": "enterprise",
}


def sc16(**changes):
    values = {**SC16, **changes}
    return run("single-champion-2016", values=values, confirmed=False, round_date=date(2022, 6, 1))


@pytest.mark.parametrize(
    ("product_revenue", "expected"),
    [(d(42000), MET), (d(34999), UNMET), (d(36000), MANUAL)],
)
def test_sc16_share_rule_for_demonstration_enterprises(product_revenue, expected):
    """criteria.md 单项冠军 2016–2022: 70 % of 全部业务收入 (2016), of 主营业务收入 (2021)."""
    ev = sc16(champion_product_revenue_y1=product_revenue)
    # 42000/60000 = 70 % of all revenue; 34999/50000 < 70 % of main; 36000: 60 % vs 72 %.
    assert state(ev, "SC16-2") == expected


def test_sc16_product_category_has_no_share_rule():
    """criteria.md 单项冠军 2019 (78号): 单项冠军产品 — the 70 % share is not required."""
    ev = sc16(champion_category="product", champion_product_revenue_y1=d(1000))
    assert state(ev, "SC16-2") == MET


@pytest.mark.parametrize(
    ("years", "new_product", "expected"),
    [(d(10), False, MET), (d("9.9"), False, UNMET), (d(3), True, MET), (d("2.9"), True, UNMET)],
)
def test_sc16_field_years_and_new_products_at_three(years, new_product, expected):
    """criteria.md 单项冠军 2016/2022: 10 years, or 3 years for a new product."""
    ev = sc16(field_years=years, new_product=new_product)
    assert state(ev, "SC16-1") == expected


@pytest.mark.parametrize(
    ("revenue", "little_giant", "expected"),
    [(d("40000.01"), False, MET), (d(40000), False, MANUAL), (d(40000), True, MET)],
)
def test_sc16_four_hundred_million_or_below_needs_the_little_giant_title(
    revenue, little_giant, expected
):
    """criteria.md 单项冠军 2019 (78号): “年销售收入4亿元以下…应为小巨人”; 以下 includes
    the figure (§1), so exactly 4亿 without the title goes to the evaluator."""
    ev = sc16(revenue_y1=revenue, main_revenue_y1=d(30000), holds_little_giant=little_giant)
    assert state(ev, "SC16-4") == expected


@pytest.mark.parametrize(("rank", "expected"), [(3, MET), (4, UNMET)])
def test_sc16_global_top_three(rank, expected):
    """criteria.md 单项冠军 2016: “单项产品市场占有率位居全球前3位”."""
    assert state(sc16(market_rank_global=rank), "SC16-3") == expected


# -- sources cite official instruments -----------------------------------------------------------


def _texts(book):
    for c in book.criteria:
        yield from (c.clause, c.source, c.unverified or "", c.requirement, *c.notes)
    yield from (str(v) for v in book.instrument.values())
    yield from (a.note for a in book.applies)
    yield from (s.label + s.grade for s in book.settings.values())


@pytest.mark.parametrize("rulebook_id", list_rulebook_ids())
def test_rulebook_text_names_no_spec_reference(rulebook_id):
    """Issue 13 §2: product text cites instruments, never “criteria.md §12”."""
    book = load_rulebook(rulebook_id)
    leaked = [t for t in _texts(book) if "criteria.md" in t or "§" in t]
    assert leaked == []


@pytest.mark.parametrize("overlay_id", list_overlay_ids())
def test_overlay_text_names_no_spec_reference(overlay_id):
    """Issue 13 §2: overlay sources cite the provincial instrument or page, not the spec."""
    overlay = load_overlay(overlay_id)
    book = load_rulebook(overlay.extends, overlay_id)
    leaked = [t for t in _texts(book) if "criteria.md" in t or "§" in t]
    leaked += [t for t in (overlay.source, overlay.unverified or "") if "criteria.md" in t]
    assert leaked == []


def test_rulebook_show_prints_no_spec_reference():
    """Issue 13 §2: `zjtx rulebook show little-giant-2026` showed “criteria.md §12” 13 times."""
    out = subprocess.run(
        [sys.executable, "-m", "zjtx", "rulebook", "show", "little-giant-2026"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert "LG26-0" in out
    assert "criteria.md" not in out


# -- §3 主导产品 ----------------------------------------------------------------------------------


LEAD_PRODUCT_CRITERIA = [
    ("little-giant-2022", "LG22-4G3"),
    ("little-giant-2022", "LG22-3a"),
    ("little-giant-2026", "LG26-4"),
    ("little-giant-2026", "LG26-5"),
    ("srdi-sme-2026", "SR26-4"),
]


@pytest.mark.parametrize(("rulebook_id", "criterion_id"), LEAD_PRODUCT_CRITERIA)
def test_stated_lead_product_not_over_half_is_a_judgement(rulebook_id, criterion_id):
    """criteria.md §15 主导产品: revenue > 50 % (2号 附件3（三）); at 50 % exactly it is not.
    (No award or institution here: those waive the IP items whatever the 主导产品.)"""
    revenue = base(rulebook_id)["revenue_y1"]
    no_exemption = {"rd_institution_level": "municipal", "sci_award_national_rank": 0,
                    "sci_award_provincial_rank": 0}  # fmt: skip
    half = run(rulebook_id, {"lead_product_revenue_y1": revenue / 2, **no_exemption},
               confirmed=False)  # fmt: skip
    assert state(half, criterion_id) == MANUAL
    assert "50%" in " ".join(p.text for p in half.criterion(criterion_id).parts)


@pytest.mark.parametrize(("rulebook_id", "criterion_id"), LEAD_PRODUCT_CRITERIA)
def test_lead_product_over_half_or_unstated_reads_as_before(rulebook_id, criterion_id):
    """criteria.md §15 主导产品: just over 50 %, or no figure, leaves the criterion as computed."""
    revenue = base(rulebook_id)["revenue_y1"]
    over = run(rulebook_id, {"lead_product_revenue_y1": revenue / 2 + d("0.01")})
    unstated = run(rulebook_id)
    assert state(over, criterion_id) == state(unstated, criterion_id) == MET


# Scored criteria on the 主导产品 (issue 13 §3): a case the applicant meets turns into a
# judgement (its points a range until confirmed); cases it does not meet stay as they were.
LEAD_PRODUCT_SCORES = [
    ("innovative-sme-2022", None, "IN22-S1", {}),
    ("srdi-sme-2022", None, "SR22-S10", {}),
    ("srdi-sme-2022", "shandong-2022", "SD-11", {"market_share_domestic": d(12)}),
]


@pytest.mark.parametrize(("rulebook_id", "overlay", "criterion_id", "changes"), LEAD_PRODUCT_SCORES)
def test_scored_item_on_a_lead_product_not_over_half_awaits_an_evaluator(
    rulebook_id, overlay, criterion_id, changes
):
    """criteria.md §15 主导产品: at 50 % the points earned are a range until an evaluator
    confirms them (confirmed: the points as computed; not confirmed: none)."""
    revenue = base(rulebook_id)["revenue_y1"]
    computed = run(rulebook_id, changes, overlay=overlay).criterion(criterion_id)
    assert computed.state == MET and computed.points > 0
    half = {**changes, "lead_product_revenue_y1": revenue / 2}
    pending = run(rulebook_id, half, overlay=overlay).criterion(criterion_id)
    assert pending.state == MANUAL
    assert (pending.points_min, pending.points_max) == (0, computed.points)
    assert pending.observed.startswith("主导产品销售收入占营业收入比重 50%")
    assert pending.observed.endswith(f"→ 0–{computed.points} 分（待评审人确认）")
    assert "不符合“主导产品”的定义" in pending.observed  # why it waits, not only that it does
    yes = Confirmation(criterion_id, MET, "张三", "主导产品已核实")
    confirmed = run(rulebook_id, half, overlay=overlay, confirmations=[yes])
    item = confirmed.criterion(criterion_id)
    assert (item.state, item.points, item.gap) == (MET, computed.points, computed.gap)
    assert "评审人确认：符合" in item.observed
    no = Confirmation(criterion_id, UNMET, "张三", "主导产品与知识产权无关")
    refused = run(rulebook_id, half, overlay=overlay, confirmations=[no]).criterion(criterion_id)
    assert (refused.state, refused.points, refused.gap) == (UNMET, 0, None)


@pytest.mark.parametrize(("rulebook_id", "overlay", "criterion_id", "changes"), LEAD_PRODUCT_SCORES)
def test_lead_product_item_is_a_judgement_only_where_the_guard_applies(
    rulebook_id, overlay, criterion_id, changes
):
    """Over 50 % (or unstated) the item is computed, listed as no judgement, and an evaluator's
    不符合 overrides it outright (0 points, the total lowered by what it earned), as before the
    guard; at 50 % it is a judgement item whose confirmation decides the judgement part."""
    revenue = base(rulebook_id)["revenue_y1"]
    for share in (None, revenue / 2 + d("0.01")):
        values = changes if share is None else {**changes, "lead_product_revenue_y1": share}
        computed = run(rulebook_id, values, overlay=overlay)
        item = computed.criterion(criterion_id)
        assert (item.state, item.judgement) == (MET, False) and item.points > 0
        no = Confirmation(criterion_id, UNMET, "张三", "知识产权与主导产品无关")
        refused = run(rulebook_id, values, overlay=overlay, confirmations=[no])
        overridden = refused.criterion(criterion_id)
        assert (overridden.state, overridden.computed_state, overridden.points) == (UNMET, MET, 0)
        assert overridden.judgement is False and overridden.gap is None
        assert overridden.observed == f"{item.observed}（按申报数据计算；评审人改判为“不符合”）"
        assert refused.score == computed.score - item.points
    half = {**changes, "lead_product_revenue_y1": revenue / 2}
    pending = run(rulebook_id, half, overlay=overlay).criterion(criterion_id)
    assert (pending.state, pending.judgement) == (MANUAL, True)
    no = Confirmation(criterion_id, UNMET, "张三", "主导产品与知识产权无关")
    judged = run(rulebook_id, half, overlay=overlay, confirmations=[no]).criterion(criterion_id)
    assert (judged.state, judged.computed_state, judged.judgement) == (UNMET, MANUAL, True)


def test_lead_product_item_no_case_can_score_says_no_judgement_awaits():
    """IN22-S1 at 40 % with no intellectual property at all: decided at 0 points, no judgement
    item, and its text does not say it awaits an evaluator."""
    values = base("innovative-sme-2022")
    none = {k: 0 for k in ("ip1_high_value", "ip1_self_developed", "ip1_total", "ip2_total")}
    item = run(
        "innovative-sme-2022",
        {**none, "lead_product_revenue_y1": values["revenue_y1"] * d("0.4")},
    ).criterion("IN22-S1")
    assert (item.state, item.points, item.judgement) == (UNMET, 0, False)
    assert "主导产品销售收入占营业收入比重 40%" in item.observed
    assert "评审人" not in item.observed and item.observed.endswith("→ 0 分")


@pytest.mark.parametrize(("rulebook_id", "overlay", "criterion_id", "changes"), LEAD_PRODUCT_SCORES)
def test_scored_item_on_a_lead_product_over_half_or_unstated_scores_as_before(
    rulebook_id, overlay, criterion_id, changes
):
    """criteria.md §15 主导产品: just over 50 %, or no figure: points, text and gap as computed;
    a case the applicant does not meet is no judgement even at 50 %."""
    revenue = base(rulebook_id)["revenue_y1"]
    unstated = run(rulebook_id, changes, overlay=overlay).criterion(criterion_id)
    over = {**changes, "lead_product_revenue_y1": revenue / 2 + d("0.01")}
    item = run(rulebook_id, over, overlay=overlay).criterion(criterion_id)
    assert (item.state, item.points, item.observed, item.gap) == (
        unstated.state,
        unstated.points,
        unstated.observed,
        unstated.gap,
    )
    assert "主导产品销售收入" not in item.observed
    nothing = {
        key: 0
        for key in (
            "ip1_high_value",
            "ip1_self_developed",
            "ip1_total",
            "ip2_total",
            "market_rank_domestic",
            "sd_market_rank_province",
        )
    }
    nothing.update({"market_share_domestic": d(1), "lead_product_revenue_y1": revenue / 2})
    none_met = run(rulebook_id, nothing, overlay=overlay).criterion(criterion_id)
    assert (none_met.state, none_met.points) == (UNMET, 0)


# -- §3 省部级 awards and institutes ----------------------------------------------------------------


WEAK_INNOVATIVE = {"rd_expense_y1": d(0), "ip1_self_developed": 0, "ip1_total": 0, "ip2_total": 0}


@pytest.mark.parametrize(
    ("ministerial", "criterion", "verdict"),
    [(True, MANUAL, Verdict.PENDING), (False, UNMET, Verdict.NOT_QUALIFIED)],
)
def test_in22_d3_ministerial_institute_goes_to_review(ministerial, criterion, verdict):
    """criteria.md IN22-D3: “拥有经认定的省部级以上研发机构” — 部级 has no level code."""
    changes = {**WEAK_INNOVATIVE, "ministerial_rd_institution": ministerial}
    ev = run("innovative-sme-2022", changes, confirmed=False)
    assert state(ev, "IN22-D3") == criterion
    assert ev.verdict == verdict


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sci_award_ministerial_rank": 3}, MANUAL),
        ({"sci_award_ministerial_rank": 4}, UNMET),
        ({"ministerial_rd_institution": True}, MANUAL),
        ({"ministerial_rd_institution": False}, UNMET),
        ({}, UNMET),
    ],
)
def test_sr26_4_ministerial_exemptions_go_to_review(changes, expected):
    """criteria.md SR26-4: 省部级以上科技奖励（排名前三）或省部级以上研发机构 waive the IP test."""
    weak = {"ip1_applied": 0, "rd_institution_level": "municipal", **changes}
    ev = run("srdi-sme-2026", weak, confirmed=False)
    assert state(ev, "SR26-4") == expected


# -- §3 renewal gates and revocation ---------------------------------------------------------------


RENEWAL_GATES = [
    ("innovative-sme-2022", "IN22-R"),
    ("srdi-sme-2022", "SR22-R"),
    ("little-giant-2022", "LG22-R"),
    ("srdi-sme-2026", "SR26-R"),
    ("little-giant-2026", "LG26-R"),
    ("single-champion-2023", "SC23-R"),
]


@pytest.mark.parametrize(("rulebook_id", "criterion_id"), RENEWAL_GATES)
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, MET),
        ({"annual_update_on_time": False}, UNMET),
        ({"major_change_report": "on_time"}, MET),
        ({"major_change_report": "late"}, UNMET),
        ({"annual_update_on_time": None}, UNKNOWN),
    ],
)
def test_renewal_gates(rulebook_id, criterion_id, changes, expected):
    """criteria.md §12 Validity and upkeep: 未及时更新…取消复核资格; 重大变化未在3个月内报告."""
    ev = run(rulebook_id, {"application_type": "renewal", **changes})
    assert state(ev, criterion_id) == expected
    assert state(run(rulebook_id, changes), criterion_id) == NA  # new applications


@pytest.mark.parametrize(
    ("rulebook_id", "criterion_id"),
    [
        ("single-champion-2023", "SC23-V"),
        ("srdi-sme-2026", "SR26-V"),
        ("little-giant-2026", "LG26-V"),
    ],
)
@pytest.mark.parametrize(("revoked", "expected"), [(True, UNMET), (False, MET), (None, UNKNOWN)])
def test_revocation_bars_new_applications_for_three_years(
    rulebook_id, criterion_id, revoked, expected
):
    """criteria.md §12 / 单项冠军 第十三条: 撤销 → no reapplication for three years."""
    ev = run(rulebook_id, {"revoked_3y": revoked})
    assert state(ev, criterion_id) == expected
    assert state(run(rulebook_id, {"application_type": "renewal"}), criterion_id) == NA
    if rulebook_id != "single-champion-2023":
        assert ev.criterion(criterion_id).unverified


def test_every_size_class_has_a_report_label():
    """criteria.md §13: the printed 评审意见表 names “not covered” in Chinese, never a code."""
    from zjtx.export.report_model import SIZE_LABELS as REPORT_LABELS
    from zjtx.scoring.size import SIZE_LABELS

    assert set(SIZE_LABELS) <= set(REPORT_LABELS)
    assert "划型" in REPORT_LABELS["not_covered"]
