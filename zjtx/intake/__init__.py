"""Readers of applicant spreadsheets (xlsx/xls/csv/json), the data-quality gate and templates."""
