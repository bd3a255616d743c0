"""The main window on a working day: laptop screens, first start, closing mid-work, the keyboard."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import ROUND, ROUND_DATE
from tests.ui.test_workflow import TIMEOUT, _open_round_with_sample, _select
from zjtx.paths import resource_path
from zjtx.store import ImportCancelled
from zjtx.ui.models import ApplicantTableModel

ROOT = Path(__file__).resolve().parents[2]


def _fully_visible_rows(view, column: int = 0) -> int:
    """Rows of a table view whose whole height lies inside its viewport (in a shown column)."""
    viewport = view.viewport().rect()
    model = view.model()
    return sum(
        1
        for row in range(model.rowCount())
        if viewport.contains(view.visualRect(model.index(row, column)).adjusted(0, 0, 0, -1))
    )


def _column_visible(table, column: int) -> bool:
    header = table.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return (
        not table.isColumnHidden(column)
        and left >= 0
        and left + header.sectionSize(column) <= table.viewport().width()
    )


def _laptop_layout(
    qtbot, window, service, sample_json, width: int, height: int, table_rows: int = 4
) -> None:
    """The sample round on a window of ``width``×``height``: everything an evaluator needs fits."""
    window.resize(width, height)
    window._default_sizes()
    _open_round_with_sample(qtbot, window, sample_json).close()
    row = max(service.list_applicants(ROUND), key=lambda r: r.open_judgements)
    detail = _select(qtbot, window, row.uscc)
    assert len(detail.review.evaluation["criteria"]) >= 5
    qtbot.waitUntil(lambda: window.detail.criteria_view.viewport().height() > 0)
    QApplication.processEvents()
    assert window.width() == width and window.height() == height
    assert _column_visible(window.table, ApplicantTableModel.VERDICT_COLUMN)
    assert _column_visible(window.table, ApplicantTableModel.NAME_COLUMN)
    assert _fully_visible_rows(window.detail.criteria_view) >= 5
    assert _fully_visible_rows(window.table, ApplicantTableModel.NAME_COLUMN) >= table_rows
    rounds = window.rounds_list
    name_width = rounds.fontMetrics().horizontalAdvance(ROUND)
    assert rounds.viewport().width() >= name_width
    # The little-giant rulebooks give no score: 排名 and 得分 would stay empty, so they hide.
    assert window.table.isColumnHidden(ApplicantTableModel.RANK_COLUMN)
    assert window.table.isColumnHidden(ApplicantTableModel.SCORE_COLUMN)
    review_box = window.review_scroll.viewport().rect()
    assert QRect(review_box).width() >= 280


@pytest.mark.parametrize(("size", "table_rows"), [((1366, 768), 7), ((1280, 720), 5)])
def test_laptop_screens_show_the_verdict_and_five_criteria(
    qtbot, window, service, sample_json, size, table_rows
):
    """At 1366×768 and 1280×720: verdict column, ≥5 criteria rows, readable round names, and
    the table rows a 9,000-applicant round needs to be browsed (7 and 5, not 4)."""
    _laptop_layout(qtbot, window, service, sample_json, *size, table_rows)


def test_a_round_with_a_long_title_still_fits_a_laptop_screen(qtbot, window, service, sample_json):
    """A 创新型 round, whose tier and notices make a long title row, fits 1280 pixels: the
    title and counts wrap instead of widening the window."""
    service.create_round(
        "2026年创新型中小企业第一批（科技和创新型中小企业评价）",
        tier="innovative-sme",
        round_date=date(2026, 5, 1),
    )
    service.import_paths("2026年创新型中小企业第一批（科技和创新型中小企业评价）", [sample_json])
    window.resize(1280, 720)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select="2026年创新型中小企业第一批（科技和创新型中小企业评价）")
    window.round_tabs.show_table()
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= 1280
    assert window.width() <= 1280


@pytest.mark.slow
def test_laptop_layout_at_scale_factor_one_and_a_half(tmp_path):
    """QT_SCALE_FACTOR=1.5 on a 1920×1080 screen (1280×720 logical) passes the same checks."""
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM="offscreen")
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{__file__}::test_laptop_screens_show_the_verdict_and_five_criteria[size1-5]"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def test_scored_rounds_keep_rank_and_score_columns(qtbot, window, service, sample_json):
    """A round judged by a scored rulebook (专精特新 2022) shows 排名 and 得分."""
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name="专精特新", tier="srdi-sme", round_date=date(2025, 5, 1))
    service.import_paths("专精特新", [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    assert not window.table.isColumnHidden(ApplicantTableModel.SCORE_COLUMN)
    assert not window.table.isColumnHidden(ApplicantTableModel.RANK_COLUMN)


def test_side_panes_collapse_say_how_to_return_and_are_remembered(
    qtbot, service, sample_json, font
):
    """Ctrl+1/Ctrl+2 hide the rounds list and review pane; the sizes survive a restart."""
    from zjtx.ui.main_window import MainWindow
    from zjtx.ui.settings import AppSettings

    window = MainWindow(service, AppSettings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    messages: list[str] = []
    window.message.connect(messages.append)
    window.rounds_pane_action.trigger()
    assert window.splitter.sizes()[0] == 0
    assert not window.rounds_pane_action.isChecked()
    assert "Ctrl+1" in messages[-1] and "视图" in messages[-1]
    window.review_pane_action.trigger()
    assert window.splitter.sizes()[2] == 0
    assert "Ctrl+2" in messages[-1]
    window.close()
    window.runner.wait(10000)

    again = MainWindow(service, AppSettings())
    qtbot.addWidget(again)
    again.show()
    sizes = again.splitter.sizes()
    assert sizes[0] == 0 and sizes[2] == 0
    assert not again.rounds_pane_action.isChecked()
    again.rounds_pane_action.trigger()
    assert again.splitter.sizes()[0] > 0 and again.rounds_pane_action.isChecked()
    again.reset_layout()
    assert all(size > 0 for size in again.splitter.sizes())
    again.runner.wait(10000)


def test_table_shows_rulebook_names_not_ids(qtbot, window, service, sample_json):
    """评价标准 reads "2026 版标准"; the id is only in the tooltip."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    model = window.model
    cells = {model.index(r, ApplicantTableModel.RULEBOOK_COLUMN).data() for r in range(3)}
    assert cells == {"2026 版标准"}
    tip = model.index(0, ApplicantTableModel.RULEBOOK_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "小巨人" in tip and "little-giant-2026" in tip


# ---------------------------------------------------------------------- first start
def test_first_start_says_what_to_do_in_order(qtbot, window, service, sample_json):
    """An empty window shows 新建批次 → 导入申报数据 → 评审 → 导出, each with its button."""
    welcome = window.welcome
    assert window.table_stack.currentWidget() is welcome
    texts = [b.text() for b in welcome.buttons]
    assert [t.rstrip("…") for t in texts[:2]] == ["新建批次", "导入申报数据"]
    assert "评审" in texts[2] and "导出" in texts[3]
    assert [b.isEnabled() for b in welcome.buttons] == [True, False, False, False]
    assert "新建" in welcome.heading.text()
    assert not window.detail.isVisible()

    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    assert window.table_stack.currentWidget() is welcome
    assert [b.isEnabled() for b in welcome.buttons] == [True, True, False, False]
    assert welcome.marks[0].text() == "✓"
    assert "导入" in welcome.heading.text()
    qtbot.mouseClick(welcome.buttons[1], Qt.MouseButton.LeftButton)
    assert window.import_dialog is not None and window.import_dialog.isVisible()
    window.import_dialog.close()

    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    assert window.table_stack.currentIndex() == 1
    assert window.round_tabs.currentWidget() is window.round_tabs.overview  # a round opens on it
    assert not window.detail.isVisible()
    window.round_tabs.show_table()
    assert window.detail.isVisible()
    assert window.print_action.isEnabled() and window.export_action.isEnabled()


# ---------------------------------------------------------------------- closing mid-work
def _blocking_import(monkeypatch, service) -> threading.Event:
    """Make the store's import wait until cancelled (so the test controls the timing)."""
    started = threading.Event()

    def import_file(round_name, item, *, evaluator=None, progress=None, cancel=None, **_kw):
        started.set()
        while not (cancel is not None and cancel()):
            threading.Event().wait(0.02)
        raise ImportCancelled()

    monkeypatch.setattr(service, "import_file", import_file)
    return started


def test_closing_during_an_import_asks_first(qtbot, window, service, sample_json, monkeypatch):
    """Closing mid-import asks 继续导入 / 取消导入并退出 instead of silently cancelling it."""
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.open_import()
    dialog = window.import_dialog
    dialog.add_paths([sample_json])
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    started = _blocking_import(monkeypatch, service)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)

    assert window.close() is False
    question = window.close_question
    assert isinstance(question, QMessageBox)
    labels = [b.text() for b in question.buttons()]
    assert labels == ["继续导入", "取消导入并退出"] or sorted(labels) == sorted(
        ["继续导入", "取消导入并退出"]
    )
    keep = next(b for b in question.buttons() if b.text() == "继续导入")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert window.isVisible()
    assert window.running_work() == "导入"
    assert dialog.task is not None and not dialog.task.is_cancelled()

    assert window.close() is False
    quit_button = next(b for b in window.close_question.buttons() if "退出" in b.text())
    qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    assert dialog.task is None or dialog.task.is_cancelled()
    qtbot.waitUntil(lambda: window.runner.tasks() == [], timeout=TIMEOUT)


