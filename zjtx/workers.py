"""Worker processes for long work (reports, an import's scoring): how many, and how they start."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def default_workers() -> int:
    """All CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def exit_with_parent() -> None:
    """In a worker: end this process when its parent ends.

    A worker whose parent is killed (kill -9, a crash, the window closed by the system) is
    never told to stop: without this it keeps working and holds its files, orphaned.
    multiprocessing gives a spawned child a sentinel of its parent (a pipe end on POSIX, the
    process handle on Windows) that becomes ready when the parent ends.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="zjtx-parent-watch", daemon=True).start()


def process_pool(workers: int, initializer: Any = None, initargs: tuple[Any, ...] = ()) -> Any:
    """A pool of ``workers`` processes started by spawning, not forking: the window starts
    long work from a thread, and forking a threaded Qt process is unsafe. The frozen build
    starts them as itself (multiprocessing.freeze_support in its entry point)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )


def kill_workers(executor: Any) -> None:
    """Kill the processes of a broken pool before shutting it down: a broken pool waits for
    each worker, and one started as it broke can be missed and waited for forever (CPython
    3.11)."""
    for process in list((executor._processes or {}).values()):
        process.kill()
