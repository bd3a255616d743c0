"""`zjtx panel`: a round's expert panel (专家组): members, judgements, 回避, opinions, positions."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from zjtx.cli import UsageError
from zjtx.commands.rounds import _common, _Failure, _guarded, _service, _write_output
from zjtx.commands.textout import MET_HELP, dump_json, met_word
from zjtx.store.panel_deciding import PanelRefusedError
from zjtx.store.panel_positions import (
    AGGREGATION_LABELS,
    ApplicantPanel,
    PanelInfo,
    entered_by,
)
from zjtx.store.panels import Panels


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``zjtx panel`` and its actions."""
    parser = subparsers.add_parser(
        "panel",
        help="评审专家组：成员、各专家的判断与评分、回避声明、个人意见、各条目的一致与分歧",
        description="批次设有专家组时，各评审专家记录本人对人工判断条目的判断（计分条目给出评分）"
        "和个人意见，声明回避的专家不能评审该企业；最终决定只能由组长作出（组长回避的企业"
        "由副组长代行）。",
    )
    actions = parser.add_subparsers(dest="panel_command", metavar="ACTION")

    add = actions.add_parser("add", help="添加专家组成员")
    add.add_argument("round", metavar="ROUND")
    add.add_argument("--name", required=True, help="专家姓名")
    add.add_argument("--unit", default="", help="工作单位")
    add.add_argument(
        "--role", required=True, help="评审专家、副组长（组长回避的企业由其代行决定）或 组长"
    )
    _common(add, evaluator=True)
    add.set_defaults(func=cmd_add)

    listing = actions.add_parser("list", help="列出专家组成员与评分汇总规则")
    listing.add_argument("round", metavar="ROUND")
    _common(listing)
    listing.set_defaults(func=cmd_list)

    remove = actions.add_parser("remove", help="移除尚未记录任何判断、意见或回避的成员")
    remove.add_argument("round", metavar="ROUND")
    remove.add_argument("--name", required=True, help="专家姓名")
    _common(remove, evaluator=True)
    remove.set_defaults(func=cmd_remove)

    rule = actions.add_parser("rule", help="评分汇总规则：mean（算术平均）或 trimmed（去掉一个"
                              "最高分和一个最低分，5 名及以上专家评分时）")  # fmt: skip
    rule.add_argument("round", metavar="ROUND")
    rule.add_argument("rule", metavar="RULE", help="mean 或 trimmed")
    _common(rule, evaluator=True)
    rule.set_defaults(func=cmd_rule)

    judge = actions.add_parser("judge", help="记录一位专家对一个人工判断条目的判断")
    _applicant(judge)
    judge.add_argument("--criterion", required=True, metavar="ID", help="条目编号")
    judge.add_argument(
        "--met",
        required=True,
        metavar="yes|no",
        help="是否符合：yes 或 no（也可写 met/unmet、是/否）",
    )
    judge.add_argument("--points", metavar="P", help="计分条目的本人评分")
    judge.add_argument("--note", default="", help="说明")
    _common(judge, evaluator=True)
    judge.set_defaults(func=cmd_judge)

    recuse = actions.add_parser("recuse", help="记录一位专家对某企业的回避声明")
    _applicant(recuse)
    recuse.add_argument("--reason", required=True, help="回避理由")
    recuse.add_argument(
        "--withdraw-judgements",
        action="store_true",
        help="专家已作出判断或发表意见后才发现须回避：由组长（组长回避的企业由副组长）确认，"
        "撤回其对该企业的判断和意见"
        "（审计记录中保留）",
    )
    _common(recuse, evaluator=True)
    recuse.set_defaults(func=cmd_recuse)

    unrecuse = actions.add_parser(
        "unrecuse", help="撤销误录的回避声明（由组长操作；组长回避的企业由副组长）"
    )
    _applicant(unrecuse)
    unrecuse.add_argument("--reason", required=True, help="撤销理由（如 录入错误）")
    _common(unrecuse, evaluator=True)
    unrecuse.set_defaults(func=cmd_unrecuse)

    opinion = actions.add_parser("opinion", help="记录一位专家对某企业的个人意见")
    _applicant(opinion)
    opinion.add_argument("--text", "--opinion", dest="text", required=True,
                         help="意见（--opinion 同义，与 zjtx review 一致）")  # fmt: skip
    _common(opinion, evaluator=True)
    opinion.set_defaults(func=cmd_opinion)

    show = actions.add_parser("show", help="各条目上每位专家的判断、一致或分歧、汇总评分与最终决定")
    show.add_argument("round", metavar="ROUND")
    show.add_argument("uscc", metavar="USCC")
    _common(show)
    show.set_defaults(func=cmd_show)

    sheet = actions.add_parser("sheet", help="专家评分汇总表（.pdf 或 .xlsx）")
    sheet.add_argument("round", metavar="ROUND")
    sheet.add_argument("--out", required=True, metavar="FILE", help="输出文件：.pdf 或 .xlsx")
    _common(sheet)
    sheet.set_defaults(func=cmd_sheet)


