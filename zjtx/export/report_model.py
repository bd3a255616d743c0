"""View-model of the per-applicant assessment report (评审意见表): every printed text, exactly."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.labels import application_type_text, declared_type
from zjtx.domain.region import format_region
from zjtx.domain.results import (
    INFO_STATE_LABELS,
    Confirmation,
    CriterionKind,
    CriterionResult,
    CriterionState,
    Evaluation,
    GroupScore,
    Verdict,
    is_revision,
    state_shown,
)
from zjtx.export.fonts import missing_characters
from zjtx.export.products import product_line
from zjtx.export.review import ReviewInfo
from zjtx.scoring.fields_asked import SINGLE_FIGURES, YEAR_SERIES
from zjtx.scoring.notices import describe_notice, describe_setting
from zjtx.scoring.size import SIZE_NOT_JUDGED

if TYPE_CHECKING:
    from zjtx.store.panel_positions import ApplicantPanel

TIER_LABELS = {
    "innovative-sme": "创新型中小企业",
    "tech-sme": "科技型中小企业",
    "srdi-sme": "专精特新中小企业",
    "little-giant": "专精特新“小巨人”企业",
    "single-champion": "制造业单项冠军企业",
}

SIZE_LABELS = {
    "large": "大型企业（不属于中小企业）",
    "medium": "中型企业",
    "small": "小型企业",
    "micro": "微型企业",
    "not_covered": "不适用《中小企业划型标准规定》（所属行业不在适用范围，需人工确认）",
    "unknown": "未能划型（数据不全）",
}

NO_SIZE = "不考查（单项冠军不要求中小企业规模）"


def size_text(evaluation: Evaluation) -> str:
    """企业规模 as a report and the results sheet print it (NO_SIZE for a tier that
    SIZE_NOT_JUDGED)."""
    if evaluation.tier in SIZE_NOT_JUDGED:
        return NO_SIZE
    return SIZE_LABELS.get(evaluation.size_class, evaluation.size_class or "—")


NOT_DECIDED = "（未填写）"


def tier_label(tier: str) -> str:
    """Chinese title of a tier key such as ``srdi-sme``; unknown keys are shown as they are."""
    return TIER_LABELS.get(tier, tier)


def format_number(value: Decimal | int | None) -> str:
    """Display text of a number as given (never rounded): thousands separators, no exponent."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        return f"{int(value):,}"
    return f"{value:,f}"


def format_points(value: Decimal | None) -> str:
    """Points without trailing zeros: 8, 7.5, 0."""
    if value is None:
        return "—"
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return str(int(normal))
    return f"{normal:f}"


def format_time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One line of the criteria table."""

    number: str
    criterion_id: str
    title: str
    requirement: str
    observed: str
    state: str  # Chinese state label
    points: str  # "8 / 10", "0–10 / 10" (undecided), or "" for requirement items
    confirmed: bool = False  # the state was set or confirmed by an evaluator
    # The evaluator changed a state the data had decided (改判), not confirmed an open one.
    overridden: bool = False
    # What picks the state's colour: a CriterionState value, or ROUTE_UNMET_CODE. Derived from
    # the same result as ``state``, so rows compare by their printed text alone.
    state_code: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class GroupBlock:
    """Criteria of one rulebook group and, for scored groups, the subtotal."""

    title: str
    rows: tuple[CriterionRow, ...]
    subtotal: str = ""  # "小计 23 / 40（最低 12 分）"


@dataclass(frozen=True, slots=True)
class KeyFigureRow:
    """One key figure: label with unit and the value of each year column."""

    label: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GapLine:
    """Why an item is not met or not decided: the criterion and what is missing."""

    title: str
    state: str
    text: str


@dataclass(frozen=True, slots=True)
class JudgementLine:
    """A judgement item (or an override): computed state, the evaluator's result and reason."""

    title: str
    computed: str
    result: str  # "符合" / "不符合" / "尚未确认"
    reason: str
    evaluator: str
    at: str


@dataclass(frozen=True, slots=True)
class WarningLine:
    message: str
    reason: str
    evaluator: str


