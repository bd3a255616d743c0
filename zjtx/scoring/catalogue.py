"""Load and validate the field catalogue (resources/fields.yaml) into FieldSpec entries."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.paths import resource_path
from zjtx.scoring.errors import DataFileError, did_you_mean

_ENTRY_KEYS = {
    "key", "label", "group", "type", "unit", "years", "period", "aliases", "options",
    "option_aliases", "none_means_zero", "zero_text", "min", "max", "max_length", "required", "help",
}  # fmt: skip
_NUMERIC = (FieldType.INT, FieldType.DECIMAL, FieldType.MONEY, FieldType.PERCENT)


def _check_limits(entry: dict[str, Any], ftype: FieldType, file: str, key: str) -> None:
    """min/max only on numeric fields, whole numbers, min <= max; max_length only on text
    fields, a positive whole number (the import gate relies on them)."""
    for name in ("min", "max", "max_length"):
        bound = entry.get(name)
        if bound is None:
            continue
        if isinstance(bound, bool) or not isinstance(bound, int):
            raise DataFileError(file, f"{name} 必须是整数，而不是 “{bound}”", rule=key)
        if name == "max_length":
            if ftype != FieldType.TEXT:
                raise DataFileError(file, "只有文本字段可以有 max_length", rule=key)
            if bound < 1:
                raise DataFileError(file, f"max_length 必须是正整数，而不是 {bound}", rule=key)
        elif ftype not in _NUMERIC:
            raise DataFileError(file, f"只有数值字段可以有 {name}", rule=key)
    if "zero_text" in entry:
        zero_text = entry["zero_text"]
        if ftype not in _NUMERIC:
            raise DataFileError(file, "只有数值字段可以有 zero_text", rule=key)
        if not isinstance(zero_text, str) or not zero_text.strip():
            raise DataFileError(file, "zero_text 必须是非空文字，例如 未获奖", rule=key)
    low, high = entry.get("min"), entry.get("max")
    if low is not None and high is not None and low > high:
        raise DataFileError(file, f"min（{low}）大于 max（{high}）", rule=key)


# libyaml's parser when PyYAML has it (its wheels do): the same documents, ten times faster,
# which is most of what loading the catalogue and a round's rulebooks costs a fresh process.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_error_text(exc: yaml.YAMLError, text: str) -> str:
    """A YAML syntax error as users read it: where (line and column, and where what is
    unfinished began) and what the parser found, without the parser's own account of its
    input. ``text``, the file's text, places a character the reader refused."""
    if isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        if _SAFE_LOADER is not yaml.SafeLoader:  # libyaml counts the bytes of its UTF-8
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return (
            f"YAML 语法错误（第 {line} 行第 {column} 列）："
            f"不允许的字符 U+{exc.character:04X}（{exc.reason}）"
        )
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or not problem:
        return f"YAML 语法错误：{exc}"
    context, began = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    detail = f"{problem}（{context}）" if context else problem
    if began is not None and began.line != mark.line:
        detail += f"；始于第 {began.line + 1} 行第 {began.column + 1} 列"
    return f"YAML 语法错误（第 {mark.line + 1} 行第 {mark.column + 1} 列）：{detail}"


def read_yaml(path: Path) -> Any:
    """Parse a YAML data file safely (no tags, no code), naming the file on syntax errors."""
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise DataFileError(path.name, _yaml_error_text(exc, text)) from exc
    except OSError as exc:
        raise DataFileError(str(path), f"无法读取：{exc.strerror}") from exc


