"""Strict rulebook files: every mapping's keys and every body's shape, generated from the tables."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from zjtx.paths import resource_path
from zjtx.scoring import criterion_parsing, loader
from zjtx.scoring.errors import DataFileError, DataFileErrors
from zjtx.scoring.loader import load_overlay_file, load_rulebook_file
from zjtx.scoring.parser import (
    CASE_KEYS,
    COND_FORMS,
    FIRST_CASE_KEYS,
    GROUP_AT_LEAST_KEYS,
    SCORE_FORMS,
    check_keys,
)

# A valid example of each condition and point-rule form; the tests below take the forms and
# their keys from the parser table, so a form added to the table without an example fails.
COND_EXAMPLES: dict[str, dict[str, Any]] = {
    "q": {"q": "niche_years", "ge": 2, "judgement": True, "text": "年限", "unknown": "未填"},
    "all": {"all": [{"q": "niche_years", "ge": 2}], "text": "全部"},
    "any": {"any": [{"q": "abnormal_operation", "is": False}], "text": "之一"},
    "cases": {
        "cases": [{"when": {"q": "niche_years", "ge": 5}, "then": {"q": "revenue_y1", "ge": 1}}],
        "otherwise": {"q": "revenue_y1", "ge": 2},
        "text": "分情况",
    },
    "criterion": {"criterion": "T-1", "text": "引用"},
    "score_at_least": {"score_at_least": 1, "text": "得分"},
    "group_at_least": {"group_at_least": {"group": "scored", "points": 1}, "text": "分组得分"},
    "manual": {"manual": "由评审人员判断", "text": "人工"},
    "known": {"known": {"q": "niche_years", "ge": 2}, "unknown_means": "met", "text": "已知"},
}
SCORE_EXAMPLES: dict[str, Any] = {
    "bands": {"q": "niche_years", "at_least": [[4, 2], [2, 1]], "otherwise": 0},
    "options": {
        "q": "maker_china",
        "points": {"top50": 2, "top500": 1, "none": 0},
        "judgement": ["top500"],
    },
    "count": {"of": ["abnormal_operation"], "each": 1, "cap": 1},
    "first": {"cases": [{"when": {"q": "niche_years", "ge": 2}, "points": 2}], "otherwise": 0},
    "best": [
        {"value": {"q": "niche_years", "min": 0, "max": 2}},
        {"bands": {"q": "revenue_y1", "at_least": [[1, 1]]}},
    ],
    "value": {"q": "niche_years", "min": 0, "max": 2},
}
# Mappings nested inside forms: (name, keys from the parser table, the form's example holding
# the mapping, how to reach the mapping inside it).
NESTED: list[tuple[str, frozenset[str], str, Callable[[dict], dict]]] = [
    ("cases item", CASE_KEYS, "cases", lambda c: c["cases"][0]),
    ("group_at_least", GROUP_AT_LEAST_KEYS, "group_at_least", lambda c: c["group_at_least"]),
]
# A value of every kind, to put where a different kind belongs.
WRONG_VALUES = [True, 7, "文字", [1, "x"], {"x": 1}, None]


def kind(value: Any) -> str:
    """A value's kind; text and numbers are one (YAML reads ``version: 2026`` as a number)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float | str):
        return "scalar"
    return type(value).__name__


def misspell(key: str) -> str:
    return key + key[-1]


def minimal_rulebook() -> dict[str, Any]:
    """A small valid rulebook using every top-level mapping (settings, derived, groups...)."""
    return {
        "id": "strict-test",
        "tier": "srdi-sme",
        "title": "测试标准",
        "version": "1",
        "wording": 2026,
        "instrument": {"title": "测试办法", "number": "测〔2026〕1号", "issued": "2026-01-01"},
        "applies": [{"from": "2026-01-01", "application_types": ["new"], "note": "测试"}],
        "settings": {"waived": {"label": "豁免", "default": False, "grade": "A"}},
        "derived": {
            "revenue_used": {
                "alias": "revenue_y1",
                "when_setting": {"waived": "revenue_y2"},
                "label": "收入",
                "unit": "万元",
                "note": "测试",
            }
        },
        "groups": [
            {"id": "basic", "title": "基本"},
            {"id": "scored", "title": "评分", "minimum": 0},
        ],
        "pass_line": 1,
        "notes": ["说明"],
        "criteria": [
            {
                "id": "T-1",
                "title": "年限",
                "group": "basic",
                "kind": "requirement",
                "clause": "条款",
                "source": "来源",
                "grade": "A",
                "unverified": "未核实",
                "requirement": "从事细分市场 2 年以上",
                "judgement": False,
                "notes": ["说明"],
                "enabled_by_setting": "waived",
                "not_applicable": {
                    "application_types": ["renewal"],
                    "setting": "waived",
                    "note": "复核不适用",
                },
                "require": {"q": "revenue_used", "ge": 2},
            },
            {
                "id": "T-2",
                "title": "评分",
                "group": "scored",
                "clause": "条款",
                "source": "来源",
                "grade": "B",
                "score": {"bands": {"q": "niche_years", "at_least": [[2, 1]], "otherwise": 0}},
            },
        ],
        "verdict": {"all": [{"criterion": "T-1"}, {"score_at_least": "pass_line"}]},
    }


