"""Test inputs for the store: valid USCCs, applicants, read files and a small test rulebook."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.issues import Issue, Severity
from zjtx.domain.results import (
    Confirmation,
    CriterionKind,
    CriterionResult,
    CriterionState,
    Evaluation,
    Verdict,
)
from zjtx.intake.records import FileResult
from zjtx.intake.synthetic import valid_uscc
from zjtx.store.dto import RoundInfo


def make_uscc(number: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check characters) for a serial number."""
    return valid_uscc(number, "330100")


def make_applicant(
    number: int, *, revenue: str = "1500", rd: str = "120", file: str = "roster.xlsx", **extra: Any
) -> Applicant:
    """An applicant with typed values and per-cell provenance, as intake produces them."""
    row = number + 1
    values: dict[str, Any] = {
        "name": f"测试企业{number}有限公司",
        "uscc": make_uscc(number),
        "application_type": "new",
        "revenue_y1": Decimal(revenue),
        "rd_expense_y1": Decimal(rd),
        "founded": date(2015, 3, 1),
        "employees_y1": 120,
        "own_brand": True,
    }
    values.update(extra)
    provenance = {
        key: Provenance(file=file, sheet="名单", cell=f"{chr(65 + i)}{row}", raw=str(value))
        for i, (key, value) in enumerate(values.items())
    }
    return Applicant(
        values=values, provenance=provenance, source=Provenance(file, "名单", f"A{row}")
    )


# A roster's header as the store tests write one: who, five figures of 2024–2025 and the type.
ROSTER_HEADER = [
    "企业名称",
    "统一社会信用代码",
    "2025年营业收入（万元）",
    "2024年营业收入（万元）",
    "2025年研发费用（万元）",
    "2025年主营业务收入（万元）",
    "从业人员数",
    "申报类型",
]