def test_closing_during_an_export_asks_first(qtbot, window, service, sample_json, tmp_path):
    """An export in progress is guarded the same way (继续导出 / 取消导出并退出)."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    window.open_export("reports")
    export = window.export_dialog
    export.folder.setText(str(tmp_path / "out"))
    gate = threading.Event()
    qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    export.task.signals.progress.connect(lambda *_: gate.set())
    qtbot.waitUntil(gate.is_set, timeout=TIMEOUT)
    if export.task is None:  # pragma: no cover - finished before the question could be asked
        pytest.fail("the export finished before the window was closed")
    assert window.close() is False
    texts = sorted(b.text() for b in window.close_question.buttons())
    assert texts == sorted(["继续导出", "取消导出并退出"])
    quit_button = next(b for b in window.close_question.buttons() if "退出" in b.text())
    qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)


def test_closing_with_an_opinion_typed_but_not_saved_asks_first(
    qtbot, window, service, sample_json
):
    """A decision and opinion typed but not saved keep the window open with a question:
    返回保存 keeps it, 丢弃并退出 closes it."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    _select(qtbot, window, service.list_applicants(ROUND)[0].uscc)
    window.review.opinion.setPlainText("请补充审计报告")
    assert window.close() is False
    question = window.close_question
    assert "有 1 家企业的决定或意见已填写但尚未保存" in question.text()
    keep = next(b for b in question.buttons() if b.text() == "返回保存")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.review.opinion.toPlainText() == "请补充审计报告"
    assert window.close() is False
    drop = next(b for b in window.close_question.buttons() if b.text() == "丢弃并退出")
    qtbot.mouseClick(drop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)


