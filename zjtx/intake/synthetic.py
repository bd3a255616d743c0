"""Made-up but plausible applicants (valid codes, consistent figures) for samples and benchmarks."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zjtx.domain.uscc import ALPHABET, check_character, org_code_check

_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGIONS = (
    ("江苏省", "南京市", "江宁区", "320115"),
    ("江苏省", "苏州市", "昆山市", "320583"),
    ("江苏省", "无锡市", "江阴市", "320281"),
    ("江苏省", "常州市", "武进区", "320412"),
    ("江苏省", "南通市", "海门区", "320684"),
    ("浙江省", "宁波市", "慈溪市", "330282"),
    ("山东省", "青岛市", "黄岛区", "370211"),
)
_WORDS = (
    "精密", "智能", "新材", "微电", "数控", "华瑞", "恒信", "联创", "博远",
    "科达", "凯正", "中晟", "泰和", "铭盛", "宏图", "嘉禾", "德润", "瑞丰",
)  # fmt: skip
_TRADES = (
    ("C3562", "industry", "半导体专用设备"),
    ("C3484", "industry", "机械密封件"),
    ("C3985", "industry", "电子专用材料"),
    ("C2665", "industry", "电子化学品"),
    ("I6513", "software", "工业软件"),
    ("C3824", "industry", "电力电子元器件"),
    ("C3311", "industry", "精密结构件"),
)


def valid_uscc(number: int, region: str = "320115") -> str:
    """A structurally valid 统一社会信用代码 (both check characters right) for a serial number."""
    body = ""
    value = number
    for _ in range(8):
        value, digit = divmod(value, 31)
        body = _ORG_CHARS[digit] + body
    # Organisation codes take digits and letters; keep the first character a digit.
    body = "9" + body[1:] if body[0] not in "0123456789" else body
    first17 = "91" + region + body + org_code_check(body)
    if any(ch not in ALPHABET for ch in first17):
        raise ValueError(first17)
    return first17 + check_character(first17)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


def applicant_values(
    rng: random.Random, index: int, year: int, code_base: int = 100000
) -> dict[str, Any]:
    """One consistent applicant (catalogue keys, typed values)."""
    province, city, county, region = REGIONS[index % len(REGIONS)]
    code, sector, product = _TRADES[index % len(_TRADES)]
    name = f"{city[:-1]}{rng.choice(_WORDS)}{rng.choice(_WORDS)}{product[:2]}科技有限公司"
    revenue_y3 = _money(rng, 3000, 60000)
    revenue_y2 = (revenue_y3 * Decimal(str(rng.uniform(0.9, 1.4)))).quantize(Decimal("0.01"))
    revenue_y1 = (revenue_y2 * Decimal(str(rng.uniform(0.9, 1.4)))).quantize(Decimal("0.01"))
    revenues = {1: revenue_y1, 2: revenue_y2, 3: revenue_y3}
    employees = rng.randint(30, 900)
    assets = (revenue_y1 * Decimal(str(rng.uniform(0.6, 2.0)))).quantize(Decimal("0.01"))
    values: dict[str, Any] = {
        "name": name,
        "uscc": valid_uscc(code_base + index * 7919, region),
        "province": province,
        "city": city,
        "county": county,
        "industry_code": code,
        "size_sector": sector,
        "founded": date(rng.randint(1998, year - 4), rng.randint(1, 12), rng.randint(1, 28)),
        "application_type": rng.choice(("new", "new", "renewal")),
        "abnormal_operation": False,
        "serious_dishonesty": False,
        "major_incident_3y": False,
        "prohibited_product": False,
        "holds_innovative": rng.random() < 0.8,
        "holds_srdi": rng.random() < 0.5,
        "employees_y1": employees,
        "rd_staff_y1": rng.randint(3, max(4, employees // 4)),
        "total_assets_y1": assets,
        "total_liabilities_y1": (assets * Decimal(str(rng.uniform(0.2, 0.7)))).quantize(
            Decimal("0.01")
        ),
        "net_profit_y1": (revenue_y1 * Decimal(str(rng.uniform(-0.05, 0.15)))).quantize(
            Decimal("0.01")
        ),
        "equity_financing_2y": Decimal(rng.choice((0, 0, 500, 2000))),
        "niche_years": Decimal(rng.randint(3, 20)),
        "lead_product": product,
        "strategic_emerging": rng.random() < 0.6,
        "lead_product_field": rng.choice(("chain_key", "six_foundations", "other")),
        "market_share_domestic": Decimal(f"{rng.uniform(1, 30):.1f}"),
        "market_rank_domestic": rng.randint(0, 20),
        "own_brand": rng.random() < 0.7,
        "digital_level": rng.randint(1, 4),
        "iso9001": rng.random() < 0.9,
        "standards_participation": rng.random() < 0.4,
        "ip1_total": rng.randint(0, 12),
        "ip2_total": rng.randint(0, 40),
        "rd_institution_level": rng.choice(("national", "provincial", "municipal", "none")),
        "high_tech_enterprise": rng.random() < 0.7,
        "platform_score": Decimal(f"{rng.uniform(50, 95):.1f}"),
    }
    for y, revenue in revenues.items():
        values[f"revenue_y{y}"] = revenue
        values[f"main_revenue_y{y}"] = (revenue * Decimal(str(rng.uniform(0.7, 1.0)))).quantize(
            Decimal("0.01")
        )
        values[f"rd_expense_y{y}"] = (revenue * Decimal(str(rng.uniform(0.02, 0.09)))).quantize(
            Decimal("0.01")
        )
    values["ip1_self_developed"] = rng.randint(0, values["ip1_total"])
    values.update(_renewal_answers(values["uscc"], values["application_type"]))
    return values


def _renewal_answers(uscc: str, application_type: str) -> dict[str, Any]:
    """The renewal gates: a renewal mostly updated on time with no major change, a few not;
    a new application is not asked the two renewal questions (left out: unknown, as a reader
    gives a blank cell back)."""
    # Their own generator, seeded by the applicant's code: drawing from the batch's shared one
    # would shift every later applicant's values of the same seed.
    draw = random.Random(f"renewal-{uscc}")
    updated, change = draw.random(), draw.random()
    if application_type != "renewal":
        return {"revoked_3y": False}
    report = "none" if change < 0.8 else "on_time" if change < 0.96 else "late"
    return {
        "annual_update_on_time": updated >= 0.05,
        "major_change_report": report,
        "revoked_3y": False,
    }


def applicants(count: int, year: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``count`` consistent applicants, reproducible from the seed."""
    rng = random.Random(seed)
    # Codes depend on the seed so that two generated batches do not share applicants.
    code_base = 100000 + (seed % 10007) * 1_000_003
    return [applicant_values(rng, index, year, code_base) for index in range(count)]


def write_applicants_json(path: Path, count: int, year: int, seed: int = 2026) -> Path:
    """``count`` synthetic applicants written as a `zjtx score` JSON input (decimals as exact
    strings, dates as ISO text)."""

    def encode(value: object) -> object:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value))

    records = applicants(count, year, seed)
    path.write_text(json.dumps(records, default=encode, ensure_ascii=False), encoding="utf-8")
    return path
