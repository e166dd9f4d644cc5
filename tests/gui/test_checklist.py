"""The checklist ontkoppeling in the traject screen: ticking its points with the mouse does the administratieve
afhandeling with the last one; Stap vastleggen on that step leads to the checklist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt

from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, ontkoppel


def _state(window: Any, step_id: str) -> str:
    model = window.trajecten.detail.tijdlijn.model_
    return next(model.data(model.index(i, 2)) for i in range(model.rowCount())
                if model.row_at(i).step.id == step_id)


def test_ticking_the_checklist(qtbot: Any, tmp_path: Path) -> None:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    ontkoppel(store, traject_id)
    store.close()
    window = open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR)
    window.show_traject(traject_id)
    detail = window.trajecten.detail
    qtbot.waitUntil(lambda: detail.traject is not None)
    rows = [i for i in range(detail.tijdlijn.model_.rowCount())
            if detail.tijdlijn.model_.row_at(i).step.id == "administratieve_afhandeling"]
    detail.tijdlijn.selectRow(rows[0])
    qtbot.mouseClick(detail.vastleggen, Qt.MouseButton.LeftButton)
    assert detail.tabs.currentWidget() is detail.checklist
    boxes = list(detail.checklist.boxes)
    for punt in boxes:
        box = detail.checklist.boxes[punt][0]
        assert box.isEnabled() and not box.isChecked()
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        qtbot.waitUntil(lambda p=punt: detail.checklist.boxes[p][0].isChecked())
    assert "afgevinkt op" in detail.checklist.boxes[boxes[0]][1].text()
    assert "Docent Vos" in detail.checklist.boxes[boxes[0]][1].text()
    qtbot.waitUntil(lambda: _state(window, "administratieve_afhandeling") == "Gedaan")
