"""Layouts consultants and districts send: key-value blocks, unit columns, relative years,
years as rows; each read into one applicant through `zjtx check --json`."""

import json
from decimal import Decimal

import pytest

from tests.intake.helpers import CODE_A, read, write_xlsx
from zjtx.cli import main

NAME = "福州闽江精密机械有限公司"


def check_json(path, capsys) -> dict:
    """`zjtx check FILE --year 2026 --json` in-process, its JSON parsed."""
    main(["check", str(path), "--year", "2026", "--json"])
    return json.loads(capsys.readouterr().out)


def consultant_rows(
    *,
    name_label="企业完整名称",
    order=("近三年", "近两年", "近一年"),
    anchor=2025,
    units=("万元", "元", "万元", "人", "亿元"),
    unit_header="单位",
):
    """The consultant's three-year sheet: key-value block on top, then the indicator table."""
    values = {  # oldest first: (y3, y2, y1) in 万元 (人 for staff)
        "营业收入": (Decimal("8000"), Decimal("9000"), Decimal("10500.5")),
        "主营业务收入": (Decimal("7800"), Decimal("8800"), Decimal("10000")),
        "研发费用": (Decimal("400"), Decimal("480"), Decimal("630.25")),
        "从业人员": (None, None, Decimal("120")),
        "资产总额": (None, None, Decimal("2.5")),
    }
    scale = {"万元": 1, "元": 10000, "亿元": Decimal("0.0001"), "人": 1}
    rows = [
        ["企业基本信息"],
        [name_label, NAME],
        ["统一社会信用代码", CODE_A],
        ["主导产品或核心产品", "数控精密轴承"],
        ["行业提示", "通用设备制造业"],
    ]
    if anchor is not None:
        rows.append(["近一年对应财务年度", anchor])
    rows.append([])
    rows.append(["指标", unit_header, *order, "口径说明"])
    position = {"近三年": 0, "近两年": 1, "近一年": 2}
    for (label, amounts), unit in zip(values.items(), units, strict=True):
        factor = scale[unit] if label != "资产总额" else 1
        cells = []
        for word in order:
            amount = amounts[position[word]]
            cells.append(None if amount is None else float(amount * factor))
        rows.append([label, unit, *cells, "按审计报告"])
    return rows


@pytest.mark.parametrize(
    "name_label", ["企业完整名称", "企业名称（盖章）", "申报单位", "单位名称", "申报企业全称"]
)
@pytest.mark.parametrize(
    "order", [("近三年", "近两年", "近一年"), ("近一年", "近两年", "近三年")], ids=["old", "new"]
)
def test_consultant_sheet_reads_into_one_applicant(tmp_path, capsys, name_label, order):
    """Key-value block + 指标|单位|近三年|近两年|近一年: one applicant, money in 万元, years right."""
    path = write_xlsx(
        tmp_path / "三年数据.xlsx", consultant_rows(name_label=name_label, order=order)
    )
    payload = check_json(path, capsys)
    assert len(payload["applicants"]) == 1, payload["issues"]
    values = payload["applicants"][0]
    assert values["name"] == NAME and values["uscc"] == CODE_A
    assert values["lead_product"] == "数控精密轴承"
    assert (values["revenue_y1"], values["revenue_y2"], values["revenue_y3"]) == (
        10500.5,
        9000,
        8000,
    )
    assert (values["main_revenue_y1"], values["main_revenue_y3"]) == (10000, 7800)  # from 元
    assert (values["rd_expense_y1"], values["rd_expense_y2"]) == (630.25, 480)
    assert values["employees_y1"] == 120
    assert values["total_assets_y1"] == 25000  # 2.5 亿元
    assert not [i for i in payload["issues"] if i["severity"] == "error"]
    where = payload["provenance"][0]["revenue_y1"]
    assert where["sheet"] == "名单" and where["cell"] == f"{'CDE'[order.index('近一年')]}9"
    assert "2025" in where["rule"] and where["raw"] == "10500.5"


def test_unit_column_converts_with_decimal_and_keeps_provenance(tmp_path):
    """Unit cells convert exactly; provenance names cell, raw text and the year rule."""
    rows = consultant_rows(units=("元", "元", "万元", "人", "亿元"))
    rows[-5][4] = "105,000,001.23"  # 近一年 revenue typed as text in 元
    rows.append(["净利润", "万元", None, None, None, "未填"])
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    result = read(path)
    applicant = result.applicants[0]
    assert applicant.values["revenue_y1"] == Decimal("10500.000123")
    where = applicant.provenance["revenue_y1"]
    assert (where.sheet, where.cell, where.raw) == ("名单", "E9", "105,000,001.23")
    assert "近一年" in where.rule and "2025" in where.rule and "A6" in where.rule
    # The unit column is never a value: a row with a unit but no amounts gives nothing.
    assert "net_profit_y1" not in applicant.values
    assert not [i for i in result.issues if str(i.severity) == "error"]


def test_anchor_year_conflicting_with_round_is_an_error_naming_both_cells(tmp_path):
    """近一年对应财务年度 2024 in a 2026 round: an error naming the anchor and the header."""
    path = write_xlsx(tmp_path / "c.xlsx", consultant_rows(anchor=2024))
    result = read(path)
    errors = [i for i in result.issues if i.code == "year-anchor-conflict"]
    assert len(errors) == 1 and "B6" in errors[0].message and "E8" in errors[0].message
    assert "2024" in errors[0].message and "2025" in errors[0].message
    assert not result.applicants  # blocked, not guessed


