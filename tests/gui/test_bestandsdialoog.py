"""The shared pieces of daily use (issue 14): file dialogs in Dutch that remember the folder per purpose,
questions whose buttons say what they do, and Openen / Toon in map after an export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ontkoppel_desktop import paths
from ontkoppel_desktop.ui import bestandsdialoog, na_export, vraag
from ontkoppel_desktop.ui.app import create_application
from tests.gui.conftest import Messages


def test_the_file_dialog_words_qt_leaves_in_english_are_dutch(qapp: Any) -> None:
    create_application()
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Zoeken in:"
    assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "Bestands&type:"
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "Map"
    # What Qt's own translation has is still Qt's.
    assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"


def test_a_dialog_opens_where_the_user_was_last_for_that_purpose(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answers = iter([str(tmp_path / "rondes" / "ronde-2027"), str(tmp_path / "stukken" / "verslag.docx")])

    def save(parent: Any, title: str, start: str, filter_: str) -> tuple[str, str]:
        asked.append(start)
        return next(answers), filter_

    (tmp_path / "rondes").mkdir()
    (tmp_path / "stukken").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    first = bestandsdialoog.opslaan(None, "ronde", "Ronde opslaan", "ronde.xlsx", "Excel (*.xlsx)", ".xlsx")
    assert first == tmp_path / "rondes" / "ronde-2027.xlsx"  # the extension the user left off
    assert asked[0] == str(paths.documents_dir() / "ronde.xlsx")  # nothing remembered yet: Documenten
    bestandsdialoog.opslaan(None, "document", "Opslaan", "verslag.docx", "Word (*.docx)", ".docx")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda parent, title, start, filter_: (asked.append(start), ("", ""))[1]))
    assert bestandsdialoog.opslaan(None, "ronde", "Ronde opslaan", "ronde.xlsx", "Excel (*.xlsx)") is None
    assert asked[-1] == str(tmp_path / "rondes" / "ronde.xlsx")  # per purpose
    (tmp_path / "rondes").rmdir()
    bestandsdialoog.opslaan(None, "ronde", "Ronde opslaan", "ronde.xlsx", "Excel (*.xlsx)")
    assert asked[-1] == str(paths.documents_dir() / "ronde.xlsx")  # a folder that is gone: Documenten


def test_a_question_names_its_choices_and_cancels_by_default(qapp: Any, messages: Messages) -> None:
    messages.keuze = 1
    assert vraag.kies(None, "PDF's", "Hoe wil je de PDF's?", ["Een PDF per opleider", "Een PDF per aios"]) == 1
    messages.keuze = None
    messages.answer = QMessageBox.StandardButton.Cancel
    assert not vraag.bevestig(None, "Verwijderen", "Zeker?", "Verwijderen")
    assert messages.shown[-1] == ("Verwijderen", "Zeker?")


def test_without_an_answer_the_default_is_the_safe_one(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[QMessageBox] = []

    def escape(box: QMessageBox) -> Any:
        seen.append(box)
        assert box.defaultButton() is box.escapeButton()
        assert sorted(b.text() for b in box.buttons()) == ["Annuleren", "Verwijderen"]
        return box.escapeButton()

    monkeypatch.setattr(vraag, "_toon", escape)
    assert not vraag.bevestig(None, "Verwijderen", "Zeker?", "Verwijderen")
    assert seen


def test_after_an_export_openen_and_toon_in_map(qapp: Any, messages: Messages, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(na_export, "open_bestand", lambda p: opened.append(f"open {p.name}") or True)
    monkeypatch.setattr(na_export, "toon_in_map", lambda p: opened.append(f"map {p.name}") or True)
    target = tmp_path / "uitslag.xlsx"
    messages.keuze = 0
    na_export.klaar(None, "Uitslag opgeslagen", "De uitslag is opgeslagen.", target)
    messages.keuze = 1
    na_export.klaar(None, "Uitslag opgeslagen", "De uitslag is opgeslagen.", target)
    messages.keuze = None
    messages.answer = QMessageBox.StandardButton.Cancel
    na_export.klaar(None, "Uitslag opgeslagen", "De uitslag is opgeslagen.", target)
    assert opened == ["open uitslag.xlsx", "map uitslag.xlsx"]
    assert str(target) in messages.shown[-1][1]