def _applicant(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("round", metavar="ROUND")
    parser.add_argument("uscc", metavar="USCC")
    parser.add_argument("--member", required=True, metavar="NAME", help="专家姓名")


@contextmanager
def _panels() -> Iterator[Panels]:
    """The panel store; a panel rule's refusal exits 1, a mistyped request 2."""
    with _service() as service:
        try:
            yield Panels(service.store, service.evaluations)
        except PanelRefusedError as exc:
            raise _Failure(str(exc)) from None


def render_panel(info: PanelInfo) -> str:
    if not info.members:
        return f"批次 “{info.round_name}” 没有专家组（单人评审：评审人即可作出决定）"
    lines = [f"批次 “{info.round_name}” 专家组（评分汇总：{AGGREGATION_LABELS[info.aggregation]}）"]
    lines += [
        f"  {m.role_label}  {m.name}  {m.unit or '—'}  已记录判断 {m.judgements} 项"
        for m in info.members
    ]
    return "\n".join(lines)


def render_positions(view: ApplicantPanel) -> str:
    lines = [f"{view.name}（{view.uscc}）  批次 “{view.round_name}”"]
    if not view.members:
        lines.append("本批次没有专家组")
    for item in view.criteria:
        counts = f"（{item.counts}）" if item.counts else ""
        lines.append(f"{item.criterion} {item.title}：{item.agreement_label}{counts}")
        if not item.needed:  # the data decided it: no member's line to read as skipped
            continue
        for p in item.positions:
            note = f"  {p.note}" if p.note else ""
            lines.append(f"  {p.member}：{p.label}{note}")
        if item.aggregate is not None:
            lines.append(f"  汇总评分：{item.aggregate_text('')}")
    for name in view.recusals:
        lines.append(f"{name} {view.recusal_text(name)}")
    for name, text in view.opinions.items():
        lines.append(f"意见：{name}：{text}")
    for name, who in view.proxies.items():
        lines.append(f"{name} 的判断或意见：{entered_by(who)}")
    decision = (
        f"{view.decision_text}（{view.decided_by}）；意见：{view.opinion}"
        if view.decision
        else "尚未决定" + (f"，{view.who_decides}" if view.members else "")
    )
    lines.append(f"最终决定：{decision}")
    if view.decision and view.decision_outdated_reason:
        lines.append(f"需复核：{view.decision_outdated_reason}")
    return "\n".join(lines)


@_guarded
def cmd_add(args: argparse.Namespace) -> int:
    with _panels() as panels:
        member = panels.add_member(
            args.round, args.name, unit=args.unit, role=args.role, evaluator=args.evaluator
        )
    if args.json:
        print(dump_json(member.to_dict()))
    else:
        print(f"已添加{member.role_label} {member.name}")
    return 0


@_guarded
def cmd_list(args: argparse.Namespace) -> int:
    with _panels() as panels:
        info = panels.panel(args.round)
    print(dump_json(info.to_dict()) if args.json else render_panel(info))
    return 0


@_guarded
def cmd_remove(args: argparse.Namespace) -> int:
    with _panels() as panels:
        panels.remove_member(args.round, args.name, evaluator=args.evaluator)
    print(dump_json({"removed": args.name}) if args.json else f"已移除 {args.name}")
    return 0


@_guarded
def cmd_rule(args: argparse.Namespace) -> int:
    with _panels() as panels:
        note = panels.set_aggregation(args.round, args.rule, evaluator=args.evaluator)
        info = panels.panel(args.round)
    print(dump_json({**info.to_dict(), "note": note}) if args.json else render_panel(info))
    if note and not args.json:
        print(note)
    return 0


@_guarded
def cmd_judge(args: argparse.Namespace) -> int:
    met = met_word(args.met)
    if met is None:
        raise UsageError(f"--met 应为 {MET_HELP}，收到 “{args.met}”")
    with _panels() as panels:
        item = panels.judge(args.round, args.uscc, member=args.member, criterion=args.criterion,
                            met=met, points=args.points, note=args.note,
                            evaluator=args.evaluator)  # fmt: skip
    if args.json:
        print(dump_json(item.to_dict()))
    else:
        print(f"已记录 {args.member} 对 {item.criterion} 的判断；各专家：{item.agreement_label}")
    return 0


@_guarded
def cmd_recuse(args: argparse.Namespace) -> int:
    with _panels() as panels:
        kept = panels.recuse(args.round, args.uscc, member=args.member, reason=args.reason,
                             evaluator=args.evaluator,
                             withdraw_judgements=args.withdraw_judgements)  # fmt: skip
    text = f"已记录 {args.member} 回避" + (
        "，并撤回其在专家组中对该企业的判断和意见" if args.withdraw_judgements else ""
    )
    if args.json:
        print(dump_json({"recused": args.member, "still_in_force": kept}))
    else:
        print(f"{text}；{kept}" if kept else text)
    return 0


@_guarded
def cmd_unrecuse(args: argparse.Namespace) -> int:
    with _panels() as panels:
        panels.withdraw_recusal(args.round, args.uscc, member=args.member, reason=args.reason,
                                evaluator=args.evaluator)  # fmt: skip
    text = f"已撤销 {args.member} 的回避，该专家可以评审此企业"
    print(dump_json({"recusal_withdrawn": args.member}) if args.json else text)
    return 0


@_guarded
def cmd_opinion(args: argparse.Namespace) -> int:
    with _panels() as panels:
        panels.opinion(args.round, args.uscc, member=args.member, text=args.text,
                       evaluator=args.evaluator)  # fmt: skip
    print(dump_json({"opinion": args.text}) if args.json else f"已记录 {args.member} 的意见")
    return 0


@_guarded
def cmd_show(args: argparse.Namespace) -> int:
    with _panels() as panels:
        view = panels.positions(args.round, args.uscc)
    print(dump_json(view.to_dict()) if args.json else render_positions(view))
    return 0


@_guarded
def cmd_sheet(args: argparse.Namespace) -> int:
    from datetime import datetime
    from pathlib import Path

    from zjtx.export.panel_sheet import (
        panel_sheet_of,
        write_panel_sheet_pdf,
        write_panel_sheet_xlsx,
    )

    out = Path(args.out)
    writer = {".pdf": write_panel_sheet_pdf, ".xlsx": write_panel_sheet_xlsx}.get(
        out.suffix.lower()
    )
    if writer is None:
        raise UsageError(f"--out 须为 .pdf 或 .xlsx 文件，收到 “{args.out}”")
    with _panels() as panels:
        sheet = panel_sheet_of(panels, args.round, datetime.now().astimezone())
    _write_output(writer, sheet, out)
    if args.json:
        print(dump_json({"file": str(out), "rows": len(sheet.rows), "applicants": sheet.listed,
                         "left_out": sheet.left_out}))  # fmt: skip
    else:
        print(f"已写出专家评分汇总表 {out}：{len(sheet.rows)} 行；{sheet.scope}")
    return 0
