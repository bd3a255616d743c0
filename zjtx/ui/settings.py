"""User settings: evaluator, database, default overlay, data folder; window layout (QSettings)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from zjtx.store.errors import StoreError
from zjtx.store.identity import (
    EVALUATOR_ENV,
    ROLE_CODES,
    Identity,
    load_identity,
    make_identity,
    save_identity,
)
from zjtx.store.settings import (
    DATA_DIR_ENV,
    data_dir,
    make_private_file,
    make_private_folder,
    read_settings,
    write_settings,
)

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
        ini = self.folder / "ui.ini"
        # Created 0600 first: QSettings rewrites the file keeping the mode it finds. A
        # read-only folder only means the layout is not remembered.
        with contextlib.suppress(OSError):
            make_private_folder(self.folder)
            make_private_file(ini)
        self.qsettings = QSettings(str(ini), QSettings.Format.IniFormat)

    def value(self, key: str, default: Any = None) -> Any:
        return self.qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)
        self.qsettings.sync()

    @property
    def identity(self) -> Identity | None:
        """The evaluator configured on this computer (settings.json), or None.

        A name typed in the settings of an older version (ui.ini) is moved there once.
        """
        try:
            identity = load_identity(self.folder)
        except StoreError:  # a broken settings.json: the database cannot open either
            return None
        legacy = str(self.value("evaluator/name", "") or "").strip()
        if identity is None and legacy:
            role = str(self.value("evaluator/role", "evaluator") or "evaluator")
            identity = make_identity(legacy, "", role if role in ROLE_CODES else "evaluator")
            self.set_identity(identity)
        return identity

    def set_identity(self, identity: Identity | None) -> None:
        """Save (or clear) the evaluator; the CLI reads the same settings.json."""
        save_identity(identity, self.folder)
        self.qsettings.remove("evaluator")
        self.qsettings.sync()

    @property
    def evaluator(self) -> str:
        """The name every record of this window carries: the configured evaluator, else
        ``ZJTX_EVALUATOR``; "" when there is neither (reviews are then refused)."""
        identity = self.identity
        if identity is not None:
            return identity.name
        return os.environ.get(EVALUATOR_ENV, "").strip()

    @property
    def role(self) -> str:
        identity = self.identity
        return identity.role if identity is not None else "evaluator"

    def needs_identity(self) -> bool:
        """At start-up: whether to ask who the evaluator is (IdentityDialog)."""
        return not self.evaluator

    @property
    def default_overlay(self) -> str:
        return str(self.value("round/default_overlay", "") or "")

    @property
    def export_folder(self) -> Path:
        return Path(str(self.value("export/folder", "") or (Path.home() / "zjtx-输出")))

    def database_url(self) -> str:
        """The database URL written in settings.json ("" = the local SQLite file)."""
        try:
            value = read_settings(self.folder).get("database_url")
        except StoreError:
            return ""
        return str(value) if value else ""

    def set_database_url(self, url: str) -> None:
        """Write (or remove) database_url in settings.json, keeping its other keys."""
        try:
            data = read_settings(self.folder)
        except StoreError:  # unreadable: replaced by what the user chose now
            data = {}
        if url:
            data["database_url"] = url
        else:
            data.pop("database_url", None)
        write_settings(data, self.folder)


def needs_identity(settings: AppSettings | None = None) -> bool:
    """At start-up: whether no evaluator is named yet, so IdentityDialog must ask."""
    return (settings or AppSettings()).needs_identity()
