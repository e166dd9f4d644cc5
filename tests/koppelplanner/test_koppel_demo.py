"""The fictitious rondes are valid, reproducible and made of made-up names."""

from __future__ import annotations

import pytest

from ontkoppel_desktop.core.koppelplanner import OpleiderStatus, validate
from ontkoppel_desktop.demo.rondes import _ACHTERNAMEN, _VOORNAMEN, maak_demo_ronde


@pytest.mark.parametrize(("n_aios", "n_opl", "seed"), [(5, 6, 0), (60, 80, 1), (60, 80, 2), (200, 240, 3)])
def test_demo_rondes_are_valid(n_aios, n_opl, seed):
    r = maak_demo_ronde(n_aios, n_opl, seed=seed)
    assert validate(r) == []
    assert len(r.aios) == n_aios and len(r.opleiders) == n_opl


def test_demo_is_reproducible_and_varies_with_the_seed():
    assert maak_demo_ronde(seed=5) == maak_demo_ronde(seed=5)
    assert maak_demo_ronde(seed=5) != maak_demo_ronde(seed=6)


def test_demo_has_the_shape_of_a_real_ronde():
    r = maak_demo_ronde(200, 240, seed=11)
    years = {a.opleidingsjaar for a in r.aios}
    assert years == {1, 3}
    assert {o.status for o in r.opleiders} == set(OpleiderStatus)
    assert any(o.coassistent for o in r.opleiders) and any(o.duo_opleider for o in r.opleiders)
    assert r.afwijzingen and r.vastzettingen and r.uitzonderingen
    visits: dict[str, int] = {}
    for b in r.bezoeken:
        visits[b.aios_id] = visits.get(b.aios_id, 0) + 1
    assert max(visits.values()) <= 5 and sum(1 for n in visits.values() if n == 4) > len(visits) / 2


def test_names_are_combinations_of_common_first_names_and_surnames():
    r = maak_demo_ronde(100, 120, seed=2)
    for naam in [a.naam for a in r.aios] + [o.naam for o in r.opleiders]:
        voornaam, _, rest = naam.partition(" ")
        assert voornaam in _VOORNAMEN
        assert rest in _ACHTERNAMEN or rest.split(". ", 1)[-1] in _ACHTERNAMEN
