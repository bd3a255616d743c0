"""Review workflow: confirmations, overrides, warnings, decisions, locking and the audit trail."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from tests.store.helpers import RuleScorer, make_applicant, make_file, make_uscc, warning
from zjtx.domain.issue_codes import acknowledgeable_codes
from zjtx.domain.issues import plain_key
from zjtx.store import (
    ConflictError,
    NotFoundError,
    ReviewRuleError,
    StoreService,
    open_store,
)
from zjtx.store.models import AppendOnlyError, AuditEvent, Evaluation

ROUND = "2026年第一批专精特新"
A = make_uscc(1)


@pytest.fixture
def service(service: StoreService, tmp_path) -> StoreService:
    """A round holding two applicants, the first with an import warning."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20), evaluator="王评审")
    file = make_file(
        tmp_path / "a.xlsx", [make_applicant(1), make_applicant(2)], issues=[warning(A)]
    )
    service.import_file(ROUND, file, evaluator="王评审")
    return service


def test_confirming_a_judgement_item_rescores_and_keeps_the_old_evaluation(service):
    """A confirmed judgement item is recorded with reason and evaluator, and scored again."""
    state = service.confirm_criterion(
        ROUND, A, "T-JUDGE", "met", "主导产品为工业母机关键部件", evaluator="王评审"
    )
    assert state.version == 1
    assert state.open_judgements == ()
    assert state.verdict == "qualified"
    item = state.items[0]
    assert (item.kind, item.target, item.state, item.override) == (
        "criterion",
        "T-JUDGE",
        "met",
        False,
    )
    assert (item.reason, item.evaluator) == ("主导产品为工业母机关键部件", "王评审")
    criterion = next(c for c in state.evaluation["criteria"] if c["id"] == "T-JUDGE")
    assert criterion["confirmation"]["reason"] == "主导产品为工业母机关键部件"
    with service.store.session() as session:
        causes = session.scalars(select(Evaluation.cause).order_by(Evaluation.id)).all()
    assert causes == ["import", "import", "review"]
    history = service.history(ROUND, A)
    confirm = next(h for h in history if h.action == "criterion-confirm")
    assert confirm.actor == "王评审"
    assert confirm.reason == "主导产品为工业母机关键部件"
    assert confirm.after["review_version"] == 1
    assert "确认指标 T-JUDGE 主导产品属于重点领域：待人工确认→符合" in confirm.summary
    evaluation = next(h for h in history if h.action == "evaluation")
    assert "待定→符合条件" in evaluation.summary


def test_overriding_a_computed_criterion_needs_a_reason(service):
    """Overriding a computed criterion without a reason is refused; with one it is recorded."""
    with pytest.raises(ReviewRuleError, match="必须填写理由"):
        service.apply_review(ROUND, A, confirm=[("T-RD", "unmet")], reason="  ")
    state = service.confirm_criterion(ROUND, A, "T-RD", "unmet", "研发费用含非研发支出")
    assert state.items[0].override is True
    override = next(h for h in service.history(ROUND, A) if h.action == "criterion-override")
    assert override.before == {"criterion": "T-RD", "computed": "met"}
    assert "改判指标 T-RD 研发投入：符合→不符合" in override.summary


def test_a_revision_to_what_the_data_decide_is_refused_or_withdraws_the_earlier_one(
    service, tmp_path
):
    """改判 a computed criterion to the state its data give: refused when nothing was revised
    (it would change nothing now and pin the state against corrected data); after a 改判 it
    withdraws it, and the data decide again (a later import included), in the trail."""
    with pytest.raises(ReviewRuleError, match="T-RD 研发投入 按申报数据已为“符合”，无需改判"):
        service.confirm_criterion(ROUND, A, "T-RD", "met", "已核实")
    assert service.review_state(ROUND, A).items == ()
    service.confirm_criterion(ROUND, A, "T-RD", "unmet", "研发费用含非研发支出")
    state = service.confirm_criterion(ROUND, A, "T-RD", "met", "复核后按申报数据")
    assert state.items == ()
    rd = next(c for c in state.evaluation["criteria"] if c["id"] == "T-RD")
    assert rd["state"] == "met" and not rd.get("computed_state")
    last = service.history(ROUND, A)
    withdrawn = next(h for h in last if h.action == "criterion-override-withdraw")
    assert withdrawn.summary == (
        "撤回改判 T-RD 研发投入：不符合→按申报数据（符合）（理由：复核后按申报数据）"
    )
    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(1, rd="10")]))
    rd = next(c for c in service.review_state(ROUND, A).evaluation["criteria"] if c["id"] == "T-RD")
    assert rd["state"] == "unmet"  # the corrected data decide, nothing pinned


