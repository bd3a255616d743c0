"""Whole-database copies: a backup to an SQLite file, a move to an empty PostgreSQL database."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.store.helpers import RuleScorer, make_applicant, make_file, make_uscc
from zjtx.files import PART_SUFFIX
from zjtx.store import StoreService, open_store
from zjtx.store.errors import DatabaseOpenError, InvalidRequestError
from zjtx.store.transfer import CopyCancelled, backup_database, copy_database

ROUND = "迁移批次"


def _filled(store, tmp_path: Path, count: int = 4) -> StoreService:
    service = StoreService(store, scorer=RuleScorer())
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    applicants = [make_applicant(n) for n in range(1, count + 1)]
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", applicants))
    service.decide(ROUND, make_uscc(1), "reject", "营业收入不足", evaluator="王评审")
    return service


def _picture(service: StoreService) -> tuple:
    """What an evaluator sees of the round: its rows, one applicant's detail, its history."""
    return (
        service.list_applicants(ROUND),
        service.applicant_detail(ROUND, make_uscc(1)),
        service.history(ROUND),
    )


def test_a_backup_opens_as_the_same_database(sqlite_url, tmp_path):
    """The backup of an SQLite database opens with the same round, decisions and trail."""
    with open_store(sqlite_url) as store:
        before = _picture(_filled(store, tmp_path))
        target = tmp_path / "备份" / "zjtx 备份.sqlite3"
        target.parent.mkdir()
        report = backup_database(store, target)
    assert report.counts["applicants"] == 4 and "申报企业 4" in report.summary()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not list(target.parent.glob(f"*{PART_SUFFIX}*"))
    with open_store(f"sqlite:///{target}") as copy:
        assert _picture(StoreService(copy, scorer=RuleScorer())) == before


def test_a_backup_never_replaces_a_file_unasked(sqlite_url, tmp_path):
    """An existing file is kept unless replace is asked; the database itself is refused."""
    target = tmp_path / "old.sqlite3"
    target.write_bytes(b"an older backup")
    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(InvalidRequestError, match="已存在，未覆盖"):
            backup_database(store, target)
        assert target.read_bytes() == b"an older backup"
        with pytest.raises(InvalidRequestError, match="正在使用的数据库文件本身"):
            backup_database(store, store.location.sqlite_path)
        with pytest.raises(InvalidRequestError, match="是文件夹"):
            backup_database(store, tmp_path)
        backup_database(store, target, replace=True)
    with open_store(f"sqlite:///{target}") as copy:
        assert [r.name for r in StoreService(copy).list_rounds()] == [ROUND]


def test_a_cancelled_backup_writes_nothing(sqlite_url, tmp_path):
    """Cancelling during the copy leaves no file, not even a partial one."""
    target = tmp_path / "b.sqlite3"
    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(CopyCancelled, match="已取消"):
            backup_database(store, target, cancel=lambda: True)
    assert not target.exists()
    assert not list(tmp_path.glob(f"b.sqlite3{PART_SUFFIX}*"))


@pytest.mark.postgres
def test_moving_to_postgresql_keeps_everything_and_work_goes_on(sqlite_url, postgres_url, tmp_path):
    """An SQLite database copied to an empty PostgreSQL one reads the same there, its audit
    trail stays append-only, and new saves take fresh ids (sequences moved past the copy)."""
    progress: list[tuple[int, int]] = []
    with open_store(sqlite_url) as store:
        before = _picture(_filled(store, tmp_path))
        report = copy_database(store, postgres_url, progress=lambda d, t: progress.append((d, t)))
    assert progress[-1][0] == progress[-1][1] == sum(report.counts.values())
    with open_store(postgres_url) as shared:
        service = StoreService(shared, scorer=RuleScorer())
        assert _picture(service) == before
        service.decide(ROUND, make_uscc(2), "reject", "资料不全", evaluator="李评审")
        service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(9)]))
        assert len(service.list_applicants(ROUND)) == 5
        with pytest.raises(DBAPIError, match="append-only"), shared.engine.begin() as db:
            db.execute(text("DELETE FROM audit_events"))


@pytest.mark.postgres
def test_a_database_that_holds_data_is_never_copied_into(sqlite_url, postgres_url, tmp_path):
    """A target with rounds already is refused, named with what it holds, and left as it was."""
    with open_store(postgres_url) as shared:
        StoreService(shared).create_round("已有批次", tier="srdi-sme", round_date=date(2026, 5, 1))
    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(InvalidRequestError, match="已有数据（评审批次 1"):
            copy_database(store, postgres_url)
    with open_store(postgres_url) as shared:
        assert [r.name for r in StoreService(shared).list_rounds()] == ["已有批次"]


@pytest.mark.postgres
def test_a_cancelled_move_leaves_the_target_empty(sqlite_url, postgres_url, tmp_path):
    """Cancelling half way rolls every row back: the copy can simply be run again."""
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(CopyCancelled):
            copy_database(store, postgres_url, cancel=cancel)
        copy_database(store, postgres_url)
    with open_store(postgres_url) as shared:
        assert [r.name for r in StoreService(shared).list_rounds()] == [ROUND]


