"""`zjtx database show|backup|copy`: what the data folder holds, a backup, a move to PostgreSQL."""

from __future__ import annotations

import json
import shutil

import pytest

from zjtx.cli import main
from zjtx.paths import resource_path

ROUND = "测试批次"
ROSTER = resource_path("samples", "roster_2026.xlsx")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(tmp_path, monkeypatch, capsys):
    """A data folder whose SQLite database holds the sample roster imported into one round."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    assert (
        run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")[0] == 0
    )
    # The sample roster has 13 rows blocked on purpose: exit status 1, 35 imported.
    assert "导入 35" in run(capsys, "round", "import", ROUND, str(ROSTER))[1]
    return tmp_path


def test_show_counts_what_the_database_holds(filled, capsys):
    """show names the file, its schema and the applicants the roster brought (35 of 50 rows)."""
    code, out, _ = run(capsys, "database", "show")
    assert code == 0
    assert f"数据库：{filled / 'data' / 'zjtx.sqlite3'}（SQLite，" in out
    assert "本程序的最新版本" in out and "评审批次 1、申报企业 35、" in out
    code, out, _ = run(capsys, "database", "show", "--json")
    data = json.loads(out)
    assert data["kind"] == "SQLite" and data["latest"] is True
    assert data["counts"]["applicants"] == 35 and data["counts"]["rounds"] == 1


def test_a_backup_is_a_database_the_round_can_be_read_from(filled, capsys, monkeypatch):
    """The backup, opened as the database, lists the same round and applicants; a second
    backup to the same name is refused unless --replace."""
    target = filled / "备份 甲.sqlite3"
    code, out, _ = run(capsys, "database", "backup", str(target))
    assert code == 0 and "申报企业 35" in out
    code, _, err = run(capsys, "database", "backup", str(target))
    assert code == 2 and "已存在，未覆盖" in err and "--replace" in err
    assert run(capsys, "database", "backup", str(target), "--replace")[0] == 0
    expected = run(capsys, "round", "show", ROUND, "--json")[1]
    shutil.rmtree(filled / "data")  # the original is gone: the backup alone must serve
    monkeypatch.setenv("ZJTX_DATABASE_URL", f"sqlite:///{target}")
    assert run(capsys, "round", "show", ROUND, "--json")[1] == expected


@pytest.mark.postgres
def test_a_bureau_moves_to_a_shared_database(filled, capsys, monkeypatch, postgres_url):
    """copy fills an empty PostgreSQL database and says how to switch; the round reads the
    same there; a second copy into it is refused with what it holds."""
    expected = run(capsys, "round", "show", ROUND, "--json")[1]
    code, out, _ = run(capsys, "database", "copy", postgres_url)
    assert code == 0 and "申报企业 35" in out and "ZJTX_DATABASE_URL" in out
    code, _, err = run(capsys, "database", "copy", postgres_url)
    assert code == 2 and "已有数据（评审批次 1、申报企业 35" in err
    monkeypatch.setenv("ZJTX_DATABASE_URL", postgres_url)
    assert run(capsys, "round", "show", ROUND, "--json")[1] == expected