def test_unknown_criterion_and_bad_state_are_explained(service):
    """A misspelt criterion id gets a suggestion; a state other than met/unmet is refused."""
    with pytest.raises(NotFoundError, match="您是不是要写 “T-JUDGE”"):
        service.confirm_criterion(ROUND, A, "T-JUDG", "met", "理由")
    with pytest.raises(ReviewRuleError, match="met（符合）或 unmet"):
        service.confirm_criterion(ROUND, A, "T-JUDGE", "yes", "理由")
    with pytest.raises(NotFoundError, match="没有统一社会信用代码为"):
        service.confirm_criterion(ROUND, make_uscc(99), "T-JUDGE", "met", "理由")


def test_an_applicant_not_found_is_pointed_at_what_was_meant(service):
    """A name typed for the code is answered with its code; a code one character off, or a
    name written a little otherwise, gets the nearest applicant; nothing near, no guess."""
    with pytest.raises(NotFoundError) as named:
        service.decide(ROUND, "测试企业1有限公司", "reject", "不予推荐")
    assert str(named.value) == (
        f"批次 “{ROUND}” 中没有统一社会信用代码为 测试企业1有限公司 的企业；"
        f"“测试企业1有限公司”是企业名称，请写其统一社会信用代码 {A}"
    )
    typo = A[:-2] + ("0" if A[-2] != "0" else "1") + A[-1]
    with pytest.raises(NotFoundError, match=f"您是不是要写 {A}（测试企业1有限公司）？"):
        service.decide(ROUND, typo, "reject", "不予推荐")
    with pytest.raises(NotFoundError) as far:
        service.decide(ROUND, "不存在公司", "reject", "不予推荐")
    assert str(far.value) == f"批次 “{ROUND}” 中没有统一社会信用代码为 不存在公司 的企业"
    assert service.review_state(ROUND, A).decision is None


def test_recommend_requires_open_items_closed(service):
    """推荐 is refused while judgement items or import warnings are open, then accepted."""
    with pytest.raises(ReviewRuleError) as refused:
        service.decide(ROUND, A, "recommend", "同意推荐")
    assert "T-JUDGE 主导产品属于重点领域" in str(refused.value)
    assert "填报比例与计算不符" in str(refused.value)  # the warning's title, not its code
    with pytest.raises(NotFoundError, match="现有提示：ratio-mismatch"):
        service.acknowledge_warning(ROUND, A, "other-code", "核实")
    service.acknowledge_warning(ROUND, A, "ratio-mismatch", "已电话核实，以金额为准")
    service.confirm_criterion(ROUND, A, "T-JUDGE", "met", "属于重点领域")
    state = service.decide(ROUND, A, "recommend", "各项指标符合，同意推荐", evaluator="李组长")
    assert (state.decision, state.decision_label, state.status) == ("recommend", "推荐", "decided")
    assert (state.opinion, state.decided_by) == ("各项指标符合，同意推荐", "李组长")
    assert state.version == 3
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert (row.decision, row.review_status, row.open_warnings) == ("recommend", "decided", 0)


