"""Every CLI command on hostile inputs: one Chinese message, exit 0/1/2, never a traceback,
the database intact afterwards."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
import pytest

import zjtx
from zjtx.cli import build_parser
from zjtx.paths import resource_path

REPO = Path(zjtx.__file__).resolve().parents[1]
ROUND = "基准批次"
SQL = "x'; DROP TABLE rounds;--"
LONG = "批" * 10_000
CTRL = "正常企业\x01\x1b[31m有限公司"
PASSWORD = "SeCrEt-Pw-981"
CJK = re.compile("[\u4e00-\u9fff]")
# The CLI's last resort for a defect nobody foresaw: it keeps the user from a traceback, but a
# hostile input that reaches it is still a defect this test reports.
SAFETY_NET = "未预期的错误"
MEMORY_LIMIT = 3 * 1024**3  # address space of a crash-prone case: fail fast, not swap

SAMPLES = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))
USCC = SAMPLES[0]["uscc"]

STATUS_BAD_INPUT = frozenset({2})
STATUS_FAILED = frozenset({1})
STATUS_REFUSED = frozenset({1, 2})  # bad input or failed: either is an honest answer
STATUS_OK = frozenset({0})


@dataclass(frozen=True)
class Case:
    """One hostile invocation: arguments ({files}, {work} filled in), expected exit statuses,
    environment changes (None removes a variable) and the data folder it runs against."""

    name: str
    argv: tuple[str, ...]
    statuses: frozenset[int]
    env: dict[str, str | None] = field(default_factory=dict)
    data: str = "base"  # base (a round with 3 applicants), damaged, garbage, badsettings
    isolated: bool = False  # its own process under a memory limit (a crash would end others)


def case(name, *argv, statuses=STATUS_BAD_INPUT, env=None, data="base", isolated=False):
    return Case(name, tuple(argv), frozenset(statuses), dict(env or {}), data, isolated)


BAD_URLS = {
    "url-scheme": "mysql://user@localhost/zjtx",
    "url-port": "postgresql+psycopg://user@localhost:abc/zjtx",
    "url-password": f"postgresql+psycopg://user@127.0.0.1:1/zjtx?password={PASSWORD}",
    "url-userinfo": f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:1/zjtx",
}


def database_cases(*argv: str) -> list[Case]:
    """A command that opens the database, against bad URLs and a damaged or foreign file."""
    cases = [case(n, *argv, statuses=STATUS_REFUSED, env={"ZJTX_DATABASE_URL": url})
             for n, url in BAD_URLS.items()]  # fmt: skip
    cases += [
        case("damaged-sqlite", *argv, statuses=STATUS_FAILED, data="damaged"),
        case("not-a-database", *argv, statuses=STATUS_FAILED, data="garbage"),
        case(
            "data-dir-under-a-file",
            *argv,
            statuses=STATUS_REFUSED,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ]
    return cases


def renamed(prefix: str, cases: list[Case]) -> list[Case]:
    """CASES named PREFIX-name, beside a command's other cases of the same kind."""
    return [replace(c, name=f"{prefix}-{c.name}") for c in cases]


def file_cases(*argv: str, every: bool = True) -> list[Case]:
    """A command reading applicant files, on each hostile file (appended after ARGV); the
    commands that only pass files on to the same reader get the shorter list (EVERY false)."""
    refused = STATUS_REFUSED
    names = {
        "missing-file": ("{files}/不存在.json", STATUS_BAD_INPUT),
        "file-name-too-long": (f"{{files}}/{'名' * 300}.json", STATUS_BAD_INPUT),
        "empty-json": ("{files}/empty.json", refused),
        "empty-xlsx": ("{files}/empty.xlsx", refused),
        "txt-renamed-xlsx": ("{files}/text.xlsx", refused),
        "truncated-xlsx": ("{files}/truncated.xlsx", refused),
        "deep-json": ("{files}/deep.json", refused),
        "absurd-numbers": ("{files}/absurd.json", refused),
        # Outputs show stored text escaped, cut or wrapped: these may be read and written.
        "nul-in-name": ("{files}/nul.json", refused | STATUS_OK),
        "long-name": ("{files}/long.json", refused | STATUS_OK),
    }
    if every:
        names |= {
            "empty-csv": ("{files}/empty.csv", refused),
            "nan-json": ("{files}/nan.json", refused),
            "control-chars-csv": ("{files}/control.csv", refused),
            "hostile-folder": ("{files}/folder", refused),
        }
    cases = [case(n, *argv, path, statuses=s) for n, (path, s) in names.items()]
    if every:  # in a process of their own: before issue 11 they aborted it
        cases += [
            case("far-cell", *argv, "{files}/far.xlsx", statuses=refused, isolated=True),
            case("zip-bomb", *argv, "{files}/bomb.xlsx", statuses=refused, isolated=True),
        ]
    return cases


def name_cases(*argv: str) -> list[Case]:
    """SQL-ish, overlong and control-character names for the tier, rulebook, overlay, setting
    and date options of a scoring command (appended after ARGV)."""
    return [
        case("tier-sql", *argv, "--tier", SQL),
        case("tier-long", *argv, "--tier", LONG),
        case("rulebook-unknown", *argv, "--rulebook", "srdi-sme-1999"),
        case("overlay-unknown", *argv, "--tier", "srdi-sme", "--overlay", SQL),
        case("setting-unknown", *argv, "--tier", "srdi-sme", "--setting", f"{SQL}=true"),
        case("setting-malformed", *argv, "--tier", "srdi-sme", "--setting", "x"),
        case("date-impossible", *argv, "--tier", "srdi-sme", "--date", "2026-02-30"),
        case("date-far", *argv, "--tier", "srdi-sme", "--date", "99999-01-01"),
        case("date-control", *argv, "--tier", "srdi-sme", "--date", "2026\x1b-01-01"),
        case("option-missing-value", *argv, "--tier"),
        case("option-unknown", *argv, "--tier", "srdi-sme", "--bogus"),
    ]


def out_cases(
    *argv: str,
    suffix: str,
    option: str | None = "--out",
    folder: bool = False,
    creates: bool = False,
) -> list[Case]:
    """Path tricks in an output option (appended after ARGV). FOLDER: the option names a
    folder, made when missing; else a file, whose missing folder is refused or, CREATES, made.
    OPTION None: the path is a positional argument."""
    flag = (option,) if option else ()
    made = STATUS_REFUSED | STATUS_OK
    cases = [
        case(
            "out-missing-folder",
            *argv,
            *flag,
            f"{{work}}/没有/这个文件夹/out{suffix}",
            statuses=made if folder or creates else STATUS_REFUSED,
        ),
        case(
            "out-under-a-file",
            *argv,
            *flag,
            f"{{files}}/plain.txt/out{suffix}",
            statuses=STATUS_REFUSED,
        ),
        case(
            "out-name-too-long",
            *argv,
            *flag,
            f"{{work}}/{'名' * 200}{suffix}",
            statuses=STATUS_REFUSED,
        ),
        case("out-sql", *argv, *flag, f"{{work}}/{SQL}{suffix}", statuses=STATUS_OK),
    ]
    if folder:
        cases.append(case("out-is-a-file", *argv, *flag, "{files}/plain.txt"))
    else:
        cases.append(
            case(
                "out-is-a-folder",
                *argv,
                *flag,
                f"{{files}}/folder{suffix}",
                statuses=STATUS_REFUSED,
            )
        )
    return cases  # fmt: skip


SCORING = ("--tier", "srdi-sme", "--date", "2026-06-01")
JSON_IN = "{files}/good.json"
# The register (培育库) holds the first sample, from this list; the data folder one profile.
PUBLISHED = "{files}/roster.xlsx"
REGISTER = ("--title", "srdi-sme", "--year", "2025")
REGISTERED = SAMPLES[0]["name"]
PROFILE = "基准对应关系"
REJECT_ALL = ("--decision", "reject", "--opinion", "{企业名称}不符合条件")

