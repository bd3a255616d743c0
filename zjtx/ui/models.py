"""Qt item models over the store's plain dataclasses: applicants, criteria, issues, mappings."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from functools import cache
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap

from zjtx.domain.issues import SEVERITY_LABELS, Issue, Severity
from zjtx.domain.labels import Decision, ReviewStatus, Verdict, application_type_text
from zjtx.domain.region import Place
from zjtx.domain.region import place as place_of
from zjtx.domain.results import is_revision
from zjtx.store import ApplicantRow
from zjtx.store.filters import NO_REGION, SORT_KEYS, ApplicantFilter


class ItemRole(IntEnum):
    """The models' own data roles, beyond Qt's (values fixed: proxies and views ask by number)."""

    SORT = int(Qt.ItemDataRole.UserRole) + 1  # a key of one type per column, for sorting
    ROW = int(Qt.ItemDataRole.UserRole) + 2  # the whole item behind a row


SORT_ROLE = ItemRole.SORT
ROW_ROLE = ItemRole.ROW
Index = QModelIndex | QPersistentModelIndex
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class ColumnSpec(Generic[Item]):
    """One table column: its header, its cell text and its sort key (the text when None)."""

    header: str
    display: Callable[[Item], str]
    sort_key: Callable[[Item], Any] | None = None
    right_aligned: bool = False

    def key(self) -> Callable[[Item], Any]:
        return self.sort_key or self.display


# The table ranks every applicant whose score is fixed, to compare them; the printed 推荐汇总表
# ranks only the recommended ones (zjtx.export.summary), so the header says which this is.
RANK_MEANING = (
    "本批次得分已确定的企业按评价得分的名次（便于比较）；得分未定的企业（有待补充数据或"
    "待人工确认的计分条目，得分显示为区间）不排名，排名栏为“—”；"
    f"推荐汇总表只为作出“{Decision.RECOMMEND.label}”决定的企业排名"
)
OPEN_SCORE_HINT = "有待补充数据或待人工确认的计分条目，最终得分在此区间内，不参加排名"
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


class ApplicantColumn(IntEnum):
    """The round table's columns, in their model order (the view may move them)."""

    RANK = 0
    USCC = 1
    NAME = 2
    APPLICATION_TYPE = 3
    RULEBOOK = 4
    VERDICT = 5
    SCORE = 6
    OPEN_JUDGEMENTS = 7
    OPEN_WARNINGS = 8
    DECISION = 9
    STATUS = 10
    REGION = 11


def _score_text(row: ApplicantRow) -> str:
    """80 / 100, or 25–100 / 100 while the score is not fixed; "" when unscored."""
    if row.score is None:
        return ""
    return f"{row.score_text} / {_number(row.max_score)}" if row.max_score else row.score_text


def _score_key(row: ApplicantRow) -> tuple[int, float, float]:
    """Fixed scores apart from ranges (a range sorts by its least, then its most): sorted high
    to low, the fixed come first, then the ranges, then the unscored."""
    if row.score is None:
        return (-1, -1.0, -1.0)
    high = row.score_max if row.score_max is not None else row.score
    return (0 if row.score_open else 1, float(row.score), float(high))


def _rank_text(row: ApplicantRow) -> str:
    if row.rank is not None:
        return str(row.rank)
    return "—" if row.score_open else ""


def _decision_text(row: ApplicantRow) -> str:
    return row.decision_text if row.decision else "—"


VERDICT_ORDER = {"qualified": 0, "pending": 1, "not_qualified": 2}

# Sort keys are of one type per column so like is compared with like; a column that `round show
# --sort` also names uses the store's key (zjtx.store.filters), so both order alike.
APPLICANT_COLUMNS: tuple[ColumnSpec[ApplicantRow], ...] = (
    ColumnSpec(
        "排名",
        _rank_text,
        SORT_KEYS["rank"],
        right_aligned=True,
    ),
    ColumnSpec("统一社会信用代码", lambda r: r.uscc, SORT_KEYS["uscc"]),
    ColumnSpec("企业名称", lambda r: r.name, SORT_KEYS["name"]),
    ColumnSpec(
        "申报类型",
        lambda r: application_type_text(r.application_type, ""),
    ),
    ColumnSpec("评价标准", lambda r: rulebook_short_title(r.rulebook)),
    ColumnSpec(
        "评价结论", lambda r: r.verdict_label, lambda r: VERDICT_ORDER.get(r.verdict or "", 3)
    ),
    ColumnSpec(
        "得分",
        _score_text,
        _score_key,
        right_aligned=True,
    ),
    ColumnSpec(
        "待确认",
        lambda r: str(r.open_judgements) if r.open_judgements else "",
        lambda r: r.open_judgements,
        right_aligned=True,
    ),
    ColumnSpec(
        "待核提示",
        lambda r: str(r.open_warnings) if r.open_warnings else "",
        lambda r: r.open_warnings,
        right_aligned=True,
    ),
    ColumnSpec("评审决定", _decision_text),
    ColumnSpec("评审状态", lambda r: r.review_status.label, SORT_KEYS["status"]),
    ColumnSpec("地区", lambda r: r.region, SORT_KEYS["region"]),
)


