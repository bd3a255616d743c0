"""`zjtx fields`, `zjtx rulebooks`, `zjtx rulebook show` and `zjtx score`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from zjtx.cli import UsageError
from zjtx.commands import path_exists
from zjtx.commands.rulebook_files import register_actions
from zjtx.commands.textout import dump_json, table
from zjtx.domain.applicant import Applicant
from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.issues import Issue
from zjtx.domain.labels import ApplicationType
from zjtx.domain.results import CriterionKind, CriterionState, Evaluation, Verdict
from zjtx.scoring import (
    TIERS,
    DataFileError,
    NoRulebookError,
    UnknownNameError,
    list_rulebook_ids,
    load_all_rulebooks,
    load_catalogue,
    load_rulebook,
    score_applicants,
)
from zjtx.scoring.api import check_scoring, rulebook_for, score_each
from zjtx.scoring.definitions import describe_applies
from zjtx.scoring.errors import did_you_mean
from zjtx.scoring.installing import installed_lines, origin_of, origin_text
from zjtx.scoring.notice_definitions import AppliedNotice, Notice
from zjtx.scoring.notices import describe_notice, describe_setting, load_all_notices
from zjtx.scoring.quantities import format_number
from zjtx.scoring.rulebook import (
    CORRESPONDENCE_KINDS,
    GRADE_LABELS,
    list_overlay_ids,
    load_overlay,
    rulebook_title,
)
from zjtx.scoring.size import SIZE_LABELS, SIZE_NOT_JUDGED

SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    fields = subparsers.add_parser("fields", help="列出申报数据字段目录")
    fields.add_argument("--json", action="store_true", help="输出 JSON")
    fields.set_defaults(func=cmd_fields)

    rulebooks = subparsers.add_parser("rulebooks", help="列出评价标准与省级规则")
    rulebooks.add_argument("--json", action="store_true", help="输出 JSON")
    rulebooks.set_defaults(func=cmd_rulebooks)

    rulebook = subparsers.add_parser("rulebook", help="查看一个评价标准")
    rb_sub = rulebook.add_subparsers(dest="rulebook_command", metavar="ACTION")
    show = rb_sub.add_parser("show", help="列出评价标准的全部条目、条款与来源")
    show.add_argument("id", help="评价标准 id，如 little-giant-2026")
    show.add_argument("--overlay", help="同时合并的省级规则 id")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=cmd_rulebook_show)
    register_actions(rb_sub)  # check, install: zjtx/commands/rulebook_files.py

    score = subparsers.add_parser(
        "score",
        help="按认定标准逐项评价申报企业",
        description="INPUT 为 JSON 文件（字段见 zjtx fields），也可以是申报表格文件或文件夹。",
    )
    score.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON 文件、表格文件或文件夹")
    which = score.add_mutually_exclusive_group(required=True)
    which.add_argument("--rulebook", help="评价标准 id（见 zjtx rulebooks）")
    which.add_argument("--tier", help=f"层级：{', '.join(TIERS)}")
    score.add_argument("--date", help="批次日期 YYYY-MM-DD（默认今天；其年份为评价年度）")
    score.add_argument("--overlay", help="省级规则 id（如 shandong-2022）")
    score.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=true|false",
        help="批次设置，如 revenue_floor_5000=true",
    )
    score.add_argument("--json", action="store_true", help="输出 JSON 数组")
    score.set_defaults(func=cmd_score)


# --------------------------------------------------------------------------------------------


def cmd_fields(args: argparse.Namespace) -> int:
    catalogue = load_catalogue()
    if args.json:
        data = [
            {
                "key": f.key,
                "label": f.label,
                "display_label": f.display_label(),
                "group": f.group,
                "group_title": catalogue.groups.get(f.group, f.group),
                "type": str(f.type),
                "unit": f.unit,
                "year": f.year,
                "period": f.period,
                "aliases": list(f.aliases),
                "options": dict(f.options) or None,
                "none_means_zero": f.none_means_zero,
                "zero_text": f.zero_text,
                "min": f.minimum,
                "max": f.maximum,
                "required": f.required,
                "help": f.help,
            }
            for f in catalogue
        ]
        print(dump_json(data))
        return 0
    rows = []
    for f in catalogue:
        kind = str(f.type)
        if f.options:
            kind += "：" + "/".join(code for code, _ in f.options)
        rows.append((f.key, f.display_label(), kind, catalogue.groups.get(f.group, f.group)))
    print(table(("字段键", "中文名称", "类型", "分组"), rows))
    print(f"\n共 {len(catalogue)} 个字段。金额单位为万元，百分比字段填百分数（12.5 表示 12.5%）。")
    return 0


def cmd_rulebooks(args: argparse.Namespace) -> int:
    try:
        books = load_all_rulebooks()
    except DataFileError as exc:
        raise UsageError(str(exc)) from None
    base = [b for b in books if b.overlay is None]
    overlays = [load_overlay(oid) for oid in list_overlay_ids()]
    try:
        notices = load_all_notices()
    except DataFileError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        data = {
            "rulebooks": [
                {
                    "id": b.id,
                    "tier": b.tier,
                    "title": b.title,
                    "version": b.version,
                    "instrument": {
                        k: str(v) if v is not None else None for k, v in b.instrument.items()
                    },
                    "applies": [
                        {
                            "from": a.start.isoformat(),
                            "until": a.end.isoformat() if a.end else None,
                            "application_types": list(a.application_types),
                        }
                        for a in b.applies
                    ],
                    "scored": b.scored,
                    "pass_line": format_number(b.pass_line) if b.pass_line is not None else None,
                    "criteria": len(b.criteria),
                    "unverified": [c.id for c in b.unverified_items()],
                    "hash": b.hash,
                    **origin_of("rulebooks", b.id),
                }
                for b in base
            ],
            "overlays": [
                {
                    "id": o.id,
                    "extends": o.extends,
                    "title": o.title,
                    "province": o.province,
                    "applies": [
                        {"from": a.start.isoformat(), "until": a.end.isoformat() if a.end else None}
                        for a in o.applies
                    ],
                    "grade": o.grade,
                    "unverified": o.unverified,
                    **origin_of("overlays", o.id),
                }
                for o in overlays
            ],
            "notices": [_notice_json(n) for n in notices],
        }
        print(dump_json(data))
        return 0
    rows = [
        (
            b.id,
            b.title,
            b.instrument.get("number", ""),
            describe_applies(b.applies),
            f"{len(b.criteria)} 条"
            + (f"（{len(b.unverified_items())} 条未核实）" if b.unverified_items() else ""),
            origin_text("rulebooks", b.id),
        )
        for b in base
    ]
    print(table(("id", "名称", "文号", "适用批次", "条目", "来源"), rows))
    print()
    rows = [
        (
            o.id,
            o.title,
            o.extends,
            describe_applies(o.applies),
            o.grade,
            origin_text("overlays", o.id),
        )
        for o in overlays
    ]
    print(table(("省级规则 id", "名称", "扩展", "适用批次", "来源等级", "来源"), rows))
    for line in installed_lines():  # where each installed file is, and any left unused
        print(line)
    print()
    rows = [
        (
            n.id,
            n.instrument.number + (f"（{n.province}）" if n.province else ""),
            "；".join(f"{TIERS[c.tier].split('（')[0]} {c.describe()}" for c in n.covers),
            "；".join(line for a in _applied(n) for line in a.summary()),
            _grade_text(n.grade) + (" ⚠未核实" if n.unverified else ""),
            origin_text("notices", n.id),
        )
        for n in notices
    ]
    print(table(("通知 id", "文号", "适用批次", "改变", "来源等级", "来源"), rows))
    print("\n国家级通知按批次日期自动适用；省级通知随该省的省级规则适用。")
    return 0


def _grade_text(grade: str) -> str:
    return "未核实" if grade.startswith("UNVERIFIED") else grade


def _applied(notice: Notice) -> list[AppliedNotice]:
    return [AppliedNotice(notice, change) for change in notice.changes]


def _notice_json(n: Notice) -> dict[str, Any]:
    ins = n.instrument
    return {
        "id": n.id,
        "title": n.title,
        "level": n.level,
        "province": n.province,
        "instrument": {
            "title": ins.title,
            "number": ins.number,
            "issued": ins.issued.isoformat() if ins.issued else None,
            "grade": ins.grade,
            "link": ins.link or None,
        },
        "covers": [
            {
                "tier": c.tier,
                "from": c.start.isoformat(),
                "until": c.end.isoformat() if c.end else None,
                "application_types": list(c.application_types),
            }
            for c in n.covers
        ],
        "changes": [{"rulebook": a.change.rulebook, "summary": a.summary()} for a in _applied(n)],
        "unverified": n.unverified,
        **origin_of("notices", n.id),
    }


def cmd_rulebook_show(args: argparse.Namespace) -> int:
    if args.id not in list_rulebook_ids():  # before a file name is made of it
        if args.id in list_overlay_ids():
            base = load_overlay(args.id).extends
            raise UsageError(
                f"{args.id} 是省级规则：请用 zjtx rulebook show {base} --overlay {args.id} 查看"
            )
        raise UsageError(str(UnknownNameError("评价标准", args.id, list_rulebook_ids())))
    try:
        book = load_rulebook(args.id, args.overlay) if args.overlay else load_rulebook(args.id)
    except (UnknownNameError, DataFileError) as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        data = {
            "id": book.id,
            "overlay": book.overlay.id if book.overlay else None,
            "title": book.title,
            "version": book.version,
            "hash": book.hash,
            "instrument": {
                k: str(v) if v is not None else None for k, v in book.instrument.items()
            },
            "pass_line": format_number(book.pass_line) if book.pass_line is not None else None,
            "max_score": format_number(book.max_score) if book.max_score is not None else None,
            "groups": [{"id": g.id, "title": g.title} for g in book.groups.values()],
            "criteria": [
                {
                    "id": c.id,
                    "title": c.title,
                    "group": c.group,
                    "kind": str(c.kind),
                    "requirement": c.requirement,
                    "clause": c.clause,
                    "source": c.source,
                    "grade": c.grade,
                    "unverified": c.unverified,
                    "judgement": c.judgement,
                    "judgement_in_some_cases": c.guarded,
                    "max_points": format_number(c.max_points) if c.max_points is not None else None,
                    "overlay": c.overlay,
                    "replaces": (
                        {
                            "rulebook": c.replaces.rulebook,
                            "criteria": list(c.replaces.criteria),
                            "how": c.replaces.how,
                        }
                        if c.replaces
                        else None
                    ),
                }
                for c in book.criteria
            ],
            "notes": list(book.notes),
        }
        print(dump_json(data))
        return 0
    ins = book.instrument
    print(f"{book.display_id}  {book.title}（版本 {book.version}）")
    print(f"依据：《{ins.get('title')}》{ins.get('number')} {ins.get('annex', '')}")
    if ins.get("note"):
        print(f"说明：{ins['note']}")
    print("适用：" + describe_applies(book.applies))
    if book.scored:
        print(f"满分 {format_number(book.max_score)} 分，及格线 {format_number(book.pass_line)} 分")
    for group in book.groups.values():
        members = [c for c in book.criteria if c.group == group.id]
        if not members:
            continue
        print(f"\n【{group.title}】")
        for c in members:
            pts = f"（满分 {format_number(c.max_points)} 分）" if c.max_points is not None else ""
            flags = (
                "［按申报数据，部分情形需人工确认］"
                if c.guarded
                else "［需人工确认］"
                if c.judgement
                else ""
            )
            print(f"  {c.id}  {c.title}{pts}{flags}")
            print(f"      条款：{c.clause}")
            print(f"      规则：{c.requirement}")
            grade = c.grade.split()[0]
            print(f"      来源：{c.source}；可信等级 {c.grade}（{GRADE_LABELS.get(grade, '')}）")
            if c.unverified:
                print(f"      ⚠ 未核实：{c.unverified}")
            if c.replaces:
                link = c.replaces
                label = CORRESPONDENCE_KINDS[link.how]
                olds = "、".join(link.criteria)
                print(f"      对应：{rulebook_title(link.rulebook)} {olds}（{label}）")
    for note in book.notes:
        print(f"\n注：{note}")
    return 0


# --------------------------------------------------------------------------------------------


def _parse_date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期 “{text}” 格式不对，应为 YYYY-MM-DD") from None


def _parse_settings(items: list[str]) -> dict[str, bool]:
    settings = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or value.lower() not in ("true", "false"):
            raise UsageError(f"批次设置 “{item}” 应写成 NAME=true 或 NAME=false")
        settings[name.strip()] = value.lower() == "true"
    return settings


def catalogue_for(overlay: str | None) -> FieldCatalogue:
    """The field catalogue, with the overlay's own fields (e.g. sd_*) when one is selected."""
    if not overlay:
        return load_catalogue()
    try:
        return load_rulebook(load_overlay(overlay).extends, overlay).catalogue
    except (UnknownNameError, DataFileError) as exc:
        raise UsageError(str(exc)) from None


