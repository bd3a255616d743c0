"""Parsing a rulebook's criteria: each entry, its not-applicable rule, and their references."""

from __future__ import annotations

from typing import Any

from zjtx.domain.results import INFO_STATE_LABELS, CriterionKind
from zjtx.scoring.conditions import Cond, CriterionRef, Manual
from zjtx.scoring.correspondence import parse_correspondence
from zjtx.scoring.definitions import (
    APPLICATION_TYPES,
    GRADES,
    CriterionDef,
    Group,
    NotApplicable,
    Setting,
)
from zjtx.scoring.errors import DataFileError, did_you_mean
from zjtx.scoring.parser import Parser, shape_of
from zjtx.scoring.score_conditions import GroupAtLeast, ScoreAtLeast

# The keys a criterion and its not_applicable mapping may have (did-you-mean candidates too).
CRITERION_KEYS = frozenset({
    "id", "title", "group", "kind", "clause", "source", "grade", "unverified", "require",
    "score", "requirement", "judgement", "not_applicable", "enabled_by_setting", "notes",
    "replaces",
})  # fmt: skip
CRITERION_REQUIRED = ("title", "group", "clause", "source", "grade")
NOT_APPLICABLE_KEYS = frozenset({"application_types", "setting", "note"})


def is_text(raw: Any) -> bool:
    """Text, or a number YAML read from text such as ``version: 2026``."""
    return isinstance(raw, str | int | float) and not isinstance(raw, bool)


def _check_grade(grade: Any, file: str, rule: str) -> str:
    text = str(grade or "").strip() if not isinstance(grade, list | dict) else ""
    head = text.split()[0] if text else ""
    if head not in GRADES:
        raise DataFileError(
            file,
            f"来源等级 “{text}” 无效，应为 {'/'.join(GRADES)}（可附说明，如 “C n=4”）",
            rule=rule or None,
            suggestion=did_you_mean(head, GRADES) if head else None,
            path="grade",
        )
    return text


def _parse_criteria(
    entries: list[Any],
    parser: Parser,
    groups: dict[str, Group],
    settings: dict[str, Setting],
    overlay: str | None,
) -> list[CriterionDef]:
    result = []
    for index, entry in enumerate(entries):
        parser.rule = ""
        parsed = parser.attempt(
            None, _parse_criterion, entry, index, parser, groups, settings, overlay
        )
        if parsed is not None:
            result.append(parsed)
    parser.rule = ""
    return result


def _parse_criterion(
    entry: Any,
    index: int,
    parser: Parser,
    groups: dict[str, Group],
    settings: dict[str, Setting],
    overlay: str | None,
) -> CriterionDef | None:
    """One criterion; its problems recorded in the parser, None when it cannot be built."""
    if not isinstance(entry, dict) or not entry.get("id") or not is_text(entry["id"]):
        parser.rule = f"criteria[{index}]"
        if isinstance(entry, dict):
            parser.check_keys(entry, CRITERION_KEYS)
        raise parser.error(f"条目须为含 id（条目编号）的映射，收到 {shape_of(entry)}")
    cid = str(entry["id"])
    parser.rule = cid
    parser.references = set()
    before = len(parser.problems)
    parser.check_keys({k: v for k, v in entry.items() if k != "_overlay"}, CRITERION_KEYS)
    for key in CRITERION_REQUIRED:
        if not entry.get(key):
            parser.problems.append(
                parser.error(f"缺少必填属性 “{key}”（每一条都须注明条款原文、来源与可信等级）")
            )
    for key in ("title", "group", "clause", "source", "requirement", "unverified"):
        if entry.get(key) is not None and not is_text(entry[key]):
            with parser.at(key):
                parser.problems.append(parser.error(f"{key} 应为文本，收到 {shape_of(entry[key])}"))
    group = str(entry.get("group") or "")
    if group and group not in groups:
        with parser.at("group"):
            parser.problems.append(parser.error(f"未知分组 “{group}”", did_you_mean(group, groups)))
    grade = parser.attempt(None, _check_grade, entry.get("grade"), parser.file, cid)
    has_cond, has_score = "require" in entry, "score" in entry
    if has_cond == has_score:
        parser.problems.append(parser.error("须写 require（条件）或 score（计分规则）之一"))
    cond = parser.attempt("require", parser.cond, entry["require"]) if has_cond else None
    score = parser.attempt("score", parser.score, entry["score"]) if has_score else None
    kind_raw = entry.get("kind") or ("score" if has_score else "requirement")
    kind = None
    try:
        kind = CriterionKind(kind_raw)
    except ValueError:
        with parser.at("kind"):
            parser.problems.append(
                parser.error(
                    f"未知类别 “{kind_raw}”",
                    did_you_mean(str(kind_raw), [k.value for k in CriterionKind]),
                )
            )
    if kind is not None and has_score != (kind == CriterionKind.SCORE):
        parser.problems.append(parser.error("计分条目须写 score 且 kind 为 score"))
    na = parser.attempt(
        "not_applicable", _not_applicable, entry.get("not_applicable"), parser, settings
    )
    enabled = entry.get("enabled_by_setting")
    if enabled is not None and (not isinstance(enabled, str) or enabled not in settings):
        with parser.at("enabled_by_setting"):
            parser.problems.append(
                parser.error(f"未知批次设置 “{enabled}”", did_you_mean(str(enabled), settings))
            )
    with parser.at("judgement"):
        flagged = parser.attempt(None, parser.flag, entry, "judgement")
    with parser.at("notes"):
        notes = entry.get("notes") or []
        if not isinstance(notes, list):
            parser.problems.append(parser.error(f"notes 应为文本列表，收到 {shape_of(notes)}"))
            notes = []
    replaces = None
    if "replaces" in entry:
        replaces = parser.attempt("replaces", parse_correspondence, entry["replaces"], parser)
    if (
        len(parser.problems) > before
        or (has_cond and cond is None)
        or (has_score and score is None)
    ):
        raise parser.give_up()
    assert grade is not None and kind is not None
    if kind == CriterionKind.INFO and cond is not None:
        _answered_as_held(cond)
    unverified = entry.get("unverified")
    if grade.startswith("UNVERIFIED") and not unverified:
        unverified = "来源未核实"
    judgement = bool(flagged) or bool(
        (cond is not None and cond.judgemental()) or (score is not None and score.judgemental())
    )
    # A scored item judged only in some data cases (the 主导产品 guard of IN22-S1, SR22-S10,
    # SD-11) is a judgement item only where they apply: elsewhere its points are computed and
    # an evaluator may override them, as before the guard. A condition with a judgement part in
    # some cases stays a judgement item throughout (its hard facts decide as computed).
    guarded = bool(
        judgement
        and not flagged
        and cond is None
        and score is not None
        and not score.judged_whatever_the_data()
    )
    requirement = str(
        entry.get("requirement") or (cond.requirement() if cond else score.describe())  # type: ignore[union-attr]
    )
    return CriterionDef(
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
        guarded=guarded,
        not_applicable=na,
        enabled_by_setting=enabled,
        notes=tuple(str(n) for n in notes),
        references=frozenset(parser.references),
        uses_score=_uses_score(cond),
        overlay=overlay,
        replaces=replaces,
    )


