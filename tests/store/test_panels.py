"""Expert panels: members and roles, judgements, 回避, who decides, and aggregated points."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

import pytest

from tests.store.helpers import (
    RuleScorer,
    insert_old_round,
    make_applicant,
    make_file,
    make_uscc,
    write_lead_product_sample,
)
from zjtx.domain.applicant import Applicant
from zjtx.domain.results import (
    Confirmation,
    CriterionKind,
    CriterionResult,
    CriterionState,
    Evaluation,
)
from zjtx.store import StoreService, open_store
from zjtx.store.dto import RoundInfo
from zjtx.store.engine import create_store_engine, current_revision, head_revision, migrate
from zjtx.store.errors import NotFoundError, ReviewRuleError
from zjtx.store.panel_deciding import PanelRefusedError
from zjtx.store.panel_positions import AGREE, DISAGREE, NONE, OPEN, TRIMMED, aggregate
from zjtx.store.panels import Panels
from zjtx.store.settings import resolve_location

ROUND = "2026第一批"
A, B = make_uscc(1), make_uscc(2)


class PanelScorer(RuleScorer):
    """The test rulebook plus a scored judgement item T-SCORE (技术水平, up to 10 points)."""

    def __call__(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation:
        result = super().__call__(applicant, round_info, confirmations)
        scored = CriterionResult(
            id="T-SCORE",
            title="技术水平",
            group="test",
            group_title="测试",
            kind=CriterionKind.SCORE,
            state=CriterionState.MANUAL,
            observed="",
            requirement="专家评分",
            clause="测试条款",
            source="测试",
            grade="A",
            judgement=True,
            max_points=Decimal(10),
        )
        return dataclasses.replace(result, criteria=(*result.criteria, scored))


@pytest.fixture
def panels(database_url: str, tmp_path) -> Iterator[tuple[StoreService, Panels]]:
    """A round of two applicants with the panel store beside the service."""
    store = open_store(database_url)
    try:
        service = StoreService(store, scorer=PanelScorer())
        service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 6, 1))
        service.import_file(
            ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1), make_applicant(2)])
        )
        yield service, Panels(store, service.evaluations)
    finally:
        store.close()


def _staff(panels: Panels, experts: int = 2) -> list[str]:
    """A 组长 and ``experts`` 评审专家; their names, 组长 first."""
    panels.add_member(ROUND, "王组长", unit="省经信厅", role="组长", evaluator="秘书")
    names = [f"专家{i}" for i in range(1, experts + 1)]
    for name in names:
        panels.add_member(ROUND, name, unit="某大学", role="评审专家", evaluator="秘书")
    return ["王组长", *names]


def _decide(service: StoreService, evaluator: str, uscc: str = A) -> None:
    service.apply_review(
        ROUND, uscc, evaluator=evaluator, confirm=[], ack_warnings=[], reason="专家组意见",
        decision="reject", opinion="不予推荐",
    )  # fmt: skip


def test_members_are_listed_chair_first_and_audited(panels):
    """Members keep name, unit and role; the 组长 is listed first; each addition is audited."""
    service, store = panels
    store.add_member(ROUND, "李专家", unit="某研究院", role="评审专家", evaluator="秘书")
    store.add_member(ROUND, "王组长", role="chair", evaluator="秘书")
    info = store.panel(ROUND)
    assert [(m.name, m.unit, m.role_label) for m in info.members] == [
        ("王组长", "", "组长"),
        ("李专家", "某研究院", "评审专家"),
    ]
    assert info.chair is not None and info.chair.name == "王组长"
    summaries = [e.summary for e in service.history(ROUND) if e.action.startswith("panel-")]
    assert summaries == [
        "专家组添加评审专家 李专家（某研究院）",
        "专家组添加组长 王组长（未填单位）",
    ]


def test_duplicate_member_and_second_chair_are_refused(panels):
    """A name already on the panel, a second 组长 and an unknown role are refused."""
    _, store = panels
    _staff(store, 1)
    with pytest.raises(PanelRefusedError, match="专家1 已是批次 “2026第一批” 的专家组成员"):
        store.add_member(ROUND, "专家1", role="评审专家", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="已有组长 王组长"):
        store.add_member(ROUND, "赵六", role="组长", evaluator="秘书")
    with pytest.raises(ReviewRuleError, match="只能是 评审专家、副组长 或 组长"):
        store.add_member(ROUND, "赵六", role="主任", evaluator="秘书")
    assert len(store.panel(ROUND).members) == 2


def test_removing_a_member_with_records_is_refused(panels):
    """A member who judged stays (their record belongs to the round); one who did not goes."""
    service, store = panels
    _staff(store, 2)
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="专家1 已在批次 “2026第一批” 中记录了 1 项"):
        store.remove_member(ROUND, "专家1", evaluator="秘书")
    store.remove_member(ROUND, "专家2", evaluator="秘书")
    assert [m.name for m in store.panel(ROUND).members] == ["王组长", "专家1"]
    assert service.history(ROUND)[-1].summary == "专家组移除评审专家 专家2"
    with pytest.raises(PanelRefusedError, match="专家2 不是批次 “2026第一批” 的专家组成员"):
        store.remove_member(ROUND, "专家2", evaluator="秘书")


def test_a_non_member_cannot_judge(panels):
    """Judging in the name of someone not on the panel is refused and names the members."""
    _, store = panels
    _staff(store, 1)
    with pytest.raises(PanelRefusedError, match=r"张三 不是.*成员（成员：王组长、专家1）"):
        store.judge(ROUND, A, member="张三", criterion="T-JUDGE", met=True, evaluator="秘书")


def test_a_recused_member_cannot_judge_or_give_an_opinion(panels):
    """After 回避 for an applicant a member can neither judge it nor give an opinion there;
    another applicant is still theirs to judge; 回避 needs a reason."""
    service, store = panels
    _staff(store, 2)
    with pytest.raises(ReviewRuleError, match="必须写明理由"):
        store.recuse(ROUND, A, member="专家1", reason=" ", evaluator="秘书")
    store.recuse(ROUND, A, member="专家1", reason="曾在该企业任职", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match=r"专家1 已声明回避企业.*曾在该企业任职；不能对其"):
        store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="不能发表评审意见"):
        store.opinion(ROUND, A, member="专家1", text="同意", evaluator="秘书")
    store.judge(ROUND, B, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    view = store.positions(ROUND, A)
    assert view.recusals == {"专家1": "曾在该企业任职"}
    judge = next(c for c in view.criteria if c.criterion == "T-JUDGE")
    assert [p.label for p in judge.positions] == ["未表态", "回避", "未表态"]
    assert service.history(ROUND, A)[-1].summary == "专家 专家1 声明回避（理由：曾在该企业任职）"


def test_a_recused_member_can_neither_confirm_nor_overrule_the_official_review(panels):
    """A member who declared 回避 cannot confirm or 改判 the applicant's criteria nor acknowledge
    its warnings in the official review (their conflict would reach the verdict there);
    nothing is saved; another applicant, another member and the 组长 may still confirm."""
    service, store = panels
    _staff(store, 2)
    store.recuse(ROUND, A, member="专家1", reason="曾在该企业任职", evaluator="秘书")
    before = service.review_state(ROUND, A)
    for confirm, ack in (([("T-JUDGE", "unmet")], []), ([], ["x-code"])):
        with pytest.raises(
            PanelRefusedError,
            match=r"评审专家 专家1 已声明回避企业 测试企业1有限公司.*：曾在该企业任职；不能确认或改判",
        ):
            service.apply_review(
                ROUND, A, evaluator="专家1", confirm=confirm, ack_warnings=ack,
                reason="回避后仍改判", decision=None, opinion=None,
            )  # fmt: skip
    assert service.review_state(ROUND, A).version == before.version
    assert store.refusals(ROUND, A, "专家1")[1] is not None
    assert store.refusals(ROUND, A, "专家2")[1] is None
    for who, uscc in (("专家1", B), ("专家2", A), ("王组长", A)):
        state = service.apply_review(
            ROUND, uscc, evaluator=who, confirm=[("T-JUDGE", "met")], ack_warnings=[],
            reason="已核实", decision=None, opinion=None,
        )  # fmt: skip
        assert state.version >= 1


def test_recusal_after_judging_is_refused(panels):
    """回避 is declared before judging: once a member judged an applicant it is refused."""
    _, store = panels
    _staff(store, 1)
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=False, evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="已对企业 测试企业1有限公司 作出 1 项判断"):
        store.recuse(ROUND, A, member="专家1", reason="亲属任职", evaluator="秘书")
    # An opinion is given too: it would stand beside the 回避.
    store.opinion(ROUND, B, member="专家1", text="同意", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="已对企业 测试企业2有限公司 发表意见，"):
        store.recuse(ROUND, B, member="专家1", reason="亲属任职", evaluator="秘书")


def test_a_late_recusal_is_the_chairs_and_withdraws_what_was_given(panels):
    """A conflict found after judging: the refusal says how to proceed; only the 组长 can
    record the 回避 then, which withdraws the member's judgements and opinion on that
    applicant (kept in the trail), so the panel's positions no longer count them."""
    service, store = panels
    _staff(store, 2)
    store.judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="9",
                evaluator="秘书")  # fmt: skip
    store.judge(ROUND, A, member="专家2", criterion="T-SCORE", met=True, points="5",
                evaluator="秘书")  # fmt: skip
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    store.opinion(ROUND, A, member="专家1", text="同意推荐", evaluator="秘书")
    with pytest.raises(PanelRefusedError) as refused:
        store.recuse(ROUND, A, member="专家1", reason="其亲属在该企业任职", evaluator="秘书")
    assert "如确需回避，须由组长 王组长确认并撤回其判断和意见" in str(refused.value)
    assert "--withdraw-judgements" in str(refused.value)
    with pytest.raises(PanelRefusedError, match="只有组长 王组长 可以"):
        store.recuse(ROUND, A, member="专家1", reason="其亲属在该企业任职", evaluator="专家2",
                     withdraw_judgements=True)  # fmt: skip
    store.recuse(ROUND, A, member="专家1", reason="其亲属在该企业任职", evaluator="王组长",
                 withdraw_judgements=True)  # fmt: skip
    view = store.positions(ROUND, A)
    assert view.recusals == {"专家1": "其亲属在该企业任职"}
    assert "专家1" not in view.opinions
    scored = next(c for c in view.criteria if c.criterion == "T-SCORE")
    assert [p.label for p in scored.positions] == ["未表态", "回避", "符合（5 分）"]
    assert scored.aggregate is not None and scored.aggregate.value == Decimal("5.00")
    assert service.history(ROUND, A)[-1].summary == (
        "组长 王组长 确认专家 专家1 回避（理由：其亲属在该企业任职），撤回其判断 T-JUDGE、T-SCORE"
        "和意见"
    )
    # The other applicant keeps the member's judgement.
    store.judge(ROUND, B, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    assert store.positions(ROUND, B).recusals == {}


def test_a_recusal_declared_in_error_is_withdrawn_by_the_chair(panels):
    """A 回避 recorded for the wrong applicant: the 组长 withdraws it with a reason (in the
    trail) and the member may judge again; anyone else is refused; a member not recused is
    said to be so."""
    service, store = panels
    _staff(store, 1)
    store.recuse(ROUND, A, member="专家1", reason="曾在该企业任职", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="只有组长 王组长 可以撤销回避"):
        store.withdraw_recusal(ROUND, A, member="专家1", reason="录入错误", evaluator="专家1")
    with pytest.raises(ReviewRuleError, match="必须写明理由"):
        store.withdraw_recusal(ROUND, A, member="专家1", reason=" ", evaluator="王组长")
    store.withdraw_recusal(
        ROUND, A, member="专家1", reason="录入错误，应为另一家", evaluator="王组长"
    )
    assert store.positions(ROUND, A).recusals == {}
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    assert service.history(ROUND, A)[-2].summary == (
        "组长 王组长 撤销专家 专家1 的回避（理由：录入错误，应为另一家）"
    )
    with pytest.raises(PanelRefusedError, match="专家1 没有声明回避企业 测试企业2有限公司"):
        store.withdraw_recusal(ROUND, B, member="专家1", reason="录入错误", evaluator="王组长")


def test_a_recused_chair_neither_lifts_their_own_recusal_nor_rules_on_others(panels):
    """A 组长 who declared 回避 for an enterprise cannot withdraw it (someone else would have
    to) nor record or withdraw another member's 回避 there; elsewhere they still can."""
    _, store = panels
    _staff(store, 1)
    store.recuse(ROUND, A, member="王组长", reason="曾在该企业任职三年", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="组长本人的回避不能由本人撤销"):
        store.withdraw_recusal(ROUND, A, member="王组长", reason="录入错误", evaluator="王组长")
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="组长 王组长 已声明回避企业 测试企业1有限公司"):
        store.recuse(ROUND, A, member="专家1", reason="亲属", evaluator="王组长",
                     withdraw_judgements=True)  # fmt: skip
    store.recuse(ROUND, B, member="专家1", reason="亲属", evaluator="王组长")
    store.withdraw_recusal(ROUND, B, member="专家1", reason="录入错误", evaluator="王组长")


