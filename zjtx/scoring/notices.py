"""A year's notices as data: what each changes in a rulebook, for which rounds, applied by date."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from zjtx.domain.results import CriterionKind
from zjtx.paths import resource_path
from zjtx.scoring.catalogue import read_yaml
from zjtx.scoring.conditions import AllOf, Cond, CriterionRef, Leaf, _Junction
from zjtx.scoring.definitions import (
    APPLICATION_TYPES,
    GRADES,
    TIERS,
    CriterionDef,
    NotApplicable,
    Rulebook,
    list_rulebook_ids,
    source_files,
)
from zjtx.scoring.errors import DataFileError, UnknownNameError, did_you_mean, raise_collected
from zjtx.scoring.loader import load_rulebook, result_heads_of
from zjtx.scoring.notice_definitions import (
    LEVELS,
    AppliedNotice,
    Change,
    Cover,
    Exemption,
    Instrument,
    Notice,
    SettingChange,
    WordingChange,
)
from zjtx.scoring.parser import Parser, check_keys

# version: optional; a correction of a bundled notice installs with a higher one.
_TOP_KEYS = ("id", "title", "version", "level", "province", "instrument", "covers", "changes", "unverified", "note")  # fmt: skip
_INSTRUMENT_KEYS = ("title", "number", "issued", "grade", "link", "note")
_COVER_KEYS = ("tier", "from", "until", "application_types", "note")
_CHANGE_KEYS = ("rulebook", "settings", "wording", "fields", "exempt", "add", "verdict_add")
_SETTING_KEYS = ("value", "clause", "unverified")
_WORDING_KEYS = ("criterion", "clause", "texts", "source", "unverified")
_FIELD_KEYS = ("label", "help")
_EXEMPT_KEYS = ("criterion", "application_types", "note")
_ADDED_KEYS = ("id", "title", "group", "clause", "source", "grade", "unverified", "require", "notes")  # fmt: skip


# Loading and validation
# --------------------------------------------------------------------------------------------


def notice_dir() -> Path:
    """The folder of the bundled notices."""
    return resource_path("notices")


def list_notice_ids() -> list[str]:
    """Ids of every notice, bundled and installed."""
    return sorted(source_files("notices")[0])


def load_notice(notice_id: str) -> Notice:
    """A notice by id (bundled or installed), fully validated against the rulebooks it changes.

    Cached per file and its modification time, so a notice installed while running is seen.
    """
    source = source_files("notices")[0].get(notice_id)
    if source is None:
        raise UnknownNameError("通知", notice_id, list_notice_ids())
    return _load_notice_cached(source.path, source.path.stat().st_mtime_ns)


@cache
def _load_notice_cached(path: Path, stamp: int) -> Notice:
    return load_notice_file(path)


def load_all_notices() -> list[Notice]:
    return [load_notice(nid) for nid in list_notice_ids()]


class _Reader:
    """Reads one notice file, collecting every problem with file, notice id and place."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.rule: str | None = None
        self.problems: list[DataFileError] = []

    def problem(self, message: str, where: str = "", suggestion: str | None = None) -> None:
        self.problems.append(
            DataFileError(self.file, message, rule=self.rule, suggestion=suggestion, path=where)
        )

    def keys(self, data: Any, allowed: tuple[str, ...], where: str) -> bool:
        """Unknown keys recorded; False (nothing more to read) when ``data`` is no mapping."""
        check_keys(
            data, allowed, file=self.file, rule_id=self.rule, where=where, problems=self.problems
        )
        return isinstance(data, dict)

    def text(self, data: dict, key: str, where: str, required: bool = False) -> str | None:
        raw = data.get(key)
        if raw is None or raw == "":
            if required:
                self.problem(f"缺少必填属性 “{key}”", where)
            return None
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            self.problem(f"{key} 应为文本", f"{where}.{key}".lstrip("."))
            return None
        return str(raw).strip()

    def day(self, data: dict, key: str, where: str, required: bool = False) -> date | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.problem(f"缺少日期 “{key}”", where)
            return None
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            self.problem(f"{key} 应为 YYYY-MM-DD 日期，收到 {raw!r}", f"{where}.{key}".lstrip("."))
            return None

    def types(self, data: dict, where: str) -> tuple[str, ...]:
        raw = data.get("application_types")
        if raw is None:
            return APPLICATION_TYPES
        if not isinstance(raw, list) or not raw:
            self.problem("application_types 应为非空列表（new / renewal）", where)
            return ()
        for item in raw:
            if item not in APPLICATION_TYPES:
                self.problem(
                    f"未知申报类型 “{item}”",
                    f"{where}.application_types",
                    did_you_mean(str(item), APPLICATION_TYPES),
                )
        return tuple(t for t in raw if t in APPLICATION_TYPES)

    def grade(self, raw: Any, where: str) -> str:
        text = str(raw or "").strip()
        head = text.split()[0] if text else ""
        if head not in GRADES:
            self.problem(
                f"来源等级 “{text}” 无效，应为 {'/'.join(GRADES)}（可附说明，如 “C n=2”）",
                where,
                did_you_mean(head, GRADES) if head else None,
            )
        return text


