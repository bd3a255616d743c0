"""The issue-code registry holds every code the program can report, each with a Chinese title."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.test_hostile_cli import make_hostile_files
from zjtx.domain.issue_codes import ISSUE_CODES, acknowledgeable_codes
from zjtx.domain.issues import Severity
from zjtx.intake import read_applicants
from zjtx.intake.samples import SAMPLE_YEAR
from zjtx.paths import resource_path

PACKAGE = Path(__file__).resolve().parents[2] / "zjtx"
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Kebab-case literals in zjtx/ that are not issue codes. A new literal must be registered as an
# issue code or listed here, so a code added or renamed without registration fails.
OTHER_LITERALS = {
    # Title tiers and rulebook ids.
    "innovative-sme", "srdi-sme", "tech-sme", "little-giant", "little-giant-2022",
    "little-giant-2026", "single-champion",
    # Audit event kinds.
    "applicant-version", "criterion-confirm", "criterion-override",
    "criterion-override-withdraw", "evaluator-role",
    "file-import", "round-archive", "round-create", "round-rename", "round-restore",
    "round-recognise",
    "warning-ack", "registry-entry", "registry-import", "registry-revoke", "registry-supersede",
    "registry-uscc-attach", "registry-recheck",
    "panel-member-add", "panel-member-remove", "panel-aggregation", "panel-judgement",
    "panel-recusal", "panel-recusal-withdraw", "panel-opinion",
    # Text encodings and a date format.
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "yyyy-mm-dd",
    # How a header cell failed to match (mapped to header-* codes by the roster reader).
    "bad-year", "bad-unit", "no-year", "window-ambiguous",
    # The format tag of an exported mapping profile; a git command's argument.
    "zjtx-mapping-profile", "rev-parse",
    # Names of the sample rows with mixed formats, a provenance tag, Qt object names.
    "bool-mixed", "count-none", "date-mixed", "int-fullwidth", "money-mixed", "percent-mixed",
    "round-region", "zjtx-location", "zjtx-parent-watch",
}  # fmt: skip


def _kebab_literals() -> dict[str, list[str]]:
    """Every kebab-case string constant in zjtx/ (docstrings included), with where it is."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and KEBAB.fullmatch(value):
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                found.setdefault(value, []).append(where)
    return found


def test_every_kebab_literal_in_the_source_is_a_registered_code_or_listed_as_other():
    """A kebab-case literal in zjtx/ that is neither registered nor a known non-code fails."""
    literals = _kebab_literals()
    unknown = {code: places for code, places in literals.items() if code not in OTHER_LITERALS}
    unregistered = {code: places for code, places in unknown.items() if code not in ISSUE_CODES}
    assert unregistered == {}
    assert sorted(OTHER_LITERALS - set(literals)) == [], "listed literals no longer in zjtx/"


def test_every_registered_code_is_still_used_in_the_source():
    """A code renamed in the source but not in the registry leaves a registration that fails."""
    literals = _kebab_literals()
    registry_file = "zjtx/domain/issue_codes.py"
    used = {
        code
        for code, places in literals.items()
        if any(not place.startswith(registry_file) for place in places)
    }
    assert sorted(set(ISSUE_CODES) - used) == []
    assert sorted(set(ISSUE_CODES) & OTHER_LITERALS) == []


def test_registry_entries_are_kebab_case_with_chinese_title_and_description():
    """Each entry is keyed by its own kebab-case code and has a Chinese title and meaning."""
    for key, entry in ISSUE_CODES.items():
        assert key == entry.code and KEBAB.fullmatch(key), key
        assert CHINESE.search(entry.title) and len(entry.title) <= 12, key
        assert CHINESE.search(entry.description), key
        assert len(set(entry.severities)) == len(entry.severities), key
    titles = [entry.title for entry in ISSUE_CODES.values()]
    assert len(titles) == len(set(titles)), "two codes share a title"


def test_acknowledgeable_codes_are_exactly_the_warnings():
    """Only codes reported as warnings can be acknowledged; the sample warnings are among them."""
    codes = acknowledgeable_codes()
    assert {"ratio-mismatch", "revenue-unit-suspect", "region-outside-round"} <= set(codes)
    assert "uscc-length" not in codes and "unit-assumed" not in codes
    assert all(Severity.WARNING in ISSUE_CODES[code].severities for code in codes)


def _emitted(paths: list[Path]) -> set[tuple[str, str]]:
    issues = [i for path in paths for i in read_applicants([path], SAMPLE_YEAR).issues]
    assert issues, "the inputs produced no issue to check"
    return {(issue.code, str(issue.severity)) for issue in issues}


def _unregistered(emitted: set[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(
        (code, severity)
        for code, severity in emitted
        if code not in ISSUE_CODES or severity not in ISSUE_CODES[code].severities
    )


def test_every_code_the_shipped_samples_produce_is_registered_with_its_severity():
    """Reading the shipped roster, forms and JSON yields only registered codes and severities."""
    samples = resource_path("samples")
    emitted = _emitted(
        [samples / "roster_2026.xlsx", samples / "forms", samples / "applicants.json"]
    )
    assert ("ratio-mismatch", "warning") in emitted
    assert _unregistered(emitted) == []


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    """The hostile CLI test's input files."""
    folder = tmp_path_factory.mktemp("codes") / "files"
    make_hostile_files(folder)
    return folder


def test_every_code_the_hostile_inputs_produce_is_registered_with_its_severity(hostile_folder):
    """Reading each hostile input file yields only registered codes and severities."""
    paths = sorted(p for p in hostile_folder.iterdir() if p.is_file())
    emitted = _emitted(paths)
    assert {"file-corrupt", "text-control-character"} <= {code for code, _ in emitted}
    assert _unregistered(emitted) == []


def test_a_wide_csv_row_is_registered_as_error_and_as_warning(tmp_path):
    """A CSV row split by an unquoted thousands comma (an error) and one with a value beyond
    the header (a warning, which an evaluator acknowledges) are both registered severities."""
    from zjtx.intake.synthetic import valid_uscc

    path = tmp_path / "r.csv"
    path.write_text(
        "企业名称,统一社会信用代码,2025年营业收入（万元）\n"
        f"甲公司,{valid_uscc(1)},2,000.00\n乙公司,{valid_uscc(2)},900,已核实\n",
        "utf-8",
    )
    emitted = _emitted([path])
    assert {("csv-row-too-wide", "error"), ("csv-row-too-wide", "warning")} <= emitted
    assert _unregistered(emitted) == []
    assert ISSUE_CODES["csv-row-too-wide"].acknowledgeable
