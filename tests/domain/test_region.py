"""Places in one form: province spellings, 所在地区 text and what a round's region fills in."""

import pytest

from zjtx.domain.region import (
    PROVINCES,
    RoundRegionCheck,
    canonical_province,
    check_round_region,
    format_region,
    place,
    round_province,
    split_province,
)


def test_every_province_spelling_has_one_full_name():
    """江苏 / 江苏省 / 广西 / 广西自治区 / 香港 are one province each; a city is none."""
    assert len(PROVINCES) == len(set(PROVINCES)) == 34
    assert canonical_province("江苏") == canonical_province(" 江苏省 ") == "江苏省"
    assert canonical_province("广西") == canonical_province("广西自治区") == "广西壮族自治区"
    assert canonical_province("内蒙古") == "内蒙古自治区"
    assert canonical_province("北京") == "北京市"
    assert canonical_province("香港") == "香港特别行政区"
    assert canonical_province("南京市") is None and canonical_province(None) is None


def test_a_province_is_read_only_where_the_text_names_it():
    """江苏省南京市 names 江苏省; 南京市 and 吉林市 (a city of 吉林省) name no province."""
    assert split_province("江苏省南京市") == ("江苏省", "南京市")
    assert split_province("江苏") == ("江苏省", "")
    assert split_province("南京市") == (None, "南京市")
    assert split_province("吉林市") == (None, "吉林市")
    assert round_province("江苏") == round_province("江苏省南京市") == "江苏省"
    assert round_province("南京市") is None and round_province("全国") is None
    assert round_province(None) is None and round_province("") is None


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        (("江苏省", "南京市", "江宁区"), "江苏省南京市江宁区"),
        (("江苏", "南京市", "南京市江宁区"), "江苏省南京市江宁区"),
        (("江苏省", "南京市", "江苏省南京市江宁区"), "江苏省南京市江宁区"),
        ((None, None, "江苏省南京市江宁区"), "江苏省南京市江宁区"),
        (("江苏省", "江苏省南京市", "江宁区"), "江苏省南京市江宁区"),
        (("江苏省南京市", None, "江宁区"), "江苏省南京市江宁区"),
        (("江 苏 省", "南京市\u3000", " 江宁区"), "江苏省南京市江宁区"),
        (("北京市", "北京市", "海淀区"), "北京市海淀区"),
        (("北京", None, "北京市海淀区"), "北京市海淀区"),
        ((None, "南京市", "江宁区"), "南京市江宁区"),
        (("江苏省", None, None), "江苏省"),
        ((None, None, None), ""),
    ],
)
def test_the_region_is_shown_in_one_form(cells, shown):
    """省市区县 as one text from the province down, each name once, whatever cell holds it."""
    assert format_region(*cells) == shown


def test_the_place_groups_spellings_together():
    """ "南京市江宁区" in the county cell and the three cells apart are one place."""
    one = place("江苏", "南京市", "南京市江宁区")
    other = place("江苏省", "南京市", "江宁区")
    assert one == other
    assert (one.province, one.city, one.county) == ("江苏省", "南京市", "江宁区")
    assert place("北京市", "北京市", "海淀区").city is None  # a municipality is its own city
    assert format_region(None, None, None, empty="—") == "—"


def test_a_round_region_fills_a_missing_province_only():
    """A 江苏省 round fills a missing province, keeps 江苏 and reports 浙江省 as outside."""
    assert check_round_region(None, "南京市", "江宁区", "江苏省") == RoundRegionCheck(fill="江苏省")
    assert check_round_region("", None, None, "江苏") == RoundRegionCheck(fill="江苏省")
    assert check_round_region("江苏", "南京市", None, "江苏省") == RoundRegionCheck()
    assert check_round_region("浙江省", "杭州市", None, "江苏省") == RoundRegionCheck(
        outside="浙江省", named_in="province"
    )
    assert check_round_region(None, "南京市", "浙江省杭州市西湖区", "江苏省") == (
        RoundRegionCheck(outside="浙江省", named_in="county")
    )
    # The county cell already says the round's province: nothing to fill.
    assert check_round_region(None, None, "江苏省南京市江宁区", "江苏省") == RoundRegionCheck()
    # A round named by a city or by nothing fills nothing: no city is looked up.
    assert check_round_region(None, None, "江宁区", "南京市") == RoundRegionCheck()
    assert check_round_region(None, None, None, None) == RoundRegionCheck()


def test_a_city_of_another_province_is_outside_the_round_not_filled():
    """南京市 in a 福建省 round is reported as outside (江苏省), never written as 福建省南京市."""
    assert check_round_region(None, "南京市", "江宁区", "福建省") == RoundRegionCheck(
        outside="江苏省", named_in="city"
    )
    assert check_round_region(None, "南京市江宁区", None, "福建省") == RoundRegionCheck(
        outside="江苏省", named_in="city"
    )
    assert check_round_region(None, None, "江宁区", "福建省") == RoundRegionCheck(
        outside="江苏省", named_in="county"
    )
    # A county name used in several provinces (鼓楼区: 南京, 福州, 徐州, 开封) decides nothing.
    assert check_round_region(None, None, "鼓楼区", "福建省") == RoundRegionCheck(fill="福建省")
    assert check_round_region(None, "福州市", "鼓楼区", "福建省") == RoundRegionCheck(fill="福建省")


