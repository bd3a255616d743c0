"""The rulebook browser shows the declared correspondence under Chinese titles."""

from __future__ import annotations

from PySide6.QtCore import Qt

from zjtx.scoring.rulebook import grade_legend, list_rulebook_ids, rulebook_title
from zjtx.ui.rulebooks import RulebookBrowser


def _visible_rows(browser):
    """(old id, new id, 变化) of every criterion row, and the section headings in order."""
    table = browser.table
    rows, headings = [], []
    for row in range(table.rowCount()):
        if table.columnSpan(row, 0) > 1:
            headings.append(table.item(row, 0).text())
            continue
        rows.append(tuple(table.item(row, column).text() for column in (0, 5, 4)))
    return rows, headings


def _visible_texts(browser):
    table = browser.table
    texts = [browser.windowTitle(), browser.left.currentText(), browser.right.currentText()]
    texts += [browser.left_title.text(), browser.right_title.text(), browser.note.text()]
    texts += [browser.legend.text(), browser.grades.text()]
    texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    texts += [
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c) is not None
    ]
    return texts


def test_browser_pairs_little_giant_criteria_by_the_declared_correspondence(qtbot):
    """2022 → 2026 小巨人: LG22-0 and LG22-X merge into LG26-0; LG22-0 is never LG26-1a's 调整."""
    browser = RulebookBrowser("little-giant-2022", "little-giant-2026")
    qtbot.addWidget(browser)
    rows, headings = _visible_rows(browser)
    assert [h.split("（")[0] for h in headings] == ["对应", "新增", "删除"]
    assert ("LG22-0", "LG26-0", "合并") in rows
    assert ("LG22-X", "LG26-0", "合并") in rows
    assert ("LG22-0", "LG26-1a", "拆分") in rows
    assert ("LG22-1a", "LG26-1b", "相同") in rows
    assert ("LG22-1b", "LG26-2b", "调整") in rows
    assert not {("LG22-0", "LG26-1a", "调整"), ("LG22-X", "LG26-0", "调整")} & set(rows)
    assert ("", "LG26-7", "新增") in rows and ("LG22-4D2", "", "删除") in rows


def test_browser_shows_chinese_titles_and_keeps_ids_in_tooltips(qtbot):
    """Combos and labels show the Chinese titles; no rulebook id appears in a visible text."""
    browser = RulebookBrowser("little-giant-2022", "little-giant-2026")
    qtbot.addWidget(browser)
    assert browser.left.currentText() == rulebook_title("little-giant-2022")
    assert browser.right.currentText() == rulebook_title("little-giant-2026")
    tip = browser.right.itemData(browser.right.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert "little-giant-2026" in tip
    ids = list_rulebook_ids()
    for text in _visible_texts(browser):
        assert not any(rulebook_id in text for rulebook_id in ids), text
    assert grade_legend() in browser.grades.text()
    assert "可信等级" in browser.table.item(1, 1).toolTip()


def test_browser_follows_the_chosen_rulebooks(qtbot):
    """Comparing a rulebook with itself is all 相同; another tier lists only 新增 and 删除."""
    browser = RulebookBrowser("little-giant-2022", "little-giant-2026")
    qtbot.addWidget(browser)
    browser.right.setCurrentIndex(browser.right.findData("little-giant-2022"))
    rows, _ = _visible_rows(browser)
    assert {change for _, _, change in rows} == {"相同"}
    browser.right.setCurrentIndex(browser.right.findData("srdi-sme-2026"))
    rows, headings = _visible_rows(browser)
    assert {change for _, _, change in rows} == {"新增", "删除"}
    assert [h.split("（")[0] for h in headings] == ["新增", "删除"]
    assert "不同层级" in browser.note.text()
