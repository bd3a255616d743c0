"""Renaming, archiving and restoring rounds on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from tests.store.helpers import make_applicant, make_file, make_uscc, warning
from zjtx.store import (
    NotFoundError,
    ReviewRuleError,
    RoundArchivedError,
    RoundNameError,
    StoreService,
)

ROUND = "2026年第一批专精特新"


def _filled_round(service: StoreService, tmp_path, name: str = ROUND) -> None:
    service.create_round(name, tier="srdi-sme", round_date=date(2026, 5, 20), evaluator="王评审")
    service.import_file(
        name,
        make_file(
            tmp_path / f"{name}.xlsx",
            [make_applicant(1), make_applicant(2)],
            issues=[warning(make_uscc(1))],
        ),
        evaluator="王评审",
    )


def test_rename_keeps_applicants_reviews_and_history(service, tmp_path):
    """A renamed round keeps everything under its new name; the trail says what it was."""
    _filled_round(service, tmp_path)
    service.decide(ROUND, make_uscc(2), "reject", "营业收入不足", evaluator="王评审")
    info = service.rename_round(ROUND, " 2026年第一批（修订） ", evaluator="李组长")
    assert info.name == "2026年第一批（修订）" and info.applicants == 2
    assert [r.name for r in service.list_rounds()] == ["2026年第一批（修订）"]
    with pytest.raises(NotFoundError, match="没有名为"):
        service.get_round(ROUND)
    assert service.review_state(info.name, make_uscc(2)).decision == "reject"
    history = service.history(info.name)
    assert history[-1].action == "round-rename" and history[-1].actor == "李组长"
    assert history[-1].summary == f"将批次 “{ROUND}” 重命名为 “2026年第一批（修订）”"
    assert history[0].action == "round-create"  # the trail before the rename is still there


def test_rename_refuses_empty_same_and_taken_names(service, tmp_path):
    """An empty name, the same name, a taken name or an unknown round are refused in Chinese."""
    _filled_round(service, tmp_path)
    service.create_round("另一批", tier="little-giant", round_date=date(2026, 6, 1))
    with pytest.raises(RoundNameError, match="新名称不能为空"):
        service.rename_round(ROUND, "   ")
    with pytest.raises(RoundNameError, match="与原名称相同"):
        service.rename_round(ROUND, ROUND)
    with pytest.raises(RoundNameError, match="批次 “另一批” 已存在，请换一个名称"):
        service.rename_round(ROUND, "另一批")
    with pytest.raises(NotFoundError, match="没有名为 “不存在”"):
        service.rename_round("不存在", "新名")
    assert {r.name for r in service.list_rounds()} == {ROUND, "另一批"}
    assert [h.action for h in service.history(ROUND)][-1] == "file-import"


def test_archived_round_is_hidden_and_read_only(service, tmp_path):
    """An archived round leaves the default list and refuses imports, rescoring and reviews."""
    _filled_round(service, tmp_path)
    service.create_round("进行中", tier="little-giant", round_date=date(2026, 6, 1))
    info = service.archive_round(ROUND, evaluator="李组长")
    assert info.archived and info.archived_at is not None
    assert info.to_dict()["archived_at"] == info.archived_at.isoformat()
    assert [r.name for r in service.list_rounds()] == ["进行中"]
    listed = {r.name: r for r in service.list_rounds(include_archived=True)}
    assert listed[ROUND].archived_at == info.archived_at and listed[ROUND].applicants == 2
    assert listed["进行中"].archived_at is None

    before = service.statistics(ROUND)
    more = make_file(tmp_path / "more.xlsx", [make_applicant(3)])
    with pytest.raises(RoundArchivedError, match=r"已于 .* 归档，只能查看和导出，不能导入申报数据"):
        service.import_file(ROUND, more)
    with pytest.raises(RoundArchivedError, match="不能重新评价"):
        service.rescore(ROUND)
    with pytest.raises(RoundArchivedError, match="不能修改评审；如需修改评审，请先恢复该批次"):
        service.confirm_criterion(ROUND, make_uscc(1), "T-JUDGE", "met", "已核实")
    with pytest.raises(RoundArchivedError):
        service.acknowledge_warning(ROUND, make_uscc(1), "ratio-mismatch", "已核实")
    with pytest.raises(RoundArchivedError):
        service.decide(ROUND, make_uscc(2), "reject", "不符合")
    with pytest.raises(RoundArchivedError, match="不能重命名"):
        service.rename_round(ROUND, "改名")
    # Reading is unaffected and nothing was written.
    assert service.statistics(ROUND) == before
    assert service.review_state(ROUND, make_uscc(2)).version == 0
    assert service.applicant_detail(ROUND, make_uscc(1)).row.uscc == make_uscc(1)
    assert service.history(ROUND)[-1].summary == f"归档批次 “{ROUND}”（此后只能查看和导出）"
    # Its name stays taken, and the message says where to find it.
    with pytest.raises(RoundNameError, match="已存在（在已归档的批次中），请换一个名称"):
        service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 7, 1))
    with pytest.raises(RoundNameError, match="已存在（在已归档的批次中）"):
        service.rename_round("进行中", ROUND)


def test_restored_round_can_be_worked_on_again(service, tmp_path):
    """Restoring brings the round back into the list and accepts changes again."""
    _filled_round(service, tmp_path)
    service.archive_round(ROUND, evaluator="张评审")
    with pytest.raises(ReviewRuleError, match=r"已于 .* 归档"):
        service.archive_round(ROUND)
    restored = service.restore_round(ROUND, evaluator="李组长")
    assert restored.info.archived_at is None and not restored.info.archived
    assert restored.rechecked == ()  # the register is empty: nothing to check
    assert [r.name for r in service.list_rounds()] == [ROUND]
    with pytest.raises(ReviewRuleError, match="没有归档，无需恢复"):
        service.restore_round(ROUND)
    result = service.import_file(ROUND, make_file(tmp_path / "more.xlsx", [make_applicant(3)]))
    assert result.applicants_new == 1
    state = service.decide(ROUND, make_uscc(2), "reject", "不符合", evaluator="李组长")
    assert state.decision == "reject"
    actions = [(h.action, h.actor) for h in service.history(ROUND) if h.action.startswith("round")]
    assert actions == [
        ("round-create", "王评审"),
        ("round-archive", "张评审"),
        ("round-restore", "李组长"),
    ]
    restore = next(h for h in service.history(ROUND) if h.action == "round-restore")
    assert restore.summary == f"恢复批次 “{ROUND}”（可继续导入和评审）"
