"""专家组: the round's panel members and rule, and each member's positions on an applicant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zjtx.store import StoreError, StoreService
from zjtx.store.panel_positions import (
    AGGREGATION_LABELS,
    AGREE,
    CHAIR,
    DEPUTY,
    DISAGREE,
    EXPERT,
    MEAN,
    ROLE_LABELS,
    TRIMMED,
    ApplicantPanel,
    CriterionPositions,
    PanelInfo,
    entered_by,
)
from zjtx.store.panels import Panels
from zjtx.ui.layout import size_to_screen
from zjtx.ui.tasks import TaskRunner

# The agreement is said in words with a marker; the colour only repeats it.
AGREEMENT_MARKS = {AGREE: "＝ 一致", DISAGREE: "≠ 有分歧"}
AGREEMENT_FILLS = {AGREE: "#dff0d8", DISAGREE: "#ffe0a3"}  # green, amber
RECUSED_FILL = "#e6e6e6"
ERROR_COLOUR = "#b3261e"


@dataclass(frozen=True, slots=True)
class PanelData:
    """What the window shows, read in one background task."""

    info: PanelInfo
    applicants: tuple[tuple[str, str], ...]  # (uscc, name) in table order
    view: ApplicantPanel | None
    archived: bool = False  # the round can only be viewed: nothing here may change


def panels_of(service: StoreService) -> Panels:
    return Panels(service.store, service.evaluations)


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tooltip or text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def positions_text(view: ApplicantPanel | None) -> str:
    """The members' positions in a few lines (the review pane shows them by the decision)."""
    if view is None or not view.members:
        return ""
    lines = []
    for item in view.criteria:
        marks = AGREEMENT_MARKS.get(item.agreement, item.agreement_label)
        said = "；".join(f"{p.member} {p.label}" for p in item.positions if item.needed)
        shown = item.aggregate is not None and item.aggregate.value is not None
        total = f"；汇总 {item.aggregate_text('')}" if shown else ""
        lines.append(f"{item.criterion} {item.title}【{marks}】{said}{total}")
    for name, text in view.opinions.items():
        lines.append(f"{name} 的意见：{text}")
    for name in view.recusals:
        lines.append(f"{name} {view.recusal_text(name)}")
    for name, who in view.proxies.items():
        lines.append(f"{name} 的判断或意见：{entered_by(who)}")
    return "\n".join(lines)


