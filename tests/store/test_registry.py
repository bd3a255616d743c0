"""The register (培育库): published lists in, recognitions superseded, due, revoked, and the
cross-checks on import into a round; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.registry_fixtures import list_names, write_list
from tests.store.helpers import insert_old_round, make_applicant, make_file, make_uscc
from zjtx.intake.published_list import read_published_list
from zjtx.store import InvalidRequestError, NotFoundError, StoreService, open_store
from zjtx.store.engine import create_store_engine, current_revision, head_revision, migrate
from zjtx.store.models import AuditEvent, RegistryEntry
from zjtx.store.registry import RegistryImportError
from zjtx.store.settings import resolve_location


def _import(service: StoreService, path, **options):
    options.setdefault("title", "srdi-sme")
    options.setdefault("year", 2024)
    return service.registry.import_list(read_published_list(path), evaluator="张三", **options)


def _count(service: StoreService, model, *conditions) -> int:
    with service.store.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


@pytest.fixture
def two_lists(service, tmp_path):
    """A 2024 专精特新 list of 300 names and a 2025 创新型 list of 1,200 names, imported."""
    srdi = write_list(tmp_path / "专精特新2024.xlsx", list_names(300))
    innovative = write_list(
        tmp_path / "创新型2025.xlsx",
        list_names(1200, start=200, prefix="苏"),
        title="2025年江苏省创新型中小企业公示名单",
    )
    first = _import(service, srdi)
    second = _import(service, innovative, title="innovative-sme", year=2025)
    return first, second, srdi, innovative


def test_two_published_lists_give_one_entry_per_row(service, two_lists):
    """Every row of each list is one recognition, with its region and its source row."""
    first, second, _, _ = two_lists
    assert (first.rows, first.added, second.rows, second.added) == (300, 300, 1200, 1200)
    srdi = service.registry.list_entries(title="srdi-sme")
    assert len(srdi) == 300
    assert len(service.registry.list_entries(title="innovative-sme", year=2025)) == 1200
    entry = srdi[3]
    assert entry.name == list_names(300)[3] and "（" in entry.name
    assert (entry.source_file, entry.source_sheet, entry.source_row) == (
        "专精特新2024.xlsx",
        "名单",
        6,
    )
    assert entry.source_title == "2024年度江苏省专精特新中小企业认定名单"
    assert (entry.level, entry.status, entry.valid_until) == ("provincial", "recognised", 2027)
    assert len(service.registry.list_entries(region="南京市")) == 60 + 240
    # Every entry is in the audit trail.
    assert _count(service, AuditEvent, AuditEvent.action == "registry-entry") == 1500


def test_reimporting_the_same_list_changes_nothing(service, two_lists):
    """The same list again adds no entry and no audit event."""
    _, _, srdi, _ = two_lists
    events = _count(service, AuditEvent)
    again = _import(service, srdi)
    assert again.changed_nothing and again.unchanged == 300
    assert _count(service, RegistryEntry) == 1500
    assert _count(service, AuditEvent) == events


def test_due_counts_by_year(service, two_lists):
    """A 2024 recognition of 3 years is due in 2027, a 2025 one in 2028."""
    assert len(service.registry.due(2027)) == 300
    assert len(service.registry.due(2028)) == 1200
    assert len(service.registry.due(2028, title="srdi-sme")) == 0
    assert service.registry.due(2026) == []


def test_an_enterprise_renewed_or_recognised_again_is_not_due(service, tmp_path):
    """A 2022 recognition is due in 2025 unless the enterprise holds the title again from a
    later list (复核通过 2025): the due list leaves it out."""
    names = list_names(3)
    _import(service, write_list(tmp_path / "2022.xlsx", names), year=2022)
    assert len(service.registry.due(2025)) == 3
    _import(service, write_list(tmp_path / "复核.xlsx", names[:1]), year=2025, status="renewed")
    assert sorted(e.name for e in service.registry.due(2025)) == sorted(names[1:])


def test_recognition_after_publicity_supersedes_and_keeps_history(service, tmp_path):
    """A publicity list then the recognised list: one current entry, both states kept."""
    path = write_list(tmp_path / "公示.xlsx", list_names(5), title="公示名单")
    _import(service, path, status="publicity")
    path2 = write_list(tmp_path / "认定.xlsx", list_names(5), title="认定名单")
    result = _import(service, path2, status="recognised")
    assert (result.added, result.superseded) == (0, 5)
    current = service.registry.list_entries()
    assert [e.status for e in current] == ["recognised"] * 5
    history = service.registry.show(list_names(5)[0])
    assert [e.status for e in history.entries] == ["publicity", "recognised"]
    assert history.entries[1].supersedes_id == history.entries[0].id
    assert _count(service, AuditEvent, AuditEvent.action == "registry-supersede") == 5


def test_uscc_arriving_later_is_attached_and_recorded(service, tmp_path):
    """A later list with codes gives the name-only entries their code (new states)."""
    names = list_names(4)
    _import(service, write_list(tmp_path / "a.xlsx", names))
    codes = [make_uscc(i) for i in range(4)]
    later = write_list(tmp_path / "b.xlsx", names, usccs=codes)
    result = _import(service, later, title="innovative-sme", year=2025)
    assert (result.added, result.uscc_attached) == (4, 4)
    shown = service.registry.show(codes[2])
    assert {e.uscc for e in shown.entries if e.current} == {codes[2]}
    assert [e.uscc for e in shown.entries if e.title == "srdi-sme"] == [None, codes[2]]
    assert _count(service, AuditEvent, AuditEvent.action == "registry-uscc-attach") == 4


def test_contradicting_uscc_is_refused_with_file_and_row(service, tmp_path):
    """A code differing from the one on record: one message with file and row, nothing lost."""
    names = list_names(3)
    _import(service, write_list(tmp_path / "a.xlsx", names, usccs=[make_uscc(i) for i in range(3)]))
    before = _count(service, RegistryEntry)
    wrong = [make_uscc(0), make_uscc(9), make_uscc(2)]
    with pytest.raises(RegistryImportError) as caught:
        _import(service, write_list(tmp_path / "b.xlsx", names, usccs=wrong), year=2025)
    message = str(caught.value)
    assert "b.xlsx，工作表“名单”，第 4 行" in message
    assert f"{make_uscc(9)} 与培育库中记录的 {make_uscc(1)}" in message
    assert message.count("不符") == 1
    assert _count(service, RegistryEntry) == before


def test_duplicate_names_in_one_list_are_refused(service, tmp_path):
    """A name listed twice (once with half-width brackets) stops the list, naming both rows."""
    names = list_names(5)
    names[4] = names[3].replace("（", "(").replace("）", ")")
    with pytest.raises(RegistryImportError, match="出现 2 次（另见第 7 行）"):
        _import(service, write_list(tmp_path / "dup.xlsx", names))
    assert _count(service, RegistryEntry) == 0


def test_revoke_supersedes_with_reason(service, tmp_path):
    """Revoking a title appends a 已撤销 state with the reason; the old state stays."""
    names = list_names(2)
    _import(service, write_list(tmp_path / "a.xlsx", names))
    revoked = service.registry.revoke(
        names[1], title="srdi-sme", reason="发现申报材料造假", evaluator="张三"
    )
    assert [(e.status, e.note) for e in revoked.entries] == [("revoked", "发现申报材料造假")]
    assert revoked.rechecked == ()  # no round to check again
    assert len(service.registry.due(2027)) == 1
    with pytest.raises(NotFoundError, match="没有可撤销"):
        service.registry.revoke(names[1], title="srdi-sme", reason="再次", evaluator="张三")


def _revocation_list(path, rows):
    """A 撤销 notice's list: 序号 | 企业名称 | 原认定年度 | 撤销原因."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["关于撤销部分企业专精特新中小企业称号的通知"])
    sheet.append(["序号", "企业名称", "原认定年度", "撤销原因"])
    for number, (name, year) in enumerate(rows, start=1):
        sheet.append([number, name, year, "未按期报送"])
    book.save(path)
    return path


