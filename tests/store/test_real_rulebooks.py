"""The store with the bundled rulebooks: per-applicant rulebook choice, settings, confirmations."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.store.helpers import make_uscc
from zjtx.store import ReviewRuleError, StoreService, open_store

COMPLETE = {
    "application_type": "new", "size_sector": "industry", "industry_code": "C3562",
    "employees_y1": 180, "total_assets_y1": 12000, "total_liabilities_y1": 4000,
    "revenue_y1": 9000, "revenue_y2": 8000, "revenue_y3": 7000,
    "main_revenue_y1": 8800, "main_revenue_y2": 7800, "main_revenue_y3": 6800,
    "rd_expense_y1": 600, "rd_expense_y2": 500, "rd_expense_y3": 400,
    "abnormal_operation": False, "serious_dishonesty": False, "prohibited_product": False,
    "major_incident_3y": False, "holds_innovative": True, "niche_years": 8,
    "ip1_applied": 3, "platform_score": 72,
    "revoked_3y": False,  # the 2026 revocation bar (SR26-V): unknown would leave it 待定
}  # fmt: skip


def finance_record(number: int, name: str = "杭州金服科技有限公司") -> dict:
    """COMPLETE as a 金融业 enterprise: outside the 划型 rules, so SR26-0 waits for a judgement."""
    record = {**COMPLETE, "name": name, "uscc": make_uscc(number), "industry_code": "J6621"}
    record.pop("size_sector")
    return record


def lg22_without_share(number: int) -> dict:
    """A 2024 小巨人 applicant whose LG22-3a waits for its market share beside its renown
    judgement (待补充数据)."""
    from decimal import Decimal

    from tests.scoring.applicants import CLEAN, WORKED_EXAMPLE

    record = {**CLEAN, **WORKED_EXAMPLE, "application_type": "new", "holds_srdi": True}
    record = {k: str(v) if isinstance(v, Decimal) else v for k, v in record.items()}
    record.update(name="甲公司", uscc=make_uscc(number))
    record.pop("market_share_domestic", None)
    return record


def _write(path, *records):
    path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def service(database_url):
    store = open_store(database_url)
    try:
        yield StoreService(store)  # the bundled rulebooks
    finally:
        store.close()


def test_manual_criterion_confirmed_turns_pending_into_qualified(service, tmp_path):
    """SR26-5 needs a judgement: confirming it makes the applicant qualified and recommendable."""
    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    record = {"name": "杭州精工机械有限公司", "uscc": make_uscc(1), **COMPLETE}
    [report] = service.import_paths("浙江2026", [_write(tmp_path / "a.json", record)])
    assert report.applicants_new == 1
    row = service.list_applicants("浙江2026")[0]
    assert (row.rulebook, row.verdict, row.open_judgements) == ("srdi-sme-2026", "pending", 1)
    state = service.confirm_criterion(
        "浙江2026", make_uscc(1), "SR26-5", "met", "国内细分市场占有率第二", evaluator="王评审"
    )
    assert state.verdict == "qualified"
    criterion = next(c for c in state.evaluation["criteria"] if c["id"] == "SR26-5")
    assert criterion["state"] == "met"
    assert criterion["confirmation"]["evaluator"] == "王评审"
    state = service.decide("浙江2026", make_uscc(1), "recommend", "同意推荐")
    assert state.decision == "recommend"


def test_new_and_renewal_applicants_get_their_own_rulebooks(service, tmp_path):
    """In a 2026 小巨人 round a renewal is scored under 2022 rules, a new applicant under 2026."""
    service.create_round(
        "小巨人2026",
        tier="little-giant",
        round_date=date(2026, 5, 20),
        settings={"renewal_growth_waived": True},
    )
    new = {"name": "新申报企业", "uscc": make_uscc(1), **COMPLETE}
    renewal = {**new, "name": "复核企业", "uscc": make_uscc(2), "application_type": "renewal"}
    service.import_paths("小巨人2026", [_write(tmp_path / "a.json", new, renewal)])
    rows = {r.uscc: r for r in service.list_applicants("小巨人2026")}
    assert rows[make_uscc(1)].rulebook == "little-giant-2026"
    assert rows[make_uscc(2)].rulebook == "little-giant-2022"
    assert (rows[make_uscc(1)].application_type, rows[make_uscc(2)].application_type) == (
        "new",
        "renewal",
    )


def test_an_applicant_of_no_type_that_a_renewal_would_pass_waits_for_its_type(service, tmp_path):
    """No 申报类型, 复核 answers given, 本年度 45 and 上年度 52: as 新申报 it fails SR26-6, as 复核
    it passes, so it is 待定 with its type unknown (not 新申报), and 推荐 is refused saying why."""
    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    record = {"name": "杭州精工机械有限公司", "uscc": make_uscc(1), **COMPLETE}
    record.pop("application_type")
    record.update(platform_score=45, platform_score_prev=52)
    record.update(annual_update_on_time=True, major_change_report="none")
    service.import_paths("浙江2026", [_write(tmp_path / "a.json", record)])
    service.confirm_criterion(
        "浙江2026", make_uscc(1), "SR26-5", "met", "国内细分市场占有率第二", evaluator="王评审"
    )
    row = service.list_applicants("浙江2026")[0]
    assert (row.verdict, row.application_type) == ("pending", "")
    with pytest.raises(ReviewRuleError) as refused:
        service.decide("浙江2026", make_uscc(1), "recommend", "同意推荐")
    assert (
        "评价结论为“待定”：未填申报类型：按新申报评价为“不符合条件”，按复核评价为“符合条件”"
        in str(refused.value)
    )


def test_round_settings_are_checked_against_the_rulebooks(service):
    """A misspelt setting, and a tier with no rulebook on the date (单项冠军 before the 2016
    办法), are refused at creation."""
    with pytest.raises(ReviewRuleError, match="您是不是要写 “revenue_floor_5000”"):
        service.create_round(
            "x", tier="little-giant", round_date=date(2026, 5, 20), settings={"revenue_floor": True}
        )
    with pytest.raises(ReviewRuleError, match="没有适用的评价标准"):
        service.create_round("y", tier="single-champion", round_date=date(2016, 3, 15))
    assert service.list_rounds() == []


def test_revenue_floor_setting_reaches_the_evaluator(service, tmp_path):
    """With revenue_floor_5000 a renewal under 5000万 fails; the same data passes without it."""
    record = {
        "name": "小企业", "uscc": make_uscc(3), **COMPLETE, "application_type": "renewal",
        "revenue_y1": 4000, "main_revenue_y1": 3900,
    }  # fmt: skip
    path = _write(tmp_path / "a.json", record)
    for name, floor in (("有门槛", True), ("无门槛", False)):
        service.create_round(
            name,
            tier="little-giant",
            round_date=date(2026, 5, 20),
            settings={"revenue_floor_5000": floor},
        )
        service.import_paths(name, [path])
    with_floor = service.applicant_detail("有门槛", make_uscc(3)).review.evaluation
    without = service.applicant_detail("无门槛", make_uscc(3)).review.evaluation
    assert with_floor["verdict"] == "not_qualified"
    assert without["verdict"] != "not_qualified"


def test_stored_result_is_the_full_evaluation(service, tmp_path):
    """What is read back equals Evaluation.to_dict(); the rulebook texts are stored once."""
    from sqlalchemy import func, select

    from zjtx.store.models import EvaluationResult, RulebookText

    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    records = [
        {"name": f"企业{i}", "uscc": make_uscc(i), **COMPLETE, "revenue_y1": 9000 + i}
        for i in range(1, 4)
    ]
    service.import_paths("浙江2026", [_write(tmp_path / "a.json", *records)])
    detail = service.applicant_detail("浙江2026", make_uscc(2))
    info = service.get_round("浙江2026")
    expected = service.scorer(detail.applicant, info, []).to_dict()
    assert detail.review.evaluation == expected
    assert [c["id"] for c in detail.review.evaluation["criteria"]] == [
        c["id"] for c in expected["criteria"]
    ]
    with service.store.session() as session:
        assert session.scalar(select(func.count()).select_from(RulebookText)) == 1
        stored = session.scalars(select(EvaluationResult.result)).first()
    assert "clause" not in stored["criteria"][0]
    assert (
        len(json.dumps(stored, ensure_ascii=False))
        < len(json.dumps(expected, ensure_ascii=False)) * 0.6
    )


def test_overriding_a_judgement_item_the_data_decided_changes_its_state(service, tmp_path):
    """SR26-0 holds a judgement part only for an industry outside the 划型 rules; for a
    manufacturer the data decide it, so an evaluator's 不符合 is a 改判: it decides the
    criterion outright, and the trail and the stored item say so."""
    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    record = {"name": "杭州精工机械有限公司", "uscc": make_uscc(1), **COMPLETE}
    service.import_paths("浙江2026", [_write(tmp_path / "a.json", record)])
    before = service.review_state("浙江2026", make_uscc(1))
    first = before.evaluation["criteria"][0]
    assert (first["id"], first["state"], first["judgement"]) == ("SR26-0", "met", True)

    state = service.confirm_criterion(
        "浙江2026", make_uscc(1), "SR26-0", "unmet", "经核查已列入经营异常名录", evaluator="王评审"
    )

    criterion = state.evaluation["criteria"][0]
    assert (criterion["state"], criterion["computed_state"]) == ("unmet", "met")
    assert criterion["observed"].endswith("（按申报数据计算；评审人改判为“不符合”）")
    assert state.verdict == "not_qualified"
    assert [(i.target, i.state, i.override) for i in state.items] == [("SR26-0", "unmet", True)]
    trail = service.history("浙江2026", make_uscc(1))
    assert "criterion-override" in [h.action for h in trail]
    assert "criterion-confirm" not in [h.action for h in trail]


def test_a_judgement_confirmed_while_open_does_not_override_facts_imported_later(service, tmp_path):
    """SR26-0 of a 金融业 enterprise waits for the 划型 judgement; the evaluator's 符合 decides
    that part only, so a correction saying it is in the 经营异常名录 still fails it."""
    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    record = finance_record(1)
    service.import_paths("浙江2026", [_write(tmp_path / "a.json", record)])
    assert service.review_state("浙江2026", make_uscc(1)).evaluation["criteria"][0]["state"] == (
        "manual"
    )
    state = service.confirm_criterion(
        "浙江2026",
        make_uscc(1),
        "SR26-0",
        "met",
        "按金融业划型标准属于小型企业",
        evaluator="王评审",
    )
    assert state.evaluation["criteria"][0]["state"] == "met"
    assert [(i.target, i.override) for i in state.items] == [("SR26-0", False)]

    corrected = {**record, "abnormal_operation": True}
    service.import_paths("浙江2026", [_write(tmp_path / "b.json", corrected)])

    criterion = service.review_state("浙江2026", make_uscc(1)).evaluation["criteria"][0]
    assert (criterion["state"], criterion["computed_state"]) == ("unmet", "unmet")


def test_a_judgement_confirmed_while_its_data_are_missing_is_no_override(service, tmp_path):
    """LG22-3a without a market share waits for data beside its renown judgement: the
    evaluator's 符合 confirms the judgement part, so a 5 % share imported later fails it."""
    record = lg22_without_share(1)
    service.create_round("小巨人2024", tier="little-giant", round_date=date(2024, 6, 1))
    service.import_paths("小巨人2024", [_write(tmp_path / "a.json", record)])
    criteria = service.review_state("小巨人2024", make_uscc(1)).evaluation["criteria"]
    share = next(c for c in criteria if c["id"] == "LG22-3a")
    assert (share["state"], share["judgement"]) == ("unknown", True)

    state = service.confirm_criterion(
        "小巨人2024", make_uscc(1), "LG22-3a", "met", "行业协会证明知名度", evaluator="王评审"
    )
    assert [(i.target, i.override) for i in state.items] == [("LG22-3a", False)]
    service.import_paths(
        "小巨人2024", [_write(tmp_path / "b.json", {**record, "market_share_domestic": "5"})]
    )

    state = service.review_state("小巨人2024", make_uscc(1))
    share = next(c for c in state.evaluation["criteria"] if c["id"] == "LG22-3a")
    assert share["state"] == "unmet"
    assert state.verdict == "not_qualified"


