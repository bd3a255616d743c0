"""Roster workbooks: header detection, column mapping and value normalisation, quirk by quirk."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.intake.helpers import CODE_A, CODE_B, CODE_C, issue_tuples, read, write_xlsx


def test_header_below_title_rows_and_any_column_order(tmp_path):
    """The header is found under a merged title, columns in any order, by label, alias or key."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["2026年度专精特新中小企业申报名单"],
            ["填报单位：某某区工信局"],
            ["2025年营业收入（万元）", "社会信用代码", "申报企业名称", "revenue_y2", "所在市"],
            [1200.5, CODE_A, "南京甲科技有限公司", 1000, "南京市"],
        ],
        merges=("A1:E1",),
    )
    result = read(path)
    assert issue_tuples(result) == []
    [applicant] = result.applicants
    assert applicant.values == {
        "revenue_y1": Decimal("1200.5"),
        "uscc": CODE_A,
        "name": "南京甲科技有限公司",
        "revenue_y2": Decimal("1000"),
        "city": "南京市",
    }
    mapping = result.files[0].column_mapping
    assert [(m.header, m.field, m.unit, m.year, m.cell) for m in mapping] == [
        ("2025年营业收入（万元）", "revenue_y1", "万元", 2025, "A3"),
        ("社会信用代码", "uscc", None, None, "B3"),
        ("申报企业名称", "name", None, None, "C3"),
        ("revenue_y2", "revenue_y2", None, 2024, "D3"),
        ("所在市", "city", None, None, "E3"),
    ]


def test_two_row_header_with_merged_group_cell(tmp_path):
    """A merged 营业收入（万元） over 2023年/2024年/2025年 maps to _y3/_y2/_y1 in a 2026 round."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "营业收入（万元）", None, None, "研发人员（人）"],
            [None, None, "2023年", "2024年", "2025年", None],
            ["甲公司", CODE_A, 800, 900, 1000, 12],
        ],
        merges=("A1:A2", "B1:B2", "C1:E1", "F1:F2"),
    )
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert values["revenue_y3"] == Decimal(800)
    assert values["revenue_y2"] == Decimal(900)
    assert values["revenue_y1"] == Decimal(1000)
    assert values["rd_staff_y1"] == 12
    assert result.applicants[0].provenance["revenue_y1"].cell == "E3"
    cells = {m.field: m.cell for m in result.files[0].column_mapping}
    assert cells["revenue_y1"] == "E2"


@pytest.mark.parametrize("merged", [True, False])
def test_years_typed_as_numbers_in_a_header_read_like_written_years(tmp_path, merged):
    """2023 typed in Excel is a number: under a group title (merged or written once) and in a
    row of years over the field names, it reads as 2023年 does; a data row's numbers in the
    same range stay data."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "营业收入（万元）", None, None],
            [None, None, 2023, 2024, 2025],
            ["甲公司", CODE_A, 2019, 2020, 2100],
        ],
        merges=("A1:A2", "B1:B2", "C1:E1") if merged else (),
    )
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert [values[f"revenue_y{i}"] for i in (3, 2, 1)] == [2019, 2020, 2100]

    above = write_xlsx(
        tmp_path / "above.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", 2024, None, 2025, None],
            [
                None,
                None,
                None,
                "营业收入（万元）",
                "研发费用（万元）",
                "营业收入（万元）",
                "研发费用（万元）",
            ],
            [1, "甲公司", CODE_A, 1000, 50, 1200, 60],
        ],
        merges=("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1"),
    )
    result = read(above)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert (values["revenue_y2"], values["rd_expense_y2"]) == (1000, 50)
    assert (values["revenue_y1"], values["rd_expense_y1"]) == (1200, 60)

    # An enterprise's row is data even when its figures look like years under yearless headers.
    header = ["企业名称", "统一社会信用代码", "营业收入（万元）", "研发费用（万元）"]
    data = write_xlsx(tmp_path / "data.xlsx", [header, ["甲公司", CODE_A, 2025, 2024]])
    result = read(data)
    assert [a.uscc for a in result.applicants] == [CODE_A]
    assert [i.cell for i in result.issues if i.code == "header-year-missing"] == ["C1", "D1"]


def test_brackets_spaces_and_line_breaks_in_headers(tmp_path):
    """Full-width and half-width brackets, spaces and line breaks inside headers are ignored."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业 名称",
                "统一社会\n信用代码",
                "2025年\n营业收入 (万元)",
                "上年末 资产总额【万元】",
            ],
            ["甲公司", CODE_A, 100, 300],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == []
    assert result.applicants[0].values["revenue_y1"] == Decimal(100)
    assert result.applicants[0].values["total_assets_y1"] == Decimal(300)


def test_relative_year_words(tmp_path):
    """上年度/前年/大前年 headers map to _y1/_y2/_y3."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "上年度营业收入", "前年营业收入", "大前年营业收入"],
            ["甲公司", CODE_A, 300, 200, 100],
        ],
    )
    values = read(path).applicants[0].values
    assert (values["revenue_y1"], values["revenue_y2"], values["revenue_y3"]) == (
        Decimal(300),
        Decimal(200),
        Decimal(100),
    )


def test_year_outside_round_is_a_warning_naming_the_header(tmp_path):
    """A 2022年 column in a 2026 round is a warning at its header and is not imported; the
    row is (the column alone is left out)."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2022年营业收入（万元）", "2025年营业收入（万元）"],
            ["甲公司", CODE_A, 50, 100],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("C1", None, "year-out-of-round", "warning")]
    assert result.applicants[0].values["revenue_y1"] == Decimal(100)
    assert "revenue_y3" not in result.applicants[0].values


def test_units_from_headers_convert_to_wan_yuan(tmp_path):
    """元 and 亿元 columns are converted to 万元; 万元 stays."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "2025年营业收入（元）",
                "2025年研发费用（万元）",
                "上年末资产总额（亿元）",
            ],
            ["甲公司", CODE_A, 12345678, 80.5, 1.25],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert values["revenue_y1"] == Decimal("1234.5678")
    assert str(values["revenue_y1"]) == "1234.5678"
    assert values["rd_expense_y1"] == Decimal("80.5")
    assert values["total_assets_y1"] == Decimal(12500)
    assert result.applicants[0].provenance["revenue_y1"].raw == "12345678"


