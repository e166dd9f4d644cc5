"""Free text on its way to the institute and back (issue 16): the server gets an event's data with every free text
replaced by a placeholder (core.gedeeld.scheid), and the real values in an envelope sealed to the traject's
readers and signed by this user; a reader's laptop opens it and records the event as it was typed.

The traject's readers are everyone who may see it at the institute (server: toegang.Scope): the docenten of its
groep, the jaarassistenten and managers opleiding of its opleidingsjaar, and the roles that see a traject from the
advies tot ontkoppeling on (they receive its events only from then). And always the author and the institute's
recovery key. Without the institute's keys (IT has not made them yet) the steps are shared without their free
text: the placeholder stays on the other laptops, the text on this one.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from ontkoppel_desktop.core.gedeeld import kop_scheid, scheid, voeg_samen
from ontkoppel_desktop.core.procedure import EventKind
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import sleutels
from ontkoppel_desktop.instituut.verzegeling import HERSTEL, ZegelFout, metadata_van, open_zegel, verzegel
from ontkoppel_desktop.store.connection import Connection


def ziet_traject(rollen: Any, groep: int, jaar: int) -> bool:
    """Whether an account with these roles (as the directory lists them) may see a traject of `groep` and `jaar`,
    now or from the advies tot ontkoppeling on."""
    return any(sleutels.heeft_rol(rollen, rol, groep, jaar)
               for rol in (Rol.DOCENTEN, Rol.JAARASSISTENT, Rol.MANAGER_OPLEIDING, *sleutels.NA_ADVIES))


class Verzegelaar:
    """Seals the free text of the events one round sends (store thread); the keys read once."""

    def __init__(self, conn: Connection, account: str) -> None:
        self.account = account
        self.herstel = sleutels.herstel_sleutel(conn)
        self.paar = sleutels.eigen_paar(conn) if self.herstel is not None else None
        self.directory = sleutels.lezers(conn) if self.herstel is not None else []
        self._lezers: dict[tuple[int, int], dict[str, bytes]] = {}

    def lezers(self, groep: int, jaar: int) -> dict[str, bytes] | None:
        if self.herstel is None or self.paar is None:
            return None
        if (groep, jaar) not in self._lezers:
            lezers = {lezer.account: lezer.publiek.versleuteling for lezer in self.directory
                      if ziet_traject(lezer.rollen, groep, jaar)}
            lezers[self.account] = self.paar.publiek.versleuteling
            lezers[HERSTEL] = self.herstel
            self._lezers[(groep, jaar)] = lezers
        return self._lezers[(groep, jaar)]

    def _zegel(self, geheim: Mapping[str, Any], metadata: dict[str, str | int | bool | None],
               lezers: dict[str, bytes] | None) -> str | None:
        if not geheim or lezers is None or self.paar is None:
            return None
        envelop = verzegel(json.dumps(geheim, ensure_ascii=False, sort_keys=True).encode("utf-8"), metadata,
                           self.paar, self.account, lezers)
        return base64.b64encode(envelop).decode("ascii")

    def event(self, item: dict[str, Any], traject_uuid: str, groep: int | None, jaar: int | None,
              doel: EventKind | None) -> dict[str, Any]:
        """The item as the server may hold it, with its free text sealed (when the keys allow)."""
        try:
            kind = EventKind(str(item.get("kind")))
        except ValueError:
            return item
        openbaar, geheim = scheid(kind, item.get("data") or {}, doel)
        out = {**item, "data": openbaar}
        lezers = self.lezers(groep, jaar) if groep is not None and jaar is not None else None
        zegel = self._zegel(geheim, {"traject": traject_uuid, "gebeurtenis": str(item.get("id"))}, lezers)
        if zegel is not None:
            out["verzegeld"] = zegel
        return out

    def kop(self, kop: Mapping[str, Any], traject_uuid: str) -> tuple[dict[str, Any], str | None]:
        openbaar, geheim = kop_scheid(kop)
        lezers = self.lezers(int(kop["groep"]), int(kop["opleidingsjaar"]))
        return openbaar, self._zegel(geheim, {"traject": traject_uuid}, lezers)


class Opener:
    """Opens what others sealed to this user (store thread), their signature checked against the key the
    institute bound to their account."""

    def __init__(self, conn: Connection, account: str) -> None:
        self.account = account
        self.paar = sleutels.eigen_paar(conn)
        self.sleutels = {lezer.account: lezer.publiek.ondertekening for lezer in sleutels.lezers(conn)}
        self.niet_geopend = 0

    def geheim(self, zegel: object, verwacht: Mapping[str, str]) -> dict[str, Any] | None:
        """The sealed values, or None (nothing sealed, or not readable here: counted)."""
        if not isinstance(zegel, str) or not zegel:
            return None
        try:
            envelop = base64.b64decode(zegel, validate=True)
            if metadata_van(envelop) != dict(verwacht):
                raise ZegelFout("metadata")
            auteur = str(json.loads(envelop).get("auteur_account") or "")
            geopend = open_zegel(envelop, self.account, self.paar, self.sleutels[auteur])
            waarde = json.loads(geopend.inhoud)
            if not isinstance(waarde, dict):
                raise ZegelFout("inhoud")
            return waarde
        except (ZegelFout, KeyError, ValueError, binascii.Error):
            self.niet_geopend += 1
            return None

    def event(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """A pulled event with its free text back, as typed (placeholders stay where it cannot be opened)."""
        geheim = self.geheim(raw.get("verzegeld"), {"traject": str(raw.get("traject")), "gebeurtenis":
                                                    str(raw.get("id"))})
        out = {k: v for k, v in raw.items() if k != "verzegeld"}  # kept opened, in the encrypted store
        if geheim:
            out["data"] = voeg_samen(raw.get("data") or {}, geheim)
        return out

    def kop(self, kop: Mapping[str, Any]) -> dict[str, Any]:
        geheim = self.geheim(kop.get("kop_verzegeld"), {"traject": str(kop.get("id"))})
        out = {k: v for k, v in kop.items() if k != "kop_verzegeld"}
        return {**out, **geheim} if geheim else out
