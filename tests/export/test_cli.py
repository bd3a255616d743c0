"""`zjtx report`, `summary`, `publicity` and `results` on real applicant JSON, read back."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.export.pdf_helpers import flat_text, font_report, outline_titles
from zjtx.cli import UsageError, main

DATA = Path(__file__).parent / "data" / "applicants.json"
SELECT = ["--tier", "srdi-sme", "--date", "2025-05-01", "--made-at", "2025-05-20 09:30"]
NAMES = [
    "福州闽精密机械有限公司",
    "青岛海拓智能装备有限公司",
    "西安秦岭航空零部件有限公司",
    "天津滨海化工助剂有限公司",
]


def test_report_writes_one_pdf_per_applicant_and_a_combined_pdf(tmp_path, capsys):
    """Each applicant gets a named PDF with its own figures; the combined PDF bookmarks them."""
    out = tmp_path / "reports"
    assert main(["report", str(DATA), *SELECT, "--out", str(out), "--combined"]) == 0
    printed = capsys.readouterr().out
    assert "已生成 4 份评审意见表" in printed and "汇编" in printed
    files = sorted(out.glob("91*.pdf"))
    assert len(files) == 4
    first = out / "91350100MA7E04591R_福州闽精密机械有限公司.pdf"
    text = flat_text(first)
    for expected in (
        "专精特新中小企业评审意见表",
        "福州闽精密机械有限公司",
        "91350100MA7E04591R",
        "福建省福州市鼓楼区",
        "8,600",
        "工信部企业〔2022〕63号",
        "71/100",
        "符合条件",
        "生成时间2025-05-2009:30",
    ):
        assert expected in text, expected
    assert all(font_report(first).values())
    titles = [t for t, _ in outline_titles(out / "评审意见表汇编.pdf")]
    assert sorted(t.split("（")[0] for t in titles) == sorted(NAMES)
    # same inputs and made-at: the same bytes
    again = tmp_path / "again"
    assert main(["report", str(DATA), *SELECT, "--out", str(again), "--workers", "1"]) == 0
    assert (again / first.name).read_bytes() == first.read_bytes()


def test_summary_pdf_and_excel(tmp_path, capsys):
    """推荐汇总表 as landscape PDF with a statistics page, and as a workbook."""
    pdf = tmp_path / "汇总.pdf"
    assert main(["summary", str(DATA), *SELECT, "--out", str(pdf)]) == 0
    reader = PdfReader(pdf)
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = flat_text(pdf)
    assert all(name in text for name in NAMES)
    assert "统计" in text and "得分分布" in text
    xlsx = tmp_path / "汇总.xlsx"
    assert main(["summary", str(DATA), *SELECT, "--out", str(xlsx)]) == 0
    sheet = load_workbook(xlsx)["推荐汇总表"]
    assert sheet["A1"].value == "排名" and sheet.auto_filter.ref == "A1:L5"
    # Without a provincial rule the 特色化 points are open (0–15): no score is fixed.
    assert sheet["A7"].value.startswith(
        "排名：评价结论为“符合条件”的 2 家企业得分均未定（得分为区间），均不排名"
    )
    assert (sheet["G2"].value, sheet["H2"].value, sheet["I2"].value) == (None, 71, 86)
    assert sheet["J2"].value == "符合条件"


def test_publicity_lists_only_qualified_without_scores(tmp_path):
    """公示名单: the two qualified applicants, no scores, in PDF and Excel."""
    xlsx = tmp_path / "公示.xlsx"
    assert main(["publicity", str(DATA), *SELECT, "--out", str(xlsx)]) == 0
    sheet = load_workbook(xlsx)["公示名单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["序号", "企业名称", "所在地区", "认定类别"]
    assert sorted(r[1] for r in rows[1:]) == sorted(NAMES[:2])
    pdf = tmp_path / "公示.pdf"
    assert main(["publicity", str(DATA), *SELECT, "--out", str(pdf)]) == 0
    text = flat_text(pdf)
    assert NAMES[0] in text and NAMES[2] not in text and "71" not in text


def test_results_workbook(tmp_path):
    """评价结果: one row per applicant and a state/points column pair per criterion."""
    xlsx = tmp_path / "结果.xlsx"
    assert main(["results", str(DATA), *SELECT, "--out", str(xlsx)]) == 0
    sheet = load_workbook(xlsx)["评价结果"]
    headers = [c.value for c in sheet[1]]
    assert sheet.max_row == 5
    assert any(h.endswith("｜结论") for h in headers) and any(h.endswith("｜得分") for h in headers)
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", str(DATA), *SELECT, "--out", "x.doc"], "扩展名应为 .pdf 或 .xlsx"),
        (["report", str(DATA), "--tier", "srdi", "--out", "d"], "层级"),
        (["report", "nope.json", *SELECT, "--out", "d"], "找不到输入文件"),
        (["report", str(DATA), *SELECT, "--out", "d", "--no-single"], "--no-single"),
        (
            ["summary", str(DATA), "--tier", "srdi-sme", "--made-at", "昨天", "--out", "a.pdf"],
            "生成时间",
        ),
    ],
)
def test_bad_arguments_fail_with_a_chinese_message(tmp_path, monkeypatch, capsys, argv, message):
    """Wrong extension, tier, input or options: exit status 2 and a message naming the problem."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_report_from_a_stored_round_prints_the_review(tmp_path, monkeypatch, capsys):
    """A round name instead of files: decision, opinion, confirmation and warnings are printed."""
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_EVALUATOR", "王晓明")
    uscc = "91350100MA7E04591R"
    steps = [
        ["round", "create", "五月批次", "--tier", "srdi-sme", "--date", "2025-05-01"],
        ["round", "import", "五月批次", str(DATA)],
        ["review", "五月批次", uscc, "--confirm", "SR22-S4=met", "--reason", "属工业六基领域"],
        [
            "review",
            "五月批次",
            uscc,
            "--ack-warning",
            "uscc-org-code",
            "--reason",
            "已核对营业执照",
            "--decision",
            "recommend",
            "--opinion",
            "同意推荐该企业。",
        ],
    ]
    for argv in steps:
        assert main(argv) == 0, argv
    out = tmp_path / "reports"
    assert main(["report", "五月批次", "--out", str(out), "--made-at", "2025-05-21 10:00"]) == 0
    text = flat_text(out / f"{uscc}_福州闽精密机械有限公司.pdf")
    for expected in (
        "推荐",
        "同意推荐该企业。",
        "属工业六基领域",
        "已核对营业执照",
        "王晓明",
        "组织机构代码校验位",
    ):
        assert expected in text, expected
    other = flat_text(out / "91370200MAER09182E_青岛海拓智能装备有限公司.pdf")
    assert "（未填写）" in other
    publicity = tmp_path / "公示.xlsx"
    assert main(["publicity", "五月批次", "--out", str(publicity)]) == 0
    rows = list(load_workbook(publicity)["公示名单"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["福州闽精密机械有限公司"]  # only the recommended one
    capsys.readouterr()
    assert main(["report", "五月批次", "--tier", "srdi-sme", "--out", str(out)]) == 2
    assert main(["summary", "没有这个批次", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "既不是文件或文件夹，也不是已有的批次" in capsys.readouterr().err


def test_an_empty_publicity_list_is_a_warning_naming_the_reason(tmp_path, monkeypatch, capsys):
    """No 推荐 decision yet: a warning on stderr says why; the file is written and says so."""
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    assert main(["round", "create", "五月批次", "--tier", "srdi-sme", "--date", "2025-05-01"]) == 0
    assert main(["round", "import", "五月批次", str(DATA)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    capsys.readouterr()
    reason = "本批次 4 家中没有作出“推荐”决定的企业（符合条件 2 家待决定，"
    assert main(["publicity", "五月批次", "--out", str(out / "公示.pdf")]) == 0
    printed = capsys.readouterr()
    assert f"zjtx: 警告：公示名单为空：{reason}" in printed.err
    assert "0 家" in printed.out
    text = flat_text(out / "公示.pdf")
    assert "本批次无公示企业" in text and "".join(reason.split()) in text
    assert main(["publicity", "五月批次", "--out", str(out / "公示.xlsx")]) == 0
    assert "zjtx: 警告：公示名单为空：" in capsys.readouterr().err
    rows = list(load_workbook(out / "公示.xlsx")["公示名单"].iter_rows(values_only=True))
    assert rows[0] == ("序号", "企业名称", "所在地区", "认定类别")
    assert rows[1][0].startswith(f"本批次无公示企业：{reason}")
    assert sorted(p.name for p in out.iterdir()) == ["公示.pdf", "公示.xlsx"]  # no temporaries


def test_a_publicity_list_with_rows_prints_no_warning(tmp_path, capsys):
    """Two qualified applicants (JSON input, no review data): no warning at all."""
    assert main(["publicity", str(DATA), *SELECT, "--out", str(tmp_path / "公示.pdf")]) == 0
    assert "警告" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("summary", "汇总.pdf"),
        ("summary", "汇总.xlsx"),
        ("publicity", "公示.pdf"),
        ("results", "结果.xlsx"),
    ],
)
def test_table_outputs_create_a_missing_folder_as_report_does(tmp_path, command, name):
    """`--out 新文件夹/表.pdf` creates the folder, as `zjtx report --out 新文件夹` does."""
    out = tmp_path / "第一批" / "汇总" / name
    assert main([command, str(DATA), *SELECT, "--out", str(out)]) == 0
    assert out.is_file() and out.stat().st_size > 0
    assert list(out.parent.iterdir()) == [out]


def test_statistics_page_is_never_a_title_alone(tmp_path):
    """The 30 sample applicants (20 cities, 16 industries): the 统计 page starts with its counts
    and its long region and industry tables run on to the next page with their header."""
    from zjtx.paths import resource_path

    pdf = tmp_path / "汇总.pdf"
    sample = str(resource_path("samples", "applicants.json"))
    assert main(["summary", sample, "--tier", "little-giant", "--date", "2025-06-01",
                 "--out", str(pdf)]) == 0  # fmt: skip
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    first = next(i for i, text in enumerate(pages) if text.startswith("统计\n"))
    assert "评价结论\n家数" in pages[first] and "地区\n家数" in pages[first]
    assert all(
        label in "".join(pages[first:]) for label in ("评审决定", "行业（国民经济行业大类）")
    )


def _stored_round(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    assert main(["round", "create", "五月批次", "--tier", "srdi-sme", "--date", "2025-05-01"]) == 0
    assert main(["round", "import", "五月批次", str(DATA)]) == 0


def test_report_of_chosen_applicants_of_a_round(tmp_path, monkeypatch, capsys):
    """--uscc picks applicants of a round by code (any case) or full name: only theirs."""
    _stored_round(tmp_path, monkeypatch)
    out = tmp_path / "reports"
    argv = ["report", "五月批次", "--out", str(out), "--uscc", "91350100ma7e04591r"]
    assert main([*argv, "天津滨海化工助剂有限公司"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "91120000MANB55092L_天津滨海化工助剂有限公司.pdf",
        "91350100MA7E04591R_福州闽精密机械有限公司.pdf",
    ]
    assert "已生成 2 份评审意见表" in capsys.readouterr().out


def test_long_outputs_say_what_they_are_doing_in_a_terminal(tmp_path, monkeypatch, capsys):
    """In a terminal, reading the round counts its applicants and each output says it is
    being written (a 9,000-applicant round was silent for minutes); piped, nothing extra."""
    import sys

    _stored_round(tmp_path, monkeypatch)
    count = len(json.loads(DATA.read_text(encoding="utf-8")))
    capsys.readouterr()
    main(["summary", "五月批次", "--out", str(tmp_path / "汇总.pdf")])
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["summary", "五月批次", "--out", str(tmp_path / "汇总.pdf")]) == 0
    err = capsys.readouterr().err
    assert f"正在读取并核对企业 {count}/{count}" in err
    assert f"正在写入推荐汇总表 {tmp_path / '汇总.pdf'}（{count} 家）……" in err
    assert main(["report", "五月批次", "--out", str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err
    assert (
        f"正在排版 {count} 份评审意见表……" in err and f"正在生成评审意见表 {count}/{count}" in err
    )
    main(["round", "create", "六月批次", "--tier", "srdi-sme", "--date", "2025-06-01"])
    capsys.readouterr()
    main(["round", "import", "六月批次", str(DATA)])
    err = capsys.readouterr().err
    assert f"正在保存 applicants.json {count}/{count}" in err


def test_report_of_scored_files_can_choose_applicants_too(tmp_path, capsys):
    """--uscc with files and a tier prints only the named applicants."""
    out = tmp_path / "reports"
    argv = [
        "report",
        str(DATA),
        *SELECT,
        "--out",
        str(out),
        "--uscc",
        "青岛海拓智能装备有限公司",
    ]
    assert main(argv) == 0
    assert [p.name for p in out.iterdir()] == ["91370200MAER09182E_青岛海拓智能装备有限公司.pdf"]


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (
            "福州闽精密机械公司",
            "批次 “五月批次” 中没有“福州闽精密机械公司”，未生成任何文件；"
            "您是不是要写 福州闽精密机械有限公司",
        ),
        (
            "91350100MA7E04591X",
            "没有统一社会信用代码为 91350100MA7E04591X 的企业，未生成任何文件；"
            "您是不是要写 91350100MA7E04591R",
        ),
        ("  ", "--uscc 不能为空"),
        (
            "精密",
            "批次 “五月批次” 中没有“精密”，未生成任何文件；名称含“精密”的有 1 家："
            "福州闽精密机械有限公司（请写全称或代码）",
        ),
    ],
    ids=["name", "code", "blank", "part-of-a-name"],
)
def test_an_unknown_applicant_is_named_with_the_closest(
    tmp_path, monkeypatch, capsys, chosen, message
):
    """A code or name not in the round: exit 2, the round, the name and the closest one."""
    _stored_round(tmp_path, monkeypatch)
    capsys.readouterr()
    out = tmp_path / "reports"
    assert main(["report", "五月批次", "--out", str(out), "--uscc", chosen]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_a_code_after_a_round_name_points_at_applicant(tmp_path, monkeypatch, capsys):
    """`zjtx report ROUND CODE` (a code where files go) says to use --uscc."""
    _stored_round(tmp_path, monkeypatch)
    capsys.readouterr()
    argv = ["report", "五月批次", "91350100MA7E04591R", "--out", str(tmp_path / "r")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "“91350100MA7E04591R” 不是文件或文件夹" in err and "--uscc" in err


def test_a_name_two_applicants_share_asks_for_the_code(tmp_path, capsys):
    """Two applicants of one name in the input: exit 2 naming both codes, nothing written."""
    import json

    records = json.loads(DATA.read_text(encoding="utf-8"))
    twin = dict(records[1], name=records[0]["name"])
    path = tmp_path / "twins.json"
    path.write_text(json.dumps([records[0], twin], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["report", str(path), *SELECT, "--out", str(out), "--uscc", NAMES[0]]) == 2
    err = capsys.readouterr().err
    assert f"输入中有 2 家企业名为“{NAMES[0]}”" in err
    assert records[0]["uscc"] in err and records[1]["uscc"] in err and "请写统一社会信用代码" in err
    assert not out.exists()


def _write_records(tmp_path, records) -> Path:
    import json

    path = tmp_path / "chosen.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _written(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def test_a_name_picks_only_its_applicant_among_those_without_a_code(tmp_path):
    """Two applicants without a code: naming one prints that one, not every codeless one."""
    import json

    records = json.loads(DATA.read_text(encoding="utf-8"))
    first = {k: v for k, v in records[0].items() if k != "uscc"}
    second = {k: v for k, v in records[1].items() if k != "uscc"}
    path = _write_records(tmp_path, [first, second])
    out = tmp_path / "reports"
    assert main(["report", str(path), *SELECT, "--out", str(out), "--uscc", NAMES[1]]) == 0
    assert _written(out) == [f"无统一社会信用代码_{NAMES[1]}.pdf"]


def test_one_code_in_two_spellings_or_one_company_twice_prints_every_entry(tmp_path):
    """A code written in upper and lower case by two entries, or one company entered twice:
    the code (or the name of a company entered twice) prints each entry; no ambiguity."""
    import json

    records = json.loads(DATA.read_text(encoding="utf-8"))
    lower = dict(records[1], uscc=records[0]["uscc"].lower())
    path = _write_records(tmp_path, [records[0], lower, records[2], dict(records[2])])
    out = tmp_path / "by-code"
    argv = ["report", str(path), *SELECT, "--uscc", records[0]["uscc"]]
    assert main([*argv, "--out", str(out)]) == 0
    assert len(_written(out)) == 2
    out = tmp_path / "by-name"
    argv = ["report", str(path), *SELECT, "--uscc", NAMES[2], "--out", str(out)]
    assert main(argv) == 0
    assert len(_written(out)) == 2


def test_a_misspelt_file_beside_a_real_one_asks_for_the_standard(tmp_path, capsys):
    """Files without --tier, one misspelt: the message asks for --tier, not for --uscc."""
    argv = ["report", str(DATA), str(tmp_path / "applicnts2.json"), "--out", str(tmp_path / "r")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "请用 --rulebook 或 --tier 指定评价标准" in err and "--uscc" not in err


def test_report_and_print_warn_of_a_decision_that_needs_a_second_look(
    tmp_path, monkeypatch, capsys, qapp
):
    """A 推荐 overtaken by a later 改判: `report` and `print` warn on stderr naming it and why,
    and the 评审意见表 prints why under the decision. (``qapp``: print reuses pytest-qt's
    QApplication; one of its own would be a QGuiApplication the widget tests cannot use.)"""
    _stored_round(tmp_path, monkeypatch)
    uscc = "91350100MA7E04591R"
    steps = [
        ["review", "五月批次", uscc, "--confirm", "SR22-S4=met", "--reason", "属工业六基领域",
         "--ack-warning", "uscc-org-code", "--reason", "已核对营业执照"],
        ["review", "五月批次", uscc, "--decision", "recommend", "--opinion", "同意推荐。"],
        ["review", "五月批次", uscc, "--confirm", "SR22-0=unmet", "--reason", "列入经营异常名录"],
    ]  # fmt: skip
    for argv in steps:
        assert main(argv) == 0, argv
    capsys.readouterr()
    why = "决定作出后评价结论由“符合条件”变为“不符合条件”"
    warning = f"评审意见表中 1 家企业的决定需复核：\n· 福州闽精密机械有限公司（{uscc}）：{why}"
    out = tmp_path / "reports"
    assert main(["report", "五月批次", "--out", str(out), "--uscc", uscc]) == 0
    assert f"zjtx: 警告：{warning}" in capsys.readouterr().err
    text = flat_text(out / f"{uscc}_福州闽精密机械有限公司.pdf")
    assert "推荐（需复核）" in text and f"需复核{why}" in text
    target = tmp_path / "打印.pdf"
    assert main(["print", "五月批次", "--uscc", uscc, "--to-file", str(target)]) == 0
    assert f"zjtx: 警告：{warning}" in capsys.readouterr().err


def test_tables_of_a_round_are_headed_by_its_name_or_the_one_given(tmp_path, monkeypatch):
    """summary and publicity of a stored round print its name; --round-name replaces it."""
    _stored_round(tmp_path, monkeypatch)
    summary = tmp_path / "汇总.pdf"
    assert main(["summary", "五月批次", "--out", str(summary)]) == 0
    assert "五月批次（2025年5月1日）" in flat_text(summary)
    publicity = tmp_path / "公示.pdf"
    argv = [
        "publicity",
        "五月批次",
        "--round-name",
        "2025年第二批专精特新",
        "--out",
        str(publicity),
    ]
    assert main(argv) == 0
    assert "2025年第二批专精特新（2025年5月1日）" in flat_text(publicity)


def _june_little_giant_round(tmp_path, monkeypatch) -> None:
    """A 小巨人 round of 2026-06-01 holding the sample applicants, in a data folder of its own."""
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_EVALUATOR", "王晓明")
    samples = Path(__file__).parents[2] / "resources" / "samples" / "applicants.json"
    assert main(["round", "create", "六月", "--tier", "little-giant", "--date", "2026-06-01"]) == 0
    assert main(["round", "import", "六月", str(samples)]) == 0


def test_a_round_no_installed_standard_covers_any_longer_is_refused_plainly(
    tmp_path, monkeypatch, capsys
):
    """A corrected standard installed with an end date before the round's date leaves the
    round without one: `zjtx report` and `zjtx summary` say which enterprise cannot be
    evaluated and why (as 重新评价 does), write no file and report no unexpected error."""
    from tests.store.helpers import write_little_giant_ending_before_june

    _june_little_giant_round(tmp_path, monkeypatch)
    ended = write_little_giant_ending_before_june(tmp_path / "lg.yaml")
    assert main(["rulebook", "install", str(ended)]) == 0
    capsys.readouterr()
    for argv in (["report", "六月", "--out", str(tmp_path / "out")],
                 ["summary", "六月", "--out", str(tmp_path / "汇总.pdf")]):  # fmt: skip
        assert main(argv) == 1
        said = capsys.readouterr().err
        assert "无法评价企业" in said and "没有适用的评价标准" in said, said
        assert "未预期" not in said and "未生成文件" in said
    assert not (tmp_path / "汇总.pdf").exists() and not list(tmp_path.glob("out/*.pdf"))


def test_outputs_of_a_round_not_yet_rescored_warn_of_a_verdict_the_new_standard_changes(
    tmp_path, monkeypatch, capsys
):
    """A stricter standard installed after a 推荐, before 重新评价: the 公示名单 and the
    推荐汇总表 (which evaluate by the standard now in force) warn that the decision stands on
    a verdict that has changed, as they do after the rescore."""
    from tests.store.helpers import write_newer_little_giant
    from zjtx.store import StoreService, open_store

    _june_little_giant_round(tmp_path, monkeypatch)
    service = StoreService(open_store(f"sqlite:///{tmp_path / 'data' / 'zjtx.sqlite3'}"))
    rows = [r for r in service.list_applicants("六月") if r.rulebook == "little-giant-2026"]
    size = {r.uscc: service.applicant_detail("六月", r.uscc).review.evaluation["size_class"]
            for r in rows}  # fmt: skip
    chosen = next(r for r in rows if r.verdict != "not_qualified" and size[r.uscc] != "micro")
    service.store.close()
    assert main(["review", "六月", chosen.uscc, "--decision", "reject", "--opinion", "不予推荐",
                 "--reason", "初审"]) == 0  # fmt: skip
    only_micro = ("in: [medium, small, micro], text: 符合", "in: [micro], text: 符合")
    stricter = write_newer_little_giant(tmp_path / "lg.yaml", "2026.2", only_micro)
    assert main(["rulebook", "install", str(stricter)]) == 0
    capsys.readouterr()
    assert main(["summary", "六月", "--out", str(tmp_path / "汇总.xlsx")]) == 0
    said = capsys.readouterr().err
    assert "1 家企业的决定需复核" in said and chosen.name in said, said
    assert "导出按现行评价标准计算；本批次的评价按此前版本作出" in said


def test_a_command_failing_after_its_progress_line_says_so_on_a_line_of_its_own(
    tmp_path, monkeypatch, capsys
):
    """In a terminal, an error after a progress line was drawn starts a new line."""
    import sys

    from zjtx.commands.textout import progress_printer

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)

    def failing(args):
        progress_printer("正在复制", percent=True)(45, 100)
        raise UsageError("目标已有数据")

    from zjtx import cli

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(failing))
    assert main(["fields"]) == 2
    err = capsys.readouterr().err
    assert "\r正在复制 45%" in err and "\nzjtx: 错误：目标已有数据" in err


def _parser_running(handler):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("fields").set_defaults(func=handler)
    return parser


def test_a_publicity_list_with_a_recommendation_to_look_at_again_is_not_made(
    tmp_path, monkeypatch, capsys
):
    """A 推荐 whose verdict an 改判 turned to 不符合条件 afterwards: `zjtx publicity` writes
    nothing, exits 1 and names the applicant and why (it printed a warning and published it)."""
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    assert main(["round", "create", "五月批次", "--tier", "srdi-sme", "--date", "2025-05-01"]) == 0
    assert main(["round", "import", "五月批次", str(DATA)]) == 0
    uscc, name = "91350100MA7E04591R", "福州闽精密机械有限公司"
    assert main(["review", "五月批次", uscc, "--ack-warning", "uscc-org-code",
                 "--reason", "已核对营业执照", "--decision", "recommend",
                 "--opinion", "同意"]) == 0  # fmt: skip
    assert main(["review", "五月批次", uscc, "--confirm", "SR22-0=unmet",
                 "--reason", "已列入经营异常名录"]) == 0  # fmt: skip
    capsys.readouterr()
    out = tmp_path / "公示.xlsx"
    assert main(["publicity", "五月批次", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("zjtx: 错误：公示名单未生成：1 家企业的“推荐”决定需复核。")
    assert f"· {name}（{uscc}）：决定作出后评价结论由“符合条件”变为“不符合条件”" in err
    assert not out.exists() and not list(tmp_path.glob("*.part"))
