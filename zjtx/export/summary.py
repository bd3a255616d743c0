"""View-models of the round summaries: 推荐汇总表, 公示名单 and the statistics page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from zjtx.domain.applicant import Applicant
from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.results import Evaluation, Verdict
from zjtx.export.report_model import (
    format_points,
    industry_text,
    region_text,
    tier_label,
)
from zjtx.export.review import ReviewInfo

VERDICT_ORDER = {Verdict.QUALIFIED: 0, Verdict.PENDING: 1, Verdict.NOT_QUALIFIED: 2}
HISTOGRAM_STEP = Decimal(10)


@dataclass(frozen=True, slots=True)
class ApplicantOutcome:
    """One applicant's evaluation with, where known, its data and the evaluator's review."""

    evaluation: Evaluation
    applicant: Applicant | None = None
    review: ReviewInfo | None = None

    @property
    def decision_label(self) -> str:
        return self.review.decision_label if self.review else ""

    @property
    def recommended(self) -> bool:
        """Published: recommended by the evaluator; without review data (JSON input), qualified."""
        if self.review is not None:
            return self.review.decision_label == "推荐"
        return self.evaluation.verdict == Verdict.QUALIFIED


def _rank_key(item: ApplicantOutcome) -> tuple:
    evaluation = item.evaluation
    score = evaluation.score if evaluation.score is not None else Decimal("-Infinity")
    return (VERDICT_ORDER[evaluation.verdict], -score, evaluation.uscc, evaluation.name)


def _batch_title(items: Sequence[ApplicantOutcome]) -> tuple[str, str]:
    """Tier title (when the batch has one tier) and the round line."""
    tiers = sorted({i.evaluation.tier for i in items})
    tier = tier_label(tiers[0]) if len(tiers) == 1 else ""
    dates = sorted({i.evaluation.round_date for i in items})
    rulebooks = sorted({f"{i.evaluation.rulebook_title}（{i.evaluation.rulebook}）" for i in items})
    round_text = "、".join(f"{d.year}年{d.month}月{d.day}日批次" for d in dates)
    return tier, f"{round_text}　认定标准：{'；'.join(rulebooks)}" if items else ""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of 推荐汇总表."""

    rank: int
    name: str
    uscc: str
    region: str
    industry: str
    score: str  # display text, "" for unscored tiers
    score_value: Decimal | None
    verdict: str
    decision: str
    opinion: str


@dataclass(frozen=True, slots=True)
class CountLine:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Statistics:
    """Counts by verdict, decision, region and industry, and a score histogram."""

    total: int
    by_verdict: tuple[CountLine, ...]
    by_decision: tuple[CountLine, ...]
    by_region: tuple[CountLine, ...]
    by_industry: tuple[CountLine, ...]
    histogram: tuple[CountLine, ...]  # empty when no applicant has a score


@dataclass(frozen=True, slots=True)
class RecommendationSummary:
    """推荐汇总表 of one round: ranked rows and the statistics page."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: tuple[SummaryRow, ...]
    statistics: Statistics
    made_at: datetime
    footer: str


@dataclass(frozen=True, slots=True)
class PublicityRow:
    number: int
    name: str
    region: str
    tier: str


@dataclass(frozen=True, slots=True)
class PublicityList:
    """公示名单: name, region and tier of each recommended applicant; no figures, no scores."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: tuple[PublicityRow, ...]
    made_at: datetime
    footer: str


SUMMARY_COLUMNS = (
    "排名",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "所属行业",
    "得分",
    "评价结论",
    "评审决定",
    "评审意见",
)
PUBLICITY_COLUMNS = ("序号", "企业名称", "所在地区", "认定类别")


def _counts(values: Sequence[str], *, order: Sequence[str] = ()) -> tuple[CountLine, ...]:
    counter = Counter(values)
    known = [label for label in order if counter.get(label)]
    rest = sorted(
        (label for label in counter if label not in order), key=lambda x: (-counter[x], x)
    )
    return tuple(CountLine(label, counter[label]) for label in [*known, *rest])


def _region_key(applicant: Applicant | None) -> str:
    if applicant is None:
        return "未填写"
    for key in ("city", "province"):
        if applicant.get(key):
            return str(applicant.get(key))
    return "未填写"


