"""Loading rulebook and overlay files: parsing, full validation and overlay merging."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from zjtx.paths import resource_path
from zjtx.scoring.catalogue import (
    load_catalogue,
    parse_field_entries,
    read_yaml,
    text_fingerprint,
)
from zjtx.scoring.conditions import Cond
from zjtx.scoring.context import QuantityDef, QuantityTable, parse_quantity_defs
from zjtx.scoring.correspondence import check_correspondences
from zjtx.scoring.criterion_parsing import (
    _check_grade,
    _check_references,
    _parse_criteria,
    is_text,
)
from zjtx.scoring.definitions import (
    APPLICATION_TYPES,
    TIERS,
    Applicability,
    CriterionDef,
    Group,
    Overlay,
    Rulebook,
    Setting,
    list_overlay_ids,
    list_rulebook_ids,
    overlay_source,
    rulebook_source,
)
from zjtx.scoring.errors import DataFileError, UnknownNameError, did_you_mean, raise_collected
from zjtx.scoring.parser import Parser, check_keys, shape_of
from zjtx.scoring.quantities import ZERO
from zjtx.scoring.score_conditions import ScoreAtLeast

T = TypeVar("T")

# The keys each mapping of a rulebook or overlay file may have (did-you-mean candidates too).
TOP_KEYS = frozenset({
    "id", "tier", "title", "version", "instrument", "applies", "settings", "derived", "groups",
    "pass_line", "criteria", "verdict", "notes", "wording",
})  # fmt: skip
TOP_REQUIRED = (
    "id", "tier", "title", "version", "instrument", "applies", "groups", "criteria", "verdict",
)  # fmt: skip
OVERLAY_KEYS = frozenset({
    "id", "extends", "title", "province", "version", "applies", "source", "grade", "fields",
    "set", "replace", "add", "verdict_add", "notes", "unverified",
})  # fmt: skip
OVERLAY_REQUIRED = ("id", "extends", "title", "province", "applies", "source", "grade")
OVERLAY_SET_KEYS = frozenset({"pass_line"})
GROUP_KEYS = frozenset({"id", "title", "minimum"})
SETTING_KEYS = frozenset({"label", "default", "grade"})
APPLIES_KEYS = frozenset({"from", "until", "application_types", "note"})
INSTRUMENT_KEYS = frozenset(
    {"title", "number", "annex", "issued", "effective", "note", "grade", "link"}
)


# The wording the code gives requirements and explanations (how a case or a band is said).
# Raise it with a change of that wording: a rulebook's hash covers it, so evaluations stored
# under the old wording read as older and 重新评价 renews them, as after a rulebook edit.
WORDING = b"wording 2"


def _digest(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(len(chunk).to_bytes(8, "big"))
        h.update(chunk)
    return h.hexdigest()


@cache
def _shared_derived() -> tuple[dict[str, QuantityDef], bytes]:
    path = resource_path("derived.yaml")
    data = read_yaml(path)
    catalogue = load_catalogue()
    table = QuantityTable(catalogue, {})
    defs = parse_quantity_defs(
        data.get("quantities") or {}, path.name, table.defs.__contains__, table.names
    )
    shared = path.read_bytes() + resource_path("size_standard_2011.yaml").read_bytes()
    return defs, shared + text_fingerprint(catalogue) + WORDING


class _FileCheck:
    """The problems of one data file, collected so that a check lists every one of them."""

    def __init__(self, file: str, problems: list[DataFileError] | None = None) -> None:
        self.file = file
        self.problems: list[DataFileError] = problems if problems is not None else []

    def add(self, message: str, *, rule: str | None, path: str = "", suggestion=None) -> None:
        self.problems.append(
            DataFileError(self.file, message, rule=rule or None, suggestion=suggestion, path=path)
        )

    def keys(self, mapping: Any, allowed: Collection[str], rule: str | None, path: str) -> bool:
        """Unknown keys recorded; False (and a problem) when it is not a mapping at all."""
        check_keys(
            mapping, allowed, file=self.file, rule_id=rule, where=path, problems=self.problems
        )
        return isinstance(mapping, dict)

    def attempt(self, build: Callable[..., T], *args: Any) -> T | None:
        try:
            return build(*args)
        except DataFileError as exc:
            self.problems.extend(exc.problems)
            return None

    def text(self, mapping: dict, key: str, rule: str | None, path: str = "") -> str | None:
        raw = mapping.get(key)
        if raw is None or is_text(raw):
            return None if raw is None else str(raw)
        self.add(f"{key} 应为文本，收到 {shape_of(raw)}", rule=rule, path=_join(path, key))
        return None

    def texts(self, raw: Any, key: str, rule: str | None) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
            self.add(f"{key} 应为文本列表，收到 {shape_of(raw)}", rule=rule, path=key)
            return ()
        return tuple(raw)

    def done(self) -> None:
        raise_collected(self.problems)


def _join(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else step


def _date(value: Any, file: str, rule: str, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DataFileError(
            file, f"应为 YYYY-MM-DD 日期，收到 {shape_of(value)}", rule=rule or None, path=what
        ) from None


def _applicability(items: Any, file: str, rule: str) -> tuple[Applicability, ...]:
    check = _FileCheck(file)
    if not isinstance(items, list) or not items:
        raise DataFileError(
            file,
            f"applies 须列出适用的批次日期与申报类型（如 [{{from: 2026-04-01}}]），收到 {shape_of(items)}",
            rule=rule or None,
            path="applies",
        )
    result = []
    for index, item in enumerate(items):
        where = _join("applies", index)
        if not check.keys(item, APPLIES_KEYS, rule, where):
            continue
        raw_types = item.get("application_types") or list(APPLICATION_TYPES)
        if not isinstance(raw_types, list):
            check.add(
                f"application_types 应为列表（new、renewal），收到 {shape_of(raw_types)}",
                rule=rule,
                path=_join(where, "application_types"),
            )
            continue
        types = tuple(str(t) for t in raw_types)
        for t in types:
            if t not in APPLICATION_TYPES:
                check.add(
                    f"未知申报类型 “{t}”",
                    rule=rule,
                    path=_join(where, "application_types"),
                    suggestion=did_you_mean(t, APPLICATION_TYPES),
                )
        if "from" not in item:
            check.add("缺少 from（起始批次日期）", rule=rule, path=where)
            continue
        start = check.attempt(_date, item["from"], file, rule, _join(where, "from"))
        end = None
        if item.get("until"):
            end = check.attempt(_date, item["until"], file, rule, _join(where, "until"))
        if start is not None and end is not None and end < start:
            check.add(
                f"until（{end}）早于 from（{start}）：该适用期不含任何批次日期",
                rule=rule,
                path=_join(where, "until"),
            )
        note = check.text(item, "note", rule, where)
        if start is not None:
            result.append(Applicability(start, end, types, note or ""))
    check.done()
    return tuple(result)


def _settings(raw: Any, check: _FileCheck, rid: str) -> dict[str, Setting]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.add(
            f"settings 须为映射（设置名: {{label, default, grade}}），收到 {shape_of(raw)}",
            rule=rid,
            path="settings",
        )
        return {}
    settings = {}
    for name, spec in raw.items():
        where = _join("settings", str(name))
        if not check.keys(spec, SETTING_KEYS, rid, where):
            continue
        default = spec.get("default", False)
        if not isinstance(default, bool):
            check.add(
                f"default 应写 true 或 false，收到 {shape_of(default)}",
                rule=rid,
                path=_join(where, "default"),
            )
        label = check.text(spec, "label", rid, where)
        grade = check.text(spec, "grade", rid, where)
        settings[str(name)] = Setting(str(name), label or str(name), default is True, grade or "")
    return settings


def _derived(
    raw: Any, file: str, table: QuantityTable, check: _FileCheck, rid: str
) -> dict[str, QuantityDef]:
    """A rulebook's derived quantities, one at a time so that every bad one is reported."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.add(
            f"derived 须为映射（指标名: 定义），收到 {shape_of(raw)}", rule=rid, path="derived"
        )
        return {}
    local: dict[str, QuantityDef] = {}
    for name, entry in raw.items():

        def known(item: str) -> bool:
            return table.defs.__contains__(item) or item in local

        def names() -> list[str]:
            return [*table.names(), *local]

        parsed = check.attempt(parse_quantity_defs, {name: entry}, file, known, names)
        if parsed is not None:
            local.update(parsed)
    return local


