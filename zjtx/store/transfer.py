"""Copies of a whole database: a backup to an SQLite file, or a move to an empty database."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, create_engine, event, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from zjtx.files import OutputWriteError, write_atomically
from zjtx.store.codec import json_text
from zjtx.store.engine import (
    Store,
    check_sqlite_integrity,
    create_store_engine,
    driver_text,
    explain_database_error,
    migrate,
    read_only_connector,
    scrub,
)
from zjtx.store.errors import (
    DatabaseBusyError,
    DatabaseOpenError,
    InvalidRequestError,
    StoreCancelled,
    StoreError,
)
from zjtx.store.models import Base
from zjtx.store.settings import StoreLocation, resolve_location

log = logging.getLogger(__name__)

CHUNK_ROWS = 2_000

# What each table holds, in Chinese, in the order a report names them.
TABLE_LABELS = {
    "rounds": "评审批次",
    "applicants": "申报企业",
    "applicant_versions": "申报数据版本",
    "evaluations": "评价结果",
    "reviews": "评审记录",
    "audit_events": "留痕记录",
    "registry_entries": "培育库记录",
    "panel_members": "专家组成员",
    "evaluators": "评审人",
    "import_files": "导入文件",
    "evaluation_results": "评价明细",
    "rulebook_texts": "评价标准文本",
    "review_items": "评审条目",
    "registry_lists": "培育库名单",
    "panels": "专家组",
    "panel_judgements": "专家判断",
    "panel_opinions": "专家意见",
    "panel_recusals": "回避声明",
    "mapping_profiles": "对应关系",
}
SUMMARY_TABLES = tuple(TABLE_LABELS)[:8]  # what an evaluator counts; the rest follow from them

Progress = Callable[[int, int], None]  # (done, total): rows, or pages of an SQLite file
Cancel = Callable[[], bool]


class CopyCancelled(StoreCancelled):
    """A backup or copy stopped by the user: the target was not written."""


@dataclass(frozen=True)
class CopyReport:
    """A finished copy: where it went, how many rows each table holds there, how long."""

    target: str
    counts: dict[str, int]
    seconds: float

    def summary(self) -> str:
        """The counts an evaluator recognises, in Chinese (tables with rows only)."""
        parts = [
            f"{TABLE_LABELS[table]} {self.counts[table]:,}"
            for table in SUMMARY_TABLES
            if self.counts.get(table)
        ]
        return "，".join(parts) if parts else "没有数据"


def backup_database(
    store: Store,
    path: Path,
    *,
    replace: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> CopyReport:
    """Write a consistent copy of the open database to the SQLite file ``path``.

    Other evaluators may go on working meanwhile: the copy is of one moment. The file is
    written beside ``path`` and renamed into place only once it has been checked (an existing
    file is replaced only when ``replace``). The copy opens like any zjtx database
    (``ZJTX_DATABASE_URL=sqlite:///path``, or put in place of the data folder's file).

    Raises:
        InvalidRequestError: ``path`` is the database itself, a folder, or an existing file
            when not ``replace``.
        CopyCancelled: ``cancel()`` returned True; nothing was written.
        OutputWriteError: the folder cannot take the file (full, read-only, missing).
    """
    started = time.perf_counter()
    path = Path(path).expanduser().absolute()
    own = store.location.sqlite_path
    if own is not None and _same_file(path, own):
        raise InvalidRequestError(
            f"备份文件不能是正在使用的数据库文件本身（{path}）：请换一个文件名"
        )
    there = _existing(path)
    if there == "folder":
        raise InvalidRequestError(
            f"{path} 是文件夹：请给出备份文件的名称，如 {path / 'zjtx备份.sqlite3'}"
        )
    if there == "file" and not replace:
        raise InvalidRequestError(f"{path} 已存在，未覆盖：请换一个文件名")
    store.check_integrity()  # a damaged database copied is no backup
    counts: dict[str, int] = {}

    def copy_into(temporary: Path) -> dict[str, int]:
        if own is not None:
            _sqlite_snapshot(own, temporary, store.write_wait, progress, cancel)
            return {}
        copy_engine = create_store_engine(_sqlite_location(temporary))
        try:
            migrate(copy_engine, _sqlite_location(temporary))
            with _snapshot(store) as source, copy_engine.begin() as target:
                return _copy_rows(source, target, progress, cancel)
        finally:
            copy_engine.dispose()

    def write(temporary: Path) -> None:
        try:
            copied = copy_into(temporary)
            _check_cancel(cancel)  # cancelled while the copy ran: nothing is put in place
        except sqlite3.Error as exc:  # the file being written: a full disk, a folder refused
            raise _write_failure(path, exc) from None
        except DBAPIError as exc:
            if isinstance(exc.orig, sqlite3.Error):
                raise _write_failure(path, exc.orig) from None
            translated = explain_database_error(exc, store)  # the shared database read
            if translated is None:
                raise
            raise translated from None
        counts.update(_verify_copy(temporary))
        if own is None and counts != copied:
            raise DatabaseOpenError(
                f"备份写成后核对行数不一致，未保存：{_differences(copied, counts)}"
            )
        os.chmod(temporary, 0o600)

    write_atomically(path, write)
    report = CopyReport(str(path), counts, time.perf_counter() - started)
    log.info("数据库 %s 已备份到 %s（%s）", store.location.display, path, report.summary())
    return report


def copy_database(
    store: Store,
    url: str,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> CopyReport:
    """Copy everything in the open database into the empty database at ``url``: how a bureau
    that began on one PC's SQLite file moves to a shared PostgreSQL server.

    The target's tables are created (this needs its owner role) and must hold no data yet.
    Rows are written in one transaction: a failure or a cancel leaves the target empty.
    An ``sqlite:///file`` URL writes a new file as ``backup_database`` does.

    Raises:
        InvalidRequestError: the target is the open database, or already holds data.
        DatabaseOpenError: the target cannot be reached or its tables cannot be created.
        CopyCancelled: ``cancel()`` returned True; nothing was kept in the target.
    """
    started = time.perf_counter()
    location = resolve_location(url)  # a bad URL is refused here, its password never shown
    if location.sqlite_path is not None:
        return backup_database(store, location.sqlite_path, progress=progress, cancel=cancel)
    if store.location.sqlite_path is None and _same_server_database(store.location, location):
        raise InvalidRequestError(
            f"目标 {location.display} 就是正在使用的数据库：请给出另一个数据库"
        )
    store.check_integrity()
    engine = create_store_engine(location)
    try:
        try:
            # Before any upgrade: a live database given by mistake is refused untouched.
            with engine.connect() as connection:
                _refuse_occupied(connection, location)
            migrate(engine, location)
        except DBAPIError as exc:
            raise DatabaseOpenError(_target_failure(location, exc)) from None
        with _snapshot(store) as source, engine.begin() as target:
            _refuse_occupied(target, location)  # filled meanwhile by someone else
            counts = _copy_rows(source, target, progress, cancel)
            _advance_sequences(target)
            found = count_rows(target)
            if found != counts:
                raise DatabaseOpenError(
                    f"复制到 {location.display} 后核对行数不一致，未保存：{_differences(counts, found)}"
                )
    except DBAPIError as exc:
        raise DatabaseOpenError(_target_failure(location, exc)) from None
    finally:
        engine.dispose()
    report = CopyReport(location.display, counts, time.perf_counter() - started)
    log.info(
        "数据库 %s 已复制到 %s（%s）", store.location.display, location.display, report.summary()
    )
    return report


def _refuse_occupied(connection: Connection, location: StoreLocation) -> None:
    """Refuse a target holding rows in any zjtx table (whatever its schema's revision)."""
    found = count_rows(connection, only_present=True)
    occupied = named_counts(found)
    if occupied:
        raise InvalidRequestError(
            f"目标数据库 {location.display} 已有数据（{occupied}）：复制只写入空数据库，"
            "以免两处的评审记录混在一起；它未作任何改动。请新建一个数据库，或由数据库管理员清空它"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except (OSError, ValueError):
        return a.resolve() == b.resolve()


def _write_failure(path: Path, exc: sqlite3.Error) -> OutputWriteError | StoreError:
    """SQLite's refusal during the copy: the live database busy, or the copy that could not be
    written (said as any file that could not be written), in Chinese."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusyError("数据库正忙（其他评审人或程序正在写入），备份未完成：请稍后再备份")
    if "full" in text:
        code = errno.ENOSPC
    elif "unable to open" in text or "readonly" in text:
        code = errno.EACCES
    else:
        code = errno.EIO
    return OutputWriteError(path, OSError(code, driver_text(str(exc))))


def _existing(path: Path) -> str | None:
    """ "folder", "file" or None; a name the system cannot hold (too long, NUL) is None, and
    writing it then says why in Chinese."""
    try:
        return "folder" if path.is_dir() else "file" if path.exists() else None
    except (OSError, ValueError):
        return None


def _same_server_database(a: StoreLocation, b: StoreLocation) -> bool:
    return (a.url.host or "", a.url.port or 5432, a.url.database) == (
        b.url.host or "",
        b.url.port or 5432,
        b.url.database,
    )


def _sqlite_location(path: Path) -> StoreLocation:
    return StoreLocation(URL.create("sqlite+pysqlite", database=str(path)), path)


def _target_failure(location: StoreLocation, exc: DBAPIError) -> str:
    first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
    return f"无法复制到目标数据库 {location.display}：{driver_text(scrub(first, location))}"


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise CopyCancelled("已取消：目标没有写入任何数据")


def _sqlite_snapshot(
    source: Path,
    target: Path,
    write_wait: float,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    """SQLite's online backup: a copy of one moment (one read transaction; in WAL mode others
    keep writing meanwhile). Cancel is heard before it starts."""

    _check_cancel(cancel)
    if progress is not None:
        progress(0, 1)
    reader = read_only_connector(source, write_wait)()
    try:
        writer = sqlite3.connect(target)
        try:
            # In one step: a copy taken page by page starts again from the first page each
            # time another connection writes, and never ends while an import goes on.
            reader.backup(writer, pages=-1)
        finally:
            writer.close()
    finally:
        reader.close()
    if progress is not None:
        progress(1, 1)


@contextmanager
def _snapshot(store: Store) -> Iterator[Connection]:
    """A read of the whole source database as of one moment, while others keep writing."""
    path = store.location.sqlite_path
    if path is None:
        with store.engine.connect() as connection:
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with connection.begin():
                yield connection
        return
    # pysqlite begins no transaction before a SELECT: each read would see its own moment.
    engine = create_engine(
        "sqlite://", creator=read_only_connector(path, store.write_wait), json_serializer=json_text
    )

    @event.listens_for(engine, "connect")
    def _no_implicit(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def count_rows(connection: Connection, *, only_present: bool = False) -> dict[str, int]:
    """Rows per zjtx table; ``only_present``: of the tables the database has (an older schema
    may lack the newer ones)."""
    present = set(inspect(connection).get_table_names()) if only_present else None
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
        if present is None or table.name in present
    }


def named_counts(counts: dict[str, int]) -> str:
    """The tables that hold rows, named in Chinese in TABLE_LABELS' order, with their rows."""
    known = list(TABLE_LABELS)
    ordered = sorted(counts, key=lambda t: known.index(t) if t in known else len(known))
    return "、".join(f"{TABLE_LABELS.get(t, t)} {counts[t]:,}" for t in ordered if counts[t])


def _copy_rows(
    source: Connection, target: Connection, progress: Progress | None, cancel: Cancel | None
) -> dict[str, int]:
    """Every row of every table, parents before children, in primary-key order (a row that
    refers to its own table refers to an earlier one); returns the rows per table."""
    counts = count_rows(source)
    total = sum(counts.values())
    done = 0
    if progress is not None:
        progress(0, total)
    for table in Base.metadata.sorted_tables:
        if not counts[table.name]:
            continue
        ordered = select(table).order_by(*table.primary_key.columns)
        result = source.execution_options(yield_per=CHUNK_ROWS).execute(ordered)
        for rows in result.mappings().partitions():
            _check_cancel(cancel)
            target.execute(table.insert(), [dict(row) for row in rows])
            done += len(rows)
            if progress is not None:
                progress(done, total)
    return counts


def _differences(expected: dict[str, int], found: dict[str, int]) -> str:
    return "，".join(
        f"{TABLE_LABELS.get(t, t)} 应为 {n:,} 行，实为 {found.get(t, 0):,} 行"
        for t, n in expected.items()
        if found.get(t, 0) != n
    )


def _advance_sequences(connection: Connection) -> None:
    """PostgreSQL's id sequences start past the copied ids (explicit ids do not move them)."""
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
            ),
            {"table": table.name},
        )


def _verify_copy(path: Path) -> dict[str, int]:
    """Check a written SQLite copy (whole, at this program's schema); its rows per table."""
    location = _sqlite_location(path)
    engine = create_store_engine(location)
    try:
        check_sqlite_integrity(engine, path, remember=False)
        migrate(engine, location)  # at head already: only confirms it
        with engine.connect() as connection:
            return count_rows(connection)
    except DatabaseOpenError as exc:
        raise DatabaseOpenError(f"备份写成后核对未通过，未保存：{exc}") from None
    finally:
        engine.dispose()
