"""End to end in the window: round, import, verdicts, review, decision, PDF; conflicts."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.store.helpers import write_lead_product_sample
from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.store import StoreService, open_store
from zjtx.ui.export_dialog import ExportDialog
from zjtx.ui.import_dialog import ImportDialog

TIMEOUT = 60000


def _open_round_with_sample(qtbot, window, sample_json: Path) -> ImportDialog:
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    assert window.round_name == ROUND
    window.open_import()
    dialog = window.import_dialog
    assert isinstance(dialog, ImportDialog)
    dialog.add_paths([sample_json])
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    return dialog


def lead_product_round(qtbot, window, service, tmp_path) -> dict:
    """A 创新型 round of one sample applicant whose 主导产品 is at 40 % of revenue, open in the
    window; the applicant's record."""
    path = tmp_path / "lead.json"
    record = write_lead_product_sample(path)
    service.create_round(ROUND, tier="innovative-sme", round_date=ROUND_DATE)
    service.import_paths(ROUND, [path])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    return record


def _select(qtbot, window, uscc: str):
    # Its own detail: one read for the applicant shown before (after a save) may still land.
    with qtbot.waitSignal(
        window.detail_loaded, timeout=TIMEOUT, check_params_cb=lambda d: d.row.uscc == uscc
    ) as blocker:
        assert window.select_applicant(uscc)
    return blocker.args[0]


def test_round_from_import_to_printed_report(qtbot, window, service, sample_json, tmp_path):
    """Create a round, import the sample, review one applicant and print its report."""
    dialog = _open_round_with_sample(qtbot, window, sample_json)
    count = len(service.list_applicants(ROUND))
    assert count >= 20
    assert f"新增 {count} 家" in dialog.changes.item(0).text()

    model = window.model
    assert model.rowCount() == count
    labels = {model.index(r, model.VERDICT_COLUMN).data() for r in range(count)}
    assert labels <= {"符合条件", "不符合条件", "待定"} and len(labels) >= 2
    stored = {r.uscc: r.verdict_label for r in service.list_applicants(ROUND)}
    assert {model.row_at(r).uscc: model.index(r, 5).data() for r in range(count)} == stored

    row = next(r for r in service.list_applicants(ROUND) if r.open_judgements)
    detail = _select(qtbot, window, row.uscc)
    assert window.detail.criteria_model.rowCount() == len(detail.review.evaluation["criteria"])
    assert row.name in window.detail.title.text()

    review = window.review
    criterion = detail.review.open_judgements[0][0]
    review.criterion_combo.setCurrentIndex(review.criterion_combo.findData(criterion))
    review.met_radio.setChecked(True)
    review.criterion_reason.setText("已核对营业执照与信用中国查询结果")  # typed text
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(review.confirm_button, Qt.MouseButton.LeftButton)
    state = saved.args[0]
    assert state.version == 1
    assert criterion not in {cid for cid, _ in state.open_judgements}
    item = next(i for i in service.review_state(ROUND, row.uscc).items if i.target == criterion)
    assert (item.state, item.reason, item.evaluator) == (
        "met",
        "已核对营业执照与信用中国查询结果",
        "张评审",
    )

    review.decision_combo.setCurrentIndex(review.decision_combo.findData("reject"))
    review.opinion.setPlainText("研发费用未达标准，不予推荐。")
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        qtbot.mouseClick(review.decide_button, Qt.MouseButton.LeftButton)
    stored_state = service.review_state(ROUND, row.uscc)
    assert (stored_state.decision, stored_state.opinion) == (
        "reject",
        "研发费用未达标准，不予推荐。",
    )
    position = model.position_of(row.uscc)
    qtbot.waitUntil(lambda: model.index(position, model.DECISION_COLUMN).data() == "不推荐")
    history = window.detail.history

    def reasons() -> list[str]:
        return [history.item(r, 3).text() for r in range(history.rowCount())]

    qtbot.waitUntil(lambda: "已核对营业执照与信用中国查询结果" in reasons(), timeout=TIMEOUT)
    assert window.detail.versions.rowCount() == 1
    assert window.detail.versions.item(0, 1).text() == "applicants.json"

    window.open_export("report")
    export = window.export_dialog
    assert isinstance(export, ExportDialog)
    export.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(export.exported, timeout=TIMEOUT) as exported:
        qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    (pdf,) = exported.args[0].files
    assert pdf.exists() and pdf.suffix == ".pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert row.name in text
    assert "研发费用未达标准，不予推荐。" in text
    assert export.open_folder_button.isEnabled() and export.preview_button.isEnabled()
    export.show_preview()
    assert export.preview is not None and export.preview.document.pageCount() >= 1


