"""The `zjtx` command line: scoring, listings, JSON output and exit status on bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zjtx.cli import main
from zjtx.paths import resource_path

SAMPLES = resource_path("samples", "applicants.json")


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "zjtx", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or Path(__file__).resolve().parents[1],
        check=False,
    )


def test_score_samples_as_json_covers_every_verdict(capsys):
    """The sample applicants give all three verdicts for 科技和创新型 2026."""
    assert (
        main(["score", str(SAMPLES), "--tier", "innovative-sme", "--date", "2026-07-01", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 30
    assert {d["verdict"] for d in data} == {"qualified", "not_qualified", "pending"}
    first = data[0]
    for key in (
        "name",
        "uscc",
        "rulebook",
        "verdict",
        "score",
        "score_min",
        "score_max",
        "size_class",
        "criteria",
    ):
        assert key in first
    assert first["rulebook"] == "innovative-sme-2022"
    assert {c["id"] for c in first["criteria"]} >= {"IN22-0", "IN22-S1", "IN22-D4"}


def test_little_giant_2026_uses_each_applicants_own_rulebook(capsys):
    """In a 2026 小巨人 round, renewals are judged by the 2022 standard, new ones by 2026."""
    main(["score", str(SAMPLES), "--tier", "little-giant", "--date", "2026-06-01", "--json"])
    data = json.loads(capsys.readouterr().out)
    by_type = {(d["application_type"], d["rulebook"]) for d in data}
    assert ("renewal", "little-giant-2022") in by_type
    assert ("new", "little-giant-2026") in by_type


def test_human_output_is_a_chinese_table(capsys):
    """Default output names the rulebook, verdict, score and each criterion in Chinese."""
    main(["score", str(SAMPLES), "--tier", "srdi-sme", "--date", "2025-06-01"])
    out = capsys.readouterr().out
    assert "福州闽精密机械有限公司" in out
    assert "srdi-sme-2022" in out and "结论：" in out and "SR22-B2" in out
    assert "共评价 30 家企业" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--tier", "little-gaint"], "little-giant"),
        (["--rulebook", "srdi-sme-2025"], "srdi-sme-202"),
        (["--tier", "srdi-sme", "--overlay", "shandong"], "shandong-2022"),
        (["--tier", "srdi-sme", "--date", "2026/05/01"], "YYYY-MM-DD"),
    ],
)
def test_bad_names_exit_2_with_suggestion(tmp_path, args, fragment):
    """Unknown tier, rulebook or overlay exits 2 naming the closest valid one."""
    result = run("score", str(SAMPLES), *args)
    assert result.returncode == 2
    assert fragment in result.stderr


def test_unknown_field_key_exits_2_with_suggestion(tmp_path):
    """A misspelt field key names the record, the key and the right spelling."""
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps([{"name": "甲", "revenue_y": 100}], ensure_ascii=False), encoding="utf-8"
    )
    result = run("score", str(path), "--tier", "srdi-sme")
    assert result.returncode == 2
    assert "第 1 条记录" in result.stderr and "revenue_y1" in result.stderr


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[{"name": "甲", "revenue_y1": "一千"}]', "应为数值"),
        ('[{"name": "甲", "iso9001": "是"}]', "应为 true 或 false"),
        ('[{"name": "甲", "maker_china": "top5000"}]', "top500"),
        ('[{"name": "甲",]', "不是有效的 JSON"),
    ],
)
def test_wrong_types_and_bad_json_exit_2(tmp_path, content, fragment):
    """Wrong value types and broken JSON exit 2 with a message naming the problem."""
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    result = run("score", str(path), "--tier", "srdi-sme")
    assert result.returncode == 2
    assert fragment in result.stderr


def test_overlay_outside_its_dates_is_refused():
    """Guangdong's 70-point line applies only to rounds before 2026-04-01."""
    result = run(
        "score",
        str(SAMPLES),
        "--tier",
        "srdi-sme",
        "--date",
        "2026-05-01",
        "--overlay",
        "guangdong-2024",
    )
    assert result.returncode == 2
    assert "2026-03-31" in result.stderr


