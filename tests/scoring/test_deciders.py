"""Each node's decider agrees with a hand-written three-valued reading of the rule, and its
explanation renders the decided state, on every criterion of every rulebook."""

from __future__ import annotations

import pickle
import random
from datetime import date
from decimal import Decimal, localcontext

import pytest

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import CriterionState
from zjtx.intake.json_input import read_json_applicants
from zjtx.paths import resource_path
from zjtx.scoring import evaluate, load_all_rulebooks, load_catalogue, load_rulebook
from zjtx.scoring.cases import Cases
from zjtx.scoring.conditions import (
    AllOf,
    AnyOf,
    Between,
    Compare,
    CriterionRef,
    Is,
    Manual,
)
from zjtx.scoring.conditions_extra import Known
from zjtx.scoring.context import MANUAL, MET, NA, UNKNOWN, UNMET, Context
from zjtx.scoring.evaluator import _Run
from zjtx.scoring.points import Bands, BestOf, Count, FirstMatch, Options
from zjtx.scoring.quantities import EXACT
from zjtx.scoring.score_conditions import GroupAtLeast, ScoreAtLeast
from zjtx.scoring.size import classify_size

BOOKS = load_all_rulebooks()


def _variants() -> list[Applicant]:
    """The samples, and each sample with values dropped, scaled, zeroed and made negative."""
    samples = read_json_applicants(resource_path("samples", "applicants.json"), load_catalogue())
    rng = random.Random(20261127)
    variants = list(samples)
    for sample in samples:
        for _ in range(12):
            values = dict(sample.values)
            for key in list(values):
                value = values[key]
                roll = rng.random()
                if roll < 0.08:
                    values[key] = None
                elif isinstance(value, Decimal) and roll < 0.5:
                    factor = Decimal(rng.choice(["0", "-1", "0.5", "0.97", "1.03", "2", "10"]))
                    values[key] = value * factor
                elif isinstance(value, bool) and roll < 0.3:
                    values[key] = not value
            values["application_type"] = rng.choice(["new", "renewal", None])
            variants.append(Applicant(values))
    return variants


VARIANTS = _variants()


def _context(book, applicant: Applicant, settings: dict[str, bool]) -> tuple[Context, _Run]:
    values = applicant.values
    application_type = values.get("application_type") or "new"
    ctx = Context(
        values, book.quantities, classify_size(values), application_type, settings, book.pass_line
    )
    return ctx, _Run(book, ctx, {}, settings)


_WORST = [UNMET, UNKNOWN, MANUAL, MET, NA]  # all-of keeps the first of these that occurs
_BEST = [MET, UNKNOWN, MANUAL, UNMET, NA]  # any-of likewise


