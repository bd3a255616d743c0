"""The JSON input read element by element: the same applicants and errors as decoding it whole."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from zjtx.intake import json_input
from zjtx.intake.json_input import (
    InputError,
    NonFiniteNumber,
    _json_object,
    applicant_from_mapping,
    iter_json_applicants,
    read_json_applicants,
)
from zjtx.intake.values import json_integer
from zjtx.scoring import load_catalogue

CATALOGUE = load_catalogue()
GOOD = '[{"name": "甲", "revenue_y1": 12.5},\n {"name": "乙", "employees": 3}  ]'
DOCUMENTS = [
    GOOD,
    "\ufeff" + GOOD,
    "   \n  " + GOOD + "\n\n",
    "[]",
    " [ ] ",
    '{"name": "丙"}',
    "",
    "   ",
    "[",
    "[{}",
    "[{},",
    "[{},]",
    "[{}]]",
    "[{}] x",
    '[{"name": "甲"} {"name": "乙"}]',
    '[{"name": "甲"},\n{"name" "乙"}]',
    '[{"name": "甲"},\n  {"name": "乙", "name": "丙"}]',
    '[{"name": "甲"},\n  {"revenue_y1": NaN}]',
    '[{"revenue_y1": 1e999999}]',
    '[{"employees": ' + "9" * 5000 + "}]",
    '[{"employees": ' + "9" * 5000 + "}",
    '[{"nmae": "甲"}, {"name": "乙"}, oops]',
    '[{"nmae": "甲"}, {"name": "乙"}]',
    '[{"name": "甲"}, 12, {"name": "乙"}]',
    '[{"name": "甲"}, 1234',
    '[{"name": "甲"}, 1234]',
    '[{"name": "甲"}, "未完',
    '[{"name": "甲"}, [[[[[[1]]]]]]]',
    "[" + "[" * 100_000 + "]" * 100_000 + "]",
    '[{"name": "甲"}, tru',
    '[{"name": "甲"}, true]',
    "[1, 2\n",
    "12",
    '"文本"',
]


def whole(path) -> list:
    """What reading the file in one piece gives: the applicants, or the error message."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return ["error", f"{path.name}：不是 UTF-8 编码的 JSON 文件"]
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=json_integer,
            parse_constant=NonFiniteNumber,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as exc:
        return [
            "error",
            f"{path.name}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
        ]
    except RecursionError:
        return ["error", "嵌套层数过深"]
    data = [data] if isinstance(data, dict) else data
    if not isinstance(data, list):
        return ["error", f"{path.name}：JSON 顶层必须是申报企业对象的数组"]
    try:
        return [
            applicant_from_mapping(item, CATALOGUE, file=path.name, record=i).values
            for i, item in enumerate(data, start=1)
        ]
    except InputError as exc:
        return ["error", str(exc)]


def streamed(path) -> list:
    try:
        return [a.values for a in iter_json_applicants(path, CATALOGUE)]
    except InputError as exc:
        return ["error", "嵌套层数过深" if "嵌套层数过深" in str(exc) else str(exc)]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("document", DOCUMENTS, ids=range(len(DOCUMENTS)))
def test_streamed_reading_equals_reading_whole(tmp_path, monkeypatch, document, chunk):
    """Every document, cut at every window size, reads to the same applicants or error."""
    monkeypatch.setattr(json_input, "_CHUNK", chunk)
    path = tmp_path / "企业.json"
    path.write_text(document, encoding="utf-8")
    assert streamed(path) == whole(path)


def test_invalid_utf8_after_a_record_error_is_reported_as_encoding(tmp_path, monkeypatch):
    """A file that is not UTF-8 further on is reported as such, before an earlier bad record."""
    monkeypatch.setattr(json_input, "_CHUNK", 16)
    path = tmp_path / "企业.json"
    path.write_bytes(b'[{"nmae": "x"}, ' + b'{"name": "y"}, ' * 20 + b'{"name": "\xff"}]')
    assert streamed(path) == whole(path) == ["error", "企业.json：不是 UTF-8 编码的 JSON 文件"]


def test_every_truncation_of_a_document_reads_like_the_whole(tmp_path, monkeypatch):
    """A document cut short at any character gives the error of reading it whole."""
    monkeypatch.setattr(json_input, "_CHUNK", 5)
    path = tmp_path / "截断.json"
    for end in range(len(GOOD) + 1):
        path.write_text(GOOD[:end], encoding="utf-8")
        assert streamed(path) == whole(path), GOOD[:end]


def test_reading_keeps_only_a_window_of_the_file(tmp_path, monkeypatch):
    """Applicants come one by one from a window much smaller than the file."""
    monkeypatch.setattr(json_input, "_CHUNK", 256)
    path = tmp_path / "大.json"
    rows = [{"name": f"企业{i}", "revenue_y1": i + 0.5} for i in range(2_000)]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    seen = []
    windows = []
    original = json_input._Window._fill

    def fill(self, wanted=256):
        windows.append(len(self.text))
        return original(self, wanted)

    monkeypatch.setattr(json_input._Window, "_fill", fill)
    for applicant in iter_json_applicants(path, CATALOGUE):
        seen.append(applicant.values["name"])
    assert seen == [f"企业{i}" for i in range(2_000)]
    assert max(windows) < 4_096 < path.stat().st_size // 10
    assert [a.values for a in read_json_applicants(path, CATALOGUE)] == whole(path)


def test_score_json_checks_every_record_before_any_output(tmp_path, capsys):
    """`zjtx score --json` reads its input as a stream, yet a bad last record still stops it
    before anything is written: exit 2, one message naming the record, no output."""
    from zjtx.cli import main

    rows = [{"name": f"企业{i}", "revenue_y1": 1000 + i} for i in range(50)]
    rows.append({"name": "坏", "revenue_y1": "一千"})
    path = tmp_path / "企业.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    status = main(["score", str(path), "--tier", "srdi-sme", "--date", "2025-06-01", "--json"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "企业.json 第 51 条记录 字段 “revenue_y1”" in captured.err
    assert "应为数值" in captured.err