def test_number_texts_thousands_fullwidth_units_and_parentheses(tmp_path):
    """ "1,200.50", full-width digits, "1,200万元", "(35.5)" and "3.5亿" read exactly."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "2025年营业收入（元）",
                "2024年营业收入（万元）",
                "2023年营业收入（万元）",
                "上年度净利润（万元）",
                "上年末资产总额（万元）",
            ],
            ["甲公司", CODE_A, "1,200万元", "１，２００.５０", "1,200.50", "(35.5)", "3.5亿"],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert values["revenue_y1"] == Decimal(1200)
    assert values["revenue_y2"] == Decimal("1200.5")
    assert values["revenue_y3"] == Decimal("1200.5")
    assert values["net_profit_y1"] == Decimal("-35.5")
    assert values["total_assets_y1"] == Decimal(35000)


def test_ticked_boxes_give_the_ticked_option(tmp_path):
    """A form's row of boxes gives the option ticked, whichever mark and side: ☑新申报 □复核,
    ■是 □否, 是√ 否, √是 否, ☒是 ☐否, 是□ 否☑, and þ/¨ (Wingdings' boxes without their font);
    none ticked, two ticked, or a ticked word that is no option, is refused saying so; a level
    is ticked the same way (□一级 ☑二级)."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "申报类型", "是否高新技术企业", "数字化水平等级"]
    cells = [
        ["☑新申报 □复核", "■是 □否", "□一级 ☑二级 □三级"],
        ["□新申报 ☑复核", "是√ 否", ""],
        ["☐ 新申报  ☒ 复核", "√是 否", ""],
        ["新申报□ 复核☑", "☒是 ☐否", ""],
        ["□新申报 □复核", "是□ 否☑", "□一级 □二级"],
        ["☑新申报 ☑复核", "■是 □否", ""],
        ["☑新申报 □复核", "☑其他 □否", ""],
        ["þ新申报 ¨复核", "¨是 þ否", ""],
    ]
    rows = [[f"公司{i}", valid_uscc(8500 + i), *row] for i, row in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    got = [
        (a.values.get("application_type"), a.values.get("high_tech_enterprise"))
        for a in result.applicants
    ]
    assert got == [
        ("new", True), ("renewal", True), ("renewal", True), ("renewal", True), ("new", False)
    ]  # fmt: skip
    levels = [a.values.get("digital_level") for a in result.applicants]
    assert levels == [2, None, None, None, None]
    assert issue_tuples(result) == [
        ("C6", "application_type", "value-unreadable", "error"),
        ("E6", "digital_level", "value-unreadable", "error"),
        ("C7", "application_type", "value-unreadable", "error"),
        ("D8", "high_tech_enterprise", "value-unreadable", "error"),
    ]
    messages = [issue.message for issue in result.issues if issue.severity == "error"]
    assert "“□新申报 □复核”没有勾选任何一项" in messages[0]
    assert "勾选了不止一项（新申报、复核）" in messages[2]
    assert "勾选的“其他”" in messages[3]
    notes = [i.message for i in result.issues if i.code == "value-read-as"]
    assert "申报类型：“☑新申报 □复核”读作“新申报”" in notes[0]
    assert "有效期内的高新技术企业：“■是 □否”读作“是”" in notes[1]
    assert "数字化水平等级：“□一级 ☑二级 □三级”读作“2级”" in notes[2]


def test_losses_as_accountants_and_word_write_them(tmp_path):
    """A loss written 亏损120, 负120, △120 (the accountant's mark), or with the minus sign or
    dash Word's autocorrect puts in (−120, –120) reads as -120, like -120 and (120)."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "上年度净利润（万元）"]
    cells = ["亏损120", "负120", "△120", "−120", "–120", "亏损 1,200.5万元", "-120"]
    rows = [[f"公司{i}", valid_uscc(8400 + i), cell] for i, cell in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    assert issue_tuples(result) == []
    profits = [a.values.get("net_profit_y1") for a in result.applicants]
    assert profits == [-120, -120, -120, -120, -120, Decimal("-1200.5"), -120]


def test_counts_written_with_the_usual_measure_word_read_as_counts(tmp_path):
    """People counted in 名 (从业人员 120 名), intellectual property in 件 or 个 (专利 3 件) and a
    rank in 位 (第3位), as applicants write them, are counts like 120 人, 3 项 and 第3名; a
    measure word of something else (120 项 people, 3 人 patents) is still refused, naming
    the cell."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "上年末从业人员", "研发人员", "Ⅰ类知识产权"]
    header.append("主导产品国内细分市场排名")

    def roster(name: str, first_code: int, cells: list[list[str]]) -> Path:
        rows = [[f"公司{i}", valid_uscc(first_code + i), *row] for i, row in enumerate(cells)]
        return write_xlsx(tmp_path / name, [header, *rows])

    good = [
        ["120名", "20 名", "3件", "第3位"],
        ["120 人", "20人", "4 个", "3位"],
        ["１２０名", "0名", "5 项", "第3名"],
    ]
    result = read(roster("r.xlsx", 9000, good))
    assert issue_tuples(result) == []
    assert [
        (a.values["employees_y1"], a.values["rd_staff_y1"], a.values["ip1_total"])
        for a in result.applicants
    ] == [(120, 20, 3), (120, 20, 4), (120, 0, 5)]
    assert [a.values["market_rank_domestic"] for a in result.applicants] == [3, 3, 3]

    bad = [
        ["120项", "20人", "3件", "3名"],
        ["120人", "20人", "3人", "3名"],
        ["120人", "20 件", "3项", "3名"],
    ]
    result = read(roster("r2.xlsx", 9100, bad))
    assert issue_tuples(result) == [
        ("C2", "employees_y1", "value-unreadable", "error"),
        ("E3", "ip1_total", "value-unreadable", "error"),
        ("D4", "rd_staff_y1", "value-unreadable", "error"),
    ]
    assert "“120项”的单位不对" in result.issues[0].message


def test_percent_cells_strings_and_plain_numbers_all_mean_the_same(tmp_path):
    """A 12.5% formatted cell, the text "12.5%" and 12.5 under a % header all give 12.5."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "全国细分市场占有率（%）"],
            ["甲公司", CODE_A, 0.125],
            ["乙公司", CODE_B, "12.5%"],
            ["丙公司", CODE_C, 12.5],
        ],
        formats={"C2": "0.0%"},
    )
    result = read(path)
    assert issue_tuples(result) == []
    assert [a.values["market_share_domestic"] for a in result.applicants] == [Decimal("12.5")] * 3


def test_booleans_in_every_spelling(tmp_path):
    """是/否/有/无/√/×/Y/N/TRUE/FALSE and Excel booleans read as True or False."""
    words = ["是", "否", "有", "无", "√", "×", "Y", "N", "TRUE", "false", True, False]
    rows = [["企业名称", "统一社会信用代码", "是否高新技术企业"]]
    from zjtx.intake.synthetic import valid_uscc

    for index, word in enumerate(words):
        rows.append([f"公司{index}", valid_uscc(5000 + index), word])
    result = read(write_xlsx(tmp_path / "r.xlsx", rows))
    assert issue_tuples(result) == []
    assert [a.values["high_tech_enterprise"] for a in result.applicants] == [
        True, False, True, False, True, False, True, False, True, False, True, False,
    ]  # fmt: skip


def test_enumerations_by_chinese_label_alias_or_code(tmp_path):
    """Enumerations accept the Chinese label, an alias and the code."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "申报类型", "研发机构级别", "划型行业"],
            ["甲公司", CODE_A, "复核", "省部级", "工业"],
            ["乙公司", CODE_B, "new", "国家级", "software"],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == []
    assert [
        (a.values["application_type"], a.values["rd_institution_level"], a.values["size_sector"])
        for a in result.applicants
    ] == [("renewal", "provincial", "industry"), ("new", "national", "software")]


def test_dates_as_cells_serials_and_texts(tmp_path):
    """Date cells, Excel serials, 2019年3月, 2019-03-01 and 2019.3 are dates."""
    from zjtx.intake.synthetic import valid_uscc

    entries = [date(2019, 3, 1), 43525, "2019年3月", "2019-03-01", "2019.3", "2019/3/1"]
    rows = [["企业名称", "统一社会信用代码", "成立日期"]]
    for index, entry in enumerate(entries):
        rows.append([f"公司{index}", valid_uscc(6000 + index), entry])
    result = read(write_xlsx(tmp_path / "r.xlsx", rows))
    assert issue_tuples(result) == []
    assert [a.values["founded"] for a in result.applicants] == [date(2019, 3, 1)] * 6


def test_a_founding_date_before_1900_or_after_today_is_refused(tmp_path):
    """成立日期 0001-01-01, 1899-12-31, a typed 2107 for 2017 and 9999-12-31 cannot be right:
    each is an error naming the cell; 1900-01-01 and today are read."""
    from zjtx.intake.synthetic import valid_uscc

    entries = ["0001-01-01", "1899-12-31", "2107-02-11", "9999-12-31", "1900-01-01"]
    entries.append(date.today().isoformat())
    rows = [["企业名称", "统一社会信用代码", "成立日期"]]
    for index, entry in enumerate(entries):
        rows.append([f"公司{index}", valid_uscc(6100 + index), entry])
    result = read(write_xlsx(tmp_path / "r.xlsx", rows))
    assert issue_tuples(result) == [
        (f"C{row}", "founded", "value-out-of-range", "error") for row in (2, 3, 4, 5)
    ]
    assert "成立日期为 2107-02-11，晚于今天" in result.issues[2].message
    assert "成立日期为 1899-12-31，早于 1900 年" in result.issues[1].message
    assert [a.values["founded"] for a in result.applicants] == [date(1900, 1, 1), date.today()]


def test_placeholders_mean_unknown_and_none_means_zero_only_for_counts(tmp_path):
    """Empty, "—" and "/" are unknown; 无 is 0 for counts (研发人员) but unknown for 营业收入."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "2025年营业收入",
                "2024年营业收入",
                "研发人员",
                "I类知识产权",
            ],
            ["甲公司", CODE_A, "—", "无", "无", "/"],
            ["乙公司", CODE_B, None, "/", 0, "无"],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == []
    first, second = (a.values for a in result.applicants)
    assert "revenue_y1" not in first and "revenue_y2" not in first and "ip1_total" not in first
    assert first["rd_staff_y1"] == 0
    assert "revenue_y1" not in second and "revenue_y2" not in second
    assert second["rd_staff_y1"] == 0 and second["ip1_total"] == 0


def test_uncalculated_formula_is_an_error_naming_the_cell(tmp_path):
    """A formula without a cached value blocks the row with the 公式未计算 message."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2024年营业收入（万元）"],
            ["甲公司", CODE_A, "=D2*1.1", 100],
            ["乙公司", CODE_B, 200, 100],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("C2", "revenue_y1", "formula-not-calculated", "error")]
    assert "公式未计算：请在 Excel 或 WPS 中打开并保存后再导入" in result.issues[0].message
    assert result.issues[0].uscc == CODE_A
    assert [a.uscc for a in result.applicants] == [CODE_B]


