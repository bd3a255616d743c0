"""Batch decisions: one opinion template filled per applicant, one audit event each, conflicts
skipped and listed, nothing overwritten."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from zjtx.paths import resource_path
from zjtx.store import ReviewRuleError, StoreService, open_store
from zjtx.store.batch_opinions import OPINION_PLACEHOLDERS, fill_opinion, template_placeholders
from zjtx.store.models import AuditEvent

ROUND = "2026第八批小巨人"
TEMPLATE = "{企业名称}不符合{评价标准}：{未满足条目}。建议不推荐。"


@pytest.fixture
def service(database_url: str) -> Iterator[StoreService]:
    """The 30 sample applicants in a 2026 小巨人 round, scored by the bundled rulebooks."""
    store = open_store(database_url)
    service = StoreService(store)
    service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1), evaluator="王")
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")], evaluator="王")
    try:
        yield service
    finally:
        store.close()


def _targets(service: StoreService, **filters: str) -> list[tuple[str, int]]:
    return [(r.uscc, r.review_version) for r in service.list_applicants(ROUND, **filters)]


def _decisions(service: StoreService) -> list[AuditEvent]:
    with service.store.session() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "decision").order_by(AuditEvent.id)
            )
        )


def test_a_batch_reject_reaches_every_unqualified_applicant_with_one_event_each(service):
    """Every 不符合条件 applicant gets 不推荐 and its own opinion; the others stay undecided."""
    rows = service.list_applicants(ROUND)
    failing = {r.uscc for r in rows if r.verdict == "not_qualified"}
    assert 20 < len(failing) < len(rows)  # the sample round has both kinds
    result = service.reviews.decide_batch(
        ROUND,
        _targets(service, verdict="not_qualified"),
        decision="reject",
        opinion_template=TEMPLATE,
        reason="批量处理不符合条件的企业",
        evaluator="李组长",
    )
    assert {i.uscc for i in result.decided} == failing
    assert result.not_decided == []
    events = _decisions(service)
    assert sorted(e.uscc for e in events) == sorted(failing)
    assert all(e.actor == "李组长" and e.after["decision"] == "reject" for e in events)
    assert {e.after["batch"] for e in events} == {f"批量决定（共 {len(failing)} 家）"}
    after = {r.uscc: r for r in service.list_applicants(ROUND)}
    for uscc in failing:
        state = service.review_state(ROUND, uscc)
        unmet = [c for c in state.evaluation["criteria"] if c["state"] == "unmet"]
        assert state.decision == "reject"
        assert state.opinion.startswith(f"{state.name}不符合")
        assert all(f"{c['id']} {c['title']}" in state.opinion for c in unmet)
        assert "{" not in state.opinion
    assert all(after[u].decision is None for u in after if u not in failing)


def test_a_review_changed_after_choosing_is_skipped_listed_and_kept(service):
    """Another evaluator's save between choosing and deciding makes that one a conflict."""
    targets = _targets(service, verdict="not_qualified")
    changed = targets[3][0]
    service.apply_review(ROUND, changed, opinion="正在核实研发费用", evaluator="赵评审")
    result = service.reviews.decide_batch(
        ROUND, targets, decision="reject", opinion_template=TEMPLATE, reason=None, evaluator="李"
    )
    [conflict] = result.not_decided
    assert (conflict.uscc, conflict.outcome) == (changed, "conflict")
    assert "已被他人修改" in conflict.message and "赵评审" in conflict.message
    state = service.review_state(ROUND, changed)
    assert (state.decision, state.opinion) == (None, "正在核实研发费用")
    assert len(result.decided) == len(targets) - 1
    assert "已被他人修改，跳过 1 家" in result.summary()


def test_an_applicant_already_decided_is_left_as_it_was(service):
    """A batch never replaces an earlier decision, even one made since the batch was chosen."""
    targets = _targets(service, verdict="not_qualified")
    first = targets[0][0]
    service.decide(ROUND, first, "return", "请补充知识产权证明", evaluator="赵评审")
    targets[0] = (first, service.review_state(ROUND, first).version)
    result = service.reviews.decide_batch(
        ROUND, targets, decision="reject", opinion_template=TEMPLATE, reason=None, evaluator="李"
    )
    [kept] = result.not_decided
    assert (kept.uscc, kept.outcome) == (first, "decided_before")
    assert "退回补充材料" in kept.message and "赵评审" in kept.message
    assert service.review_state(ROUND, first).decision == "return"