def _industry_key(applicant: Applicant | None, catalogue: FieldCatalogue) -> str:
    """Industry bucket: the GB/T 4754 division (letter + 2 digits, e.g. C35) and its sector."""
    if applicant is None or not applicant.get("industry_code"):
        return "未填写"
    code = str(applicant.get("industry_code"))[:3]
    sector = applicant.get("size_sector")
    if sector and "size_sector" in catalogue:
        return f"{code}（{catalogue['size_sector'].format_value(sector)}）"
    return code


def _histogram(items: Sequence[ApplicantOutcome]) -> tuple[CountLine, ...]:
    scores = [i.evaluation.score for i in items if i.evaluation.score is not None]
    if not scores:
        return ()
    top = max(
        [i.evaluation.max_score for i in items if i.evaluation.max_score is not None] + scores
    )
    lines: list[CountLine] = []
    low = Decimal(0)
    while low < top or not lines:
        high = low + HISTOGRAM_STEP
        last = high >= top
        count = sum(1 for s in scores if low <= s < high or (last and s >= high))
        label = f"{format_points(low)}–{format_points(high)}分" + ("（含）" if last else "")
        lines.append(CountLine(label, count))
        low = high
    return tuple(lines)


def build_statistics(items: Sequence[ApplicantOutcome], catalogue: FieldCatalogue) -> Statistics:
    """Counts of a batch (decisions only for reviewed applicants: the rest count as 未评审)."""
    return Statistics(
        total=len(items),
        by_verdict=_counts(
            [i.evaluation.verdict.label for i in items],
            order=[v.label for v in VERDICT_ORDER],
        ),
        by_decision=_counts(
            [i.decision_label or "未评审" for i in items],
            order=["推荐", "不推荐", "退回补充材料", "未评审"],
        ),
        by_region=_counts([_region_key(i.applicant) for i in items]),
        by_industry=_counts([_industry_key(i.applicant, catalogue) for i in items]),
        histogram=_histogram(items),
    )


def _footer(made_at: datetime, items: Sequence[ApplicantOutcome]) -> str:
    versions = sorted(
        {f"{i.evaluation.rulebook} 版本 {i.evaluation.rulebook_version}" for i in items}
    )
    return f"生成时间 {made_at:%Y-%m-%d %H:%M}　认定标准 {'；'.join(versions)}　共 {len(items)} 家"


def build_recommendation_summary(
    items: Sequence[ApplicantOutcome], *, catalogue: FieldCatalogue, made_at: datetime
) -> RecommendationSummary:
    """推荐汇总表: ranked by verdict (符合条件 first), then score (high first), then code."""
    tier, subtitle = _batch_title(items)
    rows = []
    for rank, item in enumerate(sorted(items, key=_rank_key), start=1):
        evaluation = item.evaluation
        rows.append(
            SummaryRow(
                rank=rank,
                name=evaluation.name,
                uscc=evaluation.uscc,
                region=region_text(item.applicant),
                industry=industry_text(item.applicant, catalogue),
                score=format_points(evaluation.score) if evaluation.score is not None else "",
                score_value=evaluation.score,
                verdict=evaluation.verdict.label,
                decision=item.decision_label,
                opinion=item.review.opinion if item.review else "",
            )
        )
    return RecommendationSummary(
        title=f"{tier}推荐汇总表",
        subtitle=subtitle,
        columns=SUMMARY_COLUMNS,
        rows=tuple(rows),
        statistics=build_statistics(items, catalogue),
        made_at=made_at,
        footer=_footer(made_at, items),
    )


def build_publicity_list(items: Sequence[ApplicantOutcome], *, made_at: datetime) -> PublicityList:
    """公示名单 of the recommended applicants, ordered by region, then code."""
    tier, subtitle = _batch_title(items)
    chosen = [i for i in items if i.recommended]
    chosen.sort(key=lambda i: (region_text(i.applicant), i.evaluation.uscc))
    rows = tuple(
        PublicityRow(
            number=n,
            name=i.evaluation.name,
            region=region_text(i.applicant),
            tier=tier_label(i.evaluation.tier),
        )
        for n, i in enumerate(chosen, start=1)
    )
    return PublicityList(
        title=f"{tier}拟认定名单（公示）",
        subtitle=subtitle.split("　")[0],
        columns=PUBLICITY_COLUMNS,
        rows=rows,
        made_at=made_at,
        footer=f"生成时间 {made_at:%Y-%m-%d %H:%M}　共 {len(rows)} 家",
    )
