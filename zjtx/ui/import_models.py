"""The import wizard's tables: column mappings (editable), the issues found, their filter."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import IntEnum
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from zjtx.domain.fields import FieldCatalogue, FieldType
from zjtx.domain.issues import Issue
from zjtx.export.issues_xlsx import IssueRow, field_text
from zjtx.intake.mapping import IGNORE, IGNORE_LABEL
from zjtx.ui.models import (
    ROW_ROLE,
    SEVERITY_COLOURS,
    SEVERITY_ORDER,
    SORT_ROLE,
    ColumnSpec,
    ListTableModel,
)

MAPPING_ROLE = Qt.ItemDataRole.UserRole + 3  # the ColumnMapping of a row
MONEY_UNIT_CHOICES = ("元", "千元", "万元", "百万元", "亿元")
ROSTER_MAPPING_HINT = (
    "双击“对应字段”“年度”或“单位”可更正（可输入中文查找字段），更正后自动重新读取；"
    "“手动”是您更正过的列，导入时按更正后的对应关系导入。"
)
FORM_MAPPING_HINT = (
    "申报表按栏目名称读取：双击某个栏目的“对应字段”“年度”或“单位”可更正（可输入中文查找字段），"
    "更正后自动重新读取；“未识别”的栏目旁有数值但没有导入，可在此指定字段；"
    "“手动”是您更正过的栏目。"
)


def form_label(item: Any) -> str | None:
    """The label a form row was read from (a form's rows have no column letter; a row of a year
    table is shown "营业收入 / 近一年"), or None for a roster column."""
    if item.column or not item.header or item.role == "serial":
        return None
    return str(item.header).split(" / ")[0]


def correctable(item: Any) -> bool:
    """A row the evaluator may correct: a roster column, or a form's label."""
    return bool(item.editable) or form_label(item) is not None


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


class MappingColumn(IntEnum):
    """The columns of the mapping table."""

    SHEET = 0
    CELL = 1
    HEADER = 2
    FIELD = 3
    YEAR = 4
    UNIT = 5
    HOW = 6


def _mapping_field_text(item: Any) -> str:
    if item.role == "field":
        # Form labels carry no label of their own: the catalogue names the field.
        from zjtx.scoring.known_fields import known_field

        spec = known_field(item.field) if item.field else None
        return item.label or (spec.label if spec is not None else "") or "未识别"
    if item.role == "ratio":
        return f"核对：{item.label}" if item.label else "核对比率"
    if item.role == "serial":
        return "序号"
    if item.role == "ignored":
        return IGNORE_LABEL
    return "未识别"


def _mapping_unit_text(item: Any) -> str:
    if item.role != "field":
        return item.unit or ""
    if item.unit and item.field_unit and item.unit not in (item.field_unit, "万"):
        return f"{item.unit} → {item.field_unit}"
    if item.field_unit == "万元" and not item.unit:
        return "万元（未注明）"
    return item.field_unit or item.unit or ""


def _mapping_how_text(item: Any) -> str:
    text = "未识别" if item.role == "unknown" else ("手动" if item.manual else "自动")
    return text + ("（隐藏列）" if item.hidden else "")


MAPPING_COLUMNS: tuple[ColumnSpec[Any], ...] = (
    ColumnSpec("工作表", lambda item: item.sheet or ""),
    ColumnSpec("单元格", lambda item: item.cell),
    ColumnSpec("表头", lambda item: item.header),
    ColumnSpec("对应字段", _mapping_field_text),
    ColumnSpec("年度", lambda item: "" if item.year is None else f"{item.year}年"),
    ColumnSpec("单位", _mapping_unit_text),
    ColumnSpec("识别", _mapping_how_text),
)


