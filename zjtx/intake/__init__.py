"""Readers of applicant spreadsheets (xlsx/xls/csv/json), the data-quality gate and templates."""

from zjtx.intake.mapping import IGNORE, ColumnOverride, MappingError
from zjtx.intake.reader import read_applicants
from zjtx.intake.records import Cancelled, ColumnMapping, FileResult, IntakeResult

__all__ = [
    "IGNORE",
    "Cancelled",
    "ColumnMapping",
    "ColumnOverride",
    "FileResult",
    "IntakeResult",
    "MappingError",
    "read_applicants",
]
