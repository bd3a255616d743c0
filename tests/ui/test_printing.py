"""Printing from the window: the preview's 打印, Ctrl+P's report and a whole round, through one path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QLineEdit, QPushButton

from tests.ui.conftest import write_synthetic_json
from zjtx.ui import printing
from zjtx.ui.export_dialog import PdfPreview
from zjtx.ui.outputs import run_export
from zjtx.ui.tasks import TaskRunner

TIMEOUT = 120000
ROUND = "2026年创新型第一批"
A4_POINTS = (595, 842)


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    task_runner.wait(TIMEOUT)


@pytest.fixture
def print_to_file(monkeypatch, tmp_path) -> Path:
    """The print dialog replaced by a choice of a PDF file: the rest of the path is the real one."""
    target = tmp_path / "printed" / "打印输出.pdf"
    target.parent.mkdir()

    def choose(printer: QPrinter, parent, on_accepted, page_count: int) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        on_accepted()

    monkeypatch.setattr(printing, "choose_printer", choose)
    return target


def _round(service, source: Path) -> list[str]:
    service.create_round(ROUND, tier="innovative-sme", round_date=date(2026, 7, 1))
    service.import_paths(ROUND, [source])
    return [row.uscc for row in service.list_applicants(ROUND)]


def _pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def _assert_a4(path: Path) -> None:
    for page in PdfReader(path).pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4_POINTS


def _ink_box(path: Path, page: int = 0) -> tuple[int, int, int, int]:
    """The box of non-white pixels of a page rendered at 50 dpi: where the printing lies."""
    document = QPdfDocument()
    document.load(str(path))
    size = document.pagePointSize(page)
    image = document.render(
        page, QSize(round(size.width() * 50 / 72), round(size.height() * 50 / 72))
    )
    document.close()
    inked = [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() and image.pixelColor(x, y).lightness() < 200
    ]
    xs, ys = [x for x, _ in inked], [y for _, y in inked]
    return min(xs), min(ys), max(xs), max(ys)


def _finished(qtbot, job: printing.PrintJob) -> str:
    if job.message is None:
        with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
            pass
    assert job.message is not None
    return job.message


def test_preview_print_opens_the_print_dialog_and_prints(qtbot, service, sample_json, tmp_path):
    """The preview's 打印… opens the system print dialog (was: TypeError from QPrintDialog.open())
    and its 打印 button prints through the one path."""
    uscc = _round(service, sample_json)[0]
    outcome = run_export(service, ROUND, "report", tmp_path / "out", uscc=uscc)
    preview = PdfPreview(outcome.files[0])
    qtbot.addWidget(preview)
    preview.print_document()
    dialogs = [d for d in preview.findChildren(QPrintDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.windowTitle() == "打印" and dialog.isModal()
    assert dialog.maxPage() == preview.document.pageCount()
    target = tmp_path / "对话框输出.pdf"
    dialog.findChild(QLineEdit, "filename").setText(str(target))  # no printer here: to a file
    dialog.accept()
    _finished(qtbot, preview.print_job)
    assert preview.print_job.outcome is not None, preview.print_job.message
    assert _pages(target) == preview.document.pageCount()
    preview.print_job.message_box.done(0)


def test_preview_prints_every_page_on_a4(qtbot, service, sample_json, tmp_path, print_to_file):
    """Printing a previewed report gives as many A4 pages as the report, each page whole."""
    uscc = _round(service, sample_json)[0]
    outcome = run_export(service, ROUND, "report", tmp_path / "out", uscc=uscc)
    source = outcome.files[0]
    preview = PdfPreview(source)
    qtbot.addWidget(preview)
    preview.print_document()
    message = _finished(qtbot, preview.print_job)
    assert preview.print_job.outcome is not None, message
    assert _pages(print_to_file) == _pages(source) == preview.print_job.outcome.pages
    _assert_a4(print_to_file)
    assert f"共 {_pages(source)} 页" in message
    preview.print_job.message_box.done(0)


def test_print_current_report_prints_the_applicants_report(
    qtbot, runner, service, sample_json, tmp_path, print_to_file
):
    """Ctrl+P prints the selected applicant's 评审意见表, the same pages as its exported PDF."""
    uscc = _round(service, sample_json)[3]
    exported = run_export(service, ROUND, "report", tmp_path / "out", uscc=uscc).files[0]
    job = printing.print_current_report(None, runner, service, ROUND, uscc)
    message = _finished(qtbot, job)
    assert job.outcome is not None, message
    assert _pages(print_to_file) == _pages(exported) == job.outcome.pages
    _assert_a4(print_to_file)
    name = service.applicant_detail(ROUND, uscc).applicant.name
    assert message.startswith(f"已打印“{name}”的评审意见表，共 {job.outcome.pages} 页")
    assert _ink_box(print_to_file) == pytest.approx(_ink_box(exported), abs=2)


