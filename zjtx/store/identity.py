"""The evaluator's identity (name, unit, role) kept in settings.json, and who a record names."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from zjtx.store.errors import DatabaseOpenError, ReviewRuleError
from zjtx.store.settings import SETTINGS_FILE, data_dir, read_settings, write_settings

EVALUATOR_ENV = "ZJTX_EVALUATOR"
IDENTITY_KEY = "identity"
SYSTEM_ACCOUNT = "系统账户"
# The store's role codes (zjtx.store.audit.ROLES); repeated here because the service
# imports this module.
ROLE_CODES = ("evaluator", "chair")
HOW_TO_SET = (
    "请先设置评审人：运行 zjtx identity set --name 姓名 --unit 单位"
    "（或在窗口的“设置 → 评审人”中填写），也可用 --evaluator 姓名 或环境变量 "
    f"{EVALUATOR_ENV} 指明本次的评审人"
)


# As the identity dialog's fields allow; the audit trail's actor column holds 200 characters.
NAME_LIMIT = 50
UNIT_LIMIT = 100


class IdentityMissingError(ReviewRuleError):
    """A review or a signature needs a named evaluator and none is configured."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who uses this copy of zjtx: the name written in the audit trail and on printed
    reports, the unit (工作单位) printed beside the signature, and the role code."""

    name: str
    unit: str = ""
    role: str = "evaluator"

    def __post_init__(self) -> None:
        from zjtx.intake.cell_text import CONTROL_CHARACTERS

        if not self.name.strip():
            raise ReviewRuleError("评审人姓名不能为空")
        for label, text, limit in (("评审人姓名", self.name, NAME_LIMIT),
                                   ("单位", self.unit, UNIT_LIMIT)):  # fmt: skip
            if len(text) > limit:
                raise ReviewRuleError(f"{label}最长 {limit} 个字，收到 {len(text)} 个字")
            if CONTROL_CHARACTERS.search(text):
                raise ReviewRuleError(f"{label}含有控制字符，请重新输入")
        if self.role not in ROLE_CODES:
            raise ReviewRuleError(f"角色只能是 {'、'.join(ROLE_CODES)}，收到 “{self.role}”")

    @property
    def role_label(self) -> str:
        from zjtx.store.audit import ROLE_LABELS

        return ROLE_LABELS[self.role]

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "unit": self.unit, "role": self.role}


def make_identity(name: str, unit: str = "", role: str = "evaluator") -> Identity:
    """An identity from what the user typed: surrounding spaces are dropped."""
    return Identity(name.strip(), unit.strip(), role.strip() or "evaluator")


# settings.json path -> (mtime_ns, size, identity): reports read the identity per applicant.
_cache: dict[Path, tuple[int, int, Identity | None]] = {}


def load_identity(folder: Path | None = None) -> Identity | None:
    """The identity saved in the data folder's settings.json, or None when there is none."""
    folder = folder or data_dir()
    path = folder / SETTINGS_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseOpenError(f"无法读取设置文件 {path}：{exc.strerror}") from None
    cached = _cache.get(path)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    identity = _identity_from(read_settings(folder).get(IDENTITY_KEY), path)
    _cache[path] = (stat.st_mtime_ns, stat.st_size, identity)
    return identity


def _identity_from(value: object, path: Path) -> Identity | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DatabaseOpenError(f"设置文件 {path} 中的 {IDENTITY_KEY} 必须是 JSON 对象")
    texts: dict[str, str] = {}
    for key, default in (("name", ""), ("unit", ""), ("role", "evaluator")):
        item = value.get(key, default)
        if item is None:
            item = default
        if not isinstance(item, str):
            raise DatabaseOpenError(f"设置文件 {path} 中的 {IDENTITY_KEY}.{key} 必须是文本")
        texts[key] = item
    if not texts["name"].strip():
        return None
    try:
        return make_identity(**texts)
    except ReviewRuleError as exc:
        raise DatabaseOpenError(f"设置文件 {path} 中的 {IDENTITY_KEY}：{exc}") from None


def save_identity(identity: Identity | None, folder: Path | None = None) -> Path:
    """Write (or, with None, remove) the identity in settings.json, keeping its other keys."""
    folder = folder or data_dir()
    data = read_settings(folder)
    if identity is None:
        data.pop(IDENTITY_KEY, None)
    else:
        data[IDENTITY_KEY] = identity.to_dict()
    return write_settings(data, folder)


def _named(explicit: str | None) -> str:
    """The first name given: explicit, then ``ZJTX_EVALUATOR``, then the configured one."""
    for candidate in (explicit, os.environ.get(EVALUATOR_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    identity = load_identity()
    return identity.name if identity is not None else ""


def review_evaluator(explicit: str | None = None) -> str:
    """Who saves a review: never the operating-system account.

    Raises:
        IdentityMissingError: no name given, none in ``ZJTX_EVALUATOR`` and none configured;
            the message says how to set one.
    """
    name = _named(explicit)
    if not name:
        raise IdentityMissingError(f"没有设置评审人，不能保存评审。{HOW_TO_SET}。")
    return name


def system_account() -> str:
    """The operating-system login, marked as such for the audit trail: "系统账户 root"."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        login = "未知"
    return f"{SYSTEM_ACCOUNT} {login}"


def record_evaluator(explicit: str | None = None) -> str:
    """Who a non-review record (round, import, rename, archive, rescore) names: as for a
    review, else the operating-system account marked "系统账户", so scripts keep working."""
    return _named(explicit) or system_account()


def is_system_account(name: str) -> bool:
    """Whether a recorded name is an operating-system account rather than a person."""
    return name.startswith(f"{SYSTEM_ACCOUNT} ")
