"""The import wizard: read then import off the GUI thread, cancel, responsiveness, mapping."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from tests.ui.conftest import ROUND, ROUND_DATE, write_synthetic_json
from zjtx.ui.import_dialog import ImportDialog

TIMEOUT = 120000


def _dialog(qtbot, window, paths: list[Path]) -> ImportDialog:
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.open_import()
    dialog = window.import_dialog
    dialog.add_paths(paths)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    return dialog


def test_cancelling_an_import_leaves_nothing_half_imported(qtbot, window, service, tmp_path):
    """Cancel while the file is being imported: the round holds no applicant and no file."""
    source = write_synthetic_json(tmp_path / "三千家.json", 3000)
    dialog = _dialog(qtbot, window, [source])
    assert "可导入 3000 家" in dialog.summary.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 0 < dialog.progress.value() < 3000, timeout=TIMEOUT)
    assert dialog.cancel_button.isEnabled() and not dialog.close_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT) as done:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args[0] == []
    assert "已取消导入" in dialog.status.text()
    assert service.list_applicants(ROUND) == []
    statistics = service.statistics(ROUND)
    assert (statistics.files, statistics.versions) == (0, 0)
    # The evaluator can import the same file afterwards, completely.
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert len(service.list_applicants(ROUND)) == 3000


def test_window_answers_the_evaluator_during_a_10000_row_import(qtbot, window, service, tmp_path):
    """While 10,000 rows import, typing and queued GUI work are handled and progress rises."""
    source = write_synthetic_json(tmp_path / "一万家.json", 10000)
    progress_seen: list[int] = []
    dialog = _dialog(qtbot, window, [source])
    dialog.progress.valueChanged.connect(progress_seen.append)

    def importing() -> bool:
        return any(task.name == "导入申报数据" for task in window.runner.tasks())

    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT * 3):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        # The click returned before the import ended: it runs off the GUI thread.
        assert importing()
        qtbot.waitUntil(lambda: 0 < dialog.progress.value() < 10000, timeout=TIMEOUT)
        # The evaluator's keystrokes reach the main window while the rows are being written.
        qtbot.keyClicks(window.search, "9133")
        typed_while_importing = window.search.text() == "9133" and importing()
        # Work queued on the GUI thread runs while the import is still going.
        queued: list[bool] = []
        QTimer.singleShot(0, lambda: queued.append(importing()))
        qtbot.waitUntil(lambda: bool(queued), timeout=5000)
        window.search.clear()
    assert typed_while_importing and queued == [True]
    assert window.model.rowCount() == 10000
    # Progress rises step by step up to the whole file (the bar is reset once it is done).
    rising = progress_seen[: progress_seen.index(10000) + 1]
    assert rising == sorted(rising) and len({v for v in rising if 0 < v < 10000}) >= 5
    window.search.setText(service.list_applicants(ROUND)[1234].uscc)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)


def test_wizard_shows_mapping_issues_and_what_changed_on_reimport(qtbot, window, service, tmp_path):
    """A roster's column mapping and issues are shown; re-importing a changed file says so."""
    from openpyxl import load_workbook

    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring import load_catalogue

    values = applicants(5, ROUND_DATE.year)
    roster = write_roster_template(
        tmp_path / "名单.xlsx", load_catalogue(), ROUND_DATE.year, values
    )
    dialog = _dialog(qtbot, window, [roster])
    assert dialog.mapping_model.rowCount() > 10
    headers = {
        dialog.mapping_model.index(r, 3).data() for r in range(dialog.mapping_model.rowCount())
    }
    assert "统一社会信用代码" in headers
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "新增 5 家" in dialog.changes.item(0).text()

    workbook = load_workbook(roster)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[2]]
    column = next(i for i, h in enumerate(header, start=1) if h and "从业人员" in str(h))
    sheet.cell(3, column).value = int(sheet.cell(3, column).value) + 7
    sheet.cell(4, 2).value = "12345"  # a broken code: that row is blocked with an error
    changed = tmp_path / "名单（更正）.xlsx"
    workbook.save(changed)
    dialog.add_paths([changed])
    dialog.paths = [changed]
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=TIMEOUT)
    errors = [
        dialog.issues_model.issue_at(r)
        for r in range(dialog.issues_model.rowCount())
        if dialog.issues_model.index(r, 0).data() == "错误"
    ]
    assert errors and errors[0].cell and errors[0].sheet
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    text = dialog.changes.item(0).text()
    assert "数据有变化 1 家" in text and "因错误未导入 1 家" in text


