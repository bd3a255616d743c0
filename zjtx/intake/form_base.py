"""The form reader's groundwork: positions, issues, label matching, year placement, one value."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zjtx.domain.applicant import Provenance
from zjtx.domain.fields import FieldCatalogue, FieldType
from zjtx.domain.issues import Severity
from zjtx.domain.uscc import validate_uscc
from zjtx.intake.answer_notes import none_reading, read_as_written, says_none
from zjtx.intake.cell_text import normalise_text, shown_text
from zjtx.intake.headers import HeaderMatch, clean, looks_like_header, match_header, year_of
from zjtx.intake.ip_list import IpTable, current_definitions
from zjtx.intake.number_formats import scaled_note
from zjtx.intake.pictures import is_picture, picture_error, uncalculated
from zjtx.intake.records import ColumnMapping, Record
from zjtx.intake.roster import cell_error_message
from zjtx.intake.sheet_data import SheetData, sheet_ref
from zjtx.intake.values import CellError, make_converter, raw_text

_ANCHOR = re.compile(
    r"^(?:最近一年|近一年|近1年)(?:对应|所属|为|是|指)?(?:的)?(?:财务|会计)?(?:年度|年份)?"
    r"(?:为|是)?((?:19|20)\d{2})?(?:年度|年)?$"
)

_CHRONOLOGICAL = re.compile(r"按时间先后|按时间顺序|由远及近|从远到近|按年度先后|自远至近")
MANUAL = "按评审人的更正"  # HeaderMatch.detail of a label the evaluator mapped by hand
_LABEL_KINDS = ("field", "ratio", "no-year", "bad-year", "bad-unit", "window", "window-ambiguous")


_NUMBER_TEXT = re.compile(r"^[-+]?[\d,，.\s]+%?$")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMBER_TEXT.match(value.strip()))


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _merged_end(sheet: SheetData) -> dict[tuple[int, int], int]:
    """(row, col) of each merged range's top-left cell -> its last column."""
    return {(r1, c1): c2 for r1, c1, r2, c2 in sheet.merged}


@dataclass(slots=True)
class _YearSlot:
    """A header cell naming a year: where, what it says, and what it resolved to."""

    pos: int  # column (year columns) or row (years as rows)
    calendar: int | None
    relative: int | None
    text: str
    where: str


@dataclass(slots=True)
class _Placed:
    index: int
    calendar: int
    rule: str | None


MEMO_LIMIT = 20_000  # label texts remembered per catalogue and year
_MEMOS: dict[tuple[int, int], tuple[FieldCatalogue, dict[str, HeaderMatch], dict[Any, Any]]] = {}


def _memos(catalogue: FieldCatalogue, year: int) -> tuple[dict[str, HeaderMatch], dict[Any, Any]]:
    """Label matches and converters shared by every form of a catalogue and round year: a
    folder of 500 申请书 repeats the same labels (matching and converters are pure)."""
    cached = _MEMOS.get((id(catalogue), year))
    if cached is None or cached[0] is not catalogue:
        if len(_MEMOS) > 16:
            _MEMOS.clear()
        cached = _MEMOS[(id(catalogue), year)] = (catalogue, {}, {})
    return cached[1], cached[2]


