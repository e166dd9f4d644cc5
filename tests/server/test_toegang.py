"""Each person sees only what their role needs, held twice: by the service (querysets per role and scope) and by
PostgreSQL's row-level security under the application's own database role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server import pgcluster
from ontkoppel_server.instituut.models import Account, AccountRol
from tests.server.conftest import (
    APP_WACHTWOORD,
    aanmelden,
    account,
    besluit,
    event,
    groep,
    nieuw_traject,
    signaal,
    tot_advies,
)


@contextmanager
def als_app(cluster: pgcluster.Cluster, account: Account | None) -> Iterator[psycopg.Cursor[Any]]:
    """A raw connection as the server's database role, in one transaction that names `account` (or none)."""
    conninfo = cluster.conninfo("ontkoppel", "ontkoppel_app", APP_WACHTWOORD)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        if account is not None:
            cursor.execute("SELECT set_config('app.account', %s, true)", [str(account.pk)])
        yield cursor
        conn.rollback()


def _count(cursor: psycopg.Cursor[Any], table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")
    row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def test_a_docent_of_another_groep_sees_nothing_through_the_api_nor_through_sql(
    postgres: pgcluster.Cluster,
) -> None:
    a_groep, b_groep = groep("Groep A"), groep("Groep B")
    anna = account("anna", (Rol.DOCENTEN, a_groep))
    bert = account("bert", (Rol.DOCENTEN, b_groep))
    a, b = aanmelden("anna"), aanmelden("bert")
    traject = nieuw_traject()
    a.stuur(signaal(traject, a_groep), event(traject, "driehoeksgesprek", 25))

    answer = b.haal()
    assert answer["gebeurtenissen"] == [] and answer["trajecten"] == [] and b.trajecten == {}
    status, body = b.get(f"/api/v1/trajecten/{traject}")
    assert status == 404 and body == {"fout": "Dit traject bestaat niet, of u mag het niet zien."}
    # Writing into it is refused the same way, without telling that it exists.
    [resultaat] = b.stuur(event(traject, "check_up", 5))
    assert resultaat["status"] == "geweigerd" and "niet bekend op de server" in resultaat["melding"]

    with als_app(postgres, bert) as cursor:
        assert _count(cursor, "traject") == 0
        assert _count(cursor, "gebeurtenis") == 0
        cursor.execute("SELECT count(*) FROM gebeurtenis WHERE traject_id = %s", [traject])
        assert cursor.fetchone() == (0,)
    with als_app(postgres, None) as cursor:  # no account named: nothing at all
        assert _count(cursor, "traject") == 0
        assert _count(cursor, "gebeurtenis") == 0
    with als_app(postgres, anna) as cursor:  # the same query for the docent of the groep
        assert _count(cursor, "traject") == 1
        assert _count(cursor, "gebeurtenis") == 2


def test_the_jaarassistent_sees_every_traject_of_the_year(postgres: pgcluster.Cluster) -> None:
    a, b, ouder = groep("Groep A", 1), groep("Groep B", 1), groep("Groep C", 2)
    account("anna", (Rol.DOCENTEN, a))
    account("bert", (Rol.DOCENTEN, b))
    account("carla", (Rol.DOCENTEN, ouder))
    jaar1 = account("jet", (Rol.JAARASSISTENT, 1))
    trajecten_jaar1 = []
    for naam, g in (("anna", a), ("bert", b), ("bert", b)):
        traject = nieuw_traject()
        [r] = aanmelden(naam).stuur(signaal(traject, g))
        assert r["status"] == "aanvaard"
        trajecten_jaar1.append(traject)
    aanmelden("carla").stuur(signaal(nieuw_traject(), ouder))

    jet = aanmelden("jet")
    answer = jet.haal()
    assert sorted(jet.trajecten) == sorted(trajecten_jaar1)
    assert {t["opleidingsjaar"] for t in answer["trajecten"]} == {1}
    with als_app(postgres, jaar1) as cursor:
        assert _count(cursor, "traject") == 3
        cursor.execute("SELECT DISTINCT opleidingsjaar FROM traject")
        assert cursor.fetchall() == [(1,)]


def test_managers_opleiders_and_plv_hoofd_see_a_traject_from_the_advies_on() -> None:
    g = groep("Groep A")
    account("anna", (Rol.DOCENTEN, g))
    account("mo", (Rol.MANAGER_OPLEIDERS, None))
    account("hoofd", (Rol.PLV_HOOFD, None))
    account("beleid", (Rol.BELEIDSMEDEWERKER, None))
    a = aanmelden("anna")
    mo, hoofd, beleid = aanmelden("mo"), aanmelden("hoofd"), aanmelden("beleid")
    traject = nieuw_traject()
    eerste, gesprek, uitkomst = tot_advies(traject, g)

    a.stuur(eerste, gesprek)
    mo.haal()
    assert mo.trajecten == {}
    a.stuur(uitkomst)
    answer = mo.haal()
    # It came with its earlier events, which were numbered before the manager opleiders could see it.
    assert [e["kind"] for e in mo.trajecten[traject]] == ["signaal", "driehoeksgesprek", "uitkomst"]
    assert answer["trajecten"][0]["advies_ontkoppeling"] is True
    [r] = hoofd.stuur(besluit(traject))
    assert r["status"] == "aanvaard"
    mo.haal()
    assert [e["kind"] for e in mo.trajecten[traject]][-1] == "besluit_ontkoppeling"
    beleid.haal()
    assert beleid.trajecten == {}


def test_when_it_changes_the_roles_the_laptop_gets_everything_from_the_start() -> None:
    a_groep, b_groep = groep("Groep A"), groep("Groep B")
    account("anna", (Rol.DOCENTEN, a_groep))
    bert = account("bert", (Rol.DOCENTEN, b_groep))
    a, b = aanmelden("anna"), aanmelden("bert")
    traject = nieuw_traject()
    a.stuur(signaal(traject, a_groep))
    b.haal()
    status, ik = b.get("/api/v1/ik")
    assert status == 200 and b.trajecten == {}

    # IT adds groep A to bert's roles (the beheer pages raise scope_versie; tests/server/test_beheer.py).
    AccountRol.objects.create(account=bert, rol=Rol.DOCENTEN.value, groep=a_groep)
    Account.objects.filter(pk=bert.pk).update(scope_versie=ik["scope_versie"] + 1)
    status, answer = b.get("/api/v1/gebeurtenissen", na=b.gezien, scope_versie=ik["scope_versie"])
    assert status == 200 and answer["vanaf_begin"] is True
    assert [e["traject"] for e in answer["gebeurtenissen"]] == [traject]
    assert answer["scope_versie"] == ik["scope_versie"] + 1


def test_the_application_role_cannot_step_around_the_policies(postgres: pgcluster.Cluster) -> None:
    g = groep("Groep A")
    anna = account("anna", (Rol.DOCENTEN, g))
    bert = account("bert", (Rol.DOCENTEN, g))
    a = aanmelden("anna")
    traject = nieuw_traject()
    a.stuur(signaal(traject, g))

    with als_app(postgres, None) as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchall() == [("ontkoppel_eigenaar",)]
        cursor.execute("SELECT relrowsecurity FROM pg_class WHERE relname IN ('traject', 'gebeurtenis')")
        assert cursor.fetchall() == [(True,), (True,)]
    statements = [
        "ALTER TABLE traject DISABLE ROW LEVEL SECURITY",
        "SET row_security = off; SELECT count(*) FROM traject",
        "UPDATE gebeurtenis SET datum = datum",
        "DELETE FROM gebeurtenis",
        "DELETE FROM traject",
        "UPDATE traject SET groep_id = groep_id",
        "TRUNCATE gebeurtenis",
        "CREATE TABLE kopie AS SELECT 1",
    ]
    for statement in statements:
        with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, anna) as cursor:
            cursor.execute(statement)
    # An event in someone else's name, or from a laptop that is not the account's, is refused by the policy.
    laptop_id = str(anna.laptops.get().pk)
    insert = ("INSERT INTO gebeurtenis (uuid, traject_id, soort, datum, gegevens, vastgelegd_op, auteur_id, laptop_id, "
              "ontvangen_op) VALUES (gen_random_uuid(), %s, 'check_up', current_date, '{}', now(), %s, %s, now())")
    for als, auteur in ((bert, anna), (bert, bert)):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, als) as cursor:
            cursor.execute(insert, [traject, auteur.pk, laptop_id])
    with als_app(postgres, anna) as cursor:  # the control: anna from her own laptop may
        cursor.execute(insert, [traject, anna.pk, laptop_id])