def test_a_recusal_under_a_decision_asks_for_a_second_look(panels):
    """After the 组长 decided: a member's judgements withdrawn by a late 回避, or the 组长's own
    回避, mark the decision 需复核 (what the panel said, or who decides, changed); a 回避 of a
    member who had said nothing does not; deciding again clears it."""
    service, store = panels
    _staff(store, 2)
    store.judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="9",
                evaluator="秘书")  # fmt: skip
    _decide(service, "王组长")
    store.recuse(ROUND, A, member="专家2", reason="亲属", evaluator="秘书")
    assert service.review_state(ROUND, A).decision_outdated_reason == ""
    store.recuse(ROUND, A, member="专家1", reason="其亲属在该企业任职", evaluator="王组长",
                 withdraw_judgements=True)  # fmt: skip
    # It says what changed (专家2's 回避 before judging changed nothing, and is not named).
    reason = (
        "决定作出后专家组有变（组长 王组长 确认专家 专家1 回避（理由：其亲属在该企业任职），"
        "撤回其判断 T-SCORE）"
    )
    assert service.review_state(ROUND, A).decision_outdated_reason == reason
    assert store.positions(ROUND, A).decision_outdated_reason == reason
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert row.decision_outdated_reason == reason
    _decide(service, "王组长")
    assert service.review_state(ROUND, A).decision_outdated_reason == ""
    _decide(service, "王组长", B)
    store.recuse(ROUND, B, member="王组长", reason="曾在该企业任职", evaluator="秘书")
    assert service.review_state(ROUND, B).decision_outdated_reason == (
        "决定作出后专家组有变（组长 王组长 声明回避（理由：曾在该企业任职））"
    )


