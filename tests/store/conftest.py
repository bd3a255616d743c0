"""Store fixtures: the same tests run on an SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.store.helpers import RuleScorer
from zjtx.store import StoreService, open_store

PG_ENV = "ZJTX_TEST_DATABASE_URL"


def _fresh_postgres_database() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI 中必须提供 {PG_ENV}（.ci/start-postgres.sh 启动的 PostgreSQL）")
        pytest.skip(f"{PG_ENV} is not set (CI always sets it)")
    url = make_url(base)
    name = f"zjtx_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL of an empty database: an SQLite file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'zjtx.sqlite3'}"
    else:
        yield from _fresh_postgres_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'zjtx.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _fresh_postgres_database()


@pytest.fixture
def scorer() -> RuleScorer:
    return RuleScorer()


@pytest.fixture
def service(database_url: str, scorer: RuleScorer) -> Iterator[StoreService]:
    """A service over a freshly migrated database, scoring with the test rulebook."""
    store = open_store(database_url)
    try:
        yield StoreService(store, scorer=scorer)
    finally:
        store.close()
