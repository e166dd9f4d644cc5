"""Inzage (AVG art. 15): everything the store holds about one aios or opleider, as plain data for one document.

The store gathers it (store/inzage.py), documents/inzage.py writes it. What belongs to the person and what to others:
- their own row, their koppelingen (the other party's name is part of the koppeling), every traject in which they
  are the aios or the opleider, with every event as recorded (free text included) and its history (who recorded what,
  when; what was withdrawn or corrected, by whom and why);
- of each verslag every version with its status, and of a gesprek with two verslagen the one about them: the procedure
  says for whom each is written (the e-portfolio of the aios, the dossier of the opleider), and what is written for one
  never reaches the other. Answers that belong to no verslag go to both;
- an opleider named in someone else's traject (a kandidaat, the new opleider) sees only the events that name them, and
  the verslagen whose answers name them;
- in a koppelronde an aios's own entry, their bezoeken with the scores they gave (the opleiders named there are the
  aios's own choices), afwijzing, vastzetting, uitzondering and result; an opleider's own entry, the number of
  bezoeken (the aios's scores are the aios's data), and what concerns them directly (their afwijzing, a vastzetting
  or uitzondering at their practice, the aios they were given);
- never another aios's choices or scores, nor the name of an opleider that was considered in a traject for the aios
  of someone else. Free text is shown as it was written: whoever hands the document over checks it for data about
  others first (art. 15 lid 4), which the document says.

Qt-free and store-free: the ronde's part is computed here (`ronde_inzage`), the rest the store fills in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ontkoppel_desktop.core.bewaartermijn import AIOS, OPLEIDER, vouw
from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_desktop.core.koppelplanner.ronde import Ronde
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming

Feit = tuple[str, str]


@dataclass(frozen=True, slots=True)
class GebeurtenisRegel:
    datum: dt.date
    soort: str  # the kind's label
    wat: str  # the sentence the history shows, free text included
    gegevens: str  # the event's other data, "Label: waarde; ..."
    vastgelegd: str  # "door Docent Vos op 01-12-2026 14:05"
    stand: str = ""  # "ingetrokken" / "gecorrigeerd", with who, when and why


@dataclass(frozen=True, slots=True)
class BijlageRegel:
    id: int
    naam: str
    grootte: int
    toegevoegd: dt.datetime
    soort: str
    sha256: str


@dataclass(frozen=True, slots=True)
class VerslagDeelInzage:
    titel: str
    antwoorden: tuple[Feit, ...]


@dataclass(frozen=True, slots=True)
class VerslagInzage:
    id: int
    gesprek: str
    versie: int
    status: str
    feiten: tuple[Feit, ...]
    delen: tuple[VerslagDeelInzage, ...]
    bijlagen: tuple[BijlageRegel, ...] = ()


@dataclass(frozen=True, slots=True)
class TrajectInzage:
    id: int
    rol: str  # "aios van dit traject", ...
    feiten: tuple[Feit, ...]
    gebeurtenissen: tuple[GebeurtenisRegel, ...]
    verslagen: tuple[VerslagInzage, ...] = ()
    # False for an opleider only named in it: just the events and verslagen that name them.
    volledig: bool = True


@dataclass(frozen=True, slots=True)
class RondeInzage:
    naam: str
    startdatum: dt.date
    feiten: tuple[Feit, ...]
    # An aios's bezoeken: (opleider, praktijk, score).
    keuzes: tuple[tuple[str, str, str], ...]
    uitslag: str
    opmerkingen: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KoppelingRegel:
    met: str
    praktijk: str
    start: dt.date
    einde: dt.date | None
    gearchiveerd: bool


@dataclass(frozen=True, slots=True)
class Inzage:
    soort: str  # AIOS or OPLEIDER
    persoon_id: int
    naam: str
    gemaakt: dt.date
    gegevens: tuple[Feit, ...]
    koppelingen: tuple[KoppelingRegel, ...] = ()
    trajecten: tuple[TrajectInzage, ...] = ()
    rondes: tuple[RondeInzage, ...] = ()

    @property
    def soort_label(self) -> str:
        return "aios" if self.soort == AIOS else "opleider"

    @property
    def bijlagen(self) -> list[tuple[VerslagInzage, BijlageRegel]]:
        return [(v, b) for t in self.trajecten for v in t.verslagen for b in v.bijlagen]


# ---- verslagen: which of a gesprek's verslagen is about whom -------------------------------------------------

_VOOR: Mapping[str, frozenset[VerslagBestemming]] = {
    AIOS: frozenset({VerslagBestemming.E_PORTFOLIO, VerslagBestemming.BEIDE, VerslagBestemming.GEEN}),
    OPLEIDER: frozenset({VerslagBestemming.DOSSIER_OPLEIDER, VerslagBestemming.BEIDE, VerslagBestemming.GEEN}),
}


def over(soort: str, bestemming: VerslagBestemming) -> bool:
    """Whether a verslag that goes to `bestemming` is about the aios (`soort` AIOS) or the opleider of the traject:
    the e-portfolio holds what is about the aios, the dossier what is about the opleider."""
    return bestemming in _VOOR[soort]


# ---- koppelrondes --------------------------------------------------------------------------------------------


def _ja(value: bool) -> str:
    return "ja" if value else "nee"


def ronde_inzage(ronde: Ronde, toewijzing: Mapping[str, str] | None, soort: str, persoon_id: int, naam: str,
                 ronde_naam: str = "", achternaam: str = "") -> RondeInzage | None:
    """This person's part of a ronde (see the module's docstring), or None when the ronde does not name them: by name,
    or by the store's id (as a ronde made from Personen has it) with the `achternaam` in the name there. An id alone
    is not enough: a ronde read from a workbook numbers its people itself, and its "17" may be someone else."""
    if ronde.startdatum is None:
        return None
    gezocht = vouw(naam)
    achter = vouw(achternaam)

    def is_het(rij_id: str, rij_naam: str) -> bool:
        if gezocht and vouw(rij_naam) == gezocht:
            return True
        return rij_id == str(persoon_id) and bool(achter) and achter in vouw(rij_naam)

    opleiders = {o.id: o for o in ronde.opleiders}
    aios = {a.id: a for a in ronde.aios}
    titel = ronde_naam or ronde.naam or f"Ronde {ronde.startdatum:%m-%Y}"

    def opleider_kort(opleider_id: str) -> str:
        o = opleiders.get(opleider_id)
        return o.kort if o is not None else f"opleider {opleider_id}"

    def aios_naam(aios_id: str) -> str:
        a = aios.get(aios_id)
        return a.naam if a is not None and a.naam else f"aios {aios_id}"

    if soort == AIOS:
        eigen = [a for a in ronde.aios if is_het(a.id, a.naam)]
        if not eigen:
            return None
        ids = {a.id for a in eigen}
        a = eigen[0]
        feiten: tuple[Feit, ...] = (("Naam in de ronde", a.naam), ("Nummer in de ronde", ", ".join(sorted(ids))),
                  ("Opleidingsjaar", str(a.opleidingsjaar)), ("Deeltijd", f"{a.deeltijdpercentage} %"))
        keuzes = tuple(
            (opleiders[b.opleider_id].naam if b.opleider_id in opleiders else f"opleider {b.opleider_id}",
             opleiders[b.opleider_id].praktijk if b.opleider_id in opleiders else "",
             str(b.score) if b.score is not None else "geen score")
            for b in sorted(ronde.bezoeken, key=lambda b: (b.score is None, b.score or 0)) if b.aios_id in ids)
        opmerkingen = tuple(
            [f"Afgewezen door {opleider_kort(x.opleider_id)}. Motivatie: {x.motivatie}"
             for x in ronde.afwijzingen if x.aios_id in ids]
            + [f"Vastgezet bij {opleider_kort(x.opleider_id)}. Reden: {x.reden}"
               for x in ronde.vastzettingen if x.aios_id in ids]
            + [f"Uitzondering van de manager opleiders voor {opleider_kort(x.opleider_id)} (niet bezocht). "
               f"Reden: {x.reden}" for x in ronde.uitzonderingen if x.aios_id in ids])
        if toewijzing is None:
            uitslag = "Nog geen uitslag opgeslagen."
        else:
            gekoppeld = [toewijzing[i] for i in sorted(ids) if i in toewijzing]
            uitslag = (f"Gekoppeld aan {', '.join(opleider_kort(o) for o in gekoppeld)}." if gekoppeld
                       else "Niet gekoppeld in deze ronde.")
        return RondeInzage(titel, ronde.startdatum, feiten, keuzes, uitslag, opmerkingen)

    eigen_o = [o for o in ronde.opleiders if is_het(o.id, o.naam)]
    if not eigen_o:
        return None
    ids = {o.id for o in eigen_o}
    o = eigen_o[0]
    bezoeken = sum(1 for b in ronde.bezoeken if b.opleider_id in ids)
    feiten = (("Naam in de ronde", o.naam), ("Nummer in de ronde", ", ".join(sorted(ids))), ("Praktijk", o.praktijk),
              ("Status", o.status.label), ("Begeleidt een coassistent", _ja(o.coassistent)),
              ("Capaciteit", str(o.capaciteit)), ("Duo-opleider", _ja(o.duo_opleider)),
              ("Aanwezigheid", f"{o.aanwezigheidspercentage} %"), ("Geblokkeerd (na ontkoppeling)", _ja(o.blokkade)),
              ("Koppelgesprekken in de praktijk", str(bezoeken)))
    opmerkingen = tuple(
        [f"Afwijzing van {aios_naam(x.aios_id)}. Motivatie: {x.motivatie}"
         for x in ronde.afwijzingen if x.opleider_id in ids]
        + [f"Vastzetting van {aios_naam(x.aios_id)} in de praktijk. Reden: {x.reden}"
           for x in ronde.vastzettingen if x.opleider_id in ids]
        + [f"Uitzondering van de manager opleiders: {aios_naam(x.aios_id)} zonder bezoek. Reden: {x.reden}"
           for x in ronde.uitzonderingen if x.opleider_id in ids])
    if toewijzing is None:
        uitslag = "Nog geen uitslag opgeslagen."
    else:
        gekregen = sorted(aios_naam(a) for a, gekozen in toewijzing.items() if gekozen in ids)
        uitslag = f"Aios in deze ronde: {', '.join(gekregen)}." if gekregen else "Geen aios in deze ronde."
    return RondeInzage(titel, ronde.startdatum, feiten, (), uitslag, opmerkingen)


def datum(day: dt.date | None) -> str:
    return dutch_date(day) if day is not None else ""


def moment(when: dt.datetime | None) -> str:
    """"1 december 2026 om 14:05", in local time."""
    if when is None:
        return ""
    try:
        local = when.astimezone()
    except (OverflowError, ValueError, OSError):
        local = when
    return f"{dutch_date(local.date())} om {local:%H:%M}"


__all__ = [
    "BijlageRegel", "Feit", "GebeurtenisRegel", "Inzage", "KoppelingRegel", "RondeInzage", "TrajectInzage",
    "VerslagDeelInzage", "VerslagInzage", "datum", "moment", "over", "ronde_inzage",
]
