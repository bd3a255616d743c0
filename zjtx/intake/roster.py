"""Roster sheets (one row per applicant): find the header, map columns, read rows to records."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from zjtx.domain.applicant import Provenance
from zjtx.domain.fields import FieldCatalogue, FieldType
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.answer_notes import none_reading, read_as_written, says_none
from zjtx.intake.cell_text import normalise_text
from zjtx.intake.columns import Column, HeaderLayout
from zjtx.intake.headers import (
    RATIO_LABELS,
    YEAR_COLUMN_WORDS,
    HeaderMatch,
    clean,
    match_header,
    split_units,
    year_cell,
)
from zjtx.intake.hints import CLI_HINTS, Hints
from zjtx.intake.mapping import stored_unit
from zjtx.intake.number_formats import column_examples, scaled_note
from zjtx.intake.pictures import is_picture, picture_error, uncalculated
from zjtx.intake.records import ColumnMapping, Record, RowCells, RowProvenance, StatedRatio
from zjtx.intake.roster_rows import (
    RowIssue,
    hidden_rows_issue,
    merged_down,
    money_unit_note,
    repeats_header,
    total_cell,
    wide_row,
)
from zjtx.intake.sheet_data import SheetData, cell_ref, column_letter
from zjtx.intake.values import (
    MONEY_UNITS,
    CellError,
    decimal_from_float,
    is_blank,
    is_placeholder,
    make_converter,
    money_from_float,
    parse_number_text,
    raw_text,
)
from zjtx.intake.wording import other_wording_rows, unknown_column
from zjtx.intake.year_columns import column_problem

HEADER_SCAN_ROWS = 40
_UNIT_CELL = re.compile(
    r"^[(（]?\s*(?:单位[:：]?)?\s*(百万元|亿元|万元|千元|元|%|人|项|个|名|级|分|年|家)\s*[)）]?$"
)
_YEAR_ONLY = re.compile(r"^\s*((?:19|20)\d{2}\s*年?\s*(?:度|末)?|上年度|上年末|前年|大前年)\s*$")
MEMO_LIMIT = 2000  # distinct texts remembered per column
_MISSING = object()


def cell_error_message(text: str) -> str:
    """Chinese message for an Excel error value such as #N/A or #DIV/0!."""
    return f"单元格是错误值 {text or '#ERROR'}（公式出错）：请修正公式或改填数值"


def _header_text(value: Any, years: bool) -> str:
    """A cell as header text: a string, or with ``years`` a year typed as a number (2023 in
    Excel is a number, and heads its column as "2023" does). Other values head nothing."""
    if isinstance(value, str):
        return value.strip()
    cls = value.__class__
    if years and (cls is int or (cls is float and value.is_integer())) and 1900 <= value <= 2100:
        return str(int(value))
    return ""


def _data_row(row: list[Any]) -> bool:
    """Whether a row holds an enterprise (its code or a name such as 某某有限公司): its numbers
    are data, never years heading columns."""
    for value in row:
        if value.__class__ is str:
            text = value.strip()
            if _CODE_TEXT.match(text.upper()) or text.endswith(_ORGANISATION_ENDINGS):
                return True
    return False


