"""A 补正 of an enterprise whose row the gate refused is combined with the rest of that row, on
real workbooks and a real database; the refused submission is listed until data are held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.store.helpers import ROSTER_HEADER, make_uscc, write_book
from zjtx.domain.issues import Severity
from zjtx.store import StoreService

ROUND = "2026年第一批专精特新"
USCC = make_uscc(1)
OTHER = make_uscc(2)
HEADER = ROSTER_HEADER
FIX_HEADER = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"]


def _round(service: StoreService) -> None:
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20), region="杭州市")


def _first(
    tmp_path: Path, revenue: object = 800, employees: object = 120, earlier: object = 7000
) -> Path:
    """甲's row with 营业收入 typed 800 for 8000 (主营业务收入 8000 above it: refused), and a
    sound row of 乙."""
    return write_book(
        tmp_path / "A_申报汇总.xlsx",
        HEADER,
        ["甲精密有限公司", USCC, revenue, earlier, 500, 8000, employees, "新申报"],
        ["乙科技有限公司", OTHER, 9000, 7000, 500, 8000, 80, "新申报"],
    )


def _fix(tmp_path: Path, revenue: object = 8600, name: str = "A_补正.xlsx") -> Path:
    return write_book(tmp_path / name, FIX_HEADER, ["甲精密有限公司", USCC, revenue])


def _import(service: StoreService, path: Path):
    (file,) = service.read_files(ROUND, [path])
    return service.import_file(ROUND, file)


def test_a_correction_of_the_refusing_figure_is_combined_with_the_refused_row(service, tmp_path):
    """The 补正 giving 营业收入 alone creates 甲 with the refused row's other figures (their
    cells in the first file) and the corrected one; a notice names the first file, why it was
    refused and what was corrected; the history says so; nothing is left to send back."""
    _round(service)
    first = _import(service, _first(tmp_path))
    assert (first.rows_imported, first.rows_blocked) == (1, 1)
    assert [r.uscc for r in service.refused_submissions(ROUND)] == [USCC]

    result = _import(service, _fix(tmp_path))

    assert result.applicants_new == 1
    detail = service.applicant_detail(ROUND, USCC)
    values = detail.applicant.values
    assert values["revenue_y1"] == Decimal(8600)
    assert (values["revenue_y2"], values["main_revenue_y1"], values["employees_y1"]) == (
        Decimal(7000),
        Decimal(8000),
        120,
    )
    assert detail.applicant.provenance["main_revenue_y1"].file == "A_申报汇总.xlsx"
    assert detail.applicant.provenance["main_revenue_y1"].cell == "F2"
    assert detail.applicant.provenance["revenue_y1"].file == "A_补正.xlsx"
    [notice] = [i for i in result.issues if i.code == "store-refused-combined"]
    assert notice.severity == Severity.INFO and notice.uscc == USCC
    assert "《A_申报汇总.xlsx》中本企业的申报曾因错误未能导入" in notice.message
    assert "大于上年度营业收入" in notice.message  # why it was refused
    assert "其中 5 个字段取自该申报" in notice.message
    assert "本文件改正了：上年度营业收入 800 万元→8600 万元" in notice.message
    # Not said as a change of an imported value to be checked: the first one was refused.
    assert not [i for i in result.issues if i.code == "store-value-changed"]
    assert not [i for i in result.issues if i.severity == Severity.WARNING]
    [entry] = [h for h in service.history(ROUND, USCC) if h.action == "applicant-version"]
    assert "与《A_申报汇总.xlsx》中未能导入的申报合并，取其 5 个字段" in entry.summary
    assert entry.after["refused_files"] == ["A_申报汇总.xlsx"]
    assert service.refused_submissions(ROUND) == []


def test_a_correction_that_leaves_the_contradiction_is_warned_at_the_refused_cell(
    service, tmp_path
):
    """A 补正 that corrects 营业收入 to a figure still below the 主营业务收入 of the refused
    row is combined, and the contradiction is a warning at the first file's cell: it holds the
    applicant's 推荐 until answered, as a contradiction between two files does."""
    _round(service)
    _import(service, _first(tmp_path))
    result = _import(service, _fix(tmp_path, revenue=7900))

    assert result.applicants_new == 1
    detail = service.applicant_detail(ROUND, USCC)
    [warning] = [i for i in detail.issues if i.code == "store-merged-inconsistent"]
    assert (warning.file, warning.cell, warning.field) == (
        "A_申报汇总.xlsx",
        "F2",
        "main_revenue_y1",
    )
    assert "合并后" in warning.message and "大于上年度营业收入" in warning.message
    assert [w.code for w in service.review_state(ROUND, USCC).open_warnings] == [
        "store-merged-inconsistent"
    ]


