"""Inzage-export… in Personen (issue 13, AVG art. 15), as a user meets it: choose an opleider, ask for the export, send
the bijlagen along, save as PDF; the document and the bijlage land beside each other, and the document holds the
opleider's data and not the other case's."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.personen.inzage import InzageDialog, bijlagen_map
from tests.conftest import WACHTWOORD
from tests.faults.crash_child import Case, write_cases
from tests.gui.conftest import open_main_window

PREFIX = "ZGUIINZAGE"


def test_an_opleider_exports_what_the_store_holds_about_them(qtbot: Any, store_path: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(store_path, WACHTWOORD)
    try:
        write_cases(store, PREFIX, 2)
        een = Case(store, PREFIX, 1)
        een.find()
        inhoud = store.bijlagen.inhoud(store.bijlagen.van_verslag(een.ids["evaluatie_opleider"])[0].id)
    finally:
        store.close()
    window = open_main_window(qtbot, store_path)
    window.show_section(window.personen)
    tab = window.personen.show_kind("opleider")
    qtbot.waitUntil(lambda: tab.model.row_of_id(een.ids["opleider"]) is not None)
    assert tab.inzage is not None
    tab.select_id(een.ids["opleider"])
    assert tab.inzage.isEnabled()
    qtbot.mouseClick(tab.inzage, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, InzageDialog) and w.isVisible())
    assert f"{PREFIX}0001opleider" in dialog.kop.text() and "1 bijlage" in dialog.uitleg.text()
    dialog.bijlagen.setChecked(True)

    gevraagd: list[str] = []

    def save_as(parent: Any, title: str, suggestion: str, filter_: str) -> tuple[str, str]:
        gevraagd.append(Path(suggestion).name)
        return str(tmp_path / "uit" / "inzage"), filter_

    (tmp_path / "uit").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    qtbot.mouseClick(dialog.pdf, Qt.MouseButton.LeftButton)

    assert gevraagd and gevraagd[0].endswith(f"Inzage persoonsgegevens Eva {PREFIX}0001opleider.pdf")
    pdf = tmp_path / "uit" / "inzage.pdf"
    tekst = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    for kind in ("opleider", "eigenrol", "notitie", "bijlagenaam"):
        assert een.tag(kind) in tekst, kind
    assert f"{PREFIX}0002" not in tekst and een.tag("aandachtspuntenaios") not in tekst
    [bestand] = list(bijlagen_map(pdf).iterdir())
    assert bestand.read_bytes() == inhoud and een.tag("bijlagenaam") in bestand.name
    assert "Met 1 bijlage" in dialog.melding.text()
    window.session.lock()
    assert not dialog.isVisible()


def test_inzage_is_offered_for_aios_and_opleiders_only(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    window.show_section(window.personen)
    assert window.personen.show_kind("aios").inzage is not None
    assert window.personen.show_kind("praktijk").inzage is None
