"""Rescoring a round evaluates only what changed, in bulk, the same on workers as in one process."""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.store.helpers import write_newer_little_giant
from tests.store.pooled import PoolSpy, create_pg, drop_pg, stored_contents
from zjtx.intake.synthetic import applicants
from zjtx.intake.templates import write_roster_template
from zjtx.scoring.catalogue import load_catalogue
from zjtx.scoring.installing import install_file
from zjtx.store import (
    RescoreCancelled,
    StoreError,
    StoreService,
    open_store,
    rescoring,
    scoring_pool,
)
from zjtx.store import imports as store_imports
from zjtx.store.dto import RescoreReport, RulebookUpdate
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.statistics import round_overview

ROUND = "2026年小巨人"
YEAR = 2026
COUNT = 40
# A rulebook since corrected (an update of zjtx) had another hash; its texts are stored.
OUTDATED = "'x' || substr(rulebook_hash, 2)"  # no hash (hex) begins with x


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Several chunks of several pieces from a small round.
    monkeypatch.setattr(store_imports, "CHUNK", 6)
    monkeypatch.setattr(rescoring, "CHUNK", 6)
    monkeypatch.setattr(scoring_pool, "PIECE", 4)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    """Applicants of both types: the 2026 小巨人 round scores them under two rulebooks."""
    people = applicants(COUNT, YEAR)
    assert {row["application_type"] for row in people} == {"new", "renewal"}
    path = tmp_path / "名单.xlsx"
    write_roster_template(path, load_catalogue(), YEAR, people)
    return path


def _service(url: str, workers: int) -> StoreService:
    service = StoreService(open_store(url))
    service.evaluations.workers = workers
    service.evaluations.pool_minimum = 1
    return service


def _imported(url: str, roster: Path) -> list[str]:
    """A round of the roster with one confirmation, imported in one process, whose every
    third applicant was evaluated under a rulebook since corrected; their codes."""
    service = _service(url, 0)
    try:
        service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
        service.import_paths(ROUND, [roster], evaluator="王评审")
        rows = service.list_applicants(ROUND)
        detail = service.applicant_detail(ROUND, rows[0].uscc)
        criterion = detail.review.evaluation["criteria"][0]["id"]
        service.confirm_criterion(
            ROUND, rows[0].uscc, criterion, "met", "现场核实", evaluator="王评审"
        )
        outdated = [row.uscc for row in rows[::3]]
        with service.store.session() as session:
            session.execute(
                text(
                    f"INSERT INTO rulebook_texts (rulebook_hash, rulebook_id, texts, created_at) "
                    f"SELECT {OUTDATED}, rulebook_id, texts, created_at FROM rulebook_texts"
                )
            )
            for uscc in outdated:
                session.execute(
                    text(
                        f"UPDATE evaluations SET rulebook_hash = {OUTDATED} WHERE id = "
                        "(SELECT current_evaluation_id FROM applicants WHERE uscc = :uscc)"
                    ),
                    {"uscc": uscc},
                )
            session.commit()
        return outdated
    finally:
        service.store.close()


def _evaluations(service: StoreService) -> dict[str, dict[str, Any]]:
    """Every applicant's current full result, by code."""
    return {
        row.uscc: service.applicant_detail(ROUND, row.uscc).review.evaluation
        for row in service.list_applicants(ROUND)
    }