def test_placeholders_typed_in_one_opinion_are_filled_as_a_batch_fills_them(service):
    """{企业名称} and {待人工确认条目} in one applicant's opinion (as the README's batch example
    writes them) are filled; braces that name no placeholder stay as typed."""
    state = service.decide(
        ROUND,
        A,
        "return",
        "{企业名称}：请补充{待人工确认条目}的证明材料{见附件}",
        evaluator="李组长",
    )
    assert state.opinion == f"{state.name}：请补充T-JUDGE 主导产品属于重点领域的证明材料{{见附件}}"
    history = service.history(ROUND, A)
    assert history[-1].after["opinion"] == state.opinion


def test_acknowledging_refuses_codes_the_registry_does_not_hold_as_warnings(service):
    """An unregistered code, a misspelt one and an error code cannot be acknowledged, in Chinese;
    nothing is saved."""
    with pytest.raises(NotFoundError, match="“ratio-mismach” 不是已登记的导入提示代码") as typo:
        service.acknowledge_warning(ROUND, A, "ratio-mismach", "核实")
    assert "您是不是要写 “ratio-mismatch”" in str(typo.value)
    with pytest.raises(NotFoundError, match="不是已登记的导入提示代码；现有提示：ratio-mismatch"):
        service.acknowledge_warning(ROUND, A, "renamed-warning", "核实")
    with pytest.raises(ReviewRuleError, match="“uscc-length”（信用代码位数不对）是错误"):
        service.acknowledge_warning(ROUND, A, "uscc-length", "核实")
    with pytest.raises(ReviewRuleError, match="是提示信息，不是需要确认的警告"):
        service.acknowledge_warning(ROUND, A, "unit-assumed", "核实")
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert (row.review_status, row.open_warnings) == ("pending", 1)
    # A registered code this applicant has no warning of: said so, not “did you mean” itself.
    B = make_uscc(2)
    with pytest.raises(NotFoundError, match="没有代码为 “ratio-mismatch” 的导入提示") as absent:
        service.acknowledge_warning(ROUND, B, "ratio-mismatch", "核实")
    assert "您是不是要写" not in str(absent.value)


def test_every_registered_warning_code_can_be_acknowledged(service, tmp_path):
    """An applicant carrying one warning of each registered warning code can acknowledge them
    all, and then has no open warning."""
    codes = acknowledgeable_codes()
    cells = [f"F{n}" for n in range(2, 2 + len(codes))]
    issues = [warning(make_uscc(5), code, cell) for code, cell in zip(codes, cells, strict=True)]
    file = make_file(tmp_path / "w.xlsx", [make_applicant(5)], issues=issues)
    service.import_file(ROUND, file, evaluator="王评审")
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == make_uscc(5))
    assert row.open_warnings == len(codes)
    state = service.apply_review(ROUND, make_uscc(5), ack_warnings=codes, reason="逐项核实")
    # Each by code and field; a change (store-value-changed) by the file that made it too.
    assert sorted(i.target for i in state.items if i.kind == "warning") == sorted(
        issue.key for issue in issues
    )
    assert {plain_key(i.target) for i in state.items} == {f"{c}@rd_expense_y1" for c in codes}
    assert state.open_warnings == ()


