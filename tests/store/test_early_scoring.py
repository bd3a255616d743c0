"""Scoring a file's applicants while it is read stores exactly what an import scoring after it does."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.store.helpers import write_newer_little_giant
from tests.store.pooled import (
    COUNT,
    ROUND,
    YEAR,
    create_pg,
    drop_pg,
    stored_contents,
    two_rulebook_people,
    write_people_roster,
)
from zjtx.intake.records import Cancelled
from zjtx.intake.synthetic import applicants
from zjtx.scoring.installing import install_file
from zjtx.store import StoreError, StoreService, early_scoring, open_store, scoring_pool
from zjtx.store import imports as store_imports
from zjtx.store.early_scoring import EarlyScoring, spreadsheet_bytes

OTHER = "2026年小巨人（第二批）"


@pytest.fixture
def people() -> list[dict[str, Any]]:
    return two_rulebook_people()


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # Several pieces and chunks from a small file, and every file large enough.
    monkeypatch.setattr(store_imports, "CHUNK", 6)
    monkeypatch.setattr(scoring_pool, "PIECE", 4)


class TakenSpy:
    """Records, per code, whether the import took the result scored while reading, and
    which rows were given to the workers (a small file is read before they have room for
    all of it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: dict[str, bool] = {}
        self.given: set[str] = set()
        self.fed = 0
        real_usable, real_feed = EarlyScoring.usable, EarlyScoring.feed

        def usable(early: EarlyScoring, *args: Any) -> Any:
            self.given = {uscc for uscc, entry in early.given.items() if entry is not None}
            taken = real_usable(early, *args)

            def spied(job: Any) -> Any:
                handle = taken(job)
                self.taken[job[0].uscc] = handle is not None
                return handle

            return spied

        def feed(early: EarlyScoring, rows: Any) -> None:
            rows = list(rows)
            self.fed += len(rows)
            real_feed(early, iter(rows))

        monkeypatch.setattr(EarlyScoring, "usable", usable)
        monkeypatch.setattr(EarlyScoring, "feed", feed)


def _service(url: str, workers: int, region: str | None = None) -> StoreService:
    service = StoreService(open_store(url))
    service.evaluations.workers = workers
    service.evaluations.pool_minimum = 1 if workers else 10**9
    service.evaluations.early_bytes = 0
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20), region=region)
    return service


def _url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name / 'zjtx.sqlite3'}"


