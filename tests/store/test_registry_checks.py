"""What the register may call "not on record": only titles and years a published list covers."""

from __future__ import annotations

from datetime import date

from tests.registry_fixtures import list_names, write_list
from tests.store.helpers import make_applicant, make_file, make_uscc
from zjtx.intake.published_list import read_published_list
from zjtx.store import StoreService
from zjtx.store.registry_checks import Vouching, holding_lists, renewal_lists

OWN = "2026小巨人"
OTHER = "2026小巨人第一批"
GIANT = '专精特新"小巨人"企业'


def _import(service: StoreService, path, **options):
    options.setdefault("title", "little-giant")
    return service.registry.import_list(read_published_list(path), evaluator="张三", **options)


def _issues(service: StoreService, round_name: str, number: int) -> dict[str, str]:
    detail = service.applicant_detail(round_name, make_uscc(number))
    return {i.code: i.message for i in detail.issues if i.code.startswith("registry-")}


def _decide(service: StoreService, round_name: str, number: int) -> None:
    service.apply_review(
        round_name, make_uscc(number), evaluator="张三", confirm=[("T-JUDGE", "met")],
        reason="材料齐全", decision="recommend", opinion="同意推荐",
    )  # fmt: skip


def _two_rounds(service: StoreService, tmp_path) -> None:
    """Our own round with one company to recommend; another open round of the same title
    and year whose renewals and declared titles the register has never seen."""
    service.create_round(OWN, tier="little-giant", round_date=date(2026, 6, 1))
    service.import_file(OWN, make_file(tmp_path / "own.xlsx", [make_applicant(1)]))
    _decide(service, OWN, 1)
    service.create_round(OTHER, tier="little-giant", round_date=date(2026, 6, 1))
    others = [
        make_applicant(2, application_type="renewal", holds_little_giant=True),
        make_applicant(3, application_type="renewal"),
        make_applicant(4, holds_little_giant=True),
        make_applicant(5),
    ]
    service.import_file(OTHER, make_file(tmp_path / "other.xlsx", others))
    _decide(service, OTHER, 5)


def test_recognising_our_own_round_floods_no_round_with_absences(service, tmp_path):
    """A register holding only what our own round recommended cannot vouch that a title is
    absent: marking the round 认定 gives no other applicant a warning, and no 推荐 a second
    look; an applicant imported afterwards gets none either."""
    _two_rounds(service, tmp_path)
    done = service.registry.recognise_round(OWN, evaluator="张三")
    assert done.added == 1
    assert done.rechecked == ()
    assert [_issues(service, OTHER, n) for n in (2, 3, 4, 5)] == [{}, {}, {}, {}]
    assert service.review_state(OTHER, make_uscc(5)).decision_outdated_reason == ""
    late = [make_applicant(6, application_type="renewal", holds_little_giant=True)]
    service.import_file(OTHER, make_file(tmp_path / "late.xlsx", late))
    assert _issues(service, OTHER, 6) == {}
    # A full recheck agrees with the checks made on import.
    assert service.registry.recheck_rounds(evaluator="张三") == ()


