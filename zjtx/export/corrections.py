"""补正清单: per applicant, what the enterprise must still supply (data a criterion lacks, import
warnings not yet resolved, judgement items waiting for evidence) and where it belongs; as a
view-model, an .xlsx and a PDF."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from zjtx.domain.applicant import Applicant
from zjtx.domain.fields import FieldCatalogue, FieldSpec
from zjtx.domain.labels import ApplicationType, CriterionState, Verdict
from zjtx.export.correction_scope import OPEN, OutcomeLinks, Reach, reach_of
from zjtx.export.excel import _new_workbook, _table_sheet
from zjtx.export.pdf_common import Cell, build_document, grid, para
from zjtx.files import write_atomically
from zjtx.intake.templates import header_text
from zjtx.scoring.criterion_parsing import VERDICT
from zjtx.scoring.type_unknown import TYPE_DECIDES, UNKNOWN_TYPE
from zjtx.store.dto import ApplicantDetail, RefusedSubmission
from zjtx.store.reviews import RequestedItem

KIND_LABELS = {
    "data": "缺少数据",
    "undefined": "数据无法计算",
    "issue": "导入问题待核实",
    "evidence": "待补充证明材料",
}
# What the evaluator writes for a quantity every figure of which is given, yet which cannot be
# computed (zjtx.scoring.context): "前年主营业务收入为 0，无法计算上年度主营业务收入增长率".
_UNDEFINED = re.compile(r"([^；，。（）()]+?)为 ([^，；]+)，无法计算([^；。（）()]+)")
COLUMNS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "评价结论",
    "补正性质",
    "类别",
    "相关指标",
    "需补充内容",
    "填写位置",
)
WIDTHS = (6, 32, 22, 20, 10, 24, 14, 28, 48, 52)
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
    items: tuple[CorrectionItem, ...]  # what could change the outcome (需补正)
    # What could change only the score (可补充（仅影响得分）): every value it can take leaves
    # the verdict, and a 待定 applicant's side of the pass line, as they are.
    score_items: tuple[CorrectionItem, ...] = ()

    @property
    def verdict_label(self) -> str:
        return Verdict.label_of(self.verdict, "未评价")

    def requested(self) -> list[RequestedItem]:
        """The items as a 退回补充材料 decision keeps them (StoreService.apply_review): what
        could change the outcome, then what could change only the score, said to be so and
        without fields (its arrival is not awaited: a re-import never reads 仍缺 for it)."""
        asked = [
            RequestedItem(f"{i.request}（{i.where}）" if i.where else i.request, i.fields)
            for i in self.items
        ]
        return asked + [
            RequestedItem(
                f"〔{Reach.SCORE.label}〕{i.request}" + (f"（{i.where}）" if i.where else "")
            )
            for i in self.score_items
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
            "score_items": [i.to_dict() for i in self.score_items],
        }


@dataclass(frozen=True, slots=True)
class CorrectionsList:
    """The 补正清单 of a round: applicants with something to supply, 待定 first."""

    round_name: str
    round_date: date
    made_at: datetime
    applicants: tuple[ApplicantCorrections, ...] = field(default_factory=tuple)
    # Submissions the gate refused that no later file imported: sent back with their reasons.
    refused: tuple[RefusedSubmission, ...] = ()

    @property
    def items(self) -> int:
        """How many items could change an outcome (需补正)."""
        return sum(len(a.items) for a in self.applicants)

    @property
    def score_items(self) -> int:
        """How many items could change only a score (可补充（仅影响得分）)."""
        return sum(len(a.score_items) for a in self.applicants)

    def counts_text(self) -> str:
        """What was listed, as `zjtx round corrections` and the window say it once written."""
        extra = f"，另 {self.score_items} 项{Reach.SCORE.label}" if self.score_items else ""
        refused = f"；另有 {len(self.refused)} 份申报未能导入" if self.refused else ""
        return (
            f"{len(self.applicants)} 家企业，共 {self.items} 项需补正（可能改变评价结论）"
            f"{extra}{refused}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "round_date": self.round_date.isoformat(),
            "made_at": self.made_at.isoformat(),
            "applicant_count": len(self.applicants),
            "item_count": self.items,
            "score_item_count": self.score_items,
            "applicants": [a.to_dict() for a in self.applicants],
            "refused": [
                {
                    "file": r.file,
                    "name": r.name,
                    "uscc": r.uscc,
                    "where": r.where,
                    "reasons": list(r.reasons),
                }
                for r in self.refused
            ],
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
    applicant: Applicant,
    keys: Sequence[str],
    catalogue: FieldCatalogue,
    year: int,
    answered_otherwise: Mapping[str, str] | None = None,
) -> str:
    """Where the values of ``keys`` belong: a field's own cell when the file had one, else its
    column (the header as the template writes it) in the applicant's roster row or form,
    the columns of one row named together. ``answered_otherwise``: the cells where a field
    was answered to another version's wording of its question (question-wording-other), the
    place to answer it again, not a row the file does not have."""
    own: list[str] = []
    columns: dict[str, list[str]] = {}
    source = applicant.source
    for key in _oldest_year_first(keys, catalogue):
        spec = catalogue.get(key)
        header = f"“{header_text(spec, year) if spec is not None else key}”"
        if answered_otherwise and key in answered_otherwise:
            own.append(f"{answered_otherwise[key]}（原按另一版问法作答，请按本批次问法重新回答）")
            continue
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


def _type_item(
    result: dict, detail: ApplicantDetail, catalogue: FieldCatalogue, year: int
) -> tuple[Reach, CorrectionItem] | None:
    """The request for 申报类型 of an applicant that gave none and would fare otherwise as a
    复核 (type_unknown.settle_type): its verdict waits for it (需补正), or only its score."""
    said = next((n for n in result.get("notes", []) if n.startswith(TYPE_DECIDES)), None)
    if result.get("application_type") != UNKNOWN_TYPE or said is None:
        return None
    if result.get("verdict") == Verdict.NOT_QUALIFIED:
        return None  # failed either way: the type changes nothing that matters
    reach = Reach.OUTCOME if said in result.get("verdict_reasons", []) else Reach.SCORE
    request = f"请补充：申报类型（{ApplicationType.NEW.label}或{ApplicationType.RENEWAL.label}）"
    where = value_places(detail.applicant, ("application_type",), catalogue, year)
    return reach, CorrectionItem(
        "data",
        "申报类型",
        f"{request}。{said.removeprefix(TYPE_DECIDES)}",
        where,
        ("application_type",),
    )


def _file_of(detail: ApplicantDetail) -> str:
    source = detail.applicant.source
    return source.file if source is not None else ""


def _referring(cid: str, links: OutcomeLinks | None) -> set[str]:
    """The criteria referring to ``cid``, directly or through others (IN22-P to IN22-D1)."""
    found: set[str] = set()
    stack = [cid]
    while links is not None and stack:
        for ref in links.referrers.get(stack.pop(), ()):
            if ref != VERDICT and ref not in found:
                found.add(ref)
                stack.append(ref)
    return found


def _owners(asked: Sequence[tuple[dict, Reach, tuple[str, ...]]], links: OutcomeLinks | None):
    """Each missing field once, at the criterion where supplying it can change the outcome: of
    the criteria asking for it, one that reaches the outcome before one that reaches only the
    score; then the one reading it itself before one referring to it (IN22-D1 before IN22-P,
    which names the routes' fields again); then the first."""
    referring = {c["id"]: _referring(c["id"], links) for c, _, _ in asked}
    owner: dict[str, str] = {}
    for key in dict.fromkeys(k for _, _, keys in asked for k in keys):
        askers = [(c["id"], reach) for c, reach, keys in asked if key in keys]
        ids = {cid for cid, _ in askers}
        owner[key] = min(
            askers,
            key=lambda a: (
                a[1] is not Reach.OUTCOME,
                any(a[0] in referring[other] for other in ids),
            ),
        )[0]
    return owner


def applicant_corrections(
    detail: ApplicantDetail,
    catalogue: FieldCatalogue,
    year: int,
    links: OutcomeLinks | None = None,
) -> ApplicantCorrections:
    """What one applicant must still supply, from its current evaluation and open warnings:
    what could change its outcome (see correction_scope.reach_of; ``links`` are its
    rulebook's), and apart from it what could change only its score (可补充); each missing
    field once, at the criterion where supplying it can change the outcome."""
    review = detail.review
    result = review.evaluation or {}
    reach_of_criterion = reach_of(result, links)
    found: list[tuple[Reach, CorrectionItem]] = []
    asked: list[tuple[dict, Reach, tuple[str, ...]]] = []
    waiting: list[tuple[Reach, dict]] = []  # open, with nothing of its own to supply
    for c in result.get("criteria", []):
        reach = reach_of_criterion(c) if c["state"] in OPEN else Reach.NONE
        if reach is Reach.NONE:
            continue
        if c["state"] == CriterionState.UNKNOWN:
            keys = tuple(c.get("missing") or ())
            if not keys and (undefined := _undefined_item(c, detail, catalogue, year)):
                found.append((reach, undefined))
            elif not keys:
                waiting.append((reach, c))
            else:
                asked.append((c, reach, keys))
                found.append((reach, CorrectionItem("data", c["id"], "", "", keys)))
        elif c["state"] == CriterionState.MANUAL:
            observed = f"（申报：{c['observed']}）" if c.get("observed") else ""
            request = f"请提供证明材料：{c['title']}{observed}"
            name = f"{c['id']} {c['title']}"
            found.append((reach, CorrectionItem("evidence", name, request, "随申报材料附证明文件")))
    owner = _owners(asked, links)
    titles = {c["id"]: c["title"] for c, _, _ in asked}
    # A field answered to another version's wording is asked for again at that answer's cell.
    otherwise = {
        i.field: i.location()
        for i in review.open_warnings
        if i.code == "question-wording-other" and i.field and i.field in owner
    }
    items: list[CorrectionItem] = []
    score_items: list[CorrectionItem] = []
    for reach, item in found:
        if item.kind == "data" and not item.request:  # a criterion's missing fields, once each
            cid = item.criterion
            keys = tuple(k for k in item.fields if owner[k] == cid)
            if not keys:
                continue
            item = CorrectionItem(
                "data",
                f"{cid} {titles[cid]}",
                missing_request(titles[cid], keys, catalogue, year),
                value_places(detail.applicant, keys, catalogue, year, otherwise),
                keys,
            )
        (items if reach is Reach.OUTCOME else score_items).append(item)
    typed = _type_item(result, detail, catalogue, year)
    if typed is not None:  # the one answer its verdict (or score) waits for
        reach, item = typed
        (items if reach is Reach.OUTCOME else score_items).insert(0, item)
    had = {Reach.OUTCOME: bool(items), Reach.SCORE: bool(score_items)}
    for reach, c in waiting:  # no open item of its own says what these wait on: ask as such
        if had[reach]:
            continue
        target = items if reach is Reach.OUTCOME else score_items
        name, request = f"{c['id']} {c['title']}", f"请补充：{c['title']}所需数据"
        target.append(CorrectionItem("data", name, request, _file_of(detail)))
    for issue in review.open_warnings:
        if issue.code == "question-wording-other" and issue.field in otherwise:
            continue  # asked for above, at its cell
        if issue.code == "type-missing" and typed is not None:
            continue  # the 申报类型 its verdict (or score) waits for is asked for above
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
        row.uscc,
        row.name,
        row.region,
        row.verdict,
        review.decision_label,
        tuple(items),
        tuple(score_items),
    )


