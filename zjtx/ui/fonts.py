"""Register the bundled Noto Sans SC with Qt so Chinese renders on machines without CJK fonts."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from zjtx.export.fonts import bold_font_path, font_path

log = logging.getLogger("zjtx.ui")

_families: list[str] = []


def register_bundled_fonts() -> str:
    """Add the bundled fonts to the application font database; returns the family name."""
    if _families:
        return _families[0]
    for path in (font_path(), bold_font_path()):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("无法加载字体 %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _families:
                _families.append(family)
    return _families[0] if _families else ""


def apply_bundled_font(app: QApplication, point_size: float = 10) -> str:
    """Make the bundled font the application's default font (first in every fallback chain)."""
    family = register_bundled_fonts()
    if family:
        font = QFont(family)
        font.setPointSizeF(point_size)
        app.setFont(font)
        # Symbols and Latin text the CJK font lacks still fall back to system fonts.
        QFont.insertSubstitution(family, "DejaVu Sans")
    return family
