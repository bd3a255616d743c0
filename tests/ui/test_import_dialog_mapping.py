"""The import wizard's mapping page: correct a column's field, year or unit, ignore, restore."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.intake import ColumnOverride, read_applicants
from zjtx.intake.synthetic import valid_uscc
from zjtx.paths import resource_path
from zjtx.ui.import_dialog import IGNORE_LABEL, ImportDialog, MappingModel
from zjtx.ui.tasks import TaskRunner

TIMEOUT = 60000
HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在市",
    "销售额（元）",
    "2024年营业收入（万元）",
    "从业人员（人）",
    "备注",
]


def _roster(folder: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["2026年第一批申报名单"])
    sheet.append(HEADER)
    for i in range(3):
        sheet.append(
            [i + 1, f"测试{i}号精密制造有限公司", valid_uscc(3000 + i), "杭州市",
             123456789.5 + i, 9000 + i, 120 + i, ""]
        )  # fmt: skip
    path = folder / "名单.xlsx"
    workbook.save(path)
    return path


@pytest.fixture
def dialog(qtbot, service, tmp_path):
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    runner = TaskRunner()
    wizard = ImportDialog(runner, service, ROUND, lambda: "张评审")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.add_paths([_roster(tmp_path)])
    qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, wizard)
    yield wizard
    runner.wait(TIMEOUT)


def _wait(qtbot, wizard: ImportDialog) -> None:
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)


def _row(wizard: ImportDialog, letter: str) -> list[str]:
    model = wizard.mapping_model
    row = next(r for r in range(model.rowCount()) if model.mapping_at(r).column == letter)
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _messages(wizard: ImportDialog) -> list[str]:
    model = wizard.issues_model
    return [model.issue_at(r).message for r in range(model.rowCount())]


def _editor(qtbot, wizard: ImportDialog, letter: str, column: int) -> QComboBox:
    """Open the combo of one cell as a double-click would."""
    model = wizard.mapping_model
    row = next(r for r in range(model.rowCount()) if model.mapping_at(r).column == letter)
    view = wizard.mapping_view
    index = view.model().mapFromSource(model.index(row, column))
    view.scrollTo(index)
    rect = view.visualRect(index)
    # Qt's test double-click needs the press before it, as a real double-click has.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = view.viewport().findChild(QComboBox)
    assert editor is not None and editor.isVisible()
    return editor


def _choose(qtbot, wizard: ImportDialog, editor: QComboBox, value: object) -> None:
    """Pick an item and press Enter: the delegate commits, the wizard re-reads the files."""
    editor.setCurrentIndex(editor.findData(value))
    results = wizard.results
    with qtbot.waitSignal(wizard.mapping_model.edited, timeout=TIMEOUT):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    _wait(qtbot, wizard)
    assert wizard.results is results, "Enter in the mapping table must not start the import"


def _stored(service, letter_row: int, key: str):
    uscc = valid_uscc(3000 + letter_row)
    return service.applicant_detail(ROUND, uscc).applicant


def test_misnamed_column_corrected_in_the_wizard_is_imported_with_the_right_value(
    qtbot, dialog, service
):
    """销售额（元） is 未识别; picked as 营业收入 by a Chinese search it reads 2025 in 万元 exactly,
    the issues table changes and the import stores the corrected value."""
    assert _row(dialog, "E")[3:] == ["未识别", "", "元", "未识别"]
    assert any("“销售额（元）”不是字段目录中的字段" in m for m in _messages(dialog))
    editor = _editor(qtbot, dialog, "E", MappingModel.FIELD)
    assert editor.itemText(0) == IGNORE_LABEL
    completer = editor.completer()
    completer.setCompletionPrefix("主营")
    found = [
        completer.completionModel().index(r, 0).data() for r in range(completer.completionCount())
    ]
    assert found == ["主营业务收入（万元）（分年度）"]
    # QTest cannot type Chinese characters: the text goes in as an input method would put it.
    editor.lineEdit().setText("营业收入")
    _choose(qtbot, dialog, editor, "revenue")
    _wait(qtbot, dialog)
    assert dialog.status.text().startswith("读取完成")
    assert _row(dialog, "E")[2:] == ["销售额（元）", "营业收入", "2025年", "元 → 万元", "手动"]
    assert dialog.reset_mapping_button.isEnabled()
    messages = _messages(dialog)
    assert "列“销售额（元）”按评审人员的更正读作“2025年营业收入”（元换算为万元）" in messages
    assert not any("“销售额（元）”不是字段目录中的字段" in m for m in messages)
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    stored = _stored(service, 1, "revenue_y1")
    assert stored.values["revenue_y1"] == Decimal("12345.67905")
    assert stored.values["revenue_y2"] == Decimal(9001)
    assert stored.provenance["revenue_y1"].cell == "E4"


def test_year_of_a_column_re_pointed_in_the_wizard(qtbot, dialog, service):
    """2024年营业收入 re-pointed to 2025 with the 年度 combo: revenue_y1 is imported, not _y2."""
    editor = _editor(qtbot, dialog, "F", MappingModel.YEAR)
    assert [editor.itemText(i) for i in range(editor.count())] == ["2025年", "2024年", "2023年"]
    assert editor.currentData() == 2024
    _choose(qtbot, dialog, editor, 2025)
    _wait(qtbot, dialog)
    assert _row(dialog, "F")[3:] == ["营业收入", "2025年", "万元", "手动"]
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    values = _stored(service, 0, "revenue_y1").values
    assert values["revenue_y1"] == Decimal(9000)
    assert "revenue_y2" not in values


def test_unit_of_a_column_corrected_in_the_wizard(qtbot, dialog, service):
    """The 单位 combo: 2024年营业收入 typed in 元 despite its header is scaled exactly."""
    editor = _editor(qtbot, dialog, "F", MappingModel.UNIT)
    _choose(qtbot, dialog, editor, "元")
    _wait(qtbot, dialog)
    assert _row(dialog, "F")[3:] == ["营业收入", "2024年", "元 → 万元", "手动"]
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _stored(service, 2, "revenue_y2").values["revenue_y2"] == Decimal("0.9002")


def test_conflicting_correction_is_refused_and_the_last_good_mapping_stays(qtbot, dialog):
    """Putting 销售额 on 2024 while column F is 2024: a red message naming both columns; the
    table and the corrections stay as they were."""
    _choose(qtbot, dialog, _editor(qtbot, dialog, "E", MappingModel.FIELD), "revenue")
    _wait(qtbot, dialog)
    assert _row(dialog, "E")[4] == "2025年"  # the newest year no other column reads
    _choose(qtbot, dialog, _editor(qtbot, dialog, "E", MappingModel.YEAR), 2024)
    _wait(qtbot, dialog)
    text = dialog.status.text()
    assert text.startswith("无法按此更正读取")
    assert "列 E“销售额（元）”和列 F“2024年营业收入（万元）”都对应到“2024年营业收入”" in text
    assert "c62828" in dialog.status.styleSheet()
    assert _row(dialog, "E")[3:] == ["营业收入", "2025年", "元 → 万元", "手动"]
    assert [o.year for o in dialog.overrides.values()] == [2025]
    assert dialog.import_button.isEnabled()


def test_ignore_a_column_then_restore_automatic_recognition(qtbot, dialog, service):
    """所在市 ignored by hand is not imported; 恢复自动识别 brings every column back."""
    _choose(qtbot, dialog, _editor(qtbot, dialog, "D", MappingModel.FIELD), "ignore")
    _wait(qtbot, dialog)
    assert _row(dialog, "D")[3:] == [IGNORE_LABEL, "", "", "手动"]
    assert list(dialog.overrides.values()) == [
        ColumnOverride("D", "ignore", file="名单.xlsx", sheet="名单")
    ]
    qtbot.mouseClick(dialog.reset_mapping_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert _row(dialog, "D")[3:] == ["所在市", "", "", "自动"]
    assert dialog.overrides == {}
    assert not dialog.reset_mapping_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _stored(service, 0, "city").values["city"] == "杭州市"


def test_mapping_model_passes_the_model_tester(qtmodeltester, tmp_path):
    """Automatic, manual, ignored and unrecognised rows, and a pending edit, pass qtmodeltester."""
    path = _roster(tmp_path)
    result = read_applicants(
        [path],
        ROUND_DATE.year,
        mapping_overrides=[ColumnOverride("E", "revenue_y1"), ColumnOverride("D", "ignore")],
    )
    model = MappingModel()
    model.set_mappings(result.files[0].column_mapping, ROUND_DATE.year)
    qtmodeltester.check(model)
    hows = [model.index(r, MappingModel.HOW).data() for r in range(model.rowCount())]
    assert hows == ["自动", "自动", "自动", "手动", "手动", "自动", "自动", "未识别"]
    with_year = next(r for r in range(model.rowCount()) if model.mapping_at(r).column == "F")
    assert model.setData(model.index(with_year, MappingModel.YEAR), 2023)
    assert model.index(with_year, MappingModel.HOW).data() == "手动（正在重新读取）"
    qtmodeltester.check(model)


def test_form_labels_are_listed_and_their_field_editable():
    """A form's labels are listed; each label's 对应字段 can be corrected (the label, its
    cell and the other read-only columns cannot)."""
    forms = resource_path("samples", "forms")
    result = read_applicants([forms], ROUND_DATE.year)
    model = MappingModel()
    model.set_mappings(result.files[0].column_mapping, ROUND_DATE.year)
    assert model.rowCount() > 5
    editable = Qt.ItemFlag.ItemIsEditable
    assert all(
        model.flags(model.index(r, MappingModel.FIELD)) & editable for r in range(model.rowCount())
    )
    fixed = set(range(model.columnCount())) - {MappingModel.FIELD, MappingModel.YEAR,
                                               MappingModel.UNIT}  # fmt: skip
    assert not any(
        model.flags(model.index(r, c)) & editable for r in range(model.rowCount()) for c in fixed
    )


def test_correcting_after_the_file_was_imported_imports_it_again_with_the_correction(
    qtbot, dialog, service
):
    """A file already in the round, read again with a corrected mapping, is imported again:
    the applicants whose values changed get a new version carrying the corrected column."""
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "新增 3 家" in dialog.changes.item(0).text()
    assert "revenue_y1" not in _stored(service, 0, "revenue_y1").values
    dialog.tabs.setCurrentIndex(0)
    _choose(qtbot, dialog, _editor(qtbot, dialog, "E", MappingModel.FIELD), "revenue")
    assert _row(dialog, "E")[3:] == ["营业收入", "2025年", "元 → 万元", "手动"]
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.changes.item(0).text().startswith("名单.xlsx：新增 0 家，数据有变化 3 家")
    # 123,456,789.5 元 in the first row, exactly in 万元
    assert _stored(service, 0, "revenue_y1").values["revenue_y1"] == Decimal("12345.67895")
    history = [entry.summary for entry in service.history(ROUND)]
    assert any("按更正的列对应关系" in line for line in history)


def test_form_mapping_shows_chinese_labels_and_keeps_field_ids_in_tooltips():
    """A form's mapping names every field in Chinese (营业收入 with its year); the field id is
    only in the tooltip."""
    from zjtx.scoring import load_catalogue

    keys = {spec.key for spec in load_catalogue()}
    forms = resource_path("samples", "forms")
    result = read_applicants([forms], ROUND_DATE.year)
    model = MappingModel()
    model.set_mappings(result.files[0].column_mapping, ROUND_DATE.year)
    shown = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert not [row for row in shown for text in row if text in keys or "_y" in text]
    row = next(r for r in range(model.rowCount()) if model.mapping_at(r).field == "revenue_y1")
    assert shown[row][MappingModel.FIELD] == "营业收入"
    assert shown[row][MappingModel.YEAR] == "2025年"
    tooltip = model.index(row, MappingModel.FIELD).data(Qt.ItemDataRole.ToolTipRole)
    assert "2025年营业收入（万元）" in tooltip and "revenue_y1" in tooltip


def test_a_column_of_an_overlay_round_can_be_corrected_to_the_overlay_s_own_field(
    qtbot, service, tmp_path
):
    """In a 山东 round the 对应字段 list offers the overlay's 特色化 questions: 重点产业（山东）,
    not recognised, is picked as SD-9's field by a Chinese search and its answers are imported
    (the list held the bundled catalogue's fields only)."""
    from datetime import date

    name = "山东2025第一批"
    service.create_round(name, tier="srdi-sme", round_date=date(2025, 6, 1),
                         overlay="shandong-2022")  # fmt: skip
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["企业名称", "统一社会信用代码", "所在市", "重点产业（山东）"])
    sheet.append(["济南测试精密制造有限公司", valid_uscc(3100), "济南市", "B"])
    path = tmp_path / "山东名单.xlsx"
    workbook.save(path)
    runner = TaskRunner()
    wizard = ImportDialog(runner, service, name, lambda: "张评审")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.add_paths([path])
    qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, wizard)
    assert _row(wizard, "D")[3] == "未识别"
    editor = _editor(qtbot, wizard, "D", MappingModel.FIELD)
    completer = editor.completer()
    completer.setCompletionPrefix("重点产业")
    found = [
        completer.completionModel().index(r, 0).data() for r in range(completer.completionCount())
    ]
    assert "属于本省重点产业领域情况（山东特色化 SD-9）" in found
    _choose(qtbot, wizard, editor, "sd_key_industry")
    assert _row(wizard, "D")[3] == "属于本省重点产业领域情况（山东特色化 SD-9）"
    with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    stored = service.applicant_detail(name, valid_uscc(3100)).applicant
    assert stored.values["sd_key_industry"] == "B"
    runner.wait(TIMEOUT)