def test_rulebooks_and_fields_listings(capsys):
    """`zjtx rulebooks --json` and `zjtx fields --json` list everything bundled."""
    assert main(["rulebooks", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["rulebooks"]) == 8 and len(data["overlays"]) == 3
    assert main(["fields", "--json"]) == 0
    fields = json.loads(capsys.readouterr().out)
    assert any(f["key"] == "revenue_y1" and f["unit"] == "万元" for f in fields)
    ranks = {f["key"]: f["zero_text"] for f in fields if f["zero_text"]}
    assert ranks["sci_award_national_rank"] == "未获奖"
    assert ranks["market_rank_global"] == "未进入排名"
    assert main(["rulebook", "show", "little-giant-2026"]) == 0
    out = capsys.readouterr().out
    assert "LG26-3" in out and "工信部企业〔2026〕2号" in out


def test_rulebook_show_prints_the_correspondence(capsys):
    """`zjtx rulebook show` names the earlier criteria each criterion replaces, and how."""
    assert main(["rulebook", "show", "little-giant-2026"]) == 0
    out = capsys.readouterr().out
    assert '对应：专精特新"小巨人"企业认定标准（2022 版） LG22-5、LG22-6（合并）' in out
    assert main(["rulebook", "show", "little-giant-2026", "--json"]) == 0
    criteria = {c["id"]: c for c in json.loads(capsys.readouterr().out)["criteria"]}
    assert criteria["LG26-1b"]["replaces"] == {
        "rulebook": "little-giant-2022", "criteria": ["LG22-1a"], "how": "same",
    }  # fmt: skip
    assert criteria["LG26-7"]["replaces"] is None


@pytest.mark.parametrize("count", [0, 1, 3])
def test_score_json_streams_the_bytes_of_one_json_dump(tmp_path, capsys, count):
    """`zjtx score --json` writes applicant by applicant exactly what one dump of the whole
    list gives, for none, one and several applicants."""
    from datetime import date

    from zjtx.commands.textout import dump_json
    from zjtx.intake.json_input import read_json_applicants
    from zjtx.scoring import load_catalogue, score_applicants

    rows = json.loads(SAMPLES.read_text(encoding="utf-8"))[:count]
    path = tmp_path / "some.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01", "--json"]) == 0
    streamed = capsys.readouterr().out
    applicants = read_json_applicants(path, load_catalogue())
    whole = score_applicants(applicants, round_date=date(2025, 6, 1), tier="srdi-sme")
    assert streamed == dump_json([e.to_dict() for e in whole]) + "\n"
    assert len(json.loads(streamed)) == count


def test_score_names_json_figures_an_import_would_block(tmp_path, capsys):
    """`zjtx score` on a JSON whose applicant has a negative figure says on stderr which file,
    record and field an import would block, and still prints the evaluation with exit 0."""
    rows = json.loads(SAMPLES.read_text(encoding="utf-8"))[:2]
    rows[1]["lead_product_revenue_y1"] = -5
    path = tmp_path / "neg.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01", "--json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    assert "1 家企业的数据未通过导入检查" in captured.err
    assert "neg.json" in captured.err and "[2]" in captured.err
    assert "lead_product_revenue_y1" in captured.err or "主导产品" in captured.err
    assert captured.err.count("注意") == 1


def test_score_refuses_a_title_held_whose_remark_ends_it_before_the_round(tmp_path, capsys):
    """`zjtx score` reads a JSON 是（有效期至2022年12月） against the round's year, as an import
    does: in a 2026 round it says the title ended before the round, naming record and field."""
    path = tmp_path / "lapsed.json"
    row = {"name": "甲公司", "high_tech_enterprise": "是（有效期至2022年12月）"}
    path.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path), "--tier", "srdi-sme", "--date", "2026-07-01"]) == 2
    err = capsys.readouterr().err
    assert "lapsed.json 第 1 条记录 字段 “high_tech_enterprise”" in err
    assert "早于本批次（2026年度）" in err


