"""Definitief verslagen travel sealed (issue 16), with the real server on loopback: IT makes the institute's keys and
confirms the users' keys; a verslag written offline on the docent's laptop arrives readable on the jaarassistent's,
who archives it (the docent's traject shows it); a docent of another groep gets nothing; the server's database
holds no plaintext of it; re-sealing with the recovery key gives a new jaarassistent access, and only them."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from ontkoppel_desktop.core.procedure import EventKind, default_registry
from ontkoppel_desktop.core.procedure.definition import VerslagBestemming
from ontkoppel_desktop.core.rollen import Rol
from ontkoppel_desktop.instituut import gedeeld, outbox, sleutels, verslagen
from ontkoppel_desktop.instituut.verzegeling import ZegelFout
from ontkoppel_server import pgcluster
from tests.instituut.conftest import Laptop, Server, _Uit, docenten, it_ondertekent, nieuwe_laptop
from tests.server.conftest import WACHTWOORD, account, groep
from tests.verslagen.conftest import schrijf_driehoek

MARKER = "Wekelijks-leergesprek-MARKER-7f3a"
NOTITIE = "Belde-over-zwangerschap-MARKER-91c2"
VANDAAG = dt.date.today()


def medewerker(naam: str, *rollen: tuple[Rol, Any]) -> None:
    acc = account(naam, *rollen)
    acc.password = make_password(WACHTWOORD, hasher="argon2")
    acc.save()


def _pg_dump(cluster: pgcluster.Cluster) -> bytes:
    """The whole database as its administrator would dump it (as the owner of the tables)."""
    db = settings.DATABASES["eigenaar"]
    result = subprocess.run(
        [str(pgcluster.bin_map() / "pg_dump"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", db["USER"],
         "-d", db["NAME"], "--no-password"],
        capture_output=True, env={"PGPASSWORD": db["PASSWORD"]}, check=True)
    return result.stdout


def test_a_verslag_written_offline_arrives_sealed_for_its_readers_only(
        tmp_path: Path, server: Server, it: dict[str, Path], postgres: pgcluster.Cluster) -> None:
    docenten("anna")
    medewerker("jan", (Rol.JAARASSISTENT, 1))
    medewerker("bob", (Rol.DOCENTEN, groep("Groep B")))
    a = nieuwe_laptop(tmp_path / "docent.okdb")
    j = nieuwe_laptop(tmp_path / "jaarassistent.okdb", aios="Jaar")
    b = nieuwe_laptop(tmp_path / "ander.okdb", "Groep B", aios="Bos")
    for laptop, naam in ((a, "anna"), (j, "jan"), (b, "bob")):
        laptop.verbind(server.adres, naam)
    # The institute's signing key is pinned at Verbinden.
    assert sleutels.instituut_sleutel(a.store.conn) is not None
    it_ondertekent(it["instituut"])

    # Offline: the docent writes and seals the verslag of the driehoeksgesprek.
    traject = a.start(dagen_terug=30)
    verslag_id = schrijf_driehoek(a.store, traject, VANDAAG - dt.timedelta(days=20), afronden=True,
                                  afspraken=MARKER)
    assert [w.verslag_id for w in verslagen.wachtend(a.store.conn)] == [verslag_id]

    for laptop in (j, b):  # the readers' laptops learn the directory (and that their own key is confirmed)
        laptop.synchroniseer()
    a.store.trajecten.record(traject, EventKind.TELEFONISCH_CONTACT, VANDAAG - dt.timedelta(days=25),
                             {"met": ["aios"], "notitie": NOTITIE}, user="Docent")
    verslag = a.synchroniseer()
    assert verslag.fout is None and verslag.verslagen_verstuurd == 1, verslag.meldingen
    assert verslagen.wachtend(a.store.conn) == []
    # The institute has it: verstuurd today, the procedure's step done on the docent's traject (and shared).
    assert a.store.verslagen.get(verslag_id).verstuurd_op == VANDAAG
    assert any(e.kind is EventKind.VERSLAG_NAAR_JAARASSISTENT for e in a.store.trajecten.get(traject).events)

    j.synchroniseer()
    [ontvangen] = verslagen.ontvangen(j.store.conn)
    assert (ontvangen.gesprek, ontvangen.versie, ontvangen.auteur) == ("driehoeksgesprek", 1, "anna")
    geopend = verslagen.open_ontvangen(j.store.conn, ontvangen.uuid, default_registry().get)
    assert geopend.verslag.antwoorden["afspraken"] == MARKER
    assert geopend.context.aios == "Noor Visser" and geopend.auteur_account == "anna"
    # The docent of another groep gets nothing.
    b.synchroniseer()
    assert verslagen.ontvangen(b.store.conn) == []
    # The server holds no plaintext of it.
    dump = _pg_dump(postgres)
    assert b"driehoeksgesprek" in dump  # the dump is real: the metadata the terms need is there
    assert MARKER.encode() not in dump and NOTITIE.encode() not in dump and b"Noor Visser" not in dump
    # The jaarassistent reads the docent's notitie as typed.
    [gj] = gedeeld.lijst(j.store.conn)
    assert any(e.data.get("notitie") == NOTITIE for e in gj.traject.events)

    # The jaarassistent archives it in both places; the docent's traject shows the step done.
    for plek in (VerslagBestemming.E_PORTFOLIO, VerslagBestemming.DOSSIER_OPLEIDER):
        verslagen.markeer_gearchiveerd(j.store.conn, ontvangen.uuid, plek, VANDAAG, user="Jan",
                                       registry_get=default_registry().get)
    assert j.synchroniseer().geweigerd == 0
    a.synchroniseer()
    gearchiveerd = [e for e in a.store.trajecten.get(traject).events if e.kind is EventKind.VERSLAG_GEARCHIVEERD]
    assert [e.data["bestemming"] for e in gearchiveerd] == ["e_portfolio", "beide"]
    # The docent's verslag shows it archived too, with the receiver's events as the record.
    assert set(a.store.verslagen.get(verslag_id).gearchiveerd_op) == {VerslagBestemming.E_PORTFOLIO,
                                                                       VerslagBestemming.DOSSIER_OPLEIDER}
    overzicht = a.store.trajecten.overview(a.store.trajecten.get(traject), VANDAAG)
    assert overzicht.status("archiveren_verslag_driehoeksgesprek").state.is_finished
    for laptop in (a, j, b):
        laptop.store.close()


def test_resealing_with_the_recovery_key_gives_a_new_jaarassistent_access_and_only_them(
        tmp_path: Path, server: Server, it: dict[str, Path], anna_en_jan: tuple[Laptop, Laptop]) -> None:
    a, j = anna_en_jan
    traject = a.start(dagen_terug=30)
    schrijf_driehoek(a.store, traject, VANDAAG - dt.timedelta(days=20), afronden=True, afspraken=MARKER)
    assert a.synchroniseer().verslagen_verstuurd == 1

    # A new jaarassistent joins the year: before re-sealing they get nothing.
    medewerker("kim", (Rol.JAARASSISTENT, 1))
    medewerker("piet", (Rol.MANAGER_OPLEIDERS, None))
    k = nieuwe_laptop(tmp_path / "kim.okdb", aios="Kim")
    p = nieuwe_laptop(tmp_path / "piet.okdb", aios="Piet")
    k.verbind(server.adres, "kim")
    p.verbind(server.adres, "piet")
    it_ondertekent(it["instituut"])
    k.synchroniseer()
    assert verslagen.ontvangen(k.store.conn) == []

    call_command("verslagen-herverzegelen", "--herstelsleutel", str(it["herstel"]), "--account", "kim", "--jaar",
                 "1", "--ja", stdout=_Uit())
    k.synchroniseer()
    [ontvangen] = verslagen.ontvangen(k.store.conn)
    geopend = verslagen.open_ontvangen(k.store.conn, ontvangen.uuid, default_registry().get)
    assert geopend.verslag.antwoorden["afspraken"] == MARKER and geopend.auteur_account == "anna"
    # Only them: the manager opleiders (who sees the traject only after an advies) gets nothing.
    p.synchroniseer()
    assert verslagen.ontvangen(p.store.conn) == []
    for laptop in (k, p):
        laptop.store.close()


def test_a_verslag_waits_while_no_jaarassistent_key_is_confirmed(
        tmp_path: Path, server: Server, it: dict[str, Path]) -> None:
    docenten("anna")
    medewerker("jan", (Rol.JAARASSISTENT, 1))
    a = nieuwe_laptop(tmp_path / "docent.okdb")
    j = nieuwe_laptop(tmp_path / "jan.okdb", aios="Jaar")
    a.verbind(server.adres, "anna")
    j.verbind(server.adres, "jan")
    call_command("sleutels-ondertekenen", "--instituutssleutel", str(it["instituut"]), "--account", "anna", "--ja",
                 stdout=_Uit())  # IT has not confirmed jan's key yet
    traject = a.start(dagen_terug=30)
    schrijf_driehoek(a.store, traject, VANDAAG - dt.timedelta(days=20), afronden=True)
    assert a.synchroniseer().verslagen_verstuurd == 0
    [wacht] = verslagen.wachtend(a.store.conn)
    assert "jaarassistent van jaar 1" in wacht.melding and not wacht.geweigerd
    it_ondertekent(it["instituut"])
    assert a.synchroniseer().verslagen_verstuurd == 1
    assert verslagen.wachtend(a.store.conn) == []
    a.store.close()
    j.store.close()


def test_a_forged_author_signature_is_not_shown(anna_en_jan: tuple[Laptop, Laptop]) -> None:
    """The receiver checks the author's signature against the key the institute bound to the author: a verslag
    altered on its way (here: in the receiver's own copy) is not shown."""
    a, j = anna_en_jan
    traject = a.start(dagen_terug=30)
    schrijf_driehoek(a.store, traject, VANDAAG - dt.timedelta(days=20), afronden=True)
    a.synchroniseer()
    j.synchroniseer()
    [ontvangen] = verslagen.ontvangen(j.store.conn)
    envelop = j.store.conn.execute("SELECT envelop FROM ontvangen_verslag").fetchone()[0]
    # The metadata's version of the verslag (not the envelope's own format version, which comes first).
    assert bytes(envelop).count(b'"versie":1') == 2
    kop, _, rest = bytes(envelop).partition(b'"metadata":')
    vervalst = kop + b'"metadata":' + rest.replace(b'"versie":1', b'"versie":2', 1)
    assert vervalst != bytes(envelop)
    with j.store.conn:
        j.store.conn.execute("UPDATE ontvangen_verslag SET envelop = ?", (vervalst,))
    with pytest.raises(ZegelFout, match="handtekening"):
        verslagen.open_ontvangen(j.store.conn, ontvangen.uuid, default_registry().get)


def test_the_shared_traject_and_the_received_verslag_meet_in_the_instituut_section(
        anna_en_jan: tuple[Laptop, Laptop]) -> None:
    a, j = anna_en_jan
    traject = a.start(dagen_terug=30)
    schrijf_driehoek(a.store, traject, VANDAAG - dt.timedelta(days=20), afronden=True)
    a.synchroniseer()
    j.synchroniseer()
    [g] = gedeeld.lijst(j.store.conn)
    [ontvangen] = verslagen.ontvangen(j.store.conn)
    assert ontvangen.traject_uuid == g.uuid == a.uuid(traject)
    assert outbox.verbinding(j.store.conn) is not None
