"""Enrolling a laptop, and knowing it again by its token.

A laptop enrols with the account's gebruikersnaam and wachtwoord and receives a token bound to that laptop: 256
random bits, of which the server keeps only the SHA-256 (a token is not a password: it cannot be guessed, so a
slow hash would add nothing, and the lookup stays one indexed read). A token expires after TOKEN_DAGEN days unless
the laptop renews it, and IT can revoke a laptop in the beheer pages. Every refusal says in Dutch what happened
and what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ontkoppel_desktop.core.kalender import dutch_date
from ontkoppel_server.instituut.models import Account, Laptop

OPNIEUW = "Meld de laptop opnieuw aan met Verbinden met instituut…"
ONBEKEND = f"Deze laptop is niet (meer) aangemeld bij het instituut. {OPNIEUW}"
ONJUIST = "De gebruikersnaam of het wachtwoord is onjuist."
# A laptop's last-seen time is written at most this often, not on every request.
GEZIEN_INTERVAL = dt.timedelta(minutes=5)


class Geweigerd(Exception):
    """The laptop or account may not (or no longer) speak to the server. The message is Dutch, for the user."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _nieuw_token() -> str:
    return secrets.token_urlsafe(32)


def _verloopt(nu: dt.datetime) -> dt.datetime:
    return nu + dt.timedelta(days=settings.TOKEN_DAGEN)


def _datum(moment: dt.datetime) -> str:
    return dutch_date(timezone.localtime(moment).date())


def meld_aan(gebruikersnaam: str, wachtwoord: str, laptop_naam: str) -> tuple[Laptop, str]:
    """Enrol a laptop for an account: the new Laptop and its token (shown to the laptop once, never stored)."""
    naam = " ".join(laptop_naam.split())[:100]
    if not naam:
        raise Geweigerd("Geef de naam van deze laptop mee.")
    account = authenticate(username=gebruikersnaam, password=wachtwoord)
    if not isinstance(account, Account):
        # authenticate() also says None for an account that IT switched off: the same words, so that the
        # answer does not tell a guesser which accounts exist.
        raise Geweigerd(ONJUIST)
    token = _nieuw_token()
    nu = timezone.now()
    laptop = Laptop.objects.create(
        account=account, naam=naam, token_hash=token_hash(token), aangemeld_op=nu, verloopt_op=_verloopt(nu),
        laatst_gezien=nu,
    )
    return laptop, token


def laptop_van(token: str) -> Laptop:
    """The laptop this token belongs to, if it may speak now; otherwise Geweigerd saying why."""
    if not token:
        raise Geweigerd(f"Deze laptop heeft zich niet aangemeld bij het instituut. {OPNIEUW}")
    gezocht = token_hash(token)
    laptop: Laptop | None = (Laptop.objects.select_related("account")
                             .filter(Q(token_hash=gezocht) | Q(vorig_token_hash=gezocht)).first())
    if laptop is None:
        raise Geweigerd(ONBEKEND)
    laptop.via_vorig_token = laptop.vorig_token_hash == gezocht
    if laptop.vorig_token_hash is not None and laptop.token_hash == gezocht:
        # The laptop has its renewed token: the one before it stops working now.
        Laptop.objects.filter(pk=laptop.pk).update(vorig_token_hash=None)
        laptop.vorig_token_hash = None
    nu = timezone.now()
    if laptop.ingetrokken_op is not None:
        raise Geweigerd(
            f"IT heeft de toegang van deze laptop ({laptop.naam}) op {_datum(laptop.ingetrokken_op)} ingetrokken. "
            "Neem contact op met IT van het instituut."
        )
    if not laptop.account.is_active:
        raise Geweigerd("Uw account bij het instituut is uitgeschakeld. Neem contact op met IT van het instituut.")
    if laptop.verloopt_op <= nu:
        raise Geweigerd(f"De aanmelding van deze laptop is verlopen op {_datum(laptop.verloopt_op)}. {OPNIEUW}")
    if laptop.laatst_gezien is None or nu - laptop.laatst_gezien > GEZIEN_INTERVAL:
        Laptop.objects.filter(pk=laptop.pk).update(laatst_gezien=nu)
        laptop.laatst_gezien = nu
    return laptop


def vernieuw(laptop: Laptop) -> str:
    """A new token for a laptop that may still speak. The token it asked with keeps working until the laptop
    first uses the new one (`laptop_van`): if this answer never arrives, the laptop asks again with the token it
    has, and is not locked out. Asked with that older token, the token it replaces was never received: it is
    dropped at once."""
    token = _nieuw_token()
    with transaction.atomic():
        if not getattr(laptop, "via_vorig_token", False):
            laptop.vorig_token_hash = laptop.token_hash
        laptop.token_hash = token_hash(token)
        laptop.verloopt_op = _verloopt(timezone.now())
        laptop.save(update_fields=["token_hash", "vorig_token_hash", "verloopt_op"])
    return token


def trek_in(laptops: Iterable[Laptop]) -> int:
    """Revoke laptops (IT, one action in the beheer pages): their tokens are refused from now on. Returns how
    many were not revoked before."""
    ids = [laptop.pk for laptop in laptops]
    return int(Laptop.objects.filter(pk__in=ids, ingetrokken_op__isnull=True).update(ingetrokken_op=timezone.now()))
