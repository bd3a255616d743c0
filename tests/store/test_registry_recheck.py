"""The register's warnings as of the round, and rounds still open checked again when the
register changes; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text

from tests.registry_fixtures import list_names, write_list
from tests.store.helpers import make_applicant, make_file, make_uscc
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.published_list import read_published_list
from zjtx.store import StoreService

ROUND = "2026专精特新"


def _import(service: StoreService, path, **options):
    options.setdefault("title", "srdi-sme")
    options.setdefault("year", 2025)
    return service.registry.import_list(read_published_list(path), evaluator="张三", **options)


def _codes(service: StoreService, round_name: str, number: int) -> list[str]:
    detail = service.applicant_detail(round_name, make_uscc(number))
    return sorted(i.code for i in detail.issues if i.code.startswith("registry-"))


def _decide(service: StoreService, round_name: str, number: int, decision: str) -> None:
    service.apply_review(
        round_name, make_uscc(number), evaluator="张三", confirm=[("T-JUDGE", "met")],
        reason="材料齐全", decision=decision, opinion="意见",
    )  # fmt: skip


def test_a_title_recognised_after_the_round_is_not_held_at_it(service, tmp_path):
    """A list of a year after the round's records what came later: a new application of a
    company on it, or its 否 for that title, raises no warning; an earlier year's list does."""
    later = list_names(5)
    _import(service, write_list(tmp_path / "2027.xlsx", later), year=2027)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.create_round("2026小巨人", tier="little-giant", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=later[0])]))
    declared = [make_applicant(2, name=later[1], holds_srdi=False)]
    service.import_file("2026小巨人", make_file(tmp_path / "b.xlsx", declared))
    assert _codes(service, ROUND, 1) == []
    assert _codes(service, "2026小巨人", 2) == []
    earlier = list_names(3, start=50)
    _import(service, write_list(tmp_path / "2025.xlsx", earlier), year=2025)
    service.import_file(ROUND, make_file(tmp_path / "c.xlsx", [make_applicant(3, name=earlier[0])]))
    assert _codes(service, ROUND, 3) == ["registry-already-holds"]


def test_the_rounds_own_recognition_is_not_held_against_it(service, tmp_path):
    """The province's list of the round's year names the companies this round recommended: a
    corrected file imported afterwards does not call them holders of the title they applied
    for; a company on that list this round did not recommend is still asked about."""
    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 6, 1))
    names = [f"测试(丁{n})科技有限公司" for n in (1, 2)]
    applicants = [make_applicant(n, name=names[n - 1]) for n in (1, 2)]
    service.import_file("2026创新型", make_file(tmp_path / "r.xlsx", applicants))
    _decide(service, "2026创新型", 1, "recommend")
    _decide(service, "2026创新型", 2, "reject")
    service.registry.recognise_round("2026创新型", evaluator="张三")
    _import(service, write_list(tmp_path / "省.xlsx", names), title="innovative-sme", year=2026)
    corrected = [make_applicant(n, name=names[n - 1], revenue="1600") for n in (1, 2)]
    service.import_file("2026创新型", make_file(tmp_path / "r2.xlsx", corrected))
    assert _codes(service, "2026创新型", 1) == []
    assert _codes(service, "2026创新型", 2) == ["registry-already-holds"]


