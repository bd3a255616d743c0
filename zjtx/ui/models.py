"""Qt item models over the store's plain dataclasses: applicants, criteria, issues, mappings."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap

from zjtx.domain.issues import SEVERITY_LABELS, Issue, Severity
from zjtx.domain.region import Place
from zjtx.domain.region import place as place_of
from zjtx.store import ApplicantRow
from zjtx.store.dto import DECISION_LABELS, REVIEW_STATUS_LABELS

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

APPLICATION_LABELS = {"new": "新申报", "renewal": "复核"}
# The table ranks every applicant by score, to compare them; the printed 推荐汇总表 ranks only
# the recommended ones (zjtx.export.summary), so the header says which this is.
RANK_MEANING = "本批次全部企业按评价得分的名次（便于比较）；推荐汇总表只为作出“推荐”决定的企业排名"
VERDICT_COLOURS = {
    "qualified": "#1b7f3b",
    "not_qualified": "#c62828",
    "pending": "#b26a00",
    None: "#6b6b6b",
}
VERDICT_BACKGROUNDS = {
    "qualified": "#e6f4ea",
    "not_qualified": "#fdecea",
    "pending": "#fff4e0",
    None: "#f1f1f1",
}
VERDICT_SYMBOLS = {"qualified": "✓", "not_qualified": "✗", "pending": "?", None: "–"}
STATE_COLOURS = {
    "met": "#1b7f3b",
    "unmet": "#c62828",
    "manual": "#b26a00",
    "unknown": "#8e5b00",
    "na": "#6b6b6b",
}
STATE_VERDICT = {"met": "qualified", "unmet": "not_qualified", "manual": "pending",
                 "unknown": "pending", "na": None}  # fmt: skip
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_COLOURS = {
    Severity.ERROR: "#c62828",
    Severity.WARNING: "#b26a00",
    Severity.INFO: "#455a64",
}


@cache
def verdict_icon(verdict: str | None) -> QIcon:
    """A coloured disc with a check, cross or question mark (drawn, so it needs no files)."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(VERDICT_COLOURS.get(verdict, "#6b6b6b")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, size - 4, size - 4)
    pen = QPen(QColor("white"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    if verdict == "qualified":
        painter.drawPolyline([_p(9, 17), _p(14, 22), _p(23, 11)])
    elif verdict == "not_qualified":
        painter.drawLine(11, 11, 21, 21)
        painter.drawLine(21, 11, 11, 21)
    elif verdict == "pending":
        painter.drawArc(11, 7, 10, 10, 150 * 16, -240 * 16)
        painter.drawLine(16, 17, 16, 19)
        painter.drawPoint(16, 24)
    else:
        painter.drawLine(10, 16, 22, 16)
    painter.end()
    return QIcon(pixmap)


@cache
def rulebook_full_title(rulebook_id: str) -> str:
    from zjtx.scoring.rulebook import rulebook_title

    return rulebook_title(rulebook_id)


@cache
def rulebook_short_title(rulebook_id: str | None) -> str:
    """A rulebook as a table cell: "2026 版标准" (the tier is the round's); the id only if unknown."""
    if not rulebook_id:
        return ""
    title = rulebook_full_title(rulebook_id)
    match = re.search(r"（(\d{4}) ?版）|(\d{4})", title)
    if match:
        return f"{match.group(1) or match.group(2)} 版标准"
    return title


def _p(x: int, y: int) -> Any:
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


class ApplicantTableModel(QAbstractTableModel):
    """The round table: one row per applicant (ApplicantRow), read-only."""

    COLUMNS = ("排名", "统一社会信用代码", "企业名称", "申报类型", "评价标准", "评价结论", "得分",
               "待确认", "待核提示", "评审决定", "评审状态", "地区")  # fmt: skip
    RANK_COLUMN = 0
    NAME_COLUMN = 2
    RULEBOOK_COLUMN = 4
    VERDICT_COLUMN = 5
    SCORE_COLUMN = 6
    DECISION_COLUMN = 9
    STATUS_COLUMN = 10
    REGION_COLUMN = 11

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ApplicantRow] = []
        self._by_uscc: dict[str, int] = {}

    # -- data
    def set_rows(self, rows: Sequence[ApplicantRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._by_uscc = {r.uscc: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def update_row(self, row: ApplicantRow) -> None:
        """Replace one applicant's line in place (after a review was saved)."""
        position = self._by_uscc.get(row.uscc)
        if position is None:
            return
        self._rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.COLUMNS) - 1))

    def row_at(self, position: int) -> ApplicantRow:
        return self._rows[position]

    def position_of(self, uscc: str) -> int | None:
        return self._by_uscc.get(uscc)

    def rows(self) -> list[ApplicantRow]:
        return list(self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row: fast with 10,000 rows (the proxy delegates)."""
        if not 0 <= column < len(self.COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old_rows = list(self._rows)
        self._rows.sort(
            key=lambda r: self._sort_key(r, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._by_uscc = {r.uscc: i for i, r in enumerate(self._rows)}
        changes_from, changes_to = [], []
        for index in self.persistentIndexList():
            if not 0 <= index.row() < len(old_rows):
                continue
            uscc = old_rows[index.row()].uscc
            changes_from.append(index)
            changes_to.append(self.index(self._by_uscc[uscc], index.column()))
        self.changePersistentIndexList(changes_from, changes_to)
        self.layoutChanged.emit()

    # -- Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
                return self.COLUMNS[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and section == self.RANK_COLUMN
        ):
            return RANK_MEANING
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole and column == self.VERDICT_COLUMN:
            return verdict_icon(row.verdict)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.VERDICT_COLUMN:
                return QBrush(QColor(VERDICT_COLOURS.get(row.verdict, "#6b6b6b")))
            if column == self.DECISION_COLUMN and row.decision_outdated:
                return QBrush(QColor("#b26a00"))
        if role == Qt.ItemDataRole.BackgroundRole and column == self.VERDICT_COLUMN:
            return QBrush(QColor(VERDICT_BACKGROUNDS.get(row.verdict, "#f1f1f1")))
        if role == Qt.ItemDataRole.FontRole and column == self.VERDICT_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.DECISION_COLUMN and row.decision_outdated:
                return "决定作出后企业数据已重新导入，请复核"
            if column == self.NAME_COLUMN:
                return f"{row.name}\n{row.uscc}\n数据版本 {row.version}"
            if column == self.RULEBOOK_COLUMN and row.rulebook:
                return f"{rulebook_full_title(row.rulebook)}\n（{row.rulebook}）"
            if column == self.REGION_COLUMN:
                return (
                    f"所在省：{row.province or '未填写'}\n所在市：{row.city or '未填写'}\n"
                    f"所在区县：{row.county or '未填写'}"
                )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 6, 7, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(row: ApplicantRow, column: int) -> str:
        match column:
            case 0:
                return "" if row.rank is None else str(row.rank)
            case 1:
                return row.uscc
            case 2:
                return row.name
            case 3:
                return APPLICATION_LABELS.get(
                    row.application_type or "", row.application_type or ""
                )
            case 4:
                return rulebook_short_title(row.rulebook)
            case 5:
                return row.verdict_label
            case 6:
                if row.score is None:
                    return ""
                return (
                    f"{_number(row.score)} / {_number(row.max_score)}"
                    if row.max_score
                    else _number(row.score)
                )
            case 7:
                return str(row.open_judgements) if row.open_judgements else ""
            case 8:
                return str(row.open_warnings) if row.open_warnings else ""
            case 9:
                label = row.decision_label if row.decision else "—"
                return f"{label}（需复核）" if row.decision_outdated else label
            case 10:
                return row.review_status.label
            case 11:
                return row.region
        return ""

    @staticmethod
    def _sort_key(row: ApplicantRow, column: int) -> Any:
        # Keys of one type per column so QSortFilterProxyModel compares like with like.
        match column:
            case 0:
                return row.rank if row.rank is not None else 10**9
            case 6:
                return float(row.score) if row.score is not None else -1.0
            case 7:
                return row.open_judgements
            case 8:
                return row.open_warnings
            case 5:
                return {"qualified": 0, "pending": 1, "not_qualified": 2}.get(row.verdict or "", 3)
            case 10:
                return list(REVIEW_STATUS_LABELS).index(row.review_status)
        return ApplicantTableModel._display(row, column)


class ApplicantFilterProxy(QSortFilterProxyModel):
    """Sorts by any column and filters by verdict, decision, review state and a search text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self.verdict: str | None = None
        self.decision: str | None = None  # "none" = undecided
        self.status: str | None = None
        self.application_type: str | None = None
        self.open_items: str | None = None  # judgements | warnings | any
        self.region: str | None = None  # a REGION_CHOICES code: 省, 省/市 or NO_REGION
        self.search = ""

    def set_filters(
        self,
        *,
        verdict: str | None = None,
        decision: str | None = None,
        status: str | None = None,
        application_type: str | None = None,
        open_items: str | None = None,
        region: str | None = None,
        search: str = "",
    ) -> None:
        self.beginFilterChange()
        self.region = region or None
        self.verdict = verdict or None
        self.decision = decision or None
        self.status = status or None
        self.application_type = application_type or None
        self.open_items = open_items or None
        self.search = search.strip().upper()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, ApplicantTableModel):
            # The source sorts itself (one Python key per row); the proxy keeps its order.
            model.sort(column, order)
            self.invalidate()
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ApplicantTableModel):
            return True
        row = model.row_at(source_row)
        if self.verdict and (row.verdict or "none") != self.verdict:
            return False
        if self.decision and (row.decision or "none") != self.decision:
            return False
        if self.status and str(row.review_status) != self.status:
            return False
        if self.application_type and row.application_type != self.application_type:
            return False
        if self.open_items == "judgements" and not row.open_judgements:
            return False
        if self.open_items == "warnings" and not row.open_warnings:
            return False
        if self.region and not region_matches(row, self.region):
            return False
        return not (
            self.search and self.search not in row.name.upper() and self.search not in row.uscc
        )


