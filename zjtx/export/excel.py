"""Excel outputs: results per criterion, 推荐汇总表 with statistics, 公示名单; formula-safe."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.results import CriterionResult
from zjtx.export.report_model import (
    industry_text,
    open_points,
    region_text,
    size_text,
    tier_label,
)
from zjtx.export.safe_text import cut, visible_controls
from zjtx.export.summary import (
    PRODUCT_COLUMN,
    ApplicantOutcome,
    CountLine,
    PublicityList,
    PublicityRow,
    RecommendationSummary,
    batch_title,
)

# A cell whose text starts with one of these is a formula to Excel, LibreOffice or a CSV
# re-import (= + - @; tab and CR start DDE tricks): always written as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit is 32,767 characters a cell; longer text is cut visibly, not silently.
CELL_LIMIT = 32_000
POINTS_FORMAT = "General"  # 81 and 72.5 as the PDFs print them, not 81.0
# Columns at least this wide wrap their text; sheets wider than PORTRAIT_WIDTH print landscape.
WRAP_WIDTH = 30
PORTRAIT_WIDTH = 100
HEADER_FONT = Font(name="Noto Sans SC", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF2")
WRAP = Alignment(wrap_text=True, vertical="top")
NOTE_FONT = Font(name="Noto Sans SC", color="555555")


def cell(
    sheet: WriteOnlyWorksheet, value: Any, *, number_format: str | None = None
) -> WriteOnlyCell:
    """A write-only cell; text that could run as a formula is stored as plain text, control
    characters (which a workbook cannot hold) as their code, and overlong text cut with …."""
    if isinstance(value, str):
        value = cut(visible_controls(value), CELL_LIMIT, "（文字过长，已截断）")
        item = WriteOnlyCell(sheet, value=value)
        if value.startswith(FORMULA_TRIGGERS):
            item.data_type = "s"
            item.quotePrefix = True  # Excel keeps it text even after the user edits the cell
        return item
    item = WriteOnlyCell(sheet, value=value)
    if number_format and isinstance(value, int | float | Decimal):
        item.number_format = number_format
    return item


def _header(sheet: WriteOnlyWorksheet, titles: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        item = cell(sheet, title)
        item.font = HEADER_FONT
        item.fill = HEADER_FILL
        item.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cells.append(item)
    return cells


def _table_sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float],
    formats: dict[int, str] | None = None,
) -> WriteOnlyWorksheet:
    """A sheet with a frozen, filterable header row and the given column widths, set up to
    print on A4: as wide as the page (landscape when wide), the header row on every page,
    the sheet's title above and the page numbers below. Text in wide columns wraps."""
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet, title, wide=sum(widths) > PORTRAIT_WIDTH)
    sheet.append(_header(sheet, headers))
    count = 0
    formats = formats or {}
    wrapped = {i for i, width in enumerate(widths) if width >= WRAP_WIDTH}
    for row in rows:
        cells = [cell(sheet, v, number_format=formats.get(i)) for i, v in enumerate(row)]
        for i in wrapped:
            if i < len(cells) and isinstance(cells[i].value, str):
                cells[i].alignment = WRAP
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return sheet


def _print_setup(sheet: WriteOnlyWorksheet, title: str, *, wide: bool) -> None:
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = title
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"


def _new_workbook(made_at: datetime) -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "zjtx 专精特新评审助手"
    workbook.properties.created = made_at
    workbook.properties.modified = made_at
    return workbook


def _criteria_columns(items: Sequence[ApplicantOutcome]) -> list[tuple[str, str, bool]]:
    """(criterion id, title, whether it scores) of every criterion in the batch, in
    first-appearance order; a requirement that carries no points for anyone gets no 得分
    column (it would be empty in every row)."""
    seen: dict[str, str] = {}
    scored: set[str] = set()
    for item in items:
        for criterion in item.evaluation.criteria:
            seen.setdefault(criterion.id, criterion.title)
            if criterion.max_points is not None or criterion.points is not None:
                scored.add(criterion.id)
    return [(cid, title, cid in scored) for cid, title in seen.items()]


RESULT_HEADERS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "所属行业",
    "企业规模",
    "认定类别",
    "认定标准",
    "评价结论",
    "总分",
    "可能最低分",
    "可能最高分",
    "合格线",
    "评审决定",
)


