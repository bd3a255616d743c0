"""A later file merged over an applicant's stored version: the fields the file holds take its
values, the fields it does not hold keep theirs (an absent field is unknown, not emptied), and
the import says which fields it kept from which earlier file and which values it changed."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zjtx.domain import region as places
from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Issue, Severity, issue_key
from zjtx.intake.gate import ACROSS_FIELDS, across_fields
from zjtx.scoring.catalogue import load_catalogue
from zjtx.store import codec
from zjtx.store.audit import value_text
from zjtx.store.common import field_label

if TYPE_CHECKING:
    from zjtx.intake.records import FileResult

SHOWN = 5  # kept fields named in a notice, the rest counted

# One stored version of an applicant: its encoded values and provenance, and the name of the
# file whose import made it. A history lists them newest first.
Earlier = tuple[dict[str, Any], dict[str, Any], str]
History = Callable[[], Sequence[Earlier]]


@dataclass(slots=True)
class Merged:
    """An applicant's values once a file is merged over its stored version."""

    applicant: DomainApplicant  # typed values and provenance, for scoring and storing
    values: dict[str, Any]  # encoded
    values_hash: str
    kept: dict[str, str] = field(default_factory=dict)  # field -> earlier file it came from
    blank: list[str] = field(default_factory=list)  # kept, though this file has it empty
    # field -> (earlier value, this file's value, earlier file), values encoded
    changed: dict[str, tuple[Any, Any, str]] = field(default_factory=dict)
    # An older file read again: field -> (newer file whose value stays, this file's value)
    passed_over: dict[str, tuple[str, Any]] = field(default_factory=dict)
    # A file read again that no longer gives a field: field -> (the value taken back, the value
    # an earlier file gave it, that file), values encoded; or, no other file having given it,
    # field -> (the value taken back, the file read again), the field now empty.
    restored: dict[str, tuple[Any, Any, str]] = field(default_factory=dict)
    dropped: dict[str, tuple[Any, str]] = field(default_factory=dict)

    def kept_by_file(self) -> dict[str, list[str]]:
        """The kept fields grouped by the file they came from, in the record's order."""
        groups: dict[str, list[str]] = {}
        for key, file in self.kept.items():
            groups.setdefault(file, []).append(key)
        return groups


