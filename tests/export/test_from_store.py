"""Outputs of a stored round read with one bulk store call: same outcomes, few queries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from zjtx.export.from_store import review_info, round_outcomes
from zjtx.export.from_store import round_outcomes as cli_round_outcomes
from zjtx.intake.synthetic import write_applicants_json
from zjtx.store import StoreService, open_store
from zjtx.store.scoring_port import RulebookScorer
from zjtx.ui.outputs import run_export

ROUND = "2026年第一批"
ROUND_DATE = date(2026, 5, 20)
COUNT = 200


def _synthetic_json(path: Path, count: int) -> Path:
    return write_applicants_json(path, count, ROUND_DATE.year, 11)


@pytest.fixture(scope="module")
def round_store(tmp_path_factory) -> str:
    """A real SQLite file with a 200-applicant round, some of it reviewed."""
    folder = tmp_path_factory.mktemp("round")
    url = f"sqlite:///{folder / 'zjtx.sqlite3'}"
    with open_store(url) as store:
        service = StoreService(store)
        service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
        service.import_paths(
            ROUND, [_synthetic_json(folder / "申报.json", COUNT)], evaluator="王评审"
        )
        rows = service.list_applicants(ROUND)
        judged = [r for r in rows if r.open_judgements][:5]
        for row in judged:
            criterion = service.review_state(ROUND, row.uscc).open_judgements[0][0]
            service.confirm_criterion(
                ROUND, row.uscc, criterion, "met", "已核实", evaluator="王评审"
            )
        for row in [r for r in rows if r.verdict == "not_qualified"][:3]:
            service.decide(ROUND, row.uscc, "reject", "不符合认定标准", evaluator="李组长")
    return url


@pytest.fixture
def service(round_store):
    store = open_store(round_store)
    yield StoreService(store)
    store.close()


def _queries(service: StoreService) -> list[str]:
    statements: list[str] = []
    event.listen(
        service.store.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *args: statements.append(statement),
    )
    return statements


def test_round_outcomes_equal_the_one_by_one_outcomes(service, monkeypatch):
    """The bulk read gives every applicant the evaluation and review the per-applicant path gives."""
    info = service.get_round(ROUND)
    order = [r.uscc for r in service.list_applicants(ROUND)]
    expected = []
    scorer = RulebookScorer()
    for uscc in order:
        detail = service.applicant_detail(ROUND, uscc)
        review, confirmations = review_info(detail)
        expected.append((scorer(detail.applicant, info, confirmations), detail.applicant, review))

    monkeypatch.setattr(service, "applicant_detail", lambda *a: pytest.fail("one by one"))
    statements = _queries(service)
    progress: list[tuple[int, int]] = []
    got_info, outcomes = cli_round_outcomes(
        service, ROUND, progress=lambda d, t: progress.append((d, t))
    )
    assert got_info == info and len(outcomes) == COUNT
    assert [(o.evaluation, o.applicant, o.review) for o in outcomes] == expected
    assert progress[-1] == (COUNT, COUNT) and len(progress) == COUNT
    assert sum(1 for o in outcomes if o.review.confirmations) == 5
    assert sum(1 for o in outcomes if o.review.decision == "reject") == 3
    # A few queries per chunk of 200, not a dozen per applicant.
    assert len(statements) < 30


def test_ui_outputs_read_the_round_in_one_bulk_call(service, monkeypatch, tmp_path):
    """The window's exports read every applicant through round_details and write every row."""
    calls: list[object] = []
    bulk = service.round_details

    def counted(*args, **kwargs):
        calls.append(args)
        return bulk(*args, **kwargs)

    monkeypatch.setattr(service, "round_details", counted)
    monkeypatch.setattr(service, "applicant_detail", lambda *a: pytest.fail("one by one"))
    _, outcomes = round_outcomes(service, ROUND)
    assert len(outcomes) == COUNT and len(calls) == 1
    outcome = run_export(service, ROUND, "results_xlsx", tmp_path)
    sheet = load_workbook(outcome.files[0]).worksheets[0]
    cells = {value for row in sheet.iter_rows(values_only=True) for value in row}
    assert {o.applicant.name for o in outcomes} <= cells
    assert len(calls) == 2


