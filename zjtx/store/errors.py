"""Errors of the store, with Chinese messages fit to show to an evaluator."""

from __future__ import annotations

from zjtx.domain.errors import Cancelled


class StoreError(Exception):
    """A problem with the database or a request to it, explained in Chinese."""


class DatabaseOpenError(StoreError):
    """The database cannot be opened or migrated (the message never shows a password)."""


class NotFoundError(StoreError, LookupError):
    """A round, applicant or criterion named by the user does not exist."""


class InvalidRequestError(StoreError, ValueError):
    """A request the store refuses as given (a name, a key, a reason); the user can correct it."""


class ReviewRuleError(InvalidRequestError):
    """A review action that the workflow does not allow (missing reason, open items...)."""


class RoundNameError(InvalidRequestError):
    """A round name that is empty, taken or unchanged."""


class SortKeyError(InvalidRequestError):
    """A sort key of the round table that does not exist."""


class RoundArchivedError(StoreError):
    """A change to an archived round (read-only until it is restored)."""


class ConflictError(StoreError):
    """Another evaluator saved the same review first; the message says what they changed."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class DatabaseBusyError(StoreError):
    """Another writer (an import, usually) held the database longer than a save may wait."""


class ReadOnlyError(StoreError):
    """A change to a database opened read-only (its folder or file cannot be written)."""


class DatabaseDamagedError(DatabaseOpenError):
    """The SQLite file is damaged; the message names the automatic backup to restore."""


class TextTooLongError(InvalidRequestError):
    """A text longer than its column allows (the message names the field and the limit)."""


class StoreCancelled(Cancelled, StoreError):
    """The user cancelled a store operation; the database is as it was before it."""


class ImportCancelled(StoreCancelled):
    """The user cancelled an import; the file being imported left no trace."""


class RescoreCancelled(StoreCancelled):
    """The user cancelled rescoring a round; no evaluation was added."""


class ReadCancelled(StoreCancelled):
    """The user cancelled reading a whole round (for an export); nothing was written."""
