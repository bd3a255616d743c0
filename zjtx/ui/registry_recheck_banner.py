"""The line asking to check a round against the register again, and what follows a recheck."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QMessageBox

from zjtx.domain.labels import Decision
from zjtx.store.registry_recheck import NOTHING_CHANGED
from zjtx.ui.rescore import round_banner

RECHECK_LINK = '，<a href="recheck">按现行规则重新核对全部未归档的批次…</a>'
# The most characters of the register's 提示 shown in full above the round; longer (each a
# sentence of which lists are missing and why) they are one line with the whole in a window.
UNCHECKED_SHOWN = 90


def install_recheck_banner(window: Any) -> None:
    """Put the line under the rulebook's one (hidden until a round needs it); it is asked
    for each time a round's rows are loaded."""
    banner = round_banner("registryRecheck", None)
    banner.linkActivated.connect(lambda link: _on_link(window, link))
    window.round_banners.insertWidget(1, banner)
    window.registry_recheck_banner = banner
    window.recheck_asked = 0  # the latest question: an older answer arriving late is ignored
    window.registry_unchecked = []  # the register's 提示 of the round shown
    window.rows_loaded.connect(lambda name: check_recheck_due(window, name))


def check_recheck_due(window: Any, name: str | None) -> None:
    """Ask the store, off the GUI thread, whether round ``name`` should be checked against
    the register again, and show or hide the line (the link only where the database can be
    written); else whether the register's lists left absence unchecked in it (a 提示)."""
    service, banner = window.service, window.registry_recheck_banner
    if service is None or name is None:
        banner.setVisible(False)
        return
    window.recheck_asked += 1
    asked = window.recheck_asked

    def shown(answer: tuple[str | None, list[str]]) -> None:
        if name != window.round_name or asked != window.recheck_asked:
            return
        due, unchecked = answer
        if due:
            link = "" if window.database_read_only else RECHECK_LINK
            banner.setText(f"{html.escape(due)}{link}")
            banner.setToolTip("")
        else:
            # Where the register cannot vouch that a title is absent, the round's warnings
            # say nothing of applicants missing from it: the line says which lists would.
            banner.setText(unchecked_text(unchecked))
            banner.setToolTip("\n".join(f"提示：{line}" for line in unchecked))
            window.registry_unchecked = unchecked
        banner.setVisible(bool(due or unchecked))

    window.runner.start(
        lambda _progress, _cancel: (
            service.registry_recheck_due(name),
            service.registry.absence_unchecked(window=True, round_name=name),
        ),
        name="检查培育库核对版本",
        on_success=shown,
        on_failure=lambda _exc: banner.setVisible(False),  # a hint only: the table stands
    )


def unchecked_text(lines: Sequence[str]) -> str:
    """The banner's text for the register's 提示: in full when short, else one line saying how
    many there are, with a link to read them (on a laptop's 768 pixels they took four lines
    above the criteria)."""
    if sum(len(line) for line in lines) <= UNCHECKED_SHOWN:
        return "<br>".join(f"提示：{html.escape(line)}" for line in lines)
    return (
        f"提示：培育库缺少部分称号的认定名单，本批次有 {len(lines)} 处未作“没有记录”的核对"
        '（<a href="unchecked">查看说明…</a>）'
    )


def _on_link(window: Any, link: str) -> None:
    if link == "unchecked":
        lines = window.registry_unchecked
        QMessageBox.information(
            window, "培育库核对提示", "\n\n".join(f"提示：{line}" for line in lines)
        )
    else:
        recheck_rounds(window)


def recheck_rounds(window: Any) -> None:
    """Check every open round again against the register (a write, off the GUI thread)."""
    service = window.service
    if service is None:
        return
    evaluator = window.settings.evaluator or None
    banner = window.registry_recheck_banner

    def failed(exc: BaseException) -> None:
        check_recheck_due(window, window.round_name)  # the line and its link again
        window.show_error(exc)

    def done(rechecked: Any) -> None:
        banner.setVisible(False)  # every open round is now checked by these checks
        after_recheck(window, rechecked)

    window.recheck_asked += 1  # a question asked before this recheck is answered too late
    banner.setText("正在按现行规则重新核对未归档的批次……")
    window.runner.start(
        lambda _progress, _cancel: service.registry.recheck_rounds(evaluator=evaluator),
        name="重新核对批次", writes=True, on_success=done, on_failure=failed,
    )  # fmt: skip


def after_recheck(window: Any, rechecked: Sequence[Any], *, say_unchanged: bool = True) -> None:
    """After the open rounds were checked again (here, in the 培育库 window or by a list
    imported): say what changed, reload the open round if it did, and ask whether its line
    is still due. ``say_unchanged``: False when another window has said nothing changed."""
    if rechecked:
        window.message.emit("已按培育库重新核对：" + "；".join(r.summary() for r in rechecked))
    elif say_unchanged:
        window.message.emit(NOTHING_CHANGED)
    if any(r.round_name == window.round_name for r in rechecked):
        window.reload_rows()  # the line is asked for again once the rows are in
        if window.current_uscc:
            window.load_detail(window.current_uscc)
    else:
        check_recheck_due(window, window.round_name)


def rechecked_note(rechecked: Sequence[Any]) -> str:
    """What the status bar adds when the register's change gave or took open rounds'
    warnings: how many rounds, how many 推荐 to look at again, and the damaged data passed
    by."""
    if not rechecked:
        return ""
    changed = sum(1 for r in rechecked if r.applicants)
    text = f"；{changed} 个未归档批次的培育库提示有变化" if changed else ""
    recommended = sum(len(r.recommended) for r in rechecked)
    if recommended:
        text += f"，{recommended} 家“{Decision.RECOMMEND.label}”需复核"
    damaged = [name for r in rechecked for name in r.damaged]
    if damaged:
        text += f"；数据已损坏、未能核对：{'、'.join(damaged)}，请联系技术支持"
    return text
