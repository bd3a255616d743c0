"""A quantity's text rendered straight from the values equals what its QValue explains."""

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.scoring.applicants import base
from zjtx.domain.applicant import Applicant
from zjtx.intake.json_input import read_json_applicants
from zjtx.paths import resource_path
from zjtx.scoring import evaluate, list_rulebook_ids, load_catalogue, load_rulebook
from zjtx.scoring.selection import effective_rulebook


def _sample_runs(rulebook, tmp_path):
    rows = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))
    # The samples, and each with every other value left out: known and unknown inputs both.
    sparse = [
        {k: v for i, (k, v) in enumerate(row.items()) if i % 2 == 0 or k == "name"} for row in rows
    ]
    path = tmp_path / "applicants.json"
    path.write_text(json.dumps(rows + sparse, ensure_ascii=False), encoding="utf-8")
    for applicant in read_json_applicants(path, load_catalogue()):
        yield evaluate(applicant, rulebook, round_date=date(2026, 7, 1)).criteria._run


@pytest.mark.parametrize("rulebook_id", list_rulebook_ids())
def test_text_equals_quantity_explanation(rulebook_id, tmp_path):
    """ctx.text(name) says exactly what ctx.q(name).explain says, for every quantity."""
    rulebook = load_rulebook(rulebook_id)
    for run in _sample_runs(rulebook, tmp_path):
        ctx = run.ctx
        for name in rulebook.quantities.names():
            assert ctx.text(name) == ctx.q(name).explain, name


def test_text_uses_labels_a_notice_gives(tmp_path):
    """A notice that relabels a field (innovative-sme-2022 in 2026) is what the text shows."""
    rulebook = effective_rulebook("innovative-sme-2022", date(2026, 7, 1))
    relabelled = rulebook.quantities.defs["major_incident_3y"].label
    assert (
        relabelled
        != load_rulebook("innovative-sme-2022").quantities.defs["major_incident_3y"].label
    )
    for run in _sample_runs(rulebook, tmp_path):
        ctx = run.ctx
        for name in rulebook.quantities.names():
            assert ctx.text(name) == ctx.q(name).explain, name
        assert ctx.text("major_incident_3y").startswith(relabelled)


def test_a_rank_of_zero_reads_as_no_award_in_the_explanation(tmp_path):
    """A criterion on an award rank says 未获奖 for a rank entered as 0, in either render."""
    path = tmp_path / "applicants.json"
    row = {"name": "甲公司", "sci_award_national_rank": 0, "sci_award_provincial_rank": 0}
    other = dict(row, name="乙公司", sci_award_provincial_rank=2)
    path.write_text(json.dumps([row, other], ensure_ascii=False), encoding="utf-8")
    applicant, ranked = read_json_applicants(path, load_catalogue())
    rulebook = load_rulebook("srdi-sme-2022")
    result = evaluate(applicant, rulebook, round_date=date(2025, 7, 1))
    ctx = result.criteria._run.ctx
    assert ctx.text("sci_award_national_rank") == "近三年国家级科技奖励获奖单位最好排名：未获奖"
    assert ctx.q("sci_award_national_rank").explain == ctx.text("sci_award_national_rank")
    ranked_ctx = evaluate(ranked, rulebook, round_date=date(2025, 7, 1)).criteria._run.ctx
    assert ranked_ctx.text("sci_award_provincial_rank") == "近三年省级科技奖励获奖单位最好排名 2 名"
    observed = " ".join(item.observed for item in result.criteria)
    assert "最好排名：未获奖" in observed and "0 名" not in observed


def test_no_award_is_the_gap_of_an_award_route_without_a_distance(tmp_path):
    """IN22-D1 (an award, rank >= 1) unmet at rank 0 names 未获奖, not "差 1 名"."""
    path = tmp_path / "applicants.json"
    row = {"name": "甲公司", "sci_award_national_rank": 0, "sci_award_provincial_rank": 0}
    path.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    (applicant,) = read_json_applicants(path, load_catalogue())
    result = evaluate(applicant, load_rulebook("innovative-sme-2022"), round_date=date(2025, 7, 1))
    (route,) = [item for item in result.criteria if item.id == "IN22-D1"]
    assert route.gap == (
        "近三年国家级科技奖励获奖单位最好排名：未获奖；近三年省级科技奖励获奖单位最好排名：未获奖"
    )


