"""Recognise column headers and form labels: field, year of the round, unit, stated ratios."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.intake.values import COUNT_WORDS, MEASURE_WORDS, MONEY_UNITS, measure_words

UNIT_WORDS = ("百万元", "亿元", "万元", "千元", "元", "%", *COUNT_WORDS)
_BRACKETS = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")
# 单位：万元 outside brackets; the unit word must end there (单位名称 names no unit 名).
_UNIT_NOTE = re.compile(rf"单位[:：]?({'|'.join(UNIT_WORDS)})(?![\u4e00-\u9fff])")
_CAL_YEAR = re.compile(r"((?:19|20)\d{2})年?(?:度|末|底)?")
_RELATIVE_YEARS = (
    ("大前年度", 3), ("大前年末", 3), ("大前年", 3),
    ("上上年度", 2), ("上上年", 2), ("前年度", 2), ("前年末", 2), ("前年", 2),
    ("上一年度", 1), ("上年度", 1), ("上年末", 1), ("上年底", 1), ("上一年", 1), ("上年", 1),
    ("最近一年", 1), ("近一年", 1), ("近1年", 1), ("去年", 1),
)  # fmt: skip
# "近两年研发费用合计": a total (or mean) over a window of years, not one year's value.
_WINDOW = re.compile(
    r"^(?:最近|近)(两|二|2|三|3)年(?:的|内)?(.+?)(合计|总额|累计|之和|总计|总和|平均值|平均|年均|均值)?$"
)
_DROP_CHARS = str.maketrans("", "", "\"'“”‘’《》<>*＊:：·、,，.。;")
_SERIAL_HEADERS = frozenset({"序号", "编号", "no", "no.", "序", "行号"})

# Ratios a roster may state; they are computed from the amounts, the stated value is checked.
RATIO_NAMES: dict[str, tuple[str, ...]] = {
    "rd_intensity": (
        "研发费用占营业收入比重", "研发费用占营业收入比例", "研发费用占营业收入的比重",
        "研发投入强度",
        "研发费用率", "研发强度", "研发费用占比", "研发投入占营业收入比重", "研发经费投入强度",
        "研发投入占比",
    ),
    "debt_ratio": ("资产负债率",),
    "main_share": (
        "主营业务收入占营业收入比重", "主营业务收入占比", "主营业务收入占营业收入比例",
        "主营业务收入占营业收入的比重",
    ),
    "revenue_growth": ("营业收入增长率", "营收增长率", "营业收入年增长率", "营业收入同比增长率"),
    "revenue_cagr": ("营业收入复合增长率", "近2年营业收入复合增长率", "近两年营业收入复合增长率"),
    "rd_staff_share": ("研发人员占比", "研发人员占从业人员比重", "研发人员占全部职工比重",
                       "研发人员占职工总数比重", "研发人员占从业人员比例"),
    "lead_share": ("主导产品销售收入占营业收入比重", "主导产品收入占营业收入比重",
                   "主导产品占营业收入比重", "主导产品销售收入占营业收入比例",
                   "主导产品销售收入占比", "主导产品收入占比"),
}  # fmt: skip
RATIO_LABELS = {
    "rd_intensity": "研发费用占营业收入比重",
    "debt_ratio": "资产负债率",
    "main_share": "主营业务收入占营业收入比重",
    "revenue_growth": "营业收入增长率",
    "revenue_cagr": "营业收入复合增长率",
    "rd_staff_share": "研发人员占从业人员比重",
    "lead_share": "主导产品销售收入占营业收入比重",
}


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What a header text names.

    kind: ``field`` (key set), ``ratio`` (ratio set), ``serial`` (序号), ``unknown``,
    ``bad-year`` (a known series with a year outside the round), ``no-year`` (a series without
    a year), ``bad-unit`` (a unit the field cannot take), ``window`` (a total or mean over
    近两年/近三年, key the series) and ``window-ambiguous`` ("近两年研发费用").
    """

    kind: str
    key: str | None = None
    ratio: str | None = None
    unit: str | None = None
    year: int | None = None  # calendar year written in the header
    year_index: int | None = None
    detail: str = ""


