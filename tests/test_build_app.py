"""The frozen one-folder build (scripts/build_app.py) runs the CLI and the window without Python."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"
# Set to an existing dist/zjtx folder to test it instead of building one (while iterating).
REUSE_ENV = "ZJTX_FROZEN_APP"
BUILT_FROM: dict[str, str] = {}  # the commit checked out when the fixture built the folder
# What Qt's offscreen platform says on stderr about itself; anything else is an error.
OFFSCREEN_NOTICES = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)
SCORE_ARGS = ["score", str(SAMPLES / "applicants.json"), "--tier", "innovative-sme"]
SCORE_ARGS += ["--date", "2026-07-01"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/zjtx built by the script into a temporary folder (once for this module)."""
    reused = os.environ.get(REUSE_ENV)
    if reused:
        return Path(reused)
    base = tmp_path_factory.mktemp("frozen")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    BUILT_FROM["commit"] = head.stdout.strip() if head.returncode == 0 else "unknown"
    script = ROOT / "scripts" / "build_app.py"
    places = ["--dist", str(base / "dist"), "--work", str(base / "work")]
    result = subprocess.run(
        [sys.executable, str(script), *places, "--archive"],
        capture_output=True,
        text=True,
        cwd=base,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "文件夹大小：" in result.stdout and "压缩包：" in result.stdout, result.stdout
    return base / "dist" / "zjtx"


@pytest.fixture
def frozen_env(tmp_path: Path) -> dict[str, str]:
    """A user with an empty home and data folder, no Python paths, an offscreen display."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "ZJTX_", "VIRTUAL_ENV", "QT_"))
    }
    (tmp_path / "home").mkdir()
    env.update(
        HOME=str(tmp_path / "home"),
        ZJTX_DATA_DIR=str(tmp_path / "data"),
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=str(tmp_path / "home"),
    )
    return env


def run_frozen(folder: Path, args: list[str], env: dict[str, str], cwd: Path):
    return subprocess.run(
        [str(folder / "zjtx"), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def run_source(args: list[str], env: dict[str, str], cwd: Path):
    return subprocess.run(
        [sys.executable, "-m", "zjtx", *args],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        timeout=300,
    )


def errors_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line and not line.startswith(OFFSCREEN_NOTICES)]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def test_folder_holds_both_programs_resources_and_only_needed_qt(app_folder: Path) -> None:
    """Both executables, every resource, the migrations, the Qt plugins and zh_CN texts; no
    unused Qt module, other language, test tool or build tool."""
    internal = app_folder / "_internal"
    for name in ("zjtx", "zjtx-gui"):
        assert (app_folder / name).is_file() and os.access(app_folder / name, os.X_OK)
    bundled = internal / "zjtx" / "resources"
    for source in (ROOT / "resources").rglob("*"):
        if source.is_file() and "__pycache__" not in source.parts:
            copy = bundled / source.relative_to(ROOT / "resources")
            assert copy.read_bytes() == source.read_bytes(), copy
    migrations = sorted(p.name for p in (ROOT / "zjtx/store/migrations/versions").glob("*.py"))
    assert (
        sorted(p.name for p in (internal / "zjtx/store/migrations/versions").glob("*.py"))
        == migrations
    )
    qt = internal / "PySide6" / "Qt"
    for plugin in ("platforms/libqoffscreen.so", "platforms/libqxcb.so",
                   "imageformats/libqpdf.so", "imageformats/libqjpeg.so",
                   "printsupport/libcupsprintersupport.so"):  # fmt: skip
        assert (qt / "plugins" / plugin).is_file(), plugin
    translations = sorted(p.name for p in (qt / "translations").glob("*.qm"))
    assert "qtbase_zh_CN.qm" in translations and "qt_zh_CN.qm" in translations
    assert all(name.endswith("_zh_CN.qm") for name in translations), translations
    names = {p.name for p in internal.rglob("*")}
    for unused in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6WebEngineCore.so.6",
                   "libQt63DCore.so.6", "libQt6Multimedia.so.6", "QtQml.abi3.so",
                   "QtNetwork.abi3.so", "pytest", "_pytest", "hypothesis", "PyInstaller",
                   "pip", "setuptools", "tests"):  # fmt: skip
        assert unused not in names, unused
    info = json.loads((internal / "zjtx" / "_build_info.json").read_text(encoding="utf-8"))
    assert info["commit"] == BUILT_FROM.get("commit", info["commit"])  # (not known when reused)
    assert info["commit"] == "unknown" or len(info["commit"]) == 40
    built = datetime.fromisoformat(info["built_at"])
    assert os.environ.get(REUSE_ENV) or abs(datetime.now(built.tzinfo) - built) < timedelta(hours=1)


def test_frozen_score_prints_what_the_pip_install_prints(app_folder, frozen_env, tmp_path):
    """`zjtx score` on the samples: the frozen program's output is the source's, byte for byte."""
    for extra in ([], ["--json"]):
        frozen = run_frozen(app_folder, SCORE_ARGS + extra, frozen_env, tmp_path)
        source = run_source(SCORE_ARGS + extra, frozen_env, tmp_path)
        assert frozen.returncode == source.returncode == 0, frozen.stderr
        assert frozen.stdout == source.stdout
        assert frozen.stderr == ""
    assert "共评价 30 家企业" in run_frozen(app_folder, SCORE_ARGS, frozen_env, tmp_path).stdout


def test_frozen_check_reads_the_sample_roster_and_forms(app_folder, frozen_env, tmp_path):
    """`zjtx check` on the sample roster (.xlsx) and forms: same report and exit status as source."""
    args = ["check", str(SAMPLES / "roster_2026.xlsx"), str(SAMPLES / "forms"), "--year", "2026"]
    frozen = run_frozen(app_folder, args, frozen_env, tmp_path)
    source = run_source(args, frozen_env, tmp_path)
    assert frozen.returncode == source.returncode == 1  # the samples hold blocked enterprises
    assert frozen.stdout == source.stdout
    assert "合计 6 个文件" in frozen.stdout
    assert "Traceback" not in frozen.stderr


def test_frozen_import_of_a_large_roster_scores_on_workers(app_folder, frozen_env, tmp_path):
    """`zjtx round import` of a roster large enough for scoring workers: the frozen program
    starts them as itself (multiprocessing.freeze_support) and stores what the source stores;
    no worker failed (a failure would fall back to one process and be logged)."""
    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring.catalogue import load_catalogue
    from zjtx.store.evaluations import POOL_MINIMUM

    roster = tmp_path / "名单.xlsx"
    write_roster_template(roster, load_catalogue(), 2026, applicants(POOL_MINIMUM + 100, 2026))
    create = ["round", "create", "大批次", "--tier", "little-giant", "--date", "2026-05-20"]
    shown = []
    for name in ("frozen", "source"):
        env = {**frozen_env, "ZJTX_DATA_DIR": str(tmp_path / name), "ZJTX_EVALUATOR": "王评审"}

        def zjtx(args: list[str], env: dict[str, str] = env, name: str = name):
            if name == "frozen":
                return run_frozen(app_folder, args, env, tmp_path)
            return run_source(args, env, tmp_path)

        assert zjtx(create).returncode == 0
        imported = zjtx(["round", "import", "大批次", str(roster)])
        assert imported.returncode == 0, imported.stderr
        assert f"新增企业 {POOL_MINIMUM + 100}" in imported.stdout
        log = tmp_path / name / "zjtx.log"
        assert "评价进程" not in (log.read_text(encoding="utf-8") if log.exists() else "")
        listed = zjtx(["round", "show", "大批次", "--json"])
        data = json.loads(listed.stdout)
        rows = [
            {k: v for k, v in row.items() if not k.endswith("_at")} for row in data["applicants"]
        ]
        shown.append((rows, data["statistics"]))
    assert shown[0] == shown[1]


def test_frozen_report_writes_pdfs_with_embedded_fonts(app_folder, frozen_env, tmp_path):
    """`zjtx report` into a temporary folder: one PDF per applicant plus the combined one, every
    font embedded (the office PC may have no Chinese font)."""
    out = tmp_path / "报告"
    args = [*SCORE_ARGS, "--out", str(out), "--combined"]
    args[0] = "report"
    result = run_frozen(app_folder, args, frozen_env, tmp_path)
    assert result.returncode == 0, result.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 31
    for pdf in (pdfs[0], out / "评审意见表汇编.pdf"):
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        assert "评审意见表" in reader.pages[0].extract_text()
        fonts = [
            font.get_object()
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        ]
        assert fonts
        for font in fonts:
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, (pdf.name, font["/BaseFont"])


def test_frozen_version_names_the_build(app_folder, frozen_env, tmp_path):
    """`zjtx --version` of the build: app version, build date, commit and every rulebook."""
    result = run_frozen(app_folder, ["--version"], frozen_env, tmp_path)
    assert result.returncode == 0, result.stderr
    info = json.loads((app_folder / "_internal/zjtx/_build_info.json").read_text("utf-8"))
    assert f"zjtx {info['version']}" in result.stdout.splitlines()[0]
    assert f"构建日期：{info['built_at'].replace('T', ' ')}" in result.stdout
    commit = info["commit"]
    assert (commit[:12] if commit != "unknown" else "未知") in result.stdout
    for rulebook in (ROOT / "resources" / "rulebooks").glob("*.yaml"):
        assert rulebook.stem in result.stdout


def test_frozen_window_starts_offscreen_and_keeps_running(app_folder, frozen_env, tmp_path):
    """zjtx-gui opens offscreen on a first start and is still running 3 s later, silently."""
    process = subprocess.Popen(
        [str(app_folder / "zjtx-gui")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=frozen_env,
        cwd=tmp_path,
    )
    time.sleep(3)
    still_running = process.poll() is None
    process.terminate()
    stdout, stderr = process.communicate(timeout=30)
    assert still_running, (process.returncode, stderr)
    assert errors_in(stderr) == [] and stdout == ""


def test_frozen_programs_write_only_to_the_data_folder(app_folder, frozen_env, tmp_path):
    """The window (smoke test: shown, then quit with 0) and a round created from the command
    line change nothing in the program folder; everything lands in the data folder."""
    before = snapshot(app_folder)
    started = time.perf_counter()
    window = subprocess.run(
        [str(app_folder / "zjtx-gui")],
        capture_output=True,
        text=True,
        env={**frozen_env, "ZJTX_SMOKE_TEST": "1"},
        cwd=tmp_path,
        timeout=120,
    )
    assert window.returncode == 0, window.stderr
    assert errors_in(window.stderr) == []
    assert time.perf_counter() - started < 60
    created = run_frozen(
        app_folder,
        ["round", "create", "2026第一批", "--tier", "srdi-sme", "--date", "2026-06-01"],
        frozen_env,
        tmp_path,
    )
    assert created.returncode == 0, created.stderr
    imported = run_frozen(
        app_folder,
        ["round", "import", "2026第一批", str(SAMPLES / "applicants.json")],
        frozen_env,
        tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
    assert snapshot(app_folder) == before
    assert (tmp_path / "data" / "zjtx.sqlite3").is_file()


def test_archive_holds_the_folder_and_the_guide(app_folder: Path) -> None:
    """--archive: a zip of the whole folder with 使用说明.txt naming start, data, rulebook
    install and PostgreSQL."""
    archives = sorted(app_folder.parent.glob("zjtx-*.zip"))
    assert len(archives) == 1, archives
    with zipfile.ZipFile(archives[0]) as bundle:
        names = set(bundle.namelist())
        guide = bundle.read("zjtx/使用说明.txt").decode("utf-8-sig")
        assert bundle.testzip() is None
    files = {
        "zjtx/" + p.relative_to(app_folder).as_posix()
        for p in app_folder.rglob("*")
        if not p.is_dir()
    }
    assert files <= names
    for text in ("zjtx-gui", "rulebook install", "ZJTX_DATABASE_URL", "ZJTX_DATA_DIR",
                 "postgresql+psycopg://", "--version"):  # fmt: skip
        assert text in guide, text