def _groups(raw: Any, check: _FileCheck, rid: str) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    if not isinstance(raw, list) or not raw:
        check.add(
            f"groups 须为分组列表（[{{id, title}}, ...]），收到 {shape_of(raw)}",
            rule=rid,
            path="groups",
        )
        return groups
    for index, item in enumerate(raw):
        where = _join("groups", index)
        if not check.keys(item, GROUP_KEYS, rid, where):
            continue
        missing = [k for k in ("id", "title") if not item.get(k)]
        if missing:
            check.add(f"分组缺少 {'、'.join(missing)}", rule=rid, path=where)
        if not item.get("id"):
            continue  # with its id known, its criteria are not reported for it again
        check.text(item, "title", rid, where)
        minimum = item.get("minimum")
        value = None
        if minimum is not None:
            if isinstance(minimum, bool) or not isinstance(minimum, int | float):
                check.add(
                    f"minimum 应为数值，收到 {shape_of(minimum)}",
                    rule=rid,
                    path=_join(where, "minimum"),
                )
            else:
                value = Decimal(str(minimum))
        gid = str(item["id"])
        if gid in groups:
            check.add(f"分组 id “{gid}” 重复", rule=rid, path=where)
        groups[gid] = Group(gid, str(item.get("title") or gid), value)
    return groups


