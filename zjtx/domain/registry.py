"""The register's coded values: titles, levels and statuses, and the field each title answers."""

from __future__ import annotations

from zjtx.domain.labels import LabelledEnum


class RegistryTitle(LabelledEnum):
    """A title an enterprise is recognised with (the round tiers' codes)."""

    INNOVATIVE = "innovative-sme", "创新型中小企业"
    TECH = "tech-sme", "科技型中小企业"
    SRDI = "srdi-sme", "专精特新中小企业"
    LITTLE_GIANT = "little-giant", '专精特新"小巨人"企业'
    CHAMPION = "single-champion", "制造业单项冠军企业"

    @classmethod
    def concept(cls) -> str:
        return "称号"


class RegistryLevel(LabelledEnum):
    """Who recognised it."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"

    @classmethod
    def concept(cls) -> str:
        return "认定级别"


class RegistryStatus(LabelledEnum):
    """The state of one recognition; ``expired`` is never stored, it is read from the year."""

    PUBLICITY = "publicity", "公示中"
    RECOGNISED = "recognised", "已认定"
    RENEWED = "renewed", "复核通过"
    REVOKED = "revoked", "已撤销"
    EXPIRED = "expired", "已过期"

    @classmethod
    def concept(cls) -> str:
        return "状态"


# The applicant field declaring each title (the catalogue's holds_* keys).
HOLDS_FIELD = {
    RegistryTitle.INNOVATIVE: "holds_innovative",
    RegistryTitle.TECH: "holds_tech_sme",
    RegistryTitle.SRDI: "holds_srdi",
    RegistryTitle.LITTLE_GIANT: "holds_little_giant",
    RegistryTitle.CHAMPION: "holds_champion",
}
# Who recognises each title unless the list says otherwise.
DEFAULT_LEVEL = {
    RegistryTitle.INNOVATIVE: RegistryLevel.PROVINCIAL,
    RegistryTitle.TECH: RegistryLevel.PROVINCIAL,
    RegistryTitle.SRDI: RegistryLevel.PROVINCIAL,
    RegistryTitle.LITTLE_GIANT: RegistryLevel.NATIONAL,
    RegistryTitle.CHAMPION: RegistryLevel.NATIONAL,
}
HOLDING = (RegistryStatus.RECOGNISED.value, RegistryStatus.RENEWED.value)
DEFAULT_VALID_YEARS = 3
REGISTRY_SOURCE = "培育库"  # the provenance of a value taken from the register


def effective_status(status: str, valid_until: int, year: int) -> str:
    """The status as of ``year``: a held title whose validity ended before it is expired."""
    if status in HOLDING and valid_until < year:
        return RegistryStatus.EXPIRED.value
    return status


def is_valid(status: str, valid_until: int, year: int) -> bool:
    """Whether a recognition in this state is held and valid in ``year``."""
    return status in HOLDING and valid_until >= year