def test_rescore_evaluates_and_stores_only_what_changed(
    sqlite_url: str, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applicants evaluated under a corrected rulebook get a new evaluation, equal to what
    their import would store today, with its audit event; the others are not evaluated."""
    outdated = _imported(sqlite_url, roster)
    service = _service(sqlite_url, 0)
    before = _evaluations(service)
    calls: list[str] = []
    real = RulebookScorer.__call__

    def counted(self: RulebookScorer, applicant: Any, info: Any, confirmations: Any) -> Any:
        calls.append(applicant.uscc)
        return real(self, applicant, info, confirmations)

    monkeypatch.setattr(RulebookScorer, "__call__", counted)
    seen: list[tuple[int, int]] = []
    report = service.rescore(ROUND, evaluator="李评审", progress=lambda *p: seen.append(p))
    assert sorted(calls) == sorted(outdated)
    assert (report.applicants, report.reevaluated) == (COUNT, len(outdated))
    assert report.unchanged == COUNT - len(outdated)
    assert report.verdict_changes == ()  # the same rulebook really: the same verdicts
    assert seen[-1] == (COUNT, COUNT) and seen == sorted(seen)
    assert _evaluations(service) == before  # the results themselves, texts and all
    for uscc in outdated:
        entry = [h for h in service.history(ROUND, uscc) if h.action == "evaluation"][-1]
        assert entry.actor == "李评审"
        assert entry.before["rulebook_hash"].startswith("x")
        assert entry.before["rulebook_hash"][1:] == entry.after["rulebook_hash"][1:]
        assert entry.after["cause"] == "rescore"
        assert entry.after["verdict"] == before[uscc]["verdict"]
    with service.store.session() as session:
        causes = session.execute(
            text(
                "SELECT a.uscc, e.cause FROM applicants a "
                "JOIN evaluations e ON e.id = a.current_evaluation_id"
            )
        ).all()
    assert {uscc for uscc, cause in causes if cause == "rescore"} == set(outdated)
    again = service.rescore(ROUND)
    assert (again.reevaluated, again.unchanged) == (0, COUNT)
    service.store.close()


def test_a_rescore_on_workers_stores_exactly_what_one_process_stores(
    database_url: str, tmp_path: Path, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row, result text and audit event of a rescore is the same whether workers
    scored it or not, on SQLite and PostgreSQL."""
    _imported(database_url, roster)
    service = _service(database_url, 0)
    alone_report = service.rescore(ROUND, evaluator="李评审")
    service.store.close()
    alone = stored_contents(database_url)

    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'pool' / 'zjtx.sqlite3'}"
    else:  # another PostgreSQL database, empty
        url = database_url + "_rescore"
        create_pg(database_url, url)
    try:
        _imported(url, roster)
        spy = PoolSpy(monkeypatch)
        service = _service(url, 2)
        pooled_report = service.rescore(ROUND, evaluator="李评审")
        service.store.close()
        pooled = stored_contents(url)
    finally:
        if not url.startswith("sqlite"):
            drop_pg(database_url, url)
    assert spy.pools == 1 and spy.scored_by_workers >= 2
    assert pooled_report == alone_report
    assert alone_report.reevaluated == len(range(0, COUNT, 3))
    for name in alone:
        assert pooled[name] == alone[name], name
    assert multiprocessing.active_children() == []


def test_a_cancelled_rescore_on_workers_changes_nothing(sqlite_url: str, roster: Path) -> None:
    """Cancel after the first chunk: RescoreCancelled, every evaluation as it was, and no
    worker left running."""
    _imported(sqlite_url, roster)
    before = stored_contents(sqlite_url)
    service = _service(sqlite_url, 2)
    seen: list[int] = []
    with pytest.raises(RescoreCancelled, match="已取消重新评价；数据库未改动"):
        service.rescore(
            ROUND, progress=lambda done, total: seen.append(done), cancel=lambda: bool(seen)
        )
    service.store.close()
    assert len(seen) == 1
    assert stored_contents(sqlite_url) == before
    assert multiprocessing.active_children() == []


