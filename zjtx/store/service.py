"""The store's front for the CLI and the window: one method per operation, each delegating to
the part of the store that does it (rounds, imports, evaluations, reviews, listing, audit)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from zjtx.store import audit, rescoring
from zjtx.store.audit import ROLE_LABELS, ROLES
from zjtx.store.bulk import gc_paused
from zjtx.store.common import Cancel, Progress, find_round
from zjtx.store.dto import (
    ApplicantDetail,
    ApplicantRow,
    FileImport,
    HistoryEntry,
    RefusedSubmission,
    RescoreReport,
    ReviewState,
    RoundInfo,
    RoundStatistics,
    RulebookUpdate,
)
from zjtx.store.early_scoring import EarlyScoring, start_early_scoring
from zjtx.store.engine import Store
from zjtx.store.evaluations import Evaluations
from zjtx.store.imports import UNSAVED, Imports
from zjtx.store.listing import Listing
from zjtx.store.registry import Registry
from zjtx.store.registry_recheck import recheck_due
from zjtx.store.reviews import Reviews
from zjtx.store.rounds import RoundRestored, Rounds
from zjtx.store.scoring_port import RulebookScorer, Scorer, round_catalogue, round_template

if TYPE_CHECKING:
    from zjtx.domain.fields import FieldCatalogue
    from zjtx.intake.records import FileResult

__all__ = ["ROLES", "ROLE_LABELS", "ReviewOptions", "StoreService"]


class ReviewOptions(TypedDict, total=False):
    """Who saves a review change and which review version they saw (see apply_review)."""

    evaluator: str | None
    expected_version: int | None


class StoreService:
    """The operations the CLI and the GUI perform, each in one database session.

    Args:
        store: an open store (see zjtx.store.open_store).
        scorer: evaluates applicants; by default the bundled rulebooks via zjtx.scoring.
    """

    def __init__(self, store: Store, *, scorer: Scorer | None = None) -> None:
        self.store = store
        self.evaluations = Evaluations(scorer or RulebookScorer())
        self.rounds = Rounds(store, self.evaluations)
        self.imports = Imports(store, self.evaluations)
        self.reviews = Reviews(store, self.evaluations)
        self.listing = Listing(store, self.evaluations)
        self.registry = Registry(store, self.evaluations)  # the register (培育库)

    @property
    def scorer(self) -> Scorer:
        """What evaluates applicants (imports, rescoring, reviews, reports)."""
        return self.evaluations.scorer

    @scorer.setter
    def scorer(self, scorer: Scorer) -> None:
        self.evaluations.scorer = scorer

    # ----------------------------------------------------------------- evaluators and rounds

    def set_evaluator_role(self, name: str, role: str, *, evaluator: str | None = None) -> None:
        """Make someone an evaluator (评审员) or the chair (评审组长); recorded in the trail."""
        self.rounds.set_evaluator_role(name, role, evaluator)

    def create_round(
        self,
        name: str,
        *,
        tier: str,
        round_date: date,
        region: str | None = None,
        rulebook: str | None = None,
        overlay: str | None = None,
        settings: dict[str, Any] | None = None,
        evaluator: str | None = None,
    ) -> RoundInfo:
        """Create a round (批次); names are unique."""
        return self.rounds.create(
            name,
            tier=tier,
            round_date=round_date,
            region=region,
            rulebook=rulebook,
            overlay=overlay,
            settings=settings,
            evaluator=evaluator,
        )

    def list_rounds(self, *, include_archived: bool = False) -> list[RoundInfo]:
        """The rounds (archived ones only if asked), newest round date first, with their
        applicant counts."""
        return self.rounds.list_rounds(include_archived)

    def rename_round(self, old: str, new: str, *, evaluator: str | None = None) -> RoundInfo:
        """Give a round a new (unique) name; the audit trail keeps the old one."""
        return self.rounds.rename(old, new, evaluator)

    def archive_round(self, name: str, *, evaluator: str | None = None) -> RoundInfo:
        """Archive a round: it becomes read-only and leaves the default round list."""
        return self.rounds.set_archived(name, True, evaluator)[0]

    def restore_round(self, name: str, *, evaluator: str | None = None) -> RoundRestored:
        """Bring an archived round back: it can be imported into and reviewed again, and is
        checked against the register as it now stands."""
        return RoundRestored(*self.rounds.set_archived(name, False, evaluator))

    def ensure_open(self, round_name: str, doing: str = "修改") -> None:
        """Raise RoundArchivedError if the round is archived (e.g. before reading input files)."""
        self.rounds.ensure_open(round_name, doing)

    def get_round(self, name: str) -> RoundInfo:
        """One round with its applicant count (NotFoundError names the closest round)."""
        return self.rounds.get(name)

    def round_catalogue(self, name: str) -> FieldCatalogue:
        """The questions as the round asks them (scoring_port.round_catalogue): what its
        imports read."""
        return round_catalogue(self.scorer, self.get_round(name))

    def round_template(self, name: str) -> tuple[FieldCatalogue, str]:
        """What the round's templates ask, and the tier they are titled for
        (scoring_port.round_template)."""
        return round_template(self.scorer, self.get_round(name))

    # ----------------------------------------------------------------------------- import

    def read_files(
        self,
        round_name: str,
        paths: Sequence[Path | str],
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        mapping_overrides: Sequence[Any] = (),
        hints: Any = None,
        intake_options: dict[str, Any] | None = None,
        early: EarlyScoring | None = None,
    ) -> list[FileResult]:
        """Read input files for a round with zjtx.intake (rosters, forms and JSON).

        ``mapping_overrides`` (zjtx.intake.ColumnOverride) are the evaluator's corrections of
        roster columns, passed to read_applicants; ``hints`` (zjtx.intake.hints) word the
        issues for the caller (the command line by default, or the import wizard);
        ``intake_options`` are further keywords of read_applicants (``readings``, ``profiles``);
        ``early`` (see early_scoring) is given the applicants as rows are read. Files are read
        with the round's catalogue: an overlay's own fields, and a question a notice words
        anew, are read too.
        """
        info = self.get_round(round_name)
        options = {"catalogue": round_catalogue(self.scorer, info), **(intake_options or {})}
        return self.imports.read_files(
            info, paths, progress, cancel, mapping_overrides, hints, options, early
        )

    @contextmanager
    def early_scoring(
        self, round_name: str, paths: Sequence[Path | str]
    ) -> Iterator[EarlyScoring | None]:
        """Workers that score a large file's applicants while it is read (read_files with
        ``early=``) for its import to take (import_file with ``early=``), stopped at the end;
        None where an import would not use workers at all."""
        early = self.start_early_scoring(round_name, paths)
        try:
            yield early
        finally:
            if early is not None:
                early.close()

    def start_early_scoring(
        self, round_name: str, paths: Sequence[Path | str]
    ) -> EarlyScoring | None:
        """early_scoring for a caller that reads and imports in separate steps (the window's
        import dialog): it closes what it gets (EarlyScoring.close) when it is done."""
        info = self.get_round(round_name)
        return start_early_scoring(self.store, self.evaluations, info, paths, UNSAVED)

    def import_paths(
        self,
        round_name: str,
        paths: Sequence[Path | str],
        *,
        evaluator: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        mapping_overrides: Sequence[Any] = (),
    ) -> list[FileImport]:
        """Read files (with the evaluator's column corrections) and import each in its own
        transaction; a large file is scored as it is read."""
        with self.early_scoring(round_name, paths) as early:
            files = self.read_files(
                round_name, paths, cancel=cancel, mapping_overrides=mapping_overrides, early=early
            )
            return [
                self.import_file(
                    round_name,
                    item,
                    evaluator=evaluator,
                    progress=progress,
                    cancel=cancel,
                    early=early,
                )
                for item in files
            ]

    def import_file(
        self,
        round_name: str,
        file: FileResult,
        *,
        evaluator: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        early: EarlyScoring | None = None,
    ) -> FileImport:
        """Import one read file into a round in one transaction, scoring what changed.

        Re-importing a file already imported into the round changes nothing, unless it was read
        with a corrected column mapping: then it is imported again over its record. The file is
        merged over an applicant already stored (zjtx.store.merging): the fields it holds take
        its values, the others keep theirs. An applicant whose values are unchanged keeps its
        version; a changed one gets a new version (the old one stays) and a new evaluation. A
        failure or cancellation leaves the round as it was.
        """
        return self.imports.import_file(round_name, file, evaluator, progress, cancel, early)

    # ---------------------------------------------------------------------------- rescore

    def registry_recheck_due(self, round_name: str) -> str | None:
        """Why the round's register warnings should be checked again (an older zjtx gave
        them; zjtx registry recheck does it), or None."""
        with self.store.session() as session:
            return recheck_due(session, find_round(session, round_name))

    def rulebook_update(self, round_name: str) -> RulebookUpdate | None:
        """How many applicants of the round were evaluated under an older rulebook than the
        one in force now, and which (None when all are up to date)."""
        with self.store.session() as session:
            return rescoring.rulebook_update(self.evaluations, session, round_name)

    def rescore(
        self,
        round_name: str,
        *,
        evaluator: str | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> RescoreReport:
        """Re-evaluate every applicant; a new evaluation is stored only when the rulebook or
        the inputs changed (old evaluations are kept). Cancelling raises RescoreCancelled."""
        with gc_paused(), self.store.write_session() as session:
            return rescoring.rescore(
                self.evaluations, session, round_name, evaluator, progress, cancel
            )

    # ----------------------------------------------------------------------------- review

    def review_state(self, round_name: str, uscc: str) -> ReviewState:
        """The review of one applicant with the version counter to send back when saving."""
        return self.reviews.review_state(round_name, uscc)

    def confirm_criterion(
        self,
        round_name: str,
        uscc: str,
        criterion_id: str,
        state: str,
        reason: str,
        **options: Unpack[ReviewOptions],
    ) -> ReviewState:
        """Confirm a judgement item, or override a computed criterion, with a reason."""
        confirm = [(criterion_id, state)]
        return self.apply_review(round_name, uscc, confirm=confirm, reason=reason, **options)

    def acknowledge_warning(
        self, round_name: str, uscc: str, key: str, reason: str, **options: Unpack[ReviewOptions]
    ) -> ReviewState:
        """Acknowledge an import warning of the applicant's current data (its key, or a code
        for each warning of it), with a reason."""
        return self.apply_review(round_name, uscc, ack_warnings=[key], reason=reason, **options)

    def decide(
        self,
        round_name: str,
        uscc: str,
        decision: str,
        opinion: str,
        **options: Unpack[ReviewOptions],
    ) -> ReviewState:
        """Record the decision 推荐 / 不推荐 / 退回补充材料 with the review opinion."""
        return self.apply_review(round_name, uscc, decision=decision, opinion=opinion, **options)

    def apply_review(
        self,
        round_name: str,
        uscc: str,
        *,
        evaluator: str | None = None,
        confirm: Sequence[tuple[str, str]] = (),
        ack_warnings: Sequence[str] = (),
        reason: str | None = None,
        decision: str | None = None,
        opinion: str | None = None,
        expected_version: int | None = None,
    ) -> ReviewState:
        """Save review changes for one applicant in one transaction.

        Args:
            confirm: (criterion id, ``met`` or ``unmet``) pairs: a judgement item is confirmed,
                any other criterion is overridden; both need ``reason``.
            ack_warnings: import warnings to acknowledge, each by its key (Issue.key: code and
                field or place) or by a code for every warning of it; they need ``reason``.
            decision: ``recommend``, ``reject`` or ``return``; needs ``opinion`` (or ``reason``).
            expected_version: the review version the evaluator saw; if someone saved in
                between, ConflictError says what they changed and nothing is saved.
        """
        return self.reviews.apply(
            round_name,
            uscc,
            evaluator=evaluator,
            confirm=confirm,
            ack_warnings=ack_warnings,
            reason=reason,
            decision=decision,
            opinion=opinion,
            expected_version=expected_version,
        )

    # ---------------------------------------------------------------------------- listing

    def list_applicants(
        self,
        round_name: str,
        *,
        verdict: str | None = None,
        decision: str | None = None,
        status: str | None = None,
        application_type: str | None = None,
        open_items: str | None = None,
        region: str | None = None,
        search: str | None = None,
        sort: str = "rank",
        descending: bool = False,
    ) -> list[ApplicantRow]:
        """The round table: every applicant with its latest evaluation and review state.

        Args:
            verdict / decision / status / application_type: keep only matching rows
                (``decision="none"`` keeps the undecided).
            open_items: ``judgements``, ``warnings`` or ``outdated`` (see ApplicantFilter).
            region: a province, city or county (所在省 / 市 / 区县) the applicant is in.
            search: part of the name or the 统一社会信用代码.
            sort: ``rank`` (score, highest first), ``name``, ``uscc``, ``verdict``,
                ``decision``, ``status`` or ``updated`` (SortKeyError for another).
        """
        return self.listing.list_applicants(
            round_name,
            verdict=verdict,
            decision=decision,
            status=status,
            application_type=application_type,
            open_items=open_items,
            region=region,
            search=search,
            sort=sort,
            descending=descending,
        )

    def applicant_detail(self, round_name: str, uscc: str) -> ApplicantDetail:
        """One applicant: current values with provenance, all versions and the review."""
        return self.listing.applicant_detail(round_name, uscc)

    def round_details(
        self,
        round_name: str,
        usccs: Sequence[str] | None = None,
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        chunk: int = 200,
    ) -> Iterator[ApplicantDetail]:
        """Every applicant of a round (or the given ones, in that order) as applicant_detail
        gives it, read in one session a chunk at a time: for exports of a whole round.

        The default order is the round table's (list_applicants: by rank). ``cancel`` is
        polled before each chunk and raises ReadCancelled; ``progress(done, total)`` follows
        each applicant handed out. The session stays open while the caller consumes the
        iterator, so consume it promptly (one export) and never change the round meanwhile.
        An SQLite file is checked first (PRAGMA quick_check): a damaged one is reported before
        an export starts, naming the backup to restore.
        """
        return self.listing.round_details(round_name, usccs, progress, cancel, chunk)

    def statistics(self, round_name: str) -> RoundStatistics:
        """Counts by verdict, decision and review status, plus files, versions and open items."""
        return self.listing.statistics(round_name)

    def refused_submissions(self, round_name: str) -> list[RefusedSubmission]:
        """Submissions the gate refused that no later file has imported (for the 补正清单)."""
        return self.listing.refused_submissions(round_name)

    def history(self, round_name: str, uscc: str | None = None) -> list[HistoryEntry]:
        """The audit trail of a round, or of one applicant in it, oldest first."""
        with self.store.session() as session:
            return audit.history(session, round_name, uscc)
