"""Cell values to typed catalogue values: numbers with units, 是/否, enumerations and dates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from zjtx.domain.fields import FieldSpec, FieldType
from zjtx.intake.answer_notes import ANSWER_NOTE, harmless
from zjtx.intake.cell_text import (
    CONTROL_CHARACTERS,
    normalise_text,
    shown_text,
    visible_controls,
    without_zero_width,
)
from zjtx.intake.choices import NUMERAL, NUMERAL_WORDS, institution_level, is_boxes, ticked
from zjtx.intake.dates import TIME_OF_DAY, WEEKDAY, WEEKDAYS, parse_date_text

# Cell texts that mean "nothing entered": unknown, never zero.
PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "—",
        "——",
        "–",
        "/",
        "\\",
        "n/a",
        "na",
        "null",
        "none",
        "暂无",
        "空",
        ".",
        "不适用",
        "无数据",
        "未填",
        "未填报",
    }
)
NONE_WORDS = frozenset({"无", "没有", "未有"})
TRUE_WORDS = frozenset(
    {"是", "有", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "对", "是的", "已获得", "已获"}
    | {"属于", "已认定", "已入库", "已列入", "已发生"}
)
FALSE_WORDS = frozenset(
    {"否", "无", "×", "✗", "✘", "x", "n", "no", "false", "f", "0", "没有", "不是", "未获得"}
    | {"不属于", "未认定", "未入库", "未列入", "未发生"}
)
# A yes or no with a note after it (是（2022年到期）, 有（申请中））: a note that may undo the answer
# is refused, saying why; one that only numbers or dates it (answer_notes.harmless) is not.
_ANSWER_NOTE = ANSWER_NOTE
# What a rank of none is written as besides the field's own words (未进入排名).
_ZERO_WORDS = {"未进入排名": ("未排名", "无排名")}

# Money units to the power of ten that turns them into 万元.
MONEY_UNITS = {"元": -4, "千元": -1, "万元": 0, "万": 0, "百万元": 2, "亿元": 4, "亿": 4}
# The measure words a count may be written in, by the unit the catalogue gives it: people
# 120 人, 120 名 or 120 位, a rank 第3名 or 第3位, intellectual property 3 项, 3 件 or 3 个. A
# column header and a cell both read this one table.
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "人": ("人", "名", "位"),
    "名": ("名", "位"),
    "项": ("项", "件", "个"),
    "级": ("级",),
    "分": ("分",),
    "年": ("年",),
}
# Every measure word read as a unit; 家 (enterprises) is no field's, so a count written in it
# is refused for its unit rather than as unreadable.
COUNT_WORDS = (*dict.fromkeys(w for words in MEASURE_WORDS.values() for w in words), "家")
EXCEL_EPOCH = date(1899, 12, 30)

# A negative amount as accountants and Word write it: 亏损120, 负120, △120; −120 (the minus
# sign) and –120 (the dash Word's autocorrect turns a hyphen into).
_LOSS_WORDS = ("亏损", "负", "△")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "‐": "-", "‒": "-"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_UNITS = "|".join([*sorted(MONEY_UNITS, key=len, reverse=True), "%", *COUNT_WORDS])
_TRAILING_UNIT = re.compile(rf"^(.*?\d\.?)({_UNITS})$")

# Whitespace runs that are not themselves controls (str.split() would swallow \x1c or \u2028).
_PLAIN_SPACE_RUNS = re.compile("[^\\S\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
# No field holds a number of more characters or beyond 10^18 (money tops out at 10^10 万元):
# such text is refused before Decimal or int ever computes with it (1e1000000 took 33 s).
MAX_NUMBER_LENGTH = 40
MAX_MAGNITUDE = 18
_MAGNITUDE_LIMIT = 10**MAX_MAGNITUDE
# The yuan's sign or name before an amount (¥1,234.50, 人民币800万元): the amount in the unit
# of its column or the unit it writes. A foreign currency anywhere in the text is refused.
_YUAN_SIGN = re.compile(r"^(?:¥|人民币|RMB|CNY):?(.+)$", re.IGNORECASE)
# Excel's accounting format shows a zero as a dash after the sign (¥ -), as exports keep it.
_ACCOUNTING_ZERO = frozenset({"-", "—", "–", "－"})
ZERO_AMOUNT = Decimal(0)
_FOREIGN_CURRENCY = re.compile(r"[$€£]|美元|欧元|港元|港币|日元|英镑|USD|EUR|HKD|JPY|GBP", re.I)
# Around a code, what is not the code: the apostrophe that keeps a number as text in Excel, a
# note in brackets (（三证合一）), group separators.
CODE_DRESSING = re.compile(r"^[’'‘]|[(（][^)）]*[)）]$|(?<=[0-9A-Z])-(?=[0-9A-Z])")
USCC_LENGTH = 18  # characters of a 统一社会信用代码
_SEAL_NOTE = re.compile(r"\s*[(（](?:盖章|公章|签章|盖公章)[)）]\s*$")
# A number as Excel shows it when too wide for its column (9.13201E+17): its digits are gone.
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d{1,2}$")


class CellError(ValueError):
    """A cell whose text cannot be read as its field's type: a kebab-case code and a message."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


