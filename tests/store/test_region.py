"""The region (所在省 / 市 / 区县) of each applicant in the round table, and filtering by it."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
from sqlalchemy import select

from tests.store.helpers import make_applicant, make_file, make_uscc
from zjtx.cli import main
from zjtx.store import codec
from zjtx.store.models import Applicant, ApplicantVersion

ROUND = "2026年第一批"
JIANGSU = "2026年江苏省第一批"


def _round_with_places(service, tmp_path) -> None:
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_file(
        ROUND,
        make_file(
            tmp_path / "a.xlsx",
            [
                make_applicant(1, province="浙江省", city="杭州市", county="西湖区"),
                make_applicant(2, province="浙江省", city="宁波市", county="鄞州区"),
                make_applicant(3, province="北京市", city="北京市", county="海淀区"),
                make_applicant(4),  # no region given
            ],
        ),
    )


def test_rows_carry_province_city_and_county(service, tmp_path):
    """Each row has the applicant's province, city and county and a joined 地区 text."""
    _round_with_places(service, tmp_path)
    rows = {r.uscc: r for r in service.list_applicants(ROUND)}
    first = rows[make_uscc(1)]
    assert (first.province, first.city, first.county) == ("浙江省", "杭州市", "西湖区")
    assert first.region == "浙江省杭州市西湖区"
    assert rows[make_uscc(3)].region == "北京市海淀区"  # a municipality is not repeated
    assert rows[make_uscc(4)].region == "" and rows[make_uscc(4)].province is None
    assert first.to_dict()["region"] == "浙江省杭州市西湖区"


def test_region_filter_and_sort(service, tmp_path):
    """list_applicants keeps the applicants of a province, city or county, and sorts by region."""
    _round_with_places(service, tmp_path)
    by_province = service.list_applicants(ROUND, region="浙江省", sort="uscc")
    assert [r.uscc for r in by_province] == [make_uscc(1), make_uscc(2)]
    assert [r.uscc for r in service.list_applicants(ROUND, region="宁波市")] == [make_uscc(2)]
    assert [r.uscc for r in service.list_applicants(ROUND, region="海淀区")] == [make_uscc(3)]
    assert service.list_applicants(ROUND, region="上海市") == []
    ordered = [r.region for r in service.list_applicants(ROUND, sort="region")]
    assert ordered == sorted(ordered)


def test_a_new_version_moves_the_applicant(service, tmp_path):
    """Re-importing an applicant with another city shows the new city in the table."""
    _round_with_places(service, tmp_path)
    service.import_file(
        ROUND,
        make_file(
            tmp_path / "b.xlsx", [make_applicant(1, province="浙江省", city="温州市", county="")]
        ),
    )
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == make_uscc(1))
    assert (row.version, row.city, row.county, row.region) == (2, "温州市", None, "浙江省温州市")


