"""Database passwords: never printed or logged in any form; kept in the keyring or .pgpass."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from tests.store.conftest import PG_ENV
from zjtx.store import DatabaseOpenError, open_store
from zjtx.store.secrets import (
    MaskSecretsFilter,
    find_password,
    mask_secrets,
    pgpass_path,
    remove_password,
    safe_url,
    save_password,
    url_password,
    write_pgpass_entry,
)
from zjtx.store.settings import resolve_location

SECRET = "s3cr3t"
REPO = Path(__file__).resolve().parents[2]

# A closed local port: the driver fails at once, with the URL's parameters at hand.
CLOSED = "127.0.0.1:1"
URLS_WITH_PASSWORD = [
    f"postgresql+psycopg://zj:{SECRET}@{CLOSED}/zjtx",
    f"postgresql+psycopg://zj@{CLOSED}/zjtx?password={SECRET}",
    f"postgresql+psycopg://zj@{CLOSED}/zjtx?sslmode=bogus&password={SECRET}",
    f"postgresql+psycopg://zj:{SECRET}@{CLOSED}/zjtx?password={SECRET}x&sslmode=bogus",
    f"postgresql://zj:{SECRET}%21@{CLOSED}/zjtx",
    f"postgresql+psycopg://zj@{CLOSED}/zjtx?PASSWORD={SECRET}",
]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An OS keyring stand-in holding passwords in memory (keyring's own backend interface)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.items[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend


@pytest.mark.parametrize(
    "template",
    [
        "无法打开数据库 postgresql+psycopg://zj:{pw}@db/zjtx：失败",
        "postgresql://zj:{pw}/with/slash@db:5432/zjtx",
        "postgresql+psycopg://zj@db/zjtx?sslmode=require&password={pw}&x=1",
        "host=db port=5432 user=zj password={pw} dbname=zjtx",
        "host=db password = '{pw} with \\' quote' dbname=zjtx",
        "connect kwargs {{'host': 'db', 'password': '{pw}', 'port': 5432}}",
        '{{"database_url": "x", "password": "{pw}"}}',
        "PGPASSWORD={pw} psql -h db",
    ],
)
def test_mask_secrets_hides_every_password_form(template):
    """URL userinfo, ?password=, libpq key=value (quoted too), mappings and PGPASSWORD."""
    # A password this process never saw: only the patterns can find it.
    password = f"pw{uuid.uuid4().hex[:10]}"
    masked = mask_secrets(template.format(pw=password))
    assert password not in masked
    assert "***" in masked


def test_mask_secrets_keeps_text_without_a_password():
    """Addresses, ports and driver sentences without a password stay as they are."""
    for message in (
        "postgresql+psycopg://zj@127.0.0.1:5432/zjtx",
        'password authentication failed for user "zj"',
        "无法打开数据库 sqlite:////tmp/a b/zjtx.sqlite3：disk I/O error",
        "连接 db:5432 超时；用户 zj@单位",
    ):
        assert mask_secrets(message) == message


def test_a_password_seen_once_is_masked_wherever_a_driver_echoes_it():
    """A driver message quoting the bare password (no key before it) is masked too."""
    url = make_url("postgresql+psycopg://zj:Unusual-Pw%20X@db/zjtx")
    assert "Unusual-Pw" not in safe_url(url)
    assert mask_secrets('missing "=" after "Unusual-Pw X" in connection info') == (
        'missing "=" after "***" in connection info'
    )


@pytest.mark.parametrize("url", URLS_WITH_PASSWORD)
def test_cli_error_never_shows_the_password(url, tmp_path):
    """`zjtx round list` on a server that refuses: one Chinese message, exit 1, no password."""
    env = {**os.environ, "ZJTX_DATABASE_URL": url, "ZJTX_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "zjtx", "round", "list"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "无法打开数据库" in done.stderr
    assert "Traceback" not in done.stderr
    assert SECRET not in done.stderr + done.stdout


@pytest.mark.parametrize("url", URLS_WITH_PASSWORD)
def test_open_store_exception_text_has_no_password(url):
    """The DatabaseOpenError, its repr and its formatted traceback never carry the password."""
    with pytest.raises(DatabaseOpenError) as caught:
        open_store(url, upgrade=False)
    shown = "".join(traceback.format_exception(caught.value)) + repr(caught.value)
    assert "无法打开数据库" in shown
    assert SECRET not in shown


def test_log_filter_masks_messages_and_tracebacks(tmp_path):
    """A zjtx handler with MaskSecretsFilter writes no password: message, args, traceback."""
    path = tmp_path / "zjtx.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(MaskSecretsFilter())
    logger = logging.getLogger("zjtx.test_secrets")
    logger.addHandler(handler)
    try:
        logger.warning("打开 %s 失败", f"postgresql+psycopg://zj@db/zjtx?password={SECRET}")
        try:
            raise RuntimeError(f"connection to host=db password={SECRET} failed")
        except RuntimeError:
            logger.exception("连接失败")
    finally:
        logger.removeHandler(handler)
        handler.close()
    written = path.read_text(encoding="utf-8")
    assert "连接失败" in written and "RuntimeError" in written
    assert SECRET not in written


def test_pgpass_entry_is_private_escaped_and_replaced(tmp_path):
    """write_pgpass_entry keeps other lines, replaces this account's, escapes ':' and '\\'."""
    path = pgpass_path()
    path.write_text("other:5432:*:someone:keep\n", encoding="utf-8")
    os.chmod(path, 0o644)
    url = make_url("postgresql+psycopg://zj@db.example:6543/zjtx")
    write_pgpass_entry(url, "old")
    write_pgpass_entry(url, "a:b\\c")
    assert path.read_text(encoding="utf-8").splitlines() == [
        "other:5432:*:someone:keep",
        "db.example:6543:zjtx:zj:a\\:b\\\\c",
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_a_keyring_the_password_goes_to_pgpass():
    """No keyring backend (headless): save_password writes .pgpass and says so."""
    saved = save_password(make_url("postgresql+psycopg://zj@db/zjtx"), SECRET)
    assert saved.place == "pgpass"
    assert str(pgpass_path()) in saved.message and SECRET not in saved.message
    assert pgpass_path().read_text(encoding="utf-8") == f"db:5432:zjtx:zj:{SECRET}\n"


def test_a_keyring_password_reaches_the_driver(memory_keyring):
    """A password kept in the keyring is handed to psycopg for a password-free URL."""
    saved = save_password(make_url("postgresql+psycopg://zj@db/zjtx"), SECRET)
    assert saved.place == "keyring" and not pgpass_path().exists()
    location = resolve_location("postgresql+psycopg://zj@db/zjtx")
    assert find_password(location.url) == SECRET
    engine = create_engine(location.url)
    try:
        _args, params = engine.dialect.create_connect_args(engine.url)
    finally:
        engine.dispose()
    assert params["password"] == SECRET
    assert SECRET not in location.display


# -- a real PostgreSQL account with a password ---------------------------------------------


@pytest.fixture
def password_account(postgres_url: str) -> Iterator[URL]:
    """A login role with password SECRET that the server checks (scram), on a fresh database;
    yields its URL without the password."""
    admin = create_engine(make_url(os.environ[PG_ENV]), isolation_level="AUTOCOMMIT")
    role = f"zjtx_pw_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            hba = Path(connection.execute(text("SHOW hba_file")).scalar_one())
            if not hba.is_file():
                pytest.skip("the test PostgreSQL server runs on another machine")
            connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'"))
            original = hba.read_text(encoding="utf-8")
            # First match wins: this role must give a password, everyone else stays trusted.
            hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n{original}", "utf-8")
            try:
                connection.execute(text("SELECT pg_reload_conf()"))
                url = make_url(postgres_url).set(username=role, password=None)
                _wait_until_password_is_required(url)
                yield url
            finally:
                hba.write_text(original, encoding="utf-8")
                connection.execute(text("SELECT pg_reload_conf()"))
                connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
    finally:
        admin.dispose()


def _wait_until_password_is_required(url: URL) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            open_store(url.render_as_string(hide_password=False), upgrade=False).close()
        except DatabaseOpenError:
            return
        time.sleep(0.1)
    raise AssertionError("the server did not start asking for the password")


@pytest.mark.postgres
def test_pgpass_lets_a_password_free_url_connect(password_account):
    """Without .pgpass the server refuses (message without password); with it, it connects."""
    url = password_account.render_as_string(hide_password=False)
    with pytest.raises(DatabaseOpenError) as refused:
        open_store(password_account.set(password="wrong-" + SECRET).render_as_string(False))
    assert SECRET not in str(refused.value)
    saved = save_password(password_account, SECRET)
    assert saved.place == "pgpass"
    assert stat.S_IMODE(pgpass_path().stat().st_mode) == 0o600
    store = open_store(url, upgrade=False)
    try:
        assert SECRET not in store.location.display
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar_one() == (
                password_account.username
            )
    finally:
        store.close()


@pytest.mark.postgres
def test_keyring_password_lets_a_password_free_url_connect(password_account, memory_keyring):
    """With a keyring, the saved password (not in any file) opens the password-free URL."""
    saved = save_password(password_account, SECRET)
    assert saved.place == "keyring" and not pgpass_path().exists()
    store = open_store(password_account.render_as_string(hide_password=False), upgrade=False)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        store.close()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("postgresql+psycopg://评审:a/b c@db:5432/zjtx", "postgresql+psycopg://评审@db:5432/zjtx"),
        (
            "postgresql+psycopg://zj@db/zjtx?sslmode=require&password=x",
            "postgresql+psycopg://zj@db/zjtx?sslmode=require",
        ),
        ("postgresql+psycopg://zj:p%40ss@db/zjtx?PASSWORD=y", "postgresql+psycopg://zj@db/zjtx"),
        ("postgresql+psycopg://zj@db/zjtx", "postgresql+psycopg://zj@db/zjtx"),
    ],
)
def test_remove_password_keeps_the_address_as_typed(typed, kept):
    """The URL for settings.json: no password in any form, the Chinese user name unencoded."""
    assert remove_password(typed) == kept
    assert url_password(make_url(kept)) is None


def test_safe_url_reads_as_typed():
    """A Chinese user name reads as typed in messages, the password masked in both places."""
    shown = safe_url("postgresql+psycopg://评审:pw%3Ax@db/zjtx?password=pw%3Ax")
    assert shown == "postgresql+psycopg://评审:***@db/zjtx?password=***"
