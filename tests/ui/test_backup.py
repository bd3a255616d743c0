"""文件 → 备份数据库…: the whole database written off the GUI thread, and a failed write said."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.test_batch_dialog import _window_with_sample
from tests.ui.test_workflow import TIMEOUT
from zjtx.store import StoreService, open_store
from zjtx.ui import backup, errors

pytestmark = pytest.mark.usefixtures("close_error_boxes")


def test_the_menu_backs_up_to_the_file_chosen(qtbot, window, service, sample_json, tmp_path,
                                              monkeypatch):  # fmt: skip
    """The chosen name (typed without suffix) gets .sqlite3; the file opens with the round and
    its applicants, and the window says what it holds."""
    _window_with_sample(qtbot, window, service, sample_json)
    typed = tmp_path / "科室备份"
    monkeypatch.setattr(backup.QFileDialog, "getSaveFileName", lambda *a: (str(typed), ""))
    assert window.backup_action.isEnabled()
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as blocker:
        window.backup_action.trigger()
    assert "已备份数据库到" in blocker.args[0]
    assert "申报企业" in window.backup_box.text()
    expected = service.list_applicants("2026年第一批")
    with open_store(f"sqlite:///{typed.with_suffix('.sqlite3')}") as copy:
        assert StoreService(copy).list_applicants("2026年第一批") == expected


def test_a_place_that_cannot_take_the_backup_is_said_in_chinese(qtbot, window, tmp_path):
    """A backup under a name taken by a file ends in 操作未完成 naming it, not in 程序出错."""
    blocker = tmp_path / "名单.txt"
    blocker.write_text("不是文件夹", encoding="utf-8")
    task = backup.back_up(window, blocker / "b.sqlite3")
    qtbot.waitUntil(lambda: not task.running and bool(errors.shown), timeout=TIMEOUT)
    box = errors.shown[-1]
    assert box.windowTitle() == "操作未完成" and "名单.txt" in box.text()


def test_a_write_error_is_a_warning_not_a_defect(qtbot):
    """show_failure of an OutputWriteError (a full disk) is 操作未完成 with its Chinese text."""
    from zjtx.files import OutputWriteError

    errors.show_failure(OutputWriteError(Path(__file__), OSError(28, "No space left on device")))
    box = errors.shown[-1]
    assert box.windowTitle() == "操作未完成" and "磁盘空间不足" in box.text()
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_a_name_typed_without_suffix_asks_before_replacing_an_older_backup(
    qtbot, window, tmp_path, monkeypatch
):
    """zjtx备份 typed when zjtx备份.sqlite3 exists: asked first; No keeps the old file."""
    older = tmp_path / "zjtx备份.sqlite3"
    older.write_bytes(b"older backup")
    monkeypatch.setattr(
        backup.QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "zjtx备份"), "")
    )
    asked = []

    def answer(*args):
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(backup.QMessageBox, "question", answer)
    assert backup.ask_target(window) is None
    assert asked and "zjtx备份.sqlite3 已存在" in asked[0]
    assert older.read_bytes() == b"older backup"
