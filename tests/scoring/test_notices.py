"""A year's notices as data: loaded strictly, applied by the round's date, recorded on results."""

from datetime import date
from pathlib import Path

import pytest

from tests.scoring.applicants import base, d
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import CriterionState, Verdict
from zjtx.scoring import score_applicant
from zjtx.scoring.errors import DataFileError
from zjtx.scoring.notices import (
    apply_notices,
    list_notice_ids,
    load_all_notices,
    load_notice,
    load_notice_file,
    notice_dir,
)
from zjtx.scoring.selection import effective_rulebook, round_notice_lines, round_notices

MET, UNMET, NA = CriterionState.MET, CriterionState.UNMET, CriterionState.NA
# 63号 附件3 LG22-1c: “近2年主营业务收入平均增长率不低于5%”; zero growth fails it.
SLOW_GROWTH = {
    "main_revenue_y3": d(11000),
    "main_revenue_y2": d(11000),
    "main_revenue_y1": d(11000),
}


def little_giant(round_date: str, application_type: str, **changes) -> Applicant:
    values = {**base("little-giant-2022"), **SLOW_GROWTH, "application_type": application_type}
    values.update(changes)
    return Applicant(values=values)


def score(applicant: Applicant, round_date: str, tier: str = "little-giant", **kwargs):
    return score_applicant(
        applicant, round_date=date.fromisoformat(round_date), tier=tier, **kwargs
    )


def test_bundled_notices_load():
    """Every shipped notice file loads and validates against the rulebooks it changes."""
    assert set(list_notice_ids()) >= {
        "little-giant-2025-190",
        "little-giant-2026-117",
        "eligibility-2026-2",
    }
    assert all(n.instrument.number for n in load_all_notices())
    assert load_notice("little-giant-2025-190").grade == "A"


@pytest.mark.parametrize(
    ("round_date", "state", "verdict"),
    [
        # criteria.md little-giant-2022 Applies: 2022-06-01…2024-12-31 no waiver (63号 as written)
        ("2024-06-01", UNMET, Verdict.NOT_QUALIFIED),
        ("2024-12-31", UNMET, Verdict.NOT_QUALIFIED),
        # rounds dated in 2025 (190号): LG22-1c is na for renewals
        ("2025-01-01", NA, Verdict.PENDING),
        ("2025-06-01", NA, Verdict.PENDING),
    ],
)
def test_renewal_growth_follows_the_round_date(round_date, state, verdict):
    """A low-growth renewal passes LG22-1c in 2025 rounds (190号) and fails it before 2025."""
    ev = score(little_giant(round_date, "renewal"), round_date)
    assert ev.rulebook == "little-giant-2022"
    assert ev.criterion("LG22-1c").state == state
    assert ev.verdict == verdict  # pending: LG22-X's control test is a judgement item
    assert [n["id"] for n in ev.notices] == (
        ["little-giant-2025-190"] if round_date.startswith("2025") else []
    )


@pytest.mark.parametrize("application_type", ["new", "renewal"])
@pytest.mark.parametrize(
    ("round_date", "revenue", "state"),
    [
        # 190号: “本年度暂不接收营业收入低于5000万元企业的申请和复核” (new and renewal alike)
        ("2025-06-01", "4999", UNMET),
        ("2025-06-01", "5000", MET),
        ("2024-06-01", "4999", NA),  # no floor before 2025
    ],
)
def test_revenue_floor_5000_in_2025(application_type, round_date, revenue, state):
    """Under the 2025 notice 4,999万 fails LG22-F and 5,000万 meets it; before 2025 it is off."""
    ev = score(little_giant(round_date, application_type, revenue_y1=d(revenue)), round_date)
    assert ev.criterion("LG22-F").state == state


def test_2026_renewal_batch_carries_the_2025_settings_unverified():
    """117号: the 2026 renewal batch carries both 2025 settings, each marked 未核实."""
    ev = score(little_giant("2026-06-01", "renewal"), "2026-06-01")
    assert ev.rulebook == "little-giant-2022"
    assert [n["id"] for n in ev.notices] == ["little-giant-2026-117", "eligibility-2026-2"]
    assert ev.notices[0]["grade"] == "C" and ev.notices[0]["unverified"]
    by_name = {s["name"]: s for s in ev.settings}
    assert set(by_name) == {"renewal_growth_waived", "revenue_floor_5000"}
    for record in by_name.values():
        assert record["source"] == "notice" and record["value"] is True
        assert record["unverified"]
    assert ev.criterion("LG22-1c").state == NA


