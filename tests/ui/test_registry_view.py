"""The 培育库 window, list imports by drag-and-drop, an applicant's 培育库 tab and the round's 认定
mark, driven through the real widgets against a real SQLite store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.registry_fixtures import list_names, write_docx_list, write_list
from tests.store.helpers import make_uscc
from tests.store.test_real_rulebooks import COMPLETE
from zjtx.intake.published_list import read_published_list
from zjtx.ui.registry_view import this_year

TIMEOUT = 30000
ROUND = "2026小巨人"


def _import(service, path: Path, title: str, year: int) -> None:
    service.registry.import_list(read_published_list(path), title=title, year=year)


@pytest.fixture
def registered(service, tmp_path):
    """300 专精特新 due this year and 100 创新型 due next year (3 years' validity)."""
    srdi_year = this_year() - 3
    _import(service, write_list(tmp_path / "专精特新.xlsx", list_names(300)), "srdi-sme", srdi_year)
    inno_year = this_year() + 1 - 3
    _import(
        service,
        write_list(tmp_path / "创新型.xlsx", list_names(100, start=500), title="创新型名单"),
        "innovative-sme",
        inno_year,
    )
    return inno_year


def _open_view(window, qtbot):
    view = window.open_registry()
    qtbot.waitUntil(lambda: len(view.entries) > 0, timeout=TIMEOUT)
    return view


def _drop(widget, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    widget.dropEvent(event)


def test_the_view_filters_counts_and_shows_renewals_due(window, qtbot, registered):
    """Filters by title, year, region, status and name narrow the rows; counts follow."""
    view = _open_view(window, qtbot)
    assert view.model.rowCount() == 400
    assert f"{this_year() + 1} 年到期应复核 100 项" in view.counts.text()
    view.title_filter.setCurrentIndex(view.title_filter.findData("srdi-sme"))
    assert view.model.rowCount() == 300
    view.year_filter.setCurrentIndex(view.year_filter.findData(this_year() - 3))
    view.region_filter.setText("南京市")
    assert view.model.rowCount() == 60
    assert "显示 60 / 400 项" in view.counts.text()
    view.region_filter.clear()
    view.search.setText(list_names(300)[3].replace("（", "(").replace("）", ")"))
    assert [e.name for e in view.model.entries] == [list_names(300)[3]]
    view.search.clear()
    view.title_filter.setCurrentIndex(0)
    view.year_filter.setCurrentIndex(0)
    view.due_only.setChecked(True)
    assert view.model.rowCount() == 100
    assert {e.year for e in view.model.entries} == {registered}
    view.due_only.setChecked(False)
    view.status_filter.setCurrentIndex(view.status_filter.findData("revoked"))
    assert view.model.rowCount() == 0


def test_choosing_a_row_shows_the_enterprises_history(window, qtbot, service, registered):
    """A row's enterprise: every state of its titles (a revocation too) in the lower pane."""
    name = list_names(300)[5]
    service.registry.revoke(name, title="srdi-sme", reason="复核不合格")
    view = _open_view(window, qtbot)
    view.search.setText(name)
    with qtbot.waitSignal(view.history_loaded, timeout=TIMEOUT):
        view.table.selectRow(0)
    table = view.history.titles
    assert table.rowCount() == 2
    assert table.item(0, 3).text() == "已认定（已被取代）"
    assert (table.item(1, 3).text(), table.item(1, 6).text()) == ("已撤销", "复核不合格")
    assert "培育库中没有有效期内的称号" in view.history.heading.text()


def test_dropping_lists_imports_them_off_the_gui_thread(window, qtbot, service, tmp_path):
    """A .docx list and a bad .xlsx dropped on the view: the good one enters the register, the
    bad one is refused with its row named in Chinese, and nothing of it is written; a PDF
    dropped with them is said to be left out."""
    _import(service, write_list(tmp_path / "旧.xlsx", list_names(3, start=900)), "srdi-sme", 2023)
    view = _open_view(window, qtbot)
    good = write_docx_list(tmp_path / "小巨人.docx", list_names(20, start=700))
    names = list_names(4, start=800)
    names[3] = names[1]
    bad = write_list(tmp_path / "重复.xlsx", names)
    _drop(view, [good, bad, tmp_path / "说明.pdf"])
    assert "未导入 说明.pdf：名单只能是" in view.statusBar().currentMessage()
    dialog = view.import_dialog
    assert dialog is not None and [p.name for p in dialog.paths()] == ["小巨人.docx", "重复.xlsx"]
    dialog.title.setCurrentIndex(dialog.title.findData("little-giant"))
    dialog.year.setValue(2025)
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        dialog.import_button.click()
    text = dialog.result.toPlainText()
    assert "小巨人.docx：20 行，新增 20 项" in text
    assert "重复.xlsx" in text and "第 4 行" in text and "在名单中出现 2 次" in text
    assert len(view.entries) == 23
    giants = service.registry.list_entries(title="little-giant")
    assert {(e.year, e.level, e.source_sheet) for e in giants} == {(2025, "national", "表1")}


def test_importing_a_list_says_where_absence_still_goes_unchecked(window, qtbot, service, tmp_path):
    """A 2024 list imported in the window for an open 2026 round: the result says, in the
    window's words, that a renewal's absence is checked only against the 2023 list and a
    declared title's against 2023–2025, which are not imported."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "applicants.json"
    record = {**COMPLETE, "name": "无锡从未入库科技有限公司", "uscc": make_uscc(1)}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])
    view = window.open_registry()  # the register is empty
    dialog = view.open_import([write_list(tmp_path / "2024.xlsx", list_names(5))])
    dialog.title.setCurrentIndex(dialog.title.findData("srdi-sme"))
    dialog.year.setValue(2024)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: "2024.xlsx：" in dialog.result.toPlainText(), timeout=TIMEOUT)
    text = dialog.result.toPlainText()
    assert "2024.xlsx：5 行，新增 5 项" in text
    assert (
        f"提示：批次 “{ROUND}”：培育库中虽有专精特新中小企业 5 条记录，但未导入 2023、2025 年的"
        "该称号名单" in text
    )
    assert "文件 → 培育库… → 导入名单…" in text and "zjtx " not in text


def test_exports_from_the_view_are_read_back(window, qtbot, registered, tmp_path):
    """The register as shown (filtered) to Excel; next year's 到期复核提醒 as PDF and Excel."""
    view = _open_view(window, qtbot)
    view.title_filter.setCurrentIndex(view.title_filter.findData("innovative-sme"))
    with qtbot.waitSignal(view.exported, timeout=TIMEOUT):
        view.export_register(tmp_path / "培育库.xlsx")
    sheet = load_workbook(tmp_path / "培育库.xlsx").active
    assert sheet.max_row == 101 and sheet.cell(2, 6).value == "创新型中小企业"
    due_year = this_year() + 1
    with qtbot.waitSignal(view.exported, timeout=TIMEOUT):
        view.export_due(tmp_path / "提醒.pdf", due_year)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "提醒.pdf").pages)
    assert f"{due_year} 年到期复核提醒" in text and "共 100 家" in text
    with qtbot.waitSignal(view.exported, timeout=TIMEOUT):
        view.export_due(tmp_path / "提醒.xlsx", due_year)
    assert load_workbook(tmp_path / "提醒.xlsx").worksheets[0].max_row == 101


