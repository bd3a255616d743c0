"""Open a store: create the engine (SQLite file or PostgreSQL), then migrate it to the head."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from zjtx.store.codec import json_text
from zjtx.store.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseOpenError,
    InvalidRequestError,
    ReadOnlyError,
    StoreError,
    TextTooLongError,
)
from zjtx.store.secrets import mask_secrets, register_secret, url_password
from zjtx.store.settings import StoreLocation, resolve_location

log = logging.getLogger("zjtx.store")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Serialises migrations of a shared PostgreSQL database opened by several evaluators at once.
_MIGRATION_LOCK_KEY = 0x7A6A7478
# How long a save waits for another writer (an import holds SQLite's one write lock for the
# whole file) before it gives up with DatabaseBusyError: bounded, so nobody waits forever.
WRITE_WAIT_SECONDS = 15.0
# Automatic copies of an SQLite file kept beside it (the newest ones; older ones are removed).
BACKUPS_KEPT = 3
# PRAGMA quick_check reads the whole file: 1.4-3.7 s for the 985 MB of 100,000 applicants
# (warm cache). Files up to this size are checked on every open (well under half a second);
# larger ones on the first open of each day, before every whole-round export and backup.
QUICK_CHECK_EVERY_OPEN_BYTES = 256 * 2**20
QUICK_CHECK_INTERVAL_SECONDS = 24 * 3600


class Store:
    """An open database: hands out one session per user action.

    ``read_only_reason`` says why an SQLite file was opened read-only (its folder or the file
    cannot be written): it can be listed and exported, and every change raises ReadOnlyError.
    """

    def __init__(
        self,
        engine: Engine,
        location: StoreLocation,
        *,
        read_only_reason: str | None = None,
        write_wait: float = WRITE_WAIT_SECONDS,
    ) -> None:
        self.engine = engine
        self.location = location
        self.read_only_reason = read_only_reason
        self.write_wait = write_wait
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        Database failures a user can act on (another writer too long, a read-only or damaged
        file, a text too long for its column) become StoreErrors with Chinese messages.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            translated = explain_database_error(exc, self)
            if translated is None:
                raise
            log.warning("数据库操作失败：%s", scrub(str(exc.orig), self.location))
            raise translated from None

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session for a change: refused at once (ReadOnlyError) on a read-only database."""
        if self.read_only_reason is not None:
            raise ReadOnlyError(self.read_only_reason + "；本次修改未保存")
        with self.session() as session:
            yield session

    def check_integrity(self) -> None:
        """Run PRAGMA quick_check on an SQLite file (before exports and backups); a damaged
        file raises DatabaseDamagedError naming the backup to restore. Nothing on PostgreSQL."""
        path = self.location.sqlite_path
        if path is not None:
            check_sqlite_integrity(self.engine, path, remember=not self.read_only)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location.display})"


