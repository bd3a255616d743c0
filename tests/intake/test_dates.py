"""Dates typed as text: complete or not, impossible ones refused."""

from datetime import date

from zjtx.intake.dates import parse_date_text


def test_dates_as_applicants_write_them():
    """2019-03-01, 2019年3月1日, 2019/3/1 and 20190301 are complete; 2019年3月 and 2019 are not."""
    assert parse_date_text("2019-03-01") == (date(2019, 3, 1), True)
    assert parse_date_text("2019年3月1日") == (date(2019, 3, 1), True)
    assert parse_date_text("2019/3/1") == (date(2019, 3, 1), True)
    assert parse_date_text("20190301") == (date(2019, 3, 1), True)
    assert parse_date_text("2019年3月") == (date(2019, 3, 1), False)
    assert parse_date_text("2019") == (date(2019, 1, 1), False)


def test_impossible_or_unreadable_dates_are_none():
    """2019-02-30, 1850 and 明年 are no dates."""
    assert parse_date_text("2019-02-30") is None
    assert parse_date_text("1850") is None
    assert parse_date_text("明年") is None
