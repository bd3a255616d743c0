"""The field catalogue: every contract key of fields.md, labels, and validation on load."""

import re
from pathlib import Path

import pytest

from zjtx.domain.fields import FieldType
from zjtx.scoring.catalogue import load_catalogue, load_catalogue_file
from zjtx.scoring.errors import DataFileError

# The contract keys of ../shared/spec/fields.md (v1). Keys must never be renamed.
CONTRACT_KEYS = [
    "name",
    "uscc",
    "province",
    "city",
    "county",
    "industry_code",
    "size_sector",
    "founded",
    "application_type",
    "abnormal_operation",
    "serious_dishonesty",
    "major_incident_3y",
    "prohibited_product",
    "holds_innovative",
    "holds_srdi",
    "holds_little_giant",
    "holds_champion",
    "employees_y1",
    "rd_staff_y1",
    "total_assets_y1",
    "total_liabilities_y1",
    "revenue_y1",
    "revenue_y2",
    "revenue_y3",
    "main_revenue_y1",
    "main_revenue_y2",
    "main_revenue_y3",
    "rd_expense_y1",
    "rd_expense_y2",
    "rd_expense_y3",
    "net_profit_y1",
    "equity_financing_2y",
    "equity_financing_3y",
    "niche_years",
    "lead_product",
    "strategic_emerging",
    "lead_product_field",
    "key_field",
    "chain_key_role",
    "market_share_domestic",
    "market_share_international",
    "market_rank_domestic",
    "market_rank_global",
    "own_brand",
    "local_feature_score",
    "digital_level",
    "quality_award",
    "iso9001",
    "standards_participation",
    "core_it_system",
    "mgmt_or_product_cert",
    "ip1_high_value",
    "ip1_self_developed",
    "ip1_total",
    "ip1_applied",
    "ip2_total",
    "rd_institution_level",
    "sci_award_national_rank",
    "sci_award_provincial_rank",
    "maker_china",
    "high_tech_enterprise",
    "innovation_honor",
    "platform_score",
    "platform_score_prev",
    "champion_product",
    "field_years",
    "new_product",
    "champion_product_revenue_y1",
    "holds_tech_sme",
    "lead_product_revenue_y1",
]

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "fields.md"


def test_catalogue_holds_every_contract_key():
    """Every key of the fields.md contract is in the catalogue, none renamed."""
    catalogue = load_catalogue()
    assert set(CONTRACT_KEYS) <= set(catalogue.keys())


@pytest.mark.skipif(not SPEC.is_file(), reason="shared spec is beside the checkout only in CI")
def test_catalogue_matches_the_spec_file():
    """Keys parsed from the spec's tables are exactly the contract list above."""
    text = SPEC.read_text(encoding="utf-8")
    keys = set()
    for cell in re.findall(r"^\| ([a-z0-9_ ,/]+) \|", text, flags=re.M):
        for part in re.split(r"[,/]", cell):
            if part.strip() and part.strip() != "key":
                keys.add(part.strip())
    assert keys == set(CONTRACT_KEYS)


def test_year_fields_carry_labels_of_the_round():
    """revenue_y1 is 2025年营业收入 in a 2026 round; a year-end stock says 年末."""
    catalogue = load_catalogue()
    assert catalogue["revenue_y1"].year_label(2026) == "2025年营业收入"
    assert catalogue["revenue_y3"].year_label(2026) == "2023年营业收入"
    assert catalogue["total_assets_y1"].year_label(2026) == "2025年末资产总额"
    assert catalogue["revenue_y2"].display_label() == "前年营业收入（万元）"


def test_types_units_and_zero_words():
    """Money is 万元, shares are percent, counts and ranks read 无 as 0, revenue does not."""
    catalogue = load_catalogue()
    assert catalogue["revenue_y1"].type == FieldType.MONEY
    assert catalogue["revenue_y1"].unit == "万元"
    assert catalogue["market_share_domestic"].type == FieldType.PERCENT
    assert catalogue["ip1_total"].none_means_zero
    assert catalogue["sci_award_national_rank"].none_means_zero
    assert not catalogue["revenue_y1"].none_means_zero
    assert catalogue["name"].required and catalogue["uscc"].required
    assert dict(catalogue["size_sector"].options)["software"] == "软件和信息技术服务业"


def test_a_rank_of_zero_reads_as_no_award_or_no_rank():
    """A rank entered as 0 (无) reads 未获奖 or 未进入排名, not "0 名"; other ranks keep 名."""
    catalogue = load_catalogue()
    for key in (
        "sci_award_national_rank",
        "sci_award_provincial_rank",
        "sci_award_ministerial_rank",
    ):
        assert catalogue[key].format_value(0) == "未获奖"
        assert catalogue[key].format_value(2) == "2 名"
    for key in ("market_rank_domestic", "market_rank_global"):
        assert catalogue[key].format_value(0) == "未进入排名"
        assert "未进入排名填 0" in catalogue[key].help
    assert catalogue["ip1_total"].format_value(0) == "0 项"


