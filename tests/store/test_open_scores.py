"""A score not yet fixed (a range) in the round table and `round show`: shown as its range,
never ranked among the fixed scores, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from tests.store.helpers import make_uscc
from tests.store.test_real_rulebooks import COMPLETE
from zjtx.cli import main
from zjtx.store import StoreService, open_store

ROUND = "福州2026创新型"
# Every figure the innovative-sme-2022 score reads: COMPLETE scores 85, fixed.
SCORED = {**COMPLETE, "ip1_high_value": 0, "ip1_self_developed": 0, "ip1_total": 3,
          "ip2_total": 0, "strategic_emerging": True}  # fmt: skip
# Without the 知识产权 counts and 战略性新兴产业: 70 earned, 95 reachable (IN22-S1, IN22-S5).
OPEN = {k: v for k, v in SCORED.items() if not k.startswith("ip") and k != "strategic_emerging"}


def _records() -> list[dict]:
    return [
        {"name": "甲公司", "uscc": make_uscc(1), **SCORED},
        {"name": "乙公司", "uscc": make_uscc(2), **OPEN},
        {"name": "丙公司", "uscc": make_uscc(3), **SCORED, "rd_expense_y1": 300},
    ]


def _write_round(service: StoreService, tmp_path, records: list[dict]) -> None:
    """The innovative round with ``records`` imported from a JSON file."""
    service.create_round(ROUND, tier="innovative-sme", round_date=date(2026, 6, 1))
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [path])


@pytest.fixture
def service(database_url, tmp_path):
    store = open_store(database_url)
    try:
        service = StoreService(store)
        _write_round(service, tmp_path, _records())
        yield service
    finally:
        store.close()


def test_an_open_score_shows_its_range_and_takes_no_rank(service):
    """70–95 has no rank; the fixed 85 and 80 are ranked 1 and 2, as if it were not there."""
    rows = {r.name: r for r in service.list_applicants(ROUND)}
    assert [(n, r.score_text, r.rank) for n, r in rows.items()] == [
        ("甲公司", "85", 1),
        ("丙公司", "80", 2),
        ("乙公司", "70–95", None),
    ]
    assert (rows["乙公司"].score, rows["乙公司"].score_max) == (D(70), D(95))
    assert rows["乙公司"].score_open and not rows["甲公司"].score_open
    # One applicant's row ranks it among the whole round the same way.
    assert service.applicant_detail(ROUND, make_uscc(3)).row.rank == 2
    assert service.applicant_detail(ROUND, make_uscc(2)).row.rank is None


def test_round_show_prints_the_range_and_says_why_it_has_no_rank(
    service, database_url, tmp_path, monkeypatch, capsys
):
    """`round show`: 70–95 in 得分, "—" in 排名, a note under the table; the JSON has score_max."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    assert main(["round", "show", ROUND]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "乙公司" in line)
    assert line.startswith("—") and "70–95" in line
    assert "得分为区间（如 70–95）的 1 家得分未定" in out
    assert main(["round", "show", ROUND, "--json"]) == 0
    data = {a["name"]: a for a in json.loads(capsys.readouterr().out)["applicants"]}
    assert (data["乙公司"]["score"], data["乙公司"]["score_max"], data["乙公司"]["rank"]) == (
        "70",
        "95",
        None,
    )
    assert (data["甲公司"]["score_max"], data["甲公司"]["rank"]) == (None, 1)


def test_a_score_open_on_an_option_awaiting_an_evaluator_shows_its_least_first(
    database_url, tmp_path
):
    """An option awaiting an evaluator (SR22-S4 补链强链) declares its most points; the table
    and the 推荐汇总表 still show least–most (77–82), not 82 as if fixed."""
    from tests.scoring.applicants import base
    from zjtx.export.from_store import round_outcomes
    from zjtx.export.summary import build_recommendation_summary
    from zjtx.scoring import load_catalogue

    values = {**base("srdi-sme-2022"), "local_feature_score": 9}
    records = [
        {**values, "name": "甲链主科技有限公司", "uscc": make_uscc(4),
         "lead_product_field": "chain_key"},
        {**values, "name": "乙六基科技有限公司", "uscc": make_uscc(5),
         "lead_product_field": "six_foundations"},
    ]  # fmt: skip
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(records, ensure_ascii=False, default=str), encoding="utf-8")
    store = open_store(database_url)
    try:
        service = StoreService(store)
        service.create_round("专精特新2025", tier="srdi-sme", round_date=date(2025, 6, 1))
        service.import_paths("专精特新2025", [path])
        rows = {r.name: r for r in service.list_applicants("专精特新2025")}
        chain, six = rows["甲链主科技有限公司"], rows["乙六基科技有限公司"]
        assert (chain.score_text, chain.rank) == (f"{six.score - 3}–{six.score + 2}", None)
        assert (six.score_text, six.rank) == (str(six.score), 1)
        _info, outcomes = round_outcomes(service, "专精特新2025")
        catalogue = load_catalogue()
        summary = build_recommendation_summary(
            outcomes, catalogue=catalogue, made_at=datetime(2026, 1, 1)
        )
        shown = {row.name: row.score for row in summary.rows}
        assert shown["甲链主科技有限公司"] == chain.score_text
    finally:
        store.close()