def test_only_the_chair_decides(panels):
    """In a round with a panel an expert and a non-member are refused the final decision;
    the 组长 decides; a recused 组长 is refused for that applicant."""
    service, store = panels
    _staff(store, 1)
    with pytest.raises(PanelRefusedError, match="只能由组长 王组长作出；专家1 是评审专家"):
        _decide(service, "专家1")
    with pytest.raises(PanelRefusedError, match="秘书 不是专家组成员"):
        _decide(service, "秘书")
    assert service.review_state(ROUND, A).decision is None
    _decide(service, "王组长")
    assert service.review_state(ROUND, A).decision == "reject"
    store.recuse(ROUND, B, member="王组长", reason="关联企业", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="组长 王组长 已声明回避企业 测试企业2有限公司"):
        _decide(service, "王组长", B)


def test_the_deputy_decides_where_the_chair_declared_a_recusal(panels):
    """Where the 组长 declared 回避, the 副组长 makes the final decision and handles others'
    回避 there; elsewhere the 副组长 is an expert like the others. Without a 副组长, or where
    every 副组长 declared 回避 too, the refusal says to add one; the first 副组长 added who has
    not declared 回避 presides."""
    service, store = panels
    _staff(store, 1)
    store.recuse(ROUND, B, member="王组长", reason="曾在该企业任职", evaluator="秘书")
    with pytest.raises(PanelRefusedError) as refused:
        _decide(service, "王组长", B)
    assert str(refused.value) == (
        "组长 王组长 已声明回避企业 测试企业2有限公司（" + B + "）：曾在该企业任职；不能对其"
        "作出最终决定；专家组没有副组长可以代行，须先添加一名（窗口：评审 → 专家组…；"
        "命令行：zjtx panel add 批次名称 --name 姓名 --role 副组长）"
    )
    store.add_member(ROUND, "李副组长", unit="某研究院", role="副组长", evaluator="秘书")
    assert [(m.name, m.role_label) for m in store.panel(ROUND).members] == [
        ("王组长", "组长"), ("李副组长", "副组长"), ("专家1", "评审专家"),
    ]  # fmt: skip
    with pytest.raises(PanelRefusedError) as refused:
        _decide(service, "李副组长", A)
    assert str(refused.value).startswith(
        "批次 “2026第一批” 设有评审专家组，最终决定只能由组长 王组长作出；李副组长 是副组长"
        "（组长回避的企业由其代行决定）"
    )
    with pytest.raises(PanelRefusedError, match=r"组长 王组长 已声明回避.*由副组长 李副组长代行"):
        _decide(service, "王组长", B)
    with pytest.raises(PanelRefusedError) as refused:
        _decide(service, "专家1", B)
    assert str(refused.value).startswith(
        "批次 “2026第一批” 设有评审专家组，最终决定只能由副组长 李副组长作出（组长 王组长 已回避"
        "该企业）；专家1 是评审专家"
    )
    assert store.refusals(ROUND, B, "李副组长")[0] is None
    _decide(service, "李副组长", B)
    assert service.review_state(ROUND, B).decision == "reject"
    # Others' 回避 there are the 副组长's to handle, the 组长's own 回避 included.
    store.judge(ROUND, B, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="只有副组长 李副组长 可以确认评审后的回避"):
        store.recuse(ROUND, B, member="专家1", reason="亲属", evaluator="王组长",
                     withdraw_judgements=True)  # fmt: skip
    store.recuse(ROUND, B, member="专家1", reason="亲属", evaluator="李副组长",
                 withdraw_judgements=True)  # fmt: skip
    assert "副组长 李副组长 确认专家 专家1 回避（理由：亲属），撤回其判断 T-JUDGE" in [
        e.summary for e in service.history(ROUND, B)
    ]
    assert service.review_state(ROUND, B).decision_outdated_reason == (
        "决定作出后专家组有变（专家 专家1 判断 T-JUDGE 主导产品属于重点领域：符合；"
        "副组长 李副组长 确认专家 专家1 回避（理由：亲属），撤回其判断 T-JUDGE）"
    )
    store.recuse(ROUND, A, member="专家1", reason="亲属", evaluator="秘书")
    with pytest.raises(PanelRefusedError, match="只有组长 王组长 可以撤销回避"):
        store.withdraw_recusal(ROUND, A, member="专家1", reason="录入错误", evaluator="李副组长")
    store.withdraw_recusal(ROUND, B, member="王组长", reason="录入错误", evaluator="李副组长")
    assert store.refusals(ROUND, B, "王组长")[0] is None
    assert store.refusals(ROUND, B, "李副组长")[0] is not None
    # A 副组长 who declared 回避 too leaves nobody to decide: the refusal says so, and a
    # second 副组长 presides once added.
    store.recuse(ROUND, A, member="王组长", reason="关联企业", evaluator="秘书")
    store.recuse(ROUND, A, member="李副组长", reason="关联企业", evaluator="秘书")
    assert store.refusals(ROUND, A, "王组长")[0].endswith(
        "；副组长 李副组长 也已回避，须再添加一名副组长代行（窗口：评审 → 专家组…；"
        "命令行：zjtx panel add 批次名称 --name 姓名 --role 副组长）"
    )
    assert store.refusals(ROUND, A, "李副组长")[0] == (
        f"副组长 李副组长 已声明回避企业 测试企业1有限公司（{A}）：关联企业；不能对其作出最终决定"
    )
    assert store.refusals(ROUND, A, "秘书")[0].startswith(
        "批次 “2026第一批” 设有评审专家组，最终决定暂无人可以作出：组长 王组长 已回避该企业，"
        "副组长 李副组长 也已回避，须再添加一名副组长代行（窗口："
    )
    assert store.positions(ROUND, B).presiding == "王组长"
    assert store.positions(ROUND, A).presiding is None
    store.add_member(ROUND, "赵副组长", role="deputy", evaluator="秘书")
    assert store.positions(ROUND, A).presiding == "赵副组长"
    assert store.refusals(ROUND, A, "赵副组长")[0] is None
    assert [m.name for m in store.panel(ROUND).members] == [
        "王组长",
        "李副组长",
        "赵副组长",
        "专家1",
    ]


