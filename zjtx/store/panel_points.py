"""A panel member's points on a scored item, within what the applicant's data allow."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from zjtx.store.errors import ReviewRuleError


def stored_number(value: Decimal | None) -> int | float | None:
    """A points figure as the stored result holds it (Evaluation.to_dict())."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def decimal_of(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def points_high(item: dict[str, Any]) -> Decimal | None:
    """The most a member can give a scored judgement item of this applicant: what its data
    allows (points_max) within the item's maximum; None for an unscored item."""
    if item.get("kind") != "score":
        return None
    top, high = decimal_of(item.get("max_points")), decimal_of(item.get("points_max"))
    if high is None or (top is not None and high > top):
        return top
    return high


def checked_points(item: dict[str, Any], points: str | Decimal | None, met: bool) -> str | None:
    """The points text to store for a judgement, checked against the item (0 to what the
    applicant's data allows)."""
    scored = item.get("kind") == "score"
    top, high = decimal_of(item.get("max_points")), points_high(item)
    if points is None or (isinstance(points, str) and not points.strip()):
        if scored:
            raise ReviewRuleError(
                f"条目 {item['id']} 是计分的人工判断条目，请用 --points 给出本人评分"
                + (f"（0～{high} 分）" if high is not None else "")
            )
        return None
    if not scored:
        raise ReviewRuleError(f"条目 {item['id']} 不计分，不能给出分数")
    try:
        value = Decimal(str(points).strip())
    except InvalidOperation:
        raise ReviewRuleError(f"分数应是数字，收到 “{points}”") from None
    if not value.is_finite() or value < 0:
        raise ReviewRuleError(f"分数应是不小于 0 的数字，收到 “{points}”")
    if value == 0:
        value = Decimal(0)  # "-0" or "0.00" is stored, shown and audited as 0
    if high is not None and value > high:
        if top is not None and high < top:
            raise ReviewRuleError(
                f"条目 {item['id']} 按该企业的申报数据最高可得 {high} 分（满分 {top} 分），"
                f"收到 {value} 分"
            )
        raise ReviewRuleError(f"条目 {item['id']} 最高 {high} 分，收到 {value} 分")
    if not met and value != 0:
        raise ReviewRuleError(f"判断为不符合时条目 {item['id']} 的分数只能是 0，收到 {value} 分")
    return str(value)