def test_all_reports_of_a_200_applicant_round(service, tmp_path):
    """All reports: one PDF per applicant plus the combined file with a bookmark each."""
    progress: list[tuple[int, int]] = []
    outcome = run_export(
        service, ROUND, "reports", tmp_path, progress=lambda d, t: progress.append((d, t))
    )
    singles = [p for p in outcome.files if "汇编" not in p.name]
    assert len(singles) == COUNT
    combined = outcome.files[-1]
    assert len(PdfReader(combined).outline) == COUNT
    first = service.list_applicants(ROUND)[0]
    assert any(p.name.startswith(first.uscc) for p in singles)
    assert progress[-1][0] == progress[-1][1]


def test_outputs_mark_and_warn_of_a_decision_that_needs_a_second_look(tmp_path):
    """A 推荐 whose verdict an override changed afterwards: the 推荐汇总表 and the 评审意见表
    print 推荐（需复核） and warn, naming it and why; the 公示名单 is not made (a file already
    there stays as it was) until the decision is saved again."""
    import pytest

    from zjtx.export.summary import PublicityRefused
    from zjtx.paths import resource_path

    with open_store(f"sqlite:///{tmp_path / 'zjtx.sqlite3'}") as store:
        service = StoreService(store)
        service.create_round("2025年第一批", tier="srdi-sme", round_date=date(2025, 5, 1))
        service.import_paths("2025年第一批", [resource_path("samples", "applicants.json")])
        row = next(
            r
            for r in service.list_applicants("2025年第一批")
            if r.verdict == "qualified" and not r.open_warnings
        )
        service.decide("2025年第一批", row.uscc, "recommend", "同意推荐", evaluator="王评审")
        service.confirm_criterion(
            "2025年第一批", row.uscc, "SR22-0", "unmet", "已列入经营异常名录", evaluator="王评审"
        )

        summary = run_export(service, "2025年第一批", "summary_xlsx", tmp_path / "out")
        earlier = tmp_path / "out" / "2025年第一批_公示名单.pdf"
        earlier.write_bytes(b"%PDF- an earlier list")
        with pytest.raises(PublicityRefused) as refused:
            run_export(service, "2025年第一批", "publicity_pdf", tmp_path / "out")
        assert earlier.read_bytes() == b"%PDF- an earlier list"
        report = run_export(service, "2025年第一批", "report", tmp_path / "out", uscc=row.uscc)
        # Decided again after a second look, the decision no longer needs one: the list is made.
        service.decide("2025年第一批", row.uscc, "reject", "复核后不予推荐", evaluator="王评审")
        publicity = run_export(service, "2025年第一批", "publicity_pdf", tmp_path / "out")

    why = "决定作出后评价结论由“符合条件”变为“不符合条件”"
    notice = f"1 家企业的决定需复核：\n· {row.name}（{row.uscc}）：{why}"
    assert summary.warning == f"推荐汇总表中 {notice}"
    assert str(refused.value) == (
        "公示名单未生成：1 家企业的“推荐”决定需复核。请复核后重新保存决定（或改作其他决定），"
        f"再生成公示名单：\n· {row.name}（{row.uscc}）：{why}"
    )
    assert list(publicity.files) == [earlier]
    assert publicity.warning.startswith("公示名单为空")
    assert "本批次无公示企业" in "".join(PdfReader(earlier).pages[0].extract_text().split())
    sheet = load_workbook(summary.files[0])["推荐汇总表"]
    line = next(r for r in sheet.iter_rows(values_only=True) if row.uscc in r)
    assert "推荐（需复核）" in line and "不符合条件" in line
    text = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(report.files[0]).pages
    )
    assert "推荐（需复核）" in text
    assert f"需复核{why}" in text  # the 评审意见表 says why, under the decision
    assert report.warning == f"评审意见表中 {notice}"
