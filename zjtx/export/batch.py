"""Batch export of assessment reports: one PDF per applicant on all cores, and a combined PDF."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from zjtx.export.report_model import AssessmentReport
from zjtx.scoring.api import Cancelled

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_NAME_CHARS = 60
COMBINED_NAME = "评审意见表汇编.pdf"


def report_file_name(uscc: str, name: str) -> str:
    """File name ``<code>_<name>.pdf`` safe on Windows, macOS and Linux (no path separators)."""
    clean = _UNSAFE.sub("_", name).strip(" ._") or "未命名企业"
    code = _UNSAFE.sub("_", uscc).strip(" ._") or "无统一社会信用代码"
    return f"{code}_{clean[:MAX_NAME_CHARS]}.pdf"


def _unique_paths(reports: Sequence[AssessmentReport], folder: Path) -> list[Path]:
    used: set[str] = set()
    paths = []
    for report in reports:
        base = report_file_name(report.uscc, report.name)
        candidate, n = base, 1
        while candidate.casefold() in used:
            n += 1
            candidate = f"{base[:-4]}_{n}.pdf"
        used.add(candidate.casefold())
        paths.append(folder / candidate)
    return paths


def _render_chunk(jobs: list[tuple[AssessmentReport, str]]) -> list[tuple[str, int]]:
    """Worker: render each report of a chunk to its path; return (path, pages)."""
    from zjtx.export.report_pdf import render_assessment_pdf

    done = []
    for report, path in jobs:
        temporary = path + ".part"
        pages = render_assessment_pdf(report, temporary)
        os.replace(temporary, path)  # never leave a half-written PDF under the final name
        done.append((path, pages))
    return done


def _warm_worker() -> None:
    # Register the font and import reportlab once per worker, before the first chunk.
    import zjtx.export.report_pdf  # noqa: F401


@dataclass(slots=True)
class ExportResult:
    """What a batch export wrote."""

    files: list[Path] = field(default_factory=list)
    pages: int = 0
    combined: Path | None = None
    combined_pages: int = 0


def default_workers() -> int:
    """All CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def export_reports(
    reports: Sequence[AssessmentReport],
    folder: Path,
    *,
    single: bool = True,
    combined: bool = False,
    made_at: datetime | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    workers: int | None = None,
) -> ExportResult:
    """Write one PDF per report into ``folder`` and/or one combined PDF with bookmarks.

    Single reports are rendered by a process pool over all cores, in small chunks so progress
    moves and cancel takes effect within a chunk. Progress counts reports (single files first,
    then the combined file). On cancel, files already written stay and Cancelled is raised.
    """
    folder.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    steps = (len(reports) if single else 0) + (len(reports) if combined else 0)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, steps)

    if single and reports:
        paths = _unique_paths(reports, folder)
        jobs = [(r, str(p)) for r, p in zip(reports, paths, strict=True)]
        count = workers or default_workers()
        if count == 1 or len(jobs) == 1:
            for job in jobs:
                if cancel is not None and cancel():
                    raise Cancelled()
                for path, pages in _render_chunk([job]):
                    result.files.append(Path(path))
                    result.pages += pages
                step(1)
        else:
            _run_pool(jobs, count, result, step, cancel)
    if combined and reports:
        from zjtx.export.report_pdf import render_combined_pdf

        target = folder / COMBINED_NAME
        temporary = target.with_name(target.name + ".part")

        def on_report(index: int) -> None:
            if cancel is not None and cancel():
                raise Cancelled()
            if index:
                step(1)

        try:
            result.combined_pages = render_combined_pdf(
                reports,
                temporary,
                made_at=made_at or reports[0].made_at,
                on_report=on_report,
            )
        except Cancelled:
            temporary.unlink(missing_ok=True)
            raise
        os.replace(temporary, target)
        step(1)
        result.combined = target
    return result


def _run_pool(
    jobs: list[tuple[AssessmentReport, str]],
    workers: int,
    result: ExportResult,
    step: Callable[[int], None],
    cancel: CancelCheck | None,
) -> None:
    # Chunks of a few reports: little pickling overhead, yet progress and cancel stay prompt.
    size = max(1, min(8, len(jobs) // (workers * 4) or 1))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    # spawn, not fork: the GUI calls this from a thread; forking a threaded Qt process is unsafe.
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)), mp_context=context, initializer=_warm_worker
    )
    ordered: dict[str, tuple[Path, int]] = {}
    try:
        pending: set[Future] = {executor.submit(_render_chunk, chunk) for chunk in chunks}
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                chunk_result = future.result()
                for path, pages in chunk_result:
                    ordered[path] = (Path(path), pages)
                step(len(chunk_result))
            if cancel is not None and cancel():
                for future in pending:
                    future.cancel()
                raise Cancelled()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        for _report, path in jobs:
            if path in ordered:
                file, pages = ordered[path]
                result.files.append(file)
                result.pages += pages
