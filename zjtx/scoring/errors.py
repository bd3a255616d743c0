"""Errors raised while loading data files, with file, rule id and a "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, or None when nothing is close."""
    pool = [str(c) for c in candidates]
    best, best_score = None, 0.6
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name.lower())
    for candidate in pool:  # ties go to the earlier candidate (catalogue order: y1 before y3)
        matcher.set_seq1(candidate.lower())
        if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
            continue
        score = matcher.ratio()
        if score > best_score or (best is None and score >= best_score):
            best, best_score = candidate, score
    return best


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
