"""A 主导产品 table read as a table: a header row naming 主导产品名称 and the products' sales
revenue (上年度销售收入, 2025年销售收入, or years in a second header row), one product a row
under it. The products together are the lead product (主导产品 = the products whose revenue
together is over 50 % of 营业收入, 2号 附件3（三）): their names are joined and their revenue
summed, with a note. A column that belongs to one product is read only when there is one; a
column the catalogue does not know is reported, and no header is ever taken as an answer. A
序号 column is passed over, a bare year over a column is that year's revenue, a 其他产品 row is
reported and left out; products across the columns (主导产品名称 | A | B over a revenue row) are
read the same way, and names across with no revenue row under them are reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zjtx.domain.issues import Severity
from zjtx.intake.form_base import FormReaderBase, _text, _YearSlot
from zjtx.intake.headers import (
    SHARE,
    HeaderMatch,
    _find_year,
    checked_match,
    clean,
    looks_like_header,
    split_units,
    year_cell,
)
from zjtx.intake.records import ColumnMapping, StatedRatio
from zjtx.intake.roster import _ratio_value
from zjtx.intake.sheet_data import SheetData, sheet_ref
from zjtx.intake.values import is_placeholder, raw_text, tidy

NAME_KEY = "lead_product"
REVENUE_BASE = "lead_product_revenue"
# What a product table calls a product's revenue. 营业收入 and 主营业务收入 are not among them:
# they are the enterprise's, and keep the catalogue's meaning wherever they stand.
_REVENUE_WORDS = frozenset(
    {"销售收入", "销售额", "收入", "销售收入额", "产品销售收入", "产品收入", "年销售收入",
     "年销售额", "营业额", "主导产品销售收入", "主导产品收入", "主导产品营业收入", "销售金额"}
)  # fmt: skip
# A group header over a second row of years (近三年销售收入 over 2023年 | 2024年 | 2025年).
_GROUP_YEARS = re.compile(r"^(?:近[三两二23]年|历年|各年度?|近年)(?:的)?")
TOTAL_WORDS = frozenset({"合计", "小计", "总计", "合计数", "总额"})
# A row for the products that are not the lead one: never added into it, reported.
OTHER_WORDS = frozenset({"其他", "其它", "其他产品", "其它产品", "其余", "其余产品", "其他收入"})


@dataclass(slots=True)
class _Column:
    """One column of a product table: what its header says."""

    pos: int
    header: str
    row: int  # the header's row (the lower one of two)
    kind: str  # revenue, share, field, serial, ignored, unknown
    index: int | None = None  # revenue: the year (1 = 上年度); None when no year is named
    calendar: int | None = None
    unit: str | None = None
    rule: str | None = None
    match: HeaderMatch | None = None
    checked: bool = True  # share: of 营业收入 (checked against the amounts)


def read_product_tables(
    reader: FormReaderBase,
    sheet: SheetData,
    covered: set[tuple[int, int]],
    consumed: set[tuple[int, int]],
) -> None:
    """Read every 主导产品 table of a grid into the record; their rows are consumed."""
    if sheet.ref_style not in ("a1", "table"):
        return
    rows = sheet.rows
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not isinstance(text, str) or not text.strip() or (r, c) in consumed:
                continue
            if (r, c) in covered or reader.match(text).key != NAME_KEY:
                continue
            table = _table(reader, sheet, r, c, covered)
            if table is None:
                last = _across(reader, sheet, r, c, covered)
                if last is None:
                    _names_unread(reader, sheet, r, c, covered, consumed)
                else:
                    for rr in range(r, last + 1):
                        consumed.update((rr, cc) for cc in range(len(rows[rr])))
                    break
                continue
            columns, products, total, others = table
            last = max(total if total is not None else products[-1], *others, products[-1])
            for rr in range(r, last + 1):
                consumed.update((rr, cc) for cc in range(len(rows[rr])))
            _read(reader, sheet, r, c, columns, products, total)
            if others:
                _others(reader, sheet, c, columns, others)
            break


def _table(
    reader: FormReaderBase, sheet: SheetData, r: int, c: int, covered: set[tuple[int, int]]
) -> tuple[list[_Column], list[int], int | None, list[int]] | None:
    """(columns, product rows, total row, 其他 rows) of the table headed at (r, c), or None when
    the row is no header of a product table (a label and its answer, no revenue column)."""
    rows = sheet.rows
    row = rows[r]
    spans = {c1: c2 for r1, c1, r2, c2 in sheet.merged if r1 == r and c2 > c1}
    heads: dict[int, str] = {}
    for k, value in enumerate(row):
        if k == c:
            continue
        if (r, k) in covered:
            start = next((s for s, end in spans.items() if s < k <= end), None)
            if start is not None and start in heads:
                heads[k] = heads[start]  # a header merged over years below it
            continue
        if value in ("", None):
            continue
        if not isinstance(value, str) or is_placeholder(value):
            return None  # a figure beside the label: a label and its answer
        heads[k] = value
    if not heads:
        return None
    years_below = [k for k in heads if year_cell(reader.value(sheet, r + 1, k)) != (None, None)]
    two_rows = bool(years_below) and reader.value(sheet, r + 1, c) in ("", None)
    slots = {k: _slot(reader, sheet, r + 1, k) for k in years_below} if two_rows else {}
    columns = []
    for k, head in heads.items():
        column = _column(reader, k, head, r, slots.get(k))
        if column is not None:
            columns.append(column)
    if not any(column.kind == "revenue" for column in columns):
        return None
    start = r + (2 if two_rows else 1)
    places = {c, *(column.pos for column in columns)}
    products: list[int] = []
    others: list[int] = []
    total = None
    for rr in range(start, len(rows)):
        name = reader.value(sheet, rr, c)
        if (rr, c) in covered or not isinstance(name, str) or not name.strip():
            break
        if clean(name) in TOTAL_WORDS:
            total = rr
            break
        if reader.is_label(name) or looks_like_header(name, reader.year):
            break
        stray = [k for k, v in enumerate(rows[rr]) if v not in ("", None) and k not in places]
        if any((rr, k) not in covered for k in stray):
            break  # a row laid out otherwise: the table has ended
        if clean(name) in OTHER_WORDS:
            others.append(rr)
            continue
        products.append(rr)
    if not products:
        return None
    below = [slots[col.pos] for col in columns if col.kind == "revenue" and col.row == r + 1]
    if below:
        placed = reader.place(sheet, below)
        for column in columns:
            if column.kind == "revenue" and column.row == r + 1 and column.pos in placed:
                where = placed[column.pos]
                column.index, column.calendar, column.rule = where.index, where.calendar, where.rule
    return columns, products, total, others


def _slot(reader: FormReaderBase, sheet: SheetData, r: int, k: int) -> _YearSlot:
    """A year in a second header row (2025年, 近一年) as the form reader places years."""
    value = reader.value(sheet, r, k)
    calendar, relative = year_cell(value)
    return _YearSlot(k, calendar, relative, _text(value) or raw_text(value), reader.at(sheet, r, k))


def _column(
    reader: FormReaderBase, k: int, head: str, r: int, slot: _YearSlot | None
) -> _Column | None:
    """What a product table's column header says (a serial number's column is kept, its numbers
    are no stray values)."""
    shown = " ".join(head.split())
    match = reader.match(head)
    if match.kind == "serial":
        return _Column(k, shown, r, "serial")
    if match.kind == "ignored":
        return _Column(k, shown, r, "ignored", match=match)
    body, unit, _ = split_units(head)
    if slot is not None:
        word = _GROUP_YEARS.sub("", clean(body))
        if word in _REVENUE_WORDS or match.key == REVENUE_BASE:
            return _Column(k, f"{shown} / {slot.text}", r + 1, "revenue", unit=unit)
    if match.kind in ("field", "bad-year", "no-year") and (match.key or "").startswith(
        REVENUE_BASE
    ):
        index = match.year_index if match.kind == "field" else None
        if match.kind == "bad-year" and match.year is not None:
            index = reader.year - match.year
        calendar = reader.year - index if index is not None else None
        return _Column(k, shown, r, "revenue", index, calendar, match.unit)
    calendar, relative = year_cell(head) if slot is None else (None, None)
    if calendar is not None or relative is not None:
        # A bare year over a column of a 主导产品 table: the products' sales of that year.
        index = reader.year - calendar if calendar is not None else relative
        rule = f"主导产品情况表的“{shown}”列只写了年份，按该年的主导产品销售收入读取"
        return _Column(k, shown, r, "revenue", index, reader.year - index, unit, rule)
    found = _find_year(body, reader.year)
    word = clean(found[0] if found else body)
    if word in _REVENUE_WORDS:
        index, calendar = (found[2], found[1]) if found else (None, None)
        return _Column(k, shown, r, "revenue", index, calendar, unit)
    share = SHARE.match(word)
    if share is not None:
        base = share.group("base") or ""
        return _Column(k, shown, r, "share", checked="主营" not in base and "利润" not in base)
    if match.kind == "field":
        return _Column(k, shown, r, "field", match=match)
    return _Column(k, shown, r, "unknown", match=match)


def _read(
    reader: FormReaderBase,
    sheet: SheetData,
    r: int,
    c: int,
    columns: list[_Column],
    products: list[int],
    total: int | None,
) -> None:
    """The lead product's name and revenue from the table, each column said or reported."""
    several = len(products) > 1
    span = (
        f"{reader.at(sheet, products[0], c)}—{sheet_ref(sheet, products[-1], c)}"
        if several
        else reader.at(sheet, products[0], c)
    )
    names = _names(reader, sheet, c, products)
    mapping = ColumnMapping(
        header=_text(sheet.rows[r][c]), field=NAME_KEY, unit=None, year=None,
        cell=sheet_ref(sheet, r, c), sheet=sheet.name,
    )  # fmt: skip
    reader.mappings.append(mapping)
    summed = []
    revenues = [column for column in columns if column.kind == "revenue"]
    for column in columns:
        if column.kind == "revenue":
            if column.index is None and len(revenues) == 1:
                column.index, column.calendar = 1, reader.year - 1
                column.rule = (
                    f"“{column.header}”未注明年度，按上年度（{reader.year - 1}年）读取"
                    "（字段目录中主导产品销售收入只有上年度）"
                )
            total_text = _revenue(reader, sheet, column, products, total, c)
            if total_text:
                summed.append(total_text)
        elif column.kind == "share":
            _share(reader, sheet, column, products)
        elif column.kind == "field" and not several:
            key = column.match.key if column.match is not None else ""
            reader.take(sheet, key or "", products[0], column.pos, column.match.unit)
            reader.mappings.append(
                ColumnMapping(
                    header=column.header, field=key, unit=column.match.unit,
                    year=column.match.year, cell=sheet_ref(sheet, column.row, column.pos),
                    sheet=sheet.name,
                )
            )  # fmt: skip
        elif column.kind in ("field", "unknown"):
            _unread(reader, sheet, column, products, several)
    if several and names is not None:
        joined = "、".join(names)
        figures = "；".join(summed)
        reader.issue(
            "lead-products-summed",
            f"{span}：主导产品情况表列有 {len(products)} 种产品，主导产品名称读作“{joined}”"
            + (f"，{figures}" if figures else "")
            + "：主导产品指收入之和占营业收入 50% 以上的产品，请核对所列产品均为主导产品",
            sheet,
            sheet_ref(sheet, products[0], c),
            NAME_KEY,
            severity=Severity.INFO,
        )