@dataclass(frozen=True, slots=True)
class ChartBar:
    """A bar of the group-score chart: points of max, and the group minimum if any."""

    title: str
    points: Decimal
    max_points: Decimal
    minimum: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PanelMemberLine:
    """A panel member on the panel page: role, name, unit, their 回避 (or "") and who else
    entered their judgements or opinion (or "")."""

    role: str
    name: str
    unit: str  # "—" when not given
    recusal: str  # "回避：理由", "评审后回避（组长 王五 于 … 确认），其判断…已撤回；理由：…" or ""
    proxy: str = ""  # "由 秘书 代录" or ""
    mark: str = ""  # beside the name in the item table and on the signature line: 回避 / 评审后回避

    @property
    def remark(self) -> str:
        """What the member table's last column says: the 回避, the 代录, or —."""
        return "；".join(part for part in (self.recusal, self.proxy) if part) or "—"


@dataclass(frozen=True, slots=True)
class PanelItemRow:
    """One judgement item: each member's position (member order), agreement and aggregate."""

    criterion_id: str
    title: str
    positions: tuple[str, ...]  # 符合（8 分） / 不符合 / 回避 / 未表态
    agreement: str  # 一致 / 有分歧 / 尚未全部表态 / 无人表态
    aggregate: str  # "8.00（算术平均，3 人）"; "不计分" for unscored items
    # What picks the agreement's colour (zjtx.store.panel_positions AGREE ...); the label says it too.
    agreement_code: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class PanelPage:
    """The 评审意见表's panel page: members, their positions, opinions, the final decision
    beside them, and a signature line for every member."""

    rule: str  # "评分汇总规则：算术平均"
    members: tuple[PanelMemberLine, ...]
    items: tuple[PanelItemRow, ...]
    notes: tuple[str, ...]  # members' notes on their positions: "LG26-5 赵六：协会证明"
    opinions: tuple[tuple[str, str], ...]  # ("评审专家 赵六", opinion), "回避" for a recused one
    decision: str  # the final decision's label, or NOT_DECIDED
    decided_by: str  # "组长 王五", another name, or ""
    decision_opinion: str

    def texts(self) -> list[str]:
        parts = [self.rule, self.decision, self.decided_by, self.decision_opinion, *self.notes]
        for m in self.members:
            parts += [m.role, m.name, m.unit, m.recusal, m.proxy]
        for row in self.items:
            parts += [row.criterion_id, row.title, *row.positions, row.agreement, row.aggregate]
        for who, text in self.opinions:
            parts += [who, text]
        return parts

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "members": [[m.role, m.name, m.unit, m.recusal, m.proxy] for m in self.members],
            "items": [
                [r.criterion_id, r.title, list(r.positions), r.agreement, r.aggregate]
                for r in self.items
            ],
            "notes": list(self.notes),
            "opinions": [list(pair) for pair in self.opinions],
            "decision": [self.decision, self.decided_by, self.decision_opinion],
        }


def panel_page(panel: ApplicantPanel, review: ReviewInfo | None) -> PanelPage:
    """The panel page of one applicant from the panel's records and the final review."""
    from zjtx.store.panel_positions import AGGREGATION_LABELS, DEPUTY, ROLE_LABELS, entered_by

    members = tuple(
        PanelMemberLine(
            m.role_label,
            m.name,
            m.unit or "—",
            panel.recusal_text(m.name),
            entered_by(panel.proxies[m.name]) if m.name in panel.proxies else "",
            panel.recusal_mark(m.name),
        )
        for m in panel.members
    )
    items = tuple(
        PanelItemRow(
            c.criterion,
            c.title,
            tuple(p.label for p in c.positions),
            c.agreement_label,
            c.aggregate_text("不计分"),
            c.agreement,
        )
        for c in panel.criteria
    )
    notes = tuple(
        f"{c.criterion} {c.title}｜{p.member}：{p.note}"
        for c in panel.criteria
        for p in c.positions
        if p.note and not p.recused
    )
    opinions = []
    for m in panel.members:
        who = f"{m.role_label} {m.name}"
        if m.name in panel.late_recusals and m.name in panel.recusals:
            opinions.append((who, panel.late_recusals[m.name].text))  # what it withdrew
        elif m.name in panel.recusals:
            opinions.append((who, "回避"))
        elif m.name in panel.opinions:
            opinions.append((who, panel.opinions[m.name]))
    decided = review is not None and bool(review.decision)
    decider = review.evaluator if review is not None and decided else ""
    role = next((m.role for m in panel.members if m.name == decider), None)
    decided_by = f"{ROLE_LABELS[role]} {decider}" if decider and role else decider
    if role == DEPUTY:
        decided_by += "（组长回避，代行）"
    return PanelPage(
        rule=f"评分汇总规则：{AGGREGATION_LABELS[panel.aggregation]}",
        members=members,
        items=items,
        notes=notes,
        opinions=tuple(opinions),
        decision=review.decision_text if review is not None and decided else NOT_DECIDED,
        decided_by=decided_by,
        decision_opinion=review.opinion if review is not None and decided else "",
    )


