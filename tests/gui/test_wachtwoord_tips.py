"""Choosing a wachtwoord (issue 13): the strength as zxcvbn guesses, with Dutch advice while typing, and only
"Goed" or better accepted."""

from __future__ import annotations

from typing import Any

from ontkoppel_desktop.ui.wachtwoord import NieuwWachtwoord


def test_typing_a_common_wachtwoord_shows_dutch_advice_and_is_refused(qtbot: Any) -> None:
    veld = NieuwWachtwoord()
    qtbot.addWidget(veld)
    veld.show()
    qtbot.keyClicks(veld.eerste, "Welkom2024")
    qtbot.keyClicks(veld.tweede, "Welkom2024")
    assert veld.sterkte.text() == "Zwak"
    assert veld.tips.isVisible()
    assert "woorden" in veld.tips.text() and "Goed" in veld.tips.text()
    assert not veld.is_valid()
    veld.eerste.clear()
    veld.tweede.clear()
    qtbot.keyClicks(veld.eerste, "Lente molen tulp kaas")
    qtbot.keyClicks(veld.tweede, "Lente molen tulp kaas")
    assert veld.sterkte.text() == "Sterk"
    assert not veld.tips.isVisible()
    assert veld.is_valid()
