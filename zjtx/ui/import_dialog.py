"""Import wizard: choose or drop files, read them, check mappings and issues, import."""

from __future__ import annotations

import errno
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.issues import Issue, Severity
from zjtx.export.issues_xlsx import SEVERITY_LABELS, IssueRow
from zjtx.intake.mapping import IGNORE_LABEL, ColumnOverride
from zjtx.intake.profiles import ProfileBook
from zjtx.store import FileImport, StoreError, StoreService
from zjtx.store.early_scoring import EarlyScoring
from zjtx.store.profiles import StoreProfileBook, profile_book_for
from zjtx.ui.import_models import (
    MAPPING_ROLE,
    ROSTER_MAPPING_HINT,
    ImportIssuesModel,
    MappingDelegate,
    MappingModel,
    SeverityFilter,
    field_choices,
)
from zjtx.ui.import_reading import ImportReadingMixin
from zjtx.ui.layout import size_to_screen
from zjtx.ui.models import ROW_ROLE, SEVERITY_COLOURS, SORT_ROLE
from zjtx.ui.tasks import Task, TaskRunner

# Names tests and other modules import from here (they now live in import_models).
__all__ = [
    "IGNORE_LABEL",
    "MAPPING_ROLE",
    "ImportDialog",
    "ImportIssuesModel",
    "MappingDelegate",
    "MappingModel",
    "SeverityFilter",
    "field_choices",
    "not_imported_text",
]
# Word 97-2003 (.doc) and WPS (.wps) files are listed so that choosing one says how to convert.
IMPORT_FILE_FILTER = (
    "申报文件 (*.xlsx *.xlsm *.xls *.et *.ett *.csv *.txt *.json *.docx *.docm *.doc *.wps);;"
    "旧版 Word / WPS 文档（真正的旧格式须先另存为 .docx） (*.doc *.wps);;所有文件 (*)"
)
TEMPLATE_TITLES = {"roster": "申报名单模板", "form": "申报表模板"}
# The readings a workbook can be switched between, as the reading combo lists them.
READING_CHOICES = (("roster", "按名单读取（每行一家企业）"), ("form", "按一家企业的申报材料读取"))
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def not_imported_text(file: Any) -> str:
    """What became of a file from which nothing could be imported, and why."""
    name = getattr(file, "display_name", "") or Path(file.path).name
    errors = [i for i in file.issues if i.severity == Severity.ERROR]
    if file.kind == "skipped":
        reason = next((i.message for i in file.issues), "不是申报文件")
        return f"{name}：未导入——{reason.removeprefix('已跳过：')}"
    if file.rows_blocked:
        who = (
            f"{file.rows_blocked} 家均" if file.rows_blocked > 1 else
            f"{(file.blocked_applicants[0].name if file.blocked_applicants else '') or '该企业'}"
        )  # fmt: skip
        return (
            f"{name}：未导入——{who}因错误不能导入（错误 {len(errors)} 条，"
            "见“问题清单”；更正文件后重新读取）"
        )
    if errors:
        reason = errors[0].message.removeprefix(f"{name}：")
        return f"{name}：未导入——{reason}（错误 {len(errors)} 条）"
    return f"{name}：未导入——文件中没有企业数据"


def _save_error(path: Path, exc: BaseException) -> str:
    """A Chinese message for a file that could not be written."""
    if isinstance(exc, PermissionError):
        why = "没有写入权限，或同名文件正在 Excel 等程序中打开"
    elif isinstance(exc, FileNotFoundError):
        why = "文件夹不存在"
    elif isinstance(exc, NotADirectoryError | FileExistsError):
        why = "保存位置中有同名的文件，不是文件夹"
    elif isinstance(exc, IsADirectoryError):
        why = "已有同名的文件夹"
    elif isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        why = "磁盘空间不足"
    else:
        why = "写入失败，请换一个保存位置"
    return f"无法保存到“{path}”：{why}（未留下不完整的文件）"


def _safe_file_name(text: str) -> str:
    """``text`` with the characters Windows forbids in file names replaced."""
    return re.sub(r'[\\/:*?"<>|]', "_", text).strip() or "导出"


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


