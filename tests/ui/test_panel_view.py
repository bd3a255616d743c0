"""评审 → 专家组…: members added in the window, positions shown with agreement, the evaluator's
own judgement recorded, a refusal shown in Chinese, and the 组长's decision beside positions."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import ROUND, ROUND_DATE
from tests.ui.test_workflow import TIMEOUT, _select, lead_product_round
from zjtx.store.panels import Panels
from zjtx.ui.panel_view import AGREEMENT_FILLS, PanelDialog

ME = "张评审"  # the evaluator of every UI test (tests/ui/conftest.py)


def _round(qtbot, window, service, sample_json) -> tuple[str, str]:
    """The sample round open in the window; the first applicant with a judgement item, and
    that item."""
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    for row in service.list_applicants(ROUND, sort="uscc"):
        criteria = service.review_state(ROUND, row.uscc).evaluation["criteria"]
        judged = [c["id"] for c in criteria if c.get("judgement")]
        if judged:
            return row.uscc, judged[0]
    raise AssertionError("no sample applicant has a judgement item")


def _open(qtbot, window) -> PanelDialog:
    window.panel_action.trigger()
    dialog = window.panel_dialog
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=TIMEOUT)
    return dialog


def _add(qtbot, dialog: PanelDialog, name: str, unit: str, role: str) -> None:
    dialog.member_name.setText(name)
    dialog.member_unit.setText(unit)
    dialog.member_role.setCurrentIndex(dialog.member_role.findText(role))
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)


def _column(dialog: PanelDialog, head: str) -> int:
    heads = [dialog.grid.horizontalHeaderItem(c).text() for c in range(dialog.grid.columnCount())]
    return heads.index(head)


def test_members_are_added_and_the_evaluator_records_their_own_judgement(
    qtbot, window, service, sample_json
):
    """Members added in the window are stored with role and unit; the evaluator, a member,
    records a judgement that appears in the grid; a split shows 有分歧 in amber."""
    uscc, item = _round(qtbot, window, service, sample_json)
    window.select_applicant(uscc)
    dialog = _open(qtbot, window)
    assert "不是本批次专家组成员" in dialog.mine_hint.text()
    assert not dialog.judge_button.isEnabled()
    _add(qtbot, dialog, "王组长", "省经信厅", "组长")
    _add(qtbot, dialog, ME, "福州大学", "评审专家")
    info = Panels(service.store, service.evaluations).panel(ROUND)
    assert [(m.name, m.unit, m.role) for m in info.members] == [
        ("王组长", "省经信厅", "chair"),
        (ME, "福州大学", "expert"),
    ]
    assert dialog.members.rowCount() == 2 and dialog.members.item(0, 2).text() == "组长"
    assert dialog.judge_button.isEnabled() and "评审专家" in dialog.mine_hint.text()

    dialog.criterion.setCurrentIndex(dialog.criterion.findData(item))
    dialog.met.setChecked(True)
    dialog.note.setText("行业协会证明")
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.judge_button, Qt.MouseButton.LeftButton)
    row = next(r for r in range(dialog.grid.rowCount())
               if dialog.grid.item(r, 0).text().startswith(item))  # fmt: skip
    assert dialog.grid.item(row, _column(dialog, f"{ME}\n评审专家")).text() == "符合"
    assert dialog.grid.item(row, _column(dialog, "王组长\n组长")).text() == "未表态"
    assert dialog.grid.item(row, _column(dialog, "一致性")).text() == "尚未全部表态"

    Panels(service.store, service.evaluations).judge(
        ROUND, uscc, member="王组长", criterion=item, met=False, evaluator="王组长"
    )
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        dialog.reload()
    agreement = dialog.grid.item(row, _column(dialog, "一致性"))
    assert agreement.text() == "≠ 有分歧"  # said in words, not by colour only
    assert agreement.background().color().name() == AGREEMENT_FILLS["disagree"]


def test_a_refusal_is_shown_in_chinese(qtbot, window, service, sample_json):
    """A second 组长 is refused by the store; the window says why, in Chinese, and stores
    nothing."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    window.select_applicant(uscc)
    dialog = _open(qtbot, window)
    _add(qtbot, dialog, "王组长", "省经信厅", "组长")
    dialog.member_name.setText("李组长")
    dialog.member_role.setCurrentIndex(dialog.member_role.findText("组长"))
    with qtbot.waitSignal(dialog.refused, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "已有组长 王组长" in blocker.args[0]
    assert "已有组长 王组长" in dialog.message.text()
    names = [m.name for m in Panels(service.store, service.evaluations).panel(ROUND).members]
    assert names == ["王组长"]


def test_recused_member_cannot_judge_and_is_marked(qtbot, window, service, sample_json):
    """The evaluator declares 回避: their column reads 回避 and their own record is disabled."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, ME, unit="福州大学", role="评审专家", evaluator=ME)
    window.select_applicant(uscc)
    dialog = _open(qtbot, window)
    dialog.recusal.setText("曾在该企业任职")
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.recuse_button, Qt.MouseButton.LeftButton)
    assert dialog.grid.item(0, _column(dialog, f"{ME}\n评审专家")).text() == "回避"
    assert "已声明回避" in dialog.mine_hint.text() and not dialog.judge_button.isEnabled()
    assert dialog.opinions.item(0, 1).text() == "回避：曾在该企业任职"


def test_the_chair_handles_a_late_recusal_and_one_in_error(qtbot, window, service, sample_json):
    """组长处理回避 is offered to the 组长 only: it records an expert's 回避 after judging,
    withdrawing the judgement from the grid, and withdraws a 回避 recorded in error."""
    uscc, item = _round(qtbot, window, service, sample_json)
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, "专家甲", unit="福州大学", role="评审专家", evaluator=ME)
    panels.judge(ROUND, uscc, member="专家甲", criterion=item, met=True, evaluator=ME)
    window.select_applicant(uscc)
    dialog = _open(qtbot, window)
    chair_tab = dialog.records.indexOf(dialog.chair_box)
    assert not dialog.records.isTabVisible(chair_tab)  # 张评审 is not on the panel
    panels.add_member(ROUND, ME, unit="省经信厅", role="组长", evaluator=ME)
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        dialog.reload()
    assert dialog.records.isTabVisible(chair_tab)
    dialog.records.setCurrentIndex(chair_tab)
    asked: list[str] = []
    answers = iter([False, True, True, True])
    dialog.confirm_chair_act = lambda question: asked.append(question) or next(answers)
    # Nobody is chosen at first: a click acts on no one.
    assert dialog.chair_member.currentData() is None
    dialog.chair_reason.setText("其亲属在该企业任职")
    with qtbot.waitSignal(dialog.refused, timeout=TIMEOUT) as refused:
        qtbot.mouseClick(dialog.chair_recuse_button, Qt.MouseButton.LeftButton)
    assert refused.args[0] == "请先选择企业和专家" and asked == []
    dialog.chair_member.setCurrentIndex(dialog.chair_member.findData("专家甲"))
    qtbot.mouseClick(dialog.chair_recuse_button, Qt.MouseButton.LeftButton)  # answered 否
    assert panels.positions(ROUND, uscc).recusals == {}
    assert asked[-1].startswith("确认 专家甲 回避") and "判断和意见将撤回" in asked[-1]
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.chair_recuse_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "已记录 专家甲 回避，并撤回其在专家组中对该企业的判断和意见"
    column = _column(dialog, "专家甲\n评审专家")
    agreement = dialog.grid.columnCount() - 2
    # Items the data decided read 无需判断 with "—" for everyone; the rest 回避 for 专家甲.
    shown = {(dialog.grid.item(r, agreement).text().startswith("无需判断"),
              dialog.grid.item(r, column).text()) for r in range(dialog.grid.rowCount())}  # fmt: skip
    assert shown <= {(True, "—"), (False, "回避")} and (False, "回避") in shown
    assert dialog.chair_member.currentText() == "专家甲（评审专家，已回避）"
    assert dialog.chair_reason.text() == ""  # cleared once saved
    # A refusal (the 组长 choosing themselves, who is not recused) keeps the typed reason.
    dialog.chair_member.setCurrentIndex(dialog.chair_member.findData(ME))
    dialog.chair_reason.setText("录入错误")
    with qtbot.waitSignal(dialog.refused, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.chair_withdraw_button, Qt.MouseButton.LeftButton)
    assert dialog.chair_reason.text() == "录入错误"
    dialog.chair_member.setCurrentIndex(dialog.chair_member.findData("专家甲"))
    dialog.chair_reason.setText("亲属已离职，经核实无利害关系")
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.chair_withdraw_button, Qt.MouseButton.LeftButton)
    assert panels.positions(ROUND, uscc).recusals == {}
    assert dialog.grid.item(0, column).text() == "未表态"


def test_chairs_decision_area_shows_the_members_positions(qtbot, window, service, sample_json):
    """The review pane's decision area lists each member's position and opinion when the
    round has a panel, and nothing when it has none."""
    uscc, item = _round(qtbot, window, service, sample_json)
    _select(qtbot, window, uscc)
    assert not window.review.panel_positions.isVisible()
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, ME, role="组长", evaluator=ME)
    panels.add_member(ROUND, "赵专家", role="评审专家", evaluator=ME)
    panels.judge(ROUND, uscc, member="赵专家", criterion=item, met=True, evaluator=ME)
    panels.opinion(ROUND, uscc, member="赵专家", text="同意推荐", evaluator=ME)
    other = next(r.uscc for r in service.list_applicants(ROUND) if r.uscc != uscc)
    _select(qtbot, window, other)
    _select(qtbot, window, uscc)
    label = window.review.panel_positions
    qtbot.waitUntil(lambda: "赵专家 符合" in label.text(), timeout=TIMEOUT)
    assert label.isVisible()
    assert f"{ME} 未表态" in label.text() and "赵专家 的意见：同意推荐" in label.text()
    assert f"赵专家 的判断或意见：由 {ME} 代录" in label.text()  # the chair entered them
    dialog = _open(qtbot, window)
    texts = [dialog.opinions.item(r, 1).text() for r in range(dialog.opinions.rowCount())]
    assert f"同意推荐（由 {ME} 代录）" in texts


def test_only_the_chair_is_offered_the_decision(qtbot, window, service, sample_json):
    """In a round with a panel the review pane offers the final decision to its 组长 only:
    to an expert, or to someone outside the panel, the decision, opinion and save are
    disabled, with the reason in words; the 组长 can decide, and a round without a panel
    leaves the decision to whoever reviews."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    _select(qtbot, window, uscc)
    review = window.review
    assert review.decide_button.isEnabled() and not review.decision_refusal.isVisible()
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, "王组长", role="组长", evaluator=ME)
    panels.add_member(ROUND, ME, role="评审专家", evaluator=ME)
    other = next(r.uscc for r in service.list_applicants(ROUND) if r.uscc != uscc)
    _select(qtbot, window, other)
    qtbot.waitUntil(lambda: review.decision_refusal.isVisible(), timeout=TIMEOUT)
    assert "最终决定只能由组长 王组长作出" in review.decision_refusal.text()
    disabled = (review.decision_combo, review.decide_button, review.save_action)
    assert not any(w.isEnabled() for w in disabled) and review.opinion.isReadOnly()
    # Confirming criteria is not the 组长's alone.
    assert review.confirm_button.isEnabled()

    panels.remove_member(ROUND, "王组长", evaluator=ME)
    panels.add_member(ROUND, "王组长", role="评审专家", evaluator=ME)
    panels.remove_member(ROUND, ME, evaluator=ME)
    panels.add_member(ROUND, ME, role="组长", evaluator=ME)
    _select(qtbot, window, uscc)
    qtbot.waitUntil(lambda: not review.decision_refusal.isVisible(), timeout=TIMEOUT)
    assert review.decide_button.isEnabled() and review.save_action.isEnabled()
    assert not review.opinion.isReadOnly()