def test_a_decision_needs_a_second_look_when_who_presides_changes(panels):
    """A 回避 that changes who presides over an enterprise (the 组长's lifted after a 副组长
    decided, or a 副组长's declared after they decided) marks the decision 需复核; a 回避 of a
    副组长 who does not preside there, having said nothing, changes nobody and marks nothing."""
    service, store = panels
    _staff(store, 1)
    store.add_member(ROUND, "李副组长", role="deputy", evaluator="秘书")
    store.add_member(ROUND, "赵副组长", role="deputy", evaluator="秘书")
    _decide(service, "王组长", A)
    store.recuse(ROUND, A, member="赵副组长", reason="关联企业", evaluator="秘书")
    assert service.review_state(ROUND, A).decision_outdated_reason == ""
    store.recuse(ROUND, B, member="王组长", reason="曾在该企业任职", evaluator="秘书")
    _decide(service, "李副组长", B)
    assert service.review_state(ROUND, B).decision_outdated_reason == ""
    store.withdraw_recusal(ROUND, B, member="王组长", reason="录入错误", evaluator="李副组长")
    reason = "决定作出后专家组有变（副组长 李副组长 撤销组长 王组长 的回避（理由：录入错误））"
    assert service.review_state(ROUND, B).decision_outdated_reason == reason
    assert "副组长 李副组长 撤销组长 王组长 的回避（理由：录入错误）" in [
        e.summary for e in service.history(ROUND, B)
    ]
    _decide(service, "王组长", B)
    assert service.review_state(ROUND, B).decision_outdated_reason == ""
    # The 组长 away again, the first 副组长 decides, then declares 回避 too: 赵副组长 presides.
    store.recuse(ROUND, B, member="王组长", reason="曾在该企业任职", evaluator="秘书")
    _decide(service, "李副组长", B)
    store.recuse(ROUND, B, member="李副组长", reason="其配偶在该企业任职", evaluator="秘书")
    assert service.review_state(ROUND, B).decision_outdated_reason == (
        "决定作出后专家组有变（副组长 李副组长 声明回避（理由：其配偶在该企业任职））"
    )
    assert store.positions(ROUND, B).presiding == "赵副组长"


def test_a_deputy_without_a_chair_is_told_a_chair_is_missing(panels):
    """A panel with a 副组长 but no 组长 yet: nobody decides, and the 副组长 is told the
    组长 is missing, not that they stand in for one."""
    _, store = panels
    store.add_member(ROUND, "李副组长", role="deputy", evaluator="秘书")
    refusal = store.refusals(ROUND, A, "李副组长")[0]
    assert refusal.startswith(
        "批次 “2026第一批” 设有评审专家组，最终决定只能由组长作出（专家组尚未指定组长，请先添加）；"
        "李副组长 是副组长，请在"
    )
    assert store.positions(ROUND, A).presiding is None


def test_a_member_who_decided_stays_on_the_panel(panels):
    """A 副组长 who made a final decision (and recorded nothing else) cannot be removed: the
    printed 评审意见表 names the decider with their role on the panel."""
    service, store = panels
    _staff(store, 1)
    store.add_member(ROUND, "李副组长", role="deputy", evaluator="秘书")
    store.recuse(ROUND, B, member="王组长", reason="曾在该企业任职", evaluator="秘书")
    _decide(service, "李副组长", B)
    with pytest.raises(PanelRefusedError, match="李副组长 已对批次 “2026第一批” 的 1 家企业作出"):
        store.remove_member(ROUND, "李副组长", evaluator="秘书")
    assert [m.name for m in store.panel(ROUND).members] == ["王组长", "李副组长", "专家1"]


def test_the_refusal_a_window_shows_is_the_one_a_decision_gets(panels):
    """decision_refusal says what deciding would be refused with: for an expert, a
    non-member and a recused 组长; nothing for the 组长, for a round without a panel, or
    for no evaluator at all (saving then asks for one)."""
    service, store = panels
    assert store.refusals(ROUND, A, "专家1")[0] is None  # no panel yet
    _staff(store, 1)
    store.recuse(ROUND, B, member="王组长", reason="关联企业", evaluator="秘书")
    for who, uscc in (("专家1", A), ("秘书", A), ("王组长", B)):
        refusal = store.refusals(ROUND, uscc, who)[0]
        with pytest.raises(PanelRefusedError) as caught:
            _decide(service, who, uscc)
        assert refusal == str(caught.value)
    assert store.refusals(ROUND, A, "王组长")[0] is None
    assert store.refusals(ROUND, A, " ")[0] is None


def test_a_round_without_panel_is_single_evaluator(panels):
    """Without a panel whoever reviews decides, as before."""
    service, _ = panels
    _decide(service, "张三")
    assert service.review_state(ROUND, A).decided_by == "张三"


def test_a_batch_by_an_expert_is_refused_per_applicant(panels):
    """A batch decision by a 评审专家 decides nothing and lists every applicant as refused."""
    service, store = panels
    _staff(store, 1)
    targets = [(A, 0), (B, 0)]
    result = service.reviews.decide_batch(
        ROUND, targets, decision="reject", opinion_template="不予推荐", reason="批量",
        evaluator="专家1",
    )  # fmt: skip
    assert [i.outcome for i in result.items] == ["refused", "refused"]
    assert "只能由组长 王组长作出" in result.items[0].message


