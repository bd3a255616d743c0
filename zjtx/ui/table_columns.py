"""The round table's columns: their order and widths, the name column taking the room left,
the less needed columns hidden while the table is narrow (a laptop screen), and the header's
menu for showing or hiding columns, remembered in the settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from zjtx.ui.models import ApplicantColumn, ApplicantTableModel

# Settings key of the columns the evaluator chose to show or hide (the others: the defaults).
COLUMNS_KEY = "window/table_columns"
# The table's columns left to right: what an evaluator ranks and decides by first (name,
# verdict, score and rank, decision and state), then the counts, then what describes the
# applicant (its 统一社会信用代码 is also in the name's tooltip and found by the search box).
DEFAULT_COLUMN_ORDER = (
    ApplicantColumn.RANK,
    ApplicantColumn.NAME,
    ApplicantColumn.VERDICT,
    ApplicantColumn.SCORE,
    ApplicantColumn.DECISION,
    ApplicantColumn.STATUS,
    ApplicantColumn.OPEN_JUDGEMENTS,
    ApplicantColumn.OPEN_WARNINGS,
    ApplicantColumn.REGION,
    ApplicantColumn.APPLICATION_TYPE,
    ApplicantColumn.RULEBOOK,
    ApplicantColumn.USCC,
)
DEFAULT_WIDTHS = {
    ApplicantColumn.RANK: 44,
    ApplicantColumn.USCC: 160,
    ApplicantColumn.NAME: 210,
    ApplicantColumn.APPLICATION_TYPE: 64,
    ApplicantColumn.RULEBOOK: 84,
    ApplicantColumn.VERDICT: 100,
    ApplicantColumn.SCORE: 84,
    ApplicantColumn.OPEN_JUDGEMENTS: 52,
    ApplicantColumn.OPEN_WARNINGS: 66,
    ApplicantColumn.DECISION: 82,
    ApplicantColumn.STATUS: 70,
    ApplicantColumn.REGION: 140,
}
# Unless chosen in the header's menu, these give way (first to last) when the table is too
# narrow for every column with the name at NAME_LEAST.
NARROW_HIDDEN = (
    ApplicantColumn.USCC,
    ApplicantColumn.RULEBOOK,
    ApplicantColumn.APPLICATION_TYPE,
    ApplicantColumn.REGION,
    ApplicantColumn.OPEN_WARNINGS,
    ApplicantColumn.OPEN_JUDGEMENTS,
)
NAME_LEAST = 180  # about twelve characters of a company's name
SCORED_ONLY = (ApplicantColumn.RANK, ApplicantColumn.SCORE)


class TableColumns(QObject):
    """Looks after the applicant table's header (built once by MainWindow)."""

    def __init__(
        self, table: QTableView, settings: Any, message: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(table)
        self.table = table
        self.settings = settings
        self.message = message
        self.scored = True  # False: 排名 and 得分 hidden, the round's rulebooks give no score
        self._fitting = False
        self._widened: dict[ApplicantColumn, int] = {}  # by widen_for, kept by reset
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)  # dragged where wanted; the order is remembered
        for column, width in DEFAULT_WIDTHS.items():
            table.setColumnWidth(column, width)
        self.move_to_default_order()
        self.menu = QMenu("表格列", table)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self._fill_menu)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionResized.connect(self._section_resized)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)

    # ------------------------------------------------------------------ choices
    def choices(self) -> dict[ApplicantColumn, bool]:
        """The columns the evaluator showed (True) or hid (False) from the header's menu; the
        others follow the defaults."""
        try:
            chosen = json.loads(str(self.settings.value(COLUMNS_KEY) or "{}"))
        except ValueError:
            return {}
        if not isinstance(chosen, dict):
            return {}
        return {
            ApplicantColumn[name]: bool(shown)
            for name, shown in chosen.items()
            if name in ApplicantColumn.__members__ and name != ApplicantColumn.NAME.name
        }

    def set_shown(self, column: ApplicantColumn, shown: bool) -> None:
        """Show or hide one column by the evaluator's choice (kept for the next start)."""
        chosen = {c.name: value for c, value in self.choices().items()}
        chosen[column.name] = shown
        self.settings.set_value(COLUMNS_KEY, json.dumps(chosen, sort_keys=True))
        self.apply()
        if not shown and self.message is not None:
            self.message(
                f"“{ApplicantTableModel.COLUMNS[column]}”列已隐藏：在表头上右击，"
                "或在“视图 → 表格列”中勾选可重新显示"
            )

    def reset(self) -> None:
        """The default columns: their order and widths, and hidden only while the table is
        narrow; 得分 and 评审决定 as wide as their texts needed (widen_for)."""
        self.settings.qsettings.remove(COLUMNS_KEY)
        self.settings.qsettings.sync()
        for column, width in DEFAULT_WIDTHS.items():
            self.table.setColumnWidth(column, max(width, self._widened.get(column, 0)))
        self.move_to_default_order()
        self.apply()

    def move_to_default_order(self) -> None:
        header = self.table.horizontalHeader()
        for visual, logical in enumerate(DEFAULT_COLUMN_ORDER):
            header.moveSection(header.visualIndex(logical), visual)

    def widen_for(self, column: ApplicantColumn, rows: list[Any], most: int = 160) -> None:
        """Widen a column (never narrow it, nor beyond ``most``) so the texts of ``rows``
        in it show whole."""
        spec = ApplicantTableModel.COLUMN_SPECS[column]
        texts = [spec.display(row) for row in rows]
        if not texts:
            return
        metrics = self.table.fontMetrics()
        needed = min(max(map(metrics.horizontalAdvance, texts)) + 16, most)
        self._widened[column] = max(needed, self._widened.get(column, 0))
        if needed > self._width(column):
            self.table.setColumnWidth(column, needed)

    def set_scored(self, scored: bool) -> None:
        """Whether the open round gives scores (排名 and 得分 are hidden when not)."""
        self.scored = scored
        self.apply()

    # ------------------------------------------------------------------ fitting
    def apply(self) -> None:
        """Hide and show the columns as chosen (or by default for the table's width), then
        give the name column the room left."""
        chosen = self.choices()
        hidden = {c for c, shown in chosen.items() if not shown} | self._narrow_hidden(chosen)
        if not self.scored:
            hidden |= set(SCORED_ONLY)
        self._fitting = True
        try:
            for column in ApplicantColumn:
                wanted = column in hidden and column != ApplicantColumn.NAME
                if self.table.isColumnHidden(column) != wanted:
                    self.table.setColumnHidden(column, wanted)
        finally:
            self._fitting = False
        self.fill_name()

    def _narrow_hidden(self, chosen: dict[ApplicantColumn, bool]) -> set[ApplicantColumn]:
        """The columns not chosen either way that give way for the table's width."""
        room = self.table.viewport().width()
        if room <= 0:
            return set()
        shown = {c for c in ApplicantColumn if c != ApplicantColumn.NAME and chosen.get(c, True)}
        if not self.scored:
            shown -= set(SCORED_ONLY)
        hidden: set[ApplicantColumn] = set()
        for column in (c for c in NARROW_HIDDEN if c not in chosen):
            if NAME_LEAST + sum(self._width(c) for c in shown) <= room:
                break
            shown.discard(column)
            hidden.add(column)
        return hidden

    def _width(self, column: ApplicantColumn) -> int:
        size = self.table.horizontalHeader().sectionSize(column)
        return size if size > 0 else self.table.columnWidth(column) or DEFAULT_WIDTHS[column]

    def fill_name(self) -> None:
        """The name column takes the width the other shown columns leave (at least NAME_LEAST),
        so the table has no empty strip on the right and the name is elided as little as can be."""
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in ApplicantColumn
            if c != ApplicantColumn.NAME and not header.isSectionHidden(c)
        )
        room = self.table.viewport().width()
        if room <= 0:
            return
        wanted = max(NAME_LEAST, room - others)
        if header.sectionSize(ApplicantColumn.NAME) != wanted:
            self._fitting = True
            try:
                header.resizeSection(ApplicantColumn.NAME, wanted)
            finally:
                self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        # Another column made wider or narrower: the name takes up the difference. (The name
        # column itself may be widened by hand; the table then scrolls.)
        if not self._fitting and column != ApplicantColumn.NAME:
            self.fill_name()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.apply()
        return False

    # ------------------------------------------------------------------ menu
    def _header_menu(self, position: QPoint) -> None:
        header = self.table.horizontalHeader()
        self.menu.popup(header.mapToGlobal(position))

    def _fill_menu(self) -> None:
        self.menu.clear()
        headers = ApplicantTableModel.COLUMNS
        for column in DEFAULT_COLUMN_ORDER:
            action = self.menu.addAction(headers[column])
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setObjectName(f"column-{column.name}")
            if column == ApplicantColumn.NAME:
                action.setEnabled(False)  # always shown: rows are told apart by it
            elif column in SCORED_ONLY and not self.scored:
                action.setEnabled(False)
                action.setText(f"{headers[column]}（本批次不计分）")
            else:
                action.toggled.connect(lambda shown, column=column: self.set_shown(column, shown))
        self.menu.addSeparator()
        default = self.menu.addAction("恢复默认列")
        default.setToolTip("按默认顺序显示；窗口较窄时暂不显示信用代码、评价标准等列")
        default.triggered.connect(self.reset)
