"""The assessment report's header names the notices a round was judged by and its settings."""

from datetime import date

from tests.export.factories import MADE_AT, applicant_for
from tests.export.pdf_helpers import flat_text
from tests.scoring.applicants import base, d
from zjtx.domain.applicant import Applicant
from zjtx.export.report_model import build_assessment_report
from zjtx.export.report_pdf import render_assessment_pdf
from zjtx.scoring import score_applicant
from zjtx.scoring.catalogue import load_catalogue


def _renewal(round_date: date, **settings: bool):
    values = {**base("little-giant-2022"), "application_type": "renewal", "revenue_y1": d(4999)}
    return score_applicant(
        Applicant(values=values), round_date=round_date, tier="little-giant", settings=settings
    )


def _report(evaluation):
    return build_assessment_report(
        evaluation,
        catalogue=load_catalogue(),
        applicant=applicant_for(evaluation),
        review=None,
        made_at=MADE_AT,
    )


def test_header_names_the_2025_notice_in_the_pdf(tmp_path):
    """A 2025 小巨人 renewal's report names 190号 and its settings under the rulebook line."""
    report = _report(_renewal(date(2025, 6, 1)))
    assert report.policy[0].startswith("适用通知：工信厅企业函〔2025〕190号《")
    assert any("5000万元" in line and "190号" in line for line in report.policy)
    path = tmp_path / "report.pdf"
    render_assessment_pdf(report, path)
    text = flat_text(path).replace("\n", "")
    assert "工信厅企业函〔2025〕190号" in text and "适用通知" in text


def test_header_shows_an_override_as_an_override(tmp_path):
    """A 2026 renewal round switching the carried waiver off prints 本批次改定 and what the
    notice said; the setting it kept stays marked ⚠未核实."""
    report = _report(_renewal(date(2026, 6, 1), renewal_growth_waived=False))
    waiver = next(line for line in report.policy if "增长率" in line)
    assert "关闭（本批次改定；工信厅企业函〔2026〕117号为启用）" in waiver
    floor = next(line for line in report.policy if "5000万元" in line)
    assert "（未核实）" in floor
    path = tmp_path / "report.pdf"
    render_assessment_pdf(report, path)
    text = flat_text(path).replace("\n", "")
    assert "本批次改定" in text and "未核实" in text
    assert "U+26A0" not in text  # no ⚠ the font lacks


def test_header_is_empty_without_notices():
    """A 2024 round is judged by the rulebook as written: no notice line."""
    assert _report(_renewal(date(2024, 6, 1))).policy == ()
