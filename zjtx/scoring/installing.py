"""Checking a rulebook, overlay or notice file, and installing it into the user's data folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from zjtx.files import write_atomically
from zjtx.paths import INSTALLED_KINDS, installed_dir
from zjtx.scoring.catalogue import read_yaml
from zjtx.scoring.definitions import (
    BUNDLED,
    INSTALLED,
    bundled_dir,
    describe_applies,
    header_of,
    source_files,
    version_key,
)
from zjtx.scoring.errors import DataFileError, did_you_mean
from zjtx.scoring.loader import (
    list_rulebook_ids,
    load_overlay_file,
    load_rulebook,
    load_rulebook_file,
    rulebook_source,
)

KIND_LABELS = {"rulebooks": "评价标准", "overlays": "省级规则", "notices": "年度通知"}
# The keys that tell the kinds apart, for a file outside the rulebooks/overlays/notices folders.
_KIND_KEYS = {
    "overlays": ("extends",),
    "notices": ("covers", "changes", "level"),
    "rulebooks": ("tier", "criteria", "verdict"),
}


_NOT_A_FILE = object()


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What checking one file found: its kind, id and version, and every problem (or a
    one-line Chinese summary when it is valid)."""

    path: Path
    kind: str | None  # "rulebooks", "overlays", "notices"; None when it cannot be told
    id: str = ""
    version: str = ""
    title: str = ""
    summary: str = ""
    problems: tuple[DataFileError, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind or "", "数据文件")

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "kind": self.kind,
            "kind_label": self.kind_label,
            "id": self.id or None,
            "version": self.version or None,
            "title": self.title or None,
            "valid": self.valid,
            "summary": self.summary or None,
            "problems": [
                {
                    "file": p.file,
                    "rule": p.rule,
                    "path": p.path,
                    "message": p.detail,
                    "suggestion": p.suggestion,
                    "text": p.line(),
                }
                for p in self.problems
            ],
        }


def detect_kind(path: Path, data: dict[str, Any]) -> str | None:
    """Which kind of file this is: by its keys, else by the folder it is in."""
    for kind, keys in _KIND_KEYS.items():
        if any(key in data for key in keys):
            return kind
    return path.parent.name if path.parent.name in KIND_LABELS else None


def _encoding_problem(path: Path) -> str:
    """A file that is not UTF-8 text: GBK (what Chinese Windows editors save) said by name."""
    try:
        path.read_bytes().decode("gbk")
    except (OSError, UnicodeDecodeError):
        return "文件不是 UTF-8 编码的文本：请在编辑器中另存为 UTF-8"
    return "文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中另存为 UTF-8"


def check_file(path: Path) -> FileCheck:
    """Check a rulebook, overlay or notice file in full, collecting every problem."""
    path = Path(path)
    try:
        data = read_yaml(path) if path.is_file() else _NOT_A_FILE
    except DataFileError as exc:
        return FileCheck(path, None, problems=tuple(exc.problems))
    except OSError as exc:  # a name too long for the system, a folder that cannot be read
        problem = DataFileError(str(path)[:200], f"无法读取：{exc.strerror or exc}")
        return FileCheck(path, None, problems=(problem,))
    except UnicodeDecodeError:
        problem = DataFileError(path.name, _encoding_problem(path))
        return FileCheck(path, None, problems=(problem,))
    except RecursionError:
        problem = DataFileError(path.name, "YAML 嵌套过深，不是评价标准、省级规则或通知")
        return FileCheck(path, None, problems=(problem,))
    if data is _NOT_A_FILE:
        problem = DataFileError(str(path)[:200], "文件不存在或不是文件")
        return FileCheck(path, None, problems=(problem,))
    if not isinstance(data, dict):
        problem = DataFileError(
            path.name, "文件内容须为映射（键: 值），不是评价标准、省级规则或通知"
        )
        return FileCheck(path, None, problems=(problem,))
    kind = detect_kind(path, data)
    file_id, version = str(data.get("id") or ""), str(data.get("version") or "")
    title = str(data.get("title") or "")
    if kind is None:
        problem = DataFileError(
            path.name,
            "无法判断文件类型：评价标准须有 tier、criteria 与 verdict，省级规则须有 extends，"
            "年度通知须有 covers 与 changes",
        )
        return FileCheck(path, None, file_id, version, title, problems=(problem,))
    try:
        summary = _SUMMARIES[kind](path)
    except DataFileError as exc:
        return FileCheck(path, kind, file_id, version, title, problems=tuple(exc.problems))
    return FileCheck(path, kind, file_id, version, title, summary=summary)


