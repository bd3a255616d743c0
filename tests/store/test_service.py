"""Rounds, imports, versions, rescoring, listings and statistics on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.store.helpers import make_applicant, make_file, make_uscc, warning
from zjtx.domain.issues import Severity
from zjtx.intake import ColumnOverride
from zjtx.store import (
    ImportCancelled,
    NotFoundError,
    ReviewRuleError,
    RoundNameError,
    SortKeyError,
    StoreError,
    StoreService,
)
from zjtx.store.models import ApplicantVersion, AuditEvent, Evaluation, ImportFile

ROUND = "2026年第一批专精特新"


def _round(service: StoreService, name: str = ROUND, **settings) -> None:
    service.create_round(
        name,
        tier="srdi-sme",
        round_date=date(2026, 5, 20),
        region="杭州市",
        settings=settings,
        evaluator="王评审",
    )


def _count(service: StoreService, model) -> int:
    with service.store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_create_and_list_rounds(service):
    """A created round is listed with its tier, date, region, settings and creator."""
    service.create_round(
        "2025年小巨人",
        tier="little-giant",
        round_date=date(2025, 6, 1),
        evaluator="李组长",
    )
    _round(service, revenue_floor=5000)
    rounds = service.list_rounds()
    assert [r.name for r in rounds] == [ROUND, "2025年小巨人"]
    info = service.get_round(ROUND)
    assert (info.tier, info.round_date, info.region) == ("srdi-sme", date(2026, 5, 20), "杭州市")
    assert info.settings == {"revenue_floor": 5000}
    assert info.created_by == "王评审"
    assert info.tier_label == "专精特新中小企业"
    history = service.history(ROUND)
    assert [h.action for h in history] == ["round-create"]
    assert "批次日期 2026-05-20" in history[0].summary


def test_round_names_are_unique_and_tiers_checked(service):
    """A duplicate round name and an unknown tier are refused with clear messages."""
    _round(service)
    with pytest.raises(RoundNameError, match="已存在"):
        _round(service)
    with pytest.raises(ReviewRuleError, match="little-giant"):
        service.create_round("x", tier="little-gaint", round_date=date(2026, 1, 1))
    with pytest.raises(NotFoundError, match="您是不是要写 “2026年第一批专精特新”"):
        service.get_round("2026年第一批专精特")


def test_import_stores_versions_and_evaluations(service, tmp_path):
    """Importing a file creates one applicant, version and evaluation per row, all listed."""
    _round(service)
    applicants = [make_applicant(1), make_applicant(2, revenue="800"), make_applicant(3)]
    report = service.import_file(
        ROUND, make_file(tmp_path / "a.xlsx", applicants), evaluator="王评审"
    )
    assert (report.applicants_new, report.applicants_changed, report.applicants_unchanged) == (
        3,
        0,
        0,
    )
    rows = {r.uscc: r for r in service.list_applicants(ROUND)}
    assert set(rows) == {make_uscc(1), make_uscc(2), make_uscc(3)}
    assert rows[make_uscc(2)].verdict == "not_qualified"
    assert rows[make_uscc(1)].verdict == "pending"  # the judgement item is still open
    assert rows[make_uscc(1)].score == Decimal(32)
    assert rows[make_uscc(1)].open_judgements == 1
    assert rows[make_uscc(1)].review_status == "pending"
    assert _count(service, ApplicantVersion) == 3
    assert _count(service, Evaluation) == 3
    actions = [h.action for h in service.history(ROUND)]
    assert actions.count("applicant-version") == 3
    assert actions[-1] == "file-import"


def test_values_and_provenance_come_back_typed(service, tmp_path):
    """Decimal, int, bool and date values and each cell's provenance survive the database."""
    _round(service)
    original = make_applicant(7, revenue="1234.5678", rd="0.01")
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [original]))
    detail = service.applicant_detail(ROUND, make_uscc(7))
    assert detail.applicant.values == original.values
    assert type(detail.applicant.values["revenue_y1"]) is Decimal
    assert type(detail.applicant.values["founded"]) is date
    assert detail.applicant.values["own_brand"] is True
    assert detail.applicant.provenance == original.provenance
    assert detail.applicant.source == original.source
    assert [v.file_name for v in detail.versions] == ["a.xlsx"]


def test_reimporting_the_same_file_changes_nothing(service, tmp_path):
    """The same file imported twice adds no version, evaluation or audit event."""
    _round(service)
    file = make_file(tmp_path / "a.xlsx", [make_applicant(1), make_applicant(2)])
    service.import_file(ROUND, file)
    counts = (_count(service, ApplicantVersion), _count(service, Evaluation))
    events = _count(service, AuditEvent)
    again = service.import_file(ROUND, file)
    assert again.already_imported
    assert again.versions_created == 0
    assert (_count(service, ApplicantVersion), _count(service, Evaluation)) == counts
    assert _count(service, AuditEvent) == events


