"""A file's applicants sorted for storing: rows that cannot be stored blocked with an error
each, the round's region filled in where a row left its province empty, and the notices of
rows an import leaves as they were; and what is stored of the applicants a file updates."""

from __future__ import annotations

from collections import ChainMap, Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from zjtx.domain import region as places
from zjtx.domain.applicant import Applicant as DomainApplicant
from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Issue, Severity
from zjtx.domain.labels import ApplicationType, declared_type
from zjtx.store import codec
from zjtx.store.audit import value_text
from zjtx.store.common import column_limit, field_label
from zjtx.store.models import Applicant, ApplicantVersion, ImportFile

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from zjtx.intake.records import FileResult
    from zjtx.store.imports import _Current
    from zjtx.store.merging import Earlier, History


@dataclass(slots=True)
class Partition:
    """A file's applicants sorted for storing: those accepted (their province filled from the
    round's region where left empty) and the issues found doing it."""

    accepted: list[DomainApplicant]
    issues: list[Issue]
    # A row's values as written, before the round's region filled its province: a version
    # stored before such a fill still counts as unchanged (hashed only when one is stored).
    as_written: dict[str, dict[str, Any]]


def partition(file: FileResult, file_name: str, round_region: str | None) -> Partition:
    """Sort a file's applicants: blocked (a name or code too long, no code, listed twice in
    the file) with an error each, the others accepted with the round's region applied."""
    issues = list(file.issues)
    # An applicant listed twice in one file is ambiguous: block every copy, say where.
    counts = Counter(a.uscc for a in file.applicants)
    accepted: list[DomainApplicant] = []
    name_limit = column_limit(Applicant.__table__.c.name) or 0
    uscc_limit = column_limit(Applicant.__table__.c.uscc) or 0
    for applicant in file.applicants:
        where = where_of(applicant, file_name)
        if too_long := _too_long_text(applicant, name_limit, uscc_limit):
            issues.append(
                Issue(
                    code="store-text-too-long",
                    severity=Severity.ERROR,
                    message=f"{too_long}，该企业无法入库；请缩短后重新导入",
                    field="name" if "企业名称" in too_long else "uscc",
                    uscc=(applicant.uscc or "")[:uscc_limit] or None,
                    **where,
                )
            )
        elif not applicant.uscc:
            issues.append(
                Issue(
                    code="store-missing-uscc",
                    severity=Severity.ERROR,
                    message=f"企业 “{applicant.name}” 没有统一社会信用代码，无法入库",
                    **where,
                )
            )
        elif counts[applicant.uscc] > 1:
            issues.append(
                Issue(
                    code="store-duplicate-uscc",
                    severity=Severity.ERROR,
                    message=f"统一社会信用代码 {applicant.uscc} 在本文件中出现 "
                    f"{counts[applicant.uscc]} 次，无法判断哪一行有效；请删除重复行后重新导入",
                    uscc=applicant.uscc,
                    **where,
                )
            )
        else:
            accepted.append(applicant)
    as_written: dict[str, dict[str, Any]] = {}
    for position, applicant in enumerate(accepted):
        placed, region_issue = _with_round_region(applicant, round_region, file_name)
        if region_issue is not None:
            issues.append(region_issue)
        if placed is not applicant:
            as_written[applicant.uscc] = applicant.values
            accepted[position] = placed
    return Partition(accepted, issues, as_written)


def where_of(applicant: DomainApplicant, file_name: str) -> dict[str, str | None]:
    """An issue's file, sheet and cell for the row an applicant was read from."""
    source = applicant.source
    return {
        "file": file_name,
        "sheet": source.sheet if source else None,
        "cell": source.cell if source else None,
    }


def kept_newer_issues(
    kept: list[DomainApplicant],
    passed_over: dict[str, dict[str, tuple[str, Any]]],
    file_name: str,
) -> list[Issue]:
    """An older file read again: the fields whose values a newer file gave stay, each named
    with that file and the value this file has."""
    issues = []
    for applicant in kept:
        fields = "；".join(
            f"{field_label(key)}仍为《{newer}》中的值（本文件为 "
            f"{value_text(codec.decode_value(value), key)}）"
            for key, (newer, value) in passed_over[applicant.uscc].items()
        )
        issues.append(
            Issue(
                code="store-newer-file-kept",
                severity=Severity.INFO,
                message=f"企业 “{applicant.name}” 此后已由其他文件更新，未按本文件覆盖："
                f"{fields}（如需改动，请更正较新的文件后重新导入）",
                uscc=applicant.uscc,
                **where_of(applicant, file_name),
            )
        )
    return issues


def stale_issues(
    file: FileResult,
    current: dict[str, _Current],
    previous: ImportFile | None,
    file_name: str,
) -> list[Issue]:
    """Applicants blocked on re-reading a file that still hold what it gave them before."""
    if previous is None:
        return []
    return [
        Issue(
            code="store-blocked-kept-previous",
            severity=Severity.WARNING,
            message=f"企业 “{applicant.name}” 本次重新读取时有错误，未更新，仍是此前导入的"
            "数据；请核对该行后重新导入",
            uscc=applicant.uscc,
            **where_of(applicant, file_name),
        )
        for applicant in file.blocked_applicants
        if applicant.uscc in current and current[applicant.uscc].import_file_id == previous.id
    ]


