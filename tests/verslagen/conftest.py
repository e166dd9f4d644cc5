"""A traject with people, on a throwaway store, for the verslagen tests."""

from __future__ import annotations

from datetime import date

import pytest

from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
from ontkoppel_desktop.store.store import Store

TODAY = date(2026, 11, 30)
AUTEUR = "Docent Vos"


@pytest.fixture
def traject_id(store: Store) -> int:
    return maak_traject(store)


def maak_traject(store: Store) -> int:
    """Noor Visser with Eva Smit since March, docenten Mila Bakker and Daan de Wit; a traject since 1 September."""
    p = store.personen
    p.save_praktijk(praktijk := Praktijk("Praktijk De Linde", "Houten"))
    p.save_docent(hd := Docent(Naam("Mila", "", "Bakker")))
    p.save_docent(gw := Docent(Naam("Daan", "de", "Wit")))
    p.save_groep(groep := Groep("Groep 1A", 1, hd.id, gw.id))
    p.save_aios(aios := Aios(Naam("Noor", "", "Visser"), 1, date(2026, 3, 1), groep_id=groep.id))
    p.save_opleider(oud := Opleider(Naam("Eva", "", "Smit"), praktijk.id))
    p.save_opleider(Opleider(Naam("Bram", "", "Nieuw"), praktijk.id))
    assert aios.id and oud.id
    p.save_koppeling(koppeling := Koppeling(aios.id, oud.id, date(2026, 3, 1)))
    assert koppeling.id
    changes = store.trajecten.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE,
                                    date(2026, 9, 1), user=AUTEUR, today=TODAY)
    assert isinstance(changes.created, int)
    return changes.created


def ontkoppel(store: Store, traject_id: int, day: date = date(2026, 9, 15)) -> None:
    """A driehoeksgesprek with advies tot ontkoppeling and the formal besluit, recorded without a verslag."""
    svc = store.trajecten
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), user=AUTEUR, today=TODAY)
    svc.record(traject_id, EventKind.UITKOMST, date(2026, 9, 8), {"uitkomst": "advies_ontkoppeling"}, user=AUTEUR,
               today=TODAY)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, day, {"besluit": "ontkoppelen", "door": "Plv. hoofd"},
               user=AUTEUR, today=TODAY)
