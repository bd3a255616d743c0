"""A form's labels the catalogue does not know: never dropped in silence. A figure beside one
(500万元, 2项, 3,000万元, 1200) is a warning naming the cell and the text, as a roster's unknown
column is; text answers are listed in one 提示; common synonyms are read (研发经费投入 is 研发费用,
其中自主研发 under Ⅰ类知识产权 is 自主研发Ⅰ类知识产权)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.intake.helpers import CODE_A, read, write_xlsx

NAME = "单位值未知标签有限公司"
BASIC = [["企业名称", NAME], ["统一社会信用代码", CODE_A], ["上年度营业收入（万元）", "3000"]]


def write_form(path: Path, rows: list[list[str]]) -> Path:
    """A key-value form: a Word table, or a worksheet, by the path's suffix."""
    if path.suffix == ".xlsx":
        return write_xlsx(path, rows, title="申报表")
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(path)
    return path


def by_code(result, code: str) -> list:
    return [i for i in result.issues if i.code == code]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_figures_beside_unknown_labels_are_warnings(tmp_path, suffix):
    """年度销售额 | 3,000万元, 其中自主研发 | 2项 (under R&D, not IP) and 出口创汇 | 1200 are each a
    warning naming the label's cell and the figure; 研发经费投入 | 500万元 is 研发费用."""
    rows = [
        *BASIC,
        ["上年度研发经费投入", "500万元"],
        ["其中自主研发", "2项"],
        ["年度销售额", "3,000万元"],
        ["出口创汇", "1200"],
    ]
    result = read(write_form(tmp_path / f"表{suffix}", rows))
    values = result.applicants[0].values
    assert values["rd_expense_y1"] == 500
    assert "ip1_self_developed" not in values
    ignored = by_code(result, "label-ignored")
    assert [str(i.severity) for i in ignored] == ["warning"] * 3
    texts = [(label, figure) for label, figure in (("其中自主研发", "2项"), ("年度销售额", "3,000万元"),
                                                  ("出口创汇", "1200"))]  # fmt: skip
    for issue, (label, figure) in zip(ignored, texts, strict=True):
        assert f"栏目“{label}”" in issue.message and f"“{figure}”未导入" in issue.message
    cells = [i.cell for i in ignored]
    assert cells == (
        ["A5", "A6", "A7"] if suffix == ".xlsx" else ["第5行第1列", "第6行第1列", "第7行第1列"]
    )


@pytest.mark.parametrize(
    "rows",
    [
        [["Ⅰ类知识产权", "3项"], ["其中自主研发", "2项"], ["Ⅱ类知识产权", "8项"]],
        [["Ⅰ类知识产权（项）", "3", "其中：自主研发（项）", "2"]],
        [
            ["上年度营业收入（万元）", "3000", "Ⅰ类知识产权（项）", "3"],
            ["其中：自主研发（项）", "2", "", ""],
        ],
    ],
    ids=["two-columns", "same-row", "next-row-of-four"],
)
def test_a_sub_label_under_its_parent_is_read_with_its_words(tmp_path, rows):
    """其中自主研发 after Ⅰ类知识产权 (below it, beside it, or in the next row of a four-column
    form) is 与主导产品相关的自主研发Ⅰ类知识产权, with no warning."""
    basic = [[*row, *[""] * (len(rows[0]) - 2)] for row in BASIC[:2]]
    result = read(write_form(tmp_path / "表.docx", [*basic, *rows]))
    values = result.applicants[0].values
    assert (values["ip1_total"], values["ip1_self_developed"]) == (3, 2)
    assert by_code(result, "label-ignored") == []


def test_text_answers_of_unknown_labels_are_listed_in_one_note(tmp_path):
    """所在地区 | 福州市仓山区, 联系人 | 张三 and 联系电话 | 13800138000 are named, with their cells and
    answers, in one 提示; a phone number is no figure left out (no warning)."""
    rows = [*BASIC, ["所在地区", "福州市仓山区"], ["联系人", "张三"], ["联系电话", "13800138000"]]
    result = read(write_form(tmp_path / "表.docx", rows))
    assert by_code(result, "label-ignored") == []
    (note,) = by_code(result, "label-text-ignored")
    assert (str(note.severity), note.sheet, note.cell) == ("info", "表1", "第4行第1列")
    for text in (
        "第4行第1列“所在地区”（福州市仓山区）",
        "“联系人”（张三）",
        "“联系电话”（13800138000）",
    ):
        assert text in note.message


def test_a_table_of_years_has_no_unknown_labels_but_its_unknown_rows(tmp_path):
    """项目 | 单位 | 2024年 | 2025年 over 营业收入 and 出口创汇 rows: the corner, the 单位 heading, the
    years and the units are no labels; the 出口创汇 row's figure is a warning."""
    rows = [
        ["企业名称", NAME, "", ""],
        ["统一社会信用代码", CODE_A, "", ""],
        ["项目", "单位", "2024年", "2025年"],
        ["营业收入", "万元", "2800", "3000"],
        ["出口创汇", "万元", "100", "120"],
    ]
    result = read(write_form(tmp_path / "表.docx", rows))
    assert result.applicants[0].values["revenue_y1"] == 3000
    assert by_code(result, "label-text-ignored") == []
    (ignored,) = by_code(result, "label-ignored")
    assert ignored.cell == "第5行第1列" and "“100”未导入" in ignored.message
