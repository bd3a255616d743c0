"""Readers of applicant spreadsheets (xlsx/xls/csv/json), the data-quality gate and templates."""

from zjtx.intake.reader import read_applicants
from zjtx.intake.records import Cancelled, ColumnMapping, FileResult, IntakeResult

__all__ = ["Cancelled", "ColumnMapping", "FileResult", "IntakeResult", "read_applicants"]
