"""The round table's columns on a laptop screen: what ranks and decides is in view, the name takes
the room left, and columns hidden from the header's menu stay hidden after a restart."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from tests.ui.conftest import ROUND
from tests.ui.test_workflow import TIMEOUT, _select
from zjtx.ui.models import ApplicantColumn
from zjtx.ui.table_columns import NAME_LEAST

NEEDED = (
    ApplicantColumn.RANK,
    ApplicantColumn.NAME,
    ApplicantColumn.VERDICT,
    ApplicantColumn.SCORE,
    ApplicantColumn.DECISION,
    ApplicantColumn.STATUS,
)


def _scored_round(qtbot, window, service, sample_json, width: int, height: int):
    """The sample in a scored round (专精特新 2022) on a ``width``×``height`` window, one
    applicant chosen so the detail pane is open as it is while reviewing."""
    window.resize(width, height)
    window._default_sizes()
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2025, 5, 1))
    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    window.round_tabs.show_table()
    rows = service.list_applicants(ROUND)
    _select(qtbot, window, rows[0].uscc)
    QApplication.processEvents()
    assert window.detail.isVisible()
    return rows


def _in_view(table, column: int) -> bool:
    """The column is shown and lies wholly inside the table's viewport (no scrolling)."""
    rect = table.visualRect(table.model().index(0, column))
    return (
        not table.isColumnHidden(column)
        and rect.left() >= 0
        and rect.right() < table.viewport().width()
    )


def test_score_and_rank_are_in_view_at_1366x768(qtbot, window, service, sample_json):
    """At 1366×768 with the detail pane open, name, verdict, 得分 (its range whole), 排名 and the
    decision are in view without scrolling sideways."""
    rows = _scored_round(qtbot, window, service, sample_json, 1366, 768)
    table = window.table
    for column in NEEDED:
        assert _in_view(table, column), window.model.COLUMNS[column]
    assert table.horizontalHeader().length() <= table.viewport().width()
    metrics = table.fontMetrics()
    ranges = [window.model.COLUMN_SPECS[ApplicantColumn.SCORE].display(r) for r in rows]
    assert any("–" in text for text in ranges)  # e.g. 77–92 / 100
    widest = max(map(metrics.horizontalAdvance, ranges))
    assert table.columnWidth(ApplicantColumn.SCORE) >= widest


def test_the_window_fits_a_laptop_screen_with_its_frame(qtbot, window, service, sample_json):
    """The window's least width leaves a 1366 screen room for its frame, the round open."""
    _scored_round(qtbot, window, service, sample_json, 1366, 768)
    assert window.minimumSizeHint().width() <= 1120


def test_the_name_takes_the_room_left_and_wide_windows_show_every_column(
    qtbot, window, service, sample_json
):
    """The name column fills the table to its right edge; on a wide window the columns that
    gave way on the laptop screen (统一社会信用代码 …) come back."""
    _scored_round(qtbot, window, service, sample_json, 1366, 768)
    table, header = window.table, window.table.horizontalHeader()
    assert table.isColumnHidden(ApplicantColumn.USCC)
    assert header.length() == table.viewport().width()
    narrow = table.columnWidth(ApplicantColumn.NAME)
    assert narrow >= NAME_LEAST
    window.resize(1920, 1080)
    window._default_sizes()
    QApplication.processEvents()
    assert not any(table.isColumnHidden(c) for c in ApplicantColumn)
    assert header.length() == table.viewport().width()
    assert table.columnWidth(ApplicantColumn.NAME) >= NAME_LEAST


def test_a_column_hidden_from_the_header_menu_stays_hidden_after_a_restart(
    qtbot, window, service, sample_json, font
):
    """Unticking 地区 in the header's menu hides it, says how to bring it back, and a new
    window (even a wide one) keeps it hidden; 恢复默认列 shows it again."""
    from zjtx.ui.main_window import MainWindow
    from zjtx.ui.settings import AppSettings

    _scored_round(qtbot, window, service, sample_json, 1600, 960)
    assert not window.table.isColumnHidden(ApplicantColumn.REGION)
    messages: list[str] = []
    window.message.connect(messages.append)
    menu = window.columns.menu
    menu.aboutToShow.emit()
    region = next(a for a in menu.actions() if a.objectName() == "column-REGION")
    region.trigger()
    assert window.table.isColumnHidden(ApplicantColumn.REGION)
    assert "地区" in messages[-1] and "表头" in messages[-1]
    window.close()
    window.runner.wait(10000)

    again = MainWindow(service, AppSettings())
    qtbot.addWidget(again)
    again.resize(1920, 1080)
    again._default_sizes()
    again.show()
    with qtbot.waitSignal(again.rows_loaded, timeout=TIMEOUT):
        again.refresh_rounds(select=ROUND)
    again.round_tabs.show_table()
    QApplication.processEvents()
    assert again.table.isColumnHidden(ApplicantColumn.REGION)
    assert not again.table.isColumnHidden(ApplicantColumn.USCC)
    again.columns.menu.aboutToShow.emit()
    reset = next(a for a in again.columns.menu.actions() if a.text() == "恢复默认列")
    reset.trigger()
    assert not again.table.isColumnHidden(ApplicantColumn.REGION)
    again.runner.wait(10000)


def test_restoring_the_default_layout_brings_back_order_widths_and_columns(
    qtbot, window, service, sample_json
):
    """视图 → 恢复默认布局 after moving 得分 to the end, narrowing it and hiding 评审状态: 得分 is
    beside the verdict again, wide enough for its range, and 评审状态 is shown."""
    _scored_round(qtbot, window, service, sample_json, 1366, 768)
    table, header = window.table, window.table.horizontalHeader()
    wide = table.columnWidth(ApplicantColumn.SCORE)
    header.moveSection(header.visualIndex(ApplicantColumn.SCORE), header.count() - 1)
    table.setColumnWidth(ApplicantColumn.SCORE, 30)
    window.columns.set_shown(ApplicantColumn.STATUS, False)
    assert table.isColumnHidden(ApplicantColumn.STATUS)
    window.reset_layout()
    QApplication.processEvents()
    verdict = header.visualIndex(ApplicantColumn.VERDICT)
    assert header.visualIndex(ApplicantColumn.SCORE) == verdict + 1
    assert table.columnWidth(ApplicantColumn.SCORE) == wide
    for column in NEEDED:
        assert _in_view(table, column), window.model.COLUMNS[column]
