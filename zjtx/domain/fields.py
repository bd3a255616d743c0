"""Field catalogue entries: what one applicant field means, its type, unit and Chinese label."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    """Value type of a catalogue field; decides parsing and the Python type of its values."""

    TEXT = "text"  # str
    INT = "int"  # int
    DECIMAL = "decimal"  # decimal.Decimal
    MONEY = "money"  # decimal.Decimal, in 万元
    PERCENT = "percent"  # decimal.Decimal, percent value (12.5 means 12.5 %)
    BOOL = "bool"  # bool
    DATE = "date"  # datetime.date
    ENUM = "enum"  # str, one of FieldSpec.options


YEAR_WORDS = {1: "上年度", 2: "前年", 3: "大前年"}
YEAR_END_WORDS = {1: "上年末", 2: "前年末", 3: "大前年末"}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One applicant field of the catalogue (one key; year series are expanded per year).

    Attributes:
        key: the contract key, e.g. ``revenue_y1``.
        label: Chinese label without the year, e.g. ``营业收入``.
        group: catalogue group id (identity, finance, ...).
        type: value type.
        unit: display unit (万元, 人, %, 年, 项, 名, 级, 分) or None.
        base: for year fields the series name (``revenue``), else the key itself.
        year: 1, 2 or 3 for ``_y1``.. fields (years before the evaluation year), else None.
        period: ``year`` (a flow: 上年度营业收入) or ``end`` (a stock: 上年末资产总额).
        aliases: other header texts that name this field (without year or unit).
        options: enumeration codes to Chinese labels, in display order.
        option_aliases: extra Chinese spellings accepted for each code.
        none_means_zero: whether 无 in a cell means 0 (counts, ranks) rather than unknown.
        zero_text: what a 0 reads as where 0 is no number of its unit (a rank of 0 is 未获奖).
        minimum / maximum: plausible range of a numeric field (in its unit), used by templates
            and the import gate: a value outside it is an error naming the cell and the range.
        max_length: most characters a text field may hold (企业名称 100); a longer text is an
            error for its row.
        required: a missing value blocks the applicant.
        help: 填表说明 text.
        overlay: the overlay id that declared the field, or None for the national catalogue.
        part_of: the count this one counts part of (Ⅰ类高价值 of the Ⅰ类 items): never more
            than it, so an unknown part of a known whole lies between 0 and the whole.
    """

    key: str
    label: str
    group: str
    type: FieldType
    unit: str | None = None
    base: str = ""
    year: int | None = None
    period: str | None = None
    aliases: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    option_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    none_means_zero: bool = False
    zero_text: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    required: bool = False
    help: str = ""
    overlay: str | None = None
    part_of: str | None = None

    @property
    def option_labels(self) -> dict[str, str]:
        """Enumeration code -> Chinese label."""
        return dict(self.options)

    @property
    def is_numeric(self) -> bool:
        return self.type in (FieldType.INT, FieldType.DECIMAL, FieldType.MONEY, FieldType.PERCENT)

    def range_text(self) -> str:
        """The plausible range in words, e.g. ``0 到 10,000,000,000 万元`` or ``不小于 0 人``."""
        unit = "" if self.unit is None else ("%" if self.unit == "%" else f" {self.unit}")
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"{low:,} 到 {high:,}{unit}"
        if low is not None:
            return f"不小于 {low:,}{unit}"
        if high is not None:
            return f"不大于 {high:,}{unit}"
        return ""

    def relative_label(self) -> str:
        """Label with the relative year word, e.g. ``上年度营业收入`` or ``上年末资产总额``."""
        if self.year is None:
            return self.label
        words = YEAR_END_WORDS if self.period == "end" else YEAR_WORDS
        return words[self.year] + self.label

    def year_label(self, evaluation_year: int) -> str:
        """Label with the calendar year of a round, e.g. ``2025年营业收入`` in a 2026 round."""
        if self.year is None:
            return self.label
        suffix = "年末" if self.period == "end" else "年"
        return f"{evaluation_year - self.year}{suffix}{self.label}"

    def display_label(self) -> str:
        """Relative label with its unit, e.g. ``上年度营业收入（万元）``."""
        label = self.relative_label()
        return f"{label}（{self.unit}）" if self.unit else label

    def format_value(self, value: object) -> str:
        """Render a value of this field for people (Chinese booleans and enum labels)."""
        if value is None:
            return "—"
        if self.type == FieldType.BOOL:
            return "是" if value else "否"
        if self.type == FieldType.ENUM:
            return self.option_labels.get(str(value), str(value))
        if self.zero_text is not None and value == 0:
            return self.zero_text
        if self.type == FieldType.PERCENT:
            return f"{value}%"
        if self.unit and self.is_numeric:
            return f"{value} {self.unit}"
        return str(value)


@dataclass(frozen=True, slots=True)
class FieldCatalogue:
    """All fields by key, in catalogue order, plus the group titles."""

    fields: dict[str, FieldSpec]
    groups: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def __contains__(self, key: object) -> bool:
        return key in self.fields

    def __getitem__(self, key: str) -> FieldSpec:
        return self.fields[key]

    def __iter__(self):
        return iter(self.fields.values())

    def __len__(self) -> int:
        return len(self.fields)

    def keys(self) -> list[str]:
        return list(self.fields)

    def get(self, key: str) -> FieldSpec | None:
        return self.fields.get(key)

    def only(self, keys: Collection[str]) -> FieldCatalogue:
        """The catalogue of the given fields alone, in catalogue order (a round's template)."""
        return FieldCatalogue(
            {key: spec for key, spec in self.fields.items() if key in keys},
            self.groups,
            self.source,
        )

    def series_base(self, key: str) -> str | None:
        """The series a field kept per year belongs to, given one of its keys (``revenue_y1``)
        or the series name itself (``revenue``); None for a field without years."""
        if f"{key}_y1" in self.fields:
            return key
        spec = self.fields.get(key)
        return spec.base if spec is not None and spec.year is not None else None

    def series_years(self, base: str, year: int) -> list[int]:
        """Calendar years a series has in a round of evaluation year ``year`` (newest first);
        [] for a field without years."""
        return sorted(
            (year - s.year for s in self.fields.values() if s.year is not None and s.base == base),
            reverse=True,
        )

    def extended(self, extra: list[FieldSpec]) -> FieldCatalogue:
        """A catalogue with an overlay's own fields added after the national ones."""
        merged = dict(self.fields)
        for spec in extra:
            merged[spec.key] = spec
        return FieldCatalogue(fields=merged, groups=self.groups, source=self.source)
