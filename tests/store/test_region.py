"""The region (所在省 / 市 / 区县) of each applicant in the round table, and filtering by it."""

from __future__ import annotations

import json
from datetime import date

from tests.store.helpers import make_applicant, make_file, make_uscc
from zjtx.cli import main

ROUND = "2026年第一批"


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
