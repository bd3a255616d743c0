"""Rulebook browser: two rulebooks side by side, criteria paired by their declared correspondence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import ApplicationType
from zjtx.scoring.compare import CriterionPair, compare_rulebooks
from zjtx.scoring.definitions import INSTALLED, rulebook_source
from zjtx.scoring.installing import FileCheck
from zjtx.scoring.rulebook import (
    GRADE_LABELS,
    Rulebook,
    grade_legend,
    list_rulebook_ids,
    load_rulebook,
    rulebook_title,
)
from zjtx.store.rulebook_install import install_checking_rounds
from zjtx.ui.layout import size_to_screen
from zjtx.ui.notices_view import (
    HOW_NOTICES_APPLY,
    NOTICE_COLUMNS,
    notice_row,
    notice_table,
    notice_tooltip,
)
from zjtx.ui.tasks import TaskRunner

CHANGE_COLOURS = {
    "same": None,
    "changed": "#fff4c2",
    "split": "#e3ecfb",
    "merged": "#e3ecfb",
    "added": "#dff3e4",
    "removed": "#fbe0de",
}
CHANGE_HINTS = {
    "same": "相同：两版对应条目的要求一致",
    "changed": "调整：两版对应条目，要求有改动",
    "split": "拆分：左侧一条拆为右侧多条，本行是其中之一",
    "merged": "合并：左侧多条合为右侧一条，本行是其中之一",
    "added": "新增：左侧标准中没有对应条目",
    "removed": "删除：右侧标准中没有对应条目",
}
SECTION_COLOUR = "#eceff3"


def _tooltip(criterion: Any, rulebook: Rulebook) -> str:
    lines = [
        f"{criterion.id} {criterion.title}",
        f"所属标准：{rulebook.title}（{rulebook.id}）",
        f"要求：{criterion.requirement}",
    ]
    if criterion.clause:
        lines.append(f"条款：{criterion.clause}")
    if criterion.source:
        lines.append(f"出处：{criterion.source}")
    head = criterion.grade.split()[0] if criterion.grade else ""
    label = GRADE_LABELS.get(head)
    lines.append(f"可信等级：{criterion.grade}" + (f"（{label}）" if label else ""))
    if criterion.unverified:
        lines.append(f"⚑ 未核实：{criterion.unverified}")
    return "\n".join(lines)


def _applies(applicability: Any) -> str:
    kinds = "、".join(ApplicationType(t).label for t in applicability.application_types)
    start = applicability.start.isoformat()
    span = f"{start} 至 {applicability.end.isoformat()}" if applicability.end else f"{start} 起"
    return f"{span}（{kinds}）"


def _swatch(how: str, text: str) -> str:
    return f"<span style='background:{CHANGE_COLOURS[how]}'>&nbsp;{text}&nbsp;</span>"


class RulebookBrowser(QDialog):
    """Two rulebooks side by side: paired, added and removed criteria, coloured by change."""

    COLUMNS = ("编号", "指标", "要求", "等级", "变化", "编号", "指标", "要求", "等级")

    def __init__(self, left: str = "little-giant-2022", right: str = "little-giant-2026",
                 parent: QWidget | None = None, runner: TaskRunner | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("认定标准浏览与对比")
        self.runner = runner or TaskRunner(self)
        self.left = QComboBox()
        self.right = QComboBox()
        self._fill_choices(left, right)
        for combo in (self.left, self.right):
            combo.currentIndexChanged.connect(self.refresh)
        self.install_button = QPushButton("安装标准文件…")
        self.install_button.setToolTip(
            "选择省级规则、年度通知或新版评价标准文件（.yaml）：先逐项检查，"
            "无误后安装到数据目录，与内置标准一同使用"
        )
        self.install_button.clicked.connect(self.choose_file_to_install)
        self.install_status = QLabel()
        self.install_status.setStyleSheet("color:#555")
        self.install_box: QMessageBox | None = None  # the last result shown
        self.swap_button = QPushButton("⇄ 左右互换")
        self.swap_button.setToolTip("交换左右两侧的标准")
        self.swap_button.clicked.connect(self.swap)
        self.left_title = QLabel()
        self.right_title = QLabel()
        for label in (self.left_title, self.right_title):
            label.setWordWrap(True)
            label.setStyleSheet("color:#555")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for column, width in enumerate((72, 150, 260, 56, 52, 72, 150, 260, 56)):
            self.table.setColumnWidth(column, width)
        for column in (2, 7):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        swatches = (("changed", "调整"), ("split", "拆分 / 合并"), ("added", "新增"),
                    ("removed", "删除"))  # fmt: skip
        self.legend = QLabel(
            "变化："
            + "　".join(_swatch(how, text) for how, text in swatches)
            + "　无底色为相同。对应关系取自标准数据中登记的条目对应，不按名称推测；"
            "鼠标停在条目上可看条款原文、出处与可信等级。"
        )
        self.legend.setWordWrap(True)
        self.grades = QLabel(f"{grade_legend()}。⚑ 表示数值或表述未核实。")
        self.grades.setWordWrap(True)
        top = QGridLayout()
        top.addWidget(QLabel("左："), 0, 0)
        top.addWidget(self.left, 0, 1)
        top.addWidget(self.swap_button, 0, 2)
        top.addWidget(QLabel("右："), 0, 3)
        top.addWidget(self.right, 0, 4)
        top.addWidget(self.left_title, 1, 1)
        top.addWidget(self.right_title, 1, 4)
        top.setColumnStretch(1, 1)
        top.setColumnStretch(4, 1)
        compare = QWidget()
        compare_layout = QVBoxLayout(compare)
        compare_layout.addLayout(top)
        compare_layout.addWidget(self.note)
        compare_layout.addWidget(self.table, 1)
        compare_layout.addWidget(self.legend)
        self.notices_table = QTableWidget(0, len(NOTICE_COLUMNS))
        self.notices_table.setHorizontalHeaderLabels(list(NOTICE_COLUMNS))
        self.notices_table.verticalHeader().setVisible(False)
        self.notices_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.notices_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notices_table.setWordWrap(True)
        for column, width in enumerate((150, 190, 300, 0, 90, 110)):
            if width:
                self.notices_table.setColumnWidth(column, width)
        self.notices_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch
        )
        self.notices_note = QLabel(HOW_NOTICES_APPLY)
        self.notices_note.setWordWrap(True)
        notices = QWidget()
        notices_layout = QVBoxLayout(notices)
        notices_layout.addWidget(
            QLabel("每年的申报（复核）通知在评价标准之外，为当年批次增加或免除的要求：")
        )
        notices_layout.addWidget(self.notices_table, 1)
        notices_layout.addWidget(self.notices_note)
        self.tabs = QTabWidget()
        self.tabs.addTab(compare, "标准对比")
        self.tabs.addTab(notices, "年度通知")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.grades, 1)
        bottom.addWidget(self.install_status)
        bottom.addWidget(self.install_button)
        layout.addLayout(bottom)
        self.pairs: list[CriterionPair] = []
        self.row_pairs: list[CriterionPair | None] = []  # per table row; None for a heading
        self.refresh()
        self.fill_notices()
        size_to_screen(self, 1280, 720)

    def _fill_choices(self, left: str, right: str) -> None:
        """Every rulebook in both lists; an installed one is marked 已安装."""
        for combo, wanted in ((self.left, left), (self.right, right)):
            combo.blockSignals(True)
            combo.clear()
            for rulebook_id in list_rulebook_ids():
                source = rulebook_source(rulebook_id)
                installed = source is not None and source.origin == INSTALLED
                combo.addItem(
                    rulebook_title(rulebook_id) + ("（已安装）" if installed else ""), rulebook_id
                )
                tip = f"{rulebook_id}（已安装：{source.path}）" if installed else rulebook_id
                combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
            combo.blockSignals(False)

    def choose_file_to_install(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择要安装的标准文件", "", "标准文件 (*.yaml *.yml);;所有文件 (*)"
        )
        if path:
            self.install(Path(path))

    def install(self, path: Path) -> None:
        """Check the file off the GUI thread; show its problems, or install it and refresh."""
        self.install_button.setEnabled(False)
        self.install_status.setText(f"正在检查 {path.name} …")
        self.runner.start(
            lambda progress, cancel: install_checking_rounds(path),
            name="安装标准文件",
            on_success=self._install_done,
            on_failure=self._install_failed,
            on_finish=lambda: self.install_button.setEnabled(True),
        )

    def _install_done(self, result: tuple[FileCheck, Path | None, str]) -> None:
        check, target, lost = result
        if target is None:
            self.install_status.setText(f"{check.path.name} 未安装")
            lines = [f"{n}. {p.line()}" for n, p in enumerate(check.problems, start=1)]
            shown = "\n".join(lines[:8]) + (
                f"\n……（另有 {len(lines) - 8} 处）" if len(lines) > 8 else ""
            )
            self._show(
                QMessageBox.Icon.Warning,
                f"“{check.path.name}”有 {len(lines)} 处问题，未安装",
                shown + "\n\n请按提示修改文件后重新安装。",
                "\n".join(lines),
            )
            return
        self.install_status.setText(f"已安装 {check.id}")
        self._fill_choices(self.left.currentData(), self.right.currentData())
        self.refresh()
        self.fill_notices()
        self._show(
            QMessageBox.Icon.Information,
            f"已安装{check.kind_label} {check.id}",
            f"{check.summary}\n\n保存位置：{target}\n今后评审时与内置标准一同使用；"
            "已导入的批次请用“批次 → 按现行标准重新评价…”按新标准重新评价。"
            + (f"\n\n注意：{lost}" if lost else ""),
        )

    def _install_failed(self, exc: BaseException) -> None:
        self.install_status.setText("未安装")
        self._show(QMessageBox.Icon.Critical, "无法安装标准文件", str(exc))

    def _show(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(icon, "安装标准文件", title, QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(text)
        if details:
            box.setDetailedText(details)
        self.install_box = box
        box.open()  # not exec(): the browser stays responsive and tests can read it

    def fill_notices(self) -> None:
        """Every year's notice, bundled and installed: what it covers and changes, its grade."""
        notices, problem = notice_table()
        table = self.notices_table
        table.clearContents()
        table.setRowCount(len(notices))
        for row, notice in enumerate(notices):
            tip = notice_tooltip(notice)
            for column, text in enumerate(notice_row(notice)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if column == 4 and "⚠" in text:
                    item.setForeground(QBrush(QColor("#a61b1b")))
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        self.tabs.setTabText(1, f"年度通知（{len(notices)}）")
        self.notices_note.setText(problem or HOW_NOTICES_APPLY)

    def swap(self) -> None:
        left, right = self.left.currentIndex(), self.right.currentIndex()
        for combo, index in ((self.left, right), (self.right, left)):
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        left = load_rulebook(self.left.currentData())
        right = load_rulebook(self.right.currentData())
        for rulebook, label in ((left, self.left_title), (right, self.right_title)):
            number = rulebook.instrument.get("number") or ""
            applies = "；".join(_applies(a) for a in rulebook.applies)
            label.setText(f"{number}　版本 {rulebook.version}　适用批次：{applies}")
        self.pairs = compare_rulebooks(left.id, right.id)
        if left.id == right.id:
            self.note.setText("左右为同一标准，全部条目相同。")
        elif left.tier != right.tier:
            self.note.setText("两项标准属于不同层级，条目之间没有对应关系，全部列为新增或删除。")
        elif not any(p.old and p.new for p in self.pairs):
            self.note.setText("两项标准之间没有登记条目对应关系，全部列为新增或删除。")
        else:
            self.note.setText(
                f"以左侧“{left.title}”为基准，逐条列出右侧“{right.title}”的对应条目。"
            )
        self._fill(left, right)

    def _fill(self, left: Rulebook, right: Rulebook) -> None:
        sections: dict[str, list[CriterionPair]] = {"对应": [], "新增": [], "删除": []}
        for pair in self.pairs:
            sections[pair.section].append(pair)
        self.row_pairs = []
        for pairs in sections.values():
            if pairs:
                self.row_pairs += [None, *pairs]
        table = self.table
        table.clearSpans()
        table.clearContents()
        table.setRowCount(len(self.row_pairs))
        heading_font = QFont(table.font())
        heading_font.setBold(True)
        names = iter(name for name, pairs in sections.items() if pairs)
        shown: set[tuple[int, str]] = set()  # (side, criterion id) already listed in full
        for row, pair in enumerate(self.row_pairs):
            if pair is None:
                name = next(names)
                item = QTableWidgetItem(f"{name}（{len(sections[name])} 项）")
                item.setFont(heading_font)
                item.setBackground(QBrush(QColor(SECTION_COLOUR)))
                table.setItem(row, 0, item)
                table.setSpan(row, 0, 1, len(self.COLUMNS))
                continue
            colour = CHANGE_COLOURS[pair.how]
            for offset, criterion, rulebook in ((0, pair.old, left), (5, pair.new, right)):
                texts = ("", "", "", "")
                if criterion is not None:
                    # A criterion split or merged recurs; its long requirement is shown once.
                    repeat = (offset, criterion.id) in shown
                    shown.add((offset, criterion.id))
                    texts = (criterion.id, criterion.title + ("　⚑" if criterion.unverified else ""),
                             "（同上）" if repeat else criterion.requirement, criterion.grade)  # fmt: skip
                for column, text in enumerate(texts):
                    item = QTableWidgetItem(text)
                    if criterion is not None:
                        item.setToolTip(_tooltip(criterion, rulebook))
                    if colour:
                        item.setBackground(QBrush(QColor(colour)))
                    table.setItem(row, offset + column, item)
            mark = QTableWidgetItem(pair.label)
            mark.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            mark.setToolTip(CHANGE_HINTS[pair.how])
            if colour:
                mark.setBackground(QBrush(QColor(colour)))
            table.setItem(row, 4, mark)
        table.resizeRowsToContents()

    def showEvent(self, event: Any) -> None:
        # Row heights depend on the stretched column widths, known only once shown.
        super().showEvent(event)
        self.table.resizeRowsToContents()
        self.notices_table.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()
        self.notices_table.resizeRowsToContents()