def test_a_revocation_list_revokes_the_recognition_held(service, tmp_path):
    """A 撤销 list dated 2024 revokes each enterprise's held recognition of its title: the
    year its 原认定年度 column names, else every one held by 2024. It adds no recognition of
    the notice's year, and the same list again changes nothing."""
    names = list_names(3)
    _import(service, write_list(tmp_path / "2022.xlsx", names[:2]), year=2022)
    _import(service, write_list(tmp_path / "2023.xlsx", names), year=2023)
    path = _revocation_list(tmp_path / "撤销.xlsx", [(names[0], None), (names[2], "2023年")])
    done = _import(service, path, year=2024, status="revoked")
    assert (done.added, done.superseded) == (0, 3)
    current = {(e.name, e.year): e.status for e in service.registry.list_entries()}
    assert current == {
        (names[0], 2022): "revoked",
        (names[0], 2023): "revoked",
        (names[1], 2022): "recognised",
        (names[1], 2023): "recognised",
        (names[2], 2023): "revoked",
    }
    assert _import(service, path, year=2024, status="revoked").changed_nothing


def test_a_revocation_of_nothing_held_is_refused_naming_the_row(service, tmp_path):
    """A row of a 撤销 list with no recognition of the title on record (or none of the year
    it names) is refused with its row: the register records no revocation of nothing."""
    names = list_names(2)
    _import(service, write_list(tmp_path / "2022.xlsx", names[:1]), year=2022)
    path = _revocation_list(tmp_path / "撤销.xlsx", [(names[0], 2021), (names[1], None)])
    with pytest.raises(RegistryImportError) as raised:
        _import(service, path, year=2024, status="revoked")
    rows = [(p.code, p.row) for p in raised.value.problems]
    assert rows == [("list-revocation-unmatched", 3), ("list-revocation-unmatched", 4)]
    assert "2021 年" in raised.value.problems[0].message
    assert "没有可撤销的专精特新中小企业称号" in raised.value.problems[1].message
    assert _count(service, RegistryEntry) == 1