class NumberTooLarge(ValueError):
    """A number with absurdly many digits or an absurd exponent (refused before computing)."""


def absurd_number(spec: FieldSpec, raw: str) -> CellError:
    """The error for a number no field can hold, naming the field's plausible range."""
    bounds = spec.range_text()
    return CellError(
        "value-out-of-range",
        f"{spec.relative_label()}：“{shown_text(raw)}”不是合理的数值（位数过多或数量级不合理）"
        + (f"，合理范围为 {bounds}" if bounds else ""),
    )


def check_magnitude(spec: FieldSpec, number: Decimal | int) -> None:
    """Raise CellError (without the field's label, which the caller adds) for a number beyond
    10^MAX_MAGNITUDE or a fraction below its inverse, cheaply: the JSON reader calls it before
    it turns 1e1000000 into an int or quotes a 5,000-digit one."""
    if number.__class__ is int:
        if -_MAGNITUDE_LIMIT <= number <= _MAGNITUDE_LIMIT:
            return
        # str() of an int over 4,300 digits raises; its length is estimated from its bits.
        shown = f"约 {int(number.bit_length() * 0.30103) + 1} 位的整数"
    elif not number.is_finite():
        raise CellError("value-unreadable", "应为有限数值")
    elif not number or -MAX_MAGNITUDE <= number.adjusted() <= MAX_MAGNITUDE:
        return
    else:
        digits = len(number.as_tuple().digits)
        shown = f"{digits} 位的数" if digits > MAX_NUMBER_LENGTH else f"“{number}”"
    bounds = spec.range_text()
    raise CellError(
        "value-out-of-range",
        f"{shown}不是合理的数值（位数过多或数量级不合理）"
        + (f"，合理范围为 {bounds}" if bounds else ""),
    )


def json_integer(text: str) -> int | Decimal:
    """A JSON integer literal: an int, or a Decimal when it has too many digits for one
    (Python refuses int() of more than 4,300 digits; check_magnitude then reports it)."""
    return int(text) if len(text) <= MAX_NUMBER_LENGTH else Decimal(text)


