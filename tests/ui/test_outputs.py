"""Window exports: a provincial overlay's own fields print with their Chinese labels."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

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