class ListTableModel(QAbstractTableModel):
    """A read-only table over a list of items, one per row, with the headers in COLUMNS."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, position: int) -> Any:
        return self._items[position]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def _item(self, index: Index) -> Any:
        """The item of a valid index, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        return self._items[index.row()]


class CriteriaModel(ListTableModel):
    """The criteria of one evaluation (Evaluation.to_dict()['criteria'])."""

    COLUMNS = ("编号", "指标", "状态", "实际情况", "要求", "差距", "得分")

    def set_criteria(self, items: Sequence[dict[str, Any]]) -> None:
        self.set_items(items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._item(index)
        if item is None:
            return None
        column = index.column()
        state = item.get("state") or ""
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor(STATE_COLOURS.get(state, "#333333")))
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return verdict_icon(STATE_VERDICT.get(state))
        if role == Qt.ItemDataRole.BackgroundRole and item.get("unverified"):
            return QBrush(QColor("#fff8d6"))
        if role == ROW_ROLE:
            return item
        return None

    @staticmethod
    def _display(item: dict[str, Any], column: int) -> str:
        match column:
            case 0:
                return str(item.get("id", ""))
            case 1:
                title = str(item.get("title", ""))
                return f"{title}  ⚑未核实" if item.get("unverified") else title
            case 2:
                label = str(item.get("state_label", ""))
                if item.get("confirmation"):
                    verb = (
                        "改判" if item.get("computed_state") not in (None, "manual") else "已确认"
                    )
                    label += f"（{verb}）"
                return label
            case 3:
                return str(item.get("observed") or "")
            case 4:
                return str(item.get("requirement") or "")
            case 5:
                return str(item.get("gap") or "")
            case 6:
                points = item.get("points")
                if points is None:
                    return ""
                maximum = item.get("max_points")
                return f"{points} / {maximum}" if maximum is not None else str(points)
        return ""

    @staticmethod
    def _tooltip(item: dict[str, Any]) -> str:
        lines = [f"{item.get('id', '')} {item.get('title', '')}"]
        if item.get("clause"):
            lines.append(f"条款：{item['clause']}")
        if item.get("source"):
            lines.append(f"出处：{item['source']}")
        if item.get("grade"):
            from zjtx.scoring.rulebook import GRADE_LABELS

            label = GRADE_LABELS.get(item["grade"])
            lines.append(f"可信等级：{item['grade']}" + (f"（{label}）" if label else ""))
        if item.get("unverified"):
            lines.append("⚑ 本条数值或表述尚未与正式文件核实，请人工核对")
        confirmation = item.get("confirmation")
        if confirmation:
            lines.append(
                f"评审人 {confirmation.get('evaluator', '')} 的理由：{confirmation.get('reason', '')}"
            )
        for note in item.get("notes") or ():
            lines.append(f"说明：{note}")
        return "\n".join(lines)


