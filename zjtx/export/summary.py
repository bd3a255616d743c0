"""View-models of the round summaries: 推荐汇总表, 公示名单 and the statistics page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.labels import ApplicationType, Decision
from zjtx.domain.region import NO_PLACE, RegionCounting, count_by_place, division_order
from zjtx.domain.region import place as place_of
from zjtx.domain.results import (
    NOT_FAILING_KINDS,
    OPEN_SCORE_LABEL,
    CriterionState,
    Evaluation,
    Verdict,
    score_is_open,
    score_text,
)
from zjtx.export.fonts import describe_characters, missing_characters
from zjtx.export.industry import NOT_GIVEN, UNRECOGNISED, industry_division
from zjtx.export.products import CERTIFIED_PRODUCTS, certified_product
from zjtx.export.report_model import (
    application_code,
    application_text,
    format_points,
    industry_text,
    region_text,
    tier_label,
)
from zjtx.export.review import ReviewInfo

if TYPE_CHECKING:
    from zjtx.store.panel_positions import ApplicantPanel

VERDICT_ORDER = {Verdict.QUALIFIED: 0, Verdict.PENDING: 1, Verdict.NOT_QUALIFIED: 2}
_RECOMMEND = Decision.RECOMMEND.label
_QUALIFIED = Verdict.QUALIFIED.label
HISTOGRAM_STEP = Decimal(10)


@dataclass(frozen=True, slots=True)
class ApplicantOutcome:
    """One applicant's evaluation with, where known, its data and the evaluator's review."""

    evaluation: Evaluation
    applicant: Applicant | None = None
    review: ReviewInfo | None = None
    panel: ApplicantPanel | None = None  # the expert panel's work, in a round with a panel
    round_region: str | None = None  # the 地区 of the stored round it belongs to (宁波市)

    @property
    def decision_label(self) -> str:
        return self.review.decision_label if self.review else ""

    @property
    def decision_text(self) -> str:
        """The decision as a table prints it: 推荐（需复核） while it needs a second look."""
        return self.review.decision_text if self.review else ""

    @property
    def recommended(self) -> bool:
        """Published: recommended by the evaluator; without review data (JSON input), qualified."""
        if self.review is not None:
            return self.review.decision_code is Decision.RECOMMEND
        return self.evaluation.verdict == Verdict.QUALIFIED


def _score_of(item: ApplicantOutcome) -> Decimal:
    """The score an applicant is ordered by: a fixed score, or the least of one not yet fixed
    (as the window and `zjtx round show` keep it; an option awaiting an evaluator declares its
    most, SR22-S4 补链强链), -Infinity for none."""
    evaluation = item.evaluation
    score = evaluation.score_min if score_open(evaluation) else evaluation.score
    return score if score is not None else Decimal("-Infinity")


def score_open(evaluation: Evaluation) -> bool:
    """Whether an evaluation's score is a range still (data missing, judgement items open)."""
    return score_is_open(evaluation.score_min, evaluation.score_max)


def _rank_key(item: ApplicantOutcome) -> tuple:
    """Recommended first, then the rest by verdict; each by score (high first), a score not
    yet fixed after the fixed ones (by the least it can be, then the most), then code."""
    evaluation = item.evaluation
    return (
        not item.recommended,
        VERDICT_ORDER[evaluation.verdict],
        score_open(evaluation),
        -_score_of(item),
        -(evaluation.score_max or _score_of(item)),
        evaluation.uscc,
        evaluation.name,
    )


