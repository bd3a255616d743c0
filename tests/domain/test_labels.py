"""Coded values keep their stored codes, carry a Chinese label each, and own those labels."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from zjtx.domain.labels import (
    ApplicationType,
    CriterionState,
    Decision,
    LabelledEnum,
    ReviewStatus,
    Verdict,
)
from zjtx.scoring.catalogue import load_catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "zjtx"
LABELS_MODULE = PACKAGE / "domain" / "labels.py"
ENUMS: tuple[type[LabelledEnum], ...] = (
    CriterionState,
    Verdict,
    ApplicationType,
    Decision,
    ReviewStatus,
)

# The codes the store, JSON output and command line hold: changing one orphans stored data.
STORED_CODES = {
    CriterionState: ["met", "unmet", "unknown", "manual", "na"],
    Verdict: ["qualified", "not_qualified", "pending"],
    ApplicationType: ["new", "renewal"],
    Decision: ["recommend", "reject", "return"],
    ReviewStatus: ["pending", "in_progress", "ready", "decided"],
}

# Literals equal to a label that may stay outside zjtx/domain/labels.py, with why. Keyed by
# (path under zjtx/, literal).
ALLOWED_LITERALS = {
    # Sample data: an unreadable 高新技术企业 cell typed "待定", not the verdict.
    ("intake/samples.py", "待定"): "sample cell text",
}


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_its_own_chinese_label(enum: type[LabelledEnum]) -> None:
    """Each member has a non-empty Chinese label, distinct within its enum."""
    labels = [member.label for member in enum]
    assert all(label and any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)
    assert len(set(labels)) == len(labels)
    assert enum.labels() == {member.value: member.label for member in enum}


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_stored_codes_are_unchanged(enum: type[LabelledEnum]) -> None:
    """The values stored and written to JSON stay the same strings, in the same order."""
    assert [member.value for member in enum] == STORED_CODES[enum]
    for member in enum:
        assert str(member) == member.value == f"{member}"
        assert json.dumps(member) == json.dumps(member.value)
        assert enum(member.value) is member


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_labels_and_codes_parse_back(enum: type[LabelledEnum]) -> None:
    """from_label reads a label (spaces around ignored); parse reads a code or a label."""
    for member in enum:
        assert enum.from_label(f" {member.label} ") is member
        assert enum.parse(member.label) is member
        assert enum.parse(member.value) is member
        assert enum.label_of(member.value) == member.label


def test_unknown_label_names_the_choices_in_chinese() -> None:
    """An unknown label says what kind of value it is and lists every code with its label."""
    with pytest.raises(ValueError, match="未知的申报类型 “首次”") as caught:
        ApplicationType.from_label("首次")
    assert "new（新申报）、renewal（复核）" in str(caught.value)
    with pytest.raises(ValueError, match="未知的评审决定 “同意”"):
        Decision.parse("同意")
    with pytest.raises(ValueError, match="未知的评价结论"):
        Verdict.from_label("qualified")  # a code is not a label


def test_label_of_an_absent_or_unknown_code_falls_back() -> None:
    """label_of gives the default, else the code itself, for None or an unknown code."""
    assert ApplicationType.label_of(None, "—") == "—"
    assert ApplicationType.label_of("transfer", "—") == "—"
    assert ApplicationType.label_of("transfer") == "transfer"
    assert ApplicationType.label_of(None) == ""
    assert Verdict.label_of(None, "未评价") == "未评价"


def test_intake_reads_application_types_with_the_enum_labels() -> None:
    """The field catalogue's application_type options (what intake reads) are the enum's."""
    spec = load_catalogue().get("application_type")
    assert spec is not None
    assert dict(spec.options) == ApplicationType.labels()


def _literals(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_labels_are_written_only_in_the_enum_module() -> None:
    """No module under zjtx/ spells a verdict, application type, decision or review status
    label (alone, or quoted “…” inside a message) instead of asking the enum for it."""
    labels = {m.label for enum in (Verdict, ApplicationType, Decision, ReviewStatus) for m in enum}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == LABELS_MODULE:
            continue
        where = path.relative_to(PACKAGE).as_posix()
        for line, text in _literals(path):
            for label in labels:
                if text.strip() != label and f"“{label}”" not in text:
                    continue
                if (where, label) not in ALLOWED_LITERALS:
                    found.append(f"zjtx/{where}:{line} {text!r}")
    assert not found, "\n".join(found)


def test_allow_list_has_no_stale_entries() -> None:
    """Every allowed literal still occurs where the allow-list says (else remove its entry)."""
    stale = []
    for where, label in ALLOWED_LITERALS:
        path = PACKAGE / where
        texts = [t.strip() for _, t in _literals(path)] if path.exists() else []
        if label not in texts:
            stale.append((where, label))
    assert not stale