def scoring_catalogue(
    round_date: date,
    tier: str | None,
    rulebook_id: str | None,
    overlay: str | None,
) -> FieldCatalogue:
    """The questions as a round of that tier (or rulebook) and date asks them of a new
    applicant, as round_catalogue gives a round: the rulebook's field catalogue, with its
    overlay's fields and the notices' wording (a 2026 round asks the 2026 incidents question,
    so the 2022 question's answer is not read as its answer). Where no rulebook applies, the
    catalogue of the overlay or the bundled one (scoring then says what is wrong)."""
    if tier is None and rulebook_id is None:
        return catalogue_for(overlay)
    try:
        book = rulebook_for(
            Applicant({"application_type": "new"}),
            round_date=round_date,
            tier=tier,
            rulebook_id=rulebook_id,
            overlay=overlay,
        )
    except (LookupError, ValueError, DataFileError):
        return catalogue_for(overlay)
    return book.catalogue


def load_inputs(
    paths: list[str],
    year: int,
    overlay: str | None = None,
    catalogue: FieldCatalogue | None = None,
    ip_definitions: Any = None,
) -> list[Applicant]:
    """Applicants from JSON inputs, spreadsheets and folders (spreadsheets go through intake;
    ``ip_definitions``: the rulebooks' definitions of Ⅰ类 their IP lists are counted under)."""
    return list(InputApplicants(paths, year, overlay, catalogue, ip_definitions))