def clean(text: str) -> str:
    """Header text for comparison: NFKC, no whitespace or quotes, ASCII lower case."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).translate(_DROP_CHARS).lower()


def _canonical(cleaned: str) -> str:
    """A cleaned header as the tables keep it: 近3年 as 近三年."""
    return cleaned.replace("近3年", "近三年")


def _strip_brackets(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _BRACKETS.sub("", text)
    return text


@dataclass(frozen=True, slots=True)
class HeaderTables:
    """Lookup tables built once per catalogue."""

    direct: dict[str, str]  # cleaned name -> field key (non-series fields and exact year keys)
    series: dict[str, str]  # cleaned series name -> base
    series_years: dict[str, tuple[int, ...]]  # base -> years present in the catalogue
    ratios: dict[str, str]  # cleaned ratio name -> ratio id
    # keys and bases of counts (人, 项, 名 ...): the only fields a name + 数/数量/总数 can mean
    counts: frozenset[str] = frozenset()
    # keys of yes-or-no fields: the only fields 是否/有无 + a name can mean
    answers: frozenset[str] = frozenset()


_TABLES: dict[int, tuple[FieldCatalogue, HeaderTables]] = {}


def header_tables(catalogue: FieldCatalogue) -> HeaderTables:
    """Lookup tables of a catalogue, built once (catalogues are immutable)."""
    cached = _TABLES.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    tables = _build_tables(catalogue)
    _TABLES[id(catalogue)] = (catalogue, tables)
    return tables


def _build_tables(catalogue: FieldCatalogue) -> HeaderTables:
    direct: dict[str, str] = {}
    series: dict[str, str] = {}
    series_years: dict[str, list[int]] = {}

    def add(table: dict[str, str], name: str, value: str) -> None:
        for variant in (clean(name), clean(_strip_brackets(unicodedata.normalize("NFKC", name)))):
            if variant:
                table.setdefault(_canonical(variant), value)

    for spec in catalogue:
        direct.setdefault(spec.key.lower(), spec.key)
        if spec.year is None:
            for name in (spec.label, *spec.aliases):
                add(direct, name, spec.key)
        else:
            series_years.setdefault(spec.base, []).append(spec.year)
            add(direct, spec.relative_label(), spec.key)
            for name in (spec.label, spec.base, *spec.aliases):
                add(series, name, spec.base)
    ratios: dict[str, str] = {}
    for ratio, names in RATIO_NAMES.items():
        for name in names:
            add(ratios, name, ratio)
    counts = frozenset(
        name
        for spec in catalogue
        if spec.type in (FieldType.INT, FieldType.DECIMAL) and spec.unit in MEASURE_WORDS
        for name in (spec.key, spec.base)
    )
    return HeaderTables(
        direct=direct,
        series=series,
        series_years={k: tuple(v) for k, v in series_years.items()},
        ratios=ratios,
        counts=counts,
        answers=frozenset(spec.key for spec in catalogue if spec.type == FieldType.BOOL),
    )


def split_units(text: str) -> tuple[str, str | None, str]:
    """(text without unit annotations, unit, text with non-unit brackets kept)."""
    text = unicodedata.normalize("NFKC", "".join(text.split()))
    unit = None
    note = _UNIT_NOTE.search(text)
    if note:
        unit = note.group(1)
        text = text[: note.start()] + text[note.end() :]

    def drop_unit(match: re.Match[str]) -> str:
        nonlocal unit
        kept = []
        found = None
        # "（2025年，万元）": a unit may share the bracket with other notes such as the year.
        for part in re.split(r"[,，;；、]", match.group(1)):
            part = part.strip().removeprefix("单位").lstrip(":：")
            if part in UNIT_WORDS or part in ("万", "亿", "百分比"):
                found = {"万": "万元", "亿": "亿元", "百分比": "%"}.get(part, part)
            elif part:
                kept.append(part)
        if found is None:
            return match.group(0)
        unit = found
        if not kept:
            return ""
        rest = "，".join(kept)
        return rest if _CAL_YEAR.fullmatch(rest) else f"({rest})"

    text = _BRACKETS.sub(drop_unit, text)
    if unit is None:
        for word in ("百万元", "亿元", "万元", "千元", "%"):
            if text.endswith(word) and len(text) > len(word) + 1:
                unit = word
                text = text[: -len(word)].rstrip("/-_")
                break
    return text, unit, text


def _find_year(text: str, evaluation_year: int) -> tuple[str, int | None, int | None] | None:
    """(text without the year words, calendar year, year index) or None when no year is named."""
    match = _CAL_YEAR.search(text)
    if match:
        year = int(match.group(1))
        rest = text[: match.start()] + text[match.end() :]
        return rest, year, evaluation_year - year
    for word, index in _RELATIVE_YEARS:
        position = text.find(word)
        if position >= 0:
            rest = text[:position] + text[position + len(word) :]
            return rest, evaluation_year - index, index
    return None


# Words rosters add around a field's name: 年末从业人员, 企业注册日期, and after a count's
# name Ⅰ类知识产权数, 研发人员总数 (研发机构数 is no 研发机构级别). Tried only when the text
# as written names no field.
_PREFIXES = ("近三年", "近3年", "年度", "年末", "年底", "全年", "截至", "企业", "其中")
_SUFFIXES = ("数量", "总数", "数")
# A yes-or-no field asked as a question: 是否有自主品牌, 有无自主品牌, 是否为创新型中小企业.
_QUESTIONS = ("是否为", "是否有", "是否已", "是否被", "是否", "有无", "有没有")


def _lookup(
    table: dict[str, str],
    text: str,
    counts: frozenset[str] = frozenset(),
    answers: frozenset[str] = frozenset(),
) -> str | None:
    for variant in (clean(text), clean(_strip_brackets(text))):
        found = table.get(_canonical(variant))
        if found:
            return found
        # 近三年是否发生… asks a yes-or-no question: 是否 after the span names such a field only.
        found = table.get(_canonical(variant).replace("近三年是否", "近三年", 1))
        if found in answers:
            return found
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            found = table.get(_canonical(clean(text[len(prefix) :])))
            if found:
                return found
    for question in _QUESTIONS:
        if text.startswith(question):
            found = table.get(_canonical(clean(text[len(question) :])))
            if found in answers:
                return found
    cleaned = _canonical(clean(_strip_brackets(text)))
    for suffix in _SUFFIXES:
        if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
            found = table.get(cleaned[: -len(suffix)])
            if found in counts:
                return found
    return None


def match_header(text: str, catalogue: FieldCatalogue, evaluation_year: int) -> HeaderMatch:
    """Resolve one header (or form label) text against the catalogue for a round's year."""
    tables = header_tables(catalogue)
    body, unit, _ = split_units(text)
    if not body:
        return HeaderMatch("unknown", unit=unit)
    if clean(body) in _SERIAL_HEADERS:
        return HeaderMatch("serial")
    key = _lookup(tables.direct, body, tables.counts, tables.answers)
    if key is not None:
        return checked_match(catalogue[key], unit, None)
    ratio = _lookup(tables.ratios, body)
    if ratio is not None:
        return HeaderMatch("ratio", ratio=ratio, unit=unit, year_index=1)
    found = _find_year(body, evaluation_year)
    if found is not None:
        rest, year, index = found
        base = _lookup(tables.series, rest, tables.counts)
        if base is not None:
            years = tables.series_years[base]
            if index not in years:
                allowed = "、".join(f"{evaluation_year - y}年" for y in sorted(years, reverse=True))
                return HeaderMatch(
                    "bad-year",
                    key=base,
                    year=year,
                    year_index=index,
                    detail=f"{year}年不在本批次（{evaluation_year}年度）的申报年度内："
                    f"可用 {allowed}",
                )
            spec = catalogue[f"{base}_y{index}"]
            return checked_match(spec, unit, year)
        ratio = _lookup(tables.ratios, rest)
        if ratio is not None:
            if index not in (1, 2, 3):
                return HeaderMatch(
                    "bad-year",
                    ratio=ratio,
                    year=year,
                    year_index=index,
                    detail=f"{year}年不在本批次的申报年度内",
                )
            return HeaderMatch("ratio", ratio=ratio, unit=unit, year=year, year_index=index)
        key = _lookup(tables.direct, rest, tables.counts)
        if key is not None and catalogue[key].year is None and index == 1:
            # "2025年末从业人员" style labels for fields that are not series.
            return checked_match(catalogue[key], unit, year)
        return HeaderMatch("unknown", unit=unit)
    window = _window(body, tables)
    if window is not None:
        return window
    base = _lookup(tables.series, body, tables.counts)
    if base is not None:
        years = tables.series_years[base]
        if years == (1,):
            return checked_match(catalogue[f"{base}_y1"], unit, evaluation_year - 1)
        return HeaderMatch(
            "no-year",
            key=base,
            unit=unit,
            detail="列标题没有注明年度，无法确定是哪一年的数据：请写成"
            f"“{evaluation_year - 1}年{catalogue[base + '_y1'].label}”",
        )
    return HeaderMatch("unknown", unit=unit)


