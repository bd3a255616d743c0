"""Start the desktop application: fonts, exception handler, database, main window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from zjtx import __version__

# Set to 1, the window quits with status 0 once shown and its first events handled: how the
# frozen build's test and benchmark see that the window starts.
SMOKE_TEST_ENV = "ZJTX_SMOKE_TEST"

STYLE = """
QWidget { font-size: 10pt; }
QLabel#paneTitle, QLabel#roundTitle { font-size: 11pt; }
QGroupBox { font-weight: bold; margin-top: 16px; padding-top: 6px;
            border: 1px solid #d5d9e0; border-radius: 4px; }
QGroupBox::title { subcontrol-origin: margin; subcontrol-position: top left; left: 8px;
                   top: 2px; padding: 0 4px; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QComboBox, QGroupBox QPushButton,
QGroupBox QRadioButton, QGroupBox QPlainTextEdit { font-weight: normal; }
QTableView { gridline-color: #dcdcdc; selection-background-color: #cfe3fa;
             selection-color: #111; }
QHeaderView::section { background: #f3f5f8; padding: 4px; border: none;
                       border-right: 1px solid #dcdcdc; border-bottom: 1px solid #dcdcdc; }
QListWidget#rounds::item { padding: 6px 4px; border-bottom: 1px solid #eee; }
QListWidget#rounds::item:selected { background: #cfe3fa; color: #111; }
QToolBar { spacing: 4px; padding: 2px; }
"""


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own zh_CN texts (standard buttons, context menus, "Show Details..."), installed once.

    Must run before any widget exists: widgets read their standard texts when they are built.
    """
    installed = getattr(app, "_zjtx_translators", None)
    if installed is not None:
        return installed
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for catalogue in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China),
                           catalogue, "_", folder):  # fmt: skip
            app.installTranslator(translator)
            installed.append(translator)
    if not installed:  # a frozen build missing its translations shows English buttons
        logging.getLogger("zjtx.ui").warning(
            "找不到 Qt 的中文翻译（%s）：标准按钮将显示英文", folder
        )
    app._zjtx_translators = installed  # type: ignore[attr-defined]
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return installed


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication with the bundled font, the style sheet and the exception handler."""
    from zjtx.ui.errors import install_exception_handler
    from zjtx.ui.fonts import apply_bundled_font

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    assert isinstance(app, QApplication)
    app.setApplicationName("zjtx")
    app.setApplicationDisplayName("专精特新评审助手")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("zjtx")
    install_translations(app)
    apply_bundled_font(app)
    app.setStyleSheet(STYLE)
    install_exception_handler()
    return app


def open_service() -> tuple[object | None, str | None]:
    """The store service over the configured database, or None and the Chinese reason."""
    from zjtx.store import StoreError, StoreService, open_store

    try:
        return StoreService(open_store()), None
    except StoreError as exc:
        return None, str(exc)


def start(argv: Sequence[str] | None = None) -> tuple[QApplication, object, object | None]:
    """Set up the application and show the main window (everything but the event loop)."""
    from zjtx.store.settings import data_dir
    from zjtx.ui.errors import setup_logging
    from zjtx.ui.main_window import MainWindow
    from zjtx.ui.settings import AppSettings, apply_chosen_data_dir

    app = create_application(argv)
    apply_chosen_data_dir()
    setup_logging(data_dir())
    service, problem = open_service()
    settings = AppSettings()
    window = MainWindow(service, settings)  # type: ignore[arg-type]
    window.show()
    if not problem and settings.needs_identity():
        window.ask_identity(first_start=True)
    if problem:
        logging.getLogger("zjtx.ui").warning(
            "无法打开数据库：%s", problem
        )  # masked by the log filter
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "无法打开数据库",
            f"{problem}\n\n请在“设置”中选择本机数据库文件或检查共享数据库地址，然后重新打开程序。",
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.finished.connect(lambda _r: window.open_settings())
        box.open()
    return app, window, service


def run(argv: Sequence[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit status."""
    app, _window, service = start(argv)
    if os.environ.get(SMOKE_TEST_ENV) == "1":
        QTimer.singleShot(0, app.quit)
    status = app.exec()
    store = getattr(service, "store", None)
    if store is not None:
        store.close()
    return int(status)
