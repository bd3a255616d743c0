"""Rulebook selection (criteria.md §2) and `zjtx score` end to end for every rulebook."""

import json
import os
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.applicants import (
    JUDGEMENT_ITEMS,
    RULEBOOK_IDS,
    applicants_json,
    base,
    check_forgetting_is_monotone,
    d,
    run,
    run_cli,
    varied_applicants,
)
from tests.store.helpers import write_newer_little_giant
from zjtx.domain.applicant import Applicant
from zjtx.scoring import NoRulebookError, UnknownNameError, score_applicant, select_rulebook_id
from zjtx.scoring.selection import effective_rulebook

NEW, RENEWAL = "new", "renewal"

SELECTION = [
    # 创新型 / 科技和创新型: 63号 附件1 from 2022-06-01, 2026 and later included
    ("innovative-sme", "2022-06-01", NEW, "innovative-sme-2022"),
    ("innovative-sme", "2022-06-01", RENEWAL, "innovative-sme-2022"),
    ("innovative-sme", "2026-03-31", NEW, "innovative-sme-2022"),
    ("innovative-sme", "2026-04-01", NEW, "innovative-sme-2022"),
    ("innovative-sme", "2026-04-01", RENEWAL, "innovative-sme-2022"),
    ("innovative-sme", "2027-01-01", NEW, "innovative-sme-2022"),
    # 专精特新中小企业: 2022 before 2026-04-01, 2026 from then, new and renewal alike
    ("srdi-sme", "2022-06-01", NEW, "srdi-sme-2022"),
    ("srdi-sme", "2026-03-31", NEW, "srdi-sme-2022"),
    ("srdi-sme", "2026-03-31", RENEWAL, "srdi-sme-2022"),
    ("srdi-sme", "2026-04-01", NEW, "srdi-sme-2026"),
    ("srdi-sme", "2026-04-01", RENEWAL, "srdi-sme-2026"),
    ("srdi-sme", "2027-01-01", RENEWAL, "srdi-sme-2026"),
    # 小巨人: new from 2026-04-01 under 2026; renewals stay on 2022 through 2026
    ("little-giant", "2022-06-01", NEW, "little-giant-2022"),
    ("little-giant", "2026-03-31", NEW, "little-giant-2022"),
    ("little-giant", "2026-03-31", RENEWAL, "little-giant-2022"),
    ("little-giant", "2026-04-01", NEW, "little-giant-2026"),
    ("little-giant", "2026-04-01", RENEWAL, "little-giant-2022"),
    ("little-giant", "2026-12-31", NEW, "little-giant-2026"),
    ("little-giant", "2026-12-31", RENEWAL, "little-giant-2022"),
    ("little-giant", "2027-01-01", RENEWAL, "little-giant-2026"),
    ("little-giant", "2027-01-01", NEW, "little-giant-2026"),
    # 单项冠军 from 2023-09-01
    # 138号 applies from its issued date 2023-09-14; the 2016–2022 conditions before it.
    ("single-champion", "2023-09-13", NEW, "single-champion-2016"),
    ("single-champion", "2023-09-14", NEW, "single-champion-2023"),
    ("single-champion", "2023-09-14", RENEWAL, "single-champion-2023"),
    ("single-champion", "2016-03-16", NEW, "single-champion-2016"),
    ("single-champion", "2027-01-01", NEW, "single-champion-2023"),
    ("tech-sme", "2026-06-01", NEW, "tech-sme-2017"),
]


@pytest.mark.parametrize(("tier", "round_date", "application_type", "expected"), SELECTION)
def test_selection_table(tier, round_date, application_type, expected):
    """select_rulebook_id follows every row of criteria.md §2 on both sides of each date."""
    assert select_rulebook_id(tier, date.fromisoformat(round_date), application_type) == expected


@pytest.mark.parametrize(
    ("tier", "round_date"),
    [
        ("innovative-sme", "2022-05-31"),
        ("srdi-sme", "2022-05-31"),
        ("little-giant", "2022-05-31"),
        ("single-champion", "2016-03-15"),  # before 工信部产业〔2016〕105号
    ],
)
@pytest.mark.parametrize("application_type", [NEW, RENEWAL])
def test_no_rulebook_before_the_first_instrument(tier, round_date, application_type):
    """A round before the first instrument of the tier has no rulebook."""
    with pytest.raises(NoRulebookError):
        select_rulebook_id(tier, date.fromisoformat(round_date), application_type)


