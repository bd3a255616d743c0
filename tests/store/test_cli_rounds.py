"""`zjtx round ...` and `zjtx review` from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.store.helpers import make_uscc
from tests.store.test_real_rulebooks import COMPLETE
from zjtx.cli import main

ROUND = "浙江2026第一批"
A = make_uscc(1)


@pytest.fixture(autouse=True)
def environment(database_url, tmp_path, monkeypatch):
    """The CLI uses the parametrised database through ZJTX_DATABASE_URL."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _applicants_file(tmp_path, *records):
    path = tmp_path / "applicants.json"
    path.write_text(json.dumps(list(records), ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_an_applicant_pending_on_missing_data_cannot_be_recommended(capsys, tmp_path):
    """待定 because a figure is missing: 推荐 is refused naming the item (the data could still
    fail it); 退回补充材料 is what the evaluator can do, and is accepted."""
    record = {k: v for k, v in COMPLETE.items() if k != "major_incident_3y"}
    file = _applicants_file(tmp_path, {"name": "杭州精工机械有限公司", "uscc": A, **record})
    assert (
        run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")[0] == 0
    )
    assert run(capsys, "round", "import", ROUND, file)[0] == 0
    confirm = ["--confirm", "SR26-5=met", "--reason", "国内细分市场占有率第二"]
    assert run(capsys, "review", ROUND, A, *confirm)[0] == 0
    code, out, _ = run(capsys, "round", "show", ROUND, "--json")
    assert json.loads(out)["applicants"][0]["verdict"] == "pending"

    code, _, err = run(capsys, "review", ROUND, A, "--decision", "recommend", "--opinion", "同意")
    assert code == 2
    assert "尚有 1 项待补充数据：SR26-0 通用资格条件；请补齐数据后重新导入，或退回补充材料" in err
    code, _, err = run(
        capsys, "review", ROUND, A, "--decision", "return", "--opinion", "请补充近三年事故情况说明"
    )
    assert code == 0, err


def test_round_lifecycle_from_the_command_line(capsys, tmp_path):
    """Create, import, show, review and read the history, in text and in JSON."""
    code, out, _ = run(
        capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20",
        "--region", "杭州市",
    )  # fmt: skip
    assert code == 0
    assert "已创建批次 “浙江2026第一批”：专精特新中小企业，批次日期 2026-05-20，地区 杭州市" in out
    file = _applicants_file(tmp_path, {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE})
    code, out, _ = run(capsys, "round", "import", ROUND, file)
    assert code == 0
    assert "新增企业 1" in out
    code, out, _ = run(capsys, "round", "import", ROUND, file, "--json")
    assert json.loads(out)["files"][0]["already_imported"] is True

    code, out, _ = run(capsys, "round", "show", ROUND)
    assert code == 0
    assert "杭州精工机械有限公司" in out and "srdi-sme-2026" in out and "待评审" in out
    code, out, _ = run(capsys, "round", "show", ROUND, "--json")
    shown = json.loads(out)
    assert shown["applicants"][0]["verdict"] == "pending"
    assert shown["statistics"]["open_judgements"] == 1

    code, _, err = run(capsys, "review", ROUND, A, "--decision", "recommend", "--opinion", "同意")
    assert code == 2
    assert "尚有 1 项待人工确认：SR26-5 主导产品细分市场地位" in err
    code, out, _ = run(
        capsys, "review", ROUND, A, "--confirm", "SR26-5=met", "--reason", "国内细分市场占有率第二",
        "--decision", "recommend", "--opinion", "同意推荐", "--json",
    )  # fmt: skip
    assert code == 0
    state = json.loads(out)
    assert (state["decision"], state["version"], state["verdict"]) == ("recommend", 1, "qualified")

    code, out, _ = run(capsys, "round", "history", ROUND, A)
    lines = out.splitlines()
    assert "首次导入 杭州精工机械有限公司" in lines[0]
    assert (
        "确认指标 SR26-5 主导产品细分市场地位：待人工确认→符合（理由：国内细分市场占有率第二）"
        in out
    )
    assert "决定：未决定→推荐；意见：同意推荐" in lines[-1]
    code, out, _ = run(capsys, "round", "history", ROUND, "--json")
    assert json.loads(out)[0]["action"] == "round-create"

    code, out, _ = run(capsys, "round", "list", "--json")
    assert json.loads(out)[0]["applicants"] == 1


def test_a_decision_taken_on_older_data_reads_for_a_second_look(capsys, tmp_path):
    """Data imported again after a decision: round show marks the decision 需复核 and lists
    why under the table; review says it too, until a new decision is saved."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    first = {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE}
    run(capsys, "round", "import", ROUND, _applicants_file(tmp_path, first))
    code, out, _ = run(capsys, "review", ROUND, A, "--decision", "reject", "--opinion", "不予推荐")
    assert code == 0 and "需复核" not in out
    code, out, _ = run(capsys, "round", "show", ROUND)
    assert "需复核" not in out
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    run(
        capsys, "round", "import", ROUND, _applicants_file(corrected, {**first, "name": "杭州精工"})
    )

    code, out, _ = run(capsys, "round", "show", ROUND)
    assert code == 0
    assert "不推荐（需复核）" in out
    assert "需复核的决定 1 家：\n· 杭州精工（" + A + "）：决定作出后企业数据已重新导入\n" in out
    code, out, _ = run(capsys, "round", "show", ROUND, "--open", "outdated", "--json")
    assert [r["uscc"] for r in json.loads(out)["applicants"]] == [A]
    code, out, _ = run(capsys, "round", "stats", ROUND)
    assert "已作决定 1 家（其中 1 家需复核）" in out.splitlines()[0]
    code, out, _ = run(capsys, "review", ROUND, A, "--opinion", "补充说明")
    assert "  需复核：决定作出后企业数据已重新导入" in out.splitlines()
    code, out, _ = run(
        capsys, "review", ROUND, A, "--decision", "reject", "--opinion", "复核后不变"
    )
    assert "需复核" not in out
    assert "需复核" not in run(capsys, "round", "show", ROUND)[1]
    code, out, _ = run(capsys, "round", "show", ROUND, "--open", "outdated", "--json")
    assert json.loads(out)["applicants"] == []


def test_round_show_says_what_a_filter_left_and_an_empty_one(capsys, tmp_path):
    """A filter showing some: 显示 N / M 家; one showing none: 没有符合筛选条件的企业 (not
    符合条件, a verdict); an empty round: 本批次还没有企业."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    assert "（本批次还没有企业）" in run(capsys, "round", "show", ROUND)[1]
    records = [
        {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE},
        {"name": "宁波精工机械有限公司", "uscc": make_uscc(2), **COMPLETE},
    ]
    run(capsys, "round", "import", ROUND, _applicants_file(tmp_path, *records))
    out = run(capsys, "round", "show", ROUND, "--search", "杭州")[1]
    assert "显示 1 / 2 家（按筛选条件）" in out and "宁波精工" not in out
    out = run(capsys, "round", "show", ROUND, "--open", "warnings")[1]
    assert "（没有符合筛选条件的企业）" in out
    assert "显示" not in run(capsys, "round", "show", ROUND)[1]


def test_stale_review_version_is_a_conflict(capsys, tmp_path):
    """--expect-version older than the saved review exits 3 and says what changed."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    run(
        capsys,
        "round",
        "import",
        ROUND,
        _applicants_file(tmp_path, {"name": "甲", "uscc": A, **COMPLETE}),
    )
    code, _, _ = run(
        capsys, "review", ROUND, A, "--decision", "return", "--opinion", "缺审计报告",
        "--evaluator", "李组长", "--expect-version", "0",
    )  # fmt: skip
    assert code == 0
    code, _, err = run(
        capsys, "review", ROUND, A, "--decision", "reject", "--opinion", "不符合",
        "--expect-version", "0",
    )  # fmt: skip
    assert code == 3
    assert "冲突" in err and "李组长" in err and "退回补充材料" in err


@pytest.mark.parametrize("word", ["met", "MET", "yes", "是", "符合"])
def test_review_and_panel_take_the_same_words_for_met(capsys, tmp_path, word):
    """`review --confirm X=…` takes the words `panel judge --met` takes (yes, 是, 符合…)."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    file = _applicants_file(tmp_path, {"name": "甲", "uscc": A, **COMPLETE})
    run(capsys, "round", "import", ROUND, file)
    code, out, err = run(
        capsys, "review", ROUND, A, "--confirm", f"SR26-5={word}", "--reason", "x", "--json"
    )
    assert code == 0, err
    items = json.loads(out)["items"]
    assert [(i["target"], i["state"]) for i in items] == [("SR26-5", "met")]


def test_bad_review_input_is_a_usage_error(capsys, tmp_path):
    """A confirmation without reason, a bad --confirm and an unknown round exit 2 with a message."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    run(
        capsys,
        "round",
        "import",
        ROUND,
        _applicants_file(tmp_path, {"name": "甲", "uscc": A, **COMPLETE}),
    )
    code, _, err = run(capsys, "review", ROUND, A, "--confirm", "SR26-5=met")
    assert code == 2 and "必须填写理由" in err
    code, _, err = run(capsys, "review", ROUND, A, "--confirm", "SR26-5", "--reason", "x")
    assert code == 2 and "条目=met" in err
    code, _, err = run(capsys, "review", ROUND, A, "--confirm", "SR26-5=maybe", "--reason", "x")
    assert code == 2 and "“maybe” 不是判断结果" in err and "met（符合，也可写 yes、是）" in err
    code, _, err = run(capsys, "round", "show", "浙江2026第二批")
    assert code == 2 and "您是不是要写 “浙江2026第一批”" in err
    code, _, err = run(capsys, "round", "create", "x", "--tier", "srdi-sme", "--date", "2026-13-01")
    assert code == 2 and "YYYY-MM-DD" in err


def test_import_prints_issues_and_fails_on_errors(capsys, tmp_path):
    """Rows blocked at import are listed like `zjtx check` does and the exit status is 1."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    file = _applicants_file(
        tmp_path,
        {"name": "甲", "uscc": A, **COMPLETE},
        {"name": "甲（重复）", "uscc": A, **COMPLETE},
        {"name": "乙", "uscc": make_uscc(2), **COMPLETE},
    )
    code, out, _ = run(capsys, "round", "import", ROUND, file)
    assert code == 1
    assert out.splitlines()[0].split()[:4] == ["级别", "位置", "字段", "代码"]
    assert "错误" in out and A in out
    code, out, _ = run(capsys, "round", "show", ROUND, "--json")
    assert [r["uscc"] for r in json.loads(out)["applicants"]] == [make_uscc(2)]


def test_spreadsheet_folder_import_reports_unreadable_files_and_keeps_the_rest(capsys, tmp_path):
    """A folder with a real roster and a corrupt workbook: the roster is stored, the broken
    file is reported with its name and nothing of it is written."""
    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring.catalogue import load_catalogue

    folder = tmp_path / "inbox"
    folder.mkdir()
    people = applicants(4, 2026, seed=9)
    write_roster_template(folder / "名单.xlsx", load_catalogue(), 2026, people)
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    run(capsys, "round", "create", ROUND, "--tier", "little-giant", "--date", "2026-05-20")
    code, out, _ = run(capsys, "round", "import", ROUND, str(folder))
    assert code == 1
    assert "损坏.xlsx" in out
    assert "名单.xlsx：数据行 4，导入 4" in out and "新增企业 4" in out
    code, out, _ = run(capsys, "round", "show", ROUND, "--json")
    shown = json.loads(out)
    assert sorted(r["uscc"] for r in shown["applicants"]) == sorted(p["uscc"] for p in people)
    assert shown["statistics"]["files"] == 1


def test_rename_archive_and_restore_from_the_command_line(capsys, tmp_path):
    """rename, archive and restore print Chinese confirmations; an archived round refuses imports."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    code, out, _ = run(capsys, "round", "rename", ROUND, "浙江2026第一批（正式）")
    assert code == 0 and out.strip() == f"已将批次 “{ROUND}” 重命名为 “浙江2026第一批（正式）”"
    renamed = "浙江2026第一批（正式）"
    run(capsys, "round", "create", "另一批", "--tier", "little-giant", "--date", "2026-06-01")
    code, _, err = run(capsys, "round", "rename", "另一批", renamed)
    assert code == 2 and f"批次 “{renamed}” 已存在，请换一个名称" in err

    code, out, _ = run(capsys, "round", "archive", renamed, "--json")
    assert code == 0 and json.loads(out)["archived_at"] is not None
    code, out, _ = run(capsys, "round", "archive", "另一批")
    assert (
        out.strip() == "已归档批次 “另一批”：此后只能查看和导出；用 zjtx round restore 另一批 恢复"
    )
    run(capsys, "round", "restore", "另一批")
    code, out, _ = run(capsys, "round", "list")
    assert "另一批" in out and renamed not in out
    code, out, _ = run(capsys, "round", "list", "--all")
    assert renamed in out and "已归档（" in out and "进行中" in out
    file = _applicants_file(tmp_path, {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE})
    code, _, err = run(capsys, "round", "import", renamed, file)
    assert code == 2 and "归档，只能查看和导出，不能导入申报数据" in err
    code, _, err = run(capsys, "round", "rescore", renamed)
    assert code == 2 and "不能重新评价" in err

    code, out, _ = run(capsys, "round", "restore", renamed)
    assert code == 0 and out.strip() == f"已恢复批次 “{renamed}”，可以继续导入和评审"
    code, out, _ = run(capsys, "round", "import", renamed, file)
    assert code == 0 and "新增企业 1" in out
    code, out, _ = run(capsys, "round", "history", renamed)
    assert f"将批次 “{ROUND}” 重命名为 “{renamed}”" in out
    assert f"归档批次 “{renamed}”（此后只能查看和导出）" in out
    assert f"恢复批次 “{renamed}”（可继续导入和评审）" in out


def test_round_import_takes_map_corrections(capsys, tmp_path):
    """`round import --map` imports a misnamed column as the field given; a bad one exits 2."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "企业名称", "统一社会信用代码", "销售额（元）"])
    workbook.active.append([1, "测试精密有限公司", A, 50_000_000])
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    assert (
        run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-06-01")[0] == 0
    )
    code, _out, err = run(capsys, "round", "import", ROUND, str(path), "--map", "D=营收@2025")
    assert code == 2 and "营业收入" in err
    code, out, _err = run(
        capsys, "round", "import", ROUND, str(path), "--map", "D=营业收入@2025:元", "--json"
    )
    assert json.loads(out)["files"][0]["applicants_new"] == 1
    code, out, _err = run(capsys, "round", "show", ROUND, "--json")
    assert code == 0 and A in out


def test_review_without_identity_exits_2_and_says_how_to_set_one(capsys, tmp_path, monkeypatch):
    """No --evaluator, ZJTX_EVALUATOR or configured identity: `zjtx review` saves nothing and
    exits 2; the round was recorded under the marked OS account; `zjtx identity set` fixes it."""
    import getpass

    monkeypatch.delenv("ZJTX_EVALUATOR")
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    file = _applicants_file(tmp_path, {"name": "甲", "uscc": A, **COMPLETE})
    run(capsys, "round", "import", ROUND, file)
    code, _, err = run(capsys, "review", ROUND, A, "--decision", "return", "--opinion", "缺报告")
    assert code == 2
    assert "没有设置评审人，不能保存评审" in err and "zjtx identity set --name 姓名" in err
    code, out, _ = run(capsys, "round", "history", ROUND, "--json")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["round-create", "applicant-version", "file-import"]
    assert {e["actor"] for e in entries} == {f"系统账户 {getpass.getuser()}"}

    code, out, _ = run(capsys, "identity")
    assert code == 0 and "尚未设置评审人" in out and "zjtx identity set" in out
    code, out, _ = run(
        capsys, "identity", "set", "--name", "张三", "--unit", "杭州市经济和信息化局",
        "--role", "chair",
    )  # fmt: skip
    assert code == 0 and "张三" in out and "杭州市经济和信息化局" in out and "评审组长" in out
    code, out, _ = run(capsys, "identity", "--json")
    assert json.loads(out) == {"name": "张三", "unit": "杭州市经济和信息化局", "role": "chair"}
    code, out, _ = run(capsys, "review", ROUND, A, "--decision", "return", "--opinion", "缺报告")
    assert code == 0 and "评审人 张三" in out
    code, out, _ = run(
        capsys, "review", ROUND, A, "--opinion", "请补审计报告", "--evaluator", "李组长"
    )
    assert code == 0
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    code, out, _ = run(capsys, "review", ROUND, A, "--opinion", "请补近三年审计报告")
    assert code == 0
    code, out, _ = run(capsys, "round", "history", ROUND, A, "--json")
    reviews = [e["actor"] for e in json.loads(out) if e["entity"] == "review"]
    assert reviews == ["张三", "李组长", "王评审"]


def test_identity_set_rejects_an_empty_name_and_a_bad_role(capsys):
    """`zjtx identity set` needs a name and a known role; exit 2 with a Chinese message."""
    code, _, err = run(capsys, "identity", "set", "--name", "  ")
    assert code == 2 and "评审人姓名不能为空" in err
    code, _, err = run(capsys, "identity", "set", "--name", "张三", "--role", "boss")
    assert code == 2 and "evaluator" in err and "chair" in err
    code, out, _ = run(capsys, "identity", "clear")
    assert code == 0 and "已清除本机评审人" in out


def test_round_show_says_when_applicants_were_evaluated_under_an_older_rulebook(capsys, tmp_path):
    """`rulebook install` of a newer little-giant-2026 after the import: round show says so
    and how to bring the round up to date; after `round rescore` it does not."""
    from tests.store.helpers import write_newer_little_giant

    run(capsys, "round", "create", ROUND, "--tier", "little-giant", "--date", "2026-05-20")
    record = {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE}
    run(capsys, "round", "import", ROUND, _applicants_file(tmp_path, record))
    assert "注意" not in run(capsys, "round", "show", ROUND)[1]
    newer = write_newer_little_giant(tmp_path / "little-giant-2026.yaml")
    assert run(capsys, "rulebook", "install", str(newer))[0] == 0

    code, out, _ = run(capsys, "round", "show", ROUND)
    assert code == 0
    assert out.splitlines()[1] == (
        "注意：1 家企业按此前版本的评价标准评价（little-giant-2026 2026.1 → 2026.2）"
        f"；可用 zjtx round rescore {ROUND} 按现行标准重新评价"
    )
    shown = json.loads(run(capsys, "round", "show", ROUND, "--json")[1])
    assert shown["rulebook_update"] == {
        "applicants": 1,
        "changes": [
            {
                "rulebook": "little-giant-2026",
                "version": "2026.1",
                "current_rulebook": "little-giant-2026",
                "current_version": "2026.2",
                "current_carries": "年度通知 eligibility-2026-2",
            }
        ],
    }
    assert run(capsys, "round", "rescore", ROUND)[0] == 0
    assert "注意" not in run(capsys, "round", "show", ROUND)[1]
    assert json.loads(run(capsys, "round", "show", ROUND, "--json")[1])["rulebook_update"] is None


def test_a_round_of_a_province_with_rules_of_its_own_is_pointed_to_them(capsys, tmp_path):
    """A 山东省 专精特新 round of 2024 created without --overlay is told that shandong-2022
    covers it (an evaluator who forgets it scores without the provincial criteria); one
    created with it, or of another province, is not; `round show` names the overlay."""
    code, out, _ = run(capsys, "round", "create", "山东", "--tier", "srdi-sme", "--date",
                       "2024-06-01", "--region", "济南市")  # fmt: skip
    assert code == 0
    assert (
        "提示：省级规则 shandong-2022（山东省专精特新中小企业特色化指标）适用于本批次的地区和日期，"
        "本批次未使用；如需使用，请另建一个批次并加 --overlay shandong-2022（本批次可归档）"
    ) in out
    code, out, _ = run(capsys, "round", "create", "山东2", "--tier", "srdi-sme", "--date",
                       "2024-06-01", "--region", "山东省", "--overlay", "shandong-2022")  # fmt: skip
    assert code == 0 and "提示" not in out
    code, out, _ = run(capsys, "round", "create", "福建", "--tier", "srdi-sme", "--date",
                       "2024-06-01", "--region", "福建省")  # fmt: skip
    assert code == 0 and "提示" not in out
    code, out, _ = run(capsys, "round", "show", "山东2")
    assert "省级规则 shandong-2022" in out.splitlines()[0]
    code, out, _ = run(capsys, "round", "create", "山东3", "--tier", "srdi-sme", "--date",
                       "2024-06-01", "--region", "济南市", "--json")  # fmt: skip
    assert "--overlay shandong-2022" in json.loads(out)["hints"][0]


def test_an_import_stopped_after_saving_says_what_was_saved(capsys, tmp_path, monkeypatch):
    """SIGTERM (or Ctrl+C) while the issues of a saved import are printed: the command says
    the file was imported and saved, not that nothing was written."""
    from zjtx.cli import Terminated
    from zjtx.commands import rounds

    path = _applicants_file(tmp_path, {**COMPLETE, "uscc": A, "name": "甲公司"})
    assert run(capsys, "round", "create", ROUND, "--tier", "little-giant", "--date",
               "2026-06-01")[0] == 0  # fmt: skip

    def stopped(*args, **kwargs):
        raise Terminated()

    monkeypatch.setattr(rounds, "_print_issues", stopped)
    monkeypatch.setattr(rounds, "_import_line", stopped)
    code, _, err = run(capsys, "round", "import", ROUND, path)
    assert code == 143
    assert "已终止：1 个文件已导入并保存（applicants.json）" in err, err
    assert "未写完的文件已删除" not in err
    assert run(capsys, "round", "show", ROUND)[1].count(A) == 1
    # The same file again changes nothing: stopped, it is not named as saved.
    code, _, err = run(capsys, "round", "import", ROUND, path)
    assert code == 143 and "已导入并保存" not in err, err


def test_a_command_stopped_while_it_starts_gives_no_traceback(capsys, monkeypatch):
    """SIGTERM or Ctrl+C before the command runs (while its parser is built) ends with one
    Chinese line, never a traceback."""
    import zjtx.cli as cli
    from zjtx.cli import Terminated

    for raised, code, said in ((Terminated(), 143, "zjtx: 已终止"),
                               (KeyboardInterrupt(), 130, "zjtx: 已取消")):  # fmt: skip

        def building(raised=raised):
            raise raised

        monkeypatch.setattr(cli, "build_parser", building)
        assert main(["round", "list"]) == code
        assert capsys.readouterr().err.strip() == said


def test_review_with_nothing_to_save_shows_the_applicant(capsys, tmp_path):
    """`zjtx review 批次 代码` alone shows each criterion, what is open and the version to
    send back, saves nothing, and needs no evaluator set."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    record = {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE}
    run(capsys, "round", "import", ROUND, _applicants_file(tmp_path, record))
    code, out, _ = run(capsys, "review", ROUND, A, "--evaluator", "")
    assert code == 0
    assert f"杭州精工机械有限公司（{A}）评审版本 0" in out
    assert "SR26-0 通用资格条件" in out and "待人工确认：" in out
    code, out, _ = run(capsys, "round", "history", ROUND, "--json")
    assert not [e for e in json.loads(out) if e["entity"] == "review"]


def test_a_partial_roster_after_a_full_record_keeps_the_rest_and_says_so(capsys, tmp_path):
    """A bureau's 5-column roster imported after a full record: the other fields and the
    verdict stay, the import names the kept fields' file and each value it changed."""
    run(capsys, "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-05-20")
    full = _applicants_file(tmp_path, {"name": "杭州精工机械有限公司", "uscc": A, **COMPLETE})
    run(capsys, "round", "import", ROUND, full)
    roster = tmp_path / "局汇总.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(
        ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "2025年研发费用（万元）",
         "本年度专精特新发展评价得分"]
    )  # fmt: skip
    workbook.active.append(["杭州精工机械有限公司", A, 9200, 600, 72])
    workbook.save(roster)
    code, out, _ = run(capsys, "round", "import", ROUND, str(roster))
    assert code == 0
    assert "沿用此前导入的《applicants.json》中的值" in out
    assert "store-value-changed" in out and "为 9000 万元，本文件为 9200 万元" in out
    assert "数据更新 1" in out and "警告 1" in out
    code, out, _ = run(capsys, "round", "show", ROUND, "--json")
    assert json.loads(out)["applicants"][0]["verdict"] == "pending"  # only SR26-5 open
    code, out, _ = run(capsys, "review", ROUND, A)
    assert "待补充数据" not in out


