"""The Handleiding (issue 14): F1 and the Help menu open a Dutch manual at the part of the app shown, with a table
of contents and a search; the procedure itself is readable from it, made from the procedure file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from ontkoppel_desktop.core.procedure import default_registry
from ontkoppel_desktop.ui import handleiding
from ontkoppel_desktop.ui.app import Controller
from ontkoppel_desktop.ui.handleiding import HandleidingVenster, alle_hoofdstukken, toon_handleiding
from tests.gui.conftest import open_main_window

RESOURCES = Path(__file__).parents[2] / "resources" / "handleiding"


@pytest.fixture(autouse=True)
def sluit_handleiding() -> Iterator[None]:
    yield
    venster = handleiding._venster
    if venster is not None and handleiding.isValid(venster):
        venster.close()
        venster.deleteLater()
    handleiding._venster = None


def _open() -> HandleidingVenster:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, HandleidingVenster) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _cursor_blok(venster: HandleidingVenster) -> str:
    return venster.tekst.textCursor().block().text()


def test_f1_opens_the_manual_where_the_user_is(qtbot: Any, store_path: Path) -> None:
    window = open_main_window(qtbot, store_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.show_section(window.verslagen)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    venster = _open()
    assert venster.huidig is not None and venster.huidig.sleutel == "verslagen"
    assert venster.huidig.titel == "Verslagen en de wizard"
    assert "Voltooien en afronden" in venster.tekst.toPlainText()
    window.show_section(window.taken)
    window.handleiding_action.trigger()
    assert venster.huidig.sleutel == "trajecten" and _cursor_blok(venster) == "Taken & termijnen"
    # Locked, it is about locking, and the manual stays open: nothing of the store is in it.
    window.session.lock()
    assert venster.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert venster.huidig.sleutel == "veiligheid" and _cursor_blok(venster) == "Vergrendelen"
    assert _open() is venster, "one help window"
    window.close()


def test_the_table_of_contents_shows_chapters_and_their_paragraphs(qtbot: Any, qapp: Any) -> None:
    venster = toon_handleiding(None, "beginnen")
    qtbot.waitExposed(venster)
    titels = [venster.inhoud.topLevelItem(i).text(0) for i in range(venster.inhoud.topLevelItemCount())]
    assert titels[:3] == ["Beginnen", "Wie doet wat", "Trajecten en stappen"]
    assert titels[-2:] == ["Sneltoetsen", "Procedure"]
    veiligheid = venster.inhoud.topLevelItem(titels.index("Back-ups en veiligheid"))
    herstel = next(veiligheid.child(j) for j in range(veiligheid.childCount())
                   if veiligheid.child(j).text(0) == "De herstelsleutel bewaren")
    veiligheid.setExpanded(True)
    rect = venster.inhoud.visualItemRect(herstel)
    qtbot.mouseClick(venster.inhoud.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert venster.huidig is not None and venster.huidig.sleutel == "veiligheid"
    assert _cursor_blok(venster) == "De herstelsleutel bewaren"
    qtbot.waitUntil(lambda: venster.tekst.verticalScrollBar().value() > 0)
    # The keyboard reaches it too: the contents, Down, and the next paragraph is shown.
    venster.inhoud.setFocus()
    qtbot.keyClick(venster.inhoud, Qt.Key.Key_Down)
    assert _cursor_blok(venster) == "Back-ups"


def test_a_link_leads_to_another_chapter(qtbot: Any, qapp: Any) -> None:
    venster = toon_handleiding(None, "beginnen")
    qtbot.waitExposed(venster)
    cursor = venster.tekst.document().find("Back-ups en veiligheid")
    assert not cursor.isNull() and cursor.charFormat().isAnchor()
    venster.tekst.setTextCursor(cursor)
    venster.tekst.ensureCursorVisible()
    plek = venster.tekst.cursorRect(cursor).center() - QPoint(20, 0)
    qtbot.mouseClick(venster.tekst.viewport(), Qt.MouseButton.LeftButton, pos=plek)
    qtbot.waitUntil(lambda: venster.huidig is not None and venster.huidig.sleutel == "veiligheid")


def test_searching_keeps_the_chapters_with_every_word_and_finds_it_without_accents(qtbot: Any, qapp: Any) -> None:
    venster = toon_handleiding(None, "sneltoetsen")
    qtbot.waitExposed(venster)
    qtbot.keyClicks(venster.zoek, "herstelsleutel kopieren")  # the text says kopiëren
    zichtbaar = [venster.inhoud.topLevelItem(i).text(0) for i in range(venster.inhoud.topLevelItemCount())
                 if not venster.inhoud.topLevelItem(i).isHidden()]
    assert zichtbaar == ["Beginnen", "Back-ups en veiligheid"]
    qtbot.keyClick(venster.zoek, Qt.Key.Key_Return)
    assert venster.huidig is not None and venster.huidig.sleutel == "beginnen"
    assert venster.tekst.textCursor().selectedText().lower() == "herstelsleutel"
    venster.zoek.clear()
    qtbot.keyClicks(venster.zoek, "kopieren")
    qtbot.keyClick(venster.zoek, Qt.Key.Key_Return)
    assert venster.tekst.textCursor().selectedText().lower() == "kopiëren"
    venster.zoek.clear()
    qtbot.keyClicks(venster.zoek, "xylofoon")
    assert venster.isVisible(), "Enter searches, it does not close the window"
    assert venster.geen_treffers.isVisible()


def test_the_procedure_chapter_is_the_procedure_file(qtbot: Any, qapp: Any) -> None:
    definitie = default_registry().current()
    venster = toon_handleiding(None, handleiding.PROCEDURE)
    qtbot.waitExposed(venster)
    tekst = " ".join(venster.tekst.toPlainText().split())
    assert definitie.title in tekst and definitie.institute in tekst
    assert " ".join(definitie.source.split()) in tekst and f"Versie {definitie.version}" in tekst
    for stap in definitie.steps:
        assert " ".join(stap.title.split()) in tekst, stap.id
        if stap.term is not None:
            assert " ".join(stap.term.text.split()) in tekst, stap.id
    for fase in definitie.phases:
        assert f"Fase {fase.number}: {fase.title}" in tekst
    assert "Regels" in tekst and f"meer dan {definitie.wachttijd.max_days} dagen" in tekst  # type: ignore[union-attr]
    procedure = next(venster.inhoud.topLevelItem(i) for i in range(venster.inhoud.topLevelItemCount())
                     if venster.inhoud.topLevelItem(i).text(0) == "Procedure")
    assert [procedure.child(j).text(0) for j in range(procedure.childCount())] == [
        *(f"Fase {f.number}: {f.title}" for f in definitie.phases), "Regels"]


def test_every_link_in_the_manual_names_a_chapter() -> None:
    sleutels = {h.sleutel for h in alle_hoofdstukken()}
    bestanden = sorted(RESOURCES.glob("[0-9]*.md"))
    assert len(bestanden) == len([h for h in alle_hoofdstukken() if not h.html]) >= 8
    for bestand in bestanden:
        for doel in re.findall(r"\]\(([^)]+)\)", bestand.read_text(encoding="utf-8")):
            if not doel.startswith(("http:", "https:", "mailto:")):
                assert doel.partition("#")[0] in sleutels, f"{bestand.name}: {doel}"


def test_f1_in_the_welcome_window(qtbot: Any, controller: Controller) -> None:
    controller.start(None, demo=False, demo_if_new=False)
    welcome = controller.welcome
    assert welcome is not None
    qtbot.mouseClick(welcome.handleiding_knop, Qt.MouseButton.LeftButton)
    venster = _open()
    assert venster.huidig is not None and venster.huidig.sleutel == "beginnen"
    venster.close()
    qtbot.mouseClick(welcome.nieuw_knop, Qt.MouseButton.LeftButton)
    welcome.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is welcome)
    qtbot.keyClick(welcome.wachtwoord.eerste, Qt.Key.Key_F1)
    assert _open().huidig is not None and _cursor_blok(_open()) == "De eerste keer"


