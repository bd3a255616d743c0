"""Roster and form templates generated from the field catalogue (openpyxl)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.files import write_atomically

ROSTER_SHEET = "申报名单"
FORM_SHEET = "申报表"
HELP_SHEET = "填表说明"
OPTIONS_SHEET = "选项"
ROSTER_ROWS = 500  # rows carrying validation and formats in the roster template

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_SECTION_FILL = PatternFill("solid", fgColor="BDD7EE")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NUMBER_FORMATS = {
    FieldType.MONEY: "#,##0.00",
    FieldType.PERCENT: "0.00",
    FieldType.DECIMAL: "0.##",
    FieldType.INT: "0",
    FieldType.DATE: "yyyy-mm-dd",
    FieldType.TEXT: "@",
}


# What a template is titled for where no tier is given: every tier's questions.
SUBJECT = "优质中小企业"


def header_text(spec: FieldSpec, year: int) -> str:
    """Template header: calendar-year label with its unit, e.g. ``2025年营业收入（万元）``."""
    label = spec.year_label(year)
    if spec.unit:
        return f"{label}（{spec.unit}）"
    return label


def template_fields(catalogue: FieldCatalogue) -> list[FieldSpec]:
    """Fields in template order: catalogue order, with year series oldest year first."""
    ordered: list[FieldSpec] = []
    seen_bases: set[str] = set()
    for spec in catalogue:
        if spec.year is None:
            ordered.append(spec)
        elif spec.base not in seen_bases:
            seen_bases.add(spec.base)
            series = [s for s in catalogue if s.base == spec.base and s.year is not None]
            ordered.extend(sorted(series, key=lambda s: -s.year))
    return ordered


def _comment(spec: FieldSpec, year: int) -> Comment:
    lines = [spec.year_label(year) if spec.year else spec.label]
    if spec.unit:
        lines.append(f"单位：{spec.unit}")
    if spec.type == FieldType.BOOL:
        lines.append("填“是”或“否”；不清楚请留空（留空表示未知，不是“否”）。")
    elif spec.type == FieldType.ENUM:
        lines.append("从下拉列表中选择：" + "、".join(label for _, label in spec.options))
    elif spec.type == FieldType.PERCENT:
        lines.append("填百分数的数值：12.5 表示 12.5%。")
    elif spec.type == FieldType.DATE:
        lines.append("日期，如 2019-03-01。")
    if spec.none_means_zero:
        lines.append("没有请填 0（留空表示未知）。")
    if spec.help:
        lines.append(spec.help)
    if spec.required:
        lines.append("必填。")
    comment = Comment("\n".join(lines), "zjtx")
    comment.width = 300
    comment.height = 40 + 18 * len(lines)
    return comment


class _Options:
    """The hidden 选项 sheet holding enumeration lists for drop-downs."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(OPTIONS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.columns: dict[str, str] = {}

    def formula(self, spec: FieldSpec) -> str:
        if spec.key not in self.columns:
            column = get_column_letter(len(self.columns) + 1)
            self.sheet[f"{column}1"] = spec.label
            labels = [label for _, label in spec.options]
            for row, label in enumerate(labels, start=2):
                self.sheet[f"{column}{row}"] = label
            self.columns[spec.key] = (
                f"{quote_sheetname(OPTIONS_SHEET)}!${column}$2:${column}${len(labels) + 1}"
            )
        return self.columns[spec.key]


def _validation(spec: FieldSpec, options: _Options) -> DataValidation | None:
    prompt = (spec.help or spec.label)[:250]
    if spec.type == FieldType.BOOL:
        rule = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        rule.error = "请选择“是”或“否”（不清楚请留空）"
    elif spec.type == FieldType.ENUM:
        rule = DataValidation(type="list", formula1=f"={options.formula(spec)}", allow_blank=True)
        rule.error = "请从下拉列表中选择"
    elif spec.type in (FieldType.MONEY, FieldType.DECIMAL, FieldType.PERCENT, FieldType.INT):
        kind = "whole" if spec.type == FieldType.INT else "decimal"
        low, high = spec.minimum, spec.maximum
        if low is not None and high is not None:
            rule = DataValidation(
                type=kind, operator="between", formula1=str(low), formula2=str(high)
            )
            rule.error = f"请填 {low} 到 {high} 之间的数"
        elif low is not None:
            rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
            rule.error = f"请填不小于 {low} 的数"
        else:
            rule = DataValidation(
                type=kind, operator="between", formula1="-1E+15", formula2="1E+15"
            )
            rule.error = "请填数值"
        rule.allow_blank = True
    elif spec.type == FieldType.DATE:
        rule = DataValidation(
            type="date", operator="between", formula1="1", formula2="73051", allow_blank=True
        )
        rule.error = "请填日期，如 2019-03-01"
    elif spec.key == "uscc":
        rule = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True)
        rule.error = "统一社会信用代码应为 18 位"
    else:
        return None
    rule.errorTitle = spec.label[:32]
    rule.prompt = prompt
    rule.promptTitle = spec.label[:32]
    rule.showErrorMessage = True
    rule.showInputMessage = True
    return rule