def _names(
    reader: FormReaderBase, sheet: SheetData, c: int, products: list[int]
) -> list[str] | None:
    """The products' names, kept as the lead product (joined when several)."""
    if len(products) == 1:
        reader.take(sheet, NAME_KEY, products[0], c, None)
        return None
    names = [reader.typed(sheet, NAME_KEY, rr, c, None) for rr in products]
    if any(name is None for name in names):
        return None
    joined = "、".join(names)
    cell = f"{sheet_ref(sheet, products[0], c)}—{sheet_ref(sheet, products[-1], c)}"
    existing = reader.record.values.get(NAME_KEY)
    if existing in names:  # the form named one of them elsewhere: the table lists them all
        del reader.record.values[NAME_KEY]
    reader.record.cells.setdefault(NAME_KEY, reader.at(sheet, products[0], c))
    reader.store(sheet, NAME_KEY, joined, cell, "、".join(names), None)
    return names


def _revenue(
    reader: FormReaderBase,
    sheet: SheetData,
    column: _Column,
    products: list[int],
    total: int | None,
    name_col: int,
) -> str:
    """One year's revenue of the products (summed when several); what was summed, for the note."""
    k = column.pos
    head_at = reader.at(sheet, column.row, k)
    filled = [rr for rr in products if reader.value(sheet, rr, k) not in ("", None)]
    if not filled and (total is None or reader.value(sheet, total, k) in ("", None)):
        return ""
    if column.index is None:
        reader.issue(
            "header-year-missing",
            f"{head_at}“{column.header}”：主导产品情况表有几列销售收入，这一列没有注明年度，"
            f"无法确定是哪一年的，未读取：请写成“{reader.year - 1}年销售收入”",
            sheet,
            sheet_ref(sheet, column.row, k),
            f"{REVENUE_BASE}_y1",
        )
        return ""
    key = f"{REVENUE_BASE}_y{column.index}"
    if key not in reader.catalogue:
        within = 1 <= column.index <= 3
        reader.issue(
            "year-not-needed" if within else "year-out-of-round",
            f"{head_at}：本批次（{reader.year}年度）不需要{column.calendar}年的主导产品销售收入"
            f"（“{column.header}”），未读取",
            sheet,
            sheet_ref(sheet, column.row, k),
            severity=Severity.INFO if within else Severity.WARNING,
        )
        return ""
    spec = reader.catalogue[key]
    if column.unit is not None and checked_match(spec, column.unit, None).kind != "field":
        reader.issue(
            "header-unit-invalid",
            f"{head_at}：{spec.relative_label()}不能使用单位“{column.unit}”；该列未导入",
            sheet,
            sheet_ref(sheet, column.row, k),
            key,
        )
        return ""
    reader.mappings.append(
        ColumnMapping(
            header=column.header, field=key, unit=column.unit, year=column.calendar,
            cell=sheet_ref(sheet, column.row, k), sheet=sheet.name, detail=column.rule or "",
        )
    )  # fmt: skip
    if len(products) == 1 and total is None:
        reader.take(sheet, key, products[0], k, column.unit, column.rule)
        return ""
    figures = [reader.typed(sheet, key, rr, k, column.unit) for rr in products]
    missing = [rr for rr, figure in zip(products, figures, strict=True) if figure is None]
    label = spec.relative_label()
    if missing:
        which = "、".join(
            f"{sheet_ref(sheet, rr, k)}（{_text(reader.value(sheet, rr, name_col))}）"
            for rr in missing
        )
        reader.issue(
            "lead-product-table-unread",
            f"{head_at}“{column.header}”：{which}没有填写或无法读取，{label}无法按各产品合计，"
            "未导入：请补填",
            sheet,
            sheet_ref(sheet, missing[0], k),
            key,
            severity=Severity.WARNING,
        )
        return ""
    amount = tidy(sum((Decimal(figure) for figure in figures), Decimal(0)))
    cells = f"{sheet_ref(sheet, products[0], k)}—{sheet_ref(sheet, products[-1], k)}"
    raws = " + ".join(raw_text(reader.value(sheet, rr, k)) for rr in products)
    reader.record.cells.setdefault(key, reader.at(sheet, products[0], k))
    if len(products) > 1:
        rule = f"主导产品情况表中 {len(products)} 种产品的销售收入之和（{raws}）"
        reader.store(sheet, key, amount, cells, raws, rule)
    else:
        reader.store(sheet, key, figures[0], sheet_ref(sheet, products[0], k), raws, column.rule)
    if total is not None and reader.value(sheet, total, k) not in ("", None):
        stated = reader.typed(sheet, key, total, k, column.unit)
        if stated is not None and Decimal(stated) != amount:
            reader.issue(
                "lead-product-table-unread",
                f"{reader.at(sheet, total, k)}：合计行的{label}为“{raw_text(sheet.rows[total][k])}”"
                f"，各产品之和为 {amount} 万元：按各产品之和读取，请核对",
                sheet,
                sheet_ref(sheet, total, k),
                key,
                severity=Severity.WARNING,
            )
    if len(products) == 1:
        return ""
    return f"{label}按各产品之和 {amount} 万元读取（{raws}）"