def test_shipped_roster_and_forms_folder(qtbot, window, service):
    """The shipped roster and a folder of forms: mapping, planted defects, then a warning
    acknowledged with a reason in the review pane."""
    from zjtx.intake import read_applicants
    from zjtx.paths import resource_path

    roster = resource_path("samples", "roster_2026.xlsx")
    forms = resource_path("samples", "forms")
    expected = read_applicants([roster, forms], ROUND_DATE.year).files
    ready = sum(f.rows_imported for f in expected)
    blocked = sum(f.rows_blocked for f in expected)
    dialog = _dialog(qtbot, window, [roster, forms])
    assert f"可导入 {ready} 家" in dialog.summary.text()
    assert f"因错误不能导入 {blocked} 家" in dialog.summary.text()
    # The 合计 row and the blank row are said apart, not counted as enterprises.
    skipped = sum(f.rows_blank for f in expected)
    assert skipped and f"共 {ready + blocked} 家：" in dialog.summary.text()
    assert f"另有 {skipped} 行未读作企业" in dialog.summary.text()
    assert dialog.mapping_file.count() == len(expected)
    assert dialog.mapping_model.rowCount() == len(expected[0].column_mapping)
    hidden = [
        dialog.mapping_model.index(r, 6).data() for r in range(dialog.mapping_model.rowCount())
    ]
    assert any("隐藏列" in text for text in hidden)
    errors = [
        dialog.issues_model.issue_at(r)
        for r in range(dialog.issues_model.rowCount())
        if dialog.issues_model.index(r, 0).data() == "错误"
    ]
    assert len(errors) == sum(1 for f in expected for i in f.issues if i.severity == "error")
    assert all(i.file for i in errors)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.close()
    assert window.model.rowCount() == ready

    row = next(r for r in service.list_applicants(ROUND) if r.open_warnings)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        window.select_applicant(row.uscc)
    review = window.review
    assert review.ack_button.isEnabled()
    code = review.warning_combo.currentData()
    review.warning_reason.setText("已电话核实，数据无误")
    with qtbot.waitSignal(review.saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(review.ack_button, Qt.MouseButton.LeftButton)
    assert code not in {issue.key for issue in saved.args[0].open_warnings}
    stored = service.review_state(ROUND, row.uscc)
    assert any(
        i.kind == "warning" and i.target == code and i.reason == "已电话核实，数据无误"
        for i in stored.items
    )
    position = window.model.position_of(row.uscc)
    qtbot.waitUntil(lambda: window.model.row_at(position).open_warnings == row.open_warnings - 1)


XLSX = "Excel 工作簿 (*.xlsx)"
ISSUES_HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在市",
    "2025年营业收入（万元）",
    "联系人",
]


