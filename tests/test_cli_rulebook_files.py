"""`zjtx rulebook check` and `zjtx rulebook install`, and where `zjtx rulebooks` says files come from."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from zjtx.cli import main
from zjtx.paths import resource_path
from zjtx.scoring.rulebook import load_rulebook, select_rulebook_id
from zjtx.scoring.selection import forget_selection

SHIPPED = sorted(
    [*resource_path("rulebooks").glob("*.yaml"), *resource_path("overlays").glob("*.yaml"),
     *resource_path("notices").glob("*.yaml")]
)  # fmt: skip


@pytest.fixture(autouse=True)
def forget_installed_files():
    """Selections made while a test's data folder held installed files are not kept for the
    next test, whose data folder is empty."""
    yield
    forget_selection()


def _edited(tmp_path: Path, source: Path, name: str, edit) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    target = tmp_path / name
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_every_shipped_file_passes_the_check(capsys):
    """All bundled rulebooks, overlays and notices pass, each with a one-line Chinese summary."""
    assert main(["rulebook", "check", *map(str, SHIPPED)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(SHIPPED)
    assert all(line.startswith("✓ ") and "有效" in line for line in out)


def test_check_lists_every_problem_and_exits_2(tmp_path, capsys):
    """A file with three problems in different places lists all three, each with file, rule,
    place and the right name; the exit status is 2."""

    def edit(data):
        by_id = {c["id"]: c for c in data["criteria"]}
        data["groups"][0]["minimun"] = 1
        by_id["SR22-B1"]["require"] = {
            "cases": [
                {"when": {"q": "niche_years", "ge": 5}, "then": {"q": "niche_years", "ge": 2}}
            ],
            "otherwize": {"q": "niche_years", "ge": 3},
        }
        by_id["SR22-S1"]["score"] = {"first": {"cases": "x"}}

    path = _edited(tmp_path, resource_path("rulebooks", "srdi-sme-2022.yaml"), "mine.yaml", edit)
    assert main(["rulebook", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "评价标准有 3 处问题" in err
    assert "“minimun”" in err and "“minimum”" in err
    assert "[SR22-B1] require: 未知属性 “otherwize”" in err and "“otherwise”" in err
    assert "[SR22-S1] score.first.cases: first 的 cases 须为至少 1 项的列表" in err
    assert "Traceback" not in err


def test_check_json_reports_problems_per_file(tmp_path, capsys):
    """--json gives each file's kind, validity and problems with rule, path and suggestion."""

    def edit(data):
        data["provinse"] = data.pop("province")

    bad = _edited(tmp_path, resource_path("overlays", "jiangsu-2022.yaml"), "js.yaml", edit)
    good = resource_path("overlays", "shandong-2022.yaml")
    assert main(["rulebook", "check", "--json", str(bad), str(good)]) == 2
    reports = json.loads(capsys.readouterr().out)
    assert [r["valid"] for r in reports] == [False, True]
    assert reports[0]["kind"] == "overlays"
    suggestions = {p["suggestion"] for p in reports[0]["problems"]}
    assert "province" in suggestions


def test_check_names_a_file_of_unknown_kind(tmp_path, capsys):
    """A YAML file that is neither a rulebook, an overlay nor a notice says so in Chinese."""
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nfoo: 1\n", encoding="utf-8")
    assert main(["rulebook", "check", str(path)]) == 2
    assert "无法判断文件类型" in capsys.readouterr().err


def _newer_overlay(tmp_path: Path) -> Path:
    def edit(data):
        data["version"] = "2022.9"
        data["title"] = "江苏省专精特新中小企业认定（安装的新版）"

    return _edited(tmp_path, resource_path("overlays", "jiangsu-2022.yaml"), "江苏新版.yaml", edit)