def decimal_from_float(value: float) -> Decimal:
    """The number Excel shows for a binary float (15 significant digits), as a Decimal."""
    text = f"{value:.15g}"
    return Decimal(text)


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros a unit conversion added (1200.0000 -> 1200) without exponents."""
    if value == value.to_integral_value():
        # quantize needs every digit within the context's precision (28); a number that long
        # is kept as it is for the gate to refuse by its range.
        return value.quantize(Decimal(1)) if value.adjusted() < 27 else value
    return value.normalize()


def raw_text(value: Any) -> str:
    """The raw value of a cell as text for provenance (floats as Excel shows them)."""
    # The common cell types first, by exact class: the store asks for every cell of a file.
    cls = value.__class__
    if cls is str:
        return visible_controls(value)
    if cls is float:
        return f"{value:.15g}"
    if cls is int:
        return str(value)
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def is_blank(value: Any) -> bool:
    """An empty cell or one holding only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number_text(text: str) -> tuple[Decimal, str | None]:
    """A number typed as text and its trailing unit, if any ("1,200万元" -> 1200, "万元").

    Accepts thousands separators, full-width digits (the caller normalises), a leading plus or
    minus sign, negative numbers in parentheses and a percent sign. Raises ValueError, or
    NumberTooLarge for more than MAX_NUMBER_LENGTH characters or a magnitude beyond
    10^±MAX_MAGNITUDE (checked on the text and the exponent before any arithmetic).
    """
    negative = False
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":
        negative = True
        text = text[1:-1]
    elif text.startswith(_LOSS_WORDS):
        negative = True
        text = text[len(next(word for word in _LOSS_WORDS if text.startswith(word))) :]
    if not text.isascii():
        text = text.translate(_MINUS_SIGNS)
    unit = None
    match = _TRAILING_UNIT.match(text)
    if match:
        text, unit = match.group(1), match.group(2)
    if "," in text:
        if not _THOUSANDS.match(text):
            raise ValueError(text)
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(text)
    if len(text) > MAX_NUMBER_LENGTH:
        raise NumberTooLarge(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if number and not -MAX_MAGNITUDE <= number.adjusted() <= MAX_MAGNITUDE:
        raise NumberTooLarge(text)
    if negative:
        if number < 0:
            raise ValueError(text)
        number = -number
    return number, unit


def _unreadable(spec: FieldSpec, raw: Any, expected: str) -> CellError:
    return CellError(
        "value-unreadable",
        f"{spec.relative_label()}：无法把“{shown_text(raw_text(raw))}”读作{expected}",
    )


Converter = Callable[[Any, bool], Any]


def make_converter(spec: FieldSpec, header_unit: str | None) -> Converter:
    """A function (cell value, percent-formatted?) -> typed value or None; raises CellError.

    ``header_unit`` is the unit written in the column header (元, 万元, 亿元, %, 人...).
    Built once per column so the per-cell work is small.
    """
    ftype = spec.type
    if ftype == FieldType.MONEY:
        return _money_converter(spec, MONEY_UNITS.get(header_unit or "万元", 0))
    if ftype == FieldType.PERCENT:
        return _percent_converter(spec)
    if ftype in (FieldType.DECIMAL, FieldType.INT):
        return _count_converter(spec, integral=ftype == FieldType.INT)
    if ftype == FieldType.BOOL:
        return _bool_converter(spec)
    if ftype == FieldType.DATE:
        return _date_converter(spec)
    if ftype == FieldType.ENUM:
        return _enum_converter(spec)
    return _text_converter(spec)


def _scaled(number: Decimal, power: int) -> Decimal:
    return tidy(number.scaleb(power)) if power else number


def _text_number(
    spec: FieldSpec, raw: str, written: str | None = None
) -> tuple[Decimal | None, str | None]:
    """Parse a text cell of a numeric field: (number or None for unknown, trailing unit);
    ``written`` is the cell as typed when ``raw`` is a part of it (its errors quote the cell)."""
    text = normalise_text(raw)
    lowered = text.lower()
    if lowered in PLACEHOLDERS:
        return None, None
    if text in NONE_WORDS:
        if spec.none_means_zero:
            return Decimal(0), None
        return None, None
    unit = _BRACKETED_UNIT.match(text)
    if unit is not None and unit.group(2) in _UNIT_WORDS:  # 3200(万元): the unit in brackets
        text = unit.group(1) + unit.group(2)
    try:
        return parse_number_text(text)
    except NumberTooLarge:
        raise absurd_number(spec, written or raw) from None
    except ValueError:
        raise _number_unreadable(spec, text, written or raw) from None


# A unit in brackets after a figure (3200（万元）, 186（人）; normalised text): the figure's unit.
_BRACKETED_UNIT = re.compile(r"^(.*\d\.?)\s*\(([^()]+)\)$")
_UNIT_WORDS = frozenset({*MONEY_UNITS, *COUNT_WORDS, "%"})
# A figure with a note after it (186（含劳务派遣12人）) and an estimate (约186人, 3000余万元):
# the note may change what the figure counts and an estimate is no figure, so both are refused
# saying so rather than as text that is no number.
_FIGURE_NOTE = re.compile(r"^(.+?)\s*[(（][^()（）]+[)）]$")
_ESTIMATE = re.compile(r"^(?:大约|约|预计|估计|预估|近)|(?:左右|余|多)(?=\D*$)")


def _number_unreadable(spec: FieldSpec, text: str, written: str) -> CellError:
    label, shown = spec.relative_label(), shown_text(written)
    noted = _FIGURE_NOTE.match(text)
    if noted is not None and _is_number(noted.group(1)):
        return CellError(
            "value-unreadable",
            f"{label}：“{shown}”在数字后带有说明，说明可能改变数字的口径（如含税、不含劳务派遣），"
            "无法确定：请只填数字，说明写入备注",
        )
    if _ESTIMATE.search(text) and _is_number(_ESTIMATE.sub("", text)):
        return CellError("value-unreadable", f"{label}：“{shown}”是约数，请填写准确的数字")
    return CellError("value-unreadable", f"{label}：无法把“{shown}”读作数值")


def _is_number(text: str) -> bool:
    try:
        parse_number_text(text.strip())
    except ValueError:
        return False
    return True


def money_from_float(value: float, power: int) -> Decimal:
    """An amount cell holding a number (not percent-formatted), in 万元: the number Excel shows,
    scaled by the power of ten of the header's unit (元 -4, 万元 0, 亿元 4). The common case of
    a roster, which its reader calls without the converter."""
    number = Decimal(f"{value:.15g}")
    return tidy(number.scaleb(power)) if power else number


def _money_converter(spec: FieldSpec, header_power: int) -> Converter:
    def convert(value: Any, percent: bool) -> Any:
        cls = value.__class__
        if cls is float and not percent:
            return money_from_float(value, header_power)
        if cls is float or cls is int:
            if percent:
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：金额单元格被设成了百分比格式（显示为 {value:.4%}），"
                    "请改为数值格式并核对",
                )
            return _scaled(decimal_from_float(value), header_power)
        if cls is str:
            text = normalise_text(value)
            if _FOREIGN_CURRENCY.search(text):
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：“{shown_text(value)}”是外币金额，"
                    "请按人民币折算后填写",
                )
            yuan = _YUAN_SIGN.match(text)
            if yuan is not None and yuan.group(1) in _ACCOUNTING_ZERO:
                return ZERO_AMOUNT
            number, unit = (
                _text_number(spec, yuan.group(1), value) if yuan else _text_number(spec, value)
            )
            if number is None:
                return None
            if unit is None:
                return _scaled(number, header_power)
            if unit in MONEY_UNITS:
                return _scaled(number, MONEY_UNITS[unit])
            raise CellError(
                "value-unreadable",
                f"{spec.relative_label()}：“{shown_text(value)}”的单位不是金额单位",
            )
        raise _unreadable(spec, value, "金额")

    return convert