def write_book(path: Path, header: list[str], *rows: list[object]) -> Path:
    """A one-sheet workbook: a header row, then the rows (a roster as an applicant sends it)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def make_file(
    path: Path,
    applicants: Sequence[Applicant],
    *,
    issues: Sequence[Issue] = (),
    blocked: int = 0,
    content: str | None = None,
) -> FileResult:
    """Write a file (its bytes decide the hash) and return it read, as intake would."""
    data = content if content is not None else repr([a.values for a in applicants])
    path.write_text(data, encoding="utf-8")
    return FileResult(
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        kind="xlsx",
        applicants=list(applicants),
        issues=list(issues),
        rows_total=len(applicants) + blocked,
        rows_imported=len(applicants),
        rows_blocked=blocked,
    )


def warning(uscc: str, code: str = "ratio-mismatch", cell: str = "F2") -> Issue:
    return Issue(
        code=code,
        severity=Severity.WARNING,
        message="填报的研发费用占比与按金额计算的不一致",
        file="roster.xlsx",
        sheet="名单",
        cell=cell,
        field="rd_expense_y1",
        uscc=uscc,
    )


@dataclass
class RuleScorer:
    """A three-criterion test rulebook: revenue floor (requirement), one judgement item and
    R&D points. ``rulebook_hash`` can be changed to simulate an updated rulebook."""

    rulebook_hash: str = "a" * 64
    calls: list[str] = field(default_factory=list)

    def __call__(
        self, applicant: Applicant, round_info: RoundInfo, confirmations: Sequence[Confirmation]
    ) -> Evaluation:
        self.calls.append(applicant.uscc)
        floor = Decimal(str(round_info.settings.get("revenue_floor", 1000)))
        confirmed = {c.criterion_id: c for c in confirmations}
        revenue = applicant.get("revenue_y1")
        rd = applicant.get("rd_expense_y1") or Decimal(0)
        computed = {
            "T-REV": CriterionState.UNKNOWN
            if revenue is None
            else (CriterionState.MET if revenue >= floor else CriterionState.UNMET),
            "T-JUDGE": CriterionState.MANUAL,
            "T-RD": CriterionState.MET if rd >= 100 else CriterionState.UNMET,
        }
        titles = {"T-REV": "营业收入门槛", "T-JUDGE": "主导产品属于重点领域", "T-RD": "研发投入"}
        criteria = []
        for cid, state in computed.items():
            confirmation = confirmed.get(cid)
            final = confirmation.state if confirmation else state
            criteria.append(
                CriterionResult(
                    id=cid,
                    title=titles[cid],
                    group="test",
                    group_title="测试",
                    kind=CriterionKind.SCORE if cid == "T-RD" else CriterionKind.REQUIREMENT,
                    state=final,
                    observed=str(revenue if cid == "T-REV" else rd),
                    requirement="≥ 门槛",
                    clause="测试条款",
                    source="测试",
                    grade="A",
                    judgement=cid == "T-JUDGE",
                    points=Decimal(20) if cid == "T-RD" and final == CriterionState.MET else None,
                    computed_state=state if confirmation else None,
                    confirmation=confirmation,
                )
            )
        states = [c.state for c in criteria if c.id != "T-RD"]
        if CriterionState.UNMET in states:
            verdict = Verdict.NOT_QUALIFIED
        elif CriterionState.MANUAL in states or CriterionState.UNKNOWN in states:
            verdict = Verdict.PENDING
        else:
            verdict = Verdict.QUALIFIED
        score = min(rd / 10, Decimal(50)) + (Decimal(20) if rd >= 100 else 0)
        return Evaluation(
            name=applicant.name,
            uscc=applicant.uscc,
            rulebook="test-rulebook",
            rulebook_title="测试规则",
            rulebook_version="1",
            rulebook_hash=self.rulebook_hash,
            overlay=round_info.overlay,
            tier=round_info.tier,
            round_date=round_info.round_date,
            application_type=str(applicant.get("application_type") or "new"),
            verdict=verdict,
            size_class="small",
            criteria=tuple(criteria),
            score=score,
            max_score=Decimal(70),
        )


def write_lead_product_sample(path: Path, share: float = 0.4) -> dict[str, Any]:
    """Write the first sample applicant, with a 主导产品 at ``share`` of its revenue, as a JSON
    input at ``path``; the record written."""
    import json

    from zjtx.paths import resource_path

    samples = json.loads(resource_path("samples", "applicants.json").read_text(encoding="utf-8"))
    record = dict(samples[0], lead_product="精密滚珠丝杠")
    record["lead_product_revenue_y1"] = float(record["revenue_y1"]) * share
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    return record


def write_newer_little_giant(path: Path, version: str = "2026.2", *edits: tuple[str, str]) -> Path:
    """The bundled little-giant-2026 as a newer ``version`` of it, each (old, new) of ``edits``
    replaced once, written to ``path`` (a file to install, or into an installed folder)."""
    from zjtx.paths import resource_path

    text = resource_path("rulebooks", "little-giant-2026.yaml").read_text("utf-8")
    for old, new in (('version: "2026.1"', f'version: "{version}"'), *edits):
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def write_little_giant_ending_before_june(path: Path) -> Path:
    """little-giant-2026 corrected (2026.2) to govern new applications until 2026-05-31 only:
    a 2026-06-01 round's new applicants are left without a standard."""
    return write_newer_little_giant(
        path, "2026.2", ("- from: 2026-04-01", "- from: 2026-04-01\n    until: 2026-05-31")
    )


def insert_old_round(engine: Any, name: str, tier: str = "srdi-sme") -> None:
    """A round (and its creating evaluator) written with plain SQL, as a zjtx of an earlier
    revision wrote it: today's models name columns an old schema lacks."""
    at = "2025-05-01 08:00:00"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO evaluators (name, role, created_at) VALUES ('秘书', 'evaluator', :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO rounds (name, tier, round_date, settings, created_by_id, created_at) "
                "VALUES (:name, :tier, '2025-05-01', '{}', "
                "(SELECT id FROM evaluators WHERE name = '秘书'), :at)"
            ),
            {"name": name, "tier": tier, "at": at},
        )
