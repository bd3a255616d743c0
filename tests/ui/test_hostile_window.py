"""Hostile files dropped into the import wizard: a Chinese message naming the file, no
exception reaching sys.excepthook, and the good rows of a file still imported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

import tests.test_hostile_cli as hostile
from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.domain.issues import Severity
from zjtx.paths import resource_path
from zjtx.ui.import_dialog import ImportDialog

TIMEOUT = 120000
CJK = re.compile("[\u4e00-\u9fff]")
SAMPLES = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))


def _write(folder: Path, kind: str) -> Path:
    """One hostile file of KIND in FOLDER."""
    if kind == "empty.xlsx":
        path = folder / "空文件.xlsx"
        path.write_bytes(b"")
    elif kind == "text-renamed.xlsx":
        path = folder / "其实是文本.xlsx"
        path.write_text("企业名称,统一社会信用代码\n甲公司,123\n", "utf-8")
    elif kind == "truncated.xlsx":
        path = folder / "截断.xlsx"
        book = openpyxl.Workbook()
        book.active.append(["企业名称", "统一社会信用代码"])
        book.active.append([SAMPLES[0]["name"], SAMPLES[0]["uscc"]])
        book.save(path)
        whole = path.read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "deep.json":
        path = folder / "深层嵌套.json"
        path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    elif kind == "far-cell.xlsx":
        path = folder / "远端单元格.xlsx"
        hostile._write_xlsx_by_hand(
            path,
            '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        )
    else:
        raise AssertionError(kind)
    return path


def _read(qtbot, window, paths: list[Path]) -> ImportDialog:
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.open_import()
    dialog = window.import_dialog
    dialog.add_paths(paths)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.task is None and dialog.close_button.isEnabled(), timeout=TIMEOUT
    )
    return dialog


@pytest.mark.parametrize(
    "kind", ["empty.xlsx", "text-renamed.xlsx", "truncated.xlsx", "deep.json", "far-cell.xlsx"]
)
def test_hostile_file_is_refused_with_a_chinese_message_naming_it(qtbot, window, tmp_path, kind):
    """The wizard reads the hostile file to its end: nothing importable, an error in the
    issues list naming the file in Chinese, and no 失败 (an exception) in the status line."""
    path = _write(tmp_path, kind)
    dialog = _read(qtbot, window, [path])
    status = dialog.status.text()
    assert not status.startswith("失败"), status
    assert CJK.search(status), status
    assert not dialog.import_button.isEnabled()
    errors = [
        dialog.issues_model.issue_at(n)
        for n in range(dialog.issues_model.rowCount())
        if dialog.issues_model.issue_at(n).severity == Severity.ERROR
    ]
    assert errors, "no error listed for the hostile file"
    assert any(path.name in (e.file or "") and CJK.search(e.message) for e in errors), [
        (e.file, e.message) for e in errors
    ]


def test_overlong_and_control_character_names_stop_their_row_only(qtbot, window, service, tmp_path):
    """A 10,000-character name and a name with a control character are errors for their rows;
    the file's good row is imported without an exception."""
    path = tmp_path / "混合.json"
    rows = [
        {**SAMPLES[0], "name": "长" * 10_000},
        {**SAMPLES[1], "name": "正常企业\x01有限公司"},
        SAMPLES[2],
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    dialog = _read(qtbot, window, [path])
    assert "可导入 1 家" in dialog.summary.text(), dialog.summary.text()
    assert "不能导入 2 家" in dialog.summary.text(), dialog.summary.text()
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [a.uscc for a in service.list_applicants(ROUND)] == [SAMPLES[2]["uscc"]]
    assert not dialog.status.text().startswith("失败"), dialog.status.text()
