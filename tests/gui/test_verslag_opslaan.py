"""Saving a verslag as a document from its read-only view: a menu entry per verslag, place and format; the file
written where the user chose, whole; a PDF that says what the verslag says."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek


def test_a_definitief_verslag_saved_as_pdf(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           geopend: list[str]) -> None:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), aanleiding="Çağlar Yılmaz belde", afronden=True)
    store.close()
    window = open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR)
    view = VerslagLezen(window.session, vid, window)
    qtbot.addWidget(view)
    view.opslaan_menu.aboutToShow.emit()
    labels = [a.text() for a in view.opslaan_menu.actions()]
    assert labels == [
        "Gespreksverslag driehoeksgesprek, e-portfolio aios — voorbeeld…",
        "Gespreksverslag driehoeksgesprek, e-portfolio aios — als Word…",
        "Gespreksverslag driehoeksgesprek, e-portfolio aios — als PDF…",
        "Gespreksverslag driehoeksgesprek, e-portfolio aios — afdrukken…",
        "Gespreksverslag driehoeksgesprek, dossier opleider — voorbeeld…",
        "Gespreksverslag driehoeksgesprek, dossier opleider — als Word…",
        "Gespreksverslag driehoeksgesprek, dossier opleider — als PDF…",
        "Gespreksverslag driehoeksgesprek, dossier opleider — afdrukken…",
    ]
    asked: list[str] = []

    def save_as(parent: Any, title: str, suggestion: str, filter_: str) -> tuple[str, str]:
        asked.append(Path(suggestion).name)
        return str(tmp_path / "uit" / "verslag"), filter_

    (tmp_path / "uit").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    view.opslaan_menu.actions()[2].trigger()
    assert asked == ["2026-09-08 Gespreksverslag driehoeksgesprek (e-portfolio aios) Noor Visser.pdf"]
    pdf = tmp_path / "uit" / "verslag.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Çağlar Yılmaz belde" in text and "Noor Visser" in text
    assert [p.name for p in (tmp_path / "uit").iterdir()] == ["verslag.pdf"], "nothing half-written beside it"
    assert geopend == [f"open {pdf}"], "Openen and Toon in map after the export: the answer Openen opens it"


def test_the_traject_documents_from_the_traject_screen(qtbot: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), afronden=True)
    store.close()
    window = open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR)
    window.show_traject(traject_id)
    detail = window.trajecten.detail
    qtbot.waitUntil(lambda: detail.traject is not None and detail.overview is not None)
    detail.documenten_menu.aboutToShow.emit()
    actions = {a.text(): a for a in detail.documenten_menu.actions() if a.text()}
    assert "Overzicht van gesprekken en verslagen — als PDF…" in actions
    blanco = next(a for t, a in actions.items() if "zonder persoonsgegevens — als PDF" in t)
    (tmp_path / "uit").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(tmp_path / "uit" / "stappenplan.pdf"), "")))
    blanco.trigger()
    text = subprocess.run(["pdftotext", str(tmp_path / "uit" / "stappenplan.pdf"), "-"], capture_output=True,
                          check=True, text=True).stdout
    assert "Stappenplan" in text and "Noor" not in text and "Visser" not in text
