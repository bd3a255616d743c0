"""Pooled against in-process scoring: what a round stored, and a spy on the worker pool."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from zjtx.intake.synthetic import applicants
from zjtx.intake.templates import write_roster_template
from zjtx.scoring.catalogue import load_catalogue
from zjtx.store import open_store, scoring_pool

# A 2026 小巨人 round of a small file scored under two rulebooks (新申报 and 复核).
ROUND = "2026年小巨人"
YEAR = 2026
COUNT = 40


def two_rulebook_people() -> list[dict[str, Any]]:
    """COUNT applicants of both types: the round scores them under two rulebooks."""
    rows = applicants(COUNT, YEAR)
    assert {row["application_type"] for row in rows} == {"new", "renewal"}
    return rows


def write_people_roster(path: Path, people: list[dict[str, Any]]) -> Path:
    """The people as a roster workbook of our template."""
    write_roster_template(path, load_catalogue(), YEAR, people)
    return path


def stored_contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a round's imports, reviews and rescores stored, without the moments they were
    stored at."""
    store = open_store(url)
    queries = {
        "applicants": "SELECT id, uscc, name, current_version_id, current_evaluation_id "
        "FROM applicants ORDER BY id",
        "versions": 'SELECT id, applicant_id, number, "values", provenance, values_hash, '
        "issues, warnings FROM applicant_versions ORDER BY id",
        "evaluations": "SELECT id, applicant_id, version_id, rulebook_id, rulebook_hash, "
        "input_hash, verdict, score, max_score, open_judgements, cause FROM evaluations "
        "ORDER BY id",
        "results": "SELECT evaluation_id, result FROM evaluation_results ORDER BY evaluation_id",
        # the text as stored (a worker may encode it): the same bytes
        "stored": "SELECT evaluation_id, CAST(result AS TEXT) FROM evaluation_results "
        "ORDER BY evaluation_id",
        "texts": "SELECT rulebook_hash, rulebook_id, texts FROM rulebook_texts "
        "ORDER BY rulebook_hash",
        "events": 'SELECT action, entity, entity_id, applicant_id, uscc, "before", "after" '
        "FROM audit_events WHERE action <> 'file-import' ORDER BY id",
    }
    try:
        with store.session() as session:
            return {
                name: [tuple(plain(v) for v in row) for row in session.execute(text(sql))]
                for name, sql in queries.items()
            }
    finally:
        store.close()


def plain(value: Any) -> Any:
    if isinstance(value, str) and value.startswith('{"'):  # a result's text as stored
        return re.sub(r'"at":"[^"]*"', '"at":"…"', value)
    if isinstance(value, str) and value.startswith(("{", "[")):
        value = json.loads(value)  # PostgreSQL's JSON text and SQLite's read alike
    if isinstance(value, dict | list):
        # A confirmation keeps the moment it was made: the one thing two runs cannot share.
        return re.sub(r'"at": "[^"]*"', '"at": "…"', json.dumps(value, sort_keys=True))
    return value


def create_pg(base: str, url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{make_url(url).database}"'))
    admin.dispose()


def drop_pg(base: str, url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


class PoolSpy:
    """Counts the pieces the workers scored (their futures ran to completion)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pools = 0
        self.futures: list[Any] = []
        real = scoring_pool.process_pool

        def spying(*args: Any, **kwargs: Any) -> Any:
            executor = real(*args, **kwargs)
            self.pools += 1
            submit = executor.submit

            def counted(*a: Any, **k: Any) -> Any:
                future = submit(*a, **k)
                self.futures.append(future)
                return future

            executor.submit = counted
            return executor

        monkeypatch.setattr(scoring_pool, "process_pool", spying)

    @property
    def scored_by_workers(self) -> int:
        return sum(1 for f in self.futures if f.done() and not f.cancelled())
