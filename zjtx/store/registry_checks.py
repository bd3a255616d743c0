"""Applicants checked against the register on import into a round (warnings registry-…), and
the evaluator taking the register's value of a declared title into the applicant's data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Issue, Severity
from zjtx.domain.labels import Decision
from zjtx.domain.names import normalise_name
from zjtx.domain.region import same_place
from zjtx.domain.registry import (
    DEFAULT_VALID_YEARS,
    HOLDING,
    HOLDS_FIELD,
    REGISTRY_SOURCE,
    RegistryLevel,
    RegistryStatus,
    RegistryTitle,
    is_valid,
)
from zjtx.store import audit, codec
from zjtx.store.common import (
    check_open,
    evaluator_row,
    field_label,
    find_applicant,
    find_round,
    round_info,
    version_applicant,
)
from zjtx.store.errors import InvalidRequestError
from zjtx.store.evaluations import Evaluations, confirmations_of, input_hash
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    Evaluation,
    RegistryEntry,
    RegistryList,
    Review,
    Round,
    utc_now,
)
from zjtx.store.registry import current_entries, current_query, share_register
from zjtx.store.registry_import import _Entry
from zjtx.store.registry_match import near_names

SUGGESTION_END = "，如为同一企业请用 zjtx registry link 确认"  # ends a near-name hint
IN_LIST_LIMIT = 2000  # beyond this many codes and names, read the whole register instead
SUGGESTION_LIMIT = 200  # applicants per file given near-name suggestions (each costs a scan)
FIELD_TITLE = {field: title.value for title, field in HOLDS_FIELD.items()}
DECLARED_CODES = ("registry-declared-contradicted", "registry-declared-not-on-record")
# The version of these checks. Raise it with any change that would give data already stored
# other warnings: a round last checked under a lower number asks to be checked again. (On a
# shared PostgreSQL every workstation should take that update: an older zjtx importing into
# a round does not lower its number.)
REGISTRY_CHECKS = 5
NAME_ONLY = "（该名单未列信用代码，按企业名称和所在地对应）"


def _describe(entry: _Entry) -> str:
    head = (
        f"{entry.year} 年{RegistryLevel.label_of(entry.level)}"
        f"{RegistryTitle.label_of(entry.title)}（{RegistryStatus.label_of(entry.status)}"
    )
    # A revoked or merely published recognition has no validity to speak of.
    text = f"{head}，有效期至 {entry.valid_until} 年）" if entry.status in HOLDING else f"{head}）"
    # Matched without a code, the record may be a namesake: the evaluator should know.
    return text if entry.uscc else text + NAME_ONLY


def _lapse(entry: _Entry) -> str:
    """Why a recognition on record is not held: revoked, only published, or expired."""
    if entry.status == RegistryStatus.REVOKED.value:
        return "该称号已撤销"
    if entry.status == RegistryStatus.PUBLICITY.value:
        return "仅见于公示名单，未见认定"
    return "已不在有效期内"


# A published list the register holds: (title, year, the year its recognitions' validity ends,
# its batch: "" for a year's whole list).
PublishedSpan = tuple[str, int, int, str]


def published_spans(session: Session) -> frozenset[PublishedSpan]:
    """The published lists imported into the register (公示、认定、复核通过名单; not a 撤销
    list, which names only what it revokes, nor a round's own 认定, which holds only what the
    bureau itself recommended): what "not on record" can be said against."""
    query = (
        select(RegistryList.title, RegistryList.year, RegistryList.valid_years, RegistryList.batch)
        .where(
            RegistryList.round_id.is_(None),
            RegistryList.status != RegistryStatus.REVOKED.value,
        )
        .distinct()
    )
    return frozenset((t, y, y + v, b or "") for t, y, v, b in session.execute(query))


def _validities(spans: frozenset[PublishedSpan], title: str) -> dict[int, set[int]]:
    """The title's imported lists: each year's validities (years a recognition stands)."""
    years: dict[int, set[int]] = defaultdict(set)
    for t, y, until, _batch in spans:
        if t == title:
            years[y].add(until - y)
    return years


def _batches(spans: frozenset[PublishedSpan], title: str, years: Sequence[int]) -> tuple:
    """((year, batches), ...) for each of ``years`` whose imported lists all name a batch (第一批):
    the year's other batches may not be in the register."""
    found: dict[int, set[str]] = defaultdict(set)
    for t, y, _until, batch in spans:
        if t == title and y in years:
            found[y].add(batch)
    return tuple((y, tuple(sorted(found[y]))) for y in years if found[y] and "" not in found[y])


