"""Evaluator semantics: three-valued logic, score intervals, confirmations, explanations."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.applicants import CLEAN, WORKED_EXAMPLE
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation, CriterionState, Verdict
from zjtx.scoring import UnknownNameError, evaluate, load_catalogue, load_rulebook
from zjtx.scoring.context import combine_all, combine_any

S = CriterionState
ROUND = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("states", "all_of", "any_of"),
    [
        ([S.MET, S.MET], S.MET, S.MET),
        ([S.MET, S.UNMET], S.UNMET, S.MET),
        ([S.UNMET, S.UNKNOWN], S.UNMET, S.UNKNOWN),
        ([S.MET, S.UNKNOWN], S.UNKNOWN, S.MET),
        ([S.MET, S.MANUAL], S.MANUAL, S.MET),
        ([S.UNMET, S.MANUAL], S.UNMET, S.MANUAL),
        ([S.UNKNOWN, S.MANUAL], S.UNKNOWN, S.UNKNOWN),
        ([S.NA, S.MET], S.MET, S.MET),
        ([S.NA, S.UNMET], S.UNMET, S.UNMET),
        ([S.NA], S.NA, S.NA),
        ([S.UNMET, S.UNMET], S.UNMET, S.UNMET),
    ],
)
def test_three_valued_combination(states, all_of, any_of):
    """All-of fails on any failure; any-of passes on any pass; otherwise it stays open."""
    assert combine_all(states) == all_of
    assert combine_any(states) == any_of


# criteria.md §16's worked example, with no 申报类型 given (the evaluator takes it as new).
WORKED = {
    **{k: v for k, v in CLEAN.items() if k != "application_type"},
    "name": "示例精密机械有限公司",
    **WORKED_EXAMPLE,
}


def _eval(values, rulebook="srdi-sme-2022", overlay=None, **kwargs):
    book = load_rulebook(rulebook, overlay) if overlay else load_rulebook(rulebook)
    return evaluate(
        Applicant(values=dict(values)), book, round_date=kwargs.pop("round_date", ROUND), **kwargs
    )


def test_definite_failure_wins_over_unknowns():
    """A failed requirement makes the verdict not_qualified even with other items unknown."""
    values = {k: v for k, v in WORKED.items() if k not in ("net_profit_y1", "digital_level")}
    values["niche_years"] = Decimal("1.5")
    result = _eval(values)
    assert result.criterion("SR22-S7").state == S.UNKNOWN
    assert result.criterion("SR22-B1").state == S.UNMET
    assert result.verdict == Verdict.NOT_QUALIFIED
    assert any("SR22-B1" in reason for reason in result.verdict_reasons)


def test_pending_only_while_open_items_could_change_the_outcome():
    """Score 50 with 特色化 unknown (0–15) could reach 60: pending; at 40 it cannot: failed."""
    values = dict(WORKED, digital_level=1, own_brand=False, iso9001=False, net_profit_y1=Decimal(0))
    values.update(rd_staff_y1=0, rd_institution_level="none", ip1_self_developed=0, ip1_total=0)
    values.update(ip2_total=0, sci_award_provincial_rank=0, sci_award_national_rank=0)
    values.update(equity_financing_2y=Decimal(0), maker_china="none")
    result = _eval(values)
    assert (result.score, result.score_min, result.score_max) == (36, 36, 51)
    assert result.verdict == Verdict.NOT_QUALIFIED
    better = dict(values, rd_institution_level="national")
    result = _eval(better)
    assert (result.score, result.score_min, result.score_max) == (46, 46, 61)
    assert result.verdict == Verdict.PENDING
    assert result.criterion("SR22-B4").state == S.UNKNOWN
    result = _eval(dict(better, local_feature_score=Decimal(14)))
    assert result.score == 60
    assert result.verdict == Verdict.QUALIFIED
    result = _eval(dict(better, local_feature_score=Decimal("13.9")))
    assert result.verdict == Verdict.NOT_QUALIFIED


def test_declared_judgement_option_counts_in_score_and_max_only():
    """补短板 declared: 5 in score and score_max, 0 in score_min, state manual until confirmed."""
    values = dict(WORKED, lead_product_field="chain_key", local_feature_score=Decimal(10))
    result = _eval(values)
    item = result.criterion("SR22-S4")
    assert item.state == S.MANUAL
    assert (item.points, item.points_min, item.points_max) == (5, 0, 5)
    assert (result.score, result.score_min, result.score_max) == (83, 78, 83)
    confirmed = _eval(
        values, confirmations=[Confirmation("SR22-S4", S.MET, "取得补短板成效证明", "张三")]
    )
    item = confirmed.criterion("SR22-S4")
    assert item.state == S.MET and item.points_min == 5
    assert item.computed_state == S.MANUAL
    assert item.confirmation.evaluator == "张三"
    rejected = _eval(values, confirmations=[Confirmation("SR22-S4", S.UNMET, "证明不足", "李四")])
    assert rejected.criterion("SR22-S4").points == 0
    assert rejected.score == 78


def test_judgement_item_declared_no_is_unmet_and_yes_is_manual():
    """小巨人 产业链配套: declared no fails outright, declared yes waits for an evaluator."""
    values = dict(WORKED, holds_srdi=True, chain_key_role=False, key_field=True)
    result = _eval(values, "little-giant-2022")
    assert result.criterion("LG22-5").state == S.UNMET
    assert result.criterion("LG22-6").state == S.MANUAL
    assert result.verdict == Verdict.NOT_QUALIFIED


def test_confirmation_needs_a_reason_and_a_known_criterion():
    """A confirmation without a reason is refused; an unknown criterion id is named."""
    with pytest.raises(ValueError, match="理由"):
        Confirmation("SR22-S4", S.MET, "  ", "张三")
    with pytest.raises(UnknownNameError) as info:
        _eval(WORKED, confirmations=[Confirmation("SR22-S44", S.MET, "x", "张三")])
    assert info.value.suggestion == "SR22-S4"


def test_unknown_setting_is_refused_with_suggestion():
    """Round settings must be ones the rulebook knows."""
    with pytest.raises(UnknownNameError) as info:
        _eval(WORKED, "little-giant-2022", settings={"revenue_floor": True})
    assert info.value.suggestion == "revenue_floor_5000"


def test_gap_names_points_and_money():
    """研发费用占比 2.6% of 10400 万元: 差 0.4 个百分点，约 41.6 万元."""
    values = dict(WORKED, revenue_y1=Decimal(10400), rd_expense_y1=Decimal("270.4"))
    item = _eval(values).criterion("SR22-B2")
    assert item.state == S.UNMET
    assert "2.6%" in item.gap and "差 0.4 个百分点" in item.gap and "约 41.6 万元" in item.gap


def test_exact_three_percent_passes_without_float_error():
    """32.16 / 1072 is exactly 3 %: it meets "不低于 3%" (floats give 2.9999999999999996)."""
    assert 32.16 / 1072 * 100 < 3
    values = dict(WORKED, revenue_y1=Decimal("1072"), rd_expense_y1=Decimal("32.16"))
    item = _eval(values).criterion("SR22-B2")
    assert item.parts[1].state == S.MET
    assert item.state == S.UNMET  # 32.16 万元 < 100 万元
    values = dict(WORKED, revenue_y1=Decimal("10720"), rd_expense_y1=Decimal("321.6"))
    assert _eval(values).criterion("SR22-B2").state == S.MET
    values = dict(WORKED, revenue_y1=Decimal("10720"), rd_expense_y1=Decimal("321.5999"))
    assert _eval(values).criterion("SR22-B2").state == S.UNMET


def test_observed_values_show_the_numbers_used():
    """A ratio shows numerator, denominator and result."""
    item = _eval(WORKED).criterion("SR22-S1")
    assert (
        "93.02%" in item.observed and "8000 万元" in item.observed and "8600 万元" in item.observed
    )
    assert item.clause.startswith("上年度主营业务收入总额占营业收入总额比重")
    assert item.grade == "B"


def test_evaluation_json_has_the_contract_fields():
    """to_dict carries what `zjtx score --json` promises, with numbers as numbers."""
    data = _eval(WORKED).to_dict()
    for key in (
        "name",
        "uscc",
        "rulebook",
        "verdict",
        "score",
        "score_min",
        "score_max",
        "size_class",
    ):
        assert key in data
    assert data["score"] == 71 and data["size_class"] == "small"
    crit = data["criteria"][0]
    for key in (
        "id",
        "title",
        "group",
        "state",
        "points",
        "max_points",
        "observed",
        "requirement",
        "gap",
        "clause",
    ):
        assert key in crit


# --- property: score is the sum of criterion points and lies in [score_min, score_max] ---

CATALOGUE = load_catalogue()
MONEY = st.one_of(st.none(), st.decimals(min_value=-100, max_value=60000, places=2))
COUNT = st.one_of(st.none(), st.integers(min_value=0, max_value=30))
FLAG = st.one_of(st.none(), st.booleans())


def _enum(key):
    return st.one_of(st.none(), st.sampled_from([code for code, _ in CATALOGUE[key].options]))


APPLICANTS = st.fixed_dictionaries(
    {
        "size_sector": _enum("size_sector"),
        "employees_y1": COUNT,
        "rd_staff_y1": COUNT,
        "revenue_y1": MONEY,
        "revenue_y2": MONEY,
        "revenue_y3": MONEY,
        "main_revenue_y1": MONEY,
        "main_revenue_y2": MONEY,
        "main_revenue_y3": MONEY,
        "rd_expense_y1": MONEY,
        "rd_expense_y2": MONEY,
        "total_assets_y1": MONEY,
        "total_liabilities_y1": MONEY,
        "net_profit_y1": MONEY,
        "niche_years": st.one_of(st.none(), st.decimals(min_value=0, max_value=30, places=1)),
        "digital_level": st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
        "quality_award": FLAG,
        "iso9001": FLAG,
        "own_brand": FLAG,
        "standards_participation": FLAG,
        "strategic_emerging": FLAG,
        "high_tech_enterprise": FLAG,
        "ip1_high_value": COUNT,
        "ip1_self_developed": COUNT,
        "ip1_total": COUNT,
        "ip2_total": COUNT,
        "rd_institution_level": _enum("rd_institution_level"),
        "lead_product_field": _enum("lead_product_field"),
        "local_feature_score": st.one_of(
            st.none(), st.decimals(min_value=0, max_value=15, places=1)
        ),
        "sd_key_industry": st.one_of(st.none(), st.sampled_from(["A", "B", "C", "D", "none"])),
        "sd_innovation_items": st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
        "sd_listing_stage": st.one_of(st.none(), st.sampled_from(["listed", "regional", "none"])),
        "market_share_domestic": st.one_of(
            st.none(), st.decimals(min_value=0, max_value=100, places=2)
        ),
        "market_rank_domestic": COUNT,
        "sd_market_rank_province": COUNT,
    }
)

SCORED = [
    ("innovative-sme-2022", None),
    ("srdi-sme-2022", None),
    ("srdi-sme-2022", "shandong-2022"),
    ("srdi-sme-2022", "guangdong-2024"),
    ("tech-sme-2017", None),
]


@settings(max_examples=300, deadline=None)
@given(values=APPLICANTS, which=st.sampled_from(SCORED))
def test_score_is_sum_of_points_within_interval(values, which):
    """For any data, score = Σ criterion points and score_min ≤ score ≤ score_max."""
    rulebook, overlay = which
    if overlay != "shandong-2022":
        values = {k: v for k, v in values.items() if not k.startswith("sd_")}
    clean = {k: v for k, v in values.items() if v is not None}
    result = _eval(clean, rulebook, overlay, round_date=date(2025, 6, 1))
    points = [c.points for c in result.criteria if c.points is not None]
    assert result.score == sum(points)
    assert result.score_min <= result.score <= result.score_max
    assert result.score_min == sum(
        c.points_min for c in result.criteria if c.points_min is not None
    )
    assert result.score_max == sum(
        c.points_max for c in result.criteria if c.points_max is not None
    )
    for item in result.criteria:
        if item.max_points is not None:
            assert 0 <= item.points_min <= item.points <= item.points_max <= item.max_points
    if result.score_min >= 60 and result.verdict == Verdict.NOT_QUALIFIED:
        assert any(c.state == S.UNMET for c in result.criteria if c.kind == "requirement")


def test_growth_average_can_be_switched_to_compound_growth_per_round():
    """§16: the mean of the two rates is 11.83 %; the round setting switches to CAGR 11.80 %."""
    mean = _eval(WORKED).criterion("SR22-S2")
    assert "11.83%" in mean.observed
    compound = _eval(WORKED, settings={"growth_compound": True}).criterion("SR22-S2")
    assert "11.8%" in compound.observed and "复合" in compound.observed
    assert compound.points == 10


def test_confirmation_decides_judgement_parts_only():
    """Confirming LG22-3a's renown part keeps the 10 % share test; a computed item is overridden."""
    values = dict(WORKED, holds_srdi=True, market_share_domestic=Decimal("10"))
    ok = _eval(
        values,
        "little-giant-2022",
        confirmations=[Confirmation("LG22-3a", S.MET, "行业协会证明", "王五")],
    )
    assert ok.criterion("LG22-3a").state == S.MET
    low = dict(values, market_share_domestic=Decimal("9.99"))
    still = _eval(
        low,
        "little-giant-2022",
        confirmations=[Confirmation("LG22-3a", S.MET, "行业协会证明", "王五")],
    )
    assert still.criterion("LG22-3a").state == S.UNMET
    override = _eval(
        WORKED, confirmations=[Confirmation("SR22-B1", S.UNMET, "实际经营不足2年", "王五")]
    )
    item = override.criterion("SR22-B1")
    assert (item.state, item.computed_state) == (S.UNMET, S.MET)
    assert override.verdict == Verdict.NOT_QUALIFIED


