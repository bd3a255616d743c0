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
        ("Ⅰ类知识产权（件）", "field", "ip1_total", "件", None),
        ("Ⅰ类知识产权（单位：个）", "field", "ip1_total", "个", None),
        ("从业人员（名）", "field", "employees_y1", "名", 2025),
        ("主导产品国内细分市场排名（位）", "field", "market_rank_domestic", "位", None),
        ("从业人员（位）", "field", "employees_y1", "位", 2025),
        ("员工总数（人）", "field", "employees_y1", "人", 2025),
        ("研发人员总数", "field", "rd_staff_y1", None, 2025),
        ("I类知识产权数(项)", "field", "ip1_total", "项", None),
        ("二类知识产权数量", "field", "ip2_total", None, None),
        ("企业注册日期", "field", "founded", None, None),
        ("知识产权数", "unknown", None, None, None),
        ("研发机构数", "unknown", None, None, None),
        ("参与制修订标准数（项）", "unknown", None, "项", None),
        ("主导产品数量", "unknown", None, None, None),
        ("2025年营业收入数", "unknown", None, None, None),
        ("企业规模", "unknown", None, None, None),
        ("Ⅰ类知识产权单位：件", "field", "ip1_total", "件", None),
        ("2025年从业人员单位：名", "field", "employees_y1", "名", 2025),
        ("申报单位名称", "field", "name", None, None),
        ("从业人员（项）", "bad-unit", "employees_y1", "项", 2025),
        ("从业人员（家）", "bad-unit", "employees_y1", "家", 2025),
        ("Ⅰ类知识产权（人）", "bad-unit", "ip1_total", "人", None),
        ("主导产品国内细分市场排名（个）", "bad-unit", "market_rank_domestic", "个", None),
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
        ("是否有自主品牌", "field", "own_brand", None, None),
        ("有无自主品牌", "field", "own_brand", None, None),
        ("是否为创新型中小企业", "field", "holds_innovative", None, None),
        ("是否已入库科技型中小企业", "field", "holds_tech_sme", None, None),
        ("是否研发人员", "unknown", None, None, None),
        ("研发投入占比", "ratio", None, None, None),
        ("主导产品国内市场占有率（%）", "field", "market_share_domestic", "%", None),
        ("主导产品国内市场排名", "field", "market_rank_domestic", None, None),
        ("所在县（市、区）", "field", "county", None, None),
    ],
)
def test_headers(header, kind, key, unit, year):
    """Each header spelling resolves to the right field, unit and year in a 2026 round."""
    match = match_header(header, CATALOGUE, 2026)
    assert (match.kind, match.key, match.unit, match.year) == (kind, key, unit, year)


def test_a_header_takes_the_measure_words_its_cells_take():
    """A count column's header accepts exactly the measure words its cells accept: one table
    decides both, so a header never passes a unit that every cell under it would refuse."""
    from zjtx.intake.headers import UNIT_WORDS
    from zjtx.intake.values import CellError, make_converter

    counts = [s for s in CATALOGUE if s.unit and s.type.name in ("INT", "DECIMAL")]
    assert {s.unit for s in counts} >= {"人", "名", "项", "级", "分", "年"}
    for spec in counts:
        convert = make_converter(spec, None)
        for word in [
            w for w in UNIT_WORDS if w not in ("元", "千元", "万元", "百万元", "亿元", "%")
        ]:
            header_ok = match_header(f"{spec.label}（{word}）", CATALOGUE, 2026).kind != "bad-unit"
            try:
                convert(f"3{word}", False)
                cell_ok = True
            except CellError:
                cell_ok = False
            assert header_ok == cell_ok, (spec.key, word, header_ok, cell_ok)


def test_every_wording_a_notice_asks_a_question_in_is_read_as_that_field():
    """A file headed with the wording a bundled notice gives a question (2026: the incidents
    question of 2号 第十一条) is read as that field, not ignored as an unknown column."""
    from zjtx.scoring.notices import load_all_notices

    asked = {
        (key, label)
        for notice in load_all_notices()
        for change in notice.changes
        for key, label, _help in change.fields
        if label
    }
    assert ("major_incident_3y", CATALOGUE["major_incident_3y"].label) not in asked
    assert {key for key, _ in asked} >= {"major_incident_3y"}
    for key, label in sorted(asked):
        match = match_header(label, CATALOGUE, 2026)
        assert (match.kind, match.key) == ("field", key), label


@pytest.mark.parametrize(
    "header",
    [
        "近3年发生较大生产安全事故、重大网络和数据安全事件、重大环境违法行为、严重质量问题"
        "或严重违反相关行业管理规定",
        "近三年是否发生较大生产安全事故、重大网络和数据安全事件、重大环境违法行为、严重质量问题、"
        "严重违反相关行业管理规定",
        "近3年是否发生较大生产安全事故；重大网络和数据安全事件；重大环境违法行为；严重质量问题；"
        "严重违反相关行业管理规定",
        "近三年发生重大安全（含网络安全、数据安全、安全保密）、质量、环境污染等事故以及偷税漏税等"
        "违法违规行为",
        "近3年是否发生重大安全（含网络、数据安全）、质量、环境污染事故或偷漏税等违法违规行为",
    ],
)
def test_the_incidents_question_is_read_however_its_span_and_question_are_written(header):
    """近3年 or 近三年, 是否 after the span, 、 or ； between the items: the same question."""
    match = match_header(header, CATALOGUE, 2026)
    assert (match.kind, match.key) == ("field", "major_incident_3y")


@pytest.mark.parametrize("header", ["近三年是否股权融资", "近3年是否股权融资（是/否）"])
def test_a_yes_or_no_question_never_names_an_amount(header):
    """是否 after the span asks yes or no: it names no amount (近三年新增股权融资总额), whose
    cells would all be refused; the column stays unknown, to be mapped by hand."""
    assert match_header(header, CATALOGUE, 2026).kind == "unknown"