def test_reimporting_a_file_whose_rows_were_blocked_then_imports_them(service, tmp_path):
    """A file whose enterprise was blocked at its first import (a duplicate of another file of
    that batch) imports it when read again on its own: the same bytes read otherwise are no
    unchanged file."""
    _round(service)
    content = "the same bytes"
    blocked = make_file(tmp_path / "a.xlsx", [], blocked=1, content=content)
    first = service.import_file(ROUND, blocked)
    assert (first.rows_imported, first.rows_blocked) == (0, 1)
    accepted = make_file(tmp_path / "a.xlsx", [make_applicant(1)], content=content)
    again = service.import_file(ROUND, accepted)
    assert not again.already_imported
    assert again.applicants_new == 1
    assert [row.uscc for row in service.list_applicants(ROUND)] == [make_uscc(1)]


def test_changed_row_makes_a_new_version_and_keeps_the_old(service, tmp_path):
    """A corrected row gets version 2 and a new evaluation; version 1 and its evaluation stay."""
    _round(service)
    service.import_file(
        ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1), make_applicant(2)])
    )
    corrected = [make_applicant(1, revenue="900", file="b.xlsx"), make_applicant(2, file="b.xlsx")]
    report = service.import_file(ROUND, make_file(tmp_path / "b.xlsx", corrected))
    assert (report.applicants_changed, report.applicants_unchanged) == (1, 1)
    detail = service.applicant_detail(ROUND, make_uscc(1))
    assert [(v.number, v.file_name) for v in detail.versions] == [(1, "a.xlsx"), (2, "b.xlsx")]
    assert detail.applicant.values["revenue_y1"] == Decimal(900)
    assert detail.row.verdict == "not_qualified"
    assert _count(service, ApplicantVersion) == 3
    assert _count(service, Evaluation) == 3
    history = service.history(ROUND, make_uscc(1))
    correction = [h for h in history if h.action == "applicant-version"][-1]
    assert correction.after["changed"] == {"revenue_y1": ["1500", "900"]}
    assert "上年度营业收入 1500 万元→900 万元" in correction.summary
    assert "不符合条件" in correction.summary


def test_a_correction_reads_with_units_and_labels_in_the_history(service, tmp_path):
    """A share and a sector corrected by a second file: the history line shows 24.8%→0.248% and
    the sector's labels, so a lost % format is seen for what it did."""
    _round(service)
    first = make_applicant(1, market_share_domestic=Decimal("24.8"), size_sector="industry")
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [first]))
    second = make_applicant(
        1, market_share_domestic=Decimal("0.248"), size_sector="software", file="b.xlsx"
    )
    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [second]))
    correction = [
        h for h in service.history(ROUND, make_uscc(1)) if h.action == "applicant-version"
    ]
    summary = correction[-1].summary
    assert "主导产品全国细分市场占有率 24.8%→0.248%" in summary
    assert "划型行业 工业→软件和信息技术服务业" in summary


def test_duplicate_codes_in_one_file_are_blocked_with_an_error(service, tmp_path):
    """Two rows with one 统一社会信用代码 are both blocked and reported, nothing guessed."""
    _round(service)
    rows = [make_applicant(1), make_applicant(1, revenue="2000"), make_applicant(2)]
    report = service.import_file(ROUND, make_file(tmp_path / "a.xlsx", rows))
    assert report.applicants_new == 1
    duplicates = [i for i in report.issues if i.code == "store-duplicate-uscc"]
    assert len(duplicates) == 2
    assert all(i.severity == Severity.ERROR and i.uscc == make_uscc(1) for i in duplicates)
    assert {i.cell for i in duplicates} == {"A2"}
    assert [r.uscc for r in service.list_applicants(ROUND)] == [make_uscc(2)]
    assert service.statistics(ROUND).blocked_rows == 2


def test_issues_of_the_file_are_kept_with_the_applicant(service, tmp_path):
    """Import warnings are stored with the applicant's version and counted as open."""
    _round(service)
    file = make_file(
        tmp_path / "a.xlsx", [make_applicant(1), make_applicant(2)], issues=[warning(make_uscc(1))]
    )
    report = service.import_file(ROUND, file)
    assert [i.code for i in report.issues] == ["ratio-mismatch"]
    detail = service.applicant_detail(ROUND, make_uscc(1))
    assert [(i.code, i.cell, i.sheet) for i in detail.issues] == [("ratio-mismatch", "F2", "名单")]
    rows = {r.uscc: r for r in service.list_applicants(ROUND)}
    assert rows[make_uscc(1)].open_warnings == 1
    assert rows[make_uscc(2)].open_warnings == 0