def test_2026_renewal_setting_is_switchable_and_recorded_as_override():
    """A round switching the carried waiver off judges growth again and records an override."""
    ev = score(
        little_giant("2026-06-01", "renewal"),
        "2026-06-01",
        settings={"renewal_growth_waived": False},
    )
    assert ev.criterion("LG22-1c").state == UNMET
    record = next(s for s in ev.settings if s["name"] == "renewal_growth_waived")
    assert record["source"] == "override" and record["value"] is False
    assert record["notice"] == "工信厅企业函〔2026〕117号" and record["notice_value"] is True
    assert record["unverified"] is None
    assert ev.to_dict()["settings"][0]["source"] == "override"
    notices, settings = round_notices(
        date(2026, 6, 1), tier="little-giant", overrides={"renewal_growth_waived": False}
    )
    lines = round_notice_lines(notices, settings)
    assert any("本批次改定" in line and "117号为启用" in line for line in lines)
    assert any("⚠未核实" in line for line in lines)


def test_new_applications_in_2026_get_no_renewal_notice():
    """117号 covers the renewal batch only: a 2026 new application (2号 standard) names only
    the 2号 measure's common eligibility."""
    ev = score(Applicant(values=base("little-giant-2026")), "2026-06-01")
    assert ev.rulebook == "little-giant-2026"
    assert [n["id"] for n in ev.notices] == ["eligibility-2026-2"]


@pytest.mark.parametrize(
    ("rulebook", "tier", "criterion"),
    [("little-giant-2026", "little-giant", "LG26-0"), ("srdi-sme-2026", "srdi-sme", "SR26-0")],
)
def test_the_2026_standards_ask_the_2026_incident_question(rulebook, tier, criterion):
    """SR26-0 and LG26-0 state the 2026 clause and read the applicant's answer to the 2026
    question (较大生产安全事故…), not the 2022 one (重大…偷漏税)."""
    ev = score(Applicant(values=base(rulebook)), "2026-06-01", tier=tier)
    assert ev.rulebook == rulebook
    observed = next(c.observed for c in ev.criteria if c.id == criterion)
    assert "较大生产安全事故" in observed and "偷漏税" not in observed


@pytest.mark.parametrize(
    ("round_date", "asked", "absent"),
    [
        ("2026-03-31", "偷漏税", "较大生产安全事故"),
        ("2026-04-01", "较大生产安全事故", "偷漏税"),
    ],
)
def test_in22_0_question_follows_the_round(round_date, asked, absent):
    """IN22-0 asks the 2022 question (…偷漏税) up to 2026-03-31 and the 2号 第十一条 question
    (较大生产安全事故、重大网络和数据安全事件…) from 2026-04-01; the field's label follows."""
    applicant = Applicant(values={**base("innovative-sme-2022"), "major_incident_3y": True})
    ev = score(applicant, round_date, tier="innovative-sme")
    result = ev.criterion("IN22-0")
    assert result.state == UNMET
    assert asked in result.requirement and absent not in result.requirement
    assert asked in result.clause and absent not in result.clause
    incident = next(p for p in result.parts if p.text.startswith("近三年"))
    assert asked in incident.text and incident.state == UNMET
    book = effective_rulebook("innovative-sme-2022", date.fromisoformat(round_date), "new")
    label = book.catalogue["major_incident_3y"].label
    assert asked in label and absent not in label
    assert book.quantities.get("major_incident_3y").label == label
    # Reworded by the notice, the criterion carries the notice's grade and its doubt.
    reworded = round_date >= "2026-04-01"
    assert (result.grade, bool(result.unverified)) == (("B", True) if reworded else ("A", False))


def test_effective_rulebook_hash_names_the_notices():
    """The notices are part of what was evaluated: the effective rulebook's hash differs."""
    before = effective_rulebook("little-giant-2022", date(2024, 6, 1), "renewal")
    during = effective_rulebook("little-giant-2022", date(2025, 6, 1), "renewal")
    assert before.notices == () and len(during.notices) == 1
    assert before.hash != during.hash


NOTICE = """\
id: test-notice
title: 测试通知
level: national
instrument: {title: 测试, number: 测试〔2025〕1号, grade: B}
covers:
  - {tier: little-giant, from: 2025-01-01, until: 2025-12-31, application_types: [renewal]}
changes:
  - rulebook: little-giant-2022
    settings: {renewal_growth_waived: true}
"""


def write_notice(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test-notice.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("original", "misspelt", "where"),
    [
        ("renewal_growth_waived", "renewal_growth_waivd", "changes[0].settings"),
        ("application_types", "aplication_types", "covers[0]"),
        ("number:", "numbr:", "instrument"),
        ("  - rulebook:", "  - rulebok:", "changes[0]"),
        ("covers:", "cover:", ""),
    ],
)
def test_malformed_notice_names_file_id_key_and_suggestion(tmp_path, original, misspelt, where):
    """A misspelt key anywhere in a notice file is an error with file, notice id, key and the
    closest valid name."""
    path = write_notice(tmp_path, NOTICE.replace(original, misspelt, 1))
    with pytest.raises(DataFileError) as info:
        load_notice_file(path)
    problems = info.value.problems
    wrong = misspelt.strip(" -:")
    hit = next(p for p in problems if wrong in p.detail)
    assert hit.file == "test-notice.yaml" and hit.rule == "test-notice"
    assert hit.suggestion == original.strip(" -:")
    assert (hit.path or "").startswith(where)
    assert "test-notice.yaml [test-notice]" in str(info.value)


