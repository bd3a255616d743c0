"""Import wizard: choose or drop files, read them, check mappings and issues, import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.issues import Severity
from zjtx.store import FileImport, StoreService
from zjtx.ui.models import SORT_ROLE, ColumnMappingModel, IssuesModel
from zjtx.ui.tasks import Task, TaskRunner

INPUT_SUFFIXES = (".xlsx", ".xls", ".csv", ".json")


class DropList(QListWidget):
    """The list of chosen files; files and folders can be dropped on it."""

    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.dropped.emit(paths)
            event.acceptProposedAction()


class ImportDialog(QDialog):
    """Two steps: 读取并检查 (reader, nothing saved) then 导入 (one transaction per file)."""

    imported = Signal(list)  # list[FileImport]
    jump_requested = Signal(str)  # uscc of an issue the evaluator double-clicked

    def __init__(
        self,
        runner: TaskRunner,
        service: StoreService,
        round_name: str,
        evaluator_getter: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"导入申报数据 — {round_name}")
        self.runner = runner
        self.service = service
        self.round_name = round_name
        self.evaluator_getter = evaluator_getter
        self.paths: list[Path] = []
        self.files: list[Any] = []  # FileResult of the last read
        self.results: list[FileImport] = []
        self.task: Task | None = None
        self.setAcceptDrops(True)

        hint = QLabel(
            "把申报名单、申报表（.xlsx / .xls / .csv）或 JSON 文件、文件夹拖到下面，"
            "或点“选择文件”。先“读取并检查”，核对列对应关系与问题后再“导入”。"
        )
        hint.setWordWrap(True)
        self.file_list = DropList()
        self.file_list.setMaximumHeight(72)
        self.file_list.dropped.connect(self.add_paths)
        choose_files = QPushButton("选择文件…")
        choose_files.clicked.connect(self._choose_files)
        choose_folder = QPushButton("选择文件夹…")
        choose_folder.clicked.connect(self._choose_folder)
        clear = QPushButton("清空")
        clear.clicked.connect(self._clear)
        chooser = QHBoxLayout()
        chooser.addWidget(choose_files)
        chooser.addWidget(choose_folder)
        chooser.addWidget(clear)
        chooser.addStretch(1)

        self.summary = QLabel("尚未读取")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.mapping_file = QComboBox()
        self.mapping_file.currentIndexChanged.connect(self._show_mapping)
        self.mapping_model = ColumnMappingModel(self)
        self.mapping_view = self._view(self.mapping_model)
        for column, width in enumerate((80, 60, 230, 170, 60, 70)):
            self.mapping_view.setColumnWidth(column, width)
        mapping_page = QWidget()
        mapping_layout = QVBoxLayout(mapping_page)
        mapping_layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("文件："))
        row.addWidget(self.mapping_file, 1)
        mapping_layout.addLayout(row)
        mapping_layout.addWidget(self.mapping_view)

        self.issues_model = IssuesModel(self)
        self.issues_view = self._view(self.issues_model)
        self.issues_view.setWordWrap(True)
        issues_header = self.issues_view.horizontalHeader()
        issues_header.setStretchLastSection(False)
        for column, width in enumerate((50, 380, 150, 80, 60, 50, 170)):
            self.issues_view.setColumnWidth(column, width)
        issues_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.issues_view.doubleClicked.connect(self._jump)
        self.changes = QListWidget()
        self.tabs = QTabWidget()
        self.tabs.addTab(mapping_page, "列对应关系")
        self.tabs.addTab(self.issues_view, "问题清单")
        self.tabs.addTab(self.changes, "导入结果")
        # Wrapped rows get their height from the column widths, known once the tab is shown.
        self.tabs.currentChanged.connect(lambda _index: self.issues_view.resizeRowsToContents())

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.status = QLabel("")
        self.read_button = QPushButton("读取并检查")
        self.read_button.clicked.connect(self.read)
        self.import_button = QPushButton("导入")
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.file_list)
        layout.addLayout(chooser)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(900, 640)

    @staticmethod
    def _view(model: Any) -> QTableView:
        proxy = QSortFilterProxyModel(model)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view = QTableView()
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    # ------------------------------------------------------------------ choosing files
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths([u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()])

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "选择申报文件", "", "申报文件 (*.xlsx *.xls *.csv *.json);;所有文件 (*)"
        )
        self.add_paths(names)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择文件夹")
        if folder:
            self.add_paths([folder])

    def _clear(self) -> None:
        self.paths = []
        self.file_list.clear()
        self.import_button.setEnabled(False)

    def add_paths(self, paths: list[str | Path]) -> None:
        for raw in paths:
            path = Path(raw)
            if path not in self.paths:
                self.paths.append(path)
                label = f"{path.name}（文件夹）" if path.is_dir() else path.name
                self.file_list.addItem(label)
                self.file_list.item(self.file_list.count() - 1).setToolTip(str(path))
        self.import_button.setEnabled(False)
        self.files = []

    # ------------------------------------------------------------------ running
    def _busy(self, busy: bool, text: str = "") -> None:
        self.read_button.setEnabled(not busy and bool(self.paths))
        self.import_button.setEnabled(not busy and bool(self._importable()))
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        self.status.setText(text)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _importable(self) -> list[Any]:
        return [f for f in self.files if f.applicants]

    def read(self) -> None:
        """Read the chosen files (nothing is saved yet)."""
        if not self.paths:
            self.status.setText("请先选择或拖入文件")
            return
        service, round_name, paths = self.service, self.round_name, list(self.paths)
        self._busy(True, "正在读取……")
        self.task = self.runner.start(
            lambda progress, cancel: service.read_files(
                round_name, paths, progress=progress, cancel=cancel
            ),
            name="读取申报文件",
            on_progress=self._on_progress,
            on_success=self._read_done,
            on_failure=self._failed,
            on_cancel=lambda: self._finish("已取消读取，没有导入任何数据"),
        )

    def _read_done(self, files: list[Any]) -> None:
        self.files = files
        self.mapping_file.blockSignals(True)
        self.mapping_file.clear()
        for item in files:
            self.mapping_file.addItem(getattr(item, "display_name", "") or Path(item.path).name)
        self.mapping_file.blockSignals(False)
        self._show_mapping()
        issues = [issue for item in files for issue in item.issues]
        self.issues_model.set_issues(issues)
        self.issues_view.resizeRowsToContents()
        counts = {s: sum(1 for i in issues if i.severity == s) for s in Severity}
        total = sum(f.rows_total for f in files)
        ready = sum(f.rows_imported for f in files)
        blocked = sum(f.rows_blocked for f in files)
        self.summary.setText(
            f"读取 {len(files)} 个文件，共 {total} 家："
            f"<b style='color:#1b7f3b'>可导入 {ready} 家</b>，"
            f"<b style='color:#c62828'>因错误不能导入 {blocked} 家</b>；"
            f"错误 {counts[Severity.ERROR]} 条、警告 {counts[Severity.WARNING]} 条、"
            f"提示 {counts[Severity.INFO]} 条（警告须在评审时确认理由）。"
        )
        self.tabs.setTabText(1, f"问题清单（{len(issues)}）")
        if issues and not any(getattr(f, "column_mapping", None) for f in files):
            self.tabs.setCurrentIndex(1)
        self._finish("读取完成，请核对后点“导入”" if ready else "没有可导入的企业")

    def _show_mapping(self) -> None:
        position = self.mapping_file.currentIndex()
        if 0 <= position < len(self.files):
            mapping = getattr(self.files[position], "column_mapping", None) or []
            self.mapping_model.set_mappings(mapping)
        else:
            self.mapping_model.set_mappings([])

    def start_import(self) -> None:
        """Import every file read, each in its own transaction."""
        files = self._importable()
        if not files:
            return
        service, round_name = self.service, self.round_name
        evaluator = self.evaluator_getter()
        self._busy(True, "正在导入并评价……")

        def work(progress: Any, cancel: Any) -> list[FileImport]:
            total = sum(len(f.applicants) for f in files)
            done_before = 0
            results = []
            for item in files:
                base = done_before

                def step(done: int, count: int, base: int = base) -> None:
                    progress(base + done, total)

                results.append(
                    service.import_file(
                        round_name, item, evaluator=evaluator, progress=step, cancel=cancel
                    )
                )
                done_before += len(item.applicants)
            return results

        self.task = self.runner.start(
            work,
            name="导入申报数据",
            on_progress=self._on_progress,
            on_success=self._import_done,
            on_failure=self._failed,
            on_cancel=self._import_cancelled,
        )

    def _import_done(self, results: list[FileImport]) -> None:
        self.results = results
        self.files = []
        self.changes.clear()
        for result in results:
            if result.already_imported:
                text = f"{result.file_name}：此前已导入过同一文件，没有变化"
            else:
                text = (
                    f"{result.file_name}：新增 {result.applicants_new} 家，"
                    f"数据有变化 {result.applicants_changed} 家（已生成新版本并重新评价），"
                    f"未变化 {result.applicants_unchanged} 家，因错误未导入 {result.rows_blocked} 家"
                )
            self.changes.addItem(text)
        self.tabs.setCurrentIndex(2)
        self._finish("导入完成")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.imported.emit(results)

    def _import_cancelled(self) -> None:
        self._finish("已取消导入：正在导入的文件没有留下任何数据")
        self.imported.emit([])

    def _failed(self, exc: BaseException) -> None:
        self._finish(f"失败：{exc}")
        self.status.setStyleSheet("color:#c62828")

    def _finish(self, text: str) -> None:
        self.task = None
        self._busy(False, text)
        self.status.setStyleSheet("")
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("正在取消……")

    def _jump(self, index: Any) -> None:
        issue = index.model().data(index, Qt.ItemDataRole.UserRole + 2)
        if issue is not None and issue.uscc:
            self.jump_requested.emit(issue.uscc)

    def closeEvent(self, event: Any) -> None:
        if self.task is not None:
            event.ignore()
            self.status.setText("请先取消或等待当前操作完成")
            return
        super().closeEvent(event)