def _share(reader: FormReaderBase, sheet: SheetData, column: _Column, products: list[int]) -> None:
    """The products' shares of 营业收入, added up, checked against the amounts (not read)."""
    k = column.pos
    shares = []
    for rr in products:
        value = reader.value(sheet, rr, k)
        if value in ("", None):
            return
        stated = _ratio_value(value, (rr, k) in sheet.percent_cells)
        if stated is None:
            return
        shares.append(stated[0])
    reader.mappings.append(
        ColumnMapping(
            header=column.header, field=None, unit="%", year=None,
            cell=sheet_ref(sheet, column.row, k), role="ratio", sheet=sheet.name,
        )
    )  # fmt: skip
    if not column.checked:
        return
    raws = [raw_text(reader.value(sheet, rr, k)) for rr in products]
    reader.record.ratios.append(
        StatedRatio(
            ratio="lead_share",
            year_index=1,
            value=sum(shares, Decimal(0)),
            cell=sheet_ref(sheet, products[0], k),
            raw=" + ".join(raws),
        )
    )


def _unread(
    reader: FormReaderBase,
    sheet: SheetData,
    column: _Column,
    products: list[int],
    several: bool,
) -> None:
    """A column not read: the catalogue does not know it, or it is one product's (several)."""
    k = column.pos
    filled = [rr for rr in products if not is_placeholder(reader.value(sheet, rr, k))]
    reader.mappings.append(
        ColumnMapping(
            header=column.header, field=None, unit=None, year=None,
            cell=sheet_ref(sheet, column.row, k), role="unknown", sheet=sheet.name,
            detail="主导产品情况表的这一列未导入",
        )
    )  # fmt: skip
    if not filled:
        return
    shown = "、".join(f"“{raw_text(reader.value(sheet, rr, k))}”" for rr in filled[:3])
    more = f"等 {len(filled)} 个值" if len(filled) > 3 else ""
    if column.kind == "field":
        spec = reader.catalogue[column.match.key or ""] if column.match else None
        why = (
            f"是{spec.relative_label() if spec else '某个字段'}，但表中有 {len(products)} 种"
            "产品，无法确定是哪一种的"
        )
    else:
        why = "不是字段目录中的栏目"
    reader.issue(
        "column-ignored",
        f"{reader.at(sheet, column.row, k)}：主导产品情况表的“{column.header}”列{why}，"
        f"其中的{shown}{more}未导入",
        sheet,
        sheet_ref(sheet, column.row, k),
        severity=Severity.WARNING,
    )


