"""Base applicants that pass every tier, and helpers to vary one field and evaluate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation, CriterionState, Evaluation
from zjtx.scoring import evaluate, load_rulebook

ROUND_2025 = date(2025, 6, 1)  # a 63号-era round (before 2026-04-01)
ROUND_2026 = date(2026, 6, 1)  # a 2号-era round
ROUND_2027 = date(2027, 6, 1)

RULEBOOK_IDS = (
    "innovative-sme-2022",
    "srdi-sme-2022",
    "little-giant-2022",
    "srdi-sme-2026",
    "little-giant-2026",
    "single-champion-2023",
    "tech-sme-2017",
)

# A round date each rulebook applies to for new applications.
ROUND_FOR = {
    "innovative-sme-2022": ROUND_2025,
    "srdi-sme-2022": ROUND_2025,
    "little-giant-2022": ROUND_2025,
    "srdi-sme-2026": ROUND_2026,
    "little-giant-2026": ROUND_2026,
    "single-champion-2023": ROUND_2025,
    "tech-sme-2017": ROUND_2025,
}

# Items that stay `manual` until an evaluator confirms them (the base applicants declare "yes").
JUDGEMENT_ITEMS = {
    "innovative-sme-2022": (),
    "srdi-sme-2022": (),
    "little-giant-2022": ("LG22-0", "LG22-X", "LG22-2q", "LG22-3a", "LG22-5", "LG22-6"),
    "srdi-sme-2026": ("SR26-5",),
    "little-giant-2026": ("LG26-0", "LG26-5", "LG26-6"),
    "single-champion-2023": (
        "SC23-0",
        "SC23-4",
        "SC23-5",
        "SC23-6",
        "SC23-7",
        "SC23-8",
        "SC23-9",
    ),
    "tech-sme-2017": (),
}


def d(value: str | int) -> Decimal:
    """Exact Decimal from text (never from a float)."""
    return Decimal(str(value))


CLEAN = {
    "name": "测试企业有限公司",
    "uscc": "91350100M000100Y43",
    "application_type": "new",
    "abnormal_operation": False,
    "serious_dishonesty": False,
    "prohibited_product": False,
    "major_incident_3y": False,
    "tech_sme_incident": False,
    # Renewal gates and the revocation bar (issue 13 §3): updated on time, nothing to report.
    "annual_update_on_time": True,
    "major_change_report": "none",
    "revoked_3y": False,
}

# criteria.md §16: the worked example (a 工业 enterprise with 180 staff and 8600万 revenue).
WORKED_EXAMPLE = {
    "size_sector": "industry",
    "employees_y1": 180,
    "revenue_y3": d(6900),
    "revenue_y2": d(7500),
    "revenue_y1": d(8600),
    "main_revenue_y3": d(6400),
    "main_revenue_y2": d(7000),
    "main_revenue_y1": d(8000),
    "rd_expense_y2": d(400),
    "rd_expense_y1": d(520),
    "net_profit_y1": d(700),
    "total_liabilities_y1": d(4800),
    "total_assets_y1": d(10000),
    "niche_years": d(7),
    "digital_level": 2,
    "iso9001": True,
    "own_brand": True,
    "quality_award": False,
    "standards_participation": False,
    "ip1_self_developed": 3,
    "ip1_total": 3,
    "ip1_applied": 3,
    "ip1_high_value": 0,
    "rd_staff_y1": 22,
    "rd_institution_level": "provincial",
    "lead_product_field": "six_foundations",
    "strategic_emerging": True,
}

# No 直通 / direct route of any tier holds (ranks 0 = no such award).
NO_ROUTES = {
    "sci_award_national_rank": 0,
    "sci_award_provincial_rank": 0,
    "maker_china": "none",
    "equity_financing_2y": d(0),
    "equity_financing_3y": d(0),
    "high_tech_enterprise": False,
    "innovation_honor": False,
}

# A strong 工业 enterprise (250 staff → 小型) that meets both 小巨人 standards.
STRONG = {
    "size_sector": "industry",
    "employees_y1": 250,
    "revenue_y3": d(9000),
    "revenue_y2": d(10000),
    "revenue_y1": d(12000),
    "main_revenue_y3": d(8000),
    "main_revenue_y2": d(9000),
    "main_revenue_y1": d(11000),
    "rd_expense_y2": d(600),
    "rd_expense_y1": d(720),
    "net_profit_y1": d(1200),
    "total_liabilities_y1": d(5000),
    "total_assets_y1": d(10000),
    "niche_years": d(7),
    "rd_staff_y1": 50,
    "core_it_system": True,
    "mgmt_or_product_cert": True,
    "market_share_domestic": d(12),
    "own_brand": True,
    "rd_institution_level": "provincial",
    "ip1_applied": 5,
    "ip1_total": 5,
    "chain_key_role": True,
    "key_field": True,
    "holds_srdi": True,
    "holds_innovative": True,
    "holds_champion": False,
    "platform_score": d(65),
}

BASES: dict[str, dict[str, Any]] = {
    # 90 points (§16), no direct route: qualifies by score alone.
    "innovative-sme-2022": {
        **CLEAN,
        **WORKED_EXAMPLE,
        **NO_ROUTES,
        "ip2_total": 0,
        "rd_institution_level": "municipal",
    },
    # 71 (§16) + 特色化 9 = 80, no direct route.
    "srdi-sme-2022": {**CLEAN, **WORKED_EXAMPLE, **NO_ROUTES, "local_feature_score": d(9)},
    "little-giant-2022": {**CLEAN, **STRONG, **NO_ROUTES},
    "srdi-sme-2026": {
        **CLEAN,
        **WORKED_EXAMPLE,
        **NO_ROUTES,
        "holds_innovative": True,
        "platform_score": d(55),
    },
    "little-giant-2026": {**CLEAN, **STRONG, **NO_ROUTES},
    # A large enterprise: 单项冠军 has no SME size requirement.
    "single-champion-2023": {
        **CLEAN,
        "size_sector": "industry",
        "employees_y1": 2000,
        "revenue_y3": d(50000),
        "revenue_y2": d(55000),
        "revenue_y1": d(60000),
        "main_revenue_y3": d(46000),
        "main_revenue_y2": d(50000),
        "main_revenue_y1": d(54000),
        "total_assets_y1": d(80000),
        "total_liabilities_y1": d(30000),
        "field_years": d(12),
        "new_product": False,
        "market_rank_global": 2,
        "holds_little_giant": False,
        "holds_champion": False,
    },
    # 20 + 50 + 30 = 100 points.
    "tech-sme-2017": {
        **CLEAN,
        **WORKED_EXAMPLE,
        **NO_ROUTES,
        "rd_staff_y1": 60,
        "rd_institution_level": "municipal",
    },
}


def base(rulebook_id: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of the rulebook's passing applicant with some fields changed (None = drop)."""
    values = dict(BASES[rulebook_id])
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return values


