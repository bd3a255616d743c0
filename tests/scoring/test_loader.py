"""Rulebook and overlay loading: every bundled file validates; bad files fail precisely."""

import shutil

import pytest
import yaml

from zjtx.paths import resource_path
from zjtx.scoring.errors import DataFileError, UnknownNameError
from zjtx.scoring.rulebook import (
    list_overlay_ids,
    list_rulebook_ids,
    load_all_rulebooks,
    load_overlay_file,
    load_rulebook,
    load_rulebook_file,
)

ALL_IDS = [
    "innovative-sme-2022",
    "little-giant-2022",
    "little-giant-2026",
    "single-champion-2016",
    "single-champion-2023",
    "srdi-sme-2022",
    "srdi-sme-2026",
    "tech-sme-2017",
]


def test_every_bundled_rulebook_and_overlay_loads():
    """All eight rulebooks and the three overlays validate in full."""
    assert list_rulebook_ids() == ALL_IDS
    assert list_overlay_ids() == ["guangdong-2024", "jiangsu-2022", "shandong-2022"]
    books = load_all_rulebooks()
    assert len(books) == 11
    for book in books:
        for criterion in book.criteria:
            assert criterion.clause and criterion.source and criterion.grade
        assert book.instrument["number"]


def test_scored_rulebooks_total_100_points():
    """Scored rulebooks add up to 100 points, and the overlays keep that total."""
    for book in load_all_rulebooks():
        if book.scored:
            assert book.max_score == 100, book.display_id
    shandong = load_rulebook("srdi-sme-2022", "shandong-2022")
    assert shandong.group_max("feature") == 15
    assert "SR22-S9" not in shandong.by_id
    assert load_rulebook("srdi-sme-2022", "guangdong-2024").pass_line == 70


def test_unverified_figures_are_flagged():
    """Figures marked UNVERIFIED or C-only in criteria.md carry a flag users can see."""
    srdi = load_rulebook("srdi-sme-2022")
    assert srdi.by_id["SR22-S2"].unverified  # average growth formula
    assert srdi.by_id["SR22-S7"].unverified  # net margin denominator
    assert all(c.unverified for c in load_rulebook("srdi-sme-2026").criteria)
    assert not load_rulebook("little-giant-2026").by_id["LG26-3"].unverified


def test_content_hash_changes_with_the_overlay():
    """The rulebook hash identifies the exact rules used, overlay included."""
    base = load_rulebook("srdi-sme-2022")
    assert base.hash != load_rulebook("srdi-sme-2022", "shandong-2022").hash
    assert len(base.hash) == 64


def test_unknown_rulebook_suggests_the_closest():
    """An unknown id names the closest valid one."""
    with pytest.raises(UnknownNameError) as info:
        load_rulebook("little-giant-2025")
    assert info.value.suggestion in ("little-giant-2026", "little-giant-2022")


