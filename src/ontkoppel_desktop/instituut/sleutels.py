"""The keys of sealed verslagen on this laptop (issue 16; verzegeling.py does the cryptography).

- This user's key pair is made once, on the store's thread, before the laptop enrols: its public half goes with
  the enrolment, its private half stays in the encrypted store (schema v13) and never leaves it.
- The institute's signing key is pinned when the laptop first enrols (trust on first use), after the user compared
  its fingerprint with the one IT published. A server that later presents another key is not believed: the
  directory is then not updated and the user is told (a server cannot swap in a reader).
- The directory of readers (`GET sleutels`) is kept only as far as each key carries the institute's signature for
  its account; what does not verify is left out and reported. The recovery key is kept likewise, bound to
  `herstel`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    PubliekeSleutels,
    Sleutelpaar,
    ZegelFout,
    controleer_binding,
    maak_sleutelpaar,
    uit_b64,
    vingerafdruk,
    vingerafdruk_instituut,
)
from ontkoppel_desktop.store.connection import Connection
from ontkoppel_desktop.store.database import transaction

ANDERE_INSTITUUTSSLEUTEL = (
    "De instituutsserver geeft een andere sleutel van het instituut door dan bij het verbinden. Er wordt niets "
    "verzegeld voor nieuwe lezers tot dit is opgehelderd; neem contact op met de functioneel beheerder."
)


@dataclass(frozen=True, slots=True)
class Lezer:
    """An account whose public keys the institute signed, as this laptop checked them."""

    account: str
    naam: str
    rollen: tuple[dict[str, Any], ...]
    publiek: PubliekeSleutels


# The roles that see a traject from the advies tot ontkoppeling on (server: models.ROLLEN_NA_ADVIES).
NA_ADVIES = (Rol.MANAGER_OPLEIDERS, Rol.ASSISTENT_MANAGER_OPLEIDERS, Rol.PLV_HOOFD)


def heeft_rol(rollen: Iterable[Mapping[str, Any]], rol: Rol, groep: int, jaar: int) -> bool:
    """Whether these roles (as the directory lists them) hold `rol` for a traject of `groep` and `jaar`: docenten
    of that groep, a jaarassistent or manager opleiding of that year, an institute-wide role anywhere."""
    for r in rollen:
        if r.get("rol") != rol.value:
            continue
        if rol is Rol.DOCENTEN:
            if r.get("groep") == groep:
                return True
        elif rol.per_opleidingsjaar:
            if r.get("opleidingsjaar") == jaar:
                return True
        else:
            return True
    return False


def eigen_paar(conn: Connection) -> Sleutelpaar:
    """This user's key pair; made (and stored) the first time it is asked for."""
    row = conn.execute("SELECT paar FROM sleutelpaar WHERE id = 1").fetchone()
    if row is not None:
        return Sleutelpaar.uit_bytes(bytes(row[0]))
    paar = maak_sleutelpaar()
    with transaction(conn):
        conn.execute("INSERT INTO sleutelpaar (id, paar, aangemaakt) VALUES (1, ?, ?)",
                     (paar.naar_bytes(), dt.datetime.now().replace(microsecond=0).isoformat()))
    return paar


def eigen_vingerafdruk(conn: Connection) -> str:
    return vingerafdruk(eigen_paar(conn).publiek)


def instituut_sleutel(conn: Connection) -> bytes | None:
    row = conn.execute("SELECT instituut_ondertekening FROM instituut WHERE id = 1").fetchone()
    return uit_b64(row[0]) if row and row[0] else None


def instituut_vingerafdruk(instituut: Mapping[str, Any] | None) -> str | None:
    """The fingerprint of the signing key a server's answer (`instituut`) carries, to show before pinning it."""
    try:
        sleutel = (instituut or {}).get("ondertekening")
        return vingerafdruk_instituut(uit_b64(sleutel)) if sleutel else None
    except ValueError:
        return None


