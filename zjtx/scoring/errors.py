"""Errors raised while loading data files, with file, rule id and a "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, or None when nothing is close."""
    pool = list(candidates)
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = [lowered[m] for m in difflib.get_close_matches(name.lower(), lowered, n=1)]
    return matches[0] if matches else None


class DataFileError(ValueError):
    """A bundled or user data file (catalogue, rulebook, overlay) is invalid.

    The message names the file, the rule id (or field key) and what is wrong, plus a
    suggestion for misspelt names.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        rule: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.file = file
        self.rule = rule
        self.detail = message
        self.suggestion = suggestion
        text = f"{file}"
        if rule:
            text += f" [{rule}]"
        text += f": {message}"
        if suggestion:
            text += f"（您是不是要写 “{suggestion}”？）"
        super().__init__(text)


class UnknownNameError(LookupError):
    """An unknown rulebook id, tier, overlay or field key given by the user."""

    def __init__(self, kind: str, name: str, candidates: Iterable[str]) -> None:
        pool = sorted(candidates)
        self.kind = kind
        self.name = name
        self.suggestion = did_you_mean(name, pool)
        text = f"未知的{kind}“{name}”"
        if self.suggestion:
            text += f"，您是不是要写 “{self.suggestion}”？"
        text += f"可用：{', '.join(pool)}"
        super().__init__(text)