def test_a_member_who_declared_a_recusal_cannot_confirm_in_the_review_pane(
    qtbot, window, service, sample_json
):
    """The evaluator, a member who declared 回避 for the applicant shown: confirming, 改判 and
    acknowledging are disabled with the 回避 in words; on another applicant they are open."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, "王组长", role="组长", evaluator=ME)
    panels.add_member(ROUND, ME, role="评审专家", evaluator=ME)
    panels.recuse(ROUND, uscc, member=ME, reason="曾在该企业任职", evaluator="王组长")
    other = next(r.uscc for r in service.list_applicants(ROUND) if r.uscc != uscc)
    review = window.review
    _select(qtbot, window, other)
    qtbot.waitUntil(lambda: "是评审专家" in review.decision_refusal.text(), timeout=TIMEOUT)
    assert review.confirm_button.isEnabled() and review.criterion_reason.isEnabled()
    _select(qtbot, window, uscc)
    qtbot.waitUntil(lambda: "曾在该企业任职" in review.decision_refusal.text(), timeout=TIMEOUT)
    assert "不能确认或改判其指标" in review.decision_refusal.text()
    closed = (review.confirm_button, review.met_radio, review.criterion_reason,
              review.warning_reason, review.ack_button, review.decide_button)  # fmt: skip
    assert not any(w.isEnabled() for w in closed)


def test_members_added_in_the_panel_dialog_lock_the_decision_at_once(
    qtbot, window, service, sample_json
):
    """Members added in 专家组… (another 组长, the evaluator an expert) take the decision
    away from the evaluator in the review pane without choosing another applicant."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    _select(qtbot, window, uscc)
    review = window.review
    assert review.decide_button.isEnabled()
    dialog = _open(qtbot, window)
    _add(qtbot, dialog, "王组长", "省经信厅", "组长")
    _add(qtbot, dialog, ME, "福州大学", "评审专家")
    qtbot.waitUntil(lambda: review.decision_refusal.isVisible(), timeout=TIMEOUT)
    assert not review.decide_button.isEnabled()
    assert "最终决定只能由组长 王组长作出" in review.decision_refusal.text()


