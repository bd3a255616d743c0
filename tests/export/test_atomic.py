"""Every output is written whole or not at all: a full disk, no permission, kill -9 mid-write."""

from __future__ import annotations

import builtins
import errno
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.export.factories import MADE_AT, applicant_for, srdi_evaluation
from zjtx.cli import main
from zjtx.export.batch import export_reports
from zjtx.export.summary import ApplicantOutcome
from zjtx.export.tables import write_summary
from zjtx.files import OutputWriteError, describe_write_error, write_atomically
from zjtx.intake.templates import write_roster_template
from zjtx.scoring.catalogue import load_catalogue

DATA = Path(__file__).parent / "data" / "applicants.json"
SELECT = ["--tier", "srdi-sme", "--date", "2025-05-01", "--made-at", "2025-05-20 09:30"]


class _FillingFile:
    """A file on a disk that fills up after ``room`` bytes: later writes raise ENOSPC."""

    def __init__(self, file: io.IOBase, room: int) -> None:
        self._file = file
        self._room = room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._file.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._file.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every temporary output file opened from now on fills the disk after 2 KB."""
    real_open = builtins.open

    def opening(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        if "w" in mode and str(file).endswith(".part"):
            return _FillingFile(opened, 2048)
        return opened

    monkeypatch.setattr(builtins, "open", opening)
    monkeypatch.setattr(io, "open", opening)  # zipfile (openpyxl) opens through io.open


@pytest.mark.parametrize("command", ["summary", "results", "publicity"])
@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_full_disk_keeps_the_old_file_and_says_why(command, suffix, tmp_path, capsys, request):
    """A disk that fills up mid-write: exit 1, 磁盘空间不足 named with the file, the earlier
    file byte for byte as it was, no temporary file left."""
    if command == "results" and suffix == ".pdf":
        pytest.skip("results are Excel only")
    target = tmp_path / f"输出{suffix}"
    assert main([command, str(DATA), *SELECT, "--out", str(target)]) == 0
    good = target.read_bytes()
    capsys.readouterr()
    request.getfixturevalue("full_disk")
    assert main([command, str(DATA), *SELECT, "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"磁盘空间不足，无法写入 “{target}”" in err and "原有文件未改动" in err
    assert "Traceback" not in err
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_full_disk_during_reports_exits_1_without_partial_files(tmp_path, capsys, full_disk):
    """zjtx report on a full disk: exit 1 with the Chinese reason; no half PDF anywhere."""
    out = tmp_path / "报告"
    assert main(["report", str(DATA), *SELECT, "--out", str(out), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


def test_template_is_written_atomically(tmp_path, full_disk):
    """A roster template that cannot be finished leaves the old template and no .part."""
    target = tmp_path / "模板.xlsx"
    target.write_bytes(b"old template")
    with pytest.raises(OutputWriteError, match="磁盘空间不足"):
        write_roster_template(target, load_catalogue(), 2026)
    assert target.read_bytes() == b"old template"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EACCES, "没有权限写入"),
        (errno.EROFS, "只读"),
        (errno.ENAMETOOLONG, "文件名或路径过长"),
        (errno.ENOENT, "中不能新建文件"),
    ],
)
def test_each_failure_is_named_in_chinese(tmp_path, code, expected):
    """Full disk, permission, read-only disk, too long a path and a folder that takes no new
    file (/proc: it said “No such file or directory”) each say so in Chinese."""
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"kept")

    def failing(part: Path) -> None:
        part.write_bytes(b"half")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputWriteError) as error:
        write_atomically(target, failing)
    assert expected in str(error.value) and str(target.name) in str(error.value)
    assert target.read_bytes() == b"kept" and list(tmp_path.iterdir()) == [target]
    assert expected in describe_write_error(target, OSError(code, "x"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_says_so(tmp_path, capsys):
    """A folder the user may not write into: exit 1 and 没有权限写入, not a traceback."""
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert main(["summary", str(DATA), *SELECT, "--out", str(folder / "s.xlsx")]) == 1
    finally:
        folder.chmod(0o755)
    assert "没有权限写入" in capsys.readouterr().err


def test_a_stray_part_file_is_replaced_by_the_next_write(tmp_path):
    """A .part left by a killed run is overwritten and gone after the next write."""
    target = tmp_path / "汇总.xlsx"
    (tmp_path / "汇总.xlsx.part").write_bytes(b"left by kill -9")
    write_atomically(target, lambda part: part.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and list(tmp_path.iterdir()) == [target]


def test_a_batch_removes_the_strays_of_a_killed_batch(tmp_path):
    """Report .part files a killed batch left are removed; other people's .part files stay."""
    (tmp_path / "913301000000000001_旧企业.pdf.part").write_bytes(b"half")
    (tmp_path / "评审意见表汇编.pdf.part").write_bytes(b"half")
    (tmp_path / "下载中的文件.pdf.part").write_bytes(b"a browser's download")
    evaluation = srdi_evaluation()
    from zjtx.export.report_model import build_assessment_report

    report = build_assessment_report(
        evaluation, catalogue=load_catalogue(), applicant=applicant_for(evaluation), made_at=MADE_AT
    )
    export_reports([report], tmp_path, workers=1)
    parts = sorted(p.name for p in tmp_path.glob("*.part"))
    assert parts == ["下载中的文件.pdf.part"]


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.export.factories import MADE_AT, applicant_for, srdi_evaluation
    from zjtx.export.summary import ApplicantOutcome
    from zjtx.export.tables import write_summary

    template = srdi_evaluation()
    outcomes = []
    for i in range(int(sys.argv[2])):
        evaluation = srdi_evaluation(name=f"第{i}号" + "精密机械制造" * 60, uscc=f"91330100{i:010d}")
        outcomes.append(ApplicantOutcome(evaluation, applicant_for(evaluation)))
    print("writing", flush=True)
    write_summary(outcomes, Path(sys.argv[1]), MADE_AT)
    print("done", flush=True)
    """
)


def test_kill_during_a_large_summary_keeps_the_good_file(tmp_path):
    """kill -9 while a large 推荐汇总表 .xlsx is written over a good one: the good file still
    opens and is unchanged; the next run leaves no .part behind."""
    target = tmp_path / "汇总.xlsx"
    small = [ApplicantOutcome(e, applicant_for(e)) for e in [srdi_evaluation()]]
    write_summary(small, target, MADE_AT)
    good = target.read_bytes()
    part = tmp_path / "汇总.xlsx.part"
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target), "6000"],
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and writer.poll() is None:
                if part.exists() and part.stat().st_size > 0:
                    break
                time.sleep(0.005)
            assert writer.poll() is None, "the writer finished before it could be killed"
            os.kill(writer.pid, signal.SIGKILL)
        finally:
            writer.kill()
            writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert part.exists()  # it was killed mid-write
    assert target.read_bytes() == good
    assert load_workbook(target)["推荐汇总表"]["B2"].value == small[0].evaluation.name
    write_summary(small, target, MADE_AT)  # the next run
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_write_error_in_a_report_worker_is_said_in_chinese(tmp_path, capsys):
    """A report whose file cannot be written on a worker process (its name taken by a
    folder) gives the Chinese reason, as in one process, not a broken pool; no .part is
    left, and the error crosses between processes whole."""
    import pickle

    error = OutputWriteError(tmp_path / "a.pdf", OSError(errno.ENOSPC, "No space left"))
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.target, again.errno) == (str(error), error.target, errno.ENOSPC)

    out = tmp_path / "报告"
    taken = out / "91350100MA7E04591R_福州闽精密机械有限公司.pdf"
    taken.mkdir(parents=True)
    assert main(["report", str(DATA), *SELECT, "--out", str(out), "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert "BrokenProcessPool" not in err and "未预期" not in err, err
    assert f"“{taken}”" in err
    assert not list(out.glob("*.part"))
