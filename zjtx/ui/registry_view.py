"""The register (培育库) in the window: the list view, importing lists, an applicant's history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import Decision, Verdict
from zjtx.domain.registry import (
    DEFAULT_VALID_YEARS,
    HOLDING,
    RegistryLevel,
    RegistryStatus,
    RegistryTitle,
)
from zjtx.intake.file_kind import EXCEL_SUFFIXES, WORD_SUFFIXES
from zjtx.store.registry_recheck import NOTHING_CHANGED
from zjtx.ui.layout import size_to_screen
from zjtx.ui.registry_recheck_banner import rechecked_note
from zjtx.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
# What a published list can be: Excel and WPS workbooks, CSV, Word (each read by content).
LIST_SUFFIXES = EXCEL_SUFFIXES | WORD_SUFFIXES | {".csv", ".htm", ".html"}
IMPORT_STATUSES = ("recognised", "publicity", "renewed", "revoked")
STATUS_COLOURS = {
    "recognised": "#1b7f3b",
    "renewed": "#1b7f3b",
    "publicity": "#b26a00",
    "revoked": "#c62828",
    "expired": "#6b6b6b",
}


def this_year() -> int:
    return datetime.now().astimezone().year


def _where(entry: Any) -> str:
    if entry.source_row:
        place = f"{entry.source_sheet} 第 {entry.source_row} 行" if entry.source_sheet else (
            f"第 {entry.source_row} 行"
        )  # fmt: skip
        return f"{entry.source_file} · {place}"
    return entry.source_file or entry.note or ""


class RegistryTableModel(QAbstractTableModel):
    """RegistryEntryInfo rows as the view shows them."""

    COLUMNS = ("企业名称", "统一社会信用代码", "设区市", "县（市、区）", "称号", "级别",
               "年度", "批次", "状态", "有效期至", "来源")  # fmt: skip
    STATUS_COLUMN = 8

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[Any] = []

    def set_entries(self, entries: Sequence[Any]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def cells(self, entry: Any) -> tuple[str, ...]:
        return (
            entry.name,
            entry.uscc or "",
            entry.city or "",
            entry.county or "",
            RegistryTitle.label_of(entry.title),
            RegistryLevel.label_of(entry.level),
            str(entry.year),
            entry.batch,
            RegistryStatus.label_of(entry.shown_status),
            str(entry.valid_until),
            _where(entry),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.cells(entry)[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole and entry.note:
                return f"{text}\n备注：{entry.note}"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.STATUS_COLUMN:
            return QColor(STATUS_COLOURS.get(entry.shown_status, "#333333"))
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None


def _table(columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for position, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(position, column, item)


class EnterpriseHistoryWidget(QWidget):
    """An enterprise's titles on record (every state) and its applications in our rounds."""

    def __init__(self, parent: QWidget | None = None, *, side_by_side: bool = False) -> None:
        super().__init__(parent)
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        self.titles = _table(("称号", "级别", "年度", "状态", "有效期至", "来源", "备注"))
        for column, width in enumerate((180, 60, 50, 70, 70, 240)):
            self.titles.setColumnWidth(column, width)
        self.applications = _table(("评审批次", "批次日期", "评价结论", "决定"))
        for column, width in enumerate((240, 90, 90)):
            self.applications.setColumnWidth(column, width)
        titles_box, applications_box = QWidget(), QWidget()
        for box, label, table in (
            (titles_box, "培育库中的称号及历次状态：", self.titles),
            (applications_box, "在本系统各批次的申报与决定：", self.applications),
        ):
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(label))
            box_layout.addWidget(table, 1)
        parts = QSplitter(Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical)
        parts.addWidget(titles_box)
        parts.addWidget(applications_box)
        parts.setStretchFactor(0, 3)
        parts.setStretchFactor(1, 2)
        parts.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(parts, 1)

    def show_history(self, history: Any) -> None:
        held = [e for e in history.entries if e.current and e.shown_status in HOLDING]
        titles = "、".join(
            f"{RegistryTitle.label_of(e.title)}（有效期至 {e.valid_until} 年）" for e in held
        )
        self.heading.setText(
            f"<b>{history.name or history.query}</b>　{history.uscc or '信用代码未知'}<br>"
            + (f"现持有：{titles}" if titles else "培育库中没有有效期内的称号")
        )
        _fill(self.titles, [
            (RegistryTitle.label_of(e.title),
             RegistryLevel.label_of(e.level), str(e.year),
             RegistryStatus.label_of(e.shown_status) + ("" if e.current else "（已被取代）"),
             str(e.valid_until), _where(e), e.note or "")
            for e in history.entries
        ])  # fmt: skip
        for position, entry in enumerate(history.entries):
            if not entry.current:
                for column in range(self.titles.columnCount()):
                    self.titles.item(position, column).setForeground(QColor("#8a8a8a"))
        _fill(self.applications, [
            (a.round_name, a.round_date, Verdict.label_of(a.verdict, "未评价"),
             Decision.label_of(a.decision, "未决定"))
            for a in history.applications
        ])  # fmt: skip

    def clear(self) -> None:
        self.heading.setText("")
        self.titles.setRowCount(0)
        self.applications.setRowCount(0)


