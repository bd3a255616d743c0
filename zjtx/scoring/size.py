"""SME size class under 《中小企业划型标准规定》(2011): every lower bound of a band must be met."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from zjtx.domain.results import slots_constructor
from zjtx.paths import resource_path
from zjtx.scoring.catalogue import read_yaml
from zjtx.scoring.errors import DataFileError
from zjtx.scoring.quantities import format_number, to_number

BANDS = ("large", "medium", "small")
SIZE_LABELS = {
    "large": "大型",
    "medium": "中型",
    "small": "小型",
    "micro": "微型",
    "not_covered": "不适用划型标准",
    "unknown": "未知",
}
NOT_COVERED = "not_covered"  # a size class and sector: the industry has no row in the standard
# Tiers judged without the SME size classes (单项冠军): their size is no figure to chase.
SIZE_NOT_JUDGED = frozenset({"single-champion"})
INDICATOR_LABELS = {
    "employees_y1": ("从业人员", "人"),
    "revenue_y1": ("营业收入", "万元"),
    "total_assets_y1": ("资产总额", "万元"),
}


@dataclass(frozen=True, slots=True)
class SectorRow:
    """One industry row of the standard: lower bounds per band."""

    code: str
    label: str
    bounds: dict[str, dict[str, Decimal]]  # band -> indicator key -> lower bound
    grade: str
    indicators: tuple[str, ...] = ()  # the indicator keys any band uses, in display order

    def __post_init__(self) -> None:
        used = tuple(k for k in INDICATOR_LABELS if any(k in b for b in self.bounds.values()))
        object.__setattr__(self, "indicators", used)


@dataclass(frozen=True, slots=True)
class SizeStandard:
    """The whole standard: rows by sector and the GB/T 4754 code map."""

    rows: dict[str, SectorRow]
    code_map: dict[str, str]
    default_sector: str
    not_covered: dict[str, str]  # 门类 letter -> its name, for industries the standard omits
    divisions: tuple[tuple[int, int, str], ...]
    number: str
    # Codes already looked up: every applicant of a round repeats a few hundred codes.
    known_codes: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def sector_for_code(self, industry_code: str) -> str | None:
        """size_sector for a GB/T 4754-2017 code such as ``C3562`` (or ``3562``)."""
        known = self.known_codes
        if industry_code in known:
            return known[industry_code]
        sector = self._sector_for_code(industry_code)
        if len(known) < 100_000:
            known[industry_code] = sector
        return sector

    def _sector_for_code(self, industry_code: str) -> str | None:
        code = industry_code.strip().upper().replace(" ", "")
        if not code:
            return None
        if code[0].isdigit():
            if len(code) < 2 or not code[:2].isdigit():
                return None
            division = int(code[:2])
            letter = next((s for lo, hi, s in self.divisions if lo <= division <= hi), None)
            if letter is None:
                return None
            code = letter + code
        if not code[0].isalpha():
            return None
        if code[0] in self.not_covered:
            return NOT_COVERED
        for length in range(len(code), 0, -1):
            sector = self.code_map.get(code[:length])
            if sector:
                return sector
        return self.default_sector


@dataclass(frozen=True, slots=True)
class SizeResult:
    """Size class with the numbers that decided it (the Chinese explanation is built on demand)."""

    size_class: str  # large|medium|small|micro|unknown
    sector: str | None
    sector_source: str  # "size_sector" | "industry_code" | ""
    missing: tuple[str, ...] = ()
    band: str | None = None  # the band whose bounds decided (or could not be decided)
    figures: tuple[tuple[str, Any], ...] = ()  # indicator key -> value, as used
    industry_code: str | None = None
    # Classes still possible with what is known (one class when decided; empty: no sector).
    possible: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return SIZE_LABELS[self.size_class]

    @property
    def explanation(self) -> str:
        if self.size_class == NOT_COVERED:
            standard = load_size_standard()
            letter = (self.industry_code or " ").strip().upper()[:1]
            if letter.isdigit() and self.industry_code:
                division = int(self.industry_code.strip()[:2])
                letter = next((s for lo, hi, s in standard.divisions if lo <= division <= hi), "")
            name = standard.not_covered.get(letter, "该行业")
            return (
                f"行业代码 {self.industry_code} 属于{name}，不在《中小企业划型标准规定》"
                f"（{standard.number}）适用行业范围内，需按相应划型规定确认"
            )
        if self.sector is None:
            return "划型行业未知（未填划型行业，且行业代码无法识别）"
        row = load_size_standard().rows[self.sector]
        shown = []
        for key, value in self.figures:
            label, unit = INDICATOR_LABELS[key]
            shown.append(f"{label} {'未知' if value is None else f'{format_number(value)} {unit}'}")
        prefix = f"{row.label}：{'，'.join(shown)}"
        if self.sector_source == "industry_code":
            prefix = f"按行业代码 {self.industry_code} 归入" + prefix
        return prefix + _conclusion(self.sector, self.size_class, self.band)


@cache
def _conclusion(sector: str, size_class: str, band: str | None) -> str:
    """The end of a size explanation: the class and the bounds that decided it (the same for
    every applicant of a sector, band and class)."""
    row = load_size_standard().rows[sector]
    if size_class == "micro":
        small = "、".join(
            f"{INDICATOR_LABELS[k][0]}<{format_number(v)}{INDICATOR_LABELS[k][1]}"
            for k, v in row.bounds["small"].items()
        )
        return f" → 微型（{small}，满足其一）"
    assert band is not None
    limits = "且".join(
        f"{INDICATOR_LABELS[k][0]}≥{format_number(v)}{INDICATOR_LABELS[k][1]}"
        for k, v in row.bounds[band].items()
    )
    if size_class == "unknown":
        return f" → 无法判定是否达到{SIZE_LABELS[band]}（{limits}）"
    return f" → {SIZE_LABELS[band]}（{limits}）"


# SizeResult with every field given (once per evaluation), without a setattr per field.
_size_result = slots_constructor(SizeResult)


@cache
def load_size_standard() -> SizeStandard:
    path = resource_path("size_standard_2011.yaml")
    data = read_yaml(path)
    rows: dict[str, SectorRow] = {}
    for code, row in (data.get("sectors") or {}).items():
        bounds: dict[str, dict[str, Decimal]] = {}
        for band in BANDS:
            limits = row.get(band)
            if not isinstance(limits, dict) or not limits:
                raise DataFileError(path.name, f"缺少 {band} 档下限", rule=code)
            for key in limits:
                if key not in INDICATOR_LABELS:
                    raise DataFileError(path.name, f"未知指标 “{key}”", rule=code)
            bounds[band] = {k: Decimal(str(v)) for k, v in limits.items()}
        rows[code] = SectorRow(code, row["label"], bounds, row.get("grade", "B"))
    return SizeStandard(
        rows=rows,
        code_map={str(k): str(v) for k, v in data["code_map"].items()},
        default_sector=data["default_sector"],
        not_covered={str(k): str(v) for k, v in (data.get("not_covered") or {}).items()},
        divisions=tuple((int(a), int(b), str(c)) for a, b, c in data["divisions"]),
        number=data["instrument"]["number"],
    )


def classify_size(values: dict[str, Any]) -> SizeResult:
    """Size class of an applicant from its size_sector (or industry_code) and figures.

    Bands are tested from large down; the first band whose every lower bound is met wins. A
    known value below a bound drops to the next band; a missing value that could decide a band
    leaves the size unknown.
    """
    standard = load_size_standard()
    sector = values.get("size_sector")
    source = "size_sector" if sector else ""
    code = values.get("industry_code")
    if not sector and code:
        sector = standard.sector_for_code(str(code))
        source = "industry_code" if sector else ""
    if sector == NOT_COVERED:
        return SizeResult(
            NOT_COVERED,
            None,
            source,
            industry_code=str(code),
            possible=frozenset((NOT_COVERED,)),
        )
    if not sector or sector not in standard.rows:
        return SizeResult("unknown", None, "", ("size_sector",))  # nothing is known
    row = standard.rows[sector]
    figures = tuple([(key, values.get(key)) for key in row.indicators])
    code_text = str(code) if code else None
    possible: list[str] = []
    first_open: tuple[str, tuple[str, ...]] | None = None
    for band in BANDS:
        missing = []
        failed = False
        for key, bound in row.bounds[band].items():
            value = values.get(key)
            if value is None:
                missing.append(key)
            elif (value if value.__class__ is Decimal else to_number(value)) < bound:
                failed = True
                break
        if failed:
            continue  # a known value below a lower bound: drop to the next band
        possible.append(band)
        if not missing:
            break  # every lower bound met: this band, nothing below it
        if first_open is None:
            first_open = (band, tuple(missing))
    else:
        possible.append("micro")
    if first_open is not None:
        band, missing = first_open
        return SizeResult(
            "unknown", sector, source, missing, band, figures, code_text, frozenset(possible)
        )
    decided = possible[0]
    band = None if decided == "micro" else decided
    return _size_result(decided, sector, source, (), band, figures, code_text, frozenset(possible))
