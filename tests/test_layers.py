"""The layering rule: Qt is imported only under zjtx/ui."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import zjtx
names = []
for module in pkgutil.walk_packages(zjtx.__path__, "zjtx."):
    name = module.name
    if name.startswith("zjtx.ui") or ".migrations." in name or name.endswith("__main__"):
        continue
    importlib.import_module(name)
    names.append(name)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    if loaded:
        print("QT", name, loaded[0])
        break
print("IMPORTED", len(names))
"""


def test_importing_every_package_but_ui_leaves_qt_unloaded():
    """Every module outside zjtx/ui (the CLI and its commands included) imports without Qt."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "QT " not in result.stdout, result.stdout
    imported = int(result.stdout.split("IMPORTED")[1])
    assert imported >= 60  # the probe really walked the packages