def _percent_converter(spec: FieldSpec) -> Converter:
    def convert(value: Any, percent: bool) -> Any:
        cls = value.__class__
        if cls is float or cls is int:
            number = decimal_from_float(value)
            return tidy(number.scaleb(2)) if percent else number
        if cls is str:
            number, unit = _text_number(spec, value)
            if number is None:
                return None
            if unit is None or unit == "%":
                return number
            raise CellError(
                "value-unreadable", f"{spec.relative_label()}：“{shown_text(value)}”不是百分数"
            )
        raise _unreadable(spec, value, "百分数")

    return convert


def measure_words(unit: str | None) -> tuple[str, ...]:
    """The measure words a count of the catalogue's ``unit`` may be written in."""
    if unit is None:
        return ()
    return MEASURE_WORDS.get(unit, (unit,))


def _count_converter(spec: FieldSpec, *, integral: bool) -> Converter:
    expected = "整数" if integral else "数值"
    allowed_units = frozenset(measure_words(spec.unit))
    # Levels and ranks are written in words too (三级, 第三名), and a rank of none in the
    # words the field shows for 0.
    in_words = spec.unit in ("级", "名")
    word_units = allowed_units | {""}  # 三级 or 三 alone
    zero_words = {spec.zero_text, *_ZERO_WORDS.get(spec.zero_text, ())} if spec.zero_text else set()

    def finish(number: Decimal, raw: Any) -> Any:
        if not integral:
            return number
        if number != number.to_integral_value():
            raise CellError(
                "value-not-integer",
                f"{spec.relative_label()}：“{shown_text(raw_text(raw))}”应为整数",
            )
        return int(number)

    def convert(value: Any, percent: bool) -> Any:
        cls = value.__class__
        if cls is float or cls is int:
            if percent:
                raise _unreadable(spec, value, expected + "（单元格是百分比格式）")
            if integral and cls is float and value.is_integer():
                return int(value)
            return finish(decimal_from_float(value), value)
        if cls is str:
            text = value.strip()
            if zero_words and text in zero_words:
                return 0
            if spec.unit == "名":
                # A tied rank (并列第三, 第3名（并列）) is that rank.
                rank = text.removeprefix("并列").removesuffix("（并列）").removesuffix("(并列)")
                text = rank.strip() or text
            if in_words and is_boxes(text):
                return convert(_ticked(spec, text), percent)
            if in_words:
                words = NUMERAL.match(normalise_text(text).upper())
                if words is not None and (words.group(2) or "") in word_units:
                    number = NUMERAL_WORDS.get(words.group(1))
                    if number is not None:
                        return number
            if text.startswith("第") and spec.unit == "名":
                text = text[1:]
            number, unit = _text_number(spec, text)
            if number is None:
                return None
            if unit is not None and unit not in allowed_units:
                raise CellError(
                    "value-unreadable", f"{spec.relative_label()}：“{shown_text(value)}”的单位不对"
                )
            return finish(number, value)
        raise _unreadable(spec, value, expected)

    return convert