def test_hidden_columns_are_read_and_unknown_columns_reported(tmp_path):
    """A hidden column is read (info); an unknown column is a warning at its header."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "联系人", "2025年营业收入（万元）"],
            ["甲公司", CODE_A, "张三", 500],
        ],
        hidden_columns=("D",),
    )
    result = read(path)
    assert issue_tuples(result, include_info=True) == [
        ("C1", None, "column-ignored", "warning"),
        ("D1", "revenue_y1", "column-hidden", "info"),
    ]
    assert result.applicants[0].values["revenue_y1"] == Decimal(500)
    [hidden] = [m for m in result.files[0].column_mapping if m.hidden]
    assert hidden.field == "revenue_y1"


def test_money_column_without_unit_is_read_as_wan_yuan_with_info(tmp_path):
    """A money header without a unit is read in 万元 and says so."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [["企业名称", "统一社会信用代码", "2025年营业收入"], ["甲公司", CODE_A, 500]],
    )
    result = read(path)
    assert issue_tuples(result, include_info=True) == [("C1", "revenue_y1", "unit-assumed", "info")]


def test_blank_rows_total_rows_and_trailing_space_are_accounted(tmp_path):
    """Blank rows inside the data count as blank, 合计 rows are skipped, trailing ones ignored."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", "2025年营业收入（万元）"],
            [1, "甲公司", CODE_A, 100],
            [2, None, None, None],
            [3, "乙公司", CODE_B, 200],
            [None, "合计", None, 300],
            [None, None, None, None],
        ],
    )
    result = read(path)
    summary = result.summary["files"][0]
    assert (summary["rows_total"], summary["rows_imported"], summary["rows_blank"]) == (4, 2, 2)
    assert issue_tuples(result, include_info=True) == [("B5", None, "total-row-skipped", "info")]


def test_total_rows_are_skipped_wherever_their_word_is_written(tmp_path):
    """A 合计 row is skipped whether its word sits in the 序号 column (merged across), in the
    name column with a count (合计（2家）) or with a colon (小计：); a name that merely starts
    with such a word is an enterprise."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["序号", "企业名称", "统一社会信用代码", "2025年营业收入（万元）"],
            [1, "甲公司", CODE_A, 100],
            [2, "合计软件有限公司", CODE_B, 200],
            ["合计", None, None, 300],
            [None, "合计（2家）", None, 300],
            [None, "小计：", None, 300],
        ],
        merges=("A4:C4",),
    )
    result = read(path)
    assert [a.values["name"] for a in result.applicants] == ["甲公司", "合计软件有限公司"]
    assert issue_tuples(result, include_info=True) == [
        ("A4", None, "total-row-skipped", "info"),
        ("B5", None, "total-row-skipped", "info"),
        ("B6", None, "total-row-skipped", "info"),
    ]


