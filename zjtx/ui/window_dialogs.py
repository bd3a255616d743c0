"""The main window's dialogs (import, export, batch, panel, settings...) and printing."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox


class DialogsMixin:
    """MainWindow's dialogs (the window's service, runner, settings and round are its own)."""

    # ------------------------------------------------------------------ dialogs
    def open_import(self) -> None:
        from zjtx.ui.import_dialog import ImportDialog

        if self.service is None or self.round_name is None:
            return
        if self.import_dialog is not None and self.import_dialog.round_name == self.round_name:
            self.import_dialog.show()
            self.import_dialog.raise_()
            return
        dialog = ImportDialog(self.runner, self.service, self.round_name,
                              lambda: self.settings.evaluator, self)  # fmt: skip
        dialog.imported.connect(lambda _results: (self.reload_rows(), self.refresh_rounds()))
        dialog.jump_requested.connect(self._jump_to)
        self.import_dialog = dialog
        dialog.show()

    def _jump_to(self, uscc: str) -> None:
        if not self.select_applicant(uscc):
            self.message.emit(f"统一社会信用代码 {uscc} 的企业不在本批次中（可能因错误未导入）")

    def open_export(self, kind: str = "report") -> None:
        from zjtx.ui.export_dialog import ExportDialog

        if self.service is None or self.round_name is None:
            return
        round_name = self.round_name
        dialog = ExportDialog(self.runner, self.service, round_name,
                              lambda: self.current_uscc, self.settings.export_folder, kind, self,
                              chosen_getter=lambda: self.chosen_usccs(round_name))  # fmt: skip
        dialog.exported.connect(
            lambda outcome: self.settings.set_value("export/folder", str(dialog.folder.text()))
        )
        self.export_dialog = dialog
        dialog.show()

    def chosen_usccs(self, round_name: str) -> tuple[list[str], str] | None:
        """The codes of the rows selected in the table when more than one is, else of every
        row the filters show, and how they were chosen in words (as 批量决定 takes them); None
        when the table shows another round than ``round_name`` (a dialog left open)."""
        from zjtx.ui.batch_dialog import rows_for_batch

        if round_name != self.round_name:
            return None

        rows, how = rows_for_batch(self)
        return [row.uscc for row in rows], how

    def export_corrections(self) -> None:
        """导出补正清单… (what each enterprise must still supply), as .xlsx or PDF."""
        from zjtx.ui.corrections_export import export_corrections

        export_corrections(self)

    def back_up(self) -> None:
        """备份数据库…: the whole database, of one moment, to an SQLite file."""
        from zjtx.ui.backup import back_up

        back_up(self)

    def open_compare(self) -> None:
        """规则变化影响…: the open round scored by other rules beside its evaluations."""
        from zjtx.ui.compare_dialog import CompareDialog

        if self.service is None or self.round_name is None:
            return
        info = self.service.get_round(self.round_name)
        self.compare_dialog = CompareDialog(self.runner, self.service, info, self)
        self.compare_dialog.show()

    def rescore_round(self) -> None:
        """按现行标准重新评价…: after a rulebook was installed or zjtx updated."""
        from zjtx.ui.rescore import rescore_round

        rescore_round(self)

    def open_batch_decision(self) -> None:
        """批量决定 for the selected rows, or for every row the filters show."""
        from zjtx.ui.batch_dialog import BatchDecisionDialog, rows_for_batch

        if self.service is None or self.round_name is None:
            return
        rows, how = rows_for_batch(self)
        dialog = BatchDecisionDialog(self.runner, self.service, self.round_name, rows, how,
                                     lambda: self.settings.evaluator, self)  # fmt: skip
        dialog.decided.connect(lambda _result: self.reload_rows())
        self.batch_dialog = dialog
        dialog.show()

    def open_panel(self) -> None:
        """专家组…: members and rule of the open round, positions on the selected applicant."""
        from zjtx.ui.panel_view import PanelDialog

        if self.service is None or self.round_name is None:
            return
        self.panel_dialog = PanelDialog(self.runner, self.service, self.round_name,
                                        self.current_uscc, lambda: self.settings.evaluator, self)  # fmt: skip
        self.panel_dialog.loaded.connect(lambda _data: self._panel_read())
        self.panel_dialog.show()

    def _panel_read(self) -> None:
        """The panel read again after a change there: the applicant shown is read again (a
        member's judgement, opinion or 回避 moves its review version, which a save must carry)
        with who may decide, following the members added or removed."""
        if self.current_uscc is not None:
            self.refresh_applicant(self.current_uscc, review=True)  # its row too (its version)
        else:
            self.review.refresh_panel()

    def open_settings(self) -> None:
        from zjtx.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.runner, self)
        dialog.changed.connect(self._settings_changed)
        self.settings_dialog = dialog
        dialog.open()

    def _settings_changed(self, changes: dict[str, Any]) -> None:
        service = self.service
        if "evaluator" in changes and service is not None:
            name, role = changes["evaluator"]
            self.runner.start(
                lambda p, c: service.set_evaluator_role(name, role, evaluator=name),
                name="保存评审人", writes=True, on_failure=self.show_error,
            )  # fmt: skip
        self.show_identity()
        if "evaluator" in changes:
            self.review.refresh_panel()  # whether this evaluator may decide
        if "password" in changes:  # where the password went: keyring or .pgpass
            self.message.emit(f"{changes['password']}；重新打开程序后生效")
        elif "database" in changes or "data_dir" in changes:
            self.message.emit("数据库或数据目录已更改，重新打开程序后生效")
        else:
            self.message.emit("设置已保存")

    def open_rulebooks(self) -> None:
        from zjtx.ui.rulebooks import RulebookBrowser

        self.rulebook_browser = RulebookBrowser(parent=self)
        self.rulebook_browser.show()

    def shortcut_lines(self) -> list[str]:
        """Every shortcut of the menus, as the menus have them, then the keys of the table
        and the search box: read from the actions, so none is left out of the list."""
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QMenu

        lines: dict[str, str] = {}
        for menu in self.menuBar().findChildren(QMenu):
            for item in menu.actions():
                for sequence in item.shortcuts():
                    key = sequence.toString(QKeySequence.SequenceFormat.NativeText)
                    lines.setdefault(key, item.text().replace("&", "").rstrip("…"))
        fixed = {"Esc": "清除查找（在查找框中）", "Enter": "评审表格中所选的企业",
                 "Tab": "到下一个区域"}  # fmt: skip
        return [f"{key}　{text}" for key, text in {**lines, **fixed}.items()]

    def show_shortcuts(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "快捷键", "\n".join(self.shortcut_lines()),
                          QMessageBox.StandardButton.Ok, self)  # fmt: skip
        box.open()

    def show_about(self) -> None:
        """帮助 → 关于: the program's version and build, and every data file's version."""
        from zjtx.ui.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self)
        self.about_dialog.open()

    # ------------------------------------------------------------------ printing
    def print_current(self) -> None:
        """Ctrl+P: print the selected applicant's 评审意见表."""
        from zjtx.ui.printing import print_current_report

        if self.service is None or self.round_name is None:
            return
        if not self.current_uscc:
            self.message.emit("请先在表格中选中一家企业，再打印其评审意见表")
            return
        self.print_job = print_current_report(
            self, self.runner, self.service, self.round_name, self.current_uscc
        )
        self.print_job.finished.connect(self.message.emit)

    def print_round(self) -> None:
        """Print every 评审意见表 of the open round, with progress and cancel."""
        from zjtx.ui.printing import print_round_reports

        if self.service is None or self.round_name is None:
            return
        self.print_job = print_round_reports(self, self.runner, self.service, self.round_name)
        self.print_job.finished.connect(self.message.emit)

    def print_chosen(self) -> None:
        """Print the 评审意见表 of the rows the filters show, or of those selected."""
        from zjtx.ui.printing import print_round_reports

        if self.service is None or self.round_name is None:
            return
        chosen = self.chosen_usccs(self.round_name)
        assert chosen is not None  # the table shows the round it names
        usccs, how = chosen
        if not usccs:
            self.message.emit("表格中没有显示任何企业：请先调整筛选条件或选中企业")
            return
        self.print_job = print_round_reports(
            self, self.runner, self.service, self.round_name, usccs, how
        )
        self.print_job.finished.connect(self.message.emit)
