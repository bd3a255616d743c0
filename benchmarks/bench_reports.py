"""Benchmark: 1,000 assessment reports on all cores against bare reportlab, same page count.

Run: python benchmarks/bench_reports.py [--count 1000] [--workers N]

Ours: the sample applicants (cycled to --count, each with its own code and name) are scored
under the scored 专精特新 rulebook (srdi-sme-2022), given a review opinion, turned into
view-models and written one PDF per applicant by zjtx.export.batch.export_reports (process pool
over all cores, pool start-up included). Baseline, measured in the same run: bare reportlab in
one process writes one PDF per report holding the same texts as plain tables of Paragraphs
(the straightforward reportlab way to wrap Chinese in a table) in the same embedded font, so
the page counts match within a few percent. Prints pages per second of both and the ratio
(target >= 1.3 on a 2-core machine), plus a reference figure: the same page count of a trivial
21-row short-text table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from zjtx.export.batch import export_reports
from zjtx.export.fonts import register_reportlab_fonts
from zjtx.export.report_model import build_assessment_report
from zjtx.export.review import ReviewInfo
from zjtx.intake.json_input import applicant_from_mapping
from zjtx.paths import resource_path
from zjtx.scoring import load_catalogue, score_applicants
from zjtx.workers import default_workers

TARGET = 1.3
ROUND_DATE = date(2025, 5, 1)
MADE_AT = datetime(2025, 5, 20, 9, 30)
OPINION = (
    "该企业长期专注于细分市场，主导产品技术水平较高，研发投入持续增长，"
    "经营管理规范，符合认定条件，同意推荐。"
) * 3


def sample_records() -> list[dict]:
    for path in (
        resource_path("samples", "applicants.json"),
        Path(__file__).resolve().parent.parent / "tests" / "export" / "data" / "applicants.json",
    ):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    raise SystemExit("找不到样例申报数据 resources/samples/applicants.json")


def build_reports(count: int):
    catalogue = load_catalogue()
    records = sample_records()
    applicants = []
    for n in range(count):
        record = dict(records[n % len(records)])
        record["name"] = f"{record['name'].removesuffix('有限公司')}第{n + 1}分公司"
        record["uscc"] = f"91{n:016d}"
        applicants.append(applicant_from_mapping(record, catalogue, file="bench", record=n + 1))
    evaluations = score_applicants(applicants, round_date=ROUND_DATE, tier="srdi-sme")
    review = ReviewInfo(decision="recommend", opinion=OPINION, evaluator="王晓明")
    return [
        build_assessment_report(
            e,
            catalogue=catalogue,
            applicant=a,
            review=review,
            made_at=MADE_AT,
            rulebook_document="工信部企业〔2022〕63号",
        )
        for e, a in zip(evaluations, applicants, strict=True)
    ]


def _plain_story(report, styles):
    """The report's texts as bare reportlab would lay them out: plain tables of Paragraphs."""
    body, cell = styles

    def table(rows, widths):
        data = [[Paragraph(escape(str(v)), cell) for v in row] for row in rows]
        return Table(
            data,
            colWidths=[w * mm for w in widths],
            repeatRows=1,
            style=[("GRID", (0, 0), (-1, -1), 0.5, "#555555")],
        )

    figures = [("指标", *report.figure_columns), *[(r.label, *r.values) for r in report.figures]]
    criteria = [("序号", "评价指标", "标准要求", "企业情况", "结论", "得分")]
    for group in report.groups:
        criteria.append((group.title, "", "", "", "", group.subtotal))
        criteria += [
            (c.number, c.title, c.requirement, c.observed, c.state, c.points) for c in group.rows
        ]
    conclusion = [("总分", report.total, "结论", report.verdict)]
    conclusion += [("依据", reason, "", "") for reason in report.verdict_reasons]
    story = [
        Paragraph(escape(report.title), body),
        Paragraph(escape(report.subtitle), body),
        table(report.enterprise, (40, 140)),
        table(figures, (58, 40.6, 40.6, 40.6)),
        table(criteria, (8, 34, 50, 46, 19, 23)),
        table(conclusion, (27, 63, 27, 63)),
    ]
    if report.gaps:
        gaps = [("评价指标", "状态", "说明"), *[(g.title, g.state, g.text) for g in report.gaps]]
        story.append(table(gaps, (50, 22, 108)))
    if report.judgements:
        judgements = [("评价指标", "系统判定", "确认", "理由")]
        judgements += [(j.title, j.computed, j.result, j.reason) for j in report.judgements]
        story.append(table(judgements, (40, 20, 24, 96)))
    decision = [("评审决定", report.decision), ("评审意见", report.opinion)]
    decision.append(("评审人签字", "单位（盖章）"))
    story += [table(decision, (27, 153)), Paragraph(escape(report.footer), body)]
    return story


