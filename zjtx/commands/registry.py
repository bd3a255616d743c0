"""`zjtx registry import|list|show|due|revoke|link|accept|recognise|export`: the register (培育库)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from zjtx.cli import UsageError
from zjtx.commands import path_exists
from zjtx.commands.rounds import _common, _emit, _guarded, _service, _write_output
from zjtx.commands.textout import coded, dump_json, table
from zjtx.domain.labels import Decision, Verdict
from zjtx.domain.registry import (
    DEFAULT_VALID_YEARS,
    RegistryLevel,
    RegistryStatus,
    RegistryTitle,
)

STATUS_CHOICES = ("recognised", "publicity", "renewed", "revoked")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "registry",
        help="培育库：导入公示/认定名单，查询称号、到期复核与撤销",
        description="培育库记录企业历年获得的称号（创新型、专精特新、小巨人、单项冠军），"
        "每次变化追加一条新状态并记入留痕；导入批次申报数据时据此核对申报的称号。",
    )
    actions = parser.add_subparsers(dest="registry_action", metavar="ACTION", required=True)
    titles = ", ".join(t.value for t in RegistryTitle)

    importer = actions.add_parser("import", help="导入公示名单、认定名单或复核通过名单")
    importer.add_argument("files", nargs="+", metavar="FILE", help=".xlsx/.xls/.csv/.docx 名单文件")
    importer.add_argument("--title", required=True, help=f"称号：{titles}")
    importer.add_argument(
        "--year",
        type=int,
        required=True,
        help="认定（公示）年度；撤销名单为撤销通知的年度：撤销企业此前获得的该称号（名单有"
        "“原认定年度”列时只撤销该年度的）",
    )
    importer.add_argument("--batch", default="", help="批次，如 第一批")
    importer.add_argument(
        "--status",
        default="recognised",
        choices=STATUS_CHOICES,
        help=f"名单的性质：{coded(RegistryStatus.labels(), STATUS_CHOICES)}（默认 recognised）",
    )
    importer.add_argument(
        "--level",
        choices=[lv.value for lv in RegistryLevel],
        help=f"称号级别：{coded(RegistryLevel.labels())}"
        "（默认按称号：创新型、专精特新中小企业为省级，小巨人、单项冠军为国家级）",
    )
    importer.add_argument(
        "--valid-years",
        type=int,
        default=DEFAULT_VALID_YEARS,
        help=f"有效期年数（默认 {DEFAULT_VALID_YEARS}，自认定年度起算）",
    )
    _common(importer, evaluator=True)
    importer.set_defaults(func=_guarded(cmd_import))

    listing = actions.add_parser("list", help="列出培育库（每项认定一行）")
    listing.add_argument("--title", help=f"称号：{titles}")
    listing.add_argument("--year", type=int, help="认定年度")
    listing.add_argument("--region", help="设区市或县（市、区）")
    listing.add_argument(
        "--status",
        choices=[s.value for s in RegistryStatus],
        help=f"状态：{coded(RegistryStatus.labels())}",
    )
    _common(listing)
    listing.set_defaults(func=_guarded(cmd_list))

    show = actions.add_parser("show", help="一家企业的称号、历次状态及在各批次的申报与决定")
    show.add_argument("enterprise", metavar="NAME_OR_USCC", help="企业名称或统一社会信用代码")
    _common(show)
    show.set_defaults(func=_guarded(cmd_show))

    due = actions.add_parser("due", help="有效期于某年届满、应复核的企业")
    due.add_argument("--year", type=int, required=True, help="有效期届满的年度")
    due.add_argument("--title", help=f"称号：{titles}")
    due.add_argument("--out", metavar="FILE.pdf|FILE.xlsx", help="导出到期复核提醒")
    _common(due)
    due.set_defaults(func=_guarded(cmd_due))

    revoke = actions.add_parser("revoke", help="撤销企业的称号（须说明理由）")
    revoke.add_argument("enterprise", metavar="NAME_OR_USCC", help="企业名称或统一社会信用代码")
    revoke.add_argument("--title", required=True, help=f"称号：{titles}")
    revoke.add_argument("--reason", required=True, help="撤销理由（记入留痕）")
    _common(revoke, evaluator=True)
    revoke.set_defaults(func=_guarded(cmd_revoke))

    link = actions.add_parser("link", help="为只有名称的企业补充统一社会信用代码（确认相近名称）")
    link.add_argument("name", metavar="NAME", help="培育库中的企业名称")
    link.add_argument("--uscc", required=True, help="要补充的统一社会信用代码")
    _common(link, evaluator=True)
    link.set_defaults(func=_guarded(cmd_link))

    accept = actions.add_parser("accept", help="将培育库中的称号记录采用到申报数据（来源：培育库）")
    accept.add_argument("round", metavar="ROUND", help="评审批次名称")
    accept.add_argument("uscc", metavar="USCC", help="申报企业的统一社会信用代码")
    accept.add_argument("--field", required=True, help="holds_srdi、holds_innovative 等")
    _common(accept, evaluator=True)
    accept.set_defaults(func=_guarded(cmd_accept))

    recognise = actions.add_parser(
        "recognise",
        help=f"将本系统一个批次标记为已认定：决定为“{Decision.RECOMMEND.label}”的企业记入培育库",
        description="批次的层级即称号，批次即来源；再次标记只补充此后新推荐的企业。",
    )
    recognise.add_argument("round", metavar="ROUND", help="评审批次名称")
    recognise.add_argument("--year", type=int, help="认定年度（默认为批次日期的年份）")
    recognise.add_argument("--batch", help="批次说明（默认为批次名称）")
    recognise.add_argument(
        "--valid-years",
        type=int,
        default=DEFAULT_VALID_YEARS,
        help=f"有效期年数（默认 {DEFAULT_VALID_YEARS}，自认定年度起算）",
    )
    _common(recognise, evaluator=True)
    recognise.set_defaults(func=_guarded(cmd_recognise))

    recheck = actions.add_parser(
        "recheck",
        help="按现行培育库重新核对全部未归档批次的培育库提示（培育库每次变更时会自动核对）",
        description="更新 zjtx 后（核对规则有变）或怀疑提示过时时使用：每个未归档批次的企业按"
        "培育库现有记录重新核对，提示有变化的记入留痕；此前作出的"
        f"“{Decision.RECOMMEND.label}”如遇新增提示则标为需复核。",
    )
    _common(recheck, evaluator=True)
    recheck.set_defaults(func=_guarded(cmd_recheck))

    export = actions.add_parser("export", help="将培育库导出为 Excel")
    export.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    export.add_argument("--title", help=f"称号：{titles}")
    export.add_argument("--year", type=int, help="认定年度")
    export.set_defaults(func=_guarded(cmd_export), json=False)


def _title(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return RegistryTitle.parse(text).value
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _year(value: int) -> int:
    if not 1990 <= value <= 2100:
        raise UsageError(f"年度 {value} 不合理：请写 4 位年份，如 --year 2026")
    return value


def _year_or_none(value: int | None) -> int | None:
    return None if value is None else _year(value)


def cmd_import(args: argparse.Namespace) -> int:
    from zjtx.intake.published_list import read_published_list
    from zjtx.store.registry import RegistryImportError

    title = _title(args.title)
    year = _year(args.year)
    if not 1 <= args.valid_years <= 10:
        raise UsageError("--valid-years 应为 1 到 10 年")
    for given in args.files:
        if not path_exists(given):
            raise UsageError(f"找不到文件“{given}”")
    results: list[dict[str, Any]] = []
    failed = False
    with _service() as service:
        for file in args.files:
            published = read_published_list(Path(file))
            try:
                done = service.registry.import_list(
                    published,
                    title=title or "",
                    year=year,
                    batch=args.batch,
                    status=args.status,
                    level=args.level,
                    valid_years=args.valid_years,
                    evaluator=args.evaluator,
                )
            except RegistryImportError as exc:
                failed = True
                problems = [
                    {"code": p.code, "message": p.message, "file": p.file, "sheet": p.sheet,
                     "row": p.row}
                    for p in exc.problems
                ]  # fmt: skip
                results.append(
                    {"file": published.file_name, "imported": False, "problems": problems}
                )
                if not args.json:
                    print(f"zjtx: 错误：{exc}", file=sys.stderr)
                continue
            results.append({"file": done.file_name, "imported": True, **_counts(done)})
            if not args.json:
                print(
                    f"{done.file_name}：{done.rows} 行，新增 {done.added} 项，"
                    f"状态更新 {done.superseded} 项，补充信用代码 {done.uscc_attached} 项，"
                    f"未变 {done.unchanged} 项"
                    + "".join(f"\n  提示：{note}" for note in done.notes)
                    + _rechecked(done.rechecked)
                )
        # Where the lists now held still cannot vouch for absence (as recognise and recheck
        # say), once the files are in.
        imported = any(result["imported"] for result in results)
        unchecked = service.registry.absence_unchecked() if imported and not args.json else []
    if unchecked:
        print(_unchecked(unchecked).lstrip("\n"))
    if args.json:
        print(dump_json(results))
    return 1 if failed else 0


def _counts(done: Any) -> dict[str, Any]:
    return {
        "rows": done.rows,
        "added": done.added,
        "superseded": done.superseded,
        "uscc_attached": done.uscc_attached,
        "unchanged": done.unchanged,
        "notes": list(done.notes),
        "rechecked": [r.to_dict() for r in done.rechecked],
    }


def _rechecked(rechecked: Any) -> str:
    """The lines saying which open rounds the register's change gave or took warnings."""
    if not rechecked:
        return ""
    changed = sum(1 for r in rechecked if r.applicants)
    damaged = sum(1 for r in rechecked if r.damaged)
    said = [f"{changed} 个批次有变化"] if changed else []
    if damaged:
        said.append(f"{damaged} 个批次有企业的数据已损坏、未能核对")
    lines = [f"\n已按培育库重新核对未归档的批次，{'，'.join(said)}："]
    lines += [f"· {r.summary()}" for r in rechecked]
    if any(r.recommended for r in rechecked):
        lines.append(
            f"请在评审中确认新的提示，并复核、重新保存这些“{Decision.RECOMMEND.label}”决定"
        )
    if damaged:
        lines.append("数据修复后可用 zjtx registry recheck 重新核对")
    return "\n".join(lines)


