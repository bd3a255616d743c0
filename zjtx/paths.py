"""Locate the bundled resources/ folder from a checkout and from an installed wheel alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path


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