def test_a_list_imported_later_brings_its_warnings_to_open_rounds(service, tmp_path):
    """A list imported after the applications: each open round's applicants are checked
    again (a list whose titles fall due in the round's year checks every renewal: the 2023
    list for a 2026 round), the warnings land on their
    current versions with a line in the trail, a 推荐 decided before reads 需复核, an
    archived round is left as it was; revoking the title withdraws its warning."""
    names = list_names(5)
    service.create_round("2025旧批次", tier="srdi-sme", round_date=date(2025, 6, 1))
    old = [make_applicant(4, name=names[1])]
    service.import_file("2025旧批次", make_file(tmp_path / "old.xlsx", old))
    service.archive_round("2025旧批次", evaluator="张三")
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    applicants = [
        make_applicant(1, name=names[0]),
        make_applicant(2, name="无锡从未入库科技有限公司", application_type="renewal"),
        make_applicant(3, name="常州无关精密有限公司"),
    ]
    service.import_file(ROUND, make_file(tmp_path / "r.xlsx", applicants))
    assert [_codes(service, ROUND, n) for n in (1, 2, 3)] == [[], [], []]
    _decide(service, ROUND, 1, "recommend")

    done = _import(service, write_list(tmp_path / "2023.xlsx", names), year=2023)
    assert [(r.round_name, r.applicants, r.added, r.withdrawn, r.recommended)
            for r in done.rechecked] == [(ROUND, 2, 2, 0, (names[0],))]  # fmt: skip
    assert done.rechecked[0].summary() == (
        f"批次 “{ROUND}”：2 家企业的培育库提示有变化（新增 2 条），其中 1 家已决定“推荐”，"
        f"需复核：{names[0]}"
    )
    assert _codes(service, ROUND, 1) == ["registry-already-holds"]
    assert _codes(service, ROUND, 2) == ["registry-renewal-without-record"]
    assert _codes(service, ROUND, 3) == []
    warning = next(i for i in service.applicant_detail(ROUND, make_uscc(1)).issues)
    assert (warning.file, warning.cell) == ("r.xlsx", "C2")  # the application_type cell
    assert "已有2023 年省级专精特新中小企业" in warning.message
    assert service.review_state(ROUND, make_uscc(1)).decision_outdated_reason == (
        "决定作出后培育库核对新增了提示"
    )
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == make_uscc(1))
    assert row.decision_outdated_reason == "决定作出后培育库核对新增了提示"
    assert row.open_warnings == 1
    summaries = [e.summary for e in service.history(ROUND, make_uscc(1))]
    assert "按培育库重新核对：新增提示 已持有该称号" in summaries
    # Acknowledged with a reason and decided again, the 推荐 stands.
    service.apply_review(
        ROUND, make_uscc(1), evaluator="张三", confirm=[],
        ack_warnings=["registry-already-holds"], reason="系2023年认定今年到期，已核实",
        decision="recommend", opinion="意见",
    )  # fmt: skip
    assert service.review_state(ROUND, make_uscc(1)).decision_outdated_reason == ""
    assert _codes(service, "2025旧批次", 4) == []

    again = _import(service, write_list(tmp_path / "2023.xlsx", names), year=2023)
    assert again.changed_nothing and again.rechecked == ()

    change = service.registry.revoke(
        names[0], title="srdi-sme", reason="材料不实", evaluator="张三"
    )
    assert [(r.round_name, r.applicants, r.added, r.withdrawn) for r in change.rechecked] == [
        (ROUND, 1, 0, 1)
    ]
    assert _codes(service, ROUND, 1) == []
    assert "按培育库重新核对：撤除提示 已持有该称号" in [
        e.summary for e in service.history(ROUND, make_uscc(1))
    ]


def test_marking_a_round_recognised_asks_about_its_companies_elsewhere(service, tmp_path):
    """A round marked 认定 puts its companies on record: another open round where one of
    them applies anew is asked about it, the round itself is not."""
    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 6, 1))
    service.create_round("2026创新型二批", tier="innovative-sme", round_date=date(2026, 9, 1))
    name = "测试(戊1)科技有限公司"
    service.import_file(
        "2026创新型", make_file(tmp_path / "a.xlsx", [make_applicant(1, name=name)])
    )
    service.import_file(
        "2026创新型二批", make_file(tmp_path / "b.xlsx", [make_applicant(1, name=name)])
    )
    _decide(service, "2026创新型", 1, "recommend")
    done = service.registry.recognise_round("2026创新型", evaluator="张三")
    assert [(r.round_name, r.added) for r in done.rechecked] == [("2026创新型二批", 1)]
    assert _codes(service, "2026创新型", 1) == []
    assert _codes(service, "2026创新型二批", 1) == ["registry-already-holds"]


