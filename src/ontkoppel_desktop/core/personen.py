"""The people and places of the training: aios, opleiders, praktijken, docenten, medewerkers, groepen
and koppelingen. Plain objects with their rules; the store saves them, the UI edits them."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ontkoppel_desktop.core import plausibel
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.rollen import MEDEWERKER_ROLLEN, Rol

# AMC kaders, duo-opleiders: "beide opleiders zijn minimaal 40% aanwezig".
MIN_AANWEZIGHEID_DUO = 40
CURRICULUM_JAREN = (1, 2, 3, 4)
OPLEIDINGSJAREN = (1, 2, 3)


def _fold(text: str) -> str:
    """Case- and accent-free text for searching ("Müller" is found by "muller")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(slots=True)
class Naam:
    voornaam: str = ""
    tussenvoegsel: str = ""
    achternaam: str = ""

    @property
    def volledig(self) -> str:
        """As written in a letter: "Jan van Dijk"."""
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)

    @property
    def sorteernaam(self) -> str:
        """As a Dutch list sorts it: on the achternaam, the tussenvoegsel after ("Dijk, Jan van")."""
        rest = " ".join(p for p in (self.voornaam, self.tussenvoegsel) if p)
        return f"{self.achternaam}, {rest}" if rest else self.achternaam

    def problemen(self, wie: str) -> list[str]:
        if not self.achternaam.strip():
            return [f"{wie}: vul een achternaam in."]
        return []


@dataclass(slots=True)
class Praktijk:
    naam: str
    plaats: str = ""
    id: int | None = None
    gearchiveerd: bool = False

    @property
    def weergave(self) -> str:
        return f"{self.naam} ({self.plaats})" if self.plaats else self.naam

    def valideer(self) -> None:
        if not self.naam.strip():
            raise ValidatieFout(["Praktijk: vul een naam in."])


class DocentSoort(StrEnum):
    # VUmc: each group has a huisarts-docent and a gedragswetenschappelijk docent.
    HUISARTS = "huisarts"
    GEDRAGSWETENSCHAPPER = "gedragswetenschapper"

    @property
    def label(self) -> str:
        return "Huisarts-docent" if self is DocentSoort.HUISARTS else "Gedragswetenschappelijk docent"


@dataclass(slots=True)
class Docent:
    naam: Naam
    soort: DocentSoort = DocentSoort.HUISARTS
    email: str = ""
    id: int | None = None
    gearchiveerd: bool = False

    def valideer(self) -> None:
        problemen = self.naam.problemen("Docent")
        if problemen:
            raise ValidatieFout(problemen)


@dataclass(slots=True)
class Groep:
    """A terugkomdaggroep (about 14 aios) with its two fixed docenten."""

    naam: str
    opleidingsjaar: int = 1
    huisarts_docent_id: int | None = None
    gedragswetenschapper_docent_id: int | None = None
    id: int | None = None
    gearchiveerd: bool = False

    def valideer(self) -> None:
        problemen: list[str] = []
        if not self.naam.strip():
            problemen.append("Groep: vul een naam in.")
        if self.opleidingsjaar not in OPLEIDINGSJAREN:
            problemen.append(f"Groep {self.naam}: het opleidingsjaar is 1, 2 of 3.")
        if problemen:
            raise ValidatieFout(problemen)


@dataclass(slots=True)
class Aios:
    naam: Naam
    opleidingsjaar: int = 1
    startdatum_opleiding: date | None = None
    deeltijdpercentage: int = 100
    groep_id: int | None = None
    email: str = ""
    id: int | None = None
    gearchiveerd: bool = False

    def valideer(self, today: date | None = None) -> None:
        wie = f"Aios {self.naam.volledig}".strip()
        problemen = self.naam.problemen("Aios")
        if self.opleidingsjaar not in OPLEIDINGSJAREN:
            problemen.append(f"{wie}: het opleidingsjaar is 1, 2 of 3.")
        if self.startdatum_opleiding is None:
            problemen.append(f"{wie}: vul de startdatum van de opleiding in.")
        else:
            fout = plausibel.probleem("De startdatum van de opleiding", self.startdatum_opleiding,
                                      plausibel.STARTDATUM_OPLEIDING, today)
            if fout:
                problemen.append(f"{wie}: {fout}")
        if not 50 <= self.deeltijdpercentage <= 100:
            # Part-time training in the Netherlands is at least 50 % of a full-time appointment.
            problemen.append(f"{wie}: het deeltijdpercentage ligt tussen 50 en 100 %.")
        if problemen:
            raise ValidatieFout(problemen)


