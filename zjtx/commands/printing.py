"""`zjtx print`: print the 评审意见表 through the window's printing path (zjtx.ui.printing)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from zjtx.cli import UsageError
from zjtx.commands.reports import (
    _add_selection,
    _outcomes,
    _output_kind,
    add_applicant_choice,
    build_reports,
    parse_made_at,
    print_warning,
)
from zjtx.commands.textout import progress_printer
from zjtx.export.summary import reports_warning

MAX_COPIES = 999  # what a print dialog offers; Qt's copy count is a C int


def register(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser(
        "print",
        help="打印评审意见表（送打印机，或以 --to-file 输出打印内容为 PDF）",
        description="逐家评价后生成评审意见表并打印：A4 纸，版面与 PDF 一致（按报告自身页边距，"
        "不缩放，一页印一页）。输入与 zjtx report 相同：申报数据文件（须给出 --tier 或 "
        "--rulebook）或数据库中的一个批次名称。",
        epilog="退出状态：0 已打印；1 打印失败（打印机无法开始打印、输出文件无法写入）；"
        "2 输入有误（找不到打印机、份数小于 1、--uscc 的企业不在输入中等），此时不打印任何页面。",
    )
    _add_selection(command)
    add_applicant_choice(command, "打印")
    command.add_argument("--printer", metavar="NAME", help="打印机名称（默认系统默认打印机）")
    command.add_argument("--copies", type=int, default=1, metavar="N", help="份数（默认 1）")
    command.add_argument(
        "--to-file",
        metavar="OUT.pdf",
        help="不送打印机，把打印机将收到的页面写入这个 PDF 文件",
    )
    command.set_defaults(func=cmd_print)


def cmd_print(args: argparse.Namespace) -> int:
    from zjtx.export.batch import export_reports
    from zjtx.ui.printing import (
        PrintError,
        PrinterSettings,
        ensure_application,
        make_printer,
        print_pdf_files,
        printed_message,
    )

    if args.copies < 1:
        raise UsageError(f"--copies 应至少为 1（给出的是 {args.copies}）")
    if args.copies > MAX_COPIES:
        raise UsageError(f"--copies 最多为 {MAX_COPIES}（给出的是 {args.copies}）")
    output_file = None
    if args.to_file:
        _output_kind(args.to_file, (".pdf",))
        output_file = Path(args.to_file)
        if output_file.is_dir():
            raise UsageError(f"“{output_file}” 是文件夹，请给出要保存的 PDF 文件名")
    made_at = parse_made_at(args.made_at)
    ensure_application()
    try:
        printer = make_printer(PrinterSettings(args.printer, args.copies, output_file))
    except PrintError as exc:
        raise UsageError(str(exc)) from None
    outcomes = _outcomes(args, "未打印任何页面")
    print_warning(reports_warning(outcomes))
    reports = build_reports(outcomes, made_at, args.round_name)
    with tempfile.TemporaryDirectory(prefix="zjtx-print-") as folder:
        try:
            result = export_reports(
                reports,
                Path(folder),
                made_at=made_at,
                progress=progress_printer("正在生成评审意见表"),
            )
            pages = print_pdf_files(
                result.files, printer, progress=progress_printer("正在发送到打印机")
            )
        except (PrintError, OSError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            print(f"zjtx: 打印失败：{detail}", file=sys.stderr)
            return 1
    what = (
        f"“{reports[0].name}”的评审意见表" if len(reports) == 1 else f" {len(reports)} 份评审意见表"
    )
    print(printed_message(what, pages, printer))
    return 0
