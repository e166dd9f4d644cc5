"""What a new user stumbled on in Trajecten (issue 14): the name left empty, the category chosen for them, an empty
koppeling list without a word on where koppelingen come from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from ontkoppel_desktop.core.procedure import Categorie
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.naam import NaamDialog
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.trajecten.new_traject import NewTrajectDialog
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import open_main_window


@pytest.fixture
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    w = open_main_window(qtbot, store_path)
    yield w
    w.session.lock()
    w.close()


def _top(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _when_shown(act: Callable[[NaamDialog], None]) -> None:
    """Act on the name dialog once it is open (it runs its own event loop, like every modal question)."""

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, NaamDialog) and w.isVisible()]
        if dialogs:
            act(dialogs[0])
        else:
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)


def _ok(dialog: NaamDialog) -> Any:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_an_empty_name_is_refused_with_the_reason_and_the_step_goes_on(qtbot: Any, window: MainWindow) -> None:
    window.session.settings.gebruikersnaam = ""
    detail = window.trajecten.detail
    qtbot.waitUntil(lambda: detail.traject is not None)
    tijdlijn = detail.tijdlijn
    open_row = next(i for i in range(tijdlijn.model_.rowCount())
                    if not tijdlijn.model_.row_at(i).state.is_finished
                    and tijdlijn.model_.row_at(i).step.id not in detail.formulieren()
                    and not tijdlijn.model_.row_at(i).step.id.startswith(("verslag", "archiveren")))
    tijdlijn.selectRow(open_row)
    seen: list[tuple[bool, str, str]] = []

    def answer(dialog: NaamDialog) -> None:
        assert _ok(dialog).text().replace("&", "") == "Naam gebruiken", "the button says what it does"
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)  # nothing typed
        seen.append((dialog.isVisible(), dialog.labelText(), dialog.focusWidget().__class__.__name__))
        qtbot.keyClicks(dialog.findChild(QLineEdit), "  T. Docent ")
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)

    _when_shown(answer)
    qtbot.mouseClick(detail.vastleggen, Qt.MouseButton.LeftButton)
    assert seen, "the name was asked"
    still_open, text, focus = seen[0]
    assert still_open, "an empty name does not close the dialog"
    assert "Vul je naam in" in text and "de stap niet vastgelegd" in text and "geschiedenis" in text
    assert focus == "QLineEdit"
    form = _top(EventDialog)  # and the step goes on, under the name typed
    assert form.windowTitle() == tijdlijn.model_.row_at(open_row).step.title
    assert Settings.load().gebruikersnaam == "T. Docent"
    form.done(0)


def test_the_category_is_chosen_not_preset(qtbot: Any, window: MainWindow) -> None:
    window.session.settings.gebruikersnaam = "T. Docent"
    view = window.trajecten
    qtbot.mouseClick(view.nieuw, Qt.MouseButton.LeftButton)
    nieuw = _top(NewTrajectDialog)
    assert nieuw.categorie.currentData() is None and "kies" in nieuw.categorie.currentText()
    busy = {t.koppeling_id for t in window.session.store.trajecten.all() if not t.closed}
    free = next(nieuw.koppeling.itemData(i) for i in range(1, nieuw.koppeling.count())
                if nieuw.koppeling.itemData(i) not in busy)
    nieuw.koppeling.setCurrentIndex(nieuw.koppeling.findData(free))
    before = len(window.session.store.trajecten.all())
    qtbot.mouseClick(nieuw.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert nieuw.isVisible()
    assert "categorie" in nieuw.fout.text().lower()
    assert len(window.session.store.trajecten.all()) == before
    nieuw.categorie.setFocus()
    qtbot.keyClick(nieuw.categorie, Qt.Key.Key_Down)  # the first category, by keyboard
    chosen = nieuw.categorie.currentData()
    assert isinstance(chosen, Categorie)
    qtbot.mouseClick(nieuw.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.session.store.trajecten.all()) == before + 1)
    assert max(window.session.store.trajecten.all(), key=lambda t: t.id or 0).categorie is chosen


def test_without_a_koppeling_the_way_to_one_is_shown(qtbot: Any, tmp_path: Path, messages: Any) -> None:
    path = tmp_path / "leeg.okdb"
    Store.create(path, WACHTWOORD, FAST_KDF).store.close()
    window = open_main_window(qtbot, path, gebruikersnaam="T. Docent")
    try:
        messages.keuze = 0
        qtbot.mouseClick(window.trajecten.nieuw, Qt.MouseButton.LeftButton)
        title, text = messages.shown[-1]
        assert title == "Nieuw traject" and "Personen → Koppelingen" in text
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, NewTrajectDialog) and w.isVisible()]
        assert window.current_section() is window.personen
        assert window.personen.current_tab().kind.key == "koppeling"
    finally:
        window.session.lock()
        window.close()
