"""Word 申请书 throughput: a folder of generated .docx read through read_applicants.

Usage: python benchmarks/bench_docx.py [--files 500] [--repeat 3]

Writes FILES .docx 申请书 (a four-column basic-data table with a merged name cell, an indicator
table with a merged unit header over 2025/2024/2023 columns, an IP list, paragraphs of prose),
and the same data as FILES .xlsx forms (label | value, then a year table) as the baseline,
then times read_applicants on each folder in this process (best of REPEAT; one core).
Target (issue 14): at least 30 .docx files per second, every file one applicant.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

YEAR = 2026
TARGET_FILES_PER_SECOND = 30


def _data(index: int) -> dict[str, object]:
    from zjtx.intake.synthetic import valid_uscc

    base = 5000 + index * 7
    return {
        "name": f"福建测试{index:04d}精密制造有限公司",
        "uscc": valid_uscc(20_000 + index),
        "founded": f"20{index % 20:02d}年{index % 12 + 1}月{index % 28 + 1}日",
        "lead_product": f"精密部件{index}",
        "niche_years": f"{index % 15 + 3}年",
        "revenue": (f"{base + 1200}.5", f"{base + 600}", f"{base}"),
        "main_revenue": (f"{base + 1000}", f"{base + 500}", f"{base - 100}"),
        "rd_expense": (f"{base // 20}", f"{base // 21}", f"{base // 22}"),
        "employees": "150",
    }


def write_docx(path: Path, data: dict[str, object]) -> None:
    import docx

    document = docx.Document()
    document.add_heading("专精特新中小企业申请书", level=1)
    document.add_paragraph("一、企业基本情况（本表由申报企业如实填写）")
    basic = document.add_table(rows=3, cols=4)
    cells = [
        ["企业名称（盖章）", data["name"], "", ""],
        ["统一社会信用代码", data["uscc"], "成立日期", data["founded"]],
        ["主导产品名称", data["lead_product"], "从事特定细分市场年限", data["niche_years"]],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            basic.cell(r, c).text = str(text)
    basic.cell(0, 1).merge(basic.cell(0, 3))
    document.add_paragraph("二、主要经济指标")
    table = document.add_table(rows=6, cols=4)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "经济指标（万元）"
    table.cell(0, 1).merge(table.cell(0, 3))
    table.cell(0, 0).merge(table.cell(1, 0))
    for c, year in enumerate(("2025年", "2024年", "2023年"), start=1):
        table.cell(1, c).text = year
    rows = [
        ("营业收入", data["revenue"]),
        ("主营业务收入", data["main_revenue"]),
        ("研发费用", data["rd_expense"]),
        ("从业人员（人）", (data["employees"], "", "")),
    ]
    for r, (label, amounts) in enumerate(rows, start=2):
        table.cell(r, 0).text = label
        for c, amount in enumerate(amounts, start=1):  # type: ignore[arg-type]
            table.cell(r, c).text = amount
    document.add_paragraph("三、知识产权清单")
    ip = document.add_table(rows=3, cols=4)
    for r, row in enumerate(
        [
            ["名称", "类型", "授权号", "获得方式"],
            ["一种精密部件", "发明专利", "ZL202010000001.1", "自主研发"],
            ["部件检测装置", "实用新型", "ZL202120000002.2", "自主研发"],
        ]
    ):
        for c, text in enumerate(row):
            ip.cell(r, c).text = text
    for _ in range(5):
        document.add_paragraph("企业简介：" + "本企业专注于精密部件的研发与生产。" * 8)
    document.save(path)


def write_xlsx(path: Path, data: dict[str, object]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申报表"
    sheet.append(["企业名称", data["name"]])
    sheet.append(["统一社会信用代码", data["uscc"]])
    sheet.append(["成立日期", data["founded"]])
    sheet.append(["主导产品名称", data["lead_product"]])
    sheet.append(["从事特定细分市场年限", data["niche_years"]])
    sheet.append(["2025年末从业人员（人）", data["employees"]])
    sheet.append([])
    sheet.append(["指标（万元）", "2025年", "2024年", "2023年"])
    for label, key in (
        ("营业收入", "revenue"),
        ("主营业务收入", "main_revenue"),
        ("研发费用", "rd_expense"),
    ):
        sheet.append([label, *data[key]])  # type: ignore[misc]
    workbook.save(path)


def time_folder(folder: Path, repeat: int) -> tuple[float, int, int]:
    """(best seconds, applicants, errors) of read_applicants on the folder."""
    from zjtx.intake import read_applicants
    from zjtx.scoring.catalogue import load_catalogue

    catalogue = load_catalogue()
    best = float("inf")
    applicants = errors = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = read_applicants([folder], YEAR, catalogue=catalogue)
        best = min(best, time.perf_counter() - start)
        applicants = len(result.applicants)
        errors = sum(1 for issue in result.issues if str(issue.severity) == "error")
    return best, applicants, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import os

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with tempfile.TemporaryDirectory() as tmp:
        docx_folder = Path(tmp) / "docx"
        xlsx_folder = Path(tmp) / "xlsx"
        docx_folder.mkdir()
        xlsx_folder.mkdir()
        start = time.perf_counter()
        for index in range(args.files):
            data = _data(index)
            write_docx(docx_folder / f"{index:04d}_申请书.docx", data)
            write_xlsx(xlsx_folder / f"{index:04d}_申报表.xlsx", data)
        print(
            f"wrote {args.files} .docx and {args.files} .xlsx in {time.perf_counter() - start:.1f} s"
        )
        docx_seconds, docx_applicants, docx_errors = time_folder(docx_folder, args.repeat)
        xlsx_seconds, xlsx_applicants, xlsx_errors = time_folder(xlsx_folder, args.repeat)
    docx_rate = args.files / docx_seconds
    xlsx_rate = args.files / xlsx_seconds
    print(
        f".docx 申请书: {docx_seconds:6.2f} s  {docx_rate:7.1f} files/s  "
        f"({docx_applicants} applicants, {docx_errors} errors)"
    )
    print(
        f".xlsx 申报表 (baseline, same data): {xlsx_seconds:6.2f} s  {xlsx_rate:7.1f} files/s  "
        f"({xlsx_applicants} applicants, {xlsx_errors} errors)"
    )
    print(f"ratio docx/xlsx time = {docx_seconds / xlsx_seconds:.2f}")
    ok_rate = docx_rate >= TARGET_FILES_PER_SECOND
    ok_read = docx_applicants == args.files and docx_errors == 0
    print(
        f"docx rate {docx_rate:.1f} files/s (target >= {TARGET_FILES_PER_SECOND}): "
        f"{'OK' if ok_rate else 'MISSED'}; every file one applicant: {'OK' if ok_read else 'MISSED'}"
    )
    return 0 if ok_rate and ok_read else 1


if __name__ == "__main__":
    raise SystemExit(main())