@dataclass(frozen=True, slots=True)
class AssessmentReport:
    """Everything printed on one applicant's assessment report, as final display text."""

    title: str
    subtitle: str  # round, tier and application type
    rulebook: str  # rulebook title, version and document number
    enterprise: tuple[tuple[str, str], ...]  # (label, value) pairs of the enterprise block
    figure_columns: tuple[str, ...]  # year headings of the key-figure table
    figures: tuple[KeyFigureRow, ...]
    groups: tuple[GroupBlock, ...]
    scored: bool
    total: str  # "72 / 100"; "" for unscored tiers
    total_range: str  # "可能区间 60–80" while items are undecided, else ""
    pass_line: str  # "60 分" or ""
    verdict: str  # the verdict's Chinese label, as printed
    verdict_code: Verdict  # what picks the verdict's colour
    verdict_reasons: tuple[str, ...]
    gaps: tuple[GapLine, ...]
    judgements: tuple[JudgementLine, ...]
    warnings: tuple[WarningLine, ...]
    decision: str
    opinion: str
    evaluator: str
    decided_at: str
    chart: tuple[ChartBar, ...]
    notes: tuple[str, ...]
    made_at: datetime
    footer: str  # made time, rulebook version, input hash (page numbers are added per page)
    bookmark: str  # outline title in a combined PDF
    name: str
    uscc: str
    input_hash: str
    missing_characters: tuple[str, ...] = field(default=())
    evaluator_unit: str = ""  # printed beside the evaluator's signature; "" = a blank line
    # Under the rulebook line: the year's notices applied and the settings a notice or the
    # round fixed (an override says what it overrode), e.g. “适用通知：工信厅企业函〔2025〕190号…”.
    policy: tuple[str, ...] = ()
    panel: PanelPage | None = None  # the panel page, when the round has an expert panel
    decision_note: str = ""  # why a decision needs a second look (需复核), printed under it

    def all_text(self) -> str:
        """Every printed string (for the font-coverage check and for tests)."""
        parts: list[str] = [self.title, self.subtitle, self.rulebook, *self.policy, self.footer]
        parts += [v for pair in self.enterprise for v in pair]
        parts += list(self.figure_columns)
        for row in self.figures:
            parts += [row.label, *row.values]
        for group in self.groups:
            parts += [group.title, group.subtotal]
            for c in group.rows:
                parts += [c.number, c.title, c.requirement, c.observed, c.state, c.points]
        parts += [self.total, self.total_range, self.pass_line, self.verdict, *self.verdict_reasons]
        for gap in self.gaps:
            parts += [gap.title, gap.state, gap.text]
        for j in self.judgements:
            parts += [j.title, j.computed, j.result, j.reason, j.evaluator, j.at]
        for w in self.warnings:
            parts += [w.message, w.reason, w.evaluator]
        parts += [self.decision, self.decision_note, self.opinion, self.evaluator]
        parts += [self.evaluator_unit]
        parts += [self.decided_at, *self.notes]
        parts += [bar.title for bar in self.chart]
        if self.panel is not None:
            parts += self.panel.texts()
        return "\n".join(p for p in parts if p)


