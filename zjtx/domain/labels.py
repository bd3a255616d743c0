"""Coded values: each a StrEnum whose value is stored and whose ``.label`` is the Chinese label."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A StrEnum whose members are declared as ``CODE = "code", "中文标签"``.

    The value (the code) is what the store, JSON and the command line use; the label is what
    an evaluator reads. Labels live only here, so renaming one cannot leave a stale copy.
    """

    _label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code -> label of every member, in declaration order."""
        return {member.value: member.label for member in cls}

    @classmethod
    def label_of(cls, code: str | None, default: str | None = None) -> str:
        """Label of the member with value ``code``; for None or an unknown code, ``default``
        (the code itself, or "", when no default is given)."""
        member = cls._value2member_map_.get(code) if code is not None else None
        if member is not None:
            return member.label  # type: ignore[attr-defined]
        return default if default is not None else (code or "")

    @classmethod
    def from_label(cls, label: str) -> Self:
        """The member whose Chinese label is ``label`` (surrounding spaces ignored)."""
        text = label.strip()
        for member in cls:
            if member.label == text:
                return member
        raise ValueError(f"未知的{cls.concept()} “{text}”；可选：{cls.choices_text()}")

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member given by its code (``recommend``) or by its Chinese label (推荐)."""
        value = text.strip()
        for member in cls:
            if value in (member.value, member.label):
                return member
        raise ValueError(f"未知的{cls.concept()} “{value}”；可选：{cls.choices_text()}")

    @classmethod
    def concept(cls) -> str:
        """What the members are, in Chinese (used in error messages)."""
        return "取值"

    @classmethod
    def choices_text(cls) -> str:
        """``code（标签）、…`` of every member, for error messages and help texts."""
        return "、".join(f"{member.value}（{member.label}）" for member in cls)


class CriterionState(LabelledEnum):
    """Final state of one criterion."""

    MET = "met", "符合"
    UNMET = "unmet", "不符合"
    UNKNOWN = "unknown", "待补充数据"  # data missing
    MANUAL = "manual", "待人工确认"  # needs an evaluator's judgement
    NA = "na", "不适用"  # does not apply (e.g. growth for renewals)

    @classmethod
    def concept(cls) -> str:
        return "指标结论"


class Verdict(LabelledEnum):
    """Outcome of one applicant against one rulebook."""

    QUALIFIED = "qualified", "符合条件"
    NOT_QUALIFIED = "not_qualified", "不符合条件"
    PENDING = "pending", "待定"

    @classmethod
    def concept(cls) -> str:
        return "评价结论"


class ApplicationType(LabelledEnum):
    """Whether an enterprise applies for the first time or for renewal at the end of its term."""

    NEW = "new", "新申报"
    RENEWAL = "renewal", "复核"

    @classmethod
    def concept(cls) -> str:
        return "申报类型"


def declared_type(value: object) -> str | None:
    """The 申报类型 an applicant declared, "new" or "renewal"; None where it gave none (absent
    is unknown, never 新申报: see scoring.type_unknown)."""
    return value if isinstance(value, str) and value in ApplicationType._value2member_map_ else None


def application_type_text(code: str | None, absent: str = "—") -> str:
    """申报类型 as shown: 新申报 or 复核; 未填 for an applicant that gave none (its evaluation's
    application_type is ""); ``absent`` where nothing was evaluated (None)."""
    return absent if code is None else ApplicationType.label_of(code, "未填")


class Decision(LabelledEnum):
    """The review decision on one applicant."""

    RECOMMEND = "recommend", "推荐"
    REJECT = "reject", "不推荐"
    RETURN = "return", "退回补充材料"

    @classmethod
    def concept(cls) -> str:
        return "评审决定"


def decision_shown(label: str, outdated: object) -> str:
    """A decision's label as shown, marked while it needs a second look (``outdated``, its
    reason, is set): 推荐（需复核）. No decision ("") stays as it is."""
    return f"{label}（需复核）" if label and outdated else label


class ReviewStatus(LabelledEnum):
    """Where the review of one applicant stands."""

    PENDING = "pending", "待评审"  # nothing done yet, items open
    IN_PROGRESS = "in_progress", "评审中"  # some items done, others open
    READY = "ready", "待决定"  # nothing open, no decision yet
    DECIDED = "decided", "已决定"

    @classmethod
    def concept(cls) -> str:
        return "评审状态"


# The tiers whose title is given for a product, the certificate naming it (单项冠军, 标注产品名称):
# the label and the field of that product, which the lists and templates of such a round name.
CERTIFIED_PRODUCTS = {"single-champion": ("申请产品", "champion_product")}
