"""The year's notices in the window: the 认定标准 dialog's list, a round's line and an evaluation's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from zjtx.scoring import TIERS
from zjtx.scoring.errors import DataFileError
from zjtx.scoring.installing import origin_text
from zjtx.scoring.notice_definitions import AppliedNotice, Notice
from zjtx.scoring.notices import load_all_notices
from zjtx.scoring.selection import round_notice_lines, round_notices

NOTICE_COLUMNS = ("通知 id", "文号", "适用批次", "改变", "来源等级", "来源")
HOW_NOTICES_APPLY = (
    "国家级通知按批次日期自动适用；省级通知随该省的省级规则适用。"
    "⚠未核实 表示通知的来源或某项设置尚未核实，评审时请以正式文件为准。"
)
OVERRIDE_COLOUR = "#b35900"  # a setting the round changed from the notice's or rulebook's value
UNVERIFIED_COLOUR = "#a61b1b"


def _grade_text(grade: str) -> str:
    return "未核实" if grade.startswith("UNVERIFIED") else grade


def notice_row(notice: Notice) -> tuple[str, ...]:
    """One notice as the dialog lists it, in NOTICE_COLUMNS order (as `zjtx rulebooks` does)."""
    number = notice.instrument.number + (f"（{notice.province}）" if notice.province else "")
    covers = "；".join(f"{TIERS[c.tier].split('（')[0]} {c.describe()}" for c in notice.covers)
    changes = "；".join(
        line for change in notice.changes for line in AppliedNotice(notice, change).summary()
    )
    grade = _grade_text(notice.grade) + (" ⚠未核实" if notice.unverified else "")
    return (notice.id, number, covers, changes, grade, origin_text("notices", notice.id))


def notice_tooltip(notice: Notice) -> str:
    """The notice's document, link and what stays unverified, for a row's tooltip."""
    ins = notice.instrument
    lines = [notice.label, f"文件：{ins.title}"]
    if ins.issued:
        lines.append(f"发布日期：{ins.issued.isoformat()}")
    if ins.link:
        lines.append(f"链接：{ins.link}")
    if ins.note:
        lines.append(ins.note)
    if notice.unverified:
        lines.append(f"⚠未核实：{notice.unverified}")
    return "\n".join(lines)


def notice_table() -> tuple[list[Notice], str]:
    """Every notice, bundled and installed, and the reason when the files cannot be read."""
    try:
        return load_all_notices(), ""
    except DataFileError as exc:
        return [], f"无法读取年度通知文件：{exc}"


def _short_html(notices: Sequence[Mapping[str, Any]], settings: Sequence[Mapping[str, Any]]) -> str:
    """A few words: ⚠未核实 when anything is unverified and how many settings the round itself
    changed (first, so a narrow window never clips them), then the notices by 文号 and grade;
    every line is in the tooltip."""
    parts = []
    if any(r.get("unverified") for r in [*notices, *settings]):
        parts.append(f"<span style='color:{UNVERIFIED_COLOUR}'>⚠未核实</span>")
    if overrides := sum(1 for r in settings if r.get("source") == "override"):
        parts.append(
            f"<span style='color:{OVERRIDE_COLOUR};font-weight:bold'>本批次改定 {overrides} 项</span>"
        )
    if notices:
        names = "、".join(
            f"{escape(str(n['number']))}（{escape(_grade_text(str(n['grade'])))}）" for n in notices
        )
        parts.append(f"<span style='color:#555'>适用通知：</span>{names}")
    elif settings:
        parts.append(f"<span style='color:#555'>批次设置 {len(settings)} 项</span>")
    return " ".join(parts)


def round_notice_text(info: Any) -> tuple[str, str]:
    """The notices governing a round and its fixed settings: (short HTML line, plain tooltip
    with every line `zjtx round create` prints); both empty when the round is judged by its
    rulebooks as written."""
    notices, settings = round_notices(
        info.round_date,
        tier=info.tier,
        rulebook_id=info.rulebook,
        overlay_id=info.overlay,
        overrides={k: v for k, v in (info.settings or {}).items() if isinstance(v, bool)},
    )
    if not notices and not settings:
        return "", ""
    lines = round_notice_lines(notices, settings)
    return _short_html(notices, settings), "\n".join([*lines, "", HOW_NOTICES_APPLY])


def evaluation_notice_text(evaluation: Mapping[str, Any]) -> tuple[str, str]:
    """The notices and settings an evaluation was made under: (short HTML, plain tooltip);
    both empty for none."""
    notices = evaluation.get("notices") or []
    settings = evaluation.get("settings") or []
    if not notices and not settings:
        return "", ""
    return _short_html(notices, settings), "\n".join(round_notice_lines(notices, settings))