def test_a_value_merged_down_several_rows_belongs_to_each(tmp_path):
    """所在区县, 申报类型 and 是否高新技术企业 merged over three enterprises' rows give each of them
    the value, with a note naming the merged range; a merged name or figure is not copied."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "所在区县",
                "申报类型",
                "是否高新技术企业",
                "上年度营业收入",
            ],
            ["甲公司", CODE_A, "江宁区", "新申报", "是", 100],
            ["乙公司", CODE_B, None, None, None, None],
            ["丙公司", CODE_C, None, None, "否", 80],
            [None, None, None, None, None, None],
        ],
        merges=("C2:C5", "D2:D4", "E2:E3", "F2:F3"),
    )
    result = read(path)
    got = [
        (
            a.values.get("county"),
            a.values.get("application_type"),
            a.values.get("high_tech_enterprise"),
        )
        for a in result.applicants
    ]
    assert got == [("江宁区", "new", True), ("江宁区", "new", True), ("江宁区", "new", False)]
    assert result.applicants[1].provenance["county"].cell == "C3"
    # A figure merged over two enterprises is the block's: not copied to the second.
    assert [a.values.get("revenue_y1") for a in result.applicants] == [100, None, 80]
    notes = [i for i in result.issues if i.code == "value-from-merged-cell"]
    assert [(i.cell, i.severity) for i in notes] == [
        ("C2:C5", "info"), ("D2:D4", "info"), ("E2:E3", "info")
    ]  # fmt: skip
    assert "合并单元格 C2:C5 的“江宁区”用于第 2–5 行的所在区县" in notes[0].message
    assert result.summary["files"][0]["rows_imported"] == 3


def test_a_figure_merged_over_several_enterprises_is_flagged_on_each(tmp_path):
    """An amount merged over two enterprises' rows may be either one's or their sum: it is read
    as the first row's, and both enterprises get a warning at the figure naming the range."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "上年度营业收入"],
            ["甲公司", CODE_A, 100],
            ["乙公司", CODE_B, None],
            ["丙公司", CODE_C, 80],
        ],
        merges=("C2:C3",),
    )
    result = read(path)
    assert [a.values.get("revenue_y1") for a in result.applicants] == [100, None, 80]
    assert issue_tuples(result) == [
        ("C2", "revenue_y1", "figure-in-merged-cell", "warning"),
        ("C3", "revenue_y1", "figure-in-merged-cell", "warning"),
    ]
    first, second = [i for i in result.issues if i.code == "figure-in-merged-cell"]
    assert (first.uscc, second.uscc) == (CODE_A, CODE_B)
    assert "合并单元格 C2:C3 的“100”跨第 2–3 行，只读作第 2 行企业的数值" in first.message
    assert "本行在合并单元格 C2:C3 内，其“100”只读作第 2 行企业的数值，本行此项为空" in (
        second.message
    )
    assert result.summary["files"][0]["rows_imported"] == 3

    # Over one enterprise and its total row, a blank row, or a placeholder: nothing to warn.
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            ["企业名称", "统一社会信用代码", "上年度营业收入", "上年度研发费用"],
            ["甲公司", CODE_A, 100, "-"],
            ["乙公司", CODE_B, 90, None],
            ["合计", None, 190, None],
            [None, None, None, None],
        ],
        merges=("C3:C4", "D2:D3", "C5:C6"),
    )
    assert not [i for i in read(path).issues if i.code == "figure-in-merged-cell"]


