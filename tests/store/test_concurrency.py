"""Reviews and imports at the same time: nothing is lost to a lock, imports take turns."""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

import zjtx.store.imports as imports_module
from tests.store.helpers import RuleScorer, make_applicant, make_file, make_uscc
from zjtx.store import StoreService, open_store
from zjtx.store.errors import DatabaseBusyError

ROUND = "并发批次"


@pytest.fixture
def small_chunks(monkeypatch) -> None:
    # Several chunks per file: the import reports progress while it holds its transaction.
    monkeypatch.setattr(imports_module, "CHUNK", 50)


def _round_with_one_applicant(service: StoreService, tmp_path) -> None:
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_file(ROUND, make_file(tmp_path / "first.xlsx", [make_applicant(1)]))


class _HeldImport:
    """An import in a thread whose progress callback stops after the first chunk, holding
    the import's transaction open until ``release`` is called."""

    def __init__(self, service: StoreService, file: Any) -> None:
        self.holding = threading.Event()
        self._release = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

        def progress(done: int, total: int) -> None:
            self.holding.set()
            assert self._release.wait(60), "the test never released the import"

        def run() -> None:
            try:
                self.result = service.import_file(
                    ROUND, file, evaluator="导入员", progress=progress
                )
            except BaseException as exc:  # handed to the test thread
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)

    def __enter__(self) -> _HeldImport:
        self.thread.start()
        assert self.holding.wait(30), "the import never reached its first chunk"
        return self

    def release(self) -> None:
        self._release.set()

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.thread.join(60)
        assert not self.thread.is_alive()


def test_a_review_saved_during_an_import_is_saved_after_it(
    database_url, tmp_path, small_chunks
) -> None:
    """A review saved while an import holds its transaction waits for it, then is saved."""
    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        big = make_file(tmp_path / "big.xlsx", [make_applicant(n) for n in range(2, 302)])
        with _HeldImport(service, big) as held:
            # The import goes on 0.5 s after the review started waiting for it (SQLite).
            timer = threading.Timer(0.5, held.release)
            timer.start()
            try:
                state = service.decide(
                    ROUND, make_uscc(1), "reject", "营业收入不足", evaluator="王评审"
                )
            finally:
                timer.cancel()
        assert held.error is None, held.error
        assert held.result.applicants_new == 300
        assert state.decision == "reject"
        assert service.review_state(ROUND, make_uscc(1)).opinion == "营业收入不足"
        assert len(service.list_applicants(ROUND)) == 301


def test_a_review_blocked_too_long_by_an_import_says_so_and_can_be_saved_after(
    database_url, tmp_path, small_chunks
) -> None:
    """Past the bounded wait, the review fails with a Chinese message; nothing half-saved."""
    with open_store(database_url, write_wait=0.5) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        big = make_file(tmp_path / "big.xlsx", [make_applicant(n) for n in range(2, 302)])
        with _HeldImport(service, big):
            started = time.monotonic()
            try:
                service.decide(ROUND, make_uscc(1), "reject", "营业收入不足", evaluator="王评审")
            except DatabaseBusyError as exc:
                # SQLite has one writer: the review waited its bounded time and says why.
                assert store.dialect == "sqlite"
                assert "正在导入" in str(exc) and "稍后" in str(exc) and "未保存" in str(exc)
                assert time.monotonic() - started < 10
                assert service.review_state(ROUND, make_uscc(1)).decision is None
                saved_during_import = False
            else:
                # PostgreSQL locks rows: a review of another applicant is not held up at all.
                assert store.dialect == "postgresql"
                saved_during_import = True
        if not saved_during_import:
            service.decide(ROUND, make_uscc(1), "reject", "营业收入不足", evaluator="王评审")
        assert service.review_state(ROUND, make_uscc(1)).decision == "reject"
        assert len(service.list_applicants(ROUND)) == 301