def test_round_outputs_summary_publicity_and_results(qtbot, window, service, sample_json, tmp_path):
    """推荐汇总表, 公示名单 and the Excel results are written from the stored round."""
    _open_round_with_sample(qtbot, window, sample_json)
    window.open_export("summary_pdf")
    export = window.export_dialog
    export.folder.setText(str(tmp_path / "out"))
    written = {}
    for kind in ("summary_pdf", "publicity_xlsx", "results_xlsx"):
        export.kind.setCurrentIndex(export.kind.findData(kind))
        with qtbot.waitSignal(export.exported, timeout=TIMEOUT) as exported:
            qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
        written[kind] = exported.args[0].files[0]
    summary_text = "".join(p.extract_text() for p in PdfReader(written["summary_pdf"]).pages)
    first = service.list_applicants(ROUND)[0]
    assert first.name in summary_text
    from openpyxl import load_workbook

    results = load_workbook(written["results_xlsx"], read_only=True)
    cells = {str(c) for row in results.worksheets[0].iter_rows(values_only=True) for c in row}
    assert first.uscc in cells
    assert written["publicity_xlsx"].stat().st_size > 0


def test_conflict_dialog_when_another_evaluator_saved_first(
    qtbot, window, service, sample_json, database_url
):
    """A save over a newer version opens the conflict dialog with both versions; nothing lost."""
    _open_round_with_sample(qtbot, window, sample_json)
    row = service.list_applicants(ROUND)[0]
    _select(qtbot, window, row.uscc)
    assert window.review.state.version == 0

    other_store = open_store(database_url)
    try:
        StoreService(other_store).decide(
            ROUND, row.uscc, "return", "请补充近两年审计报告", evaluator="李组长",
            expected_version=0,
        )  # fmt: skip
    finally:
        other_store.close()

    review = window.review
    review.decision_combo.setCurrentIndex(review.decision_combo.findData("reject"))
    review.opinion.setPlainText("不符合条件")
    with qtbot.waitSignal(review.conflict, timeout=TIMEOUT) as shown:
        qtbot.mouseClick(review.decide_button, Qt.MouseButton.LeftButton)
    dialog = shown.args[0]
    assert dialog.isVisible()
    assert "已被他人修改" in dialog.findChild(type(review.header)).text()
    assert "不推荐" in dialog.mine_text.toPlainText()
    theirs = dialog.theirs_text.toPlainText()
    assert "退回补充材料" in theirs and "请补充近两年审计报告" in theirs and "李组长" in theirs
    assert service.review_state(ROUND, row.uscc).decision == "return"  # the other save stays

    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.state is not None and review.state.version == 1)
    assert review.opinion.toPlainText() == "请补充近两年审计报告"
    assert service.review_state(ROUND, row.uscc).decision == "return"


def test_review_rule_errors_are_shown_and_save_nothing(qtbot, window, service, sample_json):
    """A confirmation without a reason is refused with the store's Chinese message."""
    _open_round_with_sample(qtbot, window, sample_json)
    row = next(r for r in service.list_applicants(ROUND) if r.open_judgements)
    _select(qtbot, window, row.uscc)
    with qtbot.waitSignal(window.review.failed, timeout=TIMEOUT) as failed:
        qtbot.mouseClick(window.review.confirm_button, Qt.MouseButton.LeftButton)
    assert "理由" in failed.args[0]
    assert "理由" in window.review.message.text()
    assert service.review_state(ROUND, row.uscc).version == 0