def _round_with_warning(service, tmp_path) -> str:
    names = list_names(10)
    _import(service, write_list(tmp_path / "l.xlsx", names), "srdi-sme", 2025)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1))
    half = names[3].replace("（", "(").replace("）", ")")
    records = [{**COMPLETE, "name": half, "uscc": make_uscc(1), "holds_srdi": False}]
    path = tmp_path / "applicants.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])
    return make_uscc(1)


def test_the_applicant_tab_shows_the_warning_and_accepts_the_register(
    window, qtbot, service, tmp_path
):
    """The warning is in 导入提示 and in the 培育库 tab beside the titles on record; 采用培育库
    记录 makes a new version (provenance 培育库) and the warning leaves the detail."""
    uscc = _round_with_warning(service, tmp_path)
    window.refresh_rounds(select=ROUND)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=TIMEOUT)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        window.select_applicant(uscc)
    model = window.detail.issues_model
    codes = [model.issue_at(i).code for i in range(model.rowCount())]
    assert "registry-declared-contradicted" in codes
    tabs = window.detail.tabs
    tab = tabs.indexOf(window.registry_pane)
    assert tabs.tabText(tab) == "培育库（1）"
    pane = window.registry_pane
    qtbot.waitUntil(lambda: pane.history.titles.rowCount() == 1, timeout=TIMEOUT)
    assert "专精特新中小企业（有效期至 2028 年）" in pane.history.heading.text()
    assert pane.warnings_table.item(0, 0).text().startswith(f"企业 “{pane.detail.row.name}”")
    assert pane.accept_button.isEnabled()
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        pane.accept_button.click()
    qtbot.waitUntil(lambda: tabs.tabText(tab) == "培育库", timeout=TIMEOUT)
    detail = service.applicant_detail(ROUND, uscc)
    assert detail.applicant.values["holds_srdi"] is True
    assert detail.applicant.provenance["holds_srdi"].file == "培育库"
    assert "否→是" in pane.status.text()
    assert not pane.accept_button.isEnabled()


