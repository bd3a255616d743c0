"""Printing through one path: rendered PDF pages onto a QPrinter, for the window and the CLI."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QObject, QRectF, QSize, QSizeF, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QMessageBox, QWidget

from zjtx.scoring import Cancelled
from zjtx.ui.tasks import Task, TaskProgressDialog, TaskRunner

if TYPE_CHECKING:
    from zjtx.store import StoreService

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

# Print resolution of the rendered pages: sharp 小四 text and table rules on paper, while an
# A4 page stays a 2480 x 3508 image (screen resolution would print visibly blurred).
PRINT_DPI = 300
POINTS_PER_INCH = 72
# Each phase of a window print run (read, render, print) owns this many progress steps.
PHASE_STEPS = 1000


class PrintError(Exception):
    """Printing cannot go ahead (no such printer, no printer at all, unreadable file)."""


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """Where to print: a named printer (None: the default one) or a PDF file, and how often."""

    printer_name: str | None = None
    copies: int = 1
    output_file: Path | None = None


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """What a print run sent: documents, pages of one copy, copies, and the Chinese summary."""

    documents: int
    pages: int
    copies: int
    message: str


def ensure_application() -> QGuiApplication:
    """The running Qt application, or a windowless one for the command line.

    On Linux the command line uses the offscreen platform: printing needs no display, and a
    server without one (or without the xcb libraries) would otherwise abort the process.
    Windows and macOS keep their native platform, which their print support relies on.
    """
    global _application
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    arguments = ["zjtx"]
    native = sys.platform.startswith(("win", "darwin"))
    if not native and not os.environ.get("QT_QPA_PLATFORM"):
        arguments += ["-platform", "offscreen"]
    _application = QGuiApplication(arguments)
    return _application


_application: QGuiApplication | None = None


def available_printers() -> list[str]:
    """Names of the printers installed on this computer."""
    return list(QPrinterInfo.availablePrinterNames())


def describe_printers(names: Sequence[str]) -> str:
    """The installed printers as a Chinese phrase, for error messages."""
    if not names:
        return "本机没有安装任何打印机（可用 --to-file 输出为 PDF 文件）"
    return "可用的打印机：" + "、".join(f"“{name}”" for name in names)


def prepare_printer(printer: QPrinter) -> QPrinter:
    """A4 paper painted edge to edge: the report PDF is A4 and carries its own margins."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName("评审意见表")
    return printer


def make_printer(settings: PrinterSettings) -> QPrinter:
    """A QPrinter for ``settings``; PrintError names the installed printers when it cannot."""
    if settings.copies < 1:
        raise PrintError(f"打印份数应至少为 1（给出的是 {settings.copies}）")
    printer = prepare_printer(QPrinter(QPrinter.PrinterMode.HighResolution))
    if settings.printer_name is not None:
        names = available_printers()
        if settings.printer_name not in names:
            raise PrintError(f"找不到打印机 “{settings.printer_name}”；{describe_printers(names)}")
        printer.setPrinterName(settings.printer_name)
    elif settings.output_file is None and QPrinterInfo.defaultPrinter().isNull():
        names = available_printers()
        if not names:
            raise PrintError(describe_printers(names))
        raise PrintError(f"没有设置默认打印机，请用 --printer 指定；{describe_printers(names)}")
    if settings.output_file is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(settings.output_file))
    printer.setCopyCount(settings.copies)
    return printer


def _open_pdf(path: Path) -> QPdfDocument:
    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
        document.close()
        raise PrintError(f"无法读取 “{path.name}”：不是完整的 PDF 文件")
    return document


def _orient(printer: QPrinter, page: QSizeF) -> None:
    landscape = page.width() > page.height()
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def _paint_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, number: int) -> None:
    page = document.pagePointSize(number)
    dpi = min(PRINT_DPI, printer.resolution())
    rendered = document.render(
        number,
        QSize(
            round(page.width() * dpi / POINTS_PER_INCH),
            round(page.height() * dpi / POINTS_PER_INCH),
        ),
    )
    # QtPdf leaves the paper transparent; flatten it onto white so the printer gets an opaque
    # page rather than an image with an alpha mask.
    sheet = QImage(rendered.size(), QImage.Format.Format_RGB32)
    sheet.fill(Qt.GlobalColor.white)
    flatten = QPainter(sheet)
    flatten.drawImage(0, 0, rendered)
    flatten.end()
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    scale = min(paper.width() / page.width(), paper.height() / page.height())
    target = QRectF(0, 0, page.width() * scale, page.height() * scale)
    target.moveCenter(QRectF(0, 0, paper.width(), paper.height()).center())
    painter.drawImage(target, sheet)