def test_judgements_check_item_and_points(panels):
    """Only judgement items can be judged (a computed one is named as such, a typo gets a
    "did you mean"); a scored one needs points within its maximum, an unscored one takes
    none, and 不符合 means 0 points."""
    _, store = panels
    _staff(store, 1)
    judge = store.judge
    with pytest.raises(
        NotFoundError,
        match=r"T-REV 营业收入门槛由申报数据计算得出.*不需专家判断；可判断的条目：T-JUDGE、T-SCORE",
    ):
        judge(ROUND, A, member="专家1", criterion="T-REV", met=True, evaluator="秘书")
    with pytest.raises(NotFoundError, match=r"没有需人工判断的条目 “T-SCOR”.*“T-SCORE”"):
        judge(ROUND, A, member="专家1", criterion="T-SCOR", met=True, evaluator="秘书")
    with pytest.raises(ReviewRuleError, match="请用 --points 给出本人评分（0～10 分）"):
        judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, evaluator="秘书")
    with pytest.raises(ReviewRuleError, match=r"最高 10 分，收到 10\.5 分"):
        judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="10.5",
              evaluator="秘书")  # fmt: skip
    with pytest.raises(ReviewRuleError, match="分数应是数字"):
        judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="八",
              evaluator="秘书")  # fmt: skip
    with pytest.raises(ReviewRuleError, match=r"不符合时.*只能是 0"):
        judge(ROUND, A, member="专家1", criterion="T-SCORE", met=False, points="3",
              evaluator="秘书")  # fmt: skip
    with pytest.raises(ReviewRuleError, match="T-JUDGE 不计分"):
        judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, points="3",
              evaluator="秘书")  # fmt: skip
    assert store.positions(ROUND, A).members[1].judgements == 0
    judge(ROUND, A, member="专家1", criterion="T-SCORE", met=False, points="-0", evaluator="秘书")
    item = next(c for c in store.positions(ROUND, A).criteria if c.criterion == "T-SCORE")
    assert str(item.positions[1].points) == "0"  # a typed -0 is 0, not "符合（-0 分）"


def test_positions_agree_disagree_and_replace(panels):
    """Positions per criterion: open while some have not judged, agree when all judged
    alike, disagree when both 符合 and 不符合 are given; judging again replaces, audited."""
    service, store = panels
    names = _staff(store, 2)

    def agreement() -> str:
        view = store.positions(ROUND, A)
        return next(c for c in view.criteria if c.criterion == "T-JUDGE").agreement

    assert agreement() == NONE
    store.judge(ROUND, A, member=names[0], criterion="T-JUDGE", met=True, evaluator="秘书")
    assert agreement() == OPEN
    for name in names[1:]:
        store.judge(ROUND, A, member=name, criterion="T-JUDGE", met=True, evaluator="秘书")
    assert agreement() == AGREE
    store.judge(ROUND, A, member="专家2", criterion="T-JUDGE", met=False, note="证明材料不足",
                evaluator="秘书")  # fmt: skip
    view = store.positions(ROUND, A)
    judge = next(c for c in view.criteria if c.criterion == "T-JUDGE")
    assert (judge.agreement, judge.met, judge.unmet, judge.agreement_label) == (
        DISAGREE, 2, 1, "有分歧",
    )  # fmt: skip
    assert [p.label for p in judge.positions] == ["符合", "符合", "不符合"]
    assert judge.positions[2].note == "证明材料不足"
    last = service.history(ROUND, A)[-1]
    assert last.before == {"met": True, "points": None, "note": ""}
    # The change says what the judgement was, as a confirmation's 符合→不符合 does.
    assert (
        last.summary == "专家 专家2 判断 T-JUDGE 主导产品属于重点领域：符合→不符合（证明材料不足）"
    )


def test_opinions_and_the_decision_beside_them(panels):
    """Members' opinions and the 组长's final decision are read together."""
    service, store = panels
    _staff(store, 1)
    store.opinion(ROUND, A, member="专家1", text="建议推荐", evaluator="秘书")
    store.opinion(ROUND, A, member="专家1", text="建议不予推荐", evaluator="秘书")
    _decide(service, "王组长")
    view = store.positions(ROUND, A)
    assert view.opinions == {"专家1": "建议不予推荐"}
    assert (view.decision, view.decision_label, view.decided_by, view.opinion) == (
        "reject", "不推荐", "王组长", "不予推荐",
    )  # fmt: skip


def test_a_rounds_positions_read_at_once_are_each_applicants_positions(panels):
    """round_positions (the summary sheet's read) gives, in 统一社会信用代码 order, exactly what
    positions gives applicant by applicant: judgements, points, 回避, opinions, decisions."""
    service, store = panels
    _staff(store, 2)
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    store.judge(
        ROUND, A, member="专家2", criterion="T-SCORE", met=True, points="8", evaluator="秘书"
    )
    store.recuse(ROUND, B, member="专家1", reason="曾在该企业任职", evaluator="秘书")
    store.judge(ROUND, B, member="专家2", criterion="T-JUDGE", met=False, evaluator="秘书")
    store.opinion(ROUND, B, member="专家2", text="建议不予推荐", evaluator="秘书")
    _decide(service, "王组长", B)
    views = store.round_positions(ROUND)
    assert [v.uscc for v in views] == sorted([A, B])
    assert views == [store.positions(ROUND, uscc) for uscc in sorted([A, B])]
    decided = next(v for v in views if v.uscc == B)
    assert (decided.decision, decided.decided_by) == ("reject", "王组长")
    assert decided.recusals == {"专家1": "曾在该企业任职"}
    assert {c.criterion for c in views[0].criteria} == {"T-JUDGE", "T-SCORE"}


@pytest.mark.parametrize(
    ("rule", "points", "value", "dropped"),
    [
        ("mean", ["7", "8", "9.5"], "8.17", ()),  # 24.5 / 3 = 8.1666… → 8.17
        (TRIMMED, ["7", "8", "9"], "8.00", ()),  # fewer than 5: plain mean
        (TRIMMED, ["6", "7", "8", "9", "10"], "8.00", ("10", "6")),
        ("mean", ["6", "7", "8", "9", "10"], "8.00", ()),
        (TRIMMED, ["5", "7", "7.5", "8", "8.5", "9", "10"], "8.00", ("10", "5")),
        (TRIMMED, ["0", "9.9", "9.9", "9.9", "10"], "9.90", ("10", "0")),
    ],
)
def test_aggregation_rules(rule, points, value, dropped):
    """Mean, and 去掉一个最高分和一个最低分 from 5 members up, exact to two places."""
    result = aggregate([Decimal(p) for p in points], rule)
    assert str(result.value) == value
    assert tuple(str(d) for d in result.dropped) == dropped
    assert len(result.used) == len(points) - len(dropped)


