"""A case analysis narrowly missed: the easier band an applicant's figure is a hair short of."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zjtx.scoring.context import MET, UNMET, Context

# How near a band's edge a figure must be for a failed case analysis to name the band it
# narrowly missed (a slip of 1 万元 in 营业收入 is worth checking; 6,000 万元 short is not).
NEAR_EDGE = Decimal("0.05")


def other_cases(ctx: Context, skipped: Sequence[tuple[Any, Any]]) -> list[str]:
    """For a case analysis that fails: each earlier case whose selector the applicant's
    figure narrowly misses (营业收入 9999 万元 against a band from 1亿元) and whose requirement
    the data meets, with how far the figure is, so a likely slip is looked at."""
    gaps = []
    top = ctx.top
    for when, then in skipped:
        if not when.near_edge(ctx, NEAR_EDGE) or then.reads() is None:
            continue
        # The band's requirement decided with the figure at the edge it names: reaching the
        # band moves the figures computed from it (研发费用占比 over 营业收入) as well.
        at_edge = when.at_edge(ctx)
        if at_edge is None or then.decider()(at_edge) is not MET:
            continue
        ctx.top = (when, UNMET)
        selector = when.explain(ctx)
        ctx.top = top
        if selector.gaps:
            gaps.append(
                f"或{'；'.join(selector.gaps)}（达到后适用“{when.requirement()}”一档的要求，"
                "按其余现有数据已满足）"
            )
    return gaps