def _header_grid(sheet: SheetData, limit: int) -> list[list[str]]:
    """Top rows as text with merged header cells filled across their range."""
    grid = []
    for row in sheet.rows[:limit]:
        years = not _data_row(row)
        grid.append([_header_text(value, years) for value in row])
    for r1, c1, r2, c2 in sheet.merged:
        if r1 >= limit or r1 >= len(grid) or c1 >= len(grid[r1]):
            continue
        text = grid[r1][c1]
        for r in range(r1, min(r2, limit - 1, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = text
    return grid


def find_header(sheet: SheetData, catalogue: FieldCatalogue, year: int) -> HeaderLayout | None:
    """The best header (one row, or two with a merged group row) in the top rows, or None."""
    grid = _header_grid(sheet, HEADER_SCAN_ROWS)
    memo: dict[str, HeaderMatch] = {}

    def resolve(text: str) -> HeaderMatch:
        found = memo.get(text)
        if found is None:
            found = memo[text] = match_header(text, catalogue, year)
        return found

    def score(texts: list[str]) -> tuple[int, bool]:
        points = 0
        identity = False
        for text in texts:
            if not text:
                continue
            match = resolve(text)
            if match.kind in ("field", "ratio"):
                # A stated unit is worth a point: a group row that supplies it is header.
                points += 3 if match.unit else 2
                if match.key in ("name", "uscc"):
                    identity = True
            elif match.kind in ("bad-year", "bad-unit", "no-year"):
                points += 1
        return points, identity

    known = ("field", "ratio", "serial", "bad-year", "bad-unit")

    def combine(top: str, bottom: str) -> str:
        """The header text of a column under a two-row header.

        "营业收入（万元）" over "2025年" joins; a group title such as "基本情况" over "企业名称"
        gives way to the lower cell (keeping a unit the title states, as in "经济指标（万元）").
        """
        if not top or not bottom or top == bottom:
            return top or bottom
        joined = top + bottom
        if resolve(joined).kind in known:
            return joined
        unit = resolve(top).unit
        if unit is not None and resolve(bottom).unit is None:
            with_unit = f"{bottom}（{unit}）"
            if resolve(with_unit).kind in known:
                return with_unit
        if resolve(bottom).kind in known:
            return bottom
        return joined

    best: tuple[int, int, int, list[str]] | None = None  # (points, row, height, texts)
    for r in range(len(grid)):
        single = grid[r]
        points, identity = score(single)
        if points >= 3 and (identity or points >= 6) and (best is None or points > best[0]):
            best = (points, r, 1, single)
        if r + 1 < len(grid):
            lower = grid[r + 1]
            width = max(len(single), len(lower))
            combined = []
            group = ""
            for c in range(width):
                top = single[c] if c < len(single) else ""
                bottom = lower[c] if c < len(lower) else ""
                if top:
                    group = top
                elif bottom and group and _YEAR_ONLY.match(bottom):
                    # A group title written once over its year columns without a merge
                    # (CSV exports, or a merge lost on copy): the years belong to it.
                    top = group
                combined.append(combine(top, bottom))
            points2, identity2 = score(combined)
            # Two rows only when the upper row adds something to the lower one alone.
            if points2 <= score(lower)[0]:
                continue
            if points2 >= 3 and (identity2 or points2 >= 6) and (best is None or points2 > best[0]):
                best = (points2, r, 2, combined)
    if best is None:
        return None
    _, first, height, texts = best
    if _is_key_value_row(sheet, first, height, texts, resolve) or _is_year_table(
        sheet, first + height, texts
    ):
        return None
    texts = list(texts)
    units_row = first + height
    if units_row < len(grid):
        cells = grid[units_row]
        units = {
            c: _UNIT_CELL.match(unicodedata.normalize("NFKC", t)) for c, t in enumerate(cells) if t
        }
        if units and all(units.values()):
            # A row of units under the header ("（万元）", "人", "%"): part of the header.
            for c, found in units.items():
                if c < len(texts) and texts[c]:
                    texts[c] = f"{texts[c]}（{found.group(1)}）"
            height += 1
    # A form (label beside value, row after row) can also have two labels in one row: when
    # more labels sit outside the candidate header than in it, this is not a roster.
    inside = sum(1 for text in texts if text and resolve(text).kind != "unknown")
    header_texts = [grid[r] for r in range(first, first + height)]

    def repeats_header(row: list[str]) -> bool:
        # Header rows repeated down the sheet (printed page by page) are not form labels.
        same = sum(
            1
            for c, text in enumerate(row)
            if text and any(c < len(h) and h[c] == text for h in header_texts)
        )
        return same >= 2

    outside = sum(
        1
        for r, row in enumerate(grid)
        if not first <= r < first + height and not repeats_header(row)
        for text in row
        if text and resolve(text).kind in ("field", "no-year")
    )
    if outside > inside:
        return None
    header_row = first + height - 1
    columns: list[Column] = []
    unknown: list[tuple[int, str, str]] = []
    problems: list[tuple[int, str, HeaderMatch, str]] = []
    header_units: dict[int, str | None] = {}
    note = money_unit_note(grid[:first])
    if note is not None:
        note = (note[0], note[1], f"表头上方 {note[2]} ")
    elif sheet.unit_note is not None:
        unit, written, at = sheet.unit_note
        note = (unit, written, f"表格上方{at}")
    raw_rows = sheet.rows[first : first + height]
    for c, text in enumerate(texts):
        if not text:
            if any(c < len(row) and not is_blank(row[c]) for row in raw_rows):
                # A non-text header such as a bare year number.
                text = " ".join(raw_text(row[c]) for row in raw_rows if c < len(row))
                unknown.append((c, text, cell_ref(header_row, c)))
            continue
        shown = _shown_header(raw_rows, grid[first : first + height], c)
        match = resolve(text)
        header_units[c] = split_units(text)[1]
        where = cell_ref(header_row, c)
        if match.kind in ("field", "ratio", "serial"):
            column = Column(index=c, match=match, header=shown, header_cell=where)
            if match.kind == "field":
                spec = catalogue[match.key]
                if note is not None and match.unit is None and spec.type == FieldType.MONEY:
                    match = column.match = replace(match, unit=note[0])
                    header_units[c] = note[0]
                    column.unit_note = note[1:]
                column.spec = spec
                column.convert = make_converter(spec, match.unit)
                column.uses_percent = spec.type in (
                    FieldType.PERCENT,
                    FieldType.MONEY,
                    FieldType.INT,
                    FieldType.DECIMAL,
                )
            columns.append(column)
        elif match.kind in ("bad-year", "bad-unit", "no-year"):
            problems.append((c, shown, match, where))
        else:
            unknown.append((c, shown, where))
    return HeaderLayout(first, height, columns, unknown, problems, year, header_units)


_ORGANISATION_ENDINGS = ("公司", "厂", "集团", "中心", "研究院", "研究所", "合作社", "事务所")
_CODE_TEXT = re.compile(r"^[0-9A-Z]{18}$")


def _is_key_value_row(
    sheet: SheetData,
    first: int,
    height: int,
    texts: list[str],
    resolve: Callable[[str], HeaderMatch],
) -> bool:
    """Whether the candidate header is a form's row of label | value pairs
    (单位名称 | X | 统一社会信用代码 | Y): a real code or company name beside its label."""
    if height != 1:
        return False
    row = sheet.rows[first]
    for c, text in enumerate(texts):
        if not text or c + 1 >= len(row):
            continue
        key = resolve(text).key
        beside = row[c + 1]
        if not isinstance(beside, str):
            continue
        value = unicodedata.normalize("NFKC", "".join(beside.split()))
        if key == "uscc" and _CODE_TEXT.match(value.upper()):
            return True
        if key == "name" and len(value) > 4 and value.endswith(_ORGANISATION_ENDINGS):
            return True
    return False


def _is_year_table(sheet: SheetData, data_start: int, texts: list[str]) -> bool:
    """Whether the header heads a table of years (年度 | 营业收入 | …) whose rows are the years
    of one applicant rather than applicants."""
    if data_start >= len(sheet.rows):
        return False
    row = sheet.rows[data_start]
    for c, text in enumerate(texts):
        if text and clean(split_units(text)[0]) in YEAR_COLUMN_WORDS and c < len(row):
            calendar, relative = year_cell(row[c])
            if calendar is not None or relative is not None:
                return True
    return False


def _shown_header(raw_rows: list[list[Any]], grid_rows: list[list[str]], c: int) -> str:
    parts = []
    for row in grid_rows:
        text = " ".join((row[c] if c < len(row) else "").split())
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " / ".join(parts)


def column_mappings(layout: HeaderLayout, sheet: SheetData, year: int) -> list[ColumnMapping]:
    """The mapping of every non-empty (or corrected) header of a sheet, in column order."""
    rows: list[tuple[int, ColumnMapping]] = []
    hidden = sheet.hidden_cols
    for column in layout.columns:
        match = column.match
        role = match.kind
        spec = column.spec
        calendar = match.year
        if spec is not None and spec.year is not None and calendar is None:
            calendar = year - spec.year
        if spec is not None:
            label = spec.label
        elif role == "ratio":
            label = RATIO_LABELS.get(match.ratio or "", "")
        else:
            label = "序号" if role == "serial" else ""
        rows.append(
            (
                column.index,
                ColumnMapping(
                    header=column.header,
                    field=match.key if role == "field" else None,
                    unit=match.unit,
                    year=calendar,
                    cell=column.header_cell,
                    role=role,
                    hidden=column.index in hidden,
                    sheet=sheet.name,
                    column=column_letter(column.index),
                    label=label,
                    field_unit=stored_unit(spec) if spec is not None else match.unit,
                    manual=column.manual,
                    editable=True,
                ),
            )
        )
    others = [(c, t, w, None, "unknown") for c, t, w in layout.unknown]
    others += [(c, t, w, m, "unknown") for c, t, m, w in layout.problems]
    others += [(c, t, w, None, "ignored") for c, t, w in layout.dropped]
    for c, text, where, match, role in others:
        rows.append(
            (
                c,
                ColumnMapping(
                    header=text,
                    field=None,
                    unit=match.unit if match else layout.header_units.get(c),
                    year=match.year if match else None,
                    cell=where,
                    role=role,
                    hidden=c in hidden,
                    sheet=sheet.name,
                    column=column_letter(c),
                    manual=role == "ignored",
                    detail=match.detail if match else "",
                    editable=True,
                ),
            )
        )
    rows.sort(key=lambda item: item[0])
    return [mapping for _, mapping in rows]


def header_issues(
    layout: HeaderLayout,
    sheet: SheetData,
    file: str,
    catalogue: FieldCatalogue,
    hints: Hints = CLI_HINTS,
) -> list[Issue]:
    """Issues about the header itself: unknown, misdated or mis-unitted columns, missing ones;
    ``hints`` say how the reader corrects a column (command line or window)."""
    issues = []
    header_row = layout.first_row + layout.height
    scaled = column_examples(sheet) if sheet.scaled_cells else {}

    def column_issue(
        code: str,
        severity: Severity,
        message: str,
        where: str | None,
        field: str | None = None,
    ) -> None:
        issues.append(
            Issue(
                code=code,
                severity=severity,
                message=message,
                file=file,
                sheet=sheet.name,
                cell=where,
                row=header_row,
                field=field,
            )
        )

    for _, text, match, where in layout.problems:
        code, severity = column_problem(match)  # a year not ended: a warning, as in a form
        column_issue(code, severity, f"列“{text}”：{match.detail}；该列未导入", where)
    for _, text, where in layout.unknown:  # or another version's question: not its answer
        code, message, key = unknown_column(text, catalogue, hints.correct_column)
        column_issue(code, Severity.WARNING, message, where, key)
    for _, text, where in layout.dropped:
        column_issue(
            "column-ignored-manual", Severity.INFO, f"列“{text}”按评审人员的更正忽略，未导入", where
        )
    seen: dict[str, Column] = {}
    for column in layout.columns:
        if column.spec is None:
            continue
        key, cell = column.spec.key, column.header_cell
        if column.manual:
            unit = column.match.unit
            converted = ""
            if column.spec.type == FieldType.MONEY and unit not in (None, "万元", "万"):
                converted = f"（{unit}换算为万元）"
            column_issue(
                "column-mapped-manual",
                Severity.INFO,
                f"列“{column.header or column_letter(column.index)}”按评审人员的更正"
                f"读作“{column.spec.year_label(layout.year)}”{converted}",
                cell,
                key,
            )
        if column.index in scaled:
            severity, message = scaled_note(f"列“{column.header}”", scaled[column.index])
            column_issue("number-format-scaled", severity, message, cell, key)
        if column.index in sheet.hidden_cols:
            column_issue(
                "column-hidden",
                Severity.INFO,
                f"列“{column.header}”在工作簿中被隐藏，已照常读取",
                cell,
                key,
            )
        if column.unit_note is not None:
            written, at = column.unit_note
            column_issue(
                "unit-from-note",
                Severity.INFO,
                f"列“{column.header}”未注明单位，按{at}的“{written}”读作{column.match.unit}",
                cell,
                key,
            )
        if column.spec.type == FieldType.MONEY and column.match.unit is None:
            column_issue(
                "unit-assumed",
                Severity.INFO,
                f"列“{column.header}”未注明单位，按万元读取",
                cell,
                key,
            )
        first = seen.setdefault(key, column)
        if first is not column:
            column_issue(
                "column-duplicate",
                Severity.INFO,
                f"列“{column.header}”与列“{first.header}”（{first.header_cell}）"
                "是同一字段；两列的值必须一致",
                cell,
                key,
            )
    keys = {c.spec.key for c in layout.columns if c.spec is not None}
    for required in (spec for spec in catalogue if spec.required):
        if required.key not in keys:
            column_issue(
                "column-missing",
                Severity.ERROR,
                f"找不到“{required.label}”列：每行都无法导入",
                None,
                required.key,
            )
    return issues


def _ratio_value(value: Any, percent: bool) -> tuple[Decimal, int] | None:
    """A stated ratio as a percent value and its number of decimals, or None if unreadable."""
    cls = value.__class__
    if cls is float or cls is int:
        number = decimal_from_float(value)
        if percent:
            number = number.scaleb(2)
        exponent = number.normalize().as_tuple().exponent
        return number, max(0, -int(exponent))
    if cls is str:
        text = normalise_text(value)
        if is_placeholder(text):
            return None
        try:
            number, unit = parse_number_text(text)
        except ValueError:
            return None
        if unit not in (None, "%"):
            return None
        exponent = number.as_tuple().exponent
        return number, max(0, -int(exponent))
    return None


def iter_roster_records(
    sheet: SheetData,
    layout: HeaderLayout,
    file: str,
    counts: dict[str, int],
    tick: Callable[[int], None],
    file_issues: list[Issue],
    catalogue: FieldCatalogue | None = None,  # the round's: says answers to other wordings
) -> Iterator[Record]:
    """Records of the data rows below the header; counts blank and total rows in ``counts``."""
    rows = sheet.rows
    sheet_name = sheet.name
    serial_cols = {c.index for c in layout.columns if c.match.kind == "serial"}
    field_cols = [c for c in layout.columns if c.spec is not None]
    ratio_cols = [c for c in layout.columns if c.match.kind == "ratio"]
    percent_cells = sheet.percent_cells
    formula_rows: dict[int, list[int]] = {}
    for r, c in (*sheet.formula_cells, *sheet.error_cells):
        formula_rows.setdefault(r, []).append(c)
    mapped_cols = {c.index: c for c in layout.columns}
    letters = {c.index: column_letter(c.index) for c in layout.columns}
    for c, _, _ in layout.unknown:
        letters[c] = column_letter(c)
    key_letters: dict[str, str] = {}
    for column in field_cols:
        key_letters.setdefault(column.spec.key, letters[column.index])
    # Text cells repeat a lot (是/否, enumeration labels, cities): converters are pure, so the
    # typed value of a text is remembered per column (errors are not cached).
    repeated = {k for k in key_letters if sum(c.spec.key == k for c in field_cols) > 1}
    plan = [
        (
            c.index,
            c.spec.key,
            c.convert,
            c.uses_percent,
            c,
            {},
            c.spec.key in repeated,
            MONEY_UNITS.get(c.match.unit or "万元", 0) if c.spec.type == FieldType.MONEY else None,
            c.spec.type == FieldType.INT,
        )
        for c in field_cols
    ]
    uscc_col = next((c.index for c in field_cols if c.spec.key == "uscc"), None)
    percent_rows: dict[int, set[int]] = {}
    for r, c in percent_cells:
        percent_rows.setdefault(r, set()).add(c)

    def nonblank(row: list[Any]) -> bool:
        for c, value in enumerate(row):
            if c in serial_cols:
                continue
            if value.__class__ is str:
                # Placeholders are short; longer texts are data without normalising them.
                if value and (len(value) > 6 or not is_placeholder(value)):
                    return True
            elif value is not None:
                return True
        return False

    last = len(rows) - 1
    while last >= layout.data_start and not (nonblank(rows[last]) or last in formula_rows):
        last -= 1
    name_cols = [c for c in field_cols if c.spec.key == "name"]
    # Identity headers as written, to recognise the header repeated further down.
    header_cells = [
        (c.index, rows[layout.first_row + layout.height - 1][c.index])
        for c in field_cols
        if c.spec.key in ("name", "uscc")
        and c.index < len(rows[layout.first_row + layout.height - 1])
        and isinstance(rows[layout.first_row + layout.height - 1][c.index], str)
        and rows[layout.first_row + layout.height - 1][c.index].strip()
    ]
    # Where a total row writes its word: the name column or any column before it (序号).
    total_cols = range(name_cols[0].index + 1) if name_cols else range(0)
    row_issues: dict[int, list[RowIssue]] = {}
    filled = merged_down(sheet, layout, field_cols, file, file_issues, row_issues)
    data_rows = range(layout.data_start, last + 1)
    for r, said in other_wording_rows(rows, layout.unknown, catalogue, data_rows).items():
        row_issues.setdefault(r, []).extend(said)
    header_rows = rows[layout.first_row : layout.first_row + layout.height]
    delimited_width = max(map(len, header_rows)) if sheet.delimited else 0
    hidden_rows, hidden_read = sheet.hidden_rows, []
    for r in range(layout.data_start, last + 1):
        row = rows[r]
        excel_row = r + 1
        tick(1)
        counts["rows_total"] += 1
        # A row is blank as written: a value merged down over it does not make it an enterprise.
        if not nonblank(row) and r not in formula_rows:
            counts["rows_blank"] += 1
            continue
        row = filled.get(r, row)
        skipped = None
        if header_cells and repeats_header(row, header_cells):
            skipped = ("header-repeated", "重复了表头", f"{excel_row}:{excel_row}")
        elif (total := total_cell(row, total_cols)) is not None:
            skipped = ("total-row-skipped", f"是“{row[total].strip()}”行", cell_ref(r, total))
        if skipped is not None:
            code, what, where = skipped
            counts["rows_blank"] += 1
            file_issues.append(
                Issue(
                    code=code,
                    severity=Severity.INFO,
                    message=f"第 {excel_row} 行{what}，不是申报企业，已跳过",
                    file=file,
                    sheet=sheet_name,
                    cell=where,
                    row=excel_row,
                )
            )
            continue
        provenance = RowProvenance(file, sheet_name, excel_row, key_letters)
        raws = provenance.raws
        record = Record(
            file=file,
            sheet=sheet_name,
            row=excel_row,
            source=Provenance(file=file, sheet=sheet_name, cell=f"{excel_row}:{excel_row}"),
            provenance=provenance,
            cells=RowCells(provenance),
        )
        values = record.values
        width = len(row)
        deferred: list[tuple[str, str, str, str]] = []
        nones: list[tuple[str, str, str]] = []  # cells saying 无: what each was read as
        percent_here = percent_rows.get(r)
        for c, key, convert, uses_percent, column, memo, repeated_key, money_power, whole in plan:
            value = row[c] if c < width else ""
            if value.__class__ is str:
                if not value:
                    continue
                typed = memo.get(value, _MISSING)
                if typed is _MISSING:
                    try:
                        if value[0] == "=" and is_picture(value):
                            raise picture_error(column.spec)
                        typed = convert(value, False)
                    except CellError as exc:
                        deferred.append((exc.code, exc.message, key, f"{letters[c]}{excel_row}"))
                        continue
                    if len(memo) < MEMO_LIMIT:
                        memo[value] = typed
                if says_none(value) and not read_as_written(column.spec, typed):
                    where = f"{letters[c]}{excel_row}"
                    nones.append((none_reading(column.spec, where, typed), key, where))
            elif value is None:
                continue
            elif (
                money_power is not None
                and value.__class__ is float
                and (percent_here is None or c not in percent_here)
            ):
                # The common case without the converter's dispatch: an amount cell.
                typed = money_from_float(value, money_power)
            elif (
                whole
                and value.__class__ is float
                and value.is_integer()
                and (percent_here is None or c not in percent_here)
            ):
                typed = int(value)
            else:
                try:
                    typed = convert(
                        value, uses_percent and percent_here is not None and c in percent_here
                    )
                except CellError as exc:
                    deferred.append((exc.code, exc.message, key, f"{letters[c]}{excel_row}"))
                    continue
            if typed is None:
                continue
            if repeated_key and key in values:
                if values[key] != typed:
                    other = provenance[key]
                    where = f"{letters[c]}{excel_row}"
                    deferred.append(
                        (
                            "conflicting-values",
                            f"{column.spec.relative_label()}：{where} 的“{raw_text(value)}”与 "
                            f"{other.cell} 的“{other.raw}”不一致",
                            key,
                            where,
                        )
                    )
                continue
            values[key] = typed
            raws[key] = value
            if repeated_key and letters[c] != key_letters[key]:
                if provenance.moved is None:
                    provenance.moved = {}
                provenance.moved[key] = letters[c]
        if delimited_width and width > delimited_width:
            wide = wide_row(row, delimited_width, r)
            if wide is not None and wide.severity is Severity.ERROR:
                # Values after the split are shifted: none is kept but the identity.
                deferred = [(wide.code, wide.message, None, wide.cell)]
                for key in [k for k in values if k != "name" and k != "uscc"]:
                    del values[key]
            elif wide is not None:
                row_issues.setdefault(r, []).append(wide)
        uscc = values.get("uscc")
        if uscc is None and uscc_col is not None:
            raw = row[uscc_col] if uscc_col < width else ""
            if isinstance(raw, str) and raw.strip():
                record.uscc_text = raw.strip()
        else:
            record.uscc_text = uscc
        for code, message, key, where in deferred:
            record.add(code, Severity.ERROR, message, field_key=key, cell=where)
        for message, key, where in nones:
            record.add("value-read-as", Severity.INFO, message, field_key=key, cell=where)
        for issue in row_issues.get(r, ()):
            record.add(
                issue.code, issue.severity, issue.message, field_key=issue.field, cell=issue.cell
            )
        if r in hidden_rows:
            hidden_read.append(r)
        for c in formula_rows.get(r, ()):
            column = mapped_cols.get(c)
            if column is None or column.match.kind == "serial":
                continue
            key = column.spec.key if column.spec is not None else None
            value = row[c] if c < width else ""
            if value != "" and value is not None:
                continue
            if (r, c) in sheet.error_cells:
                record.add(
                    "cell-error-value",
                    Severity.ERROR,
                    f"{cell_ref(r, c)}：{cell_error_message(sheet.error_cells[(r, c)])}",
                    field_key=key,
                    cell=cell_ref(r, c),
                )
                continue
            code, text = uncalculated(sheet, r, c)
            record.add(code, Severity.ERROR, f"{cell_ref(r, c)}：{text}", field_key=key,
                       cell=cell_ref(r, c))  # fmt: skip
        for column in ratio_cols:
            c = column.index
            value = row[c] if c < width else ""
            if value == "" or value is None:
                continue
            stated = _ratio_value(value, (r, c) in percent_cells)
            where = cell_ref(r, c)
            if stated is None:
                if not is_placeholder(value):
                    record.add(
                        "value-unreadable",
                        Severity.WARNING,
                        f"{RATIO_LABELS[column.match.ratio]}：无法把“{raw_text(value)}”读作百分数"
                        "（比率由金额计算，该值仅用于核对）",
                        cell=where,
                    )
                continue
            number, _ = stated
            record.ratios.append(
                StatedRatio(
                    ratio=column.match.ratio,
                    year_index=column.match.year_index or 1,
                    value=number,
                    cell=where,
                    raw=raw_text(value),
                )
            )
        yield record
    if hidden_read:
        file_issues.append(hidden_rows_issue(hidden_read, file, sheet_name))