def _build(
    data: dict[str, Any],
    file: str,
    content: bytes,
    overlay: Overlay | None,
) -> Rulebook:
    rid = str(data.get("id") or "")
    check = _FileCheck(file)
    check.keys(data, TOP_KEYS, rid, "")
    missing = [key for key in TOP_REQUIRED if key not in data]
    for key in missing:
        check.add(f"缺少顶层属性 “{key}”", rule=rid)
    if missing:
        check.done()
    for key in ("title", "version", "wording"):
        check.text(data, key, rid)
    tier = str(data["tier"])
    if tier not in TIERS:
        check.add(f"未知层级 “{tier}”", rule=rid, path="tier", suggestion=did_you_mean(tier, TIERS))
    catalogue = load_catalogue()
    shared, shared_bytes = _shared_derived()
    if overlay is not None and overlay.data.get("fields"):
        extra = check.attempt(
            parse_field_entries,
            overlay.data["fields"],
            overlay.file,
            {**catalogue.groups, "overlay": "省级自设"},
            overlay.id,
        )
        if extra is not None:
            catalogue = catalogue.extended(extra)
    base_table = QuantityTable(catalogue, shared)
    local = _derived(data.get("derived"), file, base_table, check, rid)
    settings = _settings(data.get("settings"), check, rid)
    for name, qdef in list(local.items()):
        if qdef.alt is not None:
            setting = settings.get(qdef.alt[0])
            if setting is None:
                check.add(
                    f"when_setting 中的批次设置 “{qdef.alt[0]}” 未在 settings 中声明",
                    rule=name,
                    path="when_setting",
                    suggestion=did_you_mean(qdef.alt[0], settings),
                )
                continue
            local[name] = replace(qdef, alt=(qdef.alt[0], qdef.alt[1], setting.default))
    quantities = QuantityTable(catalogue, {**shared, **local})
    groups = _groups(data["groups"], check, rid)
    raw_criteria = data["criteria"]
    if not isinstance(raw_criteria, list):
        check.add(
            f"criteria 须为条目列表，收到 {shape_of(raw_criteria)}", rule=rid, path="criteria"
        )
        check.done()
    raw_criteria = list(raw_criteria)
    verdict_raw = data["verdict"]
    pass_line_raw = data.get("pass_line")
    if overlay is not None:
        raw_criteria, verdict_raw, pass_line_raw = _apply_overlay(
            overlay, raw_criteria, verdict_raw, pass_line_raw, check
        )
    titles = {}
    for entry in raw_criteria:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue  # reported with the criterion
        cid = str(entry.get("id"))
        if cid in titles:
            if overlay is not None and entry.get("_overlay"):  # the overlay's own mistake
                check.problems.append(DataFileError(overlay.file, "条目 id 重复", rule=cid))
            else:
                check.add("条目 id 重复", rule=cid)
        titles[cid] = str(entry.get("title") or "")
    pass_line = None
    if pass_line_raw is not None:
        if isinstance(pass_line_raw, bool) or not isinstance(pass_line_raw, int | float):
            check.add(
                f"pass_line 应为数值（及格线），收到 {shape_of(pass_line_raw)}",
                rule=rid,
                path="pass_line",
            )
        else:
            pass_line = Decimal(str(pass_line_raw))
    group_titles = {g.id: g.title for g in groups.values()}
    parser = Parser(file, quantities, titles, group_titles, pass_line, check.problems)
    own = [e for e in raw_criteria if not (isinstance(e, dict) and e.get("_overlay"))]
    criteria = _parse_criteria(own, parser, groups, settings, None)
    if overlay is not None:
        overlay_parser = Parser(
            overlay.file, quantities, titles, group_titles, pass_line, check.problems
        )
        added = _parse_criteria(
            [e for e in raw_criteria if isinstance(e, dict) and e.get("_overlay")],
            overlay_parser,
            groups,
            settings,
            overlay.id,
        )
        order = {str(e["id"]): i for i, e in enumerate(raw_criteria) if isinstance(e, dict)}
        criteria = sorted(criteria + added, key=lambda c: order[c.id])
    parser.rule = "verdict"
    verdict = parser.attempt(None, parser.cond, verdict_raw)
    instrument = data["instrument"]
    if check.keys(instrument, INSTRUMENT_KEYS, rid, "instrument"):
        for key in ("title", "number"):
            if not instrument.get(key):
                check.add(f"instrument 缺少 {key}（文件名称与文号）", rule=rid, path="instrument")
        for key in ("title", "number", "annex", "note", "grade", "link"):
            check.text(instrument, key, rid, "instrument")
        for key in ("issued", "effective"):
            if instrument.get(key) is not None:
                check.attempt(_date, instrument[key], file, rid, _join("instrument", key))
    else:
        instrument = {}
    applies = check.attempt(_applicability, data["applies"], file, rid)
    notes = check.texts(data.get("notes"), "notes", rid)
    check.done()
    assert verdict is not None and applies is not None
    scored = any(c.score is not None for c in criteria)
    if scored and pass_line is None and _needs_pass_line(verdict):
        raise DataFileError(file, "计分规则须写 pass_line（及格线）", rule=rid)
    _check_references(criteria, verdict, file)
    digest = _digest(content, shared_bytes, overlay_bytes(overlay))
    rulebook = Rulebook(
        id=rid,
        tier=tier,
        title=str(data["title"]),
        version=str(data["version"]),
        instrument=dict(instrument),
        applies=applies,
        settings=settings,
        groups=groups,
        criteria=criteria,
        verdict=verdict,
        pass_line=pass_line,
        quantities=quantities,
        catalogue=catalogue,
        hash=digest,
        file=file,
        notes=notes,
        overlay=overlay,
    )
    rulebook.by_id = {c.id: c for c in criteria}
    rulebook.scored_criteria = [c for c in criteria if c.score is not None]
    for c in rulebook.scored_criteria:
        rulebook.scored_groups.setdefault(c.group, []).append(c.id)
        rulebook.scored_ids.append(c.id)
    rulebook.group_maxima = {g: rulebook.group_max(g) for g in groups}
    rulebook.scored = bool(rulebook.scored_criteria)
    rulebook.verdict_decider = verdict.decider()
    rulebook.deciders = {
        c.id: (True, c.score.decider()) if c.score is not None else (False, c.cond.decider())  # type: ignore[union-attr]
        for c in criteria
    }
    rulebook.result_heads = result_heads_of(criteria, groups)
    if rulebook.scored:
        rulebook.max_score = sum((c.max_points or ZERO for c in criteria), ZERO)
        if pass_line is not None and not 1 <= pass_line <= rulebook.max_score:
            # 0.65 for 65, or 650: a line no score reaches, or every score does.
            from_overlay = overlay is not None and pass_line_raw != data.get("pass_line")
            raise DataFileError(
                overlay.file if from_overlay and overlay else file,
                f"pass_line {pass_line_raw} 不在 1 到满分 {rulebook.max_score} 之间"
                "（及格线按分数写，如 60）",
                rule=overlay.id if from_overlay and overlay else rid,
            )
    return rulebook


