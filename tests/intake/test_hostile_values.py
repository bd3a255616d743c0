"""Hostile cell values: control characters, absurd numbers and overlong texts stop one row only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.intake.helpers import CODE_A, CODE_B, CODE_C, issue_tuples, read, write_xlsx
from tests.store import conftest as store_conftest
from zjtx.intake.cell_text import CONTROL_CHARACTERS
from zjtx.intake.synthetic import valid_uscc
from zjtx.store import StoreService, open_store

CODE_D = valid_uscc(1004)
CODE_E = valid_uscc(1005)
HEAD = ["企业名称", "统一社会信用代码", "所在市", "2025年营业收入（万元）", "上年末从业人员（人）"]


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    """A UTF-8 CSV roster with the given rows (texts written as they are, controls included)."""
    path.write_text("\n".join(",".join(str(v) for v in row) for row in rows) + "\n", "utf-8")
    return path


def write_roster(path: Path, rows: list[list[object]]) -> Path:
    """A roster as CSV or .xlsx by the suffix; in .xlsx a control character is stored as
    Excel stores it (``_x0001_``), since XML cannot hold it raw."""
    if path.suffix == ".csv":
        return write_csv(path, rows)
    escaped = [
        [
            "".join(f"_x{ord(ch):04X}_" if CONTROL_CHARACTERS.match(ch) else ch for ch in v)
            if isinstance(v, str)
            else v
            for v in row
        ]
        for row in rows
    ]
    return write_xlsx(path, escaped)


def messages(result) -> str:
    return "\n".join(issue.message for issue in result.issues)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_control_character_in_name_blocks_that_row_only(tmp_path, suffix):
    """\\x01 in 企业名称 is an error naming the cell; the row is blocked, the others imported."""
    path = write_roster(
        tmp_path / f"r{suffix}",
        [
            HEAD,
            ["正常企业\x01有限公司", CODE_A, "杭州", 100, 10],
            ["乙有限公司", CODE_B, "杭州", 200, 20],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [("A2", "name", "text-control-character", "error")]
    issue = result.issues[0]
    assert issue.uscc == CODE_A
    assert "\\x01" in issue.message and "\x01" not in issue.message
    assert [a.uscc for a in result.applicants] == [CODE_B]
    summary = result.summary["files"][0]
    assert (summary["rows_imported"], summary["rows_blocked"]) == (1, 1)
    # The blocked applicant is shown without the character, so no output can trip on it.
    assert result.files[0].blocked_applicants[0].values["name"] == "正常企业有限公司"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_control_character_in_uscc_blocks_the_row(tmp_path, suffix):
    """A control character inside the 统一社会信用代码 is an error; the code shown is clean."""
    path = write_roster(
        tmp_path / f"r{suffix}",
        [HEAD, ["甲有限公司", CODE_A[:9] + "\x1b" + CODE_A[9:], "杭州", 1, 1]],
    )
    result = read(path)
    assert ("B2", "uscc", "text-control-character", "error") in issue_tuples(result)
    assert result.applicants == []
    assert all(
        issue.uscc is None or not CONTROL_CHARACTERS.search(issue.uscc) for issue in result.issues
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_control_character_in_text_field_is_removed_with_a_warning(tmp_path, suffix):
    """\\x07 in 所在市 is removed; a warning names the cell and the applicant is imported."""
    path = write_roster(
        tmp_path / f"r{suffix}", [HEAD, ["甲有限公司", CODE_A, "杭州\x07市\x1b[31m", 100, 10]]
    )
    result = read(path)
    assert issue_tuples(result) == [("C2", "city", "text-control-character", "warning")]
    assert "C2" in result.issues[0].message or result.issues[0].cell == "C2"
    assert "\\x07" in result.issues[0].message
    (applicant,) = result.applicants
    assert applicant.values["city"] == "杭州市[31m"
    # The provenance keeps the text as typed, with the characters made visible.
    assert not CONTROL_CHARACTERS.search(applicant.provenance["city"].raw)
    assert "\\x07" in applicant.provenance["city"].raw


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_zero_width_characters_are_read_as_nothing_and_shown_in_messages(tmp_path, suffix):
    """Zero-width characters pasted from a web page or chat (U+200B, U+200C, U+200D, U+2060,
    U+FEFF) are not part of a name, a code, a yes/no answer or a figure: “是\u200b” reads 是;
    a message quoting a cell shows them as escapes, never as nothing."""
    zw = "\u200b"
    head = [*HEAD, "是否高新技术企业", "上年度研发费用（万元）"]
    path = write_roster(
        tmp_path / f"r{suffix}",
        [
            head,
            [
                f"甲{zw}有限\u2060公司",
                CODE_A[:5] + "\u200c" + CODE_A[5:],
                "杭州\ufeff",
                f"1{zw}00",
                10,
                f"是{zw}",
                50,
            ],
            ["乙有限公司", CODE_B, "杭州", 200, 20, f"可能{zw}", 60],
        ],
    )
    result = read(path)
    (first,) = result.applicants
    assert first.values["name"] == "甲有限公司" and first.uscc == CODE_A
    assert first.values["city"] == "杭州"
    assert first.values["revenue_y1"] == Decimal(100)
    assert first.values["high_tech_enterprise"] is True
    by_field = {i.field: i for i in result.issues}
    # The code was read without the character, and the 提示 shows where it was.
    assert by_field["uscc"].code == "uscc-tidied" and "\\u200c" in by_field["uscc"].message
    # An answer that is unreadable anyway is quoted with the character visible.
    unreadable = by_field["high_tech_enterprise"]
    assert unreadable.cell == "F3" and "可能\\u200b" in unreadable.message
    assert zw not in unreadable.message


def test_every_control_character_class_is_caught(tmp_path):
    """C0, DEL, C1, line separators, bidi overrides and lone surrogates are all reported."""
    hostile = ["\x00", "\x0b", "\x1f", "\x7f", "\x85", "\x9b", "\u2028", "\u202e", "\ud800"]
    records = [
        {"name": f"企业{i}有限公司", "uscc": code, "lead_product": f"产品{ch}甲"}
        for i, (ch, code) in enumerate(
            zip(hostile, [valid_uscc(2000 + n) for n in range(len(hostile))], strict=True)
        )
    ]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(records), "utf-8")
    result = read(path)
    warned = [i for i in result.issues if i.code == "text-control-character"]
    assert len(warned) == len(hostile)
    assert {i.severity for i in warned} == {"warning"}
    for applicant in result.files[0].applicants + result.files[0].blocked_applicants:
        assert applicant.values["lead_product"] in ("产品甲", "产品 甲")


def test_nul_in_json_blocks_that_record_only(tmp_path):
    """NUL in a JSON name is an error for that record; the file's other records import."""
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            [
                {"name": "甲\x00有限公司", "uscc": CODE_A, "revenue_y1": 100},
                {"name": "乙有限公司", "uscc": CODE_B, "city": "杭\x07州", "revenue_y1": 200},
            ]
        ),
        "utf-8",
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("[1].name", "name", "text-control-character", "error"),
        ("[2].city", "city", "text-control-character", "warning"),
    ]
    assert "\\x00" in result.issues[0].message
    (applicant,) = result.applicants
    assert applicant.values["city"] == "杭州"


