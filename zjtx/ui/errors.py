"""The one handler of unexpected exceptions: log the traceback, show a Chinese dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("zjtx.ui")

shown: list[QMessageBox] = []  # dialogs open now (kept alive; tests look at them)


def setup_logging(folder: Path) -> Path:
    """Log to zjtx.log in the data folder (and stderr); returns the log file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "zjtx.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("zjtx")
    if not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def report_exception(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Log an unexpected exception and tell the user, without closing the window."""
    text = "".join(traceback.format_exception(kind, exc, tb))
    log.error("未预期的错误：\n%s", text)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "程序出错", "")
    box.setText(
        "程序遇到了一个未预期的错误，当前操作没有完成。\n"
        "已保存的评审不受影响；请把日志文件发给技术支持。"
    )
    box.setInformativeText(f"{kind.__name__}：{exc}")
    box.setDetailedText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText("知道了")
    box.finished.connect(lambda _result: shown.remove(box) if box in shown else None)
    shown.append(box)
    box.open()


def install_exception_handler() -> None:
    """Route every uncaught exception (GUI thread, slots, threads) to report_exception."""
    sys.excepthook = report_exception