def test_a_value_merged_across_several_fields_is_flagged(tmp_path):
    """A value merged across the columns of several fields (1200 over 2025年 and 2024年营业收入,
    无 over two patent counts) is read as the first field's, and the row gets a warning naming
    the fields left empty; a block merged down as well is read down its first column."""
    header = ["企业名称", "统一社会信用代码", "上年度营业收入", "前年营业收入"]
    header += ["一类知识产权", "二类知识产权", "所在区县", "申报类型"]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            header,
            ["甲公司", CODE_A, 1200, None, "无", None, "江宁区", None],
            ["乙公司", CODE_B, 1300, 1100, 2, 3, None, None],
            ["丙公司", CODE_C, 900, 800, 1, 1, "玄武区", "新申报"],
        ],
        merges=("C2:D2", "E2:F2", "G2:H3"),
    )
    result = read(path)
    got = [
        [a.values.get(k) for k in ("revenue_y1", "revenue_y2", "county", "application_type")]
        for a in result.applicants
    ]
    assert got == [[1200, None, "江宁区", None], [1300, 1100, "江宁区", None],
                   [900, 800, "玄武区", "new"]]  # fmt: skip
    across = [i for i in result.issues if i.code == "value-across-columns"]
    assert [(i.cell, i.field, i.severity, i.uscc) for i in across] == [
        ("C2", "revenue_y1", "warning", CODE_A),
        ("E2", "ip1_total", "warning", CODE_A),
        ("G2", "county", "warning", CODE_A),
    ]
    assert (
        "合并单元格 C2:D2 的“1200”跨上年度营业收入、前年营业收入 2 栏，只读作上年度营业收入；"
        "前年营业收入为空" in across[0].message
    )
    assert result.summary["files"][0]["rows_imported"] == 3


@pytest.mark.parametrize(
    ("note", "merges"),
    [
        ("金额单位：元", ("A2:E2",)),
        ("填报单位：江宁区工信局　　　　单位：元、人", ("A2:E2",)),
        ("（单位：元）", ()),
        ("单位：人、元", ()),
        ("单位：家，个，元", ()),
    ],
)
def test_a_unit_note_above_the_header_gives_money_columns_their_unit(tmp_path, note, merges):
    """A note above the header (金额单位：元, merged across the table or not) is the unit of
    every money column whose header names none, with a note naming where it was read; a
    column that names its own unit keeps it."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["2026年专精特新中小企业申报汇总表"],
            [note],
            ["序号", "企业名称", "统一社会信用代码", "2025年营业收入", "2025年研发费用（万元）"],
            [1, "甲公司", CODE_A, 12_000_000, 150],
        ],
        merges=merges,
    )
    result = read(path)
    values = result.applicants[0].values
    assert (values["revenue_y1"], values["rd_expense_y1"]) == (1200, 150)
    assert issue_tuples(result, include_info=True) == [
        ("D3", "revenue_y1", "unit-from-note", "info")
    ]
    assert f"按表头上方 A2 的“{note}”读作元" in result.issues[0].message


def test_answers_as_applicants_write_them(tmp_path):
    """The answers applicants write read as a careful reader would: 未列入/已列入, 不属于,
    已认定/未认定, 是的/不是 and ☑ as yes or no (是（2022年到期） is refused: its note may undo
    it); a level in Chinese or
    Roman numerals (三级, 第二级, Ⅳ级); a rank as words (第三名) or the field's own words for
    none (未进入排名, 未排名); 区级 as 市级以下; 不适用 and 无数据 as unknown; and the code
    column under 社会统一信用代码 or 统一社会信用代码/注册号."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "社会统一信用代码", "是否列入经营异常名录", "是否高新技术企业"]
    header += ["数字化水平等级", "主导产品国内细分市场排名", "研发机构级别", "研发人员"]
    cells = [
        ["未列入", "已认定", "三级", "第三名", "区级", "不适用"],
        ["已列入", "未认定", "第二级", "未进入排名", "县级", "无数据"],
        ["不是", "是的", "Ⅳ级", "未排名", "市级", 12],
        ["否", "☑", "一级", "3", "省级", 5],
    ]
    rows = [[f"公司{i}", valid_uscc(8000 + i), *row] for i, row in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    assert issue_tuples(result) == []
    keys = ["abnormal_operation", "high_tech_enterprise", "digital_level"]
    keys += ["market_rank_domestic", "rd_institution_level", "rd_staff_y1"]
    assert [[a.values.get(k) for k in keys] for a in result.applicants] == [
        [False, True, 3, 3, "below", None],
        [True, False, 2, 0, "below", None],
        [False, True, 4, 0, "municipal", 12],
        [False, True, 1, 3, "provincial", 5],
    ]

    header = ["企业名称", "统一社会信用代码/注册号", "是否高新技术企业"]
    result = read(write_xlsx(tmp_path / "t.xlsx", [header, ["甲公司", CODE_A, "是（2022年到期）"]]))
    assert [m.field for m in result.files[0].column_mapping][:2] == ["name", "uscc"]
    assert issue_tuples(result) == [("C2", "high_tech_enterprise", "value-unreadable", "error")]
    assert "“是（2022年到期）”带有说明，说明可能改变回答" in result.issues[0].message


def test_a_tied_rank_is_that_rank(tmp_path):
    """并列第三, 第3名（并列） and 并列第2名 read as ranks 3, 3 and 2 (并列第三 meets 位居全球前3位;
    it refused the whole enterprise); 并列 alone is still no rank."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "申请产品全球市场占有率排名"]
    ranks = ["并列第三", "第3名（并列）", "并列第2名", "并列"]
    rows = [[f"公司{i}", valid_uscc(8100 + i), rank] for i, rank in enumerate(ranks)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    assert [a.values.get("market_rank_global") for a in result.applicants] == [3, 3, 2]
    assert issue_tuples(result) == [("C5", "market_rank_global", "value-unreadable", "error")]


def test_amounts_with_a_currency_sign(tmp_path):
    """An amount typed with the yuan's sign or name (¥1,234.50, ￥900, 人民币 800万元, RMB 700)
    is that amount in the column's unit, or in the unit it writes; ¥ - (the accounting
    format's zero) is 0; a foreign currency ($100, 100美元) is refused, saying it must be
    converted."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"]
    cells = ["¥1,234.50", "￥900", "人民币 800万元", "RMB 700", "¥ -", "人民币：600万元"]
    cells += ["$100", "USD 100", "100万美元"]
    rows = [[f"公司{i}", valid_uscc(8200 + i), cell] for i, cell in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    amounts = [a.values.get("revenue_y1") for a in result.applicants]
    assert amounts == [Decimal("1234.5"), 900, 800, 700, 0, 600]
    assert issue_tuples(result) == [
        (f"C{r}", "revenue_y1", "value-unreadable", "error") for r in (8, 9, 10)
    ]
    assert all("外币" in issue.message for issue in result.issues)


def test_research_institution_written_out_gives_its_level(tmp_path):
    """研发机构级别 written as the institution (省级工程技术研究中心) reads as its level, with a
    note; with several institutions the field takes the highest, as it is defined; 省级以上,
    an institution without a level, and a level before something that is no institution
    (省级申报中, 国家级高新技术企业) are refused."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "研发机构级别"]
    cells = [
        "省级工程技术研究中心",
        "国家级企业技术中心",
        "市级工程研究中心、省级企业技术中心",
        "区级研发中心",
        "省部级重点实验室",
        "省级以上",
        "企业技术中心",
        "省级申报中",
        "国家级高新技术企业",
    ]
    rows = [[f"公司{i}", valid_uscc(8300 + i), cell] for i, cell in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    levels = [a.values.get("rd_institution_level") for a in result.applicants]
    assert levels == ["provincial", "national", "provincial", "below", "provincial"]
    assert issue_tuples(result) == [
        (f"C{r}", "rd_institution_level", "value-unreadable", "error") for r in (7, 8, 9, 10)
    ]
    notes = [i for i in result.issues if i.code == "value-read-as"]
    assert [i.cell for i in notes] == ["C2", "C3", "C4", "C5", "C6"]
    assert "研发机构级别：“市级工程研究中心、省级企业技术中心”读作“省级”" in notes[2].message


def test_ranks_beyond_ten_in_chinese_numerals(tmp_path):
    """A rank written in Chinese numerals past ten (十一名, 第二十名, 三十五位) reads as its
    number; words that are no numeral (十十名) are refused."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "主导产品国内细分市场排名"]
    cells = ["十一名", "第二十名", "三十五位", "第十名", "九十九", "十十名"]
    rows = [[f"公司{i}", valid_uscc(8100 + i), cell] for i, cell in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    ranks = [a.values.get("market_rank_domestic") for a in result.applicants]
    assert ranks == [11, 20, 35, 10, 99]
    assert issue_tuples(result) == [("C7", "market_rank_domestic", "value-unreadable", "error")]


def test_unreadable_values_block_the_row_and_name_the_cell(tmp_path):
    """Text in a money, date, enum or bool cell is an error at that cell; other rows import."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "2025年营业收入（万元）",
                "成立日期",
                "申报类型",
                "是否高新技术企业",
                "研发人员（人）",
            ],
            ["甲公司", CODE_A, "约一千万", "去年", "重新申报", "可能", 3.5],
            ["乙公司", CODE_B, 100, "2019-03-01", "新申报", "是", 4],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("C2", "revenue_y1", "value-unreadable", "error"),
        ("D2", "founded", "value-unreadable", "error"),
        ("E2", "application_type", "value-unreadable", "error"),
        ("F2", "high_tech_enterprise", "value-unreadable", "error"),
        ("G2", "rd_staff_y1", "value-not-integer", "error"),
    ]
    assert all(issue.uscc == CODE_A for issue in result.issues)
    assert [a.uscc for a in result.applicants] == [CODE_B]
    assert result.files[0].rows_blocked == 1
    assert [a.uscc for a in result.files[0].blocked_applicants] == [CODE_A]


def test_same_field_twice_must_agree(tmp_path):
    """The same field in two columns (元 and 万元) is fine when equal and an error when not."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（元）", "2025年营业收入（万元）"],
            ["甲公司", CODE_A, 12000000, 1200],
            ["乙公司", CODE_B, 12000000, 1300],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("D3", "revenue_y1", "conflicting-values", "error")]
    assert result.applicants[0].values["revenue_y1"] == Decimal(1200)


