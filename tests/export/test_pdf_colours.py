"""The report PDF colours the verdict and each criterion state by its code, never by its label."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.export.factories import MADE_AT, applicant_for, srdi_evaluation
from zjtx.domain.labels import Verdict
from zjtx.export.report_model import build_assessment_report
from zjtx.export.report_pdf import render_assessment_pdf
from zjtx.scoring.catalogue import load_catalogue

GREEN, RED, AMBER, MUTED = "#1e6b34", "#b3261e", "#9a5b00", "#555555"
# A text no label uses: whatever a relabelling does, the colour must follow the code.
NEUTRAL = "结论甲"


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    r, g, b = (round(int(value[i : i + 2], 16) / 255, 3) for i in (0, 2, 4))
    return (r, g, b)


def text_colours(path: Path) -> dict[str, set[tuple[float, ...]]]:
    """Each piece of shown text with the fill colours it was drawn in (q/Q nesting kept)."""
    stack: list[tuple[float, ...]] = [(0.0, 0.0, 0.0)]
    shown: dict[str, set[tuple[float, ...]]] = {}

    def operator(op: bytes, args: list, cm: object, tm: object) -> None:
        if op == b"q":
            stack.append(stack[-1])
        elif op == b"Q" and len(stack) > 1:
            stack.pop()
        elif op == b"rg":
            stack[-1] = tuple(round(float(a), 3) for a in args)
        elif op == b"g":
            stack[-1] = (round(float(args[0]), 3),) * 3

    def text(value: str, cm: object, tm: object, font: object, size: object) -> None:
        if value.strip():
            shown.setdefault(value.strip(), set()).add(stack[-1])

    for page in PdfReader(path).pages:
        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return shown


@pytest.fixture(scope="module")
def report():
    evaluation = srdi_evaluation()
    return build_assessment_report(
        evaluation,
        catalogue=load_catalogue(),
        applicant=applicant_for(evaluation),
        made_at=MADE_AT,
    )


@pytest.mark.parametrize(
    ("verdict", "colour"),
    [(Verdict.QUALIFIED, GREEN), (Verdict.NOT_QUALIFIED, RED), (Verdict.PENDING, AMBER)],
)
def test_verdict_colour_follows_the_code_whatever_the_label(tmp_path, report, verdict, colour):
    """The same printed verdict text is green, red or amber as its code says."""
    path = tmp_path / "report.pdf"
    render_assessment_pdf(replace(report, verdict=NEUTRAL, verdict_code=verdict), path)
    assert text_colours(path)[NEUTRAL] == {_rgb(colour)}


def test_verdict_label_printed_in_its_own_colour(tmp_path, report):
    """The real report prints 符合条件 in green (the srdi sample is qualified)."""
    assert report.verdict_code is Verdict.QUALIFIED
    path = tmp_path / "report.pdf"
    render_assessment_pdf(report, path)
    assert text_colours(path)[Verdict.QUALIFIED.label] == {_rgb(GREEN)}


@pytest.mark.parametrize(
    ("code", "colour"),
    [("unmet", RED), ("unknown", AMBER), ("manual", AMBER), ("route_unmet", MUTED)],
)
def test_criterion_state_colour_follows_the_code(tmp_path, report, code, colour):
    """A criterion's state cell is coloured by its state code, not by the text printed."""
    group = report.groups[0]
    row = replace(group.rows[0], state="状态乙", state_code=code, confirmed=False)
    groups = (replace(group, rows=(row, *group.rows[1:])), *report.groups[1:])
    path = tmp_path / "report.pdf"
    render_assessment_pdf(replace(report, groups=groups), path)
    assert text_colours(path)["状态乙"] == {_rgb(colour)}


def test_met_state_stays_black(tmp_path, report):
    """A met criterion is printed in the body colour."""
    group = report.groups[0]
    row = replace(group.rows[0], state="状态乙", state_code="met", confirmed=False)
    groups = (replace(group, rows=(row, *group.rows[1:])), *report.groups[1:])
    path = tmp_path / "report.pdf"
    render_assessment_pdf(replace(report, groups=groups), path)
    assert text_colours(path)["状态乙"] == {(0.0, 0.0, 0.0)}


def text_fonts(path: Path) -> dict[str, set[str]]:
    """Each piece of shown text with the fonts it was drawn in."""
    shown: dict[str, set[str]] = {}

    def text(value: str, cm: object, tm: object, font: object, size: object) -> None:
        if value.strip() and font is not None:
            shown.setdefault(value.strip(), set()).add(str(font.get("/BaseFont")))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=text)
    return shown


def test_failing_and_open_states_print_bold_for_black_and_white_printers(tmp_path, report):
    """不符合 and 待补充数据 print bold, as dark as 符合 on a grey printer and told apart by
    weight; 符合 prints in the body font."""
    group = report.groups[0]
    rows = (
        replace(group.rows[0], state="不符合", state_code="unmet", confirmed=False),
        replace(group.rows[1], state="待补充数据", state_code="unknown", confirmed=False),
        replace(group.rows[2], state="符合", state_code="met", confirmed=False),
    )
    groups = (replace(group, rows=(*rows, *group.rows[3:])), *report.groups[1:])
    path = tmp_path / "report.pdf"
    render_assessment_pdf(replace(report, groups=groups), path)
    fonts = text_fonts(path)
    # (不符合 and 待补充数据 also stand in the page's legend, in the body font.)
    assert any("Bold" in f for f in fonts["不符合"]) and any(
        "Bold" in f for f in fonts["待补充数据"]
    )
    assert not any("Bold" in f for f in fonts["符合"])
