"""是/否 with a bracketed remark: one that only numbers or dates the answer (证书编号…, 2023年12月
认定, 有效期至…) is read as the answer with a warning quoting it; one that may change the answer
(已过期, 到期, 申请中, 待认定, 否则…) still blocks the enterprise, saying why."""

from __future__ import annotations

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