def test_places_sort_in_the_order_of_their_division_codes():
    """Places sort as official lists run, by GB/T 2260 code: a city's districts in their own
    order, then its county-level cities, then a zone no code names; a name used in several
    cities (鼓楼区) takes its own city's code."""
    from zjtx.domain.region import division_order, place

    counties = ["苏州工业园区", "昆山市", "姑苏区", "吴中区", "虎丘区", "常熟市"]
    ordered = sorted(counties, key=lambda c: division_order(place("江苏省", "苏州市", c)))
    assert ordered == ["虎丘区", "吴中区", "姑苏区", "常熟市", "昆山市", "苏州工业园区"]
    assert division_order(place("福建省", "福州市", "鼓楼区"))[0] == "350102"
    assert division_order(place("江苏省", "南京市", "鼓楼区"))[0] == "320106"
    assert division_order(place(None, None, None))[0] == "999999"


def test_a_round_within_one_city_counts_by_district():
    """A round whose 地区 names a city counts by 区县, an applicant giving only its 区县 being
    the city's (no 未填写 for a 慈溪市 with no 所在市)."""
    from zjtx.domain.region import count_by_place

    places = [place("", "", county) for county in ("慈溪市", "奉化区", "象山县", "余姚市")]
    counting = count_by_place(places, "宁波市")
    assert counting.city == "宁波市" and counting.heading == "地区（宁波市各区县）"
    assert counting.labels == ("慈溪市", "奉化区", "象山县", "余姚市")
    # Without the round's 地区, the 区县 say the city all the same.
    assert count_by_place(places).labels == counting.labels


def test_mixed_places_are_each_named_for_what_is_known():
    """In a city's round: another city by name, a city or province without 区县 as such, an
    unknown 区县 as written; only a place that gives nothing is 未填写. A round over several
    cities counts by city (慈溪市 being 宁波市's), a municipality by its 区."""
    from zjtx.domain.region import count_by_place

    places = [
        place("浙江", "宁波市", "慈溪市"),
        place("", "杭州市", ""),
        place("浙江省", "", ""),
        None,
        place("", "宁波市", ""),
        place("", "", "高新区"),
        place("", "", ""),
    ]
    assert count_by_place(places, "浙江省宁波市").labels == (
        "慈溪市", "杭州市（宁波市以外）", "浙江省（未填市、区县）", "未填写",
        "宁波市（未填区县）", "高新区", "未填写",
    )  # fmt: skip
    several = count_by_place(
        [*places[:4], place("", "", "慈溪市"), place("", "", "鼓楼区")], "浙江省"
    )
    assert several.city is None and several.heading == "地区"
    assert several.labels == (
        "宁波市", "杭州市", "浙江省（未填市）", "未填写", "宁波市", "鼓楼区（未填市）"
    )  # fmt: skip
    beijing = count_by_place([place("北京市", "", "海淀区"), place("北京", "", "朝阳区")])
    assert (beijing.city, beijing.labels) == ("北京市", ("海淀区", "朝阳区"))


def test_a_city_round_counts_a_short_city_and_a_county_in_the_city_cell_as_its_own():
    """In a 宁波市 round 所在市 宁波 is 宁波市, 所在市 慈溪市 (a county-level city) is 区县
    慈溪市, and 江北区 alone is 宁波's (it has one); 鼓楼区 alone, which 宁波 has not, is
    outside it, as is a 区县 only one other city has (萧山区 → 杭州市)."""
    from zjtx.domain.region import count_by_place

    places = [
        place("", "宁波", ""),
        place("浙江", "宁波", "北仑区"),
        place("浙江省", "慈溪市", ""),
        place("", "宁波市慈溪市", ""),
        place("", "", "江北区"),
        place("", "", "鼓楼区"),
        place("江苏省", "", "江北区"),
        place("", "", "萧山区"),
    ]
    assert count_by_place(places, "宁波市").labels == (
        "宁波市（未填区县）", "北仑区", "慈溪市", "慈溪市", "江北区", "鼓楼区（宁波市以外）",
        "江苏省江北区（宁波市以外）", "杭州市（宁波市以外）",
    )  # fmt: skip
    assert count_by_place(places[:1], "宁波").city == "宁波市"


def test_a_short_city_name_is_one_bucket_with_its_full_name():
    """Without a round region 宁波 and 宁波市 are one city (counted by its 区县), and over
    several cities one bar; 吉林 as a round's region stays the province."""
    from zjtx.domain.region import count_by_place

    one = count_by_place([place("", "宁波", ""), place("浙江省", "宁波市", "海曙区")])
    assert (one.city, one.labels) == ("宁波市", ("宁波市（未填区县）", "海曙区"))
    several = count_by_place(
        [place("", "宁波", ""), place("", "宁波市", ""), place("", "苏州", "")]
    )
    assert several.labels == ("宁波市", "宁波市", "苏州市")
    assert count_by_place([place("", "吉林", "")], "吉林").city is None
