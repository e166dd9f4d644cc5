"""The wizards of the other gesprekken (issue 10), filled in through their real widgets: check boxes for whom a
call was with, an opleider chosen by name, ja/nee, a page repeated per competentiegebied, and the earlier
leerpunten shown on the evaluatie with the new opleider."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWizard

from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.store.store import Store
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import open_main_window
from tests.gui.test_verslag_wizard import _choose, _next, _set_date, _start, _type
from tests.verslagen.conftest import AUTEUR, TODAY, maak_traject, ontkoppel

FINISH = QWizard.WizardButton.FinishButton


def _window(qtbot: Any, tmp_path: Path, prepare: Any = None) -> tuple[Any, int]:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    if prepare is not None:
        prepare(store, traject_id)
    store.close()
    return open_main_window(qtbot, store.path, gebruikersnaam=AUTEUR), traject_id


def _finish(qtbot: Any, wizard: Any) -> None:
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())


def _events(window: Any, traject_id: int) -> list[Any]:
    return list(window.session.store.trajecten.get(traject_id).events)


def _nieuw(store: Store) -> int:
    return next(o.id for o in store.personen.opleiders() if o.naam.achternaam == "Nieuw" and o.id)  # type: ignore[misc]


def test_a_call_after_a_ziekmelding(qtbot: Any, tmp_path: Path) -> None:
    window, traject_id = _window(qtbot, tmp_path, lambda s, t: s.trajecten.record(
        t, EventKind.ZIEKMELDING, dt.date(2026, 9, 2), user=AUTEUR, today=TODAY))
    wizard = _start(qtbot, window, traject_id, "contact_na_ziekmelding")
    assert "medische informatie" in wizard.pages[0].subTitle()
    assert wizard.button(QWizard.WizardButton.CustomButton1).isHidden(), "no verslag to afronden"
    _set_date(wizard, dt.date(2026, 9, 4))
    assert not wizard.button(FINISH).isEnabled(), "with whom is required"
    boxes = wizard.widgets["met"].boxes  # type: ignore[attr-defined]
    for _waarde, box in boxes:
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    _type(qtbot, wizard, "notitie", "Beiden gebeld; driehoeksgesprek op dinsdag.")
    _finish(qtbot, wizard)
    event = _events(window, traject_id)[-1]
    assert event.kind is EventKind.TELEFONISCH_CONTACT and event.data["met"] == ["aios", "opleider"]
    assert event.data["notitie"] == "Beiden gebeld; driehoeksgesprek op dinsdag."


def test_the_check_up(qtbot: Any, tmp_path: Path) -> None:
    window, traject_id = _window(qtbot, tmp_path, lambda s, t: s.trajecten.record(
        t, EventKind.DRIEHOEKSGESPREK, dt.date(2026, 9, 8), user=AUTEUR, today=TODAY))
    wizard = _start(qtbot, window, traject_id, "check_up")
    _set_date(wizard, dt.date(2026, 9, 15))
    _type(qtbot, wizard, "notitie", "De opleider ziet het weer zitten.")
    _choose(qtbot, wizard, "vervolg_nodig", 1)
    _finish(qtbot, wizard)
    assert _events(window, traject_id)[-1].kind is EventKind.CHECK_UP


def test_the_overdracht_and_the_kennismaking(qtbot: Any, tmp_path: Path) -> None:
    window, traject_id = _window(qtbot, tmp_path, lambda s, t: ontkoppel(s, t))
    nieuw = _nieuw(window.session.store)
    wizard = _start(qtbot, window, traject_id, "match_nieuwe_opleider")
    _set_date(wizard, dt.date(2026, 9, 17))
    combo = wizard.widgets["nieuwe_opleider"].combo  # type: ignore[attr-defined]
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert not any("Eva Smit" in label for label in labels), "not the opleider the aios leaves"
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(nieuw))
    _type(qtbot, wizard, "situatie", "De aios zoekt na een ontkoppeling een nieuwe opleidingsplek.")
    _next(qtbot, wizard)
    assert wizard.pages[1].widgets["medisch_handelen_laat_zien"].isVisibleTo(wizard)
    _type(qtbot, wizard, "communicatie_laat_zien", "Stemt goed af op de patient.")
    _type(qtbot, wizard, "organisatie_werkt_aan", "Plant de visites strakker.")
    _next(qtbot, wizard)
    _finish(qtbot, wizard)
    event = _events(window, traject_id)[-1]
    assert event.kind is EventKind.KANDIDAAT_OPLEIDER and event.data["opleider_id"] == nieuw
    stored = window.session.store.verslagen.get(wizard.verslag_id).antwoorden
    assert stored["organisatie_werkt_aan"] == "Plant de visites strakker."
    # Read, it names the opleider (never an id) and says there is no verslag to it.
    from ontkoppel_desktop.ui.verslagen.lezen import VerslagLezen

    view = VerslagLezen(window.session, wizard.verslag_id, window)
    qtbot.addWidget(view)
    text = view.tekst.toPlainText()
    assert "Bram Nieuw" in text and "Plant de visites strakker." in text and "geen verslag" in text
    assert "Vastgelegd" in text

    kennis = _start(qtbot, window, traject_id, "kennismakingsgesprek")
    assert kennis.widgets["nieuwe_opleider"].value() == nieuw, "the candidate is filled in"
    _set_date(kennis, dt.date(2026, 9, 20))
    _choose(qtbot, kennis, "aios_ja", 0)
    _choose(qtbot, kennis, "opleider_ja", 0)
    _finish(qtbot, kennis)
    event = _events(window, traject_id)[-1]
    assert event.kind is EventKind.KENNISMAKINGSGESPREK and event.data["aios_ja"] and event.data["opleider_ja"]


def test_the_manager_opleiders_contact_ends_the_blokkade(qtbot: Any, tmp_path: Path) -> None:
    window, traject_id = _window(qtbot, tmp_path, lambda s, t: ontkoppel(s, t))
    store = window.session.store
    opleider_id = store.trajecten.get(traject_id).opleider_id
    assert store.trajecten.blokkade(opleider_id) is not None
    wizard = _start(qtbot, window, traject_id, "contact_manager_opleiders")
    assert wizard.widgets["met"].value() == "Eva Smit (opleider)"
    _set_date(wizard, dt.date(2026, 10, 14))
    _next(qtbot, wizard)
    _type(qtbot, wizard, "beleving", "Het was zwaar; de opleider begrijpt de beslissing.")
    _choose(qtbot, wizard, "klaar_voor_aios", 0)
    _finish(qtbot, wizard)
    assert store.trajecten.blokkade(opleider_id) is None


def _tot_de_nieuwe_start(store: Store, traject_id: int) -> None:
    ontkoppel(store, traject_id)
    nieuw = _nieuw(store)
    svc = store.trajecten
    svc.record(traject_id, EventKind.KOPPELING_BEEINDIGD, dt.date(2026, 9, 16), user=AUTEUR, today=TODAY)
    eerder = store.verslagen.nieuw(traject_id, "evaluatie_aios", auteur=AUTEUR, today=dt.date(2026, 9, 22)).created
    assert isinstance(eerder, int)
    store.verslagen.bewaar(eerder, dict(store.verslagen.get(eerder).antwoorden, reflectieverslag_ontvangen=False,
                                        eigen_rol="x", leerpunten="Eerder hulp vragen bij drukte.",
                                        afspraken="Wekelijks leergesprek."), 0, auteur=AUTEUR)
    store.verslagen.afronden(eerder, user=AUTEUR, today=TODAY)
    svc.record(traject_id, EventKind.KANDIDAAT_OPLEIDER, dt.date(2026, 9, 23), {"opleider_id": nieuw}, user=AUTEUR,
               today=TODAY)
    svc.record(traject_id, EventKind.KENNISMAKINGSGESPREK, dt.date(2026, 9, 24),
               {"opleider_id": nieuw, "aios_ja": True, "opleider_ja": True}, user=AUTEUR, today=TODAY)
    svc.record(traject_id, EventKind.NIEUWE_KOPPELING_BEVESTIGD, dt.date(2026, 9, 25),
               {"opleider_id": nieuw, "startdatum": "2026-10-01"}, user=AUTEUR, today=TODAY)
    svc.record(traject_id, EventKind.NIEUWE_KOPPELING_GESTART, dt.date(2026, 10, 1),
               {"in_oude_praktijk_gebleven": False}, user=AUTEUR, today=TODAY)


def test_the_evaluatie_with_the_new_opleider_looks_back(qtbot: Any, tmp_path: Path) -> None:
    window, traject_id = _window(qtbot, tmp_path, _tot_de_nieuwe_start)
    wizard = _start(qtbot, window, traject_id, "evaluatie_nieuwe_opleider")
    assert "Bram Nieuw (nieuwe opleider)" in str(wizard.widgets["aanwezigen"].value())
    _set_date(wizard, dt.date(2026, 11, 26))
    _next(qtbot, wizard)
    eerder = next(label for label in wizard.pages[1].findChildren(QLabel)
                  if label.accessibleName() == "Eerder afgesproken")  # read-only, from the earlier verslagen
    assert "Eerder hulp vragen bij drukte." in eerder.text() and "Wekelijks leergesprek." in eerder.text()
    _type(qtbot, wizard, "stand_leerpunten", "Vraagt nu op tijd om hulp.")
    _next(qtbot, wizard)
    _type(qtbot, wizard, "evaluatie", "Goede start in de nieuwe praktijk.")
    _next(qtbot, wizard)
    _choose(qtbot, wizard, "leert_voldoende", 1)
    assert wizard.widgets["nazorg_toelichting"].isVisibleTo(wizard), "asked when the aios does not learn enough"
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and "Wat er nodig is" in wizard.pages[3].fout.text()
    _type(qtbot, wizard, "nazorg_toelichting", "Extra supervisie, over een maand opnieuw bespreken.")
    _finish(qtbot, wizard)
    assert _events(window, traject_id)[-1].kind is EventKind.EVALUATIEGESPREK_NIEUWE_OPLEIDER
