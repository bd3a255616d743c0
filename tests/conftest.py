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
