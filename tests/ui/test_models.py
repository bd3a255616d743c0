"""Table models over real store data, checked by pytest-qt's model tester."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import ROUND, ROUND_DATE, write_synthetic_json
from zjtx.intake import read_applicants
from zjtx.ui.import_dialog import MappingModel
from zjtx.ui.models import (
    ROW_ROLE,
    ApplicantFilterProxy,
    ApplicantTableModel,
    CriteriaModel,
    IssuesModel,
)


def _imported(service, sample_json):
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [sample_json])
    return service.list_applicants(ROUND)


def test_applicant_model_passes_model_tester(qtmodeltester, service, sample_json):
    """The applicant table model is a consistent Qt model with every sample applicant."""
    rows = _imported(service, sample_json)
    model = ApplicantTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) >= 20
    verdicts = {model.index(r, model.VERDICT_COLUMN).data() for r in range(model.rowCount())}
    assert verdicts <= {"符合条件", "不符合条件", "待定"}
    assert model.index(0, model.VERDICT_COLUMN).data(Qt.ItemDataRole.DecorationRole) is not None


def test_proxy_filters_and_sorts(qtmodeltester, service, sample_json):
    """The proxy filters by verdict and search text and sorts by any column."""
    rows = _imported(service, sample_json)
    model = ApplicantTableModel()
    model.set_rows(rows)
    proxy = ApplicantFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_filters(verdict="pending")
    expected = sum(1 for r in rows if r.verdict == "pending")
    assert 0 < proxy.rowCount() == expected
    assert all(proxy.index(i, 0).data(ROW_ROLE).verdict == "pending" for i in range(expected))
    proxy.set_filters(search="苏州")
    assert proxy.rowCount() == sum(1 for r in rows if "苏州" in r.name)
    proxy.set_filters(search=rows[3].uscc[-6:])
    assert [proxy.index(i, 0).data(ROW_ROLE).uscc for i in range(proxy.rowCount())] == [
        rows[3].uscc
    ]
    proxy.set_filters()
    proxy.sort(model.NAME_COLUMN, Qt.SortOrder.DescendingOrder)
    names = [proxy.index(i, model.NAME_COLUMN).data() for i in range(proxy.rowCount())]
    assert names == sorted((r.name for r in rows), reverse=True)
    proxy.sort(7, Qt.SortOrder.DescendingOrder)
    opens = [proxy.index(i, 0).data(ROW_ROLE).open_judgements for i in range(proxy.rowCount())]
    assert opens == sorted(opens, reverse=True)
    qtmodeltester.check(proxy)


def test_criteria_and_issues_models(qtmodeltester, service, sample_json, tmp_path):
    """Criteria of a stored evaluation and the applicant's import issues show with tooltips."""
    rows = _imported(service, sample_json)
    detail = service.applicant_detail(ROUND, rows[0].uscc)
    criteria = CriteriaModel()
    criteria.set_criteria(detail.review.evaluation["criteria"])
    qtmodeltester.check(criteria)
    assert criteria.rowCount() == len(detail.review.evaluation["criteria"])
    tooltip = criteria.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "条款：" in tooltip and "可信等级：" in tooltip
    source = write_synthetic_json(tmp_path / "申报.json", 3)
    data = json.loads(source.read_text(encoding="utf-8"))
    data[2]["employees_y1"] = "很多"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    found = read_applicants([source], ROUND_DATE.year).files[0].issues
    issues = IssuesModel()
    issues.set_issues(found)
    qtmodeltester.check(issues)
    assert issues.rowCount() == len(found) >= 1
    assert (
        issues.index(0, 0).data()
        == {"error": "错误", "warning": "警告", "info": "提示"}[found[0].severity]
    )
    assert found[0].message in issues.index(0, 1).data()
    assert found[0].location() in issues.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_column_mapping_model_from_a_real_roster(qtmodeltester, tmp_path: Path):
    """The headers of a roster workbook appear with the fields, units and years they map to."""
    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring import load_catalogue

    roster = write_roster_template(
        tmp_path / "名单.xlsx", load_catalogue(), ROUND_DATE.year, applicants(3, ROUND_DATE.year)
    )
    result = read_applicants([roster], ROUND_DATE.year)
    mapping = result.files[0].column_mapping
    model = MappingModel()
    model.set_mappings(mapping, ROUND_DATE.year)
    qtmodeltester.check(model)
    assert model.rowCount() == len(mapping) > 10
    texts = {model.index(r, 3).data() for r in range(model.rowCount())}
    assert "企业名称" in texts
    assert any(model.index(r, 5).data() == "万元" for r in range(model.rowCount()))


def test_empty_models_pass_model_tester(qtmodeltester):
    """Empty models (before a round is opened) are consistent too, the filter proxy as well."""
    for model in (ApplicantTableModel(), CriteriaModel(), IssuesModel(), MappingModel()):
        qtmodeltester.check(model)
    proxy = ApplicantFilterProxy()
    proxy.setSourceModel(ApplicantTableModel())
    proxy.set_filters(region="江苏", search="测试")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 0


