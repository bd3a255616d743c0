"""One applicant filter: `round show` (the store's listing) and the window's proxy keep the
same applicants for the same filter, region spellings included."""

from __future__ import annotations

from datetime import date

import pytest

from tests.store.helpers import make_applicant, make_file, make_uscc
from zjtx.ui.models import ApplicantFilterProxy, ApplicantTableModel

ROUND = "2026年江苏省第一批"

# number → (province, city, county) as the roster writes them
PLACES = {
    1: ("江苏省", "南京市", "江宁区"),
    2: ("江苏", "南京市", "南京市江宁区"),  # short spelling, city repeated in the county cell
    3: (None, "南京市", "鼓楼区"),  # no province: the round's region fills 江苏省
    4: ("江苏省", "苏州市", "姑苏区"),
    5: ("浙江省", "杭州市", "西湖区"),  # outside the round: kept as written
    6: ("北京市", "北京市", "海淀区"),
}
# A row that gives no place at all is not filled with the round's province (and stays without
# a region) only in a round without a region; the second round holds it.
OTHER_ROUND = "2026年第一批"

# (filter keywords, applicant numbers kept); the same keywords for the listing and the proxy
CASES = [
    ({}, {1, 2, 3, 4, 5, 6}),
    ({"region": "江苏"}, {1, 2, 3, 4}),
    ({"region": "江苏省"}, {1, 2, 3, 4}),
    ({"region": "江苏省南京市"}, {1, 2, 3}),
    ({"region": "江苏省南京市江宁区"}, {1, 2}),
    ({"region": "南京市"}, {1, 2, 3}),
    ({"region": "江宁区"}, {1, 2}),
    ({"region": "江苏省/苏州市"}, {4}),  # the window's province/city code
    ({"region": "浙江"}, {5}),
    ({"region": "北京市"}, {6}),
    ({"region": "上海市"}, set()),
    ({"region": "江苏省", "search": "测试企业3"}, {3}),
    ({"search": make_uscc(5)[-6:]}, {5}),
    ({"verdict": "none"}, set()),
    ({"decision": "none"}, {1, 2, 3, 4, 5, 6}),
    ({"decision": "recommend"}, set()),
    ({"status": "pending"}, None),  # None: whatever the store says, the proxy must agree
    ({"application_type": "renewal"}, {4}),
    ({"verdict": "qualified"}, None),
    ({"verdict": "not_qualified", "region": "江苏"}, None),
]


@pytest.fixture
def jiangsu(service, tmp_path):
    """A 江苏省 round with the PLACES applicants; 4 is a renewal."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20), region="江苏省")
    applicants = []
    for number, (province, city, county) in PLACES.items():
        extra = {"province": province} if province else {}
        if number == 4:
            extra["application_type"] = "renewal"
        applicants.append(make_applicant(number, city=city, county=county, **extra))
    service.import_file(ROUND, make_file(tmp_path / "名单.xlsx", applicants))
    return service


def _proxy_usccs(rows, **filters) -> set[str]:
    model = ApplicantTableModel()
    model.set_rows(rows)
    proxy = ApplicantFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(**filters)
    return {
        model.row_at(proxy.mapToSource(proxy.index(i, 0)).row()).uscc
        for i in range(proxy.rowCount())
    }


@pytest.mark.parametrize(("filters", "kept"), CASES, ids=[repr(c[0]) for c in CASES])
def test_listing_and_proxy_keep_the_same_applicants(qapp, jiangsu, filters, kept):
    """`round show` (list_applicants) and the window's proxy keep the same set of applicants."""
    rows = jiangsu.list_applicants(ROUND)
    listed = {r.uscc for r in jiangsu.list_applicants(ROUND, **filters)}
    if kept is not None:
        assert listed == {make_uscc(n) for n in kept}
    assert _proxy_usccs(rows, **filters) == listed


def test_the_round_filled_province_counts_as_the_province(jiangsu):
    """The applicant without 所在省 is stored with the round's 江苏省, so 江苏 keeps it."""
    row = next(r for r in jiangsu.list_applicants(ROUND) if r.uscc == make_uscc(3))
    assert (row.province, row.region) == ("江苏省", "江苏省南京市鼓楼区")


def test_a_row_without_any_region(qapp, service, tmp_path):
    """A row with no place is kept by the no-region code and by no place, in both."""
    service.create_round(OTHER_ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_file(
        OTHER_ROUND,
        make_file(
            tmp_path / "a.xlsx",
            [make_applicant(1, province="江苏省", city="南京市"), make_applicant(2)],
        ),
    )
    rows = service.list_applicants(OTHER_ROUND)
    for region, kept in (("-", {2}), ("江苏", {1}), ("江苏省南京市", {1})):
        listed = {r.uscc for r in service.list_applicants(OTHER_ROUND, region=region)}
        assert listed == {make_uscc(n) for n in kept}, region
        assert _proxy_usccs(rows, region=region) == listed, region


@pytest.mark.parametrize("descending", [False, True])
def test_table_columns_sort_like_round_show(qapp, jiangsu, descending):
    """A table column that `round show --sort` also names orders the rows the same way."""
    from PySide6.QtCore import Qt

    from zjtx.ui.models import ApplicantColumn

    model = ApplicantTableModel()
    # From the order opposite to the store's tie-break, so a column key without one shows.
    start = jiangsu.list_applicants(ROUND, sort="uscc", descending=not descending)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for column, key in (
        (ApplicantColumn.RANK, "rank"),
        (ApplicantColumn.USCC, "uscc"),
        (ApplicantColumn.NAME, "name"),
        (ApplicantColumn.STATUS, "status"),
        (ApplicantColumn.REGION, "region"),
    ):
        model.set_rows(start)
        model.sort(column, order)
        listed = jiangsu.list_applicants(ROUND, sort=key, descending=descending)
        assert [r.uscc for r in model.rows()] == [r.uscc for r in listed], key