def test_a_published_list_covering_the_year_makes_absence_a_warning(service, tmp_path):
    """With the national lists of 2024, 2025 and then 2023 (valid to 2026, due then) imported,
    a renewal missing from the 2023 list, or a declared title missing from all three, is
    warned about, naming the lists checked; one on the 2023 list is not."""
    _two_rounds(service, tmp_path)
    service.registry.recognise_round(OWN, evaluator="张三")
    names = list_names(3)
    listed = write_list(tmp_path / "2023.xlsx", names, title="2023年专精特新“小巨人”企业名单")
    service.import_file(OTHER, make_file(tmp_path / "on.xlsx", [
        make_applicant(7, name=names[0], application_type="renewal", holds_little_giant=True),
    ]))  # fmt: skip
    for year in (2024, 2025):
        _import(service, write_list(tmp_path / f"{year}.xlsx", list_names(1, start=year)),
                year=year)  # fmt: skip
    done = _import(service, listed, year=2023)
    assert [(r.round_name, r.applicants, r.added, r.recommended) for r in done.rechecked] == [
        (OTHER, 3, 4, ())
    ]
    renewal = _issues(service, OTHER, 2)
    assert sorted(renewal) == ["registry-declared-not-on-record", "registry-renewal-without-record"]
    assert renewal["registry-renewal-without-record"] == (
        f"企业 “测试企业2有限公司” 为复核申报，但培育库已导入的{GIANT}名单（2023 年）中没有其"
        "认定记录；请核实是否应为新申报"
    )
    declared = renewal["registry-declared-not-on-record"]
    assert f"但培育库已导入的{GIANT}名单（2023、2024、2025 年）中没有该企业" in declared
    assert list(_issues(service, OTHER, 3)) == ["registry-renewal-without-record"]
    assert list(_issues(service, OTHER, 4)) == ["registry-declared-not-on-record"]
    assert _issues(service, OTHER, 7) == {}
    # The round's own recommended company is on record (its own 认定), asked about nothing.
    assert _issues(service, OWN, 1) == {}


def test_only_a_list_whose_recognitions_stand_in_the_rounds_year_covers_it(service, tmp_path):
    """A list whose validity ended before the round (2022, to 2025), one of the round's own
    year, a 撤销 list and a list of another title vouch for no absence in a 2026 round."""
    _two_rounds(service, tmp_path)
    names = list_names(2)
    _import(service, write_list(tmp_path / "2022.xlsx", names[:1]), year=2022)
    _import(service, write_list(tmp_path / "2026.xlsx", names[1:]), year=2026)
    revoked = tmp_path / "撤销.xlsx"
    write_list(revoked, names[:1], title="撤销专精特新“小巨人”企业称号名单")
    _import(service, revoked, year=2024, status="revoked")
    _import(service, write_list(tmp_path / "s.xlsx", list_names(2, start=40)), title="srdi-sme",
            year=2025)  # fmt: skip
    assert [_issues(service, OTHER, n) for n in (2, 3, 4)] == [{}, {}, {}]
    # A 复核通过 list of 2023 covers the renewals of 2026 as a 认定 list does (a title declared
    # held in 2026 may be on the 2024 or 2025 lists, not imported).
    done = _import(service, write_list(tmp_path / "r.xlsx", list_names(1, start=80)), year=2023,
                   status="renewed")  # fmt: skip
    assert [(r.round_name, r.added) for r in done.rechecked] == [(OTHER, 2)]
    renewal = ["registry-renewal-without-record"]
    assert [list(_issues(service, OTHER, n)) for n in (2, 3, 4)] == [renewal, renewal, []]


def test_records_the_register_holds_are_compared_without_a_list(service, tmp_path):
    """Without any published list, what the register does hold still speaks: a company our
    2025 round recognised applying anew in 2026 already holds the title, the same company
    renewing after its title was revoked is told so, and a namesake of another code is named."""
    service.create_round("2025小巨人", tier="little-giant", round_date=date(2025, 6, 1))
    first = [make_applicant(1, name="济南华通机械有限公司", city="济南市")]
    service.import_file("2025小巨人", make_file(tmp_path / "a.xlsx", first))
    _decide(service, "2025小巨人", 1)
    service.registry.recognise_round("2025小巨人", evaluator="张三")
    service.create_round(OTHER, tier="little-giant", round_date=date(2026, 6, 1))
    applicants = [
        make_applicant(1, name="济南华通机械有限公司", city="济南市"),
        make_applicant(2, name="济南华通机械有限公司", city="济南市", holds_little_giant=True),
    ]
    service.import_file(OTHER, make_file(tmp_path / "b.xlsx", applicants))
    assert "已有2025 年国家级" in _issues(service, OTHER, 1)["registry-already-holds"]
    namesake = _issues(service, OTHER, 2)["registry-declared-not-on-record"]
    assert "培育库中没有该企业的该称号记录；培育库中有同名企业“济南华通机械有限公司”" in namesake
    assert f"信用代码 {make_uscc(1)}）的记录，信用代码与申报的不同" in namesake
    service.registry.revoke(make_uscc(1), title="little-giant", reason="核查不实", evaluator="张三")
    renewing = [make_applicant(1, name="济南华通机械有限公司", application_type="renewal")]
    service.import_file(OTHER, make_file(tmp_path / "c.xlsx", renewing))
    message = _issues(service, OTHER, 1)["registry-renewal-without-record"]
    assert "培育库中只有：2025 年国家级" in message and "已撤销" in message