def test_rank_header_says_what_the_rank_means():
    """The 排名 header explains it ranks every applicant by score, unlike the 推荐汇总表."""
    from PySide6.QtCore import Qt

    from zjtx.ui.models import ApplicantTableModel

    model = ApplicantTableModel()
    tip = model.headerData(
        ApplicantTableModel.RANK_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "得分" in tip and "推荐汇总表" in tip


def test_every_column_is_named_with_a_header_and_a_display():
    """Each model's columns are named specs (header, display) in the order of the old constants."""
    from zjtx.ui.models import (
        SORT_ROLE,
        ApplicantColumn,
        CriteriaColumn,
        IssueColumn,
        ItemRole,
    )

    for model, names in (
        (ApplicantTableModel, ApplicantColumn),
        (CriteriaModel, CriteriaColumn),
        (IssuesModel, IssueColumn),
    ):
        specs = model.COLUMN_SPECS
        assert [int(c) for c in names] == list(range(len(specs))) == list(range(len(model.COLUMNS)))
        for column, spec in zip(names, specs, strict=True):
            assert spec.header and callable(spec.display), (model.__name__, column.name)
            assert model().headerData(column, Qt.Orientation.Horizontal) == spec.header
    assert ApplicantTableModel.COLUMNS == ("排名", "统一社会信用代码", "企业名称", "申报类型",
                                           "评价标准", "评价结论", "得分", "待确认", "待核提示",
                                           "评审决定", "评审状态", "地区")  # fmt: skip
    assert (ApplicantTableModel.NAME_COLUMN, ApplicantTableModel.VERDICT_COLUMN,
            ApplicantTableModel.REGION_COLUMN) == (ApplicantColumn.NAME, 5, 11)  # fmt: skip
    user = int(Qt.ItemDataRole.UserRole)
    assert (SORT_ROLE, ROW_ROLE) == (ItemRole.SORT, ItemRole.ROW) == (user + 1, user + 2)


def test_points_awaiting_an_evaluator_show_their_range(qtbot, service, tmp_path):
    """A scored item open to an evaluator (a 主导产品 not over 50 %) shows its points range in
    the criteria table and the possible total in the detail's summary, as the report prints."""
    from zjtx.ui.detail import DetailPane

    source = write_synthetic_json(tmp_path / "申报.json", 1)
    data = json.loads(source.read_text(encoding="utf-8"))
    data[0].update(
        {
            "lead_product_revenue_y1": str(Decimal(data[0]["revenue_y1"]) * Decimal("0.4")),
            "ip1_high_value": 0,
            "ip1_self_developed": 2,
        }
    )
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    service.create_round(ROUND, tier="innovative-sme", round_date=date(2025, 6, 1))
    service.import_paths(ROUND, [source])
    uscc = service.list_applicants(ROUND)[0].uscc
    detail = service.applicant_detail(ROUND, uscc)
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_detail(detail)
    model = pane.criteria_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "IN22-S1")
    assert model.index(row, 2).data() == "待人工确认"
    assert model.index(row, 6).data() == "0–15 / 20"
    evaluation = detail.review.evaluation
    low, high = evaluation["score_min"], evaluation["score_max"]
    assert Decimal(high) - Decimal(low) == 15
    assert f"（可能 {low}–{high}）" in pane.summary.text()


def test_window_and_report_mark_a_revision_alike():
    """A decision that keeps the state the data decided reads （已确认）, one that changes it
    （改判）, in the window's criteria table as on the printed report (the window marked both
    改判)."""
    from zjtx.domain.results import Confirmation, CriterionState
    from zjtx.export.report_model import build_assessment_report
    from zjtx.intake.json_input import read_json_applicants
    from zjtx.paths import resource_path
    from zjtx.scoring import evaluate, load_catalogue, load_rulebook
    from zjtx.ui.models import CriteriaColumn

    catalogue = load_catalogue()
    applicant = read_json_applicants(resource_path("samples", "applicants.json"), catalogue)[0]
    decided = [
        Confirmation("SR26-0", CriterionState.MET, "核对营业执照", "王评审", override=True),
        Confirmation("SR26-4", CriterionState.UNMET, "主导产品不属于", "王评审", override=True),
    ]
    evaluation = evaluate(
        applicant, load_rulebook("srdi-sme-2026"), round_date=date(2026, 5, 20),
        confirmations=decided,
    )  # fmt: skip
    computed = {c.id: c.computed_state for c in evaluation.criteria if c.confirmation}
    assert computed == {"SR26-0": CriterionState.MET, "SR26-4": CriterionState.MET}
    model = CriteriaModel()
    model.set_criteria(evaluation.to_dict()["criteria"])
    shown = {
        model.index(r, CriteriaColumn.ID).data(): model.index(r, CriteriaColumn.STATE).data()
        for r in range(model.rowCount())
    }
    assert (shown["SR26-0"], shown["SR26-4"]) == ("符合（已确认）", "不符合（改判）")
    report = build_assessment_report(
        evaluation, catalogue=catalogue, applicant=applicant, made_at=datetime(2026, 5, 20)
    )
    rows = {row.criterion_id: row for group in report.groups for row in group.rows}
    assert [(rows[c].overridden, rows[c].confirmed) for c in ("SR26-0", "SR26-4")] == [
        (False, True),
        (True, True),
    ]


def test_a_score_not_yet_fixed_shows_its_range_and_no_rank(service, tmp_path):
    """The table: 70–95 / 100 and "—" for the open score, with a tooltip saying why; sorted by
    得分 high to low, the fixed scores come first and the range after them."""
    from tests.store.test_open_scores import _records, _write_round
    from zjtx.ui.models import ApplicantColumn

    _write_round(service, tmp_path, _records())
    model = ApplicantTableModel()
    model.set_rows(service.list_applicants("福州2026创新型"))
    proxy = ApplicantFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(ApplicantColumn.SCORE, Qt.SortOrder.DescendingOrder)
    shown = [
        (proxy.index(r, ApplicantColumn.RANK).data(), proxy.index(r, ApplicantColumn.SCORE).data())
        for r in range(proxy.rowCount())
    ]
    assert shown == [("1", "85 / 100"), ("2", "80 / 100"), ("—", "70–95 / 100")]
    tip = proxy.index(2, ApplicantColumn.SCORE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("得分未定（70–95 分）") and "不参加排名" in tip
    header = model.headerData(
        ApplicantColumn.RANK, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "得分未定的企业" in header and "不排名" in header
