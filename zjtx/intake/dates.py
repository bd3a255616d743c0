"""Dates as applicants and exports write them: 2019-03-01, 2019年3月, 20190301, with a time or
a weekday after them."""

from __future__ import annotations

import re
from datetime import date

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?()$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})()$"),
)
_YEAR_ONLY = re.compile(r"^(\d{4})年?$")
# Midnight or a weekday after a full date: what a CSV exported from Excel, WPS or a registry
# system writes for a date cell (2017-02-11 00:00:00, 2017/2/11 0:00, ISO 2017-02-11T00:00:00,
# the long date 2017年2月11日星期六). Matched on NFKC text, with ASCII digits only.
TIME_OF_DAY = re.compile(
    r"^(.*\S)(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$", re.ASCII
)
WEEKDAY = re.compile(
    r"^(.*\d[日号]?)\s*(?:\((?:星期|周|礼拜)([一二三四五六日天])\)|(?:星期|周|礼拜)([一二三四五六日天]))$",
    re.ASCII,
)
WEEKDAYS = "一二三四五六日"  # date.weekday() order; 天 is 日


def parse_date_text(text: str) -> tuple[date, bool] | None:
    """A date typed as text and whether it was complete (day given); None if unreadable."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            day = int(match.group(3)) if match.group(3) else 1
            try:
                return date(year, month, day), bool(match.group(3))
            except ValueError:
                return None
    match = _YEAR_ONLY.match(text)
    if match and 1900 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), 1, 1), False
    return None
