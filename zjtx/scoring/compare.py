"""Two rulebooks side by side: criteria paired by the correspondence their data declares."""

from __future__ import annotations

from dataclasses import dataclass

from zjtx.scoring.definitions import CORRESPONDENCE_KINDS, CriterionDef, Rulebook
from zjtx.scoring.loader import load_rulebook

# What a row of a comparison says about the change from the first rulebook to the second.
CHANGE_LABELS = {**CORRESPONDENCE_KINDS, "added": "新增", "removed": "删除"}
# A correspondence read from the newer rulebook's side, seen from the other side.
_REVERSED = {"same": "same", "changed": "changed", "split": "merged", "merged": "split"}


@dataclass(frozen=True, slots=True)
class CriterionPair:
    """One row of a comparison: a criterion of each rulebook, or of one only, and the change.

    ``how`` is a key of CHANGE_LABELS: same, changed, split, merged (both sides set), added
    (``new`` only) or removed (``old`` only).
    """

    old: CriterionDef | None
    new: CriterionDef | None
    how: str

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.how]

    @property
    def section(self) -> str:
        """对应, 新增 or 删除."""
        return {"added": "新增", "removed": "删除"}.get(self.how, "对应")


def compare_rulebooks(old_id: str, new_id: str) -> list[CriterionPair]:
    """Rows comparing rulebook ``old_id`` with ``new_id``: paired, then added, then removed.

    Pairs come only from `replaces` entries in either rulebook naming the other, so the
    comparison works in both directions (read backwards, a merge is a split). Criteria no
    entry names are added (only in ``new_id``) or removed (only in ``old_id``). Paired rows
    follow the order of ``old_id``; a rulebook compared with itself is all same.
    """
    old, new = load_rulebook(old_id), load_rulebook(new_id)
    if old.id == new.id:
        return [CriterionPair(c, c, "same") for c in old.criteria]
    links: dict[tuple[str, str], str] = {}
    for target, other, forwards in ((new, old, True), (old, new, False)):
        for criterion in target.criteria:
            link = criterion.replaces
            if link is None or link.rulebook != other.id:
                continue
            for other_id in link.criteria:
                if other_id not in other.by_id:  # pragma: no cover - validated while loading
                    continue
                key = (other_id, criterion.id) if forwards else (criterion.id, other_id)
                links.setdefault(key, link.how if forwards else _REVERSED[link.how])
    return _rows(old, new, links)


def _rows(old: Rulebook, new: Rulebook, links: dict[tuple[str, str], str]) -> list[CriterionPair]:
    old_order = {c.id: i for i, c in enumerate(old.criteria)}
    new_order = {c.id: i for i, c in enumerate(new.criteria)}
    paired = sorted(links.items(), key=lambda item: (old_order[item[0][0]], new_order[item[0][1]]))
    rows = [CriterionPair(old.by_id[o], new.by_id[n], how) for (o, n), how in paired]
    old_paired = {o for o, _ in links}
    new_paired = {n for _, n in links}
    rows += [CriterionPair(None, c, "added") for c in new.criteria if c.id not in new_paired]
    rows += [CriterionPair(c, None, "removed") for c in old.criteria if c.id not in old_paired]
    return rows
