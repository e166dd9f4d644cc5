"""The access log (issue 17, "who looked at what"): every read of a traject, a page of events or a verslag leaves a
row; the application's database role can only add rows in its own account's name, and not even the owner changes
them without switching off the trigger; the functional administrator exports the log as a CSV file for Excel and
views it, read-only, in the beheer pages."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_server import pgcluster
from ontkoppel_server.instituut import gebeurtenissen
from ontkoppel_server.instituut.models import Account, Laptop, Toegang, Verslag
from ontkoppel_server.instituut.toegangslog import Lezer
from tests.server.conftest import (
    EIGENAAR_WACHTWOORD,
    aanmelden,
    account,
    event,
    groep,
    nieuw_traject,
    signaal,
)
from tests.server.test_sleutels import _Uit
from tests.server.test_toegang import als_app

EIGENAAR = "eigenaar"
BOM = "\ufeff".encode()
KOPREGEL = "Moment;Account;Naam;Laptop;Soort;Traject;Verslag;Aantal"


def _log() -> list[Toegang]:
    """The log as the owner reads it, oldest first."""
    return list(Toegang.objects.using(EIGENAAR).select_related("account", "laptop").order_by("id"))


def _laptop(gebruikersnaam: str) -> Laptop:
    laptop: Laptop = Laptop.objects.get(account__username=gebruikersnaam)
    return laptop


@contextmanager
def als_eigenaar(cluster: pgcluster.Cluster) -> Iterator[psycopg.Cursor[Any]]:
    """A raw connection as the owner of the tables, in one transaction that is rolled back."""
    conninfo = cluster.conninfo("ontkoppel", "ontkoppel_eigenaar", EIGENAAR_WACHTWOORD)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        yield cursor
        conn.rollback()


def _verslag(traject: str, lezers: list[str], volgnummer: int) -> Verslag:
    """A verslag as the server keeps it, written as the owner: what is logged does not depend on its envelope."""
    auteur = Account.objects.get(username=lezers[0])
    verslag: Verslag = Verslag.objects.using(EIGENAAR).create(
        uuid=uuid.uuid4(), traject_id=traject, auteur=auteur, gesprek="driehoeksgesprek", versie=1,
        metadata={"traject": traject, "gesprek": "driehoeksgesprek", "versie": 1}, lezers=[*lezers, "herstel"],
        envelop=b"{}", volgnummer=volgnummer,
    )
    return verslag


# ---- every read is logged -----------------------------------------------------------------------------------------


def test_reading_a_traject_logs_one_row_and_a_refused_read_none() -> None:
    a, b = groep("Groep A"), groep("Groep B")
    account("anna", (Rol.DOCENTEN, a))
    account("bert", (Rol.DOCENTEN, b))
    anna, bert = aanmelden("anna", "Werklaptop Anna"), aanmelden("bert")
    traject = nieuw_traject()
    anna.stuur(signaal(traject, a), event(traject, "driehoeksgesprek", 25))

    status, _ = anna.get(f"/api/v1/trajecten/{traject}")
    assert status == 200
    [rij] = _log()
    assert (rij.account.username, rij.laptop, rij.soort, rij.traject, rij.verslag, rij.aantal) == (
        "anna", _laptop("anna"), "traject", uuid.UUID(traject), None, 2)
    assert rij.details == {"pad": f"/api/v1/trajecten/{traject}"}
    assert abs(rij.moment - timezone.now()) < dt.timedelta(minutes=1)

    # Not handed out, not logged: a traject bert does not see, and one that does not exist.
    assert bert.get(f"/api/v1/trajecten/{traject}")[0] == 404
    assert anna.get(f"/api/v1/trajecten/{uuid.uuid4()}")[0] == 404
    assert len(_log()) == 1


def test_pulling_events_logs_one_row_per_traject_in_the_page_with_its_events() -> None:
    a, b = groep("Groep A"), groep("Groep B")
    account("anna", (Rol.DOCENTEN, a))
    account("bert", (Rol.DOCENTEN, b))
    account("jas", (Rol.JAARASSISTENT, 1))
    anna, bert, jas = aanmelden("anna"), aanmelden("bert"), aanmelden("jas", "Laptop jaarassistent")
    t1, t2 = nieuw_traject(), nieuw_traject()
    anna.stuur(signaal(t1, a), event(t1, "driehoeksgesprek", 25))
    bert.stuur(signaal(t2, b))

    answer = jas.haal()
    assert len(answer["gebeurtenissen"]) == 3
    rijen = sorted(_log(), key=lambda r: r.aantal)
    assert [(r.account.username, r.laptop, r.soort, r.traject, r.verslag, r.aantal) for r in rijen] == [
        ("jas", _laptop("jas"), "gebeurtenissen", uuid.UUID(t2), None, 1),
        ("jas", _laptop("jas"), "gebeurtenissen", uuid.UUID(t1), None, 2),
    ]
    assert all(r.details == {"pad": "/api/v1/gebeurtenissen", "na": 0, "tot": 3} for r in rijen)

    # Nothing new: an empty page names no traject.
    assert jas.haal()["gebeurtenissen"] == []
    assert len(_log()) == 2
    # bert pulls only his own traject: one row, his.
    bert.haal()
    [rij] = [r for r in _log() if r.account.username == "bert"]
    assert (rij.traject, rij.aantal) == (uuid.UUID(t2), 1)


def test_a_page_logs_only_the_events_it_hands_out() -> None:
    a = groep("Groep A")
    anna_account = account("anna", (Rol.DOCENTEN, a))
    anna = aanmelden("anna")
    t1, t2 = nieuw_traject(), nieuw_traject()
    anna.stuur(signaal(t1, a), signaal(t2, a), event(t1, "driehoeksgesprek", 25))
    lezer = Lezer(anna_account, _laptop("anna"), "/api/v1/gebeurtenissen")

    eerste = gebeurtenissen.haal_op(lezer, 0, None, pagina=2)
    assert eerste["meer"] is True
    assert sorted((r.traject, r.aantal) for r in _log()) == sorted([(uuid.UUID(t1), 1), (uuid.UUID(t2), 1)])
    gebeurtenissen.haal_op(lezer, int(str(eerste["tot"])), None, pagina=2)
    assert [(r.traject, r.aantal, r.details["na"]) for r in _log()[2:]] == [(uuid.UUID(t1), 1, 2)]


def test_pulling_verslagen_logs_one_row_per_verslag_handed_out() -> None:
    a = groep("Groep A")
    account("anna", (Rol.DOCENTEN, a))
    account("bert", (Rol.DOCENTEN, a))
    anna = aanmelden("anna")
    aanmelden("bert")
    traject = nieuw_traject()
    anna.stuur(signaal(traject, a))
    eerste, tweede = _verslag(traject, ["anna"], 1), _verslag(traject, ["anna", "bert"], 2)
    _verslag(traject, ["bert"], 3)  # not sealed to anna: not handed to her, not logged

    status, answer = anna.get("/api/v1/verslagen", na=0)
    assert status == 200 and len(answer["verslagen"]) == 2
    rijen = _log()
    assert [(r.account.username, r.laptop, r.soort, r.traject, r.verslag, r.aantal) for r in rijen] == [
        ("anna", _laptop("anna"), "verslag", uuid.UUID(traject), eerste.uuid, 1),
        ("anna", _laptop("anna"), "verslag", uuid.UUID(traject), tweede.uuid, 1),
    ]
    assert rijen[0].details == {"pad": "/api/v1/verslagen", "na": 0}
    assert anna.get("/api/v1/verslagen", na=2)[1]["verslagen"] == []
    assert len(_log()) == 2


# ---- append-only ------------------------------------------------------------------------------------------------


def test_the_application_role_can_only_add_rows_in_its_own_name(postgres: pgcluster.Cluster) -> None:
    a = groep("Groep A")
    anna_account = account("anna", (Rol.DOCENTEN, a))
    bert_account = account("bert", (Rol.DOCENTEN, a))
    anna = aanmelden("anna")
    aanmelden("bert")
    traject = nieuw_traject()
    anna.stuur(signaal(traject, a))
    anna.get(f"/api/v1/trajecten/{traject}")
    assert len(_log()) == 1

    for statement in (
        "SELECT count(*) FROM toegangslog",
        "SELECT id FROM toegangslog WHERE account_id = ontkoppel_rls.account()",
        "UPDATE toegangslog SET aantal = 0",
        "DELETE FROM toegangslog",
        "TRUNCATE toegangslog",
        "ALTER TABLE toegangslog DISABLE TRIGGER toegangslog_alleen_toevoegen",
        "DROP TRIGGER toegangslog_alleen_toevoegen ON toegangslog",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, anna_account) as cursor:
            cursor.execute(statement)

    insert = ("INSERT INTO toegangslog (account_id, laptop_id, soort, traject, aantal, details) "
              "VALUES (%s, %s, 'traject', %s, 1, '{}')")
    anna_laptop, bert_laptop = str(_laptop("anna").pk), str(_laptop("bert").pk)
    # In another account's name, or from another account's laptop, as anna; or with no account named at all.
    for als, wie, laptop in ((anna_account, bert_account, bert_laptop), (anna_account, bert_account, None),
                             (anna_account, anna_account, bert_laptop), (None, anna_account, anna_laptop)):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, als) as cursor:
            cursor.execute(insert, [wie.pk, laptop, traject])
    # Asking the new row back needs SELECT.
    with pytest.raises(psycopg.errors.InsufficientPrivilege), als_app(postgres, anna_account) as cursor:
        cursor.execute(insert + " RETURNING id", [anna_account.pk, anna_laptop, traject])
    with als_app(postgres, anna_account) as cursor:  # the control: in her own name, from her own laptop
        cursor.execute(insert, [anna_account.pk, anna_laptop, traject])
        assert cursor.rowcount == 1
    assert len(_log()) == 1  # rolled back; the first row untouched
    assert _log()[0].aantal == 1


def test_even_the_owner_cannot_change_the_log_without_dropping_the_trigger(postgres: pgcluster.Cluster) -> None:
    a = groep("Groep A")
    account("anna", (Rol.DOCENTEN, a))
    anna = aanmelden("anna")
    traject = nieuw_traject()
    anna.stuur(signaal(traject, a))
    anna.get(f"/api/v1/trajecten/{traject}")

    for statement in ("UPDATE toegangslog SET aantal = 0", "DELETE FROM toegangslog",
                      "DELETE FROM toegangslog WHERE false", "TRUNCATE toegangslog",
                      "TRUNCATE account CASCADE"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="alleen-toevoegen"), \
                als_eigenaar(postgres) as cursor:
            cursor.execute(statement)
    # The usual way around triggers is a superuser's only; for a superuser the trigger still fires (ENABLE ALWAYS,
    # test_the_log_is_part_of_the_schema_as_the_migration_says).
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="session_replication_role"), \
            als_eigenaar(postgres) as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM toegangslog")
    with als_eigenaar(postgres) as cursor:  # the owner reads it, and adds to it
        cursor.execute("SELECT count(*), min(aantal) FROM toegangslog")
        assert cursor.fetchone() == (1, 1)
    # Deliberately, as the README says: the trigger switched off, in one transaction, and the change goes through.
    with als_eigenaar(postgres) as cursor:
        cursor.execute("ALTER TABLE toegangslog DISABLE TRIGGER toegangslog_alleen_toevoegen")
        cursor.execute("UPDATE toegangslog SET aantal = 0")
        assert cursor.rowcount == 1
    assert [r.aantal for r in _log()] == [1]  # that transaction was rolled back


def test_the_log_is_part_of_the_schema_as_the_migration_says() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege('ontkoppel_toepassing', 'toegangslog', p) FROM unnest(ARRAY["
                       "'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p")
        assert [r[0] for r in cursor.fetchall()] == [False, True, False, False, False, False, False]
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'toegangslog_alleen_toevoegen'")
        assert cursor.fetchall() == [("A",)]  # ENABLE ALWAYS


# ---- exporting and viewing -------------------------------------------------------------------------------------


def _schrijf_als_eigenaar(wie: Account, laptop: Laptop | None, soort: str, traject: uuid.UUID | None, aantal: int,
                          moment: dt.datetime, verslag: uuid.UUID | None = None) -> None:
    Toegang.objects.using(EIGENAAR).create(account=wie, laptop=laptop, soort=soort, traject=traject, aantal=aantal,
                                           moment=moment, verslag=verslag)


def _exporteer(pad: Path, *extra: str) -> tuple[list[str], str]:
    uit = _Uit()
    call_command("toegangslog-exporteren", "--uitvoer", str(pad), *extra, stdout=uit)
    data = pad.read_bytes()
    assert data.startswith(BOM)
    regels = data[len(BOM):].decode("utf-8").split("\r\n")
    assert regels[0] == KOPREGEL and regels[-1] == ""
    return regels[1:-1], uit.tekst


def test_the_administrator_exports_the_log_for_an_inzage_request(tmp_path: Path) -> None:
    a = groep("Groep A")
    anna = account("anna", (Rol.DOCENTEN, a), first_name="Anna", last_name="de Vries")
    # Names typed by people: a spreadsheet must show them, not run them.
    bert = account("bert", (Rol.DOCENTEN, a), first_name="=HYPERLINK(\"http://x\")", last_name="Bert")
    aanmelden("anna", "Werk")
    aanmelden("bert", "@SUM(1+1)")
    t1, t2, t3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()  # the log names trajecten by UUID: they need not exist
    verslag = uuid.uuid4()
    tz = timezone.get_current_timezone()
    jan, feb, mrt = (dt.datetime(2026, m, 10, 9, 30, tzinfo=tz) for m in (1, 2, 3))
    _schrijf_als_eigenaar(anna, _laptop("anna"), "traject", t1, 4, jan)
    _schrijf_als_eigenaar(bert, _laptop("bert"), "gebeurtenissen", t2, 3, feb)
    _schrijf_als_eigenaar(anna, _laptop("anna"), "verslag", t1, 1, mrt, verslag)
    _schrijf_als_eigenaar(bert, None, "traject", t3, 2, mrt)

    regels, melding = _exporteer(tmp_path / "alles.csv")
    assert regels == [
        f"2026-01-10 09:30:00;anna;Anna de Vries;Werk;traject;{t1};;4",
        f"2026-02-10 09:30:00;bert;\"'=HYPERLINK(\"\"http://x\"\") Bert\";'@SUM(1+1);gebeurtenissen;{t2};;3",
        f"2026-03-10 09:30:00;anna;Anna de Vries;Werk;verslag;{t1};{verslag};1",
        f"2026-03-10 09:30:00;bert;\"'=HYPERLINK(\"\"http://x\"\") Bert\";;traject;{t3};;2",
    ]
    assert melding.strip().startswith("4 regel(s)")

    # An inzage request: the aios's trajecten, several --traject; with a verslag's row under its traject.
    regels, _ = _exporteer(tmp_path / "inzage.csv", "--traject", str(t1), "--traject", str(t3))
    assert [r.split(";")[5] for r in regels] == [str(t1), str(t1), str(t3)]
    # A period, both days included, and one account.
    regels, _ = _exporteer(tmp_path / "feb-mrt.csv", "--van", "2026-02-10", "--tot", "2026-03-10")
    assert len(regels) == 3
    regels, _ = _exporteer(tmp_path / "anna-voor-maart.csv", "--account", "anna", "--tot", "2026-03-09")
    assert [r.split(";")[:2] for r in regels] == [["2026-01-10 09:30:00", "anna"]]
    regels, _ = _exporteer(tmp_path / "niets.csv", "--van", "2026-04-01")
    assert regels == []


def test_the_export_refuses_an_existing_file_and_what_it_cannot_read(tmp_path: Path) -> None:
    account("anna")
    bestaand = tmp_path / "log.csv"
    bestaand.write_text("niet overschrijven")
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("toegangslog-exporteren", "--uitvoer", str(bestaand), stdout=_Uit())
    assert bestaand.read_text() == "niet overschrijven"
    with pytest.raises(CommandError, match="Onbekend account: niemand"):
        call_command("toegangslog-exporteren", "--uitvoer", str(tmp_path / "a.csv"), "--account", "niemand",
                     stdout=_Uit())
    with pytest.raises(CommandError, match="geen datum"):
        call_command("toegangslog-exporteren", "--uitvoer", str(tmp_path / "b.csv"), "--van", "10-03-2026",
                     stdout=_Uit())
    with pytest.raises(CommandError, match="vóór --van"):
        call_command("toegangslog-exporteren", "--uitvoer", str(tmp_path / "c.csv"), "--van", "2026-03-10",
                     "--tot", "2026-03-01", stdout=_Uit())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]


def _beheer() -> Client:
    it = Account.objects.create_superuser("it", password="Beheer-wachtwoord-42")
    client = Client()
    client.force_login(it)
    return client


def test_the_beheer_page_shows_the_log_read_only_as_the_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    a = groep("Groep A")
    account("anna", (Rol.DOCENTEN, a), first_name="Anna")
    anna = aanmelden("anna", "Werk")
    traject = nieuw_traject()
    anna.stuur(signaal(traject, a))
    anna.get(f"/api/v1/trajecten/{traject}")
    rij = _log()[0]
    client = _beheer()

    page = client.get("/beheer/instituut/toegang/", secure=True)
    html = page.content.decode()
    assert page.status_code == 200 and traject in html and "Werk" in html and "Anna" in html
    assert "/beheer/instituut/toegang/add/" not in html
    assert client.get(f"/beheer/instituut/toegang/?q={traject}", secure=True).content.decode().count(
        f"/beheer/instituut/toegang/{rij.pk}/change/") == 1
    detail = client.get(f"/beheer/instituut/toegang/{rij.pk}/change/", secure=True)
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/beheer/instituut/toegang/{rij.pk}/delete/", {"post": "yes"}, secure=True).status_code == 403
    assert client.get("/beheer/instituut/toegang/add/", secure=True).status_code == 403
    assert len(_log()) == 1

    # The running service does not know the owner: the page says where to look instead, and shows nothing.
    monkeypatch.delitem(settings.DATABASES, EIGENAAR)
    page = client.get("/beheer/instituut/toegang/", secure=True)
    html = page.content.decode()
    assert page.status_code == 200 and "toegangslog-exporteren" in html and traject not in html
