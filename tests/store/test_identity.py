"""The evaluator's configured identity, and who each record names (never the bare OS login)."""

from __future__ import annotations

import getpass
import json
from datetime import date

import pytest

from tests.store.helpers import make_applicant, make_file, make_uscc
from zjtx.store.errors import DatabaseOpenError, ReviewRuleError
from zjtx.store.identity import (
    Identity,
    IdentityMissingError,
    load_identity,
    record_evaluator,
    review_evaluator,
    save_identity,
)
from zjtx.store.settings import SETTINGS_FILE, data_dir

ROUND = "2026年第一批专精特新"
A = make_uscc(1)


@pytest.fixture
def unconfigured(monkeypatch):
    """No ZJTX_EVALUATOR and no identity in the (empty) data folder."""
    monkeypatch.delenv("ZJTX_EVALUATOR", raising=False)


def test_identity_is_saved_beside_the_database_url_and_read_back(tmp_path):
    """save_identity keeps the other keys of settings.json, writes atomically and reloads."""
    (tmp_path / SETTINGS_FILE).write_text('{"database_url": "sqlite:///x.db"}', encoding="utf-8")
    save_identity(Identity("张三", "杭州市经济和信息化局", "chair"), tmp_path)
    data = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert data == {
        "database_url": "sqlite:///x.db",
        "identity": {"name": "张三", "unit": "杭州市经济和信息化局", "role": "chair"},
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == [SETTINGS_FILE]  # no temporary left
    assert load_identity(tmp_path) == Identity("张三", "杭州市经济和信息化局", "chair")
    assert load_identity(tmp_path).role_label == "评审组长"
    save_identity(Identity("李四"), tmp_path)
    assert load_identity(tmp_path) == Identity("李四", "", "evaluator")
    save_identity(None, tmp_path)
    assert load_identity(tmp_path) is None
    assert json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8")) == {
        "database_url": "sqlite:///x.db"
    }


def test_bad_identity_in_settings_is_named(tmp_path):
    """A wrong role or a non-text name in settings.json is reported with the file and key."""
    (tmp_path / SETTINGS_FILE).write_text(
        '{"identity": {"name": "张三", "role": "boss"}}', encoding="utf-8"
    )
    with pytest.raises(DatabaseOpenError, match="identity：角色只能是 evaluator、chair"):
        load_identity(tmp_path)
    (tmp_path / SETTINGS_FILE).write_text('{"identity": {"name": 3}}', encoding="utf-8")
    with pytest.raises(DatabaseOpenError, match=r"identity\.name 必须是文本"):
        load_identity(tmp_path)
    with pytest.raises(ReviewRuleError, match="评审人姓名不能为空"):
        Identity("  ")


def test_review_evaluator_order_and_refusal(unconfigured, monkeypatch):
    """A review names --evaluator, else ZJTX_EVALUATOR, else the configured name; with none
    it is refused with a message saying how to set one, never the OS login."""
    with pytest.raises(IdentityMissingError) as refused:
        review_evaluator(None)
    assert "zjtx identity set --name 姓名" in str(refused.value)
    assert "设置" in str(refused.value) and "ZJTX_EVALUATOR" in str(refused.value)
    save_identity(Identity("张三", "杭州市经济和信息化局"))
    assert review_evaluator(None) == "张三"
    monkeypatch.setenv("ZJTX_EVALUATOR", " 王五 ")
    assert review_evaluator("") == "王五"
    assert review_evaluator(" 李组长 ") == "李组长"


def test_record_evaluator_falls_back_to_the_marked_os_account(unconfigured):
    """Rounds, imports and the like keep working without an identity, marked 系统账户."""
    assert record_evaluator(None) == f"系统账户 {getpass.getuser()}"
    save_identity(Identity("张三"))
    assert record_evaluator(None) == "张三"
    assert record_evaluator("李四") == "李四"


def test_service_refuses_a_review_without_identity(service, unconfigured, tmp_path):
    """No review is saved without a named evaluator; the round and import are recorded
    under the marked OS account; with a configured identity the review names it."""
    service.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    service.import_file(ROUND, make_file(tmp_path / "a.xlsx", [make_applicant(1)]))
    with pytest.raises(IdentityMissingError, match="没有设置评审人，不能保存评审"):
        service.decide(ROUND, A, "reject", "不符合")
    with pytest.raises(IdentityMissingError):
        service.confirm_criterion(ROUND, A, "T-JUDGE", "met", "属于重点领域")
    history = service.history(ROUND)
    assert [e.action for e in history] == ["round-create", "applicant-version", "file-import"]
    assert {e.actor for e in history} == {f"系统账户 {getpass.getuser()}"}

    save_identity(Identity("张三", "杭州市经济和信息化局"), data_dir())
    service.decide(ROUND, A, "reject", "不符合")
    assert service.history(ROUND, A)[-1].actor == "张三"
    assert service.applicant_detail(ROUND, A).review.decided_by == "张三"
