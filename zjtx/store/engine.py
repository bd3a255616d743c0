"""Open a store: create the engine (SQLite file or PostgreSQL), then migrate it to the head."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event, func, inspect, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from zjtx.store.errors import DatabaseOpenError
from zjtx.store.secrets import mask_secrets, register_secret, url_password
from zjtx.store.settings import StoreLocation, resolve_location

log = logging.getLogger("zjtx.store")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Serialises migrations of a shared PostgreSQL database opened by several evaluators at once.
_MIGRATION_LOCK_KEY = 0x7A6A7478


class Store:
    """An open database: hands out one session per user action."""

    def __init__(self, engine: Engine, location: StoreLocation) -> None:
        self.engine = engine
        self.location = location
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location.display})"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _scrub(text: str, location: StoreLocation) -> str:
    """Remove the password from a driver message, whatever the driver put in it."""
    register_secret(url_password(location.url))
    return mask_secrets(text)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the data folder and an empty database file readable by its owner only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            os.chmod(path, 0o600)  # the umask may have removed bits, never added: be explicit
    except OSError as exc:
        raise DatabaseOpenError(f"无法创建数据库文件 {path}：{exc.strerror}") from None


def _json_dumps(value: Any) -> str:
    # Chinese stays readable (and a third smaller than \\u escapes) in JSON columns.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.close()


def create_store_engine(location: StoreLocation) -> Engine:
    if location.sqlite_path is not None:
        _prepare_sqlite_file(location.sqlite_path)
        engine = create_engine(
            location.url, connect_args={"timeout": 15}, json_serializer=_json_dumps
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(
        location.url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10},
        json_serializer=_json_dumps,
    )


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy an SQLite database aside (consistently, WAL included) before it is migrated."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = path.with_name(f"{path.name}.before-{label}-{stamp}.bak")
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, location: StoreLocation, target: str = "head") -> Path | None:
    """Upgrade the database to ``target``; returns the backup file made for SQLite, if any."""
    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = MigrationContext.configure(connection).get_current_revision()
    if tables and "alembic_version" not in tables:
        raise DatabaseOpenError(
            f"{location.display} 已有其他数据表，不是 zjtx 数据库；请换一个文件或数据库"
        )
    if current is not None:
        try:
            scripts.get_revision(current)
        except CommandError:
            raise DatabaseOpenError(
                f"数据库 {location.display} 由更新版本的 zjtx 创建（结构版本 {current}），"
                "请升级 zjtx 后再打开"
            ) from None
    wanted = scripts.get_current_head() if target == "head" else target
    if current == wanted:
        return None
    backup = None
    if location.sqlite_path is not None and current is not None:
        backup = backup_sqlite(location.sqlite_path, f"{wanted}")
        log.info("数据库升级前已备份到 %s", backup)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    log.info("数据库 %s 已升级到结构版本 %s", location.display, wanted)
    return backup


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (creating and migrating as needed) the configured database.

    Args:
        url: a database URL; default ``ZJTX_DATABASE_URL``, settings.json, or the SQLite file in
            the data folder.
        upgrade: migrate to the newest schema (the application always does).
    """
    location = resolve_location(url)
    engine = create_store_engine(location)
    try:
        if upgrade:
            migrate(engine, location)
        else:
            with engine.connect():
                pass
    except DatabaseOpenError:
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        detail = getattr(exc, "orig", None) or exc
        message = _scrub(
            str(detail).strip().splitlines()[0] if str(detail).strip() else "", location
        )
        raise DatabaseOpenError(f"无法打开数据库 {location.display}：{message}") from None
    log.info("已打开数据库 %s", location.display)
    return Store(engine, location)