class ImportDialog(ImportReadingMixin, QDialog):
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
        profiles: ProfileBook | StoreProfileBook | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"导入申报数据 — {round_name}")
        self.runner = runner
        self.service = service
        self.round_name = round_name
        self.evaluator_getter = evaluator_getter
        self.paths: list[Path] = []
        self.files: list[Any] = []  # FileResult of the last read
        self.importing: list[Any] = []  # every file read when 导入 was pressed
        self.results: list[FileImport] = []
        self.task: Task | None = None
        # Workers that scored a large file's rows while it was read, for its import.
        self.early: EarlyScoring | None = None
        # The evaluator's corrections, by (file, sheet, column letter); kept across re-reads.
        self.overrides: dict[tuple[str, str | None, str], ColumnOverride] = {}
        # The evaluator's reading of a workbook ("form" | "roster"), by file; kept across re-reads.
        self.readings: dict[str, str] = {}
        # With PostgreSQL the profiles are the bureau's, shared in the database.
        self.profiles = profiles if profiles is not None else profile_book_for(service.store)
        self.round_year = 0
        self.round_fields: Any = None  # the round's catalogue, read with its files
        self.setAcceptDrops(True)

        hint = QLabel(
            "把申报名单、申报表（.xlsx / .xls / .csv）、Word 申请书（.docx；.doc、.wps 请先另存为"
            " .docx）或 JSON 文件、文件夹拖到下面，"
            "或点“选择文件”。先“读取并检查”，核对列对应关系与问题后再“导入”。"
            "还没有表格？点“下载模板”发给申报企业填写。"
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
        self.template_button = QPushButton("下载模板")
        self.template_button.setToolTip("生成本批次年度的空白模板（.xlsx），发给申报企业填写")
        templates = QMenu(self.template_button)
        self.roster_template_action = QAction("申报名单模板（每行一家企业）…", self)
        self.roster_template_action.triggered.connect(lambda: self.download_template("roster"))
        self.form_template_action = QAction("申报表模板（每家企业一个文件）…", self)
        self.form_template_action.triggered.connect(lambda: self.download_template("form"))
        templates.addAction(self.roster_template_action)
        templates.addAction(self.form_template_action)
        self.template_button.setMenu(templates)
        chooser = QHBoxLayout()
        chooser.addWidget(choose_files)
        chooser.addWidget(choose_folder)
        chooser.addWidget(clear)
        chooser.addStretch(1)
        chooser.addWidget(self.template_button)

        self.summary = QLabel("尚未读取")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.mapping_file = QComboBox()
        self.mapping_file.currentIndexChanged.connect(self._show_mapping)
        self.mapping_model = MappingModel(self)
        self.mapping_model.edited.connect(self._mapping_edited)
        self.mapping_view = self._view(self.mapping_model)
        self.mapping_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.mapping_delegate = MappingDelegate(self.mapping_view)
        self.mapping_view.setItemDelegate(self.mapping_delegate)
        for column, width in enumerate((70, 60, 230, 190, 70, 110)):
            self.mapping_view.setColumnWidth(column, width)
        self.reset_mapping_button = QPushButton("恢复自动识别")
        self.reset_mapping_button.setToolTip("撤销对列对应关系的全部更正，按表头重新识别并读取")
        self.reset_mapping_button.setEnabled(False)
        self.reset_mapping_button.clicked.connect(self.reset_mapping)
        self.mapping_hint = QLabel(ROSTER_MAPPING_HINT)
        self.mapping_hint.setWordWrap(True)
        self.reading_label = QLabel("")
        self.reading_label.setWordWrap(True)
        self.reading_label.setTextFormat(Qt.TextFormat.RichText)
        self.reading_choice = QComboBox()
        self.reading_choice.setToolTip(
            "一份工作簿可按名单读取（每行一家企业），也可按一家企业的申报材料读取（各工作表合在一起）；"
            "改选后自动重新读取"
        )
        for value, text in READING_CHOICES:
            self.reading_choice.addItem(text, value)
        self.reading_choice.setEnabled(False)
        self.reading_choice.activated.connect(self._reading_chosen)
        self.save_profile_button = QPushButton("保存为对应关系…")
        self.save_profile_button.setToolTip(
            "把对这份文件的列更正保存下来（按表头识别）：以后同样表头的文件自动按它读取"
        )
        self.save_profile_button.setEnabled(False)
        self.save_profile_button.clicked.connect(self.ask_save_profile)
        mapping_page = QWidget()
        mapping_layout = QVBoxLayout(mapping_page)
        mapping_layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("文件："))
        row.addWidget(self.mapping_file, 1)
        row.addWidget(self.reset_mapping_button)
        mapping_layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.reading_label, 1)
        row.addWidget(QLabel("读法："))
        row.addWidget(self.reading_choice)
        row.addWidget(self.save_profile_button)
        mapping_layout.addLayout(row)
        mapping_layout.addWidget(self.mapping_hint)
        mapping_layout.addWidget(self.mapping_view)

        self.issues_model = ImportIssuesModel(self)
        self.issues_filter = SeverityFilter(self)
        self.issues_view = self._view(self.issues_model, self.issues_filter)
        self.issues_view.setWordWrap(True)
        issues_header = self.issues_view.horizontalHeader()
        issues_header.setStretchLastSection(False)
        # 说明 takes what the other columns leave, and its rows grow to the wrapped text.
        for column, width in enumerate((46, 150, 360, 110, 120, 100, 150)):
            self.issues_view.setColumnWidth(column, width)
        issues_header.setSectionResizeMode(
            ImportIssuesModel.MESSAGE, QHeaderView.ResizeMode.Stretch
        )
        self._rows_timer = QTimer(self)  # once a resize settles: a drag resizes it often
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(200)
        self._rows_timer.timeout.connect(self.issues_view.resizeRowsToContents)
        issues_header.sectionResized.connect(
            lambda column, _old, _new: (
                column == ImportIssuesModel.MESSAGE and self._rows_timer.start()
            )
        )
        self.issues_view.doubleClicked.connect(self._jump)
        self.export_issues_button = QPushButton("导出问题清单…")
        self.export_issues_button.setToolTip(
            "把列出的问题（按级别筛选时只含筛选出的）保存为 Excel 工作簿，发给申报企业更正"
        )
        self.export_issues_button.setEnabled(False)
        self.export_issues_button.clicked.connect(self.export_issues)
        self.severity_filter = QComboBox()
        self.severity_filter.setToolTip("只看某一级别的问题")
        self._fill_severity_filter([])
        self.severity_filter.currentIndexChanged.connect(self._filter_issues)
        issues_page = QWidget()
        issues_layout = QVBoxLayout(issues_page)
        issues_layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("级别："))
        row.addWidget(self.severity_filter)
        row.addWidget(QLabel("双击一行可在主窗口中定位该企业（已导入时）"))
        row.addStretch(1)
        row.addWidget(self.export_issues_button)
        issues_layout.addLayout(row)
        issues_layout.addWidget(self.issues_view)
        self.changes = QListWidget()
        self.changes.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(mapping_page, "列对应关系")
        self.tabs.addTab(issues_page, "问题清单")
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
        size_to_screen(self, 1180, 720)

    @staticmethod
    def _view(model: Any, proxy: QSortFilterProxyModel | None = None) -> QTableView:
        proxy = proxy if proxy is not None else QSortFilterProxyModel(model)
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
        names, _ = QFileDialog.getOpenFileNames(self, "选择申报文件", "", IMPORT_FILE_FILTER)
        self.add_paths(names)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择文件夹")
        if folder:
            self.add_paths([folder])

    def _clear(self) -> None:
        self.paths = []
        self.overrides = {}
        self.readings = {}
        self.file_list.clear()
        self.import_button.setEnabled(False)

    def add_paths(self, paths: list[str | Path]) -> None:
        if self.results:
            # Files added after an import are a new import: the files imported already stay
            # out of it (read again beside a corrected copy, each would block the other).
            self._clear()
            self.results = []
            self.changes.clear()
            self.status.setText("上次导入已完成；以下是新的一次导入")
        for raw in paths:
            path = Path(raw)
            if path not in self.paths:
                self.paths.append(path)
                label = f"{path.name}（文件夹）" if path.is_dir() else path.name
                self.file_list.addItem(label)
                self.file_list.item(self.file_list.count() - 1).setToolTip(str(path))
        self.import_button.setEnabled(False)
        self.files = []
        self.overrides = {}
        self.readings = {}

    # ------------------------------------------------------------------ running
    def _busy(self, busy: bool, text: str = "") -> None:
        self.read_button.setEnabled(not busy and bool(self.paths))
        self.import_button.setEnabled(not busy and bool(self._importable()))
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        self.mapping_view.setEnabled(not busy)
        self.reset_mapping_button.setEnabled(not busy and bool(self.overrides))
        self._update_reading_controls(busy)
        self.template_button.setEnabled(not busy)
        self.export_issues_button.setEnabled(not busy and self.issues_filter.rowCount() > 0)
        self.status.setText(text)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _importable(self) -> list[Any]:
        return [f for f in self.files if f.applicants]

    def start_import(self) -> None:
        """Import every file read, each in its own transaction."""
        files = self._importable()
        if not files:
            return
        self.importing = list(self.files)
        service, round_name = self.service, self.round_name
        evaluator = self.evaluator_getter()
        early, self.early = self.early, None  # what was scored while the files were read
        self._busy(True, "正在导入并评价……")

        def work(progress: Any, cancel: Any) -> list[FileImport]:
            total = sum(len(f.applicants) for f in files)
            done_before = 0
            results = []
            try:
                for item in files:
                    base = done_before

                    def step(done: int, count: int, base: int = base) -> None:
                        progress(base + done, total)

                    results.append(
                        service.import_file(
                            round_name,
                            item,
                            evaluator=evaluator,
                            progress=step,
                            cancel=cancel,
                            early=early,
                        )
                    )
                    done_before += len(item.applicants)
            finally:
                if early is not None:
                    early.close()
            return results

        self.task = self.runner.start(
            work,
            name="导入申报数据",
            writes=True,
            on_progress=self._on_progress,
            on_success=self._import_done,
            on_failure=self._failed,
            on_cancel=self._import_cancelled,
        )

    def _import_done(self, results: list[FileImport]) -> None:
        self.results = results
        self.files = []
        self.changes.clear()
        # Every file read is listed, in the order read: the ones nothing came from too.
        imported = iter(results)
        for file in self.importing:
            if file.applicants:
                self.changes.addItem(self._imported_text(next(imported)))
                continue
            item = QListWidgetItem(not_imported_text(file))
            item.setForeground(QBrush(QColor(SEVERITY_COLOURS[Severity.ERROR])))
            errors = [i.message for i in file.issues if i.severity == Severity.ERROR]
            if errors:
                more = f"\n……共 {len(errors)} 条" if len(errors) > 12 else ""
                item.setToolTip("\n".join(errors[:12]) + more)
            self.changes.addItem(item)
        self.importing = []
        self.tabs.setCurrentIndex(2)
        self._finish("导入完成")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.imported.emit(results)

    @staticmethod
    def _imported_text(result: FileImport) -> str:
        if result.already_imported:
            return f"{result.file_name}：此前已导入过同一文件，没有变化"
        return (
            f"{result.file_name}：新增 {result.applicants_new} 家，"
            f"数据有变化 {result.applicants_changed} 家（已生成新版本并重新评价），"
            f"未变化 {result.applicants_unchanged} 家，因错误未导入 {result.rows_blocked} 家"
        )

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

    # ------------------------------------------------------------------ issues: filter, export
    def _fill_severity_filter(self, issues: Sequence[Issue]) -> None:
        """全部 / 错误 / 警告 / 提示 with their counts; the choice made stays."""
        chosen = self.severity_filter.currentData() or ""
        self.severity_filter.blockSignals(True)
        self.severity_filter.clear()
        self.severity_filter.addItem(f"全部（{len(issues)}）", "")
        for severity in Severity:
            count = sum(1 for i in issues if i.severity == severity)
            self.severity_filter.addItem(f"{SEVERITY_LABELS[severity]}（{count}）", str(severity))
        self.severity_filter.setCurrentIndex(max(self.severity_filter.findData(chosen), 0))
        self.severity_filter.blockSignals(False)
        self._filter_issues()

    def _filter_issues(self) -> None:
        self.issues_filter.set_severity(self.severity_filter.currentData() or "")
        self.issues_view.resizeRowsToContents()
        self.export_issues_button.setEnabled(
            self.task is None and self.issues_filter.rowCount() > 0
        )

    def _shown_issue_rows(self) -> list[IssueRow]:
        """The issues listed, in the order shown (filter and sorting applied)."""
        proxy = self.issues_filter
        return [
            self.issues_model.row_at(proxy.mapToSource(proxy.index(r, 0)).row())
            for r in range(proxy.rowCount())
        ]

    def _default_folder(self) -> Path:
        """Where save dialogs open: beside the files chosen, else the home folder."""
        if self.paths:
            first = self.paths[0]
            return first if first.is_dir() else first.parent
        return Path.home()

    def _ask_save_path(self, caption: str, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, caption, str(self._default_folder() / name), XLSX_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def export_issues(self) -> None:
        """Save the issues listed (as filtered) to an Excel workbook."""
        rows = self._shown_issue_rows()
        if not rows:
            self.status.setText("没有可导出的问题")
            return
        severity = self.severity_filter.currentData() or ""
        which = f"（{SEVERITY_LABELS[Severity(severity)]}）" if severity else ""
        name = f"{_safe_file_name(self.round_name)}_问题清单{which}.xlsx"
        target = self._ask_save_path("导出问题清单", name)
        if target is None:
            return

        def work(progress: Any, cancel: Any) -> Path:
            from zjtx.export.issues_xlsx import write_issues_xlsx

            return write_issues_xlsx(rows, target)

        self._write_file(work, target, "导出问题清单", f"已导出 {len(rows)} 条问题：{{path}}")

    def download_template(self, kind: str) -> None:
        """Save the round's blank roster or form template (its year's and rulebook's
        questions) where the evaluator says."""
        title = TEMPLATE_TITLES[kind]
        try:
            if not self.round_year:
                self.round_year = self.service.get_round(self.round_name).round_date.year
        except StoreError as exc:  # the round is gone or the database unreachable
            self.status.setText(f"无法确定本批次的年度：{exc}")
            self.status.setStyleSheet("color:#c62828")
            return
        year = self.round_year
        # Named for the round: its template asks the round's questions (a 山东 round's own).
        target = self._ask_save_path(f"保存{title}", f"{self.round_name}_{title}.xlsx")
        if target is None:
            return

        service, round_name = self.service, self.round_name

        def work(progress: Any, cancel: Any) -> Path:
            from zjtx.intake.templates import write_form_template, write_roster_template

            # Asked as the round's rulebook and notices word each question (2026: incidents),
            # only what its rulebooks read and its reports print, titled for its tier.
            catalogue, subject = service.round_template(round_name)
            writer = write_roster_template if kind == "roster" else write_form_template
            # written atomically by the writer
            return Path(writer(target, catalogue, year, subject=subject))

        self._write_file(work, target, f"生成{title}", f"已保存{year}年度{title}：{{path}}")

    def _write_file(
        self, work: Callable[[Any, Any], Path], target: Path, name: str, done_text: str
    ) -> None:
        """Write a file off the GUI thread; the status line says where it went, or why not."""

        def failed(exc: BaseException) -> None:
            self._finish(_save_error(target, exc))
            self.status.setStyleSheet("color:#c62828")

        self._busy(True, f"正在{name}……")
        self.task = self.runner.start(
            work,
            name=name,
            on_success=lambda path: self._finish(done_text.format(path=path)),
            on_failure=failed,
            on_cancel=lambda: self._finish(f"已取消{name}"),
        )

    def _jump(self, index: Any) -> None:
        issue = index.model().data(index, ROW_ROLE)
        if issue is not None and issue.uscc:
            self.jump_requested.emit(issue.uscc)

    def closeEvent(self, event: Any) -> None:
        if self.task is not None:
            event.ignore()
            self.status.setText("请先取消或等待当前操作完成")
            return
        super().closeEvent(event)

    def hideEvent(self, event: Any) -> None:
        # Workers kept from the reading for the import end with the dialog; the files read
        # stay, and an import after it is reopened scores them here as usual.
        if self.early is not None and self.task is None:
            early, self.early = self.early, None
            early.close(wait=False)
        super().hideEvent(event)
