"""Scoring a large import on worker processes stores exactly what scoring in-process stores."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.store.pooled import (
    COUNT,
    ROUND,
    PoolSpy,
    create_pg,
    drop_pg,
    stored_contents,
    two_rulebook_people,
    write_people_roster,
)
from zjtx.store import ImportCancelled, StoreError, StoreService, open_store, scoring_pool
from zjtx.store import imports as store_imports
from zjtx.store.scoring_pool import ChunkScoring, PoolScoring, chunk_scoring, import_workers
from zjtx.workers import default_workers


@pytest.fixture
def people() -> list[dict[str, Any]]:
    return two_rulebook_people()


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Several chunks from a small file: some scored by workers, some taken by the writer.
    monkeypatch.setattr(store_imports, "CHUNK", 6)
    monkeypatch.setattr(scoring_pool, "PIECE", 4)  # and chunks of several pieces


def _service(url: str, workers: int) -> StoreService:
    service = StoreService(open_store(url))
    service.evaluations.workers = workers
    service.evaluations.pool_minimum = 1
    return service


def _run(url: str, workers: int, files: list[Path], confirm: bool = True) -> None:
    service = _service(url, workers)
    try:
        service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
        first, *later = files
        service.import_paths(ROUND, [first], evaluator="王评审")
        if confirm:
            # A confirmation travels with the new version of its applicant to a worker.
            uscc = service.list_applicants(ROUND)[0].uscc
            detail = service.applicant_detail(ROUND, uscc)
            criterion = detail.review.evaluation["criteria"][0]["id"]
            service.confirm_criterion(ROUND, uscc, criterion, "met", "现场核实", evaluator="王评审")
        for path in later:
            service.import_paths(ROUND, [path], evaluator="王评审")
    finally:
        service.store.close()


def test_workers_store_exactly_what_one_process_stores(
    database_url: str, tmp_path: Path, people: list[dict[str, Any]], monkeypatch
) -> None:
    """New applicants under two rulebooks, then changed versions with a confirmation: every
    row, result, rulebook text and audit event is the same whether workers scored or not."""
    first = write_people_roster(tmp_path / "名单.xlsx", people)
    changed = [dict(row) for row in people]
    for row in changed[::3]:
        row["revenue_y1"] = Decimal(str(row["revenue_y1"])) + 100
    second = write_people_roster(tmp_path / "名单（更正）.xlsx", changed)

    _run(database_url, 0, [first, second])
    alone = stored_contents(database_url)
    spy = PoolSpy(monkeypatch)
    url = database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'pool' / 'zjtx.sqlite3'}"
    else:  # another PostgreSQL database, empty
        url = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_pool"
        create_pg(database_url, url)
    try:
        _run(url, 2, [first, second])
        pooled = stored_contents(url)
    finally:
        if not url.startswith("sqlite"):
            drop_pg(database_url, url)
    assert spy.pools == 2  # one per file
    assert spy.scored_by_workers >= 2
    # one per applicant, one for the confirmation, one per changed version
    assert len(alone["evaluations"]) == COUNT + 1 + len(changed[::3])
    for name in alone:
        assert pooled[name] == alone[name], name


def test_a_killed_worker_leaves_the_rest_to_this_process(
    sqlite_url: str, tmp_path: Path, people: list[dict[str, Any]], monkeypatch
) -> None:
    """A worker killed in mid-import (the system ran out of memory, say): the import still
    completes, with the same results, scored here."""
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    _run(sqlite_url, 0, [roster], confirm=False)
    alone = stored_contents(sqlite_url)

    real = scoring_pool.process_pool

    def killed(*args: Any, **kwargs: Any) -> Any:
        executor = real(*args, **kwargs)
        # Two tasks at once start both workers (one each); both are running once both are
        # answered, and the pool will start no other (it starts one only when none is idle).
        # Killing a worker still starting raced with CPython's pool starting another.
        started = [executor.submit(os.getpid) for _ in range(2)]
        for future in started:
            future.result()
        for process in list(executor._processes.values()):
            os.kill(process.pid, signal.SIGKILL)
        return executor

    monkeypatch.setattr(scoring_pool, "process_pool", killed)
    url = f"sqlite:///{tmp_path / 'killed' / 'zjtx.sqlite3'}"
    _run(url, 2, [roster], confirm=False)
    assert stored_contents(url) == alone
    assert multiprocessing.active_children() == []


def _revise(service: StoreService, uscc: str, criterion: str) -> None:
    """改判 ``criterion`` to the state its data do not give (a review item on it)."""
    items = service.review_state(ROUND, uscc).evaluation["criteria"]
    computed = next(c["state"] for c in items if c["id"] == criterion)
    state = "unmet" if computed == "met" else "met"
    service.confirm_criterion(ROUND, uscc, criterion, state, "已核实称号", evaluator="王评审")


def _end_renewals_before_the_round(tmp_path: Path) -> Path:
    """Install a little-giant-2022 that stops governing renewals before the round's date: a
    renewal applicant of the round then has no rulebook (a correction ending a standard).
    Returns the installed file."""
    from zjtx.paths import resource_path
    from zjtx.scoring.installing import install_file

    text = resource_path("rulebooks", "little-giant-2022.yaml").read_text("utf-8")
    text = text.replace('version: "2022.1"', 'version: "2022.2"', 1)
    text = text.replace("until: 2026-12-31", "until: 2026-04-30", 1)
    path = tmp_path / "little-giant-2022.yaml"
    path.write_text(text, "utf-8")
    installed = install_file(path)[1]
    assert installed is not None
    return installed


def test_the_first_applicant_that_cannot_be_scored_stops_the_file_as_in_one_process(
    sqlite_url: str, tmp_path: Path, people: list[dict[str, Any]]
) -> None:
    """A file whose every row changed, after the renewals' standard was ended before the
    round's date: the error names the first renewal of the file (not a later one, which this
    process may meet first while the workers start) and says the file was not written, the
    same with workers as without; no worker is left behind."""
    from zjtx.scoring.selection import forget_selection

    first = write_people_roster(tmp_path / "名单.xlsx", people)
    corrected = [dict(row, employees_y1=int(row["employees_y1"]) + 1) for row in people]
    second = write_people_roster(tmp_path / "名单（更正）.xlsx", corrected)
    renewals = [row for row in people if row["application_type"] == "renewal"]
    assert people.index(renewals[-1]) - people.index(renewals[0]) > 3 * scoring_pool.PIECE
    messages = []
    try:
        for workers, folder in ((0, "alone"), (2, "pool")):
            service = _service(f"sqlite:///{tmp_path / folder / 'zjtx.sqlite3'}", workers)
            service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
            service.import_paths(ROUND, [first], evaluator="王评审")
            installed = _end_renewals_before_the_round(tmp_path)
            try:
                with pytest.raises(StoreError) as caught:
                    service.import_paths(ROUND, [second], evaluator="王评审")
            finally:
                installed.unlink()
                forget_selection()
            messages.append(str(caught.value))
            assert len(service.applicant_detail(ROUND, renewals[0]["uscc"]).versions) == 1
            service.store.close()
    finally:
        forget_selection()
    assert messages[0] == messages[1]
    assert renewals[0]["name"] in messages[0] and renewals[-1]["name"] not in messages[0]
    assert "没有适用的评价标准" in messages[0] and "本文件未写入" in messages[0]
    assert multiprocessing.active_children() == []


def test_a_confirmation_the_new_rulebook_lacks_is_set_aside_as_in_one_process(
    sqlite_url: str, tmp_path: Path, people: list[dict[str, Any]]
) -> None:
    """A 新申报 applicant with a revised 2026 criterion, corrected to 复核 (scored under the
    2022 rulebook, which has no such criterion): the file is imported, the revision set aside
    with a note naming it, the same with workers as without."""
    first = write_people_roster(tmp_path / "名单.xlsx", people)
    target = next(row for row in people if row["application_type"] == "new")
    corrected = [dict(row) for row in people]
    corrected[people.index(target)]["application_type"] = "renewal"
    second = write_people_roster(tmp_path / "名单（更正）.xlsx", corrected)
    notes = []
    for workers, folder in ((0, "alone"), (2, "pool")):
        service = _service(f"sqlite:///{tmp_path / folder / 'zjtx.sqlite3'}", workers)
        service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
        service.import_paths(ROUND, [first], evaluator="王评审")
        _revise(service, target["uscc"], "LG26-1a")
        service.import_paths(ROUND, [second], evaluator="王评审")
        evaluation = service.applicant_detail(ROUND, target["uscc"]).review.evaluation
        notes.append([n for n in evaluation["notes"] if "LG26-1a" in n])
        service.store.close()
    assert notes[0] == notes[1] and len(notes[0]) == 1
    assert notes[0][0].startswith("评审人对 LG26-1a 的确认未采用")
    assert multiprocessing.active_children() == []


def test_cancelling_a_pooled_import_writes_nothing_and_stops_the_workers(
    sqlite_url: str, tmp_path: Path, people: list[dict[str, Any]]
) -> None:
    """Cancel after the first chunk: ImportCancelled, the round stays empty, workers end."""
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    service = _service(sqlite_url, 2)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
    seen: list[int] = []
    [file] = service.read_files(ROUND, [roster])
    with pytest.raises(ImportCancelled):
        service.import_file(
            ROUND,
            file,
            evaluator="王评审",
            progress=lambda done, total: seen.append(done),
            cancel=lambda: bool(seen),
        )
    assert seen == [6]
    assert service.list_applicants(ROUND) == []
    assert multiprocessing.active_children() == []
    service.store.close()


def test_small_files_and_other_scorers_are_scored_in_this_process(sqlite_url: str) -> None:
    """Workers start only for a file worth it, on a machine with cores to spare, with the
    bundled rulebooks (a scorer a caller gives cannot be sent to another process)."""
    from tests.store.helpers import RuleScorer

    service = StoreService(open_store(sqlite_url))
    evaluations = service.evaluations
    evaluations.workers = 2
    jobs = [[(object(), ())] * 5]
    evaluations.pool_minimum = 6
    assert type(chunk_scoring(evaluations, None, None, "", jobs)) is ChunkScoring
    evaluations.workers = 0
    evaluations.pool_minimum = 1
    assert type(chunk_scoring(evaluations, None, None, "", jobs)) is ChunkScoring
    evaluations.workers = None  # one per core but this process's, at most three
    assert import_workers() == min(default_workers() - 1, 3)
    evaluations.workers = 2
    evaluations.scorer = RuleScorer()
    assert type(chunk_scoring(evaluations, None, None, "", jobs)) is ChunkScoring
    assert issubclass(PoolScoring, ChunkScoring)
    service.store.close()
