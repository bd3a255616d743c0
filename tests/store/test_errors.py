"""Store errors say what they are: cancellations under one root, the unsaved part named."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.store.helpers import make_applicant, make_file, make_uscc, warning
from zjtx.domain.errors import Cancelled
from zjtx.store import (
    ImportCancelled,
    ReadCancelled,
    RescoreCancelled,
    StoreError,
    StoreService,
)
from zjtx.store.models import Evaluation

ROUND = "2026年第一批"


def _filled(service: StoreService, tmp_path, *, warned: bool = False) -> None:
    """A round of three applicants; ``warned``: the second with an import warning."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    issues = [warning(make_uscc(2))] if warned else []
    service.import_file(
        ROUND,
        make_file(tmp_path / "a.xlsx", [make_applicant(i) for i in range(1, 4)], issues=issues),
    )


def _evaluations(service: StoreService) -> int:
    with service.store.session() as session:
        return session.scalar(select(func.count()).select_from(Evaluation)) or 0


def test_every_layer_cancels_under_one_root():
    """Intake's, scoring's and the store's cancellations are all zjtx.domain Cancelled."""
    from zjtx.intake import Cancelled as IntakeCancelled
    from zjtx.scoring import Cancelled as ScoringCancelled

    for kind in (IntakeCancelled, ScoringCancelled, ImportCancelled, RescoreCancelled):
        assert issubclass(kind, Cancelled)
    assert issubclass(ReadCancelled, Cancelled) and issubclass(ReadCancelled, StoreError)
    assert not issubclass(RescoreCancelled, ImportCancelled)
    assert not issubclass(ReadCancelled, ImportCancelled)


def test_cancelled_rescore_is_a_rescore_cancellation(service, scorer, tmp_path):
    """Cancelling a rescore raises RescoreCancelled and adds no evaluation."""
    _filled(service, tmp_path)
    scorer.rulebook_hash = "b" * 64  # every applicant would get a new evaluation
    before = _evaluations(service)
    with pytest.raises(RescoreCancelled, match="已取消重新评价") as raised:
        service.rescore(ROUND, cancel=lambda: True)
    assert not isinstance(raised.value, ImportCancelled)
    assert _evaluations(service) == before


def test_cancelled_round_read_is_a_read_cancellation(service, tmp_path):
    """Cancelling a whole-round read (an export) raises ReadCancelled, not ImportCancelled."""
    _filled(service, tmp_path)
    with pytest.raises(ReadCancelled, match="已取消读取批次数据") as raised:
        list(service.round_details(ROUND, cancel=lambda: True))
    assert not isinstance(raised.value, ImportCancelled)


def test_scoring_failure_names_what_was_not_saved(service, scorer, tmp_path):
    """An applicant that cannot be scored: 本文件未写入 on import, not on rescore or review."""
    _filled(service, tmp_path)

    def broken(applicant, round_info, confirmations):
        raise LookupError("没有适用的规则")

    service.scorer = broken
    with pytest.raises(StoreError, match="本文件未写入"):
        service.import_file(ROUND, make_file(tmp_path / "b.xlsx", [make_applicant(9)]))
    with pytest.raises(StoreError, match="没有适用的规则") as rescore:
        service.rescore(ROUND)
    assert "本文件" not in str(rescore.value) and "数据库未改动" in str(rescore.value)
    with pytest.raises(StoreError, match="没有适用的规则") as review:
        service.confirm_criterion(ROUND, make_uscc(1), "T-JUDGE", "met", "已核实", evaluator="王")
    assert "本文件" not in str(review.value) and "评审未保存" in str(review.value)
    service.scorer = scorer
    assert service.review_state(ROUND, make_uscc(1)).version == 0


