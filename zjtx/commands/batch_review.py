"""`zjtx review NAME --all [--verdict V] [--region R] --decision D --opinion TEXT`: one decision
for every applicant of a round that the filters keep."""

from __future__ import annotations

import argparse

from zjtx.cli import UsageError
from zjtx.commands.textout import dump_json
from zjtx.domain.labels import Decision, ReviewStatus, Verdict
from zjtx.export.corrections import requested_for
from zjtx.store import StoreError
from zjtx.store.batch_opinions import OPINION_PLACEHOLDERS
from zjtx.store.identity import IdentityMissingError, review_evaluator

BATCH_VERDICTS = tuple(Verdict.labels())


def add_batch_options(review: argparse.ArgumentParser) -> None:
    """The options of a batch decision on the `review` parser."""
    review.add_argument(
        "--all",
        action="store_true",
        help="对批次中（经 --verdict、--region 筛选后）尚未决定的全部企业作出同一决定；"
        "意见可用占位符："
        + "、".join(f"{{{n}}}" for n in OPINION_PLACEHOLDERS)
        + "。他人已修改或已有决定的企业跳过并列出，不会覆盖",
    )
    review.add_argument(
        "--verdict",
        choices=BATCH_VERDICTS,
        help="与 --all 合用：只处理评价结论为此的企业（qualified 符合条件 / not_qualified "
        "不符合条件 / pending 待定）",
    )
    review.add_argument(
        "--region", metavar="PLACE", help="与 --all 合用：只处理所在省、市或区县为 PLACE 的企业"
    )


def cmd_review_all(args: argparse.Namespace) -> int:
    """Decide every applicant the filters keep; exit 0 when all were decided or had a decision,
    1 when the rules refused some, 3 when some had been changed by someone else meanwhile."""
    from zjtx.commands.rounds import _Failure, _service

    if args.uscc is not None and args.all:
        raise UsageError("USCC 与 --all 只能给出一个：逐家评审写统一社会信用代码，批量决定用 --all")
    if not args.all:
        raise UsageError("请给出统一社会信用代码（逐家评审），或用 --all 批量决定")
    if args.confirm or args.ack_warning or args.expect_version is not None:
        raise UsageError("--all 只能批量作出决定；确认、改判指标与确认导入提示请逐家进行")
    if args.decision is None:
        raise UsageError("--all 须用 --decision 给出决定（recommend / reject / return）")
    if not (args.opinion or args.reason):
        raise UsageError(f"作出“{Decision.label_of(args.decision)}”决定必须填写 --opinion 评审意见")
    try:
        evaluator = review_evaluator(args.evaluator)
    except IdentityMissingError as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:
        raise _Failure(str(exc)) from None
    with _service() as service:
        rows = service.list_applicants(args.name, verdict=args.verdict, region=args.region)
        targets = [(r.uscc, r.review_version) for r in rows if not r.decision]
        already = len(rows) - len(targets)
        if not targets:
            raise UsageError(
                "没有可处理的企业："
                + ("筛选出的企业都已有决定" if rows else "没有符合筛选条件的企业")
            )
        # A bad template or decision is a ReviewRuleError: _service makes it a usage error.
        result = service.reviews.decide_batch(
            args.name,
            targets,
            decision=args.decision,
            opinion_template=args.opinion or args.reason,
            reason=args.reason,
            evaluator=evaluator,
            requested_for=lambda uscc: requested_for(service, args.name, uscc),
        )
    if args.json:
        print(dump_json({**result.to_dict(), "already_decided": already}))
    else:
        print(result.summary() + (f"（另有 {already} 家此前已有决定，未列入）" if already else ""))
        for item in result.decided:
            print(f"  {ReviewStatus.DECIDED.label}  {item.uscc}  {item.name}")
        for item in result.not_decided:
            why = item.message or item.to_dict()["outcome_label"]
            print(f"  未处理  {item.uscc}  {item.name}：{why}")
    if result.of("conflict"):
        return 3
    return 1 if result.of("refused") else 0
