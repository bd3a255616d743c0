"""Renaming, archiving and restoring rounds in the main window (pytest-qt, real SQLite file)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import ROUND, ROUND_DATE

TIMEOUT = 60000


def _round_texts(window) -> list[str]:
    return [window.rounds_list.item(i).text() for i in range(window.rounds_list.count())]


def _filled_window(qtbot, window, service, sample_json):
    """Two rounds, the sample imported into ROUND, which is open."""
    service.create_round("另一批", tier="srdi-sme", round_date=ROUND_DATE)
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    assert window.round_name == ROUND and window.model.rowCount() >= 20


def test_rename_dialog_renames_the_open_round(qtbot, window, service, sample_json):
    """The rename dialog renames the open round; a taken name is explained in the dialog."""
    _filled_window(qtbot, window, service, sample_json)
    window.open_export("summary_pdf")
    export = window.export_dialog
    assert export.isVisible() and export.round_name == ROUND
    window.rename_round()
    dialog = window.round_dialog
    assert dialog.windowTitle() == "重命名评审批次" and dialog.name.text() == ROUND
    dialog.name.setText("另一批")
    dialog.accept()  # the store renames in the background; its refusal returns to the dialog
    qtbot.waitUntil(
        lambda: "批次 “另一批” 已存在，请换一个名称" in dialog.error.text(), timeout=TIMEOUT
    )
    assert dialog.isVisible()
    dialog.name.setText("2026年第一批（复审）")
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        dialog.accept()
    assert window.round_name == "2026年第一批（复审）"
    assert window.export_dialog is None and not export.isVisible()  # it named the old round
    assert "2026年第一批（复审）" in window.round_title.text()
    assert any(t.startswith("2026年第一批（复审）\n") for t in _round_texts(window))
    assert window.model.rowCount() == len(service.list_applicants("2026年第一批（复审）"))
    assert service.history("2026年第一批（复审）")[-1].actor == "张评审"


def test_archived_round_is_hidden_greyed_and_read_only(qtbot, window, service, sample_json):
    """Archiving hides the round; 显示已归档 shows it greyed and opens it read-only."""
    _filled_window(qtbot, window, service, sample_json)
    assert window.archive_round_action.isEnabled() and not window.restore_round_action.isEnabled()
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.archive_round()
    assert service.get_round(ROUND).archived
    assert _round_texts(window) == ["另一批\n专精特新中小企业　0 家"]
    assert window.round_name == "另一批"
    assert "勾选“显示已归档”可再次查看" in window.statusBar().currentMessage()

    with qtbot.waitSignal(window.rounds_loaded, timeout=TIMEOUT):
        window.show_archived.setChecked(True)
    assert window.show_archived_action.isChecked()
    archived = next(
        window.rounds_list.item(i)
        for i in range(window.rounds_list.count())
        if window.rounds_list.item(i).data(Qt.ItemDataRole.UserRole) == ROUND
    )
    assert archived.text() == f'{ROUND}\n专精特新"小巨人"企业　30 家\n（已归档）'
    assert archived.foreground().color().name() == "#8a8a8a"
    assert "只能查看和导出" in archived.toolTip()
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.rounds_list.setCurrentItem(archived)
    assert window.round_name == ROUND and "已归档" in window.round_title.text()
    assert not window.import_action.isEnabled() and not window.rename_round_action.isEnabled()
    assert window.restore_round_action.isEnabled() and not window.archive_round_action.isEnabled()
    assert window.export_action.isEnabled()  # exports stay possible

    row = next(r for r in service.list_applicants(ROUND) if r.open_judgements)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        window.select_applicant(row.uscc)
    review = window.review
    assert review.state is not None and review.state.uscc == row.uscc
    assert not review.confirm_button.isEnabled() and not review.decide_button.isEnabled()
    assert review.opinion.isReadOnly() and not review.criterion_reason.isEnabled()
    review.save_decision()  # the Ctrl+S shortcut does nothing but explain
    assert "本批次已归档" in review.message.text()
    assert service.review_state(ROUND, row.uscc).version == 0

    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.restore_round()
    assert not service.get_round(ROUND).archived
    assert window.round_name == ROUND and window.import_action.isEnabled()
    assert any(t.startswith(f"{ROUND}\n") for t in _round_texts(window))
    assert not any("（已归档）" in t for t in _round_texts(window))
    assert review.decide_button.isEnabled() and not review.opinion.isReadOnly()


def test_rounds_context_menu_offers_rename_and_archive(qtbot, window, service, sample_json):
    """Right-clicking a round offers 重命名 and 归档 (恢复 for an archived round)."""
    _filled_window(qtbot, window, service, sample_json)
    item = window.rounds_list.currentItem()
    position = window.rounds_list.visualItemRect(item).center()
    window._rounds_menu(position)
    menu = window.rounds_menu
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["新建批次…", "重命名批次…", "归档批次", "显示已归档批次"]
    menu.close()
    service.archive_round(ROUND)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.show_archived.setChecked(True)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    window._rounds_menu(
        window.rounds_list.visualItemRect(window.rounds_list.currentItem()).center()
    )
    texts = [a.text() for a in window.rounds_menu.actions() if not a.isSeparator()]
    assert "恢复批次" in texts and "归档批次" not in texts
    window.rounds_menu.close()


def test_archiving_the_only_round_leaves_nothing_open(qtbot, window, service, sample_json):
    """With every round archived and hidden, the window shows no round and no rows."""
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    with qtbot.waitSignal(window.rounds_loaded, timeout=TIMEOUT):
        window.archive_round()
    assert window.rounds_list.count() == 0 and window.round_name is None
    assert window.model.rowCount() == 0 and not window.import_action.isEnabled()
    assert window.round_title.text() == "请在左侧选择或新建一个评审批次"


def test_new_round_dialog_names_overlays_and_rulebooks_in_chinese(qtbot):
    """省级规则 and 评价标准 list Chinese titles; the ids are only tooltips and values."""
    from zjtx.scoring import list_overlay_ids, list_rulebook_ids
    from zjtx.ui.round_dialog import NewRoundDialog

    dialog = NewRoundDialog("guangdong-2024")
    qtbot.addWidget(dialog)
    ids = set(list_overlay_ids()) | set(list_rulebook_ids())
    for combo in (dialog.overlay, dialog.rulebook):
        texts = [combo.itemText(i) for i in range(combo.count())]
        assert not any(text in ids for text in texts), texts
        assert not any("-20" in text for text in texts), texts
    assert dialog.overlay.currentText().startswith("广东省")
    assert dialog.values()["overlay"] == "guangdong-2024"
    position = dialog.rulebook.findData("little-giant-2026")
    assert "小巨人" in dialog.rulebook.itemText(position)
    assert dialog.rulebook.itemData(position, Qt.ItemDataRole.ToolTipRole) == "little-giant-2026"


def test_creating_and_renaming_rounds_run_off_the_gui_thread(qtbot, window, monkeypatch):
    """The store creates and renames a round in a worker thread, so the window stays responsive."""
    import threading

    store = window.service
    threads: list[threading.Thread] = []

    def recorded(method):
        def call(*args, **kwargs):
            threads.append(threading.current_thread())
            return method(*args, **kwargs)

        return call

    monkeypatch.setattr(store, "create_round", recorded(store.create_round))
    monkeypatch.setattr(store, "rename_round", recorded(store.rename_round))
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.rename_round()
    window.round_dialog.name.setText("改名后的批次")
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.round_dialog.accept()
    assert window.round_name == "改名后的批次"
    assert len(threads) == 2 and threading.main_thread() not in threads


def test_new_round_dialog_greys_out_provincial_rules_outside_its_date(qtbot):
    """A provincial rule that does not cover the round's date is greyed out and says so;
    moving the date into its range offers it again."""
    from PySide6.QtCore import QDate

    from zjtx.ui.round_dialog import NewRoundDialog

    dialog = NewRoundDialog()
    qtbot.addWidget(dialog)
    index = dialog.overlay.findData("jiangsu-2022")
    item = dialog.overlay.model().item(index)
    dialog.round_date.setDate(QDate(2026, 5, 1))
    assert not item.isEnabled() and "（不适用于所选日期）" in item.text()
    assert "2022-06-01" in dialog.overlay.itemData(index, Qt.ItemDataRole.ToolTipRole)
    dialog.round_date.setDate(QDate(2024, 5, 1))
    assert item.isEnabled() and "不适用" not in item.text()


def test_new_round_dialog_points_to_the_provincial_rules_of_its_region(qtbot):
    """A 2024 专精特新 round in 济南市 with no provincial rule chosen says shandong-2022
    covers it; choosing it, or another province, clears the hint."""
    from PySide6.QtCore import QDate

    from zjtx.ui.round_dialog import NewRoundDialog

    dialog = NewRoundDialog()
    qtbot.addWidget(dialog)
    dialog.tier.setCurrentIndex(dialog.tier.findData("srdi-sme"))
    dialog.round_date.setDate(QDate(2024, 5, 1))
    dialog.region.setText("济南市")
    assert not dialog.hint.isHidden()
    assert "省级规则 shandong-2022" in dialog.hint.text() and "本批次未使用" in dialog.hint.text()
    dialog.overlay.setCurrentIndex(dialog.overlay.findData("shandong-2022"))
    assert dialog.hint.isHidden()
    dialog.overlay.setCurrentIndex(0)
    dialog.rulebook.setCurrentIndex(dialog.rulebook.findData("srdi-sme-2022"))
    assert dialog.hint.isHidden()  # a fixed rulebook takes no provincial rules
    dialog.rulebook.setCurrentIndex(0)
    assert not dialog.hint.isHidden()
    dialog.overlay.setCurrentIndex(0)
    dialog.region.setText("福州市")
    assert dialog.hint.isHidden()