def _write_roster(path: Path, rows: list[tuple[str, str]]) -> Path:
    """A roster of (企业名称, 统一社会信用代码) rows with a 联系人 column no field has."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(ISSUES_HEADER)
    for number, (name, uscc) in enumerate(rows, start=1):
        sheet.append([number, name, uscc, "杭州市", 1000 + number, "张三"])
        sheet.cell(sheet.max_row, 2).data_type = "s"  # a name is typed text, never a formula
    workbook.save(path)
    return path


def _column(model, title: str) -> int:
    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )


def _shown(dialog: ImportDialog, title: str) -> list[str]:
    """One column of the issues table as the evaluator sees it (filter and sort applied)."""
    view_model = dialog.issues_view.model()
    column = _column(view_model, title)
    return [view_model.index(r, column).data() for r in range(view_model.rowCount())]


def _errors_of(path: Path) -> int:
    from zjtx.intake import read_applicants

    files = read_applicants([path], ROUND_DATE.year).files
    return sum(1 for f in files for i in f.issues if i.severity == "error")


def test_every_file_is_listed_in_import_results_with_its_outcome(qtbot, window, tmp_path):
    """A good roster, a roster whose every row is an error and an unreadable file are all
    listed in 导入结果: imported, or not imported with the reason and the count of errors."""
    from zjtx.intake.synthetic import valid_uscc

    good = _write_roster(
        tmp_path / "好名单.xlsx",
        [("甲精密制造有限公司", valid_uscc(11)), ("乙精密制造有限公司", valid_uscc(12))],
    )
    bad = _write_roster(tmp_path / "错名单.xlsx", [("丙有限公司", "12345"), ("丁有限公司", "9133")])
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(b"not a workbook")
    dialog = _dialog(qtbot, window, [good, bad, broken])
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    texts = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert len(texts) == 3
    assert texts[0].startswith("好名单.xlsx：新增 2 家")
    assert texts[1].startswith("错名单.xlsx：未导入")
    assert "2 家均因错误不能导入" in texts[1]
    assert f"错误 {_errors_of(bad)} 条" in texts[1]
    assert texts[2].startswith("损坏.xlsx：未导入")
    assert "文件已损坏或不是 Excel 工作簿" in texts[2] and "错误 1 条" in texts[2]


def test_issues_show_the_enterprise_name_of_their_row(qtbot, window, tmp_path):
    """An error on a roster row shows that row's 企业名称; a header issue shows none."""
    from zjtx.intake.synthetic import valid_uscc

    roster = _write_roster(
        tmp_path / "名单.xlsx",
        [("甲精密制造有限公司", valid_uscc(21)), ("乙精密制造有限公司", "12345")],
    )
    dialog = _dialog(qtbot, window, [roster])
    places = _shown(dialog, "位置")
    names = _shown(dialog, "企业名称")
    assert names[places.index("名单 · C3")] == "乙精密制造有限公司"
    assert names[places.index("名单 · F1")] == ""  # 联系人: a header issue names no enterprise


def test_severity_filter_and_name_column_with_the_shipped_samples(qtbot, window):
    """全部 / 错误 / 警告 / 提示 with their counts; each shows only its own rows; the blocked
    form's error carries its enterprise's name."""
    from zjtx.intake import read_applicants
    from zjtx.paths import resource_path

    roster = resource_path("samples", "roster_2026.xlsx")
    forms = resource_path("samples", "forms")
    dialog = _dialog(qtbot, window, [roster, forms])
    # Read as the dialog reads them: with the questions the round asks (a 2026 小巨人 round asks
    # the incidents question in its 2026 wording; the samples' older wording is a 提示).
    catalogue = window.service.round_catalogue(ROUND)
    issues = read_applicants([roster, forms], ROUND_DATE.year, catalogue=catalogue).issues
    counts = {s: sum(1 for i in issues if i.severity == s) for s in ("error", "warning", "info")}
    assert all(counts.values())
    combo = dialog.severity_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        f"全部（{len(issues)}）",
        f"错误（{counts['error']}）",
        f"警告（{counts['warning']}）",
        f"提示（{counts['info']}）",
    ]
    for position, (label, severity) in enumerate(
        (("错误", "error"), ("警告", "warning"), ("提示", "info")), start=1
    ):
        combo.setCurrentIndex(position)
        assert _shown(dialog, "级别") == [label] * counts[severity]
    combo.setCurrentIndex(1)
    files = _shown(dialog, "文件")
    names = _shown(dialog, "企业名称")
    assert names[files.index("forms/04_常州智能中晟.xlsx")] == "常州智能中晟电子科技有限公司"
    combo.setCurrentIndex(0)
    assert dialog.issues_view.model().rowCount() == len(issues)
    # A form's mapping: Chinese field names, and a hint that says it cannot be corrected here.
    dialog.mapping_file.setCurrentIndex(dialog.mapping_file.findText("forms/01_南京凯正联创.xlsx"))
    fields = [
        dialog.mapping_model.index(r, 3).data() for r in range(dialog.mapping_model.rowCount())
    ]
    assert "营业收入" in fields and "revenue_y1" not in fields and "name" not in fields
    assert "按栏目名称读取" in dialog.mapping_hint.text()
    dialog.mapping_file.setCurrentIndex(0)
    assert "双击" in dialog.mapping_hint.text()