def test_failed_scoring_leaves_the_round_unchanged(service, scorer, tmp_path):
    """When an applicant cannot be scored the whole file is rolled back, with its name."""
    _round(service)
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
    before = (_count(service, ApplicantVersion), _count(service, AuditEvent))

    def broken(applicant, round_info, confirmations):
        if applicant.uscc == make_uscc(3):
            raise LookupError("没有适用于该批次日期的规则")
        return scorer(applicant, round_info, confirmations)

    service.scorer = broken
    file = make_file(tmp_path / "b.xlsx", [make_applicant(2), make_applicant(3)])
    with pytest.raises(StoreError, match=r"测试企业3有限公司.*没有适用于该批次日期的规则"):
        service.import_file(ROUND, file)
    assert (_count(service, ApplicantVersion), _count(service, AuditEvent)) == before
    service.scorer = scorer
    assert service.import_file(ROUND, file).applicants_new == 2  # the file was not recorded


def test_cancelled_import_leaves_no_trace(service, tmp_path, monkeypatch):
    """Cancelling mid-file rolls back everything the file had written so far."""
    monkeypatch.setattr("zjtx.store.imports.CHUNK", 2)
    _round(service)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2  # after two chunks were written

    file = make_file(tmp_path / "a.xlsx", [make_applicant(i) for i in range(1, 8)])
    with pytest.raises(ImportCancelled, match="未写入"):
        service.import_file(ROUND, file, cancel=cancel)
    assert _count(service, ApplicantVersion) == 0
    assert service.list_applicants(ROUND) == []
    assert service.import_file(ROUND, file).applicants_new == 7


def test_progress_reports_every_chunk(service, tmp_path, monkeypatch):
    """The progress callback sees the running count up to the total."""
    monkeypatch.setattr("zjtx.store.imports.CHUNK", 3)
    _round(service)
    seen = []
    file = make_file(tmp_path / "a.xlsx", [make_applicant(i) for i in range(1, 8)])
    service.import_file(ROUND, file, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_rescore_adds_evaluations_only_when_something_changed(service, scorer, tmp_path):
    """Rescoring with the same rulebook keeps evaluations; a changed rulebook adds new ones."""
    _round(service)
    service.import_file(
        ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1), make_applicant(2)])
    )
    same = service.rescore(ROUND, evaluator="王评审")
    assert (same.reevaluated, same.unchanged) == (0, 2)
    assert _count(service, Evaluation) == 2
    scorer.rulebook_hash = "b" * 64
    changed = service.rescore(ROUND, evaluator="王评审")
    assert (changed.reevaluated, changed.unchanged) == (2, 0)
    assert _count(service, Evaluation) == 4
    entries = [h for h in service.history(ROUND, make_uscc(1)) if h.action == "evaluation"]
    assert entries[0].before["rulebook_hash"] == "a" * 64
    assert "规则 test-rulebook 已更新" in entries[0].summary


def test_round_settings_reach_the_evaluator(service, tmp_path):
    """A round's settings (a revenue floor) are passed to scoring."""
    _round(service, revenue_floor=5000)
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
    assert service.list_applicants(ROUND)[0].verdict == "not_qualified"


def test_listing_filters_sorts_and_ranks(service, tmp_path):
    """Rows filter by verdict and text, sort by name or rank, and share ranks on equal scores."""
    _round(service)
    applicants = [
        make_applicant(1, rd="300"),
        make_applicant(2, rd="150"),
        make_applicant(3, rd="300"),
        make_applicant(4, revenue="10", rd="50"),
    ]
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", applicants))
    ranked = service.list_applicants(ROUND)
    assert [(r.uscc, r.rank) for r in ranked] == [
        (make_uscc(1), 1),
        (make_uscc(3), 1),
        (make_uscc(2), 3),
        (make_uscc(4), 4),
    ]
    assert [r.uscc for r in service.list_applicants(ROUND, verdict="not_qualified")] == [
        make_uscc(4)
    ]
    assert [r.name for r in service.list_applicants(ROUND, search="企业2")] == ["测试企业2有限公司"]
    names = [r.name for r in service.list_applicants(ROUND, sort="name", descending=True)]
    assert names == sorted(names, reverse=True)
    with pytest.raises(SortKeyError, match="未知的排序方式"):
        service.list_applicants(ROUND, sort="colour")


