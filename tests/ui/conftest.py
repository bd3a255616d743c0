"""GUI fixtures: a real SQLite store in tmp_path, the bundled font, the main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from zjtx.intake.synthetic import write_applicants_json
from zjtx.paths import resource_path
from zjtx.store import StoreService, open_store

ROUND = "2026年第一批"
ROUND_DATE = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own data folder (settings, ui.ini, log)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ZJTX_DATA_DIR", str(folder))
    monkeypatch.setenv("ZJTX_EVALUATOR", "张评审")
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'zjtx.sqlite3'}"


@pytest.fixture
def service(database_url: str) -> Iterator[StoreService]:
    store = open_store(database_url)
    yield StoreService(store)
    store.close()


@pytest.fixture
def sample_json() -> Path:
    return resource_path("samples", "applicants.json")


@pytest.fixture(autouse=True)
def font(qapp):
    """The application with Qt's Chinese texts and the bundled font (as zjtx.ui.app sets it up)."""
    from zjtx.ui.app import install_translations
    from zjtx.ui.fonts import apply_bundled_font

    install_translations(qapp)

    return apply_bundled_font(qapp)


@pytest.fixture
def window(qtbot, service, font):
    from zjtx.ui.main_window import MainWindow
    from zjtx.ui.settings import AppSettings

    main = MainWindow(service, AppSettings())
    qtbot.addWidget(main)
    main.show()
    yield main
    main.runner.wait(60000)


def write_synthetic_json(path: Path, count: int, seed: int = 2026) -> Path:
    """``count`` consistent synthetic applicants as an applicants JSON file."""
    return write_applicants_json(path, count, ROUND_DATE.year, seed)


@pytest.fixture
def close_error_boxes() -> Iterator[None]:
    """Close the error dialogs a test opened (zjtx.ui.errors keeps them while they are open)."""
    import shiboken6

    from zjtx.ui import errors

    yield
    for box in list(errors.shown):
        if shiboken6.isValid(box):
            box.close()
