"""The shipped samples: a messy roster with every planted defect, and a folder of five forms."""

from tests.intake.helpers import read
from zjtx.intake.samples import PLANTED, SAMPLE_YEAR, write_sample_forms, write_sample_roster
from zjtx.paths import resource_path

HEADER_ROWS = 4  # title, note and a two-row header


def _planted_issues(result):
    rows = {}
    for issue in result.issues:
        if issue.row is not None and issue.row > HEADER_ROWS and issue.code != "total-row-skipped":
            if issue.code == "value-read-as" and "填的“无”读作" in issue.message:
                continue  # the roster writes a count of none as 无 (a note, not a defect)
            rows.setdefault(issue.row - HEADER_ROWS, []).append((issue.code, str(issue.severity)))
    return rows


def test_shipped_roster_reports_exactly_the_planted_defects():
    """Every planted defect of the shipped roster is found, and nothing else per row; each 无
    written for a count of none is noted as read as 0."""
    result = read(resource_path("samples", "roster_2026.xlsx"), year=SAMPLE_YEAR)
    assert _planted_issues(result) == {row: [planted] for row, planted in PLANTED.items()}
    nones = [i for i in result.issues if i.code == "value-read-as" and "“无”" in i.message]
    assert nones and all(
        (i.field, str(i.severity)) == ("ip1_total", "info") and "读作“0 项”" in i.message
        for i in nones
    )
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


RENEWAL_ONLY = ("annual_update_on_time", "major_change_report")


def test_shipped_samples_answer_the_renewal_gates():
    """Renewals in the shipped roster and forms answer the renewal gates; new applications leave
    the renewal-only questions blank and say they were never revoked."""
    renewals = {}
    for source in ("roster_2026.xlsx", "forms"):
        result = read(resource_path("samples", source), year=SAMPLE_YEAR)
        renewals[source] = [
            a.values for a in result.applicants if a.values["application_type"] == "renewal"
        ]
        new = [a.values for a in result.applicants if a.values["application_type"] == "new"]
        assert renewals[source] and new
        assert len(renewals[source]) + len(new) == len(result.applicants)
        for values in renewals[source]:
            assert isinstance(values["annual_update_on_time"], bool)
            assert values["major_change_report"] in ("none", "on_time", "late")
            assert values["revoked_3y"] is False
        for values in new:
            assert not set(RENEWAL_ONLY) & set(values)
            assert values["revoked_3y"] is False


def test_shipped_roster_shows_a_few_renewals_failing_their_gates():
    """Most of the roster's renewals pass the renewal gates; a few reported a major change late
    or did not update on time, so the sample shows the gate failing."""
    result = read(resource_path("samples", "roster_2026.xlsx"), year=SAMPLE_YEAR)
    renewals = [a.values for a in result.applicants if a.values["application_type"] == "renewal"]
    failing = [
        v for v in renewals if not v["annual_update_on_time"] or v["major_change_report"] == "late"
    ]
    assert any(v["major_change_report"] == "late" for v in failing)
    assert any(v["annual_update_on_time"] is False for v in failing)
    assert any(v["major_change_report"] == "on_time" for v in renewals)
    assert 0 < len(failing) <= len(renewals) // 3
