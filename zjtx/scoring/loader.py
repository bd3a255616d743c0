"""Loading rulebook and overlay files: parsing, full validation and overlay merging."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from zjtx.domain.results import CriterionKind
from zjtx.paths import resource_path
from zjtx.scoring.catalogue import load_catalogue, parse_field_entries, read_yaml
from zjtx.scoring.conditions import Cond, GroupAtLeast, ScoreAtLeast
from zjtx.scoring.context import QuantityDef, QuantityTable, parse_quantity_defs
from zjtx.scoring.correspondence import check_correspondences, parse_correspondence
from zjtx.scoring.definitions import (
    APPLICATION_TYPES,
    GRADES,
    TIERS,
    Applicability,
    CriterionDef,
    Group,
    NotApplicable,
    Overlay,
    Rulebook,
    Setting,
    list_overlay_ids,
    list_rulebook_ids,
    overlay_dir,
    rulebook_dir,
)
from zjtx.scoring.errors import DataFileError, UnknownNameError, did_you_mean
from zjtx.scoring.parser import Parser
from zjtx.scoring.quantities import ZERO

_TOP_KEYS = {
    "id", "tier", "title", "version", "instrument", "applies", "settings", "derived", "groups",
    "pass_line", "criteria", "verdict", "notes", "wording",
}  # fmt: skip
_CRITERION_KEYS = {
    "id", "title", "group", "kind", "clause", "source", "grade", "unverified", "require",
    "score", "requirement", "judgement", "not_applicable", "enabled_by_setting", "notes",
    "replaces",
}  # fmt: skip
_OVERLAY_KEYS = {
    "id", "extends", "title", "province", "version", "applies", "source", "grade", "fields",
    "set", "replace", "add", "verdict_add", "notes", "unverified",
}  # fmt: skip


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
    return defs, path.read_bytes() + resource_path("size_standard_2011.yaml").read_bytes()


def _date(value: Any, file: str, rule: str, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DataFileError(
            file, f"{what} 应为 YYYY-MM-DD 日期，收到 {value!r}", rule=rule
        ) from None


def _applicability(items: Any, file: str, rule: str) -> tuple[Applicability, ...]:
    if not isinstance(items, list) or not items:
        raise DataFileError(file, "applies 须列出适用的批次日期与申报类型", rule=rule)
    result = []
    for item in items:
        types = tuple(item.get("application_types") or APPLICATION_TYPES)
        for t in types:
            if t not in APPLICATION_TYPES:
                raise DataFileError(
                    file,
                    f"未知申报类型 “{t}”",
                    rule=rule,
                    suggestion=did_you_mean(t, APPLICATION_TYPES),
                )
        result.append(
            Applicability(
                start=_date(item.get("from"), file, rule, "from"),
                end=_date(item["until"], file, rule, "until") if item.get("until") else None,
                application_types=types,
                note=str(item.get("note") or ""),
            )
        )
    return tuple(result)


def _check_grade(grade: Any, file: str, rule: str) -> str:
    text = str(grade or "").strip()
    head = text.split()[0] if text else ""
    if head not in GRADES:
        raise DataFileError(
            file,
            f"来源等级 “{text}” 无效，应为 {'/'.join(GRADES)}（可附说明，如 “C n=4”）",
            rule=rule,
            suggestion=did_you_mean(head, GRADES) if head else None,
        )
    return text


def _parse_criteria(
    entries: Any,
    parser: Parser,
    groups: dict[str, Group],
    settings: dict[str, Setting],
    overlay: str | None,
) -> list[CriterionDef]:
    file = parser.file
    if not isinstance(entries, list):
        raise DataFileError(file, "criteria 须为列表")
    result = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("id"):
            raise DataFileError(file, f"条目缺少 id：{entry!r}")
        cid = str(entry["id"])
        parser.rule = cid
        parser.references = set()
        for key in entry:
            if key not in _CRITERION_KEYS and key != "_overlay":
                raise parser.error(f"未知属性 “{key}”", did_you_mean(str(key), _CRITERION_KEYS))
        for key in ("title", "group", "clause", "source", "grade"):
            if not entry.get(key):
                raise parser.error(
                    f"缺少必填属性 “{key}”（每一条都须注明条款原文、来源与可信等级）"
                )
        group = str(entry["group"])
        if group not in groups:
            raise parser.error(f"未知分组 “{group}”", did_you_mean(group, groups))
        grade = _check_grade(entry["grade"], file, cid)
        has_cond, has_score = "require" in entry, "score" in entry
        if has_cond == has_score:
            raise parser.error("须写 require（条件）或 score（计分规则）之一")
        cond = parser.cond(entry["require"]) if has_cond else None
        score = parser.score(entry["score"]) if has_score else None
        kind_raw = entry.get("kind") or ("score" if has_score else "requirement")
        try:
            kind = CriterionKind(kind_raw)
        except ValueError:
            raise parser.error(
                f"未知类别 “{kind_raw}”",
                did_you_mean(str(kind_raw), [k.value for k in CriterionKind]),
            ) from None
        if has_score != (kind == CriterionKind.SCORE):
            raise parser.error("计分条目须写 score 且 kind 为 score")
        na = None
        if entry.get("not_applicable"):
            spec = entry["not_applicable"]
            types = tuple(spec.get("application_types") or ())
            setting = spec.get("setting")
            if setting is not None and setting not in settings:
                raise parser.error(
                    f"未知批次设置 “{setting}”", did_you_mean(str(setting), settings)
                )
            na = NotApplicable(types, setting, str(spec.get("note") or "本项不适用"))
        enabled = entry.get("enabled_by_setting")
        if enabled is not None and enabled not in settings:
            raise parser.error(f"未知批次设置 “{enabled}”", did_you_mean(str(enabled), settings))
        unverified = entry.get("unverified")
        if grade.startswith("UNVERIFIED") and not unverified:
            unverified = "来源未核实"
        judgement = bool(entry.get("judgement")) or bool(
            (cond is not None and cond.judgemental()) or (score is not None and score.judgemental())
        )
        requirement = str(
            entry.get("requirement") or (cond.requirement() if cond else score.describe())
        )
        replaces = parse_correspondence(entry["replaces"], parser) if "replaces" in entry else None
        result.append(
            CriterionDef(
                id=cid,
                title=str(entry["title"]),
                group=group,
                kind=kind,
                clause=str(entry["clause"]).strip(),
                source=str(entry["source"]).strip(),
                grade=grade,
                unverified=str(unverified) if unverified else None,
                requirement=requirement,
                cond=cond,
                score=score,
                judgement=judgement,
                not_applicable=na,
                enabled_by_setting=enabled,
                notes=tuple(str(n) for n in entry.get("notes") or ()),
                references=frozenset(parser.references),
                uses_score=_uses_score(cond),
                overlay=overlay,
                replaces=replaces,
            )
        )
    parser.rule = ""
    return result


def _uses_score(cond: Cond | None) -> bool:
    if cond is None:
        return False
    if isinstance(cond, ScoreAtLeast | GroupAtLeast):
        return True
    return any(_uses_score(c) for c in cond.children())


def _check_references(criteria: list[CriterionDef], verdict: Cond, file: str) -> None:
    by_id = {c.id: c for c in criteria}
    scored = [c for c in criteria if c.score is not None]
    for c in scored:
        if c.uses_score:
            raise DataFileError(file, "计分条目不能引用总分", rule=c.id)
    # Cycles among criterion references.
    state: dict[str, int] = {}

    def visit(cid: str, path: list[str]) -> None:
        if state.get(cid) == 2:
            return
        if state.get(cid) == 1:
            raise DataFileError(file, "条目之间循环引用：" + " → ".join([*path, cid]), rule=cid)
        state[cid] = 1
        for ref in sorted(by_id[cid].references):
            visit(ref, [*path, cid])
        state[cid] = 2

    for c in criteria:
        visit(c.id, [])
    if not isinstance(verdict, Cond):  # pragma: no cover - parser guarantees it
        raise DataFileError(file, "verdict 无效")


def _build(
    data: dict[str, Any],
    file: str,
    content: bytes,
    overlay: Overlay | None,
) -> Rulebook:
    rid = str(data.get("id") or "")
    required = (
        "id", "tier", "title", "version", "instrument", "applies", "groups", "criteria", "verdict",
    )  # fmt: skip
    _check_top_keys(data, file, rid, _TOP_KEYS, required)
    tier = str(data["tier"])
    if tier not in TIERS:
        raise DataFileError(
            file, f"未知层级 “{tier}”", rule=rid, suggestion=did_you_mean(tier, TIERS)
        )
    catalogue = load_catalogue()
    shared, shared_bytes = _shared_derived()
    if overlay is not None and overlay.data.get("fields"):
        extra = parse_field_entries(
            overlay.data["fields"],
            overlay.file,
            {**catalogue.groups, "overlay": "省级自设"},
            overlay.id,
        )
        catalogue = catalogue.extended(extra)
    base_table = QuantityTable(catalogue, shared)
    local = parse_quantity_defs(
        data.get("derived") or {}, file, base_table.defs.__contains__, base_table.names
    )
    settings = {
        str(name): Setting(
            str(name),
            str(spec.get("label") or name),
            bool(spec.get("default", False)),
            str(spec.get("grade") or ""),
        )
        for name, spec in (data.get("settings") or {}).items()
    }
    for name, qdef in list(local.items()):
        if qdef.alt is not None:
            setting = settings.get(qdef.alt[0])
            if setting is None:
                raise DataFileError(
                    file,
                    f"when_setting 中的批次设置 “{qdef.alt[0]}” 未在 settings 中声明",
                    rule=name,
                    suggestion=did_you_mean(qdef.alt[0], settings),
                )
            local[name] = replace(qdef, alt=(qdef.alt[0], qdef.alt[1], setting.default))
    quantities = QuantityTable(catalogue, {**shared, **local})
    groups: dict[str, Group] = {}
    for item in data["groups"]:
        gid = str(item["id"])
        minimum = item.get("minimum")
        groups[gid] = Group(
            gid, str(item["title"]), Decimal(str(minimum)) if minimum is not None else None
        )
    raw_criteria = list(data["criteria"])
    verdict_raw = data["verdict"]
    pass_line_raw = data.get("pass_line")
    if overlay is not None:
        raw_criteria, verdict_raw, pass_line_raw = _apply_overlay(
            overlay, raw_criteria, verdict_raw, pass_line_raw, file
        )
    titles = {}
    for entry in raw_criteria:
        cid = str(entry.get("id"))
        if cid in titles:
            raise DataFileError(file, "条目 id 重复", rule=cid)
        titles[cid] = str(entry.get("title") or "")
    pass_line = Decimal(str(pass_line_raw)) if pass_line_raw is not None else None
    group_titles = {g.id: g.title for g in groups.values()}
    parser = Parser(file, quantities, titles, group_titles, pass_line)
    criteria = _parse_criteria(
        [e for e in raw_criteria if not e.get("_overlay")], parser, groups, settings, None
    )
    if overlay is not None:
        overlay_parser = Parser(overlay.file, quantities, titles, group_titles, pass_line)
        added = _parse_criteria(
            [e for e in raw_criteria if e.get("_overlay")],
            overlay_parser,
            groups,
            settings,
            overlay.id,
        )
        order = {str(e["id"]): i for i, e in enumerate(raw_criteria)}
        criteria = sorted(criteria + added, key=lambda c: order[c.id])
    parser.rule = "verdict"
    verdict = parser.cond(verdict_raw)
    scored = any(c.score is not None for c in criteria)
    if scored and pass_line is None and _needs_pass_line(verdict):
        raise DataFileError(file, "计分规则须写 pass_line（及格线）", rule=rid)
    _check_references(criteria, verdict, file)
    instrument = dict(data["instrument"])
    for key in ("title", "number"):
        if not instrument.get(key):
            raise DataFileError(file, f"instrument 缺少 {key}（文件名称与文号）", rule=rid)
    digest = _digest(content, shared_bytes, overlay_bytes(overlay))
    rulebook = Rulebook(
        id=rid,
        tier=tier,
        title=str(data["title"]),
        version=str(data["version"]),
        instrument=instrument,
        applies=_applicability(data["applies"], file, rid),
        settings=settings,
        groups=groups,
        criteria=criteria,
        verdict=verdict,
        pass_line=pass_line,
        quantities=quantities,
        catalogue=catalogue,
        hash=digest,
        file=file,
        notes=tuple(str(n) for n in data.get("notes") or ()),
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
    rulebook.result_heads = {
        c.id: (
            c.id, c.title, c.group, groups[c.group].title if c.group in groups else None,
            c.kind, c.requirement, c.clause, c.source, c.grade, bool(c.unverified), c.judgement,
            c.max_points, (*c.notes, f"未核实：{c.unverified}") if c.unverified else tuple(c.notes),
        )
        for c in criteria
    }  # fmt: skip
    if rulebook.scored:
        rulebook.max_score = sum((c.max_points or ZERO for c in criteria), ZERO)
    for c in criteria:
        if c.group not in groups:  # pragma: no cover - checked while parsing
            raise DataFileError(file, f"未知分组 “{c.group}”", rule=c.id)
    return rulebook


def overlay_bytes(overlay: Overlay | None) -> bytes:
    return b"" if overlay is None else overlay.hash.encode()


def _needs_pass_line(cond: Cond) -> bool:
    if isinstance(cond, ScoreAtLeast):
        return cond.threshold is None
    return any(_needs_pass_line(c) for c in cond.children())


def _apply_overlay(
    overlay: Overlay, criteria: list[dict], verdict: Any, pass_line: Any, file: str
) -> tuple[list[dict], Any, Any]:
    data = overlay.data
    ids = [str(c.get("id")) for c in criteria]
    result = list(criteria)
    for target, replacement in (data.get("replace") or {}).items():
        if target not in ids:
            raise DataFileError(
                overlay.file,
                f"要替换的条目 “{target}” 不在 {overlay.extends} 中",
                rule=str(target),
                suggestion=did_you_mean(str(target), ids),
            )
        index = next(i for i, c in enumerate(result) if str(c.get("id")) == target)
        new = [{**entry, "_overlay": True} for entry in replacement]
        result[index : index + 1] = new
        # References to the replaced criterion are not allowed to dangle.
        if _mentions(verdict, target) or any(_mentions(c.get("require"), target) for c in result):
            raise DataFileError(overlay.file, f"被替换的条目 “{target}” 仍被引用", rule=str(target))
    for entry in data.get("add") or []:
        result.append({**entry, "_overlay": True})
    for key, value in (data.get("set") or {}).items():
        if key != "pass_line":
            raise DataFileError(
                overlay.file,
                f"set 只能修改 pass_line，收到 “{key}”",
                rule=overlay.id,
                suggestion=did_you_mean(str(key), ["pass_line"]),
            )
        pass_line = value
    extra = data.get("verdict_add") or []
    if extra:
        verdict = {"all": [verdict, *({"criterion": cid} for cid in extra)]}
    for entry in result:
        entry.pop("_file", None)
    return [dict(e) for e in result], verdict, pass_line


def _mentions(node: Any, target: str) -> bool:
    if isinstance(node, dict):
        if node.get("criterion") == target:
            return True
        return any(_mentions(v, target) for v in node.values())
    if isinstance(node, list):
        return any(_mentions(v, target) for v in node)
    return False


@cache
def load_overlay(overlay_id: str) -> Overlay:
    """A provincial overlay by id (validated when merged into its rulebook)."""
    path = overlay_dir() / f"{overlay_id}.yaml"
    if not path.is_file():
        raise UnknownNameError("省级规则", overlay_id, list_overlay_ids())
    return load_overlay_file(path)


def _check_top_keys(
    data: dict[str, Any],
    file: str,
    rule_id: str,
    known: Collection[str],
    required: Sequence[str],
    *,
    empty_is_missing: bool = False,
) -> None:
    """Every top-level key known (else a "did you mean"), and every required one present."""
    for key in data:
        if key not in known:
            raise DataFileError(
                file,
                f"未知顶层属性 “{key}”",
                rule=rule_id or None,
                suggestion=did_you_mean(str(key), known),
            )
    for key in required:
        if (not data.get(key)) if empty_is_missing else key not in data:
            raise DataFileError(file, f"缺少顶层属性 “{key}”", rule=rule_id or None)


def load_overlay_file(path: Path) -> Overlay:
    content = path.read_bytes()
    data = read_yaml(path)
    file = path.name
    if not isinstance(data, dict):
        raise DataFileError(file, "省级规则文件须为映射")
    oid = str(data.get("id") or "")
    required = ("id", "extends", "title", "province", "applies", "source", "grade")
    _check_top_keys(data, file, oid, _OVERLAY_KEYS, required, empty_is_missing=True)
    extends = str(data["extends"])
    if extends not in list_rulebook_ids():
        raise DataFileError(
            file,
            f"扩展的评价标准 “{extends}” 不存在",
            rule=oid,
            suggestion=did_you_mean(extends, list_rulebook_ids()),
        )
    grade = _check_grade(data["grade"], file, oid)
    unverified = data.get("unverified") or (
        "来源未核实" if grade.startswith("UNVERIFIED") else None
    )
    return Overlay(
        id=oid,
        extends=extends,
        title=str(data["title"]),
        province=str(data["province"]),
        version=str(data.get("version") or "1"),
        applies=_applicability(data["applies"], file, oid),
        source=str(data["source"]),
        grade=grade,
        unverified=str(unverified) if unverified else None,
        data=data,
        file=file,
        hash=hashlib.sha256(content).hexdigest(),
    )


def load_rulebook_file(path: Path, overlay: Overlay | None = None) -> Rulebook:
    """Load and fully validate one rulebook file (used for bundled and test files)."""
    content = path.read_bytes()
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path.name, "评价标准文件须为映射")
    if data.get("id") and data["id"] != path.stem:
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


@cache
def load_rulebook(rulebook_id: str, overlay_id: str | None = None) -> Rulebook:
    """A bundled rulebook by id, optionally merged with a provincial overlay (cached)."""
    path = rulebook_dir() / f"{rulebook_id}.yaml"
    if not path.is_file():
        raise UnknownNameError("评价标准", rulebook_id, list_rulebook_ids())
    overlay = load_overlay(overlay_id) if overlay_id else None
    return load_rulebook_file(path, overlay)


def load_all_rulebooks() -> list[Rulebook]:
    """Every bundled rulebook, and every overlay merged with its base (validates them all)."""
    books = [load_rulebook(rid) for rid in list_rulebook_ids()]
    for oid in list_overlay_ids():
        books.append(load_rulebook(load_overlay(oid).extends, oid))
    return books


# --------------------------------------------------------------------------------------------
# Selection
# --------------------------------------------------------------------------------------------