def _roster(tmp_path, name: str, header: str, *rows: str) -> str:
    """A CSV roster of the given header and rows, as a bureau receives one."""
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def _open_warnings(capsys) -> list[str]:
    code, out, _ = run(capsys, "review", ROUND, A)
    assert code == 0
    return [
        line.split("：", 1)[1].split("（")[0]
        for line in out.splitlines()
        if "待确认导入提示" in line
    ]


def test_a_later_file_keeps_the_warnings_on_values_it_leaves_and_drops_those_it_replaces(
    capsys, tmp_path
):
    """A 补正 file giving one figure keeps the first file's warning on a value it leaves in
    place (研发人员 50 > 从业人员 40 still stands: it was dropped without a word before), so 推荐
    still waits for it; a file giving that figure again replaces it, and its warning goes."""
    name = "杭州精工机械有限公司"
    header = "企业名称,统一社会信用代码,上年末从业人员,上年度研发人员,上年末资产总额,上年末负债总额,申报类型"
    first = _roster(tmp_path, "名单.csv", header, f"{name},{A},40,50,1000,400,新申报")
    debts = _roster(
        tmp_path, "补正负债.csv", "企业名称,统一社会信用代码,上年末负债总额", f"{name},{A},500"
    )
    staff = _roster(tmp_path, "补正人员.csv", header, f"{name},{A},60,50,1000,500,新申报")
    assert (
        run(capsys, "round", "create", ROUND, "--tier", "innovative-sme", "--date", "2026-05-20")[0]
        == 0
    )
    assert run(capsys, "round", "import", ROUND, first)[0] == 0
    assert _open_warnings(capsys) == ["rd-staff-exceeds-employees@rd_staff_y1"]
    assert run(capsys, "round", "import", ROUND, debts)[0] == 0
    assert sorted(_open_warnings(capsys)) == [
        "rd-staff-exceeds-employees@rd_staff_y1",
        "store-value-changed@total_liabilities_y1",
    ]
    assert run(capsys, "round", "import", ROUND, staff)[0] == 0
    assert _open_warnings(capsys) == ["store-value-changed@employees_y1"]