def test_a_panel_members_override_after_the_chairs_decision_reads_for_a_second_look(
    service, tmp_path
):
    """The 组长 recommends; an expert then overrides SR26-0, which changes the verdict: the
    panel's positions, its summary sheet and `zjtx panel show` mark the decision 需复核."""
    from datetime import datetime

    from zjtx.commands.panel import render_positions
    from zjtx.export.panel_sheet import panel_sheet_of
    from zjtx.store.panels import Panels

    service.create_round("浙江2026", tier="srdi-sme", round_date=date(2026, 5, 20))
    record = {"name": "甲公司", "uscc": make_uscc(1), **COMPLETE}
    service.import_paths("浙江2026", [_write(tmp_path / "a.json", record)])
    panels = Panels(service.store, service.evaluations)
    panels.add_member("浙江2026", "李组长", role="组长", evaluator="李组长")
    panels.add_member("浙江2026", "王评审", role="评审专家", evaluator="李组长")
    service.confirm_criterion("浙江2026", make_uscc(1), "SR26-5", "met", "第二", evaluator="王评审")
    service.decide("浙江2026", make_uscc(1), "recommend", "同意", evaluator="李组长")
    assert panels.positions("浙江2026", make_uscc(1)).decision_text == "推荐"

    service.confirm_criterion(
        "浙江2026", make_uscc(1), "SR26-0", "unmet", "已列入经营异常名录", evaluator="王评审"
    )

    view = panels.positions("浙江2026", make_uscc(1))
    why = "决定作出后评价结论由“符合条件”变为“不符合条件”"
    assert (view.decision_text, view.decision_outdated_reason) == ("推荐（需复核）", why)
    sheet = panel_sheet_of(panels, "浙江2026", datetime(2026, 6, 1).astimezone())
    assert {row.decision for row in sheet.rows} == {"推荐（需复核）（李组长）"}
    assert f"需复核：{why}" in render_positions(view).splitlines()


