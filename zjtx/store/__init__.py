"""Persistence: SQLAlchemy models, sessions, repositories, migrations and the service API."""

import importlib
from typing import TYPE_CHECKING, Any

from zjtx.domain.labels import Decision, ReviewStatus
from zjtx.store.dto import (
    ApplicantDetail,
    ApplicantRow,
    FileImport,
    HistoryEntry,
    RescoreReport,
    ReviewState,
    RoundInfo,
    RoundStatistics,
)
from zjtx.store.errors import (
    ConflictError,
    DatabaseOpenError,
    ImportCancelled,
    InvalidRequestError,
    NotFoundError,
    ReadCancelled,
    RescoreCancelled,
    ReviewRuleError,
    RoundArchivedError,
    RoundNameError,
    SortKeyError,
    StoreCancelled,
    StoreError,
)

if TYPE_CHECKING:
    from zjtx.store.engine import Store, open_store
    from zjtx.store.service import StoreService

# The database engine (SQLAlchemy, Alembic) and the service are imported when first asked
# for: a scoring worker process (zjtx.store.scoring_pool) needs neither, and importing them
# was most of its start.
_LAZY = {"Store": "engine", "open_store": "engine", "StoreService": "service"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"zjtx.store.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ApplicantDetail",
    "ApplicantRow",
    "ConflictError",
    "DatabaseOpenError",
    "Decision",
    "FileImport",
    "HistoryEntry",
    "ImportCancelled",
    "InvalidRequestError",
    "NotFoundError",
    "ReadCancelled",
    "RescoreCancelled",
    "RescoreReport",
    "ReviewRuleError",
    "ReviewState",
    "ReviewStatus",
    "RoundArchivedError",
    "RoundInfo",
    "RoundNameError",
    "RoundStatistics",
    "SortKeyError",
    "Store",
    "StoreCancelled",
    "StoreError",
    "StoreService",
    "open_store",
]
