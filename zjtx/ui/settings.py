"""User settings: evaluator, database, default overlay, data folder; window layout (QSettings)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from zjtx.store.settings import DATA_DIR_ENV, SETTINGS_FILE, data_dir

POINTER_ORGANISATION = "zjtx"


def chosen_data_dir() -> str | None:
    """The data folder picked in the settings dialog (kept outside it, in the user's QSettings)."""
    value = QSettings(POINTER_ORGANISATION, "zjtx-location").value("data_dir", "")
    return str(value) if value else None


def remember_data_dir(folder: str | None) -> None:
    pointer = QSettings(POINTER_ORGANISATION, "zjtx-location")
    if folder:
        pointer.setValue("data_dir", folder)
    else:
        pointer.remove("data_dir")
    pointer.sync()


def apply_chosen_data_dir() -> None:
    """At start-up: use the chosen data folder unless --data-dir / ZJTX_DATA_DIR says otherwise."""
    if not os.environ.get(DATA_DIR_ENV):
        folder = chosen_data_dir()
        if folder:
            os.environ[DATA_DIR_ENV] = folder


class AppSettings:
    """Settings of the desktop application, kept in ui.ini in the data folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(self.folder / "ui.ini"), QSettings.Format.IniFormat)

    def value(self, key: str, default: Any = None) -> Any:
        return self.qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)
        self.qsettings.sync()

    @property
    def evaluator(self) -> str:
        from zjtx.store.service import default_evaluator

        return str(self.value("evaluator/name", "") or default_evaluator())

    @property
    def role(self) -> str:
        return str(self.value("evaluator/role", "evaluator") or "evaluator")

    @property
    def default_overlay(self) -> str:
        return str(self.value("round/default_overlay", "") or "")

    @property
    def export_folder(self) -> Path:
        return Path(str(self.value("export/folder", "") or (Path.home() / "zjtx-输出")))

    def database_url(self) -> str:
        """The database URL written in settings.json ("" = the local SQLite file)."""
        path = self.folder / SETTINGS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        value = data.get("database_url") if isinstance(data, dict) else None
        return str(value) if value else ""

    def set_database_url(self, url: str) -> None:
        """Write (or remove) database_url in settings.json, keeping its other keys."""
        path = self.folder / SETTINGS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        if url:
            data["database_url"] = url
        else:
            data.pop("database_url", None)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
