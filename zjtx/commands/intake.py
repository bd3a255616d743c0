"""`zjtx check` (import files through the data-quality gate) and `zjtx template`."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from zjtx.domain.applicant import Applicant
from zjtx.domain.issues import SEVERITY_LABELS


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check",
        help="检查申报数据文件（.xlsx/.xls/.csv/.json、Word 申请书 .docx 或文件夹），列出所有问题",
        description="按数据质量规则读取申报文件：错误使该企业不能导入，警告须在评审时说明理由。"
        "有错误时退出码为 1。",
    )
    check.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER", help="文件或文件夹")
    check.add_argument(
        "--year",
        type=int,
        default=None,
        help="批次年度（默认今年）：2026 年度批次中 2025年 的数据是“上年度”",
    )
    add_round_options(check, "读取")
    add_map_option(check)
    add_reading_option(check)
    check.add_argument(
        "--save-profile",
        metavar="名称",
        default=None,
        help="把 --map 的更正保存为对应关系（按表头识别）：同样表头的文件此后自动按它读取",
    )
    check.add_argument("--json", action="store_true", help="输出 JSON（企业、问题、汇总）")
    check.set_defaults(func=run_check)

    template = subparsers.add_parser(
        "template",
        help="生成申报名单或申报表的 Excel 模板",
        description="按字段目录生成带下拉列表、数值校验、批注和填表说明的模板。",
    )
    template.add_argument("kind", choices=("roster", "form"), help="roster 名单；form 单户申报表")
    which = template.add_mutually_exclusive_group()
    which.add_argument("--year", type=int, default=None, help="批次年度（默认今年）")
    which.add_argument(
        "--round",
        metavar="批次",
        default=None,
        help="按该批次生成：年度取批次日期，问题按该批次适用的评价标准和通知的表述",
    )
    add_round_options(template, "提问")
    template.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    template.set_defaults(func=run_template)


def _year(value: int | None) -> int:
    from zjtx.cli import UsageError

    year = value if value is not None else date.today().year
    if not 2000 <= year <= 2100:
        raise UsageError(f"批次年度 {year} 不合理：请写 4 位年份，如 --year 2026")
    return year


def add_round_options(parser: argparse.ArgumentParser, verb: str) -> None:
    """``--tier`` and ``--date``: the questions as a round of that tier and date asks them."""
    parser.add_argument(
        "--tier",
        default=None,
        help=f"层级（如 srdi-sme）：按该层级批次适用的评价标准和通知的表述{verb}（如 2026-04-01 起"
        "的“近三年发生较大生产安全事故…”）；不指定时按字段目录，各版表述都认",
    )
    parser.add_argument(
        "--date",
        default=None,
        help="批次日期 YYYY-MM-DD（与 --tier 一起选用评价标准；其年份为批次年度，默认今天）",
    )


def round_questions(args: argparse.Namespace) -> tuple[int, Any, str, date | None]:
    """The round year, and the field catalogue a check reads with or a template asks with:
    with --tier, that of the tier's rounds on --date (what a round of that tier and date reads
    with); without, None (the bundled catalogue, which takes every version's wording). And
    how to name the round in a message, and the round's date with --tier (today's without
    --date), else None."""
    from zjtx.cli import UsageError
    from zjtx.commands.scoring import _parse_date, scoring_catalogue
    from zjtx.scoring import TIERS, UnknownNameError

    day = _parse_date(args.date) if args.date else None
    if day is not None and args.year is not None and args.year != day.year:
        raise UsageError(f"--year {args.year} 与 --date {args.date} 的年份不同，请只给出其一")
    year = day.year if day is not None else _year(args.year)
    if args.tier is None:
        return year, None, f"{year}年度批次", None
    if args.tier not in TIERS:
        raise UsageError(str(UnknownNameError("层级", args.tier, TIERS)))
    if day is None:
        if year != date.today().year:
            raise UsageError(
                f"按层级 {args.tier} 的问法须用 --date 给出 {year}年的批次日期"
                "（评价标准和通知按批次日期选用，如 --date 2026-06-15）"
            )
        day = date.today()
    catalogue = scoring_catalogue(day, args.tier, None, None)
    return year, catalogue, f"{TIERS[args.tier]} {day.isoformat()} 批次的问法", day


def check_ip_definitions(tier: str | None, day: date | None) -> Any:
    """With a tier, the definitions of Ⅰ类 of the rulebooks that tier's rounds use on ``day``
    (round_questions') for 新申报 and 复核, which `zjtx check` counts IP lists under; None
    without (the year's, said in the count's note)."""
    if tier is None or day is None:
        return None
    from zjtx.cli import UsageError
    from zjtx.intake.ip_count import round_ip_definitions
    from zjtx.scoring import TIERS

    definitions = round_ip_definitions(tier, day, None)
    if definitions is None:
        raise UsageError(f"{TIERS[tier]}在 {day.isoformat()} 的批次没有适用的评价标准")
    return definitions


def json_value(value: Any) -> Any:
    """A catalogue value for JSON: exact numbers (text when a float would change them)."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def applicant_dict(applicant: Applicant) -> dict[str, Any]:
    return {key: json_value(value) for key, value in applicant.values.items() if value is not None}


def provenance_dict(applicant: Applicant) -> dict[str, Any]:
    """File, sheet or Word table, cell, raw text (and year rule) of each value."""
    out = {}
    for key, where in applicant.provenance.items():
        item = {"file": where.file, "sheet": where.sheet, "cell": where.cell, "raw": where.raw}
        if where.rule:
            item["rule"] = where.rule
        out[key] = item
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def add_map_option(parser: argparse.ArgumentParser) -> None:
    """``--map``: the evaluator's corrections of roster columns, as in the import wizard."""
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="[文件!]列=字段[@年度][:单位]",
        help="更正名单某列的对应字段（可多次）：如 D=营业收入@2025:元、“销售额（元）=revenue_y1”、"
        "H=ignore（忽略此列）",
    )


