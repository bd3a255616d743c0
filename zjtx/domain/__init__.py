"""Plain dataclasses shared by every layer: fields, applicants, issues, results (no I/O)."""

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.fields import FieldCatalogue, FieldSpec, FieldType
from zjtx.domain.issues import Issue, Severity
from zjtx.domain.results import (
    Confirmation,
    CriterionResult,
    CriterionState,
    Evaluation,
    GroupScore,
    Verdict,
)

__all__ = [
    "Applicant",
    "Confirmation",
    "CriterionResult",
    "CriterionState",
    "Evaluation",
    "FieldCatalogue",
    "FieldSpec",
    "FieldType",
    "GroupScore",
    "Issue",
    "Provenance",
    "Severity",
    "Verdict",
]