def explain_database_error(exc: DBAPIError, store: Store) -> StoreError | None:
    """A Chinese StoreError for a driver error the user can act on, else None."""
    orig = exc.orig
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    state = str(getattr(orig, "sqlstate", "") or "")
    text = str(orig).lower()
    if (
        name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
        or state == "55P03"
        or (isinstance(orig, sqlite3.OperationalError) and "database is locked" in text)
    ):
        return DatabaseBusyError(
            f"数据库正忙：其他评审人正在导入申报数据、更新培育库或保存（已等待 {store.write_wait:g} 秒），"
            "本次修改未保存；请稍后再保存"
        )
    where = store.location.sqlite_path or store.location.display
    if name.startswith("SQLITE_FULL") or state == "53100" or "database or disk is full" in text:
        return StoreError(
            f"磁盘空间不足：数据库 {where} 所在的磁盘已满，本次修改未保存，此前保存的数据未受影响；"
            "请清理磁盘空间后重试"
        )
    if state == "25P03" or "idle-in-transaction timeout" in text:
        return StoreError(
            f"本次操作长时间没有响应（超过 {IDLE_IN_TRANSACTION_SECONDS // 60} 分钟，常见于网络中断"
            "或电脑休眠），数据库服务器已中止它，没有保存；请检查网络后重新操作"
        )
    if _CONNECTION_LOST.search(text) or (state.startswith("08") and state != "08P01"):
        host = getattr(getattr(store.location, "url", None), "host", None)
        server = f"数据库服务器 {host}" if host else "数据库服务器"
        return StoreError(
            f"与{server} 的连接中断（服务器停止或网络断开）：本次操作可能没有完成，也可能已保存；"
            "请检查网络，重新打开后核对（例如 zjtx round show、round history）再决定是否重做"
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return StoreError(
            f"读写数据库 {where} 时出错（常见于磁盘已满或存储设备故障），本次修改未保存；"
            "请检查磁盘空间后重试"
        )
    if name.startswith("SQLITE_READONLY") or state == "25006":
        why = store.read_only_reason or (
            f"数据库 {store.location.display} 不可写入（文件或所在文件夹是只读的）"
        )
        return ReadOnlyError(why + "；本次修改未保存")
    damaged = name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB" or "malformed" in text
    if damaged and store.location.sqlite_path is not None:
        return DatabaseDamagedError(damaged_message(store.location.sqlite_path, str(orig)))
    if state == "22001":  # string_data_right_truncation: a guard in the service was missed
        return TextTooLongError("有文本超过了数据库允许的长度，本次操作未保存；请缩短后重试")
    if "cannot contain nul" in text:  # psycopg refuses a NUL character before it is sent
        return InvalidRequestError(
            "有文本含有空字符（NUL，常见于从其他程序粘贴的文字），PostgreSQL 数据库无法保存，"
            "本次操作未保存；请删除该字符后重试"
        )
    return None


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def scrub(text: str, location: StoreLocation) -> str:
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


def _sqlite_pragmas(write_wait: float, read_only: bool) -> Any:
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:  # a read-only file keeps the journal mode it was written with
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA busy_timeout = {int(write_wait * 1000)}")
        cursor.close()

    return on_connect


def sqlite_read_only_reason(path: Path) -> str | None:
    """Why an existing SQLite file can only be read (its folder or itself is read-only)."""
    if not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return f"数据库文件 {path} 是只读的，只能查看和导出"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"数据文件夹 {path.parent} 是只读的，数据库只能查看和导出"
    return None


def read_only_connector(path: Path, write_wait: float) -> Any:
    """Connections that never write, not even SQLite's side files where they cannot be made."""
    side_files = all(Path(f"{path}-{end}").exists() for end in ("wal", "shm"))
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    # Without its -shm file in a folder it cannot write, SQLite reads a WAL database only
    # when told that nobody changes it meanwhile (immutable): true of a read-only folder.
    flags = "mode=ro" if side_files or folder_writable else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path))}?{flags}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=write_wait, check_same_thread=False)

    return connect


IDLE_IN_TRANSACTION_SECONDS = 300  # PostgreSQL ends a transaction a frozen client left open
IMPORT_TURN_SECONDS = 600  # an import waits this long for another import into its round


def wait_long_for_locks(connection: Any) -> None:
    """Let this PostgreSQL transaction wait for a lock as long as an import waits its turn,
    not a save's few seconds (an import into the round, or an upgrade, takes minutes)."""
    connection.execute(text(f"SET LOCAL lock_timeout = '{IMPORT_TURN_SECONDS}s'"))


def create_store_engine(
    location: StoreLocation,
    *,
    write_wait: float = WRITE_WAIT_SECONDS,
    read_only: bool = False,
) -> Engine:
    if location.sqlite_path is not None:
        if read_only:
            engine = create_engine(
                location.url,
                creator=read_only_connector(location.sqlite_path, write_wait),
                json_serializer=json_text,
            )
        else:
            _prepare_sqlite_file(location.sqlite_path)
            engine = create_engine(
                location.url, connect_args={"timeout": write_wait}, json_serializer=json_text
            )
        event.listen(engine, "connect", _sqlite_pragmas(write_wait, read_only))
        return engine
    engine = create_engine(
        location.url,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": 10,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        },
        json_serializer=json_text,
    )
    event.listen(engine, "connect", _postgresql_limits(write_wait))
    return engine