class MappingModel(ListTableModel):
    """How each column (or form label) of a file is mapped; 对应字段, 年度 and 单位 editable.

    An edit does not change the mapping itself: it emits ``edited`` (the dialog re-reads the
    files with the correction) and shows the chosen value until the re-read arrives.
    """

    COLUMN_SPECS = MAPPING_COLUMNS
    COLUMNS = tuple(spec.header for spec in MAPPING_COLUMNS)
    FIELD, YEAR, UNIT, HOW = (MappingColumn.FIELD, MappingColumn.YEAR, MappingColumn.UNIT,
                              MappingColumn.HOW)  # fmt: skip
    edited = Signal(object, str, object, object)  # ColumnMapping, field, year, unit

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._pending: dict[int, tuple[str, int | None, str | None]] = {}
        self.year = 0  # evaluation year of the round (0: unknown, years not editable)
        # The questions the round asks: a 山东 round's columns may be its own sd_* fields.
        self.catalogue = _catalogue()

    def set_mappings(
        self,
        items: Sequence[Any],
        year: int | None = None,
        catalogue: FieldCatalogue | None = None,
    ) -> None:
        self._pending = {}
        if year is not None:
            self.year = year
        if catalogue is not None:
            self.catalogue = catalogue
        self.set_items(items)

    def mapping_at(self, row: int) -> Any:
        return self.item_at(row)

    def _series(self, item: Any) -> str | None:
        """The series base of a row's field when the field is year-dependent."""
        return self.catalogue.series_base(item.field) if item.field else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self._items[index.row()]
        if not correctable(item) or index.row() in self._pending:
            return flags
        column = index.column()
        spec = self.catalogue.get(item.field) if item.field else None
        if (
            column == self.FIELD
            or (column == self.YEAR and self._series(item) is not None and self.year)
            or (column == self.UNIT and spec is not None and spec.type == FieldType.MONEY)
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

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
            return self._cell(item, column, role)
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
            spec = self.catalogue.get(field) or self.catalogue.get(f"{field}_y1")
            return spec.label if spec is not None else field
        if column == self.YEAR:
            return "" if year is None else f"{year}年"
        if column == self.UNIT:
            return unit or ""
        return "手动（正在重新读取）"

    def _tooltip(self, item: Any) -> str:
        lines = []
        if item.field:
            lines.append(f"字段：{field_text(item.field, self.catalogue, self.year)}")
            lines.append(f"字段代码：{item.field}")
        if item.detail:
            lines.append(item.detail)
        elif item.role == "unknown":
            lines.append("字段目录中没有这个表头；该列未导入")
        if correctable(item):
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

    def _series_of(self, value: str) -> str | None:
        return self.catalogue.series_base(value)

    def _default_year(self, field: str, item: Any) -> int | None:
        """The year a newly chosen series field gets: the row's own year if the series has it,
        else the newest year no other column of the sheet reads."""
        base = self._series_of(field)
        if base is None or not self.year:
            return None
        years = self.catalogue.series_years(base, self.year)
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
            catalogue = source.catalogue if source is not None else _catalogue()
            for text, value in field_choices(catalogue):
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
            catalogue = source.catalogue if source is not None else _catalogue()
            for calendar in catalogue.series_years(base or "", year):
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


class ImportIssueColumn(IntEnum):
    """The columns of the import wizard's issues table."""

    SEVERITY = 0
    NAME = 1
    MESSAGE = 2
    FIELD = 3
    FILE = 4
    PLACE = 5
    USCC = 6


def _issue_place_key(row: IssueRow) -> str:
    """By sheet, row, then column (B9, AA9, C10)."""
    issue = row.issue
    letters = re.sub(r"[^A-Z]", "", issue.cell or "")
    return f"{issue.sheet or ''}\x1f{issue.row or 0:08d}{len(letters):02d}{letters}"


IMPORT_ISSUE_COLUMNS: tuple[ColumnSpec[IssueRow], ...] = (
    ColumnSpec(
        "级别", lambda row: row.severity, lambda row: SEVERITY_ORDER.get(row.issue.severity, 3)
    ),
    ColumnSpec("企业名称", lambda row: row.name),
    ColumnSpec("说明", lambda row: row.issue.message),
    ColumnSpec("字段", lambda row: row.field),
    ColumnSpec("文件", lambda row: row.issue.file),
    ColumnSpec(
        "位置",
        lambda row: " · ".join(p for p in (row.issue.sheet, row.place) if p),
        _issue_place_key,
    ),
    ColumnSpec("统一社会信用代码", lambda row: row.issue.uscc or ""),
)


class ImportIssuesModel(ListTableModel):
    """The issues of the files read, each with the name of its row's enterprise."""

    COLUMN_SPECS = IMPORT_ISSUE_COLUMNS
    COLUMNS = tuple(spec.header for spec in IMPORT_ISSUE_COLUMNS)
    SEVERITY, NAME, MESSAGE, PLACE = (ImportIssueColumn.SEVERITY, ImportIssueColumn.NAME,
                                      ImportIssueColumn.MESSAGE, ImportIssueColumn.PLACE)  # fmt: skip

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
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SEVERITY:
            return QBrush(QColor(SEVERITY_COLOURS.get(issue.severity, "#333333")))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [issue.message, f"位置：{issue.location()}"]
            if row.name:
                lines.append(f"企业：{row.name}")
            lines.append(f"代码：{issue.code}")
            return "\n".join(lines)
        if role == ROW_ROLE:
            return issue  # the severity filter and the jump to the applicant read the Issue
        return self._cell(row, column, role)


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
