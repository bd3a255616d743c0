"""`zjtx round stats` (the overview of a round) and `zjtx round compare` (a rule change)."""

from __future__ import annotations

import argparse

from zjtx.commands.rounds import _common, _guarded, _service
from zjtx.commands.textout import dump_json
from zjtx.domain.labels import Decision, ReviewStatus, Verdict
from zjtx.store.statistics import (
    NO_DECISION,
    NO_PLACE,
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
    lines = [f"批次 “{overview.round_name}” 共 {total} 家，已作决定 {overview.decided} 家"]
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
    lines.append("地区（省、市）")
    for province, count in overview.by_region.items():
        lines.append(f"  {province}  {count} 家")
        cities = overview.by_city.get(province, {})
        if set(cities) != {NO_PLACE}:
            lines += [f"    {city}  {n} 家" for city, n in cities.items()]
    lines += _counts("行业门类（GB/T 4754-2017）", overview.by_industry, total)
    lines += _counts("行业大类", overview.by_division, total)
    lines.append("各条目（未满足 / 待补充数据 / 待人工确认）")
    for item in overview.criteria:
        if item.unmet or item.unknown or item.manual:
            lines.append(f"  {item.label}  ×{item.unmet} / {item.unknown} / {item.manual}")
    if overview.score_bins:
        lines.append("得分分布")
        lines += [f"  {b.label}  {b.count} 家" for b in overview.score_bins]
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
