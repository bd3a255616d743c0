"""What a scoring worker and the importing process send each other: compressed, unchanged."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

from zjtx.domain.applicant import Applicant
from zjtx.intake.synthetic import applicants
from zjtx.store.dto import RoundInfo
from zjtx.store.scored import Scored, score_applicant
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.scoring_worker import Packed
from zjtx.workers import process_pool

ROUND = RoundInfo(
    id=1, name="r", tier="little-giant", round_date=date(2026, 5, 20), region=None,
    rulebook=None, overlay=None, settings={}, created_by="", created_at=None,  # type: ignore[arg-type]
)  # fmt: skip


def _piece(count: int) -> tuple[list[tuple[Applicant, tuple[()]]], list[Scored]]:
    scorer = RulebookScorer()
    jobs = [(Applicant(values), ()) for values in applicants(count, 2026, seed=5)]
    scored = [
        Scored.of(evaluation, evaluation.to_dict(), False)
        for evaluation in (score_applicant(scorer, a, ROUND, (), "未写入") for a, _ in jobs)
    ]
    return jobs, scored


def test_a_pieces_results_arrive_as_the_plain_list_they_were_in_a_fraction_of_the_bytes():
    """A hundred results pickle to under a fifth of their plain size (no pipe write of
    hundreds of KB waits on the importing process) and unpickle to an equal plain list."""
    _jobs, scored = _piece(100)
    plain = pickle.dumps(scored, pickle.HIGHEST_PROTOCOL)
    packed = pickle.dumps(Packed(scored), pickle.HIGHEST_PROTOCOL)
    assert len(packed) * 5 < len(plain)
    back = pickle.loads(packed)
    assert type(back) is list
    assert back == scored


def test_a_pieces_jobs_arrive_with_their_exact_values():
    """Applicants sent to a worker keep every value, Decimals and dates exactly."""
    jobs, _scored = _piece(20)
    back = pickle.loads(pickle.dumps(Packed(jobs), pickle.HIGHEST_PROTOCOL))
    assert type(back) is list
    assert [(a.values, items) for a, items in back] == [(a.values, items) for a, items in jobs]
    assert any(type(v).__name__ == "Decimal" for a, _ in back for v in a.values.values())


def test_packed_lists_cross_a_spawned_worker_both_ways():
    """Sent to a spawned worker process (as an import's pool is started) a packed list
    arrives a plain list, and one the worker returns packed arrives a plain list here."""
    jobs, _scored = _piece(5)
    executor = process_pool(1)
    try:
        sent = executor.submit(_kind_and_values, Packed(jobs)).result(timeout=120)
        back = executor.submit(Packed, [Decimal("1.50"), "甲", None]).result(timeout=120)
    finally:
        executor.shutdown(wait=True)
    assert sent == ("list", [a.values for a, _ in jobs])
    assert type(back) is list and back == [Decimal("1.50"), "甲", None]


def _kind_and_values(jobs: list) -> tuple[str, list]:
    return type(jobs).__name__, [a.values for a, _ in jobs]