def test_cancel_asked_while_the_last_chunk_is_scored_still_changes_nothing(
    sqlite_url: str, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One chunk to rescore and 取消 clicked while it is scored: RescoreCancelled before
    anything is saved (the window would otherwise say nothing changed after a commit)."""
    monkeypatch.setattr(rescoring, "CHUNK", 1000)
    _imported(sqlite_url, roster)
    before = stored_contents(sqlite_url)
    service = _service(sqlite_url, 0)
    seen: list[int] = []
    with pytest.raises(RescoreCancelled, match="已取消重新评价；数据库未改动"):
        service.rescore(
            ROUND, progress=lambda done, total: seen.append(done), cancel=lambda: bool(seen)
        )
    service.store.close()
    assert seen  # scored, then cancelled before the commit
    assert stored_contents(sqlite_url) == before


def test_a_confirmation_its_new_rulebook_lacks_is_set_aside_the_same_on_workers(
    tmp_path: Path, roster: Path
) -> None:
    """A 新申报 applicant with a confirmed 2026 criterion whose stored type became 复核 (the
    2022 rulebook has no such criterion): the rescore evaluates it without that confirmation
    and says so in its notes, the same with workers as without."""
    notes = []
    for workers in (0, 2):
        url = f"sqlite:///{tmp_path / str(workers) / 'zjtx.sqlite3'}"
        _imported(url, roster)
        service = _service(url, workers)
        target = next(
            row
            for row in service.list_applicants(ROUND)
            if service.applicant_detail(ROUND, row.uscc).review.evaluation["application_type"]
            == "new"
        )
        service.confirm_criterion(
            ROUND, target.uscc, "LG26-1a", "met", "已核实称号", evaluator="王"
        )
        with service.store.session() as session:
            session.execute(
                text(
                    'UPDATE applicant_versions SET "values" = '
                    "json_set(\"values\", '$.application_type', 'renewal') "
                    "WHERE id = (SELECT current_version_id FROM applicants WHERE uscc = :uscc)"
                ),
                {"uscc": target.uscc},
            )
            session.commit()
        service.rescore(ROUND)
        evaluation = service.applicant_detail(ROUND, target.uscc).review.evaluation
        service.store.close()
        assert evaluation["rulebook"] == "little-giant-2022"
        notes.append([n for n in evaluation["notes"] if "LG26-1a" in n])
    assert notes[0] == notes[1] and len(notes[0]) == 1
    assert notes[0][0].startswith("评审人对 ") and "LG26-1a" in notes[0][0].split("的确认")[0]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    "damaged",
    ['{"revenue_y1": {"decimal": "abc"}}', '{"revenue_y1": {"decimal": "12', "[1, 2]"],
    ids=["bad-decimal", "cut-short", "not-an-object"],
)
def test_damaged_values_in_the_database_are_named_and_nothing_is_saved(
    sqlite_url: str, roster: Path, damaged: str
) -> None:
    """A version's values damaged in the database (edited by hand, a disk fault): the rescore
    stops with an error naming the applicant and version, and nothing is saved."""
    outdated = _imported(sqlite_url, roster)
    service = _service(sqlite_url, 0)
    target = next(row for row in service.list_applicants(ROUND) if row.uscc == outdated[1])
    with service.store.session() as session:
        session.execute(
            text(
                'UPDATE applicant_versions SET "values" = :damaged WHERE id = '
                "(SELECT current_version_id FROM applicants WHERE uscc = :uscc)"
            ),
            {"damaged": damaged, "uscc": target.uscc},
        )
        session.commit()
    before = stored_contents(sqlite_url)
    with pytest.raises(StoreError) as caught:
        service.rescore(ROUND)
    service.store.close()
    message = str(caught.value)
    assert f"企业 {target.name}（{target.uscc}）第 1 版的字段值在数据库中已损坏" in message
    assert "数据库未改动" in message and "联系技术支持" in message
    assert stored_contents(sqlite_url) == before


def test_a_rulebook_installed_while_running_governs_the_next_rescore(
    sqlite_url: str, roster: Path, tmp_path: Path
) -> None:
    """A newer version of a rulebook installed in the window (the same process, the same
    service) re-evaluates, on the next rescore, every applicant it governs, and no other."""
    service = _service(sqlite_url, 0)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
    service.import_paths(ROUND, [roster], evaluator="王评审")
    newer = write_newer_little_giant(tmp_path / "little-giant-2026.yaml")
    check, installed = install_file(newer)
    assert installed is not None, check.problems
    governed = [
        row.uscc for row in service.list_applicants(ROUND) if row.rulebook == "little-giant-2026"
    ]
    assert 0 < len(governed) < COUNT

    report = service.rescore(ROUND, evaluator="王评审")

    assert report.reevaluated == len(governed)
    versions = {
        row.uscc: service.applicant_detail(ROUND, row.uscc).review.evaluation["rulebook_version"]
        for row in service.list_applicants(ROUND)
    }
    assert {uscc for uscc, version in versions.items() if version == "2026.2"} == set(governed)
    # The history says from which version to which, not only that the rules were updated.
    [rescored] = [e for e in service.history(ROUND, governed[0]) if e.action == "evaluation"][-1:]
    assert "（评价标准 little-giant-2026 2026.1 → little-giant-2026 2026.2）" in rescored.summary
    service.store.close()


def test_the_report_names_changed_verdicts_by_company():
    """Verdict changes are listed by company name and Chinese verdict, a long list cut short."""
    changes = tuple((f"U{i}", "qualified", "pending") for i in range(12 + 3))
    report = RescoreReport(applicants=40, reevaluated=20, unchanged=20, verdict_changes=changes)
    text = report.text({"U0": "甲公司"}, 12)
    lines = text.splitlines()
    assert lines[0] == "重新评价 40 家：生成新评价 20 家（评价标准或申报数据有变化），未变 20 家"
    assert lines[1] == f"结论改变 {len(changes)} 家："
    assert lines[2] == "· 甲公司：符合条件 → 待定"
    assert lines[3] == "· U1：符合条件 → 待定"  # a code without a name in the table
    assert lines[-1] == "……另有 3 家，见企业列表的评价结论"
    same = RescoreReport(applicants=40, reevaluated=2, unchanged=38, verdict_changes=())
    assert same.text({}).splitlines()[1:] == ["结论均未改变"]  # new evaluations, same verdicts
    assert RescoreReport(40, 0, 40, ()).text({}).splitlines()[1:] == []


def test_a_decision_whose_verdict_changed_since_is_marked_for_a_second_look(
    database_url: str, tmp_path: Path
) -> None:
    """A stricter standard installed after decisions: a decided applicant whose verdict the
    rescore changes reads 需复核 (why, in the table and the review), until it is decided again;
    a decided applicant whose verdict stayed, does not."""
    from zjtx.paths import resource_path

    service = _service(database_url, 0)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")])
    rows = [r for r in service.list_applicants(ROUND) if r.rulebook == "little-giant-2026"]
    size = {r.uscc: service.applicant_detail(ROUND, r.uscc).review.evaluation["size_class"]
            for r in rows}  # fmt: skip
    changed = next(r for r in rows if r.verdict == "pending" and size[r.uscc] != "micro")
    kept = next(r for r in rows if r.verdict == "not_qualified")
    for row in (changed, kept):
        service.decide(ROUND, row.uscc, "reject", "不予推荐")
    assert not any(r.decision_outdated for r in service.list_applicants(ROUND))
    only_micro = ("in: [medium, small, micro], text: 符合", "in: [micro], text: 符合")
    stricter = write_newer_little_giant(tmp_path / "little-giant-2026.yaml", "2026.2", only_micro)
    assert install_file(stricter)[1] is not None

    report = service.rescore(ROUND, evaluator="王评审")

    assert (changed.uscc, "pending", "not_qualified") in report.verdict_changes
    after = {r.uscc: r for r in service.list_applicants(ROUND)}
    why = "决定作出后评价结论由“待定”变为“不符合条件”"
    assert after[changed.uscc].decision_outdated
    assert after[changed.uscc].decision_outdated_reason == why
    assert service.review_state(ROUND, changed.uscc).decision_outdated_reason == why
    assert not after[kept.uscc].decision_outdated
    assert after[kept.uscc].decision_outdated_reason == ""
    assert [u for u, r in after.items() if r.decision_outdated] == [changed.uscc]
    assert [r.uscc for r in service.list_applicants(ROUND, open_items="outdated")] == [changed.uscc]
    assert round_overview(service.store, ROUND).outdated == 1

    service.decide(ROUND, changed.uscc, "reject", "复核后仍不予推荐")
    again = {r.uscc: r for r in service.list_applicants(ROUND)}[changed.uscc]
    assert (again.decision_outdated, again.decision_outdated_reason) == (False, "")
    assert service.list_applicants(ROUND, open_items="outdated") == []
    assert round_overview(service.store, ROUND).outdated == 0
    assert service.review_state(ROUND, changed.uscc).decision_outdated_reason == ""
    service.store.close()


def test_a_round_evaluated_under_an_older_rulebook_says_so_until_it_is_rescored(
    sqlite_url: str, roster: Path, tmp_path: Path
) -> None:
    """A newer version of little-giant-2026 installed after the import: the round says how
    many applicants were evaluated under the older version, and which; after 重新评价 nothing."""
    service = _service(sqlite_url, 0)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
    service.import_paths(ROUND, [roster], evaluator="王评审")
    assert service.rulebook_update(ROUND) is None
    governed = [r for r in service.list_applicants(ROUND) if r.rulebook == "little-giant-2026"]
    assert install_file(write_newer_little_giant(tmp_path / "little-giant-2026.yaml"))[1]

    update = service.rulebook_update(ROUND)

    assert update is not None
    assert update.applicants == len(governed)
    # (the standard in force carries the 2号 measure's notice: its 2026 incident question)
    assert update.changes == (
        (
            "little-giant-2026",
            "2026.1",
            "little-giant-2026",
            "2026.2",
            "年度通知 eligibility-2026-2",
        ),
    )
    assert update.text() == (
        f"{len(governed)} 家企业按此前版本的评价标准评价（little-giant-2026 2026.1 → 2026.2）"
    )
    service.rescore(ROUND, evaluator="王评审")
    assert service.rulebook_update(ROUND) is None
    service.store.close()


def test_a_rulebook_corrected_within_its_version_is_named_so() -> None:
    """An update within one version (a file replaced in place, or field texts changed by an
    update of zjtx) reads as a change of content, not "2026.1 → 2026.1"."""
    update = RulebookUpdate(
        7,
        (
            ("little-giant-2026", "2026.1", "little-giant-2026", "2026.1"),
            ("srdi-sme-2022", "2022.1", "srdi-sme-2026", "2026.1"),
        ),
    )
    assert update.text() == (
        "7 家企业按此前版本的评价标准评价（little-giant-2026 2026.1 内容有修改；"
        "srdi-sme-2022 2022.1 → srdi-sme-2026 2026.1）"
    )


def test_a_confirmation_of_a_criterion_a_newer_version_renamed_is_set_aside_and_said(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A correction renames LG26-5, which an evaluator had confirmed: the rescore and the
    detail still evaluate (the confirmation is not applied, and the evaluation says so, naming
    the criterion), and the renamed item can be confirmed; nothing raises."""
    from zjtx.paths import resource_path

    service = _service(sqlite_url, 0)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 5, 20))
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")])
    row = next(r for r in service.list_applicants(ROUND) if r.rulebook == "little-giant-2026")
    service.confirm_criterion(ROUND, row.uscc, "LG26-5", "met", "协会证明", evaluator="王评审")
    renamed = write_newer_little_giant(
        tmp_path / "little-giant-2026.yaml", "2026.2",
        ("id: LG26-5", "id: LG26-5m"), ("{criterion: LG26-5}", "{criterion: LG26-5m}"),
    )  # fmt: skip
    assert install_file(renamed)[1] is not None
    # Before the rescore the stored evaluation has no LG26-5m: the refusal says why.
    with pytest.raises(StoreError) as refused:
        service.confirm_criterion(ROUND, row.uscc, "LG26-5m", "met", "协会证明", evaluator="王评审")
    assert str(refused.value).endswith(
        "？该企业按此前版本的评价标准评价（现行：little-giant-2026 2026.2）：请先重新评价本批次"
        f"（zjtx round rescore {ROUND}，或窗口中的“重新评价”），再确认"
    )

    service.rescore(ROUND, evaluator="王评审")

    evaluation = service.applicant_detail(ROUND, row.uscc).review.evaluation
    states = {c["id"]: c["state"] for c in evaluation["criteria"]}
    assert "LG26-5" not in states and states["LG26-5m"] == "manual"
    [note] = [n for n in evaluation["notes"] if "LG26-5" in n]
    assert note == (
        "评审人对 LG26-5 的确认未采用：现行评价标准（little-giant-2026 2026.2）中已没有该条目，"
        "请按现行条目重新确认"
    )
    service.confirm_criterion(ROUND, row.uscc, "LG26-5m", "met", "协会证明", evaluator="王评审")
    evaluation = service.applicant_detail(ROUND, row.uscc).review.evaluation
    assert {c["id"]: c["state"] for c in evaluation["criteria"]}["LG26-5m"] == "met"
    service.store.close()


def test_a_change_within_a_version_names_the_overlay_and_notices_it_carries(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A round under srdi-sme-2022 with the 山东 overlay, whose overlay is then corrected in
    place: the outdated line names the overlay beside the standard, since the standard's own
    version did not change."""
    from zjtx.paths import resource_path

    service = _service(sqlite_url, 0)
    service.create_round("山东", tier="srdi-sme", round_date=date(2024, 6, 1),
                         overlay="shandong-2022")  # fmt: skip
    service.import_paths("山东", [resource_path("samples", "applicants.json")])
    text = resource_path("overlays", "shandong-2022.yaml").read_text("utf-8")
    text = text.replace('version: "2022.1"', 'version: "2022.2"', 1)
    path = tmp_path / "shandong-2022.yaml"
    path.write_text(
        text.replace("山东特色化指标仅有单一来源", "山东特色化指标仅有一处来源", 1), "utf-8"
    )
    assert install_file(path)[1] is not None
    update = service.rulebook_update("山东")
    assert update is not None
    assert "srdi-sme-2022 2022.1（现行含省级规则 shandong-2022 2022.2）内容有修改" in update.text()
    assert update.to_dict()["changes"][0]["current_carries"] == "省级规则 shandong-2022 2022.2"
    service.store.close()
