"""Who sees which traject: the service's half of "each person sees only what their role needs".

The same rule is held a second time by PostgreSQL (migrations/0002_rijbeveiliging.py): every query of a request
runs in a transaction that names its account (`als_account`), and the policies on `traject` and `gebeurtenis`
let through only the rows this module also selects. A forgotten filter here therefore shows nothing extra, and a
forgotten `als_account` shows nothing at all.

- docenten see the trajecten of their groepen (they guide them, Utrecht 4);
- a jaarassistent and a manager opleiding see every traject of their opleidingsjaar (terms, archiving, the
  process of the year);
- manager opleiders, assistent manager opleiders and the plv. hoofd see a traject from the advies tot ontkoppeling
  on (the new koppeling, the formal besluit, the blokkade of the opleider);
- a beleidsmedewerker keeps the procedure itself up to date and sees no traject.

Whoever sees a traject sees all its events: the laptop checks the same rules offline on the whole record. The free
text of events and the traject's categorie are in envelopes sealed to its readers: whoever sees the traject gets
them, and only a reader opens them (gebeurtenissen.py, zegels.py). Seeing is not writing: which events an
account may record on a traject it sees is schrijfrecht.py's rule.

A sealed verslag goes further than the traject: only the accounts its author sealed it to (and those IT added with
the recovery key) get it, whoever else sees the traject (`verslagen`, and the policy of migrations/0006_verslagen.py).

The blokkades of opleiders are known institute-wide: every active account with a role reads all of them, also of
trajecten it does not see; they hold nothing of the aios (blokkades.py, migrations/0003_blokkade.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server.instituut.models import (
    ROLLEN_NA_ADVIES,
    Account,
    Blokkade,
    Gebeurtenis,
    Groep,
    Reeks,
    Traject,
    Verslag,
)

# The setting the policies read (ontkoppel_rls.account()); transaction-local, so a pooled connection forgets it.
ACCOUNT_SETTING = "app.account"


@dataclass(frozen=True, slots=True)
class Scope:
    """What an account's roles open: groepen (as docent), opleidingsjaren, and trajecten after the advies."""

    groepen: frozenset[int]
    opleidingsjaren: frozenset[int]
    na_advies: bool

    @classmethod
    def van(cls, account: Account) -> Scope:
        groepen: set[int] = set()
        jaren: set[int] = set()
        na_advies = False
        if account.is_active:
            for rol in account.rollen.all():
                if rol.rol == Rol.DOCENTEN and rol.groep_id is not None:
                    groepen.add(rol.groep_id)
                elif rol.opleidingsjaar is not None and Rol(rol.rol).per_opleidingsjaar:
                    jaren.add(rol.opleidingsjaar)
                elif rol.rol in ROLLEN_NA_ADVIES:
                    na_advies = True
        return cls(frozenset(groepen), frozenset(jaren), na_advies)

    def ziet(self, groep_id: int, opleidingsjaar: int, advies_ontkoppeling: bool) -> bool:
        return (
            groep_id in self.groepen
            or opleidingsjaar in self.opleidingsjaren
            or (advies_ontkoppeling and self.na_advies)
        )

    def filter(self) -> Q:
        q = Q(pk__in=[])
        if self.groepen:
            q |= Q(groep_id__in=sorted(self.groepen))
        if self.opleidingsjaren:
            q |= Q(opleidingsjaar__in=sorted(self.opleidingsjaren))
        if self.na_advies:
            q |= Q(advies_ontkoppeling=True)
        return q


def trajecten(account: Account) -> QuerySet[Traject]:
    """The trajecten this account may see."""
    return Traject.objects.filter(Scope.van(account).filter())


def gebeurtenissen(account: Account) -> QuerySet[Gebeurtenis]:
    """The events of the trajecten this account may see."""
    return Gebeurtenis.objects.filter(traject__in=trajecten(account))


def verslagen(account: Account) -> QuerySet[Verslag]:
    """The verslagen sealed to this account: it is one of their readers."""
    if not account.is_active:
        return Verslag.objects.none()
    return Verslag.objects.filter(lezers__contains=[account.username])


def groepen(account: Account) -> QuerySet[Groep]:
    """The groepen in which this account may start a traject: a docent's own, every groep of a jaar role's year."""
    scope = Scope.van(account)
    return Groep.objects.filter(Q(pk__in=sorted(scope.groepen)) | Q(opleidingsjaar__in=sorted(scope.opleidingsjaren)))


def blokkades(account: Account) -> QuerySet[Blokkade]:
    """Every blokkade, for an active account that holds a role; none for another."""
    if account.is_active and account.rollen.exists():
        return Blokkade.objects.all()
    return Blokkade.objects.none()


@contextmanager
def als_account(account: Account) -> Iterator[None]:
    """One transaction in which PostgreSQL knows the account (SET LOCAL through set_config), for the policies."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [ACCOUNT_SETTING, str(account.pk)])
        yield


def reeks() -> str:
    """The lineage of this database (models.Reeks), handed out with every page: another one after IT put back a
    back-up (`na-herstel`), so that the laptops send again what the server lost and pull from the start."""
    row = Reeks.objects.first()
    return str(row.reeks) if row is not None else ""
