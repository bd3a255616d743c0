"""Bulk SQL for imports and listings: many rows per statement on SQLite and PostgreSQL."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, bindparam, column, func, insert, select, type_coerce
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from zjtx.store.codec import JSONText
from zjtx.store.models import Applicant, Evaluator

PG_BATCH = 2000  # rows per json_to_recordset document on PostgreSQL


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_many(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """INSERT many rows in order and return their ids (in the same order).

    On PostgreSQL the rows travel as one JSON document per batch, unpacked by the server with
    json_to_recordset, and the ids are drawn from the table's sequence first: psycopg would
    otherwise convert hundreds of thousands of parameters one by one, which made storing a
    10,000-applicant file cost more than reading and scoring it.
    """
    if not rows:
        return []
    table = model.__table__
    has_id = "id" in table.c
    if session.get_bind().dialect.name != "postgresql":
        connection = session.connection()
        names = tuple(rows[0])
        if _plain_rows(table, names, rows):
            return _sqlite_insert(connection, table, names, rows)
        # Core statements on the session's connection: the ORM's bulk path would look at
        # every row through the mapper first, which cost more than SQLite's own work.
        if has_id:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(connection.scalars(statement, rows))
        connection.execute(insert(table), rows)
        return []
    ids: list[int] = []
    for batch in chunks(rows, PG_BATCH):
        if has_id:
            sequence = func.pg_get_serial_sequence(table.name, "id")
            batch_ids = list(
                session.scalars(
                    select(func.nextval(sequence)).select_from(func.generate_series(1, len(batch)))
                )
            )
            batch = [{"id": i, **row} for i, row in zip(batch_ids, batch, strict=True)]
            ids.extend(batch_ids)
        names = list(batch[0])
        record = (
            func.json_to_recordset(bindparam("rows", [_jsonable(r) for r in batch], type_=JSON))
            .table_valued(*[column(n, _plain_type(table.c[n].type)) for n in names])
            .render_derived(with_types=True)
        )
        session.execute(insert(table).from_select(names, select(*[record.c[n] for n in names])))
    return ids


def _plain_rows(table: Any, names: tuple[str, ...], rows: list[dict[str, Any]]) -> bool:
    """Whether rows can go to the driver as they are: every row names the same columns and
    no column left out has a default to fill in."""
    left_out = [c for c in table.c if c.name not in names and c.name != "id"]
    if any(c.default is not None or c.onupdate is not None for c in left_out):
        return False
    return all(len(row) == len(names) for row in rows) and all(tuple(row) == names for row in rows)


def _sqlite_insert(
    connection: Any, table: Any, names: tuple[str, ...], rows: list[dict[str, Any]]
) -> list[int]:
    """INSERT rows with one driver executemany: each column's values go through its type's
    bind processor (JSON text, timestamps) once, column by column, instead of SQLAlchemy
    preparing every row's parameters. Ids are given, following the largest one as SQLite would
    (the import holds the database's one write lock)."""
    dialect = connection.dialect
    columns = [[row[name] for row in rows] for name in names]
    ids: list[int] = []
    if "id" in table.c and "id" not in names:
        last = connection.scalar(select(func.max(table.c.id))) or 0
        ids = list(range(last + 1, last + 1 + len(rows)))
        names, columns = ("id", *names), [ids, *columns]
    for position, name in enumerate(names):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            if isinstance(table.c[name].type, JSON):
                process = _keeping_text(process)
            columns[position] = list(map(process, columns[position]))
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' * len(names))})"
    )
    connection.exec_driver_sql(statement, list(zip(*columns, strict=True)))
    return ids


def _keeping_text(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's bind processor that stores an already encoded value as it is."""

    def bind(value: Any) -> Any:
        return value.text if value.__class__ is JSONText else process(value)

    return bind


def _plain_type(column_type: Any) -> Any:
    """The database type to declare in json_to_recordset (TypeDecorators unwrapped)."""
    return getattr(column_type, "impl_instance", column_type)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat()
        if isinstance(v, datetime)
        else json.loads(v.text)
        if v.__class__ is JSONText
        else v
        for k, v in row.items()
    }


def point_applicants(session: Session, rows: list[dict[str, Any]]) -> None:
    """Set name and current version/evaluation of many applicants at once."""
    if session.get_bind().dialect.name != "postgresql":
        table = Applicant.__table__
        statement = (
            sql_update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                name=bindparam("new_name"),
                current_version_id=bindparam("new_version"),
                current_evaluation_id=bindparam("new_evaluation"),
            )
        )
        params = [
            {
                "row_id": r["id"],
                "new_name": r["name"],
                "new_version": r["current_version_id"],
                "new_evaluation": r["current_evaluation_id"],
            }
            for r in rows
        ]
        session.connection().execute(statement, params)  # executemany: cheap on SQLite
        return
    for batch in chunks(rows, PG_BATCH):
        record = (
            func.json_to_recordset(bindparam("rows", list(batch), type_=JSON))
            .table_valued(
                column("id", Integer),
                column("name", String),
                column("current_version_id", Integer),
                column("current_evaluation_id", Integer),
            )
            .render_derived(with_types=True)
        )
        session.execute(
            sql_update(Applicant)
            .where(Applicant.id == record.c.id)
            .values(
                name=record.c.name,
                current_version_id=record.c.current_version_id,
                current_evaluation_id=record.c.current_evaluation_id,
            )
            .execution_options(synchronize_session=False)
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that exist before a bulk import.

    A 10,000-row roster is millions of small objects; without this, every full collection
    walks them all again and storing costs twice as much. Nothing is leaked: the objects are
    handed back to the collector afterwards.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def gc_by_chunk() -> Iterator[Callable[[], Any]]:
    """gc_paused, with the cyclic collector run only when the caller has finished a chunk
    (call what this yields). A chunk's evaluations are cycles that die together; left to its
    own schedule the collector walked the import's survivors again and again, a quarter of
    the time of a 10,000-row import. What survives a chunk's collection is frozen, so the
    next collection walks only what the next chunk made, not what the import keeps for all
    its chunks (their values, or the results workers have sent ahead). Collections are
    process-wide: other threads' garbage is collected at the same moments."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()

    def collect() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield collect
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


class EvaluatorNames(dict[int, str]):
    """Evaluator names by id, read once; someone added meanwhile is looked up on demand."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.execute(select(Evaluator.id, Evaluator.name)).all())
        self.session = session

    def __missing__(self, key: int) -> str:
        name = self.session.get_one(Evaluator, key).name
        self[key] = name
        return name


class StampReader:
    """Timestamps for the round table: SQLite's text parsed by datetime.fromisoformat (C),
    much faster over 10,000 rows than the generic DateTime result processing."""

    def __init__(self, dialect: str) -> None:
        self.raw_text = dialect == "sqlite"

    def column(self, column: Any) -> Any:
        return type_coerce(column, String) if self.raw_text else column

    def parse(self, value: Any) -> datetime | None:
        if value is None or not self.raw_text:
            return value
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
