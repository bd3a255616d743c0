"""Helpers for intake tests: valid codes and small workbooks written to tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from zjtx.intake import IntakeResult, read_applicants
from zjtx.intake.synthetic import valid_uscc

YEAR = 2026
CODE_A = valid_uscc(1001)
CODE_B = valid_uscc(1002)
CODE_C = valid_uscc(1003)


def write_xlsx(
    path: Path,
    rows: list[list[Any]],
    *,
    title: str = "名单",
    merges: tuple[str, ...] = (),
    formats: dict[str, str] | None = None,
    hidden_columns: tuple[str, ...] = (),
) -> Path:
    """A one-sheet workbook with the given rows starting at A1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    for letter in hidden_columns:
        sheet.column_dimensions[letter].hidden = True
    workbook.save(path)
    return path


def read(*paths: Path, year: int = YEAR) -> IntakeResult:
    return read_applicants(list(paths), year)


def issue_tuples(result: IntakeResult, *, include_info: bool = False) -> list[tuple]:
    """[(cell, field, code, severity)] of every issue (info left out unless asked)."""
    return [
        (i.cell, i.field, i.code, str(i.severity))
        for i in result.issues
        if include_info or str(i.severity) != "info"
    ]
