"""`zjtx rulebooks` lists the notices; `zjtx score` and `round create` say which apply."""

import json

from tests.scoring.applicants import applicants_json, base, d, run_cli


def _renewal_file(tmp_path, revenue="4999"):
    record = {**base("little-giant-2022"), "application_type": "renewal", "revenue_y1": d(revenue)}
    path = tmp_path / "in.json"
    path.write_text(applicants_json(record), encoding="utf-8")
    return path


def test_rulebooks_lists_notices_in_text_and_json():
    """The notice table names each notice's number, rounds and changes; --json has them too."""
    text = run_cli("rulebooks")
    assert text.returncode == 0, text.stderr
    assert "工信厅企业函〔2025〕190号" in text.stdout and "2025-01-01 至 2025-12-31" in text.stdout
    assert "工信厅企业函〔2026〕117号" in text.stdout and "⚠未核实" in text.stdout
    data = json.loads(run_cli("rulebooks", "--json").stdout)
    by_id = {n["id"]: n for n in data["notices"]}
    assert by_id["little-giant-2025-190"]["instrument"]["grade"] == "A"
    assert by_id["little-giant-2026-117"]["covers"][0]["application_types"] == ["renewal"]
    assert by_id["eligibility-2026-2"]["covers"][0]["from"] == "2026-04-01"


def test_score_json_keeps_one_document_with_notice_keys(tmp_path):
    """`score --json` stays a JSON array; each evaluation names its notices and settings."""
    result = run_cli(
        "score", str(_renewal_file(tmp_path)), "--tier", "little-giant", "--date", "2025-06-01",
        "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert [n["number"] for n in record["notices"]] == ["工信厅企业函〔2025〕190号"]
    assert {s["name"]: s["source"] for s in record["settings"]} == {
        "renewal_growth_waived": "notice",
        "revenue_floor_5000": "notice",
    }
    states = {c["id"]: c["state"] for c in record["criteria"]}
    assert states["LG22-F"] == "unmet"  # 4,999万 under the 2025 floor


def test_score_text_prints_notices_and_the_override(tmp_path):
    """Text output heads with the notices; an override says it overrode the notice's value."""
    result = run_cli(
        "score", str(_renewal_file(tmp_path, "6000")), "--tier", "little-giant",
        "--date", "2026-06-01", "--setting", "renewal_growth_waived=false",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    head = result.stdout.splitlines()[0]
    assert head.startswith("适用通知（little-giant-2022，复核）：工信厅企业函〔2026〕117号")
    assert "关闭（本批次改定；工信厅企业函〔2026〕117号为启用）" in result.stdout
    assert "⚠未核实" in result.stdout


def test_round_create_prints_notices_and_override(tmp_path):
    """`round create` names the notices of its date and records the override as one."""
    data = tmp_path / "data"
    created = run_cli(
        "--data-dir", str(data), "round", "create", "复核2026", "--tier", "little-giant",
        "--date", "2026-06-01", "--setting", "renewal_growth_waived=false", "--json",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    info = json.loads(created.stdout)
    notices = {n["id"]: n for n in info["notices"]}
    assert set(notices) == {"eligibility-2026-2", "little-giant-2026-117"}
    assert notices["little-giant-2026-117"]["application_types"] == ["renewal"]
    sources = {s["name"]: s["source"] for s in info["applied_settings"]}
    assert sources == {"renewal_growth_waived": "override", "revenue_floor_5000": "notice"}
    text = run_cli(
        "--data-dir", str(data), "round", "create", "2024批次", "--tier", "little-giant",
        "--date", "2024-06-01",
    )  # fmt: skip
    assert text.returncode == 0, text.stderr
    assert "适用通知" not in text.stdout
