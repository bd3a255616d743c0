"""Batch export: one PDF per applicant over a process pool, combined PDF, progress, cancel."""

import pytest
from pypdf import PdfReader

from tests.export.factories import MADE_AT, applicant_for, srdi_evaluation
from tests.export.pdf_helpers import flat_text, outline_titles
from zjtx.export.batch import COMBINED_NAME, export_reports, report_file_name
from zjtx.export.report_model import build_assessment_report
from zjtx.scoring import Cancelled
from zjtx.scoring.catalogue import load_catalogue


def _reports(count):
    catalogue = load_catalogue()
    reports = []
    for n in range(count):
        evaluation = srdi_evaluation(name=f"第{n + 1}号精密机械有限公司", uscc=f"91330100{n:010d}")
        reports.append(
            build_assessment_report(
                evaluation,
                catalogue=catalogue,
                applicant=applicant_for(evaluation),
                made_at=MADE_AT,
            )
        )
    return reports


def test_file_names_are_safe_and_unique(tmp_path):
    """Code plus sanitised name; path separators and reserved characters never reach the disk."""
    assert report_file_name("91330100MA2B0XXX1X", 'A/B:C*?"<>|公司 ') == (
        "91330100MA2B0XXX1X_A_B_C_公司.pdf"
    )
    assert report_file_name("", "..") == "无统一社会信用代码_未命名企业.pdf"
    reports = _reports(1) * 2
    result = export_reports(reports, tmp_path, workers=1)
    assert [p.name for p in result.files] == [
        "913301000000000000_第1号精密机械有限公司.pdf",
        "913301000000000000_第1号精密机械有限公司_2.pdf",
    ]


def test_pool_writes_every_report_and_a_combined_pdf_with_progress(tmp_path):
    """Two worker processes write six reports; the combined PDF has a bookmark per report."""
    reports = _reports(6)
    calls = []
    result = export_reports(
        reports,
        tmp_path,
        combined=True,
        workers=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert len(result.files) == 6
    assert all(p.exists() for p in result.files)
    assert result.files[3].name == "913301000000000003_第4号精密机械有限公司.pdf"
    assert "第4号精密机械有限公司" in flat_text(result.files[3])
    assert result.pages == sum(len(PdfReader(p).pages) for p in result.files)
    assert result.combined == tmp_path / COMBINED_NAME
    assert result.combined_pages == result.pages
    assert [t for t, _ in outline_titles(result.combined)] == [r.bookmark for r in reports]
    done = [d for d, _ in calls]
    assert done == sorted(done) and calls[-1] == (12, 12)
    assert not list(tmp_path.glob("*.part"))


def test_cancel_stops_and_keeps_finished_files(tmp_path):
    """Cancel after the first progress report: Cancelled is raised, no half-written files."""
    reports = _reports(40)
    state = {"seen": 0}

    def progress(done, total):
        state["seen"] = done

    with pytest.raises(Cancelled):
        export_reports(
            reports, tmp_path, workers=2, progress=progress, cancel=lambda: state["seen"] > 0
        )
    written = list(tmp_path.glob("*.pdf"))
    assert 0 < len(written) < 40
    assert not list(tmp_path.glob("*.part"))
    for path in written:
        assert len(PdfReader(path).pages) >= 1


def test_cancel_while_combining_removes_the_partial_file(tmp_path):
    """A combined PDF cancelled half-way leaves no file behind."""
    reports = _reports(5)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        export_reports(reports, tmp_path, single=False, combined=True, cancel=cancel)
    assert list(tmp_path.iterdir()) == []
