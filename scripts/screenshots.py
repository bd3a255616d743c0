"""Render the README screenshots (main window at two sizes and its table's column menu, first
start, import wizard, review pane, print preview, identity dialog, rulebook comparison, 培育库)
offscreen."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUND = "2025年专精特新中小企业第一批"
ROUND_DATE = date(2025, 5, 1)


def wait_for(signal, timeout_ms: int = 120000) -> list:
    """Run the event loop until ``signal`` fires; returns its arguments."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    received: list = []

    def got(*args) -> None:
        received.extend(args)
        loop.quit()

    signal.connect(got)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(got)
    return received


def settle(ms: int = 200) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def write_roster(folder: Path) -> Path:
    """The shipped sample roster, or else a roster as a bureau receives it (one mistyped code)."""
    from openpyxl import load_workbook

    from zjtx.paths import resource_path

    shipped = resource_path("samples", "roster_2026.xlsx")
    if shipped.exists():
        return shipped

    from zjtx.intake.synthetic import applicants
    from zjtx.intake.templates import write_roster_template
    from zjtx.scoring import load_catalogue

    path = write_roster_template(
        folder / "2025年第一批申报名单.xlsx", load_catalogue(), ROUND_DATE.year,
        applicants(40, ROUND_DATE.year, seed=7),
    )  # fmt: skip
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.cell(5, 2).value = "91330100MA2H7XXXX"
    workbook.save(path)
    return path


def write_published_list(path: Path, title: str, names: list[str]) -> Path:
    """A published list as bureaus copy it: a title row, 序号 | 企业名称 | 设区市 | 县（市、区）."""
    from openpyxl import Workbook

    places = (
        ("杭州市", "西湖区"),
        ("宁波市", "鄞州区"),
        ("温州市", "瓯海区"),
        ("嘉兴市", "海宁市"),
    )
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["序号", "企业名称", "设区市", "县（市、区）"])
    for number, name in enumerate(names, start=1):
        sheet.append([number, name, *places[number % len(places)]])
    book.save(path)
    return path


def shoot_registry(service, window, work: Path, width: int, height: int, size: str, shoot) -> None:
    """培育库: the register view, and an applicant's 培育库 tab with a warning (issue 15)."""
    from zjtx.intake.published_list import read_published_list
    from zjtx.paths import resource_path
    from zjtx.ui.registry_view import this_year

    samples = [r.name for r in service.list_applicants(ROUND)]
    trades = ("智能装备", "新材料", "精密机械", "电子科技", "生物医药")
    names = samples[:6] + [f"浙江{trades[n % 5]}第{n}号有限公司" for n in range(1, 140)]
    year = this_year() - 2
    lists = (
        ("srdi-sme", year, f"{year}年度浙江省专精特新中小企业认定名单", names[:90]),
        ("innovative-sme", year - 1, f"{year - 1}年度浙江省创新型中小企业公示名单", names[60:]),
    )
    for title, list_year, heading, chosen in lists:
        path = write_published_list(work / f"{heading}.xlsx", heading, chosen)
        service.registry.import_list(read_published_list(path), title=title, year=list_year)
    service.create_round("2026年专精特新第二批", tier="srdi-sme", round_date=date(2026, 5, 1))
    service.import_paths("2026年专精特新第二批", [resource_path("samples", "applicants.json")])

    view = window.open_registry()
    view.resize(width, height)
    wait_for(view.loaded)
    view.table.selectRow(2)
    wait_for(view.history_loaded)
    shoot(view, "registry-view" if size == "1600x960" else f"registry-view-{size}")
    if size != "1366x768":
        view.resize(1366, 768)
        shoot(view, "registry-view-1366x768")
    view.close()

    window.refresh_rounds(select="2026年专精特新第二批")
    wait_for(window.rows_loaded)
    details = [
        service.applicant_detail("2026年专精特新第二批", r.uscc)
        for r in service.list_applicants("2026年专精特新第二批")
    ]
    warned = next(
        (d for d in details if any(i.code.startswith("registry-") for i in d.issues)), None
    )
    if warned is not None:
        window.select_applicant(warned.row.uscc)
        wait_for(window.detail_loaded)
        window.detail.tabs.setCurrentWidget(window.registry_pane)
        settle(600)
        shoot(window, "registry-applicant-tab")

    # A list arriving after the applications: the open rounds are checked again and the
    # import dialog says which changed.
    later = samples[6:10]
    heading = f"{year + 1}年度浙江省创新型中小企业公示名单"
    path = write_published_list(work / f"{heading}.xlsx", heading, later)
    view = window.open_registry()
    dialog = view.open_import([path])
    dialog.title.setCurrentIndex(dialog.title.findData("innovative-sme"))
    dialog.year.setValue(year + 1)
    dialog.import_button.click()
    wait_for(view.loaded)
    settle(300)
    shoot(dialog, "registry-import-rechecked")
    dialog.close()
    view.close()

    # A round whose warnings an older zjtx gave: the line above its tabs offers a recheck.
    from sqlalchemy import text

    with service.store.session() as session:
        session.execute(text("UPDATE rounds SET registry_checks = NULL"))
        session.commit()
    window.reload_rows()
    wait_for(window.rows_loaded)
    settle(600)
    shoot(window, "registry-recheck-due")


