"""The applicant table `zjtx round show` prints, with the notes that explain it."""

from __future__ import annotations

from collections.abc import Sequence

from zjtx.commands.textout import table
from zjtx.domain.labels import application_type_text
from zjtx.store.dto import ApplicantRow

HEADERS = ("排名", "统一社会信用代码", "企业名称", "类型", "评价标准", "结论", "得分", "待确认",
           "待核提示", "决定", "评审状态", "地区")  # fmt: skip


def applicant_table(rows: Sequence[ApplicantRow]) -> str:
    """One line per applicant: a score not yet fixed shows as its range (25–100) and has no
    rank ("—"), as an unscored one."""
    return table(
        HEADERS,
        [
            (
                r.rank or "—",
                r.uscc,
                r.name,
                application_type_text(r.application_type),
                r.rulebook or "—",
                r.verdict_label,
                r.score_text or "—",
                r.open_judgements or "",
                r.open_warnings or "",
                r.decision_text,
                r.review_status.label,
                r.region or "—",
            )
            for r in rows
        ],
    )


def open_score_note(rows: Sequence[ApplicantRow]) -> str | None:
    """What a range in the 得分 column means, when the table shows one (else None)."""
    ranges = [r.score_text for r in rows if r.score_open]
    if not ranges:
        return None
    return (
        f"得分为区间（如 {ranges[0]}）的 {len(ranges)} 家得分未定：有待补充数据或待人工确认的"
        "计分条目，最终得分在区间内；不参加排名（排名栏为“—”）"
    )