def _rulebook_summary(path: Path) -> str:
    book = load_rulebook_file(path, name_is_id=False)
    applies = describe_applies(book.applies)
    return (
        f"评价标准 {book.id}《{book.title}》版本 {book.version}：{len(book.criteria)} 条条目，"
        f"适用 {applies}"
    )


def _overlay_summary(path: Path) -> str:
    overlay = load_overlay_file(path)
    base = rulebook_source(overlay.extends)
    assert base is not None  # load_overlay_file checked that the rulebook exists
    book = load_rulebook_file(base.path, overlay)
    added = sum(1 for c in book.criteria if c.overlay == overlay.id)
    return (
        f"省级规则 {overlay.id}《{overlay.title}》（{overlay.province}）版本 {overlay.version}："
        f"扩展 {overlay.extends}，自设 {added} 条条目"
    )


def _notice_summary(path: Path) -> str:
    from zjtx.scoring.notices import load_notice_file  # notices build on the loader

    notice = load_notice_file(path)
    return f"年度通知 {notice.id}《{notice.title}》{notice.instrument.number}"


_SUMMARIES = {
    "rulebooks": _rulebook_summary,
    "overlays": _overlay_summary,
    "notices": _notice_summary,
}


def install_problem(check: FileCheck) -> DataFileError | None:
    """Why a valid file cannot be installed (an id clash), or None.

    A file may replace a bundled one of the same id only with a newer version, and an
    installed one only with the same or a newer version.
    """
    assert check.kind is not None
    name = check.path.name
    bundled = bundled_dir(check.kind) / f"{check.id}.yaml"
    if bundled.is_file():
        bundled_version = header_of(bundled)[1]
        if version_key(check.version) <= version_key(bundled_version):
            return DataFileError(
                name,
                f"与内置的{check.kind_label} {check.id}（版本 {bundled_version or '未写'}）同名："
                f"版本 {check.version or '未写'} 不高于内置版本，不能安装；如确为新版本，请提高 version",
                rule=check.id,
                path="version",
            )
    if check.kind == "rulebooks":
        overlap = _overlapping_rulebook(check)
        if overlap is not None:
            return overlap
    installed = installed_dir(check.kind) / f"{check.id}.yaml"
    if installed.is_file():
        installed_version = header_of(installed)[1]
        if version_key(check.version) < version_key(installed_version):
            return DataFileError(
                name,
                f"已安装更高版本的 {check.id}（版本 {installed_version}），不能用版本 "
                f"{check.version or '未写'} 覆盖",
                rule=check.id,
                path="version",
            )
    return None


def _overlapping_rulebook(check: FileCheck) -> DataFileError | None:
    """A rulebook of the same tier whose rounds overlap this one's (selection by tier, date
    and application type must find exactly one)."""
    new = load_rulebook_file(check.path, name_is_id=False)
    for other_id in list_rulebook_ids():
        if other_id == new.id:
            continue
        other = load_rulebook(other_id)
        if other.tier != new.tier:
            continue
        for a in new.applies:
            for b in other.applies:
                shared = set(a.application_types) & set(b.application_types)
                starts, ends = max(a.start, b.start), min(a.end or date.max, b.end or date.max)
                if shared and starts <= ends:
                    # An open-ended standard (the bundled 2026 one) is ended by a newer
                    # version of it with an until before this one's from.
                    advice = (
                        f"请先安装 {other.id} 的新版本，在其 applies 中写明 until"
                        f"（早于 {a.start}），再安装本文件；或调整本文件的 applies"
                        if b.end is None and b.start < a.start
                        else "请调整 applies"
                    )
                    return DataFileError(
                        check.path.name,
                        f"适用批次 {a.describe()} 与{other.title}（{other.id}）的 {b.describe()} "
                        f"重叠，按批次日期将无法确定采用哪一个标准；{advice}",
                        rule=new.id,
                        path="applies",
                    )
    return None