class PanelDialog(QDialog):
    """Manage the panel (members, rule) and see or record positions on one applicant."""

    loaded = Signal(object)  # PanelData, after every read
    refused = Signal(str)  # a refusal or mistake, in Chinese

    def __init__(
        self,
        runner: TaskRunner,
        service: StoreService,
        round_name: str,
        uscc: str | None,
        evaluator_getter: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.service, self.round_name = runner, service, round_name
        self.uscc = uscc
        self.evaluator_getter = evaluator_getter
        self.data: PanelData | None = None
        self.setWindowTitle(f"专家组 — {round_name}")
        size_to_screen(self, 1280, 760)

        # -- members and rule
        self.members = QTableWidget(0, 4)
        self.members.setHorizontalHeaderLabels(["姓名", "单位", "角色", "已记录判断"])
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.verticalHeader().hide()
        self.members.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.member_name = QLineEdit()
        self.member_name.setPlaceholderText("专家姓名")
        self.member_unit = QLineEdit()
        self.member_unit.setPlaceholderText("工作单位")
        self.member_role = QComboBox()
        for code in (EXPERT, DEPUTY, CHAIR):
            self.member_role.addItem(ROLE_LABELS[code], code)
        self.member_role.setToolTip("副组长：组长声明回避的企业由其代行最终决定和处理回避")
        self.add_button = QPushButton("添加成员")
        self.add_button.clicked.connect(self.add_member)
        self.remove_button = QPushButton("移除所选成员")
        self.remove_button.clicked.connect(self.remove_member)
        self.rule = QComboBox()
        for code in (MEAN, TRIMMED):
            self.rule.addItem(AGGREGATION_LABELS[code], code)
        self.rule.setToolTip(
            "去掉一个最高分和一个最低分：5 名及以上专家评分时适用，不足 5 人取算术平均"
        )
        self.rule.activated.connect(self.set_rule)
        member_box = QGroupBox("专家组成员")
        member_layout = QVBoxLayout(member_box)
        member_layout.addWidget(self.members, 1)
        form = QFormLayout()
        form.addRow("姓名：", self.member_name)
        form.addRow("单位：", self.member_unit)
        form.addRow("角色：", self.member_role)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        form.addRow("", buttons)
        form.addRow("评分汇总：", self.rule)
        member_layout.addLayout(form)

        # -- one applicant's positions
        self.applicant = QComboBox()
        self.applicant.setMinimumContentsLength(24)
        self.applicant.activated.connect(self._applicant_chosen)
        self.grid = QTableWidget(0, 0)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().hide()
        self.grid.setWordWrap(True)
        self.opinions = QTableWidget(0, 2)
        self.opinions.setHorizontalHeaderLabels(["专家", "个人意见"])
        self.opinions.verticalHeader().hide()
        self.opinions.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.opinions.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.decision = QLabel("")
        self.decision.setWordWrap(True)
        applicant_box = QGroupBox("各专家的判断")
        applicant_layout = QVBoxLayout(applicant_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("企业："))
        row.addWidget(self.applicant, 1)
        applicant_layout.addLayout(row)
        applicant_layout.addWidget(self.grid, 3)
        applicant_layout.addWidget(QLabel("专家意见："))
        applicant_layout.addWidget(self.opinions, 1)
        applicant_layout.addWidget(self.decision)

        # -- the current evaluator's own record
        self.mine_hint = QLabel("")
        self.mine_hint.setWordWrap(True)
        self.criterion = QComboBox()
        self.criterion.currentIndexChanged.connect(self._criterion_chosen)
        self._items: dict[str, CriterionPositions] = {}
        self.met = QRadioButton("符合")
        self.unmet = QRadioButton("不符合")
        self.met.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.met)
        group.addButton(self.unmet)
        self.points = QLineEdit()
        self.points.setPlaceholderText("计分条目填本人评分")
        self.note = QLineEdit()
        self.note.setPlaceholderText("说明（可选）")
        self.judge_button = QPushButton("记录本人判断")
        self.judge_button.clicked.connect(self.judge)
        self.opinion = QLineEdit()
        self.opinion.setPlaceholderText("本人对该企业的评审意见")
        self.opinion_button = QPushButton("保存本人意见")
        self.opinion_button.clicked.connect(self.save_opinion)
        self.recusal = QLineEdit()
        self.recusal.setPlaceholderText("回避理由（如 曾在该企业任职）")
        self.recuse_button = QPushButton("声明回避")
        self.recuse_button.clicked.connect(self.recuse)
        states = QHBoxLayout()
        states.addWidget(self.met)
        states.addWidget(self.unmet)
        states.addWidget(QLabel("评分："))
        states.addWidget(self.points)
        mine_box = QWidget()
        mine = QFormLayout(mine_box)
        mine.addRow(self.mine_hint)
        mine.addRow("条目：", self.criterion)
        mine.addRow("判断：", states)
        mine.addRow("说明：", self.note)
        mine.addRow("", self.judge_button)
        mine.addRow("意见：", self.opinion)
        mine.addRow("", self.opinion_button)
        mine.addRow("回避：", self.recusal)
        mine.addRow("", self.recuse_button)
        self.mine_widgets: tuple[QWidget, ...] = (
            self.criterion, self.met, self.unmet, self.points, self.note, self.judge_button,
            self.opinion, self.opinion_button, self.recusal, self.recuse_button,
        )  # fmt: skip

        # -- the 组长's: a 回避 found after judging, or one recorded in error
        self.chair_member = QComboBox()
        self.chair_reason = QLineEdit()
        self.chair_reason.setPlaceholderText("理由（如 其亲属在该企业任职；录入错误）")
        self.chair_recuse_button = QPushButton("确认回避并撤回其判断和意见")
        self.chair_recuse_button.clicked.connect(self.chair_recuse)
        self.chair_withdraw_button = QPushButton("撤销回避")
        self.chair_withdraw_button.clicked.connect(self.chair_withdraw)
        chair_buttons = QHBoxLayout()
        chair_buttons.addWidget(self.chair_recuse_button)
        chair_buttons.addWidget(self.chair_withdraw_button)
        self.chair_box = QWidget()
        # Two short lines, not wrapped: a wrapped label would widen the whole left column.
        chair_hint = QLabel(
            "判断或发表意见后才发现须回避：确认回避，撤回其判断和意见；\n"
            "回避误录：撤销回避。两者都记入审计记录。"
        )
        chair_form = QFormLayout(self.chair_box)
        chair_form.addRow(chair_hint)
        chair_form.addRow("专家：", self.chair_member)
        chair_form.addRow("理由：", self.chair_reason)
        chair_form.addRow("", chair_buttons)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(member_box, 3)
        # The 组长's page beside the evaluator's own, so the dialog fits a laptop's screen.
        self.records = QTabWidget()
        self.records.addTab(mine_box, "本人记录")
        self.records.addTab(self.chair_box, "组长处理回避")
        left_layout.addWidget(self.records, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(applicant_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.refused.connect(lambda text: self._say(text, ERROR_COLOUR))
        self.reload()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        service, name, uscc = self.service, self.round_name, self.uscc

        def work(progress: Any, cancel: Any) -> PanelData:
            panels = panels_of(service)
            rows = service.list_applicants(name, sort="uscc")
            chosen = uscc or (rows[0].uscc if rows else None)
            view = panels.positions(name, chosen) if chosen else None
            archived = service.get_round(name).archived
            return PanelData(
                panels.panel(name), tuple((r.uscc, r.name) for r in rows), view, archived
            )

        self.runner.start(work, name="读取专家组", on_success=self.show_data,
                          on_failure=self._failed)  # fmt: skip

    def show_data(self, data: PanelData) -> None:
        self.data = data
        info, view = data.info, data.view
        self.uscc = view.uscc if view is not None else None
        self.members.setRowCount(len(info.members))
        for row, m in enumerate(info.members):
            self.members.setItem(row, 0, _item(m.name))
            self.members.setItem(row, 1, _item(m.unit or "—"))
            self.members.setItem(row, 2, _item(m.role_label))
            self.members.setItem(row, 3, _item(f"{m.judgements} 项"))
        self.rule.setCurrentIndex(max(self.rule.findData(info.aggregation), 0))
        self.applicant.clear()
        for code, company in data.applicants:
            self.applicant.addItem(f"{company}（{code}）", code)
        self.applicant.setCurrentIndex(max(self.applicant.findData(self.uscc), 0))
        self._show_view(view)
        self._show_mine(info, view)
        if data.archived:  # only viewed: what a click would have refused is disabled
            for widget in (self.member_name, self.member_unit, self.member_role,
                           self.add_button, self.remove_button, self.rule, *self.mine_widgets):  # fmt: skip
                widget.setEnabled(False)
            self._say(
                "本批次已归档，只能查看；如需修改专家组，请先在“批次”菜单中恢复该批次", "#6b6b6b"
            )
        self.loaded.emit(data)

    def _show_view(self, view: ApplicantPanel | None) -> None:
        members = view.members if view is not None else ()
        heads = ["条目", *(f"{m.name}\n{m.role_label}" for m in members), "一致性", "汇总评分"]
        self.grid.clear()
        self.grid.setColumnCount(len(heads))
        self.grid.setHorizontalHeaderLabels(heads)
        criteria = view.criteria if view is not None else ()
        self.grid.setRowCount(len(criteria))
        for row, item in enumerate(criteria):
            self.grid.setItem(row, 0, _item(f"{item.criterion} {item.title}"))
            for column, p in enumerate(item.positions, 1):
                cell = _item(p.label, f"{p.label}　{p.note}" if p.note else p.label)
                if p.recused:
                    cell.setBackground(QBrush(QColor(RECUSED_FILL)))
                self.grid.setItem(row, column, cell)
            mark = AGREEMENT_MARKS.get(item.agreement, item.agreement_label)
            agreement = _item(mark, item.counts or item.agreement_label)
            if item.agreement in AGREEMENT_FILLS:
                agreement.setBackground(QBrush(QColor(AGREEMENT_FILLS[item.agreement])))
            self.grid.setItem(row, len(heads) - 2, agreement)
            total = item.aggregate.text if item.aggregate is not None else "不计分"
            # The sheet and the CLI print what the data allows beside the aggregate; here it
            # shows on hovering, the column kept narrow.
            self.grid.setItem(row, len(heads) - 1, _item(total, item.aggregate_text("不计分")))
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.grid.resizeRowsToContents()
        said: list[tuple[str, str]] = []
        for m in members:
            if view is not None and m.name in view.recusals:
                said.append((f"{m.name}（{m.role_label}）", view.recusal_text(m.name)))
            elif view is not None and m.name in view.opinions:
                text = view.opinions[m.name]
                if m.name in view.opinion_proxies:  # entered by another (paper forms)
                    text += f"（{entered_by([view.opinion_proxies[m.name]])}）"
                said.append((f"{m.name}（{m.role_label}）", text))
        self.opinions.setRowCount(len(said))
        for row, (who, text) in enumerate(said):
            self.opinions.setItem(row, 0, _item(who))
            self.opinions.setItem(row, 1, _item(text))
        if view is None:
            self.decision.setText("本批次还没有企业")
        elif not view.members:
            self.decision.setText("本批次没有专家组（单人评审：评审人即可作出决定）；请先添加成员")
        elif view.decision:
            self.decision.setText(
                f"最终决定：{view.decision_text}（{view.decided_by or '—'}）；意见：{view.opinion}"
            )
        else:
            self.decision.setText(f"最终决定：尚未作出；{view.who_decides}")

    def _show_mine(self, info: PanelInfo, view: ApplicantPanel | None) -> None:
        me = self.evaluator_getter()
        member = next((m for m in info.members if m.name == me), None)
        self._items = {item.criterion: item for item in view.criteria} if view else {}
        chosen = self.criterion.currentData()  # kept across a reload (after recording)
        self.criterion.blockSignals(True)  # one _criterion_chosen below, once enabled
        self.criterion.clear()
        for item in view.criteria if view is not None else ():
            scored = "（计分）" if item.scored else ""
            self.criterion.addItem(f"{item.criterion} {item.title}{scored}", item.criterion)
        self.criterion.setCurrentIndex(max(self.criterion.findData(chosen), 0))
        self.criterion.blockSignals(False)
        recused = view is not None and member is not None and member.name in view.recusals
        if member is None:
            self.mine_hint.setText(f"您（{me or '未设置评审人'}）不是本批次专家组成员，只能查看")
        elif recused:
            self.mine_hint.setText(f"您（{me}）已声明回避该企业，不能判断或发表意见")
        elif member.role == DEPUTY and view is not None and view.presiding == member.name:
            self.mine_hint.setText(
                f"您（{me}，副组长）在此记录本人的判断和意见；组长已回避该企业，由您作出最终决定"
            )
        else:
            self.mine_hint.setText(f"您（{me}，{member.role_label}）在此记录本人的判断和意见")
        editable = member is not None and view is not None and not recused
        for widget in self.mine_widgets:
            widget.setEnabled(editable)
        self._criterion_chosen()
        # The 组长's box: shown to the member presiding for the applicant chosen only (the
        # 组长, or a 副组长 where the 组长 declared 回避).
        chair = member is not None and view is not None and view.presiding == member.name
        self.records.setTabVisible(self.records.indexOf(self.chair_box), chair)
        chosen_member = self.chair_member.currentData()
        self.chair_member.clear()
        # Nobody chosen until the 组长 chooses: a click must not act on whoever is listed first.
        self.chair_member.addItem("请选择专家", None)
        for m in info.members if chair else ():
            recused = view is not None and m.name in view.recusals
            self.chair_member.addItem(f"{m.name}（{m.role_label}{'，已回避' if recused else ''}）",
                                      m.name)  # fmt: skip
        self.chair_member.setCurrentIndex(max(self.chair_member.findData(chosen_member), 0))

    def _criterion_chosen(self) -> None:
        """Points only for a scored item, with the range this applicant's data allows; what
        was typed for another item is not carried over."""
        item = self._items.get(self.criterion.currentData() or "")
        self.points.clear()
        if item is None or not item.scored:
            self.points.setPlaceholderText("不计分" if item is not None else "计分条目填本人评分")
            self.points.setToolTip("")
            self.points.setEnabled(False)
            return
        high = item.points_high if item.points_high is not None else item.max_points
        text = "本人评分" if high is None else f"本人评分 0–{high}"
        tip = "计分条目填本人评分" if high is None else f"本人评分：0 到 {high} 分"
        if item.capped_at is not None:
            text += f"（满分 {item.max_points}）"
            tip = f"按该企业的申报数据最高可得 {high} 分（满分 {item.max_points} 分）"
        self.points.setPlaceholderText(text)
        self.points.setToolTip(tip)
        self.points.setEnabled(self.criterion.isEnabled())

    def _applicant_chosen(self) -> None:
        self.uscc = self.applicant.currentData()
        self.reload()

    # ------------------------------------------------------------------ writing
    def _write(
        self,
        work: Callable[[Panels], Any],
        done: str,
        *,
        with_note: bool = False,
        then: Callable[[], Any] | None = None,
    ) -> None:
        """Run a panel write off the GUI thread; ``with_note``: the write returns a note (or
        None) that is said after ``done``; ``then``: called once it has succeeded."""
        service = self.service

        def run(progress: Any, cancel: Any) -> Any:
            return work(panels_of(service))

        def succeeded(result: Any) -> None:
            note = f"；{result}" if with_note and result else ""
            self._say(done + note, "#1e6b34")
            if then is not None:
                then()
            self.reload()

        self.runner.start(run, name="保存专家组记录", writes=True, on_success=succeeded,
                          on_failure=self._failed)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreError):  # PanelRefusedError, a mistyped value, a busy database
            self.refused.emit(str(exc))
            return
        from zjtx.ui.errors import show_failure

        show_failure(exc, self)

    def _say(self, text: str, colour: str) -> None:
        self.message.setStyleSheet(f"color:{colour}")
        self.message.setText(text)

    def add_member(self) -> None:
        name, unit = self.member_name.text().strip(), self.member_unit.text().strip()
        role, who = self.member_role.currentData(), self.evaluator_getter()
        if not name:
            self.refused.emit("请填写专家姓名")
            return
        round_name = self.round_name
        self._write(lambda p: p.add_member(round_name, name, unit=unit, role=role, evaluator=who),
                    f"已添加{ROLE_LABELS[role]} {name}")  # fmt: skip
        self.member_name.clear()
        self.member_unit.clear()

    def remove_member(self) -> None:
        row = self.members.currentRow()
        if row < 0 or self.members.item(row, 0) is None:
            self.refused.emit("请先在成员表中选中要移除的成员")
            return
        name, who, round_name = (
            self.members.item(row, 0).text(),
            self.evaluator_getter(),
            self.round_name,
        )
        self._write(lambda p: p.remove_member(round_name, name, evaluator=who), f"已移除 {name}")

    def set_rule(self) -> None:
        rule, who, round_name = self.rule.currentData(), self.evaluator_getter(), self.round_name
        self._write(lambda p: p.set_aggregation(round_name, rule, evaluator=who),
                    f"评分汇总规则已改为：{AGGREGATION_LABELS[rule]}",
                    with_note=True)  # fmt: skip

    def judge(self) -> None:
        criterion, uscc, me = self.criterion.currentData(), self.uscc, self.evaluator_getter()
        if not criterion or not uscc:
            self.refused.emit("请先选择企业和条目")
            return
        met, points, note = (
            self.met.isChecked(),
            self.points.text().strip() or None,
            self.note.text(),
        )
        round_name = self.round_name
        self._write(lambda p: p.judge(round_name, uscc, member=me, criterion=criterion, met=met,
                                      points=points, note=note, evaluator=me),
                    f"已记录 {me} 对 {criterion} 的判断")  # fmt: skip

    def save_opinion(self) -> None:
        text, uscc, me, round_name = (
            self.opinion.text(),
            self.uscc,
            self.evaluator_getter(),
            self.round_name,
        )
        self._write(lambda p: p.opinion(round_name, uscc, member=me, text=text, evaluator=me),
                    f"已保存 {me} 的意见")  # fmt: skip

    def recuse(self) -> None:
        reason, uscc, me, round_name = (
            self.recusal.text(),
            self.uscc,
            self.evaluator_getter(),
            self.round_name,
        )
        self._write(lambda p: p.recuse(round_name, uscc, member=me, reason=reason, evaluator=me),
                    f"已记录 {me} 回避", with_note=True)  # fmt: skip

    def chair_recuse(self) -> None:
        """The 组长 records a member's 回避 found after judging, withdrawing what they gave."""
        self._chair_act(withdraw=False)

    def chair_withdraw(self) -> None:
        """The 组长 withdraws a 回避 recorded in error."""
        self._chair_act(withdraw=True)

    def _chair_act(self, *, withdraw: bool) -> None:
        member, reason = self.chair_member.currentData(), self.chair_reason.text()
        uscc, me, round_name = self.uscc, self.evaluator_getter(), self.round_name
        if not member or not uscc:
            self.refused.emit("请先选择企业和专家")
            return
        company = self.applicant.currentText()
        question = (
            f"撤销 {member} 对 {company} 的回避？撤销后该专家可以评审此企业。"
            if withdraw
            else f"确认 {member} 回避 {company}？其对该企业已作出的判断和意见将撤回（审计记录中保留）。"
        )
        if not self.confirm_chair_act(question):
            return
        clear = self.chair_reason.clear  # only once saved: a refusal keeps what was typed
        if withdraw:
            self._write(lambda p: p.withdraw_recusal(round_name, uscc, member=member,
                                                     reason=reason, evaluator=me),
                        f"已撤销 {member} 的回避", then=clear)  # fmt: skip
        else:
            self._write(lambda p: p.recuse(round_name, uscc, member=member, reason=reason,
                                           evaluator=me, withdraw_judgements=True),
                        f"已记录 {member} 回避，并撤回其在专家组中对该企业的判断和意见",
                        with_note=True,
                        then=clear)  # fmt: skip

    def confirm_chair_act(self, question: str) -> bool:
        """Ask the 组长 before a 回避 is recorded or withdrawn (tests answer for them)."""
        answer = QMessageBox.question(self, "组长处理回避", question)
        return answer == QMessageBox.StandardButton.Yes
