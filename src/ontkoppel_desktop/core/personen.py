"""The people and places of the training: aios, opleiders, praktijken, docenten, medewerkers, groepen
and koppelingen. Plain objects with their rules; the store saves them, the UI edits them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.errors import HeaderParseError
from email.headerregistry import Address
from enum import StrEnum

from ontkoppel_desktop.core import plausibel
from ontkoppel_desktop.core.errors import ValidatieFout
from ontkoppel_desktop.core.rollen import MEDEWERKER_ROLLEN, Rol

# AMC kaders, duo-opleiders: "beide opleiders zijn minimaal 40% aanwezig".
MIN_AANWEZIGHEID_DUO = 40
CURRICULUM_JAREN = (1, 2, 3, 4)
OPLEIDINGSJAREN = (1, 2, 3)


# ---- names and addresses as they are kept ---------------------------------------------------------------
#
# A name is shown in lists, written into letters, e-mails, Word and PDF, and sorted. So it is kept in one form:
# NFC (a typed "é" and a pasted "e" + combining accent are the same name), without whitespace or invisible
# format characters at either end, and without the invisible characters that mean nothing in a name (zero-width
# space, word joiner, BOM, soft hyphen), wherever they are. A name that is empty after that, or made only of
# control, format and space characters, is no name ("vul een achternaam in").
#
# Refused with a Dutch message, never silently repaired, because the user must see what was pasted:
# - a control character (NUL, BEL, ESC, a tab or a line break inside the name, U+2028/U+2029): no document can
#   hold most of them, and a line break splits a name in a list or a letter;
# - a character that reverses or embeds the reading direction (U+202A-U+202E, U+2066-U+2069): it makes the
#   name look different from what it is (one name can be made to look like another);
# - a lone surrogate or U+FFFE/U+FFFF: not a character; the file stores UTF-8, which cannot hold it;
# - more than NAAM_MAX characters.
# Kept as typed: letters of every script, emoji, and inside a name the joiners (ZWJ, ZWNJ: Persian and Indic
# names, emoji sequences) and the direction marks LRM/RLM/ALM, which do not reorder anything.

NAAM_MAX = 200
# RFC 5321: an address of at most 254 characters fits in a mail's envelope.
EMAIL_MAX = 254
_ONZICHTBAAR = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_RICHTING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_GEEN_TEKEN = frozenset("\ufffe\uffff")


# SQLite's integer range: a number outside it names no row (and cannot even be looked up).
_ID_MAX = 2**63 - 1


def is_id(value: object) -> bool:
    """Whether `value` can be the id of a stored row: a positive integer in SQLite's range, not a bool."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _ID_MAX