@pytest.mark.parametrize(
    ("members", "points", "rule", "value"),
    [
        (3, ["7", "8", "8.5"], "mean", "7.83"),
        (5, ["6", "7", "8", "9", "10"], TRIMMED, "8.00"),
        (7, ["2", "7", "7.5", "8", "8.5", "9", "10"], TRIMMED, "8.00"),
        (7, ["2", "7", "7.5", "8", "8.5", "9", "10"], "mean", "7.43"),
    ],
)
def test_panel_points_are_aggregated_by_the_rounds_rule(panels, members, points, rule, value):
    """3, 5 and 7 members' points on a scored item combine by the panel's rule; a recused
    member's points never count."""
    _, store = panels
    names = _staff(store, members - 1)
    store.set_aggregation(ROUND, rule, evaluator="秘书")
    for name, given in zip(names, points, strict=True):
        store.judge(ROUND, A, member=name, criterion="T-SCORE", met=True, points=given,
                    evaluator="秘书")  # fmt: skip
    store.add_member(ROUND, "回避专家", role="评审专家", evaluator="秘书")
    store.recuse(ROUND, A, member="回避专家", reason="利益相关", evaluator="秘书")
    item = next(c for c in store.positions(ROUND, A).criteria if c.criterion == "T-SCORE")
    assert item.scored and item.max_points == Decimal(10)
    assert item.aggregate is not None and str(item.aggregate.value) == value
    assert item.agreement == AGREE  # the recused member is not waited for


def test_set_aggregation_needs_a_panel_and_a_known_rule(panels):
    """The rule is chosen on an existing panel, by name."""
    _, store = panels
    with pytest.raises(PanelRefusedError, match="还没有专家组"):
        store.set_aggregation(ROUND, "mean", evaluator="秘书")
    _staff(store, 1)
    with pytest.raises(ReviewRuleError, match="评分汇总规则只能是"):
        store.set_aggregation(ROUND, "median", evaluator="秘书")
    note = store.set_aggregation(ROUND, "去掉一个最高分和一个最低分后平均", evaluator="秘书")
    assert store.panel(ROUND).aggregation == TRIMMED
    # Two members can never give five scores: said when the rule is chosen.
    assert note == (
        "注意：去掉一个最高分和一个最低分须有 5 名及以上专家评分；本专家组现有 2 名成员，"
        "评分不足 5 人的条目按算术平均"
    )
    assert store.set_aggregation(ROUND, "mean", evaluator="秘书") is None
    for n in range(2, 5):
        store.add_member(ROUND, f"专家{n}", unit="", role="评审专家", evaluator="秘书")
    assert store.set_aggregation(ROUND, "trimmed", evaluator="秘书") is None


def test_upgrading_a_0007_database_adds_panels(database_url, tmp_path):
    """A database at revision 0007 with a round is migrated; the round gets a panel."""
    location = resolve_location(database_url)
    engine = create_store_engine(location)
    migrate(engine, location, target="0007")
    insert_old_round(engine, "旧批次")
    engine.dispose()
    with open_store(database_url) as store:
        assert current_revision(store.engine) == head_revision()  # 0008 or later
        service = StoreService(store, scorer=PanelScorer())
        panels = Panels(store, service.evaluations)
        panels.add_member("旧批次", "王组长", role="组长", evaluator="秘书")
        assert [m.name for m in panels.panel("旧批次").members] == ["王组长"]


def test_member_points_stay_within_what_the_applicants_data_allows(database_url, tmp_path):
    """With the bundled rulebooks, IN22-S1 of a 主导产品 at 40 % of revenue can earn 0 to its
    band's points, not the item's maximum: a member's higher score is refused naming both,
    the allowed range is shown, and a 组长's 不符合 does not narrow what members may give."""
    path = tmp_path / "a.json"
    record = write_lead_product_sample(path)
    store = open_store(database_url)
    try:
        service = StoreService(store)  # the bundled rulebooks
        service.create_round(ROUND, tier="innovative-sme", round_date=date(2025, 6, 1))
        service.import_paths(ROUND, [path])
        uscc = record["uscc"]
        criterion = next(
            c for c in service.review_state(ROUND, uscc).evaluation["criteria"]
            if c["id"] == "IN22-S1"
        )  # fmt: skip
        assert criterion["state"] == "manual"
        low, high, top = (Decimal(str(criterion[k])) for k in ("points_min", "points_max",
                                                                 "max_points"))  # fmt: skip
        assert low == 0 and 0 < high < top
        panels = Panels(store, service.evaluations)
        _staff(panels, 1)
        item = next(c for c in panels.positions(ROUND, uscc).criteria if c.criterion == "IN22-S1")
        assert (item.points_high, item.max_points) == (high, top)
        with pytest.raises(
            ReviewRuleError, match=f"最高可得 {high} 分（满分 {top} 分），收到 {top}"
        ):
            panels.judge(ROUND, uscc, member="专家1", criterion="IN22-S1", met=True, points=top,
                         evaluator="秘书")  # fmt: skip
        with pytest.raises(ReviewRuleError, match=f"（0～{high} 分）"):
            panels.judge(ROUND, uscc, member="专家1", criterion="IN22-S1", met=True,
                         evaluator="秘书")  # fmt: skip
        panels.judge(ROUND, uscc, member="专家1", criterion="IN22-S1", met=True, points=high,
                     evaluator="秘书")  # fmt: skip
        service.apply_review(
            ROUND, uscc, evaluator="王组长", confirm=[("IN22-S1", "unmet")], ack_warnings=[],
            reason="主导产品与知识产权无关", decision=None, opinion=None,
        )  # fmt: skip
        confirmed = next(
            c for c in service.review_state(ROUND, uscc).evaluation["criteria"]
            if c["id"] == "IN22-S1"
        )  # fmt: skip
        assert confirmed["points_max"] == 0  # the decision collapsed the range...
        item = next(c for c in panels.positions(ROUND, uscc).criteria if c.criterion == "IN22-S1")
        assert item.points_high == high  # ...not what a member may give
        assert panels.round_positions(ROUND) == [panels.positions(ROUND, uscc)]
        panels.judge(ROUND, uscc, member="王组长", criterion="IN22-S1", met=True, points=high,
                     evaluator="秘书")  # fmt: skip
        assert item.positions[1].points == high
    finally:
        store.close()