def test_a_warning_is_acknowledged_by_itself_not_by_its_code(service, tmp_path):
    """Of two warnings with one code on different fields, acknowledging one (code@field, as the
    window does) leaves the other open and the printed review lists only it; a code alone
    acknowledges each warning of it, one trail entry each; an acknowledgement saved by an older
    zjtx (the code alone) still covers every warning of its code."""
    from dataclasses import replace

    from zjtx.export.from_store import review_info
    from zjtx.store.models import ReviewItem

    uscc = make_uscc(6)
    first = warning(uscc, "revenue-unit-suspect", "I2")
    two = [
        replace(first, field="revenue_y3", message="大前年营业收入为 542,093,900 万元，数量级异常"),
        replace(
            first,
            cell="J2",
            field="revenue_y2",
            message="前年营业收入为 612,000,000 万元，数量级异常",
        ),
    ]
    service.import_file(ROUND, make_file(tmp_path / "u.xlsx", [make_applicant(6)], issues=two))
    state = service.review_state(ROUND, uscc)
    keys = [w.key for w in state.open_warnings]
    assert keys == ["revenue-unit-suspect@revenue_y3", "revenue-unit-suspect@revenue_y2"]

    state = service.acknowledge_warning(ROUND, uscc, keys[0], "审计报告单位为元，已换算")
    assert [w.field for w in state.open_warnings] == ["revenue_y2"]
    assert [w["key"] for w in state.to_dict()["open_warnings"]] == [keys[1]]
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == uscc)
    assert row.open_warnings == 1
    with pytest.raises(ReviewRuleError, match="尚有导入提示未确认：金额单位存疑"):
        service.decide(ROUND, uscc, "recommend", "同意推荐")
    review, _ = review_info(service.applicant_detail(ROUND, uscc))
    assert [w.message for w in review.acknowledged_warnings] == [
        "roster.xlsx · 名单 · I2：大前年营业收入为 542,093,900 万元，数量级异常"
    ]
    with pytest.raises(NotFoundError, match="没有 “revenue-unit-suspect@revenue_y1” 这条导入提示"):
        service.acknowledge_warning(ROUND, uscc, "revenue-unit-suspect@revenue_y1", "核实")

    state = service.acknowledge_warning(ROUND, uscc, "revenue-unit-suspect", "两年均已核实")
    assert state.open_warnings == ()
    acks = [h for h in service.history(ROUND, uscc) if h.action == "warning-ack"]
    assert [(h.after["field"], h.reason) for h in acks] == [
        ("revenue_y3", "审计报告单位为元，已换算"),
        ("revenue_y3", "两年均已核实"),
        ("revenue_y2", "两年均已核实"),
    ]
    assert "前年营业收入为 612,000,000 万元" in acks[2].summary

    # As an older zjtx saved it: one item naming the code covers both warnings.
    with service.store.session() as session:
        review_id, evaluator_id = session.execute(
            select(ReviewItem.review_id, ReviewItem.evaluator_id).where(
                ReviewItem.kind == "warning"
            )
        ).first()
        session.execute(delete(ReviewItem).where(ReviewItem.kind == "warning"))
        session.add(
            ReviewItem(
                review_id=review_id, kind="warning", target="revenue-unit-suspect",
                reason="旧版确认", evaluator_id=evaluator_id,
            )
        )  # fmt: skip
        session.commit()
    assert service.review_state(ROUND, uscc).open_warnings == ()
    review, _ = review_info(service.applicant_detail(ROUND, uscc))
    assert [w.message for w in review.acknowledged_warnings] == [
        "roster.xlsx · 名单 · I2：大前年营业收入为 542,093,900 万元，数量级异常；"
        "roster.xlsx · 名单 · J2：前年营业收入为 612,000,000 万元，数量级异常"
    ]


def test_warnings_of_no_field_are_acknowledged_one_by_one(service, tmp_path):
    """Warnings of one code on no field (rows of an IP list) are told apart by their place: one
    acknowledged leaves the other open, its trail entry gives its message, and once a re-import
    no longer raises it the printed review names what it was."""
    from dataclasses import replace

    from zjtx.export.from_store import review_info

    uscc = make_uscc(7)
    first = replace(warning(uscc, "ip-type-unknown", "B5"), sheet="知识产权清单", field=None)
    two = [
        replace(first, message="知识产权类型“技术秘密”不在Ⅰ类、Ⅱ类之列"),
        replace(first, cell="B6", message="知识产权类型“专有技术”不在Ⅰ类、Ⅱ类之列"),
    ]
    service.import_file(ROUND, make_file(tmp_path / "ip.xlsx", [make_applicant(7)], issues=two))
    keys = [w.key for w in service.review_state(ROUND, uscc).open_warnings]
    assert keys == ["ip-type-unknown@!知识产权清单!B5", "ip-type-unknown@!知识产权清单!B6"]
    state = service.acknowledge_warning(ROUND, uscc, keys[1], "专有技术按技术秘密核实")
    assert [w.key for w in state.open_warnings] == keys[:1]
    ack = next(h for h in service.history(ROUND, uscc) if h.action == "warning-ack")
    assert "“知识产权类型不明”：知识产权类型“专有技术”不在Ⅰ类、Ⅱ类之列" in ack.summary
    with pytest.raises(NotFoundError, match="“@” 缺少导入提示代码"):
        service.acknowledge_warning(ROUND, uscc, "@", "核实")

    service.import_file(
        ROUND, make_file(tmp_path / "ip2.xlsx", [make_applicant(7, rd="95")], issues=two[:1])
    )
    review, _ = review_info(service.applicant_detail(ROUND, uscc))
    assert [w.message for w in review.acknowledged_warnings] == [
        "ip-type-unknown 知识产权类型不明（知识产权清单!B6）：当前数据已无此提示"
    ]