def test_an_overlay_round_reads_its_own_fields_from_the_round_s_template(service, tmp_path):
    """A 山东 round (overlay shandong-2022): the template made for the round asks the overlay's
    特色化 questions, and a roster filled in on it is imported with those answers (they were
    ignored as unknown columns), scored by the overlay's SD criteria."""
    from decimal import Decimal

    import openpyxl

    from zjtx.domain.fields import FieldType
    from zjtx.intake.templates import write_roster_template

    AMOUNTS = (FieldType.MONEY, FieldType.PERCENT, FieldType.DECIMAL)

    service.create_round("山东2023", tier="srdi-sme", round_date=date(2023, 6, 1),
                         overlay="shandong-2022")  # fmt: skip
    catalogue = service.round_catalogue("山东2023")
    assert "sd_key_industry" in catalogue
    record = {"name": "济南精工机械有限公司", "uscc": make_uscc(7), **COMPLETE,
              "sd_key_industry": "B", "sd_innovation_items": 2}  # fmt: skip
    # Typed as the reader gives them back: amounts as Decimal.
    record = {k: Decimal(v) if catalogue[k].type in AMOUNTS else v
              for k, v in record.items() if k in catalogue}  # fmt: skip
    path = write_roster_template(tmp_path / "山东名单.xlsx", catalogue, 2023, [record])
    headers = [c.value for c in openpyxl.load_workbook(path)["申报名单"][2]]
    assert "属于本省重点产业领域情况（山东特色化 SD-9）" in headers
    [file] = service.read_files("山东2023", [path])
    assert not [i for i in file.issues if i.code == "column-ignored"]
    [applicant] = file.applicants
    assert (applicant.values["sd_key_industry"], applicant.values["sd_innovation_items"]) == (
        "B",
        2,
    )
    service.import_paths("山东2023", [path])
    detail = service.applicant_detail("山东2023", make_uscc(7))
    sd9 = next(c for c in detail.review.evaluation["criteria"] if c["id"] == "SD-9")
    assert sd9["state"] != "unknown"


