"""专家评分汇总表: every member's position and points on each applicant's judgement items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from zjtx.export.excel import POINTS_FORMAT, _new_workbook, _note_below, _table_sheet
from zjtx.export.pdf_common import Cell, build_document, grid, para
from zjtx.files import write_atomically
from zjtx.store.panel_positions import (
    AGGREGATION_LABELS,
    NOT_NEEDED,
    ApplicantPanel,
    MemberInfo,
    entered_by,
)
from zjtx.store.panels import Panels

FIXED_COLUMNS = ("序号", "企业名称", "统一社会信用代码", "条目", "条目名称")
TAIL_COLUMNS = ("一致性", "汇总评分", "最终决定")
WORKBOOK_TAIL = ("一致性", "汇总评分", "汇总说明", "最终决定")
NOTE_COLUMNS = ("序号", "企业名称", "统一社会信用代码", "专家", "事项", "内容")
NOTES_TITLE = "个人意见、回避与代录"


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One judgement item of one applicant: each member's position in member order."""

    number: int
    name: str
    uscc: str
    criterion: str
    title: str
    positions: tuple[str, ...]
    agreement: str
    aggregate: str
    decision: str
    stances: tuple[str, ...] = ()
    points: tuple[Decimal | None, ...] = ()
    aggregate_value: Decimal | None = None
    aggregate_note: str = ""
    # What picks the layout: one cell across the members where the data decided the item.
    agreement_code: str = ""

    def cells(self) -> tuple[Any, ...]:
        """The row as printed: each member's position with its points in words."""
        return (self.number, self.name, self.uscc, self.criterion, self.title,
                *self.positions, self.agreement, self.aggregate, self.decision)  # fmt: skip

    def workbook_cells(self) -> tuple[Any, ...]:
        """The row in the workbook: each member's stance and points apart, the points and
        the aggregate as numbers a chair can sum and sort."""
        members = [value for pair in zip(self.stances, self.points, strict=True) for value in pair]
        return (self.number, self.name, self.uscc, self.criterion, self.title, *members,
                self.agreement, self.aggregate_value, self.aggregate_note or None,
                self.decision)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SheetNote:
    """What the item rows cannot hold, for one applicant: a member's 个人意见, 回避 (with its
    reason, and after judging what was withdrawn) or 代录, the 最终决定意见 and 需复核."""

    number: int
    name: str
    uscc: str
    who: str  # "专家乙（评审专家）", or the one who decided for 最终决定意见; "—" for 需复核
    kind: str  # 个人意见 / 回避 / 评审后回避 / 代录 / 最终决定意见 / 需复核
    text: str

    def cells(self) -> tuple[Any, ...]:
        return (self.number, self.name, self.uscc, self.who, self.kind, self.text)


@dataclass(frozen=True, slots=True)
class PanelSheet:
    """The round's 专家评分汇总表: the applicants the panel acted on or that have a decision,
    and how many others were left out."""

    round_name: str
    aggregation_label: str
    members: tuple[MemberInfo, ...]
    rows: tuple[SheetRow, ...]
    made_at: datetime
    notes: tuple[SheetNote, ...] = ()
    listed: int = 0  # applicants on the sheet
    left_out: int = 0  # applicants of the round the panel has not acted on, without a decision

    @property
    def scope(self) -> str:
        """Which applicants the sheet lists, and how many it leaves out and why."""
        listed = f"列入 {self.listed} 家：专家组已有判断、意见或回避，或已作最终决定的企业"
        if not self.left_out:
            return listed
        return (f"{listed}；另有 {self.left_out} 家企业专家组尚未判断、发表意见或回避，"
                "也未作决定，未列入本表")  # fmt: skip

    @property
    def columns(self) -> tuple[str, ...]:
        return (*FIXED_COLUMNS, *(f"{m.name}（{m.role_label}）" for m in self.members),
                *TAIL_COLUMNS)  # fmt: skip

    @property
    def workbook_columns(self) -> tuple[str, ...]:
        members = [f"{m.name}（{m.role_label}）｜{part}" for m in self.members
                   for part in ("表态", "评分")]  # fmt: skip
        return (*FIXED_COLUMNS, *members, *WORKBOOK_TAIL)


def panel_sheet_of(panels: Panels, round_name: str, made_at: datetime) -> PanelSheet:
    """The sheet of a round: the applicants the panel acted on (a judgement, opinion or 回避)
    or that have a decision, in 统一社会信用代码 order, their judgement items and notes; the
    rest are counted, not listed (rows of 未表态 for enterprises nobody looked at)."""
    info = panels.panel(round_name)
    views = panels.round_positions(round_name)
    acted = [view for view in views if view.acted_on]
    rows: list[SheetRow] = []
    notes: list[SheetNote] = []
    for number, view in enumerate(acted, 1):
        notes += _notes(number, view)
        decision = f"{view.decision_text}（{view.decided_by}）" if view.decision else "未决定"
        for item in view.criteria:
            value = item.aggregate.value if item.aggregate is not None else None
            note = "；".join(
                t for t in (item.aggregate.how if item.aggregate else "", item.points_allowed) if t
            )
            rows.append(
                SheetRow(
                    number,
                    view.name,
                    view.uscc,
                    item.criterion,
                    item.title,
                    tuple(p.label for p in item.positions),
                    item.agreement_label,
                    item.aggregate_text("—"),
                    decision,
                    tuple(p.stance for p in item.positions),
                    tuple(None if p.recused else p.points for p in item.positions),
                    value,
                    note,
                    item.agreement,
                )
            )
    return PanelSheet(info.round_name, AGGREGATION_LABELS[info.aggregation], info.members,
                      tuple(rows), made_at, tuple(notes), len(acted),
                      len(views) - len(acted))  # fmt: skip