@dataclass(slots=True)
class Opleider:
    naam: Naam
    praktijk_id: int | None = None
    # None means ervaren (curriculum done); 1-4 is the year in the 4-year opleiderscurriculum.
    curriculumjaar: int | None = None
    begeleidt_coassistent: bool = False
    duo_opleider: bool = False
    aanwezigheidspercentage: int = 100
    hoofdopleider: bool = True
    email: str = ""
    id: int | None = None
    gearchiveerd: bool = False

    @property
    def ervaren(self) -> bool:
        return self.curriculumjaar is None

    @property
    def status_label(self) -> str:
        if self.curriculumjaar is None:
            return "Ervaren"
        return f"Opleiderscurriculum jaar {self.curriculumjaar}"

    @property
    def voorrang(self) -> bool:
        """AMC kaders: priority for opleiders with a coassistent and those in the opleiderscurriculum."""
        return self.begeleidt_coassistent or self.curriculumjaar is not None

    def valideer(self) -> None:
        wie = f"Opleider {self.naam.volledig}".strip()
        problemen = self.naam.problemen("Opleider")
        if self.praktijk_id is None:
            problemen.append(f"{wie}: kies een praktijk.")
        if self.curriculumjaar is not None and self.curriculumjaar not in CURRICULUM_JAREN:
            problemen.append(f"{wie}: het opleiderscurriculum duurt 4 jaar (jaar 1 tot en met 4).")
        if self.duo_opleider and self.aanwezigheidspercentage < MIN_AANWEZIGHEID_DUO:
            problemen.append(
                f"{wie}: een duo-opleider is minimaal {MIN_AANWEZIGHEID_DUO} % aanwezig "
                f"(nu {self.aanwezigheidspercentage} %)."
            )
        if not 0 < self.aanwezigheidspercentage <= 100:
            problemen.append(f"{wie}: het aanwezigheidspercentage ligt tussen 1 en 100 %.")
        if problemen:
            raise ValidatieFout(problemen)


@dataclass(slots=True)
class Medewerker:
    naam: Naam
    rol: Rol = Rol.JAARASSISTENT
    # Manager opleiding and jaarassistent work for one opleidingsjaar.
    opleidingsjaar: int | None = None
    email: str = ""
    id: int | None = None
    gearchiveerd: bool = False

    def valideer(self) -> None:
        wie = f"Medewerker {self.naam.volledig}".strip()
        problemen = self.naam.problemen("Medewerker")
        if self.rol not in MEDEWERKER_ROLLEN:
            problemen.append(f"{wie}: '{self.rol.label}' is geen rol van een medewerker.")
        if self.rol.per_opleidingsjaar and self.opleidingsjaar not in OPLEIDINGSJAREN:
            problemen.append(f"{wie}: een {self.rol.label.lower()} hoort bij opleidingsjaar 1, 2 of 3.")
        if problemen:
            raise ValidatieFout(problemen)


@dataclass(slots=True)
class Koppeling:
    aios_id: int
    opleider_id: int
    startdatum: date
    einddatum: date | None = None
    id: int | None = None
    gearchiveerd: bool = False

    def overlapt(self, other: Koppeling) -> bool:
        eind_a = self.einddatum or date.max
        eind_b = other.einddatum or date.max
        return self.startdatum <= eind_b and other.startdatum <= eind_a

    def loopt_op(self, dag: date) -> bool:
        return self.startdatum <= dag and (self.einddatum is None or dag <= self.einddatum)

    def valideer(self, andere_van_aios: Sequence[Koppeling] = (), today: date | None = None) -> None:
        problemen: list[str] = []
        fout = plausibel.probleem("De startdatum", self.startdatum, plausibel.KOPPELING_START, today)
        if fout:
            problemen.append(f"Koppeling: {fout}")
        if self.einddatum is not None:
            fout = plausibel.probleem("De einddatum", self.einddatum, plausibel.KOPPELING_EINDE, today)
            if fout:
                problemen.append(f"Koppeling: {fout}")
        if self.einddatum is not None and self.einddatum < self.startdatum:
            problemen.append("Koppeling: de einddatum ligt vóór de startdatum.")
        for other in andere_van_aios:
            if other.id != self.id and not other.gearchiveerd and self.overlapt(other):
                problemen.append(
                    "Koppeling: deze aios heeft in die periode al een koppeling "
                    f"(vanaf {other.startdatum:%d-%m-%Y})."
                )
                break
        if problemen:
            raise ValidatieFout(problemen)


def zoektekst(*parts: object) -> str:
    """One folded string to search in, built once per row."""
    return _fold(" ".join(str(p) for p in parts if p))


def zoek_normaal(text: str) -> str:
    return _fold(text.strip())
