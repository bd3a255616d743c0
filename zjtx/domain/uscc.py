"""统一社会信用代码 (GB 32100-2015): structure and check character."""

from __future__ import annotations

import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, ...
STRUCTURE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# Positions 1–17 only: a wrong 18th character is reported as a wrong check character.
_BODY = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{9}$")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_character(first17: str) -> str:
    """Check character (position 18) for the first 17 characters of a code.

    ``C18 = (31 - sum(C_i * W_i) mod 31) mod 31``: when the sum is divisible by 31 the raw 31
    wraps to 0 ("0").
    """
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body (positions 9–16)."""
    total = 0
    for ch, weight in zip(body8, _ORG_WEIGHTS, strict=True):
        value = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        total += value * weight
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


@dataclass(frozen=True, slots=True)
class UsccProblem:
    """Why a code is invalid: a kebab-case code and a Chinese message."""

    code: str
    message: str


def validate_uscc(code: str) -> UsccProblem | None:
    """Return None for a valid code, else the first problem found (length, characters, check)."""
    if len(code) != 18:
        return UsccProblem("uscc-length", f"统一社会信用代码应为 18 位，“{code}”为 {len(code)} 位")
    # The 18th character is judged by the check below, so a wrong letter there reads as a
    # wrong check character rather than a bad character.
    bad = sorted({ch for ch in code[:17] if ch not in ALPHABET})
    if bad:
        shown = "、".join(bad)
        return UsccProblem(
            "uscc-characters",
            f"统一社会信用代码“{code}”含有不允许的字符：{shown}（不使用 I、O、Z、S、V 和小写字母）",
        )
    if not _BODY.match(code[:17]):
        return UsccProblem(
            "uscc-structure", f"统一社会信用代码“{code}”第 3–8 位应为数字（登记管理机关行政区划码）"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return UsccProblem(
            "uscc-check-character",
            f"统一社会信用代码“{code}”校验码错误：第 18 位应为“{expected}”，实为“{code[17]}”",
        )
    return None


def org_code_warning(code: str) -> str | None:
    """Chinese warning when the embedded GB 11714 check (position 17) disagrees, else None."""
    if len(code) != 18 or not STRUCTURE.match(code):
        return None
    expected = org_code_check(code[8:16])
    if code[16] != expected:
        return (
            f"统一社会信用代码“{code}”中的组织机构代码校验位（第 17 位）应为“{expected}”，"
            f"实为“{code[16]}”，请核对"
        )
    return None
