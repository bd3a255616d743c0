"""Enterprise names compared as published lists and applications write them differently."""

from __future__ import annotations

import re
import unicodedata

# After NFKC: （）→(), full-width letters and digits → ASCII. Brackets of any kind are dropped
# (their content kept): 南京（江苏）科技 and 南京(江苏)科技 are one name.
_DROP = str.maketrans("", "", "()[]【】〔〕{}<>《》\"'“”‘’·・.,，。、")
_SUFFIXES = (("有限责任公司", "有限公司"), ("股份有限公司", "股份公司"))
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The comparison key of an enterprise name: NFKC, no spaces or brackets, lower-case ASCII,
    有限责任公司 read as 有限公司 and 股份有限公司 as 股份公司."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACES.sub("", text).translate(_DROP).lower()
    for long, short in _SUFFIXES:
        if text.endswith(long):
            text = text[: -len(long)] + short
            break
    return text
