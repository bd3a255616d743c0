"""What `zjtx review` prints of one applicant's review: after a save, or shown on its own."""

from __future__ import annotations

from typing import Any

from zjtx.commands.textout import display_width, pad
from zjtx.domain.issues import plain_key
from zjtx.domain.labels import Verdict


def verdict_text(verdict: str | None) -> str:
    return Verdict.label_of(verdict, "未评价")


def panel_positions(service: Any, round_name: str, uscc: str) -> Any:
    """The panel's positions on an applicant (ApplicantPanel), or None in a round without one."""
    from zjtx.store.panels import Panels

    panels = Panels(service.store, service.evaluations)
    return panels.positions(round_name, uscc) if panels.panel(round_name).members else None


def print_review(state: Any, heading: str, *, criteria: bool = False, panel: Any = None) -> None:
    """The review's verdict, decision, opinion and what is still open; ``criteria`` adds a
    line per criterion (what `zjtx review 批次 代码` alone shows before deciding), ``panel``
    the panel members' positions and opinions (what the 组长 decides beside)."""
    print(heading)
    print(
        f"评价结论：{verdict_text(state.verdict)}；决定：{state.decision_label}；"
        f"状态：{state.status.label}"
    )
    if state.opinion:
        print(f"评审意见：{state.opinion}")
    if state.decision_outdated_reason:
        print(f"  需复核：{state.decision_outdated_reason}")
    if criteria:
        # What the evaluation says of the applicant as a whole (未填申报类型…, 划型行业…).
        for note in (state.evaluation or {}).get("notes", []):
            print(f"  说明：{note}")
        rows = (state.evaluation or {}).get("criteria", [])
        width = max((display_width(f"{c['id']} {c['title']}") for c in rows), default=0)
        for c in rows:
            line = f"  {pad(c['id'] + ' ' + c['title'], width)}  {c['state_label']}"
            if c.get("gap"):
                line += f"（{c['gap']}）"
            print(line)
    for criterion_id, title in state.open_judgements:
        print(f"  待人工确认：{criterion_id} {title}")
    for issue in state.open_warnings:
        print(f"  待确认导入提示：{plain_key(issue.key)}（{issue.location()}）{issue.message}")
    if panel is not None:
        from zjtx.commands.panel import render_positions

        print("专家组：")
        # Its first line names the applicant, its last the decision: both are said above.
        for line in render_positions(panel).splitlines()[1:]:
            if not line.startswith(("最终决定", "需复核")):
                print(f"  {line}")
