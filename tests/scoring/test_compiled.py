"""The compiled deciders agree with the rule objects on every criterion of every rulebook."""

from __future__ import annotations

import pickle
import random
from datetime import date
from decimal import Decimal, localcontext

import pytest

from zjtx.domain.applicant import Applicant
from zjtx.intake.json_input import read_json_applicants
from zjtx.paths import resource_path
from zjtx.scoring import evaluate, load_all_rulebooks, load_catalogue, load_rulebook
from zjtx.scoring.evaluator import _Run
from zjtx.scoring.quantities import EXACT
from zjtx.scoring.rules import Context
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


@pytest.mark.parametrize("book", BOOKS, ids=[b.display_id for b in BOOKS])
def test_compiled_deciders_match_the_rule_objects(book):
    """Each compiled criterion, and the verdict, gives what its rule objects decide."""
    settings_choices = [{}] + [{name: True} for name in book.settings]
    compared = 0
    with localcontext(EXACT):
        for index, applicant in enumerate(VARIANTS):
            settings = settings_choices[index % len(settings_choices)]
            # Reference: the rule objects alone (the run is told there is nothing compiled).
            ref_ctx, ref_run = _context(book, applicant, settings)
            ref_run.compiled = {}
            expected = {c.id: ref_run.decide(c.id) for c in book.criteria}
            ctx, run = _context(book, applicant, settings)
            for c in book.criteria:
                run.decide(c.id)
            for cid, (scored, decide) in book.deciders.items():
                want = expected[cid]
                got = decide(ctx)
                if scored:
                    assert got == (want.state, want.points, want.low, want.high), (cid, index)
                else:
                    assert got == want.state, (cid, index)
                assert run.decisions[cid].state == want.state, (cid, index)
                compared += 1
            assert book.verdict_decider(ctx) == book.verdict.decide(ref_ctx), index
    assert compared >= len(VARIANTS) * len(book.deciders) > 0


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