def _renewing_round(service: StoreService, tmp_path) -> None:
    """A 2026 小巨人 round with a renewal and a new application declaring the title held, on
    no list; the register holds the 2024 national list."""
    service.create_round(OTHER, tier="little-giant", round_date=date(2026, 6, 1))
    applicants = [
        make_applicant(3, application_type="renewal"),
        make_applicant(4, holds_little_giant=True),
    ]
    service.import_file(OTHER, make_file(tmp_path / "r.xlsx", applicants))
    _import(service, write_list(tmp_path / "2024.xlsx", list_names(3)), year=2024)


def test_a_list_not_due_in_the_rounds_year_vouches_for_no_renewal(service, tmp_path):
    """A 2026 renewal missing from the 2024 list (valid to 2027) is not warned about: the
    title it renews was given in 2023; the round's 提示 names the lists not imported."""
    _renewing_round(service, tmp_path)
    assert [_issues(service, OTHER, n) for n in (3, 4)] == [{}, {}]
    assert service.registry.absence_unchecked() == [
        f"批次 “{OTHER}”：培育库中虽有{GIANT} 3 条记录，但未导入 2023、2025 年的该称号名单，"
        "企业不在库中不能说明其未获该称号，故对复核申报和申报已获该称号的企业均未作“没有记录”"
        "的提示（导入名单：zjtx registry import 文件 --title little-giant --year 认定年度）"
    ]


def test_the_list_due_in_the_rounds_year_vouches_for_a_renewal(service, tmp_path):
    """With the 2023 list (3 years, due in 2026) imported too, a 2026 renewal missing from it
    is warned about naming the 2023 list alone; the 提示 says declared titles went unchecked."""
    _renewing_round(service, tmp_path)
    done = _import(service, write_list(tmp_path / "2023.xlsx", list_names(2, start=30)),
                   year=2023)  # fmt: skip
    assert [(r.round_name, r.added) for r in done.rechecked] == [(OTHER, 1)]
    assert _issues(service, OTHER, 3) == {
        "registry-renewal-without-record": f"企业 “测试企业3有限公司” 为复核申报，但培育库已导入的"
        f"{GIANT}名单（2023 年）中没有其认定记录；请核实是否应为新申报"
    }
    assert _issues(service, OTHER, 4) == {}
    assert service.registry.absence_unchecked(window=True) == [
        f"批次 “{OTHER}”：已按培育库已导入的{GIANT}名单（2023 年）核对复核申报的企业，但未导入 "
        "2025 年的该称号名单，企业不在库中不能说明其未获该称号，故对申报已获该称号的企业未作"
        "“没有记录”的提示（可在 文件 → 培育库… → 导入名单… 导入该称号的认定名单）"
    ]


def test_a_declared_title_is_not_on_record_only_against_every_list_standing(service, tmp_path):
    """A title declared held in 2026 may be on the list of 2023, 2024 or 2025: with one or two
    of them imported nothing is said; with all three, its absence is, naming them."""
    _renewing_round(service, tmp_path)
    assert _issues(service, OTHER, 4) == {}
    _import(service, write_list(tmp_path / "2025.xlsx", list_names(1, start=30)), year=2025)
    assert _issues(service, OTHER, 4) == {}
    _import(service, write_list(tmp_path / "2023.xlsx", list_names(1, start=40)), year=2023)
    said = _issues(service, OTHER, 4)["registry-declared-not-on-record"]
    assert f"但培育库已导入的{GIANT}名单（2023、2024、2025 年）中没有该企业" in said
    assert service.registry.absence_unchecked() == []


