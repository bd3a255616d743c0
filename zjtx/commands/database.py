"""`zjtx database show|backup|copy`: where the data is, a backup of it, a move to a shared one."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    database = subparsers.add_parser(
        "database",
        help="数据库：查看位置与记录数、备份为一个文件、复制到共享的 PostgreSQL 数据库",
        description=(
            "备份与复制都是某一时刻的完整副本，其他评审人可以照常工作。"
            "复制只写入空的数据库：一个科室从单机的 SQLite 文件改为多人共用的 PostgreSQL 时使用。"
        ),
    )
    actions = database.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="数据库的位置、大小、结构版本、各类记录数与自动备份")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)
    backup = actions.add_parser(
        "backup",
        help="把整个数据库备份为一个 SQLite 文件（可在 设置 中改用它，或交给技术人员保存）",
    )
    backup.add_argument("out", metavar="FILE.sqlite3")
    backup.add_argument("--replace", action="store_true", help="文件已存在时覆盖它")
    backup.set_defaults(func=run_backup)
    copy = actions.add_parser(
        "copy",
        help="把整个数据库复制到一个空的数据库（如多人共用的 PostgreSQL），本机数据不变",
    )
    copy.add_argument(
        "url", metavar="URL", help="目标数据库地址，如 postgresql+psycopg://zjtx_owner@主机/zjtx"
    )
    copy.set_defaults(func=run_copy)


@contextmanager
def _open() -> Iterator[Any]:
    """The configured database; its refusals are the command's (exit 2 for a request it
    refuses, 1 for a database or file that failed), said by zjtx.cli."""
    from zjtx.cli import OperationFailed, UsageError
    from zjtx.files import OutputWriteError
    from zjtx.store import open_store
    from zjtx.store.errors import InvalidRequestError, StoreError

    try:
        store = open_store()
    except StoreError as exc:
        raise OperationFailed(str(exc)) from None
    try:
        yield store
    except InvalidRequestError as exc:
        raise UsageError(str(exc)) from None
    except (StoreError, OutputWriteError) as exc:
        raise OperationFailed(str(exc)) from None
    finally:
        store.close()


def run_show(args: argparse.Namespace) -> int:
    from zjtx.store.engine import current_revision, head_revision, sqlite_backups
    from zjtx.store.transfer import count_rows, named_counts

    with _open() as store:
        path = store.location.sqlite_path
        with store.engine.connect() as connection:
            counts = count_rows(connection)
        revision = current_revision(store.engine)
        backups = sqlite_backups(path) if path is not None else []
        data: dict[str, Any] = {
            "location": str(path) if path is not None else store.location.display,
            "kind": "SQLite" if path is not None else "PostgreSQL",
            "bytes": path.stat().st_size if path is not None else None,
            "revision": revision,
            "latest": revision == head_revision(),
            "read_only": store.read_only_reason,
            "counts": counts,
            "automatic_backups": [str(p) for p in backups],
        }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    size = f"，{data['bytes'] / 2**20:,.1f} MB" if data["bytes"] is not None else ""
    print(f"数据库：{data['location']}（{data['kind']}{size}）")
    if data["read_only"]:
        print(f"注意：{data['read_only']}")
    print(f"结构版本：{revision}（{'本程序的最新版本' if data['latest'] else '较旧'}）")
    print(f"记录数：{named_counts(counts) or '没有数据'}")
    for backup in backups:
        made = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        print(f"自动备份（升级前）：{backup}（{made}）")
    if path is not None:
        print("要另存一份备份：zjtx database backup 文件名.sqlite3")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from zjtx.cli import UsageError
    from zjtx.commands import path_exists
    from zjtx.commands.textout import progress_printer
    from zjtx.store.transfer import backup_database

    out = Path(args.out)
    if path_exists(args.out) and not out.is_dir() and not args.replace:
        raise UsageError(f"{out} 已存在，未覆盖：请换一个文件名，或加 --replace 覆盖它")
    with _open() as store:
        report = backup_database(
            store, out, replace=args.replace, progress=progress_printer("正在备份", percent=True)
        )
    print(f"已备份到 {report.target}：{report.summary()}（用时 {report.seconds:.1f} 秒）")
    print("这是备份时刻的完整数据库；查看它：ZJTX_DATABASE_URL=sqlite:///文件路径 zjtx round list")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from zjtx.commands.textout import progress_printer
    from zjtx.intake.profiles import ProfileBook
    from zjtx.scoring.installing import installed_lines
    from zjtx.store.transfer import copy_database

    with _open() as store:
        report = copy_database(store, args.url, progress=progress_printer("正在复制", percent=True))
        was_sqlite = store.location.sqlite_path is not None
    print(f"已复制到 {report.target}：{report.summary()}（用时 {report.seconds:.1f} 秒）")
    print(
        "本机原有的数据库没有改动。要让各台电脑改用它：在窗口的 设置 中填写这个数据库地址，"
        "或设置环境变量 ZJTX_DATABASE_URL；评审人应使用应用账户（见 README 的 PostgreSQL 一节）"
    )
    folder = ProfileBook.default()
    left = folder.list() if was_sqlite else []
    if left:
        print(
            f"数据目录中有 {len(left)} 个对应关系（表头布局）不在数据库里：改用新数据库后运行 "
            f"zjtx profile import {folder.folder}，各评审人即可共用"
        )
    lines = installed_lines()
    if lines:
        print(
            "本机安装的评价标准文件不在数据库里，请在每台评审电脑上同样安装（zjtx rulebook install）："
        )
        for line in lines:
            print(f"  {line}")
    return 0