def merge(
    applicant: DomainApplicant,
    stored_values: dict[str, Any],
    stored_provenance: dict[str, Any],
    retract: Collection[str] | None = None,
    named: Collection[str] = (),
    older: bool = False,
    history: History | None = None,
) -> Merged:
    """``applicant`` (as a file gives it) over the stored version of the same enterprise.

    The file's values win for the fields it holds. A field it does not hold, or holds empty,
    keeps its stored value and the provenance of the file it came from. A province the round's
    region filled in does not replace one a file gave. ``retract`` names the file being read
    again (the names it was stored under): what it gave before is taken back first. A field it
    no longer gives falls back to the latest value another file gave it in the applicant's
    ``history`` (``restored``), and is dropped only where no other file did (``dropped``), not
    kept from itself. ``named`` are the fields the file has a column or label for: one of them
    it gives no value is a cell left empty (``blank``).
    ``older``: the file is read again after a newer file updated the applicant, whose values
    stay; the file's own fields take its new values (``passed_over`` where they differ).
    """
    new = codec.encode_values(applicant.values)
    decoded: list[dict[str, Provenance]] = []  # the stored provenance, decoded when needed

    def old_provenance() -> dict[str, Provenance]:
        if not decoded:
            decoded.append(codec.decode_provenance_map(stored_provenance))
        return decoded[0]

    base = dict(stored_values)
    retracted: list[str] = []
    if retract is not None:
        retracted = [k for k in base if _from_file(old_provenance().get(k), retract)]
        for key in retracted:
            del base[key]
    new_provenance: Mapping[str, Provenance] = applicant.provenance
    taken = {
        key: value
        for key, value in new.items()
        if not (key in base and _region_filled(new_provenance.get(key)))
    }
    passed: dict[str, tuple[str, Any]] = {}
    yielded = set()
    if older:  # what is left of the record after retracting came from newer files
        yielded = {k for k in taken if k in base and _real(old_provenance().get(k))}
        for key in yielded:
            value = taken.pop(key)
            if value != base[key]:
                passed[key] = (old_provenance()[key].file, value)
    kept_keys = [key for key in base if key not in taken and key not in yielded]
    missing = [key for key in retracted if key not in taken]
    earlier: dict[str, tuple[Any, Provenance]] = {}
    if missing and retract is not None:
        earlier = restore(missing, history() if history is not None else (), retract)
        base.update((key, value) for key, (value, _) in earlier.items())
    if not kept_keys and not earlier and len(taken) == len(new):
        # The file holds every field stored: its own record, as before merging existed.
        result = Merged(applicant, new, codec.digest(new))
    else:
        values = {key: taken.get(key, value) for key, value in base.items()}
        values.update((key, value) for key, value in taken.items() if key not in base)
        provenance: dict[str, Provenance] = {}
        for key in values:
            if key in earlier:
                item: Provenance | None = earlier[key][1]
            else:
                item = new_provenance.get(key) if key in taken else old_provenance().get(key)
            if item is not None:
                provenance[key] = item
        merged = DomainApplicant(
            values=codec.decode_values(values), provenance=provenance, source=applicant.source
        )
        result = Merged(merged, values, codec.digest(values))
    result.passed_over = passed
    for key in missing:
        gone, file = stored_values[key], old_provenance()[key].file
        if key in earlier:
            result.restored[key] = (gone, earlier[key][0], earlier[key][1].file)
        else:
            result.dropped[key] = (gone, file)
    for key in kept_keys:
        item = old_provenance().get(key)
        if item is not None and item.kind is None:  # not the round's region filling in
            result.kept[key] = item.file
            if key in named or key in new_provenance:  # a cell the file has, left empty
                result.blank.append(key)
    for key, value in taken.items():
        if key in base and base[key] != value:
            item = old_provenance().get(key)
            result.changed[key] = (base[key], value, item.file if item else "此前导入的数据")
    return result


def restore(
    keys: Collection[str], history: Sequence[Earlier], names: Collection[str]
) -> dict[str, tuple[Any, Provenance]]:
    """For each field a file read again (stored under ``names``) no longer gives, the latest
    value another file gave it and that file's provenance, from the applicant's versions
    (newest first). The walk passes over the versions where the field is the re-read file's; it
    ends at one where the field is empty or filled in by the round's region. A value of a file
    read again since that version does not count: that later reading did not give it."""
    decoded: dict[int, dict[str, Provenance]] = {}
    found: dict[str, tuple[Any, Provenance]] = {}
    for key in keys:
        since: set[str] = set()  # files whose import made a newer version passed over
        for index, (values, provenance, made_by) in enumerate(history):
            if index not in decoded:
                decoded[index] = codec.decode_provenance_map(provenance)
            item = decoded[index].get(key)
            if key not in values or not _real(item):
                break
            assert item is not None
            if item.file not in names:
                if item.file not in since:
                    found[key] = (values[key], item)
                break
            since.add(made_by)
    return found


def named_fields(file: FileResult) -> dict[str | None, set[str]]:
    """The fields each sheet of a file has a column (or a form a label) for, by sheet."""
    named: dict[str | None, set[str]] = {}
    for mapping in file.column_mapping:
        if mapping.role == "field" and mapping.field:
            named.setdefault(mapping.sheet, set()).add(mapping.field)
    return named


def _from_file(item: Provenance | None, names: Collection[str]) -> bool:
    return item is not None and item.kind is None and item.file in names


def _real(item: Provenance | None) -> bool:
    """A value a file gave (not the round's region filling in)."""
    return item is not None and item.kind is None


