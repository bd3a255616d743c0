"""What kind of file an applicant sent, by its content: a workbook, Word, CSV or JSON, or
a file named as one that is another (a web page named .xls, an .xlsx named .docx)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from zjtx.intake.sheet_data import FileProblem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORD_SUFFIXES = frozenset({".docx", ".docm", ".doc", ".wps", ".dot", ".dotx"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xls", ".xlsm"})


def _zip_names(path: Path) -> frozenset[str]:
    """The members of a zip file, none when it cannot be opened as one."""
    try:
        with zipfile.ZipFile(path) as archive:
            return frozenset(archive.NameToInfo)
    except (zipfile.BadZipFile, OSError, EOFError):
        return frozenset()


def detect_kind(path: Path) -> str:
    """'xlsx', 'xls', 'docx', 'csv', 'json' or 'html' by content (and extension for text
    files; a text file named as Excel by what its text is)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise FileProblem("file-not-found", "文件不存在") from None
    except OSError as exc:
        raise FileProblem("file-unreadable", f"无法打开文件：{exc.strerror}") from None
    suffix = path.suffix.lower()
    word = suffix in WORD_SUFFIXES
    if head.startswith(ZIP_MAGIC):
        if suffix in EXCEL_SUFFIXES or not suffix:
            return "xlsx"
        if suffix in (".docx", ".docm"):
            names = _zip_names(path)
            if "xl/workbook.xml" in names and "word/document.xml" not in names:
                raise FileProblem(
                    "file-format-unsupported",
                    f"这是 Excel 工作簿，只是扩展名写成了“{suffix}”：请把扩展名改为 .xlsx 后再导入",
                )
            return "docx"
        raise FileProblem("file-format-unsupported", f"不支持的文件类型“{suffix}”")
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if _utf16("EncryptedPackage") in data:
            raise FileProblem(
                "file-encrypted",
                "文件已加密（设置了打开密码）：请在 Word 或 WPS 中取消密码后另存再导入"
                if word
                else "文件已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存再导入",
            )
        # A Workbook stream and no WordDocument one (a .doc embedding a sheet has both).
        if word and _utf16("Workbook") in data and _utf16("WordDocument") not in data:
            raise FileProblem(
                "file-format-unsupported",
                f"这是旧版 Excel 工作簿（.xls），只是扩展名写成了“{suffix}”：请把扩展名改为 .xls "
                "后再导入",
            )
        if word:
            # .doc and WPS's .wps are binary Word files; no maintained Python library reads
            # their tables, so the evaluator converts them once.
            written = (
                f"（.doc），只是扩展名写成了“{suffix}”"
                if suffix in (".docx", ".docm")
                else f"（{suffix}）"
            )
            raise FileProblem(
                "file-format-unsupported",
                f"这是旧版 Word 文档{written}，无法直接读取：请在 Word 或 WPS 中打开，"
                "另存为 .docx（Word 文档）后再导入",
            )
        return "xls"
    if word:
        raise FileProblem(
            "file-corrupt",
            "文件已损坏或不是 Word 文档，无法读取：请在 Word 或 WPS 中打开并另存为 .docx",
        )
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".htm", ".html"):
        return "html"
    if suffix in EXCEL_SUFFIXES:
        # Online platforms' "Excel" exports are often a web page or CSV text: read as what
        # they are (the reader notes it). An Excel 2003 XML table is not read.
        disguised = text_table_kind(path)
        if disguised in ("html", "csv"):
            return disguised
        if disguised == "spreadsheetml":
            raise FileProblem(
                "file-format-unsupported",
                f"这是 Excel 2003 XML 表格，只是扩展名为“{suffix}”：请在 Excel 或 WPS 中打开，"
                "另存为 Excel 工作簿（.xlsx）后再导入",
            )
        raise FileProblem("file-corrupt", "文件已损坏或不是 Excel 工作簿，无法读取")
    raise FileProblem("file-format-unsupported", f"不支持的文件类型“{suffix or '无扩展名'}”")


def _utf16(name: str) -> bytes:
    """A stream name as an OLE directory spells it."""
    return name.encode("utf-16-le")


def text_table_kind(path: Path) -> str | None:
    """What a file named as Excel is when it is text: "html" (a web page: what online
    platforms call an .xls export), "spreadsheetml" (an Excel 2003 XML table) or "csv";
    None for anything else."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: Excel's "Unicode 文本"
        text = head.decode("utf-16", "ignore")
    elif b"\x00" in head:
        return None
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "ignore")
        if len(text) < len(head) // 2:  # not UTF-8: GBK, as Chinese Windows writes text
            text = head.decode("gbk", "ignore")
    lowered = text.lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return "spreadsheetml"
    if any(tag in lowered for tag in ("<html", "<table", "<!doctype html")):
        return "html"
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    if len(lines) >= 2 and all("," in line or "\t" in line for line in lines):
        return "csv"
    return None
