"""Bar charts of the round overview (QtCharts): counts with their labels, a click per bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication

BAR_COLOUR = "#3b6ea5"
APART_COLOUR = "#b26a00"  # a bar not of a kind with the rest (as 待定 is coloured)
MIN_HEIGHT = 220  # pixels
BAR_ROW = 34  # pixels per bar of a horizontal chart (a CJK label needs ~30 to show whole)
LABEL_LIMIT = 24  # characters of a category label shown under or beside its bar


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """A category label cut to fit beside its bar (the full text is in the tooltip)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BarChart(QChartView):
    """One series of bars, each a category and a count; clicking a bar calls ``on_click``
    with the bar's index (the caller knows what the category means).

    Horizontal bars suit long labels (criteria, provinces); the first category is drawn at
    the top, as it is read.
    """

    def __init__(
        self,
        title: str,
        *,
        horizontal: bool = False,
        colour: str = BAR_COLOUR,
        on_click: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self.horizontal = horizontal
        self.colour = colour
        self.on_click = on_click
        self.labels: list[str] = []
        self.counts: list[int] = []
        self.bar_set: QBarSet | None = None
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        font = QFont(QApplication.font())
        title_font = QFont(font)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(MIN_HEIGHT)
        self.setObjectName("barChart")

    def set_data(
        self,
        labels: Sequence[str],
        counts: Sequence[int],
        axis_labels: Sequence[str] | None = None,
        apart: Sequence[int] = (),
    ) -> None:
        """Replace the bars (categories in the order given). ``axis_labels``, short texts
        made to fit under narrow bars (score bands: 0–10, …), are drawn whole in place of
        ``labels``, which the tooltips still give. The bars at the indexes ``apart`` (not
        of a kind with the others: the scores not fixed yet) are drawn in APART_COLOUR."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.labels, self.counts = list(labels), [int(c) for c in counts]
        shown_labels, shown_counts = self.labels, self.counts
        if self.horizontal:  # QtCharts draws the first category at the bottom
            shown_labels, shown_counts = shown_labels[::-1], shown_counts[::-1]
        bar_set = QBarSet("家数")
        bar_set.setColor(QColor(self.colour))
        bar_set.setLabelColor(QColor("#202020"))
        bar_set.append([float(c) for c in shown_counts])
        if apart:
            bar_set.setSelectedColor(QColor(APART_COLOUR))
            bar_set.selectBars([self.index_of(i) for i in apart])
        self.bar_set = bar_set
        if self.horizontal:  # room for every label: QtCharts elides those that do not fit
            self.setMinimumHeight(max(MIN_HEIGHT, BAR_ROW * len(self.labels) + 90))
        series: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setBarWidth(0.6)
        series.clicked.connect(self._clicked)
        series.hovered.connect(self._hovered)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        if axis_labels is not None:
            # QtCharts elides a label it thinks tight long before it touches the next one
            # ("0–…" under a 38-pixel bar at 1366×768): these are short enough to draw whole.
            categories.setTruncateLabels(False)
            shown_axis = list(axis_labels)[::-1] if self.horizontal else list(axis_labels)
            categories.append(shown_axis or [""])
        else:
            categories.append([short_label(text) for text in shown_labels] or [""])
        values = QValueAxis()
        peak = max(shown_counts, default=0)
        values.setRange(0, max(1, peak + max(1, peak // 6)))  # room for the count labels
        values.setLabelFormat("%d")
        values.setTickCount(min(6, max(2, peak + 2)))
        values.setGridLineColor(QColor("#e3e3e3"))
        font = QFont(QApplication.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        categories.setLabelsFont(font)
        values.setLabelsFont(font)
        category_side, value_side = (
            (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom)
            if self.horizontal
            else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
        )
        chart.addAxis(categories, category_side)
        chart.addAxis(values, value_side)
        series.attachAxis(categories)
        series.attachAxis(values)

    def index_of(self, shown: int) -> int:
        """The caller's index of a bar Qt reports by its drawn position."""
        return len(self.labels) - 1 - shown if self.horizontal else shown

    def _clicked(self, shown: int, _bar_set: QBarSet) -> None:
        if self.on_click is not None and 0 <= shown < len(self.labels):
            self.on_click(self.index_of(shown))

    def _hovered(self, status: bool, shown: int, _bar_set: QBarSet) -> None:
        if status and 0 <= shown < len(self.labels):
            index = self.index_of(shown)
            hint = "（单击在企业列表中筛选）" if self.on_click is not None else ""
            self.setToolTip(f"{self.labels[index]}：{self.counts[index]} 家{hint}")
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.setToolTip("")
            self.unsetCursor()
