"""The register as Excel and the 到期复核提醒 as Excel and PDF, read back."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from zjtx.export.registry import (
    DUE_COLUMNS,
    due_reminder,
    register_rows,
    write_due_pdf,
    write_due_xlsx,
    write_register_xlsx,
)
from zjtx.store.registry import RegistryEntryInfo

MADE = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)


def _entry(number: int, title: str = "srdi-sme", **extra) -> RegistryEntryInfo:
    values = dict(
        id=number, name=f"江苏（南京）测试{number}有限公司", uscc=None, city="南京市",
        county="江宁区", title=title, level="provincial", year=2024, batch="第一批",
        status="recognised", shown_status="recognised", valid_until=2027,
        source_file="认定.xlsx", source_sheet="名单", source_row=number + 2,
        source_title="认定名单", note=None, supersedes_id=None, current=True,
        created_by="张三", created_at=MADE,
    )  # fmt: skip
    values.update(extra)
    return RegistryEntryInfo(**values)


def test_due_reminder_view_model_exactly():
    """Title, counts by title in title order, numbered rows."""
    entries = [_entry(1), _entry(2, "innovative-sme", uscc="91320115MA1XXXXX00")]
    reminder = due_reminder(entries, 2027, MADE)
    assert reminder.title == "2027 年到期复核提醒"
    assert reminder.subtitle == (
        "有效期于 2027 年届满、应于 2027 年复核的企业共 2 家（创新型中小企业 1 家，专精特新中小企业 1 家）"
    )
    assert reminder.counts == (("创新型中小企业", 1), ("专精特新中小企业", 1))
    assert reminder.rows == (
        (1, "江苏（南京）测试1有限公司", "南京市", "江宁区", "专精特新中小企业", 2024, ""),
        (2, "江苏（南京）测试2有限公司", "南京市", "江宁区", "创新型中小企业", 2024,
         "91320115MA1XXXXX00"),
    )  # fmt: skip


def test_register_rows_exactly():
    """Every column as shown, the source as file and row."""
    assert register_rows([_entry(1, shown_status="expired")]) == [
        (1, "江苏（南京）测试1有限公司", "", "南京市", "江宁区", "专精特新中小企业", "省级",
         2024, "第一批", "已过期", 2027, "认定.xlsx 第 3 行"),
    ]  # fmt: skip


def test_workbooks_read_back(tmp_path):
    """Both workbooks hold their header and every row, and nothing else is left behind."""
    entries = [_entry(n) for n in range(1, 31)]
    write_register_xlsx(entries, tmp_path / "培育库.xlsx", made_at=MADE)
    sheet = openpyxl.load_workbook(tmp_path / "培育库.xlsx")["培育库"]
    assert sheet.max_row == 31 and sheet["B31"].value == "江苏（南京）测试30有限公司"
    write_due_xlsx(due_reminder(entries, 2027, MADE), tmp_path / "到期.xlsx")
    book = openpyxl.load_workbook(tmp_path / "到期.xlsx")
    assert [c.value for c in book["2027年到期"][1]] == list(DUE_COLUMNS)
    assert [tuple(r) for r in book["统计"].iter_rows(min_row=2, values_only=True)] == [
        ("专精特新中小企业", 30),
        ("合计", 30),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["到期.xlsx", "培育库.xlsx"]


def test_due_pdf_reads_back_with_every_name(tmp_path):
    """The PDF spans pages with every name and the counts; a page renders."""
    entries = [_entry(n) for n in range(1, 121)]
    path = write_due_pdf(due_reminder(entries, 2027, MADE), tmp_path / "到期.pdf")
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3
    assert "2027 年到期复核提醒" in text and "共 120 家" in text
    assert all(f"测试{n}有限公司" in text for n in (1, 60, 120))
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to render the page")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    assert (tmp_path / "page-1.png").stat().st_size > 5000


def test_empty_due_pdf_says_so(tmp_path):
    """A year with nothing due gives a one-page PDF saying so."""
    reader = PdfReader(write_due_pdf(due_reminder([], 2030, MADE), tmp_path / "空.pdf"))
    assert "没有有效期于 2030 年届满的企业" in reader.pages[0].extract_text()
