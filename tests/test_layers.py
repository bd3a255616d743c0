"""The layering rules: Qt is imported only under zjtx/ui, and no module outgrows a reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "zjtx"
MAX_LINES = 800  # issue 12: past this a module holds more than one concern

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


def test_no_module_outside_the_migrations_is_over_800_lines():
    """Every module under zjtx/ (Alembic's migrations aside) stays within 800 lines."""
    modules = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    assert len(modules) >= 100  # the walk found the package
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
