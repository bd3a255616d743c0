"""Background tasks: failures are shown; database writes run one at a time, reads alongside."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from zjtx.store import StoreError
from zjtx.ui import errors
from zjtx.ui.tasks import TaskRunner

pytestmark = pytest.mark.usefixtures("close_error_boxes")

MAIN = threading.main_thread()


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


def test_a_store_refusal_is_logged_without_a_traceback(qtbot, caplog):
    """A StoreError (a refusal the user is shown) is logged as one line, no traceback; any
    other failure keeps its traceback in the log."""
    runner = TaskRunner()
    seen: list[BaseException] = []
    with caplog.at_level("INFO", logger="zjtx.ui"):
        runner.start(_fail(StoreError("只能由组长作出决定")), name="保存", on_failure=seen.append)
        runner.start(_fail(ValueError("坏数据")), name="读取", on_failure=seen.append)
        qtbot.waitUntil(lambda: len(seen) == 2)
        runner.wait(5000)
    refusal = next(r for r in caplog.records if "只能由组长作出决定" in r.getMessage())
    assert refusal.levelname == "INFO" and refusal.exc_info is None
    failure = next(r for r in caplog.records if "读取" in r.getMessage())
    assert failure.levelname == "ERROR" and failure.exc_info is not None


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


def test_a_dialog_destroyed_with_its_parent_is_forgotten(qtbot):
    """An open error dialog whose window is destroyed leaves no stale entry behind."""
    parent = QWidget()
    errors.show_failure(StoreError("x"), parent)
    box = errors.shown[-1]
    parent.deleteLater()
    qtbot.waitUntil(lambda: all(other is not box for other in errors.shown))


def _wait_for(runner: TaskRunner, qtbot) -> None:
    qtbot.waitUntil(lambda: not runner.busy(), timeout=10000)
    assert runner.wait(5000)


def test_two_writes_started_together_never_overlap(qtbot):
    """Writes run one after another, in the order started, each alone on the writer thread."""
    runner = TaskRunner()
    lock = threading.Lock()
    spans: list[tuple[str, float, float]] = []
    overlapped: list[str] = []

    def write(name: str):
        def work(progress, cancel):
            if not lock.acquire(blocking=False):
                overlapped.append(name)
                lock.acquire()
            try:
                start = time.monotonic()
                time.sleep(0.15)
                spans.append((name, start, time.monotonic()))
            finally:
                lock.release()

        return work

    for name in ("第一次写入", "第二次写入", "第三次写入"):
        runner.start(write(name), name=name, writes=True)
    _wait_for(runner, qtbot)
    assert not overlapped
    assert [s[0] for s in spans] == ["第一次写入", "第二次写入", "第三次写入"]
    for (_, _, first_end), (_, second_start, _) in itertools.pairwise(spans):
        assert second_start >= first_end


def test_reads_still_run_while_a_write_runs(qtbot):
    """A read started during a long write finishes before the write does."""
    runner = TaskRunner()
    read_done = threading.Event()
    write_started = threading.Event()

    def write(progress, cancel):
        write_started.set()
        return read_done.wait(5)  # True only if a read ran meanwhile

    def read(progress, cancel):
        write_started.wait(5)
        read_done.set()
        return "已读取"

    results: dict[str, object] = {}
    runner.start(write, name="写入", writes=True, on_success=lambda r: results.update(write=r))
    runner.start(read, name="读取", on_success=lambda r: results.update(read=r))
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10000)
    assert results == {"write": True, "read": "已读取"}
    runner.wait(5000)


def test_writes_do_not_wait_for_reads(qtbot):
    """A write is not held back by a long read: the writer thread is its own."""
    runner = TaskRunner()
    wrote = threading.Event()
    results: dict[str, object] = {}
    runner.start(
        lambda p, c: wrote.wait(5), name="读取", on_success=lambda r: results.update(read=r)
    )
    runner.start(lambda p, c: wrote.set(), name="写入", writes=True)
    qtbot.waitUntil(lambda: "read" in results, timeout=10000)
    assert results["read"] is True
    runner.wait(5000)


def test_window_writes_run_on_the_writer_thread(qtbot, window, monkeypatch):
    """Creating, renaming, archiving and restoring a round run as writes on the writer thread."""
    from tests.ui.conftest import ROUND, ROUND_DATE

    service = window.service
    calls: list[tuple[str, bool]] = []

    def recorded(method_name: str):
        method = getattr(service, method_name)

        def call(*args, **kwargs):
            on_writer = window.runner.writer.activeThreadCount() == 1
            calls.append((method_name, on_writer and threading.current_thread() is not MAIN))
            return method(*args, **kwargs)

        return call

    for method_name in ("create_round", "rename_round", "archive_round", "restore_round"):
        monkeypatch.setattr(service, method_name, recorded(method_name))
    with qtbot.waitSignal(window.rows_loaded, timeout=20000):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.rename_round()
    window.round_dialog.name.setText("改名后的批次")
    with qtbot.waitSignal(window.rows_loaded, timeout=20000):
        window.round_dialog.accept()
    window.show_archived.setChecked(True)  # the archived round stays listed, to restore it
    window.archive_round()
    qtbot.waitUntil(lambda: len(calls) == 3, timeout=20000)
    qtbot.waitUntil(lambda: window.round_archived, timeout=20000)
    window.restore_round()
    qtbot.waitUntil(lambda: len(calls) == 4, timeout=20000)
    assert calls == [
        ("create_round", True),
        ("rename_round", True),
        ("archive_round", True),
        ("restore_round", True),
    ]


def test_every_database_write_in_the_window_is_started_as_a_write():
    """Each runner.start in zjtx/ui whose work changes the database passes writes=True."""
    import ast
    from pathlib import Path

    writers = {"create_round", "rename_round", "archive_round", "restore_round", "import_file",
               "import_paths", "apply_review", "confirm_criterion", "acknowledge_warning",
               "decide", "rescore", "set_evaluator_role", "decide_batch", "import_list",
               "accept_value", "recognise_round", "revoke", "recheck_rounds"}  # fmt: skip
    # Methods whose work runs a writing function their callers pass in (the panel dialog's
    # _write runs add_member, judge, recuse, opinion … on the store's Panels).
    write_wrappers = {("panel_view.py", "_write")}
    package = Path(__file__).resolve().parents[2] / "zjtx" / "ui"
    wrong = []
    starts = 0
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Module functions and methods; a start() names a work function defined inside them.
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        seen: set[int] = set()
        for scope in scopes:
            local = {n.name: n for n in ast.walk(scope) if isinstance(n, ast.FunctionDef)}
            for node in ast.walk(scope):
                if id(node) in seen or not isinstance(node, ast.Call):
                    continue
                func = node.func
                if not (isinstance(func, ast.Attribute) and func.attr == "start"):
                    continue
                if "runner" not in ast.unparse(func.value) or not node.args:
                    continue
                seen.add(id(node))
                starts += 1
                work = node.args[0]
                if isinstance(work, ast.Name) and work.id in local:
                    work = local[work.id]
                called = {
                    c.func.attr
                    for c in ast.walk(work)
                    if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                } & writers
                if (path.name, scope.name) in write_wrappers:
                    called = {f"{scope.name}()"}
                writes = any(
                    k.arg == "writes" and isinstance(k.value, ast.Constant) and k.value.value
                    for k in node.keywords
                )
                if bool(called) != writes:
                    wrong.append(f"{path.name}:{node.lineno} writes={writes}, calls {called}")
    assert starts >= 15  # every caller was found
    assert not wrong, "\n".join(wrong)


def test_a_write_that_finished_is_reported_done_though_cancel_came_too_late(qtbot):
    """取消 clicked while a write was already committing: the write is saved, so the task says
    it succeeded (a read that finished after 取消 is still reported cancelled)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    outcomes: dict[str, str] = {}
    for writes in (True, False):
        started = threading.Event()
        release = threading.Event()

        def work(progress, cancel, started=started, release=release):
            started.set()
            release.wait(5)
            return "saved"

        key = "write" if writes else "read"
        task = runner.start(
            work,
            writes=writes,
            on_success=lambda result, key=key: outcomes.setdefault(key, result),
            on_cancel=lambda key=key: outcomes.setdefault(key, "cancelled"),
        )
        assert started.wait(5)
        task.cancel()
        release.set()
        qtbot.waitUntil(lambda key=key: key in outcomes, timeout=5000)
    assert outcomes == {"write": "saved", "read": "cancelled"}
    runner.wait(5000)


