"""Bijlagen of a verslag: the reflectieverslag an aios or opleider brings to an evaluatiegesprek (Utrecht 5.3),
kept inside the store beside the verslag, never as a file on disk.

A file is taken only when its name says docx, pdf, odt or txt *and* its content is one (a renamed program, a
broken zip or an empty file is refused with a Dutch message that names the file and what is allowed), and only
up to 20 MB. The verslag's answer for a bijlage field lists each file with its SHA-256, so the seal of a
definitief verslag covers the files too; the store keeps the bijlage of a definitief verslag (a trigger, schema
v7). No Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn, Protocol

from ontkoppel_desktop.core import changes as c
from ontkoppel_desktop.core.changes import Changes
from ontkoppel_desktop.core.procedure.events import JsonValue
from ontkoppel_desktop.core.transactions import Transactions
from ontkoppel_desktop.core.verslagen.formulier import VeldSoort
from ontkoppel_desktop.core.verslagen.service import VerslagFout, VerslagService
from ontkoppel_desktop.core.verslagen.verslag import Verslag

MAX_GROOTTE = 20 * 1024 * 1024
TOEGESTAAN = ("een Word-document (.docx), PDF (.pdf), OpenDocument-tekst (.odt) of tekstbestand (.txt) van hoogstens "
              "20 MB")
# A stored name stays readable in a list; the extension is kept when a long name is shortened.
_MAX_NAAM = 180


class BijlageSoort(StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    ODT = "odt"
    TXT = "txt"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    BijlageSoort.DOCX: "Word-document",
    BijlageSoort.PDF: "PDF-bestand",
    BijlageSoort.ODT: "OpenDocument-tekst",
    BijlageSoort.TXT: "tekstbestand",
}
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ODT_TYPE = b"application/vnd.oasis.opendocument.text"
# What a docx or odt says about its type is a small file; a larger one is not read (a zip bomb stays shut).
_MAX_TYPE_BESTAND = 1024 * 1024
# Text: tab, line feed, vertical tab, form feed, carriage return and the old DOS end-of-file mark are fine.
_GEEN_TEKST = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_SURROGAAT = re.compile(r"[\ud800-\udfff]")
# Hidden characters that change how a name reads (a right-to-left override shows "xcod.exe" as "xexe.docx").
_ONZICHTBAAR = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class BijlageFout(VerslagFout):
    """A bijlage refused; the message is Dutch and names the file. `veld`: the field it was meant for."""


@dataclass(frozen=True, slots=True)
class Bijlage:
    """One file kept with a verslag (its content is read on its own: `BijlageService.inhoud`)."""

    id: int
    verslag_id: int
    veld: str  # the bijlage field of the verslag it was added to
    naam: str  # the file's name as the user chose it (cleaned: see schone_naam)
    soort: BijlageSoort
    grootte: int  # bytes
    sha256: str  # hex, over the content
    toegevoegd: dt.datetime

    def verwijzing(self) -> Verwijzing:
        return Verwijzing(self.id, self.naam, self.sha256)


@dataclass(frozen=True, slots=True)
class Verwijzing:
    """A bijlage as the verslag's answer names it: `{"bijlage": id, "naam": ..., "sha256": ...}`."""

    bijlage: int
    naam: str
    sha256: str

    def als_json(self) -> dict[str, JsonValue]:
        return {"bijlage": self.bijlage, "naam": self.naam, "sha256": self.sha256}


def verwijzingen(value: object) -> list[Verwijzing]:
    """The bijlagen an answer names, in its order; anything else in it is skipped (an empty answer: none)."""
    if not isinstance(value, list):
        return []
    result = []
    for item in value:
        if isinstance(item, Mapping) and isinstance(item.get("bijlage"), int) and not isinstance(
                item.get("bijlage"), bool):
            result.append(Verwijzing(item["bijlage"], str(item.get("naam", "")), str(item.get("sha256", ""))))
    return result


def antwoord(lijst: list[Verwijzing]) -> JsonValue:
    """The answer for these bijlagen: None when there are none (an unanswered field, as for any other soort)."""
    return [v.als_json() for v in lijst] or None


# ---- checking a file -------------------------------------------------------------------------------------


