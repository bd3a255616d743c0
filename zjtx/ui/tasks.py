"""Long work off the GUI thread: a QRunnable that reports through signals and can be cancelled."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from zjtx.store.errors import StoreError

log = logging.getLogger("zjtx.ui")

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Work = Callable[[ProgressFn, CancelFn], Any]

# Progress is sent at most this often: a 10,000-row import must not flood the event loop.
PROGRESS_INTERVAL = 0.05


def cancelled_exceptions() -> tuple[type[BaseException], ...]:
    """The exceptions by which the service layers report that the user cancelled."""
    from zjtx.domain.errors import Cancelled

    return (Cancelled,)


class TaskSignals(QObject):
    """Signals of one task; emitted from the worker thread, delivered queued to the GUI."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """Runs ``work(progress, cancel)`` in the thread pool. Workers never touch widgets: they only
    emit signals, which Qt delivers to the GUI thread."""

    def __init__(self, work: Work, name: str = "", *, writes: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.name = name
        self.writes = writes  # runs on the runner's single writer thread
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self._last_progress = 0.0
        self.running = False

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            self.signals.progress.emit(int(done), int(total))

    def run(self) -> None:
        try:
            result = self.work(self._progress, self._cancel.is_set)
        except cancelled_exceptions():
            self.signals.cancelled.emit()
        except Exception as exc:  # reported to the GUI, which shows a Chinese message
            if isinstance(exc, StoreError):
                # A refusal or a named fault the user is shown: no traceback in the log.
                log.info("后台任务 %s 未完成：%s", self.name or self.work, exc)
            else:
                log.exception("后台任务 %s 失败", self.name or self.work)
            self.signals.failed.emit(exc)
        else:
            # A write that returned has committed: cancelling came too late, and saying it
            # was cancelled ("nothing was saved") would be untrue.
            if self._cancel.is_set() and not self.writes:
                self.signals.cancelled.emit()
            else:
                self.signals.succeeded.emit(result)
        finally:
            self.running = False
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they finish.

    Reads run side by side in ``pool``. Tasks started with ``writes=True`` (anything that
    changes the database: imports, review decisions, rounds, evaluator roles) queue on
    ``writer``, a pool of one thread, so they run one after another in the order started: two
    writes never compete for SQLite's single write lock or interleave their audit records.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(4, QThreadPool.globalInstance().maxThreadCount()))
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)
        self._running: set[Task] = set()

    def start(
        self,
        work: Work,
        *,
        name: str = "",
        writes: bool = False,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_finish: Callable[[], None] | None = None,
    ) -> Task:
        """Run ``work(progress, cancel)`` off the GUI thread; ``writes=True`` for work that
        changes the database (it then waits for earlier writes to finish)."""
        task = Task(work, name, writes=writes)
        signals = task.signals
        # A failure nobody handles is still shown: a silent failure looks like success.
        for signal, callback, failed in (
            (signals.succeeded, on_success, None),
            (signals.failed, on_failure or self._show_failure, name),
            (signals.progress, on_progress, None),
            (signals.cancelled, on_cancel, None),
            (signals.finished, on_finish, None),
        ):
            if callback is not None:
                signal.connect(self._while_alive(callback, failed))
        task.signals.finished.connect(lambda: self._running.discard(task))
        self._running.add(task)
        task.running = True
        (self.writer if writes else self.pool).start(task)
        return task

    def _while_alive(
        self, callback: Callable[..., None], failed: str | None = None
    ) -> Callable[..., None]:
        """``callback``, called only while this runner exists: a task that ends after its
        window was closed (the pool waits for it as the window goes) must not touch the
        window's deleted widgets. A failure that then has nowhere to be shown (``failed``:
        the task's name) is logged, not lost."""

        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                callback(*args)
            elif failed is not None:
                log.warning("任务“%s”在窗口关闭后失败：%s", failed, args[0] if args else "")

        return call

    def _show_failure(self, exc: BaseException) -> None:
        from zjtx.ui.errors import show_failure

        parent = self.parent()
        show_failure(exc, parent if parent is not None and parent.isWidgetType() else None)

    def busy(self) -> bool:
        return bool(self._running)

    def tasks(self) -> list[Task]:
        """The tasks still running."""
        return list(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every running task (used when closing the window)."""
        for task in list(self._running):
            task.cancel()
        if msecs < 0:
            return self.writer.waitForDone() and self.pool.waitForDone()
        deadline = time.monotonic() + msecs / 1000
        if not self.writer.waitForDone(msecs):
            return False
        left = max(0, int((deadline - time.monotonic()) * 1000))
        return self.pool.waitForDone(left)


class TaskProgressDialog(QProgressDialog):
    """A window-modal progress dialog with 取消 for one task, kept until the task's end closes it
    (reaching the maximum neither hides nor resets it).

    A modal QProgressDialog processes events inside ``setValue``: the task's end may arrive
    there. Deleting the dialog then would free it under its own ``setValue`` (a crash), so
    ``close_for_good`` only hides it and the deletion waits until ``setValue`` has returned.
    """

    def __init__(self, label: str, title: str, parent: QWidget | None) -> None:
        super().__init__(label, "取消", 0, 0, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self._updating = 0
        self._closed = False

    def show_progress(self, done: int, total: int) -> None:
        if self._closed:
            return
        self._updating += 1
        try:
            self.setMaximum(max(total, 1))
            self.setValue(done)
        finally:
            self._updating -= 1
        if self._closed and not self._updating:
            self.deleteLater()

    def close_for_good(self) -> None:
        """Hide the dialog and delete it once no ``setValue`` of it is running."""
        if self._closed:
            return
        self._closed = True
        self.hide()
        if not self._updating:
            self.deleteLater()
