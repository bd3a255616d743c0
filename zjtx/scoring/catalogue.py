"""Load and validate the field catalogue (resources/fields.yaml) into FieldSpec entries."""

from __future__ import annotations

import json
import re
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
    "part_of",
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


class _StrictLoader(_SAFE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader refusing a key written twice in one mapping (PyYAML keeps the last:
    a figure added on a new line with the old one left in place would silently win)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                # A key indented with full-width spaces (typed in a Chinese input method)
                # parses as a key whose name starts with them.
                if key_node.value.startswith("\u3000"):
                    raise yaml.constructor.ConstructorError(
                        None, None, _HINTS["\u3000"].format(line=key_node.start_mark.line + 1),
                        key_node.start_mark,
                    )  # fmt: skip
                key = (key_node.tag, key_node.value)  # 1 and '1' are two keys
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"“{key_node.value}”重复出现（第 {seen[key]} 行已有）",
                        key_node.start_mark,
                    )  # fmt: skip
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        # The text itself: the C parser's marks carry positions in it, not the text.
        self.text = stream if isinstance(stream, str) else None

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if self.text and getattr(node, "style", None) == ">" and isinstance(value, str):
            raw = self.text[node.start_mark.index : node.end_mark.index]
            return _folded_without_cjk_spaces(raw, value)
        return value


# A character of Chinese text (CJK ideographs, their punctuation, full-width forms): a line of a
# folded block broken between two of them is one word, not two.
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]")


def _folded_without_cjk_spaces(raw: str, value: str) -> str:
    """A folded block (``>-``) as YAML folds it, but with no space where a line broke between
    two Chinese characters (``近三年未发生重大\n安全`` is 重大安全, not 重大 安全). Worked out
    from the block's own lines; where they fold otherwise than plainly (blank or
    more-indented lines), the value is kept as YAML gives it."""
    lines = [line.strip() for line in raw.split("\n")[1:] if line.strip()]
    if not lines or " ".join(lines) != value.rstrip("\n"):
        return value
    text = lines[0]
    for line in lines[1:]:
        joined = _CJK.match(text[-1]) and _CJK.match(line[0])
        text += line if joined else " " + line
    return text + value[len(value.rstrip("\n")) :]


# What a mistyped character is, by the character (full-width space, tab, full-width colon).
_HINTS = {
    "\u3000": "第 {line} 行有全角空格：请改用半角空格缩进",
    "\t": "第 {line} 行有制表符（Tab）：请改用空格缩进",
    "：": "第 {line} 行有全角冒号“：”：键与值之间请用半角冒号加空格“: ”",
}
_KEY_WITH_FULL_COLON = re.compile(r"^\s*-?\s*[\w-]+\s*：")
# PyYAML's accounts of the usual mistakes, in Chinese; any other is kept as it says it.
_PROBLEMS = {
    "found a tab character that violates indentation": "缩进中有制表符",
    "could not find expected ':'": "找不到应有的冒号“:”",
    "mapping values are not allowed in this context": "此处不能出现“键: 值”（冒号后要有空格，缩进要对齐）",
    "mapping values are not allowed here": "此处不能出现“键: 值”（冒号后要有空格，缩进要对齐）",
    "did not find expected key": "缩进没有对齐，找不到应有的键",
    "did not find expected '-' indicator": "缩进没有对齐，找不到应有的列表项“-”",
    "found unexpected end of stream": "文件在引号或括号闭合之前结束",
    "found character that cannot start any token": "出现了不能作为值开头的字符（如 @、`、%），请给值加上引号",
    "found undefined alias": "出现了未定义的别名“*”，请给值加上引号",
    "did not find expected ',' or ']'": "方括号 [ ] 没有闭合，或缺少逗号",
    "did not find expected ',' or '}'": "花括号 { } 没有闭合，或缺少逗号",
    "expected <document start>, but found '<block mapping start>'": "缩进没有对齐",
}
_CONTEXTS = {
    "while scanning a plain scalar": "读取值时",
    "while scanning a simple key": "读取键时",
    "while parsing a block mapping": "读取映射时",
    "while parsing a block collection": "读取列表时",
    "while parsing a flow sequence": "读取 [ ] 列表时",
    "while parsing a flow mapping": "读取 { } 映射时",
    "while scanning a quoted scalar": "读取带引号的值时",
    "while scanning for the next token": "",
}


def _hints(text: str, first: int, last: int) -> list[str]:
    """What a non-programmer mistypes, on the lines the parser names (0-based, inclusive)."""
    lines = text.split("\n")
    found: list[str] = []
    for number in range(max(first, 0), min(last, len(lines) - 1) + 1):
        line = lines[number]
        indent = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        for char, hint in _HINTS.items():
            colon = char == "：" and _KEY_WITH_FULL_COLON.match(line) is not None
            if colon or (char != "：" and char in indent):
                found.append(hint.format(line=number + 1))
    return found


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
    context = _CONTEXTS.get(context, context) if context else None
    detail = _PROBLEMS.get(problem, problem)
    detail = f"{detail}（{context}）" if context else detail
    if began is not None and began.line != mark.line:
        detail += f"；始于第 {began.line + 1} 行第 {began.column + 1} 列"
    first = began.line if began is not None else mark.line
    # The mistyped character is often a line or two above where the parser stopped.
    hints = _hints(text, min(first, mark.line - 2), mark.line)
    if hints:
        detail += "。" + "；".join(dict.fromkeys(hints))
    return f"YAML 语法错误（第 {mark.line + 1} 行第 {mark.column + 1} 列）：{detail}"


def read_yaml(path: Path) -> Any:
    """Parse a YAML data file safely (no tags, no code), naming the file on syntax errors, a
    key written twice in one mapping, and an indent of full-width spaces."""
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_StrictLoader)
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
            "part_of": entry.get("part_of"),
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
    by_key = {spec.key: spec for spec in specs}
    for spec in specs:
        whole = by_key.get(spec.part_of) if spec.part_of is not None else None
        if spec.part_of is not None and (
            whole is None or whole.type != spec.type or not spec.is_numeric
        ):
            raise DataFileError(
                file,
                f"part_of “{spec.part_of}” 须是本目录中与本字段同类型的数值字段",
                rule=spec.key,
                suggestion=did_you_mean(str(spec.part_of), by_key),
            )
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
        [f.key, f.label, f.unit, str(f.type), f.year, f.period, f.options, f.zero_text, f.part_of]
        for f in catalogue
    ]
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")
