"""The year's notices in the window: the 认定标准 dialog, a round's header and the detail pane."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.ui.test_workflow import TIMEOUT, _select
from zjtx.paths import resource_path
from zjtx.scoring.installing import install_file
from zjtx.scoring.notices import load_all_notices
from zjtx.scoring.selection import forget_selection, round_notice_lines, round_notices
from zjtx.ui.notices_view import NOTICE_COLUMNS

ROUND_2025 = "2025年小巨人第七批"
ROUND_2023 = "2023年小巨人"
NUMBER_190 = "工信厅企业函〔2025〕190号"
SHOTS = Path("/tmp/zjtx-notices-ui")


def _plain(html: str) -> str:
    """What a rich-text label reads as."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def _rows(table) -> dict[str, dict[str, str]]:
    """The notices table as {notice id: {column title: text}}."""
    rows = {}
    for row in range(table.rowCount()):
        cells = {NOTICE_COLUMNS[c]: table.item(row, c).text() for c in range(table.columnCount())}
        rows[cells["通知 id"]] = cells
    return rows


def test_rulebook_dialog_lists_every_notice_with_grade_and_origin(qtbot, tmp_path, data_folder):
    """The 认定标准 dialog's 年度通知 tab lists each notice file: 文号, the rounds it covers,
    what it changes, its grade (⚠未核实 where unverified) and 内置/已安装 (criteria.md,
    little-giant-2022 Applies: 190号 waives renewal growth and sets the 5000万 floor)."""
    from zjtx.ui.rulebooks import RulebookBrowser

    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    rows = _rows(browser.notices_table)
    assert set(rows) == {n.id for n in load_all_notices()} and len(rows) == 3
    lg190 = rows["little-giant-2025-190"]
    assert lg190["文号"] == NUMBER_190
    assert "2025-01-01 至 2025-12-31" in lg190["适用批次"] and "复核" in lg190["适用批次"]
    assert "renewal_growth_waived" in lg190["改变"] and "revenue_floor_5000" in lg190["改变"]
    assert lg190["来源等级"] == "A" and lg190["来源"] == "内置"
    assert rows["little-giant-2026-117"]["来源等级"].endswith("⚠未核实")
    assert browser.tabs.tabText(1) == "年度通知（3）"

    # A bureau installs next year's notice: it is listed as 已安装 beside the bundled ones.
    text = resource_path("notices", "little-giant-2025-190.yaml").read_text("utf-8")
    copy = tmp_path / "下一年通知.yaml"
    copy.write_text(text.replace("id: little-giant-2025-190", "id: little-giant-2027-x"), "utf-8")
    check, target = install_file(copy)
    assert target is not None, [p.line() for p in check.problems]
    forget_selection()
    browser.fill_notices()
    rows = _rows(browser.notices_table)
    assert rows["little-giant-2027-x"]["来源"] == "已安装"
    assert rows["little-giant-2025-190"]["来源"] == "内置"
    assert browser.tabs.tabText(1) == "年度通知（4）"

    browser.resize(1600, 960)
    browser.show()
    browser.tabs.setCurrentIndex(1)
    qtbot.waitExposed(browser)
    SHOTS.mkdir(exist_ok=True)
    browser.grab().save(str(SHOTS / "rulebooks-notices.png"))


def test_round_header_names_its_notices_and_shows_an_override(qtbot, window):
    """A 2025 小巨人 round names 190号 and its two settings under the title; the round's own
    --setting reads as 本批次改定; a 2023 round (63号 as written) shows no notice line."""
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(
            name=ROUND_2025,
            tier="little-giant",
            round_date=date(2025, 6, 1),
            settings={"revenue_floor_5000": False},
        )
    label = window.round_notices  # beside the round's title on the 企业列表 tab
    assert not label.isHidden()
    shown = _plain(label.text())
    assert NUMBER_190 in shown and "（A）" in shown
    assert "本批次改定 1 项" in shown  # a few words on the title's row; the rest in the tooltip
    tooltip = label.toolTip()
    assert "复核企业不考查近2年主营业务收入平均增长率：启用" in tooltip
    assert "关闭（本批次改定；工信厅企业函〔2025〕190号为启用）" in tooltip
    notices, settings = round_notices(
        date(2025, 6, 1), tier="little-giant", overrides={"revenue_floor_5000": False}
    )
    lines = round_notice_lines(notices, settings)
    assert len(lines) == 3
    assert label.toolTip().splitlines()[:3] == lines  # the text `zjtx round create` prints

    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND_2023, tier="little-giant", round_date=date(2023, 6, 1))
    assert window.round_name == ROUND_2023
    assert label.isHidden() and label.text() == ""


def test_detail_pane_shows_the_notices_the_evaluation_was_made_under(
    qtbot, window, service, sample_json
):
    """An applicant of the 2025 round is evaluated under 190号: the detail pane names it and
    the settings it fixed, as stored with the evaluation."""
    window.resize(1600, 960)
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND_2025, tier="little-giant", round_date=date(2025, 6, 1))
    service.import_paths(ROUND_2025, [sample_json])
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.reload_rows()
    window.round_tabs.setCurrentIndex(1)
    first = service.list_applicants(ROUND_2025)[0]
    detail = _select(qtbot, window, first.uscc)
    evaluation = detail.review.evaluation
    assert [n["number"] for n in evaluation["notices"]] == [NUMBER_190]
    summary = _plain(window.detail.summary.text())
    assert f"适用通知：{NUMBER_190}" in summary
    for record in evaluation["settings"]:
        assert record["label"] in window.detail.summary.toolTip()
    assert "本批次改定" not in summary
    assert window.round_notices.isVisible()
    assert NUMBER_190 in _plain(window.round_notices.text())
    qtbot.wait(200)
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "main-window-2025.png"))
