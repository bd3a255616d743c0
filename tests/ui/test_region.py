"""The 地区 column and the province/city filter of the applicant table (pytest-qt)."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import Qt

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.ui.models import (
    NO_REGION,
    ROW_ROLE,
    ApplicantFilterProxy,
    ApplicantTableModel,
    region_choices,
)

TIMEOUT = 60000


def _sample_with_a_second_city(tmp_path, sample_json):
    """The shipped sample with one applicant moved to 宁波市 and one without any region."""
    data = json.loads(sample_json.read_text(encoding="utf-8"))
    hangzhou = [a for a in data if a.get("city") == "杭州市"]
    hangzhou[0]["city"], hangzhou[0]["county"] = "宁波市", "鄞州区"
    for key in ("province", "city", "county"):
        data[-1].pop(key, None)
    path = tmp_path / "applicants.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_region_column_and_proxy_filter(qtmodeltester, service, sample_json, tmp_path):
    """Rows show 省市区县 in the 地区 column; the proxy keeps one province or one city."""
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [_sample_with_a_second_city(tmp_path, sample_json)])
    rows = service.list_applicants(ROUND)
    model = ApplicantTableModel()
    model.set_rows(rows)
    proxy = ApplicantFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    column = model.REGION_COLUMN
    assert model.headerData(column, Qt.Orientation.Horizontal) == "地区"
    texts = {model.row_at(r).uscc: model.index(r, column).data() for r in range(len(rows))}
    ningbo = next(r for r in rows if r.city == "宁波市")
    assert texts[ningbo.uscc] == f"浙江省宁波市{ningbo.county}" == "浙江省宁波市鄞州区"
    assert "所在区县：鄞州区" in model.index(model.position_of(ningbo.uscc), column).data(
        Qt.ItemDataRole.ToolTipRole
    )

    choices = dict(region_choices(rows))
    assert choices["浙江省"] == "浙江省（3 家）"
    assert choices["浙江省/杭州市"].strip() == "杭州市（2 家）"
    assert choices["浙江省/宁波市"].strip() == "宁波市（1 家）"
    assert "天津市/天津市" not in choices  # a municipality has no city entries under it
    assert choices[NO_REGION] == "未填写地区（1 家）"

    def shown() -> set[str]:
        return {proxy.index(i, 0).data(ROW_ROLE).uscc for i in range(proxy.rowCount())}

    proxy.set_filters(region="浙江省")
    assert shown() == {r.uscc for r in rows if r.province == "浙江省"} and len(shown()) == 3
    proxy.set_filters(region="浙江省/宁波市")
    assert shown() == {ningbo.uscc}
    proxy.set_filters(region=NO_REGION, verdict=None)
    assert shown() == {r.uscc for r in rows if not r.region}
    qtmodeltester.check(proxy)
    proxy.set_filters()
    proxy.sort(column, Qt.SortOrder.AscendingOrder)
    regions = [proxy.index(i, column).data() for i in range(proxy.rowCount())]
    assert regions == sorted(regions)


def test_region_filter_in_the_window(qtbot, window, service, sample_json, tmp_path):
    """The filter bar's 地区 combo lists the round's provinces and cities and narrows the table."""
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    service.import_paths(ROUND, [_sample_with_a_second_city(tmp_path, sample_json)])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=ROUND)
    combo = window.region_filter
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "全部地区" and "浙江省（3 家）" in labels
    combo.setCurrentIndex(combo.findData("浙江省/杭州市"))
    assert window.proxy.rowCount() == 2
    assert all(window.proxy.index(i, 0).data(ROW_ROLE).city == "杭州市" for i in range(2))
    assert "显示 2 / 30 家（筛选出的）" in window.count_label.text()
    # The verdict counts are of the two shown, not of the round.
    shown = [window.proxy.index(i, 0).data(ROW_ROLE) for i in range(2)]
    counts = window.count_label.toolTip()
    assert f"已决定 {sum(1 for r in shown if r.decision)}" in counts
    assert f"符合 {sum(1 for r in shown if r.verdict == 'qualified')}，" in counts
    assert sum(int(n) for n in re.findall(r"(?:符合|待定|不符合) (\d+)", counts)) == 2
    # Jumping to an applicant elsewhere clears the filter that hides it.
    other = next(r for r in service.list_applicants(ROUND) if r.province == "山东省")
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        assert window.select_applicant(other.uscc)
    assert combo.currentIndex() == 0 and window.proxy.rowCount() == 30
    # Reloading keeps the chosen place.
    combo.setCurrentIndex(combo.findData("山东省"))
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    assert combo.currentData() == "山东省" and window.proxy.rowCount() == 3


JIANGSU = "2026年江苏省第一批"


def _jiangsu_sample(tmp_path, sample_json):
    """The sample's 苏州 applicants written three ways (no province; 江苏 with 苏州市工业园区
    in the county cell; in full) plus one 浙江省 applicant, for a 江苏省 round."""
    data = json.loads(sample_json.read_text(encoding="utf-8"))
    suzhou = [a for a in data if a.get("province") == "江苏省"]
    del suzhou[0]["province"]
    suzhou[1]["province"], suzhou[1]["county"] = "江苏", "苏州市工业园区"
    zhejiang = next(a for a in data if a.get("province") == "浙江省")
    path = tmp_path / "江苏名单.json"
    path.write_text(json.dumps([*suzhou, zhejiang], ensure_ascii=False), encoding="utf-8")
    return path, [a["uscc"] for a in suzhou], zhejiang["uscc"]


def test_a_round_region_fills_the_province_in_the_table(qtmodeltester, service, sample_json,
                                                        tmp_path):  # fmt: skip
    """In a 江苏省 round the rows without a province join 江苏省 (no 未填写省份 entry), and
    the three spellings of 苏州工业园区 show and filter as one place."""
    service.create_round(JIANGSU, tier="little-giant", round_date=ROUND_DATE, region="江苏省")
    path, suzhou, zhejiang = _jiangsu_sample(tmp_path, sample_json)
    service.import_paths(JIANGSU, [path])
    rows = service.list_applicants(JIANGSU)
    choices = dict(region_choices(rows))
    assert not any("未填写" in label for label in choices.values())
    assert choices["江苏省"] == "江苏省（3 家）" and choices["浙江省"] == "浙江省（1 家）"
    assert choices["江苏省/苏州市"].strip() == "苏州市（3 家）"
    assert [code for code in choices if code.startswith("江苏")] == ["江苏省", "江苏省/苏州市"]

    model = ApplicantTableModel()
    model.set_rows(rows)
    proxy = ApplicantFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    column = model.REGION_COLUMN
    texts = {model.row_at(r).uscc: model.index(r, column).data() for r in range(len(rows))}
    assert {texts[uscc] for uscc in suzhou} == {"江苏省苏州市工业园区"}
    proxy.set_filters(region="江苏省/苏州市")
    shown = {proxy.index(i, 0).data(ROW_ROLE).uscc for i in range(proxy.rowCount())}
    assert shown == set(suzhou)
    proxy.set_filters(region="浙江省")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(ROW_ROLE).uscc == zhejiang


def test_the_detail_pane_says_the_province_came_from_the_round(qtbot, window, service,
                                                               sample_json, tmp_path):  # fmt: skip
    """The filled province's source reads 由批次地区“江苏省”补充, not a file cell; the 浙江省
    applicant lists the region-outside-round warning."""
    service.create_round(JIANGSU, tier="little-giant", round_date=ROUND_DATE, region="江苏省")
    path, suzhou, zhejiang = _jiangsu_sample(tmp_path, sample_json)
    service.import_paths(JIANGSU, [path])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=JIANGSU)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        assert window.select_applicant(suzhou[0])
    figures = window.detail.figures
    by_label = {
        figures.item(r, 0).text(): (figures.item(r, 1).text(), figures.item(r, 2).text())
        for r in range(figures.rowCount())
    }
    assert by_label["所在省"] == ("江苏省", "由批次地区“江苏省”补充")
    assert by_label["所在市"][1].startswith("江苏名单.json")
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        assert window.select_applicant(zhejiang)
    issues = window.detail.issues_model
    codes = {issues.issue_at(i).code for i in range(issues.rowCount())}
    assert "region-outside-round" in codes


def test_an_overlay_round_s_own_figures_show_by_their_chinese_labels(qtbot, window, service,
                                                                      sample_json, tmp_path):  # fmt: skip
    """A 山东 round's applicant answered 特色化 SD-9: the 申报数据 tab lists it as
    属于本省重点产业领域情况（山东特色化 SD-9） with the option's words, not as sd_key_industry/B."""
    from datetime import date

    name = "山东2025第一批"
    service.create_round(name, tier="srdi-sme", round_date=date(2025, 6, 1),
                         overlay="shandong-2022")  # fmt: skip
    records = json.loads(sample_json.read_text("utf-8"))[:1]
    records[0]["sd_key_industry"] = "B"
    path = tmp_path / "山东名单.json"
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    service.import_paths(name, [path])
    uscc = records[0]["uscc"]
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.refresh_rounds(select=name)
    with qtbot.waitSignal(window.detail_loaded, timeout=TIMEOUT):
        assert window.select_applicant(uscc)
    figures = window.detail.figures
    by_label = {figures.item(r, 0).text(): figures.item(r, 1).text()
                for r in range(figures.rowCount())}  # fmt: skip
    assert "sd_key_industry" not in by_label
    assert by_label["属于本省重点产业领域情况（山东特色化 SD-9）"].startswith(
        "属于上述规划重点支持领域"
    )
