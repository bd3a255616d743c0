"""Industry buckets of the statistics: a GB/T 4754-2017 code reduced to its division (大类)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from zjtx.paths import resource_path
from zjtx.scoring.catalogue import read_yaml
from zjtx.scoring.errors import DataFileError

NOT_GIVEN = "未填写"
UNRECOGNISED = "行业代码无法识别"
RESOURCE = "industry_gbt4754_2017.yaml"

# Section letter (optional) then digits; anything after them (a note, a sector in brackets)
# does not change the division.
_CODE = re.compile(r"([A-Z]?)(\d*)")


@dataclass(frozen=True, slots=True)
class IndustryClassification:
    """Names of the sections (门类) and divisions (大类) and each division's section."""

    sections: dict[str, str]  # "C" -> "制造业"
    divisions: dict[str, tuple[str, str]]  # "35" -> ("C", "专用设备制造业")


@cache
def load_classification() -> IndustryClassification:
    """The bundled GB/T 4754-2017 section and division names."""
    path = resource_path(RESOURCE)
    data = read_yaml(path)
    sections: dict[str, str] = {}
    divisions: dict[str, tuple[str, str]] = {}
    for letter, section in (data.get("sections") or {}).items():
        if not isinstance(section, dict) or not section.get("name"):
            raise DataFileError(path.name, "门类缺少名称", rule=str(letter))
        sections[str(letter)] = str(section["name"])
        for number, name in (section.get("divisions") or {}).items():
            number = str(number)
            if not re.fullmatch(r"\d{2}", number) or number in divisions:
                raise DataFileError(path.name, f"大类代码 “{number}” 无效或重复", rule=letter)
            divisions[number] = (str(letter), str(name))
    return IndustryClassification(sections, divisions)


def normalise_code(code: object) -> str:
    """The code as GB/T 4754 writes it: half-width, upper case, no spaces ("Ｃ３５ 62" -> "C3562")."""
    text = unicodedata.normalize("NFKC", str(code or ""))
    return "".join(text.split()).upper()


def industry_division(code: object) -> str:
    """The statistics bucket of an industry code, labelled once in Chinese.

    ``C3562``, ``C35``, ``3562`` and ``Ｃ３５６２`` are all ``C35 专用设备制造业``; a section
    letter alone is its section (``C 制造业``); no code is 未填写; a code naming no division
    (or a division of another section) is 行业代码无法识别.
    """
    text = normalise_code(code)
    if not text:
        return NOT_GIVEN
    match = _CODE.match(text)
    letter, digits = match.group(1), match.group(2)
    classification = load_classification()
    if not digits:
        if letter in classification.sections:
            return f"{letter} {classification.sections[letter]}"
        return UNRECOGNISED
    if len(digits) < 2 or digits[:2] not in classification.divisions:
        return UNRECOGNISED
    section, name = classification.divisions[digits[:2]]
    if letter and letter != section:
        return UNRECOGNISED
    return f"{section}{digits[:2]} {name}"