def build_corrections(
    details: Iterable[ApplicantDetail],
    *,
    round_name: str,
    round_date: date,
    catalogue: FieldCatalogue,
    made_at: datetime | None = None,
    links: Callable[[ApplicantDetail], OutcomeLinks | None] | None = None,
) -> CorrectionsList:
    """The 补正清单 of a round: every applicant with something to supply, 待定 first, then in
    the order given; decided 推荐/不推荐 applicants need nothing more and are left out.
    ``links`` gives an applicant's rulebook's references (what decides whether an open item
    could change its outcome, or only its score)."""
    found = []
    for detail in details:
        if detail.review.decision in ("recommend", "reject"):
            continue
        rulebook = links(detail) if links is not None else None
        entry = applicant_corrections(detail, catalogue, round_date.year, rulebook)
        if entry.items or entry.score_items:
            found.append(entry)
    # What could change an outcome first (待定 before the rest), then what only a score.
    found.sort(key=lambda a: (not a.items, a.verdict != Verdict.PENDING))
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
    found = build_corrections(
        details,
        round_name=info.name,
        round_date=info.round_date,
        catalogue=catalogue,
        links=round_links(service, info),
    )
    return replace(found, refused=tuple(service.refused_submissions(round_name)))


def round_links(service: Any, info: Any) -> Callable[[ApplicantDetail], OutcomeLinks | None]:
    """Each applicant's rulebook's references, read once per rulebook; None where no
    rulebook governs the applicant now (or the service's scorer has none)."""
    governing = getattr(service.scorer, "governing", None)
    known: dict[str, OutcomeLinks] = {}

    def of(detail: ApplicantDetail) -> OutcomeLinks | None:
        rulebook = governing(detail.applicant, info) if governing is not None else None
        if rulebook is None:
            return None
        if rulebook.hash not in known:
            known[rulebook.hash] = OutcomeLinks.of(rulebook)
        return known[rulebook.hash]

    return of