def baseline_same_content(reports, folder: Path) -> tuple[float, int]:
    """Bare reportlab, one process: each report's texts as plain tables, one PDF per report."""
    font, _bold = register_reportlab_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10.8, wordWrap="CJK")
    pages = 0
    start = time.perf_counter()
    for index, report in enumerate(reports):
        doc = SimpleDocTemplate(str(folder / f"{index}.pdf"), pagesize=A4)
        doc.build(_plain_story(report, (body, cell)))
        pages += doc.page
    return time.perf_counter() - start, pages


def baseline_simple_table(page_counts: list[int], folder: Path) -> float:
    """Reference only: one process, the same page counts, each page a 21-row table of short text."""
    font, _bold = register_reportlab_fonts()
    rows = [["序号", "企业名称", "统一社会信用代码", "所在地区", "得分", "结论"]] + [
        [str(i), "福州闽精密机械有限公司", "91350100MA7E04591R", "福建省福州市鼓楼区", "71", "符合"]
        for i in range(1, 21)
    ]
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.5, "#555555"),
        ]
    )
    start = time.perf_counter()
    for index, pages in enumerate(page_counts):
        story = []
        for page in range(pages):
            table = Table(rows)
            table.setStyle(style)
            story.append(table)
            if page < pages - 1:
                story.append(PageBreak())
        SimpleDocTemplate(str(folder / f"simple-{index}.pdf"), pagesize=A4).build(story)
    return time.perf_counter() - start


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()

    start = time.perf_counter()
    reports = build_reports(args.count)
    prepare = time.perf_counter() - start
    half = len(reports) // 2
    with tempfile.TemporaryDirectory() as tmp:
        ours_dir, base_dir = Path(tmp, "ours"), Path(tmp, "baseline")
        base_dir.mkdir()
        # The baseline runs half before and half after ours, so a change in machine load
        # during the run weighs on both sides alike.
        cpu = _cpu_seconds()
        base_first, pages_first = baseline_same_content(reports[:half], base_dir)
        base_cpu = _cpu_seconds() - cpu
        cpu = _cpu_seconds()
        start = time.perf_counter()
        result = export_reports(reports, ours_dir, workers=args.workers)
        ours = time.perf_counter() - start
        ours_cpu = _cpu_seconds() - cpu
        cpu = _cpu_seconds()
        base_second, pages_second = baseline_same_content(reports[half:], base_dir)
        base_cpu += _cpu_seconds() - cpu
        page_counts = [len(PdfReader(path).pages) for path in result.files]
        simple = baseline_simple_table(page_counts, base_dir)
    base, base_pages = base_first + base_second, pages_first + pages_second
    pages = result.pages
    ours_rate, base_rate, simple_rate = pages / ours, base_pages / base, pages / simple
    ratio = ours_rate / base_rate
    load = os.getloadavg()[0]
    print(
        f"reports: {len(reports)}; scoring + view-models {prepare:.2f} s; load average {load:.2f}"
    )
    print(
        f"zjtx export, {args.workers} worker processes: {pages} pages in {ours:.2f} s = "
        f"{ours_rate:.1f} pages/s ({pages / ours_cpu:.1f} pages per CPU second)"
    )
    print(
        f"baseline, bare reportlab in 1 process, the same texts as plain tables: {base_pages} "
        f"pages in {base:.2f} s = {base_rate:.1f} pages/s "
        f"({base_pages / base_cpu:.1f} pages per CPU second)"
    )
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"ratio: {ratio:.2f} (target >= {TARGET}: {verdict})")
    print(
        f"reference, 1 process, {pages} pages of a 21-row short-text table: {simple:.2f} s = "
        f"{simple_rate:.1f} pages/s (ratio {ours_rate / simple_rate:.2f})"
    )
    if load > args.workers:
        print(
            f"note: load average {load:.2f} exceeds {args.workers} cores: other processes "
            "share the CPUs, which slows the parallel export more than the 1-process baseline"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