def test_closing_when_idle_asks_nothing(qtbot, window):
    """With nothing running the window just closes."""
    assert window.close() is True
    assert window.close_question is None


# ---------------------------------------------------------------------- per-applicant messages
def test_messages_clear_when_changing_applicant(qtbot, window, service, sample_json):
    """A refusal or 已保存 shown for one enterprise is gone when the next one is shown."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    rows = service.list_applicants(ROUND)
    first, second = rows[0], rows[1]
    review = window.review
    _select(qtbot, window, first.uscc)
    review.decision_combo.setCurrentIndex(review.decision_combo.findData("recommend"))
    review.opinion.setPlainText("")
    with qtbot.waitSignal(review.failed, timeout=TIMEOUT):
        review.save_decision()
    assert review.message.text()  # the refusal: an opinion is required
    review.criterion_reason.setText("半句理由")
    _select(qtbot, window, second.uscc)
    assert review.message.text() == ""
    assert review.criterion_reason.text() == ""

    review.decision_combo.setCurrentIndex(review.decision_combo.findData("return"))
    review.opinion.setPlainText("请补充审计报告")
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        review.save_decision()
    assert "已保存" in review.message.text()
    window.select_applicant(first.uscc)
    qtbot.waitUntil(
        lambda: review.state is not None and review.state.uscc == first.uscc, timeout=TIMEOUT
    )
    # The 推荐 chosen but refused on the first is kept as a draft, and said to be one.
    assert review.message.text() == "已恢复此前输入但未保存的决定与意见，请保存（Ctrl+S）"
    assert review.decision_combo.currentData() == "recommend"


def test_a_late_save_does_not_replace_the_applicant_on_screen(qtbot, window, service, sample_json):
    """A save that completes after the evaluator moved on leaves the new applicant shown."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    rows = service.list_applicants(ROUND)
    review = window.review
    _select(qtbot, window, rows[0].uscc)
    review.decision_combo.setCurrentIndex(review.decision_combo.findData("return"))
    review.opinion.setPlainText("请补充材料")
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        review.save_decision()
        window.select_applicant(rows[1].uscc)
        qtbot.waitUntil(lambda: review.state is not None and review.state.uscc == rows[1].uscc)
    qtbot.wait(50)
    assert review.state.uscc == rows[1].uscc
    assert rows[1].name in review.header.text()


