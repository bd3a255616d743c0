"""The database defends itself: audit trail, damaged or read-only files, bounded backups."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.store.helpers import RuleScorer, make_applicant, make_file, make_uscc
from zjtx.store import DatabaseOpenError, StoreService, open_store
from zjtx.store.engine import create_store_engine, migrate, sqlite_backups
from zjtx.store.errors import DatabaseDamagedError, TextTooLongError
from zjtx.store.settings import resolve_location

ROOT = Path(__file__).resolve().parents[2]
ROUND = "完整性批次"


def _filled(service: StoreService, tmp_path: Path, count: int = 3) -> None:
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    applicants = [make_applicant(n) for n in range(1, count + 1)]
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", applicants))
    service.decide(ROUND, make_uscc(1), "reject", "营业收入不足", evaluator="王评审")


# ------------------------------------------------------------------ the audit trail (PostgreSQL)


@pytest.mark.postgres
def test_truncating_the_audit_trail_is_refused(postgres_url, tmp_path):
    """TRUNCATE of audit_events (directly or by a cascade) fails; the events stay."""
    with open_store(postgres_url) as store:
        _filled(StoreService(store, scorer=RuleScorer()), tmp_path)
        for statement in ("TRUNCATE audit_events", "TRUNCATE rounds CASCADE"):
            with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as db:
                db.execute(text(statement))
        with store.engine.connect() as db:
            assert db.execute(text("SELECT count(*) FROM audit_events")).scalar() >= 3


@pytest.fixture
def pg_roles(postgres_url) -> Iterator[tuple[str, str]]:
    """An owner role owning the test database and an application role, as README sets up."""
    admin_url = make_url(postgres_url)
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"zjtx_owner_{suffix}", f"zjtx_app_{suffix}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text(f"CREATE ROLE {owner} LOGIN"))
        db.execute(text(f"CREATE ROLE {app} LOGIN"))
        db.execute(text(f'ALTER DATABASE "{admin_url.database}" OWNER TO {owner}'))
    try:
        yield (
            admin_url.set(username=owner).render_as_string(hide_password=False),
            admin_url.set(username=app).render_as_string(hide_password=False),
        )
    finally:
        with admin.connect() as db:
            db.execute(text(f"REASSIGN OWNED BY {owner}, {app} TO CURRENT_USER"))
            db.execute(text(f"DROP OWNED BY {owner}, {app}"))
            db.execute(text(f"DROP ROLE {owner}, {app}"))
        admin.dispose()


def _readme_grants(app: str) -> list[str]:
    """The GRANT statements of README's PostgreSQL section, for the application role."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- zjtx-pg-grants -->")[1].split("```sql")[1].split("```")[0]
    return [
        s.strip().replace("zjtx_app", app)
        for s in block.split(";")
        if s.strip() and not s.strip().startswith("--")
    ]


@pytest.mark.postgres
def test_the_application_role_of_the_readme_cannot_alter_or_empty_the_trail(pg_roles, tmp_path):
    """With README's grants the application role works, but cannot drop, alter, disable
    triggers on, truncate or rewrite audit_events; the owner's TRUNCATE meets the trigger."""
    owner_url, app_url = pg_roles
    app = make_url(app_url).username
    with open_store(owner_url) as store, store.engine.begin() as db:  # the owner migrates
        for statement in _readme_grants(app):
            db.execute(text(statement))
    with open_store(app_url) as store:
        _filled(StoreService(store, scorer=RuleScorer()), tmp_path)
        for statement in (
            "ALTER TABLE audit_events DISABLE TRIGGER ALL",
            "DROP TABLE audit_events CASCADE",
            "TRUNCATE audit_events",
            "UPDATE audit_events SET reason = 'x'",
            "DELETE FROM audit_events",
            "DROP TRIGGER audit_events_no_truncate ON audit_events",
        ):
            with (
                pytest.raises(DBAPIError, match=r"must be owner|permission denied"),
                store.engine.begin() as db,
            ):
                db.execute(text(statement))
    with open_store(owner_url) as store:
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as db:
            db.execute(text("TRUNCATE audit_events"))
        with store.engine.begin() as db:  # as if this release were older than the database
            db.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    with pytest.raises(
        DatabaseOpenError, match=r"需要升级到结构版本.*无权创建或修改表结构.*所有者"
    ):
        open_store(app_url)


