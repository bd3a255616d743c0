"""Audit entries in words: an evaluation says what changed, its score from and to."""

from __future__ import annotations

from zjtx.store.audit import summarize
from zjtx.store.models import AuditEvent


def _evaluation(before: dict | None, after: dict) -> AuditEvent:
    return AuditEvent(action="evaluation", entity="evaluation", before=before, after=after)


def test_an_evaluation_says_the_score_it_went_from_and_to():
    """A new score is given with the old one; a first evaluation gives the score alone."""
    before = {"verdict": "qualified", "score": "100", "rulebook_hash": "h"}
    after = {"verdict": "qualified", "score": "80", "rulebook_hash": "h", "cause": "review"}
    assert (
        summarize(_evaluation(before, after))
        == "按评审确认重新评价：评价结论仍为符合条件，得分 100→80"
    )
    first = {"verdict": "pending", "score": "58", "rulebook_hash": "h", "cause": "import"}
    assert summarize(_evaluation(None, first)) == "评价：—→待定，得分 58"


def test_an_evaluation_that_changed_nothing_says_so():
    """Scored again to the same verdict and score, the entry says nothing changed rather
    than 待定→待定."""
    same = {"verdict": "pending", "score": None, "rulebook_hash": "h"}
    text = summarize(_evaluation(same, {**same, "cause": "review"}))
    assert text == "按评审确认重新评价：评价结论仍为待定"
    scored = {"verdict": "pending", "score": "60", "rulebook_hash": "h"}
    assert summarize(_evaluation(scored, {**scored, "cause": "rescore"})) == (
        "重新评价：评价结论仍为待定，得分 60（不变）"
    )


def test_a_correction_of_an_overlay_s_own_field_reads_in_its_words():
    """A 山东 applicant's SD-9 answer corrected from C to B reads with the question and the
    options' words, not as sd_key_industry C→B."""
    event = AuditEvent(
        action="applicant-version",
        entity="applicant",
        before={"version": 1},
        after={"version": 2, "file": "山东名单.xlsx", "verdict": "pending",
               "changed": {"sd_key_industry": ["C", "B"]}},
    )  # fmt: skip
    text = summarize(event)
    assert "sd_key_industry" not in text
    assert (
        "属于本省重点产业领域情况（山东特色化 SD-9） 属于市级重点产业发展导向的产业领域→"
        "属于上述规划重点支持领域，或已列入全省重点发展战略明确支持产业领域"
    ) in text
