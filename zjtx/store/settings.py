"""Where the data lives: the data folder, the settings file and the database URL."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from zjtx.store.errors import DatabaseOpenError
from zjtx.store.secrets import find_password, register_secret, safe_url, url_password

DATA_DIR_ENV = "ZJTX_DATA_DIR"
DATABASE_URL_ENV = "ZJTX_DATABASE_URL"
SETTINGS_FILE = "settings.json"
SQLITE_FILE = "zjtx.sqlite3"


def data_dir() -> Path:
    """The data folder: ``ZJTX_DATA_DIR`` (set by ``--data-dir``) or the platform data folder."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir("zjtx", appauthor=False))


def make_private_folder(folder: Path) -> Path:
    """Create the data folder readable by its owner only (0700); an existing zjtx data folder
    left open by an older version is closed too. Raises OSError."""
    existed = folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = folder.stat().st_mode & 0o777
    ours = not existed or any((folder / name).exists() for name in (SETTINGS_FILE, SQLITE_FILE))
    if ours and mode & 0o077 and os.name == "posix":
        # Only bits are taken away: a folder made read-only on purpose stays read-only.
        with contextlib.suppress(PermissionError):  # someone else's folder: leave it
            os.chmod(folder, mode & 0o700)
    return folder


def make_private_file(path: Path) -> Path:
    """Create ``path`` if missing and make it readable by its owner only (0600, or less if it
    was read-only). Raises OSError."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    mode = path.stat().st_mode & 0o777
    if os.name == "posix" and mode & 0o077:
        os.chmod(path, mode & 0o600)
    return path


def read_settings(folder: Path | None = None) -> dict[str, object]:
    """The user's settings.json in the data folder, or {} when there is none."""
    path = (folder or data_dir()) / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DatabaseOpenError(f"无法读取设置文件 {path}：{exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatabaseOpenError(
            f"设置文件 {path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"
        ) from None
    if not isinstance(data, dict):
        raise DatabaseOpenError(f"设置文件 {path} 的顶层必须是 JSON 对象")
    return data


def write_settings(data: dict[str, object], folder: Path | None = None) -> Path:
    """Replace settings.json in the data folder with ``data``: written to a temporary file in
    the same folder and renamed into place, so a crash never leaves half a file."""
    folder = folder or data_dir()
    path = folder / SETTINGS_FILE
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        make_private_folder(folder)
        # mkstemp creates the file 0600, so the renamed settings.json is private as well.
        handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DatabaseOpenError(f"无法写入设置文件 {path}：{exc.strerror}") from None
    return path


@dataclass(frozen=True, slots=True)
class StoreLocation:
    """The database to open: its URL and, for SQLite, the file."""

    url: URL
    sqlite_path: Path | None

    @property
    def display(self) -> str:
        """The URL with any password masked: the only form that may be printed or logged."""
        return redact_url(self.url)


def redact_url(url: URL | str) -> str:
    """A database URL with every password form replaced by ***, safe for messages and logs."""
    return safe_url(url)


def parse_url(text: str) -> URL:
    """Parse a database URL given by the user; a bad one is reported without its password."""
    try:
        url = make_url(text)
    except ValueError:  # SQLAlchemy's int() of a port such as "abc"
        raise DatabaseOpenError(
            "数据库地址中的端口不是数字：端口应为 1–65535 的整数，如 "
            "postgresql+psycopg://用户@主机:5432/数据库"
        ) from None
    except ArgumentError:
        raise DatabaseOpenError(
            "无法识别的数据库地址：应为 sqlite:///文件路径 或 "
            "postgresql+psycopg://用户:密码@主机:端口/数据库"
        ) from None
    if url.port is not None and not 0 < url.port < 65536:
        raise DatabaseOpenError(
            f"数据库地址中的端口 {url.port} 不在 1–65535 之间，如 "
            "postgresql+psycopg://用户@主机:5432/数据库"
        )
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        # psycopg 3 is the driver the application ships with.
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise DatabaseOpenError(
            f"不支持的数据库类型 “{url.drivername}”：只支持 SQLite 与 PostgreSQL（psycopg 3）"
        )
    return url


def resolve_location(url: str | None = None) -> StoreLocation:
    """The database to use: an explicit URL, ``ZJTX_DATABASE_URL``, settings.json, or the
    default SQLite file in the data folder."""
    folder = data_dir()
    text = url or os.environ.get(DATABASE_URL_ENV) or read_settings(folder).get("database_url")
    if text:
        if not isinstance(text, str):
            raise DatabaseOpenError(
                f"设置文件 {folder / SETTINGS_FILE} 中的 database_url 必须是文本"
            )
        parsed = parse_url(text)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if not database or database == ":memory:":
                raise DatabaseOpenError("SQLite 数据库必须是一个文件路径")
            return StoreLocation(parsed, Path(database).expanduser().resolve())
        register_secret(url_password(parsed))
        if url_password(parsed) is None:
            # The dialog keeps passwords in the OS keyring; without one there, libpq looks in
            # .pgpass by itself.
            kept = find_password(parsed)
            if kept:
                parsed = parsed.set(password=kept)
        return StoreLocation(parsed, None)
    path = (folder / SQLITE_FILE).resolve()
    return StoreLocation(URL.create("sqlite+pysqlite", database=str(path)), path)
