"""Hostile files at the reading layer: far cells, zip bombs, huge CSV lines, deep JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest
import xlwt

from tests.intake.helpers import CODE_A, CODE_B, read
from zjtx.cli import main
from zjtx.intake import workbook

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>'
)
PEAK_LIMIT_MB = 300


def data_row(row: int, name: str, code: str) -> str:
    return (
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{name}</t></is></c>'
        f'<c r="B{row}" t="inlineStr"><is><t>{code}</t></is></c></row>'
    )


def write_sheet_xlsx(path: Path, body: Iterable[bytes | str], *, dimension: str = "") -> Path:
    """An .xlsx written by hand: one sheet “名单” whose sheetData holds BODY (streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {NS} xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            handle.write(f'<?xml version="1.0"?><worksheet {NS}>'.encode())
            if dimension:
                handle.write(f'<dimension ref="{dimension}"/>'.encode())
            handle.write(b"<sheetData>")
            for piece in body:
                handle.write(piece.encode() if isinstance(piece, str) else piece)
            handle.write(b"</sheetData></worksheet>")
    return path


def test_hidden_row_of_a_sheet_without_cell_references_is_noted(tmp_path):
    """A sheet written without r="A1" references (some exporters) still says which row was
    hidden."""

    def row(*texts: str, hidden: bool = False) -> str:
        cells = "".join(f'<c t="inlineStr"><is><t>{t}</t></is></c>' for t in texts)
        attributes = ' hidden="1"' if hidden else ""
        return f"<row{attributes}>{cells}</row>"

    body = [row("企业名称", "统一社会信用代码"), row("甲公司", CODE_A)]
    body.append(row("乙公司", CODE_B, hidden=True))
    result = read(write_sheet_xlsx(tmp_path / "r.xlsx", body))
    assert [a.uscc for a in result.applicants] == [CODE_A, CODE_B]
    assert [(i.code, i.cell) for i in result.issues] == [("row-hidden", "3:3")]


def refless_bomb(rows: int, columns: int) -> Iterable[bytes]:
    """Rows of numeric cells without r attributes (compresses about 1000:1)."""
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    for _ in range(rows):
        yield row


def run_check_measured(path: Path, *extra: str) -> tuple[int, str, str, float]:
    """`zjtx check PATH` in a fresh process: (exit status, stdout, stderr, peak MB of zjtx)."""
    probe = textwrap.dedent(
        """
        import json, resource, subprocess, sys
        done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))
        """
    )
    command = [sys.executable, "-m", "zjtx", "check", str(path), "--year", "2026", *extra]
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    ).stdout
    status, stdout, stderr, peak = json.loads(out)
    return status, stdout, stderr, peak


def check_in_process(path: Path, capsys) -> tuple[int, str]:
    """`zjtx check PATH` through the real entry point: (exit status, stdout + stderr)."""
    status = main(["check", str(path), "--year", "2026"])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


# ---- .xlsx ------------------------------------------------------------------------------------


def test_roster_with_a_stray_cell_at_xfd1048576_reads_its_rows_in_little_memory(tmp_path):
    """One cell at XFD1048576 below a roster: the rows are read, no range is allocated."""
    path = write_sheet_xlsx(
        tmp_path / "远端单元格.xlsx",
        [
            HEADER_ROW,
            data_row(2, "甲科技有限公司", CODE_A),
            data_row(3, "乙科技有限公司", CODE_B),
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        ],
        dimension="A1:XFD1048576",
    )
    status, stdout, stderr, peak = run_check_measured(path, "--json")
    assert "Traceback" not in stderr, stderr
    assert status in (0, 1)
    report = json.loads(stdout)
    names = [a["name"] for a in report["applicants"]]
    assert names == ["甲科技有限公司", "乙科技有限公司"]
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_single_cell_at_ab1048576_stays_small_and_says_what_is_missing(tmp_path):
    """A lone cell at AB1048576 takes little memory and ends in one Chinese message."""
    path = write_sheet_xlsx(
        tmp_path / "单格.xlsx",
        ['<row r="1048576"><c r="AB1048576" t="inlineStr"><is><t>x</t></is></c></row>'],
    )
    status, stdout, stderr, peak = run_check_measured(path)
    assert "Traceback" not in stderr, stderr
    assert status == 1
    assert "单格.xlsx" in stdout and "找不到表头" in stdout
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_zip_bomb_of_cells_without_references_is_refused_naming_file_and_sheet(tmp_path):
    """11 million reference-less cells (a 160 KB file) are refused, streamed, in little memory."""
    path = write_sheet_xlsx(tmp_path / "炸弹.xlsx", refless_bomb(55_000, 200))
    assert path.stat().st_size < 1_000_000
    status, stdout, stderr, peak = run_check_measured(path)
    assert "Traceback" not in stderr, stderr
    assert status == 1
    assert "sheet-too-large" in stdout
    assert "炸弹.xlsx" in stdout and "工作表“名单”" in stdout
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_cell_limit_applies_to_sheets_with_references_too(tmp_path, capsys, monkeypatch):
    """A sheet over the cell limit (scaled down here) is refused before any value is read."""
    monkeypatch.setattr(workbook, "MAX_SHEET_CELLS", 5_000)
    rows = [
        HEADER_ROW,
        "".join(
            f'<row r="{r}">'
            + "".join(f'<c r="{col}{r}"><v>{r}</v></c>' for col in "ABCDEFGHIJ")
            + "</row>"
            for r in range(2, 700)
        ),
    ]
    path = write_sheet_xlsx(tmp_path / "太大.xlsx", rows)
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "sheet-too-large" in output and "太大.xlsx" in output and "工作表“名单”" in output


