"""The panel's audit events as the history's sentences, and the facts pages print from them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zjtx.store.bulk import chunks
from zjtx.store.models import AuditEvent, PanelRecusal
from zjtx.store.panel_positions import CHAIR, DEPUTY, ROLE_LABELS, LateRecusal

IN_CHUNK = 2000  # ids per IN (…) list of a query


def summarize_event(event: Any) -> str:
    """One Chinese sentence for a panel audit event (zjtx.store.audit.summarize)."""
    before, after = event.before or {}, event.after or {}
    action = event.action
    if action == "panel-member-add":
        return f"专家组添加{after.get('role_label')} {after.get('name')}（{after.get('unit') or '未填单位'}）"
    if action == "panel-member-remove":
        return f"专家组移除{before.get('role_label')} {before.get('name')}"
    if action == "panel-aggregation":
        return f"专家组评分汇总规则改为：{after.get('label')}"
    if action == "panel-judgement":
        # A changed judgement says what it was, as a confirmation's 符合→不符合 does.
        earlier = f"{_judged(before)}→" if before else ""
        if before and "review_version" not in after:  # entered again, unchanged
            earlier = "重新录入，未改变："
        note = f"（{after.get('note')}）" if after.get("note") else ""
        return (
            f"专家 {after.get('member')} 判断 {after.get('criterion')} {after.get('title') or ''}："
            f"{earlier}{_judged(after)}{note}"
        )
    if action == "panel-recusal":
        if after.get("chair"):
            withdrawn = "、".join(after.get("withdrawn") or [])
            parts = [f"判断 {withdrawn}"] if withdrawn else []
            if after.get("opinion_withdrawn"):
                parts.append("意见")
            return f"{_presiding(after)} 确认{_member(after)} 回避（理由：{event.reason}）" + (
                f"，撤回其{'和'.join(parts)}" if parts else ""
            )
        return f"{_member(after)} 声明回避（理由：{event.reason}）"
    if action == "panel-recusal-withdraw":
        return f"{_presiding(after)} 撤销{_member(after)} 的回避（理由：{event.reason}）"
    if action == "panel-opinion":
        again = "（重新录入，未改变）" if before and "review_version" not in after else ""
        return f"专家 {after.get('member')} 的意见{again}：{after.get('opinion')}"
    return action


def _judged(values: dict[str, Any]) -> str:
    """A judgement as said: 符合 or 不符合, with its points."""
    points = f"（{values.get('points')} 分）" if values.get("points") is not None else ""
    return ("符合" if values.get("met") else "不符合") + points


def _presiding(after: dict[str, Any]) -> str:
    """Who handled a 回避: 组长 or 副组长 (events before 副组长 existed name the 组长) and name."""
    return f"{ROLE_LABELS.get(after.get('chair_role') or CHAIR, '组长')} {after.get('chair')}"


def _member(after: dict[str, Any]) -> str:
    """The member a 回避 is about: 组长 / 副组长 by their role, 专家 otherwise (and in events
    recorded before the role was kept)."""
    role = {CHAIR: "组长", DEPUTY: "副组长"}.get(after.get("member_role") or "", "专家")
    return f"{role} {after.get('member')}"


def late_recusals(
    session: Session, round_id: int, rows: Sequence[PanelRecusal], codes: dict[int, str]
) -> dict[str, dict[int, LateRecusal]]:
    """Which of the 回避 ``rows`` were recorded after the member had judged (their panel-recusal
    event names who presided and what was withdrawn), by 统一社会信用代码 and member id: a
    signed page says so, not just 回避."""
    by_id = {row.id: row for row in rows}
    found: dict[str, dict[int, LateRecusal]] = {}
    for part in chunks(list(by_id), IN_CHUNK):
        query = select(AuditEvent).where(
            AuditEvent.round_id == round_id,  # its index: not the whole trail
            AuditEvent.entity == "panel_recusal",
            AuditEvent.action == "panel-recusal",
            AuditEvent.entity_id.in_(part),
        )
        for event in session.scalars(query):
            after = event.after or {}
            row = by_id[event.entity_id]
            if not after.get("chair") or row.applicant_id not in codes:
                continue  # declared before judging: a plain 回避
            found.setdefault(codes[row.applicant_id], {})[row.member_id] = LateRecusal(
                after["chair"],
                after.get("chair_role") or CHAIR,
                event.at,
                tuple(after.get("withdrawn") or ()),
                bool(after.get("opinion_withdrawn")),
            )
    return found