def test_control_characters_in_typed_texts_are_refused_and_nothing_is_saved(service, tmp_path):
    """A reason, an opinion, a 回避 reason or a round name with a control character (NUL, a
    bell, a reversal of writing direction: pasted from another program) is refused on both
    databases with a message naming the character; the review keeps what it had. Line
    breaks and tabs are text."""
    from zjtx.store import InvalidRequestError

    _filled(service, tmp_path)
    uscc = make_uscc(1)
    service.apply_review(ROUND, uscc, evaluator="张三", confirm=[], reason=None, decision=None,
                         opinion="原意见")  # fmt: skip
    for pasted, shown in (("意见\x00来自粘贴", r"\\x00"), ("意见\x07", r"\\x07"),
                          ("意见\u202e反向", r"\\u202e")):  # fmt: skip
        with pytest.raises(
            InvalidRequestError, match=rf"评审意见含有控制字符 {shown}.*本次操作未保存"
        ):
            service.apply_review(ROUND, uscc, evaluator="张三", confirm=[], reason=None,
                                 decision=None, opinion=pasted)  # fmt: skip
    assert service.review_state(ROUND, uscc).opinion == "原意见"
    with pytest.raises(InvalidRequestError, match=r"理由含有控制字符 \\x1b"):
        service.confirm_criterion(ROUND, uscc, "T-JUDGE", "met", "已核实\x1b[31m", evaluator="王")
    with pytest.raises(InvalidRequestError, match=r"批次的新名称含有控制字符"):
        service.rename_round(ROUND, "新批次\x08")
    kept = service.apply_review(ROUND, uscc, evaluator="张三", confirm=[], reason=None,
                                decision=None, opinion="第一行\n\t第二行")  # fmt: skip
    assert kept.opinion == "第一行\n\t第二行"


@pytest.mark.postgres
def test_a_nul_character_the_service_did_not_catch_is_refused_in_chinese(postgres_url):
    """The database's own net: PostgreSQL cannot store a NUL character, and a text that
    reaches it with one (past every check of the service) is refused in Chinese, not as a
    driver's DataError."""
    from zjtx.store import InvalidRequestError, open_store
    from zjtx.store.models import Evaluator

    store = open_store(postgres_url)
    try:
        refused = pytest.raises(InvalidRequestError, match=r"空字符（NUL.*本次操作未保存")
        with refused, store.write_session() as session:
            session.add(Evaluator(name="王\x00五"))
        with store.session() as session:
            assert session.query(Evaluator).count() == 0
    finally:
        store.close()


@pytest.mark.parametrize(
    "damaged",
    [
        '{"revenue_y1": {"decimal": "abc"}}',
        '{"founded": {"date": "2019-13-45"}}',
        '{"revenue_y1": {"money": "12"}}',
        "[1, 2]",
    ],
    ids=["bad-decimal", "bad-date", "unknown-tag", "not-an-object"],
)
def test_damaged_stored_values_are_named_where_they_are_read(service, tmp_path, damaged):
    """A version's values damaged in the database (edited by hand, a disk fault): reading the
    applicant, the whole round and rescoring each say which applicant and version, in Chinese,
    instead of a driver's exception; other applicants still read."""
    _filled(service, tmp_path)
    expected = _damage(service, damaged)
    with pytest.raises(StoreError, match="字段值在数据库中已损坏") as detail:
        service.applicant_detail(ROUND, make_uscc(2))
    assert expected in str(detail.value) and "联系技术支持" in str(detail.value)
    assert service.applicant_detail(ROUND, make_uscc(1)).row.uscc == make_uscc(1)
    with pytest.raises(StoreError, match="字段值在数据库中已损坏") as rescore:
        service.rescore(ROUND)
    assert expected in str(rescore.value)
    with pytest.raises(StoreError, match="字段值在数据库中已损坏") as whole:
        list(service.round_details(ROUND))
    assert expected in str(whole.value)


def test_json_text_cut_short_is_named_where_one_applicant_is_read(sqlite_url, tmp_path):
    """Values whose JSON text is cut short (SQLite keeps any text; PostgreSQL refuses it):
    the applicant's detail and a rescore name the applicant."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store

    service = StoreService(open_store(sqlite_url), scorer=RuleScorer())
    try:
        _filled(service, tmp_path)
        expected = _damage(service, '{"revenue_y1": {"decimal": "12')
        with pytest.raises(StoreError, match="字段值在数据库中已损坏") as detail:
            service.applicant_detail(ROUND, make_uscc(2))
        assert expected in str(detail.value)
        with pytest.raises(StoreError, match="字段值在数据库中已损坏") as rescore:
            service.rescore(ROUND)
        assert expected in str(rescore.value)
    finally:
        service.store.close()


@pytest.mark.parametrize(
    ("column", "what"),
    [
        ("values", "字段值"),
        ("provenance", "字段来源"),
        ("source", "申报文件位置"),
        ("issues", "导入提示"),
    ],
)
def test_json_text_cut_short_is_named_where_the_whole_round_is_read(
    sqlite_url, tmp_path, column, what
):
    """A version's JSON text cut short (SQLite keeps any text in a JSON column; PostgreSQL
    refuses it, so this is SQLite only): reading the whole round (reports, exports) names the
    applicant, the version and what of it is damaged, in Chinese, instead of the driver's
    JSONDecodeError; the other applicants still read."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store

    service = StoreService(open_store(sqlite_url), scorer=RuleScorer())
    try:
        _filled(service, tmp_path)
        expected = _damage(service, '{"revenue_y1": {"decimal": "12', column)
        with pytest.raises(StoreError, match=f"{what}在数据库中已损坏") as whole:
            list(service.round_details(ROUND))
        message = str(whole.value)
        assert f"{expected}第 1 版的{what}" in message and "JSONDecodeError" in message
        with pytest.raises(StoreError, match=f"{what}在数据库中已损坏") as detail:
            service.applicant_detail(ROUND, make_uscc(2))
        assert f"{expected}第 1 版的{what}" in str(detail.value)
        assert "数据库未改动" in message and "联系技术支持" in message
        others = [make_uscc(1), make_uscc(3)]
        assert [d.row.uscc for d in service.round_details(ROUND, others)] == others
    finally:
        service.store.close()