class IssuesModel(ListTableModel):
    """Data-quality issues (errors, warnings, info) with file, sheet and cell."""

    COLUMNS = ("级别", "说明", "文件", "工作表", "单元格", "行", "统一社会信用代码")

    def set_issues(self, issues: Sequence[Issue]) -> None:
        self.set_items(issues)

    def issue_at(self, position: int) -> Issue:
        return self.item_at(position)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        issue: Issue | None = self._item(index)
        if issue is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (SEVERITY_LABELS.get(issue.severity, str(issue.severity)), issue.message,
                      issue.file, issue.sheet or "", issue.cell or "",
                      "" if issue.row is None else str(issue.row), issue.uscc or "")  # fmt: skip
            return values[column]
        if role == SORT_ROLE:
            if column == 0:
                return SEVERITY_ORDER.get(issue.severity, 3)
            if column == 5:
                return issue.row if issue.row is not None else -1
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor(SEVERITY_COLOURS.get(issue.severity, "#333333")))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{issue.message}\n位置：{issue.location()}\n代码：{issue.code}"
        if role == ROW_ROLE:
            return issue
        return None


@cache
def _catalogue() -> Any:
    from zjtx.scoring import load_catalogue

    return load_catalogue()


def field_label(key: str | None) -> str:
    """Chinese label of a catalogue field (the key itself if unknown; "—" for none)."""
    if not key:
        return "—"
    spec = _catalogue().get(key)
    return spec.relative_label() if spec else key


