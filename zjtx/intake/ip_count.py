"""The IP lists of a form counted: ip1_total, ip1_self_developed, ip1_applied and ip2_total
under the definition of Ⅰ类 of the rulebook the applicant is judged by, each item's doubts
(type, relation, acquisition, transfer, application) and each column not read named by cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Severity
from zjtx.domain.labels import ApplicationType
from zjtx.intake.cell_text import shown_text
from zjtx.intake.form_base import FormReaderBase
from zjtx.intake.ip_list import (
    IpClasses,
    IpDefinitions,
    definition_of,
    ip_cell,
    is_applied,
    is_related,
    load_ip_classes,
    transfer_date,
)
from zjtx.intake.sheet_data import SheetData, sheet_ref

_KEYS = ("ip1_total", "ip1_self_developed", "ip1_applied", "ip2_total")


def round_ip_definitions(
    tier: str | None, round_date: date, rulebook_id: str | None = None
) -> IpDefinitions | None:
    """The definitions of Ⅰ类 a round's new and renewal applicants are judged by: those of the
    round's fixed rulebook, or of the rulebook its tier and date call for by application type
    (2026 小巨人: new under 2026, renewals under 2022); None when no rulebook applies."""
    from zjtx.scoring.errors import DataFileError
    from zjtx.scoring.loader import load_rulebook
    from zjtx.scoring.selection import select_rulebook_id

    if tier is None and rulebook_id is None:
        return None
    found: dict[str, tuple[str, str | None]] = {}
    for application_type in ("new", "renewal"):
        try:
            rid = rulebook_id or select_rulebook_id(tier or "", round_date, application_type)
            found[application_type] = (definition_of(load_rulebook(rid).version), rid)
        except (LookupError, ValueError, DataFileError):  # scoring says what is wrong
            continue
    if not found:
        return None
    return IpDefinitions(
        found.get("new") or found["renewal"], found.get("renewal") or found["new"], round_date
    )


@dataclass(slots=True)
class _Item:
    """One Ⅰ类 or Ⅱ类 item related to the lead product, as the list states it."""

    sheet: SheetData
    row: int
    cols: dict[str, int]
    kind: str  # "I" or "II"
    how: str | None  # "self", "transferred" or None (not said or not understood)
    applied: bool | None  # None: no 实际应用 column, or an answer not understood
    related: bool | None = True  # None: its 是否相关 answer not understood


@dataclass(slots=True)
class _Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KEYS, 0))
    excluded: int = 0
    # Transferred Ⅰ类 items not counted: when each was transferred (None: not known) and, for a
    # date not read, the cell's text.
    recent: list[tuple[_Item, date | None, str]] = field(default_factory=list)
    # By count: the items an answer not understood (是否相关, 实际应用) leaves out of it or in,
    # which leave the count unknown, not short.
    uncertain: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KEYS, 0))


def _describe(definition: tuple[str, str | None], year: int) -> str:
    """How a definition counts transferred-in Ⅰ类 IP, and why it is the one used."""
    version, rulebook = definition
    why = f"评价标准 {rulebook}" if rulebook else f"未指定评价标准，按批次年度 {year} 年"
    said = (
        f"转入的Ⅰ类知识产权不计入（2026 年口径，{why}）"
        if version == "2026"
        else f"受让的Ⅰ类知识产权转让满1年才计入（2022 年口径，{why}）"
    )
    if rulebook is None and version == "2026":
        said += "；所用评价标准仍用 2022 年口径的（如创新型、2026 年度小巨人复核），以导入批次、"
        said += "按层级和批次日期评价或检查（--tier、--date）时的计数为准"
    return said


def count_ip(reader: FormReaderBase) -> None:
    """ip1_total, ip1_self_developed, ip1_applied and ip2_total from the IP lists, under the
    definition of Ⅰ类 of the applicant's rulebook (2026: no transferred-in IP; 2022:
    transferred 1 year or more); a count that depends on an application type not given is
    left unknown."""
    classes = load_ip_classes()
    definitions = reader.ip_definitions
    reference = definitions.reference or date(reader.year, 1, 1)
    items, total, places = _items(reader, classes)
    _say_ignored(reader)
    tables = [t for _, t in reader.ip_tables]
    keys = [
        key
        for key, part in zip(_KEYS, ("type", "acquisition", "applied", "type"), strict=True)
        if all(part in t.columns for t in tables)
    ]
    chosen = definitions.of(reader.record.values.get("application_type"))
    options = [chosen] if chosen is not None else [definitions.new, definitions.renewal]
    tallies = [_tally(items, version, reference) for version, _ in options]
    day = "批次日期" if definitions.reference else "批次年度的 1 月 1 日"
    for (version, _), tally in zip(options, tallies, strict=True):
        if version == "2022":
            _say_recent(reader, tally, reference, day)
    counts = {
        key: tallies[0].counts[key]
        for key in keys
        if all(t.counts[key] == tallies[0].counts[key] for t in tallies)
        # A blank or unclear answer leaves the count it decides unknown, not short.
        and not any(t.uncertain[key] for t in tallies)
    }
    where = "、".join(places) or reader.at(
        reader.ip_tables[0][0], reader.ip_tables[0][1].header_row, 0
    )
    rules = "；".join(
        (f"{kind}：" if len(options) == 2 else "") + _describe(option, reader.year)
        for kind, option in zip(
            (ApplicationType.NEW.label, ApplicationType.RENEWAL.label), options, strict=False
        )
    )
    rule = f"按知识产权清单（{where}，共 {total} 项）计数：{rules}"
    sheet0, table0 = reader.ip_tables[0]
    _fill(reader, counts, where, total, rule)
    header_cell = sheet_ref(sheet0, table0.header_row, table0.columns["type"])
    undecided = [
        key for key in keys if any(t.counts[key] != tallies[0].counts[key] for t in tallies)
    ]
    if undecided:
        shown = "；".join(
            f"{reader.catalogue[key].label}：新申报 {tallies[0].counts[key]} 项、"
            f"复核 {tallies[1].counts[key]} 项"
            for key in undecided
        )
        reader.issue(
            "ip-definition-undecided",
            f"{where} 知识产权清单：未填申报类型，新申报与复核所用评价标准对Ⅰ类知识产权的口径"
            f"不同（{rules}），按两种口径计得的项数不同（{shown}），这些项数未填入；"
            "请补填申报类型",
            sheet0,
            header_cell,
            severity=Severity.WARNING,
        )
    parts = []
    same = len(tallies) == 2 and (tallies[0].counts, tallies[0].excluded) == (
        tallies[1].counts,
        tallies[1].excluded,
    )
    for (version, rulebook), tally in zip(options[: 1 if same else 2], tallies, strict=False):
        found = tally.counts
        open_ = tally.uncertain
        said = [
            f"与主导产品相关的Ⅰ类 {found['ip1_total']} 项{_open(open_['ip1_total'], '是否相关')}"
        ]
        if "ip1_self_developed" in keys:
            said.append(
                f"其中自主研发 {found['ip1_self_developed']} 项"
                + _open(open_["ip1_self_developed"], "是否相关")
            )
        else:
            said.append("清单没有“获得方式”列：自主研发的项数未计，是否转入未核对")
        if "ip1_applied" in keys:
            said.append(
                f"已实际应用并产生经济效益 {found['ip1_applied']} 项"
                + _open(open_["ip1_applied"], "", "已应用的")
            )
        else:
            said.append("清单没有“是否已实际应用并产生经济效益”列，已应用的项数未计")
        head = "" if len(options) == 1 or same else f"按 {version} 年口径（{rulebook}）："
        parts.append(
            f"{head}{said[0]}（{'，'.join(said[1:])}）、Ⅱ类 {found['ip2_total']} 项"
            f"{_open(open_['ip2_total'], '是否相关')}，"
            f"未计入的转入Ⅰ类 {tally.excluded} 项"
        )
    top3 = any(version == "2026" for version, _ in options)
    reader.issue(
        "ip-list-counted",
        f"{where} 知识产权清单 {total} 项：{'；'.join(parts)}；{rules}"
        + ("（未填申报类型，新申报与复核两种口径计得相同）" if same else "")
        + "。"
        "清单未列的条件未核对：实用新型、外观设计须授权后维持超过2年"
        + ("；申请企业须在权利人中排名前三（2026 年口径）" if top3 else ""),
        sheet0,
        header_cell,
        severity=Severity.INFO,
    )


def _items(reader: FormReaderBase, classes: IpClasses) -> tuple[list[_Item], int, list[str]]:
    """The lists' Ⅰ类 and Ⅱ类 items related to the lead product, how many items the lists
    hold, and where each list is; each doubt about an item is a warning at its cell."""
    items: list[_Item] = []
    total = 0
    places = []
    for sheet, table in reader.ip_tables:
        cols = table.columns
        if table.rows:
            first, last = table.rows[0], table.rows[-1]
            places.append(
                f"{reader.at(sheet, first, cols['type'])}—{sheet_ref(sheet, last, cols['type'])}"
            )
        for r in table.rows:
            row = sheet.rows[r]
            total += 1
            text = ip_cell(row, cols["type"])
            found = classes.classify(text) if text else None
            if found is None:
                reader.issue(
                    "ip-type-unknown",
                    f"{reader.at(sheet, r, cols['type'])}：知识产权类型“{text or '（空）'}”"
                    "不在知识产权类别表中，未计入Ⅰ类或Ⅱ类；请核对（如“发明专利”“实用新型专利”"
                    "“软件著作权”）",
                    sheet,
                    sheet_ref(sheet, r, cols["type"]),
                    severity=Severity.WARNING,
                )
                continue
            kind = found[0]
            if kind == "none":
                continue
            if "related" in cols:
                said = ip_cell(row, cols["related"])
                related = is_related(said)
                if related is None:
                    reader.issue(
                        "ip-related-unknown",
                        f"{reader.at(sheet, r, cols['related'])}：“是否与主导产品相关”填的是"
                        f"“{said or '（空）'}”，应填“是”或“否”；相关的项数因此未填入（待补充）",
                        sheet,
                        sheet_ref(sheet, r, cols["related"]),
                        severity=Severity.WARNING,
                    )
                elif not related:
                    continue
            else:
                related = True
            how = None
            if "acquisition" in cols:
                said = ip_cell(row, cols["acquisition"])
                how = classes.acquisition(said) if said else None
                if how is None:
                    reader.issue(
                        "ip-acquisition-unknown",
                        f"{reader.at(sheet, r, cols['acquisition'])}：获得方式“{said or '（空）'}”"
                        "看不出是自主研发还是受让；按非转入计入Ⅰ类合计、不计入自主研发",
                        sheet,
                        sheet_ref(sheet, r, cols["acquisition"]),
                        severity=Severity.WARNING,
                    )
            applied = None
            if kind == "I" and "applied" in cols:
                said = ip_cell(row, cols["applied"])
                applied = is_applied(said)
                if applied is None:
                    header = ip_cell(sheet.rows[table.header_row], cols["applied"])
                    reader.issue(
                        "ip-applied-unknown",
                        f"{reader.at(sheet, r, cols['applied'])}：“{header}”填的是"
                        f"“{said or '（空）'}”，应填“是”或“否”；已实际应用并产生经济效益的项数"
                        "因此未填入（待补充）",
                        sheet,
                        sheet_ref(sheet, r, cols["applied"]),
                        severity=Severity.WARNING,
                    )
            items.append(_Item(sheet, r, cols, kind, how, applied, related))
    return items, total, places


def _tally(items: list[_Item], version: str, reference: date) -> _Tally:
    """The counts under one definition of Ⅰ类."""
    tally = _Tally()
    counts = tally.counts
    uncertain = tally.uncertain
    for item in items:
        if item.kind == "II":
            (uncertain if item.related is None else counts)["ip2_total"] += 1
            continue
        if item.how == "transferred":
            if version == "2026":
                tally.excluded += 1
                continue
            when, said = None, ""
            if "transfer_date" in item.cols:
                cell = FormReaderBase.value(item.sheet, item.row, item.cols["transfer_date"])
                when = transfer_date(cell)
                if when is None and cell is not None:
                    said = " ".join(str(cell).split())
            if when is None or when > reference.replace(year=reference.year - 1):
                tally.excluded += 1
                tally.recent.append((item, when, said))
                continue
        # An item whose relatedness is not understood may count or not: its counts stay open.
        into = uncertain if item.related is None else counts
        into["ip1_total"] += 1
        if item.how == "self":
            into["ip1_self_developed"] += 1
        if item.applied:
            into["ip1_applied"] += 1
        elif item.applied is None and "applied" in item.cols:
            uncertain["ip1_applied"] += 1
    return tally


def _open(items: int, what: str, count: str = "") -> str:
    """What the count's note adds for ``items`` whose answer (``what``) was not understood."""
    if not items:
        return ""
    return f"、另 {items} 项{what}未能判断，{count}项数未填入"


