"""The institute's key files for IT's commands: made and opened with a passphrase, kept offline.

The institute's signing key and its recovery key are both an ordinary key pair in a passphrase-protected file
(verzegeling.bewaar_herstelsleutel: Argon2id, the public halves in the clear). The passphrase comes from the
terminal (typed twice when a file is made) or, for scripts and tests, from ONTKOPPEL_SLEUTEL_WACHTWOORD; never
from the command line, where `ps` and the shell's history would show it. A file is never overwritten: it may be
the only copy of a key that old verslagen are sealed to.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from nacl.signing import SigningKey

from ontkoppel_desktop.instituut.verzegeling import (
    GEEN_HERSTELSLEUTEL,
    ONJUIST_WACHTWOORD,
    Sleutelpaar,
    ZegelFout,
    bewaar_herstelsleutel,
    lees_herstelsleutel,
    uit_b64,
    vingerafdruk_instituut,
)
from ontkoppel_server.instituut import sleutels

WACHTWOORD_VAR = "ONTKOPPEL_SLEUTEL_WACHTWOORD"
EIGENAAR = "eigenaar"
# The cost of the passphrase's key derivation (bewaar_herstelsleutel's defaults when empty); tests make it cheap.
KDF: dict[str, int] = {}


def eigenaar() -> str:
    """The database alias IT's key commands write with: the owner of the tables, as for migrations."""
    if EIGENAAR not in settings.DATABASES:
        raise CommandError(
            "Sleutels worden vastgelegd als eigenaar van de tabellen, zoals bij migreren: zet "
            "ONTKOPPEL_SERVER_DB_EIGENAAR en ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD (server/README.md)."
        )
    return EIGENAAR


def nieuw_wachtwoord(wat: str) -> str:
    """A new passphrase for `wat` ("de instituutssleutel"), typed twice."""
    if (uit_omgeving := os.environ.get(WACHTWOORD_VAR)) is not None:
        if not uit_omgeving:
            raise CommandError(f"{WACHTWOORD_VAR} is leeg: kies een wachtwoord voor {wat}.")
        return uit_omgeving
    eerste = getpass.getpass(f"Nieuw wachtwoord voor {wat}: ")
    if not eerste:
        raise CommandError(f"Geen wachtwoord gekozen voor {wat}; er is niets gemaakt.")
    if getpass.getpass("Nogmaals, ter controle: ") != eerste:
        raise CommandError("De twee wachtwoorden verschillen; er is niets gemaakt.")
    return eerste


def wachtwoord(wat: str, pad: Path) -> str:
    if (uit_omgeving := os.environ.get(WACHTWOORD_VAR)) is not None:
        return uit_omgeving
    return getpass.getpass(f"Wachtwoord van {wat} ({pad}): ")


def controleer_nieuw(pad: Path) -> None:
    """Refuse before anything is made (or a passphrase asked) when the file is already there."""
    if pad.exists():
        raise CommandError(f"{pad} bestaat al. Een sleutelbestand wordt nooit overschreven; kies een ander bestand.")


def schrijf(pad: Path, paar: Sleutelpaar, wachtwoord: str) -> None:
    """The key pair in a new file, readable by its owner only."""
    data = bewaar_herstelsleutel(paar, wachtwoord, **KDF)
    try:
        # "x": created here, or an error: never an overwrite, not even of a file that appeared just now.
        fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{pad} bestaat al. Een sleutelbestand wordt nooit overschreven; kies een ander "
                           "bestand.") from None
    except OSError as exc:
        raise CommandError(f"{pad} kan niet worden aangemaakt: {exc.strerror}.") from None
    with os.fdopen(fd, "wb") as bestand:
        bestand.write(data)
        bestand.flush()
        os.fsync(bestand.fileno())


def lees(pad: Path, wat: str) -> Sleutelpaar:
    """The key pair in `pad`, opened with its passphrase; a Dutch CommandError (exit code 1) otherwise."""
    try:
        data = pad.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{pad} bestaat niet. Geef het bestand van {wat}.") from None
    except OSError as exc:
        raise CommandError(f"{pad} kan niet worden gelezen: {exc.strerror}.") from None
    try:
        return lees_herstelsleutel(data, wachtwoord(wat, pad))
    except ZegelFout as fout:
        if str(fout) == ONJUIST_WACHTWOORD:
            raise CommandError(f"Onjuist wachtwoord voor {wat} ({pad}). Er is niets veranderd.") from None
        if str(fout) == GEEN_HERSTELSLEUTEL:
            raise CommandError(f"{pad} is geen sleutelbestand van Ontkoppel, of het is beschadigd. Er is niets "
                               "veranderd.") from None
        raise CommandError(str(fout)) from None


def open_instituutssleutel(pad: Path, using: str) -> SigningKey:
    """The institute's private signing key in `pad`, only if its public half is the one the server hands the
    laptops: a signature by another key would be refused by every laptop."""
    rij = sleutels.instituut(using)
    if rij is None:
        raise CommandError("Het instituut heeft nog geen instituutssleutel: maak die eerst (instituutssleutel-maken).")
    paar = lees(pad, "de instituutssleutel")
    if not sleutels.past(paar.ondertekening, rij):
        raise CommandError(
            f"{pad} is niet de instituutssleutel van deze server (die heeft vingerafdruk "
            f"{vingerafdruk_instituut(uit_b64(rij.ondertekening))}; dit bestand "
            f"{vingerafdruk_instituut(paar.publiek.ondertekening)}). Er is niets ondertekend."
        )
    return paar.ondertekening