def _table(entries: list[Any]) -> str:
    rows = [
        [
            e.name,
            e.uscc or "—",
            " ".join(p for p in (e.city, e.county) if p) or "—",
            RegistryTitle.label_of(e.title),
            str(e.year),
            RegistryStatus.label_of(e.shown_status),
            str(e.valid_until),
        ]
        for e in entries
    ]
    head = ["企业名称", "统一社会信用代码", "地区", "称号", "年度", "状态", "有效期至"]
    return table(head, rows) if rows else "（无）"


def cmd_list(args: argparse.Namespace) -> int:
    with _service() as service:
        entries = service.registry.list_entries(
            title=_title(args.title),
            year=_year_or_none(args.year),
            region=args.region,
            status=args.status,
        )
    _emit(args, [e.to_dict() for e in entries], _table(entries) + f"\n共 {len(entries)} 项")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _service() as service:
        found = service.registry.show(args.enterprise)
    data = {
        "name": found.name,
        "uscc": found.uscc,
        "entries": [e.to_dict() for e in found.entries],
        "applications": [
            {
                "round": a.round_name,
                "tier": a.tier,
                "round_date": a.round_date,
                "uscc": a.uscc,
                "name": a.name,
                "verdict": a.verdict,
                "decision": a.decision,
            }
            for a in found.applications
        ],
        "suggestions": [{"name": n, "score": s} for n, s in found.suggestions],
    }
    lines = [f"{found.name or found.query}（{found.uscc or '信用代码未知'}）", "称号及历次状态："]
    for e in found.entries:
        note = f"；{e.note}" if e.note else ""
        source = (
            f"（{e.source_file} 第 {e.source_row} 行）"
            if e.source_row
            else f"（{e.source_file}）"
            if e.source_file
            else ""
        )
        lines.append(
            f"  {e.year} 年 {RegistryLevel.label_of(e.level)}{RegistryTitle.label_of(e.title)}"
            f"：{RegistryStatus.label_of(e.shown_status)}，有效期至 {e.valid_until} 年"
            f"{source}{note}{'' if e.current else '（已被后续状态取代）'}"
        )
    if not found.entries:
        lines.append("  （培育库中无记录）")
    lines.append("在各批次的申报：")
    for a in found.applications:
        lines.append(
            f"  {a.round_name}（{a.round_date}）：{Verdict.label_of(a.verdict, '未评价')}，"
            f"{Decision.label_of(a.decision, '未决定')}"
        )
    if not found.applications:
        lines.append("  （无）")
    _emit(args, data, "\n".join(lines))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    year = _year(args.year)
    with _service() as service:
        entries = service.registry.due(year, title=_title(args.title))
    if args.out:
        from zjtx.export.registry import due_reminder, write_due_pdf, write_due_xlsx

        out = Path(args.out)
        reminder = due_reminder(entries, year, datetime.now().astimezone())
        writer = {".pdf": write_due_pdf, ".xlsx": write_due_xlsx}.get(out.suffix.lower())
        if writer is None:
            raise UsageError("--out 应为 .pdf 或 .xlsx 文件")
        _write_output(writer, reminder, out)
    _emit(
        args,
        {"year": year, "count": len(entries), "entries": [e.to_dict() for e in entries]},
        # The count first: with nothing due, a bare （无） above it read as a header of nothing.
        f"{year} 年到期应复核：共 {len(entries)} 家" + (f"\n{_table(entries)}" if entries else ""),
    )
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    with _service() as service:
        done = service.registry.revoke(
            args.enterprise, title=_title(args.title) or "", reason=args.reason,
            evaluator=args.evaluator,
        )  # fmt: skip
    _emit(
        args,
        {"entries": [e.to_dict() for e in done.entries],
         "rechecked": [r.to_dict() for r in done.rechecked]},
        f"已撤销 {len(done.entries)} 项称号：\n" + _table(done.entries)
        + _rechecked(done.rechecked),
    )  # fmt: skip
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    with _service() as service:
        done = service.registry.attach_uscc(
            args.name,
            args.uscc,
            evaluator=args.evaluator,
            reason="评审人员确认补充统一社会信用代码",
        )
    _emit(
        args,
        {"entries": [e.to_dict() for e in done.entries],
         "rechecked": [r.to_dict() for r in done.rechecked]},
        f"已补充 {len(done.entries)} 项的统一社会信用代码" + _rechecked(done.rechecked),
    )  # fmt: skip
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    with _service() as service:
        done = service.registry.accept_value(
            args.round, args.uscc, args.field, evaluator=args.evaluator
        )
    yes_no = {True: "是", False: "否", None: "空"}
    _emit(
        args,
        done,
        f"已采用培育库记录：{args.field} {yes_no[done['before']]}→{yes_no[done['after']]}"
        f"（{done['basis']}），已重新评价",
    )
    return 0