def _recommended_round(service, tmp_path, name: str, **extra) -> str:
    """The round with one applicant (``name``), its open items confirmed and 推荐 decided;
    its 统一社会信用代码."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    uscc = make_uscc(1)
    path = tmp_path / "applicants.json"
    record = {**COMPLETE, "name": name, "uscc": uscc, **extra}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])
    state = service.review_state(ROUND, uscc)
    service.apply_review(
        ROUND, uscc, evaluator="张评审", confirm=[(c[0], "met") for c in state.open_judgements],
        ack_warnings=[w.code for w in state.open_warnings],
        reason="材料齐全", decision="recommend", opinion="同意推荐",
    )  # fmt: skip
    return uscc


def test_marking_the_round_recognised_from_the_window(
    window, qtbot, service, tmp_path, monkeypatch
):
    """批次 → 标记为已认定: the 推荐 applicant enters the register with the round as source."""
    uscc = _recommended_round(service, tmp_path, "甲(南京)科技有限公司")
    window.refresh_rounds(select=ROUND)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=TIMEOUT)
    assert window.recognise_action in window.menuBar().actions()[1].menu().actions()
    window.ask_recognise()
    dialog = window.recognise_dialog
    assert dialog.year.value() == 2026 and dialog.valid_years.value() == 3
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as message:
        dialog.accept()
    assert "推荐 1 家，新增 1 项" in message.args[0]
    # One's own round is not a published list: absence from the register proves nothing (of
    # the round's title, nor of 创新型 its applicant declares), said above the round.
    assert "；另有 2 条提示：培育库未能核对企业是否已获称号" in message.args[0]
    banner = window.registry_recheck_banner
    qtbot.waitUntil(lambda: banner.text().startswith("提示：培育库"), timeout=TIMEOUT)
    # Two 提示 of a sentence each: one line above the round, each in full in its tooltip.
    assert "本批次有 2 处未作“没有记录”的核对" in banner.text()
    assert "文件 → 培育库… → 导入名单…" in banner.toolTip() and "zjtx " not in banner.toolTip()
    shown = []
    monkeypatch.setattr(
        "zjtx.ui.registry_recheck_banner.QMessageBox.information",
        lambda _parent, title, text: shown.append((title, text)),
    )
    banner.linkActivated.emit("unchecked")  # 查看说明…: every 提示 in full
    assert shown == [("培育库核对提示", banner.toolTip().replace("\n", "\n\n"))]
    entries = service.registry.list_entries(title="srdi-sme")
    assert [(e.uscc, e.source_file, e.year, e.status) for e in entries] == [
        (uscc, f"评审批次 {ROUND}", 2026, "recognised")
    ]


def test_an_acknowledged_registry_warning_prints_in_the_report(service, tmp_path):
    """The register's warning, acknowledged with a reason, is printed in the 评审意见表."""
    from zjtx.ui.outputs import run_export

    uscc = _round_with_warning(service, tmp_path)
    reason = "企业提供了认定文件，申报表填写有误"
    service.apply_review(
        ROUND, uscc, evaluator="张评审", ack_warnings=["registry-declared-contradicted"],
        reason=reason,
    )  # fmt: skip
    exported = run_export(service, ROUND, "report", tmp_path / "out", uscc=uscc)
    text = "".join(page.extract_text() for page in PdfReader(exported.files[0]).pages)
    flat = "".join(text.split())
    assert "已确认的数据提示" in flat
    assert "但培育库中有2025年省级专精特新中小企业（已认定，有效期至2028年）" in flat
    assert reason in flat