def with_criterion(*, require: Any = None, score: Any = None) -> dict[str, Any]:
    data = minimal_rulebook()
    entry = {"id": "T-X", "title": "测试条目", "clause": "条款", "source": "来源", "grade": "A"}
    if score is not None:
        entry.update(group="scored", score=score)
    else:
        entry.update(group="basic", require=require)
    data["criteria"].append(entry)
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "strict-test") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, data: dict[str, Any]) -> list[DataFileError]:
    """Every problem loading the file reports; [] when it loads. Anything else fails the test."""
    try:
        load_rulebook_file(write(tmp_path, data))
    except DataFileError as exc:
        return exc.problems
    return []


def assert_names_key(problems: list[DataFileError], bad: str, good: str, rule: str) -> None:
    matching = [p for p in problems if f"“{bad}”" in p.detail]
    assert matching, [p.line() for p in problems]
    problem = matching[0]
    assert problem.file == "strict-test.yaml"
    assert problem.rule == rule
    assert problem.suggestion == good, problem.line()


# -- the examples are valid --------------------------------------------------------------------


def test_every_form_in_the_table_has_an_example():
    """The examples cover every condition and point-rule form of the parser table."""
    assert set(COND_EXAMPLES) == set(COND_FORMS)
    assert set(SCORE_EXAMPLES) == set(SCORE_FORMS)


@pytest.mark.parametrize("form", sorted(COND_FORMS))
def test_condition_example_loads(tmp_path, form):
    """Each condition example is valid as written (so the failures below are the edit's)."""
    assert problems_of(tmp_path, with_criterion(require=COND_EXAMPLES[form])) == []


@pytest.mark.parametrize("form", sorted(SCORE_FORMS))
def test_score_example_loads(tmp_path, form):
    """Each point-rule example is valid as written."""
    data = with_criterion(score={form: SCORE_EXAMPLES[form]})
    assert problems_of(tmp_path, data) == []


# -- misspelt keys -----------------------------------------------------------------------------


def _misspelt_in(mapping: dict[str, Any], key: str) -> str:
    bad = misspell(key)
    value = mapping.pop(key) if key in mapping else 1
    mapping[bad] = value
    return bad


COND_KEYS = [(form, key) for form, (allowed, _) in COND_FORMS.items() for key in sorted(allowed)]


@pytest.mark.parametrize(("form", "key"), COND_KEYS, ids=[f"{f}-{k}" for f, k in COND_KEYS])
def test_misspelt_key_in_a_condition_is_rejected(tmp_path, form, key):
    """A misspelt key of any condition form is an error naming it and the right name."""
    example = copy.deepcopy(COND_EXAMPLES[form])
    bad = _misspelt_in(example, key)
    problems = problems_of(tmp_path, with_criterion(require={"all": [example]}))
    assert_names_key(problems, bad, key, "T-X")


SCORE_KEYS = [
    (form, key) for form, (allowed, _) in SCORE_FORMS.items() for key in sorted(allowed or ())
]


@pytest.mark.parametrize(("form", "key"), SCORE_KEYS, ids=[f"{f}-{k}" for f, k in SCORE_KEYS])
def test_misspelt_key_in_a_point_rule_is_rejected(tmp_path, form, key):
    """A misspelt key in any point rule's body is an error naming it and the right name."""
    body = copy.deepcopy(SCORE_EXAMPLES[form])
    bad = _misspelt_in(body, key)
    problems = problems_of(tmp_path, with_criterion(score={form: body}))
    assert_names_key(problems, bad, key, "T-X")


