"""`zjtx report`, `zjtx summary`, `zjtx publicity` and `zjtx results`: printed outputs."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from zjtx.cli import OperationFailed, UsageError
from zjtx.commands import path_exists
from zjtx.commands.scoring import score_inputs
from zjtx.commands.textout import end_progress_line, progress_printer, stage
from zjtx.domain.results import Evaluation
from zjtx.export.fonts import describe_characters
from zjtx.export.sources import catalogue_of, document_number
from zjtx.export.summary import ApplicantOutcome, reports_warning
from zjtx.scoring import (
    TIERS,
    Cancelled,
)
from zjtx.scoring.errors import did_you_mean

# What a 统一社会信用代码 looks like when written where a name could be: 18 letters and digits.
_CODE = re.compile(r"[0-9A-Za-z]{18}")

if TYPE_CHECKING:
    from zjtx.export.report_model import AssessmentReport


def _add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT_OR_ROUND",
        help="申报数据（JSON 文件、表格文件或文件夹，须同时给出 --rulebook 或 --tier），"
        "或数据库中的一个批次名称（含评审决定、意见与确认）",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--rulebook", help="评价标准 id（见 zjtx rulebooks）")
    which.add_argument("--tier", help=f"层级：{', '.join(TIERS)}")
    parser.add_argument("--date", help="批次日期 YYYY-MM-DD（默认今天；其年份为评价年度）")
    parser.add_argument("--overlay", help="省级规则 id（如 shandong-2022）")
    parser.add_argument(
        "--setting", action="append", default=[], metavar="NAME=true|false", help="批次设置"
    )
    parser.add_argument("--round-name", help="批次名称，印在表头（默认按批次日期）")
    parser.add_argument(
        "--made-at",
        metavar="'YYYY-MM-DD HH:MM'",
        help="印在页脚的生成时间（默认现在）；填页脚上的时间可逐字节重现同一份 PDF",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report",
        help="生成每家企业的评审意见表 PDF",
        description="逐家评价后，为每家企业生成一份评审意见表 PDF"
        "（文件名：信用代码_企业名称.pdf）。",
    )
    _add_selection(report)
    report.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    report.add_argument(
        "--combined", action="store_true", help="另生成一份带书签的汇编 PDF（评审意见表汇编.pdf）"
    )
    report.add_argument("--no-single", action="store_true", help="只生成汇编 PDF，不逐家生成")
    report.add_argument("--workers", type=int, help="并行进程数（默认全部 CPU 核）")
    add_applicant_choice(report, "生成")
    report.set_defaults(func=cmd_report)

    summary = subparsers.add_parser("summary", help="生成推荐汇总表（PDF 含统计页，或 Excel）")
    _add_selection(summary)
    summary.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx", help="输出文件")
    summary.set_defaults(func=cmd_summary)

    publicity = subparsers.add_parser(
        "publicity", help="生成公示名单（PDF 或 Excel；不含数据与分数）"
    )
    _add_selection(publicity)
    publicity.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx", help="输出文件")
    publicity.set_defaults(func=cmd_publicity)

    results = subparsers.add_parser(
        "results", help="导出评价结果 Excel（每家一行，每条目结论与得分）"
    )
    _add_selection(results)
    results.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    results.set_defaults(func=cmd_results)


def add_applicant_choice(parser: argparse.ArgumentParser, verb: str) -> None:
    """--uscc: only the applicants given, by 统一社会信用代码 or full name (report and print)."""
    parser.add_argument(
        "--uscc",
        action="extend",
        nargs="+",
        default=[],
        metavar="CODE",
        help=f"只{verb}这些企业（统一社会信用代码，也可写企业全称；按给出的顺序）；"
        f"任何一家不在输入中即报错，不{verb}",
    )


def parse_made_at(text: str | None) -> datetime:
    """The footer time: given as 'YYYY-MM-DD HH:MM' (or ISO), else now to the minute."""
    if not text:
        return datetime.now().replace(second=0, microsecond=0)
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"生成时间 “{text}” 格式不对，应为 'YYYY-MM-DD HH:MM'") from None


def _is_round(args: argparse.Namespace) -> bool:
    """One argument that is no file or folder: the name of a stored round."""
    return len(args.inputs) == 1 and not path_exists(args.inputs[0])


def _round_outcomes(
    args: argparse.Namespace, chosen: list[str], consequence: str
) -> list[ApplicantOutcome]:
    from zjtx.export.from_store import round_outcomes
    from zjtx.store import NotFoundError, StoreError, StoreService, open_store

    given = [flag for flag in ("rulebook", "tier", "date", "overlay") if getattr(args, flag)]
    if given or args.setting:
        flags = "、".join(f"--{f}" for f in given) or "--setting"
        raise UsageError(
            f"按批次输出时评价标准与设置取自批次 “{args.inputs[0]}”，不能再给出 {flags}"
        )
    try:
        store = open_store()
    except StoreError as exc:  # a damaged file, a server that does not answer
        raise OperationFailed(str(exc)) from None
    try:
        service = StoreService(store)
        usccs = None
        if chosen:
            rows = service.list_applicants(args.inputs[0])
            where = f"批次 “{args.inputs[0]}” 中"
            pairs = [(r.uscc, r.name) for r in rows]
            usccs = [rows[i].uscc for i in choose_applicants(pairs, chosen, where, consequence)]
        info, outcomes = round_outcomes(
            service, args.inputs[0], usccs, progress=progress_printer("正在读取并核对企业")
        )
    except NotFoundError as exc:
        raise UsageError(
            f"{exc}（“{args.inputs[0]}” 既不是文件或文件夹，也不是已有的批次）"
        ) from None
    except StoreError as exc:
        raise OperationFailed(str(exc)) from None
    finally:
        store.close()
    if not outcomes:
        raise UsageError(f"批次 “{args.inputs[0]}” 中没有申报企业")
    if not args.round_name:
        args.round_name = info.name  # the report heading names the stored round
    return outcomes


def _outcomes(
    args: argparse.Namespace, consequence: str = "未生成任何文件"
) -> list[ApplicantOutcome]:
    """The outcomes to print: of a stored round, or of the input files scored; only those of
    ``--uscc`` (where the command has it), in its order, else all. ``consequence`` ends the
    message when one is not there."""
    chosen = getattr(args, "uscc", None) or []
    if any(not text.strip() for text in chosen):
        raise UsageError("--uscc 不能为空：请写统一社会信用代码或企业全称")
    if _is_round(args) and not (args.tier or args.rulebook):
        return _round_outcomes(args, chosen, consequence)
    if not (args.tier or args.rulebook):
        rest = args.inputs[1:]
        if rest and not any(path_exists(text) for text in args.inputs):
            # No file among them: a round name, then likely the code of one of its applicants
            # (a misspelt file beside real ones is left to the file reader to name).
            raise UsageError(
                f"“{rest[0]}” 不是文件或文件夹；按批次输出时只写一个批次名称，"
                "只要其中某几家企业请用 --uscc 统一社会信用代码或企业全称"
            )
        raise UsageError("请用 --rulebook 或 --tier 指定评价标准（或给出数据库中的批次名称）")
    applicants, evaluations = score_inputs(args, required=True)
    outcomes = [ApplicantOutcome(e, a) for e, a in zip(evaluations, applicants, strict=True)]
    if not chosen:
        return outcomes
    pairs = [(o.applicant.uscc, o.applicant.name) for o in outcomes]
    return [outcomes[i] for i in choose_applicants(pairs, chosen, "输入中", consequence)]


def choose_applicants(
    applicants: list[tuple[str, str]], chosen: list[str], where: str, consequence: str
) -> list[int]:
    """The positions of the applicants named by code (any case) or full name, in the order
    given, each once (a code entered twice names both entries). A UsageError names every one
    that is not there (for a single one, the names it is part of, or else the closest code or
    name) or a name that applicants of different codes share, ending with ``consequence``."""
    by_code: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, (code, name) in enumerate(applicants):
        if code:
            by_code.setdefault(code.upper(), []).append(index)
        by_name.setdefault(name, []).append(index)
    picked: list[int] = []
    unknown: list[str] = []
    for text in chosen:
        key = text.strip()
        if key.upper() in by_code:
            picked.extend(by_code[key.upper()])
        elif key in by_name:
            named = by_name[key]
            codes = list(dict.fromkeys(applicants[i][0].upper() for i in named))
            if len(codes) > 1:
                shown = "、".join(code or "未填代码" for code in codes)
                raise UsageError(
                    f"{where}有 {len(codes)} 家企业名为“{key}”（{shown}），{consequence}；"
                    "请写统一社会信用代码"
                )
            picked.extend(named)
        else:
            unknown.append(key)
    if unknown:
        looks_like_code = [k for k in unknown if _CODE.fullmatch(k)]
        names = [k for k in unknown if not _CODE.fullmatch(k)]
        parts = []
        if looks_like_code:
            parts.append(f"统一社会信用代码为 {'、'.join(looks_like_code)} 的企业")
        if names:
            parts.append("、".join(f"“{name}”" for name in names))
        codes = [applicants[indices[0]][0] for indices in by_code.values()]
        hint = ""
        if len(unknown) == 1:
            # Part of a name (郑州) names the companies it is in; else the closest code or name.
            within = [name for name in by_name if unknown[0] in name]
            closest = did_you_mean(unknown[0], [*by_name, *codes])
            if within:
                shown = "、".join(within[:5]) + ("等" if len(within) > 5 else "")
                hint = f"；名称含“{unknown[0]}”的有 {len(within)} 家：{shown}（请写全称或代码）"
            elif closest:
                hint = f"；您是不是要写 {closest}"
        raise UsageError(f"{where}没有{'，也没有'.join(parts)}，{consequence}{hint}")
    return list(dict.fromkeys(picked))


def rulebook_document(evaluation: Evaluation) -> str | None:
    """The instrument's document number (文号) of the evaluation's rulebook."""
    return document_number(evaluation.rulebook)


def _output_kind(out: str, allowed: tuple[str, ...]) -> str:
    from zjtx.files import file_in_the_way

    suffix = Path(out).suffix.lower()
    if suffix not in allowed:
        raise UsageError(f"输出文件 “{out}” 的扩展名应为 {' 或 '.join(allowed)}")
    blocker = file_in_the_way(Path(out))
    if blocker is not None:
        raise UsageError(f"“{blocker}” 是文件而不是文件夹，无法在其中保存 “{Path(out).name}”")
    # a missing folder is created when the file is written, as `zjtx report --out` does
    return suffix


def build_reports(
    outcomes: list[ApplicantOutcome], made_at: datetime, round_name: str | None
) -> list[AssessmentReport]:
    """The 评审意见表 of each outcome; characters the font lacks are pointed out on stderr."""
    from zjtx.export.report_model import build_assessment_report

    reports: list[AssessmentReport] = []
    for outcome in outcomes:
        report = build_assessment_report(
            outcome.evaluation,
            catalogue=catalogue_of(outcome.evaluation),
            applicant=outcome.applicant,
            review=outcome.review,
            made_at=made_at,
            round_name=round_name,
            rulebook_document=rulebook_document(outcome.evaluation),
            panel=outcome.panel,
        )
        reports.append(report)
    # Characters every report lacks come from what they share (the evaluator's name, the
    # round's): said once, not once per enterprise.
    lacking = [set(r.missing_characters) for r in reports]
    shared = set.intersection(*lacking) if len(reports) > 1 else set()
    if shared:
        chars = tuple(c for c in reports[0].missing_characters if c in shared)
        print(
            f"zjtx: 注意：每份评审意见表共有的文字（如评审人姓名、批次名称）含字体缺少的字符 "
            f"{describe_characters(chars)}，已以编码代替打印，请手工补写",
            file=sys.stderr,
        )
    for report in reports:
        own = tuple(c for c in report.missing_characters if c not in shared)
        if own:
            print(
                f"zjtx: 注意：{report.name}（{report.uscc}）含字体缺少的字符 "
                f"{describe_characters(own)}，已以编码代替打印，请手工补写",
                file=sys.stderr,
            )
    return reports


def cmd_report(args: argparse.Namespace) -> int:
    from zjtx.export.batch import export_reports

    if args.no_single and not args.combined:
        raise UsageError("--no-single 须与 --combined 同用，否则没有任何输出")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers 至少为 1")
    made_at = parse_made_at(args.made_at)
    outcomes = _outcomes(args)
    stage(f"正在排版 {len(outcomes)} 份评审意见表")
    reports = build_reports(outcomes, made_at, args.round_name)
    folder = Path(args.out)
    if path_exists(args.out) and not folder.is_dir():
        raise UsageError(f"“{folder}” 不是文件夹")
    try:
        result = export_reports(
            reports,
            folder,
            single=not args.no_single,
            combined=args.combined,
            made_at=made_at,
            progress=progress_printer("正在生成评审意见表"),
            workers=args.workers,
        )
    except Cancelled:  # pragma: no cover - only the GUI cancels
        print("zjtx: 已取消；已生成的文件保留", file=sys.stderr)
        return 130
    except OSError as exc:
        return write_failed(folder, exc)
    print_warning(reports_warning(outcomes))
    if result.files:
        print(f"已生成 {len(result.files)} 份评审意见表（共 {result.pages} 页）：{folder}")
    if result.combined is not None:
        print(f"汇编：{result.combined}（{result.combined_pages} 页，每家一个书签）")
    return 0


def print_warning(warning: str | None) -> None:
    """An output's warning (an empty 公示名单 ...) on stderr, where it cannot be missed."""
    if warning:
        print(f"zjtx: 警告：{warning}", file=sys.stderr)