def _say_recent(reader: FormReaderBase, tally: _Tally, reference: date, day: str) -> None:
    """A warning at each transferred Ⅰ类 item not counted under 2022's definition, counted to
    ``reference`` (``day`` says which day that is)."""
    for item, when, said in tally.recent:
        cell = item.cols["acquisition"]
        if when is not None:
            why = f"于 {when.isoformat()} 受让，至 {reference.isoformat()}（{day}）未满1年"
        elif said:
            why = (
                f"受让日期“{shown_text(said)}”无法读作日期（应填如 2024-05-01），"
                "无法确定是否转让满1年"
            )
        else:
            why = "未填受让日期，无法确定是否转让满1年"
        reader.issue(
            "ip-transfer-recent",
            f"{reader.at(item.sheet, item.row, cell)}：受让的Ⅰ类知识产权{why}"
            "；按 2022 年口径（转让未满1年不计入）未计入",
            item.sheet,
            sheet_ref(item.sheet, item.row, cell),
            severity=Severity.WARNING,
        )  # fmt: skip


def _say_ignored(reader: FormReaderBase) -> None:
    """A warning per list naming each column it has that is not read (file, table, header)."""
    for sheet, table in reader.ip_tables:
        if not table.ignored:
            continue
        shown = "、".join(
            f"“{text}”（{reader.at(sheet, table.header_row, c)}）" for c, text in table.ignored
        )
        first = table.ignored[0][0]
        reader.issue(
            "ip-column-ignored",
            f"{reader.file} 知识产权清单中以下列不是能识别的栏目，未读取：{shown}。能读取的列："
            "名称、类型、授权号、是否与主导产品相关、获得方式、受让日期、是否已实际应用并产生"
            "经济效益（同一栏目有两列的，只读第一列）",
            sheet,
            sheet_ref(sheet, table.header_row, first),
            severity=Severity.WARNING,
        )


def _fill(
    reader: FormReaderBase, counts: dict[str, int], where: str, total: int, rule: str
) -> None:
    """The counts into the record, a count the form states otherwise a warning naming both."""
    sheet0 = reader.ip_tables[0][0]
    for key, count in counts.items():
        spec = reader.catalogue[key]
        if key in reader.record.values and reader.record.values[key] != count:
            reader.issue(
                "ip-count-mismatch",
                f"{spec.label}：申请书填写 {reader.record.values[key]} 项"
                f"（{reader.record.cells.get(key, '')}），知识产权清单计得 {count} 项（{where}）；"
                "按清单计",
                sheet0,
                reader.record.provenance[key].cell,
                key,
                severity=Severity.WARNING,
            )
        reader.record.values[key] = count
        reader.record.cells[key] = where
        reader.record.provenance[key] = Provenance(
            reader.file, sheet0.name, where, f"清单 {total} 项", rule=rule
        )
