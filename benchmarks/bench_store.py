"""Store speed: import+score+store of a 10,000-applicant roster vs import+score alone; listing.

Usage: python benchmarks/bench_store.py [--count 10000] [--postgres URL] [--repeat 5] [--runs 3]

Writes a roster of COUNT synthetic applicants (an .xlsx roster through zjtx.intake when it is
installed, else a JSON input), then on SQLite (a file in a temporary folder) and on PostgreSQL
(a fresh database on the server of --postgres or ZJTX_TEST_DATABASE_URL) times:
  baseline  reading the file and scoring every applicant with the bundled rulebooks into
            complete evaluations (Evaluation.to_dict(), what `zjtx score --json` prints:
            the evaluator renders its explanations lazily, and a stored result needs them);
  full      reading the file and importing it into a round: scoring and storing every
            applicant, its version, evaluation and audit event in one transaction;
  listing   the round table with verdicts and review state (StoreService.list_applicants,
            the query behind the GUI's table), median of --repeat runs;
  details   every applicant's detail, as the exports of a whole round read them: one bulk
            StoreService.round_details call, against applicant_detail one by one (the way
            exports read before; timed on a sample of --sample and scaled to the round).
  check     reading and checking the file alone (what `zjtx check` does): import / check
            is printed against the issue 12 target (<= 3).
  rescore   `zjtx round rescore` after every applicant's rulebook was corrected (as an update
            of zjtx may correct one): each re-evaluated and stored again, on the workers and in
            one process, against the import of the same round.
Check, the scoring baselines and the import are each the median of --runs runs (the import
into a fresh round each time). The import is timed twice: scoring on --workers worker processes
(as a large file is imported: by default one per core but the importing process's own, at most
three) and all in one process. Each is reported
in wall-clock seconds and in CPU seconds of this process and its workers (the machine may be
shared; CPU time is the steadier figure; PostgreSQL's own CPU is not in it). The ratio of
full to the evaluate-only baseline (explanations not rendered) is printed for reference.
Targets (issue 4): full <= 2 x baseline; listing < 200 ms. Details: no target, the ratio shows
what the bulk call saves.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from zjtx.domain.applicant import Applicant
from zjtx.intake.synthetic import valid_uscc
from zjtx.store import StoreService, open_store
from zjtx.store.dto import RoundInfo
from zjtx.store.scoring_pool import import_workers
from zjtx.store.scoring_port import RulebookScorer

ROUND_DATE = date(2026, 5, 20)
TIER = "little-giant"  # 2026: new and renewal applicants use different rulebooks


def _fallback_applicants(count: int) -> list[dict[str, Any]]:
    """Plausible applicants when zjtx.intake.synthetic is not available."""
    rng = random.Random(2026)
    people = []
    for index in range(count):
        revenue = Decimal(f"{rng.uniform(3000, 60000):.2f}")
        assets = (revenue * Decimal("1.2")).quantize(Decimal("0.01"))
        people.append(
            {
                "name": f"基准测试企业{index}有限公司",
                "uscc": valid_uscc(index + 1),
                "application_type": rng.choice(("new", "new", "renewal")),
                "size_sector": "industry",
                "industry_code": "C3562",
                "employees_y1": rng.randint(30, 900),
                "total_assets_y1": assets,
                "total_liabilities_y1": (assets * Decimal("0.4")).quantize(Decimal("0.01")),
                "abnormal_operation": False,
                "serious_dishonesty": False,
                "prohibited_product": False,
                "major_incident_3y": False,
                "holds_srdi": rng.random() < 0.6,
                "niche_years": Decimal(rng.randint(2, 15)),
                **{f"revenue_y{y}": revenue - 500 * (y - 1) for y in (1, 2, 3)},
                **{
                    f"main_revenue_y{y}": (revenue - 500 * (y - 1)) * Decimal("0.9")
                    for y in (1, 2, 3)
                },
                **{
                    f"rd_expense_y{y}": (revenue * Decimal("0.05")).quantize(Decimal("0.01"))
                    for y in (1, 2, 3)
                },
                "platform_score": Decimal(f"{rng.uniform(50, 95):.1f}"),
            }
        )
    return people


def write_roster(folder: Path, count: int) -> Path:
    """The input file: an .xlsx roster via zjtx.intake if present, else JSON."""
    try:
        from zjtx.intake.synthetic import applicants
        from zjtx.intake.templates import write_roster_template
        from zjtx.scoring.catalogue import load_catalogue
    except ImportError:
        import json

        path = folder / "roster.json"
        path.write_text(
            json.dumps(_fallback_applicants(count), ensure_ascii=False, default=str),
            encoding="utf-8",
        )
        return path
    path = folder / "roster.xlsx"
    write_roster_template(
        path, load_catalogue(), ROUND_DATE.year, applicants(count, ROUND_DATE.year)
    )
    return path


def _fresh_pg(base: str) -> tuple[str, Any]:
    url = make_url(base)
    name = f"zjtx_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def _outdate(store: Any) -> None:
    """Make every evaluation's rulebook one since corrected: another hash, its texts stored."""
    outdated = "'x' || substr(rulebook_hash, 2)"  # no hash (hex) begins with x
    with store.session() as session:
        session.execute(
            text(
                f"INSERT INTO rulebook_texts (rulebook_hash, rulebook_id, texts, created_at) "
                f"SELECT {outdated}, rulebook_id, texts, created_at FROM rulebook_texts "
                f"WHERE rulebook_hash NOT LIKE 'x%'"
                f" AND {outdated} NOT IN (SELECT rulebook_hash FROM rulebook_texts)"
            )
        )
        session.execute(text(f"UPDATE evaluations SET rulebook_hash = {outdated}"))
        session.commit()


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (the import's scoring workers)."""
    if resource is None:  # pragma: no cover - Windows
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(work: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    result = work()
    return result, time.perf_counter() - wall, _cpu() - cpu


def _median_of(runs: int, work: Any) -> tuple[Any, float, float]:
    """``work(i)`` timed ``runs`` times: its first result, median wall and median CPU seconds
    (one run on a shared machine can be 20 % off either way)."""
    timings = [_timed(partial(work, i)) for i in range(runs)]
    return (
        timings[0][0],
        statistics.median(t[1] for t in timings),
        statistics.median(t[2] for t in timings),
    )


def run(
    label: str,
    url: str,
    roster: Path,
    repeat: int,
    sample: int = 30,
    runs: int = 3,
    workers: int = 1,
) -> dict[str, float]:
    store = open_store(url)
    service = StoreService(store)
    try:
        service.create_round("基准批次", tier=TIER, round_date=ROUND_DATE)
        info: RoundInfo = service.get_round("基准批次")

        def evaluate_only() -> int:
            scorer = RulebookScorer()
            files = service.read_files("基准批次", [roster])
            applicants: list[Applicant] = [a for f in files for a in f.applicants]
            for applicant in applicants:
                scorer(applicant, info, [])
            return len(applicants)

        def baseline() -> int:
            scorer = RulebookScorer()
            files = service.read_files("基准批次", [roster])
            applicants: list[Applicant] = [a for f in files for a in f.applicants]
            for applicant in applicants:
                scorer(applicant, info, []).to_dict()
            return len(applicants)

        def full(number: int, workers: int = workers) -> int:
            # Each run imports into a round of its own: the same file into the same round again
            # would find nothing changed.
            name = "基准批次" if number == 0 else f"基准批次{number}-{workers}"
            if number:
                service.create_round(name, tier=TIER, round_date=ROUND_DATE)
            service.evaluations.workers = workers
            files = service.read_files(name, [roster])
            reports = [service.import_file(name, f, evaluator="基准") for f in files]
            return sum(r.versions_created for r in reports)

        def check() -> int:
            # What `zjtx check` does with the file: read it and check every row.
            return sum(len(f.applicants) for f in service.read_files("基准批次", [roster]))

        _, check_wall, check_cpu = _median_of(runs, lambda _i: check())
        _, lean_wall, lean_cpu = _median_of(runs, lambda _i: evaluate_only())
        count, base_wall, base_cpu = _median_of(runs, lambda _i: baseline())
        stored, full_wall, full_cpu = _median_of(runs, full)
        _, alone_wall, alone_cpu = _median_of(runs, lambda i: full(i + runs, 0))

        def rescore(number: int, workers: int = workers) -> int:
            _outdate(store)
            service.evaluations.workers = workers
            return service.rescore("基准批次", evaluator="基准").reevaluated

        rescored, rescore_wall, rescore_cpu = _median_of(runs, rescore)
        _, rescore_alone_wall, rescore_alone_cpu = _median_of(runs, lambda i: rescore(i, 0))
        timings = []
        for _ in range(repeat):
            rows, wall, _cpu = _timed(lambda: service.list_applicants("基准批次"))
            timings.append(wall)
        listing = statistics.median(timings)
        details, bulk_wall, _cpu = _timed(lambda: sum(1 for _ in service.round_details("基准批次")))
        picked = rows[: max(1, sample)]
        _, one_wall, _cpu = _timed(
            lambda: [service.applicant_detail("基准批次", r.uscc) for r in picked]
        )
        one_each = one_wall / len(picked)
        print(
            f"{label}: {count} applicants read, {stored} stored (times: median of {runs} runs)\n"
            f"  import+score (complete evaluations) {base_wall:6.2f} s wall {base_cpu:6.2f} s CPU\n"
            f"  import+score+store                  {full_wall:6.2f} s wall {full_cpu:6.2f} s CPU"
            f" (scoring on {workers} worker process{'es' if workers != 1 else ''})\n"
            f"  import+score+store in one process   {alone_wall:6.2f} s wall {alone_cpu:6.2f} s CPU\n"
            f"  ratio {full_wall / base_wall:4.2f} wall, {full_cpu / base_cpu:4.2f} CPU "
            f"(target <= 2.00); against evaluate-only ({lean_wall:.2f} s wall, "
            f"{lean_cpu:.2f} s CPU): {full_wall / lean_wall:4.2f} wall, "
            f"{full_cpu / lean_cpu:4.2f} CPU\n"
            f"  import / check: check (read and check the file) {check_wall:.2f} s wall "
            f"{check_cpu:.2f} s CPU; import {full_wall / check_wall:4.2f} x wall "
            f"(target <= 3.00), {full_cpu / check_cpu:4.2f} x CPU; in one process "
            f"{alone_wall / check_wall:4.2f} x wall, {alone_cpu / check_cpu:4.2f} x CPU\n"
            f"  rescore of {rescored} (every rulebook corrected) {rescore_wall:.2f} s wall "
            f"{rescore_cpu:.2f} s CPU; in one process {rescore_alone_wall:.2f} s wall "
            f"{rescore_alone_cpu:.2f} s CPU; rescore / import {rescore_wall / full_wall:4.2f} x "
            f"wall, in one process {rescore_alone_wall / alone_wall:4.2f} x\n"
            f"  listing {len(rows)} rows: {listing * 1000:6.1f} ms (median of {repeat}; "
            f"target < 200 ms)\n"
            f"  details of all {details}: round_details {bulk_wall:6.2f} s wall; one by one "
            f"{one_each * 1000:.0f} ms each (sample of {len(picked)}), about "
            f"{one_each * len(rows):.0f} s for the round: {one_each * len(rows) / bulk_wall:.0f} x"
        )
        return {
            "baseline": base_wall,
            "full": full_wall,
            "check": check_wall,
            "rescore": rescore_wall,
            "listing": listing,
            "details": bulk_wall,
        }
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--runs", type=int, default=3, help="check, scoring and import each timed this many times"
    )
    parser.add_argument(
        "--sample", type=int, default=30, help="applicants read one by one for the comparison"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=import_workers(),
        help="scoring worker processes of the import (default: as an import starts them)",
    )
    parser.add_argument("--postgres", default=os.environ.get("ZJTX_TEST_DATABASE_URL"))
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="which to run, comma-separated"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        roster = write_roster(Path(folder), args.count)
        print(
            f"roster: {roster.name}, {roster.stat().st_size / 1e6:.1f} MB, {args.count} applicants"
        )
        wanted = args.databases.split(",")
        if "sqlite" in wanted:
            run(
                "SQLite",
                f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                roster,
                args.repeat,
                args.sample,
                args.runs,
                args.workers,
            )
        if "postgresql" not in wanted:
            pass
        elif args.postgres:
            url, drop = _fresh_pg(args.postgres)
            try:
                run("PostgreSQL", url, roster, args.repeat, args.sample, args.runs, args.workers)
            finally:
                drop()
        else:
            print("PostgreSQL: skipped (give --postgres URL or ZJTX_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