class InputApplicants:
    """The applicants of a scoring command's input files, read again at each iteration.

    JSON files are read one applicant at a time (memory flat in their size); spreadsheets and
    folders go through intake and are held. The order is that of the JSON files as given, then
    the spreadsheets.
    """

    def __init__(
        self,
        paths: list[str],
        year: int,
        overlay: str | None = None,
        catalogue: FieldCatalogue | None = None,
        ip_definitions: Any = None,
    ) -> None:
        self.catalogue = catalogue if catalogue is not None else catalogue_for(overlay)
        self.paths = paths
        self.year = year
        self.ip_definitions = ip_definitions
        self.sheet_applicants: list[Applicant] | None = None
        self.checked = False  # a whole pass ran the gate (later passes need not again)

    def __iter__(self) -> Iterator[Applicant]:
        from zjtx.intake.json_input import InputError, iter_json_applicants
        from zjtx.intake.reader import json_applicant_errors

        sheets: list[str] = []
        blocked: list[Issue] = []
        check = not self.checked
        for raw in self.paths:
            path = Path(raw)
            if not path_exists(raw):
                raise UsageError(f"找不到输入文件 “{raw}”")
            if path.is_file() and path.suffix.lower() == ".json":
                try:
                    for index, applicant in enumerate(
                        iter_json_applicants(path, self.catalogue, self.year), start=1
                    ):
                        # The gate an import applies: figures that cannot be (a negative
                        # revenue) are said, not passed over; the rules still answer for them
                        # (scoring is also asked "what if"), as the note says.
                        if check:
                            errors = json_applicant_errors(
                                applicant, self.catalogue, path.name, index
                            )
                            if errors:
                                blocked.append(errors[0])
                        yield applicant
                except InputError as exc:
                    raise UsageError(str(exc)) from None
            else:
                sheets.append(raw)
        if check:
            self.checked = True
        if check and blocked:
            print(
                f"zjtx: 注意：{len(blocked)} 家企业的数据未通过导入检查（{_first_issues(blocked)}），"
                "导入批次时会被拦截；以下评价按所填数据照常给出，仅供参考，用 zjtx check 查看详情",
                file=sys.stderr,
            )
        if sheets:
            if self.sheet_applicants is None:
                self.sheet_applicants = _read_spreadsheets(
                    sheets, self.year, self.catalogue, self.ip_definitions
                )
            yield from self.sheet_applicants

    def first_of_each_type(self) -> list[Applicant]:
        """Every applicant read and checked (a bad file is a usage error before any output),
        keeping the first of each application type: what names a rulebook to check."""
        kept: dict[Any, Applicant] = {}
        for applicant in self:
            kept.setdefault(applicant.values.get("application_type"), applicant)
        return list(kept.values())


