"""导出 → 补正清单…: the open round's list written off the GUI thread, as .xlsx or PDF."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader

from tests.ui.test_batch_dialog import _window_with_sample
from tests.ui.test_workflow import TIMEOUT
from zjtx.ui import corrections_export


def test_the_menu_writes_the_list_chosen_in_the_file_dialog(
    qtbot, window, service, sample_json, tmp_path, monkeypatch
):
    """The chosen .xlsx names every 待定 applicant; a name typed without suffix gets .pdf."""
    _window_with_sample(qtbot, window, service, sample_json)
    pending = {r.uscc for r in service.list_applicants("2026年第一批") if r.verdict == "pending"}
    assert pending and window.corrections_action.isEnabled()
    target = tmp_path / "补正清单.xlsx"
    monkeypatch.setattr(
        corrections_export.QFileDialog, "getSaveFileName", lambda *a: (str(target), "")
    )
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as blocker:
        window.corrections_action.trigger()
    assert "已导出补正清单" in blocker.args[0]
    # Counted as the command counts: what could change an outcome, and what only a score.
    assert "项需补正（可能改变评价结论）" in blocker.args[0]
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert pending <= {row[2] for row in rows[1:]}

    typed = tmp_path / "给企业的补正清单"
    monkeypatch.setattr(
        corrections_export.QFileDialog,
        "getSaveFileName",
        lambda *a: (str(typed), "PDF 文件 (*.pdf)"),
    )
    with qtbot.waitSignal(window.message, timeout=TIMEOUT):
        window.corrections_action.trigger()
    assert len(PdfReader(typed.with_suffix(".pdf")).pages) >= 1
