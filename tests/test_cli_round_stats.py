"""`zjtx round stats` against `zjtx score` on the sample applicants, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.store.conftest import database_url  # noqa: F401 - the SQLite / PostgreSQL fixture
from zjtx.cli import main
from zjtx.paths import resource_path

SAMPLES = str(resource_path("samples", "applicants.json"))
ROUNDS = {
    "小巨人2026": ("little-giant", "2026-06-01"),
    "创新型2026": ("innovative-sme", "2026-05-01"),  # scored: 60 points to pass
}


@pytest.fixture(autouse=True)
def environment(database_url, tmp_path, monkeypatch):  # noqa: F811 - the imported fixture
    """The CLI uses the parametrised database through ZJTX_DATABASE_URL."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _round(capsys, name: str) -> list[dict]:
    """Create the round, import the samples and return `zjtx score --json` on the same file."""
    tier, day = ROUNDS[name]
    assert run(capsys, "round", "create", name, "--tier", tier, "--date", day)[0] == 0
    assert run(capsys, "round", "import", name, SAMPLES)[0] == 0
    code, out, _ = run(capsys, "score", SAMPLES, "--tier", tier, "--date", day, "--json")
    assert code == 0
    return json.loads(out)


@pytest.mark.parametrize("name", list(ROUNDS))
def test_round_stats_agrees_with_score(capsys, name):
    """Verdict counts, per-criterion unmet/unknown/manual counts and the near-misses of
    `round stats --json` are those of `zjtx score --json` on the same applicants."""
    scored = _round(capsys, name)
    code, out, _ = run(capsys, "round", "stats", name, "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["applicants"] == len(scored) == 30
    assert stats["by_verdict"] == dict(Counter(e["verdict"] for e in scored))
    expected: dict[str, Counter] = {}
    for evaluation in scored:
        for item in evaluation["criteria"]:
            expected.setdefault(item["id"], Counter())[item["state"]] += 1
    got = {c["id"]: c for c in stats["criteria"]}
    assert set(got) == set(expected)
    for cid, counts in expected.items():
        assert (got[cid]["unmet"], got[cid]["unknown"], got[cid]["manual"]) == (
            counts["unmet"],
            counts["unknown"],
            counts["manual"],
        ), cid
    near = sorted(
        (e["uscc"], failing[0]["id"], failing[0]["gap"])
        for e in scored
        if e["verdict"] == "not_qualified"
        and len(
            failing := [
                c
                for c in e["criteria"]
                if c["state"] == "unmet" and c["kind"] not in ("route", "info")
            ]
        )
        == 1
    )
    assert sorted((m["uscc"], m["criterion"], m["gap"]) for m in stats["near_misses"]) == near


@pytest.mark.parametrize("name", list(ROUNDS))
def test_round_stats_buckets_add_up(capsys, name):
    """Every by_* count adds up to the applicants; regions and industries follow the data."""
    scored = _round(capsys, name)
    stats = json.loads(run(capsys, "round", "stats", name, "--json")[1])
    total = stats["applicants"]
    for key in ("by_verdict", "by_decision", "by_review_status", "by_region", "by_place", "by_industry",
                "by_division"):  # fmt: skip
        assert sum(stats[key].values()) == total, key
    for province, cities in stats["by_city"].items():
        assert sum(cities.values()) == stats["by_region"][province]
    samples = json.loads(Path(SAMPLES).read_text(encoding="utf-8"))
    assert stats["by_region"] == dict(Counter(s.get("province") or "未填写" for s in samples))
    manufacturing = sum(1 for s in samples if str(s.get("industry_code", "")).startswith("C"))
    assert stats["by_industry"]["C 制造业"] == manufacturing
    assert stats["by_decision"] == {"none": total}
    scores = [e["score"] for e in scored if e["score"] is not None]
    assert stats["scored"] is bool(scores)
    # A score not yet fixed (a range) is counted apart, not in the band of its least.
    ranges = [e for e in scored if e["score"] is not None and e["score_min"] != e["score_max"]]
    assert stats["score_open"] == len(ranges)
    assert sum(b["count"] for b in stats["score_distribution"]) == len(scores) - len(ranges)


def test_round_stats_counts_the_scores_not_yet_fixed_apart(capsys):
    """Text output: the bands count the fixed scores; 得分未定 counts the ranges, once each."""
    scored = _round(capsys, "创新型2026")
    ranges = sum(1 for e in scored if e["score_min"] != e["score_max"])
    fixed = [e["score"] for e in scored if e["score_min"] == e["score_max"]]
    assert ranges and fixed
    out = run(capsys, "round", "stats", "创新型2026")[1]
    section = out.split("得分分布\n")[1].split("\n")
    assert f"  得分未定  {ranges} 家" in section
    bands = [line for line in section if line[:3].strip().isdigit()]
    assert sum(int(line.split()[1]) for line in bands) == len(fixed)
    assert "不计入各分数段" in out


def test_round_stats_counts_decisions_by_evaluator(capsys):
    """A decision moves the progress: decided 1 of 30, by the evaluator who made it."""
    scored = _round(capsys, "小巨人2026")
    failing = next(e for e in scored if e["verdict"] == "not_qualified")
    code, _, err = run(
        capsys, "review", "小巨人2026", failing["uscc"], "--decision", "reject",
        "--opinion", "不符合条件", "--evaluator", "李组长",
    )  # fmt: skip
    assert code == 0, err
    stats = json.loads(run(capsys, "round", "stats", "小巨人2026", "--json")[1])
    assert stats["progress"] == {
        "decided": 1,
        "total": 30,
        "by_evaluator": {"李组长": 1},
        "outdated": 0,  # decisions that need a second look (需复核)
    }
    assert stats["by_decision"] == {"reject": 1, "none": 29}
    code, out, _ = run(capsys, "round", "stats", "小巨人2026")
    assert "共 30 家，已作决定 1 家" in out and "李组长 1 家" in out


def test_round_stats_of_an_unknown_round_is_a_usage_error(capsys):
    """A misspelt round name exits 2 with the closest name, no traceback."""
    _round(capsys, "小巨人2026")
    code, _, err = run(capsys, "round", "stats", "小巨人2025")
    assert code == 2
    assert "小巨人2026" in err and "Traceback" not in err


def test_round_stats_of_a_city_round_counts_by_district(capsys, tmp_path):
    """A round with 地区 宁波市 whose applicants give 所在区县 and no 所在市 or 省: `round
    stats` counts them by 区县 (as the 推荐汇总表's 统计 page does), none under 未填写."""
    samples = json.loads(Path(SAMPLES).read_text(encoding="utf-8"))[:3]
    for sample, county in zip(samples, ("慈溪市", "奉化区", "慈溪市"), strict=True):
        sample.update(province=None, city=None, county=county)
    roster = tmp_path / "宁波.json"
    roster.write_text(json.dumps(samples, ensure_ascii=False), encoding="utf-8")
    create = ("round", "create", "宁波2026", "--tier", "innovative-sme", "--date", "2026-05-01")
    assert run(capsys, *create, "--region", "宁波市")[0] == 0
    assert run(capsys, "round", "import", "宁波2026", str(roster))[0] == 0
    stats = json.loads(run(capsys, "round", "stats", "宁波2026", "--json")[1])
    assert stats["place_city"] == "宁波市"
    assert stats["by_place"] == {"慈溪市": 2, "奉化区": 1}
    out = run(capsys, "round", "stats", "宁波2026")[1]
    section = out.split("地区（宁波市各区县）\n")[1].split("行业门类")[0]
    assert section.split("\n")[:2] == ["  慈溪市  2 家（66.7%）", "  奉化区  1 家（33.3%）"]


def test_round_stats_says_an_unmet_alternative_fails_no_applicant(capsys):
    """Text output: a 直通 alternative (the renewals' LG22-4D1…) left unmet is marked as failing
    no applicant, so its ×N is not read as N applicants failing it; a requirement is not."""
    scored = _round(capsys, "小巨人2026")
    routes = {c["id"] for e in scored for c in e["criteria"] if c["kind"] in ("route", "info")}
    unmet_routes = {
        c["id"]
        for e in scored
        for c in e["criteria"]
        if c["id"] in routes and c["state"] == "unmet"
    }
    assert unmet_routes  # the samples leave some alternative unmet
    out = run(capsys, "round", "stats", "小巨人2026")[1]
    lines = [line for line in out.splitlines() if line.startswith(("  LG26-", "  LG22-"))]
    assert {line.split()[0] for line in lines} >= unmet_routes
    for line in lines:
        cid = line.split()[0]
        marked = "（直通条件，未满足不致不符合）" in line
        assert marked is (cid in routes), line
