"""The main window: rounds, the applicant table, the detail pane and the review pane."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import ApplicationType, ReviewStatus, Verdict
from zjtx.store import ApplicantDetail, ReviewState, RoundInfo, StoreError, StoreService
from zjtx.ui.close_guard import GUARDED_TASKS, CloseGuardMixin
from zjtx.ui.detail import DetailPane
from zjtx.ui.layout import DEFAULT_COLUMN_ORDER, LAYOUT_KEYS, LayoutMixin
from zjtx.ui.models import (
    DECISION_FILTERS,
    OPEN_ITEM_FILTERS,
    ROW_ROLE,
    STATUS_FILTERS,
    VERDICT_FILTERS,
    ApplicantFilterProxy,
    ApplicantTableModel,
    region_choices,
)
from zjtx.ui.rescore import check_rulebook_update, with_rulebook_update
from zjtx.ui.review import ReviewPane
from zjtx.ui.rounds import RoundsMixin
from zjtx.ui.settings import AppSettings
from zjtx.ui.table_columns import TableColumns
from zjtx.ui.tasks import Task, TaskRunner
from zjtx.ui.welcome import WelcomePage
from zjtx.ui.window_dialogs import DialogsMixin

log = logging.getLogger("zjtx.ui")

__all__ = ["DEFAULT_COLUMN_ORDER", "GUARDED_TASKS", "LAYOUT_KEYS", "MainWindow", "WelcomePage"]


def _detail_and_history(
    service: StoreService, round_name: str, uscc: str
) -> tuple[ApplicantDetail, list[Any]]:
    """One applicant with its audit trail (read together in the worker)."""
    return service.applicant_detail(round_name, uscc), service.history(round_name, uscc)


class SearchField(QLineEdit):
    """The table's search box: Esc clears what was typed."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class MainWindow(RoundsMixin, DialogsMixin, LayoutMixin, CloseGuardMixin, QMainWindow):
    """One window for a whole round: import, look, review, export."""

    rounds_loaded = Signal(list)
    rows_loaded = Signal(str)  # round name
    detail_loaded = Signal(object)  # ApplicantDetail
    message = Signal(str)

    def __init__(
        self,
        service: StoreService | None,
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.runner = TaskRunner(self)
        self.round_name: str | None = None
        self.rounds: list[RoundInfo] = []
        self.current_uscc: str | None = None
        self.import_dialog: Any = None
        self.export_dialog: Any = None
        self.settings_dialog: Any = None
        self.rulebook_browser: Any = None
        self.round_dialog: Any = None
        self.rounds_menu: QMenu | None = None
        self._after_load_message: str | None = None
        self.rescore_progress: Any = None  # while 重新评价 runs; then what it said, and its box
        self.rescore_message: str | None = None
        self.rescore_box: QMessageBox | None = None
        self.backup_progress: Any = None  # while 备份数据库 runs; then the box saying where
        self.backup_box: QMessageBox | None = None
        self._pending_select: str | None = None
        self._detail_request = 0
        self._detail_task: Task | None = None
        self._closing_confirmed = False
        self._loading_rows = False
        self._rows_failed: str | None = None  # why the open round's table could not be read
        self.close_question: QMessageBox | None = None
        self.print_job: Any = None
        self.identity_dialog: Any = None
        self.setWindowTitle("专精特新评审助手")

        # -- rounds
        self.rounds_list = QListWidget()
        self.rounds_list.setObjectName("rounds")
        self.rounds_list.setWordWrap(True)
        self.rounds_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rounds_list.currentItemChanged.connect(self._round_chosen)
        self.rounds_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.rounds_list.customContextMenuRequested.connect(self._rounds_menu)
        self.show_archived = QCheckBox("显示已归档")
        self.show_archived.setToolTip("在列表中也显示已归档（只读）的批次")
        self.show_archived.toggled.connect(self._show_archived_toggled)
        new_round = QPushButton("新建批次…")
        new_round.clicked.connect(self.new_round)
        rounds_box = QWidget()
        rounds_box.setObjectName("roundsPane")
        # Wide enough for a round name such as 2026年第八批小巨人 on its first line.
        rounds_box.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("2026年第八批小巨人企业") + 24
        )
        self.rounds_box = rounds_box
        rounds_layout = QVBoxLayout(rounds_box)
        rounds_layout.setContentsMargins(6, 6, 0, 6)
        title = QLabel("评审批次")
        title.setObjectName("paneTitle")
        rounds_layout.addWidget(title)
        rounds_layout.addWidget(self.rounds_list, 1)
        rounds_layout.addWidget(self.show_archived)
        rounds_layout.addWidget(new_round)

        # -- table with filters
        self.model = ApplicantTableModel(self)
        self.proxy = ApplicantFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("applicants")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows can be chosen for a batch decision (评审 → 批量决定…).
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Model indexes stay stable; the columns to rank and decide by come first, the name
        # takes the room left, and the less needed give way on a laptop screen (the header's
        # menu shows or hides any of them, remembered).
        self.columns = TableColumns(self.table, settings, lambda text: self.message.emit(text))
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        # Tab leaves the table for the next pane (arrows move between rows); Enter or a
        # double-click on a row goes on to review it.
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(lambda _index: self.review.focus_first())

        self.search = SearchField()
        self.search.setPlaceholderText("按企业名称或统一社会信用代码查找（Ctrl+F，Esc 清除）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("按企业名称或") + 40)
        self.verdict_filter = self._filter_combo(VERDICT_FILTERS)
        self.decision_filter = self._filter_combo(DECISION_FILTERS)
        self.status_filter = self._filter_combo(STATUS_FILTERS)
        self.type_filter = self._filter_combo((("", "全部类型"), *ApplicationType.labels().items()))
        self.open_filter = self._filter_combo(OPEN_ITEM_FILTERS)
        self.region_filter = self._filter_combo(region_choices([]))
        self.region_filter.setToolTip("按所在省、市筛选")
        self.region_filter.setMinimumContentsLength(8)
        self.region_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._filter_timer.start)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in (self.verdict_filter, self.decision_filter, self.status_filter,
                      self.open_filter, self.type_filter, self.region_filter):  # fmt: skip
            filters.addWidget(combo)
        self.count_label = QLabel("")
        self.round_title = QLabel("请在左侧选择或新建一个评审批次")
        self.round_title.setObjectName("roundTitle")
        # A long round name and tier, and the counts beside them, are clipped (their tooltips
        # hold them whole) rather than holding the window wider than a laptop screen; one
        # line keeps the table its rows.
        self.round_title.setMinimumWidth(1)
        self.count_label.setMinimumWidth(1)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 6, 0, 0)
        # The year's notices and the settings governing the open round (issue 13 §1): short,
        # on the title's row, so a laptop screen keeps its table rows; the tooltip has it all.
        self.round_notices = QLabel()
        self.round_notices.setObjectName("roundNotices")
        self.round_notices.setVisible(False)
        self.round_notices.setMinimumWidth(1)  # a narrow window clips it; the tooltip has it all
        # The title keeps its width and the notices take what is left: on a laptop the notices
        # are clipped, not the round's name (“R 专…”).
        self.round_notices.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        title_row = QHBoxLayout()
        title_row.addWidget(self.round_title)
        title_row.addWidget(self.round_notices, 1)
        title_row.addSpacing(12)
        title_row.addWidget(self.count_label)
        table_layout.addLayout(title_row)
        table_layout.addLayout(filters)
        table_layout.addWidget(self.table, 1)
        self.welcome = WelcomePage(self)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.welcome)
        from zjtx.ui.overview import install_round_tabs  # 概览 | 企业列表 (issue 16)

        self.table_stack.addWidget(with_rulebook_update(self, install_round_tabs(self, table_box)))

        # -- detail and review
        self.detail = DetailPane()
        self.review = ReviewPane(self.runner, lambda: self.service, lambda: self.settings.evaluator)
        self.review.saved.connect(self._review_saved)
        self.review.failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.detail.criterion_chosen.connect(self._criterion_chosen)
        self.review_scroll = QScrollArea()
        self.review_scroll.setWidget(self.review)
        self.review_scroll.setWidgetResizable(True)
        self.review_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.review_scroll.setMinimumWidth(300)

        self.centre = QSplitter(Qt.Orientation.Vertical)
        self.centre.setChildrenCollapsible(False)
        self.centre.addWidget(self.table_stack)
        self.centre.addWidget(self.detail)
        self.centre.setStretchFactor(0, 2)
        self.centre.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(rounds_box)
        self.splitter.addWidget(self.centre)
        self.splitter.addWidget(self.review_scroll)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.splitterMoved.connect(self._side_panes_moved)
        self.setCentralWidget(self.splitter)

        self.identity_label = QLabel("")
        self.identity_label.setObjectName("identity")
        self.statusBar().addPermanentWidget(self.identity_label)
        self.read_only_label = QLabel("")
        self.statusBar().addPermanentWidget(self.read_only_label)
        self._build_actions()
        from zjtx.ui.registry_main_window import install_registry

        install_registry(self)  # 培育库: its window, the round's 认定 mark, the detail's tab
        self.show_identity()
        if self.database_read_only:
            self.read_only_label.setText("<span style='color:#c62828'>数据库只读</span>")
            self.read_only_label.setToolTip(self.database_read_only)
        self.statusBar().showMessage("就绪")
        self.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.restore_layout()
        self._update_actions()
        if self.service is not None:
            self.refresh_rounds()

    # ------------------------------------------------------------------ building
    def _filter_combo(self, choices: Any) -> QComboBox:
        combo = QComboBox()
        for code, label in choices:
            combo.addItem(label, code)
        combo.currentIndexChanged.connect(self.apply_filters)
        # Its full width while there is room; on a narrow window it gives way (clipped, the
        # choice still readable) rather than holding the window wider than a laptop screen.
        combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("全部类型") + 26)
        return combo

    def _build_actions(self) -> None:
        toolbar = QToolBar("主工具栏")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        menu_file = self.menuBar().addMenu("文件(&F)")
        menu_round = self.menuBar().addMenu("批次(&B)")
        menu_review = self.menuBar().addMenu("评审(&R)")
        menu_export = self.menuBar().addMenu("导出(&E)")
        menu_view = self.menuBar().addMenu("视图(&V)")
        menu_help = self.menuBar().addMenu("帮助(&H)")

        def action(text: str, slot: Any, shortcut: Any = None, menu: Any = None,
                   bar: bool = False) -> QAction:  # fmt: skip
            item = QAction(text, self)
            item.triggered.connect(slot)
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
                item.setToolTip(
                    f"{text}（{QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)}）"
                )
            if menu is not None:
                menu.addAction(item)
            if bar:
                toolbar.addAction(item)
            return item

        self.new_round_action = action("新建批次…", self.new_round, "Ctrl+Shift+N", menu_file, True)
        self.import_action = action("导入申报数据…", self.open_import, "Ctrl+I", menu_file, True)
        menu_file.addSeparator()
        self.backup_action = action("备份数据库…", self.back_up, None, menu_file)
        menu_file.addSeparator()
        self.settings_action = action("设置…", self.open_settings, "Ctrl+,", menu_file, True)
        menu_file.addSeparator()
        action("退出", self.close, QKeySequence.StandardKey.Quit, menu_file)
        menu_round.addAction(self.new_round_action)
        self.rename_round_action = action("重命名批次…", self.rename_round, "F2", menu_round)
        menu_round.addSeparator()
        self.archive_round_action = action("归档批次", self.archive_round, None, menu_round)
        self.restore_round_action = action("恢复批次", self.restore_round, None, menu_round)
        self.compare_action = action("规则变化影响…", self.open_compare, None, menu_round)
        self.rescore_action = action("按现行标准重新评价…", self.rescore_round, None, menu_round)
        menu_round.addSeparator()
        self.show_archived_action = action("显示已归档批次", self.show_archived.setChecked,
                                           None, menu_round)  # fmt: skip
        self.show_archived_action.setCheckable(True)
        self.show_archived.toggled.connect(self.show_archived_action.setChecked)
        toolbar.addSeparator()
        self.next_action = action("下一家待评审", self.next_pending, "F8", menu_review, True)
        self.previous_action = action(
            "上一家待评审", self.previous_pending, "Shift+F8", menu_review
        )
        menu_review.addSeparator()
        menu_review.addAction(self.review.confirm_action)
        menu_review.addAction(self.review.save_action)
        self.batch_action = action("批量决定…", self.open_batch_decision, "Ctrl+Shift+D",
                                   menu_review)  # fmt: skip
        self.panel_action = action("专家组…", self.open_panel, None, menu_review)
        menu_review.addSeparator()
        action("查找企业", self.focus_search, QKeySequence.StandardKey.Find, menu_review)
        action("刷新", self.reload_rows, QKeySequence.StandardKey.Refresh, menu_review)
        toolbar.addSeparator()
        self.print_action = action("打印评审意见表…", self.print_current, "Ctrl+P",
                                   menu_export, True)  # fmt: skip
        self.print_all_action = action("打印本批次全部评审意见表…", self.print_round,
                                       "Ctrl+Shift+P", menu_export)  # fmt: skip
        self.print_chosen_action = action("打印所选企业评审意见表…", self.print_chosen, None,
                                          menu_export)  # fmt: skip
        self.print_chosen_action.setStatusTip(
            "表格中选中多家时打印选中的企业，否则打印当前筛选出的全部企业"
        )
        menu_export.addSeparator()
        self.report_action = action("导出评审意见表…", lambda: self.open_export("report"),
                                    "Ctrl+Shift+E", menu_export)  # fmt: skip
        self.export_action = action("导出汇总与名单…", lambda: self.open_export("summary_pdf"),
                                    "Ctrl+E", menu_export, True)  # fmt: skip
        self.corrections_action = action("导出补正清单…", self.export_corrections, None,
                                         menu_export)  # fmt: skip
        self.rounds_pane_action = action("批次列表", self._toggle_rounds_pane, "Ctrl+1",
                                         menu_view)  # fmt: skip
        self.review_pane_action = action("评审面板", self._toggle_review_pane, "Ctrl+2",
                                         menu_view)  # fmt: skip
        for pane_action in (self.rounds_pane_action, self.review_pane_action):
            pane_action.setCheckable(True)
            pane_action.setChecked(True)
        menu_view.addMenu(self.columns.menu)  # as the table header's right-click menu
        menu_view.addSeparator()
        action("恢复默认布局", self.reset_layout, None, menu_view)
        toolbar.addSeparator()
        self.rulebook_action = action("认定标准对比", self.open_rulebooks, None, menu_help, True)
        action("快捷键", self.show_shortcuts, None, menu_help)
        self.about_action = action("关于…", self.show_about, None, menu_help)

    def _update_actions(self) -> None:
        has_round = self.round_name is not None and self.service is not None
        archived = self.round_archived
        writable = self.database_read_only is None
        self.import_action.setEnabled(has_round and not archived and writable)
        self.rename_round_action.setEnabled(has_round and not archived and writable)
        self.archive_round_action.setEnabled(has_round and not archived and writable)
        self.restore_round_action.setEnabled(has_round and archived and writable)
        has_rows = has_round and self.model.rowCount() > 0
        self.report_action.setEnabled(has_rows)
        self.export_action.setEnabled(has_rows)
        self.corrections_action.setEnabled(has_rows)
        self.compare_action.setEnabled(has_rows)  # reads only: archived rounds too
        self.rescore_action.setEnabled(has_rows and not archived and writable)
        self.print_action.setEnabled(has_rows)
        self.print_all_action.setEnabled(has_rows)
        self.print_chosen_action.setEnabled(has_rows)
        self.next_action.setEnabled(has_rows)
        self.batch_action.setEnabled(has_rows and not archived and writable)
        self.panel_action.setEnabled(has_round)
        self.new_round_action.setEnabled(self.service is not None and writable)
        self.backup_action.setEnabled(self.service is not None)  # a read-only file too
        self._update_welcome()

    def _update_welcome(self) -> None:
        """The guide instead of the table while there is no round open or it has no applicant."""
        if self.service is None:
            self.welcome.show_progress("无法打开数据库：请在“设置”中选择数据库后重新打开程序", 0, 0)
            self.table_stack.setCurrentWidget(self.welcome)
            self.detail.setVisible(False)
            return
        if self.round_name is None:
            heading = (
                "开始使用：先新建一个评审批次" if not self.rounds
                else "请在左侧选择一个评审批次，或新建一个"
            )  # fmt: skip
            self.welcome.show_progress(heading, 0, 1)
            self.table_stack.setCurrentWidget(self.welcome)
        elif self.model.rowCount() == 0 and not self._loading_rows:
            if self._rows_failed == self.round_name:
                # Not an empty round: importing again would not help (the message says what would).
                self.welcome.show_progress(
                    f"批次 “{self.round_name}” 的企业列表未能读取，原因见提示窗口和状态栏", 0, 0
                )
            elif self.round_archived:
                self.welcome.show_progress(f"批次 “{self.round_name}” 已归档，没有企业", 1, 1)
            else:
                self.welcome.show_progress(
                    f"批次 “{self.round_name}” 还没有企业：下一步，导入申报数据", 1, 2
                )
            self.table_stack.setCurrentWidget(self.welcome)
        else:
            self.table_stack.setCurrentIndex(1)
        # The detail pane has nothing to show beside the guide.
        self.detail.setVisible(
            self.table_stack.currentIndex() == 1 and self.round_tabs.showing_table()
        )

    def show_identity(self) -> None:
        """The signed-in evaluator in the status bar (in red, with how to set one, if none)."""
        from zjtx.ui.identity_dialog import identity_status_text

        self.identity_label.setText(identity_status_text(self.settings))
        self.identity_label.setStyleSheet("" if self.settings.evaluator else "color:#c62828")
        self.identity_label.setToolTip("评审人记入评审留痕并打印在评审意见表签字栏；在“设置”中修改")

    def ask_identity(self, *, first_start: bool = False) -> None:
        """Ask who the evaluator is (at first start, and from the status bar's hint)."""
        from zjtx.ui.identity_dialog import IdentityDialog

        dialog = IdentityDialog(self.settings, self, first_start=first_start)
        dialog.saved.connect(
            lambda identity: self._settings_changed({"evaluator": (identity.name, identity.role)})
        )
        self.identity_dialog = dialog
        dialog.open()

    def _criterion_chosen(self, criterion_id: str) -> None:
        """A click on a criterion row picks it in the review pane (shown if collapsed)."""
        if self.review.select_criterion(criterion_id) and not self.review_pane_action.isChecked():
            self.review_pane_action.setChecked(True)
            self._toggle_review_pane(True)

    def reload_rows(self) -> None:
        service, name = self.service, self.round_name
        if service is None or name is None:
            return
        self.statusBar().showMessage("正在读取企业列表……")
        self._loading_rows = True
        self._rows_failed = None

        def loaded(rows: list[Any]) -> None:
            if name != self.round_name:
                return
            self._loading_rows = False
            selected = self.current_uscc
            self.model.set_rows(rows)
            self._fit_columns(rows)
            self._fill_region_filter(rows)
            self._update_actions()
            column = self.table.horizontalHeader().sortIndicatorSection()
            if 0 <= column < self.model.columnCount():
                self.model.sort(column, self.table.horizontalHeader().sortIndicatorOrder())
            self._update_counts()
            check_rulebook_update(self, name)
            if self._after_load_message:  # what the evaluator just did, rather than the count
                self.message.emit(self._after_load_message)
                self._after_load_message = None
            else:
                self.statusBar().showMessage(f"已读取 {len(rows)} 家企业", 5000)
            target = self._pending_select or selected
            self._pending_select = None
            if target:
                self.select_applicant(target, load=target != selected)
                if target == selected:
                    # Read again though it stays selected: an import or a rescore may have
                    # changed its data, score or 需复核 state since it was shown.
                    self.load_detail(target)
            self.rows_loaded.emit(name)

        def failed(exc: BaseException) -> None:
            self._loading_rows = False
            self._rows_failed = name
            self._update_welcome()
            self.show_error(exc)

        self.runner.start(lambda p, c: service.list_applicants(name), name="读取企业列表",
                          on_success=loaded, on_failure=failed)  # fmt: skip

    # ------------------------------------------------------------------ table
    def apply_filters(self) -> None:
        self.proxy.set_filters(
            verdict=self.verdict_filter.currentData(),
            decision=self.decision_filter.currentData(),
            status=self.status_filter.currentData(),
            application_type=self.type_filter.currentData(),
            open_items=self.open_filter.currentData(),
            region=self.region_filter.currentData(),
            search=self.search.text(),
        )
        self._update_counts()

    def _fill_region_filter(self, rows: list[Any]) -> None:
        """The provinces and cities of the round's applicants (the chosen one kept if present)."""
        chosen = self.region_filter.currentData()
        self.region_filter.blockSignals(True)
        self.region_filter.clear()
        for code, label in region_choices(rows):
            self.region_filter.addItem(label, code)
        position = self.region_filter.findData(chosen) if chosen else 0
        self.region_filter.setCurrentIndex(max(position, 0))
        self.region_filter.blockSignals(False)
        if chosen and position < 0:
            self.apply_filters()  # the place chosen before is no longer in the round

    def _fit_columns(self, rows: list[Any]) -> None:
        """Hide 排名 and 得分 when the round's rulebooks give no score: they would stay empty;
        widen 得分 for a range and 评审决定 for 推荐（需复核） when one shows."""
        scored = any(r.score is not None or r.max_score for r in rows)
        # A score not yet fixed shows as a range (25–100 / 100): room for the widest.
        self.columns.widen_for(ApplicantTableModel.SCORE_COLUMN, [r for r in rows if r.score_open])
        self.columns.widen_for(
            ApplicantTableModel.DECISION_COLUMN, [r for r in rows if r.decision_outdated]
        )
        self.columns.set_scored(scored)

    def _update_counts(self) -> None:
        """How many rows are shown, and the verdicts and decisions of those shown (of the
        whole round when no filter is set)."""
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        rows = (
            self.model.rows()
            if shown == total
            else [self.proxy.data(self.proxy.index(r, 0), ROW_ROLE) for r in range(shown)]
        )
        verdicts = Counter(r.verdict for r in rows)
        decided = sum(1 for r in rows if r.decision)
        of = "" if shown == total else "（筛选出的）"
        counts = (
            ("#1b7f3b", f"符合 {verdicts.get('qualified', 0)}"),
            ("#b26a00", f"{Verdict.PENDING.label} {verdicts.get('pending', 0)}"),
            ("#c62828", f"不符合 {verdicts.get('not_qualified', 0)}"),
        )
        self.count_label.setText(
            f"显示 {shown} / {total} 家{of}　"
            + "　".join(f"<span style='color:{c}'>{text}</span>" for c, text in counts)
            + f"　{ReviewStatus.DECIDED.label} {decided}"
        )
        self.count_label.setToolTip(
            f"显示 {shown} / {total} 家{of}；{'，'.join(text for _c, text in counts)}，"
            f"{ReviewStatus.DECIDED.label} {decided}"
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.proxy.data(current, ROW_ROLE)
        if row is not None and row.uscc != self.current_uscc:
            self.current_uscc = row.uscc
            self.load_detail(row.uscc)

    def select_applicant(self, uscc: str, *, load: bool = True) -> bool:
        """Select an applicant in the table (clearing filters that hide it) and show it."""
        position = self.model.position_of(uscc)
        if position is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not index.isValid():
            for combo in (self.verdict_filter, self.decision_filter, self.status_filter,
                          self.open_filter, self.type_filter, self.region_filter):  # fmt: skip
                combo.setCurrentIndex(0)
            self.search.clear()
            self.apply_filters()
            index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not load:
            self.current_uscc = uscc
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        # Scrolled to by a column on show: the first one (排名) is hidden in unscored rounds.
        header = self.table.horizontalHeader()
        shown = next(
            (c for c in range(header.count()) if not header.isSectionHidden(c)), index.column()
        )
        self.table.scrollTo(index.siblingAtColumn(shown))
        return True

    def _step_pending(self, step: int) -> None:
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.table.currentIndex().row()
        start = current if current >= 0 else (-1 if step > 0 else count)
        for offset in range(1, count + 1):
            position = (start + step * offset) % count
            row = self.proxy.data(self.proxy.index(position, 0), ROW_ROLE)
            if row is not None and str(row.review_status) != "decided":
                self.select_applicant(row.uscc)
                return
        self.message.emit("没有待评审的企业了")

    def next_pending(self) -> None:
        """Select the next applicant (in table order) whose review is not decided."""
        self._step_pending(1)

    def previous_pending(self) -> None:
        self._step_pending(-1)

    # ------------------------------------------------------------------ detail and review
    def load_detail(self, uscc: str) -> None:
        service, name = self.service, self.round_name
        if service is None or name is None:
            return
        self._detail_request += 1
        request = self._detail_request
        shown = self.review.state
        if shown is None or shown.uscc != uscc:
            # Until this applicant is read, nothing of the last one stays on screen to be
            # confirmed or decided by mistake (a large round takes a moment per read).
            self.review.show_state(None)
            position = self.model.position_of(uscc)
            shown_name = self.model.row_at(position).name if position is not None else uscc
            self.detail.show_loading(shown_name)
        if self._detail_task is not None:
            self._detail_task.cancel()  # a read not yet started for a row left behind is skipped

        def loaded(result: tuple[ApplicantDetail, list[Any]] | None) -> None:
            if result is None or request != self._detail_request:
                return  # the evaluator has moved on to another row
            detail, history = result
            self.detail.show_detail(detail, history)
            self.review.show_state(detail.review)
            self.detail_loaded.emit(detail)

        def work(_progress: Any, cancel: Any) -> tuple[ApplicantDetail, list[Any]] | None:
            return None if cancel() else _detail_and_history(service, name, uscc)

        self._detail_task = self.runner.start(work, name="读取企业详情", on_success=loaded,
                                              on_failure=self.show_error)  # fmt: skip

    def _review_saved(self, state: ReviewState) -> None:
        self.message.emit(f"已保存 {state.name} 的评审（第 {state.version} 版）")
        self.refresh_applicant(state.uscc)

    def refresh_applicant(self, uscc: str, *, review: bool = False) -> None:
        """Read one applicant again after a change: its row, counts and detail, and (``review``)
        the review pane's state, for a change made elsewhere than the pane (the panel's)."""
        service, name = self.service, self.round_name
        if service is None or name is None:
            return

        def loaded(result: tuple[ApplicantDetail, list[Any]]) -> None:
            detail, history = result
            self.model.update_row(detail.row)
            self._update_counts()
            if self.current_uscc == uscc:
                self.detail.show_detail(detail, history)
                if review:
                    self.review.show_state(detail.review)
            self.detail_loaded.emit(detail)

        self.runner.start(lambda p, c: _detail_and_history(service, name, uscc),
                          name="刷新企业", on_success=loaded,
                          on_failure=self.show_error)  # fmt: skip

    def show_error(self, exc: BaseException) -> None:
        """A failure of a background task: store errors are explained, others are unexpected."""
        from zjtx.ui.errors import show_failure

        if isinstance(exc, StoreError):
            self.statusBar().showMessage(str(exc), 15000)
        show_failure(exc, self)
