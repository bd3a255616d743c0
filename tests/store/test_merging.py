"""A later file merged over an applicant's stored version: kept fields, changed values, blanks,
history and re-reading, on real workbooks and a real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.store.helpers import ROSTER_HEADER, make_uscc, write_book
from zjtx.domain.issues import Severity
from zjtx.intake import ColumnOverride
from zjtx.store import StoreService

ROUND = "2026年第一批专精特新"
USCC = make_uscc(1)
FULL_HEADER = ROSTER_HEADER
PART_HEADER = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2025年研发费用（万元）"]


def _round(service: StoreService, name: str = ROUND) -> None:
    service.create_round(
        name, tier="srdi-sme", round_date=date(2026, 5, 20), region="杭州市", evaluator="王评审"
    )


def _full(tmp_path: Path, name: str = "甲_申请书汇总.xlsx", revenue: object = 8600) -> Path:
    row = ["甲精密有限公司", USCC, revenue, 7000, 500, 8000, 120, "新申报"]
    return write_book(tmp_path / name, FULL_HEADER, row)


def _part(tmp_path: Path, revenue: object = 8800, rd: object = 500) -> Path:
    return write_book(
        tmp_path / "乙_局汇总.xlsx", PART_HEADER, ["甲精密有限公司", USCC, revenue, rd]
    )


def _import(service: StoreService, *paths: Path, round_name: str = ROUND, **options):
    files = service.read_files(round_name, list(paths), **options)
    return [service.import_file(round_name, file) for file in files]


def _values(service: StoreService, round_name: str = ROUND) -> dict[str, object]:
    return dict(service.applicant_detail(round_name, USCC).applicant.values)


def test_a_partial_roster_keeps_the_fields_it_lacks_and_says_which_and_from_where(
    service, tmp_path
):
    """A roster with fewer fields than the stored version updates the fields it holds, keeps
    the others with their file's provenance, and says so: a notice naming how many fields
    were kept from which file, a warning for each value it changed (old → new)."""
    _round(service)
    _import(service, _full(tmp_path))
    (result,) = _import(service, _part(tmp_path))

    assert (result.applicants_changed, result.applicants_unchanged) == (1, 0)
    detail = service.applicant_detail(ROUND, USCC)
    values = detail.applicant.values
    assert values["revenue_y1"] == Decimal(8800)  # the later file's value wins
    assert values["revenue_y2"] == Decimal(7000)  # kept from the 申请书汇总
    assert values["employees_y1"] == 120
    assert detail.applicant.provenance["revenue_y2"].file == "甲_申请书汇总.xlsx"
    assert detail.applicant.provenance["revenue_y1"].file == "乙_局汇总.xlsx"
    assert [v.number for v in detail.versions] == [1, 2]  # a merged version is a new version

    issues = {i.code: i for i in result.issues}
    kept = issues["store-fields-kept"]
    assert kept.severity == Severity.INFO and kept.uscc == USCC
    assert "本文件未含 " in kept.message and "沿用此前导入的《甲_申请书汇总.xlsx》" in kept.message
    assert "甲精密有限公司" in kept.message
    changed = [i for i in result.issues if i.code == "store-value-changed"]
    assert [(i.field, i.severity, i.cell) for i in changed] == [
        ("revenue_y1", Severity.WARNING, "C2")
    ]
    assert "《甲_申请书汇总.xlsx》为 8600" in changed[0].message
    assert "本文件为 8800" in changed[0].message
    assert [i.code for i in detail.issues if i.severity == Severity.WARNING] == [
        "store-value-changed"
    ]


def test_the_audit_trail_records_which_fields_were_kept_from_which_file(service, tmp_path):
    """The merged version's audit event lists the kept fields under the file they came from,
    and the history reads 沿用此前导入的《…》中的 N 个字段."""
    _round(service)
    _import(service, _full(tmp_path))
    _import(service, _part(tmp_path))
    entry = [h for h in service.history(ROUND, USCC) if h.action == "applicant-version"][-1]
    kept = entry.after["kept"]
    assert list(kept) == ["甲_申请书汇总.xlsx"]
    assert {"revenue_y2", "main_revenue_y1", "employees_y1"} <= set(kept["甲_申请书汇总.xlsx"])
    assert "revenue_y1" not in kept["甲_申请书汇总.xlsx"]
    assert f"沿用此前导入的《甲_申请书汇总.xlsx》中的 {len(kept['甲_申请书汇总.xlsx'])} 个字段" in (
        entry.summary
    )
    assert entry.after["changed"] == {"revenue_y1": ["8600", "8800"]}


def test_a_blank_cell_in_a_later_file_does_not_clear_the_stored_value(service, tmp_path):
    """A column the later file has but leaves empty is unknown, not a deletion: the stored
    value stays (未变, no new version), and a notice says the file left it empty."""
    _round(service)
    _import(service, _full(tmp_path))
    (result,) = _import(service, _part(tmp_path, revenue=8600, rd=None))
    assert (result.applicants_changed, result.applicants_unchanged) == (0, 1)
    assert _values(service)["rd_expense_y1"] == Decimal(500)
    (kept,) = [i for i in result.issues if i.code == "store-fields-kept"]
    assert "本文件留空，未清除原值" in kept.message
    assert not [i for i in result.issues if i.code == "store-value-changed"]


def test_a_later_file_holding_the_same_values_changes_nothing(service, tmp_path):
    """A roster whose values all agree with the stored version is 未变: no new version and no
    notice; the same file imported again is already imported."""
    _round(service)
    _import(service, _full(tmp_path))
    roster = _part(tmp_path, revenue=8600)
    (result,) = _import(service, roster)
    assert (result.applicants_changed, result.applicants_unchanged) == (0, 1)
    assert not result.issues
    (again,) = _import(service, roster)
    assert again.already_imported
    assert len(service.applicant_detail(ROUND, USCC).versions) == 1


def test_the_record_does_not_depend_on_blocked_imports_before(service, tmp_path):
    """Two files first imported together (both blocked as duplicates of each other), then one
    after the other, give the record the same files give in a fresh round: the roster's
    values are merged, not passed over as an older file's (store-newer-file-kept)."""
    full, part = _full(tmp_path), _part(tmp_path)
    _round(service)
    blocked = _import(service, full, part)
    assert [r.rows_blocked for r in blocked] == [1, 1]
    _import(service, full)
    (result,) = _import(service, part)
    assert "store-newer-file-kept" not in {i.code for i in result.issues}
    assert result.applicants_changed == 1

    _round(service, "对照批次")
    _import(service, full, round_name="对照批次")
    _import(service, part, round_name="对照批次")
    assert _values(service) == _values(service, "对照批次")
    assert _values(service)["revenue_y1"] == Decimal(8800)