def _expected_state(cond, ctx: Context) -> CriterionState:
    """The state of a condition read by hand from its definition (no decider involved)."""
    if isinstance(cond, AllOf | AnyOf):
        states = {_expected_state(item, ctx) for item in cond.items}
        order = _WORST if isinstance(cond, AllOf) else _BEST
        return next((s for s in order if s in states), NA)
    if isinstance(cond, Cases):
        possible, open_selector = [], False
        for when, then in cond.cases:
            selector = _expected_state(when, ctx)
            if selector == UNMET:
                continue
            possible.append(_expected_state(then, ctx))
            if selector == MET:
                break
            open_selector = True
        else:
            possible.append(_expected_state(cond.otherwise, ctx) if cond.otherwise else UNMET)
        if len(set(possible)) == 1 and (not open_selector or possible[0] in (MET, UNMET)):
            return possible[0]
        return UNKNOWN
    if isinstance(cond, Manual):
        return MANUAL
    if isinstance(cond, Known):
        inner = _expected_state(cond.inner, ctx)
        return cond.unknown_means if inner == UNKNOWN else inner
    if isinstance(cond, CriterionRef):
        return ctx.decided[cond.criterion_id].state
    if isinstance(cond, ScoreAtLeast | GroupAtLeast):
        if isinstance(cond, ScoreAtLeast):
            line = cond.threshold if cond.threshold is not None else ctx.pass_line
            low, high = ctx.score_interval()
        else:
            line = cond.threshold
            low, high = ctx.group_interval(cond.group)
        return MET if low >= line else UNMET if high < line else UNKNOWN
    value = ctx.q(cond.name).value
    if value is None:
        if cond.name == "size_class" and ctx.size.possible:
            if ctx.size.possible <= set(cond.codes):
                return MET
            if ctx.size.possible.isdisjoint(cond.codes):
                return UNMET
        # A count of part of another (Ⅰ类高价值 of Ⅰ类) lies between 0 and it: decided when the
        # test gives the same for every count in that range.
        bound = ctx.values.get(cond.whole) if getattr(cond, "whole", None) else None
        if isinstance(cond, Compare) and bound is not None:
            held = {
                cond.op.holds((n > cond.threshold) - (n < cond.threshold)) for n in range(bound + 1)
            }
            if len(held) == 1:
                return (MANUAL if cond.judgement else MET) if held.pop() else UNMET
        return UNKNOWN
    if isinstance(cond, Compare):
        held = cond.op.holds(value.compare(cond.threshold))
    elif isinstance(cond, Between):
        held = value.compare(cond.lo) >= 0 and value.compare(cond.hi) <= 0
    elif isinstance(cond, Is):
        held = bool(value) is cond.expected
    else:
        held = value in cond.codes
    if not held:
        return UNMET
    return MANUAL if cond.judgement else MET


def _expected_points(score, ctx: Context) -> tuple:
    """(state, points, low, high) of a point rule read by hand from its definition."""
    lowest, highest = score.bounds()
    if isinstance(score, BestOf):
        results = [_expected_points(item, ctx) for item in score.items]
        low, high = max(r[2] for r in results), max(r[3] for r in results)
        declared = max(r[1] for r in results)
        pending = low != high and any(r[0] == MANUAL for r in results)
        return _state(low, high, declared, pending), declared, low, high
    if isinstance(score, Count):
        values = [ctx.q(q.name).value for q in score.qdefs]
        yes = sum(1 for v in values if v)
        low = min(score.cap, score.each * yes)
        high = min(score.cap, score.each * (yes + values.count(None)))
        return _state(low, high, low, False), low, low, high
    if isinstance(score, FirstMatch):
        possible, pending, decided = [], False, None
        for cond, pts in score.cases:
            state = _expected_state(cond, ctx)
            if state == MET:
                possible.append(pts)
                decided = pts
                break
            if state in (UNKNOWN, MANUAL):
                possible.append(pts)
                pending = pending or state == MANUAL
        else:
            possible.append(score.otherwise)
        low, high = min(possible), max(possible)
        declared = decided if decided is not None and low == high else low
        return _state(low, high, declared, pending and low != high), declared, low, high
    value = ctx.q(score.qdef.name).value
    if value is None:
        return UNKNOWN, lowest, lowest, highest
    if isinstance(score, Bands):
        pts = next(
            (
                p
                for edge, p in score.bands
                if (value.compare(edge) >= 0 if score.up else value.compare(edge) <= 0)
            ),
            score.otherwise,
        )
    elif isinstance(score, Options):
        pts = score.points[value]
        if value in score.judgement:
            return MANUAL, pts, lowest, pts
    else:
        pts = min(max(value.value, score.low), score.high)
    return (MET if pts > 0 else UNMET), pts, pts, pts


def _state(low, high, points, pending) -> CriterionState:
    if pending:
        return MANUAL
    if low != high:
        return UNKNOWN
    return MET if points > 0 else UNMET


