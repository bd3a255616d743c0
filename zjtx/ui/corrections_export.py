"""导出 → 补正清单…: the round's 补正清单 (what each enterprise must still supply) as .xlsx or
PDF, written off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from zjtx.export.corrections import (
    corrections_of_round,
    write_corrections_pdf,
    write_corrections_xlsx,
)

if TYPE_CHECKING:
    from zjtx.ui.main_window import MainWindow

FILTERS = "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"


def ask_target(window: MainWindow) -> Path | None:
    """The file to write, chosen by the evaluator (None when cancelled)."""
    folder = Path(window.settings.export_folder or Path.home())
    suggested = folder / f"补正清单-{window.round_name}.xlsx"
    chosen, selected = QFileDialog.getSaveFileName(window, "导出补正清单", str(suggested), FILTERS)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (".xlsx", ".pdf"):
        path = path.with_suffix(".pdf" if "pdf" in selected.lower() else ".xlsx")
    return path


def export_corrections(window: MainWindow, target: Path | None = None) -> Any:
    """Write the open round's 补正清单 to ``target`` (asked for when None); the task."""
    service, name = window.service, window.round_name
    if service is None or name is None:
        return None
    target = target or ask_target(window)
    if target is None:
        return None
    writer = write_corrections_pdf if target.suffix.lower() == ".pdf" else write_corrections_xlsx
    window.statusBar().showMessage("正在导出补正清单……")

    def work(progress: Any, cancel: Any) -> str:
        model = corrections_of_round(service, name, progress=progress, cancel=cancel)
        writer(model, target)
        return model.counts_text()

    def done(counts: str) -> None:
        window.message.emit(f"已导出补正清单 {target}：{counts}")

    return window.runner.start(work, name="导出补正清单", on_success=done,
                               on_failure=window.show_error)  # fmt: skip