def test_provenance_keeps_file_sheet_cell_and_raw_text(tmp_path):
    """Every value records where it was read and the raw text as typed."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [["企业名称", "统一社会信用代码", "2025年营业收入（元）"], ["甲公司", CODE_A, "1,200万元"]],
        title="申报名单",
    )
    applicant = read(path).applicants[0]
    prov = applicant.provenance["revenue_y1"]
    assert (prov.file, prov.sheet, prov.cell, prov.raw) == ("r.xlsx", "申报名单", "C2", "1,200万元")
    assert applicant.source.cell == "2:2"


def test_uscc_stored_as_number_is_an_error(tmp_path):
    """A 统一社会信用代码 stored as a number (digits lost) is an error, not a missing code."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [["企业名称", "统一社会信用代码"], ["甲公司", 913201150000011930.0]],
    )
    result = read(path)
    assert issue_tuples(result) == [("B2", "uscc", "uscc-as-number", "error")]


def test_uscc_shown_in_scientific_notation_says_the_digits_are_lost(tmp_path):
    """A code typed or pasted as Excel showed it (9.13201E+17) is text whose digits are gone:
    it gets the as-number message, not a length error."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [["企业名称", "统一社会信用代码"], ["甲公司", "9.13201E+17"], ["乙公司", "9.1320115e17"]],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("B2", "uscc", "uscc-as-number", "error"),
        ("B3", "uscc", "uscc-as-number", "error"),
    ]
    assert "科学计数法" in result.issues[0].message and "9.13201E+17" in result.issues[0].message


def test_lowercase_uscc_is_read_in_capitals_with_a_note(tmp_path):
    """A code written in small letters is the same code: it is read in capitals, checked, and
    the cell gets a note naming both spellings; a wrong code in small letters is still wrong."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码"],
            ["甲公司", CODE_A.lower()],
            ["乙公司", CODE_B[:17] + ("x" if CODE_B[17] != "X" else "y")],
        ],
    )
    result = read(path)
    assert [a.values["uscc"] for a in result.applicants] == [CODE_A]
    assert issue_tuples(result, include_info=True) == [
        ("B2", "uscc", "uscc-lowercase", "info"),
        ("B3", "uscc", "uscc-lowercase", "info"),
        ("B3", "uscc", "uscc-check-character", "error"),
    ]
    note = result.issues[0].message
    assert CODE_A.lower() in note and CODE_A in note


