"""StoreService.round_details: a whole round's details in one session, equal to one-by-one."""

from __future__ import annotations

from datetime import date

import pytest

from tests.store.helpers import make_applicant, make_file, make_uscc, warning
from zjtx.store import NotFoundError, ReadCancelled

ROUND = "2026年第一批"


def _reviewed_round(service, tmp_path, count: int = 7) -> None:
    """A round with two imports (new versions), confirmations, acknowledgements, decisions."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_file(
        ROUND,
        make_file(
            tmp_path / "a.xlsx",
            [make_applicant(n, province="浙江省", city="杭州市") for n in range(1, count + 1)],
            issues=[warning(make_uscc(1)), warning(make_uscc(2), code="date-format")],
        ),
        evaluator="王评审",
    )
    service.import_file(
        ROUND,
        make_file(
            tmp_path / "b.xlsx", [make_applicant(3, rd="90"), make_applicant(4, revenue="10")]
        ),
        evaluator="李组长",
    )
    service.confirm_criterion(ROUND, make_uscc(1), "T-JUDGE", "met", "已核实", evaluator="王评审")
    service.acknowledge_warning(
        ROUND, make_uscc(1), "ratio-mismatch", "口径不同", evaluator="赵评审"
    )
    service.decide(ROUND, make_uscc(1), "recommend", "同意推荐", evaluator="李组长")
    service.confirm_criterion(ROUND, make_uscc(3), "T-RD", "met", "补充材料", evaluator="王评审")
    service.decide(ROUND, make_uscc(4), "reject", "营业收入不足", evaluator="王评审")


def test_round_details_equal_the_one_by_one_details(service, tmp_path):
    """Every detail of the bulk call equals applicant_detail of that applicant, in table order."""
    _reviewed_round(service, tmp_path)
    order = [r.uscc for r in service.list_applicants(ROUND)]
    progress: list[tuple[int, int]] = []
    bulk = list(
        service.round_details(ROUND, progress=lambda d, t: progress.append((d, t)), chunk=3)
    )
    assert [d.row.uscc for d in bulk] == order and len(bulk) == 7
    assert bulk == [service.applicant_detail(ROUND, uscc) for uscc in order]
    assert progress == [(n, 7) for n in range(1, 8)]
    first = next(d for d in bulk if d.row.uscc == make_uscc(1))
    assert first.review.decided_by == "李组长" and first.review.decision == "recommend"
    assert [i.evaluator for i in first.review.items] == ["王评审", "赵评审"]
    third = next(d for d in bulk if d.row.uscc == make_uscc(3))
    assert [(v.number, v.file_name, v.created_by) for v in third.versions] == [
        (1, "a.xlsx", "王评审"),
        (2, "b.xlsx", "李组长"),
    ]
    assert third.review.evaluation["criteria"][2]["confirmation"]["reason"] == "补充材料"


def test_round_details_of_chosen_applicants_and_errors(service, tmp_path):
    """Given codes come back in the given order; an unknown code and cancelling are reported."""
    _reviewed_round(service, tmp_path)
    chosen = [make_uscc(5), make_uscc(2)]
    assert [d.row.uscc for d in service.round_details(ROUND, chosen)] == chosen
    with pytest.raises(NotFoundError, match="没有统一社会信用代码为 91330100"):
        list(service.round_details(ROUND, [make_uscc(99)]))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # the second chunk is cancelled

    seen = []
    with pytest.raises(ReadCancelled, match="已取消"):
        for detail in service.round_details(ROUND, cancel=cancel, chunk=4):
            seen.append(detail)
    assert len(seen) == 4
    assert list(service.round_details(ROUND, [])) == []


def test_one_applicants_row_is_its_row_in_the_table_rank_and_ties_included(service, tmp_path):
    """applicant_detail reads one applicant, not the round, yet its row (rank among tied
    scores included) is the table's."""
    _reviewed_round(service, tmp_path)
    rows = service.list_applicants(ROUND)
    ranks = [r.rank for r in rows if r.rank is not None]
    assert len(ranks) > len(set(ranks)), "the round should hold tied scores"
    assert [service.applicant_detail(ROUND, r.uscc).row for r in rows] == rows
