"""Whether a ronde keeps the rules of the koppelingsprocedure: every problem of the input at once, each naming the
aios or opleider and pointing into the list it comes from, so an import can name the row. The rules of one pair
are `paarregels`.

How the scores are read (AMC kaders: "Aios geven hun voorkeur aan door te scoren van 1 t/m 4 (5 indien 5
gesprekken hebben plaatsgevonden)"; the issue: "each score is used once per aios"): the scores of one aios
rank the practices it visited. With n bezoeken (at most 5) the scores are exactly 1 to n, each once:

- 4 bezoeken: 1, 2, 3, 4; 5 bezoeken: 1 to 5. Score 5 only after 5 gesprekken.
- Fewer bezoeken (after prior consultation with the secretariaat): 1 to n. A gap ("1, 2, 4" after three
  bezoeken) is a *ontbrekende score* — the ranking has a hole, so score 4 would rank as a 3rd choice.
- A bezoek without a score is an ontbrekende score; a score used twice is a dubbele score.

The score is then also the keuze: score 1 is the 1e keuze.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.koppelplanner.paarregels import Regel, RondeIndex
from ontkoppel_desktop.core.koppelplanner.ronde import (
    KOPPEL_OPLEIDINGSJAREN,
    MAX_BEZOEKEN,
    MAX_SCORE,
    MAX_SCORE_NORMAAL,
    MIN_AANWEZIGHEID_DUO,
    MIN_DEELTIJD,
    STARTMAANDEN,
    Afwijzing,
    Aios,
    Opleider,
    Ronde,
    Uitzondering,
    Vastzetting,
    datum_nl,
)


class Onderdeel(StrEnum):
    """Which list of the ronde a problem points into (with `Probleem.index`), so an import can name its row."""

    RONDE = "ronde"
    AIOS = "aios"
    OPLEIDER = "opleider"
    BEZOEK = "bezoek"
    AFWIJZING = "afwijzing"
    VASTZETTING = "vastzetting"
    UITZONDERING = "uitzondering"


@dataclass(frozen=True, slots=True)
class Probleem:
    """One broken rule. `bericht` is Dutch and names the aios or opleider; `veld` is the attribute name of the
    offending field (e.g. "score"), None when the whole record is at fault."""

    regel: Regel
    bericht: str
    onderdeel: Onderdeel
    index: int | None = None
    veld: str | None = None
    aios_id: str | None = None
    opleider_id: str | None = None

    def __str__(self) -> str:
        return self.bericht


class RondeOngeldig(ValidatieFout):
    """The ronde breaks rules; `details` holds every Probleem (the message lists them all)."""

    def __init__(self, problemen: list[Probleem]) -> None:
        self.details = list(problemen)
        super().__init__([p.bericht for p in problemen])


def _blank(text: str) -> bool:
    return not text.strip()


def _aios(idx: RondeIndex, aios_id: str) -> str:
    """An aios in a problem of the ronde as imported: with the id, the key its rows in the workbook use."""
    return idx.aios_wie(aios_id, werkmap=True)


def _opleider(idx: RondeIndex, opleider_id: str) -> str:
    return idx.opleider_wie(opleider_id, werkmap=True)


def validate(ronde: Ronde, idx: RondeIndex | None = None) -> list[Probleem]:
    """Every problem in the ronde, in input order per list; an empty list means the ronde can be solved.

    `idx`: the ronde's lookups when the caller has built them (they are built here otherwise); when there is no
    problem they are marked `geldig`, so a Koppelplanner on them does not validate the ronde again."""
    if idx is None:
        idx = RondeIndex.build(ronde)
    elif idx.ronde is not ronde:
        raise ValueError("idx holds the lookups of another ronde")
    problemen: list[Probleem] = []
    problemen += _check_ronde(ronde)
    problemen += _check_aios(ronde)
    problemen += _check_opleiders(ronde)
    problemen += _check_bezoeken(ronde, idx)
    problemen += _check_afwijzingen(ronde, idx)
    problemen += _check_vastzettingen(ronde, idx)
    problemen += _check_uitzonderingen(ronde, idx)
    idx.geldig = not problemen
    return problemen


def startdatum_problemen(ronde: Ronde, today: date | None = None) -> list[Probleem]:
    """The startdatum lies in the plausible range (core.plausibel.RONDE_START), so a typo such as year 9999 is
    refused where a ronde enters the app (import, the store).

    Not part of `validate`: a ronde that was plausible when stored keeps opening, however long ago that was."""
    if ronde.startdatum is None:
        return []
    # Imported here: the range's calendar (holidays) is only needed when a ronde enters the app.
    from ontkoppel_desktop.core import plausibel

    bericht = plausibel.probleem("De startdatum van de ronde", ronde.startdatum, plausibel.RONDE_START, today)
    return [Probleem(Regel.STARTDATUM, bericht, Onderdeel.RONDE, veld="startdatum")] if bericht else []


def _check_ronde(ronde: Ronde) -> list[Probleem]:
    problemen: list[Probleem] = []
    if ronde.startdatum is not None and ronde.startdatum.month not in STARTMAANDEN:
        problemen.append(Probleem(
            Regel.STARTDATUM,
            f"De startdatum {datum_nl(ronde.startdatum)} valt niet in maart, juni, september of december; "
            "de kaders van de koppelingsprocedure kennen alleen die startmomenten.",
            Onderdeel.RONDE, veld="startdatum",
        ))
    if not ronde.aios:
        problemen.append(Probleem(Regel.GEEN_AIOS, "De ronde heeft geen aios.", Onderdeel.RONDE))
    if not ronde.opleiders:
        problemen.append(Probleem(Regel.GEEN_OPLEIDERS, "De ronde heeft geen opleiders.", Onderdeel.RONDE))
    return problemen


def _check_aios(ronde: Ronde) -> list[Probleem]:
    problemen: list[Probleem] = []
    for aios, add in _people(problemen, ronde.aios, Onderdeel.AIOS):
        if aios.opleidingsjaar not in KOPPEL_OPLEIDINGSJAREN:
            add(
                Regel.OPLEIDINGSJAAR,
                f"{aios.wie_in_werkmap} heeft opleidingsjaar {aios.opleidingsjaar}; in een koppelingsronde worden "
                "alleen 1e en 3e jaars aios gekoppeld.",
                "opleidingsjaar",
            )
        if not MIN_DEELTIJD <= aios.deeltijdpercentage <= 100:
            add(
                Regel.DEELTIJD,
                f"{aios.wie_in_werkmap} heeft deeltijdpercentage {aios.deeltijdpercentage}; dat ligt tussen "
                f"{MIN_DEELTIJD} en 100 %.",
                "deeltijdpercentage",
            )
    return problemen


def _check_opleiders(ronde: Ronde) -> list[Probleem]:
    problemen: list[Probleem] = []
    for opleider, add in _people(problemen, ronde.opleiders, Onderdeel.OPLEIDER):
        wie = opleider.wie_in_werkmap
        if _blank(opleider.praktijk):
            add(Regel.GEEN_PRAKTIJK, f"{wie} heeft geen praktijk.", "praktijk")
        if opleider.capaciteit < 1:
            add(
                Regel.CAPACITEIT,
                f"{wie} heeft capaciteit {opleider.capaciteit}; een opleider die meedoet neemt minstens één aios "
                "(laat een opleider die niet meedoet weg, of zet een blokkade).",
                "capaciteit",
            )
        if not 0 < opleider.aanwezigheidspercentage <= 100:
            add(
                Regel.AANWEZIGHEID,
                f"{wie} heeft aanwezigheid {opleider.aanwezigheidspercentage} %; dat ligt tussen 1 en 100 %.",
                "aanwezigheidspercentage",
            )
        elif opleider.duo_opleider and opleider.aanwezigheidspercentage < MIN_AANWEZIGHEID_DUO:
            add(
                Regel.DUO_AANWEZIGHEID,
                f"{wie} is duo-opleider en {opleider.aanwezigheidspercentage} % aanwezig; een duo-opleider dient "
                f"minimaal {MIN_AANWEZIGHEID_DUO}% aanwezig te zijn.",
                "aanwezigheidspercentage",
            )
    return problemen


_Add = Callable[[Regel, str, str | None], None]
_Person = TypeVar("_Person", Aios, Opleider)


def _people(
    problemen: list[Probleem], people: Iterable[_Person], onderdeel: Onderdeel
) -> Iterator[tuple[_Person, _Add]]:
    """Each aios (or opleider) after the checks of its id and naam, with `add(regel, bericht, veld)` that records a
    problem of it into `problemen`."""
    is_aios = onderdeel is Onderdeel.AIOS
    soort, bij = ("Aios", "de aios") if is_aios else ("Opleider", "de opleiders")
    seen: set[str] = set()
    for i, person in enumerate(people):
        ident = person.id or None
        add = _adder(problemen, onderdeel, i, ident if is_aios else None, None if is_aios else ident)
        if _blank(person.id):
            add(Regel.LEEG_ID, f"{soort} {person.naam or '(zonder naam)'} heeft geen id.", "id")
        elif person.id in seen:
            add(Regel.DUBBEL_ID, f"Het id {person.id} komt meer dan één keer voor bij {bij}.", "id")
        seen.add(person.id)
        if _blank(person.naam):
            add(Regel.LEGE_NAAM, f"{person.wie_in_werkmap} heeft geen naam.", "naam")
        yield person, add


def _adder(
    problemen: list[Probleem], onderdeel: Onderdeel, i: int, aios_id: str | None, opleider_id: str | None
) -> _Add:
    def add(regel: Regel, bericht: str, veld: str | None) -> None:
        problemen.append(Probleem(regel, bericht, onderdeel, i, veld, aios_id, opleider_id))

    return add


def _unknown(
    idx: RondeIndex, onderdeel: Onderdeel, i: int, aios_id: str, opleider_id: str, wat: str
) -> list[Probleem]:
    problemen: list[Probleem] = []
    if aios_id not in idx.aios:
        problemen.append(Probleem(
            Regel.ONBEKENDE_AIOS,
            f"{wat} noemt aios {aios_id or '(leeg)'}, maar die staat niet bij de aios van deze ronde.",
            onderdeel, i, "aios_id", aios_id=aios_id or None, opleider_id=opleider_id or None,
        ))
    if opleider_id not in idx.opleiders:
        problemen.append(Probleem(
            Regel.ONBEKENDE_OPLEIDER,
            f"{wat} noemt opleider {opleider_id or '(leeg)'}, maar die staat niet bij de opleiders van deze ronde.",
            onderdeel, i, "opleider_id", aios_id=aios_id or None, opleider_id=opleider_id or None,
        ))
    return problemen


def _check_bezoeken(ronde: Ronde, idx: RondeIndex) -> list[Probleem]:
    problemen: list[Probleem] = []
    per_aios: dict[str, list[int]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for i, bezoek in enumerate(ronde.bezoeken):
        unknown = _unknown(
            idx, Onderdeel.BEZOEK, i, bezoek.aios_id, bezoek.opleider_id,
            f"Het bezoek van {bezoek.aios_id} bij {bezoek.opleider_id}",
        )
        problemen += unknown
        key = (bezoek.aios_id, bezoek.opleider_id)
        if key in seen:
            problemen.append(Probleem(
                Regel.DUBBEL_BEZOEK,
                f"{_aios(idx, bezoek.aios_id)} heeft {_opleider(idx, bezoek.opleider_id)} meer dan één keer "
                "gescoord; één score per bezochte praktijk.",
                Onderdeel.BEZOEK, i, None, bezoek.aios_id, bezoek.opleider_id,
            ))
            continue
        seen.add(key)
        per_aios[bezoek.aios_id].append(i)

    for aios_id, indices in per_aios.items():
        problemen += _check_scores_of(ronde, idx, aios_id, indices)
    problemen.sort(key=lambda p: p.index if p.index is not None else -1)
    return problemen


def _check_scores_of(ronde: Ronde, idx: RondeIndex, aios_id: str, indices: list[int]) -> list[Probleem]:
    """The scores of one aios form the ranking 1..n (see the module docstring)."""
    problemen: list[Probleem] = []
    wie = _aios(idx, aios_id)
    n = len(indices)

    def add(regel: Regel, bericht: str, i: int, veld: str | None = "score") -> None:
        problemen.append(Probleem(
            regel, bericht, Onderdeel.BEZOEK, i, veld, aios_id, ronde.bezoeken[i].opleider_id
        ))

    if n > MAX_BEZOEKEN:
        for volgnummer, i in enumerate(indices[MAX_BEZOEKEN:], start=MAX_BEZOEKEN + 1):
            add(
                Regel.TE_VEEL_BEZOEKEN,
                f"{wie} heeft een {volgnummer}e bezoek ({_opleider(idx, ronde.bezoeken[i].opleider_id)}); "
                f"een aios bezoekt maximaal {MAX_BEZOEKEN} praktijken.",
                i, None,
            )
    hoogste = MAX_SCORE if n >= MAX_BEZOEKEN else MAX_SCORE_NORMAAL
    eerste: dict[int, int] = {}
    zonder_score = False
    for i in indices:
        bezoek = ronde.bezoeken[i]
        bij = _opleider(idx, bezoek.opleider_id)
        if bezoek.score is None:
            zonder_score = True
            add(Regel.ONTBREKENDE_SCORE, f"{wie} heeft {bij} bezocht maar geen score gegeven.", i)
            continue
        if not 1 <= bezoek.score <= hoogste:
            uitleg = (
                "score 5 alleen als er 5 gesprekken hebben plaatsgevonden"
                if bezoek.score == MAX_SCORE else "de scores lopen van 1 t/m 4 (5 indien 5 gesprekken)"
            )
            add(
                Regel.SCORE_BUITEN_BEREIK,
                f"{wie} gaf {bij} score {bezoek.score}; {uitleg}.",
                i,
            )
        elif bezoek.score in eerste:
            ander = _opleider(idx, ronde.bezoeken[eerste[bezoek.score]].opleider_id)
            add(
                Regel.DUBBELE_SCORE,
                f"{wie} gaf score {bezoek.score} aan zowel {ander} als {bij}; elke score wordt één keer gebruikt.",
                i,
            )
        else:
            eerste[bezoek.score] = i
    if not zonder_score and n <= MAX_BEZOEKEN:
        for score in range(1, n + 1):
            if score not in eerste:
                add(
                    Regel.ONTBREKENDE_SCORE,
                    f"{wie} mist score {score}: bij {n} bezoeken horen de scores 1 t/m {n}, elk één keer.",
                    indices[0],
                )
    return problemen


def _check_afwijzingen(ronde: Ronde, idx: RondeIndex) -> list[Probleem]:
    problemen: list[Probleem] = []
    eerste: dict[str, Afwijzing] = {}
    for i, afwijzing in enumerate(ronde.afwijzingen):
        problemen += _unknown(
            idx, Onderdeel.AFWIJZING, i, afwijzing.aios_id, afwijzing.opleider_id,
            f"De afwijzing van {afwijzing.aios_id} door {afwijzing.opleider_id}",
        )
        opleider = _opleider(idx, afwijzing.opleider_id)
        aios = _aios(idx, afwijzing.aios_id)
        if _blank(afwijzing.motivatie):
            problemen.append(Probleem(
                Regel.AFWIJZING_ZONDER_MOTIVATIE,
                f"{opleider} wijst {aios} af zonder motivatie; een opleider mag één kandidaat afwijzen met een "
                "duidelijke motivatie.",
                Onderdeel.AFWIJZING, i, "motivatie", afwijzing.aios_id, afwijzing.opleider_id,
            ))
        vorige = eerste.get(afwijzing.opleider_id)
        if vorige is None:
            eerste[afwijzing.opleider_id] = afwijzing
        else:
            problemen.append(Probleem(
                Regel.TWEEDE_AFWIJZING,
                f"{opleider} wijst naast {_aios(idx, vorige.aios_id)} ook {aios} af; een opleider heeft het "
                "recht om één kandidaat af te wijzen.",
                Onderdeel.AFWIJZING, i, None, afwijzing.aios_id, afwijzing.opleider_id,
            ))
    return problemen


def _check_vastzettingen(ronde: Ronde, idx: RondeIndex) -> list[Probleem]:
    problemen: list[Probleem] = []
    for i, vast in enumerate(ronde.vastzettingen):
        problemen += _check_named_with_reden(
            idx, Onderdeel.VASTZETTING, i, vast, "De vastzetting van", Regel.VASTZETTING_ZONDER_REDEN
        )
    problemen += fixed_pair_problems(
        idx, [(v.aios_id, v.opleider_id) for v in ronde.vastzettingen], Onderdeel.VASTZETTING, "vastzetting"
    )
    return problemen


def _check_named_with_reden(
    idx: RondeIndex,
    onderdeel: Onderdeel,
    i: int,
    record: Vastzetting | Uitzondering,
    wat: str,
    zonder_reden: Regel,
    waarom: str = "",
) -> list[Probleem]:
    """A vastzetting or uitzondering names an aios and an opleider of the ronde and gives its reden. `wat` starts
    the message ("De vastzetting van"); `waarom` follows "heeft geen reden"."""
    problemen = _unknown(
        idx, onderdeel, i, record.aios_id, record.opleider_id, f"{wat} {record.aios_id} bij {record.opleider_id}"
    )
    if _blank(record.reden):
        problemen.append(Probleem(
            zonder_reden,
            f"{wat} {_aios(idx, record.aios_id)} bij {_opleider(idx, record.opleider_id)} heeft geen "
            f"reden{waarom}.",
            onderdeel, i, "reden", record.aios_id, record.opleider_id,
        ))
    return problemen


def fixed_pair_problems(
    idx: RondeIndex,
    pairs: Iterable[tuple[str, str]],
    onderdeel: Onderdeel,
    wat: str,
    already: Iterable[tuple[str, str]] = (),
    *,
    werkmap: bool = True,
) -> list[Probleem]:
    """Fixed pairs (vastzettingen, or pins from the board on top of `already` fixed ones) must each keep the
    rules, hold one aios once, and fit the opleider's capaciteit. `werkmap`: name aios and opleiders with the ids
    of the workbook (an import); a pin on the board names them without."""
    problemen: list[Probleem] = []
    taken: dict[str, str] = {}
    load: Counter[str] = Counter()
    for aios_id, opleider_id in already:
        taken[aios_id] = opleider_id
        load[opleider_id] += 1
    for i, (aios_id, opleider_id) in enumerate(pairs):
        if aios_id not in idx.aios or opleider_id not in idx.opleiders:
            continue
        aios = idx.aios_wie(aios_id, werkmap=werkmap)
        opleider = idx.opleiders[opleider_id]
        opleider_wie = idx.opleider_wie(opleider_id, werkmap=werkmap)
        if aios_id in taken:
            if taken[aios_id] != opleider_id:
                problemen.append(Probleem(
                    Regel.DUBBELE_VASTZETTING,
                    f"{aios} is al vastgezet bij {idx.opleider_wie(taken[aios_id], werkmap=werkmap)} en kan niet "
                    f"ook bij {opleider_wie} worden vastgezet.",
                    onderdeel, i, "opleider_id", aios_id, opleider_id,
                ))
            continue
        for bezwaar in idx.pair_rules(aios_id, opleider_id, werkmap=werkmap):
            problemen.append(Probleem(
                bezwaar.regel, f"Deze {wat} kan niet: {bezwaar.bericht}", onderdeel, i, None, aios_id, opleider_id
            ))
        taken[aios_id] = opleider_id
        load[opleider_id] += 1
        if load[opleider_id] > opleider.capaciteit:
            problemen.append(Probleem(
                Regel.CAPACITEIT_VOL,
                f"{opleider_wie} heeft capaciteit {opleider.capaciteit} en kan {aios} niet ook nog krijgen "
                f"({wat}).",
                onderdeel, i, None, aios_id, opleider_id,
            ))
    return problemen


def _check_uitzonderingen(ronde: Ronde, idx: RondeIndex) -> list[Probleem]:
    problemen: list[Probleem] = []
    for i, uitz in enumerate(ronde.uitzonderingen):
        problemen += _check_named_with_reden(
            idx, Onderdeel.UITZONDERING, i, uitz, "De uitzondering voor", Regel.UITZONDERING_ZONDER_REDEN,
            "; niet bezoeken kan alleen na overleg, om zwaarwegende redenen",
        )
        known = uitz.aios_id in idx.aios and uitz.opleider_id in idx.opleiders
        if known and (uitz.aios_id, uitz.opleider_id) in idx.afwijzingen:
            problemen.append(Probleem(
                Regel.AFGEWEZEN,
                f"De uitzondering voor {_aios(idx, uitz.aios_id)} bij {_opleider(idx, uitz.opleider_id)} "
                "kan niet: de opleider heeft deze aios afgewezen.",
                Onderdeel.UITZONDERING, i, None, uitz.aios_id, uitz.opleider_id,
            ))
    return problemen