@dataclass(frozen=True, slots=True)
class Vouching:
    """The published lists of a title that absence is said against in a year: ``years``, of
    those the register holds; ``missing``, the years whose list it would need too."""

    years: tuple[int, ...]
    missing: tuple[int, ...]
    # Years of ``years`` held only by batches (第一批…): ((year, (batch, ...)), ...).
    batches: tuple[tuple[int, tuple[str, ...]], ...] = ()

    @property
    def vouches(self) -> bool:
        return bool(self.years) and not self.missing


def _reckoned(lists: dict[int, set[int]]) -> set[int]:
    """The validities a year's list not imported may have: those the title's imported lists
    have (a 科技型 list valid one year asks for no list of two years back), or the default
    where none is imported."""
    return set().union(*lists.values()) if lists else {DEFAULT_VALID_YEARS}


def renewal_lists(spans: frozenset[PublishedSpan], title: str, year: int) -> Vouching:
    """A renewal in ``year`` renews a title falling due in it: the lists whose recognitions
    fall due then (list year + valid years == ``year``) can say a renewing company was never
    recognised; a list given earlier or later says nothing of it."""
    lists = _validities(spans, title)
    years = sorted(y for y, valid in lists.items() if year - y in valid)
    missing = sorted({year - v for v in _reckoned(lists)} - lists.keys())
    return Vouching(tuple(years), tuple(missing), _batches(spans, title, years))


def holding_lists(spans: frozenset[PublishedSpan], title: str, year: int) -> Vouching:
    """A title held in ``year`` was given in a year before it whose validity reaches it: only
    with the list of every such year can the register say a company holds no such title."""
    lists = _validities(spans, title)
    years = sorted(y for y, valid in lists.items() if y < year <= y + max(valid))
    missing = sorted(set(range(year - max(_reckoned(lists)), year)) - lists.keys())
    return Vouching(tuple(years), tuple(missing), _batches(spans, title, years))


def _years(years: Sequence[int]) -> str:
    return "、".join(str(y) for y in years)


def _lists(title: str, vouching: Vouching) -> str:
    """The published lists a "not on record" was said against, e.g. 培育库已导入的
    专精特新中小企业名单（2023、2024、2025 年）."""
    return f"培育库已导入的{RegistryTitle.label_of(title)}名单（{_held(vouching)}）"


def _held(vouching: Vouching) -> str:
    """The years of the lists held, each held only by batches naming them: "2023、2024 年", or
    "2023 年第一批，2024 年" (a company of 第二批 is then not on record)."""
    if not vouching.batches:
        return f"{_years(vouching.years)} 年"
    batches = dict(vouching.batches)
    return "，".join(
        f"{y} 年{'、'.join(batches[y])}" if y in batches else f"{y} 年" for y in vouching.years
    )


