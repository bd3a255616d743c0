"""`zjtx` command: batch work from the terminal, and the desktop window when run bare."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from zjtx import __version__
from zjtx.commands.textout import escape_terminal_output

# Each module defines register(subparsers); its sub-commands set `func` to a handler that
# takes the parsed namespace and returns the exit status.
COMMAND_MODULES = (
    "zjtx.commands.scoring",
    "zjtx.commands.intake",
    "zjtx.commands.reports",
    "zjtx.commands.printing",
    "zjtx.commands.rounds",
)


class UsageError(Exception):
    """Bad input from the user: printed without a traceback, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zjtx",
        description="专精特新评审助手：导入申报数据、按认定标准逐项评价、评审留痕、输出报告。"
        "不带参数运行时打开桌面窗口。",
    )
    parser.add_argument("--version", action="version", version=f"zjtx {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="数据目录（数据库、设置、日志）；默认取环境变量 ZJTX_DATA_DIR 或系统数据目录",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def _configure_stdout() -> None:
    # Chinese output must survive a non-UTF-8 console (Windows cmd, C locale).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # detached streams
                reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; with no arguments, open the desktop application."""
    _configure_stdout()
    escape_terminal_output()  # stored text (ESC, CR ...) never drives the terminal
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        return gui_main()
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.data_dir:
        os.environ["ZJTX_DATA_DIR"] = args.data_dir
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"zjtx: 错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zjtx: 已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def gui_main() -> int:
    """Open the desktop window (also the entry point of Windows shortcuts)."""
    try:
        from zjtx.ui.app import run
    except ImportError as exc:
        print(f"zjtx: 无法启动桌面窗口：{exc}", file=sys.stderr)
        return 1
    return run()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
