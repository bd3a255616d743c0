"""The data-quality gate: per-applicant checks (errors block, warnings need a reason)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from zjtx.domain.applicant import Provenance
from zjtx.domain.fields import YEAR_WORDS, FieldCatalogue, FieldSpec, FieldType
from zjtx.domain.issues import Issue, Severity
from zjtx.domain.uscc import org_code_warning, validate_uscc
from zjtx.intake.answer_notes import expired_message, expired_note, remark_warning, split_note
from zjtx.intake.cell_text import (
    ZERO_WIDTH_SHOWN,
    clean_text,
    control_characters,
    normalise_text,
    shown_text,
)
from zjtx.intake.headers import RATIO_LABELS
from zjtx.intake.records import Record
from zjtx.intake.values import (
    CODE_DRESSING,
    MAX_MAGNITUDE,
    USCC_LENGTH,
    is_placeholder,
    reading_note,
    tidy,
)

REVENUE_MIN = Decimal(1)  # 万元: below this a 元 column was probably read as 万元
REVENUE_MAX = Decimal(10) ** 7  # 万元 (1,000 亿元)
GROWTH_LIMIT = Decimal(300)  # percent
# A text field without a max_length (an overlay's) still has one; so does a number's range.
TEXT_LIMIT = 200
NUMBER_LIMIT = 10**MAX_MAGNITUDE
# Without these an applicant is unusable: a control character in them blocks it.
IDENTITY_KEYS = frozenset({"name", "uscc"})
HUNDRED = Decimal(100)
GROWTH_FACTOR = 1 + GROWTH_LIMIT / HUNDRED
ZERO = Decimal(0)
_LABELS = {1: "上年度营业收入", 2: "前年营业收入", 3: "大前年营业收入"}
_YEAR_KEYS = tuple(
    (year, f"revenue_y{year}", f"main_revenue_y{year}", f"rd_expense_y{year}") for year in (1, 2, 3)
)


def _fmt(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_RULES: dict[int, tuple[Any, ...]] = {}


EARLIEST_DATE = date(1900, 1, 1)


def _rules(
    catalogue: FieldCatalogue,
) -> tuple[
    tuple[Any, ...],
    dict[str, Any],
    tuple[Any, ...],
    tuple[FieldSpec, ...],
    tuple[FieldSpec, ...],
    dict[str, FieldSpec],
    tuple[tuple[FieldSpec, FieldSpec], ...],
]:
    """Required fields, numeric bounds, text fields with their length limits, percent fields,
    date fields, the fields answered by a choice (yes or no, an option, a level; by key) and
    the counts of part of another (with it) of a catalogue, computed once per catalogue."""
    cached = _RULES.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        required = tuple(spec for spec in catalogue if spec.required)
        # Bounds as the values' own type: Decimal against Decimal compares fastest. A field
        # the catalogue gives no bound still stops at 10^18.
        bounds = {
            spec.key: (
                spec,
                _typed_bound(spec, spec.minimum, -NUMBER_LIMIT),
                _typed_bound(spec, spec.maximum, NUMBER_LIMIT),
            )
            for spec in catalogue
            if spec.is_numeric
        }
        texts = tuple(
            (spec.key, spec, spec.max_length or TEXT_LIMIT, spec.key in ("uscc", "industry_code"))
            for spec in catalogue
            if spec.type == FieldType.TEXT
        )
        percents = tuple(spec for spec in catalogue if spec.type == FieldType.PERCENT)
        dates = tuple(spec for spec in catalogue if spec.type == FieldType.DATE)
        choices = {
            spec.key: spec
            for spec in catalogue
            if spec.type in (FieldType.ENUM, FieldType.BOOL) or spec.unit == "级"
        }
        # A count of part of another (FieldSpec.part_of) with that other.
        parts = tuple(
            (spec, catalogue[spec.part_of]) for spec in catalogue if spec.part_of in catalogue
        )
        cached = _RULES[id(catalogue)] = (
            catalogue, required, bounds, texts, percents, dates, choices, parts
        )  # fmt: skip
    return cached[1:]  # type: ignore[return-value]


def _typed_bound(spec: Any, bound: int | None, default: int) -> Any:
    if bound is None:
        bound = default
    return bound if spec.type == "int" else Decimal(bound)


def _shown_number(value: Any) -> str:
    """A number as a message quotes it (a huge int never goes through str())."""
    if value.__class__ is int and value.bit_length() > 200:
        try:
            return f"{value:.6e}"
        except OverflowError:
            return f"约 {int(value.bit_length() * 0.30103) + 1} 位的整数"
    return shown_text(str(value))


def _check_texts(record: Record, texts: tuple[Any, ...]) -> None:
    """Control characters (removed; an error in 企业名称 or 统一社会信用代码, else a warning)
    and texts longer than the catalogue allows (an error for the row)."""
    values = record.values
    for key, spec, limit, code in texts:
        value = values.get(key)
        if value is None:
            continue
        if not value.isprintable():
            found = control_characters(value)
            if found:
                value = _remove_controls(record, spec, value, found, code)
                if value is None:
                    continue
        if len(value) > limit and key != "uscc":  # the code's length: validate_uscc
            record.add(
                "text-too-long",
                Severity.ERROR,
                f"{spec.label}过长：{len(value)} 个字符，最多 {limit} 个"
                f"（“{shown_text(value, 20)}”）：请核对该单元格",
                field_key=key,
            )


def _remove_controls(
    record: Record, spec: FieldSpec, value: str, found: list[str], code: bool
) -> str | None:
    """Take the control characters out of a text value and say so; None if nothing is left."""
    key = spec.key
    cleaned = clean_text(value, code=code)
    listed = "、".join(found)
    if key in IDENTITY_KEYS:
        record.add(
            "text-control-character",
            Severity.ERROR,
            f"{spec.label}含有不可见的控制字符（{listed}）：该企业无法导入，"
            "请在原表中删除这些字符后重新导入",
            field_key=key,
        )
    else:
        record.add(
            "text-control-character",
            Severity.WARNING,
            f"{spec.relative_label()}含有不可见的控制字符（{listed}），已删除："
            f"按“{shown_text(cleaned)}”导入",
            field_key=key,
        )
    if key == "uscc":
        # Issues already raised for the row name the code as typed: name it without them.
        old = record.uscc_text
        record.uscc_text = cleaned or None
        record.issues = [
            replace(issue, uscc=record.uscc_text) if issue.uscc == old else issue
            for issue in record.issues
        ]
    if not cleaned or is_placeholder(cleaned):
        del record.values[key]
        return None
    record.values[key] = cleaned
    return cleaned


def _upper_range(spec: FieldSpec) -> str:
    return spec.range_text() if spec.maximum is not None else f"不大于 {NUMBER_LIMIT:,}"


def _range_hint(spec: FieldSpec) -> str:
    bounds = spec.range_text()
    return f"（合理范围 {bounds}）" if bounds else ""


def _expired(record: Record, spec: FieldSpec, raw: str, year: int | None) -> bool:
    """Refuse a 是 whose remark dates the title's end before the round (是（有效期至2022年12月）
    in a 2026 round): the answer and its remark disagree, as 是（已过期） does."""
    parts = split_note(normalise_text(raw))
    if year is None or record.values.get(spec.key) is not True or parts is None:
        return False
    why = expired_note(spec.key, parts[1], year)
    if why is None:
        return False
    del record.values[spec.key]
    record.add(
        "value-unreadable",
        Severity.ERROR,
        f"{spec.relative_label()}：{expired_message(raw, why)}",
        field_key=spec.key,
    )
    return True


def _raw(record: Record, key: str) -> str:
    """The cell's text as typed ("" when it came from nowhere a user typed)."""
    item = record.provenance.get(key)
    return (item.raw or "") if item is not None else ""


