"""Printed outputs of a stored round: store data handed to zjtx.export (no Qt, no rules)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zjtx.export.from_store import round_outcomes
from zjtx.export.sources import catalogue_of, document_number
from zjtx.export.summary import ApplicantOutcome, reports_warning
from zjtx.store import StoreService

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

EXPORT_KINDS = {
    "report": "当前企业评审意见表（PDF）",
    "reports": "全部评审意见表（PDF，每家一份并另附汇编）",
    "chosen_reports": "所选企业评审意见表（PDF，每家一份并另附汇编）",
    "summary_pdf": "推荐汇总表（PDF）",
    "summary_xlsx": "推荐汇总表（Excel）",
    "publicity_pdf": "公示名单（PDF）",
    "publicity_xlsx": "公示名单（Excel）",
    "results_xlsx": "评价结果（Excel）",
}


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    """What an export wrote, and a warning when the file is written but empty (and why)."""

    folder: Path
    files: tuple[Path, ...]
    message: str
    warning: str | None = None


def _reports(outcomes: Sequence[ApplicantOutcome], round_name: str, made_at: datetime) -> list:
    from zjtx.export.report_model import build_assessment_report

    return [
        build_assessment_report(
            o.evaluation,
            catalogue=catalogue_of(o.evaluation),
            applicant=o.applicant,
            review=o.review,
            made_at=made_at,
            round_name=round_name,
            rulebook_document=document_number(o.evaluation.rulebook),
            panel=o.panel,
        )
        for o in outcomes
    ]


def unused_folder(path: Path) -> Path:
    """``path``, or ``path_2``, ``path_3`` … the first that does not exist yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}_{number}")
    return candidate


def run_export(
    service: StoreService,
    round_name: str,
    kind: str,
    folder: Path,
    *,
    uscc: str | None = None,
    usccs: Sequence[str] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    made_at: datetime | None = None,
) -> ExportOutcome:
    """Write one of EXPORT_KINDS for a round into ``folder``: ``uscc`` is the applicant of
    "report", ``usccs`` those of "chosen_reports" (the rows the table shows or has selected)."""
    from zjtx.export.batch import export_reports, report_file_name

    if kind not in EXPORT_KINDS:
        raise ValueError(f"未知的导出类型 “{kind}”")
    made_at = made_at or datetime.now().replace(second=0, microsecond=0)
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "report":
        if not uscc:
            raise ValueError("请先在表格中选中一家企业")
        _, outcomes = round_outcomes(service, round_name, [uscc], cancel=cancel)
        report = _reports(outcomes, round_name, made_at)[0]
        from zjtx.export.report_pdf import render_assessment_pdf
        from zjtx.files import write_atomically

        target = folder / report_file_name(report.uscc, report.name)
        write_atomically(target, lambda partial: render_assessment_pdf(report, partial))
        if progress is not None:
            progress(1, 1)
        warning = reports_warning(outcomes)
        return ExportOutcome(folder, (target,), f"已生成评审意见表：{target.name}", warning)

    # Reading the round is the first half of the progress bar, writing the second.
    def first_half(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total * 2)

    if kind == "chosen_reports" and not usccs:
        raise ValueError("表格中没有显示任何企业：请先调整筛选条件或选中企业")
    chosen = usccs if kind == "chosen_reports" else None
    _, outcomes = round_outcomes(service, round_name, chosen, progress=first_half, cancel=cancel)
    total = len(outcomes)
    if not outcomes:
        raise ValueError(f"批次 “{round_name}” 中还没有企业，请先导入申报数据")

    def second_half(done: int, steps: int) -> None:
        if progress is not None:
            progress(total + done * total // max(steps, 1), total * 2)

    if kind in ("reports", "chosen_reports"):
        target_folder = folder / f"{round_name}_评审意见表"
        if kind == "chosen_reports":
            # A folder of its own each time: another choice of as many must not land beside
            # this one's files, under a combined PDF that holds only the latest.
            target_folder = unused_folder(folder / f"{round_name}_评审意见表_所选{total}家")
        result = export_reports(
            _reports(outcomes, round_name, made_at),
            target_folder,
            single=True,
            combined=True,
            made_at=made_at,
            progress=second_half,
            cancel=cancel,
            workers=1,
        )
        files = tuple(result.files) + ((result.combined,) if result.combined else ())
        return ExportOutcome(
            target_folder,
            files,
            f"已生成 {len(result.files)} 份评审意见表及汇编（{result.pages} 页）",
            reports_warning(outcomes),
        )
    from zjtx.export.tables import write_publicity, write_results, write_summary

    suffix = ".pdf" if kind.endswith("_pdf") else ".xlsx"
    warning = None
    if kind.startswith("summary"):
        target = folder / f"{round_name}_推荐汇总表{suffix}"
        summary, _pages = write_summary(outcomes, target, made_at, round_name)
        message = f"已生成推荐汇总表（{len(summary.rows)} 家）：{target.name}"
        warning = summary.warning
    elif kind.startswith("publicity"):
        target = folder / f"{round_name}_公示名单{suffix}"
        publicity = write_publicity(outcomes, target, made_at, round_name)
        message = f"已生成公示名单（{len(publicity.rows)} 家）：{target.name}"
        warning = publicity.warning
    else:
        target = folder / f"{round_name}_评价结果.xlsx"
        write_results(outcomes, target, made_at, round_name)
        message = f"已导出评价结果（{total} 家）：{target.name}"
    if progress is not None:
        progress(1, 1)
    return ExportOutcome(folder, (target,), message, warning)
