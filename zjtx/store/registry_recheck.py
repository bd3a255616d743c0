"""Rounds still open checked again against the register when it changes (a list imported, a
title revoked, a code given, a round marked 认定): their applicants' register warnings follow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select, update
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.issue_codes import issue_code
from zjtx.domain.issues import is_acknowledged, issue_key
from zjtx.domain.labels import Decision
from zjtx.domain.names import normalise_name
from zjtx.store import codec
from zjtx.store.bulk import insert_many
from zjtx.store.common import undecodable_versions, version_part
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluator,
    ImportFile,
    RegistryEntry,
    Review,
    ReviewItem,
    Round,
)
from zjtx.store.registry_checks import (
    FIELD_TITLE,
    REGISTRY_CHECKS,
    SUGGESTION_END,
    PublishedSpan,
    RoundChecker,
    entries_by_applicant,
    published_spans,
)

PREFIX = "registry-"
CHUNK = 1000  # applicants read per query
# What a recheck of every open round says when no warning changed.
NOTHING_CHANGED = "已按现行培育库重新核对全部未归档的批次：培育库提示均无变化"
# What to do about a version a recheck passed by: it cannot be mended by checking again.
DAMAGED_REMEDY = "请联系技术支持检查数据库，修复后再重新核对"
# The values the register's checks read (of each applicant's current version).
_READ = ("name", "uscc", "application_type", *FIELD_TITLE)


@dataclass(frozen=True, slots=True)
class RoundRecheck:
    """What checking one open round again did: warnings added and withdrawn, on how many
    applicants, and the 推荐 decisions that now need a second look (names)."""

    round_name: str
    applicants: int
    added: int
    withdrawn: int
    recommended: tuple[str, ...]
    reworded: int = 0  # warnings kept with another record's year or validity in their text
    ids: frozenset[int] = frozenset()  # the applicants changed (several lists: counted once)
    # Versions whose stored data are damaged, passed by (version_part's words for each).
    damaged: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "applicants": self.applicants,
            "added": self.added,
            "withdrawn": self.withdrawn,
            "reworded": self.reworded,
            "recommended_to_review": list(self.recommended),
            "damaged": list(self.damaged),
            "summary": self.summary(),
        }

    def summary(self) -> str:
        """One Chinese sentence, e.g. 批次 “2026专精特新”：2 家企业的培育库提示有变化（新增 2 条）."""
        changes = [f"新增 {self.added} 条"] if self.added else []
        if self.withdrawn:
            changes.append(f"撤除 {self.withdrawn} 条")
        if self.reworded:
            changes.append(f"内容更新 {self.reworded} 条")
        said = []
        if self.applicants:
            text = f"{self.applicants} 家企业的培育库提示有变化" + (
                f"（{'，'.join(changes)}）" if changes else ""
            )
            if self.recommended:
                text += (
                    f"，其中 {len(self.recommended)} 家已决定“{Decision.RECOMMEND.label}”，需复核："
                    + "、".join(self.recommended)
                )
            said.append(text)
        if self.damaged:
            said.append(
                f"{len(self.damaged)} 家企业的数据在数据库中已损坏，未能核对："
                + "、".join(self.damaged)
                + f"（{DAMAGED_REMEDY}）"
            )
        return f"批次 “{self.round_name}”：" + "；".join(said)


def merged(rechecks: Iterable[RoundRecheck]) -> tuple[RoundRecheck, ...]:
    """One recheck per round of several (lists imported one after another): the counts
    summed, the 推荐 to look at again named once each, in the order first met."""
    by_round: dict[str, RoundRecheck] = {}
    for r in rechecks:
        seen = by_round.get(r.round_name)
        if seen is None:
            by_round[r.round_name] = r
            continue
        ids = seen.ids | r.ids
        by_round[r.round_name] = RoundRecheck(
            r.round_name,
            len(ids) if ids else seen.applicants + r.applicants,
            seen.added + r.added,
            seen.withdrawn + r.withdrawn,
            tuple(dict.fromkeys((*seen.recommended, *r.recommended))),
            seen.reworded + r.reworded,
            ids,
            tuple(dict.fromkeys((*seen.damaged, *r.damaged))),
        )
    return tuple(by_round.values())


@dataclass(frozen=True, slots=True)
class Touched:
    """The enterprises a change of the register concerns: by 统一社会信用代码 and by
    normalised name (an entry without a code matches by name)."""

    usccs: frozenset[str]
    name_keys: frozenset[str]

    def covers(self, name: str, uscc: str) -> bool:
        return uscc in self.usccs or normalise_name(name) in self.name_keys


def recheck_after_change(
    session: Session,
    actor: Evaluator,
    now: datetime,
    rows: Iterable[Mapping[str, Any]],
    spans_before: frozenset[PublishedSpan] | None = None,
) -> tuple[RoundRecheck, ...]:
    """Recheck the open rounds after the register gained ``rows`` (new entry states, as
    inserted): the applicants of those enterprises, or every applicant when a published list
    of a title and year not held before was entered (absence from the register may then be
    checked where it was not: the lists a round's year needs are all there).
    ``spans_before``: the published lists before a list was entered (None: the change gave
    new states to entries already on record, which brings no new list)."""
    rows = list(rows)
    if not rows:
        return ()
    touched = None
    if spans_before is None or published_spans(session) <= spans_before:
        touched = Touched(
            frozenset(str(r["uscc"]) for r in rows if r.get("uscc")),
            frozenset(str(r["name_key"]) for r in rows),
        )
    return tuple(recheck_open_rounds(session, actor, now, touched))


def recheck_open_rounds(
    session: Session,
    actor: Evaluator,
    now: datetime,
    touched: Touched | None,
    only: Round | None = None,
) -> list[RoundRecheck]:
    """Check the rounds not archived again against the register as it now stands (in the
    session that changed it): each applicant whose register warnings differ gets them in
    place of the old ones on its current version, with an audit event; a version gaining a
    warning is stamped, so a 推荐 decided before it reads 需复核 (until only acknowledged
    warnings remain). ``touched``: the enterprises the change concerns (None: every
    applicant, as when a title is first on record; each round is then marked checked by
    these checks). ``only``: that round alone. Rounds with no change are left out of the
    result."""
    if only is not None:
        rounds: Sequence[Round] = [only]
    else:
        rounds = session.scalars(
            select(Round).where(Round.archived_at.is_(None)).order_by(Round.id)
        ).all()
    spans = published_spans(session)
    done = []
    for round_row in rounds:
        # No near-name hints: a scan each, and a hint is no reason to rewrite a warning.
        checker = RoundChecker(session, round_row, spans, suggest=False)
        checked = _recheck(session, round_row, checker, actor, now, touched)
        if checked is not None:
            done.append(checked)
        # Stamped even when a damaged version was passed by: no recheck can mend it, and
        # each recheck names it again.
        if touched is None and round_row.registry_checks != REGISTRY_CHECKS:
            round_row.registry_checks = REGISTRY_CHECKS
    return done


def recheck_due(session: Session, round_row: Round) -> str | None:
    """Why the round's register warnings should be checked again (they were given by an
    older version of the checks), or None: not for an archived round, one with no applicant,
    or while the register is empty (no check could have warned)."""
    if round_row.archived_at is not None:
        return None
    checks = round_row.registry_checks
    if checks is not None and checks >= REGISTRY_CHECKS:
        return None
    if (
        session.scalar(select(Applicant.id).where(Applicant.round_id == round_row.id).limit(1))
        is None
    ):
        return None
    if session.scalar(select(RegistryEntry.id).limit(1)) is None:
        return None
    return "本批次的培育库提示由较早版本的 zjtx 核对得出，此后核对规则已有更新"


def _recheck(
    session: Session,
    round_row: Round,
    checker: RoundChecker,
    actor: Evaluator,
    now: datetime,
    touched: Touched | None,
) -> RoundRecheck | None:
    ids = [
        owner
        for owner, name, uscc in session.execute(
            select(Applicant.id, Applicant.name, Applicant.uscc).where(
                Applicant.round_id == round_row.id
            )
        )
        if touched is None or touched.covers(name, uscc)
    ]
    if not ids:
        return None
    rows = []
    damaged: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        try:
            rows += _read(session, Applicant.id.in_(chunk))
        except ValueError:  # a JSON text the driver could not decode, nobody knows whose
            # Those versions are passed by and named; the rest of the chunk is checked.
            bad = undecodable_versions(session, Applicant.id.in_(chunk))
            if not bad:
                raise  # not a JSON text after all: the driver's error, unexplained
            damaged |= {owner: version_part(*found[:4]) for owner, found in bad.items()}
            rows += _read(session, Applicant.id.in_([i for i in chunk if i not in bad]))
    rows.sort(key=lambda row: row[0])
    applicants = {}
    for row in rows:
        try:
            applicants[row[0]] = _applicant(*row[5:9])  # values, provenance, source, issues
        except _Damaged as exc:
            damaged[row[0]] = version_part(row[1], row[2], row[4], exc.what)
    rows = [row for row in rows if row[0] in applicants]
    found = entries_by_applicant(session, list(applicants.values()))
    acknowledged: dict[int, set[str]] = defaultdict(set)
    for owner, target in session.execute(
        select(Review.applicant_id, ReviewItem.target)
        .join(ReviewItem, ReviewItem.review_id == Review.id)
        .join(Applicant, Applicant.id == Review.applicant_id)
        .where(Applicant.round_id == round_row.id, ReviewItem.kind == "warning")
    ):
        acknowledged[owner].add(target)
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    added = withdrawn = 0
    recommended: list[str] = []
    reworded = 0
    for owner, name, uscc, version_id, _, _, _, _, issues, file_name, warned_at in rows:
        applicant = applicants[owner]
        issues = issues or []
        old = [i for i in issues if str(i.get("code", "")).startswith(PREFIX)]
        new = _keeping_hints(
            old, [i.to_dict() for i in checker.check(applicant, found.get(applicant.uscc, []),
                                                     file_name)]
        )  # fmt: skip
        if new == old:
            continue
        # By code and field: the same warning reworded (a record's validity changed) is
        # neither added nor withdrawn.
        before = {(i.get("code"), i.get("field")) for i in old}
        after = {(i["code"], i["field"]) for i in new}
        gained, lost = after - before, before - after
        if not gained and not lost:
            reworded += sum(1 for i in new if i not in old)
        kept = [i for i in issues if not str(i.get("code", "")).startswith(PREFIX)]
        stored = kept + new
        updates.append(
            {
                "version_id": version_id,
                "new_issues": stored,
                "new_warnings": sum(1 for i in stored if i.get("severity") == "warning"),
                # A 推荐 decided before a warning gained needs a second look; once the
                # register has withdrawn every warning not acknowledged, it stands again.
                "new_warned_at": now
                if gained
                else warned_at
                if any(not is_acknowledged(issue_key(i), acknowledged[owner]) for i in new)
                else None,
            }
        )
        if gained and uscc in checker.recommended:
            recommended.append(name)
        added += len(gained)
        withdrawn += len(lost)
        events.append(
            {
                "at": now,
                "actor": actor.name,
                "action": "registry-recheck",
                "entity": "applicant_version",
                "entity_id": version_id,
                "round_id": round_row.id,
                "applicant_id": owner,
                "uscc": uscc,
                "before": {"codes": sorted({str(i.get("code")) for i in old})},
                "after": {
                    "codes": sorted({i["code"] for i in new}),
                    "added": sorted({str(code) for code, _ in gained}),
                    "withdrawn": sorted({str(code) for code, _ in lost}),
                },
                "reason": None,
            }
        )
    if not updates and not damaged:
        return None
    if updates:
        _store(session, updates)
        insert_many(session, AuditEvent, events)
    return RoundRecheck(
        round_row.name, len(updates), added, withdrawn, tuple(recommended), reworded,
        frozenset(e["applicant_id"] for e in events),
        tuple(damaged[owner] for owner in sorted(damaged)),
    )  # fmt: skip


def _keeping_hints(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The new warnings, each as stored before where only a near-name hint (given when the
    file was imported, not on a recheck) tells them apart."""
    stored = {(i.get("code"), i.get("field"), _without_hint(str(i.get("message")))): i for i in old}
    return [stored.get((i["code"], i["field"], i["message"]), i) for i in new]


