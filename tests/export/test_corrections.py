"""补正清单: what each applicant must supply, in its words and with where it belongs; the
Excel and PDF read back; the CLI; a 退回补充材料 decision carrying the list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

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
    assert table[0][:8] == ("序号", "企业名称", "统一社会信用代码", "所在地区", "评价结论",
                            "类别", "相关指标", "需补充内容")  # fmt: skip
    assert len(table) == 1 + model.items
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