@pytest.mark.parametrize(
    ("damaged", "column", "what"),
    [
        ('{"application_type": {"decimal": "abc"}}', "values", "字段值"),
        ("[1, 2]", "values", "字段值"),
        ('{"code": "registry-already-holds"}', "issues", "导入提示"),
        ('{"x": 1}', "source", "申报文件位置"),
        ('{"$cells": 5}', "provenance", "字段来源"),
    ],
    ids=["bad-value", "not-an-object", "issues-not-a-list", "bad-source", "bad-provenance"],
)
def test_a_damaged_version_in_an_open_round_is_named_and_passed_by(
    service, tmp_path, damaged, column, what
):
    """A version whose stored data are damaged (edited by hand, a disk fault) cannot be
    checked again: the list is still entered and the other applicants checked; the recheck
    names the damaged one (applicant, version, what); each recheck names it again, and no
    line asks for one more (a recheck cannot mend it), not even in a round an older zjtx
    checked."""
    from tests.store.test_errors import ROUND as DAMAGED
    from tests.store.test_errors import _damage

    service.create_round(DAMAGED, tier="srdi-sme", round_date=date(2026, 5, 20))
    applicants = [make_applicant(n, name=f"测试(己{n})科技有限公司") for n in (1, 2, 3)]
    service.import_file(DAMAGED, make_file(tmp_path / "a.xlsx", applicants))
    named = _damage(service, damaged, column)
    names = [a.name for a in applicants]
    done = _import(service, write_list(tmp_path / "l.xlsx", names))
    assert len(service.registry.list_entries()) == 3
    [recheck] = done.rechecked
    assert (recheck.applicants, recheck.added) == (2, 2)
    assert recheck.damaged == (f"{named.removeprefix('企业 ')}第 1 版的{what}",)
    assert recheck.summary().endswith(
        f"；1 家企业的数据在数据库中已损坏，未能核对：{recheck.damaged[0]}"
        "（请联系技术支持检查数据库，修复后再重新核对）"
    )
    assert recheck.to_dict()["damaged"] == list(recheck.damaged)
    assert _codes(service, DAMAGED, 1) == _codes(service, DAMAGED, 3) == ["registry-already-holds"]
    # Each recheck names it again until it is mended; no line asks for one more.
    assert service.registry_recheck_due(DAMAGED) is None
    rechecked = service.registry.recheck_rounds(evaluator="张三")
    assert [(r.applicants, r.damaged) for r in rechecked] == [(0, recheck.damaged)]
    _checked_by_older_zjtx(service, DAMAGED)
    assert service.registry_recheck_due(DAMAGED) is not None
    rechecked = service.registry.recheck_rounds(evaluator="张三")
    assert service.registry_recheck_due(DAMAGED) is None
    assert rechecked[0].summary() == (
        f"批次 “{DAMAGED}”：1 家企业的数据在数据库中已损坏，未能核对：{recheck.damaged[0]}"
        "（请联系技术支持检查数据库，修复后再重新核对）"
    )


def test_a_version_cut_short_is_passed_by_and_the_rest_of_its_chunk_checked(sqlite_url, tmp_path):
    """A JSON text cut short (SQLite keeps any text in a JSON column; PostgreSQL refuses
    it): the driver fails the whole chunk without saying whose; the damaged version is found,
    named, and the others in the chunk are still checked."""
    from tests.store.test_errors import ROUND as DAMAGED
    from tests.store.test_errors import _damage
    from zjtx.store import open_store

    service = StoreService(open_store(sqlite_url))
    try:
        service.create_round(DAMAGED, tier="srdi-sme", round_date=date(2026, 5, 20))
        applicants = [make_applicant(n, name=f"测试(庚{n})科技有限公司") for n in (1, 2, 3)]
        service.import_file(DAMAGED, make_file(tmp_path / "a.xlsx", applicants))
        named = _damage(service, '[{"code": "x', "issues")
        done = _import(service, write_list(tmp_path / "l.xlsx", [a.name for a in applicants]))
        [recheck] = done.rechecked
        assert (recheck.applicants, recheck.added) == (2, 2)
        assert recheck.damaged == (f"{named.removeprefix('企业 ')}第 1 版的导入提示",)
        assert _codes(service, DAMAGED, 3) == ["registry-already-holds"]
    finally:
        service.store.close()


