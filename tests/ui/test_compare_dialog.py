"""规则变化影响 in the window: other rules chosen, compared off the GUI thread, counts and who
changes shown, exported to Excel and read back; nothing stored changes."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from openpyxl import load_workbook

from tests.ui.test_workflow import TIMEOUT
from zjtx.cli import main
from zjtx.store.round_compare import NO_OVERLAY

ROUND = "2025专精特新"


def _open(qtbot, window, service, sample_json):
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2025, 6, 1))
    service.import_paths(ROUND, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    assert window.compare_action.isEnabled()
    window.compare_action.trigger()
    return window.compare_dialog


def _compare(qtbot, dialog):
    with qtbot.waitSignal(dialog.compared, timeout=TIMEOUT) as signal:
        dialog.run_button.click()
    return signal.args[0]


def _scored(capsys, sample_json, *how):
    assert main(["score", str(sample_json), *how, "--date", "2025-06-01", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_2026_standard_shows_who_changes(qtbot, window, service, sample_json, capsys):
    """srdi-sme-2026 chosen: the counts table holds `zjtx score`'s verdict pairs and the
    table lists every applicant whose verdict changes, with its deciding criterion."""
    dialog = _open(qtbot, window, service, sample_json)
    dialog.select_rulebook("srdi-sme-2026")
    comparison = _compare(qtbot, dialog)
    before = {e["uscc"]: e["verdict"] for e in _scored(capsys, sample_json, "--tier", "srdi-sme")}
    after = {
        e["uscc"]: e["verdict"] for e in _scored(capsys, sample_json, "--rulebook", "srdi-sme-2026")
    }
    pairs = Counter((before[u], after[u]) for u in before)
    shown = {
        (dialog.counts.item(r, 0).text(), dialog.counts.item(r, 1).text()): dialog.counts.item(
            r, 2
        ).text()
        for r in range(dialog.counts.rowCount())
    }
    labels = {"qualified": "符合条件", "not_qualified": "不符合条件", "pending": "待定"}
    assert shown == {(labels[b], labels[a]): f"{n} 家" for (b, a), n in pairs.items()}
    changed = {u for u in before if before[u] != after[u]}
    assert dialog.changed.rowCount() == len(changed) > 0
    usccs = {dialog.changed.item(r, 1).text() for r in range(dialog.changed.rowCount())}
    assert usccs == changed
    assert "SR26-" in dialog.changed.item(0, 6).text()
    assert f"结论改变 {len(changed)} 家" in dialog.summary.text()
    assert comparison.result.transitions == dict(pairs)


def test_export_reads_back_and_nothing_is_stored(qtbot, window, service, sample_json, tmp_path):
    """导出 Excel writes every changed applicant; the round's evaluations are unchanged."""
    dialog = _open(qtbot, window, service, sample_json)
    rows_before = [(r.uscc, r.verdict) for r in service.list_applicants(ROUND)]
    dialog.overlay.setCurrentIndex(dialog.overlay.findData("shandong-2022"))
    comparison = _compare(qtbot, dialog)
    target = tmp_path / "out" / "影响.xlsx"
    with qtbot.waitSignal(dialog.export(target).signals.finished, timeout=TIMEOUT):
        pass
    sheet = load_workbook(target)["结论改变的企业"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[4]) for r in rows] == [
        (c.uscc, "待定", "符合条件") for c in comparison.result.changed
    ]
    assert len(rows) == 1
    assert [(r.uscc, r.verdict) for r in service.list_applicants(ROUND)] == rows_before


def test_settings_and_cancel(qtbot, window, service, sample_json):
    """A setting combo overrides the round's; cancelling says the database was not changed."""
    dialog = _open(qtbot, window, service, sample_json)
    combo = dialog.setting_combos["growth_compound"]
    combo.setCurrentIndex(combo.findData(True))
    dialog.overlay.setCurrentIndex(dialog.overlay.findData(NO_OVERLAY))
    rules = dialog.rules()
    assert rules.settings == {"growth_compound": True} and rules.overlay == NO_OVERLAY
    with qtbot.waitSignal(dialog.compared, timeout=TIMEOUT):
        dialog.run_button.click()
    dialog.task = dialog.start()
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=TIMEOUT)
    assert dialog.run_button.isEnabled()
