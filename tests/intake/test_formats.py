"""File formats: CSV encodings, legacy .xls, JSON, folders, and files that cannot be read."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import xlwt

from tests.intake.helpers import CODE_A, CODE_B, CODE_C, issue_tuples, read, write_xlsx
from zjtx.intake import Cancelled, read_applicants
from zjtx.intake.synthetic import valid_uscc

CSV_TEXT = (
    "企业名称,统一社会信用代码,2025年营业收入（万元）,是否高新技术企业,成立日期\n"
    f'南京甲科技有限公司,{CODE_A},"1,200.50",是,2019年3月\n'
    f"南京乙科技有限公司,{CODE_B},—,否,2018-01-05\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    """CSV in UTF-8 (with or without BOM), GBK and GB18030 read the same values."""
    path = tmp_path / "名单.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    result = read(path)
    assert issue_tuples(result) == []
    first, second = (a.values for a in result.applicants)
    assert first["name"] == "南京甲科技有限公司"
    assert first["revenue_y1"] == Decimal("1200.5")
    assert first["high_tech_enterprise"] is True
    assert first["founded"] == date(2019, 3, 1)
    assert "revenue_y1" not in second
    assert result.files[0].kind == "roster"
    assert result.applicants[0].provenance["revenue_y1"].cell == "C2"


def test_csv_with_tabs_and_a_bad_cell(tmp_path):
    """Tab-separated text works and an unreadable cell is named by its A1 reference."""
    path = tmp_path / "r.csv"
    path.write_text(f"企业名称\t统一社会信用代码\t研发人员\n甲公司\t{CODE_A}\t很多\n", "utf-8")
    result = read(path)
    assert issue_tuples(result) == [("C2", "rd_staff_y1", "value-unreadable", "error")]
    assert result.issues[0].sheet is None


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_delimiter_is_the_one_that_splits_the_header(tmp_path, separator):
    """Text separated by semicolons, tabs or bars is read by the separator of its header line,
    even when a figure in it carries a comma (1,234.50) and a title line stands above."""
    lines = [
        "2026年专精特新中小企业申报名单",
        separator.join(["企业名称", "统一社会信用代码", "2025年营业收入（万元）", "研发人员"]),
        separator.join(["甲公司", CODE_A, "1,234.50", "12"]),
        separator.join(["乙公司", CODE_B, "900", "8"]),
    ]
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = read(path)
    assert issue_tuples(result) == []
    assert [a.values for a in result.applicants] == [
        {"name": "甲公司", "uscc": CODE_A, "revenue_y1": Decimal("1234.5"), "rd_staff_y1": 12},
        {"name": "乙公司", "uscc": CODE_B, "revenue_y1": Decimal("900"), "rd_staff_y1": 8},
    ]


def test_csv_row_wider_than_its_header(tmp_path):
    """A comma figure written without quotes (2,000.00) splits in two and shifts the rest of
    its row: that row is blocked with one error naming the split, not read shifted. A row
    with a value beyond the header otherwise (a 备注 without a header) is read, and a warning
    names the values left out; an Excel export's padding commas are no such row."""
    path = tmp_path / "r.csv"
    path.write_text(
        "企业名称,统一社会信用代码,2025年营业收入（万元）,成立日期,研发人员\n"
        f"甲公司,{CODE_A},2,000.00,2019-03-01,12\n"
        f"乙公司,{CODE_B},900,2018-01-05,8,,,\n"
        f"丙公司,{CODE_C},800,2018-01-05,8,已核实\n",
        "utf-8",
    )
    result = read(path)
    assert [a.values["name"] for a in result.applicants] == ["乙公司", "丙公司"]
    assert result.applicants[1].values["rd_staff_y1"] == 8
    assert issue_tuples(result) == [
        ("C2", None, "csv-row-too-wide", "error"),
        ("F4", None, "csv-row-too-wide", "warning"),
    ]
    shifted, extra = (issue.message for issue in result.issues)
    assert "“2”“000.00”" in shifted and "千分位逗号" in shifted and "本行未导入" in shifted
    assert "第 4 行在表头的 5 列之外还有 1 个值（F4 起）" in extra and "未导入" in extra
    assert result.files[0].rows_blocked == 1