def cmd_recognise(args: argparse.Namespace) -> int:
    from zjtx.store.registry import RegistryImportError

    year = None if args.year is None else _year(args.year)
    if not 1 <= args.valid_years <= 10:
        raise UsageError("--valid-years 应为 1 到 10 年")
    with _service() as service:
        try:
            done = service.registry.recognise_round(
                args.round, year=year, valid_years=args.valid_years, batch=args.batch,
                evaluator=args.evaluator,
            )  # fmt: skip
        except RegistryImportError as exc:
            print(f"zjtx: 错误：{exc}", file=sys.stderr)
            return 1
        unchecked = service.registry.absence_unchecked()
    text = (
        (
            f"批次 “{args.round}” 已标记为已认定：推荐 {done.rows} 家，新增 {done.added} 项，"
            f"状态更新 {done.superseded} 项，补充信用代码 {done.uscc_attached} 项，"
            f"未变 {done.unchanged} 项"
        )
        + _rechecked(done.rechecked)
        + _unchecked(unchecked)
    )
    _emit(args, {"round": args.round, **_counts(done), "absence_unchecked": unchecked}, text)
    return 0


def _unchecked(lines: list[str]) -> str:
    """Where absence from the register was not held against anyone (no list covers it)."""
    return "".join(f"\n提示：{line}" for line in lines)


def cmd_recheck(args: argparse.Namespace) -> int:
    from zjtx.store.registry_recheck import NOTHING_CHANGED

    with _service() as service:
        done = service.registry.recheck_rounds(evaluator=args.evaluator)
        unchecked = service.registry.absence_unchecked()
    text = (_rechecked(done).lstrip("\n") if done else NOTHING_CHANGED) + _unchecked(unchecked)
    _emit(args, {"rechecked": [r.to_dict() for r in done], "absence_unchecked": unchecked}, text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from zjtx.export.registry import write_register_xlsx

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("--out 应为 .xlsx 文件")
    with _service() as service:
        entries = service.registry.list_entries(
            title=_title(args.title), year=_year_or_none(args.year)
        )
    _write_output(write_register_xlsx, entries, out)
    print(f"已导出培育库 {len(entries)} 项到 {out}")
    return 0