def _in_thread(work) -> tuple[threading.Thread, dict]:
    """Run ``work`` in a thread (a second evaluator); its result or error in the dict."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@POSTGRES_ONLY
def test_a_list_imported_while_a_file_is_imported_waits_for_it(service, tmp_path, monkeypatch):
    """Two evaluators on one PostgreSQL database: a list imported while a corrected file is
    being imported into the round waits for that import, then checks its new version (the
    warning is not left on the version the file replaced)."""
    from zjtx.store import imports

    names = list_names(3)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=names[0])]))
    _import(service, write_list(tmp_path / "其他.xlsx", ["其他精密有限公司"]))
    checked, go = threading.Event(), threading.Event()
    real = imports.cross_check

    def held_check(*args, **kwargs):
        issues = real(*args, **kwargs)
        checked.set()
        go.wait(30)
        return issues

    monkeypatch.setattr(imports, "cross_check", held_check)
    corrected = make_file(tmp_path / "a2.xlsx", [make_applicant(1, name=names[0], revenue="1600")])
    importing, imported = _in_thread(lambda: service.import_file(ROUND, corrected))
    assert checked.wait(30)
    listing, listed = _in_thread(
        lambda: _import(service, write_list(tmp_path / "2025.xlsx", names))
    )
    listing.join(1.0)
    assert listing.is_alive()  # waiting for the round import to finish
    go.set()
    importing.join(60)
    listing.join(60)
    assert "error" not in imported and "error" not in listed
    assert [(r.round_name, r.added) for r in listed["result"].rechecked] == [(ROUND, 1)]
    assert _codes(service, ROUND, 1) == ["registry-already-holds"]
    assert service.applicant_detail(ROUND, make_uscc(1)).row.version == 2


@POSTGRES_ONLY
def test_a_recommendation_saved_during_a_recheck_sees_its_warning(service, tmp_path, monkeypatch):
    """A 推荐 saved while a list's recheck is under way waits for it, and is then refused for
    the warning the list raised, instead of slipping past both the gate and 需复核."""
    from zjtx.store import ReviewRuleError, registry_recheck

    names = list_names(3)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=names[0])]))
    stored, go = threading.Event(), threading.Event()
    real = registry_recheck._store

    def held_store(session, updates):
        real(session, updates)
        stored.set()
        go.wait(30)

    monkeypatch.setattr(registry_recheck, "_store", held_store)
    listing, listed = _in_thread(
        lambda: _import(service, write_list(tmp_path / "2025.xlsx", names))
    )
    assert stored.wait(30)
    deciding, decided = _in_thread(lambda: _decide(service, ROUND, 1, "recommend"))
    deciding.join(1.0)
    assert deciding.is_alive()  # waiting for the register's change to commit
    go.set()
    listing.join(60)
    deciding.join(60)
    assert "error" not in listed
    assert isinstance(decided.get("error"), ReviewRuleError)
    assert "已持有该称号" in str(decided["error"])  # registry-already-holds, by its title
    assert service.review_state(ROUND, make_uscc(1)).decision is None


def test_another_rounds_recognition_stays_held_after_a_recommendation(service, tmp_path):
    """A company recognised by one round and recommended again in a second round of the same
    year: the first round's 认定 still counts there (only the second round's own outcome
    would not), through any later change of the register and a corrected file."""
    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 3, 1))
    service.create_round("2026创新型二批", tier="innovative-sme", round_date=date(2026, 9, 1))
    name = "测试(庚1)科技有限公司"
    for round_name, file in (("2026创新型", "a.xlsx"), ("2026创新型二批", "b.xlsx")):
        service.import_file(round_name, make_file(tmp_path / file, [make_applicant(1, name=name)]))
    _decide(service, "2026创新型", 1, "recommend")
    service.registry.recognise_round("2026创新型", evaluator="张三")
    assert _codes(service, "2026创新型二批", 1) == ["registry-already-holds"]
    service.apply_review(
        "2026创新型二批", make_uscc(1), evaluator="张三", confirm=[("T-JUDGE", "met")],
        ack_warnings=["registry-already-holds"], reason="核实", decision="recommend",
        opinion="意见",
    )  # fmt: skip
    done = _import(service, write_list(tmp_path / "x.xlsx", [name]), year=2024)
    assert all(r.round_name != "2026创新型二批" or r.withdrawn == 0 for r in done.rechecked)
    assert _codes(service, "2026创新型二批", 1) == ["registry-already-holds"]
    corrected = [make_applicant(1, name=name, revenue="1600")]
    service.import_file("2026创新型二批", make_file(tmp_path / "b2.xlsx", corrected))
    assert _codes(service, "2026创新型二批", 1) == ["registry-already-holds"]
    assert _codes(service, "2026创新型", 1) == []


def test_a_reworded_warning_is_counted_as_updated(service, tmp_path):
    """The same recognitions entered again as renewed with another validity: the warning's
    text follows (its new expiry), counted as 内容更新, neither added nor withdrawn."""
    names = list_names(3)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=names[0])]))
    _import(service, write_list(tmp_path / "l.xlsx", names))
    done = _import(service, write_list(tmp_path / "l2.xlsx", names), status="renewed",
                   valid_years=2)  # fmt: skip
    assert [(r.applicants, r.added, r.withdrawn, r.reworded) for r in done.rechecked] == [
        (1, 0, 0, 1)
    ]
    assert done.rechecked[0].summary() == (
        f"批次 “{ROUND}”：1 家企业的培育库提示有变化（内容更新 1 条）"
    )
    message = service.applicant_detail(ROUND, make_uscc(1)).issues[0].message
    assert "有效期至 2027 年" in message and "复核通过" in message


def test_a_near_name_hint_alone_does_not_rewrite_a_warning(service, tmp_path):
    """A declared title not on record carries a near-name hint from the file's import; a
    later list of another title checks every applicant again without rewriting it."""
    names = list_names(3)
    _import(service, write_list(tmp_path / "l.xlsx", names))
    # The 2023 and 2024 lists too: a title held in 2026 may be on any of the three.
    for year in (2023, 2024):
        _import(service, write_list(tmp_path / f"{year}.xlsx", list_names(1, start=year)),
                year=year)  # fmt: skip
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    near = names[0].replace("智能", "智慧")
    applicant = make_applicant(1, name=near, holds_srdi=True)
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [applicant]))
    before = service.applicant_detail(ROUND, make_uscc(1)).issues
    assert [i.code for i in before] == ["registry-declared-not-on-record"]
    assert "名称相近的有" in before[0].message
    done = _import(service, write_list(tmp_path / "g.xlsx", ["无关精密有限公司"]),
                   title="little-giant", year=2024)  # fmt: skip
    assert done.rechecked == ()
    assert service.applicant_detail(ROUND, make_uscc(1)).issues == before


def test_a_recommendation_stands_again_once_its_warning_is_withdrawn(service, tmp_path):
    """A 推荐 asked about by a list's warning stands again when the register withdraws that
    warning (the list's entry revoked) without anyone deciding again."""
    names = list_names(3)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=names[0])]))
    _decide(service, ROUND, 1, "recommend")
    _import(service, write_list(tmp_path / "l.xlsx", names))
    assert service.review_state(ROUND, make_uscc(1)).decision_outdated_reason
    service.registry.revoke(names[0], title="srdi-sme", reason="误列入名单", evaluator="张三")
    assert _codes(service, ROUND, 1) == []
    assert service.review_state(ROUND, make_uscc(1)).decision_outdated_reason == ""


