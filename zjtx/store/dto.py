"""Plain dataclasses returned by the store service (never live ORM objects)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.issues import Issue
from zjtx.domain.labels import ReviewStatus, decision_shown
from zjtx.domain.region import format_region
from zjtx.domain.results import Verdict, score_text
from zjtx.scoring.rulebook import TIERS

TIER_LABELS = TIERS  # tier key -> Chinese name


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """One round (批次), how many applicants it holds and whether it is archived."""

    id: int
    name: str
    tier: str
    round_date: date
    region: str | None
    rulebook: str | None
    overlay: str | None
    settings: dict[str, Any]
    created_by: str
    created_at: datetime
    applicants: int = 0
    archived_at: datetime | None = None  # set: read-only, hidden from the default round list

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["round_date"] = self.round_date.isoformat()
        data["created_at"] = self.created_at.isoformat()
        data["archived_at"] = self.archived_at.isoformat() if self.archived_at else None
        data["tier_label"] = self.tier_label
        return data


@dataclass(frozen=True, slots=True)
class FileImport:
    """What importing one file did to a round."""

    file_name: str
    path: str
    sha256: str
    kind: str
    already_imported: bool
    rows_total: int
    rows_imported: int
    rows_blocked: int
    rows_blank: int
    applicants_new: int
    applicants_changed: int
    applicants_unchanged: int
    issues: tuple[Issue, ...]

    @property
    def versions_created(self) -> int:
        return self.applicants_new + self.applicants_changed

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "issues"}
        data["versions_created"] = self.versions_created
        data["issues"] = [issue.to_dict() for issue in self.issues]
        return data


@dataclass(frozen=True, slots=True)
class RulebookUpdate:
    """Applicants of a round evaluated under a rulebook other than the one in force now (a
    newer version installed or shipped since): 重新评价 brings them up to date."""

    applicants: int
    # (rulebook id, version) evaluated under -> (rulebook id, version) in force, each once;
    # a fifth part, when given, names the overlay and notices the one in force carries
    # ("省级规则 shandong-2022 2022.2"): a change within one version may be theirs.
    changes: tuple[tuple[str, ...], ...]

    def text(self) -> str:
        """E.g. 12 家企业按此前版本的评价标准评价（little-giant-2026 2026.1 → 2026.2）; a
        change within one version reads "little-giant-2026 2026.1 内容有修改", naming the
        overlay and notices that may be what changed."""
        parts = []
        for old, was, new, now, *carried in self.changes:
            if (old, was) == (new, now):
                also = f"（现行含{carried[0]}）" if carried and carried[0] else " "
                parts.append(f"{old} {was}{also}内容有修改")
            elif old == new:
                parts.append(f"{old} {was} → {now}")
            else:
                parts.append(f"{old} {was} → {new} {now}")
        return f"{self.applicants} 家企业按此前版本的评价标准评价（{'；'.join(parts)}）"

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicants": self.applicants,
            "changes": [
                {
                    "rulebook": old,
                    "version": was,
                    "current_rulebook": new,
                    "current_version": now,
                    "current_carries": carried[0] if carried else "",
                }
                for old, was, new, now, *carried in self.changes
            ],
        }


@dataclass(frozen=True, slots=True)
class RescoreReport:
    """What rescoring a round did: evaluations added (changed inputs or rulebook) or kept."""

    applicants: int
    reevaluated: int
    unchanged: int
    verdict_changes: tuple[tuple[str, str, str], ...]  # (uscc, before, after)

    def text(self, names: Mapping[str, str], most: int = 12) -> str:
        """What the rescore did, in Chinese: the counts, then each changed verdict by company
        name (the code where the name is not known), at most ``most`` of them."""
        # A new evaluation follows a changed rulebook or changed inputs; its verdict may stay.
        lines = [
            f"重新评价 {self.applicants} 家：生成新评价 {self.reevaluated} 家"
            f"（评价标准或申报数据有变化），未变 {self.unchanged} 家"
        ]
        changes = self.verdict_changes
        if changes:
            lines.append(f"结论改变 {len(changes)} 家：")
        elif self.reevaluated:
            lines.append("结论均未改变")
        for uscc, before, after in changes[:most]:
            was, now = Verdict.label_of(before, "—"), Verdict.label_of(after)
            lines.append(f"· {names.get(uscc) or uscc}：{was} → {now}")
        if len(changes) > most:
            lines.append(f"……另有 {len(changes) - most} 家，见企业列表的评价结论")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicants": self.applicants,
            "reevaluated": self.reevaluated,
            "unchanged": self.unchanged,
            "verdict_changes": [
                {"uscc": u, "before": b, "after": a} for u, b, a in self.verdict_changes
            ],
        }


@dataclass(frozen=True, slots=True)
class ApplicantRow:
    """One line of the round table: latest evaluation and review state of one applicant."""

    applicant_id: int
    uscc: str
    name: str
    version: int
    application_type: str | None
    rulebook: str | None
    verdict: str | None
    verdict_label: str
    score: Decimal | None
    max_score: Decimal | None
    rank: int | None
    open_judgements: int
    open_warnings: int
    decision: str | None
    decision_label: str
    decision_outdated_reason: str  # why it needs a second look (需复核), "" while it stands
    review_status: ReviewStatus
    review_version: int
    updated_at: datetime
    province: str | None = None
    city: str | None = None
    county: str | None = None
    # The most the score could still reach while it is not fixed (data missing, judgement
    # items open): ``score`` is then the least it can be, and the row has no rank.
    score_max: Decimal | None = None

    @property
    def score_open(self) -> bool:
        """Whether the score is a range still (待补充数据 or 待人工确认 items that score)."""
        return self.score_max is not None

    @property
    def score_text(self) -> str:
        """The score as shown: 80, or 25–100 while it is not fixed; "" when unscored."""
        return "" if self.score is None else score_text(self.score, self.score_max)

    @property
    def decision_outdated(self) -> bool:
        return bool(self.decision_outdated_reason)

    @property
    def decision_text(self) -> str:
        """The decision as shown: 推荐（需复核） while it needs a second look."""
        return decision_shown(self.decision_label, self.decision_outdated_reason)

    @property
    def region(self) -> str:
        """所在地区 in one form from the province down, e.g. 浙江省杭州市西湖区 (北京市朝阳区,
        and 江苏 / 南京市 / 南京市江宁区 is 江苏省南京市江宁区): see zjtx.domain.region."""
        return format_region(self.province, self.city, self.county)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decision_outdated"] = self.decision_outdated
        data["region"] = self.region
        data["score"] = None if self.score is None else str(self.score)
        data["max_score"] = None if self.max_score is None else str(self.max_score)
        data["score_max"] = None if self.score_max is None else str(self.score_max)
        data["review_status"] = str(self.review_status)
        data["review_status_label"] = self.review_status.label
        data["updated_at"] = self.updated_at.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class ReviewItemInfo:
    """A confirmed or overridden criterion, or an acknowledged warning."""

    kind: str  # criterion | warning
    target: str
    state: str | None
    override: bool
    reason: str
    evaluator: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class ReviewState:
    """The review of one applicant as an evaluator sees it, with what is still open.

    ``version`` is the counter to send back with the next change (0 before the first one).
    """

    round_name: str
    uscc: str
    name: str
    version: int
    status: ReviewStatus
    decision: str | None
    decision_label: str
    opinion: str
    decided_by: str | None
    decided_at: datetime | None
    decision_outdated_reason: str  # why the decision needs a second look, "" while it stands
    items: tuple[ReviewItemInfo, ...]
    open_judgements: tuple[tuple[str, str], ...]  # (criterion id, title)
    open_warnings: tuple[Issue, ...]
    verdict: str | None
    evaluation: dict[str, Any] | None  # Evaluation.to_dict() of the latest evaluation

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "uscc": self.uscc,
            "name": self.name,
            "version": self.version,
            "status": str(self.status),
            "status_label": self.status.label,
            "decision": self.decision,
            "decision_label": self.decision_label,
            "opinion": self.opinion,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "decision_outdated_reason": self.decision_outdated_reason,
            "items": [item.to_dict() for item in self.items],
            "open_judgements": [{"id": i, "title": t} for i, t in self.open_judgements],
            # key: what --ack-warning takes to acknowledge that one warning
            "open_warnings": [{**i.to_dict(), "key": i.key} for i in self.open_warnings],
            "verdict": self.verdict,
        }


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One imported version of an applicant."""

    number: int
    file_name: str
    values_hash: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApplicantDetail:
    """Everything about one applicant: current data with provenance, versions and review."""

    row: ApplicantRow
    applicant: Applicant
    versions: tuple[VersionInfo, ...]
    issues: tuple[Issue, ...]
    review: ReviewState


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audit event in readable form."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    uscc: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    summary: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class RoundStatistics:
    """Counts over a round for the dashboard and the CLI."""

    round_name: str
    applicants: int
    files: int
    versions: int
    by_verdict: dict[str, int]
    by_decision: dict[str, int]
    by_review_status: dict[str, int]
    open_judgements: int
    open_warnings: int
    blocked_rows: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RefusedSubmission:
    """An enterprise's submission the import gate refused and no other file has imported
    since (a 统一社会信用代码 with a wrong check character, 主营业务收入 above 营业收入): what
    the 补正清单 must send back too."""

    file: str
    uscc: str | None  # as written in the file (it may be the wrong one)
    where: str  # the cells of its errors, "表1 第1行第4列"
    reasons: tuple[str, ...]
    name: str = ""  # the enterprise's name as the file gives it, where it does
