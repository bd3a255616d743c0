"""补正清单: what each applicant must supply, in its words and with where it belongs; the
Excel and PDF read back; the CLI; a 退回补充材料 decision carrying the list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.intake.helpers import write_xlsx
from tests.store.helpers import make_uscc
from tests.store.test_real_rulebooks import COMPLETE
from zjtx.cli import main
from zjtx.export.corrections import (
    CorrectionItem,
    corrections_of_round,
    write_corrections_pdf,
    write_corrections_xlsx,
)
from zjtx.paths import resource_path
from zjtx.store import StoreService, open_store

ROUND = "2026第八批小巨人"


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    store = open_store(f"sqlite:///{tmp_path / 'zjtx.sqlite3'}")
    service = StoreService(store)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1))
    yield service
    store.close()


def _json_round(service, tmp_path: Path) -> None:
    record = {"name": "杭州精工机械有限公司", "uscc": make_uscc(1), **COMPLETE}
    del record["rd_expense_y1"], record["rd_expense_y2"]
    path = tmp_path / "申报.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])


def test_missing_research_expense_is_asked_for_in_the_applicants_words(service, tmp_path):
    """Two missing years of 研发费用: one request with the round's years and where they go."""
    _json_round(service, tmp_path)
    [applicant] = corrections_of_round(service, ROUND).applicants
    assert (applicant.name, applicant.verdict_label) == ("杭州精工机械有限公司", "待定")
    item = next(i for i in applicant.items if i.criterion.startswith("LG26-3 "))
    assert item == CorrectionItem(
        kind="data",
        criterion="LG26-3 近两年研发费用",
        request="请补充：近两年研发费用（2024年、2025年）",
        where="申报.json 第 1 条记录“2024年研发费用（万元）”“2025年研发费用（万元）”项",
        fields=("rd_expense_y1", "rd_expense_y2"),
    )
    assert item.kind_label == "缺少数据"


def test_every_pending_applicant_of_the_sample_round_is_named_with_what_to_supply(
    service, tmp_path
):
    """The roster and forms round: each 待定 applicant is listed, in the xlsx and the PDF."""
    service.import_paths(
        ROUND, [resource_path("samples", "roster_2026.xlsx"), resource_path("samples", "forms")]
    )
    rows = service.list_applicants(ROUND)
    pending = {r.uscc: r.name for r in rows if r.verdict == "pending"}
    assert len(pending) >= 5
    model = corrections_of_round(service, ROUND)
    listed = {a.uscc: a for a in model.applicants}
    assert set(pending) <= set(listed)
    first_others = [a.verdict for a in model.applicants].index(
        next(a.verdict for a in model.applicants if a.verdict != "pending")
    )
    assert all(a.verdict == "pending" for a in model.applicants[:first_others])
    for uscc in pending:
        assert listed[uscc].items
        assert all(i.request.startswith(("请补充：", "请提供证明材料：", "请核实并更正："))
                   for i in listed[uscc].items)  # fmt: skip
        assert all(i.where for i in listed[uscc].items)
    # A roster row's missing value names the file, sheet, row and the column header.
    roster_item = next(
        i
        for a in model.applicants
        for i in a.items
        if "roster_2026.xlsx" in i.where and i.kind == "data"
    )
    assert "申报名单 · 第 " in roster_item.where and roster_item.where.endswith("列")

    sheet = openpyxl.load_workbook(write_corrections_xlsx(model, tmp_path / "补正清单.xlsx")).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:9] == ("序号", "企业名称", "统一社会信用代码", "所在地区", "评价结论",
                            "补正性质", "类别", "相关指标", "需补充内容")  # fmt: skip
    assert len(table) == 1 + model.items + model.score_items
    assert {row[2] for row in table[1:]} >= set(pending)
    pages = write_corrections_pdf(model, tmp_path / "补正清单.pdf")
    reader = PdfReader(tmp_path / "补正清单.pdf")
    assert len(reader.pages) == pages
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(name in text for name in pending.values())
    assert f"共 {len(model.applicants)} 家企业" in text


