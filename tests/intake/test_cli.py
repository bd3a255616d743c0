"""`zjtx check` and `zjtx template` from the command line."""

import json

import openpyxl
import pytest

from tests.intake.helpers import CODE_A, CODE_B, write_xlsx
from zjtx.cli import main


def run(argv: list[str]) -> int:
    """Run the real `zjtx` entry point (usage errors exit 2)."""
    return main(argv)


def test_check_prints_a_table_and_exits_1_on_errors(tmp_path, capsys):
    """Errors give exit status 1 and a table naming file, sheet and cell."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"],
            ["甲", CODE_A, "x"],
            ["乙", CODE_B, 5],
        ],
    )
    assert run(["check", str(path), "--year", "2026"]) == 1
    out = capsys.readouterr().out
    assert "错误" in out and "r.xlsx · 名单 · C2" in out and "value-unreadable" in out
    assert "数据行 2，导入 1，拦截 1，空行/跳过 0" in out


def test_check_json_output_and_exit_0_without_errors(tmp_path, capsys):
    """--json prints applicants as catalogue dicts, issues and the summary; exit 0."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "成立日期", "备注"],
            ["甲", CODE_A, "1,200.5", "2019-03-01", "x"],
        ],
    )
    assert run(["check", str(path), "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applicants"] == [
        {"name": "甲", "uscc": CODE_A, "revenue_y1": 1200.5, "founded": "2019-03-01"}
    ]
    assert [(i["cell"], i["code"], i["severity"]) for i in data["issues"]] == [
        ("E1", "column-ignored", "warning")
    ]
    assert data["summary"]["total"]["rows_imported"] == 1


def test_check_output_feeds_the_json_reader(tmp_path, capsys):
    """Applicants printed by --json read back through the JSON input unchanged."""
    from zjtx.intake import read_applicants
    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring.catalogue import load_catalogue

    people = applicants(5, 2026, seed=3)
    path = write_roster_template(tmp_path / "r.xlsx", load_catalogue(), 2026, people)
    assert run(["check", str(path), "--year", "2026", "--json"]) == 0
    out = tmp_path / "a.json"
    out.write_text(json.dumps(json.loads(capsys.readouterr().out)["applicants"]), "utf-8")
    assert [a.values for a in read_applicants([out], 2026).applicants] == people


def test_check_missing_path_is_a_usage_error(tmp_path):
    """A path that does not exist is a usage error (exit 2)."""
    assert run(["check", str(tmp_path / "none.xlsx")]) == 2


@pytest.mark.parametrize("kind", ["roster", "form"])
def test_template_command_writes_a_workbook(tmp_path, capsys, kind):
    """zjtx template roster|form --year 2026 --out FILE writes a readable workbook."""
    out = tmp_path / f"{kind}.xlsx"
    assert run(["template", kind, "--year", "2026", "--out", str(out)]) == 0
    assert "2026年度" in capsys.readouterr().out
    workbook = openpyxl.load_workbook(out)
    assert "填表说明" in workbook.sheetnames


def test_template_rejects_other_suffixes(tmp_path):
    """A template must be saved as .xlsx."""
    assert run(["template", "roster", "--out", str(tmp_path / "t.xls")]) == 2


def test_check_applies_map_corrections_and_refuses_bad_ones(tmp_path, capsys):
    """--map reads a misnamed column as the field given (元 -> 万元 exactly), ignores another,
    and a malformed or unknown correction exits 2 naming it."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            ["企业名称", "统一社会信用代码", "销售额（元）", "备注"],
            ["甲", CODE_A, 123456789.5, "x"],
        ],
    )
    args = ["check", str(path), "--year", "2026", "--json"]
    assert run([*args, "--map", "C=营业收入@2025:元", "--map", "D=ignore"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["applicants"][0]["revenue_y1"] in (12345.67895, "12345.67895")
    codes = {issue["code"] for issue in payload["issues"]}
    assert {"column-mapped-manual", "column-ignored-manual"} <= codes
    assert "column-ignored" not in codes
    assert run([*args, "--map", "C=营收@2025"]) == 2
    assert "营业收入" in capsys.readouterr().err  # the "did you mean"
    assert run([*args, "--map", "C营业收入"]) == 2
    assert "列=字段" in capsys.readouterr().err


def test_a_round_template_asks_each_question_as_the_round_words_it(tmp_path, capsys):
    """template --round for a 2026 小巨人 round heads the incidents column with 2号's wording
    (the 2026 rulebook judges that question); a 2024 round's keeps the 2022 standard's."""
    from zjtx.scoring.catalogue import load_catalogue

    data = str(tmp_path / "data")
    rounds = {"2026年小巨人": "2026-06-01", "2024年小巨人": "2024-06-01"}
    headers = {}
    for name, day in rounds.items():
        assert run(["--data-dir", data, "round", "create", name, "--tier", "little-giant",
                    "--date", day]) == 0  # fmt: skip
        out = tmp_path / f"{name}.xlsx"
        assert run(["--data-dir", data, "template", "roster", "--round", name,
                    "--out", str(out)]) == 0  # fmt: skip
        assert f"批次 “{name}”，{day[:4]}年度" in capsys.readouterr().out
        headers[name] = [cell.value for cell in openpyxl.load_workbook(out)["申报名单"][2]]
    wording_2026 = (
        "近三年发生较大生产安全事故、重大网络和数据安全事件、重大环境违法行为、严重质量问题"
        "或严重违反相关行业管理规定"
    )
    wording_2022 = load_catalogue()["major_incident_3y"].label
    assert wording_2026 in headers["2026年小巨人"] and wording_2022 not in headers["2026年小巨人"]
    assert wording_2022 in headers["2024年小巨人"] and wording_2026 not in headers["2024年小巨人"]
    assert "2025年营业收入（万元）" in headers["2026年小巨人"]
    assert "2023年营业收入（万元）" in headers["2024年小巨人"]


def test_check_refuses_a_json_yes_dated_before_the_round_year(tmp_path, capsys):
    """`zjtx check 企业.json --year 2026` of "是（有效期至2022年12月）" says the title ended before
    the round, naming the file, record and field; exit 1."""
    path = tmp_path / "企业.json"
    record = {"name": "甲公司", "uscc": CODE_A, "holds_srdi": "是（有效期至2022年12月）"}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    assert run(["check", str(path), "--year", "2026"]) == 1
    out = capsys.readouterr().out
    assert "企业.json 第 1 条记录 字段 “holds_srdi”" in out
    assert "有效期至2022年，早于本批次（2026年度），证书已不在有效期内" in out


OLD_INCIDENTS = "近三年发生重大安全（含网络、数据安全）、质量、环境污染事故或偷漏税等违法违规行为"
NEW_INCIDENTS = (
    "近三年发生较大生产安全事故、重大网络和数据安全事件、重大环境违法行为、严重质量问题"
    "或严重违反相关行业管理规定"
)


def _incidents_form(path, question: str):
    """A Word 申请书 answering the incidents question, asked in the given words, with 否."""
    import docx

    document = docx.Document()
    rows = [("企业名称", "甲公司"), ("统一社会信用代码", CODE_A), (question, "□是 ☑否")]
    table = document.add_table(rows=len(rows), cols=2)
    for r, (label, answer) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = label, answer
    document.save(path)
    return path


def _check(capsys, *args: str) -> dict:
    assert run(["check", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_check_without_a_tier_reads_the_2022_question_but_says_2026_rounds_do_not(tmp_path, capsys):
    """check --year 2026 reads the 2022-worded answer and warns, at its cell, that the rounds
    from 2026-04-01 ask the 2026 wording and will not take it; the 2026 wording is not warned."""
    old = _incidents_form(tmp_path / "old.docx", OLD_INCIDENTS)
    payload = _check(capsys, str(old), "--year", "2026")
    assert payload["applicants"][0]["major_incident_3y"] is False
    [issue] = [i for i in payload["issues"] if i["code"] == "question-wording-other"]
    assert (issue["severity"], issue["sheet"], issue["cell"]) == ("warning", "表1", "第3行第1列")
    assert (
        "2026-04-01 起的专精特新中小企业" in issue["message"] and NEW_INCIDENTS in issue["message"]
    )
    assert payload["summary"]["total"]["warnings"] >= 1
    new = _incidents_form(tmp_path / "new.docx", NEW_INCIDENTS)
    codes = {i["code"] for i in _check(capsys, str(new), "--year", "2026")["issues"]}
    assert "question-wording-other" not in codes
    codes = {i["code"] for i in _check(capsys, str(old), "--year", "2025")["issues"]}
    assert "question-wording-other" not in codes  # 2025's rounds all ask the 2022 wording


def test_check_with_a_tier_and_date_reads_as_that_round(tmp_path, capsys):
    """check --tier srdi-sme --date 2026-06-15 does not take the 2022 answer (a warning says
    why); --date 2026-03-15 (the 2022 standard) takes it."""
    old = _incidents_form(tmp_path / "old.docx", OLD_INCIDENTS)
    payload = _check(capsys, str(old), "--tier", "srdi-sme", "--date", "2026-06-15")
    assert "major_incident_3y" not in payload["applicants"][0]
    [issue] = [i for i in payload["issues"] if i["code"] == "question-wording-other"]
    assert issue["field"] == "major_incident_3y" and "“□是 ☑否”不能作为" in issue["message"]
    payload = _check(capsys, str(old), "--tier", "srdi-sme", "--date", "2026-03-15")
    assert payload["applicants"][0]["major_incident_3y"] is False


def test_check_tier_needs_a_date_outside_this_year_and_a_known_name(tmp_path, capsys):
    """--tier with another year's --year and no --date, or an unknown tier, exits 2."""
    old = _incidents_form(tmp_path / "old.docx", OLD_INCIDENTS)
    assert run(["check", str(old), "--tier", "srdi-sme", "--year", "2020"]) == 2
    assert "--date" in capsys.readouterr().err
    assert run(["check", str(old), "--tier", "srdi", "--date", "2026-06-15"]) == 2
    assert run(["check", str(old), "--year", "2025", "--date", "2026-06-15"]) == 2


def test_template_with_a_tier_and_date_asks_that_rounds_wording(tmp_path, capsys):
    """template --tier srdi-sme --date 2026-06-15 heads the incidents column with the 2026
    wording; --year 2026 alone keeps the catalogue's and says which rounds ask otherwise."""
    out = tmp_path / "t.xlsx"
    assert run(["template", "roster", "--tier", "srdi-sme", "--date", "2026-06-15",
                "--out", str(out)]) == 0  # fmt: skip
    headers = [cell.value for cell in openpyxl.load_workbook(out)["申报名单"][2]]
    assert NEW_INCIDENTS in headers and OLD_INCIDENTS not in headers
    capsys.readouterr()
    assert run(["template", "roster", "--year", "2026", "--out", str(out)]) == 0
    headers = [cell.value for cell in openpyxl.load_workbook(out)["申报名单"][2]]
    assert OLD_INCIDENTS in headers
    err = capsys.readouterr().err
    assert "2026-04-01 起的专精特新中小企业" in err and "--tier 和 --date" in err


def test_a_tier_template_asks_what_its_rulebooks_read_and_is_titled_for_it(tmp_path, capsys):
    """template --tier single-champion: titled 制造业单项冠军企业申报名单, with the fields its
    rulebooks read (从事相关领域年限, 全球市场占有率排名), the 申请产品 and the figures the
    评审意见表 prints, not those of other tiers (细分市场年限, 特色化指标, 创客中国); filled in,
    it reads back with no column unknown. Without a tier, every field, as before."""
    out = tmp_path / "冠军名单.xlsx"
    assert run(["template", "roster", "--tier", "single-champion", "--date", "2026-06-01",
                "--out", str(out)]) == 0  # fmt: skip
    assert "制造业单项冠军企业 2026-06-01 批次的问法" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(out)["申报名单"]
    assert sheet["A1"].value.startswith("2026年度制造业单项冠军企业申报名单")
    headers = [cell.value for cell in sheet[2]]
    for wanted in ("截至上年末从事相关领域年限（年）", "申请产品全球市场占有率排名（名）",
                   "申请产品（生产性服务）名称", "申报类型", "2025年营业收入（万元）",
                   "2023年主营业务收入（万元）", "2025年净利润（万元）"):  # fmt: skip
        assert wanted in headers, wanted
    assert not [h for h in headers if "细分市场年限" in h or "创客中国" in h or "特色化" in h]
    assert len(headers) < 40

    for column, value in {"A": "杭州冠军纺机有限公司", "B": CODE_A}.items():
        sheet[f"{column}3"] = value
    sheet.parent.save(out)
    assert run(["check", str(out), "--year", "2026", "--json"]) in (0, 1)
    payload = json.loads(capsys.readouterr().out)
    assert not [i for i in payload["issues"] if i["code"].startswith("column-")]

    every = tmp_path / "全部.xlsx"
    assert run(["template", "roster", "--year", "2026", "--out", str(every)]) == 0
    whole = openpyxl.load_workbook(every)["申报名单"]
    assert whole["A1"].value.startswith("2026年度优质中小企业申报名单")
    assert len([c for c in whole[2] if c.value]) > len(headers)


def test_a_round_template_is_cut_and_titled_for_the_rounds_tier(tmp_path, capsys):
    """template --round of a 单项冠军 round (the window's 下载模板 asks the same): titled for the
    tier, with its questions and not other tiers'."""
    data = str(tmp_path / "data")
    assert run(["--data-dir", data, "round", "create", "冠军2026", "--tier", "single-champion",
                "--date", "2026-06-01"]) == 0  # fmt: skip
    out = tmp_path / "冠军.xlsx"
    assert run(["--data-dir", data, "template", "form", "--round", "冠军2026",
                "--out", str(out)]) == 0  # fmt: skip
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet["A1"].value == "2026年度制造业单项冠军企业申报表"
    labels = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "申请产品全球市场占有率排名" in labels and "细分市场年限" not in labels
