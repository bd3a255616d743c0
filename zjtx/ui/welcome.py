"""The guide shown instead of the applicant table while no round is open or it is empty."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from zjtx.ui.main_window import MainWindow


class WelcomePage(QWidget):
    """What to do, in order, when no round is open or the open round is still empty."""

    STEPS = (
        ("新建批次", "为本次申报建立一个评审批次：层级、批次日期、地区和省级规则。"),
        ("导入申报数据", "把收到的申报名单、申报表（Excel、CSV、Word）拖入导入向导，核对列对应和提示。"),
        ("评审", "逐家查看评价结论与差距，确认待人工确认的指标，写评审意见并作出决定（F8 下一家）。"),
        ("导出", "打印评审意见表，导出推荐汇总表、公示名单和评价结果。"),
    )  # fmt: skip

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("welcome")
        self.heading = QLabel("")
        self.heading.setObjectName("welcomeHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size:14pt;font-weight:bold")
        slots = (window.new_round, window.open_import, window.next_pending,
                 lambda: window.open_export("summary_pdf"))  # fmt: skip
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(12)
        self.buttons: list[QPushButton] = []
        self.marks: list[QLabel] = []
        for number, ((title, text), slot) in enumerate(zip(self.STEPS, slots, strict=True)):
            mark = QLabel(f"{number + 1}")
            mark.setFixedWidth(28)
            mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
            button = QPushButton(f"{title}…" if number != 2 else "开始评审（F8）")
            button.setMinimumWidth(150)
            button.clicked.connect(slot)
            description = QLabel(text)
            description.setWordWrap(True)
            description.setStyleSheet("color:#444")
            grid.addWidget(mark, number, 0)
            grid.addWidget(button, number, 1)
            grid.addWidget(description, number, 2)
            self.buttons.append(button)
            self.marks.append(mark)
        grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addStretch(1)

    def show_progress(self, heading: str, done: int, enabled: int) -> None:
        """``done`` steps are ticked; the buttons up to step ``enabled`` (1-based) can be used."""
        self.heading.setText(heading)
        for number, (mark, button) in enumerate(zip(self.marks, self.buttons, strict=True)):
            finished = number < done
            mark.setText("✓" if finished else str(number + 1))
            colour = "#1b7f3b" if finished else ("#1565c0" if number == done else "#9e9e9e")
            mark.setStyleSheet(
                f"border:2px solid {colour};border-radius:14px;color:{colour};font-weight:bold"
            )
            button.setEnabled(number < enabled)
            button.setDefault(number == done)