def test_score_says_nothing_of_the_gate_when_every_json_figure_passes(tmp_path, capsys):
    """Clean JSON inputs are scored without a gate note on stderr."""
    assert main(["score", str(SAMPLES), "--tier", "srdi-sme", "--date", "2025-06-01"]) == 0
    assert "导入检查" not in capsys.readouterr().err


def test_score_names_where_a_spreadsheets_blocked_rows_are(tmp_path, capsys):
    """`zjtx score` on a roster says on stderr how many gate errors kept applicants out and
    where the first ones are (file · sheet · cell and the message)."""
    import shutil

    import openpyxl

    path = tmp_path / "roster.xlsx"
    shutil.copy(resource_path("samples", "roster_2026.xlsx"), path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = next(r for r in range(1, 10) if sheet.cell(r, 2).value == "企业名称")
    column = next(c.column for c in sheet[header] if c.value and "营业收入" in str(c.value))
    sheet.cell(header + 2, column).value = "一千"
    book.save(path)
    assert main(["score", str(path), "--tier", "srdi-sme", "--date", "2026-06-01"]) == 0
    err = capsys.readouterr().err
    assert "家企业的数据未通过导入检查（" in err and "个错误：roster.xlsx · 申报名单 · " in err
    assert "），未参与评价" in err
    cell = f"{openpyxl.utils.get_column_letter(column)}{header + 2}"
    assert f"roster.xlsx · 申报名单 · {cell}：" in err and "无法把“一千”读作数值" in err


def test_rulebook_show_says_which_items_are_judged_only_in_some_cases(capsys):
    """`zjtx rulebook show` marks IN22-S1 (judged only when its 主导产品 is at 50 % or less)
    apart from an item always judged (IN22-D3)."""
    assert main(["rulebook", "show", "innovative-sme-2022"]) == 0
    lines = capsys.readouterr().out.splitlines()
    s1 = next(line for line in lines if line.strip().startswith("IN22-S1"))
    d3 = next(line for line in lines if line.strip().startswith("IN22-D3"))
    assert s1.endswith("［按申报数据，部分情形需人工确认］") and d3.endswith("［需人工确认］")
    assert main(["rulebook", "show", "innovative-sme-2022", "--json"]) == 0
    criteria = {c["id"]: c for c in json.loads(capsys.readouterr().out)["criteria"]}
    assert criteria["IN22-S1"]["judgement_in_some_cases"] is True
    assert criteria["IN22-D3"]["judgement_in_some_cases"] is False


def test_every_option_of_every_command_says_what_it_is():
    """Each --option of each command has a help text (`zjtx X --help` is how a user learns it)."""
    import argparse

    from zjtx.cli import build_parser

    bare: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif action.option_strings and not action.help:
                bare.append(f"{path} {action.option_strings[0]}")

    walk(build_parser(), "zjtx")
    assert bare == []


def test_help_and_usage_errors_are_in_chinese(capsys):
    """`--help` heads its sections 参数 and 选项 and says what -h does in Chinese; a usage
    error's usage line starts 用法：."""
    with pytest.raises(SystemExit):
        main(["registry", "import", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：zjtx registry import")
    assert "\n选项：\n" in out and "显示本帮助并退出" in out and "options:" not in out
    with pytest.raises(SystemExit) as exited:
        main(["registry", "import", "x.xlsx", "--title", "srdi-sme", "--year", "二〇二五"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：") and "usage:" not in err


_TERMINATED_SCRIPT = """
import os, signal, sys, time
import zjtx.export.tables as tables
from zjtx.files import write_atomically

def stopped_midway(outcomes, target, *rest):
    def write(partial):
        partial.write_bytes(b"half a workbook")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    write_atomically(target, write)

tables.write_results = stopped_midway
from zjtx.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_command_stopped_by_sigterm_leaves_no_half_written_file(tmp_path):
    """SIGTERM while a file is written unwinds like Ctrl+C: the partial file is removed,
    nothing appears under the target's name, and the command says it was stopped."""
    target = tmp_path / "结果.xlsx"
    samples = Path(__file__).parents[1] / "resources" / "samples" / "applicants.json"
    done = subprocess.run(
        [sys.executable, "-c", _TERMINATED_SCRIPT, "results", str(samples), "--tier",
         "srdi-sme", "--date", "2025-07-01", "--out", str(target)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[1],
        env={**os.environ, "ZJTX_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    assert done.returncode == 143, done.stderr[-2000:]
    assert "已终止" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == []


def test_score_names_a_file_it_could_not_read_once(tmp_path, capsys):
    """A zip beside a roster in a scored folder is named once, as not read (not as “0 家企业
    未通过导入检查”, nor with its name twice); the roster's applicants are scored."""
    import zipfile

    from tests.intake.helpers import CODE_A, write_xlsx

    folder = tmp_path / "收件"
    folder.mkdir()
    write_xlsx(folder / "名单.xlsx", [["企业名称", "统一社会信用代码"], ["甲公司", CODE_A]])
    with zipfile.ZipFile(folder / "材料.zip", "w") as archive:
        archive.writestr("表.xlsx", "x")
    main(["score", str(folder), "--tier", "srdi-sme", "--date", "2026-06-01", "--json"])
    out, err = capsys.readouterr()
    assert [r["uscc"] for r in json.loads(out)] == [CODE_A]
    assert "1 处未能读取" in err and err.count("收件/材料.zip") == 1
    assert "0 家企业" not in err


def test_a_standard_named_for_a_round_it_does_not_cover_is_said(capsys):
    """--rulebook srdi-sme-2022 for a June 2026 round scores as asked (a province may keep the
    old standard) and says on stderr that the standard does not cover that date; in force,
    nothing is said."""
    samples = str(resource_path("samples", "applicants.json"))
    main(["score", samples, "--rulebook", "srdi-sme-2022", "--date", "2026-06-01", "--json"])
    out, err = capsys.readouterr()
    assert json.loads(out) and "不含 2026-06-01 批次的" in err and "至 2026-03-31" in err
    main(["score", samples, "--rulebook", "srdi-sme-2022", "--date", "2025-06-01", "--json"])
    assert "不含" not in capsys.readouterr().err


def test_a_standard_named_for_applications_it_leaves_to_another_is_said(tmp_path, capsys):
    """little-giant-2026 in a 2026 round covers new applications only (renewals from 2027):
    a renewal scored with it is said to be outside it; a new one is not."""
    records = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))
    path = tmp_path / "a.json"
    for kind, said in (("renewal", True), ("new", False)):
        path.write_text(json.dumps([{**records[0], "application_type": kind}], ensure_ascii=False),
                        encoding="utf-8")  # fmt: skip
        main(["score", str(path), "--rulebook", "little-giant-2026", "--date", "2026-06-01",
              "--json"])  # fmt: skip
        err = capsys.readouterr().err
        assert ("不含 2026-06-01 批次的复核" in err) is said, err


def _transferred_ip_form(tmp_path):
    """A form whose IP list holds three 发明专利 transferred in years before a 2026 round."""
    from tests.intake.helpers import CODE_A, write_xlsx

    items = [("甲", "2019-05-01"), ("乙", "2021-03-01"), ("丙", "2020-06-01")]
    return write_xlsx(
        tmp_path / "ip.xlsx",
        [
            ["企业名称", "宁波甲科技有限公司"],
            ["统一社会信用代码", CODE_A],
            [],
            ["名称", "类型", "授权号", "是否与主导产品相关", "获得方式", "受让日期"],
            *[[name, "发明专利", f"ZL{n}", "是", "受让", when] for n, (name, when) in
              enumerate(items)],
        ],
    )  # fmt: skip


def test_check_counts_an_ip_list_as_the_rulebook_of_its_tier_and_date_defines_it(tmp_path, capsys):
    """`zjtx check --tier innovative-sme --date 2026-07-01` counts transfers held a year or
    more (innovative-sme-2022); with --year alone, the year's definition, said as such."""
    path = str(_transferred_ip_form(tmp_path))
    main(["check", path, "--tier", "innovative-sme", "--date", "2026-07-01", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["applicants"][0]["ip1_total"] == 3
    main(["check", path, "--year", "2026", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["applicants"][0]["ip1_total"] == 0
    note = next(i["message"] for i in out["issues"] if i["code"] == "ip-list-counted")
    assert "未指定评价标准，按批次年度 2026 年" in note


def test_check_tier_without_a_date_reads_as_todays_round_of_the_year(tmp_path, capsys):
    """--tier names a rulebook by the batch date: alone it stands for a round of today (in this
    year: innovative-sme-2022 counts the three transfers), for another year it exits 2 asking
    for --date."""
    path = str(_transferred_ip_form(tmp_path))
    assert main(["check", path, "--tier", "innovative-sme"]) in (0, 1)
    assert "2022 年口径，评价标准 innovative-sme-2022" in capsys.readouterr().out
    assert main(["check", path, "--tier", "innovative-sme", "--year", "2024"]) == 2
    assert "须用 --date 给出 2024年的批次日期" in capsys.readouterr().err


def test_score_and_round_import_count_ip_lists_under_the_rounds_rulebook(tmp_path, capsys):
    """A 2026 创新型 batch (innovative-sme-2022): `score` and `round import` both count the
    three transfers, so IN22-S1 gives 10 points for Ⅰ类知识产权 3 项."""
    path = str(_transferred_ip_form(tmp_path))
    assert main(["score", path, "--tier", "innovative-sme", "--date", "2026-07-01"]) == 0
    out = capsys.readouterr().out
    assert "与主导产品相关的Ⅰ类知识产权 3 项 → 10 分" in out
    assert (
        main(["round", "create", "创新型", "--tier", "innovative-sme", "--date", "2026-07-01"]) == 0
    )
    main(["round", "import", "创新型", path])
    out = capsys.readouterr().out
    assert "2022 年口径，评价标准 innovative-sme-2022" in out


OLD_INCIDENTS = "近三年发生重大安全（含网络、数据安全）、质量、环境污染事故或偷漏税等违法违规行为"
NEW_INCIDENTS = (
    "近三年发生较大生产安全事故、重大网络和数据安全事件、重大环境违法行为、严重质量问题"
    "或严重违反相关行业管理规定"
)


def _incidents_form(path: Path, question: str) -> Path:
    """A Word 申请书 answering the incidents question, asked in the given words, with 否."""
    import docx

    from zjtx.intake.synthetic import valid_uscc

    document = docx.Document()
    rows = [("企业名称", "宁波甬芯精密机械有限公司"), ("统一社会信用代码", valid_uscc(1001))]
    rows.append((question, "□是 ☑否"))
    table = document.add_table(rows=len(rows), cols=2)
    for r, (label, answer) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = label, answer
    document.save(path)
    return path


def _missing(capsys, path: Path, date: str, criterion: str) -> list[str]:
    main(["score", str(path), "--tier", "srdi-sme", "--date", date, "--json"])
    data = json.loads(capsys.readouterr().out)
    return next(c for c in data[0]["criteria"] if c["id"] == criterion)["missing"]


def test_score_reads_a_form_with_the_questions_of_the_tiers_rulebook(tmp_path, capsys):
    """A 否 to the 2022 incidents question does not answer a 2026 round's one, as in a round;
    a 2026 round's own wording, or the 2022 question in a 2022 round, is read."""
    old = _incidents_form(tmp_path / "old.docx", OLD_INCIDENTS)
    new = _incidents_form(tmp_path / "new.docx", NEW_INCIDENTS)
    assert "major_incident_3y" in _missing(capsys, old, "2026-06-15", "SR26-0")
    assert "major_incident_3y" not in _missing(capsys, new, "2026-06-15", "SR26-0")
    assert "major_incident_3y" not in _missing(capsys, old, "2026-03-15", "SR22-0")


def test_score_says_an_answer_to_another_versions_question_was_not_taken(tmp_path, capsys):
    """The 2022-worded answer in a 2026 round is named on stderr, with its table and cell."""
    old = _incidents_form(tmp_path / "old.docx", OLD_INCIDENTS)
    main(["score", str(old), "--tier", "srdi-sme", "--date", "2026-06-15"])
    err = capsys.readouterr().err
    assert "1 处按另一版评价标准的问法回答" in err and "old.docx · 表1 · 第3行第1列" in err
