"""The institute server's tests: a throwaway PostgreSQL cluster on loopback, set up as in production (owner,
application role under row-level security), and laptops speaking to the server through Django's test client
over HTTPS (secure=True) with real tokens.

Django is configured when this file is imported (the test modules import the server's models), with the port
and passwords the cluster will get; the cluster starts with the first test that needs it and stops at the end
of the session. After each test every table is emptied, as the owner.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ontkoppel_server import pgcluster

DB_POORT = pgcluster.vrije_poort()
APP_WACHTWOORD = "app-" + uuid.uuid4().hex
EIGENAAR_WACHTWOORD = "eigenaar-" + uuid.uuid4().hex
ENV = {
    "ONTKOPPEL_SERVER_SECRET_KEY": "test-" + uuid.uuid4().hex,
    "ONTKOPPEL_SERVER_ALLOWED_HOSTS": "testserver,127.0.0.1",
    "ONTKOPPEL_SERVER_DB_NAAM": "ontkoppel",
    "ONTKOPPEL_SERVER_DB_HOST": "127.0.0.1",
    "ONTKOPPEL_SERVER_DB_POORT": str(DB_POORT),
    "ONTKOPPEL_SERVER_DB_GEBRUIKER": "ontkoppel_app",
    "ONTKOPPEL_SERVER_DB_WACHTWOORD": APP_WACHTWOORD,
    "ONTKOPPEL_SERVER_DB_EIGENAAR": "ontkoppel_eigenaar",
    "ONTKOPPEL_SERVER_DB_EIGENAAR_WACHTWOORD": EIGENAAR_WACHTWOORD,
    "ONTKOPPEL_SERVER_LOG_NIVEAU": "ERROR",
    "DJANGO_SETTINGS_MODULE": "ontkoppel_server.settings",
}
os.environ.update(ENV)

# Django sets the process's TZ to its TIME_ZONE; the app's tests in this process keep the machine's.
_tz = os.environ.get("TZ")
import django  # noqa: E402

django.setup()
if _tz is None:
    os.environ.pop("TZ", None)
else:
    os.environ["TZ"] = _tz
time.tzset()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from ontkoppel_desktop.core.gedeeld import VERZEGELD, VERZEGELDE_CATEGORIE  # noqa: E402
from ontkoppel_desktop.core.procedure import default_registry, new_event  # noqa: E402
from ontkoppel_desktop.core.rollen import Rol  # noqa: E402
from ontkoppel_server.inrichting import Inrichting  # noqa: E402
from ontkoppel_server.instituut.models import Account, AccountRol, Groep  # noqa: E402

# Tests check the machinery, not the hashing cost (Argon2 in production).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
WACHTWOORD = "Correct-paard-batterij-7"
TABELLEN = (
    "toegangslog, verslag, sleutel, instituut_sleutels, blokkade, gebeurtenis, traject, koppeling, aios, opleider, "
    "praktijk, laptop, account_rol, groep, "
    "account_groups, account_user_permissions, django_admin_log, django_session, account"
)
LOG_TRIGGER = "toegangslog_alleen_toevoegen"


_gestart: list[pgcluster.Cluster] = []


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgcluster.Cluster]:
    # tests/instituut imports this fixture too (pytest then knows it twice): one cluster for the session, started
    # by whichever asks first and stopped by it.
    if _gestart:
        yield _gestart[0]
        return
    with pgcluster.wegwerp(DB_POORT) as cluster:
        _gestart.append(cluster)
        for alias in ("default", "eigenaar"):  # another port if DB_POORT was taken meanwhile
            settings.DATABASES[alias]["PORT"] = str(cluster.port)
        Inrichting("ontkoppel", "ontkoppel_eigenaar", EIGENAAR_WACHTWOORD, "ontkoppel_app", APP_WACHTWOORD).richt_in(
            cluster.conninfo()
        )
        call_command("migrate", database="eigenaar", verbosity=0)
        yield cluster
        connections.close_all()
        _gestart.clear()


@pytest.fixture(autouse=True)
def leeg(postgres: pgcluster.Cluster) -> Iterator[None]:
    yield
    # The access log refuses TRUNCATE, also the owner's (migrations/0008_toegangslog.py): its trigger is switched
    # off for the cleanup only, in the same transaction, as the README tells an owner who must.
    with transaction.atomic(using="eigenaar"), connections["eigenaar"].cursor() as cursor:
        cursor.execute(f"ALTER TABLE toegangslog DISABLE TRIGGER {LOG_TRIGGER}")
        cursor.execute(f"TRUNCATE {TABELLEN} RESTART IDENTITY CASCADE")
        cursor.execute(f"ALTER TABLE toegangslog ENABLE ALWAYS TRIGGER {LOG_TRIGGER}")


# ---- people ---------------------------------------------------------------------------------------------------


def groep(naam: str, jaar: int = 1) -> Groep:
    return Groep.objects.create(naam=naam, opleidingsjaar=jaar)


def account(gebruikersnaam: str, *rollen: tuple[Rol, Groep | int | None], **velden: Any) -> Account:
    """An account with roles: (Rol.DOCENTEN, groep), (Rol.JAARASSISTENT, 1), (Rol.PLV_HOOFD, None)."""
    velden.setdefault("first_name", gebruikersnaam.title())
    acc = Account.objects.create_user(gebruikersnaam, password=WACHTWOORD, **velden)
    for rol, scope in rollen:
        AccountRol.objects.create(
            account=acc, rol=rol.value, groep=scope if isinstance(scope, Groep) else None,
            opleidingsjaar=scope if isinstance(scope, int) else None,
        )
    return acc


# ---- a laptop, as the app will speak to the server -------------------------------------------------------------


VANDAAG = dt.date.today()


def dag(dagen_terug: int) -> dt.date:
    return VANDAAG - dt.timedelta(days=dagen_terug)


def kop(g: Groep, jaar: int | None = None, **extra: Any) -> dict[str, Any]:
    """The header a laptop sends with the first event of a new traject: its categorie and the aios's name travel
    sealed, so the header has the placeholder and no name (core/gedeeld.py, kop_scheid)."""
    definition = default_registry().current()
    return {
        "groep": g.pk, "opleidingsjaar": jaar or g.opleidingsjaar, "procedure_id": definition.id,
        "procedure_version": definition.version, "startreden": "signaal_docenten", "categorie": VERZEGELDE_CATEGORIE,
        "koppeling_id": 11, "aios_id": 12, "opleider_id": 13, "startdatum_opleiding": dag(200).isoformat(),
        "deeltijdpercentage": 100, **extra,
    }


@dataclass
class LaptopSessie:
    """One enrolled laptop: its own HTTPS client and token, and the last volgnummer it pulled."""

    client: Client
    token: str
    gezien: int = 0
    trajecten: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def get(self, path: str, **params: Any) -> tuple[int, Any]:
        response = self.client.get(path, params, secure=True, headers={"Authorization": f"Bearer {self.token}"})
        return response.status_code, response.json()

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        response = self.client.post(path, body, content_type="application/json", secure=True,
                                    headers={"Authorization": f"Bearer {self.token}"})
        return response.status_code, response.json()

    def stuur(self, *events: dict[str, Any], laatst_opgehaald: int | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"gebeurtenissen": list(events)}
        if laatst_opgehaald is not None:
            body["laatst_opgehaald"] = laatst_opgehaald
        status, answer = self.post("/api/v1/gebeurtenissen", body)
        assert status == 200, answer
        resultaten: list[dict[str, Any]] = answer["resultaten"]
        return resultaten

    def haal(self) -> dict[str, Any]:
        """Pull everything new, page by page, into `trajecten` (events by traject, in volgnummer order)."""
        while True:
            status, answer = self.get("/api/v1/gebeurtenissen", na=self.gezien)
            assert status == 200, answer
            for event in answer["gebeurtenissen"]:
                events = self.trajecten.setdefault(event["traject"], [])
                if all(e["id"] != event["id"] for e in events):
                    events.append(event)
            self.gezien = answer["tot"]
            if not answer["meer"]:
                result: dict[str, Any] = answer
                return result


def aanmelden(gebruikersnaam: str, laptop: str = "Laptop", sleutels: dict[str, str] | None = None) -> LaptopSessie:
    """Enrol a laptop; with `sleutels` (PubliekeSleutels.naar_json()) as the app sends its user's public keys."""
    client = Client()
    body: dict[str, Any] = {"gebruikersnaam": gebruikersnaam, "wachtwoord": WACHTWOORD, "laptop": laptop}
    if sleutels is not None:
        body["sleutels"] = sleutels
    response = client.post("/api/v1/aanmelden", body, content_type="application/json", secure=True)
    assert response.status_code == 201, response.content
    return LaptopSessie(client, response.json()["token"])


