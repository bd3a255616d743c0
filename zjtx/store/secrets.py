"""Database passwords: masked in every text we show or log, kept in the OS keyring or .pgpass."""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger("zjtx.store")

MASK = "***"
KEYRING_SERVICE = "zjtx PostgreSQL"
PASSWORD_KEYS = ("password", "pgpassword", "passwd")
# Shorter literals would mask ordinary words and digits everywhere; the patterns still apply.
_MIN_LITERAL = 4

# scheme://user:SECRET@host — the password may hold anything but "@" and white space (as
# SQLAlchemy parses it); quotes end it because messages quote URLs.
_USERINFO = re.compile(r"(?P<pre>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@?#\"']*:)[^\s@\"']*(?=@)")
# password=SECRET in a URL query or a libpq key=value DSN (quoted values with \' escapes).
_KEY_VALUE = re.compile(
    r"(?P<pre>\b(?:" + "|".join(PASSWORD_KEYS) + r")\s*=\s*)"
    r"(?:'(?:[^'\\]|\\.)*'?|\"[^\"]*\"?|[^\s&;'\",)]+)",
    re.IGNORECASE,
)
# 'password': 'SECRET' in a repr or JSON of connection parameters.
_MAPPING = re.compile(
    r"(?P<pre>['\"](?:" + "|".join(PASSWORD_KEYS) + r")['\"]\s*:\s*)"
    r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s,}]+)",
    re.IGNORECASE,
)

_known: set[str] = set()
_known_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a password so that mask_secrets hides it wherever a driver echoes it."""
    if not value or len(value) < _MIN_LITERAL:
        return
    with _known_lock:
        _known.update({value, quote(value, safe=""), quote_plus(value)})


def mask_secrets(text: str) -> str:
    """``text`` with every database password replaced by ***: URL userinfo, ``?password=``,
    libpq ``password=`` (quoted or not), ``'password': ...`` mappings, and any password this
    process has seen (register_secret), wherever it appears."""
    if not text:
        return text
    with _known_lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, MASK)
    text = _USERINFO.sub(lambda m: m.group("pre") + MASK, text)
    text = _KEY_VALUE.sub(lambda m: m.group("pre") + MASK, text)
    return _MAPPING.sub(lambda m: m.group("pre") + MASK, text)


def url_password(url: URL) -> str | None:
    """The password a URL carries, in its userinfo or as ``?password=`` (both reach libpq)."""
    if url.password:
        return str(url.password)
    for key, value in url.query.items():
        if key.lower() in PASSWORD_KEYS and value:
            return str(value[-1] if isinstance(value, tuple) else value)
    return None


def without_password(url: URL) -> URL:
    """The URL without any password (userinfo nor query)."""
    keys = [key for key in url.query if key.lower() in PASSWORD_KEYS]
    # URL.set(password=None) would keep the password: None there means "unchanged".
    return url._replace(password=None).difference_update_query(keys)


def remove_password(text: str) -> str:
    """The URL as the user typed it (no percent-encoding of a Chinese user name) without any
    password: the form kept in settings.json. Raises ArgumentError for an unparsable URL."""
    wanted = without_password(make_url(text))
    base, _, query = text.partition("?")
    base = re.sub(r"^([^:/?#]+://[^:/@?#]*):[^@]*@", r"\1@", base, count=1)
    kept = [
        part
        for part in query.split("&")
        if part and part.partition("=")[0].lower() not in PASSWORD_KEYS
    ]
    stripped = base + ("?" + "&".join(kept) if kept else "")
    try:
        same = make_url(stripped) == wanted
    except (ArgumentError, ValueError):
        same = False
    return stripped if same else wanted.render_as_string(hide_password=False)


def safe_url(url: URL | str) -> str:
    """A database URL fit for messages and logs: every password form replaced by ***."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return "（无法识别的数据库地址）"
    register_secret(url_password(url))
    # Unquoted for reading (a Chinese user name, not %E8%AF%84…): this text is never parsed
    # again, and masking runs after unquoting so no encoded password slips through.
    return mask_secrets(unquote(url.render_as_string(hide_password=True)))


class MaskSecretsFilter(logging.Filter):
    """Masks passwords in a record's message, traceback and stack before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        record.msg, record.args = mask_secrets(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


# -- keeping the password out of settings.json ---------------------------------------------


def credential_name(url: URL) -> str:
    """The keyring user name of a server account: user@host:port/database."""
    host = url.host or "localhost"
    return f"{url.username or ''}@{host}:{url.port or 5432}/{url.database or ''}"


def find_password(url: URL) -> str | None:
    """The password kept in the OS keyring for this server account, or None.

    A password in .pgpass needs no lookup: libpq reads it itself when the URL has none.
    """
    if url.get_backend_name() != "postgresql":
        return None
    try:
        import keyring

        password = keyring.get_password(KEYRING_SERVICE, credential_name(url))
    except Exception as exc:  # no keyring backend (headless Linux) or a locked one
        log.debug("系统凭据管理器不可用：%s", mask_secrets(str(exc)))
        return None
    register_secret(password)
    return password or None


@dataclass(frozen=True, slots=True)
class SavedPassword:
    """Where a password was put, and a Chinese sentence saying so."""

    place: str  # "keyring" or "pgpass"
    message: str


def pgpass_path() -> Path:
    """The password file libpq reads: PGPASSFILE, else ~/.pgpass (%APPDATA%\\postgresql on
    Windows)."""
    configured = os.environ.get("PGPASSFILE")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _pgpass_fields(line: str) -> list[str]:
    fields, current, escaped = [], "", False
    for char in line:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append(current)
            current = ""
        else:
            current += char
    return [*fields, current]


def write_pgpass_entry(url: URL, password: str) -> Path:
    """Add (or replace) this account's line in the libpq password file, readable by its owner
    only (libpq ignores a file others can read), written to a temporary file and renamed."""
    path = pgpass_path()
    key = [url.host or "localhost", str(url.port or 5432), url.database or "*", url.username or ""]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    kept = [line for line in lines if _pgpass_fields(line)[:4] != key]
    kept.append(":".join(_pgpass_field(part) for part in [*key, password]))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".pgpass-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write("\n".join(kept) + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def save_password(url: URL, password: str) -> SavedPassword:
    """Keep ``password`` for this server account outside settings.json: in the OS keyring
    (Windows 凭据管理器, macOS 钥匙串, Secret Service), or, where there is none, in libpq's
    password file. Raises OSError when neither can be written."""
    register_secret(password)
    account = credential_name(url)
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, account, password)
    except Exception as exc:  # no backend here: .pgpass is the standard PostgreSQL place
        log.info("系统凭据管理器不可用（%s），密码改存 .pgpass", mask_secrets(str(exc)))
    else:
        return SavedPassword(
            "keyring", f"密码已保存在系统凭据管理器中（{account}），设置文件中不含密码"
        )
    path = write_pgpass_entry(url, password)
    return SavedPassword(
        "pgpass",
        f"本机没有可用的系统凭据管理器，密码已保存在 PostgreSQL 密码文件 {path}"
        "（仅本人可读），设置文件中不含密码",
    )
