"""Outputs of a stored round whose texts are hostile: control characters, markup, huge names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tests.export.factories import applicant_for, srdi_evaluation
from tests.export.pdf_helpers import flat_text
from tests.store.helpers import make_applicant, make_file
from zjtx.cli import main
from zjtx.commands.reports import build_reports
from zjtx.export.batch import export_reports, report_file_name
from zjtx.export.summary import ApplicantOutcome
from zjtx.export.tables import write_publicity, write_results, write_summary
from zjtx.store import StoreService, open_store
from zjtx.store.models import Review

ROUND = "敌意批次"
CONTROL = "正常企业\x01有限公司"
ESCAPED = "\x1b[31m红色企业有限公司"
MARKUP = "<b>&amp;标记企业&有限公司"
STORED_LONG = "长名称" * 100  # 300 characters: the longest name the store keeps
LONG = "超长名称" * 750  # 3,000 characters (an older database, or a file scored directly)
EMOJI = "😀" * 70
NAMES = (CONTROL, ESCAPED, MARKUP, STORED_LONG, EMOJI)
MADE_AT = ["--made-at", "2026-05-20 09:30"]
MADE = datetime(2026, 5, 20, 9, 30)


@pytest.fixture
def hostile_round(tmp_path) -> str:
    """A round in the real SQLite file of the data folder, its texts put in past intake."""
    applicants = [make_applicant(number, name=name) for number, name in enumerate(NAMES, start=1)]
    with open_store() as store:
        service = StoreService(store)
        service.create_round(ROUND, tier="little-giant", round_date=date(2026, 6, 1))
        service.import_file(ROUND, make_file(tmp_path / "名单.xlsx", applicants))
        uscc = service.list_applicants(ROUND)[0].uscc
        service.decide(ROUND, uscc, "reject", "意见<i>", evaluator="王评审")
        # zjtx now refuses an opinion with control characters; a database written before
        # (or by another tool) may still hold one.
        with store.write_session() as session:
            session.execute(update(Review).values(opinion=f"意见{ESCAPED}{CONTROL}<i>"))
    return ROUND


def _visible(name: str) -> str:
    """How a stored name is expected to read back: controls as their code, no markup lost."""
    return name.replace("\x01", "〔U+0001〕").replace("\x1b", "〔U+001B〕")


def test_results_summary_and_publicity_succeed_and_show_the_names(hostile_round, tmp_path):
    """results, summary (xlsx and pdf) and publicity write the whole round; names read back."""
    results = tmp_path / "结果.xlsx"
    assert main(["results", hostile_round, "--out", str(results), *MADE_AT]) == 0
    names = [row[1] for row in load_workbook(results)["评价结果"].iter_rows(values_only=True)]
    for name in NAMES:
        assert _visible(name) in names, name[:20]
    summary_xlsx = tmp_path / "汇总.xlsx"
    assert main(["summary", hostile_round, "--out", str(summary_xlsx), *MADE_AT]) == 0
    cells = [
        value
        for row in load_workbook(summary_xlsx)["推荐汇总表"].iter_rows(values_only=True)
        for value in row
    ]
    assert _visible(CONTROL) in cells and _visible(STORED_LONG) in cells
    summary_pdf = tmp_path / "汇总.pdf"
    assert main(["summary", hostile_round, "--out", str(summary_pdf), *MADE_AT]) == 0
    text = flat_text(summary_pdf)
    assert _visible(CONTROL) in text and "<b>&amp;标记企业&有限公司" in text
    assert "长名称长名称" in text and "…" in text and STORED_LONG not in text
    assert "全称见Excel导出" in text
    publicity = tmp_path / "公示.pdf"
    assert main(["publicity", hostile_round, "--out", str(publicity), *MADE_AT]) == 0
    assert main(["publicity", hostile_round, "--out", str(tmp_path / "公示.xlsx")]) == 0


def test_a_pdf_table_printing_characters_as_codes_says_so(hostile_round, tmp_path, capsys):
    """A summary PDF whose names hold characters the font lacks (an emoji; 𠮷 in practice)
    warns naming each enterprise and the characters, which print as their codes; the Excel
    table, which shows them, does not."""
    capsys.readouterr()
    assert main(["summary", hostile_round, "--out", str(tmp_path / "汇总.pdf"), *MADE_AT]) == 0
    err = capsys.readouterr().err
    assert "推荐汇总表中有字体缺少的字符，已以编码（如〔U+20BB7〕）代替打印" in err
    assert f"· {EMOJI}：😀（U+1F600）" in err
    assert "〔U+1F600〕" in flat_text(tmp_path / "汇总.pdf")
    assert main(["summary", hostile_round, "--out", str(tmp_path / "汇总.xlsx"), *MADE_AT]) == 0
    assert "字体缺少" not in capsys.readouterr().err


def test_reports_are_written_for_every_hostile_name(hostile_round, tmp_path):
    """report writes one PDF per applicant, the 3,000-character and the emoji names included,
    each file name within the 255-byte limit of the file system."""
    out = tmp_path / "报告"
    assert main(["report", hostile_round, "--out", str(out), "--workers", "1", *MADE_AT]) == 0
    files = sorted(out.iterdir())
    assert len(files) == len(NAMES)
    assert all(len(f.name.encode()) <= 255 for f in files)
    emoji = next(f for f in files if "😀" in f.name)
    assert emoji.name.endswith("….pdf")
    texts = {f.name: flat_text(f) for f in files}
    assert any(_visible(CONTROL) in t for t in texts.values())
    assert any("<b>&amp;标记企业&有限公司" in t for t in texts.values())
    long_text = next(t for n, t in texts.items() if "长名称" in n)
    assert STORED_LONG in long_text


def _long_outcomes() -> list[ApplicantOutcome]:
    evaluation = srdi_evaluation(name=LONG)
    applicant = applicant_for(evaluation, county="区" * 1000)
    return [ApplicantOutcome(evaluation, applicant), ApplicantOutcome(srdi_evaluation(), None)]


def test_a_three_thousand_character_name_is_cut_visibly_in_pdfs(tmp_path):
    """A 3,000-character name and a 1,000-character county: the summary, publicity and report
    PDFs are laid out, the name cut with … (the summary says the Excel holds it in full), and
    the Excel results keep it whole."""
    outcomes = _long_outcomes()
    summary_pdf = tmp_path / "汇总.pdf"
    write_summary(outcomes, summary_pdf, MADE)
    text = flat_text(summary_pdf)
    assert "超长名称" * 20 in text and "…（全称见Excel导出）" in text and LONG not in text
    publicity = tmp_path / "公示.pdf"
    write_publicity(outcomes, publicity, MADE)
    results = tmp_path / "结果.xlsx"
    write_results(outcomes, results, MADE)
    names = [row[1] for row in load_workbook(results).active.iter_rows(values_only=True)]
    assert LONG in names
    reports = build_reports(outcomes, MADE, "长名称批次")
    written = export_reports(reports, tmp_path / "报告", workers=1, combined=True)
    long_report = flat_text(written.files[0])
    assert "超长名称" * 20 in long_report and "…（过长，已截断）" in long_report
    assert written.combined_pages > 0


def test_round_show_prints_no_raw_escape(hostile_round, capsys):
    """round show and history print control characters visibly escaped, never raw."""
    assert main(["round", "show", hostile_round]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x01" not in out
    assert "\\u001b[31m红色企业有限公司" in out and "正常企业\\u0001有限公司" in out
    assert main(["round", "history", hostile_round]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_report_file_names_are_cut_by_bytes():
    """A 70-emoji name (280 bytes of UTF-8) is cut to fit 255 bytes, visibly, on a whole
    character; the Windows limit counts UTF-16 units."""
    name = report_file_name("91330100MA2B0XXX1X", EMOJI)
    assert len(name.encode("utf-8")) <= 255 - len(".part")
    assert name.endswith("….pdf") and name.startswith("91330100MA2B0XXX1X_😀")
    windows = report_file_name("91330100MA2B0XXX1X", EMOJI * 3, platform="win32")
    assert len(windows.encode("utf-16-le")) // 2 <= 255 - len(".part")
    assert len(windows.encode("utf-8")) > 255  # Windows would take more bytes than ext4


_ORPHAN_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from tests.export.test_batch import _reports
    from zjtx.export.batch import export_reports

    reports = _reports(1) * 400
    def progress(done, total):
        print("progress", done, flush=True)
    export_reports(reports, __import__("pathlib").Path(sys.argv[1]), workers=2, progress=progress)
    """
)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the fields after the command name (which may hold spaces) start with state, ppid
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_report_workers_exit_when_the_parent_is_killed(tmp_path):
    """kill -9 of a process exporting reports on a pool: its workers exit within seconds."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT, str(tmp_path / "out")],
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().startswith("progress")  # the pool is at work
        workers = [pid for pid in _children(parent.pid) if _alive(pid)]
        assert workers, "the pool has worker processes"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        left = [pid for pid in workers if _alive(pid)]
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
    for pid in left:  # never leave processes behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"worker processes still running after the parent was killed: {left}"


def test_characters_lacking_from_text_every_report_shares_are_said_once(capsys):
    """A character the font lacks in the round's name (on every report) is said once for all
    of them; one in a single enterprise's name is said for that enterprise; the form's own
    note lists codes, not the unprintable characters again."""
    first = srdi_evaluation("𠮷野家精密机械有限公司", "91330100000000001X")
    second = srdi_evaluation("普通机械有限公司", "91330100000000002X")
    outcomes = [ApplicantOutcome(e, applicant_for(e)) for e in (first, second)]
    reports = build_reports(outcomes, MADE, "2026年㙟批次")
    err = capsys.readouterr().err
    assert err.count("每份评审意见表共有的文字") == 1 and "㙟（U+365F）" in err
    lines = [line for line in err.splitlines() if "含字体缺少的字符" in line]
    assert len(lines) == 2  # the shared line and 𠮷野家's own
    assert "𠮷野家精密机械有限公司（91330100000000001X）含字体缺少的字符 𠮷（U+20BB7）" in err
    assert "普通机械有限公司（" not in err
    note = reports[0].notes[-1]
    assert note.endswith("U+20BB7、U+365F") or note.endswith("U+365F、U+20BB7")
    assert "〔" not in note