def test_issues_list_exported_to_xlsx(qtbot, window, tmp_path, monkeypatch):
    """导出问题清单… writes the issues shown (all, then errors only) to an .xlsx; a name that
    starts with = stays text."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from zjtx.intake.synthetic import valid_uscc

    formula = "=cmd|' /C calc'!A0"
    roster = _write_roster(
        tmp_path / "名单.xlsx", [("甲精密制造有限公司", valid_uscc(31)), (formula, "12345")]
    )
    dialog = _dialog(qtbot, window, [roster])
    targets = iter([tmp_path / "问题清单.xlsx", tmp_path / "错误清单.xlsx"])
    asked: list[tuple] = []

    def save_name(*args, **kwargs):
        asked.append(args)
        return str(next(targets)), "Excel 工作簿 (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    shown = {title: _shown(dialog, title) for title in ("文件", "位置", "企业名称", "级别", "说明")}
    qtbot.mouseClick(dialog.export_issues_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=TIMEOUT)
    assert "问题清单" in str(asked[0][2]) and str(asked[0][2]).endswith(".xlsx")
    path = tmp_path / "问题清单.xlsx"
    assert str(path) in dialog.status.text()
    sheet = load_workbook(path).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["文件", "工作表", "单元格", "企业名称", "统一社会信用代码", "字段", "级别",
                       "代码", "说明"]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    body = rows[1:]
    assert [r[0] for r in body] == shown["文件"]
    assert [" · ".join(p for p in r[1:3] if p) for r in body] == shown["位置"]
    assert [r[3] or "" for r in body] == shown["企业名称"]
    assert [r[6] for r in body] == shown["级别"]
    assert [r[8] for r in body] == shown["说明"]
    cell = next(row[3] for row in sheet.iter_rows(min_row=2) if row[3].value == formula)
    assert cell.data_type == "s"
    assert next(r for r in body if r[3] == formula)[4] == "12345"

    dialog.severity_filter.setCurrentIndex(1)
    qtbot.mouseClick(dialog.export_issues_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=TIMEOUT)
    errors = [[c.value for c in row] for row in load_workbook(tmp_path / "错误清单.xlsx").active]
    assert [r[6] for r in errors[1:]] == ["错误"] * _errors_of(roster)


def test_templates_downloaded_from_the_window_are_recognised(qtbot, window, tmp_path, monkeypatch):
    """下载模板 writes the roster and the form template where the evaluator chose; the reader
    and zjtx check recognise them."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from zjtx.cli import main
    from zjtx.intake import read_applicants

    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.open_import()
    dialog = window.import_dialog
    asked: list[str] = []

    def save_name(parent, caption, default, *rest):
        asked.append(default)
        return str(tmp_path / "下载" / Path(default).name), "Excel 工作簿 (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    (tmp_path / "下载").mkdir()
    kinds = {}
    for action, kind in ((dialog.roster_template_action, "roster"),
                         (dialog.form_template_action, "form")):  # fmt: skip
        action.trigger()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=TIMEOUT)
        written = tmp_path / "下载" / Path(asked[-1]).name
        assert written.exists() and str(written) in dialog.status.text()
        assert "已保存" in dialog.status.text()
        kinds[kind] = written
    assert [Path(a).name for a in asked] == [
        f"{ROUND}_申报名单模板.xlsx",
        f"{ROUND}_申报表模板.xlsx",
    ]
    # The round's 2026 小巨人 rulebook asks the incidents question in 2号's wording.
    headers = [c.value for c in load_workbook(kinds["roster"])["申报名单"][2]]
    assert any(str(h).startswith("近三年发生较大生产安全事故") for h in headers)
    files = read_applicants(list(kinds.values()), ROUND_DATE.year).files
    assert [f.kind for f in files] == ["roster", "form"]
    assert not [i for f in files for i in f.issues if i.severity == "error"]
    assert main(["check", str(kinds["roster"]), "--year", "2026"]) == 0
    assert not list((tmp_path / "下载").glob("*.part"))


