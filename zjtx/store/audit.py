"""The audit trail: events as rows, the Chinese sentence of each, and a round's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zjtx.domain.issue_codes import issue_title
from zjtx.store.common import (
    decision_label,
    field_label,
    field_spec,
    find_applicant,
    find_round,
    state_label,
    verdict_label,
)
from zjtx.store.dto import HistoryEntry
from zjtx.store.models import AuditEvent, Evaluator, Round, utc_now
from zjtx.store.panel_history import summarize_event

ROLES = ("evaluator", "chair")
ROLE_LABELS = {"evaluator": "评审员", "chair": "评审组长"}


def event(
    actor: Evaluator,
    action: str,
    entity: str,
    entity_id: int | None,
    round_row: Round | None = None,
    *,
    round_id: int | None = None,
    applicant_id: int | None = None,
    uscc: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """One audit event by ``actor`` (not yet added to a session)."""
    return AuditEvent(
        at=at or utc_now(),
        actor=actor.name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        round_id=round_row.id if round_row else round_id,
        applicant_id=applicant_id,
        uscc=uscc,
        before=before,
        after=after,
        reason=reason,
    )


def plain(value: Any) -> Any:
    """A stored (tagged) value as plain JSON for the audit trail: 1200, "2020-01-01"..."""
    if isinstance(value, dict) and len(value) == 1:
        return next(iter(value.values()))
    return value


def value_text(value: Any, key: str | None = None) -> str:
    """A stored value as the history reads it: 是/否, 空, and with its unit or label where the
    catalogue knows the field (24.8% → 0.248% shows what a lost % format did)."""
    if isinstance(value, bool):  # a yes/no field reads as the form writes it, not True/False
        return "是" if value else "否"
    if value is None:
        return "空"
    spec = field_spec(key) if key else None
    if spec is not None:
        try:
            return spec.format_value(value)
        except (TypeError, ValueError):  # pragma: no cover - a value the field cannot hold
            pass
    return str(value)


def history(session: Session, round_name: str, uscc: str | None = None) -> list[HistoryEntry]:
    """The audit trail of a round, or of one applicant in it, oldest first."""
    round_row = find_round(session, round_name)
    query = select(AuditEvent).where(AuditEvent.round_id == round_row.id)
    if uscc is not None:
        applicant = find_applicant(session, round_row, uscc)
        query = query.where(AuditEvent.applicant_id == applicant.id)
    events = session.scalars(query.order_by(AuditEvent.id)).all()
    asked: dict[int | None, list[str]] = {}  # applicant -> fields a 退回补充材料 asked for
    entries = []
    for e in events:
        summary = summarize(e)
        after = e.after or {}
        if e.action == "decision":
            asked[e.applicant_id] = list(after.get("requested_fields") or [])
        elif e.action == "applicant-version" and asked.get(e.applicant_id):
            summary += _arrived(asked.pop(e.applicant_id), after, round_row.round_date.year)
        entries.append(
            HistoryEntry(
                id=e.id,
                at=e.at,
                actor=e.actor,
                action=e.action,
                entity=e.entity,
                uscc=e.uscc,
                before=e.before,
                after=e.after,
                reason=e.reason,
                summary=summary,
            )
        )
    return entries


def _arrived(fields: list[str], after: dict[str, Any], year: int) -> str:
    """What a corrected import brought of the fields a 退回补充材料 asked for (issue 16 §4)."""
    from zjtx.scoring.known_fields import known_field

    changes = after.get("changed") or {}

    def label(key: str) -> str:
        spec = known_field(key)
        return spec.year_label(year) if spec is not None else key

    came = [label(k) for k in fields if k in changes and changes[k][1] is not None]
    still = [label(k) for k in fields if not (k in changes and changes[k][1] is not None)]
    text = "；补正：已收到 " + ("、".join(came) if came else "无")
    return text + (f"；仍缺 {'、'.join(still)}" if still else "；所要求的数据已齐")


def summarize(event: AuditEvent) -> str:
    """One Chinese sentence saying what an audit event did."""
    before, after = event.before or {}, event.after or {}
    action = event.action
    if action == "round-create":
        return (
            f"创建批次 “{after.get('name')}”（{after.get('tier_label')}，"
            f"批次日期 {after.get('round_date')}）"
        )
    if action == "round-rename":
        return f"将批次 “{before.get('name')}” 重命名为 “{after.get('name')}”"
    if action == "round-archive":
        return f"归档批次 “{after.get('name')}”（此后只能查看和导出）"
    if action == "round-restore":
        return f"恢复批次 “{after.get('name')}”（可继续导入和评审）"
    if action == "file-import":
        how = (
            "（按更正的列对应关系）"
            if after.get("corrected_mapping")
            else "（按自动识别的列对应关系重新读取）"
            if (before or {}).get("mapping")
            else ""
        )
        return (
            f"导入文件 {after.get('file')}{how}：新增 {after.get('new')} 家，"
            f"更新 {after.get('changed')} 家，"
            f"未变 {after.get('unchanged')} 家，阻断 {after.get('rows_blocked')} 行，"
            f"错误 {after.get('errors')} 条，提示 {after.get('warnings')} 条"
        )
    if action == "applicant-version":
        verdict = verdict_label(after.get("verdict"))
        if not before:
            refused = "、".join(f"《{file}》" for file in after.get("refused_files") or ())
            combined = (
                f"，与{refused}中未能导入的申报合并，取其 "
                f"{sum(len(keys) for keys in (after.get('kept') or {}).values())} 个字段"
                if refused
                else ""
            )
            return (
                f"首次导入 {after.get('name')}（来自 {after.get('file')}{combined}），"
                f"评价结论：{verdict}"
            )
        changes = after.get("changed") or {}
        parts = [
            f"{field_label(key)} {value_text(old, key)}→{value_text(new, key)}"
            for key, (old, new) in changes.items()
        ]
        kept = after.get("kept") or {}  # fields the file did not hold, by the file kept from
        merged = "".join(
            f"；沿用此前导入的《{file}》中的 {len(keys)} 个字段" for file, keys in kept.items()
        )
        superseded = after.get("warnings_superseded")
        if not parts and superseded is not None:
            # The values as they were, the warnings now this file's (import.reissued).
            gone = f"，此前的 {superseded} 条导入提示由本文件取代" if superseded else ""
            return (
                f"第 {after.get('version')} 版（来自 {after.get('file')}）：数据未变，"
                f"导入提示按本文件更新{gone}；评价结论：{verdict}"
            )
        return (
            f"数据更正为第 {after.get('version')} 版（来自 {after.get('file')}）："
            + ("，".join(parts) or "无字段变化")
            + f"{merged}；评价结论：{verdict}"
        )
    if action == "evaluation":
        cause = {"rescore": "重新评价", "review": "按评审确认重新评价", "import": "评价"}.get(
            after.get("cause", ""), "评价"
        )
        new_verdict, new_score = verdict_label(after.get("verdict")), after.get("score")
        if before and before.get("verdict") == after.get("verdict"):
            text = f"{cause}：评价结论仍为{new_verdict}"
        else:
            old = verdict_label(before.get("verdict")) if before else "—"
            text = f"{cause}：{old}→{new_verdict}"
        old_score = before.get("score") if before else None
        if new_score is not None and old_score is not None and old_score != new_score:
            text += f"，得分 {old_score}→{new_score}"
        elif new_score is not None:
            text += f"，得分 {new_score}" + ("（不变）" if old_score == new_score else "")
        if before and before.get("rulebook_hash") != after.get("rulebook_hash"):
            text += f"（{_rulebook_change(before, after)}）"
        return text
    if action in ("criterion-confirm", "criterion-override"):
        verb = "确认" if action == "criterion-confirm" else "改判"
        text = (
            f"{verb}指标 {after.get('criterion')} {after.get('title') or ''}："
            f"{state_label(before.get('state') or before.get('computed'))}→"
            f"{state_label(after.get('state'))}"
        )
        return text + (f"（理由：{event.reason}）" if event.reason else "")
    if action == "criterion-override-withdraw":
        text = (
            f"撤回改判 {after.get('criterion')} {after.get('title') or ''}："
            f"{state_label(before.get('state'))}→按申报数据（{state_label(after.get('state'))}）"
        )
        return text + (f"（理由：{event.reason}）" if event.reason else "")
    if action == "warning-ack":
        # Since acknowledgements name one warning the entry gives its message (older entries
        # name the code, which covered every warning of it).
        said = "；".join(after.get("messages") or []) if "field" in after else ""
        return (
            f"确认导入提示“{issue_title(str(after.get('code')))}”{'：' + said if said else ''}"
            f"（理由：{event.reason}）"
        )
    if action == "decision":
        old = decision_label(before.get("decision")) if before.get("decision") else "未决定"
        text = f"决定：{old}→{after.get('label')}；意见：{after.get('opinion')}"
        if after.get("requested"):
            text += "；要求补正：" + "；".join(after["requested"])
        return text
    if action == "opinion":
        return f"修改评审意见：{after.get('opinion')}"
    if action == "round-recognise":
        from zjtx.domain.registry import RegistryTitle

        return (
            f"标记批次为已认定：推荐的 {after.get('rows')} 家企业记入培育库"
            f"（{after.get('year')} 年{RegistryTitle.label_of(after.get('title'))}，"
            f"有效期至 {after.get('valid_until')} 年；新增 {after.get('added')} 项）"
        )
    if action == "registry-recheck":
        from zjtx.store.registry_recheck import summarize as summarize_recheck

        return summarize_recheck(after)
    if action.startswith("panel-"):
        return summarize_event(event)
    if action == "evaluator-role":
        role = after.get("role", "")
        return f"将 {after.get('name')} 的角色设为 {ROLE_LABELS.get(role, role)}"
    return action


def _rulebook_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The rulebook a rescore changed to, in words: from which version to which (events from
    before versions were kept say only that it changed)."""
    old, new = before.get("rulebook_version"), after.get("rulebook_version")
    if old and new and (old != new or before.get("rulebook") != after.get("rulebook")):
        return f"评价标准 {before.get('rulebook')} {old} → {after.get('rulebook')} {new}"
    return f"规则 {after.get('rulebook')} 已更新"
