"""The 评审意见表's panel page: view-model fields, the PDF read back, and no page without a panel."""

from __future__ import annotations

from datetime import UTC, datetime

from pypdf import PdfReader

from tests.export.pdf_helpers import flat_text, font_report, page_texts
from tests.export.test_panel_sheet import HAITUO, QIANHAI, _sample_round
from tests.store.conftest import database_url  # noqa: F401 - the SQLite / PostgreSQL fixture
from tests.store.test_panels import (
    ROUND,
    A,
    B,
    _staff,
    panels,  # noqa: F401 - the fixture
)
from zjtx.commands.reports import build_reports
from zjtx.export.from_store import round_outcomes
from zjtx.export.report_model import (
    NOT_DECIDED,
    PanelItemRow,
    PanelMemberLine,
    PanelPage,
    build_assessment_report,
)
from zjtx.export.report_pdf import render_assessment_pdf
from zjtx.export.sources import catalogue_of
from zjtx.ui.outputs import _reports as window_reports

MADE = datetime(2026, 6, 2, 9, 30, tzinfo=UTC)


def _record(service, store):
    """Five members on A: points on T-SCORE, a split on T-JUDGE, a 回避, opinions, and the
    组长's decision; nothing recorded on B."""
    _staff(store, 4)
    store.set_aggregation(ROUND, "trimmed", evaluator="秘书")
    store.recuse(ROUND, A, member="专家4", reason="曾在该企业任职", evaluator="秘书")
    for name, points in (("王组长", "9"), ("专家1", "6"), ("专家2", "7"), ("专家3", "10")):
        store.judge(ROUND, A, member=name, criterion="T-SCORE", met=True, points=points,
                    evaluator="秘书")  # fmt: skip
    store.judge(ROUND, A, member="王组长", criterion="T-JUDGE", met=True, evaluator="秘书")
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=False, note="产品不在目录内",
                evaluator="秘书")  # fmt: skip
    store.opinion(ROUND, A, member="专家1", text="暂不推荐", evaluator="秘书")
    store.opinion(ROUND, A, member="王组长", text="同意推荐", evaluator="秘书")
    service.apply_review(ROUND, A, evaluator="王组长", confirm=[], ack_warnings=[],
                         reason="专家组意见", decision="reject", opinion="经专家组评议，暂不推荐")  # fmt: skip


def _report_of(service, uscc=A):
    _, outcomes = round_outcomes(service, ROUND, [uscc])
    return build_reports(outcomes, MADE, ROUND)[0]


def test_panel_page_holds_members_positions_aggregate_opinions_and_decision(panels):  # noqa: F811
    """The view-model: members with 回避, each member's position per item in member order, the
    agreement, the trimmed aggregate over four (回避 excluded), notes, opinions and the
    组长's decision beside them."""
    service, store = panels
    _record(service, store)
    page = _report_of(service).panel
    assert page == PanelPage(
        rule="评分汇总规则：去掉一个最高分和一个最低分后平均",
        members=(
            # The secretary entered the forms: each member who judged is marked 代录.
            PanelMemberLine("组长", "王组长", "省经信厅", "", "由 秘书 代录"),
            PanelMemberLine("评审专家", "专家1", "某大学", "", "由 秘书 代录"),
            PanelMemberLine("评审专家", "专家2", "某大学", "", "由 秘书 代录"),
            PanelMemberLine("评审专家", "专家3", "某大学", "", "由 秘书 代录"),
            PanelMemberLine("评审专家", "专家4", "某大学", "回避：曾在该企业任职", mark="回避"),
        ),
        items=(
            PanelItemRow(
                "T-JUDGE",
                "主导产品属于重点领域",
                ("符合", "不符合", "未表态", "未表态", "回避"),
                "有分歧",
                "不计分",
            ),
            # four scores (专家4 回避): fewer than five, so the plain mean of 9, 6, 7, 10
            PanelItemRow(
                "T-SCORE",
                "技术水平",
                ("符合（9 分）", "符合（6 分）", "符合（7 分）", "符合（10 分）", "回避"),
                "一致",
                "8.00（算术平均，4 人）",
            ),
        ),
        notes=("T-JUDGE 主导产品属于重点领域｜专家1：产品不在目录内",),
        opinions=(
            ("组长 王组长", "同意推荐"),
            ("评审专家 专家1", "暂不推荐"),
            ("评审专家 专家4", "回避"),
        ),
        decision="不推荐",
        decided_by="组长 王组长",
        decision_opinion="经专家组评议，暂不推荐",
    )
    assert [row.agreement_code for row in page.items] == ["disagree", "agree"]


