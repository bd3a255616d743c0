"""Lossless JSON form of applicant values, provenance and issues, and the hashes over them."""

from __future__ import annotations

import hashlib
import json
from collections import ChainMap
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import orjson

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.issues import Issue, Severity

# Chinese stays readable (and a third smaller than \\u escapes) in JSON columns. One encoder
# for every value: json.dumps with options would build a new one each time.
_standard_text = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# orjson writes the same text (compact, UTF-8, the same escapes) ten times faster: an import
# encodes every row's values, provenance and issues, and every result. Dates and dataclasses
# it would write itself are refused here, as the standard encoder refuses them. Only a float
# below 1e-4 reads differently (1e-05 as 0.00001, the same number; stored values are never
# floats, results' points and scores are not that small), and NaN, which nothing stored can
# be, would be null instead of the standard encoder's invalid NaN.
_FAST_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_text(data: Any) -> str:
    """The JSON text of a column's value (what SQLAlchemy's JSON type stores)."""
    try:
        return orjson.dumps(data, option=_FAST_OPTIONS).decode()
    except orjson.JSONEncodeError:
        # What orjson refuses and the standard encoder writes (integer keys, integers beyond
        # 64 bits, a lone surrogate), or a type neither writes: then its TypeError.
        return _standard_text(data)


class JSONText:
    """A JSON column's value already encoded (by json_text, as the column would encode it):
    a scoring worker encodes its results, and the importing process stores the text as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __getstate__(self) -> str:
        return self.text

    def __setstate__(self, text: str) -> None:
        self.text = text


def encode_value(value: Any) -> Any:
    """JSON form of one typed value; Decimal and date are tagged so they come back typed."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    raise TypeError(f"无法保存类型为 {type(value).__name__} 的字段值")


def decode_value(data: Any) -> Any:
    if isinstance(data, dict):
        if "decimal" in data:
            return Decimal(data["decimal"])
        if "date" in data:
            return date.fromisoformat(data["date"])
        raise ValueError(f"数据库中的字段值格式不对：{data!r}")
    return data


_PLAIN = frozenset((str, int, bool))  # stored as they are (most values of a roster)


def encode_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if value.__class__ in _PLAIN else encode_value(value)
        for key, value in values.items()
        if value is not None
    }


def decode_values(data: dict[str, Any]) -> dict[str, Any]:
    return {key: decode_value(value) for key, value in data.items()}


def encode_provenance(item: Provenance | None) -> dict[str, Any] | None:
    if item is None:
        return None
    data = {"file": item.file, "sheet": item.sheet, "cell": item.cell, "raw": item.raw}
    if item.kind is not None:
        data["kind"] = item.kind
    if item.rule is not None:
        data["rule"] = item.rule
    return data


def decode_provenance(data: dict[str, Any] | None) -> Provenance | None:
    if data is None:
        return None
    return Provenance(
        file=data["file"],
        sheet=data.get("sheet"),
        cell=data.get("cell"),
        raw=data.get("raw"),
        kind=data.get("kind"),
        rule=data.get("rule"),
    )


def encode_provenance_map(provenance: Mapping[str, Provenance]) -> dict[str, Any]:
    """Provenance of every value; cells of one sheet (the usual case) name it only once.

    A ChainMap puts values that came from elsewhere (a province filled from the round's
    region) over the file's own cells: they are kept apart, under ``$added``.
    """
    if isinstance(provenance, ChainMap) and len(provenance.maps) > 1:
        added = {
            key: encode_provenance(provenance[key])
            for layer in provenance.maps[:-1]
            for key in layer
        }
        return {**encode_provenance_map(provenance.maps[-1]), "$added": added}
    cell_texts = getattr(provenance, "cell_texts", None)
    if cell_texts is not None and len(provenance):  # a roster row: one file and sheet
        return {
            "$file": provenance.file,  # type: ignore[attr-defined]
            "$sheet": provenance.sheet,  # type: ignore[attr-defined]
            "$cells": cell_texts(),  # (cell, raw) pairs: JSON arrays as stored
        }
    files = {(item.file, item.sheet) for item in provenance.values()}
    if len(files) == 1:
        file, sheet = next(iter(files))
        return {
            "$file": file,
            "$sheet": sheet,
            "$cells": {key: _cell_entry(item) for key, item in provenance.items()},
        }
    return {key: encode_provenance(item) for key, item in provenance.items()}


def _cell_entry(item: Provenance) -> tuple[Any, ...]:
    """(cell, raw) of a value, with the rule of its year third when there is one (a JSON
    array once stored)."""
    if item.rule is None:
        return (item.cell, item.raw)
    return (item.cell, item.raw, item.rule)


def decode_provenance_map(data: dict[str, Any]) -> dict[str, Provenance]:
    added = data.get("$added")
    if added is not None:
        own = decode_provenance_map({k: v for k, v in data.items() if k != "$added"})
        return {**own, **{key: decode_provenance(item) for key, item in added.items()}}  # type: ignore[dict-item]
    if "$cells" in data:
        file, sheet = data["$file"], data["$sheet"]
        # Rows stored before the rule was kept have [cell, raw] only.
        return {
            key: Provenance(
                file, sheet, entry[0], entry[1], rule=entry[2] if len(entry) > 2 else None
            )
            for key, entry in data["$cells"].items()
        }
    return {key: decode_provenance(item) for key, item in data.items()}  # type: ignore[misc]


def applicant_from_stored(
    values: dict[str, Any], provenance: dict[str, Any], source: dict[str, Any] | None
) -> Applicant:
    """Rebuild the domain Applicant of one stored version."""
    return Applicant(
        values=decode_values(values),
        provenance=decode_provenance_map(provenance),
        source=decode_provenance(source),
    )


def issue_from_dict(data: dict[str, Any]) -> Issue:
    return Issue(
        code=data["code"],
        severity=Severity(data["severity"]),
        message=data["message"],
        file=data.get("file") or "",
        sheet=data.get("sheet"),
        cell=data.get("cell"),
        row=data.get("row"),
        field=data.get("field"),
        uscc=data.get("uscc"),
    )


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
# As json_text: dates and dataclasses are refused, as the standard encoder refuses them.
_SORTED = orjson.OPT_SORT_KEYS | _FAST_OPTIONS


def canonical_json(data: Any) -> str:
    """Compact JSON with sorted keys: the standard encoder's text, which stored hashes were
    taken of. orjson writes the same text for what is hashed (strings, integers, booleans,
    None, lists and string-keyed objects: no floats) at a fraction of the cost, an import
    hashing every row's values; what it refuses (an integer beyond 64 bits) takes the standard
    encoder."""
    try:
        return orjson.dumps(data, option=_SORTED).decode()
    except orjson.JSONEncodeError:
        return _CANONICAL.encode(data)


def digest(data: Any) -> str:
    """SHA-256 of the canonical JSON of ``data``."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def file_sha256(path: Any) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()