def test_filters_search_and_next_pending(qtbot, window, service, sample_json):
    """Filter combos and search narrow the table; F8 walks to the next undecided applicant."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    rows = service.list_applicants(ROUND)
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findData("pending"))
    assert window.proxy.rowCount() == sum(1 for r in rows if r.verdict == "pending")
    window.verdict_filter.setCurrentIndex(0)
    window.open_filter.setCurrentIndex(window.open_filter.findData("judgements"))
    assert 0 < window.proxy.rowCount() == sum(1 for r in rows if r.open_judgements)
    window.open_filter.setCurrentIndex(0)
    window.search.setText("杭州")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == sum(1 for r in rows if "杭州" in r.name))
    window.search.clear()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == len(rows))
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT) as first:
        qtbot.keyClick(window.table, Qt.Key.Key_F8)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT) as second:
        qtbot.keyClick(window.table, Qt.Key.Key_F8)
    order = [window.proxy.index(i, 1).data() for i in range(window.proxy.rowCount())]
    # Nothing is decided yet, so the next pending applicant is the next row.
    assert order.index(second.args[0].row.uscc) == order.index(first.args[0].row.uscc) + 1
    assert window.table.currentIndex().data() is not None


def test_detail_shows_figures_with_their_provenance(qtbot, window, service, sample_json):
    """Every figure of the applicant is listed with the file and cell it was read from."""
    _open_round_with_sample(qtbot, window, sample_json)
    row = service.list_applicants(ROUND)[0]
    detail = _select(qtbot, window, row.uscc)
    figures = window.detail.figures
    values = {k: v for k, v in detail.applicant.values.items() if v is not None}
    assert figures.rowCount() == len(values)
    sources = [figures.item(r, 2).text() for r in range(figures.rowCount())]
    assert all(s.startswith("applicants.json") for s in sources)
    labels = [figures.item(r, 0).text() for r in range(figures.rowCount())]
    assert "企业名称" in labels
    assert "来源：applicants.json" in figures.item(0, 1).toolTip()


def test_all_reports_with_progress_and_cancel(qtbot, window, service, sample_json, tmp_path):
    """All reports of the round: one PDF each plus the combined file; cancel stops the export."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    count = len(service.list_applicants(ROUND))
    window.open_export("reports")
    export = window.export_dialog
    export.folder.setText(str(tmp_path / "out"))
    qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    export.task.signals.progress.connect(lambda done, total: export.cancel())
    qtbot.waitUntil(lambda: export.task is None, timeout=TIMEOUT)
    assert "已取消" in export.status.text()
    assert not export.open_folder_button.isEnabled()

    progress: list[int] = []
    export.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(export.exported, timeout=TIMEOUT * 5) as exported:
        qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    outcome = exported.args[0]
    pdfs = sorted(p for p in outcome.folder.iterdir() if p.suffix == ".pdf")
    assert len(pdfs) == count + 1
    assert outcome.files[-1].name == "评审意见表汇编.pdf" or "汇编" in outcome.files[-1].name
    assert len(PdfReader(outcome.files[-1]).outline) == count
    assert len(set(progress)) >= 3


