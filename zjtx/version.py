"""What this copy of zjtx is: app version, source commit, build date and data-file versions."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from zjtx import __version__

APP_TITLE = "专精特新评审助手"
# Written by scripts/build_app.py into the frozen build only (never committed).
BUILD_INFO_FILE = Path(__file__).resolve().parent / "_build_info.json"
SOURCE_ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT = "开发版"
# Data files by kind, in the order shown: folder under resources/ (and in the data folder).
DATA_KINDS = (("rulebooks", "认定标准"), ("overlays", "省级规则"), ("notices", "政策通知"))


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """Where the running program came from."""

    version: str
    commit: str  # full commit hash, "unknown" (built outside git) or DEVELOPMENT
    dirty: bool  # built or run from a tree with uncommitted changes
    built_at: str | None  # ISO date and time of the frozen build; None when run from source
    frozen: bool

    @property
    def commit_text(self) -> str:
        if self.commit == "unknown":
            return "未知（构建时不是 git 检出）"
        text = self.commit[:12] if len(self.commit) == 40 else self.commit
        return f"{text}（含未提交的修改）" if self.dirty else text

    @property
    def built_text(self) -> str:
        if self.built_at is None:
            return "未构建（从源代码运行）"
        return self.built_at.replace("T", " ")


@dataclass(frozen=True, slots=True)
class DataFileVersion:
    """One rulebook, overlay or notice in use, with its version and whether it was installed."""

    kind: str  # 认定标准 / 省级规则 / 政策通知
    id: str
    version: str
    origin: str  # 内置 / 已安装


@cache
def build_info() -> BuildInfo:
    """The frozen build's recorded information, else the source checkout's git commit."""
    if BUILD_INFO_FILE.is_file():
        data = json.loads(BUILD_INFO_FILE.read_text(encoding="utf-8"))
        return BuildInfo(
            version=str(data.get("version") or __version__),
            commit=str(data.get("commit") or "unknown"),
            dirty=bool(data.get("dirty")),
            built_at=str(data["built_at"]) if data.get("built_at") else None,
            frozen=bool(getattr(sys, "frozen", False)),
        )
    commit, dirty = _git_commit(SOURCE_ROOT)
    return BuildInfo(__version__, commit, dirty, None, False)


def _git_commit(root: Path) -> tuple[str, bool]:
    """The checkout's commit and whether it has uncommitted changes; DEVELOPMENT without git."""
    if not (root / ".git").exists():
        return DEVELOPMENT, False
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return DEVELOPMENT, False
    commit = head.stdout.strip()
    if head.returncode or not commit:
        return DEVELOPMENT, False
    return commit, bool(status.stdout.strip())


def data_file_versions() -> list[DataFileVersion]:
    """Every rulebook, overlay and notice the program would use, bundled or installed."""
    from zjtx.scoring.definitions import header_of, source_files

    found = []
    for kind, label in DATA_KINDS:
        for file_id, source in sorted(source_files(kind)[0].items()):
            version = source.version or header_of(source.path)[1] or _fingerprint(source.path)
            found.append(DataFileVersion(label, file_id, version, source.origin_label))
    return found


def _fingerprint(path: Path) -> str:
    """A file without a version is named by the start of its SHA-256 instead."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    except OSError:
        return "无法读取"
    return f"校验码 {digest}"


def version_text() -> str:
    """What `zjtx --version` prints (and the 关于 dialog copies)."""
    info = build_info()
    lines = [
        f"{APP_TITLE} zjtx {info.version}",
        f"源代码版本：{info.commit_text}",
        f"构建日期：{info.built_text}",
    ]
    files = data_file_versions()
    width = max((len(f.id) for f in files), default=0)
    for _folder, label in DATA_KINDS:
        of_kind = [f for f in files if f.kind == label]
        lines.append(f"{label}：" + ("" if of_kind else "无"))
        lines.extend(f"  {f.id:<{width}}  {f.origin}  {f.version}" for f in of_kind)
    return "\n".join(lines)