def test_an_overlay_field_left_out_is_asked_for_by_its_label(service, tmp_path):
    """补正清单 of a 山东 round: an applicant without the 特色化 answers is asked for them in
    the words of the round's template, never by a raw key such as sd_listing_stage."""
    from zjtx.export.corrections import corrections_of_round

    service.create_round("山东2023", tier="srdi-sme", round_date=date(2023, 6, 1),
                         overlay="shandong-2022")  # fmt: skip
    record = {"name": "济南精工机械有限公司", "uscc": make_uscc(8), **COMPLETE}
    service.import_paths("山东2023", [_write(tmp_path / "a.json", record)])
    model = corrections_of_round(service, "山东2023")
    said = [f"{i.request} {i.where}" for a in model.applicants for i in a.items]
    sd12 = next(t for t in said if "SD-12" in t)
    assert sd12.startswith("请补充：上市进展情况（山东特色化 SD-12）")
    assert not [t for t in said if "sd_" in t]


def test_a_scored_item_whose_points_wait_for_data_is_not_overridden_to_met(service, tmp_path):
    """IN22-S1 open at 10–20 (no 高价值 count): 改判 to 符合 says nothing of its points (it took
    the 20 an open item could, where the evaluator meant 10) and is refused, naming the range
    and what to do; 不符合 (its least) is still taken."""
    from decimal import Decimal

    from tests.scoring.applicants import base

    record = {
        k: str(v) if isinstance(v, Decimal) else v for k, v in base("innovative-sme-2022").items()
    }
    record.pop("ip1_high_value", None)
    record.update(name="甲公司", uscc=make_uscc(7), ip1_total=3, ip1_self_developed=0)
    service.create_round("创新型2026", tier="innovative-sme", round_date=date(2026, 6, 20))
    service.import_paths("创新型2026", [_write(tmp_path / "a.json", record)])
    item = next(
        c
        for c in service.review_state("创新型2026", make_uscc(7)).evaluation["criteria"]
        if c["id"] == "IN22-S1"
    )
    assert (item["state"], item["points_min"], item["points_max"]) == ("unknown", 10, 20)
    with pytest.raises(ReviewRuleError, match="得分尚未确定（10–20 分，待补充数据）") as refused:
        service.confirm_criterion(
            "创新型2026", make_uscc(7), "IN22-S1", "met", "受让专利应计入", evaluator="王评审"
        )
    assert "请补充所缺数据后重新评价" in str(refused.value)
    state = service.confirm_criterion(
        "创新型2026", make_uscc(7), "IN22-S1", "unmet", "专利与主导产品无关", evaluator="王评审"
    )
    scored = next(c for c in state.evaluation["criteria"] if c["id"] == "IN22-S1")
    assert (scored["state"], scored["points"]) == ("unmet", 0)


