"""Column mappings corrected by the evaluator: validated overrides applied to a roster header."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.intake.columns import Column, HeaderLayout
from zjtx.intake.headers import checked_match, clean
from zjtx.intake.sheet_data import SheetData, cell_ref, column_index, column_letter
from zjtx.intake.values import COUNT_WORDS, MONEY_UNITS, make_converter

IGNORE = "ignore"
IGNORE_LABEL = "（忽略此列）"
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
# Units an evaluator may set on a column (the header's own unit is kept otherwise).
SETTABLE_UNITS = (*MONEY_UNITS, "%", *COUNT_WORDS)


class MappingError(ValueError):
    """A corrected mapping that cannot be applied; the message is Chinese and names the column."""


@dataclass(frozen=True, slots=True)
class ColumnOverride:
    """The evaluator's correction of one roster column.

    Attributes:
        column: the column's letter ("F") or its header text as shown in the mapping.
        field: a catalogue key ("revenue_y1"), a series base with ``year`` ("revenue"),
            a field's Chinese label, or ``"ignore"`` (IGNORE) to leave the column unread.
        year: calendar year for a year-dependent field (2025 in a 2026 round is ``_y1``);
            None keeps the year of the key given.
        unit: unit of the column's values (元, 万元, 亿元, %...); None keeps the header's.
        file: the file's display name (FileResult.display_name, e.g. "名单.xlsx" or
            "文件夹/名单.xlsx"); None for every file read.
        sheet: worksheet name; None for every roster sheet.
    """

    column: str
    field: str
    year: int | None = None
    unit: str | None = None
    file: str | None = None
    sheet: str | None = None

    def where(self) -> str:
        """The column as a Chinese phrase for messages."""
        parts = []
        if self.file:
            parts.append(f"文件“{self.file}”")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        parts.append(
            f"列 {self.column.upper()}" if _LETTERS.match(self.column) else f"列“{self.column}”"
        )
        return " ".join(parts)

    def matches_file(self, file: str) -> bool:
        """Whether the override is for this file (its display name or bare file name)."""
        return self.file is None or self.file in (file, file.rsplit("/", 1)[-1])

    def applies_to(self, file: str, sheet: str | None) -> bool:
        """Whether the override is for this sheet of this file."""
        return self.matches_file(file) and (self.sheet is None or self.sheet == sheet)

    @classmethod
    def parse(cls, text: str) -> ColumnOverride:
        """A correction written on the command line: ``[文件!]列=字段[@年度][:单位]``.

        Examples: ``D=营业收入@2025:元``, ``销售额（元）=revenue_y1``, ``名单.xlsx!H=ignore``.
        """
        spec = text.strip()
        file = None
        if "!" in spec:
            file, spec = (part.strip() for part in spec.split("!", 1))
        column, sep, target = (part.strip() for part in spec.partition("="))
        unit = None
        if ":" in target:
            target, unit = (part.strip() for part in target.rsplit(":", 1))
        year = None
        if "@" in target:
            target, year_text = (part.strip() for part in target.rsplit("@", 1))
            if not year_text.isdigit():
                raise MappingError(f"“{text}”：年度须是四位数字，如 @2025")
            year = int(year_text)
        if not sep or not column or not target or (unit is not None and not unit):
            raise MappingError(
                f"“{text}”：写成 列=字段[@年度][:单位]，如 D=营业收入@2025:元 或 H=ignore"
            )
        return cls(column=column, field=target, year=year, unit=unit, file=file or None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "field": self.field,
            "year": self.year,
            "unit": self.unit,
            "file": self.file,
            "sheet": self.sheet,
        }


def stored_unit(spec: FieldSpec) -> str | None:
    """The unit a field's values are kept in."""
    if spec.type == FieldType.MONEY:
        return "万元"
    if spec.type == FieldType.PERCENT:
        return "%"
    return spec.unit


def _suggest(text: str, catalogue: FieldCatalogue) -> str:
    names: dict[str, str] = {}
    for spec in catalogue:
        names.setdefault(spec.key, spec.key)
        names.setdefault(spec.label, spec.key if spec.year is None else spec.base)
        if spec.year is not None:
            names.setdefault(spec.base, spec.base)
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.5)
    if not close:
        return "：请用字段目录中的字段代码（zjtx fields 可列出全部字段）"
    key = names[close[0]]
    spec = catalogue.get(key) or catalogue[f"{key}_y1"]
    return f"：您是否要用“{key}”（{spec.label}）？"


def resolve_field(
    override: ColumnOverride, catalogue: FieldCatalogue, year: int
) -> FieldSpec | None:
    """The catalogue field an override points at (None for "ignore"); raises MappingError."""
    text = override.field.strip()
    if text.lower() == IGNORE or text == IGNORE_LABEL:
        return None
    spec = catalogue.get(text)
    if spec is None and f"{text}_y1" in catalogue:
        spec = catalogue[f"{text}_y1"]
        if override.year is None:
            raise MappingError(
                f"{override.where()}：“{spec.label}”分年度填报，请指定年度"
                f"（{year - 1}年、{year - 2}年或{year - 3}年）"
            )
    if spec is None:
        spec = next(
            (s for s in catalogue if text in (s.label, s.relative_label(), s.year_label(year))),
            None,
        )
    if spec is None:
        raise MappingError(f"{override.where()}：字段目录中没有“{text}”{_suggest(text, catalogue)}")
    if override.year is None:
        return spec
    if spec.year is None:
        raise MappingError(f"{override.where()}：“{spec.label}”不分年度，不能指定年度")
    key = f"{spec.base}_y{year - override.year}"
    if key not in catalogue:
        allowed = "、".join(
            f"{year - s.year}年" for s in catalogue if s.base == spec.base and s.year is not None
        )
        raise MappingError(
            f"{override.where()}：{override.year}年不在本批次（{year}年度）的申报年度内，"
            f"“{spec.label}”可用 {allowed}"
        )
    return catalogue[key]


