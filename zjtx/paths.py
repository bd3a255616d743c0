"""Locate the bundled resources/ folder (checkout or wheel) and the user's installed data files."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs


@cache
def resources_dir() -> Path:
    """Return the folder holding fields.yaml, rulebooks/, overlays/, fonts/ and samples/.

    An installed wheel carries the folder as ``zjtx/resources``; a checkout keeps it at the top
    of the repository, beside the package.
    """
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "resources", package_dir.parent / "resources"):
        if (candidate / "fields.yaml").is_file():
            return candidate
    raise FileNotFoundError(
        f"找不到资源目录 resources/（已查找 {package_dir / 'resources'} 与 "
        f"{package_dir.parent / 'resources'}）：安装包不完整，请重新安装 zjtx"
    )


def resource_path(*parts: str) -> Path:
    """Return the path of one bundled resource, e.g. ``resource_path("rulebooks")``."""
    return resources_dir().joinpath(*parts)


DATA_DIR_ENV = "ZJTX_DATA_DIR"
# What a bureau installs itself (`zjtx rulebook install`), one folder per kind of file.
INSTALLED_KINDS = ("rulebooks", "overlays", "notices")


def user_data_dir() -> Path:
    """The user's data folder: ``ZJTX_DATA_DIR`` (set by ``--data-dir``) or the platform's.

    The same folder as zjtx.store.settings.data_dir(), read here so that scoring, which
    must not import the store, finds the files installed into it.
    """
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("zjtx", appauthor=False))


def installed_dir(kind: str) -> Path:
    """The folder of installed rulebooks, overlays or notices (it may not exist yet)."""
    if kind not in INSTALLED_KINDS:
        raise ValueError(f"unknown kind of installed file: {kind}")
    return user_data_dir() / kind
