"""Pictures WPS places in a cell (=DISPIMG): an error that says so, in rosters and forms."""

import re
import zipfile

import pytest

from tests.intake.helpers import CODE_A, CODE_B, read, write_xlsx

PICTURE = '=_xlfn.DISPIMG("ID_8F3A2B5C",1)'


def _with_cached_text(path):
    """The workbook as WPS saves a picture cell: the formula with its text as a cached string."""
    copy = path.with_name("wps-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(_xlfn\.DISPIMG\([^<]*\))</f><v\s*/?>(</v>)?',
                    rb'<c r="\1"\2 t="str"><f>\3</f><v>=DISPIMG("ID_8F3A2B5C",1)</v>',
                    data,
                )
            target.writestr(item, data)
    return copy


@pytest.mark.parametrize("cached", [False, True], ids=["formula-only", "wps-cached-text"])
def test_a_picture_in_a_roster_cell_is_said_as_a_picture(tmp_path, cached):
    """A picture in the 高新技术企业 cell (as openpyxl and as WPS save it): an error naming the
    cell and saying it is a picture to replace with data, not “公式未计算” nor “无法读作是/否”;
    the other enterprise is read."""
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [
            ["企业名称", "统一社会信用代码", "有效期内的高新技术企业"],
            ["甲公司", CODE_A, PICTURE],
            ["乙公司", CODE_B, "是"],
        ],
    )
    if cached:
        path = _with_cached_text(path)
        assert b"<v>=DISPIMG(" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    result = read(path)
    assert [a.values["uscc"] for a in result.applicants] == [CODE_B]
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.cell, i.code, i.field) for i in errors] == [
        ("C2", "cell-picture", "high_tech_enterprise")
    ]
    assert "嵌入单元格的图片" in errors[0].message and "公式未计算" not in errors[0].message


def test_a_picture_in_a_form_cell_is_said_as_a_picture(tmp_path):
    """The same picture in a per-enterprise form's value cell."""
    path = write_xlsx(
        tmp_path / "申报表.xlsx",
        [
            ["企业名称", "甲公司"],
            ["统一社会信用代码", CODE_A],
            ["有效期内的高新技术企业", PICTURE],
            ["主导产品名称", "减速器"],
        ],
        title="基本信息",
    )
    path = _with_cached_text(path)
    result = read(path)
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.cell, i.code, i.field) for i in errors] == [
        ("B3", "cell-picture", "high_tech_enterprise")
    ]


def test_an_uncalculated_formula_is_still_said_as_one(tmp_path):
    """A formula saved without its result (not a picture) keeps its own message."""
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [["企业名称", "统一社会信用代码", "2025年营业收入（万元）"], ["甲公司", CODE_A, "=1+1"]],
    )
    errors = [i for i in read(path).issues if i.severity == "error"]
    assert [(i.cell, i.code) for i in errors] == [("C2", "formula-not-calculated")]


@pytest.mark.parametrize("kind", ["roster", "form"])
def test_a_picture_in_a_text_field_is_no_text(tmp_path, kind):
    """A picture with WPS's cached text in 主导产品名称 (a text field, which takes any text) is
    the same error, not a product named “=DISPIMG(…)”."""
    if kind == "roster":
        rows = [["企业名称", "统一社会信用代码", "主导产品名称"], ["甲公司", CODE_A, PICTURE]]
        path = write_xlsx(tmp_path / "名单.xlsx", rows)
    else:
        rows = [["企业名称", "甲公司"], ["统一社会信用代码", CODE_A], ["主导产品名称", PICTURE],
                ["有效期内的高新技术企业", "是"]]  # fmt: skip
        path = write_xlsx(tmp_path / "申报表.xlsx", rows, title="基本信息")
    result = read(_with_cached_text(path))
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.code, i.field) for i in errors] == [("cell-picture", "lead_product")]
    assert errors[0].message.startswith("主导产品名称：单元格中是 WPS 嵌入单元格的图片")
    assert not any("DISPIMG" in str(v) for a in result.applicants for v in a.values.values())
