"""Opening the database: locations, SQLite safety settings, migrations and password hiding."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from tests.store.helpers import RuleScorer, make_applicant, make_file
from zjtx.store import DatabaseOpenError, StoreService, open_store
from zjtx.store.engine import check_sqlite_integrity, create_store_engine, head_revision
from zjtx.store.models import ApplicantVersion, Base
from zjtx.store.settings import resolve_location


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "数据目录"
    monkeypatch.setenv("ZJTX_DATA_DIR", str(folder))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    return folder


def test_default_database_is_a_private_sqlite_file_in_the_data_folder(data_dir):
    """Without a URL the store is zjtx.sqlite3 in ZJTX_DATA_DIR, mode 0600, WAL, foreign keys."""
    with open_store() as store:
        path = data_dir / "zjtx.sqlite3"
        assert store.location.sqlite_path == path.resolve()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        StoreService(store, scorer=RuleScorer()).create_round(
            "r", tier="srdi-sme", round_date=date(2026, 5, 20)
        )
    for extra in data_dir.glob("zjtx.sqlite3-*"):  # WAL and shared-memory files
        assert stat.S_IMODE(extra.stat().st_mode) & 0o077 == 0, extra


def test_foreign_keys_are_enforced_on_sqlite(sqlite_url):
    """A version pointing at no applicant is rejected by the database."""
    with (
        open_store(sqlite_url) as store,
        pytest.raises(IntegrityError),
        store.engine.begin() as connection,
    ):
        connection.execute(
            insert(ApplicantVersion).values(
                applicant_id=999,
                number=1,
                values={},
                provenance={},
                values_hash="x",
                issues=[],
                import_file_id=999,
                created_by_id=999,
                created_at=datetime.now(UTC),
            )
        )


def test_url_comes_from_environment_before_settings_file(data_dir, tmp_path, monkeypatch):
    """ZJTX_DATABASE_URL beats settings.json, which beats the default file."""
    data_dir.mkdir()
    (data_dir / "settings.json").write_text(
        json.dumps({"database_url": f"sqlite:///{tmp_path / 'from-settings.db'}"}),
        encoding="utf-8",
    )
    assert resolve_location().sqlite_path == tmp_path / "from-settings.db"
    monkeypatch.setenv("ZJTX_DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    assert resolve_location().sqlite_path == tmp_path / "from-env.db"
    pg = resolve_location("postgresql://u:pw@db.example:5432/zjtx")
    assert pg.url.drivername == "postgresql+psycopg"  # psycopg 3 is the shipped driver
    assert pg.sqlite_path is None


def test_bad_settings_and_urls_are_explained(data_dir):
    """A broken settings file and an unsupported URL give Chinese messages naming the cause."""
    data_dir.mkdir()
    (data_dir / "settings.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(DatabaseOpenError, match=r"settings\.json 不是有效的 JSON（第 1 行"):
        resolve_location()
    with pytest.raises(DatabaseOpenError, match="只支持 SQLite 与 PostgreSQL"):
        resolve_location("mysql://root:pw@localhost/zjtx")
    with pytest.raises(DatabaseOpenError, match="无法识别的数据库地址"):
        resolve_location("not a url")


def test_password_never_appears_in_connection_errors(caplog):
    """An unreachable server's error names host and database but masks the password."""
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DatabaseOpenError) as failure:
        open_store("postgresql+psycopg://zjtx:Se-cret-42@127.0.0.1:9/zjtx")
    assert "127.0.0.1" in str(failure.value)
    assert "***" in str(failure.value)
    assert "Se-cret-42" not in str(failure.value)
    assert "Se-cret-42" not in caplog.text