def test_a_scoring_rule_changed_after_a_decision_asks_for_a_second_look(panels):
    """The panel's rule changed (mean → trimmed) after the 组长 decided an applicant whose
    points five members gave: that decision reads 需复核 (its review version moves), saying the
    panel changed; one whose item has two scores (none dropped) is not marked; the same rule
    again changes nothing."""
    service, store = panels
    names = _staff(store, 4)
    for name, points in zip(names, ("6", "7", "8", "9", "10"), strict=True):
        store.judge(ROUND, A, member=name, criterion="T-SCORE", met=True, points=points,
                    evaluator="秘书")  # fmt: skip
    for name, points in zip(names[:2], ("6", "9"), strict=True):  # two: no score dropped
        store.judge(ROUND, B, member=name, criterion="T-SCORE", met=True, points=points,
                    evaluator="秘书")  # fmt: skip
    _decide(service, "王组长", A)
    _decide(service, "王组长", B)
    version = service.review_state(ROUND, A).version
    store.set_aggregation(ROUND, "mean", evaluator="秘书")  # the rule it already had
    assert service.review_state(ROUND, A).decision_outdated_reason == ""
    store.set_aggregation(ROUND, "trimmed", evaluator="秘书")
    assert service.review_state(ROUND, A).decision_outdated_reason == (
        "决定作出后专家组有变（专家组评分汇总规则改为：去掉一个最高分和一个最低分后平均）"
    )
    assert service.review_state(ROUND, A).version == version + 1
    assert service.review_state(ROUND, B).decision_outdated_reason == ""


def test_a_second_look_names_what_the_panel_changed_after_the_decision(panels):
    """Four changes after the 组长 decided: the 需复核 reason names the first three in the
    trail's words (an opinion named, not quoted; an entry made again unchanged, or made
    before the decision, not at all) and counts the rest; the table's row says the same."""
    service, store = panels
    _staff(store, 2)
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="专家1")
    _decide(service, "王组长")
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="专家1")
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=False, evaluator="专家1")
    store.opinion(
        ROUND, A, member="专家1", text="市场占有率证明不足，不同意推荐", evaluator="专家1"
    )
    store.judge(ROUND, A, member="专家2", criterion="T-JUDGE", met=False, evaluator="专家2")
    store.opinion(ROUND, A, member="专家2", text="同意专家1", evaluator="专家2")
    reason = (
        "决定作出后专家组有变（专家 专家1 判断 T-JUDGE 主导产品属于重点领域：符合→不符合；"
        "专家 专家1 发表了意见；专家 专家2 判断 T-JUDGE 主导产品属于重点领域：不符合；"
        "另有 1 项，见评审留痕）"
    )
    assert service.review_state(ROUND, A).decision_outdated_reason == reason
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert row.decision_outdated_reason == reason
    assert store.positions(ROUND, A).decision_outdated_reason == reason


def test_a_second_look_names_only_what_moved_the_decision(panels):
    """After the decision, a change of rule that leaves A's aggregate as it was (no scores),
    a 副组长's 回避 declared before judging while the 组长 presides, and an ordinary
    member's 回避 lifted move nothing; a later judgement then needs a second look, and its
    reason names that judgement alone."""
    service, store = panels
    _staff(store, 2)
    store.add_member(ROUND, "李副组长", role="副组长", evaluator="秘书")
    store.recuse(ROUND, A, member="专家2", reason="亲属", evaluator="专家2")
    _decide(service, "王组长", A)
    store.set_aggregation(ROUND, "trimmed", evaluator="秘书")
    store.recuse(ROUND, A, member="李副组长", reason="亲属", evaluator="李副组长")
    store.withdraw_recusal(ROUND, A, member="专家2", reason="录入错误", evaluator="王组长")
    assert service.review_state(ROUND, A).decision_outdated_reason == ""
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="专家1")
    reason = "决定作出后专家组有变（专家 专家1 判断 T-JUDGE 主导产品属于重点领域：符合）"
    assert service.review_state(ROUND, A).decision_outdated_reason == reason
    assert (
        next(r for r in service.list_applicants(ROUND) if r.uscc == A).decision_outdated_reason
        == reason
    )


def test_a_judgement_or_opinion_entered_for_a_member_by_another_says_so(panels):
    """A secretary entering an expert's judgement and opinion from the paper form: the panel
    view names who entered them (代录), as the audit trail does; a member's own entries, or
    one re-entered by the member after, are not marked."""
    _, store = panels
    _staff(store, 2)
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="秘书")
    store.opinion(ROUND, A, member="专家1", text="同意推荐", evaluator="秘书")
    store.judge(ROUND, A, member="专家2", criterion="T-JUDGE", met=False, evaluator="秘书")
    store.judge(ROUND, A, member="专家2", criterion="T-JUDGE", met=False, evaluator="专家2")
    store.opinion(ROUND, A, member="王组长", text="同意", evaluator="王组长")
    view = store.positions(ROUND, A)
    assert view.proxies == {"专家1": ("秘书",)} and view.opinion_proxies == {"专家1": "秘书"}
    records = store.round_records(ROUND)
    assert records is not None
    assert records.applicant(A, "甲", []).proxies == {"专家1": ("秘书",)}
    # Withdrawn by a 回避, the secretary's entries are no longer on record: no 代录.
    store.recuse(ROUND, A, member="专家1", reason="亲属任职", evaluator="王组长",
                 withdraw_judgements=True)  # fmt: skip
    assert store.positions(ROUND, A).proxies == {}


def test_a_member_cannot_enter_a_colleague_s_judgement_or_opinion(panels):
    """专家2 entering 专家1's judgement or opinion is refused, naming who may (the member, the
    one presiding, staff off the panel); so is a member who declared 回避 there; the 组长
    may (代录), and where the 组长 declared 回避 the 副组长 presiding may, the 组长 not.
    Nothing refused reaches the positions."""
    _, store = panels
    _staff(store, 2)
    store.add_member(ROUND, "李副组长", role="副组长", evaluator="秘书")
    refused = "专家2 是专家组成员，不能代录 专家1 的判断：专家的判断由本人录入，或由主持该企业评审的组长 王组长、专家组以外的工作人员据其签字的评审表代录"
    with pytest.raises(PanelRefusedError) as caught:
        store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=False, evaluator="专家2")
    assert str(caught.value) == refused
    with pytest.raises(PanelRefusedError, match="不能代录 专家1 的意见"):
        store.opinion(ROUND, A, member="专家1", text="反对推荐", evaluator="专家2")
    with pytest.raises(PanelRefusedError, match="专家2 是专家组成员，不能代录 专家1 的回避"):
        store.recuse(ROUND, A, member="专家1", reason="据说有亲属关系", evaluator="专家2")
    assert store.positions(ROUND, A).recusals == {}
    store.recuse(ROUND, A, member="专家2", reason="曾在该企业任职", evaluator="专家2")
    with pytest.raises(PanelRefusedError, match="专家2 是专家组成员，不能代录 专家1 的意见"):
        store.opinion(ROUND, A, member="专家1", text="强烈建议推荐", evaluator="专家2")
    assert store.positions(ROUND, A).opinions == {}
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="王组长")
    store.opinion(ROUND, A, member="专家1", text="同意推荐", evaluator="秘书")
    view = store.positions(ROUND, A)
    assert view.proxies == {"专家1": ("王组长", "秘书")}
    assert view.opinion_proxies == {"专家1": "秘书"}
    # Where the 组长 declared 回避 the 副组长 presides: they may enter a member's, the 组长 not.
    store.recuse(ROUND, B, member="王组长", reason="亲属任职", evaluator="王组长")
    store.judge(ROUND, B, member="专家1", criterion="T-JUDGE", met=True, evaluator="李副组长")
    with pytest.raises(PanelRefusedError, match="由主持该企业评审的副组长 李副组长、"):
        store.judge(ROUND, B, member="专家1", criterion="T-JUDGE", met=False, evaluator="王组长")


