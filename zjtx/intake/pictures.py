"""Pictures WPS places in a cell (=DISPIMG("ID_…",1)): said as pictures, not as values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zjtx.intake.values import CellError

if TYPE_CHECKING:
    from zjtx.domain.fields import FieldSpec
    from zjtx.intake.sheet_data import SheetData

PICTURE = "单元格中是 WPS 嵌入单元格的图片（DISPIMG），不是数据：请在该单元格填写数据，图片另作附件"
FORMULA = "公式未计算：请在 Excel 或 WPS 中打开并保存后再导入"


def is_picture(text: str) -> bool:
    """Whether a cell's text is WPS's picture formula (kept as the cell's value by WPS)."""
    return text.lstrip().upper().startswith(("=DISPIMG(", "=_XLFN.DISPIMG("))


def picture_error(spec: FieldSpec) -> CellError:
    """The error of a picture in a cell of ``spec``'s column: a picture is no value of any
    field, a text field's included (its formula text is no name of a product)."""
    return CellError("cell-picture", f"{spec.relative_label()}：{PICTURE}")


def uncalculated(sheet: SheetData, r: int, c: int) -> tuple[str, str]:
    """(code, text) of a formula cell saved without its result: a picture WPS placed in it,
    or a formula never calculated."""
    if (r, c) in sheet.picture_cells:
        return "cell-picture", PICTURE
    return "formula-not-calculated", FORMULA