def _postgresql_limits(write_wait: float) -> Any:
    """A PC whose network froze holding a lock must not hold everyone else without limit: a
    write waits for a lock at most as long as on SQLite (then 数据库正忙), and the server
    ends a session left idle inside a transaction. Set on each new connection, not as
    startup options (connection poolers such as PgBouncer refuse those)."""

    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(write_wait * 1000)}")
        cursor.execute(
            f"SET idle_in_transaction_session_timeout = {IDLE_IN_TRANSACTION_SECONDS * 1000}"
        )
        cursor.close()
        dbapi_connection.commit()

    return on_connect


def sqlite_backups(path: Path) -> list[Path]:
    """The automatic copies of an SQLite file made before migrations, newest first."""
    found = [p for p in path.parent.glob(f"{path.name}.before-*.bak") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def _prune_backups(path: Path, keep: int = BACKUPS_KEPT) -> None:
    # Every failed migration attempt makes a full copy: only the newest few are worth a disk.
    for old in sqlite_backups(path)[keep:]:
        try:
            old.unlink()
            log.info("已删除较早的自动备份 %s", old)
        except OSError as exc:
            log.warning("无法删除较早的自动备份 %s：%s", old, exc.strerror)


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy an SQLite database aside (consistently, WAL included) before it is migrated;
    only the newest BACKUPS_KEPT copies are kept."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = path.with_name(f"{path.name}.before-{label}-{stamp}.bak")
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        source = sqlite3.connect(path)
        try:
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except BaseException:
        target.unlink(missing_ok=True)  # a half copy is no backup
        raise
    _prune_backups(path)
    return target


# SQLite's own words for what users can act on, in Chinese (anything else is kept as said).
_DRIVER_TEXTS = {
    "unable to open database file": "无法打开该文件（路径是文件夹、所在文件夹不存在或没有权限）",
    "disk i/o error": "读写磁盘出错（常见于磁盘已满或存储设备故障）",
    "database or disk is full": "磁盘空间不足",
    "file is not a database": "该文件不是数据库文件",
    "database disk image is malformed": "文件内容已损坏",
}


# libpq's reasons for a failed connection (found anywhere in its message), in Chinese.
# (?i): libpq's case varies with the server's version; the names it quotes keep theirs.
_CONNECTION_TEXTS = (
    (re.compile(r'(?i)password authentication failed for user "([^"]*)"'),
     "密码错误（账户 {0}）：请在 设置 中重新输入密码，或核对 PostgreSQL 密码文件"),
    (re.compile(r"(?i)no password supplied"),
     "没有提供密码：请在 设置 中输入密码，或写入 PostgreSQL 密码文件（pgpass 或 PGPASSFILE）"),
    (re.compile(r'(?i)database "([^"]*)" does not exist'), "数据库 {0} 不存在：请核对数据库名称"),
    (re.compile(r'(?i)role "([^"]*)" does not exist'), "账户 {0} 不存在：请核对账户名称"),
    (re.compile(r"(?i)name or service not known|failed to resolve host|could not translate host"),
     "找不到服务器：请核对主机名，或检查网络"),
    (re.compile(r"(?i)connection refused"),
     "服务器拒绝连接：数据库服务未启动，或主机、端口填写有误"),
    (re.compile(r"(?i)timeout expired|timed out"), "连接服务器超时：网络不通或服务器无响应"),
    (re.compile(r"(?i)no route to host|network is unreachable"), "网络不通：无法到达服务器"),
    (re.compile(r'(?i)on socket "[^"]*" failed: no such file or directory'),
     "找不到本机的数据库服务（套接字不存在）：服务未启动，或请在地址中写明主机名"),
)  # fmt: skip
# A connection lost in the middle of an operation (the server stopped, the network dropped).
_CONNECTION_LOST = re.compile(
    r"server closed the connection|consuming input failed|terminating connection|"
    r"connection (?:is )?(?:lost|closed)|ssl syscall error|connection reset|broken pipe"
)


def driver_text(message: str) -> str:
    """A driver's message in Chinese where it is one of SQLite's or libpq's usual ones."""
    lowered = message.strip().lower()
    for pattern, said in _CONNECTION_TEXTS:
        found = pattern.search(message)  # the names it quotes keep their case
        if found:
            return said.format(*(found.group(i) for i in range(1, found.re.groups + 1)))
    return next((said for words, said in _DRIVER_TEXTS.items() if lowered == words), message)


def damaged_message(path: Path, detail: str) -> str:
    """What to do about a damaged SQLite file: which automatic backup to put in its place."""
    first = detail.strip().splitlines()[0] if detail.strip() else "文件已损坏"
    # quick_check's first line names a page ("*** in database main ***"): not for users.
    first = driver_text(first) if not first.startswith("***") else "文件内容已损坏"
    return f"数据库文件 {path} 已损坏（{first}），无法可靠地读取。{restore_advice(path)}"


def restore_advice(path: Path) -> str:
    """Which automatic backup to put in place of a damaged or emptied SQLite file."""
    backups = sqlite_backups(path)
    if backups:
        newest = backups[0]
        made = datetime.fromtimestamp(newest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        return (
            f"请关闭 zjtx，把损坏的 {path.name} 改名保留（交技术人员检查），再把自动备份 "
            f"{newest}（{made} 制作）复制为 {path} 后重新打开；备份之后的导入和评审需要重做"
        )
    return (
        f"文件夹 {path.parent} 中没有 zjtx 的自动备份：请关闭 zjtx，把损坏的 {path.name} "
        "改名保留，从单位的备份中恢复该文件，或联系技术支持"
    )


def _refuse_emptied(path: Path) -> None:
    """Refuse a database file found empty that once held data (its integrity stamp or
    automatic backups say so): a copy or a sync cut short. Opened, it would silently become a
    new, empty database and the evaluator would go on working in it."""
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return
    # (The stamp is written after the first check, by which time opening has written the
    # file's header: a file zjtx was creating is never empty with one.)
    if empty and (_check_stamp(path).exists() or sqlite_backups(path)):
        raise DatabaseDamagedError(
            f"数据库文件 {path} 是空的（0 字节），但它此前保存过数据：可能是复制或同步没有完成。"
            + restore_advice(path)
        )


def _check_stamp(path: Path) -> Path:
    return path.with_name(f"{path.name}.checked")  # its time: the last check that passed


def integrity_check_due(path: Path) -> bool:
    """Whether opening ``path`` runs quick_check: small files always, large ones daily."""
    try:
        size = path.stat().st_size + Path(f"{path}-wal").stat().st_size
    except FileNotFoundError:
        size = path.stat().st_size if path.exists() else 0
    if size <= QUICK_CHECK_EVERY_OPEN_BYTES:
        return True
    try:
        checked = _check_stamp(path).stat().st_mtime
    except OSError:
        return True
    return not 0 <= time.time() - checked < QUICK_CHECK_INTERVAL_SECONDS


def check_sqlite_integrity(engine: Engine, path: Path, *, remember: bool = True) -> float:
    """Run PRAGMA quick_check (seconds taken are returned); a damaged file raises
    DatabaseDamagedError naming the backup to restore. ``remember`` stamps the time of a
    passed check beside the file (the daily schedule of large files)."""
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            rows = [r[0] for r in connection.exec_driver_sql("PRAGMA quick_check(5)")]
    except DBAPIError as exc:
        name = str(getattr(exc.orig, "sqlite_errorname", "") or "")
        if not (name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"):
            raise
        rows = [str(exc.orig)]
    taken = time.perf_counter() - started
    if rows != ["ok"]:
        log.error("数据库 %s 完整性检查失败：%s", path, "; ".join(map(str, rows)))
        raise DatabaseDamagedError(damaged_message(path, str(rows[0])))
    log.info("数据库 %s 完整性检查通过（%.2f 秒）", path, taken)
    if remember:
        try:
            stamp = _check_stamp(path)
            os.close(os.open(stamp, os.O_CREAT | os.O_WRONLY, 0o600))
            os.utime(stamp)
        except OSError as exc:  # only the schedule suffers: the next open checks again
            log.warning("无法记录完整性检查时间 %s：%s", path, exc.strerror)
    return taken


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(
    engine: Engine,
    location: StoreLocation,
    target: str = "head",
    *,
    read_only_reason: str | None = None,
) -> Path | None:
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
    if read_only_reason is not None:
        raise DatabaseOpenError(
            f"{read_only_reason}；但它需要升级到结构版本 {wanted} 才能使用，只读时无法升级。"
            "请开放写权限后再打开一次"
        )
    backup = None
    if location.sqlite_path is not None and current is not None:
        # A damaged file copied aside would be a backup nobody can restore.
        check_sqlite_integrity(engine, location.sqlite_path)
        backup = backup_sqlite(location.sqlite_path, f"{wanted}")
        log.info("数据库升级前已备份到 %s", backup)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # Another PC upgrading (or an import under way) is waited for longer than a
                # save waits for a lock: an upgrade runs once and takes its time.
                wait_long_for_locks(connection)
                connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    except DBAPIError as exc:
        if str(getattr(exc.orig, "sqlstate", "")) == "55P03":  # lock_not_available
            raise DatabaseOpenError(
                f"数据库 {location.display} 需要升级到结构版本 {wanted}，但另一台电脑正在使用或升级"
                f"它（已等待 {IMPORT_TURN_SECONDS // 60} 分钟）：请稍后再打开"
            ) from None
        if str(getattr(exc.orig, "sqlstate", "")) == "42501":  # insufficient_privilege
            need = (
                "还没有 zjtx 的数据表（新建的数据库）"
                if current is None
                else f"需要升级到结构版本 {wanted}"
            )
            raise DatabaseOpenError(
                f"数据库 {location.display} {need}，但当前数据库账户无权创建或修改表结构："
                "请由数据库所有者账户运行一次 zjtx（见 README 的 PostgreSQL 一节）"
            ) from None
        raise
    log.info("数据库 %s 已升级到结构版本 %s", location.display, wanted)
    return backup


def open_store(
    url: str | None = None, *, upgrade: bool = True, write_wait: float | None = None
) -> Store:
    """Open (creating and migrating as needed) the configured database.

    An SQLite file is checked first (PRAGMA quick_check): a damaged one raises
    DatabaseDamagedError naming the backup to restore. One whose folder or file is read-only
    is opened read-only (``Store.read_only_reason`` says why).

    Args:
        url: a database URL; default ``ZJTX_DATABASE_URL``, settings.json, or the SQLite file in
            the data folder.
        upgrade: migrate to the newest schema (the application always does).
        write_wait: seconds a change waits for another writer (default WRITE_WAIT_SECONDS).
    """
    location = resolve_location(url)
    if location.sqlite_path is not None:
        _refuse_emptied(location.sqlite_path)
    wait = WRITE_WAIT_SECONDS if write_wait is None else write_wait
    read_only_reason = (
        sqlite_read_only_reason(location.sqlite_path) if location.sqlite_path else None
    )
    engine = create_store_engine(location, write_wait=wait, read_only=read_only_reason is not None)
    try:
        path = location.sqlite_path
        if path is not None and integrity_check_due(path):
            check_sqlite_integrity(engine, path, remember=read_only_reason is None)
        if upgrade:
            migrate(engine, location, read_only_reason=read_only_reason)
        else:
            with engine.connect():
                pass
    except DatabaseOpenError:
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        detail = getattr(exc, "orig", None) or exc
        message = scrub(
            str(detail).strip().splitlines()[0] if str(detail).strip() else "", location
        )
        where = location.sqlite_path or location.display
        raise DatabaseOpenError(f"无法打开数据库 {where}：{driver_text(message)}") from None
    if read_only_reason is not None:
        log.warning("%s（只读打开）", read_only_reason)
    log.info("已打开数据库 %s", location.display)
    return Store(engine, location, read_only_reason=read_only_reason, write_wait=wait)