_FAST_BOOLS = {
    **{word: True for word in ("是", "有", "√", "Y", "y", "TRUE", "True", "true", "1")},
    **{word: False for word in ("否", "无", "×", "N", "n", "FALSE", "False", "false", "0")},
}


def _ticked(spec: FieldSpec, value: str) -> str:
    """The option ticked in a row of boxes; refuses none or two ticked."""
    chosen = ticked(value)
    if len(chosen) > 1:
        raise CellError(
            "value-unreadable",
            f"{spec.relative_label()}：“{shown_text(value)}”勾选了不止一项（{'、'.join(chosen)}），"
            "请只勾选一项",
        )
    if not chosen:
        # Read as nothing, the boxes would vanish without a word: the evaluator sees them.
        raise CellError(
            "value-unreadable",
            f"{spec.relative_label()}：“{shown_text(value)}”没有勾选任何一项：请勾选一项，或留空",
        )
    return chosen[0]


def _bool_converter(spec: FieldSpec) -> Converter:
    def convert(value: Any, percent: bool) -> Any:
        cls = value.__class__
        if cls is bool:
            return value
        if cls is str:
            fast = _FAST_BOOLS.get(value)
            if fast is not None:
                return fast
        if cls is float or cls is int:
            if value == 1:
                return True
            if value == 0:
                return False
            raise _unreadable(spec, value, "是/否")
        if cls is str:
            text = normalise_text(value).lower()
            if text in PLACEHOLDERS:
                return None
            if text in TRUE_WORDS:
                return True
            if text in FALSE_WORDS:
                return False
            if is_boxes(value):
                choice = _ticked(spec, value)
                answer = normalise_text(choice).lower()
                if answer in TRUE_WORDS or answer in FALSE_WORDS:
                    return answer in TRUE_WORDS
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：“{shown_text(value)}”中勾选的“{choice}”不是 是 或 否",
                )
            noted = _ANSWER_NOTE.match(text)
            if noted is not None and noted.group(1) in TRUE_WORDS | FALSE_WORDS:
                if harmless(noted.group(2)):  # 是（证书编号…）: the gate quotes the remark
                    return noted.group(1) in TRUE_WORDS
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：“{shown_text(value)}”带有说明，说明可能改变回答"
                    "（如已过期、申请中），无法确定是或否：请只填 是 或 否，说明写入备注",
                )
            raise CellError(
                "value-unreadable",
                f"{spec.relative_label()}：无法把“{shown_text(value)}”读作是/否"
                "（可填 是、否、有、无、√、×、Y、N）",
            )
        raise _unreadable(spec, value, "是/否")

    return convert


