"""One applicant from forms and Word tables: labels beside or above values, year columns (calendar
or 近一年…), unit columns, years as rows; every value with its cell and the rule for its year."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zjtx.domain.applicant import Provenance
from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.issues import Severity
from zjtx.intake.form_base import (
    _LABEL_KINDS,
    MANUAL,
    FormReaderBase,
    _merged_end,
    _Placed,
    _text,
    _YearSlot,
)
from zjtx.intake.form_labels import (
    TextLabel,
    ignored_figure_message,
    is_figure,
    is_unit,
    names_something,
    no_answer,
    no_label,
    text_labels_message,
)
from zjtx.intake.headers import (
    YEAR_COLUMN_WORDS,
    HeaderMatch,
    checked_match,
    clean,
    match_header,
    names_year,
    split_units,
    year_cell,
)
from zjtx.intake.ip_count import count_ip
from zjtx.intake.ip_list import find_ip_tables
from zjtx.intake.product_table import read_product_tables
from zjtx.intake.records import ColumnMapping, Record, StatedRatio
from zjtx.intake.roster import _ratio_value
from zjtx.intake.sheet_data import SheetData, sheet_ref
from zjtx.intake.values import raw_text
from zjtx.intake.wording import OTHER_WORDING, other_wording, other_wording_message
from zjtx.intake.year_columns import NOT_READ, not_ended, not_read_message, partial_year

YEAR_HEADER_SEARCH = 12  # rows above a series label searched for the year header
_UNIT_COLUMN_WORDS = frozenset({"单位", "计量单位", "金额单位", "数据单位"})
_UNIT_TEXT = re.compile(
    r"^[(（]?(?:金额)?(?:单位[:：]?)?(百万元|亿元|万元|千元|元|%|人|项|个|名|级|分|年|家)[)）]?$"
)
# A corner over a column of years that does not say 年度: 项目, 指标, or nothing.
_CORNER_WORDS = frozenset({"", "项目", "指标", "指标名称", "项目名称", "科目", "主要指标"})


def _covered(sheet: SheetData) -> set[tuple[int, int]]:
    cells = set()
    for r1, c1, r2, c2 in sheet.merged:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    cells.add((r, c))
    return cells


_DATED_HEADING = re.compile(r"^\s*(?:19|20)\d{2}年\s*\d{1,2}月\s*\d{1,2}日\s*$")


def _dated_heading(sheet: SheetData, r: int) -> str | None:
    """A date heading a column above row ``r`` (2025年12月31日), where a year was wanted."""
    for row in sheet.rows[max(0, r - YEAR_HEADER_SEARCH) : r]:
        for value in row:
            if isinstance(value, str) and _DATED_HEADING.match(value):
                return " ".join(value.split())
    return None


def _heads_years(row: list[Any], c: int) -> bool:
    """Whether a lone year cell at ``c`` can head a column: nothing, a corner (指标, 年度) or
    a 单位 before it, not a label it would answer."""
    before = row[c - 1] if 0 < c <= len(row) else ""
    if before in ("", None) or not isinstance(before, str):
        return True
    word = clean(split_units(before)[0])
    return word in _CORNER_WORDS or word in YEAR_COLUMN_WORDS or word in _UNIT_COLUMN_WORDS


def form_score(sheet: SheetData, catalogue: FieldCatalogue, year: int) -> int:
    """How many cells of the sheet are field labels (to pick the form sheet)."""
    count = 0
    for row in sheet.rows[:300]:
        for value in row[:12]:
            if isinstance(value, str) and value.strip():
                match = match_header(value, catalogue, year)
                if match.kind in ("field", "no-year"):
                    count += 1
    return count


@dataclass(slots=True)
class _Axis:
    """A row of year column headers, with the 单位 column beside them if there is one."""

    row: int
    slots: list[_YearSlot]
    unit_col: int | None
    units: dict[int, str | None] = field(default_factory=dict)
    placed: dict[int, _Placed] | None = None
    # Columns headed by part of a year (2026年1-5月): position -> (header, where), never read.
    partial: dict[int, tuple[str, str]] = field(default_factory=dict)


class _FormReader(FormReaderBase):
    """Reads grids (sheets, Word tables) into one Record."""

    # ---- one grid -----------------------------------------------------------------------------

    def read(self, sheet: SheetData) -> None:
        merged_end = _merged_end(sheet)
        covered = _covered(sheet)
        consumed: set[tuple[int, int]] = set()
        for table in find_ip_tables(sheet):
            # An IP list's cells are items, not labels ("名称" there is the patent's name).
            self.ip_tables.append((sheet, table))
            for r in (table.header_row, *table.rows):
                consumed.update((r, c) for c in range(len(sheet.rows[r])))
        read_product_tables(self, sheet, covered, consumed)
        self.years_as_rows(sheet, consumed, covered)
        axes: dict[int, _Axis | None] = {}
        rows = sheet.rows
        # A paragraph's or a cell's (label, answer): its answer is never a label of its own.
        labels_end = 1 if sheet.ref_style in ("paragraph", "cells") else None
        self.answers = set()
        self.parent = None
        for r, row in enumerate(rows):
            for c, label in enumerate(row[:labels_end]):
                if not isinstance(label, str) or not label.strip():
                    continue
                if (r, c) in covered or (r, c) in consumed or (r, c) in self.answers:
                    continue
                value_col = merged_end.get((r, c), c) + 1
                group = self.group_rows(sheet, r, c, value_col, merged_end)
                if group and any(self.sub_match(label, sub)[0] for _, sub, _ in group):
                    for rr, sub, answer_col in group:
                        consumed.add((rr, value_col))
                        self.sub_label(sheet, label, sub, rr, value_col, answer_col, axes, covered)
                    continue
                match = self.match(label)
                shown = " ".join(label.split())
                if match.kind == "unknown" and self.parent is not None:
                    # 其中自主研发 after Ⅰ类知识产权: the sub-label read with its parent's words.
                    found, shown = self.under_parent(label)
                    match = found or match
                if match.kind not in _LABEL_KINDS:
                    self.unread_label(sheet, match, r, c, value_col, label)
                    continue
                where_label = sheet_ref(sheet, r, c)
                if match.kind == "field":
                    if not clean(label).startswith("其中"):
                        self.parent = label
                    self.field_label(sheet, match, r, c, value_col, shown, axes, covered)
                elif match.kind == "no-year":
                    axis = self.axis_above(sheet, r, value_col, axes)
                    if axis is None:
                        dated = _dated_heading(sheet, r)
                        detail = (
                            f"表头的“{dated}”是日期，不是年度：请把该列表头写成“{dated[:5]}”"
                            if dated
                            else match.detail
                        )
                        self.issue(
                            "header-year-missing", f"“{shown}”：{detail}", sheet, where_label
                        )
                    else:
                        self.series_row(sheet, match, match.key or "", r, value_col, shown, axis)
                elif match.kind == "ratio":
                    axis = (
                        self.axis_above(sheet, r, value_col, axes) if match.year is None else None
                    )
                    self.ratio_label(sheet, match, r, value_col, shown, where_label, axis)
                elif match.kind in ("window", "window-ambiguous"):
                    code = "year-window" if match.kind == "window" else "year-window-ambiguous"
                    self.issue(
                        code,
                        f"{self.at(sheet, r, c)}“{shown}”{match.detail}",
                        sheet,
                        where_label,
                        severity=Severity.INFO if match.kind == "window" else Severity.WARNING,
                    )
                elif match.kind == "bad-year" and not_ended(match.year_index):
                    # 2026年营业收入 in a 2026 round: the figure alone is not read, as in a roster.
                    message = f"{self.at(sheet, r, c)}“{shown}”：{match.detail}；未导入"
                    self.issue(NOT_READ, message, sheet, where_label, severity=Severity.WARNING)
                elif match.kind == "bad-year":  # 2022年营业收入 in a 2026 round, as in a roster
                    message = f"“{shown}”：{match.detail}；未导入"
                    self.issue(
                        "year-out-of-round", message, sheet, where_label, severity=Severity.WARNING
                    )
                else:
                    message = f"“{shown}”：{match.detail}；未导入"
                    self.issue("header-unit-invalid", message, sheet, where_label)

    def sub_label(
        self,
        sheet: SheetData,
        group: str,
        sub: str,
        r: int,
        c: int,
        answer_col: int,
        axes: dict[int, _Axis | None],
        covered: set[tuple[int, int]],
    ) -> None:
        """A sub-label read with its group's words (主导产品 + 产品名称 = 主导产品名称, 营业收入 +
        2025年（万元）), else alone (其中研发人员 under 从业人员)."""
        match, shown = self.sub_match(group, sub)
        if match is not None:
            self.field_label(sheet, match, r, c, answer_col, shown, axes, covered)
        else:
            self.unread_label(sheet, self.match(_text(sub)), r, c, answer_col, sub)

    def unread_label(
        self, sheet: SheetData, match: HeaderMatch, r: int, c: int, value_col: int, label: str
    ) -> None:
        """List a label the evaluator left unread, and report one the catalogue does not know
        that has an answer beside it: a figure as a warning of its own, text in the form's
        note of labels not read (so the wizard can offer to correct either)."""
        shown = " ".join(label.split())
        if match.kind == "ignored":
            self.mappings.append(
                ColumnMapping(
                    header=shown, field=None, unit=None, year=None, cell=sheet_ref(sheet, r, c),
                    role="ignored", sheet=sheet.name, manual=True, detail="按评审人的更正不读取",
                )
            )  # fmt: skip
            return
        if match.kind != "unknown" or no_label(shown):
            return
        answer_col = value_col
        answer = self.value(sheet, r, answer_col)
        if is_unit(answer):
            answer_col += 1  # 出口创汇 | 万元 | 1200: a unit column between label and figure
            answer = self.value(sheet, r, answer_col)
        if no_answer(answer) or (isinstance(answer, str) and self.is_label(answer)):
            return
        self.answers.add((r, answer_col))
        asked = other_wording(shown, self.catalogue, self.year)
        if asked is not None:  # the 2022 incidents question in a 2026 round: not its answer
            message = other_wording_message(self.at(sheet, r, c), shown, raw_text(answer), asked)
            cell = sheet_ref(sheet, r, c)
            self.issue(OTHER_WORDING, message, sheet, cell, asked.key, Severity.WARNING)
            detail = f"另一版评价标准的问法，本批次问“{asked.label}”，所填内容未导入"
            self.mappings.append(
                ColumnMapping(
                    header=shown, field=None, unit=None, year=None, cell=cell,
                    role="unknown", sheet=sheet.name, detail=detail,
                )
            )  # fmt: skip
            return
        figure = is_figure(answer) and not names_something(shown)
        if figure:
            message = ignored_figure_message(self.at(sheet, r, c), shown, answer)
            cell = sheet_ref(sheet, r, c)
            self.issue("label-ignored", message, sheet, cell, severity=Severity.WARNING)
        else:
            self.text_labels.append(
                TextLabel(sheet.name, sheet_ref(sheet, r, c), self.at(sheet, r, c), shown,
                          raw_text(answer))
            )  # fmt: skip
        detail = "字段目录中没有这个栏目，旁边的" + ("数值未导入" if figure else "内容未导入")
        self.mappings.append(
            ColumnMapping(
                header=shown, field=None, unit=None, year=None, cell=sheet_ref(sheet, r, c),
                role="unknown", sheet=sheet.name, detail=detail,
            )
        )  # fmt: skip

    def under_parent(self, label: str) -> tuple[HeaderMatch | None, str]:
        """A 其中 label the catalogue does not know read with the label before it (其中自主研发
        after Ⅰ类知识产权 is 自主研发Ⅰ类知识产权), and how to show it; (None, label) otherwise."""
        shown = " ".join(label.split())
        rest = re.sub(r"^其中\s*[:：、,，]?\s*", "", shown)
        if rest == shown or not rest or self.parent is None:
            return None, shown
        parent = split_units(self.parent)[0]
        match, joined = self.sub_match(parent, rest)
        return (match, joined) if match is not None else (None, shown)

    def field_label(
        self,
        sheet: SheetData,
        match: HeaderMatch,
        r: int,
        c: int,
        value_col: int,
        shown: str,
        axes: dict[int, _Axis | None],
        covered: set[tuple[int, int]],
    ) -> None:
        key = match.key or ""
        spec = self.catalogue[key]
        if spec.year is not None and not names_year(shown, self.year):
            # "从业人员" in a table of year columns: its value sits under 近一年 / 2025年.
            axis = self.axis_above(sheet, r, value_col, axes)
            if axis is not None:
                beside = self.value(sheet, r, value_col)
                slots = {slot.pos for slot in axis.slots}
                if value_col in slots or value_col == axis.unit_col or beside in ("", None):
                    self.series_row(sheet, match, spec.base, r, value_col, shown, axis)
                    return
        beside = self.value(sheet, r, value_col)
        target = (r, value_col)
        # A paragraph's (or a cell's) answer is in it: the next one answers something else.
        if sheet.ref_style not in ("paragraph", "cells") and (
            beside in ("", None) or (isinstance(beside, str) and self.is_label(beside))
        ):
            below = self.label_above_value(sheet, r, c, value_col, covered)
            if below is not None:
                target = below
            elif isinstance(beside, str) and beside.strip():
                return  # the next cell is another label: this one was left empty
        if target[1] < len(sheet.rows[target[0]]):
            self.answers.add(target)
            self.take(sheet, key, *target, match.unit)
        else:  # a label merged to the table's edge, nothing under it: the label is the place
            self.record.cells.setdefault(key, self.at(sheet, r, c))
        calendar = match.year if match.year is not None else None
        if calendar is None and spec.year:
            calendar = self.year - spec.year
        self.mappings.append(
            ColumnMapping(
                header=shown,
                field=key,
                unit=match.unit,
                year=calendar,
                cell=sheet_ref(sheet, r, c),
                sheet=sheet.name,
                manual=match.detail == MANUAL,
            )
        )

    def is_label(self, text: str) -> bool:
        return self.match(text).kind in _LABEL_KINDS

    def label_above_value(
        self, sheet: SheetData, r: int, c: int, value_col: int, covered: set[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """The cell under a label when the label's row is a row of labels (主导产品名称 |
        所属行业代码 over their values), else None. A label merged across its row has its
        answer anywhere under it (a code's boxes start in its second column)."""
        row = sheet.rows[r]
        texts = [v for v in row if isinstance(v, str) and v.strip()]
        labels = sum(1 for v in texts if self.is_label(v))
        if len(texts) == 1 and r + 1 < len(sheet.rows):
            under = [k for k, v in enumerate(sheet.rows[r + 1]) if not (v == "" or v is None)]
            if len(under) == 1 and c < under[0] < value_col:
                c = under[0]
        below = self.value(sheet, r + 1, c)
        if below in ("", None) or (r + 1, c) in covered:
            return None
        if isinstance(below, str) and (
            not below.strip() or self.is_label(below) or below.rstrip().endswith((":", "："))
        ):
            return None  # another label ("联系人及电话：" under an empty "申报单位：")
        if labels >= 2 and labels == len(texts):
            return (r + 1, c)
        if len(texts) == 1 and not texts[0].rstrip().endswith((":", "：")):
            under = [v for v in sheet.rows[r + 1] if not (v == "" or v is None)]
            if len(under) == 1:
                return (r + 1, c)
        return None

    def axis_at(self, sheet: SheetData, r: int, axes: dict[int, _Axis | None]) -> _Axis | None:
        if r in axes:
            return axes[r]
        slots = []
        unit_col = None
        partial: dict[int, tuple[str, str]] = {}
        for c, value in enumerate(sheet.rows[r]):
            calendar, relative = year_cell(value)
            if calendar is not None or relative is not None:
                slots.append(_YearSlot(c, calendar, relative, _text(value) or raw_text(value),
                                       self.at(sheet, r, c)))  # fmt: skip
            elif isinstance(value, str) and clean(value) in _UNIT_COLUMN_WORDS:
                unit_col = c
            elif partial_year(value) is not None:
                partial[c] = (partial_year(value) or "", self.at(sheet, r, c))
        if unit_col is None and slots:
            # A 单位 heading merged down a two-row header stands in the row above the years.
            for above in sheet.rows[max(0, r - 2) : r]:
                for c, value in enumerate(above):
                    if isinstance(value, str) and clean(value) in _UNIT_COLUMN_WORDS:
                        unit_col = c
        if len(slots) == 1 and not _heads_years(sheet.rows[r], slots[0].pos):
            slots = []  # one year right after a label is its answer (认定年份 | 2023), no axis
        axis = None
        if slots:
            axis = _Axis(r, slots, unit_col, partial=partial)
            for slot in slots:
                axis.units[slot.pos] = self.header_unit(sheet, r, slot.pos)
        axes[r] = axis
        return axis

    def header_unit(self, sheet: SheetData, r: int, c: int) -> str | None:
        """The unit a year column's header gives: in the cell itself, in a group title above it
        (经济指标（万元）merged over the years) or in a note such as “单位：万元” above."""
        unit = split_units(_text(self.value(sheet, r, c)))[1]
        if unit is not None:
            return unit
        for rr in range(r - 1, max(-1, r - 4), -1):
            for r1, c1, r2, c2 in sheet.merged:
                if r1 <= rr <= r2 and c1 <= c <= c2:
                    unit = split_units(_text(self.value(sheet, r1, c1)))[1]
                    if unit is not None:
                        return unit
            text = _text(self.value(sheet, rr, c))
            if text:
                unit = split_units(text)[1]
                if unit is not None:
                    return unit
            for value in sheet.rows[rr] if rr < len(sheet.rows) else ():
                note = _UNIT_TEXT.match(
                    unicodedata.normalize("NFKC", _text(value)).replace(" ", "")
                )
                if note and "单位" in _text(value):
                    return note.group(1)
        return None

    def axis_above(
        self, sheet: SheetData, r: int, value_col: int, axes: dict[int, _Axis | None]
    ) -> _Axis | None:
        for above in range(r - 1, max(-1, r - 1 - YEAR_HEADER_SEARCH), -1):
            axis = self.axis_at(sheet, above, axes)
            if axis is not None and any(slot.pos >= value_col for slot in axis.slots):
                return axis
        return None

    def series_row(
        self,
        sheet: SheetData,
        match: HeaderMatch,
        base: str,
        r: int,
        value_col: int,
        shown: str,
        axis: _Axis,
    ) -> None:
        if axis.placed is None:
            axis.placed = self.place(sheet, axis.slots)
        unit = match.unit
        if axis.unit_col is not None:
            text = _text(self.value(sheet, r, axis.unit_col))
            found = _UNIT_TEXT.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
            unit_at = sheet_ref(sheet, r, axis.unit_col)
            if found is not None:
                unit = found.group(1)
            elif text:
                self.issue(
                    "header-unit-invalid",
                    f"{self.at(sheet, r, axis.unit_col)}：不认识的单位“{text}”"
                    "（可填 元、万元、亿元、人、%…）；该行未导入",
                    sheet,
                    unit_at,
                )
                return
        else:
            unit_at = None
        for pos, (header, header_at) in axis.partial.items():
            if pos >= value_col:  # 2026年1-5月: part of a year, said, never read
                self.not_read(sheet, r, pos, shown, header, header_at)
        for slot in axis.slots:
            if slot.pos < value_col or slot.pos not in axis.placed:
                continue
            placed = axis.placed[slot.pos]
            key = f"{base}_y{placed.index}"
            value = self.value(sheet, r, slot.pos)
            if key not in self.catalogue:
                if value in ("", None):
                    continue
                if 1 <= placed.index <= 3:
                    self.issue(
                        "year-not-needed",
                        f"{self.at(sheet, r, slot.pos)}：本批次不需要{placed.calendar}年的"
                        f"“{shown}”，未读取",
                        sheet,
                        sheet_ref(sheet, r, slot.pos),
                        severity=Severity.INFO,
                    )
                elif not_ended(placed.index):
                    self.not_read(sheet, r, slot.pos, shown, slot.text, slot.where)
                else:
                    self.issue(
                        "year-out-of-round",
                        f"{slot.where}：{placed.calendar}年不在本批次（{self.year}年度）的"
                        "申报年度内；该列未导入，企业的其余数据照常导入",
                        sheet,
                        sheet_ref(sheet, r, slot.pos),
                        severity=Severity.WARNING,
                    )
                continue
            spec = self.catalogue[key]
            column_unit = unit if unit is not None else axis.units.get(slot.pos)
            if column_unit is not None and checked_match(spec, column_unit, None).kind != "field":
                where = unit_at or sheet_ref(sheet, r, slot.pos)
                self.issue(
                    "header-unit-invalid",
                    f"{self.at(sheet, r, axis.unit_col) if unit_at else slot.where}："
                    f"{spec.relative_label()}不能使用单位“{column_unit}”；该行未导入",
                    sheet,
                    where,
                    key,
                )
                return
            self.answers.add((r, slot.pos))
            self.take(sheet, key, r, slot.pos, column_unit, placed.rule)
            self.mappings.append(
                ColumnMapping(
                    header=f"{shown} / {slot.text}",
                    field=key,
                    unit=column_unit,
                    year=placed.calendar,
                    cell=sheet_ref(sheet, r, slot.pos),
                    sheet=sheet.name,
                    detail=placed.rule or "",
                )
            )

    def not_read(
        self, sheet: SheetData, r: int, c: int, label: str, header: str, header_at: str
    ) -> None:
        """Say a figure under a column of a year the round does not read (its own year, a later
        one, part of a year) is not imported: a warning, the enterprise's other figures read."""
        value = self.value(sheet, r, c)
        if value in ("", None) or (isinstance(value, str) and not value.strip()):
            return
        self.answers.add((r, c))
        message = not_read_message(
            self.at(sheet, r, c), label, header, header_at, raw_text(value), self.year
        )
        self.issue(NOT_READ, message, sheet, sheet_ref(sheet, r, c), severity=Severity.WARNING)

    def ratio_label(
        self,
        sheet: SheetData,
        match: HeaderMatch,
        r: int,
        value_col: int,
        shown: str,
        where_label: str,
        axis: _Axis | None = None,
    ) -> None:
        # Under a row of years (2023年 | 2024年 | 2025年), each year's ratio is its own, checked
        # against that year's amounts; else the figure beside the label is the label's year's.
        if axis is not None and axis.placed is None:
            axis.placed = self.place(sheet, axis.slots)
        cells = (
            [
                (slot.pos, axis.placed[slot.pos].index)
                for slot in axis.slots
                if slot.pos >= value_col
                and slot.pos in axis.placed
                and 1 <= axis.placed[slot.pos].index <= 3
            ]
            if axis is not None and axis.placed
            else [(value_col, match.year_index or 1)]
        )
        named = sheet.name if sheet.ref_style != "a1" else None
        for col, year_index in cells:
            value = self.value(sheet, r, col)
            self.answers.add((r, col))
            stated = None
            if value != "" and value is not None:
                stated = _ratio_value(value, (r, col) in sheet.percent_cells)
            if stated is not None:
                self.record.ratios.append(
                    StatedRatio(
                        ratio=match.ratio or "",
                        year_index=year_index,
                        value=stated[0],
                        cell=sheet_ref(sheet, r, col),
                        raw=raw_text(value),
                        sheet=named,
                    )
                )
        self.mappings.append(
            ColumnMapping(
                header=shown, field=None, unit=match.unit, year=match.year,
                cell=where_label, role="ratio", sheet=sheet.name,
            )
        )  # fmt: skip

    def years_as_rows(
        self, sheet: SheetData, consumed: set[tuple[int, int]], covered: set[tuple[int, int]]
    ) -> None:
        """A table whose first column is 年度 and whose columns are indicators: each row is
        one year of this applicant."""
        rows = sheet.rows
        for r, row in enumerate(rows):
            for c0, head in enumerate(row):
                if not isinstance(head, str) or (r, c0) in consumed:
                    continue
                corner = clean(split_units(head)[0])
                if corner not in YEAR_COLUMN_WORDS and not (
                    # 项目 or nothing in a header's corner (its row's first cell), two years or
                    # more under it: a blank answer over a year value is no corner.
                    corner in _CORNER_WORDS
                    and not any(v not in ("", None) for v in row[:c0])
                    and year_cell(self.value(sheet, r + 1, c0)) != (None, None)
                    and year_cell(self.value(sheet, r + 2, c0)) != (None, None)
                ):
                    continue
                indicators = []
                for c, text in enumerate(row):
                    if c == c0 or not isinstance(text, str) or not text.strip():
                        continue
                    match = self.match(text)
                    if match.kind == "no-year":
                        indicators.append((c, match, match.key or ""))
                    elif match.kind == "field" and not names_year(text, self.year):
                        spec = self.catalogue[match.key or ""]
                        if spec.year is not None:
                            indicators.append((c, match, spec.base))
                slots = []
                r2 = r + 1
                while r2 < len(rows):
                    value = self.value(sheet, r2, c0)
                    calendar, relative = year_cell(value)
                    if calendar is None and relative is None:
                        break
                    slots.append(_YearSlot(r2, calendar, relative, _text(value) or raw_text(value),
                                           self.at(sheet, r2, c0)))  # fmt: skip
                    r2 += 1
                if not indicators or not slots:
                    continue
                # A row of part of a year after the years (2026年1-5月): said, never read.
                partial = partial_year(self.value(sheet, r2, c0)) if r2 < len(rows) else None
                placed = self.place(sheet, slots)
                consumed.update((r, c) for c in range(len(row)))
                for slot in slots:
                    consumed.update((slot.pos, c) for c in range(len(rows[slot.pos])))
                if partial is not None:
                    consumed.update((r2, c) for c in range(len(rows[r2])))
                for c, match, base in indicators:
                    shown = _text(row[c])
                    unit = match.unit or self.header_unit(sheet, r, c)
                    if partial is not None:
                        self.not_read(sheet, r2, c, shown, partial, self.at(sheet, r2, c0))
                    for slot in slots:
                        if slot.pos not in placed:
                            continue
                        where = placed[slot.pos]
                        key = f"{base}_y{where.index}"
                        if key not in self.catalogue and not_ended(where.index):
                            self.not_read(sheet, slot.pos, c, shown, slot.text, slot.where)
                            continue
                        if key not in self.catalogue:
                            if self.value(sheet, slot.pos, c) not in ("", None):
                                severity = (
                                    Severity.INFO if 1 <= where.index <= 3 else Severity.WARNING
                                )
                                self.issue(
                                    "year-not-needed" if severity == Severity.INFO
                                    else "year-out-of-round",
                                    f"{self.at(sheet, slot.pos, c)}：本批次（{self.year}年度）"
                                    f"不需要{where.calendar}年的“{shown}”，未读取",
                                    sheet,
                                    sheet_ref(sheet, slot.pos, c),
                                    severity=severity,
                                )  # fmt: skip
                            continue
                        self.take(sheet, key, slot.pos, c, unit, where.rule)
                        self.mappings.append(
                            ColumnMapping(
                                header=f"{shown} / {slot.text}",
                                field=key,
                                unit=unit,
                                year=where.calendar,
                                cell=sheet_ref(sheet, slot.pos, c),
                                sheet=sheet.name,
                                detail=where.rule or "",
                            )
                        )


def read_form(
    sheets: SheetData | Sequence[SheetData],
    catalogue: FieldCatalogue,
    year: int,
    file: str,
    problems: Sequence[tuple[str, str]] = (),
    label_overrides: Mapping[str, tuple[str | None, str | None]] | None = None,
    seen: FormLabels | None = None,
) -> tuple[Record, list[ColumnMapping]]:
    """One applicant from a form sheet, or from every table of a Word document, and how each
    label was understood.

    ``problems`` are (table, message) of parts that could not be read (a ragged Word table):
    each is an error of the applicant, naming the table. ``label_overrides`` map a cleaned
    label to (field key or None to leave it unread, unit): the evaluator's corrections;
    ``seen`` gets the labels recognised by themselves and the corrected labels found.
    """
    grids = [sheets] if isinstance(sheets, SheetData) else list(sheets)
    single = grids[0].name if len(grids) == 1 and grids[0].ref_style == "a1" else None
    record = Record(file=file, sheet=single, row=None, source=Provenance(file=file, sheet=single))
    reader = _FormReader(catalogue, year, file, record, label_overrides)
    reader.survey(grids)
    for grid in grids:
        reader.read(grid)
    if reader.ip_tables:
        count_ip(reader)
    reader.say_units()
    record.uscc_text = record.values.get("uscc")
    for table, message in problems:
        record.add("table-ragged", Severity.ERROR, message, sheet=table)
    for code, severity, message, key, sheet, cell in reader.deferred:
        record.add(code, severity, message, field_key=key, cell=cell, sheet=sheet)
    if reader.text_labels:
        first = reader.text_labels[0]
        record.add(
            "label-text-ignored",
            Severity.INFO,
            text_labels_message(reader.text_labels),
            cell=first.cell,
            sheet=first.sheet,
        )
    for grid in grids:
        columns = reader.enterprise_columns(grid)
        if columns is not None:
            r, cs = columns
            record.add(
                "form-enterprises-as-columns",
                Severity.ERROR,
                f"{reader.at(grid, r, cs[0])}起的一行有 {len(cs)} 家企业的统一社会信用代码：这是"
                "每列一家企业的名单，不是一家企业的申报表，未导入：请在 Excel 中转置（复制后"
                "选择性粘贴 → 转置）成每行一家企业后再导入",
                cell=sheet_ref(grid, r, cs[0]),
                sheet=grid.name,
            )
    another = reader.another_enterprise()
    if another is not None:
        name, code, grid, cell = another
        where = cell if grid.ref_style == "a1" else f"{grid.name} {cell}"
        # The second enterprise's figures conflict with the first's: the error that explains
        # them goes before them, counting them.
        conflicts = [
            i for i, issue in enumerate(record.issues)
            if issue.code == "conflicting-values" and issue.sheet == grid.name
        ]  # fmt: skip
        following = f"；下列 {len(conflicts)} 处“不一致”即由此而来" if conflicts else ""
        record.add(
            "form-several-applicants",
            Severity.ERROR,
            f"这份申请书中还有另一家企业（{name}，{code}，{where}）：如是两家"
            "企业的申请书，请分开后再导入；如是客户、股东等其他企业的表格，请在导入向导中把这些"
            f"栏目设为不读取{following}",
            cell=cell,
            sheet=grid.name,
        )
        if conflicts:
            record.issues.insert(conflicts[0], record.issues.pop())
    if seen is not None:
        seen.recognised |= reader.labels
        seen.corrected |= reader.overridden
    return record, reader.mappings


@dataclass(slots=True)
class FormLabels:
    """The labels of a form: recognised by themselves, and corrected by the evaluator."""

    recognised: set[str] = field(default_factory=set)
    corrected: set[str] = field(default_factory=set)

    def fingerprint(self) -> str:
        """The form's layout: its recognised labels, sorted and hashed."""
        import hashlib

        text = "\n".join(sorted(self.recognised))
        return "form-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
