"""Property tests: applicants survive template -> workbook -> reader; junk never crashes."""

from datetime import date
from decimal import Decimal

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.intake.helpers import read
from zjtx.domain.fields import FieldSpec, FieldType
from zjtx.intake.synthetic import valid_uscc
from zjtx.intake.templates import header_text, template_fields, write_roster_template
from zjtx.intake.values import is_placeholder
from zjtx.scoring.catalogue import load_catalogue

CATALOGUE = load_catalogue()
# Texts that mean "nothing" in a cell (—, -, /) read back as unknown by design: not generated.
TEXT = st.text(
    alphabet="甲乙丙丁精密智能科技有限公司股份（）()ABCxyz0123-", min_size=1, max_size=12
).filter(lambda text: not is_placeholder(text))


def value_strategy(spec: FieldSpec) -> st.SearchStrategy:
    low = spec.minimum if spec.minimum is not None else -(10**6)
    high = spec.maximum if spec.maximum is not None else 10**8
    if spec.type in (FieldType.MONEY, FieldType.DECIMAL, FieldType.PERCENT):
        return st.decimals(min_value=low, max_value=high, places=2, allow_nan=False)
    if spec.type == FieldType.INT:
        return st.integers(min_value=low, max_value=min(high, 10**6))
    if spec.type == FieldType.BOOL:
        return st.booleans()
    if spec.type == FieldType.DATE:
        return st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
    if spec.type == FieldType.ENUM:
        return st.sampled_from([code for code, _ in spec.options])
    if spec.key == "industry_code":
        # Codes are normalised (full-width to half-width), so generate real-looking ones.
        return st.from_regex(r"[A-T][0-9]{4}", fullmatch=True)
    if spec.key == "industry_code":  # codes are normalised (full-width to half-width) on reading
        return st.from_regex(r"[A-T][0-9]{4}", fullmatch=True)
    return TEXT.map(lambda text: "公司" + text if spec.key == "name" else text)


@st.composite
def applicant_lists(draw) -> list[dict]:
    count = draw(st.integers(min_value=1, max_value=4))
    people = []
    for index in range(count):
        keys = draw(st.sets(st.sampled_from(CATALOGUE.keys()), max_size=25))
        values = {key: draw(value_strategy(CATALOGUE[key])) for key in keys}
        values["name"] = draw(value_strategy(CATALOGUE["name"]))
        values["uscc"] = valid_uscc(900 + index)
        people.append(values)
    return people


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never meets a slow-shrinking surprise
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(people=applicant_lists())
def test_template_round_trip_keeps_every_value(tmp_path, people):
    """Applicants written into the roster template read back with the same values."""
    path = write_roster_template(tmp_path / "rt.xlsx", CATALOGUE, 2026, people)
    result = read(path)
    got = [*result.files[0].applicants, *result.files[0].blocked_applicants]
    got.sort(key=lambda a: a.source.cell and int(a.source.cell.split(":")[0]))
    assert len(got) == len(people)
    for applicant, values in zip(got, people, strict=True):
        diff = {
            k: (v, applicant.values.get(k))
            for k, v in values.items()
            if applicant.values.get(k) != v
        }
        diff.update({k: (None, v) for k, v in applicant.values.items() if k not in values})
        assert diff == {}
    assert all(i.code not in ("value-unreadable", "value-not-integer") for i in result.issues)


JUNK = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8).filter(
        lambda t: not t.startswith("=")
    ),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.dates(min_value=date(1901, 1, 1)),
    st.sampled_from(["—", "/", "无", "是", "1,2,3", "(5)", "12.5%", "1e5", "１２", "∞", "#N/A"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.lists(JUNK, min_size=8, max_size=8), min_size=1, max_size=5))
def test_random_junk_is_imported_or_reported_cell_by_cell(tmp_path, cells):
    """Junk in every column: no crash, each cell is either read, unknown or has an issue."""
    fields = template_fields(CATALOGUE)
    chosen = [CATALOGUE[k] for k in ("revenue_y1", "founded", "high_tech_enterprise",
                                      "size_sector", "rd_staff_y1", "market_share_domestic",
                                      "city", "net_profit_y1")]  # fmt: skip
    assert all(spec in fields for spec in chosen)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["企业名称", "统一社会信用代码", *(header_text(s, 2026) for s in chosen)])
    for index, row in enumerate(cells):
        sheet.append([f"公司{index}", valid_uscc(300 + index), *row])
    path = tmp_path / "junk.xlsx"
    workbook.save(path)
    result = read(path)
    applicants = [*result.files[0].applicants, *result.files[0].blocked_applicants]
    assert result.summary["files"][0]["rows_total"] == len(cells)
    assert len(applicants) == len(cells)
    read_cells = {p.cell for a in applicants for p in a.provenance.values()}
    issue_cells = {i.cell for i in result.issues}
    for r, row in enumerate(cells, start=2):
        for c, value in enumerate(row, start=3):
            ref = f"{openpyxl.utils.get_column_letter(c)}{r}"
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            spec = chosen[c - 3]
            placeholder = is_placeholder(value) or (
                isinstance(value, str) and value.strip() == "无" and not spec.none_means_zero
            )
            assert ref in read_cells or ref in issue_cells or placeholder, (ref, value)
    for applicant in applicants:
        for key, value in applicant.values.items():
            spec = CATALOGUE[key]
            if spec.type in (FieldType.MONEY, FieldType.PERCENT, FieldType.DECIMAL):
                assert isinstance(value, Decimal)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=applicant_lists())
def test_form_round_trip_keeps_every_value(tmp_path, people):
    """One applicant written into the form template reads back with the same values."""
    from zjtx.intake.templates import write_form_template

    path = write_form_template(tmp_path / "form.xlsx", CATALOGUE, 2026, people[0])
    result = read(path)
    [applicant] = [*result.files[0].applicants, *result.files[0].blocked_applicants]
    assert applicant.values == people[0]