def _region_filled(item: Provenance | None) -> bool:
    return item is not None and item.kind == places.ROUND_REGION_KIND


def merge_issues(
    merged: Merged, applicant: DomainApplicant, file_name: str, where: dict[str, str | None]
) -> list[Issue]:
    """A notice naming the fields kept from earlier files (how many, from which), and a
    warning for each value this file changed (the earlier value and its file)."""
    issues: list[Issue] = []
    name = applicant.name
    if merged.kept:
        groups = merged.kept_by_file()
        sources = "、".join(
            f"《{file}》" + (f"（{len(keys)} 项）" if len(groups) > 1 else "")
            for file, keys in groups.items()
        )
        keys = list(merged.kept)
        shown = "、".join(field_label(k) for k in keys[:SHOWN]) + (
            "（等）" if len(keys) > SHOWN else ""
        )
        text = (
            f"企业 “{name}”：本文件未含 {len(keys)} 个字段，沿用此前导入的{sources}中的值：{shown}"
        )
        if merged.blank:
            blank = "、".join(field_label(k) for k in merged.blank[:SHOWN])
            more = "（等）" if len(merged.blank) > SHOWN else ""
            text += f"；其中 {len(merged.blank)} 个字段本文件留空，未清除原值：{blank}{more}"
        issues.append(
            Issue(
                code="store-fields-kept",
                severity=Severity.INFO,
                message=text,
                uscc=applicant.uscc,
                **where,
            )
        )
    issues.extend(_retract_issues(merged, applicant, where))
    for key, (old, new, earlier) in merged.changed.items():
        cell = applicant.provenance.get(key)
        issues.append(
            Issue(
                code="store-value-changed",
                severity=Severity.WARNING,
                message=f"企业 “{name}” {field_label(key)}：此前导入的《{earlier}》为 "
                f"{shown_value(old, key)}，本文件为 {shown_value(new, key)}；已按本文件更新，"
                "请核实哪一份准确",
                field=key,
                uscc=applicant.uscc,
                file=file_name,
                sheet=cell.sheet if cell else where.get("sheet"),
                cell=cell.cell if cell else where.get("cell"),
            )
        )
    return issues


def _retract_issues(
    merged: Merged, applicant: DomainApplicant, where: dict[str, str | None]
) -> list[Issue]:
    """A notice for each field a file read again no longer gives that took back an earlier
    file's value, and a warning for each left empty (no other file gave it)."""
    name, issues = applicant.name, []
    for key, (gone, value, earlier) in merged.restored.items():
        issues.append(
            Issue(
                code="store-value-restored",
                severity=Severity.INFO,
                message=f"企业 “{name}” {field_label(key)}：本文件不再提供（此前为 "
                f"{shown_value(gone, key)}），恢复为此前《{earlier}》中的 {shown_value(value, key)}",
                field=key,
                uscc=applicant.uscc,
                **where,
            )
        )
    for key, (gone, file) in merged.dropped.items():
        issues.append(
            Issue(
                code="store-value-dropped",
                severity=Severity.WARNING,
                message=f"企业 “{name}” {field_label(key)}：本文件不再提供此前《{file}》给出的 "
                f"{shown_value(gone, key)}，其他文件也未提供该字段，现为空；"
                "如需保留，请更正列对应关系后重新导入",
                field=key,
                uscc=applicant.uscc,
                **where,
            )
        )
    return issues


def shown_value(value: Any, key: str) -> str:
    """A stored (encoded) value of a field as a notice shows it (45000 万元)."""
    return value_text(codec.decode_value(value), key)


def audit_detail(merged: Merged) -> dict[str, Any]:
    """What the version's audit event records of the merge: kept fields by their file."""
    detail: dict[str, Any] = {}
    if merged.kept:
        detail["kept"] = merged.kept_by_file()
    if merged.blank:
        detail["blank_kept"] = list(merged.blank)
    if merged.restored:
        detail["restored"] = {key: file for key, (_, _, file) in merged.restored.items()}
    if merged.dropped:
        detail["dropped"] = list(merged.dropped)
    return detail