def absence_unchecked(
    session: Session, *, window: bool = False, round_name: str | None = None
) -> list[str]:
    """Where absence from the register went unchecked in the open rounds (``round_name``: in
    that round only, its lines not naming it, as the line above its tabs shows them), one line
    each: for a round of a title the register holds records of,
    its renewals and its title declared held; and for each other title its applicants declare
    held, whether or not the register holds records of it. A title's lists leave absence
    unchecked until those of every year that would vouch for it are imported. Nothing while
    the register is empty: then nothing is checked against it at all."""
    spans = published_spans(session)
    counts = dict(
        session.execute(
            current_query(RegistryEntry.title, func.count()).group_by(RegistryEntry.title)
        ).all()
    )
    if not counts:
        return []
    rounds = session.scalars(
        select(Round)
        .where(Round.archived_at.is_(None))
        .where(select(Applicant.id).where(Applicant.round_id == Round.id).exists())
        .where(Round.name == round_name if round_name is not None else true())
        .order_by(Round.id)
    ).all()
    declared = declared_held(session, [r.id for r in rounds])
    lines = []
    for round_row in rounds:
        tier, year = round_row.tier, round_row.round_date.year
        said: list[tuple[str, str]] = []
        if tier in counts:
            said.append(
                (
                    tier,
                    _unchecked(
                        RegistryTitle.label_of(tier),
                        counts[tier],
                        year,
                        renewal_lists(spans, tier, year),
                        holding_lists(spans, tier, year),
                    ),
                )
            )
        for title, applicants in declared.get(round_row.id, {}).items():
            if title == tier and tier in counts:
                continue  # the round's own line speaks of its title declared held
            holding = holding_lists(spans, title, year)
            if not holding.vouches:
                count = counts.get(title, 0)
                said.append((title, _declared_unchecked(title, count, applicants, holding, year)))
        head = f"批次 “{round_row.name}”：" if round_name is None else ""
        lines.extend(head + text + _where_to_import(title, window) for title, text in said if text)
    return lines


def _where_to_import(title: str, window: bool) -> str:
    if window:
        return "（可在 文件 → 培育库… → 导入名单… 导入该称号的认定名单）"
    return f"（导入名单：zjtx registry import 文件 --title {title} --year 认定年度）"


def declared_held(session: Session, round_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """For each round, the titles its applicants declare held (holds_… = 是 in their current
    data), in the titles' order, and how many applicants declare each."""
    if not round_ids:
        return {}
    fields = [(title.value, HOLDS_FIELD[title]) for title in RegistryTitle]
    # Only a held title's JSON value is asked for, not each applicant's whole data: true reads
    # as "true" on PostgreSQL and "1" on SQLite (a holds_… field is never a number).
    query = (
        select(
            Applicant.round_id,
            *(ApplicantVersion.values[field].as_string() for _title, field in fields),
        )
        .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
        .where(Applicant.round_id.in_(round_ids))
    )
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELD_TITLE.values(), 0))
    for round_id, *values in session.execute(query):
        for (title, _field), value in zip(fields, values, strict=True):
            if value in ("true", "1"):
                found[round_id][title] += 1
    return {r: {t: n for t, n in titles.items() if n} for r, titles in found.items()}


def _declared_unchecked(
    title: str, count: int, applicants: int, holding: Vouching, year: int
) -> str:
    """Where a title declared held by ``applicants`` companies of a round in ``year`` went
    unchecked: the register holds ``count`` records of it, not the lists of every year."""
    label = RegistryTitle.label_of(title)
    if count:
        wanting = f"{_years(holding.missing)} 年的" if holding.missing else f"{year} 年仍有效的"
        held = f"培育库中虽有{label} {count} 条记录，但未导入 {wanting}该称号名单"
    else:
        held = f"培育库中没有{label}的记录（未导入该称号名单）"
    return (
        f"{held}，企业不在库中不能说明其未获该称号，故对申报已获{label}称号的 {applicants} 家"
        "企业未作“没有记录”的提示"
    )


def _unchecked(label: str, count: int, year: int, renewal: Vouching, holding: Vouching) -> str:
    """Where absence went unchecked in a round of the title in ``year``, or "" (nowhere)."""
    if renewal.vouches and holding.vouches:
        return ""
    # Without the list of a year, a company missing from the register may be on it.
    why = "企业不在库中不能说明其未获该称号，故"
    if not renewal.vouches and not holding.vouches:
        missing = sorted(set(renewal.missing) | set(holding.missing))
        return (
            f"培育库中虽有{label} {count} 条记录，但未导入 {_years(missing)} 年的该称号名单，"
            f"{why}对复核申报和申报已获该称号的企业均未作“没有记录”的提示"
        )
    if renewal.vouches:
        checked, unchecked, wanting = "复核申报", "申报已获该称号", holding.missing
    else:
        checked, unchecked, wanting = "申报已获该称号", "复核申报", renewal.missing
    lists = f"{_years(wanting)} 年的" if wanting else f"{year} 年到期的"
    done = renewal if renewal.vouches else holding
    return (
        f"已按培育库已导入的{label}名单（{_held(done)}）核对{checked}的企业，但未导入 "
        f"{lists}该称号名单，{why}对{unchecked}的企业未作“没有记录”的提示"
    )