def test_revoking_a_title_from_the_view_asks_why_and_records_it(window, qtbot, service, registered):
    """撤销称号 is offered for a held title only; the dialog needs a reason; the revocation is
    written off the GUI thread and the row then shows 已撤销 with the reason in its history."""
    from zjtx.ui.registry_revoke import RevokeDialog

    name = list_names(300)[7]
    view = _open_view(window, qtbot)
    assert not view.revoke_action.isEnabled()  # nothing chosen yet
    view.search.setText(name)
    with qtbot.waitSignal(view.history_loaded, timeout=TIMEOUT):
        view.table.selectRow(0)
    assert view.revoke_action.isEnabled()
    entry = view.selected_entry()
    dialog = RevokeDialog(entry, view)
    assert name in dialog.findChildren(type(view.counts))[0].text()
    assert not dialog.revoke_button.isEnabled()
    dialog.reason.setPlainText("  ")
    assert not dialog.revoke_button.isEnabled()  # blanks are no reason
    dialog.reason.setPlainText("复核不合格")
    assert dialog.revoke_button.isEnabled() and dialog.reason_text() == "复核不合格"
    with qtbot.waitSignal(view.revoked, timeout=TIMEOUT) as revoked:
        view.revoke(entry, dialog.reason_text())
    assert [e.status for e in revoked.args[0].entries] == ["revoked"]
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.filtered()[0].id != entry.id,
                    timeout=TIMEOUT)  # fmt: skip
    assert view.filtered()[0].shown_status == "revoked"
    assert "已撤销" in view.statusBar().currentMessage()
    with qtbot.waitSignal(view.history_loaded, timeout=TIMEOUT) as shown:
        view.table.selectRow(0)
    assert not view.revoke_action.isEnabled()  # a revoked title cannot be revoked again
    states = [(s.status, s.note) for s in shown.args[0].entries]
    assert ("revoked", "复核不合格") in states


def test_a_list_dropped_after_a_decision_marks_it_for_a_second_look(
    window, qtbot, service, tmp_path
):
    """A list that puts a recommended applicant of the open round on record: the import
    dialog names the round it checked again, the status bar says so, and the window's row
    reads 需复核 with the warning counted, without reopening the round."""
    name = list_names(6)[4]
    _recommended_round(service, tmp_path, name, application_type="new")
    window.refresh_rounds(select=ROUND)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=TIMEOUT)
    assert not window.model.row_at(0).decision_outdated
    view = window.open_registry()
    _drop(view, [write_list(tmp_path / "2025.xlsx", list_names(6))])
    dialog = view.import_dialog
    dialog.title.setCurrentIndex(dialog.title.findData("srdi-sme"))
    dialog.year.setValue(2025)
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as message:
        dialog.import_button.click()
    expected = (
        f"批次 “{ROUND}”：1 家企业的培育库提示有变化（新增 1 条），其中 1 家已决定“推荐”，"
        f"需复核：{name}"
    )
    assert message.args[0] == "已按培育库重新核对：" + expected
    assert "已重新核对：" + expected in dialog.result.toPlainText()
    qtbot.waitUntil(lambda: window.model.row_at(0).decision_outdated, timeout=TIMEOUT)
    row = window.model.row_at(0)
    assert row.decision_outdated_reason == "决定作出后培育库核对新增了提示"
    assert row.open_warnings == 1


