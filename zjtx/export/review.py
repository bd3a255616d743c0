"""The review part of a printed report: decision, opinion, confirmations, acknowledged warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zjtx.domain.results import Confirmation

DECISION_LABELS = {
    "recommend": "推荐",
    "reject": "不推荐",
    "return": "退回补充材料",
}


def decision_label(decision: str | None) -> str:
    """Chinese label of a decision given as a code (recommend/reject/return) or as its label."""
    if not decision:
        return ""
    text = str(decision).strip()
    if text in DECISION_LABELS:
        return DECISION_LABELS[text]
    if text in DECISION_LABELS.values():
        return text
    raise ValueError(
        f"未知的评审决定 “{text}”；可选："
        + "、".join(f"{k}（{v}）" for k, v in DECISION_LABELS.items())
    )


@dataclass(frozen=True, slots=True)
class AcknowledgedWarning:
    """A data-quality warning the evaluator accepted, with the reason given."""

    message: str  # the warning as shown at import, with file/sheet/cell
    reason: str
    evaluator: str = ""
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReviewInfo:
    """What the evaluator decided for one applicant (filled from the store, issue 4).

    ``decision`` is ``recommend``/``reject``/``return`` or its Chinese label (推荐/不推荐/
    退回补充材料); None while undecided. ``confirmations`` are the evaluator's confirmations and
    overrides; the report shows each beside its criterion. ``evaluator`` and ``evaluator_unit``
    are printed in the signature block (blank lines to fill by hand when empty).
    """

    decision: str | None = None
    opinion: str = ""
    evaluator: str = ""
    decided_at: datetime | None = None
    confirmations: tuple[Confirmation, ...] = ()
    acknowledged_warnings: tuple[AcknowledgedWarning, ...] = ()
    evaluator_unit: str = ""

    def __post_init__(self) -> None:
        decision_label(self.decision)  # reject unknown decisions at construction

    @property
    def decision_label(self) -> str:
        return decision_label(self.decision)
