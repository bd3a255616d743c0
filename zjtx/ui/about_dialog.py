"""帮助 → 关于: app version, source commit, build date and every data file's version."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zjtx.version import APP_TITLE, build_info, data_file_versions, version_text

FILE_COLUMNS = ("类别", "编号", "版本", "来源")


class AboutDialog(QDialog):
    """What this copy of the program is, for the evaluator and for technical support."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关于 {APP_TITLE}")
        info = build_info()
        title = QLabel(f"<b style='font-size:14pt'>{APP_TITLE}</b>")
        subtitle = QLabel("专精特新中小企业认定评审：导入申报数据、逐项评价、评审留痕、输出报告")
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet("color: #555")
        self.version_label = QLabel(f"zjtx {info.version}")
        self.commit_label = QLabel(info.commit_text)
        self.commit_label.setToolTip(info.commit)
        self.built_label = QLabel(info.built_text)
        runtime = QLabel(f"Python {platform.python_version()}，Qt {pyside_version}")
        for label in (self.version_label, self.commit_label, self.built_label, runtime):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("程序版本：", self.version_label)
        form.addRow("源代码版本：", self.commit_label)
        form.addRow("构建日期：", self.built_label)
        form.addRow("运行环境：", runtime)

        files = data_file_versions()
        self.files = QTableWidget(len(files), len(FILE_COLUMNS))
        self.files.setHorizontalHeaderLabels(FILE_COLUMNS)
        self.files.verticalHeader().hide()
        self.files.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.files.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files.setAlternatingRowColors(True)
        for row, item in enumerate(files):
            for column, text in enumerate((item.kind, item.id, item.version, item.origin)):
                self.files.setItem(row, column, QTableWidgetItem(text))
        header = self.files.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.files.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.files.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.files.setMinimumHeight(260)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.copy_button = buttons.addButton("复制版本信息", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("复制以上全部信息，报告问题时粘贴给技术支持")
        self.copy_button.clicked.connect(self.copy_text)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        layout.addWidget(QLabel("认定标准、省级规则与政策通知："))
        layout.addWidget(self.files, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def copy_text(self) -> None:
        """The same text as `zjtx --version`, on the clipboard."""
        QGuiApplication.clipboard().setText(version_text())
        self.copy_button.setText("已复制")
