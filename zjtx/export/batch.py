"""Batch export of assessment reports: one PDF per applicant on all cores, and a combined PDF."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from zjtx.export.report_model import AssessmentReport
from zjtx.export.safe_text import ELLIPSIS
from zjtx.files import PART_SUFFIX, write_atomically
from zjtx.scoring.api import Cancelled
from zjtx.workers import default_workers, exit_with_parent, process_pool

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+')
MAX_NAME_CHARS = 60
# A file name may hold 255 bytes on Linux and macOS (UTF-8; a Chinese character takes 3, an
# emoji 4) and 255 UTF-16 units on Windows (an emoji takes 2); the temporary ``.part`` name
# written first must fit too.
NAME_LIMIT = 255 - len(PART_SUFFIX)
COMBINED_NAME = "评审意见表汇编.pdf"
# The temporary files of this module's reports: what a killed run may have left in a folder.
_STRAY_PART = re.compile(
    r"^(?:[0-9A-Z]{18}|无统一社会信用代码)_.*\.pdf" + re.escape(PART_SUFFIX) + "$"
    r"|^" + re.escape(COMBINED_NAME + PART_SUFFIX) + "$"
)


def name_length(name: str, platform: str | None = None) -> int:
    """Length of a file name as the file system counts it: UTF-16 units on Windows, UTF-8
    bytes elsewhere."""
    if (platform or sys.platform) == "win32":
        return len(name.encode("utf-16-le")) // 2
    return len(name.encode("utf-8", "surrogatepass"))


def report_file_name(uscc: str, name: str, *, number: int = 1, platform: str | None = None) -> str:
    """File name ``<code>_<name>.pdf`` (``<code>_<name>_<number>.pdf`` for a repeated name)
    safe on Windows, macOS and Linux: no path separators or control characters, and a long
    name cut, with …, to what the file system allows (counted as it counts)."""
    clean = _UNSAFE.sub("_", name).strip(" ._") or "未命名企业"
    code = _UNSAFE.sub("_", uscc).strip(" ._")[:40] or "无统一社会信用代码"
    tail = (f"_{number}" if number > 1 else "") + ".pdf"
    if len(clean) > MAX_NAME_CHARS:
        clean = clean[: MAX_NAME_CHARS - 1] + ELLIPSIS
    while name_length(f"{code}_{clean}{tail}", platform) > NAME_LIMIT:
        clean = clean[:-2] + ELLIPSIS
    return f"{code}_{clean}{tail}"


def _unique_paths(reports: Sequence[AssessmentReport], folder: Path) -> list[Path]:
    used: set[str] = set()
    paths = []
    for report in reports:
        number = 1
        candidate = report_file_name(report.uscc, report.name)
        while candidate.casefold() in used:
            number += 1
            candidate = report_file_name(report.uscc, report.name, number=number)
        used.add(candidate.casefold())
        paths.append(folder / candidate)
    return paths


def remove_stray_parts(folder: Path) -> list[Path]:
    """Remove the temporary report files a killed export left in ``folder``; return them."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if _STRAY_PART.match(entry.name) and entry.is_file():
                with contextlib.suppress(OSError):  # in use by another run (Windows)
                    entry.unlink()
                    removed.append(entry)
    return removed


def _render_chunk(jobs: list[tuple[AssessmentReport, str]]) -> list[tuple[str, int]]:
    """Worker: render each report of a chunk to its path; return (path, pages)."""
    from zjtx.export.report_pdf import render_assessment_pdf

    done = []
    for report, path in jobs:
        pages: list[int] = []

        def render(part: Path, report: AssessmentReport = report, pages: list[int] = pages) -> None:
            pages.append(render_assessment_pdf(report, part))

        write_atomically(Path(path), render)
        done.append((path, pages[0]))
    return done


def _warm_worker() -> None:
    exit_with_parent()
    # Register the font and import reportlab once per worker, before the first chunk.
    import zjtx.export.report_pdf  # noqa: F401


@dataclass(slots=True)
class ExportResult:
    """What a batch export wrote."""

    files: list[Path] = field(default_factory=list)
    pages: int = 0
    combined: Path | None = None
    combined_pages: int = 0


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
    remove_stray_parts(folder)
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

        def on_report(index: int) -> None:
            if cancel is not None and cancel():
                raise Cancelled()
            if index:
                step(1)

        def render(part: Path) -> None:
            result.combined_pages = render_combined_pdf(
                reports, part, made_at=made_at or reports[0].made_at, on_report=on_report
            )

        write_atomically(target, render)
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
    executor = process_pool(min(workers, len(chunks)), _warm_worker)
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
