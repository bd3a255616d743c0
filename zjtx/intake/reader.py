"""read_applicants: files and folders in, applicants + issues + a summary that counts every row."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.fields import FieldCatalogue, FieldSpec
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.docx_reader import WordDocument, read_docx
from zjtx.intake.file_kind import detect_kind, disguise_note
from zjtx.intake.folders import FolderNote, expand_paths
from zjtx.intake.form import FormLabels, form_score, read_form
from zjtx.intake.gate import check_duplicates, check_record
from zjtx.intake.headers import clean
from zjtx.intake.hints import CLI_HINTS, Hints
from zjtx.intake.ip_list import IpDefinitions, counting_under, find_ip_tables
from zjtx.intake.json_input import InputError, read_json_applicants
from zjtx.intake.mapping import ColumnOverride, MappingError, apply_overrides, validate_overrides
from zjtx.intake.profiles import Profile, ProfileBook, header_fingerprint
from zjtx.intake.records import Cancelled, FileResult, IntakeResult, Record
from zjtx.intake.reference_sheets import lists_to_read, without_reference_sheets
from zjtx.intake.roster import (
    HEADER_SCAN_ROWS,
    column_mappings,
    find_header,
    header_issues,
    iter_roster_records,
)
from zjtx.intake.sheet_data import FileProblem, SheetData
from zjtx.intake.workbook import read_workbook

_COLUMN_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
READINGS = {"form": "按一家企业的申报材料读取", "roster": "按名单读取（每行一家企业）"}
SKIPPED_SHEETS = frozenset({"填表说明", "说明", "选项", "填报说明", "指标说明"})
PROGRESS_EVERY = 250
READ_BATCH = 100  # roster rows handed to on_read at a time

Progress = Callable[[int, int, str], None]
Overrides = Sequence[tuple[ColumnOverride, FieldSpec | None]]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _file_issue(result: FileResult, code: str, severity: Severity, message: str) -> None:
    result.issues.append(
        Issue(code=code, severity=severity, message=message, file=result.display_name)
    )


class _Ticker:
    """Counts rows, reports progress now and then and honours cancel()."""

    def __init__(
        self,
        progress: Progress | None,
        cancel: Callable[[], bool] | None,
        on_read: Callable[[Iterator[Applicant]], None] | None = None,
    ) -> None:
        self.progress = progress
        self.cancel = cancel
        self.on_read = on_read
        self.done = 0
        self.total = 0
        self.message = ""
        self._next = PROGRESS_EVERY

    def __call__(self, rows: int) -> None:
        self.done += rows
        if self.done >= self._next:
            self._next = self.done + PROGRESS_EVERY
            self.check()
            if self.progress is not None:
                self.progress(self.done, self.total, self.message)

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled("导入已取消")

    def announce(self, message: str) -> None:
        self.message = message
        self.check()
        if self.progress is not None:
            self.progress(self.done, self.total, message)


def read_applicants(
    paths: Sequence[str | Path],
    year: int,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    catalogue: FieldCatalogue | None = None,
    mapping_overrides: Sequence[ColumnOverride] = (),
    hints: Hints = CLI_HINTS,
    readings: Mapping[str | None, str] | None = None,
    profiles: ProfileBook | None = None,
    on_read: Callable[[Iterator[Applicant]], None] | None = None,
    ip_definitions: IpDefinitions | None = None,
) -> IntakeResult:
    """Read rosters, forms, CSV and JSON files (folders expanded) through the gate.

    Args:
        paths: files and folders; folders are searched recursively (sorted) for
            .xlsx/.xls/.csv/.json files, other files are reported as info issues.
        year: evaluation year of the round (2026 round: 2025年 columns are ``_y1``).
        progress: called as progress(done_rows, total_rows_or_0, message).
        cancel: returning True stops the import by raising Cancelled.
        catalogue: the field catalogue (default: the bundled national one).
        mapping_overrides: the evaluator's corrections of roster columns (see
            ColumnOverride): a column re-pointed to another field or year, mapped by hand when
            its header was not recognised, or ignored. Each column read this way is listed in
            FileResult.column_mapping with ``manual=True`` and noted by an info issue.
        hints: how messages tell the reader to correct a column or get a template (the
            command line's wording unless the caller is the window: hints.WINDOW_HINTS).
        readings: the evaluator's choice of reading for workbooks, ``"form"`` (the sheets are
            parts of one application) or ``"roster"`` (each row an applicant), keyed by the
            file's display name or bare name, or by None for every file; otherwise the reading
            is chosen from the sheets and FileResult.reading_note says why.
        profiles: saved mapping profiles; a roster sheet whose header fingerprint matches one
            (and that has no correction of its own) is read with it (FileResult.profile).
        on_read: called with the applicants of roster rows as they are read, READ_BATCH at a
            time (an iterator: those not taken are not made), before the gate: for work that
            can start early (an import's scoring). The gate may still change their values or
            block them.
        ip_definitions: the definitions of Ⅰ类 the applicants' rulebooks use, by application
            type (ip_count.round_ip_definitions), for counting IP lists; None: the definition
            in force in ``year``, which the count's note names as such.

    Raises:
        MappingError: an override names an unknown field (with a "did you mean"), a year
            outside the round, a unit the field cannot take, a column no file has, a form
            file, or puts two columns of a sheet on the same field and year.
    """
    if catalogue is None:
        from zjtx.scoring.catalogue import load_catalogue

        catalogue = load_catalogue()
    overrides = validate_overrides(mapping_overrides, catalogue, year)
    saved = {p.fingerprint: p for p in profiles.list()} if profiles is not None else {}
    used: set[ColumnOverride] = set()
    ticker = _Ticker(progress, cancel, on_read)
    files = expand_paths(paths)
    result = IntakeResult(year=year)
    per_file: list[tuple[FileResult, list[Record]]] = []
    # A form's IP list is counted under the definitions named (form_base reads them).
    with counting_under(ip_definitions):
        for index, (path, shown, skip) in enumerate(files, start=1):
            ticker.announce(f"正在读取 {shown}（第 {index}/{len(files)} 个文件）")
            file_result = FileResult(path=path, sha256="", kind="skipped", display_name=shown)
            records: list[Record] = []
            if isinstance(skip, FolderNote):
                _file_issue(file_result, skip.code, skip.severity, f"{shown}：{skip.text}")
            elif skip is not None:
                _file_issue(file_result, "file-skipped", Severity.INFO, f"已跳过：{skip}")
            else:
                file_result.sha256 = _sha256(path)
                mine = [(o, spec) for o, spec in overrides if o.matches_file(shown)]
                reading = _reading_for(readings or {}, shown)
                records = _read_file(
                    path, shown, year, catalogue, file_result, ticker, mine, used, hints, reading,
                    saved,
                )  # fmt: skip
            per_file.append((file_result, records))
            result.files.append(file_result)
    unused = [o for o, _ in overrides if o not in used]
    if unused:
        raise MappingError(f"{unused[0].where()}：在读取的文件中找不到这一列，更正未能应用")
    ticker.announce("正在检查数据质量")
    all_records = [record for _, records in per_file for record in records]
    for record in all_records:
        check_record(record, catalogue, year)
    left_out = check_duplicates(all_records, catalogue)
    for file_result, records in per_file:
        for record in records:
            if id(record) in left_out:  # the same data as a copy read elsewhere: its note only
                file_result.issues += [i for i in record.issues if i.code == "uscc-duplicate-same"]
                file_result.rows_blank += 1
                continue
            file_result.issues.extend(record.issues)
            if record.blocked:
                file_result.rows_blocked += 1
                file_result.blocked_applicants.append(record.applicant())
            else:
                file_result.rows_imported += 1
                file_result.applicants.append(record.applicant())
        file_result.issues.sort(key=_issue_order)
    ticker.check()
    if progress is not None:
        progress(ticker.done, ticker.done, "导入完成")
    return result


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _issue_order(issue: Issue) -> tuple[object, ...]:
    return (issue.sheet or "", issue.row if issue.row is not None else -1, _col_key(issue.cell))


def _col_key(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (0, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    return (len(letters), letters)


def _reading_for(readings: Mapping[str | None, str], shown: str) -> str | None:
    """The evaluator's reading for a file: by display name, bare name, then for every file."""
    for key in (shown, shown.rsplit("/", 1)[-1], None):
        if key in readings:
            if readings[key] not in READINGS:
                raise MappingError(
                    f"读法只能是 form（一家企业）或 roster（名单）：“{readings[key]}”"
                )
            return readings[key]
    return None


def _note_disguised(path: Path, shown: str, kind: str, file_result: FileResult) -> None:
    note = disguise_note(path, kind)
    if note is not None:
        _file_issue(file_result, note[0], Severity.INFO, f"{shown}：{note[1]}")


def _read_file(
    path: Path,
    shown: str,
    year: int,
    catalogue: FieldCatalogue,
    file_result: FileResult,
    ticker: _Ticker,
    overrides: Overrides,
    used: set[ColumnOverride],
    hints: Hints = CLI_HINTS,
    reading: str | None = None,
    saved: Mapping[str, Profile] | None = None,
) -> list[Record]:
    try:
        kind = detect_kind(path)
        if kind == "json":
            file_result.kind = "json"
            return _read_json(path, shown, year, catalogue, file_result, ticker)
        if kind == "docx":
            document = read_docx(path)
            _note_disguised(path, shown, kind, file_result)
            if document.revised:
                _file_issue(
                    file_result,
                    "docx-revisions",
                    Severity.INFO,
                    f"{shown}：文档中有未接受的修订：已按修订后的文字读取（删去的不计，插入的计入），"
                    "请核对修订处的数据",
                )
            ticker.check()
            if reading == "roster" or (reading is None and _word_roster(document, catalogue, year)):
                for table, message in document.problems:
                    _file_issue(file_result, "table-ragged", Severity.ERROR, f"{table}：{message}")
                tables = [sheet for sheet in document.sheets if sheet.ref_style == "table"]
                records = _read_sheets(
                    tables, shown, year, catalogue, file_result, ticker, overrides, used, hints,
                    reading, saved,
                )  # fmt: skip
                if reading is None:
                    _file_issue(
                        file_result,
                        "reading-chosen",
                        Severity.INFO,
                        f"{shown}：Word 文档中的表格是企业名单，不是一家企业的申请书：按名单读取"
                        "（每行一家企业）",
                    )
                return records
            return _read_document(
                document, shown, year, catalogue, file_result, ticker, overrides, used, saved
            )
        sheets = read_workbook(path, kind)
        _note_disguised(path, shown, kind, file_result)
    except FileProblem as exc:
        file_result.kind = "unreadable"
        file_result.issues.append(
            Issue(
                code=exc.code,
                severity=Severity.ERROR,
                message=f"{shown}：{exc.message}",
                file=shown,
                sheet=exc.sheet,
            )
        )
        return []
    ticker.check()
    return _read_sheets(
        sheets, shown, year, catalogue, file_result, ticker, overrides, used, hints, reading, saved
    )


def _warn_hidden_only(records: list[Record], hidden: set[str | None]) -> None:
    """An enterprise a hidden sheet adds to the visible list (a list set aside, or hidden to be
    kept from view) is a warning to acknowledge before it is recommended, not a note. (A
    workbook whose only list is hidden keeps the sheet's note.)"""
    visible = {r.values.get("uscc") for r in records if r.sheet not in hidden}
    if not hidden or not visible:
        return
    for record in records:
        if record.sheet in hidden and record.values.get("uscc") not in visible:
            record.add(
                "sheet-hidden-only",
                Severity.WARNING,
                f"该企业只出现在被隐藏的工作表“{record.sheet}”中：请核实它属于本批次申报"
                "（作废或供参考的名单请删除该工作表后重新导入）",
                field_key="uscc",
            )


def _without_repeated_sheets(
    records: list[Record],
    names: list[str | None],
    shown: str,
    file_result: FileResult,
    counts: dict[str, int],
) -> list[Record]:
    """The records without those of a sheet repeating other sheets of the workbook row for row,
    value for value (a 汇总 sheet over the district sheets; a sheet pasted twice), with a note
    naming it and its rows counted as skipped. The sheet with the most rows is tried first (a
    汇总 repeats the districts, not they it), and of two equal copies the later gives way; a
    sheet with a row of its own, a value differing or a value that could not be read is kept
    (its copies are then duplicates the gate blocks)."""
    by_sheet: dict[str | None, list[Record]] = {name: [] for name in names}
    sheets_of: dict[Any, set[str | None]] = {}
    for record in records:
        by_sheet.setdefault(record.sheet, []).append(record)
        sheets_of.setdefault(record.values.get("uscc"), set()).add(record.sheet)
    if all(len(found) < 2 for code, found in sheets_of.items() if code):
        return records  # no enterprise on two sheets: nothing repeats
    identities = {name: [_identity(record) for record in rows] for name, rows in by_sheet.items()}
    holders: dict[tuple, list[str | None]] = {}  # an enterprise's row -> the sheets holding it
    for name in names:
        for identity in dict.fromkeys(identities[name]):
            holders.setdefault(identity, []).append(name)
    kept = set(names)
    order = sorted(range(len(names)), key=lambda i: (-len(by_sheet[names[i]]), -i))
    for name in (names[i] for i in order):
        sources = []
        for identity in identities[name]:
            source = next((h for h in holders.get(identity, ()) if h != name and h in kept), None)
            if identity is None or source is None:
                break
            sources.append(source)
        else:
            if not sources:
                continue
            kept.discard(name)
            counts["rows_blank"] += len(sources)
            where = "".join(f"“{source}”" for source in sorted(set(sources), key=names.index))
            _file_issue(
                file_result,
                "sheet-repeats-others",
                Severity.INFO,
                f"{shown}：工作表“{name}”的 {len(sources)} 家企业与工作表{where}中的完全相同"
                "（每一项数值都一致），视为汇总或副本，未重复导入",
            )
    if len(kept) == len(names):
        return records
    return [record for record in records if record.sheet in kept]


def _identity(record: Record) -> tuple | None:
    """An enterprise's row as read, for finding the same row on another sheet; None for a row
    without a code or with an issue (a value that could not be read is no empty cell)."""
    values = record.values
    if not values.get("uscc") or record.issues:
        return None
    return tuple(sorted(values.items(), key=lambda item: item[0]))


def _word_roster(document: WordDocument, catalogue: FieldCatalogue, year: int) -> bool:
    """Whether a Word document is a list of enterprises (推荐名单 typed as a table): a table
    with a roster's header over two rows or more, and no table filled in as a form."""
    rosters = 0
    for sheet in document.sheets:
        if sheet.ref_style != "table":
            continue
        if _may_list(sheet):
            layout = find_header(sheet, catalogue, year)
            if layout is not None and _data_rows(sheet, layout) >= 2:
                rosters += 1
                continue
        if form_score(sheet, catalogue, year) >= 2:
            return False  # a table filled in as a form: the document is one application
    return rosters > 0


def _may_list(sheet: SheetData) -> bool:
    """Whether a table can be a list of enterprises: three rows or more, one of them naming a
    code column beside a name column (a cheap look before finding its header)."""
    if len(sheet.rows) < 3:
        return False
    for row in sheet.rows[:HEADER_SCAN_ROWS]:
        texts = [v for v in row if isinstance(v, str) and v]
        if (
            len(texts) > 2
            and any("代码" in t for t in texts)
            and any("名称" in t or "单位" in t for t in texts)
        ):
            return True
    return False


def _read_document(
    document: WordDocument,
    shown: str,
    year: int,
    catalogue: FieldCatalogue,
    file_result: FileResult,
    ticker: _Ticker,
    overrides: Overrides,
    used: set[ColumnOverride],
    saved: Mapping[str, Profile] | None = None,
) -> list[Record]:
    """A Word 申请书 is one applicant: every table (and "名称：X" paragraph) read together."""
    file_result.kind = "form"
    file_result.reading = "form"
    file_result.reading_note = f"Word 申请书{READINGS['form']}（各表格合在一起）"
    record, mappings = _read_form_remapped(
        document.sheets, shown, year, catalogue, file_result, overrides, used, saved,
        document.problems, "Word 申请书",
    )  # fmt: skip
    ticker(1)
    file_result.column_mapping.extend(mappings)
    file_result.rows_total = 1
    if not record.values and not record.issues and mappings:
        file_result.rows_blank = 1
        labels = "、".join(dict.fromkeys(m.header for m in mappings[:3]))
        _file_issue(
            file_result,
            "form-empty",
            Severity.INFO,
            f"{shown}：申请书的栏目（{labels}等 {len(mappings)} 项）都没有填写，像是空白模板，已跳过",
        )
        return []
    if not record.values and not record.issues:
        file_result.rows_blank = 1
        _file_issue(
            file_result,
            "header-not-found",
            Severity.ERROR,
            f"{shown}：Word 文档的表格中找不到申请书的栏目（企业名称、统一社会信用代码等），"
            "未导入任何数据",
        )
        return []
    return [record]


def _read_json(
    path: Path,
    shown: str,
    year: int,
    catalogue: FieldCatalogue,
    file_result: FileResult,
    ticker: _Ticker,
) -> list[Record]:
    try:
        applicants = read_json_applicants(path, catalogue, year)
    except InputError as exc:
        file_result.issues.append(
            Issue(
                code="json-invalid",
                severity=Severity.ERROR,
                message=str(exc),
                file=shown,
                row=exc.record,
                field=exc.key,
            )
        )
        return []
    records = []
    for index, applicant in enumerate(applicants, start=1):
        ticker(1)
        records.append(json_record(applicant, shown, index))
    file_result.rows_total = len(records)
    return records


def json_record(applicant: Applicant, shown: str, index: int) -> Record:
    """The record of the ``index``-th applicant of a JSON input named ``shown``."""
    provenance = {
        key: Provenance(shown, None, p.cell, p.raw) for key, p in applicant.provenance.items()
    }
    record = Record(
        file=shown,
        sheet=None,
        row=index,
        source=Provenance(shown, None, f"[{index}]"),
        values=dict(applicant.values),
        provenance=provenance,
        cells={key: p.cell for key, p in provenance.items() if p.cell},
    )
    record.uscc_text = applicant.values.get("uscc")
    return record


def json_applicant_errors(
    applicant: Applicant, catalogue: FieldCatalogue, shown: str, index: int
) -> list[Issue]:
    """The gate's errors for one applicant of a JSON input read one at a time (`zjtx score`):
    those of a record alone (a negative revenue, a bad credit code); the file's duplicates need
    the whole file, which `zjtx check` reads."""
    record = json_record(applicant, shown, index)
    check_record(record, catalogue)
    return [issue for issue in record.issues if issue.severity == Severity.ERROR]


def _profile_overrides(
    profile: Profile,
    catalogue: FieldCatalogue,
    year: int,
    shown: str,
    where: str,
    file_result: FileResult,
) -> list[tuple[ColumnOverride, FieldSpec | None]]:
    """A saved profile's corrections for this sheet, or none (with a warning) if it no longer
    applies (a field renamed, a year outside this round)."""
    try:
        resolved = validate_overrides(
            [replace(o, file=None, sheet=None) for o in profile.overrides], catalogue, year
        )
    except MappingError as exc:
        _file_issue(
            file_result,
            "profile-applied",
            Severity.WARNING,
            f"{shown}：已保存的对应关系「{profile.name}」不适用于本批次（{exc}），按表头自动识别",
        )
        return []
    file_result.profile = profile.name
    _file_issue(
        file_result,
        "profile-applied",
        Severity.INFO,
        f"{shown}：{where}按已保存的对应关系「{profile.name}」读取",
    )
    return resolved


def _read_form_remapped(
    grids: Sequence[SheetData],
    shown: str,
    year: int,
    catalogue: FieldCatalogue,
    file_result: FileResult,
    overrides: Overrides,
    used: set[ColumnOverride] | None,
    saved: Mapping[str, Profile] | None,
    problems: Sequence[tuple[str, str]] = (),
    what: str = "申报表",
) -> tuple[Record, list[Any]]:
    """A form read with the evaluator's label corrections (``栏目名称=字段``), or else with the
    saved profile of its recognised labels' fingerprint (FileResult.fingerprints[None])."""
    lettered = [o for o, _ in overrides if o.file is not None and _COLUMN_LETTERS.match(o.column)]
    if lettered:
        raise MappingError(
            f"{lettered[0].where()}：这是按栏目填写的{what}，不是名单，请按栏目名称更正"
            "（如“销售额=营业收入@2025:元”），不能用列字母"
        )
    labelled = [(o, spec) for o, spec in overrides if not _COLUMN_LETTERS.match(o.column)]
    seen = FormLabels()
    record, mappings = read_form(
        grids, catalogue, year, shown, problems, _label_overrides(labelled), seen
    )
    fingerprint = seen.fingerprint()
    file_result.fingerprints[None] = fingerprint
    profile = (saved or {}).get(fingerprint)
    if not labelled and profile is not None:
        resolved = _profile_overrides(profile, catalogue, year, shown, what, file_result)
        if resolved:
            record, mappings = read_form(
                grids, catalogue, year, shown, problems, _label_overrides(resolved)
            )
    if used is not None:
        used.update(o for o, _ in labelled if clean(o.column) in seen.corrected)
    return record, mappings


def _label_overrides(
    overrides: Overrides,
) -> dict[str, tuple[str | None, str | None]]:
    return {clean(o.column): (spec.key if spec else None, o.unit) for o, spec in overrides}


def _has_rows(sheet: SheetData) -> bool:
    return any(any(v != "" and v is not None for v in row) for row in sheet.rows)


def _data_rows(sheet: SheetData, layout: Any) -> int:
    return sum(
        1 for row in sheet.rows[layout.data_start :] if any(v != "" and v is not None for v in row)
    )


def _names(sheets: Sequence[SheetData]) -> str:
    return "".join(f"“{sheet.name}”" for sheet in sheets)


def _choose_reading(
    rosters: list[tuple[SheetData, Any]], parts: list[SheetData], forced: str | None
) -> tuple[str, str]:
    """("roster" | "form", why in Chinese) for a workbook's sheets."""
    if forced is not None:
        return forced, f"按评审人的选择{READINGS[forced]}"
    if not rosters:
        if len(parts) > 1:
            return "form", (
                f"工作表{_names(parts)}是同一家企业申报材料的各部分（基本信息、指标、知识产权等），"
                f"{READINGS['form']}"
            )
        return "form", f"工作表{_names(parts)}是按栏目填写的申报表，{READINGS['form']}"
    small = all(_data_rows(sheet, layout) <= 1 for sheet, layout in rosters)
    if small and parts:
        tables = [sheet for sheet, _ in rosters]
        return "form", (
            f"工作表{_names(tables)}只有一行数据，工作表{_names(parts)}是同一家企业的其他部分："
            f"{READINGS['form']}"
        )
    rows = sum(_data_rows(sheet, layout) for sheet, layout in rosters)
    return "roster", (
        f"工作表{_names([sheet for sheet, _ in rosters])}是名单，每行一家企业（共 {rows} 行）："
        f"{READINGS['roster']}"
    )


def _read_sheets(
    sheets: list[SheetData],
    shown: str,
    year: int,
    catalogue: FieldCatalogue,
    file_result: FileResult,
    ticker: _Ticker,
    overrides: Overrides = (),
    used: set[ColumnOverride] | None = None,
    hints: Hints = CLI_HINTS,
    reading: str | None = None,
    saved: Mapping[str, Profile] | None = None,
) -> list[Record]:
    candidates = []
    ip_lists: list[SheetData] = []
    for sheet in sheets:
        # Hidden sheets are read too (a roster may sit in one); only our own helper sheets and
        # instructions are passed over.
        if sheet.name in SKIPPED_SHEETS:
            continue
        if find_ip_tables(sheet, HEADER_SCAN_ROWS):
            ip_lists.append(sheet)  # an IP list's rows are items, never applicants
            candidates.append((sheet, None))
        else:
            candidates.append((sheet, find_header(sheet, catalogue, year)))
    records: list[Record] = []
    rosters = [(sheet, layout) for sheet, layout in candidates if layout is not None]
    parts = [
        sheet
        for sheet, layout in candidates
        if layout is None
        and (any(sheet is item for item in ip_lists) or form_score(sheet, catalogue, year) >= 2)
    ]
    # A list kept for reference beside the round's own is neither counted nor named as read.
    chosen, why = _choose_reading(lists_to_read(rosters), parts, reading)
    file_result.reading, file_result.reading_note = chosen, why
    if reading is not None or len(rosters) + len(parts) > 1:
        _file_issue(file_result, "reading-chosen", Severity.INFO, f"{shown}：{why}")
    if chosen == "roster" and not rosters:
        file_result.kind = "unreadable"
        _file_issue(
            file_result,
            "header-not-found",
            Severity.ERROR,
            f"{shown}：按名单读取时找不到名单的表头（企业名称、统一社会信用代码等列），"
            f"未导入任何数据；这份工作簿像是一家企业的申报材料，可改为按一家企业读取",
        )
        return []
    if chosen == "roster":
        file_result.kind = "roster"
        counts = {"rows_total": 0, "rows_blank": 0}
        rosters = without_reference_sheets(rosters, file_result, counts)
        ticker.total += sum(len(sheet.rows) - layout.data_start for sheet, layout in rosters)
        for sheet, layout in rosters:
            if sheet.hidden:
                file_result.issues.append(
                    Issue(
                        code="sheet-hidden",
                        severity=Severity.INFO,
                        message=f"工作表“{sheet.name}”在工作簿中被隐藏，其中的名单已照常读取"
                        "（如是作废的名单，请删除该工作表后重新导入）",
                        file=shown,
                        sheet=sheet.name,
                    )
                )
            mine = [(o, spec) for o, spec in overrides if o.applies_to(shown, sheet.name)]
            fingerprint = header_fingerprint(layout, sheet)
            file_result.fingerprints[sheet.name] = fingerprint
            profile = (saved or {}).get(fingerprint)
            if not mine and profile is not None:
                mine = _profile_overrides(
                    profile, catalogue, year, shown, f"工作表“{sheet.name}”", file_result
                )
            if mine:
                apply_overrides(layout, sheet, shown, mine, used if used is not None else set())
            file_result.column_mapping.extend(column_mappings(layout, sheet, year))
            file_result.issues.extend(header_issues(layout, sheet, shown, catalogue, hints))
            rows = iter_roster_records(
                sheet, layout, shown, counts, ticker, file_result.issues, catalogue
            )
            if ticker.on_read is None:
                records.extend(rows)
                continue
            while batch := list(islice(rows, READ_BATCH)):
                records.extend(batch)
                ticker.on_read(record.applicant() for record in batch)
        # (before a visible list repeated whole in a hidden one is passed over as its copy)
        _warn_hidden_only(records, {sheet.name for sheet, _ in rosters if sheet.hidden})
        if len(rosters) > 1:
            names = [sheet.name for sheet, _ in rosters]
            records = _without_repeated_sheets(records, names, shown, file_result, counts)
        for sheet, layout in candidates:
            if layout is None and any(any(v != "" for v in row) for row in sheet.rows):
                _file_issue(
                    file_result,
                    "sheet-skipped",
                    Severity.INFO,
                    f"{'隐藏的' if sheet.hidden else ''}工作表“{sheet.name}”中找不到表头，未读取",
                )
        file_result.rows_total = counts["rows_total"]
        file_result.rows_blank = counts["rows_blank"]
        return records
    grids = [sheet for sheet, _ in candidates if _has_rows(sheet)] if reading else list(parts)
    if not grids:
        file_result.kind = "unreadable"
        _file_issue(
            file_result,
            "header-not-found",
            Severity.ERROR,
            f"{shown}：找不到表头（企业名称、统一社会信用代码等列）或申报表的栏目，未导入任何数据"
            f"：{hints.get_template}",
        )
        return []
    file_result.kind = "form"
    if reading is None and rosters:
        # One-row tables of basic data are parts of the application too (in sheet order).
        chosen_ids = {id(sheet) for sheet in parts} | {id(sheet) for sheet, _ in rosters}
        grids = [sheet for sheet, _ in candidates if id(sheet) in chosen_ids]
    record, mappings = _read_form_remapped(
        grids, shown, year, catalogue, file_result, overrides, used, saved
    )
    ticker(1)
    file_result.column_mapping.extend(mappings)
    if not record.values and not record.issues:
        file_result.rows_total = 1
        file_result.rows_blank = 1
        _file_issue(file_result, "form-empty", Severity.INFO, f"{shown}：申报表是空的，已跳过")
        return []
    file_result.rows_total = 1
    return [record]