def test_a_value_in_error_on_its_own_is_not_taken_from_the_refused_row(service, tmp_path):
    """A row refused for a figure wrong in itself (从业人员 −5) and for the contradiction
    keeps its other figures but not that one: once combined 从业人员 is unknown, and the
    notice says the figure in error was not taken and still needs a 补正."""
    _round(service)
    _import(service, _first(tmp_path, employees=-5))
    result = _import(service, _fix(tmp_path))

    values = service.applicant_detail(ROUND, USCC).applicant.values
    assert "employees_y1" not in values
    assert values["main_revenue_y1"] == Decimal(8000)
    [notice] = [i for i in result.issues if i.code == "store-refused-combined"]
    assert "该申报中有错误的上年末从业人员未采用，仍需补正" in notice.message


def test_the_refused_file_sent_again_corrected_stands_on_its_own(service, tmp_path):
    """The first file sent again under its name, corrected, is that submission itself: it is
    not combined with what was refused of it (a field it dropped stays dropped)."""
    _round(service)
    _import(service, _first(tmp_path))
    (tmp_path / "again").mkdir()
    again = write_book(
        tmp_path / "again" / "A_申报汇总.xlsx", FIX_HEADER, ["甲精密有限公司", USCC, 8600]
    )
    result = _import(service, again)

    assert result.applicants_new == 1
    assert not [i for i in result.issues if i.code == "store-refused-combined"]
    values = service.applicant_detail(ROUND, USCC).applicant.values
    assert "main_revenue_y1" not in values


def test_a_warning_of_the_refused_row_on_a_kept_value_stays(service, tmp_path):
    """A warning the gate gave the refused row (2024 营业收入 of 0.5 万元: its unit suspect)
    holds for the combined applicant, at its cell, while the value it is about is the row's."""
    _round(service)
    _import(service, _first(tmp_path, earlier=0.5))
    _import(service, _fix(tmp_path))

    [warning] = [
        i for i in service.applicant_detail(ROUND, USCC).issues if i.code == "revenue-unit-suspect"
    ]
    assert (warning.file, warning.cell, warning.field) == ("A_申报汇总.xlsx", "D2", "revenue_y2")


def test_an_enterprise_held_before_whose_correction_was_refused_is_still_listed(service, tmp_path):
    """甲 imported from one file, then a 补正 of it refused (主营业务收入 above the new
    营业收入): the 补正 is still to be sent back, though 甲 is in the round; once a later file
    gives 甲 data, it is not."""
    _round(service)
    _import(
        service,
        write_book(
            tmp_path / "first.xlsx",
            HEADER,
            ["甲精密有限公司", USCC, 8600, 7000, 500, 8000, 120, "新申报"],
        ),
    )
    refused = write_book(
        tmp_path / "补正1.xlsx",
        ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2025年主营业务收入（万元）"],
        ["甲精密有限公司", USCC, 800, 8000],
    )
    assert _import(service, refused).rows_blocked == 1
    assert [(r.file, r.uscc) for r in service.refused_submissions(ROUND)] == [("补正1.xlsx", USCC)]

    _import(service, _fix(tmp_path, revenue=8700, name="补正2.xlsx"))
    assert service.refused_submissions(ROUND) == []


