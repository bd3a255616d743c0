"""Closing the main window while an import, export or print runs, or with a decision typed
but not saved, asks first."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

# Tasks that closing the window would cut short, by TaskRunner name -> what to ask about.
GUARDED_TASKS = {"导入申报数据": "导入", "导出": "导出", "打印": "打印"}


class CloseGuardMixin:
    """MainWindow's closeEvent: a running import/export/print is cancelled, and decisions
    typed but not saved are dropped, only when confirmed."""

    def running_work(self) -> str | None:
        """What closing the window would cancel (导入, 导出, 打印), or None."""
        kinds = [GUARDED_TASKS[t.name] for t in self.runner.tasks() if t.name in GUARDED_TASKS]
        return "、".join(dict.fromkeys(kinds)) or None

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_confirmed:
            work = self.running_work()
            unsaved = self.review.unsaved()
            if work is not None:
                event.ignore()
                self._ask_close(
                    f"正在{work}",
                    f"{work}尚未完成。退出将取消{work}：已经保存的数据不受影响，尚未完成的部分不会保存。",
                    f"继续{work}",
                    f"取消{work}并退出",
                    cancel_tasks=True,
                )
                return
            if unsaved:
                event.ignore()
                self._ask_close(
                    "有未保存的评审决定",
                    f"有 {unsaved} 家企业的决定或意见已填写但尚未保存（Ctrl+S）。退出将丢弃它们。",
                    "返回保存",
                    "丢弃并退出",
                )
                return
        self.save_layout()
        self.runner.wait(30000)
        super().closeEvent(event)

    def _ask_close(
        self, title: str, text: str, keep_text: str, quit_text: str, *, cancel_tasks: bool = False
    ) -> None:
        """Ask whether to quit all the same (non-blocking); quitting cancels the running
        tasks when ``cancel_tasks``."""
        if self.close_question is not None:
            self.close_question.raise_()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self
        )
        keep = box.addButton(keep_text, QMessageBox.ButtonRole.RejectRole)
        quit_button = box.addButton(quit_text, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.close_question = box

        def answered(_result: int) -> None:
            self.close_question = None
            if box.clickedButton() is quit_button:
                self._closing_confirmed = True
                if cancel_tasks:
                    for task in self.runner.tasks():
                        task.cancel()
                self.close()
            else:
                self.message.emit(keep_text)

        box.finished.connect(answered)
        box.open()