def _date_with_extras(spec: FieldSpec, value: str) -> date | None:
    """A full date followed by its weekday, midnight, or both, read from the cell as written
    (normalised text has lost the space between them): the date, as a date cell exported to
    text writes it (the raw text stays in the value's provenance). None when the text has
    neither, or its date is not a full date. Another time of day is refused rather than
    dropped (an export converted to UTC moves Beijing's midnight to 16:00 the day before), as
    are a time that is no time of day and a weekday the date does not fall on."""
    # Full-width digits, colons and brackets as their ASCII forms, as the date itself reads.
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    timed = TIME_OF_DAY.match(text)
    if timed is not None:
        text = timed.group(1)
    named = WEEKDAY.match(text)
    if named is not None:
        text = named.group(1)
    elif timed is None:
        return None
    parsed = parse_date_text(text.replace(" ", ""))  # normalise_text's form: NFKC done above
    if parsed is None or not parsed[1]:
        return None
    day = parsed[0]
    label = spec.relative_label()
    if named is not None:
        written = next(g for g in named.groups()[1:] if g).replace("天", "日")
        if WEEKDAYS[day.weekday()] != written:
            raise CellError(
                "value-unreadable",
                f"{label}：“{shown_text(value)}”中的星期{written}与 {day.year}年{day.month}月"
                f"{day.day}日（星期{WEEKDAYS[day.weekday()]}）不符，请核对日期",
            )
    if timed is not None:
        hour, minute, second, fraction = timed.group(2, 3, 4, 5)
        if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
            raise CellError(
                "value-unreadable",
                f"{label}：“{shown_text(value)}”中的“{hour}:{minute}”不是一天中的时刻",
            )
        if int(hour) or int(minute) or int(second or 0) or int(fraction or 0):
            raise CellError(
                "value-unreadable",
                f"{label}：“{shown_text(value)}”带有时刻，无法确定是哪一天（导出时若换算了时区，"
                "日期会差一天）；请只填日期",
            )
    return day


def _date_converter(spec: FieldSpec) -> Converter:
    def from_number(value: float) -> date:
        # What Excel keeps of a date typed without a date format: 2019 or 20190301 (read as
        # that text is), 2019.3 (March 2019), or a day count whose format was lost.
        if float(value).is_integer():
            number = int(value)
            if 1900 <= number <= 2100 or 19000101 <= number <= 21001231:
                parsed = parse_date_text(str(number))
                if parsed is not None:
                    return parsed[0]
            elif 1 <= number <= 80000:
                return EXCEL_EPOCH + timedelta(days=number)
        elif 1900 <= value <= 2101:
            text = str(value)
            if text.endswith(".1"):
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：“{text}”可能是 {text[:4]} 年 1 月，也可能是 10 月"
                    "（Excel 把 2019.10 存为 2019.1）；请写成 2019-10 或 2019年10月",
                )
            parsed = parse_date_text(text)
            if parsed is not None:
                return parsed[0]
        raise _unreadable(spec, value, "日期")

    def convert(value: Any, percent: bool) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        cls = value.__class__
        if cls is float or cls is int:
            return from_number(value)
        if cls is str:
            text = normalise_text(value)
            if text.lower() in PLACEHOLDERS:
                return None
            parsed = parse_date_text(text)
            if parsed is None:
                extended = _date_with_extras(spec, value)
                if extended is not None:
                    return extended
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：无法把“{shown_text(value)}”读作日期"
                    "（可写 2019-03-01、2019年3月、2019.3）",
                )
            return parsed[0]
        raise _unreadable(spec, value, "日期")

    return convert


def _option_key(text: str) -> str:
    return normalise_text(text).replace('"', "").replace("“", "").replace("”", "").lower()


