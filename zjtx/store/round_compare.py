"""A round's stored applicants scored by other rules beside its current evaluations (reads only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.labels import ApplicationType
from zjtx.domain.results import Confirmation
from zjtx.scoring import (
    TIERS,
    DataFileError,
    NoRulebookError,
    UnknownNameError,
    list_overlay_ids,
    list_rulebook_ids,
    load_rulebook,
)
from zjtx.scoring.compare import compare_rulebooks
from zjtx.scoring.errors import did_you_mean
from zjtx.scoring.what_if import Outcome, WhatIf, carry_confirmations, what_if
from zjtx.store.bulk import gc_paused
from zjtx.store.common import Cancel, Progress, find_round, round_info, stored_applicant
from zjtx.store.dto import RoundInfo
from zjtx.store.engine import Store
from zjtx.store.errors import InvalidRequestError, ReadCancelled
from zjtx.store.evaluations import confirmations_of, round_results
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
)
from zjtx.store.scoring_port import RulebookScorer

NO_OVERLAY = "none"  # compare without any provincial overlay (the round's own is dropped)
NOT_EVALUATED = "none"  # the verdict of an applicant that has no stored evaluation


@dataclass(frozen=True, slots=True)
class CompareRules:
    """What to score a round by: another rulebook (None: the round's own choice by tier and
    application type), an overlay (None: the round's own where it fits; NO_OVERLAY: none) and
    settings that override the round's."""

    rulebook: str | None = None
    overlay: str | None = None
    settings: Mapping[str, bool] = field(default_factory=dict)
    cross_tier: bool = False  # a rulebook of another tier is compared only when asked


@dataclass(frozen=True, slots=True)
class RoundComparison:
    """A round's current evaluations beside an evaluation by other rules."""

    round_name: str
    round_date: date
    tier: str
    current: str  # the current rules in words
    target: str  # the compared rules in words
    result: WhatIf
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `zjtx round compare --json`."""
        return {
            "round": self.round_name,
            "round_date": self.round_date.isoformat(),
            "tier": self.tier,
            "current": self.current,
            "compared": self.target,
            "notes": list(self.notes),
            **self.result.to_dict(),
        }


def _describe(rulebooks: Mapping[str, str], overlay: str | None, settings: Mapping[str, bool]):
    parts = ["、".join(f"{rid}（{kind}）" if kind else rid for rid, kind in rulebooks.items())]
    if overlay:
        parts.append(f"省级规则 {overlay}")
    parts += [f"{k}={'true' if v else 'false'}" for k, v in settings.items()]
    return "，".join(p for p in parts if p) or "—"


def _type_of(applicant: DomainApplicant) -> str:
    value = applicant.get("application_type")
    return value if value in ("new", "renewal") else "new"


_TYPE_LABELS = ApplicationType.labels()


def _target_info(
    info: RoundInfo, rules: CompareRules, scorer: RulebookScorer
) -> tuple[RoundInfo, dict[str, Any], list[str]]:
    """The round as the comparison scores it, its rulebook per application type, and notes.

    Bad names are InvalidRequestErrors naming them with the closest valid one.
    """
    notes: list[str] = []
    if rules.rulebook is not None:
        ids = list_rulebook_ids()
        if rules.rulebook not in ids:
            raise InvalidRequestError(str(UnknownNameError("评价标准", rules.rulebook, ids)))
        book = load_rulebook(rules.rulebook)
        if book.tier != info.tier and not rules.cross_tier:
            same = [rid for rid in ids if load_rulebook(rid).tier == info.tier]
            raise InvalidRequestError(
                f"评价标准 {rules.rulebook} 属于“{TIERS.get(book.tier, book.tier)}”，"
                f"本批次是“{TIERS.get(info.tier, info.tier)}”；同层级可比较的标准："
                f"{'、'.join(same) or '无'}。如确要跨层级比较，请允许跨层级（命令行加 --cross-tier）"
            )
    overlay = info.overlay if rules.overlay is None else rules.overlay
    if rules.overlay not in (None, NO_OVERLAY):
        overlays = list_overlay_ids()
        if rules.overlay not in overlays:
            raise InvalidRequestError(str(UnknownNameError("省级规则", rules.overlay, overlays)))
    if overlay == NO_OVERLAY:
        overlay = None
    target = replace(info, rulebook=rules.rulebook or info.rulebook, overlay=overlay)
    books, problems = _rulebooks(scorer, target)
    if not books and rules.overlay is None and overlay is not None:
        # The round's own overlay extends the round's rulebook, not the compared one.
        notes.append(f"省级规则 {overlay} 不适用于比较的评价标准，比较时不使用")
        target = replace(target, overlay=None)
        books, problems = _rulebooks(scorer, target)
    if not books:
        raise InvalidRequestError("；".join(dict.fromkeys(problems)))
    known = {name: s.label for book in books.values() for name, s in book.settings.items()}
    for name in rules.settings:
        if name not in known:
            hint = did_you_mean(name, known)
            available = "、".join(f"{k}（{v}）" for k, v in known.items()) or "无"
            raise InvalidRequestError(
                f"比较的评价标准没有设置 “{name}”"
                + (f"，您是不是要写 “{hint}”？" if hint else "；")
                + f"可用设置：{available}"
            )
    kept = {k: v for k, v in info.settings.items() if k in known}
    for name in info.settings:
        if name not in known and name not in rules.settings:
            notes.append(f"批次设置 {name} 不属于比较的评价标准，比较时不使用")
    target = replace(target, settings={**kept, **dict(rules.settings)})
    scorer.check_round(target)  # a value that is not true or false
    if rules.rulebook:
        outside = [
            _TYPE_LABELS[kind]
            for kind, book in books.items()
            if not book.applies_to(info.round_date, kind)
        ]
        if outside:
            notes.append(
                f"{rules.rulebook} 的适用范围不含本批次日期 {info.round_date.isoformat()} 的"
                f"{'、'.join(outside)}，仍按批次日期与当年的通知评价"
            )
    return target, books, notes


def _rulebooks(scorer: RulebookScorer, info: RoundInfo) -> tuple[dict[str, Any], list[str]]:
    books: dict[str, Any] = {}
    problems: list[str] = []
    for kind in ("new", "renewal"):
        probe = DomainApplicant(values={"application_type": kind})
        try:
            books[kind] = scorer.rulebook_for(probe, info)
        except (NoRulebookError, UnknownNameError, DataFileError) as exc:
            problems.append(str(exc))
    return books, problems


def check_rules(store: Store, round_name: str, rules: CompareRules) -> RoundInfo:
    """The round as the comparison would score it; InvalidRequestError for a bad name."""
    with store.session() as session:
        info = round_info(find_round(session, round_name), "")
    return _target_info(info, rules, RulebookScorer())[0]


def _links(before: str, after: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The criteria correspondence of two rulebooks, and its unchanged pairs (old -> new)."""
    if before == after:
        return [], {}
    try:
        pairs = compare_rulebooks(before, after)
    except (UnknownNameError, DataFileError):  # a rulebook no longer installed
        return [], {}
    links = [(p.old.id, p.new.id) for p in pairs if p.old is not None and p.new is not None]
    same = {p.old.id: p.new.id for p in pairs if p.how == "same" and p.old and p.new}
    return links, same


def compare_round(
    store: Store,
    round_name: str,
    rules: CompareRules,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> RoundComparison:
    """Score the round's applicants (current data versions and confirmations) by ``rules`` and
    set the result beside their current stored evaluations. Nothing is written.

    The round is read with a few whole-round queries; ``progress(done, total)`` follows the
    scoring and ``cancel`` is polled between applicants (ReadCancelled).
    """
    scorer = RulebookScorer()
    with gc_paused(), store.session() as session:
        round_row = find_round(session, round_name)
        info = round_info(round_row, "")
        target, books, notes = _target_info(info, rules, scorer)
        rows = session.execute(
            select(
                Applicant.id, Applicant.uscc, Applicant.name,
                ApplicantVersion.values, ApplicantVersion.provenance, ApplicantVersion.source,
            )
            .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
            .where(Applicant.round_id == round_row.id)
            .order_by(Applicant.id)
        ).all()  # fmt: skip
        confirmations = confirmations_of(session, round_row.id)
        stored = _stored_outcomes(session, round_row.id)
    names = {uscc: name for _, uscc, name, *_ in rows}
    before = {
        uscc: stored.get(owner, Outcome("", NOT_EVALUATED, None, ())) for owner, uscc, *_ in rows
    }
    after: dict[str, Outcome] = {}
    links: dict[tuple[str, str], list[tuple[str, str]]] = {}
    sames: dict[tuple[str, str], dict[str, str]] = {}
    dropped = 0
    for done, (owner, uscc, name, values, provenance, source) in enumerate(rows, start=1):
        if cancel is not None and cancel():
            raise ReadCancelled("已取消比较；数据库未改动")
        applicant = stored_applicant(values, provenance, source, name, uscc)
        book = books.get(_type_of(applicant))
        key = (before[uscc].rulebook, book.id if book is not None else "")
        if key not in links:
            links[key], sames[key] = _links(*key)
        carried, lost = _carried(confirmations.get(owner, ()), book, sames[key])
        dropped += len(lost)
        try:
            evaluation = scorer(applicant, target, carried)
        except (LookupError, ValueError) as exc:
            raise InvalidRequestError(f"按比较的规则无法评价企业 {name}（{uscc}）：{exc}") from None
        after[uscc] = Outcome.of_evaluation(evaluation)
        if progress is not None:
            progress(done, len(rows))
    if dropped:
        notes.append(
            f"{dropped} 项人工确认或改判所针对的条目在比较的评价标准中已改变或不存在，比较时未采用"
        )
    result = what_if(names, before, after, links)
    return RoundComparison(
        round_name=info.name,
        round_date=info.round_date,
        tier=info.tier,
        current=_describe(_used(before.values()), info.overlay, info.settings),
        target=_describe(_used(after.values()), target.overlay, target.settings),
        result=result,
        notes=tuple(notes),
    )


def _carried(
    items: list[Confirmation] | tuple[()], book: Any, same: dict[str, str]
) -> tuple[list[Confirmation], list[Confirmation]]:
    if book is None:
        return [], list(items)
    return carry_confirmations(items, book.by_id, same)


def _used(outcomes: Any) -> dict[str, str]:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.rulebook:
            counts[outcome.rulebook] = counts.get(outcome.rulebook, 0) + 1
    return {rid: f"{n} 家" if len(counts) > 1 else "" for rid, n in counts.items()}


def _stored_outcomes(session: Any, round_id: int) -> dict[int, Outcome]:
    """The current stored evaluation of every evaluated applicant, by applicant id."""
    return {owner: Outcome.of_result(result) for owner, result in round_results(session, round_id)}
