"""Personen from the server (issue 17): each role sees the aios and koppelingen it needs, every role but the
beleidsmedewerker every opleider and praktijk, and each edits only what its role may, held twice: by the service
(GET/POST /api/v1/personen) and by PostgreSQL's row-level security under the application's own database role."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from django.db import connections
from django.test import Client

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server import pgcluster
from ontkoppel_server.instituut.models import Account, Aios, Groep, Koppeling, Opleider, Praktijk
from tests.server.conftest import VANDAAG, LaptopSessie, aanmelden, account, groep
from tests.server.test_toegang import als_app

EIGENAAR = "eigenaar"
START = (VANDAAG - dt.timedelta(days=400)).isoformat()

ALLEEN_JAAR_1 = "U mag deze aios niet wijzigen: dat kan alleen de jaarassistent of de manager opleiding van jaar 1."
ALLEEN_OPLEIDERS = (
    "U mag opleiders niet wijzigen of toevoegen: dat kan alleen de manager opleiders of de assistent manager "
    "opleiders."
)
KOPPELING_JAAR_1 = (
    "U mag de koppelingen van deze aios niet wijzigen of toevoegen: dat kan alleen de manager opleiders, de "
    "assistent manager opleiders of de jaarassistent van jaar 1."
)


@dataclass
class Instituut:
    """Groepen A and B (year 1) and C (year 2); an aios in each, each with a koppeling to an opleider of their own
    praktijk; and an opleider and a praktijk that no aios is linked to."""

    a: Groep
    b: Groep
    c: Groep
    p1: Praktijk
    p2: Praktijk
    p3: Praktijk
    p4: Praktijk
    o1: Opleider
    o2: Opleider
    o3: Opleider
    o4: Opleider
    x: Aios
    y: Aios
    z: Aios
    xo1: Koppeling
    yo2: Koppeling
    zo3: Koppeling


@pytest.fixture
def inst() -> Instituut:
    a, b, c = groep("Groep A", 1), groep("Groep B", 1), groep("Groep C", 2)
    account("docent_a", (Rol.DOCENTEN, a))
    account("docent_b", (Rol.DOCENTEN, b))
    account("ja1", (Rol.JAARASSISTENT, 1))
    account("ja2", (Rol.JAARASSISTENT, 2))
    account("ja12", (Rol.JAARASSISTENT, 1), (Rol.JAARASSISTENT, 2))
    account("mo1", (Rol.MANAGER_OPLEIDING, 1))
    account("mop", (Rol.MANAGER_OPLEIDERS, None))
    account("amo", (Rol.ASSISTENT_MANAGER_OPLEIDERS, None))
    account("hoofd", (Rol.PLV_HOOFD, None))
    account("beleid", (Rol.BELEIDSMEDEWERKER, None))
    account("zonder")
    # IT's first fill, as the owner: no policy applies (the beheer pages do the same).
    praktijken = [Praktijk.objects.using(EIGENAAR).create(naam=f"Praktijk {n}", plaats="Utrecht") for n in "1234"]
    opleiders = [Opleider.objects.using(EIGENAAR).create(voornaam="Olga", achternaam=f"Opleider {n}", praktijk=p)
                 for n, p in zip("1234", praktijken, strict=True)]
    start = dt.date.fromisoformat(START)
    aios = [Aios.objects.using(EIGENAAR).create(voornaam="Anna", achternaam=f"Aios {n}",
                                                opleidingsjaar=g.opleidingsjaar, startdatum_opleiding=start, groep=g)
            for n, g in (("X", a), ("Y", b), ("Z", c))]
    koppelingen = [Koppeling.objects.using(EIGENAAR).create(aios=ai, opleider=o, startdatum=start)
                   for ai, o in zip(aios, opleiders, strict=False)]
    return Instituut(a, b, c, *praktijken, *opleiders, *aios, *koppelingen)


def _haal(laptop: LaptopSessie, na: int = 0, **params: Any) -> dict[str, Any]:
    status, answer = laptop.get("/api/v1/personen", na=na, **params)
    assert status == 200, answer
    result: dict[str, Any] = answer
    return result


def _stuur(laptop: LaptopSessie, *wijzigingen: dict[str, Any]) -> list[dict[str, Any]]:
    status, answer = laptop.post("/api/v1/personen", {"wijzigingen": list(wijzigingen)})
    assert status == 200, answer
    resultaten: list[dict[str, Any]] = answer["resultaten"]
    return resultaten


def _ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]


def _sql_ids(cursor: psycopg.Cursor[Any], table: str) -> list[int]:
    cursor.execute(f"SELECT id FROM {table} ORDER BY id")
    return [row[0] for row in cursor.fetchall()]


def _verwacht(*rows: Any) -> list[int]:
    return sorted(row.pk for row in rows)


def test_each_role_sees_the_personen_it_needs_through_the_api_and_through_sql(
    postgres: pgcluster.Cluster, inst: Instituut,
) -> None:
    i = inst
    alles = {
        "praktijken": _verwacht(i.p1, i.p2, i.p3, i.p4), "opleiders": _verwacht(i.o1, i.o2, i.o3, i.o4),
        "aios": _verwacht(i.x, i.y, i.z), "koppelingen": _verwacht(i.xo1, i.yo2, i.zo3),
    }
    niets: dict[str, list[int]] = {"praktijken": [], "opleiders": [], "aios": [], "koppelingen": []}
    # Every role but the beleidsmedewerker reads every opleider and praktijk, also those no aios of theirs is
    # linked to (o4, p4): a traject on the institute's Personen names its new opleider before a koppeling exists.
    opleiders = {"praktijken": alles["praktijken"], "opleiders": alles["opleiders"]}
    verwacht = {
        "docent_a": {**opleiders, "aios": [i.x.pk], "koppelingen": [i.xo1.pk]},
        "ja1": {**opleiders, "aios": _verwacht(i.x, i.y), "koppelingen": _verwacht(i.xo1, i.yo2)},
        "mo1": {**opleiders, "aios": _verwacht(i.x, i.y), "koppelingen": _verwacht(i.xo1, i.yo2)},
        "ja2": {**opleiders, "aios": [i.z.pk], "koppelingen": [i.zo3.pk]},
        "mop": alles,
        "amo": alles,
        "hoofd": alles,
        "beleid": niets,
        "zonder": niets,
    }
    for naam, zichtbaar in verwacht.items():
        answer = _haal(aanmelden(naam))
        assert answer["zichtbaar"] == zichtbaar, naam
        assert answer["vanaf_begin"] is True
        for soort, ids in zichtbaar.items():
            assert sorted(_ids(answer[soort])) == ids, (naam, soort)
        with als_app(postgres, Account.objects.get(username=naam)) as cursor:
            for soort, tabel in (("praktijken", "praktijk"), ("opleiders", "opleider"), ("aios", "aios"),
                                 ("koppelingen", "koppeling")):
                assert _sql_ids(cursor, tabel) == zichtbaar[soort], (naam, tabel)
    with als_app(postgres, None) as cursor:  # no account named: nothing
        assert [_sql_ids(cursor, t) for t in ("praktijk", "opleider", "aios", "koppeling")] == [[], [], [], []]

    # Every row with all its columns; groepen and staff for every account with a role, nothing without one.
    answer = _haal(aanmelden("docent_a"))
    [x] = answer["aios"]
    assert x == {"id": i.x.pk, "voornaam": "Anna", "tussenvoegsel": "", "achternaam": "Aios X", "opleidingsjaar": 1,
                 "startdatum_opleiding": START, "deeltijdpercentage": 100, "groep": i.a.pk, "gearchiveerd": False,
                 "versie": x["versie"]}
    assert answer["koppelingen"] == [{"id": i.xo1.pk, "aios": i.x.pk, "opleider": i.o1.pk, "startdatum": START,
                                      "einddatum": None, "versie": answer["koppelingen"][0]["versie"]}]
    assert answer["opleiders"][0]["praktijk"] == i.p1.pk
    assert set(answer["praktijken"][0]) == {"id", "naam", "plaats", "gearchiveerd", "versie"}
    assert answer["tot"] == max(r["versie"] for s in ("praktijken", "opleiders", "aios", "koppelingen")
                                for r in answer[s])
    beleid = _haal(aanmelden("beleid"))
    assert [g["naam"] for g in beleid["groepen"]] == ["Groep A", "Groep B", "Groep C"]
    assert beleid["groepen"][0] == {"id": i.a.pk, "naam": "Groep A", "opleidingsjaar": 1}
    medewerkers = {m["account"]: m for m in beleid["medewerkers"]}
    assert "zonder" not in medewerkers and len(medewerkers) == 10
    assert medewerkers["ja12"] == {"account": "ja12", "naam": "Ja12", "rollen": [
        {"rol": "jaarassistent", "groep": None, "opleidingsjaar": 1},
        {"rol": "jaarassistent", "groep": None, "opleidingsjaar": 2}]}
    zonder = _haal(aanmelden("zonder"))
    assert zonder["groepen"] == [] and zonder["medewerkers"] == []


def _rij(model: type[Any], pk: int) -> Any:
    return model.objects.using(EIGENAAR).get(pk=pk)


def _weigert_sql(postgres: pgcluster.Cluster, naam: str, statement: str, params: list[Any]) -> None:
    """An UPDATE of a row the role may not edit changes nothing (USING hides it); anything else is an error."""
    with als_app(postgres, Account.objects.get(username=naam)) as cursor:
        try:
            cursor.execute(statement, params)
        except psycopg.errors.InsufficientPrivilege:
            return
        assert statement.startswith("UPDATE") and cursor.rowcount == 0, (naam, statement)


def test_edits_by_a_role_that_may_not_are_refused_by_the_service_and_by_row_level_security(
    postgres: pgcluster.Cluster, inst: Instituut,
) -> None:
    i = inst
    versies = {m: _rij(m, r.pk).versie for m, r in ((Aios, i.x), (Opleider, i.o1), (Koppeling, i.xo1))}

    # The docent of groep A sees aios X but edits nothing.
    [r] = _stuur(aanmelden("docent_a"), {"soort": "aios", "id": i.x.pk, "velden": {"achternaam": "Anders"}})
    assert r == {"status": "geweigerd", "melding": ALLEEN_JAAR_1}
    _weigert_sql(postgres, "docent_a", "UPDATE aios SET achternaam = 'Anders' WHERE id = %s", [i.x.pk])
    _weigert_sql(postgres, "docent_a", "INSERT INTO aios (voornaam, tussenvoegsel, achternaam, gearchiveerd, versie, "
                 "opleidingsjaar, deeltijdpercentage, groep_id) VALUES ('', '', 'Nieuw', false, 0, 1, 100, %s)",
                 [i.a.pk])

    # The jaarassistent of year 2 does not see a year-1 aios, nor adds one.
    ja2 = aanmelden("ja2")
    [r] = _stuur(ja2, {"soort": "aios", "id": i.x.pk, "velden": {"achternaam": "Anders"}})
    assert r == {"status": "geweigerd", "melding": "Deze aios is niet bekend op de server, of u mag die niet zien."}
    [r] = _stuur(ja2, {"soort": "aios", "id": None, "velden": {
        "achternaam": "Nieuw", "opleidingsjaar": 1, "groep": i.a.pk, "startdatum_opleiding": START}})
    assert r == {"status": "geweigerd", "melding": "U mag geen aios aan jaar 1 toevoegen: dat kan alleen de "
                 "jaarassistent of de manager opleiding van jaar 1."}
    _weigert_sql(postgres, "ja2", "UPDATE aios SET achternaam = 'Anders' WHERE id = %s", [i.x.pk])
    _weigert_sql(postgres, "ja2", "INSERT INTO aios (voornaam, tussenvoegsel, achternaam, gearchiveerd, versie, "
                 "opleidingsjaar, deeltijdpercentage, groep_id) VALUES ('', '', 'Nieuw', false, 0, 1, 100, %s)",
                 [i.a.pk])
    # Nor moves one of its own year into year 1, nor the jaarassistent of year 1 one of year 1 into year 2.
    [r] = _stuur(ja2, {"soort": "aios", "id": i.z.pk, "velden": {"opleidingsjaar": 1, "groep": i.a.pk}})
    assert r["melding"] == ("U mag deze aios niet van jaar 2 naar jaar 1 verplaatsen: dat kan alleen wie "
                            "jaarassistent of manager opleiding is van beide jaren.")
    _weigert_sql(postgres, "ja1", "UPDATE aios SET opleidingsjaar = 2, groep_id = %s WHERE id = %s",
                 [i.c.pk, i.x.pk])

    # The jaarassistent sees the opleider of a koppeling of its year, and does not edit it.
    ja1 = aanmelden("ja1")
    [r] = _stuur(ja1, {"soort": "opleider", "id": i.o1.pk, "velden": {"achternaam": "Anders"}})
    assert r == {"status": "geweigerd", "melding": ALLEEN_OPLEIDERS}
    [r] = _stuur(ja1, {"soort": "praktijk", "id": None, "velden": {"naam": "Nieuw"}})
    assert r["melding"].startswith("U mag praktijken niet wijzigen of toevoegen: dat kan alleen de manager opleiders")
    _weigert_sql(postgres, "ja1", "UPDATE opleider SET achternaam = 'Anders' WHERE id = %s", [i.o1.pk])
    _weigert_sql(postgres, "ja1", "INSERT INTO opleider (voornaam, tussenvoegsel, achternaam, gearchiveerd, versie) "
                 "VALUES ('', '', 'Nieuw', false, 0)", [])
    _weigert_sql(postgres, "ja1", "INSERT INTO praktijk (naam, plaats, gearchiveerd, versie) "
                 "VALUES ('Nieuw', '', false, 0)", [])

    # The plv. hoofd sees every koppeling and edits none.
    [r] = _stuur(aanmelden("hoofd"), {"soort": "koppeling", "id": i.xo1.pk, "velden": {"einddatum": START}})
    assert r == {"status": "geweigerd", "melding": KOPPELING_JAAR_1}
    _weigert_sql(postgres, "hoofd", "UPDATE koppeling SET einddatum = startdatum WHERE id = %s", [i.xo1.pk])
    _weigert_sql(postgres, "hoofd", "INSERT INTO koppeling (aios_id, opleider_id, startdatum, versie) "
                 "VALUES (%s, %s, current_date, 0)", [i.x.pk, i.o1.pk])
    # The manager opleiding of year 1 edits its aios but not their koppelingen (only the jaarassistent of the year).
    [r] = _stuur(aanmelden("mo1"), {"soort": "koppeling", "id": None, "velden": {
        "aios": i.x.pk, "opleider": i.o2.pk, "startdatum": VANDAAG.isoformat()}})
    assert r == {"status": "geweigerd", "melding": KOPPELING_JAAR_1}
    # A jaarassistent may link an aios of its year only to an opleider it sees: one that exists.
    _weigert_sql(postgres, "ja1", "INSERT INTO koppeling (aios_id, opleider_id, startdatum, versie) "
                 "VALUES (%s, 999999, current_date, 0)", [i.y.pk])
    # Nobody deletes, and no one chooses a versie.
    for statement in ("DELETE FROM aios", "DELETE FROM koppeling", "UPDATE aios SET versie = 1",
                      "SELECT nextval('personen_versie')"):
        _weigert_sql(postgres, "ja1", statement, [])

    # Nothing changed, as the owner sees it.
    assert _rij(Aios, i.x.pk).achternaam == "Aios X" and _rij(Aios, i.x.pk).opleidingsjaar == 1
    assert _rij(Aios, i.z.pk).opleidingsjaar == 2
    assert _rij(Opleider, i.o1.pk).achternaam == "Opleider 1"
    assert _rij(Koppeling, i.xo1.pk).einddatum is None
    assert {m: _rij(m, r.pk).versie for m, r in ((Aios, i.x), (Opleider, i.o1), (Koppeling, i.xo1))} == versies
    assert Aios.objects.using(EIGENAAR).count() == 3 and Koppeling.objects.using(EIGENAAR).count() == 3
    assert Opleider.objects.using(EIGENAAR).count() == 4 and Praktijk.objects.using(EIGENAAR).count() == 4


def test_allowed_edits_are_accepted_each_with_a_new_versie(postgres: pgcluster.Cluster, inst: Instituut) -> None:
    i = inst
    ja1 = aanmelden("ja1")
    tot = _haal(ja1)["tot"]

    # Names are kept as the desktop keeps them: invisible characters out, NFC, no spaces at the ends.
    [r] = _stuur(ja1, {"soort": "aios", "id": i.x.pk, "velden": {"achternaam": "  Mu\u0308ller\u200b ",
                                                                  "deeltijdpercentage": 80}})
    assert r["status"] == "aanvaard" and r["id"] == i.x.pk and r["versie"] > tot, r
    x = _rij(Aios, i.x.pk)
    assert (x.achternaam, x.deeltijdpercentage, x.versie) == ("Müller", 80, r["versie"])

    nieuw = _stuur(
        aanmelden("mo1"),
        {"soort": "aios", "id": None, "velden": {"voornaam": "Bo", "achternaam": "Nieuw", "opleidingsjaar": 1,
                                                 "groep": i.b.pk, "startdatum_opleiding": START}},
    )
    praktijk, = _stuur(aanmelden("mop"), {"soort": "praktijk", "id": None, "velden": {"naam": "De Linde",
                                                                                      "plaats": "Zeist"}})
    opleider, = _stuur(aanmelden("amo"), {"soort": "opleider", "id": None, "velden": {
        "voornaam": "Piet", "achternaam": "Vries", "tussenvoegsel": "de", "praktijk": praktijk["id"]}})
    assert [r["status"] for r in (*nieuw, praktijk, opleider)] == ["aanvaard"] * 3
    koppeling, = _stuur(aanmelden("amo"), {"soort": "koppeling", "id": None, "velden": {
        "aios": nieuw[0]["id"], "opleider": opleider["id"], "startdatum": VANDAAG.isoformat()}})
    assert koppeling["status"] == "aanvaard", koppeling
    # The jaarassistent ends a koppeling of its year and links aios Y to an opleider it sees: any opleider, also
    # one only an aios of another year was linked to (o3).
    einde, tweede = _stuur(
        ja1,
        {"soort": "koppeling", "id": i.yo2.pk, "velden": {"einddatum": (VANDAAG - dt.timedelta(days=1)).isoformat()}},
        {"soort": "koppeling", "id": None, "velden": {"aios": i.y.pk, "opleider": i.o3.pk,
                                                       "startdatum": VANDAAG.isoformat()}},
    )
    assert einde["status"] == tweede["status"] == "aanvaard", (einde, tweede)
    # Whoever is jaarassistent of both years moves an aios from one to the other.
    [verplaatst] = _stuur(aanmelden("ja12"), {"soort": "aios", "id": i.z.pk,
                                              "velden": {"opleidingsjaar": 1, "groep": i.a.pk}})
    assert verplaatst["status"] == "aanvaard", verplaatst
    versies = [r["versie"] for r in (nieuw[0], praktijk, opleider, koppeling, einde, tweede, verplaatst)]
    assert versies == sorted(versies) and len(set(versies)) == len(versies) and versies[0] > r["versie"]

    answer = _haal(ja1, tot)
    assert {a["id"]: a["achternaam"] for a in answer["aios"]} == {i.x.pk: "Müller", nieuw[0]["id"]: "Nieuw",
                                                                  i.z.pk: "Aios Z"}
    assert {k["id"] for k in answer["koppelingen"]} >= {koppeling["id"], einde["id"], tweede["id"], i.zo3.pk}
    # The same write through SQL as the application role, for the role that may: row-level security lets it through.
    with als_app(postgres, Account.objects.get(username="ja1")) as cursor:
        cursor.execute("UPDATE aios SET voornaam = 'Anne' WHERE id = %s RETURNING versie", [i.x.pk])
        row = cursor.fetchone()
        assert cursor.rowcount == 1 and row is not None and row[0] > max(versies)


def test_a_pull_after_na_brings_only_what_changed_since(inst: Instituut) -> None:
    i = inst
    mop = aanmelden("mop")
    eerste = _haal(mop)
    tot = eerste["tot"]
    assert eerste["vanaf_begin"] is True and len(eerste["aios"]) == 3

    leeg = _haal(mop, tot)
    assert leeg["vanaf_begin"] is False and leeg["tot"] == tot
    assert [leeg[s] for s in ("praktijken", "opleiders", "aios", "koppelingen")] == [[], [], [], []]
    assert leeg["zichtbaar"] == eerste["zichtbaar"]

    [r] = _stuur(mop, {"soort": "praktijk", "id": i.p3.pk, "velden": {"plaats": "Amersfoort"}})
    answer = _haal(mop, tot)
    assert [(p["id"], p["plaats"], p["versie"]) for p in answer["praktijken"]] == [(i.p3.pk, "Amersfoort",
                                                                                     r["versie"])]
    assert [answer[s] for s in ("opleiders", "aios", "koppelingen")] == [[], [], []]
    assert answer["tot"] == r["versie"] and answer["scope_versie"] == 1
    # A change that does not touch what the docent sees brings the docent nothing.
    docent = aanmelden("docent_a")
    tot_docent = _haal(docent)["tot"]
    _stuur(aanmelden("ja1"), {"soort": "aios", "id": i.y.pk, "velden": {"voornaam": "Yvonne"}})
    stil = _haal(docent, tot_docent)
    assert [stil[s] for s in ("praktijken", "opleiders", "aios", "koppelingen")] == [[], [], [], []]
    # When IT changed the account's roles, everything comes again.
    Account.objects.filter(username="mop").update(scope_versie=2)
    opnieuw = _haal(mop, answer["tot"], scope_versie=1)
    assert opnieuw["vanaf_begin"] is True and len(opnieuw["praktijken"]) == 4 and opnieuw["scope_versie"] == 2


def test_an_aios_moved_to_another_groep_leaves_the_old_docents_view_and_comes_with_its_koppelingen_to_the_new(
    inst: Instituut,
) -> None:
    i = inst
    a, b = aanmelden("docent_a"), aanmelden("docent_b")
    tot_a, tot_b = _haal(a)["tot"], _haal(b)["tot"]
    [r] = _stuur(aanmelden("ja1"), {"soort": "aios", "id": i.x.pk, "velden": {"groep": i.b.pk}})
    assert r["status"] == "aanvaard", r

    oud = _haal(a, tot_a)
    assert oud["zichtbaar"] == {"praktijken": _verwacht(i.p1, i.p2, i.p3, i.p4),
                                "opleiders": _verwacht(i.o1, i.o2, i.o3, i.o4), "aios": [], "koppelingen": []}
    assert oud["aios"] == [] and oud["koppelingen"] == []
    nieuw = _haal(b, tot_b)
    assert _ids(nieuw["aios"]) == [i.x.pk] and nieuw["aios"][0]["groep"] == i.b.pk
    # Its koppeling did not change, yet it comes along: the laptop did not have it. Its opleider and praktijk it
    # had already (every docent reads every opleider and praktijk): unchanged, they do not come again.
    assert _ids(nieuw["koppelingen"]) == [i.xo1.pk]
    assert nieuw["opleiders"] == [] and nieuw["praktijken"] == []
    assert nieuw["zichtbaar"]["aios"] == _verwacht(i.x, i.y)
    assert nieuw["zichtbaar"]["opleiders"] == oud["zichtbaar"]["opleiders"]


def test_what_the_desktop_refuses_the_server_refuses_in_dutch(inst: Instituut) -> None:
    i = inst
    ja1, mop = aanmelden("ja1"), aanmelden("mop")
    naam, deeltijd, goed = _stuur(
        ja1,
        {"soort": "aios", "id": i.x.pk, "velden": {"achternaam": "Jan\nsen"}},
        {"soort": "aios", "id": i.x.pk, "velden": {"deeltijdpercentage": 30}},
        {"soort": "aios", "id": i.y.pk, "velden": {"tussenvoegsel": "van"}},
    )
    assert naam == {"status": "geweigerd", "melding": "Aios: de achternaam bevat een regelovergang (teken 4), dat niet "
                    "in een naam hoort; typ de tekst opnieuw op één regel, zonder gekopieerde opmaak."}
    assert deeltijd == {"status": "geweigerd", "melding": "Aios Anna Aios X: het deeltijdpercentage ligt tussen 50 en "
                        "100 %."}
    assert goed["status"] == "aanvaard"  # one refusal does not stop the others
    [einde] = _stuur(ja1, {"soort": "koppeling", "id": i.xo1.pk, "velden": {
        "einddatum": (dt.date.fromisoformat(START) - dt.timedelta(days=1)).isoformat()}})
    assert einde == {"status": "geweigerd", "melding": "Koppeling: de einddatum ligt vóór de startdatum."}
    [leeg] = _stuur(mop, {"soort": "praktijk", "id": None, "velden": {"naam": " \u200b "}})
    assert leeg == {"status": "geweigerd", "melding": "Praktijk: vul een naam in."}
    [richting] = _stuur(mop, {"soort": "opleider", "id": i.o1.pk, "velden": {"achternaam": "Vr\u202eies"}})
    assert "leesrichting" in richting["melding"]

    # An archived opleider gets no new koppeling; an opleider the server does not have, neither.
    [archief] = _stuur(mop, {"soort": "opleider", "id": i.o2.pk, "velden": {"gearchiveerd": True}})
    assert archief["status"] == "aanvaard"
    gearchiveerd, onzichtbaar = _stuur(
        ja1,
        {"soort": "koppeling", "id": None, "velden": {"aios": i.x.pk, "opleider": i.o2.pk,
                                                       "startdatum": VANDAAG.isoformat()}},
        {"soort": "koppeling", "id": None, "velden": {"aios": i.x.pk, "opleider": 999999,
                                                       "startdatum": VANDAAG.isoformat()}},
    )
    assert gearchiveerd == {"status": "geweigerd", "melding": "Opleider Olga Opleider 2 is gearchiveerd en krijgt "
                            "geen nieuwe koppeling."}
    assert onzichtbaar == {"status": "geweigerd", "melding": "Deze opleider is niet bekend op de server, of u mag "
                           "die niet zien."}
    [overlap] = _stuur(ja1, {"soort": "koppeling", "id": None, "velden": {
        "aios": i.x.pk, "opleider": i.o1.pk, "startdatum": VANDAAG.isoformat()}})
    assert overlap["melding"].startswith("Koppeling: deze aios heeft in die periode al een koppeling")
    datum, onbekend, soort = _stuur(
        ja1,
        {"soort": "aios", "id": i.x.pk, "velden": {"startdatum_opleiding": "1 maart"}},
        {"soort": "aios", "id": i.x.pk, "velden": {"email": "x@y.nl"}},
        {"soort": "docent", "id": None, "velden": {}},
    )
    assert datum["melding"] == "'startdatum_opleiding' is geen datum (JJJJ-MM-DD)."
    assert onbekend["melding"] == "Onbekende velden voor een aios: email."
    assert soort["melding"].startswith("Een wijziging is een JSON-object met 'soort'")
    assert _rij(Aios, i.x.pk).achternaam == "Aios X" and _rij(Aios, i.x.pk).deeltijdpercentage == 100

    status, body = ja1.post("/api/v1/personen", {"wijzigingen": [{}] * 201})
    assert status == 400 and body == {"fout": "Stuur ten hoogste 200 wijzigingen tegelijk."}
    status, body = ja1.get("/api/v1/personen", na="x")
    assert status == 400


def test_it_adds_a_praktijk_in_the_beheer_pages_as_the_owner_and_the_laptops_pull_it(inst: Instituut) -> None:
    mop = aanmelden("mop")
    tot = _haal(mop)["tot"]
    it = Account.objects.create_superuser("it", password="Beheer-wachtwoord-42")
    client = Client()
    client.force_login(it)
    page = client.get("/beheer/instituut/praktijk/", secure=True)
    assert page.status_code == 200 and "Praktijk 1" in page.content.decode()
    response = client.post("/beheer/instituut/praktijk/add/", {"naam": "  Het Anker\u200b", "plaats": "Baarn",
                                                               "_save": "Opslaan"}, secure=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    answer = _haal(mop, tot)
    assert [(p["naam"], p["plaats"]) for p in answer["praktijken"]] == [("Het Anker", "Baarn")]
    assert answer["praktijken"][0]["versie"] > tot


def test_every_role_but_the_beleidsmedewerker_reads_every_opleider_and_praktijk_archived_or_not(
    postgres: pgcluster.Cluster, inst: Instituut,
) -> None:
    i = inst
    Opleider.objects.using(EIGENAAR).filter(pk=i.o4.pk).update(gearchiveerd=True)
    Praktijk.objects.using(EIGENAAR).filter(pk=i.p4.pk).update(gearchiveerd=True)
    account("beleid_docent", (Rol.BELEIDSMEDEWERKER, None), (Rol.DOCENTEN, i.c))
    alle = {"praktijken": _verwacht(i.p1, i.p2, i.p3, i.p4), "opleiders": _verwacht(i.o1, i.o2, i.o3, i.o4)}
    geen: dict[str, list[int]] = {"praktijken": [], "opleiders": []}
    for naam, verwacht in (("docent_b", alle), ("ja2", alle), ("beleid_docent", alle), ("beleid", geen),
                           ("zonder", geen)):
        answer = _haal(aanmelden(naam))
        for soort, ids in verwacht.items():
            assert sorted(_ids(answer[soort])) == ids and answer["zichtbaar"][soort] == ids, (naam, soort)
        with als_app(postgres, Account.objects.get(username=naam)) as cursor:
            assert _sql_ids(cursor, "praktijk") == verwacht["praktijken"], naam
            assert _sql_ids(cursor, "opleider") == verwacht["opleiders"], naam
    # The archived ones as they are: a laptop shows them as archived.
    docent = {o["id"]: o["gearchiveerd"] for o in _haal(aanmelden("docent_b"))["opleiders"]}
    assert docent[i.o4.pk] is True and docent[i.o1.pk] is False
    # The beleidsmedewerker still sees no aios or koppeling either, and an inactive docent nothing at all.
    beleid = _haal(aanmelden("beleid"))
    assert beleid["aios"] == [] and beleid["koppelingen"] == [] and beleid["zichtbaar"]["aios"] == []
    Account.objects.filter(username="docent_b").update(is_active=False)
    with als_app(postgres, Account.objects.get(username="docent_b")) as cursor:
        assert [_sql_ids(cursor, t) for t in ("praktijk", "opleider")] == [[], []]


def test_a_laptop_that_pulled_under_the_old_rule_gets_every_opleider_after_migration_0011(inst: Instituut) -> None:
    i = inst
    docent = aanmelden("docent_a")
    tot = _haal(docent)["tot"]
    # Migration 0011 gives every opleider and praktijk a new versie: a laptop that pulled up to `tot` while it saw
    # only o1 and p1 gets all of them with its next pull after `tot`.
    migratie = importlib.import_module("ontkoppel_server.instituut.migrations.0011_trajecten_op_personen")
    with connections[EIGENAAR].cursor() as cursor:
        cursor.execute(migratie.NIEUWE_VERSIES)
    answer = _haal(docent, tot)
    assert sorted(_ids(answer["opleiders"])) == _verwacht(i.o1, i.o2, i.o3, i.o4)
    assert sorted(_ids(answer["praktijken"])) == _verwacht(i.p1, i.p2, i.p3, i.p4)
    assert answer["aios"] == [] and answer["koppelingen"] == []
    assert answer["tot"] > tot and answer["vanaf_begin"] is False