def _copy(tmp_path, rulebook_id, edit):
    source = resource_path("rulebooks", f"{rulebook_id}.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    target = tmp_path / f"{rulebook_id}.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def _criterion(data, cid):
    return next(c for c in data["criteria"] if c["id"] == cid)


def _set(cid, key, value):
    def edit(data):
        _criterion(data, cid)[key] = value

    return edit


CASES = [
    (
        "unknown field",
        _set("SR22-B2", "require", {"q": "rd_expence_y1", "ge": 100}),
        "SR22-B2",
        "未知字段或指标",
        "rd_expense_y1",
    ),
    (
        "unknown derived quantity",
        _set("SR22-S1", "score", {"bands": {"q": "main_shar", "at_least": [[80, 5]]}}),
        "SR22-S1",
        "未知字段或指标",
        "main_share",
    ),
    (
        "band edges out of order",
        _set("SR22-S1", "score", {"bands": {"q": "main_share", "at_least": [[70, 3], [80, 5]]}}),
        "SR22-S1",
        "分档界值",
        None,
    ),
    (
        "band points rising",
        _set("SR22-S1", "score", {"bands": {"q": "main_share", "at_least": [[80, 3], [70, 5]]}}),
        "SR22-S1",
        "分档分值",
        None,
    ),
    ("missing clause", lambda d: _criterion(d, "SR22-B1").pop("clause"), "SR22-B1", "clause", None),
    ("bad grade", _set("SR22-B1", "grade", "D"), "SR22-B1", "来源等级", None),
    (
        "unknown enum code",
        _set("SR22-D4", "require", {"q": "maker_china", "in": ["top5000"]}),
        "SR22-D4",
        "不是 maker_china 的可选值",
        "top500",
    ),
    (
        "unknown criterion reference",
        _set("SR22-B4", "require", {"any": [{"criterion": "SR22-D1x"}]}),
        "SR22-B4",
        "引用了不存在的条目",
        "SR22-D1",
    ),
    (
        "misspelt attribute",
        _set("SR22-B1", "judgment", True),
        "SR22-B1",
        "未知属性",
        "judgement",
    ),
    (
        "comparison on a text field",
        _set("SR22-B1", "require", {"q": "lead_product", "ge": 2}),
        "SR22-B1",
        "不是数值指标",
        None,
    ),
    (
        "is on a number",
        _set("SR22-B1", "require", {"q": "niche_years", "is": True}),
        "SR22-B1",
        "不是是/否字段",
        None,
    ),
    (
        "unknown group",
        _set("SR22-B1", "group", "basics"),
        "SR22-B1",
        "未知分组",
        "basic",
    ),
]


@pytest.mark.parametrize(
    ("what", "edit", "rule", "message", "suggestion"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_rulebook_fails_with_file_rule_and_suggestion(
    tmp_path, what, edit, rule, message, suggestion
):
    """One error names the file, the rule id, what is wrong and the closest valid name."""
    path = _copy(tmp_path, "srdi-sme-2022", edit)
    with pytest.raises(DataFileError) as info:
        load_rulebook_file(path)
    error = info.value
    assert error.file == "srdi-sme-2022.yaml"
    assert error.rule == rule
    assert message in str(error)
    assert error.suggestion == suggestion


def test_reference_cycle_is_rejected(tmp_path):
    """Criteria that refer to each other in a loop are an error naming the loop."""

    def edit(data):
        _criterion(data, "SR22-D1")["require"] = {"criterion": "SR22-B4"}

    with pytest.raises(DataFileError, match="循环引用"):
        load_rulebook_file(_copy(tmp_path, "srdi-sme-2022", edit))


def test_yaml_syntax_error_names_the_file(tmp_path):
    """A broken YAML file is reported with its name, not a stack of parser internals."""
    path = tmp_path / "srdi-sme-2022.yaml"
    path.write_text("id: srdi-sme-2022\ncriteria:\n  - id: a\n    title: [x\n  - id: b\n", "utf-8")
    with pytest.raises(DataFileError, match=r"srdi-sme-2022\.yaml: YAML 语法错误") as caught:
        load_rulebook_file(path)
    # Where the parser stopped, as a person counts lines; not the parser's name for its input.
    assert "（第 5 行第 7 列）" in str(caught.value)
    assert "unicode string" not in str(caught.value) and "^" not in str(caught.value)


def test_yaml_errors_say_where_what_is_unfinished_began_and_place_a_refused_character(tmp_path):
    """An unclosed quote is reported where the file ends and where the quote began; a control
    character by its line and column, counted in characters after Chinese text."""
    path = tmp_path / "srdi-sme-2022.yaml"
    path.write_text('id: srdi-sme-2022\ntitle: "未完\ncriteria: []\n', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(path)
    assert "（第 4 行第 1 列）" in str(caught.value) and "始于第 2 行第 8 列" in str(caught.value)
    path.write_text("id: srdi-sme-2022\ntitle: 中文标\x01题\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(path)
    assert "（第 2 行第 11 列）：不允许的字符 U+0001" in str(caught.value)
    assert "unicode string" not in str(caught.value)


def test_overlay_replacing_unknown_criterion_is_rejected(tmp_path):
    """An overlay that replaces a criterion its base lacks fails with a suggestion."""

    def edit(data):
        data["replace"] = {"SR22-S8x": data["replace"]["SR22-S9"]}

    [problem] = _overlay_problems(tmp_path, edit)
    assert problem.file == "shandong-2022.yaml"
    assert problem.suggestion == "SR22-S8"


def _replaces(cid, value):
    return _set(cid, "replaces", value)


def _link(rulebook, criteria, how):
    return {"rulebook": rulebook, "criteria": criteria, "how": how}


REPLACES_CASES = [
    (
        "unknown rulebook",
        _replaces("LG26-1b", _link("little-giant-2021", ["LG22-1a"], "same")),
        "LG26-1b",
        "评价标准 “little-giant-2021” 不存在",
        "little-giant-2022",
    ),
    (
        "unknown criterion of the earlier rulebook",
        _replaces("LG26-2d", _link("little-giant-2022", ["LG22-2cc"], "changed")),
        "LG26-2d",
        "“LG22-2cc” 不在 little-giant-2022 中",
        "LG22-2c",
    ),
    (
        "bad how",
        _replaces("LG26-6", _link("little-giant-2022", ["LG22-5", "LG22-6"], "merge")),
        "LG26-6",
        "how “merge” 无效",
        "merged",
    ),
    (
        "misspelt key",
        _replaces(
            "LG26-1b", {"rulebook": "little-giant-2022", "criterion": ["LG22-1a"], "how": "same"}
        ),
        "LG26-1b",
        "未知属性 “criterion”",
        "criteria",
    ),
    (
        "merge of one criterion",
        _replaces("LG26-6", _link("little-giant-2022", ["LG22-5"], "merged")),
        "LG26-6",
        "merged 须列出至少两条",
        None,
    ),
    (
        "rulebook of another tier",
        _replaces("LG26-1b", _link("srdi-sme-2022", ["SR22-B1"], "changed")),
        "LG26-1b",
        "只能对应同一层级",
        None,
    ),
    (
        "the rulebook itself",
        _replaces("LG26-1b", _link("little-giant-2026", ["LG26-0"], "same")),
        "LG26-1b",
        "不能对应本标准自身",
        None,
    ),
    (
        "one old criterion taken twice as a plain change",
        _replaces("LG26-2a", _link("little-giant-2022", ["LG22-1b"], "changed")),
        "LG26-2b",
        "LG22-1b 同时对应",
        None,
    ),
]


@pytest.mark.parametrize(
    ("what", "edit", "rule", "message", "suggestion"),
    REPLACES_CASES,
    ids=[c[0] for c in REPLACES_CASES],
)
def test_bad_correspondence_fails_with_file_rule_and_suggestion(
    tmp_path, what, edit, rule, message, suggestion
):
    """A bad replaces entry is one error naming the file, the criterion and the closest name."""
    path = _copy(tmp_path, "little-giant-2026", edit)
    with pytest.raises(DataFileError) as info:
        load_rulebook_file(path)
    error = info.value
    assert error.file == "little-giant-2026.yaml"
    assert error.rule == rule
    assert message in str(error)
    assert error.suggestion == suggestion


def test_split_needs_a_second_part(tmp_path):
    """A criterion split from an old one that no other new criterion shares is an error."""

    def edit(data):
        _criterion(data, "LG26-0")["replaces"]["criteria"] = ["LG22-X", "LG22-F"]

    with pytest.raises(DataFileError) as info:
        load_rulebook_file(_copy(tmp_path, "little-giant-2026", edit))
    assert (info.value.file, info.value.rule) == ("little-giant-2026.yaml", "LG26-1a")
    assert "split" in str(info.value)


def test_correspondence_is_read_from_the_sibling_file(tmp_path):
    """The earlier rulebook is looked up next to the file first, without loading it in full."""
    renamed = "LG22-1A"

    def rename(data):
        _criterion(data, "LG22-1a")["id"] = renamed
        data["verdict"] = {"all": [{"criterion": "LG22-0"}]}

    _copy(tmp_path, "little-giant-2022", rename)
    path = _copy(tmp_path, "little-giant-2026", lambda d: None)
    with pytest.raises(DataFileError) as info:
        load_rulebook_file(path)
    assert (info.value.rule, info.value.suggestion) == ("LG26-1b", renamed)
    _copy(tmp_path, "little-giant-2026", _set("LG26-1b", "replaces", {
        "rulebook": "little-giant-2022", "criteria": [renamed], "how": "same",
    }))  # fmt: skip
    assert load_rulebook_file(path).by_id["LG26-1b"].replaces.criteria == (renamed,)


def test_rulebooks_naming_each_other_load_without_a_loop(tmp_path):
    """Two rulebooks whose criteria name each other both load (no recursive loading)."""
    back = {"rulebook": "little-giant-2026", "criteria": ["LG26-1b"], "how": "same"}
    old = _copy(tmp_path, "little-giant-2022", _replaces("LG22-1a", back))
    new = _copy(tmp_path, "little-giant-2026", lambda d: None)
    assert load_rulebook_file(old).by_id["LG22-1a"].replaces.rulebook == "little-giant-2026"
    assert load_rulebook_file(new).by_id["LG26-1b"].replaces.criteria == ("LG22-1a",)


def test_content_hash_covers_the_field_texts_an_explanation_reads(monkeypatch):
    """A field's label or zero text read in explanations is part of every rulebook's hash (a
    stored evaluation then reads as older); an alias or a help text, which only intake reads,
    is not."""
    from dataclasses import replace

    from zjtx.domain.fields import FieldCatalogue
    from zjtx.scoring import loader
    from zjtx.scoring.catalogue import load_catalogue

    path = resource_path("rulebooks", "srdi-sme-2022.yaml")
    bundled = load_catalogue()

    def hash_with(key: str, **changes) -> str:
        fields = dict(bundled.fields)
        fields[key] = replace(fields[key], **changes)
        edited = FieldCatalogue(fields, bundled.groups, bundled.source)
        monkeypatch.setattr(loader, "load_catalogue", lambda: edited)
        loader._shared_derived.cache_clear()
        try:
            return load_rulebook_file(path).hash
        finally:
            loader._shared_derived.cache_clear()

    before = load_rulebook_file(path).hash
    assert hash_with("ip1_total", aliases=("一类知识产权总数",)) == before
    assert hash_with("ip1_total", help="另一段说明") == before
    assert hash_with("ip1_total", label="一类知识产权") != before
    assert hash_with("sci_award_national_rank", zero_text="无") != before


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("id: x\ncriteria:\n  - id: a\n\t  title: b\n", "第 4 行有制表符（Tab）：请改用空格缩进"),
        (
            "id: x\ntitle：标准\ncriteria: []\n",
            "第 2 行有全角冒号“：”：键与值之间请用半角冒号加空格“: ”",
        ),
        ("id: x\ncriteria:\n  - id: a\n　　title: b\n", "第 4 行有全角空格：请改用半角空格缩进"),
        (
            "id: x\ncriteria:\n  - id: a\n    title: 标题\n　　group: g\n    clause: c\n",
            "第 5 行有全角空格：请改用半角空格缩进",
        ),
    ],
    ids=["tab", "full-width-colon", "full-width-space", "full-width-space-in-value"],
)
def test_yaml_errors_are_chinese_and_name_a_mistyped_character(tmp_path, text, said):
    """What a non-programmer types by mistake (a tab, a full-width colon or space) is named
    by its line, in Chinese, beside where the parser stopped."""
    path = tmp_path / "srdi-sme-2022.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(path)
    message = str(caught.value)
    assert said in message, message
    assert not any("a" <= ch <= "z" for ch in message.split("：", 1)[1].replace("Tab", "")
                   .replace("srdi-sme-2022.yaml", "")), message  # fmt: skip


def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path):
    """pass_line given twice (the new line added, the old one left): an error naming both
    lines, not the last one silently kept."""
    path = tmp_path / "srdi-sme-2022.yaml"
    path.write_text("id: x\npass_line: 65\ntitle: t\npass_line: 70\n", "utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(path)
    assert "（第 4 行第 1 列）：“pass_line”重复出现（第 2 行已有）" in str(caught.value)


def test_a_file_in_another_encoding_is_named_so(tmp_path):
    """A GBK file is named as not UTF-8, with how to save it, and nothing about nesting."""
    from zjtx.scoring.installing import check_file

    path = tmp_path / "浙江.yaml"
    path.write_bytes("id: zhejiang-2027\ntitle: 浙江省规则\n".encode("gbk"))
    [problem] = check_file(path).problems
    assert str(problem) == "浙江.yaml: 文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中另存为 UTF-8"


def test_a_period_that_ends_before_it_begins_is_an_error(tmp_path):
    """applies with until before from covers no round: an error naming the place."""

    def edit(data):
        data["applies"][0]["until"] = "2021-12-31"

    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(_copy(tmp_path, "srdi-sme-2022", edit))
    assert "until（2021-12-31）早于 from（2022-06-01）：该适用期不含任何批次日期" in str(
        caught.value
    )


@pytest.mark.parametrize("line", [0.65, 650, -5])
def test_a_pass_line_outside_the_score_is_an_error(tmp_path, line):
    """A 及格线 of 0.65 (a fraction), 650 or -5 on a 100-point table decides nothing: an
    error giving the table's maximum."""

    def edit(data):
        data["pass_line"] = line

    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(_copy(tmp_path, "srdi-sme-2022", edit))
    said = str(caught.value)
    assert f"pass_line {line} " in said and "不在 1 到满分 100 之间" in said, said


def _overlay_problems(tmp_path, edit) -> list:
    """Every problem of shandong-2022 edited by ``edit``, merged into its base."""
    from zjtx.scoring.errors import DataFileErrors

    source = resource_path("overlays", "shandong-2022.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "shandong-2022.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    overlay = load_overlay_file(path)
    base = tmp_path / "srdi-sme-2022.yaml"
    shutil.copy(resource_path("rulebooks", "srdi-sme-2022.yaml"), base)
    with pytest.raises(DataFileError) as info:
        load_rulebook_file(base, overlay)
    error = info.value
    return list(error.problems) if isinstance(error, DataFileErrors) else [error]


def test_an_overlays_own_mistakes_are_named_in_the_overlay_file(tmp_path):
    """A criterion id the overlay gives twice, and a verdict_add naming no criterion, are
    the overlay's mistakes: named in its file (with a suggestion), not in the bundled base."""

    def edit(data):
        first = data["replace"]["SR22-S9"][0]
        data["add"] = [dict(first)]  # the same id again
        data["verdict_add"] = ["SR22-B5"]

    problems = _overlay_problems(tmp_path, edit)
    assert {p.file for p in problems} == {"shandong-2022.yaml"}, [str(p) for p in problems]
    said = [str(p) for p in problems]
    assert any("条目 id 重复" in s for s in said), said
    assert any("verdict_add" in s and "SR22-B5" in s for s in said), said


def test_replacing_a_criterion_the_verdict_names_says_what_to_do_instead(tmp_path):
    """Replacing SR22-B1 (which the verdict names) is refused once, in the overlay, saying to
    add a criterion and name it in verdict_add; the base's verdict is not reported."""

    def edit(data):
        replacement = dict(data["replace"]["SR22-S9"][0], id="SD-B1")
        data["replace"] = {"SR22-B1": [replacement]}

    problems = _overlay_problems(tmp_path, edit)
    assert [p.file for p in problems] == ["shandong-2022.yaml"], [str(p) for p in problems]
    assert "add" in str(problems[0]) and "verdict_add" in str(problems[0])


@pytest.mark.parametrize(
    ("cid", "body"),
    [
        ("SR22-D2", {"q": "rd_ratio_y1", "ge": 0.03}),
        ("SR22-D2", {"q": "rd_ratio_y1", "between": [0.03, 0.5]}),
    ],
    ids=["ge", "between"],
)
def test_a_percent_written_as_a_fraction_is_an_error(tmp_path, cid, body):
    """A ratio measured in percent compared with 0.03 (meant 3 %) would pass nearly every
    applicant: an error saying how percentages are written, with the figure meant."""

    def edit(data):
        _criterion(data, cid)["require"] = body

    with pytest.raises(DataFileError) as caught:
        load_rulebook_file(_copy(tmp_path, "srdi-sme-2022", edit))
    said = str(caught.value)
    assert "以百分数计（12.5 表示 12.5%）" in said and "请写 3" in said, said


def test_block_text_indented_with_full_width_spaces_is_a_valid_file(tmp_path):
    """A clause written as block text whose lines start with Chinese indentation (“　　第三条：…”)
    is text, not a mistyped key: the file reads; 1 and '1' are two keys, not one twice."""
    from zjtx.scoring.catalogue import read_yaml

    path = tmp_path / "a.yaml"
    path.write_text("clause: |\n  　　第三条：企业应当…\nmap: {1: a, '1': b}\n", "utf-8")
    data = read_yaml(path)
    assert data["clause"].startswith("　　第三条：") and data["map"] == {1: "a", "1": "b"}