def _others(
    reader: FormReaderBase, sheet: SheetData, c: int, columns: list[_Column], others: list[int]
) -> None:
    """Rows for the other products (其他, 其余): not the lead product, so not added into it."""
    for rr in others:
        figures = [
            f"“{raw_text(reader.value(sheet, rr, column.pos))}”"
            for column in columns
            if column.kind == "revenue" and not is_placeholder(reader.value(sheet, rr, column.pos))
        ]
        held = f"，其中的{'、'.join(figures)}" if figures else ""
        reader.issue(
            "lead-product-other-row",
            f"{reader.at(sheet, rr, c)}：主导产品情况表的“{_text(sheet.rows[rr][c])}”一行不是主导"
            f"产品{held}未计入主导产品销售收入：如其中确有主导产品，请分行列出",
            sheet,
            sheet_ref(sheet, rr, c),
            f"{REVENUE_BASE}_y1",
            severity=Severity.WARNING,
        )


def _across(
    reader: FormReaderBase, sheet: SheetData, r: int, c: int, covered: set[tuple[int, int]]
) -> int | None:
    """A table with the products across its columns (主导产品名称 | 船用阀门 | 船用泵 over
    主导产品销售收入（万元） | 2000 | 1600): read as the rows' layout reads it (names joined,
    revenue summed, said in a note); the last row read, or None when the row is not one."""
    rows = sheet.rows
    row = rows[r]
    places = [
        k for k in range(c + 1, len(row)) if (r, k) not in covered and row[k] not in ("", None)
    ]
    if not places or any(not isinstance(row[k], str) or is_placeholder(row[k]) for k in places):
        return None
    if any(reader.is_label(row[k]) or looks_like_header(row[k], reader.year) for k in places):
        return None
    found: list[_Column] = []
    for rr in range(r + 1, len(rows)):
        label = reader.value(sheet, rr, c)
        if (rr, c) in covered or not isinstance(label, str) or not label.strip():
            break
        column = _column(reader, c, label, rr, None)
        if column is None or column.kind != "revenue":
            break
        found.append(column)
    if not found:
        return None
    several = len(places) > 1
    cells = [(r, k) for k in places]
    names = [reader.typed(sheet, NAME_KEY, r, k, None) for k in places]
    reader.mappings.append(
        ColumnMapping(
            header=_text(row[c]), field=NAME_KEY, unit=None, year=None,
            cell=sheet_ref(sheet, r, c), sheet=sheet.name,
        )
    )  # fmt: skip
    span = f"{reader.at(sheet, r, places[0])}—{sheet_ref(sheet, r, places[-1])}"
    if not several:
        reader.take(sheet, NAME_KEY, r, places[0], None)
    elif all(name is not None for name in names):
        reader.record.cells.setdefault(NAME_KEY, reader.at(sheet, *cells[0]))
        joined = "、".join(names)
        reader.store(sheet, NAME_KEY, joined, span.split(" ")[-1], joined, None)
    summed = [_across_revenue(reader, sheet, column, places, len(found)) for column in found]
    figures = "；".join(text for text in summed if text)
    if several and all(name is not None for name in names):
        reader.issue(
            "lead-products-summed",
            f"{span}：主导产品情况表横向列有 {len(places)} 种产品，主导产品名称读作"
            f"“{'、'.join(names)}”"
            + (f"，{figures}" if figures else "")
            + "：主导产品指收入之和占营业收入 50% 以上的产品，请核对所列产品均为主导产品",
            sheet,
            sheet_ref(sheet, r, places[0]),
            NAME_KEY,
            severity=Severity.INFO,
        )
    return found[-1].row