def test_show_suggests_near_names_only(service, tmp_path):
    """An unknown name is not matched to a near one; the near one is offered as a hint."""
    names = list_names(3)
    _import(service, write_list(tmp_path / "a.xlsx", names))
    with pytest.raises(NotFoundError, match="相近的名称"):
        service.registry.show(names[0].replace("智能", "智慧"))


def _round_with_register(service: StoreService, tmp_path, tier: str = "srdi-sme"):
    """The round 2026专精特新, with the 专精特新 lists of every year whose titles stand in 2026
    imported (2023, due then; 2024, its names returned; 2025) and a 2025 创新型 list (returned)."""
    names = list_names(30)
    _import(service, write_list(tmp_path / "srdi.xlsx", names))
    for year, start in ((2023, 300), (2025, 310)):
        other = list_names(5, start=start)
        _import(service, write_list(tmp_path / f"srdi{year}.xlsx", other), year=year)
    _import(
        service,
        write_list(tmp_path / "inno.xlsx", list_names(30, start=100)),
        title="innovative-sme",
        year=2025,
    )
    service.create_round("2026专精特新", tier=tier, round_date=date(2026, 6, 1))
    return names, list_names(30, start=100)


def _codes(result, uscc: str) -> list[str]:
    return sorted(
        i.code for i in result.issues if i.uscc == uscc and i.code.startswith("registry-")
    )


