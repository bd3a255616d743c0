"""`zjtx` command: batch work from the terminal, and the desktop window when run bare."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from typing import Any

from zjtx.commands.textout import end_progress_line, escape_terminal_output

# Each module defines register(subparsers); its sub-commands set `func` to a handler that
# takes the parsed namespace and returns the exit status.
COMMAND_MODULES = (
    "zjtx.commands.scoring",
    "zjtx.commands.intake",
    "zjtx.commands.reports",
    "zjtx.commands.printing",
    "zjtx.commands.rounds",
    "zjtx.commands.registry",
    "zjtx.commands.profiles",
    "zjtx.commands.panel",
    "zjtx.commands.database",
)


log = logging.getLogger("zjtx.cli")


class UsageError(Exception):
    """Bad input from the user: printed without a traceback, exit status 2."""


class OperationFailed(Exception):
    """An operation that could not be done (a damaged database, an unreachable server):
    printed without a traceback, exit status 1."""


# argparse's own messages (Python 3.11 wording), in Chinese; the first match wins.
ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.*) is required", r"必须给出以下参数之一：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"not allowed with argument (.*)", r"不能与参数 \1 同时使用"),
    (r"expected one argument", r"缺少取值"),
    (r"expected at most one argument", r"最多只能给出一个取值"),
    (r"expected at least one argument", r"至少需要一个取值"),
    (r"expected (\d+) arguments?", r"需要 \1 个取值"),
    (r"invalid int value: (.*)", r"\1 不是整数"),
    (r"invalid float value: (.*)", r"\1 不是数字"),
    (r"invalid (\w+) value: (.*)", r"\2 不是有效的 \1 值"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"无效的取值 \1（可选：\2）"),
    (r"ambiguous option: (.*) could match (.*)", r"选项 \1 不明确，可能是 \2"),
    (r"ignored explicit argument (.*)", r"此选项不带取值，多出了 \1"),
)
LONG_VALUE = 120  # characters of one argument shown in a message; the rest is counted


def chinese_argparse_message(message: str) -> str:
    """argparse's English message in Chinese (an unknown one is kept as it is)."""
    about = re.fullmatch(r"argument (.+?): (.*)", message, flags=re.DOTALL)
    if about:
        return f"参数 {about.group(1)}：{chinese_argparse_message(about.group(2))}"
    for pattern, replacement in ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return _shorten(match.expand(replacement))
    return _shorten(message)


# user:secret@ in an argument (a database URL typed without its scheme, or mistyped): the
# command line is logged, and mask_secrets knows only URLs whose scheme is right.
_ARGUMENT_USERINFO = re.compile(r"(?P<user>[^\s:/@]+):\S+@")  # to the last @: one may be in it


def _without_userinfo(argument: str) -> str:
    from zjtx.store.secrets import MASK, mask_secrets

    return mask_secrets(_ARGUMENT_USERINFO.sub(lambda m: f"{m.group('user')}:{MASK}@", argument))


def _shorten(text: str) -> str:
    """Overlong values (a pasted 10,000-character name) cut to what a terminal shows."""

    def cut(match: re.Match[str]) -> str:
        value = match.group()
        return f"{value[:LONG_VALUE]}…（共 {len(value)} 个字符）"

    return re.sub(rf"[^\s，：；（）“”]{{{LONG_VALUE + 1},}}", cut, text)


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its one English word, the usage line's prefix, in Chinese."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An argument parser whose help and errors are Chinese, errors exiting 2 like every
    usage error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出"
            )

    def format_help(self) -> str:
        # argparse ends each section heading with an ASCII colon: the Chinese one, as 用法：.
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        text = chinese_argparse_message(message)
        log.warning("命令行参数有误（%s）：%s", self.prog, text)
        self.exit(2, f"{self.prog}: 错误：{text}\n用 {self.prog} -h 查看用法\n")


