"""The register in the main window: its menu entries, 标记为已认定 and the detail's 培育库 tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import Decision
from zjtx.domain.registry import DEFAULT_LEVEL, DEFAULT_VALID_YEARS, RegistryLevel, RegistryTitle
from zjtx.ui.registry_recheck_banner import (
    after_recheck,
    check_recheck_due,
    install_recheck_banner,
)
from zjtx.ui.registry_view import EnterpriseHistoryWidget, RegistryView, _fill, _html, _table
from zjtx.ui.tasks import TaskRunner

# The register's warnings whose field the evaluator can take from the register in one action.
ACCEPTABLE_CODES = ("registry-declared-contradicted", "registry-declared-not-on-record")


class ApplicantRegistryPane(QWidget):
    """The 培育库 tab of an applicant's detail: the register's warnings on it (with 采用培育库
    记录 for a declared title), its titles on record and its applications."""

    accepted = Signal(str)  # the uscc whose data took the register's value

    def __init__(
        self,
        runner: TaskRunner,
        service: Callable[[], Any],
        evaluator: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.service, self.evaluator = runner, service, evaluator
        self.round_name: str | None = None
        self.detail: Any = None
        self.warnings: list[Any] = []
        self.notice: tuple[str, str] | None = None  # (uscc, what was just accepted)
        self._request = 0
        self.warnings_table = _table(("提示", "字段"))
        warnings_header = self.warnings_table.horizontalHeader()
        warnings_header.setStretchLastSection(False)
        warnings_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.warnings_table.setColumnWidth(1, 150)
        self.warnings_table.setWordWrap(True)
        self.warnings_table.currentCellChanged.connect(lambda *_: self._update_button())
        self.accept_button = QPushButton("采用培育库记录")
        self.accept_button.setToolTip(
            "把培育库中的称号记录采用到本企业的申报数据（生成新版本，来源记为“培育库”，"
            "重新评价，记入留痕）"
        )
        self.accept_button.clicked.connect(self.accept_selected)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.history = EnterpriseHistoryWidget()
        row = QHBoxLayout()
        row.addWidget(QLabel("培育库核对提示："), 1)
        row.addWidget(self.accept_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(row)
        left_layout.addWidget(self.warnings_table, 1)
        left_layout.addWidget(self.status)
        splitter.addWidget(left)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._update_button()

    def show_for(self, round_name: str | None, detail: Any) -> None:
        """The registry warnings of ``detail`` at once; its history read off the GUI thread."""
        self.round_name, self.detail = round_name, detail
        self.warnings = [i for i in detail.issues if i.code.startswith("registry-")]
        from zjtx.ui.models import field_label

        _fill(self.warnings_table, [(i.message, field_label(i.field)) for i in self.warnings])
        self.warnings_table.resizeRowsToContents()
        if self.warnings:
            self.warnings_table.selectRow(0)
        if self.notice is not None and self.notice[0] == detail.row.uscc:
            self.status.setText(self.notice[1])  # what the evaluator just took, kept in view
        else:
            self.status.setText("" if self.warnings else "导入时未发现与培育库不符之处")
        self.notice = None
        self._update_button()
        service = self.service()
        if service is None:
            return
        self._request += 1
        request = self._request
        uscc, name = detail.row.uscc, detail.row.name

        def loaded(history: Any) -> None:
            if request == self._request:
                self.history.show_history(history)

        self.runner.start(lambda p, c: service.registry.enterprise(uscc, name),
                          name="读取培育库记录", on_success=loaded)  # fmt: skip

    def selected_warning(self) -> Any:
        row = self.warnings_table.currentRow()
        return self.warnings[row] if 0 <= row < len(self.warnings) else None

    def _update_button(self) -> None:
        warning = self.selected_warning()
        self.accept_button.setEnabled(warning is not None and warning.code in ACCEPTABLE_CODES)

    def accept_selected(self) -> None:
        """Take the register's value of the selected warning's field (a write, off the GUI
        thread); the detail is reloaded by whoever listens to ``accepted``."""
        warning, service = self.selected_warning(), self.service()
        if warning is None or service is None or self.round_name is None:
            return
        if warning.code not in ACCEPTABLE_CODES:
            return
        from zjtx.ui.models import field_label

        round_name, uscc, field = self.round_name, self.detail.row.uscc, warning.field
        evaluator = self.evaluator() or None
        self.accept_button.setEnabled(False)
        self.status.setText("正在采用培育库记录……")

        def done(change: dict[str, Any]) -> None:
            yes_no = {True: "是", False: "否", None: "空"}
            text = (
                f"已采用培育库记录：{field_label(field)} "
                f"{yes_no[change['before']]}→{yes_no[change['after']]}"
                f"（{change['basis']}），已重新评价"
            )
            self.status.setText(text)
            self.notice = (uscc, text)
            self.accepted.emit(uscc)

        def failed(exc: BaseException) -> None:
            from zjtx.ui.errors import show_failure

            self.status.setText(f"<span style='color:#c62828'>{_html(str(exc))}</span>")
            self._update_button()
            show_failure(exc, self)

        self.runner.start(
            lambda p, c: service.registry.accept_value(round_name, uscc, field,
                                                       evaluator=evaluator),
            name="采用培育库记录", writes=True, on_success=done, on_failure=failed,
        )  # fmt: skip


class RecogniseDialog(QDialog):
    """标记批次为已认定: the year and validity of the recognition of its 推荐 decisions."""

    def __init__(self, round_info: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("标记批次为已认定")
        title = RegistryTitle.label_of(round_info.tier)
        text = QLabel(
            f"批次 “{round_info.name}” 中决定为“{Decision.RECOMMEND.label}”的企业将作为"
            f"{RegistryLevel.label_of(DEFAULT_LEVEL[RegistryTitle(round_info.tier)].value)}"
            f"{title}记入培育库，来源记为本批次；再次标记只补充此后新推荐的企业。"
        )
        text.setWordWrap(True)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(round_info.round_date.year)
        self.valid_years = QSpinBox()
        self.valid_years.setRange(1, 10)
        self.valid_years.setValue(DEFAULT_VALID_YEARS)
        self.valid_years.setSuffix(" 年")
        form = QFormLayout()
        form.addRow("认定年度", self.year)
        form.addRow("有效期", self.valid_years)
        buttons = QDialogButtonBox()
        buttons.addButton("标记为已认定", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 200)


def recognise_round(window: Any, year: int, valid_years: int) -> Any:
    """Mark the window's open round 认定 (a write, off the GUI thread); the result goes to
    the status bar, a refused marking to an error dialog in Chinese."""
    service, name = window.service, window.round_name
    evaluator = window.settings.evaluator or None

    def done(outcome: tuple[Any, list[str]]) -> None:
        result, unchecked = outcome
        window.message.emit(
            f"批次 “{name}” 已标记为已认定：推荐 {result.rows} 家，新增 {result.added} 项，"
            f"未变 {result.unchanged} 项"
            + "".join(f"；已重新核对：{r.summary()}" for r in result.rechecked)
            # Where the register cannot vouch for absence, as `zjtx registry recognise` says:
            # counted here (a line per round and title would run off the bar), each line shown
            # above its round.
            + (
                f"；另有 {len(unchecked)} 条提示：培育库未能核对企业是否已获称号，各批次上方列出"
                if unchecked
                else ""
            )
        )
        check_recheck_due(window, window.round_name)  # the open round's line, as it now stands
        if window.registry_view is not None:
            window.registry_view.reload()
        if result.rechecked:
            window.reload_rows()
        if window.current_uscc:
            window.load_detail(window.current_uscc)

    def work(_progress: Any, _cancel: Any) -> tuple[Any, list[str]]:
        result = service.registry.recognise_round(
            name, year=year, valid_years=valid_years, evaluator=evaluator
        )
        return result, service.registry.absence_unchecked(window=True)

    return window.runner.start(
        work, name="标记批次为已认定", writes=True, on_success=done, on_failure=window.show_error
    )


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for item in window.menuBar().actions():
        if item.text() == title and item.menu() is not None:
            return item.menu()  # type: ignore[return-value]
    return None


def install_registry(window: Any) -> None:
    """Give the main window the register: 文件 → 培育库… (and on the toolbar), 批次 → 标记为
    已认定…, and the 培育库 tab of the applicant's detail."""
    window.registry_view = None
    window.recognise_dialog = None

    def open_view() -> RegistryView | None:
        if window.service is None:
            return None
        if window.registry_view is None:
            window.registry_view = RegistryView(
                window.runner, window.service, lambda: window.settings.evaluator, window
            )
            window.registry_view.rechecked.connect(rounds_rechecked)
        window.registry_view.show()
        window.registry_view.raise_()
        return window.registry_view

    def rounds_rechecked(rechecked: Any) -> None:
        # The register changed under the open rounds (or they were checked again): the
        # table's warnings, 需复核 and the line asking for a recheck follow; the 培育库 window
        # has said when nothing changed.
        after_recheck(window, rechecked, say_unchanged=False)

    def ask_recognise() -> None:
        info = next((r for r in window.rounds if r.name == window.round_name), None)
        if window.service is None or info is None:
            window.message.emit("请先在左侧选择一个评审批次")
            return
        if info.tier not in RegistryTitle._value2member_map_:
            window.message.emit(f"批次 “{info.name}” 的层级不是可认定的称号")
            return
        dialog = RecogniseDialog(info, window)
        dialog.accepted.connect(
            lambda: recognise_round(window, dialog.year.value(), dialog.valid_years.value())
        )
        window.recognise_dialog = dialog
        dialog.open()

    window.open_registry = open_view
    window.ask_recognise = ask_recognise
    window.registry_action = QAction("培育库…", window)
    window.registry_action.setToolTip("历年称号、有效期与到期复核；导入公示/认定名单")
    window.registry_action.triggered.connect(open_view)
    window.recognise_action = QAction("标记为已认定（记入培育库）…", window)
    window.recognise_action.setToolTip(
        f"本批次决定为“{Decision.RECOMMEND.label}”的企业作为已认定记入培育库"
    )
    window.recognise_action.triggered.connect(ask_recognise)
    if (menu := _menu(window, "文件(&F)")) is not None:
        first = menu.actions()[2] if len(menu.actions()) > 2 else None
        menu.insertAction(first, window.registry_action)
    if (menu := _menu(window, "批次(&B)")) is not None:
        menu.addSeparator()
        menu.addAction(window.recognise_action)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    if toolbar is not None:
        toolbar.addAction(window.registry_action)

    pane = ApplicantRegistryPane(
        window.runner, lambda: window.service, lambda: window.settings.evaluator
    )
    window.registry_pane = pane
    tab = window.detail.tabs.addTab(pane, "培育库")

    def detail_shown(detail: Any) -> None:
        pane.show_for(window.round_name, detail)
        count = sum(1 for i in detail.issues if i.code.startswith("registry-"))
        window.detail.tabs.setTabText(tab, f"培育库（{count}）" if count else "培育库")

    def accepted(uscc: str) -> None:
        window.load_detail(uscc)
        window.reload_rows()

    window.detail_loaded.connect(detail_shown)
    pane.accepted.connect(accepted)
    install_recheck_banner(window)
