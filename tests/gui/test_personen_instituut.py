"""Personen on a laptop connected to the institute (issue 17), as a user meets it: a row that mirrors the
institute's Personen says so in the column Bron (also when a synchronisation links or lets go of it while the
screen is open), its form greys out what the institute keeps and says where to change it while the laptop's own
fields (an e-mail) stay editable and are saved, a row of the laptop's own keeps its form as it was, and archiving a
mirrored row is refused in Dutch.

A row is mirrored when its `instituut_id` is set: that is all instituut/spiegel.py does to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.personen.forms import AiosDialog, PraktijkDialog, RecordDialog
from ontkoppel_desktop.ui.personen.view import BRON_UITLEG, KindTab
from tests.gui.conftest import Messages, open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path)
    yield w
    w.session.lock()
    w.close()


def _spiegel(window: MainWindow, table: str, row_id: int, instituut_id: int | None = 7) -> None:
    window.session.store.conn.execute(f"UPDATE {table} SET instituut_id = ? WHERE id = ?", (instituut_id, row_id))


def _tab(qtbot: Any, window: MainWindow, kind: str) -> KindTab:
    window.show_section(window.personen)
    tab = window.personen.show_kind(kind)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    return tab


def _bron(tab: KindTab, row_id: int) -> str:
    assert tab.bron is not None
    row = tab.model.row_of_id(row_id)
    assert row is not None
    return str(tab.model.data(tab.model.index(row, tab.bron)))


def _edit(qtbot: Any, tab: KindTab, row_id: int, kind: type[RecordDialog]) -> Any:
    tab.select_id(row_id)
    qtbot.mouseClick(tab.bewerk, Qt.MouseButton.LeftButton)
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _save(qtbot: Any, dialog: RecordDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _twee_aios(window: MainWindow) -> tuple[int, int]:
    """A mirrored aios and one of the laptop's own."""
    eerste, tweede = window.session.store.personen.aios()[:2]
    assert eerste.id is not None and tweede.id is not None
    _spiegel(window, "aios", eerste.id)
    return eerste.id, tweede.id


@pytest.mark.parametrize("kind", ["aios", "opleider", "praktijk", "koppeling"])
def test_a_mirrored_row_says_it_comes_from_the_institute(qtbot: Any, window: MainWindow, kind: str) -> None:
    lezen = {"aios": "aios", "opleider": "opleiders", "praktijk": "praktijken", "koppeling": "koppelingen"}[kind]
    ids = [r.id for r in getattr(window.session.store.personen, lezen)()]
    assert len(ids) >= 2, "the demo store has at least two of each"
    _spiegel(window, kind, ids[0])
    tab = _tab(qtbot, window, kind)
    assert tab.bron is not None and not tab.table.isColumnHidden(tab.bron)
    assert tab.model.headerData(tab.bron, Qt.Orientation.Horizontal) == "Bron"
    assert _bron(tab, ids[0]) == "Instituut"
    row = tab.model.row_of_id(ids[0])
    assert row is not None
    assert tab.model.data(tab.model.index(row, tab.bron), Qt.ItemDataRole.ToolTipRole) == BRON_UITLEG
    assert _bron(tab, ids[1]) == ""


def test_bron_is_hidden_without_the_institute_and_follows_a_synchronisation(qtbot: Any, window: MainWindow) -> None:
    tab = _tab(qtbot, window, "aios")
    assert tab.bron is not None and tab.table.isColumnHidden(tab.bron), "a laptop not connected sees no Bron"
    aios_id = tab.model.row_at(0).id
    # What the mirror does, and the change it announces: the screen reads just that row again.
    _spiegel(window, "aios", aios_id)
    window.session.announce(Changes.of(c.AIOS, aios_id))
    assert _bron(tab, aios_id) == "Instituut" and not tab.table.isColumnHidden(tab.bron)
    _spiegel(window, "aios", aios_id, None)  # let go of: the laptop's own again
    window.session.announce(Changes.of(c.AIOS, aios_id))
    assert _bron(tab, aios_id) == "" and tab.table.isColumnHidden(tab.bron)


def test_the_form_of_a_mirrored_aios_keeps_the_institutes_fields_and_saves_the_email(
        qtbot: Any, window: MainWindow) -> None:
    gespiegeld, _eigen = _twee_aios(window)
    voor = window.session.store.personen.get_aios(gespiegeld)
    tab = _tab(qtbot, window, "aios")
    dialog = _edit(qtbot, tab, gespiegeld, AiosDialog)
    assert dialog.instituut_uitleg.isVisible()
    assert "komt van het instituut" in dialog.instituut_uitleg.text()
    assert "Instituut › Personen van het instituut" in dialog.instituut_uitleg.text()
    for veld in (dialog.voornaam, dialog.tussenvoegsel, dialog.achternaam, dialog.jaar, dialog.start,
                 dialog.deeltijd, dialog.groep):
        assert not veld.isEnabled(), veld.accessibleName()
    assert dialog.email.isEnabled()
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "lokaal@praktijk.nl")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    na = window.session.store.personen.get_aios(gespiegeld)
    assert na.email == "lokaal@praktijk.nl"
    assert (na.naam, na.opleidingsjaar, na.startdatum_opleiding, na.deeltijdpercentage, na.groep_id) == (
        voor.naam, voor.opleidingsjaar, voor.startdatum_opleiding, voor.deeltijdpercentage, voor.groep_id)
    assert _bron(tab, gespiegeld) == "Instituut"


def test_the_form_of_an_own_aios_is_as_it_was(qtbot: Any, window: MainWindow) -> None:
    _gespiegeld, eigen = _twee_aios(window)
    tab = _tab(qtbot, window, "aios")
    dialog = _edit(qtbot, tab, eigen, AiosDialog)
    assert not dialog.instituut_uitleg.isVisible()
    assert all(w.isEnabled() for w in (dialog.voornaam, dialog.achternaam, dialog.jaar, dialog.groep, dialog.email))
    dialog.achternaam.clear()
    qtbot.keyClicks(dialog.achternaam, "Hernoemd")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.session.store.personen.get_aios(eigen).naam.achternaam == "Hernoemd"


def test_a_mirrored_praktijk_has_nothing_to_change_here(qtbot: Any, window: MainWindow) -> None:
    praktijk = window.session.store.personen.praktijken()[0]
    assert praktijk.id is not None
    _spiegel(window, "praktijk", praktijk.id)
    tab = _tab(qtbot, window, "praktijk")
    dialog = _edit(qtbot, tab, praktijk.id, PraktijkDialog)
    assert not dialog.naam_edit.isEnabled() and not dialog.plaats.isEnabled()
    assert "Hier is niets te wijzigen" in dialog.instituut_uitleg.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    sluiten = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert sluiten.text() == "Sluiten"
    qtbot.mouseClick(sluiten, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_archiving_a_mirrored_aios_is_refused_in_dutch(qtbot: Any, window: MainWindow, messages: Messages) -> None:
    gespiegeld, _eigen = _twee_aios(window)
    tab = _tab(qtbot, window, "aios")
    tab.select_id(gespiegeld)
    qtbot.mouseClick(tab.archiveer, Qt.MouseButton.LeftButton)
    assert len(messages.shown) == 1, messages.shown
    title, text = messages.shown[0]
    assert title == "Niet gelukt"
    assert "komt van het instituut" in text and "archiveren" in text
    assert not window.session.store.personen.get_aios(gespiegeld).gearchiveerd
    assert tab.model.row_of_id(gespiegeld) is not None
    assert not window.personen.undo_stack.canUndo(), "nothing happened, so nothing to undo"
