"""`zjtx round import` against `zjtx check` of the same roster, as a user runs them.

Usage: python benchmarks/bench_cli_import.py [--count 10000] [--runs 5]

Writes a roster of COUNT synthetic applicants (.xlsx), then runs, alternately, RUNS times each:
`zjtx check ROSTER` and `zjtx round import` of it into a fresh round in a fresh data folder
(SQLite), each as its own process, start-up included: what issue 12 measured (import <= 3 x
check). Prints the median wall-clock seconds of each and their ratio, with the CPU seconds of
each command and its children (an import scores a large file on worker processes).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import ROUND_DATE, TIER, write_roster


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, children included) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    zjtx = [sys.executable, "-m", "zjtx"]
    with tempfile.TemporaryDirectory() as folder:
        roster = write_roster(Path(folder), args.count)
        checks, imports = [], []
        for run in range(args.runs):
            env = {
                **os.environ,
                "ZJTX_DATA_DIR": str(Path(folder) / f"data{run}"),
                "ZJTX_EVALUATOR": "基准",
            }
            env.pop("ZJTX_DATABASE_URL", None)
            checks.append(_timed([*zjtx, "check", str(roster)], env))
            create = [*zjtx, "round", "create", "基准批次", "--tier", TIER]
            subprocess.run(
                [*create, "--date", ROUND_DATE.isoformat()],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            imports.append(_timed([*zjtx, "round", "import", "基准批次", str(roster)], env))
            print(
                f"run {run + 1}: check {checks[-1][0]:.2f} s, import {imports[-1][0]:.2f} s "
                f"({imports[-1][0] / checks[-1][0]:.2f} x)"
            )
    check_wall = statistics.median(w for w, _ in checks)
    import_wall = statistics.median(w for w, _ in imports)
    print(
        f"{args.count} applicants, median of {args.runs} runs each (wall-clock, start-up included)\n"
        f"  zjtx check         {check_wall:6.2f} s  (CPU {statistics.median(c for _, c in checks):.2f} s)\n"
        f"  zjtx round import  {import_wall:6.2f} s  (CPU {statistics.median(c for _, c in imports):.2f} s,"
        f" workers included)\n"
        f"  import / check     {import_wall / check_wall:6.2f} x  (target <= 3.00)"
    )


if __name__ == "__main__":
    main()
