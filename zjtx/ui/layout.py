"""The main window's layout: pane sizes, the 视图 menu's panes, and saving/restoring them."""

from __future__ import annotations

from typing import Any

from zjtx.ui.table_columns import DEFAULT_COLUMN_ORDER

__all__ = ["DEFAULT_COLUMN_ORDER", "LAYOUT_KEYS", "LayoutMixin", "size_to_screen"]

# Settings keys of the window layout (v3: 得分 beside the verdict, the name filling the table;
# a layout saved before would keep the score off a laptop screen).
LAYOUT_KEYS = {"splitter": "window/splitter_v2", "centre": "window/centre_v2",
               "header": "window/table_header_v3"}  # fmt: skip


def size_to_screen(widget: Any, width: int, height: int) -> None:
    """Resize a window to ``width`` × ``height``, or to what the screen has room for (a
    1366 × 768 laptop): a dialog never opens with its buttons below the screen's edge."""
    from PySide6.QtGui import QGuiApplication

    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 40), min(height, room.height() - 60)
    widget.resize(width, height)


class LayoutMixin:
    """MainWindow's splitters, side panes and table header layout (widgets built by MainWindow)."""

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None:
                self.resize(min(1500, screen.width()), min(900, screen.height()))
            else:
                self.resize(1500, 900)
        self._default_sizes()
        for key, splitter in ((LAYOUT_KEYS["splitter"], self.splitter),
                              (LAYOUT_KEYS["centre"], self.centre)):  # fmt: skip
            state = self.settings.value(key)
            if state is not None:
                splitter.restoreState(state)
        header = self.settings.value(LAYOUT_KEYS["header"])
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        self.columns.apply()  # the columns hidden by choice, or by the table's width
        self._sync_pane_actions()

    def save_layout(self) -> None:
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.set_value(LAYOUT_KEYS["splitter"], self.splitter.saveState())
        self.settings.set_value(LAYOUT_KEYS["centre"], self.centre.saveState())
        self.settings.set_value(LAYOUT_KEYS["header"], self.table.horizontalHeader().saveState())

    def _default_sizes(self) -> None:
        """Pane sizes for the window's size: a laptop screen gives the table the most room."""
        width, height = max(self.width(), 800), max(self.height(), 500)
        rounds = self.rounds_box.minimumWidth() + (40 if width >= 1500 else 0)
        review = 390 if width >= 1500 else 320
        self.splitter.setSizes([rounds, width - rounds - review, review])
        detail = max(int(height * 0.42), 300)
        self.centre.setSizes([height - detail, detail])

    def reset_layout(self) -> None:
        """恢复默认布局: both side panes shown, default pane sizes, table columns and their order."""
        for key in LAYOUT_KEYS.values():
            self.settings.qsettings.remove(key)
        self.settings.qsettings.sync()
        self._default_sizes()
        self.columns.reset()
        self._sync_pane_actions()
        self.message.emit("已恢复默认布局")

    def _toggle_rounds_pane(self, shown: bool) -> None:
        self._show_side_pane(0, shown, "批次列表", "Ctrl+1")

    def _toggle_review_pane(self, shown: bool) -> None:
        self._show_side_pane(2, shown, "评审面板", "Ctrl+2")

    def _show_side_pane(self, position: int, shown: bool, label: str, keys: str) -> None:
        sizes = self.splitter.sizes()
        if shown == (sizes[position] > 0):
            return
        if shown:
            wanted = self.rounds_box.minimumWidth() if position == 0 else 320
            sizes[position] = wanted
            sizes[1] = max(sizes[1] - wanted, 200)
        else:
            sizes[1] += sizes[position]
            sizes[position] = 0
        self.splitter.setSizes(sizes)
        self._sync_pane_actions()
        if not shown:
            self.message.emit(f"{label}已隐藏：按 {keys} 或在“视图”菜单中勾选“{label}”可重新显示")

    def _side_panes_moved(self, _pos: int, _index: int) -> None:
        before = (self.rounds_pane_action.isChecked(), self.review_pane_action.isChecked())
        self._sync_pane_actions()
        after = (self.rounds_pane_action.isChecked(), self.review_pane_action.isChecked())
        for label, keys, was, now in (("批次列表", "Ctrl+1", before[0], after[0]),
                                      ("评审面板", "Ctrl+2", before[1], after[1])):  # fmt: skip
            if was and not now:
                self.message.emit(
                    f"{label}已收起：按 {keys} 或在“视图”菜单中勾选“{label}”可重新显示"
                )

    def _sync_pane_actions(self) -> None:
        sizes = self.splitter.sizes()
        for action, size in ((self.rounds_pane_action, sizes[0]),
                             (self.review_pane_action, sizes[2])):  # fmt: skip
            action.blockSignals(True)
            action.setChecked(size > 0)
            action.blockSignals(False)
