"""The round-wide tables (推荐汇总表, 公示名单, Excel results) written to a file, PDF or Excel by
its suffix, through a temporary file renamed into place; the CLI and the window both write
them through here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from zjtx.export.sources import round_catalogue
from zjtx.export.summary import (
    ApplicantOutcome,
    PublicityList,
    PublicityRefused,
    RecommendationSummary,
    build_publicity_list,
    build_recommendation_summary,
    publicity_refusal,
    unprintable_lines,
)
from zjtx.files import write_atomically

T = TypeVar("T")


def write_in_place(target: Path, write: Callable[[Path], T]) -> T:
    """Run ``write`` on a temporary file renamed to ``target`` (write_atomically): a failure
    half-way leaves the previous file (if any) untouched and no partial file behind; returns
    what ``write`` returned."""
    results: list[T] = []
    write_atomically(target, lambda temporary: results.append(write(temporary)))
    return results[0]


def write_summary(
    outcomes: Sequence[ApplicantOutcome],
    target: Path,
    made_at: datetime,
    round_name: str | None = None,
) -> tuple[RecommendationSummary, int | None]:
    """The 推荐汇总表 as PDF (``.pdf``; with its page count) or Excel (otherwise; None)."""
    catalogue = round_catalogue([o.evaluation for o in outcomes])
    summary = build_recommendation_summary(
        outcomes, catalogue=catalogue, made_at=made_at, round_name=round_name
    )
    if target.suffix.lower() == ".pdf":
        from zjtx.export.summary_pdf import render_summary_pdf

        lacking = unprintable_lines(summary.title + summary.subtitle, summary.footer, summary.rows)
        summary = replace(summary, unprintable=lacking)
        return summary, write_in_place(target, lambda path: render_summary_pdf(summary, path))
    from zjtx.export.excel import write_summary_xlsx

    write_in_place(target, lambda path: write_summary_xlsx(summary, path))
    return summary, None


def write_publicity(
    outcomes: Sequence[ApplicantOutcome],
    target: Path,
    made_at: datetime,
    round_name: str | None = None,
) -> PublicityList:
    """The 公示名单 as PDF (``.pdf``) or Excel (otherwise).

    Raises:
        PublicityRefused: a listed 推荐 needs a second look (the file is not written, one
            already there is left as it was).
    """
    publicity = build_publicity_list(outcomes, made_at=made_at, round_name=round_name)
    refusal = publicity_refusal(publicity.outdated)
    if refusal is not None:
        raise PublicityRefused(refusal)
    if target.suffix.lower() == ".pdf":
        from zjtx.export.summary_pdf import render_publicity_pdf

        publicity = replace(
            publicity,
            unprintable=unprintable_lines(
                publicity.title + publicity.subtitle, publicity.footer, publicity.rows
            ),
        )
        write_in_place(target, lambda path: render_publicity_pdf(publicity, path))
    else:
        from zjtx.export.excel import write_publicity_xlsx

        write_in_place(target, lambda path: write_publicity_xlsx(publicity, path))
    return publicity


def write_results(
    outcomes: Sequence[ApplicantOutcome],
    target: Path,
    made_at: datetime,
    round_name: str | None = None,
) -> None:
    """Every applicant's evaluation as an Excel workbook (its 说明 sheet names the round)."""
    from zjtx.export.excel import write_results_xlsx

    catalogue = round_catalogue([o.evaluation for o in outcomes])
    write_in_place(
        target,
        lambda path: write_results_xlsx(
            outcomes, path, catalogue=catalogue, made_at=made_at, round_name=round_name
        ),
    )
