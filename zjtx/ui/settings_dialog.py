"""The settings dialog: evaluator (name, unit, role), database (SQLite or PostgreSQL with a
test), default overlay, data folder."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from zjtx.store import StoreError
from zjtx.store.secrets import (
    SavedPassword,
    mask_secrets,
    remove_password,
    save_password,
    url_password,
    without_password,
)
from zjtx.store.settings import redact_url, resolve_location
from zjtx.ui.identity_dialog import USE_OF_IDENTITY, IdentityForm
from zjtx.ui.settings import AppSettings, chosen_data_dir, remember_data_dir
from zjtx.ui.tasks import TaskRunner

PASSWORD_HINT = "不写入设置文件：保存在系统凭据管理器中（没有时存入 PostgreSQL 的 .pgpass）"


def test_connection(url: str) -> str:
    """Open the database without changing it; returns a Chinese success message."""
    from zjtx.store import open_store

    store = open_store(url or None, upgrade=False)
    try:
        return f"连接成功：{store.location.display}"
    finally:
        store.close()


def split_password(text: str, typed: str) -> tuple[str, str | None]:
    """The URL to keep in settings.json (no password in any form) and the password to keep
    elsewhere: the one typed in the password box, else the one written in the URL."""
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise StoreError(
            "无法识别的数据库地址：应为 postgresql+psycopg://用户@主机:端口/数据库"
        ) from None
    password = typed or url_password(url)
    if password is None:
        return text, None
    return remove_password(text), password


def with_password(text: str, password: str) -> str:
    """The URL with the typed password, for a connection test (never stored)."""
    try:
        url: URL = make_url(text)
    except (ArgumentError, ValueError):
        return text  # open_store explains an unrecognised address
    return without_password(url).set(password=password).render_as_string(hide_password=False)


class SettingsDialog(QDialog):
    """Edits AppSettings; emits ``changed`` with what needs a reconnect."""

    changed = Signal(dict)

    def __init__(self, settings: AppSettings, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("设置")
        self.settings = settings
        self.runner = runner

        self.identity_form = IdentityForm(settings.identity)
        self.evaluator = self.identity_form.name
        self.unit = self.identity_form.unit
        self.role = self.identity_form.role
        person = QGroupBox("评审人")
        person_layout = QVBoxLayout(person)
        person_layout.addWidget(self.identity_form)
        hint = QLabel(USE_OF_IDENTITY)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        person_layout.addWidget(hint)

        url = settings.database_url()
        stored_password = None
        if url:
            # settings.json of an older version may hold the password: move it to the box,
            # so that saving takes it out of the file.
            with contextlib.suppress(StoreError):  # shown as it is; test/save explain it
                url, stored_password = split_password(url, "")
        self.local_radio = QRadioButton("本机数据库文件（SQLite，默认）")
        self.server_radio = QRadioButton("共享数据库（PostgreSQL）")
        group = QButtonGroup(self)
        group.addButton(self.local_radio)
        group.addButton(self.server_radio)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("postgresql+psycopg://用户@主机:5432/数据库")
        self.password = QLineEdit(stored_password or "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("数据库密码（留空则沿用已保存的密码）")
        self.password.setToolTip(PASSWORD_HINT)
        self.saved_password: SavedPassword | None = None
        self.local_radio.setChecked(not url.startswith("postgres"))
        self.server_radio.setChecked(url.startswith("postgres"))
        self.local_radio.toggled.connect(self._mode_changed)
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test)
        self.test_result = QLabel("")
        self.test_result.setWordWrap(True)
        database = QGroupBox("数据库")
        layout = QVBoxLayout(database)
        layout.addWidget(self.local_radio)
        layout.addWidget(self.server_radio)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.test_button)
        layout.addLayout(row)
        password_row = QHBoxLayout()
        password_row.addWidget(QLabel("密码："))
        password_row.addWidget(self.password, 1)
        layout.addLayout(password_row)
        password_hint = QLabel(PASSWORD_HINT)
        password_hint.setWordWrap(True)
        password_hint.setStyleSheet("color: #555")
        layout.addWidget(password_hint)
        layout.addWidget(self.test_result)
        try:
            current = resolve_location().display
        except Exception as exc:  # a broken settings.json is shown, not fatal here
            current = str(exc)
        layout.addWidget(
            QLabel(f"当前使用：{redact_url(current) if '://' in current else current}")
        )

        from zjtx.scoring import list_overlay_ids
        from zjtx.scoring.rulebook import overlay_title

        self.overlay = QComboBox()
        self.overlay.addItem("不使用省级规则", "")
        for overlay in list_overlay_ids():
            self.overlay.addItem(overlay_title(overlay), overlay)
            self.overlay.setItemData(
                self.overlay.count() - 1, f"规则编号：{overlay}", Qt.ItemDataRole.ToolTipRole
            )
        self.overlay.setCurrentIndex(max(self.overlay.findData(settings.default_overlay), 0))
        self.data_folder = QLineEdit(chosen_data_dir() or str(settings.folder))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_folder, 1)
        folder_row.addWidget(browse)
        other = QGroupBox("其他")
        form = QFormLayout(other)
        form.addRow("默认省级规则：", self.overlay)
        form.addRow("数据目录：", folder_row)
        form.addRow("", QLabel("更改数据目录或数据库后需重新打开程序。"))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        main = QVBoxLayout(self)
        main.addWidget(person)
        main.addWidget(database)
        main.addWidget(other)
        main.addWidget(buttons)
        self._mode_changed()
        self.resize(560, 480)

    def _mode_changed(self) -> None:
        self.url.setEnabled(self.server_radio.isChecked())
        self.password.setEnabled(self.server_radio.isChecked())

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择数据目录", self.data_folder.text())
        if folder:
            self.data_folder.setText(folder)

    def chosen_url(self) -> str:
        return self.url.text().strip() if self.server_radio.isChecked() else ""

    def test(self) -> None:
        url = self.chosen_url()
        if self.server_radio.isChecked() and not url:
            self._result("请填写 PostgreSQL 地址", "#c62828")
            return
        if url and self.password.text():
            url = with_password(url, self.password.text())
        self.test_button.setEnabled(False)
        self._result("正在连接……", "#555")
        self.runner.start(
            lambda progress, cancel: test_connection(url),
            name="测试连接",
            on_success=lambda text: self._result(text, "#1b7f3b"),
            on_failure=lambda exc: self._result(mask_secrets(f"连接失败：{exc}"), "#c62828"),
            on_finish=lambda: self.test_button.setEnabled(True),
        )

    def _result(self, text: str, colour: str) -> None:
        self.test_result.setStyleSheet(f"color:{colour}")
        self.test_result.setText(text)
        # A long driver message wraps onto more lines: the dialog grows rather than cut it off.
        label = self.test_result
        metrics = label.fontMetrics()
        area = QRect(0, 0, max(label.width(), 200), 10000)
        needed = metrics.boundingRect(area, Qt.TextFlag.TextWordWrap, text).height()
        label.setMinimumHeight(needed + metrics.lineSpacing())

    def save(self) -> None:
        changes: dict[str, Any] = {}
        if not self.identity_form.has_name():
            self._result("评审人姓名不能为空：评审留痕和评审意见表的签字栏都要用到它", "#c62828")
            self.evaluator.setFocus()
            return
        identity = self.identity_form.identity()
        before = self.settings.identity
        try:
            if identity != before:
                self.settings.set_identity(identity)
        except StoreError as exc:
            self._result(str(exc), "#c62828")
            return
        if before is None or (identity.name, identity.role) != (before.name, before.role):
            changes["evaluator"] = (identity.name, identity.role)
        if identity != before:
            changes["identity"] = identity
        url = self.chosen_url()
        try:
            url, password = split_password(url, self.password.text()) if url else ("", None)
            if password:
                self.saved_password = save_password(make_url(url), password)
                changes["password"] = self.saved_password.message
        except StoreError as exc:
            self._result(str(exc), "#c62828")
            return
        except OSError as exc:
            self._result(f"无法保存数据库密码：{exc.strerror}", "#c62828")
            return
        self.settings.set_value("round/default_overlay", self.overlay.currentData())
        if url != self.settings.database_url() or password:
            self.settings.set_database_url(url)
            changes["database"] = url
        folder = self.data_folder.text().strip()
        if folder and folder != str(self.settings.folder):
            remember_data_dir(folder)
            changes["data_dir"] = folder
        self.changed.emit(changes)
        self.accept()