def confirm(*criterion_ids: str, state: CriterionState = CriterionState.MET) -> list[Confirmation]:
    """Evaluator confirmations of the given criteria."""
    return [
        Confirmation(criterion_id=cid, state=state, reason="经核查材料属实", evaluator="张评审")
        for cid in criterion_ids
    ]


def run(
    rulebook_id: str,
    changes: Mapping[str, Any] | None = None,
    *,
    overlay: str | None = None,
    confirmed: bool = True,
    confirmations: Iterable[Confirmation] = (),
    settings: Mapping[str, bool] | None = None,
    round_date: date | None = None,
    values: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Evaluate the base applicant (or ``values``) with ``changes`` against a rulebook.

    With ``confirmed`` the rulebook's judgement items are confirmed as met, unless
    ``confirmations`` names them itself.
    """
    data = dict(values) if values is not None else base(rulebook_id)
    for key, value in (changes or {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    given = list(confirmations)
    named = {c.criterion_id for c in given}
    if confirmed:
        given += confirm(*(c for c in JUDGEMENT_ITEMS[rulebook_id] if c not in named))
    book = load_rulebook(rulebook_id, overlay) if overlay else load_rulebook(rulebook_id)
    return evaluate(
        Applicant(values=data),
        book,
        round_date=round_date or ROUND_FOR[rulebook_id],
        confirmations=given,
        settings=settings,
    )


ROOT = Path(__file__).resolve().parents[2]
_DEC = re.compile(r'"__dec__(-?[0-9.]+)__"')


def applicants_json(*records: Mapping[str, Any]) -> str:
    """The JSON input of `zjtx score`: Decimals written as exact JSON numbers, None dropped."""
    data = [
        {k: f"__dec__{v}__" if isinstance(v, Decimal) else v for k, v in r.items() if v is not None}
        for r in records
    ]
    return _DEC.sub(r"\1", json.dumps(data, ensure_ascii=False))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run `python -m zjtx ARGS` from the checkout root and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "zjtx", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def varied_applicants(rulebook_id: str, extra: Mapping[str, Any] | None = None):
    """Hypothesis strategy: the base applicant with random amounts and random fields dropped."""
    from hypothesis import strategies as st

    values = {**base(rulebook_id), **(extra or {})}
    numeric = sorted(k for k, v in values.items() if isinstance(v, Decimal))
    counts = sorted(k for k, v in values.items() if type(v) is int)
    money = st.decimals(min_value=0, max_value=50000, places=2, allow_nan=False)
    return st.fixed_dictionaries(
        {
            "drop": st.sets(st.sampled_from(sorted(values))),
            "money": st.dictionaries(st.sampled_from(numeric), money),
            "count": st.dictionaries(st.sampled_from(counts), st.integers(0, 400)),
        }
    ).map(
        lambda draw: _consistent(
            {
                k: v
                for k, v in {**values, **draw["money"], **draw["count"]}.items()
                if k not in draw["drop"]
            }
        )
    )


def _consistent(values: dict[str, Any]) -> dict[str, Any]:
    """The values with no count above the count it is part of (FieldSpec.part_of: 自主研发,
    高价值 and 已应用 items are Ⅰ类 items): what the import gate lets through to scoring
    (ip-count-exceeds-total is an error)."""
    from zjtx.scoring import load_catalogue

    for spec in load_catalogue().fields.values():
        whole = values.get(spec.part_of) if spec.part_of else None
        part = values.get(spec.key)
        if whole is not None and part is not None and part > whole:
            values[spec.key] = whole
    return values


def check_score_invariants(ev: Evaluation) -> None:
    """score is the sum of criterion points, and every interval is ordered and in range."""
    scored = [c for c in ev.criteria if c.max_points is not None]
    assert ev.score == sum(c.points for c in scored)
    assert ev.score_min == sum(c.points_min for c in scored)
    assert ev.score_max == sum(c.points_max for c in scored)
    assert ev.score_min <= ev.score <= ev.score_max <= ev.max_score
    for c in scored:
        assert 0 <= c.points_min <= c.points <= c.points_max <= c.max_points, c.id
    for group in ev.groups:
        assert group.points_min <= group.points <= group.points_max <= group.max_points


DECIDED = (CriterionState.MET, CriterionState.UNMET, CriterionState.NA)


def check_forgetting_is_monotone(
    rulebook_id: str, values: Mapping[str, Any], key: str, **kwargs: Any
) -> None:
    """Dropping a field can only make items undecided: never flip met ↔ unmet or the verdict.

    Every item still decided without ``key`` keeps its state, every score interval without it
    contains the points with it, and a verdict still decided is unchanged.
    """
    full = run(rulebook_id, values=values, **kwargs)
    partial = run(rulebook_id, values={k: v for k, v in values.items() if k != key}, **kwargs)
    for before, after in zip(full.criteria, partial.criteria, strict=True):
        if after.state in DECIDED:
            assert after.state == before.state, (key, after.id, before.state, after.state)
        if after.points is not None:
            assert after.points_min <= before.points <= after.points_max, (key, after.id)
    if partial.verdict != "pending":
        assert partial.verdict == full.verdict, (key, full.verdict, partial.verdict)
    if partial.score is not None:
        assert partial.score_min <= full.score <= partial.score_max, key