def reading_note(spec: FieldSpec, raw: str, value: Any) -> str | None:
    """What a choice written otherwise than as itself was read as, for a note: the box ticked
    in a row of boxes (☑新申报 □复核), the level of the institutions named (省级…中心)."""
    institutions = spec.key == "rd_institution_level" and institution_level(_option_key(raw))
    if not (institutions or is_boxes(raw)):
        return None
    if value is True or value is False:
        shown = "是" if value else "否"
    elif spec.options:
        shown = dict(spec.options).get(value, str(value))
    else:
        shown = f"{value}{spec.unit or ''}"  # a level: 2级
    return f"{spec.relative_label()}：“{shown_text(raw)}”读作“{shown}”"


def _enum_converter(spec: FieldSpec) -> Converter:
    lookup: dict[str, str] = {}
    for code, label in spec.options:
        lookup[_option_key(code)] = code
        lookup[_option_key(label)] = code
    for code, aliases in spec.option_aliases:
        for alias in aliases:
            lookup.setdefault(_option_key(alias), code)
    choices = "、".join(label for _, label in spec.options)
    levels = spec.key == "rd_institution_level"
    exact = {code: code for code, _ in spec.options}
    exact.update({label: code for code, label in spec.options})

    def convert(value: Any, percent: bool) -> Any:
        found = exact.get(value) if value.__class__ is str else None
        if found is not None:
            return found
        if value.__class__ is not str:
            raise CellError(
                "value-unreadable",
                f"{spec.relative_label()}：“{shown_text(raw_text(value))}”不是可选值；可选：{choices}",
            )
        key = _option_key(value)
        if key in PLACEHOLDERS:
            return None
        code = lookup.get(key)
        if code is None and levels:
            code = institution_level(key)
        if code is None and is_boxes(value):
            choice = _ticked(spec, value)
            code = lookup.get(_option_key(choice))
            if code is None:
                raise CellError(
                    "value-unreadable",
                    f"{spec.relative_label()}：“{shown_text(value)}”中勾选的“{choice}”"
                    f"不是可选值；可选：{choices}",
                )
        if code is None:
            raise CellError(
                "value-unreadable",
                f"{spec.relative_label()}：“{shown_text(value)}”不是可选值；可选：{choices}",
            )
        return code

    return convert


def _text_converter(spec: FieldSpec) -> Converter:
    codes = spec.key in ("uscc", "industry_code")

    def convert(value: Any, percent: bool) -> Any:
        if value.__class__ is str:
            if not value.isprintable():
                value = without_zero_width(value)
            if not value.isprintable() and CONTROL_CHARACTERS.search(value):
                # Kept for the gate, which names the cell, removes them and decides severity.
                if codes:
                    value = unicodedata.normalize("NFKC", value)
                return _PLAIN_SPACE_RUNS.sub("" if codes else " ", value).strip(" ")
            if codes:
                # Codes typed with full-width characters or spaces are the same code.
                value = normalise_text(value)
                if spec.key == "uscc":
                    if _SCIENTIFIC.match(value):
                        raise CellError(
                            "uscc-as-number",
                            f"统一社会信用代码“{value}”是 Excel 以科学计数法显示的数字，"
                            "后几位已丢失：请把该单元格设为文本格式后按原代码重新录入",
                        )
                    # The code has capitals only; the gate notes a code written in small ones.
                    value = value.upper()
                    tidied = CODE_DRESSING.sub("", value)
                    if len(tidied) == USCC_LENGTH and len(value) != USCC_LENGTH:
                        # Converters are pure: the gate, which has the raw text, notes it.
                        value = tidied
            text = " ".join(value.split())
            if len(text) <= 4 and normalise_text(text).lower() in PLACEHOLDERS:
                return None
            if spec.key == "name":
                # A form's 企业名称（盖章） carried into its answer.
                text = _SEAL_NOTE.sub("", text)
            return text
        if isinstance(value, float):
            if spec.key == "uscc":
                raise CellError(
                    "uscc-as-number",
                    f"统一社会信用代码被存成了数字（{value:.15g}），后几位可能已丢失：请把该列设为文本格式后重新录入",
                )
            return f"{value:.15g}"
        if isinstance(value, bool | int):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    return convert


def is_placeholder(value: Any) -> bool:
    """Empty or a "nothing" mark such as — or / (unknown, never zero)."""
    if value is None:
        return True
    if isinstance(value, str):
        return normalise_text(value).lower() in PLACEHOLDERS
    return False
