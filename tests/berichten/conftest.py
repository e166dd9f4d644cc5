"""A traject in each phase, with e-mail addresses and medewerkers, for the standaardberichten tests."""

from __future__ import annotations

from datetime import date

from ontkoppel_desktop.core.berichten import BerichtGegevens, verzamel
from ontkoppel_desktop.core.personen import Medewerker, Naam
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.store.store import Store
from tests.verslagen.conftest import AUTEUR, TODAY, maak_traject, ontkoppel

TERUGKOMDAG = date(2026, 12, 8)  # a Tuesday after TODAY


def nieuw_id(store: Store) -> int:
    return next(o.id for o in store.personen.opleiders() if o.naam.achternaam == "Nieuw" and o.id)  # type: ignore[misc]


def traject_in_fase(store: Store, fase: int) -> int:
    """Noor Visser's traject (tests/verslagen/conftest.py) in phase 1 (a signaal), 2 (ontkoppeld on 15 September
    2026) or 3 (started with Bram Nieuw on 1 October 2026); with e-mail addresses, a manager opleiding of the
    aios's year and one of another year, a jaarassistent, and two opleidersterugkomdagen."""
    traject_id = maak_traject(store)
    p = store.personen
    aios = p.aios()[0]
    aios.email = "noor.visser@example.nl"
    p.save_aios(aios, today=TODAY)
    for opleider in p.opleiders():
        opleider.email = f"{opleider.naam.voornaam.lower()}@example.nl"
        p.save_opleider(opleider)
    docent = next(d for d in p.docenten() if d.naam.achternaam == "Bakker")
    docent.email = "mila.bakker@example.nl"
    p.save_docent(docent)
    p.save_medewerker(Medewerker(Naam("Lotte", "", "Jansen"), Rol.MANAGER_OPLEIDING, 1, "lotte@example.nl"))
    p.save_medewerker(Medewerker(Naam("Kees", "", "Twee"), Rol.MANAGER_OPLEIDING, 2, "kees@example.nl"))
    p.save_medewerker(Medewerker(Naam("Sanne", "", "de Boer"), Rol.JAARASSISTENT, 1, "sanne@example.nl"))
    store.trajecten.add_agenda(date(2026, 6, 2), today=TODAY)
    store.trajecten.add_agenda(TERUGKOMDAG, today=TODAY)
    if fase >= 2:
        ontkoppel(store, traject_id)
    if fase >= 3:
        svc = store.trajecten
        nieuw = nieuw_id(store)
        svc.record(traject_id, EventKind.KOPPELING_BEEINDIGD, date(2026, 9, 16), user=AUTEUR, today=TODAY)
        svc.record(traject_id, EventKind.KANDIDAAT_OPLEIDER, date(2026, 9, 23), {"opleider_id": nieuw},
                   user=AUTEUR, today=TODAY)
        svc.record(traject_id, EventKind.KENNISMAKINGSGESPREK, date(2026, 9, 24),
                   {"opleider_id": nieuw, "aios_ja": True, "opleider_ja": True}, user=AUTEUR, today=TODAY)
        svc.record(traject_id, EventKind.NIEUWE_KOPPELING_BEVESTIGD, date(2026, 9, 25),
                   {"opleider_id": nieuw, "startdatum": "2026-10-01"}, user=AUTEUR, today=TODAY)
        svc.record(traject_id, EventKind.NIEUWE_KOPPELING_GESTART, date(2026, 10, 1),
                   {"in_oude_praktijk_gebleven": False}, user=AUTEUR, today=TODAY)
    return traject_id


def gegevens(store: Store, traject_id: int, *, links: bool = True) -> BerichtGegevens:
    """What the Berichten button gathers, as of TODAY."""
    svc = store.trajecten
    traject = svc.get(traject_id)
    overview = svc.overview(traject, TODAY)
    return verzamel(
        traject, store.personen, today=TODAY, opleidersterugkomdagen=svc.agenda().get("opleidersterugkomdagen", []),
        termijnen={s.step.id: s.due for s in overview.statuses if s.due is not None}, afzender="Sanne de Boer",
        opleiding=svc.definition(traject).institute, lovah="https://www.lovah.nl" if links else "",
        sboh="https://www.sboh.nl" if links else "", vertrouwenspersoon="https://example.nl/vp" if links else "",
    )