def _rows(model: CorrectionsList) -> list[tuple[Any, ...]]:
    """The sheet's rows, an applicant's items that could change its outcome before those
    that could change only its score (补正性质 says which, to filter by)."""
    return [
        (
            n,
            a.name,
            a.uscc,
            a.region or "—",
            a.verdict_label,
            reach.label,
            i.kind_label,
            i.criterion or "—",
            i.request,
            i.where,
        )
        for n, a in enumerate(model.applicants, 1)
        for reach, i in [(Reach.OUTCOME, i) for i in a.items]
        + [(Reach.SCORE, i) for i in a.score_items]
    ]


def write_corrections_xlsx(model: CorrectionsList, path: Path) -> Path:
    """补正清单 as one sheet, a row per item under a frozen filterable header (atomic write)."""
    workbook = _new_workbook(model.made_at)
    _table_sheet(workbook, "补正清单", COLUMNS, _rows(model), WIDTHS)
    if model.refused:
        _table_sheet(
            workbook, "未能导入的申报", REFUSED_COLUMNS, _refused_rows(model), REFUSED_WIDTHS
        )
    return write_atomically(Path(path), workbook.save)


REFUSED_COLUMNS = (
    "序号", "文件", "企业名称", "统一社会信用代码（文件所填）", "位置", "未能导入的原因"
)  # fmt: skip
REFUSED_WIDTHS = (6, 36, 30, 26, 26, 80)
REFUSED_NOTE = "以下申报未能导入（各项均为错误），请企业按原因改正后重新报送："


