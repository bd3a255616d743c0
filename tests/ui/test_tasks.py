"""Background tasks: a failure nobody handles is still shown to the evaluator."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from zjtx.store import StoreError
from zjtx.ui import errors
from zjtx.ui.tasks import TaskRunner


def _fail(exc: BaseException):
    def work(progress, cancel):
        raise exc

    return work


def test_an_unhandled_store_error_is_shown_as_a_warning(qtbot):
    """A task started without on_failure that raises a StoreError opens 操作未完成 with its text."""
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    # Handlers are connected before the task starts; a waitSignal set up after start() could
    # miss a task that has already finished, so the tests wait for what the evaluator sees.
    runner.start(_fail(StoreError("数据库正忙，请稍后再保存")))
    qtbot.waitUntil(lambda: any(b.isVisible() for b in errors.shown))
    box = errors.shown[-1]
    assert box.windowTitle() == "操作未完成"
    assert box.text() == "数据库正忙，请稍后再保存"
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()
    runner.wait(5000)


def test_an_unexpected_failure_is_reported_not_swallowed(qtbot, monkeypatch):
    """Any other exception reaches report_exception (logged with its traceback, 程序出错)."""
    seen: list[BaseException] = []
    monkeypatch.setattr(errors, "report_exception", lambda kind, exc, tb: seen.append(exc))
    runner = TaskRunner()
    failure = ValueError("坏数据")
    runner.start(_fail(failure))
    qtbot.waitUntil(lambda: seen == [failure])
    runner.wait(5000)


def test_a_task_with_its_own_handler_shows_nothing_else(qtbot):
    """on_failure given: only it is called."""
    runner = TaskRunner()
    got: list[BaseException] = []
    before = len(errors.shown)
    runner.start(_fail(StoreError("x")), on_failure=got.append)
    qtbot.waitUntil(lambda: len(got) == 1)
    qtbot.waitUntil(lambda: not runner.busy())
    assert len(errors.shown) == before
    runner.wait(5000)


@pytest.fixture(autouse=True)
def _close_boxes():
    yield
    for box in list(errors.shown):
        if shiboken6.isValid(box):
            box.close()


def test_a_dialog_destroyed_with_its_parent_is_forgotten(qtbot):
    """An open error dialog whose window is destroyed leaves no stale entry behind."""
    parent = QWidget()
    errors.show_failure(StoreError("x"), parent)
    box = errors.shown[-1]
    parent.deleteLater()
    qtbot.waitUntil(lambda: all(other is not box for other in errors.shown))
