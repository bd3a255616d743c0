"""Scoring an import's applicants chunk by chunk: in this process, or on worker processes."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import Confirmation
from zjtx.store import scoring_worker
from zjtx.store.dto import RoundInfo
from zjtx.store.evaluations import Evaluations
from zjtx.store.scored import Scored
from zjtx.store.scoring_port import RulebookScorer
from zjtx.workers import default_workers, kill_workers, process_pool

if TYPE_CHECKING:
    from zjtx.store.early_scoring import EarlyScoring

log = logging.getLogger(__name__)

Job = tuple[Applicant, Sequence[Confirmation]]
# Beyond this many workers the one writing process is what an import waits for (it writes as
# long as two workers score), and each worker is a process of its own (about 40 MB here).
MOST_WORKERS = 3
# Applicants a worker scores at a time (a tenth of a second here), and pieces each worker has
# queued behind the one it scores: small enough that this process, scoring one while it would
# wait, never keeps a worker idle for long; queued so a worker goes on while this one writes.
PIECE = 100
AHEAD = 2
HELD = 4  # times ``ahead``: pieces scored ahead of the writer, at most (their memory)


def import_workers() -> int:
    """Worker processes for a large import: one per core but the importing process's own
    (which writes, and scores while it would wait), at most MOST_WORKERS; 0 on one core."""
    return min(default_workers() - 1, MOST_WORKERS)


class ChunkScoring:
    """Scores a file's chunks of applicants in this process, each when it is asked for."""

    def __init__(
        self,
        evaluations: Evaluations,
        session: Session,
        info: RoundInfo,
        unsaved: str,
        chunks: list[list[Job]],
    ):
        self.evaluations = evaluations
        self.session = session
        self.info = info
        self.unsaved = unsaved
        self.chunks = chunks

    def scored(self, index: int) -> list[Scored]:
        """The evaluations of chunk ``index``, as the store writes them (ask in order)."""
        return self._here(index)

    def _here(self, index: int) -> list[Scored]:
        jobs, self.chunks[index] = self.chunks[index], []
        return self._score(jobs)

    def _score(self, jobs: Sequence[Job]) -> list[Scored]:
        """The jobs evaluated in this process, as the store writes them."""
        evaluations, session, info, unsaved = (
            self.evaluations,
            self.session,
            self.info,
            self.unsaved,
        )
        return [
            evaluations.stored(session, evaluations.score(applicant, info, items, unsaved))
            for applicant, items in jobs
        ]

    def close(self) -> None:
        pass


