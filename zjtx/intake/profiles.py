"""Mapping profiles: an evaluator's corrections of a roster layout, saved under a name and keyed
by the header's fingerprint, so the next file laid out the same way is read with them."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from zjtx.intake.columns import HeaderLayout
from zjtx.intake.headers import clean
from zjtx.intake.mapping import ColumnOverride
from zjtx.intake.sheet_data import SheetData

PROFILE_FOLDER = "profiles"
PROFILE_SUFFIX = ".json"
FORMAT = "zjtx-mapping-profile"
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class ProfileError(ValueError):
    """A profile that cannot be saved, found or read; the message is Chinese."""


def header_fingerprint(layout: HeaderLayout, sheet: SheetData) -> str:
    """The fingerprint of a roster header: its cleaned texts, column by column, hashed."""
    texts = []
    for r in range(layout.first_row, layout.first_row + layout.height):
        row = sheet.rows[r] if r < len(sheet.rows) else []
        texts.append("\t".join(clean(v) if isinstance(v, str) else "" for v in row).rstrip("\t"))
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:20]


@dataclass(slots=True)
class Profile:
    """A named set of column corrections for one header layout."""

    name: str
    fingerprint: str
    overrides: list[ColumnOverride] = field(default_factory=list)
    created: str = ""
    created_by: str = ""
    sample_file: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "created": self.created,
            "created_by": self.created_by,
            "sample_file": self.sample_file,
            "overrides": [
                {k: v for k, v in o.to_dict().items() if k != "file"} for o in self.overrides
            ],
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Profile:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProfileError(f"{where} 不是 zjtx 的对应关系文件")
        try:
            overrides = [
                ColumnOverride(
                    column=str(item["column"]),
                    field=str(item["field"]),
                    year=item.get("year"),
                    unit=item.get("unit"),
                    sheet=item.get("sheet"),
                )
                for item in data["overrides"]
            ]
            return cls(
                name=check_name(str(data["name"])),
                fingerprint=str(data["fingerprint"]),
                overrides=overrides,
                created=str(data.get("created", "")),
                created_by=str(data.get("created_by", "")),
                sample_file=str(data.get("sample_file", "")),
            )
        except (KeyError, TypeError) as exc:
            raise ProfileError(f"{where} 缺少或写错了“{exc.args[0] if exc.args else ''}”") from None


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 60 or _BAD_NAME.search(name):
        raise ProfileError(f'对应关系名称“{name}”不可用：1–60 个字，不含 \\ / : * ? " < > |')
    return name


class ProfileBook:
    """The profiles of a data folder, one JSON file each, written atomically.

    With PostgreSQL the bureau's profiles are shared in the database instead
    (zjtx.store.profiles.StoreProfileBook, the same interface)."""

    shared = False

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def where(self) -> str:
        """Where the profiles are kept, as told to the evaluator."""
        return f"数据目录 {self.folder}"

    @classmethod
    def default(cls) -> ProfileBook:
        from zjtx.paths import user_data_dir

        return cls(user_data_dir() / PROFILE_FOLDER)

    def _path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}{PROFILE_SUFFIX}"

    def list(self) -> list[Profile]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob(f"*{PROFILE_SUFFIX}")):
            try:
                found.append(self.read(path))
            except ProfileError:
                continue  # a damaged file is named by `zjtx profile show`, not by every read
        return found

    @staticmethod
    def read(path: Path) -> Profile:
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            raise ProfileError(f"无法读取对应关系文件“{path}”：{type(exc).__name__}") from None
        return Profile.from_dict(data, f"“{path}”")

    def get(self, name: str) -> Profile:
        path = self._path(name)
        if not path.is_file():
            names = "、".join(p.name for p in self.list()) or "（还没有保存过）"
            raise ProfileError(f"没有名为“{name}”的对应关系；已保存的：{names}")
        return self.read(path)

    def by_fingerprint(self, fingerprint: str) -> Profile | None:
        return next((p for p in self.list() if p.fingerprint == fingerprint), None)

    def save(self, profile: Profile, *, replace: bool = False) -> Path:
        from zjtx.files import write_atomically

        path = self._path(profile.name)
        check_unique(profile, path.exists(), self.by_fingerprint(profile.fingerprint), replace)
        if not profile.created:
            profile.created = datetime.now().isoformat(timespec="seconds")
        text = json.dumps(profile.to_dict(), ensure_ascii=False, indent=2)
        return write_atomically(path, lambda tmp: tmp.write_text(text + "\n", "utf-8"))

    def delete(self, name: str) -> None:
        self.get(name)
        self._path(name).unlink()


def check_unique(profile: Profile, name_taken: bool, same_layout: Profile | None, replace: bool):
    """Refuse a profile whose name is taken (unless replacing) or whose layout is saved under
    another name: one layout is read one way."""
    if name_taken and not replace:
        raise ProfileError(f"已有名为“{profile.name}”的对应关系（要覆盖请先删除）")
    if same_layout is not None and same_layout.name != profile.name:
        raise ProfileError(
            f"同样的表头已保存为对应关系“{same_layout.name}”；请先删除它，或直接沿用"
        )


def profile_from_overrides(
    name: str, fingerprint: str, overrides: Sequence[ColumnOverride], **about: str
) -> Profile:
    """A profile of the corrections made to one file (the file name is not kept)."""
    kept = [ColumnOverride(o.column, o.field, o.year, o.unit, None, o.sheet) for o in overrides]
    return Profile(check_name(name), fingerprint, kept, **about)
