"""Hand-made evaluations and applicants for the export tests (the shape the evaluator returns)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

from zjtx.domain.applicant import Applicant
from zjtx.domain.results import (
    Confirmation,
    CriterionKind,
    CriterionResult,
    CriterionState,
    Evaluation,
    GroupScore,
    Verdict,
)

MADE_AT = datetime(2026, 5, 20, 9, 30)


def criterion(
    cid: str,
    title: str,
    group: str,
    group_title: str,
    state: CriterionState,
    *,
    kind: CriterionKind = CriterionKind.SCORE,
    points: str | None = None,
    max_points: str | None = None,
    observed: str = "",
    requirement: str = "",
    gap: str | None = None,
    missing: tuple[str, ...] = (),
    judgement: bool = False,
    points_range: tuple[str, str] | None = None,
    confirmation: Confirmation | None = None,
    computed_state: CriterionState | None = None,
) -> CriterionResult:
    """One criterion result with the fields a report prints."""
    low = high = D(points) if points is not None else None
    if points_range:
        low, high = D(points_range[0]), D(points_range[1])
    return CriterionResult(
        id=cid,
        title=title,
        group=group,
        group_title=group_title,
        kind=kind,
        state=state,
        observed=observed,
        requirement=requirement,
        clause="附件1 第二条",
        source="工信部企业〔2022〕63号",
        grade="A",
        judgement=judgement,
        points=D(points) if points is not None else None,
        points_min=low,
        points_max=high,
        max_points=D(max_points) if max_points is not None else None,
        gap=gap,
        missing=missing,
        computed_state=computed_state,
        confirmation=confirmation,
    )


def srdi_evaluation(
    name: str = "杭州堃喆精密机械有限公司",
    uscc: str = "91330106MA2B0XXX1X",
    *,
    score: str = "72",
    verdict: Verdict = Verdict.QUALIFIED,
    extra_criteria: int = 0,
    open_points: str = "13",
) -> Evaluation:
    """A scored 专精特新 evaluation: requirements, score items, one judgement item, one gap.
    ``open_points`` is how far above ``score`` the score could still reach (its open items
    SR-S3 and SR-C2); "0" makes the total fixed (the criteria are left as they are)."""
    S = CriterionState
    items = [
        criterion(
            "SR-1",
            "从事特定细分市场时间",
            "basic",
            "基本条件",
            S.MET,
            kind=CriterionKind.REQUIREMENT,
            observed="8 年",
            requirement="≥2 年",
        ),
        criterion(
            "SR-2",
            "研发费用总额",
            "basic",
            "基本条件",
            S.MET,
            kind=CriterionKind.REQUIREMENT,
            observed="320 万元；占比 4.1%",
            requirement="≥100 万元，且占营业收入比重 ≥3%",
        ),
        criterion(
            "SR-3",
            "营业收入",
            "basic",
            "基本条件",
            S.MET,
            kind=CriterionKind.REQUIREMENT,
            observed="7,800 万元",
            requirement="≥1000 万元",
        ),
        criterion(
            "SR-S1",
            "研发费用增长率",
            "zhuan",
            "专业化",
            S.UNMET,
            points="0",
            max_points="5",
            observed="-3.2%",
            requirement="≥10% 得 5 分",
            gap="增长率还差 13.2 个百分点",
        ),
        criterion(
            "SR-S2",
            "主营业务收入占比",
            "zhuan",
            "专业化",
            S.MET,
            points="5",
            max_points="5",
            observed="96.4%",
            requirement="≥70%",
        ),
        criterion(
            "SR-S3",
            "主导产品所属领域",
            "zhuan",
            "专业化",
            S.MANUAL,
            points="0",
            max_points="5",
            observed="其他",
            requirement="属于产业链关键环节",
            judgement=True,
            points_range=("0", "5"),
        ),
        criterion(
            "SR-C1",
            "Ⅰ类知识产权",
            "innovation",
            "创新能力",
            S.MET,
            points="15",
            max_points="20",
            observed="3 项",
            requirement="≥3 项得 15 分",
        ),
        criterion(
            "SR-C2",
            "研发机构",
            "innovation",
            "创新能力",
            S.UNKNOWN,
            points="0",
            max_points="8",
            observed="",
            requirement="市级以上研发机构",
            missing=("rd_institution_level",),
            points_range=("0", "8"),
        ),
    ]
    for n in range(extra_criteria):
        items.append(
            criterion(
                f"SR-X{n + 1}",
                f"附加指标第{n + 1}项（数字化转型与质量管理体系建设水平）",
                "extra",
                "精细化",
                S.MET,
                points="2",
                max_points="2",
                observed="已建立并有效运行" * 3,
                requirement="按地方规则要求执行" * 4,
            )
        )
    groups = (
        GroupScore("zhuan", "专业化", D("5"), D("5"), D("10"), D("15"), D("5")),
        GroupScore("innovation", "创新能力", D("15"), D("15"), D("23"), D("28"), D("10")),
    )
    return Evaluation(
        name=name,
        uscc=uscc,
        rulebook="srdi-sme-2022",
        rulebook_title="专精特新中小企业认定标准",
        rulebook_version="2022.1",
        rulebook_hash="abc123",
        overlay=None,
        tier="srdi-sme",
        round_date=date(2026, 3, 1),
        application_type="new",
        verdict=verdict,
        size_class="small",
        criteria=tuple(items),
        groups=groups,
        score=D(score),
        score_min=D(score),
        score_max=D(score) + D(open_points),
        max_score=D("100"),
        pass_line=D("60"),
        inputs={"uscc": "f" * 18},
        verdict_reasons=("基本条件全部符合", f"评分 {score} 分，达到 60 分"),
    )


def overridden_srdi_evaluation() -> Evaluation:
    """srdi_evaluation() with SR-S1 (computed 不符合) overridden to 符合 by 李四."""
    from dataclasses import replace

    evaluation = srdi_evaluation()
    overridden = replace(
        evaluation.criterion("SR-S1"),
        state=CriterionState.MET,
        computed_state=CriterionState.UNMET,
        confirmation=Confirmation("SR-S1", CriterionState.MET, "口径调整后增长 12%", "李四"),
    )
    return replace(
        evaluation,
        criteria=tuple(overridden if c.id == "SR-S1" else c for c in evaluation.criteria),
    )


def innovative_evaluation(name: str = "宁波犇昇新材料科技有限公司") -> Evaluation:
    """An unscored-looking evaluation (no groups, no max score): a direct-route tier."""
    S = CriterionState
    items = (
        criterion(
            "IN-1",
            "企业规模",
            "basic",
            "基本条件",
            S.MET,
            kind=CriterionKind.REQUIREMENT,
            observed="小型企业",
            requirement="中小企业",
        ),
        criterion(
            "IN-R1",
            "直通条件：高新技术企业",
            "route",
            "直通条件",
            S.MET,
            kind=CriterionKind.ROUTE,
            observed="是",
            requirement="有效期内的高新技术企业",
        ),
    )
    return Evaluation(
        name=name,
        uscc="91330201MA2H12345X",
        rulebook="innovative-sme-2022",
        rulebook_title="创新型中小企业评价标准",
        rulebook_version="2022.1",
        rulebook_hash="def",
        overlay=None,
        tier="innovative-sme",
        round_date=date(2026, 6, 1),
        application_type="renewal",
        verdict=Verdict.QUALIFIED,
        size_class="small",
        criteria=items,
        inputs={"uscc": "e" * 18},
    )


def applicant_for(evaluation: Evaluation, **extra: object) -> Applicant:
    """Applicant data matching an evaluation: region, industry and three years of figures."""
    values: dict[str, object] = {
        "name": evaluation.name,
        "uscc": evaluation.uscc,
        "application_type": evaluation.application_type,
        "province": "浙江省",
        "city": "杭州市",
        "county": "西湖区",
        "industry_code": "C3562",
        "size_sector": "industry",
        "revenue_y1": D("7800.50"),
        "revenue_y2": D("6900"),
        "revenue_y3": D("6100"),
        "main_revenue_y1": D("7520"),
        "rd_expense_y1": D("320"),
        "rd_expense_y2": D("330.6"),
        "employees_y1": 186,
        "total_assets_y1": D("12000"),
    }
    values.update(extra)
    return Applicant(values=values)