def test_a_decision_left_as_it_was_says_when_it_needs_a_second_look(service):
    """An earlier decision the verdict has overtaken is still left as it was, and the batch
    result says why it needs a second look, so it is not taken for settled."""
    [(first, _)] = _targets(service, verdict="pending")[:1]
    service.decide(ROUND, first, "return", "请补充材料", evaluator="赵评审")
    criteria = service.review_state(ROUND, first).evaluation["criteria"]
    met = next(c for c in criteria if c["state"] == "met" and c["kind"] == "requirement")
    state = service.confirm_criterion(
        ROUND, first, met["id"], "unmet", "核实后不符", evaluator="赵"
    )
    assert state.verdict == "not_qualified" and state.decision_outdated_reason
    result = service.reviews.decide_batch(
        ROUND, [(first, state.version)], decision="reject", opinion_template=TEMPLATE,
        reason=None, evaluator="李",
    )  # fmt: skip
    [kept] = result.not_decided
    assert kept.outcome == "decided_before"
    assert kept.message == (
        f"已有决定“退回补充材料”（赵评审），需复核：{state.decision_outdated_reason}；请逐家复核"
    )


def test_a_decision_the_rules_refuse_is_listed_per_applicant(service):
    """推荐 of 不符合条件 applicants is refused for each, with why; nothing is saved."""
    targets = _targets(service, verdict="not_qualified")[:3]
    result = service.reviews.decide_batch(
        ROUND, targets, decision="recommend", opinion_template="同意", reason=None, evaluator="李"
    )
    assert [i.outcome for i in result.items] == ["refused"] * 3
    assert all("不符合条件" in i.message for i in result.items)
    assert _decisions(service) == []


def test_a_bad_template_is_refused_before_anything_is_saved(service):
    """A misspelt placeholder names the closest one; a format suffix and lone braces too."""
    targets = _targets(service)
    with pytest.raises(ReviewRuleError, match=re.escape("您是不是要写 {未满足条目}")):
        service.reviews.decide_batch(
            ROUND, targets, decision="reject", opinion_template="{未满足条}",
            reason=None, evaluator="李",
        )  # fmt: skip
    with pytest.raises(ReviewRuleError, match="格式说明"):
        template_placeholders("{得分:>5}")
    with pytest.raises(ReviewRuleError, match="花括号不成对"):
        template_placeholders("见{企业名称")
    assert template_placeholders("{{原样}} {企业名称}{企业名称}{得分}") == ["企业名称", "得分"]
    assert _decisions(service) == []


def test_every_placeholder_fills_for_a_pending_applicant(service):
    """A 待定 applicant's template fills every placeholder with its own values."""
    row = next(r for r in service.list_applicants(ROUND) if r.verdict == "pending")
    state = service.review_state(ROUND, row.uscc)
    text = fill_opinion("|".join(f"{{{n}}}" for n in OPINION_PLACEHOLDERS), state)
    parts = dict(zip(OPINION_PLACEHOLDERS, text.split("|"), strict=True))
    assert parts["企业名称"] == row.name and parts["统一社会信用代码"] == row.uscc
    assert parts["评价结论"] == "待定" and parts["批次"] == ROUND
    waiting = [c for c in state.evaluation["criteria"] if c["state"] in ("unknown", "manual")]
    assert waiting and all(f"{c['id']} {c['title']}" in parts["待定条目"] for c in waiting)


def test_cancelling_stops_before_the_next_applicant_and_keeps_the_decided(service):
    """A cancelled batch keeps what it decided and lists the rest as not handled."""
    targets = _targets(service, verdict="not_qualified")[:4]
    seen: list[int] = []
    result = service.reviews.decide_batch(
        ROUND, targets, decision="reject", opinion_template=TEMPLATE, reason=None,
        evaluator="李", progress=lambda done, total: seen.append(done),
        cancel=lambda: len(seen) >= 2,
    )  # fmt: skip
    assert [i.outcome for i in result.items] == ["decided", "decided", "skipped", "skipped"]
    assert seen == [1, 2]
    assert len(_decisions(service)) == 2


