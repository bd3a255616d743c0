"""Published lists as bureaus receive them: a title row, 序号 | 企业名称 | 设区市 | 县（市、区）."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

PLACES = (
    ("南京市", ("玄武区", "秦淮区", "江宁区", "浦口区")),
    ("苏州市", ("姑苏区", "吴中区", "昆山市", "常熟市")),
    ("无锡市", ("梁溪区", "锡山区", "江阴市")),
    ("常州市", ("天宁区", "武进区", "溧阳市")),
    ("南通市", ("崇川区", "海门区", "如皋市")),
)
TRADES = ("智能装备", "新材料", "精密机械", "电子科技", "生物医药", "环保科技", "汽车零部件")


def list_names(count: int, *, start: int = 0, prefix: str = "江苏") -> list[str]:
    """``count`` distinct enterprise names; every seventh carries a place in full-width
    brackets, as announcements print them (南京（江宁）…有限公司)."""
    names = []
    for number in range(start, start + count):
        trade = TRADES[number % len(TRADES)]
        if number % 7 == 3:
            names.append(f"{prefix}（{PLACES[number % 5][0][:2]}）{trade}第{number}号有限公司")
        else:
            names.append(f"{prefix}{trade}第{number}号有限公司")
    return names


def place_of(number: int) -> tuple[str, str]:
    city, counties = PLACES[number % len(PLACES)]
    return city, counties[number % len(counties)]


def write_list(
    path: Path,
    names: Sequence[str],
    *,
    title: str = "2024年度江苏省专精特新中小企业认定名单",
    usccs: Sequence[str] | None = None,
    header: Sequence[str] = ("序号", "企业名称", "设区市", "县（市、区）"),
) -> Path:
    """An .xlsx (or .csv by suffix) list: a merged title row, the header, one row per name."""
    rows: list[list[object]] = []
    for index, name in enumerate(names):
        city, county = place_of(index)
        row: list[object] = [index + 1, name, city, county]
        if usccs is not None:
            row.append(usccs[index])
        rows.append(row)
    heads = list(header) + (["统一社会信用代码"] if usccs is not None else [])
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([title])
            writer.writerow(heads)
            writer.writerows(rows)
        return path
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    sheet.append(heads)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_docx_list(
    path: Path,
    names: Sequence[str],
    *,
    title: str = "2024年度江苏省专精特新中小企业认定名单",
    per_table: int = 0,
) -> Path:
    """A Word list as announcements attach it: the title as a paragraph, then a table
    序号 | 企业名称 | 设区市 | 县（市、区） (split into tables of ``per_table`` rows, each under
    its own heading and header row, when given)."""
    from docx import Document

    document = Document()
    document.add_paragraph(title)
    document.add_paragraph("（排名不分先后）")
    size = per_table or max(len(names), 1)
    for start in range(0, len(names), size):
        if per_table:
            document.add_paragraph(f"第{start // size + 1}部分")
        chunk = names[start : start + size]
        table = document.add_table(rows=1 + len(chunk), cols=4)
        for column, text in enumerate(("序号", "企业名称", "设区市", "县（市、区）")):
            table.cell(0, column).text = text
        for offset, name in enumerate(chunk, start=1):
            index = start + offset - 1
            city, county = place_of(index)
            for column, text in enumerate((str(index + 1), name, city, county)):
                table.cell(offset, column).text = text
    document.save(str(path))
    return path
