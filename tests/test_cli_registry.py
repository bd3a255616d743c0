"""`zjtx registry …` from the command line, and its warnings in `zjtx round import --json`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.registry_fixtures import list_names, write_docx_list, write_list
from tests.store.helpers import make_uscc
from tests.store.test_real_rulebooks import COMPLETE
from zjtx.cli import main
from zjtx.store import open_store


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    """An SQLite file in tmp_path and a configured evaluator."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")


def _execute(tmp_path, statement: str, **params: str) -> None:
    """Change the data folder's database behind zjtx's back (an older zjtx, a hand edit)."""
    with (
        open_store(f"sqlite:///{tmp_path / 'data' / 'zjtx.sqlite3'}") as store,
        store.engine.begin() as connection,
    ):
        connection.execute(text(statement), params)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _round_of(capsys, tmp_path, names: list[str]) -> None:
    """The round 专精特新2026 with one new application per name (codes 1, 2, ...)."""
    run(capsys, "round", "create", "专精特新2026", "--tier", "srdi-sme", "--date", "2026-06-01")
    path = tmp_path / "applicants.json"
    records = [
        {**COMPLETE, "name": name, "uscc": make_uscc(n), "application_type": "new"}
        for n, name in enumerate(names, start=1)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    run(capsys, "round", "import", "专精特新2026", str(path))


def _list_of(capsys, tmp_path, names: list[str]) -> tuple[int, str, str]:
    """`registry import` of a 2025 专精特新 list of the names."""
    listing = str(write_list(tmp_path / "2025.xlsx", names))
    return run(capsys, "registry", "import", listing, "--title", "srdi-sme", "--year", "2025")


def test_import_twice_list_due_and_revoke(capsys, tmp_path):
    """A list imported twice changes nothing the second time; due counts; revoke recorded."""
    path = str(write_list(tmp_path / "认定.xlsx", list_names(250)))
    code, out, _ = run(capsys, "registry", "import", path, "--title", "srdi-sme", "--year", "2024")
    assert code == 0 and "新增 250 项" in out
    code, out, _ = run(
        capsys, "registry", "import", path, "--title", "srdi-sme", "--year", "2024", "--json"
    )
    assert json.loads(out)[0] | {"file": ""} == {
        "file": "", "imported": True, "rows": 250, "added": 0, "superseded": 0,
        "uscc_attached": 0, "unchanged": 250, "notes": [], "rechecked": [],
    }  # fmt: skip
    code, out, _ = run(capsys, "registry", "due", "--year", "2027", "--json")
    assert json.loads(out)["count"] == 250
    code, out, _ = run(capsys, "registry", "due", "--year", "2026", "--json")
    assert json.loads(out)["count"] == 0
    code, out, _ = run(capsys, "registry", "due", "--year", "2026")
    assert out.strip() == "2026 年到期应复核：共 0 家"  # no bare （无） above the count
    code, out, _ = run(capsys, "registry", "due", "--year", "2027")
    assert out.startswith("2027 年到期应复核：共 250 家\n") and list_names(250)[0] in out
    name = list_names(250)[3]
    code, out, _ = run(
        capsys, "registry", "revoke", name, "--title", "srdi-sme", "--reason", "复核不合格"
    )
    assert code == 0 and "已撤销 1 项" in out
    code, out, _ = run(capsys, "registry", "show", name, "--json")
    shown = json.loads(out)
    assert [e["status"] for e in shown["entries"]] == ["recognised", "revoked"]
    assert shown["entries"][1]["note"] == "复核不合格"
    code, out, _ = run(capsys, "registry", "list", "--region", "南京市", "--json")
    assert len(json.loads(out)) == 50


def test_bad_lists_exit_1_with_where_and_keep_the_register(capsys, tmp_path):
    """No name column and a duplicate name: one Chinese message each, nothing lost."""
    good = str(write_list(tmp_path / "好.xlsx", list_names(5)))
    run(capsys, "registry", "import", good, "--title", "srdi-sme", "--year", "2024")
    nameless = write_list(
        tmp_path / "无名.xlsx", list_names(3), header=("序号", "单位", "市", "区县")
    )
    names = list_names(4)
    names[3] = names[1]
    duplicate = write_list(tmp_path / "重复.xlsx", names)
    code, _, err = run(
        capsys, "registry", "import", str(nameless), str(duplicate), "--title", "srdi-sme",
        "--year", "2025",
    )  # fmt: skip
    assert code == 1
    assert "无名.xlsx，工作表“名单”：找不到企业名称列" in err
    assert (
        "重复.xlsx，工作表“名单”，第 4 行：企业 “江苏新材料第1号有限公司” 在名单中出现 2 次" in err
    )
    assert "Traceback" not in err
    code, out, _ = run(capsys, "registry", "list", "--json")
    assert len(json.loads(out)) == 5


def test_import_says_what_the_list_held_that_was_not_an_enterprise(capsys, tmp_path):
    """Rows that are no enterprise and a hidden sheet are named under the file's counts, and
    the renamed enterprise is entered by its present name with its former one noted."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in (["序号", "企业名称", "所在地区"], ["一", "济南市（1家）", None],
                [1, "山东鲁信智能装备有限公司（原山东鲁信精密科技有限公司）", "济南市"],
                ["合计", "1家", None]):  # fmt: skip
        sheet.append(row)
    draft = book.create_sheet("初审未通过")
    draft.append(["序号", "企业名称"])
    draft.append([1, "东营胜利石油装备有限公司"])
    draft.sheet_state = "hidden"
    book.save(tmp_path / "名单.xlsx")
    code, out, err = run(
        capsys, "registry", "import", str(tmp_path / "名单.xlsx"), "--title", "srdi-sme",
        "--year", "2025",
    )  # fmt: skip
    assert code == 0, err
    assert "1 行，新增 1 项" in out
    assert "提示：名单.xlsx，工作表“名单”：第 2、4 行是分组标题、合计或注释，未作为企业导入" in out
    assert "提示：名单.xlsx，工作表“初审未通过”：隐藏的工作表，未读取（1 行）" in out
    code, out, _ = run(capsys, "registry", "show", "山东鲁信智能装备有限公司", "--json")
    assert json.loads(out)["entries"][0]["note"] == "原名：山东鲁信精密科技有限公司"
    code, out, _ = run(capsys, "registry", "list", "--region", "济南", "--json")
    assert [e["name"] for e in json.loads(out)] == ["山东鲁信智能装备有限公司"]


def test_a_list_whose_title_names_another_title_or_year_is_imported_with_a_caution(
    capsys, tmp_path
):
    """A list titled 2023年度…创新型中小企业名单 imported as 2024 专精特新 says so under its
    counts; one whose title agrees says nothing."""
    wrong = write_list(
        tmp_path / "名单.xlsx", list_names(2), title="2023年度山东省创新型中小企业名单"
    )
    code, out, _ = run(
        capsys, "registry", "import", str(wrong), "--title", "srdi-sme", "--year", "2024"
    )
    assert code == 0
    assert "写的是创新型中小企业，导入时指定的是专精特新中小企业：请核实 --title" in out
    assert "写的是 2023 年，导入时指定的是 2024 年：请核实 --year" in out
    giant = write_list(
        tmp_path / "小巨人.xlsx", list_names(2, start=9), title="2024年度专精特新“小巨人”企业名单"
    )
    code, out, _ = run(
        capsys, "registry", "import", str(giant), "--title", "little-giant", "--year", "2024"
    )
    assert "提示" not in out  # 专精特新“小巨人” names one title
    right = write_list(tmp_path / "对.xlsx", list_names(2, start=5))
    code, out, _ = run(
        capsys, "registry", "import", str(right), "--title", "srdi-sme", "--year", "2024"
    )
    assert "提示" not in out


def test_round_import_json_lists_registry_warnings_and_accept_applies(capsys, tmp_path):
    """Half-width brackets match the list; the warning is under the file's issues; accepting
    the register's value changes the data."""
    names = list_names(10)
    run(capsys, "registry", "import", str(write_list(tmp_path / "l.xlsx", names)),
        "--title", "srdi-sme", "--year", "2025")  # fmt: skip
    run(capsys, "round", "create", "小巨人2026", "--tier", "little-giant", "--date", "2026-06-01")
    half = names[3].replace("（", "(").replace("）", ")")
    records = [
        {**COMPLETE, "name": half, "uscc": make_uscc(1), "holds_srdi": False},
        {
            **COMPLETE,
            "name": "不在任何名单的企业有限公司",
            "uscc": make_uscc(2),
            "holds_srdi": False,
        },
    ]
    path = tmp_path / "applicants.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "round", "import", "小巨人2026", str(path), "--json")
    files = json.loads(out)["files"]
    issues = [i for f in files for i in f["issues"] if i["code"].startswith("registry-")]
    assert [(i["code"], i["uscc"], i["field"]) for i in issues] == [
        ("registry-declared-contradicted", make_uscc(1), "holds_srdi")
    ]
    code, out, _ = run(
        capsys, "registry", "accept", "小巨人2026", make_uscc(1), "--field", "holds_srdi"
    )
    assert code == 0 and "否→是" in out
    code, out, _ = run(capsys, "registry", "show", make_uscc(1))
    assert "小巨人2026（2026-06-01）" in out

    # No record is no evidence of 否: the declared 是 of an applicant on no list stays.
    records[1]["holds_srdi"] = True
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    run(capsys, "round", "import", "小巨人2026", str(path))
    code, _, err = run(
        capsys, "registry", "accept", "小巨人2026", make_uscc(2), "--field", "holds_srdi"
    )
    assert code == 2
    assert "培育库中没有企业 “不在任何名单的企业有限公司” 的专精特新中小企业称号记录" in err
    assert "不能据此把" in err and "改判相应指标" in err


def test_a_word_list_is_imported_like_a_workbook(capsys, tmp_path):
    """`registry import 名单.docx` enters every row; the same names in .xlsx change nothing."""
    names = list_names(40)
    docx = str(write_docx_list(tmp_path / "认定.docx", names, per_table=25))
    code, out, err = run(
        capsys, "registry", "import", docx, "--title", "srdi-sme", "--year", "2024"
    )
    assert (code, err) == (0, "") and "认定.docx：40 行，新增 40 项" in out
    code, out, _ = run(capsys, "registry", "show", names[3], "--json")
    entry = json.loads(out)["entries"][0]
    assert entry["source"] == {
        "file": "认定.docx", "sheet": "表1", "row": 5,
        "title": "2024年度江苏省专精特新中小企业认定名单 （排名不分先后） 第1部分",
    }  # fmt: skip
    xlsx = str(write_list(tmp_path / "认定.xlsx", names))
    code, out, _ = run(capsys, "registry", "import", xlsx, "--title", "srdi-sme", "--year", "2024")
    assert "新增 0 项" in out and "未变 40 项" in out


def test_a_round_marked_recognised_enters_the_register(capsys, tmp_path):
    """`registry recognise ROUND`: refused without a 推荐; after one, the applicant is on
    record with the round as source, once however often the round is marked."""
    run(capsys, "round", "create", "专精特新2026", "--tier", "srdi-sme", "--date", "2026-06-01")
    path = tmp_path / "applicants.json"
    record = {**COMPLETE, "name": "甲(南京)科技有限公司", "uscc": make_uscc(1)}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    run(capsys, "round", "import", "专精特新2026", str(path))
    code, _, err = run(capsys, "registry", "recognise", "专精特新2026")
    assert code != 0 and "还没有决定为“推荐”的企业" in err and "Traceback" not in err
    code, _, err = run(
        capsys, "review", "专精特新2026", make_uscc(1), "--confirm", "SR26-5=met",
        "--decision", "recommend", "--opinion", "同意推荐", "--reason", "材料齐全",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "registry", "recognise", "专精特新2026")
    assert code == 0 and "推荐 1 家，新增 1 项" in out
    code, out, _ = run(capsys, "registry", "recognise", "专精特新2026", "--json")
    assert (json.loads(out)["added"], json.loads(out)["unchanged"]) == (0, 1)
    code, out, _ = run(capsys, "registry", "show", "甲（南京）科技有限公司")
    assert "2026 年 省级专精特新中小企业：已认定，有效期至 2029 年（评审批次 专精特新2026）" in out
    code, out, _ = run(capsys, "round", "history", "专精特新2026")
    assert out.count("标记批次为已认定") == 1


def test_a_list_imported_after_the_applications_names_the_rounds_it_changes(capsys, tmp_path):
    """`registry import` after a round's import: it says which open round gained warnings
    and which 推荐 to look at again; `round show` marks that 推荐 需复核; `--json` lists it."""
    names = list_names(10)
    _round_of(capsys, tmp_path, [names[2]])
    code, _, err = run(
        capsys, "review", "专精特新2026", make_uscc(1), "--confirm", "SR26-5=met",
        "--decision", "recommend", "--opinion", "同意推荐", "--reason", "材料齐全",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _list_of(capsys, tmp_path, names)
    assert (code, err) == (0, "")
    assert "已按培育库重新核对未归档的批次，1 个批次有变化：" in out
    assert (
        f"· 批次 “专精特新2026”：1 家企业的培育库提示有变化（新增 1 条），其中 1 家已决定“推荐”，"
        f"需复核：{names[2]}" in out
    )
    assert "请在评审中确认新的提示，并复核、重新保存这些“推荐”决定" in out
    code, out, _ = run(capsys, "round", "show", "专精特新2026")
    assert "决定作出后培育库核对新增了提示" in out
    code, out, _ = run(
        capsys, "registry", "revoke", names[2], "--title", "srdi-sme", "--reason", "误列",
        "--json",
    )  # fmt: skip
    done = json.loads(out)
    assert [e["status"] for e in done["entries"]] == ["revoked"]
    assert [(r["round"], r["added"], r["withdrawn"]) for r in done["rechecked"]] == [
        ("专精特新2026", 0, 1)
    ]


def test_recheck_on_request_says_what_changed_or_that_nothing_did(capsys, tmp_path):
    """`registry recheck` with nothing to change says so; `--json` lists no round."""
    run(capsys, "round", "create", "专精特新2026", "--tier", "srdi-sme", "--date", "2026-06-01")
    code, out, err = run(capsys, "registry", "recheck")
    assert (code, err) == (0, "")
    assert out.strip() == "已按现行培育库重新核对全部未归档的批次：培育库提示均无变化"
    code, out, _ = run(capsys, "registry", "recheck", "--json")
    assert json.loads(out) == {"rechecked": [], "absence_unchecked": []}


def test_recognising_a_round_says_where_absence_went_unchecked(capsys, tmp_path):
    """`registry recognise` of our own round warns no renewal or declared title absent from a
    register holding only that round, and says so for each open round of the title, and for
    the 创新型 title its applicants declare held; the 2023 list (due in 2026) brings the
    renewal's warning and its import, like `registry recheck`, says only declared titles went
    unchecked; with the 2024 and 2025 lists too, only the 创新型 title declared held."""
    run(capsys, "round", "create", "专精特新2026", "--tier", "srdi-sme", "--date", "2026-06-01")
    path = tmp_path / "applicants.json"
    records = [
        {**COMPLETE, "name": "甲(南京)科技有限公司", "uscc": make_uscc(1)},
        {**COMPLETE, "name": "乙科技有限公司", "uscc": make_uscc(2), "application_type": "renewal"},
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    run(capsys, "round", "import", "专精特新2026", str(path))
    run(
        capsys, "review", "专精特新2026", make_uscc(1), "--confirm", "SR26-5=met",
        "--decision", "recommend", "--opinion", "同意推荐", "--reason", "材料齐全",
    )  # fmt: skip
    code, out, err = run(capsys, "registry", "recognise", "专精特新2026")
    assert (code, err) == (0, "")
    where = "（导入名单：zjtx registry import 文件 --title srdi-sme --year 认定年度）"
    note = (
        "提示：批次 “专精特新2026”：培育库中虽有专精特新中小企业 1 条记录，但未导入 2023、2024、"
        "2025 年的该称号名单，企业不在库中不能说明其未获该称号，故对复核申报和申报已获该称号的"
        "企业均未作“没有记录”的提示" + where
    )
    # Both declare 创新型 held (COMPLETE): the register holds no list of it.
    innovative = (
        "批次 “专精特新2026”：培育库中没有创新型中小企业的记录（未导入该称号名单），企业不在库中"
        "不能说明其未获该称号，故对申报已获创新型中小企业称号的 2 家企业未作“没有记录”的提示"
        "（导入名单：zjtx registry import 文件 --title innovative-sme --year 认定年度）"
    )
    assert out.splitlines()[1:] == [note, "提示：" + innovative]
    code, out, _ = run(capsys, "review", "专精特新2026", make_uscc(2))
    assert "registry-" not in out
    due = str(write_list(tmp_path / "2023.xlsx", list_names(3)))
    code, out, err = run(capsys, "registry", "import", due, "--title", "srdi-sme", "--year", "2023")
    assert (code, err) == (0, "") and "（新增 1 条）" in out
    # The import says, as recognise and recheck do, what the lists held still leave unchecked.
    assert out.splitlines()[-2:] == [
        "提示：批次 “专精特新2026”：已按培育库已导入的专精特新中小企业名单（2023 年）核对复核"
        "申报的企业，但未导入 2024、2025 年的该称号名单，企业不在库中不能说明其未获该称号，故对"
        "申报已获该称号的企业未作“没有记录”的提示" + where,
        "提示：" + innovative,
    ]
    code, out, _ = run(capsys, "review", "专精特新2026", make_uscc(2))
    [warning] = [line for line in out.splitlines() if "registry-" in line]
    assert "待确认导入提示：registry-renewal-without-record@application_type" in warning
    assert "培育库已导入的专精特新中小企业名单（2023 年）中没有其认定记录" in warning
    code, out, _ = run(capsys, "registry", "recheck", "--json")
    assert json.loads(out)["absence_unchecked"] == [
        "批次 “专精特新2026”：已按培育库已导入的专精特新中小企业名单（2023 年）核对复核申报的"
        "企业，但未导入 2024、2025 年的该称号名单，企业不在库中不能说明其未获该称号，故对申报已获"
        "该称号的企业未作“没有记录”的提示" + where,
        innovative,
    ]
    later = str(write_list(tmp_path / "2024.xlsx", list_names(2, start=10)))
    code, out, _ = run(capsys, "registry", "import", later, "--title", "srdi-sme", "--year", "2024")
    assert "未导入 2025 年的该称号名单" in out.splitlines()[-2]
    _list_of(capsys, tmp_path, list_names(2, start=20))
    code, out, _ = run(capsys, "registry", "recheck", "--json")
    assert json.loads(out)["absence_unchecked"] == [innovative]


def test_a_round_restored_or_checked_by_an_older_zjtx_is_told(capsys, tmp_path):
    """`round restore` checks the round against the register and says what changed;
    `round show` of a round an older zjtx checked points to `registry recheck` until run."""
    names = list_names(4)
    _round_of(capsys, tmp_path, [names[1]])
    run(capsys, "round", "archive", "专精特新2026")
    _list_of(capsys, tmp_path, names)
    code, out, err = run(capsys, "round", "restore", "专精特新2026")
    assert (code, err) == (0, "")
    assert out.strip() == (
        "已恢复批次 “专精特新2026”，可以继续导入和评审；已按培育库重新核对："
        "1 家企业的培育库提示有变化（新增 1 条）"
    )
    code, out, _ = run(capsys, "round", "show", "专精特新2026", "--json")
    assert json.loads(out)["registry_recheck_due"] is None
    run(capsys, "round", "archive", "专精特新2026")
    code, out, _ = run(capsys, "round", "restore", "专精特新2026", "--json")
    restored = json.loads(out)
    assert (restored["name"], restored["archived_at"], restored["rechecked"]) == (
        "专精特新2026",
        None,
        [],
    )
    _execute(tmp_path, "UPDATE rounds SET registry_checks = NULL")
    code, out, _ = run(capsys, "round", "show", "专精特新2026")
    assert (
        "注意：本批次的培育库提示由较早版本的 zjtx 核对得出，此后核对规则已有更新；"
        "可用 zjtx registry recheck 按现行培育库重新核对"
    ) in out
    run(capsys, "registry", "recheck")
    code, out, _ = run(capsys, "round", "show", "专精特新2026")
    assert "registry recheck" not in out


def test_a_damaged_applicant_does_not_keep_a_list_out(capsys, tmp_path):
    """A version damaged in the database (edited by hand) is passed by when a list is
    imported: the list is entered, exit 0, and the output names the damaged applicant."""
    names = list_names(3)
    _round_of(capsys, tmp_path, names[:2])
    _execute(
        tmp_path,
        "UPDATE applicant_versions SET \"values\" = '[1, 2]' WHERE id = "
        "(SELECT current_version_id FROM applicants WHERE uscc = :uscc)",
        uscc=make_uscc(2),
    )
    code, out, err = _list_of(capsys, tmp_path, names)
    assert (code, err) == (0, "")
    assert "新增 3 项" in out
    assert (
        "已按培育库重新核对未归档的批次，1 个批次有变化，1 个批次有企业的数据已损坏、未能核对："
        in out
    )
    assert (
        f"· 批次 “专精特新2026”：1 家企业的培育库提示有变化（新增 1 条）；1 家企业的数据在数据库中"
        f"已损坏，未能核对：{names[1]}（{make_uscc(2)}）第 1 版的字段值（请联系技术支持检查数据库，"
        "修复后再重新核对）"
    ) in out
    assert "数据修复后可用 zjtx registry recheck 重新核对" in out
