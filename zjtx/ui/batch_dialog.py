"""批量决定: one decision and one opinion template for the chosen applicants, after a
confirmation naming them, saved off the GUI thread; conflicts are listed, never overwritten."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import Decision, Verdict
from zjtx.export.corrections import requested_for
from zjtx.store import ReviewRuleError, ReviewState, StoreService
from zjtx.store.batch_opinions import OPINION_PLACEHOLDERS, BatchResult, fill_opinion
from zjtx.store.dto import ApplicantRow
from zjtx.ui.layout import size_to_screen
from zjtx.ui.models import ROW_ROLE
from zjtx.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from zjtx.ui.main_window import MainWindow

DEFAULT_TEMPLATES = {
    Decision.REJECT.value: "经审核，{企业名称}不满足{评价标准}的以下条件：{未满足条目}。不予推荐。",
    Decision.RETURN.value: "请{企业名称}补充以下材料后重新提交：{待定条目}。",
    Decision.RECOMMEND.value: "经审核，{企业名称}符合{评价标准}的各项条件，同意推荐。",
}
# The confirmation lists this many names in its text; all of them are under 显示详情.
NAMES_SHOWN = 15
OUTCOME_COLORS = {"decided": "#1b7f3b", "conflict": "#c62828", "refused": "#c62828"}


def rows_for_batch(window: MainWindow) -> tuple[list[ApplicantRow], str]:
    """The applicants a batch decision is for: the rows selected in the table when more than
    one is, else every row the current filters show; and how they were chosen, in words."""
    selection = window.table.selectionModel()
    chosen = [window.proxy.data(index, ROW_ROLE) for index in selection.selectedRows()]
    chosen = [row for row in chosen if row is not None]
    if len(chosen) > 1:
        return chosen, f"表格中选中的 {len(chosen)} 家"
    rows = [
        window.proxy.data(window.proxy.index(r, 0), ROW_ROLE)
        for r in range(window.proxy.rowCount())
    ]
    shown = window.proxy.rowCount()
    total = len(window.model.rows())
    how = "本批次全部" if shown == total else f"当前筛选结果（{shown} / {total} 家）"
    return [row for row in rows if row is not None], how


class BatchDecisionDialog(QDialog):
    """Choose a decision, write one opinion template, confirm the list, and decide them all."""

    decided = Signal(object)  # BatchResult

    def __init__(
        self,
        runner: TaskRunner,
        service: StoreService,
        round_name: str,
        rows: Sequence[ApplicantRow],
        chosen_how: str,
        evaluator: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"批量决定 — {round_name}")
        self.setObjectName("batchDialog")
        self.runner, self.service, self.round_name = runner, service, round_name
        self.evaluator = evaluator
        self.targets = [row for row in rows if not row.decision]
        self.already_decided = [row for row in rows if row.decision]
        self.preview_state: ReviewState | None = None
        self.task: Task | None = None
        self.confirmation: QMessageBox | None = None
        self.result: BatchResult | None = None

        heading = QLabel(
            f"对象：{chosen_how}。将处理尚未决定的 <b>{len(self.targets)}</b> 家"
            + (
                f"；已有决定的 {len(self.already_decided)} 家不在其中，不会改动"
                if self.already_decided
                else ""
            )
            + "。"
        )
        heading.setWordWrap(True)
        self.applicants = QListWidget()
        self.applicants.setObjectName("batchApplicants")
        for row in self.targets:
            item = QListWidgetItem(f"{row.name}　{Verdict.label_of(row.verdict, '未评价')}")
            item.setToolTip(row.uscc)
            item.setData(Qt.ItemDataRole.UserRole, row.uscc)
            self.applicants.addItem(item)
        self.applicants.currentRowChanged.connect(self._load_preview)

        self.decision = QComboBox()
        for member in (Decision.REJECT, Decision.RETURN, Decision.RECOMMEND):
            self.decision.addItem(member.label, member.value)
        self.template = QPlainTextEdit()
        self.template.setObjectName("batchTemplate")
        self.template.setPlaceholderText("评审意见模板，可插入右侧的占位符")
        self.template.setPlainText(DEFAULT_TEMPLATES[Decision.REJECT.value])
        self.template.setMinimumHeight(90)
        self.template.setMaximumHeight(130)
        self.decision.currentIndexChanged.connect(self._decision_changed)
        self.template.textChanged.connect(self._update_preview)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("可选：写入评审留痕，如“按本批次评审会议决定”")

        placeholders = QGroupBox("占位符（点击插入）")
        grid = QGridLayout(placeholders)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setSpacing(4)
        self.placeholder_buttons: dict[str, QPushButton] = {}
        for n, (name, meaning) in enumerate(OPINION_PLACEHOLDERS.items()):
            button = QPushButton(f"{{{name}}}")
            button.setToolTip(meaning)
            button.setAutoDefault(False)
            button.clicked.connect(
                lambda _=False, n=name: self.template.insertPlainText(f"{{{n}}}")
            )
            grid.addWidget(button, n // 3, n % 3)
            self.placeholder_buttons[name] = button

        self.preview = QLabel("")
        self.preview.setObjectName("batchPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setStyleSheet("background:#f6f7f9;border:1px solid #d0d4da;padding:6px")
        self.preview.setMinimumHeight(60)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.outcome = QListWidget()
        self.outcome.setObjectName("batchOutcome")
        self.outcome.setVisible(False)
        self.message = QLabel("")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow("决定", self.decision)
        form.addRow("评审意见模板", self.template)
        form.addRow("理由（留痕）", self.reason)
        form.addRow("预览", self.preview)
        left = QVBoxLayout()
        left.addWidget(QLabel("将处理的企业（点击一家预览其意见）"))
        left.addWidget(self.applicants, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(placeholders)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)

        self.buttons = QDialogButtonBox()
        self.decide_button = self.buttons.addButton(
            "批量决定…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.decide_button.setObjectName("batchDecide")
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.decide_button.clicked.connect(self.ask_confirmation)
        self.close_button.clicked.connect(self._close_or_cancel)
        self.decide_button.setEnabled(bool(self.targets))

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(columns, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        size_to_screen(self, 960, 600)
        if self.targets:
            self.applicants.setCurrentRow(0)
        else:
            self.message.setText("没有需要处理的企业：所选企业都已有决定。")

    # ------------------------------------------------------------------ template and preview
    def _decision_changed(self) -> None:
        current = self.template.toPlainText().strip()
        if not current or current in DEFAULT_TEMPLATES.values():
            self.template.setPlainText(DEFAULT_TEMPLATES[self.decision.currentData()])

    def _load_preview(self, position: int) -> None:
        if not 0 <= position < len(self.targets):
            return
        uscc = self.targets[position].uscc
        service, name = self.service, self.round_name

        def loaded(state: ReviewState) -> None:
            if self.applicants.currentRow() == position:
                self.preview_state = state
                self._update_preview()

        self.runner.start(lambda p, c: service.review_state(name, uscc), name="读取评审",
                          on_success=loaded, on_failure=self._show_problem)  # fmt: skip

    def _update_preview(self) -> None:
        if self.preview_state is None:
            self.preview.setText("正在读取……")
            return
        try:
            text = fill_opinion(self.template.toPlainText(), self.preview_state)
        except ReviewRuleError as exc:
            self.preview.setText(f"<span style='color:#c62828'>{_escape(str(exc))}</span>")
            self.decide_button.setEnabled(False)
            return
        self.decide_button.setEnabled(bool(self.targets) and self.task is None)
        self.preview.setText(_escape(text) or "<span style='color:#c62828'>评审意见不能为空</span>")

    # ------------------------------------------------------------------ confirm and run
    def ask_confirmation(self) -> None:
        """The question naming how many and which applicants, before anything is saved."""
        template = self.template.toPlainText().strip()
        label = self.decision.currentText()
        if not template:
            self.message.setText(
                f"<span style='color:#c62828'>作出“{label}”决定必须填写评审意见</span>"
            )
            return
        names = [row.name for row in self.targets]
        listed = "\n".join(f"{n}. {name}" for n, name in enumerate(names[:NAMES_SHOWN], 1))
        more = f"\n……等 {len(names)} 家（全部名单见“显示详情”）" if len(names) > NAMES_SHOWN else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "确认批量决定",
            f"将对以下 {len(names)} 家企业作出“{label}”决定，每家的评审意见按模板分别填写：\n\n"
            f"{listed}{more}\n\n他人已修改或已有决定的企业会跳过并列出，不会覆盖。",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("batchConfirmation")
        box.setDetailedText("\n".join(f"{row.name}（{row.uscc}）" for row in self.targets))
        self.confirm_button = box.addButton(
            f"确定，决定 {len(names)} 家", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.confirm_button)
        box.accepted.connect(self.start)
        self.confirmation = box
        box.open()

    def start(self) -> None:
        """Decide every applicant off the GUI thread, one transaction each."""
        service, name = self.service, self.round_name
        targets = [(row.uscc, row.review_version) for row in self.targets]
        decision = self.decision.currentData()
        template = self.template.toPlainText()
        reason = self.reason.text().strip() or None
        evaluator = self.evaluator()
        self.decide_button.setEnabled(False)
        self.close_button.setText("取消")
        self.progress.setRange(0, len(targets))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.message.setText("正在保存……")

        def work(progress: Any, cancel: Any) -> BatchResult:
            return service.reviews.decide_batch(
                name, targets, decision=decision, opinion_template=template, reason=reason,
                evaluator=evaluator, progress=progress, cancel=cancel,
                requested_for=lambda uscc: requested_for(service, name, uscc),
            )  # fmt: skip

        self.task = self.runner.start(
            work, name="批量决定", writes=True, on_success=self._finished,
            on_failure=self._failed, on_progress=lambda done, _total: self.progress.setValue(done),
            on_cancel=self._cancelled,
        )  # fmt: skip

    def _finished(self, result: BatchResult) -> None:
        self.task = None
        self.result = result
        self.close_button.setText("关闭")
        self.progress.setValue(self.progress.maximum())
        self.outcome.clear()
        for item in result.not_decided + result.decided:
            label = item.to_dict()["outcome_label"]
            entry = QListWidgetItem(
                f"{label}　{item.name}" + (f"：{item.message}" if item.message else "")
            )
            entry.setToolTip(item.message or item.opinion)
            entry.setForeground(_color(OUTCOME_COLORS.get(item.outcome, "#9a5b00")))
            self.outcome.addItem(entry)
        self.outcome.setVisible(True)
        color = "#1b7f3b" if not result.not_decided else "#9a5b00"
        self.message.setText(f"<span style='color:{color}'>{_escape(result.summary())}</span>")
        self.decided.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.close_button.setText("关闭")
        self.message.setText(
            f"<span style='color:#c62828'>{_escape(str(exc))}</span>（已作出的决定保留，请刷新后查看）"
        )
        self.decided.emit(None)

    def _cancelled(self) -> None:
        self.task = None
        self.close_button.setText("关闭")
        self.message.setText("已取消：此前已作出的决定保留，其余未处理。")
        self.decided.emit(None)

    def _close_or_cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.message.setText("正在取消：当前这一家保存完即停止……")
            return
        self.reject()

    def _show_problem(self, exc: BaseException) -> None:
        self.preview.setText(f"<span style='color:#c62828'>{_escape(str(exc))}</span>")


def _escape(text: str) -> str:
    from html import escape

    return escape(text).replace("\n", "<br/>")


def _color(code: str) -> Any:
    from PySide6.QtGui import QColor

    return QColor(code)