@pytest.mark.parametrize(
    ("tier", "application_type", "suggestion"),
    [("little-gaint", NEW, "little-giant"), ("srdi-sme", "renewel", "renewal")],
)
def test_unknown_tier_or_type_suggests_the_closest(tier, application_type, suggestion):
    """A misspelt tier or application type raises UnknownNameError with a suggestion."""
    with pytest.raises(UnknownNameError) as err:
        select_rulebook_id(tier, date(2026, 6, 1), application_type)
    assert err.value.suggestion == suggestion


@pytest.mark.parametrize(
    ("application_type", "expected"),
    [(RENEWAL, "little-giant-2022"), (NEW, "little-giant-2026"), (None, "little-giant-2026")],
)
def test_score_applicant_uses_each_applicants_own_type(application_type, expected):
    """In a 2026 小巨人 round renewals get the 2022 standard and new applicants (or unset) 2026."""
    values = base("little-giant-2026", application_type=application_type)
    ev = score_applicant(Applicant(values=values), round_date=date(2026, 6, 1), tier="little-giant")
    assert ev.rulebook == expected


TIER_OF = {
    "innovative-sme-2022": ("innovative-sme", "2025-06-01"),
    "srdi-sme-2022": ("srdi-sme", "2025-06-01"),
    "little-giant-2022": ("little-giant", "2025-06-01"),
    "srdi-sme-2026": ("srdi-sme", "2026-06-01"),
    "little-giant-2026": ("little-giant", "2026-06-01"),
    "single-champion-2023": ("single-champion", "2025-06-01"),
    "tech-sme-2017": ("tech-sme", "2025-06-01"),
}
CRITERION_KEYS = {
    "id",
    "title",
    "group",
    "state",
    "points",
    "max_points",
    "observed",
    "requirement",
    "gap",
    "clause",
}


@pytest.mark.parametrize("rulebook_id", RULEBOOK_IDS)
def test_cli_json_matches_the_engine(tmp_path, rulebook_id):
    """`zjtx score --tier T --date D --json` gives the engine's verdict, score and states."""
    tier, round_date = TIER_OF[rulebook_id]
    passing = base(rulebook_id)
    failing = base(rulebook_id, abnormal_operation=True, name="乙公司")
    path = tmp_path / "in.json"
    path.write_text(applicants_json(passing, failing), encoding="utf-8")
    result = run_cli("score", str(path), "--tier", tier, "--date", round_date, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [o["rulebook"] for o in out] == [rulebook_id, rulebook_id]
    expected = "pending" if JUDGEMENT_ITEMS[rulebook_id] else "qualified"
    assert out[0]["verdict"] == expected
    for record, values in zip(out, (passing, failing), strict=True):
        # The CLI judges by the round's notices (190号 in 2025): the same settings here.
        kind = values.get("application_type") or "new"
        book = effective_rulebook(rulebook_id, date.fromisoformat(round_date), kind)
        noticed = {name: s.default for name, s in book.settings.items()}
        ev = run(rulebook_id, values=values, confirmed=False, settings=noticed)
        assert record["verdict"] == ev.verdict
        assert (record["score"], record["score_min"], record["score_max"]) == (
            ev.score,
            ev.score_min,
            ev.score_max,
        )
        assert record["size_class"] == ev.size_class
        assert {c["id"]: c["state"] for c in record["criteria"]} == {
            c.id: str(c.state) for c in ev.criteria
        }
        assert all(set(c) >= CRITERION_KEYS for c in record["criteria"])
    assert out[1]["verdict"] == "not_qualified"
    assert out[1]["name"] == "乙公司"


def test_cli_human_output_names_the_verdict(tmp_path):
    """The default table output shows the rulebook, the verdict and a criterion's gap."""
    path = tmp_path / "in.json"
    path.write_text(applicants_json(base("srdi-sme-2022")), encoding="utf-8")
    result = run_cli("score", str(path), "--rulebook", "srdi-sme-2022", "--date", "2025-06-01")
    assert result.returncode == 0, result.stderr
    assert "srdi-sme-2022" in result.stdout
    assert "符合条件" in result.stdout
    assert "SR22-S9" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--tier", "little-gaint", "--date", "2026-06-01"), "little-giant"),
        (("--rulebook", "srdi-sme-2023"), "srdi-sme-202"),
        (("--rulebook", "inovative-sme-2022"), "innovative-sme-2022"),
    ],
)
def test_cli_unknown_tier_or_rulebook_exits_2_with_suggestion(tmp_path, args, needle):
    """An unknown tier or rulebook exits 2 with “您是不是要写” and the closest name."""
    path = tmp_path / "in.json"
    path.write_text(applicants_json(base("srdi-sme-2022")), encoding="utf-8")
    result = run_cli("score", str(path), *args)
    assert result.returncode == 2
    assert "您是不是要写" in result.stderr
    assert needle in result.stderr


