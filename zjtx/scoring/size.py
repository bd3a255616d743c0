"""SME size class under 《中小企业划型标准规定》(2011): every lower bound of a band must be met."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

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
    "unknown": "未知",
}
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


@dataclass(frozen=True, slots=True)
class SizeStandard:
    """The whole standard: rows by sector and the GB/T 4754 code map."""

    rows: dict[str, SectorRow]
    code_map: dict[str, str]
    default_sector: str
    divisions: tuple[tuple[int, int, str], ...]
    number: str

    def sector_for_code(self, industry_code: str) -> str | None:
        """size_sector for a GB/T 4754-2017 code such as ``C3562`` (or ``3562``)."""
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
        for length in range(len(code), 0, -1):
            sector = self.code_map.get(code[:length])
            if sector:
                return sector
        return self.default_sector


@dataclass(frozen=True, slots=True)
class SizeResult:
    """Size class with the numbers that decided it."""

    size_class: str  # large|medium|small|micro|unknown
    sector: str | None
    sector_source: str  # "size_sector" | "industry_code" | ""
    explanation: str
    missing: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return SIZE_LABELS[self.size_class]


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
        divisions=tuple((int(a), int(b), str(c)) for a, b, c in data["divisions"]),
        number=data["instrument"]["number"],
    )


def classify_size(values: dict[str, Any]) -> SizeResult:
    """Size class of an applicant from its size_sector (or industry_code) and figures."""
    standard = load_size_standard()
    sector = values.get("size_sector")
    source = "size_sector" if sector else ""
    if not sector and values.get("industry_code"):
        sector = standard.sector_for_code(str(values["industry_code"]))
        source = "industry_code" if sector else ""
    if not sector or sector not in standard.rows:
        return SizeResult(
            "unknown",
            None,
            "",
            "划型行业未知（未填划型行业，且行业代码无法识别）",
            ("size_sector",),
        )
    row = standard.rows[sector]
    figures = []
    for key, (label, unit) in INDICATOR_LABELS.items():
        if any(key in bounds for bounds in row.bounds.values()):
            value = values.get(key)
            shown = "未知" if value is None else f"{format_number(value)} {unit}"
            figures.append(f"{label} {shown}")
    prefix = f"{row.label}：{'，'.join(figures)}"
    if source == "industry_code":
        prefix = f"按行业代码 {values['industry_code']} 归入" + prefix
    for band in BANDS:
        bounds = row.bounds[band]
        missing = [k for k in bounds if values.get(k) is None]
        failed = [
            k for k in bounds if values.get(k) is not None and to_number(values[k]) < bounds[k]
        ]
        if failed:
            continue  # a known value below a lower bound: drop to the next band
        limits = "且".join(
            f"{INDICATOR_LABELS[k][0]}≥{format_number(v)}{INDICATOR_LABELS[k][1]}"
            for k, v in bounds.items()
        )
        if missing:
            return SizeResult(
                "unknown",
                sector,
                source,
                f"{prefix} → 无法判定是否达到{SIZE_LABELS[band]}（{limits}）",
                tuple(missing),
            )
        return SizeResult(band, sector, source, f"{prefix} → {SIZE_LABELS[band]}（{limits}）")
    small = "、".join(
        f"{INDICATOR_LABELS[k][0]}<{format_number(v)}{INDICATOR_LABELS[k][1]}"
        for k, v in row.bounds["small"].items()
    )
    return SizeResult("micro", sector, source, f"{prefix} → 微型（{small}，满足其一）")