def test_recommending_a_not_qualified_applicant_is_refused(service, tmp_path):
    """An applicant whose verdict is 不符合条件 cannot be recommended without an override."""
    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(3, revenue="10")]))
    service.confirm_criterion(ROUND, make_uscc(3), "T-JUDGE", "met", "属于")
    with pytest.raises(ReviewRuleError, match="不符合条件"):
        service.decide(ROUND, make_uscc(3), "recommend", "推荐")
    state = service.decide(ROUND, make_uscc(3), "return", "请补充近三年审计报告")
    assert state.decision_label == "退回补充材料"


def test_one_call_combines_confirmations_acknowledgements_and_decision(service):
    """The CLI's combined review is one save: one version, every step in the trail."""
    state = service.apply_review(
        ROUND,
        A,
        evaluator="王评审",
        confirm=[("T-JUDGE", "met")],
        ack_warnings=["ratio-mismatch"],
        reason="现场核查确认",
        decision="recommend",
        opinion="同意推荐",
    )
    assert state.version == 1
    actions = [h.action for h in service.history(ROUND, A) if h.entity == "review"]
    assert actions == ["criterion-confirm", "warning-ack", "decision"]


def test_decision_needs_an_opinion_and_a_known_value(service):
    """A decision without opinion, or with an unknown value, is refused."""
    with pytest.raises(ReviewRuleError, match="必须填写评审意见"):
        service.apply_review(ROUND, A, decision="reject")
    with pytest.raises(ReviewRuleError, match="recommend（推荐）"):
        service.decide(ROUND, A, "maybe", "意见")


def test_changing_a_decision_records_before_and_after(service):
    """A changed decision keeps the earlier one in the trail."""
    service.decide(ROUND, A, "return", "缺少审计报告", evaluator="王评审")
    service.decide(ROUND, A, "reject", "补充材料后仍不达标", evaluator="李组长")
    decisions = [h for h in service.history(ROUND, A) if h.action == "decision"]
    assert decisions[1].before == {"decision": "return", "opinion": "缺少审计报告"}
    assert "决定：退回补充材料→不推荐" in decisions[1].summary


def test_new_data_after_a_decision_marks_it_outdated(service, tmp_path):
    """A correction imported after the decision flags the decision as outdated."""
    service.decide(ROUND, A, "reject", "不达标")
    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(1, revenue="3000")]))
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert row.decision_outdated
    assert row.decision_outdated_reason == "决定作出后企业数据已重新导入"
    assert row.version == 2


def test_a_confirmation_that_changes_the_verdict_after_the_decision_marks_it_outdated(service):
    """The verdict a decision was taken on is kept: a later confirmation that changes it asks
    for a second look; a confirmation saved with a new decision does not."""
    service.decide(ROUND, A, "reject", "不达标")
    state = service.confirm_criterion(ROUND, A, "T-JUDGE", "met", "属于重点领域")
    assert state.verdict == "qualified"
    assert state.decision_outdated_reason == "决定作出后评价结论由“待定”变为“符合条件”"
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert (row.decision_outdated, row.decision_outdated_reason) == (
        True,
        "决定作出后评价结论由“待定”变为“符合条件”",
    )
    state = service.confirm_criterion(ROUND, A, "T-JUDGE", "unmet", "复核后不属于")
    assert state.decision_outdated_reason == "决定作出后评价结论由“待定”变为“不符合条件”"
    state = service.apply_review(
        ROUND, A, confirm=[("T-JUDGE", "met")], reason="属于", decision="reject", opinion="另议"
    )
    assert (state.verdict, state.decision_outdated_reason) == ("qualified", "")
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert not row.decision_outdated


