"""Verslagen in the traject screen and in Taken, through the real widgets and the real wizard: the Verslagen tab,
Afronden, a new version with its reden, the dates verstuurd and gearchiveerd (undoable), reading a verslag, and
Stap vastleggen (or Enter on a task) on a gesprek or on sending its verslag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.core.verslagen import klopt
from ontkoppel_desktop.settings import Settings
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.main_window import MainWindow
from ontkoppel_desktop.ui.reden_dialog import RedenDialog
from ontkoppel_desktop.ui.trajecten.event_form import EventDialog
from ontkoppel_desktop.ui.verslagen import wizard
from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen
from ontkoppel_desktop.ui.verslagen.panel import VerslagenPanel
from ontkoppel_desktop.ui.verslagen.status import VerslagStatusDialog
from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages, open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, schrijf_driehoek

TODAY = dt.date.today()
SIGNAAL = TODAY - dt.timedelta(days=90)
GESPREK = TODAY - dt.timedelta(days=80)
BESLUIT = TODAY - dt.timedelta(days=70)
EVALUATIE = TODAY - dt.timedelta(days=50)


class Made:
    """The traject on the store the window opens, and the ids of what the test made there."""

    def __init__(self, path: Path, traject_id: int) -> None:
        self.path = path
        self.traject_id = traject_id
        self.verslagen: dict[str, int] = {}


def _traject(store: Store) -> int:
    return maak_traject(store, start=SIGNAAL, today=TODAY)


def _driehoek(store: Store, traject_id: int, *, afronden: bool = False, **extra: object) -> int:
    return schrijf_driehoek(store, traject_id, GESPREK, afronden=afronden, **extra)


def _make(tmp_path: Path, fill: Any) -> Made:
    store = Store.create(tmp_path / "verslagen.okdb", WACHTWOORD, FAST_KDF).store
    made = Made(store.path, _traject(store))
    fill(store, made)
    store.close()
    settings = Settings.load()
    settings.remember_store(made.path)
    settings.save()
    return made


def _window(qtbot: Any, made: Made) -> MainWindow:
    window = open_main_window(qtbot, made.path, gebruikersnaam=AUTEUR)
    qtbot.waitUntil(lambda: window.trajecten.isVisible())
    window.trajecten.select(made.traject_id)
    assert window.trajecten.detail.traject is not None
    return window


@pytest.fixture
def close_windows() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for open_wizard in list(wizard._OPEN.values()):
        open_wizard.close()
    for w in windows:
        w.session.lock()
        w.close()


def _wizard(qtbot: Any) -> GesprekWizard:
    found = _top(GesprekWizard)
    qtbot.waitExposed(found)
    return found


def _panel(qtbot: Any, window: MainWindow) -> VerslagenPanel:
    detail = window.trajecten.detail
    # As a user does: Alt+E is the tab's mnemonic ("V&erslagen").
    qtbot.keyClick(detail.tijdlijn, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: detail.tabs.currentWidget() is detail.verslagen)
    return detail.verslagen


def _cells(panel: VerslagenPanel) -> list[list[str]]:
    m = panel.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def _top(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _step_state(window: MainWindow, step_id: str) -> str:
    model = window.trajecten.detail.tijdlijn.model_
    return next(model.data(model.index(i, 2)) for i in range(model.rowCount())
                if model.row_at(i).step.id == step_id)


def _select_step(window: MainWindow, step_id: str) -> None:
    table = window.trajecten.detail.tijdlijn
    model = table.model_
    window.trajecten.detail.tabs.setCurrentIndex(0)
    table.setFocus()
    table.selectRow(next(i for i in range(model.rowCount()) if model.row_at(i).step.id == step_id))


# ---- the tab ---------------------------------------------------------------------------------------------


def test_the_tab_lists_every_version_the_newest_first(qtbot: Any, tmp_path: Path,
                                                      close_windows: list[MainWindow]) -> None:
    def fill(store: Store, made: Made) -> None:
        v1 = _driehoek(store, made.traject_id, afronden=True)
        created = store.verslagen.nieuwe_versie(v1, "Naam van de opleider verkeerd gespeld", auteur=AUTEUR).created
        assert isinstance(created, int)
        made.verslagen = {"v1": v1, "v2": created}

    made = _make(tmp_path, fill)
    close_windows.append(window := _window(qtbot, made))
    panel = _panel(qtbot, window)
    rows = _cells(panel)
    assert [r[0] for r in rows] == ["Driehoeksgesprek", "Driehoeksgesprek"]
    assert [(r[2], r[3]) for r in rows] == [("2", "Concept (gesprek vastgelegd)"), ("1", "Vervangen")]
    assert rows[0][1] == GESPREK.strftime("%d-%m-%Y") and rows[0][7] == AUTEUR
    # The newest is selected: the author's own concept, to go on writing.
    assert panel.current() is not None and panel.current().id == made.verslagen["v2"]
    assert panel.openen.text() == "Verder sc&hrijven" and panel.afronden.isEnabled()
    assert not panel.nieuwe_versie.isEnabled() and not panel.status.isEnabled()
    window.activateWindow()
    panel.table.setFocus()  # Enter opens the verslag chosen in the list (while the list has the focus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    own = _wizard(qtbot)
    assert own.verslag_id == made.verslagen["v2"]
    own.close()
    # The earlier version stays readable; nothing can be done to it but reading.
    window.activateWindow()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.current().id == made.verslagen["v1"]
    assert panel.openen.text() == "O&penen"
    assert not any(b.isEnabled() for b in (panel.afronden, panel.nieuwe_versie, panel.status))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    view = _top(VerslagLezen)
    assert view.verslag.versie == 1 and "Vervangen door" in view.tekst.toPlainText()
    view.close()


def test_nieuw_verslag_offers_the_gesprekken_of_the_procedure_version(qtbot: Any, tmp_path: Path,
                                                                       close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: None)
    close_windows.append(window := _window(qtbot, made))
    panel = _panel(qtbot, window)
    assert panel.model.rowCount() == 0 and "Nog geen verslagen" in panel.leeg.text()
    panel.nieuw_menu.aboutToShow.emit()
    actions = {a.text(): a for a in panel.nieuw_menu.actions()}
    assert list(actions) == [
        "Telefonisch contact na ziekmelding (zonder verslag)…", "Driehoeksgesprek…",
        "Check-up met de opleider (zonder verslag)…", "Overdracht aan de nieuwe opleider (zonder verslag)…",
        "Kennismakingsgesprek (zonder verslag)…", "Evaluatiegesprek aios…", "Evaluatiegesprek opleider…",
        "Contact manager opleiders met de opleider…", "Evaluatiegesprek met de nieuwe opleider…"]
    actions["Evaluatiegesprek aios…"].trigger()
    concept = window.session.store.verslagen.get(_wizard(qtbot).verslag_id)
    assert concept.gesprek == "evaluatie_aios"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)


def test_afronden_through_the_button_seals_the_verslag(qtbot: Any, tmp_path: Path, messages: Messages,
                                                      close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: made.verslagen.update(concept=_driehoek(store, made.traject_id)))
    close_windows.append(window := _window(qtbot, made))
    panel = _panel(qtbot, window)
    vid = made.verslagen["concept"]
    from ontkoppel_desktop.ui import vraag

    knoppen: list[list[str]] = []

    def escape(box: QMessageBox) -> Any:  # the buttons say what they do; the safe one is the default
        knoppen.append([b.text().replace("&", "") for b in box.buttons()])
        assert box.defaultButton() is box.escapeButton()
        messages.shown.append((box.windowTitle(), box.text()))
        return box.escapeButton()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vraag, "_toon", escape)
        qtbot.mouseClick(panel.afronden, Qt.MouseButton.LeftButton)
    assert sorted(knoppen[0]) == ["Annuleren", "Verslag afronden"]
    assert not window.session.store.verslagen.get(vid).definitief, "cancelled: nothing happened"
    title, text = messages.shown[-1]
    assert title == "Verslag afronden"
    assert all(w in text for w in ("definitief", "verzegeld", "niemand het meer bewerken", "nieuwe versie"))
    assert "nog niet vastgelegd" in text, "the gesprek is recorded on the way, and the user is told"
    messages.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(panel.afronden, Qt.MouseButton.LeftButton)
    store = window.session.store
    verslag = store.verslagen.get(vid)
    assert verslag.definitief and klopt(store.verslagen.formulier(verslag), verslag)
    qtbot.waitUntil(lambda: _cells(panel)[0][3] == "Definitief")
    assert panel.status.isEnabled() and panel.nieuwe_versie.isEnabled() and not panel.afronden.isEnabled()
    assert _step_state(window, "driehoeksgesprek") == "Gedaan", "the gesprek is in the traject"


def test_a_new_version_asks_its_reden(qtbot: Any, tmp_path: Path, close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: made.verslagen.update(
        v1=_driehoek(store, made.traject_id, afronden=True)))
    close_windows.append(window := _window(qtbot, made))
    panel = _panel(qtbot, window)
    qtbot.mouseClick(panel.nieuwe_versie, Qt.MouseButton.LeftButton)
    dialog = _top(RedenDialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.keyClicks(dialog.reden, "   ")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.fout.text().startswith("Vul de reden voor een nieuwe versie in")
    assert len(window.session.store.verslagen.van_traject(made.traject_id)) == 1
    qtbot.keyClicks(dialog.reden, "Naam van de opleider verkeerd gespeld")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    v2 = max(window.session.store.verslagen.van_traject(made.traject_id), key=lambda v: v.versie)
    assert (v2.versie, v2.vorige_id, v2.reden) == (2, made.verslagen["v1"], "Naam van de opleider verkeerd gespeld")
    assert _wizard(qtbot).verslag_id == v2.id, "the new concept opens in the wizard, to be corrected"
    assert panel.current() is not None and panel.current().id == v2.id


def test_verstuurd_and_gearchiveerd_complete_the_steps_and_undo(qtbot: Any, tmp_path: Path, messages: Messages,
                                                                close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: made.verslagen.update(
        v1=_driehoek(store, made.traject_id, afronden=True)))
    close_windows.append(window := _window(qtbot, made))
    panel = _panel(qtbot, window)
    qtbot.mouseClick(panel.status, Qt.MouseButton.LeftButton)
    dialog = _top(VerslagStatusDialog)
    assert "jaarassistent" in dialog.rijen["verstuurd"].check.text()
    assert len(dialog.rijen) == 3, "verstuurd, e-portfolio and dossier opleider"
    assert not any(r.check.isChecked() for r in dialog.rijen.values())
    qtbot.mouseClick(dialog.rijen["verstuurd"].check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert _step_state(window, "verslag_driehoeksgesprek") == "Gedaan"

    panel.table.setFocus()
    qtbot.mouseClick(panel.status, Qt.MouseButton.LeftButton)
    dialog = _top(VerslagStatusDialog)
    assert dialog.rijen["verstuurd"].check.isChecked()
    for plek in list(dialog.rijen)[1:]:
        qtbot.mouseClick(dialog.rijen[plek].check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert _step_state(window, "archiveren_verslag_driehoeksgesprek") == "Gedaan"
    row = _cells(panel)[0]
    assert row[3] == "Gearchiveerd" and row[4:7] == [TODAY.strftime("%d-%m-%Y")] * 3

    # Ctrl+Z takes back the last save (both archive dates), not the one before.
    qtbot.waitUntil(lambda: window.undo_action.isEnabled())
    window.activateWindow()  # offscreen, the window closing a dialog does not always get the keyboard back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert messages.shown == []
    verslag = window.session.store.verslagen.get(made.verslagen["v1"])
    assert verslag.gearchiveerd_op == {} and verslag.verstuurd_op == TODAY
    qtbot.waitUntil(lambda: _step_state(window, "archiveren_verslag_driehoeksgesprek") != "Gedaan")
    assert _step_state(window, "verslag_driehoeksgesprek") == "Gedaan"
    assert _cells(panel)[0][3] == "Verstuurd"
    qtbot.keyClick(panel.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _step_state(window, "archiveren_verslag_driehoeksgesprek") == "Gedaan"


def test_a_date_before_the_gesprek_is_refused_in_the_dialog(qtbot: Any, tmp_path: Path,
                                                           close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: made.verslagen.update(
        v1=_driehoek(store, made.traject_id, afronden=True)))
    close_windows.append(window := _window(qtbot, made))
    panel = _panel(qtbot, window)
    qtbot.mouseClick(panel.status, Qt.MouseButton.LeftButton)
    dialog = _top(VerslagStatusDialog)
    rij = dialog.rijen["verstuurd"]
    rij.check.setChecked(True)
    rij.edit.setDate(rij.edit.date().addDays(-100))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "vóór het gesprek" in dialog.fout.text()
    assert window.session.store.verslagen.get(made.verslagen["v1"]).verstuurd_op is None


# ---- reading ---------------------------------------------------------------------------------------------


def test_the_read_only_view_shows_each_verslag_on_its_own_and_escapes(qtbot: Any, tmp_path: Path,
                                                                      close_windows: list[MainWindow]) -> None:
    def fill(store: Store, made: Made) -> None:
        svc = store.trajecten
        svc.record(made.traject_id, EventKind.DRIEHOEKSGESPREK, GESPREK, user=AUTEUR)
        svc.record(made.traject_id, EventKind.UITKOMST, GESPREK, {"uitkomst": "advies_ontkoppeling"}, user=AUTEUR)
        svc.record(made.traject_id, EventKind.BESLUIT_ONTKOPPELING, BESLUIT,
                   {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user=AUTEUR)
        vid = store.verslagen.nieuw(made.traject_id, "evaluatie_opleider", auteur=AUTEUR, today=EVALUATIE).created
        assert isinstance(vid, int)
        antwoorden = dict(store.verslagen.get(vid).antwoorden, reflectieverslag_ontvangen=True,
                          eigen_rol="Weinig tijd genomen.\n  Ingesprongen regel.",
                          leerpunten_opleider="Eerder aan de bel trekken.",
                          aandachtspunten_aios="<b>Hulp vragen</b> & op tijd melden.")
        store.verslagen.bewaar(vid, antwoorden, 2, auteur=AUTEUR)
        store.verslagen.afronden(vid, user=AUTEUR)
        made.verslagen["eval"] = vid

    made = _make(tmp_path, fill)
    close_windows.append(window := _window(qtbot, made))
    view = VerslagLezen(window.session, made.verslagen["eval"], window)
    qtbot.addWidget(view)
    view.show()
    text = view.tekst.toPlainText()
    over_aios = text.index("Verslag over de aios")
    over_opleider = text.index("Verslag over de opleider")
    aios_part, opleider_part = text[over_aios:over_opleider], text[over_opleider:]
    assert "<b>Hulp vragen</b> & op tijd melden." in aios_part, "typed markup shows as typed"
    assert "Eerder aan de bel trekken" not in aios_part and "Weinig tijd" not in aios_part
    assert "Hulp vragen" not in opleider_part
    assert "Weinig tijd genomen.\n  Ingesprongen regel." in opleider_part, "line breaks and spaces as typed"
    assert "Eva Smit" in text and "Noor Visser" in text and AUTEUR in text
    verslag = window.session.store.verslagen.get(made.verslagen["eval"])
    for deel, part in (("over_aios", aios_part), ("over_opleider", opleider_part)):
        digest = verslag.zegels[deel]
        assert f"{digest[:4]} {digest[4:8]}" in part and "Het zegel klopt" in part
    assert "e-portfolio aios" in aios_part and "dossier opleider" in opleider_part
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_a_new_version_links_to_the_earlier_one(qtbot: Any, tmp_path: Path,
                                                close_windows: list[MainWindow]) -> None:
    def fill(store: Store, made: Made) -> None:
        v1 = _driehoek(store, made.traject_id, afronden=True)
        v2 = store.verslagen.nieuwe_versie(v1, "Afspraak <toegevoegd>", auteur=AUTEUR).created
        assert isinstance(v2, int)
        made.verslagen = {"v1": v1, "v2": v2}

    made = _make(tmp_path, fill)
    close_windows.append(window := _window(qtbot, made))
    view = VerslagLezen(window.session, made.verslagen["v2"], window)
    qtbot.addWidget(view)
    text = view.tekst.toPlainText()
    assert "Afspraak <toegevoegd>" in text and "Concept" in text and "Zegel" not in text
    assert view.vorige is not None
    earlier = view.open_vorige()
    assert earlier is not None and earlier.verslag.versie == 1
    assert "Vervangen door" in earlier.tekst.toPlainText()
    earlier.close()


# ---- from the Tijdlijn, the Geschiedenis and Taken ---------------------------------------------------------


def test_stap_vastleggen_on_a_driehoeksgesprek_starts_the_wizard(qtbot: Any, tmp_path: Path,
                                                                 close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: None)
    close_windows.append(window := _window(qtbot, made))
    _select_step(window, "driehoeksgesprek")
    qtbot.mouseClick(window.trajecten.detail.vastleggen, Qt.MouseButton.LeftButton)
    found = _wizard(qtbot)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, EventDialog) and w.isVisible()]
    # A concept of this traject's driehoeksgesprek, with its people and today's date filled in.
    concept = window.session.store.verslagen.get(found.verslag_id)
    assert (concept.traject_id, concept.gesprek, concept.auteur) == (made.traject_id, "driehoeksgesprek", AUTEUR)
    aanwezigen = str(found.widgets["aanwezigen"].value())
    assert "Noor Visser (aios)" in aanwezigen and "Eva Smit (opleider)" in aanwezigen
    assert concept.antwoorden["datum"] == TODAY.isoformat()
    panel = _panel(qtbot, window)
    assert [r[3] for r in _cells(panel)] == ["Concept"], "the tab shows the new concept at once"


def test_stap_vastleggen_goes_on_with_the_users_own_concept(qtbot: Any, tmp_path: Path,
                                                            close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: made.verslagen.update(concept=_driehoek(store, made.traject_id)))
    close_windows.append(window := _window(qtbot, made))
    _select_step(window, "driehoeksgesprek")
    qtbot.keyClick(window.trajecten.detail.tijdlijn, Qt.Key.Key_Return)
    assert _wizard(qtbot).verslag_id == made.verslagen["concept"]
    assert len(window.session.store.verslagen.van_traject(made.traject_id)) == 1, "no second concept"


def test_sending_a_verslag_first_needs_it_afgerond(qtbot: Any, tmp_path: Path,
                                                   close_windows: list[MainWindow]) -> None:
    def fill(store: Store, made: Made) -> None:
        vid = _driehoek(store, made.traject_id)
        store.verslagen.voltooien(vid, user=AUTEUR)
        made.verslagen["concept"] = vid

    made = _make(tmp_path, fill)
    close_windows.append(window := _window(qtbot, made))
    _select_step(window, "verslag_driehoeksgesprek")
    qtbot.mouseClick(window.trajecten.detail.vastleggen, Qt.MouseButton.LeftButton)
    box = _top(QMessageBox)
    assert "nog een concept" in box.text() and "rond het eerst af" in box.text()
    openen = next(b for b in box.buttons() if b.text() == "Verslag &openen")
    qtbot.mouseClick(openen, Qt.MouseButton.LeftButton)
    assert _wizard(qtbot).verslag_id == made.verslagen["concept"]


def test_a_gesprek_recorded_without_verslag_gets_one_from_the_history(qtbot: Any, tmp_path: Path,
                                                                      close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: store.trajecten.record(
        made.traject_id, EventKind.DRIEHOEKSGESPREK, GESPREK, user=AUTEUR))
    close_windows.append(window := _window(qtbot, made))
    detail = window.trajecten.detail
    event = next(e for e in detail.traject.events if e.kind is EventKind.DRIEHOEKSGESPREK)
    detail.tabs.setCurrentIndex(2)
    signaal_row = next(i for i in range(detail.geschiedenis.count())
                       if detail.geschiedenis.item(i).data(Qt.ItemDataRole.UserRole) != event.id)
    detail.geschiedenis.setCurrentRow(signaal_row)
    assert not detail.verslag_schrijven.isEnabled(), "a signaal has no verslag"
    row = next(i for i in range(detail.geschiedenis.count())
               if detail.geschiedenis.item(i).data(Qt.ItemDataRole.UserRole) == event.id)
    detail.geschiedenis.setCurrentRow(row)
    assert detail.verslag_schrijven.isEnabled()
    qtbot.mouseClick(detail.verslag_schrijven, Qt.MouseButton.LeftButton)
    found = _wizard(qtbot)
    concept = window.session.store.verslagen.get(found.verslag_id)
    assert concept.gebeurtenis_id == event.id and concept.antwoorden["datum"] == GESPREK.isoformat()
    found.close()
    assert not detail.verslag_schrijven.isEnabled(), "it has its verslag now"
    # The send step of that gesprek says its verslag is still a concept.
    _select_step(window, "verslag_driehoeksgesprek")
    qtbot.mouseClick(detail.vastleggen, Qt.MouseButton.LeftButton)
    box = _top(QMessageBox)
    assert "nog een concept" in box.text()
    box.reject()


def test_a_send_step_without_verslag_keeps_the_old_form(qtbot: Any, tmp_path: Path,
                                                        close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: store.trajecten.record(
        made.traject_id, EventKind.DRIEHOEKSGESPREK, GESPREK, user=AUTEUR))
    close_windows.append(window := _window(qtbot, made))
    detail = window.trajecten.detail
    _select_step(window, "verslag_driehoeksgesprek")
    qtbot.mouseClick(detail.vastleggen, Qt.MouseButton.LeftButton)
    box = _top(QMessageBox)
    assert "nog geen verslag" in box.text()
    zonder = next(b for b in box.buttons() if "Zonder verslag" in b.text())
    qtbot.mouseClick(zonder, Qt.MouseButton.LeftButton)
    form = _top(EventDialog)
    assert form.kind is EventKind.VERSLAG_NAAR_JAARASSISTENT
    form.done(0)


def test_taken_enter_on_a_send_task_opens_the_traject_and_its_dates(qtbot: Any, tmp_path: Path,
                                                                    close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: made.verslagen.update(
        v1=_driehoek(store, made.traject_id, afronden=True)))
    close_windows.append(window := _window(qtbot, made))
    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    row = next(i for i in range(taken.model.rowCount())
               if taken.model.row_at(i).task.step_id == "verslag_driehoeksgesprek")
    taken.table.setFocus()
    taken.table.selectRow(row)
    qtbot.keyClick(taken.table, Qt.Key.Key_Return)
    assert window.current_section() is window.trajecten
    detail = window.trajecten.detail
    assert detail.tijdlijn.current_status() is not None
    assert detail.tijdlijn.current_status().step.id == "verslag_driehoeksgesprek"
    dialog = _top(VerslagStatusDialog)
    assert dialog.verslag_id == made.verslagen["v1"]
    dialog.done(0)
    assert "Enter" in next(lbl.text() for lbl in taken.findChildren(type(taken.samenvatting))
                           if "Dubbelklik" in lbl.text())


def test_taken_enter_on_a_gesprek_task_starts_its_wizard(qtbot: Any, tmp_path: Path,
                                                         close_windows: list[MainWindow]) -> None:
    made = _make(tmp_path, lambda store, made: None)
    close_windows.append(window := _window(qtbot, made))
    window.show_section(window.taken)
    taken = window.taken
    qtbot.waitUntil(lambda: taken.model.rowCount() > 0)
    row = next(i for i in range(taken.model.rowCount())
               if taken.model.row_at(i).task.step_id == "driehoeksgesprek")
    taken.table.setFocus()
    taken.table.selectRow(row)
    qtbot.keyClick(taken.table, Qt.Key.Key_Return)
    assert window.current_section() is window.trajecten
    found = _wizard(qtbot)
    concept = window.session.store.verslagen.get(found.verslag_id)
    assert (concept.traject_id, concept.gesprek) == (made.traject_id, "driehoeksgesprek")
    assert "Noor Visser (aios)" in str(found.widgets["aanwezigen"].value())
