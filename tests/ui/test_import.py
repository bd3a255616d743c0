"""The import wizard: read then import off the GUI thread, cancel, responsiveness, mapping."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from tests.ui.conftest import ROUND, ROUND_DATE, write_synthetic_json
from zjtx.ui.import_dialog import ImportDialog

TIMEOUT = 120000


def _dialog(qtbot, window, paths: list[Path]) -> ImportDialog:
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.open_import()
    dialog = window.import_dialog
    dialog.add_paths(paths)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    return dialog


def test_cancelling_an_import_leaves_nothing_half_imported(qtbot, window, service, tmp_path):
    """Cancel while the file is being imported: the round holds no applicant and no file."""
    source = write_synthetic_json(tmp_path / "三千家.json", 3000)
    dialog = _dialog(qtbot, window, [source])
    assert "可导入 3000 家" in dialog.summary.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < dialog.progress.value() < 3000, timeout=TIMEOUT)
    assert dialog.cancel_button.isEnabled() and not dialog.close_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT) as done:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args[0] == []
    assert "已取消导入" in dialog.status.text()
    assert service.list_applicants(ROUND) == []
    statistics = service.statistics(ROUND)
    assert (statistics.files, statistics.versions) == (0, 0)
    # The evaluator can import the same file afterwards, completely.
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert len(service.list_applicants(ROUND)) == 3000


def test_event_loop_keeps_running_during_a_10000_row_import(qtbot, window, service, tmp_path):
    """A timer on the GUI thread keeps firing and progress moves while 10,000 rows import."""
    source = write_synthetic_json(tmp_path / "一万家.json", 10000)
    ticks: list[int] = []
    progress_seen: set[int] = set()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    dialog = _dialog(qtbot, window, [source])
    dialog.progress.valueChanged.connect(progress_seen.add)
    timer.start()
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT * 3):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert window.model.rowCount() == 10000
    # The import takes seconds; a blocked GUI thread would leave the timer nearly silent.
    assert len(ticks) >= 20
    assert len({v for v in progress_seen if 0 < v < 10000}) >= 5
    window.search.setText(service.list_applicants(ROUND)[1234].uscc)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)


def test_wizard_shows_mapping_issues_and_what_changed_on_reimport(qtbot, window, service, tmp_path):
    """A roster's column mapping and issues are shown; re-importing a changed file says so."""
    from openpyxl import load_workbook

    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring import load_catalogue

    values = applicants(5, ROUND_DATE.year)
    roster = write_roster_template(
        tmp_path / "名单.xlsx", load_catalogue(), ROUND_DATE.year, values
    )
    dialog = _dialog(qtbot, window, [roster])
    assert dialog.mapping_model.rowCount() > 10
    headers = {
        dialog.mapping_model.index(r, 3).data() for r in range(dialog.mapping_model.rowCount())
    }
    assert "统一社会信用代码" in headers
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "新增 5 家" in dialog.changes.item(0).text()

    workbook = load_workbook(roster)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[2]]
    column = next(i for i, h in enumerate(header, start=1) if h and "从业人员" in str(h))
    sheet.cell(3, column).value = int(sheet.cell(3, column).value) + 7
    sheet.cell(4, 2).value = "12345"  # a broken code: that row is blocked with an error
    changed = tmp_path / "名单（更正）.xlsx"
    workbook.save(changed)
    dialog.add_paths([changed])
    dialog.paths = [changed]
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    errors = [
        dialog.issues_model.issue_at(r)
        for r in range(dialog.issues_model.rowCount())
        if dialog.issues_model.index(r, 0).data() == "错误"
    ]
    assert errors and errors[0].cell and errors[0].sheet
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    text = dialog.changes.item(0).text()
    assert "数据有变化 1 家" in text and "因错误未导入 1 家" in text


def test_shipped_roster_and_forms_folder(qtbot, window, service):
    """The shipped roster and a folder of forms: mapping, planted defects, then a warning
    acknowledged with a reason in the review pane."""
    from zjtx.intake import read_applicants
    from zjtx.paths import resource_path

    roster = resource_path("samples", "roster_2026.xlsx")
    forms = resource_path("samples", "forms")
    expected = read_applicants([roster, forms], ROUND_DATE.year).files
    ready = sum(f.rows_imported for f in expected)
    blocked = sum(f.rows_blocked for f in expected)
    dialog = _dialog(qtbot, window, [roster, forms])
    assert f"可导入 {ready} 家" in dialog.summary.text()
    assert f"因错误不能导入 {blocked} 家" in dialog.summary.text()
    assert dialog.mapping_file.count() == len(expected)
    assert dialog.mapping_model.rowCount() == len(expected[0].column_mapping)
    hidden = [
        dialog.mapping_model.index(r, 6).data() for r in range(dialog.mapping_model.rowCount())
    ]
    assert any("隐藏列" in text for text in hidden)
    errors = [
        dialog.issues_model.issue_at(r)
        for r in range(dialog.issues_model.rowCount())
        if dialog.issues_model.index(r, 0).data() == "错误"
    ]
    assert len(errors) == sum(1 for f in expected for i in f.issues if i.severity == "error")
    assert all(i.file for i in errors)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.close()
    assert window.model.rowCount() == ready

    row = next(r for r in service.list_applicants(ROUND) if r.open_warnings)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        window.select_applicant(row.uscc)
    review = window.review
    assert review.ack_button.isEnabled()
    code = review.warning_combo.currentData()
    review.warning_reason.setText("已电话核实，数据无误")
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(review.ack_button, Qt.MouseButton.LeftButton)
    assert code not in {issue.code for issue in saved.args[0].open_warnings}
    stored = service.review_state(ROUND, row.uscc)
    assert any(
        i.kind == "warning" and i.target == code and i.reason == "已电话核实，数据无误"
        for i in stored.items
    )
    position = window.model.position_of(row.uscc)
    qtbot.waitUntil(lambda: window.model.row_at(position).open_warnings == row.open_warnings - 1)
