"""How the store asks zjtx.scoring for an evaluation (one place to adapt if the API moves)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from zjtx.domain.applicant import Applicant
from zjtx.domain.labels import declared_type
from zjtx.domain.results import Confirmation, Evaluation
from zjtx.scoring import NoRulebookError, UnknownNameError, evaluate, rulebook_for
from zjtx.scoring.errors import did_you_mean
from zjtx.scoring.selection import selection_state
from zjtx.scoring.type_unknown import settled
from zjtx.store.dto import RoundInfo
from zjtx.store.errors import ReviewRuleError


class Scorer(Protocol):
    """Evaluates one applicant of a round, with the evaluators' confirmations."""

    def __call__(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation: ...


def _application_type(applicant: Applicant) -> str:
    return declared_type(applicant.get("application_type")) or "new"


class RulebookScorer:
    """Scores with the bundled rulebooks: the round's fixed rulebook, or the one its tier and
    date call for with each applicant's own application type (新申报 and 复核 may differ)."""

    def __init__(self) -> None:
        self._rulebooks: dict[tuple[Any, ...], Any] = {}

    def rulebook_for(self, applicant: Applicant, round_info: RoundInfo) -> Any:

        application_type = _application_type(applicant)
        # Kept per state of the installed files: one installed since (here, in the window, or
        # by another process) governs the applicants scored after it.
        key = (round_info.id, round_info.rulebook, round_info.tier, round_info.round_date,
               round_info.overlay, application_type, selection_state())  # fmt: skip
        rulebook = self._rulebooks.get(key)
        if rulebook is None:
            rulebook = rulebook_for(
                applicant,
                round_date=round_info.round_date,
                tier=None if round_info.rulebook else round_info.tier,
                rulebook_id=round_info.rulebook,
                overlay=round_info.overlay,
            )
            self._rulebooks[key] = rulebook
        return rulebook

    def governing(self, applicant: Applicant, round_info: RoundInfo) -> Any:
        """The rulebook that governs the applicant now, or None where none does (scoring it
        then raises what is wrong, naming the applicant): what an evaluation already stored
        is compared with."""
        try:
            return self.rulebook_for(applicant, round_info)
        except (LookupError, ValueError):
            return None

    def governing_type(self, application_type: str, round_info: RoundInfo) -> Any:
        """The rulebook that governs the round's applicants of that type now, or None."""
        return self.governing(Applicant({"application_type": application_type}), round_info)

    def __call__(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation:
        # Of no 申报类型: as 新申报, and 待定 where a 复核 would fare otherwise.
        return settled(
            applicant,
            self._scored(applicant, round_info, confirmations),
            self.rulebook_for(applicant, round_info),
            lambda renewal: self._scored(renewal, round_info, confirmations),
        )

    def _scored(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation:
        rulebook = self.rulebook_for(applicant, round_info)
        # A round setting concerns the rulebooks that know it (e.g. the growth waiver exists
        # only in the renewal rulebook); create_round has checked that some rulebook does.
        settings = {k: v for k, v in round_info.settings.items() if k in rulebook.settings}
        # A confirmation outlives the rulebook version it was made under: one of a criterion
        # a newer version removed or renamed is set aside, and the evaluation says so.
        known = [c for c in confirmations if c.criterion_id in rulebook.by_id]
        evaluation = evaluate(
            applicant,
            rulebook,
            round_date=round_info.round_date,
            confirmations=known,
            settings=settings,
        )
        if len(known) == len(confirmations):
            return evaluation
        gone = sorted({c.criterion_id for c in confirmations} - set(rulebook.by_id))
        note = (
            f"评审人对 {'、'.join(gone)} 的确认未采用：现行评价标准（{rulebook.id} "
            f"{rulebook.version}）中已没有{'这些' if len(gone) > 1 else '该'}条目，"
            "请按现行条目重新确认"
        )
        return replace(evaluation, notes=(*evaluation.notes, note))

    def preload(self, round_info: RoundInfo) -> None:
        """Load (and use once) the rulebooks a round's applicants can need, before the first
        applicant arrives; a round no rulebook applies to is left to the applicant's error."""
        for application_type in ("new", "renewal"):
            probe = Applicant(values={"application_type": application_type})
            try:
                self(probe, round_info, ()).to_dict()  # its explanations render on first use
            except Exception:  # an applicant's own scoring says what is wrong
                continue

    def check_round(self, round_info: RoundInfo) -> None:
        """Refuse a round no rulebook applies to, or a setting none of its rulebooks knows."""

        known: dict[str, str] = {}
        problems: list[str] = []
        for application_type in ("new", "renewal"):
            probe = Applicant(values={"application_type": application_type})
            try:
                rulebook = self.rulebook_for(probe, round_info)
            except (NoRulebookError, UnknownNameError) as exc:
                problems.append(str(exc))
                continue
            known.update({name: s.label for name, s in rulebook.settings.items()})
        if len(problems) == 2:
            raise ReviewRuleError("；".join(dict.fromkeys(problems)))
        for name, value in round_info.settings.items():
            if name not in known:
                hint = did_you_mean(name, known)
                available = "、".join(f"{k}（{v}）" for k, v in known.items()) or "无"
                raise ReviewRuleError(
                    f"该批次的评价标准没有设置 “{name}”"
                    + (f"，您是不是要写 “{hint}”？" if hint else "")
                    + f"可用设置：{available}"
                )
            if not isinstance(value, bool):
                raise ReviewRuleError(f"批次设置 {name} 只能是 true 或 false，收到 {value!r}")


def round_catalogue(scorer: Scorer, round_info: RoundInfo) -> Any:
    """The questions as a round asks them of a new applicant: the field catalogue of the
    rulebook that governs it (an overlay's own fields joined, a notice's wording of a question,
    e.g. the 2026 incidents question); the bundled catalogue where no rulebook governs it or
    the scorer is not the rulebooks'."""
    from zjtx.scoring.catalogue import load_catalogue

    governing = scorer.governing_type if isinstance(scorer, RulebookScorer) else None
    rulebook = governing("new", round_info) if governing is not None else None
    return load_catalogue() if rulebook is None else rulebook.catalogue


def round_template(scorer: Scorer, round_info: RoundInfo) -> tuple[Any, str]:
    """What a round's templates ask and whom for: its catalogue (round_catalogue) cut to the
    fields its rulebooks read, its reports print and its title is given for (fields_asked),
    and the tier's name (制造业单项冠军企业); every field, where no rulebook governs it."""
    from zjtx.scoring.fields_asked import tier_template

    return tier_template(
        round_catalogue(scorer, round_info),
        round_info.tier,
        round_info.round_date,
        round_info.rulebook,
        round_info.overlay,
    )
