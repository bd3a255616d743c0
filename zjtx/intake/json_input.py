"""Read applicants from the JSON input of `zjtx score`: an array of objects keyed by fields.md."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.intake.answer_notes import ending_in_year, expired_message, expired_note, yes_remark
from zjtx.intake.values import TRUE_WORDS, check_magnitude, json_integer
from zjtx.scoring.errors import did_you_mean

# 256 MB is about 300,000 applicants with every field filled, beyond any round. A list of
# them (read_json_applicants) holds a few times that; streamed (iter_json_applicants), an
# array needs a window of the file, and one object the whole of it.
MAX_JSON_BYTES = 256 << 20
_SHOWN_CHARS = 40


class NonFiniteNumber:
    """A NaN or Infinity literal (not standard JSON): kept to be reported with its field."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def __repr__(self) -> str:
        return self.literal


class _DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key appeared more than once."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    marked = _DuplicateKeys(data)
    seen: set[str] = set()
    marked.duplicates = []
    for key, _ in pairs:
        if key in seen:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def shown_value(raw: Any) -> str:
    """A received value for a message: short, and never a whole nested structure."""
    if isinstance(raw, dict):
        return "对象 {…}"
    if isinstance(raw, list):
        return "数组 […]"
    if isinstance(raw, NonFiniteNumber):
        return raw.literal
    if isinstance(raw, str):
        if len(raw) > _SHOWN_CHARS:
            return f"“{raw[:_SHOWN_CHARS]}…”（共 {len(raw):,} 个字符）"
        return f"“{raw}”"
    text = shown_value(raw)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


class InputError(ValueError):
    """Invalid applicant input, naming the file, the record and the field."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        record: int | None = None,
        key: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.file = file
        self.record = record
        self.key = key
        self.suggestion = suggestion
        where = file
        if record is not None:
            where += f" 第 {record} 条记录"
        if key:
            where += f" 字段 “{key}”"
        text = f"{where}：{message}"
        if suggestion:
            text += f"（您是不是要写 “{suggestion}”？）"
        super().__init__(text)


def coerce_json_value(spec: FieldSpec, raw: Any, year: int | None = None) -> Any:
    """Typed value of one JSON value for a field; raises ValueError with a Chinese message.

    JSON numbers arrive as int or Decimal (the file is parsed with ``parse_float=Decimal``), so
    no binary float ever touches an amount. A yes or no is true or false only; ``year``, the
    round's, lets the refusal of 是（有效期至2022年12月） say what a form's reading says of it.
    """
    if raw is None:
        return None
    if isinstance(raw, NonFiniteNumber):
        raise ValueError(
            f"应为有限数值，收到 {raw.literal}（JSON 不允许 NaN、Infinity；未知请写 null）"
        )
    ftype = spec.type
    if ftype == FieldType.BOOL:
        if isinstance(raw, bool):
            return raw
        raise ValueError(_not_a_bool(spec, raw, year))
    if ftype in (FieldType.MONEY, FieldType.DECIMAL, FieldType.PERCENT):
        if isinstance(raw, bool):
            raise ValueError(f"应为数值，收到 {shown_value(raw)}")
        if isinstance(raw, int | Decimal):
            check_magnitude(spec, raw)
            return Decimal(raw)
        if isinstance(raw, str):
            try:
                value = Decimal(raw.strip())
            except InvalidOperation:
                raise ValueError(f"应为数值，收到 {shown_value(raw)}") from None
            if not value.is_finite():
                raise ValueError(f"应为有限数值，收到 {shown_value(raw)}")
            check_magnitude(spec, value)
            return value
        raise ValueError(f"应为数值，收到 {shown_value(raw)}")
    if ftype == FieldType.INT:
        if isinstance(raw, bool):
            raise ValueError(f"应为整数，收到 {shown_value(raw)}")
        if isinstance(raw, int | Decimal):
            check_magnitude(spec, raw)  # before int() of 1e1000000 (33 s)
        if isinstance(raw, int):
            return raw
        if isinstance(raw, Decimal) and raw == raw.to_integral_value():
            return int(raw)
        if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
            check_magnitude(spec, Decimal(raw.strip()))
            return int(raw.strip())
        raise ValueError(f"应为整数，收到 {shown_value(raw)}")
    if ftype == FieldType.DATE:
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw.strip())
            except ValueError:
                pass
        raise ValueError(f"应为 YYYY-MM-DD 格式的日期，收到 {shown_value(raw)}")
    if ftype == FieldType.ENUM:
        if isinstance(raw, str):
            text = raw.strip()
            codes = spec.option_labels
            if text in codes:
                return text
            for code, label in spec.options:
                if text == label:
                    return code
            for code, aliases in spec.option_aliases:
                if text in aliases:
                    return code
            hint = did_you_mean(text[:100], list(codes) + list(codes.values()))
            choices = "、".join(f"{c}（{lbl}）" for c, lbl in spec.options)
            message = f"{shown_value(text)}不是可选值；可选：{choices}"
            if hint:
                message += f"（您是不是要写 “{hint}”？）"
            raise ValueError(message)
        raise ValueError(f"应为文本选项，收到 {shown_value(raw)}")
    # text
    if isinstance(raw, str):
        return raw.strip()
    raise ValueError(f"应为文本，收到 {shown_value(raw)}")


def _not_a_bool(spec: FieldSpec, raw: Any, year: int | None) -> str:
    """Why a yes or no is refused: not true or false; a 是 whose remark dates the title's end
    before the round (or within its year) says so, in the words of a form's reading."""
    note = yes_remark(raw, TRUE_WORDS) if isinstance(raw, str) and year is not None else None
    if note is not None and year is not None:
        why = expired_note(spec.key, note, year)
        if why is not None:
            return expired_message(raw, why, "只填 true 或 false")
        end = ending_in_year(spec.key, note, year)
        if end is not None:
            return (
                f"应为 true 或 false，收到 {shown_value(raw)}；说明中{end}，证书在本批次年度"
                f"（{year}年）内到期：请核对批次日期时证书是否仍在有效期内，如已到期，应填 false"
            )
    return f"应为 true 或 false，收到 {shown_value(raw)}"