def test_the_last_applicant_is_never_left_to_act_on_while_the_next_is_read(
    qtbot, window, service, sample_json, monkeypatch
):
    """Moving to another row blanks the review pane at once (nothing to confirm or decide on
    the last applicant), whatever reads are still running; the row reached is shown."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    rows = service.list_applicants(ROUND)
    _select(qtbot, window, rows[0].uscc)
    release = threading.Event()
    read: list[str] = []
    real = service.applicant_detail

    def slow(round_name, uscc):
        read.append(uscc)
        release.wait(10)
        return real(round_name, uscc)

    monkeypatch.setattr(service, "applicant_detail", slow)
    for row in rows[1:6]:
        window.select_applicant(row.uscc)
        assert window.review.state is None and not window.review.isEnabled()
        assert window.detail.title.text() == f"正在读取 {row.name} ……"
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda d: d.row.uscc == rows[5].uscc):  # fmt: skip
        release.set()
    assert window.review.state.uscc == rows[5].uscc and rows[5].name in window.review.header.text()
    window.runner.wait(5000)
    assert read  # (reads not yet started when passed over are skipped; how many depends on
    # the pool's threads, so it is not counted here)


# ---------------------------------------------------------------------- keyboard
def test_enter_acknowledges_the_selected_warning(qtbot, window, service):
    """Typing a reason and pressing Enter acknowledges the warning chosen in the review pane."""
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(
        ROUND, [resource_path("samples", "roster_2026.xlsx"), resource_path("samples", "forms")]
    )
    rows = [r for r in service.list_applicants(ROUND) if r.open_warnings]
    assert rows, "the sample roster plants import warnings"
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    row = rows[0]
    _select(qtbot, window, row.uscc)
    review = window.review
    code = review.warning_combo.currentData()
    assert code
    review.warning_reason.setText("已电话核实")
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        qtbot.keyClick(review.warning_reason, Qt.Key.Key_Return)
    state = service.review_state(ROUND, row.uscc)
    assert any(i.kind != "criterion" and i.target == code for i in state.items)


def test_clicking_a_criterion_row_picks_it_for_review(qtbot, window, service, sample_json):
    """A click on a row of the criteria table selects that criterion in the review pane."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    row = next(r for r in service.list_applicants(ROUND) if r.open_judgements)
    detail = _select(qtbot, window, row.uscc)
    criteria = detail.review.evaluation["criteria"]
    target = len(criteria) - 1
    view = window.detail.criteria_view
    view.scrollTo(view.model().index(target, 0))
    rect = view.visualRect(view.model().index(target, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.review.criterion_combo.currentData() == criteria[target]["id"]


def test_menus_show_shortcuts_and_the_detail_says_above(qtbot, window):
    """Every review and export command in the menus carries its shortcut; no 左侧表格."""
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    review = {a.text(): a.shortcut().toString() for a in menus["评审(&R)"].actions() if a.text()}
    assert review["确认/改判当前指标"] == "Ctrl+Return"
    assert review["保存决定"] == "Ctrl+S"
    assert review["下一家待评审"] == "F8"
    export = {a.text(): a.shortcut().toString() for a in menus["导出(&E)"].actions() if a.text()}
    assert export["打印评审意见表…"] == "Ctrl+P"
    assert "左侧表格" not in window.detail.title.text()
    assert "上方表格" in window.detail.title.text()


# ---------------------------------------------------------------------- printing from the window
def _print_into(monkeypatch, target: Path) -> None:
    """The print dialog answered with a PDF file: the rest of the path is the real one."""
    from PySide6.QtPrintSupport import QPrinter

    from zjtx.ui import printing

    def choose(printer, parent, on_accepted, page_count: int) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        on_accepted()

    monkeypatch.setattr(printing, "choose_printer", choose)
    monkeypatch.setattr(QMessageBox, "open", lambda self, *a: None)  # the closing message box


def test_ctrl_p_prints_the_current_applicants_report(
    qtbot, window, service, sample_json, tmp_path, monkeypatch
):
    """Ctrl+P in the window prints the selected applicant's 评审意见表: its pages, on A4."""
    from pypdf import PdfReader

    from zjtx.ui.outputs import run_export

    _open_round_with_sample(qtbot, window, sample_json).close()
    row = service.list_applicants(ROUND)[3]
    _select(qtbot, window, row.uscc)
    target = tmp_path / "printed.pdf"
    _print_into(monkeypatch, target)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    messages: list[str] = []
    window.message.connect(messages.append)
    qtbot.keyClick(window.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any("已打印" in m for m in messages), timeout=TIMEOUT)
    exported = run_export(service, ROUND, "report", tmp_path / "out", uscc=row.uscc)
    printed = PdfReader(target).pages
    assert len(printed) == len(PdfReader(exported.files[0]).pages) >= 2
    for page in printed:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595,
            842,
        )


def _printed(qtbot, window, monkeypatch, action, target: Path) -> list[str]:
    """Trigger a print action with the print dialog answered by ``target`` (a PDF file), and
    wait for its closing message; the window's messages."""
    _print_into(monkeypatch, target)
    messages: list[str] = []
    window.message.connect(messages.append)
    action.trigger()
    qtbot.waitUntil(lambda: any("已打印" in m for m in messages), timeout=TIMEOUT * 5)
    return messages


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def test_printing_the_whole_round_prints_every_report(
    qtbot, window, service, sample_json, tmp_path, monkeypatch
):
    """打印本批次全部评审意见表 sends every applicant's report: the pages add up."""
    from zjtx.ui.outputs import run_export

    _open_round_with_sample(qtbot, window, sample_json).close()
    target = tmp_path / "round.pdf"
    _printed(qtbot, window, monkeypatch, window.print_all_action, target)
    exported = run_export(service, ROUND, "reports", tmp_path / "out")
    assert _pages(target) == sum(_pages(p) for p in exported.files if "汇编" not in p.name)


def test_printing_the_chosen_applicants_prints_the_rows_the_filters_show(
    qtbot, window, service, sample_json, tmp_path, monkeypatch
):
    """打印所选企业评审意见表 with a verdict filter sends exactly those applicants' reports,
    and says how they were chosen; with nothing shown it prints nothing and says why."""
    from zjtx.ui.outputs import run_export

    _open_round_with_sample(qtbot, window, sample_json).close()
    rows = service.list_applicants(ROUND)
    shown = [r.uscc for r in rows if r.verdict == "not_qualified"]
    assert 0 < len(shown) < len(rows)
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findData("not_qualified"))
    target = tmp_path / "chosen.pdf"
    messages = _printed(qtbot, window, monkeypatch, window.print_chosen_action, target)
    assert (
        f"{len(shown)} 份评审意见表（当前筛选结果（{len(shown)} / {len(rows)} 家））"
        in messages[-1]
    )
    exported = run_export(service, ROUND, "chosen_reports", tmp_path / "out", usccs=shown)
    assert _pages(target) == sum(_pages(p) for p in exported.files if "汇编" not in p.name)

    window.search.setText("没有这家企业")
    window.apply_filters()
    assert window.proxy.rowCount() == 0
    window.print_chosen_action.trigger()
    assert messages[-1] == "表格中没有显示任何企业：请先调整筛选条件或选中企业"