@pytest.mark.parametrize("rulebook_id", list_rulebook_ids())
def test_a_case_does_not_restate_its_condition(rulebook_id):
    """A case's requirement reads “condition的，what then” once: a branch whose text restates
    its condition (申报的主导产品收入未超过营业收入的50%的，申报的主导产品收入…) drops it."""
    import re

    book = load_rulebook(rulebook_id)
    for criterion in book.criteria:
        text = criterion.requirement
        for when, then in re.findall(r"(?:^|[；，])([^；，]{4,})的，([^；]+)", text):
            assert not then.startswith(when), (criterion.id, text[:120])


NEAR_EDGES = {
    "rd_expense_y1": Decimal("224.9"),  # 4.998 % of 4500: short of the ≥5 % band
    "revenue_y1": Decimal("4500"),
    "main_revenue_y1": Decimal("3149.9"),  # 69.998 % of revenue: short of ≥70 %
    "main_revenue_y2": Decimal("3000"),  # growth 4.997 %: short of ≥5 %
    "total_liabilities_y1": Decimal("5500.1"),  # 55.001 %: just over ≤55 %
    "total_assets_y1": Decimal("10000"),
}


def _criteria(values, rulebook_id="innovative-sme-2022"):
    book = load_rulebook(rulebook_id)
    result = evaluate(Applicant(values=values), book, round_date=date(2025, 7, 1))
    return {c.id: c for c in result.criteria}, result


def test_a_value_just_short_of_a_threshold_is_not_shown_as_reaching_it():
    """A ratio that rounds onto a band's edge it does not reach shows the digits that tell
    (4.998 % beside ≥5 %, 55.001 % beside ≤55 %); one exactly on the edge shows as it is."""
    criteria, _ = _criteria({**base("innovative-sme-2022"), **NEAR_EDGES})
    assert criteria["IN22-S2"].observed.startswith("上年度研发费用占营业收入比重 4.998%（")
    assert criteria["IN22-S2"].observed.endswith("→ 15 分")
    assert criteria["IN22-S3"].observed.startswith("上年度主营业务收入增长率 4.997%（")
    assert criteria["IN22-S4"].observed.startswith("上年末资产负债率 55.001%（")
    assert criteria["IN22-S6"].observed.startswith("主营业务收入占营业收入比重 69.998%（")
    # The gap names the same figure.
    assert criteria["IN22-S2"].gap.startswith("上年度研发费用占营业收入比重 4.998%，要求不低于 5%")
    exact = {**NEAR_EDGES, "rd_expense_y1": Decimal("225"), "total_liabilities_y1": Decimal("5500")}
    criteria, _ = _criteria({**base("innovative-sme-2022"), **exact})
    assert criteria["IN22-S2"].observed.startswith("上年度研发费用占营业收入比重 5%（")
    assert criteria["IN22-S4"].observed.startswith("上年末资产负债率 55%（")


def test_a_value_far_from_every_threshold_keeps_two_places():
    """Only a value rounding onto a threshold gains digits: 4.9876 % reads 4.99 %."""
    near = {**NEAR_EDGES, "rd_expense_y1": Decimal("224.442")}
    criteria, _ = _criteria({**base("innovative-sme-2022"), **near})
    assert criteria["IN22-S2"].observed.startswith("上年度研发费用占营业收入比重 4.99%（")


@pytest.mark.parametrize(
    ("rulebook_id", "near"), [("innovative-sme-2022", "4.998%"), ("little-giant-2022", "69.998%")]
)
def test_text_near_thresholds_equals_quantity_explanation(rulebook_id, near):
    """Near thresholds too, ctx.text(name) says what ctx.q(name).explain says; a rulebook
    with no 5 % threshold on a ratio shows it at two places."""
    _, result = _criteria({**base(rulebook_id), **NEAR_EDGES}, rulebook_id)
    ctx = result.criteria._run.ctx
    book = load_rulebook(rulebook_id)
    shown = [ctx.text(name) for name in book.quantities.names()]
    assert any(near in text for text in shown)
    if rulebook_id == "little-giant-2022":  # no 5 % threshold on R&D intensity there
        assert "上年度研发费用占营业收入比重 5%（" in ctx.text("rd_ratio_y1")
    for name, text in zip(book.quantities.names(), shown, strict=True):
        assert text == ctx.q(name).explain, name


