"""`zjtx round compare`: text, --json and bad names (exit 2) on a real SQLite round."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from zjtx.cli import main
from zjtx.paths import resource_path

SAMPLES = str(resource_path("samples", "applicants.json"))
ROUND = "2025专精特新"


@pytest.fixture(autouse=True)
def round_of_samples(tmp_path, monkeypatch, capsys):
    """A srdi-sme round dated 2025-06-01 holding the sample applicants, in an SQLite file."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    assert main(["round", "create", ROUND, "--tier", "srdi-sme", "--date", "2025-06-01"]) == 0
    assert main(["round", "import", ROUND, SAMPLES]) == 0
    capsys.readouterr()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_agrees_with_score(capsys):
    """--json counts before and after are those of `zjtx score --json` by each rulebook."""
    code, out, _ = run(capsys, "round", "compare", ROUND, "--rulebook", "srdi-sme-2026", "--json")
    assert code == 0
    data = json.loads(out)
    _, before, _ = run(capsys, "score", SAMPLES, "--tier", "srdi-sme", "--date", "2025-06-01",
                       "--json")  # fmt: skip
    _, after, _ = run(capsys, "score", SAMPLES, "--rulebook", "srdi-sme-2026", "--date",
                      "2025-06-01", "--json")  # fmt: skip
    assert data["before"] == dict(Counter(e["verdict"] for e in json.loads(before)))
    assert data["after"] == dict(Counter(e["verdict"] for e in json.loads(after)))
    assert data["changed"] == len(data["applicants_changed"]) > 0
    assert data["changed"] + data["unchanged"] == data["applicants"] == 30
    first = data["applicants_changed"][0]
    assert first["before"] != first["after"] and first["criteria"][0]["deciding"] is True


def test_text_names_who_changes_and_why(capsys):
    """The text gives the counts, each changed enterprise with its verdicts and the deciding
    criterion marked ★."""
    code, out, _ = run(capsys, "round", "compare", ROUND, "--rulebook", "srdi-sme-2026")
    assert code == 0
    data = json.loads(run(capsys, "round", "compare", ROUND, "--rulebook", "srdi-sme-2026",
                          "--json")[1])  # fmt: skip
    assert f"结论改变 {data['changed']} 家，不变 {data['unchanged']} 家" in out
    first = data["applicants_changed"][0]
    assert f"{first['name']}（{first['uscc']}）  符合条件 → " in out
    assert "★ " in out and "SR26-" in out
    assert "比较规则：srdi-sme-2026" in out


@pytest.mark.parametrize(
    ("argv", "named", "hint"),
    [
        (("--rulebook", "srdi-sme-2062"), "srdi-sme-2062", "srdi-sme-2022"),
        (("--overlay", "shandong-2O22"), "shandong-2O22", "shandong-2022"),
        (("--setting", "growth_compund=true"), "growth_compund", "growth_compound"),
        (("--setting", "growth_compound=yes"), "growth_compound=yes", "true"),
        (("--rulebook", "little-giant-2026"), "little-giant-2026", "--cross-tier"),
    ],
)
def test_bad_names_exit_2(capsys, argv, named, hint):
    """A bad rulebook, overlay, setting or another tier exits 2 with one Chinese message
    naming it and what to write instead."""
    code, out, err = run(capsys, "round", "compare", ROUND, *argv)
    assert code == 2 and out == ""
    assert named in err and hint in err and "Traceback" not in err


def test_unknown_round_exit_2(capsys):
    """An unknown round name exits 2 and names the closest round."""
    code, _, err = run(capsys, "round", "compare", "2025专精特", "--rulebook", "srdi-sme-2026")
    assert code == 2 and ROUND in err
