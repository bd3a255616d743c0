"""A scoring worker process: evaluates, renders and compacts an import's applicants.

Kept apart from zjtx.store.scoring_pool so that a worker imports no database code: it starts
in a fraction of the time.
"""

from __future__ import annotations

import gc
import pickle
import signal
import zlib
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation
from zjtx.store.codec import JSONText, json_text
from zjtx.store.dto import RoundInfo
from zjtx.store.scored import Scored, score_applicant
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.texts import Reference, compact
from zjtx.workers import exit_with_parent


class _Worker:
    """What a worker keeps between chunks: its rulebooks and the texts prepared to compact."""

    def __init__(self, unsaved: str, encode: bool) -> None:
        self.scorer = RulebookScorer()
        self.references: dict[str, Reference] = {}
        self.unsaved = unsaved
        self.encode = encode

    def reference(self, rulebook_hash: str, texts: dict[str, Any] | None) -> Reference | None:
        """The texts to compact a result of this rulebook against: those sent with the jobs
        (a worker may be started before the texts of its import are known)."""
        if texts is None:
            return None
        reference = self.references.get(rulebook_hash)
        if reference is None or reference.texts != texts:
            reference = self.references[rulebook_hash] = Reference(texts)
        return reference


_worker: _Worker | None = None


class Packed(list):
    """A list sent between the importing process and a worker compressed: a piece's jobs or
    its results.

    A piece's results take about 600 KB pickled, ten times a pipe's buffer, and its jobs
    about 65 KB: a write then waits while the importing process's thread reading or writing
    the pipe, which needs the GIL for every 64 KB, takes turns with the busy importing
    thread; that idled the worker some 30 ms a piece, a fifth of its time. Compressed, the
    results are a seventh of their size and the jobs a third. Unpickled, it is a plain list.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        packed = zlib.compress(pickle.dumps(list(self), pickle.HIGHEST_PROTOCOL), 1)
        return (_unpack, (packed,))


def _unpack(packed: bytes) -> list[Any]:
    return pickle.loads(zlib.decompress(packed))


def start(info: RoundInfo, unsaved: str, encode: bool) -> None:
    """Initialise this worker for a round: ``unsaved`` names what a failure leaves unwritten;
    with ``encode``, results are sent as their JSON text (SQLite stores it as it is)."""
    global _worker
    exit_with_parent()
    # Ctrl+C reaches every process of the terminal's group: the importing process stops the
    # import and its workers; a worker saying KeyboardInterrupt too would only print noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = _Worker(unsaved, encode)
    # The round's rulebooks load now, while the importing process may still be reading.
    _worker.scorer.preload(info)
    # As in the importing process (zjtx.store.bulk.gc_by_chunk): an evaluation forms no
    # reference cycle, so the cyclic collector runs once a chunk, over what that chunk made.
    gc.disable()


def score_jobs(
    info: RoundInfo,
    jobs: list[tuple[Applicant, tuple[Confirmation, ...]]],
    texts: dict[str, dict[str, Any]],
) -> list[Scored]:
    """Each applicant with its confirmations, evaluated and stored as this process's store
    would, its result compacted against ``texts`` (per rulebook hash); a result whose
    rulebook has no texts there is sent whole, for the store to compact. The list travels
    back packed, and arrives a plain list."""
    worker = _worker
    assert worker is not None, "start() runs first, as the pool's initializer"
    scorer, unsaved, encode = worker.scorer, worker.unsaved, worker.encode
    references: dict[str, Reference | None] = {}
    done = []
    for applicant, items in jobs:
        evaluation = score_applicant(scorer, applicant, info, items, unsaved)
        result = evaluation.to_dict()
        digest = evaluation.rulebook_hash
        reference = references.get(digest)
        if reference is None and digest not in references:
            reference = references[digest] = worker.reference(digest, texts.get(digest))
        if reference is None:
            done.append(Scored.of(evaluation, result, False))
        else:
            stored: Any = compact(result, reference.texts, reference)
            done.append(
                Scored.of(evaluation, JSONText(json_text(stored)) if encode else stored, True)
            )
    gc.collect()
    gc.freeze()
    return Packed(done)
