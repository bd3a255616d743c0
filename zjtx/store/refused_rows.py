"""The rows an import refused, kept with their file: what a later 补正 is combined with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.gate import ACROSS_FIELDS
from zjtx.store import codec
from zjtx.store.common import field_label
from zjtx.store.import_rows import where_of
from zjtx.store.merging import (
    SHOWN,
    Merged,
    carried_warnings,
    merge,
    merged_warnings,
    shown_value,
)
from zjtx.store.models import ImportFile

if TYPE_CHECKING:
    from zjtx.intake.records import FileResult

REASONS_SHOWN = 2  # a refused row's errors named in the notice of its combination


@dataclass(frozen=True, slots=True)
class RefusedRow:
    """One enterprise's row a file held and the gate refused, as read (values encoded); or the
    rows of several files, the later's values over the earlier's (refused_base)."""

    files: tuple[str, ...]
    values: dict[str, Any]
    provenance: dict[str, Any]
    reasons: tuple[str, ...]  # its errors
    left_out: tuple[str, ...]  # fields read but not kept: the values an error was about
    warnings: tuple[dict[str, Any], ...]


def refused_records(file: FileResult, issues: list[Issue]) -> list[dict[str, Any]]:
    """The file's refused rows as its record keeps them (ImportFile.refused), by code.

    A row keeps the values read from it but those a single-field error was about (a negative
    从业人员, a date after today): they are left out, as an unreadable value was. The values of
    an error of one figure against another (主营业务收入 above 营业收入) are kept, since which of
    the two is wrong is for the 补正 to say, and checked again once combined. A code given
    twice among the refused rows, or itself in error, keeps nothing: nothing could match it."""
    counts = Counter(a.uscc for a in file.blocked_applicants)
    by_code: dict[str, list[Issue]] = {}
    for issue in issues:
        if issue.uscc and issue.severity in (Severity.ERROR, Severity.WARNING):
            by_code.setdefault(issue.uscc, []).append(issue)
    records = []
    for applicant in file.blocked_applicants:
        uscc = applicant.uscc
        if not uscc or counts[uscc] > 1:
            continue
        found = by_code.get(uscc, [])
        errors = [i for i in found if i.severity == Severity.ERROR]
        wrong = {i.field for i in errors if i.field and i.code not in ACROSS_FIELDS}
        if "uscc" in wrong or not errors:
            continue
        values = {k: v for k, v in applicant.values.items() if k not in wrong}
        provenance = {k: p for k, p in applicant.provenance.items() if k in values}
        records.append(
            {
                "uscc": uscc,
                "values": codec.encode_values(values),
                "provenance": codec.encode_provenance_map(provenance),
                "reasons": list(dict.fromkeys(i.message for i in errors)),
                "left_out": sorted(wrong & applicant.values.keys()),
                "warnings": [i.to_dict() for i in found if i.severity == Severity.WARNING],
            }
        )
    return records


def refused_rows(session: Session, round_id: int, this_file_id: int) -> dict[str, list[RefusedRow]]:
    """The refused rows of each enterprise among the round's other files, oldest first, by
    code."""
    found: dict[str, list[RefusedRow]] = {}
    records = session.execute(
        select(ImportFile.file_name, ImportFile.refused)
        .where(
            ImportFile.round_id == round_id,
            ImportFile.rows_blocked > 0,
            ImportFile.id != this_file_id,
        )
        .order_by(ImportFile.imported_at, ImportFile.id)
    )
    for file_name, refused in records:
        for row in refused or ():
            refused_row = RefusedRow(
                (file_name,),
                row["values"],
                row["provenance"],
                tuple(row["reasons"]),
                tuple(row["left_out"]),
                tuple(row["warnings"]),
            )
            found.setdefault(row["uscc"], []).append(refused_row)
    return found


def refused_base(rows: list[RefusedRow], own_names: Collection[str]) -> RefusedRow | None:
    """What an enterprise's refused rows give, a later file's values over an earlier's (a 补正
    refused in its turn keeps what it corrected and the rest of the first): those of files
    other than the one being imported (``own_names``; sent again, it replaces its own row);
    None where there are none."""
    rows = [row for row in rows if row.files[0] not in own_names]
    if not rows:
        return None
    if len(rows) == 1:
        return rows[0]
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}  # decoded: each row's map is encoded compactly
    left_out: set[str] = set()
    for row in rows:
        values.update(row.values)
        provenance.update(codec.decode_provenance_map(row.provenance))
        left_out -= row.values.keys()
        # A value a later row gives in error is not the earlier one: still to be corrected.
        for key in row.left_out:
            values.pop(key, None)
            provenance.pop(key, None)
            left_out.add(key)
    return RefusedRow(
        tuple(dict.fromkeys(row.files[0] for row in rows)),
        values,
        codec.encode_provenance_map(provenance),
        tuple(dict.fromkeys(reason for row in rows for reason in row.reasons)),
        tuple(sorted(left_out)),
        tuple(warning for row in rows for warning in row.warnings),
    )


def combine(
    row: RefusedRow,
    applicant: DomainApplicant,
    named: Collection[str],
    own_names: Collection[str],
    file_name: str,
    year: int | None,
) -> tuple[Merged, list[Issue], list[Mapping[str, Any]]]:
    """A new applicant as a file gives it, combined with the row of it an earlier file held
    and the gate refused: the file's values win; the row's others are kept, with their cells.
    Returns the merge, the notice of it and the warnings that hold (the row's warnings on a
    value still its own, and the checks of one value against another made on the whole)."""
    merged = merge(applicant, row.values, row.provenance, named=named)
    provided = [key for key, value in applicant.values.items() if value is not None]
    carried = carried_warnings(row.warnings, row.provenance, merged.applicant, provided, own_names)
    if merged.applicant is not applicant:
        carried += merged_warnings(merged.applicant, year)
    return merged, [_notice(row, merged, applicant, file_name)], carried


def _notice(row: RefusedRow, merged: Merged, applicant: DomainApplicant, file_name: str) -> Issue:
    reasons = "；".join(row.reasons[:REASONS_SHOWN]) + (
        "（等）" if len(row.reasons) > REASONS_SHOWN else ""
    )
    files = "、".join(f"《{file}》" for file in row.files)
    text = f"企业 “{applicant.name}”：{files}中本企业的申报曾因错误未能导入（{reasons}）"
    kept = list(merged.kept)
    if kept:
        shown = "、".join(field_label(k) for k in kept[:SHOWN]) + (
            "（等）" if len(kept) > SHOWN else ""
        )
        text += f"；本文件已与该申报合并，其中 {len(kept)} 个字段取自该申报：{shown}"
    else:
        text += "；本文件给出了该申报的全部字段，未取用该申报的数据"
    if merged.changed:
        fixed = "、".join(
            f"{field_label(k)} {shown_value(old, k)}→{shown_value(new, k)}"
            for k, (old, new, _file) in list(merged.changed.items())[:SHOWN]
        )
        text += f"；本文件改正了：{fixed}"
    missing = [k for k in row.left_out if k not in applicant.values]
    if missing:
        text += (
            "；该申报中有错误的" + "、".join(field_label(k) for k in missing) + "未采用，仍需补正"
        )
    return Issue(
        code="store-refused-combined",
        severity=Severity.INFO,
        message=text + "。请核对合并后的数据",
        uscc=applicant.uscc,
        **where_of(applicant, file_name),
    )


def with_refused_names(issues: list[Issue], blocked: list[DomainApplicant]) -> list[dict[str, Any]]:
    """The issues as stored, an error of a refused enterprise with its name (``name``): the
    补正清单 names it, and knows it once a corrected file (its code put right) imports it."""
    names = {a.values.get("uscc"): a.name for a in blocked if a.name}
    stored = [issue.to_dict() for issue in issues]
    for data in stored:
        if data["severity"] == "error" and data.get("uscc") in names:
            data["name"] = names[data["uscc"]]
    return stored
