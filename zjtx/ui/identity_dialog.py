"""Who the evaluator is: name, unit and role, asked at first start and edited in 设置."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from zjtx.store import StoreError
from zjtx.store.identity import NAME_LIMIT, UNIT_LIMIT, Identity, make_identity
from zjtx.store.service import ROLE_LABELS
from zjtx.ui.settings import AppSettings

USE_OF_IDENTITY = (
    "姓名记入每一条评审留痕（谁、何时、因何确认或改判），"
    "并与单位一起打印在评审意见表的签字栏中；未填写姓名时不能保存评审。"
)
EXPLANATION = f"{USE_OF_IDENTITY}以后可在“设置”中修改。"
NO_EVALUATOR_MESSAGE = "尚未设置评审人，评审未保存：请在“设置 → 评审人”中填写您的姓名和单位"


def identity_status_text(settings: AppSettings) -> str:
    """The status-bar text naming who this window records as the evaluator."""
    identity = settings.identity
    if identity is None:
        named = settings.evaluator  # ZJTX_EVALUATOR
        return f"评审人：{named}" if named else "未设置评审人（设置 → 评审人）"
    details = "，".join(p for p in (identity.unit, identity.role_label) if p)
    return f"评审人：{identity.name}（{details}）"


class IdentityForm(QWidget):
    """姓名 (required), 单位 and 角色; shared by IdentityDialog and the settings dialog."""

    edited = Signal()

    def __init__(self, identity: Identity | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(identity.name if identity else "")
        self.name.setPlaceholderText("必填，如：张三")
        self.name.setMaxLength(NAME_LIMIT)
        self.unit = QLineEdit(identity.unit if identity else "")
        self.unit.setPlaceholderText("如：杭州市经济和信息化局")
        self.unit.setMaxLength(UNIT_LIMIT)
        self.role = QComboBox()
        for code, label in ROLE_LABELS.items():
            self.role.addItem(label, code)
        self.role.setCurrentIndex(max(self.role.findData(identity.role if identity else ""), 0))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("姓名：", self.name)
        form.addRow("单位：", self.unit)
        form.addRow("角色：", self.role)
        self.name.textChanged.connect(self.edited)
        self.unit.textChanged.connect(self.edited)
        self.role.currentIndexChanged.connect(self.edited)

    def has_name(self) -> bool:
        return bool(self.name.text().strip())

    def identity(self) -> Identity:
        """The identity typed in; raises ReviewRuleError when the name is empty."""
        return make_identity(self.name.text(), self.unit.text(), self.role.currentData())


class IdentityDialog(QDialog):
    """Asks for the evaluator's name, unit and role and saves them in settings.json.

    ``saved`` carries the Identity after it was written (the window updates its status bar
    and records the role in the store).
    """

    saved = Signal(object)

    def __init__(
        self, settings: AppSettings, parent: QWidget | None = None, *, first_start: bool = False
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("评审人信息")
        heading = QLabel("欢迎使用专精特新评审助手，请先填写评审人信息" if first_start
                         else "评审人信息")  # fmt: skip
        heading.setStyleSheet("font-size: 13pt; font-weight: bold")
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #444")
        self.form = IdentityForm(settings.identity)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            "以后再说" if first_start else "取消"
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addSpacing(6)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.form.edited.connect(self._edited)
        self._edited()
        self.setMinimumWidth(460)

    def _edited(self) -> None:
        self.save_button.setEnabled(self.form.has_name())
        self._note("" if self.form.has_name() else "填写姓名后即可保存", "#6b6b6b")

    def _note(self, text: str, colour: str) -> None:
        self.error.setStyleSheet(f"color: {colour}")
        self.error.setText(text)

    def save(self) -> None:
        if not self.form.has_name():
            self.form.name.setFocus()
            return
        identity = self.form.identity()
        try:
            self.settings.set_identity(identity)
        except StoreError as exc:  # settings.json cannot be written
            self._note(str(exc), "#c62828")
            return
        self.saved.emit(identity)
        self.accept()