def test_a_progress_dialog_closed_inside_its_own_update_is_deleted_only_after_it(qtbot):
    """The task's end, delivered while a modal progress dialog's setValue processes events,
    hides the dialog at once but deletes it only once setValue has returned (freeing it under
    its own setValue crashed the window)."""
    import shiboken6

    from zjtx.ui.tasks import TaskProgressDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialog = TaskProgressDialog("正在备份……", "备份数据库", parent)
    dialog.show()
    dialog.show_progress(0, 5)
    dialog.show_progress(1, 5)  # from now on setValue processes events
    order: list[str] = []
    real_delete = dialog.deleteLater

    def delete_later() -> None:
        order.append("deleteLater")
        real_delete()

    dialog.deleteLater = delete_later
    real_set_value = dialog.setValue

    def set_value(value: int) -> None:
        real_set_value(value)  # processes events: the task's end arrives here
        order.append("setValue returned")

    dialog.setValue = set_value
    end = _TaskEnd()
    end.finished.connect(dialog.close_for_good, Qt.ConnectionType.QueuedConnection)
    end.finished.emit()  # posted: delivered inside setValue
    dialog.show_progress(5, 5)
    assert order == ["setValue returned", "deleteLater"]
    assert dialog.isHidden()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


class _TaskEnd(QObject):
    finished = Signal()