def load_notice_file(path: Path) -> Notice:
    """Load one notice file and validate all of it; every problem is raised together
    (DataFileError, or DataFileErrors for several), each naming file, notice id and key."""
    content = path.read_bytes()
    data = read_yaml(path)
    r = _Reader(path.name)
    if not isinstance(data, dict):
        raise DataFileError(path.name, "通知文件须为映射")
    nid = str(data.get("id") or "")
    r.rule = nid or None
    r.keys(data, _TOP_KEYS, "")
    for key in ("id", "title", "level", "instrument", "covers", "changes"):
        if not data.get(key):
            r.problem(f"缺少顶层属性 “{key}”")
    # files are found by name in a notices folder; one about to be installed may be named freely
    if nid and nid != path.stem and path.parent.name == "notices":
        r.problem(f"文件名须与 id 一致（id 为 “{nid}”）")
    level = str(data.get("level") or "")
    if level and level not in LEVELS:
        r.problem(
            f"未知级别 “{level}”，应为 national 或 provincial", "level", did_you_mean(level, LEVELS)
        )
    province = r.text(data, "province", "")
    r.text(data, "version", "")
    if level == "provincial" and not province:
        r.problem("省级通知须写 province（与省级规则的 province 相同）")
    if level == "national" and province:
        r.problem("国家级通知不写 province", "province")
    instrument = _instrument(r, data.get("instrument"))
    covers = _covers(r, data.get("covers"))
    changes = _changes(r, data.get("changes"))
    unverified = r.text(data, "unverified", "")
    if instrument is not None and instrument.grade.startswith("UNVERIFIED") and not unverified:
        unverified = "来源未核实"
    notice = Notice(
        id=nid,
        title=str(data.get("title") or "").strip(),
        level=level,
        province=province,
        instrument=instrument or Instrument("", "", None, "UNVERIFIED"),
        covers=covers,
        changes=changes,
        unverified=unverified,
        note=r.text(data, "note", "") or "",
        file=path.name,
        hash=hashlib.sha256(content).hexdigest(),
    )
    for index, change in enumerate(notice.changes):
        rulebook = load_rulebook(change.rulebook)
        if not any(c.tier == rulebook.tier for c in covers):
            r.problem(
                f"changes 中的 {change.rulebook} 属于层级 {rulebook.tier}，但 covers 未包含该层级",
                "changes",
            )
            continue
        # A trial: every name the change uses is checked against the rulebook.
        _apply(rulebook, notice, change, r, f"changes[{index}]")
    raise_collected(r.problems)
    return notice


def _instrument(r: _Reader, raw: Any) -> Instrument | None:
    if raw is None or not r.keys(raw, _INSTRUMENT_KEYS, "instrument"):
        return None
    title = r.text(raw, "title", "instrument", required=True)
    number = r.text(raw, "number", "instrument", required=True)
    grade = r.grade(raw.get("grade"), "instrument.grade")
    return Instrument(
        title=title or "",
        number=number or "",
        issued=r.day(raw, "issued", "instrument"),
        grade=grade,
        link=r.text(raw, "link", "instrument") or "",
        note=r.text(raw, "note", "instrument") or "",
    )


