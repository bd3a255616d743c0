"""What a printed output needs besides the evaluation: its field labels and instrument number."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.results import Evaluation
from zjtx.scoring import DataFileError, UnknownNameError, load_catalogue, load_rulebook


def catalogue_of(evaluation: Evaluation) -> FieldCatalogue:
    """The field catalogue the evaluation was made with (an overlay's own fields, such as
    山东 sd_*, included)."""
    if evaluation.overlay is None:
        return load_catalogue()
    return load_rulebook(evaluation.rulebook, evaluation.overlay).catalogue  # cached


@cache
def document_number(rulebook_id: str) -> str | None:
    """The document number of a rulebook's instrument (e.g. 工信部企业〔2022〕63号), if known."""
    try:
        number = load_rulebook(rulebook_id).instrument.get("number")
    except (UnknownNameError, DataFileError):
        return None
    return str(number) if number else None


def round_catalogue(evaluations: Sequence[Evaluation]) -> FieldCatalogue:
    """The catalogue of a round's outputs (one rulebook per round), or the bundled one when
    there is nothing to print."""
    return catalogue_of(evaluations[0]) if evaluations else load_catalogue()
