from __future__ import annotations

import pytest

from ontkoppel_desktop.store import keys
from ontkoppel_desktop.store.keys import SleutelFout


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
    [("kort", False), ("aaaaaaaaaaaa", False), ("abcdefghij", True), ("Paard-Batterij-Nietje-42", True)],
)
def test_wachtwoord_sterkte_enforces_the_minimum(wachtwoord: str, voldoende: bool) -> None:
    assert keys.wachtwoord_sterkte(wachtwoord).voldoende is voldoende


def test_stronger_wachtwoorden_score_higher() -> None:
    scores = [keys.wachtwoord_sterkte(w).score for w in ("abcdefghij", "abcdefghij1234", "Abcdefg-hij-1234-xyz")]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_calibration_keeps_the_memory_hard_setting() -> None:
    params = keys.KdfParams.calibrate(target_seconds=0.01, memory_kib=8 * 1024)
    assert params.memory_kib == 8 * 1024 and params.time_cost >= 2
