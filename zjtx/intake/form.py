"""Per-enterprise application forms: values located by their labels (robust to inserted rows)."""

from __future__ import annotations

import re
from typing import Any

from zjtx.domain.applicant import Provenance
from zjtx.domain.fields import FieldCatalogue, FieldType
from zjtx.domain.issues import Severity
from zjtx.intake.headers import match_header
from zjtx.intake.records import ColumnMapping, Record, StatedRatio
from zjtx.intake.roster import FORMULA_MESSAGE, _ratio_value, cell_error_message
from zjtx.intake.values import CellError, make_converter, raw_text
from zjtx.intake.workbook import SheetData, cell_ref

_YEAR_CELL = re.compile(r"^\s*((?:19|20)\d{2})\s*年?\s*(?:度|末)?\s*$")
YEAR_HEADER_SEARCH = 12  # rows above a series label searched for the year header


def _merged_end(sheet: SheetData) -> dict[tuple[int, int], int]:
    """(row, col) of each merged range's top-left cell -> its last column."""
    return {(r1, c1): c2 for r1, c1, r2, c2 in sheet.merged}


def _covered(sheet: SheetData) -> set[tuple[int, int]]:
    cells = set()
    for r1, c1, r2, c2 in sheet.merged:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    cells.add((r, c))
    return cells


def _year_of(value: Any) -> int | None:
    if isinstance(value, str):
        match = _YEAR_CELL.match(value)
        return int(match.group(1)) if match else None
    number = isinstance(value, float | int) and not isinstance(value, bool)
    if number and 1990 <= value <= 2100 and float(value).is_integer():
        return int(value)
    return None


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


def read_form(
    sheet: SheetData, catalogue: FieldCatalogue, year: int, file: str
) -> tuple[Record, list[ColumnMapping]]:
    """One applicant from a form sheet, and how each label was understood."""
    merged_end = _merged_end(sheet)
    covered = _covered(sheet)
    rows = sheet.rows
    record = Record(
        file=file, sheet=sheet.name, row=None, source=Provenance(file=file, sheet=sheet.name)
    )
    mappings: list[ColumnMapping] = []
    deferred: list[tuple[str, str, str | None, str]] = []
    memo: dict[str, Any] = {}

    def value_at(r: int, c: int) -> Any:
        if r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return ""

    def take(key: str, r: int, c: int, unit: str | None) -> None:
        spec = catalogue[key]
        where = cell_ref(r, c)
        record.cells.setdefault(key, where)
        value = value_at(r, c)
        if value == "" or value is None:
            if (r, c) in sheet.error_cells:
                message = f"{where}：{cell_error_message(sheet.error_cells[(r, c)])}"
                deferred.append(("cell-error-value", message, key, where))
            elif (r, c) in sheet.formula_cells:
                deferred.append(
                    ("formula-not-calculated", f"{where}：{FORMULA_MESSAGE}", key, where)
                )
            return
        convert = make_converter(spec, unit)
        percent = (r, c) in sheet.percent_cells and spec.type != FieldType.TEXT
        try:
            typed = convert(value, percent)
        except CellError as exc:
            deferred.append((exc.code, exc.message, key, where))
            return
        if typed is None:
            return
        if key in record.values:
            if record.values[key] != typed:
                other = record.provenance[key]
                deferred.append(
                    (
                        "conflicting-values",
                        f"{spec.relative_label()}：{where} 的“{raw_text(value)}”与 {other.cell} 的"
                        f"“{other.raw}”不一致",
                        key,
                        where,
                    )
                )
            return
        record.values[key] = typed
        record.cells[key] = where
        record.provenance[key] = Provenance(file, sheet.name, where, raw_text(value))

    for r, row in enumerate(rows):
        for c, label in enumerate(row):
            if not isinstance(label, str) or not label.strip() or (r, c) in covered:
                continue
            match = memo.get(label)
            if match is None:
                match = memo[label] = match_header(label, catalogue, year)
            if match.kind not in ("field", "ratio", "no-year", "bad-year"):
                continue
            value_col = merged_end.get((r, c), c) + 1
            where_label = cell_ref(r, c)
            shown = " ".join(label.split())
            if match.kind == "field":
                spec = catalogue[match.key]
                take(match.key, r, value_col, match.unit)
                mappings.append(
                    ColumnMapping(
                        header=shown,
                        field=match.key,
                        unit=match.unit,
                        year=match.year
                        if match.year is not None
                        else (year - spec.year if spec.year else None),
                        cell=where_label,
                        sheet=sheet.name,
                    )
                )
            elif match.kind == "ratio":
                value = value_at(r, value_col)
                stated = None
                if value != "" and value is not None:
                    stated = _ratio_value(value, (r, value_col) in sheet.percent_cells)
                if stated is not None:
                    record.ratios.append(
                        StatedRatio(
                            ratio=match.ratio,
                            year_index=match.year_index or 1,
                            value=stated[0],
                            cell=cell_ref(r, value_col),
                            raw=raw_text(value),
                        )
                    )
                mappings.append(
                    ColumnMapping(
                        header=shown, field=None, unit=match.unit, year=match.year,
                        cell=where_label, role="ratio", sheet=sheet.name,
                    )
                )  # fmt: skip
            elif match.kind == "no-year":
                # A series row in a small table: the years are in a header row above.
                found = False
                for above in range(r - 1, max(-1, r - 1 - YEAR_HEADER_SEARCH), -1):
                    years = {
                        col: _year_of(value_at(above, col))
                        for col in range(value_col, len(rows[above]))
                    }
                    years = {col: y for col, y in years.items() if y is not None}
                    if not years:
                        continue
                    found = True
                    for col, calendar in sorted(years.items()):
                        index = year - calendar
                        key = f"{match.key}_y{index}"
                        if key not in catalogue:
                            deferred.append(
                                (
                                    "year-out-of-round",
                                    f"{cell_ref(above, col)}：{calendar}年不在本批次"
                                    f"（{year}年度）的申报年度内；该列未导入",
                                    None,
                                    cell_ref(r, col),
                                )
                            )
                            continue
                        take(key, r, col, match.unit)
                        mappings.append(
                            ColumnMapping(
                                header=f"{shown} / {raw_text(value_at(above, col))}",
                                field=key,
                                unit=match.unit,
                                year=calendar,
                                cell=cell_ref(r, col),
                                sheet=sheet.name,
                            )
                        )
                    break
                if not found:
                    deferred.append(
                        ("header-year-missing", f"“{shown}”：{match.detail}", None, where_label)
                    )
            else:
                deferred.append(
                    ("year-out-of-round", f"“{shown}”：{match.detail}；未导入", None, where_label)
                )
    code = record.values.get("uscc")
    record.uscc_text = code
    for issue_code, message, key, where in deferred:
        record.add(issue_code, Severity.ERROR, message, field_key=key, cell=where)
    return record, mappings