def test_code_with_a_note_or_separators_is_the_code(tmp_path):
    """A code followed by a note in brackets (…（三证合一）), printed in groups (913201-150000-…)
    or typed after Excel's text apostrophe ('9132…) is the 18-character code, with a note;
    other text around a code is still refused."""
    grouped = f"{CODE_B[:6]}-{CODE_B[6:12]}-{CODE_B[12:]}"
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码"],
            ["甲公司", f"{CODE_A}（三证合一）"],
            ["乙公司", grouped],
            ["丙公司", f"代码{CODE_C}"],
            ["丁公司", f"'{CODE_C}"],
        ],
    )
    result = read(path)
    assert [a.values["uscc"] for a in result.applicants] == [CODE_A, CODE_B, CODE_C]
    assert issue_tuples(result, include_info=True) == [
        ("B2", "uscc", "uscc-tidied", "info"),
        ("B3", "uscc", "uscc-tidied", "info"),
        ("B4", "uscc", "uscc-length", "error"),
        ("B5", "uscc", "uscc-tidied", "info"),
    ]
    assert f"读作“{CODE_A}”" in result.issues[0].message


def test_code_typed_with_a_space_inside_is_read_and_said(tmp_path):
    """A code with a full-width or plain space inside (913303003132…　79XL) is the code, with
    the same 提示 as a code in groups (a space is not part of it)."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码"],
            ["甲公司", f"{CODE_A[:14]}\u3000{CODE_A[14:]}"],
            ["乙公司", f"{CODE_B[:9]} {CODE_B[9:]}"],
            ["丙公司", CODE_C],
        ],
    )
    result = read(path)
    assert [a.values["uscc"] for a in result.applicants] == [CODE_A, CODE_B, CODE_C]
    assert issue_tuples(result, include_info=True) == [
        ("B2", "uscc", "uscc-tidied", "info"),
        ("B3", "uscc", "uscc-tidied", "info"),
    ]


def test_excel_error_values_are_errors_not_blanks(tmp_path):
    """A cell holding #N/A or #DIV/0! is an error naming the cell, never an unknown value."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "所在市"],
            ["甲公司", CODE_A, "#DIV/0!", "#N/A"],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("C2", "revenue_y1", "cell-error-value", "error"),
        ("D2", "city", "cell-error-value", "error"),
    ]
    assert "#DIV/0!" in result.issues[0].message


def test_calculated_formula_is_read_from_its_cached_value(tmp_path):
    """A formula saved by Excel with its result is read like a number (not an error)."""
    import zipfile

    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2024年营业收入（万元）"],
            ["甲公司", CODE_A, "=D2*1.1", 100],
        ],
    )
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v />" in data or b"<v></v>" in data
                data = data.replace(b"<v />", b"<v>110</v>").replace(b"<v></v>", b"<v>110</v>")
            target.writestr(item, data)
    result = read(saved)
    assert issue_tuples(result) == []
    assert result.applicants[0].values["revenue_y1"] == Decimal(110)


def test_hidden_sheet_with_a_roster_is_read_and_other_sheets_reported(tmp_path):
    """A roster in a hidden sheet is read, saying so; a sheet without a header is reported as
    info."""
    import openpyxl

    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "封面"
    notes["A1"] = "某某区 2026 年申报材料"
    data = workbook.create_sheet("数据")
    data.append(["企业名称", "统一社会信用代码"])
    data.append(["甲公司", CODE_A])
    data.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    workbook.save(path)
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A]
    assert [(i.code, i.severity) for i in result.issues] == [
        ("sheet-skipped", "info"),
        ("sheet-hidden", "info"),
    ]
    assert "封面" in result.issues[0].message
    assert "工作表“数据”在工作簿中被隐藏，其中的名单已照常读取" in result.issues[1].message


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_hidden_rows_are_read_with_a_note(tmp_path, kind):
    """Rows hidden in the workbook, by hand or by a filter, hold enterprises as sent: each is
    read, and one note for the sheet names the hidden rows read."""
    rows = [["企业名称", "统一社会信用代码"], ["甲公司", CODE_A], ["乙公司", CODE_B]]
    rows.append(["丙公司", CODE_C])
    if kind == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        sheet.auto_filter.ref = "A1:B4"
        sheet.row_dimensions[3].hidden = True
        path = tmp_path / "r.xlsx"
        workbook.save(path)
    else:
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("名单")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
        sheet.row(2).hidden = True
        path = tmp_path / "r.xls"
        book.save(str(path))
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A, CODE_B, CODE_C]
    assert issue_tuples(result, include_info=True) == [("3:3", None, "row-hidden", "info")]
    assert "第 3 行（共 1 行）在工作簿中被隐藏（手动隐藏或被筛选），其中的企业已照常读取" in (
        result.issues[0].message
    )


def test_group_titles_over_ordinary_columns_and_units_from_the_group(tmp_path):
    """ "基本情况" over 企业名称 gives way to the lower header; "经济指标（万元）" lends its unit."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["基本情况", None, "经济指标（元）", None],
            ["企业名称", "统一社会信用代码", "2025年营业收入", "2024年营业收入"],
            ["甲公司", "９１" + CODE_A[2:], 12000000, 10000000],
        ],
        merges=("A1:B1", "C1:D1"),
    )
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert values["uscc"] == CODE_A
    assert (values["revenue_y1"], values["revenue_y2"]) == (Decimal(1200), Decimal(1000))
    assert [m.unit for m in result.files[0].column_mapping] == [None, None, "元", "元"]


def test_units_row_under_the_header(tmp_path):
    """A row of units under the header ("元", "（万元）", "%") belongs to the header."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                "企业名称",
                "统一社会信用代码",
                "2025年营业收入",
                "2024年营业收入",
                "全国细分市场占有率",
            ],
            [None, None, "元", "（万元）", "%"],
            ["甲公司", CODE_A, 12000000, 1000, 12.5],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert (values["revenue_y1"], values["revenue_y2"]) == (Decimal(1200), Decimal(1000))
    assert values["market_share_domestic"] == Decimal("12.5")
    assert result.files[0].rows_total == 1
    assert result.applicants[0].provenance["revenue_y1"].cell == "C3"


