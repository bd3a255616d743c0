"""`zjtx check --map … --save-profile` and `zjtx profile list|show|export|import|delete`: a
corrected layout is saved once and the next file with the same header is read with it."""

import json

import pytest

from tests.intake.helpers import CODE_A, CODE_B, write_xlsx
from zjtx.cli import main


def roster(path, revenue=1200, heading="销售额"):
    """A roster whose revenue column says only 销售额 (not recognised) in 元."""
    return write_xlsx(
        path,
        [["企业名称", "统一社会信用代码", heading], ["甲公司", CODE_A, revenue * 10000]],
    )


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("ZJTX_DATA_DIR", str(folder))
    return folder


def check(path, capsys, *extra):
    code = main(["check", str(path), "--year", "2026", "--json", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


@pytest.mark.parametrize("heading", ["销售额", "销售总额（元）"])
def test_saved_profile_reads_the_next_file_with_the_same_layout(
    tmp_path, capsys, data_dir, heading
):
    """--save-profile keeps the correction; another district's file with that header uses it."""
    first = roster(tmp_path / "鼓楼区.xlsx", heading=heading)
    _, payload, err = check(
        first, capsys, "--map", "C=营业收入@2025:元", "--save-profile", "福州区县名单"
    )
    assert payload["applicants"][0]["revenue_y1"] == 1200 and "已保存" in err
    second = roster(tmp_path / "台江区.xlsx", revenue=900, heading=heading)
    _, payload, _ = check(second, capsys)
    assert payload["applicants"][0]["revenue_y1"] == 900
    assert payload["readings"]["台江区.xlsx"]["profile"] == "福州区县名单"
    notes = [i for i in payload["issues"] if i["code"] == "profile-applied"]
    assert "按已保存的对应关系「福州区县名单」读取" in notes[0]["message"]
    other = write_xlsx(tmp_path / "别的.xlsx", [["企业名称", "统一社会信用代码", "产值"],
                                                ["乙公司", CODE_B, 5]])  # fmt: skip
    _, payload, _ = check(other, capsys)
    assert payload["readings"]["别的.xlsx"]["profile"] is None


def test_profile_commands_list_show_export_import_delete(tmp_path, capsys, data_dir):
    """Every profile sub-command works and names the profile; a missing one exits 2."""
    check(roster(tmp_path / "a.xlsx"), capsys, "--map", "C=营业收入@2025:元",
          "--save-profile", "区县")  # fmt: skip
    assert main(["profile", "list"]) == 0 and "区县" in capsys.readouterr().out
    assert main(["profile", "show", "区县"]) == 0
    assert json.loads(capsys.readouterr().out)["overrides"][0]["column"] == "C"
    out = tmp_path / "区县.json"
    assert main(["profile", "export", "区县", str(out)]) == 0 and out.is_file()
    assert main(["profile", "delete", "区县"]) == 0
    capsys.readouterr()
    assert main(["profile", "show", "区县"]) == 2
    assert main(["profile", "import", str(out)]) == 0
    assert (data_dir / "profiles" / "区县.json").is_file()
    assert not list((data_dir / "profiles").glob("*.part*"))
    bad = tmp_path / "bad.json"
    bad.write_text("{}", "utf-8")
    assert main(["profile", "import", str(bad)]) == 2
    assert "不是 zjtx 的对应关系文件" in capsys.readouterr().err


def test_save_profile_without_map_is_a_usage_error(tmp_path, capsys, data_dir):
    """--save-profile alone has nothing to save: exit 2 with why."""
    code = main(["check", str(roster(tmp_path / "a.xlsx")), "--save-profile", "x"])
    assert code == 2 and "--map" in capsys.readouterr().err


def test_saved_profile_names_the_evaluator_who_saved_it(tmp_path, capsys, data_dir, monkeypatch):
    """created_by is the evaluator (ZJTX_EVALUATOR or the identity), never the system account."""
    monkeypatch.setenv("ZJTX_EVALUATOR", "李评审")
    check(roster(tmp_path / "a.xlsx"), capsys, "--map", "C=营业收入@2025:元",
          "--save-profile", "区县")  # fmt: skip
    saved = json.loads((data_dir / "profiles" / "区县.json").read_text("utf-8"))
    assert saved["created_by"] == "李评审"
    monkeypatch.delenv("ZJTX_EVALUATOR")
    other = write_xlsx(tmp_path / "b.xlsx", [["企业名称", "统一社会信用代码", "产值"],
                                             ["乙公司", CODE_B, 5]])  # fmt: skip
    check(other, capsys, "--map", "C=营业收入@2025", "--save-profile", "另一种")
    saved = json.loads((data_dir / "profiles" / "另一种.json").read_text("utf-8"))
    assert saved["created_by"] == ""


def test_form_remapped_with_map_is_saved_and_reads_the_next_form(tmp_path, capsys, data_dir):
    """zjtx check 申报表 --map 销售额=营业收入@2025:元 --save-profile keeps the form's correction;
    another enterprise's form with the same labels is read with it."""

    def form(path, code, sales):
        return write_xlsx(
            path, [["企业名称", "某公司"], ["统一社会信用代码", code], ["销售额", sales]]
        )

    _, payload, err = check(
        form(tmp_path / "甲.xlsx", CODE_A, 12_000_000), capsys,
        "--map", "销售额=营业收入@2025:元", "--save-profile", "企业申报表",
    )  # fmt: skip
    assert payload["applicants"][0]["revenue_y1"] == 1200 and "已保存" in err
    _, payload, _ = check(form(tmp_path / "乙.xlsx", CODE_B, 9_000_000), capsys)
    assert payload["applicants"][0]["revenue_y1"] == 900
    assert payload["readings"]["乙.xlsx"]["profile"] == "企业申报表"