def _covers(r: _Reader, raw: Any) -> tuple[Cover, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.problem("covers 须为列表（tier、from、until、application_types）", "covers")
        return ()
    result = []
    for index, item in enumerate(raw):
        where = f"covers[{index}]"
        if not r.keys(item, _COVER_KEYS, where):
            continue
        tier = str(item.get("tier") or "")
        if tier not in TIERS:
            r.problem(f"未知层级 “{tier}”", f"{where}.tier", did_you_mean(tier, TIERS))
        start = r.day(item, "from", where, required=True)
        end = r.day(item, "until", where)
        if start and end and end < start:
            r.problem("until 早于 from", where)
        types = r.types(item, where)
        if start and tier in TIERS and types:
            note = r.text(item, "note", where) or ""
            result.append(Cover(tier, start, end, types, note))
    return tuple(result)


def _changes(r: _Reader, raw: Any) -> tuple[Change, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.problem("changes 须为列表（每项写 rulebook 与它改变的内容）", "changes")
        return ()
    result = []
    for index, item in enumerate(raw):
        where = f"changes[{index}]"
        if not r.keys(item, _CHANGE_KEYS, where):
            continue
        rid = str(item.get("rulebook") or "")
        if rid not in list_rulebook_ids():
            r.problem(
                f"评价标准 “{rid}” 不存在",
                f"{where}.rulebook",
                did_you_mean(rid, list_rulebook_ids()),
            )
            continue
        result.append(
            Change(
                rulebook=rid,
                settings=_setting_changes(r, item.get("settings"), f"{where}.settings"),
                wording=_wording_changes(r, item.get("wording"), f"{where}.wording"),
                fields=_field_changes(r, item.get("fields"), f"{where}.fields"),
                exempt=_exemptions(r, item.get("exempt"), f"{where}.exempt"),
                add=tuple(_list(r, item.get("add"), f"{where}.add")),
                verdict_add=tuple(str(x) for x in _list(r, item.get("verdict_add"), where)),
            )
        )
    return tuple(result)


def _list(r: _Reader, raw: Any, where: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        r.problem("应为列表", where)
        return []
    return raw


def _setting_changes(r: _Reader, raw: Any, where: str) -> tuple[SettingChange, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        r.problem("settings 应为映射（设置名: true/false）", where)
        return ()
    result = []
    for name, spec in raw.items():
        here = f"{where}.{name}"
        if isinstance(spec, bool):
            result.append(SettingChange(str(name), spec))
            continue
        if not isinstance(spec, dict):
            r.problem("value 应写 true 或 false（或写成 {value, clause, unverified}）", here)
            continue
        if not r.keys(spec, _SETTING_KEYS, here):
            continue
        value = spec.get("value")
        if not isinstance(value, bool):
            r.problem("value 应写 true 或 false", here)
            continue
        clause = r.text(spec, "clause", here) or ""
        result.append(SettingChange(str(name), value, clause, r.text(spec, "unverified", here)))
    return tuple(result)


def _wording_changes(r: _Reader, raw: Any, where: str) -> tuple[WordingChange, ...]:
    result = []
    for index, item in enumerate(_list(r, raw, where)):
        here = f"{where}[{index}]"
        if not r.keys(item, _WORDING_KEYS, here):
            continue
        criterion = r.text(item, "criterion", here, required=True)
        texts = item.get("texts") or {}
        if not isinstance(texts, dict):
            r.problem("texts 应为映射（字段名: 提问原文）", f"{here}.texts")
            texts = {}
        if criterion:
            result.append(
                WordingChange(
                    criterion,
                    r.text(item, "clause", here),
                    tuple((str(k), str(v).strip()) for k, v in texts.items()),
                    r.text(item, "source", here),
                    r.text(item, "unverified", here),
                )
            )
    return tuple(result)


def _field_changes(
    r: _Reader, raw: Any, where: str
) -> tuple[tuple[str, str | None, str | None], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        r.problem("fields 应为映射（字段名: {label, help}）", where)
        return ()
    result = []
    for key, spec in raw.items():
        here = f"{where}.{key}"
        if r.keys(spec, _FIELD_KEYS, here):
            result.append((str(key), r.text(spec, "label", here), r.text(spec, "help", here)))
    return tuple(result)


def _exemptions(r: _Reader, raw: Any, where: str) -> tuple[Exemption, ...]:
    result = []
    for index, item in enumerate(_list(r, raw, where)):
        here = f"{where}[{index}]"
        if not r.keys(item, _EXEMPT_KEYS, here):
            continue
        criterion = r.text(item, "criterion", here, required=True)
        note = r.text(item, "note", here, required=True)
        types = r.types(item, here)
        if criterion and note and types:
            result.append(Exemption(criterion, types, note))
    return tuple(result)


# --------------------------------------------------------------------------------------------
# Selection and application
# --------------------------------------------------------------------------------------------


def select_notices(
    rulebook: Rulebook, round_date: date, application_type: str = "new"
) -> list[Notice]:
    """The notices that govern a round judged by this rulebook: national ones by the round's
    date, a province's only with an overlay of that province; ordered by date and id."""
    province = rulebook.overlay.province if rulebook.overlay is not None else None
    found = [
        notice
        for notice in load_all_notices()
        if notice.change_for(rulebook.id) is not None
        and notice.covers_round(rulebook.tier, round_date, application_type)
        and (notice.level == "national" or notice.province == province)
    ]
    return sorted(found, key=lambda n: (n.instrument.issued or date.min, n.id))


def apply_notices(rulebook: Rulebook, notices: list[Notice]) -> Rulebook:
    """The effective rulebook: ``rulebook`` with what each notice changes in it applied, in
    order; the notices are recorded on it (``Rulebook.notices``) and in its hash."""
    if not notices:
        return rulebook
    r = _Reader("")
    for notice in notices:
        change = notice.change_for(rulebook.id)
        if change is None:
            continue
        r.file, r.rule = notice.file, notice.id
        rulebook = _apply(rulebook, notice, change, r)
    raise_collected(r.problems)
    return rulebook


def _apply(
    rulebook: Rulebook, notice: Notice, change: Change, r: _Reader, where: str = "changes"
) -> Rulebook:
    """``rulebook`` with one notice's change applied; problems recorded in ``r``."""
    before = len(r.problems)
    settings = dict(rulebook.settings)
    for item in change.settings:
        setting = settings.get(item.name)
        if setting is None:
            r.problem(
                f"{rulebook.id} 没有批次设置 “{item.name}”",
                f"{where}.settings",
                did_you_mean(item.name, settings),
            )
            continue
        if any(
            q.alt is not None and q.alt[0] == item.name for q in rulebook.quantities.defs.values()
        ):
            r.problem(f"批次设置 “{item.name}” 决定指标口径，通知不能改变它", f"{where}.settings")
            continue
        settings[item.name] = replace(setting, default=item.value)
    criteria = {c.id: c for c in rulebook.criteria}
    order = [c.id for c in rulebook.criteria]
    for wording in change.wording:
        c = criteria.get(wording.criterion)
        if c is None:
            r.problem(
                f"{rulebook.id} 没有条目 “{wording.criterion}”",
                f"{where}.wording",
                did_you_mean(wording.criterion, criteria),
            )
            continue
        cond = c.cond
        for name, text in wording.texts:
            retexted = _retext(cond, name, text) if cond is not None else None
            if retexted is None:
                r.problem(f"{c.id} 的条件中没有字段 “{name}”", "changes.wording.texts")
                continue
            cond = retexted
        derived = c.cond is not None and c.requirement == c.cond.requirement()
        # The clause is now the notice's: its grade, and what of it is unverified, with it.
        doubts = (
            c.unverified,
            wording.unverified or (notice.unverified if wording.clause else None),
        )
        unverified = "；".join(dict.fromkeys(x for x in doubts if x)) or None
        criteria[c.id] = replace(
            c,
            clause=wording.clause or c.clause,
            source=wording.source or c.source,
            grade=notice.grade if wording.clause else c.grade,
            cond=cond,
            requirement=cond.requirement() if derived and cond is not None else c.requirement,
            unverified=unverified,
        )
    for ex in change.exempt:
        c = criteria.get(ex.criterion)
        if c is None:
            r.problem(
                f"{rulebook.id} 没有条目 “{ex.criterion}”",
                f"{where}.exempt",
                did_you_mean(ex.criterion, criteria),
            )
        elif c.not_applicable is not None:
            r.problem(f"{c.id} 已有不适用规则，通知不能再加", f"{where}.exempt")
        else:
            na = NotApplicable(ex.application_types, None, ex.note)
            criteria[c.id] = replace(c, not_applicable=na)
    catalogue, quantities = rulebook.catalogue, rulebook.quantities
    if change.fields:
        fields = dict(catalogue.fields)
        quantities = copy.copy(quantities)
        quantities.defs = dict(quantities.defs)
        for key, label, help_text in change.fields:
            spec = fields.get(key)
            if spec is None:
                r.problem(f"未知字段 “{key}”", f"{where}.fields", did_you_mean(key, fields))
                continue
            spec = replace(spec, label=label or spec.label, help=help_text or spec.help)
            fields[key] = spec
            quantities.defs[key] = replace(
                quantities.defs[key], label=spec.relative_label(), spec=spec
            )
        catalogue = replace(catalogue, fields=fields)
        quantities.catalogue = catalogue
    titles = {cid: c.title for cid, c in criteria.items()}
    added = _added_criteria(rulebook, notice, change, r, titles, where)
    for c in added:
        criteria[c.id] = c
        order.append(c.id)
    verdict = rulebook.verdict
    for cid in change.verdict_add:
        if cid not in criteria:
            r.problem(
                f"verdict_add 中的条目 “{cid}” 不存在",
                f"{where}.verdict_add",
                did_you_mean(cid, criteria),
            )
        else:
            verdict = AllOf([verdict, CriterionRef(cid, criteria[cid].title)])
    if len(r.problems) > before:
        return rulebook
    ordered = [criteria[cid] for cid in order]
    digest = hashlib.sha256(f"{rulebook.hash}\n{notice.id}\n{notice.hash}".encode()).hexdigest()
    applied = AppliedNotice(notice, change)
    result = replace(
        rulebook,
        settings=settings,
        criteria=ordered,
        catalogue=catalogue,
        quantities=quantities,
        verdict=verdict,
        hash=digest,
        notices=(*rulebook.notices, applied),
        by_id={c.id: c for c in ordered},
        result_heads=result_heads_of(ordered, rulebook.groups),
        deciders=dict(rulebook.deciders),
        verdict_decider=verdict.decider(),
    )
    for c in added:
        assert c.cond is not None
        result.deciders[c.id] = (False, c.cond.decider())
    return result


def _added_criteria(
    rulebook: Rulebook,
    notice: Notice,
    change: Change,
    r: _Reader,
    titles: dict[str, str],
    where: str = "changes",
) -> list[CriterionDef]:
    """The criteria a notice adds (requirements only: a notice adds no points)."""
    groups = {g.id: g.title for g in rulebook.groups.values()}
    entries = [e for e in change.add if isinstance(e, dict)]
    if len(entries) != len(change.add):
        r.problem(
            "add 的每一项须为映射（id、title、group、clause、source、grade、require）",
            f"{where}.add",
        )
    for entry in entries:
        titles.setdefault(str(entry.get("id")), str(entry.get("title") or ""))
    parser = Parser(notice.file, rulebook.quantities, titles, groups, rulebook.pass_line)
    result = []
    for index, entry in enumerate(entries):
        here = f"{where}.add[{index}]"
        r.keys(entry, _ADDED_KEYS, here)
        cid = r.text(entry, "id", here, required=True)
        if cid and cid in rulebook.by_id:
            r.problem(f"条目 id “{cid}” 已在 {rulebook.id} 中", here)
            continue
        values = {
            k: r.text(entry, k, here, required=True) for k in ("title", "group", "clause", "source")
        }
        grade = r.grade(entry.get("grade"), f"{here}.grade")
        if values["group"] and values["group"] not in groups:
            r.problem(
                f"未知分组 “{values['group']}”",
                f"{here}.group",
                did_you_mean(values["group"], groups),
            )
            continue
        if "require" not in entry:
            r.problem("须写 require（条件）", here)
            continue
        parser.rule = cid or ""
        try:
            cond = parser.condition(entry["require"])
        except DataFileError as exc:
            r.problems.extend(exc.problems)
            continue
        if not cid or not all(values.values()):
            continue
        unverified = r.text(entry, "unverified", here)
        result.append(
            CriterionDef(
                id=cid,
                title=values["title"] or "",
                group=values["group"] or "",
                kind=CriterionKind.REQUIREMENT,
                clause=values["clause"] or "",
                source=values["source"] or "",
                grade=grade,
                unverified=unverified or ("来源未核实" if grade.startswith("UNVERIFIED") else None),
                requirement=cond.requirement(),
                cond=cond,
                judgement=cond.judgemental(),
                notes=tuple(str(n) for n in entry.get("notes") or ()),
                references=frozenset(parser.references),
            )
        )
    return result


def _retext(cond: Cond, name: str, text: str) -> Cond | None:
    """A copy of ``cond`` whose tests of ``name`` ask ``text``; None when none tests it."""
    if isinstance(cond, Leaf):
        if cond.name != name:
            return None
        leaf = copy.copy(cond)
        leaf.text = text
        leaf._requirement = None
        return leaf
    if isinstance(cond, _Junction):
        items = [_retext(item, name, text) for item in cond.items]
        if all(item is None for item in items):
            return None
        junction = copy.copy(cond)
        junction.items = [new or old for new, old in zip(items, cond.items, strict=True)]
        junction._requirement = None
        return junction
    return None  # other forms (cases, references) hold no question a notice rewords today


# --------------------------------------------------------------------------------------------
# What an evaluation records
# --------------------------------------------------------------------------------------------


def notice_records(rulebook: Rulebook) -> tuple[dict[str, Any], ...]:
    """The notices applied to an effective rulebook, as kept with each evaluation."""
    return tuple(applied.record() for applied in rulebook.notices)


def setting_records(
    rulebook: Rulebook, overrides: dict[str, bool] | None = None
) -> tuple[dict[str, Any], ...]:
    """The settings a notice or the round fixed, each with its value and where it came from:
    ``notice`` (the notice's value, ⚠ when unverified) or ``override`` (the round changed it,
    with the value it overrode). Settings left at the rulebook's default are not listed."""
    overrides = overrides or {}
    by_notice: dict[str, tuple[Notice, SettingChange]] = {}
    for applied in rulebook.notices:
        for item in applied.change.settings:
            by_notice[item.name] = (applied.notice, item)
    result = []
    for name, setting in rulebook.settings.items():
        if name not in by_notice and name not in overrides:
            continue
        notice, item = by_notice.get(name, (None, None))
        value = overrides.get(name, setting.default)
        overridden = name in overrides
        result.append(
            {
                "name": name,
                "label": setting.label,
                "value": value,
                "source": "override" if overridden else "notice",
                "notice": notice.instrument.number if notice else None,
                "notice_value": item.value if item else None,
                "round_default": setting.default,  # without an override: the notice's or rulebook's
                "unverified": item.unverified if item and not overridden else None,
            }
        )
    return tuple(result)


def describe_setting(record: dict[str, Any]) -> str:
    """One Chinese line for a setting record: its value and where the value came from."""
    state = "启用" if record["value"] else "关闭"
    text = f"{record['label']}：{state}"
    if record["source"] == "override":
        base = record["notice"] or "评价标准默认"
        before = "启用" if record["round_default"] else "关闭"
        text += f"（本批次改定；{base}为{before}）"
    else:
        text += f"（{record['notice']}）"
        if record.get("unverified"):
            text += f" ⚠未核实：{record['unverified']}"
    return text


def describe_notice(record: dict[str, Any]) -> str:
    """One Chinese line naming a notice record: number, title, grade, ⚠ when unverified."""
    grade = "未核实" if str(record["grade"]).startswith("UNVERIFIED") else record["grade"]
    text = f"{record['number']}《{record['title']}》（{grade}）"
    if record.get("province"):
        text = f"{record['province']} {text}"
    if record.get("unverified"):
        text += " ⚠未核实"
    return text