def test_a_read_only_database_is_shown_and_nothing_offers_to_write(
    qtbot, service, sample_json, font
):
    """A store opened read-only: 数据库只读 in the status bar, no import/new round, the review
    pane says why; reading and exporting stay available."""
    from zjtx.ui.main_window import MainWindow
    from zjtx.ui.settings import AppSettings

    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [sample_json])
    reason = "数据文件夹 /srv/zjtx 只读：只能查看和导出"
    service.store.read_only_reason = reason
    window = MainWindow(service, AppSettings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=TIMEOUT)
    assert "只读" in window.read_only_label.text()
    assert window.read_only_label.toolTip() == reason
    assert not window.import_action.isEnabled()
    assert not window.new_round_action.isEnabled()
    assert window.export_action.isEnabled() and window.print_action.isEnabled()
    assert window.review.read_only == reason
    assert not window.review.decide_button.isEnabled()
    window.runner.wait(10000)


def test_the_keyboard_moves_from_search_to_table_to_review(qtbot, window, service, sample_json):
    """Esc clears the search; Tab leaves the table rather than walking its cells; Enter on a
    row puts the keyboard in the review pane."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.search.setFocus()
    window.search.setText("苏州")
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    row = service.list_applicants(ROUND)[0]
    _select(qtbot, window, row.uscc)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    assert not window.table.hasFocus()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    focused = QApplication.focusWidget()
    assert focused in (window.review.criterion_combo, window.review.decision_combo)


def test_the_shortcut_list_names_every_menu_shortcut(window):
    """帮助 → 快捷键 lists each shortcut the menus carry (新建批次, 重命名批次, 批量决定 …), read
    from the actions, and the table's own keys."""
    lines = window.shortcut_lines()
    text = "\n".join(lines)
    for expected in ("Ctrl+Shift+N　新建批次", "F2　重命名批次", "F8　下一家待评审",
                     "Ctrl+Shift+D　批量决定", "Ctrl+1　批次列表", "Esc　清除查找"):  # fmt: skip
        assert expected in text, expected
    assert len(lines) == len(set(lines))


