"""Answers in words the reading interprets, said so. A yes or no with a remark in brackets after
it: a remark that only identifies or dates what the answer says (是（证书编号GR202335000123）,
是（2023年12月认定）, 是（有效期至2026年12月）) leaves the answer as written, and the gate quotes it
in a warning for the evaluator to look at; a remark that may change the answer (已过期, 2022年到期,
申请中, 待认定, 否则…) is refused, and so is a 是 whose remark dates the title's end before the
round's year (有效期至2022年12月, 2019年认定 of a 3-year title in a 2026 round); one ending within
the round's year (有效期至2026年3月) is read as 是 with a warning that says so: the reading knows
the round's year, not its date, so whether the title held on that date is for the evaluator. 无:
read as 0, 否, an option or unknown by the field, each time with a note saying which."""

from __future__ import annotations

import re
from typing import Any

from zjtx.domain.fields import FieldSpec, FieldType
from zjtx.intake.cell_text import normalise_text, shown_text

# A yes or no with a remark after it (是（2022年到期）, 有（申请中）): split in two.
ANSWER_NOTE = re.compile(r"^(.+?)[(（](.*)[)）]$")
# Words that may change or doubt the answer: refused whatever else the remark says.
_DOUBT = re.compile(
    r"过期|到期|失效|届满|期满|撤销|撤回|取消|注销|吊销|申请|申报|待|拟|正在|尚|未|不|否|非|暂|曾|原"
    r"|即将|预计|计划|复审|复核|重新|公示|如|若|但|除|或|可能|部分|无效|停|变更|转让|受让|子公司|母公司"
    r"|集团|分公司|[?？]"
)
# What identifies or dates the answer: a certificate's number, a date or year (of 认定, 发证…), a
# validity period, a batch; each taken out of the remark in turn.
_NUMERALS = "一二三四五六七八九十〇零"
_HARMLESS = (
    re.compile(
        r"(?:证书|证|批准|认定|登记|入库|备案)?(?:编号|号码|文号|号)[:：]?[A-Za-z0-9\-]{4,}"
    ),
    re.compile(r"[A-Za-z]{0,4}\d[0-9A-Za-z\-]{5,}"),
    re.compile(r"有效期(?:为|是)?[" + _NUMERALS + r"\d]+年"),
    re.compile(r"(?:19|20)\d{2}(?:[年./-]\d{1,2}(?:[月./-]\d{1,2}日?)?月?)?年?度?"),
    re.compile(r"第[" + _NUMERALS + r"\d]+批(?:次)?"),
)
# The words left around them (有效期至, 认定时间, 发证日期…) once they are taken out.
_JOINING = re.compile(
    r"有效期|有效|至|到|止|起|自|认定|获得|取得|获批|发证|颁发|入库|评定|授予|通过|公布|时间|日期"
    r"|年份|证书|编号|批次|高新技术企业|高企|称号|号|为|是|于|在|已|的|[,，;；:：、/\s.\-]"
)


def split_note(text: str) -> tuple[str, str] | None:
    """(answer, remark) of a text written as an answer with a bracketed remark, else None."""
    found = ANSWER_NOTE.match(text)
    if found is None:
        return None
    return found.group(1), found.group(2)


def harmless(note: str) -> bool:
    """Whether a remark after 是/否 only identifies or dates the answer (a certificate number, a
    date, 有效期至…) and says nothing that may change it."""
    text = normalise_text(note)
    if not text or _DOUBT.search(text):
        return False
    rest = text
    for pattern in _HARMLESS:
        rest = pattern.sub(" ", rest)
    if rest == text:
        return False  # neither a number nor a date: words only
    return not _JOINING.sub("", rest)


# A validity's end in a remark (有效期至2022年12月, 至2022年, 有效期到2022-12-31), its month if
# written.
_VALID_UNTIL = re.compile(
    r"(?:有效期|有效)?(?:至|到|止)((?:19|20)\d{2})(?:[年./-](\d{1,2})(?!\d))?"
)
# A 认定 year in a remark (2019年认定, 认定时间2019年, 2019年12月获得).
_CERTIFIED = re.compile(
    r"(?:认定|获得|取得|获批|发证|颁发)(?:时间|日期|年份)?(?:为|于|是)?((?:19|20)\d{2})"
    r"|((?:19|20)\d{2})[^至到止]*?(?:认定|获得|取得|获批|发证|颁发)"
)
# How long a title the remark may date lasts from its 认定 (高新技术企业: 3 years).
TITLE_YEARS = {"high_tech_enterprise": 3}


