"""`zjtx --version` names the app version, the source commit, the build date and the data files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import zjtx
from zjtx import version
from zjtx.cli import main

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"


@pytest.fixture(autouse=True)
def fresh_build_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each test reads the build information anew, with its own empty data folder."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    version.build_info.cache_clear()
    yield
    version.build_info.cache_clear()


def run_version(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_status:
        main(["--version"])
    assert exit_status.value.code == 0
    return capsys.readouterr().out


def test_version_lists_every_bundled_rulebook_overlay_and_notice(capsys):
    """Every rulebook and overlay with the version its file states, every notice, from source."""
    out = run_version(capsys)
    lines = out.splitlines()
    assert lines[0] == f"专精特新评审助手 zjtx {zjtx.__version__}"
    assert "构建日期：未构建（从源代码运行）" in lines
    for folder in ("rulebooks", "overlays", "notices"):
        for path in sorted((RESOURCES / folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            stated = str(data["version"]) if "version" in data else "校验码 "
            row = next(line for line in lines if line.split()[:1] == [path.stem])
            assert "内置" in row and stated in row, row
    assert out.index("认定标准：") < out.index("省级规则：") < out.index("政策通知：")


def test_version_from_a_checkout_names_its_commit(capsys):
    """Run from a git checkout, the commit is git's HEAD (开发版 when this is no checkout)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    expected = head.stdout.strip()[:12] if (ROOT / ".git").exists() else "开发版"
    assert f"源代码版本：{expected}" in run_version(capsys)


def test_version_outside_git_says_development_build(tmp_path, monkeypatch):
    """A source tree that is no git checkout (an unpacked sdist) says 开发版."""
    monkeypatch.setattr(version, "SOURCE_ROOT", tmp_path)
    monkeypatch.setattr(version, "BUILD_INFO_FILE", tmp_path / "missing.json")
    assert "源代码版本：开发版" in version.version_text()


def test_version_reads_a_temporary_git_checkout(tmp_path, monkeypatch):
    """The commit shown is that checkout's HEAD, marked when the tree has uncommitted changes."""
    git = shutil.which("git")
    assert git, "git is needed to build and to test provenance"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text("一", encoding="utf-8")
    identity = ["-c", "user.name=测试", "-c", "user.email=t@example.invalid"]
    for args in (["init", "-q"], ["add", "a.txt"], [*identity, "commit", "-q", "-m", "一"]):
        subprocess.run([git, *args], cwd=repo, check=True)
    head = subprocess.run([git, "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True)
    monkeypatch.setattr(version, "SOURCE_ROOT", repo)
    monkeypatch.setattr(version, "BUILD_INFO_FILE", tmp_path / "missing.json")
    assert f"源代码版本：{head.stdout.strip()[:12]}\n" in version.version_text()
    (repo / "a.txt").write_text("二", encoding="utf-8")
    version.build_info.cache_clear()
    assert f"源代码版本：{head.stdout.strip()[:12]}（含未提交的修改）" in version.version_text()


def test_version_of_a_frozen_build_shows_its_recorded_commit_and_date(tmp_path, monkeypatch):
    """The frozen build's _build_info.json gives the commit and build date shown."""
    info = tmp_path / "_build_info.json"
    commit = "0123456789abcdef0123456789abcdef01234567"
    record = {"version": "9.8.7", "commit": commit, "dirty": False,
              "built_at": "2026-12-03T10:15:00+08:00"}  # fmt: skip
    info.write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.setattr(version, "BUILD_INFO_FILE", info)
    text = version.version_text()
    assert text.startswith("专精特新评审助手 zjtx 9.8.7\n")
    assert "源代码版本：0123456789ab\n" in text
    assert "构建日期：2026-12-03 10:15:00+08:00" in text


def test_version_shows_an_installed_newer_rulebook(tmp_path):
    """A rulebook installed into the data folder with a higher version shows as 已安装."""
    installed = tmp_path / "data" / "rulebooks"
    installed.mkdir(parents=True)
    text = (RESOURCES / "rulebooks" / "little-giant-2026.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', 'version: "2026.7"', 1)
    assert 'version: "2026.7"' in text
    (installed / "little-giant-2026.yaml").write_text(text, encoding="utf-8")
    row = next(line for line in version.version_text().splitlines() if "little-giant-2026" in line)
    assert "已安装" in row and "2026.7" in row