class FormReaderBase:
    """What the form reader builds on: positions, issues, label matching, years, one value."""

    def __init__(
        self,
        catalogue: FieldCatalogue,
        year: int,
        file: str,
        record: Record,
        label_overrides: Mapping[str, tuple[str | None, str | None]] | None = None,
    ) -> None:
        self.catalogue = catalogue
        # cleaned label -> (field key or None to ignore it, unit): the evaluator's corrections
        self.label_overrides = dict(label_overrides or {})
        self.labels: set[str] = set()  # the labels recognised by themselves (the fingerprint)
        self.overridden: set[str] = set()  # the corrected labels found
        self.year = year
        self.file = file
        self.record = record
        self.mappings: list[ColumnMapping] = []
        self.deferred: list[tuple[str, Severity, str, str | None, str | None, str | None]] = []
        self.memo, self.converters = _memos(catalogue, year)
        self.anchor: tuple[int, str, str] | None = None  # (year, label at, value at)
        self.chronological: str | None = None  # where a cell says the years run oldest first
        self.ip_tables: list[tuple[SheetData, IpTable]] = []
        # The definition of Ⅰ类 by application type: the rulebook's the caller of the read
        # named (read_applicants' ip_definitions), else the round year's.
        self.ip_definitions = current_definitions(year)
        # Amounts that name no unit, by grid: (the grid, their positions), read in the unit
        # noted above the grid or in 万元, and said once per grid.
        self.unitless: dict[int, tuple[SheetData, list[str]]] = {}
        # Names and codes found besides the first, by field: (value, grid, position).
        self.identities: dict[str, list[tuple[Any, SheetData, str]]] = {}
        # The grid being read: the cells answering a label (never labels themselves), and the
        # last label read (a 其中 label under it is read with its words).
        self.answers: set[tuple[int, int]] = set()
        self.parent: str | None = None
        # Labels the catalogue does not know answered with text, said in one note per form.
        self.text_labels: list[Any] = []

    def enterprise_columns(self, sheet: SheetData) -> tuple[int, list[int]] | None:
        """(row, columns) of a 统一社会信用代码 row holding several enterprises' codes, one per
        column (a table of enterprises as columns), or None."""
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                if not isinstance(text, str) or not text.strip():
                    continue
                if self.match(text).key == "uscc":
                    # Every cell after the label a valid code: no other number (注册号, 账号).
                    filled = [cc for cc in range(c + 1, len(row)) if row[cc] not in ("", None)]
                    codes = [
                        cc
                        for cc in filled
                        if isinstance(row[cc], str)
                        and validate_uscc(normalise_text(row[cc]).upper()) is None
                    ]
                    if len(codes) > 1 and codes == filled:
                        return r, codes
                break  # only a row's first text can be its label
        return None

    def group_rows(
        self, sheet: SheetData, r: int, c: int, value_col: int, merged_end: dict
    ) -> list[tuple[int, str, int]]:
        """The rows under a group label merged down over sub-labels (主导产品 over 产品名称 |
        上年度销售收入, each row ending in its answer), as (row, sub-label, answer column); []
        for any other label (a header merged over two rows of year columns is none)."""
        bottom = next((r2 for r1, c1, r2, _ in sheet.merged if (r1, c1) == (r, c)), r)
        rows = []
        for rr in range(r, bottom + 1):
            sub = self.value(sheet, rr, value_col)
            answer_col = merged_end.get((rr, value_col), value_col) + 1
            row = sheet.rows[rr] if rr < len(sheet.rows) else []
            beyond = [v for v in row[answer_col + 1 :] if v not in ("", None)]
            if (
                not isinstance(sub, str)
                or not sub.strip()
                or _is_number(sub)
                or answer_col >= len(row)
                or beyond
                or (isinstance(row[answer_col], str) and self.is_label(row[answer_col]))
            ):
                return []
            rows.append((rr, sub, answer_col))
        return rows if len(rows) > 1 else []

    def sub_match(self, group: str, sub: str) -> tuple[HeaderMatch | None, str]:
        """The field a sub-label names with its group's words, or alone, and how to show it;
        (None, "") when it names none (a group of answers, not of sub-labels)."""
        group_text, sub_text = _text(group), _text(sub)
        overlap = next(
            (n for n in range(min(len(group_text), len(sub_text)), 0, -1)
             if group_text.endswith(sub_text[:n])),
            0,
        )  # fmt: skip
        # Last, the sub-label's words before the group's (其中自主研发 under Ⅰ类知识产权 is
        # 自主研发Ⅰ类知识产权).
        for text in (
            group_text + sub_text,
            group_text + sub_text[overlap:],
            sub_text,
            sub_text + group_text,
        ):
            match = self.match(text)
            if match.kind == "field":
                return match, f"{group_text} / {sub_text}"
        return None, ""

    def another_enterprise(self) -> tuple[str, str, SheetData, str] | None:
        """(name, code, grid, position) of a second enterprise in the form: another name, as
        written apart from brackets, spaces and 盖章, and another valid code; None otherwise (a
        name once with full-width brackets is the same name)."""
        first = self.record.values.get("name"), self.record.values.get("uscc")
        if first[0] is None or first[1] is None:
            return None
        names = [
            (name, sheet, cell)
            for name, sheet, cell in self.identities.get("name", ())
            if isinstance(name, str) and _plain_name(name) != _plain_name(first[0])
        ]
        codes = [
            code
            for code, _, _ in self.identities.get("uscc", ())
            if isinstance(code, str) and validate_uscc(code) is None
        ]
        if not names or not codes:
            return None
        name, sheet, cell = names[0]
        return name, codes[0], sheet, cell

    def say_units(self) -> None:
        """One note per grid whose amounts name no unit: the unit noted above it, or 万元."""
        for sheet, places in self.unitless.values():
            where = places[0] + (f" 等 {len(places)} 处" if len(places) > 1 else "")
            if sheet.unit_note is not None:
                unit, note, at = sheet.unit_note
                self.issue(
                    "unit-from-note",
                    f"{where}的金额未注明单位，按表格上方{at}的“{note}”读作{unit}",
                    sheet,
                    None,
                    severity=Severity.INFO,
                )
            else:
                self.issue(
                    "unit-assumed",
                    f"{where}的金额未注明单位，按万元读取：如不是万元，请在栏目中写明单位",
                    sheet,
                    None,
                    severity=Severity.INFO,
                )

    # ---- positions and issues ---------------------------------------------------------------

    def at(self, sheet: SheetData, r: int, c: int) -> str:
        """A position for messages: C5 in a sheet, 表2 第3行第2列 in a Word document."""
        if sheet.ref_style == "a1":
            return sheet_ref(sheet, r, c)
        return f"{sheet.name} {sheet_ref(sheet, r, c)}"

    def issue(
        self,
        code: str,
        message: str,
        sheet: SheetData,
        cell: str | None,
        key: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.deferred.append((code, severity, message, key, sheet.name, cell))

    def match(self, text: str) -> HeaderMatch:
        if self.label_overrides:
            cleaned = clean(text)
            if cleaned in self.label_overrides:
                self.overridden.add(cleaned)
                # A recognised label corrected is still part of the layout's fingerprint.
                if self._match(text).kind in _LABEL_KINDS:
                    self.labels.add(cleaned)
                key, unit = self.label_overrides[cleaned]
                if key is None:
                    return HeaderMatch("ignored", detail=MANUAL)
                return HeaderMatch("field", key=key, unit=unit, detail=MANUAL)
        found = self._match(text)
        if found.kind in _LABEL_KINDS:
            self.labels.add(clean(text))
        return found

    def _match(self, text: str) -> HeaderMatch:
        found = self.memo.get(text)
        if found is None:
            found = match_header(text, self.catalogue, self.year)
            if len(self.memo) < MEMO_LIMIT:
                self.memo[text] = found
        return found

    # ---- the whole document -----------------------------------------------------------------

    def survey(self, sheets: Sequence[SheetData]) -> None:
        """Find which year 近一年 is said to be, and whether years are said to run oldest first."""
        for sheet in sheets:
            merged_end = _merged_end(sheet)
            for r, row in enumerate(sheet.rows):
                for c, value in enumerate(row):
                    if not isinstance(value, str) or not value.strip():
                        continue
                    if self.chronological is None and _CHRONOLOGICAL.search(value):
                        self.chronological = self.at(sheet, r, c)
                    if self.anchor is not None:
                        continue
                    text = clean(value).replace("：", "").replace(":", "")
                    found = _ANCHOR.match(text)
                    if found is None:
                        continue
                    if found.group(1):
                        where = self.at(sheet, r, c)
                        self.anchor = (int(found.group(1)), where, where)
                        continue
                    for rr, cc in ((r, merged_end.get((r, c), c) + 1), (r + 1, c)):
                        stated = year_of(self.value(sheet, rr, cc))
                        if stated is not None:
                            self.anchor = (stated, self.at(sheet, r, c), self.at(sheet, rr, cc))
                            break

    @staticmethod
    def value(sheet: SheetData, r: int, c: int) -> Any:
        rows = sheet.rows
        if 0 <= r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return ""

    def place(self, sheet: SheetData, slots: list[_YearSlot]) -> dict[int, _Placed]:
        """Each year header's year index (1 = the year before the round) and, for relative
        ones, the rule that gave it; conflicts and contradictions are errors, not guesses."""
        placed: dict[int, _Placed] = {}
        relative = [slot for slot in slots if slot.relative is not None]
        for slot in slots:
            if slot.calendar is not None:
                placed[slot.pos] = _Placed(self.year - slot.calendar, slot.calendar, None)
        if not relative:
            return placed
        order = [slot.relative for slot in relative]
        newest_first = len(order) > 1 and order == sorted(order) and len(set(order)) == len(order)
        oldest_first = len(order) > 1 and order == sorted(order, reverse=True)
        first = next((slot for slot in relative if slot.relative == 1), relative[0])
        texts = "、".join(slot.text for slot in relative)
        previous = self.year - 1
        if self.chronological is not None and newest_first:
            self.issue(
                "year-order-ambiguous",
                f"{first.where} 起的表头“{texts}”从近到远排列，但 {self.chronological} 注明按时间"
                "先后排列：无法确定各列是哪一年，这些列未读取；请把表头改写为具体年份"
                f"（如“{previous}年”）",
                sheet,
                first.where,
            )
            return placed
        if self.anchor is not None:
            stated, label_at, value_at = self.anchor
            if stated != previous:
                self.issue(
                    "year-anchor-conflict",
                    f"{label_at}“近一年对应财务年度”为 {stated}年（{value_at}），但本批次"
                    f"（{self.year}年度）的近一年应为 {previous}年（表头 {first.where}“{first.text}”）"
                    "：请核对批次年度或该表的年度，这些列未读取",
                    sheet,
                    value_at,
                )
                return placed
            why = f"按 {label_at}“近一年对应财务年度”（{value_at}）为 {stated}年"
        else:
            why = f"按批次年度 {self.year}年，近一年即上一年度 {previous}年"
        if oldest_first:
            why += "；各列按时间先后排列"
        for slot in relative:
            calendar = previous - (slot.relative - 1)
            placed[slot.pos] = _Placed(
                slot.relative, calendar, f"“{slot.text}”读作 {calendar}年：{why}"
            )
        years = "、".join(f"{placed[slot.pos].calendar}年" for slot in relative)
        self.issue(
            "year-relative",
            f"{first.where} 起的表头“{texts}”读作 {years}（{why}）",
            sheet,
            first.where,
            severity=Severity.INFO,
        )
        return placed

    # ---- taking one value -------------------------------------------------------------------

    def take(
        self,
        sheet: SheetData,
        key: str,
        r: int,
        c: int,
        unit: str | None,
        rule: str | None = None,
    ) -> None:
        self.record.cells.setdefault(key, self.at(sheet, r, c))
        typed = self.typed(sheet, key, r, c, unit)
        if typed.__class__ is str and self.header_as_answer(sheet, key, r, c, typed):
            return
        if typed is not None:
            value = self.value(sheet, r, c)
            self.store(sheet, key, typed, sheet_ref(sheet, r, c), raw_text(value), rule)

    def header_as_answer(self, sheet: SheetData, key: str, r: int, c: int, text: str) -> bool:
        """Whether a text field's answer is another column's header (主导产品名称 | 上年度销售
        收入（万元） heading a table): said, and not to be kept."""
        spec = self.catalogue[key]
        if spec.type != FieldType.TEXT:
            return False
        if self._match(text).kind not in _LABEL_KINDS and not looks_like_header(text, self.year):
            return False
        self.issue(
            "value-looks-like-label",
            f"{self.at(sheet, r, c)}：{spec.relative_label()}填的是“{shown_text(text)}”，像是表格"
            "的栏目名称而不是所填的内容，未导入：请核对该表的填法（如是多列的表格，请确认表头"
            "下一行填有数据）",
            sheet,
            sheet_ref(sheet, r, c),
            key,
            severity=Severity.WARNING,
        )
        return True

    def typed(self, sheet: SheetData, key: str, r: int, c: int, unit: str | None) -> Any:
        """A cell read as the field's value; None when empty, unknown or not readable (an
        error then names the cell)."""
        spec = self.catalogue[key]
        cell = sheet_ref(sheet, r, c)
        where = self.at(sheet, r, c)
        value = self.value(sheet, r, c)
        if value == "" or value is None:
            if (r, c) in sheet.error_cells:
                message = f"{where}：{cell_error_message(sheet.error_cells[(r, c)])}"
                self.issue("cell-error-value", message, sheet, cell, key)
            elif (r, c) in sheet.formula_cells:
                code, text = uncalculated(sheet, r, c)
                self.issue(code, f"{where}：{text}", sheet, cell, key)
            return None
        if unit is None and spec.type == FieldType.MONEY and not _names_unit(value):
            unit = sheet.unit_note[0] if sheet.unit_note is not None else None
            self.unitless.setdefault(id(sheet), (sheet, []))[1].append(where)
        convert = self.converters.get((key, unit))
        if convert is None:
            convert = self.converters[(key, unit)] = make_converter(spec, unit)
        percent = (r, c) in sheet.percent_cells and spec.type != FieldType.TEXT
        try:
            if value.__class__ is str and is_picture(value):
                raise picture_error(spec)
            typed = convert(value, percent)
        except CellError as exc:
            self.issue(exc.code, exc.message, sheet, cell, key)
            return None
        if says_none(value) and not read_as_written(spec, typed):
            message = none_reading(spec, where, typed)
            self.issue("value-read-as", message, sheet, cell, key, Severity.INFO)
        scaled = sheet.scaled_cells.get((r, c))
        if typed is not None and scaled is not None:
            # Read as the cell shows it (a form's amount in 元 shown as 万元).
            severity, message = scaled_note(where, scaled)
            self.issue("number-format-scaled", message, sheet, cell, key, severity)
        return typed

    def store(
        self, sheet: SheetData, key: str, typed: Any, cell: str, raw: str, rule: str | None
    ) -> None:
        """Keep a field's value read at ``cell`` (of ``sheet``), or name the conflict with the
        value already kept."""
        spec = self.catalogue[key]
        record = self.record
        where = cell if sheet.ref_style == "a1" else f"{sheet.name} {cell}"
        if key in record.values:
            if record.values[key] != typed:
                other = record.provenance[key]
                if key in ("name", "uscc"):
                    self.identities.setdefault(key, []).append((typed, sheet, cell))
                self.issue(
                    "conflicting-values",
                    f"{spec.relative_label()}：{where} 的“{raw}”与 "
                    f"{record.cells[key]} 的“{other.raw}”不一致",
                    sheet,
                    cell,
                    key,
                )
            return
        record.values[key] = typed
        record.cells[key] = where
        record.provenance[key] = Provenance(self.file, sheet.name, cell, raw, rule=rule)


def _names_unit(value: Any) -> bool:
    """Whether an amount as typed names its own unit (1,200万元)."""
    return isinstance(value, str) and normalise_text(value).endswith("元")


def _plain_name(name: str) -> str:
    """A name as compared: NFKC, without spaces or a (盖章) after it."""
    return re.sub(r"[(（]盖章[)）]$", "", normalise_text(name))