def merged_warnings(merged: DomainApplicant, year: int | None) -> list[dict[str, Any]]:
    """The gate's checks of one value against another (ACROSS_FIELDS) made again on the
    values as merged, each file alone perhaps holding one side: a warning each, at the cell
    its field's value came from; what blocks a row of one file (主营业务收入 above 营业收入)
    is a `store-merged-inconsistent` warning, which holds 推荐 until an evaluator answers it."""
    found = []
    for issue in across_fields(merged.values, load_catalogue(), year):
        where = merged.provenance.get(issue.field) if issue.field else None
        code, message = issue.code, issue.message
        if issue.severity == Severity.ERROR:
            code, message = (
                "store-merged-inconsistent",
                f"与此前导入的数据合并后，{message}：请核对",
            )
        found.append(
            Issue(
                code,
                Severity.WARNING,
                message,
                file=where.file if where else "",
                sheet=where.sheet if where else None,
                cell=where.cell if where else None,
                field=issue.field,
                uscc=merged.uscc,
            ).to_dict()
        )
    return found


def made_again(code: str) -> bool:
    """Whether a warning is made again at every import, on the values as merged: the
    register's, and a 申报类型 not given (type-missing); never carried from a version."""
    return code.startswith("registry-") or code == "type-missing"


def carried_warnings(
    previous: Sequence[Mapping[str, Any]],
    previous_provenance: Mapping[str, Any],
    merged: DomainApplicant,
    provided: Collection[str],
    own_names: Collection[str],
) -> list[Mapping[str, Any]]:
    """The warnings of the version a file updates that still hold for the new version.

    A new version holds its file's warnings, and those of the version before that still say
    something of it: a warning on a value still from the file that raised it (not one this
    file replaced), or, on no one value (a cell of an IP list, a column not read), of a file
    this one does not give again in full (a 补正 of a few figures leaves the rest of that file,
    and what was said of it, in place). The warnings made_again and the checks of one value
    against another (merged_warnings) are made again at every import; this very file's, read
    again, are its new ones.

    Args:
        previous: the updated version's stored issues.
        previous_provenance: its stored (encoded) provenance.
        merged: the applicant as merged, with where each value now comes from.
        provided: the fields this file gives the applicant.
        own_names: the names this file is stored under.
    """
    given: dict[str, set[str]] = {}
    for key, where in codec.decode_provenance_map(dict(previous_provenance)).items():
        if where is not None:
            given.setdefault(where.file, set()).add(key)
    kept = []
    for issue in previous:
        source = issue.get("file") or ""
        code = str(issue.get("code", ""))
        if (
            issue.get("severity") != Severity.WARNING
            or made_again(code)
            or code in ACROSS_FIELDS
            or code == "store-merged-inconsistent"
            or source in own_names
        ):
            continue
        key = issue.get("field")
        if key:
            now = merged.provenance.get(key)
            if now is not None and now.file == source:
                kept.append(issue)
        elif not given.get(source) or not given[source] <= set(provided):
            kept.append(issue)
    return kept


def warnings_changed(
    previous: list[dict[str, Any]],
    carried: list[Mapping[str, Any]],
    issues: list[Issue],
    uscc: str,
) -> int | None:
    """How many of a version's warnings a file that leaves its values as they are takes away
    (0 when it only adds its own), or None when the version's warnings stay as they are. The
    warnings made again at every import (made_again) are not counted."""

    def keys(found: Iterable[Mapping[str, Any]]) -> set[str]:
        return {
            issue_key(i)
            for i in found
            if i.get("severity") == Severity.WARNING and not made_again(str(i.get("code", "")))
        }

    before = keys(previous)
    own = [i.to_dict() for i in issues if i.uscc == uscc]
    after = keys(carried) | keys(own)
    return None if after == before else len(before - after)
