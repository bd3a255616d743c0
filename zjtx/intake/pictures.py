"""Pictures WPS places in a cell (=DISPIMG("ID_…",1)): said as pictures, not as values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zjtx.intake.values import CellError

if TYPE_CHECKING:
    from zjtx.intake.sheet_data import SheetData

PICTURE = "单元格中是 WPS 嵌入单元格的图片（DISPIMG），不是数据：请在该单元格填写数据，图片另作附件"
FORMULA = "公式未计算：请在 Excel 或 WPS 中打开并保存后再导入"


def is_picture(text: str) -> bool:
    """Whether a cell's text is WPS's picture formula (kept as the cell's value by WPS)."""
    return text.lstrip().upper().startswith(("=DISPIMG(", "=_XLFN.DISPIMG("))


def unreadable(exc: CellError, value: Any) -> tuple[str, str]:
    """(code, message) of a cell that could not be read; a picture is said as one, with the
    field's label the message began with."""
    if value.__class__ is str and is_picture(value):
        label = exc.message.split("：", 1)[0]
        return "cell-picture", f"{label}：{PICTURE}"
    return exc.code, exc.message


def uncalculated(sheet: SheetData, r: int, c: int) -> tuple[str, str]:
    """(code, text) of a formula cell saved without its result: a picture WPS placed in it,
    or a formula never calculated."""
    if (r, c) in sheet.picture_cells:
        return "cell-picture", PICTURE
    return "formula-not-calculated", FORMULA
