"""`zjtx round create|list|rename|archive|restore|show|import|rescore|history`, `zjtx review`,
`zjtx identity`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from zjtx.cli import OperationFailed, Terminated, UsageError
from zjtx.commands import path_exists
from zjtx.commands.batch_review import add_batch_options, cmd_review_all
from zjtx.commands.intake import (
    add_map_option,
    add_reading_option,
    map_overrides,
    reading_choices,
)
from zjtx.commands.review_text import panel_positions, print_review
from zjtx.commands.round_table import applicant_table, open_score_note
from zjtx.commands.textout import MET_HELP, coded, display_width, dump_json, met_word, pad, table
from zjtx.domain.issues import SEVERITY_LABELS, Issue, Severity
from zjtx.domain.labels import ReviewStatus, Verdict
from zjtx.intake import MappingError
from zjtx.scoring import TIERS
from zjtx.scoring.selection import round_notice_lines, round_notices
from zjtx.store import (
    ConflictError,
    Decision,
    InvalidRequestError,
    NotFoundError,
    ReviewRuleError,
    RoundArchivedError,
    StoreError,
    StoreService,
    open_store,
)
from zjtx.store.dto import FileImport, RoundInfo
from zjtx.store.filters import OPEN_ITEMS
from zjtx.store.filters import SORT_KEYS as SORTS
from zjtx.store.identity import (
    HOW_TO_SET,
    IdentityMissingError,
    load_identity,
    make_identity,
    review_evaluator,
    save_identity,
)
from zjtx.store.service import ROLE_LABELS, ROLES

log = logging.getLogger("zjtx.cli")

SORT_KEYS = tuple(SORTS)  # the store's named keys, shared with the window (zjtx.store.filters)


def register(subparsers: argparse._SubParsersAction) -> None:
    round_parser = subparsers.add_parser(
        "round",
        help="评审批次：创建、列出、重命名、归档、查看、导入申报数据、重新评价、查看留痕",
        description="评审批次（数据保存在数据目录的 SQLite 文件中，或 ZJTX_DATABASE_URL 指定的 "
        "PostgreSQL 数据库中）。",
    )
    actions = round_parser.add_subparsers(dest="round_command", metavar="ACTION")

    create = actions.add_parser("create", help="创建批次")
    create.add_argument("name", metavar="NAME", help="批次名称（唯一）")
    create.add_argument("--tier", required=True, help=f"层级：{', '.join(TIERS)}")
    create.add_argument("--date", required=True, help="批次日期 YYYY-MM-DD（其年份为评价年度）")
    create.add_argument("--region", help="地区，如 杭州市")
    create.add_argument("--overlay", help="省级规则 id（见 zjtx rulebooks）")
    create.add_argument(
        "--rulebook", help="固定使用的评价标准 id（默认按层级、日期与申报类型选择）"
    )
    create.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=true|false",
        help="批次设置，如 revenue_floor_5000=true（可重复）",
    )
    _common(create, evaluator=True)
    create.set_defaults(func=cmd_create)

    listing = actions.add_parser("list", help="列出批次（默认不含已归档的批次）")
    listing.add_argument("--all", action="store_true", help="也列出已归档的批次")
    _common(listing)
    listing.set_defaults(func=cmd_list)

    rename = actions.add_parser("rename", help="重命名批次（新名称须唯一，留痕中保留原名）")
    rename.add_argument("name", metavar="OLD", help="现在的批次名称")
    rename.add_argument("new_name", metavar="NEW", help="新的批次名称")
    _common(rename, evaluator=True)
    rename.set_defaults(func=cmd_rename)

    archive = actions.add_parser(
        "archive", help="归档批次：此后只能查看和导出，不再列在批次列表中（可恢复）"
    )
    archive.add_argument("name", metavar="NAME")
    _common(archive, evaluator=True)
    archive.set_defaults(func=cmd_archive)

    restore = actions.add_parser("restore", help="恢复已归档的批次，使其可以继续导入和评审")
    restore.add_argument("name", metavar="NAME")
    _common(restore, evaluator=True)
    restore.set_defaults(func=cmd_restore)

    show = actions.add_parser("show", help="列出批次中的企业、评价结论、决定与评审状态")
    show.add_argument("name", metavar="NAME")
    show.add_argument(
        "--verdict",
        choices=tuple(Verdict.labels()),
        help="只列此结论：" + coded(Verdict.labels()),
    )
    show.add_argument(
        "--decision",
        choices=(*[d.value for d in Decision], "none"),
        help="只列此决定：" + coded(Decision.labels()) + "、none（未决定）",
    )
    show.add_argument(
        "--status",
        choices=tuple(ReviewStatus.labels()),
        help="只列此评审状态：" + coded(ReviewStatus.labels()),
    )
    show.add_argument(
        "--open",
        choices=OPEN_ITEMS,
        help="只列有待人工确认条目（judgements）、有待确认导入提示（warnings）"
        "或决定需复核（outdated）的企业",
    )
    show.add_argument(
        "--region",
        metavar="PLACE",
        help="只列所在省、市或区县为 PLACE 的企业（也可从省写起，如 江苏省南京市）",
    )
    show.add_argument("--search", metavar="TEXT", help="按企业名称或统一社会信用代码查找")
    show.add_argument("--sort", choices=SORT_KEYS, default="rank", help="排序（默认按得分排名）")
    show.add_argument("--desc", action="store_true", help="倒序")
    _common(show)
    show.set_defaults(func=cmd_show)

    importer = actions.add_parser(
        "import",
        help="把申报文件导入批次（每个文件一个事务）",
        description="导入申报名单、申报表或 JSON 文件；同一文件重复导入不产生变化，"
        "数据有改动的企业生成新版本并重新评价，旧版本保留。",
    )
    importer.add_argument("name", metavar="NAME")
    importer.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    add_map_option(importer)
    add_reading_option(importer)
    _common(importer, evaluator=True)
    importer.set_defaults(func=cmd_import)

    rescore = actions.add_parser("rescore", help="按当前评价标准重新评价批次中的全部企业")
    rescore.add_argument("name", metavar="NAME")
    _common(rescore, evaluator=True)
    rescore.set_defaults(func=cmd_rescore)

    history = actions.add_parser("history", help="批次或一家企业的评审留痕")
    history.add_argument("name", metavar="NAME")
    history.add_argument("uscc", nargs="?", metavar="USCC")
    _common(history)
    history.set_defaults(func=cmd_history)

    from zjtx.commands import round_stats  # it uses this module's helpers

    round_stats.register(actions)
    from zjtx.commands import corrections  # 补正清单 (issue 16 §4)

    corrections.register(actions)

    review = subparsers.add_parser(
        "review",
        help="评审一家企业：确认或改判指标、确认导入提示、作出决定",
        description="确认、改判与确认提示都必须用 --reason 写明理由；决定须有评审意见 "
        "（--opinion，缺省时使用 --reason）。",
    )
    review.add_argument("name", metavar="NAME", help="批次名称")
    review.add_argument("uscc", nargs="?", metavar="USCC", help="统一社会信用代码（或用 --all）")
    review.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="CRITERION=met|unmet",
        help="确认待人工判断的条目，或改判计算结果（可重复）；判断结果写 met 或 unmet"
        "（也可写 yes/no、是/否、符合/不符合）",
    )
    review.add_argument(
        "--ack-warning",
        action="append",
        default=[],
        metavar="CODE[@FIELD]",
        help="确认导入提示（可重复）：写“代码@字段”确认一条（如 revenue-unit-suspect@revenue_y3，"
        "review 的输出列出每条的写法），只写代码则确认该代码的每一条",
    )
    review.add_argument("--reason", help="理由")
    review.add_argument(
        "--decision",
        choices=[d.value for d in Decision],
        help="recommend 推荐 / reject 不推荐 / return 退回补充材料",
    )
    review.add_argument("--opinion", help="评审意见")
    review.add_argument(
        "--expect-version",
        type=int,
        metavar="N",
        help="您查看时的评审版本号；期间如有他人修改则不保存并说明改了什么",
    )
    add_batch_options(review)
    _common(review, evaluator=True)
    review.set_defaults(func=cmd_review)

    identity = subparsers.add_parser(
        "identity",
        help="本机评审人：姓名、单位与角色（写入评审留痕与打印的评审意见表）",
        description="不带 ACTION 时显示本机设置的评审人。评审记录与评审意见表的签字栏使用这里的"
        "姓名与单位；--evaluator 与环境变量 ZJTX_EVALUATOR 可临时指定其他评审人。",
    )
    identity.add_argument("--json", action="store_true", help="输出 JSON")
    identity.set_defaults(func=cmd_identity)
    identity_actions = identity.add_subparsers(dest="identity_command", metavar="ACTION")
    setter = identity_actions.add_parser("set", help="设置本机评审人")
    setter.add_argument("--name", required=True, help="评审人姓名")
    setter.add_argument("--unit", help="工作单位，如 杭州市经济和信息化局（省略时保留原值）")
    setter.add_argument(
        "--role",
        help="角色："
        + "、".join(f"{code}（{label}）" for code, label in ROLE_LABELS.items())
        + "（省略时保留原值，默认 evaluator）",
    )
    setter.add_argument("--json", action="store_true", help="输出 JSON")
    setter.set_defaults(func=cmd_identity_set)
    clear = identity_actions.add_parser("clear", help="清除本机评审人")
    clear.set_defaults(func=cmd_identity_clear)


def _common(parser: argparse.ArgumentParser, *, evaluator: bool = False) -> None:
    if evaluator:
        parser.add_argument(
            "--evaluator",
            metavar="NAME",
            help="评审人姓名（默认取环境变量 ZJTX_EVALUATOR，再取 zjtx identity 设置的评审人）",
        )
    parser.add_argument("--json", action="store_true", help="输出 JSON")


@contextmanager
def _service() -> Iterator[StoreService]:
    """The service over the configured database; store errors become clean messages."""
    try:
        store = open_store()
    except StoreError as exc:
        raise _Failure(str(exc)) from None
    if store.read_only_reason:  # lists and exports work; a change will say why it cannot
        print(f"zjtx: 注意：{store.read_only_reason}", file=sys.stderr)
    try:
        yield StoreService(store)
    except (NotFoundError, InvalidRequestError, RoundArchivedError) as exc:
        raise UsageError(str(exc)) from None
    except ConflictError as exc:
        raise _Conflict(str(exc)) from None
    except StoreError as exc:
        raise _Failure(str(exc)) from None
    finally:
        store.close()


class _Failure(OperationFailed):
    """A store failure that is not the user's typing (database, import): exit status 1 (said
    by _guarded, or by zjtx.cli for a command that opens the store without it)."""


def _write_output(write: Callable[[Any, Path], Any], model: Any, out: Path) -> Any:
    """Write an output file with ``write(model, out)``; a folder that cannot take it (full,
    read-only, missing) is a failure with a Chinese message, not a defect."""
    from zjtx.files import OutputWriteError, describe_write_error

    try:
        return write(model, out)
    except OutputWriteError as exc:
        raise _Failure(str(exc)) from None
    except OSError as exc:
        raise _Failure(describe_write_error(out, exc)) from None


class _Conflict(_Failure):
    """Someone else saved the review first: exit status 3, nothing saved."""


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except _Conflict as exc:
            log.warning("%s", exc)
            print(f"zjtx: 冲突：{exc}", file=sys.stderr)
            return 3
        except _Failure as exc:
            log.error("%s", exc)  # the log keeps what the terminal showed
            print(f"zjtx: 错误：{exc}", file=sys.stderr)
            return 1

    return run


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期应写成 YYYY-MM-DD，收到 “{text}”") from None


def _parse_settings(items: list[str]) -> dict[str, bool]:
    settings: dict[str, bool] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or value.strip().lower() not in ("true", "false"):
            raise UsageError(f"--setting 应写成 名称=true 或 名称=false，收到 “{item}”")
        settings[name.strip()] = value.strip().lower() == "true"
    return settings


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(dump_json(data) if args.json else text)


# ------------------------------------------------------------------------------------ rounds


@_guarded
def cmd_create(args: argparse.Namespace) -> int:
    with _service() as service:
        info = service.create_round(
            args.name,
            tier=args.tier,
            round_date=_parse_date(args.date),
            region=args.region,
            rulebook=args.rulebook,
            overlay=args.overlay,
            settings=_parse_settings(args.setting),
            evaluator=args.evaluator,
        )
    hints = []
    if info.overlay is None and info.rulebook is None:
        from zjtx.scoring.selection import provincial_overlays, unused_overlay_note

        hints = [
            f"提示：{unused_overlay_note(overlay)}；如需使用，请另建一个批次并加 --overlay "
            f"{overlay.id}（本批次可归档）"
            for overlay in provincial_overlays(info.tier, info.round_date, info.region)
        ]
    # The year's notices governing the round, and the settings a notice or this round fixed.
    notices, settings = round_notices(
        info.round_date,
        tier=info.tier,
        rulebook_id=info.rulebook,
        overlay_id=info.overlay,
        overrides=info.settings,
    )
    _emit(
        args,
        {**info.to_dict(), "notices": notices, "applied_settings": settings, "hints": hints},
        "\n".join(
            [
                f"已创建{_round_heading(info)}",
                *round_notice_lines(notices, settings),
                *hints,
            ]
        ),
    )
    return 0


def _round_heading(info: RoundInfo) -> str:
    """批次 “名称”：层级，批次日期 …，地区 …，省级规则 … (what creating and showing it say)."""
    return (
        f"批次 “{info.name}”：{info.tier_label}，批次日期 {info.round_date.isoformat()}"
        + (f"，地区 {info.region}" if info.region else "")
        + (f"，省级规则 {info.overlay}" if info.overlay else "")
    )


@_guarded
def cmd_list(args: argparse.Namespace) -> int:
    with _service() as service:
        every = service.list_rounds(include_archived=True)
    rounds = every if args.all else [r for r in every if not r.archived]
    if args.json:
        print(dump_json([r.to_dict() for r in rounds]))
    elif not rounds:
        print(
            "没有未归档的批次；用 zjtx round list --all 查看已归档的批次。"
            if every
            else "还没有批次；用 zjtx round create 创建。"
        )
    else:
        print(
            table(
                ("批次", "层级", "批次日期", "地区", "企业数", "创建人", "状态"),
                [
                    (
                        r.name,
                        r.tier_label,
                        r.round_date,
                        r.region or "",
                        r.applicants,
                        r.created_by,
                        _round_state(r),
                    )
                    for r in rounds
                ],
            )
        )
    return 0


def _round_state(info: RoundInfo) -> str:
    if info.archived_at is None:
        return "进行中"
    return f"已归档（{info.archived_at.astimezone().strftime('%Y-%m-%d %H:%M')}）"


@_guarded
def cmd_rename(args: argparse.Namespace) -> int:
    with _service() as service:
        info = service.rename_round(args.name, args.new_name, evaluator=args.evaluator)
    _emit(args, info.to_dict(), f"已将批次 “{args.name}” 重命名为 “{info.name}”")
    return 0


@_guarded
def cmd_archive(args: argparse.Namespace) -> int:
    with _service() as service:
        info = service.archive_round(args.name, evaluator=args.evaluator)
    _emit(
        args,
        info.to_dict(),
        f"已归档批次 “{info.name}”：此后只能查看和导出；"
        f"用 zjtx round restore {_quoted(info.name)} 恢复",
    )
    return 0


@_guarded
def cmd_restore(args: argparse.Namespace) -> int:
    with _service() as service:
        restored = service.restore_round(args.name, evaluator=args.evaluator)
    _emit(args, restored.to_dict(), restored.text())
    return 0


def _quoted(name: str) -> str:
    """A round name as typed on a command line (double quotes work in cmd.exe and shells)."""
    return f'"{name}"' if any(c.isspace() or c in "\"'&|;<>()$`" for c in name) else name


@_guarded
def cmd_show(args: argparse.Namespace) -> int:
    with _service() as service:
        info = service.get_round(args.name)
        rows = service.list_applicants(
            args.name,
            verdict=args.verdict,
            decision=args.decision,
            status=args.status,
            open_items=args.open,
            region=args.region,
            search=args.search,
            sort=args.sort,
            descending=args.desc,
        )
        stats = service.statistics(args.name)
        update = service.rulebook_update(args.name)
        recheck = service.registry_recheck_due(args.name)
    if args.json:
        print(
            dump_json(
                {
                    "round": info.to_dict(),
                    "statistics": stats.to_dict(),
                    "rulebook_update": None if update is None else update.to_dict(),
                    "registry_recheck_due": recheck,
                    "applicants": [r.to_dict() for r in rows],
                }
            )
        )
        return 0
    print(_round_heading(info) + (f"，指定评价标准 {info.rulebook}" if info.rulebook else ""))
    if update is not None:
        again = "" if info.archived else f"；可用 zjtx round rescore {info.name} 按现行标准重新评价"
        print(f"注意：{update.text()}{again}")
    if recheck is not None:
        print(f"注意：{recheck}；可用 zjtx registry recheck 按现行培育库重新核对")
    if rows:
        print(applicant_table(rows))
        if note := open_score_note(rows):
            print(f"\n{note}")
    filtered = any(
        getattr(args, name)
        for name in ("verdict", "decision", "status", "open", "region", "search")
    )
    if not rows:
        print("（没有符合筛选条件的企业）" if filtered else "（本批次还没有企业）")
    elif filtered:
        print(f"\n显示 {len(rows)} / {stats.applicants} 家（按筛选条件）")
    outdated = [r for r in rows if r.decision_outdated]
    if outdated:
        print(f"\n需复核的决定 {len(outdated)} 家：")
        for r in outdated:
            print(f"· {r.name}（{r.uscc}）：{r.decision_outdated_reason}")
    verdicts = "，".join(f"{v.label} {stats.by_verdict.get(v.value, 0)}" for v in Verdict)
    decisions = (
        "，".join(f"{d.label} {stats.by_decision.get(d.value, 0)}" for d in Decision)
        + f"，未决定 {stats.by_decision.get('none', 0)}"
    )
    print(
        f"\n共 {stats.applicants} 家（文件 {stats.files} 个，数据版本 {stats.versions} 个）："
        f"{verdicts}；{decisions}；待人工确认 {stats.open_judgements} 项，"
        f"待核导入提示 {stats.open_warnings} 条"
    )
    return 0


def _print_issues(issues: list[Issue]) -> None:
    """Issues as `zjtx check` prints them: level, location, field, code, message."""
    rows = [
        (SEVERITY_LABELS[i.severity], i.location(), i.field or "", i.code, i.message)
        for i in issues
    ]
    headers = ("级别", "位置", "字段", "代码", "说明")
    widths = [
        min(48, max(display_width(h), *(display_width(r[n]) for r in rows)))
        for n, h in enumerate(headers[:4])
    ]
    print("  ".join(pad(h, w) for h, w in zip(headers[:4], widths, strict=True)) + "  说明")
    for row in rows:
        print("  ".join(pad(c, w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4])
    print()


def _import_line(item: FileImport) -> str:
    errors = sum(1 for i in item.issues if i.severity == Severity.ERROR)
    warnings = sum(1 for i in item.issues if i.severity == Severity.WARNING)
    counts = (
        f"数据行 {item.rows_total}，导入 {item.rows_imported}，拦截 {item.rows_blocked}，"
        f"空行/跳过 {item.rows_blank}；错误 {errors}，警告 {warnings}"
    )
    if item.already_imported:
        return f"{item.file_name}：此前已导入过同一文件，未作改动（{counts}）"
    if not item.sha256:
        return f"{item.file_name}：未能读取，未写入（{counts}）"
    return (
        f"{item.file_name}：{counts}；新增企业 {item.applicants_new}，"
        f"数据更新 {item.applicants_changed}，未变 {item.applicants_unchanged}"
    )


@_guarded
def cmd_import(args: argparse.Namespace) -> int:
    for given in args.paths:
        if not path_exists(given):
            raise UsageError(f"找不到文件或文件夹“{given}”")
    results: list[FileImport] = []
    try:
        return _import_files(args, results)
    except (Terminated, KeyboardInterrupt) as stop:
        # Each file is saved in its own transaction: those done stay, and are said (not one
        # that could not be read, nor one imported before).
        saved = [
            r.file_name
            for r in results
            if not r.already_imported and r.kind not in ("unreadable", "skipped")
        ]
        if not saved:
            raise  # nothing saved: the command's own message says so
        verb, status = ("终止", 143) if isinstance(stop, Terminated) else ("取消", 130)
        print(
            f"zjtx: 已{verb}：{len(saved)} 个文件已导入并保存（{'、'.join(saved)}）；其余未导入",
            file=sys.stderr,
        )
        return status


def _import_files(args: argparse.Namespace, results: list[FileImport]) -> int:
    from zjtx.commands.textout import progress_printer, reading_printer
    from zjtx.store.profiles import profile_book_for

    with _service() as service:
        service.ensure_open(args.name, "导入申报数据")  # before reading every file
        overrides = map_overrides(args)
        # A large file's applicants are scored on the other cores as its rows are read.
        with service.early_scoring(args.name, args.paths) as early:
            try:
                files = service.read_files(
                    args.name,
                    args.paths,
                    mapping_overrides=overrides,
                    progress=reading_printer(),
                    intake_options={
                        "readings": reading_choices(args),
                        # Saved mapping profiles: the shared database's with PostgreSQL.
                        "profiles": profile_book_for(service.store),
                    },
                    early=early,
                )
            except MappingError as exc:
                raise UsageError(f"--map：{exc}") from None
            for item in files:
                # One transaction per file: a failure keeps the files imported before it.
                saving = progress_printer(f"正在保存 {item.display_name or item.path.name}")
                results.append(
                    service.import_file(
                        args.name, item, evaluator=args.evaluator, early=early, progress=saving
                    )
                )
    issues = [issue for item in results for issue in item.issues]
    if args.json:
        print(dump_json({"round": args.name, "files": [r.to_dict() for r in results]}))
    else:
        if issues:
            _print_issues(issues)
        else:
            print("没有发现问题。")
        for item in results:
            print(_import_line(item))
    return 1 if any(i.severity == Severity.ERROR for i in issues) else 0


@_guarded
def cmd_rescore(args: argparse.Namespace) -> int:
    with _service() as service:
        report = service.rescore(args.name, evaluator=args.evaluator)
        names = {
            row.uscc: f"{row.name}（{row.uscc}）" for row in service.list_applicants(args.name)
        }
    # Every changed verdict: a terminal scrolls, and the codes are what a search needs.
    _emit(args, report.to_dict(), report.text(names, most=len(report.verdict_changes)))
    return 0


@_guarded
def cmd_history(args: argparse.Namespace) -> int:
    with _service() as service:
        entries = service.history(args.name, args.uscc)
    if args.json:
        print(dump_json([e.to_dict() for e in entries]))
        return 0
    for entry in entries:
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        who = f"[{entry.uscc}] " if entry.uscc and not args.uscc else ""
        reason = f"（理由：{entry.reason}）" if entry.reason and "理由" not in entry.summary else ""
        print(f"{when}  {entry.actor}  {who}{entry.summary}{reason}")
    if not entries:
        print("（没有记录）")
    return 0


# ------------------------------------------------------------------------------------ review


@_guarded
def cmd_review(args: argparse.Namespace) -> int:
    if args.all or args.uscc is None:
        return cmd_review_all(args)
    confirmations = []
    for item in args.confirm:
        criterion, sep, state = item.partition("=")
        if not sep or not criterion.strip():
            raise UsageError(f"--confirm 应写成 条目=met 或 条目=unmet，收到 “{item}”")
        met = met_word(state)
        if met is None:
            raise UsageError(f"--confirm {item}：“{state.strip()}” 不是判断结果，应为 {MET_HELP}")
        confirmations.append((criterion.strip(), "met" if met else "unmet"))
    if not (confirmations or args.ack_warning or args.reason or args.decision or args.opinion):
        return _show_review(args)  # nothing to save: what there is to review
    try:
        evaluator = review_evaluator(args.evaluator)
    except IdentityMissingError as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:  # an unreadable settings.json
        raise _Failure(str(exc)) from None
    with _service() as service:
        state = service.apply_review(
            args.name,
            args.uscc,
            evaluator=evaluator,
            confirm=confirmations,
            ack_warnings=[c.strip() for c in args.ack_warning],
            reason=args.reason,
            decision=args.decision,
            opinion=args.opinion,
            expected_version=args.expect_version,
        )
    if args.json:
        print(dump_json(state.to_dict()))
        return 0
    print_review(
        state,
        f"已保存 {state.name}（{state.uscc}）的评审，评审版本 {state.version}，评审人 {evaluator}",
    )
    return 0


def _show_review(args: argparse.Namespace) -> int:
    with _service() as service:
        state = service.review_state(args.name, args.uscc)
        panel = None if args.json else panel_positions(service, args.name, args.uscc)
    if args.json:
        print(dump_json(state.to_dict()))
        return 0
    print_review(state, f"{state.name}（{state.uscc}）评审版本 {state.version}", criteria=True,
                 panel=panel)  # fmt: skip
    print("确认或改判用 --confirm 条目=met|unmet --reason 理由；决定用 --decision … --opinion …")
    return 0


# ---------------------------------------------------------------------------------- identity


def _identity_text(args: argparse.Namespace) -> int:
    try:
        identity = load_identity()
    except StoreError as exc:
        raise _Failure(str(exc)) from None
    if args.json:
        print(dump_json(identity.to_dict() if identity else None))
        return 0
    if identity is None:
        print(f"尚未设置评审人。{HOW_TO_SET}。")
        return 0
    print(f"评审人：{identity.name}")
    print(f"单位：{identity.unit or '（未填写）'}")
    print(f"角色：{identity.role_label}")
    return 0


@_guarded
def cmd_identity(args: argparse.Namespace) -> int:
    return _identity_text(args)


@_guarded
def cmd_identity_set(args: argparse.Namespace) -> int:
    try:
        current = load_identity()
    except StoreError:
        current = None  # a broken identity entry is replaced; other keys are kept or reported
    role = args.role if args.role is not None else (current.role if current else "evaluator")
    if role not in ROLES:
        raise UsageError(f"角色只能是 {'、'.join(ROLES)}，收到 “{role}”")
    unit = args.unit if args.unit is not None else (current.unit if current else "")
    try:
        identity = make_identity(args.name, unit, role)
    except ReviewRuleError as exc:
        raise UsageError(str(exc)) from None
    try:
        save_identity(identity)
    except StoreError as exc:
        raise _Failure(str(exc)) from None
    if args.json:
        print(dump_json(identity.to_dict()))
        return 0
    unit_text = f"，单位 {identity.unit}" if identity.unit else ""
    print(f"已设置本机评审人：{identity.name}{unit_text}，角色 {identity.role_label}")
    return 0


@_guarded
def cmd_identity_clear(args: argparse.Namespace) -> int:
    try:
        save_identity(None)
    except StoreError as exc:
        raise _Failure(str(exc)) from None
    print("已清除本机评审人；保存评审前需重新设置")
    return 0
