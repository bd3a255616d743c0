"""The detail pane: one applicant's verdict, criteria, data with provenance and import issues."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import application_type_text
from zjtx.domain.results import CriterionState
from zjtx.store import ApplicantDetail
from zjtx.ui.models import (
    ROW_ROLE,
    VERDICT_BACKGROUNDS,
    VERDICT_COLOURS,
    CriteriaModel,
    IssuesModel,
    field_label,
    format_field_value,
)
from zjtx.ui.notices_view import evaluation_notice_text

NO_SELECTION = "请在上方表格中选择一家企业"


def _local(moment: datetime) -> str:
    """A stored UTC time in the computer's time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _table_view(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    return view


# At least this many criteria rows stay visible: a long explanation wraps to fewer lines (the
# rest is elided, whole in the tooltip) when the pane is short, as on a 1366×768 laptop.
MIN_VISIBLE_CRITERIA = 5


class DetailPane(QWidget):
    """Shows an ApplicantDetail: nothing here changes data."""

    criterion_chosen = Signal(str)  # the id of a criterion row the evaluator clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ApplicantDetail | None = None
        self.title = QLabel(NO_SELECTION)
        self.title.setObjectName("detailTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.criteria_model = CriteriaModel(self)
        self.criteria_view = _table_view(self.criteria_model)
        header = self.criteria_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((70, 160, 110, 260, 260, 150, 64)):
            self.criteria_view.setColumnWidth(column, width)
        # 实际情况 and 要求 share what is left, so 差距 and 得分 stay in view on a laptop.
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.criteria_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.criteria_view.clicked.connect(self._criterion_clicked)
        self.criteria_view.activated.connect(self._criterion_clicked)
        self.criteria_view.viewport().installEventFilter(self)

        self.figures = QTableWidget(0, 3)
        self.figures.setHorizontalHeaderLabels(["字段", "数值", "来源（文件 · 工作表 · 单元格）"])
        self.figures.verticalHeader().setVisible(False)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.setAlternatingRowColors(True)
        self.figures.horizontalHeader().setStretchLastSection(True)
        self.figures.setColumnWidth(0, 200)
        self.figures.setColumnWidth(1, 160)

        self.issues_model = IssuesModel(self)
        self.issues_view = _table_view(self.issues_model)
        self.issues_view.setColumnWidth(0, 50)
        self.issues_view.setColumnWidth(1, 420)

        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels(["时间", "操作人", "内容", "理由"])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        for column, width in enumerate((140, 90, 420)):
            self.history.setColumnWidth(column, width)
        self.history.horizontalHeader().setStretchLastSection(True)

        self.versions = QTableWidget(0, 4)
        self.versions.setHorizontalHeaderLabels(["版本", "来自文件", "导入人", "导入时间"])
        self.versions.verticalHeader().setVisible(False)
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.versions.setColumnWidth(1, 260)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.criteria_view, "评价指标")
        self.tabs.addTab(self.figures, "申报数据")
        self.tabs.addTab(self.issues_view, "导入提示")
        self.tabs.addTab(self.versions, "数据版本")
        self.tabs.addTab(self.history, "评审留痕")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def _criterion_clicked(self, index: QModelIndex) -> None:
        item = self.criteria_model.data(index, ROW_ROLE)
        if item is not None and item.get("id"):
            self.criterion_chosen.emit(str(item["id"]))

    def fit_criteria_rows(self) -> None:
        """Rows as tall as their text, capped so that MIN_VISIBLE_CRITERIA rows fit the view."""
        view = self.criteria_view
        line = view.fontMetrics().lineSpacing()
        available = view.viewport().height()
        # Each row also takes a one-pixel grid line.
        lines = max(1, min(4, (available // MIN_VISIBLE_CRITERIA - 7) // line))
        view.verticalHeader().setMaximumSectionSize(lines * line + 6)
        view.resizeRowsToContents()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # The view's viewport gets its final size after this pane's layout has run.
        if watched is self.criteria_view.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_criteria_rows()
        return super().eventFilter(watched, event)

    def clear(self) -> None:
        self.detail = None
        self.title.setText(NO_SELECTION)
        self.summary.setText("")
        self.criteria_model.set_criteria([])
        self.figures.setRowCount(0)
        self.issues_model.set_issues([])
        self.history.setRowCount(0)
        self.versions.setRowCount(0)

    def show_loading(self, name: str) -> None:
        """Empty, naming the applicant being read (the last one's figures never linger)."""
        self.clear()
        self.title.setText(f"正在读取 {name} ……")

    def show_detail(self, detail: ApplicantDetail, history: Sequence[Any] = ()) -> None:
        self.detail = detail
        row = detail.row
        evaluation = detail.review.evaluation or {}
        colour = VERDICT_COLOURS.get(row.verdict, "#6b6b6b")
        background = VERDICT_BACKGROUNDS.get(row.verdict, "#f1f1f1")
        self.title.setText(
            f"<span style='font-size:13pt;font-weight:bold'>{row.name}</span>"
            f"&nbsp;&nbsp;<span style='color:#555'>{row.uscc}</span>&nbsp;&nbsp;"
            f"<span style='background:{background};color:{colour};font-weight:bold'>"
            f"&nbsp;{row.verdict_label}&nbsp;</span>"
        )
        parts = [
            f"评价标准：{evaluation.get('rulebook_title', row.rulebook or '')}",
            f"申报类型：{application_type_text(row.application_type)}",
            f"数据版本：第 {row.version} 版",
        ]
        if row.score is not None:
            score = f"得分：{row.score}" + (f" / {row.max_score}" if row.max_score else "")
            low, high = evaluation.get("score_min"), evaluation.get("score_max")
            if low is not None and high is not None and low != high:
                score += f"（可能 {low}–{high}）"
            parts.append(score)
        outdated = "，需复核" if detail.review.decision_outdated_reason else ""
        parts.append(
            f"评审：{detail.review.status.label}（{detail.review.decision_label}{outdated}）"
        )
        reasons = evaluation.get("verdict_reasons") or []
        # the notices on the verdict's line, not a line of their own: the criteria need the room
        notices, notice_lines = evaluation_notice_text(evaluation)
        text = "　".join(parts)
        if reasons or notices:
            text += "<br>"
        if reasons:
            text += "<span style='color:#555'>结论依据：</span>" + html.escape(
                short_reasons(reasons)
            )
        if notices:
            text += ("　" if reasons else "") + notices
        self.summary.setText(text)
        full = "结论依据：\n" + "\n".join(reasons) if reasons else ""
        self.summary.setToolTip("\n\n".join(x for x in (full, notice_lines) if x))
        self.criteria_model.set_criteria(evaluation.get("criteria", []))
        self.fit_criteria_rows()
        self._show_figures(detail)
        self.issues_model.set_issues(detail.issues)
        self.tabs.setTabText(
            2, f"导入提示（{len(detail.issues)}）" if detail.issues else "导入提示"
        )
        self._fill(self.versions, [
            (f"第 {v.number} 版", v.file_name, v.created_by, _local(v.created_at))
            for v in detail.versions
        ])  # fmt: skip
        self._fill(self.history, [
            (_local(e.at), e.actor, _without_reason(e.summary, e.reason), e.reason or "")
            for e in history
        ])  # fmt: skip
        self.history.resizeRowsToContents()

    @staticmethod
    def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
        table.setRowCount(len(rows))
        for position, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(position, column, item)

    def _show_figures(self, detail: ApplicantDetail) -> None:
        applicant = detail.applicant
        keys = [k for k, v in applicant.values.items() if v is not None]
        self.figures.setRowCount(len(keys))
        for position, key in enumerate(keys):
            provenance = applicant.provenance.get(key)
            where = provenance.describe() if provenance else ""
            cells = (field_label(key), format_field_value(key, applicant.values[key]), where)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{cells[0]}：{cells[1]}\n来源：{where or '未记录'}")
                self.figures.setItem(position, column, item)


def _without_reason(summary: str, reason: str | None) -> str:
    """An audit entry's content without its reason, which the table has a column for."""
    return summary.replace(f"（理由：{reason}）", "") if reason else summary


# The most characters of 结论依据 shown in full on the verdict's line; beyond them the open
# items are counted by state (the criteria below say each, the tooltip lists them all).
REASONS_SHOWN = 120


def short_reasons(reasons: Sequence[str]) -> str:
    """结论依据 on one or two lines: in full when short; else each failed requirement in full
    (with its gap) and the open items as “待补充数据 11 项（LG22-0、LG22-R…）”."""
    if sum(len(reason) for reason in reasons) <= REASONS_SHOWN:
        return "；".join(reasons)
    failed: list[str] = []
    open_items: dict[str, list[str]] = {}
    for reason in reasons:
        state = next(
            (s.label for s in (CriterionState.UNKNOWN, CriterionState.MANUAL)
             if reason.endswith(f"：{s.label}")),
            None,
        )  # fmt: skip
        if state is None:
            failed.append(reason)
        else:
            open_items.setdefault(state, []).append(reason.split(" ", 1)[0])
    counted = [f"{state} {len(ids)} 项（{'、'.join(ids)}）" for state, ids in open_items.items()]
    return "；".join(failed + counted)