def test_decided_applicants_need_nothing_more(service, tmp_path):
    """An applicant decided 不推荐 leaves the list; one 退回补充材料 stays on it."""
    _json_round(service, tmp_path)
    service.decide(ROUND, make_uscc(1), "reject", "不符合")
    assert corrections_of_round(service, ROUND).applicants == ()


def test_a_return_decision_carries_the_list_and_the_reimport_shows_what_arrived(service, tmp_path):
    """退回补充材料 with the list: the history says what was asked, then what arrived."""
    _json_round(service, tmp_path)
    [applicant] = corrections_of_round(service, ROUND).applicants
    service.reviews.apply(
        ROUND, make_uscc(1), evaluator=None, confirm=(), ack_warnings=(), reason=None,
        decision="return", opinion="请补充材料", expected_version=None,
        requested=applicant.requested(),
    )  # fmt: skip
    history = service.history(ROUND, make_uscc(1))
    decision = next(e for e in history if e.action == "decision")
    assert "请补充：近两年研发费用（2024年、2025年）" in " ".join(decision.after["requested"])
    assert set(decision.after["requested_fields"]) >= {"rd_expense_y1", "rd_expense_y2"}
    assert "要求补正" in decision.summary

    record = {"name": "杭州精工机械有限公司", "uscc": make_uscc(1), **COMPLETE}
    path = tmp_path / "补正后.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])
    history = service.history(ROUND, make_uscc(1))
    arrival = [e for e in history if e.action == "applicant-version"][-1]
    assert "补正：已收到" in arrival.summary and "2025年研发费用" in arrival.summary
    assert "仍缺" in arrival.summary  # not every asked item arrived