def test_sheet_without_references_within_the_limit_still_reads(tmp_path):
    """Cells without r attributes (some script writers) keep being read, values and all."""
    body = [
        "<row>"
        '<c t="inlineStr"><is><t>企业名称</t></is></c>'
        '<c t="inlineStr"><is><t>统一社会信用代码</t></is></c>'
        '<c t="inlineStr"><is><t>2025年营业收入（万元）</t></is></c></row>',
        f'<row><c t="inlineStr"><is><t>甲公司</t></is></c>'
        f'<c t="inlineStr"><is><t>{CODE_A}</t></is></c><c><v>1200.5</v></c></row>',
    ]
    result = read(write_sheet_xlsx(tmp_path / "无引用.xlsx", body))
    assert [a.values["name"] for a in result.applicants] == ["甲公司"]
    assert str(result.applicants[0].values["revenue_y1"]) == "1200.5"


def test_cell_reference_beyond_excel_limits_is_a_corrupt_file(tmp_path, capsys):
    """A reference past XFD1048576 is reported as a damaged sheet, not a crash."""
    path = write_sheet_xlsx(
        tmp_path / "越界.xlsx",
        [HEADER_ROW, '<row r="2"><c r="ZZZZ2"><v>1</v></c></row>'],
    )
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "file-corrupt" in output and "越界.xlsx" in output and "工作表“名单”" in output


def test_sheet_scattered_over_a_huge_area_is_refused(tmp_path, capsys, monkeypatch):
    """Cells spread so that even their rows are too wide to hold (limit scaled) are refused."""
    monkeypatch.setattr(workbook, "DENSE_FLOOR", 1_000)
    monkeypatch.setattr(workbook, "MAX_SPARSE_SLOTS", 100_000)
    body = [
        HEADER_ROW,
        *(
            f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>'
            for r in range(2, 12)
        ),
    ]
    status, output = check_in_process(write_sheet_xlsx(tmp_path / "分散.xlsx", body), capsys)
    assert status == 1
    assert "sheet-too-large" in output and "分散.xlsx" in output and "工作表“名单”" in output


# ---- .xls -------------------------------------------------------------------------------------


