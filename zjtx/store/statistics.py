"""The overview of a round: progress, counts by verdict, region and industry, criteria, scores."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zjtx.domain import region as places
from zjtx.domain.labels import CriterionState, Decision, ReviewStatus, Verdict
from zjtx.domain.region import NO_PLACE  # 未填写: the bucket of a place not given
from zjtx.domain.results import NOT_FAILING_KINDS, OPEN_SCORE_LABEL
from zjtx.export.industry import NOT_GIVEN, UNRECOGNISED, industry_division, load_classification
from zjtx.store.bulk import gc_paused
from zjtx.store.common import Cancel, Progress, find_round
from zjtx.store.dto import ApplicantRow
from zjtx.store.engine import Store
from zjtx.store.errors import ReadCancelled
from zjtx.store.evaluations import round_results
from zjtx.store.filters import NO_REGION
from zjtx.store.listing import table_rows
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    Evaluator,
    Review,
)

NO_DECISION = "none"  # the decision bucket of the undecided (as `round show --decision none`)
NOT_EVALUATED = "none"
SCORE_STEP = Decimal(10)
# The bar of the applicants whose score is not fixed yet (a range) is OPEN_SCORE_LABEL:
# counted apart, never in the band of the least they could score.
OPEN_SCORE_SHORT = "未定"  # the same bar under a narrow chart's axis


@dataclass(frozen=True, slots=True)
class CriterionCount:
    """How many applicants one criterion left unmet, waiting for data, or for judgement."""

    id: str
    title: str
    unmet: int
    unknown: int
    manual: int
    unmet_usccs: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # An alternative (直通) or a note: unmet, it fails no applicant, so no chart of what
    # applicants failed shows it.
    alternative: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        """``LG26-2b 主营业务收入占比`` as the charts and the text output name it."""
        return f"{self.id} {self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "unmet": self.unmet,
            "unknown": self.unknown,
            "manual": self.manual,
        }


@dataclass(frozen=True, slots=True)
class ScoreBin:
    """Applicants whose score is in [low, high) (the last bin includes its upper end)."""

    low: Decimal
    high: Decimal
    count: int
    last: bool
    usccs: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{_points(self.low)}–{_points(self.high)}分" + ("（含）" if self.last else "")

    @property
    def short_label(self) -> str:
        """The band as a chart's axis has room for: 0–10, …, 90–100."""
        return f"{_points(self.low)}–{_points(self.high)}"

    def contains(self, score: Decimal) -> bool:
        return self.low <= score < self.high or (self.last and score >= self.high)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": _number(self.low),
            "to": _number(self.high),
            "count": self.count,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A 不符合条件 applicant that failed exactly one criterion, and by how much."""

    uscc: str
    name: str
    criterion_id: str
    criterion_title: str
    observed: str
    requirement: str
    gap: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "criterion": self.criterion_id,
            "title": self.criterion_title,
            "observed": self.observed,
            "requirement": self.requirement,
            "gap": self.gap,
        }


@dataclass(frozen=True, slots=True)
class RoundOverview:
    """Everything the round overview, `zjtx round stats` and the statistics page show.

    Every ``by_*`` mapping adds up to ``applicants``; its keys are codes (verdict, decision,
    review status), a province (未填写 for none) or a GB/T 4754 section (门类) label.
    """

    round_name: str
    applicants: int
    decided: int
    decided_by: dict[str, int]  # evaluator name -> decisions recorded by them
    outdated: int  # decisions that need a second look (需复核): data or verdict changed since
    by_verdict: dict[str, int]
    by_decision: dict[str, int]
    by_review_status: dict[str, int]
    by_region: dict[str, int]  # province -> count
    by_city: dict[str, dict[str, int]]  # province -> city (未填写 for none) -> count
    by_industry: dict[str, int]  # 门类 "C 制造业" -> count
    by_division: dict[str, int]  # 大类 "C35 专用设备制造业" -> count
    criteria: tuple[CriterionCount, ...]
    scored: bool
    score_bins: tuple[ScoreBin, ...]  # the fixed scores only
    near_misses: tuple[NearMiss, ...]
    # The applicants whose score is not fixed yet (data missing, judgement items open).
    open_scores: tuple[str, ...] = ()
    # The counts by place as the 推荐汇总表's 统计 page makes them (zjtx.domain.region
    # count_by_place): by 区县 in a round within one city (place_city), else by city.
    by_place: dict[str, int] = field(default_factory=dict)
    place_city: str | None = None
    # The applicants of each 门类 (for a click on its bar; not in the JSON).
    industry_usccs: dict[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # The applicants of each by_place bucket (for a click on its bar; not in the JSON).
    place_usccs: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `zjtx round stats --json`."""
        return {
            "round": self.round_name,
            "applicants": self.applicants,
            "progress": {
                "decided": self.decided,
                "total": self.applicants,
                "by_evaluator": dict(self.decided_by),
                "outdated": self.outdated,
            },
            "by_verdict": dict(self.by_verdict),
            "by_decision": dict(self.by_decision),
            "by_review_status": dict(self.by_review_status),
            "by_region": dict(self.by_region),
            "by_city": {k: dict(v) for k, v in self.by_city.items()},
            "by_place": dict(self.by_place),
            "place_city": self.place_city,
            "by_industry": dict(self.by_industry),
            "by_division": dict(self.by_division),
            "criteria": [c.to_dict() for c in self.criteria],
            "scored": self.scored,
            "score_distribution": [b.to_dict() for b in self.score_bins],
            "score_open": len(self.open_scores),
            "near_misses": [m.to_dict() for m in self.near_misses],
        }

    @property
    def place_heading(self) -> str:
        """The title of by_place: 地区（宁波市各区县）, or 地区 for counts by city."""
        return places.place_heading(self.place_city)

    @property
    def score_bars(self) -> list[tuple[str, int, tuple[str, ...]]]:
        """(label, count, applicants) of each bar of the score chart: the bands of the fixed
        scores, then 得分未定 when some score is still a range."""
        bars = [(b.label, b.count, b.usccs) for b in self.score_bins]
        if self.open_scores:
            bars.append((OPEN_SCORE_LABEL, len(self.open_scores), self.open_scores))
        return bars


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _points(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def region_key(row: ApplicantRow) -> tuple[str, str]:
    """(province, city) of a row as the overview counts it; 未填写 for what is not given."""
    place = places.place(row.province, row.city, row.county)
    return place.province or NO_PLACE, place.city or NO_PLACE


def region_filter(province: str, city: str | None = None) -> str:
    """The ApplicantFilter region value selecting one bucket of by_region / by_city."""
    if province == NO_PLACE:
        return NO_REGION
    if city is None:
        return province
    return f"{province}/{'' if city == NO_PLACE else city}"


def industry_section(code: object) -> str:
    """The 门类 of an industry code in Chinese ("C 制造业"), 未填写 or 行业代码无法识别."""
    division = industry_division(code)
    if division in (NOT_GIVEN, UNRECOGNISED):
        return division
    letter = division[0]
    return f"{letter} {load_classification().sections[letter]}"


def _ordered(counter: Mapping[str, int], order: Iterable[str] = (), last: Iterable[str] = ()):
    """A dict in ``order``, then the rest by count (most first), then ``last``."""
    order, last = list(order), list(last)
    rest = sorted(
        (k for k in counter if k not in order and k not in last), key=lambda k: (-counter[k], k)
    )
    return {k: counter[k] for k in [*order, *rest, *last] if counter.get(k)}


def score_bins(scores: Mapping[str, Decimal], top: Decimal | None) -> tuple[ScoreBin, ...]:
    """Bins of SCORE_STEP points from 0 to the highest possible score (or the best score);
    empty bins when no score is fixed yet but the rulebook scores (``top`` given)."""
    if not scores and top is None:
        return ()
    top = max([*scores.values(), *([top] if top is not None else [])])
    bins: list[ScoreBin] = []
    low = Decimal(0)
    while low < top or not bins:
        high = low + SCORE_STEP
        last = high >= top
        probe = ScoreBin(low, high, 0, last)
        members = tuple(u for u, s in scores.items() if probe.contains(s))
        bins.append(ScoreBin(low, high, len(members), last, members))
        low = high
    return tuple(bins)


def _decided_by(session: Session, round_id: int) -> dict[str, int]:
    counts = session.execute(
        select(Evaluator.name, func.count(Review.id))
        .join(Review, Review.decided_by_id == Evaluator.id)
        .join(Applicant, Applicant.id == Review.applicant_id)
        .where(Applicant.round_id == round_id, Review.decision.is_not(None))
        .group_by(Evaluator.name)
    ).all()
    return dict(sorted(((name, count) for name, count in counts), key=lambda x: (-x[1], x[0])))


def _industry_codes(session: Session, round_id: int) -> dict[int, Any]:
    code = ApplicantVersion.values["industry_code"].as_string()
    return dict(
        session.execute(
            select(Applicant.id, code)
            .join(ApplicantVersion, ApplicantVersion.id == Applicant.current_version_id)
            .where(Applicant.round_id == round_id)
        ).all()
    )


def _failing(item: Mapping[str, Any]) -> bool:
    return item.get("state") == CriterionState.UNMET and item.get("kind") not in NOT_FAILING_KINDS


def round_overview(
    store: Store,
    round_name: str,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> RoundOverview:
    """The overview of one round, read with a few whole-round queries (none per applicant).

    ``progress(done, total)`` follows the evaluation results read; ``cancel`` is polled
    between them and raises ReadCancelled.
    """
    with gc_paused(), store.session() as session:
        round_row = find_round(session, round_name)
        rows = table_rows(session, round_row.id)
        by_id = {row.applicant_id: row for row in rows}
        decided_by = _decided_by(session, round_row.id)
        codes = _industry_codes(session, round_row.id)
        titles: dict[str, str] = {}
        states: dict[str, Counter[str]] = defaultdict(Counter)
        unmet_usccs: dict[str, list[str]] = defaultdict(list)
        alternatives: set[str] = set()
        near: list[NearMiss] = []
        for done, (owner, result) in enumerate(round_results(session, round_row.id), start=1):
            if cancel is not None and cancel():
                raise ReadCancelled("已取消统计")
            row = by_id[owner]
            for item in result.get("criteria", ()):
                titles.setdefault(item["id"], item.get("title", ""))
                if item.get("kind") in NOT_FAILING_KINDS:
                    alternatives.add(item["id"])
                state = item.get("state")
                states[item["id"]][state] += 1
                if state == CriterionState.UNMET:
                    unmet_usccs[item["id"]].append(row.uscc)
            failing = [i for i in result.get("criteria", ()) if _failing(i)]
            if row.verdict == Verdict.NOT_QUALIFIED and len(failing) == 1:
                [item] = failing
                near.append(
                    NearMiss(
                        uscc=row.uscc,
                        name=row.name,
                        criterion_id=item["id"],
                        criterion_title=item.get("title", ""),
                        observed=item.get("observed") or "",
                        requirement=item.get("requirement") or "",
                        gap=item.get("gap"),
                    )
                )
            if progress is not None:
                progress(done, len(rows))
    counting = places.count_by_place(
        [places.place(r.province, r.city, r.county) for r in rows], round_row.region
    )
    return _overview(
        round_row.name,
        counting,
        rows,
        decided_by,
        codes,
        titles,
        states,
        unmet_usccs,
        near,
        alternatives,
    )


def _overview(
    name: str,
    counting: places.RegionCounting,
    rows: list[ApplicantRow],
    decided_by: dict[str, int],
    codes: Mapping[int, Any],
    titles: dict[str, str],
    states: Mapping[str, Counter[str]],
    unmet_usccs: Mapping[str, list[str]],
    near: list[NearMiss],
    alternatives: set[str],
) -> RoundOverview:
    regions: Counter[str] = Counter()
    cities: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        province, city = region_key(row)
        regions[province] += 1
        cities[province][city] += 1
    members: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        members[industry_section(codes.get(row.applicant_id))].append(row.uscc)
    placed: dict[str, list[str]] = defaultdict(list)
    for row, label in zip(rows, counting.labels, strict=True):
        placed[label].append(row.uscc)
    sections = Counter({section: len(usccs) for section, usccs in members.items()})
    divisions = Counter(industry_division(codes.get(r.applicant_id)) for r in rows)
    criteria = tuple(
        CriterionCount(
            id=cid,
            title=title,
            unmet=states[cid][CriterionState.UNMET],
            unknown=states[cid][CriterionState.UNKNOWN],
            manual=states[cid][CriterionState.MANUAL],
            unmet_usccs=tuple(unmet_usccs.get(cid, ())),
            alternative=cid in alternatives,
        )
        for cid, title in titles.items()
    )
    scores = {r.uscc: r.score for r in rows if r.score is not None and not r.score_open}
    tops = [r.max_score for r in rows if r.max_score is not None]
    province_order = sorted(regions, key=lambda k: (-regions[k], k))
    return RoundOverview(
        round_name=name,
        applicants=len(rows),
        decided=sum(1 for r in rows if r.decision),
        decided_by=decided_by,
        outdated=sum(1 for r in rows if r.decision_outdated),
        by_verdict=_ordered(
            Counter(r.verdict or NOT_EVALUATED for r in rows), order=[str(v) for v in Verdict]
        ),
        by_decision=_ordered(
            Counter(r.decision or NO_DECISION for r in rows),
            order=[*(str(d) for d in Decision), NO_DECISION],
        ),
        by_review_status=_ordered(
            Counter(str(r.review_status) for r in rows), order=[str(s) for s in ReviewStatus]
        ),
        by_region=_ordered(regions, last=[NO_PLACE]),
        by_city={p: _ordered(cities[p], last=[NO_PLACE]) for p in province_order},
        by_industry=_ordered(sections, last=[UNRECOGNISED, NOT_GIVEN]),
        by_division=_ordered(divisions, last=[UNRECOGNISED, NOT_GIVEN]),
        criteria=criteria,
        scored=bool(tops) or bool(scores),
        score_bins=score_bins(scores, max(tops) if tops else None),
        open_scores=tuple(r.uscc for r in rows if r.score_open),
        near_misses=tuple(sorted(near, key=lambda m: (m.criterion_id, m.uscc))),
        industry_usccs={k: tuple(v) for k, v in members.items()},
        by_place=_ordered(Counter(counting.labels), last=[NO_PLACE]),
        place_city=counting.city,
        place_usccs={k: tuple(v) for k, v in placed.items()},
    )