@pytest.mark.parametrize(
    ("cell", "text", "field"),
    [
        ("D2", "9" * 5000, "revenue_y1"),
        ("D2", "1e5000000", "revenue_y1"),
        ("D2", "-1e5000000", "revenue_y1"),
        ("E2", "1e1000000", "employees_y1"),
        ("E2", "1" + "0" * 400, "employees_y1"),
        ("D2", "1e-999999", "revenue_y1"),
    ],
)
def test_absurd_numbers_are_an_error_naming_the_cell(tmp_path, cell, text, field):
    """Absurd digits or exponents are refused before any arithmetic, naming cell and range."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEAD,
            [
                "甲有限公司",
                CODE_A,
                "杭州",
                text if field == "revenue_y1" else 100,
                text if field == "employees_y1" else 10,
            ],
            ["乙有限公司", CODE_B, "杭州", 200, 20],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [(cell, field, "value-out-of-range", "error")]
    message = result.issues[0].message
    assert len(message) < 200
    assert ("万元" in message) if field == "revenue_y1" else ("人" in message)
    assert [a.uscc for a in result.applicants] == [CODE_B]


def test_numbers_outside_the_catalogue_range_are_errors(tmp_path):
    """A revenue over 100 万亿元 or 3,000,000 employees is outside the catalogue's range."""
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            [*HEAD, "2025年末资产总额（亿元）"],
            ["甲有限公司", CODE_A, "杭州", 2e10, 10, 1],
            ["乙有限公司", CODE_B, "杭州", 100, 3_000_000, 1],
            ["丙有限公司", CODE_C, "杭州", 100, 10, 1e300],
        ],
    )
    result = read(path)
    assert issue_tuples(result) == [
        ("D2", "revenue_y1", "value-out-of-range", "error"),
        ("E3", "employees_y1", "value-out-of-range", "error"),
        ("F4", "total_assets_y1", "value-out-of-range", "error"),
    ]
    assert "10,000,000,000" in result.issues[0].message
    assert result.applicants == []


