"""The data-quality gate: errors block one applicant, warnings keep it, duplicates name both."""

from decimal import Decimal

from tests.intake.helpers import CODE_A, CODE_B, CODE_C, issue_tuples, read, write_xlsx

HEAD = ["企业名称", "统一社会信用代码"]


def test_missing_name_and_code_block_only_that_row(tmp_path):
    """A row without 企业名称 or 统一社会信用代码 is blocked; the others are imported."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [*HEAD, "2025年营业收入（万元）"],
            [None, CODE_A, 100],
            ["乙公司", None, 100],
            ["丙公司", CODE_C, 100],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("A2", "name", "missing-required", "error"),
        ("B3", "uscc", "missing-required", "error"),
    ]
    assert result.issues[0].uscc == CODE_A
    assert [a.uscc for a in result.applicants] == [CODE_C]
    summary = result.summary["files"][0]
    assert (summary["rows_imported"], summary["rows_blocked"], summary["rows_total"]) == (1, 2, 3)


def test_uscc_length_characters_and_check_character(tmp_path):
    """Wrong length, forbidden letters and a wrong check character are each an error."""
    wrong_check = CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            HEAD,
            ["甲公司", CODE_A[:-2]],
            ["乙公司", CODE_B[:5] + "O" + CODE_B[6:]],
            ["丙公司", wrong_check],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("B2", "uscc", "uscc-length", "error"),
        ("B3", "uscc", "uscc-characters", "error"),
        ("B4", "uscc", "uscc-check-character", "error"),
    ]
    assert result.applicants == []


def test_duplicate_code_names_both_rows(tmp_path):
    """The same code twice is an error on both rows, each naming the other's cell."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [HEAD, ["甲公司", CODE_A], ["乙公司", CODE_B], ["甲公司（重复）", CODE_A]],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("B2", "uscc", "uscc-duplicate", "error"),
        ("B4", "uscc", "uscc-duplicate", "error"),
    ]
    assert "B4" in result.issues[0].message and "B2" in result.issues[1].message
    assert [a.uscc for a in result.applicants] == [CODE_B]


def test_duplicate_across_files_in_one_batch(tmp_path):
    """A code in two files of the same batch with other data blocks both, naming the other
    file; with the same data (a file downloaded twice) it is read once, the copy noted and
    counted as skipped."""
    first = write_xlsx(tmp_path / "a.xlsx", [HEAD, ["甲公司", CODE_A]])
    second = write_xlsx(tmp_path / "b.xlsx", [HEAD, ["甲公司（更正）", CODE_A]])
    result = read(first, second)
    assert [(i.file, i.code) for i in result.issues] == [
        ("a.xlsx", "uscc-duplicate"),
        ("b.xlsx", "uscc-duplicate"),
    ]
    assert "b.xlsx" in result.issues[0].message
    copy = write_xlsx(tmp_path / "a (1).xlsx", [HEAD, ["甲公司", CODE_A]])
    result = read(first, copy)
    assert [a.uscc for a in result.applicants] == [CODE_A]
    assert [(i.file, i.code, str(i.severity)) for i in result.issues] == [
        ("a (1).xlsx", "uscc-duplicate-same", "info")
    ]
    assert "与 a.xlsx · 名单 · B2 的数据完全相同：已跳过这一处" in result.issues[0].message
    assert [(f.rows_imported, f.rows_blank) for f in result.files] == [(1, 0), (0, 1)]


def test_a_duplicate_says_whether_the_two_rows_carry_the_same_data(tmp_path):
    """A code repeated with the same data is read once; repeated with other data
    (a corrected file beside the original) it names the fields that differ, so the evaluator
    knows which file to keep is a question of fact."""
    head = [*HEAD, "2025年营业收入（万元）", "2025年研发费用（万元）"]
    first = write_xlsx(
        tmp_path / "a.xlsx", [head, ["甲公司", CODE_A, 100, 5], ["乙公司", CODE_B, 80, 4]]
    )
    second = write_xlsx(
        tmp_path / "b.xlsx", [head, ["甲公司", CODE_A, 100, 5], ["乙公司", CODE_B, 90, 4]]
    )
    result = read(first, second)
    said = {(i.file, i.uscc): i.message for i in result.issues}
    assert "数据完全相同：已跳过这一处" in said[("b.xlsx", CODE_A)]
    assert ("a.xlsx", CODE_A) not in said and CODE_A in [a.uscc for a in result.applicants]
    assert (
        "两处数据不同（上年度营业收入）：请核实哪一处准确，删除其余的" in said[("b.xlsx", CODE_B)]
    )


