"""The applicant filter and sort keys that `round show` and the window's table both use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from zjtx.domain import region as places
from zjtx.domain.labels import ReviewStatus
from zjtx.store.dto import ApplicantRow
from zjtx.store.errors import SortKeyError

NO_REGION = "-"  # the region filter's value for applicants whose region was not given


def by_rank(row: ApplicantRow) -> tuple[Any, ...]:
    """The ranked first by rank; then the scores not yet fixed (no rank: a range), by the
    least they can be, then the most; then the unscored; each tie by code."""
    if row.rank is not None:
        return (0, row.rank, 0, 0, row.uscc)
    if row.score is not None:
        return (1, 0, -row.score, -(row.score_max or row.score), row.uscc)
    return (2, 0, 0, 0, row.uscc)


SORT_KEYS: dict[str, Callable[[ApplicantRow], Any]] = {
    "rank": by_rank,
    "name": lambda r: (r.name, r.uscc),
    "uscc": lambda r: r.uscc,
    "verdict": lambda r: (r.verdict or "", by_rank(r)),
    "decision": lambda r: (r.decision or "~", by_rank(r)),
    "status": lambda r: (list(ReviewStatus).index(r.review_status), r.uscc),
    "updated": lambda r: (r.updated_at, r.uscc),
    "region": lambda r: (r.region, by_rank(r)),
}
# What may still need an evaluator: judgement items, import warnings, a decision to look at again.
OPEN_ITEMS = ("judgements", "warnings", "outdated")


def in_region(row: ApplicantRow, wanted: str) -> bool:
    """Whether a row is in the place ``wanted`` names.

    ``wanted`` is a place as typed (江苏 / 江苏省 / 江苏省南京市 / 南京市 / 江宁区: the row is in
    it when it is the row's province, city or county, or the row's place from the province
    down begins with it), the window's ``省/市`` code, or NO_REGION for rows without a place.
    Both the row and ``wanted`` are read through zjtx.domain.region, so spellings agree.
    """
    place = places.place(row.province, row.city, row.county)
    if wanted == NO_REGION:
        return not (place.province or place.city)
    if "/" in wanted:
        province, _, city = wanted.partition("/")
        province = places.canonical_province(province) or places.clean(province)
        return (place.province or "") == province and (not city or place.city == places.clean(city))
    province, rest = places.split_province(wanted)
    if province is not None:
        if place.province != province:
            return False
        return not rest or rest in _within_province(place)
    text = places.clean(wanted)
    return bool(text) and text in (place.province, *_within_province(place))


def _within_province(place: places.Place) -> tuple[str, ...]:
    """What names a place below its province: the city, the county and the two together."""
    parts = (place.city, place.county, (place.city or "") + (place.county or ""))
    return tuple(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class ApplicantFilter:
    """Which applicants of a round to show; an empty field keeps every applicant.

    Attributes:
        verdict: a verdict code, or "none" for the applicants not evaluated.
        decision: a decision code, or "none" for the undecided.
        status: a review status (pending / in_progress / ready / decided).
        application_type: new / renewal.
        open_items: "judgements" or "warnings": only rows with such items still open;
            "outdated": only rows whose decision needs a second look (需复核).
        region: see in_region.
        search: part of the name or of the 统一社会信用代码 (any case).
        usccs: only these applicants (a bar of the round overview's charts).
    """

    verdict: str | None = None
    decision: str | None = None
    status: str | None = None
    application_type: str | None = None
    open_items: str | None = None
    region: str | None = None
    search: str | None = None
    usccs: frozenset[str] | None = None

    def matches(self, row: ApplicantRow) -> bool:
        """Whether the row passes every filter that is set."""
        if self.verdict and (row.verdict or "none") != self.verdict:
            return False
        if self.decision and (row.decision or "none") != self.decision:
            return False
        if self.status and str(row.review_status) != self.status:
            return False
        if self.application_type and row.application_type != self.application_type:
            return False
        if self.open_items == "judgements" and not row.open_judgements:
            return False
        if self.open_items == "warnings" and not row.open_warnings:
            return False
        if self.open_items == "outdated" and not row.decision_outdated:
            return False
        if self.region and not in_region(row, self.region):
            return False
        if self.usccs is not None and row.uscc not in self.usccs:
            return False
        needle = (self.search or "").strip().upper()
        return not needle or needle in row.name.upper() or needle in row.uscc

    def apply(self, rows: Iterable[ApplicantRow]) -> list[ApplicantRow]:
        """The rows that match, in their order."""
        return [row for row in rows if self.matches(row)]


def sort_rows(rows: Iterable[ApplicantRow], sort: str, descending: bool) -> list[ApplicantRow]:
    """Rows ordered by a named key (SORT_KEYS); SortKeyError names the keys for another."""
    if sort not in SORT_KEYS:
        raise SortKeyError(f"未知的排序方式 “{sort}”，可用：{'、'.join(SORT_KEYS)}")
    return sorted(rows, key=SORT_KEYS[sort], reverse=descending)