def test_two_imports_into_one_round_take_turns(database_url, tmp_path, small_chunks) -> None:
    """Two evaluators importing overlapping files at once: both complete, one after the other."""
    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        first = make_file(tmp_path / "a.xlsx", [make_applicant(n) for n in range(2, 202)])
        second = make_file(
            tmp_path / "b.xlsx", [make_applicant(n, revenue="2000") for n in range(150, 352)]
        )
        outcome: dict[str, Any] = {}

        def run_second() -> None:
            try:
                outcome["result"] = service.import_file(ROUND, second, evaluator="第二位")
            except BaseException as exc:
                outcome["error"] = exc

        with _HeldImport(service, first) as held:
            other = threading.Thread(target=run_second, daemon=True)
            other.start()
            other.join(1.0)  # the second import runs (or waits) while the first one holds
        other.join(60)
        assert held.error is None, held.error
        assert "error" not in outcome, outcome.get("error")
        results = (held.result, outcome["result"])
        # Whichever went second saw the other's applicants: 150..201 changed, none twice new.
        assert sum(r.applicants_new for r in results) == 350
        assert sum(r.applicants_changed for r in results) == 52
        assert len(service.list_applicants(ROUND)) == 351


def test_the_same_file_imported_twice_at_once_is_imported_once(
    database_url, tmp_path, monkeypatch
) -> None:
    """Two evaluators (or a double click) importing the same roster at the same moment: one
    imports it, the other then finds it imported and changes nothing; neither fails."""
    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        file = make_file(tmp_path / "same.xlsx", [make_applicant(n) for n in range(2, 52)])
        # Both imports look the file up before either writes (the race), when they can.
        barrier = threading.Barrier(2, timeout=2)
        real_partition = imports_module.partition

        def partition(*args: Any, **kwargs: Any) -> Any:
            # Broken: the other import waited for this one's lock, so there is no race.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            return real_partition(*args, **kwargs)

        monkeypatch.setattr(imports_module, "partition", partition)
        outcomes: list[Any] = []

        def run() -> None:
            try:
                outcomes.append(service.import_file(ROUND, file, evaluator="导入员"))
            except BaseException as exc:
                outcomes.append(exc)

        service.decide(ROUND, make_uscc(1), "reject", "—", evaluator="导入员")  # a known name
        threads = [threading.Thread(target=run, daemon=True) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
        assert sorted(o.already_imported for o in outcomes) == [False, True]
        assert len(service.list_applicants(ROUND)) == 51


def test_each_kind_of_advisory_lock_has_a_class_of_its_own() -> None:
    """PostgreSQL advisory locks are (class, key): the register's lock shares no class with
    the imports' (class, round id) or the reviews' (class, applicant id), so the register is
    not held by an import into round 21 nor an applicant's review."""
    from zjtx.store import common, registry

    classes = [registry._REGISTRY_LOCK[0], imports_module._IMPORT_LOCK_CLASS,
               common._REVIEW_LOCK_CLASS]  # fmt: skip
    assert len(set(classes)) == 3


def test_a_save_held_up_on_postgresql_waits_its_bounded_time_and_says_so(
    postgres_url, tmp_path
) -> None:
    """A PC whose network froze while it held the register (a recheck) no longer holds every
    save without limit: a decision waits its bounded time, then says 数据库正忙 and saves
    nothing, as on SQLite; a session left idle in a transaction is ended by the server."""
    import sqlalchemy

    from zjtx.store import registry

    with open_store(postgres_url, write_wait=0.5) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        with store.engine.connect() as connection:
            timeout = connection.execute(
                sqlalchemy.text("SHOW idle_in_transaction_session_timeout")
            ).scalar()
        assert timeout == "5min"
        frozen = sqlalchemy.create_engine(
            postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
        )
        with frozen.connect() as holder:
            key, sub = registry._REGISTRY_LOCK
            holder.execute(sqlalchemy.text(f"SELECT pg_advisory_xact_lock({key}, {sub})"))
            started = time.monotonic()
            with pytest.raises(DatabaseBusyError) as caught:
                service.decide(ROUND, make_uscc(1), "reject", "营业收入不足", evaluator="王评审")
            assert time.monotonic() - started < 10
            assert "数据库正忙" in str(caught.value) and "未保存" in str(caught.value)
            holder.rollback()
        frozen.dispose()
        assert service.review_state(ROUND, make_uscc(1)).decision is None


def test_a_name_added_by_another_save_meanwhile_is_taken_not_refused(database_url) -> None:
    """An evaluator's first two saves at once (the window and a command, or two PCs): the
    second finds no row, then cannot add it, as the first just did; it takes that row."""
    from zjtx.store.common import evaluator_row
    from zjtx.store.models import Evaluator

    with open_store(database_url) as store:
        with store.session() as session:
            first = evaluator_row(session, "周九").id
        with store.session() as session:
            real_scalar = session.scalar
            calls = []

            def scalar(statement: Any, *args: Any, **kwargs: Any) -> Any:
                calls.append(statement)
                return None if len(calls) == 1 else real_scalar(statement, *args, **kwargs)

            session.scalar = scalar  # the lookup ran before the other save committed
            assert evaluator_row(session, "周九").id == first
        with store.session() as session:
            names = session.scalars(select(Evaluator.name)).all()
        assert names.count("周九") == 1


def test_an_import_waiting_too_long_for_its_turn_says_so(postgres_url, tmp_path, monkeypatch):
    """An import into a round another PC is importing into (its turn held) waits its bounded
    time, then says another evaluator is importing into that round and this file was not
    imported; not a save's 15-second wording."""
    import sqlalchemy

    from zjtx.store import engine as engine_module

    monkeypatch.setattr(engine_module, "IMPORT_TURN_SECONDS", 1)
    with open_store(postgres_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        round_id = service.get_round(ROUND).id
        other = sqlalchemy.create_engine(
            postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
        )
        try:
            with other.connect() as holder:
                holder.execute(sqlalchemy.text(
                    f"SELECT pg_advisory_xact_lock({imports_module._IMPORT_LOCK_CLASS}, {round_id})"
                ))  # fmt: skip
                with pytest.raises(DatabaseBusyError) as caught:
                    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(2)]))
                holder.rollback()
        finally:
            other.dispose()
        assert f"正在向批次 “{ROUND}” 导入" in str(caught.value) and "本文件未导入" in str(
            caught.value
        )
        assert len(service.list_applicants(ROUND)) == 1


