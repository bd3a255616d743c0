"""The register's warnings as of the round, and rounds still open checked again when the
register changes; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from tests.registry_fixtures import list_names, write_list
from tests.store.helpers import make_applicant, make_file, make_uscc
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