def test_review_loop_keyboard_shortcuts(qtbot, window, service, sample_json):
    """Ctrl+Enter confirms the chosen item and Ctrl+S saves the decision, without the mouse."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    row = next(r for r in service.list_applicants(ROUND) if r.open_judgements)
    _select(qtbot, window, row.uscc)
    review = window.review
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    review.criterion_reason.setText("电话核实")
    review.criterion_reason.setFocus()
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        qtbot.keyClick(
            review.criterion_reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert any(i.reason == "电话核实" for i in service.review_state(ROUND, row.uscc).items)
    review.decision_combo.setCurrentIndex(review.decision_combo.findData("return"))
    review.opinion.setPlainText("请补充材料")
    review.opinion.setFocus()
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        qtbot.keyClick(review.opinion, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert service.review_state(ROUND, row.uscc).decision == "return"


def test_double_clicking_an_issue_jumps_to_the_applicant(qtbot, window, service, tmp_path):
    """An import warning double-clicked in the wizard selects its applicant in the table."""
    import json

    from tests.ui.conftest import write_synthetic_json

    source = write_synthetic_json(tmp_path / "申报.json", 4)
    data = json.loads(source.read_text(encoding="utf-8"))
    data[1]["employees_y1"], data[1]["rd_staff_y1"] = 3, 30  # a warning: please check
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dialog = _open_round_with_sample(qtbot, window, source)
    warned = [dialog.issues_model.issue_at(r) for r in range(dialog.issues_model.rowCount())]
    issue = next(i for i in warned if i.uscc and i.severity == "warning")
    view = dialog.issues_view
    proxy_row = next(
        r for r in range(view.model().rowCount()) if view.model().index(r, 6).data() == issue.uscc
    )
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT) as loaded:
        dialog._jump(view.model().index(proxy_row, 1))
    assert loaded.args[0].row.uscc == issue.uscc


def test_review_hint_says_why_a_lead_product_item_waits_and_its_range(
    qtbot, window, service, tmp_path
):
    """The review pane's hint for IN22-S1 at a 40 % 主导产品 shows the end of its requirement
    (why it waits) and the points it can still earn, not the first 40 characters only."""
    record = lead_product_round(qtbot, window, service, tmp_path)
    detail = _select(qtbot, window, record["uscc"])
    item = next(c for c in detail.review.evaluation["criteria"] if c["id"] == "IN22-S1")
    review = window.review
    review.criterion_combo.setCurrentIndex(review.criterion_combo.findData("IN22-S1"))
    hint = review.criterion_hint.text()
    assert hint.startswith("待人工确认：")
    assert (
        "申报的主导产品收入未超过营业收入的50%的，所满足档次的分值需评审人按企业实际主导产品核实"
        in hint
    )
    assert hint.endswith(f"（可得 {item['points_min']}–{item['points_max']} 分）")
    assert item["requirement"] in review.criterion_hint.toolTip()


def test_review_hint_says_whether_saving_confirms_or_overrides(qtbot, window, service):
    """The hint and button name what 保存 records: a 改判 of what the data decided (and the
    改判 already made), or a confirmation of a judgement item, also when confirmed already."""
    from zjtx.paths import resource_path

    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")])
    row = next(r for r in service.list_applicants(ROUND) if r.open_judgements)
    criteria = service.review_state(ROUND, row.uscc).evaluation["criteria"]
    judged = next(c for c in criteria if c["state"] == "manual")
    computed = next(c for c in criteria if c["state"] == "met" and c["id"] != judged["id"])
    service.confirm_criterion(ROUND, row.uscc, judged["id"], "met", "已核实证明材料")
    service.confirm_criterion(ROUND, row.uscc, computed["id"], "unmet", "审计报告与申报不符")
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    _select(qtbot, window, row.uscc)
    review = window.review

    review.criterion_combo.setCurrentIndex(review.criterion_combo.findData(judged["id"]))
    assert review.criterion_hint.text() == "已确认为“符合”；如需更正，重新确认并写明理由。"
    assert review.confirm_button.text() == "确认此项（Ctrl+Enter）"
    review.criterion_combo.setCurrentIndex(review.criterion_combo.findData(computed["id"]))
    assert review.criterion_hint.text() == (
        "计算结果为“符合”，已改判为“不符合”；选回“符合”即撤回改判，均须写明理由。"
    )
    assert review.confirm_button.text() == "改判此项（Ctrl+Enter）"
    untouched = next(
        c for c in criteria if c["state"] == "unmet" or (c["state"] == "met" and c is not computed)
    )
    review.criterion_combo.setCurrentIndex(review.criterion_combo.findData(untouched["id"]))
    assert review.criterion_hint.text() == (
        f"计算结果为“{untouched['state_label']}”；改判须写明理由。"
    )


def _hint(qtbot, window, uscc: str, criterion: str) -> tuple[str, str]:
    """The review pane's hint and button for one criterion of an applicant, in the window."""
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    _select(qtbot, window, uscc)
    review = window.review
    review.criterion_combo.setCurrentIndex(review.criterion_combo.findData(criterion))
    return review.criterion_hint.text(), review.confirm_button.text()


