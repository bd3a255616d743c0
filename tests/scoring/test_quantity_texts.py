"""A quantity's text rendered straight from the values equals what its QValue explains."""

import json
from datetime import date

import pytest

from zjtx.intake.json_input import read_json_applicants
from zjtx.paths import resource_path
from zjtx.scoring import evaluate, list_rulebook_ids, load_catalogue, load_rulebook
from zjtx.scoring.selection import effective_rulebook


def _sample_runs(rulebook, tmp_path):
    rows = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))
    # The samples, and each with every other value left out: known and unknown inputs both.
    sparse = [
        {k: v for i, (k, v) in enumerate(row.items()) if i % 2 == 0 or k == "name"} for row in rows
    ]
    path = tmp_path / "applicants.json"
    path.write_text(json.dumps(rows + sparse, ensure_ascii=False), encoding="utf-8")
    for applicant in read_json_applicants(path, load_catalogue()):
        yield evaluate(applicant, rulebook, round_date=date(2026, 7, 1)).criteria._run


@pytest.mark.parametrize("rulebook_id", list_rulebook_ids())
def test_text_equals_quantity_explanation(rulebook_id, tmp_path):
    """ctx.text(name) says exactly what ctx.q(name).explain says, for every quantity."""
    rulebook = load_rulebook(rulebook_id)
    for run in _sample_runs(rulebook, tmp_path):
        ctx = run.ctx
        for name in rulebook.quantities.names():
            assert ctx.text(name) == ctx.q(name).explain, name


def test_text_uses_labels_a_notice_gives(tmp_path):
    """A notice that relabels a field (innovative-sme-2022 in 2026) is what the text shows."""
    rulebook = effective_rulebook("innovative-sme-2022", date(2026, 7, 1))
    relabelled = rulebook.quantities.defs["major_incident_3y"].label
    assert (
        relabelled
        != load_rulebook("innovative-sme-2022").quantities.defs["major_incident_3y"].label
    )
    for run in _sample_runs(rulebook, tmp_path):
        ctx = run.ctx
        for name in rulebook.quantities.names():
            assert ctx.text(name) == ctx.q(name).explain, name
        assert ctx.text("major_incident_3y").startswith(relabelled)
