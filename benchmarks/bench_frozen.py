"""The frozen build (dist/zjtx) against the pip install: folder size, window start-up, zjtx score."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_app import build, folder_size  # noqa: E402

SCORE_ARGS = ["score", str(ROOT / "resources/samples/applicants.json")]
SCORE_ARGS += ["--tier", "innovative-sme", "--date", "2026-07-01"]
EXE = ".exe" if os.name == "nt" else ""


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one run, which must succeed."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=env, timeout=300)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(
            f"{command[0]} 失败（{result.returncode}）：{result.stderr.decode()[-500:]}"
        )
    return elapsed


def median_times(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, float]:
    """Median seconds of each command, their runs interleaved so that load hits both alike."""
    for command in commands.values():  # warm-up: first start creates the database, fills caches
        timed(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timed(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def pip_scripts_dir() -> Path:
    """The folder of the pip-installed zjtx and zjtx-gui beside this Python."""
    return Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "zjtx", help="dist/zjtx")
    parser.add_argument("--build", action="store_true", help="build the folder first")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = args.app
    if args.build:
        app = build(app.parent, ROOT / "build" / "zjtx-app")
    if not (app / f"zjtx{EXE}").is_file():
        raise SystemExit(
            f"{app} 中没有构建好的 zjtx；先运行 python scripts/build_app.py 或加 --build"
        )
    pip_dir = pip_scripts_dir()
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTX_")}
        env.update(
            HOME=home,
            ZJTX_DATA_DIR=str(Path(home) / "data"),
            QT_QPA_PLATFORM="offscreen",
            ZJTX_SMOKE_TEST="1",  # the window quits with 0 once shown
            ZJTX_EVALUATOR="基准测试",
        )
        window = median_times(
            {
                "frozen": [str(app / f"zjtx-gui{EXE}")],
                "pip": [str(pip_dir / f"zjtx-gui{EXE}")],
            },
            env,
            args.runs,
        )
        score = median_times(
            {
                "frozen": [str(app / f"zjtx{EXE}"), *SCORE_ARGS],
                "pip": [str(pip_dir / f"zjtx{EXE}"), *SCORE_ARGS],
            },
            env,
            args.runs,
        )
    size = folder_size(app)
    print(f"frozen folder {app}: {size / 2**20:.1f} MiB")
    print(f"median of {args.runs} runs after one warm-up, wall clock, runs interleaved")
    print(f"{'measure':<40} {'frozen':>9} {'pip':>9} {'frozen/pip':>11}")
    for name, figures in (
        ("window start-up to shown (offscreen)", window),
        ("zjtx score samples (30 applicants)", score),
    ):
        ratio = figures["frozen"] / figures["pip"]
        print(f"{name:<40} {figures['frozen']:>8.2f}s {figures['pip']:>8.2f}s {ratio:>10.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