def _rand(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def naam_tekst(tekst: object, max_tekens: int = NAAM_MAX) -> tuple[str, str | None]:
    """A name (or a praktijk's, a groep's, a plaats) as it is kept, and None; or what is wrong with it, as a
    Dutch phrase to follow the field ("de achternaam " + "bevat ..."). An empty result is not a fault here: the
    caller knows whether the field is required. The rules are in the comment above."""
    if not isinstance(tekst, str):
        return "", "is geen tekst"
    if not tekst:
        return "", None
    if any(ch in _GEEN_TEKEN or unicodedata.category(ch) == "Cs" for ch in tekst):
        return "", "bevat een ongeldig teken (geen letter of leesteken); typ de tekst opnieuw"
    # The invisible ones out first: NFC then composes what they stood between ("e", ZWSP, U+0301 is "é").
    tekst = unicodedata.normalize("NFC", tekst.translate(_ONZICHTBAAR))
    start, end = 0, len(tekst)
    while start < end and _rand(tekst[start]):
        start += 1
    while end > start and _rand(tekst[end - 1]):
        end -= 1
    tekst = tekst[start:end]
    if not tekst:
        return "", None
    for i, ch in enumerate(tekst, 1):
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            soort = "een regelovergang" if ch in "\n\r\x0b\x0c\x85\u2028\u2029" else (
                "een tab" if ch == "\t" else "een onzichtbaar stuurteken")
            return "", (f"bevat {soort} (teken {i}), dat niet in een naam hoort; typ de tekst "
                        "opnieuw op één regel, zonder gekopieerde opmaak")
        if ch in _RICHTING:
            return "", (f"bevat een onzichtbaar teken dat de leesrichting omdraait (teken {i}); typ de tekst "
                        "opnieuw zonder gekopieerde opmaak")
    if len(tekst) > max_tekens:
        return "", f"is te lang ({len(tekst)} tekens; hoogstens {max_tekens})"
    return tekst, None


_EMAIL_DOMEIN = re.compile(r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?(?:\.[^\W_](?:(?:[^\W_]|-)*[^\W_])?)+")


def email_tekst(tekst: object) -> tuple[str, str | None]:
    """An e-mail address as it is kept (stripped; empty is allowed), and None; or what is wrong with it (a Dutch
    phrase, as naam_tekst). Kept only what an e-mail draft can address (core.berichten uses the same parser)
    with a domain of at least two parts: "jan@praktijk" or "jan@@x.nl" is a typo to fix now, not a mail that
    later goes nowhere; a line break in it could add a header to the e-mail."""
    if not isinstance(tekst, str):
        return "", "is geen tekst"
    tekst = tekst.strip()
    if not tekst:
        return "", None
    fout = "is geen e-mailadres (zoals naam@praktijk.nl)"
    if len(tekst) > EMAIL_MAX:
        return "", f"is te lang ({len(tekst)} tekens; hoogstens {EMAIL_MAX})"
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in tekst):
        return "", fout + "; het bevat een spatie of een onzichtbaar teken"
    if tekst.count("@") != 1:
        return "", fout
    try:
        address = Address(addr_spec=tekst)
    except (ValueError, IndexError, HeaderParseError):
        return "", fout
    if address.addr_spec != tekst or not _EMAIL_DOMEIN.fullmatch(address.domain):
        return "", fout
    return tekst, None


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
        """What is wrong with the name, each problem a Dutch sentence starting with `wie`; the parts that are
        right are normalised in place (naam_tekst: the form every name is kept in)."""
        problemen = []
        for attr, label in (("voornaam", "de voornaam"), ("tussenvoegsel", "het tussenvoegsel"),
                            ("achternaam", "de achternaam")):
            waarde, fout = naam_tekst(getattr(self, attr))
            if fout is not None:
                problemen.append(f"{wie}: {label} {fout}.")
            else:
                setattr(self, attr, waarde)
                if attr == "achternaam" and not waarde:
                    problemen.append(f"{wie}: vul een achternaam in.")
        return problemen


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
        """Refuses (ValidatieFout) or normalises the texts in place, as every name is kept (naam_tekst)."""
        problemen: list[str] = []
        _tekst(self, "naam", "Praktijk: de naam", problemen, leeg="Praktijk: vul een naam in.")
        _tekst(self, "plaats", "Praktijk: de plaats", problemen)
        if problemen:
            raise ValidatieFout(problemen)


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
        if not isinstance(self.soort, DocentSoort):
            problemen.append("Docent: kies huisarts-docent of gedragswetenschappelijk docent.")
        self.email = _email(self.email, "Docent", problemen)
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
        _tekst(self, "naam", "Groep: de naam", problemen, leeg="Groep: vul een naam in.")
        if self.opleidingsjaar not in OPLEIDINGSJAREN:
            wie = "Groep" if problemen else f"Groep {in_zin(self.naam)}"
            problemen.append(f"{wie}: het opleidingsjaar is 1, 2 of 3.")
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
        problemen = self.naam.problemen("Aios")
        wie = _wie("Aios", self.naam, problemen)
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
        self.email = _email(self.email, wie, problemen)
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
        problemen = self.naam.problemen("Opleider")
        wie = _wie("Opleider", self.naam, problemen)
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
        self.email = _email(self.email, wie, problemen)
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
        problemen = self.naam.problemen("Medewerker")
        wie = _wie("Medewerker", self.naam, problemen)
        if self.rol not in MEDEWERKER_ROLLEN:
            problemen.append(f"{wie}: '{self.rol.label}' is geen rol van een medewerker.")
        if self.rol.per_opleidingsjaar and self.opleidingsjaar not in OPLEIDINGSJAREN:
            problemen.append(f"{wie}: een {self.rol.label.lower()} hoort bij opleidingsjaar 1, 2 of 3.")
        self.email = _email(self.email, wie, problemen)
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


def in_zin(naam: str) -> str:
    """A name as a message quotes it: a long one cut short, so that a message stays one to read."""
    return naam if len(naam) <= 60 else naam[:59] + "…"


def _wie(soort: str, naam: Naam, problemen: list[str]) -> str:
    """"Aios Jan van Dijk", to start a message with; only the kind while the name itself is refused (it is not
    repeated in a message)."""
    return soort if problemen else f"{soort} {in_zin(naam.volledig)}".strip()


def _tekst(obj: object, attr: str, wat: str, problemen: list[str], *, leeg: str | None = None) -> None:
    """Normalise a text field in place, or add its problem; `leeg` is the problem of a required field left
    empty."""
    waarde, fout = naam_tekst(getattr(obj, attr))
    if fout is not None:
        problemen.append(f"{wat} {fout}.")
        return
    setattr(obj, attr, waarde)
    if leeg is not None and not waarde:
        problemen.append(leeg)


def _email(email: str, wie: str, problemen: list[str]) -> str:
    """The address as kept, or (its problem added) as it was."""
    waarde, fout = email_tekst(email)
    if fout is not None:
        problemen.append(f"{wie}: het e-mailadres {fout}.")
        return email
    return waarde


def zoektekst(*parts: object) -> str:
    """One folded string to search in, built once per row."""
    return _fold(" ".join(str(p) for p in parts if p))


def zoek_normaal(text: str) -> str:
    return _fold(text.strip())