def test_cross_checks_on_import_into_a_round(service, tmp_path):
    """Half-width brackets still match; a name in no list raises no registry warning."""
    srdi, inno = _round_with_register(service, tmp_path)
    half = srdi[3].replace("（", "(").replace("）", ")")
    applicants = [
        make_applicant(1, name=half),  # new application, already holds 专精特新
        make_applicant(2, name="无锡从未入库科技有限公司", application_type="renewal"),
        make_applicant(3, name="常州不在名单精密有限公司", holds_srdi=False),
        make_applicant(4, name=inno[5], holds_innovative=False),
        make_applicant(5, name="南通申报是有限公司", holds_srdi=True),
        make_applicant(6, name=srdi[7], application_type="renewal", holds_srdi=True),
    ]
    result = service.import_file("2026专精特新", make_file(tmp_path / "r.xlsx", applicants))
    assert _codes(result, make_uscc(1)) == ["registry-already-holds"]
    assert "尚未到期（2027 年到期）" in next(
        i.message for i in result.issues if i.uscc == make_uscc(1) and i.code.startswith("reg")
    )
    assert _codes(result, make_uscc(2)) == ["registry-renewal-without-record"]
    assert _codes(result, make_uscc(3)) == []
    assert _codes(result, make_uscc(4)) == ["registry-declared-contradicted"]
    assert _codes(result, make_uscc(5)) == ["registry-declared-not-on-record"]
    assert _codes(result, make_uscc(6)) == []
    # The warnings are the applicant's: they need a reason in the review.
    detail = service.applicant_detail("2026专精特新", make_uscc(4))
    assert "registry-declared-contradicted" in [i.code for i in detail.issues]


def test_a_list_giving_each_rows_year_must_agree_with_the_year_imported(service, tmp_path):
    """A list whose 认定年度 column names another year than the one imported is refused,
    naming the row; a 复核通过 list's 原认定年度 is the recognition renewed, not a mismatch."""
    from openpyxl import Workbook

    names = list_names(2)

    def year_list(path, header):
        book = Workbook()
        book.active.append(["序号", "企业名称", header])
        book.active.append([1, names[0], "2024年"])
        book.active.append([2, names[1], "2023年"])
        book.save(path)
        return path

    with pytest.raises(RegistryImportError) as raised:
        _import(service, year_list(tmp_path / "a.xlsx", "认定年度"), year=2024)
    assert [(p.code, p.row) for p in raised.value.problems] == [("list-year-differs", 3)]
    assert "认定年度为 2023 年，与导入时指定的 2024 年不同" in raised.value.problems[0].message
    renewed = _import(
        service, year_list(tmp_path / "b.xlsx", "原认定年度"), year=2025, status="renewed"
    )
    assert renewed.added == 2


def test_a_revoked_or_only_published_title_is_named_as_such_in_a_round(service, tmp_path):
    """An applicant declaring a title the register holds revoked is told it was revoked (its
    recognition's year, no validity); one only on a 公示 list is told it was never recognised."""
    names = list_names(2)
    _import(service, write_list(tmp_path / "2022.xlsx", names[:1]), year=2022)
    revocation = _revocation_list(tmp_path / "撤销.xlsx", [(names[0], None)])
    _import(service, revocation, year=2024, status="revoked")
    _import(service, write_list(tmp_path / "公示.xlsx", names[1:]), year=2025, status="publicity")
    service.create_round("2025小巨人", tier="little-giant", round_date=date(2025, 6, 1))
    applicants = [
        make_applicant(1, name=names[0], holds_srdi=True),
        make_applicant(2, name=names[1], holds_srdi=True),
    ]
    result = service.import_file("2025小巨人", make_file(tmp_path / "r.xlsx", applicants))
    said = {i.uscc: i.message for i in result.issues if i.code == "registry-declared-not-on-record"}
    # (The lists give no codes, so each record is named as matched by name and place.)
    assert "2022 年省级专精特新中小企业（已撤销）（该名单未列" in said[make_uscc(1)]
    assert "对应），该称号已撤销" in said[make_uscc(1)]
    assert "2025 年省级专精特新中小企业（公示中）（该名单未列" in said[make_uscc(2)]
    assert "对应），仅见于公示名单，未见认定" in said[make_uscc(2)]