def test_header_repeated_down_the_sheet_is_skipped(tmp_path):
    """A header repeated for every printed page is skipped with an info, rows still counted."""
    header = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "所在市"]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [header, ["甲公司", CODE_A, 100, "南京市"], header, ["乙公司", CODE_B, 200, "苏州市"]],
    )
    result = read(path)
    assert issue_tuples(result, include_info=True) == [("3:3", None, "header-repeated", "info")]
    assert [a.uscc for a in result.applicants] == [CODE_A, CODE_B]
    assert result.files[0].rows_total == 3 and result.files[0].rows_blank == 1


def test_rows_are_handed_over_as_read_before_the_gate(tmp_path, monkeypatch):
    """on_read gets every roster row's applicant in batches as it is read, before the gate:
    a blocked row too, and a value the gate then cleans as it was typed; JSON gets none."""
    from zjtx.intake import reader
    from zjtx.intake.reader import read_applicants

    monkeypatch.setattr(reader, "READ_BATCH", 2)
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "所在市"],
            ["甲公司", CODE_A, "南京_x0007_市"],
            ["乙公司", "123", "苏州市"],
            ["丙公司", CODE_C, "无锡市"],
        ],
    )
    batches: list[list[tuple[str, dict]]] = []

    def on_read(applicants):
        batches.append([(a.uscc, dict(a.values)) for a in applicants])

    result = read_applicants([path], 2026, on_read=on_read)
    assert [[uscc for uscc, _ in batch] for batch in batches] == [[CODE_A, "123"], [CODE_C]]
    assert batches[0][0][1]["city"] == "南京\x07市"  # as read; the gate cleans it after
    assert [a.values["city"] for a in result.applicants] == ["南京市", "无锡市"]
    assert result.files[0].rows_blocked == 1
    json_path = tmp_path / "a.json"
    json_path.write_text(f'[{{"name": "丁公司", "uscc": "{CODE_B}"}}]', encoding="utf-8")
    batches.clear()
    assert len(read_applicants([json_path], 2026, on_read=on_read).applicants) == 1
    assert batches == []


def test_rows_not_taken_from_on_read_are_never_made(tmp_path):
    """An on_read that takes nothing costs the reading no applicant objects: the rows are
    offered lazily."""
    from zjtx.intake.reader import read_applicants

    path = write_xlsx(tmp_path / "r.xlsx", [["企业名称", "统一社会信用代码"], ["甲公司", CODE_A]])
    offered = []
    result = read_applicants([path], 2026, on_read=offered.append)
    [rows] = offered
    assert result.applicants[0].uscc == CODE_A
    assert next(rows, None) is not None  # made only when asked for, even after the reading


def test_a_figure_with_a_note_or_an_estimate_is_refused_saying_why(tmp_path):
    """A figure followed by a bracketed note (186（含劳务派遣12人）, 3200（含税）) is refused
    saying the note may change what the figure counts, and an estimate (约186人, 186人左右,
    预计3000万元) saying an exact figure is needed; neither is the generic "cannot read"."""
    from zjtx.intake.synthetic import valid_uscc

    header = ["企业名称", "统一社会信用代码", "从业人员（人）", "2025年营业收入（万元）"]
    cells = [
        ["186（含劳务派遣12人）", 3000],
        ["186人(其中研发人员20人)", "3200（含税）"],
        ["约186人", "预计3000万元"],
        ["186人左右", "3000余万元"],
        [186, "3,000.5（经审计）"],
    ]
    rows = [[f"公司{i}", valid_uscc(8300 + i), *row] for i, row in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    found = {(i.cell, i.code): i.message for i in result.issues}
    noted = ["C2", "C3", "D3", "D6"]
    estimated = ["C4", "D4", "C5", "D5"]
    assert sorted(found) == sorted((cell, "value-unreadable") for cell in noted + estimated)
    for cell in noted:
        assert "带有说明" in found[cell, "value-unreadable"], found[cell, "value-unreadable"]
        assert "请只填数字，说明写入备注" in found[cell, "value-unreadable"]
    for cell in estimated:
        assert "约数" in found[cell, "value-unreadable"], found[cell, "value-unreadable"]
    assert "“186（含劳务派遣12人）”" in found["C2", "value-unreadable"]

    # A unit in brackets is the figure's unit, not a note.
    rows = [[f"公司{i}", valid_uscc(8400 + i), *row] for i, row in
            enumerate([["186（人）", "3200（万元）"], ["90(名)", "32,005,000（元）"]])]  # fmt: skip
    result = read(write_xlsx(tmp_path / "s.xlsx", [header, *rows]))
    assert issue_tuples(result) == []
    got = [(a.values["employees_y1"], a.values["revenue_y1"]) for a in result.applicants]
    assert got == [(186, 3200), (90, Decimal("3200.5"))]


def test_an_enterprise_only_on_a_hidden_sheet_is_a_warning(tmp_path):
    """Beside the visible list, a hidden sheet holding a fourth enterprise: it is read, with a
    warning to acknowledge (not a note); one on both sheets with the same data is not warned."""
    import openpyxl

    workbook = openpyxl.Workbook()
    shown = workbook.active
    shown.title = "名单"
    hidden = workbook.create_sheet("Sheet2")
    for sheet, rows in (
        (shown, [["甲公司", CODE_A]]),
        (hidden, [["甲公司", CODE_A], ["丁公司", CODE_B]]),
    ):
        sheet.append(["企业名称", "统一社会信用代码"])
        for row in rows:
            sheet.append(row)
    hidden.sheet_state = "veryHidden"
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    result = read(path)
    assert sorted(a.uscc for a in result.applicants) == sorted([CODE_A, CODE_B])
    warned = [
        (i.uscc, i.sheet, str(i.severity)) for i in result.issues if i.code == "sheet-hidden-only"
    ]
    assert warned == [(CODE_B, "Sheet2", "warning")]