def region_text(applicant: Applicant | None) -> str:
    """所在地区 in the one form the window shows (zjtx.domain.region), or "—"."""
    if applicant is None:
        return "—"
    return format_region(
        applicant.get("province"), applicant.get("city"), applicant.get("county"), empty="—"
    )


def application_code(evaluation: Evaluation, applicant: Applicant | None) -> str | None:
    """The 申报类型 code (new / renewal) the applicant's own data give, None when they give
    none (as scoring's type_unknown reads them); the evaluation's stands only without data."""
    raw = applicant.get("application_type") if applicant is not None else None
    if applicant is None:
        raw = evaluation.application_type
    return declared_type(raw)


def application_text(evaluation: Evaluation, applicant: Applicant | None) -> str:
    """申报类型 as printed: 新申报 or 复核, 未填 when the applicant's data do not say it
    (never 新申报 for want of an answer), in the words application_type_text gives."""
    return application_type_text(application_code(evaluation, applicant) or "")


def industry_text(applicant: Applicant | None, catalogue: FieldCatalogue) -> str:
    """所属行业: the GB/T 4754 code and the size-standard sector."""
    if applicant is None:
        return "—"
    code = applicant.get("industry_code")
    sector = applicant.get("size_sector")
    sector_text = ""
    if sector and "size_sector" in catalogue:
        sector_text = catalogue["size_sector"].format_value(sector)
    if code and sector_text:
        return f"{code}（{sector_text}）"
    return str(code or sector_text or "—")


def open_points(item: CriterionResult) -> str | None:
    """The points an open item can still end with ("0–15"), None once they are decided."""
    low, high = item.points_min, item.points_max
    if low is not None and high is not None and low != high:
        return f"{format_points(low)}–{format_points(high)}"
    return None


def _points_text(item: CriterionResult) -> str:
    if item.kind != CriterionKind.SCORE and item.max_points is None:
        return ""
    max_text = format_points(item.max_points) if item.max_points is not None else "—"
    return f"{open_points(item) or format_points(item.points)} / {max_text}"


ROUTE_UNMET = "未满足"
ROUTE_UNMET_CODE = "route_unmet"


INFO_CODE = "info"  # the state code of an informational item held or not (no colour)


def _state_code(item: CriterionResult) -> str:
    """The code behind ``_state_text``: the state's value, ROUTE_UNMET_CODE or INFO_CODE."""
    if item.kind == CriterionKind.ROUTE and item.state == CriterionState.UNMET:
        return ROUTE_UNMET_CODE
    if item.kind == CriterionKind.INFO and item.state in INFO_STATE_LABELS:
        return INFO_CODE
    return item.state.value


def _state_text(item: CriterionResult) -> str:
    """State label; an unmet alternative route reads 未满足 (it is not a failure by itself),
    an informational item 有 or 无 (state_shown)."""
    if item.kind == CriterionKind.ROUTE and item.state == CriterionState.UNMET:
        return ROUTE_UNMET
    return state_shown(item.state, item.kind)


def _subtotal_text(group: GroupScore) -> str:
    text = f"小计 {format_points(group.points)} / {format_points(group.max_points)}"
    extras = []
    if group.points_min != group.points_max:
        extras.append(f"可能 {format_points(group.points_min)}–{format_points(group.points_max)}")
    if group.minimum is not None:
        extras.append(f"最低 {format_points(group.minimum)} 分")
    return text + (f"（{'，'.join(extras)}）" if extras else "")


def _missing_text(item: CriterionResult, catalogue: FieldCatalogue) -> str:
    labels = []
    for key in item.missing:
        spec = catalogue.get(key)
        labels.append(spec.relative_label() if spec else key)
    return "缺少数据：" + "、".join(labels) if labels else ""


