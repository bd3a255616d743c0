"""The register (培育库) as Excel, and the 到期复核提醒 of a year as Excel and PDF."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from zjtx.domain.registry import RegistryLevel, RegistryStatus, RegistryTitle
from zjtx.export.excel import _new_workbook, _table_sheet
from zjtx.export.safe_text import visible_controls
from zjtx.files import write_atomically

REGISTER_COLUMNS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "设区市",
    "县（市、区）",
    "称号",
    "级别",
    "认定年度",
    "批次",
    "状态",
    "有效期至",
    "来源",
)
REGISTER_WIDTHS = (7, 40, 22, 12, 14, 24, 8, 10, 14, 10, 10, 40)
DUE_COLUMNS = ("序号", "企业名称", "设区市", "县（市、区）", "称号", "认定年度", "统一社会信用代码")
DUE_WIDTHS = (7, 44, 12, 14, 24, 10, 22)


def _source(entry: Any) -> str:
    parts = [entry.source_file or "", f"第 {entry.source_row} 行" if entry.source_row else ""]
    text = " ".join(p for p in parts if p)
    return text or (entry.note or "")


def register_rows(entries: Sequence[Any]) -> list[tuple[Any, ...]]:
    """One row per recognition (RegistryEntryInfo), numbered, every value as shown."""
    return [
        (
            number,
            visible_controls(e.name),
            e.uscc or "",
            e.city or "",
            e.county or "",
            RegistryTitle.label_of(e.title),
            RegistryLevel.label_of(e.level),
            e.year,
            e.batch,
            RegistryStatus.label_of(e.shown_status),
            e.valid_until,
            visible_controls(_source(e)),
        )
        for number, e in enumerate(entries, start=1)
    ]


@dataclass(frozen=True, slots=True)
class DueReminder:
    """到期复核提醒: the recognitions whose validity ends in ``year``, by title and region."""

    year: int
    title: str
    subtitle: str
    counts: tuple[tuple[str, int], ...]  # (称号, 家数) in title order
    rows: tuple[tuple[Any, ...], ...]  # DUE_COLUMNS
    made_at: datetime

    @property
    def footer(self) -> str:
        return f"zjtx 培育库 · {self.made_at:%Y-%m-%d %H:%M} 生成"


def due_reminder(entries: Sequence[Any], year: int, made_at: datetime) -> DueReminder:
    """The reminder of ``year`` from RegistryService.due entries (already in title, region
    order)."""
    counts = Counter(e.title for e in entries)
    ordered = tuple(
        (title.label, counts[title.value]) for title in RegistryTitle if counts[title.value]
    )
    rows = tuple(
        (
            number,
            visible_controls(e.name),
            e.city or "",
            e.county or "",
            RegistryTitle.label_of(e.title),
            e.year,
            e.uscc or "",
        )
        for number, e in enumerate(entries, start=1)
    )
    parts = "，".join(f"{label} {n} 家" for label, n in ordered)
    subtitle = f"有效期于 {year} 年届满、应于 {year} 年复核的企业共 {len(rows)} 家" + (
        f"（{parts}）" if parts else ""
    )
    return DueReminder(
        year=year,
        title=f"{year} 年到期复核提醒",
        subtitle=subtitle,
        counts=ordered,
        rows=rows,
        made_at=made_at,
    )


def write_register_xlsx(
    entries: Sequence[Any], path: Path, *, made_at: datetime | None = None
) -> Path:
    """培育库: one row per recognition under a frozen, filterable header."""
    workbook = _new_workbook(made_at or datetime.now().astimezone())
    _table_sheet(workbook, "培育库", REGISTER_COLUMNS, register_rows(entries), REGISTER_WIDTHS)
    return write_atomically(Path(path), workbook.save)


def write_due_xlsx(reminder: DueReminder, path: Path) -> Path:
    """到期复核提醒 as a workbook: the list, then the counts by title."""
    workbook = _new_workbook(reminder.made_at)
    _table_sheet(workbook, f"{reminder.year}年到期", DUE_COLUMNS, reminder.rows, DUE_WIDTHS)
    _table_sheet(
        workbook,
        "统计",
        ("称号", "家数"),
        [*reminder.counts, ("合计", len(reminder.rows))],
        (28, 10),
    )
    return write_atomically(Path(path), workbook.save)


def write_due_pdf(reminder: DueReminder, path: Path) -> Path:
    """到期复核提醒 on portrait A4 (title, counts, the list with its header on every page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, Spacer

    from zjtx.export.pdf_common import HEAD_FILL, Cell, build_document, grid, para

    width = A4[0] - 30 * mm
    widths = [11 * mm, 0.0, 18 * mm, 22 * mm, 34 * mm, 15 * mm]
    widths[1] = width - sum(widths)
    head = [Cell(h, "head") for h in DUE_COLUMNS[:-1]]
    rows = [
        [Cell(str(r[0]), "cell_center"), r[1], r[2], r[3], r[4], Cell(str(r[5]), "cell_center")]
        for r in reminder.rows
    ]
    story: list[Flowable] = [
        para(reminder.title, "title"),
        para(reminder.subtitle, "subtitle"),
        Spacer(1, 4 * mm),
    ]
    if rows:
        story.append(
            grid(
                [head, *rows],
                widths,
                repeat_rows=1,
                commands=[("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)],
            )
        )
    else:
        story.append(para(f"培育库中没有有效期于 {reminder.year} 年届满的企业。", "body"))

    def render(temporary: Path) -> None:
        build_document(
            temporary,
            story,
            pagesize=A4,
            made_at=reminder.made_at,
            title=reminder.title,
            subject=reminder.footer,
        )

    return write_atomically(Path(path), render)
