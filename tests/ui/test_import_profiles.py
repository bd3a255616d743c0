"""Import wizard, issue 14: each file's reading and why, switching it, files read with a saved
mapping profile, and saving a corrected roster layout as a profile."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.intake.profiles import ProfileBook
from zjtx.intake.synthetic import valid_uscc
from zjtx.ui import import_reading
from zjtx.ui.import_dialog import ImportDialog, MappingModel
from zjtx.ui.tasks import TaskRunner

TIMEOUT = 60000
NAME = "厦门海沧智能装备有限公司"


def write_book(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    """A workbook with the given (title, rows) sheets in order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def parts_workbook(path: Path) -> Path:
    """Basic data on one sheet, indicators one row per year on another: one application."""
    return write_book(
        path,
        [
            ("基本信息", [["企业名称", NAME], ["统一社会信用代码", valid_uscc(7001)]]),
            (
                "主要指标",
                [
                    ["年度", "营业收入（万元）", "研发费用（万元）"],
                    ["2024年", 9000, 480],
                    ["2025年", 10500, 630],
                ],
            ),
        ],
    )


def district_roster(path: Path, first: int, revenue_yuan: int) -> Path:
    """A district's roster whose revenue column says only 销售额 (not recognised), in 元."""
    rows: list[list[object]] = [["企业名称", "统一社会信用代码", "销售额"]]
    rows += [[f"测试{first + i}号科技有限公司", valid_uscc(first + i), revenue_yuan + i * 10000]
             for i in range(2)]  # fmt: skip
    return write_book(path, [("名单", rows)])


@pytest.fixture
def make_dialog(qtbot, service):
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    runner = TaskRunner()

    def make() -> ImportDialog:
        wizard = ImportDialog(runner, service, ROUND, lambda: "张评审")
        qtbot.addWidget(wizard)
        wizard.show()
        return wizard

    yield make
    runner.wait(TIMEOUT)


def read(qtbot, wizard: ImportDialog, *paths: Path) -> None:
    wizard.add_paths(list(paths))
    qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)


def correct_column(qtbot, wizard: ImportDialog, letter: str, field: str, unit: str) -> None:
    """Correct one roster column's field, then its unit, as the mapping table's editors do."""
    model = wizard.mapping_model

    def row() -> int:
        return next(r for r in range(model.rowCount()) if model.mapping_at(r).column == letter)

    assert model.setData(model.index(row(), MappingModel.FIELD), field)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert model.setData(model.index(row(), MappingModel.UNIT), unit)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)


def test_reading_and_why_are_shown_and_switching_rereads_the_file(qtbot, make_dialog, tmp_path):
    """A workbook of parts says 按一家企业 and why; switching to 按名单 re-reads it off the GUI
    thread and says the evaluator chose it; switching back reads one applicant again."""
    wizard = make_dialog()
    read(qtbot, wizard, parts_workbook(tmp_path / "申报书.xlsx"))
    file = wizard.files[0]
    assert file.reading == "form" and len(file.applicants) == 1
    assert "“基本信息”" in wizard.reading_label.text()
    assert "读法" in wizard.reading_label.text()
    assert wizard.reading_choice.isEnabled()
    assert wizard.reading_choice.currentData() == "form"

    roster_at = wizard.reading_choice.findData("roster")
    wizard.reading_choice.setCurrentIndex(roster_at)
    wizard.reading_choice.activated.emit(roster_at)
    assert wizard.task is not None  # read in the background
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert wizard.readings == {"申报书.xlsx": "roster"}
    assert wizard.files[0].reading == "roster"
    assert "按评审人的选择" in wizard.reading_label.text()
    assert wizard.reading_choice.currentData() == "roster"

    form_at = wizard.reading_choice.findData("form")
    wizard.reading_choice.activated.emit(form_at)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert wizard.files[0].reading == "form" and len(wizard.files[0].applicants) == 1
    assert wizard.files[0].applicants[0].name == NAME


def test_word_and_json_readings_are_said_but_not_switchable(
    qtbot, make_dialog, tmp_path, sample_json
):
    """A JSON file has no reading to switch: the combo is off and shows none."""
    wizard = make_dialog()
    read(qtbot, wizard, sample_json)
    assert not wizard.reading_choice.isEnabled()
    assert wizard.reading_choice.currentIndex() == -1
    assert not wizard.save_profile_button.isEnabled()


def test_corrected_roster_saved_as_profile_reads_the_next_district_file(
    qtbot, make_dialog, tmp_path, service, data_folder, monkeypatch
):
    """After 销售额 is corrected to 营业收入 2025 in 元, the wizard offers to save it; the name
    prompt's answer is saved atomically with who saved it; another district's file with the same
    header is then read with it (said in the wizard) and imported with the right values."""
    wizard = make_dialog()
    read(qtbot, wizard, district_roster(tmp_path / "鼓楼区.xlsx", 7100, 12_000_000))
    assert not wizard.save_profile_button.isEnabled()
    correct_column(qtbot, wizard, "C", "revenue", "元")
    assert wizard.files[0].applicants[0].values["revenue_y1"] == Decimal("1200")
    assert wizard.save_profile_button.isEnabled()
    assert "保存为对应关系" in wizard.status.text()

    asked = {}

    def answer(parent, title, label, text=""):
        asked["default"] = text
        return "福州区县名单", True

    monkeypatch.setattr(import_reading.QInputDialog, "getText", answer)
    qtbot.mouseClick(wizard.save_profile_button, Qt.MouseButton.LeftButton)
    assert asked["default"] == "鼓楼区"
    assert "已保存对应关系「福州区县名单」" in wizard.status.text()
    saved = data_folder / "profiles" / "福州区县名单.json"
    data = json.loads(saved.read_text("utf-8"))
    assert data["created_by"] == "张评审" and data["sample_file"] == "鼓楼区.xlsx"
    assert [(o["column"], o["field"], o["unit"]) for o in data["overrides"]] == [
        ("C", "revenue", "元")
    ]
    assert not list(saved.parent.glob("*.part*"))

    second = make_dialog()
    read(qtbot, second, district_roster(tmp_path / "台江区.xlsx", 7200, 9_000_000))
    file = second.files[0]
    assert file.profile == "福州区县名单"
    assert "按已保存的对应关系「福州区县名单」读取" in second.reading_label.text()
    assert [a.values["revenue_y1"] for a in file.applicants] == [Decimal("900"), Decimal("901")]
    qtbot.mouseClick(second.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.task is None, timeout=TIMEOUT)
    stored = service.applicant_detail(ROUND, valid_uscc(7201)).applicant
    assert stored.values["revenue_y1"] == Decimal("901")


