"""The round-wide tables are written to a temporary file and renamed into place."""

import pytest
from openpyxl import load_workbook

from tests.export.factories import MADE_AT, applicant_for, srdi_evaluation
from zjtx.export.summary import ApplicantOutcome
from zjtx.export.tables import write_publicity, write_summary


def _outcomes():
    evaluation = srdi_evaluation()
    return [ApplicantOutcome(evaluation, applicant_for(evaluation))]


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_part(tmp_path, monkeypatch):
    """A renderer failing half-way: the old file is untouched and no partial file is left."""
    target = tmp_path / "公示.xlsx"
    write_publicity(_outcomes(), target, MADE_AT)
    before = target.read_bytes()

    def broken(publicity, path):
        path.write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("zjtx.export.excel.write_publicity_xlsx", broken)
    with pytest.raises(OSError):
        write_publicity(_outcomes(), target, MADE_AT)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["公示.xlsx"]


def test_summary_written_in_place_is_readable(tmp_path):
    """The renamed file is the whole workbook, under its own name only."""
    target = tmp_path / "汇总.xlsx"
    summary, pages = write_summary(_outcomes(), target, MADE_AT)
    assert pages is None
    assert load_workbook(target)["推荐汇总表"]["B2"].value == summary.rows[0].name
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]
