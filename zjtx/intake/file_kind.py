"""What each file of a batch is by its content, whatever it is named."""

from __future__ import annotations

import zipfile
from pathlib import Path

from zjtx.intake.sheet_data import FileProblem, unreadable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
OTHER_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")
# WPS Office names its own: .et/.ett 表格 (BIFF like .xls, or OOXML), .wps/.wpt 文字, .dps 演示.
# What an application sent in a form zjtx cannot read (a scan, a PDF, a photo) is named like:
# in a folder such a file is read, so it is refused with why and what to ask for, not skipped.
UNREADABLE_APPLICATION_SUFFIXES = frozenset(
    {".pdf", ".ofd", ".rtf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}
)
WORD_SUFFIXES = frozenset({".docx", ".docm", ".doc", ".wps", ".wpt", ".dot", ".dotx", ".dotm"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xls", ".xlsm", ".et", ".ett", ".xlt", ".xltx", ".xltm"})
ARCHIVE_SUFFIXES = frozenset({".zip", ".rar", ".7z"})
PRESENTATION_SUFFIXES = frozenset({".ppt", ".pptx", ".dps", ".dpt"})
# The names each kind is saved under; under any other name a note says it was read by content.
NATIVE_SUFFIXES = {
    "xlsx": frozenset({".xlsx", ".xlsm"}),
    "xls": frozenset({".xls", ".et", ".ett", ".xlt"}),
    "docx": frozenset({".docx", ".docm"}),
}
IT_IS = {
    "xlsx": "这是 Excel 工作簿（.xlsx）",
    "xls": "这是旧版 Excel 工作簿（.xls）",
    "docx": "这是 Word 文档（.docx）",
}
SAVE_AS_DOCX = "请在 Word 或 WPS 中打开，另存为 .docx（Word 文档）后再导入"
SAVE_AS_XLSX = "请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）后再导入"


def _zip_names(path: Path) -> frozenset[str]:
    """The members of a zip file, none when it cannot be opened as one."""
    try:
        with zipfile.ZipFile(path) as archive:
            return frozenset(archive.NameToInfo)
    except (zipfile.BadZipFile, OSError, EOFError):
        return frozenset()


def _unsupported(message: str) -> FileProblem:
    return FileProblem("file-format-unsupported", message)


def _archive(count: int | None = None) -> FileProblem:
    held = f"（内含 {count} 个文件）" if count else ""
    return _unsupported(
        f"这是压缩包{held}，其中的文件没有读取：请先解压（右键 → 解压到当前文件夹），"
        "再导入解压出的文件或文件夹"
    )


def _open_document(path: Path) -> FileProblem:
    """An OpenDocument file (LibreOffice, WPS 另存为 .ods/.odt) by the type it declares."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = archive.read("mimetype")[:100].decode("ascii", "ignore")
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        declared = ""
    if declared.endswith("spreadsheet"):
        return _unsupported(f"这是 OpenDocument 表格（.ods），无法直接读取：{SAVE_AS_XLSX}")
    if declared.endswith("text"):
        return _unsupported(f"这是 OpenDocument 文档（.odt），无法直接读取：{SAVE_AS_DOCX}")
    if declared.endswith("presentation"):
        return _presentation()
    return _unsupported(
        "这是 OpenDocument 格式的文件，无法直接读取：请另存为 .xlsx 或 .docx 后再导入"
    )


def _presentation() -> FileProblem:
    return _unsupported(
        "这是演示文稿（PowerPoint 或 WPS 演示），不是申报数据：请导入申报名单或申请书"
    )


def detect_kind(path: Path) -> str:
    """'xlsx', 'xls', 'docx', 'csv', 'json' or 'html' by content, whatever the file is named
    (disguise_note says when the name differs); a file that is none of these, or
    cannot be one (empty, cut short, an archive, a lock file), raises FileProblem saying what
    it is and what to do."""
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):
        raise _unsupported(
            "这是 Excel、WPS 或 Word 打开文件时生成的临时锁定文件，不是申报材料：请导入文件名中"
            f"没有“~$”的原文件（{path.name[2:]}）"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise FileProblem("file-not-found", "文件不存在") from None
    except OSError as exc:
        raise unreadable(exc) from None
    if not head:
        raise FileProblem(
            "file-empty",
            "文件是空的（0 字节）：可能是网盘或云文档尚未下载到本机的占位文件，或复制没有完成："
            "请重新下载或复制后再导入",
        )
    if head.startswith(ZIP_MAGIC):
        names = _zip_names(path)
        if not names:
            raise FileProblem(
                "file-corrupt",
                "文件不完整（可能没有下载或复制完）或已损坏，无法读取：请重新获取该文件",
            )
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            raise _presentation()
        if "xl/workbook.bin" in names:
            raise _unsupported(
                f"这是 Excel 二进制工作簿（.xlsb）{_named(suffix, '.xlsb')}，无法直接读取：{SAVE_AS_XLSX}"
            )
        if "mimetype" in names:
            raise _open_document(path)
        raise _archive(len([n for n in names if not n.endswith("/")]))
    if head.startswith(OTHER_ARCHIVE_MAGIC):
        raise _archive()
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, suffix)
    if head.startswith(b"%PDF"):
        raise _unsupported(
            "这是 PDF 文件，其中的表格无法可靠地读出：请向企业索取 Word 或 Excel 原件，"
            "或把表格复制到 Excel 中另存为 .xlsx 后再导入"
        )
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*")):
        raise _unsupported(
            "这是图片（扫描件或照片），其中的表格无法读出：请向企业索取 Word 或 Excel 原件"
        )
    if head.startswith(b"{\\rtf"):
        raise _unsupported(f"这是 RTF 格式的文档{_named(suffix, '.rtf')}：{SAVE_AS_DOCX}")
    word = suffix in WORD_SUFFIXES
    if word or suffix in EXCEL_SUFFIXES or suffix in (".xml", ".mht", ".mhtml"):
        text_kind = text_table_kind(path)
        if text_kind == "html" or (text_kind == "csv" and not word):
            return text_kind
        if text_kind == "spreadsheetml":
            raise _unsupported(f"这是 Excel 2003 XML 表格{_named(suffix, '.xml')}：{SAVE_AS_XLSX}")
        if text_kind == "wordml":
            raise _unsupported(f"这是 Word 2003 XML 文档{_named(suffix, '.xml')}：{SAVE_AS_DOCX}")
        if text_kind == "mht":
            advice = SAVE_AS_DOCX if word else SAVE_AS_XLSX
            raise _unsupported(
                f"这是“单个文件网页”（MHT）{_named(suffix, '.mht', '.mhtml')}：{advice}"
            )
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".htm", ".html"):
        return "html"
    if word:
        raise FileProblem(
            "file-corrupt",
            f"文件已损坏或不是 Word 文档，无法读取：{SAVE_AS_DOCX}",
        )
    if suffix in EXCEL_SUFFIXES:
        raise FileProblem("file-corrupt", "文件已损坏或不是 Excel 工作簿，无法读取")
    if suffix in ARCHIVE_SUFFIXES:
        raise _archive()
    if suffix in PRESENTATION_SUFFIXES:
        raise _presentation()
    raise _unsupported(f"不支持的文件类型“{suffix or '无扩展名'}”")


def _named(suffix: str, *native: str) -> str:
    """“，只是扩展名为…” when a file is named as something it is not."""
    return f"，只是扩展名为“{suffix}”" if suffix and suffix not in native else ""


def _ole_kind(path: Path, suffix: str) -> str:
    """An OLE (Office 97–2003) file: a workbook is read; anything else says what it is."""
    data = path.read_bytes()
    word = suffix in WORD_SUFFIXES
    if _utf16("EncryptedPackage") in data:
        raise FileProblem(
            "file-encrypted",
            "文件已加密（设置了打开密码）：请在 Word 或 WPS 中取消密码后另存再导入"
            if word
            else "文件已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存再导入",
        )
    book = _utf16("Workbook") in data or _utf16("Book") in data
    document = _utf16("WordDocument") in data
    if book and not document:  # a .doc embedding a sheet has both
        return "xls"
    if document or word:
        # .doc and WPS's .wps are binary Word files; no maintained Python library reads
        # their tables, so the evaluator converts them once.
        written = (
            f"（.doc），只是扩展名写成了“{suffix}”"
            if suffix in (".docx", ".docm")
            else f"（{suffix}）"
        )
        raise _unsupported(f"这是旧版 Word 文档{written}，无法直接读取：{SAVE_AS_DOCX}")
    if _utf16("PowerPoint Document") in data:
        raise _presentation()
    if suffix in EXCEL_SUFFIXES:
        return "xls"  # xlrd says whether it is one
    raise _unsupported(f"不支持的文件类型“{suffix or '无扩展名'}”")


def _utf16(name: str) -> bytes:
    """A stream name as an OLE directory spells it."""
    return name.encode("utf-16-le")


def text_table_kind(path: Path) -> str | None:
    """What a file named as Excel or Word is when it is text: "html" (a web page: what online
    platforms call an .xls or Word export), "spreadsheetml" (an Excel 2003 XML table),
    "wordml" (a Word 2003 XML document), "mht" (a single-file web page) or "csv"; None for
    anything else."""
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
    if "schemas.microsoft.com/office/word/2003/wordml" in lowered or "<w:worddocument" in lowered:
        return "wordml"
    if lowered.startswith("mime-version:") or "multipart/related" in lowered[:1024]:
        return "mht"
    if any(tag in lowered for tag in ("<html", "<table", "<!doctype html")):
        return "html"
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    if len(lines) >= 2 and all("," in line or "\t" in line for line in lines):
        return "csv"
    return None


def disguise_note(path: Path, kind: str) -> tuple[str, str] | None:
    """(issue code, note) when a file was read as what its content is, not what its name says
    (an .xlsx saved as .xls, a .docx as .wps, a web page or CSV text as an Excel or Word
    file); None when the name fits."""
    suffix = path.suffix.lower()
    named = f"扩展名为“{suffix}”" if suffix else "没有扩展名"
    if kind in NATIVE_SUFFIXES and suffix not in NATIVE_SUFFIXES[kind]:
        return "file-read-by-content", f"{IT_IS[kind]}，只是{named}：已按其内容读取"
    if kind == "html" and suffix not in (".htm", ".html"):
        exported = "Word" if suffix in WORD_SUFFIXES else "Excel"
        return (
            "file-read-as-web-table",
            f"这是网页（HTML）格式的表格，只是{named}（网上平台导出的“{exported}”常是这样）："
            "已按网页中的表格读取",
        )
    if kind == "csv" and suffix not in (".csv", ".txt"):
        return (
            "file-read-as-csv",
            f"这是用逗号或制表符分隔的文本（CSV），只是{named}：已按 CSV 读取",
        )
    return None