def parse_field_entries(
    entries: Any, file: str, groups: dict[str, str], overlay: str | None = None
) -> list[FieldSpec]:
    """Turn catalogue entries (a list of mappings) into FieldSpecs, expanding year series."""
    if not isinstance(entries, list):
        raise DataFileError(file, "fields 必须是列表")
    specs: list[FieldSpec] = []
    for index, entry in enumerate(entries, start=1):
        where = f"第 {index} 项"
        if not isinstance(entry, dict):
            raise DataFileError(file, f"{where} 必须是映射", rule=where)
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise DataFileError(file, f"{where} 缺少 key", rule=where)
        for name in entry:
            if name not in _ENTRY_KEYS:
                raise DataFileError(
                    file, f"未知属性 “{name}”", rule=key, suggestion=did_you_mean(name, _ENTRY_KEYS)
                )
        for required in ("label", "group", "type"):
            if not entry.get(required):
                raise DataFileError(file, f"缺少必填属性 “{required}”", rule=key)
        try:
            ftype = FieldType(entry["type"])
        except ValueError:
            raise DataFileError(
                file,
                f"未知类型 “{entry['type']}”",
                rule=key,
                suggestion=did_you_mean(str(entry["type"]), [t.value for t in FieldType]),
            ) from None
        _check_limits(entry, ftype, file, key)
        group = entry["group"]
        if groups and group not in groups:
            raise DataFileError(
                file, f"未知分组 “{group}”", rule=key, suggestion=did_you_mean(group, groups)
            )
        options = entry.get("options") or {}
        if ftype == FieldType.ENUM and not options:
            raise DataFileError(file, "枚举字段必须列出 options", rule=key)
        if options and ftype != FieldType.ENUM:
            raise DataFileError(file, "只有枚举字段可以有 options", rule=key)
        option_aliases = entry.get("option_aliases") or {}
        for code in option_aliases:
            if code not in options:
                raise DataFileError(
                    file,
                    f"option_aliases 中的 “{code}” 不是该字段的选项",
                    rule=key,
                    suggestion=did_you_mean(str(code), [str(o) for o in options]),
                )
        years = entry.get("years")
        period = entry.get("period")
        if years is not None:
            if not isinstance(years, list) or not years or any(y not in (1, 2, 3) for y in years):
                raise DataFileError(file, "years 只能是 1、2、3 组成的列表", rule=key)
            if period not in ("year", "end"):
                raise DataFileError(file, "按年字段必须写 period: year 或 end", rule=key)
        common = {
            "label": str(entry["label"]),
            "group": group,
            "type": ftype,
            "unit": entry.get("unit"),
            "base": key,
            "period": period,
            "aliases": tuple(str(a) for a in entry.get("aliases") or ()),
            "options": tuple((str(code), str(label)) for code, label in options.items()),
            "option_aliases": tuple(
                (str(code), tuple(str(a) for a in aliases))
                for code, aliases in option_aliases.items()
            ),
            "none_means_zero": bool(entry.get("none_means_zero", False)),
            "zero_text": entry.get("zero_text"),
            "minimum": entry.get("min"),
            "maximum": entry.get("max"),
            "max_length": entry.get("max_length"),
            "required": bool(entry.get("required", False)),
            "help": str(entry.get("help") or ""),
            "overlay": overlay,
        }
        if years is None:
            specs.append(FieldSpec(key=key, **common))
        else:
            specs.extend(FieldSpec(key=f"{key}_y{year}", year=year, **common) for year in years)
    seen: set[str] = set()
    for spec in specs:
        if spec.key in seen:
            raise DataFileError(file, "字段键重复", rule=spec.key)
        seen.add(spec.key)
    return specs


def load_catalogue_file(path: Path) -> FieldCatalogue:
    """Load and validate one catalogue file."""
    data = read_yaml(path)
    if not isinstance(data, dict) or "fields" not in data:
        raise DataFileError(path.name, "字段目录必须包含 fields 列表")
    groups = {str(k): str(v) for k, v in (data.get("groups") or {}).items()}
    specs = parse_field_entries(data["fields"], path.name, groups)
    return FieldCatalogue(fields={s.key: s for s in specs}, groups=groups, source=path.name)


@cache
def load_catalogue() -> FieldCatalogue:
    """The bundled national field catalogue (cached; FieldCatalogue is immutable)."""
    return load_catalogue_file(resource_path("fields.yaml"))


def text_fingerprint(catalogue: FieldCatalogue) -> bytes:
    """What of the catalogue an explanation reads (keys, labels, units, types, years, option
    labels, zero texts), as bytes a rulebook's hash covers: an update that rewords a field
    then marks evaluations stored under the old wording as older, as a rulebook edit does.
    Aliases, limits and help, which only intake reads, are left out."""
    rows = [
        [f.key, f.label, f.unit, str(f.type), f.year, f.period, f.options, f.zero_text]
        for f in catalogue
    ]
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")
