"""问题清单: issues of real read files with their enterprise's name, written and read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from zjtx.export.issues_xlsx import ISSUE_COLUMNS, issue_rows, write_issues_xlsx
from zjtx.files import write_atomically
from zjtx.intake import read_applicants
from zjtx.intake.synthetic import valid_uscc
from zjtx.paths import resource_path
from zjtx.scoring.catalogue import load_catalogue

YEAR = 2026
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _roster(path: Path) -> Path:
    """Three rows: a good one, a broken code under a formula-like name, a bad revenue."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["2026年申报名单"])
    sheet.append(["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "备注栏"])
    sheet.append(["甲精密制造有限公司", valid_uscc(501), 1200, ""])
    sheet.append([FORMULA, "12345", 800, ""])
    sheet.append(["丙精密制造有限公司", valid_uscc(503), "很多", ""])
    sheet["A4"].data_type = "s"  # typed as text in the roster, not a formula
    workbook.save(path)
    return path


def test_rows_carry_the_name_of_the_enterprise_on_that_row(tmp_path, catalogue):
    """A row's issue names that row's enterprise, a blocked form's issue its enterprise; the
    field is in Chinese with its year and unit; a header issue names no enterprise."""
    roster = _roster(tmp_path / "名单.xlsx")
    form = resource_path("samples", "forms", "04_常州智能中晟.xlsx")
    files = read_applicants([roster, form], YEAR).files
    rows = issue_rows(files, YEAR, catalogue)
    assert len(rows) == sum(len(f.issues) for f in files)
    by_cell = {(r.issue.file, r.place): r for r in rows}
    assert by_cell[("名单.xlsx", "B4")].name == FORMULA
    revenue = by_cell[("名单.xlsx", "C5")]
    assert revenue.name == "丙精密制造有限公司"
    assert revenue.field == "2025年营业收入（万元）"
    assert by_cell[("名单.xlsx", "D2")].name == ""  # 备注栏: not a field, no enterprise
    (blocked,) = [r for r in rows if r.issue.file == form.name]
    assert blocked.severity == "错误" and blocked.name == "常州智能中晟电子科技有限公司"


def test_written_workbook_reads_back_with_text_never_a_formula(tmp_path, catalogue):
    """The .xlsx has the nine columns, one row per issue in order, a frozen header, and a
    name starting with = kept as text."""
    files = read_applicants([_roster(tmp_path / "名单.xlsx")], YEAR).files
    rows = issue_rows(files, YEAR, catalogue)
    path = write_issues_xlsx(rows, tmp_path / "问题清单.xlsx")
    sheet = load_workbook(path).active
    assert sheet.title == "问题清单" and sheet.freeze_panes == "A2"
    values = [[c.value if c.value is not None else "" for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == ISSUE_COLUMNS
    assert [tuple(v) for v in values[1:]] == [r.cells() for r in rows]
    formula = next(row[3] for row in sheet.iter_rows(min_row=2) if row[3].value == FORMULA)
    assert formula.data_type == "s" and formula.quotePrefix
    assert sheet.column_dimensions["I"].width >= 60
    assert not list(tmp_path.glob("*.part"))


def test_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path):
    """A writer that fails half-way leaves the earlier file as it was and no .part file."""
    target = tmp_path / "问题清单.xlsx"
    target.write_bytes(b"earlier")

    def half_then_fail(temporary: Path) -> None:
        temporary.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"earlier"
    assert list(tmp_path.iterdir()) == [target]