def _first_issues(issues: list[Issue], count: int = 3) -> str:
    """Where and what the first few gate errors are, for a one-line note (a message that
    names its file already is not prefixed with it again)."""
    shown = "；".join(
        i.message if i.message.startswith(f"{i.location()}：") else f"{i.location()}：{i.message}"
        for i in issues[:count]
    )
    return shown + ("……" if len(issues) > count else "")


def _read_spreadsheets(
    paths: list[str], year: int, catalogue: FieldCatalogue, ip_definitions: Any = None
) -> list[Applicant]:
    try:
        from zjtx.intake import read_applicants
    except ImportError:
        raise UsageError("此版本尚不能读取表格文件，请使用 JSON 输入") from None
    result = read_applicants(paths, year, catalogue=catalogue, ip_definitions=ip_definitions)
    # Files that could not be read, and entries a folder says instead (an archive, nothing in it).
    unread = [f for f in result.files if f.kind == "unreadable" or (
        f.kind == "skipped" and any(str(i.severity) != "info" for i in f.issues))]  # fmt: skip
    if unread:
        errors = [i for f in unread for i in f.issues if str(i.severity) != "info"]
        print(
            f"zjtx: 注意：{len(unread)} 处未能读取，其中的企业未参与评价（{_first_issues(errors)}）",
            file=sys.stderr,
        )
    # An answer to another version's question (the 2022 incidents question in a 2026 round):
    # not read as the answer, so a criterion awaits data; say why.
    worded = [i for f in result.files for i in f.issues if i.code == "question-wording-other"]
    if worded:
        print(
            f"zjtx: 注意：{len(worded)} 处按另一版评价标准的问法回答，未作为所用评价标准问题的回答"
            f"（{_first_issues(worded)}）",
            file=sys.stderr,
        )
    rows = sum(f.rows_blocked for f in result.files)
    if rows:
        blocked = [
            i for f in result.files if f not in unread for i in f.issues
            if str(i.severity) == "error"
        ]  # fmt: skip
        print(
            f"zjtx: 注意：{rows} 家企业的数据未通过导入检查（{len(blocked)} 个错误："
            f"{_first_issues(blocked)}），未参与评价；用 zjtx check 查看详情",
            file=sys.stderr,
        )
    return list(result.applicants)


