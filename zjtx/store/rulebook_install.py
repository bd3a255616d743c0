"""Installing and uninstalling a rulebook, overlay or notice file, minding the rounds that use one."""

from __future__ import annotations

from pathlib import Path

from zjtx.domain.labels import ApplicationType
from zjtx.scoring.definitions import bundled_dir
from zjtx.scoring.installing import (
    FileCheck,
    Uninstalled,
    install_file,
    installed_kind,
    uninstall_file,
)
from zjtx.store.dto import RoundInfo
from zjtx.store.engine import open_store
from zjtx.store.errors import InvalidRequestError, StoreError
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.service import StoreService
from zjtx.store.settings import resolve_location


def _rounds(include_archived: bool) -> list[RoundInfo]:
    """The rounds of the configured database; none when it has no database yet (none is
    created to find that out). StoreError when there is one that cannot be read."""
    location = resolve_location(None)
    if location.sqlite_path is not None and not location.sqlite_path.exists():
        return []
    with open_store() as store:
        return StoreService(store).list_rounds(include_archived=include_archived)


def _uncovered(rounds: list[RoundInfo]) -> set[tuple[str, str, str]]:
    """(round, date, application type) of each round no rulebook governs now."""
    scorer = RulebookScorer()
    return {
        (info.name, info.round_date.isoformat(), ApplicationType.label_of(kind))
        for info in rounds
        for kind in ("new", "renewal")
        if scorer.governing_type(kind, info) is None
    }


def _lost_text(rounds: list[RoundInfo], before: set[tuple[str, str, str]], verb: str) -> str:
    lost = sorted(_uncovered(rounds) - before)
    if not lost:
        return ""
    named = "、".join(f"{name}（{day}，{kind}）" for name, day, kind in lost)
    return (
        f"{verb}后以下进行中的批次没有适用的评价标准，无法重新评价或导出：{named}；"
        "请再安装适用于这些日期的标准"
    )


def install_checking_rounds(path: Path) -> tuple[FileCheck, Path | None, str]:
    """install_file, and a warning ("" for none) naming the open rounds the installed file
    leaves without a standard: a correction that ends one (to make room for a newer) leaves
    rounds dated after it with none, which is said now, not at their next rescore or export.
    The install does not depend on the database: one that cannot be read gives no warning."""
    try:
        rounds = _rounds(include_archived=False)
    except StoreError:
        rounds = []
    before = _uncovered(rounds)
    check, target = install_file(path)
    return check, target, _lost_text(rounds, before, "安装") if target is not None else ""


def uninstall_checking_rounds(file_id: str) -> tuple[Uninstalled, str]:
    """uninstall_file, refused while a round (open or archived: it is still exported) uses
    the overlay or the fixed rulebook and no bundled file of its id would take its place, or
    when the database cannot be read to tell; with a warning ("" for none) naming the open
    rounds left without a standard."""
    kind = installed_kind(file_id)
    try:
        rounds = _rounds(include_archived=True)
    except StoreError as exc:
        raise InvalidRequestError(
            f"无法读取数据库，不能核对哪些批次使用 {file_id}，未卸载：{exc}"
        ) from None
    if kind in ("overlays", "rulebooks") and not (bundled_dir(kind) / f"{file_id}.yaml").is_file():
        using = [
            r.name + ("（已归档）" if r.archived else "")
            for r in rounds
            if file_id in (r.overlay, r.rulebook)
        ]
        if using:
            raise InvalidRequestError(
                f"批次 {'、'.join(using)} 使用 {file_id}，不能卸载：卸载后这些批次无法重新评价或导出"
            )
    open_rounds = [r for r in rounds if not r.archived]
    before = _uncovered(open_rounds)
    removed = uninstall_file(file_id)
    return removed, _lost_text(open_rounds, before, "卸载")