def _application(tmp_path, file_name: str, extra_column: str | None) -> str:
    """A Word 申请书 of 杭州精工: name and code, then its figures by year, with one more column
    (a part of this year, which the round does not read) where given."""
    import docx

    document = docx.Document()
    basic = document.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate(
        (("企业名称", "杭州精工机械有限公司"), ("统一社会信用代码", A), ("申报类型", "新申报"))
    ):
        basic.cell(r, 0).text, basic.cell(r, 1).text = label, value
    rows = [
        ["指标（万元）", "2024年", "2025年"],
        ["营业收入", "1150", "1200"],
        ["研发费用", "60", "70"],
    ]
    if extra_column:
        for row, text in zip(rows, [extra_column, "40", "3"], strict=True):
            row.append(text)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / file_name
    document.save(path)
    return str(path)


def test_a_corrected_file_with_the_same_figures_takes_the_earlier_files_warnings_away(
    capsys, tmp_path
):
    """The 补正 the 补正清单 asked for (the same 申请书 without the 2026年1-5月 column): its
    figures are those stored (未变), yet the first file's warnings on that column are its no
    longer — a version with the same values and the new file's warnings says so, and 推荐 is
    not held up by them. A file that adds nothing and takes nothing away writes no version."""
    first = _application(tmp_path, "申请书.docx", "2026年1-5月")
    corrected = _application(tmp_path, "申请书（补正）.docx", None)
    assert (
        run(capsys, "round", "create", ROUND, "--tier", "innovative-sme", "--date", "2026-05-20")[0]
        == 0
    )
    assert run(capsys, "round", "import", ROUND, first)[0] == 0
    assert [w.split("@")[0] for w in _open_warnings(capsys)] == ["year-column-not-read"] * 2
    code, out, _ = run(capsys, "round", "import", ROUND, corrected)
    assert code == 0 and "数据更新 0，未变 1" in out
    assert _open_warnings(capsys) == []
    code, out, _ = run(capsys, "round", "history", ROUND, A)
    assert "数据未变，导入提示按本文件更新，此前的 2 条导入提示由本文件取代" in out
    again = _application(tmp_path, "申请书（再次）.docx", None)
    assert run(capsys, "round", "import", ROUND, again)[0] == 0
    code, out, _ = run(capsys, "round", "history", ROUND, A)
    assert "第 3 版" not in out