def test_a_recommendation_saved_on_an_open_verdict_before_the_rule_reads_for_a_second_look(
    service, monkeypatch
):
    """A 推荐 saved while the applicant was 待定 (as zjtx allowed before 推荐 waited for open
    items) reads 需复核 saying so, in the table and the review; decided again it stands."""
    from zjtx.store import reviews

    with monkeypatch.context() as before:
        before.setattr(reviews, "_check_recommendable", lambda *args: None)
        service.apply_review(ROUND, make_uscc(2), confirm=[], reason=None,
                             decision="recommend", opinion="同意")  # fmt: skip
    state = service.review_state(ROUND, make_uscc(2))
    assert state.verdict == "pending"
    assert state.decision_outdated_reason == "评价结论为“待定”，与“推荐”不符"
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == make_uscc(2))
    assert row.decision_outdated_reason == "评价结论为“待定”，与“推荐”不符"
    state = service.apply_review(ROUND, make_uscc(2), confirm=[("T-JUDGE", "met")],
                                 reason="属于重点领域", decision="recommend",
                                 opinion="同意")  # fmt: skip
    assert (state.verdict, state.decision_outdated_reason) == ("qualified", "")


def test_confirmations_carry_over_to_corrected_data(service, tmp_path):
    """A re-imported correction is scored with the evaluator's existing confirmations."""
    service.confirm_criterion(ROUND, A, "T-JUDGE", "met", "属于重点领域")
    service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(1, rd="500")]))
    row = next(r for r in service.list_applicants(ROUND) if r.uscc == A)
    assert (row.version, row.verdict, row.open_judgements) == (2, "qualified", 0)


def test_audit_events_cannot_be_changed_or_deleted(service):
    """The ORM refuses to update or delete audit events, and so does the database itself."""
    with pytest.raises(AppendOnlyError), service.store.session() as session:
        event = session.scalars(select(AuditEvent)).first()
        event.reason = "篡改"
    with pytest.raises(AppendOnlyError), service.store.session() as session:
        session.delete(session.scalars(select(AuditEvent)).first())
    with pytest.raises(DBAPIError, match="append-only"), service.store.engine.begin() as conn:
        conn.execute(update(AuditEvent).values(actor="someone else"))
    with service.store.session() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.actor == "someone else")) == 0


def test_second_save_of_a_stale_review_fails_with_what_changed(database_url, tmp_path):
    """Two evaluators on two connections: the second save is refused and told what changed."""
    first = StoreService(open_store(database_url), scorer=RuleScorer())
    second = StoreService(open_store(database_url), scorer=RuleScorer())
    try:
        first.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
        first.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
        seen_by_first = first.review_state(ROUND, A).version
        seen_by_second = second.review_state(ROUND, A).version
        first.apply_review(
            ROUND,
            A,
            evaluator="王评审",
            decision="return",
            opinion="缺少审计报告",
            expected_version=seen_by_first,
        )
        with pytest.raises(ConflictError) as conflict:
            second.apply_review(
                ROUND,
                A,
                evaluator="李评审",
                confirm=[("T-JUDGE", "unmet")],
                reason="不属于重点领域",
                expected_version=seen_by_second,
            )
        message = str(conflict.value)
        assert "已被他人修改" in message
        assert "您看到的是第 0 版，现在是第 1 版" in message
        assert "王评审 于" in message
        assert "决定：未决定→退回补充材料；意见：缺少审计报告" in message
        assert conflict.value.current_version == 1
        state = second.review_state(ROUND, A)
        assert (state.items, state.decision) == ((), "return")  # nothing of the second saved
    finally:
        first.store.close()
        second.store.close()