# The gate's checks of one value against another: made again on an enterprise's values as
# merged from several files (across_fields), where each file alone may hold only one side.
ACROSS_FIELDS = frozenset(
    {
        "main-revenue-exceeds-revenue",
        "lead-product-revenue-exceeds-revenue",
        "rd-expense-exceeds-revenue",
        "growth-over-300",
        "liabilities-without-assets",
        "ip-count-exceeds-total",
        "rd-staff-exceeds-employees",
    }
)


def across_fields(
    values: dict[str, Any], catalogue: FieldCatalogue, year: int | None
) -> list[Issue]:
    """The gate's issues of one value against another (ACROSS_FIELDS) for values as merged,
    with no file or cell (they come from several)."""
    record = Record(file="", sheet=None, row=None, source=Provenance(""), values=dict(values))
    check_record(record, catalogue, year)
    return [issue for issue in record.issues if issue.code in ACROSS_FIELDS]


def check_record(record: Record, catalogue: FieldCatalogue, year: int | None = None) -> None:
    """Add the gate's issues for one record (required fields, USCC, impossible values...);
    ``year``, the round's, refuses a 是 whose remark says the title ended before it and warns
    of one ending within it."""
    values = record.values
    required, bounds, texts, percents, dates, choices, parts = _rules(catalogue)
    _check_texts(record, texts)
    for key in values.keys() & choices.keys():
        raw = _raw(record, key)
        # A choice written as itself is short (是, 新申报, 市级以下); only longer text is read.
        note = reading_note(choices[key], raw, values[key]) if len(raw) > 4 else None
        if note is not None:
            record.add("value-read-as", Severity.INFO, note, field_key=key)
        elif len(raw) > 4 and choices[key].type == FieldType.BOOL:
            if _expired(record, choices[key], raw, year):
                continue
            label = choices[key].relative_label()
            remark = remark_warning(label, raw, values[key], key, year)
            if remark is not None:
                record.add("value-read-as", Severity.WARNING, remark, field_key=key)
    for spec in required:
        if spec.key not in values and not any(issue.field == spec.key for issue in record.issues):
            record.add(
                "missing-required",
                Severity.ERROR,
                f"缺少{spec.label}：该企业无法导入",
                field_key=spec.key,
            )
    code = values.get("uscc")
    if code is not None and len(code) > USCC_LENGTH * 2:
        # validate_uscc quotes the code whole; a 5,000-character one is shown cut.
        record.add(
            "uscc-length",
            Severity.ERROR,
            f"统一社会信用代码应为 18 位，“{shown_text(code, 20)}”为 {len(code)} 位",
            field_key="uscc",
        )
    elif code is not None:
        raw = _raw(record, "uscc")
        # What the code was read without (values.CODE_DRESSING): the same search, on the raw.
        # A zero-width character (read as nothing) shows in the raw text as an escape; a space
        # inside the code (9133…246　79XL, read without it) is said as well.
        if (
            raw
            and len(code) == USCC_LENGTH
            and (
                CODE_DRESSING.search(normalise_text(raw).upper())
                or ZERO_WIDTH_SHOWN.search(raw)
                or any(ch.isspace() for ch in raw.strip())
            )
        ):
            record.add(
                "uscc-tidied",
                Severity.INFO,
                f"统一社会信用代码“{shown_text(raw.strip(), 40)}”读作“{code}”（去掉了代码以外的"
                "说明、分隔符或不可见字符）",
                field_key="uscc",
            )
        elif raw and any(ch.islower() for ch in raw):
            record.add(
                "uscc-lowercase",
                Severity.INFO,
                f"统一社会信用代码“{shown_text(raw.strip(), 20)}”含小写字母，按大写读作“{code}”",
                field_key="uscc",
            )
        problem = validate_uscc(code)
        if problem is not None:
            record.add(problem.code, Severity.ERROR, problem.message, field_key="uscc")
        else:
            warning = org_code_warning(code)
            if warning:
                record.add("uscc-org-code", Severity.WARNING, warning, field_key="uscc")
    for spec in percents:
        value = values.get(spec.key)
        if value is not None and ZERO < value < 1 and "%" not in _raw(record, spec.key):
            # 0.248 where the column means percent: likely a fraction whose % format was lost.
            whole = _shown_number(tidy(Decimal(value).scaleb(2)))
            record.add(
                "percent-looks-fractional",
                Severity.WARNING,
                f"{spec.relative_label()}读作 {_shown_number(value)}%；如指 {whole}%，请填 {whole}"
                "（本列填百分数，12.5 表示 12.5%）",
                field_key=spec.key,
            )
    for key in values.keys() & bounds.keys():
        spec, low, high = bounds[key]
        value = values[key]
        if value < low:
            shown = _shown_number(value)
            word = f"为负数（{shown}）" if spec.minimum == 0 else f"为 {shown}"
            record.add(
                "value-out-of-range",
                Severity.ERROR,
                f"{spec.relative_label()}{word}，不可能成立{_range_hint(spec)}",
                field_key=key,
            )
        elif value > high:
            record.add(
                "value-out-of-range",
                Severity.ERROR,
                f"{spec.relative_label()}为 {_shown_number(value)}，"
                f"超出合理范围（{_upper_range(spec)}）：请核对数值和单位",
                field_key=key,
            )
    for spec in dates:
        day = values.get(spec.key)
        if day is None:
            continue
        # A date of record (成立日期) lies between 1900 and today: 0001-01-01, 9999-12-31 or a
        # typed 2107 for 2017 cannot be right.
        if day < EARLIEST_DATE or day > date.today():
            when = "早于 1900 年" if day < EARLIEST_DATE else "晚于今天"
            record.add(
                "value-out-of-range",
                Severity.ERROR,
                f"{spec.relative_label()}为 {day.isoformat()}，{when}，不可能成立：请核对",
                field_key=spec.key,
            )
    for year, revenue_key, main_key, rd_key in _YEAR_KEYS:
        revenue = values.get(revenue_key)
        if revenue is None:
            continue
        label = _LABELS[year]
        main = values.get(main_key)
        if main is not None and main > revenue:
            record.add(
                "main-revenue-exceeds-revenue",
                Severity.ERROR,
                f"{catalogue[f'main_revenue_y{year}'].relative_label()}（{_fmt(main)} 万元）"
                f"大于{label}（{_fmt(revenue)} 万元）",
                field_key=f"main_revenue_y{year}",
            )
        lead = values.get("lead_product_revenue_y1") if year == 1 else None
        if lead is not None and lead > revenue:
            # A share over 100 % would pass the 主导产品 rule (over 50 %) unnoticed.
            record.add(
                "lead-product-revenue-exceeds-revenue",
                Severity.ERROR,
                f"{catalogue['lead_product_revenue_y1'].relative_label()}（{_fmt(lead)} 万元）"
                f"大于{label}（{_fmt(revenue)} 万元）",
                field_key="lead_product_revenue_y1",
            )
        rd = values.get(rd_key)
        if rd is not None and rd > revenue:
            record.add(
                "rd-expense-exceeds-revenue",
                Severity.ERROR,
                f"{catalogue[f'rd_expense_y{year}'].relative_label()}（{_fmt(rd)} 万元）"
                f"大于{label}（{_fmt(revenue)} 万元）",
                field_key=f"rd_expense_y{year}",
            )
        if (ZERO < revenue < REVENUE_MIN or revenue > REVENUE_MAX) and not any(
            issue.field == revenue_key for issue in record.issues
        ):  # beyond the catalogue's range it is already an error
            record.add(
                "revenue-unit-suspect",
                Severity.WARNING,
                f"{label}为 {_fmt(revenue)} 万元，数量级异常：请核对单位（元、万元、亿元）",
                field_key=f"revenue_y{year}",
            )
    for later, earlier in ((1, 2), (2, 3)):
        now = values.get(f"revenue_y{later}")
        before = values.get(f"revenue_y{earlier}")
        # Growth over 300 % means now > 4 x before; the percentage is computed only to report it.
        if now is not None and before is not None and before > 0 and now > before * GROWTH_FACTOR:
            growth = (now - before) / before * HUNDRED
            if growth > GROWTH_LIMIT:
                record.add(
                    "growth-over-300",
                    Severity.WARNING,
                    f"{catalogue[f'revenue_y{later}'].relative_label()}比"
                    f"{catalogue[f'revenue_y{earlier}'].relative_label()}增长 {growth:.1f}%"
                    "（超过 300%）：请核对",
                    field_key=f"revenue_y{later}",
                )
    liabilities = values.get("total_liabilities_y1")
    assets = values.get("total_assets_y1")
    # A 资产总额 not given is unknown (the debt ratio waits for it, and a file sent to correct
    # the 负债总额 alone is merged over the stored 资产总额); 0 beside debts is a typing error.
    if liabilities is not None and liabilities > 0 and assets is not None and assets == 0:
        record.add(
            "liabilities-without-assets",
            Severity.ERROR,
            "填了上年末负债总额，但资产总额为 0：无法计算资产负债率，请核对资产总额",
            field_key="total_liabilities_y1",
        )
    for spec, whole in parts:  # 高价值, 自主研发 and 已应用 items are Ⅰ类 items: never more
        part, total = values.get(spec.key), values.get(whole.key)
        if part is not None and total is not None and part > total:
            record.add(
                "ip-count-exceeds-total",
                Severity.ERROR,
                f"{spec.relative_label()}（{part} {spec.unit}）多于"
                f"{whole.relative_label()}（{total} {whole.unit}）：请核对",
                field_key=spec.key,
            )
    staff = values.get("rd_staff_y1")
    employees = values.get("employees_y1")
    if staff is not None and employees is not None and staff > employees:
        record.add(
            "rd-staff-exceeds-employees",
            Severity.WARNING,
            f"上年度研发人员（{staff} 人）多于上年末从业人员（{employees} 人）：请核对",
            field_key="rd_staff_y1",
        )
    for stated in record.ratios:
        computed = computed_ratio(values, stated.ratio, stated.year_index)
        if computed is None:
            continue
        # Each figure says what it is: the year's own, or the three years' combined one.
        candidates = [(computed, YEAR_WORDS.get(stated.year_index, ""))]
        decimals = max(0, -int(stated.value.normalize().as_tuple().exponent))
        tolerance = Decimal(5).scaleb(-(decimals + 1)) + Decimal("0.000001")
        if abs(stated.value - computed) > tolerance and stated.ratio == "rd_intensity":
            # Without a year the intensity may be the three years' combined one.
            combined = computed_ratio(values, "rd_intensity_3y", stated.year_index)
            if combined is not None:
                candidates.append((combined, "近三年合计"))
        if all(abs(stated.value - c) > tolerance for c, _label in candidates):
            shown = "，或 ".join(
                f"{c:.2f}%（{label}）" if label else f"{c:.2f}%" for c, label in candidates
            )
            # 0.052 where the row means percent: most likely the fraction 5.2 %, said so.
            fraction = (
                not stated.raw.endswith("%")
                and stated.value <= 1
                and any(abs(stated.value * 100 - c) <= tolerance * 100 for c, _label in candidates)
            )
            percent = format((stated.value * 100).normalize(), "f")
            hint = (
                f"；如 {stated.raw} 指 {percent}%，则与金额一致，请在表中写作 {percent}%"
                if fraction
                else ""
            )
            record.add(
                "ratio-mismatch",
                Severity.WARNING,
                f"表中{RATIO_LABELS[stated.ratio]}为 {stated.raw}"
                f"{'' if stated.raw.endswith('%') else f'（即 {stated.value}%）'}，"
                f"按金额计算为 {shown}{hint}：请核对（评价按金额计算）",
                cell=stated.cell,
                sheet=stated.sheet,
            )