def test_applicant_without_records_gets_an_open_page_and_the_window_builds_the_same(panels):  # noqa: F811
    """An applicant nobody judged yet still gets the page (everyone 未表态, undecided), and the
    window's export path builds the same report as `zjtx report`."""
    service, store = panels
    _record(service, store)
    report = _report_of(service, B)
    assert report.panel.decision == NOT_DECIDED and report.panel.decided_by == ""
    assert report.panel.items[0].positions == ("未表态",) * 5
    assert report.panel.items[0].agreement == "无人表态"
    assert report.panel.opinions == ()
    _, outcomes = round_outcomes(service, ROUND, [B])
    assert window_reports(outcomes, ROUND, MADE)[0] == report


def test_panel_page_reads_back_from_the_pdf_with_the_font_embedded(panels, tmp_path):  # noqa: F811
    """The panel page starts a new page and prints the members, positions, 回避, aggregate,
    opinions, decision and a signature line per member, in the embedded Chinese font."""
    service, store = panels
    _record(service, store)
    report = _report_of(service)
    path = tmp_path / "report.pdf"
    pages = render_assessment_pdf(report, path)
    texts = page_texts(path)
    assert pages == len(PdfReader(path).pages) >= 2
    last = "".join(texts[-1].split())
    panel_start = next(i for i, t in enumerate(texts) if "专家组评审" in "".join(t.split()))
    assert "评审人签字" not in "".join(texts[panel_start].split())  # a page of its own
    whole = flat_text(path)
    for expected in ("评分汇总规则：去掉一个最高分和一个最低分后平均", "回避：曾在该企业任职",
                     "符合（10分）", "有分歧", "8.00（算术平均，4人）", "暂不推荐",
                     "专家1：产品不在目录内", "不推荐组长王组长",
                     "经专家组评议，暂不推荐", "专家签字", "年月日"):  # fmt: skip
        assert expected in whole, expected
    assert "专家签字" in last
    assert last.count("某大学") >= 4  # every expert has a signature row
    fonts = font_report(path)
    assert fonts and all(fonts.values()) and all("NotoSansSC" in f for f in fonts), fonts