@contextmanager
def _second_evaluator_racing(database_url: str) -> Iterator[tuple]:
    """Two services on one database. ``start_second()`` has 李评审 save a review with the second
    one and returns once that save has read the review and is scoring; it finishes when
    ``release`` is set, leaving its result or exception in ``outcome``."""
    first = StoreService(open_store(database_url), scorer=RuleScorer())
    release, reached = threading.Event(), threading.Event()
    slow_scorer = RuleScorer()

    def blocking_scorer(applicant, round_info, confirmations):
        reached.set()
        assert release.wait(30)
        return slow_scorer(applicant, round_info, confirmations)

    second = StoreService(open_store(database_url), scorer=blocking_scorer)
    outcome: list[BaseException | object] = []

    def second_evaluator() -> None:
        try:
            outcome.append(
                second.apply_review(
                    ROUND, A, evaluator="李评审", confirm=[("T-JUDGE", "met")], reason="属于"
                )
            )
        except BaseException as exc:  # handed to the main thread
            outcome.append(exc)

    def start_second() -> threading.Thread:
        thread = threading.Thread(target=second_evaluator)
        thread.start()
        assert reached.wait(30)
        return thread

    try:
        yield first, start_second, release, outcome
    finally:
        release.set()
        first.store.close()
        second.store.close()


def test_concurrent_saves_without_a_version_take_turns_and_keep_both(database_url, tmp_path):
    """A save made while another save of the applicant is under way (read, scoring) waits
    for it, then saves on top of it: both changes are kept, neither overwrites the other."""
    with _second_evaluator_racing(database_url) as (first, start_second, release, outcome):
        first.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
        first.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
        first.decide(ROUND, A, "return", "缺少材料", evaluator="王评审")  # version 1
        first.set_evaluator_role("李评审", "evaluator")
        thread = start_second()  # the second evaluator has read version 1 and is scoring
        threading.Timer(0.5, release.set).start()
        first.decide(ROUND, A, "reject", "材料不全", evaluator="王评审")  # waits its turn
        thread.join(60)
        assert len(outcome) == 1 and not isinstance(outcome[0], BaseException), outcome
        state = first.review_state(ROUND, A)
        assert (state.version, state.decision) == (3, "reject")
        assert [(i.target, i.state) for i in state.items] == [("T-JUDGE", "met")]


def test_two_first_reviews_racing_take_turns_and_keep_both(database_url, tmp_path):
    """Both evaluators start the first review of an applicant: the later waits for the
    earlier and saves on top of it; both changes are kept."""
    with _second_evaluator_racing(database_url) as (first, start_second, release, outcome):
        first.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
        first.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
        first.set_evaluator_role("李评审", "evaluator")
        thread = start_second()  # the second has found no review yet and is scoring
        threading.Timer(0.5, release.set).start()
        first.decide(ROUND, A, "return", "缺少材料", evaluator="王评审")
        thread.join(60)
        assert len(outcome) == 1 and not isinstance(outcome[0], BaseException), outcome
        state = first.review_state(ROUND, A)
        assert (state.version, state.decision) == (2, "return")
        assert [(i.target, i.state) for i in state.items] == [("T-JUDGE", "met")]


def test_placeholders_describe_the_review_this_save_leaves(service):
    """A confirmation and an opinion with placeholders in one save: the opinion describes the
    verdict after the confirmation; an escaped {{企业名称}} stays as braces, as in a batch."""
    service.acknowledge_warning(ROUND, A, "ratio-mismatch", "已核实")
    state = service.apply_review(
        ROUND, A, evaluator="李组长", confirm=[("T-JUDGE", "met")], ack_warnings=[],
        reason="属于重点领域", decision="recommend",
        opinion="{评价结论}，待人工确认：{待人工确认条目}；模板写法 {{企业名称}}",
        expected_version=None,
    )  # fmt: skip
    assert state.verdict == "qualified"
    assert state.opinion == "符合条件，待人工确认：无；模板写法 {{企业名称}}"
