"""Comparing two rulebooks pairs criteria by the correspondence the rulebook data declares."""

import pytest

from zjtx.scoring.compare import compare_rulebooks
from zjtx.scoring.errors import UnknownNameError
from zjtx.scoring.rulebook import load_rulebook

LITTLE_GIANT_PAIRS = {
    ("LG22-0", "LG26-0", "merged"),
    ("LG22-X", "LG26-0", "merged"),
    ("LG22-0", "LG26-1a", "split"),
    ("LG22-1a", "LG26-1b", "same"),
    ("LG22-1b", "LG26-2b", "changed"),
    ("LG22-1c", "LG26-2c", "changed"),
    ("LG22-2c", "LG26-2d", "changed"),
    ("LG22-4G1", "LG26-3", "changed"),
    ("LG22-4G3", "LG26-4", "changed"),
    ("LG22-3a", "LG26-5", "changed"),
    ("LG22-5", "LG26-6", "merged"),
    ("LG22-6", "LG26-6", "merged"),
    ("LG22-R", "LG26-R", "changed"),  # renewal gate (issue 13 §3)
}
SRDI_PAIRS = {
    ("SR22-0", "SR26-0", "changed"),
    ("SR22-B1", "SR26-1b", "changed"),
    ("SR22-B3", "SR26-2a", "changed"),
    ("SR22-B2", "SR26-3", "changed"),
    ("SR22-R", "SR26-R", "changed"),  # renewal gate (issue 13 §3)
}


def _triples(pairs):
    return {(p.old.id, p.new.id, p.how) for p in pairs if p.old and p.new}


def test_little_giant_pairs_are_the_declared_correspondence():
    """2022 → 2026 小巨人: exactly the pairs written in little-giant-2026.yaml come out."""
    assert _triples(compare_rulebooks("little-giant-2022", "little-giant-2026")) == (
        LITTLE_GIANT_PAIRS
    )


def test_general_eligibility_is_not_taken_for_the_title_criterion():
    """LG22-0 (通用资格) pairs with LG26-0, never one-to-one with LG26-1a; LG22-X joins LG26-0."""
    pairs = compare_rulebooks("little-giant-2022", "little-giant-2026")
    by_old = {}
    for pair in pairs:
        if pair.old and pair.new:
            by_old.setdefault(pair.old.id, set()).add((pair.new.id, pair.how))
    assert ("LG26-0", "merged") in by_old["LG22-0"]
    assert not {("LG26-1a", "same"), ("LG26-1a", "changed")} & by_old["LG22-0"]
    assert by_old["LG22-X"] == {("LG26-0", "merged")}


def test_unpaired_criteria_are_added_or_removed():
    """Criteria no correspondence names are listed once, as 新增 (new only) or 删除 (old only)."""
    pairs = compare_rulebooks("little-giant-2022", "little-giant-2026")
    added = [p.new.id for p in pairs if p.how == "added"]
    removed = [p.old.id for p in pairs if p.how == "removed"]
    assert added == ["LG26-V", "LG26-2a", "LG26-7"]  # LG26-V: the 2026 revocation bar
    assert removed == [
        "LG22-F", "LG22-2a", "LG22-2b", "LG22-2q", "LG22-3b",
        "LG22-4G2", "LG22-4D1", "LG22-4D2", "LG22-4",
    ]  # fmt: skip
    assert all(p.new is None for p in pairs if p.how == "removed")
    assert all(p.old is None for p in pairs if p.how == "added")
    old_ids = {c.id for c in load_rulebook("little-giant-2022").criteria}
    new_ids = {c.id for c in load_rulebook("little-giant-2026").criteria}
    assert {p.old.id for p in pairs if p.old} == old_ids
    assert {p.new.id for p in pairs if p.new} == new_ids


def test_rows_come_grouped_paired_then_added_then_removed():
    """Paired rows first (in the old rulebook's order), then the added, then the removed."""
    hows = [p.how for p in compare_rulebooks("little-giant-2022", "little-giant-2026")]
    kinds = ["paired" if h not in ("added", "removed") else h for h in hows]
    assert kinds == sorted(kinds, key=["paired", "added", "removed"].index)


def test_srdi_pairs_are_the_declared_correspondence():
    """2022 → 2026 专精特新: the four declared pairs; the 2022 score table is removed."""
    pairs = compare_rulebooks("srdi-sme-2022", "srdi-sme-2026")
    assert _triples(pairs) == SRDI_PAIRS
    removed = {p.old.id for p in pairs if p.how == "removed"}
    assert {"SR22-S1", "SR22-B4", "SR22-D1"} <= removed
    assert {p.new.id for p in pairs if p.how == "added"} == {
        "SR26-V", "SR26-1a", "SR26-2b", "SR26-2c", "SR26-4", "SR26-5", "SR26-6",
    }  # fmt: skip


def test_comparison_works_newer_first():
    """2026 → 2022 gives the same pairs mirrored: a merge read backwards is a split."""
    backwards = compare_rulebooks("little-giant-2026", "little-giant-2022")
    mirror = {"merged": "split", "split": "merged", "same": "same", "changed": "changed"}
    assert _triples(backwards) == {(new, old, mirror[how]) for old, new, how in LITTLE_GIANT_PAIRS}
    assert [p.old.id for p in backwards if p.how == "removed"] == ["LG26-V", "LG26-2a", "LG26-7"]


def test_a_rulebook_compared_with_itself_is_all_same():
    """Every criterion pairs with itself as 相同."""
    pairs = compare_rulebooks("srdi-sme-2026", "srdi-sme-2026")
    assert {p.how for p in pairs} == {"same"}
    assert [p.old.id for p in pairs] == [c.id for c in load_rulebook("srdi-sme-2026").criteria]


def test_rulebooks_without_correspondence_are_all_added_and_removed():
    """Two rulebooks no correspondence links list every criterion as added or removed."""
    pairs = compare_rulebooks("innovative-sme-2022", "tech-sme-2017")
    assert {p.how for p in pairs} == {"added", "removed"}
    assert len(pairs) == len(load_rulebook("innovative-sme-2022").criteria) + len(
        load_rulebook("tech-sme-2017").criteria
    )


def test_unknown_rulebook_names_the_closest():
    """An unknown rulebook id fails with the closest valid id."""
    with pytest.raises(UnknownNameError) as info:
        compare_rulebooks("little-giant-2021", "little-giant-2026")
    assert info.value.suggestion == "little-giant-2022"
