"""专家评分汇总表: the view-model row by row, and the PDF and Excel files read back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import openpyxl
from pypdf import PdfReader

from tests.store.conftest import database_url  # noqa: F401 - the SQLite / PostgreSQL fixture
from tests.store.helpers import write_lead_product_sample
from tests.store.test_panels import (
    ROUND,
    A,
    _staff,
    panels,  # noqa: F401 - the fixture
)
from zjtx.export.panel_sheet import panel_sheet_of, write_panel_sheet_pdf, write_panel_sheet_xlsx
from zjtx.export.report_model import panel_page
from zjtx.store import StoreService, open_store
from zjtx.store.panels import Panels

MADE = datetime(2026, 6, 2, 9, 30, tzinfo=UTC)


def _sheet(store):
    names = _staff(store, 4)
    store.set_aggregation(ROUND, "trimmed", evaluator="秘书")
    for name, points in zip(names, ("6", "7", "8", "9", "10"), strict=True):
        store.judge(ROUND, A, member=name, criterion="T-SCORE", met=True, points=points,
                    evaluator="秘书")  # fmt: skip
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=False, evaluator="秘书")
    return panel_sheet_of(store, ROUND, MADE)


def test_sheet_rows_hold_every_members_position(panels):  # noqa: F811
    """One row per applicant and judgement item, the members' positions in order, the
    agreement and the trimmed aggregate."""
    _, store = panels
    sheet = _sheet(store)
    assert sheet.columns[5:10] == ("王组长（组长）", "专家1（评审专家）", "专家2（评审专家）",
                                   "专家3（评审专家）", "专家4（评审专家）")  # fmt: skip
    assert [r.cells() for r in sheet.rows[:2]] == [
        (1, "测试企业1有限公司", A, "T-JUDGE", "主导产品属于重点领域",
         "未表态", "不符合", "未表态", "未表态", "未表态", "尚未全部表态", "—", "未决定"),
        (1, "测试企业1有限公司", A, "T-SCORE", "技术水平",
         "符合（6 分）", "符合（7 分）", "符合（8 分）", "符合（9 分）", "符合（10 分）", "一致",
         "8.00（去掉一个最高分和一个最低分后平均，3 人）", "未决定"),
    ]  # fmt: skip
    assert len(sheet.rows) == 4  # two applicants, two judgement items each


def test_sheet_files_read_back(panels, tmp_path):  # noqa: F811
    """The PDF carries the title, rule, positions and signature lines; the workbook the rows."""
    _, store = panels
    sheet = _sheet(store)
    pages = write_panel_sheet_pdf(sheet, tmp_path / "汇总.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "汇总.pdf").pages)
    text = text.replace("\n", "").replace(" ", "")  # narrow columns wrap their cells
    assert pages == 1
    for expected in ("专家评分汇总表", "去掉一个最高分和一个最低分后平均", "符合（10分）",
                     "专家签字", "省经信厅", "8.00"):  # fmt: skip
        assert expected in text
    write_panel_sheet_xlsx(sheet, tmp_path / "汇总.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "汇总.xlsx").active.iter_rows(values_only=True))
    assert not list(tmp_path.glob("*.part*"))
    # The workbook gives each member's stance and points apart, the points as numbers (a
    # chair sums and sorts them in Excel); the aggregate is a number beside its rule.
    assert rows[0][5:9] == ("王组长（组长）｜表态", "王组长（组长）｜评分",
                            "专家1（评审专家）｜表态", "专家1（评审专家）｜评分")  # fmt: skip
    assert rows[0][-4:] == ("一致性", "汇总评分", "汇总说明", "最终决定")
    assert rows[2] == (1, "测试企业1有限公司", A, "T-SCORE", "技术水平",
                       "符合", 6, "符合", 7, "符合", 8, "符合", 9, "符合", 10, "一致",
                       8, "去掉一个最高分和一个最低分后平均，3 人", "未决定")  # fmt: skip
    assert rows[1][5:7] == ("未表态", None) and rows[1][-3:-1] == (None, None)
    assert len(rows) == len(sheet.rows) + 1


def test_an_item_the_data_caps_shows_the_points_allowed(database_url, tmp_path):  # noqa: F811
    """IN22-S1 of a 主导产品 at 40 % of revenue can earn 0–15 of its 20 points: the sheet's
    汇总评分 and the assessment report's panel page say so, as `zjtx panel show` does."""
    record = write_lead_product_sample(tmp_path / "a.json")
    store = open_store(database_url)
    try:
        service = StoreService(store)
        service.create_round(ROUND, tier="innovative-sme", round_date=date(2025, 6, 1))
        service.import_paths(ROUND, [tmp_path / "a.json"])
        panels = Panels(store, service.evaluations)
        _staff(panels, 1)
        panels.judge(ROUND, record["uscc"], member="专家1", criterion="IN22-S1", met=True,
                     points="12", evaluator="秘书")  # fmt: skip
        allowed = "（按申报数据可评 0–15 分，满分 20 分）"
        rows = {row.criterion: row for row in panel_sheet_of(panels, ROUND, MADE).rows}
        assert rows["IN22-S1"].aggregate == "12.00（算术平均，1 人）" + allowed
        assert allowed not in rows["IN22-0"].aggregate  # unscored: nothing to cap
        page = panel_page(panels.positions(ROUND, record["uscc"]), None)
        [item] = [i for i in page.items if i.criterion_id == "IN22-S1"]
        assert item.aggregate == "12.00（算术平均，1 人）" + allowed
    finally:
        store.close()
