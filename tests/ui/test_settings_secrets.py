"""The window keeps secrets: private data folder and files, no password in settings or logs."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import create_engine

from tests.store.test_secrets import MemoryKeyring
from zjtx.store.secrets import KEYRING_SERVICE, pgpass_path
from zjtx.store.settings import resolve_location
from zjtx.ui import app as ui_app
from zjtx.ui import errors
from zjtx.ui.settings import AppSettings
from zjtx.ui.settings_dialog import SettingsDialog

SECRET = "s3cr3t"
TIMEOUT = 60000
SERVER = "postgresql+psycopg://评审@db.example:5432/zjtx"


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask 022, under which new files are world-readable unless made private."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def started(qtbot, monkeypatch) -> Iterator[object]:
    """Starts the application as zjtx.ui.app.run() does (without its event loop)."""
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    root = logging.getLogger("zjtx")
    before = list(root.handlers)
    windows = []

    def start():
        _app, window, service = ui_app.start(["zjtx"])
        qtbot.addWidget(window)
        windows.append((window, service))
        return window

    try:
        yield start
    finally:
        for window, service in windows:
            window.runner.wait(30000)
            if service is not None:
                service.store.close()
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _modes(folder: Path) -> dict[str, int]:
    return {path.name: _mode(path) for path in folder.iterdir()}


def _everything_written(folder: Path) -> str:
    return "".join(
        path.read_text("utf-8", "replace") for path in folder.iterdir() if path.is_file()
    )


def test_the_window_makes_the_data_folder_and_its_files_private(started, data_folder):
    """A first start creates the data folder 0700 and zjtx.log, ui.ini and the database 0600."""
    window = started()
    window.settings.set_value("window/probe", 1)
    assert _mode(data_folder) == 0o700
    modes = _modes(data_folder)
    assert {"zjtx.log", "ui.ini", "zjtx.sqlite3"} <= set(modes)
    assert {name: mode for name, mode in modes.items() if mode != 0o600} == {}


def test_an_older_open_data_folder_is_closed_at_start(started, data_folder):
    """A data folder left 0755 with a 0644 log by an older version is made private."""
    data_folder.mkdir(mode=0o755)
    os.chmod(data_folder, 0o755)
    (data_folder / "settings.json").write_text("{}", encoding="utf-8")
    (data_folder / "zjtx.log").write_text("旧日志\n", encoding="utf-8")
    os.chmod(data_folder / "zjtx.log", 0o644)
    started()
    assert _mode(data_folder) == 0o700
    assert _mode(data_folder / "zjtx.log") == 0o600
    assert "旧日志" in (data_folder / "zjtx.log").read_text(encoding="utf-8")


def _save_server(qtbot, dialog: SettingsDialog, url: str, password: str = "") -> dict:
    dialog.server_radio.setChecked(True)
    dialog.url.setText(url)
    dialog.password.setText(password)
    dialog.evaluator.setText("赵评审")
    with qtbot.waitSignal(dialog.changed, timeout=1000) as changed:
        dialog.save()
    return changed.args[0]


@pytest.mark.parametrize(
    ("typed_url", "typed_password"),
    [
        (f"postgresql+psycopg://评审:{SECRET}@db.example:5432/zjtx", ""),
        (f"{SERVER}?password={SECRET}", ""),
        (SERVER, SECRET),
    ],
)
def test_without_a_keyring_the_dialog_keeps_the_password_in_pgpass(
    qtbot, window, data_folder, typed_url, typed_password
):
    """No keyring (headless): settings.json gets the URL without the password, 0600; the
    password goes to a 0600 .pgpass line that libpq reads; the user is told where."""
    dialog = SettingsDialog(AppSettings(), window.runner)
    qtbot.addWidget(dialog)
    changes = _save_server(qtbot, dialog, typed_url, typed_password)
    settings_file = data_folder / "settings.json"
    assert json.loads(settings_file.read_text(encoding="utf-8"))["database_url"] == SERVER
    assert SECRET not in _everything_written(data_folder)
    assert _mode(settings_file) == 0o600 and _mode(data_folder) == 0o700
    assert pgpass_path().read_text(encoding="utf-8") == f"db.example:5432:zjtx:评审:{SECRET}\n"
    assert _mode(pgpass_path()) == 0o600
    assert ".pgpass" in changes["password"] or str(pgpass_path()) in changes["password"]
    assert SECRET not in changes["password"]


def test_with_a_keyring_the_password_reaches_the_driver_from_it(qtbot, window, data_folder):
    """With an OS keyring the password is kept there only, and connecting afterwards hands it
    to psycopg (what create_engine passes to the driver)."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    dialog = SettingsDialog(AppSettings(), window.runner)
    qtbot.addWidget(dialog)
    changes = _save_server(qtbot, dialog, f"postgresql+psycopg://评审:{SECRET}@db.example/zjtx")
    assert "系统凭据管理器" in changes["password"]
    assert backend.items == {(KEYRING_SERVICE, "评审@db.example:5432/zjtx"): SECRET}
    assert not pgpass_path().exists()
    assert SECRET not in _everything_written(data_folder)
    location = resolve_location()  # settings.json, as the next start reads it
    assert SECRET not in json.dumps(json.loads((data_folder / "settings.json").read_text("utf-8")))
    engine = create_engine(location.url)
    try:
        _args, params = engine.dialect.create_connect_args(engine.url)
    finally:
        engine.dispose()
    assert (params["user"], params["host"], params["password"]) == ("评审", "db.example", SECRET)