def test_points_field_offers_what_the_applicants_data_allows(qtbot, window, service, tmp_path):
    """For a scored item whose 主导产品 is at 40 % of revenue the points field says the range
    the data allows (below the item's maximum); an unscored item's field is closed."""
    record = lead_product_round(qtbot, window, service, tmp_path)
    criteria = service.review_state(ROUND, record["uscc"]).evaluation["criteria"]
    lead = next(c for c in criteria if c["id"] == "IN22-S1")
    high, top = lead["points_max"], lead["max_points"]
    assert lead["state"] == "manual" and high < top
    window.select_applicant(record["uscc"])
    dialog = _open(qtbot, window)
    _add(qtbot, dialog, ME, "福州大学", "评审专家")
    dialog.criterion.setCurrentIndex(dialog.criterion.findData("IN22-S1"))
    assert dialog.points.isEnabled()
    assert dialog.points.placeholderText() == f"本人评分 0–{high}（满分 {top}）"
    assert dialog.points.toolTip() == f"按该企业的申报数据最高可得 {high} 分（满分 {top} 分）"
    dialog.points.setText(str(top))
    with qtbot.waitSignal(dialog.refused, timeout=TIMEOUT) as refused:
        qtbot.mouseClick(dialog.judge_button, Qt.MouseButton.LeftButton)
    assert f"最高可得 {high} 分（满分 {top} 分）" in refused.args[0]
    dialog.points.setText(str(high))
    with qtbot.waitSignal(dialog.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.judge_button, Qt.MouseButton.LeftButton)
    assert dialog.criterion.currentData() == "IN22-S1"  # not back to the first item
    assert dialog.criterion.currentIndex() > 0
    unscored = [c["id"] for c in criteria if c.get("judgement") and c.get("kind") != "score"]
    row = next(r for r in range(dialog.grid.rowCount())
               if dialog.grid.item(r, 0).text().startswith("IN22-S1"))  # fmt: skip
    assert (
        f"按申报数据可评 0–{high} 分"
        in dialog.grid.item(row, _column(dialog, "汇总评分")).toolTip()
    )
    assert unscored  # IN22-0 and IN22-D3
    dialog.points.setText("12")
    dialog.criterion.setCurrentIndex(dialog.criterion.findData(unscored[0]))
    assert not dialog.points.isEnabled() and dialog.points.placeholderText() == "不计分"
    assert dialog.points.text() == "" and dialog.points.toolTip() == ""