def computed_ratio(values: dict[str, object], ratio: str, year: int) -> Decimal | None:
    """The ratio (percent value) computed from amounts, or None when they are missing.

    ``rd_intensity_3y`` is the three years' combined R&D intensity (a stated intensity without
    a year may mean it).
    """

    def get(key: str) -> Decimal | None:
        value = values.get(key)
        return None if value is None else Decimal(value)

    def pct(top: Decimal | None, bottom: Decimal | None) -> Decimal | None:
        if top is None or bottom is None or bottom == 0:
            return None
        return top / bottom * HUNDRED

    if ratio == "rd_intensity":
        return pct(get(f"rd_expense_y{year}"), get(f"revenue_y{year}"))
    if ratio == "rd_intensity_3y":
        rds = [get(f"rd_expense_y{y}") for y in (1, 2, 3)]
        revs = [get(f"revenue_y{y}") for y in (1, 2, 3)]
        if year != 1 or any(v is None for v in rds + revs):
            return None
        return pct(sum(rds), sum(revs))
    if ratio == "debt_ratio":
        return pct(get("total_liabilities_y1"), get("total_assets_y1"))
    if ratio == "main_share":
        return pct(get(f"main_revenue_y{year}"), get(f"revenue_y{year}"))
    if ratio == "revenue_growth":
        now, before = get(f"revenue_y{year}"), get(f"revenue_y{year + 1}")
        if now is None or before is None or before <= 0:
            return None
        return (now - before) / before * HUNDRED
    if ratio == "revenue_cagr":
        now, before = get("revenue_y1"), get("revenue_y3")
        if now is None or before is None or before <= 0 or now < 0:
            return None
        root = (now / before).sqrt()
        return (root - 1) * HUNDRED
    if ratio == "rd_staff_share":
        return pct(get("rd_staff_y1"), get("employees_y1"))
    if ratio == "lead_share":
        return pct(get("lead_product_revenue_y1"), get("revenue_y1")) if year == 1 else None
    return None