def _notes(number: int, view: ApplicantPanel) -> list[SheetNote]:
    """An applicant's notes, member by member in panel order, then the decision's."""
    found = []
    for m in view.members:
        who = f"{m.name}（{m.role_label}）"
        if m.name in view.recusals:
            found.append((who, view.recusal_mark(m.name), view.recusal_text(m.name)))
        if m.name in view.opinions:
            found.append((who, "个人意见", view.opinions[m.name]))
        if m.name in view.proxies:  # the sheet must not read as the member's own entry
            found.append((who, "代录", f"判断或意见{entered_by(view.proxies[m.name])}"))
    if view.decision and view.opinion:
        found.append((view.decided_by or "—", "最终决定意见", view.opinion))
    if view.decision and view.decision_outdated_reason:
        found.append(("—", "需复核", view.decision_outdated_reason))
    return [SheetNote(number, view.name, view.uscc, *note) for note in found]


def write_panel_sheet_xlsx(sheet: PanelSheet, path: Path) -> Path:
    """The sheet as one Excel sheet with a frozen filterable header (atomic write)."""
    workbook = _new_workbook(sheet.made_at)
    widths = [6, 28, 22, 10, 24, *([10, 8] * len(sheet.members)), 12, 10, 30, 18]
    # Each member's 评分, after their 表态, and the 汇总评分: numbers shown as the PDFs print them.
    first = len(FIXED_COLUMNS)
    points = {first + 2 * i + 1 for i in range(len(sheet.members))}
    points.add(first + 2 * len(sheet.members) + WORKBOOK_TAIL.index("汇总评分"))
    rows = [r.workbook_cells() for r in sheet.rows]
    table = _table_sheet(workbook, "专家评分汇总表", sheet.workbook_columns, rows, widths,
                         formats=dict.fromkeys(points, POINTS_FORMAT))  # fmt: skip
    _note_below(table, sheet.scope)  # below the filter range: what was left out, and why
    _table_sheet(workbook, NOTES_TITLE, NOTE_COLUMNS, [n.cells() for n in sheet.notes],
                 [6, 28, 22, 20, 14, 60])  # fmt: skip
    return write_atomically(Path(path), workbook.save)


def write_panel_sheet_pdf(sheet: PanelSheet, path: Path) -> int:
    """The sheet as A4 landscape with the members' signature lines; returns the page count."""
    page = landscape(A4)
    width = page[0] - 30 * mm
    fixed = [0.04, 0.15, 0.135, 0.06, 0.115]
    tail = [0.07, 0.12, 0.09]
    share = (1 - sum(fixed) - sum(tail)) / max(len(sheet.members), 1)
    widths = [w * width for w in (*fixed, *([share] * len(sheet.members)), *tail)]
    story: list[Any] = [
        para(f"专家评分汇总表 — {sheet.round_name}", "title"),
        para(
            f"评分汇总规则：{sheet.aggregation_label}　专家 {len(sheet.members)} 人　"
            f"生成于 {sheet.made_at.strftime('%Y-%m-%d %H:%M')}",
            "subtitle",
        ),
        para(sheet.scope, "subtitle"),
        Spacer(1, 4 * mm),
    ]
    if not sheet.members:
        story.append(para("本批次没有专家组。", "body"))
    else:
        story += _tables(sheet, widths, width)
        story.append(Spacer(1, 8 * mm))
        story.append(para("专家签字", "section"))
        signs = [[Cell("角色", "head"), Cell("姓名", "head"), Cell("单位", "head"),
                  Cell("签字", "head"), Cell("日期", "head")]]  # fmt: skip
        signs += [[m.role_label, m.name, m.unit or "—", "", "　　年　　月　　日"]
                  for m in sheet.members]  # fmt: skip
        story.append(grid(signs, [w * width for w in (0.1, 0.15, 0.3, 0.25, 0.2)],
                          row_heights=[None, *([12 * mm] * len(sheet.members))]))  # fmt: skip
    pages: list[int] = []
    write_atomically(
        Path(path),
        lambda tmp: pages.append(
            build_document(tmp, story, pagesize=page, made_at=sheet.made_at,
                           title=f"专家评分汇总表 {sheet.round_name}", subject="专家组评审")
        ),
    )  # fmt: skip
    return pages[0]


def _tables(sheet: PanelSheet, widths: list[float], width: float) -> list[Any]:
    """The item table (an item the data decided: one cell across the members and 一致性) and
    the notes table under it."""
    head = ("BACKGROUND", (0, 0), (-1, 0), "#e8ecf2")
    members = len(sheet.members)
    rows: list[list[Any]] = [[Cell(c, "head") for c in sheet.columns]]
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for number, r in enumerate(sheet.rows, 1):
        cells = [str(c) for c in r.cells()]
        if r.agreement_code == NOT_NEEDED:
            first = len(FIXED_COLUMNS)
            cells[first : first + members + 1] = [r.agreement, *([""] * members)]
            spans.append(((first, number), (first + members, number)))
        rows.append(cells)
    story: list[Any] = [grid(rows, widths, spans=spans, repeat_rows=1, commands=[head])]
    if sheet.notes:
        notes = [[Cell(c, "head") for c in NOTE_COLUMNS]]
        notes += [[str(c) for c in n.cells()] for n in sheet.notes]
        story += [Spacer(1, 6 * mm), para(NOTES_TITLE, "section"),
                  grid(notes, [w * width for w in (0.04, 0.17, 0.14, 0.12, 0.09, 0.44)],
                       repeat_rows=1, commands=[head])]  # fmt: skip
    return story