def event(traject: str, kind: str, dagen_terug: int, data: dict[str, Any] | None = None, *,
          met_kop: dict[str, Any] | None = None) -> dict[str, Any]:
    """An event as the laptop's outbox sends it: TrajectEvent.to_dict(), its traject, and a new traject's header."""
    made = new_event(kind, dag(dagen_terug), data or {}, user="laptop")
    out: dict[str, Any] = {**made.to_dict(), "traject": traject}
    if met_kop is not None:
        out["traject_kop"] = met_kop
    return out


def ruw(traject: str, kind: str, dagen_terug: int, data: dict[str, Any]) -> dict[str, Any]:
    """An event the core would not build (a laptop of another version, or a forged one)."""
    return {"id": uuid.uuid4().hex, "kind": kind, "date": dag(dagen_terug).isoformat(), "data": data,
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(), "user": "laptop", "traject": traject}


def nieuw_traject() -> str:
    return str(uuid.uuid4())


def signaal(traject: str, g: Groep, dagen_terug: int = 30) -> dict[str, Any]:
    return event(traject, "signaal", dagen_terug, {"bron": "docenten", "omschrijving": VERZEGELD}, met_kop=kop(g))


def tot_advies(traject: str, g: Groep) -> list[dict[str, Any]]:
    """A traject from its signaal to the advies tot ontkoppeling."""
    return [
        signaal(traject, g),
        event(traject, "driehoeksgesprek", 25, {"initiatief": "docenten"}),
        event(traject, "uitkomst", 20, {"uitkomst": "advies_ontkoppeling"}),
    ]


def besluit(traject: str, dagen_terug: int = 10, door: str = VERZEGELD) -> dict[str, Any]:
    return event(traject, "besluit_ontkoppeling", dagen_terug, {"besluit": "ontkoppelen", "door": door})