def entries_by_applicant(
    session: Session, applicants: Sequence[DomainApplicant]
) -> dict[str, list[_Entry]]:
    """The current entries of each applicant (by 统一社会信用代码, else by normalised name for
    entries without a code), read in one query."""
    usccs = {a.uscc for a in applicants if a.uscc}
    keys = {normalise_name(a.name) for a in applicants}
    if len(usccs) + len(keys) <= IN_LIST_LIMIT:
        condition = or_(RegistryEntry.uscc.in_(usccs), RegistryEntry.name_key.in_(keys))
        entries = current_entries(session, condition)
    else:
        entries = current_entries(session)
    by_uscc: dict[str, list[_Entry]] = defaultdict(list)
    by_key: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        if entry.uscc:
            by_uscc[entry.uscc].append(entry)
        else:
            by_key[entry.name_key].append(entry)
    return {
        a.uscc: by_uscc.get(a.uscc, [])
        + [
            e
            for e in by_key.get(normalise_name(a.name), [])
            if same_place(e.city or e.county, a.get("city") or a.get("county"))
        ]
        for a in applicants
    }


def cross_check(
    session: Session, applicants: Sequence[DomainApplicant], round_row: Round, file_name: str
) -> list[Issue]:
    """Warnings for a file's applicants that the register contradicts: a renewal with no
    recognition, a new application for a title held, a declared title the register does not
    bear out, a 单项冠军 applying for 小巨人. Nothing when the register is empty. The caller
    holds the register shared (share_register) for its transaction."""
    checker = RoundChecker.of(session, round_row)
    if checker is None or not applicants:
        return []
    found = entries_by_applicant(session, applicants)
    issues: list[Issue] = []
    for applicant in applicants:
        issues.extend(checker.check(applicant, found.get(applicant.uscc, []), file_name))
    return issues


