"""The pure diff of two sets of evaluations: deciding criteria and carried confirmations."""

from __future__ import annotations

from zjtx.domain.results import Confirmation, CriterionState
from zjtx.scoring.what_if import Outcome, carry_confirmations, criterion_shifts, what_if


def _outcome(rulebook, verdict, *criteria):
    return Outcome(rulebook, verdict, None, tuple(criteria))


def test_worse_verdict_is_decided_by_what_fails_after():
    """qualified → not_qualified: the criterion unmet after is deciding; one lifted (unmet
    before, absent after) is listed but not deciding; a failing route alone is not listed."""
    before = _outcome("A", "qualified", ("A1", "收入", "met", "gate"),
                      ("A2", "旧指标", "unmet", "gate"), ("A3", "路径", "unmet", "route"))  # fmt: skip
    after = _outcome("B", "not_qualified", ("B1", "收入", "unmet", "gate"))
    shifts = criterion_shifts(before, after, [("A1", "B1")])
    assert [(s.before_id, s.after_id, s.deciding) for s in shifts] == [
        ("A1", "B1", True),
        ("A2", None, False),
    ]
    assert shifts[0].label == "A1→B1 收入：符合 → 不符合"


def test_better_verdict_is_decided_by_what_failed_before():
    """pending → qualified: the criterion unknown before and met after is deciding."""
    before = _outcome("A", "pending", ("X", "研发", "unknown", "gate"))
    after = _outcome("A", "qualified", ("X", "研发", "met", "gate"))
    result = what_if({"U1": "甲公司"}, {"U1": before}, {"U1": after})
    [changed] = result.changed
    assert [s.deciding for s in changed.criteria] == [True]
    assert result.transitions == {("pending", "qualified"): 1}
    assert [(d.criterion_id, d.side, d.count) for d in result.deciding] == [("X", "before", 1)]


def test_confirmations_carry_to_kept_criteria_only():
    """A confirmation moves to a criterion the rulebook keeps unchanged under a new id, stays on
    one it has, and is dropped for a criterion it changed or removed."""

    def confirm(cid):
        return Confirmation(cid, CriterionState.MET, "证明材料", "王评审")

    carried, dropped = carry_confirmations(
        [confirm("A1"), confirm("A2"), confirm("B3")], {"B1", "B3"}, {"A1": "B1"}
    )
    assert [c.criterion_id for c in carried] == ["B1", "B3"]
    assert [c.criterion_id for c in dropped] == ["A2"]
