"""`zjtx profile list|show|export|import|delete`: saved mappings of file layouts."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    profile = subparsers.add_parser(
        "profile",
        help="已保存的对应关系（表头布局与列的更正）：列出、查看、导出、导入、删除",
        description=(
            "用 zjtx check --map … --save-profile 名称 保存；同样表头的文件此后自动按它读取。"
            "使用 PostgreSQL 时对应关系保存在共享数据库中，各评审人共用；"
            "使用 SQLite 时保存在数据目录中。"
        ),
    )
    actions = profile.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="列出已保存的对应关系").set_defaults(func=run_list)
    show = actions.add_parser("show", help="查看一个对应关系")
    show.add_argument("name")
    show.set_defaults(func=run_show)
    export = actions.add_parser("export", help="导出为文件（发给其他评审人）")
    export.add_argument("name")
    export.add_argument("out", metavar="FILE.json")
    export.set_defaults(func=run_export)
    importer = actions.add_parser(
        "import", help="从文件导入（可给多个文件，或一个文件夹，如数据目录的 profiles 文件夹）"
    )
    importer.add_argument("files", nargs="+", metavar="FILE.json")
    importer.set_defaults(func=run_import)
    delete = actions.add_parser("delete", help="删除")
    delete.add_argument("name")
    delete.set_defaults(func=run_delete)


@contextmanager
def _book() -> Iterator[Any]:
    """The active profiles: the shared database's with PostgreSQL, else the data folder's."""
    from zjtx.store.errors import StoreError
    from zjtx.store.profiles import open_profile_book

    try:
        with open_profile_book() as book:
            yield book
    except StoreError as exc:
        raise _Failure(str(exc)) from None


class _Failure(Exception):
    """The profiles could not be reached or written (not the user's typing): exit status 1."""


def _guard(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from zjtx.cli import UsageError
        from zjtx.files import OutputWriteError
        from zjtx.intake.profiles import ProfileError

        try:
            return action(args)
        except ProfileError as exc:
            raise UsageError(str(exc)) from None
        except (OutputWriteError, _Failure) as exc:
            print(str(exc))
            return 1

    return run


@_guard
def run_list(args: argparse.Namespace) -> int:
    from zjtx.store.profiles import folder_only

    with _book() as book:
        profiles = book.list()
        left = folder_only(book)
    if not profiles:
        print(f"{book.where}中还没有保存过对应关系（zjtx check 文件 --map … --save-profile 名称）")
    else:
        print(f"对应关系（{book.where}）：")
    for profile in profiles:
        print(
            f"{profile.name}：更正 {len(profile.overrides)} 项，"
            f"保存于 {profile.created}"
            f"{'，' + profile.created_by if profile.created_by else ''}"
            f"{'，样本 ' + profile.sample_file if profile.sample_file else ''}"
        )
    if left:
        print(
            f"数据目录中另有 {len(left)} 个对应关系不在共享数据库中"
            f"（{'、'.join(p.stem for p in left)}）；"
            f"要让各评审人共用，请运行：zjtx profile import {left[0].parent}"
        )
    return 0


@_guard
def run_show(args: argparse.Namespace) -> int:
    with _book() as book:
        print(json.dumps(book.get(args.name).to_dict(), ensure_ascii=False, indent=2))
    return 0


@_guard
def run_export(args: argparse.Namespace) -> int:
    from zjtx.files import write_atomically

    with _book() as book:
        text = json.dumps(book.get(args.name).to_dict(), ensure_ascii=False, indent=2) + "\n"
    out = Path(args.out)
    write_atomically(out, lambda tmp: tmp.write_text(text, "utf-8"))
    print(f"已导出对应关系“{args.name}”：{out}")
    return 0


def _import_paths(given: list[str]) -> list[Path]:
    from zjtx.cli import UsageError
    from zjtx.commands import path_exists
    from zjtx.intake.profiles import PROFILE_SUFFIX

    paths: list[Path] = []
    for text in given:
        path = Path(text)
        if not path_exists(text):
            raise UsageError(f"找不到文件或文件夹“{path}”")
        if path.is_dir():
            found = sorted(path.glob(f"*{PROFILE_SUFFIX}"))
            if not found:
                raise UsageError(f"文件夹“{path}”中没有对应关系文件（*.json）")
            paths += found
        elif path.is_file():
            paths.append(path)
        else:
            raise UsageError(f"找不到文件或文件夹“{path}”")
    return paths


@_guard
def run_import(args: argparse.Namespace) -> int:
    from zjtx.intake.profiles import ProfileBook, ProfileError

    paths = _import_paths(args.files)
    # Every file is read first: a damaged one stops the import before anything is saved.
    profiles = [ProfileBook.read(path) for path in paths]
    problems = []
    with _book() as book:
        for profile in profiles:
            try:
                book.save(profile)
            except ProfileError as exc:
                problems.append(f"“{profile.name}”未导入：{exc}")
                continue
            print(f"已导入对应关系“{profile.name}”到{book.where}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


@_guard
def run_delete(args: argparse.Namespace) -> int:
    with _book() as book:
        book.delete(args.name)
        where = book.where
    print(f"已从{where}删除对应关系“{args.name}”")
    return 0