def test_statistics_count_verdicts_decisions_and_files(service, tmp_path):
    """Statistics count applicants by verdict, decision and review status, files and versions."""
    _round(service)
    service.import_file(
        ROUND,
        make_file(
            tmp_path / "a.xlsx",
            [make_applicant(1), make_applicant(2, revenue="10")],
            issues=[warning(make_uscc(1))],
            blocked=3,
        ),
    )
    again = make_applicant(1, rd="200", file="b.xlsx")
    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [again]))
    service.decide(ROUND, make_uscc(2), "reject", "营业收入不达标", evaluator="李组长")
    stats = service.statistics(ROUND)
    assert (stats.applicants, stats.files, stats.versions, stats.blocked_rows) == (2, 2, 3, 3)
    assert stats.by_verdict == {"pending": 1, "not_qualified": 1}
    assert stats.by_decision == {"none": 1, "reject": 1}
    assert stats.by_review_status == {"pending": 1, "decided": 1}
    assert stats.open_judgements == 2
    # Version 1's warning is on the 研发费用 b.xlsx gives again: not carried; version 2's own is
    # b.xlsx's changed 研发费用.
    assert stats.open_warnings == 1
    detail = service.applicant_detail(ROUND, make_uscc(1))
    assert [i.code for i in detail.issues if i.severity == Severity.WARNING] == [
        "store-value-changed"
    ]


def test_a_file_read_again_with_a_corrected_mapping_is_imported_again(service, tmp_path):
    """An already imported roster, read with a corrected column, updates its applicants (new
    versions) under the same file record, and the history says the mapping was corrected."""
    _round(service)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "企业名称", "统一社会信用代码", "销售额（元）"])
    for i in range(2):
        sheet.append([i + 1, f"测试{i}号有限公司", make_uscc(700 + i), 50_000_000 + i])
    path = tmp_path / "名单.xlsx"
    workbook.save(path)

    (first,) = service.read_files(ROUND, [path])
    assert service.import_file(ROUND, first).applicants_new == 2
    assert "revenue_y1" not in service.applicant_detail(ROUND, make_uscc(700)).applicant.values
    unchanged = service.import_file(ROUND, service.read_files(ROUND, [path])[0])
    assert unchanged.already_imported

    fix = ColumnOverride(column="D", field="revenue", year=2025)  # 营业收入 of 2025 (_y1)
    (corrected,) = service.read_files(ROUND, [path], mapping_overrides=[fix])
    again = service.import_file(ROUND, corrected)
    assert not again.already_imported
    assert (again.applicants_new, again.applicants_changed) == (0, 2)
    detail = service.applicant_detail(ROUND, make_uscc(700))
    assert detail.applicant.values["revenue_y1"] == Decimal(5000)
    assert len(detail.versions) == 2
    assert _count(service, ImportFile) == 1
    assert any("按更正的列对应关系" in entry.summary for entry in service.history(ROUND))


def _roster(path, rows) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "企业名称", "统一社会信用代码", "销售额（元）"])
    for i, value in enumerate(rows):
        sheet.append([i + 1, f"测试{i}号有限公司", make_uscc(800 + i), value])
    workbook.save(path)


def test_a_corrected_reimport_leaves_newer_files_and_unreadable_rows_alone(service, tmp_path):
    """Re-reading an older file with a corrected mapping does not undo what a newer file
    changed, keeps a row it cannot read as it was (and says so), is "already imported" when
    read the same way again, and imports again when the correction is taken back."""
    _round(service)
    old, newer = tmp_path / "一月名单.xlsx", tmp_path / "三月补正.xlsx"
    _roster(old, [50_000_000, 60_000_000, "待补"])
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "企业名称", "统一社会信用代码", "2025年营业收入（万元）"])
    workbook.active.append([1, "测试0号有限公司", make_uscc(800), 7777])
    workbook.save(newer)
    for path in (old, newer):
        service.import_file(ROUND, service.read_files(ROUND, [path])[0])

    fix = ColumnOverride(column="D", field="revenue", year=2025)
    (corrected,) = service.read_files(ROUND, [old], mapping_overrides=[fix])
    result = service.import_file(ROUND, corrected)
    codes = {(issue.code, issue.uscc) for issue in result.issues}
    assert ("store-newer-file-kept", make_uscc(800)) in codes
    assert ("store-blocked-kept-previous", make_uscc(802)) in codes
    assert (result.applicants_changed, result.applicants_unchanged) == (1, 1)
    values = {
        i: service.applicant_detail(ROUND, make_uscc(800 + i)).applicant.values for i in (0, 1)
    }
    assert values[0]["revenue_y1"] == Decimal(7777)  # the newer file's figure stays
    assert values[1]["revenue_y1"] == Decimal(6000)  # 60,000,000 元 read as 营业收入

    same = service.import_file(ROUND, service.read_files(ROUND, [old], mapping_overrides=[fix])[0])
    assert same.already_imported
    back = service.import_file(ROUND, service.read_files(ROUND, [old])[0])
    assert not back.already_imported and back.applicants_changed == 1
    assert "revenue_y1" not in service.applicant_detail(ROUND, make_uscc(801)).applicant.values
    history = [entry for entry in service.history(ROUND) if entry.action == "file-import"]
    assert "按自动识别的列对应关系重新读取" in history[-1].summary
    assert history[-1].before["mapping"] and not history[-1].after["mapping"]