def _imported_under_older_rules(service, tmp_path, monkeypatch) -> None:
    """A round of one applicant imported as an older zjtx checked it: a 2027 list on record,
    and a warning (registry-already-holds) that today's checks, as of the round, do not give."""
    from zjtx.domain.issues import Issue, Severity
    from zjtx.store import imports

    _import(service, write_list(tmp_path / "2027.xlsx", list_names(3)), "srdi-sme", 2027)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "applicants.json"
    record = {**COMPLETE, "name": list_names(3)[0], "uscc": make_uscc(1)}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    original = imports.cross_check

    def older_rules(session, applicants, round_row, file_name):
        old = Issue(code="registry-already-holds", severity=Severity.WARNING, message="旧规则",
                    file=file_name, field="application_type", uscc=make_uscc(1))  # fmt: skip
        return [*original(session, applicants, round_row, file_name), old]

    monkeypatch.setattr(imports, "cross_check", older_rules)
    service.import_paths(ROUND, [path])
    monkeypatch.undo()


def _checked_by_older_zjtx(service) -> None:
    """Every round's register warnings as an older zjtx left them (no checks stamp)."""
    from sqlalchemy import text

    with service.store.session() as session:
        session.execute(text("UPDATE rounds SET registry_checks = NULL"))
        session.commit()


def _recheck_line_shown(window, qtbot):
    """The round opened in the window, once the line asking for a recheck shows; the line."""
    banner = window.registry_recheck_banner
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    return banner


def test_rechecking_from_the_view_updates_the_window(window, qtbot, service, tmp_path, monkeypatch):
    """培育库 → 重新核对批次: a warning the register no longer bears out (kept from an older
    zjtx) leaves the round, the main window hears which round changed; asked again, the
    status bar says nothing changed."""
    _imported_under_older_rules(service, tmp_path, monkeypatch)
    window.refresh_rounds(select=ROUND)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=TIMEOUT)
    assert window.model.row_at(0).open_warnings == 1
    view = _open_view(window, qtbot)
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as message:
        view.recheck_action.trigger()
    assert (
        message.args[0]
        == f"已按培育库重新核对：批次 “{ROUND}”：1 家企业的培育库提示有变化（撤除 1 条）"
    )
    qtbot.waitUntil(lambda: window.model.row_at(0).open_warnings == 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: view.recheck_action.isEnabled(), timeout=TIMEOUT)
    view.recheck_action.trigger()
    qtbot.waitUntil(lambda: "均无变化" in view.statusBar().currentMessage(), timeout=TIMEOUT)


def test_a_round_an_older_zjtx_checked_offers_to_check_it_again(
    window, qtbot, service, tmp_path, monkeypatch
):
    """A round whose register warnings an older zjtx gave (one the register no longer bears
    out) shows a line above its tabs; its link checks the open rounds again, the warning
    leaves, the line no longer asks for a recheck when the round is opened again; it says
    where absence went unchecked, for the round's title and for 创新型 declared held, until
    the lists that vouch for each are imported."""
    _imported_under_older_rules(service, tmp_path, monkeypatch)
    _checked_by_older_zjtx(service)
    banner = _recheck_line_shown(window, qtbot)
    assert banner.text().startswith("本批次的培育库提示由较早版本的 zjtx 核对得出")
    assert 'href="recheck"' in banner.text()
    with qtbot.waitSignal(window.message, timeout=TIMEOUT) as message:
        banner.linkActivated.emit("recheck")
    assert message.args[0] == (
        f"已按培育库重新核对：批次 “{ROUND}”：1 家企业的培育库提示有变化（撤除 1 条）"
    )
    qtbot.waitUntil(lambda: window.model.row_at(0).open_warnings == 0, timeout=TIMEOUT)
    assert service.registry_recheck_due(ROUND) is None
    # The line no longer asks for a recheck; it says instead that the register (holding only
    # a 2027 list) cannot vouch for absence in this 2026 round, and which lists would.
    unchecked = "提示：培育库中虽有专精特新中小企业 3 条记录，但未导入"
    qtbot.waitUntil(lambda: banner.toolTip().startswith(unchecked), timeout=TIMEOUT)
    assert "2023、2024、2025 年的该称号名单" in banner.toolTip()
    assert 'href="recheck"' not in banner.text()
    # The applicant declares 创新型 held (COMPLETE), of which the register holds nothing.
    innovative = "提示：培育库中没有创新型中小企业的记录（未导入该称号名单）"
    assert banner.toolTip().split("\n")[1].startswith(innovative)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    # The check runs after the rows are in: once it has answered, no recheck is asked again.
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=TIMEOUT)
    assert banner.isVisible() and 'href="recheck"' not in banner.text()
    # With the lists of those years imported, the round's title is checked: 创新型 is not;
    # with its lists too, absence is checked and the line goes.
    for title in ("srdi-sme", "innovative-sme"):
        for year in (2023, 2024, 2025):
            _import(service, write_list(tmp_path / f"{year}.xlsx", list_names(3)), title, year)
        with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
            window.reload_rows()
        qtbot.waitUntil(lambda: not window.runner.busy(), timeout=TIMEOUT)
        if title == "srdi-sme":
            assert banner.isVisible() and banner.toolTip().startswith(innovative)
            assert "<br>" not in banner.text()
    assert not banner.isVisible()


