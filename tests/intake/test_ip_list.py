"""IP lists (名称 | 类型 | 授权号 | 是否与主导产品相关 | 获得方式) counted into ip1_total,
ip1_self_developed and ip2_total, in sheets and Word tables, by the round's definition."""

import docx
import pytest

from tests.intake.helpers import CODE_A, read, write_xlsx
from zjtx.intake.ip_list import IpClassesError, load_ip_classes

NAME = "漳州九龙江光电有限公司"
ITEMS = [  # 名称, 类型, 授权号, 相关, 获得方式
    ("一种光纤连接器", "发明专利", "ZL1", "是", "自主研发"),
    ("光模块", "发明专利（含国防专利）", "ZL2", "是", "受让"),
    ("连接器壳体", "实用新型", "ZL3", "是", "原始取得"),
    ("控制软件V1.0", "计算机软件著作权", "2023SR1", "是", "自主研发"),
    ("包装盒", "外观设计", "ZL4", "否", "自主研发"),
    ("商标", "注册商标", "T1", "是", "自主研发"),
    ("布图", "集成电路布图设计", "BT1", "√", "继受取得"),
]


def rows(header=("名称", "类型", "授权号", "是否与主导产品相关", "获得方式"), items=ITEMS):
    return [
        ["企业名称", NAME],
        ["统一社会信用代码", CODE_A],
        [],
        list(header),
        *[list(item) for item in items],
    ]


@pytest.mark.parametrize(
    "header",
    [
        ("名称", "类型", "授权号", "是否与主导产品相关", "获得方式"),
        ("知识产权名称", "知识产权类别", "专利号/登记号", "与主导产品是否相关", "取得方式"),
    ],
)
@pytest.mark.parametrize(("year", "ip1"), [(2026, 1), (2025, 1)])
def test_ip_list_in_a_sheet_is_counted(tmp_path, header, year, ip1):
    """Ⅰ类 related and not transferred in, self-developed, Ⅱ类; trademarks and 否 left out."""
    result = read(write_xlsx(tmp_path / "ip.xlsx", rows(header)), year=year)
    values = result.applicants[0].values
    assert (values["ip1_total"], values["ip1_self_developed"], values["ip2_total"]) == (ip1, 1, 2)
    where = result.applicants[0].provenance["ip1_total"]
    assert "清单" in where.rule and ("2026" in where.rule or "2022" in where.rule)
    counted = [i for i in result.issues if i.code == "ip-list-counted"]
    assert len(counted) == 1 and "维持超过2年" in counted[0].message


def test_2022_counts_transfers_of_a_year_or_more_by_the_transfer_date(tmp_path):
    """2022 definition: transferred-in Ⅰ类 counts when transferred a year or more before."""
    items = [
        ("甲", "发明专利", "ZL1", "是", "受让", "2023-03-01"),
        ("乙", "发明专利", "ZL2", "是", "受让", "2024年9月1日"),
        ("丙", "发明专利", "ZL3", "是", "受让", ""),
    ]
    header = ("名称", "类型", "授权号", "是否与主导产品相关", "获得方式", "受让日期")
    result = read(write_xlsx(tmp_path / "ip.xlsx", rows(header, items)), year=2025)
    values = result.applicants[0].values
    assert (values["ip1_total"], values["ip1_self_developed"]) == (1, 0)
    recent = [i for i in result.issues if i.code == "ip-transfer-recent"]
    assert [i.cell for i in recent] == ["E6", "E7"]


def test_a_round_counts_transfers_a_year_old_by_its_own_date(tmp_path):
    """In a round dated 2026-06-20 (2022's definition, 创新型), a 发明 transferred on 2025-05-01
    is a year old by then and counts; one of 2025-07-01 is not, said against the round's date
    (1 January of the round year was the day, which no rulebook states)."""
    from datetime import date

    from zjtx.intake import read_applicants
    from zjtx.intake.ip_count import round_ip_definitions

    items = [
        ("甲", "发明专利", "ZL1", "是", "受让", "2025-05-01"),
        ("乙", "发明专利", "ZL2", "是", "受让", "2025-07-01"),
    ]
    header = ("名称", "类型", "授权号", "是否与主导产品相关", "获得方式", "受让日期")
    path = write_xlsx(tmp_path / "ip.xlsx", rows(header, items))
    definitions = round_ip_definitions("innovative-sme", date(2026, 6, 20))
    result = read_applicants([path], 2026, ip_definitions=definitions)
    assert result.applicants[0].values["ip1_total"] == 1
    [recent] = [i for i in result.issues if i.code == "ip-transfer-recent"]
    assert recent.cell == "E6" and "至 2026-06-20（批次日期）未满1年" in recent.message