def test_cli_writes_both_formats_and_refuses_another(service, tmp_path, monkeypatch, capsys):
    """`zjtx round corrections NAME --out` writes .xlsx and .pdf; .txt exits 2."""
    _json_round(service, tmp_path)
    monkeypatch.setenv("ZJTX_DATABASE_URL", f"sqlite:///{tmp_path / 'zjtx.sqlite3'}")
    assert main(["round", "corrections", ROUND, "--out", str(tmp_path / "a.xlsx")]) == 0
    assert "1 家企业" in capsys.readouterr().out
    assert main(["round", "corrections", ROUND, "--out", str(tmp_path / "a.pdf"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applicants"][0]["uscc"] == make_uscc(1) and Path(data["file"]).exists()
    assert main(["round", "corrections", ROUND, "--out", str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert ".xlsx 或 .pdf" in err and "Traceback" not in err


INNOVATIVE = "福州2026创新型"


def _innovative_round(service, tmp_path: Path) -> dict[str, object]:
    """An innovative-sme-2022 round: 甲 meets IN22-P by 高新技术企业 (IN22-D2), 乙 by its score,
    丙 reported 前年主营业务收入 0, 丁 failed IN22-0; 甲, 乙 and 丁 leave 近三年较大事故 blank."""
    from tests.store.test_open_scores import OPEN, SCORED

    blank = {k: v for k, v in SCORED.items() if k != "major_incident_3y"}
    records = [
        {"name": "甲公司", "uscc": make_uscc(11), **OPEN, "high_tech_enterprise": True,
         "major_incident_3y": None},
        {"name": "乙公司", "uscc": make_uscc(12), **blank},
        {"name": "丙公司", "uscc": make_uscc(13), **SCORED, "main_revenue_y2": 0},
        {"name": "丁公司", "uscc": make_uscc(14), **OPEN, "abnormal_operation": True,
         "major_incident_3y": None},
    ]  # fmt: skip
    service.create_round(INNOVATIVE, tier="innovative-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "创新型.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    service.import_paths(INNOVATIVE, [path])
    return {a.name: a for a in corrections_of_round(service, INNOVATIVE).applicants}


def _criteria(items) -> list[str]:
    return [i.criterion.split()[0] for i in items if i.criterion]


def test_alternatives_of_a_criterion_met_another_way_are_not_asked_for(service, tmp_path):
    """IN22-P met by IN22-D2 (甲) or by the score (乙): the other routes IN22-D1..D4 cannot
    change the verdict and are not asked for; what keeps them 待定 (IN22-0) is, and 甲's open
    points only apart, as changing its score alone. 丙, whose IN22-P is still open, is asked
    for the routes."""
    listed = _innovative_round(service, tmp_path)
    rows = {r.name: r for r in service.list_applicants(INNOVATIVE)}
    assert rows["甲公司"].verdict == rows["乙公司"].verdict == "pending"
    assert _criteria(listed["甲公司"].items) == ["IN22-0"]
    assert _criteria(listed["甲公司"].score_items) == ["IN22-S1", "IN22-S5"]
    assert _criteria(listed["乙公司"].items) == ["IN22-0"]
    assert {"IN22-D1", "IN22-D2", "IN22-D3", "IN22-D4"} <= set(_criteria(listed["丙公司"].items))


def _open_route_round(service, tmp_path: Path) -> dict[str, object]:
    """An innovative-sme-2022 round of one applicant, 戊, whose 知识产权 counts and 战略性新兴产业
    and every route's figures are missing: 50–75 (创新能力 0–20), so IN22-P is open."""
    from tests.store.test_open_scores import OPEN

    record = {"name": "戊公司", "uscc": make_uscc(15), **OPEN, "major_incident_3y": None,
              "rd_expense_y1": 1}  # fmt: skip
    service.create_round(INNOVATIVE, tier="innovative-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "创新型.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.import_paths(INNOVATIVE, [path])
    [row] = service.list_applicants(INNOVATIVE)
    assert (row.verdict, row.score_text) == ("pending", "50–75")
    return {a.name: a for a in corrections_of_round(service, INNOVATIVE).applicants}


def test_a_missing_route_figure_is_asked_for_once_at_its_route(service, tmp_path):
    """IN22-P open names the routes' figures again: each is asked for once, at its route
    (IN22-D1..D4), not a second time under IN22-P."""
    [entry] = _open_route_round(service, tmp_path).values()
    assert _criteria(entry.items) == [
        "IN22-0", "IN22-S1", "IN22-S5", "IN22-D1", "IN22-D2", "IN22-D3", "IN22-D4"
    ]  # fmt: skip
    fields = [f for i in entry.items + entry.score_items for f in i.fields]
    assert len(fields) == len(set(fields))
    d2 = next(i for i in entry.items if i.criterion.startswith("IN22-D2 "))
    assert d2.fields == ("high_tech_enterprise", "innovation_honor")
    assert d2.request.startswith("请补充：有效期内的高新技术企业")


def test_a_score_item_that_may_lift_the_score_over_the_pass_line_is_asked_for(service, tmp_path):
    """50–75 with 创新能力 0–20: the 知识产权 counts and 战略性新兴产业 may carry the score
    over 60 and so meet IN22-P; they are asked for with what could change the verdict."""
    [entry] = _open_route_round(service, tmp_path).values()
    assert {"IN22-S1", "IN22-S5"} <= set(_criteria(entry.items))
    assert entry.score_items == ()


def test_a_score_item_that_cannot_change_the_verdict_is_asked_for_apart(service, tmp_path):
    """甲 meets IN22-P by IN22-D2: its open 知识产权 and 战略性新兴产业 points cannot change
    the verdict, only the score; they are listed apart (可补充（仅影响得分）) in the view-model,
    the workbook's 补正性质 and the PDF, and a 退回补充材料 asks for them as such, awaiting
    none of their fields."""
    listed = _innovative_round(service, tmp_path)
    jia = listed["甲公司"]
    assert [i.fields for i in jia.score_items] == [
        ("ip1_high_value", "ip1_self_developed", "ip1_total", "ip2_total"),
        ("strategic_emerging",),
    ]
    requested = jia.requested()
    assert [r.fields for r in requested[1:]] == [(), ()]
    assert requested[1].text.startswith("〔可补充（仅影响得分）〕请补充：与主导产品相关的")
    model = corrections_of_round(service, INNOVATIVE)
    sheet = openpyxl.load_workbook(write_corrections_xlsx(model, tmp_path / "a.xlsx")).active
    kinds = [(r[1], r[5], r[7].split()[0]) for r in sheet.iter_rows(min_row=2, values_only=True)
             if r[1] == "甲公司"]  # fmt: skip
    assert kinds == [
        ("甲公司", "需补正（可能改变评价结论）", "IN22-0"),
        ("甲公司", "可补充（仅影响得分）", "IN22-S1"),
        ("甲公司", "可补充（仅影响得分）", "IN22-S5"),
    ]
    write_corrections_pdf(model, tmp_path / "a.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "a.pdf").pages)
    flat = "".join(text.split())
    assert "可补充（仅影响得分）：无论补充与否，评价结论都不会因此改变" in flat
    assert f"另{model.score_items}项可补充（仅影响得分）" in flat


def test_a_quantity_that_cannot_be_computed_says_why_and_where(service, tmp_path):
    """前年主营业务收入 0: growth cannot be computed. Not "所需数据" with no place: why, and the
    figure's own place, for the enterprise to check."""
    listed = _innovative_round(service, tmp_path)
    item = next(i for i in listed["丙公司"].items if i.criterion.startswith("IN22-S3 "))
    assert item == CorrectionItem(
        kind="undefined",
        criterion="IN22-S3 上年度主营业务收入增长率",
        request="请核实：前年主营业务收入为 0，上年度主营业务收入增长率无法计算。"
        "如填写有误请更正；如属实请说明情况",
        where="创新型.json · [3].main_revenue_y2",
        fields=("main_revenue_y2",),
    )
    assert item.kind_label == "数据无法计算"


def test_a_failed_applicant_is_not_asked_for_what_cannot_lift_it(service, tmp_path):
    """丁 failed IN22-0 (经营异常名录): its open items cannot change 不符合条件; it is not on
    the list (nothing to supply)."""
    listed = _innovative_round(service, tmp_path)
    rows = {r.name: r for r in service.list_applicants(INNOVATIVE)}
    assert rows["丁公司"].verdict == "not_qualified"
    assert "丁公司" not in listed


def test_a_csv_rosters_row_is_named_without_a_sheet(service, tmp_path):
    """A CSV has no sheet: the place is 文件 · 第 N 行“…”列, not 文件 · None · 第 N 行."""
    path = tmp_path / "名单.csv"
    path.write_text(
        "企业名称,统一社会信用代码,所在市,2025年营业收入（万元）\n"
        f"漳州芗城五金制品有限公司,{make_uscc(21)},漳州市,5234\n",
        encoding="utf-8",
    )
    service.create_round(INNOVATIVE, tier="innovative-sme", round_date=date(2026, 6, 1))
    service.import_paths(INNOVATIVE, [path])
    [applicant] = corrections_of_round(service, INNOVATIVE).applicants
    places = [i.where for i in applicant.items if i.kind == "data"]
    assert places and all(p.startswith("名单.csv · 第 2 行“") for p in places), places
    assert not any("None" in p for p in places)


def test_a_question_answered_in_another_versions_words_is_asked_again_at_that_answer(
    service, tmp_path
):
    """A 2026 round's 申请书 answering the 2022 incidents question: SR26-0 asks for the 2026
    answer at the cell of the one given (not at a row the form does not have), once, and the
    question-wording-other warning is not listed again beside it."""
    import docx

    old = "近三年发生重大安全（含网络、数据安全）、质量、环境污染事故或偷漏税等违法违规行为"
    document = docx.Document()
    rows = [("企业名称", "宁波甬芯精密机械有限公司"), ("统一社会信用代码", make_uscc(31))]
    rows += [("列入经营异常名录", "□是 ☑否"), (old, "□是 ☑否")]
    table = document.add_table(rows=len(rows), cols=2)
    for r, (label, answer) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = label, answer
    path = tmp_path / "申请书.docx"
    document.save(path)
    service.create_round("宁波2026", tier="srdi-sme", round_date=date(2026, 6, 15))
    service.import_paths("宁波2026", [path])
    [applicant] = corrections_of_round(service, "宁波2026").applicants
    asked = [i for i in applicant.items if "major_incident_3y" in i.fields]
    assert [i.kind for i in asked] == ["data"]
    assert asked[0].criterion.startswith("SR26-0 ")
    assert asked[0].where.startswith(
        "申请书.docx · 表1 · 第4行第1列（原按另一版问法作答，请按本批次问法重新回答）；"
    )
    assert "近三年发生较大生产安全事故" not in asked[0].where  # a row the form does not have


def test_an_applicant_waiting_for_its_type_is_asked_for_it(service, tmp_path):
    """No 申报类型, 复核 answers given, 本年度 45 and 上年度 52: 待定 only for want of its type,
    so the 补正清单 asks for 申报类型 as what could change the outcome, at its place."""
    record = {"name": "杭州精工机械有限公司", "uscc": make_uscc(41), **COMPLETE}
    record.pop("application_type")
    record.update(platform_score=45, platform_score_prev=52)
    record.update(annual_update_on_time=True, major_change_report="none")
    path = tmp_path / "申报.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_paths("浙江2026", [path])
    service.confirm_criterion(
        "浙江2026", make_uscc(41), "SR26-5", "met", "国内细分市场占有率第二", evaluator="王评审"
    )
    [applicant] = corrections_of_round(service, "浙江2026").applicants
    assert applicant.verdict_label == "待定" and not applicant.score_items
    [item] = applicant.items
    assert (item.kind, item.criterion, item.fields) == ("data", "申报类型", ("application_type",))
    assert item.request.startswith("请补充：申报类型（新申报或复核）。按新申报评价为“不符合条件”")
    assert item.where == "申报.json 第 1 条记录“申报类型”项"


def test_a_submission_the_gate_refused_is_sent_back_until_a_later_file_imports_it(
    service, tmp_path
):
    """A roster row refused for its code's check character is listed apart (未能导入的申报:
    file, code as written, cell, the reason) in the model, the .xlsx and the PDF; once a
    corrected file imports the enterprise it is no longer listed."""
    good = make_uscc(51)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    head = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"]
    first = write_xlsx(tmp_path / "名单.xlsx", [head, ["甲公司", wrong, 5000]])
    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_paths("浙江2026", [first])
    model = corrections_of_round(service, "浙江2026")
    [refused] = model.refused
    assert (refused.file, refused.name, refused.uscc, refused.where) == (
        "名单.xlsx", "甲公司", wrong, "名单 B2"
    )  # fmt: skip
    assert "校验码错误" in refused.reasons[0]
    assert model.counts_text().endswith("；另有 1 份申报未能导入")
    workbook = openpyxl.load_workbook(write_corrections_xlsx(model, tmp_path / "补正.xlsx"))
    rows = list(workbook["未能导入的申报"].iter_rows(min_row=2, values_only=True))
    assert rows == [(1, "名单.xlsx", "甲公司", wrong, "名单 B2", refused.reasons[0])]
    write_corrections_pdf(model, tmp_path / "补正.pdf")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "补正.pdf").pages)
    assert "未能导入的申报" in text and wrong in text
    fixed = write_xlsx(tmp_path / "名单（补正）.xlsx", [head, ["甲公司", good, 5000]])
    service.import_paths("浙江2026", [fixed])
    assert corrections_of_round(service, "浙江2026").refused == ()