class ApplicantTableModel(QAbstractTableModel):
    """The round table: one row per applicant (ApplicantRow), read-only."""

    COLUMN_SPECS = APPLICANT_COLUMNS
    COLUMNS = tuple(spec.header for spec in APPLICANT_COLUMNS)
    # The names the window and tests use for the columns it treats specially.
    RANK_COLUMN = ApplicantColumn.RANK
    NAME_COLUMN = ApplicantColumn.NAME
    RULEBOOK_COLUMN = ApplicantColumn.RULEBOOK
    VERDICT_COLUMN = ApplicantColumn.VERDICT
    SCORE_COLUMN = ApplicantColumn.SCORE
    DECISION_COLUMN = ApplicantColumn.DECISION
    STATUS_COLUMN = ApplicantColumn.STATUS
    REGION_COLUMN = ApplicantColumn.REGION

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
            key=self.COLUMN_SPECS[column].key(),
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
        if not 0 <= index.column() < len(self.COLUMN_SPECS):
            return None
        row = self._rows[index.row()]
        column = index.column()  # compared with ApplicantColumn members (ints)
        spec = self.COLUMN_SPECS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.display(row)
        if role == ItemRole.SORT:
            return spec.key()(row)
        if role == ItemRole.ROW:
            return row
        if role == Qt.ItemDataRole.DecorationRole and column == ApplicantColumn.VERDICT:
            return verdict_icon(row.verdict)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == ApplicantColumn.VERDICT:
                return QBrush(QColor(VERDICT_COLOURS.get(row.verdict, "#6b6b6b")))
            if column == ApplicantColumn.DECISION and row.decision_outdated:
                return QBrush(QColor("#b26a00"))
        if role == Qt.ItemDataRole.BackgroundRole and column == ApplicantColumn.VERDICT:
            return QBrush(QColor(VERDICT_BACKGROUNDS.get(row.verdict, "#f1f1f1")))
        if role == Qt.ItemDataRole.FontRole and column == ApplicantColumn.VERDICT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.right_aligned:
            return RIGHT_ALIGNED
        return None

    @staticmethod
    def _tooltip(row: ApplicantRow, column: int) -> str | None:
        if column in (ApplicantColumn.SCORE, ApplicantColumn.RANK) and row.score_open:
            return f"得分未定（{row.score_text} 分）：{OPEN_SCORE_HINT}"
        if column == ApplicantColumn.DECISION and row.decision_outdated:
            return f"{row.decision_outdated_reason}，请复核"
        if column == ApplicantColumn.NAME:
            return f"{row.name}\n{row.uscc}\n数据版本 {row.version}"
        if column == ApplicantColumn.RULEBOOK and row.rulebook:
            return f"{rulebook_full_title(row.rulebook)}\n（{row.rulebook}）"
        if column == ApplicantColumn.REGION:
            return (
                f"所在省：{row.province or '未填写'}\n所在市：{row.city or '未填写'}\n"
                f"所在区县：{row.county or '未填写'}"
            )
        return None


class ApplicantFilterProxy(QSortFilterProxyModel):
    """Sorts by any column; keeps the rows the shared ApplicantFilter (zjtx.store.filters) keeps."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self.filter = ApplicantFilter()
        self.usccs: frozenset[str] | None = None  # a chart bar clicked in the round overview

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
        """Keep the rows the shared ApplicantFilter keeps (as `zjtx round show` does)."""
        self.beginFilterChange()
        self.filter = ApplicantFilter(
            verdict=verdict or None,
            decision=decision or None,
            status=status or None,
            application_type=application_type or None,
            open_items=open_items or None,
            region=region or None,
            search=search.strip() or None,
            usccs=self.usccs,
        )
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
        return self.filter.matches(model.row_at(source_row))


class ListTableModel(QAbstractTableModel):
    """A read-only table over a list of items, one per row, with the headers in COLUMNS.

    A subclass names its columns in COLUMN_SPECS (COLUMNS are then their headers) and gets their
    text, sort key and alignment from `_cell`.
    """

    COLUMN_SPECS: tuple[ColumnSpec[Any], ...] = ()
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

    def _cell(self, item: Any, column: int, role: int) -> Any:
        """What the column's spec says for the text, sort, row and alignment roles (else None)."""
        if not 0 <= column < len(self.COLUMN_SPECS):
            return None
        spec = self.COLUMN_SPECS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.display(item)
        if role == ItemRole.SORT:
            return spec.key()(item)
        if role == ItemRole.ROW:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.right_aligned:
            return RIGHT_ALIGNED
        return None


class CriteriaColumn(IntEnum):
    """The columns of the criteria table."""

    ID = 0
    TITLE = 1
    STATE = 2
    OBSERVED = 3
    REQUIREMENT = 4
    GAP = 5
    POINTS = 6


def _criterion_title(item: dict[str, Any]) -> str:
    title = str(item.get("title", ""))
    return f"{title}  ⚑未核实" if item.get("unverified") else title