def test_a_name_only_record_of_another_city_is_not_the_applicant(service, tmp_path):
    """A record without a code matches an applicant by name only where their cities agree:
    the same name in another city, or under another code, is named as a namesake instead,
    and near names show their city."""
    from openpyxl import Workbook

    book = Workbook()
    for row in (["序号", "企业名称", "设区市"], [1, "华通机械有限公司", "济南市"],
                [2, "济南华通精密机械制造有限公司", "济南市"],
                [3, "泰山重工有限公司", "泰安市"]):  # fmt: skip
        book.active.append(row)
    book.save(tmp_path / "2024.xlsx")
    _import(service, tmp_path / "2024.xlsx", year=2024)
    coded = write_list(tmp_path / "c.xlsx", ["德州新材料有限公司"], usccs=[make_uscc(90)])
    _import(service, coded, year=2024)
    # The 2022 and 2023 lists too: a title held in 2025 may be on any of the three.
    for year in (2022, 2023):
        earlier = write_list(tmp_path / f"{year}.xlsx", list_names(2, start=year))
        _import(service, earlier, year=year)
    service.create_round("2025小巨人", tier="little-giant", round_date=date(2025, 6, 1))
    applicants = [
        make_applicant(5, name="德州新材料有限公司", holds_srdi=True),
        make_applicant(1, name="华通机械有限公司", city="青岛市", holds_srdi=True),
        make_applicant(2, name="华通机械有限公司", city="济南市", holds_srdi=True),
        make_applicant(3, name="青岛华通精密机械制造有限公司", city="青岛市", holds_srdi=True),
        make_applicant(4, name="泰山重工有限公司", holds_srdi=True),
    ]
    result = service.import_file("2025小巨人", make_file(tmp_path / "r.xlsx", applicants))
    said = {i.uscc: i.message for i in result.issues if i.code == "registry-declared-not-on-record"}
    assert sorted(said) == [make_uscc(1), make_uscc(3), make_uscc(5)]
    assert f"（南京市，信用代码 {make_uscc(90)}）的记录，信用代码与申报的不同" in said[make_uscc(5)]
    assert (
        "培育库中有同名企业“华通机械有限公司”（济南市）的记录，所在市与申报的不同"
        in said[make_uscc(1)]
    )
    assert "“济南华通精密机械制造有限公司”（济南市，相似度 85.7%）" in said[make_uscc(3)]


def test_a_list_of_one_citys_districts_matches_applicants_of_that_city(service, tmp_path):
    """A city's list headed 所在地区 gives 吴中区 and 昆山市: its enterprises are the
    applicants of that name in 苏州市, with no namesake warning; a list of the same name in
    another city enters a second enterprise rather than counting it unchanged."""
    from openpyxl import Workbook

    book = Workbook()
    for row in (["序号", "企业名称", "所在地区"], [1, "苏州甲精密科技有限公司", "吴中区"],
                [2, "昆山乙新材料有限公司", "昆山市"]):  # fmt: skip
        book.active.append(row)
    book.save(tmp_path / "苏州.xlsx")
    _import(service, tmp_path / "苏州.xlsx", year=2024)
    service.create_round("2025小巨人", tier="little-giant", round_date=date(2025, 6, 1))
    applicants = [
        make_applicant(1, name="苏州甲精密科技有限公司", city="苏州市", holds_srdi=True),
        make_applicant(2, name="昆山乙新材料有限公司", city="苏州市", holds_srdi=True),
    ]
    result = service.import_file("2025小巨人", make_file(tmp_path / "r.xlsx", applicants))
    assert [i.code for i in result.issues if i.code.startswith("registry-")] == []

    other = Workbook()
    for row in (["序号", "企业名称", "设区市"], [1, "苏州甲精密科技有限公司", "青岛市"]):
        other.active.append(row)
    other.save(tmp_path / "青岛.xlsx")
    assert _import(service, tmp_path / "青岛.xlsx", year=2024).added == 1


def test_the_due_list_keeps_a_national_title_when_a_provincial_one_follows(service, tmp_path):
    """A 2021 national recognition is due in 2024 though a 2023 provincial one of the same
    title follows: they are two recognitions."""
    names = ["济南甲装备有限公司"]
    _import(service, write_list(tmp_path / "国.xlsx", names), title="single-champion",
            year=2021, level="national")  # fmt: skip
    _import(service, write_list(tmp_path / "省.xlsx", names), title="single-champion",
            year=2023, level="provincial")  # fmt: skip
    assert [(e.name, e.level) for e in service.registry.due(2024)] == [(names[0], "national")]


