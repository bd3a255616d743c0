"""A field by key wherever it is defined: the bundled catalogue, or a provincial overlay's own."""

from __future__ import annotations

from functools import cache

from zjtx.domain.fields import FieldSpec
from zjtx.scoring.catalogue import load_catalogue
from zjtx.scoring.definitions import installed_state, list_overlay_ids
from zjtx.scoring.errors import DataFileError, UnknownNameError
from zjtx.scoring.loader import load_overlay, load_rulebook


def known_field(key: str) -> FieldSpec | None:
    """The field ``key`` names, for showing its label where no round says which questions
    apply (a stored applicant's figures, the trail): the bundled catalogue's, else the first
    overlay's (bundled or installed) that adds it, such as 山东's sd_*; None when none does.

    The overlays' own fields are gathered once per state of the installed folders (a table
    repaints call this per cell); one that does not load is passed over (its fields then
    show by key, as before it was installed)."""
    spec = load_catalogue().get(key)
    if spec is not None:
        return spec
    return _overlay_fields(installed_state()).get(key)


@cache
def _overlay_fields(state: tuple[object, ...]) -> dict[str, FieldSpec]:
    """Every overlay's own fields by key (the first overlay to add a key wins)."""
    bundled = load_catalogue()
    fields: dict[str, FieldSpec] = {}
    for overlay_id in list_overlay_ids():
        try:
            catalogue = load_rulebook(load_overlay(overlay_id).extends, overlay_id).catalogue
        except (DataFileError, UnknownNameError, OSError):
            continue
        for spec in catalogue:
            if spec.key not in bundled:
                fields.setdefault(spec.key, spec)
    return fields