def test_saving_a_profile_twice_for_one_header_says_why_not(
    qtbot, make_dialog, tmp_path, data_folder
):
    """The same header saved under a second name is refused with the first name; a bad name
    is refused with the characters it may not hold; nothing else is written."""
    wizard = make_dialog()
    read(qtbot, wizard, district_roster(tmp_path / "鼓楼区.xlsx", 7300, 12_000_000))
    correct_column(qtbot, wizard, "C", "revenue", "元")
    assert wizard.save_profile("区县")
    assert not wizard.save_profile("别的名字")
    assert "同样的表头已保存为对应关系“区县”" in wizard.status.text()
    assert not wizard.save_profile("a/b")
    assert "不可用" in wizard.status.text()
    assert [p.name for p in ProfileBook(data_folder / "profiles").list()] == ["区县"]


def enterprise_form(path: Path, number: int, sales_yuan: int) -> Path:
    """One enterprise's form: basic data, 销售额 (not in the catalogue) in 元, staff."""
    return write_book(
        path,
        [
            (
                "申报表",
                [
                    ["企业名称", f"测试{number}号科技有限公司"],
                    ["统一社会信用代码", valid_uscc(number)],
                    ["销售额", sales_yuan],
                    ["从业人员（人）", 120],
                ],
            )
        ],
    )


def form_row(model: MappingModel, header: str) -> int:
    return next(r for r in range(model.rowCount()) if model.mapping_at(r).header == header)


def test_form_label_corrected_in_the_wizard_and_saved_reads_the_next_form(
    qtbot, make_dialog, tmp_path, data_folder, monkeypatch
):
    """A form's 未识别 label 销售额 is corrected like a roster column (field, then unit), re-read
    off the GUI thread and marked 手动; saved as a profile, the next enterprise's form laid out
    the same way is read with it."""
    wizard = make_dialog()
    read(qtbot, wizard, enterprise_form(tmp_path / "甲.xlsx", 7400, 12_000_000))
    model = wizard.mapping_model
    assert "双击" in wizard.mapping_hint.text() and "栏目" in wizard.mapping_hint.text()
    row = form_row(model, "销售额")
    assert model.mapping_at(row).role == "unknown"
    field_index = model.index(row, MappingModel.FIELD)
    assert model.flags(field_index) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(field_index, "revenue")
    assert wizard.task is not None  # re-read in the background
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert model.setData(model.index(form_row(model, "销售额"), MappingModel.UNIT), "元")
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert wizard.files[0].applicants[0].values["revenue_y1"] == Decimal("1200")
    corrected = model.mapping_at(form_row(model, "销售额"))
    assert corrected.manual and corrected.field == "revenue_y1" and corrected.unit == "元"
    assert "已按您的更正读取 1 栏" in wizard.status.text()
    assert wizard.save_profile_button.isEnabled()

    monkeypatch.setattr(
        import_reading.QInputDialog, "getText", lambda *a, **k: ("企业申报表", True)
    )
    qtbot.mouseClick(wizard.save_profile_button, Qt.MouseButton.LeftButton)
    assert "已保存对应关系「企业申报表」" in wizard.status.text()
    saved = json.loads((data_folder / "profiles" / "企业申报表.json").read_text("utf-8"))
    assert [(o["column"], o["field"], o["year"], o["unit"]) for o in saved["overrides"]] == [
        ("销售额", "revenue", 2025, "元")
    ]

    second = make_dialog()
    read(qtbot, second, enterprise_form(tmp_path / "乙.xlsx", 7401, 9_000_000))
    assert second.files[0].profile == "企业申报表"
    assert "按已保存的对应关系「企业申报表」读取" in second.reading_label.text()
    assert second.files[0].applicants[0].values["revenue_y1"] == Decimal("900")


def test_form_label_set_to_ignore_leaves_its_value_unread(qtbot, make_dialog, tmp_path):
    """不导入 on a recognised form label re-reads without the value; the row stays, marked
    手动, and 恢复自动识别 reads it again."""
    wizard = make_dialog()
    read(qtbot, wizard, enterprise_form(tmp_path / "甲.xlsx", 7500, 12_000_000))
    model = wizard.mapping_model
    assert wizard.files[0].applicants[0].values["employees_y1"] == 120
    assert model.setData(model.index(form_row(model, "从业人员（人）"), MappingModel.FIELD),
                         "ignore")  # fmt: skip
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert "employees_y1" not in wizard.files[0].applicants[0].values
    assert model.mapping_at(form_row(model, "从业人员（人）")).role == "ignored"
    qtbot.mouseClick(wizard.reset_mapping_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=TIMEOUT)
    assert wizard.files[0].applicants[0].values["employees_y1"] == 120
