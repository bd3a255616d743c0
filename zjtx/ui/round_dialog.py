"""The dialogs that create and rename a round (批次)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class NewRoundDialog(QDialog):
    """Name, tier, date, region and provincial overlay of a new round."""

    def __init__(self, default_overlay: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from zjtx.scoring import TIERS, list_overlay_ids, list_rulebook_ids
        from zjtx.scoring.rulebook import overlay_title, rulebook_title

        self.setWindowTitle("新建评审批次")
        today = date.today()
        self.name = QLineEdit(f"{today.year}年第一批")
        self.tier = QComboBox()
        for code, label in TIERS.items():
            self.tier.addItem(label, code)
        self.tier.setCurrentIndex(max(self.tier.findData("little-giant"), 0))
        self.round_date = QDateEdit(QDate(today.year, today.month, today.day))
        self.round_date.setCalendarPopup(True)
        self.round_date.setDisplayFormat("yyyy年M月d日")
        self.region = QLineEdit()
        self.region.setPlaceholderText("如 杭州市（可不填）")
        self.overlay = QComboBox()
        self.overlay.addItem("不使用省级规则", "")
        for overlay in list_overlay_ids():
            self.overlay.addItem(overlay_title(overlay), overlay)
            self.overlay.setItemData(self.overlay.count() - 1, overlay, Qt.ItemDataRole.ToolTipRole)
        self.overlay.setCurrentIndex(max(self.overlay.findData(default_overlay), 0))
        self.round_date.dateChanged.connect(self._mark_overlays)
        self._mark_overlays()
        self.rulebook = QComboBox()
        self.rulebook.addItem("按层级与批次日期自动选择", "")
        for rulebook in list_rulebook_ids():
            self.rulebook.addItem(rulebook_title(rulebook), rulebook)
            self.rulebook.setItemData(
                self.rulebook.count() - 1, rulebook, Qt.ItemDataRole.ToolTipRole
            )
        self.error = _error_label()
        # The provincial rules of the round's region when none is chosen (one forgotten
        # scores without the province's criteria).
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#8a5a00")  # a caution, not an error
        self.hint.hide()
        for signal in (
            self.region.textChanged,
            self.round_date.dateChanged,
            self.tier.currentIndexChanged,
            self.overlay.currentIndexChanged,
            self.rulebook.currentIndexChanged,
        ):
            signal.connect(self._show_hint)
        form = QFormLayout()
        form.addRow("批次名称：", self.name)
        form.addRow("层级：", self.tier)
        form.addRow("批次日期：", self.round_date)
        form.addRow("地区：", self.region)
        form.addRow("省级规则：", self.overlay)
        form.addRow("", self.hint)
        form.addRow("评价标准：", self.rulebook)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "创建"))

    def _mark_overlays(self) -> None:
        """Provincial rules that do not cover the round's date are greyed out, saying the
        dates they do cover (creating the round with one would be refused)."""
        from zjtx.scoring.definitions import describe_applies
        from zjtx.scoring.rulebook import load_overlay, overlay_title

        when = self._date()
        model = self.overlay.model()
        for index in range(1, self.overlay.count()):
            overlay_id = self.overlay.itemData(index)
            overlay = load_overlay(overlay_id)
            fits = overlay.applies_on(when)
            ranges = describe_applies(overlay.applies)
            self.overlay.setItemText(
                index, overlay_title(overlay_id) + ("" if fits else "（不适用于所选日期）")
            )
            self.overlay.setItemData(index, f"适用于{ranges}的批次", Qt.ItemDataRole.ToolTipRole)
            model.item(index).setEnabled(fits)

    def _show_hint(self) -> None:
        from zjtx.scoring.selection import provincial_overlays, unused_overlay_note

        when = self._date()
        found = []
        # A fixed rulebook is chosen whole: provincial rules are not its to add.
        if not self.overlay.currentData() and not self.rulebook.currentData():
            found = provincial_overlays(self.tier.currentData(), when, self.region.text().strip())
        self.hint.setText("；".join(unused_overlay_note(o) for o in found))
        self.hint.setVisible(bool(found))

    def _date(self) -> date:
        """The round date chosen, as a date."""
        chosen = self.round_date.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def values(self) -> dict[str, object]:
        """Keyword arguments for StoreService.create_round."""
        return {
            "name": self.name.text().strip(),
            "tier": self.tier.currentData(),
            "round_date": self._date(),
            "region": self.region.text().strip() or None,
            "overlay": self.overlay.currentData() or None,
            "rulebook": self.rulebook.currentData() or None,
        }


class RenameRoundDialog(QDialog):
    """A new name for a round; the store refuses an empty or taken name (shown in the dialog)."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current = current
        self.setWindowTitle("重命名评审批次")
        self.name = QLineEdit(current)
        self.name.selectAll()
        self.name.setMinimumWidth(320)
        self.error = _error_label()
        hint = QLabel("批次的企业、评审与留痕都保留；留痕中记下原名称。")
        hint.setStyleSheet("color:#555")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("原名称：", QLabel(current))
        form.addRow("新名称：", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "重命名"))

    def new_name(self) -> str:
        return self.name.text().strip()


def _error_label() -> QLabel:
    """Where a dialog shows why the store refused what was asked (the dialog stays open)."""
    label = QLabel("")
    label.setStyleSheet("color:#c62828")
    label.setWordWrap(True)
    return label


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (named ``ok_text``) and 取消, wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
