"""Import wizard: choose or drop files, read them, check mappings and issues, import."""

from __future__ import annotations

import errno
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
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
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.fields import FieldCatalogue, FieldType
from zjtx.domain.issues import Issue, Severity
from zjtx.export.issues_xlsx import SEVERITY_LABELS, IssueRow, field_text, issue_rows
from zjtx.intake.mapping import IGNORE, IGNORE_LABEL, ColumnOverride, MappingError
from zjtx.store import FileImport, StoreError, StoreService
from zjtx.ui.models import ROW_ROLE, SEVERITY_COLOURS, SEVERITY_ORDER, SORT_ROLE, ListTableModel
from zjtx.ui.tasks import Task, TaskRunner

INPUT_SUFFIXES = (".xlsx", ".xls", ".csv", ".json")
MAPPING_ROLE = Qt.ItemDataRole.UserRole + 3  # the ColumnMapping of a row
MONEY_UNIT_CHOICES = ("元", "千元", "万元", "百万元", "亿元")
TEMPLATE_TITLES = {"roster": "申报名单模板", "form": "申报表模板"}
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
ROSTER_MAPPING_HINT = (
    "双击“对应字段”“年度”或“单位”可更正（可输入中文查找字段），更正后自动重新读取；"
    "“手动”是您更正过的列，导入时按更正后的对应关系导入。"
)
FORM_MAPPING_HINT = (
    "申报表按栏目名称读取，这里列出每个栏目对应的字段（不能在此更正）；"
    "栏目读错时请直接修改申报表，或改用“下载模板”中的申报表模板。"
)
Index = QModelIndex | QPersistentModelIndex


@cache
def _catalogue() -> FieldCatalogue:
    from zjtx.scoring import load_catalogue

    return load_catalogue()


def field_choices(catalogue: FieldCatalogue) -> list[tuple[str, str]]:
    """(Chinese text, value) of every field an evaluator may pick; a series is listed once
    (its value is the series base and the year is chosen beside it)."""
    choices = [(IGNORE_LABEL, IGNORE)]
    seen: set[str] = set()
    for spec in catalogue:
        value = spec.base if spec.year is not None else spec.key
        if value in seen:
            continue
        seen.add(value)
        unit = "万元" if spec.type == FieldType.MONEY else spec.unit
        text = f"{spec.label}（{unit}）" if unit else spec.label
        if spec.year is not None:
            text += "（分年度）"
        choices.append((text, value))
    return choices