def check_duplicates(records: Iterable[Record], catalogue: FieldCatalogue) -> set[int]:
    """The same 统一社会信用代码 twice in a batch. Copies carrying the same data (a row pasted
    twice, a file downloaded twice) are read once: the first copy is kept, the others are
    noted and returned (their ids) to be left out. Copies that differ are an error on every
    one, naming the others and the fields that differ (a corrected copy beside the original:
    which to keep is a question of fact)."""
    by_code: dict[str, list[Record]] = {}
    for record in records:
        code = record.values.get("uscc")
        if code:
            by_code.setdefault(code, []).append(record)
    left_out: set[int] = set()
    for code, group in by_code.items():
        if len(group) < 2:
            continue
        keys = set().union(*(r.values.keys() for r in group))
        first = group[0].values
        differ = [k for k in keys if any(r.values.get(k) != first.get(k) for r in group)]
        # A value one copy could not read is no empty cell: such copies are not the same data.
        questioned = [_questioned_fields(r) for r in group]
        differ += sorted(set().union(*questioned) - set.intersection(*questioned))
        if not differ:
            # The copy with the least against it: not blocked, then fewest warnings (a visible
            # list's copy before one only a hidden sheet holds), then the first.
            kept = min(group, key=lambda r: (r.blocked, _warnings(r)))
            for record in group:
                if record is kept:
                    continue
                left_out.add(id(record))
                record.add(
                    "uscc-duplicate-same",
                    Severity.INFO,
                    f"统一社会信用代码“{code}”与 {_where(kept)} 的数据完全相同：已跳过这一处，"
                    "只导入那一处",
                    field_key="uscc",
                )
            continue
        labels = sorted(
            (catalogue.get(k).relative_label() if k in catalogue else k) for k in differ
        )
        shown = "、".join(labels[:3]) + (f"等 {len(labels)} 项" if len(labels) > 3 else "")
        advice = f"{_copies(group)}数据不同（{shown}）：请核实哪一处准确，删除其余的"
        for record in group:
            others = "；".join(_where(other) for other in group if other is not record)
            record.add(
                "uscc-duplicate",
                Severity.ERROR,
                f"统一社会信用代码“{code}”在本批次中重复出现（另见 {others}），{advice}",
                field_key="uscc",
            )
    return left_out


def _questioned_fields(record: Record) -> set[str]:
    """The fields a record has errors or warnings about (a value unreadable, out of range...);
    a note (省级企业技术中心 read as 省级) makes no copy different."""
    return {
        i.field
        for i in record.issues
        if i.field is not None and i.field != "uscc" and i.severity != Severity.INFO
    }


def _warnings(record: Record) -> int:
    return sum(1 for issue in record.issues if issue.severity == Severity.WARNING)


def _copies(group: list[Record]) -> str:
    return "两处" if len(group) == 2 else f"{len(group)} 处"


def _where(record: Record) -> str:
    parts = [record.file]
    if record.sheet:
        parts.append(record.sheet)
    cell = record.cells.get("uscc")
    if cell:
        parts.append(cell)
    elif record.row is not None:
        parts.append(f"第 {record.row} 行")
    return " · ".join(parts)
