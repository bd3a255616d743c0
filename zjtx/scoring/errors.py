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
    """A bundled or user data file (catalogue, rulebook, overlay, notice) is invalid.

    The message names the file, the rule id (or field key), where within the rule (``path``,
    e.g. ``require.all[2]``) and what is wrong, plus a suggestion for misspelt names.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        rule: str | None = None,
        suggestion: str | None = None,
        path: str | None = None,
    ) -> None:
        self.file = file
        self.rule = rule or None
        self.detail = message
        self.suggestion = suggestion
        self.path = path or None
        super().__init__(self.line())

    def line(self) -> str:
        """One line: file [rule] path: message（did you mean）."""
        text = f"{self.file}"
        if self.rule:
            text += f" [{self.rule}]"
        if self.path:
            text += f" {self.path}"
        text += f": {self.detail}"
        if self.suggestion:
            text += f"（您是不是要写 “{self.suggestion}”？）"
        return text

    @property
    def problems(self) -> list[DataFileError]:
        """Every problem this error stands for (itself, unless it collects several)."""
        return [self]


class DataFileErrors(DataFileError):
    """Several problems found in data files at once; file, rule and suggestion of the first."""

    def __init__(self, problems: list[DataFileError]) -> None:
        first = problems[0]
        self._problems = list(problems)
        super().__init__(
            first.file, first.detail, rule=first.rule, suggestion=first.suggestion, path=first.path
        )
        self.args = (self.line(),)

    def line(self) -> str:
        if not hasattr(self, "_problems"):  # while the base initialiser runs
            return ""
        lines = [f"共 {len(self._problems)} 处问题："]
        lines += [f"  {n}. {p.line()}" for n, p in enumerate(self._problems, start=1)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.line()

    @property
    def problems(self) -> list[DataFileError]:
        return list(self._problems)


def raise_collected(problems: list[DataFileError]) -> None:
    """Raise the problems found (one as itself, several together); nothing when there are none."""
    flat = [single for problem in problems for single in problem.problems]
    if len(flat) == 1:
        raise flat[0]
    if flat:
        raise DataFileErrors(flat)


class UnknownNameError(LookupError):
    """An unknown rulebook id, tier, overlay or field key given by the user."""

    def __init__(self, kind: str, name: str, candidates: Iterable[str]) -> None:
        pool = sorted(candidates)
        self.kind = kind
        self.name = name
        self.suggestion = did_you_mean(name, pool)
        text = f"未知的{kind}“{name}”"
        text += f"，您是不是要写 “{self.suggestion}”？" if self.suggestion else "。"
        text += f"可用：{', '.join(pool)}"
        super().__init__(text)