def _xls_roster(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for c, text in enumerate(["企业名称", "统一社会信用代码"]):
        sheet.write(0, c, text)
    sheet.write(1, 0, "甲科技有限公司")
    sheet.write(1, 1, CODE_A)
    sheet.write(65535, 255, "x")
    book.save(str(path))
    return path


def test_xls_with_a_far_cell_and_lying_dimensions_reads_in_little_memory(tmp_path):
    """A .xls whose DIMENSIONS record and far cell span 65536 x 256 reads row by row."""
    path = _xls_roster(tmp_path / "远端.xls")
    data = bytearray(path.read_bytes())
    # DIMENSIONS (0x0200, length 14): first row, last row + 1, first col, last col + 1.
    at = data.find(b"\x00\x02\x0e\x00")
    assert at > 0
    data[at + 4 : at + 18] = (
        (0).to_bytes(4, "little")
        + (65536).to_bytes(4, "little")
        + (0).to_bytes(2, "little")
        + (256).to_bytes(2, "little")
        + b"\x00\x00"
    )
    path.write_bytes(bytes(data))
    status, stdout, stderr, peak = run_check_measured(path, "--json")
    assert "Traceback" not in stderr, stderr
    assert status in (0, 1)
    assert [a["name"] for a in json.loads(stdout)["applicants"]] == ["甲科技有限公司"]
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


# ---- CSV --------------------------------------------------------------------------------------


def test_csv_with_a_100_mb_single_cell_line_ends_in_a_message(tmp_path):
    """One 100 MB field is refused with the file and line named, in bounded memory."""
    path = tmp_path / "长行.csv"
    path.write_bytes("企业名称,统一社会信用代码\n甲公司,".encode() + b"a" * 100_000_000 + b"\n")
    status, stdout, stderr, peak = run_check_measured(path)
    assert "Traceback" not in stderr, stderr
    assert status == 1
    assert "长行.csv" in stdout and "第 2 行" in stdout
    assert peak < 600, f"peak {peak:.0f} MB"


def test_csv_with_millions_of_columns_on_one_line_is_refused_early(tmp_path):
    """A 100 MB line of 50 million commas is refused before it becomes 50 million cells."""
    path = tmp_path / "逗号.csv"
    path.write_bytes("企业名称,".encode() + b"a," * 50_000_000 + b"\n")
    status, stdout, stderr, peak = run_check_measured(path)
    assert "Traceback" not in stderr, stderr
    assert status == 1
    assert "逗号.csv" in stdout and "sheet-too-large" in stdout and "第 1 行" in stdout
    assert peak < 600, f"peak {peak:.0f} MB"


def test_csv_with_16000_columns_is_read_and_reported(tmp_path, capsys):
    """16,000 columns (within Excel's 16,384) are read; the missing header is reported."""
    path = tmp_path / "宽.csv"
    path.write_text(
        ",".join(f"列{i}" for i in range(16_000)) + "\n" + ",".join("1" * 16_000) + "\n",
        encoding="utf-8",
    )
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "宽.csv" in output and "找不到表头" in output


def test_csv_wider_than_excel_is_refused(tmp_path, capsys):
    """More than 16,384 columns on a line is not a roster: refused naming file and line."""
    path = tmp_path / "超宽.csv"
    path.write_text("企业名称,统一社会信用代码\n" + ",".join("1" * 20_000) + "\n", encoding="utf-8")
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "超宽.csv" in output and "sheet-too-large" in output and "第 2 行" in output


def test_csv_larger_than_the_limit_is_refused(tmp_path, capsys, monkeypatch):
    """A text file over the size limit (scaled down here) is refused before it is read."""
    monkeypatch.setattr(workbook, "MAX_TEXT_BYTES", 1_000)
    path = tmp_path / "大.csv"
    path.write_text("企业名称,统一社会信用代码\n" + "甲公司,1\n" * 200, encoding="utf-8")
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "大.csv" in output and "file-too-large" in output


# ---- JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "嵌套"),
        ('[{"name": "甲", "employees_y1": ' + "[" * 5_000 + "]" * 5_000 + "}]", "嵌套"),
        ('[{"name": "甲", "name": "乙"}]', "重复"),
        ('[{"name": "甲", "employees_y1": NaN}]', "NaN"),
        ('[{"name": "甲", "revenue_y1": Infinity}]', "Infinity"),
        ('[{"name": "甲", "employees_y1": 1' + "0" * 5_000 + "}]", "位数"),
        ("42", "顶层"),
        (
            '[{"name": "' + "长" * 100_000 + '", "employees_y1": "' + "x" * 100_000 + '"}]',
            "应为整数",
        ),
    ],
    ids=["deep", "deep-field", "duplicate", "nan", "infinity", "huge-int", "scalar", "long-text"],
)
def test_hostile_json_ends_in_one_message_naming_the_file(tmp_path, capsys, text, expected):
    """Deep nesting, duplicate keys, NaN, huge numbers: one short Chinese message, exit 1."""
    path = tmp_path / "恶意.json"
    path.write_text(text, encoding="utf-8")
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "Traceback" not in output
    assert "恶意.json" in output and expected in output
    assert len(output) < 5_000


