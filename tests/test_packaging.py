"""A non-editable install (wheel) carries resources/ and loads every data file from it."""

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = r"""
import json, sys, zjtx
from pathlib import Path
from zjtx.paths import resources_dir
from zjtx.scoring import load_all_rulebooks, load_catalogue
from zjtx.scoring.size import load_size_standard
root = resources_dir()
books = load_all_rulebooks()
print(json.dumps({
    "package": zjtx.__file__,
    "resources": str(root),
    "fields": len(load_catalogue()),
    "rulebooks": sorted(b.display_id for b in books),
    "sectors": len(load_size_standard().rows),
    "samples": (root / "samples" / "applicants.json").is_file(),
}))
"""


@pytest.mark.slow
def test_wheel_install_loads_every_resource(tmp_path):
    """`pip install .` (not editable) into a fresh venv finds resources inside the package."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(wheel_dir.glob("zjtx-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # Dependencies come from this test environment's site-packages (PYTHONPATH does not process
    # the editable-install .pth files, so zjtx itself resolves to the fresh install only).
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"])
    result = subprocess.run(
        [str(python), "-c", CHECK],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    import json

    data = json.loads(result.stdout)
    site = str(env_dir)
    assert data["package"].startswith(site), data["package"]
    assert data["resources"].startswith(site) and data["resources"].endswith("zjtx/resources")
    assert data["fields"] >= 68
    assert len(data["rulebooks"]) == 11  # 8 rulebooks + 3 overlays
    assert data["sectors"] == 16
    assert data["samples"]
    cli = subprocess.run(
        [str(env_dir / "bin" / "zjtx"), "rulebooks"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert cli.returncode == 0, cli.stderr
    assert "little-giant-2026" in cli.stdout
