"""The institute profile in the settings dialog: a logo chosen with Kiezen…, checked at once, saved with the rest."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ontkoppel_desktop.settings import Settings
from tests.documents.test_profiel import png


def _dialog(qtbot: Any, settings: Settings) -> Any:
    from ontkoppel_desktop.ui.main_window import SettingsDialog

    session = SimpleNamespace(settings=settings, set_idle_minutes=lambda minutes: None)
    dialog = SettingsDialog(session, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_a_logo_chosen_checked_and_saved(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tekst = tmp_path / "logo.png"
    tekst.write_text("Dit is geen plaatje.", encoding="utf-8")
    goed = tmp_path / "umc.png"
    goed.write_bytes(png())
    settings = Settings()
    dialog = _dialog(qtbot, settings)
    assert not dialog.logo_melding.isVisibleTo(dialog)

    gekozen = [str(tekst)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (gekozen[0], "Afbeelding (*.png)"))
    qtbot.mouseClick(dialog.kies_logo, Qt.MouseButton.LeftButton)
    assert dialog.instituut_logo.text() == str(tekst)
    assert dialog.logo_melding.isVisibleTo(dialog)
    assert dialog.logo_melding.text() == (f"⚠ Het logo {tekst} is geen afbeelding (PNG of JPEG). De documenten "
                                          "worden zonder logo gemaakt.")

    gekozen[0] = str(goed)
    qtbot.mouseClick(dialog.kies_logo, Qt.MouseButton.LeftButton)
    assert not dialog.logo_melding.isVisibleTo(dialog)

    qtbot.keyClicks(dialog.instituut_naam, "Huisartsgeneeskunde UMC Utrecht")
    qtbot.keyClicks(dialog.instituut_adres, "Universiteitsweg 100 · Utrecht")
    dialog.accept()
    assert (settings.instituut_naam, settings.instituut_adres, settings.instituut_logo) == (
        "Huisartsgeneeskunde UMC Utrecht", "Universiteitsweg 100 · Utrecht", str(goed))


def test_a_missing_logo_is_said_when_the_dialog_opens(qtbot: Any, tmp_path: Path) -> None:
    weg = tmp_path / "verhuisd" / "logo.png"
    dialog = _dialog(qtbot, Settings(instituut_logo=str(weg)))
    assert dialog.logo_melding.isVisibleTo(dialog)
    assert f"Het logo {weg} is niet gevonden." in dialog.logo_melding.text()
    # A path typed by hand is checked when the field is left.
    dialog.instituut_logo.setText("")
    dialog.instituut_logo.editingFinished.emit()
    assert not dialog.logo_melding.isVisibleTo(dialog)
