"""`zjtx panel` on the sample applicants, on SQLite and PostgreSQL: roles, refusals, positions."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.store.conftest import database_url  # noqa: F401 - the SQLite / PostgreSQL fixture
from tests.store.helpers import write_lead_product_sample
from zjtx.cli import main
from zjtx.paths import resource_path

SAMPLES = resource_path("samples", "applicants.json")
USCC = json.loads(SAMPLES.read_text(encoding="utf-8"))[0]["uscc"]
ROUND = "小巨人2026"


@pytest.fixture(autouse=True)
def environment(database_url, tmp_path, monkeypatch, capsys):  # noqa: F811 - the fixture
    """A little-giant round of the samples with a 组长 and two experts, entered by 秘书."""
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_DATABASE_URL", database_url)
    monkeypatch.setenv("ZJTX_EVALUATOR", "秘书")
    assert main(["round", "create", ROUND, "--tier", "little-giant", "--date", "2026-06-01"]) == 0
    assert main(["round", "import", ROUND, str(SAMPLES)]) == 0
    for name, role in (("王组长", "组长"), ("专家甲", "评审专家"), ("专家乙", "评审专家")):
        assert (
            main(["panel", "add", ROUND, "--name", name, "--unit", "某单位", "--role", role]) == 0
        )
    capsys.readouterr()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def judge(capsys, member: str, met: str, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "panel", "judge", ROUND, USCC, "--member", member,
               "--criterion", "LG26-5", "--met", met, *extra)  # fmt: skip


def test_list_shows_members_chair_first(capsys):
    """`panel list --json` lists the members with role, unit and the aggregation rule."""
    code, out, _ = run(capsys, "panel", "list", ROUND, "--json")
    assert code == 0
    data = json.loads(out)
    assert [(m["name"], m["role_label"]) for m in data["members"]] == [
        ("王组长", "组长"), ("专家甲", "评审专家"), ("专家乙", "评审专家"),
    ]  # fmt: skip
    assert data["aggregation"] == "mean"


def test_positions_show_disagreement_and_the_chairs_decision(capsys):
    """Two experts who differ on LG26-5 show as 有分歧; the 组长 decides beside them."""
    assert judge(capsys, "专家甲", "yes")[0] == 0
    code, out, _ = judge(capsys, "专家乙", "no", "--note", "未见证明")
    assert (code, out.strip()) == (0, "已记录 专家乙 对 LG26-5 的判断；各专家：有分歧")
    assert (
        run(capsys, "panel", "opinion", ROUND, USCC, "--member", "专家甲", "--text", "同意")[0] == 0
    )
    code, _, err = run(capsys, "review", ROUND, USCC, "--decision", "reject", "--opinion",
                       "不予推荐", "--reason", "专家组意见", "--evaluator", "王组长")  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC, "--json")
    view = json.loads(out)
    item = next(c for c in view["criteria"] if c["criterion"] == "LG26-5")
    assert (item["agreement"], item["met"], item["unmet"], item["waiting"]) == ("disagree", 1, 1, 1)
    assert [p["label"] for p in item["positions"]] == ["未表态", "符合", "不符合"]
    assert view["opinions"] == {"专家甲": "同意"}
    assert (view["decision"], view["decided_by"]) == ("reject", "王组长")
    # The secretary (ZJTX_EVALUATOR) entered both experts' positions: shown as 代录.
    assert view["proxies"] == {"专家甲": ["秘书"], "专家乙": ["秘书"]}
    code, text, _ = run(capsys, "panel", "show", ROUND, USCC)
    assert "LG26-5" in text and "有分歧" in text and "最终决定：不推荐（王组长）" in text
    assert "专家甲 的判断或意见：由 秘书 代录" in text


def test_an_expert_is_refused_the_decision(capsys):
    """`zjtx review --decision` by a 评审专家 is refused with a Chinese message; nothing saved."""
    code, _, err = run(capsys, "review", ROUND, USCC, "--decision", "reject", "--opinion",
                       "不予推荐", "--reason", "x", "--evaluator", "专家甲")  # fmt: skip
    assert code != 0
    assert "最终决定只能由组长 王组长作出；专家甲 是评审专家，请在“专家组”中" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "review", ROUND, USCC, "--decision", "reject", "--opinion",
                       "不予推荐", "--reason", "x", "--evaluator", "路人")  # fmt: skip
    assert code != 0
    assert "；路人 不是专家组成员，可以查看但不能作出决定" in err


def test_refusals_exit_1_and_typing_mistakes_exit_2(capsys):
    """Panel rules refuse with status 1 (duplicate, 回避, non-member, member with records);
    a bad --met, an unknown criterion or points on an unscored item are status 2."""
    code, _, err = run(capsys, "panel", "add", ROUND, "--name", "专家甲", "--role", "评审专家")
    assert (code, err.strip()) == (1, f"zjtx: 错误：专家甲 已是批次 “{ROUND}” 的专家组成员")
    assert run(capsys, "panel", "recuse", ROUND, USCC, "--member", "专家乙",
               "--reason", "曾任该企业顾问")[0] == 0  # fmt: skip
    code, _, err = judge(capsys, "专家乙", "yes")
    assert code == 1 and "专家乙 已声明回避企业" in err and "曾任该企业顾问" in err
    code, _, err = judge(capsys, "路人", "yes")
    assert code == 1 and "路人 不是批次" in err
    assert judge(capsys, "专家甲", "yes")[0] == 0
    code, _, err = run(capsys, "panel", "remove", ROUND, "--name", "专家甲")
    assert code == 1 and "不能移除该成员" in err
    assert judge(capsys, "专家甲", "maybe")[0] == 2
    assert judge(capsys, "专家甲", "yes", "--points", "5")[0] == 2
    code, _, err = run(capsys, "panel", "judge", ROUND, USCC, "--member", "专家甲",
                       "--criterion", "LG26-X", "--met", "yes")  # fmt: skip
    assert code == 2 and "可判断的条目" in err
    code, out, _ = run(capsys, "round", "history", ROUND, USCC)
    assert "专家 专家乙 声明回避（理由：曾任该企业顾问）" in out


def test_points_above_what_the_data_allows_are_refused_and_the_range_shown(tmp_path, capsys):
    """In a 创新型 round, IN22-S1 of a 主导产品 at 40 % of revenue: `panel judge` without points
    asks for them within the range the data allows, refuses the item's maximum, and `panel
    show` says the range beside the aggregate."""
    path = tmp_path / "lead.json"
    write_lead_product_sample(path)
    assert (
        main(["round", "create", "创新", "--tier", "innovative-sme", "--date", "2025-06-01"]) == 0
    )
    assert main(["round", "import", "创新", str(path)]) == 0
    assert main(["panel", "add", "创新", "--name", "专家甲", "--role", "评审专家"]) == 0
    capsys.readouterr()
    judge = ("panel", "judge", "创新", USCC, "--member", "专家甲", "--criterion", "IN22-S1",
             "--met", "yes")  # fmt: skip
    code, _, err = run(capsys, *judge)
    assert code == 2 and "请用 --points 给出本人评分（0～15 分）" in err
    code, _, err = run(capsys, *judge, "--points", "20")
    assert code == 2 and "按该企业的申报数据最高可得 15 分（满分 20 分），收到 20 分" in err
    assert run(capsys, *judge, "--points", "12")[0] == 0
    computed = ("panel", "judge", "创新", USCC, "--member", "专家甲", "--criterion", "IN22-S2",
                "--met", "yes")  # fmt: skip
    code, _, err = run(capsys, *computed)
    assert code != 0 and "IN22-S2 上年度研发费用总额占营业收入总额比重由申报数据计算得出" in err
    assert "不需专家判断；可判断的条目：IN22-0、IN22-S1、IN22-D3" in err
    code, out, _ = run(capsys, "panel", "show", "创新", USCC)
    assert code == 0
    assert "汇总评分：12.00（算术平均，1 人）（按申报数据可评 0–15 分，满分 20 分）" in out


def test_a_late_recusal_and_a_recusal_in_error_are_the_chairs(capsys):
    """`panel recuse` after judging says how to proceed; `--withdraw-judgements` is the
    组长's and withdraws the judgement; `panel unrecuse` (the 组长's) lets the expert judge
    again; both are in the round's history."""
    assert judge(capsys, "专家甲", "yes")[0] == 0
    code, _, err = run(capsys, "panel", "recuse", ROUND, USCC, "--member", "专家甲",
                       "--reason", "其亲属在该企业任职")  # fmt: skip
    assert code == 1 and "--withdraw-judgements" in err
    code, _, err = run(capsys, "panel", "recuse", ROUND, USCC, "--member", "专家甲",
                       "--reason", "其亲属在该企业任职", "--withdraw-judgements")  # fmt: skip
    assert code == 1 and "只有组长 王组长 可以确认评审后的回避（当前评审人：秘书）" in err
    code, out, _ = run(capsys, "panel", "recuse", ROUND, USCC, "--member", "专家甲",
                       "--reason", "其亲属在该企业任职", "--withdraw-judgements",
                       "--evaluator", "王组长")  # fmt: skip
    assert code == 0 and out.strip() == "已记录 专家甲 回避，并撤回其在专家组中对该企业的判断和意见"
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC, "--json")
    assert json.loads(out)["recusals"] == {"专家甲": "其亲属在该企业任职"}
    late = json.loads(out)["late_recusals"]["专家甲"]
    assert (late["presider"], late["withdrawn"], late["opinion_withdrawn"]) == (
        "王组长", ["LG26-5"], False)  # fmt: skip
    day = datetime.fromisoformat(late["at"]).astimezone().strftime("%Y-%m-%d")
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC)
    # The page says the 回避 came after judging, who confirmed it when, and what it withdrew.
    assert (f"专家甲 评审后回避（组长 王组长 于 {day} 确认），其判断（LG26-5）已撤回；"
            "理由：其亲属在该企业任职") in out  # fmt: skip
    # LG26-5 is now held by nobody, and this applicant's data decided it: no member lines.
    lines = out.splitlines()
    assert "LG26-5 主导产品细分市场占有率或排名：无需判断（由申报数据得出：不符合）" in lines
    after = lines[
        lines.index("LG26-5 主导产品细分市场占有率或排名：无需判断（由申报数据得出：不符合）") + 1
    ]
    assert not after.startswith("  ")
    code, out, _ = run(capsys, "panel", "unrecuse", ROUND, USCC, "--member", "专家甲",
                       "--reason", "亲属已于去年离职，经核实无利害关系", "--evaluator",
                       "王组长")  # fmt: skip
    assert code == 0 and "已撤销 专家甲 的回避" in out
    assert judge(capsys, "专家甲", "no")[0] == 0
    code, out, _ = run(capsys, "round", "history", ROUND, USCC)
    assert "组长 王组长 确认专家 专家甲 回避（理由：其亲属在该企业任职），撤回其判断" in out
    assert "组长 王组长 撤销专家 专家甲 的回避（理由：亲属已于去年离职，经核实无利害关系）" in out


def test_the_trimmed_rule_on_a_small_panel_says_it_averages(capsys):
    """`panel rule trimmed` with three members says scores are averaged until five score."""
    code, out, _ = run(capsys, "panel", "rule", ROUND, "trimmed")
    assert code == 0 and "去掉一个最高分和一个最低分后平均" in out
    assert out.strip().endswith("本专家组现有 3 名成员，评分不足 5 人的条目按算术平均")
    code, out, _ = run(capsys, "panel", "rule", ROUND, "trimmed", "--json")
    assert json.loads(out)["note"].startswith("注意：去掉一个最高分和一个最低分须有 5 名")


def test_panel_takes_the_words_review_takes(capsys):
    """`panel judge --met met` and `panel opinion --opinion` read as `zjtx review` spells them."""
    assert judge(capsys, "专家甲", "met")[0] == 0
    assert judge(capsys, "专家乙", "不符合")[0] == 0
    code, _, _ = run(capsys, "panel", "opinion", ROUND, USCC, "--member", "专家甲",
                     "--opinion", "同意推荐")  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC, "--json")
    view = json.loads(out)
    assert view["opinions"] == {"专家甲": "同意推荐"}
    lg = next(c for c in view["criteria"] if c["criterion"] == "LG26-5")
    assert [(p["member"], p["met"]) for p in lg["positions"] if p["met"] is not None] == [
        ("专家甲", True), ("专家乙", False)
    ]  # fmt: skip


def test_a_deputy_decides_where_the_chair_recused(capsys):
    """`panel add --role deputy` adds a 副组长; where the 组长 declared 回避, `panel show` says
    the 副组长 decides, the 组长's decision is refused naming them, and theirs is taken."""
    assert run(capsys, "panel", "recuse", ROUND, USCC, "--member", "王组长",
               "--reason", "曾任该企业独立董事")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC)
    assert (
        "最终决定：尚未决定，暂无人可以作出：组长 王组长 已回避该企业，专家组没有副组长可以代行，"
        "须先添加一名" in out
    )
    code, out, _ = run(capsys, "panel", "add", ROUND, "--name", "李副组长", "--role", "deputy")
    assert (code, out.strip()) == (0, "已添加副组长 李副组长")
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC, "--json")
    assert json.loads(out)["presiding"] == "李副组长"
    code, _, err = run(capsys, "review", ROUND, USCC, "--decision", "reject", "--opinion",
                       "不予推荐", "--reason", "x", "--evaluator", "王组长")  # fmt: skip
    assert code == 2 and "不能对其作出最终决定；由副组长 李副组长代行" in err
    code, _, err = run(capsys, "review", ROUND, USCC, "--decision", "reject", "--opinion",
                       "不予推荐", "--reason", "专家组意见", "--evaluator", "李副组长")  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "panel", "show", ROUND, USCC)
    assert "最终决定：不推荐（李副组长）" in out


def test_review_shown_alone_gives_the_panel_s_positions_beside_the_criteria(capsys):
    """`zjtx review 批次 代码` in a round with a panel shows each member's position and opinion
    under the criteria, so the 组长 deciding at the command line sees the dissent."""
    assert judge(capsys, "专家乙", "no", "--note", "未见证明")[0] == 0
    assert run(capsys, "panel", "opinion", ROUND, USCC, "--member", "专家乙",
               "--text", "反对推荐")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "review", ROUND, USCC)
    assert code == 0
    panel = out[out.index("专家组：") :]
    assert "  LG26-5" in panel and "    专家乙：不符合  未见证明" in panel
    assert "  意见：专家乙：反对推荐" in panel and "最终决定" not in panel