def applicant_from_mapping(
    data: Any, catalogue: FieldCatalogue, *, file: str, record: int, year: int | None = None
) -> Applicant:
    """One applicant from a JSON object; unknown keys and wrong types raise InputError (``year``,
    the round's, as coerce_json_value takes it)."""
    if not isinstance(data, dict):
        raise InputError(file, "每条记录必须是 JSON 对象", record=record)
    if isinstance(data, _DuplicateKeys):
        raise InputError(
            file, "字段重复出现，无法确定以哪个值为准", record=record, key=data.duplicates[0]
        )
    values: dict[str, Any] = {}
    provenance: dict[str, Provenance] = {}
    for key, raw in data.items():
        spec = catalogue.get(key)
        if spec is None:
            raise InputError(
                file,
                "未知字段",
                record=record,
                key=key if len(key) <= _SHOWN_CHARS else key[:_SHOWN_CHARS] + "…",
                suggestion=did_you_mean(key[:100], catalogue.keys()),
            )
        try:
            value = coerce_json_value(spec, raw, year)
        except ValueError as exc:
            raise InputError(
                file, f"{spec.relative_label()} {exc}", record=record, key=key
            ) from None
        if value is not None:
            values[key] = value
            provenance[key] = Provenance(file=file, sheet=None, cell=f"[{record}].{key}")
    return Applicant(
        values=values, provenance=provenance, source=Provenance(file=file, cell=f"[{record}]")
    )


def read_json_applicants(
    path: Path, catalogue: FieldCatalogue, year: int | None = None
) -> list[Applicant]:
    """All applicants of one JSON input file (an array, or one object) for a round of ``year``."""
    return list(iter_json_applicants(path, catalogue, year))


def iter_json_applicants(
    path: Path, catalogue: FieldCatalogue, year: int | None = None
) -> Iterator[Applicant]:
    """The applicants of one JSON input file, read and checked one at a time.

    An array is decoded element by element from a window of the file, so memory stays flat
    in the number of applicants; anything else (one object) is read whole. The errors are those
    of decoding the whole file first, with the same lines and columns: a broken document or a
    file that is not UTF-8 is reported before a record's own error, even one further on.
    """
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputError(
                name,
                f"文件过大（{size / 1e6:,.0f} MB，上限 {MAX_JSON_BYTES >> 20} MB），"
                "超出了申报数据可能的大小，未读取",
            )
        handle = path.open(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "文件不存在") from None
    except OSError as exc:
        raise InputError(str(path), f"无法读取：{exc.strerror}") from None
    with handle:
        window = _Window(handle, path)
        if not window.starts_array():
            yield from _whole_document(window, catalogue, year)
            return
        items = window.elements()
        for record, item in enumerate(items, start=1):
            try:
                applicant = applicant_from_mapping(
                    item, catalogue, file=name, record=record, year=year
                )
            except InputError:
                for _rest in items:  # the document's own errors come first, as when read whole
                    pass
                raise
            yield applicant


def _whole_document(
    window: _Window, catalogue: FieldCatalogue, year: int | None
) -> Iterator[Applicant]:
    name = window.name
    data = window.decode(_DECODER.decode, window.read_all())
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(name, "JSON 顶层必须是申报企业对象的数组")
    for index, item in enumerate(data, start=1):
        yield applicant_from_mapping(item, catalogue, file=name, record=index, year=year)


