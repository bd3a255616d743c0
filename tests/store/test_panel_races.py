"""Panel acts on one applicant at the same moment end as they do one after the other."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest

import zjtx.store.panels as panels_module
import zjtx.store.reviews as reviews_module
from tests.store.test_panels import ROUND, A, _decide, _staff, panels  # noqa: F401
from zjtx.store.panel_deciding import PanelRefusedError


def _racing(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Make the two acts both pass ``name`` (a check) before either writes, when they can."""
    barrier = threading.Barrier(2, timeout=2)
    real = getattr(module, name)

    def checked(*args: Any, **kwargs: Any) -> Any:
        # Broken: the other act waited for this one's lock, so there is no race to make.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, checked)


def _both(*acts: Any) -> list[Any]:
    """Run the acts at once; what each returned or raised."""
    outcomes: list[Any] = [None] * len(acts)

    def run(index: int, act: Any) -> None:
        try:
            outcomes[index] = act()
        except Exception as exc:
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=pair, daemon=True) for pair in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_a_recusal_and_a_judgement_at_once_do_not_both_stand(panels, monkeypatch):  # noqa: F811
    """A member judging while their 回避 (not withdrawing judgements) is recorded: one of the
    two is refused, as one after the other; never a recused member with a judgement."""
    _, store = panels
    _staff(store, 2)
    _racing(monkeypatch, panels_module, "recusal_of")
    outcomes = _both(
        lambda: store.judge(
            ROUND, A, member="专家1", criterion="T-JUDGE", met=True, evaluator="专家1"
        ),
        lambda: store.recuse(ROUND, A, member="专家1", reason="亲属任职", evaluator="王组长"),
    )
    refused = [o for o in outcomes if isinstance(o, PanelRefusedError)]
    assert len(refused) == 1, outcomes
    [position] = [
        p
        for c in store.positions(ROUND, A).criteria
        if c.criterion == "T-JUDGE"
        for p in c.positions
        if p.member == "专家1"
    ]
    assert position.recused != (position.met is not None), position


def test_a_chair_deciding_while_their_recusal_is_recorded_needs_a_second_look(
    panels,  # noqa: F811
    monkeypatch,
):
    """The 组长 decides while another records the 组长's 回避: the decision is refused or
    reads 需复核, as one after the other; never a recused chair's decision unflagged."""
    service, store = panels
    _staff(store, 2)
    store.add_member(ROUND, "副组长甲", unit="某大学", role="副组长", evaluator="秘书")
    _racing(monkeypatch, reviews_module, "check_decider")
    outcomes = _both(
        lambda: _decide(service, "王组长"),
        lambda: store.recuse(ROUND, A, member="王组长", reason="曾任顾问", evaluator="秘书"),
    )
    assert not [o for o in outcomes[1:] if isinstance(o, Exception)], outcomes
    state = service.review_state(ROUND, A)
    if isinstance(outcomes[0], Exception):
        assert state.decision is None
    else:
        assert state.decision == "reject" and state.decision_outdated_reason, state