def add_reading_option(parser: argparse.ArgumentParser) -> None:
    """``--reading``: read workbooks as one enterprise's application or as rosters."""
    parser.add_argument(
        "--reading",
        action="append",
        default=[],
        metavar="[文件=]form|roster",
        help="工作簿的读法（可多次）：form 各工作表是一家企业申报材料的各部分，roster 名单（每行"
        "一家企业）；如 --reading form 或 --reading 申报材料.xlsx=form；默认按工作表自动判断",
    )


def reading_choices(args: argparse.Namespace) -> dict[str | None, str]:
    """The --reading choices by file name (None: every file); a bad one is a usage error."""
    from zjtx.cli import UsageError

    choices: dict[str | None, str] = {}
    for text in getattr(args, "reading", []):
        file, _, value = text.rpartition("=")
        value = value.strip().lower()
        if value not in ("form", "roster"):
            raise UsageError(
                f"--reading “{text}”：读法只能是 form（一家企业的申报材料）或 roster（名单）"
            )
        choices[file.strip() or None] = value
    return choices


def map_overrides(args: argparse.Namespace) -> list:
    """The parsed --map corrections; a malformed one is a usage error naming it."""
    from zjtx.cli import UsageError
    from zjtx.intake import ColumnOverride, MappingError

    try:
        return [ColumnOverride.parse(text) for text in args.map]
    except MappingError as exc:
        raise UsageError(f"--map {exc}") from None


