"""The shipped samples: a messy roster with every planted defect, and a folder of five forms."""

from tests.intake.helpers import read
from zjtx.intake.samples import PLANTED, SAMPLE_YEAR, write_sample_forms, write_sample_roster
from zjtx.paths import resource_path

HEADER_ROWS = 4  # title, note and a two-row header


def _planted_issues(result):
    rows = {}
    for issue in result.issues:
        if issue.row is not None and issue.row > HEADER_ROWS and issue.code != "total-row-skipped":
            rows.setdefault(issue.row - HEADER_ROWS, []).append((issue.code, str(issue.severity)))
    return rows


def test_shipped_roster_reports_exactly_the_planted_defects():
    """Every planted defect of the shipped roster is found, and nothing else per row."""
    result = read(resource_path("samples", "roster_2026.xlsx"), year=SAMPLE_YEAR)
    assert _planted_issues(result) == {row: [planted] for row, planted in PLANTED.items()}
    summary = result.summary["files"][0]
    assert summary["rows_total"] >= 40
    blocked = sum(1 for code, severity in PLANTED.values() if severity == "error")
    assert summary["rows_blocked"] == blocked
    assert summary["rows_total"] == (
        summary["rows_imported"] + summary["rows_blocked"] + summary["rows_blank"]
    )
    header_codes = sorted(i.code for i in result.issues if i.row == HEADER_ROWS)
    assert header_codes == ["column-hidden", "column-ignored"]


def test_shipped_forms_folder_reads_as_one_batch():
    """The five shipped forms import as one batch; the fourth has a wrong check character."""
    result = read(resource_path("samples", "forms"), year=SAMPLE_YEAR)
    assert [f.kind for f in result.files] == ["form"] * 5
    assert len(result.applicants) == 4
    assert [(i.file.split("/")[1][:2], i.code) for i in result.issues] == [
        ("04", "uscc-check-character")
    ]


def test_sample_writers_are_reproducible(tmp_path):
    """Regenerating the samples gives the same applicants as the shipped files."""
    roster = write_sample_roster(tmp_path / "roster.xlsx")
    forms = write_sample_forms(tmp_path / "forms")
    fresh = read(roster, *forms, year=SAMPLE_YEAR)
    shipped = read(
        resource_path("samples", "roster_2026.xlsx"),
        resource_path("samples", "forms"),
        year=SAMPLE_YEAR,
    )
    assert [a.values for a in fresh.applicants] == [a.values for a in shipped.applicants]