def _window(body: str, tables: HeaderTables) -> HeaderMatch | None:
    """A label over a window of years: ``window`` when it says 合计/平均, ``window-ambiguous``
    for "近两年研发费用" (a two-year total, or the value of the year before last?)."""
    match = _WINDOW.match(clean(body))
    if match is None:
        return None
    span, rest, total = match.groups()
    base = _lookup(tables.series, rest, tables.counts)
    if base is None:
        return None
    years = "两" if span in ("两", "二", "2") else "三"
    if total:
        return HeaderMatch(
            "window",
            key=base,
            detail=f"是近{years}年的{total}（多个年度合起来的数），不是某一年的数据，未读取；"
            "请按年度分别填写",
        )
    if years == "三":
        return None  # "近三年营业收入" heads a row of years (read as such)
    return HeaderMatch(
        "window-ambiguous",
        key=base,
        detail="可能是近两年的合计，也可能是前年一年的数据，无法确定，未读取；"
        "请写明年度（如“2024年研发费用”）或写成“近两年研发费用合计”",
    )


def checked_match(spec: FieldSpec, unit: str | None, year: int | None) -> HeaderMatch:
    """A field match, or bad-unit when the header's unit cannot apply to the field."""
    if unit is not None:
        ok = True
        if spec.type == FieldType.MONEY:
            ok = unit in MONEY_UNITS
        elif spec.type == FieldType.PERCENT:
            ok = unit == "%"
        elif spec.type in (FieldType.INT, FieldType.DECIMAL):
            ok = unit in measure_words(spec.unit)
        else:
            ok = False
        if not ok:
            return HeaderMatch(
                "bad-unit",
                key=spec.key,
                unit=unit,
                year=year,
                year_index=spec.year,
                detail=f"{spec.relative_label()}不能使用单位“{unit}”",
            )
    return HeaderMatch("field", key=spec.key, unit=unit, year=year, year_index=spec.year)