def test_print_current_report_without_a_selection_says_so(qtbot, runner, service, sample_json):
    """Ctrl+P with no applicant selected asks for one instead of opening the print dialog."""
    _round(service, sample_json)
    job = printing.print_current_report(None, runner, service, ROUND, None)
    assert job.message == "请先在表格中选中一家企业，再打印其评审意见表"
    assert job.message_box.isVisible() and job.task is None
    job.message_box.done(0)


def test_print_round_reports_prints_every_report(qtbot, runner, service, tmp_path, print_to_file):
    """Printing a round prints each applicant's report: the pages of all exported reports."""
    _round(service, write_synthetic_json(tmp_path / "applicants.json", 3))
    exported = run_export(service, ROUND, "reports", tmp_path / "out")
    singles = [f for f in exported.files if f.parent == exported.folder and "汇编" not in f.name]
    assert len(singles) == 3
    job = printing.print_round_reports(None, runner, service, ROUND)
    message = _finished(qtbot, job)
    assert job.outcome is not None, message
    expected = sum(_pages(f) for f in singles)
    assert _pages(print_to_file) == job.outcome.pages == expected
    _assert_a4(print_to_file)
    assert "3 份评审意见表" in message and f"共 {expected} 页" in message
    assert not list(print_to_file.parent.glob("*.part"))


def test_cancelling_a_round_print_leaves_no_output(qtbot, runner, service, tmp_path, print_to_file):
    """取消 in the progress dialog while pages are being sent stops: no file claims to be done."""
    _round(service, write_synthetic_json(tmp_path / "applicants.json", 4))
    job = printing.print_round_reports(None, runner, service, ROUND)
    sending = 2 * printing.PHASE_STEPS
    qtbot.waitUntil(
        lambda: job.progress_dialog is not None and job.progress_dialog.value() > sending,
        timeout=TIMEOUT,
    )
    assert job.progress_dialog.labelText() == printing.SENDING
    assert (print_to_file.parent / (print_to_file.name + ".part")).exists()
    qtbot.mouseClick(job.progress_dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    message = _finished(qtbot, job)
    assert message.startswith("已取消打印")
    assert job.outcome is None
    assert list(print_to_file.parent.iterdir()) == []


def test_copies_the_printer_cannot_make_are_printed_again(qtbot, tmp_path, service, sample_json):
    """Two copies to a PDF file (which makes no copies itself) print the document twice."""
    uscc = _round(service, sample_json)[0]
    source = run_export(service, ROUND, "report", tmp_path / "out", uscc=uscc).files[0]
    target = tmp_path / "两份.pdf"
    printer = printing.make_printer(printing.PrinterSettings(copies=2, output_file=target))
    pages = printing.print_pdf_files([source], printer)
    assert pages == _pages(source)
    assert _pages(target) == 2 * pages


def test_unknown_printer_is_named_with_the_installed_ones(qapp):
    """An unknown printer name is a Chinese error that lists the printers there are."""
    with pytest.raises(printing.PrintError, match="找不到打印机 “不存在的打印机”") as error:
        printing.make_printer(printing.PrinterSettings(printer_name="不存在的打印机"))
    assert printing.describe_printers(printing.available_printers()) in str(error.value)


def test_printing_to_a_folder_is_refused(qtbot, tmp_path, service, sample_json):
    """A print-to-file target that is a folder is a Chinese error, and nothing is written."""
    uscc = _round(service, sample_json)[0]
    source = run_export(service, ROUND, "report", tmp_path / "out", uscc=uscc).files[0]
    folder = tmp_path / "文件夹"
    folder.mkdir()
    printer = printing.make_printer(printing.PrinterSettings(output_file=folder))
    with pytest.raises(printing.PrintError, match="是文件夹"):
        printing.print_pdf_files([source], printer)
    assert list(tmp_path.glob("*.part")) == [] and list(folder.iterdir()) == []
