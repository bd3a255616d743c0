"""专家评分汇总表: the view-model row by row, and the PDF and Excel files read back."""

from __future__ import annotations

from datetime import UTC, date, datetime

import openpyxl
from pypdf import PdfReader

from tests.export.pdf_helpers import flat_text
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
from zjtx.paths import resource_path
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
    """One row per judgement item of the applicant the panel acted on, the members' positions
    in order, the agreement and the trimmed aggregate; the other applicant counted, not listed."""
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
    assert len(sheet.rows) == 2  # B: nobody judged, no decision
    assert (sheet.listed, sheet.left_out) == (1, 1)
    assert sheet.scope == (
        "列入 1 家：专家组已有判断、意见或回避，或已作最终决定的企业；另有 1 家企业专家组尚未"
        "判断、发表意见或回避，也未作决定，未列入本表"
    )
    # The secretary typed every member's positions: the sheet says so, member by member.
    assert [(n.who, n.kind, n.text) for n in sheet.notes] == [
        (f"{name}（{role}）", "代录", "判断或意见由 秘书 代录")
        for name, role in (("王组长", "组长"), *((f"专家{i}", "评审专家") for i in range(1, 5)))
    ]


def test_sheet_files_read_back(panels, tmp_path):  # noqa: F811
    """The PDF carries the title, rule, positions and signature lines; the workbook the rows."""
    _, store = panels
    sheet = _sheet(store)
    pages = write_panel_sheet_pdf(sheet, tmp_path / "汇总.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "汇总.pdf").pages)
    text = text.replace("\n", "").replace(" ", "")  # narrow columns wrap their cells
    assert pages == 2  # the notes table pushes the signature lines over
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
    # The table, an empty row, then what was left out, outside the filter range.
    assert len(rows) == len(sheet.rows) + 3 and rows[-1][0] == sheet.scope
    notes = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["个人意见、回避与代录"]
    assert [r for r in notes.iter_rows(values_only=True)][1:] == [n.cells() for n in sheet.notes]
    assert sheet.scope.replace(" ", "") in text


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


HAITUO, QIANHAI = "91370200MAER918268", "91440300MA3M39572C"  # 青岛海拓, 深圳前海 (samples)


def _sample_round(database_url, tmp_path):  # noqa: F811
    """The 30 sample applicants judged by a panel of four: 青岛海拓 judged (one vote typed by
    a passer-by, an opinion), 深圳前海 decided and then a 回避 after judging; 28 untouched."""
    store = open_store(database_url)
    service = StoreService(store)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1))
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")])
    board = Panels(store, service.evaluations)
    for name, role in (("王组长", "组长"), ("专家甲", "评审专家"), ("专家乙", "评审专家"),
                       ("专家丙", "评审专家")):  # fmt: skip
        board.add_member(ROUND, name, unit="某单位", role=role, evaluator="王组长")
    for name in ("王组长", "专家甲", "专家乙", "专家丙"):
        board.judge(ROUND, HAITUO, member=name, criterion="LG26-5", met=name != "专家乙",
                     evaluator=name)  # fmt: skip
    board.judge(ROUND, HAITUO, member="专家甲", criterion="LG26-6", met=False, evaluator="路人")
    board.opinion(ROUND, HAITUO, member="专家乙", text="不同意推荐：市场占有率证明不足",
                   evaluator="专家乙")  # fmt: skip
    board.judge(ROUND, QIANHAI, member="专家丙", criterion="LG26-5", met=True, evaluator="专家丙")
    board.opinion(ROUND, QIANHAI, member="专家丙", text="同意推荐，技术领先", evaluator="专家丙")
    service.apply_review(ROUND, QIANHAI, evaluator="王组长", confirm=[], ack_warnings=[],
                         reason="专家组意见", decision="reject", opinion="不推荐")  # fmt: skip
    board.recuse(ROUND, QIANHAI, member="专家丙", reason="本人曾为该企业提供咨询",
                  evaluator="王组长", withdraw_judgements=True)  # fmt: skip
    return store, service, board


def test_sheet_lists_only_what_the_panel_acted_on_with_opinions_recusals_and_proxies(
    database_url,  # noqa: F811
    tmp_path,
):
    """On the samples: two applicants listed, 28 counted as left out; an item the data decided
    (LG26-4) reads 无需判断 with "—" for every member; opinions, the 回避 after judging with
    what it withdrew, the 代录 and 需复核 are on the sheet; both files carry them."""
    store, _, board = _sample_round(database_url, tmp_path)
    try:
        sheet = panel_sheet_of(board, ROUND, MADE)
        late = board.positions(ROUND, QIANHAI).late_recusals["专家丙"]
    finally:
        store.close()
    assert (sheet.listed, sheet.left_out) == (2, 28)
    assert "另有 28 家企业专家组尚未判断、发表意见或回避，也未作决定，未列入本表" in sheet.scope
    assert {r.uscc for r in sheet.rows} == {HAITUO, QIANHAI}
    rows = {(r.uscc, r.criterion): r for r in sheet.rows}
    data_decided = rows[(HAITUO, "LG26-4")]
    assert data_decided.positions == ("—",) * 4 == data_decided.stances
    assert data_decided.agreement == "无需判断（由申报数据得出：符合）"
    assert rows[(HAITUO, "LG26-5")].positions == ("符合", "符合", "不符合", "符合")
    assert rows[(QIANHAI, "LG26-5")].positions == ("未表态", "未表态", "未表态", "回避")
    day = late.at.astimezone().strftime("%Y-%m-%d")
    withdrawn = (f"评审后回避（组长 王组长 于 {day} 确认），其判断（LG26-5）和意见已撤回；"
                 "理由：本人曾为该企业提供咨询")  # fmt: skip
    assert [(n.number, n.uscc, n.who, n.kind, n.text) for n in sheet.notes] == [
        (1, HAITUO, "专家甲（评审专家）", "代录", "判断或意见由 路人 代录"),
        (1, HAITUO, "专家乙（评审专家）", "个人意见", "不同意推荐：市场占有率证明不足"),
        (2, QIANHAI, "专家丙（评审专家）", "评审后回避", withdrawn),
        (2, QIANHAI, "王组长", "最终决定意见", "不推荐"),
        (2, QIANHAI, "—", "需复核", sheet.notes[-1].text),
    ]
    assert sheet.notes[-1].text  # the reason itself is the review's (another module's words)
    write_panel_sheet_xlsx(sheet, tmp_path / "汇总.xlsx")
    book = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    table = list(book["专家评分汇总表"].iter_rows(values_only=True))
    assert table[-1][0] == sheet.scope
    [row] = [r for r in table if r[2] == HAITUO and r[3] == "LG26-4"]
    assert row[5:13] == ("—", None) * 4 and row[13] == "无需判断（由申报数据得出：符合）"
    notes = list(book["个人意见、回避与代录"].iter_rows(values_only=True))
    assert notes[1:] == [n.cells() for n in sheet.notes]
    write_panel_sheet_pdf(sheet, tmp_path / "汇总.pdf")
    text = flat_text(tmp_path / "汇总.pdf")
    for expected in ("无需判断（由申报数据得出：符合）", "另有28家企业", "不同意推荐：市场占有率证明不足",
                     "判断或意见由路人代录", withdrawn.replace(" ", "")):  # fmt: skip
        assert expected in text
