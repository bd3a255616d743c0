"""Exports of a round (reports, 推荐汇总表, 公示名单, Excel results) and the PDF preview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zjtx.store import StoreService
from zjtx.ui.layout import size_to_screen
from zjtx.ui.outputs import EXPORT_KINDS, ExportOutcome, run_export
from zjtx.ui.printing import PrintJob, print_files, print_pdf
from zjtx.ui.tasks import Task, TaskRunner

__all__ = ["ExportDialog", "PdfPreview", "print_pdf"]


class PdfPreview(QDialog):
    """In-app preview of a PDF (QtPdf) with printing."""

    def __init__(
        self, path: Path, parent: QWidget | None = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.runner = runner or TaskRunner(self)
        self.print_job: PrintJob | None = None
        self.setWindowTitle(f"预览 — {path.name}")
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        print_button = QPushButton("打印…")
        print_button.clicked.connect(self.print_document)
        open_button = QPushButton("用系统程序打开")
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))
        )
        close_button = QPushButton("关闭")
        close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"共 {self.document.pageCount()} 页"))
        buttons.addStretch(1)
        buttons.addWidget(print_button)
        buttons.addWidget(open_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        size_to_screen(self, 820, 900)

    def print_document(self) -> None:
        """Ask for a printer (the dialog is opened, not exec'd), then print off the GUI thread."""
        self.print_job = print_files(self, self.runner, [self.path], self.document.pageCount())


class ExportDialog(QDialog):
    """Choose an output and a folder; runs off the GUI thread with progress and cancel."""

    exported = Signal(object)  # ExportOutcome

    def __init__(
        self,
        runner: TaskRunner,
        service: StoreService,
        round_name: str,
        uscc_getter: Callable[[], str | None],
        folder: Path,
        kind: str = "report",
        parent: QWidget | None = None,
        *,
        chosen_getter: Callable[[], tuple[list[str], str] | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"导出 — {round_name}")
        self.runner = runner
        self.service = service
        self.round_name = round_name
        self.uscc_getter = uscc_getter
        self.chosen_getter = chosen_getter
        self.task: Task | None = None
        self.outcome: ExportOutcome | None = None
        self.preview: PdfPreview | None = None

        self.kind = QComboBox()
        for code, label in EXPORT_KINDS.items():
            if code != "chosen_reports" or chosen_getter is not None:
                self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self._chosen()
        self.folder = QLineEdit(str(folder))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("导出内容：", self.kind)
        form.addRow("保存到：", folder_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.start_button = QPushButton("开始导出")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_folder_button = QPushButton("打开文件夹")
        self.open_folder_button.setEnabled(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.preview_button = QPushButton("预览 / 打印")
        self.preview_button.setEnabled(False)
        self.preview_button.clicked.connect(self.show_preview)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(620, 220)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存位置", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _chosen(self) -> list[str] | None:
        """The applicants of 所选企业评审意见表 now, named in its entry with how they were
        chosen ("当前筛选结果（12 / 30 家）"); None when the window's table shows another round."""
        index = self.kind.findData("chosen_reports")
        if index < 0 or self.chosen_getter is None:
            return []
        chosen = self.chosen_getter()
        if chosen is None:
            self.kind.setItemText(index, "所选企业评审意见表（表格显示的是另一个批次）")
            return None
        usccs, how = chosen
        self.kind.setItemText(index, f"所选企业评审意见表（{how}；PDF，每家一份并另附汇编）")
        return usccs

    def start(self) -> None:
        kind = self.kind.currentData()
        other_round = f"窗口的表格现在显示的是另一个批次：请回到批次 “{self.round_name}” 再导出" + (
            "当前企业" if kind == "report" else "所选企业"
        )
        if kind == "report" and self.chosen_getter is not None and self.chosen_getter() is None:
            self._status(other_round, "#c62828")  # its selected applicant is another round's
            return
        uscc = self.uscc_getter() if kind == "report" else None
        if kind == "report" and not uscc:
            self._status("请先在表格中选中一家企业", "#c62828")
            return
        # The table's rows as they are now: its filters may have changed since the dialog opened.
        usccs = self._chosen() if kind == "chosen_reports" else None
        if kind == "chosen_reports" and usccs is None:
            self._status(other_round, "#c62828")
            return
        if kind == "chosen_reports" and not usccs:
            self._status("表格中没有显示任何企业：请先调整筛选条件或选中企业", "#c62828")
            return
        folder = Path(self.folder.text()).expanduser()
        service, round_name = self.service, self.round_name
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.open_folder_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self._status("正在导出……", "#555")
        self.task = self.runner.start(
            lambda progress, cancel: run_export(
                service,
                round_name,
                kind,
                folder,
                uscc=uscc,
                usccs=usccs,
                progress=progress,
                cancel=cancel,
            ),
            name="导出",
            on_progress=self._progress,
            on_success=self._done,
            on_failure=lambda exc: self._end(f"导出失败：{exc}", "#c62828"),
            on_cancel=lambda: self._end("已取消；已生成的文件保留在文件夹中", "#555"),
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        warning = getattr(outcome, "warning", None)  # set when the export needs attention
        if warning:
            self._end(f"{outcome.message}\n{warning}", "#b26a00")
        else:
            self._end(outcome.message, "#1b7f3b")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.open_folder_button.setEnabled(True)
        self.preview_button.setEnabled(any(p.suffix == ".pdf" for p in outcome.files))
        self.exported.emit(outcome)

    def _end(self, text: str, colour: str) -> None:
        self.task = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        self._status(text, colour)

    def _status(self, text: str, colour: str) -> None:
        self.status.setStyleSheet(f"color:{colour}")
        self.status.setText(text)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self._status("正在取消……", "#555")

    def open_folder(self) -> None:
        if self.outcome is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outcome.folder)))

    def show_preview(self) -> None:
        if self.outcome is None:
            return
        pdfs = [p for p in self.outcome.files if p.suffix == ".pdf"]
        if not pdfs:
            return
        # The combined file, when there is one, is the one worth previewing.
        self.preview = PdfPreview(pdfs[-1], self, self.runner)
        self.preview.show()

    def closeEvent(self, event: Any) -> None:
        if self.task is not None:
            self.task.cancel()
        super().closeEvent(event)
