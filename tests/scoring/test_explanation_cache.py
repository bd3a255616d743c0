"""Explanations kept per value: the texts rendered afresh, nothing of another applicant."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from zjtx.domain.applicant import Applicant
from zjtx.intake.json_input import read_json_applicants
from zjtx.paths import resource_path
from zjtx.scoring import (
    conditions,
    evaluate,
    evaluator,
    load_all_rulebooks,
    load_catalogue,
    load_rulebook,
)

BOOKS = load_all_rulebooks()
ROUND = date(2025, 6, 1)


def _applicants() -> list[Applicant]:
    """The samples, each also with values scaled, zeroed, negated, made -0 or dropped."""
    samples = read_json_applicants(resource_path("samples", "applicants.json"), load_catalogue())
    rng = random.Random(20261203)
    result = list(samples)
    for sample in samples:
        for _ in range(8):
            values = dict(sample.values)
            for key, value in list(values.items()):
                roll = rng.random()
                if roll < 0.1:
                    values[key] = None
                elif isinstance(value, Decimal) and roll < 0.6:
                    values[key] = value * Decimal(rng.choice(["0", "-0.0", "-1", "0.5", "1.00"]))
                elif isinstance(value, bool) and roll < 0.4:
                    values[key] = not value
            result.append(Applicant(values))
    return result


APPLICANTS = _applicants()


def _explained(book, applicants: list[Applicant]) -> list[dict]:
    return [evaluate(a, book, round_date=ROUND).to_dict() for a in applicants]


def _leaves(cond):
    if isinstance(cond, conditions.Leaf):
        yield cond
    for child in cond.children():
        yield from _leaves(child)


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.display_id)
def test_kept_explanations_equal_fresh_ones(book, monkeypatch):
    """Every applicant's explanations, read with the kept texts of all applicants before it
    (twice over, in two orders), are the bytes rendered afresh for that applicant alone."""
    with monkeypatch.context() as patch:
        # Nothing is kept: every explanation rendered afresh.
        patch.setattr(conditions, "_KEYABLE", frozenset())
        patch.setattr(evaluator, "KEYABLE", frozenset())
        fresh = _explained(book, APPLICANTS)
    assert _explained(book, APPLICANTS) == fresh
    assert _explained(book, APPLICANTS[::-1]) == fresh[::-1]


def test_kept_explanations_are_bounded(monkeypatch):
    """A leaf keeps at most the limit of explanations however many values it sees."""
    monkeypatch.setattr(conditions, "_EXPLAINED_LIMIT", 5)
    book = load_rulebook("srdi-sme-2022")
    base = dict(APPLICANTS[0].values)
    many = [Applicant({**base, "rd_expense_y1": Decimal(n)}) for n in range(40)]
    leaves = [leaf for c in book.criteria if c.cond is not None for leaf in _leaves(c.cond)]
    for leaf in leaves:
        monkeypatch.setattr(leaf, "_explained", None)  # what earlier tests kept
    _explained(book, many)
    kept = [len(leaf._explained) for leaf in leaves if leaf._explained is not None]
    assert kept and max(kept) <= 5


def test_kept_criteria_are_bounded(monkeypatch):
    """A rulebook keeps at most the limit of explained results per criterion."""
    monkeypatch.setattr(evaluator, "EXPLAINED_LIMIT", 5)
    book = load_rulebook("srdi-sme-2022")
    monkeypatch.setattr(book, "explained", {})  # what earlier tests kept
    base = dict(APPLICANTS[0].values)
    _explained(book, [Applicant({**base, "rd_expense_y1": Decimal(n)}) for n in range(40)])
    kept = [len(entry[1]) for entry in book.explained.values() if entry[0] is not None]
    assert kept and max(kept) <= 5