def test_accepting_the_register_value_makes_a_version_with_provenance(service, tmp_path):
    """One action takes 是 from the register into the data, provenance 培育库, recorded."""
    _, inno = _round_with_register(service, tmp_path)
    applicant = make_applicant(4, name=inno[5], holds_innovative=False)
    service.import_file("2026专精特新", make_file(tmp_path / "r.xlsx", [applicant]))
    change = service.registry.accept_value(
        "2026专精特新", make_uscc(4), "holds_innovative", evaluator="张三"
    )
    assert (change["before"], change["after"]) == (False, True)
    detail = service.applicant_detail("2026专精特新", make_uscc(4))
    assert detail.applicant.values["holds_innovative"] is True
    assert detail.applicant.provenance["holds_innovative"].file == "培育库"
    assert "registry-declared-contradicted" not in [i.code for i in detail.issues]
    last = service.history("2026专精特新", make_uscc(4))
    assert any("来自 培育库" in e.summary and e.reason.startswith("按培育库记录更正") for e in last)
    change_event = next(e for e in last if "来自 培育库" in e.summary)
    assert "否→是" in change_event.summary and "False" not in change_event.summary


def test_a_changed_yes_no_field_reads_yes_and_no_in_the_trail(service, tmp_path):
    """A re-imported file turning a yes/no field from 否 to 是 is summarised as 否→是."""
    service.create_round("是否", tier="srdi-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "r.xlsx"
    service.import_file("是否", make_file(path, [make_applicant(2, holds_innovative=False)]))
    service.import_file("是否", make_file(path, [make_applicant(2, holds_innovative=True)]))
    summaries = [e.summary for e in service.history("是否", make_uscc(2))]
    correction = next(s for s in summaries if s.startswith("数据更正"))
    assert "否→是" in correction and "False" not in correction


def test_champion_applying_for_little_giant_is_flagged(service, tmp_path):
    """A valid 单项冠军 on record applying for 小巨人: the exclusion, from the register."""
    names = list_names(3)
    _import(service, write_list(tmp_path / "c.xlsx", names), title="single-champion", year=2025)
    service.create_round("小巨人", tier="little-giant", round_date=date(2026, 6, 1))
    result = service.import_file(
        "小巨人", make_file(tmp_path / "r.xlsx", [make_applicant(1, name=names[1])])
    )
    assert _codes(result, make_uscc(1)) == ["registry-champion-excluded"]


def test_upgrading_an_existing_database_adds_the_register(database_url, tmp_path, scorer):
    """A database at the previous revision, with a round, is migrated and keeps the round."""
    location = resolve_location(database_url)
    engine = create_store_engine(location)
    migrate(engine, location, target="0006")
    insert_old_round(engine, "旧批次")
    engine.dispose()
    with open_store(database_url) as store:
        assert current_revision(store.engine) == head_revision() >= "0007"
        service = StoreService(store, scorer=scorer)
        assert [r.name for r in service.list_rounds()] == ["旧批次"]
        assert _import(service, write_list(tmp_path / "a.xlsx", list_names(2))).added == 2


def _decide(service: StoreService, round_name: str, number: int, decision: str) -> None:
    service.apply_review(
        round_name, make_uscc(number), evaluator="张三", confirm=[("T-JUDGE", "met")],
        reason="材料齐全", decision=decision, opinion="意见",
    )  # fmt: skip


def test_marking_a_round_recognised_enters_its_recommendations(service, tmp_path):
    """推荐 decisions enter the register once the round is marked 认定 (source: the round,
    title: its tier); marking again adds only a later 推荐; each marking is in the trail."""
    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 6, 1))
    applicants = [make_applicant(n, name=f"测试(甲{n})科技有限公司") for n in (1, 2, 3)]
    service.import_file("2026创新型", make_file(tmp_path / "r.xlsx", applicants))
    with pytest.raises(InvalidRequestError, match="还没有决定为“推荐”的企业"):
        service.registry.recognise_round("2026创新型", evaluator="张三")
    for n, decision in ((1, "recommend"), (2, "recommend"), (3, "reject")):
        _decide(service, "2026创新型", n, decision)
    first = service.registry.recognise_round("2026创新型", evaluator="张三")
    assert (first.rows, first.added, first.unchanged) == (2, 2, 0)
    entries = service.registry.list_entries(title="innovative-sme")
    assert [(e.uscc, e.status, e.year, e.valid_until, e.batch) for e in entries] == [
        (make_uscc(n), "recognised", 2026, 2029, "2026创新型") for n in (1, 2)
    ]
    assert entries[0].source_file == "评审批次 2026创新型" and entries[0].source_row is None
    again = service.registry.recognise_round("2026创新型", evaluator="张三")
    assert (again.added, again.unchanged) == (0, 2)
    _decide(service, "2026创新型", 3, "recommend")
    third = service.registry.recognise_round("2026创新型", evaluator="张三")
    assert (third.added, third.unchanged) == (1, 2)
    marks = [e.summary for e in service.history("2026创新型") if e.action == "round-recognise"]
    assert marks == [
        "标记批次为已认定：推荐的 2 家企业记入培育库（2026 年创新型中小企业，有效期至 2029 年；"
        "新增 2 项）",
        "标记批次为已认定：推荐的 3 家企业记入培育库（2026 年创新型中小企业，有效期至 2029 年；"
        "新增 1 项）",
    ]
    assert [m.entries_added for m in service.registry.round_recognitions("2026创新型")] == [2, 1]
    shown = service.registry.show(make_uscc(1))
    assert [a.decision for a in shown.applications] == ["recommend"]
    assert shown.entries[0].title == "innovative-sme"