def read_scoring_inputs(
    args: argparse.Namespace, *, required: bool = False, streamed: bool = False
) -> tuple[Any, dict[str, Any]]:
    """The applicants of a scoring command's input files, and how to score them (its --tier or
    --rulebook, --date, --overlay and --setting), checked: bad names are usage errors with a
    "did you mean" raised before anything is evaluated.

    Args:
        required: at least one applicant must be read (else a usage error).
        streamed: the applicants as an InputApplicants, read once here to check them and read
            again by whoever iterates it (memory flat in the number of applicants); else a list.
    """
    round_date = _parse_date(args.date)
    settings = _parse_settings(args.setting)
    if args.tier and args.tier not in TIERS:
        raise UsageError(str(UnknownNameError("层级", args.tier, TIERS)))
    if args.rulebook and args.rulebook not in list_rulebook_ids():
        raise UsageError(str(UnknownNameError("评价标准", args.rulebook, list_rulebook_ids())))
    if args.overlay and args.overlay not in list_overlay_ids():
        raise UsageError(str(UnknownNameError("省级规则", args.overlay, list_overlay_ids())))
    from zjtx.intake.ip_count import round_ip_definitions

    # Read with the questions of the round the command stands for (its rulebook's wording), and
    # IP lists counted under the definition of Ⅰ类 of the rulebook each applicant is judged by.
    catalogue = scoring_catalogue(round_date, args.tier, args.rulebook, args.overlay)
    ip = round_ip_definitions(args.tier, round_date, args.rulebook)
    if streamed:
        applicants: Iterable[Applicant] = InputApplicants(
            args.inputs, round_date.year, args.overlay, catalogue, ip
        )
        checked = applicants.first_of_each_type()
    else:
        applicants = checked = load_inputs(
            args.inputs, round_date.year, args.overlay, catalogue, ip
        )
    if required and not checked:
        raise UsageError("输入中没有申报企业")
    how = {
        "round_date": round_date,
        "tier": args.tier,
        "rulebook_id": args.rulebook,
        "overlay": args.overlay,
        "settings": settings,
    }
    try:
        check_scoring(checked, **how)
    except (UnknownNameError, NoRulebookError, DataFileError) as exc:
        raise UsageError(str(exc)) from None
    if args.rulebook:
        types = {str(a.values.get("application_type") or "new") for a in checked}
        _say_when_out_of_force(args.rulebook, round_date, types)
    return applicants, how


