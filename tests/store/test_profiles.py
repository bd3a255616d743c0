"""Mapping profiles with the store: shared in a PostgreSQL database by every evaluator, kept in
the data folder beside an SQLite file; `zjtx profile` works on whichever is active."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.intake.helpers import CODE_A, CODE_B, write_xlsx
from zjtx.cli import main
from zjtx.intake import ColumnOverride
from zjtx.intake.profiles import ProfileBook, ProfileError, profile_from_overrides
from zjtx.store import StoreService, open_store
from zjtx.store.models import MappingProfile
from zjtx.store.profiles import StoreProfileBook, profile_book_for

ROUND = "2026年第一批"


def roster(path, code=CODE_A, revenue=1200):
    """A district roster whose revenue column says only 销售额 (not recognised), in 元."""
    return write_xlsx(
        path, [["企业名称", "统一社会信用代码", "销售额"], ["甲公司", code, revenue * 10000]]
    )


def form(path, code=CODE_A, revenue=1200):
    """A key-value form whose revenue label says only 销售额, in 元."""
    return write_xlsx(
        path,
        [["企业名称", "甲公司"], ["统一社会信用代码", code], ["销售额", revenue * 10000]],
    )


def _corrected(service: StoreService, path, correction: ColumnOverride):
    """Read ``path`` in the round with the evaluator's correction, as the wizard does."""
    files = service.read_files(ROUND, [path], mapping_overrides=[correction])
    return files[0]


@pytest.mark.parametrize(
    ("make", "correction"),
    [
        (roster, ColumnOverride("C", "revenue", 2025, "元")),
        (form, ColumnOverride("销售额", "revenue", 2025, "元")),
    ],
    ids=["roster", "form"],
)
def test_one_evaluator_saves_a_profile_the_other_reads_with_it(
    database_url, scorer, tmp_path, make, correction
):
    """Two evaluators on one database: what the first saves, the second's next read applies."""
    first = StoreService(open_store(database_url), scorer=scorer)
    second = StoreService(open_store(database_url), scorer=scorer)
    try:
        first.create_round(ROUND, tier="srdi-sme", round_date=date(2026, 5, 1))
        read = _corrected(first, make(tmp_path / "鼓楼区.xlsx"), correction)
        fingerprint = next(iter(read.fingerprints.values()))
        profile = profile_from_overrides(
            "福州区县", fingerprint, [correction], sample_file="鼓楼区.xlsx", created_by="王评审"
        )
        profile_book_for(first.store).save(profile)

        book = profile_book_for(second.store)
        nxt = make(tmp_path / "台江区.xlsx", code=CODE_B, revenue=900)
        files = second.read_files(ROUND, [nxt], intake_options={"profiles": book})
        assert files[0].profile == "福州区县"
        assert files[0].applicants[0].values["revenue_y1"] == Decimal("900")
        assert book.get("福州区县").created_by == "王评审"
        shared = first.store.dialect == "postgresql"
        assert isinstance(book, StoreProfileBook) is shared and book.shared is shared
        # With PostgreSQL nothing is left in this machine's data folder; with SQLite it is there.
        assert bool(ProfileBook.default().list()) is not shared
    finally:
        first.store.close()
        second.store.close()


@pytest.mark.postgres
def test_shared_profiles_refuse_a_taken_name_or_layout_and_delete(postgres_url, tmp_path):
    """The database keeps one profile per name and per layout across evaluators; delete works."""
    first, second = open_store(postgres_url), open_store(postgres_url)
    try:
        mine, theirs = StoreProfileBook(first), StoreProfileBook(second)
        override = ColumnOverride("C", "revenue", 2025, "元")
        mine.save(profile_from_overrides("甲", "f" * 20, [override]))
        with pytest.raises(ProfileError, match="已有名为“甲”"):
            theirs.save(profile_from_overrides("甲", "e" * 20, [override]))
        with pytest.raises(ProfileError, match="同样的表头已保存为对应关系“甲”"):
            theirs.save(profile_from_overrides("乙", "f" * 20, [override]))
        theirs.save(
            profile_from_overrides("甲", "f" * 20, [override], created_by="李"), replace=True
        )
        assert mine.get("甲").created_by == "李"
        assert [p.name for p in mine.list()] == ["甲"]
        theirs.delete("甲")
        with pytest.raises(ProfileError, match="没有名为“甲”"):
            mine.get("甲")
        with first.session() as session:
            assert session.scalar(select(func.count()).select_from(MappingProfile)) == 0
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_profile_commands_work_on_the_shared_database(postgres_url, tmp_path, capsys, monkeypatch):
    """With ZJTX_DATABASE_URL on PostgreSQL, check --save-profile saves into the database, the
    next check reads with it, list names the database and the files left in the data folder,
    and import of that folder moves them in."""
    data = tmp_path / "data"
    monkeypatch.setenv("ZJTX_DATA_DIR", str(data))
    # A profile saved before PostgreSQL was set up, in the data folder.
    ProfileBook.default().save(
        profile_from_overrides("旧的", "a" * 20, [ColumnOverride("D", "ignore")])
    )
    monkeypatch.setenv("ZJTX_DATABASE_URL", postgres_url)
    first = roster(tmp_path / "鼓楼区.xlsx")
    args = ["check", str(first), "--year", "2026", "--json"]
    assert main([*args, "--map", "C=营业收入@2025:元", "--save-profile", "区县"]) == 0
    assert "共享数据库" in capsys.readouterr().err
    assert [p.name for p in ProfileBook.default().list()] == ["旧的"]  # nothing new on disk
    second = roster(tmp_path / "台江区.xlsx", code=CODE_B, revenue=900)
    main(["check", str(second), "--year", "2026", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert payload["readings"]["台江区.xlsx"]["profile"] == "区县"
    assert payload["applicants"][0]["revenue_y1"] == 900

    assert main(["profile", "list"]) == 0
    out = capsys.readouterr().out
    assert "共享数据库" in out and "区县" in out and "另有 1 个" in out and "旧的" in out
    assert main(["profile", "import", str(data / "profiles")]) == 0
    assert "已导入对应关系“旧的”" in capsys.readouterr().out
    store = open_store(postgres_url)
    try:
        assert [p.name for p in StoreProfileBook(store).list()] == ["区县", "旧的"]
    finally:
        store.close()
    assert main(["profile", "list"]) == 0 and "另有" not in capsys.readouterr().out
    exported = tmp_path / "区县.json"
    assert main(["profile", "export", "区县", str(exported)]) == 0
    assert json.loads(exported.read_text("utf-8"))["overrides"][0]["column"] == "C"
    assert main(["profile", "delete", "区县"]) == 0
    capsys.readouterr()
    assert main(["profile", "show", "区县"]) == 2
    assert "没有名为“区县”" in capsys.readouterr().err
