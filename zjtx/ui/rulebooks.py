"""Rulebook browser: criteria with clauses, sources and grades; two versions side by side."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zjtx.scoring.rulebook import GRADE_LABELS

CHANGE_LABELS = {"same": "相同", "changed": "有改动", "added": "新增", "removed": "删除"}
CHANGE_COLOURS = {"same": None, "changed": "#fff4c2", "added": "#dff3e4", "removed": "#fbe0de"}


@dataclass(frozen=True, slots=True)
class CriterionPair:
    """A criterion of the left rulebook matched (by title) with one of the right, or alone."""

    left: Any | None
    right: Any | None
    change: str  # same | changed | added | removed


def _similarity(a: Any, b: Any) -> float:
    return SequenceMatcher(None, a.title, b.title).ratio()


def compare_rulebooks(left: Any, right: Any, threshold: float = 0.5) -> list[CriterionPair]:
    """Pair criteria of two rulebooks by their titles (best match first) and mark changes."""
    candidates = sorted(
        (
            (_similarity(a, b), i, j)
            for i, a in enumerate(left.criteria)
            for j, b in enumerate(right.criteria)
        ),
        reverse=True,
    )
    left_match: dict[int, int] = {}
    used_right: set[int] = set()
    for ratio, i, j in candidates:
        if ratio < threshold:
            break
        if i in left_match or j in used_right:
            continue
        left_match[i] = j
        used_right.add(j)
    pairs: list[CriterionPair] = []
    for i, a in enumerate(left.criteria):
        if i in left_match:
            b = right.criteria[left_match[i]]
            same = a.title == b.title and a.requirement == b.requirement
            pairs.append(CriterionPair(a, b, "same" if same else "changed"))
        else:
            pairs.append(CriterionPair(a, None, "removed"))
    pairs += [CriterionPair(None, b, "added") for j, b in enumerate(right.criteria)
              if j not in used_right]  # fmt: skip
    return pairs


def _tooltip(criterion: Any) -> str:
    lines = [f"{criterion.id} {criterion.title}", f"要求：{criterion.requirement}"]
    if criterion.clause:
        lines.append(f"条款：{criterion.clause}")
    if criterion.source:
        lines.append(f"出处：{criterion.source}")
    label = GRADE_LABELS.get(criterion.grade)
    lines.append(f"可信等级：{criterion.grade}" + (f"（{label}）" if label else ""))
    if criterion.unverified:
        lines.append(f"⚑ 未核实：{criterion.unverified}")
    return "\n".join(lines)


class RulebookBrowser(QDialog):
    """Two rulebooks side by side; rows differing between them are coloured."""

    COLUMNS = ("编号", "指标", "要求", "等级", "差异", "编号", "指标", "要求", "等级")

    def __init__(self, left: str = "little-giant-2022", right: str = "little-giant-2026",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("认定标准浏览与对比")
        from zjtx.scoring import list_rulebook_ids

        ids = list_rulebook_ids()
        self.left = QComboBox()
        self.right = QComboBox()
        for combo, wanted in ((self.left, left), (self.right, right)):
            for rulebook_id in ids:
                combo.addItem(rulebook_id, rulebook_id)
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
            combo.currentIndexChanged.connect(self.refresh)
        self.left_title = QLabel()
        self.right_title = QLabel()
        for label in (self.left_title, self.right_title):
            label.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for column, width in enumerate((70, 150, 260, 40, 60, 70, 150, 260, 40)):
            self.table.setColumnWidth(column, width)
        for column in (2, 7):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        self.legend = QLabel(
            "<span style='background:#fff4c2'>&nbsp;有改动&nbsp;</span>　"
            "<span style='background:#dff3e4'>&nbsp;新增&nbsp;</span>　"
            "<span style='background:#fbe0de'>&nbsp;删除&nbsp;</span>　"
            "鼠标停在指标上可看条款原文、出处与可信等级。"
        )
        top = QHBoxLayout()
        for title, combo, label in (("左：", self.left, self.left_title),
                                    ("右：", self.right, self.right_title)):  # fmt: skip
            box = QVBoxLayout()
            row = QHBoxLayout()
            row.addWidget(QLabel(title))
            row.addWidget(combo, 1)
            box.addLayout(row)
            box.addWidget(label)
            top.addLayout(box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        self.pairs: list[CriterionPair] = []
        self.refresh()
        self.resize(1280, 760)

    def refresh(self) -> None:
        from zjtx.scoring import load_rulebook

        left = load_rulebook(self.left.currentData())
        right = load_rulebook(self.right.currentData())
        for rulebook, label in ((left, self.left_title), (right, self.right_title)):
            number = rulebook.instrument.get("number") or ""
            label.setText(f"{rulebook.title}　{number}　版本 {rulebook.version}")
        self.pairs = compare_rulebooks(left, right)
        self.table.setRowCount(len(self.pairs))
        for position, pair in enumerate(self.pairs):
            colour = CHANGE_COLOURS[pair.change]
            for offset, criterion in ((0, pair.left), (5, pair.right)):
                texts = (("", "", "", "") if criterion is None else
                         (criterion.id, criterion.title + ("　⚑" if criterion.unverified else ""),
                          criterion.requirement, criterion.grade))  # fmt: skip
                for column, text in enumerate(texts):
                    item = QTableWidgetItem(text)
                    if criterion is not None:
                        item.setToolTip(_tooltip(criterion))
                    if colour:
                        item.setBackground(QBrush(QColor(colour)))
                    self.table.setItem(position, offset + column, item)
            mark = QTableWidgetItem(CHANGE_LABELS[pair.change])
            if colour:
                mark.setBackground(QBrush(QColor(colour)))
            self.table.setItem(position, 4, mark)
        self.table.resizeRowsToContents()

    def showEvent(self, event: Any) -> None:
        # Row heights depend on the stretched column widths, known only once shown.
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()