def test_impossible_values_are_errors(tmp_path):
    """Negative revenue, 主营 > 营业收入, 主导产品 > 营业收入, 研发费用 > 营业收入 and 负债
    without 资产 block."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                *HEAD,
                "2025年营业收入（万元）",
                "2025年主营业务收入（万元）",
                "2025年研发费用（万元）",
                "上年末负债总额（万元）",
                "主导产品销售收入（万元）",
                "上年末资产总额（万元）",
            ],
            ["甲公司", CODE_A, -5, None, None, None, None, None],
            ["乙公司", CODE_B, 100, 120, 130, 50, 150, 0],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("C2", "revenue_y1", "value-out-of-range", "error"),
        ("D3", "main_revenue_y1", "main-revenue-exceeds-revenue", "error"),
        ("E3", "rd_expense_y1", "rd-expense-exceeds-revenue", "error"),
        ("F3", "total_liabilities_y1", "liabilities-without-assets", "error"),
        ("G3", "lead_product_revenue_y1", "lead-product-revenue-exceeds-revenue", "error"),
    ]
    assert result.applicants == []


def test_debts_without_assets_given_wait_for_them_and_ip_parts_cannot_exceed_the_total(tmp_path):
    """负债总额 with no 资产总额 is imported (the debt ratio waits for it; a 补正 file giving only
    the 负债总额 is merged over the stored 资产总额), not blocked; a count of 高价值, 自主研发 or
    已应用 Ⅰ类 items above the Ⅰ类 count is an error naming both."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [*HEAD, "上年末负债总额（万元）", "Ⅰ类知识产权（项）", "Ⅰ类高价值知识产权（项）"],
            ["甲公司", CODE_A, 4000, None, None],
            ["乙公司", CODE_B, None, 0, 2],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("E3", "ip1_high_value", "ip-count-exceeds-total", "error")]
    assert "（2 项）多于" in result.issues[0].message and "（0 项）" in result.issues[0].message
    assert [a.uscc for a in result.applicants] == [CODE_A]


def test_out_of_range_percent_and_level(tmp_path):
    """A market share over 100 % and 数字化水平 5 级 are errors."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [[*HEAD, "全国细分市场占有率（%）", "数字化水平等级"], ["甲公司", CODE_A, "120%", 5]],
    )
    assert issue_tuples(read(path)) == [
        ("C2", "market_share_domestic", "value-out-of-range", "error"),
        ("D2", "digital_level", "value-out-of-range", "error"),
    ]


def test_warnings_keep_the_applicant(tmp_path):
    """Unit-suspect revenue, growth over 300 % and 研发人员 > 从业人员 are warnings only."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                *HEAD,
                "2025年营业收入（万元）",
                "2024年营业收入（万元）",
                "从业人员（人）",
                "研发人员（人）",
            ],
            ["甲公司", CODE_A, 0.5, None, 10, 5],
            ["乙公司", CODE_B, 5000, 1000, 10, 12],
            ["丙公司", CODE_C, 20000000, None, None, None],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("C2", "revenue_y1", "revenue-unit-suspect", "warning"),
        ("C3", "revenue_y1", "growth-over-300", "warning"),
        ("F3", "rd_staff_y1", "rd-staff-exceeds-employees", "warning"),
        ("C4", "revenue_y1", "revenue-unit-suspect", "warning"),
    ]
    assert len(result.applicants) == 3


def test_stated_ratio_checked_against_amounts(tmp_path):
    """A stated ratio that agrees within rounding passes; one that disagrees is a warning."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [
                *HEAD,
                "2025年营业收入（万元）",
                "2025年研发费用（万元）",
                "研发费用占营业收入比重（%）",
                "上年末资产总额（万元）",
                "上年末负债总额（万元）",
                "资产负债率",
            ],
            ["甲公司", CODE_A, 3000, 100, 3.33, 1000, 400, 0.4],
            ["乙公司", CODE_B, 3000, 100, "5%", 1000, 400, "40.0%"],
        ],
        formats={"H2": "0%"},
    )
    result = read(path)
    assert issue_tuples(result) == [("E3", None, "ratio-mismatch", "warning")]
    assert "按金额计算为 3.33%（上年度）：请核对" in result.issues[0].message
    mapping = {m.header: m.role for m in result.files[0].column_mapping}
    assert mapping["研发费用占营业收入比重（%）"] == "ratio"
    assert all("ratio" not in key for a in result.applicants for key in a.values)
    assert result.applicants[1].values["rd_expense_y1"] == Decimal(100)


def test_org_code_check_is_a_warning(tmp_path):
    """A code whose embedded organisation-code check is wrong (but 18th right) is a warning."""
    from zjtx.domain.uscc import check_character

    body = CODE_A[:16] + ("0" if CODE_A[16] != "0" else "1")
    code = body + check_character(body)
    path = write_xlsx(tmp_path / "r.xlsx", [HEAD, ["甲公司", code]])
    result = read(path)
    assert issue_tuples(result) == [("B2", "uscc", "uscc-org-code", "warning")]
    assert len(result.applicants) == 1


def test_every_issue_carries_location_code_and_chinese_message(tmp_path):
    """Issues name file, sheet, cell, row, a kebab-case code and a Chinese message."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [[*HEAD, "2025年营业收入（万元）"], ["甲公司", CODE_A, "abc"]],
    )
    [issue] = read(path).issues
    assert (issue.file, issue.sheet, issue.cell, issue.row) == ("r.xlsx", "名单", "C2", 2)
    assert issue.code == "value-unreadable" and issue.field == "revenue_y1"
    assert "abc" in issue.message and "营业收入" in issue.message


