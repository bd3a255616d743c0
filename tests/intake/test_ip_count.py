"""IP lists counted under the definition of Ⅰ类 of the rulebook the caller names (by application
type), their 是否已实际应用并产生经济效益 column read into ip1_applied, other columns named."""

from datetime import date

import pytest

from tests.intake.helpers import CODE_A, write_xlsx
from zjtx.intake import read_applicants
from zjtx.intake.ip_count import round_ip_definitions
from zjtx.intake.ip_list import IpDefinitions

NAME = "宁波甬芯精密机械有限公司"
HEADER = ("名称", "类型", "授权号", "是否与主导产品相关", "获得方式", "受让日期")
TRANSFERRED = [  # three 发明专利 transferred in years before a 2026 round, one 实用新型
    ("甲", "发明专利", "ZL1", "是", "受让", "2019-05-01"),
    ("乙", "发明专利", "ZL2", "是", "受让", "2021-03-01"),
    ("丙", "发明专利", "ZL3", "是", "受让", "2020-06-01"),
    ("丁", "实用新型", "ZL4", "是", "自主研发", ""),
]


def sheet(tmp_path, items, header=HEADER, application_type=None):
    rows = [["企业名称", NAME], ["统一社会信用代码", CODE_A]]
    if application_type is not None:
        rows.append(["申报类型", application_type])
    rows += [[], list(header), *[list(item) for item in items]]
    return write_xlsx(tmp_path / "ip.xlsx", rows)


def counted(result):
    return next(i for i in result.issues if i.code == "ip-list-counted")


def test_innovative_2026_round_counts_transfers_under_the_2022_definition(tmp_path):
    """A 2026 创新型 round uses innovative-sme-2022: transfers held a year or more count."""
    definitions = round_ip_definitions("innovative-sme", date(2026, 7, 1))
    result = read_applicants([sheet(tmp_path, TRANSFERRED)], 2026, ip_definitions=definitions)
    values = result.applicants[0].values
    assert (values["ip1_total"], values["ip1_self_developed"], values["ip2_total"]) == (3, 0, 1)
    assert "2022 年口径，评价标准 innovative-sme-2022" in counted(result).message
    assert "innovative-sme-2022" in result.applicants[0].provenance["ip1_total"].rule


def test_srdi_2026_round_leaves_transferred_ip_out(tmp_path):
    """srdi-sme-2026 uses 2号's definition: no transferred-in Ⅰ类 IP, whatever its date."""
    definitions = round_ip_definitions("srdi-sme", date(2026, 6, 15))
    result = read_applicants([sheet(tmp_path, TRANSFERRED)], 2026, ip_definitions=definitions)
    assert result.applicants[0].values["ip1_total"] == 0
    assert "2026 年口径，评价标准 srdi-sme-2026" in counted(result).message


def test_no_rulebook_named_counts_under_the_years_definition_and_says_so(tmp_path):
    """Without a rulebook (zjtx check --year): the year's definition, named as a fallback."""
    result = read_applicants([sheet(tmp_path, TRANSFERRED)], 2026)
    assert result.applicants[0].values["ip1_total"] == 0
    assert "2026 年口径，未指定评价标准，按批次年度 2026 年" in counted(result).message


@pytest.mark.parametrize(("said", "ip1"), [("复核", 3), ("新申报", 0)])
def test_little_giant_2026_counts_by_each_applicants_own_rulebook(tmp_path, said, ip1):
    """2026 小巨人: a renewal is judged by little-giant-2022 (transfers count), a new one by
    little-giant-2026 (they do not)."""
    definitions = round_ip_definitions("little-giant", date(2026, 6, 1))
    path = sheet(tmp_path, TRANSFERRED, application_type=said)
    result = read_applicants([path], 2026, ip_definitions=definitions)
    assert result.applicants[0].values["ip1_total"] == ip1


def test_a_count_that_depends_on_an_application_type_not_given_is_left_unknown(tmp_path):
    """申报类型 blank where new and renewal count differently: those counts unknown, a warning
    naming both; the counts both definitions agree on are filled."""
    definitions = IpDefinitions(("2026", "little-giant-2026"), ("2022", "little-giant-2022"))
    result = read_applicants([sheet(tmp_path, TRANSFERRED)], 2026, ip_definitions=definitions)
    values = result.applicants[0].values
    assert "ip1_total" not in values and values["ip2_total"] == 1
    warning = next(i for i in result.issues if i.code == "ip-definition-undecided")
    assert "新申报 0 项、复核 3 项" in warning.message and str(warning.severity) == "warning"


APPLIED_HEADER = ("序号", "名称", "类型", "专利号", "获得方式", "是否与主导产品相关",
                  "是否已实际应用并产生经济效益")  # fmt: skip


