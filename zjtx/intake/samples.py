"""Write the shipped samples: a messy county roster with planted defects, and a folder of forms."""

# Regenerate with: python -m zjtx.intake.samples resources/samples

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font

from zjtx.intake.synthetic import applicants
from zjtx.intake.templates import write_form_template
from zjtx.scoring.catalogue import load_catalogue

SAMPLE_YEAR = 2026
ROSTER_NAME = "roster_2026.xlsx"
FORMS_DIR = "forms"

# The defects planted in the sample roster: data row number (1-based among applicants) ->
# (issue code, severity). The tests read the sample and expect exactly these.
PLANTED = {
    3: ("missing-required", "error"),  # no 企业名称
    5: ("uscc-check-character", "error"),
    7: ("uscc-length", "error"),
    9: ("uscc-characters", "error"),
    11: ("uscc-duplicate", "error"),  # same code as row 12
    12: ("uscc-duplicate", "error"),
    14: ("value-out-of-range", "error"),  # negative revenue
    16: ("main-revenue-exceeds-revenue", "error"),
    18: ("rd-expense-exceeds-revenue", "error"),
    20: ("liabilities-without-assets", "error"),
    22: ("value-unreadable", "error"),  # 营业收入 "约八千万"
    24: ("formula-not-calculated", "error"),
    26: ("ratio-mismatch", "warning"),
    28: ("revenue-unit-suspect", "warning"),
    30: ("growth-over-300", "warning"),
    32: ("rd-staff-exceeds-employees", "warning"),
    34: ("value-unreadable", "error"),  # 高新技术企业 "待定"
}


def _shuffle_case(index: int, values: dict[str, Any]) -> dict[str, Any]:
    """Plant the defect of a row (values are catalogue values; the writer renders them)."""
    if index == 3:
        values["name"] = None
    elif index == 5:
        code = values["uscc"]
        values["uscc"] = code[:-1] + ("0" if code[-1] != "0" else "1")
    elif index == 7:
        values["uscc"] = values["uscc"][:-1]
    elif index == 9:
        values["uscc"] = values["uscc"][:9] + "O" + values["uscc"][10:]
    elif index == 14:
        values["revenue_y3"] = -values["revenue_y3"]
        values["main_revenue_y3"] = values["rd_expense_y3"] = None
    elif index == 16:
        values["main_revenue_y1"] = values["revenue_y1"] + Decimal(100)
    elif index == 18:
        values["rd_expense_y2"] = values["revenue_y2"] + Decimal(10)
    elif index == 20:
        values["total_assets_y1"] = Decimal(0)  # beside debts: a typing error
    elif index == 28:
        values["revenue_y3"] = values["revenue_y3"] * 10000  # 元 typed into the 万元 column
    elif index == 30:
        values["revenue_y1"] = values["revenue_y2"] * 5
    elif index == 32:
        values["rd_staff_y1"] = values["employees_y1"] + 5
    return values