def schone_naam(naam: str) -> str:
    """The name a bijlage is kept under: the last part of a path, in NFC, without control characters, hidden
    direction marks or bytes that are no text (a name read from a disk in another encoding), at most 180
    characters (the extension kept). Windows-reserved names (CON.txt) are kept as they are: they are only a
    label here; a copy written to disk gets a safe name of its own."""
    naam = re.split(r"[/\\]", naam)[-1]
    # A name from the file system may hold lone surrogates (undecodable bytes): they become U+FFFD.
    naam = _SURROGAAT.sub("\ufffd", naam)
    naam = unicodedata.normalize("NFC", naam)
    naam = _ONZICHTBAAR.sub("", naam)
    naam = "".join(ch for ch in naam if unicodedata.category(ch) != "Cc").strip()
    if len(naam) > _MAX_NAAM:
        stam, punt, ext = naam.rpartition(".")
        if punt and 0 < len(ext) <= 10:
            naam = f"{stam[:_MAX_NAAM - len(ext) - 2].rstrip()}….{ext}"
        else:
            naam = naam[:_MAX_NAAM - 1] + "…"
    return naam or "bijlage"


def grootte_tekst(grootte: int) -> str:
    """"812 bytes", "48 kB", "3,4 MB" (Dutch decimal comma)."""
    if grootte < 1024:
        return f"{grootte} bytes" if grootte != 1 else "1 byte"
    if grootte < 1024 * 1024:
        return f"{round(grootte / 1024)} kB"
    return f"{grootte / (1024 * 1024):.1f} MB".replace(".", ",")


def soort_van_naam(naam: str) -> BijlageSoort | None:
    _, punt, ext = naam.rpartition(".")
    try:
        return BijlageSoort(ext.lower()) if punt else None
    except ValueError:
        return None


def controleer_naam(naam: str) -> BijlageSoort:
    """The soort a file's name says, or a Dutch refusal: before a file is even read."""
    soort = soort_van_naam(naam)
    if soort is not None:
        return soort
    ext = naam.rpartition(".")[2].lower() if "." in naam else ""
    hint = {
        "doc": " Het oude Word-formaat (.doc) kan niet: sla het in Word op als .docx of als PDF.",
        "rtf": " Sla het op als .docx of als PDF.",
        "pages": " Exporteer het in Pages als PDF of als Word-document.",
    }.get(ext, "")
    _weiger(f"'{naam}' kan niet worden bijgevoegd: een bijlage is {TOEGESTAAN}.{hint}")


def controleer_grootte(naam: str, grootte: int) -> None:
    """Refuse an empty file or one above 20 MB (checked on the file's size, before reading it)."""
    if grootte == 0:
        _weiger(f"'{naam}' is leeg (0 bytes). Kies het bestand met het verslag zelf; een bijlage is {TOEGESTAAN}.")
    if grootte > MAX_GROOTTE:
        _weiger(f"'{naam}' is {grootte_tekst(grootte)}; een bijlage mag hoogstens 20 MB zijn. Sla het op als PDF "
                "of maak de afbeeldingen erin kleiner, en voeg het dan toe.")


def controleer(naam: str, inhoud: bytes) -> BijlageSoort:
    """The soort of this file, when its name and its content agree on one that is allowed and it is not too
    large; otherwise a BijlageFout that names the file, says what it is not and what is allowed."""
    soort = controleer_naam(naam)
    controleer_grootte(naam, len(inhoud))
    if soort is BijlageSoort.PDF:
        ok = inhoud.startswith(b"%PDF-")
    elif soort is BijlageSoort.TXT:
        ok = _is_tekst(inhoud)
    else:
        ok = _zip_soort(inhoud) is soort
    if not ok:
        _weiger(f"'{naam}' heet een {soort.label} (.{soort.value}), maar de inhoud is {_wat_het_is(inhoud)}. "
                f"Kies het echte bestand; een bijlage is {TOEGESTAAN}.")
    return soort


def _weiger(message: str) -> NoReturn:
    raise BijlageFout(message)


def _is_tekst(inhoud: bytes) -> bool:
    # UTF-16 by its mark; else UTF-8 (with or without its mark), else Windows' own Notepad encoding.
    utf16 = inhoud.startswith((b"\xff\xfe", b"\xfe\xff"))
    encodings = ["utf-16"] if utf16 else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = inhoud.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _GEEN_TEKST.search(text) is None
    return False


def _zip_soort(inhoud: bytes) -> BijlageSoort | None:
    """DOCX or ODT by what the zip says of itself ([Content_Types].xml, the mimetype entry); None for anything
    else, a damaged zip or a password-protected one included."""
    if not inhoud.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" in names:
                return BijlageSoort.DOCX if _DOCX_TYPE in _lees(zf, "[Content_Types].xml") else None
            if "mimetype" in names:
                return BijlageSoort.ODT if _lees(zf, "mimetype").strip() == _ODT_TYPE else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError,
            NotImplementedError, ValueError, KeyError):
        return None
    return None


