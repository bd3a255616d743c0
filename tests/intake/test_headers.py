"""Header and form-label recognition: field, calendar year of the round, unit."""

import pytest

from zjtx.intake.headers import match_header
from zjtx.scoring.catalogue import load_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("header", "kind", "key", "unit", "year"),
    [
        ("企业名称", "field", "name", None, None),
        ("*统一社会信用代码", "field", "uscc", None, None),
        ("统一社会信用代码（18位）", "field", "uscc", None, None),
        ("2025年营业收入（万元）", "field", "revenue_y1", "万元", 2025),
        ("2025年 营业收入\n(元)", "field", "revenue_y1", "元", 2025),
        ("营业收入\n（2025年，万元）", "field", "revenue_y1", "万元", 2025),
        ("2025年营业收入（单位：万元）", "field", "revenue_y1", "万元", 2025),
        ("研发费用(万元,2024年)", "field", "rd_expense_y2", "万元", 2024),
        ("营业收入（亿元）2023年", "field", "revenue_y3", "亿元", 2023),
        ("2025年度营业收入", "field", "revenue_y1", None, 2025),
        ("上年度营业收入", "field", "revenue_y1", None, None),
        ("前年营业收入", "field", "revenue_y2", None, None),
        ("大前年营业收入", "field", "revenue_y3", None, None),
        ("上年度专精特新发展评价得分", "field", "platform_score_prev", None, None),
        ("2025年末从业人员", "field", "employees_y1", None, 2025),
        ("从业人员（人）", "field", "employees_y1", "人", 2025),
        ("I类知识产权", "field", "ip1_total", None, None),
        ("Ⅰ类知识产权（项）", "field", "ip1_total", "项", None),
        ("revenue_y2", "field", "revenue_y2", None, None),
        (
            "近2年新增股权融资总额（合格机构投资者实缴额）（万元）",
            "field",
            "equity_financing_2y",
            "万元",
            None,
        ),
        ("2022年营业收入", "bad-year", "revenue", None, 2022),
        ("营业收入", "no-year", "revenue", None, None),
        ("营业收入(人)2025年", "bad-unit", "revenue_y1", "人", 2025),
        ("资产负债率%", "ratio", None, "%", None),
        ("序号", "serial", None, None, None),
        ("联系人", "unknown", None, None, None),
    ],
)
def test_headers(header, kind, key, unit, year):
    """Each header spelling resolves to the right field, unit and year in a 2026 round."""
    match = match_header(header, CATALOGUE, 2026)
    assert (match.kind, match.key, match.unit, match.year) == (kind, key, unit, year)
