"""The import dialog's reading step: read and check files, correct mappings, readings, profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QInputDialog

from zjtx.domain.issues import Severity
from zjtx.export.issues_xlsx import issue_rows
from zjtx.intake.mapping import ColumnOverride, MappingError
from zjtx.intake.profiles import ProfileError, profile_from_overrides
from zjtx.ui.import_models import FORM_MAPPING_HINT, ROSTER_MAPPING_HINT, form_label

# Files whose reading is fixed by their kind (a Word 申请书 is one application, JSON is keyed).
FIXED_READING_SUFFIXES = (".docx", ".docm", ".json", ".csv")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ImportReadingMixin:
    """ImportDialog's 读取并检查 (the widgets it reads are built by ImportDialog)."""

    def read(self) -> None:
        """Read the chosen files (nothing is saved yet) with the column corrections made."""
        self._read_with(None)

    def _read_with(
        self,
        overrides: dict[tuple[str, str | None, str], ColumnOverride] | None,
        readings: dict[str, str] | None = None,
        busy_text: str = "",
    ) -> None:
        """Read with ``overrides`` (and ``readings``) instead of the corrections made so far
        (they replace them once the read succeeds)."""
        if not self.paths:
            self.status.setText("请先选择或拖入文件")
            return
        service, round_name, paths = self.service, self.round_name, list(self.paths)
        chosen = dict(self.overrides if overrides is None else overrides)
        chosen_readings = dict(self.readings if readings is None else readings)
        corrections = list(chosen.values())
        # Saved profiles apply to files laid out like one an evaluator corrected before.
        options = {"readings": chosen_readings, "profiles": self.profiles}
        # What the workers scored during the last reading belongs to files read again now.
        previous, self.early = self.early, None

        def work(progress: Any, cancel: Any) -> tuple[int, list[Any], Any, Any]:
            from zjtx.intake.hints import WINDOW_HINTS

            if previous is not None:
                previous.close()
            year = service.get_round(round_name).round_date.year
            catalogue = service.round_catalogue(round_name)
            # A large file's rows are scored on the other cores as they are read.
            early = service.start_early_scoring(round_name, paths)
            try:
                # The messages speak of this window's controls, not of the command line's.
                files = service.read_files(
                    round_name,
                    paths,
                    progress=progress,
                    cancel=cancel,
                    mapping_overrides=corrections,
                    hints=WINDOW_HINTS,
                    intake_options=options,
                    early=early,
                )
            except BaseException:
                if early is not None:
                    early.close()
                raise
            return year, files, early, catalogue

        def done(result: tuple[int, list[Any], Any, Any]) -> None:
            self.overrides = chosen
            self.readings = chosen_readings
            self.round_year = result[0]
            self.early = result[2]  # kept for the import, closed by it or with the dialog
            self.round_fields = result[3]
            self._read_done(result[1])

        self._busy(
            True,
            busy_text
            or ("正在按更正后的对应关系重新读取……" if overrides is not None else "正在读取……"),
        )
        self.task = self.runner.start(
            work,
            name="读取申报文件",
            on_progress=self._on_progress,
            on_success=done,
            on_failure=self._read_failed,
            on_cancel=lambda: self._finish("已取消读取，没有导入任何数据"),
        )

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, MappingError):
            # The correction is not kept: the table goes back to the mapping last read.
            self._show_mapping()
            self._update_reading_controls(False)
            self._finish(f"无法按此更正读取：{exc}")
            self.status.setStyleSheet("color:#c62828")
            return
        self._failed(exc)

    def _mapping_edited(self, mapping: Any, field: str, year: int | None, unit: str | None) -> None:
        """A row of the mapping table was corrected: re-read the files with the correction."""
        # The file shown (still listed after an import, when self.files is emptied).
        file = self.mapping_file.currentText()
        # A form is corrected by its label (栏目名称), wherever in the file it stands.
        column = mapping.column or form_label(mapping)
        sheet = mapping.sheet if mapping.column else None
        if not file or not column:
            return
        key = (file, sheet, column)
        previous = self.overrides.get(key)
        if unit is None and previous is not None and previous.field == field:
            unit = previous.unit  # a year changed: the unit set before stays
        overrides = dict(self.overrides)
        overrides[key] = ColumnOverride(column, field, year=year, unit=unit, file=file, sheet=sheet)
        self._read_with(overrides)

    def reset_mapping(self) -> None:
        """Forget every correction and read the files as their headers say."""
        if self.overrides:
            self._read_with({})

    def _read_done(self, files: list[Any]) -> None:
        self.files = files
        shown = self.mapping_file.currentText()
        self.mapping_file.blockSignals(True)
        self.mapping_file.clear()
        for item in files:
            self.mapping_file.addItem(getattr(item, "display_name", "") or Path(item.path).name)
        self.mapping_file.setCurrentIndex(max(self.mapping_file.findText(shown), 0))
        self.mapping_file.blockSignals(False)
        self._show_mapping()
        rows = issue_rows(files, self.round_year, self.round_fields)
        issues = [row.issue for row in rows]
        self.issues_model.set_rows(rows)
        self._fill_severity_filter(issues)
        self.issues_view.resizeRowsToContents()
        counts = {s: sum(1 for i in issues if i.severity == s) for s in Severity}
        ready = sum(f.rows_imported for f in files)
        blocked = sum(f.rows_blocked for f in files)
        # Rows read as no applicant (blank, 合计, a repeated or reference sheet) are no 家.
        skipped = sum(f.rows_blank for f in files)
        self.summary.setText(
            f"读取 {len(files)} 个文件，共 {ready + blocked} 家："
            f"<b style='color:#1b7f3b'>可导入 {ready} 家</b>，"
            f"<b style='color:#c62828'>因错误不能导入 {blocked} 家</b>"
            + (
                f"，另有 {skipped} 行未读作企业（空行、合计行，或未导入的工作表中的行）"
                if skipped
                else ""
            )
            + "；"
            f"错误 {counts[Severity.ERROR]} 条、警告 {counts[Severity.WARNING]} 条、"
            f"提示 {counts[Severity.INFO]} 条（警告须在评审时确认理由）。"
        )
        self.tabs.setTabText(1, f"问题清单（{len(issues)}）")
        if issues and not any(getattr(f, "column_mapping", None) for f in files):
            self.tabs.setCurrentIndex(1)
        # A roster's corrections are columns, a form's are labels (栏目).
        what = "栏" if all(sheet is None for _, sheet, _ in self.overrides) else "列"
        corrected = f"（已按您的更正读取 {len(self.overrides)} {what}）" if self.overrides else ""
        if self._profile_candidate() is not None:
            corrected += "；可点“保存为对应关系…”，同样表头的文件以后自动按它读取"
        self._finish(("读取完成，请核对后点“导入”" if ready else "没有可导入的企业") + corrected)

    def _show_mapping(self) -> None:
        position = self.mapping_file.currentIndex()
        if 0 <= position < len(self.files):
            mapping = getattr(self.files[position], "column_mapping", None) or []
            self.mapping_model.set_mappings(mapping, self.round_year, self.round_fields)
        else:
            mapping = []
            self.mapping_model.set_mappings([], self.round_year)
        form = bool(mapping) and all(form_label(m) is not None for m in mapping)
        self.mapping_hint.setText(FORM_MAPPING_HINT if form else ROSTER_MAPPING_HINT)
        self._update_reading_controls(self.task is not None)

    # ------------------------------------------------------------------ reading and profiles
    def _current_file(self) -> Any:
        position = self.mapping_file.currentIndex()
        return self.files[position] if 0 <= position < len(self.files) else None

    def _update_reading_controls(self, busy: bool = False) -> None:
        """The shown file's reading, why, and its saved profile; what can be switched or saved."""
        file = self._current_file()
        if file is None:
            self.reading_label.setText("")
            self.reading_choice.setEnabled(False)
            self.save_profile_button.setEnabled(False)
            return
        lines = []
        if file.reading_note:
            lines.append(f"<b>读法：</b>{_html(file.reading_note)}")
        if file.profile:
            lines.append(
                f"<b style='color:#1b5e9e'>按已保存的对应关系「{_html(file.profile)}」读取</b>"
                "（更正某列时以您的更正为准）"
            )
        self.reading_label.setText("<br>".join(lines))
        self.reading_choice.blockSignals(True)
        self.reading_choice.setCurrentIndex(self.reading_choice.findData(file.reading))
        self.reading_choice.blockSignals(False)
        switchable = file.reading in ("form", "roster") and not str(file.path).lower().endswith(
            FIXED_READING_SUFFIXES
        )
        self.reading_choice.setEnabled(not busy and switchable)
        self.save_profile_button.setEnabled(not busy and self._profile_candidate() is not None)

    def _reading_chosen(self, position: int) -> None:
        """The evaluator switched the shown workbook's reading: re-read with it."""
        file = self._current_file()
        value = self.reading_choice.itemData(position)
        if file is None or value is None or value == file.reading:
            return
        name = self.mapping_file.currentText()
        readings = dict(self.readings)
        readings[name] = value
        # Column corrections belong to the old reading's sheets: a new reading starts afresh.
        overrides = {key: o for key, o in self.overrides.items() if key[0] != name}
        self._read_with(overrides, readings, f"正在{self.reading_choice.itemText(position)}……")

    def _profile_candidate(self) -> tuple[str, str, list[ColumnOverride]] | None:
        """(file, header fingerprint, corrections) when the shown file's corrections can be saved
        as a profile: they concern one roster sheet whose header was fingerprinted."""
        file = self._current_file()
        if file is None:
            return None
        name = self.mapping_file.currentText()
        mine = [o for (shown, _, _), o in self.overrides.items() if shown == name]
        sheets = {o.sheet for o in mine}
        prints = getattr(file, "fingerprints", {}) or {}
        if not mine or len(sheets) != 1:
            return None
        sheet = next(iter(sheets))
        fingerprint = prints.get(sheet) or (
            next(iter(prints.values())) if len(prints) == 1 else None
        )
        return (name, fingerprint, mine) if fingerprint else None

    def ask_save_profile(self) -> None:
        """Ask a name and save the shown file's corrections as a profile."""
        candidate = self._profile_candidate()
        if candidate is None:
            return
        default = Path(candidate[0]).stem
        name, accepted = QInputDialog.getText(
            self,
            "保存为对应关系",
            "给这份文件的列更正起个名字（如“福州区县名单”）；\n以后表头相同的文件会自动按它读取：",
            text=default,
        )
        if accepted:
            self.save_profile(name)

    def save_profile(self, name: str) -> bool:
        """Save the shown file's corrections as profile ``name`` (written atomically); the
        status line says what became of it."""
        from zjtx.files import OutputWriteError

        candidate = self._profile_candidate()
        if candidate is None:
            return False
        file, fingerprint, overrides = candidate
        try:
            profile = profile_from_overrides(
                name,
                fingerprint,
                overrides,
                sample_file=file,
                created_by=self.evaluator_getter() or "",
            )
            self.profiles.save(profile)
        except (ProfileError, OutputWriteError) as exc:
            self.status.setText(f"未保存对应关系：{exc}")
            self.status.setStyleSheet("color:#c62828")
            return False
        self.status.setStyleSheet("")
        shared = (
            "（保存在共享数据库中，各评审人导入时都按它读取）"
            if self.profiles.shared
            else "（可用 zjtx profile 命令导出给其他评审人）"
        )
        self.status.setText(
            f"已保存对应关系「{profile.name}」：以后表头相同的文件自动按它读取{shared}"
        )
        return True