def _gap_lines(evaluation: Evaluation, catalogue: FieldCatalogue) -> tuple[GapLine, ...]:
    lines: list[GapLine] = []
    for item in evaluation.criteria:
        if item.kind in (CriterionKind.INFO, CriterionKind.ROUTE):
            continue
        if item.state == CriterionState.UNMET:
            text = item.gap or "；".join(p.gap for p in item.parts if p.gap) or "未达到要求"
        elif item.state == CriterionState.UNKNOWN:
            text = _missing_text(item, catalogue) or item.gap or "数据不全，无法判定"
        else:
            continue
        lines.append(GapLine(title=item.title, state=item.state.label, text=text))
    return tuple(lines)


def _confirmation_for(item: CriterionResult, review: ReviewInfo | None) -> Confirmation | None:
    if item.confirmation is not None:
        return item.confirmation
    if review is not None:
        for confirmation in review.confirmations:
            if confirmation.criterion_id == item.id:
                return confirmation
    return None


def _judgement_lines(
    evaluation: Evaluation, review: ReviewInfo | None, recused: Mapping[str, str]
) -> tuple[JudgementLine, ...]:
    """The judgement items and overrides; one confirmed by a panel member who then declared
    回避 (``recused``: member → reason) says so beside their name: it stays in force until the
    组长 confirms it again."""
    lines: list[JudgementLine] = []
    for item in evaluation.criteria:
        confirmation = _confirmation_for(item, review)
        if confirmation is None and (
            not item.judgement
            or item.state in (CriterionState.MET, CriterionState.UNMET, CriterionState.NA)
        ):
            # Nothing awaits an evaluator: the data decided it (a 通用资格条件 whose size
            # class is clear), so it is not listed as 尚未确认.
            continue
        computed = (item.computed_state or item.state).label
        if confirmation is None:
            lines.append(JudgementLine(item.title, computed, "尚未确认", "", "", ""))
            continue
        result = confirmation.state.label
        if is_revision(item.computed_state, confirmation.state):
            result += "（改判）"
        lines.append(
            JudgementLine(
                title=item.title,
                computed=computed,
                result=result,
                reason=confirmation.reason,
                evaluator=confirmation.evaluator
                + ("（其后声明回避）" if confirmation.evaluator in recused else ""),
                at=format_time(confirmation.at),
            )
        )
    return tuple(lines)


def _figure_rows(
    applicant: Applicant | None, catalogue: FieldCatalogue, year: int
) -> tuple[tuple[str, ...], tuple[KeyFigureRow, ...]]:
    columns = tuple(f"{year - offset}年" for offset in (1, 2, 3))
    rows: list[KeyFigureRow] = []
    values = applicant.values if applicant is not None else {}
    for series in YEAR_SERIES:
        spec = catalogue.get(f"{series}_y1")
        if spec is None:
            continue
        label = f"{spec.label}（{spec.unit}）" if spec.unit else spec.label
        shown = amount_text if spec.unit == "万元" else format_number
        cells = tuple(shown(values.get(f"{series}_y{n}")) for n in (1, 2, 3))
        rows.append(KeyFigureRow(label, cells))
    for key in SINGLE_FIGURES:
        spec = catalogue.get(key)
        if spec is None:
            continue
        label = spec.year_label(year) + (f"（{spec.unit}）" if spec.unit else "")
        shown = amount_text if spec.unit == "万元" else format_number
        rows.append(KeyFigureRow(label, (shown(values.get(key)), "", "")))
    return columns, tuple(rows)


CENTS = Decimal("0.01")


