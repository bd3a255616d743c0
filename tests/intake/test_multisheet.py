"""Several sheets, one enterprise: a workbook whose sheets are parts of one application is one
applicant, a workbook of rosters is many; the reading is said and can be switched."""

import json
from decimal import Decimal

import openpyxl
import pytest

from tests.intake.helpers import CODE_A, CODE_B, CODE_C, read
from zjtx.cli import main
from zjtx.intake import read_applicants

NAME = "厦门海沧智能装备有限公司"


def write_book(path, sheets):
    """A workbook with the given (title, rows) sheets in order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def basic_sheet(name_label="企业名称"):
    return (
        "基本信息",
        [
            ["申报企业基本信息"],
            [name_label, NAME],
            ["统一社会信用代码", CODE_A],
            ["主导产品名称", "工业机器人减速器"],
        ],
    )


def indicators_by_year_rows(year_label="年度"):
    """One row per year: 年度 | 营业收入（万元） | 主营业务收入（万元） | 研发费用（万元）."""
    return (
        "主要指标",
        [
            [year_label, "营业收入（万元）", "主营业务收入（万元）", "研发费用（万元）"],
            ["2023年", 8000, 7800, 400],
            ["2024年", 9000, 8800, 480],
            ["2025年", 10500, 10000, 630],
        ],
    )


def indicators_by_columns():
    """Indicators one row each, years as columns."""
    return (
        "经济指标",
        [
            ["指标（万元）", "2023年", "2024年", "2025年"],
            ["营业收入", 8000, 9000, 10500],
            ["主营业务收入", 7800, 8800, 10000],
            ["研发费用", 400, 480, 630],
        ],
    )


def ip_sheet():
    return (
        "知识产权",
        [
            ["序号", "名称", "类型", "授权号", "是否与主导产品相关", "获得方式"],
            [1, "一种谐波减速器", "发明专利", "ZL202110000001.1", "是", "自主研发"],
            [2, "减速器壳体", "实用新型", "ZL202120000002.2", "是", "自主研发"],
        ],
    )


@pytest.mark.parametrize("indicators", [indicators_by_year_rows, indicators_by_columns])
@pytest.mark.parametrize("order", [(0, 1, 2), (1, 2, 0), (2, 0, 1)], ids=["bip", "ipb", "pbi"])
@pytest.mark.parametrize("name_label", ["企业名称", "申报单位（盖章）", "企业完整名称"])
def test_parts_of_one_application_are_one_applicant(tmp_path, indicators, order, name_label):
    """Basic data, indicators (by year rows or columns) and an IP list on three sheets: one."""
    parts = [basic_sheet(name_label), indicators(), ip_sheet()]
    path = write_book(tmp_path / "申报材料.xlsx", [parts[i] for i in order])
    result = read(path)
    assert len(result.applicants) == 1, [i.message for i in result.issues]
    values = result.applicants[0].values
    assert values["name"] == NAME and values["uscc"] == CODE_A
    assert (values["revenue_y1"], values["revenue_y3"]) == (Decimal(10500), Decimal(8000))
    assert values["rd_expense_y2"] == Decimal(480)
    assert values["ip1_total"] == 1 and values["ip2_total"] == 1
    file = result.files[0]
    assert file.kind == "form" and file.reading == "form"
    assert "一家企业" in file.reading_note and "基本信息" in file.reading_note
    notes = [i for i in result.issues if i.code == "reading-chosen"]
    assert len(notes) == 1 and notes[0].message.endswith(file.reading_note)
    assert not [i for i in result.issues if str(i.severity) == "error"]


def roster_sheet(title, rows):
    return (title, [["序号", "企业名称", "统一社会信用代码", "2025年营业收入（万元）"], *rows])


def test_workbook_of_rosters_is_many_applicants(tmp_path):
    """Two roster sheets (第一批, 第二批): each row an applicant, the reading says roster."""
    path = write_book(
        tmp_path / "名单.xlsx",
        [
            roster_sheet("第一批", [[1, "甲公司", CODE_A, 1000], [2, "乙公司", CODE_B, 2000]]),
            roster_sheet("第二批", [[1, "丙公司", CODE_C, 3000]]),
        ],
    )
    result = read(path)
    assert sorted(a.values["uscc"] for a in result.applicants) == sorted([CODE_A, CODE_B, CODE_C])
    assert result.files[0].reading == "roster" and "每行一家企业" in result.files[0].reading_note


@pytest.mark.parametrize(
    "title",
    [
        "2025年度名单（已认定，供参考）",
        "往年名单",
        "作废",
        "填写示例",
        "2024年认定名单（仅供参考）",
    ],
)
def test_a_list_kept_for_reference_beside_the_round_s_own_is_not_imported(tmp_path, title):
    """A sheet whose name keeps its list for reference (last year's, 作废, an example) beside
    the round's list: its enterprises are not imported, a warning names the sheet and how many
    enterprises it holds (not its 合计 or blank rows), and the summary counts its rows as
    skipped."""
    path = write_book(
        tmp_path / "名单.xlsx",
        [
            roster_sheet("2026年申报名单", [[1, "甲公司", CODE_A, 1000]]),
            roster_sheet(
                title,
                [
                    [1, "乙公司", CODE_B, 2000],
                    [2, "丙公司", CODE_C, 3000],
                    [],
                    ["合计", "", "", 5000],
                ],
            ),
        ],
    )
    result = read(path)
    assert [a.values["uscc"] for a in result.applicants] == [CODE_A]
    warned = [i for i in result.issues if i.code == "sheet-for-reference"]
    assert [(i.severity, i.sheet) for i in warned] == [("warning", title)]
    assert "其中的 2 家企业未导入" in warned[0].message and "改名后重新导入" in warned[0].message
    file = result.files[0]
    assert (file.rows_total, file.rows_blank, file.rows_imported) == (5, 4, 1)
    # The reading names the round's list alone, with its own row.
    assert (
        file.reading_note
        == "工作表“2026年申报名单”是名单，每行一家企业（共 1 行）：按名单读取（每行一家企业）"
    )


@pytest.mark.parametrize(
    "titles",
    [("复核企业", "新申报企业（参考格式）"), ("2026年申报名单", "去年未通过本次重新申报"),
     ("新申报", "已认定企业复核名单")],
)  # fmt: skip
def test_lists_whose_names_only_look_like_references_are_read(tmp_path, titles):
    """A notice's 参考格式 filled in, this round's list of last year's failures, a renewal
    round's 已认定 list: every enterprise is read, nothing set aside."""
    first, second = titles
    path = write_book(
        tmp_path / "名单.xlsx",
        [
            roster_sheet(first, [[1, "甲公司", CODE_A, 1000]]),
            roster_sheet(second, [[1, "乙公司", CODE_B, 2000]]),
        ],
    )
    result = read(path)
    assert sorted(a.values["uscc"] for a in result.applicants) == sorted([CODE_A, CODE_B])
    assert not [i for i in result.issues if i.code == "sheet-for-reference"]


def test_a_workbook_whose_only_lists_are_named_for_reference_is_read_with_a_warning(tmp_path):
    """Where every list of the workbook is so named (last year's file picked by mistake?), all
    of it is read, and a warning for each sheet asks to check it is this round's list."""
    path = write_book(
        tmp_path / "名单.xlsx",
        [
            roster_sheet("2025年名单（供参考）", [[1, "甲公司", CODE_A, 1000]]),
            roster_sheet("作废名单", [[1, "乙公司", CODE_B, 2000]]),
        ],
    )
    result = read(path)
    assert sorted(a.values["uscc"] for a in result.applicants) == sorted([CODE_A, CODE_B])
    warned = [i for i in result.issues if i.code == "sheet-for-reference"]
    assert [i.sheet for i in warned] == ["2025年名单（供参考）", "作废名单"]
    assert all("照常读取" in i.message and "请核实" in i.message for i in warned)


@pytest.mark.parametrize("summary_first", [False, True])
def test_summary_sheet_repeating_the_others_is_read_once(tmp_path, summary_first):
    """A 汇总 sheet that repeats the district sheets row for row, value for value, is not read
    twice: each enterprise is imported once and a note names the sheet passed over. A row
    that differs anywhere keeps its sheet; its copies that differ are blocked as duplicates,
    those the same are read once."""
    districts = [
        roster_sheet("江宁区", [[1, "甲公司", CODE_A, 1000], [2, "乙公司", CODE_B, 2000]]),
        roster_sheet("鼓楼区", [[1, "丙公司", CODE_C, 3000]]),
    ]
    total = roster_sheet(
        "汇总",
        [[1, "甲公司", CODE_A, 1000], [2, "乙公司", CODE_B, 2000], [3, "丙公司", CODE_C, 3000]],
    )
    sheets = [total, *districts] if summary_first else [*districts, total]
    result = read(write_book(tmp_path / "名单.xlsx", sheets))
    assert sorted(a.uscc for a in result.applicants) == sorted([CODE_A, CODE_B, CODE_C])
    notes = [i for i in result.issues if i.code == "sheet-repeats-others"]
    assert [i.severity for i in notes] and all(i.severity == "info" for i in notes)
    # Whichever comes first, the sheet repeating the others is the 汇总, not the districts.
    assert len(notes) == 1
    assert "工作表“汇总”的 3 家企业与工作表“江宁区”“鼓楼区”中的完全相同" in notes[0].message
    assert {a.provenance["uscc"].sheet for a in result.applicants} == {"江宁区", "鼓楼区"}
    summary = result.summary["files"][0]
    assert (summary["rows_total"], summary["rows_imported"], summary["rows_blocked"]) == (6, 3, 0)

    total = roster_sheet(
        "汇总",
        [[1, "甲公司", CODE_A, 1000], [2, "乙公司", CODE_B, 2001], [3, "丙公司", CODE_C, 3000]],
    )
    result = read(write_book(tmp_path / "名单2.xlsx", [*districts, total]))
    # 汇总 differs in 乙's revenue: it is kept, and so is 江宁区; 鼓楼区 repeats 汇总 exactly.
    # 甲, the same on both, is read once; 乙, different, is blocked on both.
    assert sorted(a.uscc for a in result.applicants) == sorted([CODE_A, CODE_C])
    notes = [i.message for i in result.issues if i.code == "sheet-repeats-others"]
    assert len(notes) == 1 and "工作表“鼓楼区”的 1 家企业与工作表“汇总”中的完全相同" in notes[0]
    duplicates = [(i.sheet, i.cell) for i in result.issues if i.code == "uscc-duplicate"]
    assert sorted(duplicates) == [("汇总", "C3"), ("江宁区", "C3")]
    same = [(i.sheet, i.cell) for i in result.issues if i.code == "uscc-duplicate-same"]
    assert same == [("汇总", "C2")]


def test_a_sheet_with_a_value_that_could_not_be_read_is_no_repeat(tmp_path):
    """A value that could not be read is no empty cell: a sheet whose copy of an enterprise has
    one (研发费用 五十万 where the other sheet left it blank) is not a repeat, and its error
    stands."""
    header = ["企业名称", "统一社会信用代码", "2025年研发费用（万元）"]
    path = write_book(
        tmp_path / "名单.xlsx",
        [
            ("初稿", [header, ["甲公司", CODE_A, None]]),
            ("修改稿", [header, ["甲公司", CODE_A, "五十万"]]),
        ],
    )
    result = read(path)
    assert not [i for i in result.issues if i.code == "sheet-repeats-others"]
    assert "value-unreadable" in {i.code for i in result.issues}


def test_a_roster_with_enterprises_as_columns_is_refused_not_cut_to_one(tmp_path):
    """A table with one enterprise per column (项目 | 甲公司 | 乙公司 …) is not one enterprise's
    form: one error names the enterprises found and says to transpose it, where the first
    column was read and the others dropped without a word."""
    path = write_book(
        tmp_path / "对比表.xlsx",
        [
            (
                "汇总",
                [
                    ["项目", "甲公司", "乙公司", "丙公司"],
                    ["统一社会信用代码", CODE_A, CODE_B, CODE_C],
                    ["2025年营业收入（万元）", 1200, 900, 800],
                ],
            )
        ],
    )
    result = read(path)
    assert result.applicants == []
    [error] = [i for i in result.issues if i.code == "form-enterprises-as-columns"]
    assert "3 家企业" in error.message and "转置" in error.message and error.cell == "B2"

    # A form whose code row holds other numbers (注册号, 银行账号, 身份证号) is one enterprise.
    form = [
        ["企业名称", "甲公司", "工商注册号", "320584000123456"],
        ["统一社会信用代码", CODE_A, "银行账号", "6222021001012345678"],
    ]
    result = read(write_book(tmp_path / "表.xlsx", [("基本信息", form)]))
    assert [a.uscc for a in result.applicants] == [CODE_A]


def one_row_and_indicators(tmp_path):
    """A one-row table of basic data beside an indicator sheet: auto reads it as one form."""
    return write_book(
        tmp_path / "表.xlsx",
        [
            ("基本情况", [["企业名称", "统一社会信用代码"], [NAME, CODE_A]]),
            indicators_by_year_rows(),
        ],
    )


def test_one_row_table_with_other_parts_reads_as_one_application(tmp_path):
    """A one-row basic table plus an indicator sheet is one application, not a roster of one."""
    result = read(one_row_and_indicators(tmp_path))
    assert len(result.applicants) == 1
    assert result.applicants[0].values["revenue_y1"] == Decimal(10500)
    assert result.files[0].reading == "form"


def test_evaluator_switches_the_reading(tmp_path):
    """reading="roster" reads the same file as a roster (the indicators sheet is then skipped);
    a file-keyed choice applies to that file only."""
    path = one_row_and_indicators(tmp_path)
    result = read_applicants([path], 2026, readings={None: "roster"})
    assert result.files[0].reading == "roster"
    assert "revenue_y1" not in result.applicants[0].values
    assert "按评审人的选择" in result.files[0].reading_note
    result = read_applicants([path], 2026, readings={"别的.xlsx": "roster"})
    assert result.files[0].reading == "form"


def test_forced_roster_without_a_roster_header_is_one_clear_error(tmp_path):
    """An application workbook forced to roster: one error saying no roster header was found."""
    path = write_book(tmp_path / "申报.xlsx", [basic_sheet(), indicators_by_year_rows()])
    result = read_applicants([path], 2026, readings={None: "roster"})
    errors = [i for i in result.issues if str(i.severity) == "error"]
    assert [i.code for i in errors] == ["header-not-found"] and "名单" in errors[0].message
    assert not result.applicants


@pytest.mark.parametrize("command", ["check", "round"])
def test_reading_option_on_the_command_line(tmp_path, capsys, monkeypatch, command):
    """`--reading roster` (and `FILE=roster`) switch the reading; a bad value exits 2."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    path = one_row_and_indicators(tmp_path)
    if command == "check":
        main(["check", str(path), "--year", "2026", "--json", "--reading", "表.xlsx=roster"])
        payload = json.loads(capsys.readouterr().out)
        assert payload["readings"]["表.xlsx"]["reading"] == "roster"
        assert "revenue_y1" not in payload["applicants"][0]
    else:
        main(["round", "create", "R", "--tier", "srdi-sme", "--date", "2026-06-01"])
        assert main(["round", "import", "R", str(path), "--reading", "roster"]) == 0
        assert "名单" in capsys.readouterr().out
    assert main(["check", str(path), "--reading", "both"]) == 2
    assert "form" in capsys.readouterr().err
