"""A later file merged over an applicant's stored version: the fields the file holds take its
values, the fields it does not hold keep theirs (an absent field is unknown, not emptied), and
the import says which fields it kept from which earlier file and which values it changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zjtx.domain import region as places
from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Issue, Severity
from zjtx.store import codec
from zjtx.store.audit import value_text
from zjtx.store.common import field_label

if TYPE_CHECKING:
    from zjtx.intake.records import FileResult

SHOWN = 5  # kept fields named in a notice, the rest counted


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
) -> Merged:
    """``applicant`` (as a file gives it) over the stored version of the same enterprise.

    The file's values win for the fields it holds. A field it does not hold, or holds empty,
    keeps its stored value and the provenance of the file it came from. A province the round's
    region filled in does not replace one a file gave. ``retract`` names the file being read
    again (the names it was stored under): what it gave before is taken back first (a field it
    no longer gives is dropped, not kept from itself). ``named`` are the fields the file has a
    column or label for: one of them it gives no value is a cell left empty (``blank``).
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
    if retract is not None:
        for key in [k for k in base if _from_file(old_provenance().get(k), retract)]:
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
    if not kept_keys and len(taken) == len(new):
        # The file holds every field stored: its own record, as before merging existed.
        result = Merged(applicant, new, codec.digest(new))
    else:
        values = {key: taken.get(key, value) for key, value in base.items()}
        values.update((key, value) for key, value in taken.items() if key not in base)
        provenance: dict[str, Provenance] = {}
        for key in values:
            item = new_provenance.get(key) if key in taken else old_provenance().get(key)
            if item is not None:
                provenance[key] = item
        merged = DomainApplicant(
            values=codec.decode_values(values), provenance=provenance, source=applicant.source
        )
        result = Merged(merged, values, codec.digest(values))
    result.passed_over = passed
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
    for key, (old, new, earlier) in merged.changed.items():
        cell = applicant.provenance.get(key)
        issues.append(
            Issue(
                code="store-value-changed",
                severity=Severity.WARNING,
                message=f"企业 “{name}” {field_label(key)}：此前导入的《{earlier}》为 "
                f"{_shown(old, key)}，本文件为 {_shown(new, key)}；已按本文件更新，"
                "请核实哪一份准确",
                field=key,
                uscc=applicant.uscc,
                file=file_name,
                sheet=cell.sheet if cell else where.get("sheet"),
                cell=cell.cell if cell else where.get("cell"),
            )
        )
    return issues


def _shown(value: Any, key: str) -> str:
    return value_text(codec.decode_value(value), key)


def audit_detail(merged: Merged) -> dict[str, Any]:
    """What the version's audit event records of the merge: kept fields by their file."""
    detail: dict[str, Any] = {}
    if merged.kept:
        detail["kept"] = merged.kept_by_file()
    if merged.blank:
        detail["blank_kept"] = list(merged.blank)
    return detail
