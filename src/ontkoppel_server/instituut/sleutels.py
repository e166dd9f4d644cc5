"""The key directory: the public keys the laptops seal to, bound to accounts by the institute (issue 16).

A laptop sends its account's public keys at enrolment (or later, `POST sleutels/eigen`); they are stored unsigned.
IT compares the fingerprint with the user, out of band (by phone), and signs them with the institute's signing key
(`onderteken`, the command sleutels-ondertekenen), which it keeps offline. A laptop pins the institute's public
key when it first connects (after comparing its fingerprint with the one IT published) and believes a key from
this directory only when that key verifies it (verzegeling.controleer_binding): a server, or whoever holds its
database, that swaps in a key of its own gets it refused. This directory therefore only hands keys out; it is not
what the laptops trust.

The laptops' half runs as the account (toegang.als_account, under the policies of migrations/0005_sleutels.py);
IT's half (`zet_instituutssleutel`, `zet_herstelsleutel`, `onderteken`) runs as the owner of the tables, like the
migrations: the application role can neither sign a key nor change the institute's.
"""

from __future__ import annotations

import base64

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from nacl.signing import SigningKey

from ontkoppel_desktop.instituut.verzegeling import (
    HERSTEL,
    PubliekeSleutels,
    ZegelFout,
    onderteken_binding,
    uit_b64,
    vingerafdruk,
)
from ontkoppel_server.instituut.gebeurtenissen import Onleesbaar
from ontkoppel_server.instituut.models import Account, InstituutSleutels, Laptop, Sleutel