@pytest.mark.postgres
def test_password_never_appears_in_logs_or_audit(postgres_url, caplog, tmp_path):
    """Working with a password URL leaves it out of the log, the store's repr and the trail."""
    caplog.set_level(logging.DEBUG)
    url = make_url(postgres_url).set(password="Se-cret-42")  # trust auth accepts any password
    with open_store(url.render_as_string(hide_password=False)) as store:
        service = StoreService(store, scorer=RuleScorer())
        service.create_round("r", tier="srdi-sme", round_date=date(2026, 5, 20))
        service.import_file("r", make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
        trail = json.dumps([h.to_dict() for h in service.history("r")], ensure_ascii=False)
        assert "Se-cret-42" not in repr(store)
        assert "Se-cret-42" not in trail
    assert "Se-cret-42" not in caplog.text
    assert "已打开数据库 postgresql+psycopg://postgres:***@" in caplog.text


def test_a_foreign_database_is_not_touched(tmp_path):
    """An SQLite file holding other tables is refused, not migrated."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseOpenError, match="不是 zjtx 数据库"):
        open_store(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"customers"}


def test_a_database_from_a_newer_release_is_refused(sqlite_url):
    """A schema revision this release does not know means: upgrade zjtx first."""
    with open_store(sqlite_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseOpenError, match="由更新版本的 zjtx 创建（结构版本 9999）"):
        open_store(sqlite_url)


def test_models_and_migrations_describe_the_same_schema(database_url):
    """After migrating, autogenerate finds no difference between the models and the database."""
    with open_store(database_url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == head_revision()


def test_opening_twice_does_not_migrate_or_back_up_again(sqlite_url, tmp_path):
    """An up-to-date database opens without a new backup."""
    open_store(sqlite_url).close()
    open_store(sqlite_url).close()
    assert list((tmp_path / "data").glob("*.bak")) == []
    assert os.path.exists(tmp_path / "data" / "zjtx.sqlite3")


def test_data_dir_option_moves_the_database(tmp_path, capsys):
    """`zjtx --data-dir DIR round ...` keeps the database file in DIR."""
    from zjtx.cli import main

    folder = tmp_path / "elsewhere"
    assert main(["--data-dir", str(folder), "round", "list"]) == 0
    assert "还没有批次" in capsys.readouterr().out
    assert stat.S_IMODE((folder / "zjtx.sqlite3").stat().st_mode) == 0o600


@pytest.mark.parametrize("port", ["abc", "5432x", "99999"])
def test_a_port_that_is_not_a_number_is_explained(port, capsys):
    """A URL whose port is not a port gives one Chinese message, masked, no traceback."""
    url = f"postgresql+psycopg://zjtx:Se-cret-42@db.example:{port}/zjtx"
    with pytest.raises(DatabaseOpenError, match="端口") as failure:
        open_store(url)
    assert "Se-cret-42" not in str(failure.value)
    from zjtx.cli import main

    os.environ["ZJTX_DATABASE_URL"] = url
    try:
        assert main(["round", "list"]) == 1
    finally:
        del os.environ["ZJTX_DATABASE_URL"]
    err = capsys.readouterr().err
    assert "端口" in err and "Traceback" not in err and "Se-cret-42" not in err


def test_a_read_only_file_opens_read_only_and_refuses_changes(sqlite_url, tmp_path, monkeypatch):
    """An SQLite file that cannot be written is opened read-only: reads work, a change says
    why (ReadOnlyError) before touching the file."""
    from zjtx.store import engine as engine_module
    from zjtx.store.errors import ReadOnlyError

    with open_store(sqlite_url) as store:
        StoreService(store, scorer=RuleScorer()).create_round(
            "只读批次", tier="srdi-sme", round_date=date(2026, 5, 20)
        )
    path = tmp_path / "data" / "zjtx.sqlite3"
    before = path.read_bytes()
    # root may write any file; the decision is what is tested here (see test_integrity for
    # an ordinary user's read-only folder).
    monkeypatch.setattr(
        engine_module,
        "sqlite_read_only_reason",
        lambda p: f"数据库文件 {p} 是只读的，只能查看和导出",
    )
    with open_store(sqlite_url) as store:
        assert store.read_only
        service = StoreService(store, scorer=RuleScorer())
        assert [r.name for r in service.list_rounds()] == ["只读批次"]
        with pytest.raises(ReadOnlyError, match="只读的，只能查看和导出；本次修改未保存"):
            service.create_round("新批次", tier="srdi-sme", round_date=date(2026, 5, 20))
        with pytest.raises(ReadOnlyError, match="只读"), store.session() as session:
            session.execute(text("DELETE FROM rounds"))  # the connection itself cannot write
    assert path.read_bytes() == before


def test_a_full_disk_is_said_in_chinese_with_nothing_saved(sqlite_url):
    """SQLite's "database or disk is full" (SQLITE_FULL) and PostgreSQL's disk_full (53100)
    are a full disk in Chinese: nothing of this change was saved, what was saved before is
    intact; not an unexpected error with the SQL text."""
    from sqlalchemy.exc import OperationalError

    from zjtx.store.engine import explain_database_error

    store = open_store(sqlite_url)
    orig = sqlite3.OperationalError("database or disk is full")
    orig.sqlite_errorname = "SQLITE_FULL"
    error = explain_database_error(OperationalError("INSERT …", {}, orig), store)
    assert error is not None
    assert str(error) == (
        f"磁盘空间不足：数据库 {store.location.sqlite_path} 所在的磁盘已满，本次修改未保存，"
        "此前保存的数据未受影响；请清理磁盘空间后重试"
    )
    orig = sqlite3.OperationalError("disk I/O error")
    orig.sqlite_errorname = "SQLITE_IOERR_WRITE"
    error = explain_database_error(OperationalError("COMMIT", {}, orig), store)
    assert error is not None and "时出错（常见于磁盘已满或存储设备故障），本次修改未保存" in str(
        error
    )
    store.close()


def test_a_database_path_that_cannot_be_opened_is_named_by_its_file(tmp_path):
    """A database path that is a folder: the message names the file (not an SQLAlchemy URL)
    and says why in Chinese, not "unable to open database file"."""
    folder = tmp_path / "zjtx.sqlite3"
    folder.mkdir()
    with pytest.raises(DatabaseOpenError) as caught:
        open_store(f"sqlite:///{folder}")
    said = str(caught.value)
    assert said.startswith(f"无法打开数据库 {folder}：") and "sqlite:" not in said
    assert "unable to open" not in said, said


@pytest.mark.parametrize(
    ("driver", "said"),
    [
        (
            'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
            'password authentication failed for user "zjtx_app"',
            "密码错误（账户 zjtx_app）",
        ),
        ("connection failed: fe_sendauth: no password supplied", "没有提供密码"),
        (
            "failed to resolve host 'db.example': [Errno -2] Name or service not known",
            "找不到服务器",
        ),
        (
            'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
            "refused\n\tIs the server running on that host and accepting TCP/IP connections?",
            "服务器拒绝连接",
        ),
        ("connection timeout expired", "连接服务器超时"),
        ('connection failed: FATAL:  database "zjtx2" does not exist', "数据库 zjtx2 不存在"),
        (
            'connection is bad: connection to server on socket "/nonexist/.s.PGSQL.5432" '
            "failed: No such file or directory",
            "找不到本机的数据库服务",
        ),
    ],
    ids=["password", "no-password", "host", "refused", "timeout", "database", "socket"],
)
def test_postgresql_connection_errors_are_said_in_chinese(driver, said):
    """libpq's reasons for a failed connection are said in Chinese with what to check."""
    from zjtx.store.engine import driver_text

    text = driver_text(driver)
    assert said in text, text
    assert not any("a" <= ch <= "z" for ch in text.replace("zjtx_app", "").replace("zjtx2", "")
                   .replace("pgpass", "").replace("PostgreSQL", "")), text  # fmt: skip


def test_a_server_gone_mid_operation_is_said_in_chinese():
    """The server lost in the middle of a save: a Chinese message saying the change may not
    have been made and how to check, not an unexpected error with the driver's English."""
    from sqlalchemy.exc import OperationalError

    from zjtx.store.engine import explain_database_error

    class _Store:
        location = resolve_location("postgresql+psycopg://zjtx_app@db.example/zjtx")
        write_wait = 15.0
        read_only_reason = None

    orig = Exception("consuming input failed: server closed the connection unexpectedly")
    error = explain_database_error(OperationalError("SELECT …", {}, orig), _Store())
    assert error is not None
    assert "与数据库服务器 db.example 的连接中断" in str(error), str(error)
    assert "可能" in str(error) and "核对" in str(error)


def test_an_emptied_database_file_is_refused_not_started_afresh(tmp_path):
    """A database file that held rounds and is now 0 bytes (a copy or sync cut short) is
    refused, naming the file and what to restore; it is not silently started afresh as an
    empty database. A 0-byte file that never held anything opens as a new one."""
    from zjtx.store.errors import DatabaseDamagedError

    path = tmp_path / "zjtx.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        StoreService(store).create_round("甲", tier="srdi-sme", round_date=date(2026, 6, 1))
    path.write_bytes(b"")
    with pytest.raises(DatabaseDamagedError) as caught:
        open_store(f"sqlite:///{path}")
    assert f"数据库文件 {path} 是空的（0 字节）" in str(caught.value), str(caught.value)
    assert path.stat().st_size == 0  # left as found
    fresh = tmp_path / "新.sqlite3"
    fresh.write_bytes(b"")
    open_store(f"sqlite:///{fresh}").close()
    # Opening writes the file's header before its check is stamped: a file whose creation
    # was cut short is never found empty with a stamp.
    cut = tmp_path / "中断.sqlite3"
    cut.write_bytes(b"")
    engine = create_store_engine(resolve_location(f"sqlite:///{cut}"))
    check_sqlite_integrity(engine, cut)
    engine.dispose()
    assert cut.stat().st_size > 0


def test_a_name_libpq_quotes_keeps_its_case():
    """A role or database named in libpq's message is named as written (Nobody, not nobody)."""
    from zjtx.store.engine import driver_text

    assert driver_text('FATAL:  role "Nobody" does not exist').startswith("账户 Nobody 不存在")
