"""What surrounds a roster's data rows: hidden rows named once per sheet."""

from zjtx.intake.roster_rows import hidden_rows_issue


def test_hidden_rows_are_named_as_ranges_in_one_note():
    """Hidden rows 3, 5, 6, 7 and 10 (0-based 2, 4–6, 9) read as 第 3、5–7、10 行, counted."""
    issue = hidden_rows_issue([2, 4, 5, 6, 9], "r.xlsx", "名单")
    assert issue.message.startswith("第 3、5–7、10 行（共 5 行）在工作簿中被隐藏")
    assert (issue.file, issue.sheet, issue.cell, issue.row) == ("r.xlsx", "名单", "3:3", 3)
    many = hidden_rows_issue(list(range(0, 100, 2)), "r.xlsx", None)
    assert "、39 等行（共 50 行）" in many.message
