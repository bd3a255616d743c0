"""Scoring a large file's applicants on worker processes while the file is still being read."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select

from zjtx.domain.applicant import Applicant
from zjtx.intake.file_kind import EXCEL_SUFFIXES
from zjtx.store import scoring_pool, scoring_worker
from zjtx.store.codec import JSONText, json_text
from zjtx.store.dto import RoundInfo
from zjtx.store.engine import Store
from zjtx.store.errors import StoreError
from zjtx.store.evaluations import Evaluations
from zjtx.store.models import Applicant as ApplicantRow
from zjtx.store.scored import Scored
from zjtx.store.scoring_pool import import_workers
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.texts import compact, expand, extract_texts
from zjtx.workers import kill_workers, process_pool

log = logging.getLogger(__name__)

# Pieces each worker has being scored or queued while the file is read: after the last row the
# gate's checks and the import's start take a second or so, which a worker spends on these.
EARLY_AHEAD = 10
# Rows scored while reading and held for the import, at most (a result and its values take
# 10-25 KB until the import writes them).
EARLY_MOST = 3000
SPREADSHEETS = EXCEL_SUFFIXES | {".csv"}
_AMBIGUOUS = None  # a code read twice with different values: neither reading is used


def spreadsheet_bytes(paths: Sequence[Path | str]) -> int:
    """Bytes of the spreadsheets among the files the reading takes from the paths (folders
    searched as it searches them), whose rows an import reads."""
    from zjtx.intake.folders import expand_paths

    total = 0
    for path, _shown, skipped in expand_paths(paths):
        if skipped is None and path.suffix.lower() in SPREADSHEETS:
            try:
                total += path.stat().st_size if path.is_file() else 0
            except OSError:  # gone, or not ours to read: the reading says so
                continue
    return total


def start_early_scoring(
    store: Store,
    evaluations: Evaluations,
    info: RoundInfo,
    paths: Sequence[Path | str],
    unsaved: str,
) -> EarlyScoring | None:
    """Workers to score the applicants of large spreadsheets while they are read; None for
    small files (Evaluations.early_bytes together), one core, or a scorer of the caller's
    (which cannot be sent to another process)."""
    workers = import_workers() if evaluations.workers is None else evaluations.workers
    if (
        workers < 1
        or type(evaluations.scorer) is not RulebookScorer
        or spreadsheet_bytes(paths) < evaluations.early_bytes
    ):
        return None
    return EarlyScoring(store, evaluations, info, unsaved, workers, scoring_pool.PIECE, EARLY_AHEAD)


def scoring_key(info: RoundInfo) -> tuple[Any, ...]:
    """What of a round its scoring reads (zjtx.store.scoring_port.RulebookScorer)."""
    return (info.id, info.tier, info.round_date, info.rulebook, info.overlay, info.settings)


class EarlyScoring:
    """Workers started as an import's reading starts, given its applicants as rows are read.

    Rows are given before the data-quality gate, which may still change or block them; rows
    of applicants the round already holds are not given (an import scores only what changed).
    The import then takes the workers (zjtx.store.scoring_pool.PoolScoring) and every result
    whose applicant reached it with the values it was scored with, under the same round
    settings and rulebook and with no confirmation; any other applicant is scored as without
    this, and the stored bytes are the same either way.

    This process loads no rulebook while it reads: a rulebook's first results come back
    whole, and its texts (those stored, or taken from its first result) go with the pieces
    given after. The import stores texts taken from its own first applicant, as without
    this; a result compacted against other texts is compacted again against those. Rows come
    faster than workers score them: no more are given than the workers have room for, and
    no more than EARLY_MOST rows are held for the import; the rest wait for the import.
    """

    def __init__(
        self,
        store: Store,
        evaluations: Evaluations,
        info: RoundInfo,
        unsaved: str,
        workers: int,
        piece: int,
        ahead: int,
    ) -> None:
        self.store = store
        self.evaluations = evaluations
        self.info = info
        self.workers = workers
        self.piece = piece
        # Pieces being scored or queued, at most: enough for the workers to go on through
        # the gate's checks and the import's start, when no more rows come.
        self.ahead = workers * ahead
        self.waiting: list[Applicant] = []
        self.running: list[Future] = []
        self.unlearnt: list[Future] = []  # given before every texts were known, in order
        # Per code: the values scored and where its result will be (piece, position).
        self.given: dict[str, tuple[dict[str, Any], Future, int] | None] = {}
        # Per rulebook hash: the texts the workers compact against (never changed once set).
        self.texts: dict[str, dict[str, Any]] = {}
        self.known: set[str] = set()
        self.executor: Any = None
        try:
            self.known = self._round_codes()
            encode = store.dialect == "sqlite"
            self.executor = process_pool(workers, scoring_worker.start, (info, unsaved, encode))
            # A pool starts its processes at the first task: start them now, not at the first
            # rows (a workbook takes a while to open; so does a worker).
            for _ in range(workers):
                self.executor.submit(int)
        except Exception as exc:  # no process can start, or one died at once
            log.warning("评价进程无法启动，导入时在本进程评价：%s", exc)
            self.close()

    def _round_codes(self) -> set[str]:
        with self.store.session() as session:
            query = select(ApplicantRow.uscc).where(ApplicantRow.round_id == self.info.id)
            return set(session.scalars(query))

    def feed(self, applicants: Iterable[Applicant]) -> None:
        """Applicants as read (before the gate): given to the workers as they have room. A
        failure here stops the workers and leaves the scoring to the import."""
        if self.executor is None:
            return
        try:
            self._feed(applicants)
        except Exception as exc:  # whatever it is, the import scores what is not given
            log.warning("评价进程意外结束，导入时在本进程评价：%s", exc)
            self.close()

    def _feed(self, applicants: Iterable[Applicant]) -> None:
        self.running = [future for future in self.running if not future.done()]
        if self.unlearnt:
            self._learn_texts()
        # Until a first result has brought a rulebook's texts, a piece per worker: pieces
        # given without texts come back whole, for the import to compact.
        ahead = self.ahead if self.texts else self.workers
        room = min(
            (ahead - len(self.running)) * self.piece - len(self.waiting),
            EARLY_MOST - len(self.given) - len(self.waiting),
        )
        if room <= 0:  # the workers are busy: these rows wait for the import
            return
        # Copies: the gate may still clean a value in place.
        known = self.known
        self.waiting.extend(
            Applicant(dict(a.values))
            for a in islice(applicants, room)
            if a.uscc and a.uscc not in known
        )
        while len(self.waiting) >= self.piece and len(self.running) < ahead:
            piece, self.waiting = self.waiting[: self.piece], self.waiting[self.piece :]
            # The texts as they are now: the pool sends the piece later, from its own thread.
            texts = dict(self.texts)
            future = self.executor.submit(
                scoring_worker.score_jobs,
                self.info,
                scoring_worker.Packed([(a, ()) for a in piece]),
                texts,
            )
            self.running.append(future)
            if len(texts) < 2:  # a round has rulebooks for 新申报 and 复核 at most
                self.unlearnt.append(future)
            for offset, applicant in enumerate(piece):
                uscc = applicant.uscc
                if uscc not in self.given:
                    self.given[uscc] = (applicant.values, future, offset)
                elif (entry := self.given[uscc]) is not None and entry[0] != applicant.values:
                    self.given[uscc] = _AMBIGUOUS

    def _learn_texts(self) -> None:
        """The texts of each rulebook met in whole results, in the order the rows were read:
        as stored, or taken from its first result (most often the import's first applicant
        of that rulebook, whose result the import's texts are then taken from too)."""
        while self.unlearnt and self.unlearnt[0].done():
            future = self.unlearnt.pop(0)
            if future.cancelled() or future.exception() is not None:
                continue
            for item in future.result():
                if item.compacted or item.rulebook_hash in self.texts:
                    continue
                texts = self._stored_texts(item.rulebook_hash, item.rulebook)
                if texts is None:
                    # As the database would give them back: compared with the import's own.
                    texts = json.loads(json_text(extract_texts(item.result)))
                self.texts[item.rulebook_hash] = texts

    def _stored_texts(self, digest: str, rulebook_id: str) -> dict[str, Any] | None:
        try:
            with self.store.session() as session:
                return self.evaluations.texts(session, digest, rulebook_id)
        except StoreError:  # damaged: the import says so
            return None

    def usable(
        self, info: RoundInfo
    ) -> Callable[[tuple[Applicant, Sequence[Any]]], tuple[Future, int] | None]:
        """For an import of the round ``info``: a job's result scored here (its piece and
        position), or None where the job must be scored anew. A result is taken once."""
        same_round = scoring_key(info) == scoring_key(self.info)

        def taken(job: tuple[Applicant, Sequence[Any]]) -> tuple[Future, int] | None:
            applicant, confirmations = job
            if confirmations or not same_round:
                return None
            entry = self.given.get(applicant.uscc)
            if entry is None or entry[0] != applicant.values:
                return None
            del self.given[applicant.uscc]  # its memory goes with the result written
            return entry[1], entry[2]

        return taken

    def agrees(self, rulebook_hash: str, texts: dict[str, Any] | None) -> bool:
        """Whether results compacted here for a rulebook were compacted against ``texts``."""
        return self.texts.get(rulebook_hash) == texts

    def recompacted(self, item: Scored, texts: dict[str, Any]) -> Scored:
        """A result compacted here, compacted against ``texts`` instead (what the import
        stores for its rulebook): expanding gives back the whole result exactly."""
        result = item.result
        if isinstance(result, JSONText):
            result = json.loads(result.text)
        whole = expand(result, self.texts[item.rulebook_hash])
        return replace(item, result=compact(whole, texts))

    def close(self, wait: bool = True) -> None:
        """Stop the workers (what they had not finished is scored by the import, if asked);
        without ``wait``, they end by themselves (the window's thread must not wait)."""
        self.waiting = []
        if self.executor is not None:
            executor, self.executor = self.executor, None
            if executor._broken:
                kill_workers(executor)
            executor.shutdown(wait=wait, cancel_futures=True)
