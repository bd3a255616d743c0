"""Questions the versions of a standard word differently (the incidents question, criteria.md
§12): an answer given to another version's wording is said, never read as the answer to the
question a round asks (a 否 to the 2022 question does not answer the 2026 one)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zjtx.domain.fields import FieldCatalogue, FieldSpec
from zjtx.domain.issues import Issue, Severity
from zjtx.intake.headers import match_header
from zjtx.intake.records import IntakeResult
from zjtx.intake.roster_rows import RowIssue
from zjtx.intake.sheet_data import cell_ref
from zjtx.intake.values import is_blank, raw_text
from zjtx.intake.year_columns import NOT_READ, part_of_year_column

OTHER_WORDING = "question-wording-other"
# The tiers the bureaus evaluate; the others keep the catalogue's wording.
MAIN_TIERS = ("innovative-sme", "srdi-sme", "little-giant")


def _bundled() -> FieldCatalogue:
    from zjtx.scoring.catalogue import load_catalogue

    return load_catalogue()


def other_wording(label: str, catalogue: FieldCatalogue, year: int) -> FieldSpec | None:
    """The field ``catalogue`` asks in other words, when ``label`` is not one of its questions
    but is that field's question in the bundled catalogue (another version's wording); None
    otherwise."""
    bundled = _bundled()
    if catalogue is bundled:
        return None
    found = match_header(label, bundled, year)
    if found.kind != "field" or found.key is None or found.key not in catalogue:
        return None
    spec = catalogue[found.key]
    if spec.label == bundled[found.key].label:
        return None
    return None if match_header(label, catalogue, year).key == spec.key else spec


def other_wording_message(at: str, label: str, answer: str | None, spec: FieldSpec) -> str:
    """What is said of an answer (None: a column's answers) to another version's wording of
    a question."""
    what = "该列的回答" if answer is None else f"所填“{answer}”"
    return (
        f"{at}“{label}”是另一版评价标准对这一问题的问法；本批次的评价标准问的是“{spec.label}”，"
        f"{what}不能作为这一问题的回答，未导入：请企业按本批次的表述回答"
    )


def unknown_column(text: str, catalogue: FieldCatalogue, hint: str) -> tuple[str, str, str | None]:
    """(code, message, field) for a roster column the catalogue does not know: part of a year
    (2026年1-6月研发费用, not read, as in a form), another version's wording of one of its
    questions, or a column ignored (``hint``: how to correct it). The wording is year-free
    (the reworded questions have no years)."""
    partial = part_of_year_column(text)
    if partial is not None:
        return NOT_READ, partial, None
    asked = other_wording(text, catalogue, date.today().year)
    if asked is not None:
        return OTHER_WORDING, other_wording_message("列", text, None, asked), asked.key
    message = (
        f"列“{text}”不是字段目录中的字段，已忽略（如是某个字段的别称，{hint}，或改用模板中的列名）"
    )
    return "column-ignored", message, None


def other_wording_rows(
    rows: Sequence[Sequence[Any]],
    unknown: Iterable[tuple[int, str, str]],
    catalogue: FieldCatalogue | None,
    data_rows: range,
) -> dict[int, list[RowIssue]]:
    """Per data row, a warning at each answer given in a roster column that asks another
    version's wording of a question: the enterprise's own answer was not taken (as a form's
    is said at its cell), not only the column's."""
    found: dict[int, list[RowIssue]] = {}
    if catalogue is None:
        return found
    for c, text, _where in unknown:
        asked = other_wording(text, catalogue, date.today().year)
        if asked is None:
            continue
        for r in data_rows:
            value = rows[r][c] if c < len(rows[r]) else None
            if is_blank(value):
                continue
            cell = cell_ref(r, c)
            message = other_wording_message(f"{cell}：列", text, raw_text(value), asked)
            issue = RowIssue(OTHER_WORDING, Severity.WARNING, message, asked.key, cell)
            found.setdefault(r, []).append(issue)
    return found


@dataclass(frozen=True, slots=True)
class Asking:
    """How the rounds of one tier from one date ask the questions (their field catalogue)."""

    tier: str
    start: date
    catalogue: FieldCatalogue


def year_askings(year: int) -> list[Asking]:
    """The catalogues the main tiers' rounds of ``year`` read with, from the first day of the
    year and from each date in it that a rulebook or a notice starts on (new applications)."""
    from zjtx.domain.applicant import Applicant
    from zjtx.scoring import load_all_rulebooks
    from zjtx.scoring.api import rulebook_for
    from zjtx.scoring.notices import load_all_notices

    starts = [(b.tier, a.start) for b in load_all_rulebooks() for a in b.applies]
    starts += [(c.tier, c.start) for n in load_all_notices() for c in n.covers]
    askings = []
    for tier in MAIN_TIERS:
        days = {date(year, 1, 1)} | {d for t, d in starts if t == tier and d.year == year}
        for day in sorted(days):
            try:
                book = rulebook_for(
                    Applicant({"application_type": "new"}), round_date=day, tier=tier
                )
            except (LookupError, ValueError):
                continue
            askings.append(Asking(tier, day, book.catalogue))
    return askings


def other_askings(year: int) -> dict[tuple[str, str], list[Asking]]:
    """(field, wording) -> the main tiers' rounds of ``year`` that ask the field in a wording
    other than the bundled catalogue's."""
    bundled = _bundled()
    found: dict[tuple[str, str], list[Asking]] = {}
    for asking in year_askings(year):
        for spec in asking.catalogue:
            if spec.key in bundled and spec.label != bundled[spec.key].label:
                found.setdefault((spec.key, spec.label), []).append(asking)
    return found


def describe_rounds(askings: Iterable[Asking], year: int) -> str:
    from zjtx.scoring import TIERS

    return "、".join(
        f"{a.start.isoformat()} 起的{TIERS.get(a.tier, a.tier)}"
        if a.start != date(year, 1, 1)
        else f"{year}年的{TIERS.get(a.tier, a.tier)}"
        for a in askings
    )


def flag_other_wordings(result: IntakeResult, year: int) -> None:
    """Add to each file of ``result`` (read with the bundled catalogue, which takes every
    version's wording) a warning for each answer some of the year's rounds would not read,
    their question being worded otherwise (the file says which wording it answered)."""
    bundled = _bundled()
    askings = [
        a
        for a in year_askings(year)
        if any(spec.label != bundled[spec.key].label for spec in a.catalogue if spec.key in bundled)
    ]
    if not askings:
        return
    for file in result.files:
        for mapping in file.column_mapping:
            key = mapping.field
            if key is None or key not in bundled:
                continue
            missed = [
                a
                for a in askings
                if key in a.catalogue
                and a.catalogue[key].label != bundled[key].label
                and match_header(mapping.header, a.catalogue, year).key != key
            ]
            if not missed:
                continue
            where = f"{mapping.sheet} {mapping.cell}" if mapping.sheet else mapping.cell
            by_label: dict[str, list[Asking]] = {}
            for a in missed:
                by_label.setdefault(a.catalogue[key].label, []).append(a)
            asked = "；".join(
                f"{describe_rounds(group, year)}批次问的是“{label}”"
                for label, group in by_label.items()
            )
            file.issues.append(
                Issue(
                    code=OTHER_WORDING,
                    severity=Severity.WARNING,
                    message=(
                        f"{where}回答的是“{mapping.header}”；{asked}，这一回答不能作为该问题的"
                        "回答，导入这些批次时不会被采用（本次检查按字段目录读取了它）。检查某一"
                        "批次的文件请加 --tier 和 --date，按该批次的问法读取"
                    ),
                    file=file.display_name or file.path.name,
                    sheet=mapping.sheet,
                    cell=mapping.cell,
                    field=key,
                )
            )
