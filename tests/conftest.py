"""Test-wide setup: headless Qt before any QApplication exists, shared fixtures."""

import os

# Without a display Qt aborts the whole pytest process; offscreen needs no X server.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