@pytest.mark.parametrize(
    "cell",
    [
        '"' + ";".join(f"ZL20211000000{i}.X" for i in range(1, 8)) + '"',
        "软件开发;技术咨询;系统集成;运维服务;数据服务;咨询;培训",
    ],
)
def test_comma_file_with_semicolons_in_a_cell_stays_a_comma_file(tmp_path, cell):
    """A comma file whose cells list things with semicolons (patents, products) is still split
    by its commas: the separator is the one every line agrees on, not the widest line's."""
    path = tmp_path / "r.csv"
    header = "企业名称,统一社会信用代码,主导产品名称,2025年营业收入（万元）"
    path.write_text(f"{header}\n甲公司,{CODE_A},{cell},1000\n乙公司,{CODE_B},减速机,900\n", "utf-8")
    result = read(path)
    assert issue_tuples(result) == []
    assert [a.values["revenue_y1"] for a in result.applicants] == [1000, 900]


def test_dates_typed_into_number_cells_read_as_typed(tmp_path):
    """成立日期 typed as 2019, 20190301 or 2019.3 is kept by Excel as a number: it reads as the
    same text would (2019, 2019-03-01, March 2019), not as the day count 2019 (1905-07-11);
    2019.1 may be January or October and is refused saying so; a day count with its date
    format lost still reads as that day."""
    header = ["企业名称", "统一社会信用代码", "成立日期"]
    cells = [2019, 20190301, 2019.3, 2019.12, 43525, 2019.1, 2019.13]
    rows = [[f"公司{i}", valid_uscc(7000 + i), cell] for i, cell in enumerate(cells)]
    result = read(write_xlsx(tmp_path / "r.xlsx", [header, *rows]))
    assert [a.values.get("founded") for a in result.applicants] == [
        date(2019, 1, 1),
        date(2019, 3, 1),
        date(2019, 3, 1),
        date(2019, 12, 1),
        date(2019, 3, 1),
    ]
    assert issue_tuples(result) == [
        ("C7", "founded", "value-unreadable", "error"),
        ("C8", "founded", "value-unreadable", "error"),
    ]
    assert "“2019.1”可能是 2019 年 1 月，也可能是 10 月" in result.issues[0].message


def test_csv_dates_exported_with_midnight_or_their_weekday_are_dates(tmp_path):
    """A CSV exported from Excel, WPS or a registry system writes a date cell with midnight
    (2017-02-11 00:00:00, 2017/2/11 0:00, ISO 2017-02-11T00:00:00) or as the long date
    (2017年2月11日星期六): the date is read, its text kept as written. Another time is refused,
    not dropped (an export in UTC writes Beijing's midnight as 16:00 the day before), as are a
    time that is no time of day and a weekday the date does not fall on, each saying why."""
    from zjtx.intake.synthetic import valid_uscc

    def roster(entries: list[str]) -> Path:
        lines = ["企业名称,统一社会信用代码,成立日期"]
        lines += [f"公司{i},{valid_uscc(7000 + i)},{entry}" for i, entry in enumerate(entries)]
        path = tmp_path / "导出.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    entries = [
        "2017-02-11 00:00:00",
        "2017/2/11 0:00",
        "2017-02-11T00:00:00",
        "2017.2.11 00:00",
        "2017年2月11日 00:00:00.000",
        "20170211 00:00",
        "２０１７－０２－１１　００：００",
        "2017年2月11日星期六",
        "2017年2月11日 星期六 0:00",
        "2017-02-11（周六）",
        "2017年2月11号",
    ]
    result = read(roster(entries))
    assert issue_tuples(result) == []
    assert [a.values["founded"] for a in result.applicants] == [date(2017, 2, 11)] * 11
    assert result.applicants[0].provenance["founded"].raw == "2017-02-11 00:00:00"

    bad = {
        "2017-02-11T16:00:00": "带有时刻，无法确定是哪一天",
        "2017.2.11 14:30": "带有时刻，无法确定是哪一天",
        "2017-02-11 25:00": "中的“25:00”不是一天中的时刻",
        "2017-02-11 0:61": "中的“0:61”不是一天中的时刻",
        "2017年2月11日星期五": "中的星期五与 2017年2月11日（星期六）不符",
        "2017-02-11（周六": "无法把",
        "2017-02 00:00:00": "无法把",
        "2017年2月星期六": "无法把",
        "2017-02-30 00:00": "无法把",
        "2017-02-11 ٠٠:٠٠": "无法把",
    }
    result = read(roster(list(bad)))
    found = [i for i in result.issues if i.field == "founded"]
    assert [(i.cell, i.code) for i in found] == [
        (f"C{row}", "value-unreadable") for row in range(2, 2 + len(bad))
    ]
    for issue, (entry, words) in zip(found, bad.items(), strict=True):
        assert words in issue.message and entry[:10] in issue.message, issue.message