def test_notice_values_are_checked(tmp_path):
    """A bad grade, tier, date or setting value is reported, every problem at once."""
    text = (
        NOTICE.replace("grade: B", "grade: AA")
        .replace("tier: little-giant", "tier: little-gaint")
        .replace("settings: {renewal_growth_waived: true}", "settings: {renewal_growth_waived: 1}")
    )
    with pytest.raises(DataFileError) as info:
        load_notice_file(write_notice(tmp_path, text))
    details = " | ".join(p.line() for p in info.value.problems)
    assert "来源等级 “AA” 无效" in details
    assert "未知层级 “little-gaint”" in details and "little-giant" in details
    assert "value 应写 true 或 false" in details


def test_exemption_and_added_criterion_apply(tmp_path):
    """A notice can exempt a criterion for an application type and add a criterion to the
    verdict; both follow the rulebook's own checks."""
    text = NOTICE.replace(
        "    settings: {renewal_growth_waived: true}\n",
        "    exempt:\n"
        "      - {criterion: LG22-1a, application_types: [renewal], note: 复核不考查}\n"
        "    add:\n"
        "      - id: LG22-N1\n"
        "        title: 测试增加条目\n"
        "        group: eligibility\n"
        "        clause: 测试条款\n"
        "        source: 测试〔2025〕1号\n"
        "        grade: B\n"
        "        require: {q: revenue_y1, ge: 20000}\n"
        "    verdict_add: [LG22-N1]\n",
    )
    notice = load_notice_file(write_notice(tmp_path, text))
    book = apply_notices(effective_rulebook("little-giant-2022", date(2024, 6, 1)), [notice])
    from zjtx.scoring.evaluator import evaluate

    applicant = little_giant("2024-06-01", "renewal", niche_years=1)
    ev = evaluate(applicant, book, round_date=date(2024, 6, 1))
    assert ev.criterion("LG22-1a").state == NA
    assert ev.criterion("LG22-N1").state == UNMET
    assert ev.verdict == Verdict.NOT_QUALIFIED
    assert any("LG22-N1" in r for r in ev.verdict_reasons)
    bad = text.replace("require: {q: revenue_y1, ge: 20000}", "require: {q: revenue_y, ge: 1}")
    with pytest.raises(DataFileError, match="revenue_y1"):
        load_notice_file(write_notice(tmp_path, bad))


def test_notice_dir_is_in_resources():
    """Notices live in resources/notices (shipped in the wheel with the other resources)."""
    assert notice_dir().name == "notices" and notice_dir().parent.name == "resources"


@pytest.mark.parametrize(
    ("round_date", "asked", "absent"),
    [
        ("2026-03-31", "偷漏税", "较大生产安全事故"),
        ("2026-06-01", "较大生产安全事故", "偷漏税"),
    ],
)
def test_2026_renewal_is_asked_the_incident_question_of_its_round(round_date, asked, absent):
    """A 小巨人 复核 judged by the 63号 standard in a round from 2026-04-01 is asked the same
    incidents question as the round's new applications (2号 第十一条), marked 未核实: its
    answer is read for LG22-0 and the clause, requirement and label say that question."""
    ev = score(little_giant(round_date, "renewal", major_incident_3y=True), round_date)
    assert ev.rulebook == "little-giant-2022"
    result = ev.criterion("LG22-0")
    assert result.state == UNMET
    assert asked in result.clause and absent not in result.clause
    assert asked in result.requirement and absent not in result.requirement
    assert bool(result.unverified) is (round_date >= "2026-04-01")
    book = effective_rulebook("little-giant-2022", date.fromisoformat(round_date), "renewal")
    assert asked in book.catalogue["major_incident_3y"].label
    new = effective_rulebook("little-giant-2026", date(2026, 6, 1), "new")
    if round_date >= "2026-04-01":
        # One question per round: the renewal's is the new applications' own.
        assert book.catalogue["major_incident_3y"].label == new.catalogue["major_incident_3y"].label


def test_folded_clauses_have_no_space_where_a_line_broke_between_chinese_characters():
    """A clause written over several lines of a folded block reads as one text: LG22-0's
    “近三年未发生重大\n安全” is 重大安全, not 重大 安全."""
    book = effective_rulebook("little-giant-2022", date(2026, 3, 1), "renewal")
    clause = book.by_id["LG22-0"].clause
    assert "重大安全（含网络安全" in clause and "重大 安全" not in clause
    assert "；未被列入经营异常名录" in clause
