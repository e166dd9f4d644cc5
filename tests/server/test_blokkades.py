"""The blokkade of an opleider is known institute-wide: kept by the server from the traject's events, listed for
every account with a role (GET /api/v1/blokkades), also where it does not see the traject; written only for a
traject the account sees (row-level security)."""

from __future__ import annotations

import importlib
import uuid
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from django.apps import apps

from ontkoppel_desktop.core.procedure import default_registry
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server import pgcluster
from ontkoppel_server.instituut.models import Blokkade
from tests.server.conftest import (
    VERZEGELD,
    aanmelden,
    account,
    besluit,
    dag,
    event,
    groep,
    kop,
    nieuw_traject,
    tot_advies,
)
from tests.server.test_toegang import als_app

WACHT_OP = default_registry().current().step("contact_manager_opleiders").title


def _migratie_0003() -> Any:
    return importlib.import_module("ontkoppel_server.instituut.migrations.0003_blokkade")


def _met_naam(traject: str, g: Any, opleider_id: int, opleider_naam: str) -> list[dict[str, Any]]:
    eerste, *rest = tot_advies(traject, g)
    eerste["traject_kop"] = kop(g, opleider_id=opleider_id, opleider_naam=opleider_naam)
    return [eerste, *rest]


def test_a_docent_of_another_groep_knows_the_blokkade_until_the_contact_lifts_it() -> None:
    a_groep, b_groep = groep("Groep A"), groep("Groep B")
    account("anna", (Rol.DOCENTEN, a_groep))
    account("bert", (Rol.DOCENTEN, b_groep))
    account("hoofd", (Rol.PLV_HOOFD, None))
    account("mo", (Rol.MANAGER_OPLEIDERS, None))
    account("geen_rol")
    a, b, hoofd, mo = aanmelden("anna"), aanmelden("bert"), aanmelden("hoofd"), aanmelden("mo")
    traject = nieuw_traject()
    a.stuur(*_met_naam(traject, a_groep, 13, "Dr. P. de Vries"))
    assert b.get("/api/v1/blokkades") == (200, {"blokkades": []})

    # The formal besluit starts the blokkade ([rules.blokkade] from_moment = "ontkoppeling").
    [r] = hoofd.stuur(besluit(traject, 10))
    assert r["status"] == "aanvaard"
    status, answer = b.get("/api/v1/blokkades")
    assert status == 200
    # A traject whose header does not say "personen": "instituut": the opleider is the starting laptop's.
    assert answer == {"blokkades": [{"traject": traject, "opleider_id": 13, "opleider_naam": "Dr. P. de Vries",
                                     "instituut": False, "sinds": dag(10).isoformat(), "wacht_op": WACHT_OP}]}
    assert b.get(f"/api/v1/trajecten/{traject}")[0] == 404  # the traject itself stays out of bert's sight
    assert aanmelden("geen_rol").get("/api/v1/blokkades") == (200, {"blokkades": []})

    # The manager opleiders' contact with the opleider lifts it (until_step = "contact_manager_opleiders") ...
    [contact] = mo.stuur(event(traject, "contact_manager_opleiders", 5))
    assert contact["status"] == "aanvaard", contact
    assert b.get("/api/v1/blokkades") == (200, {"blokkades": []})
    # ... and withdrawing the contact puts it back.
    [intrekking] = mo.stuur(event(traject, "gebeurtenis_ingetrokken", 0,
                                  {"gebeurtenis": contact["id"], "motivatie": VERZEGELD}))
    assert intrekking["status"] == "aanvaard", intrekking
    assert [x["traject"] for x in b.get("/api/v1/blokkades")[1]["blokkades"]] == [traject]