def test_a_member_s_change_moves_the_review_so_a_stale_decision_conflicts(panels):
    """A member's judgement or opinion recorded after the 组长 read the applicant moves its
    review version: the 组长's decision saved with the version read conflicts, naming the
    member's change; saved on the new version it stands. A member's judgement after the
    decision marks it for a second look (需复核)."""
    from zjtx.store.errors import ConflictError

    service, store = panels
    _staff(store, 1)
    seen = service.review_state(ROUND, A).version
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=False, note="存在控股关系",
                evaluator="专家1")  # fmt: skip
    store.opinion(ROUND, A, member="专家1", text="反对推荐", evaluator="专家1")
    with pytest.raises(ConflictError) as conflict:
        service.apply_review(
            ROUND, A, evaluator="王组长", confirm=[], ack_warnings=[], reason=None,
            decision="reject", opinion="专家组一致同意", expected_version=seen,
        )  # fmt: skip
    assert "专家1" in str(conflict.value) and "反对推荐" in str(conflict.value)
    assert service.review_state(ROUND, A).decision is None
    now = service.review_state(ROUND, A).version
    assert now == seen + 2
    service.apply_review(
        ROUND, A, evaluator="王组长", confirm=[], ack_warnings=[], reason=None,
        decision="reject", opinion="不予推荐", expected_version=now,
    )  # fmt: skip
    assert service.review_state(ROUND, A).decision_outdated_reason == ""
    store.judge(ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="专家1")
    reason = service.review_state(ROUND, A).decision_outdated_reason
    assert (
        reason
        == "决定作出后专家组有变（专家 专家1 判断 T-JUDGE 主导产品属于重点领域：不符合→符合）"
    )


def test_a_recusal_says_which_official_confirmations_stay_in_force(panels):
    """A member who confirmed a criterion in the official review and then declares 回避: the
    回避 is recorded, and it says that confirmation stays in force for the 组长 to review
    (the trail keeps the list); a member who confirmed nothing gets no such note."""
    service, store = panels
    _staff(store, 2)
    service.apply_review(
        ROUND, A, evaluator="专家1", confirm=[("T-JUDGE", "met")], ack_warnings=[],
        reason="已核实", decision=None, opinion=None,
    )  # fmt: skip
    note = store.recuse(ROUND, A, member="专家1", reason="其配偶在该企业任职", evaluator="专家1")
    assert note == (
        "专家1 回避前在评审中对 T-JUDGE 的确认或改判仍然有效，请组长复核这些条目（重新确认或改判）"
    )
    event = [e for e in service.history(ROUND, A) if e.action == "panel-recusal"][-1]
    assert event.after["confirmations_kept"] == ["T-JUDGE"]
    assert store.recuse(ROUND, A, member="专家2", reason="亲属", evaluator="专家2") is None


def test_a_changed_scored_judgement_says_its_points_before_and_after(panels):
    """A member who changes a scored item's points: the history says 符合（8 分）→符合（6 分）."""
    service, store = panels
    _staff(store, 1)
    store.judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="8",
                evaluator="专家1")  # fmt: skip
    first = service.history(ROUND, A)[-1].summary
    assert first.endswith("：符合（8 分）")
    store.judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="6",
                evaluator="专家1")  # fmt: skip
    assert service.history(ROUND, A)[-1].summary.endswith("：符合（8 分）→符合（6 分）")


def test_the_same_judgement_or_opinion_saved_again_changes_nothing(panels):
    """A member saving the same judgement (points written 8.0 for 8) or opinion again after
    the 组长 decided: no new version and no 需复核; the trail says who entered it again,
    unchanged (代录 follows the last entry)."""
    service, store = panels
    _staff(store, 1)
    store.judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="8",
                note="材料齐全", evaluator="专家1")  # fmt: skip
    store.opinion(ROUND, A, member="专家1", text="同意", evaluator="专家1")
    _decide(service, "王组长")
    state = service.review_state(ROUND, A)
    events = len(service.history(ROUND, A))
    store.judge(ROUND, A, member="专家1", criterion="T-SCORE", met=True, points="8.0",
                note="材料齐全", evaluator="专家1")  # fmt: skip
    store.opinion(ROUND, A, member="专家1", text="同意", evaluator="专家1")
    after = service.review_state(ROUND, A)
    assert (after.version, after.decision_outdated_reason) == (state.version, "")
    summaries = [e.summary for e in service.history(ROUND, A)[events:]]
    assert summaries == [
        "专家 专家1 判断 T-SCORE 技术水平：重新录入，未改变：符合（8.0 分）（材料齐全）",
        "专家 专家1 的意见（重新录入，未改变）：同意",
    ]


def test_on_a_panel_only_who_decides_rewrites_the_decision_s_opinion(panels):
    """An opinion saved alone (no decision) is the decision's: a member, a recused one
    included, is refused; the 组长 may reword it."""
    service, store = panels
    _staff(store, 1)
    _decide(service, "王组长")
    store.recuse(ROUND, A, member="专家1", reason="亲属", evaluator="王组长")

    def reword(who: str) -> None:
        service.apply_review(
            ROUND, A, evaluator=who, confirm=[], ack_warnings=[], reason=None,
            decision=None, opinion=f"{who}改写的意见",
        )  # fmt: skip

    with pytest.raises(PanelRefusedError, match="专家1 已声明回避"):
        reword("专家1")
    assert service.review_state(ROUND, A).opinion == "不予推荐"
    reword("王组长")
    assert service.review_state(ROUND, A).opinion == "王组长改写的意见"
