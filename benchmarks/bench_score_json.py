"""`zjtx score --json` at scale: time and peak memory at 10,000 and 100,000 applicants.

Usage: python benchmarks/bench_score_json.py [--sizes 10000 100000]

Writes synthetic applicants (zjtx.intake.synthetic) as a JSON input, then runs, each in its own
process: (a) the baseline, a bare json.load + json.dump of the same file, and (b)
`zjtx score INPUT --tier srdi-sme --date 2025-06-01 --json` to /dev/null. Prints wall seconds
and peak resident memory (ru_maxrss of the child) for both, and the ratios. Target (issue 12
§5): memory flat in the number of applicants, within 300 MB at both sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zjtx.intake.synthetic import write_applicants_json  # noqa: E402

BASELINE = (
    "import json, sys\n"
    "with open(sys.argv[1], encoding='utf-8') as f: data = json.load(f)\n"
    "with open('/dev/null', 'w', encoding='utf-8') as f: json.dump(data, f, indent=2)\n"
)
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(done.returncode, time.perf_counter() - start, peak)\n"
)


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command, run in a fresh process of its own."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    if out[0] != "0":
        raise SystemExit(f"failed: {' '.join(command)}")
    return float(out[1]), int(out[2]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print(
        f"{'applicants':>10} {'baseline s':>10} {'MB':>7} {'score s':>9} {'MB':>7}"
        f" {'time ×':>7} {'memory ×':>9}  target ≤ 300 MB"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"applicants_{size}.json"
            write_applicants_json(path, size, 2025)
            base_s, base_mb = measure([sys.executable, "-c", BASELINE, str(path)])
            score_s, score_mb = measure(
                [
                    sys.executable,
                    "-m",
                    "zjtx",
                    "score",
                    str(path),
                    "--tier",
                    "srdi-sme",
                    "--date",
                    "2025-06-01",
                    "--json",
                ]
            )
            status = "ok" if score_mb <= 300 else "ABOVE TARGET"
            print(
                f"{size:>10,} {base_s:10.1f} {base_mb:7.0f} {score_s:9.1f} {score_mb:7.0f}"
                f" {score_s / base_s:6.1f}x {score_mb / base_mb:8.2f}x  {status}",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
