"""The preview of a document (ui/voorbeeld.py): every page of its PDF drawn in the window, zoom, saving from
it, and nothing written to disk to look."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from ontkoppel_desktop.core.errors import OntkoppelError
from ontkoppel_desktop.documents.model import Document, PageBreak, Paragraph
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.documenten import toon_voorbeeld
from ontkoppel_desktop.ui.voorbeeld import VoorbeeldDialog
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages, open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek

pytestmark = pytest.mark.gui


def pages(n: int) -> Document:
    blocks: list[Any] = []
    for i in range(n):
        blocks += [Paragraph(f"Dit is pagina {i + 1}: Çağlar Yılmaz en Noor Visser."), PageBreak()]
    return Document(title="Proefdocument", blocks=tuple(blocks[:-1]))


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.fixture
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty temp folder of this test alone (Python's and Qt's), so a file written there shows."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("TEMP", str(folder))
    monkeypatch.setenv("TMP", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def wait_drawn(qtbot: Any, dialog: VoorbeeldDialog) -> None:
    qtbot.waitUntil(dialog.klaar, timeout=10_000)


def test_every_page_shown_and_nothing_written(qtbot: Any, own_temp: Path, ontkoppel_home: Path) -> None:
    before = files_under(ontkoppel_home)
    dialog = VoorbeeldDialog(None, pages(5), "Proefdocument", None)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_drawn(qtbot, dialog)
    assert len(dialog.paginas) == 5
    assert all(p.pixmap() is not None and not p.pixmap().isNull() for p in dialog.paginas)
    assert dialog.pagina_label.text() == "pagina 1 van 5"
    assert not dialog.word_knop.isVisible() and not dialog.pdf_knop.isVisible(), "nothing to save with"
    dialog.vlak.verticalScrollBar().setValue(dialog.vlak.verticalScrollBar().maximum())
    assert dialog.pagina_label.text() == "pagina 5 van 5"
    assert files_under(own_temp) == set(), "the preview writes nothing to the temp folder"
    assert files_under(ontkoppel_home) == before, "nor to the app's folder"


def test_zoom_changes_the_page_images(qtbot: Any) -> None:
    dialog = VoorbeeldDialog(None, pages(2), "Proefdocument", None)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_drawn(qtbot, dialog)
    width = dialog.paginas[0].pixmap().width()
    assert dialog.zoom_label.text() == "100 %"
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    wait_drawn(qtbot, dialog)
    assert dialog.zoom_label.text() == "125 %"
    assert dialog.paginas[0].pixmap().width() == pytest.approx(width * 1.25, abs=2)
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    wait_drawn(qtbot, dialog)
    assert dialog.paginas[0].pixmap().width() < width
    qtbot.keyClick(dialog, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    wait_drawn(qtbot, dialog)
    assert dialog.paginas[0].pixmap().width() == width and dialog.zoom_label.text() == "100 %"


def test_a_long_document_shows_its_first_page_before_the_rest(qtbot: Any) -> None:
    dialog = VoorbeeldDialog(None, pages(30), "Lang", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.eerste_pagina_s is not None)
    assert not dialog.klaar(), "page by page, the window answers in between"
    assert "van 30" in dialog.voortgang.text()
    wait_drawn(qtbot, dialog)
    assert dialog.voortgang.text() == ""


def test_save_as_pdf_from_the_preview_of_a_verslag(qtbot: Any, tmp_path: Path, own_temp: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), aanleiding="Çağlar Yılmaz belde", afronden=True)
    store.close()
    window = open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR)
    from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen

    view = VerslagLezen(window.session, vid, window)
    qtbot.addWidget(view)
    view.opslaan_menu.aboutToShow.emit()
    action = next(a for a in view.opslaan_menu.actions() if a.text().endswith("e-portfolio aios — voorbeeld…"))
    action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, VoorbeeldDialog) and w.isVisible())
    assert dialog.windowTitle() == "Voorbeeld — Gespreksverslag driehoeksgesprek, e-portfolio aios"
    wait_drawn(qtbot, dialog)
    info = subprocess.run(["pdfinfo", "-"], input=dialog.pdf_bytes, capture_output=True, check=True).stdout
    assert re.search(rb"Pages:\s+(\d+)", info).group(1) == str(len(dialog.paginas)).encode()  # type: ignore[union-attr]
    assert files_under(own_temp) == set()

    asked: list[str] = []

    def save_as(parent: Any, title: str, suggestion: str, filter_: str) -> tuple[str, str]:
        asked.append(Path(suggestion).name)
        return str(tmp_path / "uit" / "verslag"), filter_

    (tmp_path / "uit").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    dialog.pdf_knop.click()
    assert asked == ["2026-09-08 Gespreksverslag driehoeksgesprek (e-portfolio aios) Noor Visser.pdf"]
    text = subprocess.run(["pdftotext", str(tmp_path / "uit" / "verslag.pdf"), "-"], capture_output=True,
                          check=True, text=True).stdout
    assert "Çağlar Yılmaz belde" in text
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_document_that_cannot_be_made_says_why_in_dutch(qtbot: Any, messages: Messages) -> None:
    def shown() -> list[Any]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, VoorbeeldDialog) and w.isVisible()]

    before = shown()
    def kapot() -> Document:
        raise OntkoppelError("Het verslag is niet meer te lezen.")

    assert toon_voorbeeld(None, kapot, "stam", "Verslag") is None  # type: ignore[arg-type]
    assert messages.shown == [("Voorbeeld", "Het verslag is niet meer te lezen.")]

    def onverwacht() -> Document:
        raise RuntimeError("boom")

    assert toon_voorbeeld(None, onverwacht, "stam", "Verslag") is None  # type: ignore[arg-type]
    assert messages.shown[-1][1].startswith("Er ging iets onverwachts mis")
    assert shown() == before


def test_first_page_of_a_verslag_is_quick(qtbot: Any, tmp_path: Path) -> None:
    """Opening to the first page drawn, the PDF's rendering included (figure in the commit message)."""
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    vid = schrijf_driehoek(store, traject_id, dt.date(2026, 9, 8), afronden=True)
    from ontkoppel_desktop.documents.verslag import verslag_documenten

    svc = store.verslagen
    verslag = svc.get(vid)
    stukken = verslag_documenten(verslag, svc.formulier(verslag), svc.context(traject_id), opleiding="Proef")
    document = stukken[0].document
    store.close()
    dialog = VoorbeeldDialog(None, document, "Verslag", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.eerste_pagina_s is not None)
    assert dialog.eerste_pagina_s is not None and dialog.eerste_pagina_s < float(os.environ.get("VOORBEELD_MAX_S", "2"))


def test_the_preview_shows_the_institute_profile_as_saving_would(qtbot: Any) -> None:
    from ontkoppel_desktop.settings import Settings

    settings = Settings.load()
    settings.instituut_naam = "Huisartsopleiding Proefstad"
    settings.save()
    dialog = toon_voorbeeld(None, lambda: pages(1), "stam", "Proefdocument")  # type: ignore[arg-type]
    assert dialog is not None
    qtbot.addWidget(dialog)
    text = subprocess.run(["pdftotext", "-", "-"], input=dialog.pdf_bytes, capture_output=True, check=True).stdout
    assert "HUISARTSOPLEIDING PROEFSTAD" in text.decode().upper()
    dialog.close()