def test_a_recommendation_that_needs_a_second_look_is_not_recognised(service, tmp_path):
    """A 推荐 whose data were imported again after it (需复核) keeps the round from being
    marked 认定: refused naming the company and why, nothing entered; once decided again,
    marking enters both."""
    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 6, 1))
    applicants = [make_applicant(n, name=f"测试(丙{n})科技有限公司") for n in (1, 2)]
    service.import_file("2026创新型", make_file(tmp_path / "r.xlsx", applicants))
    for n in (1, 2):
        _decide(service, "2026创新型", n, "recommend")
    changed = [make_applicant(1, name="测试(丙1)科技有限公司", revenue="1600"), applicants[1]]
    service.import_file("2026创新型", make_file(tmp_path / "r2.xlsx", changed))
    with pytest.raises(InvalidRequestError) as refused:
        service.registry.recognise_round("2026创新型", evaluator="张三")
    message = str(refused.value)
    assert "有 1 家“推荐”需复核，未标记任何企业：测试(丙1)科技有限公司" in message
    assert "决定作出后企业数据已重新导入" in message and "请复核并重新保存决定后再标记" in message
    assert service.registry.list_entries(title="innovative-sme") == []
    # The re-imported 营业收入 differs from the first file's: a warning to acknowledge first.
    service.apply_review(
        "2026创新型", make_uscc(1), evaluator="张三", confirm=[("T-JUDGE", "met")],
        ack_warnings=["store-value-changed"], reason="以补正数据为准", decision="recommend",
        opinion="意见",
    )  # fmt: skip
    marked = service.registry.recognise_round("2026创新型", evaluator="张三")
    assert (marked.rows, marked.added) == (2, 2)