def _across_revenue(
    reader: FormReaderBase, sheet: SheetData, column: _Column, places: list[int], count: int
) -> str:
    """One revenue row of a table with the products across: the products' sum, or an issue."""
    rr = column.row
    head_at = reader.at(sheet, rr, column.pos)
    stray = [
        k
        for k, v in enumerate(sheet.rows[rr])
        if k > column.pos and k not in places and v not in ("", None)
    ]
    if column.index is None and count == 1:
        column.index, column.calendar = 1, reader.year - 1
        column.rule = f"“{column.header}”未注明年度，按上年度（{reader.year - 1}年）读取"
    key = f"{REVENUE_BASE}_y{column.index}" if column.index is not None else ""
    if key not in reader.catalogue or stray:
        why = (
            f"其中的{sheet_ref(sheet, rr, stray[0])}不在任何产品下"
            if stray
            else f"不是本批次（{reader.year}年度）需要的主导产品销售收入（未注明年度或年度不符）"
        )
        reader.issue(
            "lead-product-table-unread",
            f"{head_at}“{column.header}”一行{why}，该行未导入：请核对",
            sheet,
            sheet_ref(sheet, rr, column.pos),
            f"{REVENUE_BASE}_y1",
            severity=Severity.WARNING,
        )
        return ""
    label = reader.catalogue[key].relative_label()
    reader.mappings.append(
        ColumnMapping(
            header=column.header, field=key, unit=column.unit, year=column.calendar,
            cell=sheet_ref(sheet, rr, column.pos), sheet=sheet.name, detail=column.rule or "",
        )
    )  # fmt: skip
    if len(places) == 1:
        reader.take(sheet, key, rr, places[0], column.unit, column.rule)
        return ""
    figures = [reader.typed(sheet, key, rr, k, column.unit) for k in places]
    missing = [k for k, figure in zip(places, figures, strict=True) if figure is None]
    if missing:
        which = "、".join(sheet_ref(sheet, rr, k) for k in missing)
        reader.issue(
            "lead-product-table-unread",
            f"{head_at}“{column.header}”：{which}没有填写或无法读取，{label}无法按各产品合计，"
            "未导入：请补填",
            sheet,
            sheet_ref(sheet, rr, missing[0]),
            key,
            severity=Severity.WARNING,
        )
        return ""
    amount = tidy(sum((Decimal(figure) for figure in figures), Decimal(0)))
    raws = " + ".join(raw_text(reader.value(sheet, rr, k)) for k in places)
    cells = f"{sheet_ref(sheet, rr, places[0])}—{sheet_ref(sheet, rr, places[-1])}"
    reader.record.cells.setdefault(key, reader.at(sheet, rr, places[0]))
    rule = f"主导产品情况表中横向所列 {len(places)} 种产品的销售收入之和（{raws}）"
    reader.store(sheet, key, amount, cells, raws, rule)
    return f"{label}按各产品之和 {amount} 万元读取（{raws}）"