_DECODER = json.JSONDecoder(
    parse_float=Decimal,
    parse_int=json_integer,
    parse_constant=NonFiniteNumber,
    object_pairs_hook=_json_object,
)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_CHUNK = 1 << 20


class _Window:
    """The unread part of a JSON file in memory, decoded element by element.

    An element is decoded only from text that holds all of it: when decoding stops at the end
    of the window (or fails anywhere before the end of the file), more is read and the element
    is decoded again, so what is decoded, and every error, is what decoding the whole text
    gives. Errors carry the line and column in the whole file.
    """

    def __init__(self, handle: TextIO, path: Path) -> None:
        self.handle = handle
        self.path = path
        self.name = path.name
        self.text = ""
        self.pos = 0  # the next unread character of ``text``
        self.eof = False
        self.lines = 0  # lines of the file before ``text``
        self.column = 0  # characters of the current line before ``text``

    def _fill(self, wanted: int = _CHUNK) -> bool:
        """Read at least ``wanted`` more characters (fewer at the end); False at the end."""
        if self.eof:
            return False
        if self.pos > _CHUNK:
            self._drop()
        try:
            chunk = self.handle.read(max(wanted, _CHUNK))
        except UnicodeDecodeError:
            raise InputError(self.name, "不是 UTF-8 编码的 JSON 文件") from None
        except OSError as exc:
            raise InputError(str(self.path), f"无法读取：{exc.strerror}") from None
        if not chunk:
            self.eof = True
            return False
        self.text += chunk
        return True

    def _drop(self) -> None:
        done, pos = self.text, self.pos
        newlines = done.count("\n", 0, pos)
        if newlines:
            self.lines += newlines
            self.column = pos - done.rindex("\n", 0, pos) - 1
        else:
            self.column += pos
        self.text, self.pos = done[pos:], 0

    def _skip_whitespace(self) -> str:
        """Move past whitespace; the next character, or "" at the end of the file."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text) or not self._fill():
                return self.text[self.pos : self.pos + 1]

    def error(self, message: str, pos: int) -> InputError:
        text = self.text
        line = self.lines + text.count("\n", 0, pos) + 1
        newline = text.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self.column + pos + 1
        return InputError(self.name, f"不是有效的 JSON（第 {line} 行第 {column} 列：{message}）")

    def decode(self, decode: Callable[..., Any], *args: Any) -> Any:
        """What ``decode(*args)`` returns; its failures as the InputError naming where."""
        try:
            return decode(*args)
        except json.JSONDecodeError as exc:
            raise self.error(exc.msg, exc.pos) from None
        except RecursionError:
            raise InputError(
                self.name,
                "JSON 嵌套层数过深，不是申报数据的格式（应为企业对象的数组，每个字段一个值）",
            ) from None
        except ValueError as exc:  # a literal Python cannot convert; never a traceback
            raise InputError(self.name, f"不是有效的申报数据（{exc}）") from None

    def read_all(self) -> str:
        """The rest of the file (what went before it was whitespace only)."""
        self.read_rest()
        return self.text

    def starts_array(self) -> bool:
        return self._skip_whitespace() == "["

    def _element(self) -> Any:
        """The element at ``pos``, decoded from text that holds all of it."""
        while True:
            try:
                item, end = _DECODER.raw_decode(self.text, self.pos)
            except (ValueError, RecursionError):
                if self._fill(len(self.text)):
                    continue
                # The whole rest of the file is here: its error is that of the whole text.
                item, self.pos = self.decode(_DECODER.raw_decode, self.text, self.pos)
                return item
            # A number or literal ending the window may go on in the next chunk.
            if end < len(self.text) or not self._fill(len(self.text)):
                self.pos = end
                return item

    def elements(self) -> Iterator[Any]:
        """The elements of the array whose "[" is at ``pos``, then the end of the document
        checked (as json.JSONDecoder.decode does)."""
        self.pos += 1
        if self._skip_whitespace() == "]":
            self.pos += 1
        else:
            while True:
                yield self._element()
                following = self._skip_whitespace()
                self.pos += 1
                if following == "]":
                    break
                if following != ",":
                    self.read_rest()
                    raise self.error("Expecting ',' delimiter", self.pos - 1)
                self._skip_whitespace()
        if self._skip_whitespace():
            self.read_rest()
            raise self.error("Extra data", self.pos)

    def read_rest(self) -> None:
        """Read to the end: a file that is not UTF-8 further on is reported as such first."""
        while self._fill(_CHUNK << 4):
            pass