def test_each_lists_own_validity_says_which_years_it_vouches_for():
    """A 5-year list of 2021 falls due in 2026 as a 3-year one of 2023 does: a 2026 renewal is
    checked against both, a title held then against every year from 2021; a 5-year 2023 list
    is not due in 2026, and a 2021 list of 5 years may be."""
    spans = frozenset({("little-giant", 2021, 2026, ""), ("little-giant", 2023, 2026, "")})
    assert renewal_lists(spans, "little-giant", 2026) == Vouching((2021, 2023), ())
    assert holding_lists(spans, "little-giant", 2026) == Vouching((2021, 2023), (2022, 2024, 2025))
    assert renewal_lists(frozenset({("little-giant", 2023, 2028, "")}), "little-giant", 2026) == (
        Vouching((), (2021,))
    )


def test_a_title_whose_lists_stand_one_or_five_years_asks_only_for_lists_that_can_matter():
    """Annual 科技型 lists: the 2025 list alone vouches in 2026 (those of 2023 and 2024 have
    lapsed); five-year lists: the 2021 list, falling due in 2026, vouches for renewals."""
    annual = holding_lists(frozenset({("tech-sme", 2025, 2026, "")}), "tech-sme", 2026)
    assert (annual.years, annual.missing, annual.vouches) == ((2025,), (), True)
    five = renewal_lists(frozenset({("srdi-sme", 2021, 2026, "")}), "srdi-sme", 2026)
    assert (five.years, five.missing, five.vouches) == ((2021,), (), True)
    none = renewal_lists(frozenset(), "srdi-sme", 2026)  # nothing imported: the default 3
    assert (none.years, none.missing, none.vouches) == ((), (2023,), False)


def test_a_year_held_only_by_a_batch_is_named_with_its_batch(service, tmp_path):
    """Only the 2023 第一批 list imported: a 2026 renewal missing from it is warned about
    naming 2023 年第一批 (one of 第二批 would not be in it); the whole year's list, once
    imported, is named by its year alone."""
    _renewing_round(service, tmp_path)
    first = write_list(tmp_path / "2023-1.xlsx", list_names(2, start=30))
    _import(service, first, year=2023, batch="第一批")
    assert _issues(service, OTHER, 3)["registry-renewal-without-record"].endswith(
        f"培育库已导入的{GIANT}名单（2023 年第一批）中没有其认定记录；请核实是否应为新申报"
    )
    assert "名单（2023 年第一批）核对复核申报的企业" in service.registry.absence_unchecked()[0]
    _import(service, write_list(tmp_path / "2023.xlsx", list_names(2, start=40)), year=2023)
    assert _issues(service, OTHER, 3)["registry-renewal-without-record"].endswith(
        f"培育库已导入的{GIANT}名单（2023 年）中没有其认定记录；请核实是否应为新申报"
    )


SRDI_ROUND = "2026专精特新"
INNOVATIVE = "创新型中小企业"
SRDI = "专精特新中小企业"
WHY = "企业不在库中不能说明其未获该称号，故对申报已获"
ADVICE = "（导入名单：zjtx registry import 文件 --title {} --year 认定年度）"