def test_a_renewal_round_with_register_hints_keeps_five_criteria_at_1366x768(
    qtbot, window, service, tmp_path
):
    """A 2026 小巨人 复核 round with the register's 提示 above it and an applicant waiting on
    thirteen items: at 1366×768 the 提示 and 结论依据 keep to a line or two, five criteria
    rows show and the round's name is not clipped (the notices beside it are)."""
    from tests.registry_fixtures import write_list
    from zjtx.intake.published_list import read_published_list

    names = ["宁波慈溪家电配件有限公司", "宁波奉化气动元件有限公司"]
    head = (
        "企业名称,统一社会信用代码,所在省,所在市,所在区县,划型行业,申报类型,2025年营业收入（万元）"
    )
    rows = [
        f"{names[0]},913302003119005678,浙江省,宁波市,慈溪市,工业,复核,5000",
        f"{names[1]},91330200312058949J,浙江省,宁波市,奉化区,工业,复核,9999",
    ]
    roster = tmp_path / "r.csv"
    roster.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    service.create_round("R", tier="little-giant", round_date=date(2026, 6, 15), region="浙江省")
    service.import_paths("R", [roster])
    listed = write_list(tmp_path / "list.xlsx", names[:1], title="2023年专精特新小巨人企业名单")
    service.registry.import_list(read_published_list(listed), title="little-giant", year=2023)
    window.resize(1366, 768)
    window._default_sizes()
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select="R")
    window.round_tabs.show_table()
    banner = window.registry_recheck_banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=TIMEOUT)
    detail = _select(qtbot, window, "91330200312058949J")
    assert len(detail.review.evaluation["verdict_reasons"]) >= 10
    QApplication.processEvents()
    assert banner.text().count("<br>") == 0 and "查看说明" in banner.text()
    assert "待补充数据" in window.detail.summary.text()
    assert "结论依据" in window.detail.summary.toolTip()
    assert _fully_visible_rows(window.detail.criteria_view) >= 5
    title = window.round_title
    assert title.width() >= title.sizeHint().width()
