"""Persistence: SQLAlchemy models, sessions, repositories, migrations and the service API."""

from zjtx.store.dto import (
    ApplicantDetail,
    ApplicantRow,
    Decision,
    FileImport,
    FileRead,
    HistoryEntry,
    RescoreReport,
    ReviewState,
    ReviewStatus,
    RoundInfo,
    RoundStatistics,
)
from zjtx.store.engine import Store, open_store
from zjtx.store.errors import (
    ConflictError,
    DatabaseOpenError,
    NotFoundError,
    ReviewRuleError,
    RoundArchivedError,
    StoreError,
)
from zjtx.store.service import ImportCancelled, StoreService

__all__ = [
    "ApplicantDetail",
    "ApplicantRow",
    "ConflictError",
    "DatabaseOpenError",
    "Decision",
    "FileImport",
    "FileRead",
    "HistoryEntry",
    "ImportCancelled",
    "NotFoundError",
    "RescoreReport",
    "ReviewRuleError",
    "ReviewState",
    "ReviewStatus",
    "RoundArchivedError",
    "RoundInfo",
    "RoundStatistics",
    "Store",
    "StoreError",
    "StoreService",
    "open_store",
]
