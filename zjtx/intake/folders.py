"""Which files a batch holds: the paths given, folders searched through their sub-folders, and
every part of a folder that could not be read (a sub-folder without permission, a broken link,
a shortcut) named as an entry of its own, never passed over in silence."""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from zjtx.domain.issues import Severity
from zjtx.intake.file_kind import (
    ARCHIVE_SUFFIXES,
    EXCEL_SUFFIXES,
    UNREADABLE_APPLICATION_SUFFIXES,
    WORD_SUFFIXES,
)

# What a folder's files are read as; archives are read too, to say they must be extracted.
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | WORD_SUFFIXES | {".csv", ".json"}
SHORTCUT_SUFFIX = ".lnk"  # a Windows shortcut: a link the reading does not follow


class FolderNote(NamedTuple):
    """What a folder's entry says instead of being read: an empty or unreadable folder, an
    archive (usually beside the files it was extracted into: a warning, not an error), a
    broken link, or a link to a folder (not followed)."""

    code: str
    severity: Severity
    text: str


EMPTY_FOLDER = FolderNote(
    "folder-empty",
    Severity.ERROR,
    "文件夹中没有可导入的申报文件（.xlsx、.xls、.et、.csv、.docx 等）",
)
ARCHIVE_IN_FOLDER = FolderNote(
    "archive-in-folder",
    Severity.WARNING,
    "这是压缩包，其中的文件没有读取：如已解压到本文件夹，可不理会；否则请先解压（右键 → 解压到"
    "当前文件夹）再导入",
)
SHORTCUT = FolderNote(
    "link-not-followed",
    Severity.WARNING,
    "这是 Windows 快捷方式，它指向的文件或文件夹没有读取：如需导入，请把文件本身复制到导入的"
    "文件夹中",
)


def folder_unreadable(exc: OSError) -> FolderNote:
    """A folder whose list of files the system would not give, said in Chinese."""
    if exc.errno in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        why = "没有权限打开"
    elif exc.errno == errno.ENAMETOOLONG:
        why = "路径太长"
    else:
        why = f"打开时出错（系统错误代码 {exc.errno}；网络共享可能已断开）"
    return FolderNote(
        "folder-unreadable",
        Severity.ERROR,
        f"无法读取文件夹：{why}，其中的申报文件都没有读取：请取得该文件夹的读取权限，或把其中的"
        "文件复制到本机的文件夹后再导入",
    )


def _link_note(path: Path) -> FolderNote | None:
    """What a symbolic link in a folder says: broken (an error: what it points at was not
    read), a folder (not followed: a warning), or None for a file (read as the file)."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    try:
        if path.is_dir():
            return FolderNote(
                "link-not-followed",
                Severity.WARNING,
                f"这是指向文件夹“{target}”的链接，其中的文件没有读取：如需导入，请直接选择该"
                "文件夹，或把其中的文件复制到导入的文件夹中",
            )
        if path.is_file():
            return None
    except OSError:
        pass
    return FolderNote(
        "link-broken",
        Severity.ERROR,
        f"这是指向“{target}”的链接（快捷方式），它指向的文件不存在或无法访问，没有读取：请把"
        "文件本身复制到导入的文件夹中，或在网络共享连接后再导入",
    )


def _folder_entries(
    top: Path, folder: Path, found: list[tuple[Path, str | FolderNote | None]]
) -> None:
    """Each entry under ``folder`` as (path, why it is not read), sub-folders searched."""
    try:
        with os.scandir(folder) as scanned:
            entries = list(scanned)
    except OSError as exc:
        found.append((folder, folder_unreadable(exc)))
        return
    for entry in entries:
        child = Path(entry.path)
        try:
            link = entry.is_symlink()
            directory = not link and entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            found.append((child, folder_unreadable(exc)))
            continue
        if directory:
            _folder_entries(top, child, found)
            continue
        suffix = child.suffix.lower()
        if link:
            note = _link_note(child)
            if note is not None:
                found.append((child, note))
                continue
        if child.name.startswith(("~$", ".")):
            found.append((child, "临时文件或隐藏文件"))
        elif suffix == SHORTCUT_SUFFIX:
            found.append((child, SHORTCUT))
        elif suffix in ARCHIVE_SUFFIXES:
            found.append((child, ARCHIVE_IN_FOLDER))
        elif suffix not in SUPPORTED_SUFFIXES and suffix not in UNREADABLE_APPLICATION_SUFFIXES:
            found.append((child, f"不支持的文件类型“{child.suffix or '无扩展名'}”"))
        else:
            found.append((child, None))


def expand_paths(
    paths: Sequence[str | Path],
) -> list[tuple[Path, str, str | FolderNote | None]]:
    """(path, display name, why it is not read) for every file, folders expanded: None for a
    file to read, a reason (text) for one skipped with a note, or a FolderNote (an archive, a
    link or an unreadable sub-folder in a folder; a folder with nothing to read, or that
    cannot be read, as an entry of its own)."""
    out: list[tuple[Path, str, str | FolderNote | None]] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            out.append((path, path.name, None))
            continue
        entries: list[tuple[Path, str | FolderNote | None]] = []
        _folder_entries(path, path, entries)
        if len(entries) == 1 and entries[0][0] == path:
            out.append((path, path.name, entries[0][1]))  # the folder itself is unreadable
            continue
        found = [
            (child, f"{path.name}/{child.relative_to(path).as_posix()}", why)
            for child, why in sorted(entries, key=lambda entry: entry[0])
        ]
        unread = any(isinstance(why, FolderNote) and why.severity == Severity.ERROR
                     for _, _, why in found)  # fmt: skip
        if not unread and all(why is not None for _, _, why in found):
            out.append((path, path.name, EMPTY_FOLDER))
        out += found
    return out