def test_window_messages_speak_of_the_window_not_the_command_line(qtbot, window, tmp_path):
    """An unknown column and a file without a header: the wizard's messages name its own
    controls, never --map or zjtx template (the command line keeps its wording)."""
    from openpyxl import Workbook

    from zjtx.intake import read_applicants
    from zjtx.intake.synthetic import valid_uscc

    roster = _write_roster(tmp_path / "名单.xlsx", [("甲精密制造有限公司", valid_uscc(41))])
    workbook = Workbook()
    workbook.active.append(["会议纪要"])
    workbook.active.append(["今天讨论了申报工作"])
    notes = tmp_path / "纪要.xlsx"
    workbook.save(notes)
    dialog = _dialog(qtbot, window, [roster, notes])
    messages = _shown(dialog, "说明")
    texts = [*messages, dialog.summary.text(), dialog.status.text()]
    assert not [t for t in texts if "--map" in t or "zjtx template" in t or "命令行" in t]
    assert any("双击" in m and "对应字段" in m for m in messages)
    assert any("下载模板" in m for m in messages)
    cli = [i.message for i in read_applicants([roster, notes], ROUND_DATE.year).issues]
    assert any("--map" in m for m in cli) and any("zjtx template" in m for m in cli)


def test_a_template_that_cannot_be_saved_says_why_in_chinese(qtbot, window, tmp_path, monkeypatch):
    """Saving a template under a path whose folder is a file: a red Chinese message naming the
    place, nothing written, the wizard usable again."""
    from PySide6.QtWidgets import QFileDialog

    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="little-giant", round_date=ROUND_DATE)
    window.open_import()
    dialog = window.import_dialog
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "模板.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), XLSX))
    )
    dialog.roster_template_action.trigger()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=TIMEOUT)
    text = dialog.status.text()
    assert text.startswith(f"无法保存到“{target}”") and "不是文件夹" in text
    assert "c62828" in dialog.status.styleSheet()
    assert not target.exists() and dialog.template_button.isEnabled()


def test_the_dialog_scores_a_large_roster_while_reading_it(
    qtbot, window, service, tmp_path, monkeypatch
):
    """On a machine with a core to spare, the workers that scored a large file's rows while
    the dialog read it are kept for its import, which stores what one process stores; they
    end with the import, or when the dialog is closed after a read."""
    import multiprocessing

    from tests.store.pooled import two_rulebook_people, write_people_roster
    from zjtx.store import StoreService, open_store, scoring_pool

    roster = write_people_roster(tmp_path / "名单.xlsx", two_rulebook_people())
    alone = StoreService(open_store(f"sqlite:///{tmp_path / 'alone' / 'zjtx.sqlite3'}"))
    alone.evaluations.workers = 0
    alone.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    alone.import_paths(ROUND, [roster])
    expected = {(r.uscc, r.verdict, r.score) for r in alone.list_applicants(ROUND)}
    alone.store.close()
    service.evaluations.workers = 1
    service.evaluations.early_bytes = 0  # every file is large enough
    monkeypatch.setattr(scoring_pool, "PIECE", 4)  # pieces from a small file
    taken: list[bool] = []
    real_early = scoring_pool.PoolScoring._early

    def spied(pool, handle, job):
        taken.append(True)
        return real_early(pool, handle, job)

    monkeypatch.setattr(scoring_pool.PoolScoring, "_early", spied)
    dialog = _dialog(qtbot, window, [roster])
    assert dialog.early is not None
    with qtbot.waitSignal(dialog.imported, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert taken and dialog.early is None
    assert {(r.uscc, r.verdict, r.score) for r in service.list_applicants(ROUND)} == expected
    qtbot.waitUntil(lambda: multiprocessing.active_children() == [], timeout=TIMEOUT)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=TIMEOUT)
    assert dialog.early is not None
    dialog.close()
    assert dialog.early is None
    qtbot.waitUntil(lambda: multiprocessing.active_children() == [], timeout=TIMEOUT)