class RoundChecker:
    """The register's checks of one round's applicants, as of the round: a recognition of a
    later year is not held at the round's date, nor is the round's own outcome (its title in
    its year, for a company the round recommended) held against it."""

    def __init__(
        self,
        session: Session,
        round_row: Round,
        spans: frozenset[PublishedSpan],
        *,
        suggest: bool = True,
    ) -> None:
        self.session = session
        self.suggest = suggest  # near names as a hint (a scan of the title's names each)
        self.year = round_row.round_date.year
        self.round_id = round_row.id
        tier = round_row.tier
        self.round_title = tier if tier in RegistryTitle._value2member_map_ else None
        # "Not on record" only where the published lists that would name the company are all
        # imported: a register holding less (a round's own 认定, a list of another year)
        # cannot vouch for absence. A renewal's are the lists falling due in the round's year;
        # a title declared held, every list still standing in it.
        self.renewal = renewal_lists(spans, tier, self.year)
        self.holding = {
            title.value: holding_lists(spans, title.value, self.year) for title in RegistryTitle
        }
        self.names_cache: dict[str, Any] = {}
        self.suggested = 0
        # The companies the round recommends (统一社会信用代码): its own outcome, and the 推荐
        # a recheck names for a second look.
        self.recommended: set[str] = set(
            session.scalars(
                select(Applicant.uscc)
                .join(Review, Review.applicant_id == Applicant.id)
                .where(
                    Applicant.round_id == round_row.id,
                    Review.decision == Decision.RECOMMEND.value,
                )
            )
        )

    @classmethod
    def of(cls, session: Session, round_row: Round) -> RoundChecker | None:
        """The round's checker, or None while the register is empty."""
        if session.scalar(select(RegistryEntry.id).limit(1)) is None:
            return None
        return cls(session, round_row, published_spans(session))

    def as_of_round(self, applicant: DomainApplicant, entries: list[_Entry]) -> list[_Entry]:
        """The entries that stood at the round's date (see the class)."""
        recommended = applicant.uscc in self.recommended
        return [
            e
            for e in entries
            if e.year < self.year or (e.year == self.year and not self._outcome(e, recommended))
        ]

    def _outcome(self, entry: _Entry, recommended: bool) -> bool:
        """Whether an entry of the round's year is this round's own outcome: entered by its
        认定, or, from a published list, of its title for a company it recommended (another
        round's 认定 is never this round's)."""
        if entry.title != self.round_title:
            return False
        if entry.source_round is not None:
            return entry.source_round == self.round_id
        return recommended

    def check(
        self, applicant: DomainApplicant, entries: list[_Entry], file_name: str
    ) -> list[Issue]:
        """The register's warnings for one applicant (``entries``: its current entries)."""
        issues: list[Issue] = []
        entries = self.as_of_round(applicant, entries)
        name = applicant.name
        valid = [e for e in entries if is_valid(e.status, e.valid_until, self.year)]
        kind = str(applicant.get("application_type") or "")
        title = self.round_title
        if title is not None:
            title_label = RegistryTitle.label_of(title)
            held = [e for e in entries if e.title == title and e.status in HOLDING]
            lapsed = [e for e in entries if e.title == title]
            if kind == "renewal" and not held and (lapsed or self.renewal.vouches):
                if lapsed:
                    why = f"培育库中没有其{title_label}的认定记录（培育库中只有：{_describe(lapsed[-1])}）"
                else:
                    why = f"{_lists(title, self.renewal)}中没有其认定记录"
                issues.append(
                    self._issue(
                        file_name,
                        applicant,
                        "registry-renewal-without-record",
                        f"企业 “{name}” 为复核申报，但{why}；请核实是否应为新申报",
                        "application_type",
                    )
                )
            mine = [e for e in valid if e.title == title]
            if kind != "renewal" and mine:
                entry = max(mine, key=lambda e: e.valid_until)
                due = (
                    f"今年（{self.year} 年）到期，应按复核申报"
                    if entry.valid_until == self.year
                    else f"尚未到期（{entry.valid_until} 年到期）"
                )
                issues.append(
                    self._issue(
                        file_name,
                        applicant,
                        "registry-already-holds",
                        f"企业 “{name}” 为新申报，但培育库中已有{_describe(entry)}，{due}；"
                        "请核实申报类型",
                        "application_type",
                    )
                )
        for field, title_code in FIELD_TITLE.items():
            declared = applicant.get(field)
            if not isinstance(declared, bool):
                continue
            mine = [e for e in valid if e.title == title_code]
            label = field_label(field)
            if declared is False and mine:
                issues.append(
                    self._issue(
                        file_name,
                        applicant,
                        "registry-declared-contradicted",
                        f"企业 “{name}” 申报“{label}”为“否”，但培育库中有{_describe(mine[0])}；"
                        "可采用培育库的记录",
                        field,
                    )
                )
            elif declared is True and not mine:
                others = [e for e in entries if e.title == title_code]
                if others:
                    why = f"培育库中的记录为{_describe(others[-1])}，{_lapse(others[-1])}"
                elif self.holding[title_code].vouches:
                    why = (
                        f"{_lists(title_code, self.holding[title_code])}中没有该企业"
                        + self._suggestion(applicant, title_code)
                    )
                elif namesake := self._namesake(applicant, title_code):
                    # Without a list to vouch for absence, only a namesake on record is news.
                    why = "培育库中没有该企业的该称号记录" + namesake
                else:
                    continue
                issues.append(
                    self._issue(
                        file_name,
                        applicant,
                        "registry-declared-not-on-record",
                        f"企业 “{name}” 申报“{label}”为“是”，但{why}；请核实证明材料",
                        field,
                    )
                )
        if self.round_title == RegistryTitle.LITTLE_GIANT.value:
            champion = [e for e in valid if e.title == RegistryTitle.CHAMPION.value]
            if champion:
                issues.append(
                    self._issue(
                        file_name,
                        applicant,
                        "registry-champion-excluded",
                        f"企业 “{name}” 在培育库中是{_describe(champion[0])}，"
                        "按规定单项冠军企业不再申报专精特新“小巨人”",
                        "holds_champion",
                    )
                )
        return issues

    def _names(self, title: str) -> tuple[dict[str, str], dict[str, tuple[str | None, ...]]]:
        """The title's names on record by normalised name, and each one's place and code."""
        cached = self.names_cache.get(title)
        if cached is None:
            query = current_query(
                RegistryEntry.name_key,
                RegistryEntry.name,
                RegistryEntry.city,
                RegistryEntry.county,
                RegistryEntry.uscc,
            ).where(RegistryEntry.title == title)
            rows = self.session.execute(query).all()
            cached = self.names_cache[title] = (
                {key: name for key, name, _, _, _ in rows},
                {key: (city or county, uscc) for key, _, city, county, uscc in rows},
            )
        return cached

    def _namesake(self, applicant: DomainApplicant, title: str) -> str:
        """What the register holds under the applicant's name but was not matched to it (its
        code or city differs), or ""."""
        names, facts = self._names(title)
        key = normalise_name(applicant.name)
        if key not in names:
            return ""
        city, uscc = facts[key]
        declared = applicant.get("city") or applicant.get("county")
        if uscc == applicant.uscc or (not uscc and same_place(city, declared)):
            return ""  # its own record, of a later year or the round's own outcome
        differs = "信用代码" if uscc else "所在市"
        known = "，".join(p for p in (city, f"信用代码 {uscc}" if uscc else None) if p)
        return (
            f"；培育库中有同名企业“{names[key]}”{f'（{known}）' if known else ''}的记录，"
            f"{differs}与申报的不同，未作对应；如为同一企业请核实"
        )

    def _suggestion(self, applicant: DomainApplicant, title: str) -> str:
        """A namesake on record (see _namesake), else near names of that title as a hint
        (never a match)."""
        names, facts = self._names(title)
        key = normalise_name(applicant.name)
        if key in names:
            return self._namesake(applicant, title)
        if not self.suggest or self.suggested >= SUGGESTION_LIMIT:
            return ""
        self.suggested += 1
        near = near_names(key, names)
        if not near:
            return ""
        # near_names gives names; each one's place is its key's (few: at most two shown).
        wanted = {n for n, _ in near[:2]}
        places = {name: facts[k][0] for k, name in names.items() if name in wanted}
        shown = "、".join(
            f"“{n}”（{places[n] + '，' if places.get(n) else ''}相似度 {s:g}%）"
            for n, s in near[:2]
        )
        return f"；名称相近的有{shown}{SUGGESTION_END}"

    def _issue(
        self, file_name: str, applicant: DomainApplicant, code: str, message: str, field: str
    ) -> Issue:
        cell = applicant.provenance.get(field)
        source = applicant.source
        return Issue(
            code=code,
            severity=Severity.WARNING,
            message=message,
            file=file_name,
            sheet=cell.sheet if cell else source.sheet if source else None,
            cell=cell.cell if cell else source.cell if source else None,
            field=field,
            uscc=applicant.uscc,
        )