class RegistryImportDialog(QDialog):
    """Which list is being imported: title, year, batch, status, level, validity; the files."""

    imported = Signal(list)  # the RegistryImport of each file

    def __init__(
        self,
        runner: TaskRunner,
        service: Any,
        evaluator: Callable[[], str],
        paths: Sequence[Path] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入公示/认定名单到培育库")
        self.setAcceptDrops(True)
        self.runner, self.service, self.evaluator = runner, service, evaluator
        self.task: Any = None
        self.files = QListWidget()
        self.files.setToolTip("把名单文件（.xlsx、.xls、.csv、.docx）拖到这里，或点“添加文件…”")
        add = QPushButton("添加文件…")
        add.clicked.connect(self.choose_files)
        self.title = QComboBox()
        for title in RegistryTitle:
            self.title.addItem(title.label, title.value)
        self.title.setCurrentIndex(self.title.findData(RegistryTitle.SRDI.value))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(this_year())
        self.batch = QLineEdit()
        self.batch.setPlaceholderText("如 第一批（可不填）")
        self.status = QComboBox()
        for code in IMPORT_STATUSES:
            self.status.addItem(RegistryStatus.label_of(code), code)
        self.level = QComboBox()
        self.level.addItem("按称号（默认）", None)
        for level in RegistryLevel:
            self.level.addItem(level.label, level.value)
        self.valid_years = QSpinBox()
        self.valid_years.setRange(1, 10)
        self.valid_years.setValue(DEFAULT_VALID_YEARS)
        self.valid_years.setSuffix(" 年")
        form = QFormLayout()
        form.addRow("称号", self.title)
        form.addRow("认定年度", self.year)
        form.addRow("批次", self.batch)
        form.addRow("名单状态", self.status)
        form.addRow("认定级别", self.level)
        form.addRow("有效期", self.valid_years)
        self.result = QTextBrowser()
        self.result.setPlaceholderText("导入结果和名单中的问题显示在这里")
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        files_row = QHBoxLayout()
        files_row.addWidget(QLabel("名单文件（可拖入）："), 1)
        files_row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(files_row)
        layout.addWidget(self.files, 1)
        layout.addLayout(form)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        self.add_paths(paths)
        self.resize(560, 620)

    def add_paths(self, paths: Sequence[Path | str]) -> None:
        present = {self.files.item(i).data(Qt.ItemDataRole.UserRole)
                   for i in range(self.files.count())}  # fmt: skip
        for path in paths:
            text = str(path)
            if text not in present:
                self.files.addItem(Path(text).name)
                self.files.item(self.files.count() - 1).setData(Qt.ItemDataRole.UserRole, text)
                self.files.item(self.files.count() - 1).setToolTip(text)
                present.add(text)

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.files.count())]  # fmt: skip

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "选择名单文件", "", "名单 (*.xlsx *.xls *.csv *.docx);;所有文件 (*)"
        )
        self.add_paths(names)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths([u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()

    def options(self) -> dict[str, Any]:
        return {
            "title": self.title.currentData(),
            "year": self.year.value(),
            "batch": self.batch.text().strip(),
            "status": self.status.currentData(),
            "level": self.level.currentData(),
            "valid_years": self.valid_years.value(),
        }

    def start_import(self) -> None:
        """Read and enter each file off the GUI thread (one write task, files in order)."""
        paths = self.paths()
        if not paths:
            self.result.setHtml("<span style='color:#c62828'>请先添加名单文件（可拖入）</span>")
            return
        if self.task is not None:
            return
        service, options, evaluator = self.service, self.options(), self.evaluator()

        def work(progress: Any, cancelled: Any) -> tuple[list[tuple[str, Any]], list[str]]:
            from zjtx.intake.published_list import read_published_list
            from zjtx.store import StoreError

            outcomes: list[tuple[str, Any]] = []
            for number, path in enumerate(paths):
                progress(number, len(paths))
                try:
                    done = service.registry.import_list(
                        read_published_list(path), evaluator=evaluator or None, **options
                    )
                except StoreError as exc:  # the list's problems, in Chinese: nothing written
                    outcomes.append((path.name, exc))
                else:
                    outcomes.append((path.name, done))
            progress(len(paths), len(paths))
            # Where the lists now held still cannot vouch for absence, as the CLI says.
            return outcomes, service.registry.absence_unchecked(window=True)

        self.import_button.setEnabled(False)
        self.result.setHtml("正在导入……")
        self.task = self.runner.start(work, name="导入培育库名单", writes=True,
                                      on_success=self._done, on_failure=self._failed,
                                      on_finish=self._finished)  # fmt: skip

    def _finished(self) -> None:
        self.task = None
        self.import_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from zjtx.ui.errors import show_failure

        self.result.setHtml(f"<span style='color:#c62828'>{_html(str(exc))}</span>")
        show_failure(exc, self)

    def _done(self, answer: tuple[list[tuple[str, Any]], list[str]]) -> None:
        outcomes, unchecked = answer
        lines, imported = [], []
        for name, outcome in outcomes:
            if isinstance(outcome, Exception):
                lines.append(f"<p style='color:#c62828'><b>{_html(name)}</b>："
                             f"{_html(str(outcome))}</p>")  # fmt: skip
                continue
            imported.append(outcome)
            lines.append(
                f"<p><b>{_html(name)}</b>：{outcome.rows} 行，新增 {outcome.added} 项，"
                f"状态更新 {outcome.superseded} 项，补充信用代码 {outcome.uscc_attached} 项，"
                f"未变 {outcome.unchanged} 项</p>"
            )
            lines += [
                f"<p style='margin-left:12px'>提示：{_html(note)}</p>" for note in outcome.notes
            ]
            lines += [
                f"<p style='margin-left:12px'>已重新核对：{_html(r.summary())}</p>"
                for r in outcome.rechecked
            ]
        if imported:
            lines += [f"<p>提示：{_html(line)}</p>" for line in unchecked]
        self.result.setHtml("".join(lines))
        if imported:
            self.imported.emit(imported)


def _html(text: str) -> str:
    from html import escape

    return escape(text).replace("\n", "<br>")


class RegistryView(QMainWindow):
    """培育库: every recognition on record, filtered by title, year, region and status, with
    counts, the renewals due next year, the selected enterprise's history, imports (drop list
    files here) and exports."""

    loaded = Signal()
    history_loaded = Signal(object)
    revoked = Signal(object)  # the RegistryChange the revocation made
    exported = Signal(str)  # the path written
    # After a change of the register or a recheck: the open rounds whose register warnings
    # changed (RoundRecheck; empty after a recheck or list import that changed none).
    rechecked = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        service: Any,
        evaluator: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("培育库：历年称号、有效期与到期复核")
        self.setAcceptDrops(True)
        self.runner, self.service, self.evaluator = runner, service, evaluator
        self.entries: list[Any] = []
        self.name_keys: dict[int, str] = {}  # entry id -> normalised name, for the search
        self.import_dialog: RegistryImportDialog | None = None
        self._history_request = 0
        self._loaded_message = ""  # what the status bar says after the next reload

        self.title_filter = QComboBox()
        self.title_filter.addItem("全部称号", "")
        for title in RegistryTitle:
            self.title_filter.addItem(title.label, title.value)
        self.year_filter = QComboBox()
        self.year_filter.addItem("全部年度", None)
        self.region_filter = QLineEdit()
        self.region_filter.setPlaceholderText("设区市或县（市、区）")
        self.region_filter.setClearButtonEnabled(True)
        self.region_filter.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("设区市或县（市、区）") + 40
        )
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", "")
        for status in RegistryStatus:
            self.status_filter.addItem(status.label, status.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText("企业名称或统一社会信用代码")
        self.search.setClearButtonEnabled(True)
        self.due_only = QCheckBox(f"只看 {this_year() + 1} 年到期")
        self.due_only.setToolTip("有效期于明年届满、应于明年复核的称号（已认定或复核通过）")
        for combo in (self.title_filter, self.year_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        for edit in (self.region_filter, self.search):
            edit.textChanged.connect(self.apply_filters)
        self.due_only.toggled.connect(self.apply_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for widget in (self.title_filter, self.year_filter, self.region_filter,
                       self.status_filter, self.due_only):  # fmt: skip
            filters.addWidget(widget)

        self.counts = QLabel("")
        self.counts.setObjectName("registryCounts")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setWordWrap(True)
        self.model = RegistryTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("registry")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((250, 150, 70, 90, 150, 60, 50, 80, 70, 64)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.history = EnterpriseHistoryWidget(side_by_side=True)

        self.import_action = QAction("导入名单…", self)
        self.import_action.setToolTip(
            "导入公示名单、认定名单或复核通过名单（也可把文件拖到本窗口）"
        )
        self.import_action.triggered.connect(lambda: self.open_import())
        self.export_action = QAction("导出培育库 Excel…", self)
        self.export_action.triggered.connect(self.choose_register_export)
        self.due_action = QAction("到期复核提醒…", self)
        self.due_action.setToolTip(f"导出 {this_year() + 1} 年到期复核提醒（PDF 或 Excel）")
        self.due_action.triggered.connect(self.choose_due_export)
        self.revoke_action = QAction("撤销称号…", self)
        self.revoke_action.setToolTip("撤销所选企业的这一称号（须说明理由；原记录保留在历史中）")
        self.revoke_action.setEnabled(False)
        self.revoke_action.triggered.connect(self.ask_revoke)
        self.recheck_action = QAction("重新核对批次", self)
        self.recheck_action.setToolTip(
            "按现行培育库重新核对全部未归档批次的培育库提示（培育库每次变更时会自动核对；"
            "更新 zjtx 后可用此项）"
        )
        self.recheck_action.triggered.connect(self.recheck_rounds)
        self.refresh_action = QAction("刷新", self)
        self.refresh_action.triggered.connect(self.reload)
        toolbar = QToolBar("培育库")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for item in (self.import_action, self.export_action, self.due_action,
                     self.revoke_action, self.recheck_action, self.refresh_action):  # fmt: skip
            toolbar.addAction(item)
        self.addToolBar(toolbar)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(6, 6, 6, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.counts)
        top_layout.addWidget(self.table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(6, 0, 6, 6)
        bottom_layout.addWidget(self.history)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([620, 240])
        self.setCentralWidget(splitter)
        self.statusBar().showMessage("把公示名单、认定名单拖到本窗口即可导入")
        size_to_screen(self, 1280, 760)
        self.reload()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        service = self.service
        self.statusBar().showMessage("正在读取培育库……")
        self.runner.start(lambda p, c: service.registry.list_entries(), name="读取培育库",
                          on_success=self._loaded, on_failure=self._failed)  # fmt: skip

    def _loaded(self, entries: list[Any]) -> None:
        from zjtx.domain.names import normalise_name

        self.entries = entries
        self.name_keys = {e.id: normalise_name(e.name) for e in entries}
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem("全部年度", None)
        for year in sorted({e.year for e in entries}, reverse=True):
            self.year_filter.addItem(f"{year} 年", year)
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findData(chosen)))
        self.year_filter.blockSignals(False)
        self.apply_filters()
        message, self._loaded_message = self._loaded_message, ""
        if message:
            self.statusBar().showMessage(message, 15000)
        else:
            self.statusBar().showMessage(
                f"培育库共 {len(entries)} 项认定；可把名单文件拖到本窗口导入"
            )
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        from zjtx.ui.errors import show_failure

        self.statusBar().showMessage(str(exc), 15000)
        show_failure(exc, self)

    def filtered(self) -> list[Any]:
        """The entries the filters let through, in the register's order."""
        title, year = self.title_filter.currentData(), self.year_filter.currentData()
        status, region = self.status_filter.currentData(), self.region_filter.text().strip()
        search = self.search.text().strip()
        due_year = this_year() + 1
        from zjtx.domain.names import normalise_name

        key = normalise_name(search) if search else ""
        shown = []
        for entry in self.entries:
            if (title and entry.title != title) or (year is not None and entry.year != year):
                continue
            if status and entry.shown_status != status:
                continue
            if region and region not in f"{entry.city or ''} {entry.county or ''}":
                continue
            if self.due_only.isChecked() and not (
                entry.valid_until == due_year and entry.status in HOLDING
            ):
                continue
            if search and search.upper() != entry.uscc and key not in self.name_keys[entry.id]:
                continue
            shown.append(entry)
        return shown

    def apply_filters(self) -> None:
        shown = self.filtered()
        self.model.set_entries(shown)
        self.revoke_action.setEnabled(False)  # the selection is gone with the old rows
        statuses = Counter(e.shown_status for e in shown)
        due_year = this_year() + 1
        due = sum(1 for e in self.entries if e.valid_until == due_year and e.status in HOLDING)
        parts = "　".join(
            f"<span style='color:{STATUS_COLOURS[s.value]}'>{s.label} {statuses[s.value]}</span>"
            for s in RegistryStatus
            if statuses[s.value]
        )
        titles = Counter(e.title for e in shown)
        by_title = "　".join(
            f"{t.label} {titles[t.value]}" for t in RegistryTitle if titles[t.value]
        )
        self.counts.setText(
            f"显示 {len(shown)} / {len(self.entries)} 项　{parts}"
            + (f"<br>{by_title}" if by_title else "")
            + f"　<b>{due_year} 年到期应复核 {due} 项</b>"
        )

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.data(current, Qt.ItemDataRole.UserRole) if current.isValid() else None
        self.revoke_action.setEnabled(entry is not None and entry.shown_status in HOLDING)
        if entry is None:
            return
        service = self.service
        self._history_request += 1
        request = self._history_request

        def loaded(history: Any) -> None:
            if request == self._history_request:
                self.history.show_history(history)
                self.history_loaded.emit(history)

        self.runner.start(lambda p, c: service.registry.enterprise(entry.uscc or "", entry.name),
                          name="读取企业称号历史", on_success=loaded,
                          on_failure=self._failed)  # fmt: skip

    # ------------------------------------------------------------------ revoking
    def selected_entry(self) -> Any:
        index = self.table.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def ask_revoke(self) -> None:
        from zjtx.ui.registry_revoke import RevokeDialog

        entry = self.selected_entry()
        if entry is None or entry.shown_status not in HOLDING:
            return
        dialog = RevokeDialog(entry, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.revoke(entry, dialog.reason_text())

    def revoke(self, entry: Any, reason: str) -> None:
        """Revoke ``entry``'s title with ``reason`` off the GUI thread, then reload."""
        from zjtx.ui.registry_revoke import entry_summary

        service, evaluator, summary = self.service, self.evaluator(), entry_summary(entry)

        def done(change: Any) -> None:
            # Shown once the reload is in.
            self._loaded_message = f"已撤销 {summary}" + rechecked_note(change.rechecked)
            self.reload()
            self.revoked.emit(change)
            if change.rechecked:
                self.rechecked.emit(change.rechecked)

        self.runner.start(
            lambda p, c: service.registry.revoke(
                entry.uscc or entry.name, title=entry.title, reason=reason,
                evaluator=evaluator or None,
            ),
            name="撤销称号", writes=True, on_success=done, on_failure=self._failed,
        )  # fmt: skip

    def recheck_rounds(self) -> None:
        """Check the open rounds again against the register, off the GUI thread."""
        service, evaluator = self.service, self.evaluator()

        def done(rechecked: Any) -> None:
            self.recheck_action.setEnabled(True)
            if rechecked:
                self.statusBar().showMessage(
                    "已重新核对：" + rechecked_note(rechecked).removeprefix("；"), 15000
                )
            else:
                self.statusBar().showMessage(NOTHING_CHANGED, 15000)
            self.rechecked.emit(rechecked)  # the open rounds were checked even if none changed

        def failed(exc: BaseException) -> None:
            self.recheck_action.setEnabled(True)
            self._failed(exc)

        self.recheck_action.setEnabled(False)
        self.statusBar().showMessage("正在重新核对未归档的批次……")
        self.runner.start(
            lambda p, c: service.registry.recheck_rounds(evaluator=evaluator or None),
            name="重新核对批次", writes=True, on_success=done, on_failure=failed,
        )  # fmt: skip

    # ------------------------------------------------------------------ importing
    def open_import(self, paths: Sequence[Path | str] = ()) -> RegistryImportDialog:
        if self.import_dialog is None:
            dialog = RegistryImportDialog(self.runner, self.service, self.evaluator, (), self)
            dialog.imported.connect(self._imported)
            self.import_dialog = dialog
        self.import_dialog.add_paths(list(paths))
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog

    def _imported(self, results: list[Any]) -> None:
        from zjtx.store.registry_recheck import merged

        added = sum(r.added + r.superseded + r.uscc_attached for r in results)
        rechecked = merged(r for result in results for r in result.rechecked)
        self.reload()
        self.statusBar().showMessage(
            f"已导入 {len(results)} 份名单，培育库变化 {added} 项" + rechecked_note(rechecked),
            15000,
        )
        self.rechecked.emit(rechecked)  # a title first on record checked every open round

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        lists = [p for p in paths if Path(p).suffix.lower() in LIST_SUFFIXES]
        left = [Path(p).name for p in paths if p not in lists]
        if left:  # said, never silently dropped beside the lists that are imported
            self.statusBar().showMessage(
                f"未导入 {'、'.join(left)}：名单只能是 Excel、WPS 表格、CSV 或 Word 文件", 15000
            )
        if not lists:
            return
        event.acceptProposedAction()
        self.open_import(lists)

    # ------------------------------------------------------------------ exporting
    def choose_register_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出培育库", "培育库.xlsx", "Excel (*.xlsx)")
        if path:
            self.export_register(Path(path))

    def choose_due_export(self) -> None:
        year = this_year() + 1
        path, _ = QFileDialog.getSaveFileName(
            self, "导出到期复核提醒", f"{year}年到期复核提醒.pdf", "PDF (*.pdf);;Excel (*.xlsx)"
        )
        if path:
            self.export_due(Path(path), year)

    def export_register(self, path: Path) -> None:
        """The entries on screen (as filtered) to an Excel workbook, off the GUI thread."""
        from zjtx.export.registry import write_register_xlsx

        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        entries = self.filtered()
        self.runner.start(lambda p, c: write_register_xlsx(entries, path), name="导出培育库",
                          on_success=lambda _r: self._exported(path, f"培育库 {len(entries)} 项"),
                          on_failure=self._failed)  # fmt: skip

    def export_due(self, path: Path, year: int) -> None:
        """到期复核提醒 of ``year`` as PDF or Excel (by the file's suffix)."""
        from zjtx.export.registry import due_reminder, write_due_pdf, write_due_xlsx

        service = self.service
        writer = write_due_xlsx if path.suffix.lower() == ".xlsx" else write_due_pdf
        if path.suffix.lower() not in (".xlsx", ".pdf"):
            path = path.with_suffix(".pdf")

        def work(progress: Any, cancelled: Any) -> int:
            entries = service.registry.due(year)
            writer(due_reminder(entries, year, datetime.now().astimezone()), path)
            return len(entries)

        self.runner.start(work, name="导出到期复核提醒",
                          on_success=lambda n: self._exported(path, f"{year} 年到期 {n} 家"),
                          on_failure=self._failed)  # fmt: skip

    def _exported(self, path: Path, what: str) -> None:
        self.statusBar().showMessage(f"已导出{what}到 {path}", 15000)
        self.exported.emit(str(path))
