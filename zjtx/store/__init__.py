"""Persistence: SQLAlchemy models, sessions, repositories, migrations and the service API."""

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
from zjtx.store.engine import Store, open_store
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
from zjtx.store.service import StoreService

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