def results_rows(
    items: Sequence[ApplicantOutcome], catalogue: FieldCatalogue
) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the results sheet: fixed columns, then state and points per criterion."""
    criteria = _criteria_columns(items)
    headers = list(RESULT_HEADERS)
    for cid, title, scores in criteria:
        headers += [f"{cid} {title}｜结论", *([f"{cid} {title}｜得分"] if scores else [])]
    rows: list[list[Any]] = []
    for number, item in enumerate(items, start=1):
        evaluation = item.evaluation
        by_id: dict[str, CriterionResult] = {c.id: c for c in evaluation.criteria}
        row: list[Any] = [
            number,
            evaluation.name,
            evaluation.uscc,
            region_text(item.applicant),
            industry_text(item.applicant, catalogue),
            size_text(evaluation),
            tier_label(evaluation.tier),
            f"{evaluation.rulebook} 版本 {evaluation.rulebook_version}",
            evaluation.verdict.label,
            evaluation.score,
            evaluation.score_min,
            evaluation.score_max,
            evaluation.pass_line,
            item.decision_text,
        ]
        for cid, _title, scores in criteria:
            criterion = by_id.get(cid)
            row.append(criterion.state.label if criterion else "")
            if scores:
                row.append(_points_cell(criterion))
        rows.append(row)
    return headers, rows


def _points_cell(criterion: CriterionResult | None) -> Any:
    """A criterion's points: the number when decided, its range as text ("0–3") while open,
    as the report and the window show it (a bare 0 would read as decided)."""
    if criterion is None:
        return None
    return open_points(criterion) or criterion.points


def write_results_xlsx(
    items: Sequence[ApplicantOutcome],
    path: Path,
    *,
    catalogue: FieldCatalogue,
    made_at: datetime,
    round_name: str | None = None,
) -> Path:
    """评价结果: one row per applicant, one state and one points column per criterion, and a
    说明 sheet saying which round it is (``round_name`` with its date, else the dates)."""
    headers, rows = results_rows(items, catalogue)
    fixed = len(RESULT_HEADERS)
    widths = [6, 36, 22, 22, 18, 12, 18, 22, 12, 8, 10, 10, 8, 12] + [14] * (len(headers) - fixed)
    formats = {i: POINTS_FORMAT for i in (9, 10, 11, 12)}
    formats.update({i: POINTS_FORMAT for i in range(fixed + 1, len(headers), 2)})
    workbook = _new_workbook(made_at)
    _table_sheet(workbook, "评价结果", headers, rows, widths, formats)
    tier, batch = batch_title(items, round_name)
    # A document property holds no control character (a pasted round name may carry one).
    workbook.properties.title = visible_controls(f"{round_name or tier} 评价结果".strip())
    about = workbook.create_sheet("说明")
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 100
    for label, value in (
        ("表名", f"{tier}评价结果" if tier else "评价结果"),
        ("批次", batch),
        ("企业", f"共 {len(items)} 家"),
        ("生成时间", made_at.astimezone().strftime("%Y-%m-%d %H:%M")),
        ("说明", "得分栏为区间（如 0–5）的，是尚待确认的条目仍可得的分数范围；"
                 "总分、可能最低分和可能最高分同理"),
    ):  # fmt: skip
        about.append([cell(about, label), cell(about, value)])
    workbook.save(path)
    return path


def _count_rows(title: str, lines: Sequence[CountLine], total: int) -> list[list[Any]]:
    rows: list[list[Any]] = [[title, "家数", "占比"]]
    for line in lines:
        share = Decimal(line.count) / Decimal(total) if total else None
        rows.append([line.label, line.count, share])
    rows.append([])
    return rows


def _note_below(sheet: WriteOnlyWorksheet, note: str, *, gap: bool = True) -> None:
    """A note in column A under the table (after an empty row), outside the filter range; the
    text runs on over the empty cells to its right."""
    if gap:
        sheet.append([])
    item = cell(sheet, note)
    item.font = NOTE_FONT
    sheet.append([item])


# Beside 得分, which holds only a fixed score (a blank sorts last in Excel, whichever way): the
# two ends of a score not fixed yet, as numbers, so the table still sorts and filters by them.
RANGE_COLUMNS = ("可能最低分", "可能最高分")
RANGE_NOTE = (
    "得分栏只填已确定的得分，按得分排序时得分未定的企业（得分栏空白）列于最后；"
    "其得分区间见可能最低分、可能最高分两栏（有待补充数据或待人工确认的计分条目，"
    "最终得分在区间内）。"
)


def summary_columns(summary: RecommendationSummary) -> list[str]:
    """The Excel 推荐汇总表's headers: the printed table's, with RANGE_COLUMNS after 得分
    (none for a standard without a score)."""
    columns = list(summary.columns)
    if "得分" not in columns:
        return columns
    after = columns.index("得分") + 1
    return [*columns[:after], *RANGE_COLUMNS, *columns[after:]]


def write_summary_xlsx(summary: RecommendationSummary, path: Path) -> Path:
    """推荐汇总表 sheet plus a 统计 sheet (counts by verdict, decision, region, industry, score)."""
    workbook = _new_workbook(summary.made_at)
    scored = "得分" in summary.columns
    product = PRODUCT_COLUMN in summary.columns
    rows = [
        [
            r.rank if r.rank is not None else r.rank_text,
            r.name,
            *((r.product,) if product else ()),
            r.uscc,
            r.application,
            r.region,
            r.industry,
            *((r.score_value, *(r.score_range or (None, None))) if scored else ()),
            r.verdict,
            r.decision,
            r.opinion,
        ]
        for r in summary.rows
    ]
    widths = [6, 36, *((24,) if product else ()), 22, 10, 24, 18]
    widths += [*((8, 10, 10) if scored else ()), 12, 12, 60]
    first = len(widths) - 6  # the score and its range, numbers with their format
    sheet = _table_sheet(
        workbook,
        "推荐汇总表",
        summary_columns(summary),
        rows,
        widths,
        {first: POINTS_FORMAT, first + 1: POINTS_FORMAT, first + 2: POINTS_FORMAT}
        if scored
        else {},
    )
    if summary.rows:
        _note_below(sheet, summary.rank_note)
        if summary.score_note:
            _note_below(sheet, RANGE_NOTE, gap=False)
        for index, line in enumerate(summary.outdated_note):
            _note_below(sheet, line, gap=index == 0)
    else:
        _note_below(sheet, f"本表无企业：{summary.empty_reason}。", gap=False)
    stats = workbook.create_sheet("统计")
    stats.column_dimensions["A"].width = 32
    statistics = summary.statistics
    blocks = [
        ("评价结论", statistics.by_verdict),
        ("评审决定", statistics.decisions_shown),
        (statistics.region_heading, statistics.by_region),
        ("行业（国民经济行业大类）", statistics.by_industry),
        ("得分分布（左闭右开，最后一档含满分；得分未定的单列）", statistics.histogram),
    ]
    stats.append([cell(stats, summary.title), cell(stats, f"共 {statistics.total} 家")])
    stats.append([])
    for title, lines in blocks:
        if not lines:
            continue
        for index, row in enumerate(_count_rows(title, lines, statistics.total)):
            if index == 0:
                stats.append(_header(stats, row))
            else:
                cells = [cell(stats, v) for v in row]
                if len(cells) == 3 and cells[2].value is not None:
                    cells[2].number_format = "0.0%"
                stats.append(cells)
    workbook.save(path)
    return path


def write_publicity_xlsx(publicity: PublicityList, path: Path) -> Path:
    """公示名单: 序号, 企业名称, (申请产品,) 所在地区, 认定类别 (no figures, no scores); a 公示 of several
    lists (拟认定名单, 复核通过名单 ...) has a sheet for each, named after it."""
    workbook = _new_workbook(publicity.made_at)
    parts = publicity.parts if any(p.heading for p in publicity.parts) else ()
    product = PRODUCT_COLUMN in publicity.columns
    widths = [*PUBLICITY_WIDTHS[:2], *((28,) if product else ()), *PUBLICITY_WIDTHS[2:]]

    def line(r: PublicityRow) -> list[Any]:
        return [r.number, r.name, *((r.product,) if product else ()), r.region, r.tier]

    if not parts:
        rows = [line(r) for r in publicity.rows]
        sheet = _table_sheet(workbook, "公示名单", publicity.columns, rows, widths)
        if not rows:
            _note_below(sheet, f"本批次无公示企业：{publicity.empty_reason}。", gap=False)
    for part in parts:
        rows = [line(r) for r in part.rows]
        sheet = _table_sheet(workbook, part.name, publicity.columns, rows, widths)
        _note_below(sheet, f"{publicity.title}　{part.heading}", gap=True)
    workbook.save(path)
    return path


PUBLICITY_WIDTHS = (6, 44, 28, 26)