HOSTILE: dict[str, list[Case]] = {
    "fields": [
        case("option-unknown", "fields", "--bogus"),
        case("extra-sql", "fields", SQL),
        case(
            "bad-database-url",
            "fields",
            statuses=STATUS_OK,
            env={"ZJTX_DATABASE_URL": BAD_URLS["url-password"]},
        ),
    ],
    "rulebooks": [
        case("extra-long", "rulebooks", LONG),
        case(
            "data-dir-under-a-file",
            "rulebooks",
            "--json",
            statuses=STATUS_OK,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "rulebook show": [
        case("id-sql", "rulebook", "show", SQL),
        case("id-long", "rulebook", "show", LONG),
        case("id-control", "rulebook", "show", CTRL),
        case("overlay-unknown", "rulebook", "show", "srdi-sme-2022", "--overlay", "山东"),
        case("id-missing", "rulebook", "show"),
    ],
    "rulebook check": [
        case("missing-file", "rulebook", "check", "{files}/不存在.yaml"),
        case("name-too-long", "rulebook", "check", f"{{files}}/{'名' * 300}.yaml"),
        case("binary", "rulebook", "check", "{files}/empty.xlsx"),
        case("plain-text", "rulebook", "check", "{files}/plain.txt", "--json"),
        case("deep-json", "rulebook", "check", "{files}/deep.json"),
        case("folder", "rulebook", "check", "{files}/folder"),
        case("no-file", "rulebook", "check"),
    ],
    "rulebook uninstall": [
        case("id-sql", "rulebook", "uninstall", SQL),
        case("id-long", "rulebook", "uninstall", LONG),
        case("id-control", "rulebook", "uninstall", CTRL),
        case("bundled-id", "rulebook", "uninstall", "shandong-2022"),
        case("id-missing", "rulebook", "uninstall"),
        case(
            "data-dir-under-a-file",
            "rulebook",
            "uninstall",
            "shandong-2022",
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "rulebook install": [
        case("missing-file", "rulebook", "install", "{files}/不存在.yaml"),
        case("sql-name", "rulebook", "install", SQL),
        case("binary", "rulebook", "install", "{files}/empty.xlsx"),
        case(
            "data-dir-under-a-file",
            "rulebook",
            "install",
            str(resource_path("overlays", "shandong-2022.yaml")),
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "score": [
        *file_cases("score", *SCORING),
        *name_cases("score", JSON_IN),
        case("no-standard", "score", JSON_IN),
        # A program reading --json gets [] and the reason on stderr.
        case(
            "json-nothing-readable",
            "score",
            "{files}/empty.xlsx",
            *SCORING,
            "--json",
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
    ],
    "check": [
        *file_cases("check", "--year", "2026"),
        case("year-absurd", "check", JSON_IN, "--year", "9" * 30),
        case("year-negative", "check", JSON_IN, "--year", "-5"),
        case("year-text", "check", JSON_IN, "--year", "二〇二六"),
        case("map-sql", "check", JSON_IN, "--map", SQL),
        case("map-long", "check", JSON_IN, "--map", f"D={LONG}"),
        case("map-unknown-field", "check", "{files}/roster.xlsx", "--map", "B=no_such_field"),
    ],
    "template": [
        *out_cases("template", "roster", "--year", "2026", suffix=".xlsx", creates=True),
        case("kind-sql", "template", SQL, "--out", "{work}/t.xlsx"),
        case("year-absurd", "template", "form", "--year", "9" * 30, "--out", "{work}/t.xlsx"),
        case("out-suffix", "template", "form", "--out", "{work}/t.txt"),
        case(
            "round-unknown",
            "template",
            "roster",
            "--round",
            "没有这个批次",
            "--out",
            "{work}/t.xlsx",
        ),
        case("round-sql", "template", "roster", "--round", SQL, "--out", "{work}/t.xlsx"),
        case(
            "round-and-year",
            "template",
            "roster",
            "--round",
            ROUND,
            "--year",
            "2026",
            "--out",
            "{work}/t.xlsx",
        ),
        *database_cases("template", "roster", "--round", ROUND, "--out", "{work}/t.xlsx"),
    ],
    "report": [
        *file_cases("report", *SCORING, "--out", "{work}/reports", every=False),
        *out_cases("report", ROUND, suffix="", folder=True),
        case("round-sql", "report", SQL, "--out", "{work}/r"),
        case("round-long", "report", LONG, "--out", "{work}/r"),
        case("workers-zero", "report", ROUND, "--out", "{work}/r", "--workers", "0"),
        case(
            "workers-absurd",
            "report",
            ROUND,
            "--out",
            "{work}/r",
            "--workers",
            "9" * 30,
            "--no-single",
            "--combined",
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        case("made-at-bad", "report", ROUND, "--out", "{work}/r", "--made-at", "昨天"),
        case("uscc-sql", "report", ROUND, "--out", "{work}/r", "--uscc", SQL),
        case("uscc-long", "report", ROUND, "--out", "{work}/r", "--uscc", LONG),
        case("uscc-control", "report", ROUND, "--out", "{work}/r", "--uscc", CTRL),
        case("uscc-blank", "report", ROUND, "--out", "{work}/r", "--uscc", ""),
        case("uscc-after-round", "report", ROUND, USCC, "--out", "{work}/r"),
        case(
            "round-name-control",
            "report",
            JSON_IN,
            *SCORING,
            "--out",
            "{work}/r",
            "--round-name",
            CTRL,
            "--no-single",
            "--combined",
            statuses=STATUS_OK,
        ),
        case("round-with-tier", "report", ROUND, "--tier", "srdi-sme", "--out", "{work}/r"),
        *database_cases("report", ROUND, "--out", "{work}/r"),
    ],
    **{
        command: [
            *file_cases(command, *SCORING, "--out", f"{{work}}/t{suffix}", every=False),
            *name_cases(command, JSON_IN, "--out", f"{{work}}/t{suffix}"),
            *out_cases(command, ROUND, suffix=suffix, creates=True),
            case("out-suffix", command, ROUND, "--out", "{work}/t.docx"),
            case("round-sql", command, SQL, "--out", f"{{work}}/t{suffix}"),
            case("round-long", command, LONG, "--out", f"{{work}}/t{suffix}"),
            case(
                "made-at-bad",
                command,
                ROUND,
                "--out",
                f"{{work}}/t{suffix}",
                "--made-at",
                "2026-13-45 99:99",
            ),
            case(
                "round-name-long",
                command,
                ROUND,
                "--out",
                f"{{work}}/l{suffix}",
                "--round-name",
                LONG,
                statuses=STATUS_OK | STATUS_BAD_INPUT,
            ),
            *database_cases(command, ROUND, "--out", f"{{work}}/t{suffix}"),
        ]
        for command, suffix in (("summary", ".xlsx"), ("publicity", ".pdf"), ("results", ".xlsx"))
    },
    "print": [
        case("copies-zero", "print", ROUND, "--copies", "0", "--to-file", "{work}/p.pdf"),
        case("copies-absurd", "print", ROUND, "--copies", "9" * 30, "--to-file", "{work}/p.pdf"),
        case("uscc-sql", "print", ROUND, "--uscc", SQL, "--to-file", "{work}/p.pdf"),
        case("round-sql", "print", SQL, "--to-file", "{work}/p.pdf"),
        case("printer-sql", "print", ROUND, "--printer", SQL, statuses=STATUS_REFUSED),
        case(
            "to-file-under-a-file",
            "print",
            ROUND,
            "--uscc",
            USCC,
            "--to-file",
            "{files}/plain.txt/p.pdf",
            statuses=STATUS_REFUSED,
        ),
        case("to-file-is-a-folder", "print", ROUND, "--to-file", "{files}/folder"),
        case(
            "empty-json",
            "print",
            "{files}/empty.json",
            *SCORING,
            "--to-file",
            "{work}/p.pdf",
            statuses=STATUS_REFUSED,
        ),
        case(
            "deep-json",
            "print",
            "{files}/deep.json",
            *SCORING,
            "--to-file",
            "{work}/p.pdf",
            statuses=STATUS_REFUSED,
        ),
        *database_cases("print", ROUND, "--to-file", "{work}/p.pdf"),
    ],
    "round create": [
        case(
            "name-sql",
            "round",
            "create",
            SQL,
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            statuses=STATUS_OK,
        ),
        case("name-long", "round", "create", LONG, "--tier", "srdi-sme", "--date", "2026-06-01"),
        case(
            "name-control",
            "round",
            "create",
            CTRL,
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        case("name-taken", "round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-06-01"),
        case("name-blank", "round", "create", "  ", "--tier", "srdi-sme", "--date", "2026-06-01"),
        case("tier-sql", "round", "create", "甲", "--tier", SQL, "--date", "2026-06-01"),
        case(
            "date-impossible", "round", "create", "乙", "--tier", "srdi-sme", "--date", "2026-02-30"
        ),
        case("date-far", "round", "create", "丙", "--tier", "srdi-sme", "--date", "0001-01-01"),
        case(
            "region-long",
            "round",
            "create",
            "丁",
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            "--region",
            LONG,
        ),
        case(
            "overlay-sql",
            "round",
            "create",
            "戊",
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            "--overlay",
            SQL,
        ),
        case(
            "rulebook-unknown",
            "round",
            "create",
            "己",
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            "--rulebook",
            "little-giant-1999",
        ),
        case(
            "setting-unknown",
            "round",
            "create",
            "庚",
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            "--setting",
            f"{SQL}=true",
        ),
        case(
            "evaluator-long",
            "round",
            "create",
            "辛",
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            "--evaluator",
            LONG,
        ),
        case(
            "no-evaluator",
            "round",
            "create",
            "壬",
            "--tier",
            "srdi-sme",
            "--date",
            "2026-06-01",
            statuses=STATUS_OK,
            env={"ZJTX_EVALUATOR": None},
        ),
        *database_cases("round", "create", "癸", "--tier", "srdi-sme", "--date", "2026-06-01"),
    ],
    "round list": [
        case("extra-sql", "round", "list", SQL),
        *database_cases("round", "list"),
    ],
    "round rename": [
        case("old-sql", "round", "rename", SQL, "新名称"),
        case("old-long", "round", "rename", LONG, "新名称"),
        case("new-long", "round", "rename", ROUND, LONG),
        case("new-blank", "round", "rename", ROUND, ""),
        case("new-control", "round", "rename", ROUND, CTRL, statuses=STATUS_OK | STATUS_BAD_INPUT),
        *database_cases("round", "rename", ROUND, "新名称"),
    ],
    "round archive": [
        case("name-sql", "round", "archive", SQL),
        case("name-long", "round", "archive", LONG),
        *database_cases("round", "archive", ROUND),
    ],
    "round restore": [
        case("name-sql", "round", "restore", SQL),
        case("name-long", "round", "restore", LONG),
        case("not-archived", "round", "restore", ROUND, statuses=STATUS_OK | STATUS_BAD_INPUT),
        *database_cases("round", "restore", ROUND),
    ],
    "round show": [
        case("name-sql", "round", "show", SQL),
        case("name-long", "round", "show", LONG),
        case("search-sql", "round", "show", ROUND, "--search", SQL, statuses=STATUS_OK),
        case("search-long", "round", "show", ROUND, "--search", LONG, statuses=STATUS_OK),
        case("region-control", "round", "show", ROUND, "--region", CTRL, statuses=STATUS_OK),
        case("verdict-unknown", "round", "show", ROUND, "--verdict", SQL),
        *database_cases("round", "show", ROUND),
    ],
    "round import": [
        *file_cases("round", "import", ROUND),
        case("name-sql", "round", "import", SQL, JSON_IN),
        case("name-long", "round", "import", LONG, JSON_IN),
        case("map-sql", "round", "import", ROUND, "{files}/roster.xlsx", "--map", SQL),
        case("evaluator-long", "round", "import", ROUND, JSON_IN, "--evaluator", LONG),
        case("sql-in-names", "round", "import", ROUND, "{files}/sql.json", statuses=STATUS_OK),
        *database_cases("round", "import", ROUND, JSON_IN),
    ],
    "round rescore": [
        case("name-sql", "round", "rescore", SQL),
        case("name-long", "round", "rescore", LONG),
        case(
            "evaluator-control",
            "round",
            "rescore",
            ROUND,
            "--evaluator",
            CTRL,
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        *database_cases("round", "rescore", ROUND),
    ],
    "round history": [
        case("name-sql", "round", "history", SQL),
        case("uscc-sql", "round", "history", ROUND, SQL, statuses=STATUS_OK | STATUS_BAD_INPUT),
        case("uscc-long", "round", "history", ROUND, LONG, statuses=STATUS_OK | STATUS_BAD_INPUT),
        *database_cases("round", "history", ROUND),
    ],
    "round stats": [
        case("name-sql", "round", "stats", SQL),
        case("name-long", "round", "stats", LONG),
        case("name-control", "round", "stats", CTRL),
        case("name-missing", "round", "stats"),
        case("option-unknown", "round", "stats", ROUND, "--bogus"),
        *database_cases("round", "stats", ROUND),
    ],
    "round corrections": [
        *out_cases("round", "corrections", ROUND, suffix=".xlsx", creates=True),
        case("out-suffix", "round", "corrections", ROUND, "--out", "{work}/c.docx"),
        case("out-missing", "round", "corrections", ROUND),
        case("name-sql", "round", "corrections", SQL, "--out", "{work}/c.xlsx"),
        case("name-long", "round", "corrections", LONG, "--out", "{work}/c.pdf"),
        case("name-control", "round", "corrections", CTRL, "--out", "{work}/c.pdf"),
        *database_cases("round", "corrections", ROUND, "--out", "{work}/c.xlsx"),
    ],
    "registry import": [
        *file_cases("registry", "import", *REGISTER),
        case("title-sql", "registry", "import", PUBLISHED, "--title", SQL, "--year", "2025"),
        case("title-missing", "registry", "import", PUBLISHED, "--year", "2025"),
        case(
            "year-absurd",
            "registry",
            "import",
            PUBLISHED,
            "--title",
            "srdi-sme",
            "--year",
            "9" * 30,
        ),
        case(
            "year-text",
            "registry",
            "import",
            PUBLISHED,
            "--title",
            "srdi-sme",
            "--year",
            "二〇二五",
        ),
        case("valid-years-zero", "registry", "import", PUBLISHED, *REGISTER, "--valid-years", "0"),
        case(
            "valid-years-absurd",
            "registry",
            "import",
            PUBLISHED,
            *REGISTER,
            "--valid-years",
            "9" * 30,
        ),
        case("level-sql", "registry", "import", PUBLISHED, *REGISTER, "--level", SQL),
        case("status-unknown", "registry", "import", PUBLISHED, *REGISTER, "--status", "expired"),
        case(
            "batch-long",
            "registry",
            "import",
            PUBLISHED,
            *REGISTER,
            "--batch",
            LONG,
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        case("evaluator-long", "registry", "import", PUBLISHED, *REGISTER, "--evaluator", LONG),
        # As in round import, the audit trail then names the system account.
        case(
            "no-evaluator",
            "registry",
            "import",
            PUBLISHED,
            *REGISTER,
            statuses=STATUS_OK,
            env={"ZJTX_EVALUATOR": None},
        ),
        *database_cases("registry", "import", PUBLISHED, *REGISTER),
    ],
    "registry list": [
        case("title-sql", "registry", "list", "--title", SQL),
        case("year-absurd", "registry", "list", "--year", "9" * 30),
        case("year-text", "registry", "list", "--year", "二〇二五"),
        case("region-sql", "registry", "list", "--region", SQL, statuses=STATUS_OK),
        case("region-control", "registry", "list", "--region", CTRL, statuses=STATUS_OK),
        case("status-unknown", "registry", "list", "--status", SQL),
        case("extra-long", "registry", "list", LONG),
        *database_cases("registry", "list"),
    ],
    "registry show": [
        case("name-sql", "registry", "show", SQL, statuses=STATUS_OK | STATUS_BAD_INPUT),
        case("name-long", "registry", "show", LONG, statuses=STATUS_OK | STATUS_BAD_INPUT),
        case("name-control", "registry", "show", CTRL, statuses=STATUS_OK | STATUS_BAD_INPUT),
        case("name-blank", "registry", "show", " "),
        case("name-missing", "registry", "show"),
        *database_cases("registry", "show", REGISTERED),
    ],
    "registry due": [
        *out_cases("registry", "due", "--year", "2028", suffix=".xlsx", creates=True),
        case("out-suffix", "registry", "due", "--year", "2028", "--out", "{work}/d.docx"),
        case("year-missing", "registry", "due"),
        case("year-absurd", "registry", "due", "--year", "9" * 30),
        case("year-negative", "registry", "due", "--year", "-2028"),
        case("title-sql", "registry", "due", "--year", "2028", "--title", SQL),
        *database_cases("registry", "due", "--year", "2028"),
    ],
    "registry revoke": [
        case("name-sql", "registry", "revoke", SQL, "--title", "srdi-sme", "--reason", "撤销"),
        case("name-long", "registry", "revoke", LONG, "--title", "srdi-sme", "--reason", "撤销"),
        case("title-sql", "registry", "revoke", REGISTERED, "--title", SQL, "--reason", "撤销"),
        case(
            "title-not-held",
            "registry",
            "revoke",
            REGISTERED,
            "--title",
            "little-giant",
            "--reason",
            "撤销",
        ),
        case("reason-missing", "registry", "revoke", REGISTERED, "--title", "srdi-sme"),
        case(
            "reason-blank",
            "registry",
            "revoke",
            REGISTERED,
            "--title",
            "srdi-sme",
            "--reason",
            "  ",
        ),
        case(
            "no-evaluator",
            "registry",
            "revoke",
            REGISTERED,
            "--title",
            "srdi-sme",
            "--reason",
            "撤销",
            statuses=STATUS_OK | STATUS_BAD_INPUT,
            env={"ZJTX_EVALUATOR": None},
        ),
        case(
            "reason-long",
            "registry",
            "revoke",
            REGISTERED,
            "--title",
            "srdi-sme",
            "--reason",
            LONG,
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        *database_cases(
            "registry", "revoke", REGISTERED, "--title", "srdi-sme", "--reason", "撤销"
        ),
    ],
    "registry link": [
        case("name-sql", "registry", "link", SQL, "--uscc", USCC),
        case("name-long", "registry", "link", LONG, "--uscc", USCC),
        case("uscc-sql", "registry", "link", REGISTERED, "--uscc", SQL),
        case("uscc-long", "registry", "link", REGISTERED, "--uscc", LONG),
        case(
            "uscc-check-character",
            "registry",
            "link",
            REGISTERED,
            "--uscc",
            USCC[:-1] + ("0" if USCC[-1] != "0" else "1"),
        ),
        case("uscc-missing", "registry", "link", REGISTERED),
        *database_cases("registry", "link", REGISTERED, "--uscc", USCC),
    ],
    "registry accept": [
        case("round-sql", "registry", "accept", SQL, USCC, "--field", "holds_srdi"),
        case("round-long", "registry", "accept", LONG, USCC, "--field", "holds_srdi"),
        case("uscc-sql", "registry", "accept", ROUND, SQL, "--field", "holds_srdi"),
        case("field-sql", "registry", "accept", ROUND, USCC, "--field", SQL),
        case("field-not-a-title", "registry", "accept", ROUND, USCC, "--field", "revenue_y1"),
        case(
            "nothing-to-accept",
            "registry",
            "accept",
            ROUND,
            SAMPLES[2]["uscc"],
            "--field",
            "holds_srdi",
            statuses=STATUS_REFUSED,
        ),
        case("field-missing", "registry", "accept", ROUND, USCC),
        *database_cases("registry", "accept", ROUND, USCC, "--field", "holds_srdi"),
    ],
    "registry recognise": [
        case("round-sql", "registry", "recognise", SQL),
        case("round-long", "registry", "recognise", LONG),
        case("round-control", "registry", "recognise", CTRL),
        case("year-absurd", "registry", "recognise", ROUND, "--year", "9" * 30),
        case("valid-years-zero", "registry", "recognise", ROUND, "--valid-years", "0"),
        case(
            "batch-long",
            "registry",
            "recognise",
            ROUND,
            "--batch",
            LONG,
            statuses=STATUS_REFUSED | STATUS_OK,
        ),
        case(
            "no-evaluator",
            "registry",
            "recognise",
            ROUND,
            env={"ZJTX_EVALUATOR": None},
            statuses=STATUS_REFUSED | STATUS_OK,
        ),
        *database_cases("registry", "recognise", ROUND),
    ],
    "registry recheck": [
        case(
            "evaluator-control",
            "registry",
            "recheck",
            "--evaluator",
            CTRL,
            statuses=STATUS_REFUSED | STATUS_OK,
        ),
        case(
            "no-evaluator",
            "registry",
            "recheck",
            env={"ZJTX_EVALUATOR": None},
            statuses=STATUS_REFUSED | STATUS_OK,
        ),
        *database_cases("registry", "recheck"),
    ],
    "registry export": [
        *out_cases("registry", "export", suffix=".xlsx", creates=True),
        case("out-suffix", "registry", "export", "--out", "{work}/r.pdf"),
        case("out-missing", "registry", "export"),
        case("title-sql", "registry", "export", "--out", "{work}/r.xlsx", "--title", SQL),
        case("year-absurd", "registry", "export", "--out", "{work}/r.xlsx", "--year", "9" * 30),
        *database_cases("registry", "export", "--out", "{work}/r.xlsx"),
    ],
    "profile list": [
        case("extra-sql", "profile", "list", SQL),
        case("option-unknown", "profile", "list", "--bogus"),
        case(
            "data-dir-under-a-file",
            "profile",
            "list",
            statuses=STATUS_REFUSED | STATUS_OK,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "profile show": [
        case("name-sql", "profile", "show", SQL),
        case("name-long", "profile", "show", LONG),
        case("name-control", "profile", "show", CTRL),
        case("name-path", "profile", "show", "../../settings"),
        case("name-missing", "profile", "show"),
        case(
            "data-dir-under-a-file",
            "profile",
            "show",
            PROFILE,
            statuses=STATUS_REFUSED,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "profile export": [
        *out_cases("profile", "export", PROFILE, suffix=".json", option=None, creates=True),
        case("name-sql", "profile", "export", SQL, "{work}/p.json"),
        case("name-path", "profile", "export", "../settings", "{work}/p.json"),
        case("out-missing", "profile", "export", PROFILE),
    ],
    "profile import": [
        *file_cases("profile", "import", every=False),
        case("not-a-profile", "profile", "import", "{files}/good.json"),
        case("profile-name-path", "profile", "import", "{files}/profile-path.json"),
        case("profile-bad-overrides", "profile", "import", "{files}/profile-overrides.json"),
        case("already-saved", "profile", "import", "{files}/profile.json", statuses=STATUS_REFUSED),
        case("folder", "profile", "import", "{files}/folder"),
        case("no-file", "profile", "import"),
        case(
            "data-dir-under-a-file",
            "profile",
            "import",
            "{files}/profile-other.json",
            statuses=STATUS_REFUSED,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "profile delete": [
        case("name-sql", "profile", "delete", SQL),
        case("name-long", "profile", "delete", LONG),
        case("name-path", "profile", "delete", "../zjtx.sqlite3"),
        case("name-wildcard", "profile", "delete", "*"),
        case("name-missing", "profile", "delete"),
    ],
    "round compare": [
        case("name-sql", "round", "compare", SQL, "--rulebook", "srdi-sme-2022"),
        case("name-long", "round", "compare", LONG),
        case("rulebook-sql", "round", "compare", ROUND, "--rulebook", SQL),
        case("rulebook-long", "round", "compare", ROUND, "--rulebook", LONG),
        case("rulebook-other-tier", "round", "compare", ROUND, "--rulebook", "little-giant-2026"),
        case("overlay-control", "round", "compare", ROUND, "--overlay", CTRL),
        case("setting-sql", "round", "compare", ROUND, "--setting", f"{SQL}=true"),
        case("setting-value", "round", "compare", ROUND, "--setting", "growth_compound=maybe"),
        *database_cases("round", "compare", ROUND, "--rulebook", "srdi-sme-2022"),
    ],
    "panel add": [
        case("name-sql", "panel", "add", SQL, "--name", "王组长", "--role", "组长"),
        case("member-long", "panel", "add", ROUND, "--name", LONG, "--role", "评审专家"),
        case(
            "member-control",
            "panel",
            "add",
            ROUND,
            "--name",
            CTRL,
            "--role",
            "评审专家",
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        case("role-sql", "panel", "add", ROUND, "--name", "王组长", "--role", SQL),
        *database_cases("panel", "add", ROUND, "--name", "王组长", "--role", "组长"),
    ],
    "panel list": [
        case("name-sql", "panel", "list", SQL),
        case("name-long", "panel", "list", LONG),
        *database_cases("panel", "list", ROUND),
    ],
    "panel remove": [
        case("member-sql", "panel", "remove", ROUND, "--name", SQL, statuses=STATUS_FAILED),
        case("name-long", "panel", "remove", LONG, "--name", "王组长"),
        *database_cases("panel", "remove", ROUND, "--name", "王组长"),
    ],
    "panel rule": [
        case("rule-sql", "panel", "rule", ROUND, SQL),
        case("no-panel", "panel", "rule", ROUND, "mean", statuses=STATUS_FAILED),
        *database_cases("panel", "rule", ROUND, "mean"),
    ],
    "panel judge": [
        case(
            "uscc-sql",
            "panel",
            "judge",
            ROUND,
            SQL,
            "--member",
            "王组长",
            "--criterion",
            "SR22-B2",
            "--met",
            "yes",
        ),
        case(
            "met-sql",
            "panel",
            "judge",
            ROUND,
            USCC,
            "--member",
            "王组长",
            "--criterion",
            "SR22-B2",
            "--met",
            SQL,
        ),
        case(
            "not-a-member",
            "panel",
            "judge",
            ROUND,
            USCC,
            "--member",
            SQL,
            "--criterion",
            "SR22-B2",
            "--met",
            "yes",
            statuses=STATUS_FAILED,
        ),
        *database_cases(
            "panel",
            "judge",
            ROUND,
            USCC,
            "--member",
            "王组长",
            "--criterion",
            "SR22-B2",
            "--met",
            "yes",
        ),
    ],
    "panel recuse": [
        case("uscc-long", "panel", "recuse", ROUND, LONG, "--member", "王组长", "--reason", "亲属"),
        case(
            "not-a-member",
            "panel",
            "recuse",
            ROUND,
            USCC,
            "--member",
            SQL,
            "--reason",
            LONG,
            statuses=STATUS_REFUSED,
        ),
        *database_cases("panel", "recuse", ROUND, USCC, "--member", "王组长", "--reason", "亲属"),
    ],
    "panel unrecuse": [
        case(
            "uscc-long", "panel", "unrecuse", ROUND, LONG, "--member", "王组长", "--reason", "误录"
        ),
        case(
            "not-recused",
            "panel",
            "unrecuse",
            ROUND,
            USCC,
            "--member",
            "王组长",
            "--reason",
            CTRL,
            statuses=STATUS_REFUSED,
        ),
        *database_cases("panel", "unrecuse", ROUND, USCC, "--member", "王组长", "--reason", "误录"),
    ],
    "panel opinion": [
        case("uscc-sql", "panel", "opinion", ROUND, SQL, "--member", "王组长", "--text", "同意"),
        case(
            "not-a-member",
            "panel",
            "opinion",
            ROUND,
            USCC,
            "--member",
            CTRL,
            "--text",
            SQL,
            statuses=STATUS_FAILED,
        ),
        *database_cases("panel", "opinion", ROUND, USCC, "--member", "王组长", "--text", "同意"),
    ],
    "panel show": [
        case("uscc-sql", "panel", "show", ROUND, SQL),
        case("uscc-long", "panel", "show", ROUND, LONG),
        case("no-panel", "panel", "show", ROUND, USCC, "--json", statuses=STATUS_OK),
        *database_cases("panel", "show", ROUND, USCC),
    ],
    "panel sheet": [
        case("name-sql", "panel", "sheet", SQL, "--out", "{work}/汇总.pdf"),
        case("out-suffix", "panel", "sheet", ROUND, "--out", "{work}/汇总.docx"),
        case("out-folder", "panel", "sheet", ROUND, "--out", "{files}", statuses=STATUS_REFUSED),
        *database_cases("panel", "sheet", ROUND, "--out", "{work}/汇总.xlsx"),
    ],
    "review": [
        case("name-sql", "review", SQL, USCC, "--decision", "recommend", "--opinion", "同意"),
        case("uscc-sql", "review", ROUND, SQL, "--decision", "recommend", "--opinion", "同意"),
        case("uscc-long", "review", ROUND, LONG, "--decision", "recommend", "--opinion", "同意"),
        case("confirm-malformed", "review", ROUND, USCC, "--confirm", SQL, "--reason", "理由"),
        case(
            "confirm-unknown", "review", ROUND, USCC, "--confirm", "NO-SUCH=met", "--reason", "理由"
        ),
        case(
            "confirm-state", "review", ROUND, USCC, "--confirm", "SR22-B2=maybe", "--reason", "理由"
        ),
        case("ack-sql", "review", ROUND, USCC, "--ack-warning", SQL, "--reason", "理由"),
        case("reason-long", "review", ROUND, USCC, "--decision", "reject", "--reason", LONG),
        case(
            "opinion-long",
            "review",
            ROUND,
            USCC,
            "--decision",
            "reject",
            "--opinion",
            LONG,
            "--reason",
            "理由",
        ),
        case(
            "opinion-control",
            "review",
            ROUND,
            USCC,
            "--decision",
            "return",
            "--opinion",
            CTRL,
            statuses=STATUS_OK | STATUS_BAD_INPUT,
        ),
        case("decision-unknown", "review", ROUND, USCC, "--decision", SQL),
        case(
            "version-absurd",
            "review",
            ROUND,
            USCC,
            "--decision",
            "reject",
            "--opinion",
            "否",
            "--expect-version",
            "9" * 30,
            statuses=STATUS_BAD_INPUT | {3},
        ),
        case("version-text", "review", ROUND, USCC, "--expect-version", "一"),
        case(
            "evaluator-long",
            "review",
            ROUND,
            USCC,
            "--decision",
            "reject",
            "--opinion",
            "否",
            "--evaluator",
            LONG,
        ),
        case(
            "no-evaluator",
            "review",
            ROUND,
            USCC,
            "--decision",
            "reject",
            "--opinion",
            "否",
            env={"ZJTX_EVALUATOR": None},
        ),
        *database_cases("review", ROUND, USCC, "--decision", "reject", "--opinion", "否"),
        # zjtx review NAME --all: one decision for every applicant the filters keep.
        case("all-with-uscc", "review", ROUND, USCC, "--all", *REJECT_ALL),
        case("all-no-decision", "review", ROUND, "--all", "--opinion", "否"),
        case("all-no-opinion", "review", ROUND, "--all", "--decision", "reject"),
        case("all-confirm", "review", ROUND, "--all", *REJECT_ALL, "--confirm", "SR22-B2=met"),
        case("all-version", "review", ROUND, "--all", *REJECT_ALL, "--expect-version", "1"),
        case("all-decision-unknown", "review", ROUND, "--all", "--decision", SQL),
        case("all-verdict-sql", "review", ROUND, "--all", *REJECT_ALL, "--verdict", SQL),
        case("all-region-sql", "review", ROUND, "--all", *REJECT_ALL, "--region", SQL),
        case("all-region-control", "review", ROUND, "--all", *REJECT_ALL, "--region", CTRL),
        case("all-round-sql", "review", SQL, "--all", *REJECT_ALL),
        case("all-round-long", "review", LONG, "--all", *REJECT_ALL),
        case(
            "all-placeholder-unknown",
            "review",
            ROUND,
            "--all",
            "--decision",
            "reject",
            "--opinion",
            "{企业名称} {x'; DROP TABLE rounds;--}",
        ),
        case(
            "all-placeholder-format",
            "review",
            ROUND,
            "--all",
            "--decision",
            "reject",
            "--opinion",
            "{name!r:>{uscc}} {0} {",
        ),
        case(
            "all-opinion-long",
            "review",
            ROUND,
            "--all",
            "--decision",
            "reject",
            "--opinion",
            LONG,
            statuses=STATUS_REFUSED,
        ),
        case("all-evaluator-long", "review", ROUND, "--all", *REJECT_ALL, "--evaluator", LONG),
        case(
            "all-no-evaluator", "review", ROUND, "--all", *REJECT_ALL, env={"ZJTX_EVALUATOR": None}
        ),
        *renamed("all", database_cases("review", ROUND, "--all", *REJECT_ALL)),
        # An opinion with control characters is refused (names with them are stored as text).
        case(
            "all-opinion-control",
            "review",
            ROUND,
            "--all",
            "--decision",
            "reject",
            "--opinion",
            CTRL + "{企业名称}",
            statuses=STATUS_REFUSED,
        ),
        # Last, as they decide: every applicant, then nothing is left to decide.
        case("all-decides", "review", ROUND, "--all", *REJECT_ALL, statuses=STATUS_OK),
        case("all-nothing-left", "review", ROUND, "--all", *REJECT_ALL),
    ],
    "identity": [
        case("settings-garbage", "identity", statuses=STATUS_FAILED, data="badsettings"),
        case(
            "data-dir-under-a-file",
            "identity",
            statuses=STATUS_REFUSED | STATUS_OK,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
        case("extra-sql", "identity", "--json", SQL),
    ],
    "identity set": [
        case("name-long", "identity", "set", "--name", LONG),
        case("name-control", "identity", "set", "--name", CTRL),
        case("name-blank", "identity", "set", "--name", " "),
        case("role-sql", "identity", "set", "--name", "张三", "--role", SQL),
        case("unit-long", "identity", "set", "--name", "张三", "--unit", LONG),
        case(
            "settings-garbage",
            "identity",
            "set",
            "--name",
            "张三",
            statuses=STATUS_REFUSED | STATUS_OK,
            data="badsettings",
        ),
        case(
            "data-dir-under-a-file",
            "identity",
            "set",
            "--name",
            "张三",
            statuses=STATUS_FAILED,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
    "database show": [
        case("extra-sql", "database", "show", SQL),
        case("option-unknown", "database", "show", "--bogus"),
        *database_cases("database", "show"),
    ],
    "database backup": [
        *out_cases("database", "backup", suffix=".sqlite3", option=None, creates=True),
        case("out-is-the-database", "database", "backup", "{work}/../base/zjtx.sqlite3"),
        case("out-exists", "database", "backup", "{files}/plain.txt"),
        case("out-missing", "database", "backup"),
        *database_cases("database", "backup", "{work}/b.sqlite3"),
    ],
    "database copy": [
        *renamed(
            "target",
            [
                case(n, "database", "copy", url, statuses=STATUS_REFUSED)
                for n, url in BAD_URLS.items()
            ],
        ),
        case("target-sql", "database", "copy", SQL, statuses=STATUS_REFUSED),
        # mistyped URLs: the password must reach neither the screen nor zjtx.log
        case(
            "target-no-scheme",
            "database",
            "copy",
            f"user:{PASSWORD}@127.0.0.1:1/zjtx",
            statuses=STATUS_REFUSED,
        ),
        case(
            "target-scheme-mistyped",
            "database",
            "copy",
            f"postgresql+psycopg//user:{PASSWORD}@127.0.0.1:1/zjtx",
            statuses=STATUS_REFUSED,
        ),
        case(
            "target-password-slash",
            "database",
            "copy",
            f"user:{PASSWORD}/x@127.0.0.1:1/zjtx",
            statuses=STATUS_REFUSED,
        ),
        case("target-memory", "database", "copy", "sqlite://", statuses=STATUS_REFUSED),
        case("target-itself", "database", "copy", "sqlite:///{work}/../base/zjtx.sqlite3"),
        case("target-file-exists", "database", "copy", "sqlite:///{files}/plain.txt"),
        case(
            "target-under-a-file",
            "database",
            "copy",
            "sqlite:///{files}/plain.txt/c.sqlite3",
            statuses=STATUS_REFUSED,
        ),
        case("url-missing", "database", "copy"),
        *database_cases("database", "copy", "sqlite:///{work}/c.sqlite3"),
    ],
    "identity clear": [
        case("extra-sql", "identity", "clear", SQL),
        case(
            "data-dir-under-a-file",
            "identity",
            "clear",
            statuses=STATUS_FAILED,
            env={"ZJTX_DATA_DIR": "{files}/plain.txt/data"},
        ),
    ],
}

# Hostile cases that fail for a reason in a package this test's author may not change yet;
# each is reported strictly (an xfail that starts passing fails the run).
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def cli_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[str]:
    """Every command a user can run: each sub-parser with a handler, nested ones too."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = (*prefix, name)
                if sub.get_default("func") is not None:
                    found.add(" ".join(path))
                found |= cli_commands(sub, path)
    return found


def test_every_cli_command_has_hostile_cases():
    """A command added to zjtx.cli without a list of hostile cases here fails this test."""
    commands = cli_commands(build_parser())
    assert commands, "no sub-commands found"
    assert sorted(commands - set(HOSTILE)) == [], "commands without hostile cases"
    assert sorted(set(HOSTILE) - commands) == [], "hostile cases for commands that do not exist"


# ---------------------------------------------------------------------------- hostile inputs


def _record(**changes) -> dict:
    return {**SAMPLES[1], **changes}


def _write_xlsx_by_hand(path: Path, rows_xml: str | Iterable[bytes]) -> None:
    """A one-sheet .xlsx whose sheetData is ROWS_XML (for cells no writer library puts there)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="名单" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet {ns}><sheetData>'.encode())
            chunks = [rows_xml.encode()] if isinstance(rows_xml, str) else rows_xml
            for chunk in chunks:  # a bomb's rows are streamed, never held whole
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def make_hostile_files(folder: Path) -> None:
    """Every hostile input file the cases name, written fresh into FOLDER."""
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(SAMPLES[:3], ensure_ascii=False), "utf-8")
    (folder / "plain.txt").write_text("一个普通文件\n", "utf-8")
    for name in ("empty.json", "empty.xlsx", "empty.csv"):
        (folder / name).write_bytes(b"")
    (folder / "text.xlsx").write_text("企业名称,统一社会信用代码\n甲公司,123\n", "utf-8")

    roster = openpyxl.Workbook()
    sheet = roster.active
    sheet.append(["企业名称", "统一社会信用代码", "营业收入（万元）"])
    sheet.append([SAMPLES[0]["name"], SAMPLES[0]["uscc"], 12000])
    roster.save(folder / "roster.xlsx")
    whole = (folder / "roster.xlsx").read_bytes()
    (folder / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])

    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "nan.json").write_text(
        json.dumps([_record(revenue_y1=float("nan"))], ensure_ascii=False), "utf-8"
    )
    absurd = json.dumps([_record(revenue_y1=0, employees_y1=0, total_assets_y1=0)])
    absurd = absurd.replace('"revenue_y1": 0', '"revenue_y1": ' + "9" * 5000)
    absurd = absurd.replace('"employees_y1": 0', '"employees_y1": 1e1000000')
    absurd = absurd.replace('"total_assets_y1": 0', '"total_assets_y1": 1e5000000')
    (folder / "absurd.json").write_text(absurd, "utf-8")
    (folder / "nul.json").write_text(
        json.dumps([_record(name="正常企业\u0000有限公司")], ensure_ascii=False), "utf-8"
    )
    (folder / "long.json").write_text(
        json.dumps([_record(name="长" * 10_000), SAMPLES[2]], ensure_ascii=False), "utf-8"
    )
    (folder / "sql.json").write_text(
        json.dumps([_record(name=SQL), _record(**{**SAMPLES[2], "name": "'; --"})]), "utf-8"
    )
    (folder / "control.csv").write_text(
        f"企业名称,统一社会信用代码\n正常企业\x01有限公司,{SAMPLES[1]['uscc']}\n"
        f"\x1b[31m红色企业,{SAMPLES[2]['uscc']}\n",
        "utf-8",
    )
    _write_xlsx_by_hand(
        folder / "far.xlsx",
        '<row r="1">' + _inline("A1", "企业名称") + _inline("B1", "统一社会信用代码") + "</row>"
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"
    _write_xlsx_by_hand(folder / "bomb.xlsx", (row for _ in range(12_000)))
    hostile = folder / "folder"
    hostile.mkdir()
    for name in ("empty.xlsx", "text.xlsx", "deep.json", "truncated.xlsx"):
        shutil.copy(folder / name, hostile / name)
    # A district's sub-folder without permission (root reads it all the same) and a link to a
    # share that is not mounted.
    locked = hostile / "仓山区"
    locked.mkdir()
    shutil.copy(folder / "text.xlsx", locked / "text.xlsx")
    locked.chmod(0)
    with contextlib.suppress(OSError):  # Windows without the right to make links
        (hostile / "快捷方式.xlsx").symlink_to(folder / "未挂载" / "申报表.xlsx")
    for name in ("folder.xlsx", "folder.pdf", "folder.docx", "folder.json", "folder.sqlite3"):
        (folder / name).mkdir()
    profile = {
        "format": "zjtx-mapping-profile",
        "name": PROFILE,
        "fingerprint": "0" * 20,
        "overrides": [{"column": "C", "field": "revenue_y1", "year": 2025, "unit": "万元"}],
    }
    for name, changes in {
        "profile.json": {},
        "profile-other.json": {"name": "另一对应关系", "fingerprint": "1" * 20},
        "profile-path.json": {"name": "../../zjtx.sqlite3", "fingerprint": "2" * 20},
        "profile-overrides.json": {"name": "坏对应", "fingerprint": "3" * 20, "overrides": 7},
    }.items():
        (folder / name).write_text(json.dumps({**profile, **changes}, ensure_ascii=False), "utf-8")


# ----------------------------------------------------------------------------- running cases

DRIVER = r"""
import io, json, os, sys, traceback
from zjtx.cli import main

cases = json.loads(open(sys.argv[1], encoding="utf-8").read())
results = []
real_out, real_err = sys.stdout, sys.stderr
for case in cases:
    saved = dict(os.environ)
    for key, value in case["env"].items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    os.chdir(case["cwd"])
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    try:
        status = main(case["argv"])
    except SystemExit as exc:  # argparse, or a handler's own exit
        if isinstance(exc.code, str):
            err.write(exc.code + "\n")
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # what the interpreter would print before exiting 1
        traceback.print_exc(file=err)
        status = 1
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        os.environ.clear()
        os.environ.update(saved)
    results.append({"name": case["name"], "status": status,
                    "stdout": out.getvalue(), "stderr": err.getvalue()})
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(results, handle, ensure_ascii=False)
"""


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str


@dataclass
class Group:
    """One command's run: each case's outcome and the state of its databases afterwards."""

    outcomes: dict[str, Outcome]
    integrity: str
    audit_before: int
    audit_after: int
    damaged_changed: list[str]
    data_root: Path


def _base_env(data: Path, files: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ZJTX_", "PYTEST_", "COV_"))
    }
    env.update(
        ZJTX_DATA_DIR=str(data),
        ZJTX_EVALUATOR="测试评审",
        PYTHONPATH=str(REPO),
        PGPASSFILE=str(files / "pgpass"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
        PYTHONIOENCODING="utf-8",
    )
    return env


def _zjtx(env: dict[str, str], *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zjtx", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def _audit_rows(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM audit_events").fetchone()[0]


def _integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _fill(text: str, files: Path, work: Path) -> str:
    return text.replace("{files}", str(files)).replace("{work}", str(work))


@dataclass
class Prepared:
    """One command's cases made runnable: fresh copies of the data folders, the cases for the
    shared driver and those that need a process of their own, and the state before."""

    command: str
    data: dict[str, Path]
    shared: list[dict]
    isolated: list[dict]
    audit_before: int
    damaged_before: dict[str, bytes]


def prepare_group(command: str, root: Path, files: Path, bases: dict[str, Path]) -> Prepared:
    home = root / command.replace(" ", "-")
    work = home / "work"
    work.mkdir(parents=True)
    data = {kind: shutil.copytree(base, home / kind) for kind, base in bases.items()}

    def prepared(c: Case) -> dict:
        env = {"ZJTX_DATA_DIR": str(data[c.data])}
        env.update({k: None if v is None else _fill(v, files, work) for k, v in c.env.items()})
        return {
            "name": f"{command}\t{c.name}",
            "argv": [_fill(a, files, work) for a in c.argv],
            "env": env,
            "cwd": str(work),
        }

    return Prepared(
        command=command,
        data=data,
        shared=[prepared(c) for c in HOSTILE[command] if not c.isolated],
        isolated=[prepared(c) for c in HOSTILE[command] if c.isolated],
        audit_before=_audit_rows(data["base"] / "zjtx.sqlite3"),
        damaged_before={k: (data[k] / "zjtx.sqlite3").read_bytes() for k in ("damaged", "garbage")},
    )


def run_driver(cases: list[dict], folder: Path, env: dict[str, str]) -> dict[str, Outcome]:
    """CASES run one after another in one process through zjtx.cli.main (see DRIVER)."""
    folder.mkdir()
    cases_file, results_file = folder / "cases.json", folder / "results.json"
    cases_file.write_text(json.dumps(cases, ensure_ascii=False), "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(cases_file), str(results_file)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=folder,
        check=False,
        timeout=600,
    )
    results = json.loads(results_file.read_text("utf-8")) if results_file.exists() else []
    outcomes = {r["name"]: Outcome(r["status"], r["stdout"], r["stderr"]) for r in results}
    if len(results) < len(cases):  # the driver died on this case; the rest did not run
        outcomes[cases[len(results)]["name"]] = Outcome(done.returncode, done.stdout, done.stderr)
    return outcomes


def run_alone(case: dict, env: dict[str, str]) -> dict[str, Outcome]:
    """One case as a user runs it: `python -m zjtx`, in a process under a memory limit."""
    case_env = {**env}
    for key, value in case["env"].items():
        if value is None:
            case_env.pop(key, None)
        else:
            case_env[key] = value
    done = subprocess.run(
        [sys.executable, "-m", "zjtx", *case["argv"]],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=case_env,
        cwd=case["cwd"],
        check=False,
        timeout=300,
        preexec_fn=_limit_memory,
    )
    return {case["name"]: Outcome(done.returncode, done.stdout, done.stderr)}


def finish_group(group: Prepared, outcomes: dict[str, Outcome]) -> Group:
    database = group.data["base"] / "zjtx.sqlite3"
    prefix = f"{group.command}\t"
    return Group(
        outcomes={k.removeprefix(prefix): o for k, o in outcomes.items() if k.startswith(prefix)},
        integrity=_integrity(database),
        audit_before=group.audit_before,
        audit_after=_audit_rows(database),
        damaged_changed=[
            kind
            for kind, before in group.damaged_before.items()
            if (group.data[kind] / "zjtx.sqlite3").read_bytes() != before
        ],
        data_root=group.data["base"].parents[1],
    )


def run_everything(root: Path, files: Path, bases: dict[str, Path]) -> dict[str, Group]:
    """Every command's cases: the shared ones in two driver processes running side by side
    (commands dealt to them by size), then each isolated case in a process of its own."""
    groups = [prepare_group(c, root, files, bases) for c in HOSTILE]
    batches: list[list[dict]] = [[], []]
    for group in sorted(groups, key=lambda g: -len(g.shared)):
        min(batches, key=len).extend(group.shared)
    env = _base_env(bases["base"], files)
    outcomes: dict[str, Outcome] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(run_driver, batch, root / f"driver{n}", env)
            for n, batch in enumerate(batches)
        ]
        futures += [pool.submit(run_alone, c, env) for g in groups for c in g.isolated]
        for future in futures:
            outcomes.update(future.result())
    return {group.command: finish_group(group, outcomes) for group in groups}


def make_bases(root: Path, files: Path) -> dict[str, Path]:
    """The data folders cases start from: a round with 3 applicants, the same file damaged in
    the middle, a file that is no database, and a settings.json that is no JSON."""
    base = root / "base"
    env = _base_env(base, files)
    for argv in (
        ("round", "create", ROUND, "--tier", "srdi-sme", "--date", "2026-06-01"),
        ("round", "import", ROUND, str(files / "good.json")),
        ("registry", "import", str(files / "roster.xlsx"), *REGISTER),
        ("profile", "import", str(files / "profile.json")),
    ):
        done = _zjtx(env, *argv, cwd=root)
        assert done.returncode == 0, done.stderr
    damaged = shutil.copytree(base, root / "damaged")
    database = damaged / "zjtx.sqlite3"
    raw = bytearray(database.read_bytes())
    page = 4096
    middle = len(raw) // page // 2 * page
    raw[middle : middle + 3 * page] = os.urandom(3 * page)  # three pages of noise
    database.write_bytes(bytes(raw))
    garbage = shutil.copytree(base, root / "garbage")
    (garbage / "zjtx.sqlite3").write_bytes(b"this is not a database\n" * 500)
    badsettings = shutil.copytree(base, root / "badsettings")
    (badsettings / "settings.json").write_text('{"identity": [[[', "utf-8")
    return {"base": base, "damaged": damaged, "garbage": garbage, "badsettings": badsettings}


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory) -> dict[str, Group]:
    """Every command's hostile cases, run once for the tests below."""
    root = tmp_path_factory.mktemp("hostile")
    files = root / "files"
    make_hostile_files(files)
    return run_everything(root, files, make_bases(root, files))


CASES = [
    pytest.param(
        command,
        c.name,
        id=f"{command.replace(' ', '-')}-{c.name}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[(command, c.name)])]
        if (command, c.name) in KNOWN_FAILURES
        else [],
    )
    for command, cases in HOSTILE.items()
    for c in cases
]


@pytest.mark.parametrize(("command", "case_name"), CASES)
def test_hostile_case_ends_in_one_chinese_message(hostile_runs, command, case_name):
    """The case exits 0, 1 or 2 as expected, without a traceback, with a Chinese message, and
    never shows a database password."""
    expected = next(c for c in HOSTILE[command] if c.name == case_name)
    outcome = hostile_runs[command].outcomes.get(case_name)
    assert outcome is not None, "not run: the driver process died on an earlier case"
    shown = outcome.stdout + outcome.stderr
    detail = (
        f"status {outcome.status}\nstderr: {outcome.stderr[-3000:]}\nstdout: {outcome.stdout[:500]}"
    )
    assert "Traceback" not in outcome.stderr, detail
    assert SAFETY_NET not in outcome.stderr, detail
    assert outcome.status in expected.statuses, detail
    message = outcome.stderr if outcome.status == 2 or outcome.stderr.strip() else outcome.stdout
    assert CJK.search(message), detail
    assert PASSWORD not in shown, detail


@pytest.mark.parametrize("command", list(HOSTILE))
def test_database_intact_after_hostile_cases(hostile_runs, command):
    """After a command's hostile cases the SQLite file passes integrity_check, the audit trail
    lost no row, and a damaged database was left as it was found."""
    group = hostile_runs[command]
    assert group.integrity == "ok"
    assert group.audit_after >= group.audit_before
    assert group.damaged_changed == []


def test_driver_reports_what_the_interpreter_would(tmp_path):
    """The in-process driver turns an uncaught exception into a traceback on stderr and exit
    status 1, as `python -m zjtx` would (so the cases above can fail)."""
    cases = tmp_path / "cases.json"
    results = tmp_path / "results.json"
    cases.write_text(
        json.dumps([{"name": "x", "argv": ["round", "list"], "env": {}, "cwd": str(tmp_path)}]),
        "utf-8",
    )
    broken = DRIVER.replace('status = main(case["argv"])', "status = main(None + 1)")
    done = subprocess.run(
        [sys.executable, "-c", broken, str(cases), str(results)],
        env=_base_env(tmp_path / "data", tmp_path),
        check=False,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(results.read_text("utf-8"))
    assert result["status"] == 1 and "Traceback" in result["stderr"]


def test_failures_are_logged_in_the_data_folder_without_the_password(hostile_runs):
    """A damaged database is explained in zjtx.log beside it, and no log holds a password."""
    root = next(iter(hostile_runs.values())).data_root
    damaged_log = root / "round-list" / "damaged" / "zjtx.log"
    logged = damaged_log.read_text("utf-8")
    assert "完整性检查失败" in logged and "已损坏" in logged
    logs = list(root.rglob("zjtx.log"))
    assert len(logs) > 10
    assert all(PASSWORD not in log.read_text("utf-8") for log in logs)


def test_a_defect_ends_in_one_chinese_line_and_its_traceback_in_the_log(
    monkeypatch, capsys, tmp_path
):
    """An exception no command foresaw: exit 1, one Chinese line naming the log, and the
    traceback in zjtx.log, not on the terminal."""
    import zjtx.commands.scoring
    from zjtx.cli import main

    def broken(args):
        raise KeyError("内部状态")

    monkeypatch.setenv("ZJTX_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(zjtx.commands.scoring, "cmd_fields", broken)
    assert main(["fields"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and SAFETY_NET in err and str(tmp_path / "zjtx.log") in err
    logged = (tmp_path / "zjtx.log").read_text("utf-8")
    assert "Traceback" in logged and "KeyError" in logged


# ------------------------------------------------------- folders not read in full (issue 22)


def _district_folders(root: Path) -> Path:
    """区县材料 with a sub-folder per district: 鼓楼区 (a roster of 2) and 仓山区 (a roster of 1)."""
    from tests.intake.helpers import CODE_A, CODE_B, CODE_C, write_xlsx

    top = root / "区县材料"
    for district, rows in (
        ("鼓楼区", [["甲公司", CODE_A, 5000], ["乙公司", CODE_B, 6000]]),
        ("仓山区", [["丙公司", CODE_C, 7000]]),
    ):
        (top / district).mkdir(parents=True)
        header = ["企业名称", "统一社会信用代码", "2025年营业收入（万元）"]
        write_xlsx(top / district / "名单.xlsx", [header, *rows])
    return top


def _refuse_listing(monkeypatch, locked: Path) -> None:
    """os.scandir refuses LOCKED as a folder without permission does (root is never refused)."""
    real = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_sub_folder_is_an_error_of_check_and_round_import(
    tmp_path, monkeypatch, capsys
):
    """A district's sub-folder the system will not list is an error naming it, in Chinese, for
    zjtx check and zjtx round import (exit 1): the other district is still read."""
    from zjtx.cli import main

    top = _district_folders(tmp_path)
    _refuse_listing(monkeypatch, top / "仓山区")
    assert main(["check", str(top), "--year", "2026"]) == 1
    out = capsys.readouterr().out
    assert "folder-unreadable" in out and "区县材料/仓山区：无法读取文件夹：没有权限打开" in out
    assert "区县材料/鼓楼区/名单.xlsx：数据行 2，导入 2" in out
    assert "没有发现问题" not in out and "Traceback" not in out
    assert main(["round", "create", "区县批次", "--tier", "srdi-sme", "--date", "2026-06-01"]) == 0
    capsys.readouterr()
    assert main(["round", "import", "区县批次", str(top)]) == 1
    out = capsys.readouterr().out
    assert "区县材料/仓山区：无法读取文件夹：没有权限打开" in out and "新增企业 2" in out


def test_an_unreadable_folder_is_not_called_empty(tmp_path, monkeypatch, capsys):
    """The folder given, unreadable, says it cannot be read, not that it holds no files."""
    from zjtx.cli import main

    top = _district_folders(tmp_path)
    _refuse_listing(monkeypatch, top)
    assert main(["check", str(top), "--year", "2026", "--json"]) == 1
    issues = json.loads(capsys.readouterr().out)["issues"]
    assert [(i["code"], i["severity"], i["file"]) for i in issues] == [
        ("folder-unreadable", "error", "区县材料")
    ]
    assert "没有权限打开" in issues[0]["message"]


def test_a_sub_folder_without_permission_for_real(tmp_path):
    """chmod 000 on a district's sub-folder, as a share without rights: zjtx check names it
    (as root, run without the capability that overrides permissions)."""
    top = _district_folders(tmp_path)
    command = [sys.executable, "-m", "zjtx", "check", str(top), "--year", "2026"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root reads any folder, and setpriv is missing to drop that right")
        drop = "-dac_override,-dac_read_search"
        command = [setpriv, "--bounding-set", drop, "--inh-caps", drop, "--", *command]
    elif os.name == "nt":
        pytest.skip("chmod does not take away the right to list a folder on Windows")
    locked = top / "仓山区"
    locked.chmod(0)
    try:
        env = {**os.environ, "ZJTX_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "区县材料/仓山区：无法读取文件夹：没有权限打开" in done.stdout
    assert "Traceback" not in done.stderr


def test_links_in_a_folder_are_named(tmp_path, capsys):
    """A link to a file that is not there is an error naming it and its target; a link to a
    folder and a Windows shortcut (.lnk) are warnings that their files were not read."""
    from zjtx.cli import main

    top = _district_folders(tmp_path)
    (tmp_path / "别处").mkdir()
    try:
        (top / "快捷方式.xlsx").symlink_to(tmp_path / "未挂载" / "申报表.xlsx")
        (top / "别处的材料").symlink_to(tmp_path / "别处", target_is_directory=True)
    except OSError:
        pytest.skip("this system does not let the test make links")
    (top / "台江区.lnk").write_bytes(b"L\x00\x00\x00")
    assert main(["check", str(top), "--year", "2026", "--json"]) == 1
    issues = {i["file"]: i for i in json.loads(capsys.readouterr().out)["issues"]}
    broken = issues["区县材料/快捷方式.xlsx"]
    assert (broken["code"], broken["severity"]) == ("link-broken", "error")
    assert "未挂载" in broken["message"] and "不存在或无法访问" in broken["message"]
    for name in ("区县材料/别处的材料", "区县材料/台江区.lnk"):
        assert (issues[name]["code"], issues[name]["severity"]) == ("link-not-followed", "warning")


@pytest.mark.parametrize("module", ["zjtx", "zjtx.cli"])
def test_a_usage_error_reads_the_same_whichever_module_is_run(tmp_path, module):
    """`python -m zjtx.cli` (cli.py as __main__) says a usage error plainly with exit 2, as
    `python -m zjtx` and the zjtx command do, not “程序遇到未预期的错误” with exit 1."""
    env = {**os.environ, "ZJTX_DATA_DIR": str(tmp_path / "data")}
    env.pop("ZJTX_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", module, "score", str(tmp_path / "无此文件.json"),
         "--tier", "innovative-sme", "--date", "2026-07-01"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("zjtx: 错误：找不到输入文件") and "未预期" not in done.stderr