def test_chronological_note_with_newest_first_labels_is_ambiguous(tmp_path):
    """“按时间先后” over 近一年|近两年|近三年 contradicts itself: said, not guessed."""
    rows = consultant_rows(order=("近一年", "近两年", "近三年"), anchor=None)
    rows.insert(6, ["说明：各年度数据按时间先后排列"])
    result = read(write_xlsx(tmp_path / "c.xlsx", rows))
    codes = [i.code for i in result.issues if str(i.severity) == "error"]
    assert "year-order-ambiguous" in codes
    assert not result.applicants


def test_relative_years_without_anchor_follow_the_round(tmp_path):
    """Without an anchor 近一年 is the round's previous year, and the rule says so."""
    result = read(write_xlsx(tmp_path / "c.xlsx", consultant_rows(anchor=None)))
    applicant = result.applicants[0]
    assert applicant.values["revenue_y3"] == Decimal("8000")
    assert "2026" in applicant.provenance["revenue_y1"].rule


@pytest.mark.parametrize(
    ("label", "code"),
    [("近两年研发费用合计", "year-window"), ("近三年营业收入总额", "year-window"),
     ("近两年研发费用", "year-window-ambiguous")],
)  # fmt: skip
def test_window_labels_are_not_year_values(tmp_path, label, code):
    """“近两年研发费用合计” is a two-year total: not read as a year; ambiguous ones are said."""
    rows = [["企业名称", NAME], ["统一社会信用代码", CODE_A], [label, 900]]
    result = read(write_xlsx(tmp_path / "w.xlsx", rows))
    values = result.files[0].applicants[0].values if result.applicants else {}
    assert not any(key.startswith(("rd_expense", "revenue")) for key in values)
    issues = [i for i in result.issues if i.code == code]
    assert len(issues) == 1 and issues[0].cell == "A3" and label in issues[0].message


@pytest.mark.parametrize("shift", [0, 2])
def test_four_column_key_value_rows_and_label_above_value(tmp_path, shift):
    """单位名称|X|统一社会信用代码|Y rows, labels above values, dates and counts with 年."""
    pad = [None] * shift
    rows = [
        [*pad, "申报单位基本情况"],
        [*pad, "单位名称", NAME, "统一社会信用代码", CODE_A],
        [*pad, "成立时间", "2009年6月18日", "从事特定细分市场年限", "12年"],
        [],
        [*pad, "主导产品名称", "所属行业代码"],
        [*pad, "数控精密轴承", "C3451"],
    ]
    result = read(write_xlsx(tmp_path / "kv.xlsx", rows))
    assert len(result.applicants) == 1, [i.message for i in result.issues]
    values = result.applicants[0].values
    assert values["name"] == NAME and values["uscc"] == CODE_A
    assert str(values["founded"]) == "2009-06-18" and values["niche_years"] == Decimal(12)
    assert values["lead_product"] == "数控精密轴承" and values["industry_code"] == "C3451"
    assert result.applicants[0].provenance["lead_product"].cell == f"{'ABC'[shift]}6"


@pytest.mark.parametrize(
    "years", [(2025, 2024, 2023), ("2023年", "2024年", "2025年"), ("近一年", "近两年", "近三年")]
)
def test_years_as_rows_sheet_is_one_applicant(tmp_path, capsys, years):
    """年度 | 营业收入（万元） | ...: each row a year of one enterprise, not an enterprise."""
    amounts = {2025: (10500, 10000, 6302500), 2024: (9000, 8800, 4800000), 2023: (8000, 7800, 0)}
    calendar = {"近一年": 2025, "近两年": 2024, "近三年": 2023}
    rows = [
        ["企业名称（盖章）", NAME],
        ["统一社会信用代码", CODE_A],
        [],
        ["年度", "营业收入（万元）", "主营业务收入（万元）", "研发费用（元）", "从业人员（人）"],
    ]
    for year in years:
        real = calendar[year] if year in calendar else int(str(year)[:4])
        revenue, main_revenue, rd = amounts[real]
        rows.append([year, revenue, main_revenue, rd, 120 if real == 2025 else 110])
    payload = check_json(write_xlsx(tmp_path / "年度.xlsx", rows), capsys)
    assert payload["summary"]["total"]["rows_imported"] == 1, payload["issues"]
    values = payload["applicants"][0]
    assert (values["revenue_y1"], values["revenue_y2"], values["revenue_y3"]) == (10500, 9000, 8000)
    assert (values["rd_expense_y1"], values["rd_expense_y2"], values["rd_expense_y3"]) == (
        630.25,
        480,
        0,
    )
    assert values["employees_y1"] == 120
    assert not [i for i in payload["issues"] if i["severity"] == "error"]


def test_indicator_table_with_calendar_years_and_unit_column(tmp_path):
    """Calendar-year columns with a 计量单位 column: units per row, oldest first or not."""
    rows = [
        ["企业名称", NAME, "统一社会信用代码", CODE_A],
        ["项目", "计量单位", "2023年", "2024年", "2025年", "备注"],
        ["营业收入", "亿元", 0.8, 0.9, 1.05, ""],
        ["研发费用", "元", 4000000, 4800000, 6300000, ""],
    ]
    result = read(write_xlsx(tmp_path / "t.xlsx", rows))
    values = result.applicants[0].values
    assert (values["revenue_y1"], values["revenue_y3"]) == (Decimal("10500"), Decimal("8000"))
    assert values["rd_expense_y2"] == Decimal("480")


def test_bad_unit_cell_is_an_error_naming_the_cell(tmp_path):
    """A unit the field cannot take (营业收入 in 人) blocks with the unit cell named."""
    rows = consultant_rows(units=("人", "元", "万元", "人", "亿元"))
    result = read(write_xlsx(tmp_path / "u.xlsx", rows))
    issue = next(i for i in result.issues if i.code == "header-unit-invalid")
    assert issue.cell == "B9" and "人" in issue.message
