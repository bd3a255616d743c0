"""Import wizard, issue 14: the file dialog offers Word 申请书 (.docx) and says .doc/.wps need
另存为."""

from tests.ui.conftest import ROUND, ROUND_DATE
from zjtx.ui import import_dialog
from zjtx.ui.import_dialog import ImportDialog
from zjtx.ui.tasks import TaskRunner


def test_file_dialog_filter_offers_docx_and_says_doc_needs_save_as(qtbot, service, monkeypatch):
    """选择文件… lists .docx among 申报文件 and names .doc/.wps with 另存为 .docx."""
    seen = {}

    def fake(parent, caption, folder, filters):
        seen["filters"] = filters
        return [], ""

    monkeypatch.setattr(import_dialog.QFileDialog, "getOpenFileNames", fake)
    service.create_round(ROUND, tier="little-giant", round_date=ROUND_DATE)
    dialog = ImportDialog(TaskRunner(), service, ROUND, lambda: "张三")
    qtbot.addWidget(dialog)
    dialog._choose_files()
    first = seen["filters"].split(";;")[0]
    assert "*.docx" in first and "*.xlsx" in first
    assert "另存为 .docx" in seen["filters"] and "*.doc " in seen["filters"]