def names_year(text: str, evaluation_year: int) -> bool:
    """Whether a label names its year (2025年…, 上年度…, 近一年…) rather than leaving it to a
    table's year columns."""
    return _find_year(split_units(text)[0], evaluation_year) is not None


# A whole year as headers write it: 2025, 2025年度, 2025年末, 2025年1-12月, 2025年（经审计）.
# Part of a year (2025年1-6月) or a forecast (2025年（预计）) is no year's data, and a date
# (2025年12月31日) is a value (认定日期, 有效期至) more often than a year's heading.
_YEAR_CELL = re.compile(
    r"^\s*((?:19|20)\d{2})\s*年?\s*(?:度|末|底|全年|1\s*[-—–~至]\s*12\s*月)?"
    r"\s*(?:[(（](?:经审计|已审计|审计数|审计|决算|决算数|实际数?)[)）])?\s*$"
)
# Column or row headers that name a year relative to the round (近一年 = the year before it).
RELATIVE_YEAR_WORDS = {
    **dict.fromkeys(("近一年", "近1年", "最近一年", "上年度", "上一年度", "上年", "上一年",
                     "去年", "上年末", "上年底"), 1),
    **dict.fromkeys(("近两年", "近2年", "前年", "前年度", "上上年", "上上年度", "前年末"), 2),
    **dict.fromkeys(("近三年", "近3年", "大前年", "大前年度", "大前年末"), 3),
}  # fmt: skip
YEAR_COLUMN_WORDS = frozenset(
    {"年度", "年份", "年", "财务年度", "会计年度", "所属年度", "报告年度", "报告期"}
)