def write_failed(target: str | Path, exc: OSError) -> int:
    """An output that could not be written (a full disk, no permission ...): its Chinese
    reason on stderr, exit status 1 (the operation failed; earlier files are intact)."""
    from zjtx.files import OutputWriteError, describe_write_error

    message = (
        str(exc) if isinstance(exc, OutputWriteError) else describe_write_error(Path(target), exc)
    )
    end_progress_line()
    print(f"zjtx: 错误：{message}", file=sys.stderr)
    return 1


def cmd_summary(args: argparse.Namespace) -> int:
    from zjtx.export.tables import write_summary

    kind = _output_kind(args.out, (".pdf", ".xlsx"))
    outcomes = _outcomes(args)
    stage(f"正在写入推荐汇总表 {args.out}（{len(outcomes)} 家）")
    try:
        summary, pages = write_summary(
            outcomes, Path(args.out), parse_made_at(args.made_at), args.round_name
        )
    except OSError as exc:
        return write_failed(args.out, exc)
    print_warning(summary.warning)
    if kind == ".pdf":
        print(f"已生成推荐汇总表：{args.out}（{len(summary.rows)} 家，{pages} 页，含统计页）")
    else:
        print(f"已生成推荐汇总表：{args.out}（{len(summary.rows)} 家，含“统计”工作表）")
    return 0