def test_an_override_of_a_judgement_item_decides_it_outright():
    """改判 of LG22-3a, whose 9.99 % share the data failed, makes it 符合 whatever the facts,
    and its text says the evaluator decided otherwise; the same 符合 as a confirmation of its
    renown part leaves it 不符合."""
    low = dict(WORKED, holds_srdi=True, market_share_domestic=Decimal("9.99"))
    said = Confirmation("LG22-3a", S.MET, "市场占有率数据有误，以行业协会证明为准", "王五")
    confirmed = _eval(low, "little-giant-2022", confirmations=[said])
    assert confirmed.criterion("LG22-3a").state == S.UNMET
    overridden = _eval(
        low, "little-giant-2022", confirmations=[replace(said, override=True)]
    ).criterion("LG22-3a")
    assert (overridden.state, overridden.computed_state) == (S.MET, S.UNMET)
    assert overridden.observed.endswith("（按申报数据计算；评审人改判为“符合”）")
    assert overridden.gap is None
    assert overridden.confirmation is not None and overridden.confirmation.override


def test_overriding_a_scored_item_to_unmet_takes_its_points():
    """改判 of a computed scored item to 不符合 earns nothing (its points leave the total);
    改判 to 符合 of an item that earned points keeps them."""
    computed = _eval(WORKED)
    item = computed.criterion("SR22-S2")
    assert item.state == S.MET and item.points > 0
    refused = _eval(
        WORKED, confirmations=[Confirmation("SR22-S2", S.UNMET, "研发费用不实", "王五")]
    )
    assert (refused.criterion("SR22-S2").state, refused.criterion("SR22-S2").points) == (S.UNMET, 0)
    assert refused.score == computed.score - item.points
    # The text is the data's account of its points: it says the evaluator decided otherwise,
    # and no gap offers the points the evaluator refused.
    assert refused.criterion("SR22-S2").observed.endswith(
        "（按申报数据计算；评审人改判为“不符合”）"
    )
    assert refused.criterion("SR22-S2").gap is None
    kept = _eval(WORKED, confirmations=[Confirmation("SR22-S2", S.MET, "已核实", "王五")])
    assert kept.criterion("SR22-S2").points == item.points and kept.score == computed.score


