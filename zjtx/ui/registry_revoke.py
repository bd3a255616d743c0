"""Revoking a title held in the register (培育库), with its reason, from the register window."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zjtx.domain.labels import Decision
from zjtx.domain.registry import RegistryTitle


def entry_summary(entry: Any) -> str:
    """One line naming the enterprise and the title it holds: what the evaluator revokes."""
    uscc = f"（{entry.uscc}）" if entry.uscc else ""
    return (
        f"{entry.name}{uscc}：{entry.year} 年{RegistryTitle.label_of(entry.title)}，"
        f"有效期至 {entry.valid_until} 年"
    )


class RevokeDialog(QDialog):
    """Asks why a title is revoked; 撤销 stays disabled until a reason is written."""

    def __init__(self, entry: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("撤销称号")
        heading = QLabel(f"撤销 {entry_summary(entry)}")
        heading.setWordWrap(True)
        note = QLabel(
            "撤销记为一条新状态（已撤销），原记录保留在企业的称号历史和评审留痕中。"
            f"该企业在评审批次中的“{Decision.RECOMMEND.label}”决定此后可以更改。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("撤销理由（必填），如：复核不合格、材料不实、企业申请撤销")
        self.reason.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox()
        self.revoke_button: QPushButton = self.buttons.addButton(
            "撤销称号", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(QLabel("撤销理由："))
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(520, 300)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update(self) -> None:
        self.revoke_button.setEnabled(bool(self.reason_text()))
