"""Bulk inserts: rows written through the driver are stored exactly as SQLAlchemy stores them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from zjtx.store import open_store
from zjtx.store.bulk import insert_many
from zjtx.store.models import AuditEvent


def _events(count: int, action: str) -> list[dict]:
    at = datetime(2026, 5, 20, 9, 30, 15, 123456, tzinfo=UTC)
    return [
        {
            "at": at,
            "actor": "张三",
            "action": action,
            "entity": "applicant_version",
            "entity_id": index,
            "round_id": None,
            "applicant_id": None,
            "uscc": None if index % 2 else f"91{index:016d}",
            "before": None if index % 3 else {"version": index, "值": [1, 2.5, None]},
            "after": {"名称": "某某公司", "changed": {"x": ['a\n"b"', True]}, "n": index},
            "reason": None,
        }
        for index in range(count)
    ]


def test_bulk_rows_store_the_same_text_as_sqlalchemy_and_return_their_ids(database_url):
    """insert_many returns the new rows' ids in order, and every column reads back as from a
    plain SQLAlchemy INSERT (on SQLite, the same stored text: JSON, timestamps, NULLs)."""
    store = open_store(database_url)
    try:
        with store.session() as session:
            session.connection().execute(insert(AuditEvent.__table__), _events(5, "plain"))
            ids = insert_many(session, AuditEvent, _events(5, "bulk"))
            ids += insert_many(session, AuditEvent, _events(3, "bulk"))
        table = AuditEvent.__table__
        names = [c.name for c in table.c if c.name not in ("id", "action")]
        with store.engine.connect() as connection:
            quoted = ", ".join(f"CAST({n} AS TEXT)" for n in names)
            raw = connection.exec_driver_sql(
                f"SELECT id, action, {quoted} FROM audit_events ORDER BY id"
            ).all()
            typed = connection.execute(select(table).order_by(table.c.id)).all()
        plain = [row[2:] for row in raw if row[1] == "plain"]
        bulk = [row for row in raw if row[1] == "bulk"]
        assert [row[0] for row in bulk] == ids
        assert len(set(ids)) == 8 and ids == sorted(ids)
        if store.engine.dialect.name == "sqlite":  # PostgreSQL's batches store a None as NULL
            assert [row[2:] for row in bulk[:5]] == plain
        read = [{k: v for k, v in r._mapping.items() if k not in ("id", "action")} for r in typed]
        assert read[5:10] == read[:5]
        assert typed[6].before is None and typed[6].at == datetime(
            2026, 5, 20, 9, 30, 15, 123456, tzinfo=UTC
        )
    finally:
        store.close()
