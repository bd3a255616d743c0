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


def test_long_verdict_reasons_count_the_open_items_and_keep_the_failed_ones():
    """结论依据 past a line or two: each failed requirement in full (with its gap), the open
    items counted by state with their ids; short reasons stay as they are."""
    from zjtx.ui.detail import short_reasons

    short = ["LG26-3 研发投入：差 20 万元"]
    assert short_reasons(short) == short[0]
    reasons = [
        "LG22-F 营业收入：上年度营业收入 4999 万元，要求不低于 5000 万元，差 1 万元",
        *(f"LG22-{i} 第{i}项条件的名称较长：待补充数据" for i in range(1, 9)),
        "LG22-X 不予推荐情形：待人工确认",
    ]
    assert short_reasons(reasons) == (
        reasons[0]
        + "；待补充数据 8 项（LG22-1、LG22-2、LG22-3、LG22-4、LG22-5、LG22-6、LG22-7、LG22-8）"
        + "；待人工确认 1 项（LG22-X）"
    )
