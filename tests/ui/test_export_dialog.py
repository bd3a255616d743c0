"""The export dialog's closing line: green when done, orange when the export needs attention."""

from __future__ import annotations

from types import SimpleNamespace

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.ui.export_dialog import ExportDialog
from zjtx.ui.tasks import TaskRunner


def _dialog(qtbot, service, tmp_path) -> ExportDialog:
    service.create_round(ROUND, tier="innovative-sme", round_date=ROUND_DATE)
    dialog = ExportDialog(TaskRunner(), service, ROUND, lambda: None, tmp_path)
    qtbot.addWidget(dialog)
    return dialog


def test_an_export_with_a_warning_is_shown_in_orange(qtbot, service, tmp_path):
    """An outcome carrying a warning shows the message and the warning in orange."""
    dialog = _dialog(qtbot, service, tmp_path)
    report = tmp_path / "报告.pdf"
    outcome = SimpleNamespace(
        folder=tmp_path, files=(report,), message="已生成评审意见表", warning="有 1 家企业缺少数据"
    )
    dialog._done(outcome)
    assert dialog.status.text() == "已生成评审意见表\n有 1 家企业缺少数据"
    assert "#b26a00" in dialog.status.styleSheet()
    assert dialog.preview_button.isEnabled()


def test_an_export_without_a_warning_is_shown_in_green(qtbot, service, tmp_path):
    """An outcome without a warning (or without the field) shows its message in green."""
    dialog = _dialog(qtbot, service, tmp_path)
    outcome = SimpleNamespace(folder=tmp_path, files=(), message="已导出评价结果")
    dialog._done(outcome)
    assert dialog.status.text() == "已导出评价结果"
    assert "#1b7f3b" in dialog.status.styleSheet()


def test_reports_of_an_empty_choice_are_refused_before_anything_runs(qtbot, service, tmp_path):
    """所选企业评审意见表 with no row shown: a red message, no task, nothing written."""
    service.create_round(ROUND, tier="innovative-sme", round_date=ROUND_DATE)
    chosen = ([], "当前筛选结果（0 / 30 家）")
    out = tmp_path / "out"
    dialog = ExportDialog(
        TaskRunner(), service, ROUND, lambda: None, out, "chosen_reports",
        chosen_getter=lambda: chosen,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.kind.currentText().startswith("所选企业评审意见表（当前筛选结果（0 / 30 家）")
    dialog.start()
    assert dialog.task is None
    assert dialog.status.text() == "表格中没有显示任何企业：请先调整筛选条件或选中企业"
    assert "#c62828" in dialog.status.styleSheet()
    assert not out.exists()


def test_without_a_table_there_is_no_choice_to_export(qtbot, service, tmp_path):
    """A dialog given no table rows (chosen_getter) offers no 所选企业评审意见表."""
    dialog = _dialog(qtbot, service, tmp_path)
    assert dialog.kind.findData("chosen_reports") == -1
    assert dialog.kind.findData("reports") >= 0