@pytest.mark.parametrize("form", sorted(SCORE_FORMS))
def test_misspelt_point_rule_name_is_rejected(tmp_path, form):
    """A misspelt point-rule name is an error suggesting the right one."""
    data = with_criterion(score={misspell(form): SCORE_EXAMPLES[form]})
    assert_names_key(problems_of(tmp_path, data), misspell(form), form, "T-X")


NESTED_KEYS = [(n, key) for n, allowed, _, _ in NESTED for key in sorted(allowed)]


@pytest.mark.parametrize(("name", "key"), NESTED_KEYS, ids=[f"{n}-{k}" for n, k in NESTED_KEYS])
def test_misspelt_key_in_a_nested_mapping_is_rejected(tmp_path, name, key):
    """Mappings inside forms (a case, group_at_least) reject misspelt keys too."""
    _, _, form, reach = next(n for n in NESTED if n[0] == name)
    example = copy.deepcopy(COND_EXAMPLES[form])
    bad = _misspelt_in(reach(example), key)
    assert_names_key(problems_of(tmp_path, with_criterion(require=example)), bad, key, "T-X")


@pytest.mark.parametrize("key", sorted(FIRST_CASE_KEYS))
def test_misspelt_key_in_a_first_case_is_rejected(tmp_path, key):
    """A misspelt key of a `first` case (e.g. `point`) is an error naming it."""
    body = copy.deepcopy(SCORE_EXAMPLES["first"])
    bad = _misspelt_in(body["cases"][0], key)
    assert_names_key(problems_of(tmp_path, with_criterion(score={"first": body})), bad, key, "T-X")


# Where each table's mapping sits in the minimal rulebook, and the rule id its problems carry.
MAPPINGS: dict[str, tuple[frozenset[str], Callable[[dict], dict], str]] = {
    "top": (loader.TOP_KEYS, lambda d: d, "strict-test"),
    "criterion": (criterion_parsing.CRITERION_KEYS, lambda d: d["criteria"][0], "T-1"),
    "group": (loader.GROUP_KEYS, lambda d: d["groups"][1], "strict-test"),
    "setting": (loader.SETTING_KEYS, lambda d: d["settings"]["waived"], "strict-test"),
    "applies": (loader.APPLIES_KEYS, lambda d: d["applies"][0], "strict-test"),
    "instrument": (loader.INSTRUMENT_KEYS, lambda d: d["instrument"], "strict-test"),
    "not_applicable": (
        criterion_parsing.NOT_APPLICABLE_KEYS,
        lambda d: d["criteria"][0]["not_applicable"],
        "T-1",
    ),
}
MAPPING_KEYS = [(name, key) for name, (keys, _, _) in MAPPINGS.items() for key in sorted(keys)]


@pytest.mark.parametrize(
    ("mapping", "key"), MAPPING_KEYS, ids=[f"{m}-{k}" for m, k in MAPPING_KEYS]
)
def test_misspelt_key_in_a_rulebook_mapping_is_rejected(tmp_path, mapping, key):
    """Top level, criterion, group, setting, applies, instrument and not_applicable mappings
    reject a misspelt key, naming it and the right name."""
    _, reach, rule = MAPPINGS[mapping]
    data = minimal_rulebook()
    bad = _misspelt_in(reach(data), key)
    problems = problems_of(tmp_path, data)
    if key == "id":  # without its id the problem names the file's or the entry's place
        rule = {"top": None, "criterion": "criteria[0]"}.get(mapping, rule)
    assert_names_key(problems, bad, key, rule)


@pytest.mark.parametrize("key", ["alias", "when_setting", "label", "unit", "note"])
def test_misspelt_key_in_a_derived_quantity_is_rejected(tmp_path, key):
    """A derived quantity's misspelt key is an error naming the quantity and the right name."""
    data = minimal_rulebook()
    bad = _misspelt_in(data["derived"]["revenue_used"], key)
    problems = problems_of(tmp_path, data)
    matching = [p for p in problems if bad in p.detail]
    assert matching and matching[0].rule == "revenue_used"
    assert matching[0].suggestion == key


