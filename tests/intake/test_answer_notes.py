"""Answers in words, said as read. 是/否 with a bracketed remark: one that only numbers or dates the
answer (证书编号…, 2023年12月认定, 有效期至…) is read as the answer with a warning quoting it; one
that may change the answer (已过期, 到期, 申请中, 待认定, 否则…) still blocks the enterprise, saying
why. 无: a 提示 on each cell says what it was read as for its field (0, 否, an option, unknown)."""

from __future__ import annotations

import json

import docx

from tests.intake.helpers import CODE_A, read, write_xlsx
from zjtx.intake.synthetic import valid_uscc

HARMLESS = [
    "是（证书编号GR202335000123）",
    "是(2023年12月认定)",
    "是（有效期至2026年12月）",
    "否（2024年第二批）",
]
REFUSED = ["是（已过期）", "是（2022年到期）", "是（申请中）", "是（待认定）", "否（否则需复审）"]


def test_remarks_that_only_number_or_date_the_answer_are_read_with_a_warning(tmp_path):
    """A roster's 是否高新技术企业: the harmless remarks read as 是/否, each a value-read-as
    warning on its cell quoting the remark; the doubtful ones are errors as before."""
    header = ["企业名称", "统一社会信用代码", "是否高新技术企业"]
    answers = HARMLESS + REFUSED
    rows = [[f"公司{i}", valid_uscc(8600 + i), text] for i, text in enumerate(answers)]
    result = read(write_xlsx(tmp_path / "名单.xlsx", [header, *rows]))
    assert [a.values["high_tech_enterprise"] for a in result.applicants] == [
        True,
        True,
        True,
        False,
    ]
    warnings = [i for i in result.issues if str(i.severity) == "warning"]
    assert [(i.cell, i.field, i.code) for i in warnings] == [
        (f"C{row}", "high_tech_enterprise", "value-read-as") for row in range(2, 6)
    ]
    assert "“是（证书编号GR202335000123）”读作“是”" in warnings[0].message
    assert "括号中的说明“证书编号GR202335000123”未读取" in warnings[0].message
    errors = [i for i in result.issues if str(i.severity) == "error"]
    assert [(i.cell, i.code) for i in errors] == [
        (f"C{row}", "value-unreadable") for row in range(6, 11)
    ]
    assert all("说明可能改变回答" in i.message for i in errors)