def format_field_value(key: str, value: Any) -> str:
    spec = _catalogue().get(key)
    if spec is None:
        return str(value)
    try:
        return spec.format_value(value)
    except (TypeError, ValueError):
        return str(value)


DECISION_FILTERS = (("", "全部决定"), *((str(k), v) for k, v in DECISION_LABELS.items()),
                    ("none", "未决定"))  # fmt: skip
OPEN_ITEM_FILTERS = (("", "全部条目"), ("judgements", "有待人工确认条目"),
                     ("warnings", "有待确认导入提示"))  # fmt: skip
STATUS_FILTERS = (("", "全部状态"), *((str(k), v) for k, v in REVIEW_STATUS_LABELS.items()))
NO_REGION = "-"  # the region filter's code for applicants whose region was not given


def region_matches(row: ApplicantRow, code: str) -> bool:
    """Whether a row is in the place a region filter code names (see region_choices)."""
    place = _place(row)
    if code == NO_REGION:
        return not (place.province or place.city)
    province, _, city = code.partition("/")
    return (place.province or "") == province and (not city or place.city == city)


def _place(row: ApplicantRow) -> Place:
    """The row's place in one form (江苏 and 江苏省 alike; see zjtx.domain.region)."""
    return place_of(row.province, row.city, row.county)


def region_choices(rows: Sequence[ApplicantRow]) -> list[tuple[str, str]]:
    """The region filter's entries: every province, then its cities (indented), with counts."""
    provinces: dict[str, Counter[str]] = defaultdict(Counter)
    missing = 0
    for row in rows:
        place = _place(row)
        if not (place.province or place.city):
            missing += 1
            continue
        provinces[place.province or ""][place.city or ""] += 1
    choices = [("", "全部地区")]
    for province in sorted(provinces):
        cities = provinces[province]
        choices.append((province, f"{province or '未填写省份'}（{cities.total()} 家）"))
        for city in sorted(cities):
            if city:  # a municipality (北京市) is its own city: the province entry says it all
                choices.append((f"{province}/{city}", f"　　{city}（{cities[city]} 家）"))
    if missing:
        choices.append((NO_REGION, f"未填写地区（{missing} 家）"))
    return choices


VERDICT_FILTERS = (("", "全部结论"), ("qualified", "符合条件"), ("pending", "待定"),
                   ("not_qualified", "不符合条件"), ("none", "未评价"))  # fmt: skip
