"""A ronde from Personen carries the store's ids, and a traject's blokkade reaches the planner."""

from __future__ import annotations

from datetime import date

import pytest

from ontkoppel_desktop.core.koppelplanner import Bezoek
from ontkoppel_desktop.core.personen import Aios, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
from ontkoppel_desktop.store.ronde_personen import next_start, ronde_from_personen, with_personen_blokkade
from ontkoppel_desktop.store.store import Store


@pytest.mark.parametrize(("today", "start"), [
    (date(2026, 11, 23), date(2027, 3, 1)), (date(2026, 12, 1), date(2027, 3, 1)),
    (date(2027, 1, 2), date(2027, 6, 1)), (date(2027, 3, 1), date(2027, 6, 1)),
])
def test_next_start_is_a_kaders_month_at_least_three_months_ahead(today: date, start: date) -> None:
    assert next_start(today) == start


def test_blocked_opleider_is_blocked_in_the_planner(store: Store) -> None:
    repo = store.personen
    praktijk = Praktijk("Praktijk Het Plein", "Zeist")
    repo.save_praktijk(praktijk)
    aios = Aios(Naam("Noor", "", "Visser"), 1, date(2026, 3, 1))
    repo.save_aios(aios)
    opleider = Opleider(Naam("Eva", "", "Oud"), praktijk.id)
    repo.save_opleider(opleider)
    assert aios.id and opleider.id
    k = Koppeling(aios.id, opleider.id, date(2026, 3, 1))
    repo.save_koppeling(k)
    assert k.id
    ronde = ronde_from_personen(store, date(2026, 11, 23))
    assert [o.id for o in ronde.opleiders] == [str(opleider.id)] and not ronde.opleiders[0].blokkade
    svc = store.trajecten
    t = svc.start(k.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE, date(2026, 9, 1), user="x").created
    assert isinstance(t, int)
    svc.record(t, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 2), user="x")
    svc.record(t, EventKind.UITKOMST, date(2026, 9, 2), {"uitkomst": "advies_ontkoppeling"}, user="x")
    svc.record(t, EventKind.BESLUIT_ONTKOPPELING, date(2026, 9, 9),
               {"besluit": "ontkoppelen", "door": "Plv. hoofd"}, user="x")
    ronde = type(ronde)(ronde.aios, ronde.opleiders, (Bezoek(str(aios.id), str(opleider.id), 1),),
                        startdatum=ronde.startdatum)
    blocked, names = with_personen_blokkade(store, ronde)
    assert names == ["Eva Oud"] and blocked.opleiders[0].blokkade
    assert ronde_from_personen(store, date(2026, 11, 23)).opleiders[0].blokkade
