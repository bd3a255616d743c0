"""The round overview: progress, charts (a click filters the applicant list) and near-misses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.chart_counts import largest_and_rest
from zjtx.domain.labels import ReviewStatus, Verdict
from zjtx.store.statistics import (
    OPEN_SCORE_LABEL,
    OPEN_SCORE_SHORT,
    RoundOverview,
    round_overview,
)
from zjtx.ui.charts import BarChart

CRITERIA_SHOWN = 12  # criteria with the most unmet applicants drawn in the chart
PLACES_SHOWN = 12
VERDICT_COLOURS = {"qualified": "#2e7d32", "pending": "#b26a00", "not_qualified": "#c62828"}


def verdict_text(code: str) -> str:
    return "未评价" if code == "none" else Verdict.label_of(code)


class OverviewPage(QWidget):
    """What a round looks like at a glance; computed off the GUI thread (TaskRunner)."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window = window
        self.overview: RoundOverview | None = None
        self.task: Any = None
        self.setObjectName("overview")
        self.heading = QLabel("")
        self.heading.setObjectName("roundTitle")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar()
        self.progress.setFormat("已作决定 %v / %m 家")
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(240)
        self.progress.setMaximumWidth(360)
        self.status_line = QLabel("")
        self.status_line.setWordWrap(True)
        self.loading = QLabel("")
        self.verdict_chart = BarChart("评价结论（家）", on_click=self._verdict_clicked)
        self.criteria_chart = BarChart(
            "未满足条目（家）", horizontal=True, colour="#c62828", on_click=self._criterion_clicked
        )
        self.score_chart = BarChart(
            "得分分布（家；左闭右开，末段含满分）", on_click=self._score_clicked
        )
        self.region_chart = BarChart("地区（家）", horizontal=True, on_click=self._region_clicked)
        self.industry_chart = BarChart(
            "行业门类（GB/T 4754，家）", horizontal=True, on_click=self._industry_clicked
        )
        self.near_table = QTableWidget(0, 5)
        self.near_table.setObjectName("nearMisses")
        self.near_table.setHorizontalHeaderLabels(
            ["企业名称", "未满足条目", "实际", "要求", "差距"]
        )
        self.near_table.verticalHeader().setVisible(False)
        self.near_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.near_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.near_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.near_table.horizontalHeader().setStretchLastSection(True)
        self.near_table.setMinimumHeight(160)
        self.near_table.cellDoubleClicked.connect(self._near_miss_opened)
        self.near_title = QLabel("")
        self.near_title.setObjectName("paneTitle")

        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.loading)
        head.addWidget(self.progress)
        first_row = QHBoxLayout()  # the histogram hides for unscored rulebooks
        first_row.addWidget(self.verdict_chart, 2)
        first_row.addWidget(self.score_chart, 3)
        last_row = QHBoxLayout()
        last_row.addWidget(self.region_chart, 1)
        last_row.addWidget(self.industry_chart, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(head)
        layout.addWidget(self.status_line)
        hint = QLabel("单击图中的柱条，在“企业列表”中只显示这些企业")
        hint.setStyleSheet("color:#6b6b6b")
        layout.addWidget(hint)
        layout.addLayout(first_row)
        layout.addWidget(self.criteria_chart)
        layout.addLayout(last_row)
        layout.addWidget(self.near_title)
        layout.addWidget(self.near_table)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # ------------------------------------------------------------------ loading
    def load(self, service: Any, round_name: str) -> None:
        """Compute the overview of a round off the GUI thread (a running one is cancelled)."""
        if self.task is not None and self.task.running:
            self.task.cancel()
        self.loading.setText("正在统计……")

        def progressed(done: int, total: int) -> None:
            self.loading.setText(f"正在统计 {done}/{total}……")

        def done(overview: RoundOverview) -> None:
            if overview.round_name == self.window.round_name:
                self.show_overview(overview)

        def failed(exc: BaseException) -> None:
            self.loading.setText("统计失败")
            self.window.show_error(exc)

        self.task = self.window.runner.start(
            lambda progress, cancel: round_overview(
                service.store, round_name, progress=progress, cancel=cancel
            ),
            name="统计批次概览",
            on_success=done,
            on_failure=failed,
            on_progress=progressed,
        )

    def show_overview(self, overview: RoundOverview) -> None:
        """Fill the page from an overview (the dataclass the store computed)."""
        self.overview = overview
        self.loading.setText("")
        self.heading.setText(f"<b>{overview.round_name}</b>　共 {overview.applicants} 家")
        self.progress.setRange(0, max(overview.applicants, 1))
        self.progress.setValue(overview.decided)
        self.progress.setFormat(
            f"已作决定 {overview.decided} / {overview.applicants} 家"
            + (f"，其中 {overview.outdated} 家需复核" if overview.outdated else "")
        )
        statuses = "　".join(
            f"{ReviewStatus.label_of(code)} {count}"
            for code, count in overview.by_review_status.items()
        )
        by_evaluator = "；".join(f"{name} {n} 家" for name, n in overview.decided_by.items())
        self.status_line.setText(
            f"评审状态：{statuses}"
            + (f"　　已决定（按评审人）：{by_evaluator}" if by_evaluator else "")
        )
        verdicts = list(overview.by_verdict)
        self.verdict_chart.set_data(
            [verdict_text(v) for v in verdicts], [overview.by_verdict[v] for v in verdicts]
        )
        failing = sorted(
            (c for c in overview.criteria if c.unmet and not c.alternative),
            key=lambda c: (-c.unmet, c.id),
        )[:CRITERIA_SHOWN]
        self.criteria_shown = failing
        self.criteria_chart.set_data([c.label for c in failing], [c.unmet for c in failing])
        self.score_chart.setVisible(overview.scored)
        score_bars = overview.score_bars
        self.score_chart.set_data(
            [label for label, _, _ in score_bars],
            [count for _, count, _ in score_bars],
            axis_labels=[b.short_label for b in overview.score_bins]
            + [OPEN_SCORE_SHORT] * (len(score_bars) > len(overview.score_bins)),
            apart=range(len(overview.score_bins), len(score_bars)),
        )
        # As the 推荐汇总表's 统计 page counts: a city's round by 区县, others by city.
        heading = overview.place_heading
        self.region_chart.chart().setTitle(
            f"{heading[:-1]}，家）" if heading.endswith("）") else f"{heading}（家）"
        )
        bars = largest_and_rest(list(overview.by_place.items()), PLACES_SHOWN, "地区")
        self.region_chart.set_data([label for label, _ in bars], [n for _, n in bars])
        sections = list(overview.by_industry)
        self.industry_chart.set_data(sections, [overview.by_industry[s] for s in sections])
        self.near_title.setText(
            f"只差一项的企业（不符合条件，仅一个条目未满足）：{len(overview.near_misses)} 家"
            + ("　双击查看该企业" if overview.near_misses else "")
        )
        self.near_table.setVisible(bool(overview.near_misses))
        self.near_table.setRowCount(len(overview.near_misses))
        for row, miss in enumerate(overview.near_misses):
            cells = (miss.name, f"{miss.criterion_id} {miss.criterion_title}", miss.observed,
                     miss.requirement, miss.gap or "")  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, miss.uscc)
                self.near_table.setItem(row, column, item)

    # ------------------------------------------------------------------ clicks
    def _verdict_clicked(self, index: int) -> None:
        assert self.overview is not None
        code = list(self.overview.by_verdict)[index]
        self.window.round_tabs.show_filtered(
            f"评价结论：{verdict_text(code)}", combo=(self.window.verdict_filter, code)
        )

    def _criterion_clicked(self, index: int) -> None:
        item = self.criteria_shown[index]
        self.window.round_tabs.show_filtered(
            f"{item.label} 未满足（{item.unmet} 家）", usccs=item.unmet_usccs
        )

    def _score_clicked(self, index: int) -> None:
        assert self.overview is not None
        label, _, usccs = self.overview.score_bars[index]
        self.window.round_tabs.show_filtered(
            label if label == OPEN_SCORE_LABEL else f"得分 {label}", usccs=usccs
        )

    def _region_clicked(self, index: int) -> None:
        assert self.overview is not None
        if len(self.overview.by_place) > PLACES_SHOWN and index >= PLACES_SHOWN - 1:
            return  # 其他: several places, no one filter
        label = list(self.overview.by_place)[index]
        usccs = self.overview.place_usccs.get(label, ())
        self.window.round_tabs.show_filtered(f"地区：{label}", usccs=usccs)

    def _industry_clicked(self, index: int) -> None:
        assert self.overview is not None
        section = list(self.overview.by_industry)[index]
        usccs = self.overview.industry_usccs.get(section, ())
        self.window.round_tabs.show_filtered(f"行业：{section}", usccs=usccs)

    def _near_miss_opened(self, row: int, _column: int) -> None:
        item = self.near_table.item(row, 0)
        if item is not None:
            self.window.round_tabs.show_table()
            self.window.select_applicant(item.data(Qt.ItemDataRole.UserRole))