def _criterion_state(item: dict[str, Any]) -> str:
    label = str(item.get("state_label", ""))
    if item.get("confirmation"):
        verb = (
            "改判" if is_revision(item.get("computed_state"), item.get("state", "")) else "已确认"
        )
        label += f"（{verb}）"
    return label


def _criterion_points(item: dict[str, Any]) -> str:
    points = item.get("points")
    if points is None:
        return ""
    low, high = item.get("points_min"), item.get("points_max")
    if low is not None and high is not None and low != high:
        # Open until an evaluator confirms or the data is supplied: the range, as the report prints.
        points = f"{low}–{high}"
    maximum = item.get("max_points")
    return f"{points} / {maximum}" if maximum is not None else str(points)


CRITERIA_COLUMNS: tuple[ColumnSpec[dict[str, Any]], ...] = (
    ColumnSpec("编号", lambda item: str(item.get("id", ""))),
    ColumnSpec("指标", _criterion_title),
    ColumnSpec("状态", _criterion_state),
    ColumnSpec("实际情况", lambda item: str(item.get("observed") or "")),
    ColumnSpec("要求", lambda item: str(item.get("requirement") or "")),
    ColumnSpec("差距", lambda item: str(item.get("gap") or "")),
    ColumnSpec("得分", _criterion_points),
)


class CriteriaModel(ListTableModel):
    """The criteria of one evaluation (Evaluation.to_dict()['criteria'])."""

    COLUMN_SPECS = CRITERIA_COLUMNS
    COLUMNS = tuple(spec.header for spec in CRITERIA_COLUMNS)

    def set_criteria(self, items: Sequence[dict[str, Any]]) -> None:
        self.set_items(items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._item(index)
        if item is None:
            return None
        column = index.column()
        state = item.get("state") or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and column == CriteriaColumn.STATE:
            return QBrush(QColor(STATE_COLOURS.get(state, "#333333")))
        if role == Qt.ItemDataRole.DecorationRole and column == CriteriaColumn.STATE:
            return verdict_icon(STATE_VERDICT.get(state))
        if role == Qt.ItemDataRole.BackgroundRole and item.get("unverified"):
            return QBrush(QColor("#fff8d6"))
        return self._cell(item, column, role)

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


class IssueColumn(IntEnum):
    """The columns of the data-quality issues table."""

    SEVERITY = 0
    MESSAGE = 1
    FILE = 2
    SHEET = 3
    CELL = 4
    ROW = 5
    USCC = 6


ISSUE_COLUMNS: tuple[ColumnSpec[Issue], ...] = (
    ColumnSpec(
        "级别",
        lambda issue: SEVERITY_LABELS.get(issue.severity, str(issue.severity)),
        lambda issue: SEVERITY_ORDER.get(issue.severity, 3),
    ),
    ColumnSpec("说明", lambda issue: issue.message),
    ColumnSpec("文件", lambda issue: issue.file),
    ColumnSpec("工作表", lambda issue: issue.sheet or ""),
    ColumnSpec("单元格", lambda issue: issue.cell or ""),
    ColumnSpec(
        "行",
        lambda issue: "" if issue.row is None else str(issue.row),
        lambda issue: issue.row if issue.row is not None else -1,
    ),
    ColumnSpec("统一社会信用代码", lambda issue: issue.uscc or ""),
)


class IssuesModel(ListTableModel):
    """Data-quality issues (errors, warnings, info) with file, sheet and cell."""

    COLUMN_SPECS = ISSUE_COLUMNS
    COLUMNS = tuple(spec.header for spec in ISSUE_COLUMNS)

    def set_issues(self, issues: Sequence[Issue]) -> None:
        self.set_items(issues)

    def issue_at(self, position: int) -> Issue:
        return self.item_at(position)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        issue: Issue | None = self._item(index)
        if issue is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == IssueColumn.SEVERITY:
            return QBrush(QColor(SEVERITY_COLOURS.get(issue.severity, "#333333")))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{issue.message}\n位置：{issue.location()}\n代码：{issue.code}"
        return self._cell(issue, column, role)


def field_label(key: str | None) -> str:
    """Chinese label of a catalogue field (the key itself if unknown; "—" for none)."""
    if not key:
        return "—"
    from zjtx.scoring.known_fields import known_field

    spec = known_field(key)
    return spec.relative_label() if spec else key


def format_field_value(key: str, value: Any) -> str:
    from zjtx.scoring.known_fields import known_field

    spec = known_field(key)
    if spec is None:
        return str(value)
    try:
        return spec.format_value(value)
    except (TypeError, ValueError):
        return str(value)


DECISION_FILTERS = (("", "全部决定"), *Decision.labels().items(), ("none", "未决定"))
OPEN_ITEM_FILTERS = (("", "全部条目"), ("judgements", "有待人工确认条目"),
                     ("warnings", "有待确认导入提示"), ("outdated", "决定需复核"))  # fmt: skip
STATUS_FILTERS = (("", "全部状态"), *ReviewStatus.labels().items())


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


VERDICT_FILTERS = (
    ("", "全部结论"),
    *((v.value, v.label) for v in (Verdict.QUALIFIED, Verdict.PENDING, Verdict.NOT_QUALIFIED)),
    ("none", "未评价"),
)
