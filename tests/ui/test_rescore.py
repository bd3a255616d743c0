"""批次 → 按现行标准重新评价…: a rulebook installed while the window is open, applied to the round."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.store.helpers import write_newer_little_giant
from tests.ui.conftest import ROUND, ROUND_DATE
from tests.ui.test_workflow import TIMEOUT
from zjtx.intake.synthetic import applicants
from zjtx.intake.templates import write_roster_template
from zjtx.paths import resource_path
from zjtx.scoring.catalogue import load_catalogue
from zjtx.scoring.installing import install_file
from zjtx.ui.models import ROW_ROLE


def _round(qtbot, window, service, tmp_path: Path) -> None:
    """A 2026 小巨人 round of new and renewal applicants (two rulebooks), open in the window."""
    roster = tmp_path / "名单.xlsx"
    write_roster_template(roster, load_catalogue(), 2026, applicants(30, 2026))
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [roster])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)


def _install_newer_2026(tmp_path: Path) -> None:
    check, installed = install_file(write_newer_little_giant(tmp_path / "little-giant-2026.yaml"))
    assert installed is not None, check.problems


def test_a_rulebook_installed_while_the_window_is_open_is_applied_by_rescoring(
    qtbot, window, service, tmp_path, monkeypatch
):
    """After a newer 2026 standard is installed, 按现行标准重新评价… (asked first) re-evaluates
    the new applications it governs, says so, and the table is read again."""
    _round(qtbot, window, service, tmp_path)
    assert window.rescore_action.isEnabled()
    governed = {r.uscc for r in service.list_applicants(ROUND) if r.rulebook == "little-giant-2026"}
    assert 0 < len(governed) < 30
    _install_newer_2026(tmp_path)
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.rescore_action.trigger()
    assert ROUND in asked[0] and "原评价保留" in asked[0]
    assert window.rescore_message.startswith(
        f"重新评价 30 家：生成新评价 {len(governed)} 家（评价标准或申报数据有变化），"
        f"未变 {30 - len(governed)} 家"
    )
    assert window.rescore_box is not None and window.rescore_box.isVisible()
    assert window.rescore_progress is None
    versions = {
        row.uscc: service.applicant_detail(ROUND, row.uscc).review.evaluation["rulebook_version"]
        for row in service.list_applicants(ROUND)
    }
    assert {u for u, v in versions.items() if v == "2026.2"} == governed


def test_the_round_says_when_it_was_evaluated_under_an_older_rulebook(
    qtbot, window, service, tmp_path, monkeypatch
):
    """A newer 2026 standard installed after the import: a line above the table says how
    many applicants were evaluated under the older version; its link re-evaluates them, and
    then the line is gone."""
    _round(qtbot, window, service, tmp_path)
    banner = window.rulebook_update_banner
    assert banner.isHidden()
    governed = [r for r in service.list_applicants(ROUND) if r.rulebook == "little-giant-2026"]
    _install_newer_2026(tmp_path)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=TIMEOUT)
    assert banner.text() == (
        f"{len(governed)} 家企业按此前版本的评价标准评价（little-giant-2026 2026.1 → 2026.2）"
        '，<a href="rescore">按现行标准重新评价…</a>'
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Ok)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        banner.linkActivated.emit("rescore")
    assert window.rescore_message.startswith("重新评价 30 家：")
    qtbot.waitUntil(banner.isHidden, timeout=TIMEOUT)


def test_declining_the_question_rescores_nothing(qtbot, window, service, tmp_path, monkeypatch):
    """Cancel in the question: nothing is re-evaluated, no progress is shown."""
    _round(qtbot, window, service, tmp_path)
    _install_newer_2026(tmp_path)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Cancel)
    window.rescore_action.trigger()
    assert window.rescore_progress is None and window.rescore_message is None
    assert service.rescore(ROUND).reevaluated > 0  # still to do


def test_an_archived_round_cannot_be_rescored(qtbot, window, service, tmp_path):
    """An archived round, opened to look at it, is read-only: the action is disabled."""
    _round(qtbot, window, service, tmp_path)
    service.archive_round(ROUND)
    with qtbot.waitSignal(window.rounds_loaded, timeout=TIMEOUT):
        window.show_archived.setChecked(True)
    archived = next(
        window.rounds_list.item(i)
        for i in range(window.rounds_list.count())
        if window.rounds_list.item(i).data(Qt.ItemDataRole.UserRole) == ROUND
    )
    if window.round_name != ROUND:
        with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
            window.rounds_list.setCurrentItem(archived)
    else:
        with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
            window.reload_rows()
    assert window.round_name == ROUND and window.model.rowCount() == 30
    assert not window.rescore_action.isEnabled()


def test_a_changed_verdict_of_a_decided_applicant_is_named_for_a_second_look(
    qtbot, window, service, tmp_path, monkeypatch
):
    """A stricter 2026 standard (only 微型 enterprises eligible) installed after decisions:
    the rescore lists each changed verdict by company, saying which were decided already, and
    the decision reads 需复核 with why, in the table and in the review pane."""
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")])
    rows = [r for r in service.list_applicants(ROUND) if r.rulebook == "little-giant-2026"]
    decided = next(
        r for r in rows
        if r.verdict == "pending"
        and service.applicant_detail(ROUND, r.uscc).review.evaluation["size_class"] != "micro"
    )  # fmt: skip
    service.decide(ROUND, decided.uscc, "reject", "不予推荐")
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    only_micro = ("in: [medium, small, micro], text: 符合", "in: [micro], text: 符合")
    stricter = write_newer_little_giant(tmp_path / "little-giant-2026.yaml", "2026.2", only_micro)
    assert install_file(stricter)[1] is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Ok)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.rescore_action.trigger()
    lines = window.rescore_message.splitlines()
    assert any(line.startswith("结论改变 ") for line in lines)
    assert f"· {decided.name}（已作出决定“不推荐”，请复核）：待定 → 不符合条件" in lines
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).uscc == decided.uscc)
    cell = model.index(row, model.DECISION_COLUMN)
    assert cell.data() == "不推荐（需复核）"
    why = "决定作出后评价结论由“待定”变为“不符合条件”"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == f"{why}，请复核"
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        assert window.select_applicant(decided.uscc)
    pane = window.review
    assert pane.decision_outdated.isVisibleTo(pane)
    assert pane.decision_outdated.text() == f"{why}，请复核后重新保存决定。"
    assert "决定：不推荐（需复核）" in pane.header.text()
    pane.set_read_only("批次已归档，只能查看")  # nothing can be saved again there
    assert pane.decision_outdated.text() == f"{why}。"
    pane.set_read_only(None)
    assert pane.decision_outdated.text() == f"{why}，请复核后重新保存决定。"
    window.open_filter.setCurrentIndex(window.open_filter.findData("outdated"))
    assert window.open_filter.currentText() == "决定需复核"
    assert [
        window.proxy.index(r, 0).data(ROW_ROLE).uscc for r in range(window.proxy.rowCount())
    ] == [decided.uscc]