def test_checks_of_one_value_against_another_are_made_on_the_values_as_merged(capsys, tmp_path):
    """A 补正 of one figure is checked against the figures kept from the first file: 主营业务收入
    above the corrected 营业收入 is a warning that holds 推荐 (an error in one file); a growth
    over 300 % stays while the stored figures show it, a file repeating one of them does not
    take it away, and a 补正 of the other figure that ends it does."""
    name = "杭州精工机械有限公司"
    code = "企业名称,统一社会信用代码"
    first = _roster(
        tmp_path,
        "名单.csv",
        f"{code},上年度营业收入,上年度主营业务收入,前年营业收入,申报类型",
        f"{name},{A},50000,45000,10000,新申报",
    )
    revenue = _roster(tmp_path, "补正营收.csv", f"{code},上年度营业收入", f"{name},{A},44000")
    same = _roster(tmp_path, "再报营收.csv", f"{code},上年度营业收入", f"{name},{A},44000")
    earlier = _roster(tmp_path, "补正前年.csv", f"{code},前年营业收入", f"{name},{A},40000")
    create = ["round", "create", ROUND, "--tier", "innovative-sme", "--date", "2026-05-20"]
    assert run(capsys, *create)[0] == 0
    assert run(capsys, "round", "import", ROUND, first)[0] == 0
    assert _open_warnings(capsys) == ["growth-over-300@revenue_y1"]
    assert run(capsys, "round", "import", ROUND, revenue)[0] == 0
    after_revenue = [
        "growth-over-300@revenue_y1",
        "store-merged-inconsistent@main_revenue_y1",
        "store-value-changed@revenue_y1",
    ]
    assert sorted(_open_warnings(capsys)) == after_revenue
    _, out, _ = run(capsys, "review", ROUND, A)
    assert (
        "与此前导入的数据合并后，上年度主营业务收入（45,000 万元）大于上年度营业收入（44,000 万元）"
        in out
    )
    assert run(capsys, "round", "import", ROUND, same)[0] == 0
    assert sorted(_open_warnings(capsys)) == after_revenue
    assert run(capsys, "round", "import", ROUND, earlier)[0] == 0
    assert sorted(_open_warnings(capsys)) == [
        "store-merged-inconsistent@main_revenue_y1",
        "store-value-changed@revenue_y1",
        "store-value-changed@revenue_y2",
    ]