def test_the_status_bar_note_names_damaged_applicants():
    """The note after a register change counts the rounds changed and the 推荐 to look at
    again, and names each applicant whose damaged data could not be checked."""
    from zjtx.store.registry_recheck import RoundRecheck
    from zjtx.ui.registry_recheck_banner import rechecked_note

    changed = RoundRecheck("甲批次", 2, 2, 0, ("甲公司",))
    damaged = RoundRecheck("乙批次", 0, 0, 0, (), damaged=("乙公司（91）第 1 版的字段值",))
    assert rechecked_note([changed, damaged]) == (
        "；1 个未归档批次的培育库提示有变化，1 家“推荐”需复核；"
        "数据已损坏、未能核对：乙公司（91）第 1 版的字段值，请联系技术支持"
    )
    assert rechecked_note([]) == ""


def test_the_recheck_line_follows_a_recheck_from_the_register_window(
    window, qtbot, service, tmp_path, monkeypatch
):
    """The line goes after 培育库 → 重新核对批次 even when the open round's warnings did not
    change; a recheck from its link that fails (a colleague holds the register) shows the
    error and brings the line back with its link."""
    from zjtx.store.errors import DatabaseBusyError

    _import(service, write_list(tmp_path / "2025.xlsx", list_names(3)), "srdi-sme", 2025)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "applicants.json"
    record = {**COMPLETE, "name": "无锡从未入库科技有限公司", "uscc": make_uscc(1)}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])

    _checked_by_older_zjtx(service)
    banner = _recheck_line_shown(window, qtbot)
    assert banner.text().endswith('<a href="recheck">按现行规则重新核对全部未归档的批次…</a>')

    failures: list[BaseException] = []
    monkeypatch.setattr(window, "show_error", failures.append)

    def busy(**_options):
        raise DatabaseBusyError("有同事正在导入申报文件或更新培育库；培育库未作改动，请稍后再试")

    monkeypatch.setattr(service.registry, "recheck_rounds", busy)
    banner.linkActivated.emit("recheck")
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: 'href="recheck"' in banner.text(), timeout=TIMEOUT)
    assert banner.isVisible() and service.registry_recheck_due(ROUND) is not None
    monkeypatch.undo()

    view = _open_view(window, qtbot)
    view.recheck_action.trigger()
    # The recheck asked for is done; what stays is the 提示 that the 2025 list alone cannot
    # vouch for absence in a 2026 round.
    qtbot.waitUntil(lambda: banner.text().startswith("提示：培育库"), timeout=TIMEOUT)
    assert "均无变化" in view.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=TIMEOUT)
    assert banner.isVisible() and 'href="recheck"' not in banner.text()
    assert "未导入 2023、2024 年的该称号名单" in banner.toolTip()
