"""规则变化影响: a round comparison (zjtx.store.round_compare) as an Excel workbook."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from zjtx.domain.labels import CriterionState, Verdict
from zjtx.export.excel import _new_workbook, _table_sheet
from zjtx.files import write_atomically
from zjtx.store.round_compare import NOT_EVALUATED, RoundComparison

CHANGED_COLUMNS = (
    "序号", "企业名称", "统一社会信用代码", "现行结论", "比较结论", "现行得分", "比较得分",
    "起决定作用的条目", "其他变化的条目",
)  # fmt: skip
CHANGED_WIDTHS = (6, 32, 22, 12, 12, 10, 10, 60, 60)
SUMMARY_COLUMNS = ("现行结论", "比较结论", "家数", "是否改变")


def verdict_text(code: str) -> str:
    """符合条件 / 不符合条件 / 待定, 未评价 for an applicant without an evaluation."""
    return "未评价" if code == NOT_EVALUATED else Verdict.label_of(code)


def state_text(code: str | None) -> str:
    return "无此条目" if code is None else CriterionState.label_of(code)


def changed_rows(comparison: RoundComparison) -> list[tuple[Any, ...]]:
    """One row per applicant whose verdict changes (the dialog's table and the sheet)."""
    return [
        (
            n,
            a.name,
            a.uscc,
            verdict_text(a.before),
            verdict_text(a.after),
            None if a.before_score is None else float(a.before_score),
            None if a.after_score is None else float(a.after_score),
            "\n".join(c.label for c in a.deciding),
            "\n".join(c.label for c in a.criteria if not c.deciding),
        )
        for n, a in enumerate(comparison.result.changed, start=1)
    ]


def summary_rows(comparison: RoundComparison) -> list[tuple[Any, ...]]:
    """One row per (current verdict, compared verdict) pair with its count."""
    return [
        (verdict_text(b), verdict_text(a), n, "不变" if a == b else "改变")
        for (b, a), n in comparison.result.transitions.items()
    ]


def write_comparison_xlsx(comparison: RoundComparison, path: Path) -> Path:
    """Two sheets: who changes (with the deciding criteria) and the counts (atomic write)."""
    workbook = _new_workbook(datetime.now())
    _table_sheet(workbook, "结论改变的企业", CHANGED_COLUMNS, changed_rows(comparison),
                 CHANGED_WIDTHS)  # fmt: skip
    rules = [
        ("批次", comparison.round_name, None, None),
        ("现行规则", comparison.current, None, None),
        ("比较规则", comparison.target, None, None),
        *[("注意", note, None, None) for note in comparison.notes],
    ]
    _table_sheet(workbook, "结论变化统计", SUMMARY_COLUMNS, [*summary_rows(comparison), *rules],
                 (14, 40, 8, 10))  # fmt: skip
    return write_atomically(Path(path), workbook.save)