def accept_registry_value(
    session: Session,
    evaluations: Evaluations,
    round_name: str,
    uscc: str,
    field: str,
    evaluator: str | None,
) -> dict[str, Any]:
    """Take the register's value of a declared title (holds_srdi…) into the applicant's data:
    a new version whose value says where it came from (培育库), re-evaluated; the register's
    warning on that field leaves the new version. Returns {"field", "before", "after"}."""
    if field not in FIELD_TITLE:
        raise InvalidRequestError(
            f"只能采用培育库中称号字段的值（{'、'.join(FIELD_TITLE)}），不能采用 “{field}”"
        )
    share_register(session)
    round_row = find_round(session, round_name)
    check_open(round_row, "采用培育库记录")
    actor = evaluator_row(session, evaluator)
    applicant = find_applicant(session, round_row, uscc)
    version = session.get_one(ApplicantVersion, applicant.current_version_id)
    domain = version_applicant(applicant, version)
    year = round_row.round_date.year
    title = FIELD_TITLE[field]
    entries = entries_by_applicant(session, [domain]).get(domain.uscc, [])
    entries = RoundChecker(session, round_row, frozenset()).as_of_round(domain, entries)
    mine = [e for e in entries if e.title == title]
    valid = [e for e in mine if is_valid(e.status, e.valid_until, year)]
    value = bool(valid)
    old = domain.get(field)
    if not mine:
        # The register holds the lists a bureau imported, not every title ever given: no
        # record is no evidence of 否.
        raise InvalidRequestError(
            f"培育库中没有企业 “{domain.name}” 的{RegistryTitle.label_of(title)}称号记录（培育库只含已导入的"
            f"名单），不能据此把“{field_label(field)}”改为“否”；如经核实确无该称号，请更正申报"
            "数据后重新导入，或改判相应指标并写明理由"
        )
    if old is value:
        raise InvalidRequestError(f"“{field_label(field)}”已与培育库的记录一致，无需采用")
    basis = _describe(valid[0]) if valid else _describe(mine[-1]) + "，不在有效期内"
    values = dict(version.values)
    values[field] = codec.encode_value(value)
    # Over the file's own cells, as a province filled from the round's region is kept.
    provenance = dict(version.provenance)
    provenance["$added"] = {
        **(provenance.get("$added") or {}),
        field: codec.encode_provenance(
            Provenance(file=REGISTRY_SOURCE, raw=basis, kind="registry")
        ),
    }
    now = utc_now()
    issues = [
        i
        for i in version.issues
        if not (i.get("code") in DECLARED_CODES and i.get("field") == field)
    ]
    values_hash = codec.digest(values)
    new_version = ApplicantVersion(
        applicant_id=applicant.id,
        number=version.number + 1,
        values=values,
        provenance=provenance,
        source=version.source,
        values_hash=values_hash,
        province=version.province,
        city=version.city,
        county=version.county,
        issues=issues,
        warnings=sum(1 for i in issues if i.get("severity") == "warning"),
        import_file_id=version.import_file_id,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(new_version)
    session.flush()
    applicant.current_version_id = new_version.id
    info = round_info(round_row, "")
    confirmations = confirmations_of(session, round_row.id, applicant.id).get(applicant.id, [])
    rebuilt = codec.applicant_from_stored(values, provenance, version.source)
    evaluation = evaluations.score(rebuilt, info, confirmations, "未采用培育库记录")
    reason = f"按培育库记录更正：{basis}"
    changed = {field: [old, value]}
    session.add(
        audit.event(
            actor,
            "applicant-version",
            "applicant_version",
            new_version.id,
            round_row,
            applicant_id=applicant.id,
            uscc=applicant.uscc,
            before={"version": version.number},
            after={
                "version": new_version.number,
                "file": REGISTRY_SOURCE,
                "name": applicant.name,
                "changed": changed,
                "verdict": str(evaluation.verdict),
                "rulebook": evaluation.rulebook,
            },
            reason=reason,
            at=now,
        )
    )
    old_eval = (
        session.get(Evaluation, applicant.current_evaluation_id)
        if applicant.current_evaluation_id
        else None
    )
    evaluations.store(
        session,
        actor,
        round_row,
        applicant,
        new_version,
        old_eval,
        evaluation,
        input_hash(values_hash, info, confirmations),
        "review",
        now,
        reason=reason,
    )
    return {"field": field, "before": old, "after": value, "basis": basis}
