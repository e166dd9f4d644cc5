"""Fictitious koppelingsrondes for tests, the bench and the app's demo data.

Every person is made up: a common Dutch first name combined with a common surname, never a real person's record.
Practices are named after made-up streets and quarters in real towns. The same seed gives the same ronde.

The shape follows the kaders: 1st and 3rd-year aios, most visiting 4 practices (some 5, a few 3 after
consultation), scores 1..n per aios; opleiders in the curriculum (1st years only) or ervaren; some with a
coassistent, a few with a blokkade, a duo-opleider now and then; a few afwijzingen with a motivation; a vastzetting
for an aios returning after pregnancy leave; an uitzondering for an aios who could not visit one practice.
"""

from __future__ import annotations

import random
from datetime import date

from ontkoppel_desktop.core.koppelplanner.ronde import (
    MAX_BEZOEKEN,
    Afwijzing,
    Aios,
    Bezoek,
    Opleider,
    OpleiderStatus,
    Ronde,
    Uitzondering,
    Vastzetting,
)

_VOORNAMEN = (
    "Anna", "Bram", "Daan", "Emma", "Fleur", "Noor", "Lars", "Sanne", "Thijs", "Julia", "Ruben", "Lotte",
    "Sem", "Eva", "Jesse", "Iris", "Milan", "Femke", "Luuk", "Anouk", "Tim", "Lisa", "Bas", "Roos", "Stijn",
    "Maud", "Joost", "Sophie", "Niels", "Esther", "Koen", "Ilse", "Wouter", "Merel", "Jeroen", "Floor",
    "Yara", "Mohamed", "Fatima", "Youssef", "Aylin", "Emre", "Priya", "Rohan", "Mei", "Kofi", "Amira", "Hamza",
)
_ACHTERNAMEN = (
    "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
    "Brouwer", "Dijkstra", "Kok", "Jacobs", "Vermeulen", "Willems", "Hoekstra", "Koster", "Prins", "Kuipers",
    "Veenstra", "Post", "Schouten", "Blom", "Huisman", "Kramer", "Hermans", "Molenaar", "Wijnands", "Bosman",
    "Groen", "Sari", "Yilmaz", "Ramdin", "Tahiri", "Boukhari", "Lie", "Mahabier", "Haddou", "Verhoef", "Kroon",
    "de Vries", "van Dijk", "de Jong", "van den Berg", "van der Meer", "de Boer", "van Leeuwen", "de Graaf",
    "van der Linden", "ter Horst", "van de Ven", "de Wit",
)
_PLAATSEN = (
    "Amsterdam", "Amstelveen", "Haarlem", "Zaandam", "Hoofddorp", "Purmerend", "Almere", "Hilversum",
    "Diemen", "Weesp", "Alkmaar", "Heemstede", "Uithoorn", "Abcoude", "Edam", "Volendam",
)
_PRAKTIJKSOORTEN = ("Huisartsenpraktijk", "Gezondheidscentrum", "Huisartsen", "Huisartsenpraktijk")
_PRAKTIJKNAMEN = (
    "De Linde", "Het Anker", "De Meerlanden", "Oosterpark", "De Vijverhof", "Zuiderhout", "De Kolk",
    "Het Baken", "De Weide", "Westerkwartier", "De Poort", "Rozenhof", "Het Lindeplein", "De Brink",
    "Noorderlicht", "De Esch", "Zonnehof", "De Hoeksteen", "Het Gein", "De Waterlelie",
)
_MOTIVATIES = (
    "Eerder als anios in deze praktijk gewerkt; een nieuwe leeromgeving past beter.",
    "Familierelatie met een medewerker van de praktijk.",
    "De aios woont in het verzorgingsgebied en is patiënt van de praktijk.",
    "Bij het gesprek bleek de gewenste differentiatie niet in deze praktijk mogelijk.",
)
_VASTGEZET_REDEN = "Terug naar dezelfde praktijk na zwangerschapsverlof (kaders: Zwangerschap)."
_UITZONDERING_REDEN = "Eén bezoek niet mogelijk door ziekte; vooraf overlegd met het secretariaat."