def test_a_task_that_ends_after_its_window_is_gone_calls_nothing_back(qtbot):
    """A read still running when its window is deleted (the pool waits for it as the window
    goes) delivers no callback: the window's widgets are gone, and touching them raised
    'Internal C++ object already deleted' in the event loop."""
    import shiboken6

    window = QWidget()
    runner = TaskRunner(window)
    started, release = threading.Event(), threading.Event()
    called: list[str] = []

    def work(progress, cancel):
        started.set()
        release.wait(5)
        progress(1, 1)
        return "read"

    runner.start(
        work,
        on_success=lambda result: called.append("success"),
        on_progress=lambda done, total: called.append("progress"),
        on_finish=lambda: called.append("finish"),
    )
    assert started.wait(5)
    release.set()
    shiboken6.delete(window)  # its pools wait for the task, whose signals are then queued
    assert not shiboken6.isValid(runner)
    qtbot.wait(200)
    assert called == []


def test_a_task_that_fails_after_its_window_is_gone_is_logged(qtbot, caplog):
    """A read that fails once its window was deleted has nowhere to show the failure: it is
    logged with the task's name and why, not lost."""
    import logging

    import shiboken6

    window = QWidget()
    runner = TaskRunner(window)
    started, release = threading.Event(), threading.Event()

    def work(progress, cancel):
        started.set()
        release.wait(5)
        raise StoreError("数据库连接已断开")

    runner.start(work, name="读取企业列表")
    assert started.wait(5)
    release.set()
    shiboken6.delete(window)
    with caplog.at_level(logging.WARNING, logger="zjtx.ui"):
        qtbot.wait(200)
    assert "任务“读取企业列表”在窗口关闭后失败：数据库连接已断开" in caplog.text
