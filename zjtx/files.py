"""Every output file written to a temporary name beside it and renamed into place when complete."""

from __future__ import annotations

import contextlib
import errno
import gc
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("zjtx.export")

# The temporary file is ``<target>.part`` in the target's folder (a rename within one file
# system is atomic). A run killed half-way leaves it; the next write of the same target
# removes it first, and a batch removes its own strays (see zjtx.export.batch).
PART_SUFFIX = ".part"
_WINDOWS_PATH_TOO_LONG = 206  # ERROR_FILENAME_EXCED_RANGE
_WINDOWS_DISK_FULL = (39, 112)  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL


class OutputWriteError(OSError):
    """An output file could not be written; ``str()`` is the Chinese reason naming the file.

    Whatever was under the target's name before is left as it was, and no temporary file
    remains. Subclasses OSError, so callers catching OSError keep working.
    """

    def __init__(self, target: Path, cause: OSError) -> None:
        super().__init__(cause.errno, describe_write_error(target, cause), str(target))
        self.target = target
        self.cause = cause

    def __str__(self) -> str:
        return str(self.strerror)

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised on a report worker, it is sent back to the command whole (OSError's own
        # pickling would call __init__ with OSError's arguments).
        return (OutputWriteError, (self.target, self.cause))


def describe_write_error(target: Path, exc: OSError) -> str:
    """Why ``target`` could not be written, in Chinese, with what to do."""
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    kept = "原有文件未改动"
    folder = target.parent
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or winerror in _WINDOWS_DISK_FULL:
        return f"磁盘空间不足，无法写入 “{target}”；{kept}。请清理磁盘空间或换一个位置保存"
    if code == errno.EROFS:
        return f"“{folder}” 所在的磁盘是只读的，无法写入 “{target.name}”；{kept}。请换一个位置保存"
    if code == errno.ENAMETOOLONG or winerror == _WINDOWS_PATH_TOO_LONG:
        return f"文件名或路径过长，无法写入 “{target}”。请换一个较短的文件名或文件夹"
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"没有权限写入 “{target}”（文件夹不允许写入，或文件正被其他程序如 Excel 打开）；{kept}"
        )
    blocker = file_in_the_way(target)
    if blocker is not None and code in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT):
        return f"“{blocker}” 是文件而不是文件夹，无法在其中写入 “{target.name}”；请换一个文件夹"
    if code == errno.ENOENT and not folder.is_dir():
        return f"文件夹 “{folder}” 不存在，无法写入 “{target.name}”"
    if code == errno.ENOENT:  # a folder that takes no new files (/proc, a vanished mount)
        return (
            f"文件夹 “{folder}” 中不能新建文件，无法写入 “{target.name}”；{kept}。请换一个位置保存"
        )
    if code == errno.EISDIR or target.is_dir():
        return f"“{target}” 是文件夹，请给出文件名"
    return f"无法写入 “{target}”：{exc.strerror or exc}；{kept}"


def file_in_the_way(target: Path) -> Path | None:
    """The nearest folder of ``target``'s path that is in fact a file (``a.txt/out.pdf``)."""
    for folder in target.parents:
        try:
            if folder.exists():
                return None if folder.is_dir() else folder
        except OSError:  # a name too long to look up: nothing to point at
            return None
    return None


def _flush_to_disk(path: Path) -> None:
    # The rename must not land before the data does (a power cut would leave an empty file
    # under the final name on some file systems).
    with contextlib.suppress(OSError), open(path, "rb") as written:
        os.fsync(written.fileno())


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary)`` and rename the temporary file to ``target``; return ``target``.

    A failure or an interruption never leaves a half-written file under the target's name
    (nor replaces a good one there); the temporary file is removed. An OSError (a full disk,
    no permission, a read-only folder, a path too long) is raised as OutputWriteError with a
    Chinese message; the details go to the log.
    """
    target = Path(target)
    temporary = target.with_name(target.name + PART_SUFFIX)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)  # left by a run that was killed
        write(temporary)
        _flush_to_disk(temporary)
        os.replace(temporary, target)
    except OutputWriteError:
        _discard(temporary)
        raise
    except OSError as exc:
        error = OutputWriteError(target, exc)
        if log.hasHandlers():  # never logging's last resort, which prints a traceback
            # as text: a record holding the traceback would keep the writer's files open
            log.error("%s\n%s", error, "".join(traceback.format_exception(exc)).rstrip())
        _release_writer(exc)
        _discard(temporary)
        raise error from None
    except BaseException:
        _discard(temporary)
        raise
    return target


def _release_writer(exc: BaseException) -> None:
    # The failed writer's objects (openpyxl's half-closed zip file) live on in the traceback's
    # frames; when they are collected later they try to write again and Python prints
    # "Exception ignored in ..." with a traceback to the user's terminal. Release them now,
    # quietly (and on Windows the temporary file is only deletable once closed).
    previous = sys.unraisablehook
    sys.unraisablehook = _log_unraisable
    try:
        seen: set[int] = set()
        pending: list[BaseException | None] = [exc]
        while pending:
            item = pending.pop()
            if item is None or id(item) in seen:
                continue
            seen.add(id(item))
            item.__traceback__ = None
            pending += [item.__cause__, item.__context__]
        gc.collect()
    finally:
        sys.unraisablehook = previous


def _log_unraisable(unraisable: Any) -> None:
    log.debug("after a failed write: %r", unraisable.exc_value)


def _discard(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)
