"""`zjtx` without arguments: the application starts, and a bad database is explained."""

from __future__ import annotations

import json
import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from zjtx.ui import app as ui_app
from zjtx.ui.main_window import MainWindow


def _start_and_look(qtbot, monkeypatch, look) -> list:
    """Start the application as zjtx.ui.app.run() does (without its event loop) and look."""
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    root = logging.getLogger("zjtx")
    before = list(root.handlers)
    try:
        _app, window, service = ui_app.start(["zjtx"])
        qtbot.addWidget(window)
        qtbot.waitExposed(window)
        seen = [look(window)]
        window.runner.wait(30000)
        if service is not None:
            service.store.close()
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    return seen


def test_run_opens_the_main_window_on_the_default_database(qtbot, monkeypatch, data_folder):
    """The window opens on the SQLite file in the data folder, in Chinese, with a log file."""

    def look(_window):
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        return windows[0].windowTitle(), windows[0].service is not None

    seen = _start_and_look(qtbot, monkeypatch, look)
    assert seen == [("专精特新评审助手", True)]
    assert (data_folder / "zjtx.sqlite3").exists()
    assert (data_folder / "zjtx.log").exists()
    assert QApplication.font().family() == "Noto Sans SC"


def test_run_explains_a_database_that_cannot_be_opened(qtbot, monkeypatch, data_folder):
    """A bad database URL in settings.json opens the window with a Chinese explanation."""
    data_folder.mkdir(parents=True, exist_ok=True)
    (data_folder / "settings.json").write_text(
        json.dumps({"database_url": "mysql://root@localhost/zjtx"}), encoding="utf-8"
    )

    def look(_window):
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        boxes += [b for w in QApplication.topLevelWidgets() for b in w.findChildren(QMessageBox)]
        return [(b.windowTitle(), b.text()) for b in boxes if b.isVisible()]

    seen = _start_and_look(qtbot, monkeypatch, look)
    (shown,) = seen
    assert any(title == "无法打开数据库" and "不支持的数据库类型" in text for title, text in shown)
    assert "无法打开数据库" in (data_folder / "zjtx.log").read_text(encoding="utf-8")


def test_standard_qt_texts_are_chinese(qapp):
    """Qt's own buttons, context menus and "Show Details..." read in Chinese once the app is set up."""
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    ui_app.create_application(["zjtx"])
    assert qapp._zjtx_translators, "qtbase_zh_CN was not installed"
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    box = QMessageBox()
    box.setDetailedText("详细信息")
    assert [b.text() for b in box.buttons()] == ["显示详情..."]
    line = QLineEdit()
    menu = line.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert "复制(&C)" in texts and "粘贴(&P)" in texts
    assert not any("Copy" in t or "Paste" in t or "Undo" in t for t in texts)


def test_first_start_asks_who_the_evaluator_is(qtbot, monkeypatch, data_folder):
    """Without a configured evaluator the window opens the 评审人信息 dialog; saving it shows
    the name and unit in the status bar and writes settings.json, never the OS login."""
    from zjtx.ui.identity_dialog import IdentityDialog

    monkeypatch.delenv("ZJTX_EVALUATOR", raising=False)

    def look(window):
        dialog = window.identity_dialog
        assert isinstance(dialog, IdentityDialog) and dialog.isVisible()
        status_before = window.identity_label.text()
        dialog.form.name.setText("李四")
        dialog.form.unit.setText("南京市工业和信息化局")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return status_before, window.identity_label.text()

    (seen,) = _start_and_look(qtbot, monkeypatch, look)
    before, after = seen
    assert "未设置评审人" in before
    assert "李四" in after and "南京市工业和信息化局" in after
    stored = json.loads((data_folder / "settings.json").read_text(encoding="utf-8"))
    assert "李四" in json.dumps(stored, ensure_ascii=False)


def test_a_configured_evaluator_is_not_asked_again(qtbot, monkeypatch, data_folder):
    """With ZJTX_EVALUATOR (or a saved identity) no dialog opens and the status bar names them."""

    def look(window):
        return window.identity_dialog, window.identity_label.text()

    ((dialog, status),) = _start_and_look(qtbot, monkeypatch, look)
    assert dialog is None
    assert "张评审" in status
