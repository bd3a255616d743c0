"""Files as offices have them: renamed, WPS formats, archives, placeholders, other formats.
Each is read as what its content is (with a note), or refused saying what it is and what to do."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlwt

from tests.intake.helpers import CODE_A, CODE_B, read, write_xlsx
from tests.intake.test_docx import write_application

# English a Chinese office reads every day: program and format names only.
PRODUCT_WORDS = {"Word", "Excel", "WPS", "PDF", "RTF", "MHT", "XML", "PowerPoint", "docx", "xlsx"}
ROSTER = [["企业名称", "统一社会信用代码", "2025年营业收入（万元）"], ["甲公司", CODE_A, 1200]]


def _issues(result) -> list[tuple[str, str, str]]:
    return [(i.code, str(i.severity), i.message) for i in result.issues]


def _xls(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r, row in enumerate(ROSTER):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".xls", ".et", ".ett", ".xltx", ".xltm", ".docx"])
def test_a_workbook_under_another_excel_or_word_name_is_read_with_a_note(tmp_path, suffix):
    """An .xlsx saved as .xls, WPS .et, a template or .docx is read as the workbook it is; a
    note says so; nothing says 损坏 or carries English."""
    path = write_xlsx(tmp_path / "名单.xlsx", ROSTER).rename(tmp_path / f"名单{suffix}")
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A]
    [(code, severity, message)] = _issues(result)
    assert (code, severity) == ("file-read-by-content", "info")
    assert f"这是 Excel 工作簿（.xlsx），只是扩展名为“{suffix}”：已按其内容读取" in message


@pytest.mark.parametrize("suffix", [".et", ".ett", ".xlt", ".xlsx"])
def test_an_old_workbook_under_wps_or_new_names_is_read(tmp_path, suffix):
    """A BIFF workbook (.xls, as WPS 表格 saves .et) named .et, .ett, .xlt or .xlsx is read."""
    path = _xls(tmp_path / "名单.xls").rename(tmp_path / f"名单{suffix}")
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A]
    assert all(str(i.severity) == "info" for i in result.issues)


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".dotx", ".wpt"])
def test_a_word_document_under_an_old_or_template_name_is_read(tmp_path, suffix):
    """A .docx 申请书 saved under .doc, .wps, .dotx or .wpt is read as the 申请书 it is."""
    path = write_application(tmp_path / "申请书.docx").rename(tmp_path / f"申请书{suffix}")
    result = read(path)
    assert len(result.applicants) + len(result.files[0].blocked_applicants) == 1
    notes = [m for c, _s, m in _issues(result) if c == "file-read-by-content"]
    assert notes == [
        f"申请书{suffix}：这是 Word 文档（.docx），只是扩展名为“{suffix}”：已按其内容读取"
    ]


def test_a_web_page_named_doc_is_read_as_its_table(tmp_path):
    """A platform's “导出Word” that is a web page holding the roster is read as that table."""
    path = tmp_path / "名单.doc"
    cells = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row)}</tr>" for row in ROSTER)
    path.write_text(f"<html><body><table>{cells}</table></body></html>", encoding="utf-8")
    result = read(path)
    assert [a.uscc for a in result.applicants] == [CODE_A]
    assert [c for c, _s, _m in _issues(result)] == ["file-read-as-web-table"]
    assert "扩展名为“.doc”" in result.issues[0].message


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("申请书.doc", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}", "RTF 格式"),
        ("申请书.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}", "RTF 格式"),
        (
            "申请书.doc",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n",
            "“单个文件网页”（MHT）",
        ),
        (
            "申请书.xml",
            b'<?xml version="1.0"?><?mso-application progid="Word.Document"?>'
            b'<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">',
            "Word 2003 XML",
        ),
        (
            "申请书.doc",
            b'<?xml version="1.0"?><w:wordDocument '
            b'xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">',
            "Word 2003 XML",
        ),
        ("名单.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("汇报.dps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "PowerPoint Document".encode("utf-16-le"),
         "演示文稿"),
        ("汇报.pptx", b"PK\x03\x04", "演示文稿"),
    ],
)  # fmt: skip
def test_other_formats_are_named_with_what_to_do(tmp_path, name, content, said):
    """RTF, MHT, Word 2003 XML, PDF and presentations are refused naming what they are and
    how to convert them, in Chinese only."""
    path = tmp_path / name
    if name.endswith(".pptx"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("ppt/presentation.xml", "<p/>")
    else:
        path.write_bytes(content)
    [(_code, severity, message)] = _issues(read(path))
    assert severity == "error" and said in message and name in message
    assert "损坏" not in message
    # (extensions such as .doc are quoted as they are)
    assert set(re.findall(r"(?<![.A-Za-z])[A-Za-z]{3,}", message)) <= PRODUCT_WORDS, message


def test_archives_say_to_extract_them(tmp_path):
    """A zip or rar in a folder is a warning (it usually sits beside what was extracted from
    it); a zip given on its own, or named .xlsx, is an error; both say to extract it; the
    other files of the folder are read."""
    folder = tmp_path / "收件"
    folder.mkdir()
    write_xlsx(folder / "名单.xlsx", ROSTER)
    with zipfile.ZipFile(folder / "企业材料.zip", "w") as archive:
        archive.writestr("申报表.xlsx", b"x")
    (folder / "材料.rar").write_bytes(b"Rar!\x1a\x07\x01\x00")
    shutil.copy(folder / "企业材料.zip", tmp_path / "打包.xlsx")
    result = read(folder, tmp_path / "打包.xlsx")
    assert [a.uscc for a in result.applicants] == [CODE_A]
    said = {i.file: (str(i.severity), i.message) for i in result.issues}
    assert said["收件/企业材料.zip"][0] == said["收件/材料.rar"][0] == "warning"
    assert said["打包.xlsx"][0] == "error"
    assert all("压缩包" in m and "解压" in m for _s, m in said.values())


@pytest.mark.parametrize(
    ("name", "members", "said"),
    [
        ("名单.xlsb", {"xl/workbook.bin": b"x", "[Content_Types].xml": b"<x/>"}, "Excel 二进制工作簿"),
        ("名单.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"},
         "OpenDocument 表格"),
        ("申请书.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"},
         "OpenDocument 文档"),
    ],
)  # fmt: skip
def test_other_office_packages_are_not_called_archives(tmp_path, name, members, said):
    """.xlsb, .ods and .odt say what they are and how to save them, not “请先解压”."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    [(code, _severity, message)] = _issues(read(path))
    assert code == "file-format-unsupported" and said in message and "解压" not in message


def test_empty_truncated_and_lock_files_say_what_they_are(tmp_path):
    """A 0-byte placeholder, a copy cut short and an owner lock file given directly are each
    named as such, not as 损坏 with advice to save as."""
    empty = tmp_path / "未下载.xlsx"
    empty.write_bytes(b"")
    empty_word = tmp_path / "未下载.docx"
    empty_word.write_bytes(b"")
    good = write_xlsx(tmp_path / "good.xlsx", ROSTER).read_bytes()
    cut = tmp_path / "复制中断.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    lock = tmp_path / "~$名单.xlsx"
    lock.write_bytes(b"\x06\xe7\x8e\x8b\x00" * 33)
    messages = {i.file: i.message for i in read(empty, empty_word, cut, lock).issues}
    assert "文件是空的（0 字节）" in messages["未下载.xlsx"]
    assert "云" in messages["未下载.docx"] and "另存为" not in messages["未下载.docx"]
    assert "文件不完整" in messages["复制中断.xlsx"]
    assert "临时锁定文件" in messages["~$名单.xlsx"] and "名单.xlsx" in messages["~$名单.xlsx"]


def test_a_folder_reads_wps_workbooks_and_an_empty_folder_is_said(tmp_path):
    """.et and .ett workbooks in a folder are read like .xls; a folder with nothing to read is
    an error, not “没有发现问题”."""
    folder = tmp_path / "收件"
    folder.mkdir()
    _xls(folder / "名单.et")
    write_xlsx(folder / "名单2.ett", [ROSTER[0], ["乙公司", CODE_B, 900]])
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    (empty / "Thumbs.db").write_bytes(b"x")
    result = read(folder, empty)
    assert sorted(a.uscc for a in result.applicants) == sorted([CODE_A, CODE_B])
    errors = [(i.file, i.message) for i in result.issues if str(i.severity) == "error"]
    assert errors == [("空文件夹", "空文件夹：文件夹中没有可导入的申报文件（.xlsx、.xls、.et、.csv、"
                                  ".docx 等）")]  # fmt: skip


def test_a_file_that_cannot_be_opened_says_it_may_be_in_use(tmp_path, monkeypatch):
    """Permission denied (on Windows, a file WPS or Excel holds open) is said in Chinese."""
    path = write_xlsx(tmp_path / "名单.xlsx", ROSTER)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    [(code, _severity, message)] = _issues(read(path))
    assert code == "file-unreadable"
    assert "没有权限读取，或文件正被其他程序（如 WPS、Excel）占用" in message
    assert "Permission" not in message


def test_a_strict_open_xml_document_and_tracked_changes_are_said(tmp_path):
    """A Word document saved as Strict Open XML says so and how to save it; one with changes
    tracked and not accepted is read as revised, with a note saying so."""
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    path = write_application(tmp_path / "修订.docx")
    document = docx.Document(path)
    cell = document.tables[0].rows[0].cells[1]
    run = cell.paragraphs[0].runs[0]._r
    insertion = etree.SubElement(cell.paragraphs[0]._p, qn("w:ins"))
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "企业")
    insertion.append(run)
    document.save(path)
    result = read(path)
    assert [c for c, _s, _m in _issues(result) if c == "docx-revisions"] == ["docx-revisions"]
    assert len(result.applicants) + len(result.files[0].blocked_applicants) == 1

    strict = tmp_path / "严格.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(strict, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                )
            target.writestr(item, data)
    [(code, _severity, message)] = _issues(read(strict))
    assert code == "file-format-unsupported" and "严格 Open XML" in message
