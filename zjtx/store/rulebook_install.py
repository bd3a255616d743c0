"""Installing a rulebook, overlay or notice file, saying which open rounds it leaves without one."""

from __future__ import annotations

from pathlib import Path

from zjtx.domain.applicant import Applicant
from zjtx.domain.labels import ApplicationType
from zjtx.scoring.definitions import bundled_dir
from zjtx.scoring.installing import (
    FileCheck,
    Uninstalled,
    install_file,
    installed_kind,
    uninstall_file,
)
from zjtx.store.engine import open_store
from zjtx.store.errors import InvalidRequestError, StoreError
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.service import StoreService


def uncovered_rounds() -> set[tuple[str, str, str]]:
    """(round, date, application type) of each open round of the configured database that no
    rulebook governs now; empty when the database cannot be read (installing a file does not
    depend on it)."""
    try:
        store = open_store()
    except StoreError:
        return set()
    try:
        rounds = StoreService(store).list_rounds()
    except StoreError:
        return set()
    finally:
        store.close()
    scorer = RulebookScorer()
    return {
        (info.name, info.round_date.isoformat(), ApplicationType.label_of(kind))
        for info in rounds
        for kind in ("new", "renewal")
        if scorer.governing(Applicant({"application_type": kind}), info) is None
    }


def install_checking_rounds(path: Path) -> tuple[FileCheck, Path | None, str]:
    """install_file, and a warning ("" for none) naming the open rounds the installed file
    leaves without a standard: a correction that ends one (to make room for a newer) leaves
    rounds dated after it with none, which is said now, not at their next rescore or export."""
    before = uncovered_rounds()
    check, target = install_file(path)
    lost = sorted(uncovered_rounds() - before) if target is not None else []
    if not lost:
        return check, target, ""
    named = "、".join(f"{name}（{day}，{kind}）" for name, day, kind in lost)
    return (
        check,
        target,
        (
            f"安装后以下进行中的批次没有适用的评价标准，无法重新评价或导出：{named}；"
            "请再安装适用于这些日期的标准"
        ),
    )


def _lost_text(before: set[tuple[str, str, str]], verb: str) -> str:
    lost = sorted(uncovered_rounds() - before)
    if not lost:
        return ""
    named = "、".join(f"{name}（{day}，{kind}）" for name, day, kind in lost)
    return (
        f"{verb}后以下进行中的批次没有适用的评价标准，无法重新评价或导出：{named}；"
        "请再安装适用于这些日期的标准"
    )


def uninstall_checking_rounds(file_id: str) -> tuple[Uninstalled, str]:
    """uninstall_file, refused while an open round uses the overlay and no bundled one of
    its id would take its place; with a warning ("" for none) naming the open rounds left
    without a standard."""
    kind = installed_kind(file_id)
    if kind == "overlays" and not (bundled_dir(kind) / f"{file_id}.yaml").is_file():
        try:
            store = open_store()
        except StoreError:
            store = None
        if store is not None:
            try:
                using = [r.name for r in StoreService(store).list_rounds() if r.overlay == file_id]
            finally:
                store.close()
            if using:
                raise InvalidRequestError(
                    f"进行中的批次 {'、'.join(using)} 使用省级规则 {file_id}，不能卸载；"
                    "请先归档这些批次（zjtx round archive）"
                )
    before = uncovered_rounds()
    removed = uninstall_file(file_id)
    return removed, _lost_text(before, "卸载")
