"""Closing the main window while an import, export or print runs asks first."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

# Tasks that closing the window would cut short, by TaskRunner name -> what to ask about.
GUARDED_TASKS = {"导入申报数据": "导入", "导出": "导出", "打印": "打印"}


class CloseGuardMixin:
    """MainWindow's closeEvent: a running import/export/print is cancelled only when confirmed."""

    def running_work(self) -> str | None:
        """What closing the window would cancel (导入, 导出, 打印), or None."""
        kinds = [GUARDED_TASKS[t.name] for t in self.runner.tasks() if t.name in GUARDED_TASKS]
        return "、".join(dict.fromkeys(kinds)) or None

    def closeEvent(self, event: QCloseEvent) -> None:
        work = None if self._closing_confirmed else self.running_work()
        if work is not None:
            event.ignore()
            self._ask_close(work)
            return
        self.save_layout()
        self.runner.wait(30000)
        super().closeEvent(event)

    def _ask_close(self, work: str) -> None:
        """Ask whether to cancel the running import/export and quit (non-blocking)."""
        if self.close_question is not None:
            self.close_question.raise_()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            f"正在{work}",
            f"{work}尚未完成。退出将取消{work}：已经保存的数据不受影响，尚未完成的部分不会保存。",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        keep = box.addButton(f"继续{work}", QMessageBox.ButtonRole.RejectRole)
        quit_button = box.addButton(f"取消{work}并退出", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.close_question = box

        def answered(_result: int) -> None:
            self.close_question = None
            if box.clickedButton() is quit_button:
                self._closing_confirmed = True
                for task in self.runner.tasks():
                    task.cancel()
                self.close()
            else:
                self.message.emit(f"继续{work}")

        box.finished.connect(answered)
        box.open()