def test_a_full_resubmission_wins_for_its_fields_and_keeps_a_field_it_no_longer_holds(
    service, tmp_path
):
    """A corrected 申请书 (补正) replaces the values it holds, each change a warning; a field the
    correction no longer holds keeps its earlier value, with the notice."""
    _round(service)
    _import(service, _full(tmp_path))
    header = [h for h in FULL_HEADER if h != "从业人员数"]
    corrected = write_book(
        tmp_path / "甲_申请书汇总_补正.xlsx",
        header,
        ["甲精密有限公司", USCC, 9100, 7000, 520, 8000, "新申报"],
    )
    (result,) = _import(service, corrected)
    values = _values(service)
    assert (values["revenue_y1"], values["rd_expense_y1"]) == (Decimal(9100), Decimal(520))
    assert values["employees_y1"] == 120
    changed = sorted(i.field for i in result.issues if i.code == "store-value-changed")
    assert changed == ["rd_expense_y1", "revenue_y1"]
    (kept,) = [i for i in result.issues if i.code == "store-fields-kept"]
    assert "本文件未含 1 个字段" in kept.message and "从业人员" in kept.message


def test_a_file_read_again_takes_back_what_it_gave_before(service, tmp_path):
    """Re-reading a file with a corrected column mapping takes back what that file gave: a
    value it no longer reads falls back to the earlier file's value and provenance, said so."""
    _round(service)
    _import(service, _full(tmp_path))
    roster = write_book(
        tmp_path / "丙_名单.xlsx",
        ["企业名称", "统一社会信用代码", "销售额（万元）"],
        ["甲精密有限公司", USCC, 9900],
    )
    fix = ColumnOverride(column="C", field="revenue", year=2025)
    _import(service, roster, mapping_overrides=[fix])
    assert _values(service)["revenue_y1"] == Decimal(9900)
    (back,) = _import(service, roster)  # the correction taken back: 销售额 is read as nothing
    assert not back.already_imported and back.applicants_changed == 1
    detail = service.applicant_detail(ROUND, USCC)
    assert detail.applicant.values["revenue_y1"] == Decimal(8600)  # 甲's value, not lost
    assert detail.applicant.provenance["revenue_y1"].file == "甲_申请书汇总.xlsx"
    assert detail.applicant.values["revenue_y2"] == Decimal(7000)  # the 申请书汇总's fields stay
    (restored,) = [i for i in back.issues if i.code == "store-value-restored"]
    assert restored.field == "revenue_y1" and restored.severity == Severity.INFO
    assert (
        "上年度营业收入：本文件不再提供（此前为 9900 万元），"
        "恢复为此前《甲_申请书汇总.xlsx》中的 8600 万元" in restored.message
    )
    assert not [i for i in back.issues if i.code == "store-value-dropped"]