def shoot_import_profiles(service, window, work: Path, shoot) -> None:
    """The import wizard reading a district roster with a saved mapping profile, and a workbook
    of one application's parts, each with its reading and why (issue 14 §8), at 1600×960 and
    1366×768."""
    import openpyxl

    from zjtx.intake.synthetic import valid_uscc
    from zjtx.ui.import_dialog import ImportDialog
    from zjtx.ui.import_models import MappingModel

    def book(path: Path, sheets) -> Path:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        workbook.save(path)
        return path

    def district(name: str, first: int) -> Path:
        header = ["序号", "企业名称", "统一社会信用代码", "所在区县", "销售额", "从业人员（人）"]
        rows = [[i + 1, f"福州{first + i}号精密制造有限公司", valid_uscc(first + i), name[:3],
                 (8_000 + 900 * i) * 10_000, 120 + 9 * i] for i in range(6)]  # fmt: skip
        return book(work / f"{name}.xlsx", [("名单", [header, *rows])])

    parts = book(
        work / "海沧智能装备申报书.xlsx",
        [
            (
                "基本信息",
                [["企业名称", "厦门海沧智能装备有限公司"], ["统一社会信用代码", valid_uscc(8801)]],
            ),
            (
                "主要指标",
                [
                    ["年度", "营业收入（万元）", "研发费用（万元）"],
                    ["2024年", 9000, 480],
                    ["2025年", 10500, 630],
                ],
            ),
        ],
    )

    def wait(dialog) -> None:
        while dialog.task is not None:
            settle(100)

    # 鼓楼区's 销售额 (in 元) corrected once and saved as a profile ...
    first = ImportDialog(window.runner, service, "2026年第一批", lambda: "王评审", window)
    first.add_paths([district("鼓楼区名单", 9100)])
    first.read()
    wait(first)
    model = first.mapping_model
    row = next(r for r in range(model.rowCount()) if model.mapping_at(r).column == "E")
    model.setData(model.index(row, MappingModel.FIELD), "revenue")
    wait(first)
    model.setData(model.index(row, MappingModel.UNIT), "元")
    wait(first)
    first.save_profile("福州区县名单")
    first.close()

    # ... so 台江区's file, laid out the same, is read with it.
    dialog = ImportDialog(window.runner, service, "2026年第一批", lambda: "王评审", window)
    dialog.add_paths([district("台江区名单", 9200), parts])
    dialog.show()
    dialog.read()
    wait(dialog)
    for name, size in (("import-profile", (1600, 960)), ("import-profile-1366x768", (1366, 768))):
        dialog.resize(*size)
        dialog.mapping_file.setCurrentIndex(0)
        shoot(dialog, name)
    dialog.mapping_file.setCurrentIndex(1)
    shoot(dialog, "import-reading-1366x768")
    dialog.close()