def _ranks(ordered: Sequence[ApplicantOutcome]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of the recommended, in ``ordered``; None for the rest,
    and for a score not yet fixed: where it will stand is not known."""
    ranks: list[int | None] = []
    previous: tuple[int, Decimal] | None = None
    for position, item in enumerate(ordered, start=1):
        if not item.recommended or score_open(item.evaluation):
            ranks.append(None)
            continue
        score = item.evaluation.score
        if previous is not None and score is not None and score == previous[1]:
            ranks.append(previous[0])
            continue
        ranks.append(position)
        previous = (position, score) if score is not None else None
    return ranks


def _basis(items: Sequence[ApplicantOutcome]) -> str:
    """What makes an applicant recommended in this batch, as the rank note and warnings say it."""
    reviewed = sum(1 for i in items if i.review is not None)
    if reviewed == len(items):
        return f"评审决定为“{_RECOMMEND}”"
    if not reviewed:
        return f"评价结论为“{_QUALIFIED}”"
    return f"拟推荐（已评审的以评审决定“{_RECOMMEND}”为准，未评审的以评价结论“{_QUALIFIED}”为准）"


def rank_note(items: Sequence[ApplicantOutcome]) -> str:
    """The note printed under the summary's title: what a rank means in this table."""
    ranked = [i for i in items if i.recommended]
    rest = len(items) - len(ranked)
    basis = _basis(items)
    if not ranked:
        return f"排名：本表没有{basis}的企业，全部 {rest} 家不排名（排名栏为“—”）。"
    ranges = sum(1 for i in ranked if score_open(i.evaluation))
    if ranges == len(ranked):
        note = f"排名：{basis}的 {ranges} 家企业得分均未定（得分为区间），均不排名"
    elif ranges:
        note = (
            f"排名：只在{basis}且得分已确定的 {len(ranked) - ranges} 家企业中排名，"
            f"按得分从高到低，得分相同者名次并列；得分未定（得分为区间）的 {ranges} 家"
            "不排名，列在已排名企业之后"
        )
    elif all(i.evaluation.score is not None for i in ranked):
        note = f"排名：只在{basis}的 {len(ranked)} 家企业中排名，按得分从高到低，得分相同者名次并列"
    else:
        note = (
            f"排名：本类别不评分，只为{basis}的 {len(ranked)} 家企业"
            "按统一社会信用代码顺序编号，不表示优劣"
        )
    if rest:
        note += f"；其余 {rest} 家不排名（排名栏为“—”），列于其后"
    return note + "。"


def score_note(rows: Sequence[SummaryRow]) -> str:
    """What a range in the 得分 column means ("" when no row shows one)."""
    ranges = [r.score for r in rows if r.score_range is not None]
    if not ranges:
        return ""
    return (
        f"得分为区间的（如 {ranges[0]}，共 {len(ranges)} 家），得分尚未确定：有待补充数据或"
        "待人工确认的计分条目，最终得分在区间内，不计入得分分布的各分数段。"
    )


def empty_publicity_reason(items: Sequence[ApplicantOutcome]) -> str:
    """Why no applicant of the batch is on the 公示名单, counting what each one is instead."""
    if not items:
        return "本批次没有申报企业"
    reviewed = sum(1 for i in items if i.review is not None)
    if reviewed == len(items):
        head = f"没有作出“{_RECOMMEND}”决定的企业"
    elif not reviewed:
        head = f"没有评价结论为“{_QUALIFIED}”的企业"
    else:
        head = (
            f"没有拟推荐的企业（已评审的须有“{_RECOMMEND}”决定，"
            f"未评审的须评价结论为“{_QUALIFIED}”）"
        )
    awaiting = 0  # qualified, reviewed, no decision yet: the ones the evaluator can still add
    decided: Counter[Decision] = Counter()
    verdicts: Counter[Verdict] = Counter()
    for item in items:
        verdict = item.evaluation.verdict
        decision = item.review.decision_code if item.review else None
        if decision is not None:
            decided[decision] += 1
        elif item.review is not None and verdict == Verdict.QUALIFIED:
            awaiting += 1
        else:
            verdicts[verdict] += 1
    parts = [f"{_QUALIFIED} {awaiting} 家待决定"] if awaiting else []
    parts += [
        f"{d.label} {decided[d]} 家" for d in (Decision.REJECT, Decision.RETURN) if decided[d]
    ]
    parts += [f"{v.label} {verdicts[v]} 家" for v in VERDICT_ORDER if verdicts[v]]
    return f"本批次 {len(items)} 家中{head}（{'，'.join(parts)}）"


def batch_title(
    items: Sequence[ApplicantOutcome], round_name: str | None = None
) -> tuple[str, str]:
    """Tier title (when the batch has one tier) and the round line: the round's name with its
    date when one is given (a stored round's, or --round-name), else the dates."""
    tiers = sorted({i.evaluation.tier for i in items})
    tier = tier_label(tiers[0]) if len(tiers) == 1 else ""
    dates = sorted({i.evaluation.round_date for i in items})
    rulebooks = sorted({f"{i.evaluation.rulebook_title}（{i.evaluation.rulebook}）" for i in items})
    days = [f"{d.year}年{d.month}月{d.day}日" for d in dates]
    if round_name:
        round_text = f"{round_name}（{'、'.join(days)}）"
    else:
        round_text = "、".join(f"{day}批次" for day in days)
    return tier, f"{round_text}　认定标准：{'；'.join(rulebooks)}" if items else ""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of 推荐汇总表."""

    rank: int | None  # None: not recommended, so not ranked
    name: str
    uscc: str
    region: str
    industry: str
    score: str  # display text: 80, or 25–100 while not fixed; "" for unscored tiers
    score_value: Decimal | None  # the fixed score; None while it is a range
    verdict: str
    decision: str
    opinion: str
    # (least, most) of a score not yet fixed (data missing, judgement items open), else None.
    score_range: tuple[Decimal, Decimal] | None = None
    application: str = ""  # 申报类型: 新申报, 复核, or 未填 when the data do not say it
    product: str = ""  # the 申请产品 of a title given for a product (单项冠军), else ""

    @property
    def rank_text(self) -> str:
        """The rank as printed: "—" for an applicant that is not ranked."""
        return str(self.rank) if self.rank is not None else "—"


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
    outdated: int = 0  # decisions among them that need a second look (其中需复核)
    # Every criterion by how many applicants it left unmet (most first; the PDF charts the
    # first CRITERIA_CHARTED and names the others under the chart).
    by_criterion: tuple[CountLine, ...] = ()
    region_heading: str = "地区"  # what by_region counts: 地区（宁波市各区县） or 地区

    @property
    def decisions_shown(self) -> tuple[CountLine, ...]:
        """The counts by decision, and under them how many of those need a second look (a
        line of 其中, so the decisions still add up to the total)."""
        if not self.outdated:
            return self.by_decision
        return (*self.by_decision, CountLine("其中需复核", self.outdated))


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
    rank_note: str = ""  # what a rank means in this table, printed with it
    score_note: str = ""  # what a range in 得分 means, when the table shows one
    empty_reason: str = ""  # why there are no rows ("" when there are)
    outdated: tuple[str, ...] = ()  # decisions that need a second look: 名称（代码）：why
    unprintable: tuple[str, ...] = ()  # printed (PDF) lines with characters the font lacks

    @property
    def outdated_note(self) -> tuple[str, ...]:
        """Printed under the table: each decision that needs a second look and why, so the
        paper sent upward carries its own caveat (empty when there is none)."""
        if not self.outdated:
            return ()
        return (
            f"需复核：以下 {len(self.outdated)} 家企业的决定作出后情况有变，应复核后重新保存决定：",
            *self.outdated,
        )

    @property
    def warning(self) -> str | None:
        """The warning to show when the table is empty, holds decisions that need a second
        look or prints characters as codes, else None."""
        if not self.rows:
            return f"推荐汇总表为空：{self.empty_reason}"
        return joined_warnings(
            outdated_warning("推荐汇总表中", self.outdated),
            glyph_warning("推荐汇总表", self.unprintable),
        )


@dataclass(frozen=True, slots=True)
class PublicityRow:
    number: int  # within its part: each part is numbered from 1, as a notice's lists are
    name: str
    region: str
    tier: str
    product: str = ""  # the 申请产品 of a title given for a product (单项冠军), else ""


@dataclass(frozen=True, slots=True)
class PublicityPart:
    """One list of a 公示: 拟认定名单 (新申报), 复核通过名单, or those whose 申报类型 is not
    given. ``heading`` is "" when the 公示 is one list, its title saying what it is."""

    name: str  # 拟认定名单 / 复核通过名单 / 申报类型未填
    heading: str
    rows: tuple[PublicityRow, ...]


@dataclass(frozen=True, slots=True)
class PublicityList:
    """公示名单: name, region and tier of each recommended applicant; no figures, no scores.
    A round with 复核 applicants lists them apart from the new ones (拟认定及复核通过名单)."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: tuple[PublicityRow, ...]
    made_at: datetime
    footer: str
    empty_reason: str = ""  # why there are no rows ("" when there are)
    outdated: tuple[str, ...] = ()  # listed decisions that need a second look: 名称（代码）：why
    unprintable: tuple[str, ...] = ()  # printed (PDF) lines with characters the font lacks
    parts: tuple[PublicityPart, ...] = ()  # the lists, in the order printed
    untyped: tuple[str, ...] = ()  # 名称（代码） of those listed whose 申报类型 is not given

    @property
    def warning(self) -> str | None:
        """The warning to show when the list is empty, lists applicants whose 申报类型 is not
        given or prints characters as codes, else None (a list with decisions to look at
        again is not written: publicity_refusal)."""
        if not self.rows:
            return f"公示名单为空：{self.empty_reason}"
        untyped = None
        if self.untyped:
            untyped = (
                f"公示名单中 {len(self.untyped)} 家企业未填申报类型"
                f"（{ApplicationType.NEW.label}或{ApplicationType.RENEWAL.label}），单列于"
                "“申报类型未填”；公布前请核实并补填申报类型后重新生成：\n"
                + "\n".join(f"· {line}" for line in self.untyped)
            )
        return joined_warnings(untyped, glyph_warning("公示名单", self.unprintable))


class PublicityRefused(ValueError):
    """A 公示名单 would publish a 推荐 that needs a second look; nothing was written."""


def publicity_refusal(lines: Sequence[str]) -> str | None:
    """Why a 公示名单 listing these decisions that need a second look is not made (None when
    there are none): a list goes to the public, so a 推荐 the data or the panel has since
    put in doubt is looked at again first, as the register's 标记已认定 requires."""
    if not lines:
        return None
    return (
        f"公示名单未生成：{len(lines)} 家企业的“{Decision.RECOMMEND.label}”决定需复核。"
        "请复核后重新保存决定"
        "（或改作其他决定），再生成公示名单：\n" + "\n".join(f"· {line}" for line in lines)
    )


def unprintable_lines(title: str, footer: str, rows: Sequence[Any]) -> tuple[str, ...]:
    """What a printed table shows as codes for lack of glyphs: each row naming its
    enterprise and the characters, the heading and footer first (an evaluator's name)."""
    lines = []
    if missing := missing_characters(title + footer):
        lines.append(f"表头或表尾：{describe_characters(missing)}")
    for row in rows:
        texts = (getattr(row, f.name) for f in fields(row))
        if missing := missing_characters("".join(t for t in texts if isinstance(t, str))):
            lines.append(f"{row.name}：{describe_characters(missing)}")
    return tuple(lines)


def glyph_warning(what: str, lines: Sequence[str]) -> str | None:
    """The warning that a printed table shows characters as their codes, one line each."""
    if not lines:
        return None
    return (
        f"{what}中有字体缺少的字符，已以编码（如〔U+20BB7〕）代替打印；公布前请手工补写：\n"
        + "\n".join(f"· {line}" for line in lines)
    )


def joined_warnings(*warnings: str | None) -> str | None:
    """Several warnings as one text, or None when there is none."""
    given = [w for w in warnings if w]
    return "\n".join(given) if given else None


def outdated_lines(items: Sequence[ApplicantOutcome]) -> tuple[str, ...]:
    """名称（代码）：why, of each decision among ``items`` that needs a second look."""
    return tuple(
        f"{i.evaluation.name}（{i.evaluation.uscc}）：{i.review.outdated}"
        for i in items
        if i.review is not None and i.review.decision and i.review.outdated
    )


def reports_warning(items: Sequence[ApplicantOutcome]) -> str | None:
    """The warning of a set of 评审意见表 that prints decisions to look at again (None when
    none does): what `zjtx report`, `zjtx print` and the window's export say."""
    return outdated_warning("评审意见表中", outdated_lines(items))


def outdated_warning(where: str, lines: Sequence[str]) -> str | None:
    """The warning that a table holds decisions to look at again, each on its own line."""
    if not lines:
        return None
    return f"{where} {len(lines)} 家企业的决定需复核：\n" + "\n".join(f"· {line}" for line in lines)


# The product column is the label of CERTIFIED_PRODUCTS (申请产品), shown only for a round of
# such a tier; 得分 only for a standard that gives a score.
PRODUCT_COLUMN = next(iter(CERTIFIED_PRODUCTS.values()))[0]
SUMMARY_COLUMNS = (
    "排名",
    "企业名称",
    PRODUCT_COLUMN,
    "统一社会信用代码",
    ApplicationType.concept(),
    "所在地区",
    "所属行业",
    "得分",
    "评价结论",
    "评审决定",
    "评审意见",
)
PUBLICITY_COLUMNS = ("序号", "企业名称", PRODUCT_COLUMN, "所在地区", "认定类别")


def _columns(
    columns: Sequence[str], items: Sequence[ApplicantOutcome], scored: bool = True
) -> tuple[str, ...]:
    """A table's columns for the round: the product only where a title is given for one
    (单项冠军: 企业名称 and 申请产品, as such lists are published), 得分 only if ``scored``."""
    products = any(i.evaluation.tier in CERTIFIED_PRODUCTS for i in items)
    return tuple(
        c for c in columns if (c != PRODUCT_COLUMN or products) and (c != "得分" or scored)
    )


def _counts(
    values: Sequence[str], *, order: Sequence[str] = (), last: Sequence[str] = ()
) -> tuple[CountLine, ...]:
    """Counts in ``order``, then the others by count (most first), then ``last`` (未填写 ...)."""
    counter = Counter(values)
    known = [label for label in order if counter.get(label)]
    tail = [label for label in last if counter.get(label)]
    rest = sorted(
        (label for label in counter if label not in order and label not in last),
        key=lambda x: (-counter[x], x),
    )
    return tuple(CountLine(label, counter[label]) for label in [*known, *rest, *tail])


def _division(applicant: Applicant | None) -> tuple[str, str]:
    if applicant is None:
        return "999999", ""
    return division_order(
        place_of(applicant.get("province"), applicant.get("city"), applicant.get("county"))
    )


def region_counting(items: Sequence[ApplicantOutcome]) -> RegionCounting:
    """Each applicant's region bucket, as `zjtx round stats` counts too (count_by_place): by
    区县 in a round within one city (the round's 地区, or all its applicants'), else by city."""
    places = [
        place_of(a.get("province"), a.get("city"), a.get("county")) if a is not None else None
        for a in (i.applicant for i in items)
    ]
    regions = sorted({i.round_region for i in items if i.round_region})
    return count_by_place(places, regions[0] if len(regions) == 1 else None)


def _industry_key(applicant: Applicant | None) -> str:
    """Industry bucket: the GB/T 4754 division and its name (C35 专用设备制造业), whatever the
    way the code was written; the size-standard sector plays no part (it split one division)."""
    return industry_division(applicant.get("industry_code") if applicant is not None else None)


def _histogram(items: Sequence[ApplicantOutcome]) -> tuple[CountLine, ...]:
    """Bands of HISTOGRAM_STEP points of the fixed scores, then 得分未定: the scores not yet
    fixed, never counted in the band of the least they could score."""
    evaluations = [i.evaluation for i in items if i.evaluation.score is not None]
    if not evaluations:
        return ()
    scores = [e.score for e in evaluations if e.score is not None and not score_open(e)]
    ranges = len(evaluations) - len(scores)
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
    if ranges:
        lines.append(CountLine(OPEN_SCORE_LABEL, ranges))
    return tuple(lines)


def _unmet_criteria(items: Sequence[ApplicantOutcome]) -> tuple[CountLine, ...]:
    """``LG26-2b 主营业务收入占营业收入比重`` and how many applicants it left unmet; an
    alternative (直通) or a note, unmet, fails no applicant and is not counted."""
    counts: Counter[str] = Counter()
    for item in items:
        for criterion in item.evaluation.criteria:
            if criterion.kind in NOT_FAILING_KINDS:
                continue
            if criterion.state == CriterionState.UNMET:
                counts[f"{criterion.id} {criterion.title}"] += 1
    ordered = sorted(counts, key=lambda label: (-counts[label], label))
    return tuple(CountLine(label, counts[label]) for label in ordered)


def _decision_key(item: ApplicantOutcome) -> str:
    """The decision; without one, 未作决定 for a reviewed applicant, 未评审 with no review data."""
    if item.decision_label:
        return item.decision_label
    return "未作决定" if item.review is not None else "未评审"


def build_statistics(items: Sequence[ApplicantOutcome]) -> Statistics:
    """Counts of a batch by verdict, decision, region and industry, and the score bins."""
    places = region_counting(items)
    return Statistics(
        total=len(items),
        by_verdict=_counts(
            [i.evaluation.verdict.label for i in items],
            order=[v.label for v in VERDICT_ORDER],
        ),
        by_decision=_counts(
            [_decision_key(i) for i in items],
            order=[*(d.label for d in Decision), "未作决定", "未评审"],
        ),
        by_region=_counts(list(places.labels), last=[NO_PLACE]),
        region_heading=places.heading,
        by_industry=_counts(
            [_industry_key(i.applicant) for i in items], last=[UNRECOGNISED, NOT_GIVEN]
        ),
        histogram=_histogram(items),
        outdated=len(outdated_lines(items)),
        by_criterion=_unmet_criteria(items),
    )


def _footer(made_at: datetime, items: Sequence[ApplicantOutcome]) -> str:
    versions = sorted(
        {f"{i.evaluation.rulebook} 版本 {i.evaluation.rulebook_version}" for i in items}
    )
    return f"生成时间 {made_at:%Y-%m-%d %H:%M}　认定标准 {'；'.join(versions)}　共 {len(items)} 家"


def build_recommendation_summary(
    items: Sequence[ApplicantOutcome],
    *,
    catalogue: FieldCatalogue,
    made_at: datetime,
    round_name: str | None = None,
) -> RecommendationSummary:
    """推荐汇总表: the recommended first, ranked by score; the rest after them, unranked, by
    verdict (符合条件 first), then score (high first), then code. ``round_name`` heads it."""
    tier, subtitle = batch_title(items, round_name)
    rows = []
    ordered = sorted(items, key=_rank_key)
    for rank, item in zip(_ranks(ordered), ordered, strict=True):
        evaluation = item.evaluation
        score, low, high = evaluation.score, evaluation.score_min, evaluation.score_max
        span = (low, high) if score_open(evaluation) else None
        rows.append(
            SummaryRow(
                rank=rank,
                name=evaluation.name,
                uscc=evaluation.uscc,
                region=region_text(item.applicant),
                industry=industry_text(item.applicant, catalogue),
                score="" if score is None else score_text(low, high) if span else score_text(score),
                score_value=None if span else score,
                verdict=evaluation.verdict.label,
                decision=item.decision_text,
                opinion=item.review.opinion if item.review else "",
                score_range=span,
                application=application_text(evaluation, item.applicant),
                product=certified_product(evaluation, item.applicant) or "",
            )
        )
    # A batch whose standard gives no score (专精特新 2026 认定) prints no 得分 column.
    scored = any(item.evaluation.max_score is not None for item in items)
    return RecommendationSummary(
        title=f"{tier}推荐汇总表",
        subtitle=subtitle,
        columns=_columns(SUMMARY_COLUMNS, items, scored),
        rows=tuple(rows),
        statistics=build_statistics(items),
        made_at=made_at,
        footer=_footer(made_at, items),
        rank_note=rank_note(items) if items else "",
        score_note=score_note(rows),
        empty_reason="" if items else "本批次没有申报企业",
        outdated=outdated_lines(ordered),
    )


# The lists of a 公示 by 申报类型 (None: not given): each list's name, and what its title says.
_PARTS: tuple[tuple[str | None, str, str], ...] = (
    (ApplicationType.NEW.value, "拟认定名单", "拟认定"),
    (ApplicationType.RENEWAL.value, "复核通过名单", "复核通过"),
    (None, "申报类型未填", ""),
)
_NUMERALS = "一二三"


def _publicity_title(tier: str, kinds: Sequence[str]) -> str:
    """拟认定名单, 复核通过名单 or 拟认定及复核通过名单, by the kinds listed (拟认定 when no
    kind is known)."""
    said = [title for code, _, title in _PARTS if code in kinds and title]
    return f"{tier}{'及'.join(said or ['拟认定'])}名单（公示）"


def build_publicity_list(
    items: Sequence[ApplicantOutcome], *, made_at: datetime, round_name: str | None = None
) -> PublicityList:
    """公示名单 of the recommended applicants, ordered by region as official lists are (the
    administrative divisions' codes), then by 统一社会信用代码; ``round_name`` heads it. A
    renewal is not a new 认定: with 复核 applicants the 公示 holds two lists (拟认定名单 of the
    new, 复核通过名单 of the renewed), each numbered from 1, and those whose 申报类型 is not
    given a third, which the warning asks to settle before publishing."""
    tier, subtitle = batch_title(items, round_name)
    chosen = [i for i in items if i.recommended]
    chosen.sort(key=lambda i: (_division(i.applicant), i.evaluation.uscc))
    kinds = [application_code(i.evaluation, i.applicant) for i in chosen]
    present = [part for part in _PARTS if part[0] in kinds]
    single = len(present) == 1 and present[0][0] == ApplicationType.NEW.value
    parts = []
    for index, (code, name, _) in enumerate(present):
        members = [i for i, kind in zip(chosen, kinds, strict=True) if kind == code]
        rows = tuple(
            PublicityRow(
                number=n,
                name=i.evaluation.name,
                region=region_text(i.applicant),
                tier=tier_label(i.evaluation.tier),
                product=certified_product(i.evaluation, i.applicant) or "",
            )
            for n, i in enumerate(members, start=1)
        )
        heading = f"{_NUMERALS[index]}、{name}（{len(rows)} 家）"
        if code is None:
            heading = f"{_NUMERALS[index]}、{name}，待核实（{len(rows)} 家）"
        parts.append(PublicityPart(name, "" if single else heading, rows))
    rows = tuple(row for part in parts for row in part.rows)
    untyped = tuple(
        f"{i.evaluation.name}（{i.evaluation.uscc}）"
        for i, kind in zip(chosen, kinds, strict=True)
        if kind is None
    )
    return PublicityList(
        title=_publicity_title(tier, [k for k in kinds if k]),
        subtitle=subtitle.split("　")[0],
        columns=_columns(PUBLICITY_COLUMNS, chosen),
        rows=rows,
        made_at=made_at,
        footer=f"生成时间 {made_at:%Y-%m-%d %H:%M}　共 {len(rows)} 家",
        empty_reason="" if rows else empty_publicity_reason(items),
        outdated=outdated_lines(chosen),
        parts=tuple(parts),
        untyped=untyped,
    )