def cmd_publicity(args: argparse.Namespace) -> int:
    from zjtx.export.summary import PublicityRefused
    from zjtx.export.tables import write_publicity

    _output_kind(args.out, (".pdf", ".xlsx"))
    outcomes = _outcomes(args)
    stage(f"正在写入公示名单 {args.out}（{len(outcomes)} 家）")
    try:
        publicity = write_publicity(
            outcomes, Path(args.out), parse_made_at(args.made_at), args.round_name
        )
    except PublicityRefused as exc:
        raise OperationFailed(str(exc)) from None
    except OSError as exc:
        return write_failed(args.out, exc)
    print_warning(publicity.warning)
    if publicity.rows:
        print(f"已生成公示名单：{args.out}（{len(publicity.rows)} 家）")
    else:
        print(f"已生成公示名单：{args.out}（0 家；表中注明“本批次无公示企业”及原因）")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from zjtx.export.tables import write_results

    _output_kind(args.out, (".xlsx",))
    outcomes = _outcomes(args)
    stage(f"正在写入评价结果 {args.out}（{len(outcomes)} 家）")
    try:
        write_results(outcomes, Path(args.out), parse_made_at(args.made_at), args.round_name)
    except OSError as exc:
        return write_failed(args.out, exc)
    print(f"已导出评价结果：{args.out}（{len(outcomes)} 家）")
    return 0
