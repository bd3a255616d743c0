"""A process killed in the middle of importing a file leaves the database as before that file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.store.helpers import RuleScorer, make_applicant, make_file
from zjtx.store import StoreService, open_store
from zjtx.store.models import ApplicantVersion, AuditEvent, Evaluation, ImportFile

ROOT = Path(__file__).resolve().parents[2]
ROUND = "大批次"

CHILD = textwrap.dedent(
    """
    import pickle, sys
    import zjtx.store.imports as imports_module
    from tests.store.helpers import RuleScorer
    from zjtx.store import StoreService, open_store

    imports_module.CHUNK = 100
    url, file_path = sys.argv[1], sys.argv[2]
    with open(file_path, "rb") as handle:
        file = pickle.load(handle)

    def progress(done, total):
        print(f"progress {done} {total}", flush=True)

    service = StoreService(open_store(url), scorer=RuleScorer())
    service.import_file("大批次", file, evaluator="进程", progress=progress)
    print("finished", flush=True)
    """
)


def _counts(service: StoreService) -> tuple[int, ...]:
    with service.store.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (ImportFile, ApplicantVersion, Evaluation, AuditEvent)
        )


@pytest.mark.slow
def test_killed_import_leaves_the_database_as_before_the_file(database_url, tmp_path):
    """SIGKILL during the second file: the first file is kept whole, the second left no row."""
    import pickle

    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
        service.import_file(
            ROUND, make_file(tmp_path / "first.xlsx", [make_applicant(i) for i in range(1, 11)])
        )
        before = _counts(service)
        rows_before = service.list_applicants(ROUND, sort="uscc")

    # Applicants 5..3004: 6 are corrections of the first file, 2,994 are new.
    big = make_file(
        tmp_path / "second.xlsx",
        [make_applicant(i, rd="150") for i in range(5, 3005)],
    )
    pickled = tmp_path / "second.pickle"
    pickled.write_bytes(pickle.dumps(big))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, str(pickled)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        written = 0
        for line in child.stdout:
            if line.startswith("progress"):
                written = int(line.split()[1])
                if written >= 1000:  # ten batches are in the open transaction
                    break
        assert written >= 1000, child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    with open_store(database_url) as store:
        service = StoreService(store, scorer=RuleScorer())
        assert _counts(service) == before
        assert service.list_applicants(ROUND, sort="uscc") == rows_before
        report = service.import_file(ROUND, big)  # the file can simply be imported again
        assert (report.applicants_new, report.applicants_changed) == (2994, 6)
        assert service.statistics(ROUND).applicants == 3004