def test_the_deputy_decides_and_handles_recusals_where_the_chair_recused(
    qtbot, window, service, sample_json
):
    """A 副组长 added in 专家组…: where the 组长 declared 回避 the dialog says the 副组长
    decides and offers them 组长处理回避; the review pane offers them the decision there and
    not on another applicant, where the 组长 decides."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    other = next(r.uscc for r in service.list_applicants(ROUND) if r.uscc != uscc)
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, "王组长", role="组长", evaluator=ME)
    panels.recuse(ROUND, uscc, member="王组长", reason="曾在该企业任职", evaluator=ME)
    window.select_applicant(uscc)
    dialog = _open(qtbot, window)
    assert [dialog.member_role.itemText(i) for i in range(dialog.member_role.count())] == [
        "评审专家", "副组长", "组长",
    ]  # fmt: skip
    assert "专家组没有副组长可以代行，须先添加一名" in dialog.decision.text()
    assert dialog.mine_hint.text().endswith("不是本批次专家组成员，只能查看")
    _add(qtbot, dialog, ME, "福州大学", "副组长")
    assert dialog.decision.text() == (
        f"最终决定：尚未作出；只能由副组长 {ME}作出（组长 王组长 已回避该企业）"
    )
    assert dialog.records.isTabVisible(dialog.records.indexOf(dialog.chair_box))
    assert dialog.mine_hint.text().endswith("组长已回避该企业，由您作出最终决定")
    dialog.close()
    review = window.review
    _select(qtbot, window, other)
    # The refusal shown before (of the applicant first chosen) stays until the new one is read.
    qtbot.waitUntil(
        lambda: "最终决定只能由组长 王组长作出" in review.decision_refusal.text(), timeout=TIMEOUT
    )
    assert review.decision_refusal.isVisible()
    assert "是副组长（组长回避的企业由其代行决定）" in review.decision_refusal.text()
    _select(qtbot, window, uscc)
    qtbot.waitUntil(lambda: not review.decision_refusal.isVisible(), timeout=TIMEOUT)
    assert review.decide_button.isEnabled() and review.save_action.isEnabled()


def test_the_refusal_of_the_applicant_before_is_not_shown_for_the_next(
    qtbot, window, service, sample_json, monkeypatch
):
    """Moving from an enterprise the evaluator may not decide to another, the decision stays
    locked while the next one's panel is read, and the refusal naming the first enterprise
    is not shown meanwhile."""
    import threading

    uscc, _item = _round(qtbot, window, service, sample_json)
    other = next(r.uscc for r in service.list_applicants(ROUND) if r.uscc != uscc)
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, "王组长", role="组长", evaluator=ME)
    panels.add_member(ROUND, ME, role="评审专家", evaluator=ME)
    review = window.review
    _select(qtbot, window, uscc)
    qtbot.waitUntil(lambda: "最终决定只能由组长 王组长作出" in review.decision_refusal.text(),
                    timeout=TIMEOUT)  # fmt: skip
    held = threading.Event()
    original = Panels.refusals

    def slow(self, round_name, applicant, evaluator):
        if applicant == other:
            held.wait(TIMEOUT / 1000)
        return original(self, round_name, applicant, evaluator)

    monkeypatch.setattr(Panels, "refusals", slow)
    _select(qtbot, window, other)
    qtbot.waitUntil(lambda: review.state is not None and review.state.uscc == other,
                    timeout=TIMEOUT)  # fmt: skip
    assert review.decision_refusal.text() == "正在读取专家组记录……"
    assert not review.decide_button.isEnabled()
    held.set()
    qtbot.waitUntil(lambda: "最终决定只能由组长 王组长作出" in review.decision_refusal.text(),
                    timeout=TIMEOUT)  # fmt: skip
    assert not review.decide_button.isEnabled()


def test_an_archived_rounds_panel_is_only_viewed(qtbot, window, service, sample_json):
    """In an archived round the panel's editing buttons and fields are disabled, and the
    dialog says why, rather than refusing after a click."""
    uscc, _item = _round(qtbot, window, service, sample_json)
    service.archive_round(ROUND)
    window.show_archived.blockSignals(True)
    window.show_archived.setChecked(True)  # archived rounds listed
    window.show_archived.blockSignals(False)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    window.select_applicant(uscc)
    dialog = _open(qtbot, window)
    assert not dialog.add_button.isEnabled() and not dialog.remove_button.isEnabled()
    assert not dialog.member_name.isEnabled() and not dialog.rule.isEnabled()
    assert "本批次已归档，只能查看" in dialog.message.text()


def test_a_member_s_change_read_in_the_panel_dialog_updates_the_row_and_the_pane(
    qtbot, window, service, sample_json
):
    """A member's judgement recorded elsewhere, then 专家组… opened: the applicant's table row
    and review pane take the review version it moved to, so a batch decision or a save from
    this window does not meet a conflict with a change it has already shown."""
    uscc, item = _round(qtbot, window, service, sample_json)
    panels = Panels(service.store, service.evaluations)
    panels.add_member(ROUND, ME, role="组长", evaluator=ME)
    panels.add_member(ROUND, "专家甲", role="评审专家", evaluator=ME)
    _select(qtbot, window, uscc)
    row = lambda: window.model.row_at(window.model.position_of(uscc))  # noqa: E731
    qtbot.waitUntil(lambda: window.review.state is not None, timeout=TIMEOUT)
    shown = window.review.state.version
    panels.judge(ROUND, uscc, member="专家甲", criterion=item, met=False, evaluator="专家甲")
    moved = service.review_state(ROUND, uscc).version
    assert moved > shown
    _open(qtbot, window)
    qtbot.waitUntil(lambda: row().review_version == moved, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.review.state.version == moved, timeout=TIMEOUT)