def result_heads_of(
    criteria: list[CriterionDef], groups: dict[str, Group]
) -> dict[str, tuple[Any, ...]]:
    """What every result of each criterion shows whatever the applicant (Rulebook.result_heads),
    and the verdict reasons it can give (its prefix, 待补充数据, 待人工确认); made again whenever
    criteria change (an overlay, a notice's wording)."""
    return {
        c.id: (
            c.id, c.title, c.group, groups[c.group].title if c.group in groups else None,
            c.kind, c.requirement, c.clause, c.source, c.grade, bool(c.unverified), c.judgement,
            c.max_points, (*c.notes, f"未核实：{c.unverified}") if c.unverified else tuple(c.notes),
            c.score, c.cond,
            (f"{c.id} {c.title}：", f"{c.id} {c.title}：待补充数据", f"{c.id} {c.title}：待人工确认"),
        )
        for c in criteria
    }  # fmt: skip


def overlay_bytes(overlay: Overlay | None) -> bytes:
    return b"" if overlay is None else overlay.hash.encode()


def _needs_pass_line(cond: Cond) -> bool:
    if isinstance(cond, ScoreAtLeast):
        return cond.threshold is None
    return any(_needs_pass_line(c) for c in cond.children())


def _apply_overlay(
    overlay: Overlay, criteria: list[Any], verdict: Any, pass_line: Any, check: _FileCheck
) -> tuple[list[Any], Any, Any]:
    """The base's criteria, verdict and pass line with the overlay's changes (shapes were
    checked when the overlay was loaded)."""
    data = overlay.data
    ids = [str(c.get("id")) for c in criteria if isinstance(c, dict)]
    result = list(criteria)
    problems = check.problems

    def add(message: str, rule: str, path: str, suggestion: str | None = None) -> None:
        problems.append(
            DataFileError(overlay.file, message, rule=rule, path=path, suggestion=suggestion)
        )

    for target, replacement in (data.get("replace") or {}).items():
        if target not in ids:
            add(
                f"要替换的条目 “{target}” 不在 {overlay.extends} 中",
                str(target),
                _join("replace", str(target)),
                did_you_mean(str(target), ids),
            )
            continue
        # References to the replaced criterion are not allowed to dangle: it is kept, and the
        # overlay is told what to do instead (the base's references are not its mistakes).
        if _mentions(verdict, target) or any(
            _mentions(c.get("require"), target) for c in result if isinstance(c, dict)
        ):
            add(
                f"条目 “{target}” 被 {overlay.extends} 的评价结论或其他条目引用，省级规则不能替换它；"
                "如要提高或增加要求，请用 add 增加条目，并把它写入 verdict_add",
                str(target),
                _join("replace", str(target)),
            )
            continue
        index = next(
            i for i, c in enumerate(result) if isinstance(c, dict) and str(c.get("id")) == target
        )
        result[index : index + 1] = [{**entry, "_overlay": True} for entry in replacement]
    for entry in data.get("add") or []:
        result.append({**entry, "_overlay": True})
    if "pass_line" in (data.get("set") or {}):
        pass_line = data["set"]["pass_line"]
    extra = list(data.get("verdict_add") or [])
    known = [str(c.get("id")) for c in result if isinstance(c, dict)]
    for index, cid in enumerate(list(extra)):
        if str(cid) not in known:
            add(f"verdict_add 引用了不存在的条目 “{cid}”", str(cid),
                f"verdict_add[{index}]", did_you_mean(str(cid), known))  # fmt: skip
            extra.remove(cid)
    if extra:
        verdict = {"all": [verdict, *({"criterion": cid} for cid in extra)]}
    return result, verdict, pass_line