def test_results_scored_while_reading_are_stored_as_scored_after(
    database_url: str,
    tmp_path: Path,
    people: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two rulebooks, a first import and a changed file: every row, result, rulebook text
    and audit event is the same as in one process; the first file's results were those
    scored while it was read, and the changed file's rows, of applicants the round holds,
    were not scored while reading (the import scores only the changed ones)."""
    first = write_people_roster(tmp_path / "名单.xlsx", people)
    changed = [dict(row) for row in people]
    for row in changed[::3]:
        row["employees_y1"] = int(row["employees_y1"]) + 7
    second = write_people_roster(tmp_path / "名单（更正）.xlsx", changed)
    alone = _service(database_url, 0)
    for path in (first, second):
        alone.import_paths(ROUND, [path], evaluator="王评审")
    alone.store.close()

    spy = TakenSpy(monkeypatch)
    url = _url(tmp_path, "early")
    if not database_url.startswith("sqlite"):  # another PostgreSQL database, empty
        url = database_url + "_early"
        create_pg(database_url, url)
    try:
        _import_both(url, first, second, changed, people, spy)
        assert stored_contents(url) == stored_contents(database_url)
    finally:
        if not database_url.startswith("sqlite"):
            drop_pg(database_url, url)
    assert multiprocessing.active_children() == []


def _import_both(
    url: str,
    first: Path,
    second: Path,
    changed: list[dict[str, Any]],
    people: list[dict[str, Any]],
    spy: TakenSpy,
) -> None:
    service = _service(url, 2)
    service.import_paths(ROUND, [first], evaluator="王评审")
    assert spy.fed == COUNT
    assert len(spy.given) >= scoring_pool.PIECE
    assert spy.taken == {row["uscc"]: row["uscc"] in spy.given for row in people}
    spy.taken.clear()
    spy.fed = 0
    service.import_paths(ROUND, [second], evaluator="王评审")
    assert spy.fed == COUNT and spy.given == set()
    assert spy.taken == {row["uscc"]: False for row in changed[::3]}
    service.store.close()


def test_a_row_the_gate_changes_after_it_was_read_is_scored_again(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A control character the gate removes from a value, and a province the round's region
    fills in: those rows are scored with the values stored, not as they were read."""
    rows = [dict(row) for row in people]
    rows[0]["lead_product"] = "精密_x0007_轴承"  # as Excel stores a control character
    del rows[1]["province"]
    roster = write_people_roster(tmp_path / "名单.xlsx", rows)
    results = {}
    for name, workers in (("alone", 0), ("early", 2)):
        service = _service(_url(tmp_path, name), workers, region="江苏省")
        spy = TakenSpy(monkeypatch)
        service.import_paths(ROUND, [roster], evaluator="王评审")
        if workers:
            changed = {rows[0]["uscc"], rows[1]["uscc"]}
            assert changed <= spy.given  # scored while reading, with the values as read
            assert spy.taken == {row["uscc"]: row["uscc"] in spy.given - changed for row in rows}
        detail = service.applicant_detail(ROUND, rows[0]["uscc"])
        assert detail.applicant.values["lead_product"] == "精密轴承"
        assert (
            service.applicant_detail(ROUND, rows[1]["uscc"]).applicant.values["province"]
            == "江苏省"
        )
        service.store.close()
        results[name] = stored_contents(_url(tmp_path, name))
    assert results["early"] == results["alone"]


def test_texts_are_those_of_the_import_when_the_first_row_read_is_blocked(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read slowly enough for the workers to learn the rulebooks' texts from the first rows,
    the first of which the gate blocks: the import's texts are taken from its own first
    applicant, as in one process (never from an enterprise it did not import), and the
    results compacted against the first row's texts are compacted again against them."""
    from zjtx.intake import reader

    monkeypatch.setattr(reader, "READ_BATCH", 4)
    real_feed = EarlyScoring.feed

    def slow_feed(early: EarlyScoring, rows: Any) -> None:
        real_feed(early, rows)
        for future in list(early.running):
            future.result()  # a slow reader lets every piece finish

    monkeypatch.setattr(EarlyScoring, "feed", slow_feed)
    recompacted: list[str] = []
    real_recompacted = EarlyScoring.recompacted

    def spied(early: EarlyScoring, item: Any, texts: Any) -> Any:
        recompacted.append(item.rulebook_hash)
        return real_recompacted(early, item, texts)

    monkeypatch.setattr(EarlyScoring, "recompacted", spied)
    rows = [dict(row) for row in people]
    rows[0]["total_assets_y1"] = Decimal(0)  # with liabilities: blocked by the gate
    rows[0]["lead_product"] = "被拦截企业的产品"
    roster = write_people_roster(tmp_path / "名单.xlsx", rows)
    results = {}
    for name, workers in (("alone", 0), ("early", 2)):
        service = _service(_url(tmp_path, name), workers)
        [imported] = service.import_paths(ROUND, [roster], evaluator="王评审")
        assert imported.rows_blocked == 1
        service.store.close()
        results[name] = stored_contents(_url(tmp_path, name))
    assert results["early"] == results["alone"]
    assert not any("被拦截企业的产品" in str(row) for row in results["early"]["texts"])
    assert recompacted  # the new rulebook's results, compacted against the blocked row's


def _feed_in_two_steps(early: EarlyScoring, rows: list[Any]) -> None:
    """Rows given as a large file gives them: the first pieces come back whole, and the
    rulebooks' texts learnt from them go with the pieces given after."""
    early.feed(iter(rows[:8]))
    for future in list(early.running):
        future.result()
    early.feed(iter(rows[8:]))
    for future in list(early.running):
        future.result()


@pytest.mark.parametrize("meanwhile", [False, True])
def test_results_compacted_while_reading_agree_with_the_texts_stored(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, meanwhile
) -> None:
    """Workers compact against the texts learnt from a rulebook's first results, which the
    import then stores. If another round's import stored that rulebook's texts first, the
    results compacted against other texts are scored again. Either way what is stored is
    what one process stores."""
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    others = write_people_roster(tmp_path / "另一批.xlsx", applicants(8, YEAR, seed=99))
    agreed: list[bool] = []
    real_agrees = EarlyScoring.agrees

    def agrees(early: EarlyScoring, *args: Any) -> bool:
        agreed.append(real_agrees(early, *args))
        return agreed[-1]

    monkeypatch.setattr(EarlyScoring, "agrees", agrees)
    results = {}
    for name, workers in (("alone", 0), ("early", 2)):
        service = _service(_url(tmp_path, name), workers)
        service.create_round(OTHER, tier="little-giant", round_date=date(2026, 5, 20))
        [file] = service.read_files(ROUND, [roster])
        if workers:
            with service.early_scoring(ROUND, [roster]) as early:
                assert early is not None
                _feed_in_two_steps(early, file.applicants)
                if meanwhile:
                    service.import_paths(OTHER, [others], evaluator="王评审")
                service.import_file(ROUND, file, evaluator="王评审", early=early)
        else:
            if meanwhile:
                service.import_paths(OTHER, [others], evaluator="王评审")
            service.import_file(ROUND, file, evaluator="王评审")
        service.store.close()
        results[name] = stored_contents(_url(tmp_path, name))
    assert results["early"] == results["alone"]
    # Results given after the texts were learnt came back compacted and were checked: those
    # of 新申报 rows (the first eight rows, whose results taught the texts, are all new).
    assert {row["application_type"] for row in people[:8]} == {"new"}
    assert len(agreed) == sum(row["application_type"] == "new" for row in people[8:])
    assert not any(agreed) if meanwhile else all(agreed)


def test_a_worker_killed_while_reading_leaves_the_scoring_to_the_import(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers started for the reading are killed (the system ran out of memory, say):
    the file is read and imported all the same, with the same results."""
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    alone = _service(_url(tmp_path, "alone"), 0)
    alone.import_paths(ROUND, [roster], evaluator="王评审")
    alone.store.close()
    real = early_scoring.process_pool

    def killed(*args: Any, **kwargs: Any) -> Any:
        executor = real(*args, **kwargs)
        for future in [executor.submit(os.getpid) for _ in range(2)]:
            future.result()  # the workers are up
        for process in list(executor._processes.values()):
            os.kill(process.pid, signal.SIGKILL)
        return executor

    monkeypatch.setattr(early_scoring, "process_pool", killed)
    url = _url(tmp_path, "killed")
    service = _service(url, 2)
    service.import_paths(ROUND, [roster], evaluator="王评审")
    service.store.close()
    assert stored_contents(url) == stored_contents(_url(tmp_path, "alone"))
    assert multiprocessing.active_children() == []


def test_cancelling_the_reading_stops_its_workers_and_writes_nothing(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled while the rows are read, with rows given to the workers: nothing is
    imported and no worker is left."""
    from zjtx.intake import reader

    monkeypatch.setattr(reader, "READ_BATCH", 4)
    monkeypatch.setattr(reader, "PROGRESS_EVERY", 4)  # cancel is asked every four rows
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    service = _service(_url(tmp_path, "cancel"), 2)
    seen: list[int] = []
    with pytest.raises(Cancelled), service.early_scoring(ROUND, [roster]) as early:
        assert early is not None
        service.read_files(
            ROUND,
            [roster],
            early=early,
            progress=lambda done, total, *_: seen.append(done),
            cancel=lambda: bool(early.given),
        )
    assert seen and max(seen) < COUNT  # stopped among the rows
    assert service.list_applicants(ROUND) == []
    assert multiprocessing.active_children() == []
    service.store.close()


def test_workers_start_while_reading_only_for_large_spreadsheets(
    tmp_path: Path, people: list[dict[str, Any]]
) -> None:
    """Spreadsheets together smaller than early_bytes, JSON only, one core, or a scorer the
    caller gave: no workers start while reading."""
    from tests.store.helpers import RuleScorer

    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "data.json").write_text("[]", encoding="utf-8")
    assert spreadsheet_bytes([roster]) == roster.stat().st_size
    assert spreadsheet_bytes([tmp_path]) == roster.stat().st_size  # folders searched
    assert spreadsheet_bytes([tmp_path / "folder"]) == 0
    service = _service(_url(tmp_path, "small"), 2)
    service.evaluations.early_bytes = roster.stat().st_size + 1
    with service.early_scoring(ROUND, [roster]) as early:
        assert early is None
    service.evaluations.early_bytes = roster.stat().st_size
    with service.early_scoring(ROUND, [roster]) as early:
        assert early is not None
    service.evaluations.workers = 0
    with service.early_scoring(ROUND, [roster]) as early:
        assert early is None
    service.evaluations.workers = 2
    service.evaluations.scorer = RuleScorer()
    with service.early_scoring(ROUND, [roster]) as early:
        assert early is None
    assert multiprocessing.active_children() == []
    service.store.close()


def test_the_import_command_scores_a_large_file_while_reading_it(
    tmp_path: Path,
    people: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`zjtx round import` of a large roster: its rows are scored as they are read, and the
    round holds what an import in one process stores."""
    from zjtx.cli import main
    from zjtx.store import evaluations

    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    alone = _service(_url(tmp_path, "alone"), 0)
    alone.import_paths(ROUND, [roster], evaluator="王评审")
    alone.store.close()
    monkeypatch.setattr(evaluations, "EARLY_BYTES", roster.stat().st_size)  # large enough
    monkeypatch.setattr(early_scoring, "import_workers", lambda: 2)  # on any machine
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    spy = TakenSpy(monkeypatch)
    argv = ["round", "create", ROUND, "--tier", "little-giant", "--date", "2026-05-20"]
    assert main(argv) == 0
    assert main(["round", "import", ROUND, str(roster), "--evaluator", "王评审"]) == 0
    assert f"新增企业 {COUNT}" in capsys.readouterr().out
    assert spy.given
    assert spy.taken == {row["uscc"]: row["uscc"] in spy.given for row in people}
    cli = stored_contents(_url(tmp_path, "cli"))
    assert cli == stored_contents(_url(tmp_path, "alone"))
    assert multiprocessing.active_children() == []


def test_a_rulebook_installed_while_reading_governs_every_row_imported(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer version of a rulebook installed in the window while a file is read, after
    the workers loaded the older one: every applicant it governs is stored as the newer
    version judges it, those scored while reading and those the workers score after."""
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    newer = write_newer_little_giant(tmp_path / "little-giant-2026.yaml")
    real_feed = EarlyScoring.feed
    installed: list[Path] = []

    def feed(early: EarlyScoring, rows: Any) -> None:
        real_feed(early, rows)
        if not installed and early.given:
            early.executor.submit(os.getpid).result()  # a worker has its rulebooks
            check, target = install_file(newer)
            assert target is not None, check.problems
            installed.append(target)

    monkeypatch.setattr(EarlyScoring, "feed", feed)
    service = _service(_url(tmp_path, "installed"), 2)
    service.import_paths(ROUND, [roster], evaluator="王评审")
    assert installed
    versions = {
        (
            row.rulebook,
            service.applicant_detail(ROUND, row.uscc).review.evaluation["rulebook_version"],
        )
        for row in service.list_applicants(ROUND)
    }
    assert versions == {("little-giant-2026", "2026.2"), ("little-giant-2022", "2022.1")}
    service.store.close()
    assert multiprocessing.active_children() == []


def test_a_chunk_is_taken_in_its_order_so_the_first_failure_is_the_one_named(
    tmp_path: Path, people: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk holding both results scored while reading and pieces scored after: taken in
    the chunk's order, so that of two applicants that cannot be scored the earlier one is
    named, whichever way each was scored."""
    roster = write_people_roster(tmp_path / "名单.xlsx", people)
    seen: dict[str, Any] = {}
    pool_class = scoring_pool.PoolScoring
    real_scored, real_early, real_piece = pool_class.scored, pool_class._early, pool_class._piece

    def scored(pool: Any, index: int) -> Any:
        # The first chunk holding both kinds: every applicant of it fails to be scored.
        handles = pool.early[index]
        rest = [p for p in range(len(pool.chunks[index])) if p not in handles]
        if handles and rest and "first" not in seen:
            seen["first"] = "early" if min(handles) < min(rest) else "piece"
        return real_scored(pool, index)

    def early(pool: Any, handle: Any, job: Any) -> Any:
        if "first" in seen:
            raise StoreError(f"无法评价企业 {job[0].name}（早）")
        return real_early(pool, handle, job)

    def piece(pool: Any, index: int) -> Any:
        if "first" in seen:
            raise StoreError("无法评价企业（件）")
        return real_piece(pool, index)

    monkeypatch.setattr(scoring_pool.PoolScoring, "scored", scored)
    monkeypatch.setattr(scoring_pool.PoolScoring, "_early", early)
    monkeypatch.setattr(scoring_pool.PoolScoring, "_piece", piece)
    service = _service(_url(tmp_path, "order"), 2)
    with pytest.raises(StoreError) as caught:
        service.import_paths(ROUND, [roster], evaluator="王评审")
    service.store.close()
    assert "first" in seen  # a chunk had both
    assert ("（早）" if seen["first"] == "early" else "（件）") in str(caught.value)
    assert multiprocessing.active_children() == []
