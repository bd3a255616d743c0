"""The round-wide tables (推荐汇总表, 公示名单, Excel results) written to a file, PDF or Excel by
its suffix; the CLI and the window both write them through here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from zjtx.export.sources import round_catalogue
from zjtx.export.summary import (
    ApplicantOutcome,
    PublicityList,
    RecommendationSummary,
    build_publicity_list,
    build_recommendation_summary,
)


def write_summary(
    outcomes: Sequence[ApplicantOutcome], target: Path, made_at: datetime
) -> tuple[RecommendationSummary, int | None]:
    """The 推荐汇总表 as PDF (``.pdf``; with its page count) or Excel (otherwise; None)."""
    catalogue = round_catalogue([o.evaluation for o in outcomes])
    summary = build_recommendation_summary(outcomes, catalogue=catalogue, made_at=made_at)
    if target.suffix.lower() == ".pdf":
        from zjtx.export.summary_pdf import render_summary_pdf

        return summary, render_summary_pdf(summary, target)
    from zjtx.export.excel import write_summary_xlsx

    write_summary_xlsx(summary, target)
    return summary, None


def write_publicity(
    outcomes: Sequence[ApplicantOutcome], target: Path, made_at: datetime
) -> PublicityList:
    """The 公示名单 as PDF (``.pdf``) or Excel (otherwise)."""
    publicity = build_publicity_list(outcomes, made_at=made_at)
    if target.suffix.lower() == ".pdf":
        from zjtx.export.summary_pdf import render_publicity_pdf

        render_publicity_pdf(publicity, target)
    else:
        from zjtx.export.excel import write_publicity_xlsx

        write_publicity_xlsx(publicity, target)
    return publicity


def write_results(outcomes: Sequence[ApplicantOutcome], target: Path, made_at: datetime) -> None:
    """Every applicant's evaluation as an Excel workbook."""
    from zjtx.export.excel import write_results_xlsx

    catalogue = round_catalogue([o.evaluation for o in outcomes])
    write_results_xlsx(outcomes, target, catalogue=catalogue, made_at=made_at)