def test_json_larger_than_the_limit_is_refused(tmp_path, capsys, monkeypatch):
    """A JSON file over the size limit (scaled down here) is refused before it is parsed."""
    from zjtx.intake import json_input

    monkeypatch.setattr(json_input, "MAX_JSON_BYTES", 1_000)
    path = tmp_path / "大.json"
    path.write_text(json.dumps([{"name": f"企业{i}"} for i in range(200)]), encoding="utf-8")
    status, output = check_in_process(path, capsys)
    assert status == 1
    assert "大.json" in output and "过大" in output


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "2003.xls",
            '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
            'spreadsheet"><Worksheet ss:Name="名单"/></Workbook>'.encode(),
            "这是 Excel 2003 XML 表格",
        ),
    ],
    ids=["spreadsheetml-2003"],
)
def test_a_platform_export_named_as_excel_says_what_it_is(tmp_path, name, content, said):
    """An Excel 2003 XML table named .xls is named as what it is, with how to import it; not
    called damaged."""
    path = tmp_path / name
    path.write_bytes(content)
    [issue] = read(path).issues
    assert issue.code == "file-format-unsupported"
    assert said in issue.message and "已损坏" not in issue.message, issue.message
    assert "只是扩展名为“" + path.suffix + "”" in issue.message


HTML_ROSTER = (
    "<html><head><meta charset='{charset}'></head><body><table border=1>"
    "<tr><th colspan=3>2026年专精特新中小企业申报名单</th></tr>"
    "<tr><th>企业名称</th><th>统一社会信用代码</th><th>2025年营业收入（万元）</th></tr>"
    "<tr><td>甲公司</td><td>{a}</td><td>1,234.5</td></tr>"
    "<tr><td rowspan=2>乙公司<br>（原丙公司）</td><td>{b}</td><td>&nbsp;800</td></tr>"
    "</table></body></html>"
)


@pytest.mark.parametrize(
    ("name", "encoding", "charset"),
    [("平台导出.xls", "utf-8", "utf-8"), ("导出.xlsx", "gbk", "gbk")],
    ids=["utf-8-xls", "gbk-xlsx"],
)
def test_a_web_page_export_named_as_excel_is_read_as_its_table(tmp_path, name, encoding, charset):
    """An online platform's "Excel" export that is a web page is read as the table it holds
    (merged cells as merged, a line break in a cell as a new line), with a note saying so."""
    path = tmp_path / name
    path.write_bytes(HTML_ROSTER.format(charset=charset, a=CODE_A, b=CODE_B).encode(encoding))
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A, CODE_B]
    assert result.applicants[0].values["revenue_y1"] == Decimal("1234.5")
    notes = [i for i in result.issues if i.code == "file-read-as-web-table"]
    assert len(notes) == 1 and "网页（HTML）格式的表格" in notes[0].message
    assert not [i for i in result.issues if str(i.severity) == "error"], result.issues


def test_csv_text_named_as_excel_is_read_as_csv(tmp_path):
    """CSV text saved with an .xls name is read as CSV (GBK as written by Excel), with a
    note saying so."""
    path = tmp_path / "名单.xls"
    path.write_bytes(f"企业名称,统一社会信用代码\n甲公司,{CODE_A}\n".encode("gbk"))
    result = read(path)
    assert [a.name for a in result.applicants] == ["甲公司"]
    assert [i.code for i in result.issues if i.code.startswith("file-read-as")] == [
        "file-read-as-csv"
    ]


def test_an_excel_97_file_named_docx_is_not_called_a_word_document(tmp_path):
    """An .xls (OLE) file named .docx is read as the old Excel workbook it is, and said so."""
    workbook = xlwt.Workbook()
    workbook.add_sheet("名单").write(0, 0, "企业名称")
    workbook.save(str(tmp_path / "a.xls"))
    path = tmp_path / "申请书.docx"
    path.write_bytes((tmp_path / "a.xls").read_bytes())
    notes = [i.message for i in read(path).issues if i.code == "file-read-by-content"]
    assert notes == [
        "申请书.docx：这是旧版 Excel 工作簿（.xls），只是扩展名为“.docx”：已按其内容读取"
    ]


def test_a_cell_of_hundreds_of_megabytes_is_refused_early(tmp_path):
    """One inline-text cell of 90 MB (a small file) is far beyond Excel's 32,767 characters:
    refused as soon as the text passes a few megabytes, naming file and sheet, in little
    memory and time (it was read whole: minutes and gigabytes for 400 MB)."""
    chunk = "甲" * 1_000_000

    def body():
        yield HEADER_ROW
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        for _ in range(30):
            yield chunk
        yield f'</t></is></c><c r="B2" t="inlineStr"><is><t>{CODE_A}</t></is></c></row>'

    path = write_sheet_xlsx(tmp_path / "巨格.xlsx", body())
    assert path.stat().st_size < 2_000_000
    status, stdout, stderr, peak = run_check_measured(path)
    assert "Traceback" not in stderr, stderr
    assert status == 1
    assert "巨格.xlsx" in stdout and "工作表“名单”" in stdout
    assert "32,767" in stdout, stdout
    assert peak < PEAK_LIMIT_MB, f"peak {peak:.0f} MB"