def _help_sheet(workbook: Workbook, catalogue: FieldCatalogue, year: int, kind: str) -> None:
    sheet = workbook.create_sheet(HELP_SHEET)
    intro = [
        f"{year}年度优质中小企业申报数据{'名单' if kind == 'roster' else '申报表'}填表说明",
        f"1. 年度按本批次（{year}年度）填写：{year - 1}年为上年度，{year - 2}年为前年，"
        f"{year - 3}年为大前年。",
        "2. 金额单位为万元（如使用元或亿元，请在列标题中写明单位，系统会自动换算）。",
        "3. 百分数填数值：12.5 表示 12.5%。",
        "4. 不清楚或没有数据的栏目请留空：留空表示“未知”，不会被当作 0 或“否”。"
        "知识产权、排名等计数栏目，没有请填 0。",
        "5. 统一社会信用代码为 18 位，请设为文本格式，系统会校验第 18 位校验码。",
        "6. 请勿合并数据单元格、请勿在数据区插入小计行；公式请在保存前计算。",
        "",
    ]
    for row, text in enumerate(intro, start=1):
        sheet.cell(row, 1, text)
    sheet["A1"].font = Font(bold=True, size=14)
    start = len(intro) + 1
    headers = ["栏目", "字段键", "类型", "单位", "可选值/范围", "说明"]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(start, col, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    type_names = {
        FieldType.TEXT: "文本",
        FieldType.INT: "整数",
        FieldType.DECIMAL: "数值",
        FieldType.MONEY: "金额",
        FieldType.PERCENT: "百分数",
        FieldType.BOOL: "是/否",
        FieldType.DATE: "日期",
        FieldType.ENUM: "选项",
    }
    for row, spec in enumerate(template_fields(catalogue), start=start + 1):
        if spec.type == FieldType.ENUM:
            allowed = "、".join(label for _, label in spec.options)
        elif spec.minimum is not None or spec.maximum is not None:
            low = "" if spec.minimum is None else str(spec.minimum)
            high = "" if spec.maximum is None else str(spec.maximum)
            allowed = f"{low}–{high}"
        else:
            allowed = ""
        values = [
            header_text(spec, year),
            spec.key,
            type_names[spec.type],
            spec.unit or "",
            allowed,
            spec.help + ("（必填）" if spec.required else ""),
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = _BORDER
    for col, width in zip("ABCDEF", (44, 26, 8, 8, 40, 60), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = sheet.cell(start + 1, 1)
    _fit_width(sheet, landscape=True)


def _write_value(cell: Any, spec: FieldSpec, value: Any) -> None:
    """Write a catalogue value the way an evaluator would type it."""
    if value is None:
        return
    if spec.type == FieldType.BOOL:
        cell.value = "是" if value else "否"
    elif spec.type == FieldType.ENUM:
        cell.value = spec.option_labels.get(str(value), str(value))
    elif spec.type in (FieldType.MONEY, FieldType.DECIMAL, FieldType.PERCENT):
        # A number when 15 significant digits hold it exactly, else text (read back exactly).
        number = float(value)
        cell.value = number if f"{number:.15g}" == _plain(value) else _plain(value)
    elif spec.type == FieldType.DATE and isinstance(value, date):
        cell.value = value
    else:
        cell.value = value


def _plain(value: Any) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def write_roster_template(
    out: Path,
    catalogue: FieldCatalogue,
    year: int,
    applicants: list[dict[str, Any]] | None = None,
    subject: str = SUBJECT,
) -> Path:
    """Write the roster template (optionally filled with applicants' values) to ``out``: a
    column per field of ``catalogue`` (a round's asks what its rulebooks read), titled for
    ``subject`` (the tier applied for)."""
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = ROSTER_SHEET
    options = _Options(workbook)
    fields = template_fields(catalogue)
    title = sheet.cell(1, 1, f"{year}年度{subject}申报名单（金额单位：万元；年度按本批次填写）")
    title.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=min(len(fields), 12))
    header_row = 2
    first_data = header_row + 1
    rows = max(ROSTER_ROWS, len(applicants or ()))
    last_data = header_row + rows
    for col, spec in enumerate(fields, start=1):
        cell = sheet.cell(header_row, col, header_text(spec, year))
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if spec.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = _BORDER
        cell.comment = _comment(spec, year)
        letter = get_column_letter(col)
        width = 36 if spec.key == "name" else 22 if spec.key == "uscc" else 16
        sheet.column_dimensions[letter].width = width
        rule = _validation(spec, options)
        if rule is not None:
            rule.add(f"{letter}{first_data}:{letter}{last_data}")
            sheet.add_data_validation(rule)
        number_format = _NUMBER_FORMATS.get(spec.type)
        if number_format:
            for row in range(first_data, last_data + 1):
                sheet.cell(row, col).number_format = number_format
    sheet.row_dimensions[header_row].height = 60
    sheet.freeze_panes = sheet.cell(first_data, 3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    for index, values in enumerate(applicants or (), start=first_data):
        for col, spec in enumerate(fields, start=1):
            _write_value(sheet.cell(index, col), spec, values.get(spec.key))
    _help_sheet(workbook, catalogue, year, "roster")
    workbook.move_sheet(OPTIONS_SHEET, offset=1)
    return write_atomically(Path(out), workbook.save)


def write_form_template(
    out: Path,
    catalogue: FieldCatalogue,
    year: int,
    values: dict[str, Any] | None = None,
    subject: str = SUBJECT,
) -> Path:
    """Write the per-enterprise form template (optionally filled) to ``out``.

    Layout: column A the label (with unit), column B the value; year series sit in a small
    table whose header row names the calendar years.
    """
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = FORM_SHEET
    options = _Options(workbook)
    values = values or {}
    title = sheet.cell(1, 1, f"{year}年度{subject}申报表")
    title.font = Font(bold=True, size=14)
    sheet.merge_cells("A1:D1")
    sheet.cell(2, 1, "金额单位：万元；留空表示未知；年度按本批次填写").font = Font(
        italic=True, color="666666"
    )
    row = 4
    fields = list(catalogue)
    groups: dict[str, list[FieldSpec]] = {}
    for spec in fields:
        groups.setdefault(spec.group, []).append(spec)
    for group, specs in groups.items():
        heading = sheet.cell(row, 1, catalogue.groups.get(group, group))
        heading.font = Font(bold=True)
        for col in range(1, 5):
            sheet.cell(row, col).fill = _SECTION_FILL
        row += 1
        singles = [s for s in specs if s.year is None or _series_len(catalogue, s) == 1]
        series_bases: list[str] = []
        for spec in specs:
            multi = spec.year is not None and _series_len(catalogue, spec) > 1
            if multi and spec.base not in series_bases:
                series_bases.append(spec.base)
        for spec in singles:
            label = header_text(spec, year)
            label_cell = sheet.cell(row, 1, label)
            label_cell.alignment = Alignment(wrap_text=True, vertical="center")
            if len(label) > 26:
                # Long labels wrap: give the row room for every line.
                sheet.row_dimensions[row].height = 15 * (len(label) // 26 + 1)
            label_cell.border = _BORDER
            label_cell.comment = _comment(spec, year)
            if spec.required:
                label_cell.fill = _REQUIRED_FILL
            value_cell = sheet.cell(row, 2)
            value_cell.border = _BORDER
            _format_value_cell(sheet, value_cell, spec, options)
            _write_value(value_cell, spec, values.get(spec.key))
            row += 1
        if series_bases:
            row += 1
            sheet.cell(row, 1, "指标（单位见栏目）").font = Font(bold=True)
            years = [3, 2, 1]
            for offset, y in enumerate(years, start=2):
                cell = sheet.cell(row, offset, f"{year - y}年")
                cell.font = Font(bold=True)
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(horizontal="center")
                cell.border = _BORDER
            sheet.cell(row, 1).fill = _HEADER_FILL
            sheet.cell(row, 1).border = _BORDER
            row += 1
            for base in series_bases:
                first = catalogue[f"{base}_y1"]
                label = f"{first.label}（{first.unit}）" if first.unit else first.label
                label_cell = sheet.cell(row, 1, label)
                label_cell.border = _BORDER
                label_cell.comment = _comment(first, year)
                for offset, y in enumerate(years, start=2):
                    spec = catalogue.get(f"{base}_y{y}")
                    if spec is None:
                        continue
                    cell = sheet.cell(row, offset)
                    cell.border = _BORDER
                    _format_value_cell(sheet, cell, spec, options)
                    _write_value(cell, spec, values.get(spec.key))
                row += 1
        row += 1
    sheet.column_dimensions["A"].width = 52
    for col in "BCD":
        sheet.column_dimensions[col].width = 18
    sheet.freeze_panes = "A4"
    _fit_width(sheet, landscape=False)
    _help_sheet(workbook, catalogue, year, "form")
    workbook.move_sheet(OPTIONS_SHEET, offset=1)
    return write_atomically(Path(out), workbook.save)


def _fit_width(sheet: Worksheet, *, landscape: bool) -> None:
    """Print on A4 one page wide (as many pages long as needed)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _series_len(catalogue: FieldCatalogue, spec: FieldSpec) -> int:
    return sum(1 for s in catalogue if s.base == spec.base and s.year is not None)


def _format_value_cell(sheet: Worksheet, cell: Any, spec: FieldSpec, options: _Options) -> None:
    number_format = _NUMBER_FORMATS.get(spec.type)
    if number_format:
        cell.number_format = number_format
    rule = _validation(spec, options)
    if rule is not None:
        rule.add(cell.coordinate)
        sheet.add_data_validation(rule)