def _title_end(key: str, note: str) -> tuple[int, str, str] | None:
    """(year, how the remark says it ends, with the month if written) of the title's end a
    remark dates (有效期至…, or the 认定 year of a title of known length), or None."""
    text = normalise_text(note)
    until = _VALID_UNTIL.search(text)
    if until is not None:
        year = until.group(1)
        month = f"{int(until.group(2))}月" if until.group(2) else ""
        return int(year), f"有效期至{year}年", f"有效期至{year}年{month}"
    lasts = TITLE_YEARS.get(key)
    certified = _CERTIFIED.search(text) if lasts is not None else None
    if certified is None:
        return None
    start = int(certified.group(1) or certified.group(2))
    said = f"{start}年认定，按 {lasts} 年有效期至{start + lasts}年"
    return start + lasts, said, said


def expired_note(key: str, note: str, year: int) -> str | None:
    """What in a harmless remark after 是 says the title ended before the round's year (有效期至
    2022年12月 in a 2026 round; 2019年认定 of a 3-year title), or None."""
    end = _title_end(key, note)
    if end is None or end[0] >= year:
        return None
    return f"{end[1]}，早于本批次（{year}年度）"


def expired_message(raw: str, why: str, answer: str = "只填 是 或 否，说明写入备注") -> str:
    """The refusal of a 是 whose remark dates the title's end before the round (``why``, from
    expired_note), after the field's label; ``answer``: what to write instead, in the input's
    words (a JSON input's true or false, with no remark)."""
    return (
        f"“{shown_text(raw.strip())}”填的是“是”，但说明中{why}，证书已不在有效期内，"
        f"无法确定是或否：请核对后{answer}"
    )


def yes_remark(raw: str, yes: frozenset[str]) -> str | None:
    """The harmless remark of a text written as a yes (in ``yes``) with a remark, else None."""
    parts = split_note(normalise_text(raw))
    if parts is None or parts[0].lower() not in yes or not harmless(parts[1]):
        return None
    return parts[1]


def ending_in_year(key: str, note: str, year: int) -> str | None:
    """How a harmless remark after 是 dates the title's end within the round's year (有效期至
    2026年3月 in a 2026 round), or None."""
    end = _title_end(key, note)
    return end[2] if end is not None and end[0] == year else None


def remark_warning(
    label: str, raw: str, value: object, key: str = "", year: int | None = None
) -> str | None:
    """The warning for a yes or no read with a remark left aside, or None when there is none;
    a 是 whose remark dates the title's end within the round's ``year`` says so: the round's
    date is not known here, so whether the title still held on it is for the evaluator."""
    if value is not True and value is not False:
        return None
    parts = split_note(normalise_text(raw))
    if parts is None or not harmless(parts[1]):
        return None
    shown = shown_text(raw.strip())
    end = ending_in_year(key, parts[1], year) if value is True and year is not None else None
    if end is not None:
        return (
            f"{label}：“{shown}”读作“是”，但说明中{end}，证书在本批次年度（{year}年）内到期，"
            "读取时只按年度比较：请核对批次日期时证书是否仍在有效期内，如已到期，应填 否"
        )
    answer = "是" if value else "否"
    return (
        f"{label}：“{shown}”读作“{answer}”，括号中的说明“{shown_text(parts[1])}”"
        "未读取：请核对说明与回答是否相符（如证书是否仍在有效期内）"
    )


NONE_SPELLINGS = frozenset(
    {"无", "没有", "未有"}
)  # values.NONE_WORDS, as normalise_text leaves them


def says_none(value: Any) -> bool:
    """Whether a cell says 无 (没有, 未有), cheaply for the cells that do not."""
    if not isinstance(value, str) or len(value) > 8:
        return False
    has = "无" in value or "没有" in value or "未有" in value
    return has and normalise_text(value) in NONE_SPELLINGS


def read_as_written(spec: FieldSpec, typed: object) -> bool:
    """Whether a cell saying 无 was read as an option itself labelled 无 (创客中国 名单: 无):
    nothing to say of how it was read."""
    return typed is not None and spec.type == FieldType.ENUM and spec.format_value(typed) == "无"


def none_reading(spec: FieldSpec, where: str, typed: object) -> str:
    """The note for a cell saying 无: what it was read as for this field (0 of a count, 否, an
    option, unknown for an amount, the text itself)."""
    label = spec.relative_label()
    if typed is None:
        reading = "未知（不按 0 计）：如实际为 0，请填 0" if spec.is_numeric else "未知"
    elif spec.type == FieldType.TEXT:
        reading = "文字“无”"
    else:
        reading = f"“{spec.format_value(typed)}”"
    return f"{where}：{label}填的“无”读作{reading}"