def shoot_panel(service, window, target: str, shoot) -> None:
    """专家组 (issue 16 §3): five members, one 回避, a split on a judgement item, opinions; the
    panel window at 1600×960 and 1366×768 and the 组长's decision area beside the positions."""
    from zjtx.store.panels import Panels

    panels = Panels(service.store, service.evaluations)
    members = (("王评审", "浙江省经济和信息化厅", "组长"), ("李明", "浙江大学", "评审专家"),
               ("陈静", "浙江工业大学", "副组长"), ("周涛", "省中小企业服务中心", "评审专家"),
               ("吴芳", "杭州市会计师协会", "评审专家"))  # fmt: skip
    for name, unit, role in members:
        panels.add_member(ROUND, name, unit=unit, role=role, evaluator="王评审")
    panels.set_aggregation(ROUND, "trimmed", evaluator="王评审")
    criteria = service.review_state(ROUND, target).evaluation["criteria"]
    items = [c for c in criteria if c.get("judgement")]
    scores = {"王评审": "4.5", "李明": "4", "陈静": "3.5", "周涛": "2"}
    panels.recuse(ROUND, target, member="吴芳", reason="曾为该企业提供审计服务", evaluator="王评审")
    for name, met in (("李明", True), ("陈静", True), ("周涛", False), ("王评审", True)):
        for number, item in enumerate(items):
            agree = met or number > 0  # 周涛 differs on the first item only
            points = (scores[name] if agree else "0") if item.get("kind") == "score" else None
            note = "" if agree else "配套证明仅为意向协议"
            panels.judge(ROUND, target, member=name, criterion=item["id"], met=agree,
                         points=points, note=note, evaluator="王评审")  # fmt: skip
    panels.opinion(
        ROUND, target, member="李明", text="产品配套关系清楚，同意推荐。", evaluator="王评审"
    )
    panels.opinion(ROUND, target, member="周涛", text="配套证明不足，建议补充材料后再议。",
                   evaluator="王评审")  # fmt: skip
    window.refresh_rounds(select=ROUND)
    wait_for(window.rows_loaded)
    window.select_applicant(target)
    wait_for(window.detail_loaded)
    settle(600)
    shoot(window.review_scroll, "review-pane-panel")
    window.open_panel()
    dialog = window.panel_dialog
    wait_for(dialog.loaded)
    for name, size in (("panel-view", (1600, 960)), ("panel-view-1366x768", (1366, 768))):
        dialog.resize(*size)
        shoot(dialog, name)
    # The 组长's page: a 回避 found after judging, or one recorded in error.
    dialog.records.setCurrentWidget(dialog.chair_box)
    dialog.chair_member.setCurrentIndex(dialog.chair_member.findData("周涛"))
    dialog.chair_reason.setText("其配偶在该企业任财务总监")
    settle(200)
    shoot(dialog, "panel-view-chair-1366x768")
    dialog.close()
    # The same applicant as an expert of the panel sees it: the decision is the 组长's.
    os.environ["ZJTX_EVALUATOR"] = "李明"
    try:
        other = next(r.uscc for r in service.list_applicants(ROUND) if r.uscc != target)
        for uscc in (other, target):
            window.select_applicant(uscc)
            wait_for(window.detail_loaded)
        settle(600)
        shoot(window.review_scroll, "review-pane-panel-expert")
    finally:
        os.environ["ZJTX_EVALUATOR"] = "王评审"
    # Where the 组长 declared 回避, the 副组长 decides: the panel window as 陈静 sees it.
    panels.recuse(ROUND, other, member="王评审", reason="曾在该企业任独立董事", evaluator="王评审")
    os.environ["ZJTX_EVALUATOR"] = "陈静"
    try:
        window.select_applicant(other)
        wait_for(window.detail_loaded)
        window.open_panel()
        dialog = window.panel_dialog
        wait_for(dialog.loaded)
        dialog.resize(1366, 768)
        settle(400)
        shoot(dialog, "panel-view-deputy-1366x768")
        dialog.close()
    finally:
        os.environ["ZJTX_EVALUATOR"] = "王评审"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument(
        "--size",
        default="1600x960",
        help="main window size, WIDTHxHEIGHT (default 1600x960); a laptop screen is also shot "
        "at 1366x768 as main-window-1366x768.png",
    )
    args = parser.parse_args(argv)
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size 须为 宽x高，如 1366x768，而不是 {args.size!r}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="zjtx-shots-"))
    os.environ["ZJTX_DATA_DIR"] = str(work / "data")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        # A screen of the size shot (offscreen's own is 800 × 800): dialogs open as they
        # would on it, no larger than it has room for.
        screen = {
            "name": "shots",
            "x": 0,
            "y": 0,
            "width": max(width, 1366),
            "height": max(height, 768),
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
        config = work / "screen.json"
        config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["ZJTX_EVALUATOR"] = "王评审"

    from zjtx.paths import resource_path
    from zjtx.store import StoreService, open_store
    from zjtx.ui.app import create_application
    from zjtx.ui.main_window import MainWindow
    from zjtx.ui.models import ROW_ROLE
    from zjtx.ui.settings import AppSettings

    app = create_application(["zjtx"])
    store = open_store()
    service = StoreService(store)
    shots: list[Path] = []

    def shoot(widget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    # First start: an empty database, nothing to show but what to do.
    first = MainWindow(service, AppSettings())
    first.resize(1366, 768)
    first.show()
    shoot(first, "first-start")
    from zjtx.ui.identity_dialog import IdentityDialog

    identity = IdentityDialog(AppSettings(), first, first_start=True)
    identity.form.name.setText("王评审")
    identity.form.unit.setText("杭州市经济和信息化局")
    identity.show()
    shoot(identity, "identity-dialog")
    identity.close()
    first.close()
    first.runner.wait(30000)
    service.create_round(ROUND, tier="srdi-sme", round_date=ROUND_DATE, region="浙江省")
    service.import_paths(ROUND, [resource_path("samples", "applicants.json")])
    rows = service.list_applicants(ROUND)
    # A round in progress: a few decisions and confirmations already saved.
    for row in [r for r in rows if r.verdict == "not_qualified"][:2]:
        service.decide(ROUND, row.uscc, "reject", "主要指标未达到认定标准，不予推荐。")
    target = max(rows, key=lambda r: (r.verdict == "pending", r.open_judgements))
    opened = service.review_state(ROUND, target.uscc).open_judgements
    service.confirm_criterion(
        ROUND, target.uscc, opened[0][0], "met", "已核对企业提交的产业链配套证明材料"
    )
    # A recommendation whose verdict an override changed afterwards: it reads 需复核.
    second = next(r for r in rows if r.verdict == "qualified" and not r.open_warnings)
    service.decide(ROUND, second.uscc, "recommend", "各项指标符合认定标准，同意推荐。")
    criteria = service.review_state(ROUND, second.uscc).evaluation["criteria"]
    met = next(c for c in criteria if c["kind"] == "requirement" and c["state"] == "met")
    service.confirm_criterion(
        ROUND, second.uscc, met["id"], "unmet", "经核查，审计报告中的数据与申报数据不一致"
    )

    # An earlier round, archived: shown greyed once 显示已归档 is ticked.
    service.create_round(
        "2024年专精特新中小企业第二批",
        tier="srdi-sme",
        round_date=date(2024, 11, 1),
        region="浙江省",
    )
    service.import_paths(
        "2024年专精特新中小企业第二批", [resource_path("samples", "applicants.json")]
    )
    service.archive_round("2024年专精特新中小企业第二批")

    window = MainWindow(service, AppSettings())
    window.resize(width, height)
    window._default_sizes()
    window.show()
    wait_for(window.rows_loaded)
    window.show_archived.setChecked(True)
    wait_for(window.rows_loaded)
    window.select_applicant(target.uscc)
    wait_for(window.detail_loaded)
    window.review.decision_combo.setCurrentIndex(window.review.decision_combo.findData("recommend"))
    window.review.opinion.setPlainText("各项指标符合认定标准，同意推荐。")
    shoot(window, "main-window" if args.size == "1600x960" else f"main-window-{args.size}")
    shoot(window.review_scroll, "review-pane")
    window.select_applicant(second.uscc)
    wait_for(window.detail_loaded)
    shoot(window.review_scroll, "review-pane-outdated")
    window.select_applicant(target.uscc)
    wait_for(window.detail_loaded)
    if args.size != "1366x768":
        window.resize(1366, 768)
        window._default_sizes()
        shoot(window, "main-window-1366x768")
        window.resize(width, height)
        window._default_sizes()
    # The table header's right-click menu (also 视图 → 表格列): columns shown or hidden.
    columns = window.columns.menu
    columns.aboutToShow.emit()
    columns.adjustSize()
    shoot(columns, "table-columns-menu")

    # 批量决定 of the round's 不符合条件 applicants, with its confirmation (issue 16 §2).
    window.verdict_filter.setCurrentIndex(window.verdict_filter.findData("not_qualified"))
    window.open_batch_decision()
    batch = window.batch_dialog
    while batch.preview_state is None:
        settle(100)
    for name, size in (("batch-dialog", (1100, 700)), ("batch-dialog-1366x768", (980, 620))):
        batch.resize(*size)
        shoot(batch, name)
    batch.ask_confirmation()
    shoot(batch.confirmation, "batch-confirmation")
    batch.confirmation.reject()
    batch.close()
    # 导出 with the same filter: 所选企业评审意见表 names the rows it takes.
    window.open_export("chosen_reports")
    shoot(window.export_dialog, "export-dialog-chosen")
    window.export_dialog.close()
    window.verdict_filter.setCurrentIndex(0)

    # The 评审意见表 of the applicant on screen, in the in-app preview (打印… prints it).
    from zjtx.ui.export_dialog import PdfPreview
    from zjtx.ui.outputs import run_export

    exported = run_export(service, ROUND, "report", work / "out", uscc=target.uscc)
    preview = PdfPreview(exported.files[0], window)
    preview.resize(900, 960)
    preview.show()
    settle(600)
    shoot(preview, "print-preview")
    preview.close()

    # The archived round, opened: greyed in the list, read-only review pane, region filter set.
    window.refresh_rounds(select="2024年专精特新中小企业第二批")
    wait_for(window.rows_loaded)
    window.region_filter.setCurrentIndex(window.region_filter.findData("浙江省"))
    first = window.proxy.index(0, 0).data(ROW_ROLE)
    window.select_applicant(first.uscc)
    wait_for(window.detail_loaded)
    shoot(window, "archived-round")
    window.region_filter.setCurrentIndex(0)

    # The shipped roster is for 2026: the wizard opens on a 2026 round.
    service.create_round("2026年第一批", tier="little-giant", round_date=date(2026, 5, 1))
    window.refresh_rounds(select="2026年第一批")
    wait_for(window.rows_loaded)
    window.open_import()
    dialog = window.import_dialog
    dialog.resize(1280, 720)
    dialog.add_paths([write_roster(work)])
    dialog.read()
    while dialog.task is not None:
        settle(100)
    shoot(dialog, "import-wizard")
    dialog.tabs.setCurrentIndex(1)
    shoot(dialog, "import-issues")
    dialog.close()
    shoot_import_profiles(service, window, work, shoot)

    from zjtx.ui.rulebooks import RulebookBrowser

    browser = RulebookBrowser("little-giant-2022", "little-giant-2026")
    browser.resize(1366, 768)
    browser.show()
    shoot(browser, "rulebook-compare")
    browser.close()

    shoot_registry(service, window, work, width, height, args.size, shoot)
    shoot_panel(service, window, target.uscc, shoot)

    window.close()
    window.runner.wait(30000)
    store.close()
    app.processEvents()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
