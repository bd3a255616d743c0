"""The main window's rounds: the list, opening, creating, renaming and archiving a round."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidgetItem, QMenu

from zjtx.store import RoundInfo, StoreError
from zjtx.store.rounds import RoundRestored
from zjtx.ui.tasks import Task


class RoundsMixin:
    """MainWindow's round handling (the widgets it reads are built by MainWindow)."""

    def refresh_rounds(self, select: str | None = None) -> None:
        service = self.service
        if service is None:
            return
        wanted = select or self.round_name or self.settings.value("window/round", "")
        include_archived = self.show_archived.isChecked()

        def loaded(rounds: list[RoundInfo]) -> None:
            self.rounds = rounds
            self.rounds_list.blockSignals(True)
            self.rounds_list.clear()
            chosen = None
            for info in rounds:
                text = f"{info.name}\n{info.tier_label}　{info.applicants} 家"
                tooltip = (
                    f"{info.name}\n层级：{info.tier_label}\n批次日期：{info.round_date}\n"
                    f"地区：{info.region or '—'}　省级规则：{info.overlay or '—'}\n"
                    f"创建人：{info.created_by}"
                )
                if info.archived_at is not None:
                    text = f"{info.name}\n{info.tier_label}　{info.applicants} 家\n（已归档）"
                    when = info.archived_at.astimezone().strftime("%Y-%m-%d %H:%M")
                    tooltip += f"\n已于 {when} 归档：只能查看和导出"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.name)
                item.setToolTip(tooltip)
                if info.archived_at is not None:
                    item.setForeground(QBrush(QColor("#8a8a8a")))
                    font = QFont(self.rounds_list.font())
                    font.setItalic(True)
                    item.setFont(font)
                self.rounds_list.addItem(item)
                if info.name == wanted:
                    chosen = item
            self.rounds_list.blockSignals(False)
            if chosen is None and self.rounds_list.count():
                chosen = self.rounds_list.item(0)
            if chosen is not None:
                self.rounds_list.setCurrentItem(chosen)  # (re)opens it: its state may have changed
            else:
                self._close_round()
            self.rounds_loaded.emit(rounds)

        self.runner.start(
            lambda p, c: service.list_rounds(include_archived=include_archived),
            name="读取批次", on_success=loaded, on_failure=self.show_error,
        )  # fmt: skip

    def show_round_notices(self, info: RoundInfo | None) -> None:
        """Name the notices that apply to the round and the settings fixed for it (an override
        marked as the round's own), under the round's title; hidden when none apply."""
        from zjtx.ui.notices_view import round_notice_text

        html, tooltip = round_notice_text(info) if info is not None else ("", "")
        self.round_notices.setText(html)
        self.round_notices.setToolTip(tooltip)
        self.round_notices.setVisible(bool(html))

    @property
    def round_info(self) -> RoundInfo | None:
        """The open round as last listed."""
        return next((r for r in self.rounds if r.name == self.round_name), None)

    @property
    def database_read_only(self) -> str | None:
        """Why the database can only be read (a read-only folder or file), or None."""
        store = getattr(self.service, "store", None)
        return getattr(store, "read_only_reason", None)

    @property
    def round_archived(self) -> bool:
        info = self.round_info
        return info is not None and info.archived

    def _close_round(self) -> None:
        """No round to show (none left in the list)."""
        self.round_name = None
        self.current_uscc = None
        self.model.set_rows([])
        self.detail.clear()
        self.review.show_state(None)
        self.round_title.setText("请在左侧选择或新建一个评审批次")
        self.count_label.setText("")
        self.show_round_notices(None)
        self._update_actions()

    def _show_archived_toggled(self, _checked: bool) -> None:
        self.refresh_rounds()

    def _rounds_menu(self, position: QPoint) -> None:
        item = self.rounds_list.itemAt(position)
        if item is not None and item is not self.rounds_list.currentItem():
            self.rounds_list.setCurrentItem(item)
        menu = QMenu(self.rounds_list)
        menu.addAction(self.new_round_action)
        if item is not None:
            menu.addAction(self.rename_round_action)
            menu.addAction(self.archive_round_action if not self.round_archived
                           else self.restore_round_action)  # fmt: skip
        menu.addSeparator()
        menu.addAction(self.show_archived_action)
        self.rounds_menu = menu
        menu.popup(self.rounds_list.viewport().mapToGlobal(position))

    def _round_chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self.open_round(item.data(Qt.ItemDataRole.UserRole))

    def open_round(self, name: str) -> None:
        """Show a round: its rows are read off the GUI thread."""
        if name != self.round_name:
            self.current_uscc = None
            self.detail.clear()
            self.review.show_state(None)
        self.round_name = name
        self.settings.set_value("window/round", name)
        info = self.round_info
        title = (
            f"<b>{name}</b>　{info.tier_label}　批次日期 {info.round_date}"
            if info
            else f"<b>{name}</b>"
        )
        if info is not None and info.archived:
            title += "　<span style='color:#8a8a8a'>（已归档，只能查看和导出）</span>"
        self.round_title.setText(title)
        self.round_title.setToolTip(re.sub("<[^>]+>", "", title))  # whole when clipped
        self.show_round_notices(info)
        self.review.set_read_only(
            "本批次已归档，只能查看和导出；如需修改，请先在“批次”菜单中恢复该批次"
            if info is not None and info.archived
            else self.database_read_only
        )
        self._update_actions()
        self.reload_rows()

    def new_round(self) -> None:
        from zjtx.ui.round_dialog import NewRoundDialog

        if self.service is None:
            return
        dialog = NewRoundDialog(self.settings.default_overlay, self)
        self.round_dialog = dialog

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, StoreError):
                self.show_error(exc)
                return
            dialog.error.setText(str(exc))
            dialog.show()

        def created(info: RoundInfo) -> None:
            self.message.emit(f"已创建批次 “{info.name}”")

        dialog.accepted.connect(
            lambda: self.create_round(on_success=created, on_failure=failed, **dialog.values())
        )
        dialog.open()

    def rename_round(self) -> None:
        """Ask for a new name of the open round (errors stay in the dialog)."""
        from zjtx.ui.round_dialog import RenameRoundDialog

        service, name = self.service, self.round_name
        if service is None or name is None or self.round_archived:
            return
        dialog = RenameRoundDialog(name, self)
        self.round_dialog = dialog
        evaluator = self.settings.evaluator

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, StoreError):
                self.show_error(exc)
                return
            dialog.error.setText(str(exc))
            dialog.show()

        def renamed(info: RoundInfo) -> None:
            for attribute in ("import_dialog", "export_dialog"):  # they name the old round
                open_dialog = getattr(self, attribute)
                if open_dialog is not None and open_dialog.round_name == name:
                    open_dialog.close()
                    setattr(self, attribute, None)
            self.round_name = info.name
            self._after_load_message = f"已将批次 “{name}” 重命名为 “{info.name}”"
            self.refresh_rounds(select=info.name)

        def rename() -> None:
            new_name = dialog.new_name()
            self.runner.start(
                lambda p, c: service.rename_round(name, new_name, evaluator=evaluator),
                name="重命名批次", writes=True, on_success=renamed, on_failure=failed,
            )  # fmt: skip

        dialog.accepted.connect(rename)
        dialog.open()

    def archive_round(self) -> None:
        """Archive the open round: read-only from now on, hidden unless 显示已归档 is ticked."""
        self._set_archived(True)

    def restore_round(self) -> None:
        """Make the open archived round editable again."""
        self._set_archived(False)

    def _set_archived(self, archived: bool) -> None:
        service, name = self.service, self.round_name
        if service is None or name is None or archived == self.round_archived:
            return
        evaluator = self.settings.evaluator

        def work(progress: Any, cancel: Any) -> RoundInfo | RoundRestored:
            if archived:
                return service.archive_round(name, evaluator=evaluator)
            return service.restore_round(name, evaluator=evaluator)

        def done(outcome: Any) -> None:  # RoundInfo archived, RoundRestored restored
            if archived:
                info = outcome
                hidden = "" if self.show_archived.isChecked() else "；勾选“显示已归档”可再次查看"
                text = f"已归档批次 “{info.name}”，此后只能查看和导出{hidden}"
            else:
                info = outcome.info  # restored, and checked against the register as it stands
                text = outcome.text()
            self._after_load_message = text
            self.message.emit(text)
            self.refresh_rounds(select=info.name)

        self.runner.start(work, name="归档批次" if archived else "恢复批次", writes=True,
                          on_success=done, on_failure=self.show_error)  # fmt: skip

    def create_round(
        self,
        *,
        on_success: Callable[[RoundInfo], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        **values: Any,
    ) -> Task | None:
        """Create a round off the GUI thread, then show it (failures go to on_failure or a box)."""
        service = self.service
        if service is None:
            return None
        evaluator = self.settings.evaluator

        def created(info: RoundInfo) -> None:
            self.refresh_rounds(select=info.name)
            if on_success is not None:
                on_success(info)

        return self.runner.start(
            lambda p, c: service.create_round(evaluator=evaluator, **values),
            name="创建批次", writes=True, on_success=created,
            on_failure=on_failure or self.show_error,
        )  # fmt: skip