def bewaar_instituut(conn: Connection, instituut: Mapping[str, Any] | None, sleutel: Mapping[str, Any] | None = None
                     ) -> str | None:
    """What the server says about the institute's keys (`instituut` of the enrolment or `ik` answer) and this
    account's key (`sleutel`: signed yet?). Pins the signing key the first time; returns a Dutch warning when
    the server presents another one (then nothing is changed)."""
    instituut = instituut or {}
    nieuw = instituut.get("ondertekening")
    gepind = conn.execute("SELECT instituut_ondertekening FROM instituut WHERE id = 1").fetchone()
    if gepind is None:
        return None
    if gepind[0] and nieuw and nieuw != gepind[0]:
        return ANDERE_INSTITUUTSSLEUTEL
    waarschuwing = None
    herstel = instituut.get("herstel") or None
    herstel_sleutel = None
    ondertekening = gepind[0] or nieuw
    if herstel and ondertekening:
        try:
            # The recovery key is bound to HERSTEL by the institute key; only its X25519 half is needed. The binding
            # signs both halves: the server gives the X25519 one and the signature; the Ed25519 half is not used
            # for herstel, so the binding is checked over the pair the institute made (versleuteling, ondertekening).
            publiek = PubliekeSleutels(uit_b64(herstel["versleuteling"]), uit_b64(herstel["ondertekening"]))
            controleer_binding(uit_b64(ondertekening), HERSTEL, publiek, uit_b64(herstel["handtekening"]))
            herstel_sleutel = herstel["versleuteling"]
        except (KeyError, ValueError, TypeError, ZegelFout):
            waarschuwing = ("De herstelsleutel van het instituut die de server doorgeeft, is niet door het instituut "
                            "bevestigd en wordt niet gebruikt. Neem contact op met de functioneel beheerder.")
    with transaction(conn):
        conn.execute("UPDATE instituut SET instituut_ondertekening = coalesce(instituut_ondertekening, ?), "
                     "herstel_versleuteling = coalesce(?, herstel_versleuteling), sleutel_ondertekend = ? "
                     "WHERE id = 1", (nieuw, herstel_sleutel, int(bool((sleutel or {}).get("ondertekend")))))
    return waarschuwing


def bewaar_lezers(conn: Connection, sleutels: Iterable[Mapping[str, Any]]) -> list[str]:
    """Replace the directory with the keys that carry the pinned institute's signature for their account. Returns
    a Dutch line for each key left out (its account named)."""
    instituut = instituut_sleutel(conn)
    if instituut is None:
        return ["De sleutel van het instituut is nog niet bekend: er kan nog niet verzegeld worden."]
    rows = []
    overgeslagen = []
    for s in sleutels:
        account = str(s.get("account") or "")
        try:
            publiek = PubliekeSleutels.uit_json({k: s[k] for k in ("versleuteling", "ondertekening")})
            controleer_binding(instituut, account, publiek, uit_b64(s["handtekening"]))
        except (KeyError, ValueError, TypeError, ZegelFout):
            overgeslagen.append(f"De sleutel van {account or 'een account'} is niet door het instituut bevestigd en "
                                "wordt niet gebruikt.")
            continue
        rows.append((account, str(s.get("naam") or ""), json.dumps(list(s.get("rollen") or []), ensure_ascii=False),
                     s["versleuteling"], s["ondertekening"]))
    with transaction(conn):
        conn.execute("UPDATE instituut SET sleutels_opgehaald = ? WHERE id = 1",
                     (dt.datetime.now().replace(microsecond=0).isoformat(),))
        conn.execute("DELETE FROM sleutel_lezer")
        conn.executemany("INSERT OR REPLACE INTO sleutel_lezer (account, naam, rollen, versleuteling, ondertekening) "
                         "VALUES (?, ?, ?, ?, ?)", rows)
    return overgeslagen


def directory_bekend(conn: Connection) -> bool:
    """Whether the directory was fetched at least once since connecting (or the institute has no keys at all):
    until then nothing is sealed, or it would be sealed without its readers."""
    row = conn.execute("SELECT sleutels_opgehaald, herstel_versleuteling FROM instituut WHERE id = 1").fetchone()
    return row is None or row[0] is not None or row[1] is None


def lezers(conn: Connection) -> list[Lezer]:
    return [Lezer(a, n, tuple(json.loads(r)), PubliekeSleutels(uit_b64(v), uit_b64(o)))
            for a, n, r, v, o in conn.execute(
                "SELECT account, naam, rollen, versleuteling, ondertekening FROM sleutel_lezer ORDER BY account")]


def herstel_sleutel(conn: Connection) -> bytes | None:
    """The recovery key's X25519 public key, checked against the institute's signature when it was stored."""
    row = conn.execute("SELECT herstel_versleuteling FROM instituut WHERE id = 1").fetchone()
    return uit_b64(row[0]) if row and row[0] else None
