"""Explanations kept by the values they read: shared only where everything they read is equal."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scoring.applicants import (
    CLEAN,
    ROUND_FOR,
    RULEBOOK_IDS,
    WORKED_EXAMPLE,
    base,
    varied_applicants,
)
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation, CriterionState
from zjtx.paths import resource_path
from zjtx.scoring import evaluate, load_rulebook
from zjtx.scoring.evaluator import TRIAL_LOOKUPS
from zjtx.scoring.loader import load_rulebook_file
from zjtx.scoring.parser import Parser

ROUND = date(2025, 7, 1)
BASE = {**CLEAN, **WORKED_EXAMPLE}


def _criterion(values, criterion_id, rulebook="srdi-sme-2022", **kwargs):
    book = load_rulebook(rulebook)
    result = evaluate(Applicant(values=dict(values)), book, round_date=ROUND, **kwargs)
    return next(c for c in result.criteria if c.id == criterion_id)


def test_applicants_with_the_same_repeating_values_share_one_explanation():
    """Two applicants whose digital level is the same share SR22-S5's explanation, whatever
    their amounts, and it is the one rendered afresh."""
    first = _criterion({**BASE, "digital_level": 2, "revenue_y1": Decimal("7740")}, "SR22-S5")
    second = _criterion({**BASE, "digital_level": 2, "revenue_y1": Decimal("9100")}, "SR22-S5")
    assert second is first
    load_rulebook("srdi-sme-2022").explanations.clear()
    fresh = _criterion({**BASE, "digital_level": 2, "revenue_y1": Decimal("9100")}, "SR22-S5")
    assert fresh == first and fresh is not first
    other = _criterion({**BASE, "digital_level": 4}, "SR22-S5")
    assert other.observed != first.observed


def test_an_explanation_is_not_shared_past_an_amount_it_reads():
    """SR22-S10 reads the lead product's share of revenue (its 主导产品 guard) beside the
    IP counts: equal counts with the share on either side of 50 % are explained apart."""
    counts = {"ip1_high_value": 1, "ip1_self_developed": 1, "ip1_total": 2, "ip2_total": 0}
    large = {**BASE, **counts, "lead_product_revenue_y1": Decimal("6000")}
    small = {**BASE, **counts, "lead_product_revenue_y1": Decimal("1000")}
    held = _criterion(large, "SR22-S10")
    guarded = _criterion(small, "SR22-S10")
    assert held.state == CriterionState.MET
    assert guarded.state == CriterionState.MANUAL
    assert guarded.observed != held.observed


def test_a_confirmation_shows_on_its_applicant_only():
    """An override of a kept criterion is explained for its applicant; the next applicant
    with the same values reads the data's account, not the evaluator's."""
    override = Confirmation(
        "SR22-S5", CriterionState.UNMET, "证明材料不足", "甲", datetime(2026, 1, 1), override=True
    )
    values = {**BASE, "digital_level": 3}
    before = _criterion(values, "SR22-S5")
    confirmed = _criterion(values, "SR22-S5", confirmations=[override])
    after = _criterion(values, "SR22-S5")
    assert "评审人改判为“不符合”" in confirmed.observed
    assert confirmed.confirmation == override
    assert after is before and "改判" not in after.observed


def test_application_type_and_settings_are_part_of_what_is_kept(tmp_path):
    """The same flags explain SR22-R as not applicable to a new application and as checked
    for a renewal; a kept criterion that a round setting turns on is explained per setting."""
    flags = {"annual_update_on_time": True, "major_change_report": "none"}
    new = _criterion({**BASE, **flags, "application_type": "new"}, "SR22-R")
    renewal = _criterion({**BASE, **flags, "application_type": "renewal"}, "SR22-R")
    assert new.state == CriterionState.NA and renewal.state == CriterionState.MET

    source = resource_path("rulebooks", "srdi-sme-2022.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    criterion = next(c for c in data["criteria"] if c["id"] == "SR22-S5")
    criterion["enabled_by_setting"] = "growth_compound"
    path = tmp_path / "srdi-sme-2022.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    book = load_rulebook_file(path)

    def s5(settings):
        result = evaluate(Applicant(values=dict(BASE)), book, round_date=ROUND, settings=settings)
        return next(c for c in result.criteria if c.id == "SR22-S5")

    off, on = s5({"growth_compound": False}), s5({"growth_compound": True})
    assert off.state == CriterionState.NA and "本批次未启用" in off.observed
    assert on.state != CriterionState.NA and on.observed.startswith("数字化水平")
    assert s5({"growth_compound": False}) is off


def test_a_count_inside_a_criterion_that_reads_amounts_is_explained_once_per_value():
    """SR22-S10 reads amounts (its guard), so it is rendered per applicant, but its IP-count
    parts are kept per count: equal counts read alike, other counts read their own."""
    counts = {"ip1_high_value": 0, "ip1_self_developed": 0, "ip2_total": 0}
    small = {**BASE, **counts, "lead_product_revenue_y1": Decimal("1000")}
    first = _criterion({**small, "ip1_total": 2, "revenue_y1": Decimal("7740")}, "SR22-S10")
    second = _criterion({**small, "ip1_total": 2, "revenue_y1": Decimal("8100")}, "SR22-S10")
    none = _criterion({**small, "ip1_total": 0, "revenue_y1": Decimal("8100")}, "SR22-S10")
    assert first is not second and first.observed != second.observed  # the share differs
    tail = "与主导产品相关的Ⅰ类知识产权 2 项；与主导产品相关的Ⅱ类知识产权 0 项 → 0–6 分（待评审人确认）"
    assert first.observed.endswith(tail) and second.observed.endswith(tail)
    assert none.observed.endswith(
        "与主导产品相关的Ⅰ类知识产权 0 项；与主导产品相关的Ⅱ类知识产权 0 项 → 0 分"
    )


@pytest.mark.parametrize("rulebook_id", RULEBOOK_IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_shared_explanation_is_the_one_rendered_afresh(rulebook_id, data):
    """Every criterion's explanation, kept from an earlier applicant or not, equals the one
    rendered with nothing kept: what a node says it reads (reads()) is all its text reads."""
    book = load_rulebook(rulebook_id)
    flags = {k: data.draw(st.booleans()) for k, v in base(rulebook_id).items() if v is True}
    values = {**data.draw(varied_applicants(rulebook_id)), **flags}
    kept = evaluate(Applicant(values=values), book, round_date=ROUND_FOR[rulebook_id])
    shown = kept.to_dict()
    book.explanations.clear()
    fresh = evaluate(Applicant(values=values), book, round_date=ROUND_FOR[rulebook_id])
    assert fresh.to_dict() == shown


def test_a_guard_that_fails_lets_an_explanation_be_kept_by_the_other_values():
    """SR22-S10's 主导产品 guard reads an amount, but where it fails (the lead product above
    50 % of revenue, or not stated) nothing of it is said: equal IP counts then share one
    explanation whatever the amounts, close to the 50 % edge too, and it is the one rendered
    afresh; where the guard holds the criterion is rendered for its applicant."""
    counts = {"ip1_high_value": 0, "ip1_self_developed": 1, "ip1_total": 2, "ip2_total": 1}
    shares = {
        "60%": {"revenue_y1": Decimal("8600"), "lead_product_revenue_y1": Decimal("5160")},
        "99%": {"revenue_y1": Decimal("9100"), "lead_product_revenue_y1": Decimal("9009")},
        "50.5%": {"revenue_y1": Decimal("10000"), "lead_product_revenue_y1": Decimal("5050")},
        "unstated": {"revenue_y1": Decimal("7740"), "lead_product_revenue_y1": None},
    }
    book = load_rulebook("srdi-sme-2022")
    book.explanations.clear()
    kept = {k: _criterion({**BASE, **counts, **v}, "SR22-S10") for k, v in shares.items()}
    first = kept["60%"]
    assert all(result is first for result in kept.values())
    assert first.state == CriterionState.MET and first.points == 8
    assert "主导产品" not in first.observed.replace("与主导产品相关的", "")
    for key, values in shares.items():
        book.explanations.clear()
        assert _criterion({**BASE, **counts, **values}, "SR22-S10") == kept[key], key
    held = {**BASE, **counts, "revenue_y1": Decimal("8600"), "lead_product_revenue_y1": 4300}
    guarded = _criterion(held, "SR22-S10")
    assert guarded is not first and guarded.state == CriterionState.MANUAL
    assert _criterion(held, "SR22-S10") is not guarded  # rendered for each such applicant


def test_only_a_case_that_cannot_hold_unjudged_makes_its_selector_a_guard():
    """A case waiting for an evaluator (all of: a judgement, a test) makes its selector a
    guard; a case that can hold on the data alone (any of: a judgement, a test) does not, so
    a criterion with it is not kept past the amount its selector reads."""
    book = load_rulebook("srdi-sme-2022")
    parser = Parser("t.yaml", book.quantities, {}, {})
    share = {"q": "lead_product_share", "le": 50}
    waits = parser.cond(
        {"cases": [{"when": share, "then": {"all": [{"manual": "核实"}, {"q": "ip1_total", "ge": 1}]}}],
         "otherwise": {"q": "ip1_total", "ge": 1}}
    )  # fmt: skip
    may_hold = parser.cond(
        {"cases": [{"when": share, "then": {"any": [{"manual": "核实"}, {"q": "ip1_total", "ge": 1}]}}],
         "otherwise": {"q": "ip1_total", "ge": 1}}
    )  # fmt: skip
    assert not parser.problems
    reads, guards = waits.kept_reads()
    assert reads == {"ip1_total"} and len(guards) == 1
    assert may_hold.kept_reads() == (frozenset({"lead_product_share", "ip1_total"}), ())


def test_an_amount_that_repeats_is_kept_and_one_that_does_not_stops_being_tried():
    """SR22-D3 reads only 股权融资, an amount most applicants give as 0: applicants with the
    same amount share its explanation. SR22-B2 reads amounts that differ for every applicant:
    after its trial of TRIAL_LOOKUPS lookups finding none kept, it is rendered each time,
    and every explanation is still the one rendered afresh."""
    book = load_rulebook("srdi-sme-2022")
    book.explanations.clear()
    none = {"equity_financing_2y": Decimal(0), "equity_financing_3y": Decimal(0)}
    first = _criterion({**BASE, **none, "revenue_y1": Decimal("7740")}, "SR22-D3")
    second = _criterion({**BASE, **none, "revenue_y1": Decimal("9100")}, "SR22-D3")
    assert second is first and first.state == CriterionState.UNMET
    raised = _criterion({**BASE, "equity_financing_2y": Decimal("6000")}, "SR22-D3")
    assert raised is not first and raised.observed != first.observed

    results = [
        _criterion({**BASE, "rd_expense_y1": Decimal(400) + i}, "SR22-B2")
        for i in range(TRIAL_LOOKUPS + 1)
    ]
    assert book.explanations["SR22-B2"] is False
    assert book.explanations["SR22-D3"] is not False
    assert len({r.observed for r in results}) == len(results)
    book.explanations.clear()
    assert _criterion({**BASE, "rd_expense_y1": Decimal(400)}, "SR22-B2") == results[0]