def test_a_stated_intensity_that_matches_no_year_names_each_figure(tmp_path):
    """研发费用占比 without a year, matching neither the year's figure nor the three years'
    combined one: the warning labels both (上年度, 近三年合计)."""
    years = [
        f"{y}年{item}（万元）" for item in ("营业收入", "研发费用") for y in (2025, 2024, 2023)
    ]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [*HEAD, *years, "研发费用占营业收入比重（%）"],
            ["甲公司", CODE_A, 3000, 2000, 1000, 150, 100, 80, 9.9],
        ],
    )
    result = read(path)
    (issue,) = [i for i in result.issues if i.code == "ratio-mismatch"]
    assert "按金额计算为 5.00%（上年度），或 5.50%（近三年合计）：请核对" in issue.message


def test_a_share_below_one_percent_typed_as_a_fraction_is_questioned(tmp_path):
    """0.248 in a 占有率 column (its % format lost) reads 0.248 % and is warned of, with what to
    type if 24.8 % was meant; "0.5%" typed with its sign and 25.7 are not."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [*HEAD, "主导产品全国细分市场占有率（%）"],
            ["甲公司", CODE_A, 0.248],
            ["乙公司", CODE_B, "0.5%"],
            ["丙公司", CODE_C, 25.7],
        ],
    )
    result = read(path)
    found = [i for i in result.issues if i.code == "percent-looks-fractional"]
    assert [(i.cell, i.severity) for i in found] == [("C2", "warning")]
    assert found[0].message == (
        "主导产品全国细分市场占有率读作 0.248%；如指 24.8%，请填 24.8（本列填百分数，12.5 表示 12.5%）"
    )
    assert result.applicants[0].values["market_share_domestic"] == Decimal("0.248")


def test_of_identical_copies_the_one_a_visible_list_holds_is_kept(tmp_path):
    """A county file whose only copy of 甲 is on a hidden sheet, read before the city's visible
    list holding 甲 the same: the visible copy is kept, so 甲 carries no hidden-sheet warning,
    and the copy left out brings nothing but its note."""
    import openpyxl

    county = openpyxl.Workbook()
    shown = county.active
    shown.title = "名单"
    shown.append(HEAD)
    shown.append(["乙公司", CODE_B])
    old = county.create_sheet("旧名单")
    old.append(HEAD)
    old.append(["甲公司", CODE_A])
    old.sheet_state = "hidden"
    county.save(tmp_path / "1区县.xlsx")
    city = write_xlsx(tmp_path / "2市级.xlsx", [HEAD, ["甲公司", CODE_A]])
    result = read(tmp_path / "1区县.xlsx", city)
    kept = {a.uscc: a.provenance["uscc"].file for a in result.applicants}
    assert kept == {CODE_A: "2市级.xlsx", CODE_B: "1区县.xlsx"}
    about_a = [(i.file, i.code) for i in result.issues if i.uscc == CODE_A]
    assert about_a == [("1区县.xlsx", "uscc-duplicate-same")]


def test_copies_differing_only_by_a_note_are_the_same_data(tmp_path):
    """Two copies whose values agree, one with a note about how a cell was read (省级企业技术
    中心 read as 省级): the same data, read once, not both blocked."""
    head = [*HEAD, "研发机构级别"]
    first = write_xlsx(tmp_path / "a.xlsx", [head, ["甲公司", CODE_A, "省级"]])
    second = write_xlsx(tmp_path / "b.xlsx", [head, ["甲公司", CODE_A, "省级企业技术中心"]])
    result = read(first, second)
    codes = [(i.file, i.code) for i in result.issues if str(i.severity) != "info"]
    assert [a.uscc for a in result.applicants] == [CODE_A] and codes == []