def test_cli_unknown_field_exits_2_with_suggestion(tmp_path):
    """A misspelt field key in the input exits 2 naming the key and the closest field."""
    values = base("srdi-sme-2022")
    values["revenu_y1"] = values.pop("revenue_y1")
    path = tmp_path / "in.json"
    path.write_text(applicants_json(values), encoding="utf-8")
    result = run_cli("score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01")
    assert result.returncode == 2
    assert "revenu_y1" in result.stderr
    assert "您是不是要写" in result.stderr
    assert "revenue_y1" in result.stderr


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[{"revenue_y1": "很多"}]', "revenue_y1"),
        ('[{"revenue_y1": 100', "in.json"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, text, needle):
    """A wrong type or invalid JSON exits 2 with a message naming the problem."""
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    result = run_cli("score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01")
    assert result.returncode == 2
    assert needle in result.stderr


def test_cli_round_without_rulebook_exits_2(tmp_path):
    """A round date before any 专精特新 instrument exits 2 with a message."""
    path = tmp_path / "in.json"
    path.write_text(applicants_json(base("srdi-sme-2022")), encoding="utf-8")
    result = run_cli("score", str(path), "--tier", "srdi-sme", "--date", "2021-01-01")
    assert result.returncode == 2
    assert "2021-01-01" in result.stderr


@pytest.mark.parametrize(
    ("setting", "code", "verdict"),
    [
        ("revenue_floor_5000=true", 0, "not_qualified"),
        ("revenue_floor_5000=false", 0, "pending"),
        ("revenue_flor_5000=true", 2, None),
    ],
)
def test_cli_round_setting(tmp_path, setting, code, verdict):
    """`--setting revenue_floor_5000=true` applies the 5000万 floor; a misspelt name exits 2."""
    values = base("little-giant-2022", revenue_y1=d("4999.99"), main_revenue_y1=d(4500))
    values.update(equity_financing_2y=d(8000), rd_expense_y1=d(1500), rd_expense_y2=d(1500))
    values.update(rd_staff_y1=125, main_revenue_y2=d(4000), main_revenue_y3=d(3600))
    path = tmp_path / "in.json"
    path.write_text(applicants_json(values), encoding="utf-8")
    result = run_cli(
        "score", str(path), "--rulebook", "little-giant-2022", "--date", "2025-06-01",
        "--setting", setting, "--json",
    )  # fmt: skip
    assert result.returncode == code, result.stderr
    if verdict:
        [out] = json.loads(result.stdout)
        assert out["verdict"] == verdict
    else:
        assert "revenue_floor_5000" in result.stderr