def _lees(zf: zipfile.ZipFile, name: str) -> bytes:
    if zf.getinfo(name).file_size > _MAX_TYPE_BESTAND:
        return b""
    with zf.open(name) as handle:
        return handle.read(_MAX_TYPE_BESTAND)


def _wat_het_is(inhoud: bytes) -> str:
    """What a refused file seems to be, in words, so the user knows which file was picked by mistake."""
    if inhoud.startswith(b"MZ"):
        return "een programma (zoals een .exe)"
    if inhoud.startswith(b"%PDF-"):
        return "een PDF-bestand"
    if inhoud.startswith(b"\xd0\xcf\x11\xe0"):
        return "een ouder Office-bestand (zoals .doc) of een document met een wachtwoord"
    if inhoud.startswith(b"PK"):
        soort = _zip_soort(inhoud)
        if soort is not None:
            return f"een {soort.label}"
        try:
            with zipfile.ZipFile(io.BytesIO(inhoud)):
                pass
        except Exception:  # noqa: BLE001 - any failure to read it means a damaged file to the user
            return "beschadigd (een zip-bestand dat niet te lezen is)"
        return "een ander soort zip-bestand"
    if inhoud[:4] in (b"\x89PNG", b"GIF8") or inhoud.startswith(b"\xff\xd8\xff"):
        return "een afbeelding"
    if _is_tekst(inhoud):
        return "platte tekst"
    return "iets anders"


# ---- the service -----------------------------------------------------------------------------------------


class BijlageRepository(Protocol):
    def insert(self, bijlage: Bijlage, inhoud: bytes) -> int: ...

    def load(self, bijlage_id: int) -> Bijlage | None: ...

    def for_verslag(self, verslag_id: int) -> list[Bijlage]: ...

    def inhoud(self, bijlage_id: int) -> bytes | None: ...

    def delete(self, bijlage_id: int) -> None:
        """Remove a bijlage and its content (refused by the store when its verslag is definitief)."""
        ...


