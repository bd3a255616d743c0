"""IP lists (名称 | 类型 | 授权号 | 是否与主导产品相关 | 获得方式 | 是否已实际应用) counted into
ip1_total, ip1_self_developed, ip1_applied and ip2_total by the classification table
resources/ip_classes.yaml, under the definition of Ⅰ类 of the rulebook the caller names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from zjtx.domain.labels import declared_type
from zjtx.intake.headers import clean
from zjtx.intake.sheet_data import SheetData
from zjtx.scoring.catalogue import read_yaml
from zjtx.scoring.errors import DataFileError

IP_CLASSES_FILE = "ip_classes.yaml"
DEFINITIONS = ("2022", "2026")
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_YES = frozenset({"是", "√", "✓", "相关", "y", "yes", "有关", "1", "true"})
_NO = frozenset({"否", "×", "✗", "不相关", "无关", "n", "no", "0", "false"})
_APPLIED = frozenset(
    {"已应用", "已实际应用", "已产生经济效益", "已产生效益", "已应用并产生经济效益", "已实施"}
)
_NOT_APPLIED = frozenset({"未应用", "未实际应用", "尚未应用", "未产生经济效益", "未产生效益", "无"})


@dataclass(frozen=True, slots=True)
class IpDefinitions:
    """The definition of Ⅰ类 an IP list is counted under (``2022``: 63号, transferred-in IP
    held 1 year or more counts; ``2026``: 2号 附件3, no transferred-in IP), for a new and for a
    renewal application, each with the rulebook it follows (None: no rulebook was named, the
    round year's definition)."""

    new: tuple[str, str | None]
    renewal: tuple[str, str | None]
    # The day a transfer must be a year old by (2022's definition): the round's date where the
    # round is known, else (None) 1 January of the round year.
    reference: date | None = None

    def of(self, application_type: object) -> tuple[str, str | None] | None:
        """(definition, rulebook) for that application type; for a type not given, the one
        both types share, else None (the count depends on the type)."""
        declared = declared_type(application_type)
        if declared is not None:
            return self.new if declared == "new" else self.renewal
        return self.new if self.new[0] == self.renewal[0] else None


def year_definitions(year: int) -> IpDefinitions:
    """No rulebook named: the definition in force in the round's calendar year."""
    definition = ("2026" if year >= 2026 else "2022", None)
    return IpDefinitions(definition, definition)


def definition_of(version: str) -> str:
    """The definition of Ⅰ类 of a rulebook version: 2号's from the 2026 rulebooks, else 63号's."""
    head = version.split(".", 1)[0]
    return "2026" if head.isdigit() and int(head) >= 2026 else "2022"


# The definitions of the read under way (read_applicants sets them for the forms it reads).
_DEFINITIONS: ContextVar[IpDefinitions | None] = ContextVar("ip_definitions", default=None)


@contextmanager
def counting_under(definitions: IpDefinitions | None) -> Iterator[None]:
    """IP lists read inside are counted under ``definitions`` (None: the round year's)."""
    token = _DEFINITIONS.set(definitions)
    try:
        yield
    finally:
        _DEFINITIONS.reset(token)


def current_definitions(year: int) -> IpDefinitions:
    """The definitions of the read under way, or the round year's when none were named."""
    return _DEFINITIONS.get() or year_definitions(year)


class IpClassesError(ValueError):
    """resources/ip_classes.yaml is malformed; the message is Chinese and names the entry."""


@dataclass(frozen=True, slots=True)
class IpClasses:
    """Which 类型 is Ⅰ类, Ⅱ类 or not counted, and which 获得方式 is 自主研发 or 转入."""

    source: str
    types: dict[str, tuple[str, str]]  # cleaned name or alias -> (class I/II/none, name)
    self_developed: frozenset[str]
    transferred: frozenset[str]

    def classify(self, text: str) -> tuple[str, str] | None:
        key = _key(text)
        return self.types.get(key) or self.types.get(_key(_BRACKETS.sub("", text)))

    def acquisition(self, text: str) -> str | None:
        """``self``, ``transferred`` or None for a 获得方式 the table does not know."""
        key = _key(text)
        if key in self.self_developed:
            return "self"
        if key in self.transferred or any(word in key for word in ("受让", "继受", "转入")):
            return "transferred"
        return None


def _key(text: str) -> str:
    return clean(unicodedata.normalize("NFKC", str(text)))


def load_ip_classes(path: Path | None = None) -> IpClasses:
    """The classification table, validated; IpClassesError names the file and the entry."""
    if path is None:
        from zjtx.paths import resource_path

        path = resource_path(IP_CLASSES_FILE)
    return _load(Path(path))


@cache
def _load(path: Path) -> IpClasses:
    where = f"知识产权类别表 {path.name}"
    try:
        data = read_yaml(path)
    except DataFileError as exc:  # unreadable, or a YAML error with its line and column
        raise IpClassesError(f"{where}：{exc.detail}") from None
    if not isinstance(data, dict) or set(data) != {"source", "classes", "acquisition"}:
        raise IpClassesError(f"{where}：须有且只有 source、classes、acquisition 三项")
    if not isinstance(data["source"], str) or not data["source"].strip():
        raise IpClassesError(f"{where}：source（依据）不能为空")
    types: dict[str, tuple[str, str]] = {}
    classes = data["classes"]
    if not isinstance(classes, list) or not classes:
        raise IpClassesError(f"{where}：classes 须是非空列表")
    for number, entry in enumerate(classes, start=1):
        if not isinstance(entry, dict) or set(entry) != {"class", "label", "types"}:
            raise IpClassesError(f"{where} 第{number}个类别：须有 class、label、types")
        kind = str(entry["class"])
        if kind not in ("I", "II", "none"):
            raise IpClassesError(f"{where} 第{number}个类别：class 只能是 I、II 或 none")
        for item in entry["types"] or ():
            if (
                not isinstance(item, dict)
                or not item.get("name")
                or set(item) - {"name", "aliases"}
            ):
                raise IpClassesError(f"{where} 类别 {kind}：每个类型须有 name（可有 aliases）")
            for text in [item["name"], *(item.get("aliases") or ())]:
                key = _key(text)
                if key in types and types[key] != (kind, item["name"]):
                    raise IpClassesError(
                        f"{where}：“{text}”同时出现在“{types[key][1]}”和“{item['name']}”中"
                    )
                types[key] = (kind, item["name"])
    acquisition = data["acquisition"]
    if not isinstance(acquisition, dict) or set(acquisition) != {"self_developed", "transferred"}:
        raise IpClassesError(f"{where}：acquisition 须有 self_developed 和 transferred")
    words = {name: frozenset(_key(w) for w in acquisition[name] or ()) for name in acquisition}
    if not all(words.values()) or words["self_developed"] & words["transferred"]:
        raise IpClassesError(f"{where}：获得方式的两个列表须非空且互不重复")
    return IpClasses(data["source"].strip(), types, words["self_developed"], words["transferred"])


@dataclass(slots=True)
class IpTable:
    """An IP list found in a grid: the header row and the column of each part."""

    header_row: int
    columns: dict[str, int]  # name, type, number, related, acquisition, transfer_date, applied
    rows: list[int] = field(default_factory=list)
    # Header cells not read: (column, header text), a second column of a part included.
    ignored: list[tuple[int, str]] = field(default_factory=list)


_IP_WORDS = ("知识产权", "专利", "产权", "成果", "著作权")
_NUMBER_WORDS = ("授权号", "专利号", "登记号", "证书号", "申请号", "公告号", "授权编号", "证书编号")


def _role(text: str) -> str | None:
    """What an IP list header names; only words of IP lists (a roster's 申报类型 is not)."""
    key = _key(_BRACKETS.sub("", text)) or _key(text)
    about_ip = any(word in key for word in _IP_WORDS)
    if key in ("类型", "类别", "种类") or (about_ip and key.endswith(("类型", "类别", "种类"))):
        return "type"
    if ("主导产品" in key and "相关" in key) or key in ("是否相关", "相关性"):
        return "related"
    if key in ("获得方式", "取得方式", "获取方式", "获得途径", "来源", "取得来源"):
        return "acquisition"
    if any(w in key for w in ("受让", "转入", "转让")) and any(w in key for w in ("日期", "时间")):
        return "transfer_date"
    if "经济效益" in key or (
        "应用" in key and not any(w in key for w in ("领域", "范围", "行业", "场景"))
    ):
        return "applied"
    if key in ("序号", "序", "no", "no."):
        return "seq"
    if any(word in key for word in _NUMBER_WORDS):
        return "number"
    if key == "名称" or (about_ip and key.endswith("名称")):
        return "name"
    return None


def find_ip_tables(sheet: SheetData, header_rows: int | None = None) -> list[IpTable]:
    """Every IP list of a grid: a header with a 类型 column and a 名称 or 授权号 column
    (its header within the first ``header_rows`` rows when given)."""
    tables = []
    rows = sheet.rows
    r = 0
    while r < len(rows) and (header_rows is None or r < header_rows or tables):
        if header_rows is not None and tables:
            break
        columns: dict[str, int] = {}
        ignored: list[tuple[int, str]] = []
        for c, value in enumerate(rows[r]):
            text = " ".join(str(value).split()) if value is not None else ""
            role = _role(text) if isinstance(value, str) and text and len(text) <= 30 else None
            if role is not None and role not in columns:
                columns[role] = c
            elif text and role != "seq":
                ignored.append((c, text))
        columns.pop("seq", None)
        if "type" not in columns or not ({"name", "number"} & set(columns)) or len(columns) < 3:
            r += 1
            continue
        table = IpTable(r, columns, ignored=ignored)
        r += 1
        while r < len(rows):
            parts = [ip_cell(rows[r], columns.get(k)) for k in ("name", "type", "number")]
            if not any(parts):
                break
            table.rows.append(r)
            r += 1
        tables.append(table)
    return tables


def ip_cell(row: list[Any], c: int | None) -> str:
    if c is None or c >= len(row):
        return ""
    value = row[c]
    if value is None:
        return ""
    return " ".join(str(value).split())


def transfer_date(value: Any) -> date | None:
    """A 受让日期 cell as a date (date cells, 2024-05-01, 2024年5月1日, 2024/5/1)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    found = re.match(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", text)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def is_applied(text: str) -> bool | None:
    """A 是否已实际应用并产生经济效益 cell: 是/否, 已应用/未应用…; None for anything else."""
    key = _key(text)
    if key in _APPLIED:
        return True
    if key in _NOT_APPLIED:
        return False
    return is_related(text)


def is_related(text: str) -> bool | None:
    key = _key(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None