def _name_places(
    reader: FormReaderBase, sheet: SheetData, r: int, c: int, covered: set[tuple[int, int]]
) -> list[int]:
    """The columns right of 主导产品名称 holding product names (texts, no label), else []."""
    row = sheet.rows[r]
    places = [
        k for k in range(c + 1, len(row)) if (r, k) not in covered and row[k] not in ("", None)
    ]
    if any(not isinstance(row[k], str) or is_placeholder(row[k]) for k in places):
        return []
    if any(reader.is_label(row[k]) or looks_like_header(row[k], reader.year) for k in places):
        return []
    return places


def _names_unread(
    reader: FormReaderBase,
    sheet: SheetData,
    r: int,
    c: int,
    covered: set[tuple[int, int]],
    consumed: set[tuple[int, int]],
) -> None:
    """Several names beside 主导产品名称 with no revenue row under them: the form reads the
    first as the answer; the others are named, never dropped silently nor read as labels and
    answers of their own (船用泵 | 船用电机 would be a label and its answer), however many."""
    places = _name_places(reader, sheet, r, c, covered)
    if len(places) < 2 or (r + 1, c) in covered:
        return  # (a group label merged down over sub-labels and their answers: read as such)
    consumed.update((r, k) for k in places[1:])
    rest = "、".join(
        f"{sheet_ref(sheet, r, k)}“{_text(reader.value(sheet, r, k))}”" for k in places[1:]
    )
    reader.issue(
        "column-ignored",
        f"{reader.at(sheet, r, c)}：主导产品名称旁填有 {len(places)} 项，只读取了"
        f"“{_text(reader.value(sheet, r, places[0]))}”，{rest}未导入：如均为主导产品，"
        "请在其下方一行填写各产品的上年度销售收入（万元），或逐行列出",
        sheet,
        sheet_ref(sheet, r, places[1]),
        NAME_KEY,
        severity=Severity.WARNING,
    )
