"""`zjtx round stats` (the overview of a round) and `zjtx round compare` (a rule change)."""

from __future__ import annotations

import argparse

from zjtx.commands.rounds import _common, _guarded, _parse_settings, _service
from zjtx.commands.textout import dump_json
from zjtx.domain.labels import CriterionState, Decision, ReviewStatus, Verdict
from zjtx.store.round_compare import NO_OVERLAY, CompareRules, RoundComparison, compare_round
from zjtx.store.statistics import (
    NO_DECISION,
    NOT_EVALUATED,
    RoundOverview,
    round_overview,
)


def register(actions: argparse._SubParsersAction) -> None:
    """Add ``stats`` and ``compare`` to the ``zjtx round`` actions."""
    stats = actions.add_parser(
        "stats",
        help="批次概览：评审进度，按结论、决定、地区、行业统计，各条目未满足家数，得分分布",
    )
    stats.add_argument("name", metavar="NAME")
    _common(stats)
    stats.set_defaults(func=cmd_stats)

    compare = actions.add_parser(
        "compare",
        help="规则变化的影响：按另一评价标准、省级规则或批次设置评价本批次企业，与现有结论对照",
        description="不改动任何数据：用各企业当前的申报数据与人工确认，按指定规则重新计算，"
        "列出结论改变的企业及起决定作用的条目。",
    )
    compare.add_argument("name", metavar="NAME")
    compare.add_argument(
        "--rulebook", metavar="ID", help="比较的评价标准 id（默认为本批次现用的标准）"
    )
    compare.add_argument(
        "--overlay",
        metavar="O",
        help=f"省级规则 id（默认沿用本批次的省级规则；{NO_OVERLAY} 表示不用省级规则）",
    )
    compare.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=true|false",
        help="批次设置（覆盖本批次的设置，可重复）",
    )
    compare.add_argument(
        "--cross-tier",
        action="store_true",
        help="允许比较其他层级的评价标准（如专精特新批次按小巨人标准）",
    )
    _common(compare)
    compare.set_defaults(func=cmd_compare)


def _label(code: str, kind: type[Verdict] | type[Decision] | type[ReviewStatus]) -> str:
    if code == NOT_EVALUATED and kind is Verdict:
        return "未评价"
    if code == NO_DECISION and kind is Decision:
        return "未决定"
    return kind.label_of(code)


def _counts(title: str, counts: dict[str, int], total: int, label=lambda k: k) -> list[str]:
    lines = [title]
    for key, count in counts.items():
        share = f"{count * 100 / total:.1f}%" if total else "—"  # display only
        lines.append(f"  {label(key)}  {count} 家（{share}）")
    return lines


def render_overview(overview: RoundOverview) -> str:
    """The overview as text for the terminal."""
    total = overview.applicants
    lines = [
        f"批次 “{overview.round_name}” 共 {total} 家，已作决定 {overview.decided} 家"
        + (f"（其中 {overview.outdated} 家需复核）" if overview.outdated else "")
    ]
    if overview.decided_by:
        lines.append(
            "  其中："
            + "；".join(f"{name} {count} 家" for name, count in overview.decided_by.items())
        )
    lines += _counts("评价结论", overview.by_verdict, total, lambda k: _label(k, Verdict))
    lines += _counts("评审决定", overview.by_decision, total, lambda k: _label(k, Decision))
    lines += _counts(
        "评审状态", overview.by_review_status, total, lambda k: _label(k, ReviewStatus)
    )
    lines += _counts(overview.place_heading, overview.by_place, total)
    lines += _counts("行业门类（GB/T 4754-2017）", overview.by_industry, total)
    lines += _counts("行业大类", overview.by_division, total)
    lines.append("各条目（未满足 / 待补充数据 / 待人工确认）")
    for item in overview.criteria:
        if item.unmet or item.unknown or item.manual:
            # An alternative (直通) left unmet fails no applicant: said, so ×11 is not read
            # as eleven applicants failing it.
            label = (
                f"{item.label}（直通条件，未满足不致不符合）" if item.alternative else item.label
            )
            lines.append(f"  {label}  ×{item.unmet} / {item.unknown} / {item.manual}")
    if overview.score_bins:
        lines.append("得分分布")
        lines += [f"  {label}  {count} 家" for label, count, _ in overview.score_bars]
        if overview.open_scores:
            lines.append("  （得分未定：有待补充数据或待人工确认的计分条目，不计入各分数段）")
    if overview.near_misses:
        lines.append("只差一项的企业（不符合条件，仅一个条目未满足）")
        for miss in overview.near_misses:
            gap = f"，差距：{miss.gap}" if miss.gap else ""
            lines.append(
                f"  {miss.name}（{miss.uscc}）  {miss.criterion_id} {miss.criterion_title}"
                f"：{miss.observed or '—'}，要求 {miss.requirement}{gap}"
            )
    return "\n".join(lines)


@_guarded
def cmd_stats(args: argparse.Namespace) -> int:
    with _service() as service:
        overview = round_overview(service.store, args.name)
    if args.json:
        print(dump_json(overview.to_dict()))
    else:
        print(render_overview(overview))
    return 0


def _verdict(code: str) -> str:
    return _label(code, Verdict)


def _state(code: str | None) -> str:
    return "无此条目" if code is None else CriterionState.label_of(code)


def render_comparison(comparison: RoundComparison) -> str:
    """The comparison as text for the terminal."""
    result = comparison.result
    lines = [
        f"批次 “{comparison.round_name}”（{comparison.round_date.isoformat()}）共 "
        f"{result.applicants} 家",
        f"  现行规则：{comparison.current}",
        f"  比较规则：{comparison.target}",
    ]
    lines += [f"  注意：{note}" for note in comparison.notes]
    lines.append(f"结论改变 {len(result.changed)} 家，不变 {result.unchanged} 家")
    lines.append("评价结论（现行 → 比较）")
    for verdict in dict.fromkeys([*result.before, *result.after]):
        before, after = result.before.get(verdict, 0), result.after.get(verdict, 0)
        lines.append(f"  {_verdict(verdict)}  {before} → {after} 家")
    lines.append("结论变化")
    for (before, after), count in result.transitions.items():
        change = "不变" if before == after else "改变"
        lines.append(f"  {_verdict(before)} → {_verdict(after)}  {count} 家（{change}）")
    if result.deciding:
        lines.append("起决定作用的条目（改变结论的家数）")
        for item in result.deciding:
            side = "比较规则下" if item.side == "after" else "现行规则下"
            lines.append(
                f"  {item.criterion_id} {item.title}  {side}{_state(item.state)} ×{item.count}"
            )
    if result.changed:
        lines.append("结论改变的企业")
    for shift in result.changed:
        lines.append(
            f"  {shift.name}（{shift.uscc}）  {_verdict(shift.before)} → {_verdict(shift.after)}"
        )
        for item in shift.criteria:
            mark = "★" if item.deciding else "·"
            lines.append(f"    {mark} {item.label}")
    return "\n".join(lines)


@_guarded
def cmd_compare(args: argparse.Namespace) -> int:
    rules = CompareRules(
        rulebook=args.rulebook,
        overlay=args.overlay,
        settings=_parse_settings(args.setting),
        cross_tier=args.cross_tier,
    )
    with _service() as service:
        comparison = compare_round(service.store, args.name, rules)
    if args.json:
        print(dump_json(comparison.to_dict()))
    else:
        print(render_comparison(comparison))
    return 0