def run_check(args: argparse.Namespace) -> int:
    from zjtx.cli import UsageError
    from zjtx.commands import path_exists
    from zjtx.intake import MappingError, read_applicants
    from zjtx.store.errors import StoreError
    from zjtx.store.profiles import open_profile_book

    year, catalogue, _which, day = round_questions(args)
    definitions = check_ip_definitions(args.tier, day)
    for given in args.paths:
        if not path_exists(given):
            raise UsageError(f"找不到文件或文件夹“{given}”")
    overrides = map_overrides(args)
    try:
        # The shared database's profiles with PostgreSQL, the data folder's with SQLite.
        with open_profile_book() as profiles:
            try:
                result = read_applicants(
                    args.paths,
                    year,
                    catalogue=catalogue,
                    mapping_overrides=overrides,
                    readings=reading_choices(args),
                    profiles=profiles,
                    ip_definitions=definitions,
                )
            except MappingError as exc:
                raise UsageError(f"--map：{exc}") from None
            if args.save_profile is not None:
                _save_profile(args.save_profile, overrides, result, profiles)
    except StoreError as exc:
        print(f"zjtx: {exc}", file=sys.stderr)
        return 1
    if catalogue is None:
        # Every version's wording was read: say which answers a round of the year would not.
        from zjtx.intake.wording import flag_other_wordings

        flag_other_wordings(result, year)
    if args.json:
        payload = {
            "applicants": [applicant_dict(a) for a in result.applicants],
            # Where each value was read, in the order of "applicants" (rule: how a 近一年…
            # column was given its year).
            "provenance": [provenance_dict(a) for a in result.applicants],
            "issues": [issue.to_dict() for issue in result.issues],
            "summary": result.summary,
            "column_mapping": {
                f.display_name: [m.to_dict() for m in f.column_mapping] for f in result.files
            },
            # Which reading each workbook was given (form: one enterprise; roster) and why.
            "readings": {
                f.display_name: {"reading": f.reading, "why": f.reading_note, "profile": f.profile}
                for f in result.files
                if f.reading
            },
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(result)
    return 1 if result.has_errors else 0


def _save_profile(name: str, overrides: list, result: Any, profiles: Any) -> None:
    """Save the --map corrections under ``name`` in ``profiles``, keyed by the corrected
    roster's header."""
    from zjtx.cli import UsageError
    from zjtx.files import OutputWriteError
    from zjtx.intake.profiles import ProfileError, profile_from_overrides

    rosters = [f for f in result.files if f.fingerprints]
    if not overrides or len(rosters) != 1 or len(rosters[0].fingerprints) != 1:
        raise UsageError(
            "--save-profile 须与 --map 一起用于一个只有一张名单工作表的文件"
            "（对应关系按这张表的表头识别）"
        )
    file = rosters[0]
    fingerprint = next(iter(file.fingerprints.values()))
    try:
        profile = profile_from_overrides(
            name, fingerprint, overrides, sample_file=file.display_name, created_by=_evaluator()
        )
        profiles.save(profile)
    except ProfileError as exc:
        raise UsageError(f"--save-profile：{exc}") from None
    except OutputWriteError as exc:
        print(str(exc), file=sys.stderr)
        return
    print(
        f"已保存对应关系“{name}”到{profiles.where}：同样表头的文件此后自动按它读取",
        file=sys.stderr,
    )


def _evaluator() -> str:
    """Who saves a profile: the evaluator when known, never the operating-system account."""
    from zjtx.store.identity import is_system_account, record_evaluator

    name = record_evaluator()
    return "" if is_system_account(name) else name


def _print_table(result: Any) -> None:
    issues = result.issues
    if issues:
        rows = [
            (
                SEVERITY_LABELS[issue.severity],
                issue.location(),
                issue.field or "",
                issue.code,
                issue.message,
            )
            for issue in issues
        ]
        headers = ("级别", "位置", "字段", "代码", "说明")
        widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(headers[:4])]
        widths = [min(w, 48) for w in widths]
        print("  ".join(_pad(h, w) for h, w in zip(headers[:4], widths, strict=True)) + "  说明")
        for row in rows:
            print(
                "  ".join(_pad(c, w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
            )
        print()
    else:
        print("没有发现问题。")
    total = result.summary["total"]
    for summary in result.summary["files"]:
        print(
            f"{summary['file']}：数据行 {summary['rows_total']}，导入 {summary['rows_imported']}，"
            f"拦截 {summary['rows_blocked']}，空行/跳过 {summary['rows_blank']}；"
            f"错误 {summary['errors']}，警告 {summary['warnings']}"
        )
    if len(result.summary["files"]) > 1:
        print(
            f"合计 {total['files']} 个文件：数据行 {total['rows_total']}，"
            f"导入 {total['rows_imported']}，"
            f"拦截 {total['rows_blocked']}，空行/跳过 {total['rows_blank']}；"
            f"错误 {total['errors']}，警告 {total['warnings']}"
        )


def _say_other_wordings(year: int) -> None:
    """A template in the catalogue's wording for a year some rounds of which ask a question in
    other words (2026-04-01 起 the incidents question): say which, and how to ask theirs."""
    from zjtx.intake.wording import describe_rounds, other_askings

    lines = [
        f"{describe_rounds(group, year)}批次问“{label}”"
        for (_key, label), group in other_askings(year).items()
    ]
    if lines:
        print(
            "zjtx: 注意：模板按字段目录的表述提问，而" + "；".join(lines)
            + "：按这些批次的问法生成模板请加 --tier 和 --date（或 --round）",
            file=sys.stderr,
        )  # fmt: skip


def run_template(args: argparse.Namespace) -> int:
    from zjtx.cli import UsageError
    from zjtx.commands.reports import write_failed
    from zjtx.intake.templates import SUBJECT, write_form_template, write_roster_template
    from zjtx.scoring.catalogue import load_catalogue

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"模板只能保存为 .xlsx 文件：“{out}”")
    subject = SUBJECT
    if args.round is not None:
        from zjtx.commands.rounds import _service

        if args.tier is not None or args.date is not None:
            raise UsageError("--round 已决定层级和日期，不能再给 --tier 或 --date")
        with _service() as service:
            year = service.get_round(args.round).round_date.year
            catalogue, subject = service.round_template(args.round)
        which = f"批次 “{args.round}”，{year}年度"
    else:
        year, asked, which, day = round_questions(args)
        catalogue = load_catalogue() if asked is None else asked
        if asked is None:
            _say_other_wordings(year)
        else:  # a tier's: what its rulebooks read, titled for it
            from zjtx.scoring.fields_asked import tier_template

            catalogue, subject = tier_template(catalogue, args.tier, day)
    write = write_roster_template if args.kind == "roster" else write_form_template
    try:
        write(out, catalogue, year, subject=subject)
    except OSError as exc:  # a full disk, a folder that is a file ...: why, exit status 1
        return write_failed(out, exc)
    print(f"已生成{'申报名单' if args.kind == 'roster' else '申报表'}模板：{out}（{which}）")
    return 0
