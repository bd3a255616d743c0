"""The window on a round whose stored data is damaged: a Chinese explanation, never a crash."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import text

from tests.store.helpers import make_uscc
from tests.store.test_real_rulebooks import COMPLETE
from tests.ui.conftest import ROUND
from zjtx.ui import errors

TIMEOUT = 60000


def test_table_of_a_round_with_issues_cut_short_names_the_applicant(
    qtbot, window, service, tmp_path
):
    """Loading the table of a round whose one version (with an import warning) has its issues
    JSON text cut short (SQLite keeps any text): the window shows a 操作未完成 warning and the
    status bar naming the applicant, version and 导入提示, not the 程序出错 dialog."""
    with qtbot.waitSignal(window.rows_loaded, timeout=TIMEOUT):
        window.create_round(name=ROUND, tier="srdi-sme", round_date=date(2026, 5, 20))
    records = [
        {"name": f"杭州精工机械{i}有限公司", "uscc": make_uscc(i), **COMPLETE} for i in (1, 2, 3)
    ]
    records[1].update(employees_y1=180, rd_staff_y1=200)  # 研发人员 over 从业人员: a warning
    applicants = tmp_path / "applicants.json"
    applicants.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    service.import_paths(ROUND, [applicants])
    assert [r.open_warnings for r in service.list_applicants(ROUND, sort="uscc")] == [0, 1, 0]
    with service.store.session() as session:
        session.execute(
            text(
                "UPDATE applicant_versions SET issues = :damaged WHERE id = "
                "(SELECT current_version_id FROM applicants WHERE uscc = :uscc)"
            ),
            {"damaged": '[{"code": "rd-staff-exceeds-emp', "uscc": make_uscc(2)},
        )
        session.commit()
    before = len(errors.shown)
    window.reload_rows()
    qtbot.waitUntil(lambda: len(errors.shown) > before, timeout=TIMEOUT)
    box = errors.shown[-1]
    expected = f"企业 杭州精工机械2有限公司（{make_uscc(2)}）第 1 版的导入提示在数据库中已损坏"
    assert box.windowTitle() == "操作未完成" and expected in box.text()
    assert "联系技术支持" in box.text() and "未预期" not in box.text()
    assert expected in window.statusBar().currentMessage()
    # The guide behind it says the list could not be read, not that the round has no applicant.
    assert "未能读取" in window.welcome.heading.text()
    assert "还没有企业" not in window.welcome.heading.text()
    window.grab().save(str(tmp_path / "damaged_window.png"))
    box.grab().save(str(tmp_path / "damaged_box.png"))
    box.done(0)
