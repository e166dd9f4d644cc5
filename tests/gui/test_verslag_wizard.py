"""The gesprek wizard through its real widgets: typing, Volgende, Voltooien, Afronden; the concept saved as it is
typed; a lock in the middle loses nothing; a concept left open is offered at the next start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QWizard

from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.ui.verslagen import wizard as wizard_module
from ontkoppel_desktop.ui.verslagen.wizard import GesprekWizard, open_verslag, start_gesprek
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages, open_main_window
from tests.verslagen.conftest import AUTEUR, maak_traject, ontkoppel

NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton


@pytest.fixture
def traject_store(tmp_path: Path) -> tuple[Path, int]:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = maak_traject(store)
    store.close()
    return store.path, traject_id


@pytest.fixture
def window(qtbot: Any, traject_store: tuple[Path, int]) -> Any:
    return open_main_window(qtbot, traject_store[0], gebruikersnaam=AUTEUR)


def _start(qtbot: Any, window: Any, traject_id: int, gesprek: str = "driehoeksgesprek") -> GesprekWizard:
    wizard = start_gesprek(window, window.session, traject_id, gesprek)
    assert isinstance(wizard, GesprekWizard)
    qtbot.waitExposed(wizard)
    return wizard


def _type(qtbot: Any, wizard: GesprekWizard, veld: str, text: str) -> None:
    widget = wizard.widgets[veld]
    target = widget.focus_widget()
    target.setFocus()
    qtbot.keyClicks(target, text)


def _choose(qtbot: Any, wizard: GesprekWizard, veld: str, index: int) -> None:
    """Click a radio button on its text, where a user clicks (its middle may be past the text)."""
    button = wizard.widgets[veld].buttons[index]  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def _set_date(wizard: GesprekWizard, day: dt.date) -> None:
    wizard.widgets["datum"].edit.setDate(QDate(day.year, day.month, day.day))  # type: ignore[attr-defined]


def _next(qtbot: Any, wizard: GesprekWizard) -> None:
    before = wizard.currentId()
    button = wizard.button(NEXT)
    assert button.isEnabled(), f"Volgende is disabled on page {before}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == before + 1


def _fill_driehoek(qtbot: Any, wizard: GesprekWizard, day: dt.date = dt.date(2026, 11, 24)) -> None:
    _set_date(wizard, day)
    _type(qtbot, wizard, "plaats", "Praktijk De Linde")
    _next(qtbot, wizard)
    assert not wizard.button(NEXT).isEnabled(), "Aanleiding is required"
    _type(qtbot, wizard, "aanleiding", "De aios meldt te weinig supervisie.")
    _next(qtbot, wizard)
    _type(qtbot, wizard, "perspectief_aios", "Ik sta er vaak alleen voor.")
    assert not wizard.button(NEXT).isEnabled()
    _type(qtbot, wizard, "perspectief_opleider", "De aios vraagt weinig.")
    _next(qtbot, wizard)
    _type(qtbot, wizard, "afspraken", "Dagelijks om 12 uur supervisie.")
    _next(qtbot, wizard)


def test_a_docent_writes_a_driehoeksgesprek_and_records_it(qtbot: Any, window: Any,
                                                             traject_store: tuple[Path, int]) -> None:
    traject_id = traject_store[1]
    wizard = _start(qtbot, window, traject_id)
    aanwezigen = wizard.widgets["aanwezigen"].value()
    assert aanwezigen is not None and "Noor Visser (aios)" in str(aanwezigen) and "Eva Smit (opleider)" in str(
        aanwezigen)
    assert "Handvat driehoeksgesprek" in wizard.sideWidget().findChild(wizard_module.HulpPaneel).toPlainText()
    _fill_driehoek(qtbot, wizard)
    # The uitkomst: 'geen ontkoppeling' asks for aandachtspunten, shown only then.
    _choose(qtbot, wizard, "uitkomst", 0)
    assert wizard.widgets["aandachtspunten"].isVisibleTo(wizard) and not wizard.widgets["argumentatie"].isVisibleTo(
        wizard)
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    page = wizard.pages[wizard.currentId()]
    assert page.fout.isVisibleTo(wizard) and "Aandachtspunten" in page.fout.text()
    _type(qtbot, wizard, "aandachtspunten", "Supervisie elke dag; over 4 weken evaluatie.")
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    store = window.session.store
    verslag = store.verslagen.van_traject(traject_id)[0]
    assert verslag.voltooid and not verslag.definitief and not verslag.open
    assert verslag.antwoorden["perspectief_opleider"] == "De aios vraagt weinig."
    events = store.trajecten.get(traject_id).events
    assert [e.kind for e in events][-2:] == [EventKind.DRIEHOEKSGESPREK, EventKind.UITKOMST]
    assert events[-2].date == dt.date(2026, 11, 24)


def test_a_future_date_is_refused_on_the_page_with_the_date(qtbot: Any, window: Any,
                                                            traject_store: tuple[Path, int]) -> None:
    wizard = _start(qtbot, window, traject_store[1])
    _fill_driehoek(qtbot, wizard, day=dt.date.today() + dt.timedelta(days=3))  # a concept may be prepared
    _choose(qtbot, wizard, "uitkomst", 1)
    _type(qtbot, wizard, "argumentatie", "Geen vertrouwen meer over en weer.")
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == 0)
    assert wizard.isVisible()
    assert "toekomst" in wizard.pages[0].fout.text()
    assert window.session.store.trajecten.get(traject_store[1]).events[-1].kind is EventKind.SIGNAAL


def test_the_concept_is_saved_as_it_is_typed(qtbot: Any, window: Any, traject_store: tuple[Path, int]) -> None:
    wizard = _start(qtbot, window, traject_store[1])
    _type(qtbot, wizard, "plaats", "Online ")
    wizard.widgets["plaats"].edit.insert("— Teams 🙂 ĳ")  # type: ignore[attr-defined]  # pasted: keyClicks is ASCII
    service = window.session.store.verslagen
    qtbot.waitUntil(lambda: "plaats" in service.get(wizard.verslag_id).antwoorden, timeout=2000)
    stored = service.get(wizard.verslag_id)
    assert f"opgeslagen om {dt.datetime.now():%H:%M}" in wizard.opgeslagen.text()
    assert stored.antwoorden["plaats"] == "Online — Teams 🙂 ĳ" and stored.open
    assert not wizard.dirty


def test_a_lock_in_the_middle_of_the_wizard_loses_nothing(qtbot: Any, window: Any,
                                                         traject_store: tuple[Path, int]) -> None:
    wizard = _start(qtbot, window, traject_store[1])
    verslag_id = wizard.verslag_id
    _set_date(wizard, dt.date(2026, 11, 24))
    _next(qtbot, wizard)
    _type(qtbot, wizard, "aanleiding", "Halverwege een zin")  # no pause: the lock comes before the timer
    window.session.lock()
    assert not wizard.isVisible(), "nothing confidential stays on screen"
    assert window.lock_page.isVisible()
    window.session.unlock_with_key(window.session.store.key_file.unwrap_wachtwoord(WACHTWOORD))
    again = wizard_module.open_wizard(window.session, verslag_id)
    assert isinstance(again, GesprekWizard) and again is not wizard
    qtbot.waitExposed(again)
    assert again.currentId() == 1
    assert again.widgets["aanleiding"].value() == "Halverwege een zin"
    again.close()
    assert not window.session.store.verslagen.get(verslag_id).open


def test_an_open_concept_is_offered_at_the_next_start(qtbot: Any, window: Any, traject_store: tuple[Path, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    service = window.session.store.verslagen
    verslag_id = service.nieuw(traject_store[1], "driehoeksgesprek", auteur=AUTEUR).created
    service.bewaar(verslag_id, dict(service.get(verslag_id).antwoorden, aanleiding="Bewaard voor de stroom uitviel"),
                   1, auteur=AUTEUR)
    shown: list[str] = []

    def choose_first(box: QMessageBox) -> int:
        shown.append(box.text())
        box.buttons()[0].click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_first)
    opened = wizard_module.bied_open_concepten_aan(window, window.session)
    assert shown and "Driehoeksgesprek — Noor Visser" in shown[0]
    assert len(opened) == 1 and isinstance(opened[0], GesprekWizard)
    assert opened[0].currentId() == 1 and opened[0].widgets["aanleiding"].value() == "Bewaard voor de stroom uitviel"


def test_afronden_from_the_wizard_seals_the_evaluatie_opleider(qtbot: Any, window: Any, messages: Messages,
                                                               traject_store: tuple[Path, int]) -> None:
    traject_id = traject_store[1]
    ontkoppel(window.session.store, traject_id)
    wizard = _start(qtbot, window, traject_id, "evaluatie_opleider")
    _set_date(wizard, dt.date(2026, 10, 6))
    _next(qtbot, wizard)
    _choose(qtbot, wizard, "reflectieverslag_ontvangen", 0)
    _type(qtbot, wizard, "eigen_rol", "Ik had te weinig tijd ingeroosterd.")
    _type(qtbot, wizard, "leerpunten_opleider", "Eerder de docenten bellen.")
    _next(qtbot, wizard)
    _type(qtbot, wizard, "aandachtspunten_aios", "Hulp vragen als het niet lukt.")
    messages.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CustomButton1), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    verslag = window.session.store.verslagen.van_traject(traject_id)[0]
    assert verslag.definitief and set(verslag.zegels) == {"over_aios", "over_opleider"}
    assert any(title == "Verslag afronden" for title, _ in messages.shown)
    # A definitief verslag opens read-only, never in the wizard.
    view = open_verslag(window, window.session, verslag.id)
    assert view is not None and not isinstance(view, GesprekWizard)
    view.close()


def test_the_aios_choice_has_no_default(qtbot: Any, window: Any, traject_store: tuple[Path, int]) -> None:
    ontkoppel(window.session.store, traject_store[1])
    wizard = _start(qtbot, window, traject_store[1], "evaluatie_aios")
    _next(qtbot, wizard)
    _choose(qtbot, wizard, "reflectieverslag_ontvangen", 0)
    _type(qtbot, wizard, "eigen_rol", "Te lang gewacht met aankaarten.")
    _type(qtbot, wizard, "leerpunten", "Eerder hulp vragen.")
    _next(qtbot, wizard)
    _type(qtbot, wizard, "afspraken", "Wekelijks contact met de docent.")
    _next(qtbot, wizard)
    keuze = wizard.widgets["reflectie_in_eportfolio"]
    assert keuze.value() is None
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    assert wizard.isVisible() and "reflectieverslag in het e-portfolio" in wizard.pages[3].fout.text()
    assert wizard.currentId() == 3
    _choose(qtbot, wizard, "reflectie_in_eportfolio", 1)
    _set_date(wizard, dt.date(2026, 9, 22))  # the date fixed before recording: it is on page 1, set it there
    wizard._go_to(0)
    _set_date(wizard, dt.date(2026, 9, 22))
    wizard._go_to(3)
    qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    event = window.session.store.trajecten.get(traject_store[1]).events[-1]
    assert event.kind is EventKind.EVALUATIEGESPREK_AIOS and event.data["reflectieverslag_in_eportfolio"] is False


def test_pasted_rich_text_and_any_characters_are_kept_as_plain_text(qtbot: Any, window: Any,
                                                                     traject_store: tuple[Path, int]) -> None:
    from PySide6.QtCore import QMimeData

    wizard = _start(qtbot, window, traject_store[1])
    _next(qtbot, wizard)
    mime = QMimeData()
    mime.setHtml("<p><b>Vet</b> en <i>schuin</i> uit Word</p>")
    mime.setText("Vet en schuin uit Word")
    edit = wizard.widgets["aanleiding"].focus_widget()
    edit.setFocus()
    # What paste() does with the clipboard's data (the clipboard itself would take the QMimeData from Python).
    edit.insertFromMimeData(mime)  # type: ignore[attr-defined]
    odd = " — Ĳsbrand, Çağlar, مرحبا, 🙂\u0007\u001b[0m"
    edit.insertPlainText(odd)  # type: ignore[attr-defined]
    assert wizard.save_now()
    stored = window.session.store.verslagen.get(wizard.verslag_id).antwoorden["aanleiding"]
    assert stored == "Vet en schuin uit Word" + odd
    wizard.close()
    again = open_verslag(window, window.session, wizard.verslag_id)
    assert isinstance(again, GesprekWizard) and again.widgets["aanleiding"].value() == stored


def test_a_faulty_question_file_is_named_not_a_traceback(qtbot: Any, window: Any, traject_store: tuple[Path, int],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from ontkoppel_desktop.core.verslagen import FormulierFout

    def faulty(_definition: Any) -> Any:
        raise FormulierFout("driehoeksgesprek.toml", "aanleiding", "onbekende soort 'tekts'")

    monkeypatch.setattr(window.session.store.verslagen, "_formulieren", faulty)
    window.show_traject(traject_store[1])
    panel = window.trajecten.detail.verslagen
    panel._fill_nieuw_menu()
    actions = panel.nieuw_menu.actions()
    assert len(actions) == 1 and not actions[0].isEnabled()
    assert "niet te laden" in actions[0].text()
    assert "driehoeksgesprek.toml" in actions[0].toolTip() and "aanleiding" in actions[0].toolTip()