def test_rechecks_of_several_lists_are_told_once_per_round():
    """Two lists each changing one round read as one line for it, counts summed."""
    from zjtx.store.registry_recheck import RoundRecheck, merged

    first = RoundRecheck("甲批次", 2, 2, 0, ("A公司",))
    second = RoundRecheck("甲批次", 1, 1, 1, ("A公司", "B公司"), 1)
    other = RoundRecheck("乙批次", 1, 0, 1, ())
    assert merged([first, other, second]) == (
        RoundRecheck("甲批次", 3, 3, 1, ("A公司", "B公司"), 1),
        other,
    )
    # The same company changed by both lists is one company.
    one = RoundRecheck("甲批次", 1, 1, 0, (), 0, frozenset({7}))
    again = RoundRecheck("甲批次", 1, 0, 1, (), 0, frozenset({7}))
    assert merged([one, again])[0].applicants == 1


def test_open_rounds_are_checked_again_on_request(service, tmp_path, monkeypatch):
    """After an update (a round imported under older rules keeps their warnings), 重新核对
    checks every open round against the register as it stands; asked again, nothing changes."""
    from zjtx.store import imports

    later = list_names(3)
    _import(service, write_list(tmp_path / "2027.xlsx", later), year=2027)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    # As the code before this update checked: a later year's recognition was held.
    original = imports.cross_check

    def older_rules(session, applicants, round_row, file_name):
        issues = original(session, applicants, round_row, file_name)
        return issues + [
            Issue(code="registry-already-holds", severity=Severity.WARNING, message="旧规则",
                  file=file_name, field="application_type", uscc=a.uscc)
            for a in applicants
        ]  # fmt: skip

    monkeypatch.setattr(imports, "cross_check", older_rules)
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=later[0])]))
    monkeypatch.undo()
    assert _codes(service, ROUND, 1) == ["registry-already-holds"]
    done = service.registry.recheck_rounds(evaluator="张三")
    assert [(r.round_name, r.applicants, r.withdrawn) for r in done] == [(ROUND, 1, 1)]
    assert _codes(service, ROUND, 1) == []
    assert service.registry.recheck_rounds(evaluator="张三") == ()