def _with_round_region(
    applicant: DomainApplicant, round_region: str | None, file_name: str
) -> tuple[DomainApplicant, Issue | None]:
    """The applicant with a province it left empty filled from the round's region (its
    provenance says so), or a warning when the province it gives is not the round's."""
    values = applicant.values
    check = places.check_round_region(
        values.get("province"), values.get("city"), values.get("county"), round_region
    )
    if check.fill is not None:
        filled = Provenance(
            file=places.ROUND_REGION_SOURCE, raw=round_region, kind=places.ROUND_REGION_KIND
        )
        # In the catalogue's place (before 所在市), so the detail pane lists it where it belongs.
        keys = list(values)
        at = next((keys.index(k) for k in ("city", "county") if k in values), len(keys))
        ordered = {k: values[k] for k in keys[:at] if k != "province"}
        ordered["province"] = check.fill
        ordered.update((k, values[k]) for k in keys[at:] if k != "province")
        return DomainApplicant(
            values=ordered,
            provenance=ChainMap({"province": filled}, applicant.provenance),  # type: ignore[arg-type]
            source=applicant.source,
        ), None
    if check.outside is None or check.named_in is None:
        return applicant, None
    cell = applicant.provenance.get(check.named_in)
    source = applicant.source
    return applicant, Issue(
        code="region-outside-round",
        severity=Severity.WARNING,
        message=f"企业 “{applicant.name}” {field_label(check.named_in)}填写为"
        f"“{values.get(check.named_in)}”，不在本批次地区“{round_region}”内；已按填写保留，"
        "请核实企业注册地",
        file=file_name,
        sheet=cell.sheet if cell else source.sheet if source else None,
        cell=cell.cell if cell else source.cell if source else None,
        field=check.named_in,
        uscc=applicant.uscc,
    )


def _too_long_text(applicant: DomainApplicant, name_limit: int, uscc_limit: int) -> str | None:
    """Why an applicant's name or USCC cannot be stored (too long, or a NUL character)."""
    name = applicant.name or ""
    if len(name) > name_limit:
        return f"企业名称有 {len(name)} 个字符，超过了允许的 {name_limit} 个字符"
    if "\x00" in name:
        return "企业名称含有空字符（\\x00）"
    if len(applicant.uscc or "") > uscc_limit:
        return f"统一社会信用代码有 {len(applicant.uscc)} 个字符，超过了 {uscc_limit} 个字符"
    return None


class Histories:
    """The stored versions of a chunk's applicants (newest first, each with the name of the
    file whose import made it), read in one query the first time a merge needs one."""

    def __init__(self, session: Session, applicant_ids: list[int]) -> None:
        self.session = session
        self.applicant_ids = applicant_ids
        self.loaded: dict[int, list[Earlier]] | None = None

    def of(self, applicant_id: int) -> History:
        """The history of one applicant, read when called."""
        return lambda: self._load().get(applicant_id, [])

    def _load(self) -> dict[int, list[Earlier]]:
        if self.loaded is None:
            rows = self.session.execute(
                select(
                    ApplicantVersion.applicant_id,
                    ApplicantVersion.values,
                    ApplicantVersion.provenance,
                    ImportFile.file_name,
                )
                .join(ImportFile, ImportFile.id == ApplicantVersion.import_file_id)
                .where(ApplicantVersion.applicant_id.in_(self.applicant_ids))
                .order_by(ApplicantVersion.applicant_id, ApplicantVersion.number.desc())
            ).all()
            self.loaded = {}
            for applicant_id, values, provenance, file_name in rows:
                earlier = (values or {}, provenance or {}, file_name)
                self.loaded.setdefault(applicant_id, []).append(earlier)
        return self.loaded


def applicants_given(session: Session, previous: ImportFile | None) -> set[int]:
    """The applicants a file's earlier import gave a version to."""
    if previous is None:
        return set()
    query = select(ApplicantVersion.applicant_id).where(
        ApplicantVersion.import_file_id == previous.id
    )
    return set(session.scalars(query.distinct()))


def stored_versions(
    session: Session, ids: list[int]
) -> dict[int, tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]]:
    """The stored (encoded) values, provenance and issues of versions, by id."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            ApplicantVersion.id,
            ApplicantVersion.values,
            ApplicantVersion.provenance,
            ApplicantVersion.issues,
        ).where(ApplicantVersion.id.in_(ids))
    ).all()
    return {row[0]: (row[1] or {}, row[2] or {}, row[3] or []) for row in rows}


def version_values(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = session.execute(
        select(ApplicantVersion.id, ApplicantVersion.values).where(ApplicantVersion.id.in_(ids))
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def type_missing(applicants: Sequence[DomainApplicant], file_name: str) -> list[Issue]:
    """A warning for each applicant (as merged) that gives no 申报类型: it is evaluated as a
    新申报 and a 复核's own questions are not asked, which an evaluator confirms, or a 补正
    gives the type, before 推荐 (absent is unknown, never 新申报)."""
    new, renewal = ApplicationType.NEW.label, ApplicationType.RENEWAL.label
    return [
        Issue(
            code="type-missing",
            severity=Severity.WARNING,
            message=f"企业 “{applicant.name}” 未填申报类型（{new}或{renewal}）：已按{new}评价，"
            f"{renewal}企业须填报的事项未予评价；请补填申报类型后重新导入，或核实为{new}后确认本提示",
            field="application_type",
            uscc=applicant.uscc,
            **where_of(applicant, file_name),
        )
        for applicant in applicants
        if declared_type(applicant.values.get("application_type")) is None
    ]
