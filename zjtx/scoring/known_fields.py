"""A field by key wherever it is defined: the bundled catalogue, or a provincial overlay's own."""

from __future__ import annotations

from zjtx.domain.fields import FieldSpec
from zjtx.scoring.catalogue import load_catalogue
from zjtx.scoring.definitions import list_overlay_ids
from zjtx.scoring.errors import DataFileError, UnknownNameError
from zjtx.scoring.loader import load_overlay, load_rulebook


def known_field(key: str) -> FieldSpec | None:
    """The field ``key`` names, for showing its label where no round says which questions
    apply (a stored applicant's figures, the trail): the bundled catalogue's, else the first
    overlay's (bundled or installed) that adds it, such as 山东's sd_*; None when none does.

    Overlays are loaded once and cached by their files; one that does not load is passed over
    (its fields then show by key, as before it was installed)."""
    spec = load_catalogue().get(key)
    if spec is not None:
        return spec
    for overlay_id in list_overlay_ids():
        try:
            catalogue = load_rulebook(load_overlay(overlay_id).extends, overlay_id).catalogue
        except (DataFileError, UnknownNameError, OSError):
            continue
        spec = catalogue.get(key)
        if spec is not None:
            return spec
    return None