@pytest.fixture
def cli(service, database_url, tmp_path, monkeypatch):
    """The CLI on the sample round's database, as 李组长."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    monkeypatch.setenv("ZJTX_EVALUATOR", "李组长")
    return service


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    from zjtx.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_review_all_rejects_every_unqualified_applicant(cli, capsys):
    """`zjtx review NAME --all --verdict not_qualified --decision reject` decides each one."""
    failing = {r.uscc for r in cli.list_applicants(ROUND, verdict="not_qualified")}
    code, out, err = _run(
        capsys, "review", ROUND, "--all", "--verdict", "not_qualified", "--decision", "reject",
        "--opinion", TEMPLATE, "--reason", "批量处理",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert f"已对 {len(failing)} 家企业作出“不推荐”决定" in out
    assert sorted(e.uscc for e in _decisions(cli)) == sorted(failing)
    code, _out, err = _run(
        capsys, "review", ROUND, "--all", "--verdict", "not_qualified", "--decision", "reject",
        "--opinion", TEMPLATE, "--json",
    )  # fmt: skip
    assert code == 2 and "都已有决定" in err


def test_cli_review_all_filters_by_region_and_reports_json(cli, capsys):
    """--region keeps only that place; --json lists every applicant with its outcome."""
    rows = cli.list_applicants(ROUND, region="福州市")
    assert 0 < len(rows) < 30
    code, out, _ = _run(
        capsys, "review", ROUND, "--all", "--region", "福州市", "--decision", "return",
        "--opinion", "请补充：{待定条目}", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert {i["uscc"] for i in data["items"]} == {r.uscc for r in rows}
    assert data["decided"] == len(rows) and data["decision_label"] == "退回补充材料"
    # Each 退回补充材料 carries what that enterprise must supply (the 补正清单 of issue 16 §4).
    pending = {r.uscc for r in cli.list_applicants(ROUND, verdict="pending")}
    code, _out, _err = _run(
        capsys, "review", ROUND, "--all", "--verdict", "pending", "--decision", "return",
        "--opinion", "请补充：{待定条目}",
    )  # fmt: skip
    assert code == 0
    asked = {e.uscc: e.after.get("requested") for e in _decisions(cli)}
    assert pending and all(asked[u] for u in pending)
    assert all(text.startswith(("请补充：", "请提供证明材料：", "请核实并更正："))
               for u in pending for text in asked[u])  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--all", "--decision", "reject"), "必须填写 --opinion"),
        (("--all", "--opinion", "x"), "--decision"),
        (("--all", "--decision", "reject", "--opinion", "{未满足}"), "{未满足条目}"),
        (("--all", "--confirm", "LG26-5=met", "--decision", "reject", "--opinion", "x"), "逐家"),
        (("--decision", "reject", "--opinion", "x"), "或用 --all"),
    ],
)
def test_cli_review_all_usage_errors_exit_2(cli, capsys, argv, message):
    """Each misuse of --all exits 2 with one Chinese message and saves nothing."""
    code, _out, err = _run(capsys, "review", ROUND, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert _decisions(cli) == []


def test_unmet_placeholders_name_only_the_requirements_that_failed(database_url):
    """{未满足条目} lists the failed requirements the verdict rests on, as the report's
    结论依据 does: not the 直通 alternatives (科技奖励, 创客中国) nor the scored items an
    applicant who passed on points still lacks."""
    from zjtx.store.batch_opinions import placeholder_values

    store = open_store(database_url)
    try:
        service = StoreService(store)
        service.create_round("2025专精特新", tier="srdi-sme", round_date=date(2025, 7, 1))
        service.import_paths("2025专精特新", [resource_path("samples", "applicants.json")])
        failing = [
            r for r in service.list_applicants("2025专精特新") if r.verdict == "not_qualified"
        ]
        assert len(failing) >= 3
        for row in failing:
            state = service.review_state("2025专精特新", row.uscc)
            said = placeholder_values(state)["未满足条目"]
            decisive = [
                f"{c['id']} {c['title']}"
                for c in state.evaluation["criteria"]
                if c["state"] == "unmet" and c["kind"] == "requirement"
            ]
            assert said == "；".join(decisive)
            assert "SR22-D1" not in said and "SR22-S" not in said
    finally:
        store.close()