def test_review_hint_after_new_data_decided_a_confirmed_judgement_item(
    qtbot, window, service, tmp_path
):
    """SR26-0 of a 金融业 enterprise confirmed 符合 while open, then data saying it is in the
    经营异常名录: the hint says what was confirmed and what the data now say, and that saving
    now is a 改判."""
    from tests.store.helpers import make_uscc
    from tests.store.test_real_rulebooks import _write, finance_record

    record = finance_record(1)
    service.create_round(ROUND, tier="srdi-sme", round_date=ROUND_DATE)
    service.import_paths(ROUND, [_write(tmp_path / "a.json", record)])
    service.confirm_criterion(ROUND, make_uscc(1), "SR26-0", "met", "按金融业划型属于小型企业")
    corrected = {**record, "abnormal_operation": True}
    service.import_paths(ROUND, [_write(tmp_path / "b.json", corrected)])
    assert _hint(qtbot, window, make_uscc(1), "SR26-0") == (
        "已确认为“符合”，现按申报数据计算为“不符合”；改判须写明理由。",
        "改判此项（Ctrl+Enter）",
    )


def test_review_hint_for_a_judgement_item_waiting_for_data(qtbot, window, service, tmp_path):
    """LG22-3a without a market share: saving confirms its judgement part (not a 改判), and
    the hint says the missing data are still needed."""
    from datetime import date

    from tests.store.helpers import make_uscc
    from tests.store.test_real_rulebooks import _write, lg22_without_share

    service.create_round(ROUND, tier="little-giant", round_date=date(2024, 6, 1))
    service.import_paths(ROUND, [_write(tmp_path / "a.json", lg22_without_share(1))])
    assert _hint(qtbot, window, make_uscc(1), "LG22-3a") == (
        "计算结果为“待补充数据”；确认的是其中需人工判断的部分，缺少的数据仍须补充。",
        "确认此项（Ctrl+Enter）",
    )


def test_reports_of_the_applicants_the_filters_show(qtbot, window, service, sample_json, tmp_path):
    """所选企业评审意见表: the rows the filters show (or those selected), one PDF each and a
    combined file in a folder of their own; the dialog says which and how many."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    rows = service.list_applicants(ROUND)
    shown = sorted(r.uscc for r in rows if r.verdict == "not_qualified")
    assert 0 < len(shown) < len(rows)
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findData("not_qualified"))
    window.open_export("chosen_reports")
    export = window.export_dialog
    assert f"当前筛选结果（{len(shown)} / {len(rows)} 家）" in export.kind.currentText()
    export.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(export.exported, timeout=TIMEOUT * 5) as exported:
        qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    outcome = exported.args[0]
    singles = [p for p in outcome.files if "汇编" not in p.name]
    assert sorted(p.name.split("_")[0] for p in singles) == shown
    assert outcome.folder.name == f"{ROUND}_评审意见表_所选{len(shown)}家"
    assert len(PdfReader(outcome.files[-1]).outline) == len(shown)
    assert f"已生成 {len(shown)} 份评审意见表及汇编" in export.status.text()


def test_chosen_reports_refuse_when_the_table_shows_another_round(
    qtbot, window, service, sample_json, tmp_path
):
    """An export dialog left open on one round, the window switched to another: 所选 names
    the mismatch in red and exports nothing, rather than one round's reports for the other's
    rows."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    window.open_export("chosen_reports")
    export = window.export_dialog
    export.folder.setText(str(tmp_path / "out"))
    service.create_round("另一批次", tier="srdi-sme", round_date=ROUND_DATE)
    service.import_paths("另一批次", [sample_json])
    window.refresh_rounds(select="另一批次")
    # The import's own reload of the first round may report first: wait for the second's rows.
    qtbot.waitUntil(
        lambda: window.round_name == "另一批次" and not window._loading_rows, timeout=TIMEOUT
    )
    assert export.isVisible()
    qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    assert export.task is None
    assert export.status.text() == (
        f"窗口的表格现在显示的是另一个批次：请回到批次 “{ROUND}” 再导出所选企业"
    )
    assert "另一个批次" in export.kind.currentText()
    assert not (tmp_path / "out").exists()
    # 当前企业 too: the applicant selected now is the other round's.
    window.select_applicant(service.list_applicants("另一批次")[0].uscc)
    export.kind.setCurrentIndex(export.kind.findData("report"))
    qtbot.mouseClick(export.start_button, Qt.MouseButton.LeftButton)
    assert export.task is None
    assert export.status.text() == (
        f"窗口的表格现在显示的是另一个批次：请回到批次 “{ROUND}” 再导出当前企业"
    )
    assert not (tmp_path / "out").exists()


