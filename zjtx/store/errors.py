"""Errors of the store, with Chinese messages fit to show to an evaluator."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database or a request to it, explained in Chinese."""


class DatabaseOpenError(StoreError):
    """The database cannot be opened or migrated (the message never shows a password)."""


class NotFoundError(StoreError, LookupError):
    """A round, applicant or criterion named by the user does not exist."""


class ReviewRuleError(StoreError, ValueError):
    """A review action that the workflow does not allow (missing reason, open items...)."""


class RoundArchivedError(StoreError):
    """A change to an archived round (read-only until it is restored)."""


class ConflictError(StoreError):
    """Another evaluator saved the same review first; the message says what they changed."""

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version
