"""Settings, printing, the exception handler and the remembered layout."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.ui import errors
from zjtx.ui.main_window import MainWindow
from zjtx.ui.models import ApplicantColumn
from zjtx.ui.settings import AppSettings
from zjtx.ui.settings_dialog import SettingsDialog

TIMEOUT = 60000


def test_settings_dialog_tests_a_connection_and_saves(qtbot, data_folder, tmp_path, window):
    """“测试连接” opens a real database; saving writes the evaluator and the database URL."""
    settings = AppSettings()
    dialog = SettingsDialog(settings, window.runner)
    qtbot.addWidget(dialog)
    dialog.server_radio.setChecked(True)
    assert dialog.url.isEnabled()
    dialog.url.setText(f"sqlite:///{tmp_path / 'zjtx.sqlite3'}")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("连接成功"), timeout=TIMEOUT)

    dialog.url.setText("mysql://root@localhost/zjtx")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("连接失败"), timeout=TIMEOUT)
    assert "不支持的数据库类型" in dialog.test_result.text()

    dialog.url.setText("postgresql+psycopg://评审:secret@db.example/zjtx")
    dialog.evaluator.setText("赵评审")
    dialog.role.setCurrentIndex(dialog.role.findData("chair"))
    with qtbot.waitSignal(dialog.changed) as changed:
        dialog.save()
    assert changed.args[0]["evaluator"] == ("赵评审", "chair")
    stored = json.loads((data_folder / "settings.json").read_text(encoding="utf-8"))
    assert (
        stored["database_url"] == "postgresql+psycopg://评审@db.example/zjtx"
    )  # password kept apart
    again = AppSettings()
    assert (again.evaluator, again.role) == ("赵评审", "chair")


def test_evaluator_role_is_saved_in_the_store(qtbot, window, service):
    """Changing the evaluator in the settings records the role through the store service."""
    window.open_settings()
    dialog = window.settings_dialog
    dialog.evaluator.setText("钱组长")
    dialog.role.setCurrentIndex(dialog.role.findData("chair"))
    dialog.save()
    qtbot.waitUntil(
        lambda: any(e.action == "evaluator-role" for e in _all_history(service)), timeout=TIMEOUT
    )
    assert window.settings.evaluator == "钱组长"


def _all_history(service):
    from sqlalchemy import select

    from zjtx.store.models import AuditEvent

    with service.store.session() as session:
        return list(session.scalars(select(AuditEvent)))


def test_printing_a_report_writes_every_page(qtbot, tmp_path):
    """print_pdf sends every page of a PDF to a QPrinter (here a PDF printer)."""
    from datetime import datetime

    from zjtx.export.summary import build_publicity_list
    from zjtx.export.summary_pdf import render_publicity_pdf
    from zjtx.ui.export_dialog import print_pdf

    source = tmp_path / "公示名单.pdf"
    render_publicity_pdf(build_publicity_list([], made_at=datetime(2026, 5, 1, 9, 0)), source)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    pages = print_pdf(source, printer)
    assert pages == len(PdfReader(source).pages) >= 1
    assert len(PdfReader(target).pages) == pages


def test_unexpected_exception_is_logged_and_shown(qtbot, caplog):
    """The global handler logs the traceback and shows a Chinese dialog without closing."""
    try:
        raise RuntimeError("测试用的意外")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="zjtx.ui"):
            errors.report_exception(type(exc), exc, exc.__traceback__)
    assert "测试用的意外" in caplog.text and "Traceback" in caplog.text
    box = errors.shown[-1]
    assert box.isVisible()
    assert "未预期的错误" in box.text() and "RuntimeError" in box.informativeText()
    box.done(0)
    assert box not in errors.shown


def test_install_exception_handler_routes_sys_excepthook(monkeypatch):
    """install_exception_handler makes report_exception the interpreter's excepthook."""
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    errors.install_exception_handler()
    assert sys.excepthook is errors.report_exception


def test_window_layout_is_remembered(qtbot, service):
    """Window size, splitters and table columns come back after closing and reopening."""
    first = MainWindow(service, AppSettings())
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 540)
    first.splitter.setSizes([300, 700, 400])
    # (Not the name: it takes the room the others leave.)
    first.table.setColumnWidth(ApplicantColumn.DECISION, 141)
    first.close()
    second = MainWindow(service, AppSettings())
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (first.width(), first.height())
    assert second.splitter.sizes()[0] == first.splitter.sizes()[0]
    assert second.table.columnWidth(ApplicantColumn.DECISION) == 141


def test_new_round_dialog_creates_a_round(qtbot, window, service):
    """The new-round dialog creates the round through the store and selects it."""
    window.new_round()
    dialog = window.round_dialog
    dialog.name.setText(ROUND)
    dialog.tier.setCurrentIndex(dialog.tier.findData("srdi-sme"))
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        dialog.accept()
    info = service.get_round(ROUND)
    assert info.tier == "srdi-sme" and window.round_name == ROUND
    window.new_round()
    duplicate = window.round_dialog
    duplicate.name.setText(ROUND)
    duplicate.accept()  # the store refuses in the background; the refusal returns to the dialog
    qtbot.waitUntil(lambda: "已存在" in duplicate.error.text(), timeout=TIMEOUT)
    assert duplicate.isVisible()
    assert len(service.list_rounds()) == 1
    assert ROUND_DATE  # the shared round date is not used by this dialog


@pytest.mark.parametrize("text", ["数据有误", ""])
def test_background_store_errors_show_a_message(qtbot, window, text):
    """A StoreError from a background task is shown in a Chinese message box and the status bar."""
    from PySide6.QtWidgets import QMessageBox

    from zjtx.store import StoreError

    window.show_error(StoreError(text or "无法打开数据库"))
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and boxes[-1].text() == (text or "无法打开数据库")
