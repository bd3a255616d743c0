"""The one handler of unexpected exceptions: log the traceback, show a Chinese dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

from zjtx.store.secrets import MaskSecretsFilter, mask_secrets
from zjtx.store.settings import make_private_file, make_private_folder

log = logging.getLogger("zjtx.ui")

shown: list[QMessageBox] = []  # dialogs open now (kept alive; tests look at them)


def setup_logging(folder: Path) -> Path:
    """Log to zjtx.log in the data folder (readable by its owner only, passwords masked);
    returns the log file."""
    path = folder / "zjtx.log"
    root = logging.getLogger("zjtx")
    root.setLevel(logging.INFO)
    if any(isinstance(h, logging.FileHandler) for h in root.handlers):
        return path
    try:
        make_private_folder(folder)
        handler: logging.Handler = logging.FileHandler(make_private_file(path), encoding="utf-8")
    except OSError as exc:  # a read-only data folder: the window still opens, logging to stderr
        handler = logging.StreamHandler()
        print(f"zjtx: 无法写入日志文件 {path}：{exc.strerror}", file=sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskSecretsFilter())
    root.addHandler(handler)
    return path


def _keep_while_open(box: QMessageBox) -> None:
    """Hold a reference to an open dialog until it is closed or destroyed with its parent."""

    def forget(*_args: object) -> None:
        shown[:] = [other for other in shown if other is not box]

    box.finished.connect(forget)
    box.destroyed.connect(forget)
    shown.append(box)


def report_exception(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Log an unexpected exception and tell the user, without closing the window."""
    text = mask_secrets("".join(traceback.format_exception(kind, exc, tb)))
    log.error("未预期的错误：\n%s", text)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "程序出错", "")
    box.setText(
        "程序遇到了一个未预期的错误，当前操作没有完成。\n"
        "已保存的评审不受影响；请把日志文件发给技术支持。"
    )
    box.setInformativeText(mask_secrets(f"{kind.__name__}：{exc}"))
    box.setDetailedText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText("知道了")
    _keep_while_open(box)
    box.open()


def show_failure(exc: BaseException, parent: Any = None) -> None:
    """A background task failed: a store error is explained in a warning, anything else is
    reported as unexpected (logged with its traceback)."""
    from zjtx.files import OutputWriteError
    from zjtx.store import StoreError

    # A file that could not be written (a full disk, a read-only folder) is said in Chinese
    # by OutputWriteError itself: the user's to mend, not a defect.
    if not isinstance(exc, StoreError | OutputWriteError):
        report_exception(type(exc), exc, exc.__traceback__)
        return
    log.warning("操作未完成：%s", exc)
    box = QMessageBox(
        QMessageBox.Icon.Warning, "操作未完成", mask_secrets(str(exc)),
        QMessageBox.StandardButton.Ok, parent,
    )  # fmt: skip
    _keep_while_open(box)
    box.open()


def install_exception_handler() -> None:
    """Route every uncaught exception (GUI thread, slots, threads) to report_exception."""
    sys.excepthook = report_exception
