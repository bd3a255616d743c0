"""The detail pane's 评审留痕 table: each entry's reason in its own column, once."""

from __future__ import annotations

from zjtx.ui.detail import _without_reason


def test_an_entrys_reason_is_shown_in_its_column_not_again_in_its_content():
    """The content leaves out the （理由：…） the 理由 column shows; other text stays."""
    summary = "改判指标 SR22-B2 上年度研发费用：符合→不符合（理由：审计报告与申报不符）"
    assert _without_reason(summary, "审计报告与申报不符") == (
        "改判指标 SR22-B2 上年度研发费用：符合→不符合"
    )
    assert _without_reason("导入文件 a.xlsx", None) == "导入文件 a.xlsx"