def test_saving_keeps_the_item_in_hand_and_what_was_typed(qtbot, window, service, sample_json):
    """After a 改判 is saved the 指标 box stays on that item and its result shows its new
    state; the next item chosen starts at its own state, so a second Ctrl+Enter never 改判s
    another item. A decision and opinion typed but not saved survive saving a warning or a
    criterion, and moving to another applicant and back; Tab leaves 意见 without a tab."""
    _open_round_with_sample(qtbot, window, sample_json).close()
    rows = service.list_applicants(ROUND)
    first, second = rows[0], rows[1]
    _select(qtbot, window, first.uscc)
    review = window.review
    met = [c for c in review.state.evaluation["criteria"] if c["state"] == "met"]
    target, other = met[-1]["id"], met[0]["id"]
    review.decision_combo.setCurrentIndex(review.decision_combo.findData("return"))
    review.opinion.setPlainText("请补充审计报告")
    assert review.select_criterion(target)
    assert review.met_radio.isChecked()
    review.unmet_radio.setChecked(True)
    review.criterion_reason.setText("审计报告与申报不符")
    # Read again in the background (a reload after an import elsewhere): nothing picked or
    # typed is reset under the evaluator's hand.
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        window.load_detail(first.uscc)
    assert review.criterion_combo.currentData() == target and review.unmet_radio.isChecked()
    assert review.criterion_reason.text() == "审计报告与申报不符"
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT):
        review.confirm_criterion()
    assert review.criterion_combo.currentData() == target
    assert review.unmet_radio.isChecked()
    assert (review.decision_combo.currentData(), review.opinion.toPlainText()) == (
        "return", "请补充审计报告"
    )  # fmt: skip
    assert review.select_criterion(other) and review.met_radio.isChecked()

    _select(qtbot, window, second.uscc)
    assert review.opinion.toPlainText() != "请补充审计报告"
    _select(qtbot, window, first.uscc)
    assert review.opinion.toPlainText() == "请补充审计报告"
    assert "未保存" in review.message.text()

    review.opinion.setFocus()
    qtbot.keyClick(review.opinion, Qt.Key.Key_Tab)
    assert "\t" not in review.opinion.toPlainText()
    assert service.review_state(ROUND, first.uscc).decision is None


def test_an_import_refreshes_the_applicant_shown_and_keeps_the_tab(
    qtbot, window, service, sample_json, tmp_path
):
    """Importing changed data for the applicant on screen shows its new version at once, and
    the 企业列表 tab the evaluator works in stays in front."""
    import json

    _open_round_with_sample(qtbot, window, sample_json).close()
    records = json.loads(sample_json.read_text(encoding="utf-8"))
    first = records[0]
    before = _select(qtbot, window, first["uscc"])
    assert window.round_tabs.showing_table() and len(before.versions) == 1
    changed = dict(first, rd_expense_y1=round(float(first.get("rd_expense_y1") or 0) + 7, 2))
    path = tmp_path / "更正.json"
    path.write_text(json.dumps([changed], ensure_ascii=False), encoding="utf-8")
    window.open_import()
    dialog = window.import_dialog
    dialog.add_paths([path])  # after an import: a new one, of this file alone
    assert dialog.paths == [path]
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    shown = []
    window.detail_loaded.connect(shown.append)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(len(d.versions) == 2 for d in shown), timeout=TIMEOUT)
    dialog.close()
    assert window.detail.detail is not None and len(window.detail.detail.versions) == 2
    assert window.round_tabs.showing_table()
