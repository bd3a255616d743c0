"""Window sizes: a dialog opens no larger than the screen has room for."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from zjtx.ui.layout import size_to_screen


def test_a_dialog_opens_within_the_screen(qtbot):
    """Asked for more than the screen holds, a dialog takes the screen less a margin, so its
    buttons are never below the edge; asked for less, it takes what it asked."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry()
    size_to_screen(dialog, room.width() + 500, room.height() + 500)
    assert dialog.width() <= room.width() - 40 and dialog.height() <= room.height() - 60
    size_to_screen(dialog, 400, 300)
    assert (dialog.width(), dialog.height()) == (400, 300)