def test_install_newer_overlay_is_used_and_listed_as_installed(tmp_path, capsys):
    """An overlay with a newer version than the bundled one installs into the data folder,
    replaces it when loading, and `zjtx rulebooks` marks it 已安装 with its path."""
    data_dir = Path(os.environ["ZJTX_DATA_DIR"])
    assert main(["rulebook", "install", str(_newer_overlay(tmp_path))]) == 0
    target = data_dir / "overlays" / "jiangsu-2022.yaml"
    assert target.is_file() and "已安装" in capsys.readouterr().out
    book = load_rulebook("srdi-sme-2022", "jiangsu-2022")
    assert book.overlay is not None and book.overlay.title.endswith("（安装的新版）")
    assert main(["rulebooks", "--json"]) == 0
    overlays = {o["id"]: o for o in json.loads(capsys.readouterr().out)["overlays"]}
    assert overlays["jiangsu-2022"]["origin"] == "installed"
    assert overlays["jiangsu-2022"]["path"] == str(target)
    assert overlays["shandong-2022"]["origin"] == "bundled"
    assert main(["rulebooks"]) == 0
    out = capsys.readouterr().out
    assert "已安装（替代内置版本 2022.1）" in out and str(target) in out


def test_install_refuses_a_bundled_id_without_a_newer_version(tmp_path, capsys):
    """Installing a copy of a bundled file (same version) is an id clash: exit 2, nothing
    written, the bundled one still used."""
    data_dir = Path(os.environ["ZJTX_DATA_DIR"])
    assert main(["rulebook", "install", str(resource_path("overlays", "shandong-2022.yaml"))]) == 2
    assert "不高于内置版本" in capsys.readouterr().err
    assert not (data_dir / "overlays").exists() or not any((data_dir / "overlays").iterdir())


def test_install_refuses_an_invalid_file(tmp_path, capsys):
    """An invalid file is not installed; its problems are listed."""

    def edit(data):
        data["id"] = "hubei-2027"
        data["province"] = "湖北"
        data["set"] = {"pass_lin": 70}

    path = _edited(tmp_path, resource_path("overlays", "guangdong-2024.yaml"), "hb.yaml", edit)
    assert main(["rulebook", "install", str(path)]) == 2
    err = capsys.readouterr().err
    assert "“pass_lin”" in err and "未安装" in err
    assert not (Path(os.environ["ZJTX_DATA_DIR"]) / "overlays" / "hubei-2027.yaml").exists()


