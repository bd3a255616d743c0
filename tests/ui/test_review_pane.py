"""The review pane words an informational item (单项冠军 加分项) as held or not: 有 / 无."""

from __future__ import annotations

import json
from datetime import date

from tests.store.helpers import make_uscc
from zjtx.ui.review import ReviewPane
from zjtx.ui.tasks import TaskRunner

ROUND = "2026年单项冠军"


def test_an_informational_item_is_answered_as_held_or_not(qtbot, service, tmp_path):
    """Choosing SC23-B (加分项) offers 有 / 无 and lists it so; choosing a requirement of the
    same applicant offers 符合 / 不符合 again."""
    record = {"name": "杭州冠军纺机有限公司", "uscc": make_uscc(3), "application_type": "new"}
    path = tmp_path / "冠军.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    service.create_round(ROUND, tier="single-champion", round_date=date(2026, 6, 1))
    service.import_paths(ROUND, [path])
    pane = ReviewPane(TaskRunner(), lambda: service, lambda: "王评审")
    qtbot.addWidget(pane)
    pane.show_state(service.review_state(ROUND, make_uscc(3)))

    bonus = pane.criterion_combo.findData("SC23-B")
    # Not among the items waiting (it holds nothing up), yet open to record.
    assert pane.criterion_combo.itemText(bonus) == "SC23-B 加分项（待人工确认）"
    assert pane.select_criterion("SC23-B")
    assert (pane.met_radio.text(), pane.unmet_radio.text()) == ("有", "无")
    assert pane.select_criterion("SC23-1")
    assert (pane.met_radio.text(), pane.unmet_radio.text()) == ("符合", "不符合")

    service.confirm_criterion(
        ROUND, make_uscc(3), "SC23-B", "unmet", "无加分项", evaluator="王评审"
    )
    pane.show_state(service.review_state(ROUND, make_uscc(3)))
    listed = pane.criterion_combo.itemText(pane.criterion_combo.findData("SC23-B"))
    assert listed.endswith("（无）")