def _without_hint(message: str) -> str:
    start = message.find("；名称相近的有")
    end = message.find(SUGGESTION_END, start)
    if start < 0 or end < 0:
        return message
    return message[:start] + message[end + len(SUGGESTION_END) :]


def _read(session: Session, which: ColumnElement[bool]) -> list[Any]:
    """The current versions of the applicants ``which`` selects, as columns (not ORM rows:
    thousands of versions are read and few of them rewritten)."""
    query = (
        select(Applicant.id, Applicant.name, Applicant.uscc, ApplicantVersion.id,
               ApplicantVersion.number, ApplicantVersion.values, ApplicantVersion.provenance,
               ApplicantVersion.source, ApplicantVersion.issues, ImportFile.file_name,
               ApplicantVersion.warned_at)
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .join(ImportFile, ImportFile.id == ApplicantVersion.import_file_id)
        .where(which)
    )  # fmt: skip
    return list(session.execute(query).all())


def _store(session: Session, updates: list[dict[str, Any]]) -> None:
    """Write the new issues of the versions rechecked (one statement, many parameter sets)."""
    table = ApplicantVersion.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("version_id"))
        .values(
            issues=bindparam("new_issues"),
            warnings=bindparam("new_warnings"),
            warned_at=bindparam("new_warned_at", type_=table.c.warned_at.type),
        )
    )
    session.connection().execute(statement, updates)


