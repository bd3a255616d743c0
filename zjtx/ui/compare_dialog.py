"""规则变化影响: the open round scored by another rulebook, overlay or setting, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zjtx.export.round_compare import (
    CHANGED_COLUMNS,
    changed_rows,
    summary_rows,
    write_comparison_xlsx,
)
from zjtx.scoring import TIERS, list_overlay_ids, list_rulebook_ids, load_overlay, load_rulebook
from zjtx.store import StoreService
from zjtx.store.dto import RoundInfo
from zjtx.store.round_compare import NO_OVERLAY, CompareRules, RoundComparison, compare_round
from zjtx.ui.layout import size_to_screen
from zjtx.ui.tasks import Task, TaskRunner

KEEP = "keep"  # a setting combo's choice: as the round has it
CHANGE_COLOR = "#c62828"


def _item(value: Any) -> QTableWidgetItem:
    text = "" if value is None else str(value)
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class CompareDialog(QDialog):
    """Choose other rules, compare off the GUI thread, show the counts and who changes."""

    compared = Signal(object)  # the RoundComparison

    def __init__(
        self, runner: TaskRunner, service: StoreService, info: RoundInfo, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.runner, self.service, self.info = runner, service, info
        self.task: Task | None = None
        self.comparison: RoundComparison | None = None
        self.setWindowTitle(f"规则变化影响 — {info.name}")
        size_to_screen(self, 1280, 780)

        rules = QGroupBox("比较的规则（不改动任何数据）")
        form = QFormLayout(rules)
        self.rulebook = QComboBox()
        self.other_tiers = QCheckBox("包括其他层级的评价标准")
        row = QHBoxLayout()
        row.addWidget(self.rulebook, 1)
        row.addWidget(self.other_tiers)
        form.addRow("评价标准", row)
        self.overlay = QComboBox()
        self.overlay.addItem(f"沿用本批次（{info.overlay or '无'}）", None)
        self.overlay.addItem("不用省级规则", NO_OVERLAY)
        for oid in list_overlay_ids():
            self.overlay.addItem(f"{oid}  {load_overlay(oid).title}", oid)
        form.addRow("省级规则", self.overlay)
        self.settings_box = QWidget()
        self.settings_form = QFormLayout(self.settings_box)
        self.settings_form.setContentsMargins(0, 0, 0, 0)
        form.addRow("批次设置", self.settings_box)
        self.setting_combos: dict[str, QComboBox] = {}

        self.run_button = QPushButton("开始比较")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        actions = QHBoxLayout()
        actions.addWidget(self.run_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 1)

        self.summary = QLabel("选择要比较的评价标准、省级规则或批次设置，然后点“开始比较”。")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QTableWidget(0, 4)
        self.counts.setHorizontalHeaderLabels(["现行结论", "比较结论", "家数", ""])
        self.counts.verticalHeader().setVisible(False)
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changed = QTableWidget(0, len(CHANGED_COLUMNS) - 1)
        self.changed.setHorizontalHeaderLabels(list(CHANGED_COLUMNS[1:]))
        self.changed.verticalHeader().setVisible(False)
        self.changed.setWordWrap(True)
        self.changed.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changed.setSortingEnabled(True)
        header = self.changed.horizontalHeader()
        for column, width in enumerate((230, 170, 80, 80, 64, 64)):
            self.changed.setColumnWidth(column, width)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.changed.setColumnWidth(7, 320)
        self.changed_title = QLabel("结论改变的企业")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.changed_title)
        lower_layout.addWidget(self.changed)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.counts)
        splitter.addWidget(lower)
        splitter.setSizes([150, 520])

        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setEnabled(False)
        close = QPushButton("关闭")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(rules)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self._fill_rulebooks()
        self.other_tiers.toggled.connect(self._fill_rulebooks)
        self.rulebook.currentIndexChanged.connect(self._fill_settings)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(lambda: self.export())
        close.clicked.connect(self.close)

    # ------------------------------------------------------------------------------ choices

    def _fill_rulebooks(self) -> None:
        chosen = self.rulebook.currentData()
        self.rulebook.blockSignals(True)
        self.rulebook.clear()
        current = self.info.rulebook or "按层级、日期与申报类型选择"
        self.rulebook.addItem(f"沿用本批次（{current}）", None)
        for rid in list_rulebook_ids():
            book = load_rulebook(rid)
            if book.tier == self.info.tier or self.other_tiers.isChecked():
                tier = "" if book.tier == self.info.tier else f"［{TIERS[book.tier]}］"
                self.rulebook.addItem(f"{rid}  {book.title}{tier}", rid)
        index = self.rulebook.findData(chosen)
        self.rulebook.setCurrentIndex(max(index, 0))
        self.rulebook.blockSignals(False)
        self._fill_settings()

    def select_rulebook(self, rulebook_id: str | None) -> None:
        """Choose a rulebook by id (another tier's shows once other tiers are included)."""
        if self.rulebook.findData(rulebook_id) < 0:
            self.other_tiers.setChecked(True)
        self.rulebook.setCurrentIndex(self.rulebook.findData(rulebook_id))

    def _known_settings(self) -> dict[str, str]:
        rid = self.rulebook.currentData()
        ids = [rid] if rid else [self.info.rulebook] if self.info.rulebook else [
            r for r in list_rulebook_ids() if load_rulebook(r).tier == self.info.tier
        ]  # fmt: skip
        return {k: s.label for r in ids for k, s in load_rulebook(r).settings.items()}

    def _fill_settings(self) -> None:
        while self.settings_form.rowCount():
            self.settings_form.removeRow(0)
        self.setting_combos = {}
        for name, label in self._known_settings().items():
            combo = QComboBox()
            own = self.info.settings.get(name)
            combo.addItem("沿用本批次" + ("" if own is None else f"（{'是' if own else '否'}）"),
                          KEEP)  # fmt: skip
            combo.addItem("是", True)
            combo.addItem("否", False)
            combo.setToolTip(f"{name}：{label}")
            self.settings_form.addRow(QLabel(label), combo)
            self.setting_combos[name] = combo
        if not self.setting_combos:
            self.settings_form.addRow(QLabel("所选评价标准没有可选的批次设置"))

    def rules(self) -> CompareRules:
        """The rules chosen in the dialog."""
        settings = {
            name: combo.currentData()
            for name, combo in self.setting_combos.items()
            if combo.currentData() != KEEP
        }
        return CompareRules(
            rulebook=self.rulebook.currentData(),
            overlay=self.overlay.currentData(),
            settings=settings,
            cross_tier=self.other_tiers.isChecked(),
        )

    # ------------------------------------------------------------------------------ running

    def start(self) -> Task:
        """Compare off the GUI thread with progress and cancel."""
        store, name, rules = self.service.store, self.info.name, self.rules()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.summary.setText("正在按所选规则重新计算本批次企业的评价结论（不改动任何数据）……")

        def work(progress: Any, cancel: Any) -> RoundComparison:
            return compare_round(store, name, rules, progress=progress, cancel=cancel)

        self.task = self.runner.start(
            work, name="规则变化影响", on_success=self.show_comparison,
            on_failure=self._failed, on_progress=self._progress, on_cancel=self._cancelled,
            on_finish=self._finished,
        )  # fmt: skip
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"已计算 {done} / {total} 家")

    def _finished(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def _cancelled(self) -> None:
        self.summary.setText("已取消比较；数据库未改动。")

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(f"<span style='color:{CHANGE_COLOR}'>无法比较：{exc}</span>")

    def show_comparison(self, comparison: RoundComparison) -> None:
        """Fill the counts and the table of who changes."""
        self.comparison = comparison
        result = comparison.result
        notes = "".join(f"<br>注意：{n}" for n in comparison.notes)
        self.summary.setText(
            f"共 {result.applicants} 家：<b style='color:{CHANGE_COLOR}'>结论改变 "
            f"{len(result.changed)} 家</b>，不变 {result.unchanged} 家。"
            f"<br>现行规则：{comparison.current}<br>比较规则：{comparison.target}{notes}"
        )
        rows = summary_rows(comparison)
        self.counts.setRowCount(len(rows))
        for r, (before, after, count, change) in enumerate(rows):
            for c, value in enumerate((before, after, f"{count} 家", change)):
                item = _item(value)
                if change == "改变":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.counts.setItem(r, c, item)
        self.changed.setSortingEnabled(False)
        table = changed_rows(comparison)
        self.changed.setRowCount(len(table))
        for r, values in enumerate(table):
            for c, value in enumerate(values[1:]):
                self.changed.setItem(r, c, _item(value))
        self.changed.setSortingEnabled(True)
        self.changed.resizeRowsToContents()
        self.changed_title.setText(f"结论改变的企业（{len(table)} 家）")
        self.export_button.setEnabled(True)
        self.compared.emit(comparison)

    # ------------------------------------------------------------------------------ export

    def export(self, target: Path | None = None) -> Task | None:
        """Write the comparison to an .xlsx (asked for when None) off the GUI thread."""
        comparison = self.comparison
        if comparison is None:
            return None
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "导出规则变化影响", str(Path.home() / f"规则变化影响-{self.info.name}.xlsx"),
                "Excel 工作簿 (*.xlsx)",
            )  # fmt: skip
            if not chosen:
                return None
            target = Path(chosen).with_suffix(".xlsx")
        path = target

        def done(_: Any) -> None:
            self.summary.setText(self.summary.text() + f"<br>已导出 {path}")

        return self.runner.start(
            lambda p, c: write_comparison_xlsx(comparison, path), name="导出规则变化影响",
            on_success=done, on_failure=self._failed,
        )  # fmt: skip