def test_misspelt_otherwise_and_minimum_no_longer_load_silently(tmp_path):
    """The audit's two cases: `otherwize` in cases and `minimun` in a group are both reported,
    in one error listing every problem of the file."""
    example = copy.deepcopy(COND_EXAMPLES["cases"])
    example["otherwize"] = example.pop("otherwise")
    data = with_criterion(require=example)
    data["groups"][1]["minimun"] = data["groups"][1].pop("minimum")
    with pytest.raises(DataFileErrors) as info:
        load_rulebook_file(write(tmp_path, data))
    lines = [p.line() for p in info.value.problems]
    assert len(lines) == 2, lines
    assert "strict-test.yaml [T-X] require: 未知属性 “otherwize”" in lines[1]
    assert "otherwise" in lines[1]
    assert "groups[1]" in lines[0] and "minimum" in lines[0]
    assert "共 2 处问题" in str(info.value)


# -- malformed bodies --------------------------------------------------------------------------


def _must_fail(original: Any, wrong: Any) -> bool:
    """A value of another kind must be rejected (None means absent, which may be allowed)."""
    return wrong is not None and kind(wrong) != kind(original)


COND_VALUES = [
    (form, key, n)
    for form in COND_FORMS
    for key in COND_EXAMPLES[form]
    for n in range(len(WRONG_VALUES))
]


@pytest.mark.parametrize(
    ("form", "key", "n"), COND_VALUES, ids=[f"{f}-{k}-{n}" for f, k, n in COND_VALUES]
)
def test_wrongly_typed_value_in_a_condition_is_an_error(tmp_path, form, key, n):
    """Any value of a condition, of the wrong kind, is a DataFileError naming the criterion,
    never a bare Python exception."""
    example = copy.deepcopy(COND_EXAMPLES[form])
    original, example[key] = example[key], WRONG_VALUES[n]
    problems = problems_of(tmp_path, with_criterion(require=example))
    if _must_fail(original, WRONG_VALUES[n]):
        assert problems, f"{form}.{key} = {WRONG_VALUES[n]!r} loaded"
    assert all(p.rule == "T-X" and p.file == "strict-test.yaml" for p in problems)


SCORE_VALUES = [
    (form, key, n)
    for form, body in SCORE_EXAMPLES.items()
    for key in ([*body] if isinstance(body, dict) else [None])
    for n in range(len(WRONG_VALUES))
]


@pytest.mark.parametrize(
    ("form", "key", "n"), SCORE_VALUES, ids=[f"{f}-{k}-{n}" for f, k, n in SCORE_VALUES]
)
def test_wrongly_typed_value_in_a_point_rule_is_an_error(tmp_path, form, key, n):
    """Any value of a point rule (or its whole body), of the wrong kind, is a DataFileError."""
    body = copy.deepcopy(SCORE_EXAMPLES[form])
    if key is None:
        original, body = body, WRONG_VALUES[n]
    else:
        original, body[key] = body[key], WRONG_VALUES[n]
    problems = problems_of(tmp_path, with_criterion(score={form: body}))
    if _must_fail(original, WRONG_VALUES[n]):
        assert problems, f"{form}.{key} = {WRONG_VALUES[n]!r} loaded"
    assert all(p.rule == "T-X" for p in problems)


SHAPES = [
    (name, key, n)
    for name, (_, reach, _) in MAPPINGS.items()
    for key in reach(minimal_rulebook())
    for n in range(len(WRONG_VALUES))
]


@pytest.mark.parametrize(
    ("mapping", "key", "n"), SHAPES, ids=[f"{m}-{k}-{n}" for m, k, n in SHAPES]
)
def test_wrongly_typed_value_in_a_rulebook_mapping_is_an_error(tmp_path, mapping, key, n):
    """Any top-level, criterion, group, setting, applies, instrument or not_applicable value of
    the wrong kind is a DataFileError naming the file, never a bare Python exception."""
    _, reach, _ = MAPPINGS[mapping]
    data = minimal_rulebook()
    target = reach(data)
    original, target[key] = target[key], WRONG_VALUES[n]
    problems = problems_of(tmp_path, data)
    if _must_fail(original, WRONG_VALUES[n]) and (mapping, key) != ("top", "id"):
        assert problems, f"{mapping}.{key} = {WRONG_VALUES[n]!r} loaded"
    assert all(p.file == "strict-test.yaml" for p in problems)