def amount_text(value: Any) -> str:
    """An amount in 万元 with two decimals at least, so a column's decimal points line up
    (1,946.4 as 1,946.40, 63,599 as 63,599.00); more decimals given are all kept, never
    rounded."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        number = Decimal(value)
        with contextlib.suppress(InvalidOperation):  # beyond the context's precision: as given
            if number.is_finite() and number == number.quantize(CENTS):
                return format_number(number.quantize(CENTS))
    return format_number(value)


def policy_lines(evaluation: Evaluation) -> tuple[str, ...]:
    """The notices an evaluation was judged by and its notice or round settings, one line each."""
    lines = [f"适用通知：{describe_notice(record)}" for record in evaluation.notices]
    lines += [f"批次设置：{describe_setting(record)}" for record in evaluation.settings]
    # The embedded font has no ⚠; the report marks unverified items in words, as elsewhere.
    return tuple(line.replace(" ⚠未核实", "（未核实）").replace("⚠", "") for line in lines)


def report_input_hash(
    evaluation: Evaluation, review: ReviewInfo | None, panel: PanelPage | None = None
) -> str:
    """SHA-256 of everything the report shows: the evaluation's input hash or content, plus review.

    The footer prints its first 16 hex digits so a printed page can be matched to its inputs.
    """
    digest = hashlib.sha256()
    digest.update((evaluation.input_hash or "").encode())
    digest.update(json.dumps(evaluation.to_dict(), ensure_ascii=False, sort_keys=True).encode())
    if review is not None:
        digest.update(json.dumps(_review_dict(review), ensure_ascii=False, sort_keys=True).encode())
    if panel is not None:  # only with a panel: the hash of reports without one is unchanged
        digest.update(json.dumps(panel.to_dict(), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _review_dict(review: ReviewInfo) -> dict[str, Any]:
    data: dict[str, Any] = {
        "decision": review.decision_label,
        "opinion": review.opinion,
        "evaluator": review.evaluator,
        "decided_at": format_time(review.decided_at),
        "confirmations": [
            [c.criterion_id, str(c.state), c.reason, c.evaluator, format_time(c.at)]
            for c in review.confirmations
        ],
        "warnings": [[w.message, w.reason, w.evaluator] for w in review.acknowledged_warnings],
    }
    if review.evaluator_unit:  # only when printed: the hash of reports without it is unchanged
        data["evaluator_unit"] = review.evaluator_unit
    if review.outdated:  # likewise
        data["outdated"] = review.outdated
    return data


def build_assessment_report(
    evaluation: Evaluation,
    *,
    catalogue: FieldCatalogue,
    applicant: Applicant | None = None,
    review: ReviewInfo | None = None,
    made_at: datetime,
    round_name: str | None = None,
    rulebook_document: str | None = None,
    panel: ApplicantPanel | None = None,
) -> AssessmentReport:
    """The report view-model of one evaluated applicant.

    Args:
        evaluation: the evaluator's result (with confirmations applied, if any).
        catalogue: field catalogue for labels and units of the key figures.
        applicant: the applicant's data (region, industry, key figures); optional.
        review: decision, opinion, confirmations and acknowledged warnings; optional.
        made_at: time printed in the footer and stored as the PDF creation date (pass the same
            value to reproduce a report byte for byte).
        round_name: the round's name (e.g. ``2026年第一批``); defaults to the round date.
        rulebook_document: the instrument's document number, e.g. ``工信部企业〔2026〕2号``.
        panel: the expert panel's work on this applicant (zjtx.store.panels), when the round
            has a panel: the report then ends with a panel page.
    """
    tier = tier_label(evaluation.tier)
    year = evaluation.round_date.year
    round_text = round_name or (
        f"{evaluation.round_date.year}年{evaluation.round_date.month}月"
        f"{evaluation.round_date.day}日批次"
    )
    application = application_text(evaluation, applicant)
    rulebook = (
        f"{evaluation.rulebook_title}（{evaluation.rulebook}，版本 {evaluation.rulebook_version}"
    )
    if evaluation.overlay:
        rulebook += f"，地方规则 {evaluation.overlay}"
    rulebook += "）"
    if rulebook_document:
        rulebook = f"{rulebook_document}　{rulebook}"

    enterprise = (
        ("企业名称", evaluation.name),
        ("统一社会信用代码", evaluation.uscc),
        ("所在地区", region_text(applicant)),
        ("所属行业", industry_text(applicant, catalogue)),
        ("企业规模", size_text(evaluation)),
        ("申报类型", application),
        # What the product criteria and judgement items judge, named on the form they sign.
        product_line(evaluation, applicant),
    )
    columns, figures = _figure_rows(applicant, catalogue, year)

    groups_by_id = {g.id: g for g in evaluation.groups}
    order: list[str] = []
    members: dict[str, list[CriterionResult]] = {}
    titles: dict[str, str] = {}
    for item in evaluation.criteria:
        if item.group not in members:
            order.append(item.group)
            members[item.group] = []
            titles[item.group] = item.group_title
        members[item.group].append(item)
    blocks: list[GroupBlock] = []
    number = 0
    for group_id in order:
        rows = []
        for item in members[group_id]:
            number += 1
            observed = item.observed or "—"
            if item.unverified:
                observed += "（口径未核实）"
            confirmation = _confirmation_for(item, review)
            rows.append(
                CriterionRow(
                    number=str(number),
                    criterion_id=item.id,
                    title=item.title,
                    requirement=item.requirement,
                    observed=observed,
                    state=_state_text(item),
                    points=_points_text(item),
                    confirmed=confirmation is not None,
                    overridden=confirmation is not None
                    and is_revision(item.computed_state, item.state),
                    state_code=_state_code(item),
                )
            )
        score = groups_by_id.get(group_id)
        blocks.append(
            GroupBlock(
                title=titles[group_id],
                rows=tuple(rows),
                subtotal=_subtotal_text(score) if score is not None else "",
            )
        )

    scored = evaluation.scored
    total = total_range = pass_line = ""
    chart: tuple[ChartBar, ...] = ()
    if scored:
        total = f"{format_points(evaluation.score)} / {format_points(evaluation.max_score)}"
        if evaluation.score_min != evaluation.score_max:
            total_range = (
                f"可能区间 {format_points(evaluation.score_min)}–"
                f"{format_points(evaluation.score_max)}"
            )
        if evaluation.pass_line is not None:
            pass_line = f"{format_points(evaluation.pass_line)} 分"
        chart = tuple(
            ChartBar(g.title, g.points, g.max_points, g.minimum) for g in evaluation.groups
        )

    decision = review.decision_text if review and review.decision else NOT_DECIDED
    page = panel_page(panel, review) if panel is not None and panel.members else None
    input_hash = report_input_hash(evaluation, review, page)
    footer = (
        f"生成时间 {made_at:%Y-%m-%d %H:%M}　认定标准 {evaluation.rulebook} "
        f"版本 {evaluation.rulebook_version}　输入摘要 {input_hash[:16]}"
    )
    report = AssessmentReport(
        title=f"{tier}评审意见表",
        subtitle=f"{round_text}　{tier}　{application}",
        rulebook=rulebook,
        policy=policy_lines(evaluation),
        enterprise=enterprise,
        figure_columns=columns,
        figures=figures,
        groups=tuple(blocks),
        scored=scored,
        total=total,
        total_range=total_range,
        pass_line=pass_line,
        verdict=evaluation.verdict.label,
        verdict_code=evaluation.verdict,
        verdict_reasons=evaluation.verdict_reasons,
        gaps=_gap_lines(evaluation, catalogue),
        judgements=_judgement_lines(evaluation, review, panel.recusals if panel else {}),
        warnings=tuple(
            WarningLine(w.message, w.reason, w.evaluator)
            for w in (review.acknowledged_warnings if review else ())
        ),
        decision=decision,
        decision_note=(review.outdated or "") if review is not None and review.decision else "",
        opinion=review.opinion if review else "",
        evaluator=review.evaluator if review else "",
        evaluator_unit=review.evaluator_unit if review else "",
        decided_at=format_time(review.decided_at) if review else "",
        chart=chart,
        notes=evaluation.notes,
        made_at=made_at,
        footer=footer,
        bookmark=f"{evaluation.name}（{evaluation.uscc}）",
        name=evaluation.name,
        uscc=evaluation.uscc,
        input_hash=input_hash,
        panel=page,
    )
    missing = missing_characters(report.all_text())
    if missing:
        report = _with_missing(report, missing)
    return report


def _with_missing(report: AssessmentReport, missing: tuple[str, ...]) -> AssessmentReport:
    # The characters themselves cannot print here: their codes, once each.
    note = "注意：字体缺少以下字符，已以编码代替打印，请核对后手工补写：" + "、".join(
        f"U+{ord(c):04X}" for c in missing
    )
    return replace(report, missing_characters=missing, notes=(*report.notes, note))