def test_evaluation_result_cut_short_is_named_where_the_whole_round_is_read(sqlite_url, tmp_path):
    """An evaluation result whose JSON text is cut short (SQLite only, as above): the whole-
    round read, the round's overview and the applicant's detail name the applicant and that
    its stored evaluation result is damaged, instead of the driver's JSONDecodeError."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store
    from zjtx.store.statistics import round_overview

    service = StoreService(open_store(sqlite_url), scorer=RuleScorer())
    try:
        _filled(service, tmp_path)
        expected = _damage_result(service, '{"criteria": [{"id": "T-')
        with pytest.raises(StoreError, match="评价结果在数据库中已损坏") as whole:
            list(service.round_details(ROUND))
        assert expected in str(whole.value) and "数据库未改动" in str(whole.value)
        with pytest.raises(StoreError, match="评价结果在数据库中已损坏") as overview:
            round_overview(service.store, ROUND)
        assert expected in str(overview.value)
        with pytest.raises(StoreError, match="评价结果在数据库中已损坏") as detail:
            service.applicant_detail(ROUND, make_uscc(2))
        assert expected in str(detail.value)
        others = [make_uscc(1), make_uscc(3)]
        assert [d.row.uscc for d in service.round_details(ROUND, others)] == others
    finally:
        service.store.close()


@pytest.mark.parametrize("where", ["review state", "decision", "panel positions"])
def test_evaluation_result_cut_short_is_named_by_review_and_panel(sqlite_url, tmp_path, where):
    """An evaluation result cut short (SQLite only, as above): the review pane's read, saving a
    decision and the panel's positions name the applicant and the damaged result, as the
    detail does, instead of the driver's JSONDecodeError; nothing is saved."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store
    from zjtx.store.panels import Panels

    service = StoreService(open_store(sqlite_url), scorer=RuleScorer())
    try:
        _filled(service, tmp_path)
        expected = _damage_result(service, '{"criteria": [{"id": "T-')
        panels = Panels(service.store, service.evaluations)
        act = {
            "review state": lambda: service.review_state(ROUND, make_uscc(2)),
            "decision": lambda: service.decide(
                ROUND, make_uscc(2), "reject", "不予推荐", evaluator="甲"
            ),
            "panel positions": lambda: panels.positions(ROUND, make_uscc(2)),
        }[where]
        with pytest.raises(StoreError, match="评价结果在数据库中已损坏") as caught:
            act()
        assert expected in str(caught.value) and "联系技术支持" in str(caught.value)
        assert [r.decision for r in service.list_applicants(ROUND)] == [None, None, None]
    finally:
        service.store.close()