def test_installed_new_rulebook_loads_beside_the_bundled_ones(tmp_path, capsys):
    """A rulebook with a new id installs and is found by id and by round date, as 已安装."""

    def edit(data):
        data["id"] = "tech-sme-2027"
        data["version"] = "2027.1"
        data["title"] = "科技型中小企业评价标准（2027 版，测试）"
        data["applies"] = [{"from": "2010-01-01", "until": "2017-05-02"}]
        data["criteria"] = [
            {k: v for k, v in c.items() if k != "replaces"} for c in data["criteria"]
        ]

    source = resource_path("rulebooks", "tech-sme-2017.yaml")
    path = _edited(tmp_path, source, "科技型2027.yaml", edit)
    assert main(["rulebook", "install", str(path)]) == 0
    capsys.readouterr()
    assert load_rulebook("tech-sme-2027").title.endswith("测试）")
    from datetime import date

    assert select_rulebook_id("tech-sme", date(2016, 3, 1)) == "tech-sme-2027"
    assert main(["rulebooks"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("tech-sme-2027"))
    assert line.rstrip().endswith("已安装")


def _overlapping_tech_sme(tmp_path: Path) -> Path:
    """A valid tech-sme-2027 whose rounds (2027 on) overlap the bundled open-ended 2017 one."""

    def edit(data):
        data["id"] = "tech-sme-2027"
        data["version"] = "2027.1"
        data["applies"] = [{"from": "2027-01-01"}]
        data["criteria"] = [
            {k: v for k, v in c.items() if k != "replaces"} for c in data["criteria"]
        ]

    return _edited(tmp_path, resource_path("rulebooks", "tech-sme-2017.yaml"), "t.yaml", edit)


def test_install_refuses_a_rulebook_overlapping_another_of_its_tier(tmp_path, capsys):
    """A rulebook whose rounds overlap a bundled one of the same tier would make the choice by
    date ambiguous: it is refused, naming the other rulebook."""

    assert main(["rulebook", "install", str(_overlapping_tech_sme(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "tech-sme-2017" in err and "重叠" in err


@pytest.mark.parametrize("kind", ["rulebooks", "overlays"])
def test_installed_file_with_an_older_version_is_reported_unused(kind, capsys):
    """An installed file not newer than the bundled one (e.g. after an upgrade) is not used;
    `zjtx rulebooks` says so, naming the file."""
    name = {"rulebooks": "srdi-sme-2022.yaml", "overlays": "shandong-2022.yaml"}[kind]
    folder = Path(os.environ["ZJTX_DATA_DIR"]) / kind
    folder.mkdir(parents=True)
    (folder / name).write_bytes(resource_path(kind, name).read_bytes())
    assert main(["rulebooks"]) == 0
    out = capsys.readouterr().out
    assert f"{folder / name}" in out and "未使用" in out


def test_installed_notice_applies_to_the_rounds_it_covers(tmp_path, capsys):
    """A bureau installs next year's notice without a new release: it is listed as 已安装 and
    governs the rounds it covers (here: 190号's settings carried into a 2024 round)."""
    from datetime import date

    from zjtx.scoring.selection import effective_rulebook

    def edit(data):
        data["id"] = "little-giant-2024-test"
        data["title"] = "2024 年小巨人通知（安装测试）"
        data["covers"][0]["from"] = "2024-01-01"
        data["covers"][0]["until"] = "2024-12-31"

    source = resource_path("notices", "little-giant-2025-190.yaml")
    before = effective_rulebook("little-giant-2022", date(2024, 6, 1), "renewal", None)
    assert not before.notices
    assert main(["rulebook", "install", str(_edited(tmp_path, source, "通知.yaml", edit))]) == 0
    capsys.readouterr()
    book = effective_rulebook("little-giant-2022", date(2024, 6, 1), "renewal", None)
    assert [n.notice.id for n in book.notices] == ["little-giant-2024-test"]
    assert main(["rulebooks", "--json"]) == 0
    notices = {n["id"]: n for n in json.loads(capsys.readouterr().out)["notices"]}
    assert notices["little-giant-2024-test"]["origin"] == "installed"
    assert notices["little-giant-2025-190"]["origin"] == "bundled"


def test_a_bundled_notice_is_corrected_by_a_newer_version(tmp_path, capsys):
    """A notice may carry a version: a copy of a bundled one is refused, saying to raise it,
    and the copy with a version raised installs (the advice can be followed)."""
    source = resource_path("notices", "little-giant-2026-117.yaml")
    assert main(["rulebook", "install", str(source)]) == 2
    assert "请提高 version" in capsys.readouterr().err

    def edit(data):
        data["version"] = "2026.2"

    corrected = _edited(tmp_path, source, "little-giant-2026-117.yaml", edit)
    assert main(["rulebook", "install", str(corrected)]) == 0
    assert "已安装年度通知 little-giant-2026-117" in capsys.readouterr().out


def test_check_says_when_a_valid_file_would_not_install(tmp_path, capsys):
    """A valid rulebook whose rounds overlap another's passes the check of its contents, and
    the check says that installing it would be refused, and why."""

    assert main(["rulebook", "check", str(_overlapping_tech_sme(tmp_path))]) == 0
    captured = capsys.readouterr()
    assert "有效" in captured.out
    assert "注意：安装时将被拒绝" in captured.err and "tech-sme-2017" in captured.err
    assert "请先安装 tech-sme-2017 的新版本，在其 applies 中写明 until" in captured.err


def test_install_names_the_open_rounds_a_file_leaves_without_a_standard(
    tmp_path, capsys, monkeypatch
):
    """A corrected little-giant-2026 that ends on 2026-05-31 leaves a 2026-06-01 round's new
    applications without a standard: the install says so, naming the round and what to do;
    a round it still covers is not named."""
    from tests.store.helpers import write_little_giant_ending_before_june

    monkeypatch.setenv("ZJTX_EVALUATOR", "王晓明")
    for name, day in (("六月", "2026-06-01"), ("五月", "2026-05-01")):
        assert main(["round", "create", name, "--tier", "little-giant", "--date", day]) == 0
    ended = write_little_giant_ending_before_june(tmp_path / "lg.yaml")
    capsys.readouterr()
    assert main(["rulebook", "install", str(ended)]) == 0
    err = capsys.readouterr().err
    assert (
        "注意：安装后以下进行中的批次没有适用的评价标准，无法重新评价或导出："
        "六月（2026-06-01，新申报）；请再安装适用于这些日期的标准"
    ) in err, err
    assert "五月" not in err


def test_uninstall_removes_an_installed_file_keeping_a_copy(tmp_path, capsys, monkeypatch):
    """`zjtx rulebook uninstall ID` takes an installed file out of use (a bundled file of that
    id is used again), keeps a copy under removed/ and says where; an id that is not installed
    is refused with the installed ids; an overlay an open round uses is refused, naming it."""
    monkeypatch.setenv("ZJTX_EVALUATOR", "王晓明")
    data_dir = Path(os.environ["ZJTX_DATA_DIR"])

    def newer(data):
        data["version"] = "2022.2"

    overlay = _edited(tmp_path, resource_path("overlays", "shandong-2022.yaml"),
                      "shandong-2022.yaml", newer)  # fmt: skip
    assert main(["rulebook", "install", str(overlay)]) == 0
    assert main(["round", "create", "山东", "--tier", "srdi-sme", "--date", "2024-06-01",
                 "--overlay", "shandong-2022"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["rulebook", "uninstall", "shandong-2022"]) == 0  # the bundled one stays
    out = capsys.readouterr().out
    assert "已卸载省级规则 shandong-2022" in out and "改用内置版本 2022.1" in out, out
    assert not (data_dir / "overlays" / "shandong-2022.yaml").exists()
    assert list((data_dir / "overlays" / "removed").glob("shandong-2022*.yaml"))

    def own(data):
        data["id"] = "fujian-2024"
        data["province"] = "福建"

    fujian = _edited(tmp_path, resource_path("overlays", "shandong-2022.yaml"), "f.yaml", own)
    assert main(["rulebook", "install", str(fujian)]) == 0
    assert main(["round", "create", "福建", "--tier", "srdi-sme", "--date", "2024-06-01",
                 "--overlay", "fujian-2024"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["rulebook", "uninstall", "fujian-2024"]) == 2
    err = capsys.readouterr().err
    assert "批次 福建 使用 fujian-2024，不能卸载" in err, err
    assert main(["round", "archive", "福建"]) == 0  # archived, it is still exported
    capsys.readouterr()
    assert main(["rulebook", "uninstall", "fujian-2024"]) == 2
    assert "批次 福建（已归档） 使用 fujian-2024" in capsys.readouterr().err
    assert (data_dir / "overlays" / "fujian-2024.yaml").exists()
    assert main(["rulebook", "uninstall", "fujian-2042"]) == 2
    assert "没有已安装的 “fujian-2042”" in capsys.readouterr().err


def test_rulebook_show_of_an_overlay_id_says_how_to_show_it(capsys):
    """`zjtx rulebook show shandong-2022` (an overlay's id) says it is a provincial rule and
    gives the command that shows it merged into its base; an unknown id lists the ids with
    punctuation between the sentences."""
    assert main(["rulebook", "show", "shandong-2022"]) == 2
    err = capsys.readouterr().err
    assert (
        "shandong-2022 是省级规则：请用 zjtx rulebook show srdi-sme-2022 --overlay shandong-2022 "
        "查看" in err
    ), err
    assert main(["rulebook", "show", "srdi-sme-2O22"]) == 2
    assert "？可用：" in capsys.readouterr().err
    assert main(["rulebook", "show", "xyz"]) == 2
    assert "未知的评价标准“xyz”。可用：" in capsys.readouterr().err


def test_uninstall_takes_ids_not_paths(tmp_path, capsys):
    """An id that is a path (../x) never reaches a file outside the installed folders, and a
    10,000-character one is quoted cut short."""
    outside = Path(os.environ["ZJTX_DATA_DIR"]) / "x.yaml"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("id: x\n", "utf-8")
    assert main(["rulebook", "uninstall", "../x"]) == 2
    assert outside.exists()
    assert main(["rulebook", "uninstall", "批" * 10_000]) == 2
    assert "…（共 10000 个字符）" in capsys.readouterr().err