def test_problems_name_the_place_within_the_rule(tmp_path):
    """A problem deep in a condition says where: require.all[1].cases[0].when.ge."""
    deep = copy.deepcopy(COND_EXAMPLES["cases"])
    deep["cases"][0]["when"]["ge"] = "五"
    data = with_criterion(require={"all": [{"q": "niche_years", "ge": 2}, deep]})
    (problem,) = problems_of(tmp_path, data)
    assert problem.path == "require.all[1].cases[0].when.ge"
    assert problem.line().startswith("strict-test.yaml [T-X] require.all[1].cases[0].when.ge: ")
    assert "应为数值" in problem.detail


# -- overlays ----------------------------------------------------------------------------------


def _overlay(tmp_path: Path, edit: Callable[[dict], None]) -> Path:
    data = yaml.safe_load(resource_path("overlays", "guangdong-2024.yaml").read_text("utf-8"))
    edit(data)
    path = tmp_path / "guangdong-2024.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("key", sorted(loader.OVERLAY_KEYS))
def test_misspelt_key_in_an_overlay_is_rejected(tmp_path, key):
    """Every top-level key of an overlay, misspelt, is an error naming it and the right name."""
    path = _overlay(tmp_path, lambda d: _misspelt_in(d, key))
    with pytest.raises(DataFileError) as info:
        load_overlay_file(path)
    matching = [p for p in info.value.problems if f"“{misspell(key)}”" in p.detail]
    assert matching and matching[0].suggestion == key
    assert matching[0].file == "guangdong-2024.yaml"


@pytest.mark.parametrize("key", sorted(loader.OVERLAY_SET_KEYS))
def test_misspelt_key_in_an_overlay_set_is_rejected(tmp_path, key):
    """`set` of an overlay only takes its known keys (`pass_linee` is named)."""
    path = _overlay(tmp_path, lambda d: _misspelt_in(d.setdefault("set", {"pass_line": 70}), key))
    with pytest.raises(DataFileError) as info:
        load_overlay_file(path)
    assert info.value.suggestion == key and info.value.path == "set"


@pytest.mark.parametrize("key", ["replace", "add", "set", "verdict_add", "applies", "grade"])
@pytest.mark.parametrize("n", range(len(WRONG_VALUES) - 1))
def test_wrongly_typed_overlay_value_is_an_error(tmp_path, key, n):
    """An overlay's changes of the wrong shape are DataFileErrors, never bare exceptions."""

    def edit(data: dict) -> None:
        data[key] = WRONG_VALUES[n]

    path = _overlay(tmp_path, edit)
    try:
        overlay = load_overlay_file(path)
        base = tmp_path / "srdi-sme-2022.yaml"
        base.write_bytes(resource_path("rulebooks", "srdi-sme-2022.yaml").read_bytes())
        load_rulebook_file(base, overlay)
    except DataFileError as exc:
        assert all(p.file == "guangdong-2024.yaml" for p in exc.problems), str(exc)


# -- the public key checker (notice files use it) ---------------------------------------------


def test_check_keys_raises_with_file_rule_place_and_suggestion():
    """check_keys names the file, the rule id, the place, the key and the closest name."""
    with pytest.raises(DataFileError) as info:
        check_keys({"setings": 1}, {"settings", "wording"}, file="n.yaml", rule_id="N-1",
                   where="changes")  # fmt: skip
    error = info.value
    assert (error.file, error.rule, error.path, error.suggestion) == (
        "n.yaml", "N-1", "changes", "settings"
    )  # fmt: skip
    assert "“setings”" in str(error)


def test_check_keys_collects_every_unknown_key_when_given_a_list():
    """With problems= every unknown key is collected instead of raised; a valid mapping adds
    nothing, and a non-mapping is one problem."""
    problems: list[DataFileError] = []
    check_keys({"a": 1, "bb": 2, "ok": 3}, {"ok"}, file="n.yaml", problems=problems)
    check_keys({"ok": 1}, {"ok"}, file="n.yaml", problems=problems)
    check_keys(["ok"], {"ok"}, file="n.yaml", where="changes", problems=problems)
    assert [p.detail.split("（")[0] for p in problems] == [
        "未知属性 “a”", "未知属性 “bb”", "应为映射"
    ]  # fmt: skip
