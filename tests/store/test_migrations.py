"""Upgrading a database that holds data from the first schema loses nothing."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import Engine, MetaData, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.store.helpers import RuleScorer, make_applicant, make_file, make_uscc, warning
from zjtx.store import DatabaseOpenError, StoreService, open_store
from zjtx.store.engine import (
    create_store_engine,
    current_revision,
    head_revision,
    migrate,
    sqlite_backups,
)
from zjtx.store.settings import resolve_location

FIRST = "0001"
# Columns later revisions add: (table, column, SQL type).
LATER_COLUMNS = (
    ("rounds", "archived_at", "TIMESTAMP"),
    ("applicant_versions", "province", "TEXT"),
    ("applicant_versions", "city", "TEXT"),
    ("applicant_versions", "county", "TEXT"),
    ("reviews", "verdict_at_decision", "VARCHAR(20)"),
    ("applicant_versions", "warned_at", "TIMESTAMP"),
    ("reviews", "panel_changed_at", "TIMESTAMP"),
    ("rounds", "registry_checks", "INTEGER"),
    ("evaluations", "score_max", "VARCHAR(40)"),
    ("import_files", "refused", "JSON"),
)
PLACE = {"province": "浙江省", "city": "杭州市"}


def _dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every zjtx table, ordered by primary key."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [
                dict(row._mapping)
                for row in connection.execute(select(table).order_by(*table.primary_key))
            ]
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }


def _fill_first_schema(url: str, tmp_path) -> None:
    """A database at the first revision with rounds, versions, reviews and audit events."""
    location = resolve_location(url)
    engine = create_store_engine(location)
    migrate(engine, location, target=FIRST)
    engine.dispose()
    store = open_store(url, upgrade=False)
    try:
        assert current_revision(store.engine) == FIRST
        # Columns later revisions add exist only while today's service writes the old data.
        with store.engine.begin() as connection:
            for table, name, kind in LATER_COLUMNS:
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {kind}"))
        service = StoreService(store, scorer=RuleScorer())
        # As the service was at the first revision: complete results, no rulebook_texts table.
        service.evaluations.compact = lambda session, evaluation: evaluation.to_dict()
        service.evaluations.texts = lambda *args, **kwargs: None
        # ... and no register (培育库, revision 0007) to check the applicants against.
        mock.patch("zjtx.store.imports.cross_check", return_value=[]).start()
        # ... nor expert panels (revision 0008) to ask who may decide.
        mock.patch("zjtx.store.reviews.check_decider").start()
        mock.patch("zjtx.store.reviews.check_not_recused").start()
        service.create_round("旧批次", tier="srdi-sme", round_date=date(2025, 5, 1))
        service.import_file(
            "旧批次",
            make_file(
                tmp_path / "a.xlsx",
                [make_applicant(1, **PLACE), make_applicant(2)],
                issues=[warning(make_uscc(1))],
            ),
        )
        service.import_file(
            "旧批次", make_file(tmp_path / "b.xlsx", [make_applicant(1, rd="90", **PLACE)])
        )
        service.apply_review(
            "旧批次",
            make_uscc(1),
            evaluator="王评审",
            confirm=[("T-JUDGE", "met")],
            ack_warnings=[],
            reason="属于重点领域",
        )
        service.decide("旧批次", make_uscc(2), "reject", "不符合", evaluator="李组长")
        # Data corrected after the decision: a later evaluation with another verdict.
        service.import_file(
            "旧批次", make_file(tmp_path / "d.xlsx", [make_applicant(2, revenue="500")])
        )
        with store.engine.begin() as connection:
            for table, name, _ in LATER_COLUMNS:
                connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {name}"))
    finally:
        mock.patch.stopall()
        store.close()


def test_upgrade_from_the_first_schema_keeps_every_row(database_url, tmp_path):
    """Opening a first-schema database migrates it to the head with all rows unchanged."""
    _fill_first_schema(database_url, tmp_path)
    location = resolve_location(database_url)
    engine = create_store_engine(location)
    before = _dump(engine)
    engine.dispose()
    assert sum(len(rows) for rows in before.values()) > 20

    with open_store(database_url) as store:
        assert current_revision(store.engine) == head_revision() != FIRST
        after = _dump(store.engine)
        assert after.pop("rulebook_texts") == []  # the table revision 3 added
        assert after.pop("registry_lists") == after.pop("registry_entries") == []  # revision 7
        for table in ("panels", "panel_members", "panel_judgements", "panel_opinions",
                      "panel_recusals"):  # fmt: skip
            assert after.pop(table) == []  # revision 8
        assert after.pop("mapping_profiles") == []  # revision 9
        # Columns added later: rounds are not archived; versions' regions come from their values.
        added = {
            table: [{n: row.pop(n) for t, n, _ in LATER_COLUMNS if t == table} for row in rows]
            for table, rows in after.items()
        }
        # ... and their register warnings were given by older checks (revision 14).
        assert added["rounds"] == [{"archived_at": None, "registry_checks": None}]
        # ... and no file of before revision 16 kept the rows the gate refused.
        assert {row["refused"] for row in added["import_files"]} == {None}
        # ... and no register has warned of any version since (revision 12).
        assert added["applicant_versions"] == [
            {"province": "浙江省", "city": "杭州市", "county": None, "warned_at": None},
            {"province": None, "city": None, "county": None, "warned_at": None},
            {"province": "浙江省", "city": "杭州市", "county": None, "warned_at": None},
            {"province": None, "city": None, "county": None, "warned_at": None},
        ]
        # A decision keeps the verdict of the evaluation current when it was taken, not a
        # later one; a review without a decision has none.
        assert added["reviews"] == [
            {"verdict_at_decision": None, "panel_changed_at": None},
            {"verdict_at_decision": "pending", "panel_changed_at": None},
        ]
        assert after == before
        service = StoreService(store, scorer=RuleScorer())
        assert [r.name for r in service.list_rounds()] == ["旧批次"]
        assert [r.region for r in service.list_applicants("旧批次", sort="uscc")] == [
            "浙江省杭州市",
            "",
        ]
        assert [r.uscc for r in service.list_applicants("旧批次", sort="uscc")] == [
            make_uscc(1),
            make_uscc(2),
        ]
        assert service.review_state("旧批次", make_uscc(2)).decision == "reject"
        assert service.review_state("旧批次", make_uscc(2)).decision_outdated_reason == (
            "决定作出后企业数据已重新导入，评价结论由“待定”变为“不符合条件”"
        )
        assert len(service.applicant_detail("旧批次", make_uscc(1)).versions) == 2
        # Complete results of the first schema read as before; new ones share the texts.
        old_result = service.review_state("旧批次", make_uscc(2)).evaluation
        assert old_result["criteria"][0]["clause"] == "测试条款"
        service.import_file("旧批次", make_file(tmp_path / "c.xlsx", [make_applicant(5)]))
        assert (
            service.review_state("旧批次", make_uscc(5)).evaluation["criteria"][0]["clause"]
            == "测试条款"
        )
        # The new revision's guarantee now holds for the old rows too.
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            from zjtx.store.models import AuditEvent

            connection.execute(update(AuditEvent).values(reason="x"))


def test_sqlite_file_is_copied_aside_before_migrating(sqlite_url, tmp_path):
    """The pre-upgrade copy is a private, complete first-schema database."""
    _fill_first_schema(sqlite_url, tmp_path)
    open_store(sqlite_url).close()
    backups = list((tmp_path / "data").glob("zjtx.sqlite3.before-*.bak"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o077 == 0
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (FIRST,)
        ]
        assert connection.execute("SELECT count(*) FROM applicant_versions").fetchone() == (4,)


def test_failed_migrations_keep_a_bounded_number_of_backups(sqlite_url):
    """Each failed upgrade copies the file aside; only the three newest copies stay."""
    location = resolve_location(sqlite_url)
    engine = create_store_engine(location)
    migrate(engine, location, target="0001")
    with engine.begin() as db:  # revision 0002 creates this index: its upgrade fails
        db.exec_driver_sql("CREATE INDEX ix_audit_events_at ON audit_events (actor)")
    engine.dispose()
    assert location.sqlite_path is not None
    for _ in range(5):
        with pytest.raises(DatabaseOpenError, match="无法打开数据库"):
            open_store(sqlite_url)
    backups = sqlite_backups(location.sqlite_path)
    assert len(backups) == 3
    for backup in backups:
        with sqlite3.connect(backup) as db:
            assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_a_judgement_items_revision_saved_as_a_confirmation_becomes_an_override(
    database_url, tmp_path, monkeypatch
):
    """Before revision 0011 a 改判 of SR26-0 that the data had decided was stored as a
    confirmation (no effect); upgrading makes it the override it was meant as, which the
    next rescore applies. A confirmation of the item while it waited (金融业) stays one."""
    from tests.store.test_real_rulebooks import COMPLETE, _write, finance_record
    from zjtx.store import reviews

    manufacturer = {"name": "甲公司", "uscc": make_uscc(1), **COMPLETE}
    bank = finance_record(2, "乙金服")
    with open_store(database_url) as store:
        service = StoreService(store)
        service.create_round("2026", tier="srdi-sme", round_date=date(2026, 5, 20))
        service.import_paths("2026", [_write(tmp_path / "a.json", manufacturer, bank)])
        # As zjtx saved it before 0011: a judgement item's decision was always a confirmation.
        with monkeypatch.context() as old:
            old.setattr(reviews, "is_override", lambda judgement, computed: not judgement)
            for uscc, state in ((make_uscc(1), "unmet"), (make_uscc(2), "met")):
                service.confirm_criterion("2026", uscc, "SR26-0", state, "核实", evaluator="王")
        assert service.review_state("2026", make_uscc(1)).verdict == "pending"  # no effect
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0010'"))
            connection.execute(text("ALTER TABLE applicant_versions DROP COLUMN warned_at"))
            connection.execute(text("ALTER TABLE reviews DROP COLUMN panel_changed_at"))
            connection.execute(text("ALTER TABLE rounds DROP COLUMN registry_checks"))
            connection.execute(text("ALTER TABLE evaluations DROP COLUMN score_max"))
            connection.execute(text("ALTER TABLE import_files DROP COLUMN refused"))

    with open_store(database_url) as store:
        service = StoreService(store)
        overrides = {
            uscc: [i.override for i in service.review_state("2026", uscc).items]
            for uscc in (make_uscc(1), make_uscc(2))
        }
        assert overrides == {make_uscc(1): [True], make_uscc(2): [False]}
        report = service.rescore("2026", evaluator="王")
        assert report.verdict_changes == ((make_uscc(1), "pending", "not_qualified"),)


def test_a_round_with_no_applicant_is_not_left_to_recheck_after_the_upgrade(database_url, tmp_path):
    """Revision 0014: a round that held applicants before it asks for the register's checks
    again (an older zjtx gave its warnings); an empty round does not, even once imported."""
    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        service.create_round("有企业", tier="srdi-sme", round_date=date(2026, 5, 20))
        service.create_round("空批次", tier="srdi-sme", round_date=date(2026, 5, 20))
        service.import_file("有企业", make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0013'"))
            connection.execute(text("ALTER TABLE rounds DROP COLUMN registry_checks"))
            connection.execute(text("ALTER TABLE evaluations DROP COLUMN score_max"))
            connection.execute(text("ALTER TABLE import_files DROP COLUMN refused"))
    with open_store(database_url) as store, store.engine.connect() as connection:
        stamps = dict(connection.execute(text("SELECT name, registry_checks FROM rounds")).all())
    assert stamps == {"有企业": None, "空批次": 1}


def test_an_upgrade_waiting_on_another_pc_gives_up_in_chinese(postgres_url, monkeypatch):
    """A database another PC is upgrading (its migration lock held): opening it waits its
    bounded time for the upgrade, then says so in Chinese, not the driver's lock-timeout."""
    import sqlalchemy

    from zjtx.store import engine as engine_module
    from zjtx.store.errors import DatabaseOpenError

    open_store(postgres_url).close()
    with open_store(postgres_url) as store, store.engine.begin() as db:
        db.execute(sqlalchemy.text("UPDATE alembic_version SET version_num = '0013'"))
    monkeypatch.setattr(engine_module, "IMPORT_TURN_SECONDS", 1)
    other = sqlalchemy.create_engine(
        postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
    )
    try:
        with other.connect() as holder:
            holder.execute(
                sqlalchemy.text(
                    f"SELECT pg_advisory_xact_lock({engine_module._MIGRATION_LOCK_KEY})"
                )
            )
            with pytest.raises(DatabaseOpenError) as caught:
                open_store(postgres_url)
            holder.rollback()
    finally:
        other.dispose()
    assert "另一台电脑正在使用或升级" in str(caught.value), str(caught.value)


def test_an_open_score_stored_before_0015_reads_as_its_range(database_url, tmp_path):
    """Revision 0015: an evaluation stored before it with a score not yet fixed gets the most
    it could reach from its stored result (so it shows 70–95, unranked); a fixed one keeps
    NULL and its rank."""
    from tests.store.test_open_scores import _records, _write_round

    with open_store(database_url) as store:
        _write_round(StoreService(store), tmp_path, _records())
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0014'"))
            connection.execute(text("ALTER TABLE evaluations DROP COLUMN score_max"))
            connection.execute(text("ALTER TABLE import_files DROP COLUMN refused"))
    with open_store(database_url) as store:
        rows = StoreService(store).list_applicants("福州2026创新型")
        assert [(r.name, r.score_text, r.score_max, r.rank) for r in rows] == [
            ("甲公司", "85", None, 1),
            ("丙公司", "80", None, 2),
            ("乙公司", "70–95", Decimal(95), None),
        ]