def test_a_recognised_recommendation_cannot_be_withdrawn_while_registered(service, tmp_path):
    """Once a round is marked 认定, an enterprise it entered keeps its 推荐 until its title is
    revoked in the register: changing the decision is refused, naming the register entry and
    what to do; after the revocation the decision can change."""
    from zjtx.store import ReviewRuleError

    service.create_round("2026创新型", tier="innovative-sme", round_date=date(2026, 6, 1))
    applicants = [make_applicant(n, name=f"测试(乙{n})科技有限公司") for n in (1, 2)]
    service.import_file("2026创新型", make_file(tmp_path / "r.xlsx", applicants))
    for n in (1, 2):
        _decide(service, "2026创新型", n, "recommend")
    service.registry.recognise_round("2026创新型", evaluator="张三")
    with pytest.raises(ReviewRuleError) as refused:
        _decide(service, "2026创新型", 1, "reject")
    message = str(refused.value)
    assert "已按本批次记入培育库" in message and "2026 年创新型中小企业" in message
    assert "撤销" in message
    assert service.review_state("2026创新型", make_uscc(1)).decision == "recommend"
    # The opinion alone may still be edited, and the other enterprise is untouched.
    service.apply_review(
        "2026创新型", make_uscc(1), evaluator="张三", confirm=[], reason=None, decision=None,
        opinion="补充意见",
    )  # fmt: skip
    assert service.review_state("2026创新型", make_uscc(1)).opinion == "补充意见"
    service.registry.revoke(
        make_uscc(1), title="innovative-sme", reason="材料不实", evaluator="张三"
    )
    _decide(service, "2026创新型", 1, "reject")
    assert service.review_state("2026创新型", make_uscc(1)).decision == "reject"


def test_a_warning_resting_on_a_name_only_record_says_so(service, tmp_path):
    """A record matched by name and place only (its list gave no code) is named as such in
    the warning it gives, so the evaluator knows to check it is the same enterprise; a record
    matched by code is not."""
    names = list_names(2)
    _import(service, write_list(tmp_path / "名.xlsx", names[:1]), year=2024)
    coded = write_list(tmp_path / "码.xlsx", names[1:], usccs=[make_uscc(2)])
    _import(service, coded, year=2024)
    service.create_round("2025小巨人", tier="little-giant", round_date=date(2025, 6, 1))
    applicants = [
        make_applicant(1, name=names[0], holds_srdi=False),
        make_applicant(2, name=names[1], holds_srdi=False),
    ]
    result = service.import_file("2025小巨人", make_file(tmp_path / "r.xlsx", applicants))
    said = {i.uscc: i.message for i in result.issues if i.code == "registry-declared-contradicted"}
    assert "（该名单未列信用代码，按企业名称和所在地对应）" in said[make_uscc(1)]
    assert "信用代码" not in said[make_uscc(2)].split("但培育库中有")[1]


def test_a_recognition_list_names_the_publicised_enterprises_it_leaves_out(service, tmp_path):
    """A 认定 list following a 公示 list of the same title and year notes the enterprises
    publicised but not recognised (withdrawn after objections, or in another list): they stay
    公示中, which the evaluator should know rather than find years later."""
    names = list_names(4)
    _import(service, write_list(tmp_path / "公示.xlsx", names), year=2025, status="publicity")
    result = _import(service, write_list(tmp_path / "认定.xlsx", names[:2]), year=2025)
    assert result.superseded == 2
    [note] = [n for n in result.notes if "公示" in n]
    assert note.startswith("2 家企业见于 2025 年专精特新中小企业公示名单，但不在本认定名单中")
    assert names[2] in note and names[3] in note and names[0] not in note
    # A second 公示 of the year, named as another batch, is not the first 认定's to name.
    later = list_names(2, start=50)
    _import(service, write_list(tmp_path / "公示2.xlsx", later), year=2025, status="publicity",
            batch="第二批")  # fmt: skip
    _import(service, write_list(tmp_path / "公示1.xlsx", later[:1] + names[3:]), year=2025,
            status="publicity", batch="第一批")  # fmt: skip
    first = _import(service, write_list(tmp_path / "认定1.xlsx", later[:1]), year=2025,
                    batch="第一批")  # fmt: skip
    [note] = [n for n in first.notes if "公示" in n]
    assert later[1] not in note
    # A list of another year says nothing of them.
    other = _import(service, write_list(tmp_path / "2024.xlsx", names[:1]), year=2024)
    assert not [n for n in other.notes if "公示" in n]
