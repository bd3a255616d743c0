"""`zjtx profile list|show|export|import|delete`: saved mappings of file layouts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    profile = subparsers.add_parser(
        "profile",
        help="已保存的对应关系（表头布局与列的更正）：列出、查看、导出、导入、删除",
        description="用 zjtx check --map … --save-profile 名称 保存；同样表头的文件此后自动按它读取。",
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
    importer = actions.add_parser("import", help="从文件导入")
    importer.add_argument("file", metavar="FILE.json")
    importer.set_defaults(func=run_import)
    delete = actions.add_parser("delete", help="删除")
    delete.add_argument("name")
    delete.set_defaults(func=run_delete)


def _book():
    from zjtx.intake.profiles import ProfileBook

    return ProfileBook.default()


def _guard(action):
    def run(args: argparse.Namespace) -> int:
        from zjtx.cli import UsageError
        from zjtx.files import OutputWriteError
        from zjtx.intake.profiles import ProfileError

        try:
            return action(args)
        except ProfileError as exc:
            raise UsageError(str(exc)) from None
        except OutputWriteError as exc:
            print(str(exc))
            return 1

    return run


@_guard
def run_list(args: argparse.Namespace) -> int:
    profiles = _book().list()
    if not profiles:
        print("还没有保存过对应关系（zjtx check 文件 --map … --save-profile 名称）")
    for profile in profiles:
        print(
            f"{profile.name}：更正 {len(profile.overrides)} 列，"
            f"保存于 {profile.created}{'，样本 ' + profile.sample_file if profile.sample_file else ''}"
        )
    return 0


@_guard
def run_show(args: argparse.Namespace) -> int:
    print(json.dumps(_book().get(args.name).to_dict(), ensure_ascii=False, indent=2))
    return 0


@_guard
def run_export(args: argparse.Namespace) -> int:
    from zjtx.files import write_atomically

    text = json.dumps(_book().get(args.name).to_dict(), ensure_ascii=False, indent=2) + "\n"
    out = Path(args.out)
    write_atomically(out, lambda tmp: tmp.write_text(text, "utf-8"))
    print(f"已导出对应关系“{args.name}”：{out}")
    return 0


@_guard
def run_import(args: argparse.Namespace) -> int:
    book = _book()
    profile = book.read(Path(args.file))
    book.save(profile)
    print(f"已导入对应关系“{profile.name}”")
    return 0


@_guard
def run_delete(args: argparse.Namespace) -> int:
    _book().delete(args.name)
    print(f"已删除对应关系“{args.name}”")
    return 0