COLUMNS = [
    # (header top, header bottom or None, key, how to write)
    ("序号", None, None, "serial"),
    ("企业名称", None, "name", "text"),
    ("统一社会信用代码", None, "uscc", "text"),
    ("所在地市", None, "city", "text"),
    ("所在区县", None, "county", "text"),
    ("行业代码", None, "industry_code", "text"),
    ("成立时间", None, "founded", "date-mixed"),
    ("申报类型", None, "application_type", "enum"),
    ("营业收入（万元）", "{y3}年", "revenue_y3", "money-mixed"),
    ("营业收入（万元）", "{y2}年", "revenue_y2", "money-mixed"),
    ("营业收入（万元）", "{y1}年", "revenue_y1", "money-mixed"),
    ("主营业务收入（万元）", "{y3}年", "main_revenue_y3", "money"),
    ("主营业务收入（万元）", "{y2}年", "main_revenue_y2", "money"),
    ("主营业务收入（万元）", "{y1}年", "main_revenue_y1", "money"),
    ("研发费用（元）", "{y3}年", "rd_expense_y3", "yuan"),
    ("研发费用（元）", "{y2}年", "rd_expense_y2", "yuan"),
    ("研发费用（元）", "{y1}年", "rd_expense_y1", "yuan"),
    ("研发费用占营业收入比重（%）", "{y1}年", "ratio", "ratio"),
    ("上年末资产总额（万元）", None, "total_assets_y1", "money"),
    ("上年末负债总额（万元）", None, "total_liabilities_y1", "money"),
    ("上年末从业人员（人）", None, "employees_y1", "int-fullwidth"),
    ("研发人员（人）", None, "rd_staff_y1", "int"),
    ("主导产品全国细分市场占有率", None, "market_share_domestic", "percent-mixed"),
    ("是否高新技术企业", None, "high_tech_enterprise", "bool-mixed"),
    ("研发机构级别", None, "rd_institution_level", "enum"),
    ("Ⅰ类知识产权（项）", None, "ip1_total", "count-none"),
    ("数字化水平等级", None, "digital_level", "int"),
    # The renewal gates, asked of a renewal only (a new application leaves the first two blank).
    ("是否按期更新企业信息", None, "annual_update_on_time", "bool"),
    ("重大变化报告情况", None, "major_change_report", "enum"),
    ("近三年是否被撤销称号", None, "revoked_3y", "bool"),
    ("联系人", None, None, "contact"),
]

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def write_sample_roster(path: Path, year: int = SAMPLE_YEAR, count: int = 48) -> Path:
    """A county office's roster: title rows, merged two-row header, mixed units and spellings."""
    catalogue = load_catalogue()
    people = applicants(count, year, seed=20260301)
    people[11]["uscc"] = people[10]["uscc"]  # row 12 repeats row 11's code
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "申报名单"
    sheet["A1"] = f"{year}年度专精特新中小企业申报汇总表"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(COLUMNS))
    sheet["A2"] = "填报单位（盖章）：江宁区工业和信息化局　　　填报日期：2026年3月"
    years = {"y1": year - 1, "y2": year - 2, "y3": year - 3}
    top, bottom = 3, 4
    col = 1
    while col <= len(COLUMNS):
        head, sub, _, _ = COLUMNS[col - 1]
        if sub is None:
            sheet.cell(top, col, head)
            sheet.merge_cells(start_row=top, end_row=bottom, start_column=col, end_column=col)
            col += 1
            continue
        span = 1
        while col - 1 + span < len(COLUMNS) and COLUMNS[col - 1 + span][0] == head:
            span += 1
        sheet.cell(top, col, head)
        if span > 1:
            sheet.merge_cells(
                start_row=top, end_row=top, start_column=col, end_column=col + span - 1
            )
        for offset in range(span):
            sheet.cell(bottom, col + offset, COLUMNS[col - 1 + offset][1].format(**years))
        col += span
    for row in (top, bottom):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for index, person in enumerate(people, start=1):
        values = _shuffle_case(index, dict(person))
        excel_row = bottom + index
        for col, (_, _, key, how) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(excel_row, col)
            value = values.get(key) if key else None
            cell.value = _render(how, key, value, values, index, catalogue)
            if how == "percent-mixed" and index % 3 == 0 and value is not None:
                cell.value = float(value) / 100
                cell.number_format = "0.0%"
            if how == "date-mixed" and isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        if index == 22:
            sheet.cell(excel_row, 11, "约八千万")
        if index == 24:
            sheet.cell(excel_row, 11, f"=J{excel_row}*1.1")
        if index == 34:
            sheet.cell(excel_row, 24, "待定")
    # A blank line and the signature line after the data, as county offices send them.
    last = bottom + len(people)
    sheet.cell(last + 2, 2, "合计")
    sheet.cell(last + 2, 11, f"=SUM(K{bottom + 1}:K{last})")
    sheet.column_dimensions["E"].hidden = True
    sheet.freeze_panes = sheet.cell(bottom + 1, 3)
    for letter, width in (("B", 34), ("C", 22)):
        sheet.column_dimensions[letter].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _render(
    how: str, key: str | None, value: Any, values: dict[str, Any], index: int, catalogue: Any
) -> Any:
    if how == "serial":
        return index
    if how == "contact":
        return "张工 138****0000" if index % 4 == 0 else None
    if how == "ratio":
        rd, revenue = values.get("rd_expense_y1"), values.get("revenue_y1")
        if rd is None or not revenue:
            return None
        ratio = rd / revenue * 100
        if index == 26:
            ratio += Decimal(2)
        return f"{ratio:.2f}%"
    if value is None:
        return "—" if how in ("money", "money-mixed") and index % 5 == 0 else None
    if how == "text":
        return value
    if how == "date-mixed":
        return [value, f"{value.year}年{value.month}月", value.isoformat(), f"{value:%Y.%m}"][
            index % 4
        ]
    if how == "enum":
        return catalogue[key].option_labels[value]
    if how == "money-mixed":
        if index % 4 == 1:
            return f"{value:,.2f}"
        if index % 4 == 2:
            return f"{value:,.2f}".translate(_FULLWIDTH)
        return float(value)
    if how == "money":
        return float(value)
    if how == "yuan":
        return float(value * 10000)
    if how == "int-fullwidth":
        return str(value).translate(_FULLWIDTH) if index % 6 == 0 else value
    if how == "int":
        return value
    if how == "percent-mixed":
        return f"{value}%" if index % 3 == 1 else float(value)
    if how == "bool":
        return "是" if value else "否"
    if how == "bool-mixed":
        return ("是" if value else "否", "√" if value else "×", "Y" if value else "N")[index % 3]
    if how == "count-none":
        return "无" if value == 0 else value
    return value


def write_sample_forms(folder: Path, year: int = SAMPLE_YEAR) -> list[Path]:
    """Five filled form workbooks, one with inserted rows, one with a bad check character."""
    catalogue = load_catalogue()
    people = applicants(5, year, seed=20260415)
    paths = []
    for index, person in enumerate(people, start=1):
        values = dict(person)
        if index == 4:
            code = values["uscc"]
            values["uscc"] = code[:17] + ("0" if code[17] != "0" else "1")
        short = values["name"][:6]
        path = folder / f"{index:02d}_{short}.xlsx"
        write_form_template(path, catalogue, year, values)
        if index == 2:
            workbook = openpyxl.load_workbook(path)
            sheet = workbook["申报表"]
            sheet.insert_rows(3, amount=3)
            sheet["A3"] = "申报单位（盖章）："
            sheet["A4"] = "联系人及电话："
            workbook.save(path)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "resources/samples")
    write_sample_roster(out / ROSTER_NAME)
    write_sample_forms(out / FORMS_DIR)
    print(f"已写入 {out / ROSTER_NAME} 与 {out / FORMS_DIR}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