def test_transfer_date_not_read_is_quoted_not_called_blank(tmp_path):
    """A 受让日期 that cannot be read as a date is quoted in the warning (not “未填受让日期”)."""
    items = [
        ("甲", "发明专利", "ZL1", "是", "受让", "99999999999"),
        ("乙", "发明专利", "ZL2", "是", "受让", ""),
    ]
    header = ("名称", "类型", "授权号", "是否与主导产品相关", "获得方式", "受让日期")
    result = read(write_xlsx(tmp_path / "ip.xlsx", rows(header, items)), year=2025)
    unread, blank = [i for i in result.issues if i.code == "ip-transfer-recent"]
    assert unread.cell == "E5" and "受让日期“99999999999”无法读作日期" in unread.message
    assert "未填受让日期" not in unread.message
    assert blank.cell == "E6" and "未填受让日期" in blank.message


def test_unknown_type_is_a_warning_naming_the_cell(tmp_path):
    """A 类型 the table does not know: a warning at its cell, the item not counted."""
    items = [("甲", "发明专利", "ZL1", "是", "自主研发"), ("乙", "技术秘密", "—", "是", "自主研发")]
    result = read(write_xlsx(tmp_path / "ip.xlsx", rows(items=items)))
    warning = next(i for i in result.issues if i.code == "ip-type-unknown")
    assert warning.cell == "B6" and "技术秘密" in warning.message
    assert str(warning.severity) == "warning"
    assert result.applicants[0].values["ip1_total"] == 1


def test_count_stated_in_the_form_that_disagrees_is_a_warning(tmp_path):
    """Ⅰ类知识产权数量 5 in the form, 1 in the list: a warning naming both; the list's count."""
    data = rows(items=ITEMS[:1])
    data.insert(2, ["Ⅰ类知识产权数量", 5])
    result = read(write_xlsx(tmp_path / "ip.xlsx", data))
    warning = next(i for i in result.issues if i.code == "ip-count-mismatch")
    assert "5" in warning.message and "1" in warning.message and "B3" in warning.message
    assert result.applicants[0].values["ip1_total"] == 1


def test_ip_table_in_a_word_application(tmp_path):
    """The IP table of a .docx is one grid among the others; positions name the table."""
    document = docx.Document()
    basic = document.add_table(rows=2, cols=2)
    for r, (label, value) in enumerate([("企业名称", NAME), ("统一社会信用代码", CODE_A)]):
        basic.cell(r, 0).text, basic.cell(r, 1).text = label, value
    table = document.add_table(rows=1 + len(ITEMS), cols=5)
    for c, text in enumerate(("名称", "类型", "授权号", "是否与主导产品相关", "获得方式")):
        table.cell(0, c).text = text
    for r, item in enumerate(ITEMS, start=1):
        for c, text in enumerate(item):
            table.cell(r, c).text = text
    path = tmp_path / "申请书.docx"
    document.save(path)
    result = read(path)
    values = result.applicants[0].values
    assert (values["ip1_total"], values["ip1_self_developed"], values["ip2_total"]) == (1, 1, 2)
    assert values["name"] == NAME  # "名称" in the IP table is not the company's name
    assert result.applicants[0].provenance["ip2_total"].sheet == "表2"


def test_classification_table_is_validated_at_load(tmp_path):
    """A type in two classes, or a missing source, is an error naming the file and entry."""
    assert load_ip_classes().classify("发明专利")[0] == "I"
    bad = tmp_path / "ip_classes.yaml"
    bad.write_text(
        "source: x\nclasses:\n  - class: I\n    label: a\n    types: [{name: 发明专利}]\n"
        "  - class: II\n    label: b\n    types: [{name: 实用新型, aliases: [发明专利]}]\n"
        "acquisition: {self_developed: [自主研发], transferred: [受让]}\n",
        "utf-8",
    )
    with pytest.raises(IpClassesError, match="发明专利"):
        load_ip_classes(bad)
    bad.write_text("classes: []\n", "utf-8")
    with pytest.raises(IpClassesError, match=r"ip_classes\.yaml"):
        load_ip_classes(bad)