class LogFile(logging.Handler):
    """Warnings and errors appended to zjtx.log in the data folder (the window's log: 0600,
    passwords masked), opened per record; a folder that cannot be written loses the record,
    never the command."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            from zjtx.store.secrets import mask_secrets
            from zjtx.store.settings import data_dir, make_private_file, make_private_folder

            path = make_private_file(make_private_folder(data_dir()) / "zjtx.log")
            with path.open("a", encoding="utf-8") as handle:
                handle.write(mask_secrets(self.format(record)) + "\n")
        except Exception:  # a log that cannot be written must not stop the command
            pass


class VersionAction(argparse.Action):
    """--version: the provenance text, gathered only when asked for (it reads data files)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[no-untyped-def]
        from zjtx.version import version_text

        print(version_text())
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="zjtx",
        description="专精特新评审助手：导入申报数据、按认定标准逐项评价、评审留痕、输出报告。"
        "不带参数运行时打开桌面窗口。",
    )
    parser.add_argument(
        "--version",
        action=VersionAction,
        help="显示版本、认定标准与政策通知的版本、构建日期和源代码版本，然后退出",
    )
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
    handler = LogFile()
    logger = logging.getLogger("zjtx")
    logger.addHandler(handler)
    previous = _on_termination()
    try:
        return _run(args_list)
    except KeyboardInterrupt:  # before the command ran (its parser being built): nothing done
        print("zjtx: 已取消", file=sys.stderr)
        return 130
    except Terminated:
        print("zjtx: 已终止", file=sys.stderr)
        return 143
    finally:
        logger.removeHandler(handler)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM: a closed terminal, a service manager)."""


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated()


def _on_termination() -> Any:
    """Make SIGTERM unwind like Ctrl+C, so a file being written is removed, not left half
    written beside its target; the handler before, or None where none can be set."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _terminate)


def _run(args_list: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.data_dir:
        os.environ["ZJTX_DATA_DIR"] = args.data_dir
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if args.command is None else 2
    command = " ".join(_shorten(_without_userinfo(a)) for a in args_list[:3])
    try:
        try:
            status = int(args.func(args) or 0)
        finally:
            end_progress_line()  # what is said next starts a line of its own
    except UsageError as exc:
        log.warning("zjtx %s：%s", command, exc)
        print(f"zjtx: 错误：{exc}", file=sys.stderr)
        return 2
    except OperationFailed as exc:
        log.error("zjtx %s：%s", command, exc)
        print(f"zjtx: 错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zjtx: 已取消", file=sys.stderr)
        return 130
    except Terminated:
        print("zjtx: 已终止；未写完的文件已删除", file=sys.stderr)
        return 143
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except MemoryError:
        log.error("zjtx %s：内存不足\n%s", command, traceback.format_exc())
        print("zjtx: 错误：内存不足，操作没有完成；请关闭其他程序后重试", file=sys.stderr)
        return 1
    except Exception as exc:  # the last resort: a defect, never a traceback
        return _unexpected(command, exc)
    if status:
        log.warning("zjtx %s：退出码 %s", command, status)
    return status


def _unexpected(command: str, exc: Exception) -> int:
    """A failure nobody foresaw: the traceback goes to the log, the user gets one line."""
    from zjtx.store.secrets import mask_secrets
    from zjtx.store.settings import data_dir

    log.error("zjtx %s：未预期的错误\n%s", command, traceback.format_exc())
    reason = _shorten(mask_secrets(f"{type(exc).__name__}：{exc}"))[:300]
    print(
        f"zjtx: 错误：程序遇到未预期的错误，操作没有完成（{reason}）。"
        f"详细信息已写入日志 {data_dir() / 'zjtx.log'}，请发给技术支持",
        file=sys.stderr,
    )
    return 1


def gui_main() -> int:
    """Open the desktop window (also the entry point of Windows shortcuts)."""
    try:
        from zjtx.ui.app import run
    except ImportError as exc:
        print(f"zjtx: 无法启动桌面窗口：{exc}", file=sys.stderr)
        return 1
    return run()


if __name__ == "__main__":  # pragma: no cover
    # Run as `python -m zjtx.cli`, this file is __main__, a module apart from zjtx.cli whose
    # UsageError the commands raise: run zjtx.cli's own main, so its errors are caught as such.
    from zjtx.cli import main as cli_main

    raise SystemExit(cli_main())
