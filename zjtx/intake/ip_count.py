"""The IP lists of a form counted: ip1_total, ip1_self_developed and ip2_total by the round's
definition of Ⅰ类, each item's doubts (type, relation, acquisition, transfer) named by its cell."""

from __future__ import annotations

from datetime import date

from zjtx.domain.applicant import Provenance
from zjtx.domain.issues import Severity
from zjtx.intake.form_base import FormReaderBase
from zjtx.intake.ip_list import ip_cell, is_related, load_ip_classes, transfer_date
from zjtx.intake.sheet_data import sheet_ref


def count_ip(reader: FormReaderBase) -> None:
    """ip1_total, ip1_self_developed and ip2_total from the IP lists, by the round's
    definition of Ⅰ类 (2026: no transferred-in IP; 2022: transferred 1 year or more)."""
    classes = load_ip_classes()
    reference = date(reader.year, 1, 1)
    counts = {"ip1_total": 0, "ip1_self_developed": 0, "ip2_total": 0}
    acquisition_known = all("acquisition" in t.columns for _, t in reader.ip_tables)
    items = excluded = 0
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
            items += 1
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
                        f"“{said or '（空）'}”，应填“是”或“否”；该项未计入",
                        sheet,
                        sheet_ref(sheet, r, cols["related"]),
                        severity=Severity.WARNING,
                    )
                    continue
                if not related:
                    continue
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
            if kind == "II":
                counts["ip2_total"] += 1
                continue
            if how == "transferred":
                if reader.ip_definition == "2026":
                    excluded += 1
                    continue
                when = None
                if "transfer_date" in cols:
                    when = transfer_date(reader.value(sheet, r, cols["transfer_date"]))
                if when is None or when > reference.replace(year=reference.year - 1):
                    excluded += 1
                    reader.issue(
                        "ip-transfer-recent",
                        f"{reader.at(sheet, r, cols['acquisition'])}：受让的Ⅰ类知识产权"
                        + ("未填受让日期，无法确定是否转让满1年" if when is None
                           else f"于 {when.isoformat()} 受让，至 {reference.isoformat()} 未满1年")
                        + "；按 2022 年口径（转让未满1年不计入）未计入",
                        sheet,
                        sheet_ref(sheet, r, cols["acquisition"]),
                        severity=Severity.WARNING,
                    )  # fmt: skip
                    continue
            counts["ip1_total"] += 1
            if how == "self":
                counts["ip1_self_developed"] += 1
    if not acquisition_known:
        del counts["ip1_self_developed"]
    where = "、".join(places) or reader.at(
        reader.ip_tables[0][0], reader.ip_tables[0][1].header_row, 0
    )
    transfer = (
        "转入的Ⅰ类知识产权不计入（2026 年口径）"
        if reader.ip_definition == "2026"
        else "受让的Ⅰ类知识产权转让满1年才计入（2022 年口径）"
    )
    rule = f"按知识产权清单（{where}，共 {items} 项）计数：{transfer}"
    sheet0, table0 = reader.ip_tables[0]
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
            reader.file, sheet0.name, where, f"清单 {items} 项", rule=rule
        )
    self_part = (
        f"（其中自主研发 {counts['ip1_self_developed']} 项）"
        if "ip1_self_developed" in counts
        else "（清单没有“获得方式”列，自主研发的项数未计）"
    )
    reader.issue(
        "ip-list-counted",
        f"{where} 知识产权清单 {items} 项：与主导产品相关的Ⅰ类 {counts['ip1_total']} 项"
        f"{self_part}、Ⅱ类 {counts['ip2_total']} 项，未计入的转入Ⅰ类 {excluded} 项；{transfer}。"
        "清单未列的条件未核对：实用新型、外观设计须授权后维持超过2年"
        + ("；申请企业须在权利人中排名前三" if reader.ip_definition == "2026" else ""),
        sheet0,
        sheet_ref(sheet0, table0.header_row, table0.columns["type"]),
        severity=Severity.INFO,
    )