def test_a_refused_correction_and_the_next_are_combined_with_the_first_row_too(service, tmp_path):
    """The first 补正 of 甲 is refused in its turn (研发费用 typed above the corrected 营业收入):
    the next one, giving the 研发费用 alone, is combined with both refused rows, the later's
    values over the first's (营业收入 from the first 补正, the rest from the first file)."""
    _round(service)
    _import(service, _first(tmp_path))
    first_fix = write_book(
        tmp_path / "补正1.xlsx",
        ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2025年研发费用（万元）"],
        ["甲精密有限公司", USCC, 8600, 86000],
    )
    assert _import(service, first_fix).rows_blocked == 1
    second_fix = write_book(
        tmp_path / "补正2.xlsx",
        ["企业名称", "统一社会信用代码", "2025年研发费用（万元）"],
        ["甲精密有限公司", USCC, 520],
    )
    result = _import(service, second_fix)

    assert result.applicants_new == 1
    detail = service.applicant_detail(ROUND, USCC)
    values, provenance = detail.applicant.values, detail.applicant.provenance
    assert (values["revenue_y1"], values["rd_expense_y1"], values["main_revenue_y1"]) == (
        Decimal(8600),
        Decimal(520),
        Decimal(8000),
    )
    assert provenance["revenue_y1"].file == "补正1.xlsx"
    assert provenance["main_revenue_y1"].file == "A_申报汇总.xlsx"
    [notice] = [i for i in result.issues if i.code == "store-refused-combined"]
    assert "《A_申报汇总.xlsx》、《补正1.xlsx》中本企业的申报曾因错误未能导入" in notice.message
    assert not [i for i in detail.issues if i.code == "store-merged-inconsistent"]
    [entry] = [h for h in service.history(ROUND, USCC) if h.action == "applicant-version"]
    assert "与《A_申报汇总.xlsx》、《补正1.xlsx》中未能导入的申报合并" in entry.summary
    assert service.refused_submissions(ROUND) == []


def test_a_round_whose_first_file_was_refused_whole_scores_the_combined_values(
    database_url, tmp_path
):
    """The first file's only row refused, the round holds no enterprise when the 补正 comes:
    its evaluation (by the bundled rulebooks) is of the combined values (the 申报类型 and
    主营业务收入 of the refused row), not of the 补正's row alone, as the stored version is."""
    from zjtx.store import open_store

    store = open_store(database_url)
    service = StoreService(store)
    _round(service)
    only = write_book(
        tmp_path / "A_申报汇总.xlsx",
        HEADER,
        ["甲精密有限公司", USCC, 800, 7000, 500, 8000, 120, "新申报"],
    )
    assert _import(service, only).rows_blocked == 1
    _import(service, _fix(tmp_path))

    evaluation = service.review_state(ROUND, USCC).evaluation
    assert evaluation["application_type"] == "new"
    missing = {key for c in evaluation["criteria"] for key in c.get("missing") or ()}
    assert not {"main_revenue_y1", "revenue_y2", "rd_expense_y1"} & missing
    assert service.rescore(ROUND).reevaluated == 0  # nothing stale to put right
    store.close()


def test_a_value_a_later_refused_row_gives_in_error_is_not_taken_from_an_earlier_one(
    service, tmp_path
):
    """The first file gives 从业人员 120; its 补正, refused, gives 从业人员 −5 (an error of that
    figure): the next 补正 does not take the first file's 120, and says 从业人员 still needs one."""
    _round(service)
    _import(service, _first(tmp_path))
    refused = write_book(
        tmp_path / "补正1.xlsx",
        ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "从业人员数"],
        ["甲精密有限公司", USCC, 8600, -5],
    )
    assert _import(service, refused).rows_blocked == 1
    result = _import(service, _fix(tmp_path, name="补正2.xlsx"))

    assert "employees_y1" not in service.applicant_detail(ROUND, USCC).applicant.values
    [notice] = [i for i in result.issues if i.code == "store-refused-combined"]
    assert "该申报中有错误的上年末从业人员未采用，仍需补正" in notice.message