def _checked_by_older_zjtx(service: StoreService, round_name: str) -> None:
    """Make the round's register warnings look as an older zjtx left them (no checks stamp)."""
    with service.store.session() as session:
        session.execute(
            text("UPDATE rounds SET registry_checks = NULL WHERE name = :name"),
            {"name": round_name},
        )
        session.commit()


def test_a_round_checked_by_an_older_zjtx_asks_to_be_checked_again(service, tmp_path):
    """A round whose warnings an older zjtx gave says so (round show, the window's line) until
    the open rounds are checked again; a new round, an empty one, an archived one and a round
    when the register is empty do not ask."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.create_round("空批次", tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
    _checked_by_older_zjtx(service, ROUND)
    _checked_by_older_zjtx(service, "空批次")
    # Nothing on record: no check could have warned, none is due.
    assert service.registry_recheck_due(ROUND) is None
    _import(service, write_list(tmp_path / "2025.xlsx", list_names(2)), year=2025)
    _checked_by_older_zjtx(service, ROUND)
    assert service.registry_recheck_due(ROUND) == (
        "本批次的培育库提示由较早版本的 zjtx 核对得出，此后核对规则已有更新"
    )
    assert service.registry_recheck_due("空批次") is None
    service.create_round("新批次", tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file("新批次", make_file(tmp_path / "b.xlsx", [make_applicant(2)]))
    assert service.registry_recheck_due("新批次") is None
    service.registry.recheck_rounds(evaluator="张三")
    assert service.registry_recheck_due(ROUND) is None
    _checked_by_older_zjtx(service, ROUND)
    service.archive_round(ROUND, evaluator="张三")
    assert service.registry_recheck_due(ROUND) is None


def test_a_restored_round_is_checked_against_the_register_as_it_now_stands(service, tmp_path):
    """A list imported while a round was archived leaves it as it was; restoring the round
    checks it again: the warning arrives, the trail says so, and nothing is due after."""
    names = list_names(3)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=names[0])]))
    service.archive_round(ROUND, evaluator="张三")
    done = _import(service, write_list(tmp_path / "2025.xlsx", names), year=2025)
    assert done.rechecked == ()
    assert _codes(service, ROUND, 1) == []
    restored = service.restore_round(ROUND, evaluator="张三")
    assert restored.info.name == ROUND and not restored.info.archived
    assert [(r.round_name, r.applicants, r.added) for r in restored.rechecked] == [(ROUND, 1, 1)]
    assert _codes(service, ROUND, 1) == ["registry-already-holds"]
    assert "按培育库重新核对：新增提示 已持有该称号" in [
        e.summary for e in service.history(ROUND, make_uscc(1))
    ]
    assert service.registry_recheck_due(ROUND) is None
    service.archive_round(ROUND, evaluator="张三")
    assert service.restore_round(ROUND, evaluator="张三").rechecked == ()


def test_a_recommendation_stands_once_only_acknowledged_warnings_remain(service, tmp_path):
    """An acknowledged warning stays, a newer one asks about the 推荐; when the register
    withdraws the newer one, the 推荐 stands again (what remains was acknowledged)."""
    names = list_names(3)
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file(
        ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1, name=names[0],
                                                              holds_little_giant=False)])
    )  # fmt: skip
    _import(service, write_list(tmp_path / "srdi.xlsx", names))
    service.apply_review(
        ROUND, make_uscc(1), evaluator="张三", confirm=[("T-JUDGE", "met")],
        ack_warnings=["registry-already-holds"], reason="核实为到期复核", decision="recommend",
        opinion="同意",
    )  # fmt: skip
    _import(service, write_list(tmp_path / "lg.xlsx", names), title="little-giant", year=2024)
    assert service.review_state(ROUND, make_uscc(1)).decision_outdated_reason
    service.registry.revoke(names[0], title="little-giant", reason="误列入名单", evaluator="张三")
    assert _codes(service, ROUND, 1) == ["registry-already-holds"]
    assert service.review_state(ROUND, make_uscc(1)).decision_outdated_reason == ""


@POSTGRES_ONLY
def test_a_decision_elsewhere_does_not_wait_while_a_list_waits_for_an_import(
    service, tmp_path, monkeypatch
):
    """A list waiting for a long round import does not hold up a 推荐 in another round (the
    register's writer asks again rather than queueing ahead of every reader)."""
    from zjtx.store import imports

    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    service.create_round("2026乙批次", tier="srdi-sme", round_date=date(2026, 6, 1))
    service.import_file("2026乙批次", make_file(tmp_path / "b.xlsx", [make_applicant(9)]))
    checked, go = threading.Event(), threading.Event()
    real = imports.cross_check

    def long_import(*args, **kwargs):
        issues = real(*args, **kwargs)
        checked.set()
        go.wait(30)  # stands for writing thousands of applicants
        return issues

    monkeypatch.setattr(imports, "cross_check", long_import)
    importing, imported = _in_thread(
        lambda: service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
    )
    assert checked.wait(30)
    listing, listed = _in_thread(
        lambda: _import(service, write_list(tmp_path / "l.xlsx", list_names(3)))
    )
    listing.join(0.5)
    deciding, decided = _in_thread(lambda: _decide(service, "2026乙批次", 9, "recommend"))
    deciding.join(10)
    assert not deciding.is_alive() and "error" not in decided
    assert listing.is_alive()  # still waiting for the round import
    go.set()
    importing.join(60)
    listing.join(60)
    assert "error" not in imported and "error" not in listed


@POSTGRES_ONLY
def test_a_first_time_evaluator_importing_beside_a_list_does_not_deadlock(
    service, tmp_path, monkeypatch
):
    """A new evaluator's round import and list import at once: both finish (the import takes
    the register before it writes its evaluator, which the list's writer would wait for)."""
    from zjtx.store import imports

    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    started, go = threading.Event(), threading.Event()
    real = imports.partition

    def held_partition(*args, **kwargs):
        started.set()
        go.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "partition", held_partition)
    file = make_file(tmp_path / "a.xlsx", [make_applicant(1)])
    importing, imported = _in_thread(lambda: service.import_file(ROUND, file, evaluator="新评审"))
    assert started.wait(30)
    listing, listed = _in_thread(
        lambda: service.registry.import_list(
            read_published_list(write_list(tmp_path / "l.xlsx", list_names(3))),
            title="srdi-sme", year=2025, evaluator="新评审",
        )
    )  # fmt: skip
    listing.join(1.0)
    go.set()
    importing.join(60)
    listing.join(60)
    assert "error" not in imported, imported.get("error")
    assert "error" not in listed, listed.get("error")