def test_a_field_only_the_file_read_again_gave_is_dropped_with_a_warning(service, tmp_path):
    """A field a corrected mapping no longer gives that no other file gave is dropped, and a
    warning names the field, the value taken back and the file; another file's field stays."""
    _round(service)
    _import(service, _full(tmp_path))
    roster = write_book(
        tmp_path / "丙_名单.xlsx",
        ["企业名称", "统一社会信用代码", "往年销售（万元）"],
        ["甲精密有限公司", USCC, 6000],
    )
    fix = ColumnOverride(column="C", field="revenue", year=2023)
    _import(service, roster, mapping_overrides=[fix])
    assert _values(service)["revenue_y3"] == Decimal(6000)
    (back,) = _import(service, roster)
    values = _values(service)
    assert "revenue_y3" not in values
    assert values["revenue_y1"] == Decimal(8600)
    (dropped,) = [i for i in back.issues if i.code == "store-value-dropped"]
    assert dropped.field == "revenue_y3" and dropped.severity == Severity.WARNING
    assert "本文件不再提供此前《丙_名单.xlsx》给出的 6000 万元" in dropped.message
    assert "其他文件也未提供该字段，现为空" in dropped.message
    assert not [i for i in back.issues if i.code == "store-value-restored"]


def test_a_value_the_earlier_file_no_longer_gives_is_not_restored(service, tmp_path):
    """A field falls back only to a value the other file still gives: the 申请书汇总 read again
    since (its 2025 column left unread) no longer gives 8600, so the field is dropped, warned."""
    _round(service)
    full = write_book(
        tmp_path / "甲_申请书汇总.xlsx",
        [*FULL_HEADER, "往年销售（万元）"],
        ["甲精密有限公司", USCC, 8600, 7000, 500, 8000, 120, "新申报", 6000],
    )
    _import(service, full)
    roster = write_book(
        tmp_path / "丙_名单.xlsx",
        ["企业名称", "统一社会信用代码", "销售额（万元）"],
        ["甲精密有限公司", USCC, 9900],
    )
    _import(
        service, roster, mapping_overrides=[ColumnOverride(column="C", field="revenue", year=2025)]
    )
    again = [
        ColumnOverride(column="C", field="ignore"),
        ColumnOverride(column="I", field="revenue", year=2023),
    ]
    _import(service, full, mapping_overrides=again)
    assert _values(service)["revenue_y1"] == Decimal(9900)  # the roster's, newer
    (back,) = _import(service, roster)
    assert "revenue_y1" not in _values(service)
    (dropped,) = [i for i in back.issues if i.code == "store-value-dropped"]
    assert dropped.field == "revenue_y1" and "《丙_名单.xlsx》给出的 9900 万元" in dropped.message
    assert not [i for i in back.issues if i.code == "store-value-restored"]


def test_an_older_file_read_again_updates_its_own_fields_and_leaves_a_newer_files(
    service, tmp_path
):
    """A 申请书汇总 re-read with a corrected mapping after a newer roster: the field only it
    gives takes its new value, the roster's fields keep the roster's values, and the notice
    names each field left to the newer file with this file's value."""
    _round(service)
    header = [*FULL_HEADER, "往年销售（万元）"]
    full = write_book(
        tmp_path / "甲_申请书汇总.xlsx",
        header,
        ["甲精密有限公司", USCC, 8600, 7000, 500, 8000, 120, "新申报", 6000],
    )
    _import(service, full)
    _import(service, _part(tmp_path))
    fix = ColumnOverride(column="I", field="revenue", year=2023)
    (result,) = _import(service, full, mapping_overrides=[fix])
    assert result.applicants_changed == 1
    values = _values(service)
    assert values["revenue_y3"] == Decimal(6000)  # what the corrected mapping reads
    assert values["revenue_y1"] == Decimal(8800)  # the newer roster's value stays
    assert values["employees_y1"] == 120
    (notice,) = [i for i in result.issues if i.code == "store-newer-file-kept"]
    assert "上年度营业收入仍为《乙_局汇总.xlsx》中的值（本文件为 8600 万元）" in notice.message
    assert not [i for i in result.issues if i.code == "store-value-changed"]


