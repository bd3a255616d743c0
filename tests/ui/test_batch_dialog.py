"""批量决定 in the window: the applicants filtered or selected, a confirmation naming them,
the decisions saved off the GUI thread, and a conflict listed rather than overwritten."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import select

from tests.ui.conftest import ROUND, ROUND_DATE
from tests.ui.test_workflow import TIMEOUT
from zjtx.store.models import AuditEvent
from zjtx.ui.batch_dialog import BatchDecisionDialog
from zjtx.ui.models import ROW_ROLE


def _window_with_sample(qtbot, window, service, sample_json):
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    return window


def _open_dialog(qtbot, window) -> BatchDecisionDialog:
    window.batch_action.trigger()
    dialog = window.batch_dialog
    qtbot.waitUntil(lambda: dialog.preview_state is not None, timeout=TIMEOUT)
    return dialog


def _decision_events(service) -> list[AuditEvent]:
    with service.store.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "decision")))


def test_filtered_rows_are_decided_after_a_confirmation_naming_them(
    qtbot, window, service, sample_json
):
    """不符合条件 filter → 批量决定: the confirmation counts and names them; each is decided."""
    _window_with_sample(qtbot, window, service, sample_json)
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findData("not_qualified"))
    failing = [r for r in service.list_applicants(ROUND) if r.verdict == "not_qualified"]
    dialog = _open_dialog(qtbot, window)
    assert dialog.applicants.count() == len(failing)
    first = dialog.targets[0]
    assert dialog.preview.text().startswith(f"经审核，{first.name}不满足")
    assert "{" not in dialog.preview.text()
    assert _decision_events(service) == []  # nothing before the confirmation

    qtbot.mouseClick(dialog.decide_button, Qt.MouseButton.LeftButton)
    box = dialog.confirmation
    assert box is not None and box.isVisible()
    assert f"将对以下 {len(failing)} 家企业作出“不推荐”决定" in box.text()
    assert all(r.name in box.detailedText() for r in failing)
    with qtbot.waitSignal(dialog.decided, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert len(result.decided) == len(failing)
    assert sorted(e.uscc for e in _decision_events(service)) == sorted(r.uscc for r in failing)
    assert dialog.outcome.count() == len(failing)
    assert f"已对 {len(failing)} 家企业作出“不推荐”决定" in dialog.message.text()
    qtbot.waitUntil(
        lambda: all(
            r.decision == "reject" for r in window.model.rows() if r.verdict == "not_qualified"
        ),
        timeout=TIMEOUT,
    )


def test_selected_rows_only_and_a_conflict_is_listed_not_overwritten(
    qtbot, window, service, sample_json
):
    """Two selected rows: one changed by another evaluator meanwhile is skipped and listed."""
    _window_with_sample(qtbot, window, service, sample_json)
    selection = window.table.selectionModel()
    for position in (0, 1):
        selection.select(
            window.proxy.index(position, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    dialog = _open_dialog(qtbot, window)
    shown = [window.proxy.data(window.proxy.index(p, 0), ROW_ROLE).uscc for p in (0, 1)]
    assert [r.uscc for r in dialog.targets] == shown
    assert dialog.applicants.count() == 2
    changed = dialog.targets[1]
    service.apply_review(ROUND, changed.uscc, opinion="另一位评审人在核实", evaluator="赵评审")
    dialog.decision.setCurrentIndex(dialog.decision.findData("return"))
    assert dialog.template.toPlainText().startswith("请{企业名称}补充")
    qtbot.mouseClick(dialog.decide_button, Qt.MouseButton.LeftButton)
    assert "将对以下 2 家企业作出“退回补充材料”决定" in dialog.confirmation.text()
    with qtbot.waitSignal(dialog.decided, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert [i.outcome for i in result.items] == ["decided", "conflict"]
    assert service.review_state(ROUND, changed.uscc).opinion == "另一位评审人在核实"
    assert "已被他人修改" in dialog.outcome.item(0).text()
    assert changed.name in dialog.outcome.item(0).text()


def test_a_misspelt_placeholder_is_shown_and_blocks_the_decision(
    qtbot, window, service, sample_json
):
    """{未满足} in the template: the preview names the right placeholder, the button is off."""
    _window_with_sample(qtbot, window, service, sample_json)
    dialog = _open_dialog(qtbot, window)
    dialog.template.setPlainText("不推荐：{未满足}")
    assert "{未满足条目}" in dialog.preview.text()
    assert not dialog.decide_button.isEnabled()
    dialog.template.setPlainText("")
    qtbot.mouseClick(dialog.placeholder_buttons["未满足条目"], Qt.MouseButton.LeftButton)
    assert dialog.template.toPlainText() == "{未满足条目}"
    assert dialog.decide_button.isEnabled()