def test_report_of_a_round_with_values_cut_short_says_which_applicant(
    tmp_path, monkeypatch, capsys
):
    """`zjtx report ROUND --out DIR` on a round whose one version's JSON text is cut short
    (SQLite only, as above): one Chinese line naming the applicant, exit status 1, no
    traceback and no 未预期的错误."""
    import json

    from tests.store.test_real_rulebooks import COMPLETE
    from zjtx.cli import main
    from zjtx.store import open_store

    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    records = [
        {"name": f"杭州精工机械{i}有限公司", "uscc": make_uscc(i), **COMPLETE} for i in (1, 2, 3)
    ]
    applicants = tmp_path / "applicants.json"
    applicants.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert main(["round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20"]) == 0
    assert main(["round", "import", ROUND, str(applicants)]) == 0
    service = StoreService(open_store())
    try:
        _damage(service, '{"revenue_y1": {"decimal": "12')
    finally:
        service.store.close()
    capsys.readouterr()
    assert main(["report", ROUND, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "未预期" not in err
    assert f"企业 杭州精工机械2有限公司（{make_uscc(2)}）第 1 版的字段值在数据库中已损坏" in err
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_issues_cut_short_on_a_version_with_warnings_are_named_where_the_table_is_read(
    sqlite_url, tmp_path
):
    """A version with an import warning whose issues JSON text is cut short (SQLite only, as
    above): the round table (the window's table, `zjtx round show`), the round's statistics,
    overview and whole-round read name the applicant and version, in Chinese, instead of the
    driver's JSONDecodeError."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store
    from zjtx.store.statistics import round_overview

    service = StoreService(open_store(sqlite_url), scorer=RuleScorer())
    try:
        _filled(service, tmp_path, warned=True)
        before = service.list_applicants(ROUND, sort="uscc")
        assert [r.open_warnings for r in before] == [0, 1, 0]
        expected = _damage(service, '[{"code": "x', "issues")
        reads = {
            "table": lambda: service.list_applicants(ROUND),
            "statistics": lambda: service.statistics(ROUND),
            "overview": lambda: round_overview(service.store, ROUND),
            "whole round": lambda: list(service.round_details(ROUND)),
        }
        for what, read in reads.items():
            with pytest.raises(StoreError, match="导入提示在数据库中已损坏") as caught:
                read()
            message = str(caught.value)
            assert f"{expected}第 1 版的导入提示" in message, what
            assert "JSONDecodeError" in message and "数据库未改动" in message, what
            assert "联系技术支持" in message, what
        with pytest.raises(StoreError, match="导入提示在数据库中已损坏") as detail:
            service.applicant_detail(ROUND, make_uscc(2))
        assert f"{expected}第 1 版的导入提示" in str(detail.value)
    finally:
        service.store.close()


def test_review_of_an_applicant_with_issues_cut_short_names_it(sqlite_url, tmp_path):
    """Saving or reading the review of an applicant whose version's issues text is cut short
    (SQLite only, as above) names it and saves nothing; other applicants are reviewed as
    before."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store

    service = StoreService(open_store(sqlite_url), scorer=RuleScorer())
    try:
        _filled(service, tmp_path, warned=True)
        expected = _damage(service, '[{"code": "x', "issues")
        for what, act in {
            "decide": lambda: service.decide(ROUND, make_uscc(2), "reject", "不予推荐"),
            "review": lambda: service.review_state(ROUND, make_uscc(2)),
        }.items():
            with pytest.raises(StoreError, match="导入提示在数据库中已损坏") as caught:
                act()
            assert f"{expected}第 1 版的导入提示" in str(caught.value), what
        state = service.decide(ROUND, make_uscc(1), "reject", "不予推荐")
        assert state.decision == "reject"
        with service.store.session() as session:
            reviews = session.execute(text("SELECT count(*) FROM reviews")).scalar()
        assert reviews == 1  # the first applicant's, nothing for the damaged one
    finally:
        service.store.close()


def test_rulebook_texts_cut_short_name_the_rulebook(sqlite_url, tmp_path):
    """The texts every result of one rulebook shares, their JSON text cut short (SQLite only,
    as above): the whole-round read, the overview and an applicant's detail name the rulebook
    (id and the start of its hash), in Chinese, instead of the driver's JSONDecodeError."""
    from tests.store.helpers import RuleScorer
    from zjtx.store import open_store
    from zjtx.store.statistics import round_overview

    store = open_store(sqlite_url)
    try:
        _filled(StoreService(store, scorer=RuleScorer()), tmp_path)
        _damage_texts(store, '{"criteria": {"T-REV": {"title": "营业')
        service = StoreService(store, scorer=RuleScorer())  # nothing cached from before
        expected = f"评价标准 test-rulebook（内容摘要 {'a' * 8}）的条目文本在数据库中已损坏"
        reads = {
            "whole round": lambda: list(service.round_details(ROUND)),
            "overview": lambda: round_overview(service.store, ROUND),
            "detail": lambda: service.applicant_detail(ROUND, make_uscc(1)),
        }
        for what, read in reads.items():
            with pytest.raises(StoreError, match="条目文本在数据库中已损坏") as caught:
                read()
            message = str(caught.value)
            assert expected in message and "JSONDecodeError" in message, what
            assert "数据库未改动" in message and "联系技术支持" in message, what
        assert len(service.list_applicants(ROUND)) == 3  # the table needs no texts
    finally:
        store.close()


def _cli_round(tmp_path, monkeypatch, second: dict | None = None) -> None:
    """A 专精特新 round of three applicants made with the command line, in the data folder
    of tmp_path; ``second``: fields of the second applicant changed."""
    import json

    from tests.store.test_real_rulebooks import COMPLETE
    from zjtx.cli import main

    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    records = [
        {"name": f"杭州精工机械{i}有限公司", "uscc": make_uscc(i), **COMPLETE} for i in (1, 2, 3)
    ]
    records[1].update(second or {})
    applicants = tmp_path / "applicants.json"
    applicants.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert main(["round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20"]) == 0
    assert main(["round", "import", ROUND, str(applicants)]) == 0


def test_round_show_with_issues_cut_short_says_which_applicant(tmp_path, monkeypatch, capsys):
    """`zjtx round show ROUND` on a round whose one version (one with an import warning: more
    研发人员 than 从业人员) has its issues JSON text cut short (SQLite only, as above): one
    Chinese line naming the applicant and version, exit status 1, no traceback."""
    from zjtx.cli import main
    from zjtx.store import open_store

    _cli_round(tmp_path, monkeypatch, {"employees_y1": 180, "rd_staff_y1": 200})
    service = StoreService(open_store())
    try:
        rows = service.list_applicants(ROUND, sort="uscc")
        assert [r.open_warnings for r in rows] == [0, 1, 0]
        _damage(service, '[{"code": "rd-staff-exceeds-emp', "issues")
    finally:
        service.store.close()
    capsys.readouterr()
    assert main(["round", "show", ROUND]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1 and "Traceback" not in err and "未预期" not in err
    assert f"企业 杭州精工机械2有限公司（{make_uscc(2)}）第 1 版的导入提示在数据库中已损坏" in err
    assert "联系技术支持" in err
    assert captured.out == ""


def test_report_of_a_round_with_rulebook_texts_cut_short_names_the_rulebook(
    tmp_path, monkeypatch, capsys
):
    """`zjtx report ROUND --out DIR` on a round whose rulebook texts are cut short (SQLite
    only, as above): one Chinese line naming the rulebook, exit status 1, no PDF."""
    from zjtx.cli import main
    from zjtx.store import open_store

    _cli_round(tmp_path, monkeypatch)
    store = open_store()
    try:
        with store.session() as session:
            [(digest,)] = session.execute(text("SELECT rulebook_hash FROM rulebook_texts")).all()
        _damage_texts(store, '{"criteria": {"SR26-1": {"title": "')
    finally:
        store.close()
    capsys.readouterr()
    assert main(["report", ROUND, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "未预期" not in err
    assert f"评价标准 srdi-sme-2026（内容摘要 {digest[:8]}）的条目文本在数据库中已损坏" in err
    assert not list((tmp_path / "out").glob("*.pdf"))


def _damage(service: StoreService, damaged: str, column: str = "values") -> str:
    """Put ``damaged`` as the second applicant's current ``column`` (values, provenance,
    source, issues); how errors name it."""
    uscc = make_uscc(2)
    name = service.applicant_detail(ROUND, uscc).row.name
    with service.store.session() as session:
        session.execute(
            text(
                f'UPDATE applicant_versions SET "{column}" = :damaged WHERE id = '
                "(SELECT current_version_id FROM applicants WHERE uscc = :uscc)"
            ),
            {"damaged": damaged, "uscc": uscc},
        )
        session.commit()
    return f"企业 {name}（{uscc}）"


def _damage_result(service: StoreService, damaged: str) -> str:
    """Put ``damaged`` as the stored result of the second applicant's current evaluation."""
    uscc = make_uscc(2)
    name = service.applicant_detail(ROUND, uscc).row.name
    with service.store.session() as session:
        session.execute(
            text(
                "UPDATE evaluation_results SET result = :damaged WHERE evaluation_id = "
                "(SELECT current_evaluation_id FROM applicants WHERE uscc = :uscc)"
            ),
            {"damaged": damaged, "uscc": uscc},
        )
        session.commit()
    return f"企业 {name}（{uscc}）"


def _damage_texts(store, damaged: str) -> None:
    """Put ``damaged`` as the stored texts of every rulebook of the database."""
    with store.session() as session:
        session.execute(text("UPDATE rulebook_texts SET texts = :damaged"), {"damaged": damaged})
        session.commit()