def test_a_hair_short_of_a_threshold_still_reads_short_and_its_gap_is_not_zero():
    """研发费用 1499.9999 of 营业收入 30000 万元 is 4.99999967 %: shown to seven places beside
    ≥5 %, and its gap names a difference and an amount, never 差 0."""
    values = {**base("innovative-sme-2022"), **NEAR_EDGES}
    values.update(rd_expense_y1=Decimal("1499.9999"), revenue_y1=Decimal("30000"))
    criteria, _ = _criteria(values)
    assert criteria["IN22-S2"].observed.startswith("上年度研发费用占营业收入比重 4.9999997%（")
    assert criteria["IN22-S2"].gap.startswith(
        "上年度研发费用占营业收入比重 4.9999997%，要求不低于 5%，差 0.0000003 个百分点，"
        "约 0.0001 万元"
    )


def test_a_ratio_shown_near_a_threshold_shows_its_inputs_as_entered():
    """225 万元 ÷ 4500 万元 is 5 % exactly: a ratio of 224.9999 万元 shown as 4.999998 % beside
    ≥5 % names 224.9999 万元, not 225; away from every threshold the inputs keep two places."""
    values = {**base("innovative-sme-2022"), **NEAR_EDGES}
    values.update(rd_expense_y1=Decimal("224.9999"), revenue_y1=Decimal("4500"))
    criteria, result = _criteria(values)
    assert criteria["IN22-S2"].observed.startswith(
        "上年度研发费用占营业收入比重 4.999998%（上年度研发费用 224.9999 万元 ÷ 上年度营业收入 4500 万元）"
    )
    ctx = result.criteria._run.ctx
    assert ctx.text("rd_ratio_y1") == ctx.q("rd_ratio_y1").explain
    values.update(rd_expense_y1=Decimal("300.0049"))
    criteria, _ = _criteria(values)
    assert "（上年度研发费用 300 万元 ÷ 上年度营业收入 4500 万元）" in criteria["IN22-S2"].observed


def test_an_average_shown_near_a_threshold_shows_its_parts_as_closely():
    """(9.999 % + 10 %) ÷ 2 is 9.9995 %, shown so beside ≥10 %: its parts are not rounded to
    10 % each (which would make the average 10 %), and its gap reads 0.0005, not 0.001."""
    values = {**base("srdi-sme-2022")}
    values.update(
        main_revenue_y3=Decimal("10000"),
        main_revenue_y2=Decimal("11000"),
        main_revenue_y1=Decimal("12099.89"),
    )
    criteria, result = _criteria(values, "srdi-sme-2022")
    assert criteria["SR22-S2"].observed.startswith(
        "近2年主营业务收入平均增长率 9.9995%（(9.999% + 10%) ÷ 2）"
    )
    assert criteria["SR22-S2"].gap.startswith(
        "近2年主营业务收入平均增长率 9.9995%，要求不低于 10%，差 0.0005 个百分点"
    )
    ctx = result.criteria._run.ctx
    assert ctx.text("main_growth_avg2") == ctx.q("main_growth_avg2").explain


def test_a_gap_shows_as_many_places_as_the_value_it_starts_from():
    """3.002 % against ≥5 % is 差 1.998 个百分点: the difference keeps the places the value
    shows, so the two read as one sum (差 2 beside 3.002 % would not)."""
    values = {**base("innovative-sme-2022"), **NEAR_EDGES}
    values.update(rd_expense_y1=Decimal("135.09"), revenue_y1=Decimal("4500"))
    criteria, _ = _criteria(values)
    assert criteria["IN22-S2"].gap.startswith(
        "上年度研发费用占营业收入比重 3.002%，要求不低于 5%，差 1.998 个百分点"
    )
