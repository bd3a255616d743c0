"""The product a title is given for (单项冠军: 申请产品), or the 主导产品 a form names."""

from __future__ import annotations

from zjtx.domain.applicant import Applicant
from zjtx.domain.labels import CERTIFIED_PRODUCTS
from zjtx.domain.results import Evaluation

__all__ = ["CERTIFIED_PRODUCTS", "certified_product", "product_line"]


def product_line(evaluation: Evaluation, applicant: Applicant | None) -> tuple[str, str]:
    """The product the criteria judge, named on the form: a 单项冠军's 申请产品, else the
    主导产品."""
    label, key = CERTIFIED_PRODUCTS.get(evaluation.tier, ("主导产品", "lead_product"))
    return label, str(applicant.get(key) or "—") if applicant is not None else "—"


def certified_product(evaluation: Evaluation, applicant: Applicant | None) -> str | None:
    """The product a title of the evaluation's tier is given for, as the applicant names it
    ("—" when it does not); None for a tier whose title is the enterprise's alone."""
    if evaluation.tier not in CERTIFIED_PRODUCTS:
        return None
    return product_line(evaluation, applicant)[1]