def _mentions(node: Any, target: str) -> bool:
    if isinstance(node, dict):
        if node.get("criterion") == target:
            return True
        return any(_mentions(v, target) for v in node.values())
    if isinstance(node, list):
        return any(_mentions(v, target) for v in node)
    return False


def load_overlay(overlay_id: str) -> Overlay:
    """A provincial overlay by id, bundled or installed (validated when merged into its rulebook)."""
    source = overlay_source(overlay_id)
    if source is None:
        raise UnknownNameError("省级规则", overlay_id, list_overlay_ids())
    return _load_overlay_cached(source.path, _stamp(source.path))


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@cache
def _load_overlay_cached(path: Path, stamp: int) -> Overlay:
    return load_overlay_file(path)


def _overlay_shapes(data: dict[str, Any], check: _FileCheck, oid: str) -> None:
    """The shape of an overlay's changes: replace, add, set and verdict_add."""
    replacements = data.get("replace")
    if replacements is not None:
        if not isinstance(replacements, dict):
            check.add(
                f"replace 须为映射（被替换的条目: [新条目, ...]），收到 {shape_of(replacements)}",
                rule=oid,
                path="replace",
            )
        else:
            for target, entries in replacements.items():
                if (
                    not isinstance(entries, list)
                    or not entries
                    or not all(isinstance(e, dict) for e in entries)
                ):
                    check.add(
                        f"replace 的 {target} 须为新条目（映射）的列表，收到 {shape_of(entries)}",
                        rule=str(target),
                        path=_join("replace", str(target)),
                    )
    added = data.get("add")
    if added is not None and (
        not isinstance(added, list) or not all(isinstance(e, dict) for e in added)
    ):
        check.add(f"add 须为新条目（映射）的列表，收到 {shape_of(added)}", rule=oid, path="add")
    changes = data.get("set")
    if changes is not None and check.keys(changes, OVERLAY_SET_KEYS, oid, "set"):
        value = changes.get("pass_line")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            check.add(f"pass_line 应为数值，收到 {shape_of(value)}", rule=oid, path="set.pass_line")
    extra = data.get("verdict_add")
    if extra is not None and (
        not isinstance(extra, list) or not all(isinstance(e, str) for e in extra)
    ):
        check.add(
            f"verdict_add 须为条目编号的列表，收到 {shape_of(extra)}", rule=oid, path="verdict_add"
        )