class BijlageService:
    """The one door for bijlagen. Every write is one transaction that also keeps the verslag's answer for the
    field in step (the list of files with their SHA-256), so the store never holds a file its verslag does not
    name, nor names one it does not hold, whatever happens to the window that asked."""

    def __init__(self, tx: Transactions, repo: BijlageRepository, verslagen: VerslagService) -> None:
        self._tx = tx
        self.repo = repo
        self.verslagen = verslagen

    # ---- reading -------------------------------------------------------------------------------------

    def get(self, bijlage_id: int) -> Bijlage:
        bijlage = self.repo.load(bijlage_id)
        if bijlage is None:
            raise BijlageFout("Deze bijlage bestaat niet (meer) in de opslag.")
        return bijlage

    def van_verslag(self, verslag_id: int) -> list[Bijlage]:
        """The files added to this version of the verslag (not those a new version carries over from an
        earlier one: its answer names those)."""
        return self.repo.for_verslag(verslag_id)

    def inhoud(self, bijlage_id: int) -> bytes:
        """The file's content, checked against its SHA-256."""
        bijlage = self.get(bijlage_id)
        data = self.repo.inhoud(bijlage_id)
        if data is None:
            raise BijlageFout(f"De inhoud van '{bijlage.naam}' ontbreekt in de opslag.")
        if hashlib.sha256(data).hexdigest() != bijlage.sha256:
            raise BijlageFout(f"De inhoud van '{bijlage.naam}' klopt niet met de vingerafdruk (SHA-256) die bij het "
                              "toevoegen is vastgelegd. Het bestand wordt niet geopend; meld dit aan de "
                              "applicatiebeheerder.")
        return data

    # ---- writing -------------------------------------------------------------------------------------

    def toevoegen(self, verslag_id: int, veld_id: str, naam: str, inhoud: bytes, *, auteur: str,
                  now: dt.datetime | None = None) -> Changes:
        """Keep `inhoud` with the author's own concept, in its bijlage field `veld_id`. Changes.created is the
        new bijlage's id."""
        naam = schone_naam(naam)
        try:
            soort = controleer(naam, inhoud)
        except BijlageFout as exc:
            raise BijlageFout(str(exc), veld_id) from None
        digest = hashlib.sha256(inhoud).hexdigest()
        moment = now or dt.datetime.now(dt.UTC)
        with self._tx.transaction():
            verslag = self._eigen_concept(verslag_id, auteur, veld_id, "er kan geen bijlage meer bij")
            self._bijlage_veld(verslag, veld_id)
            lijst = verwijzingen(verslag.antwoorden.get(veld_id))
            dubbel = next((v for v in lijst if v.sha256 == digest), None)
            if dubbel is not None:
                raise BijlageFout(f"'{naam}' is al bijgevoegd (als '{dubbel.naam}'): de inhoud is dezelfde.",
                                  veld_id)
            bijlage = Bijlage(0, verslag_id, veld_id, naam, soort, len(inhoud), digest, moment)
            new_id = self.repo.insert(bijlage, inhoud)
            self._zet_antwoord(verslag, veld_id, [*lijst, Verwijzing(new_id, naam, digest)], moment)
        return Changes.of(c.VERSLAG, verslag_id, created=new_id)

    def verwijderen(self, bijlage_id: int, *, auteur: str, uit_verslag: int | None = None,
                    now: dt.datetime | None = None) -> Changes:
        """Take a bijlage off the author's own concept: its file is removed from the store too. A new version
        (`uit_verslag`) that carried the file over from an earlier, definitief version only lets go of it: the
        earlier version keeps it. Refused once the verslag is definitief."""
        with self._tx.transaction():
            bijlage = self.get(bijlage_id)
            verslag_id = bijlage.verslag_id if uit_verslag is None else uit_verslag
            verslag = self._eigen_concept(verslag_id, auteur, bijlage.veld,
                                          f"de bijlage '{bijlage.naam}' hoort erbij en blijft bewaard")
            eigen = bijlage.verslag_id == verslag.id
            velden = {veld_id: lijst for veld_id, value in verslag.antwoorden.items()
                      if (lijst := verwijzingen(value)) and any(v.bijlage == bijlage_id for v in lijst)}
            if not eigen and not velden:
                raise BijlageFout(f"De bijlage '{bijlage.naam}' hoort niet bij dit verslag.", bijlage.veld)
            if eigen:
                self.repo.delete(bijlage_id)
            moment = now or dt.datetime.now(dt.UTC)
            antwoorden = dict(verslag.antwoorden)
            for veld_id, lijst in velden.items():
                antwoorden[veld_id] = antwoord([v for v in lijst if v.bijlage != bijlage_id])
            self._bewaar(verslag, antwoorden, moment)
        return Changes.of(c.VERSLAG, verslag.id)

    # ---- inside ----------------------------------------------------------------------------------------

    def _eigen_concept(self, verslag_id: int, auteur: str, veld_id: str, definitief: str) -> Verslag:
        auteur = auteur.strip()
        if not auteur:
            raise BijlageFout("Vul eerst je naam in: een verslag heeft een auteur.", veld_id)
        verslag = self.verslagen.get(verslag_id)
        if verslag.definitief:
            raise BijlageFout(f"Dit verslag is definitief: {definitief}. Maak een nieuwe versie met een reden als "
                              "het gecorrigeerd moet worden.", veld_id)
        if verslag.auteur != auteur:
            raise BijlageFout(f"Dit concept is van {verslag.auteur}; alleen de auteur kan er bijlagen aan toevoegen "
                              "of weghalen.", veld_id)
        return verslag

    def _bijlage_veld(self, verslag: Verslag, veld_id: str) -> None:
        formulier = self.verslagen.formulier(verslag)
        if not formulier.heeft_veld(veld_id) or formulier.veld(veld_id).soort is not VeldSoort.BIJLAGE:
            raise BijlageFout(f"Bij '{veld_id}' in dit verslag hoort geen bijlage.", veld_id)

    def _zet_antwoord(self, verslag: Verslag, veld_id: str, lijst: list[Verwijzing], moment: dt.datetime) -> None:
        antwoorden = dict(verslag.antwoorden)
        antwoorden[veld_id] = antwoord(lijst)
        self._bewaar(verslag, antwoorden, moment)

    def _bewaar(self, verslag: Verslag, antwoorden: dict[str, JsonValue], moment: dt.datetime) -> None:
        # Only the bijlage field changes; the wizard saves its other answers itself. An empty list is no answer.
        schoon = {k: v for k, v in antwoorden.items() if v is not None}
        self.verslagen.repo.save_concept(verslag.id, schoon, verslag.pagina, verslag.open, moment)


__all__ = [
    "MAX_GROOTTE",
    "TOEGESTAAN",
    "Bijlage",
    "BijlageFout",
    "BijlageRepository",
    "BijlageService",
    "BijlageSoort",
    "Verwijzing",
    "antwoord",
    "controleer",
    "controleer_grootte",
    "controleer_naam",
    "grootte_tekst",
    "schone_naam",
    "soort_van_naam",
    "verwijzingen",
]
