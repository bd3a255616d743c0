"""The applicant fields a round's rulebooks read: what a template for such a round asks for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from zjtx.domain.fields import FieldCatalogue
from zjtx.domain.labels import CERTIFIED_PRODUCTS
from zjtx.scoring.definitions import TIERS, Rulebook
from zjtx.scoring.errors import DataFileError
from zjtx.scoring.selection import effective_rulebook, select_rulebook_id

# What the SME size class (划型) is read from.
SIZE_INPUTS = ("employees_y1", "revenue_y1", "total_assets_y1", "size_sector", "industry_code")
# Asked of every applicant whatever the rulebook: who and where it is, and its 申报类型 (which
# picks the rulebook a 复核 is judged by).
ALWAYS = ("name", "uscc", "province", "city", "county", "industry_code", "application_type")
# The key figures every 评审意见表 prints: three years of each series, then single figures.
YEAR_SERIES = ("revenue", "main_revenue", "rd_expense")
SINGLE_FIGURES = (
    "net_profit_y1",
    "total_assets_y1",
    "total_liabilities_y1",
    "employees_y1",
    "rd_staff_y1",
)
KEY_FIGURES = (*(f"{s}_y{n}" for s in YEAR_SERIES for n in (1, 2, 3)), *SINGLE_FIGURES)


def rulebook_fields(rulebook: Rulebook) -> set[str]:
    """The catalogue fields the rulebook's criteria read, through the quantities derived
    from them (a ratio reads both amounts, an alias every field it may stand for) and the
    size class (SIZE_INPUTS)."""
    names: set[str] = set()
    for c in rulebook.criteria:
        for node in (c.cond, c.score):
            if node is not None:
                names |= _quantities(node)
    defs = rulebook.quantities.defs
    fields: set[str] = set()
    pending = list(names)
    while pending:
        qdef = defs.get(pending.pop())
        if qdef is None:
            continue
        if qdef.kind == "field":
            fields.add(qdef.name)
        elif qdef.kind == "builtin":
            fields.update(SIZE_INPUTS if qdef.name == "size_class" else (qdef.name,))
        else:
            pending.extend(qdef.inputs)
            if qdef.alt is not None:
                pending.append(qdef.alt[1])
    return fields


def round_fields(
    tier: str, round_date: date, rulebook_id: str | None = None, overlay_id: str | None = None
) -> frozenset[str] | None:
    """The fields a round of the tier on the date asks for: what it reads of its 新申报 and 复核
    applicants (the rulebook it is fixed to, else those its tier and date call for, with the
    overlay and the year's notices), ALWAYS, the KEY_FIGURES its 评审意见表 prints and the
    product a title of the tier is given for; None where no rulebook applies."""
    found: set[str] = set()
    known = False
    for application_type in ("new", "renewal"):
        try:
            rid = rulebook_id or select_rulebook_id(tier, round_date, application_type)
            rulebook = effective_rulebook(rid, round_date, application_type, overlay_id)
        except (LookupError, ValueError, DataFileError):  # scoring says what is wrong
            continue
        known = True
        found |= rulebook_fields(rulebook)
    if not known:
        return None
    product = CERTIFIED_PRODUCTS.get(tier)
    return frozenset(found | {*ALWAYS, *KEY_FIGURES, *((product[1],) if product else ())})


def _quantities(node: Any) -> set[str]:
    """The quantities a rule node reads, its parts' where it reads another criterion too."""
    reads = node.reads()
    if reads is not None:
        return set(reads)
    found: set[str] = set()
    for part in _parts(node):
        found |= _quantities(part)
    return found


def _parts(node: Any) -> Iterator[Any]:
    """A node's parts: a condition's children; a score's alternatives (items) and the
    conditions of its cases."""
    children = getattr(node, "children", None)
    if children is not None:
        yield from children()
    yield from getattr(node, "items", ())
    for case in getattr(node, "cases", ()):
        yield case[0] if isinstance(case, tuple) else case


def tier_template(
    catalogue: FieldCatalogue,
    tier: str,
    round_date: date,
    rulebook_id: str | None = None,
    overlay_id: str | None = None,
) -> tuple[FieldCatalogue, str]:
    """What a template for a round of the tier asks (the catalogue cut to round_fields; every
    field where no rulebook applies) and whom it is titled for (the tier's name)."""
    fields = round_fields(tier, round_date, rulebook_id, overlay_id)
    return (catalogue if fields is None else catalogue.only(fields)), TIERS.get(tier, tier)