def test_round_without_a_panel_prints_the_report_unchanged(panels, tmp_path):  # noqa: F811
    """No panel: no page, the same view-model and the same bytes as a report built without
    any panel argument."""
    service, _store = panels
    _, outcomes = round_outcomes(service, ROUND, [A])
    assert outcomes[0].panel is None
    report = build_reports(outcomes, MADE, ROUND)[0]
    outcome = outcomes[0]
    plain = build_assessment_report(
        outcome.evaluation,
        catalogue=catalogue_of(outcome.evaluation),
        applicant=outcome.applicant,
        review=outcome.review,
        made_at=MADE,
        round_name=ROUND,
    )
    assert report.panel is None and report == plain
    pages = render_assessment_pdf(report, tmp_path / "a.pdf")
    assert pages == render_assessment_pdf(plain, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert "专家组评审" not in flat_text(tmp_path / "a.pdf")


def test_panel_records_are_read_once_for_the_round(panels, monkeypatch):  # noqa: F811
    """Bulk: the round's panel records are read in one call for all applicants, not per
    applicant (Panels.positions is never used for the reports)."""
    from zjtx.store.panels import Panels

    service, store = panels
    _record(service, store)
    calls = []
    original = Panels.round_records
    monkeypatch.setattr(Panels, "round_records",
                        lambda self, *a, **k: calls.append(a) or original(self, *a, **k))  # fmt: skip
    monkeypatch.setattr(Panels, "positions", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    _, outcomes = round_outcomes(service, ROUND)
    assert len(calls) == 1 and len(outcomes) == 2
    assert all(o.panel is not None for o in outcomes)


def test_a_decision_by_the_deputy_says_why_on_the_page_and_in_the_pdf(panels, tmp_path):  # noqa: F811
    """Where the 组长 declared 回避 and the 副组长 decided, the page names the 副组长 with why
    they signed, lists the 组长's 回避, and the PDF prints both."""
    service, store = panels
    _staff(store, 1)
    store.add_member(ROUND, "李副组长", unit="某研究院", role="副组长", evaluator="秘书")
    store.recuse(ROUND, B, member="王组长", reason="曾在该企业任职", evaluator="秘书")
    service.apply_review(ROUND, B, evaluator="李副组长", confirm=[], ack_warnings=[],
                         reason="专家组意见", decision="reject", opinion="暂不推荐")  # fmt: skip
    page = _report_of(service, B).panel
    assert page.decided_by == "副组长 李副组长（组长回避，代行）"
    assert page.members[:2] == (
        PanelMemberLine("组长", "王组长", "省经信厅", "回避：曾在该企业任职", mark="回避"),
        PanelMemberLine("副组长", "李副组长", "某研究院", ""),
    )
    path = tmp_path / "report.pdf"
    render_assessment_pdf(_report_of(service, B), path)
    whole = flat_text(path)
    assert "副组长李副组长（组长回避，代行）" in whole and "回避：曾在该企业任职" in whole


def test_a_confirmation_by_a_member_who_then_declared_a_recusal_says_so(panels):  # noqa: F811
    """人工判断事项 of an applicant whose T-JUDGE 专家1 confirmed before declaring 回避: the
    confirmation stays in force and names 专家1 （其后声明回避）; the 组长's own does not."""
    service, store = panels
    _staff(store, 1)
    service.apply_review(ROUND, A, evaluator="专家1", confirm=[("T-JUDGE", "met")],
                         ack_warnings=[], reason="已核实", decision=None, opinion=None)  # fmt: skip
    store.recuse(ROUND, A, member="专家1", reason="亲属任职", evaluator="专家1")
    [line] = [j for j in _report_of(service).judgements if j.evaluator.startswith("专家1")]
    assert (line.result, line.reason, line.evaluator) == ("符合", "已核实", "专家1（其后声明回避）")
    service.apply_review(ROUND, A, evaluator="王组长", confirm=[("T-JUDGE", "met")],
                         ack_warnings=[], reason="组长复核", decision=None, opinion=None)  # fmt: skip
    [line] = [j for j in _report_of(service).judgements if j.reason == "组长复核"]
    assert line.evaluator == "王组长"


def test_a_recusal_after_judging_and_an_item_the_data_decided_read_so_on_the_page(
    database_url,  # noqa: F811
    tmp_path,
):
    """On the samples: 专家丙's 回避 recorded by the 组长 after judging says so, with the date
    and what was withdrawn, in the member table, the opinions and the signature line; LG26-4,
    decided by the data, reads 无需判断 across the members, in the view-model and the PDF."""
    store, service, board = _sample_round(database_url, tmp_path)
    try:
        late = board.positions(ROUND, QIANHAI).late_recusals["专家丙"]
        _, outcomes = round_outcomes(service, ROUND, [QIANHAI, HAITUO])
        reports = build_reports(outcomes, MADE, ROUND)
    finally:
        store.close()
    day = late.at.astimezone().strftime("%Y-%m-%d")
    said = f"评审后回避（组长 王组长 于 {day} 确认），其判断（LG26-5）和意见已撤回"
    page = next(r for r in reports if r.uscc == QIANHAI).panel
    assert page.members[3] == PanelMemberLine(
        "评审专家", "专家丙", "某单位", f"{said}；理由：本人曾为该企业提供咨询", "", "评审后回避"
    )
    assert ("评审专家 专家丙", said) in page.opinions
    items = {row.criterion_id: row for row in page.items}
    assert items["LG26-4"].positions == ("—",) * 4
    assert items["LG26-4"].agreement == "无需判断（由申报数据得出：符合）"
    assert items["LG26-5"].agreement == "无人表态"  # withdrawn: nobody holds a position now
    path = tmp_path / "前海.pdf"
    render_assessment_pdf(next(r for r in reports if r.uscc == QIANHAI), path)
    whole = flat_text(path)
    for expected in (said, "专家丙（评审后回避）", "无需判断（由申报数据得出：符合）"):
        assert expected.replace(" ", "") in whole
