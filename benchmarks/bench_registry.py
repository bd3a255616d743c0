"""Register (培育库) speed: a 10,000-name list import and a 10,000-applicant round checked
against the register, each against the plain import of the round's file.

Usage: python benchmarks/bench_registry.py [--count 10000] [--postgres URL]

Writes COUNT synthetic applicants (zjtx.intake.synthetic, a `zjtx score` JSON input) and a
published list of the same names (title row, 序号 | 企业名称 | 设区市 | 县（市、区）, no USCC, every
seventh name in half-width brackets while the applicants write them full-width), then on
SQLite and on PostgreSQL (--postgres or ZJTX_TEST_DATABASE_URL) times:
  plain    importing the applicants' file into a round with an empty register;
  list     reading the list file and importing it into the register, which checks the open
           round of the plain import again (every applicant on the list gains a warning);
  checked  importing the same applicants' file into a new round with the register full (every
           applicant cross-checked: already holds the title, declared titles);
  restore  restoring a round of the same applicants archived before the list arrived, which
           checks it against the register at once.
Targets (issue 15): list <= 2 x plain, checked <= 2 x plain; restore, which does the list's
recheck on one round, <= 2 x plain as well.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.registry_fixtures import write_list
from zjtx.intake.published_list import read_published_list
from zjtx.intake.synthetic import write_applicants_json
from zjtx.store import StoreService, open_store

ROUND_DATE = date(2026, 6, 1)


def _files(folder: Path, count: int) -> tuple[Path, Path]:
    import json

    roster = write_applicants_json(folder / "applicants.json", count, ROUND_DATE.year)
    records = json.loads(roster.read_text(encoding="utf-8"))
    for number, record in enumerate(records):
        # Unique names; every seventh written with full-width brackets by the applicant and
        # half-width in the list.
        mark = f"（{number}）" if number % 7 == 3 else f"{number}号"
        record["name"] = record["name"].replace("有限公司", f"{mark}有限公司")
    roster.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    names = [r["name"].replace("（", "(").replace("）", ")") for r in records]
    listed = write_list(folder / "名单.xlsx", names, title="2024年度专精特新中小企业认定名单")
    return roster, listed


def _time(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _measure(url: str, roster: Path, listed: Path) -> tuple[float, ...]:
    with open_store(url) as store:
        service = StoreService(store)
        service.create_round("plain", tier="srdi-sme", round_date=ROUND_DATE)
        plain = _time(lambda: service.import_paths("plain", [roster], evaluator="基准"))
        service.create_round("archived", tier="srdi-sme", round_date=ROUND_DATE)
        service.import_paths("archived", [roster], evaluator="基准")
        service.archive_round("archived", evaluator="基准")
        result = {}

        def import_list() -> None:
            result["list"] = service.registry.import_list(
                read_published_list(listed), title="srdi-sme", year=2024, evaluator="基准"
            )

        listing = _time(import_list)
        service.create_round("checked", tier="srdi-sme", round_date=ROUND_DATE)
        files: list = []
        checked = _time(
            lambda: files.extend(service.import_paths("checked", [roster], evaluator="基准"))
        )
        warnings = sum(1 for i in files[0].issues if i.code.startswith("registry-"))

        def restore() -> None:
            result["restored"] = service.restore_round("archived", evaluator="基准")

        restoring = _time(restore)
    assert result["list"].added > 0
    rechecked = sum(r.applicants for r in result["list"].rechecked)
    restored = sum(r.applicants for r in result["restored"].rechecked)
    return plain, listing, checked, warnings, rechecked, restoring, restored


def _report(label: str, figures: tuple[float, ...]) -> None:
    plain, listing, checked, warnings, rechecked, restoring, restored = figures
    print(f"{label}: plain import {plain:.2f} s")
    print(
        f"  list import    {listing:.2f} s  ratio {listing / plain:.2f} (target <= 2); "
        f"{rechecked} applicants of the open round checked again with new warnings"
    )
    print(
        f"  checked import {checked:.2f} s  ratio {checked / plain:.2f} (target <= 2); "
        f"{warnings} registry warnings"
    )
    print(
        f"  restore        {restoring:.2f} s  ratio {restoring / plain:.2f} (target <= 2); "
        f"{restored} applicants of the restored round checked again with new warnings"
    )


def _postgres(base: str, roster: Path, listed: Path) -> None:
    url = make_url(base)
    name = f"zjtx_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        target = url.set(database=name).render_as_string(hide_password=False)
        _report("PostgreSQL", _measure(target, roster, listed))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("ZJTX_TEST_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        roster, listed = _files(folder, args.count)
        print(f"{args.count} applicants; list of {args.count} names")
        _report("SQLite", _measure(f"sqlite:///{folder / 'zjtx.sqlite3'}", roster, listed))
        if args.postgres:
            _postgres(args.postgres, roster, listed)


if __name__ == "__main__":
    main()