def year_of(value: Any) -> int | None:
    """The calendar year a cell names (2025, "2025年", "2025年度"), or None."""
    if isinstance(value, str):
        match = _YEAR_CELL.match(value)
        return int(match.group(1)) if match else None
    number = isinstance(value, float | int) and not isinstance(value, bool)
    if number and 1990 <= value <= 2100 and float(value).is_integer():
        return int(value)
    return None


def year_cell(value: Any) -> tuple[int | None, int | None]:
    """(calendar year, relative index) a header or row cell names; (None, None) if neither."""
    calendar = year_of(value)
    if calendar is not None or not isinstance(value, str):
        return calendar, None
    body = split_units(value)[0]
    calendar = year_of(body)
    if calendar is not None:
        return calendar, None
    return None, RELATIVE_YEAR_WORDS.get(clean(body))


# A note of the money unit above a table's header: 金额单位：元, 单位：元、人, （单位：万元）, and
# the money unit after count units (单位：人、元).
_MONEY_NOTE = re.compile(
    r"(?:金额|货币)?单位[:：]\s*(?:(?:" + "|".join([*COUNT_WORDS, "%"]) + r")\s*[、,/]\s*)*"
    r"(百万元|亿元|万元|千元|元)(?![\u4e00-\u9fff])"
)


def money_note(text: str) -> str | None:
    """The money unit a note such as 金额单位：元 or 单位：人、千元 gives, or None."""
    found = _MONEY_NOTE.search(unicodedata.normalize("NFKC", text))
    return found.group(1) if found is not None else None


# 占营业收入比重, 占比, 销售收入占营业收入的比例: a share, computed from the amounts, never read.
SHARE = re.compile(
    r"^(?:销售收入|收入|销售额)?(?:占(?P<base>.*?)(?:的)?(?:比重|比例|比)|占比|比重|比例)$"
)
# A header's unit in brackets (销售收入（万元）, 占比(%)): no product is named so.
_BRACKETED_UNIT = re.compile(
    r"[(（]\s*(?:金额)?(?:单位)?[:：]?\s*(?:百万元|亿元|万元|千元|元|%|人|项|个|件)\s*[)）]\s*$"
)
_HEADER_ENDINGS = ("收入", "销售额", "金额", "比重", "占比", "比例", "数量", "产量", "利润", "产值")


def looks_like_header(text: str, year: int) -> bool:
    """Whether a text answering a label reads as another column's header (上年度销售收入（万元）,
    2023年销售收入, 2025年, 占营业收入比重) rather than an answer."""
    shown = " ".join(text.split())
    if not shown or _BRACKETED_UNIT.search(shown):
        return bool(shown)
    if year_cell(shown) != (None, None):
        return True
    body = split_units(shown)[0]
    found = _find_year(body, year)
    rest = clean(found[0] if found else body)
    return bool(SHARE.match(rest)) or (found is not None and rest.endswith(_HEADER_ENDINGS))
