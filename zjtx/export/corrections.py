"""补正清单: per applicant, what the enterprise must still supply (data a criterion lacks, import
warnings not yet resolved, judgement items waiting for evidence) and where it belongs; as a
view-model, an .xlsx and a PDF."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from zjtx.domain.applicant import Applicant
from zjtx.domain.fields import FieldCatalogue, FieldSpec
from zjtx.domain.labels import CriterionState, Verdict
from zjtx.domain.results import CriterionKind
from zjtx.export.excel import _new_workbook, _table_sheet
from zjtx.export.pdf_common import Cell, build_document, grid, para
from zjtx.files import write_atomically
from zjtx.intake.templates import header_text
from zjtx.scoring.criterion_parsing import VERDICT, referrers
from zjtx.store.dto import ApplicantDetail
from zjtx.store.reviews import RequestedItem

KIND_LABELS = {
    "data": "缺少数据",
    "undefined": "数据无法计算",
    "issue": "导入问题待核实",
    "evidence": "待补充证明材料",
}
OPEN = (CriterionState.UNKNOWN, CriterionState.MANUAL)
# What the evaluator writes for a quantity every figure of which is given, yet which cannot be
# computed (zjtx.scoring.context): "前年主营业务收入为 0，无法计算上年度主营业务收入增长率".
_UNDEFINED = re.compile(r"([^；，。（）()]+?)为 ([^，；]+)，无法计算([^；。（）()]+)")
COLUMNS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "评价结论",
    "类别",
    "相关指标",
    "需补充内容",
    "填写位置",
)
WIDTHS = (6, 32, 22, 20, 10, 14, 28, 48, 52)
_ROSTER_ROW = re.compile(r"^(\d+):\1$")
_JSON_RECORD = re.compile(r"^\[(\d+)\]$")


@dataclass(frozen=True, slots=True)
class CorrectionItem:
    """One thing to supply: its kind, the criterion it is for, the request in the applicant's
    words, where the value belongs, and the catalogue keys that show it arrived."""

    kind: str  # data | undefined | issue | evidence
    criterion: str  # "LG26-3 近两年研发费用", or "" for an import issue without one
    request: str  # "请补充：近两年研发费用（2024年、2025年）"
    where: str
    fields: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "criterion": self.criterion,
            "request": self.request,
            "where": self.where,
            "fields": list(self.fields),
        }


@dataclass(frozen=True, slots=True)
class ApplicantCorrections:
    """Everything one applicant must still supply."""

    uscc: str
    name: str
    region: str
    verdict: str | None
    decision_label: str
    items: tuple[CorrectionItem, ...]

    @property
    def verdict_label(self) -> str:
        return Verdict.label_of(self.verdict, "未评价")

    def requested(self) -> list[RequestedItem]:
        """The items as a 退回补充材料 decision keeps them (StoreService.apply_review)."""
        return [
            RequestedItem(f"{i.request}（{i.where}）" if i.where else i.request, i.fields)
            for i in self.items
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "region": self.region,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "decision_label": self.decision_label,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class CorrectionsList:
    """The 补正清单 of a round: applicants with something to supply, 待定 first."""

    round_name: str
    round_date: date
    made_at: datetime
    applicants: tuple[ApplicantCorrections, ...] = field(default_factory=tuple)

    @property
    def items(self) -> int:
        return sum(len(a.items) for a in self.applicants)

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "round_date": self.round_date.isoformat(),
            "made_at": self.made_at.isoformat(),
            "applicant_count": len(self.applicants),
            "item_count": self.items,
            "applicants": [a.to_dict() for a in self.applicants],
        }


def _years(specs: Sequence[FieldSpec], year: int) -> str:
    suffix = "年末" if specs[0].period == "end" else "年"
    return "、".join(f"{y}{suffix}" for y in sorted(year - s.year for s in specs if s.year))


def missing_request(title: str, keys: Sequence[str], catalogue: FieldCatalogue, year: int) -> str:
    """ "请补充：近两年研发费用（2024年、2025年）": the missing fields of a criterion by their
    catalogue labels, a year series once with its calendar years; the criterion's title stands
    for a series it names (近两年研发费用 for 研发费用)."""
    series: dict[str, list[FieldSpec]] = {}
    for key in keys:
        spec = catalogue.get(key)
        if spec is None:
            series.setdefault(key, [])
        else:
            series.setdefault(spec.base if spec.year else key, []).append(spec)
    parts = []
    for base, specs in series.items():
        if not specs:
            parts.append(base)
            continue
        label = specs[0].label
        if len(series) == 1 and title.endswith(label):
            label = title
        parts.append(f"{label}（{_years(specs, year)}）" if specs[0].year else label)
    return "请补充：" + ("、".join(parts) if parts else f"{title}所需数据")


def _oldest_year_first(keys: Sequence[str], catalogue: FieldCatalogue) -> list[str]:
    """Keys in their order, the years of one series oldest first (2024年 before 2025年)."""
    bases: dict[str, int] = {}
    for key in keys:
        spec = catalogue.get(key)
        bases.setdefault(spec.base if spec is not None and spec.year else key, len(bases))

    def order(key: str) -> tuple[int, int]:
        spec = catalogue.get(key)
        base = spec.base if spec is not None and spec.year else key
        return bases[base], -(spec.year or 0) if spec is not None else 0

    return sorted(keys, key=order)


def value_places(
    applicant: Applicant, keys: Sequence[str], catalogue: FieldCatalogue, year: int
) -> str:
    """Where the values of ``keys`` belong: a field's own cell when the file had one, else its
    column (the header as the template writes it) in the applicant's roster row or form,
    the columns of one row named together."""
    own: list[str] = []
    columns: dict[str, list[str]] = {}
    source = applicant.source
    for key in _oldest_year_first(keys, catalogue):
        spec = catalogue.get(key)
        header = f"“{header_text(spec, year) if spec is not None else key}”"
        known = applicant.provenance.get(key)
        if known is not None and known.cell:
            own.append(" · ".join(p for p in (known.file, known.sheet, known.cell) if p))
            continue
        cell = source.cell or "" if source is not None else ""
        if source is None:
            prefix, suffix = "", ""
        elif match := _ROSTER_ROW.match(cell):
            sheet = f" · {source.sheet}" if source.sheet else ""  # a CSV has no sheet
            prefix, suffix = f"{source.file}{sheet} · 第 {match.group(1)} 行", "列"
        elif match := _JSON_RECORD.match(cell):
            prefix, suffix = f"{source.file} 第 {match.group(1)} 条记录", "项"
        else:
            sheet = f" · {source.sheet}" if source.sheet else ""
            prefix, suffix = f"{source.file}{sheet}", "栏"
        columns.setdefault(prefix + "\x1f" + suffix, []).append(header)
    for place, headers in columns.items():
        prefix, suffix = place.split("\x1f")
        own.append(f"{prefix}{''.join(headers)}{suffix}")
    return "；".join(own)


Referrers = Mapping[str, frozenset[str]]  # criterion -> the criteria referring to it ("": verdict)


def _could_change(result: Mapping[str, Any], referrers: Referrers | None) -> Callable[[dict], bool]:
    """Whether an open criterion (待补充数据, 待人工确认) of a result could still change its
    outcome once decided. Open items cannot move a verdict already reached either way (a
    failed requirement stays failed, whatever the rest; 符合条件 holds whatever is open); a
    scored item can still move the score (printed and ranked) unless the verdict is failed.
    Of a 待定 result, an item counts only if the verdict refers to it, or an open criterion
    that counts does (an alternative route whose criterion is met another way, by another
    route or the score, cannot); without ``referrers`` (no rulebook at hand), every one."""
    verdict = result.get("verdict")
    criteria = {c["id"]: c for c in result.get("criteria", ())}
    memo: dict[str, bool] = {}

    def reaches(cid: str) -> bool:
        """Whether the verdict refers to it, or an open criterion that counts does."""
        if referrers is None or cid not in referrers:
            return True
        if cid not in memo:
            memo[cid] = any(ref == VERDICT or open_and_counts(ref) for ref in referrers[cid])
        return memo[cid]

    def open_and_counts(cid: str) -> bool:
        c = criteria.get(cid)
        return c is not None and c["state"] in OPEN and counts(c)

    def counts(c: dict) -> bool:
        if verdict == Verdict.NOT_QUALIFIED:
            return False
        if c.get("kind") == CriterionKind.SCORE:
            return True
        return verdict == Verdict.PENDING and reaches(c["id"])

    return counts


def _undefined_item(
    c: dict, detail: ApplicantDetail, catalogue: FieldCatalogue, year: int
) -> CorrectionItem | None:
    """A quantity whose figures were all given but which cannot be computed (a zero base:
    前年主营业务收入为 0): why, and where the figure is, for the enterprise to check; None when
    the criterion's text names no such quantity."""
    found = _UNDEFINED.findall(c.get("observed") or "")
    if not found:
        return None
    labels = {spec.relative_label(): spec.key for spec in catalogue}
    keys = tuple(dict.fromkeys(labels[what] for what, _, _ in found if what in labels))
    problems = "；".join(f"{what}为 {value}，{target}无法计算" for what, value, target in found)
    return CorrectionItem(
        "undefined",
        f"{c['id']} {c['title']}",
        f"请核实：{problems}。如填写有误请更正；如属实请说明情况",
        value_places(detail.applicant, keys, catalogue, year) or _file_of(detail),
        keys,
    )