def test_an_item_shown_for_information_holds_no_recommendation_up(service, tmp_path):
    """SC23-B 加分项 is shown for reference and waits for an evaluator, but is no 待人工确认:
    with every other item confirmed the 单项冠军 applicant is recommended, and it is not counted
    among the open items (it held 推荐 up and counted in every applicant's open items)."""
    service.create_round("冠军2026", tier="single-champion", round_date=date(2026, 6, 1))
    record = {
        "name": "杭州冠军仪表有限公司", "uscc": make_uscc(5), "application_type": "new",
        "abnormal_operation": False, "serious_dishonesty": False, "prohibited_product": False,
        "major_incident_3y": False, "field_years": 12, "main_revenue_y1": 52000,
        "main_revenue_y2": 50000, "main_revenue_y3": 48000, "market_rank_global": 2,
        "new_product": False, "revoked_3y": False,
    }  # fmt: skip
    service.import_paths("冠军2026", [_write(tmp_path / "a.json", record)])
    detail = service.applicant_detail("冠军2026", make_uscc(5))
    opened = [c for c in detail.review.evaluation["criteria"] if c["state"] == "manual"]
    assert "SC23-B" in [c["id"] for c in opened]
    row = service.list_applicants("冠军2026")[0]
    assert row.open_judgements == len(opened) - 1
    for item in opened:
        if item["id"] != "SC23-B":
            service.confirm_criterion(
                "冠军2026", make_uscc(5), item["id"], "met", "已核对证明材料", evaluator="王评审"
            )
    row = service.list_applicants("冠军2026")[0]
    assert (row.verdict, row.open_judgements) == ("qualified", 0)
    review = service.applicant_detail("冠军2026", make_uscc(5)).review
    assert review.open_judgements == () and review.status.label == "待决定"
    state = service.decide("冠军2026", make_uscc(5), "recommend", "同意推荐", evaluator="王评审")
    assert state.decision == "recommend"
