"""文件 → 备份数据库…: a copy of the whole database, of one moment, written off the GUI thread."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from zjtx.store.transfer import CopyReport, backup_database
from zjtx.ui.tasks import Task, TaskProgressDialog

if TYPE_CHECKING:
    from zjtx.ui.main_window import MainWindow

TITLE = "备份数据库"
FILTER = "zjtx 数据库备份 (*.sqlite3)"


def ask_target(window: MainWindow) -> Path | None:
    """The backup file, chosen by the evaluator (the dialog asks before replacing one)."""
    folder = Path(window.settings.export_folder or Path.home())
    suggested = folder / f"zjtx备份-{datetime.now():%Y%m%d-%H%M}.sqlite3"
    chosen, _ = QFileDialog.getSaveFileName(window, TITLE, str(suggested), FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix:
        return path  # the dialog asked before replacing it
    path = path.with_suffix(".sqlite3")
    if path.exists() and not replace_asked(window, path):
        return None
    return path


def replace_asked(window: MainWindow, path: Path) -> bool:
    """The dialog asked about the name as typed: a backup under the name with .sqlite3 added
    is replaced only when the evaluator says so."""
    answer = QMessageBox.question(
        window,
        TITLE,
        f"{path} 已存在，要用新的备份替换它吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def back_up(window: MainWindow, target: Path | None = None) -> Task | None:
    """Write the open database to ``target`` (asked for when None) with progress and cancel;
    other work in the window goes on meanwhile. Returns the task (None when not started)."""
    service = window.service
    if service is None:
        return None
    target = target or ask_target(window)
    if target is None:
        return None
    store = service.store
    dialog = TaskProgressDialog(f"正在备份数据库到 {target} ……", TITLE, window)
    window.backup_progress = dialog

    def work(progress: Any, cancel: Any) -> CopyReport:
        return backup_database(store, target, replace=True, progress=progress, cancel=cancel)

    def finished() -> None:
        dialog.close_for_good()
        window.backup_progress = None

    def done(report: CopyReport) -> None:
        text = (
            f"已备份到 {report.target}\n\n{report.summary()}。\n\n"
            "这是备份时刻的完整数据库。需要时可在 设置 中把数据库改为这个文件，"
            "或交技术人员保存。"
        )
        box = QMessageBox(QMessageBox.Icon.Information, TITLE, text, QMessageBox.StandardButton.Ok,
                          window)  # fmt: skip
        window.backup_box = box
        box.open()
        window.message.emit(f"已备份数据库到 {report.target}")

    def cancelled() -> None:
        window.message.emit("已取消备份；没有写入文件")

    task = window.runner.start(work, name=TITLE, on_success=done, on_failure=window.show_error,
                               on_progress=dialog.show_progress,
                               on_cancel=cancelled, on_finish=finished)  # fmt: skip
    dialog.canceled.connect(task.cancel)
    dialog.show()
    return task