def test_round_show_region_from_the_command_line(
    service, tmp_path, database_url, monkeypatch, capsys
):
    """`zjtx round show --region` lists only that place's applicants with a 地区 column."""
    _round_with_places(service, tmp_path)
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    assert main(["round", "show", ROUND, "--region", "浙江省"]) == 0
    out = capsys.readouterr().out
    assert "地区" in out and "浙江省杭州市西湖区" in out and "浙江省宁波市鄞州区" in out
    assert "北京市海淀区" not in out
    assert main(["round", "show", ROUND, "--region", "杭州市", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["applicants"]
    assert [(a["uscc"], a["city"]) for a in shown] == [(make_uscc(1), "杭州市")]


def _jiangsu_roster(path, rows) -> None:
    """A real roster: 企业名称, 统一社会信用代码, 所在省 (D), 所在市 (E), 所在区县 (F), 申报类型."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(
        ["序号", "企业名称", "统一社会信用代码", "所在省", "所在市", "所在区县", "申报类型"]
    )
    for number, (province, city, county) in enumerate(rows, start=1):
        sheet.append([number, f"江苏测试{number}有限公司", make_uscc(900 + number), province,
                      city, county, "新申报"])  # fmt: skip
    workbook.save(path)


JIANGSU_ROWS = [
    (None, "南京市", "江宁区"),  # no province: the round's fills it
    ("江苏", "南京市", "南京市江宁区"),  # short spelling, city repeated in the county cell
    ("浙江省", "杭州市", "西湖区"),  # outside the round: kept, with a warning
    ("江苏省", "南京市", "江宁区"),
]


def _jiangsu_round(service, tmp_path, region: str = "江苏省"):
    service.create_round(JIANGSU, tier="srdi-sme", round_date=date(2026, 5, 20), region=region)
    path = tmp_path / "名单.xlsx"
    _jiangsu_roster(path, JIANGSU_ROWS)
    [report] = service.import_paths(JIANGSU, [path])
    return path, report


def test_a_round_region_fills_a_missing_province(service, tmp_path):
    """A roster row without 所在省 in a 江苏省 round is stored as 江苏省, said to come from the
    round's region, not from a cell; the applicant's own cells keep their provenance."""
    _, report = _jiangsu_round(service, tmp_path)
    assert report.applicants_new == 4
    detail = service.applicant_detail(JIANGSU, make_uscc(901))
    assert detail.applicant.values["province"] == "江苏省"
    filled = detail.applicant.provenance["province"]
    assert (filled.kind, filled.cell, filled.raw) == ("round-region", None, "江苏省")
    assert filled.describe() == "由批次地区“江苏省”补充"
    city = detail.applicant.provenance["city"]
    assert (city.file, city.sheet, city.cell, city.raw) == ("名单.xlsx", "名单", "E2", "南京市")
    assert detail.row.province == "江苏省"
    # Only the province is filled; a value the applicant wrote is kept as written.
    written = service.applicant_detail(JIANGSU, make_uscc(902)).applicant
    assert written.values["province"] == "江苏"
    assert (
        written.provenance["province"].cell == "D3" and written.provenance["province"].kind is None
    )
    assert not any(i.code == "region-outside-round" for i in detail.issues)


def test_a_province_outside_the_round_is_kept_with_a_warning(service, tmp_path):
    """浙江省 written in a 江苏省 round stays 浙江省 and gets a region-outside-round warning
    naming its cell; the import report lists it too."""
    _, report = _jiangsu_round(service, tmp_path)
    detail = service.applicant_detail(JIANGSU, make_uscc(903))
    assert detail.applicant.values["province"] == "浙江省"
    assert detail.applicant.provenance["province"].cell == "D4"
    [issue] = [i for i in detail.issues if i.code == "region-outside-round"]
    assert (issue.severity, issue.cell, issue.field, issue.sheet) == (
        "warning",
        "D4",
        "province",
        "名单",
    )
    assert "浙江省" in issue.message and "江苏省" in issue.message
    assert detail.row.open_warnings == 1
    assert [i.uscc for i in report.issues if i.code == "region-outside-round"] == [make_uscc(903)]


def test_the_region_is_shown_and_filtered_in_one_form(service, tmp_path):
    """南京市江宁区 (county cell), 江苏 + 南京市 + 江宁区 and the filled province all show as
    江苏省南京市江宁区, and filtering by 江苏 or 江苏省 keeps the three together."""
    _jiangsu_round(service, tmp_path)
    rows = {r.uscc: r for r in service.list_applicants(JIANGSU)}
    shown = {number: rows[make_uscc(900 + number)].region for number in range(1, 5)}
    assert shown == {
        1: "江苏省南京市江宁区",
        2: "江苏省南京市江宁区",
        3: "浙江省杭州市西湖区",
        4: "江苏省南京市江宁区",
    }
    jiangsu = [make_uscc(901), make_uscc(902), make_uscc(904)]
    for place in ("江苏", "江苏省", "江宁区"):
        assert [r.uscc for r in service.list_applicants(JIANGSU, region=place, sort="uscc")] == (
            jiangsu
        )
    assert [r.uscc for r in service.list_applicants(JIANGSU, region="浙江")] == [make_uscc(903)]


def test_a_round_named_by_a_city_fills_nothing(service, tmp_path):
    """A round whose region is a city (南京市) names no province here: nothing is guessed."""
    _jiangsu_round(service, tmp_path, region="南京市")
    detail = service.applicant_detail(JIANGSU, make_uscc(901))
    assert "province" not in detail.applicant.values
    assert not any(i.code == "region-outside-round" for i in detail.issues)
    assert detail.row.region == "南京市江宁区"


def test_versions_stored_before_the_fill_are_not_rewritten(service, tmp_path):
    """A version stored without the filled province (an earlier import) is kept as it is when
    another file repeats the row unchanged; a changed row's new version gets the province."""
    path, _ = _jiangsu_round(service, tmp_path)
    with service.store.session() as session:  # as an import before the fill stored it
        version = session.scalars(
            select(ApplicantVersion)
            .join(Applicant, Applicant.current_version_id == ApplicantVersion.id)
            .where(Applicant.uscc == make_uscc(901))
        ).one()
        values = {k: v for k, v in version.values.items() if k != "province"}
        version.provenance = {k: v for k, v in version.provenance.items() if k != "$added"}
        version.values, version.values_hash, version.province = values, codec.digest(values), None
    again = tmp_path / "补正名单.xlsx"
    _jiangsu_roster(again, [*JIANGSU_ROWS[:3], ("江苏省", "南京市", "秦淮区")])
    [report] = service.import_paths(JIANGSU, [again])
    assert (report.applicants_new, report.applicants_changed) == (0, 1)
    kept = service.applicant_detail(JIANGSU, make_uscc(901))
    assert len(kept.versions) == 1 and "province" not in kept.applicant.values
    assert kept.row.region == "南京市江宁区"
    assert service.applicant_detail(JIANGSU, make_uscc(904)).row.region == "江苏省南京市秦淮区"
    # The same file read again changes nothing.
    assert service.import_paths(JIANGSU, [path])[0].already_imported


def test_round_show_names_the_round_region(service, tmp_path, database_url, monkeypatch, capsys):
    """`zjtx round show` says the round's region and lists 地区 in one form."""
    _jiangsu_round(service, tmp_path, region="江苏")
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    assert main(["round", "show", JIANGSU]) == 0
    out = capsys.readouterr().out
    assert "地区 江苏" in out.splitlines()[0]
    assert out.count("江苏省南京市江宁区") == 3 and "南京市南京市" not in out


def test_reports_and_lists_show_the_region_in_the_same_form(service, tmp_path):
    """The 评审意见表 and 公示名单 region text is the table's: 江苏省南京市江宁区 for all three
    spellings, and the statistics count them in one bucket (江宁区: they are all in 南京市)."""
    from types import SimpleNamespace

    from zjtx.export.report_model import region_text
    from zjtx.export.summary import region_counting

    _jiangsu_round(service, tmp_path)
    applicants = [
        service.applicant_detail(JIANGSU, make_uscc(900 + n)).applicant for n in (1, 2, 4)
    ]
    assert {region_text(a) for a in applicants} == {"江苏省南京市江宁区"}
    outcomes = [SimpleNamespace(applicant=a, round_region=None) for a in applicants]
    assert set(region_counting(outcomes).labels) == {"江宁区"}
    written = service.applicant_detail(JIANGSU, make_uscc(902)).applicant
    written.values.pop("city")  # the county cell still says 南京市江宁区
    assert region_text(written) == "江苏省南京市江宁区"
