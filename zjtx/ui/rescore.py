"""批次 → 按当前标准重新评价…: the open round evaluated again under the rulebooks in force now."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from zjtx.store.dto import RescoreReport, RulebookUpdate
from zjtx.ui.tasks import Task, TaskProgressDialog

if TYPE_CHECKING:
    from zjtx.ui.main_window import MainWindow

TITLE = "重新评价"
SHOWN_CHANGES = 12  # verdict changes named in the message; the rest are counted


def rescore_question(round_name: str) -> str:
    return (
        f"按现行的评价标准（含新安装或更新的标准文件）重新评价批次 “{round_name}” 的全部企业？\n\n"
        "只有评价标准或申报数据有变化的企业生成新的评价，原评价保留在留痕中；"
        "结论改变的企业会逐一列出；其中已作出决定的，决定在企业列表中标为“需复核”。"
    )


def rescore_round(window: MainWindow, *, confirm: bool = True) -> Task | None:
    """Ask, then rescore the open round off the GUI thread with progress and cancel; the
    rows are read again afterwards. Returns the task (None when nothing was started)."""
    service, name = window.service, window.round_name
    if service is None or name is None:
        return None
    if confirm:
        answer = QMessageBox.question(
            window,
            TITLE,
            rescore_question(name),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Ok,
        )
        if answer != QMessageBox.StandardButton.Ok:
            return None
    # A changed verdict of an applicant already decided is named as needing a second look.
    names = {
        row.uscc: f"{row.name}（已作出决定“{row.decision_label}”，请复核）" if row.decision
        else row.name
        for row in window.model.rows()
    }  # fmt: skip
    evaluator = window.settings.evaluator
    dialog = TaskProgressDialog(f"正在重新评价批次 “{name}” ……", TITLE, window)
    window.rescore_progress = dialog

    def work(progress: Any, cancel: Any) -> RescoreReport:
        return service.rescore(name, evaluator=evaluator, progress=progress, cancel=cancel)

    def finished() -> None:
        dialog.close_for_good()
        window.rescore_progress = None

    def done(report: RescoreReport) -> None:
        text = report.text(names, SHOWN_CHANGES)
        window.rescore_message = text
        box = QMessageBox(QMessageBox.Icon.Information, TITLE, text, QMessageBox.StandardButton.Ok,
                          window)  # fmt: skip
        window.rescore_box = box
        box.open()
        window._after_load_message = text.splitlines()[0]
        window.reload_rows()

    def cancelled() -> None:
        window.rescore_message = "已取消重新评价；数据库未改动"
        window.message.emit(window.rescore_message)

    task = window.runner.start(work, name=TITLE, writes=True, on_success=done,
                               on_failure=window.show_error,
                               on_progress=dialog.show_progress,
                               on_cancel=cancelled, on_finish=finished)  # fmt: skip
    dialog.canceled.connect(task.cancel)
    dialog.show()
    return task


def with_rulebook_update(window: MainWindow, tabs: QWidget) -> QWidget:
    """The round's tabs (概览 | 企业列表) under a line that says when the open round was
    evaluated under an older rulebook than the one in force (hidden otherwise); its link
    starts 重新评价. The line is ``window.rulebook_update_banner``."""
    banner = round_banner("rulebookUpdate", lambda: rescore_round(window))
    window.rulebook_update_banner = banner
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(banner)
    layout.addWidget(tabs, 1)
    window.round_banners = layout  # other lines about the open round go above its tabs too
    return box


def round_banner(object_name: str, on_link: Callable[[], None] | None) -> QLabel:
    """A line above the round's tabs (hidden until it has something to say), in the colour
    of a warning, whose link runs ``on_link`` (None: the caller connects its links)."""
    banner = QLabel("")
    banner.setObjectName(object_name)
    banner.setWordWrap(True)
    banner.setStyleSheet("color:#b26a00")
    banner.setTextFormat(Qt.TextFormat.RichText)
    banner.setVisible(False)
    if on_link is not None:
        banner.linkActivated.connect(lambda _link: on_link())
    return banner


def check_rulebook_update(window: MainWindow, name: str) -> None:
    """Ask the store, off the GUI thread, whether round ``name`` was evaluated under an older
    rulebook, and show or hide the banner (an archived round is told, not offered 重新评价)."""
    service, banner = window.service, window.rulebook_update_banner
    if service is None:
        return

    def shown(update: RulebookUpdate | None) -> None:
        if name != window.round_name:
            return
        if update is None:
            banner.setVisible(False)
            return
        offer = "" if window.round_archived else '，<a href="rescore">按现行标准重新评价…</a>'
        banner.setText(f"{html.escape(update.text())}{offer}")
        banner.setVisible(True)

    window.runner.start(
        lambda _progress, _cancel: service.rulebook_update(name),
        name="检查评价标准版本",
        on_success=shown,
        on_failure=lambda _exc: banner.setVisible(False),  # a hint only: the table stands
    )