def _not_applicable(
    spec: Any, parser: Parser, settings: dict[str, Setting]
) -> NotApplicable | None:
    if not spec:
        return None
    if not isinstance(spec, dict):
        raise parser.error(
            f"not_applicable 须为映射（application_types、setting、note），收到 {shape_of(spec)}"
        )
    parser.check_keys(spec, NOT_APPLICABLE_KEYS)
    raw_types = spec.get("application_types") or []
    if not isinstance(raw_types, list) or any(t not in APPLICATION_TYPES for t in raw_types):
        with parser.at("application_types"):
            bad = (
                next((t for t in raw_types if t not in APPLICATION_TYPES), raw_types)
                if isinstance(raw_types, list)
                else raw_types
            )
            raise parser.error(
                f"application_types 应为 new、renewal 的列表，收到 {shape_of(bad)}",
                did_you_mean(str(bad), APPLICATION_TYPES),
            )
    setting = spec.get("setting")
    if setting is not None and (not isinstance(setting, str) or setting not in settings):
        with parser.at("setting"):
            raise parser.error(f"未知批次设置 “{setting}”", did_you_mean(str(setting), settings))
    note = parser.text(spec, "note")
    return NotApplicable(tuple(raw_types), setting, note or "本项不适用")


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


VERDICT = ""  # the referrer standing for the rulebook's verdict in referrers()


def referrers(criteria: list[CriterionDef], verdict: Cond) -> dict[str, frozenset[str]]:
    """Which criteria refer to each criterion (by ``{criterion: ID}``), VERDICT among them
    where the verdict does: an alternative (直通) can matter only through these. Every
    criterion of the rulebook has an entry, empty when nothing refers to it."""
    found: dict[str, set[str]] = {c.id: set() for c in criteria}
    for c in criteria:
        for ref in c.references:
            found.setdefault(ref, set()).add(c.id)
    stack = [verdict]
    while stack:
        cond = stack.pop()
        if isinstance(cond, CriterionRef):
            found.setdefault(cond.criterion_id, set()).add(VERDICT)
        stack.extend(cond.children())
    return {cid: frozenset(refs) for cid, refs in found.items()}


def _answered_as_held(cond: Cond) -> None:
    """An informational item's evaluator answers read 有 / 无 (INFO_STATE_LABELS), not
    符合 / 不符合."""
    if isinstance(cond, Manual):
        cond.labels = INFO_STATE_LABELS
    for child in cond.children():
        _answered_as_held(child)