@POSTGRES_ONLY
def test_withdrawing_a_recommendation_while_the_round_is_marked_waits_and_is_refused(
    service, tmp_path, monkeypatch
):
    """A 推荐 changed to 不推荐 while the round is being marked 认定 waits for the marking,
    then is refused as the company is on record, instead of leaving the two at odds."""
    from zjtx.store import ReviewRuleError, common

    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 6, 1))
    service.import_file("2026创新型", make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
    _decide(service, "2026创新型", 1, "recommend")
    read, go = threading.Event(), threading.Event()
    real = common.outdated_decisions

    def held(*args, **kwargs):
        outdated = real(*args, **kwargs)
        read.set()
        go.wait(30)
        return outdated

    monkeypatch.setattr(common, "outdated_decisions", held)
    marking, marked = _in_thread(
        lambda: service.registry.recognise_round("2026创新型", evaluator="张三")
    )
    assert read.wait(30)
    monkeypatch.setattr(common, "outdated_decisions", real)
    withdrawing, withdrawn = _in_thread(lambda: _decide(service, "2026创新型", 1, "reject"))
    withdrawing.join(1.0)
    assert withdrawing.is_alive()  # waiting for the marking to commit
    go.set()
    marking.join(60)
    withdrawing.join(60)
    assert "error" not in marked
    assert isinstance(withdrawn.get("error"), ReviewRuleError)
    assert service.review_state("2026创新型", make_uscc(1)).decision == "recommend"