class RoundTabs(QTabWidget):
    """概览 and 企业列表 of the open round; the overview is what a round opens on."""

    def __init__(self, window: Any, table_box: QWidget) -> None:
        super().__init__()
        self.setObjectName("roundTabs")
        self.window = window
        self.overview = OverviewPage(window)
        self.table_box = table_box
        self.chip = QWidget()
        self.chip_label = QLabel("")
        clear = QPushButton("清除图表筛选")
        clear.clicked.connect(self.clear_chart_filter)
        chip_layout = QHBoxLayout(self.chip)
        chip_layout.setContentsMargins(0, 0, 0, 0)
        chip_layout.addWidget(self.chip_label, 1)
        chip_layout.addWidget(clear)
        self.chip.setVisible(False)
        layout = table_box.layout()
        layout.insertWidget(layout.count() - 1, self.chip)  # above the table
        self.addTab(self.overview, "概览")
        self.addTab(table_box, "企业列表")
        self.currentChanged.connect(lambda _: window._update_welcome())
        window.rows_loaded.connect(self._rows_loaded)
        # An applicant chosen (F8, a search, a near-miss) is shown where it is reviewed.
        window.detail_loaded.connect(lambda _: self.show_table())
        self._opened: str | None = None  # the round last opened
        window.rounds_list.currentItemChanged.connect(lambda *_: self._round_opened())

    def showing_table(self) -> bool:
        return self.currentWidget() is self.table_box

    def show_table(self) -> None:
        self.setCurrentWidget(self.table_box)

    def _round_opened(self) -> None:
        item = self.window.rounds_list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if name == self._opened:
            return  # the same round listed again (after an import): the tab in use stays
        self._opened = name
        self.setCurrentWidget(self.overview)
        self._clear_chart_filter(apply=False)

    def _rows_loaded(self, name: str) -> None:
        if self.window.service is not None:
            self.overview.load(self.window.service, name)

    def show_filtered(
        self,
        what: str,
        *,
        combo: tuple[Any, str] | None = None,
        usccs: tuple[str, ...] | None = None,
    ) -> None:
        """Show the applicant list with only a chart bar's applicants (other filters cleared)."""
        window = self.window
        combos = (window.verdict_filter, window.decision_filter, window.status_filter,
                  window.open_filter, window.type_filter, window.region_filter)  # fmt: skip
        for box in combos:
            box.blockSignals(True)
            box.setCurrentIndex(0)
        if combo is not None:
            box, code = combo
            box.setCurrentIndex(max(box.findData(code), 0))
        for box in combos:
            box.blockSignals(False)
        window.search.blockSignals(True)
        window.search.clear()
        window.search.blockSignals(False)
        window.proxy.usccs = frozenset(usccs) if usccs is not None else None
        window.apply_filters()
        shown = window.proxy.rowCount()
        self.chip_label.setText(f"<b>图表筛选</b>　{what}　显示 {shown} 家")
        self.chip.setVisible(True)
        self.show_table()

    def clear_chart_filter(self) -> None:
        self._clear_chart_filter(apply=True)

    def _clear_chart_filter(self, *, apply: bool) -> None:
        self.chip.setVisible(False)
        if self.window.proxy.usccs is not None:
            self.window.proxy.usccs = None
            if apply:
                self.window.apply_filters()


def install_round_tabs(window: Any, table_box: QWidget) -> RoundTabs:
    """The tabs that replace the bare applicant list in the main window's centre."""
    tabs = RoundTabs(window, table_box)
    window.round_tabs = tabs
    return tabs