def test_absurd_numbers_in_json(tmp_path):
    """A 5,000-digit integer or a huge exponent in JSON is a clear error, never a traceback."""
    head = f'"name": "甲有限公司", "uscc": "{CODE_A}"'
    for body, key in (
        (f'{{{head}, "revenue_y1": {"9" * 5000}}}', "revenue_y1"),
        (f'{{{head}, "employees_y1": 1e1000000}}', "employees_y1"),
        (f'{{{head}, "employees_y1": "{"9" * 5000}"}}', "employees_y1"),
        (f'{{{head}, "revenue_y1": 1e5000000}}', "revenue_y1"),
    ):
        path = tmp_path / "a.json"
        path.write_text(f"[{body}]", "utf-8")
        result = read(path)
        assert [(i.field, i.severity) for i in result.issues] == [(key, "error")], body[:80]
        assert "Exceeds" not in result.issues[0].message
        assert len(result.issues[0].message) < 300


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_overlong_name_is_an_error_for_that_row(tmp_path, suffix):
    """A 301-character name is an error naming the cell and the limit; the others import."""
    path = write_roster(
        tmp_path / f"r{suffix}",
        [HEAD, ["长" * 301, CODE_A, "杭州", 100, 10], ["乙有限公司", CODE_B, "杭州", 200, 20]],
    )
    result = read(path)
    assert issue_tuples(result) == [("A2", "name", "text-too-long", "error")]
    assert "100" in result.issues[0].message and "301" in result.issues[0].message
    assert len(result.issues[0].message) < 200
    assert [a.uscc for a in result.applicants] == [CODE_B]


def test_longest_plausible_name_is_accepted(tmp_path):
    """A real long 企业名称 (a branch of a long-named group company) is accepted."""
    name = "中国石油天然气股份有限公司" * 3 + "新疆维吾尔自治区乌鲁木齐市米东区分公司"
    assert 55 <= len(name) <= 100
    path = write_csv(tmp_path / "r.csv", [HEAD, [name, CODE_A, "杭州", 100, 10]])
    result = read(path)
    assert issue_tuples(result) == []
    assert result.applicants[0].values["name"] == name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_service(request, tmp_path) -> Iterator[StoreService]:
    """A real store on an SQLite file, or on PostgreSQL when ZJTX_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'data' / 'zjtx.sqlite3'}"])
    else:
        urls = store_conftest._fresh_postgres_database()
    url = next(urls)
    store = open_store(url)
    try:
        service = StoreService(store)
        service.create_round(
            "2026年第一批", tier="srdi-sme", round_date=date(2026, 6, 1), evaluator="张评审"
        )
        yield service
    finally:
        store.close()
        for _ in urls:  # drops the PostgreSQL database
            pass


def test_hostile_rows_blocked_and_the_rest_stored(tmp_path, store_service):
    """A 301-character name, NUL and a 5,000-digit revenue block their rows; the rest import."""
    csv_path = write_csv(
        tmp_path / "r.csv",
        [
            HEAD,
            ["长" * 301, CODE_A, "杭州", 100, 10],
            ["乙有限公司", CODE_B, "杭州\x07", 200, 20],
            ["丙有限公司", CODE_C, "杭州", "9" * 5000, 30],
        ],
    )
    json_path = tmp_path / "a.json"
    json_path.write_text(
        json.dumps(
            [
                {"name": "丁\x00有限公司", "uscc": CODE_D, "revenue_y1": 1},
                {"name": "戊有限公司", "uscc": CODE_E, "province": "浙江\x00省", "revenue_y1": 300},
            ]
        ),
        "utf-8",
    )
    imports = store_service.import_paths("2026年第一批", [csv_path, json_path], evaluator="张评审")
    assert [(i.rows_imported, i.rows_blocked) for i in imports] == [(1, 2), (1, 1)]
    rows = store_service.list_applicants("2026年第一批")
    assert sorted(row.name for row in rows) == ["乙有限公司", "戊有限公司"]
    stored = {row.name: store_service.applicant_detail("2026年第一批", row.uscc) for row in rows}
    assert stored["乙有限公司"].applicant.values["city"] == "杭州"
    assert stored["戊有限公司"].applicant.values["province"] == "浙江省"
    assert Decimal(stored["戊有限公司"].applicant.values["revenue_y1"]) == 300
