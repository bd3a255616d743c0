"""`zjtx rulebook check FILE...` and `zjtx rulebook install FILE`: a bureau's own data files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zjtx.cli import UsageError
from zjtx.commands.textout import dump_json
from zjtx.files import OutputWriteError
from zjtx.scoring.definitions import bundled_dir
from zjtx.scoring.installing import FileCheck, check_file, install_problem


def register_actions(actions: argparse._SubParsersAction) -> None:
    """Add `check` and `install` to the `zjtx rulebook` parser's actions."""
    check = actions.add_parser(
        "check",
        help="检查评价标准、省级规则或年度通知文件（列出全部问题）",
        description="逐项检查文件：未知属性（给出最接近的正确写法）、取值类型、缺少的必填项、"
        "引用的字段与条目。全部有效时退出码 0，否则列出全部问题并以退出码 2 结束。",
    )
    check.add_argument("files", nargs="+", metavar="FILE.yaml", help="要检查的文件")
    check.add_argument("--json", action="store_true", help="输出 JSON")
    check.set_defaults(func=cmd_rulebook_check)
    install = actions.add_parser(
        "install",
        help="检查后把文件安装到数据目录，与内置标准一同使用",
        description="文件先经完整检查；与内置文件同 id 时须版本更高。安装后 zjtx rulebooks 标为“已安装”。",
    )
    install.add_argument("file", metavar="FILE.yaml", help="要安装的文件")
    install.add_argument("--json", action="store_true", help="输出 JSON")
    install.set_defaults(func=cmd_rulebook_install)
    uninstall = actions.add_parser(
        "uninstall",
        help="卸载已安装的评价标准、省级规则或年度通知（保留副本，同 id 的内置文件重新适用）",
        description="把数据目录中已安装的文件移入 removed/ 文件夹（可再次安装）；批次（含已归档的）"
        "使用的省级规则或指定的评价标准，没有同 id 的内置版本时不能卸载。",
    )
    uninstall.add_argument("id", metavar="ID", help="已安装文件的 id（见 zjtx rulebooks）")
    uninstall.set_defaults(func=cmd_rulebook_uninstall)


def _print_check(check: FileCheck) -> None:
    if check.valid:
        print(f"✓ {check.path}：有效。{check.summary}")
        shipped = check.path.resolve().parent == bundled_dir(str(check.kind)).resolve()
        refusal = None if shipped else install_problem(check)
        if refusal is not None:  # valid in itself, but clashing with what is installed
            print(f"  注意：安装时将被拒绝：{refusal.line()}", file=sys.stderr)
        return
    print(f"✗ {check.path}：{check.kind_label}有 {len(check.problems)} 处问题", file=sys.stderr)
    for number, problem in enumerate(check.problems, start=1):
        print(f"  {number}. {problem.line()}", file=sys.stderr)


def cmd_rulebook_check(args: argparse.Namespace) -> int:
    checks = [check_file(Path(name)) for name in args.files]
    failed = sum(not c.valid for c in checks)
    if args.json:
        print(dump_json([c.as_json() for c in checks]))
        if failed:  # the reason for exit status 2 where people look for it
            print(f"{failed} 个文件未通过检查（问题见 JSON 的 problems）", file=sys.stderr)
    else:
        for check in checks:
            _print_check(check)
    return 2 if failed else 0


def cmd_rulebook_install(args: argparse.Namespace) -> int:
    from zjtx.store.rulebook_install import install_checking_rounds

    try:
        check, target, lost = install_checking_rounds(Path(args.file))
    except OutputWriteError as exc:
        raise UsageError(f"无法安装：{exc}") from None
    if lost:
        print(f"zjtx: 注意：{lost}", file=sys.stderr)
    if args.json:
        data = check.as_json()
        data["installed"] = str(target) if target else None
        print(dump_json(data))
        if target is None:
            print(f"未安装：{check.path.name} 有 {len(check.problems)} 处问题", file=sys.stderr)
        return 0 if target else 2
    if target is None:
        _print_check(check)
        print("未安装。", file=sys.stderr)
        return 2
    print(f"✓ 已安装{check.kind_label} {check.id}：{target}")
    print(f"  {check.summary}")
    return 0


def cmd_rulebook_uninstall(args: argparse.Namespace) -> int:
    from zjtx.scoring.errors import DataFileError
    from zjtx.store.errors import InvalidRequestError
    from zjtx.store.rulebook_install import uninstall_checking_rounds

    try:
        removed, lost = uninstall_checking_rounds(args.id)
    except DataFileError as exc:
        hint = f"，您是不是要写 “{exc.suggestion}”？" if exc.suggestion else ""
        raise UsageError(f"{exc.detail}{hint}") from None
    except InvalidRequestError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"无法卸载：{exc.strerror or exc}") from None
    instead = (
        f"，改用内置版本 {removed.bundled_version}" if removed.bundled_version is not None else ""
    )
    print(f"✓ 已卸载{removed.kind_label} {removed.id}{instead}；原文件保存在 {removed.kept}")
    if lost:
        print(f"zjtx: 注意：{lost}", file=sys.stderr)
    return 0