def test_blokkades_are_listed_by_the_opleiders_name() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    account("beleid", (Rol.BELEIDSMEDEWERKER, None))  # sees no traject, but may know who is blocked
    a = aanmelden("anna")
    trajecten = {}
    for opleider_id, naam in ((21, "Zwart"), (22, ""), (23, "Aalders")):
        traject = nieuw_traject()
        trajecten[naam] = traject
        resultaten = a.stuur(*_met_naam(traject, g, opleider_id, naam), besluit(traject, 10))
        assert [r["status"] for r in resultaten] == ["aanvaard"] * 4
    status, answer = aanmelden("beleid").get("/api/v1/blokkades")
    assert status == 200
    assert [(x["opleider_naam"], x["opleider_id"], x["traject"]) for x in answer["blokkades"]] == [
        ("", 22, trajecten[""]), ("Aalders", 23, trajecten["Aalders"]), ("Zwart", 21, trajecten["Zwart"]),
    ]
    # The endpoint is for laptops with a token, like the others.
    response = a.client.get("/api/v1/blokkades", secure=True)
    assert response.status_code == 401


def test_every_role_reads_the_blokkades_but_writes_only_for_a_traject_it_sees(postgres: pgcluster.Cluster) -> None:
    a_groep, b_groep = groep("Groep A"), groep("Groep B")
    anna = account("anna", (Rol.DOCENTEN, a_groep))
    bert = account("bert", (Rol.DOCENTEN, b_groep))
    zonder = account("zonder")
    a = aanmelden("anna")
    geblokkeerd, vrij = nieuw_traject(), nieuw_traject()
    a.stuur(*tot_advies(geblokkeerd, a_groep), besluit(geblokkeerd, 10), *tot_advies(vrij, a_groep))
    assert list(Blokkade.objects.using("eigenaar").values_list("traject_id", flat=True)) == [
        uuid.UUID(geblokkeerd)
    ]

    with als_app(postgres, bert) as cursor:
        cursor.execute("SELECT traject_id::text, opleider_id FROM blokkade")
        assert cursor.fetchall() == [(geblokkeerd, 13)]
        cursor.execute("SELECT count(*) FROM traject")
        assert cursor.fetchone() == (0,)
        cursor.execute("DELETE FROM blokkade")
        assert cursor.rowcount == 0  # not his traject: the row is not his to remove
        cursor.execute("UPDATE blokkade SET wacht_op = 'niets'")
        assert cursor.rowcount == 0
    for als in (zonder, None):
        with als_app(postgres, als) as cursor:
            cursor.execute("SELECT count(*) FROM blokkade")
            assert cursor.fetchone() == (0,)  # no role, or no account named: none

    insert = ("INSERT INTO blokkade (traject_id, opleider_id, opleider_naam, sinds, wacht_op) "
              "VALUES (%s, 13, '', current_date, 'contact')")
    with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, bert) as cursor:
        cursor.execute(insert, [vrij])
    with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, anna) as cursor:
        cursor.execute("UPDATE blokkade SET traject_id = %s", [vrij])  # which traject it is never changes
    with als_app(postgres, anna) as cursor:  # the control: the docent of the traject may
        cursor.execute(insert, [vrij])
        cursor.execute("UPDATE blokkade SET instituut = true, sinds = sinds - 1 WHERE traject_id = %s", [vrij])
        assert cursor.rowcount == 1
        cursor.execute("DELETE FROM blokkade WHERE traject_id = %s", [geblokkeerd])
        assert cursor.rowcount == 1


def test_the_migration_fills_the_table_for_trajecten_already_on_the_server() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    a = aanmelden("anna")
    geblokkeerd, opgeheven, vrij = nieuw_traject(), nieuw_traject(), nieuw_traject()
    a.stuur(*_met_naam(geblokkeerd, g, 31, "Jansen"), besluit(geblokkeerd, 10),
            *tot_advies(opgeheven, g), besluit(opgeheven, 10), event(opgeheven, "contact_manager_opleiders", 5),
            *tot_advies(vrij, g))
    verwacht = list(Blokkade.objects.using("eigenaar").values_list("traject_id", "opleider_id", "opleider_naam",
                                                                   "sinds", "wacht_op"))
    assert [str(b[0]) for b in verwacht] == [geblokkeerd]
    Blokkade.objects.using("eigenaar").all().delete()

    _migratie_0003().vul(apps, SimpleNamespace(connection=SimpleNamespace(alias="eigenaar")))

    assert list(Blokkade.objects.using("eigenaar").values_list("traject_id", "opleider_id", "opleider_naam",
                                                               "sinds", "wacht_op")) == verwacht