def test_a_title_declared_held_of_another_title_is_said_unchecked_by_name(service, tmp_path):
    """A 专精特新 round's applicants declaring 创新型 held: with the round's own lists all
    imported, the 提示 names 创新型 and its --title (the register holds none of it); a 2024
    创新型 list leaves 2023 and 2025 wanting; with all three, nothing, and absence is warned."""
    service.create_round(SRDI_ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
    applicants = [
        make_applicant(1, holds_innovative=True),
        make_applicant(2, holds_innovative=True, holds_tech_sme=False),
        make_applicant(3),
    ]
    service.import_file(SRDI_ROUND, make_file(tmp_path / "a.xlsx", applicants))
    for year in (2023, 2024, 2025):
        path = write_list(tmp_path / f"s{year}.xlsx", list_names(2, start=year))
        _import(service, path, title="srdi-sme", year=year)
    assert service.registry.absence_unchecked() == [
        f"批次 “{SRDI_ROUND}”：培育库中没有{INNOVATIVE}的记录（未导入该称号名单），{WHY}"
        f"{INNOVATIVE}称号的 2 家企业未作“没有记录”的提示" + ADVICE.format("innovative-sme")
    ]
    assert _issues(service, SRDI_ROUND, 1) == {}
    for year in (2024, 2023):
        path = write_list(tmp_path / f"i{year}.xlsx", list_names(3, start=100 + year))
        _import(service, path, title="innovative-sme", year=year)
        if year == 2024:
            assert service.registry.absence_unchecked() == [
                f"批次 “{SRDI_ROUND}”：培育库中虽有{INNOVATIVE} 3 条记录，但未导入 2023、2025 年"
                f"的该称号名单，{WHY}{INNOVATIVE}称号的 2 家企业未作“没有记录”的提示"
                + ADVICE.format("innovative-sme")
            ]
    assert "未导入 2025 年的该称号名单" in service.registry.absence_unchecked()[0]
    path = write_list(tmp_path / "i2025.xlsx", list_names(3, start=3000))
    _import(service, path, title="innovative-sme", year=2025)
    assert service.registry.absence_unchecked() == []
    assert list(_issues(service, SRDI_ROUND, 1)) == ["registry-declared-not-on-record"]


def test_each_title_left_unchecked_has_its_own_line_after_the_rounds(service, tmp_path):
    """A 小巨人 round's own lists leaving renewals unchecked, and a 专精特新 title declared
    held of which the register holds nothing: two lines, the round's first, each naming its
    own title's import, in the window's words too (without the round's name above its tabs)."""
    _renewing_round(service, tmp_path)
    service.import_file(OTHER, make_file(tmp_path / "s.xlsx", [make_applicant(5, holds_srdi=True)]))
    own = (
        f"批次 “{OTHER}”：培育库中虽有{GIANT} 3 条记录，但未导入 2023、2025 年的该称号名单，"
        "企业不在库中不能说明其未获该称号，故对复核申报和申报已获该称号的企业均未作“没有记录”"
        "的提示"
    )
    srdi = (
        f"批次 “{OTHER}”：培育库中没有{SRDI}的记录（未导入该称号名单），{WHY}{SRDI}称号的 1 家"
        "企业未作“没有记录”的提示"
    )
    assert service.registry.absence_unchecked() == [
        own + ADVICE.format("little-giant"),
        srdi + ADVICE.format("srdi-sme"),
    ]
    window = "（可在 文件 → 培育库… → 导入名单… 导入该称号的认定名单）"
    assert service.registry.absence_unchecked(window=True) == [own + window, srdi + window]
    # The line above the round's tabs does not name the round.
    assert service.registry.absence_unchecked(window=True, round_name=OTHER) == [
        line.removeprefix(f"批次 “{OTHER}”：") + window for line in (own, srdi)
    ]


def test_a_title_declared_held_is_said_unchecked_only_once_the_register_holds_a_list(
    service, tmp_path
):
    """An empty register checks nothing and says nothing; once it holds a 专精特新 list, a
    小巨人 round's own title declared held, of which it holds no record, is said unchecked."""
    service.create_round(OTHER, tier="little-giant", round_date=date(2026, 6, 1))
    declared = [make_applicant(1, holds_little_giant=True)]
    service.import_file(OTHER, make_file(tmp_path / "a.xlsx", declared))
    assert service.registry.absence_unchecked() == []
    _import(service, write_list(tmp_path / "s.xlsx", list_names(2)), title="srdi-sme", year=2025)
    assert service.registry.absence_unchecked() == [
        f"批次 “{OTHER}”：培育库中没有{GIANT}的记录（未导入该称号名单），{WHY}{GIANT}称号的 1 家"
        "企业未作“没有记录”的提示" + ADVICE.format("little-giant")
    ]