class PoolScoring(ChunkScoring):
    """Scores a file's applicants in worker processes ahead of this process writing them.

    The workers evaluate, render and compact exactly as this process would (the same code on
    the same rulebooks and texts) and send back what the store writes. They are given pieces
    of PIECE applicants, AHEAD each queued behind the one they score, so that no core waits
    long: while a piece this process needs is still being scored, it scores the next piece
    no worker has been given rather than wait. Should the pool fail (a worker killed, no
    process can start), the remaining pieces are scored here. Workers started while the file
    was read (``early``) are borrowed, with the results they already have.
    """

    def __init__(
        self,
        evaluations: Evaluations,
        session: Session,
        info: RoundInfo,
        unsaved: str,
        chunks: list[list[Job]],
        workers: int,
        early: EarlyScoring | None = None,
    ):
        super().__init__(evaluations, session, info, unsaved, chunks)
        self.texts = self._rulebook_texts([job for chunk in chunks for job in chunk])
        # What the workers scored while the file was read (zjtx.store.early_scoring), by the
        # position of its job in each chunk; the other jobs are cut into pieces.
        taken = early.usable(info) if early is not None else None
        self.early: list[dict[int, Any]] = []
        self.pieces: list[list[Job]] = []
        self.chunk_pieces: list[range] = []
        for chunk in chunks:
            handles = {}
            rest = []
            for position, job in enumerate(chunk):
                handle = taken(job) if taken is not None else None
                if handle is None:
                    rest.append(job)
                else:
                    handles[position] = handle
            self.early.append(handles)
            start = len(self.pieces)
            self.pieces.extend(rest[i : i + PIECE] for i in range(0, len(rest), PIECE))
            self.chunk_pieces.append(range(start, len(self.pieces)))
        self.ahead = workers * (AHEAD + 1)  # pieces being scored or queued by the workers
        self.held = self.ahead * HELD  # pieces scored and waiting to be written, at most
        self.futures: dict[int, Future] = {}
        self.done_here: dict[int, list[Scored] | Exception] = {}  # scored here, ahead
        self.first_waiting = 0  # pieces from here on are given to no one yet
        self.executor: Any = None
        self.borrowed = early  # whose workers these are, if they were started for reading
        if early is not None:
            self.executor = early.executor
        else:
            try:
                # SQLite stores a result's JSON text as the worker encoded it; PostgreSQL takes
                # rows as one JSON document, so there the worker sends the result itself.
                encode = session.get_bind().dialect.name == "sqlite"
                self.executor = process_pool(workers, scoring_worker.start, (info, unsaved, encode))
            except OSError as exc:  # pragma: no cover - the system refuses new processes
                log.warning("评价进程无法启动，改在本进程评价：%s", exc)
        self._give_out()

    def _rulebook_texts(self, jobs: Sequence[Job]) -> dict[str, dict[str, Any]]:
        """The texts of every rulebook the jobs use, stored first if new (a rulebook's first
        result, evaluated here, becomes its texts), so that workers compact every result."""
        scorer, evaluations, session = self.evaluations.scorer, self.evaluations, self.session
        assert isinstance(scorer, RulebookScorer)
        texts: dict[str, dict[str, Any]] = {}
        for applicant, items in jobs:
            try:
                rulebook = scorer.rulebook_for(applicant, self.info)
            except (LookupError, ValueError):
                continue  # the worker scoring it raises the error, in order
            if rulebook.hash in texts:
                continue
            found = evaluations.texts(session, rulebook.hash, rulebook.id)
            if found is None:
                sample = evaluations.score(applicant, self.info, items, self.unsaved).to_dict()
                found = evaluations.texts(session, rulebook.hash, rulebook.id, sample)
            if found is not None:
                texts[rulebook.hash] = found
        return texts

    def _give_out(self) -> None:
        """Give the workers the next waiting pieces: up to ``ahead`` being scored or queued,
        and no more than ``held`` not yet written."""
        futures = self.futures
        while (
            self.executor is not None
            and self.first_waiting < len(self.pieces)
            and len(futures) < self.held
            and sum(1 for f in futures.values() if not f.done()) < self.ahead
        ):
            index = self.first_waiting
            plain = scoring_worker.Packed(
                (Applicant(dict(a.values)), tuple(items)) for a, items in self.pieces[index]
            )
            try:
                future = self.executor.submit(
                    scoring_worker.score_jobs, self.info, plain, self.texts
                )
            except (BrokenProcessPool, RuntimeError, OSError) as exc:
                self._give_up(exc)
                return
            futures[index] = future
            self.first_waiting += 1

    def scored(self, index: int) -> list[Scored]:
        handles = self.early[index]  # the chunk's jobs scored while reading, by position
        pieces = iter(self.chunk_pieces[index])  # the others, in order
        from_piece: Iterator[Scored] = iter(())
        done: list[Scored] = []
        # In the chunk's order: of two applicants that cannot be scored, the first is named.
        for position, job in enumerate(self.chunks[index]):
            if position in handles:
                done.append(self._early(handles[position], job))
                continue
            item = next(from_piece, None)
            if item is None:
                from_piece = iter(self._piece(next(pieces)))
                self._give_out()
                item = next(from_piece)
            done.append(item)
        self.chunks[index] = []
        return done

    def _early(self, handle: tuple[Future, int], job: Job) -> Scored:
        """A job scored while its file was read. Scored here if its piece failed there (an
        applicant the gate then blocked may be one a rulebook cannot judge: scoring it here
        raises what is wrong with this one) or if it was scored under another rulebook (one
        installed meanwhile); compacted again if against other texts than this import's."""
        future, offset = handle
        early = self.borrowed
        assert early is not None
        try:
            item = future.result()[offset]
        except Exception:  # scored again here, which raises what is wrong with this one
            return self._score([job])[0]
        if not self._current(item, job):
            return self._score([job])[0]
        texts = self.texts.get(item.rulebook_hash)
        if item.compacted and not early.agrees(item.rulebook_hash, texts):
            if texts is None:
                return self._score([job])[0]
            item = early.recompacted(item, texts)
        return self.evaluations.finished(self.session, item)

    def _piece(self, index: int) -> list[Scored]:
        if index in self.done_here:
            done = self.done_here.pop(index)
            if isinstance(done, Exception):
                raise done
            return done
        future = self.futures.pop(index, None)
        if future is None:  # given to no one (the pool has failed, or is behind): scored here
            self.first_waiting = max(self.first_waiting, index + 1)
            return self._here_piece(index)
        while not future.done() and self.first_waiting < len(self.pieces):
            waiting = self.first_waiting
            self.first_waiting += 1
            try:
                self.done_here[waiting] = self._here_piece(waiting)
            except Exception as exc:
                # An applicant of a later piece cannot be scored: said when its piece comes,
                # so that an earlier one that cannot either is named first, as in one process.
                self.done_here[waiting] = exc
                break
            self._give_out()
        try:
            done = future.result()
        except (BrokenProcessPool, OSError) as exc:
            self._give_up(exc)
            return self._here_piece(index)
        jobs, self.pieces[index] = self.pieces[index], []
        finished = self.evaluations.finished
        return [
            finished(self.session, item) if self._current(item, job) else self._score([job])[0]
            for item, job in zip(done, jobs, strict=True)
        ]

    def _current(self, item: Scored, job: Job) -> bool:
        """Whether a worker scored the job under the rulebook this process would choose: one
        installed since the worker chose its rulebooks governs the job, which is then scored
        here (as is one this process finds no rulebook for: scoring it raises what is wrong,
        naming the applicant)."""
        scorer = self.evaluations.scorer
        assert isinstance(scorer, RulebookScorer)
        rulebook = scorer.governing(job[0], self.info)
        return rulebook is not None and rulebook.hash == item.rulebook_hash

    def _here_piece(self, index: int) -> list[Scored]:
        jobs, self.pieces[index] = self.pieces[index], []
        return self._score(jobs)

    def _give_up(self, exc: BaseException) -> None:
        log.warning("评价进程意外结束，其余企业改在本进程评价：%s", exc)
        if self.executor is not None:
            kill_workers(self.executor)
        if self.borrowed is not None:
            self.borrowed.close()
        self.close()

    def close(self) -> None:
        if self.executor is not None:
            executor, self.executor = self.executor, None
            if self.borrowed is None:
                executor.shutdown(wait=True, cancel_futures=True)
            else:  # the workers go on to the next file's import; only this file's work stops
                for future in self.futures.values():
                    future.cancel()
        # What the workers had not finished is scored here if it is still asked for.
        self.futures.clear()


def chunk_scoring(
    evaluations: Evaluations,
    session: Session,
    info: RoundInfo,
    unsaved: str,
    chunks: list[list[Job]],
    early: EarlyScoring | None = None,
) -> ChunkScoring:
    """Scoring for a file's chunks: on worker processes (``evaluations.workers``, by default
    import_workers()) when there are any, the file has enough applicants to be worth
    starting them, and the store scores with the bundled rulebooks (a scorer given by the
    caller runs here). Workers started while the file was read (``early``) are used, with
    what they scored, whatever the file's size."""
    if early is not None and early.executor is not None:
        return PoolScoring(evaluations, session, info, unsaved, chunks, early.workers, early)
    workers = import_workers() if evaluations.workers is None else evaluations.workers
    if (
        workers >= 1
        and sum(len(chunk) for chunk in chunks) >= evaluations.pool_minimum
        and type(evaluations.scorer) is RulebookScorer
    ):
        return PoolScoring(evaluations, session, info, unsaved, chunks, workers)
    return ChunkScoring(evaluations, session, info, unsaved, chunks)
