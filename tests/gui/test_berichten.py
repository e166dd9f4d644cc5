"""Standaardberichten from the traject screen: the Berichten menu opens a bericht filled from the traject, the
user adds to the text and saves it as an e-mail draft; a faulty template of the institute is named; the settings
copy the bundled texts into the institute's folder."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog

from ontkoppel_desktop.store.store import Store
from tests.berichten.conftest import traject_in_fase
from tests.conftest import FAST_KDF, WACHTWOORD
from tests.gui.conftest import Messages, open_main_window


def _window(qtbot: Any, tmp_path: Path, fase: int = 2) -> tuple[Any, Any]:
    store = Store.create(tmp_path / "werk.okdb", WACHTWOORD, FAST_KDF).store
    traject_id = traject_in_fase(store, fase)
    store.close()
    window = open_main_window(qtbot, store.path, gebruikersnaam="Sanne de Boer")
    window.session.settings.link_vertrouwenspersoon = ""  # not set yet: the bericht marks it
    window.show_traject(traject_id)
    detail = window.trajecten.detail
    qtbot.waitUntil(lambda: detail.traject is not None and detail.overview is not None)
    return window, detail


def _menu(detail: Any) -> dict[str, Any]:
    detail.berichten.berichten_menu.aboutToShow.emit()
    return {a.text(): a for a in detail.berichten.berichten_menu.actions() if a.text()}


def test_a_bericht_from_the_menu_saved_as_an_email_draft(qtbot: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window, detail = _window(qtbot, tmp_path)
    assert detail.berichten.text() == "Ber&ichten" and detail.berichten.isVisible()
    actions = _menu(detail)
    assert list(actions)[:2] == ["Ontkoppelingsmail…", "Bevestiging nieuwe koppeling…"]
    actions["Ontkoppelingsmail…"].trigger()
    dialog = detail.berichten.dialoog
    qtbot.waitExposed(dialog)
    assert dialog.onderwerp.text() == "Ontkoppeling Noor Visser en Eva Smit"
    assert "Noor Visser (aios) <noor.visser@example.nl>" in dialog.aan.text()
    assert "Daan de Wit (docent), geen e-mailadres" in dialog.cc.text()
    assert "op 15 september 2026 het formele besluit" in dialog.tekst.toPlainText()
    # The vertrouwenspersoon's link is not set: marked in the text, and said below it.
    assert dialog.waarschuwing.isVisible()
    assert "[link vertrouwenspersoon nog niet ingesteld]" in dialog.waarschuwing.text()
    assert "Daan de Wit" in dialog.adressen.text()
    # The user fills it in and adds a line: the warning goes, the template file stays as it was.
    tekst = dialog.tekst
    found = tekst.document().find("[link vertrouwenspersoon nog niet ingesteld]")
    tekst.setTextCursor(found)
    qtbot.keyClicks(tekst, "https://example.nl/vertrouwenspersoon")
    cursor = tekst.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    tekst.setTextCursor(cursor)
    qtbot.keyClick(tekst, Qt.Key.Key_Return)
    qtbot.keyClicks(tekst, "PS: tot donderdag")
    tekst.insertPlainText(", één afspraak staat al.")  # pasted: QTest types ASCII only
    assert not dialog.waarschuwing.isVisible()

    saved: list[str] = []

    def save_as(parent: Any, caption: str, suggestion: str, filter_: str) -> tuple[str, str]:
        saved.append(Path(suggestion).name)
        return str(tmp_path / "uit" / "ontkoppelingsmail"), filter_

    (tmp_path / "uit").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    qtbot.mouseClick(dialog.eml, Qt.MouseButton.LeftButton)
    assert saved and saved[0].endswith("Ontkoppelingsmail Noor Visser.eml")
    path = tmp_path / "uit" / "ontkoppelingsmail.eml"
    assert [p.name for p in (tmp_path / "uit").iterdir()] == [path.name]  # nothing half-written beside it
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1" and message["Subject"] == "Ontkoppeling Noor Visser en Eva Smit"
    assert [a.addr_spec for a in message["To"].addresses] == ["noor.visser@example.nl", "eva@example.nl"]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["mila.bakker@example.nl", "lotte@example.nl"]
    body = message.get_content().replace("\r\n", "\n")
    assert "https://example.nl/vertrouwenspersoon" in body and "één afspraak staat al." in body
    assert "beëindigd" in body and "Sanne de Boer" in body
    assert str(path) in dialog.melding.text()
    # The same, as a Word document.
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(tmp_path / "uit" / "ontkoppelingsmail.docx"), "")))
    word = next(a for a in dialog.document.menu().actions() if "Word" in a.text())
    word.trigger()
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "uit" / "ontkoppelingsmail.docx")).paragraphs]
    assert "Ontkoppeling Noor Visser en Eva Smit" in paragraphs
    assert any("één afspraak staat al." in p for p in paragraphs)
    assert "Opgeslagen als document" in dialog.melding.text()
    qtbot.mouseClick(dialog.kopieren, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().startswith("Ontkoppeling Noor Visser en Eva Smit\n\nBeste Noor Visser")
    dialog.close()
    # Edits are not saved back: the next bericht is the template again.
    _menu(detail)["Ontkoppelingsmail…"].trigger()
    assert "één afspraak" not in detail.berichten.dialoog.tekst.toPlainText()
    detail.berichten.dialoog.close()


def test_a_faulty_template_of_the_institute_is_named(qtbot: Any, tmp_path: Path, messages: Messages) -> None:
    eigen = tmp_path / "eigen berichten"
    eigen.mkdir()
    (eigen / "ontkoppelingsmail.toml").write_text(
        'id = "ontkoppelingsmail"\ntitel = "Eigen"\naan = ["aios"]\nonderwerp = "x"\ntekst = "Beste {aois}"\n',
        encoding="utf-8")
    window, detail = _window(qtbot, tmp_path)
    window.session.settings.berichten_map = str(eigen)
    actions = _menu(detail)
    assert "Ontkoppelingsmail…" not in actions and "Bevestiging nieuwe koppeling…" in actions
    actions["ontkoppelingsmail.toml (fout in het bestand)…"].trigger()
    title, text = messages.shown[-1]
    assert title == "Standaardbericht met een fout"
    assert str(eigen / "ontkoppelingsmail.toml") in text and "{aois}" in text


def test_the_settings_copy_the_bundled_texts_into_the_institutes_folder(qtbot: Any, tmp_path: Path,
                                                                         messages: Messages) -> None:
    from ontkoppel_desktop.ui.main_window import SettingsDialog

    window, _detail = _window(qtbot, tmp_path, fase=1)
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    eigen = tmp_path / "gedeeld" / "berichten"
    dialog.berichten_map.setText(str(eigen))
    qtbot.mouseClick(dialog.kopieer, Qt.MouseButton.LeftButton)
    assert (eigen / "ontkoppelingsmail.toml").is_file() and (eigen / "README.md").is_file()
    assert messages.shown[-1][0] == "Standaardteksten kopiëren" and "ontkoppelingsmail.toml" in messages.shown[-1][1]
    qtbot.mouseClick(dialog.kopieer, Qt.MouseButton.LeftButton)  # again: nothing is overwritten
    assert "niet overschreven" in messages.shown[-1][1]
    dialog.accept()
    assert window.session.settings.berichten_map == str(eigen)
