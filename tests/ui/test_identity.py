"""The evaluator's identity in the window: first-start dialog, settings, and refused reviews."""

from __future__ import annotations

import getpass
import json

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.store.identity import Identity, load_identity
from zjtx.ui.identity_dialog import (
    NO_EVALUATOR_MESSAGE,
    IdentityDialog,
    identity_status_text,
)
from zjtx.ui.settings import AppSettings, needs_identity
from zjtx.ui.settings_dialog import SettingsDialog
from zjtx.ui.tasks import TaskRunner

TIMEOUT = 60000


@pytest.fixture
def unconfigured(monkeypatch):
    """No ZJTX_EVALUATOR: only what the user configures names the evaluator."""
    monkeypatch.delenv("ZJTX_EVALUATOR", raising=False)


def test_identity_dialog_stores_and_reloads(qtbot, unconfigured, data_folder):
    """At first start nobody is named; the dialog needs a name, saves name, unit and role to
    settings.json (read by the CLI too) and shows them again when opened later."""
    settings = AppSettings()
    assert needs_identity(settings) and settings.evaluator == ""
    assert identity_status_text(settings) == "未设置评审人（设置 → 评审人）"
    dialog = IdentityDialog(settings, first_start=True)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    dialog.form.name.setText("  张三 ")
    dialog.form.unit.setText("杭州市经济和信息化局")
    dialog.form.role.setCurrentIndex(dialog.form.role.findData("chair"))
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    expected = Identity("张三", "杭州市经济和信息化局", "chair")
    assert saved.args[0] == expected
    stored = json.loads((data_folder / "settings.json").read_text(encoding="utf-8"))
    assert stored["identity"] == {"name": "张三", "unit": "杭州市经济和信息化局", "role": "chair"}
    assert load_identity() == expected

    again = AppSettings()
    assert (again.identity, again.evaluator, again.role) == (expected, "张三", "chair")
    assert not needs_identity(again)
    assert identity_status_text(again) == "评审人：张三（杭州市经济和信息化局，评审组长）"
    reopened = IdentityDialog(again)
    qtbot.addWidget(reopened)
    assert reopened.form.name.text() == "张三"
    assert reopened.form.unit.text() == "杭州市经济和信息化局"
    assert reopened.form.role.currentData() == "chair"


def test_name_from_an_older_version_is_moved_to_settings_json(unconfigured, data_folder):
    """A name typed in the settings of an older version (ui.ini) becomes the identity."""
    old = AppSettings()
    old.set_value("evaluator/name", "李四")
    old.set_value("evaluator/role", "chair")
    assert AppSettings().identity == Identity("李四", "", "chair")
    assert load_identity() == Identity("李四", "", "chair")
    assert AppSettings().value("evaluator/name") is None


def test_settings_dialog_edits_the_identity_and_shows_overlay_titles(
    qtbot, unconfigured, data_folder
):
    """The settings dialog edits name, unit and role in the same storage, and lists the
    provincial overlays by their Chinese titles (ids only in tooltips)."""
    settings = AppSettings()
    runner = TaskRunner()
    dialog = SettingsDialog(settings, runner)
    qtbot.addWidget(dialog)
    titles = [dialog.overlay.itemText(i) for i in range(dialog.overlay.count())]
    assert "广东省专精特新中小企业认定（评价得分 70 分以上）" in titles
    assert not any("-20" in title for title in titles)
    index = dialog.overlay.findData("guangdong-2024")
    assert "guangdong-2024" in dialog.overlay.itemData(index, Qt.ItemDataRole.ToolTipRole)

    dialog.save()  # no name: refused
    assert "评审人姓名不能为空" in dialog.test_result.text()
    assert load_identity() is None
    dialog.evaluator.setText("王五")
    dialog.unit.setText("宁波市经济和信息化局")
    dialog.overlay.setCurrentIndex(index)
    with qtbot.waitSignal(dialog.changed) as changed:
        dialog.save()
    assert changed.args[0]["evaluator"] == ("王五", "evaluator")
    assert load_identity() == Identity("王五", "宁波市经济和信息化局", "evaluator")
    assert AppSettings().default_overlay == "guangdong-2024"


def test_review_save_without_identity_is_refused(qtbot, unconfigured, service, sample_json):
    """With no evaluator named the review pane saves nothing and says how to name one; the
    round itself was recorded under the marked OS account."""
    from zjtx.ui.review import ReviewPane

    settings = AppSettings()
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE,
                         evaluator=settings.evaluator)  # fmt: skip
    service.import_paths(ROUND, [sample_json], evaluator=settings.evaluator)
    row = service.list_applicants(ROUND)[0]
    runner = TaskRunner()
    pane = ReviewPane(runner, lambda: service, lambda: settings.evaluator)
    qtbot.addWidget(pane)
    pane.show_state(service.review_state(ROUND, row.uscc))
    pane.decision_combo.setCurrentIndex(pane.decision_combo.findData("return"))
    pane.opinion.setPlainText("请补充近两年审计报告")
    with qtbot.waitSignal(pane.failed, timeout=TIMEOUT) as failed:
        pane.save_decision()
    runner.wait(TIMEOUT)
    assert failed.args[0] == NO_EVALUATOR_MESSAGE
    assert pane.message.text() == NO_EVALUATOR_MESSAGE
    assert service.review_state(ROUND, row.uscc).version == 0
    assert {e.actor for e in service.history(ROUND)} == {f"系统账户 {getpass.getuser()}"}
