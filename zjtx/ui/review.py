"""The review pane: confirm or override criteria, acknowledge warnings, decide, save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
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
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.issue_codes import issue_title
from zjtx.domain.issues import key_parts
from zjtx.domain.labels import CriterionState, Decision, decision_shown
from zjtx.domain.results import is_override, state_shown
from zjtx.scoring.rulebook import GRADE_LABELS
from zjtx.store import ConflictError, ReviewState, StoreError, StoreService
from zjtx.ui.layout import size_to_screen
from zjtx.ui.models import field_label
from zjtx.ui.tasks import TaskRunner


def describe_state(state: ReviewState) -> str:
    """A review version as readable lines (used on both sides of the conflict dialog)."""
    lines = [f"第 {state.version} 版　状态：{state.status.label}"]
    lines.append(f"决定：{state.decision_label}")
    if state.opinion:
        lines.append(f"评审意见：{state.opinion}")
    if state.decided_by:
        lines.append(f"决定人：{state.decided_by}")
    for item in state.items:
        if item.kind == "criterion":
            verb = "改判" if item.override else "确认"
            what = f"{verb} {item.target} 为“{CriterionState.label_of(item.state)}”"
        else:
            what = f"确认导入提示 {warning_text(item.target)}"
        lines.append(f"· {item.evaluator}：{what}，理由：{item.reason}")
    return "\n".join(lines)


def warning_text(target: str) -> str:
    """An acknowledged warning as its code and the field or place it concerns
    (revenue-unit-suspect（大前年营业收入）); an acknowledgement by code alone, as older
    versions saved it, is the code."""
    code, field, place = key_parts(target)
    title = issue_title(code)
    return (
        f"{title}（{field_label(field)}）" if field else f"{title}（{place}）" if place else title
    )


def describe_change(change: dict[str, Any]) -> str:
    """What the evaluator tried to save, in Chinese."""
    lines = []
    for criterion, state in change.get("confirm", ()):
        lines.append(f"确认/改判 {criterion} 为“{CriterionState.label_of(state)}”")
    for target in change.get("ack_warnings", ()):
        lines.append(f"确认导入提示 {warning_text(target)}")
    if change.get("reason"):
        lines.append(f"理由：{change['reason']}")
    if change.get("decision"):
        lines.append(f"决定：{Decision.label_of(change['decision'])}")
    if change.get("opinion"):
        lines.append(f"评审意见：{change['opinion']}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Draft:
    """A decision and opinion typed but not saved, and the saved ones they were typed on."""

    decision: str
    opinion: str
    base: tuple[str, str]


def _key(state: ReviewState) -> tuple[str, str]:
    return state.round_name, state.uscc


# How much of a requirement the review pane's hint shows (the tooltip has it all).
HINT_LIMIT = 120


class ConflictDialog(QDialog):
    """Another evaluator saved first: shows their version beside the unsaved change."""

    def __init__(
        self,
        message: str,
        change: dict[str, Any],
        current: ReviewState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("评审冲突：他人已先保存")
        self.change = change
        self.current = current
        text = QLabel(message)
        text.setWordWrap(True)
        mine = QTextBrowser()
        mine.setPlainText(describe_change(change))
        theirs = QTextBrowser()
        theirs.setPlainText(describe_state(current))
        self.mine_text, self.theirs_text = mine, theirs
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>您的修改（尚未保存）</b>"), 0, 0)
        grid.addWidget(QLabel(f"<b>数据库中的当前版本（第 {current.version} 版）</b>"), 0, 1)
        grid.addWidget(mine, 1, 0)
        grid.addWidget(theirs, 1, 1)
        buttons = QDialogButtonBox()
        self.retry_button = buttons.addButton(
            "核对无误，在当前版本上保存", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.discard_button = buttons.addButton(
            "放弃我的修改", QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)
        size_to_screen(self, 820, 420)


class ReviewPane(QWidget):
    """Review of the selected applicant. Every save sends the version the evaluator saw."""

    saved = Signal(object)  # ReviewState after a successful save
    failed = Signal(str)  # a Chinese message shown in the pane
    conflict = Signal(object)  # the ConflictDialog shown

    def __init__(
        self,
        runner: TaskRunner,
        service_getter: Callable[[], StoreService | None],
        evaluator_getter: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.service_getter = service_getter
        self.evaluator_getter = evaluator_getter
        self.state: ReviewState | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.read_only: str | None = None  # why nothing can be changed (an archived round)
        self._saving = False
        # Decisions and opinions typed but not saved when the evaluator moved to another
        # applicant, by applicant: shown again on coming back.
        self.drafts: dict[tuple[str, str], Draft] = {}

        self.header = QLabel("未选择企业")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)

        # -- criteria
        self.criterion_combo = QComboBox()
        self.criterion_combo.setMinimumContentsLength(18)
        self.criterion_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.criterion_combo.currentIndexChanged.connect(self._criterion_changed)
        self.met_radio = QRadioButton(CriterionState.MET.label)
        self.unmet_radio = QRadioButton(CriterionState.UNMET.label)
        self.met_radio.setChecked(True)
        self.state_group = QButtonGroup(self)
        self.state_group.addButton(self.met_radio)
        self.state_group.addButton(self.unmet_radio)
        self.criterion_hint = QLabel("")
        self.criterion_hint.setWordWrap(True)
        self.criterion_hint.setStyleSheet("color:#555")
        self.criterion_reason = QLineEdit()
        self.criterion_reason.setPlaceholderText(
            "必填：确认或改判的理由（如 核对营业执照与审计报告）"
        )
        self.confirm_button = QPushButton("确认此项（Ctrl+Enter）")
        self.confirm_button.clicked.connect(self.confirm_criterion)
        states = QHBoxLayout()
        states.addWidget(self.met_radio)
        states.addWidget(self.unmet_radio)
        states.addStretch(1)
        criteria_box = QGroupBox("逐项确认 / 改判")
        form = QFormLayout(criteria_box)
        form.addRow("指标：", self.criterion_combo)
        form.addRow("", self.criterion_hint)
        form.addRow("结果：", states)
        form.addRow("理由：", self.criterion_reason)
        form.addRow("", self.confirm_button)

        # -- warnings
        self.warning_combo = QComboBox()
        self.warning_combo.setMinimumContentsLength(18)
        self.warning_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.warning_reason = QLineEdit()
        self.warning_reason.setPlaceholderText("必填：为何接受这条提示（回车确认）")
        self.warning_reason.returnPressed.connect(self.acknowledge_warning)
        self.ack_button = QPushButton("确认提示（Enter）")
        self.ack_button.clicked.connect(self.acknowledge_warning)
        warnings_box = QGroupBox("导入提示确认")
        form = QFormLayout(warnings_box)
        form.addRow("提示：", self.warning_combo)
        form.addRow("理由：", self.warning_reason)
        form.addRow("", self.ack_button)

        # -- decision
        self.decision_combo = QComboBox()
        self.decision_combo.addItem("（请选择）", "")
        for code, label in Decision.labels().items():
            self.decision_combo.addItem(label, code)
        self.opinion = QPlainTextEdit()
        self.opinion.setPlaceholderText("评审意见（作出决定时必填）")
        self.opinion.setFixedHeight(72)
        self.opinion.setTabChangesFocus(True)  # Tab goes on to 保存决定, never into the text
        self.decide_button = QPushButton("保存决定（Ctrl+S）")
        self.decide_button.setDefault(True)
        self.decide_button.clicked.connect(self.save_decision)
        # In a round with an expert panel the 组长 decides with the members' positions in view.
        self.panel_positions = QLabel("")
        self.panel_positions.setWordWrap(True)
        self.panel_positions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.panel_positions.setStyleSheet("color:#333")
        # Why this evaluator may not decide here (a panel's decision is its 组长's): the
        # decision widgets are disabled and this says so.
        self.decision_refusal = QLabel("")
        self.decision_refusal.setWordWrap(True)
        self.decision_refusal.setStyleSheet("color:#8a5a00")
        self.decision_refusal.setVisible(False)
        self.refusal: str | None = None
        self.confirm_refusal: str | None = None  # a member who declared 回避 for the applicant
        self.refusal_about: str | None = None  # the applicant the refusal shown is about
        # A decision taken on data or a verdict that has changed since asks for a second look.
        self.decision_outdated = QLabel("")
        self.decision_outdated.setWordWrap(True)
        self.decision_outdated.setStyleSheet("color:#b26a00")
        self.decision_outdated.setVisible(False)
        decision_box = QGroupBox("评审决定")
        form = QFormLayout(decision_box)
        form.addRow(self.decision_outdated)
        form.addRow(self.decision_refusal)
        form.addRow("专家组：", self.panel_positions)
        form.addRow("决定：", self.decision_combo)
        form.addRow("意见：", self.opinion)
        form.addRow("", self.decide_button)
        self.panel_row_label = form.labelForField(self.panel_positions)
        self._show_panel_positions("")

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.items_list = QListWidget()
        self.items_list.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(criteria_box)
        layout.addWidget(warnings_box)
        layout.addWidget(decision_box)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("评审记录："))
        layout.addWidget(self.items_list, 1)

        # One action per command: the main window lists these same actions in its 评审 menu, so
        # the menu shows their shortcuts and no second shortcut makes them ambiguous.
        self.confirm_action = QAction("确认/改判当前指标", self)
        self.confirm_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.confirm_action.triggered.connect(self.confirm_criterion)
        self.save_action = QAction("保存决定", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save_decision)
        self.addAction(self.confirm_action)
        self.addAction(self.save_action)
        self.setEnabled(False)

    # ------------------------------------------------------------------ showing a state
    def show_state(self, state: ReviewState | None) -> None:
        previous = self.state
        same = state is not None and previous is not None and _key(previous) == _key(state)
        # The same applicant shown again (a part of its review saved, new data): the item in
        # hand stays chosen, and a decision and opinion typed but not saved stay typed.
        chosen = self.criterion_combo.currentData() if same else None
        # The result picked for that item, kept while the item stands as it did (a refresh
        # read in the background), not reset under the evaluator's hand.
        picked = (self._criterion(), self.unmet_radio.isChecked()) if same else None
        typed = self._typed() if previous is not None else None
        if typed is not None and not same:
            self.drafts[_key(previous)] = typed  # type: ignore[arg-type]
        self.state = state
        self.setEnabled(state is not None)
        if not same:
            # Another applicant: nothing said or typed about the last one may stay on screen.
            self.criterion_reason.clear()
            self.warning_reason.clear()
            self._set_message(self.read_only or "", "#6b6b6b")
        self.criterion_combo.blockSignals(True)
        self.criterion_combo.clear()
        self.warning_combo.clear()
        self.items_list.clear()
        outdated = self._show_outdated()
        if state is None:
            self.criterion_combo.blockSignals(False)
            self.header.setText("未选择企业")
            return
        self.header.setText(
            f"<b>{state.name}</b>　{state.status.label}"
            + (f"　评审版本：第 {state.version} 版" if state.version else "")  # none saved yet
            + (
                f"　决定：{decision_shown(state.decision_label, outdated)}"
                if state.decision
                else ""
            )
        )
        open_ids = {cid for cid, _ in state.open_judgements}
        criteria = (state.evaluation or {}).get("criteria", [])
        for cid, title in state.open_judgements:
            self.criterion_combo.addItem(f"【待确认】{cid} {title}", cid)
        for item in criteria:
            if item["id"] not in open_ids:
                shown = state_shown(item["state"], item.get("kind"))
                self.criterion_combo.addItem(f"{item['id']} {item['title']}（{shown}）", item["id"])
        for issue in state.open_warnings:
            self.warning_combo.addItem(f"{issue_title(issue.code)}：{issue.message}", issue.key)
            self.warning_combo.setItemData(
                self.warning_combo.count() - 1, issue.message, Qt.ItemDataRole.ToolTipRole
            )
        if not state.open_warnings:
            self.warning_combo.addItem("没有待确认的导入提示", "")
        self.criterion_combo.blockSignals(False)
        if chosen is not None and (position := self.criterion_combo.findData(chosen)) >= 0:
            self.criterion_combo.setCurrentIndex(position)
        position = self.decision_combo.findData(state.decision or "")
        self.decision_combo.setCurrentIndex(max(position, 0))
        self.opinion.setPlainText(state.opinion)
        draft = typed if same else self.drafts.pop(_key(state), None)
        if draft is not None and draft.base == (state.decision or "", state.opinion):
            # Typed on the decision as it still stands: shown again, still to be saved.
            self.decision_combo.setCurrentIndex(
                max(self.decision_combo.findData(draft.decision), 0)
            )
            self.opinion.setPlainText(draft.opinion)
            if not same:
                self._set_message("已恢复此前输入但未保存的决定与意见，请保存（Ctrl+S）", "#b26a00")
        for line in describe_state(state).splitlines()[1:]:
            if line.startswith("·"):
                self.items_list.addItem(line[2:])
        self._criterion_changed()
        item = self._criterion()
        if picked is not None and picked[0] is not None and item is not None:
            before, unmet = picked
            if (item["id"], item.get("state")) == (before["id"], before.get("state")):
                (self.unmet_radio if unmet else self.met_radio).setChecked(True)
        self._apply_read_only()
        self._load_panel_positions(state)

    def unsaved(self) -> int:
        """How many applicants have a decision or opinion typed but not saved."""
        return len(self.drafts) + (self._typed() is not None)

    def _typed(self) -> Draft | None:
        """The decision and opinion typed on the applicant shown but not saved, or None."""
        if self.state is None:
            return None
        base = (self.state.decision or "", self.state.opinion)
        typed = (self.decision_combo.currentData() or "", self.opinion.toPlainText())
        return None if typed == base else Draft(*typed, base=base)

    def _load_panel_positions(self, state: ReviewState) -> None:
        """Read the panel members' positions on this applicant off the GUI thread."""
        from zjtx.store.panels import Panels
        from zjtx.ui.panel_view import positions_text

        service = self.service_getter()
        if service is None:
            return
        key = _key(state)
        evaluator = self.evaluator_getter()
        if self.refusal is not None and self.refusal_about != state.uscc:
            # The refusal shown is about the applicant before: it keeps the decision locked
            # until this one's is read, without naming the other enterprise meanwhile.
            self.decision_refusal.setText("正在读取专家组记录……")
        self.refusal_about = state.uscc

        def work(progress: Any, cancel: Any) -> tuple[str, tuple[str | None, ...]]:
            panels = Panels(service.store, service.evaluations)
            text = positions_text(panels.positions(state.round_name, state.uscc))
            return text, panels.refusals(state.round_name, state.uscc, evaluator)

        def shown(answer: tuple[str, tuple[str | None, ...]]) -> None:
            if self.state is not None and _key(self.state) == key:
                self._show_panel_positions(answer[0])
                self._show_decision_refusal(*answer[1])

        def failed(_exc: BaseException) -> None:
            # Saving a decision still asks the store, which refuses one that is not allowed.
            if self.state is not None and _key(self.state) == key:
                self._show_panel_positions("")
                self._show_decision_refusal(None)

        self.runner.start(work, name="读取专家组意见", on_success=shown, on_failure=failed)

    def refresh_panel(self) -> None:
        """Read the panel again for the applicant shown (its members or the evaluator changed)."""
        if self.state is not None:
            self._load_panel_positions(self.state)

    def _show_decision_refusal(self, refusal: str | None, confirming: str | None = None) -> None:
        """Lock the decision (``refusal``), and confirming or 改判 (``confirming``: a member who
        declared 回避), saying why; the 回避 says both."""
        self.refusal = refusal
        self.confirm_refusal = confirming
        if confirming:
            shown: str | None = f"{confirming}；也不能作出最终决定" if refusal else confirming
        else:
            shown = refusal
        self.decision_refusal.setText(shown or "")
        self.decision_refusal.setVisible(shown is not None)
        self._apply_read_only()

    def _show_panel_positions(self, text: str) -> None:
        self.panel_positions.setText(text)
        self.panel_positions.setVisible(bool(text))
        if self.panel_row_label is not None:
            self.panel_row_label.setVisible(bool(text))

    def _show_outdated(self) -> str:
        """Say why the decision shown needs a second look (nothing while it stands); the
        reason, "" if none."""
        outdated = self.state.decision_outdated_reason if self.state is not None else ""
        # An archived round is read only: nothing can be saved again there.
        again = "。" if self.read_only else "，请复核后重新保存决定。"
        self.decision_outdated.setText(f"{outdated}{again}" if outdated else "")
        self.decision_outdated.setVisible(bool(outdated))
        return outdated

    def set_read_only(self, reason: str | None) -> None:
        """Disable every editing widget, saying why (``None`` makes the pane editable again)."""
        self.read_only = reason
        self._show_outdated()
        self._apply_read_only()
        if reason:
            self._set_message(reason, "#6b6b6b")
        elif self.message.text() and self.message.styleSheet() == "color:#6b6b6b":
            self._set_message("", "#555")

    def _apply_read_only(self) -> None:
        editable = self.read_only is None
        deciding = editable and self.refusal is None
        has_warnings = bool(self.state and self.state.open_warnings)
        confirming = editable and self.confirm_refusal is None
        for widget in (self.met_radio, self.unmet_radio, self.criterion_reason,
                       self.confirm_button):  # fmt: skip
            widget.setEnabled(confirming)
        for widget in (self.decision_combo, self.decide_button, self.save_action):
            widget.setEnabled(deciding)
        self.warning_reason.setEnabled(confirming)
        self.warning_combo.setEnabled(confirming and has_warnings)
        self.ack_button.setEnabled(confirming and has_warnings)
        self.opinion.setReadOnly(not deciding)

    def focus_first(self) -> None:
        """Put the keyboard in the pane: the item box when an item waits, else the decision."""
        if not self.isEnabled():
            return
        waiting = self.state is not None and self.state.open_judgements
        (self.criterion_combo if waiting else self.decision_combo).setFocus()

    def select_criterion(self, criterion_id: str) -> bool:
        """Choose a criterion in the 逐项确认 box (a click on its row in the criteria table)."""
        position = self.criterion_combo.findData(criterion_id)
        if position < 0:
            return False
        self.criterion_combo.setCurrentIndex(position)
        return True

    def _criterion(self) -> dict[str, Any] | None:
        if self.state is None:
            return None
        cid = self.criterion_combo.currentData()
        return next(
            (c for c in (self.state.evaluation or {}).get("criteria", []) if c["id"] == cid), None
        )

    def _criterion_changed(self) -> None:
        item = self._criterion()
        if item is None:
            self.criterion_hint.setText("")
            return
        # The result starts as the item's own: a 改判 is chosen, never carried over from the
        # item before (an item still open starts at 符合, as it always has).
        (self.unmet_radio if item.get("state") == "unmet" else self.met_radio).setChecked(True)
        # An informational item (加分项) is held or not: 有 / 无, not 符合 / 不符合.
        self.met_radio.setText(state_shown(CriterionState.MET, item.get("kind")))
        self.unmet_radio.setText(state_shown(CriterionState.UNMET, item.get("kind")))
        full = ""
        hint, overriding = self._criterion_hint(item)
        if item.get("state") == "manual":
            # The label wraps: the end of a requirement is often why it waits (a 主导产品 at
            # 50 % or less), so a long one shows its start and its end, and the points it can
            # still earn.
            full = item.get("requirement") or ""
            short = full if len(full) <= HINT_LIMIT else f"{full[:40]}……{full[40 - HINT_LIMIT :]}"
            low, high = item.get("points_min"), item.get("points_max")
            points = f"（可得 {low}–{high} 分）" if low is not None and low != high else ""
            hint = "待人工确认：" + short + points
        self.criterion_hint.setText(hint)
        self.confirm_button.setText(
            "改判此项（Ctrl+Enter）" if overriding else "确认此项（Ctrl+Enter）"
        )
        grade = item.get("grade")
        grade_text = f"可信等级 {grade}（{GRADE_LABELS.get(grade, '')}）" if grade else ""
        self.criterion_hint.setToolTip(
            "\n".join(t for t in (full, item.get("clause"), item.get("source"), grade_text) if t)
        )

    def _criterion_hint(self, item: dict[str, Any]) -> tuple[str, bool]:
        """What saving this criterion records, said as the store will record it (a 改判 of
        what the data decided, or a confirmation of a judgement item still open), with what
        was saved on it before; and whether it is a 改判."""
        computed = item.get("computed_state") or item.get("state") or ""
        overriding = is_override(bool(item.get("judgement")), computed)
        label = CriterionState.label_of
        saved = next(
            (
                i
                for i in (self.state.items if self.state is not None else ())
                if i.kind == "criterion" and i.target == item["id"]
            ),
            None,
        )
        if saved is not None and saved.override:
            # A computed fact's 改判 is taken back by choosing what its data give (the store's
            # rule); a judgement item's stays an evaluator's judgement.
            todo = (
                "改判须写明理由"
                if item.get("judgement")
                else f"选回“{label(computed)}”即撤回改判，均须写明理由"
            )
            return f"计算结果为“{label(computed)}”，已改判为“{label(saved.state)}”；{todo}。", True
        if saved is not None:
            now = f"，现按申报数据计算为“{label(computed)}”" if overriding else ""
            todo = "改判须写明理由" if overriding else "如需更正，重新确认并写明理由"
            return f"已确认为“{label(saved.state)}”{now}；{todo}。", overriding
        if overriding:
            return f"计算结果为“{label(computed)}”；改判须写明理由。", True
        return (
            f"计算结果为“{label(computed)}”；确认的是其中需人工判断的部分，缺少的数据仍须补充。",
            False,
        )

    # ------------------------------------------------------------------ actions
    def confirm_criterion(self) -> None:
        if self.state is None or not self.criterion_combo.currentData():
            return
        state = "met" if self.met_radio.isChecked() else "unmet"
        self.save(
            {
                "confirm": [(self.criterion_combo.currentData(), state)],
                "reason": self.criterion_reason.text(),
            }
        )

    def acknowledge_warning(self) -> None:
        if self.state is None or not self.warning_combo.currentData():
            return
        self.save(
            {
                "ack_warnings": [self.warning_combo.currentData()],
                "reason": self.warning_reason.text(),
            }
        )

    def save_decision(self) -> None:
        if self.state is None:
            return
        decision = self.decision_combo.currentData() or None
        self.save({"decision": decision, "opinion": self.opinion.toPlainText()})

    def save(self, change: dict[str, Any], expected_version: int | None = None) -> None:
        """Save a change with the version shown; a conflict opens the conflict dialog."""
        service = self.service_getter()
        if self.state is None or service is None:
            return
        if self.read_only:
            self._set_message(self.read_only, "#6b6b6b")
            return
        if self._saving:
            self._set_message("上一次保存尚未完成，请稍候再试", "#b26a00")
            return
        state = self.state
        version = state.version if expected_version is None else expected_version
        evaluator = self.evaluator_getter()
        if not evaluator:  # a review never names the OS account: ask who the evaluator is
            from zjtx.ui.identity_dialog import NO_EVALUATOR_MESSAGE

            self._set_message(NO_EVALUATOR_MESSAGE, "#c62828")
            self.failed.emit(NO_EVALUATOR_MESSAGE)
            return
        self._saving = True
        self._set_message("正在保存……", "#555")

        def work(progress: Any, cancel: Any) -> ReviewState:
            if change.get("decision") == "return":  # it carries what the enterprise must supply
                from zjtx.export.corrections import requested_for

                options = {"confirm": (), "ack_warnings": (), "reason": None, "opinion": None}
                return service.reviews.apply(
                    state.round_name,
                    state.uscc,
                    evaluator=evaluator,
                    expected_version=version,
                    requested=requested_for(service, state.round_name, state.uscc),
                    **{**options, **change},
                )
            return service.apply_review(
                state.round_name,
                state.uscc,
                evaluator=evaluator,
                expected_version=version,
                **change,
            )

        def failed(exc: BaseException) -> None:
            self._saving = False
            if not self._showing(state):
                # The evaluator has moved on: say it in the status bar, naming the enterprise.
                self.failed.emit(f"{state.name} 的评审未保存：{exc}")
            elif isinstance(exc, ConflictError):
                self._show_conflict(str(exc), change)
            elif isinstance(exc, StoreError):
                self._set_message(str(exc), "#c62828")
                self.failed.emit(str(exc))
            else:
                raise exc

        self.runner.start(
            work,
            name="保存评审",
            writes=True,
            on_success=self._saved,
            on_failure=failed,
            on_finish=self._save_finished,
        )

    def _save_finished(self) -> None:
        self._saving = False

    def _saved(self, state: ReviewState) -> None:
        self._saving = False
        if self._showing(state):
            self.criterion_reason.clear()
            self.warning_reason.clear()
            self.show_state(state)
            self._set_message(f"已保存（评审版本：第 {state.version} 版）", "#1b7f3b")
        self.saved.emit(state)

    def _showing(self, state: ReviewState) -> bool:
        """Whether the pane still shows the applicant of ``state``."""
        return self.state is not None and _key(self.state) == _key(state)

    def _set_message(self, text: str, colour: str) -> None:
        self.message.setStyleSheet(f"color:{colour}")
        self.message.setText(text)

    def _show_conflict(self, message: str, change: dict[str, Any]) -> None:
        service = self.service_getter()
        state = self.state
        if service is None or state is None:
            return
        self._set_message("保存失败：他人已先保存，请在弹出的窗口中核对", "#c62828")

        def show(current: ReviewState) -> None:
            dialog = ConflictDialog(message, change, current, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.conflict_dialog = dialog

            def resolved(result: int) -> None:
                self.conflict_dialog = None
                self.show_state(current)
                if result == QDialog.DialogCode.Accepted:
                    self.save(change, expected_version=current.version)
                else:
                    self._set_message("已放弃您的修改，显示的是最新版本", "#555")

            dialog.finished.connect(resolved)
            dialog.open()  # window-modal, does not block the event loop
            self.conflict.emit(dialog)

        self.runner.start(
            lambda progress, cancel: service.review_state(state.round_name, state.uscc),
            name="读取最新评审",
            on_success=show,
        )