def _naam(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        naam = f"{rng.choice(_VOORNAMEN)} {rng.choice(_ACHTERNAMEN)}"
        if naam not in used:
            used.add(naam)
            return naam
    naam = f"{rng.choice(_VOORNAMEN)} {rng.choice('ABCDEFGHJKLMNPRSTVW')}. {rng.choice(_ACHTERNAMEN)}"
    used.add(naam)
    return naam


def _praktijken(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        naam = f"{rng.choice(_PRAKTIJKSOORTEN)} {rng.choice(_PRAKTIJKNAMEN)}, {rng.choice(_PLAATSEN)}"
        if naam in seen:
            naam = f"{naam} ({len(names) + 1})"
        seen.add(naam)
        names.append(naam)
    return names


def maak_demo_ronde(
    aantal_aios: int = 60,
    aantal_opleiders: int = 80,
    seed: int = 1,
    startdatum: date = date(2027, 3, 1),
    vastzettingen: int | None = None,
    uitzonderingen: int | None = None,
) -> Ronde:
    """A valid fictitious ronde. `vastzettingen`/`uitzonderingen` default to about one per 40 and 60 aios."""
    rng = random.Random(seed)
    used: set[str] = set()
    width = max(3, len(str(max(aantal_aios, aantal_opleiders))))

    aios = [
        Aios(
            id=f"A{i:0{width}d}",
            naam=_naam(rng, used),
            opleidingsjaar=1 if rng.random() < 0.6 else 3,
            deeltijdpercentage=100 if rng.random() < 0.7 else rng.choice((60, 70, 80, 90)),
        )
        for i in range(1, aantal_aios + 1)
    ]

    # Most practices have one opleider, some two (each with an own place).
    praktijken = _praktijken(rng, max(1, int(aantal_opleiders * 0.85)))
    opleiders: list[Opleider] = []
    for i in range(1, aantal_opleiders + 1):
        praktijk = praktijken[i - 1] if i <= len(praktijken) else rng.choice(praktijken)
        duo = rng.random() < 0.08
        opleiders.append(Opleider(
            id=f"O{i:0{width}d}",
            naam=_naam(rng, used),
            praktijk=praktijk,
            status=OpleiderStatus.CURRICULUM if rng.random() < 0.25 else OpleiderStatus.ERVAREN,
            coassistent=rng.random() < 0.2,
            blokkade=rng.random() < 0.03,
            capaciteit=2 if rng.random() < 0.08 else 1,
            duo_opleider=duo,
            aanwezigheidspercentage=rng.choice((40, 50, 60)) if duo else 100,
        ))

    # Popular practices draw more visits: a skewed weight, shuffled over the opleiders.
    weights = [1.0 / (rank + 10) ** 0.6 for rank in range(aantal_opleiders)]
    rng.shuffle(weights)
    popularity = {o.id: w for o, w in zip(opleiders, weights, strict=True)}
    for_year = {
        1: [o for o in opleiders if not o.blokkade],
        3: [o for o in opleiders if not o.blokkade and o.status is OpleiderStatus.ERVAREN],
    }

    n_vast = vastzettingen if vastzettingen is not None else aantal_aios // 40
    n_uitz = uitzonderingen if uitzonderingen is not None else aantal_aios // 60
    returning = set(rng.sample([a.id for a in aios if a.opleidingsjaar == 1], k=min(n_vast, aantal_aios)))

    bezoeken: list[Bezoek] = []
    visited: dict[str, list[str]] = {}
    for a in aios:
        if a.id in returning:
            continue
        pool = for_year[a.opleidingsjaar]
        aantal = rng.choices((3, 4, MAX_BEZOEKEN), weights=(15, 70, 15))[0]
        aantal = min(aantal, len(pool))
        chosen: list[Opleider] = []
        while len(chosen) < aantal:
            pick = rng.choices(pool, weights=[popularity[o.id] for o in pool])[0]
            if pick not in chosen:
                chosen.append(pick)
        # The aios ranks them: mostly by how attractive the practice is, with a personal touch.
        ranked = sorted(chosen, key=lambda o: -popularity[o.id] * rng.uniform(0.5, 1.5))
        visited[a.id] = [o.id for o in ranked]
        bezoeken += [Bezoek(a.id, o.id, score) for score, o in enumerate(ranked, start=1)]

    visitors: dict[str, list[str]] = {}
    for b in bezoeken:
        visitors.setdefault(b.opleider_id, []).append(b.aios_id)
    afwijzingen: list[Afwijzing] = []
    for o in opleiders:
        if o.id in visitors and rng.random() < 0.08:
            afwijzingen.append(Afwijzing(o.id, rng.choice(visitors[o.id]), rng.choice(_MOTIVATIES)))

    vast: list[Vastzetting] = []
    taken: set[str] = set()
    for aios_id in sorted(returning):
        options = [o for o in for_year[1] if o.id not in taken]
        if options:
            pick = rng.choice(options)
            taken.add(pick.id)
            vast.append(Vastzetting(aios_id, pick.id, _VASTGEZET_REDEN))

    rejected = {(af.aios_id, af.opleider_id) for af in afwijzingen}
    uitz: list[Uitzondering] = []
    for a in rng.sample([a for a in aios if a.id in visited], k=min(n_uitz, len(visited))):
        options = [
            o for o in for_year[a.opleidingsjaar]
            if o.id not in visited[a.id] and (a.id, o.id) not in rejected
        ]
        if options:
            uitz.append(Uitzondering(a.id, rng.choice(options).id, _UITZONDERING_REDEN))

    return Ronde(
        aios=tuple(aios),
        opleiders=tuple(opleiders),
        bezoeken=tuple(bezoeken),
        afwijzingen=tuple(afwijzingen),
        vastzettingen=tuple(vast),
        uitzonderingen=tuple(uitz),
        startdatum=startdatum,
        naam=f"Demo {seed}",
    )
