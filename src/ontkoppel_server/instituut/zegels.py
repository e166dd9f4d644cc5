"""Whether a sealed envelope a laptop sends may be kept (issue 16): the server cannot open it, but it can refuse one
that no reader should trust. Used for the free text of events and a traject's header (gebeurtenissen.py) and, for
the keys, by the verslagen (verslagen.py).

An envelope is kept only when it is readable, in the sending account's own name, signed by a key the institute
bound to that account (the current one, or one it replaced), sealed to the recovery key (`herstel`, so that a new
reader can be given it later), and when its metadata says exactly what it belongs to: nothing else, since the server
keeps the metadata readable.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping

from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    PubliekeSleutels,
    Waarde,
    ZegelFout,
    controleer_binding,
    controleer_handtekening,
    lezers_van,
    metadata_van,
    uit_b64,
)
from ontkoppel_server.instituut.models import Account, InstituutSleutels, Sleutel

ONLEESBAAR = "De verzegelde tekst bij deze gebeurtenis is geen geldige base64, of beschadigd of onleesbaar."
ANDER_ACCOUNT = (
    "De verzegelde tekst bij deze gebeurtenis staat op naam van een ander account; een laptop verstuurt alleen wat "
    "zijn eigen account verzegelde."
)
GEEN_SLEUTEL = (
    "Uw sleutel is nog niet door het instituut ondertekend, dus de server kan niet nagaan dat de verzegelde tekst bij "
    "deze gebeurtenis van u is. Laat IT de vingerafdruk van uw sleutel bevestigen."
)
HANDTEKENING = (
    "De handtekening onder de verzegelde tekst van deze gebeurtenis past bij geen sleutel die het instituut voor uw "
    "account heeft ondertekend: zij is onderweg veranderd of met een andere sleutel ondertekend. De gebeurtenis is "
    "niet aangenomen."
)
ZONDER_HERSTEL = (
    "De vrije tekst van deze gebeurtenis is niet verzegeld voor de herstelsleutel van het instituut: zonder die lezer "
    "kan zij nooit aan een nieuwe lezer worden gegeven. Verbind opnieuw met het instituut."
)
METADATA = (
    "De gegevens bij de verzegelde tekst passen niet bij deze gebeurtenis: zij moeten precies het traject (en de "
    "gebeurtenis) noemen, en niets anders."
)


class Afgewezen(ValueError):
    """An envelope the server does not keep; the message is Dutch."""


def ondertekensleutels(account: Account, using: str | None = None) -> list[bytes]:
    """The Ed25519 keys the institute bound to this account, current and replaced, as far as the binding verifies
    with the institute's signing key the server has now."""
    instituut: InstituutSleutels | None = InstituutSleutels.objects.using(using).filter(pk=1).first()
    if instituut is None:
        return []
    instituut_publiek = uit_b64(instituut.ondertekening)
    uit = []
    for sleutel in Sleutel.objects.using(using).filter(account=account, handtekening__isnull=False):
        publiek = PubliekeSleutels(uit_b64(sleutel.versleuteling), uit_b64(sleutel.ondertekening))
        try:
            controleer_binding(instituut_publiek, account.username, publiek, uit_b64(sleutel.handtekening))
        except (ZegelFout, ValueError):
            continue
        uit.append(publiek.ondertekening)
    return uit


def ondertekend_met(envelop: bytes, sleutel: bytes) -> bool:
    try:
        controleer_handtekening(envelop, sleutel)
    except ZegelFout:
        return False
    return True


def auteur_account(envelop: bytes) -> object:
    """The author's account name as the envelope states it (the envelope is JSON; verzegeling reads it, the server
    only needs this one field, which the author's signature covers)."""
    data = json.loads(envelop)
    return data.get("auteur_account") if isinstance(data, dict) else None


def _zelfde_id(waarde: Waarde, verwacht: uuid.UUID) -> bool:
    """A UUID in the metadata, in any of its spellings (with or without hyphens), as the laptop sent the item."""
    try:
        return isinstance(waarde, str) and uuid.UUID(waarde) == verwacht
    except ValueError:
        return False


class Zegels:
    """The envelopes of one account's batch. The account's bound keys are read once, when the first envelope
    arrives (a laptop without confirmed keys sends none)."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self._sleutels: list[bytes] | None = None

    def lees(self, raw: object) -> bytes | None:
        """The envelope as sent (base64, or absent / null)."""
        if raw is None:
            return None
        try:
            return uit_b64(raw)
        except ValueError:
            raise Afgewezen(ONLEESBAAR) from None

    def controleer(self, envelop: bytes, verwacht: Mapping[str, uuid.UUID]) -> None:
        """Raises Afgewezen unless the envelope may be kept (see the module's docstring); `verwacht` is its metadata,
        each value the UUID it must name."""
        try:
            metadata = metadata_van(envelop)
            lezers = lezers_van(envelop)
            auteur = auteur_account(envelop)
        except (ZegelFout, ValueError):
            raise Afgewezen(ONLEESBAAR) from None
        if set(metadata) != set(verwacht) or not all(_zelfde_id(metadata[k], v) for k, v in verwacht.items()):
            raise Afgewezen(METADATA)
        if auteur != self.account.username:
            raise Afgewezen(ANDER_ACCOUNT)
        if self._sleutels is None:
            self._sleutels = ondertekensleutels(self.account)
        if not self._sleutels:
            raise Afgewezen(GEEN_SLEUTEL)
        if not any(ondertekend_met(envelop, sleutel) for sleutel in self._sleutels):
            raise Afgewezen(HANDTEKENING)
        if HERSTEL not in lezers:
            raise Afgewezen(ZONDER_HERSTEL)