def test_cli_null_is_unknown_and_json_numbers_stay_exact(tmp_path):
    """JSON null gives an unknown item (IN22-S5 5/5/10); 128.64/4288 stays exactly 3 %."""
    innovative = {**base("innovative-sme-2022"), "strategic_emerging": None}
    srdi = {**base("srdi-sme-2022"), "rd_expense_y1": d("128.64"), "revenue_y1": d(4288)}
    text = applicants_json(innovative).replace('"name"', '"strategic_emerging": null, "name"')
    (tmp_path / "in.json").write_text(text, encoding="utf-8")
    (tmp_path / "sr.json").write_text(applicants_json(srdi), encoding="utf-8")
    assert '"rd_expense_y1": 128.64' in applicants_json(srdi)  # a JSON number, not a string
    result = run_cli("score", str(tmp_path / "in.json"), "--tier", "innovative-sme",
                     "--date", "2025-06-01", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    [out] = json.loads(result.stdout)
    s5 = next(c for c in out["criteria"] if c["id"] == "IN22-S5")
    assert (s5["state"], s5["points"], out["score"], out["score_max"]) == ("unknown", 5, 85, 90)
    result = run_cli("score", str(tmp_path / "sr.json"), "--tier", "srdi-sme",
                     "--date", "2025-06-01", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    [out] = json.loads(result.stdout)
    b2 = next(c for c in out["criteria"] if c["id"] == "SR22-B2")
    assert b2["state"] == "met"


@pytest.mark.parametrize("rulebook_id", RULEBOOK_IDS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_forgetting_is_monotone_for_varied_applicants(rulebook_id, data):
    """Property, every rulebook: on random inputs, dropping one field never flips a decision."""
    values = data.draw(varied_applicants(rulebook_id))
    if not values:
        return
    key = data.draw(st.sampled_from(sorted(values)))
    check_forgetting_is_monotone(rulebook_id, values, key, confirmed=data.draw(st.booleans()))


def test_cli_picks_each_applicants_rulebook_in_a_2026_little_giant_round(tmp_path):
    """One 2026-06-01 小巨人 file: the renewal is scored on 2022, the new applicant on 2026."""
    renewal = base("little-giant-2022", application_type="renewal", name="复核企业")
    new = base("little-giant-2026", name="新申报企业")
    path = tmp_path / "in.json"
    path.write_text(applicants_json(renewal, new), encoding="utf-8")
    result = run_cli("score", str(path), "--tier", "little-giant", "--date", "2026-06-01", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [(o["name"], o["rulebook"]) for o in out] == [
        ("复核企业", "little-giant-2022"),
        ("新申报企业", "little-giant-2026"),
    ]
    assert out[0]["criteria"][0]["id"].startswith("LG22")
    lg22_1c = next(c for c in out[0]["criteria"] if c["id"] == "LG22-1c")
    assert lg22_1c["state"] == "na"  # renewal growth waived by default


def _newer_little_giant(folder) -> None:
    """A newer version of little-giant-2026 written into an installed folder as another
    process installing it would (without this process hearing of it)."""
    write_newer_little_giant(folder / "little-giant-2026.yaml")


def test_a_rulebook_another_process_installs_is_chosen_once_its_folder_is_looked_at_again(
    tmp_path, monkeypatch
):
    """The window keeps running while `zjtx rulebook install` runs in a terminal: the next
    choice after the installed folder is looked at again takes the newer version."""
    from zjtx.scoring import selection

    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    chosen = effective_rulebook("little-giant-2026", date(2026, 5, 20), NEW)
    assert chosen.version == "2026.1"
    _newer_little_giant(tmp_path / "data" / "rulebooks")
    monkeypatch.setattr(selection, "RECHECK_SECONDS", 0.0)
    assert effective_rulebook("little-giant-2026", date(2026, 5, 20), NEW).version == "2026.2"
    assert selection.select_rulebook("little-giant", date(2026, 5, 20), NEW).version == "2026.2"


def test_each_data_folder_chooses_from_its_own_installed_rulebooks(tmp_path, monkeypatch):
    """`--data-dir` of another bureau's folder: the rulebooks installed there, not those of
    the folder used before in the same process."""
    from zjtx.scoring import selection

    _newer_little_giant(tmp_path / "one" / "rulebooks")
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "one"))
    assert selection.select_rulebook("little-giant", date(2026, 5, 20), NEW).version == "2026.2"
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "two"))
    assert selection.select_rulebook("little-giant", date(2026, 5, 20), NEW).version == "2026.1"


def test_an_installed_file_saved_over_in_place_is_chosen_in_its_new_version(tmp_path, monkeypatch):
    """A bureau corrects its installed file by saving over it (the folder's own time need
    not move): the next choice takes the file as saved, and the rulebooks dialog lists it so."""
    from zjtx.scoring import selection
    from zjtx.scoring.definitions import rulebook_source

    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(selection, "RECHECK_SECONDS", 0.0)
    folder = tmp_path / "data" / "rulebooks"
    _newer_little_giant(folder)
    assert selection.select_rulebook("little-giant", date(2026, 5, 20), NEW).version == "2026.2"
    path = folder / "little-giant-2026.yaml"
    stamp = folder.stat().st_mtime_ns
    with path.open("r+", encoding="utf-8") as handle:  # in place: no new directory entry
        text = handle.read().replace('version: "2026.2"', 'version: "2026.3"', 1)
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    os.utime(folder, ns=(stamp, stamp))
    assert selection.select_rulebook("little-giant", date(2026, 5, 20), NEW).version == "2026.3"
    assert rulebook_source("little-giant-2026").version == "2026.3"
