"""The installed Qt binding keeps the reference counts of None, True and False."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar

CALLS = 2000


class _Sender(QObject):
    changed = Signal(int)


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_calls_that_return_nothing_leave_none_and_the_booleans_alone(qtbot) -> None:
    """Thousands of the calls the window makes (set a text, a progress value, emit a signal)
    leave None, True and False as referenced as before: PySide6 6.12.0 on Python 3.11 took a
    reference from them at each call and the window died with "Fatal Python error:
    none_dealloc" (pyproject.toml keeps Python 3.11 on the 6.11 series)."""
    label, bar, sender = QLabel(), QProgressBar(), _Sender()
    qtbot.addWidget(label)
    qtbot.addWidget(bar)
    received: list[int] = []
    sender.changed.connect(received.append)
    before = _counts()
    for value in range(CALLS):
        label.setText("正在导入")
        bar.setValue(value % 100)
        sender.changed.emit(value)
    after = _counts()
    assert len(received) == CALLS
    # A few references may come and go with the objects made; CALLS would be the bug.
    assert all(abs(a - b) < CALLS // 10 for a, b in zip(after, before, strict=True)), (
        before,
        after,
    )