def test_a_certificate_number_after_yes_no_longer_blocks_a_word_application(tmp_path):
    """高新技术企业 | 是（证书编号GR202335000123） in a 自评表: the enterprise is imported with the
    rest of its form, and the warning names the table and cell."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=2)
    rows = [
        ("企业名称", "福州仓山光电有限公司"),
        ("统一社会信用代码", CODE_A),
        ("上年度营业收入（万元）", "3,456.78"),
        ("高新技术企业", "是（证书编号GR202335000123）"),
    ]
    for row, (label, answer) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, answer
    path = tmp_path / "自评表.docx"
    document.save(path)
    result = read(path)
    (applicant,) = result.applicants
    assert applicant.values["high_tech_enterprise"] is True
    assert str(applicant.values["revenue_y1"]) == "3456.78"
    (warning,) = [i for i in result.issues if i.code == "value-read-as"]
    assert (str(warning.severity), warning.cell, warning.field) == (
        "warning", "表1 第4行第2列", "high_tech_enterprise"
    )  # fmt: skip
    assert [i for i in result.issues if str(i.severity) == "error"] == []


def test_each_none_says_what_it_was_read_as_in_a_form(tmp_path):
    """A form's 无 under an amount (unknown, not 0), a count (0 项), financing (0 万元), a yes or
    no (否), a level (its option) and a text (the text itself): one 提示 per cell, naming it."""
    rows = [
        ["企业名称", "无字测试有限公司"],
        ["统一社会信用代码", CODE_A],
        ["上年度营业收入（万元）", 6000],
        ["上年度净利润（万元）", "无"],
        ["Ⅱ类知识产权（项）", "无"],
        ["近3年新增股权融资总额（万元）", "无"],
        ["是否列入经营异常名录", "无"],
        ["研发机构级别", "无"],
        ["主导产品名称", "无"],
    ]
    result = read(write_xlsx(tmp_path / "表.xlsx", rows, title="申报表"))
    values = result.applicants[0].values
    assert "net_profit_y1" not in values
    assert (values["ip2_total"], values["equity_financing_3y"]) == (0, 0)
    assert (values["abnormal_operation"], values["rd_institution_level"]) == (False, "none")
    notes = {i.cell: i for i in result.issues if i.code == "value-read-as"}
    assert sorted(notes) == ["B4", "B5", "B6", "B7", "B8", "B9"]
    assert all(str(i.severity) == "info" for i in notes.values())
    expected = {
        "B4": "上年度净利润填的“无”读作未知（不按 0 计）：如实际为 0，请填 0",
        "B5": "填的“无”读作“0 项”",
        "B6": "填的“无”读作“0 万元”",
        "B7": "列入经营异常名录填的“无”读作“否”",
        "B8": "研发机构级别填的“无”读作“未建立”",
        "B9": "主导产品名称填的“无”读作文字“无”",
    }
    for cell, text in expected.items():
        assert notes[cell].message.startswith(f"{cell}：") and text in notes[cell].message


def test_each_none_of_a_roster_is_noted_on_its_own_cell(tmp_path):
    """无 in two rows of a roster's 净利润 column (the second read from the column's memo): a
    提示 on each cell, none on the figures beside them."""
    header = ["企业名称", "统一社会信用代码", "2025年净利润（万元）", "2025年营业收入（万元）"]
    rows = [[f"公司{i}", valid_uscc(8700 + i), net, 5000] for i, net in enumerate(["无", 12, "无"])]
    result = read(write_xlsx(tmp_path / "名单.xlsx", [header, *rows]))
    notes = [(i.cell, i.field) for i in result.issues if i.code == "value-read-as"]
    assert notes == [("C2", "net_profit_y1"), ("C4", "net_profit_y1")]


def test_none_read_as_the_option_none_is_not_noted(tmp_path):
    """无 in 创客中国 名单, whose option is 无 itself: read as that option without a 提示
    (one per enterprise said “填的“无”读作“无””); 无 in 列入经营异常名录 is still noted as 否."""
    header = ["企业名称", "统一社会信用代码", "近三年创客中国全国名单", "列入经营异常名录"]
    rows = [[f"公司{i}", valid_uscc(8800 + i), "无", "无"] for i in range(2)]
    result = read(write_xlsx(tmp_path / "名单.xlsx", [header, *rows]))
    assert [a.values["maker_china"] for a in result.applicants] == ["none", "none"]
    notes = [(i.cell, i.field) for i in result.issues if i.code == "value-read-as"]
    assert notes == [("D2", "abnormal_operation"), ("D3", "abnormal_operation")]


def test_a_remark_dating_the_title_before_the_round_is_refused(tmp_path):
    """是（有效期至2022年12月） and 是（2019年认定） in a 2026 round are errors naming the cell and the
    date, not 是; 有效期至2026年12月 and 2023年12月认定 are still read as 是."""
    header = ["企业名称", "统一社会信用代码", "是否高新技术企业"]
    answers = [
        "是（有效期至2022年12月）",
        "是（2019年认定）",
        "是（有效期至2026年12月）",
        "是（2023年12月认定）",
    ]
    rows = [[f"公司{i}", valid_uscc(8700 + i), text] for i, text in enumerate(answers)]
    result = read(write_xlsx(tmp_path / "名单.xlsx", [header, *rows]), year=2026)
    errors = [i for i in result.issues if str(i.severity) == "error"]
    assert [(i.cell, i.field, i.code) for i in errors] == [
        ("C2", "high_tech_enterprise", "value-unreadable"),
        ("C3", "high_tech_enterprise", "value-unreadable"),
    ]
    assert "有效期至2022年，早于本批次（2026年度）" in errors[0].message
    assert "2019年认定" in errors[1].message
    read_as = [i.cell for i in result.issues if i.code == "value-read-as"]
    assert read_as == ["C4", "C5"]


def test_a_remark_dating_the_title_end_within_the_round_year_is_warned(tmp_path):
    """是（有效期至2026年3月） and 是（2023年认定） (3 years: 2026) in a 2026 round stay 是, each with a
    warning naming the cell and the end, saying the round's date must be checked; a remark ending
    after the round year keeps the plain warning."""
    header = ["企业名称", "统一社会信用代码", "是否高新技术企业"]
    answers = ["是（有效期至2026年3月）", "是（2023年认定）", "是（有效期至2027年1月）"]
    rows = [[f"公司{i}", valid_uscc(8900 + i), text] for i, text in enumerate(answers)]
    result = read(write_xlsx(tmp_path / "名单.xlsx", [header, *rows]), year=2026)
    assert [a.values["high_tech_enterprise"] for a in result.applicants] == [True] * 3
    warned = [i for i in result.issues if i.code == "value-read-as"]
    assert [(i.cell, str(i.severity)) for i in warned] == [
        ("C2", "warning"),
        ("C3", "warning"),
        ("C4", "warning"),
    ]
    assert "有效期至2026年3月，证书在本批次年度（2026年）内到期" in warned[0].message
    assert "按 3 年有效期至2026年，证书在本批次年度（2026年）内到期" in warned[1].message
    assert "批次日期" in warned[0].message and "内到期" not in warned[2].message


def test_a_json_yes_whose_remark_dates_the_title_before_the_round_says_so(tmp_path):
    """A JSON input's "是（有效期至2022年12月）" for a title in a 2026 round is refused as a form's is
    (有效期至2022年，早于本批次（2026年度）), naming the file, record and field, not only as no
    true or false; one ending in 2026 says so; the round's year is what `zjtx round import` and
    `zjtx check --year` pass."""
    path = tmp_path / "企业.json"
    for text, said in [
        (
            "是（有效期至2022年12月）",
            "但说明中有效期至2022年，早于本批次（2026年度），证书已不在有效期内",
        ),
        ("是（2019年认定）", "2019年认定，按 3 年有效期至2022年，早于本批次（2026年度）"),
        ("是（有效期至2026年3月）", "说明中有效期至2026年3月，证书在本批次年度（2026年）内到期"),
    ]:
        record = {"name": "甲公司", "uscc": CODE_A, "high_tech_enterprise": text}
        path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
        [issue] = read(path, year=2026).issues
        assert (issue.code, issue.row, issue.field) == ("json-invalid", 1, "high_tech_enterprise")
        assert issue.message.startswith("企业.json 第 1 条记录 字段 “high_tech_enterprise”：")
        assert said in issue.message and "true 或 false" in issue.message
