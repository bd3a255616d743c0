"""Scoring throughput: applicants per second per rulebook on one core, against JSON parsing.

Usage: python benchmarks/bench_scoring.py [--count 100000] [--repeat 3]

Builds COUNT synthetic applicants from the bundled samples (values jittered so no two are
alike), writes them as a `zjtx score` JSON input, then times (a) parsing that file into
applicants and (b) evaluating every applicant against each rulebook, single-threaded. Prints
applicants/s per rulebook and the ratio of scoring time to parsing time (the baseline).
Targets: at least 10,000 applicants/s decided (issue 2) and 5,000 explained (issue 12) for
every rulebook; both are printed with their ratio to the parse baseline of the same run.

Times are CPU seconds of this process (time.process_time), which is what one core delivers
whatever else the machine is doing; wall-clock seconds are printed alongside. Each figure
is the median of REPEAT runs of the same work (parse, decide, explain): one run now and
then took a fifth longer on this machine (a neighbour's load), which the median of three
leaves out while a slow machine stays slow. Evaluation
decides every criterion's state and points, the verdict and the score interval; the Chinese
explanations are rendered when first read, so the last column also times evaluating and
reading every explanation (what `zjtx score --json` and a printed report need) on a fifth
of them.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zjtx.domain.fields import FieldType
from zjtx.intake.json_input import read_json_applicants
from zjtx.paths import resource_path
from zjtx.scoring import evaluate, load_catalogue, load_rulebook

ROUND = date(2026, 7, 1)
RULEBOOKS = [
    ("innovative-sme-2022", None),
    ("srdi-sme-2022", None),
    ("srdi-sme-2022", "shandong-2022"),
    ("little-giant-2022", None),
    ("srdi-sme-2026", None),
    ("little-giant-2026", None),
    ("single-champion-2023", None),
    ("tech-sme-2017", None),
]


VARIED = (FieldType.MONEY, FieldType.PERCENT, FieldType.INT)
TENTH = Decimal("0.1")


def synthetic(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    catalogue = load_catalogue()
    samples = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))
    rows = []
    for i in range(count):
        row = dict(samples[i % len(samples)])
        factor = Decimal(rng.randint(70, 130)) / 100
        for key, value in row.items():
            spec = catalogue.fields.get(key)
            if spec is None or spec.type not in VARIED or isinstance(value, bool) or not value:
                continue
            # Every figure that seldom repeats across a round (an amount, a head count, a
            # share: repeating_field) moves with one scale for the row and on its own as well:
            # they, and the ratios and growth rates between them, then differ from every other
            # applicant's, as real applicants' do (a repeated row would flatter any cache). A
            # 0 stays 0, as it does for most real applicants (no 股权融资).
            if spec.type == FieldType.PERCENT:
                own = Decimal(rng.randint(8000, 12000)) / 10000
                row[key] = float(min(Decimal(str(value)) * own, Decimal(100)).quantize(TENTH))
            elif spec.type == FieldType.INT and spec.unit == "人":
                row[key] = max(1, round(value * factor * Decimal(rng.randint(9500, 10500)) / 10000))
            elif spec.type == FieldType.MONEY:
                own = factor * Decimal(rng.randint(9900, 10100)) / 10000
                row[key] = float((Decimal(str(value)) * own).quantize(Decimal("0.01")))
        row["name"] = f"{row['name']}{i}"
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "applicants.json"
        path.write_text(json.dumps(synthetic(args.count), ensure_ascii=False), encoding="utf-8")
        applicants: list = []

        def parse() -> None:
            applicants[:] = read_json_applicants(path, catalogue)

        parse_seconds, _ = _median(parse, args.repeat)
    print(f"applicants: {len(applicants):,}; each figure the median of {args.repeat} runs")
    print(
        f"parse JSON input (baseline): {parse_seconds:.2f} s CPU = "
        f"{len(applicants) / parse_seconds:,.0f} applicants/s"
    )
    # A fifth of the applicants: a smaller sample let the explained column swing 2x between runs.
    sample = applicants[: max(1, len(applicants) // 5)]
    print(
        f"{'rulebook':36} {'CPU s':>7} {'wall s':>7} {'applicants/s':>13} {'vs parse':>9}"
        f" {'explained/s':>12} {'vs parse':>9}  targets 10,000/s, 5,000/s explained"
    )
    worst = worst_explained = None
    for rulebook_id, overlay in RULEBOOKS:
        book = load_rulebook(rulebook_id, overlay) if overlay else load_rulebook(rulebook_id)
        round_date = ROUND if "2022" not in rulebook_id else date(2025, 7, 1)

        def decide() -> None:
            for applicant in applicants:
                evaluate(applicant, book, round_date=round_date)  # noqa: B023 - called at once

        def explain() -> None:
            for applicant in sample:
                result = evaluate(applicant, book, round_date=round_date)  # noqa: B023
                for item in result.criteria:
                    item.observed  # noqa: B018 - reading renders the explanation
                tuple(result.verdict_reasons)

        seconds, wall = _median(decide, args.repeat)
        explained = len(sample) / _median(explain, args.repeat)[0]
        rate = len(applicants) / seconds
        worst = rate if worst is None else min(worst, rate)
        worst_explained = explained if worst_explained is None else min(worst_explained, explained)
        parse_rate = len(applicants) / parse_seconds
        status = "ok" if rate >= 10_000 and explained >= 5_000 else "BELOW TARGET"
        print(
            f"{book.display_id:36} {seconds:7.2f} {wall:7.2f} {rate:13,.0f}"
            f" {seconds / parse_seconds:8.2f}x {explained:12,.0f} {explained / parse_rate:8.2f}x"
            f"  {status}"
        )
    print(f"slowest rulebook: {worst:,.0f} applicants/s (one core, CPU time)")
    print(f"slowest explained: {worst_explained:,.0f} applicants/s (one core, CPU time)")


def _median(work, repeat: int) -> tuple[float, float]:
    """The median CPU and wall-clock seconds of ``repeat`` runs of ``work``."""
    cpu, wall = [], []
    for _ in range(max(1, repeat)):
        start, clock = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - start)
        wall.append(time.perf_counter() - clock)
    return statistics.median(cpu), statistics.median(wall)


if __name__ == "__main__":
    main()
