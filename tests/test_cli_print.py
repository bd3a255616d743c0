"""`zjtx print`: the 评审意见表 of files or a stored round through the printing path, to a PDF."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from zjtx.cli import main
from zjtx.paths import resource_path

SAMPLES = resource_path("samples", "applicants.json")
SELECT = ["--tier", "innovative-sme", "--date", "2026-07-01", "--made-at", "2026-07-01 09:00"]
FIRST, SECOND = "91350100MA7E45913L", "91370200MAER918268"
ROUND = "2026年创新型第一批"
A4_POINTS = (595, 842)


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database of its own in tmp_path; the Qt application is pytest-qt's (a QApplication)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ZJTX_DATA_DIR", str(folder))
    monkeypatch.setenv("ZJTX_EVALUATOR", "王评审")
    monkeypatch.delenv("ZJTX_DATABASE_URL", raising=False)
    return folder


@pytest.fixture(autouse=True)
def application(qapp):
    """zjtx print reuses a running application; without this one it would make a
    QGuiApplication that the widget tests of the same run could not use."""
    return qapp


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def exported_pages(capsys, tmp_path: Path, *selection: str, usccs: tuple[str, ...] = ()) -> int:
    """The pages `zjtx report` writes for the same input: what printing must reproduce."""
    out = tmp_path / "exported"
    assert run(capsys, "report", *selection, "--out", str(out))[0] == 0
    files = [f for f in out.glob("*.pdf") if not usccs or f.name.split("_")[0] in usccs]
    assert files and (not usccs or len(files) == len(usccs))
    return sum(len(PdfReader(f).pages) for f in files)


def assert_a4(path: Path) -> None:
    for page in PdfReader(path).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS


def test_print_files_restricted_to_codes_prints_their_reports(capsys, tmp_path):
    """Two --uscc codes print those two reports: their pages, on A4, and the file is complete."""
    target = tmp_path / "打印.pdf"
    code, out, err = run(
        capsys, "print", str(SAMPLES), *SELECT, "--uscc", FIRST, SECOND, "--to-file", str(target)
    )
    assert code == 0, err
    expected = exported_pages(capsys, tmp_path, str(SAMPLES), *SELECT, usccs=(FIRST, SECOND))
    assert len(PdfReader(target).pages) == expected
    assert_a4(target)
    assert out.strip() == f"已打印 2 份评审意见表，共 {expected} 页（文件 {target}）"
    assert not list(tmp_path.glob("*.part"))


def test_print_copies_repeat_the_job(capsys, tmp_path):
    """--copies 2 into a file (which makes no copies itself) holds the report twice."""
    target = tmp_path / "两份.pdf"
    argv = ["print", str(SAMPLES), *SELECT, "--uscc", SECOND, "--to-file", str(target)]
    code, out, err = run(capsys, *argv, "--copies", "2")
    assert code == 0, err
    pages = exported_pages(capsys, tmp_path, str(SAMPLES), *SELECT, usccs=(SECOND,))
    assert len(PdfReader(target).pages) == 2 * pages
    assert f"共 {pages} 页，各 2 份" in out


def test_print_a_stored_round(capsys, tmp_path):
    """A round name prints every applicant's report of the round from the database."""
    assert run(capsys, "round", "create", ROUND, "--tier", "innovative-sme",
               "--date", "2026-07-01")[0] == 0  # fmt: skip
    assert run(capsys, "round", "import", ROUND, str(SAMPLES))[0] == 0
    target = tmp_path / "批次.pdf"
    code, out, err = run(capsys, "print", ROUND, "--uscc", SECOND, FIRST, "--to-file", str(target))
    assert code == 0, err
    expected = exported_pages(capsys, tmp_path, ROUND, usccs=(FIRST, SECOND))
    assert len(PdfReader(target).pages) == expected
    assert_a4(target)
    assert out.startswith("已打印 2 份评审意见表")


def test_unknown_printer_is_a_usage_error_naming_the_printers(capsys, tmp_path):
    """A printer name that is not installed: exit 2, a Chinese message, no traceback."""
    target = tmp_path / "不应生成.pdf"
    code, out, err = run(
        capsys, "print", str(SAMPLES), *SELECT, "--printer", "三楼打印机", "--to-file", str(target)
    )
    assert code == 2
    assert "找不到打印机 “三楼打印机”" in err
    assert "打印机" in err.split("；")[1]  # the installed printers, or that there are none
    assert "Traceback" not in err and out == ""
    assert not target.exists()


@pytest.mark.parametrize("copies", ["0", "-1"])
def test_copies_below_one_are_refused(capsys, tmp_path, copies):
    """--copies 0 (or less) is refused with exit 2 before anything is printed."""
    target = tmp_path / "不应生成.pdf"
    code, _out, err = run(
        capsys, "print", str(SAMPLES), *SELECT, "--copies", copies, "--to-file", str(target)
    )
    assert code == 2
    assert f"--copies 应至少为 1（给出的是 {copies}）" in err
    assert not target.exists()


def test_codes_not_in_the_input_print_nothing(capsys, tmp_path):
    """--uscc codes matching no applicant: exit 2 naming them, and no file."""
    target = tmp_path / "不应生成.pdf"
    code, _out, err = run(
        capsys, "print", str(SAMPLES), *SELECT, "--uscc", FIRST, "91110000000000000X",
        "--to-file", str(target),
    )  # fmt: skip
    assert code == 2
    assert "输入中没有统一社会信用代码为 91110000000000000X 的企业，未打印任何页面" in err
    assert not target.exists()


def test_print_runs_without_a_display(tmp_path):
    """The installed command prints to a file in a process with no Qt platform configured."""
    target = tmp_path / "无显示.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    result = subprocess.run(
        [sys.executable, "-m", "zjtx", "print", str(SAMPLES), *SELECT, "--uscc", FIRST,
         "--to-file", str(target)],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已打印“") and len(PdfReader(target).pages) >= 1