@pytest.mark.postgres
def test_the_application_role_on_a_new_database_is_told_it_has_no_tables_yet(pg_roles):
    """The application role opening a database the owner has not yet opened is told it holds
    no zjtx tables yet and who must create them, not that it needs an upgrade."""
    owner_url, app_url = pg_roles
    with open_store(owner_url, upgrade=False):  # reachable; nothing created
        pass
    with pytest.raises(DatabaseOpenError) as caught:
        open_store(app_url)
    said = str(caught.value)
    assert "还没有 zjtx 的数据表" in said and "所有者账户" in said and "升级" not in said, said


# ------------------------------------------------------------------ texts longer than columns


def test_an_overlong_name_blocks_its_row_only(database_url, tmp_path):
    """A 301-character enterprise name is an error for that row; the file's other rows are
    stored (PostgreSQL used to reject the whole file with a traceback)."""
    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
        long_name = "很长的企业名称" * 43  # 301 characters
        result = service.import_file(
            ROUND,
            make_file(
                tmp_path / "a.xlsx",
                [make_applicant(1), make_applicant(2, name=long_name), make_applicant(3)],
            ),
        )
        assert result.rows_imported == 2 and result.rows_blocked == 1
        [issue] = [i for i in result.issues if i.code == "store-text-too-long"]
        assert "301 个字符" in issue.message and "300 个字符" in issue.message
        assert issue.cell == "A3"
        assert [r.uscc for r in service.list_applicants(ROUND, sort="uscc")] == [
            make_uscc(1),
            make_uscc(3),
        ]


def test_overlong_round_names_evaluators_and_opinions_are_refused(database_url, tmp_path):
    """Round names and evaluators over 200 characters, opinions and reasons over 2,000: a
    Chinese message naming the field and the limit; nothing is stored."""
    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        with pytest.raises(TextTooLongError, match=r"批次名称有 201 个字符.*200 个字符"):
            service.create_round("批" * 201, tier="srdi-sme", round_date=date(2026, 5, 20))
        with pytest.raises(TextTooLongError, match="评审人姓名有 201 个字符"):
            service.create_round(
                ROUND, tier="srdi-sme", round_date=date(2026, 5, 20), evaluator="评" * 201
            )
        assert service.list_rounds() == []
        _filled(service, tmp_path)
        with pytest.raises(TextTooLongError, match="批次的新名称有 300 个字符"):
            service.rename_round(ROUND, "新" * 300)
        with pytest.raises(TextTooLongError, match=r"评审意见有 2001 个字符.*2000 个字符"):
            service.decide(ROUND, make_uscc(2), "recommend", "同" * 2001, evaluator="王评审")
        with pytest.raises(TextTooLongError, match="评审人姓名有 201 个字符"):
            service.decide(ROUND, make_uscc(2), "recommend", "同意", evaluator="王" * 201)
        with pytest.raises(TextTooLongError, match="理由有 2001 个字符"):
            service.apply_review(
                ROUND,
                make_uscc(2),
                confirm=[("T-JUDGE", "met")],
                reason="理" * 2001,
                evaluator="王评审",
            )
        assert service.review_state(ROUND, make_uscc(2)).decision is None


# ------------------------------------------------------------------ a damaged SQLite file