def print_pdf_files(
    paths: Sequence[Path],
    printer: QPrinter,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> int:
    """Print the PDFs' pages in order as one job; returns the pages of one copy.

    Each page is rendered at PRINT_DPI and mapped onto the whole sheet with its aspect ratio
    kept (a page prints as one page; the PDF's own margins are the only margins); a landscape
    page goes on landscape paper. The dialog's page range counts across the whole job. Copies
    the printer cannot make itself (a PDF file) are printed again, the whole job at a time.
    A PDF file is written under a temporary name and renamed when complete; on cancel
    (Cancelled) or failure nothing is left under its name and nothing reaches a printer.
    """
    documents = [_open_pdf(Path(path)) for path in paths]
    try:
        pages = [(doc, number) for doc in documents for number in range(doc.pageCount())]
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            pages = pages[printer.fromPage() - 1 : printer.toPage() or None]
        if not pages:
            raise PrintError("没有可打印的页面")
        copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
        sheets = pages * copies
        to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
        target = Path(printer.outputFileName()) if to_file else None
        if target is not None and target.is_dir():
            raise PrintError(f"“{target}” 是文件夹，请给出要保存的 PDF 文件名")
        if target is None:
            _paint(printer, sheets, progress, cancel)
        else:
            from zjtx.files import write_atomically

            def paint_into(partial: Path) -> None:
                printer.setOutputFileName(str(partial))
                _paint(printer, sheets, progress, cancel)

            try:
                write_atomically(target, paint_into)
            finally:
                printer.setOutputFileName(str(target))
    finally:
        for document in documents:
            document.close()
    return len(pages)


def _paint(
    printer: QPrinter,
    sheets: list[tuple[QPdfDocument, int]],
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> None:
    painter = QPainter()
    _orient(printer, sheets[0][0].pagePointSize(sheets[0][1]))
    if not painter.begin(printer):
        raise PrintError("无法开始打印：打印机不可用，或输出文件无法写入")
    # Without it a PDF spool (CUPS, --to-file) stores pages as JPEG: blurred text, and larger
    # than the lossless page of black text on white.
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    try:
        for index, (document, number) in enumerate(sheets):
            if cancel is not None and cancel():
                printer.abort()  # a spooled job is dropped, not half sent
                raise Cancelled()
            if index:
                _orient(printer, document.pagePointSize(number))
                printer.newPage()
            _paint_page(painter, printer, document, number)
            if progress is not None:
                progress(index + 1, len(sheets))
    finally:
        if painter.isActive():
            painter.end()


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Print one PDF through print_pdf_files; returns its pages printed."""
    return print_pdf_files([path], printer)


def printed_message(what: str, pages: int, printer: QPrinter) -> str:
    """“已打印…” in Chinese: what, how many pages and copies, and where to."""
    copies = printer.copyCount()
    times = f"，各 {copies} 份" if copies > 1 else ""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        where = f"文件 {printer.outputFileName()}"
    else:
        where = f"打印机 “{printer.printerName()}”"
    return f"已打印{what}，共 {pages} 页{times}（{where}）"


# --------------------------------------------------------------------------- the window


def phase(progress: ProgressFn, index: int, count: int) -> ProgressFn:
    """Progress of one of ``count`` consecutive phases, on the run's common scale."""

    def report(done: int, total: int) -> None:
        progress(index * PHASE_STEPS + done * PHASE_STEPS // max(total, 1), count * PHASE_STEPS)

    return report


PrintWork = Callable[[QPrinter, ProgressFn, CancelFn], PrintOutcome]
PrinterChooser = Callable[[QPrinter, "QWidget | None", Callable[[], None], int], None]

_open_dialogs: list[QPrintDialog] = []  # kept alive while open (a parent may be None)


class _AcceptedSlot(QObject):
    """The receiver QPrintDialog.open(receiver, member) calls when the user chooses 打印."""

    def __init__(self, dialog: QPrintDialog, on_accepted: Callable[[], None]) -> None:
        super().__init__(dialog)
        self.on_accepted = on_accepted

    @Slot()
    def accepted(self) -> None:
        self.on_accepted()


def ask_for_printer(
    printer: QPrinter, parent: QWidget | None, on_accepted: Callable[[], None], page_count: int
) -> None:
    """The system print dialog, opened without blocking; ``on_accepted`` runs on 打印.

    ``page_count`` > 0 offers a page range from 1 to it. PySide6 binds only the two-argument
    QPrintDialog.open(receiver, member), so the dialog calls a slot object back.
    """
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    options = (
        QAbstractPrintDialog.PrintDialogOption.PrintToFile
        | QAbstractPrintDialog.PrintDialogOption.PrintShowPageSize
        | QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies
    )
    if page_count > 0:
        options |= QAbstractPrintDialog.PrintDialogOption.PrintPageRange
        dialog.setMinMax(1, page_count)
    dialog.setOptions(options)
    slot = _AcceptedSlot(dialog, on_accepted)
    dialog.finished.connect(lambda _result: _open_dialogs.remove(dialog))
    _open_dialogs.append(dialog)
    dialog.open(slot, SLOT("accepted()"))


# Tests replace this to print to a PDF file through the same path without a dialog.
choose_printer: PrinterChooser = ask_for_printer

_running_jobs: set[PrintJob] = set()


class PrintJob(QObject):
    """One print run from the window: print dialog, then work off the GUI thread with a
    progress dialog and cancel, then a Chinese message of what was printed."""

    finished = Signal(str)  # the message shown at the end: printed, cancelled or failed

    def __init__(
        self,
        parent: QWidget | None,
        runner: TaskRunner,
        work: PrintWork,
        phases: Sequence[str],
        page_count: int = 0,
    ) -> None:
        super().__init__()
        self.parent_widget = parent
        self.runner = runner
        self.work = work
        self.phases = tuple(phases)
        self.page_count = page_count
        self.printer = prepare_printer(QPrinter(QPrinter.PrinterMode.HighResolution))
        self.progress_dialog: TaskProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        self.task: Task | None = None
        self.outcome: PrintOutcome | None = None
        self.message: str | None = None

    def start(self) -> PrintJob:
        _running_jobs.add(self)
        choose_printer(self.printer, self.parent_widget, self._print, self.page_count)
        return self

    def _print(self) -> None:
        self.printer.setFullPage(True)  # the dialog may not keep it; the PDF has its margins
        dialog = TaskProgressDialog(self.phases[0], "打印", self.parent_widget)
        self.progress_dialog = dialog
        printer, work = self.printer, self.work
        self.task = self.runner.start(
            lambda progress, cancel: work(printer, progress, cancel),
            name="打印",
            on_progress=self._progress,
            on_success=self._printed,
            on_failure=self._failed,
            on_cancel=lambda: self._finish(
                "已取消打印，没有页面送到打印机", QMessageBox.Icon.Information
            ),
        )
        dialog.canceled.connect(self.cancel)
        dialog.show()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setLabelText(self.phases[min(done // PHASE_STEPS, len(self.phases) - 1)])
        dialog.show_progress(done, total)

    def _printed(self, outcome: PrintOutcome) -> None:
        self.outcome = outcome
        self._finish(outcome.message, QMessageBox.Icon.Information)

    def _failed(self, exc: BaseException) -> None:
        from zjtx.store import StoreError

        if isinstance(exc, PrintError | StoreError | ValueError):
            self._finish(f"打印失败：{exc}", QMessageBox.Icon.Warning)
        elif isinstance(exc, OSError):
            self._finish(f"打印失败：{exc.strerror or exc}", QMessageBox.Icon.Warning)
        else:
            from zjtx.ui.errors import report_exception

            self._finish("打印失败：程序出错", None)
            report_exception(type(exc), exc, exc.__traceback__)

    def _finish(self, message: str, icon: QMessageBox.Icon | None) -> None:
        self.message = message
        self.task = None
        if self.progress_dialog is not None:
            self.progress_dialog.close_for_good()
            self.progress_dialog = None
        if icon is not None:
            box = QMessageBox(
                icon, "打印", message, QMessageBox.StandardButton.Ok, self.parent_widget
            )
            self.message_box = box
            box.open()
        _running_jobs.discard(self)
        self.finished.emit(message)


def _print_files_work(paths: Sequence[Path], what: str) -> PrintWork:
    def work(printer: QPrinter, progress: ProgressFn, cancel: CancelFn) -> PrintOutcome:
        pages = print_pdf_files(paths, printer, progress=progress, cancel=cancel)
        message = printed_message(what, pages, printer)
        return PrintOutcome(len(paths), pages, printer.copyCount(), message)

    return work


def render_round_reports(
    service: StoreService,
    round_name: str,
    usccs: Sequence[str] | None,
    folder: Path,
    *,
    read_progress: ProgressFn | None = None,
    render_progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> list[tuple[Path, str]]:
    """Write the 评审意见表 of a stored round's applicants (all, or the given codes) into
    ``folder`` as the window's export writes them; returns (file, company name) in table order."""
    from zjtx.export.batch import export_reports
    from zjtx.export.from_store import round_outcomes
    from zjtx.ui.outputs import _reports

    _, outcomes = round_outcomes(service, round_name, usccs, progress=read_progress, cancel=cancel)
    if not outcomes:
        raise PrintError(f"批次 “{round_name}” 中还没有企业，请先导入申报数据")
    made_at = datetime.now().replace(second=0, microsecond=0)
    reports = _reports(outcomes, round_name, made_at)
    result = export_reports(
        reports,
        folder,
        single=True,
        made_at=made_at,
        progress=render_progress,
        cancel=cancel,
        workers=1,
    )
    return list(zip(result.files, (report.name for report in reports), strict=True))


def _print_reports_work(
    service: StoreService, round_name: str, usccs: Sequence[str] | None, how: str = ""
) -> PrintWork:
    def work(printer: QPrinter, progress: ProgressFn, cancel: CancelFn) -> PrintOutcome:
        with tempfile.TemporaryDirectory(prefix="zjtx-print-") as folder:
            rendered = render_round_reports(
                service,
                round_name,
                usccs,
                Path(folder),
                read_progress=phase(progress, 0, 3),
                render_progress=phase(progress, 1, 3),
                cancel=cancel,
            )
            files = [path for path, _name in rendered]
            pages = print_pdf_files(files, printer, progress=phase(progress, 2, 3), cancel=cancel)
        if len(rendered) == 1:
            what = f"“{rendered[0][1]}”的评审意见表"
        else:
            what = f" {len(rendered)} 份评审意见表" + (f"（{how}）" if how else "")
        message = printed_message(what, pages, printer)
        return PrintOutcome(len(files), pages, printer.copyCount(), message)

    return work


READING = "正在读取批次数据……"
RENDERING = "正在生成评审意见表……"
SENDING = "正在发送到打印机……"


def print_files(
    parent: QWidget | None, runner: TaskRunner, paths: Sequence[Path], page_count: int = 0
) -> PrintJob:
    """Ask for a printer, then print PDF files off the GUI thread (the preview's 打印).

    ``page_count`` > 0 lets the print dialog offer a page range.
    """
    what = f" {paths[0].name}" if len(paths) == 1 else f" {len(paths)} 个文件"
    job = PrintJob(parent, runner, _print_files_work(paths, what), [SENDING], page_count)
    job.printer.setDocName(Path(paths[0]).stem)
    return job.start()


def print_current_report(
    parent: QWidget | None,
    runner: TaskRunner,
    service: StoreService,
    round_name: str,
    uscc: str | None,
) -> PrintJob:
    """Ctrl+P: ask for a printer, then render and print the applicant's 评审意见表."""
    job = PrintJob(parent, runner, _print_reports_work(service, round_name, [uscc or ""]),
                   [READING, RENDERING, SENDING])  # fmt: skip
    if not uscc:
        job._finish("请先在表格中选中一家企业，再打印其评审意见表", QMessageBox.Icon.Information)
        return job
    return job.start()


def print_round_reports(
    parent: QWidget | None,
    runner: TaskRunner,
    service: StoreService,
    round_name: str,
    usccs: Sequence[str] | None = None,
    how: str = "",
) -> PrintJob:
    """Ask for a printer, then render and print every 评审意见表 of the round in table order,
    or those of ``usccs`` in their order (``how`` says how they were chosen, in the message)."""
    work = _print_reports_work(service, round_name, usccs, how)
    return PrintJob(parent, runner, work, [READING, RENDERING, SENDING]).start()
