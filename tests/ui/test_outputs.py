"""Window exports: a provincial overlay's own fields print with their Chinese labels."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.intake.synthetic import write_applicants_json
from zjtx.ui.outputs import run_export


def test_a_report_of_an_overlay_round_names_the_overlay_fields_in_chinese(
    service, sample_json, tmp_path
):
    """A 山东 round's report lists missing 特色化 data by label (属于本省重点产业领域情况…), never by key."""
    service.create_round(
        "山东2025第一批", tier="srdi-sme", round_date=date(2025, 6, 1), overlay="shandong-2022"
    )
    service.import_paths("山东2025第一批", [sample_json])
    row = service.list_applicants("山东2025第一批")[0]
    outcome = run_export(service, "山东2025第一批", "report", tmp_path / "out", uscc=row.uscc)
    (pdf,) = [f for f in outcome.files if f.suffix == ".pdf"]
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert row.name in text
    assert "sd_" not in text
    assert "属于本省重点产业领域情况" in "".join(text.split())  # sd_key_industry's label


def test_an_empty_publicity_export_returns_a_warning_naming_the_reason(
    service, sample_json, tmp_path
):
    """Nobody decided 推荐 yet: the file is written, and the outcome carries a warning why."""
    service.create_round("2025第一批", tier="srdi-sme", round_date=date(2025, 6, 1))
    service.import_paths("2025第一批", [sample_json])
    total = len(service.list_applicants("2025第一批"))
    outcome = run_export(service, "2025第一批", "publicity_pdf", tmp_path / "out")
    assert outcome.warning is not None
    assert outcome.warning.startswith(
        f"公示名单为空：本批次 {total} 家中没有作出“推荐”决定的企业（"
    )
    (pdf,) = outcome.files
    assert "本批次无公示企业" in "".join(PdfReader(pdf).pages[0].extract_text().split())
    summary = run_export(service, "2025第一批", "summary_xlsx", tmp_path / "out")
    assert summary.warning is None


def test_two_choices_of_as_many_applicants_go_to_folders_of_their_own(service, tmp_path):
    """所选企业评审意见表 twice with different applicants of the same count: two folders, each
    holding its own reports beside a combined PDF of exactly them."""
    service.create_round(ROUND, tier="innovative-sme", round_date=ROUND_DATE)
    service.import_paths(ROUND, [write_applicants_json(tmp_path / "a.json", 4, ROUND_DATE.year)])
    codes = [row.uscc for row in service.list_applicants(ROUND)]
    first = run_export(service, ROUND, "chosen_reports", tmp_path / "out", usccs=codes[:2])
    second = run_export(service, ROUND, "chosen_reports", tmp_path / "out", usccs=codes[2:])
    assert first.folder.name == f"{ROUND}_评审意见表_所选2家"
    assert second.folder.name == f"{ROUND}_评审意见表_所选2家_2"
    for outcome, chosen in ((first, codes[:2]), (second, codes[2:])):
        singles = sorted(
            p.name.split("_")[0] for p in outcome.folder.glob("*.pdf") if "汇编" not in p.name
        )
        assert singles == sorted(chosen)
        assert len(PdfReader(outcome.files[-1]).outline) == 2