def _corrupt_a_middle_table_page(path: Path) -> int:
    """Overwrite a table b-tree leaf page near the middle of the file with garbage."""
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    pages = len(data) // page_size
    for number in [*range(pages // 2, pages), *range(pages // 2, 1, -1)]:
        start = number * page_size  # page number + 1, counting from 1
        if data[start] == 0x0D:  # a table leaf page
            data[start : start + page_size] = bytes((i * 37 + 11) % 251 for i in range(page_size))
            path.write_bytes(bytes(data))
            return number + 1
    raise AssertionError("no table leaf page found")


@pytest.fixture
def damaged_sqlite(sqlite_url, tmp_path) -> tuple[str, Path]:
    """A real file of several thousand rows, migrated once (so a backup exists), damaged."""
    location = resolve_location(sqlite_url)
    engine = create_store_engine(location)
    migrate(engine, location, target="0005")
    engine.dispose()
    with open_store(sqlite_url) as store:  # the upgrade to the head copies the file aside
        service = StoreService(store, scorer=RuleScorer())
        _filled(service, tmp_path, count=1500)
        with store.engine.connect() as db:
            db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = location.sqlite_path
    assert path is not None
    assert len(sqlite_backups(path)) == 1
    _corrupt_a_middle_table_page(path)
    return sqlite_url, path


def test_a_damaged_file_is_refused_on_open_naming_the_backup(damaged_sqlite):
    """Opening a file with a garbage page says it is damaged and which backup to restore."""
    url, path = damaged_sqlite
    with pytest.raises(DatabaseDamagedError) as failure:
        open_store(url)
    message = str(failure.value)
    assert f"数据库文件 {path} 已损坏" in message
    assert str(sqlite_backups(path)[0]) in message
    assert "复制为" in message


def test_large_files_are_checked_daily_and_before_exports(damaged_sqlite, monkeypatch):
    """A file too large to check on every open is checked before a whole-round export and
    on the first open of a day."""
    from zjtx.store import engine as engine_module

    url, path = damaged_sqlite
    monkeypatch.setattr(engine_module, "QUICK_CHECK_EVERY_OPEN_BYTES", 0)
    with open_store(url) as store:  # checked less than a day ago: not checked again now
        service = StoreService(store, scorer=RuleScorer())
        assert [r.name for r in service.list_rounds()] == [ROUND]
        with pytest.raises(DatabaseDamagedError, match=str(sqlite_backups(path)[0].name)):
            next(service.round_details(ROUND))
    stamp = path.with_name(f"{path.name}.checked")
    day_ago = stamp.stat().st_mtime - 25 * 3600
    os.utime(stamp, (day_ago, day_ago))
    with pytest.raises(DatabaseDamagedError, match="已损坏"):
        open_store(url)


def test_damage_found_while_exporting_is_explained(sqlite_url, tmp_path):
    """Damage done after opening: reading every detail (as exports do) raises the same
    Chinese message, not the driver's DatabaseError."""
    with open_store(sqlite_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        _filled(service, tmp_path, count=1500)
        with store.engine.connect() as db:
            db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        store.engine.dispose()  # no page stays cached
        path = store.location.sqlite_path
        assert path is not None
        _corrupt_a_middle_table_page(path)
        with pytest.raises(DatabaseDamagedError, match=r"已损坏.*没有 zjtx 的自动备份"):
            service.round_details(ROUND)  # what the exports of a whole round read
            for uscc in [make_uscc(n) for n in range(1, 1501)]:
                service.applicant_detail(ROUND, uscc)


# ------------------------------------------------------------------ a read-only data folder


def _as_other_user(command: list[str]) -> list[str]:
    # root writes anywhere: the refusal can only be seen as an ordinary user.
    if os.geteuid() == 0:
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return command


def test_a_read_only_data_folder_can_be_read_and_says_why_it_cannot_be_written(tmp_path):
    """A read-only folder: round list and show work, a change exits 1 saying it is read-only."""
    folder = Path(tempfile.mkdtemp(prefix="zjtx-ro-", dir="/tmp"))
    try:
        data = folder / "数据"
        with open_store(f"sqlite:///{data / 'zjtx.sqlite3'}") as store:
            _filled(StoreService(store, scorer=RuleScorer()), tmp_path)
        folder.chmod(0o755)
        data.chmod(0o755 if os.geteuid() == 0 else 0o555)
        (data / "zjtx.sqlite3").chmod(0o644 if os.geteuid() == 0 else 0o444)

        def zjtx(*args: str) -> subprocess.CompletedProcess[str]:
            env = {**os.environ, "ZJTX_DATA_DIR": str(data), "HOME": str(folder)}
            env.pop("ZJTX_DATABASE_URL", None)
            return subprocess.run(
                _as_other_user([sys.executable, "-m", "zjtx", *args]),
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=120,
            )

        listed = zjtx("round", "list")
        assert listed.returncode == 0, listed.stderr
        assert ROUND in listed.stdout
        assert "注意" in listed.stderr and "只能查看和导出" in listed.stderr
        shown = zjtx("round", "show", ROUND)
        assert shown.returncode == 0, shown.stderr
        assert "测试企业1有限公司" in shown.stdout
        created = zjtx("round", "create", "新批次", "--tier", "srdi-sme", "--date", "2026-06-01")
        assert created.returncode == 1, created.stderr
        assert "只读" in created.stderr and "未保存" in created.stderr
        assert "Traceback" not in created.stderr + listed.stderr + shown.stderr
        # Nothing was written: no journal files, no check stamp of this user.
        assert sorted(p.name for p in data.iterdir()) == ["zjtx.sqlite3", "zjtx.sqlite3.checked"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