def validate_overrides(
    overrides: Iterable[ColumnOverride], catalogue: FieldCatalogue, year: int
) -> list[tuple[ColumnOverride, FieldSpec | None]]:
    """Each override with the field it points at; raises MappingError on the first bad one."""
    resolved = []
    seen: dict[tuple[str | None, str | None, str], ColumnOverride] = {}
    for override in overrides:
        if override.unit is not None and override.unit not in SETTABLE_UNITS:
            raise MappingError(
                f"{override.where()}：不认识的单位“{override.unit}”"
                f"（可用 {'、'.join(SETTABLE_UNITS)}）"
            )
        spot = (override.file, override.sheet, clean(override.column))
        if spot in seen:
            raise MappingError(f"{override.where()}：同一列更正了两次")
        seen[spot] = override
        resolved.append((override, resolve_field(override, catalogue, year)))
    return resolved


def _locate(
    override: ColumnOverride, entries: dict[int, tuple[str, str]], sheet: SheetData
) -> int | None:
    """0-based column of an override in a sheet, or None if the sheet has no such column."""
    if _LETTERS.match(override.column):
        c = column_index(override.column.upper())
        width = max((len(row) for row in sheet.rows), default=0)
        return c if c < max(width, max(entries, default=-1) + 1) else None
    wanted = clean(override.column)
    found = [
        c
        for c, (shown, _) in entries.items()
        if wanted in (clean(shown), clean(shown.replace(" / ", "")))
    ]
    if len(found) > 1:
        letters = "、".join(column_letter(c) for c in found)
        raise MappingError(f"{override.where()}：有 {len(found)} 列（{letters}）同名，请改用列字母")
    return found[0] if found else None


def apply_overrides(
    layout: HeaderLayout,
    sheet: SheetData,
    file: str,
    overrides: Sequence[tuple[ColumnOverride, FieldSpec | None]],
    used: set[ColumnOverride],
) -> None:
    """Re-point, map or ignore the overridden columns of a roster header (in place).

    Raises MappingError when a column is not found in a file named by the override, when the
    unit cannot apply to the field, or when two columns end up on the same field and year.
    """
    entries: dict[int, tuple[str, str]] = {}
    for column in layout.columns:
        entries[column.index] = (column.header, column.header_cell)
    for c, shown, where in layout.unknown:
        entries[c] = (shown, where)
    for c, shown, _, where in layout.problems:
        entries[c] = (shown, where)
    header_row = layout.first_row + layout.height - 1
    sheet_part = f"工作表“{sheet.name}”" if sheet.name else ""
    located: dict[int, ColumnOverride] = {}
    for override, spec in overrides:
        c = _locate(override, entries, sheet)
        if c is None:
            if override.file is not None:
                raise MappingError(f"{override.where()}：{sheet_part}中没有这一列")
            continue
        if c in located:
            raise MappingError(
                f"{override.where()}：这一列（{column_letter(c)}）已按“{located[c].column}”"
                "更正过，同一列更正了两次"
            )
        located[c] = override
        used.add(override)
        shown, where = entries.get(c, ("", cell_ref(header_row, c)))
        old_unit = layout.header_units.get(c)
        layout.columns = [column for column in layout.columns if column.index != c]
        layout.unknown = [item for item in layout.unknown if item[0] != c]
        layout.problems = [item for item in layout.problems if item[0] != c]
        layout.dropped = [item for item in layout.dropped if item[0] != c]
        if spec is None:
            layout.dropped.append((c, shown, where))
            continue
        unit = override.unit if override.unit is not None else old_unit
        calendar = None if spec.year is None else layout.year - spec.year
        match = checked_match(spec, unit, calendar)
        if match.kind != "field":
            raise MappingError(
                f"列 {column_letter(c)}“{shown}”：{match.detail}，请另选字段或更正单位"
            )
        layout.columns.append(
            Column(
                index=c,
                match=match,
                header=shown,
                header_cell=where,
                spec=spec,
                convert=make_converter(spec, unit),
                uses_percent=spec.type
                in (FieldType.PERCENT, FieldType.MONEY, FieldType.INT, FieldType.DECIMAL),
                manual=True,
            )
        )
    layout.columns.sort(key=lambda column: column.index)
    by_key: dict[str, list[Any]] = {}
    for column in layout.columns:
        if column.spec is not None:
            by_key.setdefault(column.spec.key, []).append(column)
    for columns in by_key.values():
        if len(columns) > 1 and any(column.manual for column in columns):
            first, second = columns[0], columns[1]
            label = first.spec.year_label(layout.year)
            raise MappingError(
                f"{sheet_part}列 {column_letter(first.index)}“{first.header}”和"
                f"列 {column_letter(second.index)}“{second.header}”都对应到“{label}”："
                "请把其中一列改为其他字段或忽略"
            )