# What decoding a part of a stored version raises when the part is damaged.
_UNREADABLE = (ValueError, TypeError, KeyError, IndexError, ArithmeticError, AttributeError)


class _Damaged(Exception):
    """A version whose stored data cannot be read; ``what`` is the part (字段值, 导入提示...)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _applicant(values: Any, provenance: Any, source: Any, issues: Any) -> DomainApplicant:
    """The part of a stored version the checks read: the values above and their cells
    (_Damaged when a part of the version cannot be read)."""
    if not isinstance(values, dict):
        raise _Damaged("字段值")
    if not isinstance(provenance, dict):
        raise _Damaged("字段来源")
    if issues is not None and not (
        isinstance(issues, list) and all(isinstance(i, dict) for i in issues)
    ):
        raise _Damaged("导入提示")
    # Each part decoded on its own, so that what is named is the part damaged.
    try:
        cell = codec.decode_provenance(source)
    except _UNREADABLE as exc:
        raise _Damaged("申报文件位置") from exc
    try:
        cells = codec.decode_provenance_map(_cells_read(provenance))
    except _UNREADABLE as exc:
        raise _Damaged("字段来源") from exc
    try:
        read = codec.decode_values({key: values[key] for key in _READ if key in values})
    except _UNREADABLE as exc:
        raise _Damaged("字段值") from exc
    return DomainApplicant(values=read, provenance=cells, source=cell)


def _cells_read(provenance: dict[str, Any]) -> dict[str, Any]:
    """The stored provenance (codec.encode_provenance_map's form) of the values read only."""
    cells = provenance.get("$cells")
    if cells is not None:
        own = {**provenance, "$cells": {k: cells[k] for k in _READ if k in cells}}
    else:
        own = {k: v for k, v in provenance.items() if k in _READ or k.startswith("$")}
    added = provenance.get("$added")
    if added is not None:
        own["$added"] = {k: v for k, v in added.items() if k in _READ}
    return own


def summarize(after: dict) -> str:
    """The history's sentence for a registry-recheck event."""

    def titled(codes: list[str]) -> str:
        return "、".join(
            (entry.title if (entry := issue_code(code)) is not None else code) for code in codes
        )

    parts = []
    if after.get("added"):
        parts.append("新增提示 " + titled(after["added"]))
    if after.get("withdrawn"):
        parts.append("撤除提示 " + titled(after["withdrawn"]))
    return "按培育库重新核对：" + ("；".join(parts) or "提示内容更新")