@pytest.mark.parametrize("book", BOOKS, ids=[b.display_id for b in BOOKS])
def test_deciders_match_the_rules_read_by_hand(book):
    """Each criterion's decider, and the verdict's, gives what the rule's definition says;
    its explanation renders that same state and points."""
    settings_choices = [{}] + [{name: True} for name in book.settings]
    compared = 0
    with localcontext(EXACT):
        for index, applicant in enumerate(VARIANTS):
            settings = settings_choices[index % len(settings_choices)]
            ctx, run = _context(book, applicant, settings)
            for c in book.criteria:
                run.decide(c.id)
            for c in book.criteria:
                decision = run.decisions[c.id]
                if decision.state == NA:
                    continue
                scored, decide = book.deciders[c.id]
                if scored:
                    want = _expected_points(c.score, ctx)
                    assert decide(ctx) == want, (c.id, index)
                    shown = c.score.explain(ctx)
                    assert (shown.state, shown.points, shown.low, shown.high) == want
                else:
                    want = _expected_state(c.cond, ctx)
                    assert decide(ctx) == want, (c.id, index)
                    assert c.cond.explain(ctx).state == want, (c.id, index)
                assert decision.state == want[0] if scored else decision.state == want
                result = run.explain(c.id)
                assert result.state == decision.state and result.points == decision.points
                compared += 1
            assert book.verdict_decider(ctx) == _expected_state(book.verdict, ctx), index
    assert compared >= len(VARIANTS) * len(book.criteria) // 2 > 0


def test_variants_reach_every_state():
    """The variants drive criteria into met, unmet, unknown and manual alike."""
    seen = set()
    with localcontext(EXACT):
        for book in BOOKS:
            for applicant in VARIANTS[:120]:
                _ctx, run = _context(book, applicant, {})
                seen.update(run.decide(c.id).state for c in book.criteria)
    assert {"met", "unmet", "unknown", "manual", "na"} <= {str(s) for s in seen}


def test_evaluation_pickles_as_plain_values():
    """An evaluation sent to a report worker arrives with its criteria, groups and reasons
    rendered, equal to the original and with the same input hash."""
    book = load_rulebook("srdi-sme-2022")
    for applicant in VARIANTS[:40]:
        original = evaluate(applicant, book, round_date=date(2025, 6, 1))
        copy = pickle.loads(pickle.dumps(original))
        assert copy == original
        assert isinstance(copy.criteria, tuple) and isinstance(copy.verdict_reasons, tuple)
        assert copy.groups == original.groups and copy.input_hash == original.input_hash
        assert [(c.id, c.observed, c.gap) for c in copy.criteria] == [
            (c.id, c.observed, c.gap) for c in original.criteria
        ]


def test_changing_the_applicant_after_evaluating_changes_nothing_evaluated():
    """The evaluation keeps its own copy of the values: its hash and explanations stay."""
    book = load_rulebook("innovative-sme-2022")
    applicant = Applicant(dict(VARIANTS[0].values))
    result = evaluate(applicant, book, round_date=date(2025, 6, 1))
    digest = result.input_hash
    applicant.values["rd_expense_y1"] = Decimal(1)
    applicant.values["revenue_y1"] = None
    assert result.input_hash == digest
    assert [c.state for c in result.criteria] == list(result.criterion_states.values())


def test_evaluations_of_different_values_are_not_equal():
    """Two evaluations alike in every result but evaluated from different values differ."""
    book = load_rulebook("srdi-sme-2022")
    values = dict(VARIANTS[0].values)
    first = evaluate(Applicant(values), book, round_date=date(2025, 6, 1))
    other = {**values, "county": f"{values.get('county') or ''}新区"}
    second = evaluate(Applicant(other), book, round_date=date(2025, 6, 1))
    assert first.verdict == second.verdict and first.score == second.score
    assert first != second and first.input_hash != second.input_hash
    assert first == evaluate(Applicant(dict(values)), book, round_date=date(2025, 6, 1))


def test_exact_comparison_holds_beyond_one_hundred_digits():
    """A fraction whose cross-product needs more than 100 digits is still compared exactly."""
    from decimal import Context

    from zjtx.scoring.quantities import Exact

    wide = Context(prec=300)
    den = Decimal("9" * 100)
    product = wide.multiply(Decimal("3.7"), den)  # 102 digits: rounding it would lose the sign
    assert Exact(wide.add(product, 1), den).compare(Decimal("3.7")) == 1
    assert Exact(wide.subtract(product, 1), den).compare(Decimal("3.7")) == -1
    assert Exact(product, den).compare(Decimal("3.7")) == 0
