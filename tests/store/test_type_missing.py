"""An applicant that gives no 申报类型 is warned at import until a file gives one or an
evaluator confirms it a 新申报, on real workbooks and a real database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.store.helpers import make_uscc, write_book
from zjtx.store import StoreService
from zjtx.store.reviews import ReviewRuleError

ROUND = "2026年第一批专精特新"
USCC = make_uscc(7)
NAME = "杭州无类型有限公司"


def _import(service: StoreService, path: Path):
    (file,) = service.read_files(ROUND, [path])
    return service.import_file(ROUND, file)


@pytest.fixture
def untyped(service, tmp_path) -> StoreService:
    """A round holding one applicant from a roster with no 申报类型 column."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    header = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"]
    _import(service, write_book(tmp_path / "名单.xlsx", header, [NAME, USCC, 9000]))
    return service


def test_an_applicant_of_no_type_is_warned_and_held_from_recommendation(untyped):
    """The warning names the field, says the applicant was evaluated as a 新申报, and holds
    推荐 until an evaluator confirms it (with a reason), after which 推荐 is not refused for it."""
    [warning] = untyped.review_state(ROUND, USCC).open_warnings
    assert (warning.code, warning.field, warning.file) == (
        "type-missing",
        "application_type",
        "名单.xlsx",
    )
    assert f"企业 “{NAME}” 未填申报类型（新申报或复核）：已按新申报评价" in warning.message
    with pytest.raises(ReviewRuleError, match="尚有导入提示未确认：未填申报类型"):
        untyped.decide(ROUND, USCC, "recommend", "同意推荐")
    state = untyped.acknowledge_warning(ROUND, USCC, "type-missing", "申报材料为新申报")
    assert state.open_warnings == ()


def test_a_file_giving_the_type_takes_the_warning_away(untyped, tmp_path):
    """A 补正 giving only 申报类型 merges over the stored values: the type is now known, the
    warning gone; one giving another figure without it keeps the warning, once."""
    other = write_book(
        tmp_path / "补正营收.xlsx",
        ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"],
        [NAME, USCC, 9100],
    )
    _import(untyped, other)
    assert sorted(w.code for w in untyped.review_state(ROUND, USCC).open_warnings) == [
        "store-value-changed",
        "type-missing",
    ]
    typed = write_book(
        tmp_path / "补类型.xlsx",
        ["企业名称", "统一社会信用代码", "申报类型"],
        [NAME, USCC, "新申报"],
    )
    _import(untyped, typed)
    assert [w.code for w in untyped.review_state(ROUND, USCC).open_warnings] == [
        "store-value-changed"
    ]


def test_a_file_of_the_same_figures_and_no_type_writes_no_new_version(untyped, tmp_path):
    """Another file repeating the stored figures and still giving no type changes nothing:
    the warning, made again on the merged values, is the same warning; no version is written
    (as though the file had changed the applicant's warnings)."""
    again = write_book(  # another file (columns in another order), the same figures
        tmp_path / "再报.xlsx",
        ["统一社会信用代码", "企业名称", "2025年营业收入（万元）"],
        [USCC, NAME, 9000],
    )
    result = _import(untyped, again)
    assert (result.applicants_changed, result.applicants_unchanged) == (0, 1)
    assert len(untyped.applicant_detail(ROUND, USCC).versions) == 1
