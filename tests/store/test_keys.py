from __future__ import annotations

from pathlib import Path

import pytest

from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.keys import SleutelFout
from ontkoppel_desktop.store.store import Store
from ontkoppel_desktop.store.wachtwoord_sterkte import _NEDERLANDS, wachtwoord_sterkte
from tests.conftest import FAST_KDF


def test_herstelsleutel_is_32_unambiguous_characters_in_groups_of_four() -> None:
    sleutel = keys.new_herstelsleutel()
    groups = sleutel.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert not set(sleutel) & set("ILOU")


def test_herstelsleutel_parses_as_typed_by_a_person() -> None:
    sleutel = keys.new_herstelsleutel()
    raw = keys.parse_herstelsleutel(sleutel)
    assert len(raw) == keys.HERSTELSLEUTEL_BYTES
    sloppy = " ".join(sleutel.lower().split("-")).replace("0", "o").replace("1", "l")
    assert keys.parse_herstelsleutel(sloppy) == raw


@pytest.mark.parametrize("text", ["", "ABCD-EFGH", "U" * 32, "ABCD-" * 9])
def test_a_malformed_herstelsleutel_is_refused_in_dutch(text: str) -> None:
    with pytest.raises(SleutelFout, match="geen geldige herstelsleutel"):
        keys.parse_herstelsleutel(text)


@pytest.mark.parametrize(
    ("wachtwoord", "voldoende"),
    [
        ("kort", False),
        ("aaaaaaaaaaaa", False),
        ("abcdefghij", False),
        # Issue 13: these passed as "Redelijk" under the old rules.
        ("wachtwoord", False),
        ("1234567890", False),
        ("qwertyuiop", False),
        ("Welkom2024", False),
        ("Huisarts2026!", False),
        ("Paard-Batterij-Nietje-42", True),
        ("Lente molen tulp kaas", True),
    ],
)
def test_wachtwoord_sterkte_needs_at_least_goed(wachtwoord: str, voldoende: bool) -> None:
    sterkte = wachtwoord_sterkte(wachtwoord)
    assert sterkte.voldoende is voldoende
    assert (sterkte.score >= 3) is voldoende or len(wachtwoord) < 10


def test_weak_wachtwoorden_get_dutch_advice() -> None:
    for wachtwoord in ("wachtwoord", "1234567890", "Welkom2024", "abcdefghij", "aaaaaaaaaaaaaaa", "jan1980jan1980"):
        sterkte = wachtwoord_sterkte(wachtwoord)
        assert sterkte.tips, wachtwoord
        for tip in sterkte.tips:
            assert tip in _NEDERLANDS.values() or tip.startswith("Maak het langer"), tip
    assert wachtwoord_sterkte("Paard-Batterij-Nietje-42").tips == ()


def test_every_advice_of_zxcvbn_has_a_dutch_text() -> None:
    """Every message zxcvbn's feedback can give (the strings it passes to gettext) has its Dutch text, so the
    user never reads English, and a newer zxcvbn with a new message fails here rather than on screen."""
    import ast
    import inspect

    from zxcvbn import feedback

    messages = {
        node.args[0].value
        for node in ast.walk(ast.parse(inspect.getsource(feedback)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
        and isinstance(node.args[0], ast.Constant)
    }
    assert len(messages) >= 25
    assert messages <= set(_NEDERLANDS)


def test_dutch_words_and_the_users_own_count_as_easy_to_guess() -> None:
    assert wachtwoord_sterkte("Opleiding-Huisarts").score < wachtwoord_sterkte("Opleiding-Pinguin-Rood").score
    eigen = ("vermeulen", "amersfoort")
    assert wachtwoord_sterkte("Vermeulen-Amersfoort", ook_te_raden=eigen).score < wachtwoord_sterkte(
        "Vermeulen-Amersfoort").score
    assert not wachtwoord_sterkte("Vermeulen1980", ook_te_raden=eigen).voldoende


def test_very_long_wachtwoorden_are_estimated_without_error() -> None:
    assert wachtwoord_sterkte("x" * 10_000).score == 0
    assert wachtwoord_sterkte("Lente molen tulp kaas " * 20).voldoende


def test_a_store_refuses_a_weak_wachtwoord_with_the_advice(tmp_path: Path) -> None:
    with pytest.raises(SleutelFout) as raised:
        Store.create(tmp_path / "a.okdb", "Welkom2024", FAST_KDF)
    assert str(raised.value).startswith("Kies een sterker wachtwoord (zwak).")
    assert "woorden" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_calibration_keeps_the_memory_hard_setting() -> None:
    params = keys.KdfParams.calibrate(target_seconds=0.01, memory_kib=8 * 1024)
    assert params.memory_kib == 8 * 1024 and params.time_cost >= 2
