"""Render the README screenshots (main window at two sizes, first start, import wizard, review
pane, print preview, identity dialog, rulebook comparison) offscreen."""

from __future__ import annotations

import argparse
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
    if args.size != "1366x768":
        window.resize(1366, 768)
        window._default_sizes()
        shoot(window, "main-window-1366x768")
        window.resize(width, height)
        window._default_sizes()

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

    from zjtx.ui.rulebooks import RulebookBrowser

    browser = RulebookBrowser("little-giant-2022", "little-giant-2026")
    browser.resize(1366, 768)
    browser.show()
    shoot(browser, "rulebook-compare")
    browser.close()

    window.close()
    window.runner.wait(30000)
    store.close()
    app.processEvents()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