def _refused_rows(model: CorrectionsList) -> list[tuple[Any, ...]]:
    return [
        (n, r.file, r.name or "—", r.uscc or "—", r.where or "—", "；".join(r.reasons))
        for n, r in enumerate(model.refused, 1)
    ]


_PART_NOTES = {
    Reach.OUTCOME: "补充或核实后，评价结论可能改变",
    Reach.SCORE: "无论补充与否，评价结论都不会因此改变，只影响得分与排序，企业可自愿补充",
}


def _score_count(model: CorrectionsList) -> str:
    """ "，另 3 项可补充（仅影响得分）", or "" when there is none."""
    return f"，另 {model.score_items} 项{Reach.SCORE.label}" if model.score_items else ""


def _table(items: Sequence[CorrectionItem], width: float) -> Any:
    widths = [w * width for w in (0.12, 0.2, 0.38, 0.30)]
    head = [Cell(t, "head") for t in ("类别", "相关指标", "需补充内容", "填写位置")]
    rows = [head] + [[i.kind_label, i.criterion or "—", i.request, i.where] for i in items]
    return grid(rows, widths, repeat_rows=1, commands=[("BACKGROUND", (0, 0), (-1, 0), "#e8ecf2")])


def write_corrections_pdf(model: CorrectionsList, path: Path) -> int:
    """补正清单 as an A4 landscape PDF, a table per applicant; returns the page count."""
    page = landscape(A4)
    width = page[0] - 30 * mm
    story: list[Any] = [
        para(f"补正清单 — {model.round_name}", "title"),
        para(
            f"批次日期 {model.round_date.isoformat()}　共 {len(model.applicants)} 家企业、"
            f"{model.items} 项需补正"
            + _score_count(model)
            + (f"、{len(model.refused)} 份申报未能导入" if model.refused else "")
            + f"　生成于 {model.made_at.strftime('%Y-%m-%d %H:%M')}",
            "subtitle",
        ),
        Spacer(1, 4 * mm),
    ]
    if not model.applicants and not model.refused:
        story.append(para("本批次没有需要企业补充的材料。", "body"))
    for n, applicant in enumerate(model.applicants, 1):
        heading = para(
            f"{n}. {applicant.name}（{applicant.uscc}）　评价结论：{applicant.verdict_label}"
            + (f"　所在地区：{applicant.region}" if applicant.region else ""),
            "section",
        )
        parts: list[Any] = [heading]
        for reach, items in (
            (Reach.OUTCOME, applicant.items),
            (Reach.SCORE, applicant.score_items),
        ):
            if items:
                parts += [
                    Spacer(1, 1.5 * mm),
                    para(f"{reach.label}：{_PART_NOTES[reach]}", "body"),
                    _table(items, width),
                ]
        long = len(applicant.items) + len(applicant.score_items) >= 11
        story += parts if long else [KeepTogether(parts)]
    if model.refused:
        head = [Cell(t, "head") for t in REFUSED_COLUMNS[1:]]
        rows = [head] + [[str(c) for c in row[1:]] for row in _refused_rows(model)]
        widths = [w * width for w in (0.2, 0.16, 0.14, 0.14, 0.36)]
        story += [
            para("未能导入的申报", "section"),
            para(REFUSED_NOTE, "body"),
            grid(
                rows, widths, repeat_rows=1, commands=[("BACKGROUND", (0, 0), (-1, 0), "#e8ecf2")]
            ),
        ]
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
    links = round_links(service, info)(detail)
    catalogue = service.round_catalogue(round_name)
    return applicant_corrections(detail, catalogue, info.round_date.year, links).requested()
