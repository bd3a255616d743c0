"""A field's label wherever it is defined: the bundled catalogue, else an overlay's own fields."""

from __future__ import annotations

from zjtx.paths import installed_dir
from zjtx.scoring import load_catalogue
from zjtx.scoring.known_fields import known_field


def test_a_bundled_field_is_the_catalogue_s_own():
    """营业收入 and its years come from the bundled catalogue, the same spec objects."""
    assert known_field("revenue_y1") is load_catalogue()["revenue_y1"]


def test_an_overlay_s_own_field_is_found_with_its_chinese_label():
    """山东's sd_key_industry, which the bundled catalogue does not hold, is found in the
    shandong-2022 overlay with its label and options."""
    assert "sd_key_industry" not in load_catalogue()
    spec = known_field("sd_key_industry")
    assert spec is not None
    assert spec.label == "属于本省重点产业领域情况（山东特色化 SD-9）"
    assert spec.overlay == "shandong-2022"
    assert spec.format_value("B").startswith("属于上述规划重点支持领域")


def test_an_unknown_key_is_none_and_a_broken_installed_overlay_is_passed_over():
    """A key no catalogue holds is None; an installed overlay that does not load does not
    hide the bundled overlays' fields."""
    folder = installed_dir("overlays")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "aaa-broken-2025.yaml").write_text("id: aaa-broken-2025\nextends: [", "utf-8")
    (folder / "aab-bare-2025.yaml").write_text(
        "id: aab-bare-2025\nextends: srdi-sme-2022\n", "utf-8"
    )
    assert known_field("no_such_field") is None
    assert known_field("sd_key_industry") is not None
