"""A traject with people, on a throwaway store, for the verslagen tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ontkoppel_desktop.core.personen import Aios, Docent, Groep, Koppeling, Naam, Opleider, Praktijk
from ontkoppel_desktop.core.procedure import Categorie, EventKind, Startreden
from ontkoppel_desktop.store.store import Store

TODAY = date(2026, 11, 30)
AUTEUR = "Docent Vos"


@pytest.fixture
def traject_id(store: Store) -> int:
    return maak_traject(store)


def maak_traject(store: Store, start: date = date(2026, 9, 1), today: date = TODAY) -> int:
    """Noor Visser with Eva Smit since half a year, docenten Mila Bakker and Daan de Wit; a traject since `start`
    (1 September 2026)."""
    koppeling_start = start - timedelta(days=184)
    p = store.personen
    p.save_praktijk(praktijk := Praktijk("Praktijk De Linde", "Houten"))
    p.save_docent(hd := Docent(Naam("Mila", "", "Bakker")))
    p.save_docent(gw := Docent(Naam("Daan", "de", "Wit")))
    p.save_groep(groep := Groep("Groep 1A", 1, hd.id, gw.id))
    p.save_aios(aios := Aios(Naam("Noor", "", "Visser"), 1, koppeling_start, groep_id=groep.id))
    p.save_opleider(oud := Opleider(Naam("Eva", "", "Smit"), praktijk.id))
    p.save_opleider(Opleider(Naam("Bram", "", "Nieuw"), praktijk.id))
    assert aios.id and oud.id
    p.save_koppeling(koppeling := Koppeling(aios.id, oud.id, koppeling_start))
    assert koppeling.id
    changes = store.trajecten.start(koppeling.id, Startreden.SIGNAAL_AIOS, Categorie.OPLEIDINGSSITUATIE,
                                    start, user=AUTEUR, today=today)
    assert isinstance(changes.created, int)
    return changes.created


def schrijf_driehoek(store: Store, traject_id: int, gesprek: date, *, afronden: bool = False,
                     **extra: object) -> int:
    """A driehoeksgesprek concept dated `gesprek` with every required answer ('geen ontkoppeling' unless `extra`
    says otherwise); with `afronden` recorded and sealed."""
    svc = store.verslagen
    vid = svc.nieuw(traject_id, "driehoeksgesprek", auteur=AUTEUR, today=gesprek).created
    assert isinstance(vid, int)
    antwoorden = dict(svc.get(vid).antwoorden)
    antwoorden.update({"aanleiding": "Signaal van de aios over weinig supervisie.",
                       "perspectief_aios": "Te weinig tijd.", "perspectief_opleider": "De aios vraagt weinig.",
                       "afspraken": "Wekelijks leergesprek.", "uitkomst": "geen_ontkoppeling",
                       "aandachtspunten": "Vaste supervisie om 12 uur.", **extra})
    svc.bewaar(vid, antwoorden, 4, auteur=AUTEUR)
    if afronden:
        svc.afronden(vid, user=AUTEUR, today=max(gesprek, date.today()))
    return vid


def ontkoppel(store: Store, traject_id: int, day: date = date(2026, 9, 15)) -> None:
    """A driehoeksgesprek with advies tot ontkoppeling and the formal besluit, recorded without a verslag."""
    svc = store.trajecten
    svc.record(traject_id, EventKind.DRIEHOEKSGESPREK, date(2026, 9, 8), user=AUTEUR, today=TODAY)
    svc.record(traject_id, EventKind.UITKOMST, date(2026, 9, 8), {"uitkomst": "advies_ontkoppeling"}, user=AUTEUR,
               today=TODAY)
    svc.record(traject_id, EventKind.BESLUIT_ONTKOPPELING, day, {"besluit": "ontkoppelen", "door": "Plv. hoofd"},
               user=AUTEUR, today=TODAY)