@pytest.mark.parametrize(
    ("rulebook_id", "overlay"),
    [
        ("innovative-sme-2022", None),
        ("srdi-sme-2022", "shandong-2022"),
        ("little-giant-2026", None),
        ("single-champion-2023", None),
    ],
)
def test_an_evaluation_leaves_no_reference_cycles(rulebook_id, overlay):
    """An evaluation, decided, explained and confirmed, is freed by reference counting when
    dropped: nothing waits for the cyclic collector (which an import of thousands pays)."""
    import gc

    from zjtx.intake.json_input import read_json_applicants
    from zjtx.paths import resource_path

    catalogue = load_catalogue()
    applicants = read_json_applicants(resource_path("samples", "applicants.json"), catalogue)
    book = load_rulebook(rulebook_id, overlay) if overlay else load_rulebook(rulebook_id)
    judged = next(c.id for c in book.criteria if c.judgement)
    confirmation = Confirmation(judged, S.MET, "已核对", "张三", None)
    gc.collect()
    gc.disable()
    try:
        for applicant in applicants:
            for confirmations in ((), (confirmation,)):
                result = evaluate(applicant, book, round_date=ROUND, confirmations=confirmations)
                assert result.to_dict()["criteria"]  # every explanation rendered
                del result
        assert gc.collect() == 0
    finally:
        gc.enable()