def test_legacy_xls_with_percent_format_dates_and_merged_header(tmp_path):
    """A .xls written by Excel 2003 tools: percent cells, date cells and merged headers."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    sheet.write_merge(0, 1, 0, 0, "企业名称")
    sheet.write_merge(0, 1, 1, 1, "统一社会信用代码")
    sheet.write_merge(0, 0, 2, 3, "营业收入（万元）")
    sheet.write(1, 2, "2024年")
    sheet.write(1, 3, "2025年")
    sheet.write_merge(0, 1, 4, 4, "全国细分市场占有率（%）")
    sheet.write_merge(0, 1, 5, 5, "成立日期")
    percent = xlwt.easyxf(num_format_str="0.0%")
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(2, 0, "甲公司")
    sheet.write(2, 1, CODE_A)
    sheet.write(2, 2, 900)
    sheet.write(2, 3, 1000.25)
    sheet.write(2, 4, 0.125, percent)
    sheet.write(2, 5, date(2019, 3, 1), dated)
    path = tmp_path / "legacy.xls"
    book.save(str(path))
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert values["revenue_y2"] == Decimal(900)
    assert values["revenue_y1"] == Decimal("1000.25")
    assert values["market_share_domestic"] == Decimal("12.5")
    assert values["founded"] == date(2019, 3, 1)


def test_json_in_the_score_input_format(tmp_path):
    """A .json file of catalogue objects goes through the same gate."""
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            [
                {"name": "甲公司", "uscc": CODE_A, "revenue_y1": 100.5},
                {"name": "乙公司", "uscc": CODE_A[:-1] + "0", "revenue_y1": -1},
            ],
            ensure_ascii=False,
        ),
        "utf-8",
    )
    result = read(path)
    assert [(i.field, i.code, i.row) for i in result.issues] == [
        ("uscc", "uscc-check-character", 2),
        ("revenue_y1", "value-out-of-range", 2),
    ]
    assert result.applicants[0].values["revenue_y1"] == Decimal("100.5")
    assert result.files[0].kind == "json"


def test_invalid_json_is_one_error_for_the_file(tmp_path):
    """A JSON file with an unknown key gives one error naming file, record and key."""
    path = tmp_path / "bad.json"
    path.write_text('[{"name": "甲", "uscc": "x", "revenu_y1": 1}]', "utf-8")
    result = read(path)
    assert [(i.code, i.row, i.field) for i in result.issues] == [("json-invalid", 1, "revenu_y1")]
    assert "revenue_y1" in result.issues[0].message


def test_corrupt_unsupported_and_missing_files(tmp_path):
    """Corrupt, unsupported and missing files each get one clear error naming the file."""
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    text = tmp_path / "notes.pages"
    text.write_bytes(b"hello")
    missing = tmp_path / "nothing.xlsx"
    result = read(corrupt, text, missing)
    assert [(i.file, i.code, str(i.severity)) for i in result.issues] == [
        ("坏.xlsx", "file-corrupt", "error"),
        ("notes.pages", "file-format-unsupported", "error"),
        ("nothing.xlsx", "file-not-found", "error"),
    ]
    assert all(i.file in i.message for i in result.issues)


def test_encrypted_workbook_is_reported(tmp_path):
    """A password-protected workbook is one error asking to remove the password."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp_path / "plain.xlsx", [["企业名称", "统一社会信用代码"], ["甲", CODE_A]])
    encrypted = tmp_path / "加密.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    result = read(encrypted)
    assert [(i.code, str(i.severity)) for i in result.issues] == [("file-encrypted", "error")]
    assert "密码" in result.issues[0].message


def test_folder_expansion_skips_other_files_with_info(tmp_path):
    """A folder is read recursively and sorted; other files are reported as info."""
    folder = tmp_path / "批次"
    (folder / "sub").mkdir(parents=True)
    write_xlsx(folder / "b.xlsx", [["企业名称", "统一社会信用代码"], ["乙", CODE_B]])
    write_xlsx(folder / "sub" / "a.xlsx", [["企业名称", "统一社会信用代码"], ["甲", CODE_A]])
    (folder / "readme.txt.bak").write_text("x")
    (folder / "~$b.xlsx").write_bytes(b"lock")
    result = read(folder)
    assert [f.display_name for f in result.files] == [
        "批次/b.xlsx",
        "批次/readme.txt.bak",
        "批次/sub/a.xlsx",
        "批次/~$b.xlsx",
    ]
    assert [(i.file, i.code) for i in result.issues] == [
        ("批次/readme.txt.bak", "file-skipped"),
        ("批次/~$b.xlsx", "file-skipped"),
    ]
    assert [a.uscc for a in result.applicants] == [CODE_B, CODE_A]
    assert result.files[0].sha256 and len(result.files[0].sha256) == 64