def install_file(path: Path) -> tuple[FileCheck, Path | None]:
    """Check a file and, when valid and not clashing, copy it atomically into the data folder
    as ``<data>/<kind>/<id>.yaml``. Returns the check (with any problems) and the installed
    path (None when nothing was installed). Raises OutputWriteError when it cannot be written.
    """
    check = check_file(path)
    if not check.valid:
        return check, None
    problem = install_problem(check)
    if problem is not None:
        return FileCheck(
            check.path, check.kind, check.id, check.version, check.title, problems=(problem,)
        ), None
    assert check.kind is not None
    content = Path(path).read_bytes()
    target = installed_dir(check.kind) / f"{check.id}.yaml"
    write_atomically(target, lambda temporary: temporary.write_bytes(content))
    from zjtx.scoring.selection import forget_selection  # selection builds on this module's

    forget_selection()  # rounds chosen before now may be governed by the new file
    return check, target


_FILE_ID = re.compile(r"[\w.-]{1,100}")  # what an installed file's name can be, and no path


@dataclass(frozen=True, slots=True)
class Uninstalled:
    """An installed file taken out of use: where its copy is kept, and the bundled version
    used again in its place (None when none is bundled)."""

    kind: str
    id: str
    kept: Path
    bundled_version: str | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def installed_kind(file_id: str) -> str:
    """The kind of the installed file of that id; DataFileError (listing the installed ids)
    when none is installed, or the id is no file's (a path, control characters, too long)."""
    if _FILE_ID.fullmatch(file_id):
        for kind in INSTALLED_KINDS:
            if (installed_dir(kind) / f"{file_id}.yaml").is_file():
                return kind
    ids = sorted(p.stem for k in INSTALLED_KINDS for p in installed_dir(k).glob("*.yaml"))
    listed = "、".join(ids) or "无"
    shown = file_id if len(file_id) <= 60 else f"{file_id[:60]}…（共 {len(file_id)} 个字符）"
    raise DataFileError(
        shown, f"没有已安装的 “{shown}”（已安装：{listed}）", suggestion=did_you_mean(file_id, ids)
    )


def uninstall_file(file_id: str) -> Uninstalled:
    """Take an installed rulebook, overlay or notice out of use: it is moved into the
    folder's removed/ (with the time, so it can be installed again), and a bundled file of
    the same id, if any, governs again."""
    kind = installed_kind(file_id)
    source = installed_dir(kind) / f"{file_id}.yaml"
    kept_dir = installed_dir(kind) / "removed"
    kept_dir.mkdir(parents=True, exist_ok=True)
    kept = kept_dir / f"{file_id}.{datetime.now().strftime('%Y%m%d-%H%M%S')}.yaml"
    os.replace(source, kept)
    from zjtx.scoring.selection import forget_selection

    forget_selection()  # rounds are governed by what remains
    bundled = bundled_dir(kind) / f"{file_id}.yaml"
    version = header_of(bundled)[1] if bundled.is_file() else None
    return Uninstalled(kind, file_id, kept, version)


def origin_of(kind: str, file_id: str) -> dict[str, Any]:
    """Where a loaded rulebook, overlay or notice comes from, for listings."""
    source = source_files(kind)[0].get(file_id)
    if source is None:
        return {"origin": None, "origin_label": "", "path": None}
    return {
        "origin": source.origin,
        "origin_label": source.origin_label,
        "path": str(source.path) if source.origin == INSTALLED else None,
        "replaces_bundled_version": source.bundled_version,
    }


def origin_text(kind: str, file_id: str) -> str:
    """内置, or 已安装 (with the bundled version it replaces)."""
    source = source_files(kind)[0].get(file_id)
    if source is None or source.origin == BUNDLED:
        return "内置"
    if source.bundled_version is not None:
        return f"已安装（替代内置版本 {source.bundled_version}）"
    return "已安装"


def installed_lines() -> list[str]:
    """Lines naming every installed file (used or not, and why not), for ``zjtx rulebooks``."""
    lines = []
    for kind, label in KIND_LABELS.items():
        found, unused = source_files(kind)
        for source in found.values():
            if source.origin == INSTALLED:
                lines.append(
                    f"已安装的{label} {source.id}（版本 {source.version or '未写'}）：{source.path}"
                )
        for item in unused:
            lines.append(f"⚠ 已安装的{label}文件 {item.path}：{item.reason}")
    return lines
