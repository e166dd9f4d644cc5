"""A whole demo store of fictitious but realistic data: people, groepen, koppelingen, trajecten with their
gespreksverslagen, and a ronde.

Names are combinations of common Dutch first names and surnames drawn with a fixed seed; no real person
is meant. Places are real towns around Utrecht, practices are invented.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ontkoppel_desktop.core.personen import (
    Aios,
    Docent,
    DocentSoort,
    Groep,
    Koppeling,
    Medewerker,
    Naam,
    Opleider,
    Praktijk,
)
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.demo.werkdagen import werkdag_na, werkdag_voor
from ontkoppel_desktop.store.keys import KdfParams
from ontkoppel_desktop.store.store import Store

DEMO_WACHTWOORD = "demo-wachtwoord"

VOORNAMEN = (
    "Anne", "Bas", "Charlotte", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris", "Jasper", "Julia", "Koen",
    "Lieke", "Lotte", "Maarten", "Marloes", "Noor", "Olivier", "Pieter", "Roos", "Sanne", "Sem", "Thijs",
    "Tim", "Vera", "Wouter", "Yara", "Zoë", "Ahmed", "Fatima", "Mehmet", "Samira", "Youssef", "Priya",
    "Rohan", "Mei", "Chen", "Sophie", "Lars", "Floor", "Bram", "Esther", "Joris", "Merel", "Ruben", "Ilse",
    "Niels", "Emma", "Stijn", "Fleur", "Hidde", "Inge", "Mirjam", "Frank", "Karin", "Hans", "Margriet",
)
ACHTERNAMEN = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"), ("van", "Dijk"), ("", "Visser"),
    ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"),
    ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"),
    ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"),
    ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"),
    ("van den", "Broek"), ("de", "Bruijn"), ("", "Schouten"), ("van", "Beek"), ("", "Willems"), ("", "Hoekstra"),
    ("", "Koster"), ("", "Prins"), ("", "Huisman"), ("", "Kuipers"), ("", "Yılmaz"), ("", "El Amrani"),
    ("", "Öztürk"), ("", "Bouzid"), ("", "Sharma"), ("", "Nguyen"), ("", "Wang"), ("", "Postma"),
)
PLAATSEN = (
    "Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "IJsselstein", "Veenendaal", "Woerden",
    "Bilthoven", "Maarssen", "Driebergen", "Culemborg", "Leusden", "Soest", "Baarn", "Wijk bij Duurstede",
)
PRAKTIJK_WOORDEN = (
    "Huisartsenpraktijk De Linde", "Gezondheidscentrum Oost", "Huisartsen aan de Vecht", "Praktijk Het Plein",
    "Huisartsenpraktijk De Brug", "Gezondheidscentrum Noord", "Huisartsen De Wetering", "Praktijk Lindenhof",
    "Huisartsenpraktijk De Kruidtuin", "Gezondheidscentrum Parkwijk", "Huisartsen Het Kwartier",
    "Praktijk De Boomgaard", "Huisartsenpraktijk Zuid", "Gezondheidscentrum De Hoven", "Praktijk Schoolstraat",
)


@dataclass(frozen=True)
class DemoOmvang:
    praktijken: int = 34
    opleiders: int = 70
    groepen_per_jaar: int = 3
    aios_per_groep: int = 14


class NameGenerator:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[tuple[str, str, str]] = set()

    def __call__(self) -> Naam:
        for _ in range(50):
            voornaam = self._rng.choice(VOORNAMEN)
            tussenvoegsel, achternaam = self._rng.choice(ACHTERNAMEN)
            key = (voornaam, tussenvoegsel, achternaam)
            if key not in self._used:
                self._used.add(key)
                return Naam(voornaam, tussenvoegsel, achternaam)
        return Naam(voornaam, tussenvoegsel, achternaam)


def _cohort_start(today: date, opleidingsjaar: int, rng: random.Random) -> date:
    """Aios start in March, June, September or December (AMC kaders), on the first working day of the month;
    year n started n-1 years and a few months ago, never in the future."""
    months_back = 12 * (opleidingsjaar - 1) + rng.randrange(0, 10)
    index = today.year * 12 + (today.month - 1) - months_back
    index -= (index + 1) % 3  # back to the nearest March/June/September/December
    while True:
        year, month0 = divmod(index, 12)
        start = werkdag_na(date(year, month0 + 1, 1))
        if start <= today:
            return start
        index -= 3  # this month's first working day is still to come: the cohort before


def fill(store: Store, today: date | None = None, omvang: DemoOmvang = DemoOmvang(), seed: int = 2023) -> None:
    """Write the demo population into an empty store, in one transaction, through the services (the same
    rules as when it is typed in)."""
    today = today or date.today()
    rng = random.Random(seed)
    naam = NameGenerator(rng)
    repo = store.personen
    with store.transactions.transaction():
        praktijken = [
            Praktijk(PRAKTIJK_WOORDEN[i % len(PRAKTIJK_WOORDEN)], PLAATSEN[i % len(PLAATSEN)])
            for i in range(omvang.praktijken)
        ]
        for praktijk in praktijken:
            repo.save_praktijk(praktijk)
        opleiders: list[Opleider] = []
        for i in range(omvang.opleiders):
            duo = i % 9 == 4
            opleider = Opleider(
                naam(),
                praktijken[i % len(praktijken)].id,
                curriculumjaar=rng.choice((1, 2, 3, 4)) if rng.random() < 0.3 else None,
                begeleidt_coassistent=rng.random() < 0.25,
                duo_opleider=duo,
                aanwezigheidspercentage=rng.choice((40, 50, 60)) if duo else 100,
                hoofdopleider=not duo or i % 2 == 0,
            )
            repo.save_opleider(opleider)
            opleiders.append(opleider)
        for rol, jaar in [
            *((Rol.MANAGER_OPLEIDING, j) for j in (1, 2, 3)),
            *((Rol.JAARASSISTENT, j) for j in (1, 2, 3)),
            (Rol.MANAGER_OPLEIDERS, None),
            (Rol.ASSISTENT_MANAGER_OPLEIDERS, None),
            (Rol.ASSISTENT_MANAGER_OPLEIDERS, None),
            (Rol.PLV_HOOFD, None),
            (Rol.BELEIDSMEDEWERKER, None),
        ]:
            repo.save_medewerker(Medewerker(naam(), rol, jaar))
        aios_list: list[Aios] = []
        for jaar in (1, 2, 3):
            for g in range(omvang.groepen_per_jaar):
                ha, gw = Docent(naam(), DocentSoort.HUISARTS), Docent(naam(), DocentSoort.GEDRAGSWETENSCHAPPER)
                repo.save_docent(ha)
                repo.save_docent(gw)
                groep = Groep(f"Groep {jaar}{'ABCDEFGH'[g]}", jaar, ha.id, gw.id)
                repo.save_groep(groep)
                start = _cohort_start(today, jaar, rng)
                for _ in range(omvang.aios_per_groep):
                    aios = Aios(naam(), jaar, start, rng.choice((100, 100, 100, 90, 80, 70, 60)), groep.id)
                    repo.save_aios(aios, today=today)
                    aios_list.append(aios)
        # Current koppelingen for the GP years 1 and 3 (year 2 has external stages).
        vrije = [o for o in opleiders]
        rng.shuffle(vrije)
        for aios in aios_list:
            if aios.opleidingsjaar == 2 or not vrije:
                continue
            gekozen = next((o for o in vrije if aios.opleidingsjaar == 1 or o.ervaren), None)
            if gekozen is None:
                continue
            vrije.remove(gekozen)
            opleider = gekozen
            assert aios.id is not None and opleider.id is not None and aios.startdatum_opleiding
            start = max(aios.startdatum_opleiding, werkdag_voor(today - timedelta(days=300)))
            repo.save_koppeling(Koppeling(aios.id, opleider.id, start), today=today)
        _demo_trajecten(store, today, [o.id for o in vrije if o.id is not None])
        _demo_verslagen(store, today)
        _demo_ronde(store, today)


def _demo_ronde(store: Store, today: date) -> None:
    """A matchingsronde for the next start date (March, June, September or December), ready on the board."""
    from ontkoppel_desktop.demo.rondes import maak_demo_ronde
    from ontkoppel_desktop.store.ronde_personen import next_start

    start = werkdag_na(next_start(today))
    ronde = maak_demo_ronde(aantal_aios=24, aantal_opleiders=30, seed=7, startdatum=start)
    store.rondes.add(ronde)


def _demo_trajecten(store: Store, today: date, vrije_opleiders: list[int]) -> None:
    """Trajecten in every phase, some overdue (issue 3), on koppelingen that ran a while before."""
    from ontkoppel_desktop.demo.trajecten import DemoKoppeling, demo_trajecten

    service = store.trajecten
    oud_genoeg = [
        DemoKoppeling(k.id, k.aios_id, k.opleider_id)
        for k in store.personen.koppelingen()
        if k.id is not None and k.startdatum <= today - timedelta(days=150)
    ]
    definition = service.registry.current()
    gekozen = oud_genoeg[:14]
    facts = {k.aios_id: f for k in gekozen if (f := service.facts(k.aios_id)) is not None}
    trajecten = demo_trajecten(definition, gekozen, vrije_opleiders, today, user="Demo", facts=facts, verslagen=True)
    for traject in trajecten:
        service.replay(traject, today=today)
    # On a working day: 24 days after 1 December is Eerste Kerstdag.
    service.add_agenda(werkdag_na(today + timedelta(days=24)), "Opleidersterugkomdag (najaar)", today=today)
    service.add_agenda(werkdag_na(today + timedelta(days=115)), "Opleidersterugkomdag (voorjaar)", today=today)


def _demo_verslagen(store: Store, today: date) -> None:
    """The gespreksverslagen of the demo trajecten, in every state, by one of the demo's docenten."""
    from ontkoppel_desktop.demo.verslagen import demo_auteur, vul_verslagen

    vul_verslagen(store, today, demo_auteur(store))


def synthetic_aios(count: int, seed: int = 7) -> Iterator[Aios]:
    """Many aios for load tests and benchmarks."""
    rng = random.Random(seed)
    for i in range(count):
        tussen, achter = rng.choice(ACHTERNAMEN)
        yield Aios(
            Naam(rng.choice(VOORNAMEN), tussen, f"{achter}{'' if i < len(ACHTERNAMEN) else i}"),
            rng.choice((1, 2, 3)),
            date(2024 + rng.randrange(3), rng.choice((3, 6, 9, 12)), 1),
            rng.choice((100, 80, 60)),
        )


def create_demo_store(path: Path, today: date | None = None, kdf: KdfParams | None = None) -> Store:
    nieuw = Store.create(path, DEMO_WACHTWOORD, kdf, controleer_sterkte=False)
    fill(nieuw.store, today)
    return nieuw.store