def _write(tmp_path, body):
    path = tmp_path / "fields.yaml"
    path.write_text("groups: {identity: 基本信息}\nfields:\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message", "rule", "suggestion"),
    [
        ("  - {key: a, label: A, group: identity, type: txt}\n", "未知类型", "a", "text"),
        ("  - {key: a, label: A, group: identty, type: text}\n", "未知分组", "a", "identity"),
        (
            "  - {key: a, label: A, group: identity, type: text, aliasses: [x]}\n",
            "未知属性",
            "a",
            "aliases",
        ),
        ("  - {key: a, label: A, group: identity, type: enum}\n", "options", "a", None),
        ("  - {key: a, group: identity, type: text}\n", "label", "a", None),
        (
            "  - {key: a, label: A, group: identity, type: text}\n"
            "  - {key: a, label: B, group: identity, type: text}\n",
            "重复",
            "a",
            None,
        ),
    ],
)
def test_invalid_catalogue_names_file_key_and_suggestion(tmp_path, body, message, rule, suggestion):
    """A bad entry fails with the file name, the key, what is wrong and a "did you mean"."""
    with pytest.raises(DataFileError) as info:
        load_catalogue_file(_write(tmp_path, body))
    error = info.value
    assert error.file == "fields.yaml"
    assert error.rule == rule
    assert message in str(error)
    assert error.suggestion == suggestion


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - {key: a, label: A, group: identity, type: money, min: 10, max: 1}\n", "大于 max"),
        ("  - {key: a, label: A, group: identity, type: int, max: 1e9}\n", "必须是整数"),
        ("  - {key: a, label: A, group: identity, type: int, min: 'x'}\n", "必须是整数"),
        ("  - {key: a, label: A, group: identity, type: int, min: true}\n", "必须是整数"),
        ("  - {key: a, label: A, group: identity, type: text, min: 0}\n", "只有数值字段"),
        ("  - {key: a, label: A, group: identity, type: money, max_length: 9}\n", "只有文本字段"),
        ("  - {key: a, label: A, group: identity, type: text, max_length: 0}\n", "正整数"),
        ("  - {key: a, label: A, group: identity, type: text, max_length: 2.5}\n", "必须是整数"),
        ("  - {key: a, label: A, group: identity, type: text, zero_text: 无}\n", "只有数值字段"),
        ("  - {key: a, label: A, group: identity, type: int, zero_text: ''}\n", "非空文字"),
    ],
    ids=[
        "min-over-max",
        "float-text-max",
        "text-min",
        "bool-min",
        "min-on-text",
        "length-on-money",
        "zero-length",
        "fractional-length",
        "zero-text-on-text",
        "empty-zero-text",
    ],
)
def test_bad_bounds_name_file_and_field(tmp_path, body, message):
    """A range or length limit that cannot be applied fails on load, naming file and field."""
    with pytest.raises(DataFileError) as info:
        load_catalogue_file(_write(tmp_path, body))
    assert info.value.file == "fields.yaml"
    assert info.value.rule == "a"
    assert message in str(info.value)


def test_every_numeric_field_has_a_range_and_every_text_a_length_limit():
    """The import gate has a range for every number and a length limit for every text."""
    catalogue = load_catalogue()
    for spec in catalogue:
        if spec.is_numeric:
            assert spec.minimum is not None and spec.maximum is not None, spec.key
            assert spec.minimum < spec.maximum, spec.key
        elif spec.type == FieldType.TEXT and spec.key != "uscc":
            assert spec.max_length is not None, spec.key
    # The store keeps names in 300 characters; a real 企业名称 is well under 100.
    assert 60 <= catalogue["name"].max_length <= 300
    assert catalogue["revenue_y1"].range_text() == "0 到 10,000,000,000 万元"
    assert catalogue["market_share_domestic"].range_text() == "0 到 100%"


def test_every_rank_field_says_what_its_zero_means():
    """Every rank (名, 无 read as 0), in the catalogue or an overlay, has a zero text: a rank
    field added without one would print "0 名"."""
    from zjtx.scoring.rulebook import list_overlay_ids, load_overlay, load_rulebook

    specs = {spec.key: spec for spec in load_catalogue()}
    for oid in list_overlay_ids():
        book = load_rulebook(load_overlay(oid).extends, oid)
        specs.update({spec.key: spec for spec in book.quantities.catalogue})
    ranks = [spec for spec in specs.values() if spec.unit == "名" and spec.none_means_zero]
    assert "sd_market_rank_province" in {spec.key for spec in ranks} and len(ranks) == 6
    assert [spec.key for spec in ranks if not spec.zero_text] == []