ONLEESBARE_SLEUTELS = (
    "De publieke sleutels van deze laptop zijn onleesbaar. Verwacht: {\"versleuteling\": …, \"ondertekening\": …}, "
    "elk 32 bytes in base64."
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def lees(data: object) -> PubliekeSleutels:
    """A laptop's public keys as sent (PubliekeSleutels.naar_json()); Onleesbaar (400) in Dutch otherwise."""
    try:
        return PubliekeSleutels.uit_json(data)
    except ZegelFout:
        raise Onleesbaar(ONLEESBARE_SLEUTELS) from None


def publiek(sleutel: Sleutel) -> PubliekeSleutels:
    return PubliekeSleutels(uit_b64(sleutel.versleuteling), uit_b64(sleutel.ondertekening))


# ---- the laptops' half, as the account -------------------------------------------------------------------------


def huidige(account: Account) -> Sleutel | None:
    """The account's current key, signed or not."""
    sleutel: Sleutel | None = Sleutel.objects.filter(account=account, vervangen_op__isnull=True).first()
    return sleutel


def bewaar(laptop: Laptop, sleutels: PubliekeSleutels) -> Sleutel:
    """The keys from this laptop as its account's current key, unsigned, replacing the one before; the same keys
    again (a laptop enrolling once more) keep the row and its signature. In the caller's als_account transaction."""
    with transaction.atomic():
        # One change of an account's key at a time: two laptops of one account enrolling together would both find
        # no current key, and the second insert would break the one-current-key constraint.
        Account.objects.select_for_update().filter(pk=laptop.account_id).exists()
        oud = huidige(laptop.account)
        json = sleutels.naar_json()
        if oud is not None:
            if (oud.versleuteling, oud.ondertekening) == (json["versleuteling"], json["ondertekening"]):
                return oud
            oud.vervangen_op = timezone.now()
            oud.save(update_fields=["vervangen_op"])
        nieuw: Sleutel = Sleutel.objects.create(
            account_id=laptop.account_id, laptop=laptop, versleuteling=json["versleuteling"],
            ondertekening=json["ondertekening"], vingerafdruk=vingerafdruk(sleutels),
        )
        return nieuw


def sleutel_json(sleutel: Sleutel | None) -> dict[str, object] | None:
    if sleutel is None:
        return None
    return {"vingerafdruk": sleutel.vingerafdruk, "ondertekend": sleutel.ondertekend}


def instituut_json() -> dict[str, object]:
    """The institute's public keys as a laptop pins and checks them; nulls until IT has made them."""
    rij = InstituutSleutels.objects.filter(pk=1).first()
    herstel = None
    if rij is not None and rij.herstel_versleuteling and rij.herstel_ondertekening and rij.herstel_handtekening:
        herstel = {"versleuteling": rij.herstel_versleuteling, "ondertekening": rij.herstel_ondertekening,
                   "handtekening": rij.herstel_handtekening}
    return {"ondertekening": rij.ondertekening if rij is not None else None, "herstel": herstel}


def lijst(account: Account) -> list[dict[str, object]]:
    """The current signed key of every active account, by account name: for an active account with a role (it
    seals to readers); only its own for another, as the policy on `sleutel` has it."""
    sleutels = (Sleutel.objects.filter(vervangen_op__isnull=True, handtekening__isnull=False, account__is_active=True)
                .select_related("account").prefetch_related("account__rollen").order_by("account__username"))
    if not (account.is_active and account.rollen.exists()):
        sleutels = sleutels.filter(account=account)
    return [
        {
            "account": s.account.username,
            "naam": s.account.naam,
            "rollen": [{"rol": r.rol, "groep": r.groep_id, "opleidingsjaar": r.opleidingsjaar}
                       for r in sorted(s.account.rollen.all(), key=lambda r: (r.rol, r.groep_id or 0,
                                                                             r.opleidingsjaar or 0))],
            "versleuteling": s.versleuteling,
            "ondertekening": s.ondertekening,
            "handtekening": s.handtekening,
        }
        for s in sleutels
    ]


# ---- IT's half, as the owner of the tables ----------------------------------------------------------------------


def instituut(using: str) -> InstituutSleutels | None:
    rij: InstituutSleutels | None = InstituutSleutels.objects.using(using).filter(pk=1).first()
    return rij


def zet_instituutssleutel(ondertekening: bytes, using: str) -> int:
    """Store the institute's new public signing key. Every signature made with the key before it no longer holds:
    they are cleared (keys and the recovery key alike), to be signed again. Returns how many keys were signed."""
    with transaction.atomic(using=using):
        gewist = Sleutel.objects.using(using).filter(handtekening__isnull=False).update(handtekening=None,
                                                                                        ondertekend_op=None)
        InstituutSleutels.objects.using(using).update_or_create(
            pk=1, defaults={"ondertekening": b64(ondertekening), "herstel_handtekening": None,
                            "gewijzigd_op": timezone.now()})
    return int(gewist)


def past(instituutssleutel: SigningKey, rij: InstituutSleutels) -> bool:
    """Whether this private signing key is the one whose public half the server has."""
    return bool(b64(bytes(instituutssleutel.verify_key)) == rij.ondertekening)


def zet_herstelsleutel(instituutssleutel: SigningKey, herstel: PubliekeSleutels, using: str) -> None:
    """Publish the recovery key, bound to HERSTEL by the institute (the caller checked the key with `past`)."""
    json = herstel.naar_json()
    InstituutSleutels.objects.using(using).filter(pk=1).update(
        herstel_versleuteling=json["versleuteling"], herstel_ondertekening=json["ondertekening"],
        herstel_handtekening=b64(onderteken_binding(instituutssleutel, HERSTEL, herstel)),
        gewijzigd_op=timezone.now())


def te_ondertekenen(using: str, account: str | None = None) -> QuerySet[Sleutel]:
    """The current keys without the institute's signature (of one account, by gebruikersnaam), oldest first."""
    sleutels = Sleutel.objects.using(using).filter(vervangen_op__isnull=True, handtekening__isnull=True)
    if account is not None:
        sleutels = sleutels.filter(account__username=account)
    return sleutels.select_related("account", "laptop").order_by("aangemeld_op", "pk")


def vingerafdruk_van(sleutel: Sleutel) -> str:
    """The fingerprint to show IT: computed from the keys that will be signed, never the stored column, which
    whoever holds the database could have set to what the user sees."""
    return vingerafdruk(publiek(sleutel))


def onderteken(sleutel: Sleutel, instituutssleutel: SigningKey, using: str) -> bool:
    """The institute's signature that these keys are this account's. Only if the row still holds the keys that
    were shown (and is still current); returns whether it was signed."""
    handtekening = onderteken_binding(instituutssleutel, sleutel.account.username, publiek(sleutel))
    return bool(Sleutel.objects.using(using).filter(
        pk=sleutel.pk, account_id=sleutel.account_id, versleuteling=sleutel.versleuteling,
        ondertekening=sleutel.ondertekening, vervangen_op__isnull=True, handtekening__isnull=True,
    ).update(handtekening=b64(handtekening), ondertekend_op=timezone.now()))
