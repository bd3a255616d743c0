"""帮助 → 关于 shows the program's version, commit, build date and every data file's version."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PySide6.QtGui import QGuiApplication

import zjtx
from zjtx import version
from zjtx.ui.about_dialog import AboutDialog

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


@pytest.fixture(autouse=True)
def fresh_build_info():
    version.build_info.cache_clear()
    yield
    version.build_info.cache_clear()


def table_rows(dialog: AboutDialog) -> list[list[str]]:
    table = dialog.files
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_about_dialog_from_the_help_menu_names_version_commit_and_rulebooks(window, qtbot):
    """帮助 → 关于… opens the dialog; it lists every bundled rulebook with its stated version."""
    window.about_action.trigger()
    dialog = window.about_dialog
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "关于 专精特新评审助手"
    assert dialog.version_label.text() == f"zjtx {zjtx.__version__}"
    assert dialog.commit_label.text() == version.build_info().commit_text
    assert dialog.built_label.text() == "未构建（从源代码运行）"
    rows = table_rows(dialog)
    for path in sorted((RESOURCES / "rulebooks").glob("*.yaml")):
        stated = str(yaml.safe_load(path.read_text(encoding="utf-8"))["version"])
        assert ["认定标准", path.stem, stated, "内置"] in rows
    kinds = {row[0] for row in rows}
    assert {"认定标准", "省级规则", "政策通知"} <= kinds
    dialog.close()


def test_about_dialog_shows_a_frozen_build_and_copies_the_version_text(
    qtbot, tmp_path, monkeypatch
):
    """In a frozen build the dialog shows its recorded commit and date; 复制版本信息 puts the
    `zjtx --version` text on the clipboard."""
    info = tmp_path / "_build_info.json"
    info.write_text('{"version": "1.2.3", "commit": "fedcba9876543210fedcba9876543210fedcba98",'
                    ' "dirty": true, "built_at": "2026-12-03T09:30:00+08:00"}', encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(version, "BUILD_INFO_FILE", info)
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.version_label.text() == "zjtx 1.2.3"
    assert dialog.commit_label.text() == "fedcba987654（含未提交的修改）"
    assert dialog.built_label.text() == "2026-12-03 09:30:00+08:00"
    dialog.grab().save(str(tmp_path / "about.png"))  # looked at while writing the dialog
    assert (tmp_path / "about.png").stat().st_size > 0
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == version.version_text()
    assert copied.startswith("专精特新评审助手 zjtx 1.2.3\n")
    assert dialog.copy_button.text() == "已复制"