def _file_of(detail: ApplicantDetail) -> str:
    source = detail.applicant.source
    return source.file if source is not None else ""


def applicant_corrections(
    detail: ApplicantDetail,
    catalogue: FieldCatalogue,
    year: int,
    referrers: Referrers | None = None,
) -> ApplicantCorrections:
    """What one applicant must still supply, from its current evaluation and open warnings:
    only what could change its outcome (see _could_change; ``referrers`` is its rulebook's,
    zjtx.scoring.criterion_parsing.referrers)."""
    review = detail.review
    result = review.evaluation or {}
    counts = _could_change(result, referrers)
    items: list[CorrectionItem] = []
    waiting: list[dict] = []  # open, with nothing of its own to supply (its score is open)
    for c in result.get("criteria", []):
        if c["state"] not in OPEN or not counts(c):
            continue
        name = f"{c['id']} {c['title']}"
        if c["state"] == CriterionState.UNKNOWN:
            keys = tuple(c.get("missing") or ())
            if not keys and (undefined := _undefined_item(c, detail, catalogue, year)):
                items.append(undefined)
                continue
            if not keys:
                waiting.append(c)
                continue
            places = value_places(detail.applicant, keys, catalogue, year)
            items.append(
                CorrectionItem(
                    "data", name, missing_request(c["title"], keys, catalogue, year), places, keys
                )
            )
        elif c["state"] == CriterionState.MANUAL:
            observed = f"（申报：{c['observed']}）" if c.get("observed") else ""
            items.append(
                CorrectionItem(
                    "evidence",
                    name,
                    f"请提供证明材料：{c['title']}{observed}",
                    "随申报材料附证明文件",
                )
            )
    if not items:  # no open item of its own says what these wait on: ask for them as such
        items += [
            CorrectionItem(
                "data", f"{c['id']} {c['title']}", f"请补充：{c['title']}所需数据", _file_of(detail)
            )
            for c in waiting
        ]
    for issue in review.open_warnings:
        label = ""
        if issue.field and (spec := catalogue.get(issue.field)) is not None:
            label = header_text(spec, year) + "："
        items.append(
            CorrectionItem(
                "issue",
                "",
                f"请核实并更正：{label}{issue.message}",
                issue.location(),
                (issue.field,) if issue.field else (),
            )
        )
    row = detail.row
    return ApplicantCorrections(
        row.uscc, row.name, row.region, row.verdict, review.decision_label, tuple(items)
    )


