"""Test-wide setup: headless Qt before any QApplication exists, shared fixtures."""

import os

import pytest

# Without a display Qt aborts the whole pytest process; offscreen needs no X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_identity(tmp_path_factory, monkeypatch):
    """Every test has its own empty data folder and a named evaluator, as a configured
    workstation has; tests of the unconfigured case remove ZJTX_EVALUATOR themselves."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("ZJTX_EVALUATOR", "测试评审")


@pytest.fixture(autouse=True)
def isolated_passwords(tmp_path_factory, monkeypatch):
    """Database passwords never reach the developer's own keyring or ~/.pgpass: no keyring
    backend (as on a headless machine), and libpq's password file in a temporary folder."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path_factory.mktemp("pgpass") / "pgpass"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)
