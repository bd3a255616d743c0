"""The 认定标准 browser's 安装标准文件… button: a checked file is installed, a bad one explained."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from PySide6.QtWidgets import QMessageBox

from zjtx.paths import resource_path
from zjtx.scoring.selection import forget_selection
from zjtx.ui import rulebooks as rulebooks_ui
from zjtx.ui.rulebooks import RulebookBrowser


@pytest.fixture(autouse=True)
def forget_installed_files():
    """Selections made while a test's data folder held installed files are not kept for the
    next test, whose data folder is empty."""
    yield
    forget_selection()


def _write(tmp_path: Path, name: str, edit) -> Path:
    data = yaml.safe_load(resource_path("rulebooks", "tech-sme-2017.yaml").read_text("utf-8"))
    data["id"] = "tech-sme-2015"
    data["version"] = "2015.1"
    data["title"] = "科技型中小企业评价标准（2015 试行，测试）"
    data["applies"] = [{"from": "2015-01-01", "until": "2017-05-02"}]
    data["criteria"] = [{k: v for k, v in c.items() if k != "replaces"} for c in data["criteria"]]
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _choose(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(
        rulebooks_ui.QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *args, **kwargs: (str(path), "标准文件 (*.yaml *.yml)")),
    )


def test_install_button_installs_a_checked_file_and_lists_it(qtbot, tmp_path, monkeypatch):
    """A valid new rulebook chosen in the file dialog is checked off the GUI thread, copied
    into the data folder and appears in both lists marked （已安装）."""
    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    assert browser.install_button.text() == "安装标准文件…"
    _choose(monkeypatch, _write(tmp_path, "科技型2015.yaml", lambda d: None))
    browser.install_button.click()
    qtbot.waitUntil(lambda: browser.install_box is not None, timeout=20000)
    box = browser.install_box
    assert box.icon() == QMessageBox.Icon.Information
    assert "已安装" in box.text() and "tech-sme-2015" in box.text()
    target = Path(os.environ["ZJTX_DATA_DIR"]) / "rulebooks" / "tech-sme-2015.yaml"
    assert target.is_file() and str(target) in box.informativeText()
    assert "批次 → 按现行标准重新评价…" in box.informativeText()  # how imported rounds get it
    index = browser.left.findData("tech-sme-2015")
    assert index >= 0 and browser.left.itemText(index).endswith("（已安装）")
    assert browser.right.findData("tech-sme-2015") >= 0
    assert browser.install_button.isEnabled()
    box.close()


def test_install_button_lists_the_problems_of_a_bad_file(qtbot, tmp_path, monkeypatch):
    """A file with misspelt keys is not installed; the dialog lists every problem in Chinese
    with the right name."""

    def edit(data):
        data["groups"][0]["titel"] = data["groups"][0].pop("title")
        data["criteria"][0]["claus"] = "x"

    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    _choose(monkeypatch, _write(tmp_path, "bad.yaml", edit))
    browser.install_button.click()
    qtbot.waitUntil(lambda: browser.install_box is not None, timeout=20000)
    box = browser.install_box
    assert box.icon() == QMessageBox.Icon.Warning
    assert "未安装" in box.text()
    details = box.detailedText()
    assert "“titel”" in details and "“title”" in details
    assert "“claus”" in details and "“clause”" in details
    assert not (Path(os.environ["ZJTX_DATA_DIR"]) / "rulebooks").exists()
    assert browser.left.findData("tech-sme-2015") == -1
    assert browser.install_status.text() == "bad.yaml 未安装"
    box.close()


def test_cancelled_file_dialog_installs_nothing(qtbot, monkeypatch):
    """Cancelling the file dialog starts no check and shows nothing."""
    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    monkeypatch.setattr(
        rulebooks_ui.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", ""))
    )
    browser.install_button.click()
    assert not browser.runner.busy() and browser.install_box is None


def test_install_names_the_open_rounds_left_without_a_standard(qtbot, tmp_path, monkeypatch):
    """A corrected standard that ends before an open round's date: the install's message
    names the round, as `zjtx rulebook install` does."""
    from datetime import date

    from tests.store.helpers import write_little_giant_ending_before_june
    from zjtx.store import StoreService, open_store

    store = open_store()
    StoreService(store).create_round("六月", tier="little-giant", round_date=date(2026, 6, 1))
    store.close()
    ended = write_little_giant_ending_before_june(tmp_path / "lg.yaml")
    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    _choose(monkeypatch, ended)
    browser.install_button.click()
    qtbot.waitUntil(lambda: browser.install_box is not None, timeout=20000)
    text = browser.install_box.informativeText()
    assert (
        "注意：安装后以下进行中的批次没有适用的评价标准" in text
        and "六月（2026-06-01，新申报）" in text
    )
