"""Reviews: confirming and overriding criteria, acknowledging warnings, deciding; conflicts
between evaluators and the checks before 推荐."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from zjtx.domain.issue_codes import acknowledgeable_codes, issue_code, issue_title
from zjtx.domain.issues import is_acknowledged, issue_key, key_parts, plain_key
from zjtx.domain.labels import Decision
from zjtx.domain.results import Confirmation, CriterionKind, CriterionState, Verdict, is_override
from zjtx.domain.results import Evaluation as DomainEvaluation
from zjtx.scoring.errors import did_you_mean
from zjtx.store import audit, codec
from zjtx.store.batch_opinions import (
    BatchItem,
    BatchResult,
    fill_typed_placeholders,
    placeholder_values,
    placeholder_values_of,
    template_placeholders,
)
from zjtx.store.common import (
    check_length,
    check_open,
    check_text,
    column_limit,
    current_version,
    decision_label,
    decision_outdated_reason,
    evaluator_row,
    find_applicant,
    find_round,
    hold_applicant,
    item_confirmation,
    local_time,
    review_status,
    round_info,
    state_label,
    version_applicant,
)
from zjtx.store.dto import ReviewItemInfo, ReviewState
from zjtx.store.engine import Store
from zjtx.store.errors import ConflictError, NotFoundError, ReviewRuleError, StoreError
from zjtx.store.evaluations import Evaluations, input_hash
from zjtx.store.identity import review_evaluator
from zjtx.store.models import (
    Applicant,
    ApplicantVersion,
    AuditEvent,
    Evaluation,
    Evaluator,
    Review,
    ReviewItem,
    Round,
    utc_now,
)
from zjtx.store.panel_deciding import check_decider, check_not_recused
from zjtx.store.panel_review import panel_changes
from zjtx.store.registry import check_not_registered, share_register
from zjtx.store.rescoring import outdated_text

# Opinions and reasons are printed on the one-page 评审意见表: a limit keeps them printable.
REVIEW_TEXT_LIMIT = 2000
UNSAVED = "评审未保存"


@dataclass(frozen=True, slots=True)
class RequestedItem:
    """One thing an enterprise is asked to supply (补正): the sentence it reads and the
    catalogue keys that will show it arrived (none for a judgement item's evidence)."""

    text: str
    fields: tuple[str, ...] = ()


class _Stale(Exception):
    def __init__(self, seen: int) -> None:
        self.seen = seen


class Reviews:
    """Saves review changes, one transaction (and one review version) per save."""

    def __init__(self, store: Store, evaluations: Evaluations) -> None:
        self.store = store
        self.evaluations = evaluations

    def review_state(self, round_name: str, uscc: str) -> ReviewState:
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            applicant = find_applicant(session, round_row, uscc)
            return review_state_of(session, self.evaluations, round_row, applicant)

    def apply(
        self,
        round_name: str,
        uscc: str,
        *,
        evaluator: str | None,
        confirm: Sequence[tuple[str, str]],
        ack_warnings: Sequence[str],
        reason: str | None,
        decision: str | None,
        opinion: str | None,
        expected_version: int | None,
        requested: Sequence[RequestedItem] = (),
        batch: str | None = None,
    ) -> ReviewState:
        """Save one review change (see StoreService.apply_review).

        ``requested`` (what the enterprise must supply, for a 退回补充材料 decision) and
        ``batch`` (the batch decision this one belongs to) are kept in the decision's audit
        event, so the applicant's history says what was asked.
        """
        evaluator = review_evaluator(evaluator)  # a review never names the OS account
        reason = (reason or "").strip() or None
        opinion = opinion.strip() if opinion is not None else None
        wanted = _check_request(confirm, ack_warnings, reason, decision, opinion)
        seen_version: int | None = expected_version
        try:
            with self.store.write_session() as session:
                if decision is not None or confirm:
                    # A decision's gates (a 推荐's warnings, a registered 推荐 kept) and a
                    # verdict a confirmation changes are read after any change of the
                    # register under way, with its recheck, has committed.
                    share_register(session)
                round_row = find_round(session, round_name)
                applicant = find_applicant(session, round_row, uscc)
                hold_applicant(session, applicant)  # after the register: its order everywhere
                session.refresh(round_row)  # archived while this waited
                check_open(round_row, "修改评审")
                actor = evaluator_row(session, evaluator)
                review = session.scalar(
                    select(Review)
                    .where(Review.applicant_id == applicant.id)
                    .options(selectinload(Review.items))
                )
                current_version = review.version if review else 0
                if expected_version is not None and expected_version != current_version:
                    raise _Stale(expected_version)
                seen_version = current_version
                if confirm or ack_warnings:
                    check_not_recused(session, round_row, applicant, actor)
                self._change_review(
                    session,
                    round_row,
                    applicant,
                    actor,
                    review,
                    confirm,
                    ack_warnings,
                    reason,
                    wanted,
                    opinion,
                    requested,
                    batch,
                )
        except (_Stale, StaleDataError):
            raise self._conflict(round_name, uscc, seen_version or 0) from None
        except IntegrityError as exc:
            if "review" in str(exc.orig).lower():
                raise self._conflict(round_name, uscc, seen_version or 0) from None
            raise
        return self.review_state(round_name, uscc)

    def decide_batch(
        self,
        round_name: str,
        targets: Sequence[tuple[str, int]],
        *,
        decision: str,
        opinion_template: str,
        reason: str | None,
        evaluator: str | None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        requested_for: Callable[[str], Sequence[RequestedItem]] | None = None,
    ) -> BatchResult:
        """Decide many applicants with one opinion template: each in its own transaction with
        its own audit event, the template's placeholders (OPINION_PLACEHOLDERS) filled from
        that applicant's review.

        ``targets`` are (统一社会信用代码, review version seen when chosen). One whose review
        changed since is skipped (``conflict``), one with a decision is left as it is
        (``decided_before``), one the rules refuse is listed with why (``refused``): nothing
        is overwritten. ``requested_for(uscc)`` gives what a 退回补充材料 asks of it
        (zjtx.export.corrections.requested_for). Cancelling stops before the next applicant.
        """
        evaluator = review_evaluator(evaluator)
        template = (opinion_template or "").strip()
        reason = (reason or "").strip() or None
        template_placeholders(template)
        _check_request((), (), reason, decision, template or None)
        wanted = Decision(decision)
        note = f"批量决定（共 {len(targets)} 家）"
        items: list[BatchItem] = []
        for done, (uscc, expected) in enumerate(targets):
            if cancel is not None and cancel():
                items += [BatchItem(u, self._name_of(round_name, u), "skipped")
                          for u, _ in targets[done:]]  # fmt: skip
                break
            asked = requested_for(uscc) if requested_for and wanted == Decision.RETURN else ()
            item = self._decide_one(round_name, uscc, expected, wanted, template, reason,
                                    evaluator, note, asked)  # fmt: skip
            items.append(item)
            if progress is not None:
                progress(done + 1, len(targets))
        return BatchResult(round_name, str(wanted), tuple(items))

    def _name_of(self, round_name: str, uscc: str) -> str:
        with self.store.session() as session:
            return find_applicant(session, find_round(session, round_name), uscc).name

    def _decide_one(
        self,
        round_name: str,
        uscc: str,
        expected: int,
        decision: Decision,
        template: str,
        reason: str | None,
        evaluator: str,
        note: str,
        requested: Sequence[RequestedItem] = (),
    ) -> BatchItem:
        state = self.review_state(round_name, uscc)
        if state.version != expected:
            message = str(self._conflict(round_name, uscc, expected))
            return BatchItem(uscc, state.name, "conflict", message, version=state.version)
        if state.decision:
            who = f"（{state.decided_by}）" if state.decided_by else ""
            had, why = f"已有决定“{state.decision_label}”{who}", state.decision_outdated_reason
            # Left as it was all the same; one to look at again is not to be taken for settled.
            message = f"{had}，需复核：{why}；请逐家复核" if why else f"{had}；如需改变，请逐家修改"
            return BatchItem(uscc, state.name, "decided_before", message, version=state.version)
        opinion = template.format_map(placeholder_values(state)).strip() if template else ""
        try:
            saved = self.apply(
                round_name,
                uscc,
                evaluator=evaluator,
                confirm=(),
                ack_warnings=(),
                reason=reason,
                decision=str(decision),
                opinion=opinion or None,
                expected_version=expected,
                requested=requested,
                batch=note,
            )
        except ConflictError as exc:
            return BatchItem(uscc, state.name, "conflict", str(exc), opinion, exc.current_version)
        except ReviewRuleError as exc:
            return BatchItem(uscc, state.name, "refused", str(exc), opinion, state.version)
        except StoreError:
            raise  # a database failure stops the batch: what was decided so far is kept
        return BatchItem(uscc, saved.name, "decided", "", saved.opinion, saved.version)

    def _change_review(
        self,
        session: Session,
        round_row: Round,
        applicant: Applicant,
        actor: Evaluator,
        review: Review | None,
        confirm: Sequence[tuple[str, str]],
        ack_warnings: Sequence[str],
        reason: str | None,
        decision: Decision | None,
        opinion: str | None,
        requested: Sequence[RequestedItem] = (),
        batch: str | None = None,
    ) -> None:
        # Every change is made in memory first and flushed once, so one save is one version.
        now = utc_now()
        version = current_version(session, applicant)
        evaluation = session.get_one(Evaluation, applicant.current_evaluation_id)
        if review is None:
            review = Review(applicant_id=applicant.id, opinion="", updated_at=now)
            review.items = []
            session.add(review)
        events: list[AuditEvent] = []

        def record_item(
            kind: str, target: str, state: str | None, override: bool
        ) -> tuple[str | None, str] | None:
            """Set the review's item for (kind, target) to this change; its earlier state and
            reason, or None when it is new."""
            item = _review_item(review, kind, target)
            if item is None:
                review.items.append(
                    ReviewItem(
                        kind=kind,
                        target=target,
                        state=state,
                        override=override,
                        reason=reason or "",
                        evaluator_id=actor.id,
                        at=now,
                    )
                )
                return None
            earlier = (item.state, item.reason)
            item.state, item.reason, item.override = state, reason or "", override
            item.evaluator_id, item.at = actor.id, now
            return earlier

        def review_event(action: str, before: Any, after: Any, why: str | None) -> None:
            events.append(
                audit.event(
                    actor,
                    action,
                    "review",
                    None,
                    round_row,
                    applicant_id=applicant.id,
                    uscc=applicant.uscc,
                    before=before,
                    after=after,
                    reason=why,
                    at=now,
                )
            )

        current_result = self.evaluations.full_result(session, evaluation)
        criteria = {c["id"]: c for c in current_result.get("criteria", [])}
        for criterion_id, state in confirm:
            criterion = criteria.get(criterion_id)
            if criterion is None:
                hint = did_you_mean(criterion_id, criteria)
                said = f"评价结果中没有指标 “{criterion_id}”（规则 {evaluation.rulebook_id}）" + (
                    f"，您是不是要写 “{hint}”？" if hint else ""
                )
                outdated = outdated_text(self.evaluations, round_row, evaluation)
                if outdated:
                    said += ("" if said.endswith("？") else "；") + outdated
                raise NotFoundError(said)
            computed = criterion.get("computed_state") or criterion["state"]
            override = is_override(criterion.get("judgement", False), computed)
            if override and not criterion.get("judgement") and str(state) == str(computed):
                # A 改判 of a computed fact to what its data decide changes nothing now and
                # would pin the state against corrected data: refused, or it takes back the
                # earlier 改判. (A judgement item confirmed as its data show is the evaluator's
                # verified judgement, kept as before.)
                _withdraw_revision(review, criterion, computed, reason, review_event)
                continue
            low, high = criterion.get("points_min"), criterion.get("points_max")
            if override and str(state) == "met" and low is not None and low != high:
                # Its points wait for data: 符合 says nothing of how many (it took the most an
                # open item could, 20 where the evaluator meant 10, and ranked the applicant
                # first); the data decide them, or 不符合 its least.
                raise ReviewRuleError(
                    f"{criterion_id} {criterion.get('title', '')}是计分条目，得分尚未确定"
                    f"（{low:g}–{high:g} 分，{CriterionState(computed).label}）："
                    "改判为“符合”不能确定应得几分。请补充所缺数据后重新评价（补正清单列出所缺"
                    f"数据），或改判为“不符合”（按最低 {low:g} 分计）"
                )
            before = {"criterion": criterion_id, "computed": computed}
            earlier = record_item("criterion", criterion_id, state, override)
            if earlier is not None:
                before.update(state=earlier[0], reason=earlier[1])
            review_event(
                "criterion-override" if override else "criterion-confirm",
                before,
                {"criterion": criterion_id, "title": criterion.get("title"), "state": state},
                reason,
            )

        warnings = [i for i in version.issues if i["severity"] == "warning"]
        acknowledged: set[str] = set()
        for wanted in ack_warnings:
            # A code alone acknowledges each warning of it; code@field (what the window sends)
            # the one warning.
            code = key_parts(wanted)[0]
            matching = [
                i
                for i in warnings
                if i["code"] == code
                and (wanted == code or wanted in (issue_key(i), plain_key(issue_key(i))))
            ]
            if not matching or issue_code(code) is None:
                # An acknowledgement must name a registered code: one the registry has lost
                # (renamed) would never match an issue again and stay open silently.
                named = (
                    sorted({i["code"] for i in warnings})
                    if wanted == code
                    else [plain_key(issue_key(i)) for i in warnings]
                )
                hint = did_you_mean(wanted, named or acknowledgeable_codes())
                if hint == wanted:  # a code that exists, only not for this applicant
                    hint = None
                if not code:
                    problem = f"“{wanted}” 缺少导入提示代码（写法：代码 或 代码@字段）"
                elif issue_code(code) is None:
                    problem = f"“{code}” 不是已登记的导入提示代码"
                elif wanted == code:
                    problem = f"企业 {applicant.uscc} 的当前数据没有代码为 “{code}” 的导入提示"
                else:
                    problem = f"企业 {applicant.uscc} 的当前数据没有 “{wanted}” 这条导入提示"
                raise NotFoundError(
                    problem
                    + (f"，您是不是要写 “{hint}”？" if hint else "")
                    + (f"；现有提示：{'、'.join(named)}" if named else "；当前数据没有任何提示")
                )
            by_key: dict[str, list[dict[str, Any]]] = {}
            for issue in matching:
                by_key.setdefault(issue_key(issue), []).append(issue)
            for key, issues in by_key.items():
                if key in acknowledged:
                    continue
                acknowledged.add(key)
                field = issues[0].get("field")
                earlier = record_item("warning", key, None, False)
                review_event(
                    "warning-ack",
                    None
                    if earlier is None
                    else {"code": code, "field": field, "reason": earlier[1]},
                    {"code": code, "field": field, "messages": [i["message"] for i in issues]},
                    reason,
                )

        fresh: DomainEvaluation | None = None
        info = round_info(round_row, "")
        confirmations: list[Confirmation] = []
        if confirm:
            names = {actor.id: actor.name}
            for item in review.items:
                if item.kind != "criterion":
                    continue
                if item.evaluator_id not in names:
                    names[item.evaluator_id] = session.get_one(Evaluator, item.evaluator_id).name
                confirmations.append(item_confirmation(item, names[item.evaluator_id]))
            fresh = self.evaluations.score(
                version_applicant(applicant, version),
                info,
                confirmations,
                UNSAVED,
            )

        if opinion and batch is None and "{" in opinion:
            # 不予推荐：{未满足条目} typed for one applicant reads as a batch's would, never with
            # its braces on the 推荐汇总表; filled from the evaluation this save leaves.
            result = fresh.to_dict() if fresh is not None else current_result
            verdict = str(fresh.verdict) if fresh is not None else evaluation.verdict
            values = placeholder_values_of(
                applicant.name, applicant.uscc, round_row.name, verdict, result
            )
            opinion = fill_typed_placeholders(opinion, values)
            check_text("评审意见", opinion, REVIEW_TEXT_LIMIT)

        if decision is not None:
            check_decider(session, round_row, applicant, actor)  # who presides on a panel decides
            if review.decision == Decision.RECOMMEND.value and decision != Decision.RECOMMEND:
                check_not_registered(session, round_row, applicant)
            if decision == Decision.RECOMMEND:
                result = fresh.to_dict() if fresh is not None else current_result
                _check_recommendable(review, result, version.issues)
            before_decision = {"decision": review.decision, "opinion": review.opinion}
            review.decision = str(decision)
            review.opinion = opinion or reason or ""
            review.decided_by_id, review.decided_at = actor.id, now
            review.verdict_at_decision = fresh.verdict if fresh is not None else evaluation.verdict
            after_decision: dict[str, Any] = {
                "decision": str(decision),
                "label": decision.label,
                "opinion": review.opinion,
            }
            if requested and decision == Decision.RETURN:
                after_decision["requested"] = [item.text for item in requested]
                after_decision["requested_fields"] = sorted(
                    {key for item in requested for key in item.fields}
                )
            if batch:
                after_decision["batch"] = batch
            review_event("decision", before_decision, after_decision, None if opinion else reason)
        elif opinion is not None:
            # The opinion is the decision's: on a panel, the member presiding writes it.
            check_decider(session, round_row, applicant, actor)
            review_event("opinion", {"opinion": review.opinion}, {"opinion": opinion}, reason)
            review.opinion = opinion
        review.updated_by_id, review.updated_at = actor.id, now

        evaluation_events: list[AuditEvent] = []
        if fresh is not None:
            digest = input_hash(version.values_hash, info, confirmations)
            if fresh.rulebook_hash != evaluation.rulebook_hash or digest != evaluation.input_hash:
                self.evaluations.store(
                    session,
                    actor,
                    round_row,
                    applicant,
                    version,
                    evaluation,
                    fresh,
                    digest,
                    "review",
                    now,
                    events=evaluation_events,
                )
        session.flush()  # bumps review.version, or raises StaleDataError if someone saved first
        for event_row in events:
            event_row.entity_id = review.id
            event_row.after = {**(event_row.after or {}), "review_version": review.version}
        # Trail order: confirmations, the evaluation they caused, then acknowledgements and
        # the decision taken on that evaluation.
        criteria_events = [e for e in events if e.action.startswith("criterion")]
        session.add_all(criteria_events + evaluation_events)
        session.add_all([e for e in events if not e.action.startswith("criterion")])

    def _conflict(self, round_name: str, uscc: str, seen: int) -> ConflictError:
        with self.store.session() as session:
            round_row = find_round(session, round_name)
            applicant = find_applicant(session, round_row, uscc)
            review = session.scalar(select(Review).where(Review.applicant_id == applicant.id))
            current = review.version if review else 0
            events: Sequence[AuditEvent] = []
            if review is not None:
                # The review's own changes, and the panel members' (each moves the version).
                ours = ((AuditEvent.entity == "review") & (AuditEvent.entity_id == review.id)) | (
                    AuditEvent.entity.startswith("panel_")
                    & (AuditEvent.applicant_id == applicant.id)
                )
                events = session.scalars(
                    select(AuditEvent).where(ours).order_by(AuditEvent.id)
                ).all()
            changes = [
                f"{e.actor} 于 {local_time(e.at)} {audit.summarize(e)}"
                for e in events
                if (e.after or {}).get("review_version", 0) > seen
            ]
        message = (
            f"保存失败：{applicant.name}（{uscc}）的评审已被他人修改"
            f"（您看到的是第 {seen} 版，现在是第 {current} 版）。"
        )
        if changes:
            message += "对方的修改：" + "；".join(changes) + "。"
        message += "您的修改没有保存，请刷新后核对再保存。"
        return ConflictError(message, current_version=current)


def _check_acknowledgeable(code: str) -> None:
    """Refuse acknowledging a registered code that is never reported as a warning."""
    entry = issue_code(code)
    if entry is not None and not entry.acknowledgeable:
        kind = "错误" if entry.severity == "error" else "提示信息"
        raise ReviewRuleError(
            f"“{code}”（{entry.title}）是{kind}，不是需要确认的警告：只有警告可以确认"
        )


def _check_request(
    confirm: Sequence[tuple[str, str]],
    ack_warnings: Sequence[str],
    reason: str | None,
    decision: str | None,
    opinion: str | None,
) -> Decision | None:
    """Refuse a review change the workflow does not allow before anything is read; the
    decision asked for, if any."""
    if not confirm and not ack_warnings and decision is None and opinion is None:
        raise ReviewRuleError("没有要保存的评审内容：请给出确认、改判、提示确认、决定或意见")
    if (confirm or ack_warnings) and not reason:
        raise ReviewRuleError("确认或改判指标、确认导入提示都必须填写理由")
    check_text("理由", reason, REVIEW_TEXT_LIMIT)
    check_text("评审意见", opinion, REVIEW_TEXT_LIMIT)
    target_limit = column_limit(ReviewItem.__table__.c.target)
    for target in [c for c, _ in confirm] + list(ack_warnings):
        check_length(f"指标或提示编号 “{target[:20]}…”", target, target_limit)
    for wanted in ack_warnings:
        _check_acknowledgeable(key_parts(wanted)[0])
    wanted: Decision | None = None
    if decision is not None:
        try:
            wanted = Decision(decision)
        except ValueError:
            choices = "、".join(f"{d.value}（{d.label}）" for d in Decision)
            raise ReviewRuleError(f"决定只能是 {choices}，收到 “{decision}”") from None
        if not (opinion or reason):
            raise ReviewRuleError(f"作出“{wanted.label}”决定必须填写评审意见")
    for criterion_id, state in confirm:
        if state not in (CriterionState.MET, CriterionState.UNMET):
            raise ReviewRuleError(
                f"指标 {criterion_id} 的确认结果只能是 met（{CriterionState.MET.label}）"
                f"或 unmet（{CriterionState.UNMET.label}），"
                f"收到 “{state}”"
            )
    return wanted


def _review_item(review: Review, kind: str, target: str) -> ReviewItem | None:
    """The review's item for a criterion or a warning (its key, or a code as older versions
    saved it), if it has one."""
    return next((i for i in review.items if i.kind == kind and i.target == target), None)


def _withdraw_revision(
    review: Review,
    criterion: dict[str, Any],
    computed: str,
    reason: str | None,
    review_event: Callable[[str, Any, Any, str | None], None],
) -> None:
    """Take back the 改判 of a criterion whose data decide ``computed`` (the evaluator chose
    that state again); refused when there is none to take back."""
    criterion_id, title = criterion["id"], criterion.get("title") or ""
    item = _review_item(review, "criterion", criterion_id)
    if item is None:
        raise ReviewRuleError(
            f"指标 {criterion_id} {title} 按申报数据已为“{state_label(computed)}”，无需改判"
            "（改判为相同结果不改变评价，却会使数据更正后仍保持该结果）；核实情况可写入评审意见"
        )
    review.items.remove(item)
    review_event(
        "criterion-override-withdraw",
        {"criterion": criterion_id, "state": item.state, "reason": item.reason,
         "computed": computed},
        {"criterion": criterion_id, "title": title, "state": computed},
        reason,
    )  # fmt: skip


def _check_recommendable(
    review: Review, result: dict[str, Any], issues: list[dict[str, Any]]
) -> None:
    problems = []
    if result.get("verdict") == Verdict.NOT_QUALIFIED:
        problems.append(
            f"评价结论为“{Verdict.NOT_QUALIFIED.label}”；如认为某项评价有误，请先改判该指标并写明理由"
        )
    criteria = result.get("criteria", [])

    def named(state: CriterionState) -> list[str]:
        # An item shown for information only (加分项) holds nothing up.
        held = [c for c in criteria if c["state"] == state and c.get("kind") != CriterionKind.INFO]
        return [f"{c['id']} {c['title']}" for c in held]

    manual = named(CriterionState.MANUAL)
    if manual:
        problems.append(f"尚有 {len(manual)} 项待人工确认：{'；'.join(manual)}")
    # Data still missing could yet fail a 待定 applicant: a recommendation waits for it (an
    # unknown figure the verdict does not hang on, beside 符合条件, does not hold it up).
    missing = named(CriterionState.UNKNOWN) if result.get("verdict") == Verdict.PENDING else []
    if missing:
        problems.append(
            f"尚有 {len(missing)} 项待补充数据：{'；'.join(missing)}；"
            "请补齐数据后重新导入，或退回补充材料"
        )
    elif result.get("verdict") == Verdict.PENDING and not manual:
        # 待定 with every criterion decided: what the applicant left open as a whole (no
        # 申报类型, where a 新申报 and a 复核 would fare differently).
        reasons = "；".join(result.get("verdict_reasons") or [])
        problems.append(
            f"评价结论为“{Verdict.PENDING.label}”" + (f"：{reasons}" if reasons else "")
        )
    acked = {i.target for i in review.items if i.kind == "warning"}
    open_codes = sorted(
        {
            i["code"]
            for i in issues
            if i["severity"] == "warning" and not is_acknowledged(issue_key(i), acked)
        }
    )
    if open_codes:
        problems.append(f"尚有导入提示未确认：{'、'.join(issue_title(c) for c in open_codes)}")
    if problems:
        raise ReviewRuleError(f"不能作出“{Decision.RECOMMEND.label}”决定：" + "；".join(problems))


def review_state_of(
    session: Session,
    evaluations: Evaluations,
    round_row: Round,
    applicant: Applicant,
    outdated_reason: str | None = None,
) -> ReviewState:
    """The review of one applicant as it stands, with its current evaluation
    (``outdated_reason``: its 需复核 reason where the caller read it already, from the
    applicant's table row)."""
    review = session.scalar(
        select(Review)
        .where(Review.applicant_id == applicant.id)
        .options(selectinload(Review.items).selectinload(ReviewItem.evaluator))
    )
    version = current_version(session, applicant)
    evaluation = (
        session.get(Evaluation, applicant.current_evaluation_id)
        if applicant.current_evaluation_id
        else None
    )
    result = evaluations.full_result(session, evaluation) if evaluation else None
    decided_by = (
        session.get(Evaluator, review.decided_by_id) if review and review.decided_by_id else None
    )
    verdict = evaluation.verdict if evaluation else None
    if outdated_reason is None:
        outdated_reason = _outdated_reason(session, round_row, version, review, verdict)
    return build_review_state(
        round_row.name,
        applicant,
        version,
        review,
        [i.evaluator.name for i in review.items] if review else [],
        verdict,
        result,
        decided_by.name if decided_by else None,
        outdated_reason,
    )


def _outdated_reason(
    session: Session,
    round_row: Round,
    version: ApplicantVersion,
    review: Review | None,
    verdict: str | None,
) -> str:
    """Why the applicant's decision needs a second look (decision_outdated_reason), naming
    what the panel changed after it (panel_review.panel_changes)."""
    if review is None:
        return ""
    words = panel_changes(
        session, round_row.id, {review.applicant_id: (review.decided_at, review.panel_changed_at)}
    )
    return decision_outdated_reason(
        review.decision,
        review.decided_at,
        version.created_at,
        review.verdict_at_decision,
        verdict,
        version.warned_at,
        review.panel_changed_at,
        words.get(review.applicant_id, ""),
    )


def build_review_state(
    round_name: str,
    applicant: Applicant,
    version: ApplicantVersion,
    review: Review | None,
    item_evaluators: list[str],
    verdict: str | None,
    result: dict[str, Any] | None,
    decided_by: str | None,
    outdated_reason: str,
) -> ReviewState:
    """The ReviewState of one applicant from what was read for it (one or many at a time);
    ``outdated_reason``: why its decision needs a second look, "" while it stands."""
    items = tuple(
        ReviewItemInfo(
            kind=i.kind,
            target=i.target,
            state=i.state,
            override=i.override,
            reason=i.reason,
            evaluator=evaluator,
            at=i.at,
        )
        for i, evaluator in zip(review.items if review else [], item_evaluators, strict=True)
    )
    acked = {i.target for i in items if i.kind == "warning"}
    open_warnings = tuple(
        codec.issue_from_dict(issue)
        for issue in version.issues
        if issue["severity"] == "warning" and not is_acknowledged(issue_key(issue), acked)
    )
    open_judgements = tuple(
        (c["id"], c["title"])
        for c in (result or {}).get("criteria", [])
        if c["state"] == CriterionState.MANUAL and c.get("kind") != CriterionKind.INFO
    )
    decision = review.decision if review else None
    return ReviewState(
        round_name=round_name,
        uscc=applicant.uscc,
        name=applicant.name,
        version=review.version if review else 0,
        status=review_status(decision, len(open_judgements), len(open_warnings), bool(items)),
        decision=decision,
        decision_label=decision_label(decision),
        opinion=review.opinion if review else "",
        decided_by=decided_by,
        decided_at=review.decided_at if review else None,
        decision_outdated_reason=outdated_reason,
        items=items,
        open_judgements=open_judgements,
        open_warnings=open_warnings,
        verdict=verdict,
        evaluation=result,
    )