def _say_when_out_of_force(rulebook_id: str, round_date: date, types: set[str]) -> None:
    """A standard named with --rulebook for applications it does not cover on the round's
    date (a repealed one, one not yet in force, renewals it leaves to another) scores as asked
    — a province may keep an old standard — and says so."""
    from zjtx.domain.labels import ApplicationType
    from zjtx.scoring import load_rulebook
    from zjtx.scoring.definitions import describe_applies

    book = load_rulebook(rulebook_id)
    outside = sorted(t for t in types if not any(a.covers(round_date, t) for a in book.applies))
    if outside:
        which = "、".join(ApplicationType.label_of(t, t) for t in outside)
        print(
            f"zjtx: 注意：评价标准 {rulebook_id} 适用于{describe_applies(book.applies)}，"
            f"不含 {round_date} 批次的{which}；以下按指定的标准评价",
            file=sys.stderr,
        )


def score_inputs(
    args: argparse.Namespace, *, required: bool = False
) -> tuple[list[Applicant], list[Evaluation]]:
    """The input files of a scoring command, read and scored (see read_scoring_inputs)."""
    applicants, how = read_scoring_inputs(args, required=required)
    try:
        evaluations = score_applicants(applicants, **how)
    except (UnknownNameError, NoRulebookError, DataFileError) as exc:
        raise UsageError(str(exc)) from None
    return applicants, evaluations


def cmd_score(args: argparse.Namespace) -> int:
    if args.json:
        # One applicant at a time: read, evaluated, written and dropped, so memory stays flat
        # in the number of applicants (the bytes are those of one json.dumps of the whole
        # list). The inputs are read twice: once to check them all before any output.
        streamed, how = read_scoring_inputs(args, streamed=True)
        write_json_array(e.to_dict() for e in score_each(streamed, **how))
        return 0
    # Nothing to score (every row blocked, an empty file) is bad input, not "共评价 0 家";
    # --json above keeps writing [] for an empty list, as a program reading it expects.
    applicants, how = read_scoring_inputs(args, required=True)
    evaluations = score_applicants(applicants, **how)
    header = notice_header(evaluations)
    if header:
        print("\n".join(header))
        print()
    for evaluation in evaluations:
        print(render_evaluation(evaluation))
        print()
    print(render_summary(evaluations))
    return 0