def load_overlay_file(path: Path) -> Overlay:
    """Load one overlay file and check its own shape (its criteria are checked when merged)."""
    content = path.read_bytes()
    data = read_yaml(path)
    file = path.name
    if not isinstance(data, dict):
        raise DataFileError(file, f"省级规则文件须为映射，收到 {shape_of(data)}")
    oid = str(data.get("id") or "")
    check = _FileCheck(file)
    check.keys(data, OVERLAY_KEYS, oid, "")
    for key in OVERLAY_REQUIRED:
        if not data.get(key):
            check.add(f"缺少顶层属性 “{key}”", rule=oid)
    check.done()
    extends = str(data["extends"])
    if extends not in list_rulebook_ids():
        check.add(
            f"扩展的评价标准 “{extends}” 不存在",
            rule=oid,
            path="extends",
            suggestion=did_you_mean(extends, list_rulebook_ids()),
        )
    grade = check.attempt(_check_grade, data["grade"], file, oid)
    applies = check.attempt(_applicability, data["applies"], file, oid)
    for key in ("title", "province", "source", "unverified", "version"):
        check.text(data, key, oid)
    check.texts(data.get("notes"), "notes", oid)
    _overlay_shapes(data, check, oid)
    check.done()
    assert grade is not None and applies is not None
    unverified = data.get("unverified") or (
        "来源未核实" if grade.startswith("UNVERIFIED") else None
    )
    return Overlay(
        id=oid,
        extends=extends,
        title=str(data["title"]),
        province=str(data["province"]),
        version=str(data.get("version") or "1"),
        applies=applies,
        source=str(data["source"]),
        grade=grade,
        unverified=str(unverified) if unverified else None,
        data=data,
        file=file,
        hash=hashlib.sha256(content).hexdigest(),
    )


