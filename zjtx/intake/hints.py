"""How intake messages tell the reader to correct a column or get a template: CLI or window."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hints:
    """The parts of issue messages that name the tool the reader corrects things with.

    Attributes:
        correct_column: how to point an unrecognised column at a field.
        get_template: how to get the roster and form templates.
    """

    correct_column: str
    get_template: str


CLI_HINTS = Hints(
    correct_column="可在导入向导的“列对应关系”中指定对应字段（命令行用 --map）",
    get_template="请使用 zjtx template 生成的模板",
)
WINDOW_HINTS = Hints(
    correct_column="可在“列对应关系”中双击该列的“对应字段”更正",
    get_template="请点击“下载模板”，按模板填写后再导入",
)