def build_corrections(
    details: Iterable[ApplicantDetail],
    *,
    round_name: str,
    round_date: date,
    catalogue: FieldCatalogue,
    made_at: datetime | None = None,
    referrers: Callable[[ApplicantDetail], Referrers | None] | None = None,
) -> CorrectionsList:
    """The 补正清单 of a round: every applicant with something to supply, 待定 first, then in
    the order given; decided 推荐/不推荐 applicants need nothing more and are left out.
    ``referrers`` gives an applicant's rulebook's references (what decides whether an open
    alternative could change its outcome)."""
    found = []
    for detail in details:
        if detail.review.decision in ("recommend", "reject"):
            continue
        links = referrers(detail) if referrers is not None else None
        entry = applicant_corrections(detail, catalogue, round_date.year, links)
        if entry.items:
            found.append(entry)
    found.sort(key=lambda a: a.verdict != Verdict.PENDING)
    return CorrectionsList(
        round_name, round_date, made_at or datetime.now().astimezone(), tuple(found)
    )


def corrections_of_round(
    service: Any,
    round_name: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> CorrectionsList:
    """build_corrections over a stored round (StoreService), with the catalogue of its fields
    (an overlay's own fields, and a question a notice words anew, in their words)."""
    info = service.get_round(round_name)
    catalogue = service.round_catalogue(round_name)
    details = service.round_details(round_name, progress=progress, cancel=cancel)
    return build_corrections(
        details,
        round_name=info.name,
        round_date=info.round_date,
        catalogue=catalogue,
        referrers=round_referrers(service, info),
    )


def round_referrers(service: Any, info: Any) -> Callable[[ApplicantDetail], Referrers | None]:
    """Each applicant's rulebook's references, read once per rulebook; None where no
    rulebook governs the applicant now (or the service's scorer has none)."""
    governing = getattr(service.scorer, "governing", None)
    known: dict[str, Referrers] = {}

    def of(detail: ApplicantDetail) -> Referrers | None:
        rulebook = governing(detail.applicant, info) if governing is not None else None
        if rulebook is None:
            return None
        if rulebook.hash not in known:
            known[rulebook.hash] = referrers(rulebook.criteria, rulebook.verdict)
        return known[rulebook.hash]

    return of


def _rows(model: CorrectionsList) -> list[tuple[Any, ...]]:
    return [
        (
            n,
            a.name,
            a.uscc,
            a.region or "—",
            a.verdict_label,
            i.kind_label,
            i.criterion or "—",
            i.request,
            i.where,
        )
        for n, a in enumerate(model.applicants, 1)
        for i in a.items
    ]


def write_corrections_xlsx(model: CorrectionsList, path: Path) -> Path:
    """补正清单 as one sheet, a row per item under a frozen filterable header (atomic write)."""
    workbook = _new_workbook(model.made_at)
    _table_sheet(workbook, "补正清单", COLUMNS, _rows(model), WIDTHS)
    return write_atomically(Path(path), workbook.save)


def write_corrections_pdf(model: CorrectionsList, path: Path) -> int:
    """补正清单 as an A4 landscape PDF, a table per applicant; returns the page count."""
    page = landscape(A4)
    width = page[0] - 30 * mm
    widths = [w * width for w in (0.12, 0.2, 0.38, 0.30)]
    story: list[Any] = [
        para(f"补正清单 — {model.round_name}", "title"),
        para(
            f"批次日期 {model.round_date.isoformat()}　共 {len(model.applicants)} 家企业、"
            f"{model.items} 项需补充　生成于 {model.made_at.strftime('%Y-%m-%d %H:%M')}",
            "subtitle",
        ),
        Spacer(1, 4 * mm),
    ]
    if not model.applicants:
        story.append(para("本批次没有需要企业补充的材料。", "body"))
    for n, applicant in enumerate(model.applicants, 1):
        heading = para(
            f"{n}. {applicant.name}（{applicant.uscc}）　评价结论：{applicant.verdict_label}"
            + (f"　所在地区：{applicant.region}" if applicant.region else ""),
            "section",
        )
        rows = [
            [
                Cell("类别", "head"),
                Cell("相关指标", "head"),
                Cell("需补充内容", "head"),
                Cell("填写位置", "head"),
            ]
        ]
        rows += [[i.kind_label, i.criterion or "—", i.request, i.where] for i in applicant.items]
        table = grid(
            rows, widths, repeat_rows=1, commands=[("BACKGROUND", (0, 0), (-1, 0), "#e8ecf2")]
        )
        story.append(KeepTogether([heading, table]) if len(rows) < 12 else heading)
        if len(rows) >= 12:
            story.append(table)
    target = Path(path)
    pages: list[int] = []
    write_atomically(
        target,
        lambda tmp: pages.append(
            build_document(
                tmp,
                story,
                pagesize=page,
                made_at=model.made_at,
                title=f"补正清单 {model.round_name}",
                subject="需企业补充的数据与材料",
            )
        ),
    )
    return pages[0]


def requested_for(service: Any, round_name: str, uscc: str) -> list[RequestedItem]:
    """What one stored applicant must supply, as a 退回补充材料 decision keeps it."""
    info = service.get_round(round_name)
    detail = service.applicant_detail(round_name, uscc)
    links = round_referrers(service, info)(detail)
    catalogue = service.round_catalogue(round_name)
    return applicant_corrections(detail, catalogue, info.round_date.year, links).requested()