def test_a_password_left_in_settings_json_moves_out_when_saved(qtbot, window, data_folder):
    """A settings.json of an older version with the password: the dialog does not show it and
    saving takes it out of the file."""
    data_folder.mkdir(parents=True, exist_ok=True)
    (data_folder / "settings.json").write_text(
        json.dumps({"database_url": f"postgresql+psycopg://评审:{SECRET}@db.example/zjtx"}),
        encoding="utf-8",
    )
    dialog = SettingsDialog(AppSettings(), window.runner)
    qtbot.addWidget(dialog)
    assert SECRET not in dialog.url.text()
    assert dialog.password.text() == SECRET  # shown as dots: echo mode Password
    dialog.evaluator.setText("赵评审")
    with qtbot.waitSignal(dialog.changed, timeout=1000):
        dialog.save()
    assert SECRET not in (data_folder / "settings.json").read_text(encoding="utf-8")
    assert pgpass_path().read_text(encoding="utf-8").strip().endswith(f":{SECRET}")


@pytest.mark.parametrize(
    ("typed_url", "typed_password"),
    [
        (f"postgresql+psycopg://zj@127.0.0.1:1/zjtx?password={SECRET}", ""),
        (f"postgresql+psycopg://zj:{SECRET}@127.0.0.1:1/zjtx?sslmode=bogus", ""),
        ("postgresql+psycopg://zj@127.0.0.1:1/zjtx", SECRET),
    ],
)
def test_connection_test_message_has_no_password(qtbot, window, typed_url, typed_password):
    """“测试连接” against a closed port says it failed without showing the password."""
    dialog = SettingsDialog(AppSettings(), window.runner)
    qtbot.addWidget(dialog)
    dialog.server_radio.setChecked(True)
    dialog.url.setText(typed_url)
    dialog.password.setText(typed_password)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("连接失败"), timeout=TIMEOUT)
    assert "127.0.0.1" in dialog.test_result.text()
    assert SECRET not in dialog.test_result.text()


def test_the_log_and_the_error_dialogs_never_hold_the_password(started, monkeypatch, data_folder):
    """Started on a refusing server whose URL carries the password: the warning, the log
    (messages and tracebacks) and the unexpected-error dialog show no password."""
    monkeypatch.setenv(
        "ZJTX_DATABASE_URL", f"postgresql+psycopg://zj:{SECRET}@127.0.0.1:1/zjtx?password={SECRET}"
    )
    window = started()
    boxes = [b for w in QApplication.topLevelWidgets() for b in w.findChildren(QMessageBox)]
    texts = [b.text() for b in boxes if b.isVisible() and b.windowTitle() == "无法打开数据库"]
    assert texts and "无法打开数据库" in texts[0] and SECRET not in texts[0]

    url = os.environ["ZJTX_DATABASE_URL"]
    logging.getLogger("zjtx.store").error("连接 %s 失败", url)
    try:
        raise ConnectionError(f"host=127.0.0.1 port=1 password={SECRET} user=zj")
    except ConnectionError as exc:
        logging.getLogger("zjtx.store").exception("驱动报错")
        errors.report_exception(type(exc), exc, exc.__traceback__)
    box = errors.shown[-1]
    assert SECRET not in box.informativeText() + box.detailedText()
    box.done(0)
    log = (data_folder / "zjtx.log").read_text(encoding="utf-8")
    assert "驱动报错" in log and "ConnectionError" in log and "127.0.0.1" in log
    assert SECRET not in log
    assert window.service is None


def test_the_window_says_where_the_password_was_kept(qtbot, window):
    """Saving from 设置 tells the evaluator in the status bar where the password went."""
    window.open_settings()
    dialog = window.settings_dialog
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as said:
        _save_server(qtbot, dialog, SERVER, SECRET)
    assert str(pgpass_path()) in said.args[0] and "重新打开程序后生效" in said.args[0]
    assert SECRET not in window.statusBar().currentMessage()
    assert str(pgpass_path()) in window.statusBar().currentMessage()
