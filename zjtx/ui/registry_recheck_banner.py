"""The line above a round's tabs when an older zjtx gave its register warnings, with a link
that checks the open rounds again against the register."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

RECHECK_LINK = '，<a href="recheck">按现行培育库重新核对…</a>'


def install_recheck_banner(window: Any) -> QLabel:
    """Put the line under the rulebook's one (hidden until a round needs it); it is checked
    each time a round's rows are loaded."""
    banner = QLabel("")
    banner.setObjectName("registryRecheck")
    banner.setWordWrap(True)
    banner.setStyleSheet("color:#b26a00")
    banner.setTextFormat(Qt.TextFormat.RichText)
    banner.setVisible(False)
    banner.linkActivated.connect(lambda _link: recheck_rounds(window))
    window.round_banners.insertWidget(1, banner)
    window.registry_recheck_banner = banner
    window.rows_loaded.connect(lambda name: check_recheck_due(window, name))
    return banner


def check_recheck_due(window: Any, name: str) -> None:
    """Ask the store, off the GUI thread, whether round ``name`` should be checked against
    the register again, and show or hide the line."""
    service, banner = window.service, window.registry_recheck_banner
    if service is None:
        return

    def shown(due: str | None) -> None:
        if name != window.round_name:
            return
        banner.setText(f"{html.escape(due)}{RECHECK_LINK}" if due else "")
        banner.setVisible(bool(due))

    window.runner.start(
        lambda _progress, _cancel: service.registry_recheck_due(name),
        name="检查培育库核对版本",
        on_success=shown,
        on_failure=lambda _exc: banner.setVisible(False),  # a hint only: the table stands
    )


def recheck_rounds(window: Any) -> None:
    """Check every open round again against the register (a write, off the GUI thread); the
    window says what changed, reloads the round and hides the line."""
    service = window.service
    if service is None:
        return
    evaluator = window.settings.evaluator or None
    banner = window.registry_recheck_banner

    def done(rechecked: Any) -> None:
        banner.setVisible(False)
        if window.registry_view is not None:
            window.registry_view.reload()
        if not rechecked:
            window.message.emit("已按现行培育库重新核对全部未归档的批次：培育库提示均无变化")
            return
        window.message.emit("已按培育库重新核对：" + "；".join(r.summary() for r in rechecked))
        if any(r.round_name == window.round_name for r in rechecked):
            window.reload_rows()
            if window.current_uscc:
                window.load_detail(window.current_uscc)

    def failed(exc: BaseException) -> None:
        banner.setText(asked)  # the link again: nothing was changed
        window.show_error(exc)

    asked = banner.text()
    banner.setText("正在按现行培育库重新核对未归档的批次……")
    window.runner.start(
        lambda _progress, _cancel: service.registry.recheck_rounds(evaluator=evaluator),
        name="重新核对批次", writes=True, on_success=done, on_failure=failed,
    )  # fmt: skip
