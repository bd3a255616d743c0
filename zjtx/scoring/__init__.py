"""Rulebooks, the field catalogue and the explainable evaluator (pure; reads only data files)."""

from zjtx.scoring.api import Cancelled, rulebook_for, score_applicant, score_applicants
from zjtx.scoring.catalogue import load_catalogue
from zjtx.scoring.definitions import TIERS, Rulebook, list_overlay_ids, list_rulebook_ids
from zjtx.scoring.errors import DataFileError, UnknownNameError
from zjtx.scoring.evaluator import evaluate, input_hash
from zjtx.scoring.loader import load_all_rulebooks, load_overlay, load_rulebook
from zjtx.scoring.selection import NoRulebookError, select_rulebook, select_rulebook_id

__all__ = [
    "TIERS",
    "Cancelled",
    "DataFileError",
    "NoRulebookError",
    "Rulebook",
    "UnknownNameError",
    "evaluate",
    "input_hash",
    "list_overlay_ids",
    "list_rulebook_ids",
    "load_all_rulebooks",
    "load_catalogue",
    "load_overlay",
    "load_rulebook",
    "rulebook_for",
    "score_applicant",
    "score_applicants",
    "select_rulebook",
    "select_rulebook_id",
]