def write_json_array(items: Iterable[Any], out: TextIO | None = None) -> None:
    """Write ``dump_json(list(items))`` plus a newline to ``out`` (stdout), element by element."""
    out = out if out is not None else sys.stdout
    first = True
    for item in items:
        text = dump_json(item).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + text)
        first = False
    out.write("[]\n" if first else "\n]\n")


_STATE_MARKS = {
    CriterionState.MET: "✓ 符合",
    CriterionState.UNMET: "✗ 不符合",
    CriterionState.UNKNOWN: "? 待补充数据",
    CriterionState.MANUAL: "◇ 待人工确认",
    CriterionState.NA: "– 不适用",
}


def render_evaluation(e: Evaluation) -> str:
    """Readable Chinese result of one applicant for the terminal."""
    lines = [f"══ {e.name or '（未填企业名称）'}（{e.uscc or '无统一社会信用代码'}）"]
    app = ApplicationType.label_of(e.application_type, "申报类型未填")
    rb = e.rulebook + (f" + {e.overlay}" if e.overlay else "")
    lines.append(
        f"评价标准：{rb} {e.rulebook_title}｜批次 {e.round_date.isoformat()}｜{app}｜"
        + (
            "规模：不考查"
            if e.tier in SIZE_NOT_JUDGED
            else f"规模：{SIZE_LABELS.get(e.size_class, e.size_class)}"
        )
    )
    verdict = f"结论：{e.verdict.label}"
    if e.scored:
        interval = (
            ""
            if e.score_min == e.score_max
            else f"（可能区间 {format_number(e.score_min)}–{format_number(e.score_max)}）"
        )
        verdict += (
            f"｜得分 {format_number(e.score)}/{format_number(e.max_score)}{interval}"
            f"｜及格线 {format_number(e.pass_line)}"
        )
        verdict += "｜" + "，".join(
            f"{g.title} {format_number(g.points)}/{format_number(g.max_points)}" for g in e.groups
        )
    lines.append(verdict)
    if e.notices:
        lines.append("适用通知：" + "；".join(describe_notice(r) for r in e.notices))
    for record in e.settings:
        lines.append(f"批次设置：{describe_setting(record)}")
    for reason in e.verdict_reasons:
        lines.append(f"  · {reason}")
    rows = []
    for c in e.criteria:
        pts = ""
        if c.max_points is not None:
            pts = f"{format_number(c.points)}/{format_number(c.max_points)}"
            if c.points_min != c.points_max:
                pts += f"（{format_number(c.points_min)}–{format_number(c.points_max)}）"
        title = c.title + (" ⚠未核实" if c.unverified else "")
        if c.kind == CriterionKind.ROUTE:
            title += "（直通）"
        rows.append((c.id, title, _STATE_MARKS[c.state], pts, c.observed))
        if (
            c.gap
            and c.state in (CriterionState.UNMET, CriterionState.MET)
            and c.kind != CriterionKind.ROUTE
        ):
            rows.append(("", "", "", "", f"↳ 差距：{c.gap}"))
    lines.append(table(("条目", "名称", "状态", "得分", "观测值"), rows))
    for note in e.notes:
        lines.append(f"注：{note}")
    return "\n".join(lines)


def notice_header(evaluations: Iterable[Evaluation]) -> list[str]:
    """Lines naming the notices the evaluations were judged by, and the settings a notice or
    the round fixed (an override says what it overrode), each once."""
    lines: dict[str, None] = {}
    for e in evaluations:
        kind = ApplicationType.label_of(e.application_type, ApplicationType.NEW.label)
        for record in e.notices:
            lines[f"适用通知（{e.rulebook}，{kind}）：{describe_notice(record)}"] = None
        for record in e.settings:
            lines[f"批次设置（{e.rulebook}）：{describe_setting(record)}"] = None
    return list(lines)


def render_summary(evaluations: list[Evaluation]) -> str:
    counts = {v: 0 for v in Verdict}
    for e in evaluations:
        counts[e.verdict] += 1
    parts = "，".join(f"{v.label} {counts[v]} 家" for v in Verdict)
    return f"共评价 {len(evaluations)} 家企业：{parts}。"


__all__ = ["did_you_mean", "register"]
