"""The roster header's columns live in their own module: mapping and roster import no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import zjtx.intake

INTAKE = Path(zjtx.intake.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top, under TYPE_CHECKING or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_mapping_does_not_import_roster():
    """mapping.py takes Column and HeaderLayout from columns.py, never from roster.py."""
    assert "zjtx.intake.roster" not in imported_modules(INTAKE / "mapping.py")
    assert "zjtx.intake.mapping" in imported_modules(INTAKE / "roster.py")


def test_columns_module_imports_neither_mapping_nor_roster():
    """columns.py sits below both, so either can import it."""
    imported = imported_modules(INTAKE / "columns.py")
    assert not {"zjtx.intake.mapping", "zjtx.intake.roster"} & imported


def test_roster_and_mapping_share_one_column_class():
    """The header found by roster is the one mapping corrects (the same classes)."""
    from zjtx.intake import columns, mapping, roster

    assert roster.Column is columns.Column is mapping.Column
    assert roster.HeaderLayout is columns.HeaderLayout is mapping.HeaderLayout