def load_rulebook_file(
    path: Path, overlay: Overlay | None = None, *, name_is_id: bool = True
) -> Rulebook:
    """Load and fully validate one rulebook file, raising every problem found at once.

    ``name_is_id`` (the default, as in the rulebook folders) requires the file to be named
    after its id; a file being checked before it is installed may be named anything.
    """
    content = path.read_bytes()
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path.name, f"评价标准文件须为映射，收到 {shape_of(data)}")
    if name_is_id and data.get("id") and data["id"] != path.stem:
        raise DataFileError(
            path.name, f"文件名须与 id 一致（id 为 “{data['id']}”）", rule=str(data["id"])
        )
    if overlay is not None and overlay.extends != data.get("id"):
        raise DataFileError(
            overlay.file,
            f"该省级规则扩展 {overlay.extends}，不能用于 {data.get('id')}",
            rule=overlay.id,
        )
    rulebook = _build(data, path.name, content, overlay)
    check_correspondences(rulebook, path.parent)
    return rulebook


def load_rulebook(rulebook_id: str, overlay_id: str | None = None) -> Rulebook:
    """A rulebook by id (bundled or installed), optionally merged with a provincial overlay.

    Cached per file and state of the installed folders, so a file installed while running is
    seen by the next call.
    """
    source = rulebook_source(rulebook_id)
    if source is None:
        raise UnknownNameError("评价标准", rulebook_id, list_rulebook_ids())
    if overlay_id is None:
        return _load_rulebook_cached(source.path, _stamp(source.path), None, 0)
    overlay = overlay_source(overlay_id)
    if overlay is None:
        raise UnknownNameError("省级规则", overlay_id, list_overlay_ids())
    return _load_rulebook_cached(
        source.path, _stamp(source.path), overlay.path, _stamp(overlay.path)
    )


@cache
def _load_rulebook_cached(
    path: Path, stamp: int, overlay_path: Path | None, overlay_stamp: int
) -> Rulebook:
    overlay = None
    if overlay_path is not None:
        overlay = _load_overlay_cached(overlay_path, overlay_stamp)
    return load_rulebook_file(path, overlay)


def load_all_rulebooks() -> list[Rulebook]:
    """Every rulebook, and every overlay merged with its base (validates them all)."""
    books = [load_rulebook(rid) for rid in list_rulebook_ids()]
    for oid in list_overlay_ids():
        books.append(load_rulebook(load_overlay(oid).extends, oid))
    return books


# --------------------------------------------------------------------------------------------
# Selection
# --------------------------------------------------------------------------------------------
