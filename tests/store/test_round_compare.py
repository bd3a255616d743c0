"""A round's applicants scored by another rulebook beside their stored evaluations."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from zjtx.cli import main
from zjtx.paths import resource_path
from zjtx.store import StoreService, open_store
from zjtx.store.errors import InvalidRequestError, ReadCancelled
from zjtx.store.models import Base
from zjtx.store.round_compare import NO_OVERLAY, CompareRules, compare_round

SAMPLES = resource_path("samples", "applicants.json")
ROUND = "2025专精特新"


@pytest.fixture
def service(database_url):
    """A round of the srdi-sme tier dated 2025 holding the 30 sample applicants."""
    store = open_store(database_url)
    service = StoreService(store)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2025, 6, 1), evaluator="王评审")
    service.import_paths(ROUND, [SAMPLES], evaluator="王评审")
    try:
        yield service
    finally:
        store.close()


def _scored(capsys, *how: str) -> list[dict]:
    assert main(["score", str(SAMPLES), *how, "--date", "2025-06-01", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _snapshot(service: StoreService) -> dict[str, int]:
    """Row counts of every table (the audit trail included)."""
    with service.store.session() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }


def test_counts_agree_with_score_on_both_rulebooks(service, capsys):
    """Before and after counts, the verdict transitions and who changes are those of
    `zjtx score --json` by srdi-sme-2022 (the round's) and srdi-sme-2026 on the same file."""
    current = _scored(capsys, "--tier", "srdi-sme")
    compared = _scored(capsys, "--rulebook", "srdi-sme-2026")
    result = compare_round(service.store, ROUND, CompareRules(rulebook="srdi-sme-2026")).result
    assert result.applicants == len(current) == 30
    assert result.before == dict(Counter(e["verdict"] for e in current))
    assert result.after == dict(Counter(e["verdict"] for e in compared))
    after = {e["uscc"]: e["verdict"] for e in compared}
    pairs = Counter((e["verdict"], after[e["uscc"]]) for e in current)
    assert result.transitions == dict(pairs)
    changed = {e["uscc"] for e in current if e["verdict"] != after[e["uscc"]]}
    assert {c.uscc for c in result.changed} == changed
    assert len(changed) > 0


def test_deciding_criteria_fail_under_the_compared_rulebook(service, capsys):
    """Every changed applicant that got worse names a deciding criterion that is met or
    absent in the round's result and unmet, unknown or manual in srdi-sme-2026's."""
    compared = {e["uscc"]: e for e in _scored(capsys, "--rulebook", "srdi-sme-2026")}
    result = compare_round(service.store, ROUND, CompareRules(rulebook="srdi-sme-2026")).result
    for shift in result.changed:
        assert shift.deciding, shift.name
        states = {c["id"]: c["state"] for c in compared[shift.uscc]["criteria"]}
        for item in shift.deciding:
            assert item.after_id is not None and item.after_id.startswith("SR26-")
            assert states[item.after_id] == item.after_state
            assert item.after_state in ("unmet", "unknown", "manual")
            assert item.before_state in (None, "met", "na")
    assert sum(d.count for d in result.deciding) >= len(result.changed)


def test_overlay_turns_a_pending_applicant_qualified(service, capsys):
    """The round's own rulebook with the shandong-2022 overlay gives what `zjtx score
    --overlay shandong-2022` gives; --overlay none is the round as it is (nothing changes)."""
    compared = _scored(capsys, "--tier", "srdi-sme", "--overlay", "shandong-2022")
    result = compare_round(service.store, ROUND, CompareRules(overlay="shandong-2022")).result
    assert result.after == dict(Counter(e["verdict"] for e in compared))
    same = compare_round(service.store, ROUND, CompareRules(overlay=NO_OVERLAY)).result
    assert same.changed == () and same.before == same.after


def test_nothing_stored_changes(service, database_url):
    """Rows of every table (audit trail included) are unchanged, and so are the SQLite
    file's bytes."""
    before = _snapshot(service)
    path = Path(database_url.removeprefix("sqlite:///")) if "sqlite" in database_url else None
    raw = path.read_bytes() if path else None
    compare_round(service.store, ROUND, CompareRules(rulebook="srdi-sme-2026"))
    compare_round(service.store, ROUND, CompareRules(overlay="shandong-2022"))
    assert _snapshot(service) == before
    if path:
        assert path.read_bytes() == raw


@pytest.mark.parametrize(
    ("rules", "named", "hint"),
    [
        (CompareRules(rulebook="srdi-sme-2062"), "srdi-sme-2062", "srdi-sme-2022"),
        (CompareRules(overlay="shandong-2O22"), "shandong-2O22", "shandong-2022"),
        (CompareRules(settings={"growth_compund": True}), "growth_compund", "growth_compound"),
        (CompareRules(rulebook="little-giant-2026"), "little-giant-2026", "srdi-sme-2026"),
    ],
)
def test_bad_names_are_refused_with_the_closest(service, rules, named, hint):
    """An unknown rulebook, overlay or setting, or another tier's rulebook, is refused with
    a message naming it and a valid one."""
    with pytest.raises(InvalidRequestError) as refused:
        compare_round(service.store, ROUND, rules)
    assert named in str(refused.value) and hint in str(refused.value)


def test_another_tier_when_asked(service, capsys):
    """With cross_tier a 小巨人 rulebook scores the round as `zjtx score --rulebook` does."""
    compared = _scored(capsys, "--rulebook", "little-giant-2026")
    rules = CompareRules(rulebook="little-giant-2026", cross_tier=True)
    result = compare_round(service.store, ROUND, rules).result
    assert result.after == dict(Counter(e["verdict"] for e in compared))


def test_progress_and_cancel(service):
    """Progress reaches 30 of 30; a cancel stops the comparison with ReadCancelled."""
    seen: list[tuple[int, int]] = []
    compare_round(service.store, ROUND, CompareRules(), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (30, 30)
    with pytest.raises(ReadCancelled):
        compare_round(service.store, ROUND, CompareRules(), cancel=lambda: True)