class MappingModel(ListTableModel):
    """How each column of a file is mapped; 对应字段, 年度 and 单位 of roster columns editable.

    An edit does not change the mapping itself: it emits ``edited`` (the dialog re-reads the
    files with the correction) and shows the chosen value until the re-read arrives.
    """

    COLUMNS = ("工作表", "单元格", "表头", "对应字段", "年度", "单位", "识别")
    FIELD, YEAR, UNIT, HOW = 3, 4, 5, 6
    edited = Signal(object, str, object, object)  # ColumnMapping, field, year, unit

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pending: dict[int, tuple[str, int | None, str | None]] = {}
        self.year = 0  # evaluation year of the round (0: unknown, years not editable)

    def set_mappings(self, items: Sequence[Any], year: int | None = None) -> None:
        self._pending = {}
        if year is not None:
            self.year = year
        self.set_items(items)

    def mapping_at(self, row: int) -> Any:
        return self.item_at(row)

    def _series(self, item: Any) -> str | None:
        """The series base of a row's field when the field is year-dependent."""
        return _catalogue().series_base(item.field) if item.field else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self._items[index.row()]
        if not item.editable or index.row() in self._pending:
            return flags
        column = index.column()
        spec = _catalogue().get(item.field) if item.field else None
        if (
            column == self.FIELD
            or (column == self.YEAR and self._series(item) is not None and self.year)
            or (column == self.UNIT and spec is not None and spec.type == FieldType.MONEY)
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _field_text(self, item: Any) -> str:
        if item.role == "field":
            # Form labels carry no label of their own: the catalogue names the field.
            spec = _catalogue().get(item.field) if item.field else None
            return item.label or (spec.label if spec is not None else "") or "未识别"
        if item.role == "ratio":
            return f"核对：{item.label}" if item.label else "核对比率"
        if item.role == "serial":
            return "序号"
        if item.role == "ignored":
            return IGNORE_LABEL
        return "未识别"

    def _unit_text(self, item: Any) -> str:
        if item.role != "field":
            return item.unit or ""
        if item.unit and item.field_unit and item.unit not in (item.field_unit, "万"):
            return f"{item.unit} → {item.field_unit}"
        if item.field_unit == "万元" and not item.unit:
            return "万元（未注明）"
        return item.field_unit or item.unit or ""

    def _how_text(self, item: Any) -> str:
        text = "未识别" if item.role == "unknown" else ("手动" if item.manual else "自动")
        return text + ("（隐藏列）" if item.hidden else "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = index.column()
        pending = self._pending.get(index.row())
        if role == MAPPING_ROLE:
            return item
        if role == Qt.ItemDataRole.EditRole:
            if column == self.FIELD:
                if item.role == "ignored":
                    return IGNORE
                return self._series(item) or item.field or ""
            if column == self.YEAR:
                return item.year
            if column == self.UNIT:
                return item.unit or "万元"
            role = Qt.ItemDataRole.DisplayRole
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if pending is not None and column in (self.FIELD, self.YEAR, self.UNIT, self.HOW):
                return self._pending_text(pending, column)
            values = (
                item.sheet or "",
                item.cell,
                item.header,
                self._field_text(item),
                "" if item.year is None else f"{item.year}年",
                self._unit_text(item),
                self._how_text(item),
            )
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.role == "unknown" and column in (self.FIELD, self.HOW):
                return QBrush(QColor("#c62828"))
            if item.field is None:
                return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.BackgroundRole and (item.manual or pending is not None):
            return QBrush(QColor("#fff4d6"))
        if role == Qt.ItemDataRole.FontRole and column == self.HOW and item.manual:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        return None

    def _pending_text(self, pending: tuple[str, int | None, str | None], column: int) -> str:
        field, year, unit = pending
        if column == self.FIELD:
            if field == IGNORE:
                return IGNORE_LABEL
            spec = _catalogue().get(field) or _catalogue().get(f"{field}_y1")
            return spec.label if spec is not None else field
        if column == self.YEAR:
            return "" if year is None else f"{year}年"
        if column == self.UNIT:
            return unit or ""
        return "手动（正在重新读取）"

    def _tooltip(self, item: Any) -> str:
        lines = []
        if item.field:
            lines.append(f"字段：{field_text(item.field, _catalogue(), self.year)}")
            lines.append(f"字段代码：{item.field}")
        if item.detail:
            lines.append(item.detail)
        elif item.role == "unknown":
            lines.append("字段目录中没有这个表头；该列未导入")
        if item.editable:
            lines.append("双击“对应字段”“年度”或“单位”可更正，更正后自动重新读取")
        return "\n".join(lines)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        item = self._items[index.row()]
        column = index.column()
        field = self.data(index.siblingAtColumn(self.FIELD), Qt.ItemDataRole.EditRole)
        year = item.year
        unit = item.unit
        if column == self.FIELD:
            field = str(value)
            if field == self.data(index, Qt.ItemDataRole.EditRole) and item.role != "unknown":
                return False
            unit = None  # the header's unit applies to the newly chosen field
            year = self._default_year(field, item)
        elif column == self.YEAR:
            year = int(value)
            if year == item.year:
                return False
        else:
            unit = str(value)
            if unit == (item.unit or "万元"):
                return False
        if field and field != IGNORE and self._series_of(field) is None:
            year = None
        self._pending[index.row()] = (field, year, unit)
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(self.HOW))
        self.edited.emit(item, field, year, unit if column == self.UNIT else None)
        return True

    @staticmethod
    def _series_of(value: str) -> str | None:
        return _catalogue().series_base(value)

    def _default_year(self, field: str, item: Any) -> int | None:
        """The year a newly chosen series field gets: the row's own year if the series has it,
        else the newest year no other column of the sheet reads."""
        base = self._series_of(field)
        if base is None or not self.year:
            return None
        years = _catalogue().series_years(base, self.year)
        if item.year in years:
            return item.year
        taken = {
            other.year
            for other in self._items
            if other is not item and other.sheet == item.sheet and self._series(other) == base
        }
        return next((y for y in years if y not in taken), years[0] if years else None)


class MappingDelegate(QStyledItemDelegate):
    """Combo boxes for 对应字段 (searchable by Chinese label), 年度 and 单位."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        item = index.data(MAPPING_ROLE)
        source = _source_model(index)
        column = index.column()
        if column == MappingModel.FIELD:
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for text, value in field_choices(_catalogue()):
                combo.addItem(text, value)
            completer = QCompleter(combo.model(), combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            combo.setCompleter(completer)
            # Long catalogue labels: the lists are wider than the cell.
            completer.popup().setMinimumWidth(420)
            combo.view().setMinimumWidth(420)
            combo.lineEdit().setPlaceholderText("输入中文名称查找字段")
        elif column == MappingModel.YEAR:
            base = source._series(item) if source is not None else None
            year = source.year if source is not None else 0
            for calendar in _catalogue().series_years(base or "", year):
                combo.addItem(f"{calendar}年", calendar)
        else:
            for unit in MONEY_UNIT_CHOICES:
                combo.addItem(unit, unit)
        combo.activated.connect(lambda _i, combo=combo: self._commit(combo))
        return combo

    def eventFilter(self, editor: Any, event: Any) -> bool:
        # Enter commits the choice at once and goes no further: it must never reach the
        # dialog's default button (导入) and import with the old mapping.
        if (
            isinstance(editor, QComboBox)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._commit(editor)
            return True
        return super().eventFilter(editor, event)

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))
            if editor.isEditable() and editor.currentIndex() < 0:
                editor.clearEditText()  # an unrecognised column: the placeholder invites a search

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if not isinstance(editor, QComboBox):
            return
        position = editor.currentIndex()
        if editor.isEditable():
            # Typed text that names no field changes nothing.
            position = editor.findText(editor.currentText())
        if position >= 0:
            model.setData(index, editor.itemData(position), Qt.ItemDataRole.EditRole)


def _source_model(index: Index) -> MappingModel | None:
    model = index.model()
    while isinstance(model, QSortFilterProxyModel):
        model = model.sourceModel()
    return model if isinstance(model, MappingModel) else None


class ImportIssuesModel(ListTableModel):
    """The issues of the files read, each with the name of its row's enterprise."""

    COLUMNS = ("级别", "企业名称", "说明", "字段", "文件", "位置", "统一社会信用代码")
    SEVERITY, NAME, MESSAGE, PLACE = 0, 1, 2, 5

    def set_rows(self, rows: Sequence[IssueRow]) -> None:
        self.set_items(rows)

    def row_at(self, position: int) -> IssueRow:
        return self.item_at(position)

    def issue_at(self, position: int) -> Issue:
        return self.item_at(position).issue

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: IssueRow | None = self._item(index)
        if row is None:
            return None
        issue = row.issue
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            place = " · ".join(p for p in (issue.sheet, row.place) if p)
            values = (row.severity, row.name, issue.message, row.field, issue.file, place,
                      issue.uscc or "")  # fmt: skip
            return values[column]
        if role == SORT_ROLE:
            if column == self.SEVERITY:
                return SEVERITY_ORDER.get(issue.severity, 3)
            if column == self.PLACE:  # by sheet, row, then column (B9, AA9, C10)
                letters = re.sub(r"[^A-Z]", "", issue.cell or "")
                return f"{issue.sheet or ''}\x1f{issue.row or 0:08d}{len(letters):02d}{letters}"
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SEVERITY:
            return QBrush(QColor(SEVERITY_COLOURS.get(issue.severity, "#333333")))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [issue.message, f"位置：{issue.location()}"]
            if row.name:
                lines.append(f"企业：{row.name}")
            lines.append(f"代码：{issue.code}")
            return "\n".join(lines)
        if role == ROW_ROLE:
            return issue
        return None


class SeverityFilter(QSortFilterProxyModel):
    """Shows the issues of one severity (or all of them)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.severity = ""  # "" = every severity

    def set_severity(self, severity: str) -> None:
        self.beginFilterChange()
        self.severity = severity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.severity:
            return True
        issue = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return issue is not None and issue.severity == self.severity


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
        self.importing: list[Any] = []  # every file read when 导入 was pressed
        self.results: list[FileImport] = []
        self.task: Task | None = None
        # The evaluator's corrections, by (file, sheet, column letter); kept across re-reads.
        self.overrides: dict[tuple[str, str | None, str], ColumnOverride] = {}
        self.round_year = 0
        self.setAcceptDrops(True)

        hint = QLabel(
            "把申报名单、申报表（.xlsx / .xls / .csv）或 JSON 文件、文件夹拖到下面，"
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
        mapping_page = QWidget()
        mapping_layout = QVBoxLayout(mapping_page)
        mapping_layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("文件："))
        row.addWidget(self.mapping_file, 1)
        row.addWidget(self.reset_mapping_button)
        mapping_layout.addLayout(row)
        mapping_layout.addWidget(self.mapping_hint)
        mapping_layout.addWidget(self.mapping_view)

        self.issues_model = ImportIssuesModel(self)
        self.issues_filter = SeverityFilter(self)
        self.issues_view = self._view(self.issues_model, self.issues_filter)
        self.issues_view.setWordWrap(True)
        issues_header = self.issues_view.horizontalHeader()
        issues_header.setStretchLastSection(False)
        for column, width in enumerate((46, 210, 360, 160, 160, 110, 160)):
            self.issues_view.setColumnWidth(column, width)
        issues_header.setSectionResizeMode(
            ImportIssuesModel.MESSAGE, QHeaderView.ResizeMode.Stretch
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
        self.resize(900, 640)

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
        self.overrides = {}
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
        self.overrides = {}

    # ------------------------------------------------------------------ running
    def _busy(self, busy: bool, text: str = "") -> None:
        self.read_button.setEnabled(not busy and bool(self.paths))
        self.import_button.setEnabled(not busy and bool(self._importable()))
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        self.mapping_view.setEnabled(not busy)
        self.reset_mapping_button.setEnabled(not busy and bool(self.overrides))
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

    def read(self) -> None:
        """Read the chosen files (nothing is saved yet) with the column corrections made."""
        self._read_with(None)

    def _read_with(
        self, overrides: dict[tuple[str, str | None, str], ColumnOverride] | None
    ) -> None:
        """Read with ``overrides`` instead of the corrections made so far (they replace them
        once the read succeeds)."""
        if not self.paths:
            self.status.setText("请先选择或拖入文件")
            return
        service, round_name, paths = self.service, self.round_name, list(self.paths)
        chosen = dict(self.overrides if overrides is None else overrides)
        corrections = list(chosen.values())

        def work(progress: Any, cancel: Any) -> tuple[int, list[Any]]:
            from zjtx.intake.hints import WINDOW_HINTS

            year = service.get_round(round_name).round_date.year
            # The messages speak of this window's controls, not of the command line's options.
            files = service.read_files(
                round_name,
                paths,
                progress=progress,
                cancel=cancel,
                mapping_overrides=corrections,
                hints=WINDOW_HINTS,
            )
            return year, files

        def done(result: tuple[int, list[Any]]) -> None:
            self.overrides = chosen
            self.round_year = result[0]
            self._read_done(result[1])

        self._busy(
            True, "正在按更正后的对应关系重新读取……" if overrides is not None else "正在读取……"
        )
        self.task = self.runner.start(
            work,
            name="读取申报文件",
            on_progress=self._on_progress,
            on_success=done,
            on_failure=self._read_failed,
            on_cancel=lambda: self._finish("已取消读取，没有导入任何数据"),
        )

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, MappingError):
            # The correction is not kept: the table goes back to the mapping last read.
            self._show_mapping()
            self._finish(f"无法按此更正读取：{exc}")
            self.status.setStyleSheet("color:#c62828")
            return
        self._failed(exc)

    def _mapping_edited(self, mapping: Any, field: str, year: int | None, unit: str | None) -> None:
        """A row of the mapping table was corrected: re-read the files with the correction."""
        # The file shown (still listed after an import, when self.files is emptied).
        file = self.mapping_file.currentText()
        if not file or not mapping.column:
            return
        key = (file, mapping.sheet, mapping.column)
        previous = self.overrides.get(key)
        if unit is None and previous is not None and previous.field == field:
            unit = previous.unit  # a year changed: the unit set before stays
        overrides = dict(self.overrides)
        overrides[key] = ColumnOverride(
            mapping.column, field, year=year, unit=unit, file=file, sheet=mapping.sheet
        )
        self._read_with(overrides)

    def reset_mapping(self) -> None:
        """Forget every correction and read the files as their headers say."""
        if self.overrides:
            self._read_with({})

    def _read_done(self, files: list[Any]) -> None:
        self.files = files
        shown = self.mapping_file.currentText()
        self.mapping_file.blockSignals(True)
        self.mapping_file.clear()
        for item in files:
            self.mapping_file.addItem(getattr(item, "display_name", "") or Path(item.path).name)
        self.mapping_file.setCurrentIndex(max(self.mapping_file.findText(shown), 0))
        self.mapping_file.blockSignals(False)
        self._show_mapping()
        rows = issue_rows(files, self.round_year, _catalogue())
        issues = [row.issue for row in rows]
        self.issues_model.set_rows(rows)
        self._fill_severity_filter(issues)
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
        corrected = f"（已按您的更正读取 {len(self.overrides)} 列）" if self.overrides else ""
        self._finish(("读取完成，请核对后点“导入”" if ready else "没有可导入的企业") + corrected)

    def _show_mapping(self) -> None:
        position = self.mapping_file.currentIndex()
        if 0 <= position < len(self.files):
            mapping = getattr(self.files[position], "column_mapping", None) or []
            self.mapping_model.set_mappings(mapping, self.round_year)
        else:
            mapping = []
            self.mapping_model.set_mappings([], self.round_year)
        form = bool(mapping) and not any(m.editable for m in mapping)
        self.mapping_hint.setText(FORM_MAPPING_HINT if form else ROSTER_MAPPING_HINT)

    def start_import(self) -> None:
        """Import every file read, each in its own transaction."""
        files = self._importable()
        if not files:
            return
        self.importing = list(self.files)
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
        """Save the round year's blank roster or form template where the evaluator says."""
        title = TEMPLATE_TITLES[kind]
        try:
            if not self.round_year:
                self.round_year = self.service.get_round(self.round_name).round_date.year
        except StoreError as exc:  # the round is gone or the database unreachable
            self.status.setText(f"无法确定本批次的年度：{exc}")
            self.status.setStyleSheet("color:#c62828")
            return
        year = self.round_year
        target = self._ask_save_path(f"保存{title}", f"{year}年度{title}.xlsx")
        if target is None:
            return

        def work(progress: Any, cancel: Any) -> Path:
            from zjtx.intake.templates import write_form_template, write_roster_template

            writer = write_roster_template if kind == "roster" else write_form_template
            return Path(writer(target, _catalogue(), year))  # written atomically by the writer

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
        issue = index.model().data(index, Qt.ItemDataRole.UserRole + 2)
        if issue is not None and issue.uscc:
            self.jump_requested.emit(issue.uscc)

    def closeEvent(self, event: Any) -> None:
        if self.task is not None:
            event.ignore()
            self.status.setText("请先取消或等待当前操作完成")
            return
        super().closeEvent(event)