@pytest.mark.parametrize("column", ["是否已实际应用并产生经济效益", "实际应用情况", "已应用"])
def test_applied_column_counts_ip1_applied(tmp_path, column):
    """Ⅰ类, related, counted under the definition and applied: ip1_applied; 否, a transfer
    (2026) and a Ⅱ类 item are not."""
    items = [
        (1, "甲", "发明专利", "ZL1", "自主研发", "是", "是"),
        (2, "乙", "发明专利", "ZL2", "自主研发", "是", "否"),
        (3, "丙", "发明专利", "ZL3", "受让", "是", "是"),
        (4, "丁", "实用新型", "ZL4", "自主研发", "是", "是"),
    ]
    header = (*APPLIED_HEADER[:-1], column)
    result = read_applicants([sheet(tmp_path, items, header)], 2026)
    values = result.applicants[0].values
    assert (values["ip1_total"], values["ip1_applied"]) == (2, 1)
    assert "已实际应用并产生经济效益 1 项" in counted(result).message
    assert not [i for i in result.issues if i.code == "ip-column-ignored"]  # 序号 is known


def test_applied_answer_not_understood_leaves_the_applied_count_unknown(tmp_path):
    """An answer neither 是 nor 否, or a blank one: a warning at its cell, and ip1_applied left
    unknown (待补充), not counted short: 0 would fail SR26-4 on a guess."""
    items = [
        (1, "甲", "发明专利", "ZL1", "自主研发", "是", "部分应用"),
        (2, "乙", "发明专利", "ZL2", "自主研发", "是", ""),
        (3, "丙", "发明专利", "ZL3", "自主研发", "是", "否"),
    ]
    result = read_applicants([sheet(tmp_path, items, APPLIED_HEADER)], 2026)
    values = result.applicants[0].values
    assert values["ip1_total"] == 3 and values.get("ip1_applied") is None
    warnings = [i for i in result.issues if i.code == "ip-applied-unknown"]
    assert [w.cell for w in warnings] == ["G5", "G6"] and "部分应用" in warnings[0].message
    assert "另 2 项未能判断，已应用的项数未填入" in counted(result).message


def test_list_without_applied_column_leaves_ip1_applied_unknown_and_says_so(tmp_path):
    """No 实际应用 column: ip1_applied is not set, and the count's note says why."""
    result = read_applicants([sheet(tmp_path, TRANSFERRED)], 2026)
    assert "ip1_applied" not in result.applicants[0].values
    assert "已应用的项数未计" in counted(result).message


def test_columns_the_reader_does_not_know_are_named(tmp_path):
    """授权日期, 备注 and a second 类型 column: one warning naming each header and its cell."""
    header = (
        "名称",
        "类型",
        "授权号",
        "授权日期",
        "是否与主导产品相关",
        "获得方式",
        "备注",
        "类别",
    )
    items = [("甲", "发明专利", "ZL1", "2020-01-01", "是", "自主研发", "核心", "发明")]
    result = read_applicants([sheet(tmp_path, items, header)], 2026)
    warning = next(i for i in result.issues if i.code == "ip-column-ignored")
    assert str(warning.severity) == "warning" and warning.cell == "D4"
    for shown in ("“授权日期”（D4）", "“备注”（G4）", "“类别”（H4）"):
        assert shown in warning.message
    assert result.applicants[0].values["ip1_total"] == 1


def test_a_blank_application_type_is_no_doubt_when_both_definitions_agree(tmp_path):
    """No transfers: new and renewal definitions agree, the counts are filled and the note
    says both were applied, without a warning."""
    definitions = IpDefinitions(("2026", "little-giant-2026"), ("2022", "little-giant-2022"))
    result = read_applicants([sheet(tmp_path, TRANSFERRED[3:])], 2026, ip_definitions=definitions)
    assert result.applicants[0].values["ip1_total"] == 0
    assert not [i for i in result.issues if i.code == "ip-definition-undecided"]
    assert "新申报与复核两种口径计得相同" in counted(result).message


def test_relatedness_not_understood_leaves_the_counts_it_decides_unknown(tmp_path):
    """A blank 是否相关 answer beside a 发明专利 and a 软件著作权: the Ⅰ类 and Ⅱ类 counts are left
    unknown (待补充), not counted short, said at the cell and in the count's note."""
    items = [
        (1, "甲", "发明专利", "ZL1", "自主研发", "是", "是"),
        (2, "乙", "发明专利", "ZL2", "自主研发", "", "是"),
        (3, "丙", "软件著作权", "RZ3", "自主研发", "", "否"),
    ]
    result = read_applicants([sheet(tmp_path, items, APPLIED_HEADER)], 2026)
    values = result.applicants[0].values
    for key in ("ip1_total", "ip1_self_developed", "ip1_applied", "ip2_total"):
        assert values.get(key) is None, key
    warnings = [i for i in result.issues if i.code == "ip-related-unknown"]
    assert [w.cell for w in warnings] == ["F6", "F7"]
    assert "相关的项数因此未填入" in warnings[0].message
    message = counted(result).message
    assert "与主导产品相关的Ⅰ类 1 项、另 1 项是否相关未能判断，项数未填入" in message
    assert "Ⅱ类 0 项、另 1 项是否相关未能判断，项数未填入" in message
