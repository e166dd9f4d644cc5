"""The access log (issue 17, "who looked at what"): every read of traject data or a verslag leaves a row, written in
the same transaction as the read, so that an answer handed out is an answer logged (and a read that fails writes
nothing).

What is logged: `GET /api/v1/trajecten/<uuid>` one row (soort traject, with the number of its events);
`GET /api/v1/gebeurtenissen` one row per traject that has events in the page (soort gebeurtenissen, with the
number of its events in that page); `GET /api/v1/verslagen` one row per verslag handed out (soort verslag). A read
that hands out nothing of a traject writes no row for it.

The application role may only insert into the log, in its own account's name (migrations/0008_toegangslog.py), so
the rows go in as one plain INSERT without RETURNING: Django's bulk_create asks the new ids back, which needs the
SELECT privilege the role does not have. Reading and exporting the log is the owner's (`lees`, the command
toegangslog-exporteren and the beheer page).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ontkoppel_server.instituut.models import Account, Laptop, Toegang

EIGENAAR = "eigenaar"
Soort = Literal["traject", "verslag", "gebeurtenissen"]
KOLOMMEN = "account_id, laptop_id, soort, traject, verslag, aantal, details"


@dataclass(frozen=True, slots=True)
class Lezer:
    """Who reads: the account, from which laptop, through which request (the log's `details`)."""

    account: Account
    laptop: Laptop | None = None
    pad: str = ""

    @classmethod
    def van(cls, request: HttpRequest, laptop: Laptop) -> Lezer:
        return cls(laptop.account, laptop, request.path[:200])


@dataclass(frozen=True, slots=True)
class Gelezen:
    """What one row says was read: a traject (and a verslag of it), and how many events or verslagen."""

    traject: uuid.UUID | None
    aantal: int
    verslag: uuid.UUID | None = None


def schrijf(lezer: Lezer, soort: Soort, gelezen: Sequence[Gelezen], **details: object) -> None:
    """Log these reads, in the current transaction. Call it inside `toegang.als_account(lezer.account)`: the policy
    takes rows only in the name of the account the transaction speaks for."""
    if not gelezen:
        return
    extra = json.dumps({"pad": lezer.pad, **details}, ensure_ascii=False, default=str)
    laptop = lezer.laptop.pk if lezer.laptop is not None else None
    verslagen = [rij.verslag for rij in gelezen]
    # One statement with three arrays, not one VALUES tuple per row: a page of 500 trajecten is then about 5 ms
    # instead of 14 (measured on loopback). unnest pads a NULL array with NULLs: no verslag in the rows.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO toegangslog ({KOLOMMEN}) SELECT %s, %s, %s, r.traject, r.verslag, r.aantal, %s::jsonb "
            "FROM unnest(%s::uuid[], %s::uuid[], %s::integer[]) AS r(traject, verslag, aantal)",
            [lezer.account.pk, laptop, soort, extra, [rij.traject for rij in gelezen],
             verslagen if any(v is not None for v in verslagen) else None, [rij.aantal for rij in gelezen]],
        )


# ---- the owner's half: reading ----------------------------------------------------------------------------------


class GeenEigenaar(LookupError):
    """The owner's database alias is not configured in this process. The message is Dutch."""


def eigenaar() -> str:
    """The database alias the log is read with: the owner of the tables (the application role cannot read it)."""
    if EIGENAAR not in settings.DATABASES:
        raise GeenEigenaar(
            "Het toegangslog is alleen te lezen als eigenaar van de tabellen, zoals bij migreren: zet "
            "ONTKOPPEL_SERVER_DB_EIGENAAR en ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD (server/README.md)."
        )
    return EIGENAAR


def lees(using: str, *, van: dt.date | None = None, tot: dt.date | None = None,
         accounts: Iterable[Account] = (), trajecten: Iterable[uuid.UUID] = ()) -> QuerySet[Toegang]:
    """The log's rows, oldest first: from `van` up to and including `tot` (days in the server's time zone), of these
    accounts (any of them) and these trajecten (any of them; a verslag's row names its traject)."""
    rijen = Toegang.objects.using(using).select_related("account", "laptop")
    if van is not None:
        rijen = rijen.filter(moment__gte=_begin(van))
    if tot is not None:
        rijen = rijen.filter(moment__lt=_begin(tot + dt.timedelta(days=1)))
    if account_ids := sorted({a.pk for a in accounts}):
        rijen = rijen.filter(account_id__in=account_ids)
    if traject_ids := sorted(set(trajecten)):
        rijen = rijen.filter(Q(traject__in=traject_ids))
    return rijen.order_by("moment", "id")


def _begin(dag: dt.date) -> dt.datetime:
    begin: dt.datetime = timezone.make_aware(dt.datetime.combine(dag, dt.time.min))
    return begin