def test_a_transaction_the_server_ended_for_idleness_is_said_not_saved() -> None:
    """The server ending a transaction left idle (a frozen PC) is said in Chinese: nothing
    was saved (not "may have been saved", as for a connection lost mid-commit)."""
    from sqlalchemy.exc import OperationalError

    from zjtx.store.engine import explain_database_error
    from zjtx.store.settings import resolve_location

    class _Orig(Exception):
        sqlstate = "25P03"

    class _Store:
        location = resolve_location("postgresql+psycopg://zjtx_app@db.example/zjtx")
        write_wait = 15.0
        read_only_reason = None

    orig = _Orig("terminating connection due to idle-in-transaction timeout")
    said = str(explain_database_error(OperationalError("INSERT …", {}, orig), _Store()))
    assert "数据库服务器已中止它，没有保存" in said and "可能" not in said, said


@pytest.mark.parametrize("act", ["import", "decision"])
def test_a_round_archived_while_a_save_waited_refuses_it(sqlite_url, tmp_path, act) -> None:
    """An import or a decision waiting for SQLite's write lock while another PC archives the
    round: once it has the lock it finds the round archived and saves nothing."""
    import sqlite3

    from zjtx.store.errors import RoundArchivedError

    with open_store(sqlite_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        _round_with_one_applicant(service, tmp_path)
        round_id = service.get_round(ROUND).id
        other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the other PC holds the write lock
        other.execute(
            "UPDATE rounds SET archived_at = '2026-06-01 08:00:00' WHERE id = ?", (round_id,)
        )
        outcome: list[Any] = []

        def save() -> None:
            try:
                if act == "import":
                    file = make_file(tmp_path / "b.xlsx", [make_applicant(2)])
                    outcome.append(service.import_file(ROUND, file, evaluator="导入员"))
                else:
                    outcome.append(
                        service.decide(
                            ROUND, make_uscc(1), "reject", "不予推荐", evaluator="王评审"
                        )
                    )
            except BaseException as exc:
                outcome.append(exc)

        thread = threading.Thread(target=save, daemon=True)
        thread.start()
        time.sleep(0.5)  # the save reads the round, then waits for the lock
        other.execute("COMMIT")
        other.close()
        thread.join(30)
        assert isinstance(outcome[0], RoundArchivedError), outcome
        assert len(service.list_applicants(ROUND)) == 1
        assert service.review_state(ROUND, make_uscc(1)).decision is None