def test_the_register_checks_the_merged_record_not_the_partial_file(service, tmp_path):
    """A renewal missing from the register, then a roster without 申报类型 for it: the new
    version is still warned about as a renewal (the register checks the merged record)."""
    from tests.registry_fixtures import list_names, write_list
    from tests.store.helpers import make_applicant, make_file
    from zjtx.intake.published_list import read_published_list

    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1))
    for year in (2023, 2024):
        service.registry.import_list(
            read_published_list(write_list(tmp_path / f"{year}.xlsx", list_names(2, start=30))),
            title="little-giant", year=year, evaluator="张三",
        )  # fmt: skip
    renewal = make_applicant(3, application_type="renewal")
    service.import_file(ROUND, make_file(tmp_path / "r.xlsx", [renewal]))
    roster = write_book(
        tmp_path / "乙_局汇总.xlsx", PART_HEADER, [renewal.name, make_uscc(3), 8800, 500]
    )
    (result,) = _import(service, roster)
    assert result.applicants_changed == 1
    detail = service.applicant_detail(ROUND, make_uscc(3))
    assert detail.applicant.values["application_type"] == "renewal"
    assert "registry-renewal-without-record" in {i.code for i in detail.issues}


def _again(tmp_path: Path, name: str, revenue: object) -> Path:
    return write_book(tmp_path / name, PART_HEADER, ["甲精密有限公司", USCC, revenue, 500])


def test_an_acknowledged_change_does_not_answer_a_later_change_of_the_field(service, tmp_path):
    """营业收入 changed 8600 → 8800 by one file, acknowledged; a third file changing it again
    (8800 → 9000) is another change, open until answered, and holds 推荐; the file of the
    first change read again keeps its answer; an answer saved by code and field, as zjtx did
    before a change was known by its file, still covers it."""
    from sqlalchemy import select, update

    from zjtx.store.models import ReviewItem
    from zjtx.store.reviews import ReviewRuleError

    _round(service)
    _import(service, _full(tmp_path))
    _import(service, _again(tmp_path, "补正1.xlsx", 8800))
    [change] = service.review_state(ROUND, USCC).open_warnings
    assert change.code == "store-value-changed"
    # Typed as the CLI shows it (code@field); the answer is saved for this change.
    state = service.acknowledge_warning(ROUND, USCC, "store-value-changed@revenue_y1", "以补正为准")
    assert state.open_warnings == ()

    _import(service, _again(tmp_path, "补正2.xlsx", 9000))
    [again] = service.review_state(ROUND, USCC).open_warnings
    assert (again.code, again.file) == ("store-value-changed", "补正2.xlsx")
    assert "《补正1.xlsx》为 8800 万元，本文件为 9000 万元" in again.message
    assert next(r for r in service.list_applicants(ROUND)).open_warnings == 1
    with pytest.raises(ReviewRuleError, match="尚有导入提示未确认：与此前导入的值不同"):
        service.decide(ROUND, USCC, "recommend", "同意推荐")

    # An answer as an older zjtx saved it (code and field) covers any file's change.
    with service.store.session() as session:
        session.execute(
            update(ReviewItem)
            .where(ReviewItem.kind == "warning")
            .values(target="store-value-changed@revenue_y1")
        )
    with service.store.session() as session:
        assert session.scalars(select(ReviewItem.target)).all() == [
            "store-value-changed@revenue_y1"
        ]
    assert service.review_state(ROUND, USCC).open_warnings == ()


def test_the_file_of_an_acknowledged_change_read_again_keeps_its_answer(service, tmp_path):
    """The file that made an acknowledged change, corrected and read again (营业收入 8800 →
    8900), raises the change again: it is the same warning of the same file, still answered."""
    _round(service)
    _import(service, _full(tmp_path))
    _import(service, _again(tmp_path, "补正1.xlsx", 8800))
    service.acknowledge_warning(ROUND, USCC, "store-value-changed@revenue_y1", "以补正为准")
    (tmp_path / "v2").mkdir()
    _import(service, _again(tmp_path / "v2", "补正1.xlsx", 8900))

    assert _values(service)["revenue_y1"] == Decimal(8900)
    assert service.review_state(ROUND, USCC).open_warnings == ()
