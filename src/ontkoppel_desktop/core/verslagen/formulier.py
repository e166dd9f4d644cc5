"""The questions of a gesprek as data: the pages of its wizard, each field with its help text, whether it is
required, and which verslag it belongs to.

Built by `formulier_lezen.py` from one file per gesprek type beside the procedure file it belongs to
(resources/procedures/<procedure>/gesprekken/<stap>.toml), so a traject keeps the questions of the procedure
version it started with. Immutable; nothing of a particular institute lives in this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.procedure.events import EventKind
from ontkoppel_desktop.core.rollen import Rol


class VeldSoort(StrEnum):
    """How a field is asked, and what its answer is in the store (JSON)."""

    DATUM = "datum"  # ISO date text; the gesprek's own date when `gebeurtenis = "datum"`
    REGEL = "regel"  # one line of text
    TEKST = "tekst"  # free text of any length, stored exactly as typed (plain text)
    KEUZE = "keuze"  # one of `keuzes` (its waarde)
    KEUZES = "keuzes"  # one or more of `keuzes`: a list of waarden
    JA_NEE = "ja_nee"  # true or false, asked as two buttons so that nothing is chosen by default
    OPLEIDER = "opleider"  # an opleider from Personen: the id
    BIJLAGE = "bijlage"  # files kept inside the store: [{"bijlage": id, "naam": ..., "sha256": ...}]

    @property
    def is_tekst(self) -> bool:
        return self in (VeldSoort.REGEL, VeldSoort.TEKST)


# What the app may fill in before the docent types: the gesprek's people and today's date.
VOORAF_WAARDEN = frozenset({"vandaag", "aios", "opleider", "docenten", "nieuwe_opleider"})


@dataclass(frozen=True, slots=True)
class Eerder:
    """An answer of an earlier gesprek of the traject, shown (read-only) on a page: the leerpunten and afspraken
    an evaluatie checks (Utrecht 5.3.1)."""

    gesprek: str
    veld: str


@dataclass(frozen=True, slots=True)
class Keuze:
    waarde: str
    label: str


@dataclass(frozen=True, slots=True)
class Voorwaarde:
    """The field is asked (and required, if it is) only when `veld` has one of `waarden`."""

    veld: str
    waarden: tuple[str, ...]

    def geldt(self, antwoorden: Mapping[str, object]) -> bool:
        value = antwoorden.get(self.veld)
        if isinstance(value, bool):
            value = "ja" if value else "nee"
        return value in self.waarden


@dataclass(frozen=True, slots=True)
class Veld:
    id: str
    soort: VeldSoort
    label: str
    verslagen: tuple[str, ...]  # the ids of the verslagen (VerslagDeel) it appears in; empty: in none
    hulp: str = ""
    verplicht: bool = False
    keuzes: tuple[Keuze, ...] = ()
    # Where the answer goes when the gesprek is recorded: ("datum", "") for the event's date, or an event kind
    # and one of its data fields.
    gebeurtenis: tuple[str, str] | None = None
    alleen_als: Voorwaarde | None = None
    vooraf: tuple[str, ...] = ()
    voorbeeld: str = ""  # shown greyed in an empty field (a placeholder), never stored
    # Only in the e-portfolio's copy when this answer says so (Utrecht 5.3.1: the aios chooses whether the own
    # reflectieverslag goes into the e-portfolio); the dossier's copy is not affected.
    eportfolio_alleen_als: Voorwaarde | None = None

    def keuze_label(self, waarde: object) -> str:
        if isinstance(waarde, bool):
            return "Ja" if waarde else "Nee"
        if isinstance(waarde, list):
            return ", ".join(self.keuze_label(w) for w in waarde)
        for keuze in self.keuzes:
            if keuze.waarde == waarde:
                return keuze.label
        return "" if waarde is None else str(waarde)

    def gevraagd(self, antwoorden: Mapping[str, object]) -> bool:
        return self.alleen_als is None or self.alleen_als.geldt(antwoorden)


@dataclass(frozen=True, slots=True)
class Pagina:
    id: str
    titel: str
    uitleg: str
    velden: tuple[Veld, ...]
    eerder: tuple[Eerder, ...] = ()


@dataclass(frozen=True, slots=True)
class VerslagDeel:
    """One verslag a gesprek produces: its own document, for its own reader. The evaluatiegesprek opleider
    (Utrecht 5.3.2) produces two; the others one."""

    id: str
    titel: str
    bestemming: VerslagBestemming
    ontvanger: Rol


@dataclass(frozen=True, slots=True)
class Onderwerp:
    titel: str
    vragen: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Handvat:
    """Guidance shown beside the wizard. `voorbeeld`: the content is an example the institute replaces with its
    own text, and the app says so."""

    titel: str
    inleiding: str
    onderwerpen: tuple[Onderwerp, ...]
    voorbeeld: bool = True


@dataclass(frozen=True, slots=True)
class GesprekFormulier:
    id: str  # the id of the procedure step this gesprek completes ("driehoeksgesprek")
    titel: str
    sectie: str
    file: str
    procedure: tuple[str, str]  # (procedure id, version) the questions belong to
    gebeurtenissen: tuple[EventKind, ...]  # recorded at Voltooien; the first is the gesprek itself
    paginas: tuple[Pagina, ...]
    delen: tuple[VerslagDeel, ...]
    handvat: Handvat | None = None
    _velden: Mapping[str, Veld] = field(default_factory=dict, repr=False, compare=False)

    @property
    def velden(self) -> tuple[Veld, ...]:
        return tuple(self._velden.values())

    def veld(self, veld_id: str) -> Veld:
        return self._velden[veld_id]

    def heeft_veld(self, veld_id: str) -> bool:
        return veld_id in self._velden

    def pagina_van(self, veld_id: str) -> int:
        return next(i for i, p in enumerate(self.paginas) if any(v.id == veld_id for v in p.velden))

    def deel(self, deel_id: str) -> VerslagDeel:
        return next(d for d in self.delen if d.id == deel_id)

    @property
    def datum_veld(self) -> Veld:
        return next(v for v in self.velden if v.gebeurtenis == ("datum", ""))

    @property
    def bestemmingen(self) -> frozenset[VerslagBestemming]:
        """Where this gesprek's verslagen are archived: e-portfolio and/or dossier opleider."""
        result: set[VerslagBestemming] = set()
        for deel in self.delen:
            if deel.bestemming is VerslagBestemming.BEIDE:
                result |= {VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER}
            elif deel.bestemming is not VerslagBestemming.GEEN:
                result.add(deel.bestemming)
        return frozenset(result)

    @property
    def heeft_verslag(self) -> bool:
        """False for a gesprek the procedure records without a verslag (a telefonisch contact, the
        kennismakingsgesprek): its wizard records the gebeurtenis, and its notes stay with the traject."""
        return bool(self.delen)

    @property
    def ontvanger(self) -> Rol | None:
        return self.delen[0].ontvanger if self.delen else None


__all__ = [
    "VOORAF_WAARDEN",
    "Eerder",
    "GesprekFormulier",
    "Handvat",
    "Keuze",
    "Onderwerp",
    "Pagina",
    "Veld",
    "VeldSoort",
    "VerslagDeel",
    "Voorwaarde",
]
