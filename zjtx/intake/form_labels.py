"""A form's labels the catalogue does not know, and what their answers were: a figure left out
(出口创汇 | 1,200, 研发经费投入 | 500万元, 其中自主研发 | 2项) is a warning of its own, as a roster's
unknown column is; text (联系人 | 张三, 所在地区 | 福州市仓山区) and numbers that name something
(电话, 邮编, 账号) are listed together in one note. Nothing answered is passed over in silence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zjtx.intake.cell_text import normalise_text, shown_text
from zjtx.intake.headers import UNIT_WORDS, YEAR_COLUMN_WORDS, clean, split_units, year_cell
from zjtx.intake.values import NONE_WORDS, is_placeholder, parse_number_text, raw_text

LABEL_LIMIT = 40  # characters: longer text in a label's place is a statement, not a label
LISTED = 12  # text labels named one by one in the note; the rest are counted
# Numbers that name rather than count: a phone, a postcode, an account, a certificate.
_IDENTIFIER = re.compile(
    r"电话|手机|传真|邮编|邮政编码|账号|帐号|号码|编号|代码|证号|qq|微信|身份证|邮箱|网址|文号|序号"
)
_NOT_LABELS = frozenset(
    {
        "单位",
        "计量单位",
        "金额单位",
        "项目",
        "指标",
        "指标名称",
        "项目名称",
        "科目",
        "主要指标",
        "其中",
    }
)


@dataclass(slots=True)
class TextLabel:
    """An unknown label whose answer is text (or a number that names something)."""

    sheet: str | None
    cell: str
    at: str  # where, as messages write it
    label: str
    answer: str


def is_figure(value: Any) -> bool:
    """Whether an answer is a figure: a number, with its unit or not (500万元, 2项, 45%, 1,200),
    never a year (2019) or a date."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return not (1900 <= value <= 2100 and float(value).is_integer())
    if not isinstance(value, str):
        return False
    text = normalise_text(value)
    if year_cell(text) != (None, None):
        return False
    try:
        parse_number_text(text)
    except ValueError:
        return False
    return True


def names_something(label: str) -> bool:
    """Whether a label asks for a number that names rather than counts (联系电话, 邮政编码)."""
    return bool(_IDENTIFIER.search(clean(label)))


def no_label(text: str) -> bool:
    """Whether a text in a label's place cannot be a label: a figure, a year, a unit, a table's
    corner word, a statement too long for a label."""
    shown = " ".join(text.split())
    if len(shown) > LABEL_LIMIT or is_figure(shown) or year_cell(shown) != (None, None):
        return True
    if is_unit(shown) or is_placeholder(shown) or normalise_text(shown) in NONE_WORDS:
        return True
    word = clean(split_units(shown)[0])
    return not word or word in _NOT_LABELS or word in YEAR_COLUMN_WORDS


def is_unit(value: Any) -> bool:
    """Whether a cell is a unit column's unit (万元, （人）, 单位：元)."""
    if not isinstance(value, str) or not value.strip():
        return False
    word = clean(value).strip("()（）")
    return word in UNIT_WORDS or word in ("万", "亿") or not clean(split_units(value)[0])


def no_answer(value: Any) -> bool:
    """Whether the cell beside a label holds nothing to report: empty, a placeholder, a year
    or a unit heading a table's columns."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if not isinstance(value, str):
        return False
    if is_placeholder(value) or year_cell(value) != (None, None):
        return True
    word = clean(split_units(value)[0])
    return not word or word in _NOT_LABELS or word in YEAR_COLUMN_WORDS


def ignored_figure_message(at: str, label: str, answer: Any) -> str:
    """The warning for an unknown label with a figure beside it."""
    return (
        f"{at}：栏目“{label}”不是字段目录中的字段，旁边的“{shown_text(raw_text(answer))}”未导入"
        "（如是某个字段的别称，可在导入向导中指定对应字段）"
    )


def text_labels_message(found: list[TextLabel]) -> str:
    """The one note listing the unknown labels answered with text."""
    listed = "、".join(
        f"{item.at}“{item.label}”（{shown_text(item.answer, 20)}）" for item in found[:LISTED]
    )
    more = f"等 {len(found)} 个栏目" if len(found) > LISTED else ""
    return (
        f"以下栏目不是字段目录中的字段，所填内容未导入：{listed}{more}（如是某个字段的别称，"
        "可在导入向导中指定对应字段）"
    )
