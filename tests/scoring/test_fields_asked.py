"""The fields a round's rulebooks read: what a template for such a round asks for."""

from __future__ import annotations

from datetime import date

import pytest

from zjtx.scoring import load_catalogue, load_rulebook
from zjtx.scoring.fields_asked import (
    ALWAYS,
    KEY_FIGURES,
    SIZE_INPUTS,
    round_fields,
    rulebook_fields,
)
from zjtx.scoring.loader import list_rulebook_ids


def test_a_single_champion_round_asks_its_own_questions_and_not_other_tiers():
    """单项冠军 2026: 从事相关领域年限, 全球排名, 近3年主营业务收入, the 申请产品 and the
    report's key figures; not 细分市场年限, a 专精特新 score item, a 山东 field or the SME size."""
    fields = round_fields("single-champion", date(2026, 6, 1))
    assert {"field_years", "market_rank_global", "main_revenue_y3", "champion_product"} <= fields
    assert {"annual_update_on_time", "revoked_3y"} <= fields  # a 复核's and every applicant's
    assert set(ALWAYS) | set(KEY_FIGURES) <= fields
    assert not {"niche_years", "maker_china", "sd_key_industry", "size_sector"} & fields


def test_an_overlay_adds_its_fields_and_the_size_class_its_inputs():
    """专精特新 2022 with the 山东 overlay reads the overlay's fields; a rulebook judging the
    SME size reads what the size class is worked out from."""
    shandong = round_fields("srdi-sme", date(2025, 7, 1), overlay_id="shandong-2022")
    national = round_fields("srdi-sme", date(2025, 7, 1))
    assert shandong is not None and national is not None
    assert "sd_key_industry" in shandong - national
    assert set(SIZE_INPUTS) <= national


@pytest.mark.parametrize("rulebook_id", list_rulebook_ids())
def test_every_field_a_rulebook_reads_is_in_the_catalogue(rulebook_id):
    """What a rulebook reads is catalogue fields (a template column each), and some of them."""
    fields = rulebook_fields(load_rulebook(rulebook_id))
    assert fields and fields <= set(load_catalogue().keys())


def test_no_rulebook_for_the_tier_and_date_asks_nothing_in_particular():
    """A tier with no rulebook on the date: None (the template then asks every field)."""
    assert round_fields("single-champion", date(2010, 1, 1)) is None