def test_a_scan_or_pdf_in_a_folder_is_refused_as_it_is_alone(tmp_path):
    """An application sent as a PDF or a photo, found in a folder, is an error saying why and
    what to ask the enterprise for (as when imported alone), not a 提示 that it was skipped;
    a .txt beside it is still only skipped."""
    folder = tmp_path / "批次"
    folder.mkdir()
    write_xlsx(folder / "a.xlsx", [["企业名称", "统一社会信用代码"], ["甲", CODE_A]])
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4\n%scan\n")
    (folder / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0 photo")
    (folder / "说明.txt").write_text("附件说明", encoding="utf-8")
    result = read(folder)
    said = {i.file: (i.code, str(i.severity), i.message) for i in result.issues}
    assert said["批次/扫描件.pdf"][:2] == ("file-format-unsupported", "error")
    assert "请向企业索取 Word 或 Excel 原件" in said["批次/扫描件.pdf"][2]
    assert said["批次/照片.jpg"][:2] == ("file-format-unsupported", "error")
    assert "图片" in said["批次/照片.jpg"][2]
    assert said["批次/说明.txt"][:2] == ("file-skipped", "info")
    assert [a.uscc for a in result.applicants] == [CODE_A]


def test_progress_reports_and_cancel_stops(tmp_path):
    """progress() sees the rows; cancel() returning True raises Cancelled."""
    from zjtx.intake.synthetic import valid_uscc

    rows = [["企业名称", "统一社会信用代码"]]
    rows += [[f"公司{i}", valid_uscc(7000 + i)] for i in range(600)]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    calls = []
    result = read_applicants([path], 2026, progress=lambda d, t, m: calls.append((d, t, m)))
    assert len(result.applicants) == 600
    assert calls[-1][0] == 600 and any(0 < d < 600 for d, _, _ in calls)
    assert any(t == 600 for _, t, _ in calls)
    seen = []

    def cancel() -> bool:
        seen.append(1)
        return len(seen) > 2

    with pytest.raises(Cancelled):
        read_applicants([path], 2026, cancel=cancel)


def test_issue_dicts_are_json_ready(tmp_path):
    """Issue.to_dict gives plain JSON values."""
    path = tmp_path / "r.csv"
    path.write_text(f"企业名称,统一社会信用代码\n,{CODE_A}\n", "utf-8")
    data = [i.to_dict() for i in read(path).issues]
    assert json.loads(json.dumps(data, ensure_ascii=False))[0]["code"] == "missing-required"
    assert io.StringIO(json.dumps(data)).read()


def test_xls_error_cells_are_reported(tmp_path):
    """An error value in a .xls cell is an error, not text."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for col, text in enumerate(["企业名称", "统一社会信用代码", "所在市"]):
        sheet.write(0, col, text)
    sheet.write(1, 0, "甲公司")
    sheet.write(1, 1, CODE_A)
    sheet.row(1).set_cell_error(2, 0x2A)  # #N/A
    path = tmp_path / "e.xls"
    book.save(str(path))
    result = read(path)
    assert [(i.cell, i.field, i.code) for i in result.issues if str(i.severity) == "error"] == [
        ("C2", "city", "cell-error-value")
    ]


def test_csv_two_row_header_without_merges(tmp_path):
    """A CSV group title written once over its year columns applies to each year below it."""
    text = (
        "2026年度申报名单,,,,\n"
        "企业名称,统一社会信用代码,营业收入（元）,,\n"
        ",,2023年,2024年,2025年\n"
        f'甲公司,{CODE_A},"8,000,000","9,000,000","10,000,000"\n'
    )
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    result = read(path)
    assert issue_tuples(result) == []
    values = result.applicants[0].values
    assert (values["revenue_y3"], values["revenue_y2"], values["revenue_y1"]) == (
        Decimal(800),
        Decimal(900),
        Decimal(1000),
    )