@pytest.mark.postgres
def test_a_shared_database_backs_up_to_one_moment(postgres_url, tmp_path):
    """A PostgreSQL backup is an SQLite file of one moment: a round created while it is being
    written is not in it, and the file opens with everything before."""
    target = tmp_path / "shared.sqlite3"
    with open_store(postgres_url) as store:
        before = _picture(_filled(store, tmp_path))
        created = []

        def meanwhile(done: int, total: int) -> None:
            if done and not created:
                with open_store(postgres_url) as other:
                    StoreService(other).create_round(
                        "其间新建", tier="srdi-sme", round_date=date(2026, 6, 1)
                    )
                created.append(1)

        report = backup_database(store, target, progress=meanwhile)
    assert created and report.counts["rounds"] == 1
    with open_store(f"sqlite:///{target}") as copy:
        assert _picture(StoreService(copy, scorer=RuleScorer())) == before


def test_a_damaged_database_is_not_backed_up(sqlite_url, tmp_path):
    """A backup first checks the database: a damaged file is named, and no copy is made."""
    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        path = store.location.sqlite_path
    with open_store(sqlite_url) as store:
        with path.open("r+b") as raw:  # scribble over the middle pages, keep the header
            raw.seek(8192)
            raw.write(os.urandom(16384))
        with pytest.raises(DatabaseOpenError, match="已损坏"):
            backup_database(store, tmp_path / "c.sqlite3")
    assert not (tmp_path / "c.sqlite3").exists()


def test_every_table_is_named_in_chinese():
    """A table added later is named in copy messages like the others, not by its SQL name."""
    from zjtx.store.models import Base
    from zjtx.store.transfer import TABLE_LABELS

    assert {t.name for t in Base.metadata.sorted_tables} == set(TABLE_LABELS)


@pytest.mark.postgres
def test_a_move_copies_one_moment_while_the_file_is_in_use(sqlite_url, postgres_url, tmp_path):
    """A round created in the SQLite file while it is being moved is not half copied: the
    target holds the moment the copy began, and its row counts check out."""
    created = []
    with open_store(sqlite_url) as store:
        before = _picture(_filled(store, tmp_path))

        def meanwhile(done: int, total: int) -> None:
            if done and not created:
                StoreService(store).create_round(
                    "其间新建", tier="srdi-sme", round_date=date(2026, 6, 1)
                )
                created.append(1)

        report = copy_database(store, postgres_url, progress=meanwhile)
    assert created and report.counts["rounds"] == 1
    with open_store(postgres_url) as shared:
        assert _picture(StoreService(shared, scorer=RuleScorer())) == before


def test_a_backup_finishes_while_another_connection_keeps_writing(sqlite_url, tmp_path):
    """Saves going on meanwhile (an import's pace) do not restart the copy for ever: it is of
    one moment, and it ends."""
    import threading

    with open_store(sqlite_url) as store:
        service = _filled(store, tmp_path, count=40)
        stop = threading.Event()

        def keep_writing() -> None:
            with open_store(sqlite_url) as other:
                n = 0
                while not stop.is_set():
                    StoreService(other).create_round(f"其间{n}", tier="srdi-sme",
                                                     round_date=date(2026, 6, 1))  # fmt: skip
                    n += 1

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            report = backup_database(store, tmp_path / "b.sqlite3")
        finally:
            stop.set()
            writer.join()
        assert report.counts["applicants"] == 40 and report.counts["rounds"] >= 1
        assert service.list_rounds()


def test_a_folder_that_cannot_take_the_backup_is_said_in_chinese(sqlite_url, tmp_path):
    """SQLite refusing to create the copy (here: a folder of the system) is a write error
    naming the file, in Chinese; nothing is left there."""
    from zjtx.files import OutputWriteError

    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(OutputWriteError) as refused:
            backup_database(store, Path("/proc/zjtx备份.sqlite3"))
    assert "zjtx备份.sqlite3" in str(refused.value) and "Operational" not in str(refused.value)


@pytest.mark.postgres
def test_a_live_database_given_by_mistake_is_refused_untouched(sqlite_url, postgres_url, tmp_path):
    """A target on an older schema that holds data is refused before any upgrade: its schema
    revision is the one it had."""
    from zjtx.store.engine import create_store_engine, current_revision, migrate
    from zjtx.store.settings import resolve_location

    location = resolve_location(postgres_url)
    engine = create_store_engine(location)
    migrate(engine, location, "0013")
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO evaluators (name, role, created_at) VALUES ('王评审', 'evaluator', now())"
            )
        )
    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(InvalidRequestError, match=r"已有数据（评审人 1）.*未作任何改动"):
            copy_database(store, postgres_url)
    assert current_revision(engine) == "0013"
    engine.dispose()


def test_a_backup_cancelled_while_it_copies_puts_nothing_in_place(sqlite_url, tmp_path):
    """取消 pressed while the one-step copy runs: the older backup of that name stays."""
    target = tmp_path / "b.sqlite3"
    target.write_bytes(b"older backup")
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1  # not before the copy starts, only once it has run

    with open_store(sqlite_url) as store:
        _filled(store, tmp_path)
        with pytest.raises(CopyCancelled):
            backup_database(store, target, replace=True, cancel=cancel)
    assert target.read_bytes() == b"older backup"
    assert not list(tmp_path.glob(f"b.sqlite3{PART_SUFFIX}*"))