def test_a_shared_text_of_megabytes_is_refused_naming_the_file(tmp_path):
    """The same in the workbook's shared texts (what Excel writes): refused as too large."""
    path = write_sheet_xlsx(tmp_path / "巨文.xlsx", [HEADER_ROW, '<row r="2"><c r="A2" t="s">'
                            f'<v>0</v></c><c r="B2" t="inlineStr"><is><t>{CODE_A}</t></is></c></row>'])  # fmt: skip
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0"?><sst {NS} count="1" uniqueCount="1"><si><t>'
            + "甲" * 6_000_000
            + "</t></si></sst>",
        )
    [issue] = read(path).issues
    assert issue.code == "file-too-large" and "32,767" in issue.message, issue.message


def test_a_huge_cell_of_text_holding_closing_brackets_is_refused_too(tmp_path):
    """A cell's text may hold ">" (a>b>c…): megabytes of it are refused all the same."""

    def body():
        yield HEADER_ROW
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        for _ in range(10):
            yield "甲>" * 1_000_000
        yield f'</t></is></c><c r="B2" t="inlineStr"><is><t>{CODE_A}</t></is></c></row>'

    path = write_sheet_xlsx(tmp_path / "尖括号.xlsx", body())
    [issue] = read(path).issues
    assert issue.code == "sheet-too-large" and "32,767" in issue.message, issue.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("xhtml.xls", ('<?xml version="1.0" encoding="utf-8"?>\n' + HTML_ROSTER).encode()),
        ("unicode.xls", HTML_ROSTER.encode("utf-16")),
        (
            "script.xls",
            HTML_ROSTER.replace("<td>{a}</td>", "<td>{a}<script>var x=1;</script></td>").encode(),
        ),
        (
            "tfoot-first.xls",
            HTML_ROSTER.replace(
                "<table border=1>",
                "<table border=1><tfoot><tr><td>合计</td><td></td><td>2034.5</td></tr></tfoot>",
            ).encode(),
        ),
    ],
    ids=["xml-declaration", "utf-16", "script", "tfoot-first"],
)
def test_web_page_exports_as_platforms_write_them_are_read(tmp_path, name, content):
    """An XHTML page with an XML declaration, a UTF-16 page, a page with script in a cell and
    a table whose 合计 footer is written first are read as the roster they hold."""
    path = tmp_path / name
    text = content.decode("utf-16") if name == "unicode.xls" else content.decode()
    page = text.format(charset="utf-8", a=CODE_A, b=CODE_B)
    path.write_bytes(page.encode("utf-16") if name == "unicode.xls" else page.encode())
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A, CODE_B], result.issues
    assert not [i for i in result.issues if str(i.severity) == "error"], result.issues


def test_a_web_page_of_huge_spans_is_refused_quickly(tmp_path):
    """Cells spanning thousands of rows and columns (a few hundred bytes) are refused as too
    large without building the grid: seconds and gigabytes otherwise."""
    cells = "<td colspan=5000 rowspan=5000>x</td>" * 8
    rows = f"<tr>{cells}</tr>" * 300
    path = tmp_path / "spans.xls"
    path.write_text(f"<html><table>{rows}</table></html>", "utf-8")
    [issue] = [i for i in read(path).issues if str(i.severity) == "error"]
    assert issue.code == "sheet-too-large", issue.message


def test_tab_separated_unicode_text_named_xls_is_read(tmp_path):
    """Excel's "Unicode 文本" (tab-separated UTF-16) saved as .xls is read as text, with a note."""
    path = tmp_path / "名单.xls"
    path.write_bytes(f"企业名称\t统一社会信用代码\r\n甲公司\t{CODE_A}\r\n".encode("utf-16"))
    result = read(path)
    assert [a.name for a in result.applicants] == ["甲公司"]
    [note] = [i for i in result.issues if i.code == "file-read-as-csv"]
    assert "分隔的文本" in note.message and "逗号分隔" not in note.message
