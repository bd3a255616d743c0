"""The review part of a printed report: decision, opinion, confirmations, acknowledged warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zjtx.domain.labels import Decision, decision_shown
from zjtx.domain.results import Confirmation


def decision_label(decision: str | None) -> str:
    """Chinese label of a decision given as a code (recommend/reject/return) or as its label."""
    if not decision:
        return ""
    return Decision.parse(str(decision)).label


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
    are printed in the signature block (blank lines to fill by hand when empty). ``outdated``
    says why the decision needs a second look (需复核): the data or the verdict changed after it.
    """

    decision: str | None = None
    opinion: str = ""
    evaluator: str = ""
    decided_at: datetime | None = None
    confirmations: tuple[Confirmation, ...] = ()
    acknowledged_warnings: tuple[AcknowledgedWarning, ...] = ()
    evaluator_unit: str = ""
    outdated: str = ""

    def __post_init__(self) -> None:
        decision_label(self.decision)  # reject unknown decisions at construction

    @property
    def decision_label(self) -> str:
        return decision_label(self.decision)

    @property
    def decision_text(self) -> str:
        """The decision as printed: 推荐（需复核） while it needs a second look."""
        return decision_shown(self.decision_label, self.outdated)

    @property
    def decision_code(self) -> Decision | None:
        """The decision as its enum member; None while undecided."""
        return Decision.parse(str(self.decision)) if self.decision else None
