"""Word .docx 申请书 as grids: every table (merged cells kept) plus "名称：X" paragraphs."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from zjtx.domain.uscc import validate_uscc
from zjtx.intake.headers import money_note
from zjtx.intake.sheet_data import FileProblem, SheetData
from zjtx.intake.values import USCC_LENGTH

BODY_TEXT = "正文"
ANSWERED_LINES = 6  # "label：answer" lines a cell of answers holds; more is prose
NOTE_PARAGRAPHS = 2  # paragraphs above a table searched for its money unit (title, note)
MAX_DOCUMENT_BYTES = 256 << 20  # a 申请书's main part is a few MB even with many tables
# "企业名称：X" paragraphs outside tables; anything longer is prose, not a field.
_LABELLED = re.compile(r"^\s*([^:：]{2,30}?)\s*[:：]\s*(\S.{0,199}?)\s*$")
# A heading over the form's instructions (填表说明, 三、填报要求：): what follows it up to the
# next table says how to fill the form in, not what the applicant filled in. A bare 说明 or 备注
# may head the applicant's own notes, so it does not count.
_INSTRUCTIONS_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[(（][一二三四五六七八九十\d]+[)）])?\s*"
    r"(?:填表说明|填报说明|填写说明|填报要求|填表要求|注意事项)\s*[:：]?\s*$"
)
# A hint in place of an answer: 填写营业执照上的企业全称。按评测结果填写. No answer says 填写 or
# starts with 请 or 是指 (按期报告, 指纹锁 are answers).
_INSTRUCTION = re.compile(r"^(?:请|是指|如实)|.*(?:填写|填报)")
_BRACKETED_HINT = re.compile(r"[(（][^)）]*(?:填写|填报)[^)）]*[)）]")
_NOT_WORD = "文件已损坏或不是 Word 文档，无法读取：请在 Word 或 WPS 中打开并另存为 .docx"


@dataclass(slots=True)
class WordDocument:
    """The grids of one document and the tables that could not be read (name, message)."""

    sheets: list[SheetData] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    revised: bool = False  # holds changes tracked and not yet accepted (read as revised)


def read_docx(path: Path) -> WordDocument:
    """Tables of a .docx as SheetData named 表1, 表2…; labelled paragraphs as 正文."""
    from docx.oxml.ns import qn

    body = _body(path)

    tbl_tag, p_tag = qn("w:tbl"), qn("w:p")
    result = WordDocument()
    result.revised = any(True for _ in body.iter(qn("w:ins"), qn("w:del")))
    paragraphs: list[list[str]] = []
    numbers: list[int] = []
    tables = 0
    above: list[tuple[int, str]] = []  # the paragraphs since the last table: (number, text)
    instructions = False  # under a 填表说明 heading: its "企业名称：填写…" are not answers
    for index, child in enumerate(_blocks(body), start=1):
        if child.tag == tbl_tag:
            for table, in_cell in ((child, []), *_nested_tables(child)):
                tables += 1
                name = f"表{tables}"
                problem, sheet = _table(table, name)
                if problem is not None:
                    result.problems.append((name, problem))
                else:
                    sheet.unit_note = _unit_note(in_cell) or _unit_note(above)
                    result.sheets.append(sheet)
                    answered = _answered_cells(sheet)
                    if answered is not None:
                        result.sheets.append(answered)
            above = []
            instructions = False  # a 填表说明 ends where the form's tables go on
        elif child.tag == p_tag:
            text = " ".join(_text(child).splitlines())
            if text:
                above.append((index, text))
            if _INSTRUCTIONS_HEADING.match(text):
                instructions = True
                continue
            match = _LABELLED.match(text)
            answer = _answer(match.group(2)) if match and not instructions else None
            if answer:
                paragraphs.append([match.group(1), answer])
                numbers.append(index)
    if paragraphs:
        result.sheets.append(
            SheetData(name=BODY_TEXT, rows=paragraphs, ref_style="paragraph", row_numbers=numbers)
        )
    return result


def _blocks(parent: Any) -> Iterator[Any]:
    """The children of a body, table, row or cell in document order, those inside content
    controls (w:sdt: a locked form's fields, repeating rows) and custom XML included."""
    from docx.oxml.ns import qn

    wrappers = {qn("w:sdt"): qn("w:sdtContent"), qn("w:customXml"): None}
    for child in parent.iterchildren():
        if child.tag in wrappers:
            inner = wrappers[child.tag]
            content = child.find(inner) if inner else child
            if content is not None:
                yield from _blocks(content)
        else:
            yield child


def _nested_tables(tbl: Any) -> Iterator[tuple[Any, list[tuple[int, str]]]]:
    """The tables laid inside a table's cells (a layout table around the form), in document
    order, each followed by those inside it, with the paragraphs above it in its cell (a
    unit noted there is its unit)."""
    from docx.oxml.ns import qn

    tr_tag, tc_tag, tbl_tag, p_tag = qn("w:tr"), qn("w:tc"), qn("w:tbl"), qn("w:p")
    for tr in (r for r in _blocks(tbl) if r.tag == tr_tag):
        for tc in (c for c in _blocks(tr) if c.tag == tc_tag):
            above: list[tuple[int, str]] = []
            for number, block in enumerate(_blocks(tc), start=1):
                if block.tag == tbl_tag:
                    yield block, above
                    yield from _nested_tables(block)
                    above = []
                elif block.tag == p_tag:
                    text = " ".join(_text(block).splitlines())
                    if text:
                        above.append((number, text))


def _answer(text: str) -> str | None:
    """The applicant's answer in what follows a label, without a hint in brackets after it
    (C3484（按国民经济行业分类填写）); None when all of it is a hint (填写营业执照上的全称)."""
    answer = _BRACKETED_HINT.sub("", text).strip()
    if not answer or _INSTRUCTION.match(answer):
        return None
    return answer


def _answered_cells(table: SheetData) -> SheetData | None:
    """The cells of a table holding a label and its answer (研发机构级别：省级, a line each),
    as rows of (label, answer) of the table's name, or None when there are none."""
    rows: list[list[str]] = []
    refs: list[tuple[int, int]] = []
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if not text or ("：" not in text and ":" not in text):
                continue
            # An answer beside its label (企业简介 | …主导产品：…) is prose, however it reads.
            before = row[c - 1] if c > 0 else ""
            if before and "：" not in before and ":" not in before:
                continue
            lines = [line for line in text.splitlines() if line.strip()]
            matches = [_LABELLED.match(line) for line in lines]
            if len(lines) > ANSWERED_LINES or not all(matches):
                continue  # a cell of answers holds nothing else
            for match in matches:
                answer = _answer(match.group(2))
                if answer:
                    rows.append([match.group(1), answer])
                    refs.append((r, c))
    if not rows:
        return None
    return SheetData(name=table.name, rows=rows, ref_style="cells", cell_refs=refs)


def _unit_note(above: list[tuple[int, str]]) -> tuple[str, str, str] | None:
    """The money unit noted in the last paragraphs above a table (单位：千元 under its title),
    as (unit, note, 第N段), or None."""
    for number, text in reversed(above[-NOTE_PARAGRAPHS:]):
        unit = money_note(text)
        if unit is not None:
            return unit, text, f"第{number}段"
    return None


def _body(path: Path) -> Any:
    """The w:body of the main document part, parsed by python-docx's XML layer.

    Only the main part is parsed: docx.Document() would parse styles, theme, numbering and
    settings too (two thirds of the time for a 申请书) though tables need none of them.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.parser import parse_xml

    try:
        with zipfile.ZipFile(path) as archive:
            rels = ElementTree.fromstring(archive.read("_rels/.rels"))
            target = next(
                (
                    rel.get("Target", "")
                    for rel in rels
                    if rel.get("Type") == RELATIONSHIP_TYPE.OFFICE_DOCUMENT
                ),
                "word/document.xml",
            )
            info = archive.getinfo(target.lstrip("/"))
            if info.file_size > MAX_DOCUMENT_BYTES:
                raise FileProblem(
                    "file-too-large",
                    f"Word 文档正文解压后超过 {MAX_DOCUMENT_BYTES >> 20} MB，不像是申请书，未读取",
                )
            xml = archive.read(info)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, OSError):
        raise FileProblem("file-corrupt", _NOT_WORD) from None
    try:
        document = parse_xml(xml)
    except Exception as exc:  # lxml's XMLSyntaxError: a damaged part
        damaged = _NOT_WORD.replace("文件已损坏", "文件已损坏（正文的 XML 有误）", 1)
        raise FileProblem("file-corrupt", damaged) from exc
    body = document.find(qn("w:body"))
    if body is None:
        if "purl.oclc.org/ooxml" in str(document.tag):
            raise FileProblem(
                "file-format-unsupported",
                "这是“严格 Open XML”格式的 Word 文档，无法直接读取：请在 Word 中打开，另存为"
                "“Word 文档（*.docx）”后再导入",
            )
        raise FileProblem("file-corrupt", _NOT_WORD)
    return body


# Box glyphs inserted as symbols (Insert ▸ Symbol), by font and character code: ticked as ☑,
# crossed as ☒, empty as □, so a row of boxes reads as the same text typed glyphs give.
_SYMBOLS = {
    "wingdings": {"F0FE": "☑", "F0FD": "☒", "F078": "☒", "F0A8": "□", "F06F": "□", "F0FC": "√"},
    "wingdings 2": {"F052": "☑", "F054": "☒", "F051": "☒", "F0A3": "□", "F050": "√", "F02A": "□"},
}


def _text(element: object) -> str:
    """An element's text as shown: a line break as a new line (a cell's lines of label：answer
    are told apart by it), a tab as a space, box symbols and form-field checkboxes as ☑/□."""
    from docx.oxml.ns import qn

    t, sym, fld, br = qn("w:t"), qn("w:sym"), qn("w:fldChar"), qn("w:br")
    parts = []
    for node in element.iter(t, qn("w:tab"), br, sym, fld):  # type: ignore[attr-defined]
        tag = node.tag
        if tag == t:
            text = node.text or ""
            if text and len(text) <= 8:
                font = _symbol_font(node)
                if font is not None:
                    text = "".join(font.get(f"F0{ord(ch):02X}", ch) for ch in text)
            parts.append(text)
        elif tag == sym:
            font = (node.get(qn("w:font")) or "").lower()
            char = (node.get(qn("w:char")) or "").upper()
            parts.append(_SYMBOLS.get(font, {}).get(char, ""))
        elif tag == fld:
            parts.append(_form_checkbox(node))
        else:
            parts.append("\n" if tag == br else " ")
    return "".join(parts).strip()


def _symbol_font(t: Any) -> dict[str, str] | None:
    """The box glyphs of a text's symbol font (þ typed in Wingdings is ☑), or None when the run
    is in an ordinary font."""
    from docx.oxml.ns import qn

    run = t.getparent()
    fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") if run is not None else None
    if fonts is None:
        return None
    name = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or ""
    return _SYMBOLS.get(name.lower())


def _form_checkbox(fld_char: Any) -> str:
    """☑ or □ for a legacy FORMCHECKBOX field's start (its state: w:checked, else w:default),
    "" for any other field character."""
    from docx.oxml.ns import qn

    box = fld_char.find(f"{qn('w:ffData')}/{qn('w:checkBox')}")
    if box is None:
        return ""
    state = box.find(qn("w:checked"))
    if state is None:
        state = box.find(qn("w:default"))
    if state is None:
        return "□"
    value = state.get(qn("w:val"))
    return "□" if value in ("0", "false", "off") else "☑"


def _table(tbl: object, name: str) -> tuple[str | None, SheetData]:
    """(problem or None, grid) of one table: merged cells as ranges, covered cells empty."""
    from docx.oxml.ns import qn

    tr_tag, tc_tag, p_tag = qn("w:tr"), qn("w:tc"), qn("w:p")
    grid = tbl.tblGrid  # type: ignore[attr-defined]
    width = len(grid.gridCol_lst) if grid is not None else 0
    rows: list[list[str]] = []
    merged: list[tuple[int, int, int, int]] = []
    open_down: dict[int, int] = {}  # grid column -> index in merged of a vertical merge
    widths: list[int] = []
    for r, tr in enumerate(row for row in _blocks(tbl) if row.tag == tr_tag):
        c = tr.grid_before
        row: list[str] = [""] * c
        for tc in (cell for cell in _blocks(tr) if cell.tag == tc_tag):
            span = tc.grid_span
            text = "\n".join(_text(p) for p in _blocks(tc) if p.tag == p_tag).strip()
            vmerge = tc.vMerge
            if vmerge == "continue" and c in open_down:
                r1, c1, _, c2 = merged[open_down[c]]
                merged[open_down[c]] = (r1, c1, r, c2)
                text = ""
            elif vmerge == "restart":
                open_down[c] = len(merged)
                merged.append((r, c, r, c + span - 1))
            else:
                open_down.pop(c, None)
                if span > 1:
                    merged.append((r, c, r, c + span - 1))
            row.append(text)
            row.extend([""] * (span - 1))
            c += span
        widths.append(c + tr.grid_after)
        rows.append(row)
    expected = width or max(widths, default=0)
    for r, found in enumerate(widths):
        if found != expected:
            return (
                f"{name}第{r + 1}行有 {found} 列，表格的其他行有 {expected} 列：表格行列不整齐，"
                "无法确定各单元格对应的栏目，该表未读取；请在 Word 中把该行补齐（或合并单元格）"
                "后再导入",
                SheetData(name=name, rows=[]),
            )
    for r, row in enumerate(rows):
        _join_boxes(row, r, merged)
    return None, SheetData(name=name, rows=rows, merged=merged, ref_style="table")


def _join_boxes(row: list[str], r: int, merged: list[tuple[int, int, int, int]]) -> None:
    """A code printed one character per box (18 cells of 统一社会信用代码) as one cell: the
    characters joined into the first box, the run merged. Only a run that is a valid code is
    one: a row of Y/N answers or single-digit scores is not."""
    c = 0
    while c < len(row):
        end = c
        while end < len(row) and len(row[end]) == 1 and row[end].isascii() and row[end].isalnum():
            end += 1
        if end - c == USCC_LENGTH and validate_uscc("".join(row[c:end]).upper()) is None:
            row[c] = "".join(row[c:end])
            row[c + 1 : end] = [""] * (end - c - 1)
            merged.append((r, c, r, end - 1))
        c = end + 1 if end == c else end
